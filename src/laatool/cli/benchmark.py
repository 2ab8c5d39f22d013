"""`laatool benchmark`: areas compared on each indicator and year (DESIGN.md §10)."""

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


@app.command("benchmark", epilog=exit_codes("benchmark"))
@guarded
def benchmark_command(
    ctx: typer.Context,
    indicator: Annotated[list[str] | None, typer.Option(
        "--indicator", "-i", metavar="ID", help="Indicator to compare (repeat for several); default every "
        "indicator with a value.", show_default=False)] = None,
    area: Annotated[list[str] | None, typer.Option(
        "--area", "-a", metavar="AREA", help="List only this area (repeat for several); ranks and bands are "
        "always over every area with a value.", show_default=False)] = None,
    period: Annotated[str | None, typer.Option(
        "--period", "-p", metavar="PERIOD", help="Only this year (2009-10, 2009/10); default every year.",
        show_default=False)] = None,
    neighbours: Annotated[str | None, typer.Option(
        "--neighbours", metavar="GROUP", help="Rank each area among its neighbours in neighbours/GROUP.yaml, "
        "beside the neighbours' median.", show_default=False)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Compare areas on each indicator and year: rank (1 = best by polarity; ties share the best
    rank), quartile and quintile (1 = best; 1 = lowest for a neutral indicator) with the bounds
    used, England against the area's interval, and neighbours. The workspace's returns and those
    of comparators/ are compared; the pseudo-area england is the comparison, never ranked. An area
    without a value is listed as missing, never imputed."""
    from laatool import api
    from laatool.render.output import resolve_format

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    outcome = api.benchmark(workspace_root(ctx), indicator, area, period, neighbours, output)
    deliver(outcome, chosen_format, output)
