"""The `opportunities` table for people: one list across areas, best use of effort first, and
the totals at the threshold and at the full share.

Imported only when a table is printed, so rich stays out of the core.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from laatool.render.values import decimal_text, visible

if TYPE_CHECKING:
    from laatool.compute.opportunities import OpportunitiesReport

LEGEND = ("Achieved: the share of the enhancement, on the final year's actual, or (projected) on the "
          "projection before it is reported; its reward then is indicative. Needed: the final-year value "
          "that earns the threshold or the full share. Ordered by the £ of the next step over the share of "
          "the enhancement it still needs.")


def pounds(value: str) -> str:
    return f"£{Decimal(value):,.2f}"


def _value(value: Any) -> str:
    return "" if value is None else decimal_text(value) if isinstance(value, Decimal) else str(value)


def opportunities_table(report: OpportunitiesReport) -> Group:
    document = report.to_json()
    table = Table(box=box.SIMPLE_HEAD)
    for name, justify in (("Area", "left"), ("Target", "left"), ("Basis", "left"), ("Achieved", "right"),
                          ("Reward now", "right"), ("Needed for threshold", "right"), ("Gain at threshold", "right"),
                          ("Needed for full", "right"), ("Gain at full", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in document["rows"]:
        part = ", ".join(filter(None, [row["subtarget"], row["group"] and f"group {row['group']}"]))
        target = row["indicator"] + (f" ({part})" if part else "")
        table.add_row(Text(visible(row["name"] or row["area"])), Text(visible(target)), row["basis"],
                      _value(row["achievement"]), pounds(row["reward"]), _value(row["needed_for_threshold"]),
                      pounds(row["gain_at_threshold"]), _value(row["needed_for_full"]), pounds(row["gain_at_full"]))
    within = decimal_text(report.within)
    below = sum(1 for row in document["rows"] if Decimal(row["gain_at_threshold"]) > 0)
    summary = Text(f"{len(document['rows'])} reward target(s) within {within} below the threshold or between it "
                   f"and the cap; {below} below it: {pounds(document['gain_at_threshold'])} more at the threshold, "
                   f"{pounds(document['gain_at_full'])} more at the full share", style="bold")
    parts: list[Any] = [summary, table] if document["rows"] else [summary]
    return Group(*parts, Text(LEGEND, style="dim"))
