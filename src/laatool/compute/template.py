"""What a returns template holds (DESIGN.md §12): one row per (sub-)target indicator and period
due, with what the indicator allows; and the area's targets beside them, to be read, not typed.

A quarterly indicator is due in each quarter of a year, a calendar-year indicator in the
calendar year that starts the agreement year, a biennial one only in its collection years
(`compute.collection`); every other indicator once a year. How the workbook looks is
`render.template_xlsx`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from laatool.base.ids import Period, agreement_year, parse_period, quarter_of
from laatool.base.models import AgreementHead
from laatool.base.numbers import in_frame
from laatool.compute.catalogue import indicator_frame, unit_shown
from laatool.compute.collection import due
from laatool.compute.reward_inputs import rewarded
from laatool.compute.targets import workspace_targets
from laatool.load.returns_table import RETURN_COLUMNS
from laatool.load.workspace import Workspace

# What each pre-filled row carries about its indicator, for the workbook's checks and prompts.
ROW_COLUMNS = ("area", "indicator", "period", "subtarget", "title", "unit", "decimals", "range_min", "range_max")


@dataclass
class Template:
    """The returns template of one area: `rows` (ROW_COLUMNS) and `targets` (its targets,
    one row per (sub-)target with a column per agreement year)."""

    area: str
    name: str
    years: list[str]
    rows: pl.DataFrame
    targets: pl.DataFrame

    def to_json(self) -> dict[str, Any]:
        return {"area": self.area, "name": self.name, "periods": self.years,
                "rows": self.row_dicts(), "targets": self.target_rows()}

    def row_dicts(self) -> list[dict[str, Any]]:
        """The pre-filled rows (ROW_COLUMNS), each range exactly as the indicator writes it."""
        return as_written(self.rows)

    def target_rows(self) -> list[dict[str, Any]]:
        """The targets, each value exactly as the agreement wrote it."""
        return as_written(self.targets)

    def to_rows(self) -> list[dict[str, Any]]:
        """The pre-filled returns rows with every returns column (§4.3): a CSV template."""
        blank = dict.fromkeys(RETURN_COLUMNS)
        return [blank | {c: row[c] for c in ("area", "indicator", "period", "subtarget")}
                for row in self.rows.iter_rows(named=True)]

    columns = RETURN_COLUMNS


def chosen_years(head: AgreementHead, periods: list[Period]) -> list[Period]:
    """The agreement years the template covers: those of `periods` (a quarter counts to its
    year), else every year of the agreement."""
    chosen = periods or [parse_period(p) for p in head.periods]
    return sorted({p.agreement_year for p in chosen})


def template(workspace: Workspace, area: str, periods: list[Period]) -> Template:
    """The template of `area` for `periods` (years or quarters; default the agreement's years)."""
    head = workspace.agreement_docs[area].head
    years = chosen_years(head, periods)
    # each period asked for, as (its year, a quarter, whether the whole year was asked for): a
    # year gives every indicator due in it (a quarterly one's four quarters), a quarter that
    # quarter of the quarterly indicators alone
    asked = [(p.agreement_year.start, quarter, p.quarter == 0)
             for p in periods or [parse_period(text) for text in head.periods]
             for quarter in ([p.quarter] if p.quarter else [1, 2, 3, 4])]
    targets = workspace_targets(workspace, [area])
    catalogue = template_catalogue(workspace)
    parts = (
        targets.lazy()
        # a target's own row when it has targets of its own or no sub-targets; each sub-target's
        .filter(pl.col("subtarget").is_not_null() | pl.col("period").is_not_null() | ~pl.col("has_subtargets"))
        .group_by("position", "indicator", "subtarget").agg(line=pl.col("line").min())
        .join(catalogue.lazy(), on="indicator", how="inner")  # an unknown indicator: A203 says so
        .filter(pl.col("status") == "active")
    )
    asked_frame = pl.LazyFrame(asked, schema={"start": pl.Int64, "quarter": pl.Int64, "whole": pl.Boolean},
                               orient="row")
    year_text = agreement_year(pl.col("start").cast(pl.String))  # the year that starts in `start`
    quarterly = pl.col("frequency") == "quarterly"
    rows = (
        parts.join(asked_frame, how="cross")
        .filter(due(pl.col("start"), pl.col("collection_years")))
        # a quarterly indicator's quarters asked for; another's year once, when the year was asked for
        .filter(quarterly | (pl.col("whole") & (pl.col("quarter") == 1)))
        .with_columns(
            order=pl.when(quarterly).then(pl.col("quarter")).otherwise(0),
            period=pl.when(quarterly).then(pl.format("{} Q{}", year_text, pl.col("quarter")))
            .when(pl.col("period_type") == "calendar-year").then(pl.col("start").cast(pl.String))
            .otherwise(year_text))
        .with_columns(area=pl.lit(area))
        .sort("start", "order", "line", "subtarget", nulls_last=False)
        .unique(["indicator", "subtarget", "period"], keep="first", maintain_order=True)
        .select(*ROW_COLUMNS, *(name + EXACT for name in RANGE))
        .collect()
    )
    return Template(area, head.name, [str(y) for y in years], rows, targets_sheet(workspace, area, targets))


def template_catalogue(workspace: Workspace) -> pl.DataFrame:
    """The catalogue with each unit as the prompts and the targets sheet name it (`rate per 1,000`)."""
    indicators = workspace.indicators.values()
    units = {indicator.id: unit_shown(indicator) for indicator in indicators}
    exact = pl.DataFrame({"indicator": [indicator.id for indicator in indicators],
                          **{name + EXACT: [in_frame(getattr(indicator.valid_range, name.removeprefix("range_")))[1]
                                            for indicator in indicators] for name in RANGE}},
                         schema={"indicator": pl.String, **{name + EXACT: pl.String for name in RANGE}})
    return (indicator_frame(workspace.indicators).with_columns(pl.col("indicator").replace_strict(units).alias("unit"))
            .join(exact, on="indicator", how="left"))


def targets_sheet(workspace: Workspace, area: str, targets: pl.DataFrame) -> pl.DataFrame:
    """One row per (sub-)target: its indicator, sub-target, target group and weight (§6.1), kind,
    whether it is rewarded, polarity, unit, decimals, baseline and a column per agreement year
    with its target value."""
    head = workspace.agreement_docs[area].head
    years = [str(parse_period(p)) for p in head.periods]
    scheme = workspace.schemes.get(workspace.scheme_name(area))
    # under a scheme that does not load (A213: unknown), whether a kind is rewarded is not known:
    # the flag is left blank where the agreement does not write it, not "no" on every target
    kind_rewarded = pl.col("kind").is_in(list(scheme.rewarded_kinds)) if scheme else pl.lit(None, pl.Boolean)
    catalogue = template_catalogue(workspace).select("indicator", "title", "polarity", "unit", "decimals")
    keys = ["position", "indicator", "subtarget"]
    # a column per agreement year: a calendar-year indicator's target keyed `2008` is 2008-09's
    agreed_year = pl.when(quarter_of(pl.col("period")).is_null()).then(agreement_year(pl.col("period"))) \
        .otherwise(pl.col("period"))
    dated = (targets.filter(pl.col("period").is_not_null()).with_columns(period=agreed_year)
             .with_columns(exact_period=pl.col("period") + EXACT))
    values = (dated.pivot(on="period", index=keys, values="target", aggregate_function="first")
              .join(dated.pivot(on="exact_period", index=keys, values="target_exact", aggregate_function="first"),
                    on=keys, how="left", nulls_equal=True))
    for year in years:
        if year not in values.columns:
            values = values.with_columns(pl.lit(None, pl.Decimal(38, 10)).alias(year))
        if year + EXACT not in values.columns:
            values = values.with_columns(pl.lit(None, pl.String).alias(year + EXACT))
    return (
        targets.group_by(keys, maintain_order=True)
        .agg(pl.col("group", "weight", "weight_exact", "kind", "reward", "placeholder", "has_subtargets", "line",
                    "baseline_period", "baseline", "baseline_exact", "expected_without_agreement",
                    "expected_exact").first())
        .join(values.select(*keys, *years, *(year + EXACT for year in years)), on=keys, how="left", nulls_equal=True)
        .join(catalogue, on="indicator", how="left")
        # a target split into sub-targets is rewarded on them, not on its own row (as reward-grant,
        # project and report have it)
        .with_columns(reward=rewarded(kind_rewarded, pl.col(max(years)).is_not_null())
                      & ~(pl.col("subtarget").is_null() & pl.col("has_subtargets")))
        .sort("line")
        .select("indicator", "subtarget", "group", "weight", "title", "kind", "reward", "polarity", "unit", "decimals",
                "baseline_period", "baseline", *years, "expected_without_agreement",
                pl.col("weight_exact").alias("weight" + EXACT), pl.col("baseline_exact").alias("baseline" + EXACT),
                *(year + EXACT for year in years),
                pl.col("expected_exact").alias("expected_without_agreement" + EXACT))
    )


EXACT = " exact"  # after a column's name: the exact text of its values the frame does not hold
RANGE = ("range_min", "range_max")


def as_written(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows, each value exactly as written: the frame's decimals hold 10 places,
    and a value written with more (`23.00000000001`) has its exact text in the column of the
    same name with EXACT after it, which takes its place here."""
    exact = [name for name in frame.columns if name.endswith(EXACT)]
    rows = []
    for row in frame.iter_rows(named=True):
        for name in exact:
            text = row.pop(name)
            if text is not None:
                row[name.removesuffix(EXACT)] = Decimal(text)
        rows.append(row)
    return rows

