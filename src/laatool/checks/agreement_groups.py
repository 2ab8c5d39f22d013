"""A: target groups (DESIGN.md §6.1) — a `group` target holds nothing of its own but its
sub-targets, and each of those names the indicator it is measured on."""

from __future__ import annotations

from collections.abc import Iterator

from laatool.base.findings import Finding
from laatool.base.rule import Rule
from laatool.checks.agreement_kinds import AgreementContext, EachAgreement

# What a group may not write itself: its measures' values belong to its sub-targets.
OWN_VALUES = ("indicator", "baseline", "targets", "expected_without_agreement", "interim")


class A225(EachAgreement, Rule):
    """Target group without sub-targets.

    A target group is one reward target whose share is split among its sub-targets, each a
    measure on its own indicator; without sub-targets there is nothing to score or reward.

    Failing:
        - group: transport
          title: Public transport
          kind: designated
    Passing:
        - group: transport
          title: Public transport
          kind: designated
          subtargets:
            - {id: bus-journeys, indicator: NI 177, baseline: …, targets: …}
    """

    code = "A225"
    hint = "add the group's measures under `subtargets`, each with its indicator, baseline and targets"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for i, target in enumerate(doc.model.targets):
            if target.group is not None and not target.subtargets:
                yield cls.at(doc, ("targets", i, "group"), f"{target.label} has no sub-targets")


class A226(EachAgreement, Rule):
    """Target group's sub-target without an indicator.

    A target group has no indicator of its own: each of its sub-targets is scored and
    measured on the indicator it names.

    Failing:
        - group: transport
          subtargets:
            - {id: bus-journeys, baseline: …, targets: …}
    Passing:
        - group: transport
          subtargets:
            - {id: bus-journeys, indicator: NI 177, baseline: …, targets: …}
    """

    code = "A226"
    hint = "give the sub-target the indicator it is measured on (indicator: NI …)"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for i, target in enumerate(doc.model.targets):
            for j, sub in enumerate(target.subtargets):
                if target.group is not None and sub.indicator is None:
                    yield cls.at(doc, ("targets", i, "subtargets", j),
                                 f"{target.label} sub-target '{sub.id}' names no indicator")


class A227(EachAgreement, Rule):
    """Target group with an indicator, baseline or targets of its own.

    A target group is measured only through its sub-targets: its `indicator`, `baseline`,
    `targets`, `expected_without_agreement` and `interim` would be ignored, so they are
    refused. Each belongs on the sub-target it measures.

    Failing:
        - group: transport
          indicator: NI 177
          baseline: {period: 2007-08, value: 68400000}
    Passing:
        - group: transport
          subtargets:
            - {id: bus-journeys, indicator: NI 177, baseline: {period: 2007-08, value: 68400000}, …}
    """

    code = "A227"
    hint = "move the key to the sub-target it measures, or make the target an ordinary one (no `group`)"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for i, target in enumerate(doc.model.targets):
            if target.group is None:
                continue
            for key in OWN_VALUES:
                if getattr(target, key):
                    yield cls.at(doc, ("targets", i, key),
                                 f"{target.label} has `{key}` of its own; a group's measures are its sub-targets")


class A228(EachAgreement, Rule):
    """Target-group key on a target that is not a group.

    `title` and a sub-target's `indicator` belong to target groups (`group: <slug>`). On an
    ordinary target they would be ignored: its sub-targets are parts of its own indicator.

    Failing:
        - indicator: NI 154
          title: Housing
          subtargets:
            - {id: north, indicator: NI 155, …}
    Passing:
        - group: housing
          title: Housing
          subtargets:
            - {id: north, indicator: NI 155, …}
    """

    code = "A228"
    hint = "make the target a group (group: <slug>, no indicator of its own), or remove the key"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for i, target in enumerate(doc.model.targets):
            if target.group is not None:
                continue
            if target.title is not None:
                yield cls.at(doc, ("targets", i, "title"), f"{target.label} has a title but is not a target group")
            for j, sub in enumerate(target.subtargets):
                if sub.indicator is not None:
                    yield cls.at(doc, ("targets", i, "subtargets", j, "indicator"),
                                 f"{target.label} sub-target '{sub.id}' names indicator {sub.indicator}, but only "
                                 "a target group's sub-targets name their own")


class A229(EachAgreement, Rule):
    """Target group slug used twice.

    Each target group is one reward target, named on every output row by its slug; two groups
    with one slug could not be told apart.

    Failing:
        - {group: transport, …}
        - {group: transport, …}
    Passing:
        - {group: transport, …}
        - {group: roads, …}
    """

    code = "A229"
    hint = "give each target group its own slug, or merge their sub-targets into one group"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        first: dict[str, int] = {}
        for i, target in enumerate(doc.model.targets):
            if target.group is None:
                continue
            earlier = first.setdefault(target.group, i)
            if earlier != i:
                yield cls.at(doc, ("targets", i, "group"), f"group {target.group} is also the target at line "
                                                           f"{doc.line_of('targets', earlier)[0]}")
