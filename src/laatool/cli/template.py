"""`laatool template`: a workbook for an area's returns, to fill in and give to `validate`."""

from __future__ import annotations

from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import FormatOption, OutputOption, check_output_path, exit_codes, guarded, say, workspace_root


@app.command("template", epilog=exit_codes("template"))
@guarded
def template_command(
    ctx: typer.Context,
    area: Annotated[str, typer.Option(
        "--area", "-a", metavar="AREA",
        help="The area: its slug, its agreement's name or its ONS code, in any case (one area).",
        show_default=False)],
    period: Annotated[list[str] | None, typer.Option(
        "--period", "-p", metavar="PERIOD",
        help="A year (2010-11) or quarter (2010-11 Q2) to collect; repeat for several. "
             "Default: every year of the agreement.", show_default=False)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Write a returns template: one row per target indicator and period due, checked as typed.

    With -o FILE.xlsx the workbook (sheets returns, targets, guidance, sign-off); otherwise the
    rows in --format (csv gives a returns file to fill in). Filled in, `laatool validate` reads it.
    """
    from laatool import api
    from laatool.base.errors import ExitCode
    from laatool.render.output import emit, resolve_format

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    outcome = api.template(workspace_root(ctx), area, list(period or []), output)
    emit(outcome.report, chosen_format, output)
    for message in outcome.messages:
        say(message)
    if outcome.incomplete:  # the form is written for the rest, and a script is told it lacks targets
        raise typer.Exit(ExitCode.INVALID_INPUT)
