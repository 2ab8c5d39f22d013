""""Did you mean …?" (DESIGN.md §12): one helper, in every message naming an unknown indicator,
period, area or scheme."""

from __future__ import annotations

import json

import pytest

from conftest import invoke
from laatool.base.suggest import closest, did_you_mean, spreadsheet_date_period, suggest_period

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
"""


@pytest.mark.parametrize(("typed", "said"), [
    ("Q2 2010/11", "; did you mean 2010-11 Q2?"),
    ("2010/11-Q2", "; did you mean 2010-11 Q2?"),
    ("FY 2008/09", "; did you mean 2008-09?"),
    # a dash pasted from a document in place of the hyphen: en dash, em dash, minus sign
    ("2010\u201311", "; did you mean 2010-11?"),
    ("2010 \u2014 11 Q2", "; did you mean 2010-11 Q2?"),
    ("2010\u221211", "; did you mean 2010-11?"),
    ("2010\uff0d11", "; did you mean 2010-11?"),  # full-width hyphen-minus
    ("2010\ufe5811", "; did you mean 2010-11?"),  # small em dash
    ("2010\u204311", "; did you mean 2010-11?"),  # hyphen bullet
    ("2010\u00ad11", "; did you mean 2010-11?"),  # soft hyphen, which no one sees
    ("2010\u2013\u201311", "; did you mean 2010-11?"),  # a dash typed twice
    ("2010\u30fc11", "; did you mean 2010-11?"),  # the prolonged sound mark a Japanese input method types
    # a quarter of a single year may count calendar quarters (2010 Q2 is April to June 2010,
    # 2010-11 Q1): no guess, rather than one a quarter late
    ("Q1 2009", ""),
    ("2010 Q2", ""),
    ("2010-11-01 00:00:00", "; did you mean 2010-11?"),
    ("2008-10", ""),  # years that do not follow each other: nothing to guess
    ("soon", ""),
    # a quarter written out is kept: its year alone would make a quarter's value a year's
    ("2010-11 Quarter 2", "; did you mean 2010-11 Q2?"),
    ("2010/11 Qtr2", "; did you mean 2010-11 Q2?"),
    ("Quarter 3 2010/11", "; did you mean 2010-11 Q3?"),
    # a quarter by its months, as a financial year's quarters run
    ("Apr-Jun 2010", "; did you mean 2010-11 Q1?"),
    ("Jan-Mar 2011", "; did you mean 2010-11 Q4?"),
    ("October to December 2010/11", "; did you mean 2010-11 Q3?"),
    # what looks like a quarter but names no one quarter: nothing, never the year alone
    ("2010-11 Q5", ""),
    ("2010-11 Q0", ""),
    ("2010-11 Q1-Q2", ""),
    ("Apr-May 2010", ""),
    ("Quarter two 2010-11", ""),
    # part of a year, or more than a quarter: nothing, never one quarter or the year alone
    ("2010-11 Q1-4", ""),
    ("2010-11 YTD", ""),
    ("2010-11 H1", ""),
    ("2010-11 P4", ""),
    ("2010-11 \uff314", ""),  # a full-width Q
    # beside the year, `FY` or `year` says nothing more
    ("FY 2008/09", "; did you mean 2008-09?"),
    ("year 2009/10", "; did you mean 2009-10?"),
])
def test_periods_written_in_another_order(typed, said):
    assert suggest_period(typed) == said


def test_a_returns_quarter_written_out_is_suggested_with_its_quarter(workspace):
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 154,2010-11 Quarter 2,800
        leeds,NI 154,2010/11 Qtr2,800
        leeds,NI 154,Quarter 3 2010/11,800
        leeds,NI 154,2010-11 Q5,800
        leeds,NI 154,Apr-Jun 2010,800
        """})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    found = [(f["code"], f["file"], f["row"], f["message"]) for f in report["findings"] if f["code"] == "R304"]
    assert found == [
        ("R304", "returns/r.csv", 2, "'2010-11 Quarter 2' is not a period; did you mean 2010-11 Q2?"),
        ("R304", "returns/r.csv", 3, "'2010/11 Qtr2' is not a period; did you mean 2010-11 Q2?"),
        ("R304", "returns/r.csv", 4, "'Quarter 3 2010/11' is not a period; did you mean 2010-11 Q3?"),
        ("R304", "returns/r.csv", 5, "'2010-11 Q5' is not a period"),
        ("R304", "returns/r.csv", 6, "'Apr-Jun 2010' is not a period; did you mean 2010-11 Q1?"),
    ]


def test_spellings_compared_folded_and_nothing_offered_when_nothing_is_close():
    ids = ["NI 14", "NI 141", "NI 142"]
    assert did_you_mean("NI 1411", ids) == "; did you mean NI 141?"
    assert did_you_mean("ni1411", ids) == "; did you mean NI 141?"
    assert did_you_mean("LEEDS-99", ids) == ""
    # a less close spelling is not named beside the closest (NI 141 and NI 142 are 0.8, NI 14 0.89)
    assert did_you_mean("NI 14x", ids) == "; did you mean NI 14?"
    assert closest("East Riding", ["east-riding", "Leeds"], meaning={"Leeds": "leeds"}) == ["east-riding"]
    assert closest("anything", []) == []
    assert spreadsheet_date_period("2010-12-01") is None  # December 2010 was never a period


def test_equally_close_spellings_are_named_up_to_three_in_order():
    # (docs/decisions.md "Suggestions") the closest and those exactly as close, up to three:
    # those that start as typed first, then in the order given
    national = [f"NI {number}" for number in range(1, 199)]
    assert did_you_mean("M1 141", national) == "; did you mean NI 111, NI 114 or NI 141?"
    assert did_you_mean("NI 1541", national) == "; did you mean NI 154?"
    locals_ = ["TEST-01", "TEST-02", "TEST-03"]  # TEST-03 is less close (0.67) than TEST-01 and -02 (0.83)
    assert did_you_mean("TEST-21", locals_) == "; did you mean TEST-01 or TEST-02?"
    assert closest("NI 1", [f"NI {number}" for number in range(10, 15)]) == ["NI 10", "NI 11", "NI 12"]


def test_characters_typed_for_their_look_alikes_are_read_as_meant():
    # `1` for I is the commonest slip in a national id: N1 16 is NI 16, not the closer-looking NI 116
    national = [f"NI {number}" for number in range(1, 199)]
    assert did_you_mean("N1 16", national) == "; did you mean NI 16?"
    assert did_you_mean("nI l6", national) == "; did you mean NI 16?"
    assert did_you_mean("NI 1O", national) == "; did you mean NI 10?"
    assert closest("bo1ton", ["bolton", "boston"]) == ["bolton"]


def test_every_unknown_indicator_and_area_names_the_equally_close(workspace):
    test = LOCAL.replace("LEEDS-01", "TEST-{}")
    root = workspace({
        "agreements/east-sussex.yaml": AGREEMENT.replace("leeds", "east-sussex").replace("Leeds", "East Sussex")
        + "  - {indicator: TEST-21, kind: local, placeholder: true}\n",
        "agreements/west-sussex.yaml": AGREEMENT.replace("leeds", "west-sussex").replace("Leeds", "West Sussex"),
        **{f"indicators/TEST-{n}.yaml": test.format(n) for n in ("01", "02", "03")},
        "returns/r.csv": """
            area,indicator,period,value
            east-sussex,M1 141,2008-09,3
            east-sussex,TEST-21,2008-09,4
            sussex,NI 154,2008-09,3105
            """})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    found = [(f["code"], f["file"], f["row"] or f["line"], f["message"]) for f in report["findings"]
             if f["code"] in ("A203", "R301", "R302", "R303")]
    assert found == [
        ("A203", "agreements/east-sussex.yaml", 10, "unknown indicator TEST-21; did you mean TEST-01 or TEST-02?"),
        ("R303", "returns/r.csv", 2, "'M1 141' is not an indicator id; did you mean NI 111, NI 114 or NI 141?"),
        ("R302", "returns/r.csv", 3, "unknown indicator TEST-21; did you mean TEST-01 or TEST-02?"),
        ("R301", "returns/r.csv", 4, "no agreement for area 'sussex' (no agreements/sussex.yaml): 1 row(s) of this "
                                     "file, not checked further; did you mean east-sussex or west-sussex?"),
    ]
    area = invoke(["-w", root, "score", "--area", "sussex"], 2)
    assert "unknown area 'sussex': no agreements/sussex.yaml; did you mean east-sussex or west-sussex?" in area.stderr
    shown = invoke(["-w", root, "indicators", "show", "TEST-21"], 2)
    assert "no indicator 'TEST-21'; did you mean TEST-01 or TEST-02?" in shown.stderr


def test_validate_suggests_for_each_kind_of_unknown_thing(workspace):
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 1541,2008-09,3105
        leeds,NI 154,Q2 2010/11,800
        leeeds,NI 154,2009-10,3390
        leeds,NI-154 net,2009-10,3390
        """})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    messages = {(f["code"], f["row"]): f["message"] for f in report["findings"]}
    assert messages[("R303", 2)] == "'NI 1541' is not an indicator id; did you mean NI 154?"
    assert messages[("R304", 3)] == "'Q2 2010/11' is not a period; did you mean 2010-11 Q2?"
    assert messages[("R301", 4)] == ("no agreement for area 'leeeds' (no agreements/leeeds.yaml): 1 row(s) "
                                     "of this file, not checked further; did you mean leeds?")


LOCAL = """
id: LEEDS-01
title: Long-term empty homes returned to use
polarity: higher
unit: count
decimals: 0
frequency: annual
period_type: financial-year
"""


def test_agreements_and_options_suggest_too(workspace):
    local_target = "  - {indicator: LEEDS-10, kind: local, placeholder: true}\n"
    root = workspace({"agreements/leeds.yaml": AGREEMENT.replace("lpsa2", "lpsa").lstrip() + local_target,
                      "indicators/LEEDS-01.yaml": LOCAL})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    messages = {f["code"]: f["message"] for f in report["findings"]}
    assert messages["A213"].startswith("unknown reward scheme 'lpsa'; did you mean lpsa2?")
    assert messages["A203"] == "unknown indicator LEEDS-10; did you mean LEEDS-01?"
    scheme = invoke(["-w", root, "reward-grant", "--scheme", "lpsa"], 2)
    assert "unknown scheme 'lpsa'; did you mean lpsa2?" in scheme.stderr
    area = invoke(["-w", root, "score", "--area", "leds"], 2)
    assert "unknown area 'leds': no agreements/leds.yaml; did you mean leeds?" in area.stderr


def test_an_agreements_misspelt_period_and_national_id_suggest(workspace):
    # Checked before any catalogue is read: the period in canonical order, the national id
    # among NI 1 to NI 199 (NI 111 is as close, NI 141 starts as NI 1411 does).
    agreement = AGREEMENT.replace("2008-09: 3200", "Q2 2010/11: 3200").replace("NI 154", "NI 1411")
    root = workspace({"agreements/leeds.yaml": agreement})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    messages = sorted(f["message"] for f in report["findings"] if f["code"] == "S003")
    assert messages == [
        "targets[0].indicator: 'NI 1411' is not a national indicator: they run from NI 1 to NI 199; "
        "did you mean NI 141?",
        "targets[0].targets.Q2 2010/11: 'Q2 2010/11' is not a period: write a year as '2008-09', a quarter "
        "as '2008-09 Q1' or a calendar year as '2008'; did you mean 2010-11 Q2?",
    ]


@pytest.mark.parametrize(("command", "said"), [
    (["score", "--period"], "2010-11"), (["project", "--as-at"], "2010-11 Q2"), (["benchmark", "--period"], "2010-11"),
    (["template", "-a", "leeds", "--period"], "2010-11 Q2"), (["report", "-o", "board.html", "--period"], "2010-11"),
    (["report", "-o", "board.html", "--as-at"], "2010-11 Q2"),
])
def test_every_period_option_suggests(workspace, tmp_path, command, said):
    # an option that takes a year alone (targets are set, areas compared, on years) is told
    # the year: the quarter it was once told was then refused
    root = workspace({"agreements/leeds.yaml": AGREEMENT})
    args = [str(tmp_path / a) if a == "board.html" else a for a in command]
    result = invoke(["-w", root, *args, "Q2 2010/11"], 2)
    assert result.stderr.rstrip().endswith("is not a period: write a year as '2008-09', a quarter as '2008-09 Q1' "
                                           f"or a calendar year as '2008'; did you mean {said}?")
    assert f"laatool: {command[-1]}: 'Q2 2010/11'" in result.stderr
    assert not (tmp_path / "board.html").exists()


@pytest.mark.parametrize(("command", "option"), [
    (["project", "--as-at"], "--as-at"), (["template", "-a", "leeds", "-p"], "--period")])
@pytest.mark.parametrize(("typed", "said"), [
    ("2010-11 Quarter 2", "; did you mean 2010-11 Q2?"), ("2010-11 Q5", ""),
    ("Apr-Jun 2010", "; did you mean 2010-11 Q1?")])
def test_a_period_options_quarter_is_kept_in_its_suggestion(workspace, command, option, typed, said):
    root = workspace({"agreements/leeds.yaml": AGREEMENT})
    result = invoke(["-w", root, *command, typed], 2)
    assert result.stderr.rstrip().endswith(f"laatool: {option}: '{typed}' is not a period: write a year as "
                                           f"'2008-09', a quarter as '2008-09 Q1' or a calendar year as '2008'{said}")


def test_indicator_options_suggest(workspace):
    root = workspace({"agreements/leeds.yaml": AGREEMENT})
    shown = invoke(["-w", root, "indicators", "show", "NI 1411"], 2)
    assert ("no indicator 'NI 1411'; did you mean NI 141? (try `laatool indicators NI 1411` to search)"
            in shown.stderr)
    compared = invoke(["-w", root, "benchmark", "-i", "ni1541", "--format", "json"], 2)
    assert ("no indicator 'ni1541'; did you mean NI 154? (`laatool indicators` lists them)"
            in compared.stderr)


def test_an_area_by_its_agreements_name_whatever_its_case(workspace):
    root = workspace({"agreements/leeds.yaml": AGREEMENT, "returns/r.csv": """
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
        """})
    by_slug = invoke(["-w", root, "score", "--area", "leeds", "--format", "json"]).stdout
    assert invoke(["-w", root, "score", "--area", "LEEDS", "--format", "json"]).stdout == by_slug
