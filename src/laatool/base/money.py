"""Exact rounding for reward money and ratios: Fractions in, Decimals out, never floats; and
the exact text of a decimal and of money, as every output writes them.

Every sum and difference of money goes through `laatool.base.numbers.EXACT`, wide enough for
any amount within the number limits: Python's default 28 digits would round a maximum of
1234567890123456789012345678.90 to ...679."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

import polars as pl

from laatool.base.numbers import EXACT

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
WIDE = Context(prec=60)


def round_half_up(value: Fraction, places: int) -> Decimal:
    """`value` to `places` decimals, halves away from zero (Decimal's ROUND_HALF_UP).

    In whole numbers: |n/d| × 10^places + 1/2, floored, is (2|n| × 10^places + d) // 2d.
    """
    numerator, denominator = value.numerator, value.denominator
    whole = (2 * abs(numerator) * 10**places + denominator) // (2 * denominator)
    return Decimal(whole if numerator >= 0 else -whole).scaleb(-places, context=EXACT)


def half_up(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """`round_half_up` over a frame: numerator / denominator (whole numbers, the denominator not
    zero) to a whole number, halves away from zero, in the same whole-number arithmetic."""
    return (numerator.sign() * denominator.sign()) * (
        (2 * numerator.abs() + denominator.abs()) // (2 * denominator.abs())
    )


def round_towards(value: Fraction, places: int, direction: int) -> Decimal:
    """`value` to `places` decimals, up when `direction` > 0, else down."""
    scaled = value.numerator * 10**places
    whole = -(-scaled // value.denominator) if direction > 0 else scaled // value.denominator
    return Decimal(whole).scaleb(-places, context=EXACT)


def to_penny(value: Fraction) -> Decimal:
    """Pounds to the penny, half up (DESIGN.md §6)."""
    return round_half_up(value, 2)


def ratio(value: Fraction | None) -> Decimal | None:
    """An achievement or payable fraction for the outputs: 4 decimals, half up."""
    return None if value is None else round_half_up(value, 4)


def split(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """`total` cut into `shares` (which add up to 1): each part but the last rounded to the
    penny, the last taking the remainder, so the parts add up to `total` exactly."""
    parts = [to_penny(Fraction(total) * Fraction(share)) for share in shares[:-1]]
    return [*parts, EXACT.subtract(total, money_sum(parts))]


def money_sum(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of amounts of money (£0.00 for none)."""
    total = ZERO
    for amount in amounts:
        total = EXACT.add(total, amount)
    return total


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
