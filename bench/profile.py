"""Where a laatool command spends its time: py-spy samples summed by function.

    .venv/bin/python bench/profile.py validate score reward-grant   # py-spy: the `bench` extra
    .venv/bin/python bench/profile.py --shape districts validate score

Each command runs once over the workspace of a shape (bench/out/SHAPE, default national) under
`py-spy record --idle` (idle samples count: the main thread waits in polars' Rust threads and that wait is the command's
time). A function's share is the samples whose stack passes through it (inclusive), so shares
of nested functions overlap; `self` is the share spent in the function itself.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FRAME = re.compile(r"^(?P<function>.+?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def record(command: str, workspace: Path, out: Path, rate: int) -> Path:
    raw = out / f"{workspace.name}-{command}.raw"
    subprocess.run(
        [
            str(BIN / "py-spy"),
            "record",
            "--idle",
            "-r",
            str(rate),
            "-f",
            "raw",
            "-o",
            str(raw),
            "--",
            str(BIN / "python"),
            "-m",
            "laatool",
            "-w",
            str(workspace),
            command,
            "--format",
            "json",
            "-o",
            str(out / f"{workspace.name}-{command}.json"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return raw


def summarise(raw: Path, top: int, pattern: str) -> str:
    """Inclusive and self shares of the functions whose file matches `pattern`."""
    inclusive, own, total = Counter(), Counter(), 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        total += count
        frames = []
        for frame in stack.split(";"):
            match = FRAME.match(frame)
            if match:
                frames.append(f"{match['file']}:{match['function']}")
        for name in set(frames):
            if re.search(pattern, name):
                inclusive[name] += count
        leaf = next((f for f in reversed(frames) if re.search(pattern, f)), None)
        if leaf:
            own[leaf] += count
    lines = [f"{raw.stem}: {total} samples", f"{'inclusive':>9} {'self':>6}  function"]
    for name, count in inclusive.most_common(top):
        lines.append(f"{count / total:9.1%} {own[name] / total:6.1%}  {name}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commands", nargs="+")
    parser.add_argument("--shape", default="national", help="the workspace bench/out/SHAPE")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "profiles")
    parser.add_argument("--rate", type=int, default=200, help="samples per second")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default=r"laatool/|yaml/|pydantic|polars/", help="which files to list")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for command in args.commands:
        workspace = (REPO / "bench" / "out" / args.shape).resolve()
        summary = summarise(record(command, workspace, args.out, args.rate), args.top, args.match)
        (args.out / f"{args.shape}-{command}.txt").write_text(summary + "\n", encoding="utf-8")
        print(summary, end="\n\n")


if __name__ == "__main__":
    main()
