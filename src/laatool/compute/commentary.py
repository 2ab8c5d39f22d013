"""Commentary (DESIGN.md §11): the note of each (sub-)target's latest return, for the report.

Only `laatool report` reads the returns' `note` column (`load.workspace.load_workspace` with
`notes`); every other command leaves it unread. "Latest" is by the end of the return's period
(`projection_points.period_end`), a year's own return after its fourth quarter; under
`--as-at` the report has kept only the returns known then (`projection_points.ended_by`).
"""

from __future__ import annotations

import polars as pl

from laatool.compute.projection_points import period_end, period_label
from laatool.compute.targets import as_agreed
from laatool.load.returns_table import blank

KEYS = ["area", "indicator", "subtarget"]


def latest_notes(returns: pl.DataFrame | None, catalogue: pl.DataFrame, areas: list[str],
                 targets: pl.DataFrame) -> dict[tuple[str, str, str | None], tuple[str, str]]:
    """(area, indicator, subtarget or None) -> (period, note) of the latest return of each,
    for the returns of `areas` whose latest return carries a note (blank notes are none), a
    sub-target as its agreement (in `targets`) spells it. A return with a blank value and a
    note is a return too: its note often says why. A row with neither reports nothing (a
    template's row not filled in), and leaves the commentary of the return before it."""
    if returns is None or "note" not in returns.columns:
        return {}
    rows = (
        as_agreed(returns.lazy(), targets)
        .filter(pl.col("area_id").is_in(areas) & pl.col("indicator_id").is_not_null()
                & pl.col("year_id").is_not_null() & ~(blank("value") & blank("note")))
        .select(area="area_id", indicator="indicator_id", subtarget="subtarget_id", year="year_id",
                quarter="quarter", note=pl.col("note").str.strip_chars())
        .join(catalogue.lazy().select("indicator", "period_type"), on="indicator", how="left")
        .with_columns(end=period_end(), period=period_label())
        # a year's own return comes after its fourth quarter, which ends in the same month
        .with_columns(rank=pl.col("end") * 2 + pl.col("quarter").is_null().cast(pl.Int64))
    )
    latest = (
        rows.filter(pl.col("rank") == pl.col("rank").max().over(KEYS))
        .filter(pl.col("note").is_not_null() & (pl.col("note") != ""))
        .group_by(KEYS).agg(pl.col("period").first(), pl.col("note").sort().first())
        .collect()
    )
    return {(area, indicator, subtarget): (period, note)
            for area, indicator, subtarget, period, note in latest.iter_rows()}
