"""The signals that stop a run (Ctrl-C, `kill`, a closed terminal), and the moment from which
they no longer can: once `-o FILE` is in place the run is done, and ends as it is."""

from __future__ import annotations

import signal

STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def ignore_stops() -> None:
    """From here on a stopping signal is ignored, one already on its way too (Python skips an
    ignored handler): a run whose output file has just replaced the old one exits as finished,
    not 130 over a complete new file. Main thread only, as every signal handler is."""
    for number in STOPPING:
        signal.signal(number, signal.SIG_IGN)
