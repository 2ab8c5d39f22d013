"""`laatool report -o FILE.xlsx`: the board report as a workbook (DESIGN.md §11).

A `Summary` sheet, a row per area with its totals; an `Exceptions` sheet, each area's
exceptions (red in its year shown, or projected off track) with their commentary, as the
page lists them; then a sheet per area with the columns of the page's tables (theme and
commentary among them) and the key under them. The figures are
the page's, from the same `BoardArea`s (`render.board`); the layout is the one every workbook
has (`render.xlsx`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from laatool.base.money import ratio
from laatool.render.board import (
    DIRECTIONS,
    GOOD_IS,
    PROJECTION_COLOURS,
    STATUS_WORDS,
    SYMBOLS,
    BoardArea,
    BoardReport,
    Line,
)
from laatool.render.values import percent
from laatool.render.xlsx import Sheet, StandardWorkbook

# Each column's heading and kind (`render.xlsx.kind_of`): value (a figure to the places written,
# or text), money, share, status or long (wrapped text).
SUMMARY = [
    ("Area", "value"), ("Name", "value"), ("Year shown", "value"), ("As at", "value"), ("Green", "value"),
    ("Amber", "value"), ("Red", "value"), ("No data", "value"), ("Not due", "value"), ("Improving", "value"),
    ("With a direction", "value"), ("% improving", "share"), ("Projected to meet final target", "value"),
    ("Projected", "value"), ("% projected to meet", "share"), ("Maximum", "money"), ("Reward earned", "money"),
    ("Reward targets pending", "value"), ("Reward projected (indicative)", "money"),
    ("At risk (indicative)", "money"),
    # the grant is the rewards times the scheme's adjustment (final-2011 halves it): the maximum
    # and the projection on the grant's footing, beside "Reward earned", which is already on it
    ("Maximum after adjustment", "money"), ("Grant projected (indicative)", "money"),
]


def board_workbook(report: BoardReport, refused: list[dict[str, Any]] | None = None) -> bytes:
    """The workbook's bytes: the same report gives the same bytes. Its summary says which
    areas `--skip-invalid` refused."""
    from laatool.render.output import refused_line

    book = StandardWorkbook(report.title)
    headings = [heading for heading, _ in SUMMARY]
    rows = [dict(zip(headings, _summary_row(a), strict=True)) for a in report.areas]
    summed = tuple(h for h, kind in SUMMARY[4:] if kind != "share") if len(rows) > 1 else ()
    book.add(Sheet("Summary", [report.title, " ".join(filter(None, [
                       f"{len(report.areas)} area(s).", report.built_by(), report.no_quartiles,
                       "Projected money is indicative."]))],
                   rows, headings, totals=summed, kinds=dict(SUMMARY), frozen=1,
                   alert=refused_line(refused) if refused else ""))
    book.add(_exceptions_sheet(report))
    for area in report.areas:
        columns, lines = _area_sheet(area)
        headings = [heading for heading, _, _ in columns]
        book.add(Sheet(area.area, [area.title, _subtitle(area)],
                       [dict(zip(headings, line, strict=True)) for line in lines], headings,
                       kinds={heading: kind for heading, kind, _ in columns},
                       widths={heading: width for heading, _, width in columns if width}, notes=_key(area),
                       frozen=1))
    return book.bytes()


def _summary_row(a: BoardArea) -> list[Any]:
    s = a.summary
    return [a.area, a.name, a.period, a.as_at, *(s.counts[status] for status in SYMBOLS),
            s.improving, s.with_direction, _share(s.improving, s.with_direction),
            s.meeting, s.projected, _share(s.meeting, s.projected), s.maximum, s.earned, s.pending,
            s.projected_total, s.at_risk, s.maximum_adjusted, s.projected_grant]


def _share(part: int, whole: int) -> Any:
    return ratio(Fraction(part, whole)) if whole else None


def _subtitle(a: BoardArea) -> str:
    as_at = f"; projected from the returns known as at {a.as_at}" if a.as_at else ""
    return f"Targets in {a.period}; the agreement's final year is {a.final_period}{as_at}."


# The columns of the exceptions sheet (heading, kind, width or 0 to fit), as the page's lists.
EXCEPTIONS = [("Area", "value", 0), ("Name", "value", 0), ("Year shown", "value", 0), ("Ref", "value", 0),
              ("Title", "long", 40), ("Theme", "value", 0), ("Status", "status", 0), ("Projection", "status", 0),
              ("Lead", "value", 0), ("Commentary", "long", 50), ("Commentary period", "value", 0)]


def _exceptions_sheet(report: BoardReport) -> Sheet:
    """Every area's exceptions, area by area in the tables' order; a note when there are none."""
    headings = [heading for heading, _, _ in EXCEPTIONS]
    rows = [dict(zip(headings, [a.area, a.name, a.period, line.ref, line.title, line.theme, *_statuses(line),
                                line.lead, line.commentary, line.commentary_period], strict=True))
            for a in report.areas for line in a.exceptions]
    none = [] if rows else ["None: no target is red in its area's year shown or projected off track."]
    return Sheet("Exceptions", ["Exceptions: red in the year shown, or projected off track",
                                "Each area's, with the commentary of its latest return, as the page lists them."],
                 rows, headings, kinds={heading: kind for heading, kind, _ in EXCEPTIONS},
                 widths={heading: width for heading, _, width in EXCEPTIONS if width}, notes=none, frozen=1)


def _statuses(line: Line) -> tuple[tuple[str, str | None], tuple[str, str] | None]:
    """The status and projection cells of a line: symbol and word, filled by the colour."""
    status = (f"{SYMBOLS[line.status]} {STATUS_WORDS[line.status]}", line.status) if line.status else \
        ("no target", None)
    projection = None
    if line.projection_status:
        colour = PROJECTION_COLOURS[line.projection_status]
        projection = (f"{SYMBOLS[colour]} {line.projection_status}", colour)
    return status, projection


def _area_sheet(a: BoardArea) -> tuple[list[tuple[str, str, int]], list[list[Any]]]:
    """The columns (heading, kind, width or 0 to fit) and the rows of an area's sheet."""
    columns = [
        ("Ref", "value", 0), ("Title", "long", 40), ("Theme", "value", 0), ("Kind", "value", 0),
        ("Reward", "value", 0), ("Good is", "value", 0), ("Baseline", "value", 0), ("Baseline period", "value", 0),
        (f"Target {a.period}", "value", 0), (f"Actual {a.period}", "value", 0), ("Provisional", "value", 0),
        ("Status", "status", 0), ("Direction", "value", 0), ("Final target", "value", 0),
        ("Final period", "value", 0), ("Projected final", "value", 0), ("Projection", "status", 0),
        ("CI lower", "value", 0), ("CI upper", "value", 0), ("Target test", "status", 0),
    ]
    if a.benchmarked:
        columns.append(("Quartile", "value", 0))
    columns += [("Lead", "value", 0), ("Commentary", "long", 50), ("Commentary period", "value", 0)]
    rows = []
    for line in a.ordered:  # as the page's tables: by theme, the targets without one last
        direction = None if line.direction == "n/a" else f"{DIRECTIONS[line.direction]} {line.direction}"
        status, projection = _statuses(line)
        row: list[Any] = [line.ref, line.title, line.theme, line.kind, line.reward, GOOD_IS.get(line.polarity) or None,
               line.baseline, line.baseline_period, line.target, line.actual, line.provisional, status,
               direction, line.final_target, line.final_period,
               line.projected_final, projection, line.ci_lower, line.ci_upper,
               None if line.target_test in (None, "n/a") else line.target_test]
        if a.benchmarked:
            row.append(line.quartile)
        row += [line.lead, line.commentary, line.commentary_period]
        rows.append(row)
    return columns, rows


def _key(a: BoardArea) -> list[str]:
    k = a.key
    return [
        f"Key. Status in {a.period}: ● Green target met; ◆ Amber achievement at least {percent(k.amber)} of the "
        f"planned improvement (rag.amber); ▲ Red below; ○ No data no return; – Not due {k.not_due(a.period)}.",
        f"Projection ({k.method}, to {a.final_period}): on track at projected achievement ≥ {percent(k.on_track)}, "
        f"at risk ≥ {percent(k.at_risk)}, off track below; reward threshold {percent(k.threshold)} ({k.scheme}).",
        f"Intervals at {percent(k.ci_level)} confidence unless supplied with the return. Projected money is "
        "indicative.",
    ]
