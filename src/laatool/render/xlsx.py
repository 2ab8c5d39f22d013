"""The workbook standard (DESIGN.md §11): every `.xlsx` laatool writes is laid out here.

A sheet is titles in rows 1–3, a blank row (or a line in red: the areas `--skip-invalid`
refused), a bold header in row 5 (frozen, with an
autofilter), one row per JSON row, and an optional bold `Total` row of SUM formulas. Each
column is formatted by what it holds (`kind_of`): money `£#,##0.00`, shares as percentages,
decimals to the places they are written with, yes/no for flags, statuses with a green, amber
or red fill beside their word. Widths fit the text; pages print landscape, fit to one page
wide, the header repeated. The document properties carry a fixed date, so the same inputs give
the same bytes.

Numbers stay numbers where Excel's double holds them exactly (`exact_float`), else they are
written as their text; text is always written as text (`write_string`: never a formula, never a
link) and neutralised as CSV is (`render.values.cell_text`). Which sheets a report becomes is
`render.workbooks`; the returns template is a workbook of its own (`render.template_xlsx`).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from laatool.base.money import decimal_text, money
from laatool.base.numbers import EXACT, SPREADSHEET_DIGITS
from laatool.render.values import cell_text, sheet_text

# xlsxwriter writes a creation date whatever it is told: the zip format's own epoch, never "now".
FIXED_DATE = datetime(1980, 1, 1)
TITLE_ROWS = 3
HEADER_ROW = TITLE_ROWS + 1  # zero-based: the header is the sheet's row 5
MONEY_TEXT = re.compile(r"^-?[0-9]+\.[0-9]{2}$")

MONEY = frozenset({
    "share", "reward", "at_stake", "payment_on_account", "balance", "recovery", "gain_at_threshold",
    "gain_at_full", "projected_reward", "maximum", "total", "revenue", "capital", "projected_total",
    "at_risk", "instalment_1", "instalment_2", "instalment_3", "instalment_4", "instalment_5",
})
SHARES = frozenset({"achievement", "payable", "projected_achievement", "projected_payable", "ci_level",
                    "of_maximum"})
STATUSES = frozenset({"status", "severity", "vs_england", "interim_status", "target_test"})
LONG_TEXT = frozenset({"message", "hint", "title", "note", "explanation", "bounds"})
# Fills of a status's cell, Excel's own Good / Neutral / Bad: the word is always there too.
GOOD, NEUTRAL, BAD, NONE = ("#C6EFCE", "#006100"), ("#FFEB9C", "#9C5700"), ("#FFC7CE", "#9C0006"), \
    ("#E7E6E6", "#3A3838")
FILLS = {
    "no-data": NONE,
    "green": GOOD, "paid": GOOD, "target-met": GOOD, "on-track": GOOD, "better": GOOD, "met": GOOD,
    "met-with-confidence": GOOD,
    "amber": NEUTRAL, "at-risk": NEUTRAL, "pending": NEUTRAL, "warning": NEUTRAL,
    "red": BAD, "below-threshold": BAD, "off-track": BAD, "worse": BAD, "missed": BAD, "error": BAD,
    "missed-with-confidence": BAD,
}
MOST_WIDTH, LEAST_WIDTH = 50, 6
SHARE_PLACES = 2  # the fewest places of a percentage: `0.00%`, whatever the value
LINE_HEIGHT = 15  # points: a line of the default 11-point font


def kind_of(column: str) -> str:
    """How a column is shown: money, share, status, long text, or by its values (a number to the
    places it is written with, text, and a flag as Yes or No)."""
    for kind, names in (("money", MONEY), ("share", SHARES), ("status", STATUSES), ("long", LONG_TEXT)):
        if column in names:
            return kind
    return "value"


@dataclass
class Sheet:
    """One sheet: its name, up to three title lines, and rows keyed by column.

    `totals` names the columns a `Total` row under the rows sums (with a SUM formula, its value
    exact); `ratios` a column of that row worked out as one total over another (a total short of
    the other is never shown as the whole: at most 99.99%). `kinds` and
    `widths` set a column's kind (`kind_of`) and width where its name does not say; `notes` are
    lines under the table (a key); `frozen` the columns kept in view (`frozen_columns`); `alert`
    a line in bold red between the titles and the header (the areas refused). A status cell may
    be `(text, colour)`: the text written, filled by the colour (green, amber, red, no-data)."""

    name: str
    titles: list[str]
    rows: list[dict[str, Any]]
    columns: list[str] = field(default_factory=list)
    totals: tuple[str, ...] = ()
    ratios: dict[str, tuple[str, str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    widths: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    frozen: int | None = None
    alert: str = ""

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = list(dict.fromkeys(key for row in self.rows for key in row))

    def kind(self, column: str) -> str:
        return self.kinds.get(column) or kind_of(column)


def exact_float(value: Decimal | int) -> float | int | None:
    """The number Excel is given for `value`: itself when it has at most 15 significant digits
    (all Excel shows: `131578947368421.05` would show as ...421) and its double reads back as
    the same decimal (every amount of money up to 13 digits of pounds does), else None (written
    as text)."""
    if isinstance(value, int):
        return value if abs(value) < 10**SPREADSHEET_DIGITS else None
    if len(value.normalize().as_tuple().digits) > SPREADSHEET_DIGITS:
        return None
    number = float(value)
    return number if math.isfinite(number) and Decimal(repr(number)) == value else None


def number_of(value: Any, kind: str) -> Decimal | int | None:
    """The exact number a cell holds, or None for text: money written as text counts."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    if kind == "money" and isinstance(value, str) and MONEY_TEXT.match(value):
        return Decimal(value)
    return None


def places(value: Decimal | int) -> int:
    return len(exact_text(value).partition(".")[2])


def exact_sum(values: list[Decimal | int], money: bool) -> Decimal | int:
    """The exact sum of some numbers: whole numbers stay whole, money has its pennies."""
    if not money and all(isinstance(v, int) for v in values):
        return sum(values, 0)
    total = Decimal("0.00") if money else Decimal(0)
    for value in values:
        total = EXACT.add(total, value)
    return total


def exact_text(value: Decimal | int) -> str:
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


class Styles:
    """The workbook's formats, each made once, by what it formats."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[Any, ...], Any] = {}

    def get(self, *key: Any) -> Any:
        """`("money"|"share"|"decimal"|"whole"|"text"|"wrap", places, status, bold, top border)`."""
        if key not in self.made:
            kind, digits, status, bold, border = key
            spec: dict[str, Any] = {"valign": "top"}
            if kind == "money":
                spec["num_format"] = '"£"#,##0.00;-"£"#,##0.00'
            elif kind == "share":
                spec["num_format"] = "0" + ("." + "0" * digits if digits else "") + "%"
            elif kind == "decimal":
                spec["num_format"] = "#,##0" + ("." + "0" * digits if digits else "")
            elif kind == "whole":
                spec["num_format"] = "0"
            elif kind == "wrap":
                spec["text_wrap"] = True
            if status in FILLS:
                spec["bg_color"], spec["font_color"] = FILLS[status]
            if bold:
                spec["bold"] = True
            if border:
                spec["top"] = 1
            self.made[key] = self.book.add_format(spec)
        return self.made[key]


def text_workbook(buffer: io.BytesIO) -> Any:
    """An xlsxwriter workbook written in memory to `buffer`, whose sheets hold any text as that
    text. xlsxwriter takes a string that starts `<r>` and ends `</r>` for rich text it made
    itself and writes it into the workbook's XML as it is: from input (an agreement's name, a
    return's note) it would shift every later text cell onto the wrong row, or leave a file no
    spreadsheet opens. Such a string is written as a rich string of plain runs instead, which
    xlsxwriter escapes as any text; the cell reads the same, cut as any text is to Excel's limit
    of 32,767 characters (xlsxwriter would leave a rich string over it out)."""
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet, convert_cell_args

    class TextSheet(Worksheet):
        @convert_cell_args
        def write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
            string = string[:self.xls_strmax]  # as xlsxwriter cuts any text to a cell's limit
            if string.startswith("<r>") and string.endswith("</r>"):
                runs = [string[:1], string[1:2], string[2:]]  # xlsxwriter asks for more than two
                return self.write_rich_string(row, col, *runs, *([cell_format] if cell_format is not None else []))
            return super().write_string(row, col, string, cell_format)

    class TextWorkbook(xlsxwriter.Workbook):
        def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
            return super().add_worksheet(name, worksheet_class or TextSheet)

    return TextWorkbook(buffer, {"in_memory": True})


class StandardWorkbook:
    """A workbook written to the standard: `add(sheet)` for each sheet, then `bytes()`.

    `book` and `styles` are there for a sheet that needs more than a table (charts, notes)."""

    def __init__(self, title: str) -> None:
        self.buffer = io.BytesIO()
        self.book = text_workbook(self.buffer)
        self.book.set_properties({"title": sheet_text(title), "created": FIXED_DATE, "author": "laatool",
                                  "comments": ""})
        self.styles = Styles(self.book)
        self.names: set[str] = {"history"}  # Excel keeps the name `History` for itself
        self.heading = self.book.add_format({"bold": True, "font_size": 14})
        self.alert = self.book.add_format({"bold": True, "font_color": BAD[1]})
        self.header = self.book.add_format({"bold": True, "bottom": 1, "bg_color": "#D9D9D9", "valign": "top"})
        # over a column of figures, the header stands right, as the figures do
        self.figures_header = self.book.add_format({"bold": True, "bottom": 1, "bg_color": "#D9D9D9",
                                                    "valign": "top", "align": "right"})

    def sheet_name(self, wanted: str) -> str:
        """`wanted` as a sheet name Excel accepts (31 characters, none of `[]:*?/\\`, not
        `History`), unique whatever the case."""
        base = re.sub(r"[\[\]:*?/\\]", "-", sheet_text(wanted)).strip("'")[:31] or "sheet"
        name, number = base, 1
        while name.lower() in self.names:
            number += 1
            name = f"{base[:31 - len(str(number)) - 1]}~{number}"
        self.names.add(name.lower())
        return name

    def add(self, sheet: Sheet) -> Any:
        """Write `sheet` and give its worksheet."""
        worksheet = self.book.add_worksheet(self.sheet_name(sheet.name))
        for line, title in enumerate(sheet.titles[:TITLE_ROWS]):
            if title:
                worksheet.write_string(line, 0, cell_text(title), self.heading if line == 0 else None)
        if sheet.alert:
            worksheet.write_string(TITLE_ROWS, 0, cell_text(sheet.alert), self.alert)
        columns = sheet.columns
        for col, column in enumerate(columns):
            figures = any(number_of(row.get(column), sheet.kind(column)) is not None for row in sheet.rows)
            worksheet.write_string(HEADER_ROW, col, cell_text(column), self.figures_header if figures else self.header)
        widths = [len(column) + 3 for column in columns]  # room for the filter's button
        # a share is a percentage to two places (`0.00%`), or to more where a value has more
        digits = {c: max([places(n) - 2 for r in sheet.rows if (n := number_of(r.get(c), "share")) is not None],
                         default=SHARE_PLACES) for c in columns if sheet.kind(c) == "share"}
        for index, row in enumerate(sheet.rows):
            for col, column in enumerate(columns):
                shown = self._write(worksheet, HEADER_ROW + 1 + index, col, row.get(column), sheet.kind(column),
                                    max(SHARE_PLACES, digits.get(column, 0)))
                widths[col] = max(widths[col], shown)
        last = HEADER_ROW + len(sheet.rows)
        self._heights(worksheet, sheet, widths)
        if (sheet.totals or sheet.ratios) and sheet.rows:  # no rows, no total: SUM(D6:D5) would be circular
            for col, shown in enumerate(self._totals(worksheet, sheet, last + 1, digits)):
                widths[col] = max(widths[col], shown + 2)  # bold is wider
        for index, note in enumerate(sheet.notes):
            worksheet.write_string(last + 3 + index, 0, cell_text(note))
        for col, column in enumerate(columns):
            worksheet.set_column(col, col, self.width(sheet, column, widths[col]))
        worksheet.freeze_panes(HEADER_ROW + 1, frozen_columns(columns) if sheet.frozen is None else sheet.frozen)
        if columns:
            worksheet.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
        for_print(worksheet, HEADER_ROW)
        return worksheet

    def width(self, sheet: Sheet, column: str, widest: int) -> int:
        if column in sheet.widths:
            return sheet.widths[column]
        return max(LEAST_WIDTH, min(widest + 2, MOST_WIDTH if sheet.kind(column) == "long" else 60))

    def _heights(self, worksheet: Any, sheet: Sheet, widths: list[int]) -> None:
        """A row whose long text wraps is made tall enough to show it: not every spreadsheet
        fits it on opening."""
        long = [(col, column) for col, column in enumerate(sheet.columns) if sheet.kind(column) == "long"]
        if not long:
            return
        for index, row in enumerate(sheet.rows):
            lines = max(wrapped_lines(cell_text(row.get(column)), self.width(sheet, column, widths[col]) - 1)
                        if isinstance(row.get(column), str) else 1 for col, column in long)
            if lines > 1:
                worksheet.set_row(HEADER_ROW + 1 + index, LINE_HEIGHT * lines)

    def _write(self, worksheet: Any, row: int, col: int, value: Any, kind: str, share_digits: int,
               bold: bool = False, border: bool = False) -> int:
        """Write one cell; give the width of what it shows."""
        number = number_of(value, kind)
        if number is not None and (written := exact_float(number)) is not None:
            if kind == "money":
                style, shown = ("money", 2), f"£{number:,.2f}"
            elif kind == "share":
                style, shown = ("share", share_digits), f"{number * 100:.{share_digits}f}%"
            elif isinstance(number, int):  # a count, a rank, a line: no thousands separator
                style, shown = ("whole", 0), str(number)
            else:
                digits = places(number)
                style, shown = ("decimal", digits), f"{number:,.{digits}f}"
            worksheet.write_number(row, col, written, self.styles.get(*style, None, bold, border))
            return len(shown)
        if value is None:
            if border:
                worksheet.write_blank(row, col, None, self.styles.get("text", 0, None, bold, border))
            return 0
        status = None
        if kind == "status" and isinstance(value, tuple):  # (text, colour)
            value, status = value
        text = ("Yes" if value else "No") if isinstance(value, bool) else cell_text(value)
        if number is not None:  # too precise for a double: its text (money to the penny, as JSON gives it)
            text = money(Decimal(number)) if kind == "money" else exact_text(number)
        status = status or (text if kind == "status" else None)
        worksheet.write_string(row, col, text, self.styles.get("wrap" if kind == "long" else "text", 0, status,
                                                               bold, border))
        return max(map(len, text.split("\n")))

    def _totals(self, worksheet: Any, sheet: Sheet, row: int, digits: dict[str, int]) -> list[int]:
        """Write the `Total` row; give the width of what each of its cells shows."""
        from xlsxwriter.utility import xl_rowcol_to_cell

        sums: dict[str, Decimal | int] = {}
        shown = [0] * len(sheet.columns)
        for col, column in enumerate(sheet.columns):
            kind = sheet.kind(column)
            if column in sheet.totals:
                values = [number_of(r.get(column), kind) for r in sheet.rows]
                total = exact_sum([v for v in values if v is not None], kind == "money")
                sums[column] = total
                first, last = xl_rowcol_to_cell(HEADER_ROW + 1, col), xl_rowcol_to_cell(row - 1, col)
                written = exact_float(total)
                texts = any(v is not None and exact_float(v) is None for v in values)
                if written is None or texts:  # a sum Excel cannot make exactly: its value, as text
                    shown[col] = self._write(worksheet, row, col, money(Decimal(total)) if kind == "money"
                                             else exact_text(total), "value", 0, True, True)
                    continue
                shown[col] = len(f"£{total:,.2f}" if kind == "money" else f"{total:,}")
                shape = ("money", 2) if kind == "money" else ("whole", 0) if isinstance(total, int) \
                    else ("decimal", places(total))
                worksheet.write_formula(row, col, f"=SUM({first}:{last})",
                                        self.styles.get(*shape, None, True, True), written)
            elif column not in sheet.ratios:
                label = "Total" if col == 0 else None
                shown[col] = self._write(worksheet, row, col, label, "value", 0, True, True)
        for column, (over, under) in sheet.ratios.items():
            col, top, bottom = (sheet.columns.index(c) for c in (column, over, under))
            value = sums[over] / sums[under] if sums.get(under) else None
            part, whole = xl_rowcol_to_cell(row, top), xl_rowcol_to_cell(row, bottom)
            places_shown = max(SHARE_PLACES, digits.get(column, 0))
            below = Decimal(1) - Decimal(1).scaleb(-places_shown - 2)  # 0.9999: 99.99% at two places of a percent
            if value is not None and sums[over] < sums[under]:
                value = min(value, below)
            worksheet.write_formula(row, col, f'=IF({whole}=0,"",IF({part}<{whole},MIN({part}/{whole},{below}),'
                                    f'{part}/{whole}))', self.styles.get("share", places_shown, None, True, True),
                                    "" if value is None else float(value))
            shown[col] = 8
        return shown

    def bytes(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped at its spaces in a column `width` characters wide."""
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


def for_print(worksheet: Any, header: int | None) -> None:
    """A4 landscape, one page wide, the header row on every page, the sheet's name and the page
    number in the footer."""
    worksheet.set_landscape()
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)
    if header is not None:
        worksheet.repeat_rows(header)
    worksheet.set_footer("&L&A&RPage &P of &N")


def frozen_columns(columns: list[str]) -> int:
    """The identifying columns kept in view when scrolling right: up to the indicator, else the
    area and its name."""
    for key in ("indicator", "code", "id", "file"):
        if key in columns[:5]:
            return columns.index(key) + 1
    return 2 if columns[:2] == ["area", "name"] else 0


def workbook(title: str, sheets: Iterable[Sheet]) -> bytes:
    """The bytes of a workbook of `sheets`, titled `title` in its properties."""
    book = StandardWorkbook(title)
    for sheet in sheets:
        book.add(sheet)
    return book.bytes()
