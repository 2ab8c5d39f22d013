"""The one finding record every check produces and every output format is built from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from laatool.base.text import visible

# A rule lists at most this many findings in one file, then one summary finding for the rest,
# so a broken million-row file still gives a readable report.
MAX_PER_FILE = 1000


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True)
class Finding:
    """One problem at one place: YAML files carry line and column, tables row and field."""

    code: str
    severity: Severity
    file: str
    message: str
    hint: str
    line: int | None = None
    column: int | None = None
    row: int | None = None
    field: str | None = None
    # The area (as its slug would be) of a returns row left out on reading (an error cell, a
    # cell over its limit): once the row is gone, its place no longer says whose it is. Not shown.
    area: str | None = None

    def __post_init__(self) -> None:
        # Its words on one line in every output, whatever they quote of the input (a key written
        # `"lead\nFAKE: line"` added a line to the JSON, the CSV and a log): each control
        # character as its escape, as the table shows it (`laatool.base.text.visible`).
        for name in ("message", "hint"):
            object.__setattr__(self, name, visible(getattr(self, name)))

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity.value, "file": self.file, "line": self.line,
                "column": self.column, "row": self.row, "field": self.field, "message": self.message,
                "hint": self.hint}

    @property
    def sort_key(self) -> tuple:
        return (
            self.file,
            self.line or 0,
            self.row or 0,
            self.column or 0,
            self.field or "",
            self.code,
            self.message,
        )

    @property
    def location(self) -> str:
        """`file:line:column`, `file:line field F` (a YAML return: its line, no column), or
        `file row N field F`, as a person reads it."""
        if self.line is not None and self.column is not None:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line is not None:
            return f"{self.file}:{self.line} {self.field}" if self.field else f"{self.file}:{self.line}"
        if self.row is not None:
            where = f"{self.file} row {self.row}"
            return f"{where} {self.field}" if self.field else where
        return self.file

    def one_line(self) -> str:
        return f"{self.location}: {self.code} {self.severity.value}: {self.message} ({self.hint})"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Deterministic order, with exact duplicates dropped."""
    return sorted(set(findings), key=lambda f: f.sort_key)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def has_errors(findings: list[Finding], at_least: Severity = Severity.ERROR) -> bool:
    return any(f.severity.rank >= at_least.rank for f in findings)
