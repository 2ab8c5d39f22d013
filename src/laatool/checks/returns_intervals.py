"""R: the numbers a confidence interval is worked out from (DESIGN.md §9) — a numerator within
its count, and both limits of a written interval."""

from __future__ import annotations

from laatool.base.rule import Rule
from laatool.checks.returns_kinds import RowRule, col, known
from laatool.checks.returns_values import blank


class R322(RowRule, Rule):
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

    code = "R322"
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
