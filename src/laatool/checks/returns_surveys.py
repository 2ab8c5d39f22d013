"""R: the survey figures a returns row gives — its sample size and confidence interval — and
the numbers a confidence interval is worked out from (DESIGN.md §9)."""

from __future__ import annotations

from laatool.base.findings import Severity
from laatool.base.rule import Rule
from laatool.checks.returns_kinds import (
    RowRule,
    cell,
    col,
    known,
)
from laatool.checks.returns_values import blank, exact_value
from laatool.load.normalise import UNIT


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
        return (f"{row['indicator_id']} is a survey indicator: its sample size is missing, so no confidence "
                "interval can be worked out for the value")


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
    def exact(cls, row):
        value, low, high = (exact_value(row, c) for c in ("value", "lower_ci", "upper_ci"))
        swapped = low is not None and high is not None and low > high
        return {"lower_ci": low is not None and ((value is not None and low > value) or swapped),
                "upper_ci": high is not None and value is not None and high < value and not swapped}

    @classmethod
    def message(cls, row, field):
        low, high = exact_value(row, "lower_ci"), exact_value(row, "upper_ci")
        if field == "lower_ci" and high is not None and low > high:  # type: ignore[operator]  # a lower_ci finding has its bound
            return f"lower_ci {cell(row['lower_ci'])} is above upper_ci {cell(row['upper_ci'])}"
        bound = "lower_ci" if field == "lower_ci" else "upper_ci"
        side = "below" if field == "lower_ci" else "above"
        return f"value {cell(row['value'])} is {side} its {bound} {cell(row[bound])}"


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
    def exact(cls, row):
        size = exact_value(row, "sample_size")
        return {"sample_size": size is not None and (size <= 0 or size != size.to_integral_value())}

    @classmethod
    def message(cls, row, field):
        return f"sample size {cell(row['sample_size'])} is not a positive whole number"


class R322(RowRule, Rule):
    """Numerator larger than the count it is part of.

    For a percentage, and for any indicator whose interval is Wilson's (`ci_method`), the
    numerator counts some of the denominator (or, without one, of the sample): it cannot be larger. (A
    rate's numerator counts events, which may outnumber the population.)

    Failing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,1210,1000
    Passing:
        area,indicator,period,value,numerator,denominator
        leeds,NI 8,2008-09,21.0,210,1000
    """

    code = "R322"
    hint = "check the numerator and denominator: they may be swapped"
    field = "numerator"

    @classmethod
    def offending(cls):
        part_of = known & ((col("unit") == "percent") | (col("ci_method") == "wilson"))
        numerator = col("numerator_num")
        # a numerator is out of its denominator; only without one is it out of the sample
        above_sample = ((col("ci_method") == "wilson") & col("denominator_num").is_null()
                        & (numerator > col("sample_size_num")))
        # a negative count is R326's to say: -68 is "larger" than -100 only arithmetically
        above_denominator = (numerator > col("denominator_num")) & (col("denominator_num") >= 0)
        return part_of & (above_denominator.fill_null(False) | above_sample.fill_null(False))

    @classmethod
    def exact(cls, row):
        numerator, denominator, size = (exact_value(row, c) for c in ("numerator", "denominator", "sample_size"))
        wilson = row["ci_method"] == "wilson"
        part_of = bool(row["known"]) and (row["unit"] == "percent" or wilson)
        above = numerator is not None and (
            (denominator is not None and numerator > denominator >= 0)
            or (wilson and denominator is None and size is not None and numerator > size))
        return {"numerator": part_of and above}

    @classmethod
    def message(cls, row, field):
        numerator, denominator, size = (exact_value(row, c) for c in ("numerator", "denominator", "sample_size"))
        if denominator is not None and numerator is not None and numerator > denominator:
            return f"numerator {cell(row['numerator'])} is larger than denominator {cell(row['denominator'])}"
        return f"numerator {cell(row['numerator'])} is larger than sample size {cell(row['sample_size'])}"


class R323(RowRule, Rule):
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

    code = "R323"
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
