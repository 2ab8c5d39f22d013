"""A: the agreement's reward — its scheme, its maximum, and the final-year targets it pays on."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import PurePosixPath

from laatool.base.findings import Finding, Severity
from laatool.base.ids import Period, parse_period
from laatool.base.money import decimal_text, to_penny
from laatool.base.rule import Rule
from laatool.base.suggest import did_you_mean
from laatool.checks.agreement_kinds import AgreementContext, AgreementRule, EachAgreement, parts
from laatool.load.documents import read_yaml
from laatool.load.workspace import Workspace


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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc, workspace = agreement.doc, agreement.workspace
        reward = doc.model.reward
        if reward and reward.scheme and reward.scheme not in workspace.schemes:
            unloaded = sorted({f.file for f in workspace.findings if f.severity is Severity.ERROR
                               and PurePosixPath(f.file).parent == PurePosixPath(workspace.settings.schemes)
                               and PurePosixPath(f.file).stem == reward.scheme})
            if unloaded:  # not unknown: its file is there, and its own findings say what to mend
                line, column = doc.line_of("reward", "scheme")
                yield cls.finding(f"reward scheme '{reward.scheme}' is not loaded: {unloaded[0]}, which may give it, "
                                  "has errors", file=doc.file, line=line, column=column,
                                  hint=f"mend {unloaded[0]} (its findings say how); the scheme is then known")
                return
            known = ", ".join(sorted(workspace.schemes)) or "none"
            guess = did_you_mean(reward.scheme, sorted(workspace.schemes))
            yield cls.at(doc, ("reward", "scheme"), f"unknown reward scheme '{reward.scheme}'{guess} (known: {known})")


class A214(AgreementRule):
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
        located, _ = read_yaml(workspace.root / "laatool.yaml", "laatool.yaml", workspace.root, workspace.read,
                                 document=True)
        mark = located.locate(("default_scheme",)) if located else None
        guess = did_you_mean(name, sorted(workspace.schemes))
        yield cls.finding(f"unknown default scheme '{name}'{guess} (known: {known})", file="laatool.yaml",
                          line=mark.line if mark else 1, column=mark.column if mark else 1)


class A215(EachAgreement, Rule):
    """Reward without a maximum.

    A `reward` block needs `maximum` (£) or `net_budget_requirement` (£, summed in two-tier
    areas) for the grant to be calculated. `reward:` written with nothing after it (a comment
    in its place) is a reward without one too: the agreement pays nothing, as it would without
    the key, and this says so rather than take the blank for a choice.

    Failing:
        reward: {scheme: lpsa2}
        reward:    # to be agreed
    Passing:
        reward: {scheme: lpsa2, maximum: 12500000.00}
    """

    code = "A215"
    severity = Severity.WARNING
    hint = "add reward.maximum, or reward.net_budget_requirement"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        reward = doc.model.reward
        if reward is None and "reward" in doc.model.model_fields_set:
            yield cls.at(doc, ("reward",), "the reward is blank: the agreement pays nothing, as without the key")
        elif reward and reward.maximum is None and reward.net_budget_requirement is None:
            yield cls.at(doc, ("reward",), "the reward has neither a maximum nor a net_budget_requirement")


class A230(EachAgreement, Rule):
    """Maximum in fractions of a penny.

    A stated `reward.maximum` is used as written (DESIGN.md §6.1): the shares are cut from it
    exactly and each reward is rounded once to the penny. But money is paid in pounds and
    pence, and outputs show the maximum to the penny: a maximum written beyond it is most
    likely a slip, and this says so.

    Failing:
        reward: {scheme: lpsa2, maximum: 1000000.005}
    Passing:
        reward: {scheme: lpsa2, maximum: 1000000.00}
    """

    code = "A230"
    severity = Severity.WARNING
    hint = "write the maximum in pounds and pence (two decimals at most)"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        reward = doc.model.reward
        if reward is None or reward.maximum is None:
            return
        shown = to_penny(Fraction(reward.maximum))
        if shown != reward.maximum:
            yield cls.at(doc, ("reward", "maximum"), f"reward.maximum {decimal_text(reward.maximum)} is written in "
                                                     f"fractions of a penny: the shares are cut from it as written, "
                                                     f"and outputs show it as £{shown:,}")


class A232(EachAgreement, Rule):
    """Maximum rounded to nothing.

    The maximum worked out from the net budget requirement (the scheme's `maximum_rate` × the
    summed requirement) is below half the scheme's `maximum_rounding`, so it rounds to £0.00 and
    nothing can be paid: a rounding step in pounds mistaken for another unit, or a requirement
    written in thousands.

    Failing:
        reward: {scheme: round-to-millions, net_budget_requirement: [10000000]}   # 2.5%: £250,000
    Passing:
        reward: {scheme: lpsa2, net_budget_requirement: [10000000]}
    """

    code = "A232"
    severity = Severity.WARNING
    hint = "check the scheme's maximum_rounding (£1,000 is usual) and the net_budget_requirement"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        from laatool.compute.reward import maximum_of, net_budget

        doc = agreement.doc
        reward = doc.model.reward
        if reward is None or reward.maximum is not None or not reward.net_budget_requirement:
            return
        scheme = agreement.scheme
        worked_out = net_budget(reward.net_budget_requirement)
        if scheme is None or worked_out * Fraction(scheme.maximum_rate) <= 0 or maximum_of(doc.head, scheme) != 0:
            return
        yield cls.at(doc, ("reward", "net_budget_requirement"),
                     f"the maximum, {decimal_text(scheme.maximum_rate)} × £{to_penny(worked_out):,}, rounds to "
                     f"£0.00 in the steps of scheme {scheme.name}'s maximum_rounding, "
                     f"£{scheme.maximum_rounding:,}: nothing can be paid")


class A235(EachAgreement, Rule):
    """Reward target without a final-year target.

    The reward is paid on the final year of the agreement: a reward (sub-)target with target
    values, none of them for that year (a `periods` list run on a year, a final target keyed
    to the wrong year), counts in the shares and stays pending, earning nothing.

    Failing:
        periods: [2008-09, 2009-10, 2010-11]
        targets: {2008-09: 3200, 2009-10: 3500}
    Passing:
        periods: [2008-09, 2009-10, 2010-11]
        targets: {2008-09: 3200, 2009-10: 3500, 2010-11: 3800}
    """

    code = "A235"
    severity = Severity.WARNING
    hint = "add the target for the final year, or correct the agreement's periods"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        scheme = agreement.scheme
        if doc.model.reward is None or scheme is None or not doc.model.periods:  # no reward; A213's; the schema's
            return
        final = parse_period(doc.model.last_period).agreement_year
        for part in parts(doc):
            target = part.target
            rewarded = scheme.rewards(target)
            measured = part.sub is not None or not target.subtargets  # a split target is paid on its parts
            if target.placeholder or not rewarded or not measured or not part.values:  # empty: A218's
                continue
            if not any(final_year_target(period, final) for period in part.values):
                yield cls.at(doc, (*part.path, "targets"), f"{part.label}: a reward target with no target for "
                                                           f"{final}, the agreement's final year: it stays pending")


class A237(EachAgreement, Rule):
    """Reward maximum with no reward target.

    The agreement gives a reward maximum, but none of its targets is one the grant is paid on:
    its scheme rewards other kinds (`rewarded_kinds`: lpsa2 pays on designated targets), none
    is marked `reward: true`, or every one is a placeholder without a final-year target.
    Nothing can be paid, and `reward-grant` shows the whole maximum at stake.

    Failing:
        reward: {scheme: lpsa2, maximum: 500000}
        targets:
          - {indicator: NI 72, kind: statutory, ...}
    Passing:
        reward: {scheme: lpsa2, maximum: 500000}
        targets:
          - {indicator: NI 72, kind: statutory, reward: true, ...}
    """

    code = "A237"
    severity = Severity.WARNING
    hint = "mark the targets the grant is paid on with `reward: true`, or check the agreement's scheme and kinds"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        reward = doc.model.reward
        scheme = agreement.scheme
        if reward is None or scheme is None:  # no reward; A213's
            return
        if not (reward.maximum or any(reward.net_budget_requirement or [])):  # nothing to pay anyway
            return
        final = parse_period(doc.model.last_period).agreement_year
        with_final = {id(part.target) for part in parts(doc)
                      if any(final_year_target(period, final) for period in part.values)}
        if any(scheme.rewards(t) and (not t.placeholder or id(t) in with_final) for t in doc.model.targets):
            return
        kinds = " and ".join(scheme.rewarded_kinds) or "no"
        source = "maximum" if reward.maximum is not None else "net_budget_requirement"
        yield cls.at(doc, ("reward", source),
                     f"the reward has no target to be paid on: scheme {scheme.name} rewards {kinds} targets, and "
                     "no target is one (or is marked `reward: true`); nothing can be paid, and reward-grant "
                     "shows the whole maximum at stake")


def final_year_target(period: str, final: Period) -> bool:
    """Whether a target `period` is the final year's own (not a quarter of it: a milestone)."""
    written = parse_period(period)
    return written.agreement_year == final and not written.quarter
