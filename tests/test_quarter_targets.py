"""Targets set for a quarter of a quarterly indicator are milestones within their year: scored
against that quarter's return, never the final target of the reward, the projection, the
agreement checks or the board report's yearly trajectory (docs/decisions.md, "Hostile and
broken input")."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from conftest import invoke
from laatool.cli import app

HEAD = """
    area: gamma
    name: Gamma
    periods: [2008-09, 2009-10, 2010-11]
    reward: {scheme: lpsa2, maximum: 100000.00}
    targets:
"""


def validated(root) -> list[dict]:
    """validate's findings, whatever its exit code (these agreements have errors or not)."""
    return json.loads(CliRunner().invoke(app, ["-w", str(root), "validate", "--format", "json"]).stdout)["findings"]


def findings(root, code: str) -> list[tuple[int, str]]:
    return [(f["line"], f["message"]) for f in validated(root) if f["code"] == code]


def test_the_agreement_checks_take_the_final_years_own_target_not_a_quarter_after_it(workspace):
    # NI 152 (lower is better) from 14.0 to 12.0 in 2010-11, expected 11.5 without the
    # agreement: beyond the target, no enhancement (A206), though the Q3 milestone of 11.0 is
    # beyond 11.5. NI 156 (lower) from 1000 to 1100: against its polarity (A207), though the Q2
    # milestone of 900 is not; NI 53's only 2010-11 target is its Q4: no final target (A235).
    root = workspace({"agreements/gamma.yaml": HEAD + """
          - indicator: NI 152
            kind: designated
            baseline: {period: 2007-08, value: 14.0}
            targets: {2010-11: 12.0, 2010-11 Q3: 11.0}
            expected_without_agreement: 11.5
          - indicator: NI 156
            kind: designated
            baseline: {period: 2007-08, value: 1000}
            targets: {2010-11: 1100, 2010-11 Q2: 900}
          - indicator: NI 53
            kind: designated
            baseline: {period: 2007-08, value: 40.0}
            targets: {2009-10: 42.0, 2010-11 Q4: 45.0}
    """})
    assert findings(root, "A206") == [
        (11, "NI 152: expected_without_agreement 11.5 is not short of the 2010-11 target 12.0: the enhancement is "
             "negative")]
    assert [line for line, _ in findings(root, "A207")] == [15]
    assert findings(root, "A235") == [
        (19, "NI 53: a reward target with no target for 2010-11, the agreement's final year: it stays pending")]


def test_a_milestone_before_the_expected_level_refuses_nothing_and_the_reward_is_the_years(workspace):
    # 2010-11 Q3: 13.9 is short of the expected 13.0, the final 12.0 is not: valid. The reward
    # is (12.3 - 13) / (12 - 13) = 0.7 of £100,000 = £70,000.00 (the Q3 return 13.8 reads nothing).
    root = workspace({
        "agreements/gamma.yaml": HEAD + """
          - indicator: NI 152
            kind: designated
            baseline: {period: 2007-08, value: 14.0}
            targets: {2010-11 Q3: 13.9, 2010-11: 12.0}
            expected_without_agreement: 13.0
        """,
        "returns/r.csv": "area,indicator,period,value\ngamma,NI 152,2010-11,12.3\ngamma,NI 152,2010-11 Q3,13.8\n",
    })
    document = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)
    assert document["total"] == "70000.00"


def test_project_and_the_report_take_no_quarter_for_the_final_target_or_a_years(workspace, tmp_path):
    # NI 156's 2010-11 has only a Q1 milestone (480): no final target, so no projection row and
    # A235; the report's 2010-11 line for it has no target, and the year's actual (460), not
    # Q1's 470. NI 157's year is projected alone: (22 - 20) / (23 - 20) = 2/3 of £50,000.
    root = workspace({
        "agreements/gamma.yaml": HEAD + """
          - indicator: NI 156
            kind: designated
            baseline: {period: 2007-08, value: 520}
            targets: {2009-10: 500, 2010-11 Q1: 480}
            expected_without_agreement: 510
          - indicator: NI 157
            kind: designated
            baseline: {period: 2007-08, value: 20.0}
            targets: {2010-11: 23.0}
        """,
        "returns/r.csv": "area,indicator,period,value\ngamma,NI 156,2010-11 Q1,470\ngamma,NI 156,2010-11,460\n"
                         "gamma,NI 157,2010-11,22.0\n",
    })
    (area,) = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout)["areas"]
    assert [row["indicator"] for row in area["rows"]] == ["NI 157"]
    assert area["projected_total"] == "33333.33"
    invoke(["-w", root, "report", "-o", tmp_path / "r.xlsx"])
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["gamma"]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if row and row[0] == "Ref")
    line = dict(zip(header, next(row for row in rows if row and row[0] == "NI 156"), strict=False))
    assert (line["Target 2010-11"], line["Actual 2010-11"]) == (None, 460)


def test_a_quarter_given_twice_final_and_provisional_is_final_in_any_order(workspace):
    # NI 157 is not cumulative: the year's value is its fourth quarter's, given twice, once
    # final: the final return confirms the provisional one (it stayed provisional)
    returns = ["gamma,NI 157,2010-11 Q1,21.0,", "gamma,NI 157,2010-11 Q2,21.5,", "gamma,NI 157,2010-11 Q3,22.0,",
               "gamma,NI 157,2010-11 Q4,22.5,", "gamma,NI 157,2010-11 Q4,22.5,provisional"]
    agreement = HEAD + """
          - indicator: NI 157
            kind: designated
            baseline: {period: 2007-08, value: 20.0}
            targets: {2010-11: 23.0}
    """
    outputs = set()
    for order in (returns, returns[::-1]):
        root = workspace({"agreements/gamma.yaml": agreement,
                          "returns/r.csv": "area,indicator,period,value,status\n" + "\n".join(order) + "\n"})
        (row,) = json.loads(invoke(["-w", root, "score", "--format", "json"]).stdout)["areas"][0]["rows"]
        assert (row["actual"], row["provisional"]) == (22.5, False)
        outputs.add(invoke(["-w", root, "score", "--format", "json"]).stdout)
    assert len(outputs) == 1


def test_the_hint_of_a_quarter_target_on_an_annual_indicator_names_its_own_year(workspace):
    root = workspace({"agreements/gamma.yaml": HEAD + """
          - indicator: NI 8
            kind: designated
            baseline: {period: 2007-08, value: 20.0}
            targets: {2008-09 Q3: 21.0, 2010-11: 23.0}
            interim: {period: 2008-09 Q2, value: 21.0}
    """})
    assert [f["hint"] for f in validated(root) if f["code"] == "A234"] == [
        "key the target by its year (`2008-09`), as the indicator is reported",
        "key the interim level by its year (`2008-09`), as the indicator is reported"]


def test_the_latest_period_reported_is_the_year_once_it_is_reported():
    from laatool.render.workbooks import latest

    assert latest(["2010-11 Q1", "2010-11"]) == "2010-11"
    assert latest(["2010-11 Q4", "2010-11", "2009-10"]) == "2010-11"
    assert latest(["2010-11 Q3", "2009-10"]) == "2010-11 Q3"
    assert latest([None, "2009", "2008-09"]) == "2009"
