"""Comparing areas (DESIGN.md §10, `laatool benchmark`): ranks, quartiles and quintiles, England
and neighbours, for each indicator and year, over every area with a value at once.

Values are compared as exact integers: counts of 10^-places, where places are the frame's 10,
or as many as the longest value written past them has (`ranking_places`). A bound is
interpolated at the 1-based position (n − 1)·j/k + 1 of the sorted values: with (n − 1)·j =
q·k + r, it is v[q] + r/k·(v[q+1] − v[q]), held as k times itself, an integer, so a value is
on, below or above it by cross multiplication and nothing is rounded. Bands follow Fingertips:
a value on a bound goes to the lower band; then for higher-is-better band b of k becomes
k + 1 − b, so band 1 is the best for both polarities (the lowest for a neutral indicator).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from laatool.compute.reward_frame import units_decimal
from laatool.compute.scoring import published

SCALE = 10  # values are Decimal(38, 10)
BANDS = {"quartile": 4, "quintile": 5}
I128 = pl.Int128
VALUES_SCHEMA = {"area": pl.String, "indicator": pl.String, "year": pl.String, "value": pl.Decimal(38, SCALE),
                 "provisional": pl.Boolean,
                 # a value the frame's decimals do not hold exactly: its text, shown as written
                 "value_exact": pl.String}


def _sense() -> pl.Expr:
    """+1 when higher values are better, −1 when lower, 0 for a neutral indicator."""
    polarity = pl.col("polarity")
    return pl.when(polarity == "higher").then(1).when(polarity == "lower").then(-1).otherwise(0).cast(pl.Int8)


def _key(units: pl.Expr) -> pl.Expr:
    """A value's place in the ranking: smaller is better (lower first for a neutral indicator)."""
    return pl.when(pl.col("sense") > 0).then(pl.lit(0, I128) - units).otherwise(units)


# The most digits a value may have before the point and after it, all told, to be ranked as
# written: its count of 10^-places, times a band count or a neighbours' median's 2 and
# 5, and the bounds' sums, stay within Int128 (about 1.7 × 10^38).
RANKED_DIGITS = 36


def ranking_places(values: pl.DataFrame) -> int:
    """The places values are ranked at: the frame's ten, or, when a value is written with more,
    as many as the longest has, so that nothing is rounded (docs/decisions.md) — unless the
    values would then have more than RANKED_DIGITS digits (a value of 10^26 beside one of 11
    places), when they are ranked at ten places."""
    exact = values.get_column("value_exact").drop_nulls()
    if exact.is_empty():
        return SCALE
    written = exact.str.extract_groups(r"^-?([0-9]+)\.([0-9]*)$")  # exact texts past 10^-40 have an exponent
    longest = written.struct.field("2").str.len_bytes().max()
    largest = values.get_column("value").abs().max()
    if written.struct.field("1").null_count() or longest is None or largest is None:
        return SCALE
    places, whole = int(longest), len(str(int(largest)))  # type: ignore[arg-type]  # an int and a Decimal
    return max(SCALE, places) if whole + places <= RANKED_DIGITS else SCALE


def ranked(values: pl.DataFrame, catalogue: pl.DataFrame, places: int = SCALE) -> pl.LazyFrame:
    """Each area's value with its `rank` (1 = best; ties share the best rank: 1, 2, 2, 4) and
    `of`, the number of areas with a value for that indicator and year; `units`, the value in
    10^-`places`."""
    group = ["indicator", "year"]
    value = pl.col("value") if places == SCALE else pl.coalesce("value_exact", pl.col("value").cast(pl.String))
    return (
        values.lazy()
        .join(catalogue.lazy().select("indicator", "polarity", "decimals"), on="indicator", how="left")
        .with_columns(units=value.cast(pl.Decimal(38, places)).to_physical().cast(I128), sense=_sense())
        .with_columns(key=_key(pl.col("units")))
        .with_columns(rank=pl.col("key").rank(method="min").over(group).cast(pl.Int64),
                      of=pl.len().over(group).cast(pl.Int64))
    )


def bounds(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Per indicator and year, k times each bound of the quartiles and quintiles, as integers:
    `quartile_0` the least value, `quartile_4` the greatest; all null with fewer values than bands."""
    group = ["indicator", "year"]
    sorted_units = pl.col("sorted")
    n = pl.col("n").cast(pl.Int64)
    columns = {}
    for name, k in BANDS.items():
        for j in range(k + 1):
            position = (n - 1) * j  # k × the 0-based position
            low = sorted_units.list.get(position // k, null_on_oob=True)
            high = sorted_units.list.get(pl.min_horizontal(position // k + 1, n - 1), null_on_oob=True)
            bound = low * k + (position % k).cast(I128) * (high - low)
            columns[f"{name}_{j}"] = pl.when(n >= k).then(bound)
    return (frame.group_by(group).agg(sorted=pl.col("units").sort(), n=pl.len())
            .with_columns(**columns).drop("sorted", "n"))


def _band(name: str) -> pl.Expr:
    """The band of a value: 1 + the inner bounds it is above (a value on a bound goes to the
    lower band), reversed for higher-is-better; null with fewer values than bands."""
    k = BANDS[name]
    above = pl.sum_horizontal([(pl.col("units") * k > pl.col(f"{name}_{j}")).cast(pl.Int64) for j in range(1, k)])
    band = 1 + above
    return (pl.when(pl.col(f"{name}_0").is_null()).then(None)
            .when(pl.col("sense") > 0).then(k + 1 - band).otherwise(band))


def _versus_england() -> pl.Expr:
    """England's value against the area's interval (§9): inside it (ends included) similar; below
    it the area is higher than England, above it lower; better or worse by polarity. Over the
    frame's ten places; `versus_england` decides a row any of whose figures has more, exactly."""
    england, low, high = pl.col("england_units"), pl.col("ci_lower_units"), pl.col("ci_upper_units")
    sense = pl.col("sense")
    area_higher = (pl.when(sense > 0).then(pl.lit("better")).when(sense < 0).then(pl.lit("worse"))
                   .otherwise(pl.lit("higher")))
    area_lower = (pl.when(sense > 0).then(pl.lit("worse")).when(sense < 0).then(pl.lit("better"))
                  .otherwise(pl.lit("lower")))
    return (pl.when(england.is_null() | low.is_null() | high.is_null()).then(pl.lit("not-compared"))
            .when(england < low).then(area_higher)
            .when(england > high).then(area_lower)
            .otherwise(pl.lit("similar")))


def versus_england(england: Decimal, low: Decimal, high: Decimal, sense: int) -> str:
    """`_versus_england` for one row, on its figures as written (a limit or England's value
    with more places than the frame's ten: a handful of rows)."""
    if england < low:
        return "better" if sense > 0 else "worse" if sense < 0 else "higher"
    if england > high:
        return "worse" if sense > 0 else "better" if sense < 0 else "lower"
    return "similar"


def _as_written(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with `vs_england` decided exactly on the rows whose limits or England's value the
    frame's decimals do not hold (`versus_england`), and without the columns that needed."""
    texts = ["england_exact", "ci_lower_exact", "ci_upper_exact"]
    helpers = [*texts, "england_value", "sense"]
    inexact = frame.select(pl.any_horizontal(pl.col(c).is_not_null() for c in texts)).to_series()
    if not inexact.any():
        return frame.drop(helpers)
    exact = lambda text, value: Decimal(text) if text is not None else value  # noqa: E731
    decided = [versus_england(exact(r["england_exact"], r["england_value"]), exact(r["ci_lower_exact"], r["ci_lower"]),
                              exact(r["ci_upper_exact"], r["ci_upper"]), r["sense"])
               if flagged and r["vs_england"] != "not-compared" else r["vs_england"]
               for r, flagged in zip(frame.select(*helpers, "ci_lower", "ci_upper", "vs_england").iter_rows(named=True),
                                     inexact, strict=True)]
    return frame.with_columns(vs_england=pl.Series(decided, dtype=pl.String)).drop(helpers)


def neighbour_figures(frame: pl.LazyFrame, neighbours: pl.DataFrame) -> pl.LazyFrame:
    """Per area with a value in a neighbour group: `neighbour_rank` and `neighbour_of` among the
    area and its neighbours with a value, and `neighbour_median_units` (twice the median, in
    units) of the neighbours' values, the area itself excluded."""
    group = ["indicator", "year", "area"]
    mine = frame.select("indicator", "year", "area", own_key="key")
    peers = frame.select("indicator", "year", peer="area", peer_key="key", peer_units="units")
    # `neighbours` holds (area, null) for an area of the group listed with no neighbours; an
    # area listed among its own is not its own neighbour, and is in the group all the same
    # (`aa: [aa]` is `aa: []`)
    own = pl.when(pl.col("peer") != pl.col("area")).then(pl.col("peer"))
    pairs = (mine.join(neighbours.lazy().with_columns(peer=own), on="area", how="inner")
             .join(peers, on=["indicator", "year", "peer"], how="left"))
    valued = pl.col("peer_units").drop_nulls()
    count = valued.len()
    middle = valued.sort()
    return pairs.group_by(group).agg(
        neighbour_rank=(1 + (pl.col("peer_key") < pl.col("own_key")).sum()).cast(pl.Int64),
        neighbour_of=(1 + count).cast(pl.Int64),
        neighbour_median_units=pl.when(count > 0).then(middle.get((count - 1) // 2, null_on_oob=True)
                                                       + middle.get(count // 2, null_on_oob=True)),
    )


@dataclass
class BenchmarkReport:
    """`benchmark`: per indicator and year, the areas in rank order and those without a value."""

    frame: pl.DataFrame  # one row per area with a value, in rank order within each group
    groups: pl.DataFrame  # one row per indicator and year: polarity, bounds, England, missing
    names: dict[str, str]  # area -> its agreement's name (areas without one have none)
    neighbours: str | None  # the --neighbours group
    compared: int  # how many values were ranked, of every area (`frame` holds those of the areas listed)

    def areas_by_group(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """The areas of each indicator and year, in rank order, as their JSON."""
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in self.frame.select("indicator", "year", *AREA_COLUMNS, "value_exact").iter_rows(named=True):
            grouped.setdefault((row["indicator"], row["year"]), []).append(self._area(row))
        return grouped

    def _area(self, row: dict[str, Any]) -> dict[str, Any]:
        row = dict(row)
        row["name"] = self.names.get(row["area"])
        if row["value_exact"] is not None:  # shown as written
            row["value"] = Decimal(row["value_exact"])
        area = {key: row[key] for key in ("area", "name", "value", "provisional", "rank", "of", "quartile",
                                           "quintile", "vs_england", "ci_lower", "ci_upper")}
        if self.neighbours is not None:
            area |= {key: row[key] for key in ("neighbour_rank", "neighbour_of", "neighbour_median")}
        return area

    def to_json(self) -> dict[str, Any]:
        rows = []
        areas = self.areas_by_group()
        for group in self.groups.iter_rows(named=True):
            rows.append({
                "indicator": group["indicator"], "title": group["title"], "period": group["year"],
                "polarity": group["polarity"], "band_1": "lowest" if group["polarity"] == "neutral" else "best",
                "bounds": {name: group[name] for name in BANDS_PLURAL},
                # as written, as an area's value is (compared exactly: `versus_england`)
                "england": Decimal(group["england_exact"]) if group["england_exact"] else group["england"],
                "areas": areas.get((group["indicator"], group["year"]), []), "missing": group["missing"],
            })
        return {"neighbours": self.neighbours, "rows": rows}

    @property
    def columns(self) -> list[str]:
        """The CSV's and XLSX's columns, whichever areas have a value."""
        neighbours = AREA_COLUMNS[-3:] if self.neighbours is not None else []
        return ["area", "name", "indicator", "period", "polarity", *AREA_COLUMNS[1:-3], *neighbours, "england"]

    def to_rows(self) -> list[dict[str, Any]]:
        """One line per area with a value, then one per area missing, for CSV and XLSX; every line
        has every column."""
        lines = []
        blank = dict.fromkeys(self.columns)
        for group in self.to_json()["rows"]:
            head = {"indicator": group["indicator"], "period": group["period"], "polarity": group["polarity"]}
            for area in group["areas"]:
                lines.append(blank | area | head | {"england": group["england"]})
            for area in group["missing"]:
                lines.append(blank | {"area": area, "name": self.names.get(area), **head, "vs_england": "missing",
                                      "england": group["england"]})
        return lines


BANDS_PLURAL = ("quartiles", "quintiles")
AREA_COLUMNS = ["area", "value", "provisional", "rank", "of", "quartile", "quintile", "vs_england", "ci_lower",
                "ci_upper", "neighbour_rank", "neighbour_of", "neighbour_median"]


def benchmark(values: pl.DataFrame, catalogue: pl.DataFrame, england: pl.DataFrame, intervals: pl.DataFrame,
              neighbours: pl.DataFrame | None, expected: list[str], shown: list[str] | None,
              names: dict[str, str], group_name: str | None, wanted: pl.DataFrame | None = None) -> BenchmarkReport:
    """Rank and band `values` (area, indicator, year, value, provisional; England left out) for
    each indicator and year, over every area at once.

    `england`: indicator, year, value. `intervals`: area, indicator, year, ci_lower, ci_upper.
    `neighbours`: area, peer (each area's neighbours). `expected`: the areas that should have a
    value (those that have none are listed as missing). `shown`: the areas listed (None: all).
    `wanted`: indicator and year pairs listed even when no area has a value.
    """
    places = ranking_places(values)
    frame = ranked(values, catalogue, places)
    limits = bounds(frame)
    units = lambda column: pl.col(column).cast(pl.Decimal(38, SCALE)).to_physical().cast(I128)  # noqa: E731
    frame = (
        frame.join(limits, on=["indicator", "year"], how="left")
        .with_columns(quartile=_band("quartile"), quintile=_band("quintile"))
        .join(england.lazy().select("indicator", "year", england_units=units("value"), england_value="value",
                                    england_exact="value_exact"), on=["indicator", "year"], how="left")
        .join(intervals.lazy().select("area", "indicator", "year", "ci_lower", "ci_upper", "ci_lower_exact",
                                      "ci_upper_exact"), on=["area", "indicator", "year"], how="left")
        .with_columns(ci_lower_units=units("ci_lower"), ci_upper_units=units("ci_upper"))
        .with_columns(vs_england=_versus_england())
    )
    if neighbours is not None:
        figures = neighbour_figures(frame, neighbours)
        frame = frame.join(figures, on=["indicator", "year", "area"], how="left").with_columns(
            neighbour_median=units_decimal(pl.col("neighbour_median_units") * 5, places + 1))
    else:
        frame = frame.with_columns(neighbour_rank=pl.lit(None, pl.Int64), neighbour_of=pl.lit(None, pl.Int64),
                                   neighbour_median=pl.lit(None, pl.Decimal(38, places + 1)))
    frame = frame.with_columns(provisional=pl.col("provisional").fill_null(False))
    listed = frame if shown is None else frame.filter(pl.col("area").is_in(shown))
    result = _as_written(listed.sort("indicator", "year", "rank", "area").select(
        "indicator", "year", *AREA_COLUMNS, "value_exact", "england_value", "england_exact", "ci_lower_exact",
        "ci_upper_exact", "sense", "decimals").collect())
    # decided on the exact limits; written as `score` writes them (decimals + 2 places)
    result = result.with_columns(ci_lower=published(pl.col("ci_lower")),
                                 ci_upper=published(pl.col("ci_upper"))).drop("decimals")
    chosen = None if shown is None else set(shown)
    groups = _groups(frame, limits, catalogue, england, values, expected if chosen is None else
                     [a for a in expected if a in chosen], wanted, places)
    return BenchmarkReport(result, groups, names, group_name, values.height)


def _groups(frame: pl.LazyFrame, limits: pl.LazyFrame, catalogue: pl.DataFrame, england: pl.DataFrame,
            values: pl.DataFrame, expected: list[str], wanted: pl.DataFrame | None, places: int) -> pl.DataFrame:
    """One row per indicator and year: title, polarity, the bounds as decimals (from counts of
    10^-`places`), England's value and the expected areas without a value, in the order of
    the indicators' numbers."""
    keys = frame.select("indicator", "year").unique()
    if wanted is not None:
        keys = pl.concat([keys, wanted.lazy().select("indicator", "year")]).unique()
    bound_lists = {
        plural: pl.when(pl.col(f"{name}_0").is_not_null()).then(pl.concat_list(
            [units_decimal(pl.col(f"{name}_{j}") * (100 // k), places + 2) for j in range(k + 1)]))
        for (name, k), plural in zip(BANDS.items(), BANDS_PLURAL, strict=True)
    }
    have = values.lazy().select("indicator", "year", "area")
    missing = (keys.join(pl.LazyFrame({"area": sorted(expected)}, schema={"area": pl.String}), how="cross")
               .join(have, on=["indicator", "year", "area"], how="anti")
               .group_by("indicator", "year").agg(missing=pl.col("area").sort()))
    number = pl.col("indicator").str.extract(r"^NI (\d+)$", 1).cast(pl.Int64)
    return (
        keys.join(limits, on=["indicator", "year"], how="left")
        .with_columns(**bound_lists)
        .join(catalogue.lazy().select("indicator", "title", "polarity"), on="indicator", how="left")
        .join(england.lazy().select("indicator", "year", england="value", england_exact="value_exact"),
              on=["indicator", "year"], how="left")
        .join(missing, on=["indicator", "year"], how="left")
        .with_columns(missing=pl.col("missing").fill_null(pl.lit([], pl.List(pl.String))))
        .sort(number.is_null(), number, "indicator", "year")
        .select("indicator", "year", "title", "polarity", *BANDS_PLURAL, "england", "england_exact", "missing")
        .collect()
    )
