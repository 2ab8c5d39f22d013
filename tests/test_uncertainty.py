"""Intervals, target tests and changes of survey and rate indicators (DESIGN.md §9).

Every figure below is worked by hand from the formulas (methods_wave2.md §1), z = 1.959964
(z² = 3.841459) at 95%, and written half away from zero to the indicator's decimals + 2.

Wilson, x of n: (2x + z² ± z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²)).
  n = 1,100, p = 50% (x = 550): 2x + z² = 1103.841459; sqrt(3.841459 + 1100) = 33.224109,
  × z = 65.118; / 2207.682918 → 0.470504 and 0.529496: 47.050 – 52.950 (published 47.05–52.95).
  p = 0: the lower limit is 0; the upper is 2z² / 2(n + z²) = 3.841459 / 1103.841459 = 0.348%.
  p = 100: mirror image, 99.652 – 100.
  design effect 1.2: n = 916.667, x = 458.333; 2x + z² = 920.508; sqrt(z² + 916.667) =
  30.340, × z = 59.465; / 1841.016 → 46.770 – 53.230 (±3.23, as the method notes say).
Exact Poisson (x < 10), per 1,000 of 1,000 people (the limit is the count itself):
  0 events: 0 – χ²(0.975; 2)/2 = −ln(0.025) = 3.689. 9 events: χ²(0.025; 18)/2 = 4.115,
  χ²(0.975; 20)/2 = 17.085 (published tables).
Byar's (x ≥ 10): 10 events: 10 × (1 − 1/90 − z/(3·sqrt 10))³ = 10 × 0.782291³ = 4.787;
  11 × (1 − 1/99 + z/(3·sqrt 11))³ = 11 × 1.186883³ = 18.391.
Newcombe (new − old, p in points): lower = d − sqrt((p2 − l2)² + (u1 − p1)²),
  upper = d + sqrt((u2 − p2)² + (p1 − l1)²); significant when the interval leaves out 0.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import invoke
from laatool.api import load_workspace
from laatool.checks.validation import findings_for_areas
from laatool.compute.scoring import score


def indicator(ident: str, polarity: str = "higher", unit: str = "percent", extra: str = "") -> str:
    rate = "rate_per: 1000\n" if unit == "rate" else ""
    survey = "true" if unit == "percent" else "false"
    return (f"id: {ident}\ntitle: Test {ident}\npolarity: {polarity}\nunit: {unit}\n{rate}decimals: 1\n"
            f"frequency: annual\nperiod_type: financial-year\nsurvey: {survey}\n{extra}")


def target(ident: str, baseline: str, targets: str) -> str:
    return (f"  - indicator: {ident}\n    kind: local\n    baseline: {{period: 2007-08, value: {baseline}}}\n"
            f"    targets: {{{targets}}}\n")


INDICATORS = {
    "indicators/T-HALF.yaml": indicator("T-HALF"),
    "indicators/T-EDGE.yaml": indicator("T-EDGE", "lower"),
    "indicators/T-FULL.yaml": indicator("T-FULL"),
    "indicators/T-DEFF.yaml": indicator("T-DEFF", extra="design_effect: 1.2\n"),
    "indicators/T-SUP.yaml": indicator("T-SUP"),
    "indicators/T-SUP-DOWN.yaml": indicator("T-SUP-DOWN", "lower"),
    "indicators/T-RATE.yaml": indicator("T-RATE", "lower", "rate"),
    "indicators/T-BI.yaml": indicator("T-BI", extra="collection_periods: [2008-09, 2010-11]\n").replace(
        "frequency: annual", "frequency: biennial"),
    "indicators/T-NOSIZE.yaml": indicator("T-NOSIZE"),
    "indicators/T-COUNT.yaml": indicator("T-COUNT", unit="count"),
    "indicators/T-NUM.yaml": indicator("T-NUM"),
    "indicators/T-COUNT-CI.yaml": indicator("T-COUNT-CI", unit="count"),
    "indicators/T-NONE.yaml": indicator("T-NONE", extra="ci_method: none\n"),
}

AGREEMENT = (
    "area: testshire\nname: Testshire\nperiods: [2008-09, 2009-10, 2010-11]\ntargets:\n"
    + target("T-HALF", "45.0", "2008-09: 47.0, 2009-10: 53.0")
    + target("T-EDGE", "2.0", "2008-09: 0.0")
    + target("T-FULL", "90.0", "2008-09: 100.0")
    + target("T-DEFF", "40.0", "2008-09: 46.0")
    + target("T-SUP", "68.0", "2008-09: 70.0, 2009-10: 76.0, 2010-11: 76.0")
    + target("T-SUP-DOWN", "25.0", "2008-09: 20.0, 2009-10: 20.0, 2010-11: 20.0")
    + target("T-RATE", "12.0", "2008-09: 5.0, 2009-10: 5.0, 2010-11: 3.0")
    + target("T-BI", "60.0", "2008-09: 61.0, 2009-10: 62.0, 2010-11: 63.0")
    + target("T-NOSIZE", "50.0", "2008-09: 52.0")
    + target("T-COUNT", "100", "2008-09: 120")
    + target("T-NUM", "45.0", "2008-09: 47.0")
    + target("T-COUNT-CI", "100", "2008-09: 105")
    + target("T-NONE", "45.0", "2008-09: 47.0")
)

RETURNS = """\
area,indicator,period,value,numerator,denominator,sample_size,lower_ci,upper_ci,status
testshire,T-HALF,2008-09,50.0,,,1100,,
testshire,T-HALF,2009-10,50.0,,,1100,,
testshire,T-EDGE,2008-09,0.0,,,1100,,
testshire,T-FULL,2008-09,100.0,,,1100,,
testshire,T-DEFF,2008-09,50.0,,,1100,,
testshire,T-SUP,2008-09,72.0,,,1100,70.0,74.0
testshire,T-SUP,2009-10,75.0,,,1100,73.0,76.0
testshire,T-SUP,2010-11,71.0,,,1100,69.0,73.0
testshire,T-SUP-DOWN,2008-09,18.0,,,,16.0,20.0
testshire,T-SUP-DOWN,2009-10,19.0,,,,17.0,21.0
testshire,T-SUP-DOWN,2010-11,23.0,,,,20.0,26.0
testshire,T-RATE,2008-09,0.0,0,1000,,,
testshire,T-RATE,2009-10,9.0,9,1000,,,
testshire,T-RATE,2010-11,10.0,10,1000,,,
testshire,T-BI,2008-09,61.0,,,1100,,
testshire,T-BI,2009-10,70.0,,,1100,,,provisional
testshire,T-BI,2010-11,64.0,,,1100,,
testshire,T-NOSIZE,2008-09,55.0,,,,,
testshire,T-COUNT,2008-09,110,,,,,
testshire,T-NUM,2008-09,50.0,550,1100,,,
testshire,T-COUNT-CI,2008-09,110,,,,106,114
testshire,T-NONE,2008-09,50.0,,,1100,48.0,52.0
"""


@pytest.fixture
def survey_ws(workspace):
    return workspace({**INDICATORS, "agreements/testshire.yaml": AGREEMENT, "returns/returns.csv": RETURNS})


def rows_of(root) -> dict[tuple[str, str], dict]:
    report = score(load_workspace(root), ["testshire"])
    return {(row["indicator"], row["period"]): row for row in report.areas[0].rows}


def interval(row: dict) -> tuple:
    return row["ci_lower"], row["ci_upper"], row["ci_method"], row["ci_level"], row["target_test"]


def test_wilson_at_1100_and_half_is_47_05_to_52_95(survey_ws):
    rows = rows_of(survey_ws)
    # 47.050 ≥ the target 47.0: met with confidence
    assert interval(rows["T-HALF", "2008-09"]) == (D("47.05"), D("52.95"), "wilson", D("0.95"), "met-with-confidence")
    # 52.950 < the target 53.0: missed with confidence
    assert rows["T-HALF", "2009-10"]["target_test"] == "missed-with-confidence"


def test_wilson_from_numerator_and_denominator(survey_ws):
    # no sample size: n = the denominator 1,100, x = the numerator 550, as at 50% above
    row = rows_of(survey_ws)["T-NUM", "2008-09"]
    assert interval(row) == (D("47.05"), D("52.95"), "wilson", D("0.95"), "met-with-confidence")


@pytest.mark.parametrize("counts", [
    "550,,1100",    # 550 of a sample of 1,100
    "1100,2200,1100",  # 1,100 of a (weighted) base of 2,200, a sample of 1,100: a half of it, x = 550
    "275,550,1100",  # a quarter of the base is counted, half the sample: x = 550
])
def test_wilson_from_a_numerator_takes_its_share_of_the_sample(workspace, counts):
    # n = 1,100 and x = 550 each time: 47.05–52.95, as at 50% above
    root = workspace({
        "indicators/T-HALF.yaml": INDICATORS["indicators/T-HALF.yaml"],
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09]\ntargets:\n"
                                      + target("T-HALF", "45.0", "2008-09: 47.0")),
        "returns/returns.csv": "area,indicator,period,value,numerator,denominator,sample_size\n"
                               f"testshire,T-HALF,2008-09,50.0,{counts}\n",
    })
    row = rows_of(root)["T-HALF", "2008-09"]
    assert interval(row) == (D("47.05"), D("52.95"), "wilson", D("0.95"), "met-with-confidence")


def test_wilson_at_zero_and_at_one_hundred_percent(survey_ws):
    rows = rows_of(survey_ws)
    # lower is better, target 0.0: the interval 0–0.348 reaches above the target, and its lower
    # limit equals it (not "missed"), so the point value decides: 0.0 ≤ 0.0, met
    assert interval(rows["T-EDGE", "2008-09"]) == (D("0"), D("0.348"), "wilson", D("0.95"), "met-not-significant")
    # higher is better, target 100: 99.652–100; the lower limit is below it, the point meets it
    assert interval(rows["T-FULL", "2008-09"]) == (D("99.652"), D("100"), "wilson", D("0.95"), "met-not-significant")


def test_design_effect_widens_the_interval(survey_ws):
    # 46.770–53.230 at deff 1.2 (47.050–52.950 without): 46.77 ≥ 46.0, met with confidence
    row = rows_of(survey_ws)["T-DEFF", "2008-09"]
    assert interval(row) == (D("46.77"), D("53.23"), "wilson", D("0.95"), "met-with-confidence")


def test_poisson_exact_below_ten_events_and_byar_from_ten(survey_ws):
    rows = rows_of(survey_ws)
    # lower is better. 0 events: 0–3.689 per 1,000, all of it ≤ 5.0: met with confidence
    assert interval(rows["T-RATE", "2008-09"]) == (D("0"), D("3.689"), "exact", D("0.95"), "met-with-confidence")
    # 9 events: 4.115–17.085 holds 5.0; the point 9.0 > 5.0: missed, not significant
    assert interval(rows["T-RATE", "2009-10"]) == (D("4.115"), D("17.085"), "exact", D("0.95"),
                                                   "missed-not-significant")
    # 10 events: Byar 4.787–18.391, all of it > 3.0: missed with confidence
    assert interval(rows["T-RATE", "2010-11"]) == (D("4.787"), D("18.391"), "byar", D("0.95"),
                                                   "missed-with-confidence")


def test_supplied_limits_win_and_equality_at_a_limit_counts_as_met(survey_ws):
    rows = rows_of(survey_ws)
    # higher is better; the sample size is there too, yet the return's 70.0–74.0 is used.
    # target 70.0 = the lower limit: met with confidence
    assert interval(rows["T-SUP", "2008-09"]) == (D("70"), D("74"), "supplied", None, "met-with-confidence")
    # target 76.0 = the upper limit: not missed with confidence; the point 75.0 < 76.0
    assert rows["T-SUP", "2009-10"]["target_test"] == "missed-not-significant"
    # 69.0–73.0, all of it below 76.0
    assert rows["T-SUP", "2010-11"]["target_test"] == "missed-with-confidence"
    # lower is better, target 20.0: 16–20 (upper limit = target) met with confidence;
    # 17–21, point 19 ≤ 20: met, not significant; 20–26 (lower limit = target), point 23: missed,
    # not significant
    assert [rows["T-SUP-DOWN", p]["target_test"] for p in ("2008-09", "2009-10", "2010-11")] == [
        "met-with-confidence", "met-not-significant", "missed-not-significant"]


def test_newcombe_change_between_two_percentages(survey_ws):
    rows = rows_of(survey_ws)
    # T-SUP 72.0 (70–74) to 75.0 (73–76): d = 3; 3 − sqrt(2² + 2²) = 0.172; 3 + sqrt(1² + 2²)
    # = 5.236; leaves out 0, higher is better: improved significantly
    assert rows["T-SUP", "2009-10"]["change"] == {
        "from_period": "2008-09", "difference": D("3"), "lower": D("0.172"), "upper": D("5.236"),
        "method": "newcombe", "result": "improved-significantly"}
    # 75.0 (73–76) to 71.0 (69–73): d = −4; −4 − sqrt(2² + 1²) = −6.236; −4 + sqrt(2² + 2²) = −1.172
    assert rows["T-SUP", "2010-11"]["change"] == {
        "from_period": "2009-10", "difference": D("-4"), "lower": D("-6.236"), "upper": D("-1.172"),
        "method": "newcombe", "result": "worsened-significantly"}
    # T-HALF 50.0 to 50.0, each 47.0504–52.9496: d = 0 ± 2.9496 × sqrt 2 = ±4.171
    assert rows["T-HALF", "2009-10"]["change"] == {
        "from_period": "2008-09", "difference": D("0"), "lower": D("-4.171"), "upper": D("4.171"),
        "method": "newcombe", "result": "no-significant-change"}
    # lower is better: 18 (16–20) to 19 (17–21): d = 1 ± sqrt(2² + 2²) = −1.828 .. 3.828
    assert rows["T-SUP-DOWN", "2009-10"]["change"]["result"] == "no-significant-change"
    # against the baseline, which has no interval: the difference, not tested
    assert rows["T-SUP", "2008-09"]["change"] == {
        "from_period": "2007-08", "difference": D("4"), "lower": None, "upper": None, "method": None,
        "result": "n/a"}


def test_overlap_change_for_rates(survey_ws):
    rows = rows_of(survey_ws)
    # 0–3.689 then 4.115–17.085: apart, the rate went up, and lower is better
    assert rows["T-RATE", "2009-10"]["change"] == {
        "from_period": "2008-09", "difference": D("9"), "lower": None, "upper": None, "method": "overlap",
        "result": "worsened-significantly"}
    # 4.115–17.085 then 4.787–18.391 overlap
    assert rows["T-RATE", "2010-11"]["change"]["result"] == "no-significant-change"


def test_biennial_off_year_is_not_due_and_passed_over(survey_ws):
    rows = rows_of(survey_ws)
    off = rows["T-BI", "2009-10"]
    # the 2009-10 return (70.0) is of a year the indicator is not collected in: ignored
    assert (off["status"], off["rule"], off["actual"], off["achievement"], off["direction"],
            off["provisional"]) == ("no-data", "not-due", None, None, "n/a", False)
    assert (off["ci_lower"], off["target_test"], off["change"]["result"]) == (None, "n/a", "n/a")
    # 2010-11 is compared with 2008-09 (61.0), not with the off year's 70.0
    last = rows["T-BI", "2010-11"]
    assert (last["status"], last["direction"]) == ("green", "improving")
    assert (last["change"]["from_period"], last["change"]["difference"], last["change"]["method"]) == (
        "2008-09", D("3"), "newcombe")


def test_a_survey_from_before_the_first_collection_year_is_the_previous_value(workspace):
    """A return for a year before a biennial indicator's first collection year (the 2006-07
    survey a Place Survey baseline comes from) is history, not an off year: R310 lets it be, and
    the change is measured from it, with its interval. It was passed over, and the change
    measured from the baseline, which has none: `n/a`."""
    root = workspace({
        "indicators/T-BI.yaml": INDICATORS["indicators/T-BI.yaml"],
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09, 2009-10, 2010-11]\n"
                                      "targets:\n" + target("T-BI", "70.0", "2008-09: 72.0, 2010-11: 75.0")
                                      .replace("2007-08", "2006-07")),
        "returns/returns.csv": "area,indicator,period,value,sample_size\n"
                               "testshire,T-BI,2006-07,70.0,1100\ntestshire,T-BI,2008-09,74.0,1100\n",
    })
    # Wilson at 1,100: 70% → 67.2261–72.6347, 74% → 71.3275–76.5054; d = 4;
    # 4 − sqrt(2.6725² + 2.6347²) = 0.247; 4 + sqrt(2.5054² + 2.7739²) = 7.738: improved
    assert rows_of(root)["T-BI", "2008-09"]["change"] == {
        "from_period": "2006-07", "difference": D("4"), "lower": D("0.247"), "upper": D("7.738"),
        "method": "newcombe", "result": "improved-significantly"}
    assert [f.code for f in findings_for_areas(load_workspace(root), ["testshire"])] == []


def test_no_interval_without_a_sample_size_or_for_a_count(survey_ws):
    rows = rows_of(survey_ws)
    for key in (("T-NOSIZE", "2008-09"), ("T-COUNT", "2008-09")):
        assert interval(rows[key]) == (None, None, None, None, "n/a")
    # the value is still scored: 55.0 against 52.0
    assert rows["T-NOSIZE", "2008-09"]["status"] == "green"


def test_written_limits_show_without_a_method_but_not_under_ci_method_none(survey_ws):
    rows = rows_of(survey_ws)
    # a count has no method of its own, yet shows the limits its return writes: 106 > 105
    assert interval(rows["T-COUNT-CI", "2008-09"]) == (D("106"), D("114"), "supplied", None,
                                                       "met-with-confidence")
    # `ci_method: none` in the indicator: neither Wilson (it has a sample) nor the written limits
    assert interval(rows["T-NONE", "2008-09"]) == (None, None, None, None, "n/a")


def test_level_and_change_test_from_laatool_yaml(workspace):
    root = workspace({
        "laatool.yaml": "significance: {level: 0.998, change_test: overlap}\n",
        "indicators/T-HALF.yaml": INDICATORS["indicators/T-HALF.yaml"],
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09, 2009-10]\n"
                                      "targets:\n" + target("T-HALF", "45.0", "2008-09: 47.0, 2009-10: 53.0")),
        "returns/returns.csv": "area,indicator,period,value,sample_size\n"
                               "testshire,T-HALF,2008-09,50.0,1100\ntestshire,T-HALF,2009-10,57.0,1100\n",
    })
    rows = rows_of(root)
    # z = 3.090232, z² = 9.549536: (1109.549536 ∓ 3.090232 × sqrt(1109.549536)) / 2219.099072
    # = 0.453613 and 0.546387
    assert interval(rows["T-HALF", "2008-09"]) == (D("45.361"), D("54.639"), "wilson", D("0.998"),
                                                   "met-not-significant")
    # 57.0 at n = 1,100 (x = 627): (1263.549536 ∓ 3.090232 × sqrt(9.549536 + 4 × 627 × 0.43))
    # / 2219.099072 = (1263.549536 ∓ 101.9303) / 2219.099072 = 0.523464 .. 0.615331: its lower
    # limit 52.346 is below 54.639, so the intervals overlap (Newcombe would find the rise of 7
    # significant, but the setting asks for overlap)
    change = rows["T-HALF", "2009-10"]["change"]
    assert (change["method"], change["lower"], change["result"]) == ("overlap", None, "no-significant-change")


def test_a_level_of_fifteen_nines_is_shown_as_written_and_its_z_worked_from_the_tail(workspace):
    root = workspace({
        "laatool.yaml": "significance: {level: 0.999999999999999}\n",
        "indicators/T-HALF.yaml": INDICATORS["indicators/T-HALF.yaml"],
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09]\n"
                                      "targets:\n" + target("T-HALF", "45.0", "2008-09: 47.0")),
        "returns/returns.csv": "area,indicator,period,value,sample_size\ntestshire,T-HALF,2008-09,50.0,1100\n",
    })
    # z = Φ⁻¹(1 − 5 × 10⁻¹⁶) = 8.026859, z² = 64.430466, z²/n = 0.058573: the interval is
    # 0.5 ± z × sqrt(0.25/1100 + z²/(4 × 1100²)) / 1.058573 = 0.5 ± 8.026859 × 0.0155108 / 1.058573
    # = 0.5 ± 0.117614 (Φ⁻¹ of 1 − 5 × 10⁻¹⁶ written as a sum near 1 gives z = 8.0084 and 38.256)
    row = rows_of(root)["T-HALF", "2008-09"]
    assert interval(row) == (D("38.239"), D("61.761"), "wilson", D("0.999999999999999"), "met-not-significant")
    output = invoke(["-w", root, "score", "--format", "csv"]).stdout
    assert ",38.239,61.761,0.999999999999999,wilson," in output


@pytest.mark.parametrize(("level", "code"), [("0.999999999999999", 0), ("0.9999999999999997", 1)])
def test_a_level_above_fifteen_nines_is_refused_as_the_readme_says(workspace, level, code):
    root = workspace({"laatool.yaml": f"significance: {{level: {level}}}\n",
                      "indicators/T-HALF.yaml": INDICATORS["indicators/T-HALF.yaml"],
                      "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09]\n"
                                                    "targets:\n" + target("T-HALF", "45.0", "2008-09: 47.0"))})
    findings = json.loads(invoke(["-w", root, "validate", "--format", "json"], code=code).stdout)["findings"]
    assert [f["message"] for f in findings if f["code"] == "S003"] == ([] if code == 0 else [
        f"significance.level: {level} is too close to 1 to work out an interval: write at most 0.999999999999999"])


def test_score_json_carries_the_interval_fields(survey_ws):
    result = invoke(["-w", survey_ws, "score", "--format", "json"])
    rows = {(r["indicator"], r["period"]): r for r in json.loads(result.stdout)["areas"][0]["rows"]}
    row = rows["T-HALF", "2008-09"]
    assert {key: row[key] for key in ("ci_lower", "ci_upper", "ci_level", "ci_method", "target_test")} == {
        "ci_lower": 47.05, "ci_upper": 52.95, "ci_level": 0.95, "ci_method": "wilson",
        "target_test": "met-with-confidence"}
    assert rows["T-SUP", "2009-10"]["change"] == {
        "from_period": "2008-09", "difference": 3, "lower": 0.172, "upper": 5.236, "method": "newcombe",
        "result": "improved-significantly"}
    # the warnings go to stderr: the survey value without a sample size (R314); T-BI's
    # off-year value, still provisional (R312) and for a year T-BI is not collected in (R310);
    # and T-BI's target for that year (A240)
    assert "4 warning(s)" in result.stderr


def test_score_table_shows_the_interval_and_marks_a_change_not_significant(survey_ws):
    result = invoke(["-w", survey_ws, "score"], env={"COLUMNS": "160"})
    line = next(line for line in result.stdout.splitlines() if "T-HALF" in line)
    # measured from the baseline (45.0), which has no interval: not tested, and not shown as if
    # the rise were significant (it was `↑ improving` alone, as a significant change is)
    assert "47.05–52.95" in line and "met, sure" in line and line.rstrip().endswith("↑ improving ?")
    second = result.stdout.splitlines()[result.stdout.splitlines().index(line) + 1]
    assert "52.95" in second and "missed, sure" in second and second.rstrip().endswith("~")
    # T-SUP 2009-10, improved significantly: the arrow alone
    assert any(row.split()[:1] == ["2009-10"] and "73–76" in row and row.rstrip().endswith("↑ improving")
               for row in result.stdout.splitlines())
    assert "? after it: not tested, the value it is measured from having no interval." in " ".join(
        result.stdout.split())


@pytest.mark.parametrize(("row", "code"), [
    ("testshire,T-HALF,2008-09,50.0,,,1100,47.0,", "R323"),    # one limit only
    ("testshire,T-HALF,2008-09,50.0,,,0,,", "R319"),           # sample size 0
    ("testshire,T-HALF,2008-09,50.0,600,,500,,", "R322"),      # numerator above the sample size
    ("testshire,T-HALF,2008-09,50.0,,,1100,51.0,53.0", "R318"),  # the interval leaves out the value
    # a numerator of the sample that is not the value: 900 of 1,100 is 81.8%, not 50.0%, and
    # the interval worked from it (79.4–84.0) would leave out the value
    ("testshire,T-HALF,2008-09,50.0,900,,1100,,", "R307"),
])
def test_score_refuses_bad_interval_inputs(workspace, row, code):
    root = workspace({
        "indicators/T-HALF.yaml": INDICATORS["indicators/T-HALF.yaml"],
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09]\ntargets:\n"
                                      + target("T-HALF", "45.0", "2008-09: 47.0")),
        "returns/returns.csv": "area,indicator,period,value,numerator,denominator,sample_size,lower_ci,upper_ci\n"
                               + row + "\n",
    })
    result = invoke(["-w", root, "score", "--format", "json"], 1)
    assert result.stdout == ""
    assert code in result.stderr


def test_normal_and_chi_squared_quantiles_match_published_tables():
    from laatool.compute.intervals import chi2_quantile, z_value

    # z from the level: Φ⁻¹(c + (1 − c)/2) = −Φ⁻¹((1 − c)/2), as DESIGN.md §9 gives them
    assert [round(z_value(D(c)), 6) for c in ("0.90", "0.95", "0.998")] == [1.644854, 1.959964, 3.090232]
    # χ²(0.975; 2) = −2 ln 0.025 = 7.377759; χ²(0.025; 18) = 8.230746; χ²(0.975; 20) = 34.169607;
    # the median of χ²(1) = 0.454936 (an odd number of degrees, through the general gamma function)
    assert round(chi2_quantile(0.975, 2), 6) == 7.377759
    assert round(chi2_quantile(0.025, 18), 6) == 8.230746
    assert round(chi2_quantile(0.975, 20), 6) == 34.169607
    assert round(chi2_quantile(0.5, 1), 6) == 0.454936
    assert chi2_quantile(0.0, 4) == 0.0


def frame_of(rows: list[dict]):
    import polars as pl

    number = pl.Decimal(38, 10)
    columns = ("value", "numerator", "denominator", "sample_size", "lower_ci", "upper_ci", "rate_per",
               "design_effect", "range_min", "range_max")
    return pl.DataFrame([{**dict.fromkeys(columns), **row} for row in rows],
                        schema={**dict.fromkeys(columns, number), "unit": pl.String, "ci_method": pl.String})


# Each example is a frame of many rows, as the commands work: one call per level, not per row.
@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5000), st.integers(0, 1000), st.sampled_from(["1", "1.2", "2"])),
                min_size=1, max_size=40))
def test_a_wilson_interval_holds_its_value_and_widens_with_the_level(cases):
    from laatool.compute.intervals import with_intervals

    rows = [{"value": D(tenths) / 10, "sample_size": D(size), "design_effect": D(deff), "unit": "percent",
             "ci_method": "wilson", "range_min": D(0), "range_max": D(100)} for size, tenths, deff in cases]
    at_95, at_998 = (with_intervals(frame_of(rows), D(level)).rows(named=True) for level in ("0.95", "0.998"))
    for row, narrow, wide in zip(rows, at_95, at_998, strict=True):
        value = row["value"]
        assert D(0) <= wide["ci_lower"] <= narrow["ci_lower"] <= value <= narrow["ci_upper"] <= wide["ci_upper"] <= 100


@settings(max_examples=8, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=1, max_size=40))
def test_a_poisson_interval_holds_its_count_and_exact_and_byar_meet_at_ten(counts):
    from laatool.compute.intervals import with_intervals

    rows = [{"value": D(events), "unit": "count", "ci_method": "poisson", "range_min": D(0), "design_effect": D(1)}
            for events in counts]
    for events, result in zip(counts, with_intervals(frame_of(rows), D("0.95")).rows(named=True), strict=True):
        assert result["ci_lower"] <= events <= result["ci_upper"]
        assert result["ci_method"] == ("exact" if events < 10 else "byar")


# Limits written with more places than the frame's ten (DESIGN.md §6.1 "Numbers as written",
# §9): each is used as written in the target test, the change and the bracketing check, and is
# rounded once, on output, to the indicator's decimals + 2 (here 1 + 2 = 3 places).
def limits_ws(workspace, rows: str, polarity: str = "higher", unit: str = "percent", settings: str = ""):
    return workspace({
        **({"laatool.yaml": settings} if settings else {}),
        "indicators/T-LIM.yaml": indicator("T-LIM", polarity, unit),
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09, 2009-10, 2010-11]\n"
                                      "targets:\n" + target("T-LIM", "20.0", "2009-10: 23.0, 2010-11: 23.0")),
        "returns/returns.csv": "area,indicator,period,value,lower_ci,upper_ci\n" + rows,
    })


@pytest.mark.parametrize(("polarity", "row", "shown", "test"), [
    # higher is better, target 23: 22.99999999995 < 23, so not the whole interval is on the good
    # side; the point 23.5 ≥ 23: met, not significant. (Held at ten places the limit would be
    # 23.0000000000 = the target, "met with confidence".) Shown: 22.99999999995 to 3 places, 23.000.
    ("higher", "23.5,22.99999999995,25", (D("23"), D("25")), "met-not-significant"),
    # lower is better, target 23: 23.00000000005 > 23 (ten places: 23.0000000000); point 22.5 ≤ 23
    ("lower", "22.5,21,23.00000000005", (D("21"), D("23")), "met-not-significant"),
    # equality at a limit counts as met, written with 12 decimals or not: 23.000000000000 = 23
    ("higher", "23.5,23.000000000000,25", (D("23"), D("25")), "met-with-confidence"),
    ("lower", "22.5,21,23.000000000000", (D("21"), D("23")), "met-with-confidence"),
    # just past the target on the bad side, by 4e-11 (ten places: 23.0000000000 = 23, which
    # would not be "missed with confidence"): higher is better and 22.99999999996 < 23;
    # lower is better and 23.00000000004 > 23
    ("higher", "22.99999999998,22,22.99999999999", (D("22"), D("23")), "missed-with-confidence"),
    ("lower", "23.5,23.00000000004,25", (D("23"), D("25")), "missed-with-confidence"),
])
def test_written_limits_are_tested_as_written(workspace, polarity, row, shown, test):
    root = limits_ws(workspace, f"testshire,T-LIM,2010-11,{row}\n", polarity)
    scored = rows_of(root)["T-LIM", "2010-11"]
    assert (scored["ci_lower"], scored["ci_upper"], scored["ci_method"], scored["target_test"]) == (
        *shown, "supplied", test)


def test_a_computed_interval_is_tested_against_the_value_as_written(workspace):
    # Wilson at n = 1,100 around 49.99999999996: 47.05–52.95 (as at 50%), which holds the target
    # 50.0; the point 49.99999999996 < 50.0 decides: missed, not significant (the status is not
    # green either: achievement (49.99999999996 − 45) / 5 rounds to 1.0000, but it is not met)
    root = workspace({
        "indicators/T-HALF.yaml": INDICATORS["indicators/T-HALF.yaml"],
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09]\ntargets:\n"
                                      + target("T-HALF", "45.0", "2008-09: 50.0")),
        "returns/returns.csv": "area,indicator,period,value,sample_size\n"
                               "testshire,T-HALF,2008-09,49.99999999996,1100\n",
    })
    row = rows_of(root)["T-HALF", "2008-09"]
    assert interval(row) == (D("47.05"), D("52.95"), "wilson", D("0.95"), "missed-not-significant")
    assert (row["status"], row["rule"]) == ("amber", "amber-threshold")


def test_newcombe_change_with_a_limit_written_beyond_ten_places(workspace):
    # 72.0 (70–72) in 2009-10 to 75.0 (72.00000000004–77) in 2010-11: d = 3;
    # lower = 3 − sqrt((75 − 72.00000000004)² + (72 − 72)²) = 3 − 2.99999999996 = 4e-11 > 0,
    # upper = 3 + sqrt(2² + 2²) = 5.828427: the interval leaves out 0, improved significantly
    # (held at ten places the limit is 72, the lower end exactly 0: no significant change).
    # Shown to 3 places: 0.000 and 5.828.
    root = limits_ws(workspace, "testshire,T-LIM,2009-10,72.0,70,72\ntestshire,T-LIM,2010-11,75.0,72.00000000004,77\n")
    assert rows_of(root)["T-LIM", "2010-11"]["change"] == {
        "from_period": "2009-10", "difference": D("3"), "lower": D("0"), "upper": D("5.828"),
        "method": "newcombe", "result": "improved-significantly"}


def test_overlap_change_with_a_limit_written_beyond_ten_places(workspace):
    # a count with written limits: 20 (18–22) then 25 (22.00000000001–28); 22.00000000001 > 22,
    # the intervals do not meet: up, and higher is better (ten places: 22 = 22, they touch)
    root = limits_ws(workspace, "testshire,T-LIM,2009-10,20,18,22\ntestshire,T-LIM,2010-11,25,22.00000000001,28\n",
                     unit="count")
    change = rows_of(root)["T-LIM", "2010-11"]["change"]
    assert (change["method"], change["difference"], change["result"]) == ("overlap", D("5"), "improved-significantly")


def test_a_written_limit_beyond_the_range_is_clamped_as_written(workspace):
    # a percentage's lower limit −0.00000000004 is below the range's 0: clamped to 0, which meets
    # the target 0.0 (as written, unclamped, it would be below it)
    root = workspace({
        "indicators/T-LIM.yaml": indicator("T-LIM"),
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09]\ntargets:\n"
                                      + target("T-LIM", "0.0", "2008-09: 0.0")),
        "returns/returns.csv": "area,indicator,period,value,lower_ci,upper_ci\n"
                               "testshire,T-LIM,2008-09,1.0,-0.00000000004,2\n",
    })
    row = rows_of(root)["T-LIM", "2008-09"]
    assert (row["ci_lower"], row["ci_upper"], row["target_test"]) == (D("0"), D("2"), "met-with-confidence")
    assert not row["ci_lower"].is_signed()


@pytest.mark.parametrize("row", ["23,23.00000000004,25", "23,21,22.99999999996"])
def test_limits_that_miss_the_value_as_written_are_refused(workspace, row):
    # 23.00000000004 > 23 and 22.99999999996 < 23: neither interval brackets its value (R318),
    # though both limits are 23 at ten places
    root = limits_ws(workspace, f"testshire,T-LIM,2010-11,{row}\n")
    result = invoke(["-w", root, "score", "--format", "json"], 1)
    assert "R318" in result.stderr


@pytest.mark.parametrize("exact", [False, True])
def test_a_neutral_target_without_a_baseline_changes_neither_for_better_nor_worse(workspace, exact):
    # neutral polarity and no baseline (a placeholder): no way is better. 20 (18–22) then 25 (23–28): the
    # intervals do not meet, yet neither improved nor worsened; the frame said "worsened", the
    # exact path (a value beyond ten places sends the row there) "no significant change".
    later = "25.00000000001" if exact else "25"
    root = workspace({
        "indicators/T-NEU.yaml": indicator("T-NEU", "neutral", "count"),
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09, 2009-10, 2010-11]\n"
                                      "targets:\n  - {indicator: T-NEU, kind: local, placeholder: true,\n"
                                      "     targets: {2010-11: 30.0}}\n"),
        "returns/returns.csv": "area,indicator,period,value,lower_ci,upper_ci\n"
                               f"testshire,T-NEU,2009-10,20,18,22\ntestshire,T-NEU,2010-11,{later},23,28\n",
    })
    change = rows_of(root)["T-NEU", "2010-11"]["change"]
    assert (change["method"], change["result"]) == ("overlap", "no-significant-change")


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize(("later", "result"), [
    ("46,45,47", "worsened-significantly"),   # 4 below the target 42, now 4 above it: no closer
    ("43,42.5,43.5", "improved-significantly"),   # 4 below, now 1 above: closer
    ("47,46,48", "worsened-significantly"),   # 4 below, now 5 above: further
])
def test_a_significant_change_on_a_neutral_maintain_target_is_judged_by_the_distance_to_it(workspace, exact, later,
                                                                                          result):
    # a neutral count kept at 42 (baseline 42, target 42): 38 (37–39) in 2009-10. Each later
    # interval leaves 37–39 apart, so the change is significant (overlap); it has improved only
    # when the value came closer to 42 (a limit beyond ten places sends the row down the exact path)
    if exact:
        value, low, high = later.split(",")
        later = f"{value},{low}{'' if '.' in low else '.'}00000000001,{high}"
    root = workspace({
        "indicators/T-MNT.yaml": indicator("T-MNT", "neutral", "count"),
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09, 2009-10, 2010-11]\n"
                                      "targets:\n" + target("T-MNT", "42", "2009-10: 42, 2010-11: 42")),
        "returns/returns.csv": "area,indicator,period,value,lower_ci,upper_ci\n"
                               f"testshire,T-MNT,2009-10,38,37,39\ntestshire,T-MNT,2010-11,{later}\n",
    })
    change = rows_of(root)["T-MNT", "2010-11"]["change"]
    assert (change["method"], change["result"]) == ("overlap", result)


@pytest.mark.parametrize("limits", ["40,44", "39.99999999999,44"])
def test_a_neutral_target_without_a_baseline_is_met_where_the_value_equals_it(workspace, limits):
    # neutral polarity and no baseline: no way is better, but 42 against a target of 42 meets it
    # either way (§5: equality counts as met; §9: not significant, judged by the point). It was
    # no-data, "no-baseline", and missed (a limit beyond ten places: the exact path)
    root = workspace({
        "indicators/T-NEU.yaml": indicator("T-NEU", "neutral", "count"),
        "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09, 2009-10]\n"
                                      "targets:\n  - {indicator: T-NEU, kind: local, placeholder: true,\n"
                                      "     targets: {2009-10: 42.0}}\n"),
        "returns/returns.csv": f"area,indicator,period,value,lower_ci,upper_ci\ntestshire,T-NEU,2009-10,42,{limits}\n",
    })
    row = rows_of(root)["T-NEU", "2009-10"]
    assert (row["status"], row["rule"], row["achievement"], row["target_test"]) == (
        "green", "met-target", None, "met-not-significant")


def test_two_returns_of_one_value_with_other_limits_conflict(workspace):
    # 72.0 for T-SUP 2008-09 in a.csv (70.5–73.5) and again in b.csv (69.5–74.5): the interval,
    # and so the target test, would be either's, so they are not one return repeated (R309)
    # but a conflict (R308), whichever file comes first; score refuses
    header = "area,indicator,period,value,sample_size,lower_ci,upper_ci\n"
    rows = ["testshire,T-SUP,2008-09,72.0,1100,70.5,73.5\n", "testshire,T-SUP,2008-09,72.0,1100,69.5,74.5\n"]
    for first, second in (rows, rows[::-1]):
        root = workspace({
            "indicators/T-SUP.yaml": INDICATORS["indicators/T-SUP.yaml"],
            "agreements/testshire.yaml": ("area: testshire\nname: Testshire\nperiods: [2008-09]\ntargets:\n"
                                          + target("T-SUP", "68.0", "2008-09: 70.0")),
            "returns/a.csv": header + first, "returns/b.csv": header + second,
        })
        report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
        assert [(f["code"], f["file"], f["row"], f["message"]) for f in report["findings"]] == [
            ("R308", "returns/b.csv", 2, "T-SUP 2008-09 for testshire: value '72.0' as at returns/a.csv row 2, but "
                                        "another numerator, denominator, sample size or limits")]
        invoke(["-w", root, "score"], 1)
