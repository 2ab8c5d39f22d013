"""R: whether a returns row's numbers read as numbers: text that is not one (R305), and a
number beyond the limits laatool holds exactly (R321)."""

from __future__ import annotations

import re

from laatool.base.ids import WHITESPACE
from laatool.base.numbers import LIMITS, beyond, parse
from laatool.base.rule import Rule
from laatool.checks.returns_kinds import (
    RowRule,
    cell,
    col,
    shown,
)
from laatool.load.returns_table import NUMBER_COLUMNS


class R305(RowRule, Rule):
    """Non-numeric value.

    A number column (value, numerator, denominator, sample_size, lower_ci, upper_ci) holds
    text that is not a number. Thousands separators (`1,234`) are accepted; units, `%`,
    `n/a` and similar are not. A workbook's number cell formatted as a percentage is read as
    the text the sheet shows (0.238 shown `23.8%`), and one formatted in thousands or millions
    as the number with its scale (628000 shown `628` by `#,##0,`: `628000 shown in thousands`),
    so neither is a number: which figure is meant is for the person to say. A decimal comma
    (`13,9`, `0,375`, `1.234,5`) is not read as a point either; the finding says how the figure
    reads with one (13.9). A blank value means "not reported" and is fine.

    Failing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0%
    Passing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0
    """

    code = "R305"
    hint = ("write a plain number (no units or symbols; in a spreadsheet, a cell formatted as a number, not as a "
            "percentage or in thousands, with the figure typed again as it is meant: 70.8 for 70.8%), or leave the "
            "cell blank if not reported")

    @classmethod
    def conditions(cls):
        # a cell of spaces (or a quoted empty string) is blank: "not reported", like an empty one
        return {c: col(f"{c}_unparsed") for c in NUMBER_COLUMNS}

    @classmethod
    def message(cls, row, field):
        written = row[field].strip(WHITESPACE)
        if DECIMAL_COMMA.fullmatch(written):  # a sheet in a language that writes decimal commas
            pointed = written.replace(".", "").replace(",", ".")
            return f"{field} {shown(row[field])} is not a number: with a decimal point it reads {pointed}"
        return f"{field} {shown(row[field])} is not a number"


# Digits, a comma and digits, the digits before it perhaps grouped by points (`1.234,5`): what a
# spreadsheet set to a language with decimal commas writes. `1,234` (groups of three after the
# first) is a thousands separator, read as a number, and never comes here.
DECIMAL_COMMA = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),[0-9]+")


class R321(RowRule, Rule):
    """Number beyond laatool's limits.

    laatool uses every number exactly as written, whatever its decimal places, so it holds
    numbers to limits it can compute with exactly: at most 30 significant digits, and a size
    from 1e-30 up to (not including) 1e31, or zero. A number cell (value, numerator,
    denominator, sample_size, lower_ci, upper_ci) beyond them is refused, never rounded,
    and nothing is computed with it. (A YAML number beyond them is Y008.)

    Failing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0000000000000000000000000000001
        leeds,NI 154,2008-09,1e1000000
    Passing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0000000000000000000000000000      # 30 digits
    """

    code = "R321"
    hint = f"write the number with {LIMITS}"

    @classmethod
    def conditions(cls):
        return {c: col(f"{c}_beyond") for c in NUMBER_COLUMNS}

    @classmethod
    def message(cls, row, field):
        text = str(row[field]).strip(WHITESPACE)
        value = parse(text.replace(",", ""))
        why = beyond(value) if value is not None else None
        return f"{field} {cell(text)} {why or 'is beyond the numbers laatool holds: ' + LIMITS}"
