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
    exit_codes,
    guarded,
    path_named,
    say,
    workspace_root,
)


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


@app.command("validate", epilog=exit_codes("validate"))
@guarded
def validate_command(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Only report findings in these files or folders (checked against the whole workspace). "
             "A returns file outside the workspace, or in it but outside its inputs, is checked as if "
             "it were in returns/.",
        parser=path_named, show_default=False)] = None,
    fmt: FormatOption = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 when a finding is at least this severe.", case_sensitive=False)] = FailOn.error,
    output: OutputOption = None,
) -> None:
    """Check indicators, agreements and returns: each finding with its code, place and a hint."""
    from laatool import api
    from laatool.base.errors import ExitCode
    from laatool.base.findings import Severity
    from laatool.render.output import emit, resolve_format

    check_output_path(output)
    chosen_format = resolve_format(fmt, output)
    report = api.validate(workspace_root(ctx), list(paths or []), Severity(fail_on.value), output)
    emit(report, chosen_format, output)
    say(report.summary(), "" if report.valid else "bold red")
    if not report.valid:
        raise typer.Exit(ExitCode.INVALID_INPUT)
