"""`laatool rules`: the validation codes, and what each one means."""

from __future__ import annotations

from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import (
    FormatOption,
    OutputOption,
    check_output_path,
    exit_codes,
    guarded,
    refuse_missing_workspace,
    workspace_root,
)


@app.command("rules", epilog=exit_codes("rules"))
@guarded
def rules_command(
    ctx: typer.Context,
    code: Annotated[str | None, typer.Argument(
        help="A code (e.g. A202) to explain, with a failing and a passing example.", show_default=False)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List every validation code with its severity and title, or explain one."""
    from laatool import api
    from laatool.render.output import emit, resolve_format

    refuse_missing_workspace(ctx)
    check_output_path(output)
    api.refuse_output_in(workspace_root(ctx), output)
    emit(api.rules(code), resolve_format(fmt, output), output)
