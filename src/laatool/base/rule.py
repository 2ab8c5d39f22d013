"""Validation rules: one class per code, documented by its own docstring.

`laatool rules CODE` prints the docstring, so the explanation cannot drift from the rule.
Families: `Y` YAML and file reading, `S` schema, `I` indicators, `A` agreements, `R` returns.
"""

from __future__ import annotations

import inspect
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


def capped(findings: list[Finding]) -> list[Finding]:
    """At most MAX_PER_FILE findings of each rule in each file (the first by place), then one
    summary finding (no place) saying how many more there are."""
    by_rule: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault((finding.file, finding.code), []).append(finding)
    kept = []
    for (file, code), found in by_rule.items():
        if len(found) <= MAX_PER_FILE:
            kept += found
            continue
        kept += sorted(found, key=lambda f: f.sort_key)[:MAX_PER_FILE]
        kept.append(REGISTRY[code].finding(
            f"{len(found) - MAX_PER_FILE:,} more of this file's findings are {code} "
            f"(only the first {MAX_PER_FILE:,} are listed)", file=file))
    return kept
