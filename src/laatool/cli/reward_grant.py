"""`laatool reward-grant`: Performance Reward Grant for every area, to the penny."""

from __future__ import annotations

from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import (
    AreaOption,
    FormatOption,
    OutputOption,
    check_output_path,
    guarded,
    say,
    workspace_root,
)


@app.command("reward-grant")
@guarded
def reward_grant_command(
    ctx: typer.Context,
    areas: AreaOption = None,
    scheme: Annotated[str | None, typer.Option(
        "--scheme", metavar="NAME", help="Use this reward scheme for every area (default: each agreement's "
        "reward.scheme, else default_scheme).", show_default=False)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Performance Reward Grant: each reward target's share, achievement and reward, each area's
    total split into revenue and capital and into instalments, and the national total."""
    from laatool import api
    from laatool.render.output import emit, resolve_format

    check_output_path(output)
    outcome = api.reward_grant(workspace_root(ctx), areas, scheme, output)
    for message in outcome.messages:
        say(message)
    emit(outcome.report, resolve_format(fmt, output), output)
