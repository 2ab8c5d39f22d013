"""How values are written in machine outputs: exact decimals, money with two places."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal

PENNY = Decimal("0.01")
WIDE = Context(prec=60)
# Leading characters that make a spreadsheet execute a cell (DESIGN.md §7).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start just after a line break inside a cell: some spreadsheets split a pasted or
# imported cell at its line breaks, and run each piece as a cell of its own.
_AFTER_BREAK = re.compile(r"(?<=[\r\n])(?=[=+\-@\t\r])")


def decimal_text(value: Decimal) -> str:
    """`Decimal('3200.0000')` -> `3200`, `8.60` -> `8.6`: exact, no exponent, no float."""
    text = format(value, "f")  # every digit, never an exponent
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def money(value: Decimal) -> str:
    """Money as a string with two decimals, rounded half up (DESIGN.md §6)."""
    # The default 28 digits cannot hold a sum past 10^26 to the penny: a context with room for
    # every digit of the value and two decimals more (one made once for all but absurd sums).
    context = WIDE if value.adjusted() < WIDE.prec - 3 else Context(prec=value.adjusted() + 3)
    return str(value.quantize(PENNY, rounding=ROUND_HALF_UP, context=context))


def is_number_text(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return text.strip() == text and text not in {"NaN", "Infinity", "-Infinity", "inf", "-inf"}


def cell_text(value: object) -> str:
    """A CSV/XLSX cell: blank for null, exact numbers, and formulas neutralised with a `'`, at
    the start of the text and after every line break in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not is_number_text(text):
        text = "'" + text
    if "\n" in text or "\r" in text:
        text = _AFTER_BREAK.sub("'", text)
    return text
