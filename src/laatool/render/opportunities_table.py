"""The `opportunities` table for people: one list across areas, best use of effort first, and
the totals at the threshold and at the full share.

Imported only when a table is printed, so rich stays out of the core.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text

from laatool.render.fit import Column, Fitted, Row
from laatool.render.values import decimal_text, missed_cut_off, pounds, shown_short, visible

if TYPE_CHECKING:
    from laatool.compute.opportunities import OpportunitiesReport

LEGEND = ("Achieved: the share of the enhancement, on the final year's actual, or (projected) on the "
          "projection before it is reported; its reward then is indicative. Needed: the final-year value "
          "that earns the threshold or the full share. Ordered by the £ of the next step over the share of "
          "the enhancement it still needs.")


def _value(value: Any) -> str:
    return "" if value is None else decimal_text(value) if isinstance(value, Decimal) else str(value)


def shown_rows(report: OpportunitiesReport) -> list[dict[str, Any]]:
    """The rows with each achievement as the table and the workbook show it
    (`render.values.short_share`): never rounded up to a cut-off of its scheme it fell short of,
    so no row reads 0.6 beside a gain at a threshold of 60%."""
    return shown_short(report.rows, "achievement", [missed_cut_off(exact, report.cut_offs[row["area"]])
                                                    for row, exact in zip(report.rows, report.exact, strict=True)])


def opportunities_table(report: OpportunitiesReport) -> Group:
    document = report.to_json()
    # Narrower than it needs, the names give way first, then the sub-target goes under the target,
    # the basis under the achievement and the full share's figures under the threshold's: no figure
    # or id is ever cut.
    columns = [Column("Area"), Column("Name", kind="title", least=10, step=8), Column("Target"),
               Column("Sub-target", step=6, how="stack"), Column("Group", step=7, how="stack"),
               Column("Achieved", "right"), Column("Basis", step=5, how="stack"), Column("Reward now", "right"),
               Column("Needed for threshold", "right"), Column("Needed for full", "right", step=4, how="stack"),
               Column("Gain at threshold", "right"), Column("Gain at full", "right", step=3, how="stack")]
    rows: list[Row] = []
    for row in shown_rows(report):
        rows.append([Text(visible(row["area"])), Text(visible(row["name"] or "")), row["indicator"],
                     Text(visible(row["subtarget"] or "")), Text(visible(row["group"] or "")),
                     _value(row["achievement"]), row["basis"], pounds(row["reward"]),
                     _value(row["needed_for_threshold"]), _value(row["needed_for_full"]),
                     pounds(row["gain_at_threshold"]), pounds(row["gain_at_full"])])
    table = Fitted(columns, rows)
    within = decimal_text(report.within)
    below = sum(1 for row in document["rows"] if Decimal(row["gain_at_threshold"]) > 0)
    summary = Text(f"{len(document['rows'])} reward target(s) within {within} below the threshold or between it "
                   f"and the cap; {below} below it: {pounds(document['gain_at_threshold'])} more at the threshold, "
                   f"{pounds(document['gain_at_full'])} more at the full share", style="bold")
    parts: list[Any] = [summary, table] if document["rows"] else [summary]
    legend = LEGEND
    if report.adjustments:  # the £ are the rewards', before the adjustment the grant is paid after
        each = ", ".join(f"{visible(area)} × {decimal_text(factor)}"
                         for area, factor in sorted(report.adjustments.items()))
        legend += (f" The £ are before the scheme's adjustment, as reward-grant's rewards are; the grant moves by "
                   f"them times it ({each}).")
    return Group(*parts, Text(legend, style="dim"))
