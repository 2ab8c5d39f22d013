"""The `laatool` command: start reading the returns, then parse the command line and run it.

Importing the command line and the models takes a command that reads returns about half a
second before it knows what to load. The arguments say enough before that: the root options
come first (`-w DIR`, `--workspace DIR`, `--workspace=DIR`, or `LAATOOL_WORKSPACE`), then
the command. For the commands that read returns (`READS_RETURNS`) the workspace's returns start
being read at once (`laatool.load.workspace.read_early`; for `benchmark -i ... -p YEAR` only the
rows it compares, `rows_chosen`) and the parsing proper follows; anything the guess misses
(help, a mistyped option) is left to the command line to report, and so is a workspace that
cannot be read as it should (a name too long, a folder it may not list): the early reading
never fails, it only does not start.
"""

from __future__ import annotations

import os
import sys

from laatool.base.stopping import STOPPED_BY, ignore_stops, on_stop, stop_code


def _stopped_while_starting(number: int, frame: object) -> None:
    STOPPED_BY.append(number)
    raise SystemExit(128 + number)  # through the imports under way, and out of the script: no traceback


# A stop before `main` sets its handlers (the imports of a command's first 30 ms) ends the run as
# one after it does, quietly with 128 + the signal. Only in the `laatool` command itself (its
# script, or `python -m laatool`): a program that imports this module keeps its own handlers.
if os.path.basename(sys.argv[0] if sys.argv else "").removesuffix(".exe") == "laatool" or \
        sys.argv[0:1] == [os.path.join(os.path.dirname(__file__), "__main__.py")]:
    on_stop(_stopped_while_starting)

# After the handlers above: these take the 15 ms the handlers cover.
import signal  # noqa: E402
from collections.abc import Mapping  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from laatool.load.normalise import RowChoice

# Every command is in one of these (a test checks it): a new command must say whether its
# returns are worth reading before its command line is parsed.
READS_RETURNS = ("validate", "score", "reward-grant", "project", "benchmark", "opportunities", "report")
# The commands that show the returns' `note` column, which the others never hold.
READS_NOTES = ("report",)
READS_NO_RETURNS = ("indicators", "rules", "schema", "template")


# polars' allocator (jemalloc) keeps the pages of a freed frame for ten seconds by default, for
# reuse; a run lasts a second or two, so every frame let go (the returns rows, once their
# actuals are made) would still count in its peak memory. Released after 50 ms instead, the
# peak follows what is live (70–90 MB less on a national workspace than the default, 20–40 MB
# less than after 200 ms, for a few hundredths of a second of system time; at 0 ms every
# allocation faults its pages in afresh and a run takes half as long again). Two arenas rather
# than four for each CPU: a page freed by one of polars' threads is taken again by another
# rather than kept for its own (20–50 MB less at the peak of a national score or validate, at
# the same time). A setting of the user's own is kept.
ALLOCATOR = ("_RJEM_MALLOC_CONF", "dirty_decay_ms:50,muzzy_decay_ms:0,narenas:2")


def main() -> None:
    in_utf8_mode()
    os.environ.setdefault(*ALLOCATOR)  # before polars is first imported
    # A standard stream the caller closed (`>&-`, `2>&-`) is None in Python: writing to it would
    # end in a traceback. /dev/null takes its place (and its number, which no file opened later
    # may take); the messages meant for stderr are let go, and data meant for stdout refused
    # (`laatool.base.files.refuse_closed`: exit 2), not lost with exit 0.
    if sys.stdout is None:
        from laatool.base.files import ClosedOutput

        sys.stdout = ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run
    # Tables and messages are text for people in the terminal's encoding; one that cannot
    # write a character of them (`£`, `–`, `…` under Latin-1, ASCII or cp1252) shows `?` in
    # its place rather than ending the run with exit 3. Data (JSON, CSV, files) is UTF-8 bytes.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    on_stop(stop)
    try:
        root = workspace_to_read(sys.argv[1:], os.environ)
        if root is not None:
            from laatool.load.workspace import read_early

            read_early(root, notes=command_of(sys.argv[1:]) in READS_NOTES, rows=rows_chosen(sys.argv[1:]))
        from laatool.cli import main as run
    except SystemExit as stopped:  # a signal before the command line is running
        os._exit(stopped.code if isinstance(stopped.code, int) else 1)
    except BaseException as error:  # laatool's own modules cannot load (an install left half done): exit 3
        if (code := stop_code()) is not None:  # a stop, come back from a library's native code as its error
            os._exit(code)
        if os.environ.get("LAATOOL_DEBUG") or not isinstance(error, Exception):
            raise
        said = " ".join(str(error).split())[:200]  # one line, with nothing of laatool's that may not load
        print(f"laatool: internal error while starting ({type(error).__name__}: {said}); please report it, or "
              "install laatool again (LAATOOL_DEBUG=1 shows the traceback)", file=sys.stderr)
        os._exit(3)
    run()


def in_utf8_mode() -> None:
    """Run again in Python's UTF-8 mode when the locale's encoding is not UTF-8 (an old server's
    `en_GB.ISO-8859-1`, or `C` with the coercion turned off). Python names files in the
    locale's encoding, while polars and the spreadsheet readers take every name as UTF-8: a
    returns file named `returns – final.csv` was "No such file" to them (Y006, and nothing
    computed), and its name came out garbled. In UTF-8 mode the names are the bytes on disk,
    a name that is not UTF-8 is Y019 as anywhere else, and tables and messages keep the
    terminal's encoding (`PYTHONIOENCODING`, unless the caller set it). Costs a second start of
    the interpreter, in such locales only."""
    if sys.flags.utf8_mode or sys.getfilesystemencoding().lower().replace("-", "") == "utf8" or not sys.executable:
        return
    environment = dict(os.environ)
    encoding = getattr(sys.stdout, "encoding", None) or getattr(sys.stderr, "encoding", None)
    if encoding and "PYTHONIOENCODING" not in environment:
        environment["PYTHONIOENCODING"] = encoding
    # The same laatool runs again: when it was found in the folder Python put first (`python -m
    # laatool` in a checkout's src/), that folder is named to the second start, which -P keeps
    # from putting the current folder first.
    package_root = Path(__file__).resolve().parents[1]
    if sys.path and Path(sys.path[0] or os.getcwd()).resolve() == package_root:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package_root), environment.get("PYTHONPATH")]))
    try:
        # -P: the folder the user is in is not put before laatool's own modules (a `csv.py` or
        # `laatool.py` there would be imported instead), as the `laatool` command never does
        os.execve(sys.executable, [sys.executable, "-X", "utf8", "-P", "-m", "laatool", *sys.argv[1:]], environment)
    except OSError:  # an interpreter that cannot be started again: run on as the locale says
        return


def stop(number: int, frame: object) -> None:
    """End the run as the signal `number` asks, unwinding the main thread so nothing is left
    half written; further stopping signals are ignored while it unwinds."""
    STOPPED_BY.append(number)
    ignore_stops()
    if number == signal.SIGINT and isinstance(sys.exc_info()[1], KeyboardInterrupt):
        # polars answered this Ctrl-C first, in its own work, with KeyboardInterrupt: that is
        # already unwinding (to exit 130), and a second exception would cut its clean-up short
        return
    raise SystemExit(128 + number)


def workspace_to_read(args: list[str], environ: Mapping[str, str]) -> Path | None:
    """The workspace whose returns the command will read, or None when it reads none (or the
    arguments are anything but plain)."""
    found = _root_and_command(args, environ)
    if found is None:
        return None
    root, index = found
    if index == len(args) or args[index] not in READS_RETURNS:
        return None
    if any(arg in ("-h", "--help") for arg in args[index + 1:]):
        return None
    return Path(root) if os.path.isdir(root) else None  # False too where the system refuses the name


def rows_chosen(args: list[str]) -> RowChoice | None:
    """The returns rows `benchmark -i ID ... -p YEAR` compares (`load.normalise.RowChoice`), as the
    command will ask for them; None (every row) for anything else."""
    if command_of(args) != "benchmark":
        return None
    from laatool.load.normalise import RowChoice

    found: dict[str, list[str]] = {"indicator": [], "period": []}
    names = {"-i": "indicator", "--indicator": "indicator", "-p": "period", "--period": "period"}
    for index, arg in enumerate(args):
        option, equals, value = arg.partition("=")
        if option in names and equals and option.startswith("--"):
            found[names[option]].append(value)
        elif arg in names and index + 1 < len(args):
            found[names[arg]].append(args[index + 1])
    periods = found["period"]
    return RowChoice.of(found["indicator"], periods[-1]) if periods else None


def command_of(args: list[str]) -> str | None:
    """The command the arguments name after the root options, or None."""
    found = _root_and_command(args, {})
    return args[found[1]] if found is not None and found[1] < len(args) else None


def _root_and_command(args: list[str], environ: Mapping[str, str]) -> tuple[str, int] | None:
    """The workspace the root options name (or LAATOOL_WORKSPACE, or `.`) and the index of the
    command word; None when the arguments are anything but plain."""
    root = environ.get("LAATOOL_WORKSPACE") or "."
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-w", "--workspace"):
            if index + 1 == len(args):
                return None
            root, index = args[index + 1], index + 2
        elif arg.startswith("--workspace="):
            root, index = arg.partition("=")[2], index + 1
        elif arg.startswith("-w") and not arg.startswith("--"):
            root, index = arg[2:], index + 1
        elif arg.startswith("-"):  # --version, --help, or an option typer will refuse
            return None
        else:
            break
    return root, index
