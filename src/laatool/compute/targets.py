"""Agreements' targets as one frame: a row per (sub-)target and target period."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from laatool.base.models import Agreement, Indicator
from laatool.base.numbers import FRAME, in_frame
from laatool.compute.catalogue import indicator_frame
from laatool.load.documents import Loaded

if TYPE_CHECKING:
    from decimal import Decimal

    from laatool.base.models import Baseline
    from laatool.load.workspace import Workspace

TARGET_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "area": pl.String,
    "name": pl.String,
    "position": pl.Int64,  # the target's index in the agreement's `targets` list
    "indicator": pl.String,
    "kind": pl.String,
    "subtarget": pl.String,  # null on a target's own row
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
    "file": pl.String,
    "line": pl.Int64,
}


def target_rows(area: str, doc: Loaded[Agreement]) -> list[dict]:
    """Every (sub-)target of one agreement with each of its target periods (or none)."""
    agreement = doc.model
    rows = []
    for position, target in enumerate(agreement.targets):
        line = doc.line_of("targets", position)[0]
        parts: list[tuple[str | None, Baseline | None, dict[str, Decimal], Decimal | None, int]] = [
            (None, target.baseline, target.targets, target.expected_without_agreement, line)]
        for index, sub in enumerate(target.subtargets):
            sub_line = doc.line_of("targets", position, "subtargets", index)[0]
            parts.append((sub.id, sub.baseline, sub.targets, sub.expected_without_agreement, sub_line))
        for subtarget, baseline, values, expected, where in parts:
            periods: list[tuple[str | None, Decimal | None]] = list(values.items()) or [(None, None)]
            for period, value in periods:
                numbers = {
                    name: in_frame(number) for name, number in
                    (("baseline", baseline.value if baseline else None), ("target", value),
                     ("expected_without_agreement", expected))}
                rows.append({
                    "area": area,
                    "name": agreement.name,
                    "position": position,
                    "indicator": target.indicator,
                    "kind": target.kind,
                    "subtarget": subtarget,
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
                    "file": doc.file,
                    "line": where,
                })
    return rows


def targets_frame(agreements: dict[str, Loaded[Agreement]], indicators: dict[str, Indicator]) -> pl.DataFrame:
    """All targets of the given agreements, joined to their indicator's polarity and decimals."""
    rows = [row for area, doc in sorted(agreements.items()) for row in target_rows(area, doc)]
    frame = pl.DataFrame(rows, schema=TARGET_SCHEMA)
    catalogue = indicator_frame(indicators).select("indicator", "polarity", "decimals", "title")
    return frame.join(catalogue, on="indicator", how="left", maintain_order="left")


def workspace_targets(workspace: Workspace, areas: list[str] | None = None) -> pl.DataFrame:
    """The targets frame of every agreement (made when they were loaded), narrowed to `areas`.

    The frame is sorted by area, so narrowing it gives the same rows in the same order as
    building it from those areas' agreements alone.
    """
    every = workspace.targets
    assert every is not None, "the targets frame is made when the agreements are loaded"
    return every if areas is None else every.filter(pl.col("area").is_in(sorted(areas)))
