"""Listing and searching indicators: the core of `laatool indicators`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from laatool.base.ids import IdentifierError, normalise_indicator_id
from laatool.base.models import Indicator


def sort_key(indicator_id: str) -> tuple:
    if indicator_id.startswith("NI "):
        return (0, int(indicator_id[3:]), "")
    return (1, 0, indicator_id)


def search(
    indicators: dict[str, Indicator],
    query: str = "",
    *,
    department: str | None = None,
    statutory: bool = False,
    include_deleted: bool = False,
) -> list[Indicator]:
    """Indicators whose id is `query`, or whose title, source or notes hold every word of it."""
    chosen = []
    try:
        wanted_id = normalise_indicator_id(query) if query.strip() else None
    except IdentifierError:
        wanted_id = None
    words = query.lower().split()
    for indicator in sorted(indicators.values(), key=lambda i: sort_key(i.id)):
        if indicator.status == "deleted" and not include_deleted and indicator.id != wanted_id:
            continue
        if department and (indicator.department or "").lower() != department.lower():
            continue
        if statutory and not indicator.statutory:
            continue
        text = " ".join([indicator.title, indicator.source or "", indicator.notes or ""]).lower()
        if words and indicator.id != wanted_id and not all(word in text for word in words):
            continue
        chosen.append(indicator)
    return chosen


def find(indicators: dict[str, Indicator], text: str) -> Indicator | None:
    try:
        return indicators.get(normalise_indicator_id(text))
    except IdentifierError:
        return None


def indicator_document(indicator: Indicator) -> dict[str, Any]:
    """An indicator as JSON: every field, in the file format's order."""
    return indicator.model_dump(mode="python")


LIST_COLUMNS = ("id", "title", "polarity", "unit", "frequency", "department", "statutory")


@dataclass
class IndicatorList:
    indicators: list[Indicator]

    def to_json(self) -> dict[str, Any]:
        return {"count": len(self.indicators), "indicators": [indicator_document(i) for i in self.indicators]}

    def to_rows(self) -> list[dict[str, Any]]:
        return [{c: getattr(i, c) for c in LIST_COLUMNS} for i in self.indicators]

    def to_table(self) -> Any:
        from rich.table import Table

        table = Table(title=f"National Indicator Set: {len(self.indicators)} indicator(s)", title_justify="left")
        for column in ("id", "title", "polarity", "unit", "frequency", "department"):
            table.add_column(column, overflow="fold", no_wrap=column == "id")
        for i in self.indicators:
            title = i.title + (" (statutory)" if i.statutory else "") + (" [deleted]" if i.status == "deleted" else "")
            table.add_row(i.id, title, i.polarity, i.unit, i.frequency, i.department or "")
        return table


@dataclass
class IndicatorDetail:
    indicator: Indicator

    def to_json(self) -> dict[str, Any]:
        return indicator_document(self.indicator)

    def to_rows(self) -> list[dict[str, Any]]:
        document = indicator_document(self.indicator)
        return [{"field": key, "value": _flat(value)} for key, value in document.items()]

    def to_table(self) -> Any:
        from rich.table import Table

        table = Table(title=f"{self.indicator.id}: {self.indicator.title}", title_justify="left", show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for row in self.to_rows():
            table.add_row(row["field"], "" if row["value"] is None else str(row["value"]))
        return table


def _flat(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {'' if v is None else v}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value
