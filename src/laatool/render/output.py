"""The output layer every command shares: format choice, atomic `-o`, data on stdout only."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

from laatool.base.files import atomic_write, let_go, refuse_closed
from laatool.base.stopping import ignore_stops


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".txt": "table"}
# Extensions of formats laatool does not write, each with what to give instead. Without
# --format, a file named so got a table of text that the program its name opens in could not
# read (`score -o score.pdf`, `-o scores.xls`): a usage error instead, before anything is done.
# Any other name (`scores.out`, `scores`, `scores.2010-11`) gets the table, as it always has.
OTHER_FORMATS = {
    **dict.fromkeys((".pdf", ".html", ".htm"), "`laatool report -a AREA -o FILE.html` makes a page to read or print"),
    **dict.fromkeys((".xls", ".xlsm", ".xlsb", ".ods"), "give -o FILE.xlsx for a workbook"),
    **dict.fromkeys((".tsv", ".tab"), "give -o FILE.csv for comma-separated values"),
    **dict.fromkeys((".doc", ".docx", ".odt", ".rtf", ".parquet", ".xml", ".png", ".svg", ".zip"),
                    "give -o FILE.json, FILE.csv, FILE.xlsx or FILE.txt (a table)"),
}


def resolve_format(fmt: OutputFormat | None, output: Path | None) -> str:
    """`--format`, else the `-o` file's extension, else LAATOOL_FORMAT, else table.

    An `.xlsx` output file is always written as a workbook; without `--format`, one whose
    extension names a format laatool does not write (`OTHER_FORMATS`) is a UsageError. An
    unknown LAATOOL_FORMAT is a UsageError (exit 2), as an unknown `--format` is, even when the
    option or the extension decides: a batch script's setting is wrong either way, and is said
    at once.
    """
    env = os.environ.get("LAATOOL_FORMAT", "").strip().lower()
    if env and env not in OutputFormat.__members__:  # a JSON consumer must not be handed a table
        from laatool.base.errors import UsageError

        raise UsageError(f"LAATOOL_FORMAT={os.environ['LAATOOL_FORMAT']!r} is not a format: use "
                         f"{', '.join(OutputFormat.__members__)} (or unset it for table)")
    if output is not None and output.suffix.lower() == ".xlsx":
        return "xlsx"
    if fmt is not None:
        return fmt.value
    if output is not None and (instead := OTHER_FORMATS.get(output.suffix.lower())) is not None:
        from laatool.base.errors import UsageError

        raise UsageError(f"cannot write '{output}': laatool does not write {output.suffix} files; "
                         f"{instead} (or choose the format with --format)")
    if output is not None and output.suffix.lower() in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[output.suffix.lower()]
    return env or "table"


# One renderer per format: (module, function), imported only when that format is asked for.
RENDERERS = {
    "table": ("laatool.render.table", "render_text"),
    "json": ("laatool.render.report_json", "render_json"),
    "csv": ("laatool.render.csv", "render_csv"),
    "xlsx": ("laatool.render.workbooks", "render_xlsx"),
    "html": ("laatool.render.board_html", "render_html"),  # `laatool report` alone
}


# The formats that say which areas `--skip-invalid` refused, beside the areas computed: the page
# and the workbooks (`refused_line`), as JSON does (its `refused`). A table or CSV is the rows of
# the areas computed alone; stderr names the refused whatever the format.
SAYS_REFUSED = ("html", "xlsx")


def render(report: Any, fmt: str, refused: list[dict[str, Any]] | None = None) -> bytes:
    """The report as the bytes of `fmt` (a plain-text table for `table`); a page or workbook
    says which areas were `refused`."""
    import importlib

    module, function = RENDERERS[fmt]
    renderer = getattr(importlib.import_module(module), function)
    return renderer(report, refused) if refused and fmt in SAYS_REFUSED else renderer(report)


def rendered(report: Any, fmt: str, refused: list[dict[str, Any]] | None = None) -> Iterable[bytes]:
    """`render`, in pieces where the format is written so: JSON (`render.report_json.json_chunks`),
    which ends with `refused`, the areas `--skip-invalid` left out."""
    if fmt == "json":
        from laatool.render.report_json import json_chunks

        return json_chunks(report, refused)
    return [render(report, fmt, refused)]


def refused_line(refused: list[dict[str, Any]]) -> str:
    """The areas `--skip-invalid` left out, each with the number of errors in its inputs, as a
    page or a workbook says so above the areas computed (the JSON's `refused`)."""
    areas = ", ".join(f"{r['area']} ({r['errors']:,} error(s) in its inputs)" for r in refused)
    return f"Refused with --skip-invalid, so not in this report: {areas}. `laatool validate` lists the errors."


def emit(report: Any, fmt: str, output: Path | None, refused: list[dict[str, Any]] | None = None) -> None:
    """Write the report to `output` atomically, or to stdout."""
    if output is None and fmt == "xlsx":
        raise ValueError("xlsx output needs -o FILE.xlsx")
    if output is None:
        if fmt == "table":
            from laatool.render.table import print_table

            to_stdout(lambda: print_table(report))
        else:
            to_stdout(lambda: sys.stdout.buffer.writelines(rendered(report, fmt, refused)))
        return
    try:
        atomic_write(output, rendered(report, fmt, refused), committing=ignore_stops)
    except BrokenPipeError:  # `-o /dev/stdout | head`: a reader done early, as `to_stdout` has it
        pass
    except OSError as error:  # a read-only folder, a full disk: say what could not be written
        from laatool.base.errors import UsageError

        raise UsageError(f"cannot write '{output}': {error.strerror or error}") from None


def to_stdout(write: Callable[[], object]) -> None:
    """Run `write`, which writes data to the standard output. Refused (exit 2, "cannot write
    the standard output") when the caller closed it or it will not take the data (a full disk,
    `> /dev/full`); a reader done early (`| head`, `-o -` or `-o /dev/stdout`) lets the rest
    go, and the run ends with its own exit code (1 for a validation with errors)."""
    try:
        refuse_closed(1)
        sys.stdout.flush()
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        let_go(1)
    except OSError as error:
        from laatool.base.errors import UsageError

        raise UsageError(f"cannot write the standard output: {error.strerror or error}") from None
