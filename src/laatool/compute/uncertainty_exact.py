"""The interval, target test and change (DESIGN.md §9) of the rows scored in Python.

`laatool.compute.scoring` tests intervals in the frame's Decimal(38, 10). A row one of whose
values or written limits that does not hold exactly (more than 10 decimal places: its exact
text is beside it, `laatool.base.numbers`) is scored in Python (`laatool.compute.score_exact`),
and its uncertainty is worked out here, by the frame's rules, from the values and limits as
written: a limit of 22.99999999995 is below a target of 23, whatever the frame would round it to.
Newcombe's limits are square roots: whether one leaves out 0 is decided exactly, by squares.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from laatool.base.models import Significance
from laatool.base.numbers import EXACT

HUNDRED = Decimal(100)


def limits(row: dict[str, Any]) -> dict[str, Decimal | None]:
    """The row's limits and the previous value's, each from its exact text where the frame's
    decimal is not it (`interval_*` are the row's limits as the frame holds them)."""
    def exact(text: str | None, held: Decimal | None) -> Decimal | None:
        return Decimal(text) if text is not None else held

    return {"low": exact(row["ci_lower_exact"], row["interval_lower"]),
            "high": exact(row["ci_upper_exact"], row["interval_upper"]),
            "before_low": exact(row["previous_lower_exact"], row["previous_lower"]),
            "before_high": exact(row["previous_upper_exact"], row["previous_upper"])}


def published(value: Decimal | None, decimals: int | None) -> Decimal | None:
    """`value` rounded once, half away from zero, to the indicator's decimals + 2 places, as
    the outputs give a limit (DESIGN.md §9)."""
    if value is None or decimals is None:
        return value
    return value.quantize(Decimal(1).scaleb(-(decimals + 2)), rounding=ROUND_HALF_UP, context=EXACT)


def uncertainty(row: dict[str, Any], sense: int | None, significance: Significance) -> dict[str, Any]:
    """`ci_lower`, `ci_upper`, `target_test` and `change` of one row scored in Python, whose
    `actual`, `target` and `previous` are already its exact values (`score_exact.judged`)."""
    bounds = limits(row)
    low, high = bounds["low"], bounds["high"]
    return {"ci_lower": published(low, row["decimals"]), "ci_upper": published(high, row["decimals"]),
            "target_test": target_test(low, high, row["actual"], row["target"], sense),
            "change": change(row, bounds, sense, significance)}


def target_test(low: Decimal | None, high: Decimal | None, actual: Decimal | None, target: Decimal | None,
                sense: int | None) -> str:
    """The interval against the target, by polarity (equality at a limit counts as met)."""
    if low is None or high is None or actual is None or target is None:
        return "n/a"
    if sense is not None and sense > 0:
        if low >= target:
            return "met-with-confidence"
        if high < target:
            return "missed-with-confidence"
    elif sense is not None and sense < 0:
        if high <= target:
            return "met-with-confidence"
        if low > target:
            return "missed-with-confidence"
    elif sense == 0 and (low > target or high < target):
        return "missed-with-confidence"
    met = actual >= target if (sense or 0) > 0 else actual <= target if (sense or 0) < 0 else actual == target
    return "met-not-significant" if met else "missed-not-significant"


def change(row: dict[str, Any], bounds: dict[str, Decimal | None], sense: int | None,
           significance: Significance) -> dict[str, Any]:
    """The change from the previous value, as `scoring._change` gives it."""
    actual, before, decimals = row["actual"], row["previous"], row["decimals"]
    low, high, before_low, before_high = bounds["low"], bounds["high"], bounds["before_low"], bounds["before_high"]
    both = actual is not None and before is not None
    intervals = both and None not in (low, high, before_low, before_high)
    newcombe = intervals and row["unit"] == "percent" and significance.change_test == "newcombe"
    lower = upper = None
    rise = 0
    if newcombe:
        lower, upper, rise = _newcombe(actual, before, low, high, before_low, before_high)  # type: ignore[arg-type]  # not None when `intervals`
    elif intervals:
        rise = 1 if low > before_high else -1 if high < before_low else 0  # type: ignore[operator]  # not None when `intervals`
    if sense == 0:
        target = row["target"]
        closer = (EXACT.subtract(abs(EXACT.subtract(before, target)), abs(EXACT.subtract(actual, target)))
                  if both and target is not None else Decimal(0))
        better = 1 if closer > 0 else -1
    else:
        better = rise * (sense or 0)
    result = ("n/a" if not intervals else "no-significant-change" if rise == 0 or better == 0
              else "improved-significantly" if better > 0 else "worsened-significantly")
    return {"from_period": row["previous_period"] if both else None,
            "difference": published(EXACT.subtract(actual, before), decimals) if both else None,
            "lower": published(lower, decimals), "upper": published(upper, decimals),
            "method": "newcombe" if newcombe else "overlap" if intervals else None, "result": result}


def _newcombe(actual: Decimal, before: Decimal, low: Decimal, high: Decimal, before_low: Decimal,
              before_high: Decimal) -> tuple[Decimal, Decimal, int]:
    """Newcombe's hybrid score interval of new − old (clipped to ±100 points), and +1 when it
    is above 0, -1 below, else 0: d − √down > 0 exactly when d > 0 and d² > down, and
    d + √up < 0 when d < 0 and d² > up."""
    difference = EXACT.subtract(actual, before)
    down = _squares(EXACT.subtract(actual, low), EXACT.subtract(before_high, before))
    up = _squares(EXACT.subtract(high, actual), EXACT.subtract(before, before_low))
    lower = min(max(EXACT.subtract(difference, EXACT.sqrt(down)), -HUNDRED), HUNDRED)
    upper = min(max(EXACT.add(difference, EXACT.sqrt(up)), -HUNDRED), HUNDRED)
    square = EXACT.multiply(difference, difference)
    rise = 1 if difference > 0 and square > down else -1 if difference < 0 and square > up else 0
    return lower, upper, rise


def _squares(first: Decimal, second: Decimal) -> Decimal:
    """first² + second², exactly."""
    return EXACT.add(EXACT.multiply(first, first), EXACT.multiply(second, second))
