"""Hostile and broken inputs: each case of `tests/hostile/cases.yaml` ends exactly as listed.

A case starts from a copy of `tests/hostile/base/` (a small valid workspace) and changes it:
  put       {path in the workspace: a file of tests/hostile/files/}
  text      {path: text, written as is}
  edit      {path: [[old, new], ...]}: the base file with each text replaced (each must be there);
            a new text written [text, n] is that text n times (a number of a million digits)
  sparse    {path: size in bytes}: a sparse file (os.truncate), huge on disk but instant to make
  remove    [paths]
  repeat    {path: [before, text, times, after]}: text written that many times between the two
            (a long name, many rows)
  xlsx      {path: [sheets]}: a workbook written part by part (`workbook`), so its cells can be
            anything a file can hold; each sheet has `name`, optional `hidden: true`,
            optional `dimension` (`A1:XFD1048576`), and `rows` ({row number: [cells from column
            A]}; null leaves a cell out, `#DIV/0!` and the like are error cells, numbers are
            numbers, [text, times] a long text, other text is text) or `xml` (the sheetData's
            XML as written)
  parts     {path: {part: text}}: parts of that workbook's zip added or replaced
  parquet   {path: {rows: N, columns: {name: text}, extra: M}}: N rows repeating each column's
            text ([text, times]: a long text), and M more columns (`extra00000`...) of `x`
  cut       {path: N}: the file kept to its first N bytes (negative: all but the last -N)
  flip      {path: [offsets]}: those bytes inverted (negative offsets count from the end)
  patch     {module.NAME: value} set for the run, as in tests/cases
  links     {path in the workspace: where it points}: a symbolic link ({root} is the copy;
            `{outside}` a folder beside the workspace holding a copy of the base workspace)
  fifo      [paths]: named pipes;  socket  [paths]: listening Unix sockets
  mode      {path: octal text}: permissions; the runs are then made as the unprivileged user
            `nobody` in a process of their own (root reads everything), on a workspace
            under a temporary folder nobody can reach
  nest      {path: depth}: folders of 200-character names nested that deep (16 pass PATH_MAX)
  process   true: run `python -m laatool` in a process of its own (cases with pipes, sockets
            or modes always do), so the early reading of laatool.launch runs too and a
            reading that waits for ever fails the case at its time limit
  hardlinks {path in the workspace: an existing path in it}: a second name for the same file
  latin1    [paths]: files or folders (written by the keys above) renamed, last, to the same
            names in Latin-1: names that are not UTF-8 (`extraÿ.csv` becomes `extra\xff.csv`)
  cache     [changes]: every command is run once to fill an agreement cache of the case's own,
            then its agreements entry is changed, each change one of {flip: offset} (a byte
            XORed with 0x10; a negative offset counts from the end), {truncate: length},
            {replace: [old, new]} (the digest left as it was); every run must then print what
            a run without the cache prints
  signal    SIGINT, SIGTERM or SIGHUP: each run is a `laatool` process that sends itself the
            signal `at` `load` (as it starts loading the workspace), `write` (after the first
            piece of its `-o` file), `polars` (there, and KeyboardInterrupt raised as polars
            raises it for Ctrl-C in its own work) or `replaced` (once the file is in place);
            it must leave no temporary file
Then, by default, it runs `validate --format json`, `score --format json` and
`reward-grant --format json`, and `exit` gives each one's exit code; `findings` lists the
findings validate must give (matched as in tests/cases: for each code listed, exactly these,
unless `count` gives how many there are).
A case with `args` runs that command line instead (after `-w WORKSPACE`, where `workspace`
may name a path in the copy or one that does not exist, or `nest:PATH` the innermost folder of
a nest) and `exit` is its code.
`stderr` is text every run must print; `stdout` (a list) texts its data must hold, `not_stdout`
texts it must not; `never` text no run may print (on stdout or stderr); `json` {dotted path:
value} values its JSON must hold (`areas.0.name`); `total` the grant reward-grant must give
(its JSON `total`); `{root}` in `args` is the workspace copy; `quiet: true` means nothing on
stderr; `every: true` says that `findings` lists every finding, warnings included. `xfail` (a
reason) marks a known bug not yet fixed.
Every run must end without a traceback and leave every file of the workspace as it was, and
nothing beside it but the files `leaves` names.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib
import io
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import invoke, workbook_rows
from laatool.base.text import excerpt
from laatool.cli import app
from test_cases import matches

HOSTILE = Path(__file__).parent / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
COMMANDS = {"validate": ["validate", "--format", "json"], "score": ["score", "--format", "json"],
            "reward-grant": ["reward-grant", "--format", "json"]}


def fingerprint(root: Path) -> dict[str, str]:
    """What every entry under `root` is: the SHA-256 of a file (sparse files by size and
    modification time), the target of a link, the type and mode of anything else. Links are
    not followed, and folders beyond PATH_MAX are left out."""
    prints = {}
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            try:
                status = path.lstat()
            except OSError:  # past PATH_MAX
                continue
            if stat.S_ISLNK(status.st_mode):
                prints[rel] = f"link to {os.readlink(path)}"
            elif stat.S_ISREG(status.st_mode) and status.st_size > 1024 * 1024:
                prints[rel] = f"{status.st_size}:{status.st_mtime_ns}"
            elif stat.S_ISREG(status.st_mode):
                prints[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                prints[rel] = f"{stat.S_IFMT(status.st_mode)}:{stat.S_IMODE(status.st_mode):o}"
    return prints


NEST_NAME = "n" * 200


def build(case: dict, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(HOSTILE / "base", root)
    if any("{outside}" in target for target in (case.get("links") or {}).values()):
        shutil.copytree(HOSTILE / "base", tmp_path / "outside")
    for rel in case.get("remove") or []:
        (root / rel).unlink()
    sources = {rel: (HOSTILE / "files" / name).read_bytes() for rel, name in (case.get("put") or {}).items()}
    sources |= {rel: text.encode("utf-8") for rel, text in (case.get("text") or {}).items()}
    for rel, data in sources.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    for rel, (before, text, times, after) in (case.get("repeat") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(before + text * times + after, encoding="utf-8")
    for rel, sheets in (case.get("xlsx") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(workbook(sheets, (case.get("parts") or {}).get(rel) or {}))
    for rel, spec in (case.get("parquet") or {}).items():
        import polars as pl

        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        columns = {name: text if isinstance(text, str) else text[0] * text[1] for name, text in spec["columns"].items()}
        columns |= {f"extra{n:05d}": "x" for n in range(spec.get("extra", 0))}
        pl.DataFrame({name: pl.repeat(text, spec["rows"], dtype=pl.String, eager=True)
                      for name, text in columns.items()}).write_parquet(root / rel)
    for rel, edits in (case.get("edit") or {}).items():
        text = (root / rel).read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"{old!r} is not in {rel}"
            text = text.replace(old, new if isinstance(new, str) else new[0] * new[1])
        (root / rel).write_text(text, encoding="utf-8", newline="")
    for rel, size in (case.get("sparse") or {}).items():
        with open(root / rel, "wb") as handle:
            os.truncate(handle.fileno(), size)
    for rel, target in (case.get("links") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).symlink_to(target.replace("{root}", str(root)).replace("{outside}", str(tmp_path / "outside")))
    for rel, existing in (case.get("hardlinks") or {}).items():
        os.link(root / existing, root / rel)
    for rel in case.get("fifo") or []:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)
    for rel, depth in (case.get("nest") or {}).items():
        (root / rel).mkdir(parents=True, exist_ok=True)
        folder = os.open(root / rel, os.O_RDONLY)
        for _ in range(depth):  # step by step: the whole path is too long for the system
            os.mkdir(NEST_NAME, dir_fd=folder)
            inner = os.open(NEST_NAME, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
        os.close(folder)
    for rel, keep in (case.get("cut") or {}).items():
        data = (root / rel).read_bytes()
        (root / rel).write_bytes(data[:keep])
    for rel, offsets in (case.get("flip") or {}).items():
        data = bytearray((root / rel).read_bytes())
        for offset in offsets:
            data[offset] ^= 0xFF
        (root / rel).write_bytes(bytes(data))
    for rel in case.get("latin1") or []:
        os.rename(root / rel, root / os.fsdecode(rel.encode("latin-1")))
    return root


def nest_path(root: Path, rel: str, depth: int) -> Path:
    return root.joinpath(rel, *[NEST_NAME] * depth)


def listening_sockets(root: Path, rels: list[str]) -> list[socket.socket]:
    """Unix sockets bound at `rels`, bound from inside their folder (the address is short)."""
    sockets, here = [], os.getcwd()
    try:
        for rel in rels:
            os.chdir((root / rel).parent)
            sockets.append(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
            sockets[-1].bind((root / rel).name)
            sockets[-1].listen()
    finally:
        os.chdir(here)
    return sockets


class Run:
    """What a run gave, alike in process and out of it."""

    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = code, stdout, stderr


def in_a_process(args: list, code: int, nobody: bool = False, timeout: float = 120) -> Run:
    """`python -m laatool ARGS` in a process of its own (as `nobody` when asked), its exit
    code asserted; a run that outlasts `timeout` fails."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if nobody and os.geteuid() == 0 else []
    env = {**os.environ, "LAATOOL_NO_CACHE": "1"} if nobody else dict(os.environ)
    done = subprocess.run([*prefix, sys.executable, "-m", "laatool", *map(str, args)], capture_output=True,
                          timeout=timeout, env=env, cwd="/")
    run = Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))
    assert run.exit_code == code, f"exit {run.exit_code} != {code}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    assert "Traceback" not in run.stderr
    return run


@functools.cache
def nobody_can_run() -> str | None:
    """Why runs cannot be made as an unprivileged user here, or None when they can."""
    if not hasattr(os, "geteuid"):
        return "no users on this system"
    if os.geteuid() != 0:
        return None  # this user is unprivileged already
    if shutil.which("setpriv") is None:
        return "running as root without setpriv to become nobody"
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                            "-c", "import laatool.cli"], capture_output=True, timeout=60, cwd="/")
    if probe.returncode != 0:
        return "the user nobody cannot reach this Python or the installed laatool"
    return None


@pytest.fixture
def reachable_tmp():
    """A temporary folder that the user nobody can reach (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="laatool-nobody-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def changed_cache_entry(folder: Path, changes: list[dict]) -> None:
    """Change the one agreements entry in `folder` as a case's `cache` says."""
    (entry,) = folder.glob("agreements-*.bin")
    raw = entry.read_bytes()
    for change in changes:
        if "flip" in change:
            at = change["flip"] % len(raw)
            raw = raw[:at] + bytes([raw[at] ^ 0x10]) + raw[at + 1:]
        elif "truncate" in change:
            raw = raw[:change["truncate"]]
        else:
            old, new = (text.encode("utf-8") for text in change["replace"])
            assert old in raw, f"{old!r} is not in the cache entry"
            raw = raw.replace(old, new)
    entry.write_bytes(raw)


# A `laatool` process that sends itself a signal at a chosen moment (a case's `signal`).
STOPPING = """
import os, signal, sys
import laatool.render.output, laatool.load.workspace
number, at, args = getattr(signal, sys.argv[1]), sys.argv[2], sys.argv[3:]
write, load = laatool.render.output.atomic_write, laatool.load.workspace.load_contents
def stopping(pieces):
    pieces = iter([pieces] if isinstance(pieces, bytes) else pieces)
    yield next(pieces, b"")
    os.kill(os.getpid(), number)
    if at == "polars":  # as polars answers Ctrl-C in its own work, the signal still due to Python
        raise KeyboardInterrupt
    yield from pieces
def atomic_write(path, data, **given):
    if at == "replaced":  # the signal once the file is in place
        write(path, data, **given)
        os.kill(os.getpid(), number)
        return
    return write(path, stopping(data), **given)
def load_contents(*given):
    os.kill(os.getpid(), number)
    return load(*given)
if at == "load":
    laatool.load.workspace.load_contents = load_contents
else:
    laatool.render.output.atomic_write = atomic_write
sys.argv = ["laatool", *args]
from laatool.launch import main
main()
"""


def stopped_run(case: dict, args: list[str], code: int) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-c", STOPPING, case["signal"], case.get("at", "write"), *args],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == code, f"exit {run.returncode} != {code}\nstderr:\n{run.stderr}"
    assert "Traceback" not in run.stderr
    return run


def value_at(document, path: str):
    for part in path.split("."):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document



ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def sheet_xml(sheet: dict) -> str:
    if "xml" in sheet:
        data = sheet["xml"]
    else:
        rows = []
        for number, cells in sorted(sheet.get("rows", {}).items()):
            written = []
            for index, cell in enumerate(cells, start=1):
                ref = f"{column_letters(index)}{number}"
                if cell is None:
                    continue
                if isinstance(cell, list):  # [text, times]
                    cell = cell[0] * cell[1]
                if isinstance(cell, bool) or not isinstance(cell, int | float) and str(cell) not in ERRORS:
                    text = str(cell).replace("&", "&amp;").replace("<", "&lt;")
                    written.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
                elif str(cell) in ERRORS:
                    written.append(f'<c r="{ref}" t="e"><f>1/0</f><v>{cell}</v></c>')
                else:
                    written.append(f'<c r="{ref}"><v>{cell}</v></c>')
            rows.append(f'<row r="{number}">{"".join(written)}</row>')
        data = "".join(rows)
    dimension = f'<dimension ref="{sheet["dimension"]}"/>' if "dimension" in sheet else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
            f'xmlns:r="{RELS}">{dimension}<sheetData>{data}</sheetData></worksheet>')


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(sheets: list[dict], parts: dict[str, str]) -> bytes:
    """An XLSX file written part by part, holding exactly what the case says."""
    import zipfile

    hidden = ' state="hidden"'
    sheet_tags = "".join(f'<sheet name="{s["name"]}" sheetId="{i}"{hidden * bool(s.get("hidden"))} r:id="rId{i}"/>'
                         for i, s in enumerate(sheets, start=1))
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1))
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main'
            f'+xml"/>{overrides}</Types>'),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                        f'"{PACKAGE_RELS}"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
                        f'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" '
                            f'xmlns:r="{RELS}"><sheets>{sheet_tags}</sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                                       f'xmlns="{PACKAGE_RELS}">{relations}</Relationships>'),
        **{f"xl/worksheets/sheet{i}.xml": sheet_xml(s) for i, s in enumerate(sheets, start=1)},
        **parts,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def check_findings(case: dict, stdout: str) -> None:
    found = json.loads(stdout)["findings"]
    wanted = case.get("findings") or []
    for finding in wanted:
        assert any(matches(f, finding) for f in found), f"missing {finding}\nfound: {found}"
    counts = case.get("count") or {}
    for code in {f["code"] for f in wanted}:
        of_code = [f for f in found if f["code"] == code]
        assert len(of_code) == counts.get(code, sum(f["code"] == code for f in wanted)), f"unexpected {of_code}"
    listed = {f["code"] for f in wanted}
    assert [f for f in found if f["severity"] == "error" and f["code"] not in listed] == []
    if case.get("every"):
        assert len(found) == len(wanted), f"unexpected {found}"


PARAMS = [pytest.param(c, id=c["name"], marks=[pytest.mark.xfail(strict=True, reason=c.get("xfail"))] * ("xfail" in c))
          for c in CASES]


@pytest.mark.parametrize("case", PARAMS)
def test_hostile_case(case, tmp_path, monkeypatch, request):
    for target, value in (case.get("patch") or {}).items():
        module, attribute = target.rsplit(".", 1)
        monkeypatch.setattr(importlib.import_module(module), attribute, value)
    nobody = "mode" in case
    if nobody:
        if reason := nobody_can_run():
            pytest.skip(f"modes need an unprivileged user: {reason}")
        tmp_path = request.getfixturevalue("reachable_tmp")
    root = build(case, tmp_path)
    sockets = listening_sockets(root, case.get("socket") or [])
    request.addfinalizer(lambda: [listening.close() for listening in sockets])
    workspace = root / case["workspace"] if "workspace" in case else root
    if str(case.get("workspace", "")).startswith("nest:"):
        rel = case["workspace"].removeprefix("nest:")
        workspace = nest_path(root, rel, case["nest"][rel])
    for rel, mode in (case.get("mode") or {}).items():
        (root / rel).chmod(int(str(mode), 8))
    separate = nobody or case.get("process") or case.get("fifo") or case.get("socket")
    if "args" in case:
        runs = [(case["args"][0], [str(a).replace("{root}", str(root)) for a in case["args"]], case["exit"])]
    else:
        runs = [(name, COMMANDS[name], code) for name, code in case["exit"].items()]
    if "cache" in case:
        monkeypatch.setenv("LAATOOL_CACHE_DIR", str(tmp_path / "cache"))
        for _, args, code in runs:
            invoke(["-w", workspace, *args], code)
        changed_cache_entry(tmp_path / "cache", case["cache"])
    before = fingerprint(root)
    outside = sorted(p.name for p in tmp_path.iterdir())
    for name, args, code in runs:
        if "signal" in case:
            result = stopped_run(case, ["-w", str(workspace), *args], code)
        elif separate:
            result = in_a_process(["-w", workspace, *args], code, nobody=nobody)
        else:
            result = invoke(["-w", workspace, *args], code)
        assert case.get("stderr", "") in result.stderr
        if "never" in case:
            assert case["never"] not in result.stdout + result.stderr
        if case.get("quiet"):
            assert result.stderr == "", "a quiet end prints nothing"
        for text in case.get("stdout") or []:
            assert text in result.stdout, f"{text!r} is not in\n{result.stdout}"
        for text in case.get("not_stdout") or []:
            assert text not in result.stdout, f"{text!r} is in\n{result.stdout}"
        if "json" in args and "-o" not in args:
            # every control character is written as a `\u` escape: DEL and C1 too (U+009B
            # starts an escape sequence on a terminal showing the document)
            assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", result.stdout), "a raw control character"
        if case.get("json"):
            document = json.loads(result.stdout)
            for path, value in case["json"].items():
                assert value_at(document, path) == value, path
        if name == "validate" and "json" in args and "-o" not in args and code in (0, 1):
            check_findings(case, result.stdout)
        elif code != 0 and name != "validate":
            assert result.stdout == "", "a refusing or failing command prints no data"
        elif "json" in args and "-o" not in args and code == 0:
            document = json.loads(result.stdout)
            if name == "reward-grant" and "total" in case:
                assert document["total"] == case["total"]
        if "cache" in case:
            monkeypatch.setenv("LAATOOL_NO_CACHE", "1")
            assert invoke(["-w", workspace, *args], code).stdout == result.stdout, "the cache changed the output"
            monkeypatch.delenv("LAATOOL_NO_CACHE")
    assert fingerprint(root) == before, "the inputs were changed"
    left = sorted(outside + case.get("leaves", []))
    assert sorted(p.name for p in tmp_path.iterdir()) == left, "a file was left beside the workspace"


# --- outputs: -o is atomic; refusals write nothing -----------------------------------------

@pytest.fixture
def base(tmp_path: Path) -> Path:
    return build({}, tmp_path)


def broken(root: Path) -> Path:
    (root / "returns" / "returns.csv").write_text("area,indicator,period,value\nleeds,NI 8,2008-09,12%\n")
    return root


def test_a_csv_of_noughts_just_within_the_limit_is_refused_at_once(base):
    # a sparse file of NUL bytes one byte within the 2 GiB cap: its header line was looked for
    # by searching the whole head again after each 64 KiB (400 MB took 213 s; this, minutes)
    with (base / "returns" / "zeros.csv").open("wb") as handle:
        os.truncate(handle.fileno(), 2 * 1024 ** 3)
    result = in_a_process(["-w", base, "validate", "--format", "json"], 1, timeout=60)
    assert [(f["code"], f["file"], f["row"], f["message"]) for f in json.loads(result.stdout)["findings"]] == [
        ("Y006", "returns/zeros.csv", 1, "the file holds NUL bytes: it is binary, not CSV text")]


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


@pytest.mark.parametrize("command", ["indicators", "rules"])
@pytest.mark.parametrize("target", ["agreements/leeds.yaml", "returns/returns.csv", "agreements/extra.yaml",
                                    "returns/rules.csv"])
def test_the_listing_commands_write_no_output_over_or_among_the_workspaces_inputs(base, command, target):
    # `indicators -o agreements/leeds.yaml` and `rules -o returns/returns.csv` replaced the
    # agreement and the returns with a listing, exit 0: every command refuses those (exit 2)
    before = {path: path.read_bytes() for path in base.rglob("*") if path.is_file()}
    invoke(["-w", base, command, "-o", base / target], 2)
    assert {path: path.read_bytes() for path in base.rglob("*") if path.is_file()} == before


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


@pytest.mark.parametrize("length", [231, 255])
def test_output_to_a_name_of_up_to_255_bytes_is_written(base, tmp_path, length):
    """The most a file name may hold: the temporary file beside it, its name and 25 bytes more,
    made names of 232 bytes and over too long ("File name too long", exit 2)."""
    out = tmp_path / ("é" * ((length - 5) // 2) + "r" * ((length - 5) % 2) + ".json")
    assert len(os.fsencode(out.name)) == length
    invoke(["-w", base, "score", "-o", out])
    assert json.loads(out.read_text())["areas"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, "ws"])


def test_output_through_a_link_into_a_missing_folder_names_the_folder(base, tmp_path):
    """`-o link.json` leading to `nofolder/out.json` gave the system's bare "No such file or
    directory"; a direct `-o nofolder/out.json` says the folder does not exist."""
    (tmp_path / "link.json").symlink_to(tmp_path / "nofolder" / "out.json")
    result = invoke(["-w", base, "score", "-o", tmp_path / "link.json"], 2)
    assert result.stderr.strip() == (f"laatool: cannot write '{tmp_path / 'link.json'}': the folder "
                                     f"'{tmp_path / 'nofolder'}' it leads to does not exist")


def test_output_into_a_file_as_folder_is_a_usage_error_that_says_it_is_a_file(base, tmp_path):
    """`-o report.txt/out.json` where report.txt is a file says so (it said the folder does not
    exist), through the report's own `-o` too, and a folder under it alike."""
    report = tmp_path / "report.txt"
    report.write_text("a file, not a folder")
    for args in (["score", "-o", report / "out.json"], ["report", "-a", "leeds", "-o", report / "x.html"],
                 ["score", "-o", report / "sub" / "out.json"]):
        result = invoke(["-w", base, *args], 2)
        assert result.stderr.strip().endswith(f"'{report}' is a file, not a folder"), args


def test_output_through_a_link_to_a_device_writes_into_it(base, tmp_path):
    """`-o /dev/null` must not replace the device with a file (as root it could)."""
    link = tmp_path / "null.json"
    link.symlink_to(os.devnull)
    invoke(["-w", base, "score", "-o", link])
    assert link.is_symlink() and not Path(os.devnull).is_file()


@pytest.mark.parametrize("named", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_output_to_dev_stdout_redirected_to_a_file_writes_into_it_as_dash_does(base, tmp_path, named):
    # `>> log.txt`: the output goes after the log's earlier lines, as `-o -` puts it; the log is
    # not replaced by a file of the output alone
    log = tmp_path / "log.txt"
    log.write_text("earlier log line\n")
    with log.open("ab") as stdout:
        subprocess.run([sys.executable, "-m", "laatool", "-w", str(base), "score", "--format", "csv", "-o", named],
                       stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    written = invoke(["-w", base, "score", "--format", "csv"]).stdout
    assert log.read_text() == "earlier log line\n" + written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt", "ws"]


def test_output_through_a_link_updates_its_target(base, tmp_path):
    target = tmp_path / "reports" / "score.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    invoke(["-w", base, "score", "-o", link])
    assert link.is_symlink() and json.loads(target.read_text())["areas"][0]["area"] == "leeds"


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
        path = tmp_path / f"{command}.xlsx"
        names = {row["name"] for row in workbook_rows(path) + workbook_rows(path, "Summary")}
        assert names == {"'=HYPERLINK(\"http://x\",\"Leeds\")"}
        assert live_formulas_in_workbook(path) == []
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


def live_formulas_in_workbook(path: Path) -> list[str]:
    """Every formula of a workbook but the Total rows' own sums and ratios, and every text cell
    (the titles too) that a spreadsheet would execute."""
    import openpyxl

    risky = []
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = cell.value
                if cell.data_type == "f" and not (text.startswith("=SUM(") or text.startswith("=IF(")):
                    risky.append(text)
                elif isinstance(text, str) and text.startswith(("=", "+", "-", "@")) and cell.data_type != "f":
                    risky.append(text)
    return risky


def test_line_breaks_in_xlsx_text_cells_are_neutralised_after_each_break(base, tmp_path):
    agreement = base / "agreements" / "leeds.yaml"
    agreement.write_text(agreement.read_text().replace("name: Leeds", 'name: "Testshire\\r=1+1\\n@A1"'))
    for command in ("score", "reward-grant"):
        invoke(["-w", base, command, "-o", tmp_path / f"{command}.xlsx"])
        names = {row["name"] for row in workbook_rows(tmp_path / f"{command}.xlsx")}
        assert names == {"Testshire\r'=1+1\n'@A1"}


def test_ctrl_c_in_a_command_ends_it_quietly_with_130(base, tmp_path, monkeypatch):
    """Ctrl-C inside a command (here as it loads the workspace) once ended in exit 3."""
    import laatool.load.workspace

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(laatool.load.workspace, "load_contents", interrupted)
    result = invoke(["-w", base, "score", "-o", tmp_path / "score.json"], 130)
    assert result.stderr == "" and not (tmp_path / "score.json").exists()


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

    monkeypatch.setattr("laatool.load.workspace.normalise_returns", panic)
    out = tmp_path / "out.json"
    result = invoke(["-w", base, command, "-o", out], 3)
    assert "laatool: internal error (PanicException: attempt to multiply with overflow)" in result.stderr
    assert not out.exists()


# --- file names that are not UTF-8 ----------------------------------------------------------------

# `extra\xff.csv` as the system names it: the byte 0xff is no UTF-8, so Python holds it as U+DCFF
NOT_UTF8 = os.fsdecode(b"extra\xff.csv")
Y019_MESSAGE = ("its name holds a byte that is not UTF-8 (shown as \\xff): laatool reads no file it cannot name "
                "as written")
Y019_HINT = "rename the file (or its folder) in UTF-8, replacing each byte shown as \\xNN"


@pytest.fixture
def not_utf8(base: Path) -> Path:
    (base / "returns" / NOT_UTF8).write_bytes(b"area,indicator,period,value\n")
    return base


@pytest.mark.parametrize("args", [[], ["--format", "json"], ["--format", "csv"], ["-o", "findings.json"],
                                  ["-o", "findings.csv"], ["-o", "findings.xlsx"]])
def test_validate_names_a_file_whose_name_is_not_utf8_in_every_format(not_utf8, tmp_path, args):
    """Once an internal error (exit 3) in JSON and CSV, and in the table a Y006 in polars' words
    ('Object does not have a .read() method') with the raw byte written to the terminal."""
    out = tmp_path / args[1] if args[:1] == ["-o"] else None
    result = invoke(["-w", not_utf8, "validate", *([args[0], out] if out else args)], 1)
    if out is not None and out.suffix == ".xlsx":
        import openpyxl

        cells = [c.value for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows() for c in row]
        assert "returns/extra\\xff.csv" in cells and Y019_MESSAGE in cells
        return
    text = out.read_text(encoding="utf-8") if out is not None else result.stdout
    if "json" in str(args):
        assert [(f["code"], f["file"], f["row"], f["message"], f["hint"]) for f in json.loads(text)["findings"]] == [
            ("Y019", "returns/extra\\xff.csv", 1, Y019_MESSAGE, Y019_HINT)]
    elif "csv" in str(args):
        assert [(r["code"], r["file"], r["row"], r["message"]) for r in csv.DictReader(io.StringIO(text))] == [
            ("Y019", "returns/extra\\xff.csv", "1", Y019_MESSAGE)]
    else:
        assert "returns/extra\\xff.csv (1 finding)" in text and "Y019" in text and "\udcff" not in text


@pytest.mark.parametrize("command", ["score", "reward-grant"])
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "xlsx"])
def test_score_and_reward_grant_refuse_with_the_finding_on_a_file_whose_name_is_not_utf8(not_utf8, tmp_path,
                                                                                        command, fmt):
    out = tmp_path / f"out.{fmt}"
    args = ["-o", out] if fmt == "xlsx" else ["--format", fmt]
    result = invoke(["-w", not_utf8, command, *args], 1)
    assert result.stdout == "" and not out.exists()
    assert f"returns/extra\\xff.csv row 1: Y019 error: {Y019_MESSAGE} ({Y019_HINT})\n" in result.stderr


@pytest.mark.parametrize("given", ["inside", "outside"])
def test_a_file_given_to_validate_whose_name_is_not_utf8_is_named_escaped(not_utf8, tmp_path, given):
    if given == "outside":
        path = tmp_path / NOT_UTF8
        path.write_bytes(b"area,indicator,period,value\n")
        (not_utf8 / "returns" / NOT_UTF8).unlink()
        shown = f"{tmp_path.as_posix()}/extra\\xff.csv"
    else:
        path, shown = not_utf8 / "returns" / NOT_UTF8, "returns/extra\\xff.csv"
    found = json.loads(invoke(["-w", not_utf8, "validate", path, "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["file"], f["row"]) for f in found] == [("Y019", shown, 1)]


def test_a_workspace_whose_name_is_not_utf8_is_a_usage_error(tmp_path):
    """No file in it could be named as written, nor opened by polars: once every returns file
    was a Y006 in polars' words."""
    root = build({}, tmp_path).rename(tmp_path / os.fsdecode(b"w\xffs"))
    result = invoke(["-w", root, "validate"], 2)
    assert result.stderr == (f"laatool: cannot use the workspace '{tmp_path}/w\\xffs': its name holds a byte that "
                             "is not UTF-8 (shown as \\xff), and laatool reads no file it cannot name as written; "
                             "rename the folder\n")


@pytest.mark.parametrize("key, named, message", [
    ("returns", "{root}/returns", "is an absolute name: name the folder relative to the workspace, as 'returns'"),
    ("returns", "{tmp}/up/returns", "is an absolute name: name the folder relative to the workspace, as 'returns'"),
    ("agreements", "returns/../../ws/agreements",
     "goes through '..': name the folder relative to the workspace without it, as 'agreements'"),
    ("returns", "{root}", "names the workspace itself: name a folder inside it, such as returns"),
    ("returns", "{tmp}/outside", "is outside the workspace: name a folder inside it, relative to laatool.yaml"),
])
def test_a_folder_named_absolute_or_through_dot_dot_is_refused_saying_why_truly(base, tmp_path, key, named, message):
    # `returns: /abs/path/to/ws/returns` was said to be "outside the workspace", which it is
    # not: the name is refused for being absolute (docs/decisions.md), and the finding says so
    # with the name to write instead
    (tmp_path / "up").symlink_to(base)
    (tmp_path / "outside").mkdir()
    name = named.replace("{root}", str(base)).replace("{tmp}", str(tmp_path))
    (base / "laatool.yaml").write_text(f"{key}: {name}\n", encoding="utf-8")
    result = invoke(["-w", base, "validate", "--format", "json"], 1)
    found = [f for f in json.loads(result.stdout)["findings"] if f["file"] == "laatool.yaml"]
    assert [(f["code"], f["line"], f["column"], f["message"]) for f in found] == [
        ("S003", 1, len(key) + 3, f"{key}: '{excerpt(name)}' {message}")]


@pytest.mark.parametrize("name, shown", [("new\nFAKE LOG LINE.csv", "new\\nFAKE LOG LINE.csv"),
                                         ("[bold]x.csv", "[bold]x.csv")])
def test_a_file_name_heads_its_table_as_text_on_one_line(base, name, shown):
    """A line break in a returns file's name started a line of its own above validate's table
    ("FAKE LOG LINE.csv (1 finding)"), as if the log said it; markup is shown as written."""
    (base / "returns" / name).write_text("area,indicator,period,value\nleeds,NI 8,2005-06,12%\n")
    terminal = invoke(["-w", base, "validate"], 1, env={"COLUMNS": "300"}).stdout
    assert f"returns/{shown} (1 finding)" in [line.rstrip() for line in terminal.splitlines()]


def test_a_right_to_left_override_in_a_file_name_is_escaped_in_every_format(base, tmp_path):
    # U+202E in a returns file's name reached validate's CSV (and its workbook and JSON) raw,
    # turning the rest of the line around in whatever showed it; the terminal showed \u202e
    (base / "returns" / "a\u202evsc.csv").write_text("area,indicator,period,value\nleeds,NI 8,2005-06,12%\n")
    shown = "returns/a\\u202evsc.csv"
    terminal = invoke(["-w", base, "validate"], 1, env={"COLUMNS": "300"}).stdout
    assert f"{shown} (1 finding)" in terminal and "\u202e" not in terminal
    out = invoke(["-w", base, "validate", "--format", "csv"], 1).stdout
    assert "\u202e" not in out
    assert [row["file"] for row in csv.DictReader(io.StringIO(out))] == [shown]
    out = invoke(["-w", base, "validate", "--format", "json"], 1).stdout
    assert "\u202e" not in out and '"file":"returns/a\\u202evsc.csv"' in out
    assert [f["file"] for f in json.loads(out)["findings"]] == ["returns/a\u202evsc.csv"]
    invoke(["-w", base, "validate", "-o", tmp_path / "findings.xlsx"], 1)
    assert [row["file"] for row in workbook_rows(tmp_path / "findings.xlsx", "findings")] == [shown]
