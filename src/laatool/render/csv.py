"""CSV output: one line per JSON row, formulas neutralised, deterministic.

Quoted as RFC 4180 requires, with `\n` ending each line: a cell holding a comma, a double quote,
a line feed or a carriage return is written between double quotes (the standard `csv` writer
leaves a lone carriage return bare unless it ends its lines with one, and a bare one splits
the row in a spreadsheet).
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    field = _fields()
    lines = [_line_of(list(map(_field, columns)))]
    lines += [_line_of([field(row.get(c)) for c in columns]) for row in rows]
    return "".join(lines).encode("utf-8")


def _fields() -> Callable[[object], str]:
    """Each cell as written in the file (`cell_text`, quoted as needed), each distinct text
    made once: ids, names, statuses and titles repeat down a national table of 30,000 rows, and
    their neutralising and quoting took most of the time the file took to write."""
    texts: dict[str, str] = {}

    def field(value: object) -> str:
        if value is None:
            return ""
        if type(value) is not str:
            return _field(cell_text(value))
        made = texts.get(value)
        if made is None:
            made = texts[value] = _field(cell_text(value))
        return made

    return field


_NEEDS_QUOTES = re.compile(r'[,"\r\n]').search


def _field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES(text) else text


def _line_of(fields: list[str]) -> str:
    """A line of fields already quoted (`_field`)."""
    if fields == [""]:  # a line of one empty cell, told apart from no line at all
        return '""\n'
    return ",".join(fields) + "\n"
