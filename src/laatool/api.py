"""The core API: one function per command, each owning the order of its steps (load, refuse
invalid inputs, compute). `cli/` parses options, calls one function here and renders what it
returns; a test or a script can call the same functions.

Each function imports what it uses when it runs, so `laatool --help` does not wait for polars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Outcome:
    """A command's report, and the lines for people that go with it (stderr, not the output)."""

    report: Any
    messages: list[str] = field(default_factory=list)


def project(root: Path, areas: list[str] | None, method: str = "linear", as_at: str | None = None) -> Outcome:
    """`laatool project`: the areas' targets projected to their final year (all areas by
    default), from the returns known as at `as_at` (default: each area's latest)."""
    from laatool.base.findings import Severity
    from laatool.checks.validation import ensure_valid
    from laatool.compute.actuals import keep_only_actuals
    from laatool.load.workspace import load_workspace, select_areas

    workspace = load_workspace(root)
    from laatool.compute.projection import as_at_period, project  # after loading: see `laatool.load.workspace`

    chosen = select_areas(workspace, areas)
    as_at_period(as_at)  # a bad --as-at is a usage error before any refusal
    warnings = sum(1 for f in ensure_valid(workspace, chosen) if f.severity == Severity.WARNING)
    keep_only_actuals(workspace)
    messages = [f"laatool: {warnings} warning(s) in the inputs; `laatool validate` lists them"] if warnings else []
    return Outcome(project(workspace, chosen, method, as_at), messages)
