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

from laatool.base.ids import ENGLAND

if TYPE_CHECKING:
    import polars as pl

    from laatool.base.findings import Finding, Severity
    from laatool.base.ids import Period
    from laatool.base.models import Indicator
    from laatool.compute.projection_report import ProjectionReport
    from laatool.compute.reward import RewardReport
    from laatool.compute.scoring import ScoreReport
    from laatool.load.normalise import RowChoice
    from laatool.load.workspace import Workspace
    from laatool.render.reports import ValidationReport


@dataclass
class Outcome:
    """A command's report, and the lines for people that go with it (stderr, not the output)."""

    report: Any
    messages: list[str] = field(default_factory=list)
    refused: list[dict[str, Any]] | None = None  # areas left out by --skip-invalid; None without it
    findings: list[Finding] = field(default_factory=list)  # for stderr: the refused areas' errors, benchmark's warnings
    incomplete: bool = False  # written without what errors left out (`template`): exit 1 after it, as validate's report

    @classmethod
    def of(cls, report: Any, admitted: Admitted, messages: list[str] | None = None) -> Outcome:
        return cls(report, admitted.messages + (messages or []), admitted.refused, admitted.findings)


def agreement_results(workspace: Workspace) -> tuple[list[Finding], pl.DataFrame]:
    """What the agreement cache keeps beside the agreements: their A findings and their
    targets frame, worked out when the cache misses (`laatool.load.workspace.load_agreements`)."""
    from laatool.checks.agreements import check_agreements
    from laatool.compute.targets import targets_frame

    return check_agreements(workspace), targets_frame(workspace.agreement_docs, workspace.indicators)


def load_workspace(root: Path, notes: bool = False, rows: RowChoice | None = None) -> Workspace:
    """Everything in the workspace at `root`, loaded (Y and S findings kept, never raised);
    with `notes`, the returns' `note` column too (only `report` shows it); with `rows`, only
    those returns rows (`benchmark` of one year)."""
    from laatool.load import workspace

    return workspace.load_workspace(root, agreement_results, notes, rows)


def load_contents(workspace: Workspace, returns: list[tuple[Path, str]]) -> None:
    """Load an opened workspace's indicators, schemes, agreements and the `returns` files."""
    from laatool.load.workspace import load_contents as load

    load(workspace, returns, agreement_results)


@dataclass
class Admitted:
    """The areas a command computes, those refused for errors in their inputs (`--skip-invalid`,
    DESIGN.md §13), the refused areas' findings and the lines for people."""

    areas: list[str]
    refused: list[dict[str, Any]] | None = None  # None without --skip-invalid
    findings: list[Finding] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def refuse_invalid_inputs(workspace: Workspace, areas: list[str], skip_invalid: bool = False,
                          intervals: bool = False, every_area: list[Finding] | None = None) -> Admitted:
    """The areas whose inputs hold no errors. Without `skip_invalid`, an error in any area's
    inputs raises InvalidInput (exit 1): its message names the areas with errors and says how
    to compute the others. With it, those areas are left out and listed. `every_area`: errors
    in an input every area is computed from (a `--scheme` that does not load). The returns
    rows of other areas are let go first: nothing here reads them. Then only the actuals
    of the returns are kept, which is all the computations read (with `intervals`, also what the
    intervals of `score` are worked out from)."""
    from laatool.base.errors import InvalidInput
    from laatool.base.findings import sort_findings
    from laatool.checks.validation import errors_by_area
    from laatool.compute.actuals import keep_only_actuals

    workspace.keep_rows_of(areas)
    by_area, warnings = errors_by_area(workspace, areas)
    if every_area:
        by_area = {area: list({id(f): f for f in [*by_area.get(area, []), *every_area]}.values()) for area in areas}
    kept = [area for area in areas if area not in by_area]
    if by_area and not skip_invalid:
        errors = sort_findings(list({id(f): f for found in by_area.values() for f in found}.values()))
        raise InvalidInput(errors, *refusal_message(by_area, kept, len(errors)))
    count = sum(1 for owned in warnings if owned is None or not owned.isdisjoint(kept))
    keep_only_actuals(workspace, intervals)
    messages = [f"laatool: {count:,} warning(s) in the inputs; `laatool validate` lists them"] if count else []
    refused = None
    if skip_invalid:
        refused = [{"area": area, "errors": len(by_area[area])} for area in areas if area in by_area]
        rest = "the other areas are computed" if kept else "no area is left to compute"
        messages += [f"laatool: {r['area']} refused: {r['errors']:,} error(s) in its inputs; {rest} "
                     "(`laatool validate` lists the errors)" for r in refused]
    shown = sort_findings(list({id(f): f for errors in by_area.values() for f in errors}.values()))
    return Admitted(kept, refused, shown if skip_invalid else [], messages)


def refusal_message(by_area: dict[str, list[Finding]], kept: list[str], errors: int) -> tuple[str, str]:
    """Which areas' inputs hold the errors, and how the others can still be computed."""
    bad = sorted(by_area)
    named = ", ".join(bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
    message = f"{errors:,} error(s) in the inputs of {named}"
    if not kept:
        return message, ""
    others = " ".join(f"--area {area}" for area in kept[:3]) + (" ..." if len(kept) > 3 else "")
    return message, (f"`--skip-invalid` computes the {len(kept)} other area(s) and lists those refused; "
                     f"or choose areas: `{others}`")


def refuse_output_in(root: Path, output: Path | None) -> None:
    """`refuse_output` for a command that reads no workspace file, or only some (`rules`,
    `indicators`): its `-o FILE` may not overwrite one of the workspace's inputs (the bundled
    indicators among them) either, nor go where a later run would read it."""
    if output is None or str(output) == "-" or not root.is_dir():
        return
    from laatool.load.workspace import with_settings

    refuse_output(output, with_settings(root))


def refuse_output(output: Path | None, workspace: Workspace, *outside: Path) -> None:
    """`-o FILE` refused when it is one of the files the run reads (`outside`: those it reads
    from outside the workspace), or one a later run would read (`refuse_output_read_later`)."""
    from laatool.base.files import refuse_output_over_inputs
    from laatool.load.workspace import input_files, refuse_output_read_later

    refuse_output_over_inputs(output, lambda: input_files(workspace) + list(outside))
    refuse_output_read_later(output, workspace)


def validate(root: Path, paths: list[Path], fail_on: Severity, output: Path | None = None) -> ValidationReport:
    """`laatool validate`: every finding of the workspace, or of the given files and folders
    (checked against the whole workspace; a returns table outside it is read as extra returns).
    `output` (`-o FILE`) is refused when it is one of the files the run reads."""
    from laatool.base.findings import sort_findings
    from laatool.checks.validation import comparison_findings, select_paths, validate_workspace, workspace_files
    from laatool.load.workspace import open_workspace, returns_files
    from laatool.render.reports import ValidationReport

    workspace = open_workspace(root)
    inside, outside = select_paths(workspace, paths)
    refuse_output(output, workspace, *[path for path, _ in outside])
    files = returns_files(workspace) + outside
    wanted = inside + [name for _, name in outside]
    if paths:  # checked against the rest of the workspace: a return repeated in one is found there
        workspace.checked_against_the_rest = frozenset(name for _, name in files
                                                       if any(_within(name, w) for w in wanted))
    load_contents(workspace, files)
    compared = comparison_findings(workspace)  # first: the checks let go of the rows of areas without an agreement
    findings = sort_findings(validate_workspace(workspace) + compared)
    # with the files that were only named (Y017): a file looked at and left is one of those counted
    checked = sorted(set(workspace_files(workspace) + [name for _, name in outside])
                     | {f.file for f in findings if f.file})
    if paths:
        findings = [f for f in findings if any(_within(f.file, w) for w in wanted)]
        checked = [name for name in checked if any(_within(name, w) for w in wanted)]
    return ValidationReport(findings, fail_on, files_checked=len(checked))


def _within(file: str, wanted: str) -> bool:
    return not wanted or file == wanted or file.startswith(wanted.rstrip("/") + "/")


def score(root: Path, areas: list[str] | None, period: str | None, output: Path | None = None,
          skip_invalid: bool = False) -> Outcome:
    """`laatool score`: the areas' targets scored (all areas by default), for one year or all;
    `output` (`-o FILE`) is refused when it is one of the files the run reads."""
    from laatool.load.workspace import select_areas

    workspace = load_workspace(root)
    refuse_output(output, workspace)
    from laatool.compute.scoring import period_year, score  # after loading: see `laatool.load.workspace`

    chosen = select_areas(workspace, areas)
    period_year(workspace, chosen, period)  # a bad --period is a usage error before any refusal
    admitted = refuse_invalid_inputs(workspace, chosen, skip_invalid, intervals=True)
    report: ScoreReport = score(workspace, admitted.areas, period)
    return Outcome.of(report, admitted)


def reward_grant(root: Path, areas: list[str] | None, scheme: str | None, output: Path | None = None,
                 skip_invalid: bool = False) -> Outcome:
    """`laatool reward-grant`: the areas' Performance Reward Grant, each under its own scheme
    or all under `scheme`; the messages say which targets are pending. `output` (`-o FILE`) is
    refused when it is one of the files the run reads."""
    from laatool.base.errors import InvalidInput
    from laatool.load.workspace import select_areas

    workspace = load_workspace(root)
    refuse_output(output, workspace)
    from laatool.compute.reward import check_scheme, grant  # after loading: see `laatool.load.workspace`

    chosen = select_areas(workspace, areas)
    unreadable: list[Finding] = []
    if scheme is not None:
        try:
            check_scheme(workspace, scheme)  # an unknown --scheme is a usage error, first
        except InvalidInput as broken:  # one that does not load refuses every area, as its own scheme would
            if not skip_invalid:
                raise
            unreadable = broken.findings
    admitted = refuse_invalid_inputs(workspace, chosen, skip_invalid, every_area=unreadable)
    report: RewardReport = grant(workspace, admitted.areas, scheme)
    return Outcome.of(report, admitted, [f"laatool: warning: {warning}" for warning in report.warnings])


def template(root: Path, area: str, periods: list[str], output: Path | None = None) -> Outcome:
    """`laatool template`: the returns template of one area, for the years (or quarters) in
    `periods`, by default every year of its agreement. Returns are not read; an agreement that
    does not load is refused with its findings. `output` (`-o FILE`) is refused when it is a
    file of the workspace, a filled-in returns file above all, or in a folder of inputs other
    than returns/ (a later run would read it as a comparator or an agreement, or not at all)."""
    from laatool.base.errors import InvalidInput
    from laatool.base.files import refuse_output_over_inputs
    from laatool.base.suggest import period_option
    from laatool.load.workspace import input_files, open_workspace, refuse_output_read_later, select_areas

    workspace = open_workspace(root)
    refuse_output_over_inputs(output, lambda: input_files(workspace))
    refuse_output_read_later(output, workspace, returns_only=True)  # where it is filled in, on purpose
    load_contents(workspace, [])
    [slug] = select_areas(workspace, [area])
    chosen = []
    for period in periods:
        chosen.append(period_option("--period", period))
    if slug not in workspace.agreement_docs:
        file = workspace.agreement_files[slug]
        raise InvalidInput([f for f in workspace.findings if f.file == file], f"{file} cannot be read")
    agreed = workspace.agreement_docs[slug].head.periods
    outside = [str(period) for period in chosen if str(period.agreement_year) not in agreed]
    if outside:  # no return is due then, as `score --period` says of such a year
        from laatool.base.errors import UsageError

        raise UsageError(f"--period: {', '.join(outside)} is not in {slug}'s agreement ({', '.join(agreed)})")
    from laatool.compute.template import template as make  # after loading: see `laatool.load.workspace`

    report = make(workspace, slug, chosen)
    # The agreement's errors (a target on an unknown or deleted indicator has no row): said,
    # so that no target is left off the form in silence
    from laatool.base.findings import Severity
    from laatool.checks.validation import findings_for_areas

    errors = [f.one_line() for f in findings_for_areas(workspace, [slug]) if f.severity == Severity.ERROR]
    left_out = [f"laatool: {len(errors):,} error(s) in what {slug}'s agreement uses (above): a target they are on may "
                "have no row; `laatool validate` lists them"] if errors else []
    # the quarters asked for as they are (`-p "2010-11 Q2"`), a year as the agreement's (`-p 2010`: 2010-11)
    asked = ", ".join(dict.fromkeys(str(p if p.quarter else p.agreement_year) for p in chosen) or report.years)
    return Outcome(report, [*errors, *left_out, f"laatool: {report.rows.height:,} row(s) to fill in for {report.name} "
                                                f"({asked})"], incomplete=bool(errors))


def indicators(root: Path, words: list[str], department: str | None = None, statutory: bool = False,
               include_deleted: bool = False, output: Path | None = None) -> Outcome:
    """`laatool indicators`: the indicators matching `words` (all by default), or with
    `show ID` one indicator in full; the workspace's own indicators beside the bundled set.
    `output` (`-o FILE`) is refused when it is one of the files the run reads."""
    from laatool.base.errors import UsageError
    from laatool.base.suggest import did_you_mean
    from laatool.compute.catalogue import find, search
    from laatool.render.catalogue import IndicatorDetail, IndicatorList

    refuse_output_in(root, output)
    known, unread = _indicators_and_unread(root)
    # a workspace indicator file that does not load is left out: said, not left out in silence
    messages = [f"laatool: warning: {len(unread)} indicator file(s) of the workspace did not load and are left out "
                f"({', '.join(unread[:3])}{' ...' if len(unread) > 3 else ''}): `laatool validate` says why"
                ] if unread else []
    if words and words[0] == "show":
        wanted = " ".join(words[1:])  # `show NI 154` unquoted is two words
        if not wanted:
            raise UsageError('say which indicator to show, e.g. laatool indicators show "NI 154"')
        indicator = find(known, wanted)
        if indicator is None:
            raise UsageError(f"no indicator '{wanted}'{did_you_mean(wanted, known)} "
                             f"(try `laatool indicators {wanted}` to search)"
                             + (f"; {len(unread)} indicator file(s) did not load: see `laatool validate`"
                                if unread else ""))
        return Outcome(IndicatorDetail(indicator), messages)
    if department is not None:  # a department no indicator has is a typo (`DCFS`), not an empty list
        departments = sorted({i.department for i in known.values() if i.department})
        if department.strip().lower() not in {name.lower() for name in departments}:
            raise UsageError(f"--department: no indicator is of the department '{department}'"
                             f"{did_you_mean(department, departments)} (departments: {', '.join(departments)})")
        department = department.strip()
    return Outcome(IndicatorList(search(known, " ".join(words), department=department, statutory=statutory,
                                        include_deleted=include_deleted)), messages)


def known_indicators(root: Path) -> dict[str, Indicator]:
    """The bundled set, plus the workspace's own indicators when `root` is a workspace (its
    indicators folder is the one `laatool.yaml` names)."""
    return _indicators_and_unread(root)[0]


def _indicators_and_unread(root: Path) -> tuple[dict[str, Indicator], list[str]]:
    """`known_indicators`, and the workspace's indicator files that did not load (their
    findings are `validate`'s to give)."""
    from laatool.base.findings import Severity
    from laatool.load.workspace import load_bundled_indicators, load_indicators, with_settings

    if root != Path(".") and not root.is_dir():  # a workspace named (-w) that is not there, as every command says
        from laatool.base.errors import UsageError
        from laatool.base.text import escaped

        raise UsageError(f"cannot use '{escaped(str(root))}': no such folder")
    if root.is_dir():
        workspace = with_settings(root)
        folder = workspace.folder("indicators")
        if folder.is_dir() or (root / "laatool.yaml").is_file():
            load_indicators(workspace)
            prefix = f"{workspace.settings.indicators}/"
            unread = sorted({f.file for f in workspace.findings
                             if f.severity == Severity.ERROR and f.file.startswith(prefix)})
            return workspace.indicators, unread
    return {doc.model.id: doc.model for doc in load_bundled_indicators()}, []


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
        suggestion = did_you_mean(typed_o if typed_o in every else wanted, list(every), cutoff=0.5)
        raise UsageError(f"no rule '{code}'{suggestion} (`laatool rules` lists them all)")
    return RuleDetail(every[wanted])


def schema(name: str) -> str:
    """`laatool schema`: the JSON Schema of a file format, as text."""
    from laatool.render.schema import schema_text

    return schema_text(name)


def project(root: Path, areas: list[str] | None, method: str = "linear", as_at: str | None = None,
            output: Path | None = None, skip_invalid: bool = False) -> Outcome:
    """`laatool project`: the areas' targets projected to their final year (all areas by
    default), from the returns known as at `as_at` (default: each area's latest)."""
    from laatool.load.workspace import select_areas

    workspace = load_workspace(root)

    refuse_output(output, workspace)
    from laatool.compute.catalogue import indicator_frame  # after loading: see `laatool.load.workspace`
    from laatool.compute.projection import as_at_period, project

    chosen = select_areas(workspace, areas)
    when = as_at_period(as_at)  # a bad --as-at is a usage error before any refusal
    unknown = [] if when is None else keep_known_at(workspace, when, indicator_frame(workspace.indicators), chosen)
    admitted = refuse_invalid_inputs(workspace, chosen, skip_invalid)
    report: ProjectionReport = project(workspace, admitted.areas, method, as_at)
    return Outcome.of(report, admitted, unknown)


def keep_known_at(workspace: Workspace, when: Period, catalogue: pl.DataFrame, areas: list[str]) -> list[str]:
    """Keep the returns rows known as at `when` (`--as-at`), those whose period had ended by
    then: an earlier interim report is reproduced as it was, and a row after it, even one in
    error, was not known then and refuses nothing (DESIGN.md §8). A line for people when the
    `areas` have returns and none of them had ended by then: an as-at typed years early gives
    every target no data, with exit 0, and says why."""
    import polars as pl

    from laatool.compute.projection_points import ended_by

    def reported() -> bool:  # whether a row of the areas is there (a look, not a copy of the rows)
        return workspace.returns is not None and bool(workspace.returns.select(pl.col("area_id").is_in(areas).any())
                                                      .item())

    workspace.known_at = when
    before = reported()
    workspace.keep_rows(ended_by(when, catalogue))
    if not before or reported():
        return []
    whose = ", ".join(areas) if len(areas) <= 3 else f"the {len(areas):,} areas"
    return [f"laatool: no return of {whose} had ended by the end of {when} (--as-at), so nothing is known of their "
            "targets then"]


def report(root: Path, areas: list[str] | None, period: str | None = None, as_at: str | None = None,
           output: Path | None = None, skip_invalid: bool = False) -> Outcome:
    """`laatool report`: the board report of the areas (all by default), made of what `score`,
    `reward-grant`, `project` and, when the workspace has comparators, `benchmark` give, with
    the commentary of each target's latest return. `period` is the year the tables show (by
    default each area's latest with an actual, as at `as_at`)."""
    from laatool.base.errors import InvalidInput
    from laatool.load.workspace import comparator_files, read_comparators, select_areas

    workspace = load_workspace(root, notes=True)
    refuse_output(output, workspace)
    from laatool.compute.actuals import reported_actuals
    from laatool.compute.catalogue import indicator_frame  # after loading: see `laatool.load.workspace`
    from laatool.compute.commentary import latest_notes
    from laatool.compute.projection import as_at_period, project
    from laatool.compute.projection_points import ended_by
    from laatool.compute.reward import grant
    from laatool.compute.scoring import period_year, score, with_yearly_intervals
    from laatool.compute.targets import workspace_targets
    from laatool.render.board import BoardReport, check_period, report_years

    chosen = select_areas(workspace, areas)
    period_year(workspace, chosen, period)  # bad options are usage errors before any refusal
    when = as_at_period(as_at)
    check_period(period, when)
    catalogue = indicator_frame(workspace.indicators)
    known = None if when is None else ended_by(when, catalogue)  # the rows known then, every area's
    returns = workspace.returns if comparator_files(workspace) else None  # benchmark reads them after the refusal
    if returns is not None and known is not None:
        returns = returns.filter(known)
    workspace.keep_rows_of(chosen)  # as the refusal does first: the notes are looked for among these rows only
    unknown = [] if when is None else keep_known_at(workspace, when, catalogue, chosen)
    notes = latest_notes(workspace.returns, catalogue, chosen, workspace_targets(workspace))
    admitted = refuse_invalid_inputs(workspace, chosen, skip_invalid, intervals=True)
    scores = score(workspace, admitted.areas)
    actuals = with_yearly_intervals(workspace, reported_actuals(workspace, admitted.areas, catalogue))
    years = report_years(actuals, workspace, admitted.areas, period, when)
    reward = grant(workspace, admitted.areas)
    projection = project(workspace, admitted.areas, "linear", as_at)
    compared, messages, no_quartiles = None, unknown, ""
    if returns is not None and admitted.areas:
        import dataclasses

        comparators, findings = read_comparators(workspace)
        if known is not None:
            comparators = comparators.filter(known)
        indicators = sorted(set(scores.frame.get_column("indicator")))
        wanted = sorted(set(years.values()))
        everyone = dataclasses.replace(workspace, returns=returns.drop("note"), derived={})
        year = wanted[0] if len(wanted) == 1 else None
        try:
            # the report's areas listed alone (ranked and banded among every area): a million
            # comparator areas each listed, or missing, in every indicator's row took 7.8 GB
            compared = compare(everyone, comparators, list(findings), indicators, year, admitted.areas)
        except InvalidInput as refusal:  # the report is made without them, the reason said
            messages += [finding.one_line() for finding in refusal.findings]
            # errors in some indicators' rows leave out those indicators' quartiles alone
            broken = indicators_at(refusal.findings, [everyone.returns, comparators])
            kept = [indicator for indicator in indicators if broken is not None and indicator not in broken]
            try:
                compared = compare(everyone, comparators, list(findings), kept, year, admitted.areas) if kept \
                    else None
            except InvalidInput:
                compared = None
            which = f" for {', '.join(sorted(broken or []))}" if compared is not None else ""
            messages.append(f"laatool: no quartiles{which} in the report: {refusal}")
            no_quartiles = (f"No quartiles{which}: the returns compared hold errors (`laatool benchmark` lists "
                            "them).")
    report = BoardReport.of(workspace, scores, reward, projection, compared, notes, actuals, years, when,
                            no_quartiles)
    return Outcome.of(report, admitted, messages)


def indicators_at(findings: list[Finding], frames: list[pl.DataFrame | None]) -> set[str] | None:
    """The indicators of the returns rows the findings point at (a table's row, a YAML file's
    line); None when one points at no row (a file's header, a file that could not be read)."""
    import polars as pl

    places = {(f.file, f.row if f.row is not None else f.line) for f in findings}
    if any(row is None for _, row in places):
        return None
    wanted = pl.DataFrame(sorted(places), schema={"file": pl.String, "row": pl.Int64}, orient="row")
    rows = pl.concat([frame.lazy().select("file", "row", "indicator_id") for frame in frames if frame is not None])
    found = rows.join(wanted.lazy(), on=["file", "row"], how="semi").collect()
    if found.select("file", "row").unique().height < len(places) or found.get_column("indicator_id").has_nulls():
        return None  # a row left out on reading, or one whose indicator cannot be told
    return set(found.get_column("indicator_id"))


def benchmark(root: Path, indicators: list[str] | None, areas: list[str] | None, period: str | None,
              neighbours: str | None, output: Path | None = None) -> Outcome:
    """`laatool benchmark`: each indicator and year compared across every area with a value
    (the workspace's and `comparators/`), England apart; refused when the returns compared hold
    errors."""
    from laatool.base.findings import Severity
    from laatool.load.normalise import RowChoice
    from laatool.load.workspace import read_comparators, select_areas

    # One year of named indicators compares those rows alone: the others are not normalised.
    workspace = load_workspace(root, rows=RowChoice.of(indicators, period))

    refuse_output(output, workspace)
    comparators, findings = read_comparators(workspace)
    frames = [frame for frame in (workspace.returns, comparators) if frame is not None]
    reported = sorted({area for frame in frames for area in frame.get_column("area_id").unique().drop_nulls()})
    chosen_indicators = benchmark_indicators(workspace, indicators)
    year = benchmark_year(period)
    if areas and any(area.strip().casefold() == ENGLAND for area in areas):
        from laatool.base.errors import UsageError

        raise UsageError(f"'{ENGLAND}' is the comparison value of every area (vs_england), never an area compared: "
                         "leave it out of --area")
    shown = select_areas(workspace, areas, [area for area in reported if area != ENGLAND]) if areas else None
    group = None
    if neighbours is not None:
        from laatool.checks.validation import neighbour_group

        loaded, neighbour_findings = neighbour_group(workspace, neighbours, {*workspace.agreement_files, *reported})
        findings += neighbour_findings
        group = loaded.model.root if loaded is not None else None
    # the warnings of the comparators' rows and the neighbour group, as `validate` gives them
    warnings = [f for f in findings if f.severity != Severity.ERROR]
    report = compare(workspace, comparators, findings, chosen_indicators, year, shown, group, neighbours)
    why_empty = [*deleted(workspace, chosen_indicators), *not_collected(workspace, chosen_indicators, year)]
    if year is not None and report.compared == 0 and len(why_empty) < len(chosen_indicators or [None]):
        # every area reads as missing, or no row is shown, as if the year had returns (2012-13 for
        # 2010-11); said unless a note above says why for each indicator named
        named = " of the indicators named" if chosen_indicators is not None else ""
        why_empty += [f"laatool: no area has a value{named} for {year} in the workspace or its comparators "
                      "(England's is never ranked): no area is compared"]
    return Outcome(report, messages=why_empty, findings=warnings)


def not_collected(workspace: Workspace, indicators: list[str] | None, year: str | None) -> list[str]:
    """A note for each indicator named (`--indicator`) that is not collected in the year named
    (`--period`): its returns for that year are not compared (DESIGN.md §9), and the areas that
    gave one would otherwise read as if they had reported nothing."""
    from laatool.compute.collection import is_due

    if not indicators or year is None:
        return []
    return [f"laatool: {ident} is not collected in {year} (collected in "
            f"{', '.join(workspace.indicators[ident].collection_periods or [])}): no return for that year is compared"
            for ident in indicators if not is_due(workspace.indicators[ident], year)]


def deleted(workspace: Workspace, indicators: list[str] | None) -> list[str]:
    """A note for each indicator named (`--indicator`) that its definition marks deleted
    (DESIGN.md §4.1): few areas, or none, return it, and an empty comparison would say nothing."""
    return [f"laatool: {ident} is a deleted indicator (status: deleted): few areas, if any, return it"
            for ident in indicators or [] if workspace.indicators[ident].status == "deleted"]


def group_areas(group: dict[str, list[str]] | None) -> set[str]:
    """Every area a neighbour group names, as a member or as a neighbour."""
    return {slug for area, peers in (group or {}).items() for slug in [area, *(peers or [])]}


def compare(workspace: Workspace, comparators: pl.DataFrame, findings: list[Finding],
            chosen_indicators: list[str] | None, year: str | None, shown: list[str] | None,
            group: dict[str, list[str]] | None = None, neighbours: str | None = None) -> Any:
    """The benchmark of `benchmark` (and of `report`): the workspace's returns and the
    comparators' compared for the chosen indicators (None: all) and year (None: all);
    InvalidInput when the rows compared, or `findings` (of reading them), hold errors."""

    import polars as pl

    from laatool.base.errors import InvalidInput
    from laatool.base.findings import Severity, sort_findings
    from laatool.checks.validation import indicator_findings, rows_findings  # after loading: see `load.workspace`
    from laatool.compute.actuals import interval_rows, yearly_actuals
    from laatool.compute.benchmark import VALUES_SCHEMA, benchmark
    from laatool.compute.catalogue import indicator_frame
    from laatool.compute.collection import collected
    from laatool.compute.scoring import actual_intervals, indicator_ranges
    from laatool.load.workspace import returns_files

    frames = [frame for frame in (workspace.returns, comparators) if frame is not None]
    reported = sorted({area for frame in frames for area in frame.get_column("area_id").unique().drop_nulls()})
    # A row whose indicator or period does not parse may be one of those meant (`NI 7 2`,
    # `2009-1O`): it is compared, so that its error refuses the comparison as it would unfiltered,
    # rather than its area being listed as without a value.
    wanted = pl.lit(True)
    if chosen_indicators is not None:
        wanted &= pl.col("indicator_id").is_in(chosen_indicators) | pl.col("indicator_id").is_null()
    if year is not None:
        wanted &= (pl.col("year_id") == year) | pl.col("year_id").is_null()
    compared = pl.concat([frame.drop("note", strict=False).filter(wanted) for frame in frames],
                         how="vertical_relaxed")
    # The checks of the rows compared (and of the files they come from, the indicators' own and
    # the settings): a national workspace is not validated whole to compare one indicator.
    files = {rel for _, rel in returns_files(workspace)} | {"laatool.yaml"}
    findings += [f for f in workspace.findings if f.file in files] + indicator_findings(workspace, chosen_indicators)
    findings += rows_findings(workspace, compared)
    errors = sort_findings([f for f in findings if f.severity == Severity.ERROR])
    if errors:
        raise InvalidInput(errors, f"{len(errors):,} error(s) in the files compared (listed above)")
    catalogue = indicator_frame(workspace.indicators)
    # the annual actuals of §5, but none of a year its indicator is not collected in (not due)
    annual = collected(yearly_actuals(compared, workspace.indicators).lazy(), catalogue).collect()
    actuals = (annual.filter(pl.col("subtarget").is_null())
               .select("area", "indicator", "year", value="actual", provisional="provisional",
                       value_exact="actual_exact")
               .cast(VALUES_SCHEMA))  # type: ignore[arg-type]
    intervals = actual_intervals(actuals.with_columns(subtarget=pl.lit(None, pl.String), actual=pl.col("value")),
                                 interval_rows(compared.lazy(), workspace.indicators), catalogue,
                                 workspace.settings.significance, indicator_ranges(workspace))
    is_england = pl.col("area") == ENGLAND
    expected = sorted({*workspace.agreement_files, *reported, *group_areas(group)} - {ENGLAND})
    wanted_pairs = None
    if chosen_indicators is not None and year is not None:
        wanted_pairs = pl.DataFrame({"indicator": chosen_indicators, "year": [year] * len(chosen_indicators)})
    neighbour_frame = None
    if group is not None:
        no_peer: list[str | None] = [None]
        neighbour_frame = pl.DataFrame(
            [(area, peer) for area, peers in sorted(group.items()) for peer in (peers or no_peer)],
            schema={"area": pl.String, "peer": pl.String}, orient="row")
    return benchmark(actuals.filter(~is_england), catalogue, actuals.filter(is_england), intervals,
                     neighbour_frame, expected, shown, {a: d.head.name for a, d in workspace.agreement_docs.items()},
                     neighbours, wanted_pairs)




def benchmark_indicators(workspace: Workspace, given: list[str] | None) -> list[str] | None:
    """The indicators `--indicator` names (normalised), None for all; a UsageError for one the
    catalogue does not hold."""
    from laatool.base.errors import UsageError
    from laatool.base.suggest import did_you_mean
    from laatool.base.text import excerpt
    from laatool.compute.catalogue import find

    if not given:
        return None
    chosen = []
    for text in given:
        indicator = find(workspace.indicators, text)
        if indicator is None:
            raise UsageError(f"no indicator '{excerpt(text)}'{did_you_mean(text, workspace.indicators)} "
                             "(`laatool indicators` lists them)")
        chosen.append(indicator.id)
    return sorted(set(chosen))


def benchmark_year(period: str | None) -> str | None:
    """The agreement year `--period` names, as returns count to it; a UsageError for a quarter
    or a period that does not parse."""
    from laatool.base.errors import UsageError
    from laatool.base.suggest import period_option

    if period is None:
        return None
    parsed = period_option("--period", period, years=True)
    if parsed.quarter:
        raise UsageError(f"--period {period}: areas are compared on years; give the year, e.g. "
                         f"{parsed.agreement_year}")
    return str(parsed.agreement_year)


# --within is a share to at most 10 decimal places: the window's edge is then compared in whole
# numbers that no Int128 product of reward's exact frame overflows (`compute.opportunities`).
WITHIN_UNITS = 10**10


def opportunities(root: Path, areas: list[str] | None, within: str = "0.10", output: Path | None = None,
                  skip_invalid: bool = False) -> Outcome:
    """`laatool opportunities`: the reward targets of the areas near or above the threshold, what
    reaching the threshold and the full share needs and pays, before the final year is reported
    on the projection (DESIGN.md §10)."""
    from laatool.base.errors import UsageError
    from laatool.base.numbers import parse as parse_number
    from laatool.load.workspace import select_areas

    share = parse_number(str(within).strip())  # ASCII digits written plainly, as any number of the inputs
    if share is None or not 0 <= share <= 1 or WITHIN_UNITS % share.as_integer_ratio()[1]:
        raise UsageError(f"--within {within}: give a share of the enhancement between 0 and 1, to at most "
                         "10 decimal places, e.g. 0.10")
    workspace = load_workspace(root)

    refuse_output(output, workspace)
    from laatool.compute.opportunities import opportunities  # after loading: see `laatool.load.workspace`
    from laatool.compute.projection import project
    from laatool.compute.reward import grant

    chosen = select_areas(workspace, areas)
    admitted = refuse_invalid_inputs(workspace, chosen, skip_invalid)
    reward = grant(workspace, admitted.areas)
    pending = reward.frame.filter(reward.frame["status"] == "pending").height > 0
    projected = project(workspace, admitted.areas) if pending else None
    names = {area: workspace.agreement_docs[area].head.name for area in admitted.areas}
    return Outcome.of(opportunities(reward, projected, share, names), admitted)
