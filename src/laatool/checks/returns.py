"""R: returns — every row checked by polars expressions over the whole normalised frame.

Each row rule gives, per field, a boolean expression that is true on an offending row. All of
them are evaluated in one pass (`laatool.checks.returns_engine`); only the offending rows are turned
into findings. Once a rule has reported `MAX_PER_FILE` rows of one file it reports one summary
finding for the rest, so a garbage file still gives a readable report.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import polars as pl

from laatool.base.findings import Finding, Severity
from laatool.base.ids import WHITESPACE
from laatool.base.rule import REGISTRY, Rule
from laatool.load.returns import LARGEST, UNIT

MAX_PER_FILE = 1000
KEYS = ["area_id", "indicator_id", "subtarget_id", "period_id"]

col = pl.col
known = col("known").fill_null(False)
area_ok = col("area_ok")  # the area id is a slug (looked up per distinct area)
quarter = col("quarter").is_not_null()
calendar = col("period_id").str.len_bytes() == 4  # a canonical period: 2008, 2008-09 or 2008-09 Q1
later_duplicate = (col("copies") > 1) & (col("index") != col("first_index"))


class RowRule(Rule):
    """The R row rules' contract: a rule over returns rows. `conditions()` maps a field to its offending mask.

    A rule whose conditions need rows compared with each other (the duplicates) gives a
    `screen()` too: a mask over each row alone that is true wherever a condition may be. The
    batches keep the rows it marks, and the conditions are decided on those few rows.
    """

    field: ClassVar[str] = "value"

    @classmethod
    def conditions(cls) -> dict[str, pl.Expr]:
        return {cls.field: cls.offending()}

    @classmethod
    def screen(cls) -> pl.Expr | None:
        return None

    @classmethod
    def offending(cls) -> pl.Expr:
        raise NotImplementedError

    @classmethod
    def message(cls, row: dict[str, Any], field: str) -> str:
        raise NotImplementedError


class DuplicateRule(RowRule):
    """A row rule comparing a row with the rows of the same key; it is decided on the rows
    whose key may be another's (`maybe_duplicate`, worked out over all rows)."""

    @classmethod
    def screen(cls) -> pl.Expr:
        return col("maybe_duplicate")


def shown(text: object) -> str:
    return "blank" if text is None else repr(str(text))


class R301(RowRule, Rule):
    """Return for an area with no agreement.

    The row's area has no `agreements/<area>.yaml` in the workspace, so nothing scores it.
    Often a misspelt area, or a file of returns for neighbouring areas.

    Failing:
        area,indicator,period,value
        leeeds,NI 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R301"
    severity = Severity.WARNING
    hint = "check the area's spelling, or add its agreement to agreements/"
    field = "area"

    @classmethod
    def offending(cls):
        return area_ok & ~col("has_agreement")

    @classmethod
    def message(cls, row, field):
        return f"no agreement for area '{row['area_id']}' (no agreements/{row['area_id']}.yaml)"


class R302(RowRule, Rule):
    """Unknown indicator in a return.

    The indicator id is well formed but is neither a national indicator nor one defined in
    the workspace's `indicators/` folder.

    Failing:
        area,indicator,period,value
        leeds,LEEDS-99,2008-09,12
    Passing:
        area,indicator,period,value
        leeds,LEEDS-01,2008-09,12
    """

    code = "R302"
    hint = "correct the id, or define the local indicator in the workspace's indicators/ folder"
    field = "indicator"

    @classmethod
    def offending(cls):
        return col("indicator_id").is_not_null() & ~known

    @classmethod
    def message(cls, row, field):
        return f"unknown indicator {row['indicator_id']}"


class R303(RowRule, Rule):
    """Malformed indicator id in a return.

    The indicator cell is blank or is not an id: a national indicator is written `NI 154`
    (`NI154`, `ni 154`, `NI-154` are accepted) and runs from NI 1 to NI 199; a local one is
    capitals, digits and hyphens.

    Failing:
        area,indicator,period,value
        leeds,National Indicator 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R303"
    hint = "write the id as 'NI 154' (national) or e.g. 'LEEDS-01' (local)"
    field = "indicator"

    @classmethod
    def offending(cls):
        return col("indicator_id").is_null()

    @classmethod
    def message(cls, row, field):
        if row["indicator"] is None:
            return "the indicator is blank"
        return f"{shown(row['indicator'])} is not an indicator id"


class R304(RowRule, Rule):
    """Malformed period in a return.

    The period cell is blank or not a period. Years are written `2008-09` (also `2008/09`,
    `2008-2009`), quarters `2008-09 Q1` (Q1 = April to June), calendar years `2008`.

    Failing:
        area,indicator,period,value
        leeds,NI 154,2008-10,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R304"
    hint = "write the period as 2008-09, 2008-09 Q1 or 2008"
    field = "period"

    @classmethod
    def offending(cls):
        return col("period_id").is_null()

    @classmethod
    def message(cls, row, field):
        if row["period"] is None:
            return "the period is blank"
        return f"{shown(row['period'])} is not a period"


NUMBER_COLUMNS = ("value", "numerator", "denominator", "sample_size", "lower_ci", "upper_ci")


class R305(RowRule, Rule):
    """Non-numeric value.

    A number column (value, numerator, denominator, sample_size, lower_ci, upper_ci) holds
    text that is not a number. Thousands separators (`1,234`) are accepted; units, `%`,
    `n/a` and similar are not. A blank value means "not reported" and is fine.

    Failing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0%
    Passing:
        area,indicator,period,value
        leeds,NI 8,2008-09,21.0
    """

    code = "R305"
    hint = "write a plain number (no units or symbols), or leave the cell blank if not reported"

    @classmethod
    def conditions(cls):
        # a cell of spaces (or a quoted empty string) is blank: "not reported", like an empty one
        return {c: col(f"{c}_unparsed") for c in NUMBER_COLUMNS}

    @classmethod
    def message(cls, row, field):
        if _too_long(row[field]):
            return f"{field} {shown(row[field])} is too large: numbers may have at most 28 digits before the point"
        return f"{field} {shown(row[field])} is not a number"


def blank(column: str) -> pl.Expr:
    """True where a number cell is empty or holds only spaces."""
    return col(f"{column}_num").is_null() & ~col(f"{column}_unparsed")


def _too_long(text: object) -> bool:
    """A number that only fails to read for being longer than exact decimals hold (10^28)."""
    try:
        number = Decimal(str(text).strip(WHITESPACE).replace(",", ""))
    except ArithmeticError:
        return False
    return number.is_finite() and abs(number) >= Decimal(10) ** 28


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
            (value.abs() >= LARGEST)
            | (known & ((value < col("range_min")).fill_null(False) | (value > col("range_max")).fill_null(False)))
        )

    @classmethod
    def message(cls, row, field):
        low, high = row["range_min"], row["range_max"]
        limits = f"{'-inf' if low is None else _plain(low)}..{'inf' if high is None else _plain(high)}"
        return f"value {row['value']} is outside the range of {row['indicator_id']} ({limits})"


def _plain(value: Decimal) -> str:
    from laatool.base.money import decimal_text

    return decimal_text(value)


# R307 compares products of the decimals' physical integers (units of 10^-10) exactly: with
# every part below 10^8 (10^18 units), no product or difference leaves Int128.
EXACT_BELOW = 10**8 * UNIT


class R307(RowRule, Rule):
    """Numerator and denominator inconsistent with the value.

    For a percentage, rate or ratio, value = numerator / denominator × 100 (percent),
    × rate_per (rate) or × 1 (ratio), to within half a unit of the indicator's last published
    decimal. A zero denominator is an error too. Rows with a part of 10^8 or more are not
    compared (no local count comes near it).

    Failing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,25.0,210,1000        # 210/1000 = 21.0%
    Passing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,210,1000
    """

    code = "R307"
    hint = "recompute the value from the numerator and denominator, or correct them"

    @classmethod
    def conditions(cls):
        # value × denominator against numerator × scale, all in units of 10^-20 on both sides
        parts = [col(c).to_physical() for c in ("value_num", "numerator_num", "denominator_num", "scale")]
        usable = known & pl.all_horizontal([p.is_not_null() & (p.abs() < EXACT_BELOW) for p in parts])
        value, numerator, denominator, scale = (pl.when(usable).then(p).otherwise(0) for p in parts)
        gap = (value * denominator - numerator * scale).abs()
        return {
            "denominator": usable & (denominator == 0),
            "value": usable & (denominator != 0) & (gap > col("tolerance").to_physical() * denominator.abs()),
        }

    @classmethod
    def message(cls, row, field):
        if field == "denominator":
            return "the denominator is zero"
        expected = row["numerator_num"] * row["scale"] / row["denominator_num"]
        return (f"value {row['value']} does not match numerator {row['numerator']} / denominator "
                f"{row['denominator']} × {_plain(row['scale'])} = {_plain(round(expected, 6))}")


class R308(DuplicateRule, Rule):
    """Conflicting duplicate returns.

    Two rows give different values for the same area, indicator, sub-target and period
    (in one file or across files), so it is not known which is right. The finding is on the
    later row and names the earlier one.

    Failing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
        leeds,NI 154,2008-09,3150
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R308"
    hint = "keep the correct row and delete the other"

    @classmethod
    def offending(cls):
        return later_duplicate & col("value_key").ne_missing(col("first_value"))

    @classmethod
    def message(cls, row, field):
        return (f"{row['indicator_id']} {row['period_id']} for {row['area_id']}: value {shown(row['value'])} "
                f"conflicts with {shown(row['first_value_text'])} at {row['first_where']}")


class R309(DuplicateRule, Rule):
    """Identical duplicate return.

    The same value for the same area, indicator, sub-target and period is given twice. It
    does no harm to the figures but usually means a file was loaded twice.

    Failing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
        leeds,NI 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R309"
    severity = Severity.WARNING
    hint = "delete the repeated row"

    @classmethod
    def offending(cls):
        return later_duplicate & col("value_key").eq_missing(col("first_value"))

    @classmethod
    def message(cls, row, field):
        return f"{row['indicator_id']} {row['period_id']} for {row['area_id']} repeats {row['first_where']}"


class R310(RowRule, Rule):
    """Period does not fit the indicator.

    A quarter for an indicator that is not reported quarterly; a calendar year (`2008`) for a
    financial- or academic-year indicator; or a year like `2008-09` for a calendar-year one.

    Failing:
        area,indicator,period,value
        leeds,NI 75,2009,48.2           # NI 75 is by academic year
    Passing:
        area,indicator,period,value
        leeds,NI 75,2009-10,48.2
    """

    code = "R310"
    severity = Severity.WARNING
    hint = "write the period the way the indicator is published (see `laatool indicators show ID`)"
    field = "period"

    @classmethod
    def offending(cls):
        year_type = col("period_type")
        return known & col("period_id").is_not_null() & (
            (quarter & (col("frequency") != "quarterly"))
            | (calendar & (year_type != "calendar-year"))
            | (~calendar & (year_type == "calendar-year"))
        )

    @classmethod
    def message(cls, row, field):
        period, indicator = row["period_id"], row["indicator_id"]
        if row["quarter"] is not None and row["frequency"] != "quarterly":
            return f"{period} is a quarter but {indicator} is reported {row['frequency']}"
        return f"{period} does not fit {indicator}, which is reported by {row['period_type']}"


class R312(RowRule, Rule):
    """Provisional data where final is expected.

    A value is marked provisional for a year older than the latest year the area has
    reported: by then the figure should have been confirmed. (Provisional values for the
    latest year are normal and not reported.)

    Failing:
        area,indicator,period,value,status
        leeds,NI 154,2008-09,3105,provisional
        leeds,NI 154,2009-10,3290,final
    Passing:
        area,indicator,period,value,status
        leeds,NI 154,2008-09,3105,final
        leeds,NI 154,2009-10,3290,provisional
    """

    code = "R312"
    severity = Severity.WARNING
    hint = "replace the provisional value with the final one, or confirm it by setting status final"
    field = "status"

    @classmethod
    def offending(cls):
        return col("stale_provisional")  # worked out once for all rows (laatool.checks.returns_engine)

    @classmethod
    def message(cls, row, field):
        return (f"{row['indicator_id']} {row['period_id']} is still provisional although {row['area_id']} "
                f"has reported {row['latest_year']}")


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
    def message(cls, row, field):
        return f"value {row['value']} has more decimals than {row['indicator_id']} publishes ({row['decimals']})"


class R314(RowRule, Rule):
    """Survey indicator reported without its sample size.

    For an indicator that is a survey estimate (Place Survey, TellUs) the sample size shows
    how far the value can be trusted, and is needed to judge a change against a target.

    The value is still scored, without a confidence interval (DESIGN.md §9). A return that
    gives a denominator, or both limits of its interval, is not reported.

    Failing:
        area,indicator,period,value,sample_size
        leeds,NI 1,2008-09,72.9,
    Passing:
        area,indicator,period,value,sample_size
        leeds,NI 1,2008-09,72.9,1104
    """

    code = "R314"
    severity = Severity.WARNING
    hint = "add the survey's sample size in the sample_size column"
    field = "sample_size"

    @classmethod
    def offending(cls):
        # Its interval can still be had from a denominator, or the limits written beside it.
        other_basis = col("denominator_num").is_not_null() | (
            col("lower_ci_num").is_not_null() & col("upper_ci_num").is_not_null())
        return known & col("survey") & col("value_num").is_not_null() & blank("sample_size") & ~other_basis

    @classmethod
    def message(cls, row, field):
        return (f"{row['indicator_id']} is a survey indicator: its sample size is missing, so the value "
                "is used without a confidence interval")


class R315(RowRule, Rule):
    """Sub-target not in the agreement.

    The area's target on this indicator has sub-targets, and the return's `subtarget` is not
    one of their ids (they are matched exactly), so the value scores nothing.

    Failing:
        area,indicator,subtarget,period,value      # agreement sub-targets: north, south
        leeds,NI 154,North,2008-09,1100
    Passing:
        area,indicator,subtarget,period,value
        leeds,NI 154,north,2008-09,1100
    """

    code = "R315"
    severity = Severity.WARNING
    hint = "use one of the sub-target ids written in the agreement"
    field = "subtarget"

    @classmethod
    def offending(cls):
        return col("subtarget_unknown")  # worked out once for all rows (laatool.checks.returns_engine)

    @classmethod
    def message(cls, row, field):
        return (f"sub-target {shown(row['subtarget_id'])} is not one of {row['area_id']}'s sub-targets for "
                f"{row['indicator_id']} ({row['subtarget_ids']})")


class R316(RowRule, Rule):
    """Malformed area in a return.

    The area cell is blank or not an area slug (lower-case letters, digits and hyphens;
    upper case and surrounding spaces are accepted and folded).

    Failing:
        area,indicator,period,value
        Leeds City,NI 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R316"
    hint = "write the area as its slug, the agreement's file name (e.g. leeds, east-riding)"
    field = "area"

    @classmethod
    def offending(cls):
        return ~area_ok

    @classmethod
    def message(cls, row, field):
        return "the area is blank" if row["area"] is None else f"{shown(row['area'])} is not an area slug"


class R317(RowRule, Rule):
    """Invalid status.

    `status` is `final` (the default when blank) or `provisional`.

    Failing:
        area,indicator,period,value,status
        leeds,NI 154,2008-09,3105,draft
    Passing:
        area,indicator,period,value,status
        leeds,NI 154,2008-09,3105,provisional
    """

    code = "R317"
    hint = "write final or provisional, or leave the cell blank for final"
    field = "status"

    @classmethod
    def offending(cls):
        return ~col("status_ok")

    @classmethod
    def message(cls, row, field):
        return f"status {shown(row['status'])} is neither final nor provisional"


class R318(RowRule, Rule):
    """Value outside its confidence interval.

    When a survey value carries a confidence interval, lower_ci ≤ value ≤ upper_ci.

    Failing:
        area,indicator,period,value,lower_ci,upper_ci
        leeds,NI 1,2008-09,72.9,74.1,77.0
    Passing:
        area,indicator,period,value,lower_ci,upper_ci
        leeds,NI 1,2008-09,72.9,70.1,75.7
    """

    code = "R318"
    hint = "check the interval's bounds and the value; the bounds may be swapped"

    @classmethod
    def conditions(cls):
        value, low, high = col("value_num"), col("lower_ci_num"), col("upper_ci_num")
        return {
            "lower_ci": ((low > value) | (low > high)).fill_null(False),
            "upper_ci": ((high < value) & ~(low > high).fill_null(False)).fill_null(False),
        }

    @classmethod
    def message(cls, row, field):
        low, high = row["lower_ci_num"], row["upper_ci_num"]
        if field == "lower_ci" and high is not None and low > high:
            return f"lower_ci {row['lower_ci']} is above upper_ci {row['upper_ci']}"
        bound = "lower_ci" if field == "lower_ci" else "upper_ci"
        side = "below" if field == "lower_ci" else "above"
        return f"value {row['value']} is {side} its {bound} {row[bound]}"


class R319(RowRule, Rule):
    """Sample size is not a positive whole number.

    A sample size counts respondents: a whole number greater than zero.

    Failing:
        area,indicator,period,value,sample_size
        leeds,NI 1,2008-09,72.9,0
    Passing:
        area,indicator,period,value,sample_size
        leeds,NI 1,2008-09,72.9,1104
    """

    code = "R319"
    hint = "write the number of respondents"
    field = "sample_size"

    @classmethod
    def offending(cls):
        size = col("sample_size_num")
        return ((size <= 0) | (size.to_physical() % UNIT != 0)).fill_null(False)

    @classmethod
    def message(cls, row, field):
        return f"sample size {row['sample_size']} is not a positive whole number"


class R320(RowRule, Rule):
    """Return for a deleted indicator.

    NI 31 was dropped before the National Indicator Set started; a value for it is ignored.

    Failing:
        area,indicator,period,value
        leeds,NI 31,2008-09,4.1
    Passing:
        area,indicator,period,value
        leeds,NI 30,2008-09,4.1
    """

    code = "R320"
    severity = Severity.WARNING
    hint = "remove the row, or check the indicator id"
    field = "indicator"

    @classmethod
    def offending(cls):
        return known & (col("indicator_status") == "deleted")

    @classmethod
    def message(cls, row, field):
        return f"{row['indicator_id']} is a deleted indicator"


class R321(RowRule, Rule):
    """Numerator larger than the count it is part of.

    For a percentage, and for any indicator whose interval is Wilson's (`ci_method`), the
    numerator counts some of the denominator (or of the sample): it cannot be larger. (A
    rate's numerator counts events, which may outnumber the population.)

    Failing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,1210,1000
    Passing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,210,1000
    """

    code = "R321"
    hint = "check the numerator and denominator: they may be swapped"
    field = "numerator"

    @classmethod
    def offending(cls):
        part_of = known & ((col("scale") == 100) | (col("ci_method") == "wilson"))
        numerator = col("numerator_num")
        above_sample = (col("ci_method") == "wilson") & (numerator > col("sample_size_num"))
        return (part_of & ((numerator > col("denominator_num")).fill_null(False) | above_sample.fill_null(False)))

    @classmethod
    def message(cls, row, field):
        numerator, denominator, size = row["numerator_num"], row["denominator_num"], row["sample_size_num"]
        if denominator is not None and numerator > denominator:
            return f"numerator {row['numerator']} is larger than denominator {row['denominator']}"
        return f"numerator {row['numerator']} is larger than sample size {row['sample_size']} ({size})"


class R322(RowRule, Rule):
    """Only one limit of a confidence interval.

    A return that gives its own confidence interval gives both `lower_ci` and `upper_ci`;
    one alone cannot be used (DESIGN.md §9).

    Failing:
        area,indicator,period,value,lower_ci,upper_ci
        leeds,NI 1,2008-09,72.9,70.3,
    Passing:
        area,indicator,period,value,lower_ci,upper_ci
        leeds,NI 1,2008-09,72.9,70.3,75.5
    """

    code = "R322"
    hint = "give both lower_ci and upper_ci, or neither (the interval is then worked out when it can be)"

    @classmethod
    def conditions(cls):
        return {
            "upper_ci": col("lower_ci_num").is_not_null() & blank("upper_ci"),
            "lower_ci": col("upper_ci_num").is_not_null() & blank("lower_ci"),
        }

    @classmethod
    def message(cls, row, field):
        given = "upper_ci" if field == "lower_ci" else "lower_ci"
        return f"{given} {row[given]} is given without {field}"


class R311(Rule):
    """Missing return for a target period.

    A target has a value for a period up to the latest year the area has reported (any
    indicator), but no return gives that (sub-)target's value for the year: no annual value
    and not all four quarters. The finding points at the target period in the agreement.
    A biennial indicator's year outside its `collection_periods` is not due, and not reported.

    Failing:
        agreement: targets: {2008-09: 3200, 2009-10: 3500}
        returns:   leeds,NI 154,2008-09,3105
                   leeds,NI 8,2009-10,22.0          # leeds has reported 2009-10
    Passing:
        returns:   leeds,NI 154,2008-09,3105
                   leeds,NI 154,2009-10,3390
                   leeds,NI 8,2009-10,22.0
    """

    code = "R311"
    severity = Severity.WARNING
    hint = "add the return, or check its area, indicator, sub-target and period"


ROW_RULES: list[type[RowRule]] = [
    rule for code, rule in sorted(REGISTRY.items()) if code.startswith("R") and issubclass(rule, RowRule)]


def cap(findings_frame: pl.DataFrame) -> pl.DataFrame:
    """Keep the first MAX_PER_FILE rows of each file (by row, then field)."""
    return (
        findings_frame.sort("file", "row", "field")
        .with_columns(rank=pl.int_range(pl.len()).over("file"), total=pl.len().over("file"))
        .filter(pl.col("rank") < MAX_PER_FILE)
    )


def row_finding(rule: type[Rule], message: str, file: str, row: int, field: str) -> Finding:
    """A finding at a returns row: its line in a YAML file, its spreadsheet row otherwise."""
    if file.lower().endswith((".yaml", ".yml")):
        return rule.finding(message, file=file, line=row, field=field)
    return rule.finding(message, file=file, row=row, field=field)


def summary_finding(rule: type[Rule], file: str, total: int) -> Finding:
    return rule.finding(f"{total - MAX_PER_FILE:,} more rows of this file break {rule.code} "
                        f"(only the first {MAX_PER_FILE:,} are listed)", file=file)
