"""The output layer every command shares: format choice, atomic `-o`, data on stdout only."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".txt": "table"}


def resolve_format(fmt: OutputFormat | None, output: Path | None) -> str:
    """`--format`, else the `-o` file's extension, else LAATOOL_FORMAT, else table.

    An `.xlsx` output file is always written as a workbook.
    """
    if output is not None and output.suffix.lower() == ".xlsx":
        return "xlsx"
    if fmt is not None:
        return fmt.value
    if output is not None and output.suffix.lower() in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[output.suffix.lower()]
    env = os.environ.get("LAATOOL_FORMAT", "").strip().lower()
    if env in OutputFormat.__members__:
        return env
    return "table"


# One renderer per format: (module, function), imported only when that format is asked for.
RENDERERS = {
    "table": ("laatool.render.table", "render_text"),
    "json": ("laatool.render.json", "render_json"),
    "csv": ("laatool.render.csv", "render_csv"),
    "xlsx": ("laatool.render.xlsx", "render_xlsx"),
}


def render(report: Any, fmt: str) -> bytes:
    """The report as the bytes of `fmt` (a plain-text table for `table`)."""
    import importlib

    module, function = RENDERERS[fmt]
    return getattr(importlib.import_module(module), function)(report)


def rendered(report: Any, fmt: str) -> Iterable[bytes]:
    """`render`, in pieces where the format is written so: JSON (`render.json.json_chunks`)."""
    if fmt == "json":
        from laatool.render.json import json_chunks

        return json_chunks(report)
    return [render(report, fmt)]


def emit(report: Any, fmt: str, output: Path | None) -> None:
    """Write the report to `output` atomically, or to stdout."""
    if output is not None:
        data = rendered(report, fmt)
        try:
            atomic_write(output, data)
        except OSError as error:  # a read-only folder, a full disk: the -o FILE cannot be written
            from laatool.errors import UsageError

            raise UsageError(f"cannot write '{output}': {error.strerror or error}") from None
        return
    if fmt == "table":
        from laatool.render.table import print_table

        print_table(report)
        return
    if fmt == "xlsx":
        raise ValueError("xlsx output needs -o FILE.xlsx")
    sys.stdout.flush()
    for piece in rendered(report, fmt):
        sys.stdout.buffer.write(piece)
    sys.stdout.flush()


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
    temporary = None
    try:
        # Named before it is made, so that a signal arriving at any moment (`laatool.launch`)
        # still finds the temporary file to remove on the way out; the process id keeps two
        # runs' names apart, the random part two writes of one run.
        temporary = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
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
        if temporary is not None:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        raise

