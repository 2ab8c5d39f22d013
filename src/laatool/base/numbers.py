"""The numbers laatool reads, and the limits it holds them to (DESIGN.md §6.1 "Numbers as written").

Every number of every input (returns cells and every YAML number: agreements, schemes,
indicators, laatool.yaml) is read as the decimal text written and must keep within these
limits before anything computes with it: at most `MAX_DIGITS` significant digits, and its
leading digit between 10^`MIN_EXPONENT` and 10^`MAX_EXPONENT` (zero is always fine). Within
them every value is used exactly; beyond them the number is a finding, never rounded,
never computed with (a million digits, or 10^1000000, would take minutes to multiply).

Frames hold values as `FRAME` (Decimal(38, 10), whose physical integers the fast paths
compute with). A value within the limits that this does not hold exactly (more than 10
decimal places, or 10^28 or more) is carried as its exact text beside it instead, and the
rows that read one are worked out in Python with exact fractions.
"""

from __future__ import annotations

import re
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

import polars as pl

MAX_DIGITS = 30
MIN_EXPONENT = -30
MAX_EXPONENT = 30
LIMITS = (f"at most {MAX_DIGITS} significant digits, of a size from 1e{MIN_EXPONENT} up to "
          f"(not including) 1e{MAX_EXPONENT + 1}, or zero")
# Longer texts are refused unread: no number within the limits is written in more characters
# (digits, zeros between them and the point, a sign, a point, an exponent, thousands commas).
MAX_TEXT = 200

# Every value within the limits has its digits between 10^30 and 10^-59: 90 places. Sums and
# differences of them, and products of two or three, are exact in a context of this many digits.
EXACT = Context(prec=4 * (MAX_EXPONENT - MIN_EXPONENT + MAX_DIGITS))

# A number as a person writes one: ASCII digits, a point, a sign and an exponent. Python's
# Decimal also reads `2_2.8`, `٢٣`, `+inf` and `-NaN`, which no return, agreement or spreadsheet
# means as a number (`laatool.base.models` reads quoted numbers by it, `laatool.render.values`
# tells a CSV cell's number from a formula by it).
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# A spreadsheet's number cell holds a binary double. Excel shows 15 significant digits of it,
# keeps no more of what is typed, and writes the double into the file in up to 17: 0.58 typed
# is `0.57999999999999996` in the XML, 1.1 is `1.1000000000000001` (xlsxwriter writes 16:
# 9.2 is `9.199999999999999`; a script formatting 46.8 to 16 places writes 18,
# `46.7999999999999972`). Those digits beyond 15 are the binary number's, never the figure
# anyone entered, so a text of more than 15 significant digits is read as Excel shows it.
SPREADSHEET_DIGITS = 15
SHOWN = Context(prec=SPREADSHEET_DIGITS, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)

FRAME = pl.Decimal(38, 10)
FRAME_SCALE = 10
FRAME_BELOW = Decimal(10) ** 28  # the magnitude FRAME holds exactly, below it


def beyond(number: Decimal | int) -> str | None:
    """Why `number` is beyond the limits (a phrase), or None when it is within them."""
    value = Decimal(number) if isinstance(number, int) else number
    if not value.is_finite():
        return "is not a finite number"
    if not value:
        return None
    digits = _digits(value)
    if digits > MAX_DIGITS:
        return f"has {digits} significant digits; laatool holds {LIMITS}"
    exponent = value.adjusted()
    if not MIN_EXPONENT <= exponent <= MAX_EXPONENT:
        return f"is of the order of 1e{exponent}; laatool holds {LIMITS}"
    return None


def _digits(value: Decimal) -> int:
    """Significant digits, trailing zeros of a whole number not counted (`3200` has 2)."""
    digits = value.as_tuple().digits
    kept = len(digits)
    while kept and not digits[kept - 1]:
        kept -= 1
    return kept


def text_beyond(text: str) -> str | None:
    """`beyond` for a number's text, checked before Python turns it into a number: a text of
    thousands of digits is refused unread."""
    if len(text) > MAX_TEXT:
        return f"is written in {len(text):,} characters; laatool holds {LIMITS}"
    value = parse(text)
    if value is None and PLAIN_NUMBER.fullmatch(text):  # an exponent beyond even Python's decimals
        return f"is of the order of 1e{text.lower().partition('e')[2]}; laatool holds {LIMITS}"
    return None if value is None else beyond(value)


def parse(text: str) -> Decimal | None:
    """The exact decimal a text writes, None if it is not a finite number written plainly
    (`PLAIN_NUMBER`: Python's Decimal would also take `1_0` for 10, and spaces around it)."""
    if len(text) > MAX_TEXT or not PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def fits_frame(value: Decimal) -> bool:
    """True when `FRAME` holds `value` exactly (a value within the limits)."""
    if value.copy_abs() >= FRAME_BELOW:
        return False
    sign, digits, exponent = value.as_tuple()
    places = -int(exponent)
    if places <= FRAME_SCALE:
        return True
    return not any(digits[max(0, len(digits) - (places - FRAME_SCALE)):])


def exact_text(value: Decimal) -> str:
    """The canonical text of an exact value: as written, without trailing zeros."""
    exponent = value.as_tuple().exponent  # an int for a finite value
    text = format(value, "f") if isinstance(exponent, int) and -40 < exponent <= 0 else str(value)
    return text.rstrip("0").rstrip(".") if "." in text and "E" not in text else text


# A value the frame does not hold exactly is compared with 0 and 1 by its exact text
# (`exact_text`, above), never its nearest frame value: 1.00000000001 is above 1.
# Such a value is never 0 or 1 itself; it is between -1 and 1 when its text starts `0.` or
# `-0.`, or has a negative exponent (only a value below 10^-10 is written with one).
def _within_one(exact: pl.Expr) -> pl.Expr:
    return exact.str.contains(r"^-?0\.|E-")


def above_one(number: pl.Expr, exact: pl.Expr) -> pl.Expr:
    """Whether a value (the frame's `number`, or its `exact` text where it has one) is above 1."""
    return pl.when(exact.is_null()).then(number > 1).otherwise(~exact.str.starts_with("-") & ~_within_one(exact))


def from_zero_to_one(number: pl.Expr, exact: pl.Expr) -> pl.Expr:
    """Whether a value (as `above_one` reads it) is from 0 to 1."""
    return pl.when(exact.is_null()).then(number.is_between(0, 1)).otherwise(
        ~exact.str.starts_with("-") & _within_one(exact))


def below_power_of_ten(number: pl.Expr, exact: pl.Expr, digits: int) -> pl.Expr:
    """Whether a value (as `above_one` reads it) is less than 10^`digits` either way: by its
    exact text, its whole digits (`999999999999999.99999999999`, which the frame holds as
    10^15, is below 10^15); one written with an exponent is tiny (`E-`) or huge (`E+`)."""
    whole = exact.str.extract(r"^-?(\d*)", 1).str.len_chars()
    return pl.when(exact.is_null()).then(number.abs() < frame_lit(Decimal(10) ** digits)).otherwise(
        exact.str.contains("E-", literal=True)
        | (~exact.str.contains("E+", literal=True) & (whole <= digits)))


def in_frame(value: Decimal | None) -> tuple[Decimal | None, str | None]:
    """A value for a `FRAME` column, and its exact text when that column cannot hold it exactly:
    the nearest `FRAME` value then (the largest for one of 10^28 or more), which still says
    that a value is there, while the exact paths read the text."""
    if value is None or fits_frame(value):
        return value, None
    if value.copy_abs() >= FRAME_BELOW:
        held = (FRAME_BELOW - 1).copy_sign(value)
    else:
        held = value.quantize(Decimal(1).scaleb(-FRAME_SCALE), context=EXACT)
    return held, exact_text(value)


# polars makes a decimal literal or column from Python's Decimals through numpy: a tenth of a
# second of imports in a run that otherwise never loads it. These go in as text and are cast.
def frame_lit(value: Decimal | int, dtype: pl.DataType = FRAME) -> pl.Expr:
    """`value` as a decimal literal of `dtype`."""
    return pl.lit(format(Decimal(value), "f")).cast(dtype)


def frame_of(rows: list[dict], schema: dict) -> pl.DataFrame:
    """`pl.DataFrame(rows, schema=schema)`, its decimal columns made from their values' text."""
    decimals = [name for name, dtype in schema.items() if isinstance(dtype, pl.Decimal)]
    if not decimals:
        return pl.DataFrame(rows, schema=schema)
    texts = [{name: format(value, "f") if name in decimals and value is not None else value
              for name, value in row.items()} for row in rows]
    frame = pl.DataFrame(texts, schema={**schema, **dict.fromkeys(decimals, pl.String)})
    return frame.with_columns(pl.col(name).cast(schema[name]) for name in decimals)


def as_spreadsheet_shows(text: str) -> str:
    """A spreadsheet number cell's text as the spreadsheet shows the number: a text of 16 to
    MAX_DIGITS significant digits (a double written out) rounded half up to 15
    (`0.57999999999999996` is 0.58, `46.7999999999999970` 46.8, `9.999999999999999E-12`
    0.00000000001), whatever wrote it, since every such text is the same double the sheet
    shows; any other text as it is (a shorter one is shown whole; a longer one is beyond the
    limits, R321, as in a CSV file)."""
    value = parse(text.strip())
    if value is None or not SPREADSHEET_DIGITS < len(value.as_tuple().digits) <= MAX_DIGITS:
        return text
    return exact_text(SHOWN.plus(value))
