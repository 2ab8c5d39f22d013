"""Measure laatool against the budgets of issue 6, side by side, in fresh processes.

Every measure is the median of several runs, each a new process (its wall time, and its peak
resident memory from `os.wait4`). The laatool commands keep their agreement cache in
bench/out/cache, emptied at the start: the untimed first run of each makes it, as the first run
of a night would, and the timed runs read it; one more measure shows validate without it. The
runs of one group are interleaved, so a noisy neighbour slows every command alike rather than
one of them; validate runs again in frictionless's group, for the speed-up. Prints a table and
exits 1 when a budget fails; `--markdown FILE` writes the same table as markdown, `--docs FILE` puts it in place of
the block between `<!-- bench:results -->` and `<!-- /bench:results -->`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measures import Measure, Result, machine, median_of, results_markdown, results_table

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
START, END = "<!-- bench:results -->", "<!-- /bench:results -->"


def sample(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """Run `command` once: (wall seconds, peak RSS in MiB, exit code, the end of its stderr)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    return elapsed, usage.ru_maxrss / 1024, child.returncode, tail


def run_group(measures: list[Measure], runs: int) -> None:
    """One untimed warm-up each (disk cache, bytecode), then `runs` interleaved rounds."""
    for measure in measures:
        _, _, code, tail = sample(measure.command, measure.cwd, measure.env)
        if code not in measure.ok_codes:
            measure.error = f"exit {code}: {tail.strip().splitlines()[-1] if tail.strip() else ''}"
            print(f"  {measure.name}: {measure.error}", file=sys.stderr)
    live = [m for m in measures if m.error is None]
    for round_ in range(runs):
        for measure in live:
            seconds, rss, code, tail = sample(measure.command, measure.cwd, measure.env)
            if code not in measure.ok_codes:
                measure.error = f"exit {code} in run {round_ + 1}"
            measure.seconds.append(seconds)
            measure.rss.append(rss)
        print(
            f"  round {round_ + 1}/{runs}: " + ", ".join(f"{m.name} {m.seconds[-1]:.2f}s" for m in live),
            file=sys.stderr,
        )


def laatool(workspace: Path, *args: str) -> list[str]:
    return [str(BIN / "laatool"), "-w", str(workspace), *args]


def check_outputs(out: Path) -> list[str]:
    """What the laatool runs produced: what was measured, and whether a run went wrong."""
    notes = []
    for name in ("validate", "score", "reward-grant", "project"):
        path = out / f"{name}.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if name == "validate":
            notes.append(f"validate: valid={data['valid']}, findings {data['counts']}")
        elif name in ("score", "project"):
            rows = sum(len(a["rows"]) for a in data["areas"])
            notes.append(f"{name}: {len(data['areas'])} areas, {rows:,} target rows")
        else:
            targets = sum(len(a["targets"]) for a in data["areas"])
            notes.append(
                f"reward-grant: {len(data['areas'])} areas, {targets:,} reward (sub-)targets, "
                f"total £{data.get('total')}"
            )
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=REPO / "bench" / "out" / "national")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--help-runs", type=int, default=15, help="runs for the start-up measures")
    parser.add_argument("--frictionless-runs", type=int, default=3, help="runs of frictionless (slow)")
    parser.add_argument("--markdown", type=Path, default=REPO / "bench" / "out" / "results.md")
    parser.add_argument("--docs", type=Path, help="replace the results block of this markdown file")
    args = parser.parse_args()
    workspace = args.workspace.resolve()
    csv = workspace / "returns" / "returns.csv"
    if not csv.is_file():
        sys.exit(f"no {csv}: run bench/generate.py first")
    rows = sum(1 for _ in csv.open("rb")) - 1
    out = REPO / "bench" / "out" / "outputs"  # what the last run wrote, for a look afterwards
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.json"):
        stale.unlink()
    python = str(BIN / "python")

    floor = Measure(
        "polars read_csv",
        [python, "-c", f"import polars as pl; pl.read_csv({str(csv)!r})"],
        workspace,
    )
    # The agreement cache of the runs: emptied here, so each command's untimed first run makes
    # it (as the first run of a night would) and the timed runs read it (as every later one).
    cache = REPO / "bench" / "out" / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    cached = {**os.environ, "LAATOOL_CACHE_DIR": str(cache)}
    commands = {
        name: Measure(
            f"laatool {name}",
            laatool(workspace, name, "--format", "json", "-o", str(out / f"{name}.json")),
            workspace,
            env=cached,
        )
        for name in ("validate", "score", "reward-grant", "project")
    }
    uncached = Measure(
        "laatool validate, agreements not cached",
        laatool(workspace, "validate", "--format", "json", "-o", str(out / "validate-uncached.json")),
        workspace,
        env={**os.environ, "LAATOOL_NO_CACHE": "1"},
    )
    frictionless = Measure(
        "frictionless validate",
        [
            str(BIN / "frictionless"),
            "validate",
            "--schema",
            "returns.schema.json",
            "returns/returns.csv",
        ],
        workspace,  # frictionless reads only paths inside its working folder
    )
    helps = Measure("laatool --help", [str(BIN / "laatool"), "--help"], workspace)
    typer = Measure("import typer", [python, "-c", "import typer"], workspace)

    started = time.time()
    print(
        f"benchmark: {rows:,} return rows in {csv} ({csv.stat().st_size / 1e6:.1f} MB)",
        file=sys.stderr,
    )
    print("group 1: polars floor and the laatool commands", file=sys.stderr)
    run_group([floor, *commands.values(), uncached], args.runs)
    print("group 2: start-up", file=sys.stderr)
    run_group([typer, helps], args.help_runs)
    # frictionless runs for most of a minute, in rounds with validate again, so that the two
    # are compared under the same conditions rather than minutes apart on a shared machine.
    beside = Measure("laatool validate", commands["validate"].command, workspace, env=cached)
    print("group 3: frictionless (the same rows, with the Table Schema) and validate beside it", file=sys.stderr)
    run_group([frictionless, beside], args.frictionless_runs)

    results = [Result.time(m, floor, 3.0) for m in commands.values()]
    results.append(Result.info_time(uncached, floor))
    results.append(Result.speedup(beside, frictionless, 20.0))
    results.append(Result.time(helps, typer, 1.5))
    results += [Result.memory(m, floor, 2.0) for m in commands.values()]
    results += [Result.memory(m, floor, None) for m in (frictionless, helps, typer)]
    info = {
        "rows": rows,
        "csv_mb": round(csv.stat().st_size / 1e6, 1),
        "runs": args.runs,
        "help_runs": args.help_runs,
        "frictionless_runs": args.frictionless_runs,
        "floor_seconds": median_of(floor.seconds),
        "floor_rss": median_of(floor.rss),
        "minutes": round((time.time() - started) / 60, 1),
        "notes": check_outputs(out),
        "areas": len(list((workspace / "agreements").glob("*.yaml"))),
    }
    print(results_table(results))
    for note in info["notes"]:
        print(f"  {note}")
    markdown = results_markdown(results, info, machine(python))
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(markdown, encoding="utf-8")
    if args.docs:
        text = args.docs.read_text(encoding="utf-8")
        block = f"{START}\n{markdown}{END}"
        args.docs.write_text(
            re.sub(f"{re.escape(START)}.*?{re.escape(END)}", lambda _: block, text, flags=re.S),
            encoding="utf-8",
        )
    failed = [r.measure for r in results if r.passed is False]
    print(f"\n{len(failed)} budget(s) failed: {', '.join(failed)}" if failed else "\nevery budget holds")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
