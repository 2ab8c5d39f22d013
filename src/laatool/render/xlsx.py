"""XLSX output: the CSV rows in one sheet; numbers stay numbers, text formulas neutralised."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from laatool.render.csv import columns_of
from laatool.render.values import cell_text

MONEY = r"^-?[0-9]+\.[0-9]{2}$"
# Reports that are a workbook of their own, by the report's type: each in its own module.
WORKBOOKS = {"Template": ("laatool.render.template_xlsx", "template_workbook"),
             "BoardReport": ("laatool.render.board_xlsx", "board_workbook")}


def render_xlsx(report: Any, sheet: str = "laatool") -> bytes:
    import polars as pl

    if type(report).__name__ in WORKBOOKS:
        import importlib

        module, function = WORKBOOKS[type(report).__name__]
        return getattr(importlib.import_module(module), function)(report)
    rows = report.to_rows()
    columns = columns_of(rows)
    numeric = [c for c in columns if rows and all(isinstance(r.get(c), Decimal | None) for r in rows)
               and any(r.get(c) is not None for r in rows)]
    data = {c: [cell_text(r.get(c)) or None for r in rows] for c in columns}
    frame = pl.DataFrame(data, schema={c: pl.String for c in columns})
    # Money is written as text with two decimals in JSON; a finance sheet wants numbers.
    money = [c for c in columns if c not in numeric and rows
             and all(isinstance(r.get(c), str | None) for r in rows)
             and frame[c].drop_nulls().len() > 0 and frame[c].drop_nulls().str.contains(MONEY).all()]
    # Exact decimals become Excel numbers (Excel itself stores doubles); a column with a number
    # Decimal(38, 10) does not hold exactly (28 digits before the point, or more than 10 after
    # it) stays text rather than be rounded.
    frame = frame.with_columns([_as_number(frame[c]) for c in numeric + money])
    buffer = io.BytesIO()
    frame.write_excel(buffer, worksheet=sheet, autofit=True)
    return buffer.getvalue()


def _as_number(column):
    import polars as pl

    if column.str.contains(r"\.[0-9]{11}").any():
        return column
    cast = column.cast(pl.Decimal(38, 10), strict=False)
    return cast if cast.null_count() == column.null_count() else column
