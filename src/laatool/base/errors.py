"""Exit codes (DESIGN.md §7) and the exceptions that map onto them, in one place."""

from __future__ import annotations

from enum import IntEnum

from laatool.base.findings import Finding


class ExitCode(IntEnum):
    OK = 0
    INVALID_INPUT = 1
    USAGE = 2
    INTERNAL = 3
    # Ended by a signal: 128 + its number, as a shell reports it (SIGINT/Ctrl-C 130, SIGTERM 143).
    INTERRUPTED = 130


class LaatoolError(Exception):
    exit_code = ExitCode.INTERNAL


class UsageError(LaatoolError):
    """Bad option, unknown area, no workspace: the command line is wrong, not the data."""

    exit_code = ExitCode.USAGE


class InvalidInput(LaatoolError):
    """The inputs a command needs hold error findings; it refuses to compute from them."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, findings: list[Finding], message: str = "", hint: str = "") -> None:
        super().__init__(message or f"{len(findings)} finding(s) in the input")
        self.findings = findings
        self.hint = hint  # what can still be done, said after the refusal


def is_panic(error: BaseException) -> bool:
    """A Rust panic inside polars or fastexcel (pyo3's PanicException, which is no Exception),
    named rather than imported, so that `--help` need not import polars."""
    return any(kind.__name__ == "PanicException" for kind in type(error).__mro__)
