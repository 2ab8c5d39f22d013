"""The core API (`laatool.api`): each command's function gives what the command prints, and
keeps the order of its steps — a usage error before a refusal, a refusal before any figure."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES, invoke
from laatool import api
from laatool.base.errors import InvalidInput, UsageError
from laatool.base.findings import Severity
from laatool.render.json import dumps


def test_score_gives_the_report_and_the_lines_the_command_prints():
    outcome = api.score(EXAMPLES, ["leeds"], "2009-10")
    result = invoke(["-w", EXAMPLES, "score", "-a", "leeds", "-p", "2009-10", "-f", "json"])
    assert dumps(outcome.report.to_json()) == result.stdout
    assert outcome.messages == ["laatool: 1 warning(s) in the inputs; `laatool validate` lists them"]
    assert result.stderr.splitlines() == outcome.messages


def test_reward_grant_says_the_warnings_and_the_pending_targets():
    outcome = api.reward_grant(EXAMPLES, None, None)
    assert outcome.messages == [
        "laatool: 1 warning(s) in the inputs; `laatool validate` lists them",
        "laatool: warning: leeds: NI 110 is pending, earning £0.00 of its £800,000.00 share: no 2010-11 return",
    ]
    # Leeds' NI 154 sub-targets share £800,000 5 : 3 : 2: 400,000 × 1 + 240,000 × 0.8 + 0
    # (below 60%) = 592,000.00, where equal thirds gave 266,666.67 + 213,333.33 = 480,000.00:
    # 112,000.00 more than the 28,756,651.94 of equal shares, 28,868,651.94.
    # Leeds' target group `transport` (NI 177 alone until it became a group, below 60%: £0) is
    # one £800,000 share cut 3 : 2 : 2. NI 177 (69,512,000 − 68,800,000) / (70,000,000 −
    # 68,800,000) = 0.593 is below 60%: £0.00. NI 178 (81.9 − 79) / (83 − 79) = 0.725 of
    # 800,000 × 2/7 = 165,714.2857… → 165,714.29. NI 168, lower is better: (5.8 − 7.5) / (6 −
    # 7.5) = 1.13, capped at 1: 800,000 × 2/7 = 228,571.4285… → 228,571.43. The group earns
    # 394,285.72 more: 28,868,651.94 + 394,285.72 = 29,262,937.66.
    assert str(outcome.report.total) == "29262937.66"


def test_validate_and_the_findings_of_some_files():
    whole = api.validate(EXAMPLES, [], Severity.ERROR)
    one = api.validate(EXAMPLES, [EXAMPLES / "returns" / "returns-2009-10.csv"], Severity.ERROR)
    assert whole.valid and one.valid and one.files_checked == 1 < whole.files_checked


def test_usage_errors_come_before_the_refusal(tmp_path):
    """A workspace whose inputs hold an error: a bad --period or --scheme is still a usage
    error (exit 2), and only a good one reaches the refusal (exit 1)."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    returns = root / "returns" / "returns-2009-10.csv"
    returns.write_text(returns.read_text(encoding="utf-8") + "leeds,NI 154,2009-10,lots\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--period"):
        api.score(root, ["leeds"], "1999-00")
    with pytest.raises(UsageError, match="unknown scheme 'nowhere'"):
        api.reward_grant(root, ["leeds"], "nowhere")
    with pytest.raises(InvalidInput) as refused:
        api.score(root, ["leeds"], "2009-10")
    assert [f.code for f in refused.value.findings] == ["R305", "R308"]  # not a number, and another value


def test_rules_and_schema():
    assert api.rules("r311").rule.code == "R311"
    with pytest.raises(UsageError, match="did you mean R301"):
        api.rules("R3O1")  # a letter O for the zero
    assert api.schema("settings") == invoke(["schema", "settings"]).stdout


def test_pending_targets_past_a_thousand_are_counted_not_listed(workspace):
    """An agreement of 1,003 sub-targets without a return: a line for each on stderr buried the
    cause (9,850 lines for a national run); the first 1,000 are said, then how many more."""
    subtargets = "".join(f"      - {{id: s{n}, baseline: {{period: 2007-08, value: 500}}, targets: {{2010-11: 800}}}}\n"
                         for n in range(1003))
    root = workspace({"agreements/many.yaml": (
        "area: many\nname: Many\nperiods: [2008-09, 2009-10, 2010-11]\nreward: {scheme: lpsa2, maximum: 1003000.00}\n"
        "targets:\n  - indicator: NI 154\n    kind: designated\n    baseline: {period: 2007-08, value: 500}\n"
        "    targets: {2010-11: 800}\n    subtargets:\n" + subtargets)})
    outcome = api.reward_grant(root, None, None)
    pending = [message for message in outcome.messages if message.startswith("laatool: warning: ")]
    assert len(pending) == 1001
    assert pending[0] == ("laatool: warning: many: NI 154 (s0) is pending, earning £0.00 of its £1,000.00 share: "
                          "no 2010-11 return")
    assert pending[-1] == ("laatool: warning: 3 more (sub-)targets are pending (only the first 1,000 are listed; the "
                           "output gives each its status)")
