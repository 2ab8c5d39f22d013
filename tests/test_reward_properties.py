"""Invariants of the reward arithmetic (hypothesis): bounds, monotonicity, exact splits."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from laatool.base.models import Agreement, Scheme
from laatool.compute.polarity import better_direction
from laatool.compute.reward import Earned, achievement_of, area_grant, maximum_of, measure, needed
from test_reward_frame import rewards, target

FAST = settings(max_examples=150, deadline=None)

values = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False,
                     allow_infinity=False)
ratios = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)
caps = st.decimals(min_value=Decimal("0.01"), max_value=1, places=2, allow_nan=False,
                   allow_infinity=False)
pennies = st.integers(min_value=0, max_value=10**11).map(lambda p: Decimal(p).scaleb(-2))


def scheme(threshold=Decimal("0.6"), cap=Decimal(1), revenue_share=Decimal("0.5"),
           instalments=(Decimal("0.5"), Decimal("0.5")), adjustment=Decimal(1)) -> Scheme:
    return Scheme(name="test", title="Test", maximum_rate=Decimal("0.025"),
                  rewarded_kinds=["designated"], threshold=threshold, cap=max(cap, threshold),  # S003 below it
                  revenue_share=revenue_share, instalments=list(instalments),
                  adjustment=adjustment)


def row(start, target, actual, polarity="higher", decimals=2, position=0, count=1) -> dict:
    return {
        "indicator": "NI 1", "subtarget": None, "kind": "designated", "title": "",
        "start": start, "final_target": target, "actual": actual, "baseline": start,
        "polarity": polarity, "decimals": decimals, "final_year": "2010-11",
        "measured_from": "baseline", "provisional": False, "position": position,
        "targets_in_area": count, "parts_of_target": 1,
    }


@FAST
@given(start=values, target=values, actual=values, share=pennies, threshold=ratios, cap=caps,
       polarity=st.sampled_from(["higher", "lower", "neutral"]))
def test_a_reward_stays_between_nothing_and_its_share(start, target, actual, share, threshold,
                                                      cap, polarity):
    rules = scheme(threshold=threshold, cap=cap)
    result = measure(row(start, target, actual, polarity), Fraction(share) / 3, rules)
    assert Decimal(0) <= result.reward <= result.share
    assert result.at_stake == result.share - result.reward >= 0
    assert 0 <= result.payable <= Fraction(rules.cap)


@FAST
@given(start=values, gain=values, first=values, step=st.decimals(min_value=0, max_value=5000,
       places=2), threshold=ratios, polarity=st.sampled_from(["higher", "lower"]))
def test_a_reward_never_falls_when_the_actual_improves(start, gain, first, step, threshold,
                                                       polarity):
    sign = 1 if polarity == "higher" else -1
    target = start + sign * abs(gain)  # a target in the direction of the polarity (or maintain)
    worse, better = first, first + sign * step
    rules = scheme(threshold=threshold)
    share = Fraction(1_000_000, 3)
    low = measure(row(start, target, worse, polarity), share, rules)
    high = measure(row(start, target, better, polarity), share, rules)
    assert high.reward >= low.reward


@FAST
@given(start=values, target=values, threshold=ratios, decimals=st.integers(0, 3))
def test_the_needed_value_earns_the_threshold_and_one_step_less_does_not(start, target,
                                                                          threshold, decimals):
    better = better_direction("higher", start, target, start)
    if target == start:
        return
    value = needed(start, target, threshold, decimals, better)
    assert achievement_of(value, start, target, better) >= Fraction(threshold)
    easier = value - better * Decimal(1).scaleb(-decimals)
    assert achievement_of(easier, start, target, better) < Fraction(threshold)
    assert needed(start, target, Decimal(1), decimals, better) * better >= target * better


@FAST
@given(maximum=pennies, actuals=st.lists(values, min_size=1,
       max_size=40), revenue_share=st.decimals(min_value=0, max_value=1, places=4),
       adjustment=st.decimals(min_value=0, max_value=1, places=3),
       weights=st.lists(st.integers(1, 100), min_size=1, max_size=4))
def test_every_split_adds_up_to_the_penny(maximum, actuals, revenue_share, adjustment,
                                          weights):
    shares = [Decimal(w).scaleb(-2) for w in weights]  # each 0.01..1.00; the last one closes
    shares[-1] = Decimal(1) - sum(shares[:-1])
    if shares[-1] < 0:
        shares = [Decimal(1)]
    rules = scheme(revenue_share=revenue_share, instalments=shares, adjustment=adjustment,
                   threshold=Decimal(0))
    agreement = Agreement(area="x", name="X", periods=["2010-11"], reward={"maximum": maximum})
    top = maximum_of(agreement, rules)
    targets = [measure(row(Decimal(0), Decimal(100), actual, position=i, count=len(actuals)),
                       Fraction(top) / len(actuals), rules) for i, actual in enumerate(actuals)]
    area = area_grant("x", agreement, rules, top, Earned(sum((t.reward for t in targets), Decimal(0)),
                                                         reward_targets=len(actuals)))
    assert area.revenue + area.capital == area.total
    assert sum(area.instalments) == area.total
    assert len(area.instalments) == len(shares)
    expected = Fraction(area.earned) * Fraction(adjustment)
    assert abs(Fraction(area.total) - expected) <= Fraction(1, 200)
    assert all(value == value.quantize(Decimal("0.01")) for value in
               [area.total, area.revenue, area.capital, *area.instalments])


# Values of every size Decimal(38, 10) holds: everyday ones, tiny ones and ones near its limit.
everyday = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
tiny = st.decimals(min_value=-1, max_value=1, places=10, allow_nan=False, allow_infinity=False)
huge = st.decimals(min_value=-9 * 10**27, max_value=9 * 10**27, places=0, allow_nan=False,
                   allow_infinity=False)
anything = st.one_of(everyday, everyday, tiny, huge)
fine_ratios = st.decimals(min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False)
fine_caps = st.decimals(min_value=Decimal("0.0001"), max_value=3, places=4, allow_nan=False,
                        allow_infinity=False)


@st.composite
def reward_targets(draw, values):
    """Up to six rows (some of them sub-targets of one target), maintain targets among them."""
    rows = []
    for part in range(draw(st.integers(1, 6))):
        start = draw(st.one_of(values, st.none()) if part == 0 else values)
        goal = start if draw(st.booleans()) else draw(st.one_of(values, st.none()))
        rows.append(target(start, goal, draw(st.one_of(values, st.none())),
                           polarity=draw(st.sampled_from(["higher", "lower", "neutral"])),
                           decimals=draw(st.integers(0, 10)), baseline=draw(st.one_of(values, st.none())),
                           position=draw(st.integers(0, 2)) if part else 0))
    return sorted(rows, key=lambda r: r["position"])


def same_as_measure(rows, maximum, rules):
    """Each row's reward from the frame path, checked against `measure`; which path gave each."""
    results = rewards(rows, str(maximum), rules)
    for built, (result, _) in zip(rows, results, strict=True):
        share = Fraction(maximum) / built["targets_in_area"] / built["parts_of_target"]
        assert result == measure(built, share, rules)
    return [by_frame for _, by_frame in results]


@FAST
@given(rows=reward_targets(anything), maximum=st.integers(0, 10**20).map(lambda p: Decimal(p).scaleb(-2)),
       threshold=fine_ratios, cap=fine_caps)
def test_the_frame_gives_what_measure_gives(rows, maximum, threshold, cap):
    same_as_measure(rows, maximum, scheme(threshold=threshold, cap=cap))


@FAST
@given(rows=reward_targets(st.one_of(everyday, tiny)), maximum=pennies, threshold=fine_ratios,
       cap=fine_caps)
def test_everyday_figures_never_leave_the_frame(rows, maximum, threshold, cap):
    assert all(same_as_measure(rows, maximum, scheme(threshold=threshold, cap=cap)))
