"""Validation rules: one class per code, documented by its own docstring.

`laatool rules CODE` prints the docstring, so the explanation cannot drift from the rule.
Families: `Y` YAML and file reading, `S` schema, `I` indicators, `A` agreements, `R` returns.
"""

from __future__ import annotations

import inspect
from typing import ClassVar

from laatool.base.findings import Finding, Severity

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

