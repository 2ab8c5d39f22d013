"""Measure laatool against the budgets of DESIGN.md §14 on every shape, side by side, in fresh processes.

For each shape of bench/generate.py (bench/out/SHAPE), every command of §14 runs beside polars
reading the same returns CSV: validate, score, reward-grant, project and opportunities over the
whole workspace (time ≤ 2.5×, peak memory ≤ 2× the read), benchmark for one indicator and period
(≤ 2× the read, time and memory) and report for one area (≤ 1.5× score for that area, every
chart drawn; with its charts kept from an earlier run, reported beside it). Start-up
(`laatool --help` against `import typer`) and frictionless (against validate, on the national
shape) are measured once. A command the installed laatool does not have (`laatool COMMAND
--help` fails) is reported as not available, and fails its budgets.

Every measure is the median of several runs, each a new process (its wall time, and its peak
resident memory from `os.wait4`). The laatool commands keep their agreement cache in
bench/out/cache/SHAPE, emptied at the start: the untimed first run of each makes it, as the first
run of a night would, and the timed runs read it. The runs of one group are interleaved, so a
noisy neighbour slows every command alike rather than one of them. Prints a table and exits 1
when a budget fails; `--markdown FILE` writes the same table as markdown, `--docs FILE` puts it
in place of the block between `<!-- bench:results -->` and `<!-- /bench:results -->`.
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
from itertools import islice
from pathlib import Path

# polars is not imported here: a child inherits the peak memory of the process that starts it
from measures import SHAPES, Measure, Result, machine, median_of, results_markdown, results_table

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
        if measure.error is not None:  # not available
            continue
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


def available(command: str) -> bool:
    """Whether the installed laatool has `command` (its --help succeeds)."""
    found = subprocess.run([str(BIN / "laatool"), command, "--help"], capture_output=True, check=False, cwd=REPO)
    return found.returncode == 0


def check_outputs(out: Path) -> list[str]:
    """What the laatool runs produced: what was measured, and whether a run went wrong."""
    notes = []
    for name in ("validate", "score", "reward-grant", "project", "opportunities"):
        path = out / f"{name}.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if name == "validate":
            notes.append(f"validate: valid={data['valid']}, findings {data['counts']}")
        elif name in ("score", "project") and isinstance(data.get("areas"), list):
            rows = sum(len(a.get("rows", [])) for a in data["areas"])
            notes.append(f"{name}: {len(data['areas'])} areas, {rows:,} target rows")
        elif name == "reward-grant":
            targets = sum(len(a["targets"]) for a in data["areas"])
            notes.append(
                f"reward-grant: {len(data['areas'])} areas, {targets:,} reward (sub-)targets, "
                f"total £{data.get('total')}"
            )
    return notes


# The commands measured over the whole workspace, with the exit codes a complete run may end
# with (validate ends 1 when it finds an error: it has still done all its work).
WHOLE = {"validate": (0, 1), "score": (0,), "reward-grant": (0,), "project": (0,), "opportunities": (0,)}
ONE_AREA, ONE_INDICATOR, ONE_PERIOD = "area-001", "NI 72", "2009-10"  # NI 72: statutory, in every agreement


def returns_csvs(workspace: Path) -> list[Path]:
    """The returns CSV files of a generated workspace: one, or one per area (`per-area`)."""
    return sorted((workspace / "returns").glob("*.csv"))


def shape_measures(shape: str, workspace: Path, have: dict[str, bool]) -> dict[str, Measure]:
    """The measures of one shape: the floor, the commands over the workspace, benchmark for one
    indicator and period, score and report for one area."""
    out = REPO / "bench" / "out" / "outputs" / shape  # what the last run wrote, for a look afterwards
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.*"):
        stale.unlink()
    cache = REPO / "bench" / "out" / "cache" / shape
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "LAATOOL_CACHE_DIR": str(cache)}
    python = str(BIN / "python")

    def command(name: str, label: str, args: list[str], ok: tuple[int, ...] = (0,), before: str = "") -> Measure:
        """laatool `name` with `args`; `before`, a shell command run first in the same measure."""
        run = laatool(workspace, name, *args)
        if before:
            run = ["sh", "-c", f'{before}; exec "$@"', "sh", *run]
        measure = Measure(f"{shape}: {label}", run, workspace, ok, env)
        if not have[name]:
            measure.error = "not available"
        return measure

    # The floor reads the shape's returns CSV, or all of its files at once (polars reads them
    # side by side).
    files = returns_csvs(workspace)
    source = str(files[0] if len(files) == 1 else workspace / "returns" / "*.csv")
    measures = {
        "floor": Measure(
            f"{shape}: polars read_csv", [python, "-c", f"import polars as pl; pl.read_csv({source!r})"], workspace
        )
    }
    for name, ok in WHOLE.items():
        measures[name] = command(name, f"laatool {name}", ["--format", "json", "-o", str(out / f"{name}.json")], ok)
    measures["benchmark"] = command(
        "benchmark",
        f"laatool benchmark -i '{ONE_INDICATOR}' -p {ONE_PERIOD}",
        ["-i", ONE_INDICATOR, "-p", ONE_PERIOD, "--format", "json", "-o", str(out / "benchmark.json")],
    )
    measures["score-area"] = command(
        "score",
        f"laatool score -a {ONE_AREA}",
        ["-a", ONE_AREA, "--format", "json", "-o", str(out / "score-area.json")],
    )
    measures["report"] = command(
        "report", f"laatool report -a {ONE_AREA}, charts kept", ["-a", ONE_AREA, "-o", str(out / "report.html")]
    )
    # The charts a report draws are kept (`laatool.render.board_chart.draw_all`), so a report
    # made again with the same figures draws none; returns change every night, so the budget
    # is held by a report whose charts are all drawn afresh: the kept ones removed first.
    measures["report-drawn"] = command(
        "report", f"laatool report -a {ONE_AREA}, every chart drawn",
        ["-a", ONE_AREA, "-o", str(out / "report-drawn.html")], before='rm -f "$LAATOOL_CACHE_DIR"/charts-*.bin')
    return measures


def shape_results(m: dict[str, Measure]) -> list[Result]:
    """Each ratio of one shape against its budget (DESIGN.md §14)."""
    floor = m["floor"]
    results = [Result.time(m[name], floor, 2.5) for name in WHOLE]
    results.append(Result.time(m["benchmark"], floor, 2.0))
    results.append(Result.time(m["report-drawn"], m["score-area"], 1.5))
    results.append(Result.time(m["report"], m["score-area"], None))
    results += [Result.memory(m[name], floor, 2.0) for name in [*WHOLE, "benchmark"]]
    results += [Result.memory(m[name], floor, None) for name in ("report-drawn", "report")]
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", nargs="+", default=SHAPES, choices=SHAPES)
    parser.add_argument("--runs", type=int, default=3, help="runs per measure on the national shape (median)")
    parser.add_argument("--extra-runs", type=int, default=2, help="runs per measure on the other shapes")
    parser.add_argument("--help-runs", type=int, default=15, help="runs for the start-up measures")
    parser.add_argument("--frictionless-runs", type=int, default=3, help="runs of frictionless (slow; 0: none)")
    parser.add_argument("--markdown", type=Path, default=REPO / "bench" / "out" / "results.md")
    parser.add_argument("--docs", type=Path, help="replace the results block of this markdown file")
    args = parser.parse_args()
    python = str(BIN / "python")
    have = {name: available(name) for name in [*WHOLE, "benchmark", "report"]}
    for name, there in have.items():
        if not there:
            print(f"laatool {name}: not available in the installed laatool (its budgets fail)", file=sys.stderr)
    started = time.time()
    results: list[Result] = []
    info: dict = {
        "shapes": [],
        "runs": args.runs,
        "extra_runs": args.extra_runs,
        "help_runs": args.help_runs,
        "frictionless_runs": args.frictionless_runs,
        "notes": [],
    }
    # Start-up first: a child's peak memory counts its parent's at the fork, and this process
    # grows when it reads the commands' outputs.
    print("start-up", file=sys.stderr)
    helps = Measure("laatool --help", [str(BIN / "laatool"), "--help"], REPO)
    typer = Measure("import typer", [python, "-c", "import typer"], REPO)
    run_group([typer, helps], args.help_runs)
    results.append(Result.time(helps, typer, 1.5))
    results += [Result.memory(m, typer, None) for m in (helps,)]

    national_validate = None
    for shape in args.shapes:
        workspace = (REPO / "bench" / "out" / shape).resolve()
        files = returns_csvs(workspace)
        if not files:
            sys.exit(f"no {workspace / 'returns'}/*.csv: run bench/generate.py --shape {shape} first")
        rows = sum(sum(1 for _ in csv.open("rb")) - 1 for csv in files)
        areas = len({line.split(b",", 1)[0] for csv in files for line in islice(csv.open("rb"), 1, None)})
        megabytes = sum(csv.stat().st_size for csv in files) / 1e6
        agreements = len(list((workspace / "agreements").glob("*.yaml")))
        runs = args.runs if shape == "national" else args.extra_runs
        print(
            f"{shape}: {rows:,} return rows of {areas} areas, {agreements} agreements "
            f"({megabytes:.1f} MB in {len(files)} file(s)), {runs} runs",
            file=sys.stderr,
        )
        measures = shape_measures(shape, workspace, have)
        run_group(list(measures.values()), runs)
        results += shape_results(measures)
        info["shapes"].append(
            {
                "shape": shape,
                "rows": rows,
                "areas": areas,
                "agreements": agreements,
                "csv_mb": round(megabytes, 1),
                "runs": runs,
                "floor_seconds": median_of(measures["floor"].seconds),
                "floor_rss": median_of(measures["floor"].rss),
            }
        )
        info["notes"] += [f"{shape}: {note}" for note in check_outputs(REPO / "bench" / "out" / "outputs" / shape)]
        info["notes"] += [f"{shape}: {m.name.split(': ', 1)[1]}: {m.error}" for m in measures.values() if m.error]
        if shape == "national":
            national_validate = measures["validate"]

    if args.frictionless_runs and national_validate is not None:
        # frictionless runs for most of a minute, in rounds with validate again, so that the two
        # are compared under the same conditions rather than minutes apart on a shared machine.
        workspace = national_validate.cwd
        frictionless = Measure(
            "national: frictionless validate",
            [str(BIN / "frictionless"), "validate", "--schema", "returns.schema.json", "returns/returns.csv"],
            workspace,  # frictionless reads only paths inside its working folder
        )
        beside = Measure(
            "national: laatool validate",
            national_validate.command,
            workspace,
            national_validate.ok_codes,
            national_validate.env,
        )
        print("frictionless (the national rows, with the Table Schema) and validate beside it", file=sys.stderr)
        run_group([frictionless, beside], args.frictionless_runs)
        results.append(Result.speedup(beside, frictionless, 20.0))

    info["minutes"] = round((time.time() - started) / 60, 1)
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
