"""`laatool reward-grant` under real schemes (DESIGN.md §6.1): the maximum's rounding, weighted
sub-targets, at_stake and payment on account.

Every expected figure is worked out in the comments from the rules, not copied from the
program's output.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from importlib.resources import files
from textwrap import dedent

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import invoke
from laatool.base.models import Agreement
from laatool.compute.reward import Earned, area_grant, measure
from test_reward_frame import INPUT_SCHEMA, LPSA2, rewards, target

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


def test_a_workspace_scheme_named_as_a_bundled_one_replaces_it_and_says_so(workspace):
    # schemes/lpsa2.yaml rounding the maximum to the £1,000: wight's lpsa2 maximum is then
    # £3,325,000.00, not the bundled lpsa2's £3,324,825.00, and validate says whose rules those are.
    root = workspace({"schemes/lpsa2.yaml": THOUSANDS.replace("name: thousands", "name: lpsa2"),
                      "agreements/wight.yaml": WIGHT.format(scheme="lpsa2"),
                      "returns/wight.csv": "area,indicator,period,value\nwight,NI 192,2010-11,9.0\n"})
    (area,) = reward_json(root)["areas"]
    assert area["maximum"] == "3325000.00"
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)
    assert [(f["code"], f["severity"], f["file"], f["line"], f["message"]) for f in report["findings"]] == [
        ("Y018", "info", "schemes/lpsa2.yaml", 1,
         "scheme 'lpsa2' replaces the bundled one (bundled:schemes/lpsa2.yaml)")]


def test_a_stated_maximum_is_used_as_written(workspace):
    # reward.maximum 1,234,567.89 is not rounded to the thousand.
    agreement = WIGHT.format(scheme="thousands").replace("net_budget_requirement: [132993000]",
                                                         "maximum: 1234567.89")
    root = workspace({"schemes/thousands.yaml": THOUSANDS, "agreements/wight.yaml": agreement})
    (area,) = reward_json(root)["areas"]
    assert area["maximum"] == "1234567.89"


def test_a_maximum_in_fractions_of_a_penny_is_shared_as_written(workspace):
    # £1,000,000.005 over two targets both met: each share 500,000.0025 -> £500,000.00, total
    # £1,000,000.00 (never above the maximum, as rounding the maximum first to £1,000,000.01 and
    # each share to £500,000.01 would make it); at stake 0.005 -> £0.01. A230 warns.
    agreement = """
        area: alpha
        name: Alpha
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1000000.005}
        targets:
          - {indicator: NI 8, kind: designated, baseline: {period: 2007-08, value: 50.0}, targets: {2010-11: 60.0}}
          - {indicator: NI 9, kind: designated, baseline: {period: 2007-08, value: 50.0}, targets: {2010-11: 60.0}}
        """
    returns = "area,indicator,period,value\nalpha,NI 8,2010-11,60\nalpha,NI 9,2010-11,60\n"
    root = workspace({"agreements/alpha.yaml": agreement, "returns/alpha.csv": returns})
    (area,) = reward_json(root)["areas"]
    assert [(t["share"], t["reward"]) for t in area["targets"]] == [("500000.00", "500000.00")] * 2
    assert (area["maximum"], area["total"], area["at_stake"]) == ("1000000.01", "1000000.00", "0.01")
    # the tables show the JSON's figures: to the penny half up (not Python's half-even .2f)
    table = invoke(["-w", root, "reward-grant"]).stdout
    assert "maximum £1,000,000.01" in table and "£1,000,000.00" in table
    assert "of a maximum £1,000,000.01" in invoke(["-w", root, "project"]).stdout



def test_a_maximum_rounded_to_a_step_finer_than_a_penny_is_shared_at_that_step(workspace):
    # 0.025 x £1,000,000.18 = £25,000.0045 = 25,000,004.5 tenths of a penny -> 25,000,005 (half
    # up) -> £25,000.005, shared as it is (DESIGN.md §6.1: rounded to a multiple of the step
    # "before it is shared"), not first made £25,000.01. Three equal shares of £8,333.335:
    #   613 of 1,000 -> 8,333.335 x 0.613 = 5,108.334355 -> £5,108.33
    #   625 of 1,000 -> 8,333.335 x 0.625 = 5,208.334375 -> £5,208.33
    #   met          -> £8,333.335                      -> £8,333.34
    # total £18,650.00 (£18,650.02 from a maximum of £25,000.01: 8,333.33667 x 0.613 = 5,108.3354
    # -> £5,108.34); at stake £25,000.01 (the maximum to the penny) - £18,650.00 = £6,350.01.
    scheme = THOUSANDS.replace("name: thousands", "name: milli").replace("maximum_rounding: 1000",
                                                                         "maximum_rounding: 0.001")
    agreement = """
        area: tau
        name: Tau
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: milli, net_budget_requirement: [1000000.18]}
        targets:
          - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 0}, targets: {2010-11: 1000}}
          - {indicator: NI 155, kind: designated, baseline: {period: 2007-08, value: 0}, targets: {2010-11: 1000}}
          - {indicator: NI 40, kind: designated, baseline: {period: 2007-08, value: 0}, targets: {2010-11: 1000}}
        """
    returns = "area,indicator,period,value\ntau,NI 154,2010-11,613\ntau,NI 155,2010-11,625\ntau,NI 40,2010-11,1000\n"
    root = workspace({"schemes/milli.yaml": scheme, "agreements/tau.yaml": agreement, "returns/tau.csv": returns})
    (area,) = reward_json(root)["areas"]
    assert [t["reward"] for t in area["targets"]] == ["5108.33", "5208.33", "8333.34"]
    assert (area["maximum"], area["total"], area["at_stake"]) == ("25000.01", "18650.00", "6350.01")

# £1,000,000 over two reward targets: £500,000 each. NI 192's share is split 2 : 3 : 2 between
# its sub-targets (Σw = 7), which does not divide evenly:
#   a, c: 500,000 × 2/7 = 142,857.142857… -> share £142,857.14
#   b:    500,000 × 3/7 = 214,285.714285… -> share £214,285.71
WEIGHTED = {
    "agreements/gamma.yaml": """
        area: gamma
        name: Gamma
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1000000}
        targets:
          - indicator: NI 192
            kind: designated
            baseline: {period: 2007-08, value: 30}
            targets: {2010-11: 60}
            subtargets:
              - {id: a, weight: 2, baseline: {period: 2007-08, value: 10}, targets: {2010-11: 20}}
              - {id: b, weight: 3, baseline: {period: 2007-08, value: 10}, targets: {2010-11: 20}}
              - {id: c, weight: 2, baseline: {period: 2007-08, value: 10}, targets: {2010-11: 20}}
          - indicator: NI 175
            kind: designated
            baseline: {period: 2007-08, value: 40}
            targets: {2010-11: 50}
        """,
    "returns/gamma.csv": (
        "area,indicator,subtarget,period,value\n"
        "gamma,NI 192,a,2010-11,16\n"   # (16 - 10) / 10 = 0.6: paid
        "gamma,NI 192,b,2010-11,25\n"   # 1.5: capped at 1
        "gamma,NI 192,c,2010-11,15\n"   # 0.5: below the threshold
        "gamma,NI 175,,2010-11,50\n"    # 1
    ),
}


def test_weighted_subtargets_share_in_proportion(workspace):
    root = workspace(WEIGHTED)
    (area,) = reward_json(root)["areas"]
    rows = {(t["indicator"], t["subtarget"]): t for t in area["targets"]}
    figures = {key: (t["weight"], t["share"], t["reward"], t["at_stake"]) for key, t in rows.items()}
    assert figures == {
        # a: 1,000,000 × 2/(2 × 7) × 0.6 = 1,200,000/14 = 85,714.2857… -> £85,714.29;
        #    at stake 142,857.14 − 85,714.29 = 57,142.85
        ("NI 192", "a"): (Decimal(2), "142857.14", "85714.29", "57142.85"),
        # b: capped at 1, the unrounded share 214,285.714… -> £214,285.71; nothing at stake
        ("NI 192", "b"): (Decimal(3), "214285.71", "214285.71", "0.00"),
        # c: below 60%, nothing paid
        ("NI 192", "c"): (Decimal(2), "142857.14", "0.00", "142857.14"),
        # NI 175 has no sub-targets: weight null
        ("NI 175", None): (None, "500000.00", "500000.00", "0.00"),
    }
    # 85,714.29 + 214,285.71 + 0 + 500,000 = 800,000.00, half revenue, two equal instalments
    assert (area["total"], area["revenue"], area["capital"], area["instalments"]) == (
        "800000.00", "400000.00", "400000.00", ["400000.00", "400000.00"])


def test_weights_are_shown_as_written_and_null_where_the_shares_are_equal(workspace):
    # Weights past the frame's 10 places or 28 digits are shown as the agreement writes them
    # (never 0, which A222 refuses, nor a capped figure); 1 : 1 gives equal shares, so `weight`
    # is null there (DESIGN.md §7.2), as on an unweighted row.
    subtargets = {"NI 154": ("a", "0.00000000001", "b", "0.00000000003"),
                  "NI 155": ("c", "0.1234567890123", "d", "0.8765432109877"),
                  "NI 40": ("e", "123456789012345678901234567890", "f", "123456789012345678901234567891"),
                  "NI 156": ("g", "1", "h", "1.0")}
    targets = "".join(
        f"""  - indicator: {indicator}
    kind: designated
    baseline: {{period: 2007-08, value: 100}}
    targets: {{2010-11: 200}}
    subtargets:
      - {{id: {first}, weight: {w1}, baseline: {{period: 2007-08, value: 100}}, targets: {{2010-11: 200}}}}
      - {{id: {second}, weight: {w2}, baseline: {{period: 2007-08, value: 100}}, targets: {{2010-11: 200}}}}
""" for indicator, (first, w1, second, w2) in subtargets.items())
    returns = "".join(f"t,{indicator},{sub},2010-11,200\n" for indicator, (a, _, b, _) in subtargets.items()
                      for sub in (a, b))
    root = workspace({
        "agreements/t.yaml": "area: t\nname: Test\nperiods: [2008-09, 2009-10, 2010-11]\n"
                             "reward: {scheme: lpsa2, maximum: 800000.00}\ntargets:\n" + targets,
        "returns/t.csv": "area,indicator,subtarget,period,value\n" + returns,
    })
    (area,) = reward_json(root)["areas"]
    assert [(t["subtarget"], t["weight"], t["reward"]) for t in area["targets"]] == [
        # each target £200,000 at 100%: 1 : 3 -> £50,000 and £150,000
        ("a", Decimal("0.00000000001"), "50000.00"), ("b", Decimal("0.00000000003"), "150000.00"),
        # 200,000 x 0.1234567890123 (the weights sum to 1) = 24,691.35780246 -> £24,691.36
        ("c", Decimal("0.1234567890123"), "24691.36"), ("d", Decimal("0.8765432109877"), "175308.64"),
        # 200,000 x 123…890 / 246…781 = 99,999.99999…9595 -> £100,000.00 each
        ("e", Decimal("123456789012345678901234567890"), "100000.00"),
        ("f", Decimal("123456789012345678901234567891"), "100000.00"),
        ("g", None, "100000.00"), ("h", None, "100000.00"),
    ]
    csv_rows = list(csv.DictReader(io.StringIO(
        invoke(["-w", root, "reward-grant", "--format", "csv"]).stdout)))
    assert [row["weight"] for row in csv_rows] == ["0.00000000001", "0.00000000003", "0.1234567890123",
                                                   "0.8765432109877", "123456789012345678901234567890",
                                                   "123456789012345678901234567891", "", ""]


def test_weights_on_some_subtargets_only_or_not_positive_refuse(workspace):
    text = WEIGHTED["agreements/gamma.yaml"]
    root = workspace({**WEIGHTED, "agreements/gamma.yaml": text.replace("{id: b, weight: 3, ", "{id: b, ")
                      .replace("{id: c, weight: 2, ", "{id: c, weight: 0, ")})
    result = invoke(["-w", root, "reward-grant", "--format", "json"], 1)
    assert result.stdout == ""
    assert "A223 error: NI 192: sub-target(s) 'b' have no weight while others of the target have one" \
        in result.stderr
    assert "A222 error: NI 192 sub-target 'c': weight 0 is not above zero" in result.stderr


def test_area_at_stake_is_the_maximum_after_adjustment_less_the_total(workspace):
    root = workspace(WEIGHTED)
    # lpsa2: 1,000,000.00 − 800,000.00 = 200,000.00, and total + at_stake is the maximum
    (area,) = reward_json(root)["areas"]
    assert area["at_stake"] == "200000.00"
    # final-2011 halves: total 800,000.00 × 0.5 = 400,000.00; the maximum after adjustment
    # 500,000.00; at stake 100,000.00
    (area,) = reward_json(root, "--scheme", "final-2011")["areas"]
    assert (area["total"], area["at_stake"]) == ("400000.00", "100000.00")


def test_at_stake_is_never_negative_when_a_target_is_paid_above_its_share(workspace):
    # cap 1.5: NI 175 at 55 is (55 − 40) / 10 = 1.5 of £500,000 = £750,000.00, above its share:
    # its at_stake is max(0, 500,000.00 − 750,000.00) = 0.00. NI 192's sub-targets earn
    # 85,714.29 + 214,285.71 × 1.5 (b at 25 is 1.5) = 321,428.571… -> 321,428.57 + 0:
    # total 85,714.29 + 321,428.57 + 750,000.00 = 1,157,142.86, above the £1,000,000 maximum,
    # so the area's at_stake is 0.00 too.
    generous = THOUSANDS.replace("name: thousands", "name: generous").replace(
        "maximum_rounding: 1000", "cap: 1.5")
    agreement = WEIGHTED["agreements/gamma.yaml"].replace("scheme: lpsa2", "scheme: generous")
    returns = WEIGHTED["returns/gamma.csv"].replace("gamma,NI 175,,2010-11,50", "gamma,NI 175,,2010-11,55")
    root = workspace({"schemes/generous.yaml": generous, "agreements/gamma.yaml": agreement,
                      "returns/gamma.csv": returns})
    (area,) = reward_json(root)["areas"]
    rows = {(t["indicator"], t["subtarget"]): t for t in area["targets"]}
    assert (rows[("NI 175", None)]["reward"], rows[("NI 175", None)]["at_stake"]) == ("750000.00", "0.00")
    assert (rows[("NI 192", "b")]["reward"], rows[("NI 192", "b")]["at_stake"]) == ("321428.57", "0.00")
    assert (area["total"], area["at_stake"]) == ("1157142.86", "0.00")


def test_a_maintain_target_without_an_actual_has_no_achievement(workspace):
    # NI 175 held at 40 from 40 (a maintain target) with no 2010-11 return: pending, null
    # achievement and payable, £0.00, its whole £500,000.00 share at stake.
    agreement = WEIGHTED["agreements/gamma.yaml"].replace("targets: {2010-11: 50}", "targets: {2010-11: 40}")
    returns = WEIGHTED["returns/gamma.csv"].replace("gamma,NI 175,,2010-11,50\n", "")
    root = workspace({"agreements/gamma.yaml": agreement, "returns/gamma.csv": returns})
    (area,) = reward_json(root)["areas"]
    row = next(t for t in area["targets"] if t["indicator"] == "NI 175")
    assert (row["status"], row["achievement"], row["payable"], row["reward"], row["at_stake"]) == (
        "pending", None, None, "0.00", "500000.00")


# Payment on account under lpsa2 (one fifth). £1,000,000 over three targets: each share is
# 333,333.333…, and one fifth of it 66,666.666… -> £66,666.67.
ON_ACCOUNT = {
    "agreements/delta.yaml": """
        area: delta
        name: Delta
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1000000.00}
        targets:
          - indicator: NI 192     # higher is better
            kind: designated
            baseline: {period: 2007-08, value: 7.5}
            targets: {2010-11: 9.0}
            expected_without_agreement: 8.0
            interim: {period: 2009-10, value: 8.5}
          - indicator: NI 175     # higher is better, measured from the baseline
            kind: designated
            baseline: {period: 2007-08, value: 40}
            targets: {2010-11: 50}
            interim: {period: 2009-10, value: 45}
          - indicator: NI 16      # lower is better
            kind: designated
            baseline: {period: 2007-08, value: 24}
            targets: {2010-11: 20}
            expected_without_agreement: 22
            interim: {period: 2009-10, value: 21.5}
        """,
    "returns/delta.csv": (
        "area,indicator,period,value\n"
        "delta,NI 192,2009-10,8.5\n"    # equal to the interim level: met
        "delta,NI 192,2010-11,8.6\n"    # (8.6 − 8) / (9 − 8) = 0.6: paid 200,000.00
        "delta,NI 175,2009-10,46\n"     # above 45: met
        "delta,NI 175,2010-11,45.99\n"  # 0.599: below the threshold, £0.00
        "delta,NI 16,2009-10,22\n"      # above 21.5 where lower is better: missed
        "delta,NI 16,2010-11,19.5\n"    # capped at 1: the share to the penny, 333,333.33
    ),
}


def money_of(area: dict, field: str) -> dict:
    return {t["indicator"]: (t["interim_status"], t["payment_on_account"], t["balance"], t["recovery"])
            for t in area["targets"]} if field == "targets" else area[field]


def test_interim_met_missed_and_a_recovery(workspace):
    (area,) = reward_json(workspace(ON_ACCOUNT))["areas"]
    assert money_of(area, "targets") == {
        # met: 66,666.67 on account; balance 200,000.00 − 66,666.67 = 133,333.33
        "NI 192": ("met", "66666.67", "133333.33", "0.00"),
        # met but below the threshold at the end: balance 0 − 66,666.67, owed back
        "NI 175": ("met", "66666.67", "-66666.67", "66666.67"),
        # missed: nothing on account, the balance is the whole reward
        "NI 16": ("missed", "0.00", "333333.33", "0.00"),
    }
    # total 200,000.00 + 0 + 333,333.33 = 533,333.33; on account 133,333.34; recovery 66,666.67;
    # still to pay 533,333.33 − 133,333.34 + 66,666.67 = 466,666.66, two instalments of
    # 233,333.33; revenue 266,666.665 -> 266,666.67, capital 266,666.66.
    assert (area["total"], area["payment_on_account"], area["recovery"], area["instalments"],
            area["revenue"], area["capital"]) == (
        "533333.33", "133333.34", "66666.67", ["233333.33", "233333.33"], "266666.67", "266666.66")
    # it reconciles: 133,333.34 + 466,666.66 − 66,666.67 = 533,333.33
    paid = Decimal(area["payment_on_account"]) + sum(map(Decimal, area["instalments"]))
    assert paid - Decimal(area["recovery"]) == Decimal(area["total"])


def test_interim_pending_and_final_pending(workspace):
    returns = (ON_ACCOUNT["returns/delta.csv"].replace("delta,NI 192,2009-10,8.5\n", "")
               .replace("delta,NI 175,2010-11,45.99\n", ""))
    (area,) = reward_json(workspace({**ON_ACCOUNT, "returns/delta.csv": returns}))["areas"]
    assert money_of(area, "targets") == {
        # no 2009-10 return: the interim is pending and nothing is paid on account
        "NI 192": ("pending", "0.00", "200000.00", "0.00"),
        # met, paid on account; the final return is pending: no balance or recovery yet
        "NI 175": ("met", "66666.67", None, None),
        "NI 16": ("missed", "0.00", "333333.33", "0.00"),
    }
    # on account 66,666.67, no recovery: 533,333.33 − 66,666.67 = 466,666.66 still to pay
    assert (area["payment_on_account"], area["recovery"], area["instalments"]) == (
        "66666.67", "0.00", ["233333.33", "233333.33"])


def test_an_interim_level_is_judged_by_polarity_on_a_target_that_moves_against_it(workspace):
    # §6.1: "met when that period's actual meets the value by polarity". NI 8 (higher is
    # better) limited to a decline 50 -> 45, level 48: 49 meets it. NI 168 (lower is better)
    # allowed to rise 6 -> 8, level 7: 6.5 meets it. Each share is £500,000: one fifth on account,
    # £100,000.00 each.
    agreement = """
        area: delta
        name: Delta
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1000000.00}
        targets:
          - indicator: NI 8
            kind: designated
            baseline: {period: 2007-08, value: 50.0}
            targets: {2010-11: 45.0}
            interim: {period: 2009-10, value: 48.0}
          - indicator: NI 168
            kind: designated
            baseline: {period: 2007-08, value: 6.0}
            targets: {2010-11: 8.0}
            interim: {period: 2009-10, value: 7.0}
        """
    returns = "area,indicator,period,value\ndelta,NI 8,2009-10,49.0\ndelta,NI 168,2009-10,6.5\n"
    (area,) = reward_json(workspace({"agreements/delta.yaml": agreement, "returns/delta.csv": returns}))["areas"]
    assert money_of(area, "targets") == {"NI 8": ("met", "100000.00", None, None),
                                         "NI 168": ("met", "100000.00", None, None)}
    assert area["payment_on_account"] == "200000.00"


def test_a_scheme_without_payment_on_account_pays_nothing_on_account(workspace):
    # final-2011 has no payment_on_account: a met interim earns £0.00 on account, and the one
    # instalment is the whole total: 533,333.33 × 0.5 = 266,666.665 -> 266,666.67.
    (area,) = reward_json(workspace(ON_ACCOUNT), "--scheme", "final-2011")["areas"]
    assert money_of(area, "targets")["NI 192"] == ("met", "0.00", "200000.00", "0.00")
    assert (area["payment_on_account"], area["recovery"], area["instalments"]) == (
        "0.00", "0.00", ["266666.67"])


def test_an_interim_period_outside_the_agreement_refuses(workspace):
    agreement = ON_ACCOUNT["agreements/delta.yaml"].replace("interim: {period: 2009-10, value: 45}",
                                                            "interim: {period: 2007-08, value: 45}")
    result = invoke(["-w", workspace({**ON_ACCOUNT, "agreements/delta.yaml": agreement}),
                     "reward-grant", "--format", "json"], 1)
    assert "A224 error: NI 175: interim period 2007-08 is not one of the agreement's periods" in result.stderr


# Property tests: payment on account over the frame, checked against the Python path and
# reconciled to the penny whatever the figures.

small = st.decimals(min_value=-1000, max_value=1000, places=1, allow_nan=False, allow_infinity=False)
fractions = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)
interims = st.one_of(st.none(), st.tuples(small, st.one_of(st.none(), small)))


@settings(max_examples=80, deadline=None)
@given(parts=st.lists(st.tuples(small, small, st.one_of(st.none(), small), interims), min_size=1, max_size=8),
       maximum=st.integers(0, 10**10).map(lambda p: Decimal(p).scaleb(-2)), on_account=fractions,
       adjustment=st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False))
def test_payment_on_account_reconciles_and_the_frame_gives_what_measure_gives(parts, maximum, on_account,
                                                                                adjustment):
    scheme = LPSA2.model_copy(update={"payment_on_account": on_account, "adjustment": adjustment})
    rows = []
    for position, (start, goal, actual, interim) in enumerate(parts):
        row = target(str(start), str(goal), None if actual is None else str(actual), position=position)
        row.update(interim_period=None if interim is None else "2009-10",
                   interim_value=None if interim is None else interim[0],
                   interim_actual=None if interim is None else interim[1])
        rows.append(row)
    schema = {**INPUT_SCHEMA, "interim_period": pl.String, "interim_value": pl.Decimal(38, 10),
              "interim_actual": pl.Decimal(38, 10)}
    results = rewards(rows, str(maximum), scheme, schema)
    for row, (result, by_frame) in zip(rows, results, strict=True):
        assert by_frame
        python = measure(row, Fraction(maximum) / len(parts), scheme)
        assert (result.interim_status, result.payment_on_account, result.balance, result.recovery,
                result.reward) == (python.interim_status, python.payment_on_account, python.balance,
                                   python.recovery, python.reward)
        if result.balance is not None:  # balance = reward − on account; a negative one is recovered
            assert result.balance == result.reward - result.payment_on_account
            assert result.recovery == max(-result.balance, 0)
    earned = Earned(sum((r.reward for r, _ in results), Decimal(0)),
                    sum((r.payment_on_account for r, _ in results), Decimal(0)),
                    sum((r.recovery or 0 for r, _ in results), Decimal(0)), reward_targets=len(parts))
    agreement = Agreement(area="x", name="X", periods=["2010-11"], reward={"maximum": maximum})
    area = area_grant("x", agreement, scheme, maximum, earned)
    # payment on account + Σ instalments − recovery = total, to the penny
    assert area.payment_on_account + sum(area.instalments) - area.recovery == area.total
    assert area.revenue + area.capital == area.total


def test_a_final_year_its_indicator_is_not_collected_in_pays_nothing_on_a_return_for_it(workspace):
    # NI 4 (Place Survey) is collected in 2008-09 and 2010-11. An agreement ending 2009-10 can
    # never be measured in its final year: score shows the 2009-10 row not-due and passes over
    # the 29.4 returned for it, and so does reward-grant (it paid £800,000 on it: 0.8 of the way
    # from 27 to 30). Pending, and saying why.
    root = workspace({
        "agreements/leeds.yaml": """
            area: leeds
            name: Leeds
            periods: [2008-09, 2009-10]
            reward: {maximum: 1000000.00}
            targets:
              - {indicator: NI 4, kind: designated, baseline: {period: 2008-09, value: 27.0}, targets: {2009-10: 30.0}}
            """,
        "returns/r.csv": "area,indicator,period,value,sample_size\nleeds,NI 4,2008-09,27.0,1100\n"
                         "leeds,NI 4,2009-10,29.4,1100\n",
    })
    result = invoke(["-w", root, "reward-grant", "--format", "json"])
    (area,) = json.loads(result.stdout)["areas"]
    (row,) = area["targets"]
    assert (row["status"], row["actual"], row["reward"], area["total"]) == ("pending", None, "0.00", "0.00")
    assert "NI 4 is not collected in 2009-10" in result.stderr
    score = json.loads(invoke(["-w", root, "score", "--format", "json"]).stdout)
    (final,) = [r for r in score["areas"][0]["rows"] if r["period"] == "2009-10"]
    assert (final["status"], final["rule"]) == ("no-data", "not-due")


def test_a_kind_rewarded_twice_and_two_targets_for_one_year_are_refused(workspace):
    # `rewarded_kinds: [designated, designated]` counted each target twice at half its share and
    # summed the halves to a penny less; `{2010-11: 3800, 2010: 3900}` gave two final-year targets
    # (a calendar year counts towards 2010-11), reward-grant keeping one of them in silence.
    scheme = (files("laatool") / "schemes" / "lpsa2.yaml").read_text(encoding="utf-8")
    agreement = """
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: twice, maximum: 1000000.01}
        targets:
          - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 2940}, targets: {2010-11: 3800}}
        """
    root = workspace({"schemes/twice.yaml": scheme.replace("rewarded_kinds: [designated]",
                                                           "rewarded_kinds: [designated, designated]"),
                      "agreements/leeds.yaml": agreement,
                      "returns/r.csv": "area,indicator,period,value\nleeds,NI 154,2010-11,3800\n"})
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert ("S003", "schemes/twice.yaml", "rewarded_kinds: designated is listed twice: list each kind once") in [
        (f["code"], f["file"], f["message"]) for f in found if f["severity"] == "error"]
    (root / "schemes" / "twice.yaml").unlink()
    (root / "agreements" / "leeds.yaml").write_text(
        dedent(agreement).replace("twice", "lpsa2").replace("{2010-11: 3800}", "{2010-11: 3800, 2010: 3900}"))
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["message"]) for f in found if f["severity"] == "error"] == [
        ("S003", "targets[0].targets: 2010-11 and 2010 are targets for one agreement year (2010-11): keep one")]


def test_instalments_of_thirty_digits_that_add_up_to_one_are_accepted(workspace):
    # 0.333…3 (30 digits) twice and 0.333…4 add up to exactly 1; Decimal's 28-digit sum said not
    third = "0." + "3" * 30
    scheme = (files("laatool") / "schemes" / "lpsa2.yaml").read_text(encoding="utf-8")
    scheme = scheme.replace("instalments: [0.50, 0.50]", f"instalments: [{third}, {third}, {third[:-1]}4]")
    scheme = scheme.replace("name: lpsa2", "name: thirds")
    root = workspace({"schemes/thirds.yaml": scheme,
                      "agreements/leeds.yaml": """
                          area: leeds
                          name: Leeds
                          periods: [2008-09, 2009-10, 2010-11]
                          reward: {scheme: thirds, maximum: 900000.00}
                          targets:
                            - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 0},
                               targets: {2010-11: 100}}
                          """,
                      "returns/r.csv": "area,indicator,period,value\nleeds,NI 154,2010-11,100\n"})
    (area,) = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)["areas"]
    assert area["instalments"] == ["300000.00", "300000.00", "300000.00"]


def test_a_scheme_named_by_scheme_whose_file_does_not_load_is_refused_with_its_findings(workspace):
    # as when an agreement names it (exit 1, its findings), not an unknown name (exit 2)
    root = workspace({"schemes/broken.yaml": "name: broken\ntitle: x\nbogus: 1\n",
                      "agreements/wight.yaml": WIGHT.format(scheme="lpsa2")})
    result = invoke(["-w", root, "reward-grant", "--scheme", "broken"], 1)
    assert "schemes/broken.yaml:3:1: S001 error: unknown key 'bogus'" in result.stderr
    assert "the scheme 'broken' (schemes/broken.yaml) cannot be read; nothing was computed" in result.stderr
    assert result.stdout == ""
    assert "unknown scheme 'brokn'" in invoke(["-w", root, "reward-grant", "--scheme", "brokn"], 2).stderr


def test_a_workspace_scheme_named_as_a_bundled_one_that_does_not_load_is_refused_not_replaced(workspace):
    # schemes/lpsa2.yaml would replace the bundled lpsa2 (Y018); it does not load, so the grant
    # under `--scheme lpsa2` was paid by the bundled scheme, exit 0: not the scheme asked for
    lpsa2 = files("laatool").joinpath("schemes", "lpsa2.yaml").read_text(encoding="utf-8")
    root = workspace({"schemes/lpsa2.yaml": lpsa2 + "payment_on_acount: 0.20\n",
                      "agreements/wight.yaml": WIGHT.format(scheme="lpsa2")})
    result = invoke(["-w", root, "reward-grant", "--scheme", "lpsa2"], 1)
    assert "unknown key 'payment_on_acount'" in result.stderr
    assert "the scheme 'lpsa2' (schemes/lpsa2.yaml) cannot be read; nothing was computed" in result.stderr
    assert result.stdout == ""


def test_a_scheme_file_that_does_not_load_is_the_scheme_its_name_gives_not_its_file_name(workspace):
    # schemes/mine.yaml gives `name: lpsa2` (it would replace the bundled lpsa2, Y018) and does
    # not load: the area whose agreement names lpsa2, or a run under `--scheme lpsa2`, was paid
    # by the bundled lpsa2, exit 0, as the broken file was taken for a scheme named `mine`
    lpsa2 = files("laatool").joinpath("schemes", "lpsa2.yaml").read_text(encoding="utf-8")
    root = workspace({"schemes/mine.yaml": lpsa2 + "payment_on_acount: 0.20\n",
                      "agreements/wight.yaml": WIGHT.format(scheme="lpsa2")})
    refused = invoke(["-w", root, "reward-grant"], 1)
    assert "schemes/mine.yaml:" in refused.stderr and "1 error(s) in the inputs of wight" in refused.stderr
    for name in ("lpsa2", "mine"):
        result = invoke(["-w", root, "reward-grant", "--scheme", name], 1)
        assert f"the scheme '{name}' (schemes/mine.yaml) cannot be read; nothing was computed" in result.stderr


def test_with_skip_invalid_a_scheme_named_by_scheme_that_does_not_load_refuses_every_area(workspace, tmp_path):
    # every area is computed under it, so every area is refused, and `-o` gets the empty
    # report that says so, as when every area's own inputs have errors: never last run's file
    root = workspace({"schemes/broken.yaml": "name: broken\ntitle: x\nbogus: 1\n",
                      "agreements/wight.yaml": WIGHT.format(scheme="lpsa2")})
    out = tmp_path / "grant.json"
    out.write_text("last quarter's\n")
    result = invoke(["-w", root, "reward-grant", "--scheme", "broken", "--skip-invalid", "-o", out], 1)
    assert json.loads(out.read_text()) == {"scheme": "broken", "areas": [], "total": "0.00",
                                           "refused": [{"area": "wight", "errors": 6}]}  # the scheme's six
    assert "schemes/broken.yaml:3:1: S001 error: unknown key 'bogus'" in result.stderr
    assert "laatool: wight refused: 6 error(s) in its inputs; no area is left to compute" in result.stderr


def test_rewards_each_rounded_up_may_add_up_to_a_penny_over_the_maximum(workspace):
    # three targets fully met under £200,000.00: each share is £66,666.666…, each reward rounded
    # once, half up (§6 item 6), £66,666.67; the total £200,000.01 and nothing at stake (§6 item 7)
    agreement = dedent("""
        area: eps
        name: Eps
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 200000.00}
        targets:
          - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 1000}, targets: {2010-11: 1200}}
          - {indicator: NI 40, kind: designated, baseline: {period: 2007-08, value: 500}, targets: {2010-11: 600}}
          - {indicator: NI 155, kind: designated, baseline: {period: 2007-08, value: 100}, targets: {2010-11: 200}}
        """)
    root = workspace({"agreements/eps.yaml": agreement, "returns/r.csv": "area,indicator,period,value\n"
                      "eps,NI 154,2010-11,1200\neps,NI 40,2010-11,600\neps,NI 155,2010-11,200\n"})
    (area,) = reward_json(root)["areas"]
    assert [t["reward"] for t in area["targets"]] == ["66666.67"] * 3
    assert (area["maximum"], area["total"], area["at_stake"]) == ("200000.00", "200000.01", "0.00")
    assert (area["revenue"], area["capital"]) == ("100000.01", "100000.00")


QUARTERS = {
    "agreements/testq.yaml": """
        area: testq
        name: Test Q
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 100000.00}
        targets:
          - indicator: NI 157
            kind: designated
            baseline: {period: 2007-08, value: 65.0}
            targets: {2009-10 Q2: 68.0, 2009-10: 70.0, 2010-11 Q1: 71.0, 2010-11 Q2: 72.0, 2010-11: 75.0}
            expected_without_agreement: 68.0
            interim: {period: 2009-10 Q2, value: 68.0}
    """,
    # NI 157 is reported by quarter; 2010-11 Q2 is not returned
    "returns/r.csv": "area,indicator,period,value\n"
                     "testq,NI 157,2009-10 Q1,66.0\ntestq,NI 157,2009-10 Q2,66.5\ntestq,NI 157,2009-10 Q3,67.0\n"
                     "testq,NI 157,2009-10 Q4,71.0\ntestq,NI 157,2010-11 Q1,70.0\ntestq,NI 157,2010-11,74.0\n",
}


def test_a_target_set_for_a_quarter_is_measured_against_that_quarters_return(workspace):
    # 2009-10 Q2: 66.5 against 68 from 65: (66.5 - 65) / (68 - 65) = 0.5, red; 2010-11 Q1: 70
    # against 71: 5 / 6 = 0.8333, amber; 2010-11 Q2 has no return: no-data, though the year's
    # 74 would meet it. The years are the years' (2009-10: Q4's 71, green; 2010-11: 74, amber).
    root = workspace(QUARTERS)
    rows = json.loads(invoke(["-w", root, "score", "--format", "json"]).stdout, parse_float=Decimal)["areas"][0]["rows"]
    got = {row["period"]: (row["actual"] and str(row["actual"]), row["achievement"] and str(row["achievement"]),
                           row["status"]) for row in rows}
    assert got == {"2009-10 Q2": ("66.5", "0.5", "red"), "2009-10": ("71", "1.2", "green"),
                   "2010-11 Q1": ("70", "0.8333", "amber"), "2010-11 Q2": (None, None, "no-data"),
                   "2010-11": ("74", "0.9", "amber")}
    # the quarter not returned is the one R311 names, at its key; the years are complete
    findings = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [(f["line"], f["message"]) for f in findings if f["code"] == "R311"] == [
        (9, "no return for NI 157 in 2010-11 Q2, though testq has reported up to 2010-11")]


def test_an_interim_level_at_a_quarter_is_judged_on_that_quarters_return(workspace):
    # Interim 68 at 2009-10 Q2, whose return is 66.5: missed, nothing on account (the year's
    # 71 would have met it). Final: (74 - 68) / (75 - 68) = 6/7 of £100,000 = £85,714.29, paid
    # in halves £42,857.15 and £42,857.14; the 2010-11 quarters are milestones, not the final
    # target.
    root = workspace(QUARTERS)
    area = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)["areas"][0]
    (target,) = area["targets"]
    assert (target["target"], target["interim_status"], target["payment_on_account"], target["balance"],
            target["reward"]) == (75, "missed", "0.00", "85714.29", "85714.29")
    assert area["instalments"] == ["42857.15", "42857.14"]
