"""The `project` tables for people: one per area, grouped like `score`, every money figure
marked indicative, and a summary line with the counts by status and the projected total.

Imported only when a table is printed, so rich stays out of the core.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text

from laatool.render.fit import Column, Fitted, Key, Label, Row
from laatool.render.score_table import group_line, names_its_target
from laatool.render.values import decimal_text, percent, pounds, visible

if TYPE_CHECKING:
    from laatool.compute.projection_report import ProjectionReport

KINDS = ("designated", "statutory", "local")
# The status as word and symbol, never colour alone.
STATUS_TEXT = {
    "target-met": ("★", "target met", "bold green"),
    "on-track": ("●", "on track", "green"),
    "at-risk": ("◆", "at risk", "bold yellow"),
    "off-track": ("▲", "off track", "bold red"),
    "insufficient-data": ("○", "insufficient data", "dim"),
    "not-due": ("–", "not due", "dim"),
}
METHOD_MARKS = {"actual": " (a)", "forecast": " (f)"}
# The key: each sentence with the column it explains, given only when a table shows that
# column (`render.fit.Key`); None: the table as a whole.
LEGEND = [
    ("Projected", "Projected: the final year's actual when reported (a), its year-end forecast from the quarters "
                  "reported when it is the current year (f), else the trend through the baseline, the yearly "
                  "actuals and the current year's forecast (linear: least squares; last-change: the latest "
                  "change continued)."),
    ("To date", "To date: the current year's quarters (n/4: n of the 4 reported), projected to the year end."),
    ("Achieved", "Achieved: the projected share of the planned improvement."),
    ("Pace", "Pace: the trend per year over the pace needed per year."),
    (None, "(p) beside a target: a value it is worked from is provisional."),
    ("Target", "Target: the final year's."),
    ("Indicative reward", "Indicative reward: what the projection would earn, never a grant."),
]


def projection_table(report: ProjectionReport) -> Group:
    """Every area's table and summary line, then the legend."""
    totals, rows = report.totals(), report.rows_of()
    names = {}
    for area, title in report.frame.select("indicator", "title").unique("indicator").iter_rows():
        names[area] = title or ""
    groups = report.group_titles
    parts: list[Any] = []
    tables = []
    for area in report.areas:
        mine = {group: title for (owner, group), title in groups.items() if owner == area.area}
        tables.append(_area_table(area, rows[area.area], names, mine))
        parts += [tables[-1], _summary(area, totals[area.area]), Text("")]
    if not report.areas:
        parts.append(Text("No areas to project."))
    parts.append(Key(tables, LEGEND))
    return Group(*parts)


def _area_table(area: Any, rows: list[dict[str, Any]], titles: dict[str, str],
                groups: dict[str, str] | None = None) -> Fitted:
    """The area's rows by kind. Narrower than it needs, the title is shortened first; then the
    pace and the baseline give way, the year to date goes under the latest, the title becomes a
    line above its row, the share goes under the indicative reward, the projection under the
    target and the status under the achievement. No figure is ever cut."""
    as_at = area.as_at or "no returns"
    columns = [Column("Ref"), Column("Title", kind="title", least=12, step=6, how="line"),
               Column("Baseline", "right", step=8), Column("Latest", "right"),
               Column("To date", "right", step=7, how="stack"), Column("Target", "right"),
               Column("Projected", "right", step=4, how="stack"), Column("Achieved", "right"),
               Column("Pace", "right", step=9), Column("Status", step=3, how="stack"),
               Column("Indicative reward", "right"), Column("Share", "right", step=5, how="stack")]
    cut_offs = short_of(area)
    lines: list[Row] = []
    if not rows:
        lines.append(Label("(no targets with a final-year target)"))
    for kind in KINDS:
        chosen = [row for row in rows if row["kind"] == kind]
        if chosen:
            lines.append(Label(f"{kind.capitalize()} targets ({len({r['group'] or r['indicator'] for r in chosen})})"))
            group = parent = None
            for row in chosen:
                if row["group"] is not None and row["group"] != group:  # a target group's title over its rows
                    lines.append(Label(group_line(row["group"], (groups or {}).get(row["group"])), style="",
                                       space=False))
                group = row["group"]
                if names_its_target(row, parent):
                    lines.append([row["indicator"], Text(visible(titles.get(row["indicator"], "")))])
                parent = row["indicator"] if group is None else None
                lines.append(_cells(row, titles, cut_offs))
    return Fitted(columns, lines, title=visible(f"{area.name} ({area.area}): projection to the final year, as at "
                                                f"{as_at}"), title_style="bold")


def _cells(row: dict[str, Any], titles: dict[str, str], short_of: dict[str, Decimal | None]) -> list[Any]:
    ref, title = ((row["indicator"], titles.get(row["indicator"], "")) if row["subtarget"] is None
                  else (f"└ {row['indicator']}\n  {row['subtarget']}", titles.get(row["indicator"], ""))
                  if row["group"] is not None else (f"└ {row['subtarget']}", ""))
    symbol, word, style = STATUS_TEXT[row["status"]]
    if row["provisional"]:  # a value it is worked from, not always the latest shown: the row is marked
        ref += " (p)"
    to_date = "" if row["year_to_date"] is None else \
        f"{_number(row['year_to_date'])} ({row['forecast_basis'].removeprefix('quarters (')[0]}/4)"
    projected = _number(row["projected_final"])
    if projected and row["method"] in METHOD_MARKS:
        projected += METHOD_MARKS[row["method"]]
    return [
        ref, Text(visible(title)),
        _number(row["baseline"]), _number(row["latest"]), to_date, _number(row["target"]), projected,
        percent(row["projected_achievement"], short_of.get(row["status"])), _number(row["pace_ratio"]),
        Text(f"{symbol} {word}", style=style), pounds(row["projected_reward"]), pounds(row["share"]),
    ]


def _summary(area: Any, totals: dict[str, Any]) -> Text:
    text = Text(f"{visible(area.name)}: ", style="bold")
    for index, (status, count) in enumerate(totals["summary"].items()):
        symbol, word, style = STATUS_TEXT[status]
        text.append(" · " if index else "")
        text.append(f"{count} {word}", style=style)
    text.append(f"  — projected reward (indicative) {pounds(totals['projected_total'])} of a maximum "
                f"{pounds(str(area.maximum))}{adjustment_note(area, totals['projected_total'])}; "
                f"{pounds(totals['at_risk'])} of shares at risk or off track. "
                f"On track from {percent(area.on_track)} projected achievement, at risk from "
                f"{percent(area.at_risk)}.")
    return text


def adjustment_note(area: Any, projected_total: str) -> str:
    """What the area's scheme makes of the projected reward, when it adjusts it: the money of
    `project` is the rewards', as reward-grant's are, and the grant is paid after the scheme's
    adjustment (final-2011 halves it), so a board does not read twice the grant."""
    from laatool.compute.reward import after_adjustment

    scheme = area.scheme
    if scheme is None or scheme.adjustment == 1:
        return ""
    grant = after_adjustment(Decimal(projected_total), scheme)
    return (f" (before the scheme's adjustment × {decimal_text(scheme.adjustment)}: a grant of "
            f"{pounds(str(grant))})")


def _number(value: Decimal | None) -> str:
    return "" if value is None else decimal_text(value)


def short_of(area: Any) -> dict[str, Decimal | None]:
    """The cut-off each status says an area's exact projected achievement did not reach."""
    return {"off-track": area.at_risk, "at-risk": area.on_track}
