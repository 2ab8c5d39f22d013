"""A returns table as every reader makes it: the columns of DESIGN.md §4.3 and their limits,
the raw schema (every cell as the text written, with `file` and `row`), and the header and rows
tidied into it (`tidy`) — names checked, blank rows and cells over their limits left out, a title
above the header found."""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

import polars as pl

from laatool.base import numbers as limits
from laatool.base.findings import MAX_PER_FILE, Finding
from laatool.base.ids import (
    WHITESPACE,
    IdentifierError,
    normalise_indicator_id,
    parse_period,
)
from laatool.base.rule import capped
from laatool.base.suggest import did_you_mean
from laatool.base.text import MAX_NAME_CHARS, MAX_TEXT_CHARS, excerpt
from laatool.load.normalise import NUMBER, area_expr
from laatool.load.reading_rules import Y009
from laatool.load.schema_rules import S001, S002, S003

# Names of the lock files a spreadsheet (`~$returns.xlsx`) or an editor (`.#returns.csv`) keeps
# beside a file while it is open: no returns in them (Y015).
LOCK_FILE_PREFIXES = ("~$", ".#")
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


class Unreadable(Exception):
    """A file a reader stops at: the finding says why (`laatool.load.returns.read_returns_file`
    gives it in place of the file's rows)."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding


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


def holds_blank_rows(frame: pl.DataFrame) -> bool:
    """Whether a row of the frame is blank (`_blank_row`), left out as in a workbook. Only rows
    whose first cell is blank can be: the others are not looked at again."""
    if frame.width == 0:
        return False
    candidates = frame.filter(_blank_cell(*next(iter(frame.schema.items()))))
    return bool(candidates.select(_blank_row(candidates.schema).any()).item())


# Rows searched for the header when the first row with anything in it is not the header.
TITLE_ROWS = 20


def holds_header(cells: list | tuple) -> bool:
    """Whether the cells of a row name every required column."""
    return set(REQUIRED_RETURN_COLUMNS) <= {str(cell).strip(WHITESPACE).lower() for cell in cells if cell is not None}


def header_below(frame: pl.DataFrame, names: list[str], first_row: int) -> int | None:
    """The row, of the first TITLE_ROWS under the header row (`names`; the frame's first row is
    `first_row`), that names every required column, when the header row does not: the header
    then sits below a title or notes."""
    if holds_header(names):
        return None
    for index, cells in enumerate(frame.head(TITLE_ROWS).iter_rows()):
        if holds_header(cells):
            return first_row + index
    return None


def title_finding(rel: str, header_row: int, below: int) -> Finding:
    """S002 for a header below a title: the header is the first row with anything in it."""
    return S002.finding(f"row {header_row}, the first with anything in it, is taken for the header, but the column "
                        f"names are in row {below}", file=rel, row=header_row,
                        hint=f"delete the rows above row {below} (a title or notes), so that the column names are the "
                             "first row")


def column_letters(column: int) -> str:
    """`B` for the column numbered 1 (from 0)."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def without_unnamed(frame: pl.DataFrame, names: list[str], rel: str, header_row: int,
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
                f"column {column_letters(places[index])} holds values but has no name in the header (row {header_row})",
                file=rel, row=header_row,
                hint=f"name it as one of the columns ({', '.join(RETURN_COLUMNS)}), or delete the column"))
    dropped = set(unnamed)
    named = [index for index in range(frame.width) if index not in dropped]
    return frame.select(frame.columns[index] for index in named), [names[index] for index in named], capped(findings)


def header_problems(columns: list, rel: str, header_row: int) -> list[Finding]:
    """What a returns table's header says wrong: a column name over the limit (Y009, alone),
    a column twice (S003), unknown (S001) or missing (S002). Names match trimmed, in any case."""
    too_long = [name for name in columns if len(str(name)) > MAX_NAME_CHARS]
    if too_long:
        return [Y009.finding(f"a column name of {len(str(too_long[0])):,} characters, over the limit of "
                             f"{MAX_NAME_CHARS:,}", file=rel, row=header_row)]
    findings = []
    written = Counter(str(name).strip().lower() for name in columns)
    seen = set(written)
    if (no_header := missing_header(columns, rel, header_row)) is not None:
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


def missing_header(cells: list, rel: str, row: int) -> Finding | None:
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


def one_value_a_cell(frame: pl.DataFrame, rel: str) -> pl.DataFrame:
    """A Parquet file's frame, once no column of the returns (`note` too, which only `report`
    reads) holds lists: an Unreadable naming the first that does, which no reading of the
    file would make one value of (a struct is shown as its text, and is no number)."""
    for name, kind in frame.schema.items():
        if str(name).strip().lower() in RETURN_COLUMNS and isinstance(kind, pl.List | pl.Array):
            raise Unreadable(S003.finding(f"column '{excerpt(str(name), 40)}' holds lists, not one value a cell",
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


def doubles_as_shown(frame: pl.DataFrame) -> pl.DataFrame:
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


def as_raw(frame: pl.DataFrame, rel: str, first_row: int, *, header_row: int = 1,
          blank_rows: bool = False, kept: tuple[str, ...] = KEPT_COLUMNS,
          names: list[str] | None = None) -> tuple[pl.DataFrame | None, list[Finding]]:
    """Check the header (`names`, as written, of the frame's columns in order; else the
    frame's own), then give the frame the raw schema with file and row.

    Rows number from `first_row`; with `blank_rows`, rows with every cell empty (a
    spreadsheet's blank rows) are then left out, so the others keep the sheet's numbers.
    A cell longer than its limit (`TEXT_LIMITS`) is a finding and its row is left out.
    """
    names = frame.columns if names is None else names
    findings = header_problems(names, rel, header_row)
    if findings and findings[0].code == Y009.code:
        return None, findings
    seen = {str(name).strip().lower() for name in names}
    missing = [name for name in REQUIRED_RETURN_COLUMNS if name not in seen]
    if missing or len(seen) != len(names):
        return None, of_one_area(findings, frame, names)
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


def of_one_area(findings: list[Finding], frame: pl.DataFrame, names: list[str]) -> list[Finding]:
    """The findings of a table refused for its header (a column missing or named twice), each
    given the area its rows name when they all name one (`Finding.area`): a file of one area's
    rows stops that area alone, as its rows' own errors would, and a district council's stops
    none. A file of several areas' rows, or with no one `area` column, may be anyone's."""
    at = [index for index, name in enumerate(names) if str(name).strip().lower() == "area"]
    if len(at) != 1 or not findings:
        return findings
    areas = (frame.get_column(frame.columns[at[0]]).cast(pl.String).alias("area").to_frame()
             .select(area_expr("area").unique()).filter(pl.col("area").is_not_null() & (pl.col("area") != "")))
    if areas.height != 1:
        return findings
    return [replace(finding, area=areas.item()) for finding in findings]


def row_text_finding(rel: str, row: int, name: str, message: str) -> Finding:
    """Y009 at a table's row, or a YAML returns file's line."""
    if rel.lower().endswith((".yaml", ".yml")):
        return Y009.finding(message, file=rel, line=row, field=name)
    return Y009.finding(message, file=rel, row=row, field=name)
