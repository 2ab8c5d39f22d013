"""`laatool reward-grant`: Performance Reward Grant for every area, to the penny."""

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


@app.command("reward-grant", epilog=exit_codes("reward-grant"))
@guarded
def reward_grant_command(
    ctx: typer.Context,
    areas: AreaOption = None,
    scheme: Annotated[str | None, typer.Option(
        "--scheme", metavar="NAME", help="Use this reward scheme for every area (default: each agreement's "
        "reward.scheme, else default_scheme).", show_default=False)] = None,
    skip_invalid: SkipInvalidOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Performance Reward Grant: each reward target's share, achievement and reward, each area's
    total split into revenue and capital and into instalments, and the national total."""
    from laatool import api
    from laatool.render.output import resolve_format

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    outcome = api.reward_grant(workspace_root(ctx), areas, scheme, output, skip_invalid)
    deliver(outcome, chosen_format, output)
