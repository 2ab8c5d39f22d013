"""Writing a file whole or not at all, and never over an input: `-o FILE` and the agreement
cache both write this way."""

from __future__ import annotations

import errno
import io
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from laatool.base.errors import UsageError


def atomic_write(path: Path, data: bytes | Iterable[bytes], committing: Callable[[], None] | None = None,
                 *, own_file: bool = False) -> None:
    """Write `data` (bytes, or bytes in pieces) to a temporary file beside `path`, then rename
    it into place. A failure at any point leaves no partial file and an existing file untouched.
    `committing` is called just before the rename (`-o FILE`: from then on, a stop is ignored).
    A name given with `-o` that is a link, a device or a pipe is written through to what it
    names; `own_file` (laatool's cache) replaces whatever the name is, so that a link planted
    there never has laatool write a file it leads to (an input, anywhere).
    """
    pieces = [data] if isinstance(data, bytes) else data
    path = Path(path)
    if own_file:
        _replace(path, pieces, committing)
        return
    if (stream := own_stream(path)) is not None:
        # `-o /dev/stdout` is standard output as `-o -` is, whatever it was sent to: a file it
        # was redirected to (`>> log.txt`) is written into, where the shell left it, not replaced
        refuse_closed(stream)
        with os.fdopen(os.dup(stream), "wb") as handle:
            handle.writelines(pieces)
        return
    if path.exists() and not path.is_file():
        # A device or a pipe (`-o /dev/null`, `-o /dev/stdout`): renaming over it would replace
        # the device itself with a regular file, so write into it as it is. A named pipe is
        # opened without waiting: with nothing reading it, opening would wait for ever (ENXIO).
        pipe = stat.S_ISFIFO(path.stat().st_mode)
        try:
            fd = os.open(path, os.O_WRONLY | (os.O_NONBLOCK if pipe else 0))
        except OSError as error:
            if pipe and error.errno == errno.ENXIO:
                raise OSError(errno.ENXIO, "it is a named pipe that nothing is reading") from None
            raise
        os.set_blocking(fd, True)
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(pieces)
        return
    if path.is_symlink():  # replace the file the link points at, and keep the link
        path = path.resolve()
    _replace(path, pieces, committing)


def _replace(path: Path, pieces: Iterable[bytes], committing: Callable[[], None] | None) -> None:
    """`atomic_write` of a name: a temporary file beside it, renamed over it."""
    folder = path.parent if str(path.parent) else Path(".")
    temporary = None
    try:
        # Named before it is made, so that a signal arriving at any moment (`laatool.launch`)
        # still finds the temporary file to remove on the way out; the process id keeps two
        # runs' names apart, the random part two writes of one run. The name's first 200 bytes
        # only: with what is added, the name of a file of 255 bytes (the most a system allows)
        # would be too long to make.
        temporary = folder / f".{os.fsdecode(os.fsencode(path.name)[:200])}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
        # a new file's mode is 0o666 less the umask, as any file a program makes; a file
        # replaced keeps its own mode
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            status = None
        existing = stat.S_IMODE(status.st_mode) if status is not None and stat.S_ISREG(status.st_mode) else None
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if existing is not None else 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(pieces)
            handle.flush()
            os.fsync(handle.fileno())
        if existing is not None:
            os.chmod(temporary, existing)
        if committing is not None:
            committing()
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        raise


# The standard streams the caller closed (`>&-`): `laatool.launch` opens /dev/null in their
# place (no file opened later may take their number), and data meant for one is refused, as a
# full disk is (`refuse_closed`), rather than let go with exit 0.
CLOSED_STREAMS: set[int] = set()


def let_go(stream: int) -> None:
    """What is still to be written to `stream` (1 or 2) goes nowhere from now on: its reader
    has gone (`| head`, a log pipe that died) or, for the messages on 2, it will not take them
    (a full disk). The run goes on to its own output files and exit code."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream)
    os.close(devnull)


def refuse_closed(stream: int) -> None:
    """An OSError when `stream` (1: standard output) was closed by the caller."""
    if stream in CLOSED_STREAMS:
        raise OSError(errno.EBADF, "it was closed (`>&-`): redirect it, or give -o FILE")


class ClosedOutput(io.TextIOWrapper):
    """The standard output in place of the one the caller closed: /dev/null, holding its number,
    that refuses any text (`refuse_closed`). Data is refused before it is made; this refuses
    what else a run writes there, `--help` among it (which ended with exit 0, having said nothing)."""

    def __init__(self) -> None:
        super().__init__(open(os.devnull, "wb"), encoding="utf-8")  # noqa: SIM115 - for the whole run
        CLOSED_STREAMS.add(1)

    def write(self, text: str) -> int:
        refuse_closed(1)
        return super().write(text)


def own_stream(path: Path) -> int | None:
    """The descriptor a path names among this process's own open files (`/dev/stdout`,
    `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`), or None."""
    text = str(path)
    if text in ("/dev/stdout", "/dev/stderr"):
        return 1 if text == "/dev/stdout" else 2
    found = re.fullmatch(r"/(?:dev/fd|proc/self/fd)/(\d+)", text)
    return int(found.group(1)) if found else None


def refuse_output_over_inputs(output: Path | None, inputs: Callable[[], list[Path]]) -> None:
    """A usage error when `-o FILE` is one of the files `inputs()` lists, those the run reads
    (the same file, by whatever name, link or hard link): writing it would destroy an input.
    Only file metadata is read, and only when FILE exists."""
    if output is None:
        return
    try:
        written = output.stat()
    except OSError:  # no such file yet: not an input
        return
    if not stat.S_ISREG(written.st_mode):
        return
    for path in inputs():
        try:
            read = path.stat()
        except OSError:
            continue
        if (read.st_dev, read.st_ino) == (written.st_dev, written.st_ino):
            which = "" if path == output else f"'{path}', "
            raise UsageError(f"cannot write '{output}': it is {which}a file this run reads; "
                             "choose another output file")
