"""Usage that batch scripts rely on (DESIGN.md §12–§13): `--area` by an agreement's name in any
case, and an unknown LAATOOL_FORMAT refused rather than answered with a table."""

from __future__ import annotations

import json

from conftest import EXAMPLES, invoke


def test_area_by_name_in_any_case_is_the_slug():
    # "Stockton-on-Tees" is stockton's name; "LEEDS" is leeds' slug and name in capitals.
    by_name = json.loads(invoke(["-w", EXAMPLES, "score", "--area", "stockton-ON-tees", "--area", "LEEDS",
                                 "--format", "json"]).stdout)
    by_slug = json.loads(invoke(["-w", EXAMPLES, "score", "--area", "leeds", "--area", "stockton",
                                 "--format", "json"]).stdout)
    assert [a["area"] for a in by_name["areas"]] == ["leeds", "stockton"]
    assert by_name == by_slug


def test_unknown_area_name_is_a_usage_error():
    result = invoke(["-w", EXAMPLES, "score", "--area", "Leads"], code=2)
    assert "did you mean leeds" in result.stderr


def test_unknown_laatool_format_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("LAATOOL_FORMAT", "bogus")
    result = invoke(["-w", EXAMPLES, "score", "--area", "leeds"], code=2)
    assert "LAATOOL_FORMAT='bogus'" in result.stderr
    assert result.stdout == ""
    # an explicit --format decides, and the variable is not read
    invoke(["-w", EXAMPLES, "score", "--area", "leeds", "--format", "json"])


def test_laatool_format_in_any_case(monkeypatch):
    monkeypatch.setenv("LAATOOL_FORMAT", " JSON ")
    assert json.loads(invoke(["-w", EXAMPLES, "rules", "R301"]).stdout)
