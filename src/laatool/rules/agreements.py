"""A: agreements — the targets an area agreed, checked against the catalogue and the schemes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from laatool.documents import Loaded, read_yaml
from laatool.findings import Finding, Severity
from laatool.ids import IdentifierError, is_national, parse_period
from laatool.models import Agreement, Baseline, Indicator, SubTarget, Target
from laatool.numbers import EXACT
from laatool.rules import REGISTRY, Rule
from laatool.workspace import Workspace

MAX_DESIGNATED = 35


@dataclass(frozen=True)
class Part:
    """A target or one of its sub-targets: what is scored on its own, and where it is written."""

    path: tuple[str | int, ...]
    target: Target
    sub: SubTarget | None

    @property
    def label(self) -> str:
        return f"{self.target.indicator} sub-target '{self.sub.id}'" if self.sub else self.target.indicator

    @property
    def baseline(self) -> Baseline | None:
        return self.sub.baseline if self.sub else self.target.baseline

    @property
    def values(self) -> dict[str, Decimal]:
        return self.sub.targets if self.sub else self.target.targets

    @property
    def expected(self) -> Decimal | None:
        return self.sub.expected_without_agreement if self.sub else self.target.expected_without_agreement

    @property
    def final(self) -> tuple[str, Decimal] | None:
        """The last target period and its value (periods are kept sorted by the model)."""
        return list(self.values.items())[-1] if self.values else None


def parts(doc: Loaded[Agreement]) -> Iterator[Part]:
    for i, target in enumerate(doc.model.targets):
        yield Part(("targets", i), target, None)
        for j, sub in enumerate(target.subtargets):
            yield Part(("targets", i, "subtargets", j), target, sub)


def raw_at(doc: Loaded[Agreement], path: tuple) -> Any:
    data = doc.located.data
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def period_line(doc: Loaded[Agreement], path: tuple, period: str) -> tuple[int, int]:
    """Line and column of the key of `period` in the mapping at `path`, however it was written."""
    mapping = raw_at(doc, path)
    for key in mapping if isinstance(mapping, dict) else ():
        try:
            if str(parse_period(key)) == period:
                return doc.line_of(*path, key)
        except IdentifierError:
            continue
    return doc.line_of(*path)


def decimals_of(value: Decimal) -> int:
    return max(0, -value.normalize(EXACT).as_tuple().exponent)  # every digit: 30 may be written


def values_written(part: Part) -> Iterator[tuple[str, Decimal, tuple, str | None]]:
    """Every number of a (sub-)target: (what it is, value, path, period) — see `value_line`."""
    if part.baseline is not None:
        yield "baseline", part.baseline.value, (*part.path, "baseline", "value"), None
    for period, value in part.values.items():
        yield f"target {period}", value, (*part.path, "targets"), period
    if part.expected is not None:
        yield "expected_without_agreement", part.expected, (*part.path, "expected_without_agreement"), None


def value_line(doc: Loaded[Agreement], path: tuple, period: str | None) -> tuple[int, int]:
    """Where a value of `values_written` is (looked up only for a finding: it costs a search)."""
    return period_line(doc, path, period) if period else doc.line_of(*path)


class EachAgreement:
    """Mixin: a rule that looks at one agreement at a time, with the workspace for context."""

    @classmethod
    def check(cls, workspace: Workspace) -> Iterator[Finding]:
        indicators = workspace.indicators  # built afresh on each access
        for area, doc in sorted(workspace.agreement_docs.items()):
            yield from cls.check_one(area, doc, indicators, workspace)

    @classmethod
    def check_one(cls, area: str, doc: Loaded[Agreement], indicators: dict[str, Indicator],
                  workspace: Workspace) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def at(cls, doc: Loaded[Agreement], path: tuple, message: str) -> Finding:
        line, column = doc.line_of(*path)
        return cls.finding(message, file=doc.file, line=line, column=column)


class EachTarget(EachAgreement):
    """Mixin: a rule about one target (or sub-target) on a known, active indicator."""

    subtargets = True

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        for part in parts(doc):
            indicator = indicators.get(part.target.indicator)
            if indicator is not None and (cls.subtargets or part.sub is None):
                yield from cls.check_part(doc, part, indicator)

    @classmethod
    def check_part(cls, doc: Loaded[Agreement], part: Part, indicator: Indicator) -> Iterator[Finding]:
        raise NotImplementedError


class A201(EachAgreement, Rule):
    """More than 35 designated targets.

    An LAA holds at most 35 designated improvement targets from the National Indicator Set
    (besides the 16 statutory ones and any local ones). The finding points at the 36th.

    Failing:
        targets:            # 36 entries with kind: designated
          - {indicator: NI 1, kind: designated, ...}
          - ...
    Passing:
        targets:            # at most 35 designated; more can be kind: local
          - {indicator: NI 1, kind: designated, ...}
    """

    code = "A201"
    hint = "keep at most 35 designated targets; make the others local targets or drop them"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        designated = [i for i, t in enumerate(doc.model.targets) if t.kind == "designated"]
        if len(designated) > MAX_DESIGNATED:
            yield cls.at(doc, ("targets", designated[MAX_DESIGNATED]),
                         f"{len(designated)} designated targets: an agreement may hold at most "
                         f"{MAX_DESIGNATED} (this is number {MAX_DESIGNATED + 1})")


class A202(EachAgreement, Rule):
    """Indicator designated twice.

    Each national indicator can be designated once in an agreement; two designated targets
    on one indicator would be scored and rewarded twice. Use sub-targets to split it.

    Failing:
        - {indicator: NI 154, kind: designated, ...}
        - {indicator: NI154, kind: designated, ...}
    Passing:
        - indicator: NI 154
          kind: designated
          subtargets: [{id: north, ...}, {id: south, ...}]
    """

    code = "A202"
    hint = "merge the two targets into one, with sub-targets if the parts are measured separately"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        first: dict[str, int] = {}
        for i, target in enumerate(doc.model.targets):
            if target.kind != "designated":
                continue
            if target.indicator in first:
                yield cls.at(doc, ("targets", i, "indicator"),
                             f"{target.indicator} is designated twice (first at line "
                             f"{doc.line_of('targets', first[target.indicator])[0]})")
            else:
                first[target.indicator] = i


class A203(EachAgreement, Rule):
    """Unknown indicator in an agreement.

    The target's indicator is neither a national indicator nor defined in the workspace's
    `indicators/` folder, so it cannot be scored.

    Failing:
        - indicator: LEEDS-99      # no indicators/LEEDS-99.yaml
    Passing:
        - indicator: LEEDS-01      # defined in indicators/LEEDS-01.yaml
    """

    code = "A203"
    hint = "correct the id, or define the local indicator in the workspace's indicators/ folder"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        for i, target in enumerate(doc.model.targets):
            if target.indicator not in indicators:
                yield cls.at(doc, ("targets", i, "indicator"), f"unknown indicator {target.indicator}")


class A204(EachTarget, Rule):
    """Target on a deleted indicator.

    NI 31 was dropped before the National Indicator Set started; no target can be set or
    scored against a deleted indicator.

    Failing:
        - {indicator: NI 31, kind: designated, ...}
    Passing:
        - {indicator: NI 30, kind: designated, ...}
    """

    code = "A204"
    hint = "choose an active indicator (see `laatool indicators`)"
    subtargets = False

    @classmethod
    def check_part(cls, doc, part, indicator):
        if indicator.status == "deleted":
            yield cls.at(doc, (*part.path, "indicator"), f"{indicator.id} is a deleted indicator")


class A205(EachAgreement, Rule):
    """Target period outside the agreement.

    Every target period must fall in one of the agreement's `periods` (a calendar year counts
    towards the agreement year that begins in it: 2009 towards 2009-10).

    Failing:
        periods: [2008-09, 2009-10, 2010-11]
        targets: {2011-12: 3800}
    Passing:
        periods: [2008-09, 2009-10, 2010-11]
        targets: {2010-11: 3800}
    """

    code = "A205"
    hint = "use one of the agreement's periods, or add the period to `periods`"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        agreed = {parse_period(p) for p in doc.model.periods}
        for part in parts(doc):
            for period in part.values:
                if parse_period(period).agreement_year not in agreed:
                    line, column = period_line(doc, (*part.path, "targets"), period)
                    yield cls.finding(f"{part.label}: target period {period} is not one of the agreement's "
                                      f"periods ({', '.join(doc.model.periods)})",
                                      file=doc.file, line=line, column=column)


def direction(part: Part, indicator: Indicator) -> int:
    """+1 if the target asks for a higher value, -1 lower; by polarity for a 'maintain' target."""
    final = part.final
    if final and part.baseline is not None and final[1] != part.baseline.value:
        return 1 if final[1] > part.baseline.value else -1
    return {"higher": 1, "lower": -1}.get(indicator.polarity, 0)


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
            yield cls.finding(f"{part.label}: the {period} target {target} is {side} the baseline {base}, "
                              f"but {indicator.polarity} is better for {indicator.id}",
                              file=doc.file, line=line, column=column)


class A208(EachAgreement, Rule):
    """Agreement `area` differs from its file name.

    The area slug used on the command line is the file name; an `area` that says something
    else would make `--area` pick the wrong agreement.

    Failing:
        agreements/leeds.yaml
          area: bradford
    Passing:
        agreements/leeds.yaml
          area: leeds
    """

    code = "A208"
    hint = "make `area` equal the file name (or rename the file)"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        stem = PurePosixPath(doc.file).stem
        if doc.model.area != stem:
            yield cls.at(doc, ("area",), f"area '{doc.model.area}' differs from the file name '{stem}'")


class A209(EachTarget, Rule):
    """Statutory target on an indicator that is not statutory.

    `kind: statutory` is for the 16 statutory education and early-years indicators only.

    Failing:
        - {indicator: NI 154, kind: statutory, ...}
    Passing:
        - {indicator: NI 75, kind: statutory, ...}
    """

    code = "A209"
    hint = "use kind: designated or local, or check the indicator id"
    subtargets = False

    @classmethod
    def check_part(cls, doc, part, indicator):
        if part.target.kind == "statutory" and not indicator.statutory:
            yield cls.at(doc, (*part.path, "kind"), f"{indicator.id} is not one of the statutory indicators")


class A210(EachAgreement, Rule):
    """Designated target on a local indicator.

    Designated targets are drawn from the National Indicator Set; a local indicator can only
    carry a local target.

    Failing:
        - {indicator: LEEDS-01, kind: designated, ...}
    Passing:
        - {indicator: LEEDS-01, kind: local, ...}
    """

    code = "A210"
    hint = "use kind: local for a local indicator"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        for i, target in enumerate(doc.model.targets):
            if target.kind == "designated" and not is_national(target.indicator):
                yield cls.at(doc, ("targets", i, "kind"),
                             f"{target.indicator} is a local indicator and cannot be designated")


class A211(EachAgreement, Rule):
    """Baseline period not before the first target period.

    A baseline is the value before the agreement's improvement starts; it must be for an
    earlier period than the first target (compared as agreement years).

    Failing:
        baseline: {period: 2008-09, value: 2940}
        targets: {2008-09: 3200, 2009-10: 3500}
    Passing:
        baseline: {period: 2007-08, value: 2940}
        targets: {2008-09: 3200, 2009-10: 3500}
    """

    code = "A211"
    hint = "use the latest period before the targets start as the baseline"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        for part in parts(doc):
            if part.baseline is None or not part.values:
                continue
            first = next(iter(part.values))
            if parse_period(part.baseline.period).agreement_year >= parse_period(first).agreement_year:
                yield cls.at(doc, (*part.path, "baseline", "period"),
                             f"{part.label}: baseline period {part.baseline.period} is not before the first "
                             f"target period {first}")


class A212(EachAgreement, Rule):
    """Sub-target id used twice.

    Each sub-target of a target is scored and rewarded on its own and matched to returns by
    its id, so ids must differ within a target.

    Failing:
        subtargets:
          - {id: north, ...}
          - {id: north, ...}
    Passing:
        subtargets:
          - {id: north, ...}
          - {id: south, ...}
    """

    code = "A212"
    hint = "give each sub-target its own id"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        for i, target in enumerate(doc.model.targets):
            seen: set[str] = set()
            for j, sub in enumerate(target.subtargets):
                if sub.id in seen:
                    yield cls.at(doc, ("targets", i, "subtargets", j, "id"),
                                 f"{target.indicator}: sub-target id '{sub.id}' is used twice")
                seen.add(sub.id)


class A213(EachAgreement, Rule):
    """Unknown reward scheme.

    `reward.scheme` must name a bundled scheme (`lpsa2`, `final-2011`) or one in the
    workspace's `schemes/` folder.

    Failing:
        reward: {scheme: lpsa3, maximum: 12500000}
    Passing:
        reward: {scheme: lpsa2, maximum: 12500000}
    """

    code = "A213"
    hint = "name a known scheme (bundled: lpsa2, final-2011) or add schemes/<name>.yaml"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        reward = doc.model.reward
        if reward and reward.scheme and reward.scheme not in workspace.schemes:
            known = ", ".join(sorted(workspace.schemes)) or "none"
            yield cls.at(doc, ("reward", "scheme"), f"unknown reward scheme '{reward.scheme}' (known: {known})")


class A214(Rule):
    """Unknown default reward scheme.

    `default_scheme` in `laatool.yaml` is the scheme of every agreement that names none; it
    must be a bundled scheme or one in the workspace's `schemes/` folder.

    Failing:
        default_scheme: lpsa3
    Passing:
        default_scheme: lpsa2
    """

    code = "A214"
    hint = "name a known scheme (bundled: lpsa2, final-2011) or add schemes/<name>.yaml"

    @classmethod
    def check(cls, workspace: Workspace) -> Iterator[Finding]:
        name = workspace.settings.default_scheme
        if name in workspace.schemes:
            return
        known = ", ".join(sorted(workspace.schemes)) or "none"
        located, _ = read_yaml(workspace.root / "laatool.yaml", "laatool.yaml", workspace.root)
        mark = located.locate(("default_scheme",)) if located else None
        yield cls.finding(f"unknown default scheme '{name}' (known: {known})", file="laatool.yaml",
                          line=mark.line if mark else 1, column=mark.column if mark else 1)


class A215(EachAgreement, Rule):
    """Reward without a maximum.

    A `reward` block needs `maximum` (£) or `net_budget_requirement` (£, summed in two-tier
    areas) for the grant to be calculated.

    Failing:
        reward: {scheme: lpsa2}
    Passing:
        reward: {scheme: lpsa2, maximum: 12500000.00}
    """

    code = "A215"
    severity = Severity.WARNING
    hint = "add reward.maximum, or reward.net_budget_requirement"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        reward = doc.model.reward
        if reward and reward.maximum is None and reward.net_budget_requirement is None:
            yield cls.at(doc, ("reward",), "the reward has neither a maximum nor a net_budget_requirement")


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
                yield cls.finding(f"{part.label}: {what} {value} has more decimals than {indicator.id} "
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
                yield cls.finding(f"{part.label}: {what} {value} is outside {indicator.id}'s range "
                                  f"{_range_text(bounds.min, bounds.max)}", file=doc.file, line=line, column=column)


def _range_text(low: Decimal | None, high: Decimal | None) -> str:
    return f"{'-inf' if low is None else low}..{'inf' if high is None else high}"


class A218(EachAgreement, Rule):
    """Target without target values.

    A target with no values in `targets` cannot be scored. A target agreed before data
    existed is marked `placeholder: true`; a sub-target needs values of its own.

    Failing:
        - {indicator: NI 7, kind: designated, targets: {}}
    Passing:
        - {indicator: NI 7, kind: designated, targets: {}, placeholder: true}
    """

    code = "A218"
    hint = "add the target values, or mark the target placeholder: true"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        for i, target in enumerate(doc.model.targets):
            if target.placeholder:
                continue
            if not target.targets and not any(sub.targets for sub in target.subtargets):
                yield cls.at(doc, ("targets", i), f"{target.indicator} has no target values and is not a placeholder")
                continue
            for j, sub in enumerate(target.subtargets):
                if not sub.targets:
                    yield cls.at(doc, ("targets", i, "subtargets", j),
                                 f"{target.indicator} sub-target '{sub.id}' has no target values")


class A219(EachAgreement, Rule):
    """Agreement periods are not consecutive financial years.

    `periods` lists the agreement's years, e.g. `[2008-09, 2009-10, 2010-11]`: whole
    financial years, each once, with no gap.

    Failing:
        periods: [2008-09, 2010-11, 2010-11 Q1]
    Passing:
        periods: [2008-09, 2009-10, 2010-11]
    """

    code = "A219"
    hint = "list the agreement's financial years in order, e.g. [2008-09, 2009-10, 2010-11]"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        seen: set = set()
        for k, text in enumerate(doc.model.periods):
            period = parse_period(text)
            if period.quarter or period.calendar:
                yield cls.at(doc, ("periods", k), f"period {text} is not a financial year")
            elif period in seen:
                yield cls.at(doc, ("periods", k), f"period {text} is listed twice")
            seen.add(period)
        starts = sorted({p.start for p in seen if not p.quarter and not p.calendar})
        if starts and starts != list(range(starts[0], starts[-1] + 1)):
            yield cls.at(doc, ("periods",), f"the periods {', '.join(doc.model.periods)} leave a gap")


class A220(EachAgreement, Rule):
    """Indicator in two targets.

    The same indicator appears in two targets (other than designated twice, which is A202):
    they share every return, so one of them is usually a slip.

    Failing:
        - {indicator: NI 75, kind: statutory, ...}
        - {indicator: NI 75, kind: local, ...}
    Passing:
        - {indicator: NI 75, kind: statutory, ...}
    """

    code = "A220"
    severity = Severity.WARNING
    hint = "keep one target per indicator; use sub-targets for parts of an area"

    @classmethod
    def check_one(cls, area, doc, indicators, workspace):
        first: dict[str, int] = {}
        for i, target in enumerate(doc.model.targets):
            earlier = first.get(target.indicator)
            if earlier is None:
                first[target.indicator] = i
            elif not (target.kind == "designated" and doc.model.targets[earlier].kind == "designated"):
                yield cls.at(doc, ("targets", i, "indicator"),
                             f"{target.indicator} is also the target at line {doc.line_of('targets', earlier)[0]}")


class A221(EachTarget, Rule):
    """Statutory indicator given as a designated target.

    The 16 statutory education and early-years targets sit beside the 35 designated ones;
    designating a statutory indicator uses up a designated place and changes its reward.

    Failing:
        - {indicator: NI 75, kind: designated, ...}
    Passing:
        - {indicator: NI 75, kind: statutory, ...}
    """

    code = "A221"
    severity = Severity.WARNING
    hint = "use kind: statutory for a statutory indicator"
    subtargets = False

    @classmethod
    def check_part(cls, doc, part, indicator):
        if part.target.kind == "designated" and indicator.statutory:
            yield cls.at(doc, (*part.path, "kind"), f"{indicator.id} is a statutory indicator but is designated")


RULES = [rule for code, rule in sorted(REGISTRY.items()) if code.startswith("A")]


def check_agreements(workspace: Workspace) -> list[Finding]:
    """Every A finding over the workspace's agreements (those that loaded)."""
    return [finding for rule in RULES for finding in rule.check(workspace)]
