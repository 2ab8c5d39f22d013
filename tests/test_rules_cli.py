"""`laatool rules`: every code listed, each explained by its own docstring; the docs list them."""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
import textwrap

import pytest

from conftest import REPO, invoke
from laatool.base.findings import Severity
from laatool.checks.registry import all_rules

RULES = all_rules()
FAMILY_MODULES = {"Y": ["load.reading_rules", "load.table_rules", "load.folder_rules"], "S": ["load.schema_rules"],
                  "I": ["checks.indicators"],
                  "A": ["checks.agreement_indicators", "checks.agreement_periods", "checks.agreement_values",
                        "checks.agreement_reward", "checks.agreement_shape", "checks.agreement_groups"],
                  "R": ["checks.returns_areas", "checks.returns_rows", "checks.returns_numbers",
                        "checks.returns_values", "checks.returns_surveys", "checks.returns_coverage",
                        "checks.returns_plausibility"]}


def test_codes_are_grouped_and_well_formed():
    # the loaders' codes are kept as they were; the rule families add grouped numbers
    assert {"Y001", "Y002", "Y003", "Y004", "Y005", "Y006", "Y007", "S001", "S002", "S003"} <= set(RULES)
    for code, rule in RULES.items():
        assert re.fullmatch(r"Y0\d\d|S00\d|I1\d\d|A2\d\d|R3\d\d", code)
        assert rule.__module__ in [f"laatool.{module}" for module in FAMILY_MODULES[code[0]]]



def test_each_family_module_is_short_enough_to_read_at_once():
    """A family's rules are split by what they look at, so a reader takes a module in at once:
    about 300 lines each (docstrings included)."""
    for module in (module for modules in FAMILY_MODULES.values() for module in modules):
        path = REPO / "src" / "laatool" / (module.replace(".", "/") + ".py")
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 320, module

@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_documents_itself(code):
    rule = RULES[code]
    text = inspect.getdoc(rule)
    title, blank, *explanation = text.splitlines()
    assert title and blank == "" and explanation
    assert "Failing:" in text and "Passing:" in text
    assert text.index("Failing:") < text.index("Passing:")
    assert rule.hint and isinstance(rule.severity, Severity)


def test_rules_lists_every_code_in_json_and_csv():
    document = json.loads(invoke(["rules", "--format", "json"]).stdout)
    assert [r["code"] for r in document["rules"]] == sorted(RULES)
    a202 = next(r for r in document["rules"] if r["code"] == "A202")
    assert a202 == {"code": "A202", "severity": "error", "title": "Indicator designated twice",
                    "hint": RULES["A202"].hint, "other_severities": ""}
    rows = list(csv.DictReader(io.StringIO(invoke(["rules", "--format", "csv"]).stdout)))
    assert [r["code"] for r in rows] == sorted(RULES)
    assert {r["code"]: r["severity"] for r in rows}["R309"] == "warning"


def test_every_severity_a_finding_has_is_listed_by_rules(workspace):
    """Y007 (an empty file) is an error for an agreement, indicator or scheme file, a warning for
    a returns or comparators file and info for laatool.yaml: `rules` listed only "error", so a
    script reading each code's severity from it was wrong about the other two."""
    root = workspace({"agreements/leeds.yaml": VALID, "returns/empty.csv": "", "comparators/empty.csv": "",
                      "indicators/LOCAL-01.yaml": "", "schemes/mine.yaml": "", "laatool.yaml": "# nothing yet\n"})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], code=1).stdout)["findings"]
    assert sorted((f["file"], f["code"], f["severity"]) for f in found) == [
        ("comparators/empty.csv", "Y007", "warning"), ("indicators/LOCAL-01.yaml", "Y007", "error"),
        ("laatool.yaml", "Y007", "info"), ("returns/empty.csv", "Y007", "warning"),
        ("schemes/mine.yaml", "Y007", "error")]
    listed = json.loads(invoke(["rules", "Y007", "--format", "json"]).stdout)
    assert (listed["severity"], listed["other_severities"]) == (
        "error", "warning: a returns or comparators file; info: laatool.yaml")
    row = next(csv.DictReader(io.StringIO(invoke(["rules", "--format", "csv"]).stdout)))
    assert list(row) == ["code", "severity", "title", "hint", "other_severities"]
    assert invoke(["rules", "Y007"]).stdout.startswith(
        "Y007 error (warning: a returns or comparators file; info: laatool.yaml)\n")


def test_rules_table_shows_codes_and_titles():
    out = invoke(["rules"]).stdout
    for code in RULES:
        assert code in out
    assert "Indicator designated twice" in out


def test_rules_code_prints_the_rules_own_docstring():
    out = invoke(["rules", "a202"]).stdout
    assert out.startswith("A202 error")
    assert inspect.getdoc(RULES["A202"]) in out
    assert f"Hint: {RULES['A202'].hint}" in out
    document = json.loads(invoke(["rules", "R308", "--format", "json"]).stdout)
    assert document["explanation"] == inspect.getdoc(RULES["R308"])
    assert document["severity"] == "error" and document["title"] == "Conflicting duplicate returns"


def test_an_unknown_code_is_a_usage_error():
    result = invoke(["rules", "A2O2"], 2)
    assert "no rule 'A2O2'" in result.stderr and "A202" in result.stderr


def test_docs_list_every_code_with_its_title():
    text = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert re.search(rf"^\| {code} \| [^|]+ \| {re.escape(rule.title())} \|$", text, re.M), code


VALID = """
area: leeds
name: Leeds
periods: [2008-09, 2009-10, 2010-11]
reward: {scheme: lpsa2, maximum: 1000000.00}
targets:
  - indicator: NI 154
    kind: designated
    baseline: {period: 2007-08, value: 2940}
    targets: {2008-09: 3200, 2009-10: 3500, 2010-11: 3800}
    expected_without_agreement: 3400
"""


def _codes(root, code: int) -> list[str]:
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], code=code).stdout)
    return [finding["code"] for finding in report["findings"]]


def _example(code: str, which: str) -> str:
    """The YAML of a rule's failing or passing example, as `laatool rules CODE` shows it."""
    text = inspect.getdoc(RULES[code])
    failing, passing = text.split("Failing:\n")[1].split("Passing:\n")
    return textwrap.dedent(failing if which == "failing" else passing)


@pytest.mark.parametrize("which,expected", [("failing", ["A218"]), ("passing", [])])
def test_a218s_examples_added_to_a_valid_agreement(which, expected, workspace):
    root = workspace({"agreements/leeds.yaml": VALID + textwrap.indent(_example("A218", which), "  ")})
    assert _codes(root, 1 if expected else 0) == expected


@pytest.mark.parametrize("which,expected", [("failing", ["Y008"]), ("passing", [])])
def test_y008s_examples_in_a_valid_agreement(which, expected, workspace):
    reward = _example("Y008", which).strip()
    assert reward.startswith("reward: ")
    root = workspace({"agreements/leeds.yaml": VALID.replace("reward: {scheme: lpsa2, maximum: 1000000.00}", reward)})
    assert _codes(root, 1 if expected else 0) == expected


@pytest.mark.parametrize("written,agreement,returns", [
    ("1.0e+40", "Y008", "Y008"), ("1.e+40", "Y008", "Y008"), (".1e+42", "Y008", "Y008"),
    ("-1.0e+40", "Y008", "Y008"), ("1234567890123456789012345678901", "Y008", "Y008"),
    ("1e40", "S003", "R321"), ("1e+40", "S003", "R321"), ("1.0e40", "S003", "R321"),
    ("'1.0e+40'", "S003", "R321"),
])
def test_which_yaml_spellings_are_y008_as_its_doc_and_the_readme_say(written, agreement, returns, workspace):
    """YAML 1.1 reads digits alone, or digits with a point and any exponent signed, as a number
    (Y008); any other spelling as text, which the schema (S003) or, in a YAML returns file, the
    reading of a table's cell (R321) holds to the same limits."""
    root = workspace({"agreements/leeds.yaml": VALID.replace("maximum: 1000000.00", f"maximum: {written}")})
    assert _codes(root, 1) == [agreement]
    (root / "agreements" / "leeds.yaml").write_text(VALID, encoding="utf-8")
    (root / "returns" / "r.yaml").write_text(
        f"- area: leeds\n  indicator: NI 154\n  period: 2008-09\n  value: {written}\n", encoding="utf-8")
    assert _codes(root, 1) == [returns]


def test_an_agreements_findings_are_capped_at_1000_a_rule_as_any_files_are(workspace):
    # 1,003 local targets on NI 154: every one after the first is A220, 1,002 in all; the first
    # 1,000 are listed, then one summary finding without a place
    target = "  - {indicator: NI 154, kind: local, baseline: {period: 2007-08, value: 100}, targets: {2010-11: 120}}\n"
    root = workspace({"agreements/a.yaml": "area: a\nname: A\nperiods: [2008-09, 2009-10, 2010-11]\ntargets:\n"
                      + target * 1003})
    findings = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [f["code"] for f in findings] == ["A220"] * 1001
    assert [(f["line"], f["message"]) for f in findings if f["line"] is None] == [
        (None, "2 more of this file's findings are A220 (only the first 1,000 are listed)")]
