"""R330–R332: plausibility — values and periods that are valid but probably not what was meant
(DESIGN.md §12). Warnings: the row is used as written; the finding says what it looks like.

The flags that compare a row with other rows (its area's other returns of the indicator, the
previous period's value) are worked out once over the whole frame (`plausibility_flags`), as
polars joins and window expressions; the rules read them like any other column.
"""

from __future__ import annotations

import polars as pl

from laatool.base.findings import Severity
from laatool.base.money import decimal_text as _plain
from laatool.base.numbers import EXACT, above_one, from_zero_to_one
from laatool.base.rule import Rule
from laatool.base.suggest import MONTH_YEAR, SHORT_DATE, spreadsheet_date_period
from laatool.checks.returns_kinds import RowRule, cell, col, known, shown
from laatool.checks.returns_values import exact_value
from laatool.load.normalise import DECIMAL

# A period cell a spreadsheet made a date of, read back as text (`2010-11-01 00:00:00`), or
# as the spreadsheet saved it to CSV (`Nov-10`, `01/11/2010`).
DATE_PATTERN = (r"(?i)^\s*(?:[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
                rf"|{MONTH_YEAR}|{SHORT_DATE}(?: [0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}})?)?)\s*$")
KEY = ["area_id", "indicator_id"]


class R330(RowRule, Rule):
    """Percentage written as a proportion.

    A percentage indicator's value is at most 1 where the area's other returns of that
    indicator are mostly above 1, or where the area's targets on it are: `0.471` typed for
    47.1%, or a spreadsheet cell formatted as 55% (stored as 0.55). A proportion scores as a
    collapse of the indicator. A percentage whose range goes below 0 or has no lower limit (a
    gap in percentage points, such as NI 102, closing towards 0; a change, such as NI 186's
    reduction in emissions) is not looked at: no proportion is negative.

    Failing:
        area,indicator,period,value
        leeds,NI 53,2008-09,47.3
        leeds,NI 53,2009-10,0.471
    Passing:
        area,indicator,period,value
        leeds,NI 53,2008-09,47.3
        leeds,NI 53,2009-10,47.1
    """

    code = "R330"
    severity = Severity.WARNING
    hint = ("write the percentage (47.1, not 0.471); in a spreadsheet, format the column as a number, "
            "not as %")

    @classmethod
    def offending(cls):
        # a row whose period is not one is an error already (R304): no second word on its value
        return col("proportion_basis").is_not_null() & col("period_id").is_not_null()

    @classmethod
    def message(cls, row, field):
        area, indicator = row["area_id"], row["indicator_id"]
        basis = (f"most of {area}'s other {indicator} returns" if row["proportion_basis"] == "returns"
                 else f"{area}'s targets for {indicator}")
        # a proportion of 0 is 0 per cent too: only the value itself can be wrong
        if row["value_num"] == 0 and row.get("value_exact") is None:
            return (f"value {cell(row['value'])} of {indicator} (a percentage) is 0 whether it is a percentage or a "
                    f"proportion, while {basis} are above 1: check that it is a true 0")
        return (f"value {cell(row['value'])} of {indicator} (a percentage) looks like a proportion: {basis} are "
                f"above 1; as a percentage it would be {_plain(exact_value(row, 'value') * 100)}")  # type: ignore[operator, arg-type]  # flagged: it has one


class R331(RowRule, Rule):
    """Change from the previous period beyond the indicator's tolerance.

    The indicator gives a `tolerance`, the largest plausible change between consecutive
    periods in its unit; the value moves further than that from the same area's (and
    sub-target's) value for the period before (the previous year, or the previous quarter).
    Often a typing slip or a changed definition: say which in the `note`.

    Failing:
        indicator NI 53: tolerance: 10
        area,indicator,period,value
        leeds,NI 53,2008-09,47.3
        leeds,NI 53,2009-10,4.7
    Passing:
        area,indicator,period,value
        leeds,NI 53,2008-09,47.3
        leeds,NI 53,2009-10,47.1
    """

    code = "R331"
    severity = Severity.WARNING
    hint = "check the value; if the change is real, explain it in the note column"

    @classmethod
    def offending(cls):
        change = (col("value_num") - col("previous_value")).abs()
        return known & (change > col("change_tolerance")).fill_null(False)

    @classmethod
    def exact(cls, row):
        value, previous, tolerance = (exact_value(row, c) for c in ("value", "previous_value", "change_tolerance"))
        if not row["known"] or value is None or previous is None or tolerance is None:
            return {"value": False}
        return {"value": EXACT.subtract(value, previous).copy_abs() > tolerance}

    @classmethod
    def message(cls, row, field):
        value, previous, tolerance = (exact_value(row, c) for c in ("value", "previous_value", "change_tolerance"))
        change = EXACT.subtract(value, previous)  # type: ignore[arg-type]  # a row R331 flagged has both
        return (f"{row['indicator_id']} {row['period_id']} for {row['area_id']}: value {cell(row['value'])} changes by "
                f"{_plain(change)} from {_plain(previous)} the period before, more than its "  # type: ignore[arg-type]
                f"tolerance of {_plain(tolerance)}")  # type: ignore[arg-type]  # R331 is of indicators with one


class R332(RowRule, Rule):
    """Period turned into a date by a spreadsheet.

    The period cell holds a date: a spreadsheet read `2010-11` (or `2010/11`) typed into a
    cell as 1 November 2010, and saves it to CSV as it shows it (`Nov-10`, `01/11/2010`). The
    row has no period (R304 says so too); the finding names the period it probably was.

    Failing:
        area,indicator,period,value
        leeds,NI 154,2010-11-01 00:00:00,3390
    Passing:
        area,indicator,period,value
        leeds,NI 154,2010-11,3390
    """

    code = "R332"
    severity = Severity.WARNING
    hint = ("format the period column as Text before typing (Excel: Format Cells > Text), or type an "
            "apostrophe first ('2010-11), then retype the periods")
    field = "period"

    @classmethod
    def offending(cls):
        return col("period_id").is_null() & col("period").str.contains(DATE_PATTERN).fill_null(False)

    @classmethod
    def message(cls, row, field):
        meant = spreadsheet_date_period(row["period"])
        probably = f": probably the period {meant}" if meant else ""
        return f"period {shown(row['period'])} is a date that a spreadsheet made of the period typed{probably}"


BASIS = pl.Enum(["returns", "target"])  # a byte a row, where a text would be 16


def proportion_basis(returns: pl.DataFrame, catalogue: pl.DataFrame, targets: pl.DataFrame) -> pl.Series:
    """R330's flag for every row: `returns` where a percentage's value (of an indicator that
    cannot be negative) is from 0 to 1 and most of the area's other returns of the indicator
    are above 1, else `target` where one of the area's targets on it is above 1, else null. A
    value below 0 is no proportion (R306 says it is out of range)."""
    # a signed percentage (a gap in percentage points, NI 102; a change with no lower limit,
    # NI 186) is near 0 by design, and no proportion is negative: only percentages that cannot
    # be negative are looked at
    percent = (catalogue.filter((pl.col("unit") == "percent") & (pl.col("range_min") >= 0).fill_null(False))
               .select(indicator_id="indicator"))
    above_target = (targets.lazy().filter(above_one(pl.col("target"), pl.col("target_exact")))
                    .select(area_id="area", indicator_id="indicator").unique())
    above = above_one(pl.col("value_num"), pl.col("value_exact")).cast(pl.Int64)
    others_above = above.sum().over(KEY) - above
    others_at_most_one = pl.len().over(KEY) - 1 - others_above
    valued = returns.lazy().select("index", *KEY, "value_num", "value_exact").filter(pl.col("value_num").is_not_null())
    # Only the (area, indicator) pairs of a percentage with a value of at most 1 can offend:
    # few, so the counts are made over their rows alone.
    proportion = from_zero_to_one(pl.col("value_num"), pl.col("value_exact"))
    suspect = (valued.filter(proportion).join(percent.lazy(), on="indicator_id", how="semi")
               .select(KEY).unique())
    flagged = (
        valued.join(suspect, on=KEY, how="semi")
        .with_columns(by_returns=others_above > others_at_most_one)
        .filter(proportion)
        .join(above_target.with_columns(by_target=pl.lit(True)), on=KEY, how="left")
        .select("index", proportion_basis=pl.when("by_returns").then(pl.lit("returns"))
                .when(pl.col("by_target").fill_null(False)).then(pl.lit("target")))
        .filter(pl.col("proportion_basis").is_not_null())
        .collect()
    )
    return _aligned(returns, flagged, "proportion_basis", BASIS)


def previous_values(returns: pl.DataFrame, catalogue: pl.DataFrame) -> list[pl.Series]:
    """R331's comparison for every row of an indicator with a `tolerance`: the value of the
    same area, indicator and sub-target for the period just before (the year before a year,
    the quarter before a quarter; the first row given for it), else null; and beside it its
    exact text (`previous_value_exact`) where the frame does not hold it, only when one does
    not (a column of every row)."""
    tolerant = catalogue.filter(pl.col("change_tolerance").is_not_null()).select(indicator_id="indicator")
    start = pl.col("year_id").str.slice(0, 4).cast(pl.Int64, strict=False)
    keys = [*KEY, "subtarget_id", "quarterly"]
    rows = (
        returns.lazy().select("index", *KEY, "subtarget_id", "year_id", "quarter", "value_num", "value_exact")
        .filter(pl.col("value_num").is_not_null() & pl.col("year_id").is_not_null())
        .join(tolerant.lazy(), on="indicator_id", how="semi")
        .with_columns(quarterly=pl.col("quarter").is_not_null(),
                      step=pl.when(pl.col("quarter").is_null()).then(start).otherwise(start * 4 + pl.col("quarter")))
    )
    before = (rows.sort("index").unique([*keys, "step"], keep="first", maintain_order=True)
              .select(*keys, step=pl.col("step") + 1, previous_value=pl.col("value_num"),
                      previous_value_exact=pl.col("value_exact")))
    found = (rows.join(before, on=[*keys, "step"], how="inner", nulls_equal=True)
             .select("index", "previous_value", "previous_value_exact").collect())
    previous = [_aligned(returns, found, "previous_value", DECIMAL)]
    if found.get_column("previous_value_exact").is_not_null().any():
        previous.append(_aligned(returns, found, "previous_value_exact", pl.String))
    return previous


def _aligned(returns: pl.DataFrame, found: pl.DataFrame, name: str, dtype) -> pl.Series:
    """`found`'s column `name` for each row of `returns` (whose `index` is its position), null
    where it has none."""
    return placed(returns.height, found.get_column("index"), found.get_column(name).cast(dtype), name, dtype)


def placed(height: int, at: pl.Series, values: pl.Series | bool, name: str, dtype, default: int | bool | None = None
           ) -> pl.Series:
    """A column of `height` rows holding `values` at the positions `at` and `default` elsewhere:
    the few put in place, not joined or looked up over every row (`is_in` builds its set again
    for each chunk of a column, and a workspace of many files has hundreds)."""
    column = pl.repeat(default, height, dtype=dtype, eager=True).alias(name)
    return column.scatter(at, values) if at.len() else column
