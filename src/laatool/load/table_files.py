"""What a returns table holds, measured from its own metadata before it is read.

An XLSX workbook is a zip: its directory gives each part's uncompressed size, its
`workbook.xml` the sheets and which are hidden, its styles which formats show a percentage or
thousands, and the chosen sheet's XML, scanned in bounded pieces, the cells it holds (the last
row and column, the header's row, the error cells, the number cells a reader would round or
that the sheet shows as percentages or thousands); a Parquet file's are `parquet_files`. A
table past the limits is refused (Y005) before a reader allocates
anything for it: a 1 KB workbook with one cell at XFD1048576 would otherwise ask for 512 GiB.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from array import array
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from operator import eq, ge, gt, itemgetter, le, lt, ne
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from laatool.base.numbers import as_spreadsheet_shows, parse
from laatool.base.text import excerpt
from laatool.load.xlsx_formats import EVERY_SECTION, Sections, format_sections, shown_as

if TYPE_CHECKING:
    pass


MAX_XLSX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 16_384  # Excel's own limit, column XFD
MAX_CELLS = 30_000_000
MAX_UNZIPPED_BYTES = 1024**3  # an XLSX workbook's parts; a Parquet file's column data
MAX_ERROR_CELLS = 1_000  # error cells kept to report; the rest are counted
_STRING_EDGE = re.compile(rb"<(/?)(?:\w+:)?si\b")  # a shared string's start or end tag
_SHARED_INDEX = re.compile(rb"\st\s*=\s*\"s\"[^>]*>\s*<v>([0-9]{1,18})</v>")  # a shared-text cell's index
# The error values the reader (calamine) reads; any other fails the whole workbook
READER_ERRORS = frozenset({b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!"})
MAX_EXACT_CELLS = 1_000_000  # numbers kept as written (below); a sheet with more is refused
MAX_EXACT_BYTES = 64 * 1024 * 1024
CHUNK = 1 << 22
MAX_PIECE = 64 * 1024 * 1024  # XML with no tag end in it: no real cell comes near
_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)>")
_RELATION = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(r"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_DIMENSION = re.compile(rb"<dimension\b[^>]*\bref\s*=\s*\"(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)\"")
_ROW = re.compile(rb"<row\b[^>]*?\sr\s*=\s*\"([0-9]+)\"")
_CELL = re.compile(rb"<c(?=\s)[^>]*?\sr\s*=\s*\"([A-Z]+)([0-9]+)\"")
_ROW_WITHOUT_REF = re.compile(rb"<row(?=[\s/>])(?![^>]*\sr\s*=)")
_CELL_WITHOUT_REF = re.compile(rb"<c(?=[\s/>])(?![^>]*\sr\s*=)")
# A cell tag's start (`<c[\s/>]`) is `<c ` (counted, which is quicker than a search) or one of these.
_CELL_TAG_START_NOT_SPACE = re.compile(rb"<c[\t\n\r\f\v/>]")
_VALUE_CELL = re.compile(rb"<c\b[^>]*?\sr\s*=\s*\"[A-Z]+([0-9]+)\"[^>/]*>"
                         rb"(?:\s|<f\b[^>]*/>|<f\b[^>]*>[^<]*</f\s*>)*<(?:v|is)\b")
_ERROR_CELL = re.compile(rb"<c\b([^>]*?\st\s*=\s*\"e\"[^>]*)>(?:(?!</c\s*>).)*?<v\s*>([^<]*)</v\s*>", re.DOTALL)
# A formula cell with no stored result, or an empty one in a number cell (a workbook written by
# a program and never opened in a spreadsheet, which would have stored it; a text formula's
# empty result, `t="str"`, is a blank as meant): a reader gives a blank, which would read as
# "not reported". It is reported with the error cells.
_UNSTORED_CELL = re.compile(rb"<c\b([^>]*?)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f\s*>)\s*"
                            rb"(<v\s*/>|<v\s*>\s*</v\s*>)?\s*</c\s*>")
# A formula cell whose stored result is 0, in a workbook that asks to be worked out again when
# opened (`fullCalcOnLoad`, as xlsxwriter and openpyxl write it, neither of which computes a
# formula): xlsxwriter stores 0 for every formula it is not given a result for, so that 0 is a
# placeholder, no result; a result it was given (any other number) is the one stored.
_PLACEHOLDER_CELL = re.compile(rb"<c\b([^>]*?)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f\s*>)\s*<v\s*>\s*0\s*</v\s*>\s*</c\s*>")
_RECALCULATED = re.compile(r"<(?:\w+:)?calcPr\b[^>]*?\sfullCalcOnLoad\s*=\s*[\"'](?:1|true)[\"']")
_REF = re.compile(rb"\sr\s*=\s*\"([A-Za-z]+)([0-9]+)\"")  # `d34` is D34 to a reader
# a merged range as a reader takes it: its letters in either case, its corners either way round
_MERGED = re.compile(rb"<mergeCell\b[^>]*?\sref\s*=\s*\"([A-Za-z]+)([0-9]+):([A-Za-z]+)([0-9]+)\"")
MAX_MERGED = 100_000  # merged ranges of a sheet: each is read as it shows (Y016); more are refused (Y005)
# A number cell (no `t`, or `t="n"`) whose text the reader would not give back as written: the
# reader rounds to 9 decimal places the nearest binary number, whose error shows in those
# places from 4.5 million up. With margin: an exponent, 8 decimal places or more, a fraction
# after 6 whole digits or more, 15 digits in a run. The values are found first (few are), then
# the tag of the cell holding each, which says whether it is a number.
# A character reference (`2&#50;.8`) is one too: the reader stops at it (`2`, or a blank).
_LONG_VALUE = re.compile(rb"<v(?:\s[^>]*)?>(?=[^<]*?(?:[eE&]|\.[0-9]{8}|[0-9]{6}\.|[0-9]{15}))([^<]*+)</v\s*>")
_CELL_TAG = re.compile(rb"<c\b([^>]*)>")
# A cell whose value a reader would not give back as written is refused (NotAWorkbook, at its
# row), never read as another value. The reader takes a shared text's index (`t="s"`) for 0,
# the workbook's first shared text, when it is not a plain whole number (`abc`, `-1`, `1.5`,
# `+1`, ` 1`, 20 digits), and of a cell holding two values (`<v>22.8</v><is><t>99</t></is>`)
# it keeps the last, or a blank when a formula follows its value. Excel writes a shared
# text's cell `t="s"><v>12</v>` and closes a cell after its value: a search for cells written
# otherwise is quick (each finds few, usually none), and only where one finds some is the
# piece searched for the cells that are wrong, which are rarer still.
_SHARED_UNUSUAL = re.compile(rb"t\s*=\s*[\"']s[\"'](?!(?:\s[^>]*)?>\s*<v>[0-9]{1,18}</v>)")
_SHARED_WRONG = re.compile(rb"t\s*=\s*[\"']s[\"'][^>]*(?<!/)>(?:\s|<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b[^>]*>[^<]*</"
                           rb"(?:\w+:)?f>)*<(?:\w+:)?v(?:\s[^>]*)?>(?!0*[0-9]{1,19}</(?:\w+:)?v>|</(?:\w+:)?v>)([^<]{1,41}|<[^>]{0,41})")
_AFTER_VALUE_UNUSUAL = re.compile(rb"</(?:v|is)\s*>(?!\s*</c\s*>)")
_AFTER_VALUE_WRONG = re.compile(rb"</(?:\w+:)?(v|is)\s*>(?:\s|<!--.*?-->)*<(?:\w+:)?(v|is|f)\b[^>]*>", re.DOTALL)
_VALUE_TEXT = re.compile(rb"<(?:\w+:)?(v|is)\b[^>]*>(.*?)</(?:\w+:)?\1\s*>", re.DOTALL)
_TEXT_MARKUP = re.compile(rb"<[^>]*>")
# A DTD (`<!DOCTYPE sst [<!ENTITY e "22.8">]>`): no spreadsheet writes one, and its entities
# would make the text of a cell something other than what the part says.
_DTD = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_NOT_A_NUMBER = re.compile(rb"\st\s*=\s*[\"'](?!n[\"'])")
# A number cell whose style shows it otherwise than as the number it holds: as a percentage
# (0.238 shown `23.8%`), or in thousands or millions (628000 shown `628` by `#,##0,`, each comma
# after the last digit of a format dividing by 1,000). Its style is an index into the `<xf>` of
# `<cellXfs>` in the workbook's styles part, whose number format is the built-in `0%` (9) or
# `0.00%` (10) or one of its own `<numFmt>` with a `%` or such a comma that is not quoted or
# escaped. Read as what the sheet shows (`23.8%`, `628000 shown in thousands`), it meets R305 as
# a CSV cell `23.8%` does: which of the two figures is meant is the person's to say.
PERCENT_FORMATS = frozenset({9, 10})
# The built-in formats (ECMA-376 Part 1, 18.8.30) that show a number otherwise than as itself
# beyond those: the accounting formats, which show a zero as `-` (openpyxl writes a cell of one
# by its id alone, with no `<numFmt>`).
BUILT_IN_FORMATS = {
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)',
    42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)',
}
MAX_STYLES_BYTES = 64 * 1024 * 1024  # a styles part is a few kilobytes; one of more is refused
_IDENTIFIER = re.compile(r"\+?[0-9]{1,10}")  # a style's or a format's number (an unsigned int): ASCII digits
_SIGNED = re.compile(r"[+-]?[0-9]{1,10}")  # a rule's priority (an int)
# XML a sheet may hold that the patterns here do not read as a reader does, refused rather than
# read unchecked (no spreadsheet writes them; the patterns take space around `=` and before a
# closing `>`): CDATA and comments (`<!`), attributes quoted with `'`, and element names with a
# prefix bound to SpreadsheetML (`<x:c>`, as the .NET SDK can write). Each is screened for by a
# byte a well-written sheet rarely holds, or by the namespace declaration a prefix needs.
_TAG_NOT_ENDED = re.compile(rb"<[^<>]*<")  # `<c r="A1" <c ...`: a tag's `<` is never inside another
_UNCHECKED = re.compile(rb"<!|<(?!\?)[^<>]*=\s*'")  # not `<?xml version='1.0'?>`, which ElementTree writes
QUOTED_WITH_APOSTROPHE = "quotes an attribute with ' where a spreadsheet writes \", which laatool cannot check"
_PREFIXED = re.compile(rb"xmlns:([\w.-]+)\s*=\s*[\"'][^\"']*(?:spreadsheetml/2006/main|spreadsheetml/main)[\"']")


class TooLarge(Exception):
    """A table past a limit; the message says which."""


class NotAWorkbook(Exception):
    """An XLSX file whose parts are missing or malformed; of a malformed cell, its `row` and a `hint`."""

    def __init__(self, message: str, row: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.hint = hint


@dataclass
class Sheet:
    """The sheet of a workbook that holds the returns, and what its XML says of its cells."""

    name: str
    header_row: int = 1  # the sheet's own row number of the first row with a value
    # row, column (from 0), the error (`=FORMULA` for a formula with no stored result); no
    # place for a cell written without its reference
    errors: list[tuple[int | None, int | None, str]] = field(default_factory=list)
    error_count: int = 0
    sheets: int = 1  # how many sheets the workbook has
    prefixes: set[bytes] = field(default_factory=set)  # `<x:` of each prefix bound to SpreadsheetML
    # row, column (from 0), the number's text as the sheet shows it: the cells a reader would
    # round (`as_spreadsheet_shows`: 0.58 typed in Excel is written 0.57999999999999996), and the
    # cells formatted as percentages (`23.8%`) or in thousands (`628000 shown in thousands`)
    exact: list[tuple[int, int, str]] = field(default_factory=list)
    # merged ranges: first row, first column (from 0), last row, last column
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    placeholders: bool = False  # a formula's stored 0 is a placeholder (`_PLACEHOLDER_CELL`)
    part: str = ""  # the sheet's part in the workbook (`xl/worksheets/sheet1.xml`)
    # an error value the reader cannot read (`#SPILL!`): see `with_readable_errors`
    unreadable_errors: bool = False
    # the ranges of its conditional formats that show numbers otherwise (`_collect_conditional`)
    conditional: list[ConditionalRange] = field(default_factory=list)
    cells_without_place: bool = False  # some cell is written without its reference (`r="B7"`)


def _column_letters(column: int) -> bytes:
    """The letters of a column numbered from 0 (`column_number`'s inverse, less one)."""
    letters = b""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def column_number(letters: bytes) -> int:
    """`A` is 1, `XFD` 16,384 (in either case)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def check_cells(rows: int, columns: int, *, max_rows: int, so_far: bool = False) -> None:
    """TooLarge past the limits; `so_far`: the sizes counted up to where the scan is, which
    stops at the first limit passed (the table holds at least that many)."""
    some = "at least " if so_far else ""
    if rows > max_rows:
        raise TooLarge(f"the table has {some}{rows:,} rows: the limit is {max_rows:,}")
    if columns > MAX_COLUMNS:
        raise TooLarge(f"the table has {some}{columns:,} columns: the limit is {MAX_COLUMNS:,}")
    if rows * columns > MAX_CELLS:
        raise TooLarge(f"the table spans {some}{rows:,} rows × {columns:,} columns: the limit is {MAX_CELLS:,} cells")


def _attributes(tag: str) -> dict[str, str]:
    """The attributes of an element of a workbook's XML; NotAWorkbook when one is written twice,
    which is no XML: a spreadsheet refuses the file, and readers differ on which counts (a sheet
    written `state="hidden" state="visible"`)."""
    found = _ATTRIBUTE.findall(tag)
    attributes = {name: html.unescape(double if double or not single else single) for name, double, single in found}
    if len(attributes) < len(found):
        twice = next(name for name, count in Counter(name for name, _, _ in found).items() if count > 1)
        raise NotAWorkbook(f"an element of its XML writes the attribute '{excerpt(twice, 40)}' twice, which is no "
                           "XML: open the workbook in a spreadsheet and save it again, or write the file afresh")
    return attributes


def _part(archive: zipfile.ZipFile, name: str) -> str:
    try:
        data = archive.read(name)
    except KeyError:
        raise NotAWorkbook(f"it has no part {name}: it is not an XLSX workbook") from None
    _refuse_dtd(data, name)
    return data.decode("utf-8", errors="replace")


def _refuse_dtd(head: bytes, name: str) -> None:
    """NotAWorkbook when the start of the part `name` declares a DTD (`_DTD`)."""
    if _DTD.search(head, 0, 64 * 1024):
        raise NotAWorkbook(f"its part {name} declares a DTD (<!DOCTYPE ...>), which may define entities "
                           f"that change its text: no spreadsheet writes one, and laatool does not read it")


def choose_sheet(sheets: list[tuple[str, bool]]) -> int:
    """Which sheet holds the returns: a visible one named `returns` (in any case), else the first
    visible sheet; a hidden one only when no sheet is visible."""
    visible = [index for index, (_, shown) in enumerate(sheets) if shown]
    for candidates in (visible, range(len(sheets))):
        named = [index for index in candidates if sheets[index][0].strip().casefold() == "returns"]
        if len(named) > 1:  # `returns` and `Returns `: names a spreadsheet tells apart, and no reader can
            written = " and ".join(repr(sheets[index][0]) for index in named)
            raise NotAWorkbook(f"its sheets {written} are each named 'returns' but for spaces, so which holds "
                               "the returns is not known: rename the others")
        if named:
            return named[0]
        if candidates:
            return candidates[0]
    raise NotAWorkbook("it has no sheets")


def inspect_xlsx(path: Path | BinaryIO) -> Sheet:
    """The sheet to read and what its cells are (of a workbook's path or bytes), or TooLarge /
    NotAWorkbook."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise NotAWorkbook(f"it is not an XLSX workbook ({error})") from None
    with archive:
        unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:
            raise TooLarge(f"the workbook unzips to {unzipped:,} bytes: the limit is {MAX_UNZIPPED_BYTES:,}")
        _check_sizes(archive)
        workbook = _part(archive, "xl/workbook.xml")
        if "<!" in workbook:  # a <sheet> inside a comment is no sheet to a reader
            raise NotAWorkbook("its part xl/workbook.xml holds CDATA or a comment, which laatool cannot check: "
                               "open the workbook in a spreadsheet and save it again")
        relations = {attributes.get("Id"): (attributes.get("Target", ""), attributes.get("Type", "")) for attributes
                     in map(_attributes, _RELATION.findall(_part(archive, "xl/_rels/workbook.xml.rels")))}
        found = []
        for tag in _SHEET.findall(workbook):
            attributes = _attributes(tag)
            target, kind = next((relations.get(value, ("", "")) for name, value in attributes.items()
                                 if name.endswith(":id") or name == "id"), ("", ""))
            if not kind.endswith("/chartsheet"):  # a chart holds no cells
                found.append((attributes.get("name", ""), attributes.get("state", "visible") == "visible", target))
        # Spreadsheets tell sheet names apart but for case: a reader finds a sheet by its name,
        # and which of two so named it would read is unknown.
        names = [name.casefold() for name, _, _ in found]
        if len(set(names)) < len(names):
            twice = next(name for name, _, _ in found if names.count(name.casefold()) > 1)
            raise NotAWorkbook(f"two of its sheets are named '{twice}', which no spreadsheet allows")
        shared = _shared_lengths(archive, relations)
        styles = _shown_styles(archive, relations)
        index = choose_sheet([(name, shown) for name, shown, _ in found])
        name, _, target = found[index]
        if not target:
            raise NotAWorkbook(f"the sheet '{name}' has no part in the workbook")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        sheet = Sheet(name, sheets=len(found), placeholders=bool(_RECALCULATED.search(workbook)), part=part)
        try:
            with archive.open(part) as xml:
                _scan(xml, sheet, styles, shared)
            if conditional := _conditional_formats(sheet):  # read again for the cells they show otherwise
                with archive.open(part) as xml:
                    _scan_conditional(xml, sheet, conditional)
        except KeyError:
            raise NotAWorkbook(f"it has no part {part}: it is not an XLSX workbook") from None
    return sheet


def _check_sizes(archive: zipfile.ZipFile) -> None:
    """Each part inflated as a reader inflates it, to the end of its data whatever its header
    says: a part holding more than its header's size (with the checksum of what the header
    covers) would be read whole by the reader after the checks saw the part's beginning alone.
    The parts' true sizes together are within MAX_UNZIPPED_BYTES (TooLarge)."""
    total = 0
    source = archive.fp
    assert source is not None  # an open archive
    for info in archive.infolist():
        if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise NotAWorkbook(f"its part {info.filename} is encrypted or compressed in a way a workbook is not")
        source.seek(info.header_offset)
        header = source.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise NotAWorkbook(f"its part {info.filename} is damaged: it is not an XLSX workbook")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        source.seek(info.header_offset + 30 + name_length + extra_length)
        inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        left, size, crc = info.compress_size, 0, 0
        pending = b""
        while pending or left > 0:
            if not pending:
                pending = source.read(min(left, CHUNK))
                left -= len(pending)
                if not pending:
                    break
            if inflate is None:
                out, pending = pending, b""
            else:
                out = inflate.decompress(pending, CHUNK)
                pending = inflate.unconsumed_tail
            size += len(out)
            crc = zlib.crc32(out, crc)
            if total + size > MAX_UNZIPPED_BYTES:
                raise TooLarge(f"the workbook unzips to more than {MAX_UNZIPPED_BYTES:,} bytes: the limit")
            if inflate is not None and inflate.eof:
                break
        if size != info.file_size or crc != info.CRC or (inflate is not None and not inflate.eof):
            raise NotAWorkbook(f"its part {info.filename} is damaged: it holds {size:,} bytes where the zip "
                               f"says {info.file_size:,}")
        total += size


def _check_shared_strings(archive: zipfile.ZipFile, relations: dict) -> None:
    """The shared strings' own count (`uniqueCount`), which a reader reserves room for before
    reading them (4,000,000,000 asked for 96 GB): no more than the cells limit, nor than the part
    could hold (each string takes 5 bytes or more)."""
    try:
        info = archive.getinfo(_part_name(relations, "/sharedStrings", "sharedStrings.xml"))
        with archive.open(info) as xml:
            start = xml.read(64 * 1024)
    except KeyError:
        return
    _refuse_dtd(start, info.filename)
    head = start[:4096].decode("utf-8", errors="replace")
    tag = re.search(r"<(?:\w+:)?sst\b([^>]*)>", head)
    attributes = _attributes(tag[1]) if tag else {}
    claimed = attributes.get("uniqueCount", "0")  # how many strings the part holds (`count`: cells using them)
    number = int(claimed) if claimed.isdigit() and len(claimed) < 20 else MAX_CELLS + 1
    if number > min(MAX_CELLS, info.file_size // 5 + 1):
        raise TooLarge(f"the workbook's shared strings say they are {claimed[:20]}, more than the "
                       f"{info.file_size:,} bytes of their part can hold or the {MAX_CELLS:,} cells allowed")


def _shared_lengths(archive: zipfile.ZipFile, relations: dict) -> array:
    """How many bytes each shared string takes in its part (at least its text's length), once
    `_check_shared_strings` has let it through. One string can fill a million cells: what the
    sheet's cells make of them is only known from these (`_shared_bytes`)."""
    _check_shared_strings(archive, relations)
    lengths = array("q")
    try:
        info = archive.getinfo(_part_name(relations, "/sharedStrings", "sharedStrings.xml"))
    except KeyError:
        return lengths
    # Each string's start and end tags, found piece by piece (a tag cut between two pieces is
    # found whole in the next, from the last bytes kept); no piece is held longer than it is read.
    offset, tail, start = 0, b"", None
    with archive.open(info) as xml:
        while chunk := xml.read(CHUNK):
            data = tail + chunk
            base = offset - len(tail)
            for edge in _STRING_EDGE.finditer(data):
                if edge.end() <= len(tail):  # found whole in the piece before
                    continue
                if not edge[1]:
                    start = base + edge.end()
                elif start is not None:
                    lengths.append(base + edge.start() - start)
                    start = None
            offset += len(chunk)
            tail = data[-16:]
    return lengths


def _shared_bytes(data: bytes, lengths: array) -> tuple[int, int]:
    """The bytes of the shared strings the shared-text cells of a piece of the sheet name, and
    the longest of them (an index past them counts nothing: the reader refuses it)."""
    count = len(lengths)
    named = [lengths[index] for index in map(int, _SHARED_INDEX.findall(data)) if index < count]
    return sum(named), max(named, default=0)


# No cell of a return holds more (a note is at most MAX_TEXT_CHARS characters, 4 bytes each and
# escapes around them): a workbook whose returns sheet names a longer shared text is refused
# before a reader makes a string of it (400 MB of noughts, 413 KB zipped, took 7 GB to read).
MAX_CELL_BYTES = 1024 * 1024


def _part_name(relations: dict, kind: str, default: str) -> str:
    """The zip name of the workbook's part of a relation `kind` (`/sharedStrings`), else `xl/default`."""
    target = next((target for target, found in relations.values() if found.endswith(kind)), default)
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


@dataclass(frozen=True)
class ShownStyles:
    """A workbook's styles that show numbers otherwise than as themselves (`_shown_styles`)."""

    cells: dict[int, Sections] = field(default_factory=dict)  # cell styles (`s="k"`)
    # the differential styles (`<dxf>` of `<dxfs>`, by index) that conditional formats name: their XML
    records: dict[int, bytes] = field(default_factory=dict)
    formats: dict[int, str] = field(default_factory=dict)  # the workbook's own number formats, by id


def _shown_styles(archive: zipfile.ZipFile, relations: dict) -> ShownStyles:
    """The cell styles (`s="k"`) whose number format shows a number otherwise than as itself, each
    with how it shows a positive, negative and zero number (`format_sections`); and the
    differential styles (`<dxf>`, the k-th of `<dxfs>`) that a conditional format gives a
    cell. A workbook without a styles part has none, and so does one whose part holds no
    `<cellXfs>` (`<dxfs>`) a reader could take."""
    try:
        info = archive.getinfo(_part_name(relations, "/styles", "styles.xml"))
    except KeyError:
        return ShownStyles()
    if info.file_size > MAX_STYLES_BYTES:
        raise TooLarge(f"the workbook's styles part unzips to {info.file_size:,} bytes: the limit is "
                       f"{MAX_STYLES_BYTES:,}")
    styles = archive.read(info)
    _refuse_dtd(styles, info.filename)
    if b"<!" in styles or styles.count(b"<?") > 1:  # a style inside them would be read as one
        raise NotAWorkbook(f"its part {info.filename} holds CDATA, a comment or a processing instruction, which "
                           f"laatool cannot check: open the workbook in a spreadsheet and save it again")
    formats = {}
    # the workbook's own formats are those of `<numFmts>`: a differential style's format, which
    # may reuse an id, is its own
    for tag in _tags(b"".join(content or b"" for _, content in
                              _elements(styles, b"numFmts", MAX_STYLES_BYTES, "a style")[0]), b"numFmt"):
        attributes = _attributes(tag.decode("utf-8", "replace"))
        if (number := _number_of(attributes.get("numFmtId", ""))) is not None:
            formats[number] = attributes.get("formatCode", "")
    shown = ShownStyles(formats=formats)
    cell_formats = _elements(styles, b"cellXfs", MAX_STYLES_BYTES, "a style")[0]
    for index, tag in enumerate(_tags(cell_formats[0][1] or b"", b"xf") if cell_formats else ()):
        if sections := _shown_by(_attributes(tag.decode("utf-8", "replace")), formats):
            shown.cells[index] = sections
    differential = _elements(styles, b"dxfs", MAX_STYLES_BYTES, "a style")[0]
    for index, (_, record) in enumerate(_elements(differential[0][1] or b"", b"dxf", MAX_STYLES_BYTES, "a style")[0]
                                        if differential else ()):
        shown.records[index] = record or b""
    return shown


def _differential_shown(record: bytes, formats: dict[int, str]) -> Sections | None:
    """How a differential style's number format (written whole in it: its id and its code)
    shows numbers, when otherwise than as themselves."""
    number = _tags(record, b"numFmt")
    return _shown_by(_attributes(number[0].decode("utf-8", "replace")), formats) if number else None


def _shown_by(attributes: dict[str, str], formats: dict[int, str]) -> Sections | None:
    """How a style's number format shows numbers (its `formatCode`, else its `numFmtId`'s: one
    of the workbook's `formats` or a built-in one), when that is otherwise than as themselves."""
    if (number := _number_of(attributes.get("numFmtId", "0"))) is None:
        return None
    code = attributes.get("formatCode") or formats.get(number) or BUILT_IN_FORMATS.get(number)
    sections = format_sections(code) if code else EVERY_SECTION if number in PERCENT_FORMATS else None
    return sections if sections is not None and set(sections.shown) | set(sections.zeros or ()) != {None} else None


def _number_of(text: str, signed: bool = False) -> int | None:
    """An id (an unsigned int: `+2` is 2) or, `signed`, a priority (an int) as a reader takes it;
    None for anything else (`²`, which Python takes for a digit)."""
    text = text.strip()
    return int(text) if (_SIGNED if signed else _IDENTIFIER).fullmatch(text) else None


def _tags(data: bytes, name: bytes) -> list[bytes]:
    """The attributes of each start tag `name` (with any prefix) of `data` in order, a quoted
    `>` among them, found in one pass; none after a tag that does not end."""
    opening = re.compile(rb"<(?:\w+:)?(?:" + name + rb")(?=[\s/>])")
    found, position = [], 0
    while (start := opening.search(data, position)) and (tag := _TAG_END.match(data, start.end())):
        found.append(data[start.end():tag.end() - 1].removesuffix(b"/"))
        position = tag.end()
    return found


def _shown_cells(styles: Mapping[int, Sections]) -> tuple[re.Pattern[bytes] | None, re.Pattern[bytes]]:
    """A style attribute naming one of the `styles`, and a number cell from its tag's start to
    its value: the style is found first (most cells are of other styles, and a search for it
    alone is quick), then the tag around it, wherever the style comes in it. When the first
    style is one of them, there is no style to search for (None): a cell written without one has it."""
    indices = b"|".join(str(index).encode() for index in sorted(styles))
    style = rb"s\s*=\s*[\"']\s*0*(?:" + indices + rb")\s*[\"']"  # a search from a letter, not a space, is quick
    # a cell written without a style has the first, the workbook's Normal style
    unstyled = rb"|(?![^>]*?\ss\s*=)" if 0 in styles else b""
    cells = re.compile(rb"<c\b(?:(?=[^>]*?\s" + style + rb")" + unstyled + rb")" + _TO_VALUE)
    return None if unstyled else re.compile(style), cells


def _shown_text(written: str, shown_styles: Mapping[int, Sections], tag: bytes) -> str | None:
    """What the sheet shows for the number `written` in its style (of `shown_styles`, named in its
    cell's `tag`), where that is not the number itself: the section of the style's format for
    the number's sign says how it is shown."""
    style = _STYLE_INDEX.search(tag)
    return shown_as(written, shown_styles.get(int(style[1]) if style else 0, EVERY_SECTION))  # no style: the first


# A conditional format (`<conditionalFormatting sqref="D2:D500">` after the sheet's cells, or
# Excel 2010's `<x14:conditionalFormatting>` in its `<extLst>`, its ranges in `<xm:sqref>`)
# gives the cells of its ranges that meet one of its rules (`<cfRule dxfId="k">`, or an
# `<x14:cfRule>` with its `<x14:dxf>` inside) a differential style: one with a number format
# shown otherwise (`#,##0,` for 628000 and over) shows those cells so, as a cell style would.
# Of the rules a cell meets, the first by priority with a number format decides how it is
# shown, and one marked `stopIfTrue` ends the search. A rule comparing the cell with numbers
# (`cellIs`) is worked out; any other (a formula, the top ten, ...) is taken as met when its
# format shows numbers otherwise, and as not met when it would show them as themselves or stop
# the search: the cell may be shown otherwise, and neither of its figures is read as certain.
# The elements are found by their names and ends in one pass (`_elements`): a pattern running
# from every unclosed start to the end of a piece took minutes over thousands of them.
_TAG_END = re.compile(rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")  # a tag's attributes to its end, quoted `>` too
_RANGE = re.compile(r"^\$?([A-Z]{0,3})\$?([0-9]{0,7})(?::\$?([A-Z]{0,3})\$?([0-9]{0,7}))?$")
MAX_CONDITIONAL_RANGES = 100  # ranges (by rule) of conditional formats a sheet may give number formats in
MAX_CONDITIONAL_RULES = 10_000  # ranges (by rule) with a number format or a stop, of any sheet
MAX_CONDITIONAL_BYTES = 4 * 1024 * 1024  # one conditional format's XML: Excel's are a few hundred bytes
MAX_COLUMNS = 16_384  # a spreadsheet's columns: a range of whole rows covers them all
_OPERATORS = {"lessThan": lt, "lessThanOrEqual": le, "equal": eq, "notEqual": ne, "greaterThanOrEqual": ge,
              "greaterThan": gt}


def _elements(data: bytes, name: bytes, most: int = MAX_CONDITIONAL_BYTES,
              what: str = "a conditional format") -> tuple[list[tuple[bytes, bytes | None]], int | None]:
    """Each element `name` (with any prefix) of `data` in order, its attributes and its content
    (None for an empty one, `<x/>`), found in one pass; and where one starts that `data` does
    not finish (None when all are finished). One of over `most` bytes (`what`), finished or
    not, is TooLarge."""
    opening = re.compile(rb"<(?:\w+:)?(?:" + name + rb")(?=[\s/>])")
    closing = re.compile(rb"</(?:\w+:)?(?:" + name + rb")\s*>")
    found: list[tuple[bytes, bytes | None]] = []
    position = 0
    while start := opening.search(data, position):
        tag = _TAG_END.match(data, start.end())
        empty = tag is not None and data[tag.end() - 2:tag.end()] == b"/>"
        close = None if tag is None or empty else closing.search(data, tag.end())
        end = tag.end() if tag and empty else close.end() if close else len(data)
        if end - start.start() > most:
            raise TooLarge(f"{what} of the workbook is over {most // (1024 * 1024)} MiB of XML: save the values in a "
                           f"CSV file")
        if tag is None or not (empty or close):
            return found, start.start()
        attributes = data[start.end():tag.end() - 1]
        found.append((attributes[:-1], None) if empty or close is None else
                     (attributes, data[tag.end():close.start()]))
        position = end
    return found, None


@dataclass(frozen=True)
class ConditionalFormat:
    """A rule of a conditional format with a number format (`sections`: how it shows numbers,
    None for as themselves) or that stops the search for more (`stops`)."""

    priority: int
    sections: Sections | None
    formatted: bool  # its style has a number format (`sections` None: one showing numbers as themselves)
    stops: bool = False
    operator: str | None = None  # of a `cellIs` rule with numbers to compare with; None: not worked out
    bounds: tuple[Decimal, ...] = ()

    def meets(self, value: Decimal | None) -> bool:
        """Whether a cell holding `value` meets the rule (one worked out: `operator`)."""
        if self.operator is None or value is None:
            return False
        if self.operator in ("between", "notBetween"):
            low, high = sorted(self.bounds)
            return (low <= value <= high) == (self.operator == "between")
        return _OPERATORS[self.operator](value, self.bounds[0])


@dataclass(frozen=True)
class ConditionalRange:
    """Cells a conditional format's rule may show otherwise: columns from 0, rows from 1."""

    first_column: int
    last_column: int
    first_row: int
    last_row: int
    rule: ConditionalFormat


class ConditionalFormats:
    """The ranges of a sheet's conditional formats whose rules have a number format or stop
    the search, looked up by a cell's column (most cells are in none of them)."""

    def __init__(self, ranges: list[ConditionalRange]) -> None:
        ranges = sorted(ranges, key=_first)
        self.wide = [kept for kept in ranges if kept.last_column - kept.first_column >= 64]
        self.narrow: dict[int, list[ConditionalRange]] = {}
        for kept in ranges:
            for column in range(kept.first_column, kept.last_column + 1) if kept not in self.wide else ():
                self.narrow.setdefault(column, []).append(kept)
        self._columns: dict[int, list[ConditionalRange]] = {}

    def of_column(self, column: int) -> list[ConditionalRange]:
        """The ranges in a column (from 0), the rule of the highest priority first."""
        if (ranges := self._columns.get(column)) is None:
            ranges = self._columns[column] = sorted(
                [*self.narrow.get(column, []), *(kept for kept in self.wide if
                                                 kept.first_column <= column <= kept.last_column)],
                key=_first)
        return ranges

    def cells(self) -> re.Pattern[bytes]:
        """The number cells (each with its reference) of the columns with ranges: searched for
        by their column in the reference, most cells are not looked at in Python at all."""
        if self.wide or len(self.narrow) > 200:
            return _NUMBER_CELL
        letters = b"|".join(_column_letters(column) for column in sorted(self.narrow))
        return re.compile(rb'<c\b(?=[^>]*?\sr\s*=\s*"(?i:' + letters + rb')[0-9]+")' + _TO_VALUE)

    def shown_by(self, row: int, column: int, written: str) -> tuple[bool, Sections | None]:
        """Whether a rule's number format decides how the number `written` in a cell is shown,
        and how (None: as itself); the number is read only for a cell in a range. The first met
        rule with a number format decides, and a met stop ends the search (the cell's own style
        then shows it). A rule not worked out is taken as met when its format shows this number
        otherwise, else passed over: it never hides another; after one that may stop the search,
        no format shows the number as itself for certain."""
        ranges = [kept for kept in self.of_column(column) if kept.first_row <= row <= kept.last_row]
        value = parse(as_spreadsheet_shows(written)) if ranges else None
        may_have_stopped = False
        for rule in (kept.rule for kept in ranges):
            if rule.operator is None:
                if rule.sections is not None and rule.sections.of(value) is not None:
                    return True, rule.sections
                may_have_stopped |= rule.stops
            elif rule.meets(value) and rule.formatted:
                return rule.sections is not None or not may_have_stopped, rule.sections
            elif rule.meets(value) and rule.stops:
                return False, None
        return False, None


def _first(kept: ConditionalRange) -> tuple[int, bool]:
    """The rule of the highest priority first; of two alike, the one showing numbers otherwise
    (whose order a reader may take either way: the figure is then not read as certain)."""
    return kept.rule.priority, kept.rule.sections is None


def _collect_conditional(data: bytes, sheet: Sheet, styles: ShownStyles) -> bytes:
    """Note the ranges of each whole conditional format in `data` (a piece of the sheet) with
    their rules that have a number format or stop the search (`Sheet.conditional`); the start
    of one cut off at the piece's end is given back, to come again before the next piece (at
    most MAX_CONDITIONAL_BYTES of it)."""
    blocks, unfinished = _elements(data, b"conditionalFormatting")
    for attributes, content in blocks:
        rules = [rule for rule_attributes, body in _elements(content or b"", b"cfRule")[0]
                 if (rule := _conditional_rule(rule_attributes, body, styles))]
        written = _attributes(html.unescape(attributes.decode("utf-8", "replace"))).get("sqref", "")
        written += " " + " ".join(html.unescape((ranges or b"").decode("utf-8", "replace"))
                                  for _, ranges in _elements(content or b"", b"sqref")[0])
        for cells in filter(None, map(_RANGE.match, written.upper().split() if rules else ())):
            first_column, first_row, last_column, last_row = cells.groups()
            if last_column is None and last_row is None:  # one cell
                last_column, last_row = first_column, first_row
            # `D42:D2` is `D2:D42`; a missing column is every column (`2:5`), a missing row every row
            left, right = sorted(column_number(letters.encode()) - 1 if letters else default
                                 for letters, default in ((first_column, 0), (last_column, MAX_COLUMNS - 1)))
            top, bottom = sorted(int(number) if number else default
                                 for number, default in ((first_row, 1), (last_row, MAX_XLSX_ROWS)))
            sheet.conditional += [ConditionalRange(left, right, top, bottom, rule) for rule in rules]
            if len(sheet.conditional) > MAX_CONDITIONAL_RULES:
                raise TooLarge(f"the sheet has over {MAX_CONDITIONAL_RULES:,} ranges of conditional formats with "
                               f"number formats: save the values in a CSV file")
    return data[unfinished:] if unfinished is not None else b""  # `_elements` held it to its size


def _conditional_formats(sheet: Sheet) -> ConditionalFormats | None:
    """The sheet's conditional formats to look its cells up in, when one of their rules may show
    numbers otherwise, or show as itself a number a cell style shows otherwise (None when none
    may: the cells are not read again)."""
    if not any(kept.rule.sections is not None or (kept.rule.formatted and sheet.exact)
               for kept in sheet.conditional):
        return None
    if sum(kept.rule.formatted for kept in sheet.conditional) > MAX_CONDITIONAL_RANGES:
        raise NotAWorkbook(f"the sheet gives number formats in over {MAX_CONDITIONAL_RANGES:,} ranges of "
                           f"conditional formats, which laatool cannot check: save the values in a CSV file")
    return ConditionalFormats(sheet.conditional)


def _conditional_rule(attributes_written: bytes, body: bytes | None, styles: ShownStyles) -> ConditionalFormat | None:
    """A `<cfRule>` whose style (named, or written inside it) has a number format, or that stops
    the search for more (`stopIfTrue`); else None."""
    attributes = _attributes(attributes_written.decode("utf-8", "replace"))
    style = _number_of(attributes.get("dxfId", ""))
    inline = _elements(body or b"", b"dxf")[0]
    record = (inline[0][1] or b"") if inline else styles.records.get(style) if style is not None else None
    formatted = record is not None and bool(_tags(record, b"numFmt"))
    stops = attributes.get("stopIfTrue", "").strip() in ("1", "true")
    if not formatted and not stops:
        return None
    sections = _differential_shown(record, styles.formats) if record else None
    # a priority a reader cannot take (missing, not a number) is the lowest: such a rule decides last
    priority = _number_of(attributes.get("priority", ""), signed=True)
    bounds = [parse(html.unescape(formula.decode("utf-8", "replace")).strip())
              for _, formula in _elements(body or b"", b"formula|f")[0] if formula is not None]
    operator = attributes.get("operator", "")
    known = (attributes.get("type") == "cellIs" and bounds and None not in bounds
             and len(bounds) >= (2 if operator in ("between", "notBetween") else 1)
             and (operator in _OPERATORS or operator in ("between", "notBetween")))
    return ConditionalFormat(2**63 if priority is None else priority, sections, formatted, stops,
                             operator if known else None, tuple(b for b in bounds if b is not None) if known else ())


# A cell from its tag's name (`<c`) to its value: its attributes, and its value's text
_TO_VALUE = rb"([^>]*?)(?<!/)>(?:\s|<f\b[^>]*/>|<f\b[^>]*>[^<]*</f\s*>)*<v(?:\s[^>]*)?>([^<]*)</v\s*>"
_NUMBER_CELL = re.compile(rb"<c\b" + _TO_VALUE)


def _scan_conditional(xml, sheet: Sheet, formats: ConditionalFormats) -> None:
    """Note each number cell whose showing a conditional format decides, as the sheet shows it,
    in place of anything noted for it before (a cell style's percentage that a rule shows as the
    number itself is read as that number). A number cell written without its place may be one
    of them: the file is refused, as for such a cell of a cell style."""
    shown_cells: dict[tuple[int, int], str] = {}  # by place: the text the sheet shows
    styled = {cell[:2] for cell in sheet.exact}  # noted before: a style's percentage, or many digits
    rest = b""
    cells = _NUMBER_CELL if sheet.cells_without_place else formats.cells()
    while True:
        chunk = xml.read(CHUNK)
        data = rest + chunk
        if chunk:
            data, rest = _whole(data)
        for cell in cells.finditer(data):
            if _NOT_A_NUMBER.search(cell[1]):
                continue
            if (ref := _REF.search(cell[1])) is None:
                raise _without_place(sheet, "conditional formats that show numbers otherwise and a number cell")
            if not formats.of_column(column := column_number(ref[1]) - 1):
                continue
            written = html.unescape(cell[2].decode("utf-8", "replace")).strip()
            place = (int(ref[2]), column)
            decided, sections = formats.shown_by(*place, written)
            if decided and (shown := shown_as(written, sections) if sections else None) is not None:
                shown_cells[place] = shown
                if len(shown_cells) >= MAX_EXACT_CELLS:  # before they are all held
                    raise _too_many_exact()
            elif decided and place in styled:  # shown as itself, whatever the cell's own style said
                shown_cells[place] = as_spreadsheet_shows(written)
        if not chunk:
            break
    sheet.exact = [cell for cell in sheet.exact if cell[:2] not in shown_cells]
    sheet.exact += [(row, column, text) for (row, column), text in shown_cells.items()]
    if len(sheet.exact) > MAX_EXACT_CELLS or sum(len(text) for *_, text in sheet.exact) > MAX_EXACT_BYTES:
        raise _too_many_exact()


_STYLE_INDEX = re.compile(rb"\ss\s*=\s*[\"']\s*([0-9]{1,9})\s*[\"']")


def _shown_matches(data: bytes, styles: re.Pattern[bytes] | None, cells: re.Pattern[bytes]):
    """Each number cell of `data` with a style of `_shown_styles` (`_shown_cells`), once. When
    the first style is one, every cell is looked at: those written without a style have it."""
    if styles is None:
        yield from cells.finditer(data)
        return
    last = -1
    for style in styles.finditer(data):
        start = data.rfind(b"<c", 0, style.start())
        if start <= last or data.find(b">", start) < style.start():  # not in a cell's tag, or the same cell
            continue
        last = start
        if cell := cells.match(data, start):
            yield cell


def _without_place(sheet: Sheet, what: str) -> NotAWorkbook:
    """NotAWorkbook for `what` (a number cell with many digits, ...) written without its place."""
    return NotAWorkbook(f"the sheet '{sheet.name}' holds {what} written without its place (the attribute r "
                        f"naming its cell, which a spreadsheet writes for every such cell)",
                        hint="open the workbook in a spreadsheet and save it again, or save the values in a CSV file")


def _too_many_exact() -> TooLarge:
    return TooLarge(f"the sheet holds over {MAX_EXACT_CELLS:,} numbers written with more digits than a spreadsheet "
                    f"reader keeps or formatted as percentages or in thousands: save the values as text, or in a CSV "
                    f"file")


def _keep_exact(sheet: Sheet, tag: bytes, text: str, exact_bytes: int, what: str) -> int:
    """Note a number cell's text to be read in place of the reader's (`Sheet.exact`), at the place
    its tag's reference gives; the bytes kept so far, with its own."""
    ref = _REF.search(tag)
    if ref is None:  # no place to put it: the row or column is inferred, so refuse rather than read it otherwise
        raise _without_place(sheet, f"a number cell {what}")
    exact_bytes += len(text)
    if len(sheet.exact) >= MAX_EXACT_CELLS or exact_bytes > MAX_EXACT_BYTES:
        raise _too_many_exact()
    sheet.exact.append((int(ref[2]), column_number(ref[1]) - 1, text))
    return exact_bytes


def _scan(xml, sheet: Sheet, styles: ShownStyles, shared: array | None = None) -> None:
    """Read the sheet's XML in pieces of whole rows: its extent, header row, error cells, the
    number cells a reader would not give back as written, and those of the `styles` that show
    numbers otherwise, and the ranges of its conditional formats that do; with the `shared`
    strings' lengths, the bytes of text its shared-text cells come to."""
    last_row = last_column = loose_rows = loose_cells = open_row_cells = exact_bytes = shared_bytes = 0
    # shared strings so short that no sheet within the cells limit can make much of them
    shared = shared if shared and max(shared) * MAX_CELLS > MAX_UNZIPPED_BYTES else None
    shown_styles = styles.cells
    shown_cells = _shown_cells(shown_styles) if shown_styles else None
    header: int | None = None
    rest = conditional_rest = b""
    first = True
    while True:
        chunk = xml.read(CHUNK)
        data = rest + chunk
        if chunk:
            data, rest = _whole(data)
        if first:
            first = False
            _refuse_dtd(data, getattr(xml, "name", f"of the sheet '{sheet.name}'"))
            dimension = _DIMENSION.search(data)
            if dimension:
                check_cells(int(dimension[2]), column_number(dimension[1]), max_rows=MAX_XLSX_ROWS)
        _refuse_unchecked(data, sheet)
        rows = _ROW.findall(data)
        if rows:
            last_row = max(last_row, max(map(int, rows)))
        cells = _CELL.findall(data)
        if cells and len(set(cells)) < len(cells):  # a reader keeps one of two cells with one place
            twice = next(ref for ref, count in Counter(cells).items() if count > 1)
            raise NotAWorkbook(f"the cell {twice[0].decode()}{int(twice[1])} of the sheet '{sheet.name}' is written "
                               f"twice: a reader would read only one of them", row=int(twice[1]),
                               hint="type the cell's value again in a spreadsheet and save the workbook, or correct "
                                    "the program that wrote it")
        if cells:  # each row's number once: a row's cells share it
            last_row = max(last_row, max(map(int, set(map(itemgetter(1), cells)))))
            last_column = max(last_column, max(map(column_number, set(map(itemgetter(0), cells)))))
        loose_rows += len(_ROW_WITHOUT_REF.findall(data))
        # Each cell tag's attributes are searched for its reference only when some tag has none
        # (Excel writes every one): most of the scan's time otherwise.
        # A row without a reference follows the one before it, a cell without one the cell before
        # it in its row: each such row is one more, and a row's such cells as many columns more
        # (counted row by row, a row cut between two pieces carried over).
        if data.count(b"<c ") + len(_CELL_TAG_START_NOT_SPACE.findall(data)) != len(cells):
            per_row = [len(_CELL_WITHOUT_REF.findall(row)) for row in data.split(b"</row>")]
            sheet.cells_without_place |= any(per_row)
        else:
            per_row = [0, 0] if b"</row>" in data else [0]
        per_row[0] += open_row_cells
        open_row_cells = per_row[-1]
        loose_cells = max(loose_cells, *per_row)
        check_cells(last_row + loose_rows, last_column + loose_cells, max_rows=MAX_XLSX_ROWS, so_far=True)
        if shared is not None:
            named, longest = _shared_bytes(data, shared)
            if longest > MAX_CELL_BYTES:
                raise TooLarge(f"a cell of the sheet holds a text of {longest:,} bytes, more than any return's "
                               f"cell holds ({MAX_CELL_BYTES:,} at the most)")
            shared_bytes += named
            if shared_bytes > MAX_UNZIPPED_BYTES:
                raise TooLarge(f"the sheet's cells hold more than {MAX_UNZIPPED_BYTES:,} bytes of text (each shared "
                               f"text as often as cells name it): the limit")
        for wrong in _SHARED_WRONG.finditer(data) if _SHARED_UNUSUAL.search(data) else ():
            if data[wrong.start() - 1:wrong.start()].isspace():  # the attribute `t`, not `xt`
                raise _wrong_cell(sheet, _cell_start(data, wrong.end()), f"is a shared text whose index, "
                                  f"'{_shown(wrong[1], unescape=False)}', is not a plain whole number: a reader "
                                  f"would read the workbook's first shared text in its place")
        if _AFTER_VALUE_UNUSUAL.search(data) and (after := _AFTER_VALUE_WRONG.search(data)):
            cell = _cell_start(data, after.start())
            raise _wrong_cell(sheet, cell, _two_values(data, after, cell))
        if header is None and (value := _VALUE_CELL.search(data)):
            header = int(value[1])
        for error in _ERROR_CELL.finditer(data) if b'"e"' in data else ():
            _error_cell(sheet, error[1], html.unescape(error[2].decode("utf-8", "replace"))[:100])
            sheet.unreadable_errors |= error[2] not in READER_ERRORS
        kinds = (_UNSTORED_CELL, _PLACEHOLDER_CELL) if sheet.placeholders else (_UNSTORED_CELL,)
        for formula in chain.from_iterable(kind.finditer(data) for kind in kinds) if b"<f" in data else ():
            # a text formula's empty result is a blank as meant, and its stored "0" a text
            if (formula.re is _PLACEHOLDER_CELL or formula[3]) and _NOT_A_NUMBER.search(formula[1]):
                continue
            text = html.unescape((formula[2] or b"").decode("utf-8", "replace")).strip()
            _error_cell(sheet, formula[1], f"={text[:100]}" if text else "=")
        for number in _LONG_VALUE.finditer(data):
            tag = _CELL_TAG.match(data, max(data.rfind(b"<c", 0, number.start()), 0))
            if tag and _NOT_A_NUMBER.search(tag[1]):  # text, a boolean, an error, a date written as text
                continue
            if tag and shown_cells and shown_cells[1].match(data, tag.start()):  # kept as the sheet shows it below
                continue
            exact_bytes = _keep_exact(sheet, tag[1] if tag else b"", as_spreadsheet_shows(html.unescape(
                number[1].decode("utf-8", "replace")).strip()), exact_bytes, "with many digits")
        for cell in _shown_matches(data, *shown_cells) if shown_cells else ():
            if _NOT_A_NUMBER.search(cell[1]):  # text, a boolean, an error, a date written as text
                continue
            written = html.unescape(cell[2].decode("utf-8", "replace")).strip()
            if (shown := _shown_text(written, shown_styles, cell[1])) is not None:
                exact_bytes = _keep_exact(sheet, cell[1], shown, exact_bytes,
                                          "formatted as a percentage or in thousands")
            elif _LONG_VALUE.search(cell[0]):  # its section shows the number itself: as the others are
                exact_bytes = _keep_exact(sheet, cell[1], as_spreadsheet_shows(written), exact_bytes,
                                          "with many digits")
        if conditional_rest or b"onditionalFormatting" in data:
            conditional_rest = _collect_conditional(conditional_rest + data, sheet, styles)
        for merge in _MERGED.finditer(data) if b"<mergeCell" in data else ():
            top, bottom = sorted((int(merge[2]), int(merge[4])))
            left, right = sorted((column_number(merge[1]) - 1, column_number(merge[3]) - 1))
            if bottom > top or right > left:
                if len(sheet.merged) == MAX_MERGED:
                    raise TooLarge(f"the sheet has more than {MAX_MERGED:,} merged ranges: the limit is {MAX_MERGED:,}")
                sheet.merged.append((top, left, bottom, right))
        if not chunk:
            break
    sheet.header_row = header or 1


def _refuse_unchecked(data: bytes, sheet: Sheet) -> None:
    """NotAWorkbook for XML the sheet's patterns do not read as a reader does (`_UNCHECKED`)."""
    problem = None
    if b"xmlns" in data:  # a prefix bound to SpreadsheetML, declared (at the root, mostly) ...
        sheet.prefixes.update(f"<{prefix.decode()}:".encode() for prefix in _PREFIXED.findall(data))
    if (b"!" in data or b"'" in data) and (found := _UNCHECKED.search(data)):
        if not found[0].startswith(b"<!"):
            tag = _CELL_START.match(data, found.start())
            if tag is None:
                problem = "quotes an attribute with ' where a spreadsheet writes \""
            else:
                raise _wrong_cell(sheet, tag, QUOTED_WITH_APOSTROPHE)
        else:
            problem = "holds CDATA or a comment"
    elif any(used in data for used in sheet.prefixes):  # ... and used for an element
        problem = "writes its element names with a namespace prefix (<x:c>)"
    elif _TAG_NOT_ENDED.search(data):  # no XML has it; the cell patterns would take minutes over a run of it
        problem = "has a tag with a '<' inside it before its end, which is not XML"
    if problem:
        raise NotAWorkbook(f"the sheet '{sheet.name}' {problem}, which laatool cannot check cell by cell",
                           hint="open the workbook in a spreadsheet and save it again, or save the sheet as CSV")


def _shown(text: bytes, unescape: bool = True) -> str:
    """A value's text as a finding quotes it, on one line: at most 40 characters, a line break
    or another character that does not print shown as Python writes it (`\\n`)."""
    shown = text.decode("utf-8", "replace")
    shown = html.unescape(shown) if unescape else shown
    shown = shown[:40] + "..." if len(shown) > 40 else shown
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in shown)


_CELL_START = re.compile(rb"<(?:\w+:)?c\b[^>]*>")
_QUOTED_REF = re.compile(rb"\sr\s*=\s*[\"']([A-Z]+)([0-9]+)[\"']")


def _cell_start(data: bytes, position: int) -> re.Match[bytes] | None:
    """The tag of the cell of `data` holding `position`, or None."""
    start = position
    while (start := data.rfind(b"<", 0, start)) >= 0:
        if data.startswith((b"<row", b"</row", b"</c>"), start):
            return None
        if tag := _CELL_START.match(data, start):
            return tag
    return None


def _two_values(data: bytes, wrong: re.Match[bytes], cell: re.Match[bytes] | None) -> str:
    """What is wrong with a `cell` holding a part after its value (`_AFTER_VALUE_WRONG`): the
    reader reads each in turn, so the last is what it gives (an empty one, or a formula, a blank)."""
    first = _VALUE_TEXT.search(data, cell.end() if cell else wrong.start(), wrong.end())
    held = _shown(_TEXT_MARKUP.sub(b"", first[2])) if first else ""
    if wrong[2] == b"f":
        return (f"holds its value {held or 'a blank'} before a formula, where the value comes last: a reader "
                f"would read it blank")
    second = _VALUE_TEXT.match(data, data.rfind(b"<", 0, wrong.start(2)))
    other = _shown(_TEXT_MARKUP.sub(b"", second[2])) if second else ""
    return (f"holds two values, {held or 'a blank'} and {other or 'a blank'}, where a cell holds one: a reader "
            f"would read only one of them")


def _wrong_cell(sheet: Sheet, cell: re.Match[bytes] | None, problem: str) -> NotAWorkbook:
    """NotAWorkbook for a `cell` (its tag) whose value a reader would not give back as written,
    naming it and its row."""
    hint = "type the cell's value again in a spreadsheet and save the workbook, or correct the program that wrote it"
    if cell and (ref := _QUOTED_REF.search(cell[0])):
        return NotAWorkbook(f"the cell {ref[1].decode()}{int(ref[2])} of the sheet '{sheet.name}' {problem}",
                            row=int(ref[2]), hint=hint)
    return NotAWorkbook(f"a cell of the sheet '{sheet.name}' written without its place {problem}", hint=hint)


def with_readable_errors(workbook: bytes, part: str) -> bytes:
    """The workbook with each error value of the sheet `part` that the reader cannot read
    (Excel 365's `#SPILL!`, `#CALC!` ..., which fail the whole workbook) written `#N/A`, which it
    reads: the cell is an error either way, reported (Y010) with its own text from the scan
    and its row left out. The other parts are copied as they are."""

    def readable(error: re.Match[bytes]) -> bytes:
        if error[2] in READER_ERRORS:
            return error[0]
        start, end = error.start(2) - error.start(), error.end(2) - error.start()
        return error[0][:start] + b"#N/A" + error[0][end:]

    written = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, _ERROR_CELL.sub(readable, data) if info.filename == part else data)
    return written.getvalue()


def _error_cell(sheet: Sheet, attributes: bytes, text: str) -> None:
    """Count an error cell (its tag's `attributes`) and keep its place and text, up to MAX_ERROR_CELLS."""
    sheet.error_count += 1
    if len(sheet.errors) < MAX_ERROR_CELLS:
        ref = _REF.search(attributes)
        where = (int(ref[2]), column_number(ref[1]) - 1) if ref else (None, None)
        sheet.errors.append((*where, text))


def _whole(data: bytes) -> tuple[bytes, bytes]:
    """`data` cut after its last whole row (else cell), else before the tag the last cell
    starts with, and the rest, which is kept under MAX_PIECE so that a giant row or text is not
    copied again with every piece. Never inside a cell: a cut after its `<v>` left its digits
    to the next piece, where no pattern saw them (a number of 16 million digits was the
    reader's `inf`, R305, not R321)."""
    for mark in (b"</row>", b"</c>"):
        end = data.rfind(mark)
        if end >= 0 and len(data) - end - len(mark) <= MAX_PIECE:
            return data[: end + len(mark)], data[end + len(mark):]
    start = data.rfind(b"<c")
    if start >= 0 and len(data) - start <= MAX_PIECE:
        return data[:start], data[start:]
    if len(data) > MAX_PIECE:
        raise TooLarge(f"the sheet holds a text of over {MAX_PIECE // (1024 * 1024)} MiB")
    return b"", data








