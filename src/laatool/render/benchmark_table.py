"""The `benchmark` tables for people: one per indicator and year, the areas in rank order, the
bounds used under it and the areas without a value named. Text from input is shown as text
(`render.values.visible`).

Imported only when a table is printed, so rich stays out of the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text

from laatool.render.fit import Column, Fitted, Row
from laatool.render.values import decimal_text, visible

if TYPE_CHECKING:
    from laatool.compute.benchmark import BenchmarkReport

GOOD_IS = {"higher": "higher is better", "lower": "lower is better", "neutral": "neither is better"}
VERSUS = {"better": ("▲ better", "green"), "worse": ("▼ worse", "red"), "similar": ("► similar", ""),
          "higher": ("▲ higher", ""), "lower": ("▼ lower", ""), "not-compared": ("—", "dim")}


def _number(value: Any) -> str:
    return "" if value is None else decimal_text(value) if not isinstance(value, int) else str(value)


def benchmark_table(report: BenchmarkReport) -> Group:
    """Each indicator and year as a table, its bounds and missing areas beneath."""
    document = report.to_json()
    parts: list[Any] = []
    for row in document["rows"]:
        parts += [_title(row), _table(row, report.neighbours), *_notes(row), Text("")]
    if not document["rows"]:
        parts.append(Text("No values to compare."))
    return Group(*parts)


def _title(row: dict[str, Any]) -> Text:
    band = "1 = lowest" if row["band_1"] == "lowest" else "1 = best"
    england = f"; England {_number(row['england'])}" if row["england"] is not None else ""
    return Text(visible(f"{row['indicator']} {row['title'] or ''} — {row['period']}: "
                        f"{GOOD_IS.get(row['polarity'], '')}, bands {band}{england}"), style="bold")


def _table(row: dict[str, Any], neighbours: str | None) -> Fitted:
    """The areas in rank order. Narrower than it needs, the names are shortened and then left out
    (the area's slug stays), the neighbours' figures give way, the interval goes under the value
    and the quintile under the quartile. No figure or area is ever cut."""
    columns = [Column("Rank", "right"), Column("Area"), Column("Name", kind="title", least=10, step=7),
               Column("Value", "right"), Column("Interval", "right", step=4, how="stack"),
               Column("Quartile", "right"), Column("Quintile", "right", step=3, how="stack"), Column("vs England")]
    if neighbours is not None:
        columns += [Column(f"Rank in {neighbours}", "right", step=6), Column("Neighbour median", "right", step=5)]
    lines: list[Row] = []
    for area in row["areas"]:
        word, style = VERSUS.get(area["vs_england"], (area["vs_england"], ""))
        interval = (f"{_number(area['ci_lower'])}–{_number(area['ci_upper'])}"
                    if area["ci_lower"] is not None else "")
        cells: list[Any] = [
            f"{area['rank']} of {area['of']}", Text(visible(area["area"])), Text(visible(area["name"] or "")),
            _number(area["value"]) + (" (p)" if area["provisional"] else ""), interval,
            _number(area["quartile"]), _number(area["quintile"]), Text(word, style=style),
        ]
        if neighbours is not None:
            cells += [f"{area['neighbour_rank']} of {area['neighbour_of']}" if area["neighbour_rank"] else "",
                      _number(area["neighbour_median"])]
        lines.append(cells)
    return Fitted(columns, lines)


def _notes(row: dict[str, Any]) -> list[Text]:
    notes = []
    for name, bounds in row["bounds"].items():
        if bounds is None:
            notes.append(Text(f"{name.capitalize()}: none (fewer values than bands)", style="dim"))
        else:
            notes.append(Text(f"{name[:-1].capitalize()} bounds: {', '.join(_number(b) for b in bounds)}",
                              style="dim"))
    if row["missing"]:
        notes.append(Text(visible(f"No value (not ranked): {', '.join(row['missing'])}"), style="dim"))
    return notes
