"""In-year position and projection (DESIGN.md §8): where each target will end up, and what it
will earn.

One row per (sub-)target with a final-period target. Its points (`projection_points`) are
summed into exact integers (Int128, thirds of 1e-10), and every figure is a ratio of those
sums: least squares at the final year is (Σy·Σx² − Σx·Σxy) / (n·Σx² − (Σx)²) with x the year
less the final year, so nothing is divided until a figure is rounded for the outputs, once,
half away from zero. Thresholds and cut-offs are decided by cross multiplication; the money is
reward's own arithmetic (`reward_frame.figures`) on the projected achievement.

A row whose products could leave Int128 (values or a maximum far beyond any agreement's) is
worked out in Python instead, in Fractions (`projection_exact`), to the same figures.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import polars as pl

from laatool.base.ids import Period, agreement_year, parse_period, quarter_of
from laatool.base.suggest import period_option
from laatool.compute import projection_points as points_of
from laatool.compute.actuals import target_actuals, target_returns
from laatool.compute.catalogue import indicator_frame
from laatool.compute.collection import due
from laatool.compute.polarity import better_direction_expr, polarity_sign_then
from laatool.compute.projection_report import (
    OUT,
    AreaProjection,
    ProjectionReport,
    exact_or_decimal,
    money_text,
    number_text,
    ratio_text,
    value_text,
)
from laatool.compute.reward import choose_schemes, maximum_of
from laatool.compute.reward_frame import area_terms, figures, row_share
from laatool.compute.reward_inputs import EXPECTED, reward_inputs
from laatool.compute.targets import workspace_targets
from laatool.load.workspace import Workspace

METHODS = ("linear", "last-change")
# Each rule gives one status; every row names the rule that gave its status.
RULES = {
    "latest-meets-final": ("target-met", "the latest actual already meets the final target (by polarity)"),
    "fewer-than-two-points": ("insufficient-data", "fewer than two points to project from"),
    "nothing-to-measure-from": ("insufficient-data", "no baseline or expected value to measure the projection from"),
    "not-collected-in-final-year": ("not-due", "a biennial indicator not collected in the final year"),
    "projected-on-track": ("on-track", "projected achievement at least projection.on_track"),
    "projected-at-risk": ("at-risk", "projected achievement below projection.on_track, at least projection.at_risk "
                                     "(the scheme's threshold unless set)"),
    "projected-off-track": ("off-track", "projected achievement below projection.at_risk"),
}
I128 = pl.Int128
# Sums of the points, the values and the factors of a row are checked against this before any
# product: every product below is then at most 2^124, every sum of three inside Int128.
LIMIT = 2**122
WIDE = 2**100  # a baseline, target or expected value beyond this many 1e-10 is left to Python


def project(workspace: Workspace, areas: list[str], method: str = "linear",
            as_at: str | None = None) -> ProjectionReport:
    """The projection of every (sub-)target with a final-period target in the given areas
    (already validated), with returns known as at `as_at` (default: all)."""
    areas = [a for a in areas if a in workspace.agreement_docs]
    when = as_at_period(as_at)
    schemes = choose_schemes(workspace, areas, None)
    heads = {area: workspace.agreement_docs[area].head for area in areas}
    maxima = {area: maximum_of(heads[area], schemes[area]) for area in areas}
    catalogue = indicator_frame(workspace.indicators)
    known = points_of.known_returns(target_returns(workspace), catalogue, areas, when)
    finals = {area: parse_period(heads[area].last_period).agreement_year.start for area in areas}
    current = points_of.areas_as_at(known, areas, when, finals)
    rows = target_rows(workspace, areas, schemes, maxima, current)
    actuals = points_of.known_actuals(known, target_actuals(workspace), when, workspace.indicators, catalogue)
    forecasts = points_of.current_quarters(known, current, catalogue)
    points, quarters = points_of.row_points(rows, actuals, forecasts)
    frame = judged(rows, points, quarters, actuals, method, workspace.settings.projection)
    columns = ["area", "title", "polarity", "group_title", *OUT]
    in_python: dict[int, Fraction] = {}
    if not frame.get_column("in_range").all():
        from laatool.compute.projection_exact import exact_rows

        frame, in_python = exact_rows(frame, points, method, maxima, schemes, workspace.settings.projection.on_track,
                           columns, {name: status for name, (status, _) in RULES.items()})
    cutoffs = workspace.settings.projection
    as_ats = dict(current.select("area", "as_at").iter_rows())
    summaries = [AreaProjection(area, heads[area].name, as_ats.get(area), maxima[area], cutoffs.on_track,
                                schemes[area].threshold if cutoffs.at_risk is None else cutoffs.at_risk,
                                schemes[area])
                 for area in areas]
    return ProjectionReport(as_at=None if when is None else str(when), method=method,
                            areas=summaries, frame=frame.sort("order").select(columns), in_python=in_python)


def as_at_period(as_at: str | None) -> Period | None:
    """`--as-at` as a period; a UsageError if it is not one."""
    if as_at is None:
        return None
    return period_option("--as-at", as_at)


def target_rows(workspace: Workspace, areas: list[str], schemes: dict, maxima: dict,
                current: pl.DataFrame) -> pl.DataFrame:
    """One row per (sub-)target with a target value for its agreement's final period: its
    values, the years of its baseline and final period, whether it is a reward row (with the
    terms of its share), what it is measured from (§6) and the at-risk cut-off."""
    heads = {area: workspace.agreement_docs[area].head for area in areas}
    cutoffs = workspace.settings.projection
    plan = pl.DataFrame({
        "area": areas,
        "final_period": [str(parse_period(heads[a].last_period).agreement_year) for a in areas],
        "measure_from": [schemes[a].measure_from for a in areas],
        "risk": [(cutoffs.at_risk if cutoffs.at_risk is not None else schemes[a].threshold).as_integer_ratio()
                 for a in areas],
    }, schema={"area": pl.String, "final_period": pl.String, "measure_from": pl.String,
               "risk": pl.List(I128)}).with_columns(risk_num=pl.col("risk").list.get(0),
                                                    risk_den=pl.col("risk").list.get(1)).drop("risk")
    keys = ["area", "position", "subtarget"]
    measured_from_expected = (pl.col("measure_from") == EXPECTED) & pl.col(EXPECTED).is_not_null()
    rewarded = reward_inputs(workspace, areas, schemes).select(*keys, "targets_in_area", "parts_of_target", "portion",
                                                                 "portion_num", "portion_den")
    catalogue = indicator_frame(workspace.indicators).select("indicator", "period_type", "collection_years")
    frame = (
        workspace_targets(workspace, areas).lazy()
        .join(plan.lazy(), on="area", how="inner", maintain_order="left")
        # the final year's own target: a quarter of it is a milestone, never the final target
        .filter((agreement_year(pl.col("period")) == pl.col("final_period")) & quarter_of(pl.col("period")).is_null())
        .unique(keys, keep="first", maintain_order=True)
        .join(rewarded.lazy(), on=keys, how="left", nulls_equal=True, maintain_order="left")
        .join(area_terms(maxima, schemes).lazy(), on="area", how="left", maintain_order="left")
        .join(catalogue.lazy(), on="indicator", how="left", maintain_order="left")
        .join(current.lazy().select("area", "current"), on="area", how="left", maintain_order="left")
        .with_columns(
            from_=pl.when(measured_from_expected).then(pl.col(EXPECTED)).otherwise(pl.col("baseline")),
            from_exact=pl.when(measured_from_expected).then(pl.col("expected_exact"))
            .otherwise(pl.col("baseline_exact")),
            base_year=pl.col("baseline_period").str.slice(0, 4).cast(pl.Int64),
            final_year=pl.col("final_period").str.slice(0, 4).cast(pl.Int64),
            reward=pl.col("targets_in_area").is_not_null(),
        )
        # a biennial indicator not collected in the final year can never be measured there
        .with_columns(due=due(pl.col("final_year"), pl.col("collection_years")))
        .with_row_index("order")
    )
    return frame.collect(engine="in-memory")


def _sums(points: pl.DataFrame) -> pl.LazyFrame:
    """Per row: n, Σx, Σx², Σy, Σxy, the latest two points, the latest actual, the final
    year's actual or forecast, the flags, and the largest |y| and |x| (for the range check)."""
    x, y = pl.col("x").cast(I128), pl.col("y")
    actual = pl.col("kind") == "actual"
    final = pl.col("x").last() == 0
    return (
        points.lazy().sort("order", "x")  # each row's points in year order: the latest last
        .group_by("order", maintain_order=True).agg(
            n=pl.len().cast(I128), sx=x.sum(), sxx=(x * x).sum(), sy=y.sum(), sxy=(x * y).sum(),
            x1=x.last(), y1=y.last(), x0=x.get(-2, null_on_oob=True), y0=y.get(-2, null_on_oob=True),
            ya=y.filter(actual).last(), xa=pl.col("x").filter(actual).last(),
            final_actual=pl.when(final & (pl.col("kind").last() == "actual")).then(y.last()),
            final_forecast=pl.when(final & (pl.col("kind").last() == "forecast")).then(y.last()),
            provisional=pl.col("provisional").any(), forecast=(pl.col("kind") == "forecast").any(),
            ymax=y.abs().max(), xmax=x.abs().max(), inexact=pl.col("exact").is_not_null().any(),
            latest_exact=pl.col("exact").filter(actual).last(),
        )
    )


def judged(rows: pl.DataFrame, points: pl.DataFrame, quarters: pl.DataFrame, actuals: pl.DataFrame,
           method: str, cutoffs: Any) -> pl.DataFrame:
    """Every row with its projection, status and money; `in_range` false on the rows whose
    figures are left to `projection_exact`."""
    frame = (
        rows.lazy()
        .join(_sums(points), on="order", how="left")
        .join(quarters.lazy(), on="order", how="left")
        .join(_current_actuals(rows, actuals), on="order", how="left")
        .with_columns(n=pl.col("n").fill_null(0), provisional=pl.col("provisional").fill_null(False),
                      forecast=pl.col("forecast").fill_null(False),
                      s=points_of.units("from_"), t=points_of.units("target"), b=points_of.units("baseline"))
        .pipe(row_share)  # the row's share as reward-grant cuts it: equal parts or by weight
        .with_columns(**_cutoffs(cutoffs))
        .with_columns(in_range=_in_range())
    )
    # Out of range: every input of the arithmetic null, so nothing below can overflow.
    inputs = ["sx", "sxx", "sy", "sxy", "x1", "y1", "x0", "y0", "ya", "final_actual", "final_forecast", "s", "t", "b",
              "pennies"]
    frame = frame.with_columns(**{c: pl.when("in_range").then(pl.col(c)) for c in inputs})
    frame = (frame.with_columns(**_projection(method)).with_columns(**_measures())
             .with_columns(**_status()).with_columns(**_money()).with_columns(**_outputs()))
    return frame.collect(engine="in-memory")


def _current_actuals(rows: pl.DataFrame, actuals: pl.DataFrame) -> pl.LazyFrame:
    """The rows whose current year has an actual (basis `annual`)."""
    currents = rows.get_column("current").drop_nulls().unique()
    years = [f"{year}-{(year + 1) % 100:02d}" for year in currents.to_list()]
    return (
        rows.lazy().select("order", "area", "indicator", "subtarget", "current")
        .join(actuals.lazy().filter(pl.col("year").is_in(years))  # the few current years first
              .select("area", "indicator", "subtarget", current=pl.col("year").str.slice(0, 4).cast(pl.Int64)),
              on=["area", "indicator", "subtarget", "current"], how="semi", nulls_equal=True)
        .select("order", current_actual=pl.lit(True))
    )


def _cutoffs(cutoffs: Any) -> dict[str, pl.Expr]:
    """The on-track cut-off as an integer ratio (the at-risk one is per area, in the rows)."""
    on_num, on_den = cutoffs.on_track.as_integer_ratio()
    return {"on_num": pl.lit(on_num, I128), "on_den": pl.lit(on_den, I128)}


def _in_range() -> pl.Expr:
    """True when every product of the row's figures fits Int128: values and factors small
    enough that 3·n²·X²·|y| times the largest factor stays below LIMIT."""
    values = [pl.col(c).abs() for c in ("s", "t", "b")]
    narrow = pl.all_horizontal([(v < WIDE).fill_null(True) for v in values])
    largest_y = pl.max_horizontal(pl.col("ymax").fill_null(0), *[(v * 3).fill_null(0) for v in values])
    span = pl.max_horizontal(pl.col("xmax").fill_null(1), pl.lit(1, I128))
    factor = pl.max_horizontal(
        pl.col("pennies").fill_null(1), pl.col("shares").fill_null(1), pl.col("threshold_num").fill_null(1),
        pl.col("threshold_den").fill_null(1), pl.col("cap_num").fill_null(1), pl.col("cap_den").fill_null(1),
        "on_num", "on_den", "risk_num", "risk_den", span * 30_000, pl.lit(100, I128))
    n = pl.max_horizontal(pl.col("n").cast(I128), pl.lit(1, I128))
    small = (pl.col("n") <= 128) & (span <= 128) & (factor <= 2**61)
    fits = largest_y <= pl.lit(LIMIT, I128) // (3 * n * n * span * span * factor)
    # a value the frame's decimals do not hold exactly: its row is worked out from the exact text
    held = ~pl.col("inexact").fill_null(False) & pl.all_horizontal(
        pl.col(c).is_null() for c in ("baseline_exact", "target_exact", "from_exact"))
    # a weight whose portion has no small integers: its share is worked out in Fractions
    portioned = pl.col("portion").is_null() | pl.col("portion_num").is_not_null()
    return (narrow & held & portioned & pl.col("area_exact").fill_null(False) & small & fits).fill_null(False)


def _projection(method: str) -> dict[str, pl.Expr]:
    """The projected final value (pn / 3pd in 1e-10 units), the method, and the slope per year."""
    n, sx, sxx, sy, sxy = (pl.col(c) for c in ("n", "sx", "sxx", "sy", "sxy"))
    x1, y1, x0, y0 = (pl.col(c) for c in ("x1", "y1", "x0", "y0"))
    if method == "linear":  # least squares at x = 0; with two points, the line through them
        d = n * sxx - sx * sx
        pn, pd, sn, sd = sy * sxx - sx * sxy, d, n * sxy - sx * sy, d
    else:  # the latest change per year, continued to the final year
        dx = x1 - x0
        pn, pd, sn, sd = y1 * dx - (y1 - y0) * x1, dx, y1 - y0, dx
    one = pl.lit(1, I128)
    reported = pl.col("final_actual").is_not_null()
    forecast = ~reported & pl.col("final_forecast").is_not_null()
    trend = ~reported & ~forecast & (pl.col("n") >= 2)
    return {
        "method": pl.when(reported).then(pl.lit("actual")).when(forecast).then(pl.lit("forecast"))
        .when(trend).then(pl.lit(method)),
        "pn": pl.when(reported).then("final_actual").when(forecast).then("final_forecast").when(trend).then(pn),
        "pd": pl.when(reported | forecast).then(one).when(trend).then(pd),
        "sn": pl.when(trend).then(sn),
        "sd": pl.when(trend).then(sd),
    }


def _measures() -> dict[str, pl.Expr]:
    """Required pace, pace ratio, projected achievement (num / den > 0) and target met."""
    s, t, b, pn, pd = (pl.col(c) for c in ("s", "t", "b", "pn", "pd"))
    rn, rd = 3 * t - pl.col("y1"), -3 * pl.col("x1")
    required = pl.col("x1") < 0
    planned = t - s
    # Which way is better for this target (§6), and the side the final target is met on (§5:
    # by polarity, a neutral indicator by the move from baseline to target).
    better = better_direction_expr(s, t, b).cast(I128)
    no_worse = pl.when(better > 0).then(pn >= 3 * t * pd).when(better < 0).then(pn <= 3 * t * pd) \
        .otherwise(pn == 3 * t * pd)
    sense = polarity_sign_then().otherwise((t - b).sign()).cast(I128)
    ya = pl.col("ya")
    met = pl.when(sense > 0).then(ya >= 3 * t).when(sense < 0).then(ya <= 3 * t).otherwise(ya == 3 * t)
    pace = pl.col("sn").is_not_null() & required & (rn != 0)
    measurable = pn.is_not_null() & s.is_not_null() & t.is_not_null()
    return {
        "rn": pl.when(required).then(rn), "rd": pl.when(required).then(rd),
        "qn": pl.when(pace).then(pl.col("sn") * rd * rn.sign()),
        "qd": pl.when(pace).then(3 * pl.col("sd") * rn.abs()),
        "better": pl.when(measurable).then(better),
        "achieved_num": pl.when(measurable).then(
            pl.when(planned == 0).then(no_worse.cast(I128)).otherwise((pn - 3 * s * pd) * planned.sign())),
        "achieved_den": pl.when(measurable).then(
            pl.when(planned == 0).then(pl.lit(1, I128)).otherwise(3 * pd * planned.abs())),
        "met": met.fill_null(False),
    }


def _status() -> dict[str, pl.Expr]:
    num, den = pl.col("achieved_num"), pl.col("achieved_den")
    rule = (
        pl.when("met").then(pl.lit("latest-meets-final"))
        .when(pl.col("n") < 2).then(pl.lit("fewer-than-two-points"))
        .when(num.is_null()).then(pl.lit("nothing-to-measure-from"))
        .when(~pl.col("due")).then(pl.lit("not-collected-in-final-year"))
        .when(num * pl.col("on_den") >= pl.col("on_num") * den).then(pl.lit("projected-on-track"))
        .when(num * pl.col("risk_den") >= pl.col("risk_num") * den).then(pl.lit("projected-at-risk"))
        .otherwise(pl.lit("projected-off-track"))
    )
    status = rule.replace_strict({name: status for name, (status, _) in RULES.items()})
    return {"rule": rule, "status": status,
            # nothing is measured in a final year not collected, whatever the status (a target
            # met already is `target-met` first, §8): no projected value and no money (§6: £0)
            "projected": ~status.is_in(["insufficient-data", "not-due"]) & num.is_not_null() & pl.col("due")}


def _money() -> dict[str, pl.Expr]:
    """Reward's own arithmetic on the projected achievement, for reward rows with a projection."""
    pieces = figures()
    paid = pl.col("reward") & pl.col("projected")
    return {
        "share_pennies": pl.when("reward").then(pieces["share_pennies"]),
        "reward_pennies": pl.when(paid).then(pieces["reward_pennies"]),
        "payable_places": pl.when(paid).then(pieces["payable_places"]),
    }


def _outputs() -> dict[str, pl.Expr]:
    """The figures as the outputs write them: exact number texts rounded once."""
    d = pl.col("decimals").fill_null(0)
    projected = pl.col("projected")
    latest_year = pl.col("final_year") + pl.col("xa")
    return {
        "baseline": exact_or_decimal("baseline"),
        "target": exact_or_decimal("target"),
        "from": exact_or_decimal("from_"),
        "latest_period": pl.when(pl.col("period_type") == "calendar-year").then(latest_year.cast(pl.String))
        .otherwise(pl.format("{}-{}", latest_year, ((latest_year + 1) % 100).cast(pl.String).str.zfill(2))),
        "latest": pl.coalesce("latest_exact", number_text(pl.col("ya") // 3, pl.lit(10))),
        "year_to_date": value_text(pl.col("year_to_date"), pl.lit(3, I128), d),
        "year_end_forecast": value_text(pl.col("forecast_y"), pl.lit(3, I128), d),
        "forecast_basis": pl.when(pl.col("quarters").is_not_null())
        .then(pl.format("quarters ({} of 4)", pl.col("quarters")))
        .when(pl.col("current_actual").fill_null(False)).then(pl.lit("annual")).otherwise(pl.lit("none")),
        "points": pl.col("n").cast(pl.Int64),
        "method": pl.when(projected | pl.col("met")).then("method"),
        "slope_per_year": pl.when(projected | pl.col("met")).then(value_text(pl.col("sn"), 3 * pl.col("sd"), d)),
        "required_per_year": value_text(pl.col("rn"), pl.col("rd"), d),
        "pace_ratio": pl.when(projected | pl.col("met")).then(ratio_text(pl.col("qn"), pl.col("qd"))),
        "projected_final": pl.when(projected).then(value_text(pl.col("pn"), 3 * pl.col("pd"), d)),
        "projected_achievement": pl.when(projected).then(ratio_text(pl.col("achieved_num"), pl.col("achieved_den"))),
        "share": money_text(pl.col("share_pennies")),
        "projected_payable": number_text(pl.col("payable_places"), pl.lit(4)),
        "projected_reward": money_text(pl.col("reward_pennies")),
    }
