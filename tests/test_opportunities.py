"""`laatool opportunities` (DESIGN.md §10): the reward within reach, worked by hand.

lpsa2: threshold 0.60, cap 1.00. Alpha's £1,000,000 is shared by five designated targets,
£200,000 each; every target measures from its baseline 100 towards 200 in 2010-11:
  NI 109 actual 155: achievement 0.55, below the threshold by 0.05 → listed; reward now £0;
    at the threshold: 100 + 0.6 × 100 = 160 pays 0.6 × £200,000 = £120,000; the full share
    needs 200 and pays £200,000. Next step the threshold: £120,000 / (0.60 − 0.55) = 2,400,000.
  NI 154 actual 149: 0.49, more than 0.10 below → not listed.
  NI 155 actual 150: 0.50, exactly 0.10 below → listed; £120,000 / 0.10 = 1,200,000.
  NI 177 actual 180: 0.80, paid £160,000; gain at the threshold £0.00, at the full share
    £40,000; next step the full share: £40,000 / (1 − 0.8) = 200,000.
  NI 180 actual 200: 1.00, the cap → not listed (the window stops below it).
Beta's £300,000 is shared by two, £150,000 each:
  NI 40 from 10 towards 20, actual 16: 0.60 exactly, paid £90,000; £60,000 more at the full
    share, needing 20: £60,000 / 0.40 = 150,000.
  NI 154 from 100 (2007-08) towards 200, no 2010-11 return: projected from 2007: 100,
    2008: 120, 2009: 140, a least-squares line of 20 a year, to 160 in 2010: 0.60 projected
    (basis projected), indicatively £90,000; £60,000 more at the full share: 150,000 too,
    after NI 40 (a tie is ordered by area, then indicator number).
"""

from __future__ import annotations

import json

import pytest

from conftest import invoke

ALPHA = """
area: alpha
name: Alpha
periods: [2008-09, 2009-10, 2010-11]
reward: {scheme: lpsa2, maximum: 1000000.00}
targets:
""" + "".join(f"  - {{indicator: NI {n}, kind: designated, baseline: {{period: 2007-08, value: 100}}, "
              "targets: {2010-11: 200}}\n" for n in (109, 154, 155, 177, 180))

BETA = """
area: beta
name: Beta Borough
periods: [2008-09, 2009-10, 2010-11]
reward: {scheme: lpsa2, maximum: 300000.00}
targets:
  - {indicator: NI 40, kind: designated, baseline: {period: 2007-08, value: 10}, targets: {2010-11: 20}}
  - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 100}, targets: {2010-11: 200}}
"""

RETURNS = """area,indicator,period,value
alpha,NI 109,2010-11,155
alpha,NI 154,2010-11,149
alpha,NI 155,2010-11,150
alpha,NI 177,2010-11,180
alpha,NI 180,2010-11,200
beta,NI 40,2010-11,16
beta,NI 154,2008-09,120
beta,NI 154,2009-10,140
"""


@pytest.fixture
def root(workspace):
    return workspace({"agreements/alpha.yaml": ALPHA, "agreements/beta.yaml": BETA, "returns/r.csv": RETURNS})


def listed(root, *args):
    return json.loads(invoke(["-w", root, "opportunities", "--format", "json", *args]).stdout)


def test_the_list_its_figures_and_its_order(root):
    document = listed(root)
    rows = document["rows"]
    assert [(r["area"], r["indicator"], r["basis"]) for r in rows] == [
        ("alpha", "NI 109", "actual"), ("alpha", "NI 155", "actual"), ("alpha", "NI 177", "actual"),
        ("beta", "NI 40", "actual"), ("beta", "NI 154", "projected")]
    assert list(rows[0]) == ["area", "name", "indicator", "subtarget", "basis", "achievement", "reward",
                             "needed_for_threshold", "gain_at_threshold", "needed_for_full", "gain_at_full", "share",
                             "provisional", "group"]  # DESIGN.md §10's order, then the extra fields
    assert rows[0] == {
        "area": "alpha", "name": "Alpha", "indicator": "NI 109", "subtarget": None, "basis": "actual",
        "achievement": 0.55, "reward": "0.00", "needed_for_threshold": 160,
        "gain_at_threshold": "120000.00", "needed_for_full": 200, "gain_at_full": "200000.00", "share": "200000.00",
        "provisional": False, "group": None}
    assert [(r["achievement"], r["reward"], r["gain_at_threshold"], r["gain_at_full"]) for r in rows[1:]] == [
        (0.5, "0.00", "120000.00", "200000.00"), (0.8, "160000.00", "0.00", "40000.00"),
        (0.6, "90000.00", "0.00", "60000.00"), (0.6, "90000.00", "0.00", "60000.00")]
    assert (rows[3]["needed_for_threshold"], rows[3]["needed_for_full"]) == (16, 20)
    # 120,000 + 120,000 at the threshold; 200,000 + 200,000 + 40,000 + 60,000 + 60,000 at the full share
    assert (document["within"], document["gain_at_threshold"], document["gain_at_full"]) == (
        0.1, "240000.00", "560000.00")


def test_within_narrows_the_window_at_its_edge(root):
    rows = listed(root, "--within", "0.05", "--area", "Alpha")["rows"]
    assert [r["indicator"] for r in rows] == ["NI 109", "NI 177"]  # 0.55 is on the edge; 0.50 is out


def test_csv_one_line_per_target(root):
    lines = invoke(["-w", root, "opportunities", "--format", "csv"]).stdout.splitlines()
    assert lines[0].startswith("area,name,indicator,subtarget,basis,achievement,reward,")
    assert lines[1] == "alpha,Alpha,NI 109,,actual,0.55,0.00,160,120000.00,200,200000.00,200000.00,false,"


def test_table_names_the_basis_and_the_totals(root):
    out = invoke(["-w", root, "opportunities"]).stdout
    assert "projected" in out and "£120,000.00" in out
    assert "£240,000.00 more at the threshold" in " ".join(out.split())  # the summary wraps at 100 columns


@pytest.mark.parametrize("within", ["-0.1", "1.5", "ten",
                                    "١", "０.５", "1_0"])  # digits no other number of laatool's may be written in
def test_within_out_of_range_is_a_usage_error(root, within):
    assert "--within" in invoke(["-w", root, "opportunities", "--within", within], code=2).stderr


def test_skip_invalid_leaves_the_bad_area_out(root):
    (root / "returns" / "bad.csv").write_text("area,indicator,period,value\nalpha,NI 109,2009-10,x\n")
    invoke(["-w", root, "opportunities"], code=1)
    result = invoke(["-w", root, "opportunities", "--skip-invalid", "--format", "json"], code=1)
    document = json.loads(result.stdout)
    assert document["refused"] == [{"area": "alpha", "errors": 1}]
    assert [r["area"] for r in document["rows"]] == ["beta", "beta"]


def test_a_value_beyond_the_frames_places_is_judged_exactly(workspace):
    # 155.000000000001 has 12 places: reward measures it in Python; 0.55000000000001 of the
    # enhancement is still listed, and still first (£120,000 / 0.04999999999999 is a little more).
    returns = RETURNS.replace("alpha,NI 109,2010-11,155", "alpha,NI 109,2010-11,155.000000000001")
    root = workspace({"agreements/alpha.yaml": ALPHA, "agreements/beta.yaml": BETA, "returns/r.csv": returns})
    rows = listed(root)["rows"]
    assert [r["indicator"] for r in rows] == ["NI 109", "NI 155", "NI 177", "NI 40", "NI 154"]
    assert (rows[0]["achievement"], rows[0]["gain_at_threshold"], rows[0]["needed_for_threshold"]) == (
        0.55, "120000.00", 160)


def test_a_pending_value_beyond_the_frames_places_is_judged_on_its_exact_projection(workspace):
    # beta's NI 154 in 2008-09 written 120.000000000001 (12 places): the projection is worked
    # out in Python; its least-squares line through 100, 120.000000000001, 140 still reaches
    # 160.0000000000003 in 2010-11 (an achievement of 0.600000000000003, indicatively
    # £90,000.00 of the £150,000.00 share), so it is listed as before, £60,000.00 short of
    # the full share (it was left out, and £60,000.00 with it): the total at the full share is
    # alpha's £200,000 + £200,000 + £40,000 and beta's £60,000 + £60,000.
    returns = RETURNS.replace("beta,NI 154,2008-09,120", "beta,NI 154,2008-09,120.000000000001")
    root = workspace({"agreements/alpha.yaml": ALPHA, "agreements/beta.yaml": BETA, "returns/r.csv": returns})
    found = listed(root)
    (row,) = [r for r in found["rows"] if r["area"] == "beta" and r["indicator"] == "NI 154"]
    assert (row["basis"], row["achievement"], row["reward"], row["gain_at_full"]) == (
        "projected", 0.6, "90000.00", "60000.00")
    assert found["gain_at_full"] == "560000.00"


def test_a_target_not_due_in_its_final_year_is_not_listed(workspace):
    """A biennial indicator collected in 2007-08 and 2009-10 only is not measured in 2010-11:
    `project` says `not-due` with no projected achievement and reward-grant never pays it, so
    it is no opportunity (its two points, 10 and 26, would project 34: 0.8 of the way to 40)."""
    root = workspace({
        "indicators/BI2.yaml": """
            id: BI2
            title: A biennial survey measure
            polarity: higher
            unit: count
            decimals: 0
            frequency: biennial
            period_type: financial-year
            collection_periods: [2007-08, 2009-10]
        """,
        "agreements/b.yaml": """
            area: b
            name: Bee
            periods: [2008-09, 2009-10, 2010-11]
            reward: {scheme: lpsa2, maximum: 100000.00}
            targets:
              - {indicator: BI2, kind: local, reward: true, baseline: {period: 2007-08, value: 10},
                 targets: {2010-11: 40}}
        """,
        "returns/r.csv": "area,indicator,period,value\nb,BI2,2009-10,26\n"})
    projected = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout)
    (row,) = projected["areas"][0]["rows"]
    assert (row["status"], row["projected_achievement"]) == ("not-due", None)
    assert listed(root, "--within", "1") == {"within": 1, "rows": [], "gain_at_threshold": "0.00",
                                             "gain_at_full": "0.00", "adjustments": {}}


@pytest.mark.parametrize("within", ["0." + "9" * 33, "1e-40", "0.12345678901"])
def test_a_within_beyond_ten_places_is_a_usage_error(root, within):
    # more places than any share is measured to; in the exact frame they would overflow Int128
    result = invoke(["-w", root, "opportunities", "--within", within, "--format", "json"], code=2)
    assert f"--within {within}: give a share of the enhancement between 0 and 1, to at most 10 decimal places" \
        in result.stderr
    assert result.stdout == ""


def test_a_within_of_ten_places_is_judged_exactly(root):
    # [0.6 − 0.9999999999, 1) holds every achievement from just above −0.4 to just under 1
    rows = listed(root, "--within", "0.9999999999")["rows"]
    assert [(r["area"], r["indicator"]) for r in rows] == [
        ("alpha", "NI 109"), ("alpha", "NI 155"), ("alpha", "NI 154"), ("alpha", "NI 177"),
        ("beta", "NI 40"), ("beta", "NI 154")]
    assert listed(root, "--within", "0.1000000000000") == listed(root, "--within", "0.1")


def test_csv_without_a_row_still_has_its_header(root):
    lines = invoke(["-w", root, "opportunities", "--area", "alpha", "--within", "0", "--format", "csv"]).stdout
    assert lines.splitlines()[0].startswith("area,name,indicator,subtarget,basis,achievement,reward,")
    assert len(lines.splitlines()) == 2  # NI 177 alone: 0.8
    gamma = ("area: gamma\nname: Gamma\nperiods: [2008-09, 2009-10, 2010-11]\n"
             "reward: {scheme: lpsa2, maximum: 1000.00}\ntargets: []\n")
    (root / "agreements" / "gamma.yaml").write_text(gamma)
    lines = invoke(["-w", root, "opportunities", "--area", "gamma", "--format", "csv"]).stdout.splitlines()
    # DESIGN.md §10's fields in its order (name beside area), then share, provisional and group
    assert lines == ["area,name,indicator,subtarget,basis,achievement,reward,needed_for_threshold,"
                     "gain_at_threshold,needed_for_full,gain_at_full,share,provisional,group"]


def test_the_table_says_its_pounds_are_before_a_schemes_adjustment(workspace):
    # final-2011 halves the grant: beta's £ are the rewards', before it, as reward-grant's are;
    # alpha's scheme (lpsa2) has none, and is not named
    beta = BETA.replace("scheme: lpsa2", "scheme: final-2011")
    root = workspace({"agreements/alpha.yaml": ALPHA, "agreements/beta.yaml": beta, "returns/r.csv": RETURNS})
    out = " ".join(invoke(["-w", root, "opportunities"], env={"COLUMNS": "200"}).stdout.split())
    assert "The £ are before the scheme's adjustment, as reward-grant's rewards are; the grant moves by them " \
           "times it (beta × 0.5)." in out
    assert "adjustment" not in invoke(["-w", root, "opportunities", "--area", "alpha"]).stdout
    # and the JSON says it, which said nothing of it: a script summing the gains took them for the grant's
    assert json.loads(invoke(["-w", root, "opportunities", "--format", "json"]).stdout)["adjustments"] == {
        "beta": 0.5}
    assert json.loads(invoke(["-w", root, "opportunities", "--area", "alpha", "--format", "json"]).stdout)[
        "adjustments"] == {}
