"""`laatool schema`: the JSON Schema of each file format, for editors."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from laatool.cli import app
from laatool.cli.common import exit_codes, guarded, refuse_missing_workspace


class SchemaName(StrEnum):
    indicator = "indicator"
    agreement = "agreement"
    returns = "returns"
    scheme = "scheme"
    settings = "settings"
    neighbours = "neighbours"


@app.command("schema", epilog=exit_codes("schema"))
@guarded
def schema_command(ctx: typer.Context,
                   name: Annotated[SchemaName, typer.Argument(help="Which file format.")]) -> None:
    """Print the JSON Schema of a file format (indicator, agreement, returns, scheme, settings, neighbours)."""
    from laatool import api

    refuse_missing_workspace(ctx)

    from laatool.render.output import to_stdout

    # data, in UTF-8 whatever the locale's encoding, as every output's JSON is
    to_stdout(lambda: sys.stdout.buffer.write(api.schema(name.value).encode("utf-8")))
