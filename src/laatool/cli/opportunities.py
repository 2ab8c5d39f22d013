"""`laatool opportunities`: the reward within reach, across areas (DESIGN.md §10)."""

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


@app.command("opportunities", epilog=exit_codes("opportunities"))
@guarded
def opportunities_command(
    ctx: typer.Context,
    area: AreaOption = None,
    within: Annotated[str, typer.Option(
        "--within", metavar="SHARE", help="How far below the threshold a target may be, as a share of its "
        "enhancement (0.10: ten points of achievement).")] = "0.10",
    skip_invalid: SkipInvalidOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """The reward targets whose achievement is within --within below the threshold, or at or above
    it and below the cap: the value needed and the £ gained at the threshold and at the full share,
    best use of effort first (the £ of the next step per share of the enhancement it still needs).
    Before the final year is reported a target is judged on its projection (basis projected)."""
    from laatool import api
    from laatool.render.output import resolve_format

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    outcome = api.opportunities(workspace_root(ctx), area, within, output, skip_invalid)
    deliver(outcome, chosen_format, output)
