"""Performance Reward Grant (DESIGN.md §6): each reward target's share, achievement and reward.

Collecting the inputs is polars over whole frames (`laatool.compute.reward_inputs`), and so is the
arithmetic of every (sub-)target, in exact integers (`laatool.compute.reward_frame`): an actual of 8.6
measured from 8.0 towards 9.0 is exactly 60% of the enhancement and is paid, where binary
floats get 59.99…% and pay nothing. A row whose products could leave Int128 (values or a
maximum far beyond any agreement's) is measured here instead, by `measure`, in Python
`Fraction`s and Decimals wide enough to be exact. The figures of each area (a few hundred) are
Python too. Each reward is rounded once, to the penny, half up.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from pathlib import PurePosixPath
from typing import Any, ClassVar

import polars as pl

from laatool.base.errors import InvalidInput, UsageError
from laatool.base.findings import MAX_PER_FILE as MOST_LISTED
from laatool.base.ids import parse_period
from laatool.base.models import AgreementHead, Scheme
from laatool.base.money import ZERO, money, money_sum, ratio, round_half_up, split, to_penny
from laatool.base.numbers import EXACT
from laatool.base.suggest import did_you_mean
from laatool.base.text import excerpt
from laatool.compute.polarity import better_direction, polarity_sign
from laatool.compute.reward_frame import area_terms, measured
from laatool.compute.reward_inputs import reward_inputs
from laatool.load.workspace import Workspace

# Values with their exact text beside them where the frame's decimals do not hold them.
EXACT_COLUMNS_OF = ("baseline", "start", "final_target", "actual", "interim_value", "interim_actual", "weight")
EXACT_COLUMNS = [f"{column}_exact" for column in EXACT_COLUMNS_OF]
# What `measure` reads of each row of `reward_inputs`.
MEASURED_COLUMNS = ["area", "position", "indicator", "subtarget", "group", "group_title", "kind", "title",
                    "polarity", "decimals", "final_year", "baseline", "start", "measured_from", "final_target",
                    "actual", "provisional", "targets_in_area", "parts_of_target", "portion", "weight",
                    "interim_period", "interim_value", "interim_actual"]
# The JSON of a (sub-)target (DESIGN.md §7.2), from the columns of `reward_frame.measured`.
JSON_COLUMNS = {
    "indicator": pl.col("indicator"), "subtarget": pl.col("subtarget"),
    "share": pl.col("share").cast(pl.String), "from": pl.col("start"), "target": pl.col("final_target"),
    "actual": pl.col("actual"), "achievement": pl.col("achievement"), "payable": pl.col("payable"),
    "reward": pl.col("reward").cast(pl.String), "status": pl.col("status"),
    "needed_for_threshold": pl.col("needed_for_threshold"), "needed_for_full": pl.col("needed_for_full"),
    "at_stake": pl.col("at_stake").cast(pl.String), "provisional": pl.col("provisional").fill_null(False),
    # DESIGN.md §6.1, after the fields of §6 so that their columns keep their places
    "group": pl.col("group"), "weight": pl.col("weight"), "interim_status": pl.col("interim_status"),
    "payment_on_account": pl.col("payment_on_account").cast(pl.String),
    "balance": pl.col("balance").cast(pl.String), "recovery": pl.col("recovery").cast(pl.String),
}

# What `TargetReward.from_row` reads of a row of `reward_frame.measured`.
ROW_COLUMNS = ["area", "order", "exact", "indicator", "subtarget", "group", "group_title", "kind", "title", "share",
               "start", "measured_from", "final_target", "actual", "achieved_num", "achieved_den", "payable_num",
               "payable_den", "reward", "status", "needed_for_threshold", "needed_for_full", "at_stake",
               "provisional", "why_pending", "weight", "interim_status", "payment_on_account", "balance",
               "recovery"]


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
    weight: Decimal | None = None  # as written on a weighted sub-target, else None
    interim_status: str | None = None  # met | missed | pending, None without an interim level
    payment_on_account: Decimal = ZERO
    balance: Decimal | None = None  # reward − payment_on_account; None while the final return is pending
    recovery: Decimal | None = None  # a negative balance, owed back; None while pending
    group: str | None = None  # the target group's slug (DESIGN.md §6.1), else None
    group_title: str | None = None  # the group's title, for people

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TargetReward:
        """One row of `reward_frame.measured` (computed there) as Python values."""
        return cls(
            indicator=row["indicator"], subtarget=row["subtarget"], kind=row["kind"],
            title=row["title"] or "", share=row["share"], start=row["start"],
            measured_from=row["measured_from"], target=row["final_target"], actual=row["actual"],
            achievement=_fraction(row["achieved_num"], row["achieved_den"]),
            payable=_fraction(row["payable_num"], row["payable_den"]), reward=row["reward"],
            status=row["status"], needed_for_threshold=row["needed_for_threshold"],
            needed_for_full=row["needed_for_full"], at_stake=row["at_stake"],
            provisional=bool(row["provisional"]), why_pending=row["why_pending"], weight=row["weight"],
            interim_status=row["interim_status"], payment_on_account=row["payment_on_account"],
            balance=row["balance"], recovery=row["recovery"], group=row["group"], group_title=row["group_title"],
        )

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
            "group": self.group,
            "weight": self.weight,
            "interim_status": self.interim_status,
            "payment_on_account": money(self.payment_on_account),
            "balance": None if self.balance is None else money(self.balance),
            "recovery": None if self.recovery is None else money(self.recovery),
        }


def _fraction(numerator: int | None, denominator: int | None) -> Fraction | None:
    return None if numerator is None else Fraction(numerator, denominator)


@dataclass(frozen=True)
class AreaGrant:
    """One area's grant: its maximum, the total its targets earned and how it is paid."""

    area: str
    name: str
    scheme: Scheme
    final_year: str
    maximum: Decimal
    reward_targets: int  # how many targets share the maximum (a target with sub-targets is one)
    earned: Decimal  # the sum of the targets' rewards, before the scheme's adjustment
    total: Decimal
    revenue: Decimal
    capital: Decimal
    instalments: list[Decimal]
    # the maximum after adjustment (to the penny) less the total, never negative: total +
    # at_stake is what the area could have received when no target is paid above its share
    at_stake: Decimal
    payment_on_account: Decimal  # the sum of its targets' (before adjustment), paid in the last year
    recovery: Decimal  # the sum of its targets' recoveries, owed back
    maximum_adjusted: Decimal  # the maximum after the scheme's adjustment: the most the grant can be

    def tail_json(self) -> dict[str, Any]:
        """The area's figures after its targets (DESIGN.md §7.2)."""
        return {"total": money(self.total), "revenue": money(self.revenue), "capital": money(self.capital),
                "instalments": [money(i) for i in self.instalments],
                "payment_on_account": money(self.payment_on_account), "recovery": money(self.recovery),
                "at_stake": money(self.at_stake), "maximum_adjusted": money(self.maximum_adjusted)}


@dataclass(frozen=True)
class AreaReward(AreaGrant):
    """One area's grant with its targets' rewards."""

    targets: list[TargetReward]

    @property
    def targets_at_stake(self) -> Decimal:
        """The sum of the targets' at stake, before the scheme's adjustment (the table's Sum row,
        which is not always the area's own `at_stake`: `render.reward_table.at_stake_reconciled`)."""
        return money_sum(t.at_stake for t in self.targets)

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "name": self.name,
            "scheme": self.scheme.name,
            "maximum": money(self.maximum),
            "targets": [t.to_json() for t in self.targets],
            **self.tail_json(),
        }


@dataclass
class RewardReport:
    """`reward-grant`: every selected area's grant and the national total.

    It keeps the measured frame: JSON (`render.report_json`) is written from it by polars, CSV and XLSX
    rows are its values, and the targets become `TargetReward`s only for the table.
    """

    scheme: str | None  # the --scheme override, or None when each area uses its own
    columns: ClassVar[list[str]] = ["area", "name", "scheme", *JSON_COLUMNS]  # the CSV's header, always
    grants: list[AreaGrant]
    frame: pl.DataFrame  # every (sub-)target, in order: `reward_frame.measured`
    in_python: dict[int, TargetReward]  # by `order`: the rows the frame left to `measure`
    warnings: list[str]

    @property
    def total(self) -> Decimal:
        return money_sum(a.total for a in self.grants)

    @functools.cached_property
    def areas(self) -> list[AreaReward]:
        """Each area's grant with its targets, as Python values."""
        targets: dict[str, list[TargetReward]] = {a.area: [] for a in self.grants}
        for row in self.frame.select(ROW_COLUMNS).iter_rows(named=True):
            target = TargetReward.from_row(row) if row["exact"] else self.in_python[row["order"]]
            targets[row["area"]].append(target)
        return [AreaReward(**vars(a), targets=targets[a.area]) for a in self.grants]

    def to_json(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "areas": [a.to_json() for a in self.areas],
                "total": money(self.total)}

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per (sub-)target for CSV and XLSX: the values of its JSON, from the frame."""
        rows: dict[str, list[dict[str, Any]]] = {a.area: [] for a in self.grants}
        for row in self.frame.select("area", "order", "exact", **JSON_COLUMNS).iter_rows(named=True):
            area, order, exact = row.pop("area"), row.pop("order"), row.pop("exact")
            rows[area].append(row if exact else self.in_python[order].to_json())
        return [{"area": a.area, "name": a.name, "scheme": a.scheme.name, **row}
                for a in self.grants for row in rows[a.area]]



def grant(workspace: Workspace, areas: list[str], scheme: str | None = None) -> RewardReport:
    """The reward grant of each area (already validated), with `scheme` overriding their own."""
    areas = [a for a in areas if a in workspace.agreement_docs]
    schemes = choose_schemes(workspace, areas, scheme)
    heads = {area: workspace.agreement_docs[area].head for area in areas}
    maxima = {area: maximum_of(heads[area], schemes[area]) for area in areas}
    frame = measured(reward_inputs(workspace, areas, schemes), area_terms(maxima, schemes))
    in_python = measure_in_python(frame, maxima, schemes)
    earned = earned_by_area(frame, in_python)
    grants = [area_grant(area, heads[area], schemes[area], maxima[area], earned.get(area, Earned()))
              for area in areas]
    return RewardReport(scheme=scheme, grants=grants, frame=frame, in_python=in_python,
                        warnings=pending_warnings(frame, in_python, areas))


def measure_in_python(frame: pl.DataFrame, maxima: dict[str, Decimal],
                      schemes: dict[str, Scheme]) -> dict[int, TargetReward]:
    """The rows the frame left to Python (`exact` false), measured by `measure`, by `order`."""
    rest = frame.filter(~pl.col("exact")).select("order", *MEASURED_COLUMNS, *EXACT_COLUMNS)
    return {row["order"]: measure(exact_values(row), Fraction(maxima[row["area"]]) / row["targets_in_area"]
                                  * portion_of(row), schemes[row["area"]])
            for row in rest.iter_rows(named=True)}


def portion_of(row: dict[str, Any]) -> Fraction:
    """The part of its target's share a (sub-)target gets: its weight's, else an equal one."""
    return Fraction(row["portion"]) if row.get("portion") is not None else Fraction(1, row["parts_of_target"])


def exact_values(row: dict[str, Any]) -> dict[str, Any]:
    """The row with each value the frame's decimals do not hold exactly as its exact text says."""
    exact = {column: Decimal(row[f"{column}_exact"]) for column in EXACT_COLUMNS_OF
             if row[f"{column}_exact"] is not None}
    return {**row, **exact}


def earned_by_area(frame: pl.DataFrame, in_python: dict[int, TargetReward]) -> dict[str, Earned]:
    """Per area, the sums of its targets' rewards, payments on account and recoveries, and how
    many targets share its maximum."""
    sums = frame.group_by("area").agg(pl.col("reward_pennies").sum(), pl.col("on_account_pennies").sum(),
                                      pl.col("recovery_pennies").sum(), pl.col("targets_in_area").first(),
                                      pl.col("exact").all())
    earned = {area: Earned(reward=pounds_of(pennies), payment_on_account=pounds_of(on_account),
                           recovery=pounds_of(recovery), reward_targets=targets)
              for area, pennies, on_account, recovery, targets, exact in sums.iter_rows() if exact}
    # An area with a row measured in Python sums its figures as Decimals, exactly (a sum of
    # more than 38 digits does not fit the frame's integers).
    mixed = frame.filter(~pl.col("exact").all().over("area")).select(
        "area", "order", "exact", "reward", "payment_on_account", "recovery", "targets_in_area")
    for area, rows in mixed.group_by("area", maintain_order=True):
        figures = [(reward, on_account, recovery or ZERO) if exact else
                   (in_python[order].reward, in_python[order].payment_on_account, in_python[order].recovery or ZERO)
                   for _, order, exact, reward, on_account, recovery, _ in rows.iter_rows()]
        earned[area[0]] = Earned(reward=money_sum(f[0] for f in figures),
                                 payment_on_account=money_sum(f[1] for f in figures),
                                 recovery=money_sum(f[2] for f in figures), reward_targets=rows["targets_in_area"][0])
    return earned


def pounds_of(pennies: int) -> Decimal:
    """A whole number of pennies as pounds, exactly."""
    return Decimal(pennies).scaleb(-2, context=EXACT)


@dataclass(frozen=True)
class Earned:
    """What an area's targets earned together, before the scheme's adjustment."""

    reward: Decimal = ZERO
    payment_on_account: Decimal = ZERO
    recovery: Decimal = ZERO
    reward_targets: int = 0


def pending_warnings(frame: pl.DataFrame, in_python: dict[int, TargetReward], areas: list[str]) -> list[str]:
    """One line for each pending (sub-)target, area by area: the share it is not earning, and why."""
    lines: dict[str, list[str]] = {area: [] for area in areas}
    rows = frame.filter((pl.col("status") == "pending") | ~pl.col("exact"))
    for area, order, *row in rows.select("area", "order", "indicator", "subtarget", "share",
                                         "why_pending").iter_rows():
        if order in in_python:
            t = in_python[order]
            if t.status != "pending":
                continue
            row = [t.indicator, t.subtarget, t.share, t.why_pending]
        indicator, subtarget, share, why = row
        part = f" ({subtarget})" if subtarget else ""
        lines[area].append(f"{area}: {indicator}{part} is pending, earning £0.00 of its £{share:,} share: {why}")
    said = [line for area in areas for line in lines[area]]
    if len(said) <= MOST_LISTED:
        return said
    # a national run with the returns missing: a line per target would bury the cause
    return said[:MOST_LISTED] + [f"{len(said) - MOST_LISTED:,} more (sub-)targets are pending (only the first "
                                 f"{MOST_LISTED:,} are listed; the output gives each its status)"]


def check_scheme(workspace: Workspace, override: str) -> Scheme:
    """The scheme `--scheme` names; InvalidInput, with its findings, when the file that gives it
    does not load (`schemes/NAME.yaml`, or one whose `name:` is NAME), as for a scheme an
    agreement names, even when a bundled scheme has that name (the workspace's file would
    replace it, Y018: the bundled one is not the scheme asked for); else a UsageError when the
    workspace has no such scheme."""
    from laatool.base.findings import Severity

    known = workspace.schemes
    own = [f for f in workspace.findings if f.severity == Severity.ERROR and f.file in workspace.unloaded_schemes
           and override in (workspace.unloaded_schemes[f.file], PurePosixPath(f.file).stem)]
    if own:
        raise InvalidInput(own, f"the scheme '{excerpt(override)}' ({own[0].file}) cannot be read")
    if override not in known:
        guess = did_you_mean(override, list(known))
        raise UsageError(f"unknown scheme '{excerpt(override)}'{guess} (schemes: {', '.join(known) or 'none'}; "
                         "a scheme file that does not load is left out: see `laatool validate`)")
    return known[override]


def choose_schemes(workspace: Workspace, areas: list[str],
                   override: str | None) -> dict[str, Scheme]:
    """Each area's scheme: `--scheme`, else the agreement's `reward.scheme`, else the default."""
    if override is not None:  # no area to compute (every one refused): nothing to check it for
        return dict.fromkeys(areas, check_scheme(workspace, override)) if areas else {}
    known = workspace.schemes
    names = ", ".join(known) or "none"
    chosen = {}
    for area in areas:
        chosen[area] = known.get(workspace.scheme_name(area))
    unknown = sorted(area for area, found in chosen.items() if found is None)
    if unknown:  # refused first with their findings (A213/A214) by `laatool.api`: a guard
        raise InvalidInput([], f"no known reward scheme for {', '.join(unknown)} "
                               f"(schemes: {names})")
    return {area: found for area, found in chosen.items() if found is not None}


def maximum_of(agreement: AgreementHead, scheme: Scheme) -> Decimal:
    """`reward.maximum` as written, or the scheme's rate × the summed net budget
    requirement rounded half up to a multiple of the scheme's `maximum_rounding` (a penny by
    default; £1,000 makes 2.5% of £132,993,000 £3,325,000; a step finer than a penny leaves
    fractions of one, shared as a stated maximum's are); £0 without either. It is the pot of
    money the shares are cut from."""
    reward = agreement.reward
    if reward is None:
        return ZERO
    if reward.maximum is not None:
        return reward.maximum  # as written (§6.1), fractions of a penny too (A230 warns)
    budget = net_budget(reward.net_budget_requirement)
    step = Fraction(scheme.maximum_rounding)
    multiples = round_half_up(Fraction(scheme.maximum_rate) * budget / step, 0)
    return EXACT.multiply(multiples, scheme.maximum_rounding)


def net_budget(requirements: list[Decimal] | None) -> Fraction:
    """The net budget requirement a maximum is worked out from: the tiers' summed."""
    return sum((Fraction(b) for b in requirements or []), Fraction(0))


def after_adjustment(amount: Decimal, scheme: Scheme) -> Decimal:
    """An area's amount (the rewards its targets earned, or its maximum) times the scheme's
    `adjustment`, to the penny (DESIGN.md §6: the area `total`)."""
    return to_penny(Fraction(amount) * Fraction(scheme.adjustment))


def area_grant(area: str, agreement: AgreementHead, scheme: Scheme, maximum: Decimal,
               earned: Earned) -> AreaGrant:
    """One area's grant from the sums of its (sub-)targets' figures: the total after the
    scheme's adjustment, split into revenue and capital; and what is still to pay, total −
    payment on account + recovery (DESIGN.md §6.1), split into instalments."""
    total = after_adjustment(earned.reward, scheme)
    to_pay = EXACT.add(EXACT.subtract(total, earned.payment_on_account), earned.recovery)
    revenue = to_penny(Fraction(total) * Fraction(scheme.revenue_share))
    final_year = str(parse_period(agreement.last_period).agreement_year)
    possible = after_adjustment(maximum, scheme)
    return AreaGrant(
        area=area, name=agreement.name, scheme=scheme, final_year=final_year, maximum=maximum,
        reward_targets=earned.reward_targets, earned=earned.reward, total=total, revenue=revenue,
        capital=EXACT.subtract(total, revenue), instalments=split(to_pay, scheme.instalments),
        at_stake=max(EXACT.subtract(possible, total), ZERO), payment_on_account=earned.payment_on_account,
        recovery=earned.recovery, maximum_adjusted=possible,
    )


def measure(row: dict, share: Fraction, scheme: Scheme) -> TargetReward:
    """One (sub-)target's achievement, payable fraction and reward (DESIGN.md §6 steps 3–5), in
    Python: for the rows `reward_frame` cannot compute within Int128."""
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
            why_pending = (f"{row['indicator']} is not collected in {row['final_year']}" if row.get("final_not_due")
                           else f"no {row['final_year']} return")
        else:
            achievement = achievement_of(actual, start, target, better)
            below = achievement < threshold
            payable = Fraction(0) if below else min(achievement, exact_fraction(scheme.cap))
    if why_pending:
        status = "pending"
    else:
        assert achievement is not None, "measured whenever nothing is pending"
        status = "below-threshold" if achievement < threshold else "paid"
    reward = to_penny(share * payable) if payable is not None else ZERO
    share_penny = to_penny(share)
    interim = interim_status(row, polarity_sign(row["polarity"])
                             or direction_of(row["polarity"], start, target, row["baseline"]))
    fraction = scheme.payment_on_account or Decimal(0)
    on_account = to_penny(share * Fraction(fraction)) if interim == "met" else ZERO
    balance = None if why_pending else EXACT.subtract(reward, on_account)
    return TargetReward(
        indicator=row["indicator"], subtarget=row["subtarget"], kind=row["kind"],
        title=row["title"] or "", share=share_penny, start=start,
        measured_from=row["measured_from"], target=target, actual=actual,
        achievement=achievement, payable=payable, reward=reward, status=status,
        needed_for_threshold=needed_threshold, needed_for_full=needed_full,
        at_stake=max(EXACT.subtract(share_penny, reward), ZERO), provisional=bool(row["provisional"]),
        why_pending=why_pending, weight=row.get("weight"), interim_status=interim,
        payment_on_account=on_account, balance=balance,
        recovery=None if balance is None else max(-balance, ZERO), group=row.get("group"),
        group_title=row.get("group_title"),
    )


def direction_of(polarity: str | None, start: Decimal | None, target: Decimal | None,
                 baseline: Decimal | None) -> int:
    """`better_direction`, also for a (sub-)target without a start or a final target value: then
    the indicator's polarity, else the move from the baseline (as `better_direction_expr`)."""
    if start is not None and target is not None:
        return better_direction(polarity, start, target, baseline)
    if polarity in ("higher", "lower"):
        return polarity_sign(polarity)
    if baseline is not None and target is not None and target != baseline:
        return 1 if target > baseline else -1
    return 0


def interim_status(row: dict[str, Any], better: int) -> str | None:
    """`met` when the interim year's actual is no worse than the interim level (equal is met)
    on the side `better` says (the indicator's polarity; a neutral one's, the way its target
    moves), `missed` when it is worse, `pending` without it; None without an interim level."""
    if row.get("interim_period") is None:
        return None
    level, actual = row["interim_value"], row["interim_actual"]
    if actual is None:
        return "pending"
    met = actual >= level if better > 0 else actual <= level if better < 0 else actual == level
    return "met" if met else "missed"


@functools.lru_cache(maxsize=256)
def exact_fraction(value: Decimal) -> Fraction:
    """A scheme's threshold or cap as a Fraction, made once per value."""
    return Fraction(value)


def achievement_of(actual: Decimal, start: Decimal, target: Decimal, better: int) -> Fraction:
    """(actual − from) / (target − from); for a "maintain" target 1 if no worse, else 0."""
    if target != start:
        return Fraction(EXACT.subtract(actual, start)) / Fraction(EXACT.subtract(target, start))
    no_worse = actual >= target if better > 0 else actual <= target if better < 0 else actual == target
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
