"""The core API: one function per command, each owning the order of its steps.

A command loads the workspace, refuses invalid inputs, then computes; this module is the one
place that knows that order and what is cached between the steps (the agreement cache's A
findings and targets frame, the actuals shared by validation, scoring and reward). `cli/`
parses options, calls one function here and renders what it returns; a test or a script can
call the same functions. It may import render/, checks/, compute/, load/ and base/, never
cli/ (nor typer).

Each function imports what it uses when it runs: the command line imports this module before
it knows the command, and `laatool --help` or `laatool schema` should not wait for polars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

    from laatool.base.findings import Finding, Severity
    from laatool.base.models import Indicator
    from laatool.compute.projection_report import ProjectionReport
    from laatool.compute.reward import RewardReport
    from laatool.compute.scoring import ScoreReport
    from laatool.load.workspace import Workspace
    from laatool.render.reports import ValidationReport


@dataclass
class Outcome:
    """A command's report, and the lines for people that go with it (stderr, not the output)."""

    report: Any
    messages: list[str] = field(default_factory=list)


def agreement_results(workspace: Workspace) -> tuple[list[Finding], pl.DataFrame]:
    """What the agreement cache keeps beside the agreements: their A findings and their
    targets frame, worked out when the cache misses (`laatool.load.workspace.load_agreements`)."""
    from laatool.checks.agreements import check_agreements
    from laatool.compute.targets import targets_frame

    return check_agreements(workspace), targets_frame(workspace.agreement_docs, workspace.indicators)


def load_workspace(root: Path) -> Workspace:
    """Everything in the workspace at `root`, loaded (Y and S findings kept, never raised)."""
    from laatool.load import workspace

    return workspace.load_workspace(root, agreement_results)


def load_contents(workspace: Workspace, returns: list[tuple[Path, str]]) -> None:
    """Load an opened workspace's indicators, schemes, agreements and the `returns` files."""
    from laatool.load.workspace import load_contents as load

    load(workspace, returns, agreement_results)


def refuse_invalid_inputs(workspace: Workspace, areas: list[str], intervals: bool = False) -> list[str]:
    """Raise InvalidInput (exit 1, with the findings) when the areas' inputs hold errors. Else
    keep only the actuals of the returns, which is all that scoring and reward read (with
    `intervals`, also what the intervals of `score` are worked out from), and give the line
    that says how many warnings the inputs hold (`laatool validate` lists them)."""
    from laatool.base.findings import Severity
    from laatool.checks.validation import ensure_valid
    from laatool.compute.actuals import keep_only_actuals

    warnings = sum(1 for f in ensure_valid(workspace, areas) if f.severity == Severity.WARNING)
    keep_only_actuals(workspace, intervals)
    return [f"laatool: {warnings} warning(s) in the inputs; `laatool validate` lists them"] if warnings else []


def validate(root: Path, paths: list[Path], fail_on: Severity, output: Path | None = None) -> ValidationReport:
    """`laatool validate`: every finding of the workspace, or of the given files and folders
    (checked against the whole workspace; a returns table outside it is read as extra returns).
    `output` (`-o FILE`) is refused when it is one of the files the run reads."""
    from laatool.base.files import refuse_output_over_inputs
    from laatool.checks.validation import select_paths, validate_workspace, workspace_files
    from laatool.load.workspace import input_files, open_workspace, returns_files
    from laatool.render.reports import ValidationReport

    workspace = open_workspace(root)
    inside, outside = select_paths(workspace, paths)
    refuse_output_over_inputs(output, lambda: input_files(workspace) + [path for path, _ in outside])
    load_contents(workspace, returns_files(workspace) + outside)
    findings = validate_workspace(workspace)
    checked = workspace_files(workspace) + [name for _, name in outside]
    if paths:
        wanted = inside + [name for _, name in outside]
        findings = [f for f in findings if any(_within(f.file, w) for w in wanted)]
        checked = [name for name in checked if any(_within(name, w) for w in wanted)]
    return ValidationReport(findings, fail_on, files_checked=len(checked))


def _within(file: str, wanted: str) -> bool:
    return not wanted or file == wanted or file.startswith(wanted.rstrip("/") + "/")


def score(root: Path, areas: list[str] | None, period: str | None, output: Path | None = None) -> Outcome:
    """`laatool score`: the areas' targets scored (all areas by default), for one year or all;
    `output` (`-o FILE`) is refused when it is one of the files the run reads."""
    from laatool.base.files import refuse_output_over_inputs
    from laatool.load.workspace import input_files, select_areas

    workspace = load_workspace(root)
    refuse_output_over_inputs(output, lambda: input_files(workspace))
    from laatool.compute.scoring import period_year, score  # after loading: see `laatool.load.workspace`

    chosen = select_areas(workspace, areas)
    period_year(workspace, chosen, period)  # a bad --period is a usage error before any refusal
    messages = refuse_invalid_inputs(workspace, chosen, intervals=True)
    report: ScoreReport = score(workspace, chosen, period)
    return Outcome(report, messages)


def reward_grant(root: Path, areas: list[str] | None, scheme: str | None, output: Path | None = None) -> Outcome:
    """`laatool reward-grant`: the areas' Performance Reward Grant, each under its own scheme
    or all under `scheme`; the messages say which targets are pending. `output` (`-o FILE`) is
    refused when it is one of the files the run reads."""
    from laatool.base.files import refuse_output_over_inputs
    from laatool.load.workspace import input_files, select_areas

    workspace = load_workspace(root)
    refuse_output_over_inputs(output, lambda: input_files(workspace))
    from laatool.compute.reward import check_scheme, grant  # after loading: see `laatool.load.workspace`

    chosen = select_areas(workspace, areas)
    if scheme is not None:
        check_scheme(workspace, scheme)  # an unknown --scheme is a usage error, first
    messages = refuse_invalid_inputs(workspace, chosen)
    report: RewardReport = grant(workspace, chosen, scheme)
    return Outcome(report, messages + [f"laatool: warning: {warning}" for warning in report.warnings])


def template(root: Path, area: str, periods: list[str], output: Path | None = None) -> Outcome:
    """`laatool template`: the returns template of one area, for the years (or quarters) in
    `periods`, by default every year of its agreement. Returns are not read; an agreement that
    does not load is refused with its findings. `output` (`-o FILE`) is refused when it is a
    file of the workspace, a filled-in returns file above all."""
    from laatool.base.errors import InvalidInput, UsageError
    from laatool.base.files import refuse_output_over_inputs
    from laatool.base.ids import IdentifierError, parse_period
    from laatool.base.suggest import suggest_period
    from laatool.load.workspace import input_files, open_workspace, select_areas

    workspace = open_workspace(root)
    refuse_output_over_inputs(output, lambda: input_files(workspace))
    load_contents(workspace, [])
    [slug] = select_areas(workspace, [area])
    chosen = []
    for period in periods:
        try:
            chosen.append(parse_period(period))
        except IdentifierError as error:
            raise UsageError(f"--period: {error}{suggest_period(period)}") from None
    if slug not in workspace.agreement_docs:
        file = workspace.agreement_files[slug]
        raise InvalidInput([f for f in workspace.findings if f.file == file], f"{file} cannot be read")
    from laatool.compute.template import template as make  # after loading: see `laatool.load.workspace`

    report = make(workspace, slug, chosen)
    return Outcome(report, [f"laatool: {report.rows.height} row(s) to fill in for {report.name} "
                            f"({', '.join(report.years)})"])


def project(root: Path, areas: list[str] | None, method: str = "linear", as_at: str | None = None,
            output: Path | None = None) -> Outcome:
    """`laatool project`: the areas' targets projected to their final year (all areas by
    default), from the returns known as at `as_at` (default: each area's latest); `output`
    (`-o FILE`) is refused when it is one of the files the run reads."""
    from laatool.base.files import refuse_output_over_inputs
    from laatool.load.workspace import input_files, select_areas

    workspace = load_workspace(root)
    refuse_output_over_inputs(output, lambda: input_files(workspace))
    from laatool.compute.projection import as_at_period, project  # after loading: see `laatool.load.workspace`

    chosen = select_areas(workspace, areas)
    as_at_period(as_at)  # a bad --as-at is a usage error before any refusal
    messages = refuse_invalid_inputs(workspace, chosen)
    report: ProjectionReport = project(workspace, chosen, method, as_at)
    return Outcome(report, messages)


def indicators(root: Path, words: list[str], department: str | None = None, statutory: bool = False,
               include_deleted: bool = False, output: Path | None = None) -> Any:
    """`laatool indicators`: the indicators matching `words` (all by default), or with
    `show ID` one indicator in full; the workspace's own indicators beside the bundled set.
    `output` (`-o FILE`) is refused when it is one of the files the run reads."""
    from laatool.base.errors import UsageError
    from laatool.compute.catalogue import find, search
    from laatool.render.catalogue import IndicatorDetail, IndicatorList

    known = known_indicators(root, output)
    if words and words[0] == "show":
        wanted = " ".join(words[1:])  # `show NI 154` unquoted is two words
        if not wanted:
            raise UsageError('say which indicator to show, e.g. laatool indicators show "NI 154"')
        indicator = find(known, wanted)
        if indicator is None:
            raise UsageError(f"no indicator '{wanted}' (try `laatool indicators {wanted}` to search)")
        return IndicatorDetail(indicator)
    return IndicatorList(search(known, " ".join(words), department=department, statutory=statutory,
                                include_deleted=include_deleted))


def known_indicators(root: Path, output: Path | None = None) -> dict[str, Indicator]:
    """The bundled set, plus the workspace's own indicators when `root` is a workspace (its
    indicators folder is the one `laatool.yaml` names); a usage error when `output` is one of
    the files they come from."""
    from laatool.base.files import refuse_output_over_inputs
    from laatool.base.resources import bundled_indicators_dir
    from laatool.load.workspace import load_bundled_indicators, load_indicators, with_settings

    bundled = bundled_indicators_dir()
    if root.is_dir():
        workspace = with_settings(root)
        folder = workspace.folder("indicators")
        if folder.is_dir() or (root / "laatool.yaml").is_file():
            refuse_output_over_inputs(output, lambda: [*bundled.glob("*.yaml"), *folder.glob("*.y*ml")])
            load_indicators(workspace)
            return workspace.indicators
    refuse_output_over_inputs(output, lambda: list(bundled.glob("*.yaml")))
    return {doc.model.id: doc.model for doc in load_bundled_indicators()}


def rules(code: str | None) -> Any:
    """`laatool rules`: every code with its severity and title, or one code explained."""
    from laatool.base.errors import UsageError
    from laatool.base.suggest import did_you_mean
    from laatool.checks.registry import all_rules
    from laatool.render.reports import RuleDetail, RuleList

    every = all_rules()
    if code is None:
        return RuleList(list(every.values()))
    wanted = code.strip().upper()
    if wanted not in every:
        typed_o = wanted[:1] + wanted[1:].replace("O", "0")  # a letter O for a zero
        suggestion = did_you_mean(typed_o if typed_o in every else wanted, list(every), n=3, cutoff=0.5)
        raise UsageError(f"no rule '{code}'{suggestion} (`laatool rules` lists them all)")
    return RuleDetail(every[wanted])


def schema(name: str) -> str:
    """`laatool schema`: the JSON Schema of a file format, as text."""
    from laatool.render.schema import schema_text

    return schema_text(name)
