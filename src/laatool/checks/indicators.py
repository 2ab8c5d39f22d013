"""I: indicator definitions — the bundled National Indicator Set and a workspace's own files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from laatool.base.findings import Finding, Severity
from laatool.base.ids import IdentifierError, is_national, normalise_indicator_id
from laatool.base.models import Indicator
from laatool.base.rule import REGISTRY, Rule
from laatool.load.documents import Loaded

BUNDLED_PREFIX = "bundled:"


def is_bundled(file: str) -> bool:
    return file.startswith(BUNDLED_PREFIX)


class IndicatorRule(Rule):
    """The I rules' contract: `check(docs)` gives the findings over every indicator file that
    loaded, the bundled ones first."""

    @classmethod
    def check(cls, docs: list[Loaded[Indicator]]) -> Iterator[Finding]:
        raise NotImplementedError


class EachIndicator(IndicatorRule):
    """An I rule that looks at one indicator file at a time."""

    @classmethod
    def check(cls, docs: list[Loaded[Indicator]]) -> Iterator[Finding]:
        for doc in docs:
            yield from cls.check_one(doc)

    @classmethod
    def check_one(cls, doc: Loaded[Indicator]) -> Iterator[Finding]:
        raise NotImplementedError


class I101(IndicatorRule):
    """Indicator defined twice.

    Two files in the workspace's `indicators/` folder define the same id, so which definition
    applies would depend on the order files are read. (A workspace file that replaces a
    bundled national indicator is allowed; see I108.)

    Failing:
        indicators/LEEDS-01.yaml   id: LEEDS-01
        indicators/leeds-1.yaml    id: LEEDS-01
    Passing:
        indicators/LEEDS-01.yaml   id: LEEDS-01
        indicators/LEEDS-02.yaml   id: LEEDS-02
    """

    code = "I101"
    hint = "keep one definition of the indicator and delete or renumber the other"

    @classmethod
    def check(cls, docs: list[Loaded[Indicator]]) -> Iterator[Finding]:
        first: dict[str, str] = {}
        for doc in sorted((d for d in docs if not is_bundled(d.file)), key=lambda d: d.file):
            if doc.model.id in first:
                line, column = doc.line_of("id")
                yield cls.finding(f"{doc.model.id} is already defined in {first[doc.model.id]}",
                                  file=doc.file, line=line, column=column)
            else:
                first[doc.model.id] = doc.file


class I102(EachIndicator, Rule):
    """Indicator id does not match its file name.

    Each indicator lives in a file named after its id (`NI-154.yaml` holds `NI 154`,
    `LEEDS-01.yaml` holds `LEEDS-01`), so people and tools can find it.

    Failing:
        indicators/NI-154.yaml
          id: NI 155
    Passing:
        indicators/NI-154.yaml
          id: NI 154
    """

    code = "I102"
    hint = "rename the file after the id (e.g. NI-154.yaml), or correct the id"

    @classmethod
    def check_one(cls, doc: Loaded[Indicator]) -> Iterator[Finding]:
        stem = PurePosixPath(doc.file).stem
        try:
            named = normalise_indicator_id(stem)
        except IdentifierError:
            named = None
        if named != doc.model.id:
            line, column = doc.line_of("id")
            yield cls.finding(f"the file is named '{stem}' but defines {doc.model.id}",
                              file=doc.file, line=line, column=column)


class I103(EachIndicator, Rule):
    """Rate without `rate_per`.

    A rate means nothing without its base: 5.2 per 1,000 and 5.2 per 100,000 are very
    different. An indicator with `unit: rate` must say what the rate is per.

    Failing:
        unit: rate
        rate_per: null
    Passing:
        unit: rate
        rate_per: 1000
    """

    code = "I103"
    hint = "set rate_per to the base of the rate (e.g. 1000 or 100000)"

    @classmethod
    def check_one(cls, doc: Loaded[Indicator]) -> Iterator[Finding]:
        if doc.model.unit == "rate" and doc.model.rate_per is None:
            line, column = doc.line_of("unit")
            yield cls.finding(f"{doc.model.id} is a rate but has no rate_per", file=doc.file, line=line, column=column)


class I104(EachIndicator, Rule):
    """`rate_per` on an indicator that is not a rate.

    `rate_per` only means something for `unit: rate`; on a percentage or a count it is
    probably left over from a copied file, or the unit is wrong.

    Failing:
        unit: percent
        rate_per: 1000
    Passing:
        unit: percent
        rate_per: null
    """

    code = "I104"
    severity = Severity.WARNING
    hint = "remove rate_per, or set unit: rate if the values are a rate"

    @classmethod
    def check_one(cls, doc: Loaded[Indicator]) -> Iterator[Finding]:
        if doc.model.unit != "rate" and doc.model.rate_per is not None:
            line, column = doc.line_of("rate_per")
            yield cls.finding(f"{doc.model.id} has rate_per {doc.model.rate_per} but its unit is "
                              f"{doc.model.unit}", file=doc.file, line=line, column=column)


class I105(EachIndicator, Rule):
    """Range minimum above its maximum.

    No value could ever be valid, so every return of the indicator would be out of range.

    Failing:
        range: {min: 100, max: 0}
    Passing:
        range: {min: 0, max: 100}
    """

    code = "I105"
    hint = "swap the two bounds"

    @classmethod
    def check_one(cls, doc: Loaded[Indicator]) -> Iterator[Finding]:
        bounds = doc.model.range
        if bounds and bounds.min is not None and bounds.max is not None and bounds.min > bounds.max:
            line, column = doc.line_of("range")
            yield cls.finding(f"range min {bounds.min} is above max {bounds.max}",
                              file=doc.file, line=line, column=column)


class I106(EachIndicator, Rule):
    """Cumulative indicator that is not reported quarterly.

    `cumulative: true` says that four quarterly values add up to the year's value; on an
    indicator that is not quarterly it has no effect and suggests a wrong `frequency`.

    Failing:
        frequency: annual
        cumulative: true
    Passing:
        frequency: quarterly
        cumulative: true
    """

    code = "I106"
    severity = Severity.WARNING
    hint = "set frequency: quarterly, or cumulative: false"

    @classmethod
    def check_one(cls, doc: Loaded[Indicator]) -> Iterator[Finding]:
        if doc.model.cumulative and doc.model.frequency != "quarterly":
            line, column = doc.line_of("cumulative")
            yield cls.finding(f"{doc.model.id} is cumulative but its frequency is {doc.model.frequency}",
                              file=doc.file, line=line, column=column)


class I107(EachIndicator, Rule):
    """Local indicator marked statutory.

    The statutory targets are the 16 national education and early-years indicators; a
    local indicator cannot be one of them.

    Failing:
        id: LEEDS-01
        statutory: true
    Passing:
        id: LEEDS-01
        statutory: false
    """

    code = "I107"
    severity = Severity.WARNING
    hint = "set statutory: false"

    @classmethod
    def check_one(cls, doc: Loaded[Indicator]) -> Iterator[Finding]:
        if doc.model.statutory and not is_national(doc.model.id):
            line, column = doc.line_of("statutory")
            yield cls.finding(f"{doc.model.id} is a local indicator but is marked statutory",
                              file=doc.file, line=line, column=column)


class I108(IndicatorRule):
    """Workspace file replaces a bundled national indicator.

    A file in the workspace's `indicators/` with the id of a national indicator replaces
    the bundled definition for this workspace. That is allowed (e.g. to correct decimals),
    and reported so the replacement is never a surprise.

    Failing:
        indicators/NI-154.yaml in the workspace (replaces the bundled NI 154)
    Passing:
        no NI file in the workspace's indicators/ folder
    """

    code = "I108"
    severity = Severity.INFO
    hint = "nothing to do if the replacement is intended; delete the file to use the bundled definition"

    @classmethod
    def check(cls, docs: list[Loaded[Indicator]]) -> Iterator[Finding]:
        bundled = {d.model.id: d.file for d in docs if is_bundled(d.file)}
        for doc in docs:
            if not is_bundled(doc.file) and doc.model.id in bundled:
                line, column = doc.line_of("id")
                yield cls.finding(f"{doc.model.id} replaces the bundled definition ({bundled[doc.model.id]})",
                                  file=doc.file, line=line, column=column)


RULES = [rule for _, rule in sorted(REGISTRY.items()) if issubclass(rule, IndicatorRule)]


def check_indicators(docs: list[Loaded[Indicator]]) -> list[Finding]:
    """Every I finding over the indicator files (bundled first, then the workspace's)."""
    return [finding for rule in RULES for finding in rule.check(docs)]
