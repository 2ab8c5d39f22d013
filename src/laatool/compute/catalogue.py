"""The indicator catalogue: listing and searching it (`laatool indicators`), and the catalogue
as a frame for the joins of checking, scoring and reward."""

from __future__ import annotations

import operator
from typing import Any

import polars as pl

from laatool.base.ids import IdentifierError, normalise_indicator_id
from laatool.base.models import Indicator
from laatool.base.numbers import frame_of
from laatool.compute.collection import collection_years


def sort_key(indicator_id: str) -> tuple:
    if indicator_id.startswith("NI "):
        return (0, int(indicator_id[3:]), "")
    return (1, 0, indicator_id)


def search(
    indicators: dict[str, Indicator],
    query: str = "",
    *,
    department: str | None = None,
    statutory: bool = False,
    include_deleted: bool = False,
) -> list[Indicator]:
    """The indicator whose id `query` is (in any spelling), else those whose title, source or
    notes hold every word of it: `NI 8` is NI 8 alone, not also every text with "ni" and "8"
    in it (`knife`, `18`)."""
    chosen = []
    try:
        wanted_id = normalise_indicator_id(query) if query.strip() else None
    except IdentifierError:
        wanted_id = None
    words = [] if wanted_id in indicators else query.lower().split()
    for indicator in sorted(indicators.values(), key=lambda i: sort_key(i.id)):
        if indicator.status == "deleted" and not include_deleted and indicator.id != wanted_id:
            continue
        if department and (indicator.department or "").lower() != department.lower():
            continue
        if statutory and not indicator.statutory:
            continue
        text = " ".join([indicator.title, indicator.source or "", indicator.notes or ""]).lower()
        if wanted_id in indicators and indicator.id != wanted_id:
            continue
        if words and indicator.id != wanted_id and not all(word in text for word in words):
            continue
        chosen.append(indicator)
    return chosen


def find(indicators: dict[str, Indicator], text: str) -> Indicator | None:
    try:
        return indicators.get(normalise_indicator_id(text))
    except IdentifierError:
        return None


def indicator_document(indicator: Indicator) -> dict[str, Any]:
    """An indicator as JSON: every field, in the file format's order."""
    return indicator.model_dump(mode="python")


def unit_shown(indicator: Indicator) -> str:
    """The indicator's unit as a person reads it: a rate with its base (`rate per 1,000`)."""
    if indicator.unit == "rate" and indicator.rate_per is not None:
        return f"rate per {indicator.rate_per.normalize():,f}"
    return indicator.unit


def indicator_frame(indicators: dict[str, Indicator]) -> pl.DataFrame:
    """The catalogue as a frame, for joins against returns and targets: made once for the same
    indicators (the same frozen models), which a run asks for several times."""
    models = tuple(indicators.values())
    if _FRAMED and len(_FRAMED[0][0]) == len(models) and all(map(operator.is_, _FRAMED[0][0], models)):
        return _FRAMED[0][1]
    frame = _indicator_frame(models)
    _FRAMED[:] = [(models, frame)]
    return frame


# The last catalogue frame made, with the models it was made from (`indicator_frame`).
_FRAMED: list[tuple[tuple[Indicator, ...], pl.DataFrame]] = []


def _indicator_frame(indicators: tuple[Indicator, ...]) -> pl.DataFrame:
    rows = [
        {
            "indicator": i.id,
            "title": i.title,
            "polarity": i.polarity,
            "decimals": i.decimals,
            "frequency": i.frequency,
            "period_type": i.period_type,
            "cumulative": i.cumulative,
            "unit": i.unit,
            "status": i.status,
            "survey": i.survey,
            "statutory": i.statutory,
            "range_min": i.valid_range.min,
            "range_max": i.valid_range.max,
            "ci_method": i.interval_method,
            "design_effect": i.design_effect,
            "rate_per": i.rate_per,
            "collection_years": collection_years(i),
            "change_tolerance": i.tolerance,
        }
        for i in indicators
    ]
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "indicator": pl.String, "title": pl.String, "polarity": pl.String, "decimals": pl.Int64, "frequency": pl.String,
        "period_type": pl.String, "cumulative": pl.Boolean, "unit": pl.String, "status": pl.String,
        "survey": pl.Boolean, "statutory": pl.Boolean,
        "range_min": pl.Decimal(38, 10), "range_max": pl.Decimal(38, 10),
        "ci_method": pl.String, "design_effect": pl.Decimal(38, 10), "rate_per": pl.Decimal(38, 10),
        "collection_years": pl.List(pl.Int64), "change_tolerance": pl.Decimal(38, 10),
    }
    return frame_of(rows, schema)
