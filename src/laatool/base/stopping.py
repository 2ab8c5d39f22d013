"""The signals that stop a run (Ctrl-C, `kill`, a closed terminal), the one that did, and the
moment from which they no longer can: once `-o FILE` is in place the run is done, and ends as
it is."""

from __future__ import annotations

# The C module: `signal` imports `enum` first (5 ms), and the launcher sets its handlers from its first line.
import _signal  # type: ignore[import-not-found]

STOPPING: tuple[int, ...] = tuple(getattr(_signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                                  if hasattr(_signal, name))
# The signal that stopped the run, once one has (`laatool.launch`). Its handler raises
# SystemExit wherever the run is, and a library whose native code was calling back into Python
# just then hands it on as an error of its own (pydantic's SchemaError, polars' TypeError or a
# panic): that error is this stop, not a bug.
STOPPED_BY: list[int] = []


def stop_code() -> int | None:
    """The exit code of the stop that ended the run (128 + its signal), or None when none has."""
    return 128 + STOPPED_BY[0] if STOPPED_BY else None


def on_stop(handler: object) -> None:
    """Have each stopping signal call `handler` (number, frame)."""
    for number in STOPPING:
        _signal.signal(number, handler)


def ignore_stops() -> None:
    """From here on a stopping signal is ignored, one already on its way too (Python skips an
    ignored handler): a run whose output file has just replaced the old one exits as finished,
    not 130 over a complete new file. Main thread only, as every signal handler is."""
    on_stop(_signal.SIG_IGN)
