"""`laatool score`: progress against every agreed target, with the rule behind each status."""

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
    workspace_root,
)


@app.command("score")
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
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Score each target against its returns: achievement, RAG status and direction of travel."""
    from laatool.output import emit, resolve_format
    from laatool.workspace import input_files, load_workspace, select_areas

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    workspace = load_workspace(workspace_root(ctx))
    refuse_output_over_inputs(output, lambda: input_files(workspace))
    from laatool.scoring import period_year, score  # after loading: see `laatool.workspace`

    areas = select_areas(workspace, area)
    period_year(workspace, areas, period)  # a bad --period is a usage error before any refusal
    refuse_invalid_inputs(workspace, areas)
    emit(score(workspace, areas, period), chosen_format, output)
