"""A: the agreement as a whole — its area, file, periods, sub-targets and their weights, and neighbours."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from laatool.base.findings import MAX_PER_FILE, Finding, Severity
from laatool.base.ids import ENGLAND, is_slug, parse_period
from laatool.base.rule import Rule
from laatool.base.suggest import did_you_mean
from laatool.checks.agreement_kinds import (
    AgreementContext,
    AgreementRule,
    EachAgreement,
)
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
            if doc.model.area in agreement.workspace.agreement_files:
                # `stockton (1).yaml` beside stockton.yaml: renaming it would replace the agreement
                hint = (f"{agreement.workspace.agreement_files[doc.model.area]} is {doc.model.area}'s agreement: if "
                        "this file is an old copy of it, delete it or move it out of the folder; else make `area` "
                        "the area this file is for")
            elif is_slug(stem):
                hint = None
            else:  # `Stockton.yaml`: no area can be named so, the file is what must change
                hint = (f"rename the file {doc.model.area}{PurePosixPath(doc.file).suffix}: a file name is an area "
                        "slug (lower-case letters, digits and hyphens)")
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
