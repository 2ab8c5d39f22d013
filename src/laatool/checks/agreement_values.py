"""A: the values an agreement writes — baselines and targets, their direction, decimals and ranges."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from laatool.base.findings import Finding, Severity
from laatool.base.models import Indicator
from laatool.base.money import decimal_text
from laatool.base.rule import Rule
from laatool.checks.agreement_kinds import (
    AgreementContext,
    EachAgreement,
    EachTarget,
    Part,
    decimals_of,
    value_line,
    values_written,
)
from laatool.compute.polarity import better_direction, polarity_sign
from laatool.load.documents import period_line


class A238(EachTarget, Rule):
    """Blank value where a target's figure or choice is written.

    `expected_without_agreement:`, `reward:` or `interim:` written with nothing after it (a
    figure still to be agreed, a comment in its place) reads as no value at all: the reward is
    then measured from the baseline, the target's kind decides whether it is rewarded, or no
    payment is made on account, which can move the grant (or when it is paid) by the whole of
    the target's share. This names the key, so that a blank left
    while waiting for a figure is not taken for a choice.

    Failing:
        expected_without_agreement:    # to be agreed
    Passing:
        expected_without_agreement: 7.10
    """

    code = "A238"
    severity = Severity.WARNING
    hint = "write the value, or remove the key to take the default on purpose"

    BLANK = {"expected_without_agreement": "the reward is measured from the baseline, as without the key",
             "reward": "the scheme's rewarded kinds decide whether it is rewarded, as without the key",
             "interim": "nothing is paid on account for it, as without the key"}

    @classmethod
    def check_part(cls, doc, part, indicator):
        written = part.sub if part.sub is not None else part.target
        for key, meaning in cls.BLANK.items():
            if key in written.model_fields_set and getattr(written, key, None) is None:
                yield cls.at(doc, (*part.path, key), f"{part.label}: {key} is blank: {meaning}")


def direction(part: Part, indicator: Indicator) -> int:
    """+1 if the target asks for a higher value, -1 lower; by polarity for a 'maintain' target."""
    final = part.final
    if final and part.baseline is not None:
        return better_direction(indicator.polarity, part.baseline.value, final[1], None)
    return polarity_sign(indicator.polarity)


class A206(EachTarget, Rule):
    """No enhancement: `expected_without_agreement` is not short of the target.

    Reward pays for the enhancement: the gap between the final target and the performance
    expected without the agreement. When the expectation already meets the target (in the
    direction the target moves) the enhancement is zero or negative and achievement cannot
    be measured.

    Failing:
        baseline: {period: 2007-08, value: 2940}
        targets: {2010-11: 3800}
        expected_without_agreement: 3900     # already beyond the target
    Passing:
        baseline: {period: 2007-08, value: 2940}
        targets: {2010-11: 3800}
        expected_without_agreement: 3400
    """

    code = "A206"
    hint = "expected_without_agreement must fall short of the final target: check both values"

    @classmethod
    def check_part(cls, doc, part, indicator):
        if part.expected is None or part.final is None:
            return
        period, target = part.final
        sign = direction(part, indicator)
        # Neutral polarity with a 'maintain' target has no direction: only equality is wrong.
        enhancement = (target - part.expected) * sign if sign else abs(target - part.expected)
        if enhancement <= 0:
            word = "zero" if target == part.expected else "negative"
            yield cls.at(doc, (*part.path, "expected_without_agreement"),
                         f"{part.label}: expected_without_agreement {part.expected} is not short of the "
                         f"{period} target {target}: the enhancement is {word}")


class A207(EachTarget, Rule):
    """Target moves against the indicator's polarity.

    The final target is worse than the baseline by the indicator's polarity (lower where
    higher is better, or the reverse). Sometimes intended (a recession), often a slip.

    Failing:
        indicator: NI 154        # higher is better
        baseline: {period: 2007-08, value: 2940}
        targets: {2010-11: 2800}
    Passing:
        indicator: NI 154
        baseline: {period: 2007-08, value: 2940}
        targets: {2010-11: 3800}
    """

    code = "A207"
    severity = Severity.WARNING
    hint = "check the target and the baseline; if the change is intended, note why in the agreement"

    @classmethod
    def check_part(cls, doc, part, indicator):
        if part.final is None or part.baseline is None:
            return
        period, target = part.final
        base = part.baseline.value
        worse = (indicator.polarity == "higher" and target < base) or (indicator.polarity == "lower" and target > base)
        if worse:
            line, column = period_line(doc, (*part.path, "targets"), period)
            side = "below" if target < base else "above"
            yield cls.finding(f"{part.label}: the {period} target {target:f} is {side} the baseline {base:f}, "
                              f"but {indicator.polarity} is better for {indicator.id}",
                              file=doc.file, line=line, column=column)


class A216(EachTarget, Rule):
    """Value with more decimals than the indicator publishes.

    A baseline or target written more precisely than the indicator's `decimals` cannot be
    told apart from its neighbours in published data (`23.15` for a one-decimal indicator).

    Failing:
        indicator: NI 8            # decimals: 1
        targets: {2010-11: 23.15}
    Passing:
        indicator: NI 8
        targets: {2010-11: 23.2}
    """

    code = "A216"
    severity = Severity.WARNING
    hint = "round the value to the indicator's published decimals"

    @classmethod
    def check_part(cls, doc, part, indicator):
        for what, value, path, period in values_written(part):
            if decimals_of(value) > indicator.decimals:
                line, column = value_line(doc, path, period)
                yield cls.finding(f"{part.label}: {what} {value:f} has more decimals than {indicator.id} "
                                  f"publishes ({indicator.decimals})", file=doc.file, line=line, column=column)


class A217(EachTarget, Rule):
    """Baseline or target out of the indicator's range.

    A value outside the indicator's valid range (a percentage defaults to 0..100) cannot be
    achieved or reported.

    Failing:
        indicator: NI 75            # percent
        targets: {2010-11: 105}
    Passing:
        indicator: NI 75
        targets: {2010-11: 55.0}
    """

    code = "A217"
    hint = "check the value and its unit (a percentage is written 55.0, not 0.55 or 5500)"

    @classmethod
    def check_part(cls, doc, part, indicator):
        bounds = indicator.valid_range
        for what, value, path, period in values_written(part):
            if (bounds.min is not None and value < bounds.min) or (bounds.max is not None and value > bounds.max):
                line, column = value_line(doc, path, period)
                # the value as written (`120.50`), every digit and no exponent, as A207 quotes it
                yield cls.finding(f"{part.label}: {what} {value:f} is outside {indicator.id}'s range "
                                  f"{_range_text(bounds.min, bounds.max)}", file=doc.file, line=line, column=column)


def _range_text(low: Decimal | None, high: Decimal | None) -> str:
    return f"{'-inf' if low is None else decimal_text(low)}..{'inf' if high is None else decimal_text(high)}"


class A218(EachAgreement, Rule):
    """Target without target values.

    A target with no values in `targets` cannot be scored. A target agreed before data
    existed is marked `placeholder: true`; a sub-target needs values of its own. (A target
    that is not a placeholder needs a `baseline` too: without one it is S003 instead.)

    Failing:
        - indicator: NI 7
          kind: designated
          baseline: {period: 2007-08, value: 20}
          targets: {}
    Passing:
        - indicator: NI 7
          kind: designated
          baseline: {period: 2007-08, value: 20}
          targets: {}
          placeholder: true
    """

    code = "A218"
    hint = "add the target values, or mark the target placeholder: true"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for i, target in enumerate(doc.model.targets):
            if target.placeholder or (target.group is not None and not target.subtargets):  # A225's
                continue
            # at its `targets: {}` when it has one written empty, else at the target
            if not target.targets and not any(sub.targets for sub in target.subtargets):
                yield cls.at(doc, ("targets", i, "targets"),
                             f"{target.label} has no target values and is not a placeholder")
                continue
            for j, sub in enumerate(target.subtargets):
                if not sub.targets:
                    yield cls.at(doc, ("targets", i, "subtargets", j, "targets"),
                                 f"{target.label} sub-target '{sub.id}' has no target values")
