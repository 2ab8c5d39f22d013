"""The synthetic series behind the benchmark's returns: one per area, indicator and sub-target.

A `Profile` says, from an indicator's definition, where its values live (in integer units of
10^-decimals, inside its valid range) and which periods it is reported for. `series_frame`
holds one row of parameters per series; `rows_frame` expands it over the periods with polars
expressions and turns the integer units into the decimal text of the CSV.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import polars as pl

# 1990-91 is the oldest period laatool takes; most NIS measures went on being published by their
# departments after the NIS ended in 2011, so the series run on to 2017-18.
FIRST_YEAR, BASE_YEAR, LAST_YEAR = 1990, 2007, 2017
AGREEMENT_YEARS = ["2008-09", "2009-10", "2010-11"]
# How wide a band of values to use when the indicator's range has no upper bound.
SPAN = {
    "count": 5000,
    "days": 60,
    "gbp": 50000,
    "other": 100,
    "rate": 500,
    "ratio": 5,
    "score": 100,
}
# The quarterly shape's quarters: five years, up to the last year of the agreements.
QUARTERS_FROM, QUARTERS_TO = 2006, 2010
# The published shape's survey years (the Place Survey was biennial: 2006-07, 2008-09, 2010-11).
SURVEY_PARITY = 0
NOTES = [
    "revised, see the covering note",
    "provisional figure from the department's first release",
    "final figure, as published",
    "includes a correction to the previous quarter",
]
MODULUS = 2_147_483_647  # 2^31 - 1: products of two residues still fit in an Int64


@dataclass(frozen=True)
class Profile:
    id: str
    number: int
    decimals: int
    low: int  # smallest and largest value used, in units of 10^-decimals
    high: int
    polarity: str
    statutory: bool
    kind: str  # 'fy' (financial or academic year), 'cal' (calendar year) or 'q' (quarters)
    ratio: bool  # a percentage of a count: numerator and denominator are given
    survey: bool
    biennial: bool  # collected in named years only (the Place Survey's): `published` has those years only
    scale: int = 1  # value = numerator / denominator × scale (100 for a percentage, rate_per for a rate)

    @property
    def designatable(self) -> bool:
        """Wide enough to plan three yearly steps inside the range."""
        return self.high - self.low >= 100

    @property
    def baseline_period(self) -> str:
        return str(BASE_YEAR) if self.kind == "cal" else f"{BASE_YEAR}-{(BASE_YEAR + 1) % 100:02d}"

    def direction(self, rng: random.Random) -> int:
        return {"higher": 1, "lower": -1}.get(self.polarity) or rng.choice((1, -1))

    def level(self, rng: random.Random) -> int:
        width = self.high - self.low
        return rng.randint(self.low + int(width * 0.35), self.high - int(width * 0.35))

    def step(self, rng: random.Random) -> int:
        return max(1, round((self.high - self.low) * rng.uniform(0.003, 0.02)))


def profiles(definitions: list[dict]) -> list[Profile]:
    """A profile for every active indicator, in NI order."""
    found = []
    for d in definitions:
        if d.get("status", "active") != "active":
            continue
        scale = 10 ** d["decimals"]
        valid = d.get("range") or {}
        low = valid.get("min")
        high = valid.get("max")
        low = 0 if low is None else low
        if high is None:
            high = 100 if d["unit"] == "percent" else low + SPAN.get(d["unit"], 1000)
        kind = "q" if d["frequency"] == "quarterly" else "cal" if d["period_type"] == "calendar-year" else "fy"
        found.append(
            Profile(
                id=d["id"],
                number=int(d["id"].split()[1]),
                decimals=d["decimals"],
                low=int(low * scale),
                high=int(high * scale),
                polarity=d["polarity"],
                statutory=bool(d.get("statutory")),
                kind=kind,
                ratio=d["unit"] == "percent" and low >= 0 and not d.get("survey"),
                survey=bool(d.get("survey")),
                biennial=bool(d.get("collection_periods")),
                scale={"percent": 100, "rate": d.get("rate_per") or 1}.get(d["unit"], 1),
            )
        )
    return sorted(found, key=lambda p: p.number)


def series_frame(
    catalogue: list[Profile],
    plans: list[dict],
    areas: list[str],
    rng: random.Random,
    reported: dict[str, list[Profile]] | None = None,
) -> pl.DataFrame:
    """One row per series: every area reports every indicator (or those `reported` gives for
    it); targets and sub-targets follow their plans, the other series get a level and trend of
    their own."""
    planned = {(p["area"], p["indicator"], p["subtarget"]): p for p in plans}
    subtargets: dict[tuple[str, str], list[dict]] = {}
    for plan in plans:
        if plan["subtarget"] is not None:
            subtargets.setdefault((plan["area"], plan["indicator"]), []).append(plan)
    rows = []
    for area in areas:
        for profile in (reported or {}).get(area, catalogue):
            main = planned.get((area, profile.id, None))
            if main is None:
                step = profile.step(rng)
                main = {
                    "subtarget": None,
                    "level": profile.level(rng),
                    "noise": step * 0.6,
                    "trend": rng.choice((1, -1)) * step * rng.uniform(0.3, 1.4),
                }
            for plan in [main, *subtargets.get((area, profile.id), [])]:
                rows.append(
                    {
                        "series": len(rows),
                        "area": area,
                        "indicator": profile.id,
                        "subtarget": plan["subtarget"],
                        "kind": profile.kind,
                        "decimals": profile.decimals,
                        "low": profile.low,
                        "high": profile.high,
                        "level": plan["level"],
                        "trend": plan["trend"],
                        "noise": plan["noise"],
                        "ratio": profile.ratio,
                        "survey": profile.survey,
                        "biennial": profile.biennial,
                        "per": profile.scale,
                    }
                )
    return pl.DataFrame(
        rows,
        schema={
            "series": pl.Int64,
            "area": pl.String,
            "indicator": pl.String,
            "subtarget": pl.String,
            "kind": pl.String,
            "decimals": pl.Int64,
            "low": pl.Int64,
            "high": pl.Int64,
            "level": pl.Int64,
            "trend": pl.Float64,
            "noise": pl.Float64,
            "ratio": pl.Boolean,
            "survey": pl.Boolean,
            "biennial": pl.Boolean,
            "per": pl.Int64,
        },
    )


def periods_frame(shape: str = "national") -> pl.DataFrame:
    """Every period of every kind, with its offset from the baseline year and its quarter, as the
    shape writes it. `published`: financial and academic years as departments publish them
    (`2008/09`). `quarterly`: a quarterly indicator by year for every year, and by quarter for
    the five years up to the agreement's last (2006-07 Q1 to 2010-11 Q4)."""
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        fy = f"{year}-{(year + 1) % 100:02d}"
        written = f"{year}/{(year + 1) % 100:02d}" if shape == "published" else fy
        rows.append(("fy", year - BASE_YEAR, 0, written))
        rows.append(("cal", year - BASE_YEAR, 0, str(year)))
        if shape != "quarterly":
            rows += [("q", year - BASE_YEAR, q, f"{fy} Q{q}") for q in range(1, 5)]
            continue
        rows.append(("q", year - BASE_YEAR, 0, fy))
        if QUARTERS_FROM <= year <= QUARTERS_TO:
            rows += [("q", year - BASE_YEAR, q, f"{fy} Q{q}") for q in range(1, 5)]
    return pl.DataFrame(
        rows,
        schema={"kind": pl.String, "t": pl.Int64, "q": pl.Int64, "period": pl.String},
        orient="row",
    )


def _hash(seed: int, salt: int) -> pl.Expr:
    """A seeded pseudo-random residue per (series, period): plain integer arithmetic, so it is the
    same on every machine and polars version."""
    x = (
        pl.col("series") * 7919 + (pl.col("t") + 50) * 104729 + pl.col("q") * 1299709 + (seed * 31 + salt) * 15485863
    ) % MODULUS + 1
    x = x * 48271 % MODULUS
    x = (x * x + pl.col("series")) % MODULUS
    return x * 48271 % MODULUS


def _text(units: pl.Expr) -> pl.Expr:
    """Integer units of 10^-decimals as decimal text (`decimals` is a column)."""
    scale = pl.lit(10, pl.Int64).pow(pl.col("decimals"))
    whole = (units.abs() // scale).cast(pl.String)
    fraction = (units.abs() % scale).cast(pl.String).str.zfill(pl.col("decimals"))
    sign = pl.when(units < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return (
        pl.when(pl.col("decimals") == 0)
        .then(pl.concat_str(sign, whole))
        .otherwise(pl.concat_str(sign, whole, pl.lit("."), fraction))
    )


def rows_frame(series: pl.DataFrame, seed: int, shape: str = "national") -> pl.DataFrame:
    """Every return row, in the column order of DESIGN.md §4.3, sorted by series and period.

    `full` fills every optional column of every row: a numerator and denominator that give the
    value exactly (value = numerator / denominator × scale), a sample size, confidence limits
    around the value, a status and a note. `published` has the biennial (survey)
    indicators in their survey years only. The other shapes fill numerator and denominator for percentages of a
    count, sample size and limits for survey indicators, and a note on one row in a thousand."""
    full = shape == "full"
    offset = pl.when(pl.col("q") > 0).then(pl.col("t") + (pl.col("q") - 4) / 4).otherwise(pl.col("t"))
    noise = (_hash(seed, 1) / MODULUS * 2 - 1) * pl.col("noise") * (pl.col("t") != 0)
    value = (pl.col("level") + pl.col("trend") * offset + noise).round(0).clip(pl.col("low"), pl.col("high"))
    pick, scale = _hash(seed, 2), pl.lit(10, pl.Int64).pow(pl.col("decimals"))
    multiple = pick % 9 + 1  # numerator/denominator × scale = value exactly
    interval = 3 * scale  # confidence interval: +/- 3 points
    blank = pl.lit(None, pl.String)
    ratio, survey = (pl.lit(True), pl.lit(True)) if full else (pl.col("ratio"), pl.col("survey"))
    denominator = pl.col("per") * scale * multiple
    # a survey's numerator counts some of its sample: the full shape's sample is never smaller
    sample = 900 + pl.col("pick") % 600
    sample = pl.max_horizontal(sample, denominator) if full else sample
    status = pl.when((pl.col("t") == LAST_YEAR - BASE_YEAR) & (pl.col("pick") % 97 == 0)).then(pl.lit("provisional"))
    status = (
        status.otherwise(pl.lit("final"))
        if full
        else status.when(pl.col("pick") % 10 == 0).then(blank).otherwise(pl.lit("final"))
    )
    note = (
        (pl.col("pick") % len(NOTES)).replace_strict(list(range(len(NOTES))), NOTES, return_dtype=pl.String)
        if full
        else pl.when(pl.col("pick") % 1000 == 1).then(pl.lit(NOTES[0])).otherwise(blank)
    )
    frame = series.lazy().join(periods_frame(shape).lazy(), on="kind")
    if shape == "published":
        frame = frame.filter(~pl.col("biennial") | ((pl.col("t") + BASE_YEAR) % 2 == SURVEY_PARITY))
    return (
        frame.with_columns(units=value.cast(pl.Int64), pick=pick)
        .select(
            "area",
            "indicator",
            "period",
            value=_text(pl.col("units")),
            subtarget="subtarget",
            numerator=pl.when(ratio).then((pl.col("units") * multiple).cast(pl.String)).otherwise(blank),
            denominator=pl.when(ratio).then(denominator.cast(pl.String)).otherwise(blank),
            sample_size=pl.when(survey).then(sample.cast(pl.String)).otherwise(blank),
            lower_ci=pl.when(survey).then(_text(pl.max_horizontal(pl.col("units") - interval, "low"))).otherwise(blank),
            upper_ci=pl.when(survey)
            .then(_text(pl.min_horizontal(pl.col("units") + interval, "high")))
            .otherwise(blank),
            status=status,
            note=note,
            series="series",
            t="t",
            q="q",
        )
        .sort("series", "t", "q")
        .drop("series", "t", "q")
        .collect()
    )
