"""The inputs of the reward grant: each reward (sub-)target with its start, target and actual.

Polars over whole frames: the agreements' targets joined to the final year's actuals. The money
arithmetic on the result is in `laatool.compute.reward`.
"""

from __future__ import annotations

import polars as pl

from laatool.base.ids import agreement_year, parse_period, quarter_of
from laatool.base.models import Scheme
from laatool.compute.actuals import quarter_actuals, target_actuals
from laatool.compute.catalogue import indicator_frame
from laatool.compute.collection import collected, due
from laatool.compute.targets import workspace_targets
from laatool.load.workspace import Workspace

EXPECTED = "expected_without_agreement"
# What the grant reads of the targets frame; the rest (files, lines, names) stays behind.
TARGET_COLUMNS = ["area", "position", "indicator", "kind", "subtarget", "group", "group_title", "period", "baseline",
                  "target", EXPECTED,
                  "baseline_exact", "target_exact", "expected_exact", "reward", "placeholder", "has_subtargets",
                  "polarity", "decimals", "title", "weight", "weight_exact", "portion", "portion_num", "portion_den",
                  "interim_period", "interim_value", "interim_value_exact"]


def rewarded(kind_rewarded: pl.Expr, has_final: pl.Expr) -> pl.Expr:
    """`Scheme.rewards` over a frame of targets: the `reward` column as written, else whether the
    area's scheme rewards the target's kind (`kind_rewarded`); never a placeholder without a
    final-year target (`has_final`, DESIGN.md §6)."""
    return pl.col("reward").fill_null(kind_rewarded) & ~(pl.col("placeholder") & ~has_final)


def reward_inputs(workspace: Workspace, areas: list[str],
                  schemes: dict[str, Scheme]) -> pl.DataFrame:
    """One row per measured reward (sub-)target: its start, final-year target and actual.

    A target with sub-targets is measured on its sub-targets alone; a placeholder without a
    final-year target value is not a reward target. Calendar-year periods count towards the
    agreement year that begins in them, as the actuals do.
    """
    docs = {area: workspace.agreement_docs[area] for area in areas}
    final_years = [str(parse_period(docs[a].head.last_period).agreement_year) for a in areas]
    plan = pl.DataFrame(
        {"area": areas, "final_year": final_years, "measure_from": [schemes[a].measure_from for a in areas]},
        schema={"area": pl.String, "final_year": pl.String, "measure_from": pl.String},
    )
    pairs = [(area, kind) for area in areas for kind in schemes[area].rewarded_kinds]
    rewarded_kinds = pl.DataFrame({"area": [a for a, _ in pairs], "kind": [k for _, k in pairs],
                                   "rewarded_kind": [True] * len(pairs)},
                                  schema={"area": pl.String, "kind": pl.String, "rewarded_kind": pl.Boolean})
    keys = ["area", "position", "subtarget"]
    targets = workspace_targets(workspace, areas).select(TARGET_COLUMNS)
    # A few distinct periods: their agreement years are worked out once, not once a row.
    periods = pl.concat([targets.select(pl.col("period").unique().drop_nulls()),
                         targets.select(period=pl.col("interim_period").unique().drop_nulls())]).unique()
    periods = periods.with_columns(year=agreement_year(pl.col("period")))
    rows = (
        targets.with_row_index("order").lazy()
        .join(plan.lazy(), on="area")
        .with_columns(year=pl.col("period").replace_strict(periods["period"], periods["year"], default=None,
                                                           return_dtype=pl.String))
    )
    finals = (
        # a quarter of the final year (of a quarterly indicator) is a milestone, not the final target
        rows.filter((pl.col("year") == pl.col("final_year")) & quarter_of(pl.col("period")).is_null())
        .unique(keys, keep="first", maintain_order=True)
        .select(*keys, final_target="target", final_target_exact="target_exact")
    )
    measured = (
        rows.unique(keys, keep="first", maintain_order=True)
        .drop("period", "target", "target_exact", "year")
        .join(finals, on=keys, how="left", nulls_equal=True)
        .join(rewarded_kinds.lazy(), on=["area", "kind"], how="left")
        # a target with sub-targets is rewarded on them, not on its own row
        .with_columns(measured=pl.col("subtarget").is_not_null() == pl.col("has_subtargets"))
        .with_columns(has_final=(pl.col("measured") & pl.col("final_target").is_not_null())
                      .any().over("area", "position"))
        .filter(pl.col("measured") & rewarded(pl.col("rewarded_kind").fill_null(False), pl.col("has_final")))
        .with_columns(
            # a weight is shown where the shares it gives are not all equal (DESIGN.md §7.2)
            **{name: pl.when(pl.col("portion").n_unique().over("area", "position") > 1).then(name)
               for name in ("weight", "weight_exact")},
            targets_in_area=pl.col("position").n_unique().over("area"),
            parts_of_target=pl.len().over("area", "position"),
            measured_from=pl.when((pl.col("measure_from") == EXPECTED)
                                  & pl.col("expected_without_agreement").is_not_null())
            .then(pl.lit(EXPECTED)).otherwise(pl.lit("baseline")),
        )
        .with_columns(start=pl.when(pl.col("measured_from") == EXPECTED)
                      .then(pl.col(EXPECTED)).otherwise(pl.col("baseline")),
                      start_exact=pl.when(pl.col("measured_from") == EXPECTED)
                      .then(pl.col("expected_exact")).otherwise(pl.col("baseline_exact")))
    )
    # Every agreement's actuals, shared with validation, but those of a year their indicator is
    # not collected in (`score` passes over them: not due), narrowed to the final years first:
    # the join then keeps each area's own final year.
    catalogue = indicator_frame(workspace.indicators).select("indicator", "collection_years")
    actuals = collected(target_actuals(workspace).lazy(), catalogue)
    finals_reported = (
        actuals
        .filter(pl.col("year").is_in(sorted(set(final_years))))
        .select("area", "indicator", "subtarget", "actual", "actual_exact", "provisional",
                final_year="year")
    )
    # The actual of each interim level's period (DESIGN.md §6.1), for the rows that have one:
    # its year's, or its quarter's when the level is set for a quarter.
    interim_reported = pl.concat([
        actuals.select("area", "indicator", "subtarget", interim_actual="actual", interim_actual_exact="actual_exact",
                       interim_year="year", interim_quarter=pl.lit(None, pl.Int8)),
        collected(quarter_actuals(workspace).lazy(), catalogue).select(
            "area", "indicator", "subtarget", interim_actual="actual", interim_actual_exact="actual_exact",
            interim_year="year", interim_quarter="quarter"),
    ], how="vertical_relaxed")
    # a biennial indicator whose final year is not a collection year can never be measured there
    measured = measured.join(catalogue.lazy(), on="indicator", how="left").with_columns(
        interim_year=pl.col("interim_period").replace_strict(periods["period"], periods["year"], default=None,
                                                             return_dtype=pl.String),
        interim_quarter=quarter_of(pl.col("interim_period")),
        final_not_due=~due(pl.col("final_year").str.slice(0, 4).cast(pl.Int64), pl.col("collection_years")),
    ).drop("collection_years")
    return (
        measured.join(finals_reported, on=["area", "indicator", "subtarget", "final_year"],
                      how="left", nulls_equal=True)
        .join(interim_reported, on=["area", "indicator", "subtarget", "interim_year", "interim_quarter"],
              how="left", nulls_equal=True)
        .drop("interim_quarter", "reward", "placeholder", "has_subtargets", "rewarded_kind", "measured", "has_final")
        .sort("order")
        # A few thousand rows: polars' default streaming engine costs more than the work here.
        .collect(engine="in-memory")
    )
