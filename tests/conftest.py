"""Shared test helpers: run the CLI and assert its exit code; build small workspaces."""

from __future__ import annotations

import os

# pytest-xdist runs a worker on each core, so polars' pool of a thread per core in every
# worker (and in each `laatool` process a test starts) only contends: one thread each, set
# before polars is first imported. A user's POLARS_MAX_THREADS is kept.
os.environ.setdefault("POLARS_MAX_THREADS", "1")

import functools  # noqa: E402
import tempfile
import textwrap
from pathlib import Path

import pytest
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner

from laatool.cli import app

# The property tests draw the same examples on every run (seeded by each test's name), so that
# a run's outcome depends on the code alone; `HYPOTHESIS_PROFILE=explore` draws new ones each
# time, as `make fuzz` mutates the examples afresh.
settings.register_profile("suite", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# typer's CliRunner builds the click command from the app on every invoke (30 ms, where a
# `laatool` process builds it once); the suite's thousands of runs build it once.
typer.testing._get_command = functools.cache(typer.testing._get_command)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture(autouse=True)
def no_stop_left_behind():
    """A test that stops a command in this process (`laatool.launch.stop`) leaves its signal
    recorded (`laatool.base.stopping.STOPPED_BY`); a later test's internal error would then
    end as that stop (exit 130, not 3)."""
    from laatool.base.stopping import STOPPED_BY

    yield
    STOPPED_BY.clear()

# The agreement cache of every run in the suite (in process or not) goes to a folder of its own,
# never the user's ~/.cache; tests that look at the cache point LAATOOL_CACHE_DIR elsewhere.
os.environ["LAATOOL_CACHE_DIR"] = tempfile.mkdtemp(prefix="laatool-test-cache-")
os.environ.pop("LAATOOL_NO_CACHE", None)
# Tables are as wide as COLUMNS off a terminal, else 100: the suite asks for a width where it
# means one, whatever terminal it is run from (pytest-xdist's workers are given COLUMNS=80).
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)


def invoke(args: list[str], code: int = 0, **kwargs):
    """Run `laatool ARGS` and assert the exit code; stdout and stderr are kept apart."""
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kwargs)
    assert result.exit_code == code, (
        f"exit {result.exit_code} != {code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    assert "Traceback" not in result.stderr
    return result


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create files under `root` (text is dedented); returns `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def workspace(tmp_path: Path):
    """A factory for a small workspace: `workspace({"agreements/leeds.yaml": "..."})`."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        (root / "agreements").mkdir(exist_ok=True)
        (root / "returns").mkdir(exist_ok=True)
        return write(root, files)

    return make


def workbook_rows(path: Path, sheet: str | None = None) -> list[dict]:
    """The data rows of a laatool workbook (the standard of `laatool.render.xlsx`), keyed by the
    header in row 5: those of `sheet`, or of every sheet but `Summary` in order (the CSV's lines).
    The rows are those the autofilter covers, so a `Total` row under them is left out."""
    import openpyxl
    from openpyxl.utils.escape import unescape  # the _x000D_ of a carriage return, as Excel reads it

    book = openpyxl.load_workbook(path)
    chosen = [book[sheet]] if sheet else [ws for ws in book.worksheets if ws.title != "Summary"]
    rows = []
    for ws in chosen:
        last = int(ws.auto_filter.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        header = [cell.value for cell in ws[5]]
        for line in ws.iter_rows(min_row=6, max_row=last, values_only=True):
            rows.append(dict(zip(header, [unescape(v) if isinstance(v, str) else v for v in line], strict=True)))
    return rows
