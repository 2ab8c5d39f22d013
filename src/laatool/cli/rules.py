"""`laatool rules`: the validation codes, and what each one means."""

from __future__ import annotations

from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import FormatOption, OutputOption, check_output_path, guarded


@app.command("rules")
@guarded
def rules_command(
    code: Annotated[str | None, typer.Argument(
        help="A code (e.g. A202) to explain, with a failing and a passing example.", show_default=False)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List every validation code with its severity and title, or explain one."""
    import difflib

    from laatool.base.errors import UsageError
    from laatool.checks.registry import all_rules
    from laatool.render.output import emit, resolve_format
    from laatool.render.reports import RuleDetail, RuleList

    check_output_path(output)
    rules = all_rules()
    if code is None:
        report = RuleList(list(rules.values()))
    else:
        wanted = code.strip().upper()
        if wanted not in rules:
            typed_o = wanted[:1] + wanted[1:].replace("O", "0")  # a letter O for a zero
            close = [typed_o] if typed_o in rules else difflib.get_close_matches(wanted, list(rules), n=3, cutoff=0.5)
            suggestion = f"; did you mean {', '.join(close)}?" if close else ""
            raise UsageError(f"no rule '{code}'{suggestion} (`laatool rules` lists them all)")
        report = RuleDetail(rules[wanted])
    emit(report, resolve_format(fmt, output), output)
