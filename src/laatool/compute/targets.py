"""Agreements' targets as one frame: a row per (sub-)target and target period."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import polars as pl

from laatool.base.ids import read_for_each
from laatool.base.models import Agreement, Indicator, Target
from laatool.base.numbers import FRAME, frame_of, in_frame
from laatool.compute.catalogue import indicator_frame
from laatool.load.documents import Loaded, period_line

if TYPE_CHECKING:
    from decimal import Decimal

    from laatool.base.models import Baseline, Interim
    from laatool.load.workspace import Workspace

TARGET_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "area": pl.String,
    "name": pl.String,
    "position": pl.Int64,  # the target's index in the agreement's `targets` list
    "indicator": pl.String,
    "kind": pl.String,
    "subtarget": pl.String,  # null on a target's own row
    # a target group's slug and title on its sub-targets' rows (a group has no row of its own)
    "group": pl.String,
    "group_title": pl.String,
    "period": pl.String,
    "baseline_period": pl.String,
    "baseline": FRAME,
    "target": FRAME,
    "expected_without_agreement": FRAME,
    # the exact values where the columns above cannot hold them (laatool.base.numbers)
    "baseline_exact": pl.String,
    "target_exact": pl.String,
    "expected_exact": pl.String,
    "reward": pl.Boolean,  # as written; null means the scheme's default
    "placeholder": pl.Boolean,
    "has_subtargets": pl.Boolean,
    # a weighted sub-target: its weight as written, and its part of the target's share as a
    # reduced fraction (text, and integers when they are small enough for the reward frame)
    "weight": FRAME,
    "weight_exact": pl.String,
    "portion": pl.String,
    "portion_num": pl.Int128,
    "portion_den": pl.Int128,
    # an interim level (DESIGN.md §6.1): its period and value
    "interim_period": pl.String,
    "interim_value": FRAME,
    "interim_value_exact": pl.String,
    "file": pl.String,
    "line": pl.Int64,
    # where the target period's key is written (a finding about it points there)
    "period_line": pl.Int64,
    "period_column": pl.Int64,
}


def target_rows(area: str, doc: Loaded[Agreement]) -> list[dict]:
    """Every (sub-)target of one agreement with each of its target periods (or none)."""
    agreement = doc.model
    rows = []
    for position, target in enumerate(agreement.targets):
        portions = weight_portions(target)
        parts: list[tuple[str | None, str | None, Baseline | None, dict[str, Decimal], Decimal | None, int,
                          Interim | None, tuple]] = []
        if target.group is None:  # a group has no row of its own (DESIGN.md §6.1)
            line = doc.line_of("targets", position)[0]
            parts.append((None, target.indicator, target.baseline, target.targets, target.expected_without_agreement,
                          line, target.interim, ("targets", position)))
        for index, sub in enumerate(target.subtargets):
            indicator = target.indicator_of(sub)
            if indicator is None:  # a group's sub-target without an indicator (A226) measures nothing
                continue
            sub_line = doc.line_of("targets", position, "subtargets", index)[0]
            parts.append((sub.id, indicator, sub.baseline, sub.targets, sub.expected_without_agreement, sub_line,
                          sub.interim, ("targets", position, "subtargets", index)))
        for subtarget, indicator, baseline, values, expected, where, interim, path in parts:
            interim_value, interim_exact = in_frame(interim.value if interim else None)
            weight, portion = portions.get(subtarget, (None, None))
            weight_value, weight_exact = in_frame(weight)
            small = portion is not None and max(portion.numerator, portion.denominator) <= PORTION_LIMIT
            periods: list[tuple[str | None, Decimal | None]] = list(values.items()) or [(None, None)]
            for period, value in periods:
                period_mark = period_line(doc, (*path, "targets"), period, key=True) if period else (None, None)
                numbers = {
                    name: in_frame(number) for name, number in
                    (("baseline", baseline.value if baseline else None), ("target", value),
                     ("expected_without_agreement", expected))}
                rows.append({
                    "area": area,
                    "name": agreement.name,
                    "position": position,
                    "indicator": indicator,
                    "kind": target.kind,
                    "subtarget": subtarget,
                    "group": target.group,
                    "group_title": (target.title or target.group) if target.group is not None else None,
                    "period": period,
                    "baseline_period": baseline.period if baseline else None,
                    "baseline": numbers["baseline"][0],
                    "target": numbers["target"][0],
                    "expected_without_agreement": numbers["expected_without_agreement"][0],
                    "baseline_exact": numbers["baseline"][1],
                    "target_exact": numbers["target"][1],
                    "expected_exact": numbers["expected_without_agreement"][1],
                    "reward": target.reward,
                    "placeholder": target.placeholder,
                    "has_subtargets": bool(target.subtargets),
                    "weight": weight_value,
                    "weight_exact": weight_exact,
                    "portion": f"{portion.numerator}/{portion.denominator}" if portion is not None else None,
                    "portion_num": portion.numerator if small and portion is not None else None,
                    "portion_den": portion.denominator if small and portion is not None else None,
                    "interim_period": interim.period if interim else None,
                    "interim_value": interim_value,
                    "interim_value_exact": interim_exact,
                    "file": doc.file,
                    "line": where,
                    "period_line": period_mark[0],
                    "period_column": period_mark[1],
                })
    return rows


# A weighted portion whose numerator or denominator is larger is left to the exact Python path.
PORTION_LIMIT = 2**61


def weight_portions(target: Target) -> dict[str | None, tuple[Decimal, Fraction]]:
    """Each weighted sub-target's weight and part of the target's share, w / Σw (DESIGN.md
    §6.1), when every sub-target has a positive weight; empty otherwise (equal parts)."""
    weights = [sub.weight for sub in target.subtargets]
    if not weights or any(w is None or w <= 0 for w in weights):
        return {}
    whole = sum((Fraction(w) for w in weights if w is not None), Fraction(0))
    return {sub.id: (sub.weight, Fraction(sub.weight) / whole)
            for sub in target.subtargets if sub.weight is not None}


def targets_frame(agreements: dict[str, Loaded[Agreement]], indicators: dict[str, Indicator]) -> pl.DataFrame:
    """All targets of the given agreements, joined to their indicator's polarity and decimals."""
    rows = [row for area, doc in sorted(agreements.items()) for row in target_rows(area, doc)]
    frame = frame_of(rows, TARGET_SCHEMA)
    catalogue = indicator_frame(indicators).select("indicator", "polarity", "decimals", "title", "period_type")
    # every output names a period as it is read (`2010` of NI 154 is 2010-11), as it names the
    # same target's period written `2010-11`
    return (frame.join(catalogue, on="indicator", how="left", maintain_order="left")
            .with_columns(read_for_each(pl.col(name), pl.col("period_type")).alias(name)
                          for name in ("period", "baseline_period", "interim_period"))
            .drop("period_type"))


def workspace_targets(workspace: Workspace, areas: list[str] | None = None) -> pl.DataFrame:
    """The targets frame of every agreement (made when they were loaded), narrowed to `areas`.

    The frame is sorted by area, so narrowing it gives the same rows in the same order as
    building it from those areas' agreements alone.
    """
    every = workspace.targets
    assert every is not None, "the targets frame is made when the agreements are loaded"
    return every if areas is None else every.filter(pl.col("area").is_in(sorted(areas)))


def blank_routes(targets: pl.DataFrame) -> pl.DataFrame:
    """Where a return with a blank `subtarget` goes for the indicators that only target groups'
    sub-targets measure (DESIGN.md §6.1), per (area, indicator): `route`, the one sub-target it
    reaches when a single sub-target of a single group has the indicator; else null, and
    `reachable` names the two or more sub-targets it could reach (R324). A blank return on any
    other target's indicator is that target's own, as it always was."""
    schema = {"area": pl.String, "indicator": pl.String, "route": pl.String, "reachable": pl.String}
    if targets.get_column("group").is_null().all():  # no groups: nothing to route, and no cost
        return pl.DataFrame(schema=schema)
    return (
        targets.lazy().select("area", "indicator", "position", "subtarget", "group").unique()
        .group_by("area", "indicator")
        .agg(grouped=pl.col("group").is_not_null().all(), parts=pl.len(),
             route=pl.col("subtarget").first(),
             reachable=pl.format("'{}' of group {}", "subtarget", "group").sort().str.join(" or "))
        .filter(pl.col("grouped"))
        .select("area", "indicator", route=pl.when(pl.col("parts") == 1).then("route"),
                reachable=pl.when(pl.col("parts") > 1).then("reachable"))
        .sort("area", "indicator")
        .collect()
    )


def routed_subtargets(returns: pl.LazyFrame, routes: pl.DataFrame, targets: pl.DataFrame) -> pl.LazyFrame:
    """`returns` (normalised: `area_id`, `indicator_id`, `subtarget_id`) with each sub-target as
    the area's agreement writes it (`as_agreed`), and each blank one that `blank_routes` routes
    filled in; the frame itself when nothing changes."""
    returns = as_agreed(returns, targets)
    reached = routes.filter(pl.col("route").is_not_null())
    if reached.is_empty():
        return returns
    lookup = reached.lazy().select(area_id="area", indicator_id="indicator", routed_to="route")
    return (returns.join(lookup, on=["area_id", "indicator_id"], how="left", maintain_order="left")
            .with_columns(subtarget_id=pl.coalesce("subtarget_id", "routed_to")).drop("routed_to"))


def as_agreed(returns: pl.LazyFrame, targets: pl.DataFrame) -> pl.LazyFrame:
    """`returns` with a sub-target written in another case than its agreement's (`North`,
    `SOUTH-LAKELAND`) spelt as the agreement spells it, as an area or an indicator id is read
    in any case; only where no other sub-target of the area's targets on that indicator is the
    same in any case (then only the exact id matches, and R315 says which were meant). The
    frame itself when no return needs it: the distinct ids written are looked at, not the rows."""
    keys = ["area_id", "indicator_id", "subtarget_id"]
    agreed = (targets.lazy().filter(pl.col("subtarget").is_not_null())
              .select(area_id="area", indicator_id="indicator", subtarget_id="subtarget").unique())
    folded = pl.col("subtarget_id").str.to_lowercase()
    unique_in_any_case = (agreed.with_columns(folded=folded)
                          .filter(pl.len().over("area_id", "indicator_id", "folded") == 1)
                          .rename({"subtarget_id": "as_agreed"}))
    respelt = (returns.filter(pl.col("subtarget_id").is_not_null()).select(keys).unique()
               .join(agreed, on=keys, how="anti")
               .with_columns(folded=folded)
               .join(unique_in_any_case, on=["area_id", "indicator_id", "folded"], how="inner")
               .select(*keys, "as_agreed").collect())
    if respelt.is_empty():
        return returns
    return (returns.join(respelt.lazy(), on=keys, how="left", maintain_order="left")
            .with_columns(subtarget_id=pl.coalesce("as_agreed", "subtarget_id")).drop("as_agreed"))


def group_titles(frame: pl.DataFrame) -> dict[tuple[str, str], str]:
    """(area, group slug) -> the target group's title, from any frame of target rows that
    carries `area`, `group` and `group_title` (the reports', for their tables)."""
    groups = frame.filter(pl.col("group").is_not_null()).select("area", "group", "group_title").unique()
    return {(area, group): title for area, group, title in groups.iter_rows()}
