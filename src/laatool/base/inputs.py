"""The one way laatool reaches the files it reads: by their exact names, inside the workspace,
regular files within a size limit, in folders it can list.

Every input (`laatool.yaml`, agreements, indicators, schemes, returns, the agreement cache's
key) is opened by `open_input`, which refuses before reading a byte: a link inside the
workspace that leads outside it (laatool does not follow it), anything but a regular file (a
pipe would wait for ever, a device never end), a file over its size limit, a file it may not
read, a file of the workspace whose name is not UTF-8 (no output could show it, and polars
cannot open it). Each refusal is a `YamlProblem` whose kind names the finding (`outside`,
`special`, `size`, `unreadable`, `name`). Folders are listed by `list_inputs`, which names
every entry that looks like an input, including those reading will refuse, so nothing is
skipped in silence; a folder that cannot be listed is a UsageError. Names are never patterns:
`[`, `*` and `?` are characters, and `shown_name` is the one way a name is shown.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from laatool.base.errors import UsageError
from laatool.base.text import YamlProblem, escaped, excerpt, undecodable

OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# What would let a file be read that the system refuses to open, and what would for a loop of links.
UNREADABLE_HINT = "give the user running laatool leave to read the file (its permissions), or copy it in afresh"
LOOP_HINT = "make the link lead to the file itself, or put a copy of the file in its place"
KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket",
         stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def _really_inside(path: Path | str, root: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def leads_outside(path: Path, root: Path | None) -> bool:
    """Whether `path`, named inside the workspace `root`, is really elsewhere (through a link).
    A path named outside the workspace (a file given to `validate`) was chosen as it is."""
    if root is None:
        return False
    named = os.path.abspath(path)
    base = os.path.abspath(root)
    if not (named == base or named.startswith(base.rstrip(os.sep) + os.sep)):
        return False
    return not _really_inside(path, root)


def open_input(path: Path, limit: int, root: Path | None = None) -> BinaryIO:
    """`path` opened for reading, once it is known to be a regular file of at most `limit`
    bytes inside the workspace `root`, named in UTF-8 when it is a file of the workspace (given
    `root`; laatool's own files and the cache's are not shown to anyone); a YamlProblem saying
    why not otherwise."""
    if leads_outside(path, root):
        raise YamlProblem("outside", "the file is a link that leads outside the workspace: laatool does not follow it")
    try:
        _check(os.stat(path), limit)  # before opening: opening a pipe can wait for a writer
        if root is not None and (byte := undecodable(str(path))):
            raise YamlProblem("name", f"its name holds a byte that is not UTF-8 (shown as {byte}): laatool reads "
                              "no file it cannot name as written")
        fd = os.open(path, OPEN_FLAGS)  # without waiting, should it have become a pipe since
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise YamlProblem("unreadable", "cannot read the file: it is a loop of symbolic links, or a chain of "
                              "more links than the system follows", hint=LOOP_HINT) from None
        raise YamlProblem("unreadable", f"cannot read the file: {error.strerror or error}",
                          hint=UNREADABLE_HINT) from None
    try:
        _check(os.fstat(fd), limit)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _check(status: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(status.st_mode):
        kind = KINDS.get(stat.S_IFMT(status.st_mode), "not a file")
        raise YamlProblem("special", f"it is {kind}, not a regular file: laatool reads only files")
    if status.st_size > limit:
        size = f"{limit // 1024**3} GiB" if limit >= 1024**3 else f"{limit // 1024**2} MiB"
        raise YamlProblem("size", f"the file is larger than {size}")


def read_input(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of `path`, as `open_input` allows."""
    with open_input(path, limit, root) as handle:
        return handle.read()


def check_input(path: Path, limit: int, root: Path | None = None) -> int:
    """The size of `path` once `open_input` allows it, for readers that open it themselves
    (polars, by its exact name: never as a pattern)."""
    with open_input(path, limit, root) as handle:
        return os.fstat(handle.fileno()).st_size


def folder_name_problem(name: str, root: Path | None = None) -> str | None:
    """Why a folder name of `laatool.yaml` cannot be used, or None. It must name a folder
    inside the workspace as written: not absolute (on any system), not through `..`. Given the
    workspace's `root`, such a name is told as it is: one leading outside the workspace, or one
    leading to a folder in it, with the name to write instead."""
    if "\0" in name:
        return "a folder name cannot hold a NUL character"
    if PurePosixPath(name.replace("\\", "/")).parts in ((), (".",)):  # `""`, `.`: the workspace itself
        return f"'{excerpt(name)}' names the workspace itself: name a folder inside it, such as returns"
    absolute = PurePosixPath(name).is_absolute() or PureWindowsPath(name).anchor != ""
    if not absolute and ".." not in PurePosixPath(name.replace("\\", "/")).parts:
        return None
    shown, how = excerpt(name), "is an absolute name" if absolute else "goes through '..'"
    if root is None or not (os.path.isabs(name) or ".." in PurePosixPath(name).parts):
        # where it leads is not known here (no workspace; `C:\data` read on another system)
        return f"'{shown}' {how}: name a folder inside the workspace, relative to laatool.yaml"
    within = _within(name, root)
    if within is None:
        return f"'{shown}' is outside the workspace: name a folder inside it, relative to laatool.yaml"
    if within == ".":
        return f"'{shown}' names the workspace itself: name a folder inside it, such as returns"
    without = "" if absolute else " without it"
    return f"'{shown}' {how}: name the folder relative to the workspace{without}, as '{excerpt(within)}'"


def _within(name: str, root: Path) -> str | None:
    """The name relative to the workspace at `root` of the folder `name` leads to, or None when
    it lies outside. A name through `..` is followed as the system follows it (after a link,
    `..` is the link's target's parent), so it is compared resolved alone."""
    named = root / name
    places = [os.path.realpath(named)] if ".." in PurePosixPath(name).parts else [os.path.abspath(named),
                                                                                    os.path.realpath(named)]
    for place in places:
        for base in dict.fromkeys([os.path.abspath(root), os.path.realpath(root)]):
            if place == base or place.startswith(base.rstrip(os.sep) + os.sep):
                return Path(place).relative_to(base).as_posix()
    return None


def present(path: Path) -> bool:
    """Whether anything is at `path` (a dangling link too); a UsageError when the system
    refuses to say (a folder it may not search, a name too long)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise _refused(path, error) from None
    except ValueError:  # a NUL in the name
        raise UsageError(f"cannot use {_shown(path, None)!r}: a name cannot hold a NUL character") from None
    return True


def folder_exists(folder: Path, root: Path) -> bool:
    """Whether `folder` of the workspace `root` is there; a UsageError when it leads outside
    the workspace, is not a folder (a file named `returns` holds none of the returns) or
    cannot be looked at."""
    if not present(folder):
        return False
    if leads_outside(folder, root):
        raise UsageError(f"the folder '{_shown(folder, root)}' is a link that leads outside the workspace "
                         f"'{excerpt(str(root))}': laatool reads only inside it (copy the files in instead)")
    if not os.path.isdir(folder):
        raise UsageError(f"cannot use '{_shown(folder, root)}': it is not a folder")
    return True


# The file macOS writes beside another on a disk or share it does not format itself, holding
# that file's metadata (`._returns.csv` beside `returns.csv`): never an input, whatever its name.
APPLE_DOUBLE = "._"


def list_inputs(folder: Path, root: Path, suffixes: tuple[str, ...], *, recursive: bool = False) -> list[Path]:
    """Every entry of `folder` (and of the folders below it when `recursive`) whose name ends
    in one of `suffixes`, but macOS's metadata files (`APPLE_DOUBLE`), sorted, including those
    reading will refuse (links leading outside the workspace, pipes, dangling links); a folder
    below that is a link leading outside is listed too, so that reading says so. Each folder
    is walked once, however many links lead to it. A UsageError when a folder cannot be
    listed."""
    if not folder_exists(folder, root):
        return []
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:  # a loop, not recursion: folders may be nested thousands deep
        current = pending.pop()
        try:
            status = os.stat(current)
            if (status.st_dev, status.st_ino) in seen:
                continue
            seen.add((status.st_dev, status.st_ino))
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
            below = []
            for entry in entries:
                if entry.name.startswith(APPLE_DOUBLE):
                    continue
                path = Path(entry.path)
                named = entry.name.lower().endswith(suffixes)
                if entry.is_symlink() and leads_outside(path, root):
                    if named or (recursive and os.path.isdir(path)):
                        found.append(path)
                elif recursive and _leads_to_folder(entry):
                    below.append(path)
                elif named:
                    found.append(path)
            pending.extend(reversed(below))
        except OSError as error:
            raise _refused(current, error, root) from None
    return sorted(found)


def _leads_to_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a folder's entry is a folder, or a link to one. A link the system cannot follow
    (a loop of links, a chain of more than it follows) is an entry like a dangling link: listed
    as a file, so that reading it is a finding on it, not a refusal of the folder holding it."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def shown_name(path: Path, root: Path | None) -> str:
    """The name findings and messages give `path`: relative to the workspace `root` when it is
    inside it, with `/`, and each byte that is not UTF-8 written `\\xff`
    (`laatool.base.text.escaped`), so that every output can carry it."""
    try:
        name = path.relative_to(root).as_posix() if root is not None else path.as_posix()
    except ValueError:
        name = path.as_posix()
    return escaped(name)


def _shown(path: Path, root: Path | None) -> str:
    return excerpt(shown_name(path, root))


def _refused(path: Path, error: OSError, root: Path | None = None) -> UsageError:
    return UsageError(f"cannot use '{_shown(path, root)}': {error.strerror or error}")
