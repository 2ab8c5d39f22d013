"""Reading the returns before the command line is parsed (laatool.launch, workspace.read_early):
which arguments start it, and that what a run loads is the same with it or without it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from laatool.api import load_contents
from laatool.launch import READS_NO_RETURNS, READS_RETURNS, workspace_to_read
from laatool.load import workspace as workspace_module
from laatool.load.workspace import open_workspace, read_early, returns_files


@pytest.mark.parametrize("args", [
    ["-w", "{root}", "validate"],
    ["--workspace", "{root}", "score", "--area", "leeds"],
    ["--workspace={root}", "reward-grant", "--format", "json"],
    ["-w{root}", "validate", "returns/"],
])
def test_the_workspace_of_a_command_that_reads_returns(args, tmp_path):
    assert workspace_to_read([a.format(root=tmp_path) for a in args], {}) == tmp_path


def test_the_workspace_from_the_environment_or_the_current_folder(tmp_path):
    assert workspace_to_read(["score"], {"LAATOOL_WORKSPACE": str(tmp_path)}) == tmp_path
    assert workspace_to_read(["-w", str(tmp_path), "score"], {"LAATOOL_WORKSPACE": "/elsewhere"}) == tmp_path
    assert workspace_to_read(["validate"], {}) == Path(".")


@pytest.mark.parametrize("args", [
    [], ["--help"], ["--version"], ["indicators"], ["rules", "R301"], ["validate", "--help"],
    ["score", "-h"], ["-w"], ["-w", "/no/such/folder", "validate"], ["--no-such-option", "validate"],
    ["-w", "a" * 5000, "score"],
])
def test_nothing_is_read_early_for_other_commands_help_or_odd_arguments(args):
    assert workspace_to_read(args, {}) is None


def test_the_default_returns_folder_is_the_settings_default():
    from laatool.base.models import Settings

    assert workspace_module.DEFAULT_RETURNS_FOLDER == Settings().returns


@pytest.fixture
def early_cleared():
    yield
    workspace_module._early = None


def loaded(root: Path, extra: list[tuple[Path, str]] = ()) -> tuple:
    workspace = open_workspace(root)
    load_contents(workspace, returns_files(workspace) + list(extra))
    return workspace.returns, workspace.findings


def same(first: tuple, second: tuple) -> bool:
    return first[0].equals(second[0]) and first[1] == second[1]


def test_returns_read_early_are_those_read_at_loading(tmp_path, early_cleared):
    fresh = loaded(EXAMPLES)
    read_early(EXAMPLES)
    assert workspace_module._early is not None
    assert same(loaded(EXAMPLES), fresh)
    assert workspace_module._early is None  # taken once


def test_a_returns_file_from_outside_is_read_after_those_read_early(tmp_path, early_cleared):
    outside = tmp_path / "late.csv"
    outside.write_text("area,indicator,period,value\nleeds,NI 154,2011-12,12%\n", encoding="utf-8")
    extra = [(outside, "late.csv")]
    fresh = loaded(EXAMPLES, extra)
    read_early(EXAMPLES)
    assert same(loaded(EXAMPLES, extra), fresh)
    assert fresh[0].get_column("file").to_list()[-1] == "late.csv"


def test_other_files_than_those_read_early_are_read_afresh(tmp_path, early_cleared):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    read_early(root)
    (root / "returns" / "more.csv").write_text("area,indicator,period,value\nleeds,NI 154,2011-12,1\n",
                                               encoding="utf-8")
    assert workspace_module._early is not None  # started before the file was added
    frame, _ = loaded(root)
    assert "returns/more.csv" in frame.get_column("file").to_list()


def test_the_returns_folder_the_settings_name_is_read_early(tmp_path, early_cleared):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    (root / "returns").rename(root / "data")
    (root / "laatool.yaml").write_text("returns: data\n", encoding="utf-8")
    fresh = loaded(root)
    read_early(root)
    assert workspace_module._early is not None
    assert same(loaded(root), fresh)


@pytest.mark.parametrize("settings", ["returns: [a, b]\n", "- a list\n", "returns: {\n", b"\xff\xfe"])
def test_settings_that_say_anything_odd_about_the_returns_start_no_early_reading(settings, tmp_path,
                                                                                 early_cleared):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    path = root / "laatool.yaml"
    path.write_bytes(settings if isinstance(settings, bytes) else settings.encode())
    read_early(root)
    assert workspace_module._early is None


def test_every_command_is_known_to_the_early_reader():
    """A command added to the command line must be listed as reading returns or not, so that
    the early read neither misses it nor reads for nothing."""
    import typer

    from laatool.cli import app

    commands = set(typer.main.get_command(app).commands)
    assert commands == set(READS_RETURNS) | set(READS_NO_RETURNS)
    assert not set(READS_RETURNS) & set(READS_NO_RETURNS)


def test_what_a_run_imports_before_its_returns_start_reading():
    """The command line, the api and what `validate` imports before it starts reading returns
    bring in neither pydantic, the YAML loader nor rich: their import overlaps the reading."""
    import subprocess
    import sys

    code = ("import sys, laatool.launch, laatool.cli, laatool.api, laatool.checks.validation, "
            "laatool.load.workspace, laatool.render.reports, laatool.render.output; "
            "print(sorted(m for m in ('pydantic', 'yaml', 'rich', 'laatool.base.models') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_laatool_that_cannot_load_its_own_modules_ends_with_exit_3_in_one_line():
    """An install left half done (a module missing its names) is an internal error, exit 3 as
    §7 gives it, in one line: not a traceback and exit 1, which says the input was bad."""
    import subprocess
    import sys

    code = ("import sys, types; sys.modules['laatool.cli'] = types.ModuleType('laatool.cli'); "
            "sys.argv = ['laatool', 'rules']; from laatool.launch import main; main()")
    env = {key: value for key, value in os.environ.items() if key != "LAATOOL_DEBUG"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 3
    assert done.stderr.startswith("laatool: internal error while starting (ImportError: cannot import name 'main'")
    assert len(done.stderr.splitlines()) == 1 and done.stdout == ""


@pytest.mark.parametrize("library", ["polars", "pydantic"])
@pytest.mark.parametrize("command", [["rules"], ["schema", "settings"], ["indicators"]])
def test_a_command_whose_libraries_cannot_load_ends_with_exit_3_in_one_line(tmp_path, command, library):
    """A library broken under a command that loads it only when it runs (polars, for `rules`;
    pydantic, which typer loads to parse an option) is an internal error in one line, exit 3:
    the message itself needs no library (it was a second failure, a traceback and exit 1)."""
    import subprocess
    import sys

    (tmp_path / library).mkdir()
    (tmp_path / library / "__init__.py").write_text(f"raise RuntimeError('broken {library}')\n")
    env = {key: value for key, value in os.environ.items() if key != "LAATOOL_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "laatool", *command], capture_output=True, text=True, check=False,
                          env=env, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == (f"laatool: internal error (RuntimeError: broken {library}); please report it with the "
                           "command you ran (LAATOOL_DEBUG=1 shows the traceback)\n")


def test_no_command_loads_numpy(tmp_path):
    """polars makes a decimal from a Python Decimal through numpy, a tenth of a second of
    imports: laatool gives it text (`laatool.base.numbers.frame_of`, `frame_lit`) and no
    command of the examples loads numpy, the agreement cache cold (the first command) or warm.
    The commands run one after another in one process, each saying whether numpy is loaded."""
    import subprocess
    import sys

    commands = ["validate", "score", "reward-grant", "project", "benchmark", "opportunities"]
    code = ("import sys\nfrom laatool.cli import app\n"
            f"for command in {commands!r} * 2:\n"
            "    try:\n        app(['-w', sys.argv[1], command, '--format', 'json'])\n"
            "    except SystemExit:\n        pass\n"
            "    print(command, 'numpy' in sys.modules, file=sys.stderr)\n")
    env = {**os.environ, "LAATOOL_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code, str(EXAMPLES)], capture_output=True, text=True, check=False,
                          env=env)
    said = [line for line in done.stderr.splitlines() if line.endswith((" True", " False"))]
    assert said == [f"{command} False" for command in commands * 2], done.stderr


def _spoil(root: Path, how: str) -> Path:
    """The workspace at `root` changed as `how` says; the folder to read early."""
    if how == "long":
        return root / ("a" * 300)  # a name longer than the system allows
    settings, link = root / "laatool.yaml", root / "returns" / "x.csv"
    settings.unlink(missing_ok=True)
    {"folder": settings.mkdir, "pipe": lambda: os.mkfifo(settings),
     "outside": lambda: settings.write_text("returns: ../..\n"),
     "link": lambda: link.symlink_to("/etc/passwd")}[how]()
    return root


@pytest.mark.parametrize("how", ["long", "folder", "pipe", "outside", "link"])
def test_a_workspace_that_cannot_be_read_early_starts_nothing_and_raises_nothing(how, tmp_path, early_cleared):
    """A pipe for laatool.yaml once made the early reading wait for ever; a name too long
    ended in a traceback before the command line was parsed."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    read_early(_spoil(root, how))
    if how == "link":  # read, and the link refused as the command would
        frame, findings = workspace_module._early[-1].result()
        assert "returns/x.csv" not in frame.get_column("file").to_list()
        assert [(f.code, f.file) for f in findings] == [("Y012", "returns/x.csv")]
    else:
        assert workspace_module._early is None


@pytest.mark.parametrize(("args", "chosen"), [
    (["-w", "x", "benchmark", "-i", "NI 8", "-p", "2009/10"], (("NI 8",), "2009-10")),
    (["benchmark", "--indicator=ni154", "-i", "NI 8", "--period=2010-11", "--format", "json"],
     (("NI 154", "NI 8"), "2010-11")),
    (["benchmark", "-i", "NI 8"], None),  # every year: every row
    (["benchmark", "-p", "2009-10"], None),  # every indicator
    (["benchmark", "-i", "NI 8", "-p", "2009-10 Q2"], None),  # a usage error to come: read as usual
    (["score", "-p", "2009-10"], None),
])
def test_benchmark_chooses_its_rows_as_the_command_will(args, chosen):
    from laatool.launch import rows_chosen
    from laatool.load.normalise import RowChoice

    assert rows_chosen(args) == (RowChoice(*chosen) if chosen else None)


def test_the_rows_benchmark_reads_early_are_those_it_compares(tmp_path):
    """Through `laatool.launch` (the early reading of the chosen rows taken at loading) and in
    this process (read at loading), the same document."""
    import subprocess
    import sys

    from conftest import invoke

    args = ["-w", str(EXAMPLES), "benchmark", "-i", "NI 8", "-i", "NI 154", "-p", "2009/10", "--format", "json"]
    env = {**os.environ, "LAATOOL_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "laatool", *args], capture_output=True, text=True, env=env,
                          check=True)
    assert done.stdout == invoke(args).stdout
    assert [r["indicator"] for r in json.loads(done.stdout)["rows"]] == ["NI 8", "NI 154"]


def test_a_ctrl_c_polars_has_answered_is_not_raised_a_second_time():
    # polars raises KeyboardInterrupt for a Ctrl-C that comes in its own work, and Python then
    # runs laatool's handler of the same signal, in the middle of the clean-up that exception
    # set off (removing a half-written -o file): the handler lets it unwind (to exit 130).
    # Any other time it ends the run with 128 + the signal's number.
    import signal

    from laatool.base.stopping import STOPPING
    from laatool.launch import stop

    kept = {number: signal.getsignal(number) for number in STOPPING}
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            stop(signal.SIGINT, None)
        with pytest.raises(SystemExit) as stopped:
            stop(signal.SIGINT, None)
        assert stopped.value.code == 130
        assert all(signal.getsignal(number) == signal.SIG_IGN for number in STOPPING)
    finally:
        for number, handler in kept.items():
            signal.signal(number, handler)


@pytest.mark.parametrize(("argv0", "signal_name", "code"), [
    ("laatool", "SIGINT", 130), ("laatool", "SIGTERM", 143), ("/usr/local/bin/laatool", "SIGHUP", 129),
    ("{main}", "SIGINT", 130),
])
def test_a_stop_while_the_command_is_still_importing_ends_it_quietly(argv0, signal_name, code):
    """Ctrl-C in a command's first milliseconds, its imports under way before `main` sets its
    handlers, ends it as any later stop does: 128 + the signal, nothing on stderr (it was a
    KeyboardInterrupt traceback; SIGTERM and SIGHUP killed it, with no exit code at all)."""
    import subprocess
    import sys

    import laatool

    argv0 = argv0.format(main=str(Path(laatool.__file__).parent / "__main__.py"))
    code_run = (f"import sys; sys.argv = [{argv0!r}, '-w', '.', 'validate']; import laatool.launch, os, signal, time; "
                f"os.kill(os.getpid(), signal.{signal_name}); time.sleep(5); print('ran on')")
    done = subprocess.run([sys.executable, "-c", code_run], capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (code, "", "")


def test_a_program_that_imports_the_launcher_keeps_its_own_ctrl_c():
    import subprocess
    import sys

    # its own handler set first (a test runner's worker may have been started with Ctrl-C ignored)
    code_run = ("import os, signal, sys, time; sys.argv = ['myscript.py']\n"
                "signal.signal(signal.SIGINT, lambda number, frame: print('its own') or sys.exit(0))\n"
                "import laatool.launch\nos.kill(os.getpid(), signal.SIGINT); time.sleep(5)")
    done = subprocess.run([sys.executable, "-c", code_run], capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout) == (0, "its own\n")


def test_a_stop_that_comes_back_from_a_library_as_its_own_error_ends_the_run_as_the_stop():
    """Ctrl-C's SystemExit, raised while pydantic or polars was calling back into Python, came
    back as their error (a SchemaError naming `SystemExit: 130`, a TypeError, a panic): exit 3
    and "internal error". It is the stop: 128 + its signal, quietly."""
    import subprocess
    import sys

    code_run = ("import sys; sys.argv = ['laatool', 'rules']\n"
                "from laatool.base import stopping; stopping.STOPPED_BY.append(2)\n"
                "sys.modules['laatool.cli'] = None  # its import fails, as a library's wrapped stop would\n"
                "from laatool.launch import main; main()")
    env = {key: value for key, value in os.environ.items() if key != "LAATOOL_DEBUG"}
    done = subprocess.run([sys.executable, "-c", code_run], capture_output=True, text=True, check=False, env=env,
                          timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")


def test_a_command_whose_stop_came_back_as_another_error_exits_as_the_stop(monkeypatch):
    from conftest import invoke
    from laatool import api
    from laatool.base import stopping

    def wrapped(*args, **kwargs):
        raise TypeError("'<unprintable str object>' is not a Polars data type")

    monkeypatch.setattr(api, "validate", wrapped)
    monkeypatch.setattr(stopping, "STOPPED_BY", [15])
    result = invoke(["-w", EXAMPLES, "validate"], 143)
    assert result.stderr == ""
    monkeypatch.setattr(stopping, "STOPPED_BY", [])
    assert "internal error (TypeError" in invoke(["-w", EXAMPLES, "validate"], 3).stderr
