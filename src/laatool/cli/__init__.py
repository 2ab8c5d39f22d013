"""cli/: the `laatool` command line, the only place typer is imported.

One module per command: each parses its options, calls one function of `laatool.api` and
renders what it returns (`laatool.render.output.emit`); `common` holds the shared options,
the exit codes of DESIGN.md §7 and messages on stderr. It may import every layer; nothing
imports it but `laatool.launch`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from laatool import __version__
from laatool.cli.common import OnceGroup, exit_codes, internal_error, say

app = typer.Typer(
    cls=OnceGroup,
    name="laatool",
    help="Validate returns, score Local Area Agreement targets and calculate Performance Reward Grant.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=exit_codes("laatool"),
)


def _version(value: bool) -> None:
    if value:
        from laatool.base.errors import UsageError
        from laatool.render.output import to_stdout

        try:
            to_stdout(lambda: print(f"laatool {__version__}"))
        except UsageError as error:  # a closed or full standard output: said, as for data (exit 2)
            say(f"laatool: {error}")
            raise typer.Exit(error.exit_code) from None
        raise typer.Exit()


def _workspace_named(text: str) -> Path:
    """`-w DIR`: an empty name (`-w "$WS"` with WS unset) is refused, not read as the current
    folder, where a nightly script would score whatever folder it started in; a file is no
    workspace."""
    if not text:
        raise typer.BadParameter("the folder's name is empty")
    path = Path(text)
    try:
        is_file, is_dir = path.is_file(), path.is_dir()
    except OSError:  # a name the system refuses (too long): every command says so of the workspace
        is_file = is_dir = False
    if is_file:
        raise typer.BadParameter(f"dir '{text}' is a file.")
    if is_dir and not os.access(path, os.R_OK):
        raise typer.BadParameter(f"dir '{text}' is not readable.")
    return path


@app.callback()
def root(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", envvar="LAATOOL_WORKSPACE", show_default=False,
                     help="Workspace folder (default: the current folder).", parser=_workspace_named),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """laatool: the National Indicator Set, Local Area Agreements and Performance Reward Grant."""
    ctx.obj = {"workspace": workspace}


def _register() -> None:
    from laatool.cli import commands  # noqa: F401
    from laatool.cli.common import OnceCommand

    for command in app.registered_commands:
        command.cls = OnceCommand  # every command: typer sets its own class on each


_register()


def main() -> None:
    """Run the command line, then end the process as soon as its output is out."""
    try:
        app(prog_name="laatool")  # `python -m laatool` too, and the run again in UTF-8 mode (`laatool.launch`)
    except SystemExit as done:  # also a stopping signal (`laatool.launch.stop`): 128 + its number
        code = done.code
    except KeyboardInterrupt:  # Ctrl-C outside a command: quietly, as a shell ends a command
        code = 130
    except OSError as error:  # help or version text the standard output will not take (`--help > /dev/full`)
        try:
            print(f"laatool: cannot write the standard output: {error.strerror or error}", file=sys.stderr)
        except OSError:
            pass
        code = 2
    except Exception as error:  # outside a command (typer parsing its options cannot load a library): exit 3
        from laatool.base.stopping import stop_code

        if (code := stop_code()) is None:  # else a stop, come back from a library's native code as its error
            if os.environ.get("LAATOOL_DEBUG"):
                raise
            print(internal_error(error), file=sys.stderr)
            code = 3
    else:
        code = 0
    if isinstance(code, str):  # sys.exit("message"): the message on stderr, exit 1
        print(code, file=sys.stderr)
        code = 1
    finish(code or 0)


def finish(code: int) -> NoReturn:
    """Flush stdout and stderr and end the process at once, as mypy does.

    An interpreter that exits normally first tears down every module and object it holds:
    for polars, pydantic and a national run's frames, a quarter of a second of work that a
    finished command needs none of. Output files are complete by now (written atomically)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or a closed stream
            pass
    os._exit(code)
