"""`laatool reward-grant`: hand-worked areas, to the penny (DESIGN.md §6 and §7.2).

Every expected figure below is worked out in the comments from the rules, not copied from
the program's output. Shares are exact fractions; each (sub-)target's reward is rounded once
to the penny, half up.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from conftest import invoke, workbook_rows
from laatool.api import load_workspace
from laatool.compute.reward import achievement_of, grant, needed

# Alpha: £1,000,000 over three reward targets -> share £333,333.333... each.
ALPHA = {
    "agreements/alpha.yaml": """
        area: alpha
        name: Alpha
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 1000000.00}
        targets:
          - indicator: NI 192     # higher is better, 1 decimal
            kind: designated
            baseline: {period: 2007-08, value: 7.5}
            targets: {2008-09: 8.0, 2009-10: 8.5, 2010-11: 9.0}
            expected_without_agreement: 8.0
          - indicator: NI 175     # higher, 1 decimal; no expected value: measured from the baseline
            kind: designated
            baseline: {period: 2007-08, value: 40}
            targets: {2008-09: 43, 2009-10: 46, 2010-11: 50}
          - indicator: NI 16      # lower is better, 2 decimals
            kind: designated
            baseline: {period: 2007-08, value: 24}
            targets: {2008-09: 23, 2009-10: 21.5, 2010-11: 20}
            expected_without_agreement: 22
          - indicator: NI 155     # designated but taken out of the reward element
            kind: designated
            reward: false
            baseline: {period: 2007-08, value: 400}
            targets: {2008-09: 420, 2009-10: 440, 2010-11: 460}
          - indicator: NI 72      # statutory: not rewarded by lpsa2 unless reward: true
            kind: statutory
            baseline: {period: 2007-08, value: 50}
            targets: {2008-09: 52, 2009-10: 54, 2010-11: 56}
        """,
    "returns/alpha.csv": (
        "area,indicator,period,value\n"
        "alpha,NI 192,2010-11,8.6\n"   # (8.6 - 8.0) / (9.0 - 8.0) = exactly 0.6: paid
        "alpha,NI 175,2010-11,45.99\n"  # (45.99 - 40) / (50 - 40) = 0.599: below 60%
        "alpha,NI 16,2010-11,19.5\n"   # (19.5 - 22) / (20 - 22) = 1.25: capped at 1
        "alpha,NI 155,2010-11,470\n"
        "alpha,NI 72,2010-11,57\n"
    ),
}

# Beta: a two-tier area. Maximum = 0.025 x (380,500,000.00 + 14,200,000.50)
#   = 0.025 x 394,700,000.50 = 9,867,500.0125 -> £9,867,500.01.
# Six reward targets (NI 154 with two sub-targets, NI 73 statutory and BETA-01 local both
# made rewardable, NI 20, NI 8, NI 47; the NI 4 placeholder has no 2010-11 target value):
#   share = 9,867,500.01 / 6 = 1,644,583.335 -> £1,644,583.34;
#   NI 154's sub-targets get half each: 822,291.6675 -> £822,291.67.
BETA = {
    "indicators/BETA-01.yaml": """
        id: BETA-01
        title: Days to process a housing benefit claim
        polarity: lower
        unit: days
        decimals: 0
        frequency: annual
        period_type: financial-year
        """,
    "agreements/beta.yaml": """
        area: beta
        name: Beta
        periods: [2008-09, 2009-10, 2010-11]
        reward:
          scheme: lpsa2
          net_budget_requirement: [380500000.00, 14200000.50]
        targets:
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 1500}
            targets: {2010-11: 1900}
            subtargets:
              - id: north
                baseline: {period: 2007-08, value: 1000}
                targets: {2010-11: 1300}
                expected_without_agreement: 1150
              - id: south
                baseline: {period: 2007-08, value: 500}
                targets: {2010-11: 600}
          - indicator: NI 73
            kind: statutory
            reward: true
            baseline: {period: 2007-08, value: 50}
            targets: {2010-11: 60}
          - indicator: BETA-01
            kind: local
            reward: true
            baseline: {period: 2007-08, value: 100}
            targets: {2010-11: 80}
            expected_without_agreement: 90
          - indicator: NI 20
            kind: designated
            baseline: {period: 2007-08, value: 8.9}
            targets: {2010-11: 8.0}
            expected_without_agreement: 8.5
          - indicator: NI 8
            kind: designated
            baseline: {period: 2007-08, value: 20}
            targets: {2010-11: 23}
          - indicator: NI 47      # calendar-year indicator: the 2010 return counts for 2010-11
            kind: designated
            baseline: {period: '2007', value: 320}
            targets: {2010-11: 275}
            expected_without_agreement: 300
          - indicator: NI 4
            kind: designated
            placeholder: true
        """,
    "returns/beta.csv": (
        "area,indicator,subtarget,period,value,status\n"
        "beta,NI 154,,2010-11,1950,\n"         # the city-wide row is not rewarded
        "beta,NI 154,north,2010-11,1400,\n"    # (1400 - 1150) / 150 = 1.67: capped at 1
        "beta,NI 154,south,2010-11,570,\n"     # from the baseline: (570 - 500) / 100 = 0.7
        "beta,NI 73,,2010-11,65,\n"            # (65 - 50) / 10 = 1.5: capped
        "beta,BETA-01,,2010-11,84,\n"          # (84 - 90) / (80 - 90) = 0.6
        "beta,NI 20,,2010-11,9.0,\n"           # worse than the start: (9 - 8.5) / -0.5 = -1
        "beta,NI 8,,2009-10,21,\n"             # no 2010-11 return: pending
        "beta,NI 47,,2010,280,provisional\n"   # (280 - 300) / (275 - 300) = 0.8, provisional
    ),
}


def reward_json(root, *args, code: int = 0) -> dict:
    result = invoke(["-w", root, "reward-grant", "--format", "json", *args], code)
    return json.loads(result.stdout, parse_float=Decimal)


def rows_by_label(area: dict) -> dict:
    return {(t["indicator"], t["subtarget"]): t for t in area["targets"]}


@pytest.fixture
def alpha(workspace):
    return workspace(ALPHA)


@pytest.fixture
def both(workspace):
    return workspace({**ALPHA, **BETA})


def test_alpha_equal_shares_threshold_cap_and_exclusions(alpha):
    document = reward_json(alpha)
    assert document["scheme"] is None
    (area,) = document["areas"]
    assert (area["area"], area["name"], area["scheme"], area["maximum"]) == (
        "alpha", "Alpha", "lpsa2", "1000000.00")
    rows = rows_by_label(area)
    # NI 155 (reward: false) and NI 72 (statutory, not a rewarded kind) are not reward targets.
    assert list(rows) == [("NI 192", None), ("NI 175", None), ("NI 16", None)]

    exact = rows[("NI 192", None)]
    # 333,333.333... x 0.6 = 200,000 exactly; at stake 333,333.33 - 200,000.00.
    assert exact == {
        "indicator": "NI 192", "subtarget": None, "share": "333333.33",
        "from": Decimal("8"), "target": Decimal("9"), "actual": Decimal("8.6"),
        "achievement": Decimal("0.6"), "payable": Decimal("0.6"), "reward": "200000.00",
        "status": "paid", "needed_for_threshold": Decimal("8.6"), "needed_for_full": Decimal("9"),
        "at_stake": "133333.33", "provisional": False, "weight": None, "group": None,
            # no interim level: nothing paid on account, the balance is the reward
            "interim_status": None, "payment_on_account": "0.00", "balance": "200000.00", "recovery": "0.00",
    }
    under = rows[("NI 175", None)]
    # measured from the baseline 40: 5.99 / 10 = 0.599 -> nothing; 40 + 0.6 x 10 = 46 needed.
    assert (under["from"], under["achievement"], under["payable"], under["reward"],
            under["status"], under["needed_for_threshold"], under["at_stake"]) == (
        Decimal("40"), Decimal("0.599"), Decimal("0"), "0.00", "below-threshold", Decimal("46"),
        "333333.33")
    capped = rows[("NI 16", None)]
    # lower is better: (19.5 - 22) / (20 - 22) = 1.25, capped at 1 -> the whole share.
    # needed for 60%: 22 - 0.6 x 2 = 20.8.
    assert (capped["achievement"], capped["payable"], capped["reward"], capped["at_stake"],
            capped["needed_for_threshold"], capped["needed_for_full"]) == (
        Decimal("1.25"), Decimal("1"), "333333.33", "0.00", Decimal("20.8"), Decimal("20"))
    # total 200,000.00 + 0 + 333,333.33 = 533,333.33; revenue 266,666.665 -> 266,666.67.
    assert (area["total"], area["revenue"], area["capital"], area["instalments"]) == (
        "533333.33", "266666.67", "266666.66", ["266666.67", "266666.66"])
    assert document["total"] == "533333.33"


def test_beta_two_tier_maximum_subtargets_statutory_local_pending(both):
    result = invoke(["-w", both, "reward-grant", "--area", "beta", "--format", "json"])
    (area,) = json.loads(result.stdout, parse_float=Decimal)["areas"]
    assert area["maximum"] == "9867500.01"
    rows = rows_by_label(area)
    assert list(rows) == [("NI 154", "north"), ("NI 154", "south"), ("NI 73", None),
                          ("BETA-01", None), ("NI 20", None), ("NI 8", None), ("NI 47", None)]
    rewards = {key: (row["share"], row["reward"], row["status"]) for key, row in rows.items()}
    assert rewards == {
        ("NI 154", "north"): ("822291.67", "822291.67", "paid"),      # capped at 1
        ("NI 154", "south"): ("822291.67", "575604.17", "paid"),      # 822,291.6675 x 0.7
        ("NI 73", None): ("1644583.34", "1644583.34", "paid"),        # 1,644,583.335 half up
        ("BETA-01", None): ("1644583.34", "986750.00", "paid"),       # x 0.6 = 986,750.001
        ("NI 20", None): ("1644583.34", "0.00", "below-threshold"),   # worse than the start
        ("NI 8", None): ("1644583.34", "0.00", "pending"),
        ("NI 47", None): ("1644583.34", "1315666.67", "paid"),        # x 0.8 = 1,315,666.668
    }
    assert rows[("NI 154", "north")]["from"] == Decimal("1150")  # its own expected value
    assert rows[("NI 154", "south")]["from"] == Decimal("500")   # its own baseline
    assert rows[("NI 20", None)]["achievement"] == Decimal("-1")
    assert rows[("NI 47", None)]["provisional"] is True
    pending = rows[("NI 8", None)]
    assert (pending["actual"], pending["achievement"], pending["payable"], pending["at_stake"]) == (
        None, None, None, "1644583.34")
    # 20 + 0.6 x 3 = 21.8 (NI 8 has one decimal)
    assert (pending["needed_for_threshold"], pending["needed_for_full"]) == (
        Decimal("21.8"), Decimal("23"))
    # 822,291.67 + 575,604.17 + 1,644,583.34 + 986,750.00 + 1,315,666.67 = 5,344,895.85
    assert (area["total"], area["revenue"], area["capital"]) == (
        "5344895.85", "2672447.93", "2672447.92")
    assert area["instalments"] == ["2672447.93", "2672447.92"]
    assert "NI 8" in result.stderr and "pending" in result.stderr and "2010-11" in result.stderr


def test_national_total_is_the_sum_of_the_areas(both):
    document = reward_json(both)
    assert [a["area"] for a in document["areas"]] == ["alpha", "beta"]
    # 533,333.33 + 5,344,895.85
    assert document["total"] == "5878229.18"


def test_final_2011_scheme_halves_and_splits_70_30(alpha):
    document = reward_json(alpha, "--scheme", "final-2011")
    assert document["scheme"] == "final-2011"
    (area,) = document["areas"]
    assert area["scheme"] == "final-2011"
    # Per-target rewards are as under lpsa2 (same threshold and cap): sum 533,333.33.
    # x 0.5 = 266,666.665 -> 266,666.67; revenue x 0.7 = 186,666.669 -> 186,666.67.
    assert (area["total"], area["revenue"], area["capital"], area["instalments"]) == (
        "266666.67", "186666.67", "80000.00", ["266666.67"])
    assert document["total"] == "266666.67"


def test_agreement_names_a_workspace_scheme(workspace):
    # A workspace scheme with a 50% threshold: NI 175's 0.599 is now paid.
    # 333,333.333... x 0.599 = 199,666.666... -> 199,666.67; total 733,000.00 (one instalment).
    root = workspace({
        **ALPHA,
        "schemes/lenient.yaml": """
            name: lenient
            title: Half the enhancement is enough
            maximum_rate: 0.025
            rewarded_kinds: [designated]
            threshold: 0.50
            revenue_share: 1
            instalments: [1]
            """,
    })
    agreement = root / "agreements/alpha.yaml"
    agreement.write_text(agreement.read_text().replace("scheme: lpsa2", "scheme: lenient"))
    (area,) = reward_json(root)["areas"]
    assert area["scheme"] == "lenient"
    assert rows_by_label(area)[("NI 175", None)]["reward"] == "199666.67"
    assert (area["total"], area["revenue"], area["capital"], area["instalments"]) == (
        "733000.00", "733000.00", "0.00", ["733000.00"])


def test_unknown_scheme_option_is_a_usage_error(alpha, tmp_path):
    output = tmp_path / "r.json"
    result = invoke(["-w", alpha, "reward-grant", "--scheme", "lpsa3", "-o", output], 2)
    assert "lpsa3" in result.stderr and "final-2011, lpsa2" in result.stderr
    assert result.stdout == ""
    assert not output.exists()


def test_unknown_scheme_in_an_agreement_is_an_error_finding(alpha, tmp_path):
    agreement = alpha / "agreements/alpha.yaml"
    agreement.write_text(agreement.read_text().replace("scheme: lpsa2", "scheme: lpsa-2"))
    output = tmp_path / "grant.json"
    output.write_text("old")
    result = invoke(["-w", alpha, "reward-grant", "-o", output], 1)
    assert "agreements/alpha.yaml:4:18: A213 error: unknown reward scheme 'lpsa-2'" in result.stderr
    assert output.read_text() == "old"
    # The agreement file holds an error, so even --scheme does not make it usable (DESIGN §7).
    invoke(["-w", alpha, "reward-grant", "--scheme", "lpsa2"], 1)


def test_agreement_without_reward_section_has_no_maximum(workspace):
    # No reward section: maximum £0.00, so every share and reward is £0.00; the scheme is the
    # default (lpsa2). A maintain target (baseline = target, lower is better) met -> 1.
    root = workspace({
        "agreements/gamma.yaml": """
            area: gamma
            name: Gamma
            periods: [2008-09, 2009-10, 2010-11]
            targets:
              - indicator: NI 39
                kind: designated
                baseline: {period: 2007-08, value: 1660}
                targets: {2010-11: 1660}
            """,
        "returns/gamma.csv": "area,indicator,period,value\ngamma,NI 39,2010-11,1655\n",
    })
    (area,) = reward_json(root)["areas"]
    assert (area["scheme"], area["maximum"], area["total"], area["instalments"]) == (
        "lpsa2", "0.00", "0.00", ["0.00", "0.00"])
    (row,) = area["targets"]
    assert (row["achievement"], row["payable"], row["share"], row["reward"], row["status"]) == (
        Decimal("1"), Decimal("1"), "0.00", "0.00", "paid")


def test_invalid_input_refuses_and_writes_nothing(alpha, tmp_path):
    (alpha / "agreements/alpha.yaml").write_text("area: alpha\nname: [unclosed\n")
    output = tmp_path / "grant.csv"
    result = invoke(["-w", alpha, "reward-grant", "-o", output], 1)
    assert "Y001" in result.stderr
    assert not output.exists()


def test_unknown_area_is_a_usage_error(alpha):
    result = invoke(["-w", alpha, "reward-grant", "--area", "alpah"], 2)
    assert "alpha" in result.stderr


def test_json_output_equals_the_core_report(both):
    from laatool.render.json import dumps

    workspace = load_workspace(both)
    report = grant(workspace, ["alpha", "beta"])
    result = invoke(["-w", both, "reward-grant", "--format", "json"])
    assert result.stdout == dumps(report.to_json())


def test_csv_has_one_row_per_target_starting_with_area_and_name(both):
    lines = invoke(["-w", both, "reward-grant", "--format", "csv"]).stdout.splitlines()
    assert lines[0].startswith("area,name,scheme,indicator,subtarget,share,from,target,actual,")
    assert len(lines) == 1 + 3 + 7
    assert lines[1] == ("alpha,Alpha,lpsa2,NI 192,,333333.33,8,9,8.6,0.6,0.6,200000.00,paid,"
                        "8.6,9,133333.33,false,,,,0.00,200000.00,0.00")


def test_xlsx_and_table_outputs(both, tmp_path):
    output = tmp_path / "grant.xlsx"
    invoke(["-w", both, "reward-grant", "-o", output])
    rows = workbook_rows(output)
    assert list(rows[0])[:2] == ["area", "name"]
    assert len(rows) == 10
    table = invoke(["-w", both, "reward-grant"]).stdout
    assert "national total £5,878,229.18" in table
    assert "↳ north" in table and "below 60%" in table and "pending" in table
    assert "revenue £2,672,447.93 (50%), capital £2,672,447.92" in table


def test_the_table_says_why_each_target_is_pending(workspace):
    """A return still to come and a target value still to agree are different work for the
    officer: the caption names each with its targets."""
    root = workspace({"agreements/gamma.yaml": """
        area: gamma
        name: Gamma
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 300000.00}
        targets:
          - indicator: NI 40      # agreed for 2009-10 only: no 2010-11 target value
            kind: designated
            baseline: {period: 2007-08, value: 100}
            targets: {2009-10: 150}
          - indicator: NI 8       # no 2010-11 return
            kind: designated
            baseline: {period: 2007-08, value: 20}
            targets: {2010-11: 23}
          - indicator: NI 16      # no 2010-11 return either
            kind: designated
            baseline: {period: 2007-08, value: 24}
            targets: {2010-11: 20}
        """,
        "returns/gamma.csv": "area,indicator,period,value\ngamma,NI 40,2010-11,170\ngamma,NI 8,2009-10,21\n",
    })
    table = " ".join(invoke(["-w", root, "reward-grant"], env={"COLUMNS": "200"}).stdout.split())
    assert ("Pending, £0 until resolved: no 2010-11 target value: NI 40; no 2010-11 return: NI 8, NI 16"
            in table)


def test_needed_values_are_rounded_towards_the_harder_side():
    # higher is better, 1 decimal: 8.05 + 0.6 x 0.95 = 8.62 -> 8.7 (8.6 would earn only 57.9%)
    assert needed(Decimal("8.05"), Decimal("9.0"), Decimal("0.6"), 1, 1) == Decimal("8.7")
    assert achievement_of(Decimal("8.7"), Decimal("8.05"), Decimal("9.0"), 1) >= Fraction(3, 5)
    # lower is better, 1 decimal: 10.05 - 0.6 x 1.05 = 9.42 -> 9.4
    assert needed(Decimal("10.05"), Decimal("9.0"), Decimal("0.6"), 1, -1) == Decimal("9.4")
    # exact values stay as they are
    assert needed(Decimal("8.0"), Decimal("9.0"), Decimal("0.6"), 1, 1) == Decimal("8.6")


def test_maintain_rule_follows_polarity():
    three = Decimal("3.9")
    assert achievement_of(Decimal("3.87"), three, three, -1) == 1   # lower is better: met
    assert achievement_of(Decimal("3.95"), three, three, -1) == 0
    assert achievement_of(Decimal("3.95"), three, three, 1) == 1    # higher is better: met
    assert achievement_of(Decimal("3.9"), three, three, 0) == 1     # neutral: only the target
    assert achievement_of(Decimal("3.95"), three, three, 0) == 0


def test_output_does_not_depend_on_the_order_of_returns_rows(workspace, tmp_path):
    first = reward_json(workspace({**ALPHA, **BETA}))
    header, *rows = BETA["returns/beta.csv"].splitlines()
    shuffled = workspace({"returns/beta.csv": "\n".join([header, *reversed(rows)]) + "\n"})
    assert reward_json(shuffled) == first


def test_a_target_beyond_int128_is_written_like_the_others(workspace):
    # GAMMA-01 runs from -9e27 towards 9e27: 1.8e28 apart, more 1e-10 units than Int128 holds,
    # so it is measured in Python, among targets measured in the frame. £1,000,000.00 over two
    # targets: £500,000.00 each. 0 is (0 + 9e27) / 1.8e28 = 50%: below the threshold; needed
    # -9e27 + 0.6 x 1.8e28 = 1.8e27. NI 8 from 20 to 23 reaches 23: the whole share.
    root = workspace({
        "indicators/GAMMA-01.yaml": """
            id: GAMMA-01
            title: A count with no bounds
            polarity: higher
            unit: count
            decimals: 0
            frequency: annual
            period_type: financial-year
            """,
        "agreements/gamma.yaml": """
            area: gamma
            name: Gamma
            periods: [2008-09, 2009-10, 2010-11]
            reward: {scheme: lpsa2, maximum: 1000000.00}
            targets:
              - indicator: GAMMA-01
                kind: local
                reward: true
                baseline: {period: 2007-08, value: -9000000000000000000000000000}
                targets: {2010-11: 9000000000000000000000000000}
              - indicator: NI 8
                kind: designated
                baseline: {period: 2007-08, value: 20}
                targets: {2010-11: 23}
            """,
        "returns/gamma.csv": "area,indicator,period,value\ngamma,GAMMA-01,2010-11,0\ngamma,NI 8,2010-11,23\n",
    })
    result = invoke(["-w", root, "reward-grant", "--format", "json"])
    report = grant(load_workspace(root), ["gamma"])
    assert report.in_python  # the first target did take the Python path
    from laatool.render.json import dumps

    assert result.stdout == dumps(report.to_json())
    (area,) = json.loads(result.stdout, parse_float=Decimal)["areas"]
    huge, ni8 = area["targets"]
    assert (huge["achievement"], huge["status"], huge["reward"], huge["needed_for_threshold"]) == (
        Decimal("0.5"), "below-threshold", "0.00", Decimal("1800000000000000000000000000"))
    assert (ni8["status"], ni8["reward"]) == ("paid", "500000.00")
    assert (area["total"], area["revenue"], area["capital"]) == ("500000.00", "250000.00", "250000.00")


def test_a_reward_is_worked_from_the_exact_share_not_the_share_shown(workspace):
    """Alpha's share is £1,000,000 / 3 = £333,333.333…, shown £333,333.33. NI 175 at 46.2 is
    (46.2 - 40) / (50 - 40) = 0.62 of the way: 333,333.333… × 0.62 = 206,666.666… pays
    £206,666.67, rounded once; the shown share would give 206,666.6646, £206,666.66."""
    root = workspace({**ALPHA, "returns/alpha.csv": ALPHA["returns/alpha.csv"].replace(
        "alpha,NI 175,2010-11,45.99", "alpha,NI 175,2010-11,46.2")})
    row = rows_by_label(reward_json(root)["areas"][0])[("NI 175", None)]
    assert (row["share"], row["achievement"], row["reward"], row["at_stake"]) == (
        "333333.33", Decimal("0.62"), "206666.67", "126666.66")


def test_the_table_says_why_the_targets_at_stake_is_not_the_areas(alpha):
    """Alpha's three shares of £1,000,000 are £333,333.33 each, £999,999.99 in all. At stake:
    NI 192 £133,333.33, NI 175 £333,333.33 and NI 16 £0.00 add up to £466,666.66 (the Sum
    row), while the area's is £1,000,000.00 - £533,333.33 = £466,666.67 (the national table,
    §6 item 7). The two figures stood a line apart with nothing to say why."""
    table = " ".join(invoke(["-w", alpha, "reward-grant"]).stdout.split())
    assert ("At stake: the targets' add up to £466,666.66, the area's is £466,666.67, the maximum less the grant: "
            "the shares, each rounded to the penny, add up to £999,999.99") in table
    halved = " ".join(invoke(["-w", alpha, "reward-grant", "--scheme", "final-2011"]).stdout.split())
    # final-2011 pays half: £266,666.67 (266,666.665 rounded half up); £500,000.00 - £266,666.67 at stake
    assert ("At stake: the targets' add up to £466,666.66 before the scheme's adjustment; the area's is "
            "£233,333.33, the maximum after it less the grant") in halved
