"""Output is byte-for-byte the same whatever the order of files and rows (DESIGN.md §7).

The example returns are shuffled and split across differently named files (CSV in nested
folders and a YAML file): score, reward-grant and project give identical JSON and CSV. Validate gives
identical findings however the file system lists the same files, and whatever the hash seed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import yaml

from conftest import EXAMPLES, invoke
from laatool.load.returns import read_returns
from laatool.load.workspace import open_workspace, returns_files

HOSTILE = Path(__file__).parent / "hostile" / "files"
OUTPUTS = [[command, "--format", fmt] for command in ("score", "reward-grant", "project") for fmt in ("json", "csv")]
OUTPUTS.append(["project", "--as-at", "2010-11 Q2", "--format", "json"])


def outputs(root: Path) -> list[str]:
    return [invoke(["-w", root, *args]).stdout for args in OUTPUTS]


def example_rows() -> pl.DataFrame:
    """Every example return as text cells, without where it was read from."""
    raw, findings = read_returns(returns_files(open_workspace(EXAMPLES)))
    assert findings == []
    return raw.drop("file", "row")


def reshuffled(tmp_path: Path, seed: int) -> Path:
    """The examples with their returns shuffled and dealt into five differently named files."""
    root = tmp_path / f"shuffled-{seed}"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("returns"))
    rows = example_rows()
    order = list(range(rows.height))
    random.Random(seed).shuffle(order)
    rows = rows[order]
    names = ["zz-last.csv", "a/b/nested.csv", "0001.csv", "M.csv", "mixed.yaml"]
    random.Random(seed + 1).shuffle(names)
    for index, name in enumerate(names):
        part = rows.gather_every(len(names), offset=index)
        path = root / "returns" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".yaml"):
            records = [{k: v for k, v in row.items() if v is not None} for row in part.iter_rows(named=True)]
            path.write_text(yaml.safe_dump(records, sort_keys=False), encoding="utf-8")
        else:
            part.write_csv(path)
    return root


def test_the_reshuffle_really_moves_rows(tmp_path):
    first = reshuffled(tmp_path, 1)
    assert sorted(p.relative_to(first / "returns").as_posix() for p in (first / "returns").rglob("*.*")) == [
        "0001.csv", "M.csv", "a/b/nested.csv", "mixed.yaml", "zz-last.csv"]
    written = pl.read_csv(first / "returns" / "0001.csv", infer_schema=False)
    assert written.height > 50 and written.row(0) != example_rows().row(0)


@pytest.mark.parametrize("seed", [1, 2])
def test_score_reward_grant_and_project_ignore_file_and_row_order(tmp_path, seed):
    assert outputs(reshuffled(tmp_path, seed)) == outputs(EXAMPLES)


def broken_workspace(tmp_path: Path) -> Path:
    """The examples with findings in several files, so ordering has something to order."""
    root = tmp_path / "broken"
    shutil.copytree(EXAMPLES, root)
    shutil.copy(HOSTILE / "excel-numbers.csv", root / "returns" / "b-excel.csv")
    shutil.copy(HOSTILE / "latin1-returns.csv", root / "returns" / "a-latin1.csv")
    shutil.copy(HOSTILE / "duplicate-period.yaml", root / "agreements" / "leeds.yaml")
    # the same return in two files: which one is "first" must not depend on the listing
    (root / "returns" / "c-dupes.csv").write_text("area,indicator,period,value\nstockton,NI 8,2005-06,1\n")
    (root / "returns" / "d-dupes.csv").write_text("area,indicator,period,value\nstockton,NI 8,2005/06,2\n")
    return root


def test_validate_ignores_the_order_the_file_system_lists_files(tmp_path, monkeypatch):
    root = broken_workspace(tmp_path)
    args = ["-w", root, "validate", "--format", "json"]
    listed = invoke(args, 1).stdout
    assert {f["code"] for f in json.loads(listed)["findings"]} >= {"R305", "Y004", "R308", "S003"}
    iterdir, rglob = Path.iterdir, Path.rglob
    monkeypatch.setattr(Path, "iterdir", lambda self: iter(sorted(iterdir(self), reverse=True)))
    monkeypatch.setattr(Path, "rglob", lambda self, pattern: iter(sorted(rglob(self, pattern), reverse=True)))
    assert invoke(args, 1).stdout == listed
    assert invoke(["-w", root, "validate", "--format", "csv"], 1).stdout == invoke(
        ["-w", root, "validate", "--format", "csv"], 1).stdout


def test_validate_is_the_same_under_any_hash_seed(tmp_path):
    """Sets and dicts of strings iterate in a per-process order; nothing may leak into output."""
    root = broken_workspace(tmp_path)
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "laatool", "-w", str(root), "validate", "--format", "csv"],
                              capture_output=True, env=env, timeout=120)
        assert done.returncode == 1, done.stderr
        runs.append(done.stdout)
    assert runs[0] == runs[1] and runs[0].count(b"\n") > 5
