"""Performance Reward Grant (DESIGN.md §6): each reward target's share, achievement and reward.

Collecting the inputs is polars over whole frames (`laatool.reward_inputs`). The money
arithmetic per (sub-)target is Python `Fraction`s, and Decimals wide enough to be exact: there
are at most a few thousand reward targets, and exactness, not speed, decides it there: an
actual of 8.6 measured from 8.0 towards 9.0 is exactly 60% of the enhancement and is paid,
where binary floats get 59.99…% and pay nothing. Each reward is rounded once, to the penny, half up.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal
from fractions import Fraction
from typing import Any

from laatool.errors import InvalidInput, UsageError
from laatool.ids import parse_period
from laatool.models import AgreementHead, Scheme
from laatool.money import ZERO, ratio, split, to_penny
from laatool.render.values import money
from laatool.reward_inputs import reward_inputs
from laatool.workspace import Workspace

# Sums, differences and products of the values (at most 38 digits) are exact in 100 digits.
EXACT = Context(prec=100)
# What `measure` and `area_reward` read of each row of `reward_inputs`.
MEASURED_COLUMNS = ["area", "position", "indicator", "subtarget", "kind", "title", "polarity", "decimals",
                    "final_year", "baseline", "start", "measured_from", "final_target", "actual", "provisional",
                    "targets_in_area", "parts_of_target"]


@dataclass(frozen=True)
class TargetReward:
    """The reward of one reward target, or of one sub-target of it."""

    indicator: str
    subtarget: str | None
    kind: str
    title: str
    share: Decimal
    start: Decimal | None  # `from` in the outputs
    measured_from: str  # which value `start` is: expected_without_agreement or baseline
    target: Decimal | None
    actual: Decimal | None
    achievement: Fraction | None
    payable: Fraction | None
    reward: Decimal
    status: str  # paid | below-threshold | pending
    needed_for_threshold: Decimal | None
    needed_for_full: Decimal | None
    at_stake: Decimal
    provisional: bool
    why_pending: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "subtarget": self.subtarget,
            "share": money(self.share),
            "from": self.start,
            "target": self.target,
            "actual": self.actual,
            "achievement": ratio(self.achievement),
            "payable": ratio(self.payable),
            "reward": money(self.reward),
            "status": self.status,
            "needed_for_threshold": self.needed_for_threshold,
            "needed_for_full": self.needed_for_full,
            "at_stake": money(self.at_stake),
            "provisional": self.provisional,
        }


@dataclass(frozen=True)
class AreaReward:
    """One area's grant: its targets' rewards, the total and how it is paid."""

    area: str
    name: str
    scheme: Scheme
    final_year: str
    maximum: Decimal
    reward_targets: int  # how many targets share the maximum (a target with sub-targets is one)
    targets: list[TargetReward]
    earned: Decimal  # the sum of the targets' rewards, before the scheme's adjustment
    total: Decimal
    revenue: Decimal
    capital: Decimal
    instalments: list[Decimal]

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "name": self.name,
            "scheme": self.scheme.name,
            "maximum": money(self.maximum),
            "targets": [t.to_json() for t in self.targets],
            "total": money(self.total),
            "revenue": money(self.revenue),
            "capital": money(self.capital),
            "instalments": [money(i) for i in self.instalments],
        }


@dataclass
class RewardReport:
    """`reward-grant`: every selected area's grant and the national total."""

    scheme: str | None  # the --scheme override, or None when each area uses its own
    areas: list[AreaReward]
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((a.total for a in self.areas), ZERO)

    def to_json(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "areas": [a.to_json() for a in self.areas],
                "total": money(self.total)}

    def to_rows(self) -> list[dict[str, Any]]:
        return [{"area": a.area, "name": a.name, "scheme": a.scheme.name, **t.to_json()}
                for a in self.areas for t in a.targets]

    def to_table(self) -> Any:
        from laatool.reward_table import reward_table

        return reward_table(self)


def grant(workspace: Workspace, areas: list[str], scheme: str | None = None) -> RewardReport:
    """The reward grant of each area (already validated), with `scheme` overriding their own."""
    areas = [a for a in areas if a in workspace.agreement_docs]
    schemes = choose_schemes(workspace, areas, scheme)
    inputs = reward_inputs(workspace, areas, schemes)
    rows: dict[str, list[dict]] = {area: [] for area in areas}
    for row in inputs.select(MEASURED_COLUMNS).iter_rows(named=True):
        rows[row["area"]].append(row)
    results = [area_reward(area, workspace.agreement_docs[area].head, schemes[area], rows[area])
               for area in areas]
    warnings = [f"{a.area}: {t.indicator}{f' ({t.subtarget})' if t.subtarget else ''} is pending, "
                f"earning £0.00 of its £{t.share:,} share: {t.why_pending}"
                for a in results for t in a.targets if t.status == "pending"]
    return RewardReport(scheme=scheme, areas=results, warnings=warnings)


def choose_schemes(workspace: Workspace, areas: list[str],
                   override: str | None) -> dict[str, Scheme]:
    """Each area's scheme: `--scheme`, else the agreement's `reward.scheme`, else the default."""
    known = workspace.schemes
    names = ", ".join(known) or "none"
    if override is not None:
        if override not in known:
            close = difflib.get_close_matches(override, list(known), n=1)
            guess = f"; did you mean {close[0]}?" if close else ""
            raise UsageError(f"unknown scheme '{override}'{guess} (schemes: {names}; a scheme file "
                             "that does not load is left out: see `laatool validate`)")
        return {area: known[override] for area in areas}
    chosen = {}
    for area in areas:
        agreement = workspace.agreement_docs[area].head
        name = (agreement.reward.scheme if agreement.reward else None) or \
            workspace.settings.default_scheme
        chosen[area] = known.get(name)
    unknown = sorted(area for area, found in chosen.items() if found is None)
    if unknown:
        # `ensure_valid` refuses these with its own finding (A213/A214); this guards callers
        # that skipped it.
        from laatool.validation import ensure_valid

        ensure_valid(workspace, areas)
        raise InvalidInput([], f"no known reward scheme for {', '.join(unknown)} "
                               f"(schemes: {names})")
    return chosen


def maximum_of(agreement: AgreementHead, scheme: Scheme) -> Decimal:
    """`reward.maximum`, or the scheme's rate × the summed net budget requirement; £0 without
    either. Rounded to the penny: it is the pot of money the shares are cut from."""
    reward = agreement.reward
    if reward is None:
        return ZERO
    if reward.maximum is not None:
        return to_penny(Fraction(reward.maximum))
    budget = sum((Fraction(b) for b in reward.net_budget_requirement or []), Fraction(0))
    return to_penny(Fraction(scheme.maximum_rate) * budget)


def area_reward(area: str, agreement: AgreementHead, scheme: Scheme, rows: list[dict]) -> AreaReward:
    """One area's grant from its measured reward (sub-)targets."""
    maximum = maximum_of(agreement, scheme)
    targets = [
        measure(row, Fraction(maximum) / row["targets_in_area"] / row["parts_of_target"], scheme)
        for row in rows
    ]
    earned = sum((t.reward for t in targets), ZERO)
    total = to_penny(Fraction(earned) * Fraction(scheme.adjustment))
    revenue = to_penny(Fraction(total) * Fraction(scheme.revenue_share))
    final_year = str(parse_period(agreement.last_period).agreement_year)
    return AreaReward(
        area=area, name=agreement.name, scheme=scheme, final_year=final_year, maximum=maximum,
        reward_targets=len({row["position"] for row in rows}), targets=targets, earned=earned,
        total=total, revenue=revenue, capital=total - revenue,
        instalments=split(total, scheme.instalments),
    )


def measure(row: dict, share: Fraction, scheme: Scheme) -> TargetReward:
    """One (sub-)target's achievement, payable fraction and reward (DESIGN.md §6 steps 3–5)."""
    start, target, actual = row["start"], row["final_target"], row["actual"]
    decimals = row["decimals"] or 0
    threshold = exact_fraction(scheme.threshold)
    achievement = payable = needed_threshold = needed_full = None
    why_pending = None
    if target is None:
        why_pending = f"no {row['final_year']} target value"
    elif start is None:
        why_pending = "no baseline to measure from"
    else:
        better = better_direction(row["polarity"], start, target, row["baseline"])
        needed_threshold = needed(start, target, scheme.threshold, decimals, better)
        needed_full = needed(start, target, Decimal(1), decimals, better)
        if actual is None:
            why_pending = f"no {row['final_year']} return"
        else:
            achievement = achievement_of(actual, start, target, better)
            below = achievement < threshold
            payable = Fraction(0) if below else min(achievement, exact_fraction(scheme.cap))
    if why_pending:
        status = "pending"
    else:
        status = "below-threshold" if achievement < threshold else "paid"
    reward = to_penny(share * payable) if payable is not None else ZERO
    share_penny = to_penny(share)
    return TargetReward(
        indicator=row["indicator"], subtarget=row["subtarget"], kind=row["kind"],
        title=row["title"] or "", share=share_penny, start=start,
        measured_from=row["measured_from"], target=target, actual=actual,
        achievement=achievement, payable=payable, reward=reward, status=status,
        needed_for_threshold=needed_threshold, needed_for_full=needed_full,
        at_stake=share_penny - reward, provisional=bool(row["provisional"]),
        why_pending=why_pending,
    )


@functools.lru_cache(maxsize=256)
def exact_fraction(value: Decimal) -> Fraction:
    """A scheme's threshold or cap as a Fraction, made once per value."""
    return Fraction(value)


def better_direction(polarity: str | None, start: Decimal, target: Decimal,
                     baseline: Decimal | None) -> int:
    """+1 when higher values are better for this target, -1 when lower, 0 when neither.

    The move from start to target says it; for a "maintain" target (target = start) the
    indicator's polarity does, and for a neutral one the move from baseline to target (§5).
    """
    if target != start:
        return 1 if target > start else -1
    if polarity in ("higher", "lower"):
        return 1 if polarity == "higher" else -1
    if baseline is not None and target != baseline:
        return 1 if target > baseline else -1
    return 0


def achievement_of(actual: Decimal, start: Decimal, target: Decimal, better: int) -> Fraction:
    """(actual − from) / (target − from); for a "maintain" target 1 if no worse, else 0."""
    if target != start:
        return Fraction(EXACT.subtract(actual, start)) / Fraction(EXACT.subtract(target, start))
    no_worse = actual * better >= target * better if better else actual == target
    return Fraction(int(no_worse))


def needed(start: Decimal, target: Decimal, fraction: Decimal, decimals: int,
           better: int) -> Decimal:
    """The final-year value that earns `fraction` of the enhancement, rounded to the indicator's
    decimals towards the harder side, so that reaching the printed value really earns it."""
    if better == 0:
        return target
    exact = EXACT.add(start, EXACT.multiply(fraction, EXACT.subtract(target, start)))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_CEILING if better > 0 else ROUND_FLOOR,
                          context=EXACT)
