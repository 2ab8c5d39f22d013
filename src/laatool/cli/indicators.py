"""`laatool indicators`: list, search and show the National Indicator Set."""

from __future__ import annotations

from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import (
    FormatOption,
    OutputOption,
    check_output_path,
    guarded,
    refuse_output_over_inputs,
    workspace_root,
)


@app.command("indicators")
@guarded
def indicators_command(
    ctx: typer.Context,
    query: Annotated[list[str] | None, typer.Argument(
        help="Words to find in titles, or an id; `show ID` shows one indicator in full.", show_default=False)] = None,
    department: Annotated[
        str | None, typer.Option("--department", "-d", help="Only this department (e.g. DCSF).")
    ] = None,
    statutory: Annotated[bool, typer.Option("--statutory", help="Only the 16 statutory indicators.")] = False,
    include_deleted: Annotated[bool, typer.Option("--all", help="Include deleted indicators (NI 31).")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List or search the indicators; `laatool indicators show "NI 154"` shows one in full."""
    from laatool.catalogue import IndicatorDetail, IndicatorList, find, search
    from laatool.errors import UsageError
    from laatool.output import emit, resolve_format

    check_output_path(output)
    words = list(query or [])
    indicators = _known_indicators(ctx, output)
    if words and words[0] == "show":
        wanted = " ".join(words[1:])  # `show NI 154` unquoted is two words
        if not wanted:
            raise UsageError('say which indicator to show, e.g. laatool indicators show "NI 154"')
        indicator = find(indicators, wanted)
        if indicator is None:
            raise UsageError(f"no indicator '{wanted}' (try `laatool indicators {wanted}` to search)")
        report = IndicatorDetail(indicator)
    else:
        report = IndicatorList(search(indicators, " ".join(words), department=department,
                                      statutory=statutory, include_deleted=include_deleted))
    emit(report, resolve_format(fmt, output), output)


def _known_indicators(ctx: typer.Context, output) -> dict:
    """The bundled set, plus the workspace's own indicators when there is a workspace; a usage
    error when `output` is one of the files they come from."""
    from laatool.models import Settings
    from laatool.resources import bundled_indicators_dir
    from laatool.workspace import Workspace, load_bundled_indicators, load_indicators

    root = workspace_root(ctx)
    bundled = bundled_indicators_dir()
    if (root / "indicators").is_dir() or (root / "laatool.yaml").is_file():
        workspace = Workspace(root=root, settings=Settings())
        refuse_output_over_inputs(output, lambda: [*bundled.glob("*.yaml"), *(root / "indicators").glob("*.y*ml")])
        load_indicators(workspace)
        return workspace.indicators
    refuse_output_over_inputs(output, lambda: list(bundled.glob("*.yaml")))
    return {doc.model.id: doc.model for doc in load_bundled_indicators()}
