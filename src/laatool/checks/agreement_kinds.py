"""A: how the agreement rules are run (`AgreementRule`, `EachAgreement`, `EachTarget`), and what
they share: an agreement's (sub-)targets as `Part`s, and where in its file a value was written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from laatool.base.findings import Finding
from laatool.base.ids import Period, parse_period
from laatool.base.models import Agreement, Baseline, Indicator, Interim, Scheme, SubTarget, Target
from laatool.base.numbers import EXACT
from laatool.base.rule import Rule
from laatool.load.documents import Loaded, period_line
from laatool.load.workspace import Workspace

MAX_DESIGNATED = 35


@dataclass(frozen=True)
class Part:
    """A target or one of its sub-targets: what is scored on its own, and where it is written."""

    path: tuple[str | int, ...]
    target: Target
    sub: SubTarget | None

    @property
    def indicator(self) -> str | None:
        """The indicator the part is measured on (a group's sub-target names its own)."""
        return self.target.indicator_of(self.sub)

    @property
    def names_indicator(self) -> bool:
        """Whether the part is where its indicator is written: an ordinary target's own part,
        or a sub-target of a target group."""
        return (self.sub is None) == (self.target.group is None)

    @property
    def target_path(self) -> tuple[str | int, ...]:
        """The path of the target the part belongs to (where `kind` is written)."""
        return self.path[:2]

    @property
    def label(self) -> str:
        if self.sub is None:
            return self.target.label
        if self.target.group is not None:
            measured = f" ({self.indicator})" if self.indicator is not None else ""
            return f"group {self.target.group} sub-target '{self.sub.id}'{measured}"
        return f"{self.target.indicator} sub-target '{self.sub.id}'"

    @property
    def named(self) -> str:
        """`<label>: ` for a target group's sub-target, whose finding sits at the group's `kind`;
        empty for a target, whose line names it."""
        return f"{self.label}: " if self.sub is not None and self.target.group is not None else ""

    @property
    def baseline(self) -> Baseline | None:
        return self.sub.baseline if self.sub else self.target.baseline

    @property
    def values(self) -> dict[str, Decimal]:
        return self.sub.targets if self.sub else self.target.targets

    @property
    def interim(self) -> Interim | None:
        return self.sub.interim if self.sub else self.target.interim

    @property
    def expected(self) -> Decimal | None:
        return self.sub.expected_without_agreement if self.sub else self.target.expected_without_agreement

    @property
    def final(self) -> tuple[str, Decimal] | None:
        """The last target year and its value (periods are kept sorted by the model): a quarter
        (of a quarterly indicator) is a milestone within its year, never the final target."""
        years = [(period, value) for period, value in self.values.items() if not parse_period(period).quarter]
        return years[-1] if years else None


def parts(doc: Loaded[Agreement]) -> Iterator[Part]:
    """Every target and sub-target; a target group's sub-targets only (a group's own values,
    which it may not have, are A227's)."""
    for i, target in enumerate(doc.model.targets):
        if target.group is None:
            yield Part(("targets", i), target, None)
        for j, sub in enumerate(target.subtargets):
            yield Part(("targets", i, "subtargets", j), target, sub)


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize(EXACT).as_tuple().exponent  # every digit: 30 may be written
    assert isinstance(exponent, int), "the values of a loaded agreement are finite"
    return max(0, -exponent)


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


class AgreementRule(Rule):
    """The A rules' contract: `check(workspace)` gives the findings over the workspace's
    agreements (those that loaded)."""

    @classmethod
    def check(cls, workspace: Workspace) -> Iterator[Finding]:
        raise NotImplementedError


@dataclass(frozen=True)
class AgreementContext:
    """What an A rule is given about one agreement: the area, its loaded file, the catalogue
    (the workspace's indicators over the bundled ones) and the workspace for the rest."""

    area: str
    doc: Loaded[Agreement]
    indicators: dict[str, Indicator]
    workspace: Workspace

    @cached_property
    def agreed_years(self) -> set[Period]:
        """The agreement's years (`periods`), which its target and interim periods fall in."""
        return {parse_period(period) for period in self.doc.model.periods}

    @property
    def scheme(self) -> Scheme | None:
        """The agreement's reward scheme, None when it names one that is not known (A213's)."""
        return self.workspace.schemes.get(self.workspace.scheme_name(self.area))


class EachAgreement(AgreementRule):
    """An A rule that looks at one agreement at a time (`check_one`)."""

    @classmethod
    def check(cls, workspace: Workspace) -> Iterator[Finding]:
        indicators = workspace.indicators  # built afresh on each access
        for area, doc in sorted(workspace.agreement_docs.items()):
            yield from cls.check_one(AgreementContext(area, doc, indicators, workspace))

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def at(cls, doc: Loaded[Agreement], path: tuple, message: str, hint: str | None = None) -> Finding:
        line, column = doc.line_of(*path)
        return cls.finding(message, file=doc.file, line=line, column=column, hint=hint)


class EachTarget(EachAgreement):
    """An A rule about one target (or sub-target) on a known indicator. With `subtargets`
    false, only the parts that write their indicator: targets, and target groups' sub-targets."""

    subtargets = True

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        for part in parts(agreement.doc):
            indicator = agreement.indicators.get(part.indicator) if part.indicator is not None else None
            if indicator is not None and (cls.subtargets or part.names_indicator):
                yield from cls.check_part(agreement.doc, part, indicator)

    @classmethod
    def check_part(cls, doc: Loaded[Agreement], part: Part, indicator: Indicator) -> Iterator[Finding]:
        raise NotImplementedError
