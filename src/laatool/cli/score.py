"""`laatool score`: progress against every agreed target, with the rule behind each status."""

from __future__ import annotations

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


@app.command("score", epilog=exit_codes("score"))
@guarded
def score_command(
    ctx: typer.Context,
    area: AreaOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            metavar="PERIOD",
            help="Only this agreement year (2009-10, 2009/10, 2009-2010).",
            show_default=False,
        ),
    ] = None,
    skip_invalid: SkipInvalidOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Score each target against its returns: achievement, RAG status and direction of travel.

    Survey and rate values also get their confidence interval, whether the target is met or
    missed with confidence, and whether the change since the previous value is significant
    (`significance` in laatool.yaml sets the level and the test)."""
    from laatool import api
    from laatool.render.output import resolve_format

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    outcome = api.score(workspace_root(ctx), area, period, output, skip_invalid)
    deliver(outcome, chosen_format, output)
