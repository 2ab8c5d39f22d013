"""The reward within reach (DESIGN.md §10, `laatool opportunities`): the reward (sub-)targets just
below the threshold or between it and the cap, what reaching the next step needs and pays.

Every figure comes from reward's exact frame (`reward_frame`): achievement as an integer
numerator over a positive denominator, shares and rewards in whole pennies. Before the final
year is reported, a target's achievement is the projection's (`laatool.compute.projection`,
`basis: projected`) and its reward now the indicative reward of that projection. The window
[threshold − within, cap) is decided by cross multiplication; the list is ordered by the £
gained at the next step over the share of the enhancement still needed for it, as exact
fractions. The few rows reward measures in Python (values the frame does not hold exactly)
are judged here from their Fractions, to the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from laatool.base.money import ZERO, half_up, money, ratio, to_penny
from laatool.compute.projection_report import ProjectionReport
from laatool.compute.reward import RewardReport, TargetReward, portion_of
from laatool.compute.reward_frame import PLACES

I128 = pl.Int128
KEYS = ["area", "indicator", "subtarget"]
# DESIGN.md §10's fields in its order (`name` beside `area`, §7), then the extra ones: a script
# reading columns by place finds §10's where §10 puts them; `group` (§6.1) last
ROW_KEYS = ("area", "name", "indicator", "subtarget", "basis", "achievement", "reward", "needed_for_threshold",
            "gain_at_threshold", "needed_for_full", "gain_at_full", "share", "provisional", "group")


def shown_projections(projected: pl.DataFrame) -> pl.LazyFrame:
    """The reward rows of the projection with a projected achievement shown: not those that
    cannot be projected (fewer than two points) nor those not due (a final year in which the
    indicator is not collected: nothing will be measured, nothing paid)."""
    return projected.lazy().filter(pl.col("reward") & pl.col("projected_achievement").is_not_null())


def candidates(reward: pl.DataFrame, projected: pl.DataFrame | None) -> pl.LazyFrame:
    """Each reward (sub-)target measured in the frame, with `basis` and the achievement and
    reward now it is judged on: its final-year actual's, else (pending) its projection's
    (when the frame projected it too: `judged_in_python` takes the others)."""
    frame = reward.lazy().filter(pl.col("exact"))
    if projected is not None:
        projection = shown_projections(projected).filter("in_range").select(
            *KEYS, p_num=pl.col("achieved_num").cast(I128), p_den=pl.col("achieved_den").cast(I128),
            p_reward=pl.col("reward_pennies").cast(I128))
        frame = frame.join(projection, on=KEYS, how="left", nulls_equal=True)
    else:
        frame = frame.with_columns(p_num=pl.lit(None, I128), p_den=pl.lit(None, I128), p_reward=pl.lit(None, I128))
    actual = pl.col("achieved_num").is_not_null()
    return frame.with_columns(
        basis=pl.when(actual).then(pl.lit("actual")).when(pl.col("p_num").is_not_null()).then(pl.lit("projected")),
        num=pl.coalesce("achieved_num", "p_num"), den=pl.coalesce("achieved_den", "p_den"),
        now=pl.when(actual).then(pl.col("reward_pennies")).otherwise(pl.col("p_reward").fill_null(0)),
    ).filter(pl.col("basis").is_not_null())


def within_reach(frame: pl.LazyFrame, within: Decimal) -> pl.DataFrame:
    """The rows whose achievement lies in [threshold − within, cap), with the £ (pennies) gained
    at the threshold and at the full share, and the next step's gain over what it still needs
    (`key_num` / `key_den`; null when the achievement is past the full share already)."""
    wn, wd = (pl.lit(part, I128) for part in within.as_integer_ratio())
    num, den = pl.col("num"), pl.col("den")
    tn, td = pl.col("threshold_num"), pl.col("threshold_den")
    # num/den ≥ tn/td − wn/wd, and num/den < cap
    low_enough = num * td * wd >= (tn * wd - wn * td) * den
    below_cap = num * pl.col("cap_den") < pl.col("cap_num") * den
    below = num * td < tn * den
    at_threshold = half_up(pl.col("pennies") * tn, pl.col("shares") * td)
    gain_threshold = pl.when(below).then(pl.max_horizontal(at_threshold - pl.col("now"), pl.lit(0, I128))) \
        .otherwise(pl.lit(0, I128))
    gain_full = pl.max_horizontal(pl.col("share_pennies") - pl.col("now"), pl.lit(0, I128))
    # what the next step still needs of the enhancement: threshold − a, else 1 − a
    still_num = pl.when(below).then(tn * den - num * td).otherwise(den - num)
    still_den = pl.when(below).then(td * den).otherwise(den)
    gain = pl.when(below).then(gain_threshold).otherwise(gain_full)
    return (
        frame.filter(low_enough & below_cap)
        .with_columns(gain_at_threshold_pennies=gain_threshold, gain_at_full_pennies=gain_full,
                      achieved_places=half_up(num * PLACES, den),
                      key_num=pl.when(still_num > 0).then(gain * still_den),
                      key_den=pl.when(still_num > 0).then(still_num))
        .select(*KEYS, "group", "order", "basis", "num", "den", "share_pennies", "now", "needed_for_threshold",
                "needed_for_full", "gain_at_threshold_pennies", "gain_at_full_pennies", "key_num", "key_den",
                "provisional")
        .collect()
    )


@dataclass
class OpportunitiesReport:
    """`opportunities`: one list across areas, the best use of effort first."""

    within: Decimal
    rows: list[dict[str, Any]]
    # the adjustment of each area listed whose scheme's is not 1: its figures are before it
    adjustments: dict[str, Decimal] = field(default_factory=dict)
    # each row's exact achievement, and the cut-offs of each listed area's scheme (`Scheme.cut_offs`),
    # so that no output shows an achievement rounded up to one it fell short of
    exact: list[Fraction] = field(default_factory=list)
    cut_offs: dict[str, tuple[Decimal, ...]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        total_threshold = sum((Decimal(r["gain_at_threshold"]) for r in self.rows), ZERO)
        total_full = sum((Decimal(r["gain_at_full"]) for r in self.rows), ZERO)
        # the adjustment of each listed area whose scheme's is not 1: its £ are before it, as
        # reward-grant's rewards are, and a script works out what the grant would move by
        return {"within": self.within, "rows": self.rows, "gain_at_threshold": money(total_threshold),
                "gain_at_full": money(total_full), "adjustments": dict(sorted(self.adjustments.items()))}

    columns = list(ROW_KEYS)  # the CSV's header, a row or none

    def to_rows(self) -> list[dict[str, Any]]:
        return list(self.rows)


def judged_in_python(reward: RewardReport, projection: ProjectionReport | None,
                     within: Decimal) -> list[dict[str, Any]]:
    """`within_reach` for the rows the frame leaves, from their exact Fractions, as the same row
    dicts: those reward measured in Python (values the frame does not hold exactly) with a
    final-year actual, and the pending ones whose reward or projection was worked out in
    Python, on their projection."""
    grants = {grant.area: grant for grant in reward.grants}
    shown = pl.DataFrame(schema={**dict.fromkeys(KEYS, pl.String), "in_range": pl.Boolean})
    if projection is not None:
        shown = shown_projections(projection.frame).select(
            *KEYS, "order", "in_range", "achieved_num", "achieved_den", "reward_pennies").collect()
    projected = {(row["area"], row["indicator"], row["subtarget"]): row for row in shown.iter_rows(named=True)}
    # the rows reward measured in Python, and the pending ones it measured whose projection is in Python
    parts = pl.concat([reward.frame.filter(~pl.col("exact")),
                       reward.frame.filter(pl.col("exact") & pl.col("achieved_num").is_null()).join(
                           shown.filter(~pl.col("in_range")).select(KEYS), on=KEYS, how="semi", nulls_equal=True)])
    rows = []
    for part in parts.iter_rows(named=True):
        order, area = part["order"], part["area"]
        measured = reward.in_python[order] if not part["exact"] else TargetReward.from_row(part)
        found = projected.get((area, part["indicator"], part["subtarget"]))
        if measured.achievement is not None:
            basis, achievement, now = "actual", measured.achievement, int(measured.reward * 100)
        elif found is None:
            continue  # not projected
        else:
            basis, now = "projected", found["reward_pennies"] or 0
            achievement = (Fraction(found["achieved_num"], found["achieved_den"]) if found["in_range"]
                           else projection.in_python[found["order"]])  # type: ignore[union-attr]
        scheme = grants[area].scheme
        threshold, cap = Fraction(scheme.threshold), Fraction(scheme.cap)
        if not threshold - Fraction(within) <= achievement < cap:
            continue
        share = Fraction(grants[area].maximum) / part["targets_in_area"] * portion_of(part)  # weighted as §6.1
        share_pennies = int(measured.share * 100)
        below = achievement < threshold
        gain_threshold = max(int(to_penny(share * threshold) * 100) - now, 0) if below else 0
        gain_full = max(share_pennies - now, 0)
        still = threshold - achievement if below else 1 - achievement
        key = Fraction(gain_threshold if below else gain_full) / still if still > 0 else None
        rows.append({
            "area": area, "indicator": measured.indicator, "subtarget": measured.subtarget, "group": measured.group,
            "order": order,
            "basis": basis, "num": achievement.numerator, "den": achievement.denominator,
            "share_pennies": share_pennies, "now": now, "needed_for_threshold": measured.needed_for_threshold,
            "needed_for_full": measured.needed_for_full, "gain_at_threshold_pennies": gain_threshold,
            "gain_at_full_pennies": gain_full, "key_num": None if key is None else key.numerator,
            "key_den": None if key is None else key.denominator, "provisional": measured.provisional,
        })
    return rows


def indicator_order(indicator: str) -> tuple[int, int, str]:
    """National indicators by number (NI 40 before NI 154), then local ones by id."""
    number = indicator[3:] if indicator.startswith("NI ") else ""
    return (0, int(number), "") if number.isdigit() else (1, 0, indicator)


def _pounds(pennies: int) -> str:
    return money(Decimal(pennies).scaleb(-2))


def opportunities(reward: RewardReport, projection: ProjectionReport | None, within: Decimal,
                  names: dict[str, str]) -> OpportunitiesReport:
    """The opportunities of `reward` (its frame, and the rows it measured in Python), with
    `projection` for the targets whose final year is not reported, ordered as DESIGN.md §10
    says."""
    frame = within_reach(candidates(reward.frame, None if projection is None else projection.frame), within)
    rows = []
    for row in [*frame.iter_rows(named=True), *judged_in_python(reward, projection, within)]:
        key = None if row["key_num"] is None else Fraction(row["key_num"], row["key_den"])
        rows.append((key, row))
    # largest gain per share of the enhancement still needed first; past the full share last
    rows.sort(key=lambda pair: (pair[0] is None, -(pair[0] or 0), pair[1]["area"],
                                indicator_order(pair[1]["indicator"]), pair[1]["subtarget"] or ""))
    listed = {row["area"] for _, row in rows}
    adjustments = {grant.area: grant.scheme.adjustment for grant in reward.grants
                   if grant.area in listed and grant.scheme.adjustment != 1}
    exact = [Fraction(row["num"], row["den"]) for _, row in rows]
    cut_offs = {grant.area: grant.scheme.cut_offs for grant in reward.grants if grant.area in listed}
    return OpportunitiesReport(within, [{
        "area": row["area"], "name": names.get(row["area"]), "indicator": row["indicator"],
        "subtarget": row["subtarget"], "basis": row["basis"],
        "achievement": ratio(Fraction(row["num"], row["den"])),
        "reward": _pounds(row["now"]), "needed_for_threshold": row["needed_for_threshold"],
        "gain_at_threshold": _pounds(row["gain_at_threshold_pennies"]),
        "needed_for_full": row["needed_for_full"], "gain_at_full": _pounds(row["gain_at_full_pennies"]),
        "share": _pounds(row["share_pennies"]),
        "provisional": bool(row["provisional"]) if row["basis"] == "actual" else False, "group": row["group"],
    } for _, row in rows], adjustments, exact, cut_offs)
