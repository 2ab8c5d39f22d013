"""`laatool indicators` as a report: the listing, or one indicator in full, in every format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from laatool.base.models import Indicator
from laatool.compute.catalogue import indicator_document

# `status` last: the columns before it are the listing's first ones (a script reads them by place)
LIST_COLUMNS = ("id", "title", "polarity", "unit", "frequency", "department", "statutory", "status")


@dataclass
class IndicatorList:
    indicators: list[Indicator]

    def to_json(self) -> dict[str, Any]:
        return {"count": len(self.indicators), "indicators": [indicator_document(i) for i in self.indicators]}

    def to_rows(self) -> list[dict[str, Any]]:
        return [{c: getattr(i, c) for c in LIST_COLUMNS} for i in self.indicators]

    @property
    def columns(self) -> list[str]:
        """The CSV's header, an empty list's too."""
        return list(LIST_COLUMNS)

    def to_table(self) -> Any:
        """The id whole, the title wrapped in the width the other columns leave (narrower, the
        department and the frequency give way)."""
        from laatool.render.fit import Column, Fitted

        columns = [Column("id"), Column("title", kind="wrap", least=36), Column("polarity"), Column("unit", step=1),
                   Column("frequency", step=2), Column("department", step=3)]
        rows = []
        for i in self.indicators:
            title = i.title + (" (statutory)" if i.statutory else "") + (" [deleted]" if i.status == "deleted" else "")
            rows.append([i.id, title, i.polarity, i.unit, i.frequency, i.department or ""])
        local = sum(not i.id.startswith("NI ") for i in self.indicators)
        title = f"National Indicator Set: {len(self.indicators)} indicator(s)" if not local else (
            f"Indicators: {len(self.indicators)} ({len(self.indicators) - local} national, {local} local)")
        return Fitted(columns, rows, title=title)


@dataclass
class IndicatorDetail:
    indicator: Indicator

    def to_json(self) -> dict[str, Any]:
        return indicator_document(self.indicator)

    def to_rows(self) -> list[dict[str, Any]]:
        from laatool.render.values import range_text

        document = indicator_document(self.indicator)
        bounds = self.indicator.valid_range
        # the range as the template shows it (`..100`), and any value said, not left blank
        shown = {"range": range_text(bounds.min, bounds.max) or "any value"}
        return [{"field": key, "value": shown.get(key, _flat(value))} for key, value in document.items()]

    def to_table(self) -> Any:
        from rich.table import Table

        table = Table(title=f"{self.indicator.id}: {self.indicator.title}", title_justify="left", show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for row in self.to_rows():
            value = row["value"]
            table.add_row(row["field"], "" if value is None else ("yes" if value else "no") if isinstance(value, bool)
                          else str(value))
        return table


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value
