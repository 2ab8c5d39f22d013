"""The installed command as a batch script runs it: a real process, its exit code and its pipes.

`laatool` ends its process as soon as the output is flushed (`laatool.cli.finish`), so these
check what the in-process CliRunner tests cannot: every byte reaches the pipe, and the exit
codes of DESIGN.md §7 come out of the process itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, write


def laatool(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "laatool", *map(str, args)], input=stdin,
                          capture_output=True, timeout=120)


def test_a_whole_report_reaches_the_pipe_and_the_exit_code_is_zero():
    done = laatool("-w", EXAMPLES, "score", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [area["area"] for area in document["areas"]] == ["cumbria", "leeds", "stockton"]
    assert done.stdout.endswith(b"}\n")
    assert b"1 warning(s) in the inputs" in done.stderr


def test_invalid_input_exits_1_with_its_findings(tmp_path):
    root = tmp_path / "ws"
    write(root, {"agreements/.keep": "", "returns/r.csv": "area,indicator,period,value\nleeds,NI 154,2008-10,12%\n"})
    done = laatool("-w", root, "validate", "--format", "csv")
    assert done.returncode == 1
    lines = done.stdout.decode().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["R301", "R304", "R305"]
    assert b"Traceback" not in done.stderr


def test_usage_errors_exit_2():
    assert laatool("--no-such-option").returncode == 2
    unknown = laatool("-w", EXAMPLES, "score", "--area", "leds")
    assert unknown.returncode == 2
    assert b"did you mean leeds?" in unknown.stderr


def test_a_reader_that_stops_early_is_not_an_error():
    """`laatool ... | head -1`: the pipe closes before the output is written out."""
    pipeline = subprocess.run(f"'{sys.executable}' -m laatool -w '{EXAMPLES}' score --format csv | head -1",
                              shell=True, capture_output=True, timeout=120)
    assert pipeline.stdout.startswith(b"area,name,indicator")
    assert b"Traceback" not in pipeline.stderr and b"BrokenPipe" not in pipeline.stderr


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_a_reader_that_stops_early_ends_the_run_as_done_whichever_way_stdout_is_named(output):
    """`benchmark -o /dev/stdout | head -c 10` (more than a pipe holds) ended 2, "cannot write
    '/dev/stdout': Broken pipe", where `-o -` ends 0."""
    command = f"'{sys.executable}' -m laatool -w '{EXAMPLES}' benchmark -f json -o {output}"
    pipeline = subprocess.run(f"{command} | head -c 10; exit ${{PIPESTATUS[0]}}", shell=True, executable="/bin/bash",
                              capture_output=True, timeout=120)
    assert (pipeline.returncode, pipeline.stdout, pipeline.stderr) == (0, b'{"neighbou', b"")


@pytest.mark.parametrize("closed", [">&-", "2>&-"])
def test_a_closed_standard_stream_is_no_traceback(closed):
    # `>&-` left Python's sys.stdout None: an AttributeError and a traceback, exit 1
    run = subprocess.run(f"'{sys.executable}' -m laatool -w '{EXAMPLES}' score --format json {closed}",
                         shell=True, capture_output=True, check=False)
    assert b"Traceback" not in run.stderr + run.stdout
    if closed == "2>&-":  # the messages are let go, the data written
        assert run.returncode == 0
        assert json.loads(run.stdout)["areas"]


@pytest.mark.parametrize("args", [["score", "-f", "json"], ["reward-grant", "-f", "csv", "-o", "-"],
                                  ["score", "-o", "/dev/stdout"], ["validate"],
                                  # help was let go with exit 0, as `--version` was not
                                  ["--help"], ["score", "--help"], ["--version"]])
def test_data_for_a_closed_standard_output_is_refused_not_lost_with_exit_0(args):
    # a nightly job with stdout closed by mistake got exit 0 and no data; `> /dev/full` is exit 2
    command = " ".join(f"'{arg}'" for arg in [sys.executable, "-m", "laatool", "-w", str(EXAMPLES), *args])
    run = subprocess.run(f"{command} >&-", shell=True, capture_output=True, check=False, timeout=120)
    named = "'/dev/stdout'" if "/dev/stdout" in args else "the standard output"
    assert run.returncode == 2
    assert run.stderr.decode().splitlines()[-1] == (
        f"laatool: cannot write {named}: it was closed (`>&-`): redirect it, or give -o FILE")


def test_a_closed_standard_output_is_no_matter_when_the_data_goes_to_a_file(tmp_path):
    run = subprocess.run(f"'{sys.executable}' -m laatool -w '{EXAMPLES}' score -o '{tmp_path / 's.json'}' >&-",
                         shell=True, capture_output=True, check=False, timeout=120)
    assert run.returncode == 0 and json.loads((tmp_path / "s.json").read_text())["areas"]


def test_a_workspace_name_longer_than_the_system_allows_is_a_usage_error():
    """It once ended in a traceback from the early reading, before the command line was parsed."""
    for command in ("validate", "score", "reward-grant"):
        done = laatool("-w", "a" * 5000, command)
        assert done.returncode == 2, done.stderr
        assert b"Traceback" not in done.stderr and b"File name too long" in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_standard_output_on_a_full_disk_says_what_it_could_not_write(fmt):
    """`> /dev/full` said "laatool: cannot use: No space left on device", naming nothing."""
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "laatool", "-w", str(EXAMPLES), "reward-grant", "-f", fmt],
                              stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[-1] == \
        "laatool: cannot write the standard output: No space left on device"


def run_shell(line: str) -> subprocess.CompletedProcess:
    """A bash line whose exit code is laatool's (the first command of a pipeline)."""
    return subprocess.run(f"{line}; exit ${{PIPESTATUS[0]}}", shell=True, executable="/bin/bash",
                          capture_output=True, timeout=120)


LAATOOL = f"'{sys.executable}' -m laatool"


@pytest.mark.parametrize("stderr", ["2>&1 >/dev/null | true", "2>/dev/full"])
def test_messages_nobody_can_read_never_cost_the_figures(tmp_path, stderr):
    """A nightly job's log pipe that died (`2>&1 | logger`), or a full disk under stderr: the
    warnings said before the output could not be written, and the run stopped there with exit
    0 and no file. The messages go; the file is written and the exit code is the command's."""
    if stderr == "2>/dev/full" and not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full, a device that is always full")
    out = tmp_path / "lg.csv"
    done = run_shell(f"{LAATOOL} -w '{EXAMPLES}' reward-grant --area leeds -o '{out}' {stderr}")
    assert done.returncode == 0
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("area,name,scheme,indicator")


@pytest.mark.parametrize(("command", "code"), [("validate --format csv", 1), ("score", 0)])
def test_a_reader_done_early_leaves_the_command_s_own_exit_code(tmp_path, command, code):
    """`validate | true` on inputs in error ended 0 (the closed pipe was taken for the end of a
    good run); a table to a closed pipe ended 1, rich's way."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    with open(root / "returns" / "returns-2010-11.csv", "a", encoding="utf-8") as returns:
        returns.write("leeds,NI 8,2010-11,abc,,,,,,,,\n" if code else "")
    done = run_shell(f"{LAATOOL} -w '{root}' {command} 2>/dev/null | true")
    assert (done.returncode, done.stderr) == (code, b"")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("args", ["--version", "score --help", "schema agreement"])
def test_help_version_and_schema_on_a_full_disk_say_so_in_one_line(args):
    # a traceback and exit 1 (`--help`, `--version`); `schema agreement >&-` ended 0, nothing written
    done = run_shell(f"{LAATOOL} {args} >/dev/full")
    assert (done.returncode, done.stderr.decode()) == (
        2, "laatool: cannot write the standard output: No space left on device\n")


def test_schema_for_a_closed_standard_output_is_refused():
    done = run_shell(f"{LAATOOL} schema agreement >&-")
    assert (done.returncode, done.stderr.decode().splitlines()[-1]) == (
        2, "laatool: cannot write the standard output: it was closed (`>&-`): redirect it, or give -o FILE")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_a_terminal_that_cannot_show_a_character_gets_a_question_mark_not_exit_3(encoding):
    """A table or message holding `£`, `–` or `…` under an encoding without it (an old server's
    Latin-1 locale, ASCII, cp1252 for Windows' redirected output) ended in exit 3. Tables and
    messages show `?` for what the encoding cannot write; data stays UTF-8."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    for command in (["reward-grant"], ["score"], ["project"]):
        done = subprocess.run([sys.executable, "-m", "laatool", "-w", str(EXAMPLES), *command], env=env,
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert b"Leeds" in done.stdout and b"Traceback" not in done.stderr
        if encoding == "ascii":  # the box-drawing characters and the pound sign
            assert b"?" in done.stdout and max(done.stdout) < 128
    done = subprocess.run([sys.executable, "-m", "laatool", "schema", "agreement"], env=env, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["title"]


def test_a_terminal_said_to_be_no_columns_wide_still_shows_the_findings(tmp_path):
    """`COLUMNS=0` on a terminal laid every table and message out in no width: only the exit
    code was left. On a terminal, as off one, nothing is laid out narrower than 40 columns."""
    import pty

    root = tmp_path / "ws"
    write(root, {"agreements/.keep": "", "returns/r.csv": "area,indicator,period,value\nleeds,NI 154,2008-10,12%\n"})
    main, secondary = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "laatool", "-w", str(root), "validate"], stdout=secondary,
                          stderr=secondary, env={**os.environ, "COLUMNS": "0", "NO_COLOR": "1"}) as process:
        os.close(secondary)
        shown = b""
        while True:
            try:
                piece = os.read(main, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not piece:
                break
            shown += piece
        assert process.wait(timeout=120) == 1
    os.close(main)
    assert b"R305" in shown and b"R304" in shown and b"error" in shown


def test_a_locale_that_is_not_utf8_still_reads_a_file_named_in_utf8(tmp_path):
    """Python names files in the locale's encoding (here `C` with its coercion to UTF-8 turned
    off: ASCII; an old server's Latin-1 alike) while polars takes every name as UTF-8: a
    returns file named with an en dash was unreadable there (Y006, nothing computed). The run
    is the same as in a UTF-8 locale, and findings name the file as it is named."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    (root / "returns" / "returns-2010-11.csv").rename(root / "returns" / "returns-2010-11 – final.csv")
    with (root / "returns" / "returns-2010-11 – final.csv").open("a", encoding="utf-8") as returns:
        returns.write("leeds,NI 8,2010-11,abc,,,,,,,,\n")
    legacy = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    legacy.pop("PYTHONIOENCODING", None)
    # run as a user runs it, the installed command, from a folder holding Python files named as
    # modules laatool imports: the run in UTF-8 mode imported them instead of its own
    command = shutil.which("laatool", path=str(Path(sys.executable).parent))
    for name in ("laatool.py", "csv.py"):
        (tmp_path / name).write_text('print("not laatool\'s")\n', encoding="utf-8")
    runs = [subprocess.run([command, "-w", str(root), "validate", "--format", "json"], cwd=tmp_path,
                           env=env, capture_output=True, timeout=120) for env in (os.environ, legacy)]
    assert [run.returncode for run in runs] == [1, 1]
    assert runs[1].stdout == runs[0].stdout
    (finding,) = [f for f in json.loads(runs[1].stdout)["findings"] if f["code"] == "R305"]
    assert finding["file"] == "returns/returns-2010-11 – final.csv"
    usage = subprocess.run([command, "score", "--bogus"], env=legacy, capture_output=True, timeout=120)
    assert (usage.returncode, usage.stderr) == (2, b"laatool: no such option: --bogus (`laatool score -h` for help)\n")


def test_the_run_again_in_utf8_mode_is_of_the_same_laatool(tmp_path):
    """`python -m laatool` in a copy of src/ imports the copy (the current folder comes first);
    started again in UTF-8 mode (a locale that is not UTF-8) it must run the copy again, not the
    laatool installed in the environment."""
    copy = tmp_path / "src"
    shutil.copytree(Path(__file__).resolve().parents[1] / "src" / "laatool", copy / "laatool",
                    ignore=shutil.ignore_patterns("__pycache__"))
    init = copy / "laatool" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace('__version__ = "', '__version__ = "copy-'),
                    encoding="utf-8")
    legacy = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    legacy.pop("PYTHONPATH", None)
    done = subprocess.run([sys.executable, "-m", "laatool", "--version"], cwd=copy, env=legacy, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"laatool copy-")


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="the peak memory of one child process needs os.wait4")
def test_a_csv_of_blank_lines_past_the_cell_limit_is_refused_before_it_is_read(tmp_path):
    # A header of 16,384 columns and 5,000 blank lines (82 KB): polars makes each blank line a
    # row of 16,384 empty cells, 81,936,384 in all (past the 30,000,000 limit), so read whole
    # it took 1.4 GB before it was refused; its rows are counted first, and nothing is read.
    root = tmp_path / "ws"
    header = ",".join(["area", "indicator", "period", "value", *(f"x{n}" for n in range(16_380))])
    write(root, {"agreements/.keep": "", "returns/r.csv": header + "\n" + "\n" * 5_000})
    child = subprocess.Popen([sys.executable, "-m", "laatool", "-w", root, "validate", "--format", "csv"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1
    assert ("Y005,error,returns/r.csv,,,1,,\"the table spans 5,001 rows × 16,384 columns: the limit is 30,000,000 "
            "cells\"") in out
    assert usage.ru_maxrss < 600 * 1024  # KiB: the interpreter, polars and the count
