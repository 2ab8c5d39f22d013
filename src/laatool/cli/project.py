"""`laatool project`: where each target will end up, and what it will earn (indicative)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import (
    AreaOption,
    FormatOption,
    OutputOption,
    SkipInvalidOption,
    check_output_path,
    deliver,
    exit_codes,
    guarded,
    workspace_root,
)


class Method(StrEnum):
    linear = "linear"
    last_change = "last-change"


@app.command("project", epilog=exit_codes("project"))
@guarded
def project_command(
    ctx: typer.Context,
    area: AreaOption = None,
    method: Annotated[Method, typer.Option(
        "--method", "-m", help="linear: least squares through the points (default); last-change: the latest "
        "change per year, continued.", case_sensitive=False)] = Method.linear,
    as_at: Annotated[str | None, typer.Option(
        "--as-at", metavar="PERIOD", help="Use only the returns known at the end of this period (2010-11 Q2, "
        "2009-10, 2009); default: each area's latest period reported.", show_default=False)] = None,
    skip_invalid: SkipInvalidOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Project each target with a final-year target to the final year: year-to-date and year-end
    forecast, the projected value and achievement, on-track / at-risk / off-track, and for reward
    targets the indicative projected reward."""
    from laatool import api
    from laatool.render.output import resolve_format

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    outcome = api.project(workspace_root(ctx), area, method.value, as_at, output, skip_invalid)
    deliver(outcome, chosen_format, output)
