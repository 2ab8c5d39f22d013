"""Reports of `validate` (the findings) and `rules` (the codes), in every output format."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from laatool.base.findings import Finding, Severity, count_by_severity, has_errors, sort_findings
from laatool.base.rule import Rule

FINDING_COLUMNS = ("code", "severity", "file", "line", "column", "row", "field", "message", "hint")
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def plural(count: int, word: str) -> str:
    if word == "info":
        return f"{count} info"
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class ValidationReport:
    """The findings of `validate`; `valid` when none is at or above `fail_on`."""

    findings: list[Finding]
    fail_on: Severity = Severity.ERROR
    files_checked: int = 0

    def __post_init__(self) -> None:
        self.findings = sort_findings(self.findings)

    @property
    def valid(self) -> bool:
        return not has_errors(self.findings, self.fail_on)

    def to_json(self) -> dict[str, Any]:
        return {"valid": self.valid, "counts": count_by_severity(self.findings),
                "findings": [f.to_dict() for f in self.findings]}

    def to_rows(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.findings]

    columns = FINDING_COLUMNS

    def summary(self) -> str:
        """`3 errors, 2 warnings in 2 of 9 files` (info only when there is some)."""
        counts = count_by_severity(self.findings)
        parts = [plural(counts["error"], "error"), plural(counts["warning"], "warning")]
        if counts["info"]:
            parts.append(plural(counts["info"], "info"))
        files = len({f.file for f in self.findings})
        where = f"{files} of {plural(self.files_checked, 'file')}" if files else plural(self.files_checked, "file")
        return f"{', '.join(parts)} in {where}"

    def to_table(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        from laatool.render.fit import Column, Fitted
        from laatool.render.values import visible

        if not self.findings:
            return Text(f"No findings: {plural(self.files_checked, 'file')} checked.")
        # a table a file, under its name; the message and its hint share the width left, 3 to 2;
        # narrow, the hint goes under the message, then the severity under the code. A place
        # names a column as written (`row 2 a_very_long_name`): it wraps too, every character kept,
        # a line break in the name shown as `\n` (a cell's own line breaks are lines)
        columns = [Column("where", kind="wrap", least=12, keep=True), Column("code"),
                   Column("severity", step=1, how="stack"),
                   Column("message", kind="wrap", least=20, share=3, keep=True),
                   Column("hint", kind="wrap", least=16, style="dim", share=2, step=2, how="stack", keep=True)]
        tables = []
        for file, group in groupby(self.findings, key=lambda f: f.file):
            items = list(group)
            rows = [[visible(where(f)), f.code, Text(f.severity.value, style=SEVERITY_STYLE[f.severity.value]),
                     f.message, f.hint] for f in items]
            # the file's name as text, on one line: a name may hold a line break or markup
            title = Text(visible(f"{file} ({plural(len(items), 'finding')})"), style="bold")
            tables.append(Fitted(columns, rows, title=title))
        return Group(*tables)


def where(finding: Finding) -> str:
    """`12:5` in a YAML file, `row 14 value` in a table, `-` for the whole file."""
    if finding.line is not None:
        place = f"{finding.line}:{finding.column}" if finding.column is not None else f"line {finding.line}"
        return f"{place} {finding.field}" if finding.field and finding.column is None else place
    if finding.row is not None:
        return f"row {finding.row} {finding.field}" if finding.field else f"row {finding.row}"
    return "-"


def rule_document(rule: type[Rule]) -> dict[str, Any]:
    return {"code": rule.code, "severity": rule.severity.value, "title": rule.title(), "hint": rule.hint,
            "other_severities": other_severities(rule)}


def other_severities(rule: type[Rule]) -> str:
    """The severities a finding of `rule` has besides its own, each with the files it has it for
    (`warning: a returns or comparators file; info: laatool.yaml`), or ""."""
    return "; ".join(f"{severity.value}: {files}" for severity, files in rule.other_severities.items())


@dataclass
class RuleList:
    """Every validation code with its severity and title (`laatool rules`)."""

    rules: list[type[Rule]]

    def to_json(self) -> dict[str, Any]:
        return {"rules": [rule_document(r) for r in self.rules]}

    def to_rows(self) -> list[dict[str, Any]]:
        return [rule_document(r) for r in self.rules]

    def to_table(self) -> Any:
        from rich.text import Text

        from laatool.render.fit import Column, Fitted

        rows = [[rule.code, Text(rule.severity.value, style=SEVERITY_STYLE[rule.severity.value]),
                 rule.title() + (f" ({other})" if (other := other_severities(rule)) else "")]
                for rule in self.rules]
        return Fitted([Column("code"), Column("severity"), Column("title", kind="wrap", least=20)], rows,
                      title=f"Validation codes: {len(self.rules)} (`laatool rules CODE` explains one)")


@dataclass
class RuleDetail:
    """One rule's own docstring: what it checks, a failing and a passing example."""

    rule: type[Rule]

    def to_json(self) -> dict[str, Any]:
        return {**rule_document(self.rule), "explanation": self.rule.explanation()}

    def to_rows(self) -> list[dict[str, Any]]:
        return [self.to_json()]

    def to_table(self) -> Any:
        from rich.text import Text

        text = Text()
        text.append(f"{self.rule.code} ", style="bold")
        text.append(self.rule.severity.value, style=SEVERITY_STYLE[self.rule.severity.value])
        if other := other_severities(self.rule):
            text.append(f" ({other})")
        text.append(f"\n\n{self.rule.explanation()}\n\nHint: {self.rule.hint}")
        return text
