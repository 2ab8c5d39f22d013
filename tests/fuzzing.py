"""Random mutations of a workspace, and one guarded run of a command, for the fuzz test.

`tests/test_fuzz.py` runs a few mutations in CI; `make fuzz` (FUZZ_RUNS=300) runs hundreds.
Each mutation is drawn from a `random.Random` seeded with the run's number, so a failure is
reproduced by its number alone: `FUZZ_RUNS=1 FUZZ_FIRST=<n> make fuzz`.

Besides the bytes of any file, mutations change structure: an XLSX workbook's zip parts
(truncated, dropped, or its sheet XML's dimension, cell references, types and texts
rewritten), a CSV returns file turned into Parquet and then its footer or row-group bytes
flipped or cut, and a YAML file's nesting, anchors and aliases, and keys reshaped.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import signal
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from laatool.cli import app

# Text that parsers treat specially: YAML structure, anchors and tags, CSV quoting, Excel
# numbers and formulas, odd whitespace, and bytes that are not UTF-8.
GARBAGE = (
    b"[", b"]", b"{", b"}", b": ", b"- ", b"&a ", b"*a", b"<<: *a", b"!!python/object:os.system ",
    b"!custom ", b"---\n", b"...\n", b"%YAML 1.1\n", b"? ", b"|\n", b">-\n", b"#", b"~", b"null",
    b'"', b"'", b",", b",,,,", b'""', b"\t", b"\r", b"\r\n", b"\n\n", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf",
    b"\xa3", b"\xc3", b"1,234", b"12%", b"1.234,5", b"n/a", b"1e999", b"-0", b"NaN", b".inf", b"0x1F",
    b"=HYPERLINK(\"x\")", b"@SUM(A1)", b"+1", b"2008-09 Q5", b"2008/2010", b"NI 999", b"NI 31", b"ni154",
    b"provisional", b"[NI 8]", b"{a: 1}", b"9" * 40, b"0." + b"1" * 30, b"2009-10", b"2010", b"leeds",
    b"../x", b"yes", b"2008-09-01",
)
# Values that still parse but sit at the edges of the arithmetic (zero, negative, huge, tiny).
NUMBERS = (b"0", b"-1", b"0.0", b"1", b"100", b"1e10", b"1e-10", b"99999999999999", b"0.0000000001", b"-0.5")
TOKEN = re.compile(rb"[A-Za-z0-9._/-]+")
MUTATIONS = ("flip", "truncate", "duplicate", "drop", "garbage", "swap", "replace", "replace")


def files_of(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def mutate(root: Path, rng: random.Random) -> list[str]:
    """Apply one to three random mutations to files under `root`; say what was done."""
    done = []
    for _ in range(rng.randint(1, 3)):
        files = files_of(root)
        # Tables are few among the files: pick one more often, so their structure is changed too.
        tables = [p for p in files if p.suffix.lower() in (".csv", ".xlsx", ".parquet")]
        path = rng.choice(tables if tables and rng.random() < 0.4 else files)
        suffix = path.suffix.lower()
        if suffix == ".csv" and "returns" in path.parts and rng.random() < 0.4:
            path, kind = to_parquet(path), "parquet"
            data = path.read_bytes()
            if rng.random() < 0.8:
                kind = rng.choice(PARQUET_MUTATIONS)
                data = _parquet(kind, data, rng)
        elif suffix in STRUCTURE and rng.random() < 0.6:
            kind, data = STRUCTURE[suffix][1](path.read_bytes(), rng)
        else:
            kind = rng.choice(MUTATIONS)
            data = _apply(kind, path.read_bytes(), rng)
        path.write_bytes(data)
        done.append(f"{kind} {path.relative_to(root).as_posix()}")
    return done


# --- XLSX: the zip's parts and the sheet's XML ------------------------------------------------

SHEET_CHANGES = ("dimension", "reference", "no-reference", "error", "long-text", "big-row", "row-order",
                 "inline", "no-row-reference")
ZIP_CHANGES = ("truncate-part", "drop-part", "flip-part", "empty-part", "sheet", "sheet", "sheet", "hidden",
               "string-count")
REFERENCES = ("XFD1048576", "A1048577", "ZZZZ1", "A0", "A1", "B1", "AAA1000", "A99999999999", "", "1A", "a1")


def _xlsx(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    except Exception:  # already broken by an earlier mutation: change its bytes instead
        kind = rng.choice(MUTATIONS)
        return kind, _apply(kind, data, rng)
    kind = rng.choice(ZIP_CHANGES)
    name = rng.choice(sorted(parts))
    sheets = sorted(n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml")) or [name]
    if kind == "truncate-part":
        parts[name] = parts[name][: rng.randrange(len(parts[name]) + 1)]
    elif kind == "drop-part":
        del parts[name]
    elif kind == "flip-part":
        parts[name] = _apply("flip", parts[name], rng)
    elif kind == "empty-part":
        parts[name] = b""
    elif kind == "string-count" and "xl/sharedStrings.xml" in parts:
        count = rng.choice((b"0", b"1", b"99", b"30000000", b"4000000000", b"-1", b"x", b"9" * 30))
        parts["xl/sharedStrings.xml"] = re.sub(rb'uniqueCount="[^"]*"', b'uniqueCount="' + count + b'"',
                                               parts["xl/sharedStrings.xml"])
    elif kind == "hidden" and "xl/workbook.xml" in parts:
        parts["xl/workbook.xml"] = re.sub(rb"<sheet ", b'<sheet state="hidden" ', parts["xl/workbook.xml"], count=1)
    else:
        name = rng.choice(sheets)
        change = rng.choice(SHEET_CHANGES)
        parts[name] = _sheet(change, parts.get(name, b""), rng)
        kind = f"sheet-{change}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return f"xlsx-{kind}", out.getvalue()


def _sheet(change: str, xml: bytes, rng: random.Random) -> bytes:
    cells = list(re.finditer(rb'<c r="[A-Z]+[0-9]+"', xml))
    rows = list(re.finditer(rb'<row r="[0-9]+"', xml))
    if change == "dimension":
        ref = rng.choice(REFERENCES).encode()
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:' + ref + b'"', xml)
    if change == "reference" and cells:
        cell = rng.choice(cells)
        return xml[: cell.start()] + b'<c r="' + rng.choice(REFERENCES).encode() + b'"' + xml[cell.end():]
    if change == "no-reference" and cells:
        cell = rng.choice(cells)
        return xml[: cell.start()] + b"<c" + xml[cell.end():]
    if change == "no-row-reference" and rows:
        row = rng.choice(rows)
        return xml[: row.start()] + b"<row" + xml[row.end():]
    if change == "error" and cells:
        cell = rng.choice(cells)
        error = rng.choice((b"#DIV/0!", b"#N/A", b"#REF!", b"#VALUE!", b"#NAME?", b"#NUM!", b"#NULL!"))
        end = xml.find(b"</c>", cell.end())
        if end > 0:
            return xml[: cell.end()] + b' t="e"><v>' + error + b"</v>" + xml[end:]
    if change == "long-text" and cells:
        cell = rng.choice(cells)
        end = xml.find(b"</c>", cell.end())
        if end > 0:
            text = rng.choice((b"x", b"9", b"&amp;", b"\xc2\xa3")) * rng.choice((999, 1001, 10001, 200000))
            return xml[: cell.end()] + b' t="inlineStr"><is><t>' + text + b"</t></is>" + xml[end:]
    if change == "big-row" and rows:
        row = rng.choice(rows)
        return xml[: row.start()] + b'<row r="' + str(rng.choice((1048576, 1048577, 2000000, 0))).encode() + b'"' \
            + xml[row.end():]
    if change == "row-order" and len(rows) > 2:
        first, second = sorted(rng.sample(range(len(rows)), 2))
        a, b = rows[first], rows[second]
        return xml[: a.start()] + b.group() + xml[a.end(): b.start()] + a.group() + xml[b.end():]
    if change == "inline" and cells:
        return xml.replace(b"<sheetData>", b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>area</t></is>'
                           b"</c></row>", 1)
    return _apply(rng.choice(MUTATIONS), xml, rng)


# --- Parquet: a CSV returns file rewritten, then its footer or row groups damaged ---------------

PARQUET_MUTATIONS = ("footer-flip", "footer-length", "row-group-flip", "truncate", "magic")


def to_parquet(path: Path) -> Path:
    """The CSV returns file as Parquet, in its place (an unreadable CSV gives one of bytes)."""
    import polars as pl

    target = path.with_suffix(".parquet")
    try:
        pl.read_csv(path, infer_schema=False).write_parquet(target)
    except Exception:
        target.write_bytes(path.read_bytes())
    path.unlink()
    return target


def _parquet(kind: str, data: bytes, rng: random.Random) -> bytes:
    flipped = bytearray(data)
    if len(data) < 16:
        return data
    length = int.from_bytes(data[-8:-4], "little")
    # where the footer starts, leaving a byte on either side of it to flip whatever its length says
    footer = min(max(len(data) - 8 - length, 5), len(data) - 9)
    if kind == "footer-flip":
        for _ in range(rng.randint(1, 4)):
            flipped[rng.randrange(footer, len(data) - 8)] ^= 1 << rng.randrange(8)
    elif kind == "footer-length":
        flipped[-8:-4] = rng.choice((0, 1, length + 1, length - 1, 2**31 - 1, 2**32 - 1)).to_bytes(4, "little")
    elif kind == "row-group-flip":
        for _ in range(rng.randint(1, 8)):
            flipped[rng.randrange(4, footer)] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        return data[: rng.randrange(len(data))]
    else:
        flipped[-4:] = b"PAR2"
    return bytes(flipped)


# --- YAML: nesting, anchors and aliases, keys ----------------------------------------------------

YAML_CHANGES = ("nest", "anchor-aliases", "alias-bomb", "rename-key", "duplicate-key", "deep", "flow", "unknown-key")
KEYS = (b"area", b"name", b"indicator", b"period", b"value", b"targets", b"baseline", b"kind", b"subtargets",
        b"reward", b"id", b"title", b"notes", b"status", b"periods", b"weight", b"interim")
KEY = re.compile(rb"^(\s*-?\s*)([A-Za-z_][A-Za-z0-9_]*):", re.MULTILINE)


def _yaml(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    change = rng.choice(YAML_CHANGES)
    keys = list(KEY.finditer(data))
    lines = data.splitlines(keepends=True)
    if not keys or not lines:
        return "yaml-garbage", _apply("garbage", data, rng)
    key = rng.choice(keys)
    if change == "nest":  # a value becomes a list or a mapping holding it
        end = data.find(b"\n", key.end())
        end = len(data) if end < 0 else end
        value = data[key.end(): end].strip() or b"~"
        wrapped = rng.choice((b" [" + value + b"]", b" {x: " + value + b"}", b" [[" + value + b"]]"))
        return "yaml-nest", data[: key.end()] + wrapped + data[end:]
    if change == "anchor-aliases":  # a value named, then repeated through aliases
        end = data.find(b"\n", key.end())
        end = len(data) if end < 0 else end
        value = data[key.end(): end].strip() or b"~"
        named = data[: key.end()] + b" &v " + value + data[end:]
        return "yaml-aliases", named + b"\n" + b"".join(b"k%d: *v\n" % i for i in range(rng.randint(1, 50)))
    if change == "alias-bomb":
        levels = range(1, rng.randint(3, 9))
        bomb = b"b0: &b0 [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
            b"b%d: &b%d [" % (i, i) + b", ".join([b"*b%d" % (i - 1)] * 10) + b"]\n" for i in levels)
        return "yaml-alias-bomb", data + b"\n" + bomb
    if change == "rename-key":
        return "yaml-rename-key", data[: key.start(2)] + rng.choice(KEYS) + data[key.end(2):]
    if change == "duplicate-key":
        line = data.count(b"\n", 0, key.start())
        return "yaml-duplicate-key", b"".join(lines[: line + 1] + [lines[line]] + lines[line + 1:])
    if change == "deep":
        depth = rng.choice((50, 99, 101, 500))
        end = data.find(b"\n", key.end())
        end = len(data) if end < 0 else end
        return "yaml-deep", data[: key.end()] + b" " + b"[" * depth + b"1" + b"]" * depth + data[end:]
    if change == "flow":  # block lines joined into one flow mapping
        return "yaml-flow", b"{" + b", ".join(line.strip() for line in lines if b":" in line) + b"}\n"
    return "yaml-unknown-key", data[: key.start(2)] + b"x_" + data[key.start(2):]


def _parquet_change(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(PARQUET_MUTATIONS)
    return f"parquet-{kind}", _parquet(kind, data, rng)


# How each kind of file has its structure changed: (what, change)
STRUCTURE = {".xlsx": ("xlsx", _xlsx), ".yaml": ("yaml", _yaml), ".yml": ("yaml", _yaml),
             ".parquet": ("parquet", _parquet_change)}


def _apply(kind: str, data: bytes, rng: random.Random) -> bytes:
    if not data:
        return rng.choice(GARBAGE)
    lines = data.splitlines(keepends=True)
    at = rng.randrange(len(data))
    line = rng.randrange(len(lines))
    if kind == "flip":
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        return bytes(flipped)
    if kind == "truncate":
        return data[:at]
    if kind == "duplicate":
        return b"".join(lines[: line + 1] + lines[line:])
    if kind == "drop":
        return b"".join(lines[:line] + lines[line + rng.randint(1, 3):])
    if kind == "swap":
        other = rng.randrange(len(lines))
        lines[line], lines[other] = lines[other], lines[line]
        return b"".join(lines)
    if kind == "replace":  # one word or number becomes another: the file still parses, mostly
        tokens = list(TOKEN.finditer(data))
        if tokens:
            token = rng.choice(tokens)
            new = rng.choice(NUMBERS if rng.random() < 0.6 else GARBAGE)
            return data[: token.start()] + new + data[token.end():]
    inserted = b"".join(rng.choice(GARBAGE) for _ in range(rng.randint(1, 4)))
    return data[:at] + inserted + data[at:]


@dataclass
class Outcome:
    command: str
    exit_code: int
    problem: str  # empty when the run ended cleanly
    seconds: float = 0.0


class Hang(BaseException):
    """Raised by the alarm; a BaseException, so the CLI's last-resort handler cannot swallow it."""


def _alarm(signum, frame):
    raise Hang


def run_guarded(workspace: Path, args: list[str], seconds: int) -> Outcome:
    """Run `laatool -w WORKSPACE ARGS` in-process; a problem when it crashes, hangs or exits 3."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    began = time.monotonic()
    try:
        result = CliRunner().invoke(app, ["-w", str(workspace), *args])
    except Hang:
        return Outcome(args[0], -1, f"no result within {seconds} s", seconds)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    problem = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        problem = f"exception {type(result.exception).__name__}: {result.exception}"
    elif "Traceback" in result.stderr or result.exit_code not in (0, 1, 2):
        problem = f"exit {result.exit_code}: {result.stderr.strip()[-500:]}"
    return Outcome(args[0], result.exit_code, problem, time.monotonic() - began)


COMMANDS = (["validate", "--format", "json"], ["score", "--format", "csv"], ["reward-grant", "--format", "json"],
            ["project", "--format", "json"])


def fuzz_one(source: Path, scratch: Path, number: int, seconds: int = 30) -> tuple[list[str], list[Outcome]]:
    """Copy `source`, mutate it with seed `number`, run every command on it."""
    workspace = scratch / f"run-{number}"
    shutil.copytree(source, workspace, ignore=shutil.ignore_patterns("out"))  # `make demo` writes examples/out/
    try:
        done = mutate(workspace, random.Random(number))
        return done, [run_guarded(workspace, args, seconds) for args in COMMANDS]
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
