"""Renderers: one module per output format, each turning a report into bytes or text.

A report is any object with `to_json()` (the JSON document of DESIGN.md §7.2) and `to_rows()`
(the flat rows of its CSV/XLSX form, first columns `area,name` where it has areas). Its table
for people is `render.table.table_of(report)`: the computed reports (score, reward) have a
module each here, and the reports of this folder (findings, rules, indicators) give
`to_table()`. Its workbook is `render.workbooks` (which sheets) written to the one standard of
`render.xlsx`; a report that is a workbook of its own (the returns template) is named in
`render.workbooks.WORKBOOKS`. Score and reward JSON is written from their frames (`render.report_json`).

render/ holds every format, every table and all of rich; it may import compute/, checks/,
load/ and base/, never api/ or cli/.
"""

from __future__ import annotations

from typing import Any, Protocol


class Report(Protocol):
    def to_json(self) -> dict[str, Any]: ...

    def to_rows(self) -> list[dict[str, Any]]: ...
