"""`laatool reward-grant` under real schemes (DESIGN.md §6.1): the maximum's rounding, weighted
sub-targets, at_stake and payment on account.

Every expected figure is worked out in the comments from the rules, not copied from the
program's output.
"""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import invoke

# A scheme as lpsa2, but with the maximum rounded to £1,000 (the Isle of Wight schedule).
THOUSANDS = """
    name: thousands
    title: LPSA with the maximum rounded to the thousand pounds
    maximum_rate: 0.025
    rewarded_kinds: [designated]
    threshold: 0.60
    revenue_share: 0.50
    instalments: [0.50, 0.50]
    maximum_rounding: 1000
    """

# Isle of Wight: net budget requirement £132,993,000; 2.5% of it is £3,324,825.
WIGHT = """
    area: wight
    name: Isle of Wight
    periods: [2008-09, 2009-10, 2010-11]
    reward: {{scheme: {scheme}, net_budget_requirement: [132993000]}}
    targets:
      - indicator: NI 192
        kind: designated
        baseline: {{period: 2007-08, value: 7.5}}
        targets: {{2010-11: 9.0}}
        expected_without_agreement: 8.0
    """


def reward_json(root, *args, code: int = 0) -> dict:
    result = invoke(["-w", root, "reward-grant", "--format", "json", *args], code)
    return json.loads(result.stdout, parse_float=Decimal)


def test_maximum_rounded_to_the_thousand_before_it_is_shared(workspace):
    # 0.025 x 132,993,000 = 3,324,825 = 3,324.825 thousands -> 3,325 (half up) -> £3,325,000,
    # the schedule's figure. One target at 100%: reward = share = £3,325,000.00.
    root = workspace({"schemes/thousands.yaml": THOUSANDS,
                      "agreements/wight.yaml": WIGHT.format(scheme="thousands"),
                      "returns/wight.csv": "area,indicator,period,value\nwight,NI 192,2010-11,9.0\n"})
    (area,) = reward_json(root)["areas"]
    assert area["maximum"] == "3325000.00"
    assert area["targets"][0]["share"] == "3325000.00"
    assert area["total"] == "3325000.00"
    # The default rounding is a penny: lpsa2 keeps £3,324,825.00.
    (area,) = reward_json(root, "--scheme", "lpsa2")["areas"]
    assert area["maximum"] == "3324825.00"


def test_a_stated_maximum_is_used_as_written(workspace):
    # reward.maximum 1,234,567.89 is not rounded to the thousand.
    agreement = WIGHT.format(scheme="thousands").replace("net_budget_requirement: [132993000]",
                                                         "maximum: 1234567.89")
    root = workspace({"schemes/thousands.yaml": THOUSANDS, "agreements/wight.yaml": agreement})
    (area,) = reward_json(root)["areas"]
    assert area["maximum"] == "1234567.89"
