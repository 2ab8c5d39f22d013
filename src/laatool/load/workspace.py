"""Load a workspace (DESIGN.md §2): settings, indicators, agreements, schemes and returns.

Loading never raises on bad input: each file that cannot be read or does not fit its format
becomes findings (codes Y and S) and is left out, so `validate` can report everything at once
and `score`/`reward-grant` can refuse with the same findings.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from laatool.base.background import Background
from laatool.base.errors import UsageError
from laatool.base.findings import Finding
from laatool.base.ids import SLUG_PATTERN, IdentifierError, check_slug, is_slug, normalise_indicator_id
from laatool.base.inputs import folder_exists, folder_name_problem, list_inputs, present, read_input, shown_name
from laatool.base.resources import bundled_indicators_dir, bundled_schemes_dir
from laatool.base.suggest import did_you_mean
from laatool.base.text import YamlProblem, escaped, excerpt, undecodable
from laatool.load.normalise import RowChoice, normalise_returns
from laatool.load.returns import csv_runs, read_runs, returns_candidate

if TYPE_CHECKING:
    from laatool.base.ids import Period
    from laatool.base.models import Agreement, Indicator, Neighbours, Scheme, Settings
    from laatool.load.documents import Loaded

# What the agreement cache keeps beside the agreements, worked out by the layers above when
# the cache misses (`laatool.api.agreement_results`): their A findings and targets frame.
AgreementResults = Callable[["Workspace"], tuple[list[Finding], pl.DataFrame]]

# The YAML loader and the models (`laatool.load.documents`, `laatool.base.models`) are imported where
# they are used: returns start being read in a thread first (`load_contents`), so importing
# them overlaps that reading.

BUNDLED = "bundled"
DEFAULT_RETURNS_FOLDER = "returns"  # Settings().returns, without importing the models
SETTINGS_FILE = "laatool.yaml"  # the workspace's settings, beside its folders


@dataclass
class Workspace:
    root: Path
    settings: Settings
    indicator_docs: list[Loaded[Indicator]] = field(default_factory=list)
    agreement_docs: dict[str, Loaded[Agreement]] = field(default_factory=dict)
    scheme_docs: dict[str, Loaded[Scheme]] = field(default_factory=dict)
    agreement_files: dict[str, str] = field(default_factory=dict)
    # Areas whose agreement more than one file gives (`leeds.yaml` and `leeds.yml`): every
    # such file, by slug; only the last of them is read (A233).
    agreement_twins: dict[str, list[str]] = field(default_factory=dict)
    # Workspace scheme files not read because a later one gives the same name (Y014), with it.
    scheme_twins: dict[str, str] = field(default_factory=dict)
    # Workspace indicator files that did not load (their S or Y findings say why), by the id
    # their name gives (`NI-154.yaml`: NI 154), where no other file defines it.
    unloaded_indicators: dict[str, str] = field(default_factory=dict)
    # Workspace scheme files that did not load, with the scheme each was to give: its `name:`
    # when that is a text (`mine.yaml` giving lpsa2 would have replaced the bundled one), else
    # its file's name.
    unloaded_schemes: dict[str, str] = field(default_factory=dict)
    returns: pl.DataFrame | None = None
    findings: list[Finding] = field(default_factory=list)
    # The bytes of each YAML file of the workspace as this run read them, by name: each is read
    # once, and the agreement cache's key is made of the very bytes loaded, so a file saved
    # while a run reads it cannot leave one version's results under another's key.
    read: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    # What the agreements give, once they are loaded (from the cache or worked out afresh):
    # the A findings, and the targets frame (`laatool.compute.targets`).
    agreement_checks: list[Finding] | None = field(default=None, repr=False, compare=False)
    targets: pl.DataFrame | None = field(default=None, repr=False, compare=False)
    # Frames derived from the returns (the actuals), built once per run and shared by
    # validation, scoring and reward; see `derived_frame`.
    derived: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False, compare=False)
    # `--as-at`: only the returns known then are kept (`keep_rows`), and a target period that
    # had not ended by then is no missing return (R311).
    known_at: Period | None = field(default=None, repr=False, compare=False)
    # The areas with rows in each returns file, as read: what a file's findings concern once
    # the rows of other areas are let go (`keep_rows_of`).
    file_areas: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)
    # `validate PATH`: the returns files named, checked against the rest of the workspace, so
    # that a return repeated in one is found there (R308, R309), not in the other file.
    checked_against_the_rest: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @property
    def indicators(self) -> dict[str, Indicator]:
        """Every indicator by id; a workspace definition overrides the bundled one, and of two
        workspace files defining one id, the first by name is used: the one I101 says the other
        repeats."""
        def rank(doc: Loaded[Indicator]) -> tuple[bool, str]:  # the lowest is used
            return doc.file.startswith(f"{BUNDLED}:"), doc.file

        chosen: dict[str, Loaded[Indicator]] = {}
        for doc in self.indicator_docs:  # in their order: the dict's order is the first definition's
            if doc.model.id not in chosen or rank(doc) < rank(chosen[doc.model.id]):
                chosen[doc.model.id] = doc
        return {ident: doc.model for ident, doc in chosen.items()}

    def unloaded(self, indicator: str) -> str:
        """Why `indicator` is unknown when its own file did not load (said after "unknown
        indicator X"), else ''."""
        file = self.unloaded_indicators.get(indicator)
        return f": {file}, which may define it, has errors" if file else ""

    @property
    def agreements(self) -> dict[str, Agreement]:
        return {slug: doc.model for slug, doc in sorted(self.agreement_docs.items())}

    @property
    def schemes(self) -> dict[str, Scheme]:
        return {name: doc.model for name, doc in sorted(self.scheme_docs.items())}

    def folder(self, name: str) -> Path:
        return self.root / getattr(self.settings, name)

    def derived_frame(self, name: str, build) -> pl.DataFrame:
        """`build()`, computed once: `score` and `reward-grant` validate first, and validation
        builds the same actuals they need (on a national workspace a large part of a second).
        Loading returns again forgets them."""
        if name not in self.derived:
            self.derived[name] = build()
        return self.derived[name]


    def scheme_name(self, area: str) -> str:
        """The reward scheme an area's agreement uses: its `reward.scheme`, else the settings'
        `default_scheme` (also for an area whose agreement did not load)."""
        doc = self.agreement_docs.get(area)
        reward = doc.head.reward if doc is not None else None
        return (reward.scheme if reward else None) or self.settings.default_scheme

    def areas_by_file(self) -> dict[str, set[str]]:
        """The areas (slugs) with rows in each returns file read (a file without rows is absent;
        one whose rows name no area that is a slug has none)."""
        if self.file_areas is None:
            rows = self.returns if self.returns is not None else pl.DataFrame(
                schema={"file": pl.String, "area_id": pl.String})
            area = pl.col("area_id")
            self.file_areas = {file: set(areas) for file, areas in rows.lazy().group_by("file")
                               .agg(area.filter(area.str.contains(SLUG_PATTERN)).unique()).collect().iter_rows()}
        return self.file_areas

    def keep_rows_of(self, areas: list[str]) -> None:
        """Let go of the returns rows of every area but `areas`: a command computing some areas
        reads nothing else, so the rest cost only their reading. A row whose area is blank or
        no slug is kept: it may be anyone's, and its error stops the areas of its file
        (`checks.validation.Scope`). What each file held is remembered first (`areas_by_file`)."""
        if self.returns is None:
            return
        present = self.returns.get_column("area_id").unique().drop_nulls()
        kept = areas + [area for area in present if not is_slug(area)]
        if present.is_in(kept).all():
            return
        self._keep(pl.col("area_id").is_in(kept).fill_null(True))

    def let_go_rows_of(self, areas: pl.Series) -> None:
        """Let go of the returns rows of `areas` (`keep_rows_of`)."""
        if self.returns is not None and not areas.is_empty():
            self._keep(pl.col("area_id").is_in(areas.implode()).fill_null(False).not_())

    def keep_rows(self, rows: pl.Expr) -> None:
        """Keep only the returns rows `rows` selects (`report --as-at`: those known then)."""
        if self.returns is not None:
            self._keep(rows)

    def _keep(self, rows: pl.Expr) -> None:
        assert self.returns is not None
        self.areas_by_file()
        self.returns = self.returns.filter(rows)
        self.derived.clear()


def _named_for(path: Path) -> str:
    """What a file is named for (an agreement's area, a neighbour group): its name without
    the suffix, as laatool shows it (`laatool.base.text.escaped`)."""
    return escaped(path.stem)


def _bundled_rel(path: Path, base: Path) -> str:
    return f"{BUNDLED}:{base.name}/{path.name}"


def _yaml_files(folder: Path, root: Path) -> list[Path]:
    """The YAML files of a folder of the workspace `root` (`laatool.base.inputs.list_inputs`)."""
    return list_inputs(folder, root, (".yaml", ".yml"))


# The folders of YAML documents, each read without the folders below it (DESIGN.md §2).
YAML_FOLDERS = ("indicators", "schemes", "agreements", "neighbours")
# Folders below a returns folder that hold no one's returns, whatever is in them: hidden ones
# (`.Trash-1000`, `.git`), the recycle bin of Windows and the metadata of a zip made on a Mac.
SYSTEM_FOLDERS = ("$recycle.bin", "__macosx", "system volume information")


def files_not_read(workspace: Workspace) -> list[Finding]:
    """Y017 for each file that would be read but for the folder it is in, which would otherwise
    count for nothing in silence: a YAML file in a folder below one of `YAML_FOLDERS` (only the
    folder itself is read: an agreement filed by sub-region, `agreements/tees/stockton.yaml`),
    and a returns file in a hidden or system folder below `returns/` or `comparators/` (a draft
    in the recycle bin). A folder below that cannot be listed is passed over: nothing in it
    would be read either way."""
    from laatool.load.folder_rules import Y017

    findings = []
    for name in (*YAML_FOLDERS, "returns", "comparators"):
        folder = workspace.folder(name)
        try:
            below = list_inputs(folder, workspace.root, ("",), recursive=True)
        except UsageError:
            continue
        shown = shown_name(folder, workspace.root)
        if name in YAML_FOLDERS:  # those directly in the folder are read (`_yaml_files`)
            findings += [Y017.finding(f"not read: {name} are read from {shown}/ itself, not from the folders below "
                                      "it", file=shown_name(path, workspace.root), row=None,
                                      hint=f"move it into {shown}/, or out of the workspace")
                         for path in below if path.parent != folder and path.name.lower().endswith((".yaml", ".yml"))]
            continue
        for path in below:
            hidden = _system_folder(path, folder)
            if hidden is not None and returns_candidate(path.name):
                findings.append(Y017.finding(
                    f"not read: it is in {hidden}/, a hidden or system folder (a recycle bin, an archive's "
                    "metadata), which holds no one's returns", file=shown_name(path, workspace.root), row=1,
                    hint=f"move it into {shown}/ if it holds returns"))
    return findings


def _system_folder(path: Path, folder: Path) -> str | None:
    """The first folder between `folder` and `path` that is hidden or a system one, else None."""
    for part in path.relative_to(folder).parts[:-1]:
        if part.startswith(".") or part.lower() in SYSTEM_FOLDERS:
            return part
    return None


def refuse_no_folder(root: Path) -> None:
    """A UsageError when the workspace `root` is not a folder."""
    if not root.is_dir():
        why = "it is not a folder" if present(root) else "the folder does not exist"
        raise UsageError(f"no workspace at '{escaped(str(root))}': {why} (see --workspace)")


def open_workspace(root: Path) -> Workspace:
    """The workspace at `root` with its settings read; a UsageError when there is none."""
    root = Path(root)
    refuse_no_folder(root)
    if byte := undecodable(str(root)):  # every file in it would be one laatool cannot name (Y019)
        raise UsageError(f"cannot use the workspace '{escaped(str(root))}': its name holds a byte that is not UTF-8 "
                         f"(shown as {byte}), and laatool reads no file it cannot name as written; rename the folder")
    from laatool.load import agreement_cache

    agreement_cache.keep_out_of(root)
    workspace = with_settings(root)
    for name in sorted(FOLDERS):
        if getattr(workspace.settings, name) != name:  # a folder of its own naming must be there
            _named_folder_exists(workspace, name)
    _folders_named_once(workspace)
    if not folder_exists(workspace.folder("agreements"), root) and not folder_exists(workspace.folder("returns"), root):
        raise UsageError(
            f"no workspace at '{root}': it has no '{workspace.settings.agreements}/' or "
            f"'{workspace.settings.returns}/' folder (see --workspace or LAATOOL_WORKSPACE)"
        )
    return workspace


FOLDERS = {"agreements", "returns", "indicators", "schemes", "comparators", "neighbours"}


def _folders_named_once(workspace: Workspace) -> None:
    """A UsageError when two kinds of file share a folder, or one's folder is inside another's
    (`returns: comparators`, `comparators: returns/cmp`, or a link from one to the other): each
    file would be read as both, an area's own returns as a neighbour's and an agreement as a
    returns file, with findings that blame the files."""
    folders: list[tuple[Path, str]] = []
    for name in sorted(FOLDERS):
        try:
            folders.append((workspace.folder(name).resolve(), name))
        except (OSError, RuntimeError):  # a loop of links: reported where the folder is read
            continue
    for folder, name in folders:
        for other, other_name in folders:
            if other_name != name and folder.is_relative_to(other):
                written, other_written = (f"'{escaped(getattr(workspace.settings, n))}'" for n in (name, other_name))
                how = (f"the workspace's {name} and {other_name} folders are one folder, {written}" if folder == other
                       else f"the workspace's {name} folder, {written}, is inside its {other_name} folder, "
                            f"{other_written}")
                raise UsageError(f"{how} (as laatool.yaml names them, or through a link): each file would be read "
                                 "as both; give each kind of file a folder of its own")


def _named_folder_exists(workspace: Workspace, name: str) -> None:
    """A UsageError when `laatool.yaml` renames a folder to one the workspace does not have:
    every file it was meant to hold would be missing in silence (`returns: Returns` on a
    system that tells capitals apart). A folder under its own name may be absent (no schemes of
    the workspace's own), as when `laatool.yaml` does not mention it."""
    if folder_exists(workspace.folder(name), workspace.root):
        return
    written = getattr(workspace.settings, name)
    try:
        there = [path.name for path in workspace.root.iterdir() if path.is_dir()]
    except OSError:
        there = []
    # the same letters written with other code points (`é` as e and a combining accent): two
    # names no reader can tell apart, so the message says which is which
    same = [folder for folder in there if unicodedata.normalize("NFC", folder) == unicodedata.normalize("NFC", written)]
    if same:
        raise UsageError(f"laatool.yaml names {name}: {written}, but the workspace's folder '{escaped(same[0])}' "
                         "writes the same letters with other characters (an accent as a letter of its own, "
                         "Unicode NFC against NFD): copy the folder's name into laatool.yaml, or rename the folder")
    raise UsageError(f"laatool.yaml names {name}: {written}, but the workspace has no folder '{written}'"
                     f"{did_you_mean(written, there, quote=chr(39))} (folder names are matched exactly, capitals too)")


def with_settings(root: Path) -> Workspace:
    """The workspace at `root` with its settings read (`laatool.yaml`, else the defaults) and
    nothing else; their findings, if any, in `findings`."""
    from laatool.base.models import Settings

    workspace = Workspace(root=root, settings=Settings())
    settings_file = root / SETTINGS_FILE
    if present(settings_file):  # whatever it is: a pipe or a link leading outside is a finding
        from laatool.base.findings import Severity
        from laatool.load.documents import load_document
        from laatool.load.reading_rules import Y007

        loaded, findings = load_document(settings_file, SETTINGS_FILE, Settings, root=root, read=workspace.read)
        if loaded is None and [f.code for f in findings] == [Y007.code]:  # every setting commented out
            findings = [Y007.finding("laatool.yaml holds no settings (it is empty, or only comments): every "
                                     "setting takes its default", file=SETTINGS_FILE, line=1, column=1,
                                     severity=Severity.INFO, hint="nothing to do, unless a setting was meant")]
        workspace.findings.extend(findings)
        if loaded is not None:
            workspace.settings = loaded.model
    workspace.findings += _settings_misnamed(root, read=present(settings_file))
    return workspace


def _settings_misnamed(root: Path, read: bool) -> list[Finding]:
    """Y017 for a file beside the workspace's folders that is `laatool.yaml` but for its case or
    extension (`laatool.yml`, `Laatool.yaml`): its settings are not read, and every setting
    takes its default (an amber of 0.9 written there scores as 0.6) unless it is renamed; or,
    when `laatool.yaml` is `read` too, the settings are that file's alone."""
    from laatool.load.folder_rules import Y017

    try:
        names = sorted(entry.name for entry in os.scandir(root)
                       if entry.name.casefold() in (SETTINGS_FILE, "laatool.yml") and entry.name != SETTINGS_FILE
                       and not (read and _same_file(entry.path, root / SETTINGS_FILE)))
    except OSError:  # the workspace is read, or refused, by the rest of loading
        return []
    if read:
        return [Y017.finding(f"{escaped(name)} not read: the settings are laatool.yaml's alone",
                             file=escaped(name), hint="move its settings into laatool.yaml and remove it")
                for name in names]
    return [Y017.finding(f"{escaped(name)} not read: the settings file is named laatool.yaml, so every setting "
                         "takes its default", file=escaped(name), hint="rename it laatool.yaml")
            for name in names]


def _same_file(path: str, other: Path) -> bool:
    """Whether two names are one file (a link that leads nowhere is none)."""
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def load_workspace(root: Path, results: AgreementResults, notes: bool = False,
                   rows: RowChoice | None = None) -> Workspace:
    """Open and load everything in the workspace at `root` (with `notes`, the returns' `note`
    column too: `laatool report` alone shows it; with `rows`, only those returns rows)."""
    workspace = open_workspace(root)
    load_contents(workspace, returns_files(workspace), results, notes, rows)
    return workspace


def load_contents(workspace: Workspace, returns: list[tuple[Path, str]], results: AgreementResults,
                  notes: bool = False, rows: RowChoice | None = None) -> None:
    """Load the indicators, schemes and agreements, and the `returns` files (path, name). The
    returns are read and normalised in a thread meanwhile (or were already, `read_early`):
    polars does that work outside the interpreter lock, while the YAML loading needs it, so
    each waits less for the other (on a national workspace the reading is most of a second)."""
    reading = _take_early(returns, workspace.root, notes, rows) or _reading(returns, workspace.root, notes, rows)
    load_indicators(workspace)
    load_schemes(workspace)
    load_agreements(workspace, results)
    workspace.findings.extend(files_not_read(workspace))
    workspace.returns, findings = reading.result()
    workspace.findings.extend(findings)
    workspace.derived.clear()
    workspace.file_areas = None


# The bundled indicators last read from the cache, with the entry they were read from: the
# models are frozen, so a second command run in one process (a test, a script using the API)
# shares them rather than validating 199 models again.
_BUNDLED: list[tuple[list[tuple[str, str]], list[Loaded[Indicator]]]] = []


def load_bundled_indicators() -> list[Loaded[Indicator]]:
    """The National Indicator Set as bundled: from the cache (`laatool.load.agreement_cache`) while
    laatool's own files are unchanged, else from its YAML files. The bundled files have no
    marks to give (they load with libyaml's fast parser), so the cached ones need none."""
    from laatool.base.models import Indicator
    from laatool.load import agreement_cache
    from laatool.load.documents import Loaded, load_document
    from laatool.load.yamlio import Located

    cached = agreement_cache.read_indicators()
    if cached is not None and _BUNDLED and _BUNDLED[0][0] == cached:
        return list(_BUNDLED[0][1])  # the same entry read again (a second command in one process)
    if cached is not None:
        try:
            docs = [Loaded(Indicator.model_validate_json(model), file, Located(None)) for file, model in cached]
        except ValueError:  # pydantic's ValidationError: a foreign or broken entry is a miss
            pass
        else:
            _BUNDLED[:] = [(cached, docs)]
            return list(docs)
    base = bundled_indicators_dir()
    docs = []
    for path in _yaml_files(base, base):
        loaded, _ = load_document(path, _bundled_rel(path, base), Indicator, trusted=True)
        if loaded is not None:
            docs.append(loaded)
    agreement_cache.write_indicators([(doc.file, doc.model.model_dump_json()) for doc in docs])
    return docs


def load_indicators(workspace: Workspace) -> None:
    from laatool.base.models import Indicator
    from laatool.load.documents import load_document

    workspace.indicator_docs = load_bundled_indicators()
    for path in _yaml_files(workspace.folder("indicators"), workspace.root):
        loaded, findings = load_document(path, shown_name(path, workspace.root), Indicator, root=workspace.root,
                                         read=workspace.read)
        workspace.findings.extend(findings)
        if loaded is not None:
            workspace.indicator_docs.append(loaded)
            continue
        try:
            workspace.unloaded_indicators[normalise_indicator_id(path.stem)] = shown_name(path, workspace.root)
        except IdentifierError:  # a name that is no id (I-rule's finding): no indicator to name
            pass
    for indicator in workspace.indicators:  # defined by another file after all (bundled, or twice)
        workspace.unloaded_indicators.pop(indicator, None)


def load_schemes(workspace: Workspace) -> None:
    from laatool.base.models import Scheme
    from laatool.load.documents import load_document, load_located
    from laatool.load.folder_rules import Y014, Y018

    base = bundled_schemes_dir()
    sources = [(p, _bundled_rel(p, base)) for p in _yaml_files(base, base)]
    sources += [(p, shown_name(p, workspace.root)) for p in _yaml_files(workspace.folder("schemes"), workspace.root)]
    for path, rel in sources:
        if rel.startswith(BUNDLED):
            loaded, findings = load_document(path, rel, Scheme, trusted=True)
        else:
            located, loaded, findings = load_located(path, rel, Scheme, workspace.root, read=workspace.read)
            if loaded is None:
                given = located.data.get("name") if located is not None and isinstance(located.data, dict) else None
                workspace.unloaded_schemes[rel] = given.strip() if isinstance(given, str) and given.strip() \
                    else path.stem
        workspace.findings.extend(findings)
        if loaded is None:
            continue
        name = loaded.model.name
        earlier = workspace.scheme_docs.get(name)
        if earlier is not None and earlier.file.startswith(BUNDLED):
            line, column = loaded.line_of("name")
            workspace.findings.append(Y018.finding(f"scheme '{name}' replaces the bundled one ({earlier.file})",
                                                   file=rel, line=line, column=column))
        elif earlier is not None:
            line, column = earlier.line_of("name")
            workspace.findings.append(Y014.finding(f"scheme '{name}' is also given by {rel}, which is the one read",
                                                   file=earlier.file, line=line, column=column))
            workspace.scheme_twins[earlier.file] = name
        workspace.scheme_docs[name] = loaded


def load_agreements(workspace: Workspace, results: AgreementResults) -> None:
    """Load every agreement, with `results` (its checks and the targets frame), from the
    agreement cache when the inputs they depend on are unchanged (`laatool.load.agreement_cache`)."""
    from laatool.base.models import Agreement
    from laatool.load import agreement_cache
    from laatool.load.documents import CachedAgreement, load_document

    paths = _yaml_files(workspace.folder("agreements"), workspace.root)
    workspace.agreement_files = {_named_for(path): shown_name(path, workspace.root) for path in paths}
    by_slug: dict[str, list[str]] = {}
    for path in paths:
        by_slug.setdefault(_named_for(path), []).append(shown_name(path, workspace.root))
    workspace.agreement_twins = {slug: files for slug, files in by_slug.items() if len(files) > 1}
    inputs = _cache_inputs(workspace, paths)
    key = agreement_cache.key_of(list(inputs.items())) if inputs is not None else None
    entry = agreement_cache.read(key) if key is not None else None
    if entry is not None and entry.files == workspace.agreement_files:
        assert inputs is not None, "an entry is read only under the key of the inputs"
        for slug, (model, head) in entry.models.items():
            rel = workspace.agreement_files[slug]
            workspace.agreement_docs[slug] = CachedAgreement(model, head, rel, inputs[rel])
        workspace.findings.extend(entry.load_findings)
        workspace.agreement_checks, workspace.targets = entry.check_findings, entry.targets
        return
    load_findings = []
    for path in paths:
        slug = _named_for(path)
        loaded, findings = load_document(path, workspace.agreement_files[slug], Agreement, root=workspace.root,
                                         read=workspace.read)
        load_findings.extend(findings)
        if loaded is not None:
            workspace.agreement_docs[slug] = loaded
    workspace.findings.extend(load_findings)
    workspace.agreement_checks, workspace.targets = results(workspace)
    if key is not None:
        agreement_cache.write(key, agreement_cache.Entry(
            files=workspace.agreement_files,
            models={slug: (doc.model.model_dump_json().encode(),
                           doc.model.model_dump_json(exclude={"targets"}).encode())
                    for slug, doc in workspace.agreement_docs.items()},
            load_findings=load_findings,
            check_findings=workspace.agreement_checks,
            targets=workspace.targets,
        ))


def _cache_inputs(workspace: Workspace, agreements: list[Path]) -> dict[str, bytes] | None:
    """Every workspace file the agreements' results depend on, by name, as this run reads them
    (`Workspace.read`): the settings, indicators and schemes as they were loaded, the agreements
    read now, to be loaded from these bytes. None when one could not be read whole (loading
    reports it), or the files loaded are no longer those listed: nothing is then cached."""
    from laatool.load.yamlio import MAX_YAML_BYTES

    root = workspace.root
    listed = [root / SETTINGS_FILE] if present(root / SETTINGS_FILE) else []
    listed += _yaml_files(workspace.folder("indicators"), root) + _yaml_files(workspace.folder("schemes"), root)
    names = {shown_name(path, root): path for path in agreements}
    loaded = {name for name in workspace.read if name not in names}
    if loaded != {shown_name(path, root) for path in listed}:
        return None  # one not read whole, or deleted or added since it was loaded
    for name, path in names.items():
        if name not in workspace.read:
            try:
                workspace.read[name] = read_input(path, MAX_YAML_BYTES, root)
            except YamlProblem:
                return None
    return {name: workspace.read[name] for name in sorted(loaded) + list(names)}


def input_files(workspace: Workspace) -> list[Path]:
    """Every file a run over the workspace may read: its settings, indicators, schemes,
    agreements, returns, comparators and neighbour groups, and the bundled indicators and schemes."""
    from laatool.base.resources import bundled_indicators_dir, bundled_schemes_dir

    files = [workspace.root / SETTINGS_FILE]
    for folder in ("indicators", "schemes", "agreements", "neighbours"):
        files += _yaml_files(workspace.folder(folder), workspace.root)
    files += [path for path, _ in returns_files(workspace) + comparator_files(workspace)]
    bundled = [bundled_indicators_dir(), bundled_schemes_dir()]
    return files + [path for base in bundled for path in _yaml_files(base, base)]


# The folders of inputs `laatool.yaml` names: of tables (any file in them is read, or warned
# about), and of YAML files.
TABLE_FOLDERS = ("returns", "comparators")
INPUT_FOLDERS = (*TABLE_FOLDERS, "agreements", "indicators", "schemes", "neighbours")


def refuse_output_read_later(output: Path | None, workspace: Workspace, returns_only: bool = False) -> None:
    """A UsageError when `-o FILE` would be read as an input by the next run over the workspace:
    its `laatool.yaml` (not there yet), any file in the returns or comparators folder (`score -o
    returns/scores.csv` would be read as returns, and refused, every time after; a file of
    another kind is warned about, Y017), a YAML file in the agreements, indicators, schemes or
    neighbours folder. `returns_only` (`template`, whose workbook is filled in and read as
    returns): returns/ is where it goes, and any other folder of inputs is refused, where its
    returns would count for nothing."""
    if output is None or str(output) == "-":
        return
    if output.resolve() == workspace.root.resolve() / SETTINGS_FILE:  # one there is refused as a file read
        raise UsageError(f"cannot write '{escaped(str(output))}': it is the workspace's laatool.yaml, which every "
                         "later run would read as its settings; write it elsewhere")
    target = output.resolve().parent
    yaml = output.suffix.lower() in (".yaml", ".yml")
    for folder in INPUT_FOLDERS:
        read = yaml or folder in TABLE_FOLDERS
        place = workspace.folder(folder).resolve()
        if not (target == place or place in target.parents) or (returns_only and folder == "returns"):
            continue
        if read:
            raise UsageError(f"cannot write '{escaped(str(output))}': it is in the workspace's {folder} folder, where "
                             f"every later run would read it as one of the {folder}; write it elsewhere")
        if returns_only:
            raise UsageError(f"cannot write '{escaped(str(output))}': it is in the workspace's {folder} folder, where "
                             "the returns filled in would never be read; write it into the returns folder, or "
                             "outside the workspace's folders")


def returns_files(workspace: Workspace) -> list[tuple[Path, str]]:
    return _returns_files_in(workspace.folder("returns"), workspace.root)


def _returns_files_in(folder: Path, root: Path) -> list[tuple[Path, str]]:
    """Every file of a returns folder and the folders below it, each with its name in the
    workspace: those of a kind laatool does not read too, so that reading names them (Y017);
    not those in a hidden or system folder (`files_not_read` names them)."""
    return [(p, shown_name(p, root)) for p in list_inputs(folder, root, ("",), recursive=True)
            if returns_candidate(p.name) and _system_folder(p, folder) is None]


# Returns whose reading started before the command line was parsed (`read_early`): the files,
# whether their notes are kept, the rows chosen, and the thread reading them.
_early: tuple[list[tuple[Path, str]], bool, RowChoice | None, Background] | None = None


def read_early(root: Path, notes: bool = False, rows: RowChoice | None = None) -> None:
    """Start reading the returns of the workspace at `root` before anything else is loaded.

    A command that reads returns spends its first half second importing the command line
    and the models; started here, the reading overlaps that. `load_contents` takes what was
    read when it wants the same files (or those first), and reads them itself otherwise, so
    a guess that turns out wrong changes nothing but the work done. The returns folder is
    the one `laatool.yaml` names, read without its model; when that says anything unusual,
    nothing is read early. Neither is anything when the workspace cannot be read as it should
    (a folder it may not list, a name too long): the command reports that itself.
    """
    global _early
    try:
        folder = _returns_folder_named(root)
        files = _returns_files_in(root / folder, root) if folder is not None else []
    except (OSError, UsageError):
        return
    if files:
        _early = (files, notes, rows, _reading(files, root, notes, rows))


def _returns_folder_named(root: Path) -> str | None:
    """The returns folder of the workspace at `root`: the default without `laatool.yaml`, the
    `returns` key's text with it, None when the file cannot be read or says something else
    (a folder outside the workspace among them)."""
    settings = root / SETTINGS_FILE
    if not present(settings):
        return DEFAULT_RETURNS_FOLDER
    from laatool.load.yamlio import MAX_YAML_BYTES, load_yaml

    try:
        data = load_yaml(read_input(settings, MAX_YAML_BYTES, root), document=True).data
    except YamlProblem:
        return None
    folder = data.get("returns", DEFAULT_RETURNS_FOLDER) if isinstance(data, dict) else None
    return folder if isinstance(folder, str) and folder_name_problem(folder) is None else None


def _take_early(files: list[tuple[Path, str]], root: Path, notes: bool = False,
                rows: RowChoice | None = None) -> Background | None:
    """The early reading of `files` (with their notes or not, as `notes`), or of those of them
    that come first; None otherwise."""
    global _early
    early, _early = _early, None
    if early is None or files[:len(early[0])] != early[0] or early[1:3] != (notes, rows):
        return None
    started = early[3]
    rest = files[len(early[0]):]
    if not rest:
        return started
    rest_reading = _reading(rest, root, notes, rows)
    return Background(lambda: _joined(started.result(), rest_reading.result()))


def _joined(*parts: tuple[pl.DataFrame, list[Finding]]) -> tuple[pl.DataFrame, list[Finding]]:
    """Normalised returns read in parts, as one (normalising is row by row)."""
    return pl.concat([frame for frame, _ in parts], how="vertical", rechunk=False), [
        finding for _, findings in parts for finding in findings]


def _reading(files: list[tuple[Path, str]], root: Path, notes: bool = False,
             rows: RowChoice | None = None) -> Background:
    """The returns `files` of the workspace `root` being read and normalised in a thread (only
    the `rows` chosen, when given)."""
    if any(path.suffix.lower() in (".yaml", ".yml") for path, _ in files):
        import laatool.load.documents  # noqa: F401 - YAML returns need it: imported here, not in two threads at once
    # The files' headers are looked at here, before the thread starts (`csv_runs`).
    return Background(_read_and_normalise, csv_runs(files, root, chosen=rows is not None), root, notes, rows)


def _read_and_normalise(runs: list[list[tuple[Path, str]]], root: Path, notes: bool = False,
                        rows: RowChoice | None = None) -> tuple[pl.DataFrame, list[Finding]]:
    raw, findings = read_runs(runs, root, notes, rows)
    return normalise_returns(raw if rows is None else rows.rows(raw)), findings


def select_areas(workspace: Workspace, areas: list[str] | None, others: list[str] | None = None) -> list[str]:
    """The area slugs a command works on: all by default; a UsageError for unknown ones. An
    area is named by its slug or by its agreement's `name`, in any case (DESIGN.md §12), or by
    its `ons_code`, or is one of `others` (areas a command knows from elsewhere, as
    `benchmark` from returns)."""
    known = sorted({*workspace.agreement_files, *(others or [])})
    if not areas:
        return known
    by_name, shared = _areas_by_name(workspace)
    named = by_name | {area.casefold(): area for area in others or []}
    chosen = []
    for area in areas:
        wanted = _folded(str(area))
        slug = named.get(wanted)
        if slug is None and wanted in shared:
            raise UsageError(f"area '{excerpt(str(area).strip())}' is the name or ONS code of "
                             f"{' and '.join(shared[wanted])}: give the slug of the one meant")
        if slug is None:
            suggestion = did_you_mean(wanted, sorted(named), cutoff=0.5, meaning=named)
            available = f" (areas: {', '.join(known)})" if known and not suggestion and len(known) <= 12 else ""
            try:
                missing = f"no {workspace.settings.agreements}/{excerpt(check_slug(area))}.yaml"
            except IdentifierError:  # neither a slug nor any agreement's name (a name may be any text)
                missing = "no agreement has that slug, name or ONS code"
            raise UsageError(f"unknown area '{excerpt(str(area).strip())}': {missing}{suggestion}{available}")
        if slug not in chosen:
            chosen.append(slug)
    return sorted(chosen)


def _areas_by_name(workspace: Workspace) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each agreement's slug under its slug, its `name` and its `ons_code`, folded to one case
    and one space; and the names and codes two or more agreements share, which name none of
    them (the slug says which), with their slugs. A name goes before a code, a slug before both."""
    names: dict[str, set[str]] = {}
    codes: dict[str, set[str]] = {}
    for slug, doc in workspace.agreement_docs.items():
        names.setdefault(_folded(doc.head.name), set()).add(slug)
        if doc.head.ons_code:
            codes.setdefault(doc.head.ons_code.strip().casefold(), set()).add(slug)
    by_code = {code: next(iter(slugs)) for code, slugs in codes.items() if len(slugs) == 1}
    by_name = {name: next(iter(slugs)) for name, slugs in names.items() if len(slugs) == 1}
    shared = {key: sorted(slugs) for key, slugs in (codes | names).items() if len(slugs) > 1}
    return by_code | by_name | {slug.casefold(): slug for slug in workspace.agreement_files}, shared


def _folded(name: str) -> str:
    """A name as `--area` matches it: one space between words, one case, and each accented
    letter one character (`Ynys Môn` saved on a Mac writes its `ô` as `o` and a combining mark)."""
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def comparator_files(workspace: Workspace) -> list[tuple[Path, str]]:
    """The returns files of other areas (`comparators/`, DESIGN.md §10), England's among them."""
    return _returns_files_in(workspace.folder("comparators"), workspace.root)


def read_comparators(workspace: Workspace) -> tuple[pl.DataFrame, list[Finding]]:
    """The comparators' returns, read and normalised as the workspace's own are."""
    return _read_and_normalise(csv_runs(comparator_files(workspace), workspace.root), workspace.root)


def neighbour_groups(workspace: Workspace) -> list[str]:
    """The neighbour groups the workspace holds, by file name."""
    return [_named_for(path) for path in _yaml_files(workspace.folder("neighbours"), workspace.root)]


def load_neighbour_group(workspace: Workspace, group: str) -> tuple[Loaded[Neighbours] | None, list[Finding]]:
    """Neighbour group `group` (`neighbours/GROUP.yaml`, each area's neighbours) as its document,
    with the findings of its reading; a UsageError when there is no such group."""
    from laatool.base.models import Neighbours
    from laatool.load.documents import load_document

    known = neighbour_groups(workspace)
    if group not in known:
        suggestion = did_you_mean(group, known, cutoff=0.5)
        folder = workspace.settings.neighbours
        raise UsageError(f"unknown neighbour group '{group}': no {folder}/{group}.yaml{suggestion} "
                         f"(groups: {', '.join(known) or 'none'})")
    path = next(p for p in _yaml_files(workspace.folder("neighbours"), workspace.root) if _named_for(p) == group)
    return load_document(path, shown_name(path, workspace.root), Neighbours, root=workspace.root)
