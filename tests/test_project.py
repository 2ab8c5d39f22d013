"""`laatool project` (DESIGN.md §8): projections, statuses and indicative money worked by hand.

Gamma's agreement runs 2008-09 to 2010-11, so the final year is 2010 and a point's x is its
year less 2010. Least squares at x = 0 is (Σy·Σx² − Σx·Σxy) / D and the slope
(n·Σxy − Σx·Σy) / D, with D = n·Σx² − (Σx)². Gamma's maximum, £1,100,000, is shared by eleven
reward targets (the designated ones): £100,000 each; NI 154's two sub-targets £50,000 each.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

from conftest import EXAMPLES, invoke

GAMMA = {
    "indicators/GAMMA-01.yaml": """
        id: GAMMA-01
        title: Households helped into work (cumulative in the year)
        polarity: higher
        unit: count
        decimals: 0
        frequency: quarterly
        period_type: financial-year
        cumulative: true
        """,
    "agreements/gamma.yaml": """
        area: gamma
        name: Gamma
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1100000.00}
        targets:
          - {indicator: NI 192, kind: designated, baseline: {period: 2007-08, value: 30}, targets: {2010-11: 40}}
          - indicator: NI 175
            kind: designated
            baseline: {period: 2008-09, value: 50}
            targets: {2010-11: 56}
            expected_without_agreement: 51
          - {indicator: NI 16, kind: designated, baseline: {period: 2006-07, value: 30}, targets: {2010-11: 24}}
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 500}
            targets: {2010-11: 600}
            expected_without_agreement: 520
            subtargets:
              - {id: north, baseline: {period: 2007-08, value: 200}, targets: {2010-11: 240}}
              - {id: south, baseline: {period: 2007-08, value: 300}, targets: {2010-11: 360}}
          - {indicator: NI 155, kind: designated, baseline: {period: 2007-08, value: 100}, targets: {2010-11: 150}}
          - {indicator: NI 20, kind: designated, baseline: {period: 2007-08, value: 10}, targets: {2010-11: 8}}
          - {indicator: NI 47, kind: designated, baseline: {period: 2007-08, value: 200}, targets: {2010-11: 170}}
          - {indicator: NI 195, kind: designated, baseline: {period: 2007-08, value: 8}, targets: {2010-11: 8}}
          - {indicator: NI 152, kind: designated, baseline: {period: 2007-08, value: 15}, targets: {2010-11: 13}}
          - {indicator: NI 165, kind: designated, baseline: {period: 2007, value: 20}, targets: {2010-11: 26}}
          - {indicator: NI 8, kind: designated, baseline: {period: 2007-08, value: 20}, targets: {2010-11: 30}}
          - {indicator: GAMMA-01, kind: local, baseline: {period: 2007-08, value: 100}, targets: {2010-11: 140}}
        """,
    "returns/gamma.csv": (
        "area,indicator,subtarget,period,value,status\n"
        "gamma,NI 192,,2008-09,32,\n"
        "gamma,NI 192,,2009-10,35,\n"
        "gamma,NI 175,,2009-10,53,\n"
        "gamma,NI 16,,2007-08,29,\n"
        "gamma,NI 16,,2008-09,27,\n"
        "gamma,NI 16,,2009-10,26,\n"
        "gamma,NI 154,,2008-09,530,\n"
        "gamma,NI 154,,2009-10,560,\n"
        "gamma,NI 154,,2010-11,590,provisional\n"
        "gamma,NI 154,north,2009-10,220,\n"
        "gamma,NI 154,south,2009-10,310,\n"
        "gamma,NI 155,,2008-09,120,\n"
        "gamma,NI 155,,2009-10,155,\n"
        "gamma,NI 20,,2008-09,9,\n"
        "gamma,NI 20,,2009-10,7.9,\n"
        "gamma,NI 195,,2008-09,7,\n"
        "gamma,NI 195,,2009-10,9,\n"
        "gamma,NI 152,,2008-09,14.6,\n"
        "gamma,NI 152,,2009-10,14.0,\n"
        "gamma,NI 152,,2010-11 Q1,13.8,\n"
        "gamma,NI 152,,2010-11 Q2,13.5,provisional\n"
        "gamma,NI 165,,2008,21,\n"
        "gamma,NI 165,,2009,23,\n"
        "gamma,NI 8,,2009-10,24,\n"
        "gamma,GAMMA-01,,2008-09,110,\n"
        "gamma,GAMMA-01,,2009-10 Q1,30,\n"
        "gamma,GAMMA-01,,2009-10 Q2,30,\n"
        "gamma,GAMMA-01,,2009-10 Q3,31,\n"
    ),
}
ROW_KEYS = ["indicator", "subtarget", "kind", "reward", "baseline", "target", "from", "latest_period", "latest",
            "year_to_date", "year_end_forecast", "forecast_basis", "points", "method", "slope_per_year",
            "required_per_year", "pace_ratio", "projected_final", "projected_achievement", "status", "rule",
            "provisional", "forecast", "share", "projected_payable", "projected_reward",
            "group"]


def projected(workspace, *options: str) -> dict:
    root = workspace(GAMMA)
    result = invoke(["-w", root, "project", *options, "--format", "json"])
    return json.loads(result.stdout, parse_float=Decimal)


def rows(document: dict) -> dict[tuple[str, str | None], dict]:
    return {(row["indicator"], row["subtarget"]): row for row in document["areas"][0]["rows"]}


@pytest.fixture
def latest(workspace) -> dict:
    return projected(workspace)


def test_document_shape(latest):
    assert list(latest) == ["as_at", "method", "areas"]
    assert latest["as_at"] is None and latest["method"] == "linear"
    area = latest["areas"][0]
    assert list(area) == ["area", "name", "as_at", "maximum", "projected_total", "at_risk", "projected_grant", "rows",
                          "summary"]
    # The latest period reported: NI 154's 2010-11 (a year ends with its Q4, after Q2).
    assert area["as_at"] == "2010-11"
    assert all(list(row) == ROW_KEYS for row in area["rows"])


def test_three_points_least_squares(latest):
    # NI 192 (higher, 1 decimal): (-3, 30), (-2, 32), (-1, 35). n = 3, Σx = -6, Σx² = 14,
    # Σy = 97, Σxy = -90 - 64 - 35 = -189, D = 42 - 36 = 6.
    # projected = (97·14 - (-6)(-189)) / 6 = (1358 - 1134) / 6 = 37.3333… -> 37.333 (1 + 2 places)
    # slope = (3·(-189) + 6·97) / 6 = 15 / 6 = 2.5; required = (40 - 35) / 1 = 5; pace 0.5
    # achievement = (37.333… - 30) / (40 - 30) = 11/15 = 0.7333: at least 0.6, below 1: at-risk
    # reward = £100,000 × 11/15 = 73,333.33…
    row = rows(latest)[("NI 192", None)]
    assert (row["points"], row["method"]) == (3, "linear")
    assert row["projected_final"] == Decimal("37.333")
    assert (row["slope_per_year"], row["required_per_year"], row["pace_ratio"]) == (2.5, 5, Decimal("0.5"))
    assert row["projected_achievement"] == Decimal("0.7333")
    assert (row["status"], row["rule"]) == ("at-risk", "projected-at-risk")
    assert (row["share"], row["projected_payable"], row["projected_reward"]) == ("100000.00", Decimal("0.7333"),
                                                                                "73333.33")
    assert (row["latest_period"], row["latest"], row["forecast_basis"]) == ("2009-10", 35, "none")


def test_two_points_and_expected_value(latest):
    # NI 175: (-2, 50), (-1, 53): the line through them, slope 3, at 0: 56. Measured from the
    # expected 51: (56 - 51) / (56 - 51) = 1, exactly the on-track cut-off: on-track, full share.
    row = rows(latest)[("NI 175", None)]
    assert (row["points"], row["projected_final"], row["slope_per_year"]) == (2, 56, 3)
    assert row["from"] == 51
    assert (row["projected_achievement"], row["status"], row["projected_reward"]) == (1, "on-track", "100000.00")


def test_four_points_lower_is_better(latest):
    # NI 16 (lower, 2 decimals): (-4, 30), (-3, 29), (-2, 27), (-1, 26). Σx = -10, Σx² = 30,
    # Σy = 112, Σxy = -120 - 87 - 54 - 26 = -287, D = 120 - 100 = 20.
    # projected = (112·30 - 2870) / 20 = 490 / 20 = 24.5; slope = (-1148 + 1120) / 20 = -1.4
    # required = (24 - 26) / 1 = -2, pace = -1.4 / -2 = 0.7
    # achievement = (24.5 - 30) / (24 - 30) = 11/12 = 0.9167: at-risk; £100,000 × 11/12 = 91,666.67
    row = rows(latest)[("NI 16", None)]
    assert (row["points"], row["projected_final"], row["slope_per_year"]) == (4, Decimal("24.5"), Decimal("-1.4"))
    assert (row["required_per_year"], row["pace_ratio"]) == (-2, Decimal("0.7"))
    assert (row["projected_achievement"], row["status"], row["projected_reward"]) == (
        Decimal("0.9167"), "at-risk", "91666.67")


def test_last_change(workspace):
    # NI 192: latest (-1, 35), previous (-2, 32): +3 a year, continued one year: 38;
    # (38 - 30) / 10 = 0.8. NI 16: 26 after 27: -1 a year: 25; (25 - 30) / (24 - 30) = 5/6.
    document = projected(workspace, "--method", "last-change")
    assert document["method"] == "last-change"
    found = rows(document)
    assert (found[("NI 192", None)]["projected_final"], found[("NI 192", None)]["slope_per_year"]) == (38, 3)
    assert found[("NI 192", None)]["method"] == "last-change"
    assert found[("NI 16", None)]["projected_final"] == 25
    assert found[("NI 16", None)]["projected_achievement"] == Decimal("0.8333")


def test_final_year_reported_is_the_projection(latest):
    # NI 154's own row: 2010-11 reported (provisional) as 590: method actual, no slope, no pace;
    # from the expected 520: (590 - 520) / (600 - 520) = 0.875. A target split into sub-targets
    # earns on them: its own row has no money.
    row = rows(latest)[("NI 154", None)]
    assert (row["method"], row["projected_final"], row["slope_per_year"]) == ("actual", 590, None)
    assert (row["required_per_year"], row["pace_ratio"]) == (None, None)
    assert (row["projected_achievement"], row["provisional"], row["forecast"]) == (Decimal("0.875"), True, False)
    assert (row["share"], row["projected_reward"], row["reward"]) == (None, None, False)


def test_sub_targets(latest):
    # north: (-3, 200), (-1, 220): +10 a year, 230 at 0; (230 - 200) / 40 = 0.75: at-risk,
    # £50,000 × 0.75 = £37,500. south: (-3, 300), (-1, 310): 315; 15 / 60 = 0.25: off-track, £0.
    found = rows(latest)
    north, south = found[("NI 154", "north")], found[("NI 154", "south")]
    assert (north["projected_final"], north["status"], north["share"], north["projected_reward"]) == (
        230, "at-risk", "50000.00", "37500.00")
    assert (south["projected_final"], south["status"], south["projected_payable"], south["projected_reward"]) == (
        315, "off-track", 0, "0.00")


def test_target_met_both_polarities(latest):
    # NI 155 (higher): latest 155 >= 150. Its trend (-3, 100), (-2, 120), (-1, 155): Σy = 375,
    # Σxy = -695: (375·14 - 4170) / 6 = 180; (180 - 100) / 50 = 1.6, paid at the cap: £100,000.
    # slope (-2085 + 2250) / 6 = 27.5; required (150 - 155) / 1 = -5; pace -5.5.
    # NI 20 (lower): latest 7.9 <= 8: target met.
    found = rows(latest)
    higher, lower = found[("NI 155", None)], found[("NI 20", None)]
    assert (higher["status"], higher["rule"]) == ("target-met", "latest-meets-final")
    assert (higher["projected_final"], higher["projected_achievement"], higher["projected_payable"]) == (
        180, Decimal("1.6"), 1)
    assert (higher["slope_per_year"], higher["pace_ratio"], higher["projected_reward"]) == (
        Decimal("27.5"), Decimal("-5.5"), "100000.00")
    assert (lower["status"], lower["latest"]) == ("target-met", Decimal("7.9"))


def test_exactly_at_the_threshold(latest):
    # NI 8: (-3, 20), (-1, 24): +2 a year, 26 at 0; (26 - 20) / 10 = 0.6, exactly the scheme's
    # threshold: at-risk, and paid: £60,000.00.
    row = rows(latest)[("NI 8", None)]
    assert (row["projected_final"], row["projected_achievement"], row["status"], row["projected_reward"]) == (
        26, Decimal("0.6"), "at-risk", "60000.00")


def test_insufficient_data(latest):
    # NI 47: the baseline alone. Required per year: (170 - 200) / (2010 - 2007) = -10.
    row = rows(latest)[("NI 47", None)]
    assert (row["points"], row["status"], row["rule"]) == (1, "insufficient-data", "fewer-than-two-points")
    assert (row["method"], row["projected_final"], row["projected_achievement"]) == (None, None, None)
    assert (row["required_per_year"], row["share"], row["projected_reward"]) == (-10, "100000.00", None)


def test_maintain_target(latest):
    # NI 195 (lower), maintain 8: (-3, 8), (-2, 7), (-1, 9): Σy = 24, Σxy = -47:
    # (24·14 - 282) / 6 = 9, worse than 8: achievement 0, off-track, £0.00.
    row = rows(latest)[("NI 195", None)]
    assert (row["projected_final"], row["projected_achievement"], row["status"], row["projected_reward"]) == (
        9, 0, "off-track", "0.00")


def test_quarterly_non_cumulative_forecast_in_the_final_year(latest):
    # NI 152 (lower, quarterly, not cumulative): 2010-11 Q1 13.8, Q2 13.5 (provisional). The
    # final year is the current year: its forecast, the latest quarter, is the projection:
    # (13.5 - 15) / (13 - 15) = 0.75: at-risk, £75,000.00.
    row = rows(latest)[("NI 152", None)]
    assert (row["year_to_date"], row["year_end_forecast"], row["forecast_basis"]) == (
        Decimal("13.5"), Decimal("13.5"), "quarters (2 of 4)")
    assert (row["method"], row["points"], row["forecast"], row["provisional"]) == ("forecast", 4, True, True)
    assert (row["projected_achievement"], row["projected_reward"]) == (Decimal("0.75"), "75000.00")


@pytest.mark.parametrize(("indicator", "edit", "marked"), [
    # NI 152 (not cumulative): the forecast is the latest quarter, Q2, final; Q1 provisional is
    # no value it is worked from
    ("NI 152", ("2010-11 Q1,13.8,\n", "2010-11 Q1,13.8,provisional\n"), False),
    # GAMMA-01 (cumulative) as at 2009-10 Q3: the forecast is the sum of every quarter, Q1 among them
    ("GAMMA-01", ("2009-10 Q1,30,\n", "2009-10 Q1,30,provisional\n"), True),
])
def test_a_forecast_is_provisional_when_a_quarter_it_is_worked_from_is(workspace, indicator, edit, marked):
    files = dict(GAMMA)
    returns = files["returns/gamma.csv"].replace("2010-11 Q2,13.5,provisional\n", "2010-11 Q2,13.5,\n")
    files["returns/gamma.csv"] = returns.replace(*edit)
    root = workspace(files)
    options = ["--as-at", "2009-10 Q3"] if indicator == "GAMMA-01" else []
    result = invoke(["-w", root, "project", *options, "--format", "json"])
    row = rows(json.loads(result.stdout, parse_float=Decimal))[(indicator, None)]
    assert (row["forecast"], row["provisional"]) == (True, marked)


def test_the_table_counts_the_quarters_to_date(workspace):
    # NI 152's two quarters of 2010-11 read "13.5 (2/4)": "(Q2)" read as the second quarter,
    # wrong whenever a quarter is missing (Q1, Q2 and Q4 reported read "(Q3)")
    table = invoke(["-w", workspace(GAMMA), "project"], env={"COLUMNS": "220"}).stdout
    assert "13.5 (2/4)" in table and "(n/4: n of the 4 reported)" in table


def test_calendar_year_indicator(latest):
    # NI 165 (calendar years): 2007 baseline 20, 2008: 21, 2009: 23 at x = -3, -2, -1:
    # Σy = 64, Σxy = -125: (64·14 - 750) / 6 = 146/6 = 24.333…; (24.333… - 20) / 6 = 13/18
    # = 0.7222; £100,000 × 13/18 = 72,222.22.
    row = rows(latest)[("NI 165", None)]
    assert (row["latest_period"], row["projected_final"], row["projected_achievement"]) == (
        "2009", Decimal("24.333"), Decimal("0.7222"))
    assert row["projected_reward"] == "72222.22"


def test_area_totals(latest):
    # 73,333.33 + 100,000 + 91,666.67 + 37,500 + 0 (south) + 100,000 (NI 155) + 100,000 (NI 20)
    # + 0 (NI 195) + 75,000 + 72,222.22 + 60,000 = 709,722.22; NI 47 has no projection.
    # At risk: the shares of NI 192, NI 16, NI 152, NI 165, NI 8 (at-risk), NI 195 (off-track),
    # north and south: 6 × 100,000 + 2 × 50,000 = 700,000.00.
    area = latest["areas"][0]
    assert (area["maximum"], area["projected_total"], area["at_risk"]) == ("1100000.00", "709722.22", "700000.00")
    assert area["summary"] == {"target-met": 2, "on-track": 1, "at-risk": 8, "off-track": 2,
                               "insufficient-data": 1, "not-due": 0}


def test_as_at_reproduces_an_earlier_quarter(workspace):
    # As at 2009-10 Q3 (December 2009) the 2009-10 years are not known; calendar 2009 is.
    document = projected(workspace, "--as-at", "2009/10 q3")
    assert document["as_at"] == "2009-10 Q3" and document["areas"][0]["as_at"] == "2009-10 Q3"
    found = rows(document)
    # NI 192: (-3, 30), (-2, 32): +2 a year, 36 at 0; (36 - 30) / 10 = 0.6: at-risk.
    assert (found[("NI 192", None)]["projected_final"], found[("NI 192", None)]["projected_achievement"]) == (
        36, Decimal("0.6"))
    # NI 16: (-4, 30), (-3, 29), (-2, 27): Σx = -9, Σx² = 29, Σy = 86, Σxy = -261, D = 6:
    # (86·29 - 2349) / 6 = 145/6 = 24.1667; slope (-783 + 774) / 6 = -1.5; required
    # (24 - 27) / 2 = -1.5, pace 1; (145/6 - 30) / -6 = 35/36 = 0.9722.
    ni16 = found[("NI 16", None)]
    assert (ni16["projected_final"], ni16["slope_per_year"], ni16["required_per_year"], ni16["pace_ratio"]) == (
        Decimal("24.1667"), Decimal("-1.5"), Decimal("-1.5"), 1)
    assert ni16["projected_achievement"] == Decimal("0.9722")
    # NI 154 has no final actual yet: (-3, 500), (-2, 530): +30 a year, 530 + 2 × 30 = 590 at 0.
    assert (found[("NI 154", None)]["method"], found[("NI 154", None)]["projected_final"]) == ("linear", 590)
    assert found[("NI 165", None)]["latest_period"] == "2009"


def test_cumulative_quarters_forecast_as_a_point(workspace):
    # GAMMA-01 (cumulative) as at 2009-10 Q3: 30 + 30 + 31 = 91 to date, forecast 91 × 4 / 3
    # = 121.333… (0 decimals + 2: 121.33). Points (-3, 100), (-2, 110), (-1, 364/3):
    # Σy = 994/3, Σxy = -300 - 220 - 364/3 = -1924/3, D = 6:
    # projected = (994/3·14 - 6·1924/3) / 6 = (2372/3) / 6 = 131.777… -> 131.78
    # slope = (-1924 + 1988) / 6 = 10.666… -> 10.67; required = (140 - 364/3) / 1 = 18.666… -> 18.67
    # pace = (32/3) / (56/3) = 4/7 = 0.5714; achievement = (2372/18 - 100) / 40 = 572/720 = 0.7944
    row = rows(projected(workspace, "--as-at", "2009-10 Q3"))[("GAMMA-01", None)]
    assert (row["year_to_date"], row["year_end_forecast"], row["forecast_basis"]) == (
        91, Decimal("121.33"), "quarters (3 of 4)")
    assert (row["points"], row["forecast"], row["method"]) == (3, True, "linear")
    assert (row["projected_final"], row["slope_per_year"], row["required_per_year"]) == (
        Decimal("131.78"), Decimal("10.67"), Decimal("18.67"))
    assert (row["pace_ratio"], row["projected_achievement"], row["status"]) == (
        Decimal("0.5714"), Decimal("0.7944"), "at-risk")
    assert (row["reward"], row["share"], row["projected_reward"]) == (False, None, None)


def test_cut_offs_from_settings_change_statuses_not_money(workspace):
    # at_risk 0.75: NI 192 (0.7333) becomes off-track; its indicative reward stays £73,333.33.
    root = workspace({**GAMMA, "laatool.yaml": "projection: {on_track: 0.9, at_risk: 0.75}\n"})
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    found = rows(document)
    assert (found[("NI 192", None)]["status"], found[("NI 192", None)]["projected_reward"]) == (
        "off-track", "73333.33")
    assert found[("NI 16", None)]["status"] == "on-track"  # 0.9167 >= 0.9


def test_cut_offs_the_wrong_way_round_are_an_error_at_their_line(workspace):
    # at_risk above on_track: a projection of 0.6 would be on-track before it was at-risk
    root = workspace({**GAMMA, "laatool.yaml": "rag: {amber: 0.6}\nprojection: {on_track: 0.5, at_risk: 0.7}\n"})
    findings = json.loads(invoke(["-w", root, "validate", "--format", "json"], code=1).stdout)["findings"]
    assert [(f["code"], f["file"], f["line"], f["message"]) for f in findings if f["severity"] == "error"] == [
        ("S003", "laatool.yaml", 2, "projection: at_risk 0.7 is above on_track 0.5: a projection reaching at_risk "
         "would be on-track first, so none could be at-risk (at_risk is the lower cut-off)")]
    assert invoke(["-w", root, "project"], code=1).stdout == ""


def test_bad_as_at_is_a_usage_error(workspace):
    root = workspace(GAMMA)
    result = invoke(["-w", root, "project", "--as-at", "2010-12"], code=2)
    assert "--as-at" in result.stderr and result.stdout == ""


def test_invalid_inputs_are_refused(workspace):
    root = workspace({**GAMMA, "returns/bad.csv": "area,indicator,period,value\ngamma,NI 192,2010-11,abc\n"})
    result = invoke(["-w", root, "project"], code=1)
    assert "nothing was computed" in result.stderr and result.stdout == ""


def test_an_error_after_the_as_at_period_refuses_nothing(workspace):
    # The same 2010-11 NI 192 return in error: it refuses gamma today, but as at 2009-10 Q3 it
    # was not known, so the projection of then is made, as `report --as-at` makes it: NI 192
    # from (-3, 30), (-2, 32) is 36 at 0, as in test_as_at_reproduces_an_earlier_quarter.
    root = workspace({**GAMMA, "returns/bad.csv": "area,indicator,period,value\ngamma,NI 192,2010-11,abc\n"})
    result = invoke(["-w", root, "project", "--as-at", "2009-10 Q3", "--format", "json"])
    found = rows(json.loads(result.stdout, parse_float=Decimal))
    assert found[("NI 192", None)]["projected_final"] == 36
    # an error in a row known then still refuses the area
    root = workspace({**GAMMA, "returns/bad.csv": "area,indicator,period,value\ngamma,NI 192,2008-09,abc\n"})
    assert "nothing was computed" in invoke(["-w", root, "project", "--as-at", "2009-10 Q3"], code=1).stderr


def test_table_and_csv(workspace):
    root = workspace(GAMMA)
    table = invoke(["-w", root, "project"]).stdout
    assert "Designated targets" in table and "Local targets" in table
    assert "◆ at risk" in table and "▲ off track" in table and "Indicative reward" in " ".join(table.split())
    # the provisional mark is the target's, beside its reference: a value it is worked from
    # is provisional, not always the latest shown (NI 152's latest, 14.0 in 2009-10, is final;
    # its 2010-11 Q2, which makes the year's forecast, is provisional)
    line = next(line for line in table.splitlines() if line.startswith("NI 152"))
    assert line.startswith("NI 152 (p)") and "14.0 (p)" not in line
    assert "(p) beside a target" in " ".join(table.split())
    assert "projected reward (indicative) £709,722.22 of a maximum £1,100,000.00" in " ".join(table.split())
    csv = invoke(["-w", root, "project", "--format", "csv"]).stdout.splitlines()
    assert csv[0].startswith("area,name,as_at,indicator,subtarget,kind,reward,")
    assert len(csv) == 1 + 14


def test_a_scheme_that_adjusts_the_grant_is_stated_beside_the_projected_reward(workspace, tmp_path):
    """final-2011 pays half the rewards: the projected £709,722.22 (test_area_totals) is a grant
    of £354,861.11 (709,722.22 × 0.5 = 354,861.11), which the table and the workbook's title
    row say beside it, so that a board does not read twice the grant; lpsa2 adjusts nothing."""
    import openpyxl

    root = workspace(GAMMA)
    table = " ".join(invoke(["-w", root, "project"]).stdout.split())
    assert "£1,100,000.00; £700,000.00 of shares" in table and "adjustment" not in table
    agreement = root / "agreements" / "gamma.yaml"
    agreement.write_text(agreement.read_text().replace("scheme: lpsa2", "scheme: final-2011"))
    adjusted = ("projected reward (indicative) £709,722.22 of a maximum £1,100,000.00 (before the scheme's "
                "adjustment × 0.5: a grant of £354,861.11)")
    assert adjusted in " ".join(invoke(["-w", root, "project"]).stdout.split())
    invoke(["-w", root, "project", "-o", tmp_path / "project.xlsx"])
    title = openpyxl.load_workbook(tmp_path / "project.xlsx")["gamma"]["A2"].value
    assert title == ("As at 2010-11; method linear; maximum £1,100,000.00; projected reward £709,722.22 "
                     "(before the scheme's adjustment × 0.5: a grant of £354,861.11)")


@pytest.mark.parametrize("options", [[], ["--method", "last-change"], ["--as-at", "2009-10 Q3"]])
def test_rows_left_to_python_give_the_same_figures(workspace, monkeypatch, options):
    # Every row worked out in Fractions (as rows too large for Int128 are) gives the JSON of
    # the frame, byte for byte.
    import polars as pl

    from laatool.compute import projection

    root = workspace(GAMMA)
    frame_text = invoke(["-w", root, "project", *options, "--format", "json"]).stdout
    monkeypatch.setattr(projection, "_in_range", lambda: pl.lit(False))
    python_text = invoke(["-w", root, "project", *options, "--format", "json"]).stdout
    assert python_text == frame_text


def test_values_beyond_the_frame(workspace):
    # A count target in the hundreds of trillions and a maximum of £10^20, whose products leave
    # Int128: worked out in Fractions. (-3, 1e14), (-1, 1e14 + 300): +150 a year, 1e14 + 450 at
    # 0; 450 / 600 = 0.75: at-risk, £0.75 × 10^20 of the one reward target's £10^20 share.
    from laatool import api

    root = workspace({
        "agreements/delta.yaml": """
            area: delta
            name: Delta
            periods: [2008-09, 2009-10, 2010-11]
            reward: {maximum: 100000000000000000000.00}
            targets:
              - indicator: NI 155
                kind: designated
                baseline: {period: 2007-08, value: 100000000000000}
                targets: {2010-11: 100000000000600}
            """,
        "returns/delta.csv": "area,indicator,period,value\ndelta,NI 155,2009-10,100000000000300\n",
    })
    assert not api.project(root, None).report.frame.get_column("in_range").any()
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    row = document["areas"][0]["rows"][0]
    assert (row["projected_final"], row["projected_achievement"], row["status"]) == (
        100000000000450, Decimal("0.75"), "at-risk")
    assert (row["share"], row["projected_reward"]) == ("100000000000000000000.00", "75000000000000000000.00")
    assert document["areas"][0]["projected_total"] == "75000000000000000000.00"


def test_not_due_in_the_final_year(workspace):
    # A biennial survey collected in 2007-08 and 2009-10 only: two points, but nothing will be
    # measured in 2010-11. not-due, with no projection and no money (its share is still shown).
    root = workspace({
        "indicators/EPS-01.yaml": """
            id: EPS-01
            title: Residents satisfied with the area (survey)
            polarity: higher
            unit: percent
            decimals: 1
            frequency: biennial
            period_type: financial-year
            collection_periods: [2007-08, 2009-10]
            """,
        "agreements/eps.yaml": """
            area: eps
            name: Epsilon
            periods: [2008-09, 2009-10, 2010-11]
            reward: {maximum: 100000.00}
            targets:
              - indicator: EPS-01
                kind: local
                reward: true
                baseline: {period: 2007-08, value: 40}
                targets: {2010-11: 50}
            """,
        "returns/eps.csv": "area,indicator,period,value\neps,EPS-01,2009-10,44\n",
    })
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    row = document["areas"][0]["rows"][0]
    assert (row["points"], row["status"], row["rule"]) == (2, "not-due", "not-collected-in-final-year")
    assert (row["projected_final"], row["projected_reward"], row["share"]) == (None, None, "100000.00")
    assert document["areas"][0]["summary"]["not-due"] == 1
    # 51 already meets the final target of 50: target-met comes first (§8), but nothing will be
    # measured in 2010-11, so reward-grant never pays it (§6: no final return, £0): no projected
    # value and no money either (it was projected 51 + 7 × 1 = 58 and paid £100,000)
    (root / "returns" / "eps.csv").write_text("area,indicator,period,value\neps,EPS-01,2009-10,51\n")
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    row = document["areas"][0]["rows"][0]
    assert (row["status"], row["projected_final"], row["projected_achievement"], row["projected_reward"]) == (
        "target-met", None, None, None)
    assert document["areas"][0]["projected_total"] == "0.00"


def test_a_return_for_a_year_not_collected_is_not_a_point(workspace):
    # Collected in 2008-09 and 2010-11. `score` passes over the 70 returned for 2009-10 (not
    # due); so must the projection: points 48 (2007) and 50 (2008), slope 2 a year, 50 + 2 × 2
    # = 54 in 2010-11, which is the target: achievement (54 − 48) / (54 − 48) = 1, on track.
    # With the 70 it would be "target met" on a year that was never collected.
    root = workspace({
        "indicators/EPS-02.yaml": """
            id: EPS-02
            title: Residents who feel they belong (survey)
            polarity: higher
            unit: percent
            decimals: 1
            frequency: biennial
            period_type: financial-year
            collection_periods: [2008-09, 2010-11]
            """,
        "agreements/eps.yaml": """
            area: eps
            name: Epsilon
            periods: [2008-09, 2009-10, 2010-11]
            reward: {maximum: 300000.00}
            targets:
              - indicator: EPS-02
                kind: local
                reward: true
                baseline: {period: 2007-08, value: 48.0}
                targets: {2008-09: 50.0, 2009-10: 52.0, 2010-11: 54.0}
            """,
        "returns/eps.csv": "area,indicator,period,value\neps,EPS-02,2008-09,50.0\neps,EPS-02,2009-10,70.0\n",
    })
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    row = document["areas"][0]["rows"][0]
    assert (row["latest_period"], row["latest"], row["points"]) == ("2008-09", Decimal(50), 2)
    assert (row["slope_per_year"], row["projected_final"], row["projected_achievement"]) == (2, 54, 1)
    assert (row["status"], row["projected_reward"]) == ("on-track", "300000.00")
    assert document["areas"][0]["as_at"] == "2008-09"


def test_default_as_at_is_the_latest_period_reported(workspace):
    # Zeta's latest return is 2010-11 Q1 (June 2010): it names the as-at, 2010-11 is the current
    # year, and NI 152's one quarter (13.8, not cumulative) is its year-end forecast, the
    # projection of the final year: (13.8 - 15) / (13 - 15) = 0.6, at-risk. Eta has no returns.
    root = workspace({
        "agreements/zeta.yaml": """
            area: zeta
            name: Zeta
            periods: [2008-09, 2009-10, 2010-11]
            targets:
              - {indicator: NI 152, kind: designated, baseline: {period: 2007-08, value: 15}, targets: {2010-11: 13}}
            """,
        "agreements/eta.yaml": """
            area: eta
            name: Eta
            periods: [2008-09, 2009-10, 2010-11]
            targets:
              - {indicator: NI 152, kind: designated, baseline: {period: 2007-08, value: 15}, targets: {2010-11: 13}}
            """,
        "returns/zeta.csv": "area,indicator,period,value\nzeta,NI 152,2009-10,14.2\nzeta,NI 152,2010-11 Q1,13.8\n",
    })
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    eta, zeta = document["areas"]
    assert (zeta["as_at"], eta["as_at"]) == ("2010-11 Q1", None)
    row = zeta["rows"][0]
    assert (row["forecast_basis"], row["method"], row["projected_final"], row["status"]) == (
        "quarters (1 of 4)", "forecast", Decimal("13.8"), "at-risk")
    assert (row["projected_achievement"], row["share"], row["projected_reward"]) == (Decimal("0.6"), "0.00", "0.00")
    assert eta["rows"][0]["status"] == "insufficient-data" and eta["projected_total"] == "0.00"


def test_an_academic_year_ending_later_does_not_hold_the_current_year_back(workspace):
    # Zeta's academic 2009-10 return (NI 75, to August 2010) ends after its 2010-11 Q1 return
    # (NI 152, to June 2010), yet 2010-11 is the latest year it reaches: the current year, where
    # NI 152's one quarter is the year-end forecast, 13.8: (13.8 - 15) / (13 - 15) = 0.6,
    # at-risk. The academic year named the as-at and made 2009-10 current: the quarter was used
    # nowhere.
    root = workspace({
        "agreements/zeta.yaml": """
            area: zeta
            name: Zeta
            periods: [2008-09, 2009-10, 2010-11]
            targets:
              - {indicator: NI 152, kind: designated, baseline: {period: 2007-08, value: 15}, targets: {2010-11: 13}}
              - {indicator: NI 75, kind: statutory, baseline: {period: 2007-08, value: 45}, targets: {2010-11: 51}}
            """,
        "returns/zeta.csv": "area,indicator,period,value\nzeta,NI 152,2009-10,14.2\nzeta,NI 152,2010-11 Q1,13.8\n"
                            "zeta,NI 75,2009-10,49\n",
    })
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    [zeta] = document["areas"]
    assert zeta["as_at"] == "2010-11 Q1"
    ni152 = next(row for row in zeta["rows"] if row["indicator"] == "NI 152")
    assert (ni152["forecast_basis"], ni152["projected_final"], ni152["projected_achievement"], ni152["status"]) == (
        "quarters (1 of 4)", Decimal("13.8"), Decimal("0.6"), "at-risk")
    # a return for 2011-12, after the agreement's final year, is used by no projection and
    # moves nothing on: it made 2011-12 current, and NI 152's quarter was dropped
    with (root / "returns" / "zeta.csv").open("a", encoding="utf-8") as returns:
        returns.write("zeta,NI 75,2011-12,50\n")
    again = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    assert again["areas"][0]["as_at"] == "2010-11 Q1" and again["areas"][0]["rows"] == zeta["rows"]


def test_output_over_an_input_is_refused(workspace):
    root = workspace(GAMMA)
    before = (root / "returns" / "gamma.csv").read_bytes()
    invoke(["-w", root, "project", "-o", root / "returns" / "gamma.csv"], code=2)
    assert (root / "returns" / "gamma.csv").read_bytes() == before


@pytest.mark.parametrize("options", [{}, {"method": "last-change", "as_at": "2009-10 Q3"}])
def test_json_is_the_reports_document(workspace, options):
    # The JSON written from the frame, an area at a time, is `to_json()` of the api's report.
    from laatool import api
    from laatool.render.json import dumps
    from laatool.render.report_json import render_json

    root = workspace(GAMMA)
    report = api.project(root, None, **options).report
    assert render_json(report).decode() == dumps(report.to_json())


def test_values_as_written_beyond_the_frames_decimals(workspace):
    # 23.99999999999 (11 places) is not rounded to 24: (-3, 20), (-1, 23.99999999999): slope
    # 1.999999999995 a year, 25.999999999985 at 0; (25.999999999985 - 20) / 10 = 0.5999999999985,
    # below the 0.6 threshold: off-track and unpaid, though it shows as 0.6 to 4 places.
    root = workspace({
        "agreements/theta.yaml": """
            area: theta
            name: Theta
            periods: [2008-09, 2009-10, 2010-11]
            reward: {maximum: 100000.00}
            targets:
              - {indicator: NI 8, kind: designated, baseline: {period: 2007-08, value: 20}, targets: {2010-11: 30}}
            """,
        "returns/theta.csv": "area,indicator,period,value\ntheta,NI 8,2009-10,23.99999999999\n",
    })
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    row = document["areas"][0]["rows"][0]
    assert (row["latest"], row["projected_final"], row["projected_achievement"]) == (
        Decimal("23.99999999999"), 26, Decimal("0.6"))
    assert (row["status"], row["projected_payable"], row["projected_reward"]) == ("off-track", 0, "0.00")


@pytest.mark.parametrize("in_frame", [True, False])
def test_weighted_sub_targets_share_as_reward_grant_does(workspace, monkeypatch, in_frame):
    # NI 154's £100,000 share weighted 3 : 1 (§6.1): north £75,000, south £25,000 — not the
    # equal halves. north projects 0.75 (test_sub_targets): £75,000 × 0.75 = £56,250; south 0.25
    # is below the threshold: £0. The same whether the frame or Fractions work the row out.
    import polars as pl

    from laatool.compute import projection

    files = dict(GAMMA)
    files["agreements/gamma.yaml"] = (
        files["agreements/gamma.yaml"]
        .replace("{id: north, baseline", "{id: north, weight: 3, baseline")
        .replace("{id: south, baseline", "{id: south, weight: 1, baseline"))
    assert files["agreements/gamma.yaml"] != GAMMA["agreements/gamma.yaml"]
    if not in_frame:
        monkeypatch.setattr(projection, "_in_range", lambda: pl.lit(False))
    root = workspace(files)
    document = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout, parse_float=Decimal)
    found = rows(document)
    north, south = found[("NI 154", "north")], found[("NI 154", "south")]
    assert (north["share"], north["projected_reward"]) == ("75000.00", "56250.00")
    assert (south["share"], south["projected_reward"]) == ("25000.00", "0.00")
    granted = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)
    shares = {row["subtarget"]: row["share"] for row in granted["areas"][0]["targets"] if row["indicator"] == "NI 154"}
    assert shares == {"north": "75000.00", "south": "25000.00"}


def test_csv_without_a_row_still_has_its_header(workspace):
    root = workspace({"agreements/delta.yaml": "area: delta\nname: Delta\nperiods: [2008-09, 2009-10, 2010-11]\n"
                                               "reward: {scheme: lpsa2, maximum: 1000.00}\ntargets: []\n"})
    lines = invoke(["-w", root, "project", "--format", "csv"]).stdout.splitlines()
    assert lines == [",".join(["area", "name", "as_at", *ROW_KEYS])]


def test_an_absurdly_large_value_is_refused_saying_why(workspace):
    # no range is given for GAMMA-01 (-inf..inf): 10^15 is refused as absurd, not as out of it
    root = workspace({**GAMMA, "returns/big.csv": "area,indicator,period,value\ngamma,GAMMA-01,2009-10 Q4,"
                                                  "1000000000000000\n"})
    result = invoke(["-w", root, "project", "--format", "json"], code=1)
    assert ("returns/big.csv row 2 value: R306 error: value 1000000000000000 of GAMMA-01 is 10^15 or more, "
            "too large for any indicator") in result.stderr
    assert "-inf..inf" not in result.stderr


@pytest.mark.parametrize(("final", "achieved", "status"), [
    # NI 20 (lower) from 10 to 8: (10 − 8.80008) / 2 = 0.59996, 0.6 at four places, but below
    # lpsa2's threshold of 0.6: off track, no indicative reward
    ("8.80008", "59.99%", "off track"),
    ("8.8", "60%", "at risk"),
    # (10 − 8.0001) / 2 = 0.99995, 1 at four places, but short of on track
    ("8.0001", "99.99%", "at risk"),
])
def test_the_table_never_shows_an_achievement_rounded_up_to_the_cut_off_it_missed(workspace, final, achieved, status):
    root = workspace({**GAMMA, "returns/final.csv": f"area,indicator,period,value\ngamma,NI 20,2010-11,{final}\n"})
    table = invoke(["-w", root, "project"], env={"COLUMNS": "200"}).stdout
    cells = next(line for line in table.splitlines() if line.startswith("NI 20 ")).split()
    shown = next(i for i, cell in enumerate(cells) if cell.endswith("%"))
    assert " ".join(cells[shown:shown + 4]).startswith(f"{achieved} ")
    assert status in " ".join(cells[shown:])


def test_as_at_warns_of_no_return_for_a_period_not_ended_then(tmp_path):
    """As at 2009-10 (March 2010), the academic year 2009/10 (to August 2010) had not ended:
    its returns were not due, so the 19 of Leeds' academic-year targets are no missing return
    (the count pointed at `validate`, which had none to list). A financial year's return that
    is missing by then still is: NI 8's for 2008-09, taken out."""
    assert "warning" not in invoke(["-w", EXAMPLES, "project", "--area", "leeds", "--as-at", "2009-10",
                                    "-f", "json"]).stderr
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    returns = root / "returns" / "returns-2008-09.csv"
    returns.write_text(returns.read_text(encoding="utf-8").replace("leeds,NI 8,2008-09,20.9,,,,,,,,\n", ""),
                       encoding="utf-8")
    for command in (["project"], ["report", "-o", str(tmp_path / "r.html")]):
        result = invoke(["-w", root, *command, "--area", "leeds", "--as-at", "2009-10"])
        assert "laatool: 1 warning(s) in the inputs; `laatool validate` lists them" in result.stderr


@pytest.mark.parametrize(("as_at", "said"), [
    ("1990-91", "laatool: no return of cumbria, leeds, stockton had ended by the end of 1990-91 (--as-at), so nothing "
                "is known of their targets then\n"),
    ("2008-09", ""),
])
def test_an_as_at_before_every_return_says_nothing_was_known_then(as_at, said):
    """An as-at typed years early (1990-91 for 2009-10) projects every target as insufficient
    data, with exit 0: a nightly script's log says why. As at 2008-09, the returns for 2008-09
    were known."""
    result = invoke(["-w", EXAMPLES, "project", "--as-at", as_at, "-f", "json"])
    assert result.stderr == said
    rows = [row for area in json.loads(result.stdout)["areas"] for row in area["rows"]]
    assert all(row["latest"] is None for row in rows) == (as_at == "1990-91")
