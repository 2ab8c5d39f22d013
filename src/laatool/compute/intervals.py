"""Confidence intervals of survey and rate indicators (DESIGN.md §9), as polars expressions.

Wilson's score interval for a percentage; for a count or rate the exact Poisson interval
below 10 events and Byar's approximation from 10. Limits written in the return win. Every
limit is an irrational number: it is worked out in binary floating point (15 significant
digits, far beyond the two places more than the indicator's decimals that are published),
then held as an exact decimal, so comparing it with a target or clamping it to the range
is exact. Values and targets themselves are never floats.
"""

from __future__ import annotations

import math
from decimal import Decimal
from statistics import NormalDist

import polars as pl

from laatool.base.numbers import frame_lit, in_frame

DECIMAL = pl.Decimal(38, 10)
LEVEL = pl.Decimal(38, 30)  # the level as written: up to 30 significant digits, all of them decimals
EXACT_BELOW = 10  # events: the exact Poisson interval below, Byar's from here
# indicator -> its range's (min, max) as written
Ranges = dict[str, tuple[Decimal | None, Decimal | None]]


def z_value(level: Decimal) -> float:
    """The standard normal quantile of a two-sided level: 1.959964 at 0.95, 3.090232 at 0.998.
    Worked from the tail, (1 - level) / 2 exactly, not from level + tail: near 1 the sum loses
    the tail's digits in binary floating point (8.0269 at fifteen nines, not 8.0084)."""
    return -NormalDist().inv_cdf(float((1 - level) / 2))


def regularized_gamma(a: float, x: float) -> float:
    """P(a, x), the regularized lower incomplete gamma function, for a > 0 and x ≥ 0: its
    series below x = a + 1, else one minus the continued fraction of Q (Lentz's method)."""
    if x <= 0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        while abs(term) > abs(total) * 1e-17:
            n += 1
            term *= x / n
            total += term
        return min(1.0, total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def chi2_quantile(probability: float, df: float) -> float:
    """The chi-squared quantile: the q with P(df/2, q/2) = probability, found by bisection
    to the last bit a float holds (a hundred and some halvings)."""
    if probability <= 0:
        return 0.0
    low, high = 0.0, max(1.0, df)
    while regularized_gamma(df / 2, high / 2) < probability:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if regularized_gamma(df / 2, middle / 2) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def exact_poisson(events: float, level: Decimal) -> tuple[float, float]:
    """The exact (chi-squared) interval of a Poisson count: χ²((1−c)/2; 2x)/2 and
    χ²((1+c)/2; 2x + 2)/2, the lower limit 0 for no events."""
    tail = float((1 - level) / 2)
    lower = 0.0 if events == 0 else chi2_quantile(tail, 2 * events) / 2
    return lower, chi2_quantile(1 - tail, 2 * events + 2) / 2


def exact_table(events: pl.Series, level: Decimal) -> pl.DataFrame:
    """`exact_poisson` of each distinct count below 10 in `events`: a few rows, worked out
    once and joined to the whole frame."""
    counts = events.filter((events >= 0) & (events < EXACT_BELOW)).unique().drop_nulls().sort()
    limits = [exact_poisson(float(count), level) for count in counts]
    return pl.DataFrame({"events": counts, "exact_lower": [low for low, _ in limits],
                         "exact_upper": [high for _, high in limits]},
                        schema={"events": events.dtype, "exact_lower": pl.Float64, "exact_upper": pl.Float64})


def with_intervals(frame: pl.DataFrame, level: Decimal, ranges: Ranges | None = None) -> pl.DataFrame:
    """`frame` with `ci_lower`, `ci_upper` (exact decimals, clamped to the range), `ci_method`
    (`wilson`, `exact`, `byar`, `supplied`, or null) and `ci_level` (null for supplied limits),
    and `ci_lower_exact`, `ci_upper_exact`: the exact text of a written limit the frame's
    decimals do not hold (from the frame's `lower_ci_exact` and `upper_ci_exact`, when it has
    them; clamped to `ranges` as written, `clamped_exactly`), null elsewhere.

    `frame` has the `value`, the return's `numerator`, `denominator`, `sample_size`,
    `lower_ci` and `upper_ci`, and the indicator's `unit`, `rate_per`, `ci_method`,
    `design_effect`, `range_min` and `range_max`. A row whose inputs cannot give an interval
    (no sample size, a zero denominator) has none: validation has reported why.
    """
    z = z_value(level)
    method = pl.col("ci_method")
    value = pl.col("value")
    # what a proportion of one is in the indicator's unit
    scale = (pl.when(pl.col("unit") == "percent").then(frame_lit(100, DECIMAL))
             .when(pl.col("unit") == "rate").then(pl.col("rate_per").fill_null(frame_lit(1, DECIMAL)))
             .otherwise(frame_lit(1, DECIMAL)))
    supplied = (method != "none") & pl.col("lower_ci").is_not_null() & pl.col("upper_ci").is_not_null()

    # Wilson: n the sample size (or the denominator), x the numerator (or value / scale × n),
    # both divided by the design effect. A numerator is a count out of its denominator: beside
    # a sample size of another number (a weighted base), it is taken as that share of the
    # sample. No interval, rather than a wrong one, where they do not make a share (validation
    # has reported those inputs).
    size = pl.coalesce("sample_size", "denominator")
    out_of = pl.when(pl.col("denominator") > 0).then(pl.col("denominator")).otherwise(size)
    share = pl.col("numerator").is_null() & (value >= 0) & (value <= scale)
    counted_share = pl.col("numerator").is_not_null() & (pl.col("numerator") >= 0) & (pl.col("numerator") <= out_of)
    wilson_ok = (method == "wilson") & (size > 0) & (share | counted_share)
    none_hit = pl.when(share).then(value == 0).otherwise(pl.col("numerator") == 0)
    all_hit = pl.when(share).then(value == scale).otherwise(pl.col("numerator") == out_of)
    deff = pl.col("design_effect").cast(pl.Float64)
    n = size.cast(pl.Float64) / deff
    x = pl.when(share).then(value.cast(pl.Float64) / scale.cast(pl.Float64) * n) \
        .otherwise(pl.col("numerator").cast(pl.Float64) / out_of.cast(pl.Float64) * n)
    spread = z * (z * z + 4 * x * (1 - x / n)).sqrt()
    wilson_low = pl.when(none_hit).then(0.0).otherwise((2 * x + z * z - spread) / (2 * (n + z * z)))
    wilson_high = pl.when(all_hit).then(1.0).otherwise((2 * x + z * z + spread) / (2 * (n + z * z)))

    # Poisson: x events in a population, the rate = x × rate_per / population; a count
    # indicator's value is itself the number of events.
    counted = pl.col("numerator").is_not_null() & (pl.col("denominator") > 0)
    events = pl.when(counted).then(pl.col("numerator")).when(pl.col("unit") == "count").then(value)
    per_event = (pl.when(counted).then(scale.cast(pl.Float64) / pl.col("denominator").cast(pl.Float64))
                 .otherwise(1.0))
    poisson_ok = (method == "poisson") & (events >= 0)
    ev = events.cast(pl.Float64)
    byar_low = ev * (1 - 1 / (9 * ev) - z / (3 * ev.sqrt())).pow(3)
    byar_high = (ev + 1) * (1 - 1 / (9 * (ev + 1)) + z / (3 * (ev + 1).sqrt())).pow(3)
    exact = events < EXACT_BELOW

    framed = frame.with_columns(events=events.cast(DECIMAL))
    table = exact_table(framed.get_column("events"), level)
    framed = framed.join(table, on="events", how="left")

    low = (pl.when(supplied).then(None)
           .when(wilson_ok).then(wilson_low * scale.cast(pl.Float64))
           .when(poisson_ok & exact).then(pl.col("exact_lower") * per_event)
           .when(poisson_ok).then(byar_low.clip(lower_bound=0.0) * per_event))
    high = (pl.when(supplied).then(None)
            .when(wilson_ok).then(wilson_high * scale.cast(pl.Float64))
            .when(poisson_ok & exact).then(pl.col("exact_upper") * per_event)
            .when(poisson_ok).then(byar_high * per_event))
    used = (pl.when(supplied).then(pl.lit("supplied"))
            .when(wilson_ok).then(pl.lit("wilson"))
            .when(poisson_ok & exact).then(pl.lit("exact"))
            .when(poisson_ok).then(pl.lit("byar")))
    # an exact 0 or 100 stays exact: Wilson's limit at x = 0 or x = n is the scale's end
    computed_low = (pl.when(wilson_ok & none_hit).then(frame_lit(0, DECIMAL))
                    .otherwise(low.cast(DECIMAL)))
    computed_high = (pl.when(wilson_ok & all_hit).then(scale)
                     .otherwise(high.cast(DECIMAL)))
    lower = pl.when(supplied).then(pl.col("lower_ci")).otherwise(computed_low)
    upper = pl.when(supplied).then(pl.col("upper_ci")).otherwise(computed_high)
    written = {f"ci_{side}_exact": pl.when(supplied).then(pl.col(f"{side}_ci_exact"))
               if f"{side}_ci_exact" in frame.columns else pl.lit(None, pl.String) for side in ("lower", "upper")}
    return clamped_exactly(framed.with_columns(
        ci_lower=_clamped(lower),
        ci_upper=_clamped(upper),
        ci_method=used,
        ci_level=pl.when(used.is_not_null() & ~supplied).then(frame_lit(level, LEVEL)),
        **written,
    ).drop("events", "exact_lower", "exact_upper"), ranges or {})


def clamped_exactly(frame: pl.DataFrame, ranges: Ranges) -> pl.DataFrame:
    """`frame` with each written limit the frame's decimals do not hold (its exact text in
    `ci_lower_exact` or `ci_upper_exact`) clamped to its indicator's range (`ranges`, as
    written; else the frame's `range_min` and `range_max`) exactly, in Python: a few rows.
    A limit clamped to a bound is that bound; one within the range keeps its text."""
    inexact = frame.with_row_index("at").filter(
        pl.col("ci_lower_exact").is_not_null() | pl.col("ci_upper_exact").is_not_null())
    if inexact.is_empty():
        return frame
    fixed: dict[str, list] = {"at": [], "ci_lower": [], "ci_lower_exact": [], "ci_upper": [], "ci_upper_exact": []}
    for row in inexact.iter_rows(named=True):
        low, high = ranges.get(row["indicator"], (row["range_min"], row["range_max"]))
        fixed["at"].append(row["at"])
        for side in ("lower", "upper"):
            text = row[f"ci_{side}_exact"]
            limit = Decimal(text) if text is not None else row[f"ci_{side}"]
            if limit is not None and low is not None and limit < low:
                limit = low
            if limit is not None and high is not None and limit > high:
                limit = high
            held, exact = in_frame(limit)
            fixed[f"ci_{side}"].append(None if held is None else format(held, "f"))
            fixed[f"ci_{side}_exact"].append(exact)
    updates = pl.DataFrame(fixed, schema={"at": pl.UInt32, "ci_lower": pl.String, "ci_lower_exact": pl.String,
                                          "ci_upper": pl.String, "ci_upper_exact": pl.String})
    updates = updates.with_columns(pl.col("ci_lower", "ci_upper").cast(DECIMAL))
    return (frame.with_row_index("at").update(updates, on="at", include_nulls=True)
            .drop("at"))


def _clamped(limit: pl.Expr) -> pl.Expr:
    """A limit within the indicator's range (`range_min`, `range_max`, either may be null)."""
    low, high = pl.col("range_min"), pl.col("range_max")
    limit = pl.when(low.is_not_null() & (limit < low)).then(low).otherwise(limit)
    return pl.when(high.is_not_null() & (limit > high)).then(high).otherwise(limit)
