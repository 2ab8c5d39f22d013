"""The projection of the rows the frame leaves out (`in_range` false: values or a maximum so large
that a product could leave Int128), worked out in Python Fractions to the same figures.

The rules are those of `laatool.compute.projection` (which calls this module and hands it its
columns and statuses), said once more in plain arithmetic; a test holds the two to the same
results.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from laatool.base.money import decimal_text, round_half_up, to_penny
from laatool.compute.polarity import SIGNS, better_direction, polarity_sign
from laatool.compute.projection_points import THIRDS
from laatool.compute.reward import portion_of

UNIT = 10**10  # points are in thirds of 1e-10


def exact_rows(frame: pl.DataFrame, points: pl.DataFrame, method: str, maxima: dict[str, Decimal],
               schemes: dict[str, Any], on_track: Decimal, columns: list[str],
               statuses: dict[str, str]) -> tuple[pl.DataFrame, dict[int, Fraction]]:
    """`frame` (every row judged by the frame) with its out-of-range rows worked out here: the
    given `columns`, and each rule's status from `statuses`; and the projected achievement of
    each of those rows that has one shown, exactly, by `order` (`opportunities` judges them)."""
    outside = frame.filter(~pl.col("in_range"))
    wanted = points.filter(pl.col("order").is_in(outside.get_column("order").implode())
                           & (pl.col("kind") != "baseline"))
    by_order: dict[int, list[tuple[int, Fraction, str, bool, str | None]]] = {}
    for order, x, y, kind, provisional, exact in wanted.select(
            "order", "x", "y", "kind", "provisional", "exact").iter_rows():
        value = Fraction(y, THIRDS * UNIT) if exact is None else Fraction(exact)
        by_order.setdefault(order, []).append((x, value, kind, provisional, exact))
    done = [figures_of(row, by_order.get(row["order"], []), method, maxima[row["area"]], schemes[row["area"]],
                       on_track, statuses) for row in outside.iter_rows(named=True)]
    schema = frame.select(columns).schema
    worked = pl.DataFrame([{c: row.get(c) for c in columns} for row in done], schema=schema, orient="row")
    achievements = {row["order"]: row["achievement"] for row in done if row["projected_achievement"] is not None}
    return pl.concat([frame.filter(pl.col("in_range")).select(columns), worked]), achievements


def _value(row: dict[str, Any], column: str) -> Fraction | None:
    """A value of the row, from its exact text where the frame's decimal is not it."""
    exact = row[f"{column.rstrip('_')}_exact"]
    return Fraction(exact) if exact is not None else None if row[column] is None else Fraction(row[column])


def _text(value: Fraction | None, places: int) -> str | None:
    return None if value is None else decimal_text(round_half_up(value, places))


def figures_of(row: dict[str, Any], actual_points: list, method: str, maximum: Decimal, scheme: Any,
               on_track: Decimal, statuses: dict[str, str]) -> dict[str, Any]:
    """One row's figures, as `projection.judged` gives them."""
    s, t, b = _value(row, "from_"), _value(row, "target"), _value(row, "baseline")
    final_year, base_year = row["final_year"], row["base_year"]
    pts = sorted(actual_points)
    if b is not None:
        pts = sorted([(base_year - final_year, b, "baseline", False, row["baseline_exact"]), *pts])
    n = len(pts)
    reported = [p for p in pts if p[2] == "actual" and p[0] == 0]
    forecast = [p for p in pts if p[2] == "forecast" and p[0] == 0]
    projected = slope = None
    chosen = None
    if reported or forecast:
        projected, chosen = (reported or forecast)[0][1], ("actual" if reported else "forecast")
    elif n >= 2:
        chosen = method
        if method == "linear":
            sx = sum(Fraction(p[0]) for p in pts)
            sxx = sum(Fraction(p[0] * p[0]) for p in pts)
            sy = sum(p[1] for p in pts)
            sxy = sum(p[0] * p[1] for p in pts)
            d = n * sxx - sx * sx
            projected, slope = (sy * sxx - sx * sxy) / d, (n * sxy - sx * sy) / d
        else:
            (x0, y0, *_), (x1, y1, *_) = pts[-2], pts[-1]
            slope = (y1 - y0) / (x1 - x0)
            projected = y1 - slope * x1
    required = None
    if t is not None and pts and pts[-1][0] < 0:
        required = (t - pts[-1][1]) / (-pts[-1][0])
    pace = slope / required if slope is not None and required else None
    polarity = row["polarity"]
    planned = None if s is None or t is None else t - s
    achievement: Fraction | None = None
    if projected is not None and s is not None and t is not None and planned is not None:
        if planned:
            achievement = (projected - s) / planned
        else:
            better = better_direction(polarity, row["target"], row["target"], row["baseline"])  # a maintain target
            achievement = Fraction(int(projected * better >= t * better if better else projected == t))
    actuals = [p for p in pts if p[2] == "actual"]
    latest_actual = actuals[-1] if actuals else None
    sense = polarity_sign(polarity) if polarity in SIGNS else \
        (None if b is None or t is None else (t > b) - (t < b))
    met = latest_actual is not None and t is not None and sense is not None and (
        latest_actual[1] >= t if sense > 0 else latest_actual[1] <= t if sense < 0 else latest_actual[1] == t)
    risk = Fraction(row["risk_num"], row["risk_den"])
    rule = ("latest-meets-final" if met else "fewer-than-two-points" if n < 2
            else "nothing-to-measure-from" if achievement is None else "not-collected-in-final-year"
            if not row["due"] else "projected-on-track" if achievement >= Fraction(on_track)
            else "projected-at-risk" if achievement >= risk else "projected-off-track")
    status = statuses[rule]
    shown = status not in ("insufficient-data", "not-due") and achievement is not None and row["due"]
    d = row["decimals"] or 0
    share = payable = reward = None
    if row["reward"]:
        share = Fraction(maximum) / row["targets_in_area"] * portion_of(row)
        if shown and achievement is not None:
            threshold, cap = Fraction(scheme.threshold), Fraction(scheme.cap)
            payable = Fraction(0) if achievement < threshold else min(achievement, cap)
            reward = to_penny(share * payable)
    trend = shown or met
    share_penny = None if share is None else to_penny(share)
    return {
        **row,
        "latest": None if latest_actual is None else latest_actual[4] or _text(latest_actual[1], 10),
        "year_to_date": row["year_to_date"] if row["year_to_date_exact"] is None
        else _text(Fraction(row["year_to_date_exact"]), d + 2),
        "year_end_forecast": row["year_end_forecast"] if row["forecast_exact"] is None
        else _text(Fraction(row["forecast_exact"]), d + 2),
        "points": n,
        "method": chosen if trend else None,
        "slope_per_year": _text(slope, d + 2) if trend else None,
        "required_per_year": _text(required, d + 2),
        "pace_ratio": _text(pace, 4) if trend else None,
        "projected_final": _text(projected, d + 2) if shown else None,
        "projected_achievement": _text(achievement, 4) if shown else None,
        "achievement": achievement,  # exact, for `exact_rows`' caller
        "status": status,
        "rule": rule,
        "share": None if share_penny is None else str(share_penny),
        "projected_payable": _text(payable, 4),
        "projected_reward": None if reward is None else str(reward),
        "share_pennies": None if share_penny is None else int(share_penny * 100),
        "reward_pennies": None if reward is None else int(reward * 100),
    }
