"""`laatool indicators`: list, search and show the National Indicator Set."""

from __future__ import annotations

from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import (
    FormatOption,
    OutputOption,
    check_output_path,
    deliver,
    exit_codes,
    guarded,
    workspace_root,
)


@app.command("indicators", epilog=exit_codes("indicators"))
@guarded
def indicators_command(
    ctx: typer.Context,
    query: Annotated[list[str] | None, typer.Argument(
        help="Words to find (every one) in titles, sources and notes, or an id in any spelling; "
             "`show ID` shows one indicator in full.", show_default=False)] = None,
    department: Annotated[
        str | None, typer.Option("--department", "-d", help="Only this department (e.g. DCSF).")
    ] = None,
    statutory: Annotated[bool, typer.Option("--statutory", help="Only the 16 statutory indicators.")] = False,
    include_deleted: Annotated[bool, typer.Option("--all", help="Include deleted indicators (NI 31).")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List or search the indicators; `laatool indicators show "NI 154"` shows one in full."""
    from laatool import api
    from laatool.render.output import resolve_format

    check_output_path(output)
    outcome = api.indicators(workspace_root(ctx), list(query or []), department=department,
                             statutory=statutory, include_deleted=include_deleted, output=output)
    deliver(outcome, resolve_format(fmt, output), output)
