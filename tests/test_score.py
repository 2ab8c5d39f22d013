"""`score` core: every number below is worked by hand from DESIGN.md §5, not read off the code.

Rules: achievement = (actual − baseline) / (target − baseline), written to 4 places half up;
green when the actual meets or beats the target (by polarity; a neutral indicator by the
direction from baseline to target), amber when achievement ≥ rag.amber (0.6), red below,
no-data without a return. Direction against the latest earlier actual, else the baseline,
both rounded half up to the indicator's decimals.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from laatool.api import load_workspace
from laatool.base.errors import UsageError
from laatool.compute.scoring import RULES, STATUSES, score


def indicator(
    ident: str,
    polarity: str,
    decimals: int = 1,
    frequency: str = "annual",
    cumulative: bool = False,
) -> str:
    return f"""
        id: {ident}
        title: Test indicator {ident}
        polarity: {polarity}
        unit: count
        decimals: {decimals}
        frequency: {frequency}
        period_type: financial-year
        cumulative: {str(cumulative).lower()}
        """


INDICATORS = {
    "indicators/T-UP.yaml": indicator("T-UP", "higher"),
    "indicators/T-DOWN.yaml": indicator("T-DOWN", "lower"),
    "indicators/T-EDGE.yaml": indicator("T-EDGE", "higher"),
    "indicators/T-ROUND.yaml": indicator("T-ROUND", "higher"),
    "indicators/T-KEEP.yaml": indicator("T-KEEP", "higher", decimals=0),
    "indicators/T-KEEP-LOW.yaml": indicator("T-KEEP-LOW", "lower", decimals=0),
    "indicators/T-NEUTRAL.yaml": indicator("T-NEUTRAL", "neutral", decimals=0),
    "indicators/T-CUM.yaml": indicator("T-CUM", "higher", 0, "quarterly", cumulative=True),
    "indicators/T-SNAP.yaml": indicator("T-SNAP", "lower", 0, "quarterly"),
    "indicators/T-PLACE.yaml": indicator("T-PLACE", "higher"),
}

AGREEMENT = """
    area: testshire
    name: Testshire
    periods: [2008-09, 2009-10, 2010-11]
    targets:
      - indicator: NI 154
        kind: designated
        baseline: {period: 2007-08, value: 2940}
        targets: {2008-09: 3200}
        subtargets:
          - id: north
            baseline: {period: 2007-08, value: 1000}
            targets: {2008-09: 1100}
      - indicator: T-UP
        kind: local
        baseline: {period: 2007-08, value: 50}
        targets: {2008-09: 60, 2009-10: 70, 2010-11: 80}
      - indicator: T-DOWN
        kind: local
        baseline: {period: 2007-08, value: 10}
        targets: {2008-09: 8, 2009-10: 6, 2010-11: 5}
      - indicator: T-EDGE
        kind: local
        baseline: {period: 2007-08, value: 8.0}
        targets: {2008-09: 9.0, 2009-10: 9.0}
      - indicator: T-ROUND
        kind: local
        baseline: {period: 2007-08, value: 8.25}
        targets: {2008-09: 9}
      - indicator: T-KEEP
        kind: local
        baseline: {period: 2007-08, value: 100}
        targets: {2008-09: 100, 2009-10: 100}
      - indicator: T-KEEP-LOW
        kind: local
        baseline: {period: 2007-08, value: 5}
        targets: {2008-09: 5}
      - indicator: T-NEUTRAL
        kind: local
        baseline: {period: 2007-08, value: 50}
        targets: {2008-09: 40, 2009-10: 40, 2010-11: 40}
      - indicator: T-CUM
        kind: local
        baseline: {period: 2007-08, value: 100}
        targets: {2008-09: 120, 2009-10: 130, 2010-11: 140}
      - indicator: T-SNAP
        kind: local
        baseline: {period: 2007-08, value: 20}
        targets: {2008-09: 15}
      - indicator: T-PLACE
        kind: local
        placeholder: true
    """

RETURNS = """
    area,indicator,subtarget,period,value,status
    testshire,NI 154,,2008-09,3070,
    testshire,NI 154,north,2008-09,1100,
    testshire,T-UP,,2008-09,62,
    testshire,T-UP,,2009/10,64,final
    testshire,T-UP,,2010-2011,55,provisional
    testshire,T-DOWN,,2006-07,7,
    testshire,T-DOWN,,2008-09,8.0,
    testshire,T-DOWN,,2009-10,8.5,
    testshire,T-EDGE,,2008-09,8.6,
    testshire,T-EDGE,,2009-10,8.59,
    testshire,T-ROUND,,2008-09,8.3,
    testshire,T-KEEP,,2008-09,100,
    testshire,T-KEEP,,2009-10,99,
    testshire,T-KEEP-LOW,,2008-09,4,
    testshire,T-NEUTRAL,,2008-09,45,
    testshire,T-NEUTRAL,,2009-10,38,
    testshire,T-NEUTRAL,,2010-11,41,
    testshire,T-CUM,,2008-09 Q1,30,
    testshire,T-CUM,,2008-09 Q2,30,provisional
    testshire,T-CUM,,2008-09 Q3,30,
    testshire,T-CUM,,2008-09 Q4,30,
    testshire,T-CUM,,2009-10 Q1,40,
    testshire,T-CUM,,2009-10 Q2,40,
    testshire,T-CUM,,2009-10 Q3,40,
    testshire,T-CUM,,2010-11 Q1,10,
    testshire,T-CUM,,2010-11 Q2,10,
    testshire,T-CUM,,2010-11 Q3,10,
    testshire,T-CUM,,2010-11 Q4,10,
    testshire,T-CUM,,2010-11,139,
    testshire,T-SNAP,,2008-09 Q1,19,
    testshire,T-SNAP,,2008-09 Q2,18,provisional
    testshire,T-SNAP,,2008-09 Q3,16,
    testshire,T-SNAP,,2008-09 Q4,14,
    """

D = Decimal
# (indicator, subtarget, period, actual, achievement, status, rule, direction, provisional)
# fmt: off
EXPECTED = [
    # higher is better: (3070 − 2940) / (3200 − 2940) = 130/260 = 0.5 < 0.6 → red; 3070 > 2940
    ("NI 154", None, "2008-09", D("3070"), D("0.5"), "red", "below-amber", "improving", False),
    # sub-target, scored on its own after its target: 1100 meets 1100; 100/100 = 1
    ("NI 154", "north", "2008-09", D("1100"), D("1"), "green", "met-target", "improving", False),
    # 62 ≥ 60 → green; 12/10 = 1.2; no earlier actual, so against the baseline 50 → improving
    ("T-UP", None, "2008-09", D("62"), D("1.2"), "green", "met-target", "improving", False),
    # 64 < 70; 14/20 = 0.7 ≥ 0.6 → amber; against the previous year's 62 → improving
    ("T-UP", None, "2009-10", D("64"), D("0.7"), "amber", "amber-threshold", "improving", False),
    # provisional, used and flagged: 5/30 = 0.1666… → 0.1667 → red; 55 < 64 → worsening
    ("T-UP", None, "2010-11", D("55"), D("0.1667"), "red", "below-amber", "worsening", True),
    # lower is better: 8.0 ≤ 8 → green; −2/−2 = 1; the 2006-07 return (7) is older than the
    # baseline (2007-08), so travel is against the baseline 10 → improving
    ("T-DOWN", None, "2008-09", D("8"), D("1"), "green", "met-target", "improving", False),
    # −1.5/−4 = 0.375 → red; 8.5 > 8.0 is worse for a lower-is-better indicator
    ("T-DOWN", None, "2009-10", D("8.5"), D("0.375"), "red", "below-amber", "worsening", False),
    # no return → no-data, nothing computed
    ("T-DOWN", None, "2010-11", None, None, "no-data", "no-return", "n/a", False),
    # exactly at amber: (8.6 − 8.0) / (9.0 − 8.0) = 0.6 exactly → amber, not red
    ("T-EDGE", None, "2008-09", D("8.6"), D("0.6"), "amber", "amber-threshold", "improving", False),
    # 0.59 → red; 8.59 and 8.6 are both 8.6 at 1 decimal → unchanged
    ("T-EDGE", None, "2009-10", D("8.59"), D("0.59"), "red", "below-amber", "unchanged", False),
    # 0.05/0.75 = 0.0666… → 0.0667; baseline 8.25 rounds half UP to 8.3 = 8.3 → unchanged
    # (half-to-even would make it 8.2 and call this improving)
    ("T-ROUND", None, "2008-09", D("8.3"), D("0.0667"), "red", "below-amber", "unchanged", False),
    # maintain (target = baseline = 100): 100 is no worse → 1, green
    ("T-KEEP", None, "2008-09", D("100"), D("1"), "green", "maintain-met", "unchanged", False),
    # maintain missed: 99 < 100 → 0, red; 99 < 100 → worsening
    ("T-KEEP", None, "2009-10", D("99"), D("0"), "red", "maintain-missed", "worsening", False),
    # maintain, lower is better: 4 ≤ 5 → 1, green; lower → improving
    ("T-KEEP-LOW", None, "2008-09", D("4"), D("1"), "green", "maintain-met", "improving", False),
    # neutral, target below baseline so down is better: 45 > 40 not met; −5/−10 = 0.5 → red;
    # 45 < 50 → improving
    ("T-NEUTRAL", None, "2008-09", D("45"), D("0.5"), "red", "below-amber", "improving", False),
    # 38 ≤ 40 → green; −12/−10 = 1.2; 38 < 45 → improving
    ("T-NEUTRAL", None, "2009-10", D("38"), D("1.2"), "green", "met-target", "improving", False),
    # 41 > 40 not met; −9/−10 = 0.9 → amber; 41 > 38 → worsening
    ("T-NEUTRAL", None, "2010-11", D("41"), D("0.9"), "amber", "amber-threshold",
     "worsening", False),
    # cumulative: four quarters sum to 30 × 4 = 120 ≥ 120 → green; 20/20 = 1; Q2 is
    # provisional, and used in the sum: flagged
    ("T-CUM", None, "2008-09", D("120"), D("1"), "green", "met-target", "improving", True),
    # only three quarters → no year value
    ("T-CUM", None, "2009-10", None, None, "no-data", "incomplete-quarters", "n/a", False),
    # the annual 139 wins over the quarters (which sum to 40): 39/40 = 0.975 → amber;
    # latest earlier actual is 2008-09's 120 (2009-10 has none) → improving
    (
        "T-CUM",
        None,
        "2010-11",
        D("139"),
        D("0.975"),
        "amber",
        "amber-threshold",
        "improving",
        False,
    ),
    # snapshot: the year is Q4 = 14 ≤ 15 → green; −6/−5 = 1.2; 14 < 20 → improving; the
    # provisional Q2 is not the year's value, so the year is not flagged
    ("T-SNAP", None, "2008-09", D("14"), D("1.2"), "green", "met-target", "improving", False),
    # a placeholder without target values is listed once, with no period
    ("T-PLACE", None, None, None, None, "no-data", "placeholder", "n/a", False),
]
# fmt: on


@pytest.fixture
def testshire(workspace):
    return workspace(
        {**INDICATORS, "agreements/testshire.yaml": AGREEMENT, "returns/returns.csv": RETURNS}
    )


def as_tuples(rows):
    keys = (
        "indicator",
        "subtarget",
        "period",
        "actual",
        "achievement",
        "status",
        "rule",
        "direction",
        "provisional",
    )
    return [tuple(row[k] for k in keys) for row in rows]


def test_every_rule_as_worked_by_hand(testshire):
    report = score(load_workspace(testshire), ["testshire"])
    [area] = report.areas
    assert (area.area, area.name) == ("testshire", "Testshire")
    assert as_tuples(area.rows) == EXPECTED
    # counted from EXPECTED: green = north, T-UP 08, T-DOWN 08, T-KEEP 08, T-KEEP-LOW,
    # T-NEUTRAL 09, T-CUM 08, T-SNAP; amber = T-UP 09, T-EDGE 08, T-NEUTRAL 10, T-CUM 10
    assert area.summary == {"green": 8, "amber": 4, "red": 7, "no-data": 3}


def test_baseline_and_target_come_from_the_agreement(testshire):
    rows = score(load_workspace(testshire), ["testshire"]).areas[0].rows
    north = rows[1]
    assert (north["kind"], north["baseline"], north["target"]) == (
        "designated",
        D("1000"),
        D("1100"),
    )
    assert (rows[-1]["baseline"], rows[-1]["target"]) == (None, None)


def test_json_document_has_the_contract_keys_in_order(testshire):
    document = score(load_workspace(testshire), ["testshire"]).to_json()
    assert list(document) == ["areas"]
    area = document["areas"][0]
    assert list(area) == ["area", "name", "rows", "summary"]
    assert list(area["rows"][0]) == [
        "indicator",
        "subtarget",
        "kind",
        "period",
        "baseline",
        "target",
        "actual",
        "achievement",
        "status",
        "rule",
        "direction",
        "provisional",
        # DESIGN.md §9
        "ci_lower",
        "ci_upper",
        "ci_level",
        "ci_method",
        "target_test",
        "change",
        # DESIGN.md §6.1
        "group",
    ]
    assert list(area["rows"][0]["change"]) == ["from_period", "difference", "lower", "upper", "method", "result"]
    assert list(area["summary"]) == ["green", "amber", "red", "no-data"]


def test_period_narrows_to_one_year_in_any_spelling(testshire):
    rows = score(load_workspace(testshire), ["testshire"], period="2009/2010").areas[0].rows
    # the 2009-10 rows: T-UP, T-DOWN, T-EDGE, T-KEEP, T-NEUTRAL, T-CUM (a placeholder has none)
    assert [(r["indicator"], r["period"]) for r in rows] == [
        (name, "2009-10") for name in ("T-UP", "T-DOWN", "T-EDGE", "T-KEEP", "T-NEUTRAL", "T-CUM")
    ]
    # direction still looks back at 2008-09: T-UP 64 against 62
    assert rows[0]["direction"] == "improving"


@pytest.mark.parametrize(
    "period, message",
    [
        ("2012-13", "not a period of the agreements"),
        ("2009-10 Q2", "--period: a year, with the targets of its quarters: give '2009-10'"),
        ("2009-11", "must follow each other"),
    ],
)
def test_bad_period_is_a_usage_error(testshire, period, message):
    with pytest.raises(UsageError, match=message):
        score(load_workspace(testshire), ["testshire"], period=period)


def test_amber_threshold_comes_from_settings(workspace):
    root = workspace(
        {
            **INDICATORS,
            "laatool.yaml": "rag: {amber: 0.75}\n",
            "agreements/a.yaml": """
            area: a
            name: A
            periods: [2008-09]
            targets:
              - indicator: T-UP
                kind: local
                baseline: {period: 2007-08, value: 50}
                targets: {2008-09: 60}
            """,
            "returns/r.csv": "area,indicator,period,value\na,T-UP,2008-09,57.5\n",
        }
    )
    [row] = score(load_workspace(root), ["a"]).areas[0].rows
    # 7.5/10 = 0.75 ≥ 0.75 → amber exactly at the workspace's threshold
    assert (row["achievement"], row["status"]) == (D("0.75"), "amber")


def test_target_without_baseline_is_green_when_met_and_unmeasured_when_not(workspace):
    root = workspace(
        {
            **INDICATORS,
            "agreements/a.yaml": """
            area: a
            name: A
            periods: [2008-09, 2009-10]
            targets:
              - indicator: T-PLACE
                kind: local
                placeholder: true
                targets: {2008-09: 10, 2009-10: 10}
            """,
            "returns/r.csv": "area,indicator,period,value\n"
            "a,T-PLACE,2008-09,12\na,T-PLACE,2009-10,8\n",
        }
    )
    rows = score(load_workspace(root), ["a"]).areas[0].rows
    # 12 ≥ 10 meets the target; 8 does not, and without a baseline there is no share to measure
    assert as_tuples(rows) == [
        ("T-PLACE", None, "2008-09", D("12"), None, "green", "met-target", "n/a", False),
        ("T-PLACE", None, "2009-10", D("8"), None, "no-data", "no-baseline", "worsening", False),
    ]


def test_direction_looks_back_past_the_first_target_year(workspace):
    """Only rows from a target's baseline year on can give a direction, so older rows are left
    out before the actuals are worked out; a placeholder has no baseline and looks back to any
    earlier year, and a target with one to no year before its baseline."""
    root = workspace(
        {
            **INDICATORS,
            "agreements/a.yaml": """
            area: a
            name: A
            periods: [2009-10]
            targets:
              - indicator: T-PLACE
                kind: local
                placeholder: true
                targets: {2009-10: 10}
              - indicator: T-UP
                kind: local
                baseline: {period: 2008-09, value: 50}
                targets: {2009-10: 60}
            """,
            "returns/r.csv": "area,indicator,period,value\n"
            "a,T-PLACE,2005-06,12\na,T-PLACE,2009-10,8\na,T-UP,2007-08,70\na,T-UP,2009-10,55\n",
        }
    )
    rows = score(load_workspace(root), ["a"]).areas[0].rows
    # T-PLACE: 8 against 2005-06's 12 → worsening; T-UP: 55 against the baseline 50 (2007-08's 70
    # is older than the baseline) → improving, (55 − 50) / (60 − 50) = 0.5 < 0.6 → red
    assert as_tuples(rows) == [
        ("T-PLACE", None, "2009-10", D("8"), None, "no-data", "no-baseline", "worsening", False),
        ("T-UP", None, "2009-10", D("55"), D("0.5"), "red", "below-amber", "improving", False),
    ]


def test_row_order_never_depends_on_the_order_of_returns(workspace):
    lines = textwrap.dedent(RETURNS).strip().splitlines()
    shuffled = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    root = workspace(
        {**INDICATORS, "agreements/testshire.yaml": AGREEMENT, "returns/returns.csv": shuffled}
    )
    assert as_tuples(score(load_workspace(root), ["testshire"]).areas[0].rows) == EXPECTED


def test_every_rule_names_a_status():
    assert {status for status, _ in RULES.values()} == set(STATUSES)


def test_a_maintain_target_without_an_actual_has_no_achievement(workspace):
    """DESIGN.md §6.1: like every no-data row, achievement null (it was 0, a figure no data
    gave)."""
    import json

    from conftest import invoke

    root = workspace({
        "agreements/leeds.yaml": """
            area: leeds
            name: Leeds
            periods: [2008-09, 2009-10, 2010-11]
            targets:
              - indicator: NI 154
                kind: designated
                baseline: {period: 2007-08, value: 2940}
                targets: {2008-09: 2940, 2009-10: 2940}
            """,
        "returns/r.csv": "area,indicator,period,value\nleeds,NI 154,2009-10,2950\n",
    })
    rows = json.loads(invoke(["-w", root, "score", "--format", "json"]).stdout)["areas"][0]["rows"]
    assert [(r["period"], r["achievement"], r["status"], r["rule"]) for r in rows] == [
        ("2008-09", None, "no-data", "no-return"), ("2009-10", 1, "green", "maintain-met")]
