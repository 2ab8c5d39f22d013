"""The value each return gives for each year: annual returns, or quarters made into a year.

DESIGN.md §5: four quarters make the year's value (their sum for a cumulative indicator,
else Q4); an annual return wins over quarters; provisional values are used and flagged.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

from laatool.base.ids import agreement_year
from laatool.base.models import Indicator
from laatool.base.numbers import EXACT, FRAME, below_power_of_ten, exact_text, frame_lit
from laatool.compute.catalogue import indicator_frame
from laatool.compute.targets import blank_routes, routed_subtargets, workspace_targets
from laatool.load.returns_table import LARGEST

if TYPE_CHECKING:
    from laatool.load.workspace import Workspace

KEYS = ["area", "indicator", "subtarget", "year"]
ACTUALS_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "area": pl.String,
    "indicator": pl.String,
    "subtarget": pl.String,
    "year": pl.String,
    "actual": FRAME,
    "actual_exact": pl.String,  # the exact value where `actual` is not it (laatool.base.numbers)
    "provisional": pl.Boolean,
    "basis": pl.String,
}


def usable_returns(returns: pl.DataFrame) -> pl.LazyFrame:
    """Rows whose area, indicator, period and value all parsed, under the canonical names."""
    return (
        returns.lazy()
        .filter(
            pl.col("area_id").is_not_null() & pl.col("indicator_id").is_not_null()
            & pl.col("year_id").is_not_null() & pl.col("value_num").is_not_null()
        )
        .select(
            area=pl.col("area_id"),
            indicator=pl.col("indicator_id"),
            subtarget=pl.col("subtarget_id"),
            year=pl.col("year_id"),
            quarter=pl.col("quarter"),
            value=pl.col("value_num"),
            value_exact=pl.col("value_exact"),
            provisional=pl.col("provisional"),
        )
    )


def relevant_returns(returns: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """The returns rows (only the columns actuals read) that can give a target's actual.

    Most of a national returns file is indicators no area has a target on, or years before any
    target's baseline: only the actuals of target years and the latest one before each (back
    to the baseline) are ever read, so the rows of an (area, indicator) from before its
    earliest baseline or target year are dropped before the yearly aggregation. A target with
    no baseline (a placeholder) may compare with any earlier year, so its rows are all kept.
    """
    wanted = (
        targets.lazy()
        .group_by(area_id="area", indicator_id="indicator")
        .agg(from_year=pl.when(pl.col("baseline_period").is_not_null().all())
             .then(pl.min_horizontal(agreement_year(pl.col("baseline_period")).min(),
                                     agreement_year(pl.col("period")).min())))
        .collect()
    )
    columns = ["area_id", "indicator_id", "subtarget_id", "year_id", "quarter", "value_num", "value_exact",
               "provisional"]
    # a blank sub-target is the one sub-target of a group its indicator can reach (§6.1)
    rows = routed_subtargets(returns.lazy().select(columns), blank_routes(targets), targets)
    from_years = wanted.get_column("from_year")
    if from_years.len() and not from_years.has_nulls():
        # No target reads a year before the earliest of them all: a cheap first cut of the
        # rows the join must look at (years are written alike, so they compare as text).
        rows = rows.filter(pl.col("year_id") >= from_years.min())
    return (rows.join(wanted.lazy(), on=["area_id", "indicator_id"], how="inner")
            .filter(pl.col("from_year").is_null() | (pl.col("year_id") >= pl.col("from_year")))
            .drop("from_year").collect())


def target_returns(workspace: Workspace) -> pl.DataFrame:
    """`relevant_returns` for every agreement's targets, built once per workspace (validation,
    scoring and reward all read it), without values too large for any range (R306).

    Those values are errors, so `score` and `reward-grant` never reach an area that has one;
    leaving them out keeps a sum of quarters within Decimal(38, 10) while validation runs.
    """
    def build() -> pl.DataFrame:
        if workspace.returns is None:
            return pl.DataFrame(schema={"area_id": pl.String, "indicator_id": pl.String,
                                        "subtarget_id": pl.String, "year_id": pl.String, "quarter": pl.Int8,
                                        "value_num": FRAME, "value_exact": pl.String,
                                        "provisional": pl.Boolean})
        rows = relevant_returns(workspace.returns, workspace_targets(workspace))
        if rows.get_column("value_exact").is_null().all():  # every value as the frame holds it
            return rows.filter(pl.col("value_num").abs() < frame_lit(LARGEST))
        return rows.filter(below_power_of_ten(pl.col("value_num"), pl.col("value_exact"), LARGEST.adjusted()))

    return workspace.derived_frame("target_returns", build)


def target_actuals(workspace: Workspace) -> pl.DataFrame:
    """`yearly_actuals` of `target_returns`, built once per workspace."""
    return workspace.derived_frame(
        "target_actuals", lambda: yearly_actuals(target_returns(workspace), workspace.indicators))


# A value returned twice (R309: the same value) is provisional only when every return of it is:
# a final return of a value sent as provisional before confirms it (and R309 is on the
# provisional row, `checks.returns_engine.with_duplicates`).
CONFIRMED = pl.col("provisional").all().alias("provisional")


def quarter_actuals(workspace: Workspace) -> pl.DataFrame:
    """The value of each quarter returned for a target's indicator, one row per (area,
    indicator, subtarget, year, quarter): what a target or an interim level set for a quarter
    (of a quarterly indicator, A234) is measured against (DESIGN.md §5: each period that has a
    target value has its own actual), built once per workspace. Duplicate quarters that differ
    are refused (R308); of those that agree, the value is provisional only when every one of them
    is (`CONFIRMED`)."""
    def build() -> pl.DataFrame:
        return (each_quarter_once(usable_returns(target_returns(workspace)))
                .rename({"value": "actual", "value_exact": "actual_exact"}).collect(engine="in-memory"))

    return workspace.derived_frame("quarter_actuals", build)


def each_quarter_once(rows: pl.LazyFrame) -> pl.LazyFrame:
    """The quarters of `usable_returns` rows, one row per (area, indicator, subtarget, year,
    quarter): a quarter given twice agrees in value (else R308 refuses), and is provisional
    only when both rows are (`CONFIRMED`)."""
    return (rows.filter(pl.col("quarter").is_not_null())
            .group_by(*KEYS, "quarter")
            .agg(pl.col("value", "value_exact").first(), CONFIRMED))


def keep_only_actuals(workspace: Workspace, intervals: bool = False) -> None:
    """Build the frames that scoring and reward read (the targets' returns, their actuals and,
    with `intervals`, the inputs of their intervals, which only `score` reads), then let the
    returns rows go: once validated, nothing else reads them, and on a national workspace they
    are most of the memory a run holds."""
    target_actuals(workspace)
    quarter_actuals(workspace)
    if intervals:
        interval_inputs(workspace)
    workspace.returns = None


INTERVAL_COLUMNS = ("numerator", "denominator", "sample_size", "lower_ci", "upper_ci")
LIMIT_COLUMNS = ("lower_ci", "upper_ci")  # written limits: used as written, whatever their places


def interval_inputs(workspace: Workspace) -> pl.DataFrame:
    """The numbers an interval is worked out from (DESIGN.md §9), for each annual return of
    an indicator with an interval method on which some area has a target: the few rows whose
    optional columns are read at all, parsed here once."""
    def build() -> pl.DataFrame:
        with_method = sorted(i.id for i in workspace.indicators.values() if i.interval_method != "none")
        if workspace.returns is None:
            return interval_rows(pl.LazyFrame(schema={"indicator_id": pl.String}), workspace.indicators)
        targets = workspace_targets(workspace)
        pairs = (targets.lazy().filter(pl.col("indicator").is_in(with_method))
                 .select(area_id="area", indicator_id="indicator").unique())
        returns = routed_subtargets(workspace.returns.lazy(), blank_routes(targets), targets)
        return interval_rows(returns.join(pairs, on=["area_id", "indicator_id"], how="inner"), workspace.indicators)

    return workspace.derived_frame("interval_inputs", build)


def interval_rows(returns: pl.LazyFrame, indicators: dict[str, Indicator]) -> pl.DataFrame:
    """The interval inputs of the annual `returns` rows (normalised) of the indicators with an
    interval method, one row a year, parsed. An indicator that only shows written limits needs
    only the rows that write them.

    A written limit the frame's decimals do not hold exactly (more than 10 places) carries its
    exact text beside it (`lower_ci_exact`, `upper_ci_exact`; null elsewhere), as the value
    does: the limits are compared with the target as written (DESIGN.md §6.1, §9)."""
    from laatool.load.normalise import may_be_inexact, number_expr, parse_numbers

    schema: dict[str, pl.DataType] = {**{key: pl.String() for key in KEYS},
                                      **{name: pl.Decimal(38, 10) for name in INTERVAL_COLUMNS},
                                      **{f"{name}_exact": pl.String() for name in LIMIT_COLUMNS}}
    methods = {i.id: i.interval_method for i in indicators.values()}
    computed = sorted(ident for ident, method in methods.items() if method in ("wilson", "poisson"))
    supplied = sorted(ident for ident, method in methods.items() if method == "supplied")
    if not computed and not supplied:
        return pl.DataFrame(schema=schema)
    wanted = pl.col("indicator_id").is_in(computed) | (
        pl.col("indicator_id").is_in(supplied) & pl.col("lower_ci").is_not_null()
        & pl.col("upper_ci").is_not_null())
    rows = (
        returns
        .filter(wanted & pl.col("quarter").is_null()
                & pl.col("year_id").is_not_null() & pl.col("value_num").is_not_null())
        .select(area="area_id", indicator="indicator_id", subtarget="subtarget_id", year="year_id",
                **{name: number_expr(name) for name in INTERVAL_COLUMNS},
                # only a text the frame's decimals may not hold is kept: most limits are short
                **{f"{name}_text": pl.when(may_be_inexact(pl.col(name))).then(pl.col(name))
                   for name in LIMIT_COLUMNS})
        # one row a year: duplicates that differ in these columns conflict (R308) and are refused
        # before this; the sort makes the choice among the others whatever the order of the rows
        .sort(KEYS, *INTERVAL_COLUMNS, *(f"{name}_text" for name in LIMIT_COLUMNS), nulls_last=True)
        .unique(subset=KEYS, keep="first", maintain_order=True)
        .collect()
    )
    # `parse_numbers` looks at a cell in Python only when it may need more than 10 places
    exact = {f"{name}_exact": parse_numbers(rows.get_column(f"{name}_text"))[3] for name in LIMIT_COLUMNS}
    return rows.with_columns(**exact).select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def exact_sum(values: str) -> str:
    """The exact sum of the values (`;`-separated texts) of a year's four quarters."""
    total = Decimal(0)
    for value in values.split(";"):
        total = EXACT.add(total, Decimal(value))
    return exact_text(total)


def yearly_actuals(returns: pl.DataFrame, indicators: dict[str, Indicator]) -> pl.DataFrame:
    """One actual per (area, indicator, subtarget, year), from annual returns or four quarters,
    in no particular order: whatever reads them joins on those keys."""
    rows = usable_returns(returns).collect()
    cumulative = indicator_frame(indicators).lazy().select("indicator", "cumulative")
    annual = rows.filter(pl.col("quarter").is_null())
    if annual.select(pl.struct(KEYS).is_duplicated().any()).item():
        annual = annual.group_by(KEYS).agg(actual=pl.col("value").first(), actual_exact=pl.col("value_exact").first(),
                                           provisional=CONFIRMED)
    else:  # one annual value a year, as almost always: nothing to aggregate
        annual = annual.select(*KEYS, actual="value", actual_exact="value_exact", provisional="provisional")
    annual_lazy = annual.lazy().with_columns(basis=pl.lit("annual"))
    exact_quarters: list[pl.Expr] = []
    exact_actual = pl.lit(None, pl.String)
    if rows.get_column("value_exact").is_not_null().any():
        # A quarter the frame does not hold exactly: the year's value is worked out exactly,
        # the sum of quarters added up in Python (only on such workspaces: it costs a pass)
        exact = pl.col("value_exact").is_not_null()
        exact_quarters = [
            pl.col("value_exact").filter(pl.col("quarter") == 4).first().alias("q4_exact"),
            pl.when(exact.any()).then(pl.coalesce("value_exact", pl.col("value").cast(pl.String))
                                      .str.join(";")).alias("values")]
        exact_actual = (pl.when(pl.col("cumulative"))
                        .then(pl.col("values").map_elements(exact_sum, return_dtype=pl.String))
                        .otherwise(pl.col("q4_exact")))
    quarters = (
        each_quarter_once(rows.lazy())
        .join(cumulative, on="indicator", how="left")
        .group_by(KEYS)
        .agg(
            *exact_quarters,
            count=pl.col("quarter").n_unique(),
            total=pl.col("value").sum(),
            q4=pl.col("value").filter(pl.col("quarter") == 4).first(),
            cumulative=pl.col("cumulative").first().fill_null(False),
            provisional=pl.col("provisional").any(),
            q4_provisional=pl.col("provisional").filter(pl.col("quarter") == 4).first(),
        )
        .filter(pl.col("count") == 4)
        .select(
            *KEYS,
            actual=pl.when(pl.col("cumulative")).then(pl.col("total")).otherwise(pl.col("q4")),
            actual_exact=exact_actual,
            # flagged when a provisional value is used (DESIGN.md §5): any quarter of a sum,
            # the fourth alone when the year's value is the fourth quarter's
            provisional=pl.when(pl.col("cumulative")).then(pl.col("provisional")).otherwise(pl.col("q4_provisional")),
            basis=pl.lit("quarters"),
        )
        .join(annual_lazy.select(KEYS), on=KEYS, how="anti", nulls_equal=True)
    )
    return (
        pl.concat([annual_lazy, quarters], how="vertical_relaxed")
        .select([pl.col(c).cast(t) for c, t in ACTUALS_SCHEMA.items()])
        .collect(engine="in-memory")  # a few hundred thousand rows: less than streaming costs
    )


def reported_actuals(workspace: Workspace, areas: list[str], catalogue: pl.DataFrame) -> pl.DataFrame:
    """Every yearly actual of the areas' targets in a year their indicator is collected in,
    years without a target value included: the actuals `project` draws its points from (§8),
    which the board report charts. Built from `target_actuals`, so after the returns are let go."""
    from laatool.compute.collection import collected

    return (collected(target_actuals(workspace).lazy().filter(pl.col("area").is_in(areas)), catalogue)
            .sort("area", "indicator", "subtarget", "year", nulls_last=True)
            .collect(engine="in-memory"))
