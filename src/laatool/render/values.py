"""How values are written in machine outputs: exact decimals, money with two places."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from laatool.base.money import decimal_text, money, round_towards  # noqa: F401 - the renderers read them from here
from laatool.base.numbers import EXACT, PLAIN_NUMBER
from laatool.base.text import BEYOND_C0, CONTROL, control_escape, visible  # noqa: F401 - visible: read from here too

# Leading characters that make a spreadsheet execute a cell (DESIGN.md §7).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start just after a line break inside a cell: some spreadsheets split a pasted or
# imported cell at its line breaks, and run each piece as a cell of its own.
_AFTER_BREAK = re.compile(r"(?<=[\r\n])(?=[=+\-@\t\r])")


# The controls a CSV or XLSX cell cannot hold as text: all but the tab and the line breaks (a
# right-to-left override turns the rest of the row around wherever the file is shown).
_CELL_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{BEYOND_C0}]")

# The controls a JSON encoder writes raw: all but those below U+0020, which JSON itself escapes.
_JSON_RAW = re.compile(f"[{BEYOND_C0}]")


def page_text(value: object) -> object:
    """A value as a page shows it (`laatool report`'s HTML): text with its control characters
    written as escapes, as `visible` does, but for its line breaks and tabs, which a page lays
    out as spaces. No HTML may hold a NUL or an escape sequence, and a bidirectional mark in a
    commentary would reorder the text around it. Markup made by laatool (its charts) and
    anything but text are left as they are."""
    from markupsafe import Markup

    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    return page_string(value)


def page_string(text: str) -> str:
    """Text as a page shows it (`page_text`), for markup laatool makes itself from input (a
    chart's title and description)."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda m: m.group() if m.group() in "\t\n\r" else control_escape(m), text)


def json_escaped(text: str) -> str:
    """JSON as an encoder wrote it (`ensure_ascii=False`), with the controls it leaves raw
    (DEL, the C1 controls, bidirectional and zero-width marks) written as `\\u` escapes, which
    read back as the characters: a terminal showing the document obeys them raw (U+009B starts
    an escape sequence, U+202E turns the rest of the line around). They can stand only inside
    strings, so they are escaped there."""
    if text.isascii() and "\x7f" not in text or _JSON_RAW.search(text) is None:  # the first at memory speed
        return text
    return _JSON_RAW.sub(lambda control: f"\\u{ord(control.group()):04x}", text)


def is_number_text(text: str) -> bool:
    """Whether a text is a plain number (`base.numbers.PLAIN_NUMBER`), which needs no `'`
    before its sign: `+inf`, `-NaN`, `-1_000` and full-width digits are text or a formula to
    a spreadsheet."""
    return PLAIN_NUMBER.fullmatch(text) is not None


def sheet_text(text: str) -> str:
    """Text as a workbook holds it, in a cell or anywhere else (a data-validation prompt, a
    sheet's name, the document's title): control characters but the tab and the line breaks
    written as escapes (`\\x1b`). A NUL or an escape sequence is no spreadsheet's text, and in
    the XML of a prompt or a property it makes the workbook one no spreadsheet opens."""
    if not _CELL_CONTROL.search(text):
        return text
    return _CELL_CONTROL.sub(control_escape, text)


def cell_text(value: object) -> str:
    """A CSV/XLSX cell: blank for null, exact numbers, control characters as `sheet_text`
    writes them, and formulas neutralised with a `'`, at the start of the text and after every
    line break in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    text = sheet_text(str(value))
    if text.startswith(FORMULA_STARTS) and not is_number_text(text):
        text = "'" + text
    if "\n" in text or "\r" in text:
        text = _AFTER_BREAK.sub("'", text)
    return text


def range_text(low: Decimal | None, high: Decimal | None) -> str:
    """An indicator's valid range as the tables show it: `0..100`, `..100` with no lower bound,
    `0..` with no upper one, "" with neither."""
    if low is None and high is None:
        return ""
    return f"{'' if low is None else decimal_text(low)}..{'' if high is None else decimal_text(high)}"


def pounds(value: Decimal | str | None) -> str:
    """Money with a pound sign and thousands separators, to the penny, half up (DESIGN.md §6),
    as the JSON writes it (`24800000.00` -> `£24,800,000.00`); "" for None. A maximum stated in
    fractions of a penny (`1000000.005`) shows as its JSON's `£1,000,000.01`."""
    if value is None:
        return ""
    text = money(Decimal(value))
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, pence = digits.partition(".")
    return f"{sign}£{int(whole):,}.{pence}"


def percent(share: Decimal | None, short_of: Decimal | None = None) -> str:
    """A share as a percentage, exactly as given: 0.6 -> `60%`, 0.975 -> `97.5%`.

    `short_of`: a cut-off the exact share fell short of. A share rounded up to it (0.59996 is
    0.6 at four places) shows as the hundredth of a percent below the cut-off, `59.99%`, so a
    table never shows a red "60%" beside "amber from 60%".
    """
    if share is None:
        return ""
    return f"{decimal_text(short_share(share, short_of).scaleb(2, context=EXACT))}%"  # × 100 exactly


def missed_cut_off(exact: Fraction | None, cut_offs: Iterable[Decimal]) -> Decimal | None:
    """The least of `cut_offs` the exact share falls short of: the one its rounding could reach."""
    if exact is None:
        return None
    return min((cut_off for cut_off in cut_offs if exact < _as_fraction(cut_off)), default=None)


@functools.cache
def _as_fraction(cut_off: Decimal) -> Fraction:
    """A cut-off (a handful a run, each met by every share of a national table) as a Fraction."""
    return Fraction(cut_off)


def shown_short(rows: list[dict], column: str, short_of: Iterable[Decimal | None]) -> list[dict]:
    """The rows with each share in `column` as a table shows it (`short_share`): never rounded
    up to the cut-off its exact share fell short of (`short_of`, one a row, in their order), so
    no cell reads 60.00% beside a status below 60%."""
    return [row | {column: short_share(row[column], cut_off)} if row.get(column) is not None else row
            for row, cut_off in zip(rows, short_of, strict=True)]


def short_share(share: Decimal, short_of: Decimal | None) -> Decimal:
    """A share as shown (`percent`, a workbook's cell): as given, unless it is rounded up to
    `short_of`, a cut-off the exact share fell short of; then the four-place share just below
    the cut-off (0.5999 for 60%). A share beyond the cut-off's rounding is no share rounded up:
    an amber 2 (a target set against the indicator's polarity, measured past it) stays 2."""
    if short_of is None or not short_of <= share <= short_of + Decimal("0.00005"):
        return share
    shown = round_towards(Fraction(short_of), 4, -1)
    return shown - Decimal("0.0001") if shown >= short_of else shown
