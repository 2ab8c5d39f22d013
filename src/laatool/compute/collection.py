"""Whether an indicator is collected in a period (DESIGN.md §9): a biennial indicator names its
collection years in `collection_periods`; in any other year nothing is due, so its targets are
`not-due` rather than red and no missing return is warned about. One rule, for every command."""

from __future__ import annotations

import polars as pl

from laatool.base.ids import parse_period
from laatool.base.models import Indicator


def collection_years(indicator: Indicator) -> list[int] | None:
    """The first calendar years of the agreement years the indicator is collected in, or None
    when every year is (no `collection_periods`)."""
    if indicator.collection_periods is None:
        return None
    return sorted({parse_period(period).agreement_year.start for period in indicator.collection_periods})


def is_due(indicator: Indicator, period: str) -> bool:
    """True when a value of `indicator` is expected for `period` (a year, a quarter of it, or
    a calendar year, each counted towards its agreement year)."""
    years = collection_years(indicator)
    return years is None or parse_period(period).agreement_year.start in years


def due(year: pl.Expr, years: pl.Expr) -> pl.Expr:
    """`is_due` over a frame: `year` the first calendar year of the agreement year (Int64),
    `years` the indicator's `collection_years` (a list column, null when every year is due)."""
    return pl.when(years.is_null()).then(pl.lit(True)).otherwise(years.list.contains(year).fill_null(False))


def used(year: pl.Expr, years: pl.Expr) -> pl.Expr:
    """Whether a return for `year` (as `due`) is used: one for a year the indicator is collected
    in, or from before its first collection year or after its last (an earlier survey, as the
    2006-07 Best Value survey before the Place Survey: a baseline's figures, or the previous
    value a change is measured from). Only a year between two collection years is passed over,
    and warned about (R310)."""
    return due(year, years) | ~year.is_between(years.list.min(), years.list.max()).fill_null(True)


def collected(frame: pl.LazyFrame, catalogue: pl.DataFrame) -> pl.LazyFrame:
    """The rows of `frame` (an `indicator` and its agreement `year`, `2009-10`) in a year whose
    return is `used` (`catalogue`: `laatool.compute.catalogue.indicator_frame`)."""
    collected_in = catalogue.filter(pl.col("collection_years").is_not_null()).select("indicator", "collection_years")
    if collected_in.is_empty():  # every indicator collected every year: every return is used
        return frame
    return (frame.join(collected_in.lazy(), on="indicator", how="left", maintain_order="left")
            .filter(used(pl.col("year").str.slice(0, 4).cast(pl.Int64), pl.col("collection_years")))
            .drop("collection_years"))
