"""Returns from CSV, XLSX, Parquet and YAML into one polars frame with a fixed schema.

`read_returns` gives the *raw* frame: every column as the text written, plus `file` and `row`
(the spreadsheet row: the header is row 1) so findings can point at the cell. Each reader is
given a file's exact name and reads it within limits (`laatool.base.inputs`,
`laatool.load.table_files`); a file it cannot read is a finding, never an exception. The
readers are `returns_csv`, `returns_xlsx` and `returns_yaml` (a Parquet file is read here);
what they share, the columns and the raw schema they read into, is `returns_table`.
CSV files side by side are read in runs, several in one pass of polars' reader (`csv_runs`).
`laatool.load.normalise` then adds the canonical columns; a raw cell that is filled in but has
no canonical value is what the `R` rules report.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from laatool.base.errors import is_panic
from laatool.base.findings import Finding, Severity
from laatool.base.inputs import check_input
from laatool.base.text import YamlProblem, excerpt
from laatool.load.folder_rules import Y015, Y017
from laatool.load.normalise import RowChoice, aligned
from laatool.load.parquet_files import check_parquet, check_parquet_text
from laatool.load.reading_rules import Y005, Y007, Y012, Y013, Y019
from laatool.load.returns_csv import MAX_LINE_BYTES, csv_head, notes_over_lines, read_csv_returns, unended_last_line
from laatool.load.returns_table import (
    KEPT_COLUMNS,
    LOCK_FILE_PREFIXES,
    MAX_TABLE_BYTES,
    WITH_NOTES,
    Unreadable,
    as_raw,
    doubles_as_shown,
    empty_raw,
    header_problems,
    holds_blank_rows,
    long_columns,
    one_value_a_cell,
)
from laatool.load.returns_xlsx import read_xlsx_returns
from laatool.load.returns_yaml import read_yaml_returns
from laatool.load.table_files import (
    NotAWorkbook,
    TooLarge,
)
from laatool.load.table_rules import Y006

SUFFIXES = (".csv", ".xlsx", ".parquet", ".yaml", ".yml")
# Files a returns folder may hold that are no one's returns: passed over without a word (Y017
# names any other file of a kind laatool does not read).
SYSTEM_FILES = ("thumbs.db", "desktop.ini")


def returns_candidate(name: str) -> bool:
    """Whether a file in a returns folder is read or named: a returns file, or any file but a
    hidden one (`.DS_Store`) or a system one (`Thumbs.db`)."""
    lowered = name.lower()
    return lowered.endswith(SUFFIXES) or not (lowered.startswith(".") or lowered in SYSTEM_FILES)


# The finding for each file laatool.base.inputs refuses to open.
REFUSALS = {"size": Y005, "unreadable": Y006, "outside": Y012, "special": Y013, "name": Y019}


def read_returns(files: list[tuple[Path, str]], root: Path | None = None,
                 notes: bool = False) -> tuple[pl.DataFrame, list[Finding]]:
    """Read every returns file (path, name for findings) of the workspace `root` into one raw
    frame; with `notes`, the `note` column too (for `laatool report` alone)."""
    return read_runs(csv_runs(files, root), root, notes)


def read_runs(runs: list[list[tuple[Path, str]]], root: Path | None = None, notes: bool = False,
              rows: RowChoice | None = None) -> tuple[pl.DataFrame, list[Finding]]:
    """`read_returns` of the files cut into runs (`csv_runs`). With `rows`, a run read in one pass
    keeps only what `rows.rows` would keep of it (and a few more: the first row of each area
    in each run), which `rows.rows` over the whole frame then narrows to the same rows."""
    frames, findings = [], []
    for run in runs:
        together = _read_csv_run(run, WITH_NOTES if notes else KEPT_COLUMNS, rows) if len(run) > 1 else None
        for frame, problems in [(together, [])] if together is not None else (
                read_returns_file(path, rel, root, notes) for path, rel in run):
            findings.extend(problems)
            if frame is not None:
                frames.append(aligned(frame))
    raw = pl.concat(frames, how="vertical", rechunk=False) if frames else empty_raw(notes)
    return raw, findings


def csv_runs(files: list[tuple[Path, str]], root: Path | None,
             chosen: bool = False) -> list[list[tuple[Path, str]]]:
    """`files` in their order, cut into runs: CSV files next to each other (each allowed to be
    read, and its header CSV text) share a run of up to RUN_BYTES (CHOSEN_RUNS times that when
    only some rows are `chosen`), whatever the order of their columns; any other file is a run
    of its own. A workspace of one file per area or per year is then read in a few passes of
    polars' reader instead of one per file (150 files: 0.3 s against 0.55 s). Looking at the
    headers is Python's work, a few system calls a file: done beside other Python work (the
    imports a command starts with), it waits for the interpreter's lock at each of them."""
    runs: list[list[tuple[Path, str]]] = []
    joins, filled, limit = False, 0, RUN_BYTES * (CHOSEN_RUNS if chosen else 1)
    for path, rel in files:
        header = _csv_header(path, rel, root) if path.suffix.lower() == ".csv" else None
        size = _size(path) if header is not None else 0
        # a file longer than a line may be is read alone, where its lines are measured, and so is
        # one whose header line polars reads otherwise than laatool (`_plain_header`)
        joinable = header is not None and size <= MAX_LINE_BYTES and _plain_header(header)
        if joinable and joins and filled + size <= limit:
            runs[-1].append((path, rel))
            filled += size
        else:
            runs.append([(path, rel)])
            filled = size
        joins = joinable
    return runs


def _plain_header(line: bytes) -> bool:
    """Whether polars reads a header line as laatool does alone: not blank (polars takes the
    next line for the header; alone the file is blank, Y007) and without a carriage return but
    at its end (polars reads `indicator\\r` as a name; alone the line is Y006)."""
    return b"\r" not in line.rstrip(b"\r") and line.strip(b" \t\r\xef\xbb\xbf") != b""


# A run is read into chunks, then each column is made one chunk while the chunks are still
# held, so a run's peak is about twice its cells. Runs of at most this many bytes keep a
# workspace of many files near the memory of one file (the returns of 150 areas in a file
# each, 50 MB: 567 → 340 MiB read) at the cost of a chunk a run in the frame.
RUN_BYTES = 8 * 1024 * 1024
# A run whose rows are chosen (`RowChoice`: `benchmark -i ID -p YEAR`) is cut to them as soon as
# it is read, so only the run in hand is held whole: runs this many times as long are read in
# fewer passes of the reader (150 files of 50 MB: 0.48 s against 0.31 s), and peak near one
# national file's reading.
CHOSEN_RUNS = 4


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since its header was read: reading it says so
        return 0


def _csv_header(path: Path, rel: str, root: Path | None) -> bytes | None:
    """The header line of a CSV file that is allowed to be read and starts as CSV text should,
    else None (`read_returns_file` says why)."""
    if path.name.startswith(LOCK_FILE_PREFIXES):
        return None
    try:
        return csv_head(path, rel, root)
    except (YamlProblem, Unreadable, OSError):
        return None


def _read_csv_run(run: list[tuple[Path, str]], kept: tuple[str, ...],
                  rows: RowChoice | None = None) -> pl.DataFrame | None:
    """The CSV files of a run (`csv_runs`) read in one pass into the raw schema (with `rows`,
    only the rows `rows.rows` keeps of them), or None when one of them has something to say (a
    column unknown, missing or twice, a cell too long, a line polars refuses): each is then
    read on its own, for its findings."""
    path_column = "\0path"  # no header holds a NUL
    try:
        scans = [pl.scan_csv(path, infer_schema=False, truncate_ragged_lines=False, glob=False,
                             include_file_paths=path_column) for path, _ in run]
        headers = [[name for name in scan.collect_schema().names() if name != path_column] for scan in scans]
        if any(header_problems(names, rel, 1) for names, (_, rel) in zip(headers, run, strict=True)):
            return None
        if all(names == headers[0] for names in headers):  # one pass of the reader over them all
            frame = pl.scan_csv([path for path, _ in run], infer_schema=False, truncate_ragged_lines=False,
                                glob=False, include_file_paths=path_column).collect()
        else:  # the same columns in other orders, or some of them: each file's named as `as_raw` names them,
            # the files read side by side (one lazy concatenation of them took three times as long)
            frame = pl.concat(pl.collect_all([scan.rename({name: name.strip().lower() for name in names})
                                              for scan, names in zip(scans, headers, strict=True)]),
                              how="diagonal", rechunk=False)
    except Exception:  # polars raises many kinds for a file it cannot read
        return None
    if any(unended_last_line(path) is not None for path, _ in run):  # it may be cut off: read alone, looked at
        return None
    # The columns are taken one by one, not selected: a select or a drop over columns chunked
    # unlike the path column copies the whole frame at once. Each file comes in a few chunks,
    # and hundreds of chunks slow every later step (a national workspace of one file per area:
    # the checks take a third longer), so each column is made one chunk, and let go once copied
    # (not when only a few rows are kept: they are chosen first).
    columns = {(name := str(column.name).strip().lower()): column.alias(name) for column in frame.iter_columns()
               if column.name != path_column}  # named as `as_raw` names a file's read alone
    paths = frame.get_column(path_column)
    del frame
    for name in columns if rows is None else ():
        columns[name] = columns[name].rechunk()
    cells = pl.DataFrame(list(columns.values()))
    notes = columns.get("note")
    # read alone, each file's blank rows are left out, and a note over lines is looked at (Y006, Y020)
    if long_columns(cells) or holds_blank_rows(cells) or notes_over_lines(notes):
        return None
    del cells
    rel_of = {str(path): rel for path, rel in run}
    files = paths.to_frame("path").select(pl.col("path").rle()).unnest("path")  # each file's rows: len and path
    starts = (files.get_column("len").cum_sum() - files.get_column("len")).cast(pl.Int64)
    file_of_row = paths.rle_id()
    rels = pl.Series("file", [rel_of[path] for path in files.get_column("value")], pl.String)
    row = pl.int_range(2, paths.len() + 2, dtype=pl.Int64, eager=True) - starts.gather(file_of_row)
    table = pl.DataFrame([columns[name] if name in columns else pl.repeat(None, paths.len(), dtype=pl.String,
                                                                         eager=True).alias(name) for name in kept]
                         + [rels.gather(file_of_row), row.alias("row")])
    return table if rows is None else rows.rows(aligned(table)).rechunk()


def read_returns_file(path: Path, rel: str, root: Path | None = None,
                      notes: bool = False) -> tuple[pl.DataFrame | None, list[Finding]]:
    """One file into the raw schema, or findings saying why it cannot be read. Each reader
    is given the exact name, never a pattern: `returns-2010-1[1].csv` is that file."""
    if path.name.startswith(LOCK_FILE_PREFIXES):
        return None, [Y015.finding("a lock file kept while the workbook or file is open: it holds no returns and "
                                   "is not read", file=rel, row=1)]
    read = path.name.lower().endswith(SUFFIXES)
    try:
        size = check_input(path, MAX_TABLE_BYTES, root)
    except YamlProblem as problem:
        # a file laatool may not open is no badly exported one: the problem says what would let it be read
        if read or problem.kind != "name":  # the name of a file never read does not matter: Y017 names it
            return None, [REFUSALS[problem.kind].finding(problem.message, file=rel, row=1, hint=problem.hint)]
    if not read:
        trimmed = path.name.rstrip(" .")
        if trimmed.lower().endswith(SUFFIXES):  # `returns.csv ` as Windows would never show it
            suffix = "." + trimmed.rsplit(".", 1)[1]
            return None, [Y017.finding(f"not read: the name ends in {path.name[len(trimmed):]!r} after {suffix!r}, so "
                                       f"it is no {suffix} file, and any returns in it count for nothing", file=rel,
                                       row=1, hint=f"rename it {trimmed!r}")]
        return None, [Y017.finding(f"not read: returns are read from {', '.join(SUFFIXES[:-1])} files, and any "
                                   "returns in this one count for nothing", file=rel, row=1)]
    if size == 0:
        return None, [Y007.finding("the file is empty: it holds no returns", file=rel, row=1,
                                   severity=Severity.WARNING)]
    suffix = path.suffix.lower()
    kept = WITH_NOTES if notes else KEPT_COLUMNS
    try:
        if suffix == ".csv":
            frame, header_findings = read_csv_returns(path, rel, kept)
        elif suffix == ".xlsx":
            frame, header_findings = read_xlsx_returns(path, rel, kept)
        elif suffix == ".parquet":
            check_parquet(path)
            table = pl.read_parquet(path, glob=False)
            check_parquet_text(table)
            table = doubles_as_shown(one_value_a_cell(table, rel))
            frame, header_findings = as_raw(table, rel, first_row=2, kept=kept, blank_rows=holds_blank_rows(table))
        else:
            frame, header_findings = read_yaml_returns(path, rel, root, kept)
    except Unreadable as problem:
        return None, [problem.finding]
    except TooLarge as problem:
        return None, [Y005.finding(str(problem), file=rel, row=1)]
    except NotAWorkbook as problem:
        return None, [Y006.finding(f"cannot read the file as {suffix[1:].upper()}: {problem}", file=rel,
                                   row=problem.row or 1, hint=problem.hint)]
    except BaseException as error:  # polars/fastexcel raise many kinds for corrupt files, and panic on some
        if not (isinstance(error, Exception) or is_panic(error)):
            raise
        message = ("its data is damaged: the reader stopped on it" if is_panic(error)
                   else excerpt(str(error).strip().splitlines()[0]) if str(error).strip() else type(error).__name__)
        return None, [Y006.finding(f"cannot read the file as {suffix[1:].upper()}: {message}", file=rel, row=1)]
    return frame, header_findings


