"""The `score` table for people: one table per area, grouped by kind, ready for a board report.

Imported only when a table is printed, so rich stays out of the scoring core.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from laatool.render.values import decimal_text, visible

KINDS = ("designated", "statutory", "local")
STATUS_STYLE = {
    "green": "bold green",
    "amber": "bold dark_orange",
    "red": "bold red",
    "no-data": "dim",
}
STATUS_TEXT = {"green": "GREEN", "amber": "AMBER", "red": "RED", "no-data": "no data"}
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
# Under 140 columns the test is one word under the status, which already says met or missed.
SURE = {"met-with-confidence": "sure", "met-not-significant": "unsure",
        "missed-not-significant": "unsure", "missed-with-confidence": "sure", "n/a": ""}
NOT_SIGNIFICANT = " ~"
LEGEND = (
    "Polarity: which way is better. Achieved: share of the planned improvement from baseline "
    "to target. (p): provisional. Travel (↑ improving, ↓ worsening, → unchanged): against the "
    "previous year's actual, else the baseline, at the indicator's published precision."
)


class ScoreTable:
    """Every area's table, its summary line under it, and a legend at the end.

    Under 140 columns the direction of travel is shown by its arrow alone, so a 120-column
    terminal still shows every column."""

    def __init__(self, report: Any) -> None:
        self.report = report

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield score_table(self.report, words=options.max_width >= 140)


def score_table(report: Any, words: bool = True) -> Group:
    """The report as rich renderables; `words` adds the word beside each travel arrow."""
    parts: list[Any] = []
    for area in report.areas:
        parts.append(_area_table(area, report.labels, words, _with_intervals(report), report))
        parts.append(_summary(area))
        parts.append(Text(""))
    if not report.areas:
        parts.append(Text("No areas to score."))
    legend = f"{LEGEND} Amber from {_percent(report.amber)} achieved."
    if _with_intervals(report):
        level = _percent(report.significance.level)
        legend += (
            f" {level} CI: the confidence interval of a survey or rate value ({level} unless "
            "supplied with the return), under the actual in a narrow table. Test (under the "
            "status in a narrow table): the target met or missed with confidence (the whole "
            "interval on one side of it: sure) or not (unsure). ~ after the travel: the change "
            "is not statistically significant."
        )
    parts.append(Text(legend, style="dim"))
    return Group(*parts)


def _with_intervals(report: Any) -> bool:
    return any(row["ci_method"] is not None for area in report.areas for row in area.rows)


def _area_table(
    area: Any, labels: dict[str, tuple[str, str]], words: bool, intervals: bool = False, report: Any = None
) -> Table:
    table = Table(
        title=f"{area.name} ({area.area}): Local Area Agreement targets",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("Indicator", ratio=1, min_width=20)
    table.add_column("Polarity", no_wrap=True)
    table.add_column("Period", no_wrap=True)
    for name in ("Baseline", "Target", "Actual"):
        table.add_column(name, justify="right", no_wrap=True)
    if intervals and words:
        table.add_column(f"{_percent(report.significance.level)} CI", justify="right", no_wrap=True)
        table.add_column("Test", no_wrap=True)
    table.add_column("Achieved", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Travel", no_wrap=True)
    if not area.rows:
        table.add_row("(no targets)")
    for kind in KINDS:
        rows = [row for row in area.rows if row["kind"] == kind]
        if rows:
            table.add_section()
            table.add_row(
                Text(f"{kind.capitalize()} targets ({_count_targets(rows)})", style="bold")
            )
            groups = {group: title for (owner, group), title in getattr(report, "group_titles", {}).items()
                      if owner == area.area}
            _add_rows(table, rows, labels, words, intervals, groups)
    return table


def _add_rows(
    table: Table, rows: list[dict[str, Any]], labels: dict[str, tuple[str, str]], words: bool,
    intervals: bool = False, groups: dict[str, str] | None = None,
) -> None:
    """One line per period; a (sub-)target is named on its first line only, as in a report. A
    target group's sub-targets sit under a line with its title, each named by its indicator."""
    previous = None
    group = None
    for row in rows:
        title, polarity = labels.get(row["indicator"], ("", ""))
        first = (row["indicator"], row["subtarget"]) != previous
        previous = (row["indicator"], row["subtarget"])
        if row.get("group") is not None and row["group"] != group:
            table.add_row(Text(visible(f"{(groups or {}).get(row['group'], row['group'])} (group {row['group']})"),
                               no_wrap=True, overflow="ellipsis"))
        group = row.get("group")
        if not first:
            name = ""
        elif group is not None:
            name = f"  └ {row['indicator']} {title} ({row['subtarget']})"
        elif row["subtarget"] is None:
            name = f"{row['indicator']} {title}"
        else:
            name = f"  └ sub-target {row['subtarget']}"
        travel = ARROWS[row["direction"]] if words else ARROWS[row["direction"]][:1]
        if travel and (row.get("change") or {}).get("result") == "no-significant-change":
            travel += NOT_SIGNIFICANT
        cells = [
            Text(visible(name), no_wrap=True, overflow="ellipsis"),
            polarity if first and (row["subtarget"] is None or group is not None) else "",
            row["period"] or "(none)",
            _number(row["baseline"]),
            _number(row["target"]),
            _number(row["actual"]) + (" (p)" if row["provisional"] else ""),
        ]
        status = Text(STATUS_TEXT[row["status"]], style=STATUS_STYLE[row["status"]])
        if intervals and words:
            cells += [_interval(row), TESTS[row["target_test"]]]
        elif intervals and row["ci_method"] is not None:  # narrow: under the actual and the status
            cells[-1] += f"\n{_interval(row)}"
            status.append(f"\n{SURE[row['target_test']]}", style="")
        cells += [_percent(row["achievement"]), status, row["rule"], travel]
        table.add_row(*cells)


def _interval(row: dict[str, Any]) -> str:
    if row["ci_lower"] is None or row["ci_upper"] is None:
        return ""
    return f"{decimal_text(row['ci_lower'])}–{decimal_text(row['ci_upper'])}"


def _count_targets(rows: list[dict[str, Any]]) -> int:
    """Targets, a target group counting once."""
    return len({("group", row["group"]) if row.get("group") else ("indicator", row["indicator"]) for row in rows})


def _summary(area: Any) -> Text:
    counts = area.summary
    text = Text(f"{visible(area.name)}: ", style="bold")
    for status in ("green", "amber", "red", "no-data"):
        if status != "green":
            text.append(" · ")
        text.append(f"{counts[status]} {STATUS_TEXT[status].lower()}", style=STATUS_STYLE[status])
    text.append(f"  ({len(area.rows)} rows)")
    return text


def _number(value: Decimal | None) -> str:
    return "" if value is None else decimal_text(value)


def _percent(share: Decimal | None) -> str:
    if share is None:
        return ""
    return f"{decimal_text(share * 100)}%"
