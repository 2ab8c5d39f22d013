"""R: the survey figures a returns row gives — its sample size and confidence interval."""

from __future__ import annotations

from laatool.base.findings import Severity
from laatool.base.rule import Rule
from laatool.checks.returns_kinds import (
    RowRule,
    col,
    known,
)
from laatool.checks.returns_values import blank, exact_value
from laatool.load.returns import UNIT


class R314(RowRule, Rule):
    """Survey indicator reported without its sample size.

    For an indicator that is a survey estimate (Place Survey, TellUs) the sample size shows
    how far the value can be trusted, and is needed to judge a change against a target.

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
        return known & col("survey") & col("value_num").is_not_null() & blank("sample_size")

    @classmethod
    def message(cls, row, field):
        return f"{row['indicator_id']} is a survey indicator: its sample size is missing"


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
    def exact(cls, row):
        size = exact_value(row, "sample_size")
        return {"sample_size": size is not None and (size <= 0 or size != size.to_integral_value())}

    @classmethod
    def message(cls, row, field):
        return f"sample size {row['sample_size']} is not a positive whole number"
