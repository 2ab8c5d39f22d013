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
    refuse_invalid_inputs,
    refuse_output_over_inputs,
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
    from laatool.output import emit, resolve_format
    from laatool.workspace import input_files, load_workspace, select_areas

    check_output_path(output)
    workspace = load_workspace(workspace_root(ctx))
    refuse_output_over_inputs(output, lambda: input_files(workspace))
    from laatool.reward import choose_schemes, grant  # after loading: see `laatool.workspace`

    chosen = select_areas(workspace, areas)
    if scheme is not None:
        choose_schemes(workspace, [], scheme)  # an unknown --scheme is a usage error, first
    refuse_invalid_inputs(workspace, chosen)
    report = grant(workspace, chosen, scheme)
    for warning in report.warnings:
        say(f"laatool: warning: {warning}")
    emit(report, resolve_format(fmt, output), output)
