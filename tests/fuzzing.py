"""Random mutations of a workspace, and one guarded run of a command, for the fuzz test.

`tests/test_fuzz.py` runs a few mutations in CI; `make fuzz` (FUZZ_RUNS=300) runs hundreds.
Each mutation is drawn from a `random.Random` seeded with the run's number, so a failure is
reproduced by its number alone: `FUZZ_RUNS=1 FUZZ_FIRST=<n> make fuzz`.
"""

from __future__ import annotations

import random
import re
import shutil
import signal
import time
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
        path = rng.choice(files_of(root))
        kind = rng.choice(MUTATIONS)
        data = path.read_bytes()
        path.write_bytes(_apply(kind, data, rng))
        done.append(f"{kind} {path.relative_to(root).as_posix()}")
    return done


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


def fuzz_one(source: Path, scratch: Path, number: int, seconds: int = 10) -> tuple[list[str], list[Outcome]]:
    """Copy `source`, mutate it with seed `number`, run every command on it."""
    workspace = scratch / f"run-{number}"
    shutil.copytree(source, workspace)
    try:
        done = mutate(workspace, random.Random(number))
        return done, [run_guarded(workspace, args, seconds) for args in COMMANDS]
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
