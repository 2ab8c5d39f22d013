"""Target groups (DESIGN.md §6.1): one reward target whose share is split among measures on
indicators of their own, the returns that reach them, `group` on every output row, and the
findings about them.

Every expected figure is worked out in the comments from the rules, not copied from the
program's output.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, invoke
from laatool.base.models import Agreement
from laatool.base.money import to_penny
from laatool.compute.reward import Earned, area_grant, measure
from test_reward_frame import INPUT_SCHEMA, LPSA2, rewards, target

GROUPED = {
    "agreements/gamma.yaml": """
        area: gamma
        name: Gamma
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1000000.00}
        targets:
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 2940}
            targets: {2010-11: 3800}
            expected_without_agreement: 3400
          - group: transport
            title: Public transport and roads
            kind: designated
            subtargets:
              - {id: buses, indicator: NI 177, weight: 2, baseline: {period: 2007-08, value: 90},
                 targets: {2010-11: 120}, expected_without_agreement: 100}
              - {id: on-time, indicator: NI 178, weight: 3, baseline: {period: 2007-08, value: 78.0},
                 targets: {2010-11: 83.0}}
              - {id: roads, indicator: NI 168, weight: 4, baseline: {period: 2007-08, value: 8.0},
                 targets: {2010-11: 6.0}, expected_without_agreement: 7.5}
        """,
    # NI 177 and NI 168 leave the sub-target blank (no other target measures them); NI 178 names it
    "returns/returns.csv": """
        area,indicator,subtarget,period,value
        gamma,NI 154,,2010-11,3700
        gamma,NI 177,,2010-11,115
        gamma,NI 178,on-time,2010-11,82.1
        gamma,NI 168,,2010-11,6.6
        """,
}


def run_json(root, *args, code: int = 0) -> dict:
    return json.loads(invoke(["-w", root, *args, "--format", "json"], code).stdout)


def by_indicator(rows: list[dict]) -> dict[str, dict]:
    return {row["indicator"]: row for row in rows}


@pytest.mark.parametrize("path", ["frame", "python"])
def test_a_group_is_one_share_split_by_weight_over_its_own_indicators(workspace, monkeypatch, path):
    """£1,000,000.00 over 2 reward targets (the group is one): £500,000 each.

    NI 154: (3700 − 3400) / (3800 − 3400) = 0.75 of £500,000 = £375,000.00.
    The group's £500,000 is cut 2 : 3 : 4 (Σ 9), each measure on its own indicator:
    - buses, NI 177 (higher is better), from 100 (expected): share 500,000 × 2/9 =
      111,111.111… → 111,111.11; (115 − 100) / (120 − 100) = 0.75 → 83,333.333… → 83,333.33;
      at stake 111,111.11 − 83,333.33 = 27,777.78.
    - on-time, NI 178 (higher), no expected value so from the baseline 78: share 500,000 × 3/9 =
      166,666.666… → 166,666.67; (82.1 − 78) / (83 − 78) = 0.82 → 136,666.666… → 136,666.67;
      at stake 30,000.00.
    - roads, NI 168 (lower is better), from 7.5: share 500,000 × 4/9 = 222,222.222… →
      222,222.22; (6.6 − 7.5) / (6 − 7.5) = 0.6 exactly, the threshold: paid 133,333.333… →
      133,333.33; at stake 88,888.89; 60% needs 7.5 + 0.6 × (6 − 7.5) = 6.6.
    The shares add up to 500,000.00, the group earns 353,333.33; total 728,333.33, revenue half
    of it 364,166.665 → 364,166.67 (half up), capital 364,166.66; instalments 364,166.67 and
    the rest, 364,166.66; the area's at stake 1,000,000.00 − 728,333.33 = 271,666.67.
    Both paths (the frame, and Python for rows the frame cannot hold) give these figures.
    """
    if path == "python":
        import laatool.compute.reward_frame as reward_frame

        monkeypatch.setattr(reward_frame, "in_range", lambda *args: pl.lit(False))
    area = run_json(workspace(GROUPED), "reward-grant")["areas"][0]
    rows = by_indicator(area["targets"])
    assert list(rows) == ["NI 154", "NI 177", "NI 178", "NI 168"]  # a group has no row of its own
    figures = {key: (t["subtarget"], t["group"], t["weight"], t["share"], t["achievement"], t["reward"],
                     t["at_stake"]) for key, t in rows.items()}
    assert figures == {
        "NI 154": (None, None, None, "500000.00", 0.75, "375000.00", "125000.00"),
        "NI 177": ("buses", "transport", 2, "111111.11", 0.75, "83333.33", "27777.78"),
        "NI 178": ("on-time", "transport", 3, "166666.67", 0.82, "136666.67", "30000.00"),
        "NI 168": ("roads", "transport", 4, "222222.22", 0.6, "133333.33", "88888.89"),
    }
    assert (rows["NI 178"]["from"], rows["NI 168"]["from"], rows["NI 168"]["needed_for_threshold"]) == (78, 7.5, 6.6)
    assert (area["total"], area["revenue"], area["capital"], area["instalments"], area["at_stake"]) == (
        "728333.33", "364166.67", "364166.66", ["364166.67", "364166.66"], "271666.67")


def test_group_on_every_output_row_json_and_csv(workspace):
    """`group` is the slug on a group's sub-targets' rows and null elsewhere, in score and
    reward-grant, JSON and CSV; score has no row for the group itself."""
    root = workspace(GROUPED)
    score = run_json(root, "score")["areas"][0]["rows"]
    assert [(r["indicator"], r["subtarget"], r["group"], r["actual"]) for r in score] == [
        ("NI 154", None, None, 3700), ("NI 177", "buses", "transport", 115),
        ("NI 178", "on-time", "transport", 82.1), ("NI 168", "roads", "transport", 6.6)]
    # DESIGN.md §7.2's §6.1 fields, in its order, after those of §6
    grant = invoke(["-w", root, "reward-grant", "--format", "csv"]).stdout.splitlines()[0]
    assert grant.endswith(",at_stake,provisional,group,weight,interim_status,payment_on_account,balance,recovery")
    for command in ("score", "reward-grant"):
        table = list(csv.DictReader(io.StringIO(invoke(["-w", root, command, "--format", "csv"]).stdout)))
        assert [(r["indicator"], r["group"]) for r in table] == [
            ("NI 154", ""), ("NI 177", "transport"), ("NI 178", "transport"), ("NI 168", "transport")]
    project = run_json(root, "project")["areas"][0]["rows"]
    assert [(r["indicator"], r["group"]) for r in project] == [
        ("NI 154", None), ("NI 177", "transport"), ("NI 178", "transport"), ("NI 168", "transport")]


def test_tables_show_a_groups_rows_under_its_title(workspace):
    root = workspace(GROUPED)
    for command in ("score", "reward-grant", "project"):
        out = invoke(["-w", root, command], env={"COLUMNS": "200"}).stdout
        lines = out.splitlines()
        title = next(i for i, line in enumerate(lines) if "Public transport" in line)
        assert "NI 177" in lines[title + 1], command
        assert "NI 154" not in "\n".join(lines[title:title + 4]), command


ROUTES = {
    "agreements/delta.yaml": """
        area: delta
        name: Delta
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 900000.00}
        targets:
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 2940}
            targets: {2010-11: 3800}
          - group: housing
            kind: designated
            subtargets:
              - {id: homes, indicator: NI 154, baseline: {period: 2007-08, value: 100}, targets: {2010-11: 200}}
              - {id: affordable, indicator: NI 155, baseline: {period: 2007-08, value: 10}, targets: {2010-11: 20}}
          - group: safety
            kind: designated
            subtargets:
              - {id: urban, indicator: NI 47, baseline: {period: '2007', value: 200}, targets: {2010-11: 170}}
              - {id: rural, indicator: NI 47, baseline: {period: '2007', value: 120}, targets: {2010-11: 100}}
        """,
    "returns/returns.csv": """
        area,indicator,subtarget,period,value
        delta,NI 154,,2010-11,3700
        delta,NI 155,,2010-11,18
        delta,NI 47,,2010,300
        """,
}


def test_a_blank_subtarget_reaches_a_group_measure_only_when_nothing_else_measures_its_indicator(workspace):
    """NI 154 is also an ordinary target: its blank return is that target's, and the group's
    `homes` has none (pending). NI 155 is measured by `affordable` alone: its blank return
    reaches it. NI 47 is measured by two group sub-targets: the blank return could be either,
    reaches neither (R324, a warning) and both are pending."""
    root = workspace(ROUTES)
    actuals = {(r["indicator"], r["subtarget"]): r["actual"]
               for r in run_json(root, "score")["areas"][0]["rows"]}
    assert actuals == {("NI 154", None): 3700, ("NI 154", "homes"): None, ("NI 155", "affordable"): 18,
                       ("NI 47", "urban"): None, ("NI 47", "rural"): None}
    findings = run_json(root, "validate")["findings"]
    ambiguous = [f for f in findings if f["code"] == "R324"]
    assert [(f["file"], f["row"], f["field"], f["severity"]) for f in ambiguous] == [
        ("returns/returns.csv", 4, "subtarget", "warning")]
    assert ambiguous[0]["message"] == ("the blank sub-target of this NI 47 return could be 'rural' of group safety "
                                       "or 'urban' of group safety in delta's agreement, so it scores nothing")
    assert {f["code"] for f in findings} == {"R311", "R324"}  # the pending sub-targets' missing returns
    statuses = {(t["indicator"], t["subtarget"]): t["status"]
                for t in run_json(root, "reward-grant")["areas"][0]["targets"]}
    assert statuses == {("NI 154", None): "paid", ("NI 154", "homes"): "pending",
                        ("NI 155", "affordable"): "paid", ("NI 47", "urban"): "pending",
                        ("NI 47", "rural"): "pending"}


def test_a_named_return_reaches_the_measure_whatever_else_uses_its_indicator(workspace):
    root = workspace({**ROUTES, "returns/returns.csv": """
        area,indicator,subtarget,period,value
        delta,NI 154,,2010-11,3700
        delta,NI 154,homes,2010-11,180
        delta,NI 47,urban,2010,180
        """})
    actuals = {(r["indicator"], r["subtarget"]): r["actual"]
               for r in run_json(root, "score")["areas"][0]["rows"]}
    assert (actuals[("NI 154", None)], actuals[("NI 154", "homes")], actuals[("NI 47", "urban")]) == (3700, 180, 180)


def test_a_blank_and_a_named_return_of_one_measure_are_duplicates(workspace):
    """A blank return that reaches `affordable` and one naming it are the same (area, indicator,
    sub-target, period): a different value is the conflicting duplicate R308."""
    root = workspace({**ROUTES, "returns/returns.csv": """
        area,indicator,subtarget,period,value
        delta,NI 155,,2010-11,18
        delta,NI 155,affordable,2010-11,19
        """})
    findings = run_json(root, "validate", code=1)["findings"]
    assert [(f["code"], f["row"]) for f in findings if f["code"] == "R308"] == [("R308", 3)]


CASES = REPO / "tests" / "cases"


@pytest.mark.parametrize("case, code, lines", [
    ("a225-group-without-subtargets", "A225", [6]),
    ("a226-group-subtarget-without-indicator", "A226", [10]),
    ("a227-group-with-own-values", "A227", [9, 10, 11]),
    ("a228-group-keys-outside-a-group", "A228", [7, 13]),
    ("a229-group-slug-twice", "A229", [10]),
    ("a212-group-subtargets-alike", "A212", [13, 14]),
])
def test_each_group_finding_is_one_line_at_its_place_with_what_to_do(case, code, lines):
    findings = [f for f in run_json(CASES / case, "validate", code=1)["findings"] if f["code"] == code]
    assert [(f["file"], f["line"]) for f in findings] == [("agreements/leeds.yaml", line) for line in lines]
    for finding in findings:
        assert "\n" not in finding["message"] and finding["hint"] and finding["severity"] == "error"
    text = invoke(["-w", CASES / case, "validate", "--format", "csv"], 1).stdout
    assert sum(row["code"] == code for row in csv.DictReader(io.StringIO(text))) == len(lines)


def test_the_group_findings_messages(workspace):
    messages = {f["code"]: f["message"] for case in ("a225-group-without-subtargets",
                                                     "a226-group-subtarget-without-indicator",
                                                     "a229-group-slug-twice")
                for f in run_json(CASES / case, "validate", code=1)["findings"]}
    assert messages == {"A225": "group transport has no sub-targets",
                        "A226": "group transport sub-target 'buses' names no indicator",
                        "A229": "group transport is also the target at line 6"}


def test_an_ordinary_target_still_needs_an_indicator(workspace):
    root = workspace({"agreements/leeds.yaml": """
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        targets:
          - kind: designated
            baseline: {period: 2007-08, value: 2940}
            targets: {2010-11: 3800}
        """})
    findings = run_json(root, "validate", code=1)["findings"]
    assert [(f["code"], f["line"], f["message"]) for f in findings] == [
        ("S003", 5, "targets[0]: a target needs an indicator (or, for a target group, a group slug)")]


# Property: a group's share is split among its measures in proportion to their weights, each
# measured on its own polarity, and every split adds up, whichever path computes it.

weights = st.decimals(min_value=Decimal("0.01"), max_value=100, places=2, allow_nan=False, allow_infinity=False)
measures = st.tuples(weights, st.sampled_from(["higher", "lower"]),
                     st.decimals(min_value=0, max_value=2, places=2, allow_nan=False, allow_infinity=False))


@settings(max_examples=80, deadline=None)
@given(parts=st.lists(measures, min_size=1, max_size=6), others=st.integers(0, 5),
       maximum=st.integers(0, 10**10).map(lambda p: Decimal(p).scaleb(-2)))
def test_a_groups_split_adds_up(parts, others, maximum):
    """Each measure's share is the group's share × w / Σw, rounded once to the penny, so the
    rounded shares differ from the group's share by at most half a penny each; a measure that
    achieves its target in full earns its share; the frame gives what `measure` gives; and the
    area's figures reconcile to the penny."""
    whole = sum((Fraction(w) for w, _, _ in parts), Fraction(0))
    rows = []
    for index, (weight, polarity, achieved) in enumerate(parts):
        sign = 1 if polarity == "higher" else -1
        # from 100 towards 100 ± 10: the actual achieves `achieved` of the enhancement
        row = target("100", str(100 + sign * 10), str(100 + sign * 10 * achieved), polarity=polarity,
                     position=0, subtarget=f"m{index}")
        portion = Fraction(weight) / whole
        row.update(indicator=f"NI {index + 1}", portion=f"{portion.numerator}/{portion.denominator}",
                   portion_num=portion.numerator, portion_den=portion.denominator, weight=weight,
                   group="transport")
        rows.append(row)
    rows += [target("0", "10", "10", position=1 + k) for k in range(others)]
    schema = {**INPUT_SCHEMA, "portion": pl.String, "portion_num": pl.Int128, "portion_den": pl.Int128,
              "weight": pl.Decimal(38, 10), "group": pl.String}
    results = rewards(rows, str(maximum), LPSA2, schema)
    assert all(by_frame for _, by_frame in results)  # groups are the frame's, no row left to Python
    group_share = Fraction(maximum) / (1 + others)
    measured = [(row, result) for row, (result, _) in zip(rows, results, strict=True) if row.get("group")]
    assert all(result.group == "transport" for _, result in measured)
    for (row, result), (weight, _, achieved) in zip(measured, parts, strict=True):
        share = group_share * Fraction(weight) / whole
        assert result.share == to_penny(share)
        python = measure(row, share, LPSA2)
        assert (result.reward, result.share, result.status) == (python.reward, python.share, python.status)
        if achieved >= 1:
            assert result.reward == to_penny(share)
    assert abs(sum(result.share for _, result in measured) - to_penny(group_share)) <= \
        Decimal("0.005") * len(parts) + Decimal("0.005")
    earned = Earned(sum((r.reward for r, _ in results), Decimal(0)), reward_targets=1 + others)
    agreement = Agreement(area="x", name="X", periods=["2010-11"], reward={"maximum": maximum})
    area = area_grant("x", agreement, LPSA2, maximum, earned)
    assert area.revenue + area.capital == area.total == sum(area.instalments) == earned.reward
    # each reward is rounded on its own, so a few pennies may be paid above the maximum: then
    # nothing is at stake
    assert area.total + area.at_stake == max(maximum, area.total)


def test_the_checks_of_a_target_look_at_each_group_measure_on_its_own_indicator(workspace):
    """A designated group's measure on a local indicator (A210), on a statutory one (A221, at
    the group's `kind`), on a deleted one (A204) or an unknown one (A203); values checked
    against the measure's own indicator (A216, A217) and periods against the agreement (A205)."""
    root = workspace({"agreements/leeds.yaml": """
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1000000.00}
        targets:
          - group: transport
            kind: designated
            subtargets:
              - {id: a, indicator: NI 177, baseline: {period: 2008-09, value: 1}, targets: {2011-12: 2}}
              - {id: b, indicator: LOCAL-9, baseline: {period: 2007-08, value: 1}, targets: {2010-11: 2}}
              - {id: c, indicator: NI 31, baseline: {period: 2007-08, value: 2}, targets: {2010-11: 1}}
              - {id: d, indicator: NI 75, baseline: {period: 2007-08, value: 1.123}, targets: {2010-11: 200}}
        """})
    found = {(f["code"], f["line"]): f["message"] for f in run_json(root, "validate", code=1)["findings"]}
    assert found == {
        ("A205", 9): "group transport sub-target 'a' (NI 177): target period 2011-12 is not one of the "
                     "agreement's periods (2008-09, 2009-10, 2010-11)",
        ("A235", 9): "group transport sub-target 'a' (NI 177): a reward target with no target for 2010-11, the "
                     "agreement's final year: it stays pending",
        ("A203", 10): "unknown indicator LOCAL-9",
        ("A210", 10): "group transport sub-target 'b' (LOCAL-9): LOCAL-9 is a local indicator and cannot be designated",
        ("A204", 11): "NI 31 is a deleted indicator",
        ("A221", 7): "group transport sub-target 'd' (NI 75): NI 75 is a statutory indicator but is designated",
        ("A216", 12): "group transport sub-target 'd' (NI 75): baseline 1.123 has more decimals than NI 75 "
                      "publishes (1)",
        ("A217", 12): "group transport sub-target 'd' (NI 75): target 2010-11 200 is outside NI 75's range 0..100",
    }
