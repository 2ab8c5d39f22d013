"""The `score` table for people: one table per area, grouped by kind, ready for a board report.

Imported only when a table is printed, so rich stays out of the scoring core.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Group
from rich.text import Text

from laatool.render.fit import SECTION, Column, Fitted, Key, Label, Row
from laatool.render.values import decimal_text, percent, visible

KINDS = ("designated", "statutory", "local")
STATUS_STYLE = {
    "green": "bold green",
    "amber": "bold yellow",  # ANSI yellow on every terminal: `dark_orange` came out bright red (91)
    "red": "bold red",
    "no-data": "dim",
}
STATUS_TEXT = {"green": "GREEN", "amber": "AMBER", "red": "RED", "no-data": "no data"}
# A no-data row by rule `not-due` (a survey in a year it is not collected, DESIGN.md §9) says so
# in its status: a narrow table leaves out the rule, and "no data" reads as a return missing.
NOT_DUE = "not due"
ARROWS = {
    "improving": "↑ improving",
    "worsening": "↓ worsening",
    "unchanged": "→ unchanged",
    "n/a": "",
}
TESTS = {
    "met-with-confidence": "met, sure",
    "met-not-significant": "met, unsure",
    "missed-not-significant": "missed, unsure",
    "missed-with-confidence": "missed, sure",
    "n/a": "",
}
# Under 140 columns the test is one word (under the status when narrow), which already says met or missed.
SURE = {"met-with-confidence": "sure", "met-not-significant": "unsure",
        "missed-not-significant": "unsure", "missed-with-confidence": "sure", "n/a": ""}
NOT_SIGNIFICANT = " ~"
UNTESTED = " ?"  # a value with an interval whose change could not be tested: the earlier one has none
# The key: each sentence with the column it explains (None: the table as a whole), given only
# when a table shows that column (`render.fit.Key`).
LEGEND = [
    ("Polarity", "Polarity: which way is better."),
    ("Achieved", "Achieved: share of the planned improvement from baseline to target."),
    (None, "(p): provisional."),
    ("Travel", "Travel (↑ improving, ↓ worsening, → unchanged): against the previous year's actual, else the "
               "baseline, at the indicator's published precision."),
]


class ScoreTable:
    """Every area's table, its summary line under it, and a legend at the end.

    Under 140 columns the direction of travel is shown by its arrow alone, so a 120-column
    terminal still shows every column; narrower, the table gives way as `_area_table` says."""

    def __init__(self, report: Any) -> None:
        self.report = report

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield score_table(self.report, words=options.max_width >= 140)


def score_table(report: Any, words: bool = True) -> Group:
    """The report as rich renderables; `words` adds the word beside each travel arrow."""
    parts: list[Any] = []
    tables = []
    for area in report.areas:
        tables.append(_area_table(area, report.labels, words, _with_intervals(report), report))
        parts += [tables[-1], _summary(area), Text("")]
    if not report.areas:
        parts.append(Text("No areas to score."))
    legend = [*LEGEND, (None, f"Amber from {percent(report.amber)} achieved.")]
    if _with_intervals(report):
        level = percent(report.significance.level)
        legend += [
            (f"{level} CI", f"{level} CI: the confidence interval of a survey or rate value ({level} unless "
                            "supplied with the return), under the actual in a narrow table."),
            ("Test", "Test (under the status in a narrow table): the target met or missed with confidence "
                     "(the whole interval on one side of it: sure) or not (unsure)."),
            ("Travel", "~ after the travel: the change is not statistically significant; ? after it: not "
                       "tested, the value it is measured from having no interval."),
        ]
    parts.append(Key(tables, legend))
    return Group(*parts)


def _with_intervals(report: Any) -> bool:
    return any(row["ci_method"] is not None for area in report.areas for row in area.rows)


def _area_table(
    area: Any, labels: dict[str, tuple[str, str]], words: bool, intervals: bool = False, report: Any = None
) -> Fitted:
    """The area's rows by kind. Narrower than it needs, the title is shortened first, then the
    rule, the polarity and the travel give way; the interval and the test go under the actual
    and the status. The ref, the period and every figure are never cut."""
    columns = [Column("Ref"), Column("Title", kind="title", least=16, step=1, how="line"), Column("Polarity", step=3),
               Column("Period"), Column("Baseline", "right"), Column("Target", "right"), Column("Actual", "right")]
    if intervals:
        level = percent(report.significance.level)
        columns.append(Column(f"{level} CI", "right", step=6, how="stack"))
    columns += [Column("Achieved", "right"), Column("Status")]
    if intervals:
        columns.append(Column("Test", step=5, how="stack"))
    columns += [Column("Rule", step=4), Column("Travel", step=2)]
    rows: list[Row] = []
    if not area.rows:
        rows.append(Label("(no targets)"))
    groups = {group: title for (owner, group), title in getattr(report, "group_titles", {}).items()
              if owner == area.area}
    for kind in KINDS:
        chosen = [row for row in area.rows if row["kind"] == kind]
        if chosen:
            rows += [SECTION, Label(f"{kind.capitalize()} targets ({_count_targets(chosen)})")]
            rows += _rows(chosen, labels, words, intervals, groups, report.amber)
    return Fitted(columns, rows, title=visible(f"{area.name} ({area.area}): Local Area Agreement targets"),
                  title_style="bold")


def _rows(rows: list[dict[str, Any]], labels: dict[str, tuple[str, str]], words: bool,
          intervals: bool = False, groups: dict[str, str] | None = None, amber: Decimal = Decimal(0)) -> list[Row]:
    """One line per period; a (sub-)target is named on its first line only, as in a report. A
    target group's sub-targets sit under a line naming the group, each named by its indicator
    with its own id under it."""
    lines: list[Row] = []
    previous = group = parent = None
    for row in rows:
        title, polarity = labels.get(row["indicator"], ("", ""))
        first = (row["indicator"], row["subtarget"]) != previous
        previous = (row["indicator"], row["subtarget"])
        if row.get("group") is not None and row["group"] != group:
            lines.append(Label(group_line(row["group"], (groups or {}).get(row["group"])), style="", space=False))
        group = row.get("group")
        if names_its_target(row, parent):
            lines.append([row["indicator"], Text(visible(title)), polarity])
        parent = row["indicator"] if group is None else None
        ref = name = ""
        if first and group is not None:
            ref, name = f"└ {row['indicator']}\n  {row['subtarget']}", title
        elif first and row["subtarget"] is None:
            ref, name = row["indicator"], title
        elif first:
            ref = f"└ {row['subtarget']}"
        travel = ARROWS[row["direction"]] if words else ARROWS[row["direction"]][:1]
        result = (row.get("change") or {}).get("result")
        if travel and result == "no-significant-change":
            travel += NOT_SIGNIFICANT
        elif travel and result == "n/a" and row.get("ci_lower") is not None:
            travel += UNTESTED
        cells: list[Any] = [
            ref, Text(visible(name)), polarity if first and (row["subtarget"] is None or group is not None) else "",
            row["period"] or "(none)", _number(row["baseline"]), _number(row["target"]),
            _number(row["actual"]) + (" (p)" if row["provisional"] else ""),
        ]
        if intervals:
            cells.append(_interval(row))
        status = Text(NOT_DUE if row["rule"] == "not-due" else STATUS_TEXT[row["status"]],
                      style=STATUS_STYLE[row["status"]])
        cells += [percent(row["achievement"], short_of(row, amber)), status]
        if intervals:
            cells.append(TESTS[row["target_test"]] if words else SURE[row["target_test"]])
        cells += [row["rule"], travel]
        lines.append(cells)
    return lines


def _interval(row: dict[str, Any]) -> str:
    if row["ci_lower"] is None or row["ci_upper"] is None:
        return ""
    return f"{decimal_text(row['ci_lower'])}–{decimal_text(row['ci_upper'])}"


def _count_targets(rows: list[dict[str, Any]]) -> int:
    """Targets, a target group counting once."""
    return len({("group", row["group"]) if row.get("group") else ("indicator", row["indicator"]) for row in rows})


def names_its_target(row: dict[str, Any], parent: str | None) -> bool:
    """Whether a line naming a row's target goes above it: a target measured by its sub-targets
    alone has no row of its own, and its sub-targets go under that line, not under the target
    above them. `parent`: the indicator of the target the row before is under (None: none)."""
    return row.get("group") is None and row["subtarget"] is not None and row["indicator"] != parent


def group_line(group: str, title: str | None) -> str:
    """The line over a target group's rows: its slug first, so that only its title is shortened."""
    return f"group {group}: {title}" if title and title != group else f"group {group}"


def _summary(area: Any) -> Text:
    counts = area.summary
    text = Text(f"{visible(area.name)}: ", style="bold")
    for status in ("green", "amber", "red", "no-data"):
        if status != "green":
            text.append(" · ")
        text.append(f"{counts[status]} {STATUS_TEXT[status].lower()}", style=STATUS_STYLE[status])
    not_due = sum(1 for row in area.rows if row["rule"] == "not-due")
    if not_due:  # of the no-data rows, as JSON's summary counts them
        text.append(f" ({not_due} {NOT_DUE})", style=STATUS_STYLE["no-data"])
    text.append(f"  ({len(area.rows)} rows)")
    return text


def _number(value: Decimal | None) -> str:
    return "" if value is None else decimal_text(value)


def short_of(row: dict[str, Any], amber: Decimal) -> Decimal | None:
    """The cut-off a row's status says its exact achievement did not reach."""
    return {"below-amber": amber, "amber-threshold": Decimal(1)}.get(row["rule"])
