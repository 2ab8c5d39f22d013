"""The reward of every (sub-)target at once (DESIGN.md §6 steps 3–5), as polars expressions.

Exact, as `laatool.compute.scoring` is. Values are Decimal(38, 10), taken as their physical integers
(counts of 1e-10, Int128); the share is the maximum in pennies over the number of targets and
parts, the threshold and cap integer ratios. A threshold or the cap is decided by cross
multiplication, never by a rounded quotient, so 8.6 from 8.0 towards 9.0 is exactly 60% of the
enhancement; each figure is rounded once, in whole numbers: a reward to the penny half up from
the unrounded share, achievement and payable to 4 places half up, needed values to the
indicator's decimals towards the harder side.

Int128 overflows silently, so a row is computed here only when no product can leave it (see
`in_range`). `exact` is false on the other rows, and on those whose figures the Python path
writes through 28-digit Decimals (see DIGITS); `laatool.compute.reward` measures them in Python.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import polars as pl

from laatool.base.models import Scheme
from laatool.base.money import half_up
from laatool.base.numbers import frame_lit
from laatool.compute.polarity import better_direction_expr, polarity_sign_then

SCALE = 10  # targets and actuals are Decimal(38, 10)
PLACES = 10**4  # achievement and payable are written to 4 places
# Every factor of a product (the maximum in pennies, targets × parts, the threshold's and cap's
# numerators and denominators, and 10^10, the largest rounding step) is at most FACTORS, and a
# row's largest value in units times the largest factor at most PRODUCTS. Each product below is
# then at most 4 × PRODUCTS = 2^125 and each sum of up to three of them stays inside Int128.
FACTORS = 2**61
PRODUCTS = 2**123
# A figure of 10^28 or more in its last unit could leave the frame's Decimal(38, places)
# outputs: such a row is left to the Python path, whose Decimals hold any figure exactly.
DIGITS = 10**28
# An area whose maximum × max(cap, 1) is below this many pennies has every share and reward,
# and their sum, below DIGITS.
AREA_PENNIES = 10**25


def area_terms(maxima: dict[str, Decimal], schemes: dict[str, Scheme]) -> pl.DataFrame:
    """Per area, the integers its rows' arithmetic needs, and whether the frame may do it."""
    rows: list[tuple[str | int | bool | None, ...]] = []
    for area, maximum in maxima.items():
        scheme = schemes[area]
        in_pennies = Fraction(maximum) * 100
        pennies = int(in_pennies)
        threshold, cap = scheme.threshold.as_integer_ratio(), scheme.cap.as_integer_ratio()
        fraction_on_account = (scheme.payment_on_account or Decimal(0)).as_integer_ratio()
        factors = (pennies, *threshold, *cap, *fraction_on_account)
        # a maximum stated in fractions of a penny (A230) is shared on the Python path
        if in_pennies == pennies and max(factors) <= FACTORS and pennies * max(cap) < AREA_PENNIES * cap[1]:
            rows.append((area, *factors, True))
        else:  # left to Python whole; its figures may not even fit Int128
            rows.append((area, None, None, None, None, None, None, None, False))
    return pl.DataFrame(rows, orient="row", schema={
        "area": pl.String, "pennies": pl.Int128, "threshold_num": pl.Int128, "threshold_den": pl.Int128,
        "cap_num": pl.Int128, "cap_den": pl.Int128, "on_account_num": pl.Int128, "on_account_den": pl.Int128,
        "area_exact": pl.Boolean})


def measured(inputs: pl.DataFrame, terms: pl.DataFrame) -> pl.DataFrame:
    """`inputs` (rows of `reward_inputs`) with each row's reward figures, and `exact` saying
    whether they were computed here; in the inputs' order."""
    # inputs without a value's exact text beside it hold that value exactly
    missing = [f"{c}_exact" for c in UNITS.values() if f"{c}_exact" not in inputs.columns]
    inputs = inputs.with_columns(pl.lit(None, pl.String).alias(name) for name in missing)
    # inputs without the §6.1 columns have none of those features (equal parts, no weights)
    inputs = inputs.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in OPTIONAL.items()
                                 if name not in inputs.columns)
    frame = inputs.lazy().join(terms.lazy(), on="area", how="left", maintain_order="left")
    # The maximum is cut into one share per target, and a target's share into its parts: equal
    # parts, or weighted ones (portion_num / portion_den of it). From here `pennies` / `shares`
    # is this row's share, in pennies: maximum × portion_num / (targets × portion_den).
    frame = row_share(frame)
    frame = frame.with_columns(in_range=in_range())
    # Rows out of range get nulls instead of their values, so that nothing below can overflow.
    frame = frame.with_columns(**{name: pl.when(pl.col("in_range")).then(_units(column))
                                  for name, column in UNITS.items()})
    frame = frame.with_columns(**{name: pl.when(pl.col("in_range")).then(_units(column))
                                  for name, column in INTERIM_UNITS.items()})
    frame = (frame.with_columns(**_judged()).with_columns(**figures()).with_columns(**on_account())
             .with_columns(**_outputs()))
    exact = (pl.col("in_range") & (pl.col("achieved_places").abs() < DIGITS).fill_null(True)
             # a value the frame's decimals do not hold exactly is measured from its exact text (a
             # weight's is shown as written)
             & pl.all_horizontal(pl.col(f"{c}_exact").is_null()
                                 for c in (*UNITS.values(), *INTERIM_UNITS.values(), "weight"))
             & (pl.col("payable_places") < DIGITS).fill_null(True))
    # A few thousand rows: polars' default streaming engine costs more than the work here.
    return frame.with_columns(exact=exact).collect(engine="in-memory")


# Columns of the reward inputs for DESIGN.md §6.1, null where a frame of inputs does not have them.
OPTIONAL: dict[str, pl.DataType] = {
    "group": pl.String(), "group_title": pl.String(), "weight": pl.Decimal(38, SCALE), "weight_exact": pl.String(),
    "portion": pl.String(), "portion_num": pl.Int128(), "portion_den": pl.Int128(),
    "interim_period": pl.String(), "interim_value": pl.Decimal(38, SCALE), "interim_value_exact": pl.String(),
    "interim_actual": pl.Decimal(38, SCALE), "interim_actual_exact": pl.String()}
# an interim level and the actual of its year, compared by the target's direction
INTERIM_UNITS = {"i": "interim_value", "ia": "interim_actual"}


def row_share(frame: pl.LazyFrame) -> pl.LazyFrame:
    """`pennies` and `shares` of each row: its share of the maximum as a ratio of integers. A
    weighted row without small integers for its portion (`portion_num` null) is out of range."""
    weighted = pl.col("portion").is_not_null()
    targets = pl.col("targets_in_area").cast(pl.Int128)
    return frame.with_columns(
        pennies=pl.when(~weighted).then(pl.col("pennies")).otherwise(pl.col("pennies") * pl.col("portion_num")),
        shares=pl.when(~weighted).then(targets * pl.col("parts_of_target").cast(pl.Int128))
        .otherwise(targets * pl.col("portion_den")),
    )


UNITS = {"s": "start", "t": "final_target", "a": "actual", "b": "baseline"}


def _units(column: str) -> pl.Expr:
    """A Decimal(38, 10) as its exact integer number of 1e-10 units (the cast is a no-op on one)."""
    return pl.col(column).cast(pl.Decimal(38, SCALE)).to_physical()


def in_range() -> pl.Expr:
    """True when every product of the row's arithmetic fits Int128 (see FACTORS)."""
    largest_factor = pl.max_horizontal(
        "pennies", "shares", "threshold_num", "threshold_den", "cap_num", "cap_den", "on_account_num",
        "on_account_den",
        pl.lit(10**SCALE, pl.Int128))
    largest_value = pl.max_horizontal(
        [_units(c).abs() for c in UNITS.values()]).fill_null(0)
    # `pennies` is the maximum times a weighted row's portion: a factor of its own
    fits = (pl.col("area_exact") & (pl.col("shares") <= FACTORS) & (pl.col("pennies") <= FACTORS)
            & (largest_value <= pl.lit(PRODUCTS, pl.Int128) // largest_factor))
    return fits.fill_null(False)


def _judged() -> dict[str, pl.Expr]:
    """Direction, achievement (as numerator over a positive denominator) and status."""
    s, t, a, b = (pl.col(n) for n in UNITS)
    planned, gained = t - s, a - s
    # +1 when higher values are better for this target, -1 when lower, 0 when neither: the move
    # from start to target, else (a "maintain" target) polarity, else the move from the baseline.
    better = better_direction_expr(s, t, b).cast(pl.Int128)
    no_worse = pl.when(better > 0).then(a >= t).when(better < 0).then(a <= t).otherwise(a == t)
    maintain = planned == 0
    achieved_num = pl.when(maintain).then(no_worse.cast(pl.Int128)).otherwise(gained * planned.sign())
    achieved_den = pl.when(maintain).then(pl.lit(1, pl.Int128)).otherwise(planned.abs())
    year = pl.col("final_year")
    why_pending = (
        pl.when(t.is_null()).then(pl.format("no {} target value", year))
        .when(s.is_null()).then(pl.lit("no baseline to measure from"))
        .when(a.is_null() & pl.col("final_not_due")).then(pl.format("{} is not collected in {}", "indicator", year))
        .when(a.is_null()).then(pl.format("no {} return", year))
    )
    i, ia = pl.col("i"), pl.col("ia")
    # DESIGN.md §6.1: met when the interim year's actual meets the level by polarity (equal is
    # met); a neutral indicator's by the way its target moves
    by_polarity = polarity_sign_then().otherwise(better).cast(pl.Int128)
    interim_met = pl.when(by_polarity > 0).then(ia >= i).when(by_polarity < 0).then(ia <= i).otherwise(ia == i)
    interim_status = (pl.when(pl.col("interim_period").is_null()).then(pl.lit(None, pl.String))
                      .when(ia.is_null()).then(pl.lit("pending"))
                      .when(interim_met).then(pl.lit("met")).otherwise(pl.lit("missed")))
    return {
        "interim_status": interim_status,
        "better": pl.when(s.is_not_null() & t.is_not_null()).then(better),
        "achieved_num": pl.when(a.is_not_null()).then(achieved_num),
        "achieved_den": pl.when(a.is_not_null()).then(achieved_den),
        "why_pending": why_pending,
    }


def figures() -> dict[str, pl.Expr]:
    """Payable, the money to the penny, and the rounded figures the outputs show, from
    `achieved_num` / `achieved_den` (any achievement: the projection's too) and the area's terms."""
    num, den = pl.col("achieved_num"), pl.col("achieved_den")
    below = num * pl.col("threshold_den") < pl.col("threshold_num") * den
    capped = num * pl.col("cap_den") > pl.col("cap_num") * den
    zero, one = pl.lit(0, pl.Int128), pl.lit(1, pl.Int128)
    payable_num = pl.when(below).then(zero).when(capped).then(pl.col("cap_num")).otherwise(num)
    payable_den = pl.when(below).then(one).when(capped).then(pl.col("cap_den")).otherwise(den)
    pennies, shares = pl.col("pennies"), pl.col("shares")
    # share = pennies / shares and reward = share × payable, each half up in whole pennies
    share = half_up(pennies, shares)
    reward = half_up(pennies * payable_num, shares * payable_den).fill_null(0)
    status = (pl.when(pl.col("why_pending").is_not_null()).then(pl.lit("pending"))
              .when(below).then(pl.lit("below-threshold")).otherwise(pl.lit("paid")))
    return {
        "status": status,
        "payable_num": payable_num,
        "payable_den": payable_den,
        "share_pennies": share,
        "reward_pennies": reward,
        "achieved_places": half_up(num * PLACES, den),
        "payable_places": half_up(payable_num * PLACES, payable_den),
        "needed_threshold_units": _needed(pl.col("threshold_num"), pl.col("threshold_den")),
        "needed_full_units": _needed(one, one),
    }


def on_account() -> dict[str, pl.Expr]:
    """Payment on account (DESIGN.md §6.1), after `figures`: the row's share × the scheme's
    fraction, half up, when its interim level is met; the balance and recovery once the final
    return is in."""
    zero = pl.lit(0, pl.Int128)
    pennies, shares, reward = pl.col("pennies"), pl.col("shares"), pl.col("reward_pennies")
    paid = pl.when(pl.col("interim_status") == "met").then(
        half_up(pennies * pl.col("on_account_num"), shares * pl.col("on_account_den"))).otherwise(zero)
    final = pl.col("why_pending").is_null()
    return {
        "on_account_pennies": paid,
        "balance_pennies": pl.when(final).then(reward - paid),
        "recovery_pennies": pl.when(final).then(pl.max_horizontal(paid - reward, zero)),
    }


def _outputs() -> dict[str, pl.Expr]:
    """The figures as the decimals the outputs write: money, ratios to 4 places, values."""
    return {
        "share": units_decimal(pl.col("share_pennies"), 2),
        "reward": units_decimal(pl.col("reward_pennies"), 2),
        # the share rounded to the penny, less the reward; never negative (DESIGN.md §6 item 7)
        "at_stake": units_decimal(pl.max_horizontal(pl.col("share_pennies") - pl.col("reward_pennies"),
                                               pl.lit(0, pl.Int128)), 2),
        "payment_on_account": units_decimal(pl.col("on_account_pennies"), 2),
        "balance": units_decimal(pl.col("balance_pennies"), 2),
        "recovery": units_decimal(pl.col("recovery_pennies"), 2),
        "achievement": units_decimal(pl.col("achieved_places"), 4),
        "payable": units_decimal(pl.col("payable_places"), 4),
        "needed_for_threshold": units_decimal(pl.col("needed_threshold_units"), SCALE),
        "needed_for_full": units_decimal(pl.col("needed_full_units"), SCALE),
    }


def units_decimal(units: pl.Expr, places: int) -> pl.Expr:
    """A whole number of 10^-places as a Decimal(38, places): the integer becomes its physical
    value, nothing is rounded."""
    return units.cast(pl.Decimal(38, 0)) * frame_lit(Decimal(1).scaleb(-places), pl.Decimal(38, places))



def _needed(fraction_num: pl.Expr, fraction_den: pl.Expr) -> pl.Expr:
    """start + fraction × (target − start) in units, rounded to the indicator's decimals towards
    the harder side (up when higher is better, down when lower), so that reaching the value
    earns the fraction; the target itself when neither side is better."""
    s, t, better = pl.col("s"), pl.col("t"), pl.col("better")
    step = pl.lit(10, pl.Int128).pow(SCALE - pl.col("decimals").fill_null(0)).cast(pl.Int128)
    exact_num = s * fraction_den + fraction_num * (t - s)  # over fraction_den
    whole = fraction_den * step
    steps = pl.when(better > 0).then((exact_num + whole - 1) // whole).otherwise(exact_num // whole)
    return pl.when(better == 0).then(t).otherwise(steps * step)
