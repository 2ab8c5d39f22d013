"""Renderers: one module per output format, each turning a report into bytes or text.

A report is any object with `to_json()` (the JSON document of DESIGN.md §7.2), `to_rows()`
(the flat rows of its CSV/XLSX form, first columns `area,name` where it has areas) and
`to_table()` (a rich renderable for people). It may also give `json_chunks()`: the JSON
document as `render.json.dumps` writes it, in pieces, when it can make that text faster itself.
"""

from __future__ import annotations

from typing import Any, Protocol


class Report(Protocol):
    def to_json(self) -> dict[str, Any]: ...

    def to_rows(self) -> list[dict[str, Any]]: ...

    def to_table(self) -> Any: ...
