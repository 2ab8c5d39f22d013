"""The `project` tables for people: one per area, grouped like `score`, every money figure
marked indicative, and a summary line with the counts by status and the projected total.

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
    from laatool.compute.projection_report import ProjectionReport

KINDS = ("designated", "statutory", "local")
# The status as word and symbol, never colour alone.
STATUS_TEXT = {
    "target-met": ("★", "target met", "bold green"),
    "on-track": ("●", "on track", "green"),
    "at-risk": ("◆", "at risk", "bold dark_orange"),
    "off-track": ("▲", "off track", "bold red"),
    "insufficient-data": ("○", "insufficient data", "dim"),
    "not-due": ("–", "not due", "dim"),
}
METHOD_MARKS = {"actual": " (a)", "forecast": " (f)"}
LEGEND = (
    "Projected: the final year's actual when reported (a), its year-end forecast from the quarters "
    "reported when it is the current year (f), else the trend through the baseline, the yearly "
    "actuals and the current year's forecast (linear: least squares; last-change: the latest "
    "change continued). To date: the current year's quarters (Qn: n reported), projected to the "
    "year end. Achieved: the projected share of the planned improvement. Pace: the trend per "
    "year over the pace needed per year. (p): provisional. Target: the final year's. Indicative "
    "reward: what the projection would earn, never a grant."
)


def pounds(value: str | None) -> str:
    return "" if value is None else f"£{Decimal(value):,.2f}"


def projection_table(report: ProjectionReport) -> Group:
    """Every area's table and summary line, then the legend."""
    totals, rows = report.totals(), report.rows_of()
    names = {}
    for area, title in report.frame.select("indicator", "title").unique("indicator").iter_rows():
        names[area] = title or ""
    groups = report.group_titles
    parts: list[Any] = []
    for area in report.areas:
        mine = {group: title for (owner, group), title in groups.items() if owner == area.area}
        parts += [_area_table(area, rows[area.area], names, mine), _summary(area, totals[area.area]), Text("")]
    if not report.areas:
        parts.append(Text("No areas to project."))
    parts.append(Text(LEGEND, style="dim"))
    return Group(*parts)


def _area_table(area: Any, rows: list[dict[str, Any]], titles: dict[str, str],
                groups: dict[str, str] | None = None) -> Table:
    as_at = area.as_at or "no returns"
    table = Table(title=f"{visible(area.name)} ({area.area}): projection to the final year, as at {as_at}",
                  title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    table.add_column("Indicator", min_width=12, max_width=28, no_wrap=True, overflow="ellipsis")
    for name in ("Baseline", "Latest", "To date", "Target", "Projected", "Achieved", "Pace"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for name in ("Indicative reward", "Share"):
        table.add_column(name, justify="right", no_wrap=True)
    if not rows:
        table.add_row("(no targets with a final-year target)")
    for kind in KINDS:
        chosen = [row for row in rows if row["kind"] == kind]
        if chosen:
            table.add_section()
            table.add_row(Text(f"{kind.capitalize()} targets ({len({r['group'] or r['indicator'] for r in chosen})})",
                               style="bold"))
            group = None
            for row in chosen:
                if row["group"] is not None and row["group"] != group:  # a target group's title over its rows
                    title = (groups or {}).get(row["group"], row["group"])
                    table.add_row(Text(visible(f"{title} (group {row['group']})"), no_wrap=True, overflow="ellipsis"))
                group = row["group"]
                table.add_row(*_cells(row, titles))
    return table


def _cells(row: dict[str, Any], titles: dict[str, str]) -> list[Any]:
    name = (f"{row['indicator']} {titles.get(row['indicator'], '')}" if row["subtarget"] is None
            else f"  └ {row['indicator']} ({row['subtarget']})" if row["group"] is not None
            else f"  └ sub-target {row['subtarget']}")
    symbol, word, style = STATUS_TEXT[row["status"]]
    marks = " (p)" if row["provisional"] else ""
    to_date = "" if row["year_to_date"] is None else \
        f"{_number(row['year_to_date'])} (Q{row['forecast_basis'][10]})"
    projected = _number(row["projected_final"])
    if projected and row["method"] in METHOD_MARKS:
        projected += METHOD_MARKS[row["method"]]
    return [
        Text(visible(name), no_wrap=True, overflow="ellipsis"),
        _number(row["baseline"]), _number(row["latest"]) + marks, to_date, _number(row["target"]), projected,
        _percent(row["projected_achievement"]), _number(row["pace_ratio"]),
        Text(f"{symbol} {word}", style=style), pounds(row["projected_reward"]), pounds(row["share"]),
    ]


def _summary(area: Any, totals: dict[str, Any]) -> Text:
    text = Text(f"{visible(area.name)}: ", style="bold")
    for index, (status, count) in enumerate(totals["summary"].items()):
        symbol, word, style = STATUS_TEXT[status]
        text.append(" · " if index else "")
        text.append(f"{count} {word}", style=style)
    text.append(f"  — projected reward (indicative) {pounds(totals['projected_total'])} of a maximum "
                f"{pounds(str(area.maximum))}; {pounds(totals['at_risk'])} of shares at risk or off track. "
                f"On track from {_percent(area.on_track)} projected achievement, at risk from "
                f"{_percent(area.at_risk)}.")
    return text


def _number(value: Decimal | None) -> str:
    return "" if value is None else decimal_text(value)


def _percent(share: Decimal | None) -> str:
    return "" if share is None else f"{decimal_text(share * 100)}%"
