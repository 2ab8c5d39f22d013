"""Scoring (DESIGN.md §5) of the rows the frame cannot score exactly, in Python.

`laatool.compute.scoring` scores in Int128 whole numbers of 1e-10. A row is scored here instead when
one of its values is not held exactly by the frame's decimals (more than 10 places, or 10^28
or more: its exact text is beside it, see `laatool.base.numbers`), or one of its interval's
written limits is not (`laatool.compute.uncertainty_exact` tests those), or when a product of its
arithmetic could leave Int128 (`rag.amber` written with many digits, or huge values). The
rules are the frame's, on exact Decimals and Fractions: a few rows, never the common path.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from laatool.base.money import round_half_up
from laatool.base.numbers import EXACT

VALUES = ("actual", "target", "baseline", "previous")


def exact_values(row: dict[str, Any]) -> dict[str, Decimal | None]:
    """The row's values, each from its exact text where the frame's decimal is not it."""
    return {name: Decimal(row[f"{name}_exact"]) if row[f"{name}_exact"] is not None else row[name]
            for name in VALUES}


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def judged(row: dict[str, Any], amber: Decimal) -> dict[str, Any]:
    """achievement, rule and direction of one scored row, as the frame gives them, its exact
    values, and its `sense` (+1 higher is better, -1 lower, 0 or None for a neutral indicator
    by its target), which its target test reads (`laatool.compute.uncertainty_exact`)."""
    values = exact_values(row)
    actual, target, baseline = values["actual"], values["target"], values["baseline"]
    planned = EXACT.subtract(target, baseline) if target is not None and baseline is not None else None
    maintain = planned == 0 if planned is not None else None
    polarity = row["polarity"]
    sense = 1 if polarity == "higher" else -1 if polarity == "lower" else (
        _sign(planned) if planned is not None else None)
    met = None
    if actual is not None and target is not None:  # equality is met whichever way is better (`scoring._met`)
        met = actual >= target if (sense or 0) > 0 else actual <= target if (sense or 0) < 0 else actual == target
    gained = EXACT.subtract(actual, baseline) if actual is not None and baseline is not None else None
    if row["period"] is None:
        rule = "placeholder"
    elif row.get("not_due"):  # a biennial indicator's year it is not collected in (§9)
        rule = "not-due"
    elif actual is None:
        rule = "incomplete-quarters" if (row["quarters"] or 0) > 0 else "no-return"
    elif met and maintain:
        rule = "maintain-met"
    elif met:
        rule = "met-target"
    elif planned is None:
        rule = "no-baseline"
    elif (amber == 0) if maintain else Fraction(gained) / Fraction(planned) >= Fraction(amber):  # type: ignore[arg-type]  # not None on this branch: the ones above rule it out
        rule = "amber-threshold"
    elif maintain:
        rule = "maintain-missed"
    else:
        rule = "below-amber"
    if maintain is None or actual is None:
        achievement = None
    elif maintain:
        achievement = Decimal(1 if met else 0)
    else:
        achievement = round_half_up(Fraction(gained) / Fraction(planned), 4)  # type: ignore[arg-type]  # not None on this branch: the ones above rule it out
    return {"achievement": achievement, "rule": rule, "sense": sense,
            "direction": _direction(values, sense, row["decimals"]), **values}


def _direction(values: dict[str, Decimal | None], sense: int | None, decimals: int | None) -> str:
    """Travel since the previous value, both rounded half up to the indicator's decimals."""
    def rounded(value: Decimal | None) -> Decimal | None:
        if value is None or decimals is None:
            return None
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=EXACT)

    now, before, aim = rounded(values["actual"]), rounded(values["previous"]), rounded(values["target"])
    if now is None or before is None:
        return "n/a"
    if now == before:
        return "unchanged"
    if sense is None or (sense == 0 and aim is None):
        return "n/a"
    if sense == 0:
        better = EXACT.subtract(EXACT.subtract(before, aim).copy_abs(), EXACT.subtract(now, aim).copy_abs())  # type: ignore[arg-type]  # not None on this branch: the ones above rule it out
    else:
        better = EXACT.subtract(now, before) * sense
    return "improving" if better > 0 else "worsening" if better < 0 else "unchanged"
