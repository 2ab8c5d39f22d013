"""`laatool report -o FILE.html`: the board report as one self-contained page (DESIGN.md §11).

The page is a jinja2 template shipped with laatool (`render/templates/board.html.j2`, its
styles in `board.css`, both inlined), the charts matplotlib's SVG (`render.board_chart`). No
script, no external asset, no timestamp: the same inputs give the same bytes. jinja2 and
matplotlib are imported here, when a page is made, never by another command.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from laatool.render.board import (
    DIRECTIONS,
    GOOD_IS,
    PROJECTION_COLOURS,
    STATUS_WORDS,
    SYMBOLS,
    BoardReport,
)
from laatool.render.values import decimal_text, page_text, percent, pounds


def render_html(report: BoardReport, refused: list[dict[str, Any]] | None = None) -> bytes:
    """The page, as UTF-8 bytes; it says which areas `--skip-invalid` refused."""
    import jinja2
    from markupsafe import Markup

    from laatool.render.board_chart import draw_all
    from laatool.render.output import refused_line

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("laatool.render", "templates"),
        autoescape=True, finalize=page_text, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True)
    # the charts in the tables' order (`BoardArea.ordered`), as the template lists them
    drawn = draw_all([[line.chart for line in a.ordered if line.chart is not None] for a in report.areas])
    charts = {}
    for a, svgs in zip(report.areas, drawn, strict=True):
        named = [f"{a.area}|{index}" for index, line in enumerate(a.ordered) if line.chart is not None]
        charts.update({name: Markup(svg) for name, svg in zip(named, svgs, strict=True)})
    built_by = Markup(report.built_by(lambda name: f"<code>{name}</code>"))  # command names: no markup of input
    page = environment.get_template("board.html.j2").render(
        report=report, refused=refused_line(refused) if refused else None, charts=charts, symbols=SYMBOLS,
        words=STATUS_WORDS, arrows=DIRECTIONS, projection_colours=PROJECTION_COLOURS, good_is=GOOD_IS, number=number,
        pounds=pounds, percent=percent, share=share, built_by=built_by)
    return page.encode("utf-8")


def number(value: Any) -> str:
    """A figure as its JSON writes it (exact, no exponent); blank for none."""
    if value is None:
        return ""
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


def share(part: int, whole: int) -> str:
    """`part` of `whole` as a whole percentage, half up; a dash when there is no whole."""
    if not whole:
        return "—"
    return f"{(200 * part + whole) // (2 * whole)}%"
