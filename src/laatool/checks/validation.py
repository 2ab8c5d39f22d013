"""`validate`: every check over a loaded workspace, as one sorted list of findings.

`findings_for_areas` narrows them to what some areas use (DESIGN.md §7, exit code 1 of `score`
and `reward-grant`): their agreement files, their returns rows, the indicators and schemes
those refer to, and `laatool.yaml`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import polars as pl

from laatool.base.errors import InvalidInput, UsageError
from laatool.base.findings import Finding, Severity, has_errors, sort_findings
from laatool.base.ids import IdentifierError, is_slug, normalise_indicator_id
from laatool.base.text import escaped
from laatool.load.workspace import BUNDLED, INPUT_FOLDERS, SETTINGS_FILE, Workspace, returns_files

if TYPE_CHECKING:
    from laatool.base.models import Neighbours
    from laatool.load.documents import Loaded

# A returns file from outside the workspace: any kind the returns folder reads (`load.returns`)
TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet", ".yaml", ".yml")


def validate_workspace(workspace: Workspace) -> list[Finding]:
    """Every finding for the whole workspace: loading (Y, S) and the rule families (I, A, R)."""
    # Imported here, once loading is under way: `validate` imports this module before it starts
    # reading the returns, and the rules bring in the models and the YAML loader.
    from laatool.checks.indicators import check_indicators
    from laatool.checks.returns_engine import returns_findings

    assert workspace.agreement_checks is not None, "made when the agreements are loaded"
    findings = list(workspace.findings)
    findings += check_indicators(workspace.indicator_docs)
    findings += workspace.agreement_checks  # made with the agreements (laatool.load.workspace)
    findings += returns_findings(workspace)
    return sort_findings(findings)


def indicator_findings(workspace: Workspace, indicators: list[str] | None) -> list[Finding]:
    """The findings of the files that define the given indicators (None: every indicator), or
    are named after one and could not be read: an override of NI 8 that cannot be read leaves
    the bundled NI 8, whose polarity may be the other way round."""
    from laatool.checks.indicators import check_indicators

    indicator_of = _indicator_of(workspace)
    wanted = set(indicators) if indicators is not None else None
    found = workspace.findings + check_indicators(workspace.indicator_docs)
    return [f for f in found if f.file in indicator_of and (wanted is None or indicator_of[f.file] in wanted)]


def findings_for_areas(workspace: Workspace, areas: list[str]) -> list[Finding]:
    """The findings in what the given areas use: their agreements, their returns rows, and
    the indicators and schemes those refer to (DESIGN.md §7, exit code 1)."""
    return Scope.of(workspace, areas).select(validate_workspace(workspace))


def ensure_valid(workspace: Workspace, areas: list[str]) -> list[Finding]:
    """Raise InvalidInput when the areas' inputs hold errors; else return their warnings."""
    findings = findings_for_areas(workspace, areas)
    if has_errors(findings, Severity.ERROR):
        raise InvalidInput([f for f in findings if f.severity == Severity.ERROR])
    return findings


def errors_by_area(workspace: Workspace, areas: list[str]) -> tuple[dict[str, list[Finding]], list[set[str] | None]]:
    """The error findings of each of `areas` whose inputs hold any (a shared file's error is
    every using area's), and for each warning in what the areas use, the areas it concerns
    (None: all of them, when nothing was refused). Every finding is worked out once; only when
    the areas' inputs hold errors is each finding's owners looked up, for all areas at once."""
    findings = findings_for_areas(workspace, areas)
    errors = [f for f in findings if f.severity == Severity.ERROR]
    if not errors:
        return {}, [None for f in findings if f.severity == Severity.WARNING]
    by_area: dict[str, list[Finding]] = {}
    warned: list[set[str] | None] = []
    for finding, owned in zip(findings, owners(workspace, areas, findings), strict=True):
        if finding.severity == Severity.WARNING:
            warned.append(owned)
        elif finding.severity == Severity.ERROR:
            for area in owned:
                by_area.setdefault(area, []).append(finding)
    if not by_area:  # an error the areas share but none owns alone: it stops them all
        by_area = dict.fromkeys(areas, errors)
    return by_area, warned


def owners(workspace: Workspace, areas: list[str], findings: list[Finding]) -> list[set[str]]:
    """For each finding, which of `areas` use what it is about: the area of a returns row, the
    areas with rows in a returns file (a header or summary finding; every area for a file that
    could not be read), an agreement's area, the areas using an indicator or a scheme, every
    area for `laatool.yaml`. `Scope.select` keeps a finding when one of its areas is chosen."""
    everyone = set(areas)
    scope = Scope.of(workspace, areas)
    rows = scope.returns_rows
    tabular = [f for f in findings if f.file in scope.returns_files and f.file != SETTINGS_FILE]
    wanted = pl.DataFrame({"file": [f.file for f in tabular],
                           "row": [f.row if f.row is not None else f.line for f in tabular]},
                          schema={"file": pl.String, "row": pl.Int64}).unique()
    row_area = {(file, row): area for file, row, area in
                rows_at(rows, wanted).iter_rows()}
    file_areas = {file: found & everyone for file, found in workspace.areas_by_file().items()}
    indicators = {scope.indicator_of[f.file] for f in findings if f.file in scope.indicator_of}
    users: dict[str, set[str]] = {}
    if indicators:
        targets = workspace.targets
        assert targets is not None, "made when the agreements are loaded"
        pairs = pl.concat([
            workspace.returns.lazy().select(area="area_id", indicator="indicator_id")
            if workspace.returns is not None else pl.LazyFrame(schema={"area": pl.String, "indicator": pl.String}),
            targets.lazy().select("area", "indicator"),
        ]).filter(pl.col("indicator").is_in(sorted(indicators)) & pl.col("area").is_in(areas)).unique().collect()
        for area, indicator in pairs.iter_rows():
            users.setdefault(indicator, set()).add(area)
    schemes = {area: workspace.scheme_name(area) for area in areas}
    slug_of = {file: slug for slug, file in workspace.agreement_files.items()}
    result = []
    for finding in findings:
        file = finding.file
        if file in scope.returns_files and file != SETTINGS_FILE:
            where = (file, finding.row if finding.row is not None else finding.line)
            if finding.area is not None and is_slug(finding.area):  # a row left out on reading
                owned = {finding.area} & everyone
            elif file not in file_areas or not file_areas[file] and where in row_area:
                owned = everyone  # unreadable (or emptied), or rows no area can be told from: anyone's
            elif where in row_area and is_slug(row_area[where]):
                owned = {row_area[where]} & everyone
            else:  # a header or summary finding, or a row whose area is blank or no slug
                owned = file_areas[file]
        elif file == SETTINGS_FILE:
            owned = everyone
        elif file in slug_of:
            owned = {slug_of[file]} & everyone
        elif file in scope.indicator_of:
            owned = users.get(scope.indicator_of[file], set())
        elif file in scope.scheme_of:
            owned = {area for area, scheme in schemes.items() if scheme == scope.scheme_of[file]}
        else:
            owned = set()
        result.append(owned)
    return result


def rows_at(rows: pl.DataFrame, wanted: pl.DataFrame) -> pl.DataFrame:
    """The `rows` (file, row, area_id) at the places `wanted` (file, row) names: the few rows
    with a wanted row number first, then their files compared (a join on both columns over a
    national workspace would first spell out every row's file name)."""
    few = rows.filter(pl.col("row").is_in(wanted.get_column("row").unique().implode()))
    return few.join(wanted, on=["file", "row"], how="semi")


@dataclass
class Scope:
    """What a set of areas uses, by file (and by row for returns files)."""

    agreement_files: set[str]
    all_agreement_files: set[str]
    returns_rows: pl.DataFrame  # file, row, area_id of every row kept
    areas_by_file: Callable[[], dict[str, set[str]]]  # `Workspace.areas_by_file`: asked for only when needed
    areas: set[str]
    returns_files: set[str]
    indicators: set[str]
    indicator_of: dict[str, str]  # file -> the indicator id it defines (or is named after)
    schemes: set[str]
    scheme_of: dict[str, str]

    @classmethod
    def of(cls, workspace: Workspace, areas: list[str]) -> Scope:
        chosen = set(areas)
        rows = (workspace.returns.select("file", "row", "area_id", "indicator_id")
                if workspace.returns is not None else pl.DataFrame(schema={
                    "file": pl.String, "row": pl.Int64, "area_id": pl.String, "indicator_id": pl.String}))
        indicators = set(rows.lazy().filter(pl.col("area_id").is_in(sorted(chosen)))
                         .select(pl.col("indicator_id").drop_nulls().unique()).collect().to_series())
        targets = workspace.targets
        assert targets is not None, "made when the agreements are loaded"
        indicators |= set(targets.filter(pl.col("area").is_in(sorted(chosen)))["indicator"].unique())
        return cls(
            agreement_files={workspace.agreement_files[a] for a in chosen if a in workspace.agreement_files},
            all_agreement_files=set(workspace.agreement_files.values()),
            returns_rows=rows.select("file", "row", "area_id"),
            areas_by_file=workspace.areas_by_file,
            areas=chosen,
            returns_files={rel for _, rel in returns_files(workspace)} | set(rows["file"].unique()),
            indicators=indicators,
            indicator_of=_indicator_of(workspace),
            schemes={workspace.scheme_name(area) for area in chosen},
            scheme_of={**_named_after(workspace, "schemes", str), **workspace.unloaded_schemes,
                       **workspace.scheme_twins, **{d.file: name for name, d in workspace.scheme_docs.items()}},
        )

    def select(self, findings: list[Finding]) -> list[Finding]:
        """The findings in what the areas use."""
        rows = [f for f in findings if f.file in self.returns_files and f.file != SETTINGS_FILE]
        row_areas, file_is_mine = self._rows_of(rows) if rows else ({}, {})
        chosen = []
        for finding in findings:
            if finding.file in self.returns_files and finding.file != SETTINGS_FILE:
                where = (finding.file, finding.row if finding.row is not None else finding.line)
                if finding.area is not None and is_slug(finding.area):  # a row left out on reading
                    keep = finding.area in self.areas
                elif finding.file not in file_is_mine:  # unreadable (or emptied): it may hold their rows
                    keep = True
                elif where in row_areas and is_slug(row_areas[where]):
                    keep = row_areas[where] in self.areas
                elif where in row_areas and not self.areas_by_file()[finding.file]:
                    keep = True  # a file whose rows no area can be told from: it may hold theirs
                else:  # a header, summary or dropped-item finding, or a row whose area is blank
                    keep = file_is_mine[finding.file]  # or no slug: theirs if they have rows there
            else:
                keep = self.covers(finding)
            if keep:
                chosen.append(finding)
        return chosen

    def _rows_of(self, findings: list[Finding]) -> tuple[dict[tuple, str | None], dict[str, bool]]:
        """The area of each row the findings point at, and whether each file has the areas' rows."""
        files = {f.file for f in findings}
        file_is_mine = {file: not areas.isdisjoint(self.areas) for file, areas in self.areas_by_file().items()
                        if file in files}
        wanted = pl.DataFrame(
            {"file": [f.file for f in findings], "row": [f.row if f.row is not None else f.line for f in findings]},
            schema={"file": pl.String, "row": pl.Int64},
        ).unique()
        hits = rows_at(self.returns_rows, wanted)
        return {(file, row): area for file, row, area in hits.iter_rows()}, file_is_mine

    def covers(self, finding: Finding) -> bool:
        """Whether a finding outside the returns files is in what the areas use."""
        file = finding.file
        if file == SETTINGS_FILE:
            return True
        if file in self.all_agreement_files:
            return file in self.agreement_files
        if file in self.indicator_of:
            return self.indicator_of[file] in self.indicators
        if file in self.scheme_of:
            return self.scheme_of[file] in self.schemes
        # a file not read for the folder it is in (an agreement filed by sub-region, a draft in
        # the recycle bin) may be any area's: each command's warning count says so
        return finding.code == "Y017"


def _indicator_id(stem: str) -> str:
    try:
        return normalise_indicator_id(stem)
    except IdentifierError:
        return stem


def _indicator_of(workspace: Workspace) -> dict[str, str]:
    """Each indicator file -> the indicator it defines, or is named after when it did not load."""
    return {**_named_after(workspace, "indicators", _indicator_id),
            **{d.file: d.model.id for d in workspace.indicator_docs}}


def _named_after(workspace: Workspace, folder: str, name_of) -> dict[str, str]:
    """Files of a workspace folder (and their bundled twins' names) -> what their name says."""
    prefix = getattr(workspace.settings, folder).rstrip("/") + "/"
    named = {}
    for finding in workspace.findings:
        for start in (prefix, f"{BUNDLED}:{folder}/"):
            if finding.file.startswith(start):
                named[finding.file] = name_of(PurePosixPath(finding.file).stem)
    return named


def workspace_files(workspace: Workspace) -> list[str]:
    """Every file of the workspace that laatool reads, relative to its root."""
    from laatool.base.inputs import list_inputs, present, shown_name
    from laatool.load.workspace import comparator_files

    files = [SETTINGS_FILE] if present(workspace.root / SETTINGS_FILE) else []
    for folder in ("indicators", "schemes", "agreements", "neighbours"):
        files += [shown_name(p, workspace.root)
                  for p in list_inputs(workspace.folder(folder), workspace.root, (".yaml", ".yml"))]
    return files + [rel for _, rel in returns_files(workspace)] + [rel for _, rel in comparator_files(workspace)]


def comparison_findings(workspace: Workspace) -> list[Finding]:
    """The findings of what `benchmark` and `report` read besides the workspace's own returns
    (DESIGN.md §10): each neighbour group's file, and the comparators' returns, read and checked
    row by row as `benchmark` checks them (no agreement is needed for an area of theirs). A
    comparator's survey value needs no sample size (R314): it is compared, never tested
    against a target, and England's published figure comes without one."""
    from laatool.load.workspace import comparator_files, neighbour_groups, read_comparators

    findings: list[Finding] = []
    known = set(workspace.agreement_files)
    if workspace.returns is not None:
        known |= set(workspace.returns.get_column("area_id").unique().drop_nulls())
    if files := {rel for _, rel in comparator_files(workspace)}:
        comparators, read = read_comparators(workspace)
        # beside the workspace's own rows of their areas and indicators, as `benchmark` checks
        # them: a comparator row giving one of those another value is R308 there too
        rows = comparators
        if workspace.returns is not None:
            own = workspace.returns.drop("note", strict=False).join(
                comparators.select("area_id", "indicator_id").unique(), on=["area_id", "indicator_id"], how="semi")
            rows = pl.concat([own, comparators.drop("note", strict=False)], how="vertical_relaxed")
        findings += read + [f for f in rows_findings(workspace, rows) if f.code != "R314" and f.file in files]
        known |= set(comparators.get_column("area_id").unique().drop_nulls())
    for group in neighbour_groups(workspace):
        findings += neighbour_group(workspace, group, known)[1]
    return findings


def rows_findings(workspace: Workspace, rows: pl.DataFrame) -> list[Finding]:
    """The row checks of returns rows other than the workspace's own (the comparators', the rows
    `benchmark` compares): for any area, with an agreement or not, and no missing returns."""
    import dataclasses

    from laatool.checks.returns_engine import returns_findings

    return returns_findings(dataclasses.replace(workspace, returns=rows, derived={}, file_areas=None),
                            coverage=False, every_area=True)


def neighbour_group(workspace: Workspace, group: str, known: set[str]) -> tuple[Loaded[Neighbours] | None,
                                                                                list[Finding]]:
    """Neighbour group `group`, with the findings of its reading and A236's over it (`known`: the
    areas of agreements and of returns)."""
    from laatool.checks.agreement_shape import A236
    from laatool.load.workspace import load_neighbour_group

    loaded, findings = load_neighbour_group(workspace, group)
    return loaded, findings + (list(A236.check(loaded, known)) if loaded is not None else [])


def _entry_exists(path: Path) -> bool:
    """Whether there is an entry at `path`, a link that leads nowhere too; an OSError for a name
    the system refuses (too long), which `os.path.lexists` would take for no entry."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


def _within_root(path: Path, root: Path) -> Path:
    """`path` relative to the workspace `root`: as written (a link in the workspace is inside
    it, wherever it leads), else as the system resolves both; a ValueError when it is in
    neither."""
    written = Path(os.path.normpath(path.absolute()))
    for base in (Path(os.path.normpath(root.absolute())), root.resolve()):
        if written.is_relative_to(base):
            return written.relative_to(base)
    return path.resolve().relative_to(root.resolve())


def select_paths(workspace: Workspace, paths: list[Path]) -> tuple[list[str], list[tuple[Path, str]]]:
    """PATH arguments of `validate`: workspace-relative names of those inside the workspace, and
    (path, name) of returns files outside it, to be read as extra returns.

    A path is tried as given (relative to the current folder), then relative to the workspace.
    A path that does not exist, or a non-returns file outside the workspace, is a UsageError.
    """
    inside, outside = [], []
    for given in paths:
        # a link is a path of its own, wherever it leads (or if it leads nowhere, a loop): the
        # reading of the workspace says what it is (Y012, Y006)
        path = given if _entry_exists(given) else workspace.root / given
        if not _entry_exists(path):
            raise UsageError(f"no such file or folder: '{escaped(str(given))}'")
        try:
            rel = escaped(_within_root(path, workspace.root).as_posix())  # as findings name it (`shown_name`)
        except ValueError:
            # a pipe or a device named as a table is read as one, and refused as one (Y013)
            if path.is_dir() or path.suffix.lower() not in TABLE_SUFFIXES:
                raise UsageError(f"'{escaped(str(given))}' is outside the workspace '{escaped(str(workspace.root))}': "
                                 f"only a returns file ({', '.join(TABLE_SUFFIXES)}) can be checked from outside it"
                                 ) from None
            # named as given, unless that reads as a workspace file's name (`returns/r.csv` given
            # from another folder, its first part one the workspace has): then by its absolute
            # path, so that no finding seems to name the workspace's own file
            first = given.parts[0] if given.parts and not given.is_absolute() else ".."
            named = path.absolute() if first != ".." and (workspace.root / first).exists() else given
            outside.append((path, escaped(named.as_posix())))
            continue
        if rel == ".":
            inside.append("")
        elif (name := _input_name(workspace, path)) is not None:
            inside.append(name)
        # a file the workspace does not read (`plain.csv` beside `returns/`) was passed as valid,
        # 0 files checked: a table is checked as a returns file from outside it is
        elif path.is_dir() or path.suffix.lower() not in TABLE_SUFFIXES:
            raise UsageError(f"'{escaped(str(given))}' is in the workspace but none of its inputs (laatool.yaml "
                             "and the folders it names): only a returns file "
                             f"({', '.join(TABLE_SUFFIXES)}) can be checked there")
        else:
            outside.append((path, rel))
    return inside, outside


def _input_name(workspace: Workspace, path: Path) -> str | None:
    """The name findings give `path` (in the workspace) when a run reads it: laatool.yaml, a
    folder of inputs, a folder holding one, or a file or folder in one; None when no run reads
    it. `..` is taken as written (`returns/../plain.csv` is `plain.csv`, read by no run), and a
    path through a link into a folder of inputs is named as the folder names what it leads to
    (`indlink/X.yaml`, `indlink` a link to `indicators/`, is `indicators/X.yaml`)."""
    written = Path(os.path.normpath(path.absolute()))
    for place in [workspace.root / "laatool.yaml", *(workspace.folder(name) for name in INPUT_FOLDERS)]:
        as_written = Path(os.path.normpath(place.absolute()))
        if written.is_relative_to(as_written) or as_written.is_relative_to(written):
            return escaped(_within_root(path, workspace.root).as_posix())
        try:
            within = path.resolve().relative_to(place.resolve())
        except (ValueError, OSError, RuntimeError):  # not in it, or a loop of links
            continue
        return escaped((_within_root(place, workspace.root) / within).as_posix())
    return None
