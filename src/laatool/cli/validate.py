"""`laatool validate`: every check over the workspace, or over some of its files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import (
    FormatOption,
    OutputOption,
    check_output_path,
    guarded,
    refuse_output_over_inputs,
    say,
    workspace_root,
)


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


@app.command("validate")
@guarded
def validate_command(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Only report findings in these files or folders (checked against the whole workspace). "
             "A returns file outside the workspace is checked as if it were in returns/.",
        show_default=False)] = None,
    fmt: FormatOption = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 when a finding is at least this severe.")] = FailOn.error,
    output: OutputOption = None,
) -> None:
    """Check indicators, agreements and returns: each finding with its code, place and a hint.

    Exit 0 when nothing reaches --fail-on, 1 when something does, 2 on a usage error.
    """
    from laatool.errors import ExitCode
    from laatool.findings import Severity
    from laatool.output import emit, resolve_format
    from laatool.validation import select_paths, validate_workspace, workspace_files
    from laatool.validation_report import ValidationReport
    from laatool.workspace import input_files, load_contents, open_workspace, returns_files

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    workspace = open_workspace(workspace_root(ctx))
    inside, outside = select_paths(workspace, list(paths or []))
    refuse_output_over_inputs(output, lambda: input_files(workspace) + [path for path, _ in outside])
    load_contents(workspace, returns_files(workspace) + outside)
    findings = validate_workspace(workspace)
    checked = workspace_files(workspace) + [name for _, name in outside]
    if paths:
        wanted = inside + [name for _, name in outside]
        findings = [f for f in findings if any(_within(f.file, w) for w in wanted)]
        checked = [name for name in checked if any(_within(name, w) for w in wanted)]
    report = ValidationReport(findings, Severity(fail_on.value), files_checked=len(checked))
    emit(report, chosen_format, output)
    say(report.summary(), "" if report.valid else "bold red")
    if not report.valid:
        raise typer.Exit(ExitCode.INVALID_INPUT)


def _within(file: str, wanted: str) -> bool:
    return not wanted or file == wanted or file.startswith(wanted.rstrip("/") + "/")
