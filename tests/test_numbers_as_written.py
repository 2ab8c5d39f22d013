"""Numbers as written (DESIGN.md §6.1): every value of up to 30 significant digits is used
exactly, whatever its decimal places; beyond the limits it is a finding. Every figure below is
worked out by hand in the comments.
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import polars as pl
import pytest

from conftest import invoke, workbook_rows
from laatool.base.numbers import beyond, fits_frame, text_beyond

HALF = """
    name: half
    title: A scheme paying from half the enhancement
    maximum_rate: 0.025
    rewarded_kinds: [designated]
    measure_from: baseline
    threshold: 0.5
    cap: 1
    revenue_share: 0.5
    instalments: [0.5, 0.5]
    adjustment: 1
    sources: [a test]
    """


def one_target(indicator: str, baseline: str, target: str, scheme: str = "lpsa2",
               maximum: str = "800000.00", kind: str = "designated") -> str:
    return f"""
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        reward: {{scheme: {scheme}, maximum: {maximum}}}
        targets:
          - indicator: {indicator}
            kind: {kind}
            baseline: {{period: 2007-08, value: {baseline}}}
            targets: {{2010-11: {target}}}
        """


def returns(indicator: str, value: str, period: str = "2010-11") -> str:
    return f"area,indicator,period,value\nleeds,{indicator},{period},{value}\n"


def grant_target(root) -> dict:
    area = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)["areas"][0]
    return area["targets"][0] | {"total": area["total"]}


def score_row(root) -> dict:
    return json.loads(invoke(["-w", root, "score", "--format", "json"]).stdout)["areas"][0]["rows"][0]


@pytest.mark.parametrize("actual, status, reward, achievement", [
    # (42 - 44) / (40 - 44) = 0.5 exactly: the threshold is reached; half of £800,000
    ("42", "paid", "400000.00", 0.5),
    # (42.00000000001 - 44) / (40 - 44) = 1.99999999999 / 4 = 0.4999999999975: below 0.5, not
    # paid (rounded to 10 places on reading it was 42, and paid £400,000); shown to 4 places
    ("42.00000000001", "below-threshold", "0.00", 0.5),
])
def test_a_long_decimal_decides_the_threshold_as_written(workspace, actual, status, reward, achievement):
    root = workspace({"schemes/half.yaml": HALF,
                      "agreements/leeds.yaml": one_target("NI 16", "44", "40", scheme="half"),
                      "returns/r.csv": returns("NI 16", actual)})
    target = grant_target(root)
    assert (target["status"], target["reward"], target["achievement"], target["total"]) == (
        status, reward, achievement, reward)
    assert json.dumps(target["actual"]) == actual


def test_a_long_decimal_decides_the_amber_threshold_as_written(workspace):
    """rag.amber 0.5: 42.00000000001 is 0.4999999999975 of the way from 44 to 40: red."""
    root = workspace({"laatool.yaml": "rag: {amber: 0.5}\n",
                      "agreements/leeds.yaml": one_target("NI 16", "44", "40"),
                      "returns/r.csv": returns("NI 16", "42.00000000001")})
    row = score_row(root)
    assert (row["status"], row["rule"], row["achievement"]) == ("red", "below-amber", 0.5)
    (root / "returns" / "r.csv").write_text(returns("NI 16", "42"))
    assert score_row(root)["status"] == "amber"


@pytest.mark.parametrize("actual, status, reward, payable", [
    # (8.36 - 8.0) / (8.6 - 8.0) = 0.36 / 0.6 = 0.6 exactly: paid 0.6 of £800,000 = £480,000
    ("8.36", "paid", "480000.00", 0.6),
    # 0.35999999999 / 0.6 = 0.59999999998333…: below 60%, nothing paid (it was read as 8.36)
    ("8.35999999999", "below-threshold", "0.00", 0),
    # 0.36000000001 / 0.6 = 0.60000000001666…: paid; £800,000 × that = £480,000.0000133 -> .00
    ("8.36000000001", "paid", "480000.00", 0.6),
])
def test_eight_point_three_six(workspace, actual, status, reward, payable):
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "8.0", "8.6"),
                      "returns/r.csv": returns("NI 192", actual)})
    target = grant_target(root)
    assert (target["status"], target["reward"], target["payable"]) == (status, reward, payable)


def test_a_tiny_value_stays_non_zero(workspace, tmp_path):
    """1e-11 from 0 towards 2e-11 is half way (it was read as 0: no progress at all). An XLSX
    sheet keeps it whole: a number cell whose double is exactly 1e-11, shown to its 11 places."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "0", "0.00000000002"),
                      "returns/r.csv": returns("NI 192", "1e-11")})
    row = score_row(root)
    assert (row["actual"], row["achievement"], row["status"]) == (1e-11, 0.5, "red")
    assert '"actual":0.00000000001,' in invoke(["-w", root, "score", "--format", "json"]).stdout
    assert "leeds,Leeds,NI 192,,designated,2010-11,0,0.00000000002,0.00000000001,0.5,red" in \
        invoke(["-w", root, "score", "--format", "csv"]).stdout
    invoke(["-w", root, "score", "-o", tmp_path / "score.xlsx"])
    [row] = workbook_rows(tmp_path / "score.xlsx")
    assert row["actual"] == 1e-11 and isinstance(row["actual"], float)
    import openpyxl

    cell = openpyxl.load_workbook(tmp_path / "score.xlsx")["leeds"]["I6"]
    assert (cell.value, cell.number_format) == (1e-11, "#,##0.00000000000")


def test_thirty_significant_digits_are_used_exactly(workspace):
    """From 20 towards 21.0000000000000000000000000002, an actual of
    21.0000000000000000000000000001 (30 digits) falls short of the target by 10^-28: amber,
    not green, with achievement 1.0000000000000000000000000001 / 1.0000000000000000000000000002
    = 0.9999999999999999999999999999… -> 1 to four places. The reward pays that share of
    £800,000: £799,999.99999999999999999999992… -> £800,000.00."""
    target_value, actual = "21.0000000000000000000000000002", "21.0000000000000000000000000001"
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "20", target_value),
                      "returns/r.csv": returns("NI 192", actual)})
    out = invoke(["-w", root, "score", "--format", "json"]).stdout
    assert f'"target":{target_value},"actual":{actual},"achievement":1,"status":"amber"' in out
    grant = invoke(["-w", root, "reward-grant", "--format", "json"]).stdout
    assert f'"actual":{actual},"achievement":1,"payable":1,"reward":"800000.00"' in grant
    (root / "returns" / "r.csv").write_text(returns("NI 192", target_value))
    assert score_row(root)["status"] == "green"


def test_a_value_a_hair_below_ten_to_the_fifteen_is_used(workspace):
    """999999999999999.9999999999999 (28 digits) is below 10^15, the largest value R306 lets be;
    held to 10 places it is 10^15, and its return was left out of the actuals as if it were one:
    no finding, the target pending, £0 paid of £800,000, exit 0. From 100 towards 200 it is far
    past the target: the full share. 10^15 itself is R306."""
    value = "999999999999999.9999999999999"
    root = workspace({"agreements/leeds.yaml": one_target("NI 154", "100", "200"),
                      "returns/r.csv": returns("NI 154", value)})
    assert json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["counts"]["error"] == 0
    target = grant_target(root)
    assert (target["status"], target["payable"], target["reward"], target["total"]) == (
        "paid", 1, "800000.00", "800000.00")
    (root / "returns" / "r.csv").write_text(returns("NI 154", "1000000000000000"))
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["row"]) for f in found if f["severity"] == "error"] == [("R306", 2)]


@pytest.mark.parametrize("value, problem", [
    ("21.00000000000000000000000000001", "has 31 significant digits"),
    # 31 digits that Decimal(38, 10) would hold: they were taken as written
    ("21000000000000000000000.00000001", "has 31 significant digits"),
    ("1234567890123456789012.123456789", "has 31 significant digits"),
    ("0" * 250 + "21", "(252 characters) is beyond the numbers laatool holds"),
])
def test_thirty_one_significant_digits_are_a_finding(workspace, value, problem):
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "20", "21"),
                      "returns/r.csv": returns("NI 192", value)})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["row"], f["field"]) for f in found if f["severity"] == "error"] == [
        ("R321", 2, "value")]
    assert problem in found[0]["message"]
    invoke(["-w", root, "score"], 1)
    invoke(["-w", root, "reward-grant"], 1)


def test_an_agreement_value_past_ten_places_is_quoted_as_a_plain_number(workspace):
    """A target of 0.00000000005 for NI 154 (a count, 0 decimals) was quoted as 5E-11."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 154", "0", "0.00000000005")})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [f["message"] for f in found if f["code"] == "A216"] == [
        "NI 154: target 2010-11 0.00000000005 has more decimals than NI 154 publishes (0)"]


@pytest.mark.parametrize("target", ["2_2.8", "'2_2.8'", "'٢٢.٨'", "'２２.８'", "'22.8%'"])
def test_an_agreement_number_that_is_not_plain_is_a_finding(workspace, target):
    # Python's Decimal reads `2_2.8` as 22.8 and Arabic-Indic or full-width digits as theirs;
    # a returns cell holding them is R305. In an agreement they are S003 at the value, never
    # another figure (a quoted plain number, '22.8', is read as written).
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", target),
                      "returns/r.csv": returns("NI 8", "22.8")})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["line"]) for f in found if f["severity"] == "error"] == [("S003", 9)]
    assert "is not a number" in found[0]["message"]
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "'23.0'"),
                      "returns/r.csv": returns("NI 8", "22.8")})
    assert grant_target(root)["target"] == 23


def test_four_quarters_that_the_frame_does_not_hold_add_up_exactly(workspace):
    """A cumulative quarterly local indicator: 0.25000000001 × 4 = 1.00000000004 (rounded on
    reading, each quarter was 0.25 and the year exactly 1, meeting the target of 1)."""
    root = workspace({
        "indicators/LEEDS-01.yaml": """
            id: LEEDS-01
            title: Grants made
            polarity: lower
            unit: count
            decimals: 0
            frequency: quarterly
            period_type: financial-year
            cumulative: true
            """,
        "agreements/leeds.yaml": one_target("LEEDS-01", "3", "1", kind="local"),
        "returns/r.csv": "area,indicator,period,value\n" + "".join(
            f"leeds,LEEDS-01,2010-11 Q{q},0.25000000001\n" for q in range(1, 5)),
    })
    row = score_row(root)
    # (1.00000000004 - 3) / (1 - 3) = 0.99999999998: not met, amber
    assert (row["actual"], row["status"], row["achievement"]) == (1.00000000004, "amber", 1)


def test_scoring_compares_a_long_amber_exactly(workspace):
    """rag.amber 0.12345678901234567890123 (23 places: its products leave Int128). From 20
    towards 30, 20.5 is 0.05 of the way: red. 21.3 is 0.13: amber."""
    root = workspace({"laatool.yaml": "rag: {amber: 0.12345678901234567890123}\n",
                      "agreements/leeds.yaml": one_target("NI 192", "20", "30"),
                      "returns/r.csv": returns("NI 192", "20.5")})
    row = score_row(root)
    assert (row["achievement"], row["status"], row["rule"]) == (0.05, "red", "below-amber")
    (root / "returns" / "r.csv").write_text(returns("NI 192", "21.3"))
    row = score_row(root)
    assert (row["achievement"], row["status"]) == (0.13, "amber")


@pytest.mark.parametrize("text, problem", [
    ("1e40", "is of the order of 1e40"),
    ("1" * 31, "has 31 significant digits"),
    ("1e-31", "is of the order of 1e-31"),
    ("0." + "0" * 30 + "1", "is of the order of 1e-31"),
    ("9" * 39, "has 39 significant digits"),
    ("1" + "0" * 5000, "is written in 5,001 characters"),
])
def test_numbers_beyond_the_limits(text, problem):
    assert problem in text_beyond(text)


@pytest.mark.parametrize("text", ["1e30", "9.99999999999999999999999999999e30", "1e-30", "3200",
                                  "1" * 30, "0", "-0.000", "1" + "0" * 30])
def test_numbers_within_the_limits(text):
    assert text_beyond(text) is None and beyond(Decimal(text)) is None


@pytest.mark.parametrize("text, held", [("3105", True), ("22.8000000000", True), ("0.0000000001", True),
                                        ("1.990E-12", False), ("0.00000000001", False),
                                        ("9999999999999999999999999999.9999999999", True), ("1e28", False),
                                        ("42.00000000001", False), ("42.000000000010000", False)])
def test_what_the_frame_holds_exactly(text, held):
    assert fits_frame(Decimal(text)) is held


def test_a_thirty_digit_maximum_is_paid_to_the_penny(workspace):
    """£1,234,567,890,123,456,789,012,345,678.90 (30 digits) over one target, paid in full
    (8.6 from 8.0 towards 8.6): the whole maximum, split half and half, each half
    617,283,945,061,728,394,506,172,839.45. Python's 28-digit default gave ...679.00."""
    maximum = "1234567890123456789012345678.90"
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "8.0", "8.6", maximum=maximum),
                      "returns/r.csv": returns("NI 192", "8.6")})
    area = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)["areas"][0]
    assert (area["maximum"], area["targets"][0]["reward"], area["total"]) == (maximum, maximum, maximum)
    assert (area["revenue"], area["capital"]) == ("617283945061728394506172839.45", "617283945061728394506172839.45")
    assert area["instalments"] == ["617283945061728394506172839.45", "617283945061728394506172839.45"]


@pytest.mark.parametrize("text, exact", [(".00000000001", "0.00000000001"), ("-.00000000001", "-0.00000000001"),
                                         ("1e-11", "0.00000000001"), ("5E-12", "0.000000000005"),
                                         ("42.000000000010", "42.00000000001"), (".0000000001", None),
                                         ("1e1", None), ("12345678.1234567", None)])
def test_the_shortest_texts_the_frame_does_not_hold(text, exact):
    """A cell is looked at in Python only when the frame's decimal may not hold it; the
    shortest such texts are 12 characters, or an exponent."""
    from laatool.load.normalise import parse_numbers

    assert parse_numbers(pl.Series([text]))[3].to_list() == [exact]


@pytest.mark.parametrize("command, module, guard", [
    ("score", "laatool.compute.scoring", "_in_range"), ("reward-grant", "laatool.compute.reward_frame", "in_range")])
def test_the_exact_path_gives_what_the_frame_gives(monkeypatch, command, module, guard):
    """Rows the frame cannot compute go to Python; on the examples, sending every row there
    gives byte-identical output, so the two paths apply the same rules."""
    import importlib

    from conftest import EXAMPLES

    fast = invoke(["-w", EXAMPLES, command, "--format", "json"]).stdout
    monkeypatch.setattr(importlib.import_module(module), guard, lambda *args: pl.lit(False))
    assert invoke(["-w", EXAMPLES, command, "--format", "json"]).stdout == fast


# Rows on and beside each bound of the rules that compare numbers (R306, R307, R313, R318,
# R319, R322, R326, R330, R331), for areas of the examples, in years of their own.
BOUNDARY_ROWS = """area,indicator,period,value,numerator,denominator,sample_size,lower_ci,upper_ci
leeds,NI 8,1990-91,101,,,,,
leeds,NI 8,1991-92,100,,,,,
leeds,NI 8,1992-93,0,,,,,
leeds,NI 8,1993-94,-0.1,,,,,
leeds,NI 8,1994-95,25.0,210,1000,,,
leeds,NI 8,1995-96,21.0,210,1000,,,
leeds,NI 8,1996-97,21.05,210,1000,,,
leeds,NI 8,1997-98,21.06,210,1000,,,
leeds,NI 8,1998-99,21,1210,1000,,,
leeds,NI 8,1999-00,21,-5,1000,,,
leeds,NI 8,2000-01,21,21,0,,,
leeds,NI 8,2001-02,0.5,,,,,
leeds,NI 1,1990-91,50,,,100,51,55
leeds,NI 1,1991-92,50,,,100,50,50
leeds,NI 1,1992-93,50,,,100,55,45
leeds,NI 1,1993-94,50,,,0,45,55
leeds,NI 1,1994-95,50,,,2.5,45,55
leeds,NI 1,1995-96,50,60,,50,45,55
leeds,LEEDS-01,1990-91,100,,,,,
leeds,LEEDS-01,1991-92,1000000,,,,,
leeds,LEEDS-01,1992-93,99,,,,,
"""


def test_the_rules_decide_a_row_in_python_as_the_frame_does(monkeypatch, tmp_path):
    """Rows holding a number the frame does not hold exactly are decided by the rules' `exact`
    in Python; sending every row there gives the same findings, so the two paths apply the same
    rules (on the bounds of each: 100 and 101 for a percentage, a gap at and past R307's
    tolerance, a sample size of 0 and 2.5, limits swapped and equal, ...)."""
    import shutil

    from conftest import EXAMPLES
    from laatool.checks import returns_engine

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "returns" / "zz-bounds.csv").write_text(BOUNDARY_ROWS)
    with (root / "indicators" / "LEEDS-01.yaml").open("a") as local:
        local.write("tolerance: 999900\n")  # 100 to 1,000,000 is at it, and on to 99 past it
    fast = invoke(["-w", root, "validate", "--format", "json"], 1).stdout
    codes = {finding["code"] for finding in json.loads(fast)["findings"]}
    assert {"R306", "R307", "R313", "R318", "R319", "R322", "R326", "R330", "R331"} <= codes
    monkeypatch.setattr(returns_engine, "inexact_rows", lambda *args: pl.lit(True))
    assert invoke(["-w", root, "validate", "--format", "json"], 1).stdout == fast


def xlsx_returns(indicator: str, value: str | float, period: str = "2010-11") -> bytes:
    """A workbook of one return whose value is a number cell (a float: the file holds the text
    xlsxwriter writes for it) or a text cell (a str)."""
    import io

    import xlsxwriter

    data = io.BytesIO()
    book = xlsxwriter.Workbook(data)
    sheet = book.add_worksheet("returns")
    sheet.write_row(0, 0, ["area", "indicator", "period", "value"])
    sheet.write_row(1, 0, ["leeds", indicator, period])
    if isinstance(value, str):
        sheet.write_string(1, 3, value)
    else:
        sheet.write_number(1, 3, value)
    book.close()
    return data.getvalue()


def test_an_xlsx_number_cell_decides_the_threshold_as_written(workspace):
    """The number cell 42.00000000001, from 44 towards 40 under a 0.5 threshold: 1.99999999999 / 4
    = 0.4999999999975, not paid (the reader rounded it to 42, and £400,000 was paid)."""
    root = workspace({"schemes/half.yaml": HALF,
                      "agreements/leeds.yaml": one_target("NI 16", "44", "40", scheme="half"),
                      "returns/r.xlsx": xlsx_returns("NI 16", 42.00000000001)})
    target = grant_target(root)
    assert (target["status"], target["reward"], target["total"]) == ("below-threshold", "0.00", "0.00")
    assert json.dumps(target["actual"]) == "42.00000000001"


def test_an_xlsx_eight_point_three_six_is_paid_as_written(workspace):
    """8.36000000001 from 8.0 towards 8.6: 0.36000000001 / 0.6 = 0.60000000001666…, paid 60% of
    £800,000 = £480,000.00; 8.35999999999 is below 60% and paid nothing (both were read as 8.36)."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "8.0", "8.6"),
                      "returns/r.xlsx": xlsx_returns("NI 192", 8.36000000001)})
    target = grant_target(root)
    assert (target["status"], target["reward"], json.dumps(target["actual"])) == (
        "paid", "480000.00", "8.36000000001")
    (root / "returns" / "r.xlsx").write_bytes(xlsx_returns("NI 192", 8.35999999999))
    target = grant_target(root)
    assert (target["status"], target["reward"], json.dumps(target["actual"])) == (
        "below-threshold", "0.00", "8.35999999999")


def test_an_xlsx_tiny_number_stays_non_zero(workspace):
    """1e-11 is written by xlsxwriter as 9.999999999999999E-12, the double's 16 digits: read as
    a spreadsheet shows it, 1e-11, from 0 towards 2e-11 half way, red, as the same value in a
    CSV file (the reader gave 0)."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "0", "0.00000000002"),
                      "returns/r.xlsx": xlsx_returns("NI 192", 1e-11)})
    row = score_row(root)
    assert (row["actual"], row["achievement"], row["status"]) == (1e-11, 0.5, "red")
    assert '"actual":0.00000000001,' in invoke(["-w", root, "score", "--format", "json"]).stdout


def excel_saved(indicator: str, text: str) -> bytes:
    """A workbook of one return whose value cell holds `text` in its XML, as Excel writes the
    double of what was typed (8.36 typed is `8.3599999999999994`)."""
    import io
    import zipfile

    written = zipfile.ZipFile(io.BytesIO(xlsx_returns(indicator, 12345.5)))
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        for item in written.infolist():
            part = written.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>12345.5</v>" in part
                part = part.replace(b"<v>12345.5</v>", f"<v>{text}</v>".encode())
            book.writestr(item, part)
    return data.getvalue()


@pytest.mark.parametrize("text, actual, status, reward", [
    # 8.36 typed in Excel: 0.36 / 0.6 = 0.6 exactly, paid 60% of £800,000 (read as the double's
    # 17 digits, 8.3599999999999994, it fell below 60% and nothing was paid)
    ("8.3599999999999994", "8.36", "paid", "480000.00"),
    ("8.36", "8.36", "paid", "480000.00"),
    # a number of up to 15 significant digits is as written: below 60%, nothing paid
    ("8.35999999999999", "8.35999999999999", "below-threshold", "0.00"),
    # more digits than Excel writes, by a program (a double formatted to 16 or 18 places): the
    # same double, which the sheet shows as 8.36 (read as written, it fell below 60%)
    ("8.359999999999999999", "8.36", "paid", "480000.00"),
    ("8.3599999999999994316", "8.36", "paid", "480000.00"),
    ("8.35999999999999943156581139192", "8.36", "paid", "480000.00"),
])
def test_a_number_typed_in_excel_is_the_number_shown(workspace, text, actual, status, reward):
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "8.0", "8.6"),
                      "returns/r.xlsx": excel_saved("NI 192", text)})
    target = grant_target(root)
    assert (target["status"], target["reward"]) == (status, reward)
    assert f'"actual":{actual},' in invoke(["-w", root, "reward-grant", "--format", "json"]).stdout
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [f["message"] for f in found if f["code"] == "R313"] == [
        f"value {actual} has more decimals than NI 192 publishes (1)"]


def test_an_xlsx_number_cell_of_31_digits_is_a_finding(workspace):
    """Beyond the limits' 30 significant digits a number cell is R321, as a text cell and a CSV
    cell are, not rounded to what the sheet shows."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "8.0", "8.6"),
                      "returns/r.xlsx": excel_saved("NI 192", "8.359999999999999431565811391925")})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["row"], f["field"]) for f in found if f["severity"] == "error"] == [
        ("R321", 2, "value")]


def test_an_xlsx_number_with_an_exponent_is_read_as_written(workspace):
    """1.234567890123457E+19 is checked as a spreadsheet shows it, 1.23456789012346E+19 (the
    reader gave 12345678901234569216)."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "20", "21"),
                      "returns/r.xlsx": xlsx_returns("NI 192", 1.234567890123457e19)})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["row"], f["field"], f["message"]) for f in found if f["code"] == "R306"] == [
        ("R306", 2, "value", "value 1.23456789012346E+19 is outside the range of NI 192 (0..100)")]


def test_an_xlsx_text_cell_of_31_digits_is_a_finding(workspace):
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "20", "21"),
                      "returns/r.xlsx": xlsx_returns("NI 192", "21.00000000000000000000000000001")})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["row"], f["field"]) for f in found if f["severity"] == "error"] == [
        ("R321", 2, "value")]


def test_an_outside_xlsx_is_read_as_written(workspace, tmp_path):
    """`validate PATH` of a workbook outside the workspace reads its number cells the same way."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "20", "21")})
    outside = tmp_path / "outside.xlsx"
    outside.write_bytes(xlsx_returns("NI 192", 1.234567890123457e19))
    found = json.loads(invoke(["-w", root, "validate", outside, "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["row"], f["message"]) for f in found if f["severity"] == "error"] == [
        ("R306", 2, "value 1.23456789012346E+19 is outside the range of NI 192 (0..100)")]


# --- An XLSX number cell formatted as a percentage is the percentage the sheet shows ----------
# 23.8 typed into a cell formatted as a percentage is 23.8% on the sheet and 0.238 in the file.
# Read as the text the sheet shows, `23.8%`, it is R305 as the CSV cell `23.8%` Excel exports:
# read as 0.238 it was a percentage of 0.238 (only R330 warned), and the reward was paid on it.

R305_HINT = ("write a plain number (no units or symbols; in a spreadsheet, a cell formatted as a number, not as a "
             "percentage or in thousands, with the figure typed again as it is meant: 70.8 for 70.8%), or leave the "
             "cell blank if not reported")


def formatted_returns(header: list[str], row: list, formats: dict[str, object]) -> bytes:
    """A workbook of one return, `row` under `header`, the cells of the columns named in
    `formats` given that number format (an index is a built-in format: 9 is `0%`, 10 `0.00%`;
    a text is one of the workbook's own)."""
    import io

    import xlsxwriter

    data = io.BytesIO()
    book = xlsxwriter.Workbook(data)
    sheet = book.add_worksheet("returns")
    sheet.write_row(0, 0, header)
    for column, (name, cell) in enumerate(zip(header, row, strict=True)):
        shown = book.add_format({"num_format": formats[name]}) if name in formats else None
        sheet.write(1, column, cell, shown)
    book.close()
    return data.getvalue()


def errors(root, *args) -> list[tuple]:
    found = json.loads(invoke(["-w", root, "validate", *args, "--format", "json"], 1).stdout)["findings"]
    return [(f["code"], f["row"], f["field"], f["message"], f["hint"]) for f in found if f["severity"] == "error"]


NI8 = ["area", "indicator", "period", "value"]


@pytest.mark.parametrize("number_format", [9, 10, "0.0%"])  # `0%`, `0.00%` (built in) and a workbook's own
def test_an_xlsx_percentage_cell_is_the_percentage_it_shows(workspace, number_format):
    """0.238 formatted as a percentage shows `23.8%` (0.238 × 100 = 23.8, whatever places the
    format shows): R305 at its row and field, as the CSV cell `23.8%` is, and no R330."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 0.238],
                                                          {"value": number_format})})
    wanted = [("R305", 2, "value", "value '23.8%' is not a number", R305_HINT)]
    assert errors(root) == wanted
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert "R330" not in {f["code"] for f in found}
    (root / "returns" / "r.xlsx").unlink()
    (root / "returns" / "r.csv").write_text(returns("NI 8", "23.8%"))
    assert errors(root) == wanted


def test_an_xlsx_percentage_cell_is_not_paid_as_a_proportion(workspace):
    """23.8 from 20.1 towards 23 is past the target: paid in full as 23.8, nothing as 0.238. The
    cell shows `23.8%`, which is not a number: reward-grant refuses rather than pay either."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 0.238], {"value": 9})})
    refused = invoke(["-w", root, "reward-grant", "--format", "json"], 1)
    assert refused.stdout == "" and "R305" in refused.stderr
    (root / "returns" / "r.xlsx").write_bytes(formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 23.8], {}))
    target = grant_target(root)
    assert (target["status"], target["reward"]) == ("paid", "800000.00")


@pytest.mark.parametrize("number_format, value, shown", [
    ("#,##0,", 23800, "23800 shown in thousands"),       # Excel shows 24: each comma after the last digit is ÷ 1,000
    ('0.0,, "m"', 23800000, "23800000 shown in millions"),  # shows 23.8 m
    ("0.0,;-0.0,", 23800, "23800 shown in thousands"),    # a positive's section scales
])
def test_an_xlsx_cell_formatted_in_thousands_is_not_read_as_either_figure(workspace, number_format, value, shown):
    """23800 formatted `#,##0,` shows 24: read as 23800 it paid nothing (far past NI 8's range),
    and the 24 a person sees may be the figure meant or a rounding of it. It is R305, as a
    percentage cell is, and nothing is paid; the same figure in a plain cell is read."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": formatted_returns(NI8, ["leeds", "NI 8", "2010-11", value],
                                                          {"value": number_format})})
    assert errors(root) == [("R305", 2, "value", f"value '{shown}' is not a number", R305_HINT)]
    refused = invoke(["-w", root, "reward-grant", "--format", "json"], 1)
    assert refused.stdout == "" and "R305" in refused.stderr


@pytest.mark.parametrize("number_format, value, shown", [
    ('"23.4"', 21.0, "21 not shown by its format"),   # the sheet shows the text 23.4, paid nothing on 21
    (";;;", 23.4, "23.4 not shown by its format"),     # the sheet shows nothing, and was paid in full
    ('0.0;-0.0;"-"', 0, "0 not shown by its format"),  # a zero shown `-`
    # Excel's UK accounting format: `?` shows a space for a digit that is 0, so a zero is `£ -`
    ('_-"£"* #,##0.00_-;\\-"£"* #,##0.00_-;_-"£"* "-"??_-;_-@_-', 0, "0 not shown by its format"),
    (43, 0, "0 not shown by its format"),  # the built-in accounting format, written by its id alone
    (41, 0, "0 not shown by its format"),
    ("#,###", 0, "0 not shown by its format"),  # `#` shows nothing for a digit that is 0
    ("[>100]0;[<-100]-0;#", 0, "0 not shown by its format"),  # a zero meets neither condition: `#`
    ("[<=100]#;0", 0, "0 not shown by its format"),  # it meets the first's, `#`
])
def test_an_xlsx_cell_whose_format_shows_no_number_is_not_read(workspace, number_format, value, shown):
    """A format section with no digit (`0`, `#`, `?`) shows its own text or nothing for the
    numbers it takes, and one without a `0` shows no digit for a zero: neither the number
    stored nor what the sheet shows is certainly the figure meant. It is R305, as a percentage
    cell is; with a digit, the number is read."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": formatted_returns(NI8, ["leeds", "NI 8", "2010-11", value],
                                                          {"value": number_format})})
    assert errors(root) == [("R305", 2, "value", f"value '{shown}' is not a number", R305_HINT)]
    (root / "returns" / "r.xlsx").write_bytes(formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 23.4],
                                                                {"value": '0.0;-0.0;"-"'}))
    assert (grant_target(root)["status"], grant_target(root)["reward"]) == ("paid", "800000.00")


@pytest.mark.parametrize("number_format", ["#,##0", "#,##0.0", "#,##0.00", "0.0;-0.0,", "#,###", 43,
                                           "[>100]0;[<-100]-0;#",  # 23.8 is the third's, which shows digits
                                           '_-"£"* #,##0.00_-;\\-"£"* #,##0.00_-;_-"£"* "-"??_-;_-@_-'])
def test_an_xlsx_cell_with_a_thousands_separator_is_its_number(workspace, number_format):
    """A comma between digits is the thousands separator, and one in the negatives' section
    scales only negatives: 23.8 is read and paid in full (also under the accounting formats,
    which show only a zero otherwise)."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 23.8],
                                                          {"value": number_format})})
    target = grant_target(root)
    assert (target["status"], target["reward"]) == ("paid", "800000.00")


def test_an_xlsx_conditional_format_shows_each_number_by_its_condition(workspace):
    """`[<=1]0.0%;0.0` shows a number up to 1 as a percentage and any other as itself: 23.8 is
    read and paid in full; 0.238, shown `23.8%`, is R305."""
    conditional = {"value": "[<=1]0.0%;0.0"}
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 23.8], conditional)})
    target = grant_target(root)
    assert (target["status"], target["reward"]) == ("paid", "800000.00")
    (root / "returns" / "r.xlsx").write_bytes(formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 0.238], conditional))
    assert errors(root) == [("R305", 2, "value", "value '23.8%' is not a number", R305_HINT)]


def with_part(book: bytes, name: str, change) -> bytes:
    """The workbook with its part `name` changed by `change` (bytes to bytes)."""
    source, out = zipfile.ZipFile(io.BytesIO(book)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, change(data) if item.filename == name else data)
    return out.getvalue()


def with_normal_style(book: bytes, number_format: int) -> bytes:
    """The workbook with its first cell style (Normal, which a cell written without a style
    has, as Excel writes most cells) showing numbers in a built-in format."""
    def normal(styles: bytes) -> bytes:
        head, cell_styles = styles.split(b"<cellXfs", 1)
        return head + b"<cellXfs" + cell_styles.replace(b'numFmtId="0"', b'numFmtId="%d"' % number_format, 1)

    return with_part(book, "xl/styles.xml", normal)


def test_an_xlsx_number_cell_of_many_digits_without_its_place_refuses_the_file_saying_what_to_do(workspace):
    """Excel's 17 digits (8.3599999999999994 for 8.36) are read as the sheet shows them, at the
    cell's place: a cell written without `r` has no place to be read at, so the file is refused
    (Y006), the message naming the sheet and what is missing, the hint what to do."""
    book = with_part(formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 0.1], {}), "xl/worksheets/sheet1.xml",
                     lambda sheet: sheet.replace(b'<c r="D2"><v>0.1</v></c>', b"<c><v>8.3599999999999994</v></c>"))
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"), "returns/r.xlsx": book})
    assert errors(root) == [(
        "Y006", 1, None, "cannot read the file as XLSX: the sheet 'returns' holds a number cell with many digits "
        "written without its place (the attribute r naming its cell, which a spreadsheet writes for every such cell)",
        "open the workbook in a spreadsheet and save it again, or save the values in a CSV file")]


def test_an_xlsx_cell_without_a_style_shows_the_normal_style(workspace):
    """A workbook whose Normal style is a percentage shows 0.238 written without a style as
    `23.8%`: R305, as a cell of its own percentage style is (it was read as 0.238 and paid
    nothing). A cell given a number format of its own is read as its number."""
    book = formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 0.238], {})
    sheet = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml")
    assert b'<c r="D2"><v>0.238</v></c>' in sheet, "the value cell is written without a style"
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": with_normal_style(book, 10)})
    assert errors(root) == [("R305", 2, "value", "value '23.8%' is not a number", R305_HINT)]
    (root / "returns" / "r.xlsx").write_bytes(
        with_normal_style(formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 23.8], {"value": "0.0"}), 10))
    target = grant_target(root)
    assert (target["status"], target["reward"]) == ("paid", "800000.00")


def conditionally_formatted(value, rule: dict) -> bytes:
    """A workbook of one NI 8 return whose value cell `value` a conditional format `rule`
    (xlsxwriter's) gives a number format."""
    import xlsxwriter

    data = io.BytesIO()
    book = xlsxwriter.Workbook(data)
    sheet = book.add_worksheet("returns")
    sheet.write_row(0, 0, NI8)
    sheet.write_row(1, 0, ["leeds", "NI 8", "2010-11", value])
    rule = dict(rule)
    shown = book.add_format({"num_format": rule.pop("shown")})
    sheet.conditional_format("D2:D100", {**rule, "format": shown})
    book.close()
    return data.getvalue()


@pytest.mark.parametrize("value, rule, wanted", [
    # a number at or over 100,000 shown in thousands: 23800 is under it, read as written
    (238000, {"type": "cell", "criteria": ">=", "value": 100000, "shown": "#,##0,"}, "238000 shown in thousands"),
    (23.8, {"type": "cell", "criteria": ">=", "value": 100000, "shown": "#,##0,"}, None),
    (0.238, {"type": "cell", "criteria": "between", "minimum": 0, "maximum": 1, "shown": "0.0%"}, "23.8%"),
    (23.8, {"type": "cell", "criteria": "between", "minimum": 0, "maximum": 1, "shown": "0.0%"}, None),
    # a formula laatool does not work out: the cell may be shown so, and is not read as either
    (23.8, {"type": "formula", "criteria": "=$A$2=\"leeds\"", "shown": "0.0%"}, "2380%"),
])
def test_an_xlsx_conditional_format_shows_the_cells_it_formats(workspace, value, rule, wanted):
    """A conditional format's number format shows the cells meeting its rule as a cell style
    would: 238000 at or over 100,000 shown `#,##0,` is `238` on the sheet, R305 (it was read as
    238000, with exit 0); a cell not meeting the rule is read as written."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": conditionally_formatted(value, rule)})
    if wanted is None:
        target = grant_target(root)
        assert (target["status"], target["reward"]) == ("paid", "800000.00")
    else:
        assert errors(root) == [("R305", 2, "value", f"value '{wanted}' is not a number", R305_HINT)]


THOUSANDS_FROM_100000 = ('<cfRule type="cellIs" dxfId="0" priority="1" operator="greaterThanOrEqual">'
                         '<formula>100000</formula></cfRule>')
THOUSANDS_SECOND = THOUSANDS_FROM_100000.replace('priority="1"', 'priority="2"')
EXTENSION = ('<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
             'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings>'
             '<x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
             '<x14:cfRule type="cellIs" priority="1" operator="greaterThanOrEqual" id="{00000000-0000-0000-0000-0000000'
             '00001}"><xm:f>100000</xm:f><x14:dxf><numFmt numFmtId="164" formatCode="#,##0,"/></x14:dxf></x14:cfRule>'
             '<xm:sqref>D2:D100</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>')


PLAIN_AND_FILL_DXFS = (b'<dxfs count="0"/>', b'<dxfs count="3"><dxf><numFmt numFmtId="164" formatCode="#,##0,"/></dxf>'
                       b'<dxf><numFmt numFmtId="165" formatCode="0.0"/></dxf><dxf><fill><patternFill>'
                       b'<bgColor rgb="FFFF0000"/></patternFill></fill></dxf></dxfs>')
PERCENT_STYLE = (b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
                 b'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                 b'<xf numFmtId="10"/>')
THOUSANDS_DXF = (b'<dxfs count="0"/>',
                 b'<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="#,##0,"/></dxf></dxfs>')


@pytest.mark.parametrize("formats, style_edits, cell, wanted", [
    # Excel 2010's own kind, in the sheet's extensions (after its margins), its style inside it
    (EXTENSION, [], b'<c r="D2"><v>238000</v></c>', "R305"),
    # ranges as a program may write them: in lower case, the wrong way round
    (f'<conditionalFormatting sqref="d100:d2">{THOUSANDS_FROM_100000}</conditionalFormatting>', [THOUSANDS_DXF],
     b'<c r="D2"><v>238000</v></c>', "R305"),
    # a differential style's format reusing the id of the workbook's own: each is its own (the
    # cell style's `#,##0,` shows 238000 as 238 whatever the rule, never met, would show)
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan">'
     '<formula>0</formula></cfRule></conditionalFormatting>',
     [(b"<fonts", b'<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0,"/></numFmts><fonts'),
      (b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
       b'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164"/>'),
      (b'<dxfs count="0"/>', b'<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0.00"/></dxf></dxfs>')],
     b'<c r="D2" s="1"><v>238000</v></c>', "R305"),
    # a cell the formats may show otherwise, written without its place: no place to read it at
    (f'<conditionalFormatting sqref="D2">{THOUSANDS_FROM_100000}</conditionalFormatting>', [THOUSANDS_DXF],
     b"<c><v>238000</v></c>", "Y006"),
    # valid XML read as a reader reads it: an empty format before, a `>` inside an attribute, a
    # style's number in ten digits, a cell's place in lower case
    (f'<conditionalFormatting sqref="A1"/><conditionalFormatting sqref="D2">{THOUSANDS_FROM_100000}'
     '</conditionalFormatting>', [THOUSANDS_DXF], b'<c r="D2"><v>238000</v></c>', "R305"),
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" text="&gt;>" dxfId="0000000000" priority="1" '
     'operator="greaterThanOrEqual"><formula>100000</formula></cfRule></conditionalFormatting>', [THOUSANDS_DXF],
     b'<c r="D2"><v>238000</v></c>', "R305"),
    (f'<conditionalFormatting sqref="D2">{THOUSANDS_FROM_100000}</conditionalFormatting>', [THOUSANDS_DXF],
     b'<c r="d2"><v>238000</v></c>', "R305"),
    # a rule of higher priority met first decides: one showing the number as itself, or one
    # that stops the search (a fill), leaves 238000 shown as written, which is read (and is
    # beyond NI 8's range: R306, not R305)
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="1" priority="1" operator="greaterThan">'
     f'<formula>0</formula></cfRule>{THOUSANDS_SECOND}</conditionalFormatting>', [PLAIN_AND_FILL_DXFS],
     b'<c r="D2"><v>238000</v></c>', "R306"),
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="2" priority="1" stopIfTrue="1" '
     f'operator="greaterThan"><formula>0</formula></cfRule>{THOUSANDS_SECOND}</conditionalFormatting>',
     [PLAIN_AND_FILL_DXFS], b'<c r="D2"><v>238000</v></c>', "R306"),
    # a rule not worked out (a formula) whose format shows this number as itself is passed over,
    # not taken as met: it would hide the thousands of the rule after it
    ('<conditionalFormatting sqref="D2"><cfRule type="expression" dxfId="1" priority="1"><formula>$A$1="x"'
     f'</formula></cfRule>{THOUSANDS_SECOND}</conditionalFormatting>',
     [(b'<dxfs count="0"/>', b'<dxfs count="2"><dxf><numFmt numFmtId="164" formatCode="#,##0,"/></dxf>'
                             b'<dxf><numFmt numFmtId="165" formatCode="[&lt;1]0.0%;0"/></dxf></dxfs>')],
     b'<c r="D2"><v>238000</v></c>', "R305"),
    # so is a bound no number (`1_0`, which Python's Decimal takes for 10)
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="1" priority="1" operator="greaterThan">'
     f'<formula>1_0</formula></cfRule>{THOUSANDS_SECOND}</conditionalFormatting>', [PLAIN_AND_FILL_DXFS],
     b'<c r="D2"><v>238000</v></c>', "R305"),
    # a format code with a `>` in its quotes; a priority and a style's number with a sign, as a
    # reader takes them (+5 is after 1); a style commented out is none
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="0" priority="1" operator="greaterThan">'
     '<formula>0</formula></cfRule></conditionalFormatting>',
     [(b'<dxfs count="0"/>', b'<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="[>=100000]#,##0,;0"/>'
                             b'</dxf></dxfs>')], b'<c r="D2"><v>238000</v></c>', "R305"),
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="1" priority="+5" operator="greaterThan">'
     f'<formula>0</formula></cfRule>{THOUSANDS_FROM_100000}</conditionalFormatting>', [PLAIN_AND_FILL_DXFS],
     b'<c r="D2"><v>238000</v></c>', "R305"),
    ('<conditionalFormatting sqref="D2">' + THOUSANDS_FROM_100000.replace('dxfId="0"', 'dxfId="+0"')
     + '</conditionalFormatting>', [THOUSANDS_DXF], b'<c r="D2"><v>238000</v></c>', "R305"),
    (f'<conditionalFormatting sqref="D2">{THOUSANDS_FROM_100000}</conditionalFormatting>',
     [(b'<dxfs count="0"/>', b'<!-- <dxfs count="1"><dxf><numFmt numFmtId="165" formatCode="0.0"/></dxf></dxfs> -->'
                             + THOUSANDS_DXF[1])], b'<c r="D2"><v>238000</v></c>', "Y006"),
    # a cell style's percentage (238 shows 23800%) that a met rule shows as the number itself:
    # read as 238 (beyond NI 8's range: R306, not R305)
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="1" priority="1" operator="greaterThan">'
     '<formula>1</formula></cfRule></conditionalFormatting>', [PLAIN_AND_FILL_DXFS, PERCENT_STYLE],
     b'<c r="D2" s="1"><v>238</v></c>', "R306"),
    # ... but not a fill that stops the search (the cell's style then shows it), nor a plain rule
    # after a formula that may stop it: 23800%, R305
    ('<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="2" priority="1" stopIfTrue="1" '
     f'operator="greaterThan"><formula>0</formula></cfRule>{THOUSANDS_SECOND}</conditionalFormatting>',
     [PLAIN_AND_FILL_DXFS, PERCENT_STYLE], b'<c r="D2" s="1"><v>238</v></c>', "R305"),
    ('<conditionalFormatting sqref="D2"><cfRule type="expression" dxfId="2" priority="1" stopIfTrue="1"><formula>'
     'TRUE</formula></cfRule><cfRule type="cellIs" dxfId="1" priority="2" operator="greaterThan"><formula>0'
     '</formula></cfRule></conditionalFormatting>', [PLAIN_AND_FILL_DXFS, PERCENT_STYLE],
     b'<c r="D2" s="1"><v>238</v></c>', "R305"),
    # a number written with spaces in its value, as the reader gives it, still shown in thousands
    (f'<conditionalFormatting sqref="D2">{THOUSANDS_FROM_100000}</conditionalFormatting>', [THOUSANDS_DXF],
     b'<c r="D2"><v> 238000 </v></c>', "R305"),
    # a hundred and one fills that stop the search give no number format: no refusal
    ("".join(f'<conditionalFormatting sqref="E{row}"><cfRule type="cellIs" dxfId="2" priority="{row + 1}" '
             f'stopIfTrue="1" operator="greaterThan"><formula>0</formula></cfRule></conditionalFormatting>'
             for row in range(1, 102)) + '<conditionalFormatting sqref="D2"><cfRule type="cellIs" dxfId="0" '
     'priority="1" operator="lessThan"><formula>0</formula></cfRule></conditionalFormatting>',
     [PLAIN_AND_FILL_DXFS], b'<c r="D2"><v>238000</v></c>', "R306"),
])
def test_conditional_formats_as_programs_write_them(workspace, formats, style_edits, cell, wanted):
    """238000 that a conditional format shows in thousands is not read as written (it was, with
    exit 0: each of these paid 238000's reward)."""
    def sheet(xml: bytes) -> bytes:
        place = b"</worksheet>" if formats is EXTENSION else b"<pageMargins"
        return xml.replace(b'<c r="D2"><v>0.1</v></c>', cell).replace(place, formats.encode() + place)

    def style_part(xml: bytes) -> bytes:
        for old, new in style_edits:
            xml = xml.replace(old, new)
        return xml

    book = with_part(with_part(formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 0.1], {}),
                               "xl/worksheets/sheet1.xml", sheet), "xl/styles.xml", style_part)
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"), "returns/r.xlsx": book})
    assert [code for code, *_ in errors(root)] == [wanted]


def test_a_sheet_with_too_many_conditional_number_formats_is_refused(workspace):
    """Each number cell is looked up in the conditional formats' ranges: a sheet giving number
    formats in more than MAX_CONDITIONAL_RANGES of them is refused (Y006, with what to do) rather
    than looked through for minutes."""
    import xlsxwriter

    from laatool.load.table_files import MAX_CONDITIONAL_RANGES

    data = io.BytesIO()
    book = xlsxwriter.Workbook(data)
    sheet = book.add_worksheet("returns")
    sheet.write_row(0, 0, NI8)
    sheet.write_row(1, 0, ["leeds", "NI 8", "2010-11", 23.8])
    shown = book.add_format({"num_format": "0.0%"})
    for row in range(MAX_CONDITIONAL_RANGES + 1):
        sheet.conditional_format(f"E{row + 1}", {"type": "cell", "criteria": "<", "value": 1, "format": shown})
    book.close()
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"), "returns/r.xlsx": data.getvalue()})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["file"]) for f in found if f["severity"] == "error"] == [("Y006", "returns/r.xlsx")]
    assert "over 100 ranges of conditional formats" in found[0]["message"]


@pytest.mark.parametrize("formats", [{}, {"value": "0.000"}, {"value": 2}])  # none, a workbook's own, `0.00`
def test_an_xlsx_number_cell_not_formatted_as_a_percentage_is_its_number(workspace, formats):
    """0.238 in a cell with no percentage format shows 0.238 (to the format's places): it is read
    as 0.238, which for a percentage indicator R330 asks about (and R313: NI 8 publishes one
    decimal place)."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": formatted_returns(NI8, ["leeds", "NI 8", "2010-11", 0.238], formats)})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [(f["code"], f["row"], f["field"]) for f in found] == [("R313", 2, "value"), ("R330", 2, "value")]
    assert score_row(root)["actual"] == 0.238


def test_an_xlsx_percentage_numerator_is_not_a_number(workspace):
    """A numerator of 0.5 formatted as a percentage shows `50%` (0.5 × 100): R305 at the
    numerator; the value beside it, a plain 23.8, is read."""
    header = ["area", "indicator", "period", "value", "numerator", "denominator"]
    root = workspace({"agreements/leeds.yaml": one_target("NI 8", "20.1", "23"),
                      "returns/r.xlsx": formatted_returns(header, ["leeds", "NI 8", "2010-11", 23.8, 0.5, 10],
                                                          {"numerator": 9})})
    assert errors(root) == [("R305", 2, "numerator", "numerator '50%' is not a number", R305_HINT)]


@pytest.mark.parametrize("actual, status, paid_shown, payable_shown, of_maximum, rule, scored_shown, table", [
    # 0.35999999999 / 0.6 = 0.59999999998…: below the 60% reward threshold and the 60% amber
    # cut-off, 0.6 to four places; nothing payable
    ("8.35999999999", "below-threshold", 0.5999, 0, 0, "below-amber", 0.5999, "59.9%  0.0%"),
    # 0.599994 / 0.6 = 0.99999: paid 0.99999 of £800,000 = £799,992.00, short of the full share
    # and of the maximum: 1 to four places, shown just below (as amber is short of green's 100%)
    ("8.599994", "paid", 0.9999, 0.9999, 0.9999, "amber-threshold", 0.9999, "99.9%  99.9%"),
])
def test_a_workbook_never_shows_a_share_rounded_up_to_a_cut_off_it_missed(workspace, tmp_path, actual, status,
                                                                          paid_shown, payable_shown, of_maximum, rule,
                                                                          scored_shown, table):
    """As the tables do: a share that four places round up to a cut-off it missed (the scheme's
    threshold, the full share, its cap; amber's and green's) is the four-place share just below
    it (JSON keeps the rounded 0.6 and 1), in reward-grant, score and opportunities alike."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "8.0", "8.6"),
                      "returns/r.csv": returns("NI 192", actual)})
    invoke(["-w", root, "reward-grant", "-o", tmp_path / "grant.xlsx"])
    [row] = workbook_rows(tmp_path / "grant.xlsx")
    [summary] = workbook_rows(tmp_path / "grant.xlsx", "Summary")
    assert (row["status"], row["achievement"], row["payable"], summary["of_maximum"]) == (
        status, paid_shown, payable_shown, of_maximum)
    shown = invoke(["-w", root, "reward-grant"], env={"COLUMNS": "200"}).stdout
    assert table in shown
    assert "ᵖ" not in shown  # no provisional return, so its mark is not in the key either
    invoke(["-w", root, "opportunities", "-o", tmp_path / "chances.xlsx"])
    [row] = workbook_rows(tmp_path / "chances.xlsx")
    assert row["achievement"] == paid_shown
    assert f" {paid_shown} " in invoke(["-w", root, "opportunities"], env={"COLUMNS": "200"}).stdout
    invoke(["-w", root, "score", "-o", tmp_path / "score.xlsx"])
    [row] = workbook_rows(tmp_path / "score.xlsx")
    assert (row["rule"], row["achievement"]) == (rule, scored_shown)
    assert grant_target(root)["achievement"] == (0.6 if status == "below-threshold" else 1)  # JSON, as written
    if of_maximum:  # the national table's share of the maximum, short of it: never 100.0%
        assert "£799,992.00  £8.00  99.9%" in invoke(["-w", root, "reward-grant"], env={"COLUMNS": "160"}).stdout
        import openpyxl

        total = openpyxl.load_workbook(tmp_path / "grant.xlsx")["Summary"]["G7"]
        assert (total.value, total.number_format) == ("=IF(E7=0,\"\",IF(F7<E7,MIN(F7/E7,0.9999),F7/E7))", "0.00%")
        assert openpyxl.load_workbook(tmp_path / "grant.xlsx", data_only=True)["Summary"]["G7"].value == 0.9999


def test_an_achievement_past_the_whole_is_shown_as_it_is(workspace, tmp_path):
    """NI 192 (higher is better) planned from 20 down to 10, against its polarity (A207): 0 is
    (0 − 20) / (10 − 20) = 2 of the planned change, yet short of the target (0 < 10): amber.
    Its 2 is no share rounded up to 100%: the table shows 200%, the workbook 2."""
    root = workspace({"agreements/leeds.yaml": one_target("NI 192", "20", "10"),
                      "returns/r.csv": returns("NI 192", "0")})
    row = score_row(root)
    assert (row["achievement"], row["status"], row["rule"]) == (2, "amber", "amber-threshold")
    assert " 200% " in invoke(["-w", root, "score"], env={"COLUMNS": "160"}).stdout
    invoke(["-w", root, "score", "-o", tmp_path / "score.xlsx"])
    assert workbook_rows(tmp_path / "score.xlsx")[0]["achievement"] == 2
