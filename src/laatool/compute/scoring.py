"""Scoring (DESIGN.md §5): progress against every agreed target, and the rule that decided it.

The arithmetic is exact. Values are Decimal(38, 10), so each is turned into an exact integer
count of 1e-10 units (Int128) and every comparison, rounding and share is integer arithmetic
in polars expressions over the whole frame: `achievement >= rag.amber` is decided by cross
multiplication, never by a rounded quotient, so 8.6 from 8.0 to 9.0 is exactly 0.6.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from laatool.base.errors import UsageError
from laatool.base.ids import IdentifierError, agreement_year, parse_period
from laatool.compute.actuals import target_actuals, target_returns, usable_returns
from laatool.compute.polarity import polarity_sign_then
from laatool.compute.targets import workspace_targets
from laatool.load.workspace import Workspace

# Each rule gives one status; every row names the rule that gave its status.
RULES = {
    "met-target": (
        "green",
        "the actual meets or beats the target (by polarity; a neutral indicator "
        "by the direction from baseline to target)",
    ),
    "maintain-met": ("green", "a maintain target (target = baseline) and the actual is no worse"),
    "amber-threshold": ("amber", "the target is not met; achievement is at least rag.amber"),
    "below-amber": ("red", "the target is not met; achievement is below rag.amber"),
    "maintain-missed": ("red", "a maintain target and the actual is worse (achievement 0)"),
    "no-return": ("no-data", "no return for the year"),
    "incomplete-quarters": ("no-data", "quarterly returns for the year, but not all four"),
    "no-baseline": (
        "no-data",
        "a target without a baseline whose actual does not meet it: "
        "the share of improvement cannot be measured",
    ),
    "placeholder": ("no-data", "a placeholder target with no target value agreed yet"),
}
STATUSES = ("green", "amber", "red", "no-data")
ROW_KEYS = (
    "indicator",
    "subtarget",
    "kind",
    "period",
    "baseline",
    "target",
    "actual",
    "achievement",
    "status",
    "rule",
    "direction",
    "provisional",
)
KEYS = ["area", "indicator", "sub_key"]
SCALE = 10  # targets and returns are Decimal(38, 10)
SHARE_PLACES = 10_000  # achievement is given to 4 decimal places, half away from zero


def score(workspace: Workspace, areas: list[str], period: str | None = None) -> ScoreReport:
    """Score every (sub-)target of the given areas, for every period or one (DESIGN.md §5)."""
    year = period_year(workspace, areas, period)
    docs = {
        area: workspace.agreement_docs[area] for area in areas if area in workspace.agreement_docs
    }
    targets = (
        workspace_targets(workspace, list(docs))
        .with_row_index("order")
        .filter(pl.col("period").is_not_null() | pl.col("placeholder"))
    )
    if year is not None:
        targets = targets.filter(_year_start("period") == year)
    # The actuals of every agreement's targets, shared with validation: rows of other areas
    # and years are left out by the joins from the targets.
    frame = score_frame(
        targets,
        target_actuals(workspace),
        quarters_seen(target_returns(workspace)),
        workspace.settings.rag.amber,
    )
    return ScoreReport.from_frame(
        frame, {area: doc.head.name for area, doc in docs.items()}, workspace.settings.rag.amber
    )


def period_year(workspace: Workspace, areas: list[str], period: str | None) -> int | None:
    """The agreement year `--period` selects (its first calendar year); a UsageError if it is
    not a year of any selected agreement."""
    if period is None:
        return None
    try:
        wanted = parse_period(period)
    except IdentifierError as error:
        raise UsageError(f"--period: {error}") from None
    if wanted.quarter:
        raise UsageError(
            f"--period: targets are set for years; give a year such as '{wanted.year}'"
        )
    known = sorted(
        {
            parse_period(p)
            for a in areas
            if a in workspace.agreement_docs
            for p in workspace.agreement_docs[a].head.periods
        }
    )
    year = wanted.agreement_year
    if known and year not in known:
        raise UsageError(
            f"--period: {year} is not a period of the agreements "
            f"(they run {', '.join(str(p) for p in known)})"
        )
    return year.start


def quarters_seen(returns: pl.DataFrame) -> pl.DataFrame:
    """How many different quarters were returned for each (area, indicator, subtarget, year)."""
    return (
        usable_returns(returns)
        .filter(pl.col("quarter").is_not_null())
        .group_by("area", "indicator", "subtarget", "year")
        .agg(quarters=pl.col("quarter").n_unique())
        .collect()
    )


def score_frame(
    targets: pl.DataFrame, actuals: pl.DataFrame, quarters: pl.DataFrame, amber: Decimal
) -> pl.DataFrame:
    """One scored row per target row, in the targets' `order`: the polars core of `score`."""

    def keyed(frame: pl.DataFrame, year: str) -> pl.LazyFrame:
        # A target's own row has a null subtarget; "" never collides with a sub-target id.
        return frame.lazy().with_columns(
            sub_key=pl.col("subtarget").fill_null(""), year=_year_start(year).fill_null(0)
        )

    years = keyed(actuals, "year")
    earlier = years.select(*KEYS, earlier_year="year", earlier="actual", earlier_exact="actual_exact"
                           ).sort("earlier_year")
    joined = (
        keyed(targets, "period")
        .with_columns(baseline_year=_year_start("baseline_period"))
        .join(years.select(*KEYS, "year", "actual", "actual_exact", "provisional"), on=[*KEYS, "year"], how="left")
        .join(
            keyed(quarters, "year").select(*KEYS, "year", "quarters"),
            on=[*KEYS, "year"],
            how="left",
        )
        .sort("year")
        .join_asof(
            earlier,
            left_on="year",
            right_on="earlier_year",
            by=KEYS,
            strategy="backward",
            allow_exact_matches=False,
            check_sortedness=False,
        )
        # The latest earlier actual, unless the baseline is more recent (DESIGN.md §5).
        .with_columns(
            previous=pl.when(_earlier_is_previous).then(pl.col("earlier")).otherwise(pl.col("baseline")),
            previous_exact=pl.when(_earlier_is_previous).then(pl.col("earlier_exact"))
            .otherwise(pl.col("baseline_exact")),
        )
        .with_columns(in_range=_in_range(amber))
    )
    # tens of thousands of target rows: the in-memory engine costs less than streaming here
    return joined.with_columns(**_judgement(amber)).sort("order").collect(engine="in-memory")


# The latest earlier actual, unless the baseline is more recent (DESIGN.md §5).
_earlier_is_previous = pl.col("earlier_year").is_not_null() & (
    pl.col("baseline_year").is_null() | (pl.col("earlier_year") >= pl.col("baseline_year")))
VALUES = ("actual", "target", "baseline", "previous")
# As in `laatool.compute.reward_frame`: with every factor of a product at most FACTORS and every value
# in units at most PRODUCTS over the largest factor, no product or sum below leaves Int128.
FACTORS = 2**61
PRODUCTS = 2**123


def _in_range(amber: Decimal) -> pl.Expr:
    """True on a row the frame scores exactly: its values are all held exactly by the frame's
    decimals and no product of its arithmetic can leave Int128. `laatool.compute.score_exact` scores
    the others, in Python."""
    factor = max(*amber.as_integer_ratio(), 2 * SHARE_PLACES, 10**SCALE)
    if factor > FACTORS:
        return pl.lit(False)
    largest = pl.max_horizontal([pl.col(c).to_physical().abs() for c in VALUES]).fill_null(0)
    held = pl.all_horizontal(pl.col(f"{c}_exact").is_null() for c in VALUES)
    return held & (largest <= pl.lit(PRODUCTS // factor, pl.Int128))


def _judgement(amber: Decimal) -> dict[str, pl.Expr]:
    """achievement, status, rule and direction as expressions over the joined frame."""
    actual, target = pl.col("actual"), pl.col("target")
    gained = _units("actual") - _units("baseline")
    planned = _units("target") - _units("baseline")
    maintain = planned == 0
    # +1 when higher is better, -1 when lower is; a neutral indicator follows its target.
    sense = polarity_sign_then().otherwise(planned.sign())
    met = (
        pl.when(sense > 0)
        .then(actual >= target)
        .when(sense < 0)
        .then(actual <= target)
        .when(sense == 0)
        .then(actual == target)
    )
    numerator, denominator = amber.as_integer_ratio()
    reaches_amber = (
        pl.when(maintain)
        .then(pl.lit(amber == 0))
        .otherwise(gained * denominator * planned.sign() >= numerator * planned.abs())
    )
    rule = (
        pl.when(pl.col("period").is_null())
        .then(pl.lit("placeholder"))
        .when(actual.is_null())
        .then(
            pl.when(pl.col("quarters") > 0)
            .then(pl.lit("incomplete-quarters"))
            .otherwise(pl.lit("no-return"))
        )
        .when(met & maintain)
        .then(pl.lit("maintain-met"))
        .when(met)
        .then(pl.lit("met-target"))
        .when(planned.is_null())
        .then(pl.lit("no-baseline"))
        .when(reaches_amber)
        .then(pl.lit("amber-threshold"))
        .when(maintain)
        .then(pl.lit("maintain-missed"))
        .otherwise(pl.lit("below-amber"))
    )
    share = (
        pl.when(maintain)
        # without an actual, `met` is null and so is achievement (DESIGN.md §6.1)
        .then(pl.when(met).then(SHARE_PLACES).when(~met).then(0))
        .otherwise(_share_places(gained, planned))
    )
    return {
        "achievement": share.cast(pl.Decimal(38, SCALE))
        / pl.lit(SHARE_PLACES).cast(pl.Decimal(38, SCALE)),
        "rule": rule,
        "status": rule.replace_strict({name: status for name, (status, _) in RULES.items()}),
        "direction": _direction(sense),
        "provisional": pl.col("provisional").fill_null(False),
    }


def _direction(sense: pl.Expr) -> pl.Expr:
    """Travel since the previous value, both rounded half up to the indicator's decimals.

    A neutral maintain target has no better side: moving closer to the target improves."""
    now, before = _rounded("actual"), _rounded("previous")
    aim = _rounded("target")
    better = (
        pl.when(sense == 0)
        .then((before - aim).abs() - (now - aim).abs())
        .otherwise((now - before) * sense)
    )
    return (
        pl.when(now.is_null() | before.is_null())
        .then(pl.lit("n/a"))
        .when(now == before)
        .then(pl.lit("unchanged"))
        .when(better > 0)
        .then(pl.lit("improving"))
        .when(better < 0)
        .then(pl.lit("worsening"))
        .when(better == 0)
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("n/a"))
    )


def _year_start(column: str) -> pl.Expr:
    """The first calendar year of the agreement year a period counts towards (`2008-09 Q1`,
    `2008-09` and the calendar year `2008` all give 2008)."""
    return agreement_year(pl.col(column)).str.slice(0, 4).cast(pl.Int64)


def _units(column: str) -> pl.Expr:
    """A Decimal(38, 10) as an exact integer number of 1e-10 units, on the rows in range (null
    on the others, so that nothing can overflow)."""
    return pl.when(pl.col("in_range")).then(pl.col(column).to_physical())


def _rounded(column: str) -> pl.Expr:
    """The value rounded half away from zero to its indicator's `decimals`, in those units."""
    step = pl.lit(10, pl.Int64).pow(SCALE - pl.col("decimals")).cast(pl.Int128)
    units = _units(column)
    return units.sign() * ((units.abs() + step // 2) // step)


def _share_places(gained: pl.Expr, planned: pl.Expr) -> pl.Expr:
    """gained / planned in 1e-4 units, rounded half away from zero, exactly."""
    return (gained.sign() * planned.sign()) * (
        (2 * SHARE_PLACES * gained.abs() + planned.abs()) // (2 * planned.abs())
    )


@dataclass
class AreaScore:
    area: str
    name: str
    rows: list[dict[str, Any]]

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row["status"]] += 1
        return counts


@dataclass
class ScoreReport:
    """`laatool score`: every area's scored rows; JSON exactly as DESIGN.md §7.2.

    It keeps the scored frame; the rows become Python values only for the formats that need
    them (table, CSV, XLSX), while JSON is written from the frame (`render.report_json`).
    """

    frame: pl.DataFrame  # area, title, polarity, order and ROW_KEYS, in the targets' order
    names: dict[str, str]  # area -> name
    amber: Decimal
    in_python: dict[int, dict[str, Any]]  # by `order`: the rows scored in Python, as ROW_KEYS

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, names: dict[str, str], amber: Decimal) -> ScoreReport:
        from laatool.compute.score_exact import judged

        in_python = {}
        rest = frame.filter(~pl.col("in_range")) if "in_range" in frame.columns else frame.clear()
        for row in rest.iter_rows(named=True):
            row.update(judged(row, amber))
            row["status"] = RULES[row["rule"]][0]
            in_python[row["order"]] = {key: row[key] for key in ROW_KEYS}
        # the rows scored in Python take their status from there, for the summary
        frame = frame.select("area", "title", "polarity", "order", *ROW_KEYS)
        if in_python:
            statuses = pl.DataFrame({"order": list(in_python),
                                     "exact_status": [r["status"] for r in in_python.values()]},
                                    schema={"order": frame.schema["order"], "exact_status": pl.String})
            frame = (frame.join(statuses, on="order", how="left", maintain_order="left")
                     .with_columns(status=pl.coalesce("exact_status", "status")).drop("exact_status"))
        return cls(frame, names, amber, in_python)

    @functools.cached_property
    def areas(self) -> list[AreaScore]:
        areas = {area: AreaScore(area, name, []) for area, name in sorted(self.names.items())}
        for row in self.frame.drop("title", "polarity").to_dicts():
            order = row.pop("order")
            area = row.pop("area")
            areas[area].rows.append(self.in_python.get(order, row))
        return list(areas.values())

    @functools.cached_property
    def labels(self) -> dict[str, tuple[str, str]]:
        """indicator -> (title, polarity), for people."""
        return {indicator: (title or "", polarity or "") for indicator, title, polarity
                in self.frame.select("indicator", "title", "polarity").iter_rows()}

    def to_json(self) -> dict[str, Any]:
        return {
            "areas": [
                {"area": a.area, "name": a.name, "rows": a.rows, "summary": a.summary}
                for a in self.areas
            ]
        }

    def to_rows(self) -> list[dict[str, Any]]:
        return [{"area": a.area, "name": a.name, **row} for a in self.areas for row in a.rows]

