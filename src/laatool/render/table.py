"""Table output for people: rich renderables printed to a terminal or written as plain text."""

from __future__ import annotations

import io
from typing import Any

DEFAULT_COLUMNS = 100


def render_text(report: Any, width: int | None = None) -> bytes:
    """The table as plain text (no colour), for `-o report.txt`: `width` columns, else
    `COLUMNS`, else 100."""
    from laatool.render.console import TextConsole

    buffer = io.StringIO()
    console = TextConsole(file=buffer, width=width or columns(), no_color=True, color_system=None,
                          force_terminal=False)
    printed(console, table_of(report))
    return buffer.getvalue().encode("utf-8")


def print_table(report: Any) -> None:
    """Print to stdout; rich honours NO_COLOR and drops colour when stdout is not a terminal."""
    import sys

    from laatool.render.console import TextConsole

    console = TextConsole(file=sys.stdout, width=None if sys.stdout.isatty() else columns())
    printed(console, table_of(report))


def printed(console: Any, renderable: Any) -> None:
    """Print `renderable` on `console`. Without colour (a pipe, a file) every line is laid out
    within the width already (`render.fit`), so rich is not asked to measure and crop each line
    again: that took longer than laying out a national table.

    A national table is millions of short-lived strings and lists, none in a cycle: Python's
    cycle collector, left on, would go through every object the run holds again and again
    while it is drawn (a third of the time of a national score's table)."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        console.print(renderable, crop=console.color_system is not None)
    finally:
        if collecting:
            gc.enable()


def columns() -> int:
    """The width of a table not printed to a terminal (a pipe, a file, a log): `COLUMNS`, else
    100 (DESIGN.md §11). On a terminal rich asks the terminal itself."""
    import os

    from laatool.render.console import fitted_width

    try:
        return fitted_width(int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return DEFAULT_COLUMNS


# The tables of the computed reports, by the report's type: each in its own module, imported
# only when that table is printed. The reports of render/ itself give `to_table()`.
TABLES = {
    "ScoreReport": ("laatool.render.score_table", "ScoreTable"),
    "RewardReport": ("laatool.render.reward_table", "reward_table"),
    "ProjectionReport": ("laatool.render.projection_table", "projection_table"),
    "BenchmarkReport": ("laatool.render.benchmark_table", "benchmark_table"),
    "OpportunitiesReport": ("laatool.render.opportunities_table", "opportunities_table"),
    "Template": ("laatool.render.template_table", "template_table"),
}


def table_of(report: Any) -> Any:
    """The rich renderable of a report."""
    if type(report).__name__ not in TABLES:
        return report.to_table()
    import importlib

    module, function = TABLES[type(report).__name__]
    return getattr(importlib.import_module(module), function)(report)
