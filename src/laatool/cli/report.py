"""`laatool report`: the board report, one HTML page or one workbook (DESIGN.md §11)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import (
    AreaOption,
    SkipInvalidOption,
    check_output_path,
    deliver,
    exit_codes,
    guarded,
    output_named,
    workspace_root,
)

# The report's formats, by the -o file's extension.
REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}


@app.command("report", epilog=exit_codes("report"))
@guarded
def report_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="FILE", help="FILE.html: one self-contained page; FILE.xlsx: a workbook. "
        "Written atomically.", parser=output_named, show_default=False)],
    area: AreaOption = None,
    period: Annotated[str | None, typer.Option(
        "--period", "-p", metavar="PERIOD", help="The year the tables show (2009-10); default: each area's "
        "latest year with an actual.", show_default=False)] = None,
    as_at: Annotated[str | None, typer.Option(
        "--as-at", metavar="PERIOD", help="The report as made then, from the returns known at the end of this period "
        "(2010-11 Q2); default: every return, each area projected from its latest period.",
        show_default=False)] = None,
    skip_invalid: SkipInvalidOption = False,
) -> None:
    """Write the board report of each area: a summary (statuses, direction of travel, the
    projection, the reward earned or projected and what is at risk), a table of targets per
    theme, the exceptions with their commentary, a key to the rules used and a chart of every
    target. Built from what score, reward-grant, project and (with comparators) benchmark give."""
    from laatool import api
    from laatool.base.errors import UsageError

    fmt = REPORT_SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot write '{output}': a report is .html or .xlsx (give -o FILE.html or -o FILE.xlsx)")
    check_output_path(output)
    outcome = api.report(workspace_root(ctx), area, period, as_at, output, skip_invalid)
    deliver(outcome, fmt, output)
