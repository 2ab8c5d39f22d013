"""A workbook a council would circulate (DESIGN.md §11), for any report that writes one.

`Book` holds the formats, made once each: titles in the first rows, a bold frozen header
with an autofilter, column widths to fit, money as `£#,##0.00`, shares as percentages,
decimals to the places they are written with, status fills beside the status's word (never
colour alone), landscape printing fitted to the page's width, and document properties with a
fixed creation date, so the same report gives the same bytes. A sheet is declared as its
columns (`Column`: a heading, a kind, a width) and rows of values; text is written as text,
neutralised as CSV cells are (`render.values.cell_text`), never as a formula.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from laatool.render.values import cell_text, decimal_text

# The zip format's own epoch: a workbook must carry some creation date, and never "now".
FIXED_DATE = datetime(1980, 1, 1)
# Fills of a status's cell (Excel's Good / Neutral / Bad and a grey), by the status's colour.
FILLS = {"green": ("#C6EFCE", "#006100"), "amber": ("#FFEB9C", "#9C5700"), "red": ("#FFC7CE", "#9C0006"),
         "no-data": ("#E7E6E6", "#3A3838")}
MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
MOST_WIDTH = 60
LINE_HEIGHT = 15  # points: a line of the default 11-point font


@dataclass
class Column:
    """A column of a sheet: `kind` is text, long (wrapped), number (decimal places as written),
    whole, money (a money text or Decimal), share (a fraction shown as a percentage), or status
    (a value `(text, colour)`: the text written, the colour its fill)."""

    heading: str
    kind: str = "text"
    width: int | None = None  # None: to fit


class Book:
    """One workbook: `sheet(...)` for each sheet, then `bytes()`."""

    def __init__(self, title: str) -> None:
        import xlsxwriter

        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True, "strings_to_formulas": False,
                                                      "strings_to_urls": False, "strings_to_numbers": False})
        self.book.set_properties({"title": cell_text(title), "author": "laatool", "created": FIXED_DATE,
                                  "comments": ""})
        self.formats: dict[tuple[Any, ...], Any] = {}
        self.names: set[str] = set()

    def format(self, *key: Any) -> Any:
        """The format of `(kind, places, colour, bold)`, made once."""
        if key not in self.formats:
            kind, places, colour, bold = key
            spec: dict[str, Any] = {"valign": "top"}
            if kind == "money":
                spec["num_format"] = MONEY_FORMAT
            elif kind == "share":
                spec["num_format"] = "0" + ("." + "0" * places if places else "") + "%"
            elif kind == "number":
                spec["num_format"] = "#,##0" + ("." + "0" * places if places else "")
            elif kind == "whole":
                spec["num_format"] = "0"
            elif kind == "long":
                spec["text_wrap"] = True
            elif kind == "title":
                spec.update(bold=True, font_size=14)
            elif kind == "header":
                spec.update(bold=True, bottom=1, bg_color="#D9D9D9", text_wrap=True)
            if colour in FILLS:
                spec["bg_color"], spec["font_color"] = FILLS[colour]
            if bold:
                spec["bold"] = True
                spec["top"] = 1
            self.formats[key] = self.book.add_format(spec)
        return self.formats[key]

    def sheet_name(self, wanted: str) -> str:
        """`wanted` as a sheet name Excel accepts (31 characters, none of `[]:*?/\\`), unique
        whatever the case."""
        base = "".join("-" if c in "[]:*?/\\" else c for c in wanted).strip("'")[:31] or "sheet"
        name, number = base, 1
        while name.lower() in self.names:
            number += 1
            name = f"{base[:31 - len(str(number)) - 1]}~{number}"
        self.names.add(name.lower())
        return name

    def sheet(self, name: str, titles: list[str], columns: list[Column], rows: list[list[Any]],
              totals: list[Any] | None = None, notes: list[str] | None = None) -> Any:
        """Write a sheet: `titles` in its first rows (the first large), a blank row, the header
        (frozen, filtered), the rows, an optional bold `totals` row (SUM formulas for the money,
        whole and number columns it gives a value for) and `notes` under it. Gives the sheet."""
        from xlsxwriter.utility import xl_rowcol_to_cell

        worksheet = self.book.add_worksheet(self.sheet_name(name))
        for line, title in enumerate(titles):
            style = self.format("title", 0, None, False) if line == 0 else None
            worksheet.write_string(line, 0, cell_text(title), style)
        header = len(titles) + 1
        widths = [min(max(len(word) for word in column.heading.split()) + 3, MOST_WIDTH) for column in columns]
        for col, column in enumerate(columns):
            worksheet.write_string(header, col, column.heading, self.format("header", 0, None, False))
        worksheet.set_row(header, LINE_HEIGHT * max(_lines(c.heading, c.width or widths[i] + 1)
                                                    for i, c in enumerate(columns)) if columns else None)
        for index, row in enumerate(rows):
            for col, (column, value) in enumerate(zip(columns, row, strict=True)):
                shown = self.write(worksheet, header + 1 + index, col, value, column.kind)
                widths[col] = max(widths[col], min(shown, MOST_WIDTH))
            # A wrapped cell's row is made tall enough to show it: not every spreadsheet fits it on opening.
            wrapped = [_lines(cell_text(value), column.width or MOST_WIDTH) for column, value in zip(columns, row,
                       strict=True) if column.kind == "long" and isinstance(value, str)]
            if wrapped and max(wrapped) > 1:
                worksheet.set_row(header + 1 + index, LINE_HEIGHT * max(wrapped))
        last = header + len(rows)
        if totals is not None:
            for col, (column, value) in enumerate(zip(columns, totals, strict=True)):
                if value is None or isinstance(value, str) and column.kind not in ("money",):
                    self.write(worksheet, last + 1, col, value, "text", bold=True)
                    continue
                first_cell, last_cell = xl_rowcol_to_cell(header + 1, col), xl_rowcol_to_cell(last, col)
                number = Decimal(value) if isinstance(value, str) else value
                places = 2 if column.kind == "money" else _places(number)
                worksheet.write_formula(last + 1, col, f"=SUM({first_cell}:{last_cell})",
                                        self.format(column.kind, places, None, True), float(number))
        for index, note in enumerate(notes or []):
            worksheet.write_string(last + 3 + index, 0, cell_text(note))
        for col, column in enumerate(columns):
            worksheet.set_column(col, col, column.width or max(6, widths[col] + 1))
        worksheet.freeze_panes(header + 1, 1)
        if columns:
            worksheet.autofilter(header, 0, max(last, header), len(columns) - 1)
        worksheet.set_landscape()
        worksheet.set_paper(9)  # A4
        worksheet.fit_to_pages(1, 0)
        worksheet.repeat_rows(header)
        worksheet.set_footer("&L&A&RPage &P of &N")
        return worksheet

    def write(self, worksheet: Any, row: int, col: int, value: Any, kind: str, bold: bool = False) -> int:
        """Write one cell by its column's kind; give the width of what it shows."""
        if value is None:
            return 0
        if kind == "status":
            text, colour = value
            worksheet.write_string(row, col, cell_text(text), self.format("text", 0, colour, bold))
            return len(text)
        if kind in ("money", "number", "whole", "share") and not isinstance(value, bool):
            number = Decimal(value) if isinstance(value, str) else value
            places = 2 if kind == "money" else _places(number)
            if kind == "share":
                places = max(0, places - 2)
            worksheet.write_number(row, col, float(number), self.format(kind, places, None, bold))
            shown = (f"£{number:,.2f}" if kind == "money" else f"{number * 100:.{places}f}%" if kind == "share"
                     else f"{number:,.{places}f}")
            return len(shown)
        text = ("yes" if value else "no") if isinstance(value, bool) else cell_text(value)
        worksheet.write_string(row, col, text, self.format("long" if kind == "long" else "text", 0, None, bold))
        return max(map(len, text.split("\n")))

    def bytes(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide."""
    lines = 0
    for part in text.split("\n"):
        length, count = 0, 1
        for word in part.split():
            if length and length + 1 + len(word) > width:
                count, length = count + 1, len(word)
            else:
                length += len(word) + (1 if length else 0)
        lines += count
    return max(lines, 1)


def _places(number: Decimal | int) -> int:
    return len(decimal_text(number).partition(".")[2]) if isinstance(number, Decimal) else 0
