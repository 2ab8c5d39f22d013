"""Writing a file whole or not at all: `-o FILE` and the agreement cache both write this way."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (bytes, or bytes in pieces) to a temporary file beside `path`, then rename
    it into place. A failure at any point leaves no partial file and an existing file untouched.
    """
    pieces = [data] if isinstance(data, bytes) else data
    path = Path(path)
    if path.exists() and not path.is_file():
        # A device or a pipe (`-o /dev/null`, `-o /dev/stdout`): renaming over it would replace
        # the device itself with a regular file, so write into it as it is.
        with path.open("wb") as handle:
            handle.writelines(pieces)
        return
    if path.is_symlink():  # replace the file the link points at, and keep the link
        path = path.resolve()
    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(pieces)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
