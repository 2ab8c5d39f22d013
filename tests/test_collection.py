"""Collection years of biennial indicators (DESIGN.md §9): what `is_due` answers for score,
projection and templates alike."""

from __future__ import annotations

import polars as pl
import pytest

from conftest import EXAMPLES
from laatool.base.models import Indicator
from laatool.compute.collection import due, is_due


def survey(collection: list[str] | None, period_type: str = "financial-year") -> Indicator:
    return Indicator(id="T-SURVEY", title="Survey", polarity="higher", unit="percent", decimals=1,
                     frequency="biennial", period_type=period_type, survey=True,
                     collection_periods=collection)


@pytest.mark.parametrize(("period", "expected"), [
    ("2008-09", True),      # the autumn 2008 Place Survey
    ("2009-10", False),     # the fallow year
    ("2010-11", True),      # the survey planned for autumn 2010
    ("2010-11 Q3", True),   # a quarter counts towards its year
    ("2009/10", False),     # written any accepted way
    ("2011-12", False),
])
def test_place_survey_years(period, expected):
    assert is_due(survey(["2008-09", "2010/11"]), period) is expected


def test_without_collection_periods_every_year_is_due():
    assert is_due(survey(None), "2009-10") is True


def test_calendar_year_collection_counts_towards_the_agreement_year_it_starts():
    # a calendar-2010 survey is the 2010-11 agreement year's value (docs/decisions.md)
    indicator = survey(["2008", "2010"], "calendar-year")
    assert [is_due(indicator, p) for p in ("2008", "2009", "2010-11")] == [True, False, True]


def test_bundled_place_survey_indicators_name_2008_09_and_2010_11():
    from laatool.api import load_workspace

    indicators = load_workspace(EXAMPLES).indicators
    place = [1, 2, 3, 4, 5, 6, 17, 21, 22, 23, 27, 37, 41, 42, 119, 138, 139, 140]
    assert sorted(int(i.id[3:]) for i in indicators.values() if i.source == "Place Survey") == place
    for number in place:
        indicator = indicators[f"NI {number}"]
        assert indicator.collection_periods == ["2008-09", "2010-11"], number
        assert indicator.interval_method == "wilson", number
    assert indicators["NI 154"].collection_periods is None
    # TellUs ran every year: intervals without collection years
    for number in (50, 69, 110, 115, 199):
        indicator = indicators[f"NI {number}"]
        assert (indicator.interval_method, indicator.collection_periods) == ("wilson", None), number


def test_due_over_a_frame_matches_is_due():
    frame = pl.DataFrame({"year": [2008, 2009, 2010, 2009],
                          "years": [[2008, 2010], [2008, 2010], [2008, 2010], None]},
                         schema={"year": pl.Int64, "years": pl.List(pl.Int64)})
    assert frame.select(due(pl.col("year"), pl.col("years"))).to_series().to_list() == [True, False, True, True]
