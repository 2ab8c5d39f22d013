"""`laatool report -o FILE.xlsx`: the board report as a workbook (DESIGN.md §11).

A `Summary` sheet, a row per area with its totals, then a sheet per area with the columns of
the page's tables (theme and commentary among them) and the key under them. The figures are
the page's, from the same `BoardArea`s (`render.board`); the layout is `render.xlsx_book`'s.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from laatool.base.money import ratio
from laatool.render.board import GOOD_IS, PROJECTION_COLOURS, STATUS_WORDS, SYMBOLS, BoardArea, BoardReport, percent
from laatool.render.xlsx_book import Book, Column

SUMMARY = [
    Column("Area"), Column("Name"), Column("Year shown"), Column("As at"),
    Column("Green", "whole"), Column("Amber", "whole"), Column("Red", "whole"), Column("No data", "whole"),
    Column("Improving", "whole"), Column("With a direction", "whole"), Column("% improving", "share"),
    Column("Projected to meet final target", "whole"), Column("Projected", "whole"),
    Column("% projected to meet", "share"), Column("Maximum", "money"), Column("Reward earned", "money"),
    Column("Reward targets pending", "whole"), Column("Reward projected (indicative)", "money"),
    Column("At risk (indicative)", "money"),
]


def board_workbook(report: BoardReport) -> bytes:
    """The workbook's bytes: the same report gives the same bytes."""
    book = Book(report.title)
    rows = [_summary_row(a) for a in report.areas]
    totals: list[Any] = ["Total", None, None, None]
    for index in range(4, len(SUMMARY)):
        column = SUMMARY[index]
        if column.kind == "share":
            totals.append(None)
        else:
            values = [row[index] for row in rows]
            totals.append(_sum(values, column.kind == "money"))
    book.sheet("Summary", [report.title, f"{len(report.areas)} area(s); built by laatool report from score, "
                           "reward-grant, project and benchmark. Projected money is indicative."],
               SUMMARY, rows, totals if len(rows) > 1 else None)
    for area in report.areas:
        columns, lines = _area_sheet(area)
        book.sheet(area.area, [area.title, _subtitle(area)], columns, lines, notes=_key(area))
    return book.bytes()


def _summary_row(a: BoardArea) -> list[Any]:
    s = a.summary
    return [a.area, a.name, a.period, a.as_at, s.counts["green"], s.counts["amber"], s.counts["red"],
            s.counts["no-data"], s.improving, s.with_direction, _share(s.improving, s.with_direction),
            s.meeting, s.projected, _share(s.meeting, s.projected), s.maximum, s.earned, s.pending,
            s.projected_total, s.at_risk]


def _share(part: int, whole: int) -> Any:
    return ratio(Fraction(part, whole)) if whole else None


def _sum(values: list[Any], money: bool) -> Any:
    from decimal import Decimal

    from laatool.base.money import money_sum

    if money:
        return str(money_sum(Decimal(v) for v in values if v is not None))
    return sum(v for v in values if v is not None)


def _subtitle(a: BoardArea) -> str:
    as_at = f"; projected from the returns known as at {a.as_at}" if a.as_at else ""
    return f"Targets in {a.period}; the agreement's final year is {a.final_period}{as_at}."


def _area_sheet(a: BoardArea) -> tuple[list[Column], list[list[Any]]]:
    columns = [
        Column("Ref"), Column("Title", "long", 40), Column("Theme"), Column("Kind"), Column("Reward"),
        Column("Good is"), Column("Baseline", "number"), Column("Baseline period"),
        Column(f"Target {a.period}", "number"), Column(f"Actual {a.period}", "number"), Column("Provisional"),
        Column("Status", "status"), Column("Direction"), Column("Final target", "number"), Column("Final period"),
        Column("Projected final", "number"), Column("Projection", "status"), Column("CI lower", "number"),
        Column("CI upper", "number"), Column("Target test"),
    ]
    if a.benchmarked:
        columns.append(Column("Quartile", "whole"))
    columns += [Column("Lead"), Column("Commentary", "long", 50), Column("Commentary period")]
    rows = []
    for line in a.lines:
        status = (f"{SYMBOLS[line.status]} {STATUS_WORDS[line.status]}", line.status) if line.status else \
            ("no target", None)
        projection = None
        if line.projection_status:
            colour = PROJECTION_COLOURS[line.projection_status]
            projection = (f"{SYMBOLS[colour]} {line.projection_status}", colour)
        row: list[Any] = [line.ref, line.title, line.theme, line.kind, line.reward, GOOD_IS.get(line.polarity) or None,
               line.baseline, line.baseline_period, line.target, line.actual, line.provisional, status,
               None if line.direction == "n/a" else line.direction, line.final_target, line.final_period,
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
        "planned improvement (rag.amber); ▲ Red below; ○ No data no return.",
        f"Projection ({k.method}, to {a.final_period}): on track at projected achievement ≥ {percent(k.on_track)}, "
        f"at risk ≥ {percent(k.at_risk)}, off track below; reward threshold {percent(k.threshold)} ({k.scheme}).",
        f"Intervals at {percent(k.ci_level)} confidence. Projected money is indicative.",
    ]
