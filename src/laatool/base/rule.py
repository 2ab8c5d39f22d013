"""Validation rules: one class per code, documented by its own docstring.

`laatool rules CODE` prints the docstring, so the explanation cannot drift from the rule.
Families: `Y` YAML and file reading, `S` schema, `I` indicators, `A` agreements, `R` returns.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Mapping
from typing import ClassVar

from laatool.base.findings import MAX_PER_FILE, Finding, Severity

REGISTRY: dict[str, type[Rule]] = {}


class Rule:
    """Base class; subclasses set `code`, `severity` and `hint` and carry a docstring.

    A family's kinds of rule (`checks.agreements.EachTarget`, `checks.returns.RowRule`) are
    subclasses without a `code` of their own: they state how the family's rules are run, and
    only the classes that name a code are rules."""

    code: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    # The severities besides `severity` that this code's findings have, each with the files it is
    # theirs for (listed by `laatool rules`, so that a script reading the codes sees every one)
    other_severities: ClassVar[Mapping[Severity, str]] = {}
    hint: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:  # a kind of rule, not a rule
            return
        if cls.code in REGISTRY:
            raise ValueError(f"rule code {cls.code} defined twice")
        REGISTRY[cls.code] = cls

    @classmethod
    def title(cls) -> str:
        return cls.explanation().splitlines()[0].rstrip(".")

    @classmethod
    def explanation(cls) -> str:
        return inspect.getdoc(cls) or ""

    @classmethod
    def finding(
        cls,
        message: str,
        *,
        file: str,
        line: int | None = None,
        column: int | None = None,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=cls.code,
            severity=severity or cls.severity,
            file=file,
            message=message,
            hint=hint or cls.hint,
            line=line,
            column=column,
            row=row,
            field=field,
        )


def capped(findings: list[Finding], uncounted: Mapping[str, int] | None = None) -> list[Finding]:
    """At most MAX_PER_FILE findings of each rule in each file (the first by place), then one
    summary finding (no place) saying how many more there are; `uncounted`: how many more of a
    rule there are than `findings` holds (`FindingsByRow`)."""
    by_rule: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault((finding.file, finding.code), []).append(finding)
    kept = []
    for (file, code), found in by_rule.items():
        total = len(found) + (uncounted or {}).get(code, 0)
        if total <= MAX_PER_FILE:
            kept += found
            continue
        kept += sorted(found, key=lambda f: f.sort_key)[:MAX_PER_FILE]
        kept.append(REGISTRY[code].finding(
            f"{total - MAX_PER_FILE:,} more of this file's findings are {code} "
            f"(only the first {MAX_PER_FILE:,} are listed)", file=file))
    return kept


class FindingsByRow:
    """The findings of one file read row by row: a rule's are made until MAX_PER_FILE are
    listed (the row where that happens finished, so `capped` still keeps the first by place)
    and only counted after, so a file of a million faulty rows costs its reading and a count,
    not a million messages and suggestions."""

    def __init__(self) -> None:
        self.found: list[Finding] = []
        self.listed: Counter[str] = Counter()
        self.uncounted: Counter[str] = Counter()
        self.full: set[str] = set()

    def next_row(self) -> None:
        self.full = {code for code, listed in self.listed.items() if listed >= MAX_PER_FILE}

    def listing(self, rule: type[Rule]) -> bool:
        """Whether to make the next finding of `rule` and `add` it; once the rule is full, it
        is counted instead."""
        if rule.code in self.full:
            self.uncounted[rule.code] += 1
            return False
        self.listed[rule.code] += 1
        return True

    def add(self, finding: Finding) -> None:
        self.found.append(finding)

    def capped(self) -> list[Finding]:
        return capped(self.found, self.uncounted)
