"""The rich console every table and every message for people is printed with.

Whatever a table or a message holds may come from input (an agreement's name, an indicator's
title, a cell, a file name), so every string is shown as the text it is: never read as rich
markup (`[link=...]` stays those characters) or emoji codes, and with its control characters
written as escapes (`render.values.visible`), so no input moves the cursor, recolours the
terminal or opens a link. Line breaks that laatool puts between lines of its own stay.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console

from laatool.render.values import visible

MOST_NARROW = 40  # below this no table is readable: a COLUMNS of 5 is taken as 40
# beyond this no line is read either: a COLUMNS of 2,147,483,648 is taken as 1,000 (every line
# of a table was laid out that wide, gigabytes for the examples' scores)
MOST_WIDE = 1000


def fitted_width(width: int) -> int:
    """`width` held between MOST_NARROW and MOST_WIDE."""
    return min(max(width, MOST_NARROW), MOST_WIDE)


class TextConsole(Console):
    """A rich Console that shows every string as plain text, MOST_NARROW to MOST_WIDE wide."""

    def __init__(self, **options: Any) -> None:
        super().__init__(markup=False, emoji=False, **options)
        # On a terminal too: `COLUMNS=0` there printed nothing at all (every message and table
        # laid out in no width, exit codes alone), and a 10-column window cut money across
        # lines. A narrower terminal wraps the lines itself, and nothing is cut.
        self.width = fitted_width(self.width)

    def on_broken_pipe(self) -> None:
        """A reader done early (`| head`): the rest is let go and the run ends with its own exit
        code (rich's own way ends it with 1, "invalid input" by DESIGN.md §7)."""
        raise BrokenPipeError  # `render.output.to_stdout` lets the rest go

    def render_str(self, text: str, **options: Any) -> Any:
        options.update(markup=False, emoji=False)
        return super().render_str("\n".join(map(visible, text.split("\n"))), **options)
