"""The declarative cases of `tests/cases/`: each folder is a workspace and its `expect.yaml`.

`expect.yaml` holds:
  about     what the case shows
  findings  the findings it must give: code, severity, file and, where given, line, column, row
            and field. For each code listed, these are exactly the findings of that code (unless
            `count` gives how many there are). No finding of error severity may be unlisted.
  passes    codes that must not appear at all (the case is a passing example for them)
  count     {code: number} for codes with more findings than are worth listing
  patch     {module.NAME: value} set for the run (e.g. a size limit lowered to test it)
  latin1    [paths]: files stored under their UTF-8 names, renamed for the run (in a copy of the
            case) to the same names in Latin-1, names that are not UTF-8 (which not every
            system could check out of git)
Each case runs through `laatool -w CASE validate --format json`; the exit code must be 1 exactly
when an error is expected. It runs twice: the second run, from the agreement cache, must give
the same report.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import invoke
from laatool.checks.registry import all_rules

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expect.yaml").is_file())
WHERE = ("line", "column", "row", "field")


def expectation(name: str) -> dict:
    return yaml.safe_load((CASES / name / "expect.yaml").read_text(encoding="utf-8"))


def matches(actual: dict, wanted: dict) -> bool:
    return all(actual.get(key) == value for key, value in wanted.items())


def in_latin1(case: Path, names: list[str], tmp_path: Path) -> Path:
    """The case's folder, or a copy of it with each of `names` renamed to its name in Latin-1."""
    if not names:
        return case
    root = tmp_path / case.name
    shutil.copytree(case, root)
    for rel in names:
        os.rename(root / rel, root / os.fsdecode(rel.encode("latin-1")))
    return root


@pytest.mark.parametrize("name", NAMES)
def test_case(name, monkeypatch, tmp_path):
    expect = expectation(name)
    for target, value in (expect.get("patch") or {}).items():
        module, attribute = target.rsplit(".", 1)
        monkeypatch.setattr(importlib.import_module(module), attribute, value)
    wanted = expect.get("findings") or []
    code = 1 if any(f["severity"] == "error" for f in wanted) else 0
    root = in_latin1(CASES / name, expect.get("latin1") or [], tmp_path)
    result = invoke(["-w", root, "validate", "--format", "json"], code)
    found = json.loads(result.stdout)["findings"]
    # The second run reads the agreements back from the agreement cache: nothing may differ.
    assert invoke(["-w", root, "validate", "--format", "json"], code).stdout == result.stdout

    for finding in wanted:
        assert any(matches(f, finding) for f in found), f"missing {finding}\nfound: {found}"
    counts = expect.get("count") or {}
    for listed in {f["code"] for f in wanted}:
        of_code = [f for f in found if f["code"] == listed]
        if listed in counts:
            assert len(of_code) == counts[listed]
        else:
            assert len(of_code) == sum(f["code"] == listed for f in wanted), f"unexpected {of_code}"
    unlisted_errors = [f for f in found if f["severity"] == "error" and f["code"] not in {w["code"] for w in wanted}]
    assert unlisted_errors == []
    passing = set(expect.get("passes") or [])
    assert [f for f in found if f["code"] in passing] == []


def test_every_code_has_a_failing_and_a_passing_case():
    failing, passing = set(), set()
    for name in NAMES:
        expect = expectation(name)
        failing |= {f["code"] for f in expect.get("findings") or []}
        passing |= set(expect.get("passes") or [])
    codes = set(all_rules())
    assert codes - failing == set(), "codes without a failing case"
    assert codes - passing == set(), "codes without a passing case"
    assert failing | passing <= codes, "cases name codes that do not exist"
