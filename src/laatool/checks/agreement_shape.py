"""A: the agreement as a whole — its area, sub-targets, periods and reward scheme."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from laatool.base.findings import MAX_PER_FILE, Finding, Severity
from laatool.base.ids import ENGLAND, is_slug, parse_period
from laatool.base.money import decimal_text, to_penny
from laatool.base.rule import Rule
from laatool.base.suggest import did_you_mean
from laatool.checks.agreement_kinds import (
    AgreementContext,
    AgreementRule,
    EachAgreement,
)
from laatool.load.documents import read_yaml
from laatool.load.workspace import Workspace

if TYPE_CHECKING:
    from laatool.base.models import Neighbours
    from laatool.load.documents import Loaded


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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        stem = PurePosixPath(doc.file).stem
        if doc.model.area != stem:
            # `Stockton.yaml`: no area can be named so, the file is what must change
            hint = None if is_slug(stem) else (f"rename the file {doc.model.area}{PurePosixPath(doc.file).suffix}: "
                                                "a file name is an area slug (lower-case letters, digits and hyphens)")
            yield cls.at(doc, ("area",), f"area '{doc.model.area}' differs from the file name '{stem}'", hint)


class A233(AgreementRule):
    """Agreement given by two files.

    An area's agreement is the file `agreements/<area>.yaml`; `leeds.yaml` and `leeds.yml`
    (or `leeds.YAML`) would both be the agreement of leeds, and only one of them can be read,
    so the figures would depend on which is left.

    Failing:
        agreements/leeds.yaml
        agreements/leeds.yml
    Passing:
        agreements/leeds.yaml
    """

    code = "A233"
    hint = "keep one file for the area's agreement: delete or rename the others"

    @classmethod
    def check(cls, workspace: Workspace) -> Iterator[Finding]:
        for slug, files in sorted(workspace.agreement_twins.items()):
            read = workspace.agreement_files[slug]
            others = ", ".join(file for file in files if file != read)
            yield cls.finding(f"{others} also gives the agreement of {slug}: only {read} is read",
                              file=read, line=1, column=1)


class A212(EachAgreement, Rule):
    """Sub-target id used twice.

    Each sub-target of a target is scored and rewarded on its own and matched to returns by
    its id, so ids must differ within a target. A target group's sub-target is matched by its
    indicator and id, so no other sub-target of the agreement may have both the same.

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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        targets = doc.model.targets
        first: dict[tuple[str, str], int] = {}  # (indicator, id) -> the target that has it first
        for i, target in enumerate(targets):
            seen: set[str] = set()
            for j, sub in enumerate(target.subtargets):
                indicator = target.indicator_of(sub)
                earlier = first.setdefault((str(indicator), sub.id), i)
                if sub.id in seen:
                    yield cls.at(doc, ("targets", i, "subtargets", j, "id"),
                                 f"{target.label}: sub-target id '{sub.id}' is used twice")
                elif earlier != i and indicator is not None and (target.group or targets[earlier].group) is not None:
                    yield cls.at(doc, ("targets", i, "subtargets", j, "id"),
                                 f"{target.label}: sub-target '{sub.id}' on {indicator} is also one of "
                                 f"{targets[earlier].label} (line {doc.line_of('targets', earlier)[0]}): a return "
                                 "could not tell them apart")
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
        located, _ = read_yaml(workspace.root / "laatool.yaml", "laatool.yaml", workspace.root, workspace.read)
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
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
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


class A222(EachAgreement, Rule):
    """Sub-target weight not positive.

    A weighted target's share is split in proportion to its sub-targets' weights (share × w /
    Σw), so each weight must be above zero.

    Failing:
        subtargets:
          - {id: burglary, weight: 0, ...}
    Passing:
        subtargets:
          - {id: burglary, weight: 0.9, ...}
    """

    code = "A222"
    hint = "give the sub-target a weight above zero, or take it out of the target"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for i, target in enumerate(doc.model.targets):
            for j, sub in enumerate(target.subtargets):
                if sub.weight is not None and sub.weight <= 0:
                    yield cls.at(doc, ("targets", i, "subtargets", j, "weight"),
                                 f"{target.label} sub-target '{sub.id}': weight {sub.weight} is not above zero")


class A223(EachAgreement, Rule):
    """Weights on some sub-targets only.

    When one sub-target of a target has a `weight`, all must: the target's share is then split
    in proportion to the weights, and a sub-target without one would have no part of it.
    Without any weight the share is split equally.

    Failing:
        subtargets:
          - {id: burglary, weight: 0.9, ...}
          - {id: robbery, ...}
    Passing:
        subtargets:
          - {id: burglary, weight: 0.9, ...}
          - {id: robbery, weight: 0.1, ...}
    """

    code = "A223"
    hint = "give every sub-target of the target a weight, or none of them"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for i, target in enumerate(doc.model.targets):
            weighted = [sub.weight is not None for sub in target.subtargets]
            if any(weighted) and not all(weighted):
                missing = [sub.id for sub in target.subtargets if sub.weight is None]
                j = weighted.index(False)
                yield cls.at(doc, ("targets", i, "subtargets", j),
                             f"{target.label}: sub-target(s) {', '.join(repr(m) for m in missing)} have no "
                             f"weight while others of the target have one")


class A236(Rule):
    """Neighbour group names an area with no agreement and no returns.

    An area of a neighbour group (`neighbours/GROUP.yaml`), as a member or as a neighbour, that
    no agreement and no return (the workspace's or the comparators') names: a misspelt slug, or
    a YAML word read as one (`yes:`, `null:`). `benchmark --neighbours GROUP` lists it as
    missing; it is never compared. `england`, the comparison value, is never a neighbour either.

    Failing:
        leeds: [bradfrod, sheffield]
    Passing:
        leeds: [bradford, sheffield]
    """

    code = "A236"
    severity = Severity.WARNING
    hint = "correct the area's slug (as its agreement or its returns write it), or remove it"

    @classmethod
    def check(cls, group: Loaded[Neighbours], known: set[str]) -> Iterator[Finding]:
        """Each area of the group outside `known` (the areas of agreements and of returns): the
        first MAX_PER_FILE in the order written, then one finding counting the rest (each "did
        you mean" searches every known area: for 20,000 unknown areas that took minutes)."""
        named = []
        for area, peers in group.located.data.items():  # as written, for the places of the keys
            named += [((area,), True, str(area).strip()),
                      *(((area, index), False, str(peer).strip()) for index, peer in enumerate(peers or []))]
        unknown = [(path, is_key, slug) for path, is_key, slug in named if slug == ENGLAND or slug not in known]
        for path, is_key, slug in unknown[:MAX_PER_FILE]:
            mark = group.located.locate(path, key=is_key)
            if slug == ENGLAND:
                yield cls.finding(f"neighbour group names {ENGLAND}, the comparison value of every area: it is "
                                  "never ranked among neighbours", file=group.file, line=mark.line, column=mark.column)
            else:
                yield cls.finding(f"neighbour group names {slug}, an area with no agreement and no returns"
                                  f"{did_you_mean(slug, sorted(known - {ENGLAND}))}", file=group.file,
                                  line=mark.line, column=mark.column)
        if len(unknown) > MAX_PER_FILE:
            yield cls.finding(f"{len(unknown) - MAX_PER_FILE:,} more of this file's findings are {cls.code} (only "
                              f"the first {MAX_PER_FILE:,} are listed)", file=group.file)

