"""A: which indicators an agreement names — designated, statutory and local targets against the catalogue."""

from __future__ import annotations

from collections.abc import Iterator

from laatool.base.findings import Finding, Severity
from laatool.base.ids import is_national
from laatool.base.rule import Rule
from laatool.base.suggest import did_you_mean
from laatool.checks.agreement_kinds import (
    MAX_DESIGNATED,
    AgreementContext,
    EachAgreement,
    EachTarget,
    parts,
)


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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        first: dict[str, int] = {}
        for i, target in enumerate(doc.model.targets):
            if target.kind != "designated" or target.indicator is None:  # a group's measures are its own
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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc, indicators = agreement.doc, agreement.indicators
        for part in parts(doc):
            if part.names_indicator and part.indicator is not None and part.indicator not in indicators:
                why = agreement.workspace.unloaded(part.indicator) or did_you_mean(part.indicator, indicators)
                yield cls.at(doc, (*part.path, "indicator"), f"unknown indicator {part.indicator}{why}")


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
            yield cls.at(doc, (*part.target_path, "kind"),
                         f"{part.named}{indicator.id} is not one of the statutory indicators")


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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for part in parts(doc):
            indicator = part.indicator
            if not part.names_indicator or indicator is None or part.target.kind != "designated" \
                    or is_national(indicator):
                continue
            if part.sub is None:
                yield cls.at(doc, (*part.target_path, "kind"), f"{indicator} is a local indicator and cannot be "
                                                               "designated")
            else:  # a designated group's measure: pointed at by its indicator (the kind is the group's)
                yield cls.at(doc, (*part.path, "indicator"),
                             f"{part.label}: {indicator} is a local indicator and cannot be designated")


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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        first: dict[str, int] = {}
        for i, target in enumerate(doc.model.targets):
            if target.indicator is None:  # a target group: its sub-targets are reached by their ids
                continue
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
            yield cls.at(doc, (*part.target_path, "kind"),
                         f"{part.named}{indicator.id} is a statutory indicator but is designated")
