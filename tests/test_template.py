"""`laatool template` (DESIGN.md §12): the rows due, the workbook's checks, the round trip
through `laatool validate`, and byte-identical output."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from conftest import EXAMPLES, REPO, invoke

AGREEMENT = """
area: leeds
name: Leeds
periods: [2008-09, 2009-10, 2010-11]
reward: {scheme: lpsa2, maximum: 1000000.00}
targets:
  - indicator: NI 154
    kind: designated
    baseline: {period: 2007-08, value: 2940}
    targets: {2008-09: 3200, 2009-10: 3500, 2010-11: 3800}
    subtargets:
      - id: north
        baseline: {period: 2007-08, value: 1000}
        targets: {2010-11: 1300}
  - indicator: NI 53
    kind: designated
    baseline: {period: 2007-08, value: 44.5}
    targets: {2010-11: 49}
  - indicator: NI 1
    kind: designated
    baseline: {period: 2008-09, value: 72.9}
    targets: {2010-11: 76}
  - indicator: NI 47
    kind: designated
    baseline: {period: 2007, value: 380}
    targets: {2010-11: 330}
  - indicator: NI 72
    kind: statutory
    baseline: {period: 2007-08, value: 42}
    targets: {2008-09: 46}
  - indicator: LEEDS-01
    kind: local
    placeholder: true
"""
LOCAL = """
id: LEEDS-01
title: Long-term empty homes returned to use
polarity: higher
unit: count
decimals: 0
frequency: annual
period_type: financial-year
"""


@pytest.fixture
def leeds(workspace):
    return workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": LOCAL})


def test_one_row_per_target_indicator_and_period_due(leeds):
    """Worked from the agreement, for 2008-09 to 2010-11:
    NI 154 (annual): its own row and sub-target north, each year: 2 x 3 = 6 rows;
    NI 53 (quarterly): Q1-Q4 of each year: 12; NI 1 (biennial, collected 2008-09 and 2010-11): 2;
    NI 47 (calendar-year): 2008, 2009, 2010: 3; NI 72 (statutory, academic year): 3;
    LEEDS-01 (local placeholder): 3. In all 29, a year at a time in agreement order."""
    result = invoke(["-w", leeds, "template", "--area", "leeds", "--format", "json"])
    rows = json.loads(result.stdout)["rows"]
    keys = [(r["indicator"], r["period"], r["subtarget"]) for r in rows]
    assert len(keys) == 29
    first_year = [k for k in keys if k[1].startswith("2008")]
    assert first_year == [
        ("NI 154", "2008-09", None), ("NI 154", "2008-09", "north"), ("NI 1", "2008-09", None),
        ("NI 47", "2008", None), ("NI 72", "2008-09", None), ("LEEDS-01", "2008-09", None),
        ("NI 53", "2008-09 Q1", None), ("NI 53", "2008-09 Q2", None), ("NI 53", "2008-09 Q3", None),
        ("NI 53", "2008-09 Q4", None),
    ]
    assert ("NI 1", "2009-10", None) not in keys  # biennial: not collected in 2009-10
    assert "laatool: 29 row(s) to fill in for Leeds (2008-09, 2009-10, 2010-11)" in result.stderr


def test_a_quarter_asked_for_gives_the_quarterly_indicators_alone(leeds):
    result = invoke(["-w", leeds, "template", "--area", "Leeds", "--period", "2010/11 Q2", "--format", "csv"])
    assert result.stdout == (
        "area,indicator,period,value,subtarget,numerator,denominator,sample_size,lower_ci,upper_ci,status,note\n"
        "leeds,NI 53,2010-11 Q2,,,,,,,,,\n")
    assert "laatool: 1 row(s) to fill in for Leeds (2010-11 Q2)" in result.stderr  # the quarter asked for
    # a year as the agreement's, however written, and each once
    again = invoke(["-w", leeds, "template", "--area", "leeds", "--period", "2010", "--period", "2010/11"])
    assert "to fill in for Leeds (2010-11)\n" in again.stderr


def _sheet_xml(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def test_a_rates_prompt_and_targets_sheet_name_its_base(tmp_path):
    """NI 16 is a rate per 1,000 people (DESIGN.md §12: the prompt names the unit): "rate"
    alone would leave the officer guessing whether to write 17.2 or 0.0172."""
    out = tmp_path / "leeds.xlsx"
    invoke(["-w", EXAMPLES, "template", "--area", "leeds", "-o", out])
    sheet = _sheet_xml(out, "xl/worksheets/sheet1.xml")
    assert "Serious acquisitive crime rate: rate per 1,000, 2 decimal place(s); 0 or more, below 10^15." in sheet
    targets = pl.read_excel(out, sheet_name="targets", infer_schema_length=0, read_options={"header_row": 2})
    assert targets.filter(pl.col("indicator") == "NI 16").get_column("unit").to_list() == ["rate per 1,000"]


def test_the_workbook_checks_each_value_as_its_indicator_allows(leeds, tmp_path):
    """Row 2 is NI 154 (a count, no range): whole numbers; row 4 is NI 1 (a percentage, 1
    decimal): decimals from 0 to 100; NI 47 (a count, min 0): whole, 0 or more. status is a list,
    sample_size a whole number of at least 1."""
    out = tmp_path / "leeds.xlsx"
    invoke(["-w", leeds, "template", "--area", "leeds", "-o", out])
    sheet = _sheet_xml(out, "xl/worksheets/sheet1.xml")
    # each check by the first cell of its range (rows whose indicators allow the same share one)
    checks = {m.group("ref").split(":")[0]: m.group(0) for m in re.finditer(
        r'<dataValidation (?P<attrs>[^>]*)sqref="(?P<ref>[^"]+)">.*?</dataValidation>', sheet)}
    assert 'sqref="D2:D3"' in checks["D2"]  # NI 154 and its sub-target north
    assert 'type="whole"' in checks["D2"] and "NI 154 value" in checks["D2"]
    assert 'type="decimal"' in checks["D4"] and "<formula1>0</formula1><formula2>100</formula2>" in checks["D4"]
    assert "percent, 1 decimal place(s)" in checks["D4"]
    assert 'type="whole"' in checks["D5"] and "a whole number (a count); 0 or more, below 10^15." in checks["D5"]
    assert "<formula1>0</formula1><formula2>999999999999999</formula2>" in checks["D5"]
    status = checks["K2"]
    assert 'type="list"' in status and '"final,provisional"' in status
    size = checks["H2"]
    assert 'type="whole"' in size and "<formula1>1</formula1>" in size
    assert "<sheetProtection" in sheet
    with zipfile.ZipFile(out) as archive:
        assert [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")] == [
            f"xl/worksheets/sheet{i}.xml" for i in range(1, 5)]
    assert pl.read_excel(out, sheet_name="returns", infer_schema_length=0).columns[:4] == [
        "area", "indicator", "period", "value"]


def test_a_range_past_ten_places_is_offered_as_written(workspace, tmp_path):
    """LEEDS-01 allows 0.00000000001 to 50.00000000001 (validate compares exactly: R306 refuses
    0 and 50.00000000002). The template gave 0..50, so Excel refused the 50.00000000001 that
    validate takes and took the 0 it refuses."""
    ranged = LOCAL.replace("unit: count", "unit: percent").replace(
        "decimals: 0", "decimals: 1\nrange: {min: 0.00000000001, max: 50.00000000001}")
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "indicators/LEEDS-01.yaml": ranged})
    rows = json.loads(invoke(["-w", root, "template", "--area", "leeds", "--period", "2010-11", "--format",
                              "json"]).stdout, parse_float=Decimal)["rows"]
    assert [(row["range_min"], row["range_max"]) for row in rows if row["indicator"] == "LEEDS-01"] == [
        (Decimal("0.00000000001"), Decimal("50.00000000001"))]
    table = invoke(["-w", root, "template", "--area", "leeds", "--period", "2010-11"], env={"COLUMNS": "200"}).stdout
    assert "0.00000000001..50.00000000001" in table
    out = tmp_path / "leeds.xlsx"
    invoke(["-w", root, "template", "--area", "leeds", "--period", "2010-11", "-o", out])
    sheet = _sheet_xml(out, "xl/worksheets/sheet1.xml")
    assert "<formula1>1e-11</formula1><formula2>50.00000000001</formula2>" in sheet
    assert "from 0.00000000001 to 50.00000000001." in sheet


def test_key_columns_locked_and_the_rest_open(leeds, tmp_path):
    out = tmp_path / "leeds.xlsx"
    invoke(["-w", leeds, "template", "--area", "leeds", "-o", out])
    styles = _sheet_xml(out, "xl/styles.xml")
    formats = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    unlocked = [i for i, xf in enumerate(re.findall(r"<xf .*?(?:/>|</xf>)", formats)) if 'locked="0"' in xf]
    columns = {column: int(m.group(3)) for m in re.finditer(r'<col min="(\d+)" max="(\d+)"[^>]*style="(\d+)"',
                                                             _sheet_xml(out, "xl/worksheets/sheet1.xml"))
               for column in range(int(m.group(1)), int(m.group(2)) + 1)}
    # area, indicator, period locked; value open; subtarget locked; the other seven open
    assert [columns[c] in unlocked for c in range(1, 13)] == [False, False, False, True, False] + [True] * 7


def test_the_template_is_the_same_bytes_on_a_second_run(leeds, tmp_path):
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    invoke(["-w", leeds, "template", "--area", "leeds", "-o", first])
    invoke(["-w", leeds, "template", "--area", "leeds", "-o", second])
    assert first.read_bytes() == second.read_bytes()
    core = _sheet_xml(first, "docProps/core.xml")
    assert "1980-01-01T00:00:00Z" in core and "<dc:creator>laatool</dc:creator>" in core
    # every sheet prints as the other workbooks' do: A4 landscape, one page wide
    for number in range(1, 5):
        sheet = _sheet_xml(first, f"xl/worksheets/sheet{number}.xml")
        assert 'orientation="landscape"' in sheet and "fitToPage" in sheet


def fill(template: Path, filled: Path) -> int:
    """Type a value into every row of the template's returns sheet, as an officer would (50 for
    a percentage, 1 otherwise; final or provisional alternately), keeping every other cell."""
    import xlsxwriter

    frame = pl.read_excel(template, sheet_name="returns", infer_schema_length=0)
    workbook = xlsxwriter.Workbook(filled)
    sheet = workbook.add_worksheet("returns")
    sheet.write_row(0, 0, frame.columns)
    indicators = {}
    for number, row in enumerate(frame.iter_rows(named=True), start=1):
        for index, text in enumerate(row.values()):
            if text is not None:
                sheet.write_string(number, index, text)
        unit = indicators.setdefault(row["indicator"], _unit(row["indicator"]))
        sheet.write_number(number, frame.columns.index("value"), 50 if unit == "percent" else 1)
        sheet.write_string(number, frame.columns.index("status"), ("final", "provisional")[number % 2])
    workbook.close()
    return frame.height


def _unit(indicator: str) -> str:
    from laatool.api import known_indicators

    return known_indicators(EXAMPLES)[indicator].unit


@pytest.mark.parametrize("area", ["cumbria", "leeds", "stockton"])
def test_each_example_areas_template_filled_in_validates_without_error(area, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("returns"))
    (root / "returns").mkdir()
    template = tmp_path / "template.xlsx"
    invoke(["-w", root, "template", "--area", area, "-o", template])
    rows = fill(template, root / "returns" / "filled.xlsx")
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)
    assert report["counts"]["error"] == 0, report["findings"]
    assert rows > 30
    # Every filled-in row is read: scoring sees an actual for every target in its final year.
    scored = json.loads(invoke(["-w", root, "score", "--area", area, "--period", "2010-11",
                                "--format", "json"]).stdout)
    assert all(r["actual"] is not None for r in scored["areas"][0]["rows"] if r["target"] is not None)


def test_bad_input_is_a_usage_error_with_a_suggestion(leeds, tmp_path):
    unknown = invoke(["-w", leeds, "template", "--area", "leds", "-o", tmp_path / "t.xlsx"], 2)
    assert "unknown area 'leds'" in unknown.stderr and "did you mean leeds?" in unknown.stderr
    period = invoke(["-w", leeds, "template", "--area", "leeds", "--period", "Q2 2010/11"], 2)
    assert "did you mean 2010-11 Q2?" in period.stderr
    assert not (tmp_path / "t.xlsx").exists()
    # a template written over a filled-in returns file would lose the returns
    filled = leeds / "returns" / "filled.csv"
    filled.write_text("area,indicator,period,value\nleeds,NI 154,2008-09,3105\n", encoding="utf-8")
    over = invoke(["-w", leeds, "template", "--area", "leeds", "--format", "csv", "-o", filled], 2)
    assert "a file this run reads" in over.stderr
    assert filled.read_text(encoding="utf-8").endswith("3105\n")


def test_an_agreement_that_does_not_load_is_refused(workspace, tmp_path):
    root = workspace({"agreements/leeds.yaml": "area: leeds\nname: Leeds\nperiods: [2008-09]\ntargetz: []\n"})
    result = invoke(["-w", root, "template", "--area", "leeds", "-o", tmp_path / "t.xlsx"], 1)
    assert "S001" in result.stderr and "did you mean 'targets'?" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_every_value_check_matches_its_rows_indicator(tmp_path):
    """For every pre-filled row of Leeds's template: whole numbers exactly for a count, and the
    limits of the indicator's range (DESIGN.md §4.1: a percentage 0 to 100 by default)."""
    out = tmp_path / "leeds.xlsx"
    invoke(["-w", EXAMPLES, "template", "--area", "leeds", "-o", out])
    rows = json.loads(invoke(["-w", EXAMPLES, "template", "--area", "leeds", "--format", "json"]).stdout)["rows"]
    sheet = _sheet_xml(out, "xl/worksheets/sheet1.xml")
    by_row = {}
    for m in re.finditer(r'<dataValidation ([^>]*)sqref="D(\d+)(?::D(\d+))?">(.*?)</dataValidation>', sheet):
        for number in range(int(m.group(2)), int(m.group(3) or m.group(2)) + 1):
            by_row[number] = (m.group(1), m.group(4))
    assert sorted(by_row) == list(range(2, len(rows) + 2))
    for number, row in enumerate(rows, start=2):
        attrs, formulas = by_row[number]
        assert ('type="whole"' in attrs) == (row["unit"] == "count"), row
        # no range, or a range open at one end, stops short of 10^15 either way, as R306 does
        # (NI 186: a reduction may be negative, at most 100%)
        low = "-999999999999999" if row["range_min"] is None else row["range_min"]
        high = "999999999999999" if row["range_max"] is None else row["range_max"]
        assert 'operator="' not in attrs and formulas == f"<formula1>{low}</formula1><formula2>{high}</formula2>", row
        assert f"{row['indicator']} value" in attrs


def test_a_counts_check_stops_below_10_to_the_15_as_validate_does(leeds, tmp_path):
    """NI 154 (a count, no range) took up to 1,000,000,000,000,000 inclusive, which validate
    refuses (R306): the check now takes what validate takes, 999,999,999,999,999 at most."""
    out = tmp_path / "leeds.xlsx"
    invoke(["-w", leeds, "template", "--area", "leeds", "-o", out])
    check = re.search(r'<dataValidation [^>]*sqref="D2:D3">.*?</dataValidation>',
                      _sheet_xml(out, "xl/worksheets/sheet1.xml")).group(0)
    assert "<formula1>-999999999999999</formula1><formula2>999999999999999</formula2>" in check
    assert 'error="NI 154 takes a whole number (a count); any number above -10^15 and below 10^15."' in check
    for value, found in (("999999999999999", []), ("1000000000000000", [
            ("R306", "returns/filled.csv", 2, "value 1000000000000000 of NI 154 is 10^15 or more, too large for any "
                                              "indicator")])):
        (leeds / "returns" / "filled.csv").write_text(f"area,indicator,period,value\nleeds,NI 154,2008-09,{value}\n",
                                                     encoding="utf-8")
        report = json.loads(invoke(["-w", leeds, "validate", "--format", "json"], 1 if found else 0).stdout)
        assert [(f["code"], f["file"], f["row"], f["message"]) for f in report["findings"] if f["code"] == "R306"] \
            == found


def test_a_year_outside_the_agreement_is_a_usage_error(tmp_path):
    # no return is due in 2012-13 (nor in the baseline's 2007-08): score --period says so of
    # such a year, and template wrote rows for it
    out = tmp_path / "t.xlsx"
    result = invoke(["-w", EXAMPLES, "template", "-a", "leeds", "--period", "2012-13", "-o", out], code=2)
    assert "--period: 2012-13 is not in leeds's agreement (2008-09, 2009-10, 2010-11)" in result.stderr
    assert not out.exists()


def test_the_readmes_round_trip_gives_what_the_readme_shows(tmp_path, monkeypatch):
    """README "template": the template written into a copy of examples/, 0.79 typed into the
    cell its comment names, then `validate` of that file: the output shown, exit 0."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    steps, shown = re.search(
        r"```sh\n(cp -r examples ws && cd ws[^\n]*\nlaatool template .*?)```\n```\n(.*?)```", readme, re.S).groups()
    _, template, typed, validate = steps.strip().splitlines()
    assert "0.79" in typed and "cell D2" in typed
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    monkeypatch.chdir(root)
    invoke(shlex.split(template)[1:])
    import openpyxl

    out = shlex.split(template)[-1]
    book = openpyxl.load_workbook(out)
    book["returns"]["D2"] = 0.79
    book.save(out)
    result = invoke(shlex.split(validate)[1:])
    printed = (result.stdout + result.stderr).splitlines()
    assert [line.rstrip() for line in printed] == shown.splitlines()


@pytest.mark.parametrize("periods", [["2009-10", "2010-11 Q3"], ["2009-10 Q1", "2010-11 Q3"],
                                     ["2010-11 Q3", "2008-09"], ["2009-10", "2009-10 Q2"]])
def test_several_periods_give_the_rows_of_each_and_no_others(periods):
    # a year gives every indicator due in it, a quarter the quarterly ones for that quarter:
    # 2009-10 with 2010-11 Q3 is 2009-10's rows and 2010-11 Q3's, never 2009-10 Q3 alone
    def rows(*chosen):
        options = [word for period in chosen for word in ("--period", period)]
        lines = invoke(["-w", EXAMPLES, "template", "--area", "stockton", *options, "--format", "csv"]).stdout
        return set(lines.splitlines()[1:])

    each = [rows(period) for period in periods]
    assert all(each)
    assert rows(*periods) == set().union(*each)


def test_template_takes_one_area():
    result = invoke(["-w", EXAMPLES, "template", "-a", "leeds", "-a", "stockton", "--format", "csv"], 2)
    assert "'--area' / '-a': given 2 times: give it once" in result.stderr and result.stdout == ""


def test_the_targets_sheet_gives_each_sub_targets_group_and_weight(tmp_path):
    """Leeds' transport group (NI 177, NI 178, NI 168 weighted 3 : 2 : 2) and NI 154's sub-targets
    weighted 0.5 / 0.3 / 0.2, as examples/agreements/leeds.yaml writes them: the officer filling
    in the returns sees which rows make one reward share, and in what proportion."""
    out = tmp_path / "leeds.xlsx"
    invoke(["-w", EXAMPLES, "template", "--area", "leeds", "-o", out])
    sheet = openpyxl.load_workbook(out)["targets"]
    header = [cell.value for cell in sheet[3]]
    rows = [dict(zip(header, (cell for cell in row), strict=True)) for row in sheet.iter_rows(min_row=4)]
    weighted = {(row["indicator"].value, row["subtarget"].value): (row["group"].value, row["weight"].value,
                                                                    row["weight"].number_format)
                for row in rows if row["weight"].value is not None}
    assert weighted == {("NI 154", "inner-area"): (None, 0.5, "0.0"), ("NI 154", "outer-north"): (None, 0.3, "0.0"),
                        ("NI 154", "outer-south"): (None, 0.2, "0.0"),
                        ("NI 177", "bus-journeys"): ("transport", 3, "0"), ("NI 178", "on-time"): ("transport", 2, "0"),
                        ("NI 168", "roads"): ("transport", 2, "0")}
    document = json.loads(invoke(["-w", EXAMPLES, "template", "--area", "leeds", "--format", "json"]).stdout)
    assert {(row["indicator"], row["group"], row["weight"]) for row in document["targets"] if row["group"]} == {
        ("NI 177", "transport", 3), ("NI 178", "transport", 2), ("NI 168", "transport", 2)}


def test_the_targets_sheet_says_a_placeholder_without_a_final_target_is_not_rewarded():
    # leeds' NI 7 is a designated placeholder with no target values: lpsa2 rewards designated
    # targets, but not a placeholder without a final-year target (DESIGN.md §6), as reward-grant
    document = json.loads(invoke(["-w", EXAMPLES, "template", "--area", "leeds", "--format", "json"]).stdout)
    rewarded = {row["indicator"]: row["reward"] for row in document["targets"] if row["subtarget"] is None}
    assert rewarded["NI 7"] is False and rewarded["NI 1"] is True
    reward = json.loads(invoke(["-w", EXAMPLES, "reward-grant", "--area", "leeds", "--format", "json"]).stdout)
    assert "NI 7" not in {target["indicator"] for target in reward["areas"][0]["targets"]}


def test_the_targets_sheet_says_a_split_target_is_rewarded_on_its_sub_targets_as_project_does():
    # leeds' NI 154 is split into sub-targets: reward-grant pays them, not the target's own row
    document = json.loads(invoke(["-w", EXAMPLES, "template", "--area", "leeds", "--format", "json"]).stdout)
    flags = {row["subtarget"]: row["reward"] for row in document["targets"] if row["indicator"] == "NI 154"}
    projected = json.loads(invoke(["-w", EXAMPLES, "project", "--area", "leeds", "--format", "json"]).stdout)
    assert flags == {row["subtarget"]: row["reward"] for row in projected["areas"][0]["rows"]
                     if row["indicator"] == "NI 154"}
    assert flags[None] is False and len(flags) > 1 and all(flags[sub] for sub in flags if sub is not None)
    reward = json.loads(invoke(["-w", EXAMPLES, "reward-grant", "--area", "leeds", "--format", "json"]).stdout)
    assert {target["subtarget"] for target in reward["areas"][0]["targets"] if target["indicator"] == "NI 154"} == \
        set(flags) - {None}


def test_a_target_on_an_unknown_indicator_is_said_not_left_off_in_silence(workspace):
    # without LEEDS-01's definition, its target has no rows (26, not 29: its three years): A203 says why
    # ... and exit 1 after the form for the rest, as validate writes its report (it was exit 0)
    root = workspace({"agreements/leeds.yaml": AGREEMENT})
    result = invoke(["-w", root, "template", "--area", "leeds", "--format", "json"], 1)
    assert len(json.loads(result.stdout)["rows"]) == 26
    lines = result.stderr.splitlines()
    assert any(": A203 error: unknown indicator LEEDS-01" in line for line in lines)
    assert "laatool: 1 error(s) in what leeds's agreement uses (above): a target they are on may have no row; " \
           "`laatool validate` lists them" in lines


def test_under_a_scheme_that_does_not_load_the_reward_flags_are_left_blank_not_no(workspace, tmp_path):
    """A213 (`lpsa-2` for lpsa2): which kinds are rewarded is not known, so a target whose
    agreement does not say is neither yes nor no; every one was "no", designated ones too."""
    agreement = AGREEMENT.replace("scheme: lpsa2", "scheme: lpsa-2").replace(
        "  - indicator: NI 72\n    kind: statutory\n", "  - indicator: NI 72\n    kind: statutory\n    reward: true\n")
    root = workspace({"agreements/leeds.yaml": agreement, "indicators/LEEDS-01.yaml": LOCAL})
    result = invoke(["-w", root, "template", "--area", "leeds", "--format", "json"], 1)
    flags = {(row["indicator"], row["subtarget"]): row["reward"] for row in json.loads(result.stdout)["targets"]}
    # as written (NI 72), not rewarded on its own row (NI 154, split), a placeholder: as before
    assert flags == {("NI 154", None): False, ("NI 154", "north"): None, ("NI 53", None): None, ("NI 1", None): None,
                     ("NI 47", None): None, ("NI 72", None): True, ("LEEDS-01", None): False}
    assert any(": A213 error: unknown reward scheme 'lpsa-2'" in line for line in result.stderr.splitlines())
    invoke(["-w", root, "template", "--area", "leeds", "-o", tmp_path / "t.xlsx"], 1)
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["targets"]
    header = [cell.value for cell in sheet[3]]
    assert [row[header.index("reward")] for row in sheet.iter_rows(min_row=4, values_only=True)] == [
        "no", None, None, None, None, "yes", "no"]


def test_control_characters_in_a_title_or_name_are_escapes_in_every_part_of_the_workbook(workspace, tmp_path):
    """An indicator's title and an agreement's name holding an escape sequence, a bell, a control
    code, U+FFFE (no character at all) and a right-to-left override reach the value's input
    prompt and the workbook's title as escapes, as in a cell: raw, they made the returns sheet
    XML no spreadsheet opens."""
    import xml.etree.ElementTree as ET

    title = "Esc \\e[31mRED\\e[0m bell \\a x \\x01 odd \\uFFFE rlo \\u202Etxt.exe"
    root = workspace({
        "agreements/ctl.yaml": "area: ctl\nname: \"Ctl \\a\"\nperiods: [2008-09, 2009-10, 2010-11]\n"
                               "reward: {scheme: lpsa2, maximum: 1000}\ntargets:\n"
                               "  - {indicator: CTL-01, kind: local, baseline: {period: 2007-08, value: 10},\n"
                               "     targets: {2010-11: 20}}\n",
        "indicators/CTL-01.yaml": f'id: CTL-01\ntitle: "{title}"\npolarity: higher\nunit: count\ndecimals: 0\n'
                                  "frequency: annual\nperiod_type: financial-year\n",
    })
    out = tmp_path / "t.xlsx"
    invoke(["-w", root, "template", "--area", "ctl", "-o", out])
    parts = {}
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                parts[name] = ET.fromstring(archive.read(name))  # every part well-formed
    spread = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    value = next(check for check in parts["xl/worksheets/sheet1.xml"].iter(f"{spread}dataValidation")
                 if check.get("sqref") == "D2:D4")
    # the right-to-left override too, as on the terminal: raw, the prompt read "...rlo exe.txt"
    assert value.get("prompt") == ("Esc \\x1b[31mRED\\x1b[0m bell \\x07 x \\x01 odd \\ufffe rlo \\u202etxt.exe: "
                                   "a whole number (a count); any number above -10^15 and below 10^15.")
    assert value.get("error") == "CTL-01 takes a whole number (a count); any number above -10^15 and below 10^15."
    core = parts["docProps/core.xml"].find("{http://purl.org/dc/elements/1.1/}title")
    assert core is not None and core.text == "Returns for Ctl \\x07"


def test_a_long_title_is_shortened_in_its_prompt_never_the_range(tmp_path):
    """NI 72's title is long: its prompt was cut at 255 characters before "from 0 to 100", the
    range it is there to say."""
    out = tmp_path / "stockton.xlsx"
    invoke(["-w", EXAMPLES, "template", "--area", "stockton", "-o", out])
    import openpyxl

    prompts = {v.promptTitle: v.prompt for v in openpyxl.load_workbook(out)["returns"].data_validations.dataValidation}
    assert len(prompts["NI 72 value"]) <= 255
    assert prompts["NI 72 value"].endswith("…: percent, 1 decimal place(s); 47.1 for 47.1%, not 0.471; from 0 to 100.")


def test_the_guidance_examples_are_the_templates_own_area(tmp_path):
    """The guidance sheet gave `leeds` and `inner-area` as the correct examples on every area's
    form (R301 and R315 if copied into Stockton's), and 210 of 1,000 beside a value of 3105."""
    out = tmp_path / "stockton.xlsx"
    invoke(["-w", EXAMPLES, "template", "--area", "stockton", "-o", out])
    import openpyxl

    sheet = openpyxl.load_workbook(out)["guidance"]
    examples = {row[0]: row[3] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert (examples["area"], examples["value"], examples["numerator"], examples["denominator"]) == (
        "stockton", "21.0", "210", "1000")
    assert examples["subtarget"] in {row["subtarget"] for row in json.loads(invoke(
        ["-w", EXAMPLES, "template", "--area", "stockton", "--format", "json"]).stdout)["rows"]} | {
        "(blank: none in this agreement)"}


def test_the_targets_are_given_exactly_as_the_agreement_wrote_them(workspace, tmp_path):
    # 23.00000000001 (11 places) is beyond the frame's 10: it was given as 23, and an officer
    # typing 23 then saw it scored amber. 0.005 is shown to its own places, not NI 8's one.
    root = workspace({"agreements/aa.yaml": """
        area: aa
        name: Aa
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 100000}
        targets:
          - indicator: NI 8
            kind: designated
            baseline: {period: 2007-08, value: 0.005}
            targets: {2008-09: 21.0, 2009-10: 22.0, 2010-11: 23.00000000001}
    """})
    document = json.loads(invoke(["-w", root, "template", "--area", "aa", "--format", "json"]).stdout,
                          parse_float=Decimal)
    (row,) = document["targets"]
    assert (row["baseline"], row["2009-10"], row["2010-11"]) == (Decimal("0.005"), 22, Decimal("23.00000000001"))
    invoke(["-w", root, "template", "--area", "aa", "-o", tmp_path / "aa.xlsx"])
    sheet = openpyxl.load_workbook(tmp_path / "aa.xlsx")["targets"]
    cells = {sheet.cell(3, column).value: sheet.cell(4, column) for column in range(1, sheet.max_column + 1)}
    assert cells["2010-11"].value == 23.00000000001 and cells["2010-11"].number_format == "0.00000000000"
    assert cells["baseline"].value == 0.005 and cells["baseline"].number_format == "0.000"
