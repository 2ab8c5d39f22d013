"""Plausibility warnings (DESIGN.md §12) as a performance officer meets them: the messages,
and the spreadsheet mistakes they are for (a 55% cell stored as 0.55, a period made a date)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from conftest import invoke

AGREEMENT = """
area: leeds
name: Leeds
periods: [2008-09, 2009-10, 2010-11]
reward: {scheme: lpsa2, maximum: 1000000.00}
targets:
  - indicator: NI 53
    kind: designated
    baseline: {period: 2007-08, value: 44.5}
    targets: {2008-09: 46, 2009-10: 47.5, 2010-11: 49}
  - indicator: LEEDS-01
    kind: local
    baseline: {period: 2007-08, value: 90}
    targets: {2010-11: 130}
"""
LOCAL = """
id: LEEDS-01
title: Long-term empty homes returned to use
polarity: higher
unit: count
decimals: 0
frequency: annual
period_type: financial-year
tolerance: 10
"""


def findings(root, code):
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)
    return [f for f in report["findings"] if f["code"] == code]


def test_a_proportion_for_a_percentage_says_what_it_would_be(workspace):
    """NI 53's earlier values are 46.8 and 47.1; 0.471 is at most 1: as a percentage 47.1."""
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": LOCAL, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 53,2008-09,46.8
        leeds,NI 53,2009-10,47.1
        leeds,NI 53,2010-11,0.471
        """})
    [found] = findings(root, "R330")
    assert (found["row"], found["field"], found["severity"]) == (4, "value", "warning")
    assert found["message"] == ("value 0.471 of NI 53 (a percentage) looks like a proportion: most of leeds's "
                                "other NI 53 returns are above 1; as a percentage it would be 47.1")


@pytest.mark.parametrize("value, said", [
    # 1.00000000001 is above 1 (at 10 places it is 1, which was called a proportion)
    ("1.00000000001", None),
    ("1.0000000000", "as a percentage it would be 100"),
    # 0.99999999999 is at most 1: as a percentage 99.999999999 (it was 100, at 10 places)
    ("0.99999999999", "as a percentage it would be 99.999999999"),
])
def test_a_value_past_ten_places_is_compared_with_1_as_written(workspace, value, said):
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": LOCAL, "returns/r.csv": f"""
        area,indicator,period,value
        leeds,NI 53,2008-09,46.8
        leeds,NI 53,2009-10,47.1
        leeds,NI 53,2010-11,{value}
        """})
    assert [f["message"].split("; ")[-1] for f in findings(root, "R330")] == ([said] if said else [])


@pytest.mark.parametrize("targets, warned", [
    ("{2009-10: 1.00000000001, 2010-11: 1.00000000002}", True),  # above 1, though 1 at 10 places
    ("{2009-10: 0.99999999999, 2010-11: 1}", False),  # at most 1, though 1 at 10 places
])
def test_a_target_past_ten_places_is_compared_with_1_as_written(workspace, targets, warned):
    """A lone NI 53 return of 0.9 is a proportion when one of the area's targets is above 1."""
    agreement = AGREEMENT.replace("{2008-09: 46, 2009-10: 47.5, 2010-11: 49}", targets).replace(
        "value: 44.5}", "value: 0.5}")
    root = workspace({"agreements/leeds.yaml": agreement, "indicators/LEEDS-01.yaml": LOCAL, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 53,2010-11,0.9
        """})
    assert [f["row"] for f in findings(root, "R330")] == ([2] if warned else [])


def test_a_negative_value_is_out_of_range_not_a_proportion(workspace):
    """-0.1 for NI 53 (0 to 100) is R306, out of its range; no proportion is negative, so it is
    not said to be 0.471 typed for 47.1% as well (R330 called it -10 per cent)."""
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": LOCAL, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 53,2008-09,46.8
        leeds,NI 53,2009-10,47.1
        leeds,NI 53,2010-11,-0.1
        """})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    assert [(f["code"], f["row"]) for f in report["findings"] if f["file"] == "returns/r.csv"] == [("R306", 4)]


def test_a_gap_closing_to_nothing_is_no_proportion(workspace):
    """NI 102, an attainment gap in percentage points (range -100 to 100), closes from 12.5 to
    -0.5: values near 0 are the goal of a gap's target, and a proportion is never negative,
    so a signed percentage gets no R330 (its 0.8 neither)."""
    root = workspace({"agreements/leeds.yaml": """
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1000000.00}
        targets:
          - indicator: NI 102
            kind: designated
            baseline: {period: 2007-08, value: 12.5}
            targets: {2008-09: 8, 2009-10: 4, 2010-11: -1}
        """, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 102,2007-08,12.5
        leeds,NI 102,2008-09,6.1
        leeds,NI 102,2009-10,0.8
        leeds,NI 102,2010-11,-0.5
        """})
    assert findings(root, "R330") == []


def test_a_change_beyond_the_tolerance_names_both_values(workspace):
    """LEEDS-01 (tolerance 10): 100 in 2009-10, then 1150 in 2010-11, a change of 1050."""
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": LOCAL, "returns/r.csv": """
        area,indicator,period,value
        leeds,LEEDS-01,2009-10,100
        leeds,LEEDS-01,2010-11,1150
        """})
    [found] = findings(root, "R331")
    assert found["row"] == 3
    assert found["message"] == ("LEEDS-01 2010-11 for leeds: value 1150 changes by 1050 from 100 the period "
                                "before, more than its tolerance of 10")


@pytest.mark.parametrize("tolerance, before, value, change", [
    ("1", "21", "22.00000000001", "1.00000000001"),  # 1 at 10 places
    ("0.99999999999", "21", "22", "1"),  # a tolerance of 1 at 10 places
    ("1.0000000001", "21", "22.00000000011", "1.00000000011"),  # 1.0000000001 at 10 places
    ("1", "20.99999999999", "22", "1.00000000001"),  # the value before past 10 places
    ("1", "21.00000000001", "22", None),  # 0.99999999999, within 1 (1 at 10 places)
])
def test_a_change_past_ten_places_is_measured_as_written(workspace, tolerance, before, value, change):
    local = LOCAL.replace("tolerance: 10", f"tolerance: {tolerance}")
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": local, "returns/r.csv": f"""
        area,indicator,period,value
        leeds,LEEDS-01,2009-10,{before}
        leeds,LEEDS-01,2010-11,{value}
        """})
    assert [f["message"] for f in findings(root, "R331")] == ([] if change is None else [
        f"LEEDS-01 2010-11 for leeds: value {value} changes by {change} from {before} the period before, more than "
        f"its tolerance of {tolerance}"])


def test_spreadsheet_cells_a_55_percent_and_a_period_made_a_date(workspace):
    """An Excel cell showing 55% holds 0.55: it is read as the 55% it shows, not a number, as in
    a CSV file (0.55 typed without the format is R330); a cell where 2010-11 was
    typed holds 1 November 2010."""
    import xlsxwriter

    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": LOCAL})
    workbook = xlsxwriter.Workbook(root / "returns" / "r.xlsx")
    sheet = workbook.add_worksheet("returns")
    sheet.write_row(0, 0, ["area", "indicator", "period", "value"])
    sheet.write_row(1, 0, ["leeds", "NI 53", "2009-10"])
    sheet.write_number(1, 3, 0.55, workbook.add_format({"num_format": "0%"}))
    sheet.write_row(2, 0, ["leeds", "NI 53"])
    sheet.write_datetime(2, 2, datetime(2010, 11, 1), workbook.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_number(2, 3, 48.2)
    workbook.close()
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    by_code = {f["code"]: f for f in report["findings"]}
    assert (by_code["R305"]["row"], by_code["R305"]["field"], by_code["R305"]["message"]) == (
        2, "value", "value '55%' is not a number")
    assert "R330" not in by_code
    assert by_code["R332"]["message"] == ("period '2010-11-01 00:00:00' is a date that a spreadsheet made of the "
                                          "period typed: probably the period 2010-11")
    assert "Format Cells > Text" in by_code["R332"]["hint"]
    assert by_code["R304"]["message"] == "'2010-11-01 00:00:00' is not a period; did you mean 2010-11?"


def test_periods_a_spreadsheet_made_dates_of_and_saved_as_csv(workspace):
    """Excel reads 2010-11 and 2008/09 typed into a cell as 1 November 2010 and 1 September 2008,
    shows them as Nov-10 and Sep-08 (or, formatted as a short date, 01/11/2010, or with its day,
    1-Nov-10) and saves that
    text to a CSV file. Each is a date a spreadsheet made (R332), no period (R304); December
    2010 follows no year, so it is named a date without a period guessed."""
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": LOCAL, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 53,Nov-10,48.2
        leeds,NI 53,Sep-08,46.8
        leeds,NI 53,01/11/2010,48.2
        leeds,NI 53,Dec-10,48.2
        leeds,NI 53,2009-10,47.1
        leeds,NI 53,1-Nov-10,48.2
        """})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    said = {(f["code"], f["row"]): f["message"] for f in report["findings"] if f["code"] in ("R304", "R332")}
    assert said == {
        ("R332", 2): ("period 'Nov-10' is a date that a spreadsheet made of the period typed: "
                      "probably the period 2010-11"),
        ("R304", 2): "'Nov-10' is not a period; did you mean 2010-11?",
        ("R332", 3): ("period 'Sep-08' is a date that a spreadsheet made of the period typed: "
                      "probably the period 2008-09"),
        ("R304", 3): "'Sep-08' is not a period; did you mean 2008-09?",
        ("R332", 4): ("period '01/11/2010' is a date that a spreadsheet made of the period typed: "
                      "probably the period 2010-11"),
        ("R304", 4): "'01/11/2010' is not a period; did you mean 2010-11?",
        ("R332", 5): "period 'Dec-10' is a date that a spreadsheet made of the period typed",
        ("R304", 5): "'Dec-10' is not a period",
        # Excel's d-mmm-yy, as it shows the first of November 2010 with its day
        ("R332", 7): ("period '1-Nov-10' is a date that a spreadsheet made of the period typed: "
                      "probably the period 2010-11"),
        ("R304", 7): "'1-Nov-10' is not a period; did you mean 2010-11?",
    }


def test_percentages_written_as_percentages_and_small_changes_pass(workspace):
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": LOCAL, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 53,2009-10,47.1
        leeds,NI 53,2010-11,1.2
        leeds,LEEDS-01,2009-10,100
        leeds,LEEDS-01,2010-11,110
        """})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)
    assert [f for f in report["findings"] if f["code"] in ("R330", "R331", "R332")] == []
