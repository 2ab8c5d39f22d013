"""A CSV returns file read as a spreadsheet user writes one: its header line looked at
before polars reads it (encoding, NUL bytes, separators, line ends, line lengths), and after
(quotes, cells per row, a last line cut off, a note over several lines); the rows numbered as
the spreadsheet numbers them."""

from __future__ import annotations

import csv
import io
import itertools
import mmap
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeGuard

import polars as pl

from laatool.base.findings import Finding, Severity
from laatool.base.ids import (
    WHITESPACE,
)
from laatool.base.inputs import open_input, read_input
from laatool.base.text import MAX_NAME_CHARS, YamlProblem, decode, excerpt, other_unicode
from laatool.load.reading_rules import Y004, Y005, Y007
from laatool.load.returns_table import (
    KEPT_COLUMNS,
    MAX_TABLE_BYTES,
    REQUIRED_RETURN_COLUMNS,
    Unreadable,
    as_raw,
    header_below,
    header_problems,
    holds_blank_rows,
    holds_header,
    missing_header,
    title_finding,
    without_unnamed,
)
from laatool.load.table_files import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_PIECE,
    TooLarge,
    check_cells,
)
from laatool.load.table_rules import Y006, Y020, Y021

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


def csv_head(path: Path, rel: str, root: Path | None = None) -> bytes:
    """The header line of a CSV file, once its first 64 KiB hold no NUL byte and the line is
    UTF-8 (polars would read it lossily); an Unreadable saying why not otherwise, and a
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
        raise Unreadable(Y004.finding(f"the file is {encoding} text{saved}, not UTF-8", file=rel, row=1))
    if b"\x00" in head:  # at the line it is on, as a byte that is not UTF-8 is (Y004)
        raise Unreadable(Y006.finding("the file holds NUL bytes: it is binary, not CSV text", file=rel,
                                       row=head.count(b"\n", 0, head.index(b"\x00")) + 1))
    if b"\n" not in head and b"\r" in head.rstrip(b"\r"):
        raise Unreadable(Y006.finding("its lines end with a carriage return alone (as Excel for Mac's 'CSV "
                                       "(Macintosh)' writes them), so the whole file reads as one line",
                                       file=rel, row=1, hint=SAVE_AS_CSV))
    if b"\n" not in head and len(head) > MAX_LINE_BYTES:
        raise Unreadable(_line_too_long(rel, 1))
    line = bytes(head.split(b"\n", 1)[0])
    try:
        text = decode(line)
    except YamlProblem as problem:
        raise Unreadable(Y004.finding(problem.message, file=rel, row=1)) from None
    _check_separator(text.rstrip("\r"), rel)
    return line


# What to do with a CSV file laid out otherwise than DESIGN.md §4.3 says.
SAVE_AS_CSV = "save the sheet again as 'CSV UTF-8 (Comma delimited)', or put the workbook (.xlsx) in returns/ instead"


def _check_separator(header: str, rel: str) -> None:
    """An Unreadable when the header line holds the returns columns separated by `;` or a tab
    instead of commas (a spreadsheet set to a language that writes decimal commas saves CSV so):
    read by commas it would be one unknown column, and its rows a line the reader refuses."""
    if "," in header:
        return
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        names = {cell.strip().strip('"').lower() for cell in header.lstrip("\ufeff").split(separator)}
        if separator in header and set(REQUIRED_RETURN_COLUMNS) <= names:
            raise Unreadable(Y006.finding(f"its columns are separated by {name}, not commas (and its numbers may "
                                           "have decimal commas)", file=rel, row=1, hint=SAVE_AS_CSV))


def check_line_lengths(path: Path, rel: str) -> None:
    """Y005 (an Unreadable) at the first line of a CSV file longer than MAX_LINE_BYTES.

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
                        raise Unreadable(_line_too_long(rel, line))
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


def read_csv_returns(path: Path, rel: str,
                     kept: tuple[str, ...] = KEPT_COLUMNS) -> tuple[pl.DataFrame | None, list[Finding]]:
    line = csv_head(path, rel)
    check_line_lengths(path, rel)
    # polars passes over empty lines before the header: the rows are numbered after them
    skipped, line = _after_empty_lines(path, line)
    header_row = skipped + 1
    # The names as written: polars makes up its own for a column without one (``) or named twice
    # (`value_duplicated_0`), which no one would recognise in a finding.
    written = _cells(decode(line).rstrip("\r"), rel, header_row)
    if len(written) > MAX_COLUMNS:  # commas beyond the table, from a sheet formatted far to the right
        raise TooLarge(f"the table has {len(written):,} columns: the limit is {MAX_COLUMNS:,}")
    if any(len(name) > MAX_NAME_CHARS for name in written):  # Y009, before polars makes a column so named
        raise Unreadable(header_problems(written, rel, header_row)[0])
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
            raise Unreadable(Y004.finding(problem.message, file=rel, row=problem.mark.line)) from None
        if not raw.strip(b"\xef\xbb\xbf \r\n\t"):
            raise Unreadable(Y007.finding("the file is empty: it holds no returns", file=rel, row=1,
                                           severity=Severity.WARNING)) from None
        if (no_header := missing_header(written, rel, header_row)) is not None:
            raise Unreadable(no_header) from None
        # one line ended as an old Mac does (a carriage return inside a quoted cell is the cell's)
        # (possessive: a quote never closed is not searched back through, a step a character kept)
        if lone := re.search("\r(?!\n)", re.sub(r'"(?:[^"]++|"")*+"', lambda cell: "_" * len(cell[0]), text)):
            row = text.count("\n", 0, lone.start()) + 1
            raise Unreadable(Y006.finding(f"row {row} ends with a carriage return alone, which splits it where a "
                                           "spreadsheet would not", file=rel, row=row, hint=SAVE_AS_CSV)) from None
        _check_closing_quotes(io.StringIO(text, newline=""), rel)
        _check_cells_per_row(text, rel, header_row)
        _check_quotes(text, rel)
        raise
    if rows is None:  # not counted before: held to the limit now, before anything is done with it
        check_cells(frame.height + 1, frame.width, max_rows=MAX_CELLS)
    blank = pl.all().str.strip_chars(WHITESPACE).ne("").any()
    if not "".join(written).strip(WHITESPACE) and (frame.width == 0 or True not in frame.select(blank).row(0)):
        raise Unreadable(Y007.finding("the file holds only spaces and line ends: it holds no returns", file=rel, row=1,
                                       severity=Severity.WARNING))
    cut_off = _check_last_line(path, rel, written, frame.height + header_row, frame.row(-1) if frame.height else None)
    names = written if len(written) == frame.width else frame.columns
    if (below := header_below(frame, names, header_row + 1)) is not None:
        raise Unreadable(title_finding(rel, header_row, below))
    frame, names, unnamed = without_unnamed(frame, names, rel, header_row, list(range(frame.width)))
    notes = next((column for name, column in zip(names, frame.iter_columns(), strict=True)
                  if name.strip(WHITESPACE).lower() == "note"), None)
    if notes_over_lines(notes):  # a note over lines: was it closed?
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
            _check_closing_quotes(lines, rel)
        in_notes = _rows_in_notes(notes, rel, frame.width, header_row + 1)
    else:
        in_notes = []
    tidy, findings = as_raw(frame, rel, first_row=header_row + 1, header_row=header_row, kept=kept, names=names,
                           blank_rows=holds_blank_rows(frame))
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


def notes_over_lines(notes: pl.Series | None) -> TypeGuard[pl.Series]:
    """Whether a note is written over lines (a line end in it): only then are the notes looked
    at closely, for a quote left open (Y006, Y020)."""
    return notes is not None and bool(notes.str.contains("\n", literal=True).any())


def _rows_in_notes(notes: pl.Series, rel: str, width: int, first_row: int = 2) -> list[Finding]:
    """Y020 for each note of a CSV file of `width` columns (its rows from `first_row`) with a later line
    holding the commas of a row of them (four columns at the least), which a quote left open
    took in; a line of a note written over lines (an address, a list of names) holds fewer.
    Asked only when the notes are `notes_over_lines`; only the notes with a line end are looked at."""
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


def unended_last_line(path: Path) -> bytes | None:
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
    be cut off: an Unreadable when the row stops before the header's required columns
    (`leeds,NI 154,2010-11`), whose return would otherwise read as not reported; else the row is
    read as written, and named (Y021: `leeds,NI 192,2010-11,34` may have been 34.8). A short
    row ended by a line end is read as written. `last_cells`: the last row as read."""
    last = unended_last_line(path)
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
        raise Unreadable(Y006.finding(f"{said}: it looks cut off", file=rel, row=last_row,
                                       hint="save the file again from the program that made it, whole"))
    return [Y021.finding(f"{said}: it may be cut off, its last cell ('{excerpt(cells[-1])}') with it", file=rel,
                         row=last_row)]


def _cells(line: str, rel: str, row: int) -> list[str]:
    """A line's cells as Python's csv module reads them; an Unreadable (Y006) for a carriage
    return inside a cell that is not quoted, which the module refuses and polars takes for the
    end of the line."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        raise Unreadable(Y006.finding(
            f"row {row} holds a carriage return (\\r) inside a cell that is not quoted: the file mixes line ends",
            file=rel, row=row, hint=SAVE_AS_CSV)) from None


def _check_closing_quotes(lines: Iterable[str], rel: str) -> None:
    """An Unreadable at the row a quoted cell running over lines opens in, when text follows
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
                raise Unreadable(Y006.finding(
                    f"row {row} opens a quoted cell that runs on to line {reader.line_num}, where text follows the "
                    f"quote that closes it: {excerpt(first[0].strip(), 60)}", file=rel, row=row,
                    hint='close the quote where the cell ends (a quote inside a cell is written twice: ""), or '
                         'delete it')) from None
            return  # a cell over the csv module's length, or no spreadsheet's fault: the others say
        row += 1


def _check_cells_per_row(text: str, rel: str, header_row: int = 1) -> None:
    """An Unreadable at the first row with more cells than the header (polars only says that
    some line has), counting rows as a spreadsheet does: the header is `header_row`, below the
    empty lines polars passes over."""
    rows = csv.reader(io.StringIO(text))
    width = len(next(itertools.islice(rows, header_row - 1, None), []))
    for row, cells in enumerate(rows, start=header_row + 1):
        if len(cells) > width and holds_header(cells):
            raise Unreadable(title_finding(rel, header_row, row))
        if len(cells) > width:
            raise Unreadable(Y006.finding(
                f"row {row} has {len(cells):,} cells, more than the {width:,} columns of the header", file=rel, row=row,
                hint="delete the extra cell (often a stray comma at the end of the line), or put quotes around a "
                     "value that holds a comma"))


# A CSV line of cells each either quoted (a double quote inside written twice) or without quotes.
_CSV_CELL = r'(?:"(?:[^"]|"")*"|[^",\r\n]*)'
_QUOTED_RIGHT = re.compile(rf"{_CSV_CELL}(?:,{_CSV_CELL})*\r?")


def _check_quotes(text: str, rel: str) -> None:
    """An Unreadable at the first line with a double quote out of place (`22"8`, `"22".8`), or
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
                raise Unreadable(Y006.finding(
                    f"row {row} has a double quote inside a value: {excerpt(line.strip(), 60)}", file=rel, row=row,
                    hint='put the whole value in double quotes and write the quote inside twice ("22""8"), or '
                         'delete it'))
            closing = next((later for later in range(index + 1, len(lines)) if lines[later].count('"') % 2), None)
            if closing is None:
                raise Unreadable(Y006.finding(
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


def _spaces_after_quote(row: int, line: str, rel: str) -> Unreadable:
    return Unreadable(Y006.finding(
        f"row {row} has spaces after the closing quote of a cell: {excerpt(line.strip(), 60)}", file=rel, row=row,
        hint="delete the spaces after the closing quote, or put them inside the quotes"))
