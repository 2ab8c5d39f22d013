"""Table output for people: rich renderables printed to a terminal or written as plain text."""

from __future__ import annotations

import io
from typing import Any


def render_text(report: Any, width: int = 160) -> bytes:
    """The table as plain text (no colour), for `-o report.txt`."""
    from laatool.render.console import TextConsole

    buffer = io.StringIO()
    console = TextConsole(file=buffer, width=width, no_color=True, color_system=None, force_terminal=False)
    console.print(report.to_table())
    return buffer.getvalue().encode("utf-8")


def print_table(report: Any) -> None:
    """Print to stdout; rich honours NO_COLOR and drops colour when stdout is not a terminal."""
    import sys

    from laatool.render.console import TextConsole

    console = TextConsole(file=sys.stdout, width=None if sys.stdout.isatty() else 160)
    console.print(report.to_table())
