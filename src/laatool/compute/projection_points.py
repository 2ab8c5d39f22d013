"""What a projection is drawn through (DESIGN.md §8): the as-at of each area, the returns known
by then, the current year's quarters and the points of each target row.

Polars over whole frames. A period ends in the month given by `period_end` (months counted from
year 0): a financial year in March, a quarter of it in its third month, an academic year in
August, a calendar year in December. A return is known as at a period when it has ended by the
end of that period.

Values become exact integers of thirds of 1e-10 (`Y`): returns and targets are Decimal(38, 10),
and a cumulative forecast of three quarters is four thirds of their sum, so every point, the
baseline and the forecast alike, is a whole number of those units.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction

import polars as pl

from laatool.base.ids import Period
from laatool.base.numbers import EXACT, exact_text
from laatool.compute.actuals import CONFIRMED, yearly_actuals
from laatool.compute.collection import collected

KEYS = ["area", "indicator", "subtarget"]
THIRDS = 3  # points are in thirds of 1e-10: `Y` = 3 × the value's 1e-10 units


def units(column: str | pl.Expr) -> pl.Expr:
    """A Decimal(38, 10) as its exact integer number of 1e-10 units."""
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.cast(pl.Decimal(38, 10)).to_physical()


def month_of_end(period: Period) -> int:
    """The month (counted from year 0) in which an `--as-at` period ends: a year is read as a
    financial year, a calendar year as itself, a quarter as a quarter of a financial year."""
    if period.quarter:
        return period.start * 12 + 3 + 3 * period.quarter
    if period.calendar:
        return period.start * 12 + 12
    return (period.start + 1) * 12 + 3


def period_end(year: str = "year", kind: pl.Expr | None = None) -> pl.Expr:
    """The month a return's period ends, from `year` (its agreement year's text), `quarter` and
    the indicator's `period_type` (or `kind`): a year is the indicator's kind of year."""
    start = pl.col(year).str.slice(0, 4).cast(pl.Int64)
    kind = pl.col("period_type") if kind is None else kind
    return (
        pl.when(pl.col("quarter").is_not_null()).then(start * 12 + 3 + 3 * pl.col("quarter").cast(pl.Int64))
        .when(kind == "calendar-year").then(start * 12 + 12)
        .when(kind == "academic-year").then((start + 1) * 12 + 8)
        .otherwise((start + 1) * 12 + 3)
    )


def ended_by(as_at: Period, catalogue: pl.DataFrame) -> pl.Expr:
    """Over the returns frame: the rows whose period ends by the end of `as_at` (what was known
    then), and those whose period or indicator is not known at all, which the checks report."""
    kind = pl.col("indicator_id").replace_strict(catalogue.get_column("indicator"),
                                                 catalogue.get_column("period_type"), default=None)
    ends = period_end("year_id", kind) <= month_of_end(as_at)
    return ends.fill_null(False) | pl.col("year_id").is_null() | kind.is_null()


def not_ended_by(as_at: Period, year: str, catalogue: pl.DataFrame) -> set[str]:
    """The indicators whose own year `year` (an agreement year) had not ended by the end of
    `as_at`: an academic year 2009-10 ends in August 2010, after an `--as-at` of 2009-10."""
    years = catalogue.select("indicator", "period_type").with_columns(year=pl.lit(year),
                                                                       quarter=pl.lit(None, pl.Int8))
    return set(years.filter(period_end() > month_of_end(as_at)).get_column("indicator"))


def period_label() -> pl.Expr:
    """The canonical text of a return's period, from the same columns as `period_end`."""
    start = pl.col("year").str.slice(0, 4)
    return (
        pl.when(pl.col("quarter").is_not_null()).then(pl.format("{} Q{}", pl.col("year"), pl.col("quarter")))
        .when(pl.col("period_type") == "calendar-year").then(start)
        .otherwise(pl.col("year"))
    )


def known_returns(returns: pl.DataFrame, catalogue: pl.DataFrame, areas: list[str],
                  as_at: Period | None) -> pl.LazyFrame:
    """The selected areas' returns (rows of `target_returns`) with their period's end month,
    only those ended by the end of `as_at` when it is given, and none for a year its indicator
    is not collected in (§9: `score` does not use them either); collected once, read thrice."""
    known = pl.col("area_id").is_in(areas) & pl.col("value_num").is_not_null()
    rows = (
        returns.lazy()
        .filter(known if as_at is None else known & ended_by(as_at, catalogue))
        .select(area="area_id", indicator="indicator_id", subtarget="subtarget_id", year="year_id",
                quarter="quarter", value_num="value_num", value_exact="value_exact", provisional="provisional")
        .join(catalogue.lazy().select("indicator", "period_type"), on="indicator", how="left")
        .with_columns(end=period_end())
    )
    return collected(rows, catalogue).collect(engine="in-memory").lazy()


def areas_as_at(known: pl.LazyFrame, areas: list[str], as_at: Period | None, finals: dict[str, int]) -> pl.DataFrame:
    """Per area: `current` (the first year of the latest agreement year the area has reported
    in, up to its agreement's final year, `finals`; the option's year when given) and `as_at`
    (the option's period, else the period of that year the area has reported that ends latest,
    quarters included; null without returns). An academic year 2009-10 ends in August 2010,
    after 2010-11 Q1: it is no later a year, and does not hold the current year back from the
    quarters reported in 2010-11; a return for a year after the agreement (2011-12), which no
    projection uses, does not move it on. Among periods ending in the same month a year is
    named before a quarter, a quarter before a calendar year."""
    frame = pl.DataFrame({"area": areas}, schema={"area": pl.String})
    if as_at is not None:
        return frame.with_columns(as_at=pl.lit(str(as_at)), current=pl.lit(as_at.start, pl.Int64))
    rank = (pl.when(pl.col("quarter").is_null() & (pl.col("period_type") != "calendar-year")).then(3)
            .when(pl.col("quarter").is_not_null()).then(2).otherwise(1))
    latest = (
        known.group_by("area", "year", "quarter", "period_type").agg(pl.col("end").first())  # the periods
        .with_columns(rank=rank, label=period_label(), current=pl.col("year").str.slice(0, 4).cast(pl.Int64))
        .filter(pl.col("current") <= pl.col("area").replace_strict(finals, default=None, return_dtype=pl.Int64))
        .filter(pl.col("current") == pl.col("current").max().over("area"))
        .group_by("area").agg(as_at=pl.col("label").sort_by("end", "rank", "label").last(),
                              current=pl.col("current").first())
    )
    return frame.lazy().join(latest, on="area", how="left", maintain_order="left").collect()


def current_quarters(known: pl.LazyFrame, current: pl.DataFrame, catalogue: pl.DataFrame) -> pl.LazyFrame:
    """Per (area, indicator, subtarget): the quarters of the area's current year, when one to
    three were reported: `quarters`, `year_to_date` and `forecast` (Y units) and `quarters_provisional`.
    Cumulative: the sum, and four times the sum over the quarters reported; otherwise the
    latest quarter for both. Where a quarter's value is not held exactly by the frame, its exact
    texts too: `year_to_date_exact` (a decimal) and `forecast_exact` (a fraction)."""
    cumulative = catalogue.lazy().select("indicator", "cumulative")
    as_written = pl.coalesce("value_exact", pl.col("value_num").cast(pl.String)).sort_by("quarter")
    any_inexact = pl.col("value_exact").is_not_null().any()
    adds_up = pl.col("cumulative").first().fill_null(False)  # the quarters add up over the year
    quarters = (
        known.filter(pl.col("quarter").is_not_null())
        .join(current.lazy().select("area", "current"), on="area")
        .filter(pl.col("year").str.slice(0, 4).cast(pl.Int64) == pl.col("current"))
        # a quarter given twice agrees in value (else R308), provisional only if both rows are
        .with_columns(CONFIRMED.over(*KEYS, "quarter"))
        .unique([*KEYS, "quarter"], keep="first", maintain_order=False)
        .join(cumulative, on="indicator", how="left")
        .group_by(KEYS)
        .agg(
            quarters=pl.len(),
            total=units("value_num").sum(),
            latest=units("value_num").sort_by("quarter").last(),
            cumulative=adds_up,
            # provisional when a quarter the forecast is worked from is: every one when they add
            # up over the year, else the latest alone
            quarters_provisional=pl.when(adds_up)
            .then(pl.col("provisional").any()).otherwise(pl.col("provisional").sort_by("quarter").last()),
            written=pl.when(any_inexact).then(as_written.str.join(";")),
        )
        .filter(pl.col("quarters") < 4)
    )
    ytd = pl.when(pl.col("cumulative")).then(pl.col("total")).otherwise(pl.col("latest"))
    forecast = pl.when(pl.col("cumulative")).then(pl.col("total") * 4 * THIRDS // pl.col("quarters"))
    frame = quarters.select(
        *KEYS, "quarters", "quarters_provisional", "written", "cumulative",
        year_to_date=ytd * THIRDS,
        forecast=forecast.otherwise(pl.col("latest") * THIRDS),
    ).collect(engine="in-memory")
    # The few years with a quarter the frame does not hold exactly, worked out in Python.
    inexact = frame.filter(pl.col("written").is_not_null())
    texts = pl.DataFrame([_exact_quarters(row) for row in inexact.iter_rows(named=True)],
                         schema={"year_to_date_exact": pl.String, "forecast_exact": pl.String}, orient="row")
    exact = pl.concat([inexact.select(KEYS), texts], how="horizontal")
    return (frame.lazy().drop("written", "cumulative")
            .join(exact.lazy(), on=KEYS, how="left", nulls_equal=True))


def _exact_quarters(group: dict) -> tuple[str, str]:
    """The year to date (a decimal text) and the year-end forecast (a fraction text) of a
    year's quarters, from their exact texts (`;`-separated, in order)."""
    values = [Decimal(text) for text in group["written"].split(";")]
    to_date = functools.reduce(EXACT.add, values, Decimal(0)) if group["cumulative"] else values[-1]
    forecast = Fraction(to_date) * (Fraction(4, group["quarters"]) if group["cumulative"] else 1)
    return exact_text(to_date), str(forecast)


def known_actuals(known: pl.LazyFrame, workspace_actuals: pl.DataFrame, as_at: Period | None,
                  indicators: dict, catalogue: pl.DataFrame) -> pl.DataFrame:
    """The yearly actuals (§5) of the returns known as at `as_at`; without it, every actual
    of a year its indicator is collected in."""
    if as_at is None:
        return collected(workspace_actuals.lazy(), catalogue).collect(engine="in-memory")
    rows = known.select(area_id="area", indicator_id="indicator", subtarget_id="subtarget", year_id="year",
                        quarter="quarter", value_num="value_num", value_exact="value_exact",
                        provisional="provisional")
    return yearly_actuals(rows.collect(), indicators)


def row_points(rows: pl.DataFrame, actuals: pl.DataFrame,
               forecasts: pl.LazyFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The points of every row (`order`), and the current year's quarters of the rows whose
    forecast is one of them.

    Points: the baseline, each annual actual after the baseline's year up to the final year,
    and the current year's forecast when that year is after the baseline's, not after the final
    year and has no actual. `x` is the point's year less the final year, `y` its value in Y
    units; `kind` is baseline, actual or forecast; `exact` the exact text of a value the frame's
    decimals do not hold (a decimal, or the fraction of a forecast), else null."""
    base = rows.lazy().select("order", "area", "indicator", "subtarget", "base_year", "final_year", "current")
    baseline = rows.lazy().filter(pl.col("baseline").is_not_null()).select(
        "order", x=pl.col("base_year") - pl.col("final_year"), y=units("baseline") * THIRDS,
        kind=pl.lit("baseline"), provisional=pl.lit(False), exact="baseline_exact")
    after_base = (pl.col("base_year").is_null() | (pl.col("year") > pl.col("base_year"))) \
        & (pl.col("year") <= pl.col("final_year"))
    yearly = (
        base.join(actuals.lazy().with_columns(year=pl.col("year").str.slice(0, 4).cast(pl.Int64)),
                  on=KEYS, how="inner", nulls_equal=True)
        .filter(after_base)
        .select("order", x=pl.col("year") - pl.col("final_year"), y=units("actual") * THIRDS,
                kind=pl.lit("actual"), provisional=pl.col("provisional").fill_null(False), exact="actual_exact")
    )
    current = (
        base.join(forecasts, on=KEYS, how="inner", nulls_equal=True)
        .with_columns(year=pl.col("current"))
        .filter(after_base)
        .with_columns(x=pl.col("year") - pl.col("final_year"))
        .join(yearly.select("order", "x"), on=["order", "x"], how="anti")
        .collect(engine="in-memory")
    )
    forecast = current.lazy().select("order", "x", y="forecast", kind=pl.lit("forecast"),
                                     provisional="quarters_provisional", exact="forecast_exact")
    points = pl.concat([baseline, yearly, forecast]).collect(engine="in-memory")
    return points, current.select("order", "quarters", "year_to_date", "year_to_date_exact", "forecast_exact",
                                  forecast_y="forecast")
