"""What `laatool project` gives (DESIGN.md §8): the report, its rows' keys, and how its
figures are written: exact texts, rounded once, half away from zero.

The frame's figures are exact integer ratios; `value_text`, `ratio_text` and `money_text`
turn them into the decimal texts the outputs write, in polars over the whole frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import polars as pl

from laatool.base.money import half_up, money
from laatool.compute.reward import after_adjustment
from laatool.compute.targets import group_titles

if TYPE_CHECKING:
    from laatool.base.models import Scheme

I128 = pl.Int128
# An area's money (`ProjectionReport.totals`), after its maximum in the JSON.
AREA_MONEY = ("projected_total", "at_risk", "projected_grant")
STATUSES = ("target-met", "on-track", "at-risk", "off-track", "insufficient-data", "not-due")
ROW_KEYS = ("indicator", "subtarget", "kind", "reward", "baseline", "target", "from", "latest_period", "latest",
            "year_to_date", "year_end_forecast", "forecast_basis", "points", "method", "slope_per_year",
            "required_per_year", "pace_ratio", "projected_final", "projected_achievement", "status", "rule",
            "provisional", "forecast", "share", "projected_payable", "projected_reward",
            # DESIGN.md §6.1: a target group's slug on its sub-targets' rows, after the older fields
            "group")
# Row keys written as exact number texts in the frame (they are numbers in JSON).
NUMBER_TEXTS = ("baseline", "target", "from", "latest", "year_to_date", "year_end_forecast", "slope_per_year",
                "required_per_year", "pace_ratio", "projected_final", "projected_achievement", "projected_payable")
MONEY_TEXTS = ("share", "projected_reward")
# The exact projected achievement (over a positive denominator) is kept for `opportunities`;
# the rows worked out in Python (`projection_exact`) leave it null.
OUT = ["order", "in_range", *ROW_KEYS, "share_pennies", "reward_pennies", "achieved_num", "achieved_den"]



def value_text(numerator: pl.Expr, denominator: pl.Expr, decimals: pl.Expr) -> pl.Expr:
    """A value of numerator / denominator 1e-10 units, rounded half away from zero to the
    indicator's decimals + 2 places, as its exact text."""
    places = decimals + 2
    ten = pl.lit(10, I128)
    steps = (pl.when(places <= 10).then(half_up(numerator, denominator * ten.pow((10 - places).clip(0)).cast(I128)))
             .otherwise(half_up(numerator * ten.pow((places - 10).clip(0)).cast(I128), denominator)))
    return number_text(steps, places)


def ratio_text(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return number_text(half_up(numerator * 10_000, denominator), pl.lit(4))


def money_text(pennies: pl.Expr) -> pl.Expr:
    return number_text(pennies, pl.lit(2), strip=False)


def exact_or_decimal(column: str) -> pl.Expr:
    """A Decimal(38, 10) column's value as its exact text: the text beside it (`<column>_exact`)
    where the frame's decimal is not the value, else the decimal without trailing zeros."""
    text = pl.col(column).cast(pl.String).str.strip_chars_end("0").str.strip_chars_end(".")
    written = pl.when(text == "-0").then(pl.lit("0")).otherwise(text)
    return pl.coalesce(f"{column.rstrip('_')}_exact", written)


def number_text(steps: pl.Expr, places: pl.Expr, strip: bool = True) -> pl.Expr:
    """A whole number of 10^-places as decimal text: `1250` at 2 places is `12.5` (`12.50`
    unstripped), `-3` at 4 places `-0.0003`, 0 is `0`."""
    digits = steps.abs().cast(pl.String).str.zfill(places + 1)
    whole = digits.str.slice(0, digits.str.len_chars() - places)
    fraction = digits.str.tail(places)
    if strip:
        fraction = fraction.str.strip_chars_end("0")
    text = pl.when(fraction == "").then(whole).otherwise(pl.format("{}.{}", whole, fraction))
    return pl.when(steps < 0).then(pl.format("-{}", text)).otherwise(text)


@dataclass
class AreaProjection:
    area: str
    name: str
    as_at: str | None
    maximum: Decimal
    on_track: Decimal  # the cut-offs used: projected achievement at least this is on-track,
    at_risk: Decimal  # at least this at-risk
    # the area's scheme: its money is the rewards', before the adjustment a grant is paid after
    scheme: Scheme | None = None


@dataclass
class ProjectionReport:
    """`laatool project`: every area's projected rows, its projected total and what is at risk.

    The frame holds the rows in order, their numbers as exact texts (`NUMBER_TEXTS`, money in
    `MONEY_TEXTS`); its JSON is written from the frame (`render.projection_json`), its table by
    `render.projection_table`."""

    as_at: str | None  # the --as-at option, normalised
    method: str
    areas: list[AreaProjection]
    frame: pl.DataFrame
    # by `order`: the exact projected achievement of each row worked out in Python (`in_range`
    # false) that has one shown; the frame's `achieved_num`/`achieved_den` are not theirs
    in_python: dict[int, Fraction] = field(default_factory=dict)

    @property
    def group_titles(self) -> dict[tuple[str, str], str]:
        """(area, group slug) -> the target group's title, for people."""
        return group_titles(self.frame)

    def totals(self) -> dict[str, dict[str, Any]]:
        """Per area: projected_total, at_risk and projected_grant (money texts) and the count of
        each status. projected_grant is the projected total after the area's scheme's
        adjustment, to the penny: the grant the projection would give, as reward-grant pays it."""
        at_risk = pl.col("status").is_in(["at-risk", "off-track"])
        sums = self.frame.group_by("area").agg(
            total=pl.col("reward_pennies").sum(), risk=pl.col("share_pennies").filter(at_risk).sum(),
            **{status: (pl.col("status") == status).sum() for status in STATUSES})
        found = {row["area"]: row for row in sums.iter_rows(named=True)}
        result = {}
        for a in self.areas:
            row = found.get(a.area, {})
            total = Decimal(row.get("total") or 0).scaleb(-2)
            result[a.area] = {
                "projected_total": money(total),
                "at_risk": money(Decimal(row.get("risk") or 0).scaleb(-2)),
                "projected_grant": money(total if a.scheme is None else after_adjustment(total, a.scheme)),
                "summary": {status: int(row.get(status) or 0) for status in STATUSES},
            }
        return result

    def rows_of(self) -> dict[str, list[dict[str, Any]]]:
        """Each area's rows as Python values: number texts as Decimals."""
        rows: dict[str, list[dict[str, Any]]] = {a.area: [] for a in self.areas}
        for row in self.frame.select("area", *ROW_KEYS).iter_rows(named=True):
            area = row.pop("area")
            for key in NUMBER_TEXTS:
                if row[key] is not None:
                    row[key] = Decimal(row[key])
            rows[area].append(row)
        return rows

    def to_json(self) -> dict[str, Any]:
        totals, rows = self.totals(), self.rows_of()
        return {"as_at": self.as_at, "method": self.method, "areas": [
            {"area": a.area, "name": a.name, "as_at": a.as_at, "maximum": money(a.maximum),
             **{key: totals[a.area][key] for key in AREA_MONEY},
             "rows": rows[a.area], "summary": totals[a.area]["summary"]} for a in self.areas]}

    columns = ["area", "name", "as_at", *ROW_KEYS]  # the CSV's header, a row or none

    def to_rows(self) -> list[dict[str, Any]]:
        rows = self.rows_of()
        return [{"area": a.area, "name": a.name, "as_at": a.as_at, **row} for a in self.areas for row in rows[a.area]]
