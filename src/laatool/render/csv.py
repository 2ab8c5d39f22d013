"""CSV output: one line per JSON row, formulas neutralised, deterministic."""

from __future__ import annotations

import csv
import io
from typing import Any

from laatool.render.values import cell_text


def columns_of(rows: list[dict[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def render_csv(report: Any) -> bytes:
    rows = report.to_rows()
    # A report may name its columns, so an empty result still has its header line.
    columns = columns_of(rows) or list(getattr(report, "columns", ()))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell_text(row.get(c)) for c in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")
