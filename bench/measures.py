"""What `bench/run.py` measures and reports: measures, ratios against budgets, the machine."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# The workspaces bench/generate.py makes, each measured by bench/run.py (docs/performance.md).
SHAPES = ["national", "districts", "full", "published", "quarterly", "per-area"]


@dataclass
class Measure:
    """One command, run many times: its wall seconds and peak RSS (MiB) per run."""

    name: str
    command: list[str]
    cwd: Path
    ok_codes: tuple[int, ...] = (0,)
    env: dict[str, str] | None = None  # the environment of each run (None: this one's)
    seconds: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    error: str | None = None


def median_of(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class Result:
    """One row of the table: a measure against its baseline and its budget."""

    measure: str
    value: float | None
    unit: str
    baseline: str
    baseline_value: float | None
    ratio: float | None
    budget: str
    passed: bool | None  # None: reported, no budget

    @classmethod
    def time(cls, measure: Measure, floor: Measure, budget: float | None) -> Result:
        """Median seconds as a multiple of the floor's; passes at most `budget` times (None:
        reported, no budget)."""
        value, base = median_of(measure.seconds), median_of(floor.seconds)
        ratio = value / base if value is not None and base and measure.error is None else None
        passed = None if budget is None else ratio is not None and ratio <= budget
        return cls(
            measure.name,
            value,
            "s",
            floor.name,
            base,
            ratio,
            "—" if budget is None else f"≤ {budget:g}×",
            passed,
        )

    @classmethod
    def speedup(cls, fast: Measure, slow: Measure, budget: float) -> Result:
        """How many times faster `fast` is than `slow`; passes at least `budget` times."""
        value, base = median_of(fast.seconds), median_of(slow.seconds)
        ok = value and base is not None and fast.error is None and slow.error is None
        ratio = base / value if ok else None
        return cls(
            f"{fast.name} vs {slow.name}",
            value,
            "s",
            slow.name,
            base,
            ratio,
            f"≥ {budget:g}× faster",
            ratio is not None and ratio >= budget,
        )

    @classmethod
    def memory(cls, measure: Measure, floor: Measure, budget: float | None) -> Result:
        """Median peak RSS as a multiple of the floor's."""
        value, base = median_of(measure.rss), median_of(floor.rss)
        ratio = value / base if value is not None and base and measure.error is None else None
        passed = None if budget is None else ratio is not None and ratio <= budget
        return cls(
            f"{measure.name} peak RSS",
            value,
            "MiB",
            f"{floor.name} peak RSS",
            base,
            ratio,
            "—" if budget is None else f"≤ {budget:g}×",
            passed,
        )

    def cells(self) -> list[str]:
        number = (
            (lambda v: "—" if v is None else f"{v:.2f} s")
            if self.unit == "s"
            else (lambda v: "—" if v is None else f"{v:,.0f} MiB")
        )
        verdict = {True: "PASS", False: "FAIL", None: "info"}[self.passed]
        return [
            self.measure,
            number(self.value),
            self.baseline,
            number(self.baseline_value),
            "—" if self.ratio is None else f"{self.ratio:.2f}×",
            self.budget,
            verdict,
        ]


HEADER = ["measure", "median", "baseline", "baseline median", "ratio", "budget", "result"]


def results_table(results: list[Result]) -> str:
    """The results as a plain-text table for the terminal."""
    rows = [HEADER, *(r.cells() for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    pad = [[cell.ljust(width) for cell, width in zip(row, widths, strict=True)] for row in rows]
    lines = ["  ".join(cells) for cells in pad]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def results_markdown(results: list[Result], info: dict, host: dict) -> str:
    """The results, the workload and the machine, as markdown for docs/performance.md."""
    lines = [
        f"Measured {host['date']} on {host['cpu']} ({host['nproc']} CPUs available, "
        f"{host['memory']} memory), Python {host['python']}, polars {host['polars']}, "
        f"frictionless {host['frictionless']}, laatool {host['laatool']}.",
        "",
        f"Medians of {info['runs']} runs on the national shape, {info['extra_runs']} on the others "
        f"(start-up: {info['help_runs']}, frictionless: {info['frictionless_runs']}), each a fresh "
        f"process; the whole run took {info['minutes']} minutes.",
        "",
        "| shape | agreements | areas | return rows | CSV | polars read_csv | its peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {s['shape']} | {s['agreements']} | {s['areas']} | {s['rows']:,} | {s['csv_mb']} MB | "
            f"{s['floor_seconds'] or 0:.2f} s | {s['floor_rss'] or 0:,.0f} MiB |"
            for s in info["shapes"]
        ),
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join(["---", "---:", "---", "---:", "---:", "---", "---"]) + "|",
        *("| " + " | ".join(r.cells()) + " |" for r in results),
        "",
        *(f"- {note}" for note in info["notes"]),
        "",
    ]
    return "\n".join(lines)


def _first_line(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "unknown"


def machine(python: str) -> dict:
    """The machine and software the numbers were measured on."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    free = _first_line(["free", "-h"]).splitlines()
    memory = next((line.split()[1] for line in free if line.startswith("Mem:")), "unknown")
    versions = _first_line(
        [
            python,
            "-c",
            "import importlib.metadata as m; print(*(m.version(p) for p in ('polars', 'frictionless', 'laatool')))",
        ]
    ).split()
    versions += ["unknown"] * (3 - len(versions))
    return {
        "date": _first_line(["date", "-u", "+%Y-%m-%d %H:%M UTC"]),
        "cpu": cpu,
        "nproc": len(os.sched_getaffinity(0)),
        "memory": memory,
        "python": platform.python_version(),
        "polars": versions[0],
        "frictionless": versions[1],
        "laatool": versions[2],
    }
