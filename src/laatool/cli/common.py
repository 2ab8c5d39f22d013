"""What every command shares: options declared once, error handling, stderr messages.

Command modules import only typer at module level so `laatool --help` stays instant;
polars, pydantic and the core are imported inside the command functions.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from laatool.render.output import OutputFormat

FormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="table (default, or LAATOOL_FORMAT), json or csv, in any case.",
                 show_default=False, case_sensitive=False),
]


def path_named(text: str) -> Path:
    """`validate PATH`: an empty one (`validate "$FILE"` with FILE unset) is said to be empty (it
    read as the current folder, "'.' is outside the workspace")."""
    if not text:
        raise typer.BadParameter("a path is empty: name a file or folder, or leave it out")
    return Path(text)


def output_named(text: str) -> Path:
    """`-o FILE`: an empty name (`-o "$OUT"` with OUT unset) is said to be empty (it read as
    the current folder, "a directory"); a folder is no file to write."""
    if not text:
        raise typer.BadParameter("the file's name is empty")
    if text.endswith(("/", os.sep, "/.", os.sep + ".")):  # a folder's name, which `Path` would make a file's
        raise typer.BadParameter(f"'{text}' names a folder (it ends in '/'): give a file's name")
    try:
        folder = text != "-" and Path(text).is_dir()
    except OSError:  # a name the system refuses (too long): said when it is written
        folder = False
    if folder:
        raise typer.BadParameter(f"file '{text}' is a directory.")
    return Path(text)


def _stdout_for_dash(value: Path | None) -> Path | None:
    """`-o -` is standard output, as for most command-line tools, not a file named `-`."""
    return None if value is not None and str(value) == "-" else value


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE",
                 help="Write to FILE atomically (.json, .csv, .xlsx, .txt); - is standard output.",
                 parser=output_named, show_default=False, callback=_stdout_for_dash),
]
AreaOption = Annotated[
    list[str] | None,
    typer.Option("--area", "-a", metavar="AREA",
                 help="The area: its slug, its agreement's name or its ONS code, in any case (repeat for several); "
                      "default every area.",
                 show_default=False),
]

# The exit codes of DESIGN.md §7, in one table: what each means, and what 1 means for each command
# (a command without one never exits 1). Every command's `--help` lists its own (`exit_codes`).
EXIT_CODES = {
    0: "success",
    2: "usage error: a bad option or argument, an unknown area, no workspace",
    3: "internal error: a bug in laatool (never bad input); please report it",
    130: "stopped by Ctrl-C (another stopping signal: 128 + its number)",
}
COMPUTED = ("the inputs the areas use hold errors: nothing is computed (with --skip-invalid: an area was "
            "left out, the others are computed)")
INVALID = {
    "validate": "a finding at or above --fail-on (default: error); the report is still written",
    "score": COMPUTED,
    "reward-grant": COMPUTED,
    "project": COMPUTED,
    "opportunities": COMPUTED,
    "benchmark": "the files compared (returns, comparators, the neighbour group) hold errors: nothing is compared",
    "template": "the area's agreement cannot be read: no template is written; or what it uses holds errors: the "
                "template is written without the targets they leave out",
    "report": COMPUTED.replace("computed", "written"),
    "laatool": "invalid input: the data, not the command line (each command's --help says when)",
}


def exit_codes(command: str) -> str:
    """The `--help` epilog of `command`: its exit codes, one a line, kept as laid out."""
    import textwrap

    meanings = dict(EXIT_CODES)
    if command in INVALID:
        meanings[1] = INVALID[command]
    lines = ["\b", "Exit codes:"]
    for code, meaning in sorted(meanings.items()):
        lines += textwrap.wrap(meaning, 72, initial_indent=f"  {code:<4} ", subsequent_indent=" " * 7)
    return "\n".join(lines)


SkipInvalidOption = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Leave out the areas whose inputs hold errors, list them, and compute "
                 "the others (exit 1 when any is left out).", show_default=False),
]


def stderr_console():
    from laatool.render.console import TextConsole

    return TextConsole(stderr=True, highlight=False, soft_wrap=True)


# Longer than any path Linux allows (4,095 characters) with the quotes and a colon around it
LONG_WORD = re.compile(r"\S{4101,}")


def say(message: str | list[str], style: str = "") -> None:
    """A message for people, on stderr, a line for each string: styled on a terminal; elsewhere
    (a batch run's log) the plain text, without loading rich. Input quoted in a message shows
    as text: control characters and line breaks in it are written as escapes
    (`render.values.visible`), so a message is always the lines it was made of; a word of it
    longer than any path (an option's value of 10,000 characters, quoted) shows as its start
    and end (`base.text.excerpt`)."""
    from laatool.base.text import excerpt, visible

    lines = [message] if isinstance(message, str) else message
    text = "\n".join(visible(LONG_WORD.sub(lambda word: excerpt(word.group(), 200), line)) for line in lines)
    try:
        if sys.stderr.isatty():
            stderr_console().print(text, style=style or None)
        else:
            print(text, file=sys.stderr, flush=True)
    except OSError:  # a log pipe that died, a full disk: the messages go, the data and exit code do not
        from laatool.base.files import let_go

        let_go(2)


def workspace_root(ctx: typer.Context) -> Path:
    return Path((ctx.obj or {}).get("workspace") or os.environ.get("LAATOOL_WORKSPACE") or ".")


def refuse_missing_workspace(ctx: typer.Context) -> None:
    """A usage error when `-w` (or LAATOOL_WORKSPACE) names a workspace that is not a folder,
    as every command says, also one that reads nothing of it (`rules`, `schema`): a batch
    script's wrong path is said at once, whichever command meets it first."""
    root = workspace_root(ctx)
    if str(root) != ".":
        from laatool.load.workspace import refuse_no_folder

        refuse_no_folder(root)


def check_output_path(output: Path | None) -> None:
    from laatool.base.errors import UsageError

    if output is None:
        return
    if str(output).startswith("-") and str(output) != "-":  # `-o --skip-invalid`: the file's name left out
        raise UsageError(f"cannot write '{output}': a name that begins with '-' is an option, not a file; give "
                         f"the file after -o (or '{Path.cwd() / output}' for a file of that name, - for standard "
                         "output)")
    try:
        output.resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: Python 3.11's word for a loop of links
        if isinstance(error, OSError) and error.errno != errno.ELOOP:
            raise
        raise UsageError(f"cannot write '{output}': it is a loop of symbolic links") from None
    # a link is written through (`base.files.atomic_write`): the folder it leads to must be there
    target = output.resolve() if output.is_symlink() else output
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        # the nearest part of the path that is there: a file where a folder should be is named
        there = next((part for part in (parent, *parent.parents) if part.exists()), None)
        if there is not None and not there.is_dir():
            what = "a file, not a folder" if there.is_file() else "not a folder"
            raise UsageError(f"cannot write '{output}': '{there}' is {what}")
        leads = " it leads to" if target is not output else ""
        raise UsageError(f"cannot write '{output}': the folder '{parent}'{leads} does not exist")
    if output.is_dir():
        raise UsageError(f"cannot write '{output}': it is a folder")
    # Replacing a file needs only the folder's permission: a file write-protected (`chmod a-w`, a
    # report kept as it was sent) or one the user may not write would be replaced all the same.
    if target.is_file() and (not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222):
        raise UsageError(f"cannot write '{output}': it is read-only; make it writable (chmod u+w) to replace "
                         "it, or choose another name")


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn laatool's exceptions into the exit codes of DESIGN.md §7, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from laatool.base.errors import ExitCode, InvalidInput, LaatoolError, is_panic
        from laatool.base.stopping import stop_code

        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except InvalidInput as refusal:
            report_findings(refusal.findings)
            say(f"laatool: {refusal}; nothing was computed" + (f". {refusal.hint}" if refusal.hint else ""),
                "bold red")
            raise typer.Exit(ExitCode.INVALID_INPUT) from None
        except LaatoolError as error:
            say(f"laatool: {error}", "bold red")
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:  # Ctrl-C: ended quietly, as a shell ends a command
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(ExitCode.OK) from None
        except OSError as error:  # the system refuses a path given (too long, a loop): not a bug
            from laatool.base.text import excerpt

            name = str(error.filename or "")
            where = f" '{excerpt(name)}'" if name else ""
            say(f"laatool: cannot use{where}: {error.strerror or error}", "bold red")
            raise typer.Exit(ExitCode.USAGE) from None
        except BaseException as error:  # the last resort: one line, exit 3
            if (code := stop_code()) is not None:  # a stop, come back from a library's native code as its error
                raise typer.Exit(code) from None
            # polars' PanicException is not an Exception; other BaseExceptions are not bugs
            if os.environ.get("LAATOOL_DEBUG") or not (isinstance(error, Exception) or is_panic(error)):
                raise
            say(internal_error(error), "bold red")
            raise typer.Exit(ExitCode.INTERNAL) from None

    return wrapper


def internal_error(error: BaseException) -> str:
    """The one line of an unexpected error (exit 3)."""
    from laatool.base.text import first_line

    return (f"laatool: internal error ({type(error).__name__}: {first_line(str(error))}); please report it with the "
            "command you ran (LAATOOL_DEBUG=1 shows the traceback)")


def report_findings(findings: list) -> None:
    """Findings on stderr, one line each, as a person or a log reads them."""
    from laatool.base.findings import sort_findings

    if findings:
        say([finding.one_line() for finding in sort_findings(findings)])


def deliver(outcome: Any, fmt: str, output: Path | None) -> None:
    """A computed command's outcome: its messages and the refused areas' findings on stderr,
    the report out, then exit 1 when `--skip-invalid` left an area out (DESIGN.md §13)."""
    from laatool.base.errors import ExitCode
    from laatool.render.output import emit

    report_findings(outcome.findings)
    for message in outcome.messages:
        say(message)
    emit(outcome.report, fmt, output, refused=outcome.refused)
    if outcome.refused:
        raise typer.Exit(ExitCode.INVALID_INPUT)


def refuse_repeated_options(command: Any, ctx: Any, args: list[str]) -> None:
    """A usage error when an option of one value of `command` is given more than once in `args`
    (`--period 2009-10 --period 2010-11`): click would take the last without a word, and a run
    over the year not meant would look right. Options that take several (`--area`,
    `--indicator`) and flags may be repeated."""
    once = [param for param in command.params if getattr(param, "param_type_name", "") == "option"
            and not param.multiple and not getattr(param, "is_flag", False) and not getattr(param, "count", False)]
    given: dict[Any, int] = {}
    for token in args:
        if token == "--":
            break
        for param in once:
            if any(token == opt or token.startswith(f"{opt}=") if opt.startswith("--")
                   else token.startswith(opt) and not token.startswith("--") for opt in param.opts):
                given[param] = given.get(param, 0) + 1
    for param, times in given.items():
        if times > 1:
            raise typer.BadParameter(f"given {times} times: give it once", ctx=ctx, param=param)


# The usage error of the click that typer runs on (its own copy from typer 0.29, click itself
# before): the class its public BadParameter derives from.
USAGE_ERROR: Any = typer.BadParameter.__mro__[1]


def said_in_one_line(error: Any, ctx: Any) -> Any:
    """A usage error click finds (an option unknown, missing or given a bad value, an argument
    too many, a command unknown) as one line on stderr, `laatool: ...`, as laatool's own usage
    errors are, rather than click's usage, hint and `Error:` over four: a nightly script's log
    that keeps the lines starting `laatool:` keeps it. The exit code is click's (2)."""
    if type(error).__name__ == "NoArgsIsHelpError":  # `laatool` alone: its help
        return error
    command = (error.ctx or ctx).command_path
    # click lays some messages out over lines (`Choose from:` and a line a choice): one line here
    text = re.sub(r"[ \t]*[\r\n\t][\s]*", " ", error.format_message().strip()).rstrip(".")
    text = text.replace("Value error, ", "")  # typer's word before a choice refused, of no use to a reader
    text = text[:1].lower() + text[1:] if text[1:2].islower() else text

    class OneLine(USAGE_ERROR):
        def show(self, file: Any = None) -> None:
            say(f"laatool: {text} (`{command} -h` for help)")

    return OneLine(text, error.ctx or ctx)


class OnceCommand(TyperCommand):
    """A command whose options of one value may be given once (`refuse_repeated_options`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            refuse_repeated_options(self, ctx, args)
            return super().parse_args(ctx, args)
        except USAGE_ERROR as error:
            raise said_in_one_line(error, ctx) from None


class OnceGroup(TyperGroup):
    """`laatool` itself, whose `--workspace` may be given once (`refuse_repeated_options`); its
    commands' options come after the command's name, and are theirs to check."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        before = self._command_at(args)
        try:
            refuse_repeated_options(self, ctx, args[:before])
            return super().parse_args(ctx, args)
        except USAGE_ERROR as error:
            raise said_in_one_line(error, ctx) from None

    def _command_at(self, args: list[str]) -> int:
        """Where the command's name is among `args`: the first command name that is not the
        value of an option before it (`-w report score`: a workspace named `report`)."""
        valued = {opt for param in self.params if getattr(param, "param_type_name", "") == "option"
                  and not getattr(param, "is_flag", False) for opt in param.opts}
        after_option = False
        for index, token in enumerate(args):
            if not after_option and token in self.commands:
                return index
            after_option = not after_option and token in valued
        return len(args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except USAGE_ERROR as error:  # a command unknown
            raise said_in_one_line(error, ctx) from None

    def invoke(self, ctx: Any) -> Any:
        if not ctx._protected_args:  # options and no command (`laatool -w DIR`), found as click finds it
            raise said_in_one_line(USAGE_ERROR("Missing command.", ctx), ctx)
        return super().invoke(ctx)
