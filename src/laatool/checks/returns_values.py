"""R: the numbers a returns row gives, once read as numbers (`returns_numbers`) — in range,
consistent and as precise as published."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from laatool.base.findings import Severity
from laatool.base.ids import WHITESPACE
from laatool.base.money import decimal_text
from laatool.base.numbers import EXACT, frame_lit
from laatool.base.rule import Rule
from laatool.checks.returns_kinds import (
    RowRule,
    cell,
    col,
    known,
)
from laatool.load.normalise import UNIT
from laatool.load.returns_table import LARGEST, NUMBER_COLUMNS


def blank(column: str) -> pl.Expr:
    """True where a number cell is empty or holds only spaces."""
    return col(f"{column}_num").is_null() & ~col(f"{column}_unparsed")


# What the rules' `exact` read of a row (`laatool.checks.returns_engine.decided_exactly` gives
# them these alone): the numbers and their exact texts, and the catalogue's.
EXACT_READS = (*(f"{c}_{kind}" for c in NUMBER_COLUMNS for kind in ("num", "exact")),
               *(f"{c}{kind}" for c in ("range_min", "range_max", "scale", "change_tolerance", "previous_value")
                 for kind in ("", "_exact")),
               "tolerance", "known", "ci_method", "unit", "decimals")


def exact_value(row: dict[str, Any], column: str) -> Decimal | None:
    """A number column's exact value in a row (`value`, or `range_min` of its indicator): its
    exact text where the frame's decimal is not exact, else the decimal."""
    text = row.get(f"{column}_exact")
    if text is not None:
        return Decimal(text)
    return row[f"{column}_num"] if f"{column}_num" in row else row[column]


def exactly_outside(value: Decimal | None, low: Decimal | None, high: Decimal | None) -> bool:
    if value is None:
        return False
    return value.copy_abs() >= LARGEST or (low is not None and value < low) or (high is not None and value > high)


class R306(RowRule, Rule):
    """Value out of range.

    The value is outside the indicator's valid range (`range` in its definition; a
    percentage defaults to 0..100), or absurdly large (10^15 or more).

    Failing:
        area,indicator,period,value
        leeds,NI 8,2008-09,121.0      # NI 8 is a percentage
    Passing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0
    """

    code = "R306"
    hint = "check the value and its unit (a percentage is written 21.0, not 0.21 or 2100)"

    @classmethod
    def offending(cls):
        value = col("value_num")
        return value.is_not_null() & (
            (value.abs() >= frame_lit(LARGEST))
            | (known & ((value < col("range_min")).fill_null(False) | (value > col("range_max")).fill_null(False)))
        )

    @classmethod
    def exact(cls, row):
        low, high = (exact_value(row, "range_min"), exact_value(row, "range_max")) if row["known"] else (None, None)
        return {"value": exactly_outside(exact_value(row, "value"), low, high)}

    @classmethod
    def message(cls, row, field):
        value, low, high = (exact_value(row, c) for c in ("value", "range_min", "range_max"))
        within = value is None or not row["known"] or (
            (low is None or value >= low) and (high is None or value <= high))
        if within:  # the range allows it (-inf..inf): 10^15 or more is what is wrong
            return f"value {cell(row['value'])} of {row['indicator_id']} is 10^15 or more, too large for any indicator"
        limits = f"{'-inf' if low is None else _plain(low)}..{'inf' if high is None else _plain(high)}"
        return f"value {cell(row['value'])} is outside the range of {row['indicator_id']} ({limits})"


def _plain(value: Decimal) -> str:
    return decimal_text(value)


# R307 compares products of the decimals' physical integers (units of 10^-10) exactly: with
# every part below 10^8 (10^18 units), no product or difference leaves Int128.


EXACT_BELOW = 10**8 * UNIT


class R307(RowRule, Rule):
    """Numerator and denominator inconsistent with the value.

    For a percentage, rate or ratio, value = numerator / denominator × 100 (percent),
    × rate_per (rate) or × 1 (ratio), to within half a unit of the indicator's last published
    decimal. A zero denominator is an error too, with a numerator or without one (a survey's
    interval takes the denominator for the sample size when none is given). A numerator
    without a denominator, on an indicator whose interval is Wilson's, counts some of the
    sample: the sample size is its denominator (the interval is worked from it, DESIGN.md §9).
    Rows with a part of 10^8 or more are not compared (no local count comes near it).

    Failing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,25.0,210,1000        # 210/1000 = 21.0%
    Passing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,210,1000
    """

    code = "R307"
    hint = "recompute the value from the numerator and denominator (or sample size), or correct them"

    @classmethod
    def conditions(cls):
        # value × denominator against numerator × scale, all in units of 10^-20 on both sides
        out_of = (pl.when(col("denominator_num").is_null() & (col("ci_method") == "wilson"))
                  .then(col("sample_size_num")).otherwise(col("denominator_num")))
        parts = [col("value_num").to_physical(), col("numerator_num").to_physical(), out_of.to_physical(),
                 col("scale").to_physical()]
        usable = known & pl.all_horizontal([p.is_not_null() & (p.abs() < EXACT_BELOW) for p in parts])
        # polars' integer arithmetic wraps: a row not `usable` may overflow, and its result is
        # never looked at (masking its parts with zeros first took three times as long)
        value, numerator, denominator, scale = parts
        gap = (value * denominator - numerator * scale).abs()
        return {
            # a sample size of 0 is R319's to say, not a zero denominator; a zero denominator is
            # one with a numerator or without (an interval would take it for the sample size)
            "denominator": known & (col("denominator_num") == 0).fill_null(False)
            & col("denominator_exact").is_null(),
            "value": usable & (denominator != 0) & (gap > col("tolerance").to_physical() * denominator.abs()),
        }

    @classmethod
    def exact(cls, row):
        zero = bool(row["known"]) and exact_value(row, "denominator") == 0
        parts = [exact_value(row, c) for c in ("value", "numerator", _out_of(row), "scale")]
        if not row["known"] or any(p is None or p.copy_abs() >= EXACT_BELOW // UNIT for p in parts):
            return {"denominator": zero, "value": False}
        value, numerator, denominator, scale = parts
        # products and differences of numbers within the limits are exact in EXACT's digits
        gap = EXACT.subtract(EXACT.multiply(value, denominator), EXACT.multiply(numerator, scale)).copy_abs()  # type: ignore[arg-type]  # none is None here
        return {"denominator": zero,
                "value": denominator != 0 and gap > EXACT.multiply(row["tolerance"], denominator.copy_abs())}  # type: ignore[union-attr]

    @classmethod
    def message(cls, row, field):
        if field == "denominator":
            return "the denominator is zero"
        out_of = _out_of(row)
        numerator, denominator = exact_value(row, "numerator"), exact_value(row, out_of)
        scale = exact_value(row, "scale")
        exact = Fraction(numerator) * Fraction(scale) / Fraction(denominator)  # type: ignore[arg-type]  # a row R307 flagged has all three
        expected = Decimal(round(exact * 10**6)).scaleb(-6)
        return (f"value {cell(row['value'])} does not match numerator {cell(row['numerator'])} / "
                f"{out_of.replace('_', ' ')} {cell(row[out_of])} × {_plain(scale)} = {_plain(expected)}")  # type: ignore[arg-type]  # scale too


class R325(RowRule, Rule):
    """Blank value beside its numerator or denominator.

    The value is blank, so the row reports nothing (a blank value means "not reported",
    DESIGN.md §4.3, and the target's return is then missing, R311), yet its numerator or
    denominator is given: the value was typed into the wrong column, or left out when the
    figures it is worked from were copied in. laatool does not work the value out from them:
    the published value is the one the return gives.

    Failing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,,210,1000
    Passing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,210,1000
    """

    code = "R325"
    severity = Severity.WARNING
    hint = "write the value (a blank value means not reported), or clear the numerator and denominator too"

    @classmethod
    def conditions(cls):
        return {"value": blank("value") & (col("numerator_num").is_not_null() | col("denominator_num").is_not_null())}

    @classmethod
    def message(cls, row, field):
        given = [f"{c} {row[c].strip(WHITESPACE)}" for c in ("numerator", "denominator")
                 if exact_value(row, c) is not None]
        return (f"the value is blank, so the row reports nothing, though its {' and '.join(given)} "
                f"{'are' if len(given) == 2 else 'is'} given")


class R326(RowRule, Rule):
    """Negative numerator or denominator.

    A numerator and a denominator count people, households or events: neither is below zero
    for an indicator whose values are not (its range starts at 0 or above; a percentage's
    does). A minus sign is a slip (or a figure pasted from a column of changes), and the
    interval worked from them would be none at all. An indicator whose values may be negative
    (a change measured as a share of its base) may have a negative numerator.

    Failing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,-210,-1000
    Passing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,210,1000
    """

    code = "R326"
    hint = "write the count without its minus sign"

    @classmethod
    def conditions(cls):
        # only where the indicator's values cannot be below zero either: a change measured as a
        # share of its base (range -100..100) counts a fall as a negative numerator
        counts = known & (col("range_min") >= 0).fill_null(False)
        return {c: counts & (col(f"{c}_num") < 0) for c in ("numerator", "denominator")}

    @classmethod
    def exact(cls, row):
        low = exact_value(row, "range_min") if row["known"] else None
        return {c: low is not None and low >= 0 and (number := exact_value(row, c)) is not None and number < 0
                for c in ("numerator", "denominator")}

    @classmethod
    def message(cls, row, field):
        return f"{field} {cell(row[field])} is negative"


def _out_of(row: dict[str, Any]) -> str:
    """The column a row's numerator counts some of: its denominator, or, without one, the
    sample size of an indicator whose interval is Wilson's."""
    if exact_value(row, "denominator") is None and row["ci_method"] == "wilson":
        return "sample_size"
    return "denominator"


class R313(RowRule, Rule):
    """Value with more decimals than the indicator publishes.

    The value is written more precisely than the indicator's `decimals`, which usually means
    an unrounded spreadsheet figure (`21.04761904`). Trailing zeros do not count.

    Failing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0476
    Passing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0
    """

    code = "R313"
    severity = Severity.WARNING
    hint = "round the value to the indicator's published decimals"

    @classmethod
    def offending(cls):
        # exact as a whole number of the decimal's smallest unit: a multiple of the step
        return known & (col("value_num").to_physical() % col("step") != 0).fill_null(False)

    @classmethod
    def exact(cls, row):
        value = exact_value(row, "value")
        places = -min(0, value.normalize(EXACT).as_tuple().exponent) if value is not None else 0  # type: ignore[operator]  # finite: an int
        return {"value": bool(row["known"]) and places > row["decimals"]}

    @classmethod
    def message(cls, row, field):
        return f"value {cell(row['value'])} has more decimals than {row['indicator_id']} publishes ({row['decimals']})"


