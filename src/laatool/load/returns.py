"""Returns from CSV, XLSX, Parquet and YAML into one polars frame with a fixed schema.

`read_returns` gives the *raw* frame: every column as the text written, plus `file` and `row`
(the spreadsheet row: the header is row 1) so findings can point at the cell. Each reader is
given a file's exact name and reads it within limits (`laatool.base.inputs`,
`laatool.load.table_files`); a file it cannot read is a finding, never an exception.
`laatool.load.normalise` then adds the canonical columns; a raw cell that is filled in but has
no canonical value is what the `R` rules report.
"""

from __future__ import annotations

import csv
import io
import itertools
import mmap
import os
import re
import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

import polars as pl

from laatool.base import numbers as limits
from laatool.base.errors import is_panic
from laatool.base.findings import MAX_PER_FILE, Finding, Severity
from laatool.base.ids import (
    WHITESPACE,
    IdentifierError,
    normalise_indicator_id,
    parse_period,
)
from laatool.base.inputs import check_input, open_input, read_input
from laatool.base.rule import FindingsByRow, capped
from laatool.base.suggest import did_you_mean
from laatool.base.text import MAX_NAME_CHARS, MAX_TEXT_CHARS, YamlProblem, decode, excerpt, other_unicode
from laatool.load.folder_rules import Y015, Y017
from laatool.load.normalise import NUMBER, RowChoice, aligned, area_expr
from laatool.load.reading_rules import Y004, Y005, Y007, Y009, Y012, Y013, Y019
from laatool.load.schema_rules import S001, S002, S003
from laatool.load.table_files import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ERROR_CELLS,
    MAX_PIECE,
    NotAWorkbook,
    Sheet,
    TooLarge,
    check_cells,
    check_parquet,
    check_parquet_text,
    inspect_xlsx,
    with_readable_errors,
)
from laatool.load.table_rules import Y006, Y010, Y011, Y016, Y020, Y021

if TYPE_CHECKING:
    from laatool.load.yamlio import Located

SUFFIXES = (".csv", ".xlsx", ".parquet", ".yaml", ".yml")
# Names of the lock files a spreadsheet (`~$returns.xlsx`) or an editor (`.#returns.csv`) keeps
# beside a file while it is open: no returns in them (Y015).
LOCK_FILE_PREFIXES = ("~$", ".#")
# Files a returns folder may hold that are no one's returns: passed over without a word (Y017
# names any other file of a kind laatool does not read).
SYSTEM_FILES = ("thumbs.db", "desktop.ini")


def returns_candidate(name: str) -> bool:
    """Whether a file in a returns folder is read or named: a returns file, or any file but a
    hidden one (`.DS_Store`) or a system one (`Thumbs.db`)."""
    lowered = name.lower()
    return lowered.endswith(SUFFIXES) or not (lowered.startswith(".") or lowered in SYSTEM_FILES)


# The columns of every returns file (DESIGN.md §4.3), as `laatool.base.models.ReturnRow` describes them.
RETURN_COLUMNS = ("area", "indicator", "period", "value", "subtarget", "numerator", "denominator", "sample_size",
                  "lower_ci", "upper_ci", "status", "note")
REQUIRED_RETURN_COLUMNS = ("area", "indicator", "period", "value")
# `note` is for people: nothing checks it and only `laatool report` shows it, so it is accepted
# and kept only when asked for (`notes=True`): on a national workspace it would be a column of a
# million mostly empty cells that every other command carries for nothing.
KEPT_COLUMNS = tuple(name for name in RETURN_COLUMNS if name != "note")
WITH_NOTES = (*KEPT_COLUMNS, "note")
MAX_TABLE_BYTES = 2 * 1024**3
# No line of returns comes near this: a row of the twelve columns at their text limits (a note
# of 10,000 characters, the others 1,000) is some tens of kilobytes. A longer line holds a cell
# of tens of megabytes or more, which every step after the reading would copy again (a number
# of 300 million digits took 25 s and 3.3 GB to find R321 in): a CSV file with one is refused
# before it is read, as an XLSX sheet with a text of more is: the same 64 MiB.
MAX_LINE_BYTES = MAX_PIECE
# Python's csv module refuses a field of over 131,072 characters ("field larger than field
# limit"), which laatool read as a file broken otherwise (a header of one such name was "a
# carriage return inside a cell", a quote left open was that at row 1). A field is held to the
# file's size, which is bounded before it is read; the cells' own limits say the rest.
csv.field_size_limit(max(csv.field_size_limit(), MAX_TABLE_BYTES))
# The finding for each file laatool.base.inputs refuses to open.
REFUSALS = {"size": Y005, "unreadable": Y006, "outside": Y012, "special": Y013, "name": Y019}
# Every returns cell is up to MAX_NAME_CHARS characters long but a note (`laatool.base.text`).
TEXT_LIMITS = {"note": MAX_TEXT_CHARS}
# No indicator reaches 10^15; larger values are typos and would overflow exact arithmetic.
LARGEST = Decimal(10) ** 15
NUMBER_COLUMNS = ("value", "numerator", "denominator", "sample_size", "lower_ci", "upper_ci")
# Only the rules read these, so they are parsed batch by batch as the rules run (`numbers`),
# not kept for every row: each would be a 16-byte decimal per row, mostly empty.
CHECKED_NUMBER_COLUMNS = NUMBER_COLUMNS[1:]
RAW_SCHEMA = {**{name: pl.String for name in KEPT_COLUMNS}, "file": pl.String, "row": pl.Int64}
RAW_SCHEMA_WITH_NOTES = {**{name: pl.String for name in WITH_NOTES}, "file": pl.String, "row": pl.Int64}


def empty_raw(notes: bool = False) -> pl.DataFrame:
    return pl.DataFrame(schema=RAW_SCHEMA_WITH_NOTES if notes else RAW_SCHEMA)


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
        return _head(path, rel, root)
    except (YamlProblem, _Unreadable, OSError):
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
        if any(_header_findings(names, rel, 1) for names, (_, rel) in zip(headers, run, strict=True)):
            return None
        if all(names == headers[0] for names in headers):  # one pass of the reader over them all
            frame = pl.scan_csv([path for path, _ in run], infer_schema=False, truncate_ragged_lines=False,
                                glob=False, include_file_paths=path_column).collect()
        else:  # the same columns in other orders, or some of them: each file's named as `_tidy` names them,
            # the files read side by side (one lazy concatenation of them took three times as long)
            frame = pl.concat(pl.collect_all([scan.rename({name: name.strip().lower() for name in names})
                                              for scan, names in zip(scans, headers, strict=True)]),
                              how="diagonal", rechunk=False)
    except Exception:  # polars raises many kinds for a file it cannot read
        return None
    if any(_unended_last_line(path) is not None for path, _ in run):  # it may be cut off: read alone, looked at
        return None
    # The columns are taken one by one, not selected: a select or a drop over columns chunked
    # unlike the path column copies the whole frame at once. Each file comes in a few chunks,
    # and hundreds of chunks slow every later step (a national workspace of one file per area:
    # the checks take a third longer), so each column is made one chunk, and let go once copied
    # (not when only a few rows are kept: they are chosen first).
    columns = {(name := str(column.name).strip().lower()): column.alias(name) for column in frame.iter_columns()
               if column.name != path_column}  # named as `_tidy` names a file's read alone
    paths = frame.get_column(path_column)
    del frame
    for name in columns if rows is None else ():
        columns[name] = columns[name].rechunk()
    cells = pl.DataFrame(list(columns.values()))
    notes = columns.get("note")
    # read alone, each file's blank rows are left out, and a note over lines is looked at (Y006, Y020)
    if long_columns(cells) or _blank_rows(cells) or _over_lines(notes):
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
            frame, header_findings = _read_csv(path, rel, kept)
        elif suffix == ".xlsx":
            frame, header_findings = _read_xlsx(path, rel, kept)
        elif suffix == ".parquet":
            check_parquet(path)
            table = pl.read_parquet(path, glob=False)
            check_parquet_text(table)
            table = _doubles_as_shown(_one_value_a_cell(table, rel))
            frame, header_findings = _tidy(table, rel, first_row=2, kept=kept, blank_rows=_blank_rows(table))
        else:
            frame, header_findings = _read_yaml(path, rel, root, kept)
    except _Unreadable as problem:
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


class _Unreadable(Exception):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding


def _head(path: Path, rel: str, root: Path | None = None) -> bytes:
    """The header line of a CSV file, once its first 64 KiB hold no NUL byte and the line is
    UTF-8 (polars would read it lossily); an _Unreadable saying why not otherwise, and a
    YamlProblem when the file may not be read (`laatool.base.inputs.open_input`)."""
    with open_input(path, MAX_TABLE_BYTES, root) as handle:  # the first 64 KiB, and on to the end of the header line
        head = bytearray(more := handle.read(65536))
        # each piece looked at alone: the whole head again at each took minutes over 400 MB of NULs
        while b"\n" not in more and b"\x00" not in more and len(head) <= MAX_LINE_BYTES \
                and (more := handle.read(65536)):
            head += more
    if (encoding := other_unicode(bytes(head[:64]))) is not None:  # before the NUL bytes, which it is full of
        marked = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        saved = " (as Excel saves 'Unicode Text')" if encoding == "UTF-16" and marked else ""
        raise _Unreadable(Y004.finding(f"the file is {encoding} text{saved}, not UTF-8", file=rel, row=1))
    if b"\x00" in head:  # at the line it is on, as a byte that is not UTF-8 is (Y004)
        raise _Unreadable(Y006.finding("the file holds NUL bytes: it is binary, not CSV text", file=rel,
                                       row=head.count(b"\n", 0, head.index(b"\x00")) + 1))
    if b"\n" not in head and b"\r" in head.rstrip(b"\r"):
        raise _Unreadable(Y006.finding("its lines end with a carriage return alone (as Excel for Mac's 'CSV "
                                       "(Macintosh)' writes them), so the whole file reads as one line",
                                       file=rel, row=1, hint=SAVE_AS_CSV))
    if b"\n" not in head and len(head) > MAX_LINE_BYTES:
        raise _Unreadable(_line_too_long(rel, 1))
    line = bytes(head.split(b"\n", 1)[0])
    try:
        text = decode(line)
    except YamlProblem as problem:
        raise _Unreadable(Y004.finding(problem.message, file=rel, row=1)) from None
    _check_separator(text.rstrip("\r"), rel)
    return line


# What to do with a CSV file laid out otherwise than DESIGN.md §4.3 says.
SAVE_AS_CSV = "save the sheet again as 'CSV UTF-8 (Comma delimited)', or put the workbook (.xlsx) in returns/ instead"


def _check_separator(header: str, rel: str) -> None:
    """An _Unreadable when the header line holds the returns columns separated by `;` or a tab
    instead of commas (a spreadsheet set to a language that writes decimal commas saves CSV so):
    read by commas it would be one unknown column, and its rows a line the reader refuses."""
    if "," in header:
        return
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        names = {cell.strip().strip('"').lower() for cell in header.lstrip("\ufeff").split(separator)}
        if separator in header and set(REQUIRED_RETURN_COLUMNS) <= names:
            raise _Unreadable(Y006.finding(f"its columns are separated by {name}, not commas (and its numbers may "
                                           "have decimal commas)", file=rel, row=1, hint=SAVE_AS_CSV))


def _check_line_lengths(path: Path, rel: str) -> None:
    """Y005 (an _Unreadable) at the first line of a CSV file longer than MAX_LINE_BYTES.

    The file is looked at in pieces of half that: a longer line holds a whole piece, so only
    a piece without a line end is measured, and in a file of returns the search for a line end
    in each piece stops within its first row. A file of no more than MAX_LINE_BYTES is not
    looked at; one that cannot be looked at is left to the reading to report."""
    half = MAX_LINE_BYTES // 2
    try:
        with open_input(path, MAX_TABLE_BYTES) as file:
            if os.fstat(file.fileno()).st_size <= MAX_LINE_BYTES:
                return
            with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
                for start in range(0, len(data) - half + 1, half):
                    if data.find(b"\n", start, start + half) >= 0:
                        continue
                    begin = data.rfind(b"\n", 0, start) + 1
                    end = data.find(b"\n", start + half)
                    if (end if end >= 0 else len(data)) - begin > MAX_LINE_BYTES:
                        line = 1 + sum(data[at:min(at + half, begin)].count(b"\n") for at in range(0, begin, half))
                        raise _Unreadable(_line_too_long(rel, line))
    except (OSError, ValueError, YamlProblem):
        return


def _line_too_long(rel: str, line: int) -> Finding:
    """Y005 at `line` of a CSV file, longer than MAX_LINE_BYTES."""
    return Y005.finding(f"line {line:,} is over {MAX_LINE_BYTES // 2**20} MiB long, and no row of returns comes "
                        "near that", file=rel, row=line)


def _csv_rows(path: Path) -> int | None:
    """The rows below a CSV file's header, as polars reads them, or None when it cannot count them."""
    try:
        return int(pl.scan_csv(path, infer_schema=False, truncate_ragged_lines=False, glob=False)
                   .select(pl.len()).collect().item())
    except Exception:  # polars raises many kinds for a file it cannot read; the read says why
        return None


def _read_csv(path: Path, rel: str, kept: tuple[str, ...] = KEPT_COLUMNS) -> tuple[pl.DataFrame | None, list[Finding]]:
    line = _head(path, rel)
    _check_line_lengths(path, rel)
    # polars passes over empty lines before the header: the rows are numbered after them
    skipped, line = _after_empty_lines(path, line)
    header_row = skipped + 1
    # The names as written: polars makes up its own for a column without one (``) or named twice
    # (`value_duplicated_0`), which no one would recognise in a finding.
    written = _cells(decode(line).rstrip("\r"), rel, header_row)
    if len(written) > MAX_COLUMNS:  # commas beyond the table, from a sheet formatted far to the right
        raise TooLarge(f"the table has {len(written):,} columns: the limit is {MAX_COLUMNS:,}")
    if any(len(name) > MAX_NAME_CHARS for name in written):  # Y009, before polars makes a column so named
        raise _Unreadable(_header_findings(written, rel, header_row)[0])
    # A CSV says nothing of its size before it is read: its rows are counted first (polars
    # counts them without making a cell, 13 ms over a national file) and the table held to the
    # cells of any table, its header row counted as a sheet's are from A1. Blank lines count:
    # each is a row of empty cells until the blank rows are left out.
    if (rows := _csv_rows(path)) is not None:
        check_cells(rows + 1, len(written), max_rows=MAX_CELLS)
    try:
        frame = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=False, glob=False)
    except Exception:
        # Find out why in Python, only once polars has refused the file.
        raw = read_input(path, MAX_TABLE_BYTES)
        try:
            text = decode(raw)
        except YamlProblem as problem:
            raise _Unreadable(Y004.finding(problem.message, file=rel, row=problem.mark.line)) from None
        if not raw.strip(b"\xef\xbb\xbf \r\n\t"):
            raise _Unreadable(Y007.finding("the file is empty: it holds no returns", file=rel, row=1,
                                           severity=Severity.WARNING)) from None
        if (no_header := _no_header(written, rel, header_row)) is not None:
            raise _Unreadable(no_header) from None
        # one line ended as an old Mac does (a carriage return inside a quoted cell is the cell's)
        # (possessive: a quote never closed is not searched back through, a step a character kept)
        if lone := re.search("\r(?!\n)", re.sub(r'"(?:[^"]++|"")*+"', lambda cell: "_" * len(cell[0]), text)):
            row = text.count("\n", 0, lone.start()) + 1
            raise _Unreadable(Y006.finding(f"row {row} ends with a carriage return alone, which splits it where a "
                                           "spreadsheet would not", file=rel, row=row, hint=SAVE_AS_CSV)) from None
        _check_closing_quotes(io.StringIO(text, newline=""), rel)
        _check_cells_per_row(text, rel, header_row)
        _check_quotes(text, rel)
        raise
    if rows is None:  # not counted before: held to the limit now, before anything is done with it
        check_cells(frame.height + 1, frame.width, max_rows=MAX_CELLS)
    blank = pl.all().str.strip_chars(WHITESPACE).ne("").any()
    if not "".join(written).strip(WHITESPACE) and (frame.width == 0 or True not in frame.select(blank).row(0)):
        raise _Unreadable(Y007.finding("the file holds only spaces and line ends: it holds no returns", file=rel, row=1,
                                       severity=Severity.WARNING))
    cut_off = _check_last_line(path, rel, written, frame.height + header_row, frame.row(-1) if frame.height else None)
    names = written if len(written) == frame.width else frame.columns
    if (below := _header_below(frame, names, header_row + 1)) is not None:
        raise _Unreadable(_title_finding(rel, header_row, below))
    frame, names, unnamed = _without_unnamed(frame, names, rel, header_row, list(range(frame.width)))
    notes = next((column for name, column in zip(names, frame.iter_columns(), strict=True)
                  if name.strip(WHITESPACE).lower() == "note"), None)
    if _over_lines(notes):  # a note over lines: was it closed?
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
            _check_closing_quotes(lines, rel)
        in_notes = _rows_in_notes(notes, rel, frame.width, header_row + 1)
    else:
        in_notes = []
    tidy, findings = _tidy(frame, rel, first_row=header_row + 1, header_row=header_row, kept=kept, names=names,
                           blank_rows=_blank_rows(frame))
    return tidy, unnamed + findings + in_notes + cut_off


def _after_empty_lines(path: Path, line: bytes) -> tuple[int, bytes]:
    """The empty lines before a CSV file's header, which polars passes over, and the header
    line after them (`line`, the first, when it is not empty, or when they and the header do
    not end within the file's first EMPTY_LINES_READ bytes)."""
    if line.rstrip(b"\r") not in (b"", b"\xef\xbb\xbf"):
        return 0, line
    with path.open("rb") as handle:
        head = handle.read(EMPTY_LINES_READ).removeprefix(b"\xef\xbb\xbf")
    start = head.rfind(b"\n", 0, len(head) - len(head.lstrip(b"\r\n"))) + 1
    end = head.find(b"\n", start)
    if end == -1 and len(head) < EMPTY_LINES_READ:  # the header is the file's last line
        end = len(head)
    if start == 0 or end == -1:
        return 0, line
    return head.count(b"\n", 0, start), head[start:end]


EMPTY_LINES_READ = 1024 * 1024


def _over_lines(notes: pl.Series | None) -> TypeGuard[pl.Series]:
    """Whether a note is written over lines (a line end in it): only then are the notes looked
    at closely, for a quote left open (Y006, Y020)."""
    return notes is not None and bool(notes.str.contains("\n", literal=True).any())


def _rows_in_notes(notes: pl.Series, rel: str, width: int, first_row: int = 2) -> list[Finding]:
    """Y020 for each note of a CSV file of `width` columns (its rows from `first_row`) with a later line
    holding the commas of a row of them (four columns at the least), which a quote left open
    took in; a line of a note written over lines (an address, a list of names) holds fewer.
    Asked only when the notes are `_over_lines`; only the notes with a line end are looked at."""
    commas = max(width - 1, 3)
    at = notes.str.contains("\n", literal=True).fill_null(False).arg_true()
    lines = notes.gather(at).str.count_matches(rf"\n(?:[^\n,]*,){{{commas}}}")
    findings = []
    for position, count, note in zip(at, lines, notes.gather(at), strict=True):
        if count:
            first = next(line for line in note.split("\n")[1:] if line.count(",") >= commas)
            findings.append(Y020.finding(
                f"the note of row {position + first_row:,} goes on over {count:,} line(s) that read as rows of "
                f"returns ({excerpt(first.strip(), 60)}): a double quote left open took them into the note, so "
                "they are not read", file=rel, row=position + first_row, field="note"))
    return findings


def _unended_last_line(path: Path) -> bytes | None:
    """The last line of a file of more than one line that ends without a line end, else None."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - 65536))
        tail = handle.read()
    if not tail or tail.endswith((b"\n", b"\r")) or b"\n" not in tail:
        return None
    return tail.rsplit(b"\n", 1)[-1]


def _check_last_line(path: Path, rel: str, header: list[str], last_row: int,
                     last_cells: tuple | None) -> list[Finding]:
    """When the file ends without a line end in a row of fewer cells than the header, it may
    be cut off: an _Unreadable when the row stops before the header's required columns
    (`leeds,NI 154,2010-11`), whose return would otherwise read as not reported; else the row is
    read as written, and named (Y021: `leeds,NI 192,2010-11,34` may have been 34.8). A short
    row ended by a line end is read as written. `last_cells`: the last row as read."""
    last = _unended_last_line(path)
    # A quote on the last line may close a cell that ran over lines: the line is then not the
    # whole row, whose cells are not counted. Quoted cells on a line of their own are (R's
    # `write.csv` quotes every text: `"leeds","NI 192","2010-11",34`).
    over_lines = last_cells is None or any(isinstance(cell, str) and ("\n" in cell or "\r" in cell)
                                           for cell in last_cells)
    if last is None or b'"' in last and over_lines:
        return []
    cells = _cells(last.decode("utf-8", "replace"), rel, last_row)
    if len(cells) >= len(header):
        return []
    said = (f"the file ends without a line end in row {last_row}, which has {len(cells):,} of the header's "
            f"{len(header):,} cells")
    wanted = [index for index, name in enumerate(header) if name.strip(WHITESPACE).lower() in REQUIRED_RETURN_COLUMNS]
    if wanted and len(cells) <= max(wanted):
        raise _Unreadable(Y006.finding(f"{said}: it looks cut off", file=rel, row=last_row,
                                       hint="save the file again from the program that made it, whole"))
    return [Y021.finding(f"{said}: it may be cut off, its last cell ('{excerpt(cells[-1])}') with it", file=rel,
                         row=last_row)]


def _cells(line: str, rel: str, row: int) -> list[str]:
    """A line's cells as Python's csv module reads them; an _Unreadable (Y006) for a carriage
    return inside a cell that is not quoted, which the module refuses and polars takes for the
    end of the line."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        raise _Unreadable(Y006.finding(
            f"row {row} holds a carriage return (\\r) inside a cell that is not quoted: the file mixes line ends",
            file=rel, row=row, hint=SAVE_AS_CSV)) from None


def blank(column: str) -> pl.Expr:
    """True where a cell is empty or holds only spaces: blank, as a blank value is."""
    return pl.col(column).is_null() | (pl.col(column).cast(pl.String).str.strip_chars(WHITESPACE) == "")


def _blank_row(schema: Mapping[str, pl.DataType]) -> pl.Expr:
    """True where every cell of the row is blank: a spreadsheet's blank row (an empty line or a
    line of commas, `,,,`, in a CSV it saved; or cells cleared to a space; a Parquet row of
    nulls, which a frame merged in pandas writes)."""
    return pl.all_horizontal(_blank_cell(column, kind) for column, kind in schema.items())


def _blank_cell(column: str, kind: pl.DataType) -> pl.Expr:
    """`blank`, for a column of `kind`: one that is no text (a Parquet file's numbers, lists) is
    blank where it is empty."""
    return blank(column) if kind == pl.String else pl.col(column).is_null()


def _blank_rows(frame: pl.DataFrame) -> bool:
    """Whether a row of the frame is blank (`_blank_row`), left out as in a workbook. Only rows
    whose first cell is blank can be: the others are not looked at again."""
    if frame.width == 0:
        return False
    candidates = frame.filter(_blank_cell(*next(iter(frame.schema.items()))))
    return bool(candidates.select(_blank_row(candidates.schema).any()).item())


def _check_closing_quotes(lines: Iterable[str], rel: str) -> None:
    """An _Unreadable at the row a quoted cell running over lines opens in, when text follows
    the quote that closes it as a spreadsheet reads the file (Python's csv, strict): a quote
    left open, closed by a quote of a later row (`,"ok"`), which polars reads on past, its note
    taking in more rows than that, or refuses at another row. A quoted cell of one line with
    text after its quote is `_check_quotes`' to name, and a cell never closed too."""
    first: list[str] = []  # the record's first line, and the line read last
    last = [""]

    def remembered() -> Iterator[str]:
        for line in lines:
            if not first:
                first.append(line)
            last[0] = line
            yield line

    reader = csv.reader(remembered(), strict=True)
    row = 1
    while True:
        first.clear()
        start = reader.line_num + 1
        try:
            next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # spaces after the closing quote (`twice"   `) are `_check_quotes`' to say, as such
            if reader.line_num > start and "expected after" in str(error) \
                    and not re.search(_SPACES_AFTER_QUOTE, last[0]):
                raise _Unreadable(Y006.finding(
                    f"row {row} opens a quoted cell that runs on to line {reader.line_num}, where text follows the "
                    f"quote that closes it: {excerpt(first[0].strip(), 60)}", file=rel, row=row,
                    hint='close the quote where the cell ends (a quote inside a cell is written twice: ""), or '
                         'delete it')) from None
            return  # a cell over the csv module's length, or no spreadsheet's fault: the others say
        row += 1


def _check_cells_per_row(text: str, rel: str, header_row: int = 1) -> None:
    """An _Unreadable at the first row with more cells than the header (polars only says that
    some line has), counting rows as a spreadsheet does: the header is `header_row`, below the
    empty lines polars passes over."""
    rows = csv.reader(io.StringIO(text))
    width = len(next(itertools.islice(rows, header_row - 1, None), []))
    for row, cells in enumerate(rows, start=header_row + 1):
        if len(cells) > width and _holds_header(cells):
            raise _Unreadable(_title_finding(rel, header_row, row))
        if len(cells) > width:
            raise _Unreadable(Y006.finding(
                f"row {row} has {len(cells):,} cells, more than the {width:,} columns of the header", file=rel, row=row,
                hint="delete the extra cell (often a stray comma at the end of the line), or put quotes around a "
                     "value that holds a comma"))


# A CSV line of cells each either quoted (a double quote inside written twice) or without quotes.
_CSV_CELL = r'(?:"(?:[^"]|"")*"|[^",\r\n]*)'
_QUOTED_RIGHT = re.compile(rf"{_CSV_CELL}(?:,{_CSV_CELL})*\r?")


def _check_quotes(text: str, rel: str) -> None:
    """An _Unreadable at the first line with a double quote out of place (`22"8`, `"22".8`), or
    at the row of a quoted cell that runs over lines and is never closed (a note whose quote
    was left open in the last rows), which polars refuses with a message of its own internals
    and no row. Only looked for once polars has refused the file; a quoted cell running over
    lines is one row, as a spreadsheet counts rows, and a line with an odd number of quotes
    closes it."""
    lines = text.split("\n")
    row, index = 1, 0
    while index < len(lines):
        line = lines[index]
        if '"' in line and not _QUOTED_RIGHT.fullmatch(line):
            if not (line.count('"') % 2 and re.search(r'(^|,)"(?:[^"]|"")*$', line)):  # a cell going on
                if _QUOTED_RIGHT.fullmatch(re.sub(_SPACES_AFTER_QUOTE, '"', line)):
                    raise _spaces_after_quote(row, line, rel)
                raise _Unreadable(Y006.finding(
                    f"row {row} has a double quote inside a value: {excerpt(line.strip(), 60)}", file=rel, row=row,
                    hint='put the whole value in double quotes and write the quote inside twice ("22""8"), or '
                         'delete it'))
            closing = next((later for later in range(index + 1, len(lines)) if lines[later].count('"') % 2), None)
            if closing is None:
                raise _Unreadable(Y006.finding(
                    f"row {row} opens a quoted cell that is never closed, so the rest of the file would be that one "
                    f"cell: {excerpt(line.strip(), 60)}", file=rel, row=row,
                    hint='close the quote where the cell ends (a quote inside a cell is written twice: ""), or '
                         'delete it'))
            if re.search(_SPACES_AFTER_QUOTE, lines[closing]):  # `twice"   `: the note's closing quote
                raise _spaces_after_quote(row, line, rel)
            index = closing  # the cell's last line: the rest of it is the rest of the row
        index += 1
        row += 1


_SPACES_AFTER_QUOTE = r'"[ \t]+(?=,|\r?$)'  # spaces between a cell's closing quote and the next comma


def _spaces_after_quote(row: int, line: str, rel: str) -> _Unreadable:
    return _Unreadable(Y006.finding(
        f"row {row} has spaces after the closing quote of a cell: {excerpt(line.strip(), 60)}", file=rel, row=row,
        hint="delete the spaces after the closing quote, or put them inside the quotes"))


# Rows searched for the header when the first row with anything in it is not the header.
TITLE_ROWS = 20


def _holds_header(cells: list | tuple) -> bool:
    """Whether the cells of a row name every required column."""
    return set(REQUIRED_RETURN_COLUMNS) <= {str(cell).strip(WHITESPACE).lower() for cell in cells if cell is not None}


def _header_below(frame: pl.DataFrame, names: list[str], first_row: int) -> int | None:
    """The row, of the first TITLE_ROWS under the header row (`names`; the frame's first row is
    `first_row`), that names every required column, when the header row does not: the header
    then sits below a title or notes."""
    if _holds_header(names):
        return None
    for index, cells in enumerate(frame.head(TITLE_ROWS).iter_rows()):
        if _holds_header(cells):
            return first_row + index
    return None


def _title_finding(rel: str, header_row: int, below: int) -> Finding:
    """S002 for a header below a title: the header is the first row with anything in it."""
    return S002.finding(f"row {header_row}, the first with anything in it, is taken for the header, but the column "
                        f"names are in row {below}", file=rel, row=header_row,
                        hint=f"delete the rows above row {below} (a title or notes), so that the column names are the "
                             "first row")


def _read_xlsx(path: Path, rel: str, kept: tuple[str, ...] = KEPT_COLUMNS) -> tuple[pl.DataFrame | None, list[Finding]]:
    """The sheet `table_files.choose_sheet` picks, measured first; rows are the sheet's own
    (the header need not be in row 1; blank rows are skipped but counted), and error cells
    (`#DIV/0!`) are findings, their rows left out, rather than blanks. When the workbook has
    several sheets, a finding names the one read."""
    import fastexcel

    # The bytes, not the name: polars and fastexcel take a name they cannot find for a pattern.
    workbook = read_input(path, MAX_TABLE_BYTES)
    sheet = inspect_xlsx(io.BytesIO(workbook))
    if sheet.unreadable_errors:
        workbook = with_readable_errors(workbook, sheet.part)
    loaded = fastexcel.read_excel(workbook).load_sheet(sheet.name, dtypes="string")
    available = loaded.available_columns()
    names = {column.absolute_index: column.name for column in available}
    frame = loaded.to_polars()
    if frame.width == 0 and not sheet.errors:  # no cell holds anything: an empty file's warning, not a header's
        elsewhere = f" (of the workbook's {sheet.sheets} sheets: if the returns are on another, name it 'returns')"
        return None, [Y007.finding(f"the sheet '{sheet.name}' is empty: it holds no returns"
                                   f"{elsewhere if sheet.sheets > 1 else ''}", file=rel, row=1,
                                   severity=Severity.WARNING)]
    frame = frame.with_columns(pl.col(name).cast(pl.String) for name in frame.columns)
    hidden = _hidden_by_merges(sheet, names)
    frame = _unmerged(_as_written(frame, sheet, names), sheet, names, hidden)
    # A column without a name in the header row is named by the reader (`__UNNAMED__12`): it
    # has no name here, and a finding names it by its letter.
    written = {column.name: "" if column.column_name_from == "generated" else column.name for column in available}
    places = {column.name: column.absolute_index for column in available}
    if _renamed(list(written)):  # a name written twice: the reader names the second `value_1`
        heading = fastexcel.read_excel(workbook).load_sheet(sheet.name, header_row=None, n_rows=1, dtypes="string")
        cells = dict(zip((column.absolute_index for column in heading.available_columns()),
                         heading.to_polars().row(0), strict=True))
        written = {name: cells.get(places[name]) or "" for name in written}
    under_merges = _header_under_merges(sheet)  # a name a merge hides is no name, as the sheet shows
    written = {name: "" if places.get(name) in under_merges else text for name, text in written.items()}
    header = [written.get(name, name) for name in frame.columns]
    if (below := _header_below(frame, header, sheet.header_row + 1)) is not None:
        return None, [_title_finding(rel, sheet.header_row, below)]
    frame, header, unnamed = _without_unnamed(frame, header, rel, sheet.header_row,
                                              [places.get(name, 0) for name in frame.columns])
    errors = []
    shown_errors = _shown_errors(sheet)
    for row, column, text in shown_errors:
        held = (f"{'a formula' if text == '=' else 'the formula ' + text} with no stored result (save the workbook "
                "in a spreadsheet to store it)" if text.startswith("=") else f"the error {text}")
        if row is None or column is None:
            errors.append(Y010.finding(f"a cell of the sheet '{sheet.name}' written without its place holds {held}",
                                       file=rel))
            continue
        # the field is the column the header names (matched in any case), else its letter
        field = str(written.get(names.get(column, ""), "")).strip().lower() or _cell(column, row).rstrip("0123456789")
        errors.append(Y010.finding(f"the cell {_cell(column, row)} of the sheet '{sheet.name}' holds {held}",
                                   file=rel, row=row, field=field))
    if sheet.error_count > len(sheet.errors) and len(sheet.errors) == MAX_ERROR_CELLS:
        more = sheet.error_count - len(sheet.errors)
        errors.append(Y010.finding(f"{more:,} more cells of this sheet hold errors (only the first {len(errors):,} "
                                   "are listed)", file=rel))
    tidy, findings = _tidy(frame, rel, first_row=sheet.header_row + 1, header_row=sheet.header_row,
                           blank_rows=True, kept=kept, names=header)
    if tidy is not None and shown_errors:  # a row with an error cell is reported, not read as blanks
        left_out = pl.col("row").is_in([row for row, _, _ in shown_errors if row is not None])
        errors = of_rows_left_out(errors, tidy.filter(left_out))
        tidy = tidy.filter(~left_out)
    findings = unnamed + findings + errors + _merged(sheet, names, hidden, rel)
    if sheet.sheets > 1:
        findings.append(Y011.finding(f"read the sheet '{sheet.name}', one of the workbook's {sheet.sheets} sheets",
                                     file=rel))
    return tidy, findings


def _renamed(names: list[str]) -> bool:
    """Whether the reader may have renamed a column named as one before it (`value`, `value_1`)."""
    given = set(names)
    return any(match[1] in given for name in names if (match := re.fullmatch(r"(.*)_[0-9]+", name, re.DOTALL)))


# How the reader gives a number, or one it cannot hold (a date or a boolean it gives otherwise,
# and those stay as they are read)
_READ_NUMBER = r"^[-+]?(?:[0-9]+(?:\.[0-9]+)?|inf|NaN)$"


def _as_written(frame: pl.DataFrame, sheet: Sheet, names: dict) -> pl.DataFrame:
    """The frame with each number cell the reader rounded (`Sheet.exact`: 8.36000000001 read as
    8.36, 1e-11 as 0) or gives as a fraction (a percentage) given the text the sheet shows for
    it, so it is read as a CSV cell is."""
    if not sheet.exact:
        return frame
    cells = pl.DataFrame(sheet.exact, schema={"row": pl.Int64, "column": pl.Int64, "text": pl.String},
                         orient="row").with_columns(index=pl.col("row") - sheet.header_row - 1)
    cells = cells.filter(pl.col("index").is_between(0, frame.height - 1))
    for (column,), patch in cells.group_by("column"):
        name = names.get(column)
        if name not in frame.columns:
            continue
        index = patch["index"]
        read = frame[name].gather(index)
        # a number as the reader gives it (`<v> 0.708</v>` it gives as the text ' 0.708')
        keep = read.is_null() | read.str.strip_chars().str.contains(_READ_NUMBER, strict=False)
        frame = frame.with_columns(frame[name].scatter(index.filter(keep), patch["text"].filter(keep)))
    return frame


def _header_under_merges(sheet: Sheet) -> set[int]:
    """The columns (from 0) whose header cell a merged range hides: every cell of the range
    in the header row but its first cell, found from the ranges' ends (16,384 columns at most)."""
    if not sheet.merged:
        return set()
    steps = [0] * (MAX_COLUMNS + 2)
    for first, column, last, last_column in sheet.merged:
        if first <= sheet.header_row <= last:
            start = column + 1 if first == sheet.header_row else column
            if start <= last_column:
                steps[min(start, MAX_COLUMNS)] += 1
                steps[min(last_column, MAX_COLUMNS) + 1] -= 1
    covered = itertools.accumulate(steps)
    return {place for place, times in enumerate(covered) if times > 0}


def _shown_errors(sheet: Sheet) -> list[tuple[int | None, int | None, str]]:
    """The sheet's error cells (`Sheet.errors`) but those a merged range hides, which the sheet
    does not show: every cell of a range but its first."""
    if not sheet.merged:
        return sheet.errors
    first, left, last, right = pl.DataFrame(sheet.merged, orient="row").get_columns()

    def hidden(row: int | None, column: int | None) -> bool:
        # each of at most MAX_ERROR_CELLS against every range at once (a join of ranges that
        # overlap, as a hostile sheet's may, could pair each cell with 100,000 of them)
        return row is not None and column is not None and bool(
            ((first <= row) & (last >= row) & (left <= column) & (right >= column)
             & ((first != row) | (left != column))).any())

    return [error for error in sheet.errors if not hidden(error[0], error[1])]


def _hidden_by_merges(sheet: Sheet, names: dict) -> list[tuple[tuple[int, int, int, int], list[int],
                                                                  tuple[int, int], tuple[int, int]]]:
    """Each merged range of the sheet that hides cells of the returns (below the header, in a
    column read as one of the returns), with those columns and the first and the last cell it
    hides, (row, column): it hides every cell of it but its first. Worked out from the range's
    corners, never cell by cell (a merge may span a million rows)."""
    read = sorted(place for place, name in names.items() if str(name).strip().lower() in RETURN_COLUMNS)
    hidden = []
    for merge in sheet.merged:
        first, column, last, last_column = merge
        top = max(first, sheet.header_row + 1)
        places = [place for place in read if column <= place <= last_column]
        if top > last or not places:
            continue
        # the first row's cells after its first cell, then every cell of the rows below it
        in_top = [place for place in places if (top, place) != (first, column)]
        start = (top, in_top[0]) if in_top else (top + 1, places[0]) if top < last else None
        if start is not None:
            hidden.append((merge, places, start, (last, places[-1])))
    return hidden


def _unmerged(frame: pl.DataFrame, sheet: Sheet, names: dict, hidden: list) -> pl.DataFrame:
    """The frame with the cells merged ranges hide blank, as the sheet shows them: a merge
    shows its first cell's value across it, and a value kept under it (LibreOffice can keep
    them, a program can write them) is neither shown nor read. Each column's hidden rows are
    the runs the ranges cover (`hidden`: `_hidden_by_merges`), counted by their starts and ends
    (the ranges may overlap)."""
    edges: dict[str, list[tuple[int, int]]] = {}
    for (first, column, last, _), places, _, _ in hidden:
        for place in places:
            top = max(first + (place == column), sheet.header_row + 1)
            if names[place] in frame.columns and top <= last:
                edges.setdefault(names[place], []).extend([(top - sheet.header_row - 1, 1),
                                                           (last - sheet.header_row, -1)])
    if not edges:
        return frame
    rows = pl.int_range(0, frame.height, dtype=pl.Int64, eager=True).alias("at").to_frame()
    masks = {}
    for name, marks in edges.items():
        starts = pl.DataFrame(marks, schema={"at": pl.Int64, "step": pl.Int64}, orient="row").group_by("at").sum()
        masks[name] = (rows.join(starts, on="at", how="left", maintain_order="left")
                       .select(pl.col("step").fill_null(0).cum_sum() > 0).to_series())
    return frame.with_columns(pl.when(mask).then(None).otherwise(pl.col(name)).alias(name)
                              for name, mask in masks.items())


def _merged(sheet: Sheet, names: dict, hidden: list, rel: str) -> list[Finding]:
    """Y016 for each merged range hiding cells of the returns (`hidden`: `_hidden_by_merges`):
    only its first cell holds the value shown across it, and the others read blank; and for
    header cells merged across columns, which leave the columns after the first without a name
    (S001, S002 follow)."""
    findings = []
    for first, column, last, last_column in sheet.merged:
        named, after = _cell(column, sheet.header_row), _cell(last_column, sheet.header_row)
        if first == sheet.header_row <= last and last_column > column:  # the header's own cells
            rest = "columns after it have" if last_column > column + 1 else "column after it has"
            findings.append(Y016.finding(f"the header cells {named}:{after} are merged: the name shown across them "
                                         f"is held in {named} alone, so the {rest} no name", file=rel,
                                         row=sheet.header_row))
        elif first < sheet.header_row <= last:  # from above it: every header cell of it is hidden
            cells = f"{named} has" if last_column == column else f"{named} to {after} have"
            findings.append(Y016.finding(
                f"the cells {_cell(column, first)}:{_cell(last_column, last)} are merged: the value shown in them is "
                f"held in {_cell(column, first)} alone, so the header's {cells} no name", file=rel,
                row=sheet.header_row))
    for merge, places, (row, place), (last_row, last_place) in hidden:
        first, column, last, last_column = merge
        merged = (f"the cells {_cell(column, first)}:{_cell(last_column, last)} are merged: the value shown in them "
                  f"is held in {_cell(column, first)} alone, so")
        if first > sheet.header_row and last > first and last_column == column:  # down the rows of one column
            rows = {1: f"row {last}", 2: f"rows {first + 1} and {last}"}.get(last - first,
                                                                            f"rows {first + 1} to {last}")
            findings.append(Y016.finding(f"{merged} {rows} read blank there", file=rel, row=first,
                                         field=str(names[column]).strip().lower()))
            continue
        if row == last_row:  # the cells after the first of one row
            one = place == last_place
            shown = f"{_cell(place, row)} {'reads' if one else f'to {_cell(last_place, row)} read'} blank"
        elif len(places) == 1:  # the rows below the header's cell, in its one column
            shown = f"rows {row} {'and' if last_row == row + 1 else 'to'} {last_row} read blank there"
        else:
            shown = "every other cell of it reads blank"
        findings.append(Y016.finding(f"{merged} {shown}", file=rel, row=row, field=str(names[place]).strip().lower()))
    return capped(findings)


def _cell(column: int, row: int) -> str:
    """`B7` for the column numbered 1 (from 0) and row 7."""
    return f"{_letters(column)}{row}"


def _letters(column: int) -> str:
    """`B` for the column numbered 1 (from 0)."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _without_unnamed(frame: pl.DataFrame, names: list[str], rel: str, header_row: int,
                     places: list[int]) -> tuple[pl.DataFrame, list[str], list[Finding]]:
    """The frame without its columns that have no name in the header (`names`, as written), and
    the names of the others. Such a column that holds nothing (a comma at the end of every line,
    an empty column between two, formatting beyond the table) is left out without a word: it
    drops no value. One that holds a value is S001, named by its letter (`places`: each
    column's number from 0), as the spreadsheet shows it."""
    unnamed = [index for index, name in enumerate(names) if not str(name).strip(WHITESPACE)]
    if not unnamed:
        return frame, names, []
    findings = []
    # one pass over every unnamed column (a sheet formatted far to the right leaves thousands)
    held = frame.select(pl.nth(index).cast(pl.String).str.strip_chars(WHITESPACE).fill_null("").ne("").any()
                        .alias(str(index)) for index in unnamed).row(0)
    for index, holds in zip(unnamed, held, strict=True):
        if holds:
            findings.append(S001.finding(
                f"column {_letters(places[index])} holds values but has no name in the header (row {header_row})",
                file=rel, row=header_row,
                hint=f"name it as one of the columns ({', '.join(RETURN_COLUMNS)}), or delete the column"))
    dropped = set(unnamed)
    named = [index for index in range(frame.width) if index not in dropped]
    return frame.select(frame.columns[index] for index in named), [names[index] for index in named], capped(findings)


def _yaml_cell(value: object, column: str, located: Located, path: tuple) -> str | None:
    """A YAML returns value as a table's cell: a number in a number column as its exact
    decimal's text; any other scalar as written, since YAML's reading of it is no cell's (`yes`
    is no true, `subtarget: 01` no number 1, `period: 2009` no number)."""
    if value is None or isinstance(value, str):
        return value
    if column in NUMBER_COLUMNS and not isinstance(value, bool):
        return str(value)
    return located.written(path) or str(value)


def _read_yaml(path: Path, rel: str, root: Path | None,
               kept: tuple[str, ...] = KEPT_COLUMNS) -> tuple[pl.DataFrame | None, list[Finding]]:
    from laatool.load.documents import read_yaml

    located, findings = read_yaml(path, rel, root)
    if located is None:
        if findings and findings[0].code == Y007.code:
            return None, [Y007.finding("the file is empty: it holds no returns", file=rel, line=1, column=1,
                                       severity=Severity.WARNING)]
        raise _Unreadable(findings[0])
    data = located.data
    if not isinstance(data, list):
        raise _Unreadable(S003.finding("a YAML returns file must be a list of mappings, one per value",
                                       file=rel, line=1, column=1))
    records, problems = [], FindingsByRow()
    guesses: dict[tuple[str, tuple[str, ...]], str] = {}
    for index, item in enumerate(data):
        problems.next_row()
        mark = located.locate((index,))
        if not isinstance(item, dict):
            if problems.listing(S003):
                problems.add(S003.finding(f"item {index + 1} is not a mapping of columns",
                                          file=rel, line=mark.line, column=mark.column))
            continue
        # a key names its column as a table's header does: in any case, trimmed
        column_of = {key: str(key).strip(" \t").casefold() for key in item}
        twice = [key for key in item if list(column_of.values()).count(column_of[key]) > 1][1:]
        for key in twice:
            if problems.listing(S003):
                key_mark = located.locate((index, key), key=True)
                problems.add(S003.finding(f"key '{excerpt(str(key), 40)}' names the column {column_of[key]} again",
                                          file=rel, line=key_mark.line, column=key_mark.column,
                                          hint="keep one key for each column"))
        unknown = [key for key in item if column_of[key] not in RETURN_COLUMNS]
        for key in unknown:
            if problems.listing(S001):
                key_mark = located.locate((index, key), key=True)
                absent = tuple(name for name in RETURN_COLUMNS if name not in column_of.values())
                if (column_of[key], absent) not in guesses:  # a key misspelt on every row is matched once
                    guesses[column_of[key], absent] = did_you_mean(column_of[key], absent, quote="'")
                problems.add(S001.finding(f"unknown key '{excerpt(str(key), 40)}'{guesses[column_of[key], absent]}",
                                          file=rel, line=key_mark.line, column=key_mark.column,
                                          hint=f"use only {', '.join(RETURN_COLUMNS)}"))
        by_column = {column_of[key]: value for key, value in item.items()}
        missing = [key for key in REQUIRED_RETURN_COLUMNS if key not in by_column]
        for key in missing:
            if problems.listing(S002):
                problems.add(S002.finding(f"missing key '{key}'", file=rel, line=mark.line, column=mark.column))
        # a column holds one value: the text of a list or a mapping is no value anyone wrote
        several = [key for key, value in item.items() if isinstance(value, (list, dict)) and key not in unknown]
        for key in several:
            if problems.listing(S003):
                value_mark = located.locate((index, key))
                kind = "list" if isinstance(item[key], list) else "mapping"
                problems.add(S003.finding(f"{key}: a {kind} is not one value", file=rel, line=value_mark.line,
                                          column=value_mark.column,
                                          hint="write one value (a text or a number), or leave the key out"))
        if twice or missing or several:
            continue
        # an unknown key is left out, as a table's unknown column is: the row is read, and checked
        record: dict[str, str | int | None] = {
            column_of[key]: _yaml_cell(value, column_of[key], located, (index, key)) for key, value in item.items()
            if key not in unknown}
        record["row"] = mark.line
        records.append(record)
    frame = pl.DataFrame(records, schema={**{c: pl.String for c in RETURN_COLUMNS}, "row": pl.Int64})
    frame, long_cells = without_long_cells(frame.with_columns(file=pl.lit(rel, pl.String)), rel, long_columns(frame))
    return frame.select(*kept, "file", "row"), problems.capped() + long_cells



def _header_findings(columns: list, rel: str, header_row: int) -> list[Finding]:
    """What a returns table's header says wrong: a column name over the limit (Y009, alone),
    a column twice (S003), unknown (S001) or missing (S002). Names match trimmed, in any case."""
    too_long = [name for name in columns if len(str(name)) > MAX_NAME_CHARS]
    if too_long:
        return [Y009.finding(f"a column name of {len(str(too_long[0])):,} characters, over the limit of "
                             f"{MAX_NAME_CHARS:,}", file=rel, row=header_row)]
    findings = []
    written = Counter(str(name).strip().lower() for name in columns)
    seen = set(written)
    if (no_header := _no_header(columns, rel, header_row)) is not None:
        return [no_header]
    # a column is matched in any case, and named as the header first writes it (`Sample Size`)
    spelt: dict[str, str] = {}
    for name in columns:
        spelt.setdefault(str(name).strip().lower(), str(name).strip())
    for name, times in written.items():
        if times > 1:
            often = "twice" if times == 2 else f"{times:,} times"
            shown = excerpt(spelt[name], 40)
            findings.append(S003.finding(f"column '{shown}' appears {often}", file=rel, row=header_row,
                                         field=shown, hint="keep one of the two columns" if times == 2
                                         else "keep one of the columns of that name"))
    absent = [name for name in RETURN_COLUMNS if name not in seen]  # what a misspelt column may be
    unknown = sorted(seen - set(RETURN_COLUMNS), key=lambda name: excerpt(spelt[name], 40))
    for number, name in enumerate(unknown):  # a header is quoted only in part: it may not be a table's
        shown = excerpt(spelt[name], 40)
        # the first MAX_PER_FILE by name are listed (`capped`): a sheet of 16,384 columns is
        # not matched column by column for findings no one sees
        guess = did_you_mean(name, absent, quote="'") if number < MAX_PER_FILE else ""
        findings.append(S001.finding(f"unknown column '{shown}'{guess}", file=rel, row=header_row, field=shown,
                                     hint=f"rename or remove it; the columns are {', '.join(RETURN_COLUMNS)}"))
    for name in REQUIRED_RETURN_COLUMNS:
        if name not in seen:
            article = "an" if name[0] in "aeiou" else "a"
            findings.append(S002.finding(f"missing column '{name}'", file=rel, row=header_row, field=name,
                                         hint=f"add {article} '{name}' column"))
    return capped(findings)


def _no_header(cells: list, rel: str, row: int) -> Finding | None:
    """S002 for a header row that names no column but holds an indicator id and a period: a
    return, where the header should be (a file saved without its header line)."""
    def parses(parse, text: str) -> bool:
        try:
            parse(text)
        except IdentifierError:
            return False
        return True

    texts = [str(cell).strip(WHITESPACE) for cell in cells if cell is not None]
    if {text.lower() for text in texts} & set(RETURN_COLUMNS) or not (
            any(parses(normalise_indicator_id, text) for text in texts)
            and any(parses(parse_period, text) for text in texts)):
        return None
    optional = ", ".join(c for c in RETURN_COLUMNS if c not in REQUIRED_RETURN_COLUMNS)
    return S002.finding(f"row {row} holds values ({excerpt(', '.join(texts), 60)}), not the column names: the file "
                        "has no header", file=rel, row=row,
                        hint=f"add the header as row {row}: {','.join(REQUIRED_RETURN_COLUMNS)} "
                             f"(and any of {optional})")


def _one_value_a_cell(frame: pl.DataFrame, rel: str) -> pl.DataFrame:
    """A Parquet file's frame, once no column of the returns (`note` too, which only `report`
    reads) holds lists: an _Unreadable naming the first that does, which no reading of the
    file would make one value of (a struct is shown as its text, and is no number)."""
    for name, kind in frame.schema.items():
        if str(name).strip().lower() in RETURN_COLUMNS and isinstance(kind, pl.List | pl.Array):
            raise _Unreadable(S003.finding(f"column '{excerpt(str(name), 40)}' holds lists, not one value a cell",
                                           file=rel, row=1, field=str(name).strip().lower(),
                                           hint="write one value in each cell of the column: a text or a number"))
    return frame


def _halves_as_shown(column: pl.Series) -> pl.Series:
    """A Float16 column's shortest texts: polars writes a half's binary value whole (9.7 is
    `9.703125`), and Python has no half of its own, so each distinct value's text is the
    shortest that a half holds as that value (a half has at most five significant digits)."""
    def shortest(value: float) -> str:
        for digits in range(1, 6):
            text = f"{value:.{digits}g}"
            try:
                if struct.unpack("<e", struct.pack("<e", float(text)))[0] == value:
                    return format(Decimal(text), "f") if "e" in text else text  # 10, not `1e+01`
            except OverflowError:  # `7e+04` for 65504: beyond every half
                continue
        return repr(value)  # not a number (NaN) or infinite: a text no number is read from

    distinct = column.drop_nulls().unique()
    shown = pl.Series([shortest(value) for value in distinct.cast(pl.Float64)], dtype=pl.String)
    return column.replace_strict(distinct, shown, return_dtype=pl.String)


def _doubles_as_shown(frame: pl.DataFrame) -> pl.DataFrame:
    """A Parquet file's floating-point columns as the text a spreadsheet shows for each number:
    its shortest text, a whole number without a point (`1`, not `1.0`: a sub-target id in a
    column pandas wrote as doubles, for its blanks, is the id), or, where the text has 16 or 17
    significant digits (20.76 / 3 is `6.920000000000001`), rounded half up to 15 (`6.92`), as
    an XLSX number cell's double is (`as_spreadsheet_shows`). Few cells have so many digits:
    only they are worked in Python."""
    doubles = [name for name, kind in frame.schema.items() if kind in (pl.Float16, pl.Float32, pl.Float64)]
    if not doubles:
        return frame
    texts = []
    for name in doubles:
        column = frame.get_column(name)
        text = _halves_as_shown(column) if column.dtype == pl.Float16 else column.cast(pl.String)
        text = text.str.strip_suffix(".0")
        digits = (text.str.replace(r"[eE].*$", "").str.replace_all(r"[^0-9]", "")
                  .str.strip_chars_start("0").str.len_bytes())
        long = (digits > limits.SPREADSHEET_DIGITS).fill_null(False).arg_true()
        if len(long):
            text = text.scatter(long, [limits.as_spreadsheet_shows(value) for value in text.gather(long)])
        texts.append(text)
    return frame.with_columns(texts)


def _tidy(frame: pl.DataFrame, rel: str, first_row: int, *, header_row: int = 1,
          blank_rows: bool = False, kept: tuple[str, ...] = KEPT_COLUMNS,
          names: list[str] | None = None) -> tuple[pl.DataFrame | None, list[Finding]]:
    """Check the header (`names`, as written, of the frame's columns in order; else the
    frame's own), then give the frame the raw schema with file and row.

    Rows number from `first_row`; with `blank_rows`, rows with every cell empty (a
    spreadsheet's blank rows) are then left out, so the others keep the sheet's numbers.
    A cell longer than its limit (`TEXT_LIMITS`) is a finding and its row is left out.
    """
    names = frame.columns if names is None else names
    findings = _header_findings(names, rel, header_row)
    if findings and findings[0].code == Y009.code:
        return None, findings
    seen = {str(name).strip().lower() for name in names}
    missing = [name for name in REQUIRED_RETURN_COLUMNS if name not in seen]
    if missing or len(seen) != len(names):
        return None, findings
    frame = frame.rename({column: str(name).strip().lower() for column, name in zip(frame.columns, names, strict=True)})
    row = pl.int_range(first_row, first_row + pl.len(), dtype=pl.Int64)
    over = long_columns(frame)
    long_cells: list[Finding] = []
    if blank_rows or over:  # the rows are numbered before any are left out
        frame = frame.with_columns(row=row)
        if blank_rows:
            frame = frame.filter(~_blank_row(frame.drop("row").schema))
        frame, long_cells = without_long_cells(frame, rel, over)
        row = pl.col("row")
        frame = frame.select(
            [pl.col(c).cast(pl.String) if c in seen else pl.lit(None, pl.String).alias(c) for c in kept]
            + [row]
        ).with_columns(file=pl.lit(rel, pl.String))
        return frame.select(*kept, "file", "row"), findings + long_cells
    # The common path adds the new columns last and selects nothing after them: a column made
    # afterwards comes in one chunk, and a select over columns chunked differently copies them.
    frame = frame.select(
        [pl.col(c).cast(pl.String) if c in seen else pl.lit(None, pl.String).alias(c) for c in kept]
    ).with_columns(file=pl.lit(rel, pl.String), row=row)
    return frame, findings


def long_columns(frame: pl.DataFrame) -> list[str]:
    """The returns columns holding a text longer than its limit (a note up to MAX_TEXT_CHARS,
    every other column up to MAX_NAME_CHARS).

    A string's length in bytes is known without reading it, so this is one cheap look at each
    column that holds anything (an empty column costs nothing); characters are counted only
    later, in a column whose bytes are over.
    """
    limits = {name: TEXT_LIMITS.get(name, MAX_NAME_CHARS) for name in RETURN_COLUMNS
              if frame.schema.get(name) == pl.String and frame.get_column(name).null_count() < frame.height}
    longest = frame.select(pl.col(name).str.len_bytes().max() for name in limits).row(0) if limits else ()
    return [name for name, most in zip(limits, longest, strict=True) if most is not None and most > limits[name]]


def without_long_cells(frame: pl.DataFrame, rel: str, over: list[str]) -> tuple[pl.DataFrame, list[Finding]]:
    """The rows of `frame` (which has `row`) whose every cell is within its limit, and a Y009
    finding for each cell that is not, at most MAX_PER_FILE, then a summary. A number column's
    cell that is a number is not text: its digits are held to `laatool.base.numbers`' limits."""
    if not over:
        return frame, []
    limits = {name: TEXT_LIMITS.get(name, MAX_NAME_CHARS) for name in over}
    # A number written in many digits is held to the number limits instead (R321), not as text.
    number = {name: pl.col(name).str.strip_chars(WHITESPACE).str.contains(f"^{NUMBER}$") if name in NUMBER_COLUMNS
              else pl.lit(False) for name in over}
    masks = {name: ((pl.col(name).str.len_chars() > limits[name]) & ~number[name]).fill_null(False) for name in over}
    long_rows = frame.filter(pl.any_horizontal(masks.values()))
    findings = []
    for name in over:
        hits = long_rows.filter(masks[name]).select("row", length=pl.col(name).str.len_chars())
        for row, length in hits.iter_rows():
            findings.append(row_text_finding(rel, row, name, f"{name}: {length:,} characters, over the limit of "
                                             f"{limits[name]:,}"))
    return frame.filter(~pl.any_horizontal(masks.values())), capped(of_rows_left_out(findings, long_rows))


def of_rows_left_out(findings: list[Finding], rows: pl.DataFrame) -> list[Finding]:
    """The findings at the `rows` (with `row` and `area`) left out on reading, each given the
    area its row names (`Finding.area`): its error stops that area alone, as a row kept does."""
    areas = dict(rows.select("row", area_expr("area")).iter_rows())
    return [replace(finding, area=areas.get(finding.row if finding.row is not None else finding.line))
            for finding in findings]


def row_text_finding(rel: str, row: int, name: str, message: str) -> Finding:
    """Y009 at a table's row, or a YAML returns file's line."""
    if rel.lower().endswith((".yaml", ".yml")):
        return Y009.finding(message, file=rel, line=row, field=name)
    return Y009.finding(message, file=rel, row=row, field=name)
