"""Scoring (DESIGN.md §5): progress against every agreed target, and the rule that decided it.

The arithmetic is exact. Values are Decimal(38, 10), so each is turned into an exact integer
count of 1e-10 units (Int128) and every comparison, rounding and share is integer arithmetic
in polars expressions over the whole frame: `achievement >= rag.amber` is decided by cross
multiplication, never by a rounded quotient, so 8.6 from 8.0 to 9.0 is exactly 0.6.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import polars as pl

from laatool.base.errors import UsageError
from laatool.base.ids import parse_period, quarter_of
from laatool.base.models import Significance
from laatool.base.money import half_up
from laatool.base.suggest import period_option
from laatool.compute.actuals import (
    interval_inputs,
    quarter_actuals,
    target_actuals,
)
from laatool.compute.catalogue import indicator_frame
from laatool.compute.collection import due, used
from laatool.compute.intervals import LEVEL, Ranges, with_intervals
from laatool.compute.polarity import polarity_sign_then
from laatool.compute.targets import group_titles, workspace_targets
from laatool.load.workspace import Workspace

# Each rule gives one status; every row names the rule that gave its status.
RULES = {
    "met-target": (
        "green",
        "the actual meets or beats the target (by polarity; a neutral indicator "
        "by the direction from baseline to target)",
    ),
    "maintain-met": ("green", "a maintain target (target = baseline) and the actual is no worse"),
    "amber-threshold": ("amber", "the target is not met; achievement is at least rag.amber"),
    "below-amber": ("red", "the target is not met; achievement is below rag.amber"),
    "maintain-missed": ("red", "a maintain target and the actual is worse (achievement 0)"),
    "no-return": ("no-data", "no return for the year"),
    "incomplete-quarters": ("no-data", "quarterly returns for the year, but not all four"),
    "no-baseline": (
        "no-data",
        "a target without a baseline whose actual does not meet it: "
        "the share of improvement cannot be measured",
    ),
    "placeholder": ("no-data", "a placeholder target with no target value agreed yet"),
    "not-due": (
        "no-data",
        "a biennial indicator in a year it is not collected (its collection_periods)",
    ),
}
STATUSES = ("green", "amber", "red", "no-data")
ROW_KEYS = (
    "indicator",
    "subtarget",
    "kind",
    "period",
    "baseline",
    "target",
    "actual",
    "achievement",
    "status",
    "rule",
    "direction",
    "provisional",
    "ci_lower",
    "ci_upper",
    "ci_level",
    "ci_method",
    "target_test",
    "change",
    # DESIGN.md §6.1: a target group's slug on its sub-targets' rows, after the older fields
    "group",
)
TARGET_TESTS = ("met-with-confidence", "met-not-significant", "missed-not-significant",
                "missed-with-confidence", "n/a")
CHANGE_RESULTS = ("improved-significantly", "no-significant-change", "worsened-significantly", "n/a")
CHANGE_KEYS = ("from_period", "difference", "lower", "upper", "method", "result")
KEYS = ["area", "indicator", "sub_key"]
SCALE = 10  # targets and returns are Decimal(38, 10)
# An actual's interval (`actual_intervals`): its limits, with the exact text of a written limit
# the frame's decimals do not hold beside them.
INTERVAL_SCHEMA: dict[str, pl.DataType] = {
    "ci_lower": pl.Decimal(38, SCALE), "ci_upper": pl.Decimal(38, SCALE), "ci_method": pl.String(),
    "ci_level": LEVEL, "ci_lower_exact": pl.String(), "ci_upper_exact": pl.String()}
SHARE_PLACES = 10_000  # achievement is given to 4 decimal places, half away from zero


def score(workspace: Workspace, areas: list[str], period: str | None = None) -> ScoreReport:
    """Score every (sub-)target of the given areas, for every period or one (DESIGN.md §5)."""
    year = period_year(workspace, areas, period)
    docs = {
        area: workspace.agreement_docs[area] for area in areas if area in workspace.agreement_docs
    }
    targets = (
        workspace_targets(workspace, list(docs))
        .with_row_index("order")
        .filter(pl.col("period").is_not_null() | pl.col("placeholder"))
    )
    # The actuals of every agreement's targets, shared with validation: rows of other areas
    # and years are left out by the joins from the targets.
    significance = workspace.settings.significance
    catalogue = indicator_frame(workspace.indicators)
    actuals = target_actuals(workspace)
    quarters = quarter_actuals(workspace)
    frame = score_frame(
        targets,
        actuals,
        quarters,
        quarters_seen(quarters),
        workspace.settings.rag.amber,
        actual_intervals(actuals, interval_inputs(workspace), catalogue, significance, indicator_ranges(workspace)),
        catalogue,
        significance,
    )
    # Every year is scored, then the one asked for kept: a change names its earlier year's row as
    # the whole output does (`2009` for a calendar-year target keyed so, not `2009-10`).
    if year is not None:
        frame = frame.filter(_year_start("period") == year)
    return ScoreReport.from_frame(
        frame, {area: doc.head.name for area, doc in docs.items()}, workspace.settings.rag.amber,
        significance,
    )


def actual_intervals(
    actuals: pl.DataFrame, inputs: pl.DataFrame, catalogue: pl.DataFrame, significance: Significance,
    ranges: Ranges | None = None,
) -> pl.DataFrame:
    """The interval of each annual actual of an indicator with an interval method (§9): the
    rows of `interval_inputs`, with the actual as the value. A written limit the frame's
    decimals do not hold has its exact text beside it (`ci_lower_exact`, `ci_upper_exact`),
    clamped to the indicators' `ranges` as written (`with_intervals`)."""
    keys = ["area", "indicator", "subtarget", "year"]
    joined = (
        actuals.lazy().select(*keys, value="actual")
        .join(inputs.lazy(), on=keys, how="inner", nulls_equal=True)
        .join(catalogue.lazy().select("indicator", "unit", "rate_per", "ci_method", "design_effect",
                                      "range_min", "range_max"), on="indicator", how="inner")
        .filter(pl.col("ci_method") != "none")  # no interval: the readers join, and find none
        .collect()
    )
    if joined.is_empty():  # (the intervals' expressions cost 25 ms to plan, even over no row)
        return pl.DataFrame(schema={**joined.select(keys).schema, **INTERVAL_SCHEMA})
    return with_intervals(joined, significance.level, ranges).select(*keys, *INTERVAL_SCHEMA)


def with_yearly_intervals(workspace: Workspace, actuals: pl.DataFrame) -> pl.DataFrame:
    """`actuals` (`compute.actuals.reported_actuals`: every yearly actual of the targets, years
    without a target value too) with the interval of each as `score` gives one (§9):
    `ci_lower` and `ci_upper` rounded as the outputs give them, and `ci_method`."""
    keys = ["area", "indicator", "subtarget", "year"]
    catalogue = indicator_frame(workspace.indicators)
    intervals = actual_intervals(actuals, interval_inputs(workspace), catalogue, workspace.settings.significance,
                                 indicator_ranges(workspace))
    return actuals.join(
        intervals.join(catalogue.select("indicator", "decimals"), on="indicator", how="left")
        .select(*keys, published(pl.col("ci_lower")).alias("ci_lower"), published(pl.col("ci_upper")).alias("ci_upper"),
                "ci_method"),
        on=keys, how="left", nulls_equal=True, maintain_order="left")


def indicator_ranges(workspace: Workspace) -> Ranges:
    """Each indicator's range as written, which written limits are clamped to exactly."""
    return {i.id: (i.valid_range.min, i.valid_range.max) for i in workspace.indicators.values()}


def period_year(workspace: Workspace, areas: list[str], period: str | None) -> int | None:
    """The agreement year `--period` selects (its first calendar year); a UsageError if it is
    not a year of any selected agreement."""
    if period is None:
        return None
    wanted = period_option("--period", period, years=True)
    if wanted.quarter:
        raise UsageError(
            f"--period: a year, with the targets of its quarters: give '{wanted.year}'"
        )
    known = sorted(
        {
            parse_period(p)
            for a in areas
            if a in workspace.agreement_docs
            for p in workspace.agreement_docs[a].head.periods
        }
    )
    year = wanted.agreement_year
    if known and year not in known:
        raise UsageError(
            f"--period: {year} is not a period of the agreements "
            f"(they run {', '.join(str(p) for p in known)})"
        )
    return year.start


def quarters_seen(quarter_values: pl.DataFrame) -> pl.DataFrame:
    """How many different quarters were returned for each (area, indicator, subtarget, year),
    of `quarter_actuals` (one row a quarter)."""
    return quarter_values.group_by("area", "indicator", "subtarget", "year").agg(quarters=pl.len())


def score_frame(
    targets: pl.DataFrame,
    actuals: pl.DataFrame,
    quarter_values: pl.DataFrame,
    quarters: pl.DataFrame,
    amber: Decimal,
    intervals: pl.DataFrame | None = None,
    catalogue: pl.DataFrame | None = None,
    significance: Significance | None = None,
) -> pl.DataFrame:
    """One scored row per target row, in the targets' `order`: the polars core of `score`.

    A target set for a quarter is measured against that quarter's return (`quarter_values`,
    from `quarter_actuals`), without an interval; its change is from the latest earlier year,
    as a year target's is. `quarters` counts each year's quarters returned (`quarters_seen`).
    `intervals` (from `actual_intervals`) and the indicators' `catalogue` give each row its
    interval, target test and change (§9); without them no row has one."""
    significance = significance or Significance()
    interval_schema: dict[str, pl.DataType] = {
        "area": pl.String(), "indicator": pl.String(), "subtarget": pl.String(), "year": pl.String(),
        **INTERVAL_SCHEMA}
    if intervals is None:
        intervals = pl.DataFrame(schema=interval_schema)
    intervals = intervals.with_columns(pl.lit(None, pl.String).alias(name) for name in LIMIT_TEXTS
                                       if name not in intervals.columns)
    if catalogue is None:
        catalogue = pl.DataFrame(schema={"indicator": pl.String, "unit": pl.String,
                                         "collection_years": pl.List(pl.Int64)})
    indicators = catalogue.lazy().select("indicator", "unit", "collection_years")

    def keyed(frame: pl.DataFrame, year: str) -> pl.LazyFrame:
        # A target's own row has a null subtarget; "" never collides with a sub-target id.
        return frame.lazy().with_columns(
            sub_key=pl.col("subtarget").fill_null(""), year=_year_start(year).fill_null(0)
        )

    ci = ["ci_lower", "ci_upper", "ci_method", "ci_level", *LIMIT_TEXTS]
    quarters_returned = keyed(quarter_values, "year").select(
        *KEYS, "year", "quarter", quarter_actual="actual", quarter_actual_exact="actual_exact",
        quarter_provisional="provisional")
    years = (
        keyed(actuals.with_columns(year_text="year"), "year")
        .join(keyed(intervals, "year").select(*KEYS, "year", *ci), on=[*KEYS, "year"], how="left")
    )
    # The earlier actuals a change is measured from: a year between two the indicator is
    # collected in is passed over (§9, `collection.used`). Each is named as this output names
    # the year's row when it has one, so a script can join the two: a calendar-year target
    # written `2009` is row "2009", whose return's year is the agreement year 2009-10.
    year_rows = pl.col("period").is_not_null() & quarter_of(pl.col("period")).is_null()
    rows_named = (keyed(targets, "period").filter(year_rows)
                  .select(*KEYS, earlier_year="year", row_period="period").unique([*KEYS, "earlier_year"]))
    earlier = (
        years.join(indicators, on="indicator", how="left")
        .filter(used(pl.col("year"), pl.col("collection_years")))
        .select(*KEYS, earlier_year="year", earlier="actual", earlier_exact="actual_exact",
                earlier_lower="ci_lower", earlier_upper="ci_upper", earlier_lower_exact="ci_lower_exact",
                earlier_upper_exact="ci_upper_exact", earlier_period="year_text")
        .join(rows_named, on=[*KEYS, "earlier_year"], how="left")
        .with_columns(earlier_period=pl.coalesce("row_period", "earlier_period"))
        .drop("row_period")
        .sort("earlier_year")
    )
    joined = (
        keyed(targets, "period")
        .with_columns(baseline_year=_year_start("baseline_period"), quarter=quarter_of(pl.col("period")))
        .join(indicators, on="indicator", how="left")
        .join(years.select(*KEYS, "year", "actual", "actual_exact", "provisional", *ci),
              on=[*KEYS, "year"], how="left")
        .join(
            keyed(quarters, "year").select(*KEYS, "year", "quarters"),
            on=[*KEYS, "year"],
            how="left",
        )
        .join(quarters_returned, on=[*KEYS, "year", "quarter"], how="left")
        # a quarter's target: that quarter's value, never the year's (nor its interval)
        .with_columns(
            pl.when(pl.col("quarter").is_null()).then(pl.col(name)).otherwise(pl.col(f"quarter_{name}")).alias(name)
            for name in ("actual", "actual_exact", "provisional"))
        .with_columns(pl.when(pl.col("quarter").is_null()).then(pl.col(name)).alias(name) for name in ("quarters", *ci))
        .sort("year")
        .join_asof(
            earlier,
            left_on="year",
            right_on="earlier_year",
            by=KEYS,
            strategy="backward",
            allow_exact_matches=False,
            check_sortedness=False,
        )
    )
    # A target year the indicator is not collected in has no actual to score (§9).
    not_due = pl.col("period").is_not_null() & ~due(pl.col("year"), pl.col("collection_years"))
    joined = joined.with_columns(
        not_due=not_due,
        # The latest earlier actual, unless the baseline is more recent (DESIGN.md §5).
        previous=pl.when(_earlier_is_previous).then(pl.col("earlier")).otherwise(pl.col("baseline")),
        previous_exact=pl.when(_earlier_is_previous).then(pl.col("earlier_exact"))
        .otherwise(pl.col("baseline_exact")),
        previous_lower=pl.when(_earlier_is_previous).then(pl.col("earlier_lower")),
        previous_upper=pl.when(_earlier_is_previous).then(pl.col("earlier_upper")),
        previous_lower_exact=pl.when(_earlier_is_previous).then(pl.col("earlier_lower_exact")),
        previous_upper_exact=pl.when(_earlier_is_previous).then(pl.col("earlier_upper_exact")),
        previous_period=pl.when(_earlier_is_previous).then(pl.col("earlier_period"))
        .otherwise(pl.col("baseline_period")),
    ).with_columns(
        [pl.when(~pl.col("not_due")).then(pl.col(name)).alias(name)
         for name in ("actual", "actual_exact", "provisional", "quarters", *ci)]
    ).with_columns(in_range=_in_range(amber))
    # tens of thousands of target rows: the in-memory engine costs less than streaming here
    return (
        joined.with_columns(**_judgement(amber))
        .with_columns(**_uncertainty(significance))
        .sort("order")
        .collect(engine="in-memory")
    )


# The latest earlier actual, unless the baseline is more recent (DESIGN.md §5).
_earlier_is_previous = pl.col("earlier_year").is_not_null() & (
    pl.col("baseline_year").is_null() | (pl.col("earlier_year") >= pl.col("baseline_year")))
VALUES = ("actual", "target", "baseline", "previous")
# The exact texts of written limits the frame's decimals do not hold (`actual_intervals`): a row
# with one is scored in Python, like a row with such a value.
LIMIT_TEXTS = ("ci_lower_exact", "ci_upper_exact")
LIMITS_EXACT = (*LIMIT_TEXTS, "previous_lower_exact", "previous_upper_exact")
# As in `laatool.compute.reward_frame`: with every factor of a product at most FACTORS and every value
# in units at most PRODUCTS over the largest factor, no product or sum below leaves Int128.
FACTORS = 2**61
PRODUCTS = 2**123


def _in_range(amber: Decimal) -> pl.Expr:
    """True on a row the frame scores exactly: its values and its intervals' limits are all
    held exactly by the frame's decimals and no product of its arithmetic can leave Int128.
    `laatool.compute.score_exact` scores the others, in Python."""
    factor = max(*amber.as_integer_ratio(), 2 * SHARE_PLACES, 10**SCALE)
    if factor > FACTORS:
        return pl.lit(False)
    largest = pl.max_horizontal([pl.col(c).to_physical().abs() for c in VALUES]).fill_null(0)
    held = pl.all_horizontal(*(pl.col(f"{c}_exact").is_null() for c in VALUES),
                             *(pl.col(c).is_null() for c in LIMITS_EXACT))
    return held & (largest <= pl.lit(PRODUCTS // factor, pl.Int128))


def _judgement(amber: Decimal) -> dict[str, pl.Expr]:
    """achievement, status, rule and direction as expressions over the joined frame."""
    gained = _units("actual") - _units("baseline")
    planned = _units("target") - _units("baseline")
    maintain = planned == 0
    sense = _sense()
    met = _met(sense)
    numerator, denominator = amber.as_integer_ratio()
    reaches_amber = (
        pl.when(maintain)
        .then(pl.lit(amber == 0))
        .otherwise(gained * denominator * planned.sign() >= numerator * planned.abs())
    )
    rule = (
        pl.when(pl.col("period").is_null())
        .then(pl.lit("placeholder"))
        .when(pl.col("not_due"))
        .then(pl.lit("not-due"))
        .when(pl.col("actual").is_null())
        .then(
            pl.when(pl.col("quarters") > 0)
            .then(pl.lit("incomplete-quarters"))
            .otherwise(pl.lit("no-return"))
        )
        .when(met & maintain)
        .then(pl.lit("maintain-met"))
        .when(met)
        .then(pl.lit("met-target"))
        .when(planned.is_null())
        .then(pl.lit("no-baseline"))
        .when(reaches_amber)
        .then(pl.lit("amber-threshold"))
        .when(maintain)
        .then(pl.lit("maintain-missed"))
        .otherwise(pl.lit("below-amber"))
    )
    share = (
        pl.when(maintain)
        # without an actual, `met` is null and so is achievement (DESIGN.md §6.1)
        .then(pl.when(met).then(SHARE_PLACES).when(~met).then(0))
        .otherwise(_share_places(gained, planned))
    )
    return {
        "achievement": share.cast(pl.Decimal(38, SCALE))
        / pl.lit(SHARE_PLACES).cast(pl.Decimal(38, SCALE)),
        "rule": rule,
        "status": rule.replace_strict({name: status for name, (status, _) in RULES.items()}),
        "direction": _direction(sense),
        "provisional": pl.col("provisional").fill_null(False),
    }


def _sense() -> pl.Expr:
    """+1 when higher is better, -1 when lower is; a neutral indicator follows its target
    (the direction from baseline to target, 0 for a maintain target)."""
    planned = _units("target") - _units("baseline")
    return polarity_sign_then().otherwise(planned.sign())


def _met(sense: pl.Expr) -> pl.Expr:
    """The actual meets or beats the target, by `sense` (equality counts as met: a neutral
    indicator's maintain target, or one without a baseline to give a way, is met only there)."""
    actual, target = pl.col("actual"), pl.col("target")
    return (
        pl.when(sense > 0)
        .then(actual >= target)
        .when(sense < 0)
        .then(actual <= target)
        .otherwise(actual == target)
    )


def _uncertainty(significance: Significance) -> dict[str, pl.Expr]:
    """The interval, its test against the target and the change since the previous value
    (DESIGN.md §9), as expressions over the joined frame.

    Limits are compared exactly, before they are rounded for the outputs. A row whose limits
    the frame's decimals do not hold is not `in_range`: `laatool.compute.score_exact` works
    these out for it again from the limits as written."""
    sense = _sense()
    actual, target = pl.col("actual"), pl.col("target")
    low, high = pl.col("ci_lower"), pl.col("ci_upper")
    tested = low.is_not_null() & high.is_not_null() & actual.is_not_null() & target.is_not_null()
    by_point = pl.when(_met(sense)).then(pl.lit("met-not-significant")).otherwise(pl.lit("missed-not-significant"))
    target_test = (
        pl.when(~tested).then(pl.lit("n/a"))
        .when((sense > 0) & (low >= target)).then(pl.lit("met-with-confidence"))
        .when((sense > 0) & (high < target)).then(pl.lit("missed-with-confidence"))
        .when((sense < 0) & (high <= target)).then(pl.lit("met-with-confidence"))
        .when((sense < 0) & (low > target)).then(pl.lit("missed-with-confidence"))
        # a neutral maintain target: missed with confidence when the interval leaves it out
        .when((sense == 0) & ((low > target) | (high < target))).then(pl.lit("missed-with-confidence"))
        .otherwise(by_point)
    )
    return {
        "ci_lower": published(low),
        "ci_upper": published(high),
        # as they were, for the rows scored in Python (`laatool.compute.score_exact`)
        "interval_lower": low,
        "interval_upper": high,
        "target_test": target_test,
        "change": _change(sense, significance),
    }


def _change(sense: pl.Expr, significance: Significance) -> pl.Expr:
    """The change from the previous value: its difference, the interval of the difference
    (Newcombe's hybrid score interval for percentages) or the two intervals' overlap, and
    whether it is significant, by polarity."""
    actual, before = pl.col("actual"), pl.col("previous")
    low, high = pl.col("ci_lower"), pl.col("ci_upper")
    before_low, before_high = pl.col("previous_lower"), pl.col("previous_upper")
    both = actual.is_not_null() & before.is_not_null()
    intervals = both & pl.all_horizontal(c.is_not_null() for c in (low, high, before_low, before_high))
    newcombe = intervals & (pl.col("unit") == "percent") & pl.lit(significance.change_test == "newcombe")
    # Newcombe: new − old ± the root sum of squares of each year's distance to its limits
    p2, p1 = actual.cast(pl.Float64), before.cast(pl.Float64)
    d = p2 - p1
    down_reach = ((p2 - low.cast(pl.Float64)) ** 2 + (before_high.cast(pl.Float64) - p1) ** 2).sqrt()
    up_reach = ((high.cast(pl.Float64) - p2) ** 2 + (p1 - before_low.cast(pl.Float64)) ** 2).sqrt()
    lower = pl.when(newcombe).then((d - down_reach).clip(-100.0, 100.0).cast(pl.Decimal(38, SCALE)))
    upper = pl.when(newcombe).then((d + up_reach).clip(-100.0, 100.0).cast(pl.Decimal(38, SCALE)))
    rise = (
        pl.when(newcombe)
        .then(pl.when(lower > 0).then(1).when(upper < 0).then(-1).otherwise(0))
        .otherwise(pl.when(low > before_high).then(1).when(high < before_low).then(-1).otherwise(0))
    )
    aim = pl.col("target")
    closer = ((before - aim).abs() - (actual - aim).abs()).cast(pl.Decimal(38, SCALE))
    # a neutral maintain target (sense 0): a significant change that leaves the value no closer
    # to it (past it as far on the other side, or further) has worsened. A neutral indicator's
    # target without a baseline (sense null) says no way is better: no change is better or
    # worse (`uncertainty_exact.change` the same)
    better = pl.when(sense == 0).then(pl.when(closer > 0).then(1).otherwise(-1)) \
        .otherwise(rise * sense.fill_null(0))
    result = (
        pl.when(~intervals).then(pl.lit("n/a"))
        .when((rise == 0) | (better == 0)).then(pl.lit("no-significant-change"))
        .when(better > 0).then(pl.lit("improved-significantly"))
        .otherwise(pl.lit("worsened-significantly"))
    )
    return pl.struct(
        from_period=pl.when(both).then(pl.col("previous_period")),
        difference=pl.when(both).then(published(actual - before)),
        lower=published(lower),
        upper=published(upper),
        method=pl.when(newcombe).then(pl.lit("newcombe")).when(intervals).then(pl.lit("overlap")),
        result=result,
    )


def published(value: pl.Expr, extra: int = 2) -> pl.Expr:
    """A decimal rounded half away from zero to its indicator's `decimals` + `extra` places,
    as the outputs give an interval's limits (DESIGN.md §9)."""
    value = value.cast(pl.Decimal(38, SCALE))
    rounded: Any = pl.when(pl.lit(False)).then(value)
    for decimals in range(SCALE - extra + 1):
        rounded = rounded.when(pl.col("decimals") == decimals).then(
            value.round(decimals + extra, mode="half_away_from_zero"))
    return rounded.otherwise(value)


def _direction(sense: pl.Expr) -> pl.Expr:
    """Travel since the previous value, both rounded half up to the indicator's decimals.

    A neutral maintain target has no better side: moving closer to the target improves."""
    now, before = _rounded("actual"), _rounded("previous")
    aim = _rounded("target")
    better = (
        pl.when(sense == 0)
        .then((before - aim).abs() - (now - aim).abs())
        .otherwise((now - before) * sense)
    )
    return (
        pl.when(now.is_null() | before.is_null())
        .then(pl.lit("n/a"))
        .when(now == before)
        .then(pl.lit("unchanged"))
        .when(better > 0)
        .then(pl.lit("improving"))
        .when(better < 0)
        .then(pl.lit("worsening"))
        .when(better == 0)
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("n/a"))
    )


def _year_start(column: str) -> pl.Expr:
    """The first calendar year of the agreement year a normalised period counts towards
    (`2008-09 Q1`, `2008-09` and the calendar year `2008` all give 2008): its first four
    digits (the agreement year's text, worked out first, cost two patterns a row)."""
    return pl.col(column).str.slice(0, 4).cast(pl.Int64)


def _units(column: str) -> pl.Expr:
    """A Decimal(38, 10) as an exact integer number of 1e-10 units, on the rows in range (null
    on the others, so that nothing can overflow)."""
    return pl.when(pl.col("in_range")).then(pl.col(column).to_physical())


def _rounded(column: str) -> pl.Expr:
    """The value rounded half away from zero to its indicator's `decimals`, in those units."""
    step = pl.lit(10, pl.Int64).pow(SCALE - pl.col("decimals")).cast(pl.Int128)
    return half_up(_units(column), step)


def _share_places(gained: pl.Expr, planned: pl.Expr) -> pl.Expr:
    """gained / planned in 1e-4 units, rounded half away from zero, exactly."""
    return half_up(SHARE_PLACES * gained, planned)


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """A score row with its `change` object spread into `change_from_period` ... `change_result`,
    in its place: the fields after it (`group`) stay after them."""
    flat: dict[str, Any] = {}
    for key, value in (row if "change" in row else {**row, "change": None}).items():
        if key == "change":
            flat |= {f"change_{name}": (value or {}).get(name) for name in CHANGE_KEYS}
        else:
            flat[key] = value
    return flat


@dataclass
class AreaScore:
    area: str
    name: str
    rows: list[dict[str, Any]]

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row["status"]] += 1
        return counts


@dataclass
class ScoreReport:
    """`laatool score`: every area's scored rows; JSON exactly as DESIGN.md §7.2.

    It keeps the scored frame; the rows become Python values only for the formats that need
    them (table, CSV, XLSX), while JSON is written from the frame (`render.report_json`).
    """

    frame: pl.DataFrame  # area, title, polarity, group_title, order and ROW_KEYS, in the targets' order
    columns: ClassVar[list[str]] = ["area", "name", *flat_row(dict.fromkeys(ROW_KEYS))]  # the CSV's header, always
    names: dict[str, str]  # area -> name
    amber: Decimal
    in_python: dict[int, dict[str, Any]]  # by `order`: the rows scored in Python, as ROW_KEYS
    significance: Significance = Significance()

    @classmethod
    def from_frame(
        cls, frame: pl.DataFrame, names: dict[str, str], amber: Decimal, significance: Significance | None = None
    ) -> ScoreReport:
        from laatool.compute.score_exact import judged
        from laatool.compute.uncertainty_exact import uncertainty

        significance = significance or Significance()
        in_python = {}
        rest = frame.filter(~pl.col("in_range")) if "in_range" in frame.columns else frame.clear()
        for row in rest.iter_rows(named=True):
            row.update(judged(row, amber))
            row.update(uncertainty(row, row["sense"], significance))
            row["status"] = RULES[row["rule"]][0]
            in_python[row["order"]] = {key: row[key] for key in ROW_KEYS}
        # the rows scored in Python take their status from there, for the summary
        frame = frame.select("area", "title", "polarity", "group_title", "order", *ROW_KEYS)
        if in_python:
            statuses = pl.DataFrame({"order": list(in_python),
                                     "exact_status": [r["status"] for r in in_python.values()]},
                                    schema={"order": frame.schema["order"], "exact_status": pl.String})
            frame = (frame.join(statuses, on="order", how="left", maintain_order="left")
                     .with_columns(status=pl.coalesce("exact_status", "status")).drop("exact_status"))
        return cls(frame, names, amber, in_python, significance)

    @functools.cached_property
    def areas(self) -> list[AreaScore]:
        areas = {area: AreaScore(area, name, []) for area, name in sorted(self.names.items())}
        for row in self.frame.drop("title", "polarity", "group_title").to_dicts():
            order = row.pop("order")
            area = row.pop("area")
            areas[area].rows.append(self.in_python.get(order, row))
        return list(areas.values())

    @functools.cached_property
    def labels(self) -> dict[str, tuple[str, str]]:
        """indicator -> (title, polarity), for people."""
        return {indicator: (title or "", polarity or "") for indicator, title, polarity
                in self.frame.select("indicator", "title", "polarity").iter_rows()}

    @functools.cached_property
    def group_titles(self) -> dict[tuple[str, str], str]:
        """(area, group slug) -> the target group's title, for people."""
        return group_titles(self.frame)

    def to_json(self) -> dict[str, Any]:
        return {
            "areas": [
                {"area": a.area, "name": a.name, "rows": a.rows, "summary": a.summary}
                for a in self.areas
            ]
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per JSON row (CSV, XLSX): the change's fields as `change_<key>`."""
        return [{"area": a.area, "name": a.name, **flat_row(row)} for a in self.areas for row in a.rows]

