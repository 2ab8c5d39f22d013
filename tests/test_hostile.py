"""Hostile and broken inputs: each case of `tests/hostile/cases.yaml` ends exactly as listed.

A case starts from a copy of `tests/hostile/base/` (a small valid workspace) and changes it:
  put       {path in the workspace: a file of tests/hostile/files/}
  text      {path: text, written as is}
  sparse    {path: size in bytes}: a sparse file (os.truncate), huge on disk but instant to make
  remove    [paths]
  replace   {path: {old text: new text}}: each old text of a base file (once) replaced; a new
            text written [text, n] is that text n times (a number of a million digits)
  patch     {module.NAME: value} set for the run, as in tests/cases
Then, by default, it runs `validate --format json`, `score --format json` and
`reward-grant --format json`, and `exit` gives each one's exit code; `findings` lists the
findings validate must give (matched as in tests/cases: for each code listed, exactly these).
A case with `args` runs that command line instead (after `-w WORKSPACE`, where `workspace`
may name a path in the copy or one that does not exist) and `exit` is its code.
`stderr` is text every run must print; `xfail` (a reason) marks a known bug not yet fixed.
Every run must end without a traceback and leave every file of the workspace as it was.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import invoke
from laatool.cli import app
from test_cases import matches

HOSTILE = Path(__file__).parent / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
COMMANDS = {"validate": ["validate", "--format", "json"], "score": ["score", "--format", "json"],
            "reward-grant": ["reward-grant", "--format", "json"]}


def fingerprint(root: Path) -> dict[str, str]:
    """The SHA-256 of every file under `root`; sparse files by size and modification time."""
    prints = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        stat = path.stat()
        if stat.st_size > 1024 * 1024:
            prints[path.relative_to(root).as_posix()] = f"{stat.st_size}:{stat.st_mtime_ns}"
        else:
            prints[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return prints


def build(case: dict, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(HOSTILE / "base", root)
    for rel in case.get("remove") or []:
        (root / rel).unlink()
    sources = {rel: (HOSTILE / "files" / name).read_bytes() for rel, name in (case.get("put") or {}).items()}
    sources |= {rel: text.encode("utf-8") for rel, text in (case.get("text") or {}).items()}
    for rel, data in sources.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    for rel, changes in (case.get("replace") or {}).items():
        text = (root / rel).read_text(encoding="utf-8")
        for old, new in changes.items():
            assert text.count(old) == 1, f"{old!r} is not once in {rel}"
            text = text.replace(old, new if isinstance(new, str) else new[0] * new[1])
        (root / rel).write_text(text, encoding="utf-8")
    for rel, size in (case.get("sparse") or {}).items():
        with open(root / rel, "wb") as handle:
            os.truncate(handle.fileno(), size)
    return root


def check_findings(case: dict, stdout: str) -> None:
    found = json.loads(stdout)["findings"]
    wanted = case.get("findings") or []
    for finding in wanted:
        assert any(matches(f, finding) for f in found), f"missing {finding}\nfound: {found}"
    for code in {f["code"] for f in wanted}:
        of_code = [f for f in found if f["code"] == code]
        assert len(of_code) == sum(f["code"] == code for f in wanted), f"unexpected {of_code}"
    listed = {f["code"] for f in wanted}
    assert [f for f in found if f["severity"] == "error" and f["code"] not in listed] == []


PARAMS = [pytest.param(c, id=c["name"], marks=[pytest.mark.xfail(strict=True, reason=c.get("xfail"))] * ("xfail" in c))
          for c in CASES]


@pytest.mark.parametrize("case", PARAMS)
def test_hostile_case(case, tmp_path, monkeypatch):
    for target, value in (case.get("patch") or {}).items():
        module, attribute = target.rsplit(".", 1)
        monkeypatch.setattr(importlib.import_module(module), attribute, value)
    root = build(case, tmp_path)
    workspace = root / case["workspace"] if "workspace" in case else root
    before = fingerprint(root)
    if "args" in case:
        runs = [(case["args"][0], case["args"], case["exit"])]
    else:
        runs = [(name, COMMANDS[name], code) for name, code in case["exit"].items()]
    for name, args, code in runs:
        result = invoke(["-w", workspace, *args], code)
        assert case.get("stderr", "") in result.stderr
        if name == "validate" and "--format" in args:
            check_findings(case, result.stdout)
        elif code != 0:
            assert result.stdout == "", "a refusing or failing command prints no data"
        elif "--format" in args:
            json.loads(result.stdout)
    assert fingerprint(root) == before, "the inputs were changed"


# --- outputs: -o is atomic; refusals write nothing -----------------------------------------

@pytest.fixture
def base(tmp_path: Path) -> Path:
    return build({}, tmp_path)


def broken(root: Path) -> Path:
    (root / "returns" / "returns.csv").write_text("area,indicator,period,value\nleeds,NI 8,2008-09,12%\n")
    return root


@pytest.mark.parametrize("command", ["score", "reward-grant"])
def test_a_refusal_creates_no_output_file(base, tmp_path, command):
    out = tmp_path / "out.json"
    invoke(["-w", broken(base), command, "-o", out], 1)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.json")] == []


@pytest.mark.parametrize("command", ["score", "reward-grant"])
def test_a_refusal_leaves_an_existing_output_file_untouched(base, tmp_path, command):
    out = tmp_path / "out.csv"
    out.write_bytes(b"yesterday's report\n")
    invoke(["-w", broken(base), command, "-o", out], 1)
    assert out.read_bytes() == b"yesterday's report\n"


def test_validate_writes_its_report_when_it_exits_1(base, tmp_path):
    out = tmp_path / "findings.json"
    out.write_bytes(b"old")
    invoke(["-w", broken(base), "validate", "-o", out], 1)
    findings = json.loads(out.read_text())["findings"]
    assert [(f["code"], f["row"], f["field"]) for f in findings] == [("R305", 2, "value")]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(base, tmp_path, monkeypatch):
    out = tmp_path / "out.json"
    out.write_bytes(b"old")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = invoke(["-w", base, "score", "-o", out], 2)
    assert "cannot write" in result.stderr and "No space left on device" in result.stderr
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "ws"]


def test_output_into_a_file_as_folder_is_a_usage_error(base, tmp_path):
    (tmp_path / "report.txt").write_text("a file, not a folder")
    result = invoke(["-w", base, "score", "-o", tmp_path / "report.txt" / "out.json"], 2)
    assert "does not exist" in result.stderr


def test_output_through_a_link_to_a_device_writes_into_it(base, tmp_path):
    """`-o /dev/null` must not replace the device with a file (as root it could)."""
    link = tmp_path / "null.json"
    link.symlink_to(os.devnull)
    invoke(["-w", base, "score", "-o", link])
    assert link.is_symlink() and not Path(os.devnull).is_file()


def test_output_through_a_link_updates_its_target(base, tmp_path):
    target = tmp_path / "reports" / "score.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    invoke(["-w", base, "score", "-o", link])
    assert link.is_symlink() and json.loads(target.read_text())["areas"][0]["area"] == "leeds"


# --- unreadable files ------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
@pytest.mark.parametrize("rel, code", [("agreements/leeds.yaml", "Y001"), ("returns/returns.csv", "Y006")])
def test_an_unreadable_file_is_a_finding(base, rel, code):
    (base / rel).chmod(0)
    try:
        result = invoke(["-w", base, "validate", "--format", "json"], 1)
        invoke(["-w", base, "score"], 1)
    finally:
        (base / rel).chmod(0o644)
    found = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["file"]) for f in found if f["severity"] == "error"] == [(code, rel)]
    assert "Permission denied" in found[0]["message"] or "ermission" in found[0]["message"]


def test_an_unreadable_yaml_file_is_a_finding_even_as_root(base, monkeypatch):
    """The same as above by making the read fail, so it is tested where the suite runs as root."""
    real = Path.read_bytes
    agreement = (base / "agreements" / "leeds.yaml").resolve()

    def read_bytes(self):
        if self.resolve() == agreement:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = invoke(["-w", base, "validate", "--format", "json"], 1)
    found = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["file"], f["line"]) for f in found] == [("Y001", "agreements/leeds.yaml", 1)]
    assert "cannot read the file: Permission denied" in found[0]["message"]
    invoke(["-w", base, "reward-grant"], 1)


def test_an_unreadable_folder_is_a_usage_error(base, monkeypatch):
    """Listing a folder the user may not read is exit 2 with its name, not an internal error."""
    real = Path.iterdir
    folder = (base / "agreements").resolve()

    def iterdir(self):
        if self.resolve() == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = invoke(["-w", base, "validate"], 2)
    assert "laatool: cannot use '" in result.stderr and "agreements': Permission denied" in result.stderr


# --- Excel-style numbers -----------------------------------------------------------------------

def test_excel_style_numbers_give_the_same_scores_as_plain_ones(base):
    plain = invoke(["-w", base, "reward-grant", "--format", "json"]).stdout
    returns = base / "returns" / "returns.csv"
    text = returns.read_text()
    # thousands separators, spaces and a non-breaking space (as Excel exports) around numbers
    for old, new in [("3105", '"3,105"'), ("3390", " 3390 "), ("3700", "\"\u00a03,700\t\""), ("22.8", "  22.80")]:
        assert old in text
        text = text.replace(old, new)
    returns.write_text(text, encoding="utf-8")
    invoke(["-w", base, "validate"])
    assert invoke(["-w", base, "reward-grant", "--format", "json"]).stdout == plain


def test_a_value_with_more_decimals_than_the_indicator_publishes_is_used_as_written(base):
    """22.80000000001 was once rounded to 22.8 without a word; now it is only warned about
    (R313) and scored as written: the JSON shows it whole."""
    returns = base / "returns" / "returns.csv"
    returns.write_text(returns.read_text().replace("22.8", "22.80000000001"))
    result = CliRunner().invoke(app, ["-w", str(base), "validate", "--format", "json"])
    found = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["row"], f["field"]) for f in found] == [("R313", 7, "value")]
    rows = json.loads(invoke(["-w", base, "score", "--format", "json"]).stdout)["areas"][0]["rows"]
    assert '"actual":22.80000000001,' in invoke(["-w", base, "score", "--format", "json"]).stdout
    assert [r["actual"] for r in rows if r["period"] == "2010-11"][1] == 22.80000000001


# --- formulas in outputs -------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def live_formulas(text: str) -> list[str]:
    """Cells a spreadsheet would execute: a formula start, and not a number."""
    from decimal import Decimal, InvalidOperation

    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    risky = []
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            try:
                Decimal(cell)
            except InvalidOperation:
                risky.append(cell)
    return risky


def test_formulas_in_inputs_reach_csv_and_xlsx_outputs_neutralised(base, tmp_path):
    agreement = base / "agreements" / "leeds.yaml"
    agreement.write_text(agreement.read_text().replace("name: Leeds", "name: '=HYPERLINK(\"http://x\",\"Leeds\")'"))
    for command in ("score", "reward-grant"):
        out = invoke(["-w", base, command, "--format", "csv"]).stdout
        assert live_formulas(out) == []
        assert ",\"'=HYPERLINK(\"\"http://x\"\",\"\"Leeds\"\")\"," in out
        invoke(["-w", base, command, "-o", tmp_path / f"{command}.xlsx"])
        import polars as pl

        names = pl.read_excel(tmp_path / f"{command}.xlsx")["name"].unique().to_list()
        assert names == ["'=HYPERLINK(\"http://x\",\"Leeds\")"]
    # a column header, a sub-target, a note and a file name written by a user, in validate's CSV
    (base / "returns" / "extra.csv").write_text(
        "area,indicator,period,value,subtarget,note,@cmd\n"
        "leeds,NI 8,2007-08,20.1,-north,=1+2,+x\n")
    outside = tmp_path / "=outside.csv"
    outside.write_text("area,indicator,period,value,subtarget\n=leeds,NI 8,2006-07,20.0,@south\n")
    os.chdir(tmp_path)
    out = invoke(["-w", base, "validate", "--format", "csv", "returns", "=outside.csv"], 1).stdout
    assert live_formulas(out) == []
    assert "'@cmd" in out and "'=outside.csv" in out


# --- inputs are never modified ------------------------------------------------------------------

EVERY_COMMAND = [
    ["validate"], ["validate", "--format", "csv", "returns"], ["score", "--format", "json"],
    ["score", "--period", "2009-10", "--format", "csv"], ["reward-grant", "--scheme", "final-2011"],
    ["reward-grant", "--format", "csv"], ["indicators", "leeds"], ["indicators", "show", "LEEDS-01"],
    ["schema", "agreement"], ["rules", "R305"],
]


def test_no_command_modifies_its_inputs(tmp_path):
    from conftest import EXAMPLES

    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    before = fingerprint(root)
    for number, args in enumerate(EVERY_COMMAND):
        invoke(["-w", root, *args])
        if args[0] != "schema":  # the one command without -o
            invoke(["-w", root, *args, "-o", tmp_path / f"out-{number}.xlsx"])
    assert fingerprint(root) == before
    assert sorted(p.name for p in root.rglob("*")) == sorted(p.name for p in EXAMPLES.rglob("*"))


def test_absurd_money_is_written_exactly_not_an_internal_error(base, tmp_path):
    """A £10^26 maximum once ended in exit 3 (the default 28-digit decimal context). By hand:
    each of the two targets' share is 5 × 10^25; NI 154 earns 0.75 of it (3700 from 3400 towards
    3800) = 37,500,000,000,000,000,000,000,000.00; NI 8 earns (22.8 − 20.1) / (23 − 20.1) = 27/29
    of it = 46,551,724,137,931,034,482,758,620.689… → .69; total …620.69, revenue half of it
    …310.345 → .35 (half up), capital the rest …310.34."""
    agreement = base / "agreements" / "leeds.yaml"
    text = agreement.read_text().replace("maximum: 1000000.00", "maximum: 100000000000000000000000000.00")
    agreement.write_text(text)
    area = json.loads(invoke(["-w", base, "reward-grant", "--format", "json"]).stdout)["areas"][0]
    assert area["maximum"] == "100000000000000000000000000.00"
    assert [t["reward"] for t in area["targets"]] == ["37500000000000000000000000.00",
                                                      "46551724137931034482758620.69"]
    assert (area["total"], area["revenue"], area["capital"]) == (
        "84051724137931034482758620.69", "42025862068965517241379310.35", "42025862068965517241379310.34")
    invoke(["-w", base, "reward-grant", "-o", tmp_path / "grant.xlsx"])
    invoke(["-w", base, "reward-grant", "--format", "csv"])


@pytest.mark.parametrize("where", ["workspace", "path", "output"])
def test_a_name_the_system_refuses_is_a_usage_error(base, tmp_path, where):
    """A name longer than the file system allows once ended in an internal error (exit 3)."""
    long = "a" * 5000
    args = {"workspace": ["-w", tmp_path / long, "validate"],
            "path": ["-w", base, "validate", f"{long}.csv"],
            "output": ["-w", base, "score", "-o", tmp_path / f"{long}.json"]}[where]
    result = invoke(args, 2)
    assert "laatool: cannot use '" in result.stderr and "File name too long" in result.stderr


@pytest.mark.parametrize("command", ["validate", "score", "reward-grant"])
def test_a_polars_panic_is_an_internal_error_not_a_traceback(base, tmp_path, monkeypatch, command):
    """A Rust panic inside polars is a BaseException, not an Exception: it once escaped the
    commands' guard as a traceback. Now it is one line and exit 3, and -o writes nothing."""
    import polars as pl

    def panic(*args, **kwargs):
        raise pl.exceptions.PanicException("attempt to multiply with overflow")

    monkeypatch.setattr("laatool.returns.normalise_returns", panic)
    monkeypatch.setattr("laatool.workspace.normalise_returns", panic)
    out = tmp_path / "out.json"
    result = invoke(["-w", base, command, "-o", out], 3)
    assert "laatool: internal error (PanicException: attempt to multiply with overflow)" in result.stderr
    assert not out.exists()
