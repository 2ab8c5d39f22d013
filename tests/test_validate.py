"""`laatool validate`: formats, summary, --fail-on, -o, PATH, exit codes; and what `score` and
`reward-grant` take as the inputs of some areas (`findings_for_areas`, `ensure_valid`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, invoke
from laatool.api import load_workspace
from laatool.base.errors import InvalidInput
from laatool.base.numbers import LIMITS
from laatool.checks.returns_numbers import R305
from laatool.checks.validation import ensure_valid, findings_for_areas, validate_workspace
from laatool.cli import app

LOCAL = """
    id: {id}
    title: A local indicator
    polarity: higher
    unit: count
    rate_per: {rate_per}
    decimals: 0
    range: {range}
    frequency: annual
    period_type: financial-year
    """
FILES = {
    "agreements/leeds.yaml": """
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        targets:
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 2940}
            targets: {2008-09: 3200}
          - indicator: LEEDS-01
            kind: local
            baseline: {period: 2007-08, value: 100}
            targets: {2008-09: 120}
        """,
    "agreements/york.yaml": """
        area: york
        name: York
        periods: [2008-09, 2009-10, 2010-11]
        targets:
          - indicator: NI 8
            kind: designated
            baseline: {period: 2007-08, value: 20.0}
            targets: {2008-09: 21.0, 2011-12: 23.0}
        """,
    # a warning (rate_per on a count) in an indicator leeds uses
    "indicators/LEEDS-01.yaml": LOCAL.format(id="LEEDS-01", rate_per=1000, range="{min: 0, max: null}"),
    # an error (min above max) in an indicator nobody uses
    "indicators/YORK-01.yaml": LOCAL.format(id="YORK-01", rate_per="null", range="{min: 100, max: 0}"),
    "returns/all.csv": """
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
        leeds,LEEDS-01,2008-09,118
        york,NI 8,2008-09,lots
        """,
    "returns/york.csv": """
        area,indicator,period,value,remark
        york,NI 8,2009-10,22.0,
        """,
    "returns/broken.xlsx": b"not a workbook",
}
# Worked out by hand from FILES:
WHOLE = {
    ("Y006", "error", "returns/broken.xlsx", 1),      # not a workbook: may hold anyone's rows
    ("I104", "warning", "indicators/LEEDS-01.yaml", 5),  # rate_per on a count
    ("I105", "error", "indicators/YORK-01.yaml", 7),  # range min 100 above max 0
    ("A205", "error", "agreements/york.yaml", 8),     # 2011-12 is outside 2008-11
    ("R311", "warning", "agreements/york.yaml", 8),   # NI 8 2008-09 has no usable value; york reported 2009-10
    ("R305", "error", "returns/all.csv", 4),          # 'lots'
    ("S001", "error", "returns/york.csv", 1),         # unknown column 'remark'
}


def keys(findings):
    return {(f.code, f.severity.value, f.file, f.line or f.row) for f in findings}


@pytest.fixture
def two_areas(workspace):
    return workspace(FILES)


def test_the_whole_workspace(two_areas):
    assert keys(validate_workspace(load_workspace(two_areas))) == WHOLE


def test_an_areas_inputs_are_its_agreement_rows_indicators_and_unreadable_files(two_areas):
    loaded = load_workspace(two_areas)
    leeds = {("Y006", "error", "returns/broken.xlsx", 1), ("I104", "warning", "indicators/LEEDS-01.yaml", 5)}
    assert keys(findings_for_areas(loaded, ["leeds"])) == leeds
    york = WHOLE - leeds - {("I105", "error", "indicators/YORK-01.yaml", 7)} | {
        ("Y006", "error", "returns/broken.xlsx", 1)}
    assert keys(findings_for_areas(loaded, ["york"])) == york


def test_ensure_valid_refuses_with_the_errors_or_returns_the_warnings(two_areas):
    with pytest.raises(InvalidInput) as refusal:
        ensure_valid(load_workspace(two_areas), ["leeds"])
    assert keys(refusal.value.findings) == {("Y006", "error", "returns/broken.xlsx", 1)}
    (two_areas / "returns/broken.xlsx").unlink()
    warnings = ensure_valid(load_workspace(two_areas), ["leeds"])
    assert keys(warnings) == {("I104", "warning", "indicators/LEEDS-01.yaml", 5)}


def test_score_runs_for_a_clean_area_beside_a_broken_one(two_areas):
    (two_areas / "returns/broken.xlsx").unlink()
    invoke(["-w", two_areas, "score", "--area", "leeds", "--format", "json"], 0)
    result = invoke(["-w", two_areas, "score", "--area", "york"], 1)
    assert "A205" in result.stderr and "R305" in result.stderr


def test_json_is_the_contract_and_equals_the_core(two_areas):
    result = invoke(["-w", two_areas, "validate", "--format", "json"], 1)
    document = json.loads(result.stdout)
    assert list(document) == ["valid", "counts", "findings"]
    assert document["valid"] is False
    assert document["counts"] == {"error": 5, "warning": 2, "info": 0}
    assert document["findings"] == [f.to_dict() for f in validate_workspace(load_workspace(two_areas))]
    assert list(document["findings"][0]) == ["code", "severity", "file", "line", "column", "row", "field",
                                             "message", "hint"]


def test_summary_on_stderr_and_only_data_on_stdout(two_areas):
    result = invoke(["-w", two_areas, "validate", "--format", "csv"], 1)
    # 7 files: 2 agreements, 2 indicators, 3 returns; findings in all but leeds.yaml
    assert result.stderr.strip() == "5 errors, 2 warnings in 6 of 7 files"
    lines = result.stdout.splitlines()
    assert lines[0] == "code,severity,file,line,column,row,field,message,hint"
    assert len(lines) == 1 + 7
    assert "R305,error,returns/all.csv,,,4,value,value 'lots' is not a number," in result.stdout


def test_the_table_groups_findings_by_file(two_areas):
    out = invoke(["-w", two_areas, "validate"], 1).stdout
    titles = ["agreements/york.yaml (2 findings)", "indicators/LEEDS-01.yaml (1 finding)",
              "indicators/YORK-01.yaml (1 finding)", "returns/all.csv (1 finding)",
              "returns/broken.xlsx (1 finding)", "returns/york.csv (1 finding)"]
    positions = [out.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "row 4 value" in out and "8:" in out and "\x1b[" not in out


def test_warnings_fail_only_with_fail_on_warning(two_areas):
    invoke(["-w", two_areas, "validate", "indicators/LEEDS-01.yaml"], 0)
    result = invoke(["-w", two_areas, "validate", "indicators/LEEDS-01.yaml", "--fail-on", "warning", "-f", "json"], 1)
    assert json.loads(result.stdout)["valid"] is False


def test_paths_report_only_their_own_findings(two_areas, monkeypatch):
    result = invoke(["-w", two_areas, "validate", "returns/all.csv", "-f", "json"], 1)
    assert [(f["code"], f["row"]) for f in json.loads(result.stdout)["findings"]] == [("R305", 4)]
    assert result.stderr.strip() == "1 error, 0 warnings in 1 of 1 file"
    invoke(["-w", two_areas, "validate", "agreements/leeds.yaml"], 0)
    monkeypatch.chdir(two_areas / "agreements")  # relative to the current folder
    result = invoke(["-w", two_areas, "validate", "york.yaml", "-f", "json"], 1)
    assert {f["code"] for f in json.loads(result.stdout)["findings"]} == {"A205", "R311"}
    result = invoke(["-w", two_areas, "validate", two_areas / "indicators", "-f", "json"], 1)
    assert {f["code"] for f in json.loads(result.stdout)["findings"]} == {"I104", "I105"}


def test_a_returns_file_outside_the_workspace_is_checked_against_it(two_areas, tmp_path):
    outside = tmp_path / "new-returns.csv"
    outside.write_text("area,indicator,period,value\nleeds,NI 154,2008-09,3000\nleeds,NI 8,2008-09,21.0\n")
    result = invoke(["-w", two_areas, "validate", outside, "-f", "json"], 1)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["file"], f["row"]) for f in findings] == [("R308", outside.as_posix(), 2)]
    assert "returns/all.csv row 2" in findings[0]["message"]


def test_a_file_outside_named_as_a_workspace_file_is_named_by_its_whole_path(two_areas, tmp_path, monkeypatch):
    # `returns/all.csv` given from another folder is not the workspace's returns/all.csv: named
    # as given, its R308 said the file conflicted with itself
    (tmp_path / "other" / "returns").mkdir(parents=True)
    (tmp_path / "other" / "returns" / "all.csv").write_text("area,indicator,period,value\nleeds,NI 154,2008-09,3000\n")
    monkeypatch.chdir(tmp_path / "other")
    result = invoke(["-w", two_areas, "validate", "returns/all.csv", "-f", "json"], 1)
    findings = json.loads(result.stdout)["findings"]
    named = (tmp_path / "other" / "returns" / "all.csv").as_posix()
    assert [(f["code"], f["file"], f["row"]) for f in findings] == [("R308", named, 2)]
    assert "returns/all.csv row 2" in findings[0]["message"]
    assert result.stderr.strip() == "1 error, 0 warnings in 1 of 1 file"


def test_a_file_in_the_workspace_that_it_does_not_read_is_checked_as_returns(two_areas):
    # `plain.csv` beside returns/ is read by no run: named to validate, it was passed as valid,
    # "0 errors, 0 warnings in 0 files", exit 0. A table is checked as one from outside is; any
    # other file there is a usage error, as it is outside
    (two_areas / "plain.csv").write_text("area,indicator,period,value\nleeds,NI 154,2008-09,3000\n")
    result = invoke(["-w", two_areas, "validate", two_areas / "plain.csv", "-f", "json"], 1)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["file"], f["row"]) for f in findings] == [("R308", "plain.csv", 2)]
    (two_areas / "notes").mkdir()
    (two_areas / "notes" / "README.md").write_text("# notes\n")
    for stray in ("notes/README.md", "notes"):
        assert ("is in the workspace but none of its inputs"
                in invoke(["-w", two_areas, "validate", two_areas / stray], 2).stderr)


def test_a_path_named_through_dot_dot_or_a_link_is_what_it_leads_to(two_areas):
    # `returns/../plain.csv` was taken for a file in returns/ and passed as valid, 0 files
    # checked, exit 0; `ilink/YORK-01.yaml` (`ilink` a link to indicators/) was checked as a
    # returns file, S003, though it is the indicator file and its own finding is I105
    (two_areas / "plain.csv").write_text("area,indicator,period,value\nleeds,NI 154,2008-09,3000\n")
    for given in (two_areas / "returns" / ".." / "plain.csv", two_areas / "agreements" / ".." / "plain.csv"):
        findings = json.loads(invoke(["-w", two_areas, "validate", given, "-f", "json"], 1).stdout)["findings"]
        assert [(f["code"], f["file"], f["row"]) for f in findings] == [("R308", "plain.csv", 2)]
    (two_areas / "README.md").write_text("# notes\n")
    assert ("is in the workspace but none of its inputs"
            in invoke(["-w", two_areas, "validate", two_areas / "returns" / ".." / "README.md"], 2).stderr)
    (two_areas / "ilink").symlink_to(two_areas / "indicators")
    result = invoke(["-w", two_areas, "validate", two_areas / "ilink" / "YORK-01.yaml", "-f", "json"], 1)
    assert [(f["code"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [
        ("I105", "indicators/YORK-01.yaml", 7)]
    assert result.stderr.strip() == "1 error, 0 warnings in 1 of 1 file"


def test_a_file_named_is_checked_against_the_rest(two_areas):
    # a return repeated in the file named was found in the other file, the later by name: the
    # file named showed nothing, exit 0, and reward-grant then refused the area for it
    new = two_areas / "returns" / "a-new.csv"
    new.write_text("area,indicator,period,value\nleeds,NI 154,2008-09,3000\n")
    result = invoke(["-w", two_areas, "validate", new, "-f", "json"], 1)
    assert [(f["code"], f["file"], f["row"], f["message"]) for f in json.loads(result.stdout)["findings"]] == [
        ("R308", "returns/a-new.csv", 2, "NI 154 2008-09 for leeds: value '3000' conflicts with '3105' at "
                                         "returns/all.csv row 2")]
    whole = json.loads(invoke(["-w", two_areas, "validate", "-f", "json"], 1).stdout)["findings"]
    assert [(f["file"], f["row"]) for f in whole if f["code"] == "R308"] == [("returns/all.csv", 2)]  # the later read
    new.write_text("area,indicator,period,value\nleeds,NI 154,2008-09,3105\n")
    found = json.loads(invoke(["-w", two_areas, "validate", new, "-f", "json"], 0).stdout)["findings"]
    assert [(f["code"], f["file"], f["row"]) for f in found] == [("R309", "returns/a-new.csv", 2)]


def test_usage_errors_exit_2(two_areas, tmp_path):
    result = invoke(["-w", two_areas, "validate", "returns/nope.csv"], 2)
    assert "no such file or folder: 'returns/nope.csv'" in result.stderr
    invoke(["-w", tmp_path / "missing", "validate"], 2)
    (tmp_path / "empty").mkdir()
    invoke(["-w", tmp_path / "empty", "validate"], 2)
    stray = tmp_path / "notes.txt"  # a YAML or table file from outside is checked as returns
    stray.write_text("area: leeds\n")
    assert "outside the workspace" in invoke(["-w", two_areas, "validate", stray], 2).stderr
    invoke(["-w", two_areas, "validate", "--fail-on", "info"], 2)


def test_output_file_is_written_even_when_invalid(two_areas, tmp_path):
    target = tmp_path / "report.json"
    result = invoke(["-w", two_areas, "validate", "-o", target], 1)
    assert result.stdout == ""
    assert json.loads(target.read_text())["counts"] == {"error": 5, "warning": 2, "info": 0}
    csv_target = tmp_path / "report.csv"
    invoke(["-w", two_areas, "validate", "-o", csv_target], 1)
    assert csv_target.read_text().startswith("code,severity,file,")


def test_a_clean_workspace(workspace):
    root = workspace({"agreements/leeds.yaml": FILES["agreements/leeds.yaml"].replace(
        "          - indicator: LEEDS-01\n            kind: local\n"
        "            baseline: {period: 2007-08, value: 100}\n            targets: {2008-09: 120}\n", ""),
        "returns/r.csv": "area,indicator,period,value\nleeds,NI 154,2008-09,3105\n"})
    result = invoke(["-w", root, "validate", "-f", "json"], 0)
    assert json.loads(result.stdout) == {"valid": True, "counts": {"error": 0, "warning": 0, "info": 0},
                                         "findings": []}
    assert result.stderr.strip() == "0 errors, 0 warnings in 2 files"


@pytest.mark.skipif(not (EXAMPLES / "agreements").is_dir(), reason="examples/ not written yet")
def test_the_examples_are_valid():
    invoke(["-w", EXAMPLES, "validate"], 0)


@pytest.mark.parametrize("case", ["r308-conflicting-duplicates", "r309-identical-duplicate", "r305-non-numeric",
                                  "r312-provisional", "r315-unknown-subtarget"])
def test_rows_checked_in_batches_give_the_same_findings(case, monkeypatch):
    """The R rules run over batches of rows (a duplicate may be in another batch than its first)."""
    import laatool.checks.returns_engine

    root = Path(__file__).parent / "cases" / case
    whole = CliRunner().invoke(app, ["-w", str(root), "validate", "--format", "json"])
    assert json.loads(whole.stdout)["findings"], "the case has findings to compare"
    monkeypatch.setattr(laatool.checks.returns_engine, "BATCH_ROWS", 2)
    batched = CliRunner().invoke(app, ["-w", str(root), "validate", "--format", "json"])
    assert (batched.exit_code, batched.stdout) == (whole.exit_code, whole.stdout)


def test_the_returns_rules_read_only_the_declared_columns(monkeypatch):
    """Every column an R rule's masks read is declared in `checks.returns_frame`, and the frame
    the engine evaluates them over has every column declared for it, and no undeclared one."""
    from laatool.checks import returns_engine
    from laatool.checks.returns import ROW_RULES
    from laatool.checks.returns_frame import COLUMNS, EVALUATED

    read = set()
    for rule in ROW_RULES:
        for mask in [*rule.conditions().values(), *([rule.screen()] if rule.screen() is not None else [])]:
            read |= set(mask.meta.root_names())
    assert read - set(COLUMNS) == set()
    built = []
    checked_frame = returns_engine.checked_frame
    monkeypatch.setattr(returns_engine, "checked_frame", lambda *a: built.append(checked_frame(*a)) or built[-1])
    returns_engine.returns_findings(load_workspace(EXAMPLES))
    assert built and all(set(EVALUATED) <= set(frame.columns) <= set(COLUMNS) for frame in built)


def test_duplicates_name_the_first_row_of_their_key_whatever_comes_between(workspace):
    """R308 and R309 name the first row of the key (in file order), with its value as written,
    for a key given three times across a CSV and a YAML file, other rows and keys in between."""
    root = workspace({
        "agreements/leeds.yaml": FILES["agreements/leeds.yaml"],
        "returns/a.csv": """
            area,indicator,period,value
            leeds,NI 154,2009-10,3300
            leeds,NI 154,2008-09,3105.0
            leeds,NI 8,2008-09,21.0
            leeds,NI154,2008/09,3150
            leeds,NI 8,2008-09,21
            leeds,NI 8,2009-10,22.0
            """,
        "returns/b.yaml": """
            - {area: Leeds, indicator: NI 154, period: 2008-2009, value: 3105}
            - {area: leeds, indicator: NI 8, period: 2010-11, value: 23.0}
            - {area: leeds, indicator: NI 8, period: 2008-09, value: 20.5}
            """,
    })
    found = [(f.code, f.file, f.line or f.row, f.message) for f in validate_workspace(load_workspace(root))
             if f.code in ("R308", "R309")]
    assert sorted(found) == [
        ("R308", "returns/a.csv", 5,
         "NI 154 2008-09 for leeds: value '3150' conflicts with '3105.0' at returns/a.csv row 3"),
        ("R308", "returns/b.yaml", 3,
         "NI 8 2008-09 for leeds: value '20.5' conflicts with '21.0' at returns/a.csv row 4"),
        ("R309", "returns/a.csv", 6, "NI 8 2008-09 for leeds repeats returns/a.csv row 4"),
        ("R309", "returns/b.yaml", 1, "NI 154 2008-09 for leeds repeats returns/a.csv row 3"),
    ]


def test_a_yaml_return_written_as_an_alias_is_found_at_its_own_line(workspace):
    """`- *r` repeating the row anchored `&r` one line above: R309 said the anchor's line
    repeated itself (line 1 repeats line 1), pointing away from the row to delete."""
    root = workspace({
        "agreements/leeds.yaml": FILES["agreements/leeds.yaml"],
        "returns/b.yaml": "- &r {area: leeds, indicator: NI 154, period: 2009-10, value: 3500}\n"
                          "- {area: leeds, indicator: NI 8, period: 2010-11, value: 23.0}\n- *r\n",
    })
    found = [(f.code, f.line, f.message) for f in validate_workspace(load_workspace(root)) if f.code == "R309"]
    assert found == [("R309", 3, "NI 154 2009-10 for leeds repeats returns/b.yaml line 1")]


SPLIT = """
    area: leeds
    name: Leeds
    periods: [2008-09, 2009-10, 2010-11]
    reward: {scheme: lpsa2, maximum: 1000000.00}
    targets:
      - indicator: NI 154
        kind: designated
        baseline: {period: 2007-08, value: 2940}
        targets: {2010-11: 3800}
        subtargets:
          - {id: north, baseline: {period: 2007-08, value: 1000}, targets: {2010-11: 1300}}
          - {id: %s, baseline: {period: 2007-08, value: 1940}, targets: {2010-11: 2500}}
    """


def test_duplicates_of_a_sub_target_name_it(workspace):
    """Two returns for the same sub-target and period: the finding says which sub-target, as
    the other sub-target's return of that period is no duplicate."""
    root = workspace({
        "agreements/leeds.yaml": SPLIT % "south",
        "returns/a.csv": """
            area,indicator,period,value,subtarget
            leeds,NI 154,2010-11,1250,north
            leeds,NI 154,2010-11,2400,south
            leeds,NI 154,2010-11,1260,north
            leeds,NI 154,2010-11,2400,south
            """,
    })
    found = [(f.code, f.row, f.message) for f in validate_workspace(load_workspace(root))
             if f.code in ("R308", "R309")]
    assert found == [
        ("R308", 4, "NI 154 sub-target 'north' 2010-11 for leeds: value '1260' conflicts with '1250' at "
                    "returns/a.csv row 2"),
        ("R309", 5, "NI 154 sub-target 'south' 2010-11 for leeds repeats returns/a.csv row 3"),
    ]


def test_a_sub_target_written_in_another_case_is_the_agreement_s(workspace):
    """`North` and `SOUTH` in the returns are the agreement's north and south, as `Leeds` is
    leeds: north (1000 to 1300) reaches 1300, all of its £500,000.00 share; south (1940 to 2500)
    reaches 2220, (2220 - 1940) / 560 = 0.5, below the threshold: £0.00. Read exactly, both
    were unknown (R315) and pending, with their returns there."""
    root = workspace({"agreements/leeds.yaml": SPLIT % "south", "returns/a.csv": """
        area,indicator,period,value,subtarget
        leeds,NI 154,2010-11,1300,North
        leeds,NI 154,2010-11,2220,SOUTH
        """})
    report = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)
    [area] = report["areas"]
    assert [(t["subtarget"], t["actual"], t["status"], t["reward"]) for t in area["targets"]] == [
        ("north", 1300, "paid", "500000.00"), ("south", 2220, "below-threshold", "0.00")]
    assert area["total"] == "500000.00"
    found = validate_workspace(load_workspace(root))
    assert [f.code for f in found if f.code == "R315" or f.code == "R311" and "sub-target" in f.message] == []


def test_a_sub_target_two_of_which_differ_only_in_case_is_matched_exactly(workspace):
    """The agreement's north and North are two sub-targets: NORTH could be either, so it is
    neither (R315), and North is North's."""
    root = workspace({"agreements/leeds.yaml": SPLIT % "North", "returns/a.csv": """
        area,indicator,period,value,subtarget
        leeds,NI 154,2010-11,1300,NORTH
        leeds,NI 154,2010-11,2220,North
        """})
    found = [(f.code, f.row) for f in validate_workspace(load_workspace(root)) if f.code == "R315"]
    assert found == [("R315", 2)]


def test_a_rule_broken_on_more_rows_than_are_listed_is_counted_in_full(tmp_path):
    """1,003 rows of one file and 2 of another, each breaking R304 (a period that is none) and
    the first 40 of the big file R313 as well (more decimals than NI 8 publishes): the first
    1,000 R304 rows of the big file are listed (rows 2 to 1,001), then one finding for the 3
    more; the small file's two are listed; R313's 40 are all listed, with no summary."""
    (tmp_path / "agreements").mkdir()
    (tmp_path / "agreements" / "leeds.yaml").write_text(
        "area: leeds\nname: Leeds\nperiods: [2008-09]\ntargets:\n"
        "  - {indicator: NI 8, kind: designated, baseline: {period: 2007-08, value: 20}, targets: {2008-09: 22}}\n")
    (tmp_path / "returns").mkdir()
    header = "area,indicator,period,value\n"
    (tmp_path / "returns" / "a.csv").write_text(header + "".join(
        f"leeds,NI 8,x{n},{'21.05' if n < 40 else '21'}\n" for n in range(1003)))
    (tmp_path / "returns" / "b.csv").write_text(header + "leeds,NI 8,y1,21\nleeds,NI 8,y2,21\n")
    findings = validate_workspace(load_workspace(tmp_path))
    r304 = [(f.file, f.row) for f in findings if f.code == "R304" and f.row is not None]
    assert r304 == [("returns/a.csv", row) for row in range(2, 1002)] + [("returns/b.csv", 2), ("returns/b.csv", 3)]
    assert [(f.file, f.message) for f in findings if f.code == "R304" and f.row is None] == [
        ("returns/a.csv", "3 more rows of this file break R304 (only the first 1,000 are listed)")]
    assert [f.row for f in findings if f.code == "R313"] == list(range(2, 42))


def test_values_decided_exactly_are_listed_and_counted_in_row_order_with_the_rest(tmp_path):
    """1,650 rows of NI 8 (a percentage: 0..100), in threes: 101 (out of range as the frame
    holds it), 100.00000000004 (out of range as written, though 100 at ten places) and
    99.99999999996 (in range as written, though 100 at ten places). 1,100 rows break R306:
    the first 1,000 in row order (rows 2 and 3, 5 and 6, ... 1,499 and 1,500), then "100
    more"; none of the third kind."""
    (tmp_path / "agreements").mkdir()
    (tmp_path / "agreements" / "leeds.yaml").write_text(
        "area: leeds\nname: Leeds\nperiods: [2008-09]\ntargets:\n"
        "  - {indicator: NI 8, kind: designated, baseline: {period: 2007-08, value: 20}, targets: {2008-09: 22}}\n")
    (tmp_path / "returns").mkdir()
    values = ("101", "100.00000000004", "99.99999999996")
    (tmp_path / "returns" / "a.csv").write_text("area,indicator,period,value\n" + "".join(
        f"leeds,NI 8,x{n},{values[n % 3]}\n" for n in range(1650)))
    findings = [f for f in validate_workspace(load_workspace(tmp_path)) if f.code == "R306"]
    assert [f.row for f in findings if f.row is not None] == [n + 2 for n in range(1499) if n % 3 != 2]
    assert [f.message for f in findings if f.row is None] == [
        "100 more rows of this file break R306 (only the first 1,000 are listed)"]
    assert [f.message for f in findings if f.row == 3] == [
        "value 100.00000000004 is outside the range of NI 8 (0..100)"]


@pytest.mark.parametrize("written", ["21.05", "21.05   ", "\t21.05", " 21.05 "])
def test_a_number_cell_is_quoted_without_the_spaces_around_it(workspace, written):
    """A number cell is read without the spaces around it, and a message quotes it so: the same
    finding whatever the spaces (it was `value 21.05    has more decimals`)."""
    root = workspace({"agreements/leeds.yaml": """
        area: leeds
        name: Leeds
        periods: [2008-09]
        targets:
          - {indicator: NI 8, kind: designated, baseline: {period: 2007-08, value: 20}, targets: {2008-09: 22}}
        """, "returns/r.csv": f"area,indicator,period,value\nleeds,NI 8,2008-09,\"{written}\"\n"})
    assert [f.message for f in validate_workspace(load_workspace(root)) if f.code == "R313"] == [
        "value 21.05 has more decimals than NI 8 publishes (1)"]


def test_a_file_loaded_twice_lists_its_duplicates_capped_and_counts_them_in_full(tmp_path):
    """a.csv holds 1,203 returns (NI 1 to NI 11, each for 1990-91 to 2099-00); b.csv is a.csv
    loaded again, but for its row 3, a value of 22 for a.csv's 21. Every row of b.csv repeats
    one of a.csv: 1,202 R309 (identical), 1,000 listed (rows 2 and 4 to 1,002) and "202 more";
    its row 3 is R308, naming a.csv row 3. a.csv's rows are the first of each key: nothing."""
    (tmp_path / "agreements").mkdir()
    (tmp_path / "agreements" / "leeds.yaml").write_text(
        "area: leeds\nname: Leeds\nperiods: [2008-09]\ntargets:\n"
        "  - {indicator: NI 8, kind: designated, baseline: {period: 2007-08, value: 20}, targets: {2008-09: 22}}\n")
    (tmp_path / "returns").mkdir()
    keys = [(f"NI {number}", f"{year}-{(year + 1) % 100:02d}") for number in range(1, 12)
            for year in range(1990, 2100)][:1203]
    rows = [f"leeds,{indicator},{period},21\n" for indicator, period in keys]
    header = "area,indicator,period,value\n"
    (tmp_path / "returns" / "a.csv").write_text(header + "".join(rows))
    (tmp_path / "returns" / "b.csv").write_text(header + "".join(rows[:1] + [rows[1].replace(",21", ",22")] + rows[2:]))
    findings = [f for f in validate_workspace(load_workspace(tmp_path)) if f.code in ("R308", "R309")]
    assert [f.file for f in findings] == ["returns/b.csv"] * 1002
    assert [(f.code, f.row) for f in findings if f.code == "R308"] == [("R308", 3)]
    r309 = [f.row for f in findings if f.code == "R309" and f.row is not None]
    assert r309 == [2, *range(4, 1003)]
    assert [f.message for f in findings if f.row is None] == [
        "202 more rows of this file break R309 (only the first 1,000 are listed)"]
    assert next(f.message for f in findings if f.code == "R308") == (
        "NI 1 1991-92 for leeds: value '22' conflicts with '21' at returns/a.csv row 3")


def test_validate_checks_the_comparators_and_neighbour_groups_benchmark_reads(tmp_path):
    # benchmark refuses both; validate must not call them fine ("0 files checked", exit 0)
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    with (root / "neighbours" / "north.yaml").open("a") as group:
        group.write("leeds: [bradford, bradford]\n")
    with (root / "comparators" / "north-2010-11.csv").open("a") as comparators:
        comparators.write("hartlepool,NI 8,2010-11,notnum\n")
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)
    errors = [(f["code"], f["file"]) for f in report["findings"] if f["severity"] == "error"]
    assert ("Y002", "neighbours/north.yaml") in errors
    assert any(file == "comparators/north-2010-11.csv" for _, file in errors)
    only = invoke(["-w", root, "validate", "neighbours/north.yaml"], 1)
    assert "Y002" in only.stdout and "in 1 of 1 file" in only.stderr


def test_a_yaml_file_below_a_folder_read_alone_is_named_not_passed_over(tmp_path):
    """Stockton's agreement filed by sub-region (`agreements/tees/`) is no agreement (DESIGN.md
    §2: `agreements/<area>.yaml`), and was left out of the grant without a word; a local
    indicator below `indicators/` likewise. Each is a Y017 warning, and `validate` of the file
    says so (it said "No findings: 0 files checked")."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "agreements" / "tees").mkdir()
    (root / "agreements" / "stockton.yaml").rename(root / "agreements" / "tees" / "stockton.yaml")
    (root / "indicators" / "old").mkdir(parents=True, exist_ok=True)
    (root / "indicators" / "old" / "TEES-01.yml").write_text("id: TEES-01\n")
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [(f["code"], f["file"], f["message"]) for f in found if f["code"] == "Y017"] == [
        ("Y017", "agreements/tees/stockton.yaml",
         "not read: agreements are read from agreements/ itself, not from the folders below it"),
        ("Y017", "indicators/old/TEES-01.yml",
         "not read: indicators are read from indicators/ itself, not from the folders below it")]
    named = invoke(["-w", root, "validate", "agreements/tees/stockton.yaml"])
    assert "Y017" in named.stdout and named.stderr.strip().endswith("0 errors, 1 warning in 1 of 1 file")
    # and every command's count of warnings has the agreement's (with Leeds' R311; TEES-01, an
    # indicator no target is on, is no area's)
    granted = invoke(["-w", root, "reward-grant", "--format", "json"])
    assert granted.stderr.splitlines()[0] == "laatool: 2 warning(s) in the inputs; `laatool validate` lists them"


def test_an_area_written_as_its_ons_code_is_told_its_slug(tmp_path):
    """Stockton's rows written by its ONS code (its agreement's `ons_code: E06000004`) name an
    area without an agreement (R301): the closest match there is, its slug, is suggested."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    returns = root / "returns" / "returns-2008-09.csv"
    returns.write_text(returns.read_text().replace("\nstockton,", "\nE06000004,"))
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    [r301] = [f for f in found if f["code"] == "R301"]
    assert r301["message"].endswith("35 row(s) of this file, not checked further; did you mean stockton?")


@pytest.mark.parametrize("folder", [".Trash-1000/files", "$RECYCLE.BIN/S-1-5-21", "__MACOSX", "old/.git"])
def test_returns_in_a_hidden_or_system_folder_are_named_not_read(tmp_path, folder):
    """A deleted draft in the recycle bin below `returns/` (NI 110 for Leeds in 2010-11, 68.5)
    was read as a return: it paid Leeds £800,000 more with exit 0. It is a Y017 warning now,
    and the grant is the examples' own."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    draft = root / "returns" / folder / "leeds-late.csv"
    draft.parent.mkdir(parents=True)
    draft.write_text("area,indicator,period,value\nleeds,NI 110,2010-11,68.5\n")
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    [named] = [f for f in found if f["code"] == "Y017"]
    assert named["file"] == f"returns/{folder}/leeds-late.csv"
    hidden = ".git" if folder == "old/.git" else folder.split("/")[0]  # the first such folder on the way
    assert named["message"].startswith(f"not read: it is in {hidden}/")
    grant = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)
    assert grant["total"] == "29262937.66"


def test_a_returns_file_whose_name_ends_in_a_space_is_told_its_name(tmp_path):
    """`returns-2010-11.csv ` (a space after .csv, which a file browser hides) is no CSV file:
    not read (every 2010-11 return missing); the finding says why and what to rename it, not to
    save it as .csv."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "returns" / "leeds-2010-11.csv").write_text("area,indicator,period,value\nleeds,NI 110,2010-11,68.5\n")
    (root / "returns" / "leeds-2010-11.csv").rename(root / "returns" / "leeds-2010-11.csv ")
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    [named] = [f for f in found if f["code"] == "Y017"]
    assert (named["file"], named["message"], named["hint"]) == (
        "returns/leeds-2010-11.csv ", "not read: the name ends in ' ' after '.csv', so it is no .csv file, and any "
        "returns in it count for nothing", "rename it 'leeds-2010-11.csv'")


def test_a_link_named_by_path_is_checked_as_the_workspace_reads_it(tmp_path):
    """`validate returns/zero.csv`, a link in the workspace to /dev/zero, said it was outside the
    workspace and that only a returns file can be checked from there; a loop of links said "no
    such file". Named by PATH they give what the whole run gives them: Y012 and Y006."""
    import os
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "returns" / "zero.csv").symlink_to("/dev/zero")
    os.symlink("b.csv", root / "returns" / "a.csv")
    os.symlink("a.csv", root / "returns" / "b.csv")
    for name, code in (("returns/zero.csv", "Y012"), ("returns/a.csv", "Y006")):
        found = json.loads(invoke(["-w", root, "validate", root / name, "--format", "json"], 1).stdout)["findings"]
        assert [(f["code"], f["file"]) for f in found] == [(code, name)]


def test_a_year_with_some_quarters_says_which_were_returned(workspace):
    """NI 156 (households in temporary accommodation, by quarter) with Q4 of 2010-11 alone: the
    year is missing (§5: its own value or all four quarters), but "no return" and "add the
    return" told the council it had typed nothing."""
    root = workspace({"agreements/leeds.yaml": """
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        targets:
          - indicator: NI 156
            kind: designated
            baseline: {period: 2007-08, value: 800}
            targets: {2010-11: 600}
        """, "returns/r.csv": "area,indicator,period,value\nleeds,NI 156,2010-11 Q4,640\n"})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [f["message"] for f in found if f["code"] == "R311"] == [
        "no return for NI 156 in 2010-11: only Q4 of its four quarters was returned, and the year needs all four "
        "or a value of its own"]


def test_an_agreement_file_named_in_capitals_is_to_be_renamed_and_no_suggestion(tmp_path):
    # agreements/Stockton.yaml of area stockton: making `area` equal the file name would be no
    # slug (S003), so A208 says to rename the file; its returns' R301 no longer suggests
    # 'Stockton', which no area can be
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "agreements" / "stockton.yaml").rename(root / "agreements" / "Stockton.yaml")
    findings = json.loads(invoke(["-w", root, "validate", "--format", "json"], code=1).stdout)["findings"]
    (a208,) = [f for f in findings if f["code"] == "A208"]
    assert (a208["file"], a208["message"], a208["hint"]) == (
        "agreements/Stockton.yaml", "area 'stockton' differs from the file name 'Stockton'",
        "rename the file stockton.yaml: a file name is an area slug (lower-case letters, digits and hyphens)")
    r301 = [f for f in findings if f["code"] == "R301"]
    assert r301 and not any("did you mean" in f["message"] for f in r301)


def test_a_copy_of_an_agreement_is_to_be_deleted_not_renamed_over_it(tmp_path):
    """`stockton (1).yaml`, a copy left beside stockton.yaml: renaming it stockton.yaml, as A208
    said, would replace the agreement with the old copy."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    shutil.copy(root / "agreements" / "stockton.yaml", root / "agreements" / "stockton (1).yaml")
    findings = json.loads(invoke(["-w", root, "validate", "--format", "json"], code=1).stdout)["findings"]
    (a208,) = [f for f in findings if f["code"] == "A208"]
    assert (a208["file"], a208["message"], a208["hint"]) == (
        "agreements/stockton (1).yaml", "area 'stockton' differs from the file name 'stockton (1)'",
        "agreements/stockton.yaml is stockton's agreement: if this file is an old copy of it, delete it or move it "
        "out of the folder; else make `area` the area this file is for")


@pytest.mark.parametrize("copy", ["returns-2010-11 (1).csv", "returns-2010-11 - Copy.csv",
                                  "Copy of returns-2010-11.csv"])
def test_a_returns_file_copied_by_mistake_has_the_repeats(tmp_path, copy):
    """A copy of returns-2010-11.csv left beside it, named as a file manager names one: its rows
    repeat the original's, so the findings are on the copy's rows, whichever is read first
    (`returns-2010-11 (1).csv` sorts before the original, whose rows were told "delete the
    repeated row")."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    shutil.copy(root / "returns" / "returns-2010-11.csv", root / "returns" / copy)
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    repeats = [f for f in found if f["code"] == "R309"]
    assert repeats and {f["file"] for f in repeats} == {f"returns/{copy}"}
    assert all(f"repeats returns/returns-2010-11.csv row {f['row']}" in f["message"] for f in repeats)


@pytest.mark.parametrize("final_file", ["a-final.csv", "z-final.csv"])
def test_a_final_return_confirms_the_provisional_one_it_repeats(tmp_path, final_file):
    """Stockton's NI 39 for 2009-10 sent as provisional, then the same value as final in a file
    read before or after it: the value is final (score's `provisional` false: it stayed true),
    and R309 is on the provisional row, whose deletion it asks for (it was on the final row
    when that was read second, and deleting it kept the provisional one)."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    year = root / "returns" / "returns-2009-10.csv"
    row = "stockton,NI 39,2009-10,2058.0,,,,,,,,\n"
    lines = year.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(row) + 1  # the file's row number (the header is row 1)
    year.write_text("".join(lines).replace(row, "stockton,NI 39,2009-10,2058.0,,,,,,,provisional,\n"), encoding="utf-8")
    final = "area,indicator,period,value,status\nstockton,NI 39,2009-10,2058.0,final\n"
    (root / "returns" / final_file).write_text(final, encoding="utf-8")
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [(f["file"], f["row"], f["message"]) for f in found if f["code"] == "R309"] == [
        ("returns/returns-2009-10.csv", at, f"NI 39 2009-10 for stockton repeats returns/{final_file} row 2")]
    rows = json.loads(invoke(["-w", root, "score", "-a", "stockton", "-p", "2009-10", "--format", "json"]).stdout)
    [ni39] = [r for r in rows["areas"][0]["rows"] if r["indicator"] == "NI 39"]
    assert (ni39["actual"], ni39["provisional"]) == (2058, False)


def test_a_huge_cell_is_quoted_in_short_by_every_finding_on_it(tmp_path):
    """A value of 200,000 digits repeating Cumbria's NI 8 2008-09 (22.4): R308 quoted it
    whole, a finding as long as the cell (ten million digits took minutes to lay out as a
    table); it is quoted by its start and end and its length, as R321 does."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)

    def messages_of(row: str) -> dict[str, str]:
        (root / "returns" / "zz.csv").write_text(f"area,indicator,period,value\n{row}\n", encoding="utf-8")
        result = invoke(["-w", root, "validate", "returns/zz.csv", "--format", "json"], 1)
        return {f["code"]: f["message"] for f in json.loads(result.stdout)["findings"]}

    messages = messages_of(f"cumbria,NI 8,2008-09,{'1' * 200_000}")
    assert messages["R308"] == (f"NI 8 2008-09 for cumbria: value '{'1' * 40}...{'1' * 37}' (200,000 characters) "
                                "conflicts with '22.4' at returns/returns-2008-09.csv row 2")
    assert max(len(message) for message in messages.values()) < 300
    # -1.000… of 200 characters, the longest number text read: R306 (outside NI 8's range)
    # wrote the number whole, and so did every rule quoting a number cell (R307, R318, R319, R330)
    messages = messages_of(f"leeds,NI 8,2001-02,-1.{'0' * 197}")
    assert messages["R306"] == (f"value -1.{'0' * 37}...{'0' * 37} (200 characters) is outside the range of "
                                "NI 8 (0..100)")
    assert max(len(message) for message in messages.values()) < 300
    # of 200,003 characters it is refused unread (docs/decisions.md): it was read as -1 when no
    # digit but 0 followed the point, and refused when one did
    for tail in ("0", "1"):
        messages = messages_of(f"leeds,NI 8,2001-02,-1.{'0' * 199_999}{tail}")
        assert "R306" not in messages
        assert messages["R321"] == (f"value -1.{'0' * 37}...{'0' * 36}{tail} (200,003 characters) is beyond the "
                                    "numbers laatool holds: " + LIMITS)


def test_of_two_files_defining_one_indicator_the_one_i101_says_is_repeated_is_not_used(workspace):
    """I101 names the later file by name as repeating the first; the later one was the one used
    (the last loaded won), so its polarity raised a false A207 on the agreement."""
    local = "id: LEEDS-01\ntitle: Empty homes\npolarity: {}\nunit: count\ndecimals: 0\nfrequency: annual\n" \
            "period_type: financial-year\n"
    root = workspace({
        "indicators/LEEDS-01.yaml": local.format("higher"),
        "indicators/leeds-1.yaml": local.format("lower"),
        "agreements/leeds.yaml": "area: leeds\nname: Leeds\nperiods: [2008-09]\ntargets:\n"
                                 "  - indicator: LEEDS-01\n    kind: local\n"
                                 "    baseline: {period: 2007-08, value: 100}\n    targets: {2008-09: 120}\n",
    })
    loaded = load_workspace(root)
    assert loaded.indicators["LEEDS-01"].polarity == "higher"
    assert [(f.code, f.file, f.message) for f in validate_workspace(loaded)] == [
        ("I101", "indicators/leeds-1.yaml", "LEEDS-01 is already defined in indicators/LEEDS-01.yaml"),
        ("I102", "indicators/leeds-1.yaml", "the file is named 'leeds-1' but defines LEEDS-01")]


def test_a_missing_return_points_at_the_row_written_without_a_usable_value(two_areas):
    """York's NI 8 2008-09 is written at returns/all.csv row 4, as `lots` (R305): R311 said
    "no return" and to add one, sending the officer to the agreement for a fault in the row.
    A row whose value is left blank is named the same way, as not reported."""
    found = [f for f in validate_workspace(load_workspace(two_areas)) if f.code == "R311"]
    assert [(f.file, f.line, f.message, f.hint) for f in found] == [(
        "agreements/york.yaml", 8,
        "no usable return for NI 8 in 2008-09: returns/all.csv row 4 is its return, with a value that cannot be "
        "used (its finding there says why)", "correct the value at returns/all.csv row 4")]
    all_csv = two_areas / "returns" / "all.csv"
    all_csv.write_text(all_csv.read_text(encoding="utf-8").replace("york,NI 8,2008-09,lots", "york,NI 8,2008-09,"),
                       encoding="utf-8")
    (found,) = [f for f in validate_workspace(load_workspace(two_areas)) if f.code == "R311"]
    assert (found.message, found.hint) == (
        "no usable return for NI 8 in 2008-09: returns/all.csv row 4 is its return, with the value left blank "
        "(not reported)", "give the value at returns/all.csv row 4")


def test_a_decimal_comma_is_said_with_the_figure_it_would_be(workspace):
    """`13,9` from a sheet set to a language with decimal commas: R305's hint speaks of
    percentages and thousands, and nothing said the comma was the fault. `1,234` is read as
    thousands and `12,3,4` is no decimal comma."""
    root = workspace({**{k: v for k, v in FILES.items() if k == "agreements/leeds.yaml"},
                      "returns/r.csv": 'area,indicator,period,value\nleeds,NI 154,2008-09,"13,9"\n'
                                       'leeds,LEEDS-01,2008-09,"1.234,5"\nleeds,NI 8,2009-10," -0,375 "\n'
                                       'leeds,NI 8,2010-11,"12,3,4"\nleeds,NI 8,2008-09,"1,234"\n'
                                       'leeds,NI 8,2007-08,"１２,３"\n'})
    found = [(f.row, f.message) for f in validate_workspace(load_workspace(root)) if f.code == "R305"]
    assert found == [(2, "value '13,9' is not a number: with a decimal point it reads 13.9"),
                     (3, "value '1.234,5' is not a number: with a decimal point it reads 1234.5"),
                     (4, "value ' -0,375 ' is not a number: with a decimal point it reads -0.375"),
                     (5, "value '12,3,4' is not a number"),
                     (7, "value '１２,３' is not a number")]  # full-width digits: `１２.３` is no number either


def test_a_missing_return_finds_its_row_by_the_sub_target_as_the_agreement_writes_it(workspace):
    """`NORTH` is the agreement's `north` (R315's rule): its row, left blank, is named too."""
    root = workspace({"agreements/leeds.yaml": """
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        targets:
          - indicator: NI 39
            kind: designated
            baseline: {period: 2007-08, value: 2050}
            subtargets:
              - id: north
                baseline: {period: 2007-08, value: 2200}
                targets: {2009-10: 2100, 2010-11: 2050}
        """, "returns/r.csv": "area,indicator,subtarget,period,value\n"
                             "leeds,NI 39,NORTH,2009-10,\nleeds,NI 39,North,2010-11,2040\n"})
    (found,) = [f for f in validate_workspace(load_workspace(root)) if f.code == "R311"]
    assert (found.line, found.message) == (  # line 11: the sub-target's 2009-10 key
        11, "no usable return for NI 39 sub-target 'north' in 2009-10: returns/r.csv row 2 is its return, with the "
           "value left blank (not reported)")


def test_a_value_r305_finds_no_number_in_is_no_blank_to_r311(workspace):
    # an ideographic space is no blank to the row rules (R305: not a number); R311 took it for one,
    # trimming every Unicode space, and told the council to give the value rather than correct it
    root = workspace({"agreements/leeds.yaml": """
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        targets:
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 2940}
            targets: {2009-10: 3500, 2010-11: 3800}
        """, "returns/r.csv": "area,indicator,period,value\nleeds,NI 154,2009-10,\u3000\n"
                             "leeds,NI 154,2010-11,3790\n"})
    found = [(f.code, f.message, f.hint) for f in validate_workspace(load_workspace(root))
             if f.code in ("R305", "R311")]
    assert found == [
        ("R311", "no usable return for NI 154 in 2009-10: returns/r.csv row 2 is its return, with a value that cannot "
                 "be used (its finding there says why)", "correct the value at returns/r.csv row 2"),
        ("R305", "value '\\u3000' is not a number", R305.hint)]


def test_a_missing_return_names_a_yaml_returns_files_line(two_areas):
    """A YAML returns file is placed by line, as its own findings are, not by row."""
    (two_areas / "returns" / "all.csv").unlink()
    (two_areas / "returns" / "york.yaml").write_text(
        "- {area: york, indicator: NI 8, period: 2009-10, value: 22.0}\n"
        "- {area: york, indicator: NI 8, period: 2008-09, value: lots}\n", encoding="utf-8")
    (found,) = [f for f in validate_workspace(load_workspace(two_areas)) if f.code == "R311"]
    assert (found.message, found.hint) == (
        "no usable return for NI 8 in 2008-09: returns/york.yaml line 2 is its return, with a value that cannot be "
        "used (its finding there says why)", "correct the value at returns/york.yaml line 2")


def test_a_missing_year_of_quarters_names_the_quarter_written_without_a_value(workspace):
    """Q1 to Q3 with values and Q4 left blank: R311 said only that the year needs all four,
    as if Q4 had never been written."""
    root = workspace({"agreements/leeds.yaml": FILES["agreements/leeds.yaml"],
                      "returns/q.csv": "area,indicator,period,value\nleeds,NI 154,2008-09 Q1,800\n"
                                       "leeds,NI 154,2008-09 Q2,810\nleeds,NI 154,2008-09 Q3,790\n"
                                       "leeds,NI 154,2008-09 Q4,\nleeds,LEEDS-01,2008-09,118\n"})
    found = [f for f in validate_workspace(load_workspace(root)) if f.code == "R311"]
    assert [(f.message, f.hint) for f in found] == [(
        "no return for NI 154 in 2008-09: only Q1, Q2, Q3 of its four quarters were returned, and the year needs all "
        "four or a value of its own; returns/q.csv row 5 is its Q4, with the value left blank (not reported)",
        "give the value at returns/q.csv row 5")]
