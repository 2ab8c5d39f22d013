"""How values are written in machine outputs: exact decimals, money with two places."""

from __future__ import annotations

from decimal import Decimal

from laatool.base.money import decimal_text, money  # noqa: F401 - the renderers read them from here

# Leading characters that make a spreadsheet execute a cell (DESIGN.md §7).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_number_text(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return text.strip() == text and text not in {"NaN", "Infinity", "-Infinity", "inf", "-inf"}


def cell_text(value: object) -> str:
    """A CSV/XLSX cell: blank for null, exact numbers, and formulas neutralised with a `'`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not is_number_text(text):
        return "'" + text
    return text
