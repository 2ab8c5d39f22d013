"""The reward arithmetic over whole frames (`laatool.compute.reward_frame`), on its edge cases.

Every expected figure is worked out in the comments from DESIGN.md §6, not copied from the
program. `rewards()` runs the path `grant` runs: the frame, then Python for the rows the frame
leaves (`exact` false); each case also says which of the two computed it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest

from laatool.base.models import Scheme
from laatool.compute.reward import TargetReward, measure_in_python
from laatool.compute.reward_frame import area_terms, measured

LPSA2 = Scheme(name="lpsa2", title="LPSA2", maximum_rate=Decimal("0.025"), rewarded_kinds=["designated"],
               threshold=Decimal("0.6"), cap=Decimal(1), revenue_share=Decimal("0.5"),
               instalments=[Decimal("0.5"), Decimal("0.5")])
INPUT_SCHEMA = {
    "order": pl.UInt32, "area": pl.String, "position": pl.Int64, "indicator": pl.String, "subtarget": pl.String,
    "kind": pl.String, "title": pl.String, "polarity": pl.String, "decimals": pl.Int64, "final_year": pl.String,
    "baseline": pl.Decimal(38, 10), "start": pl.Decimal(38, 10), "measured_from": pl.String,
    "final_target": pl.Decimal(38, 10), "actual": pl.Decimal(38, 10), "provisional": pl.Boolean,
    "targets_in_area": pl.UInt32, "parts_of_target": pl.UInt32, "final_not_due": pl.Boolean,
}


def target(start, goal, actual, polarity="higher", decimals=2, baseline=None, position=0, subtarget=None):
    """One (sub-)target row as `reward_inputs` gives it (`targets_in_area`/`parts_of_target` are
    filled in by `rewards`)."""
    return {"area": "x", "position": position, "indicator": f"NI {position + 1}", "subtarget": subtarget,
            "kind": "designated", "title": "", "polarity": polarity, "decimals": decimals,
            "final_year": "2010-11", "baseline": value(baseline if baseline is not None else start),
            "start": value(start), "measured_from": "baseline", "final_target": value(goal),
            "actual": value(actual), "provisional": False, "final_not_due": False}


def value(text) -> Decimal | None:
    return None if text is None else Decimal(text)


def rewards(rows: list[dict], maximum: str, scheme: Scheme = LPSA2,
            schema: dict | None = None) -> list[tuple[TargetReward, bool]]:
    """Each row's reward, and whether the frame (True) or Python (False) computed it."""
    positions = {row["position"] for row in rows}
    for order, row in enumerate(rows):
        row["order"] = order
        row["targets_in_area"] = len(positions)
        row["parts_of_target"] = sum(r["position"] == row["position"] for r in rows)
    inputs = pl.DataFrame(rows, schema=schema or INPUT_SCHEMA)
    maxima, schemes = {"x": Decimal(maximum)}, {"x": scheme}
    frame = measured(inputs, area_terms(maxima, schemes))
    in_python = measure_in_python(frame, maxima, schemes)
    return [(TargetReward.from_row(row), True) if row["exact"] else (in_python[row["order"]], False)
            for row in frame.iter_rows(named=True)]


def figures(result: TargetReward) -> tuple:
    return (result.status, result.achievement, result.payable, result.share, result.reward,
            result.at_stake, result.needed_for_threshold, result.needed_for_full)


def test_one_million_over_seven_targets_one_with_three_subtargets():
    # share = 1,000,000.00 / 7 = 142,857.142857... -> £142,857.14 shown; each reward is rounded
    # once from the unrounded share. The sub-targets get 1,000,000 / 21 = 47,619.047619... each.
    results = rewards([
        target("8.0", "9.0", "8.6", decimals=1, position=0),       # exactly 60%
        target("8.0", "9.0", "8.5999999999", position=1),          # one unit (1e-10) short of it
        target("22", "20", "19.5", polarity="lower", position=2),  # 125%, capped
        target("3.9", "3.9", "3.87", polarity="lower", position=3),  # maintained
        target("50", "50", "49.9", polarity="higher", position=4),   # not maintained
        target("-10.5", "-20.25", "-16.35", polarity="neutral", decimals=1, position=5),
        target("0", "0.7", "0.9", position=6, subtarget="a"),
        target("100", "80", "86", polarity="lower", decimals=0, position=6, subtarget="b"),
        target("10", "20", "12.5", position=6, subtarget="c"),
    ], "1000000.00")
    assert all(by_frame for _, by_frame in results)
    share, part = Decimal("142857.14"), Decimal("47619.05")
    expected = [
        # 142,857.142857 x 0.6 = 85,714.285714 -> 85,714.29; at stake 142,857.14 - 85,714.29
        ("paid", Fraction(3, 5), Fraction(3, 5), share, Decimal("85714.29"), Decimal("57142.85"),
         Decimal("8.6"), Decimal("9")),
        # 0.5999999999 < 0.6: nothing, although it shows as 0.6 to 4 places
        ("below-threshold", Fraction(5999999999, 10**10), Fraction(0), share, Decimal("0"), share,
         Decimal("8.6"), Decimal("9")),
        # (19.5 - 22) / (20 - 22) = 1.25, capped at 1: the whole share; 22 - 0.6 x 2 = 20.8
        ("paid", Fraction(5, 4), Fraction(1), share, share, Decimal("0"), Decimal("20.8"), Decimal("20")),
        # maintain, lower is better: 3.87 <= 3.9 gives 1
        ("paid", Fraction(1), Fraction(1), share, share, Decimal("0"), Decimal("3.9"), Decimal("3.9")),
        # maintain, higher is better: 49.9 < 50 gives 0
        ("below-threshold", Fraction(0), Fraction(0), share, Decimal("0"), share, Decimal("50"), Decimal("50")),
        # (-16.35 + 10.5) / (-20.25 + 10.5) = -5.85 / -9.75 = 0.6 exactly: paid. Needed:
        # -10.5 + 0.6 x -9.75 = -16.35, to 1 decimal down (lower is better here) -16.4;
        # -20.25 down to -20.3.
        ("paid", Fraction(3, 5), Fraction(3, 5), share, Decimal("85714.29"), Decimal("57142.85"),
         Decimal("-16.4"), Decimal("-20.3")),
        # 0.9 / 0.7 = 9/7, capped: 47,619.047619 -> 47,619.05; needed 0 + 0.6 x 0.7 = 0.42
        ("paid", Fraction(9, 7), Fraction(1), part, part, Decimal("0"), Decimal("0.42"), Decimal("0.7")),
        # (86 - 100) / (80 - 100) = 0.7: 47,619.047619 x 0.7 = 33,333.333333 -> 33,333.33
        ("paid", Fraction(7, 10), Fraction(7, 10), part, Decimal("33333.33"), Decimal("14285.72"),
         Decimal("88"), Decimal("80")),
        # 2.5 / 10 = 0.25: below; needed 10 + 6 = 16
        ("below-threshold", Fraction(1, 4), Fraction(0), part, Decimal("0"), part, Decimal("16"), Decimal("20")),
    ]
    assert [figures(result) for result, _ in results] == expected
    # 85,714.29 + 142,857.14 + 142,857.14 + 85,714.29 + 47,619.05 + 33,333.33 = 538,095.24
    assert sum(result.reward for result, _ in results) == Decimal("538095.24")


def test_half_a_penny_rounds_up():
    # 1,000.01 over two targets: 500.005 -> 500.01 (half up, not to even); the whole share paid
    # is 500.01 as well, and 0.7 of it 350.0035 -> 350.00.
    results = rewards([target("0", "10", "10", position=0), target("0", "10", "7", position=1)], "1000.01")
    (full, _), (part, _) = results
    assert (full.share, full.reward, full.at_stake) == (Decimal("500.01"), Decimal("500.01"), Decimal("0"))
    assert (part.share, part.reward, part.at_stake) == (Decimal("500.01"), Decimal("350.00"), Decimal("150.01"))


def test_a_neutral_maintain_target_follows_its_baseline():
    # target = from = 5 (from the expected value), baseline 4: higher is the better side, so
    # 5.2 maintains it and 4.9 does not. With neither side (baseline 5 too), only 5 itself does.
    results = rewards([
        target("5", "5", "5.2", polarity="neutral", baseline="4", position=0),
        target("5", "5", "4.9", polarity="neutral", baseline="4", position=1),
        target("5", "5", "5", polarity="neutral", position=2),
        target("5", "5", "5.1", polarity="neutral", position=3),
    ], "400.00")
    assert [(r.achievement, r.status) for r, _ in results] == [
        (1, "paid"), (0, "below-threshold"), (1, "paid"), (0, "below-threshold")]


def test_pending_reasons_and_a_threshold_of_zero():
    # With threshold 0 a maintain target missed (achievement 0) is paid nothing but is "paid".
    scheme = LPSA2.model_copy(update={"threshold": Decimal(0)})
    results = rewards([
        target("1", None, "2", position=0),
        target(None, "2", "2", position=1),
        target("1", "2", None, position=2),
        target("7", "7", "6", position=3),
    ], "100.00", scheme)
    assert [(r.status, r.why_pending, r.reward) for r, _ in results] == [
        ("pending", "no 2010-11 target value", 0), ("pending", "no baseline to measure from", 0),
        ("pending", "no 2010-11 return", 0), ("paid", None, 0)]
    # a pending target with a start and a target still says what it needs: 1 + 0 x (2 - 1) = 1
    # for the threshold, the target 2 for the whole share
    pending = results[2][0]
    assert (pending.needed_for_threshold, pending.needed_for_full, pending.achievement) == (1, 2, None)


def test_a_cap_above_one_pays_more_than_the_share():
    # cap 1.5: (0.9 - 0.1) / (0.4 - 0.1) = 8/3, capped at 1.5 -> 100 x 1.5 = 150.00; at stake
    # max(0, 100.00 - 150.00) = 0.00: never negative (DESIGN.md §6 item 7)
    scheme = LPSA2.model_copy(update={"cap": Decimal("1.5")})
    ((result, by_frame),) = rewards([target("0.1", "0.4", "0.9")], "100.00", scheme)
    assert by_frame and (result.payable, result.reward, result.at_stake) == (
        Fraction(3, 2), Decimal("150.00"), Decimal("0.00"))


# Near the limits of Decimal(38, 10), 9 x 10^27 each side: the difference between start and
# target alone (1.8 x 10^38 units) is beyond Int128, so these rows are measured in Python.
LIMIT = "9000000000000000000000000000"


def test_values_beyond_int128_are_measured_exactly_in_python():
    # from -9e27 towards 9e27: 1.8e27 is (1.8e27 + 9e27) / 1.8e28 = 0.6 exactly: 60% of
    # £1,000,000.00 = £600,000.00; one unit (1e-10) less is below the threshold. Needed for
    # 60%: -9e27 + 0.6 x 1.8e28 = 1.8e27.
    results = rewards([
        target(f"-{LIMIT}", LIMIT, "1800000000000000000000000000", position=0),
        target(f"-{LIMIT}", LIMIT, "1799999999999999999999999999.9999999999", position=1),
    ], "2000000.00")
    (met, by_frame), (short, short_by_frame) = results
    assert not by_frame and not short_by_frame
    assert figures(met) == ("paid", Fraction(3, 5), Fraction(3, 5), Decimal("1000000.00"),
                            Decimal("600000.00"), Decimal("400000.00"),
                            Decimal("1800000000000000000000000000"), Decimal(LIMIT))
    assert (short.status, short.reward) == ("below-threshold", 0)


def test_a_large_maximum_with_large_values_is_checked_for_overflow():
    # £10,000,000,000,000.00 (10^15 pennies) and values of 10^17: 60% earns £6,000,000,000,000.00.
    # In the frame the reward's product, 10^15 pennies x 6 x 10^26 units, would leave Int128.
    ((result, by_frame),) = rewards([target("0", "100000000000000000", "60000000000000000")],
                                    "10000000000000.00")
    assert not by_frame
    assert (result.achievement, result.reward) == (Fraction(3, 5), Decimal("6000000000000.00"))
    # the same target on a £1,000,000.00 maximum stays in the frame (10^8 pennies x 10^27 units)
    ((small, small_by_frame),) = rewards([target("0", "100000000000000000", "60000000000000000")],
                                         "1000000.00")
    assert small_by_frame and small.reward == Decimal("600000.00")


def test_an_achievement_of_more_than_28_digits_is_left_to_python():
    # from 0 towards 1e-10, actual 10^16: achievement 10^26 (10^30 in 4-place units), written by
    # Python's Decimals as ever; payable is the cap, 1.
    ((result, by_frame),) = rewards([target("0", "0.0000000001", "10000000000000000", decimals=10)],
                                    "10.00")
    assert not by_frame
    assert (result.achievement, result.payable, result.reward) == (Fraction(10**26), 1, Decimal("10.00"))


@pytest.mark.parametrize("maximum", ["0.00", "0.07", "99999999999999999999999.99"])
def test_small_and_large_maxima(maximum):
    # 0.07 over 4 targets: 0.0175 -> 0.02 each, half up. The largest maximum (10^25 pennies,
    # beyond the frame's 2^61 for a factor) leaves the area to Python, to the penny as ever.
    rows = [target("0", "1", "1", position=p) for p in range(4)]
    results = rewards(rows, maximum)
    quarter = Fraction(Decimal(maximum)) / 4
    for result, by_frame in results:
        assert by_frame == (maximum != "99999999999999999999999.99")
        assert result.share == result.reward == (2 * quarter * 100 + 1) // 2 / Decimal(100)
