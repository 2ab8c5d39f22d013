"""The raw returns frame made canonical: ids and periods as DESIGN.md §3 says, statuses, and
numbers as written (§6.1), each worked out over the distinct texts of a column and mapped back
to its rows.

`normalise_returns` adds the canonical columns beside the raw ones (`laatool.load.returns`
reads them): `area_id`, `indicator_id`, `period_id`, `year_id`, `quarter`, `subtarget_id`,
`status_ok`, `provisional`, and the value as an exact decimal (`numbers`: `value_num`, with
`value_unparsed` where a filled-in cell is not a number, `value_beyond` past the limits and
`value_exact` where the frame cannot hold it). The other number columns are parsed as the
rules run, by `numbers`. `RowChoice` picks the rows a command reads before any of this, as
these expressions would judge them; `aligned` cuts a frame's columns into the same chunks.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from laatool.base import numbers as limits
from laatool.base.ids import (
    CALENDAR_PATTERN,
    LOCAL_ID_PATTERN,
    MAX_YEAR,
    MIN_YEAR,
    NI_PATTERN,
    WHITESPACE,
    YEAR_PATTERN,
    IdentifierError,
    agreement_year,
    normalise_indicator_id,
    parse_period,
)

DECIMAL = limits.FRAME
UNIT = 10 ** DECIMAL.scale  # the physical integer of a DECIMAL 1: `value.to_physical() % UNIT` is its fraction
# An Excel-style number with thousands separators, accepted and normalised: 1,234.5
THOUSANDS = r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$"  # a first group of 0 is a decimal comma: 0,375
NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"
# A cell DECIMAL may not hold exactly: an exponent, a digit other than 0 after the 10th place,
# or 28 digits before the point. Only such cells are looked at in Python.
NOT_HELD = r"[eE]|\.\d{10}\d*[1-9]|^[+-]?0*[1-9]\d{27}"


def aligned(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every column cut into the chunks of the most chunked one, without copying.

    polars reads a CSV in parallel pieces, so its columns come in chunks, while a column made
    afterwards comes in one. An expression over a frame whose columns are chunked differently
    first copies the whole frame into single chunks: on a national workspace a quarter of a
    second and 250 MB each time. Slices of a column are views, so cutting costs nothing.
    """
    if frame.width == 0:
        return frame
    lengths = max((column.chunk_lengths() for column in frame.iter_columns()), key=len)
    starts = [sum(lengths[:index]) for index in range(len(lengths))]
    columns = []
    for column in frame.iter_columns():
        if column.chunk_lengths() != lengths:
            whole = column.rechunk()
            column = pl.concat([whole.slice(start, length) for start, length in zip(starts, lengths, strict=True)],
                               rechunk=False)
        columns.append(column)
    return pl.DataFrame(columns)


def area_expr(column: str) -> pl.Expr:
    """An area as its slug would be: trimmed, in lower case (whether it is one, R316 decides)."""
    return pl.col(column).str.strip_chars(WHITESPACE).str.to_lowercase()


def indicator_expr(column: str) -> pl.Expr:
    """Canonical indicator id (`NI 154` or an upper-case local id), null if it does not parse."""
    text = pl.col(column).str.strip_chars(WHITESPACE)
    number = text.str.extract(NI_PATTERN, 1).cast(pl.Int64, strict=False)
    upper = text.str.to_uppercase()
    national = pl.format("NI {}", number)
    looks_national = upper.str.contains(r"^NI[ \-_]*[0-9]")
    return (
        pl.when(number.is_between(1, 199)).then(national)
        .when(looks_national).then(None)
        .when(upper.str.contains(LOCAL_ID_PATTERN)).then(upper)
        .otherwise(None)
    )


def period_expr(column: str) -> pl.Expr:
    """Canonical period (`2008-09`, `2008-09 Q1`, `2008`), null if it does not parse."""
    text = pl.col(column).cast(pl.String).str.strip_chars(WHITESPACE)
    first = text.str.extract(YEAR_PATTERN, 1).cast(pl.Int64, strict=False)
    end_text = text.str.extract(YEAR_PATTERN, 2)
    quarter = text.str.extract(YEAR_PATTERN, 3)
    end = end_text.cast(pl.Int64, strict=False)
    consecutive = pl.when(end_text.str.len_chars() == 4).then(end == first + 1).otherwise(end == (first + 1) % 100)
    year = pl.format("{}-{}", first, ((first + 1) % 100).cast(pl.String).str.zfill(2))
    calendar = text.str.extract(CALENDAR_PATTERN, 1).cast(pl.Int64, strict=False)
    in_range_year = first.is_between(MIN_YEAR, MAX_YEAR)
    return (
        pl.when(first.is_not_null() & consecutive & in_range_year)
        .then(pl.when(quarter.is_null()).then(year).otherwise(pl.format("{} Q{}", year, quarter)))
        .when(calendar.is_between(MIN_YEAR, MAX_YEAR)).then(calendar.cast(pl.String))
        .otherwise(None)
    )


def number_expr(column: str) -> pl.Expr:
    """A decimal from the text written; `1,234` is accepted; blank is null."""
    return _plain_number(column).cast(DECIMAL, strict=False)


def parse_numbers(text: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series, pl.Series]:
    """`number_expr` over a whole column; where a filled-in cell is not a number (R305); where
    it is beyond `laatool.base.numbers`' limits (R321, and null); and the exact text of a value
    within them that `DECIMAL` does not hold exactly (null elsewhere; the number is then
    `DECIMAL`'s nearest, or its largest for a value it cannot hold at all, so that it still
    counts as written, and only exact paths read the value).

    The slow paths are taken only when some cell needs them: spaces and thousands separators,
    and the few cells that `DECIMAL` may not hold (more than 10 places, an exponent, or 28
    digits before the point), which are looked at one by one.
    """
    rows = text.len()
    beyond = pl.repeat(False, rows, dtype=pl.Boolean, eager=True)
    exact = pl.repeat(None, rows, dtype=pl.String, eager=True)
    unparsed = text.is_not_null()
    if not unparsed.any():
        return pl.repeat(None, rows, dtype=DECIMAL, eager=True), unparsed, beyond, exact  # no Python list
    number = text.cast(DECIMAL, strict=False)
    unparsed &= number.is_null()
    plain = text
    if unparsed.any():
        plain = text.to_frame().select(_plain_number(text.name)).to_series()
        number = plain.cast(DECIMAL, strict=False)
        blank = text.str.strip_chars(WHITESPACE).fill_null("") == ""
        unparsed = ~blank & number.is_null()
    # Texts of HELD_CHARS or fewer without an exponent are all held (`may_be_inexact`), and
    # their lengths cost nothing to look at. One of them with an exponent has at most 8
    # significant digits, so if its last is beyond the 10th place it is below 0.01: only the
    # cells read as below 1 (or not read at all) are searched for an exponent.
    if (plain.str.len_bytes() > HELD_CHARS).any() or \
            plain.filter((number.abs() < 1).fill_null(True) & plain.is_not_null()).str.contains("[eE]").any():
        return _exact_numbers(plain, number, unparsed)
    return number, unparsed, beyond, exact


# A number text of this many characters or fewer without an exponent is held exactly by
# DECIMAL (`.00000000001`, the shortest that is not, is 12)
HELD_CHARS = 11


def may_be_inexact(text: pl.Expr) -> pl.Expr:
    """Whether a number text may be one DECIMAL does not hold exactly (`parse_numbers` then
    keeps its exact text): longer than HELD_CHARS, or with an exponent."""
    return (text.str.len_bytes() > HELD_CHARS) | text.str.contains("[eE]")


def _plain_number(column: str) -> pl.Expr:
    """The text of a number cell without spaces or thousands separators."""
    text = pl.col(column).str.strip_chars(WHITESPACE)
    return pl.when(text.str.contains(THOUSANDS)).then(text.str.replace_all(",", "", literal=True)).otherwise(text)


def _exact_numbers(plain: pl.Series, number: pl.Series,
                   unparsed: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series, pl.Series]:
    """`parse_numbers`' columns, with the cells `DECIMAL` may not hold read as `limits` reads
    them: the common one, a plain decimal written out to many places (a computed rate), in the
    frame (`_long_decimals`); the others (an exponent, 28 digits or more before the point, 40
    places or more, no point, more than 200 characters) one by one in Python."""
    marked = plain.str.contains(NOT_HELD) | (plain.str.len_bytes() > COUNTED_CHARS)
    positions = marked.fill_null(False).arg_true()
    cells = _long_decimals(pl.DataFrame({"at": positions, "cell": plain.gather(positions)}))
    beyond = cells.filter("beyond").get_column("at").to_list()
    exact, largest, zeros = [], [], []
    for position, cell in cells.filter(pl.col("read").not_()).select("at", "cell").iter_rows():
        value = limits.parse(cell)
        if value is None:  # a number too long, or with an exponent beyond Python's decimals, is beyond
            if re.fullmatch(NUMBER, cell) and limits.text_beyond(cell) is not None:
                beyond.append(position)
            continue
        if limits.beyond(value) is not None:
            beyond.append(position)
        elif not value:  # zero, whatever its exponent (polars reads `0e1000000`, not `0e99999999999`)
            zeros.append(position)
        elif not limits.fits_frame(value):
            exact.append((position, limits.exact_text(value)))
            if value.copy_abs() >= limits.FRAME_BELOW:
                largest.append(position)
    marks = pl.concat([cells.filter(pl.col("exact").is_not_null()).select("at", "exact"),
                       pl.DataFrame({"at": [p for p, _ in exact], "exact": [t for _, t in exact]},
                                    schema={"at": pl.UInt32, "exact": pl.String})])
    frame = pl.DataFrame({"number": number, "unparsed": unparsed}).with_row_index("at")
    biggest = limits.frame_lit(limits.FRAME_BELOW - 1, DECIMAL)
    frame = frame.join(marks, on="at", how="left", maintain_order="left").select(
        number=pl.when(pl.col("at").is_in(beyond)).then(None)
        .when(pl.col("at").is_in(largest))
        .then(pl.when(pl.col("exact").str.starts_with("-")).then(-biggest).otherwise(biggest))
        .when(pl.col("at").is_in(zeros)).then(limits.frame_lit(0, DECIMAL))
        .otherwise(pl.col("number")),
        unparsed=pl.col("unparsed") & ~pl.col("at").is_in(beyond + largest + zeros),
        beyond=pl.col("at").is_in(beyond),
        exact=pl.col("exact"),
    )
    return (frame.get_column("number").cast(DECIMAL), frame.get_column("unparsed"), frame.get_column("beyond"),
            frame.get_column("exact"))


# A text without an exponent in this many characters or fewer has at most MAX_DIGITS digits;
# a longer one may have more even when DECIMAL holds it (`1234567890123456789012.123456789`).
COUNTED_CHARS = limits.MAX_DIGITS + 1
# A plain decimal below 10^27 written to 39 places or fewer, in MAX_TEXT characters or fewer.
LONG_DECIMAL = r"^([+-]?)0*([1-9][0-9]{0,26})?\.([0-9]{1,39})$"


def _long_decimals(cells: pl.DataFrame) -> pl.DataFrame:
    """Cells written as `LONG_DECIMAL` read as `limits.parse`, `limits.beyond`,
    `limits.fits_frame` and `limits.exact_text` read them, over the whole column: whether it is
    `read` so, and then whether it is `beyond` the limits, else its `exact` text where DECIMAL
    does not hold it (more than 10 places: sign, whole part without leading zeros or "0",
    point, places without trailing zeros). A national file of values written out to 15
    places took 6 s one by one."""
    parts = pl.col("cell").str.extract_groups(LONG_DECIMAL)
    sign, whole, places = (pl.col("parts").struct.field(name) for name in ("1", "2", "3"))
    read = sign.is_not_null() & (pl.col("cell").str.len_bytes() <= limits.MAX_TEXT)
    fraction = places.str.strip_chars_end("0")
    zeros = fraction.str.len_bytes() - fraction.str.strip_chars_start("0").str.len_bytes()
    digits = (pl.when(whole.is_null()).then(fraction.str.len_bytes() - zeros)
              .when(fraction == "").then(whole.str.strip_chars_end("0").str.len_bytes())
              .otherwise(whole.str.len_bytes() + fraction.str.len_bytes()))
    beyond = read & ((digits > limits.MAX_DIGITS) | (whole.is_null() & (zeros >= -limits.MIN_EXPONENT)))
    text = pl.concat_str(pl.when(sign == "-").then(pl.lit("-")).otherwise(pl.lit("")), whole.fill_null("0"),
                         pl.lit("."), fraction)
    held = fraction.str.len_bytes() <= DECIMAL.scale
    return cells.with_columns(parts=parts).select(
        "at", "cell", read=read, beyond=beyond, exact=pl.when(read & ~beyond & ~held).then(text))


def numbers(raw: pl.DataFrame, names: list[str]) -> list[pl.Series]:
    """`<name>_num`, `<name>_unparsed`, `<name>_beyond` and `<name>_exact` (`parse_numbers`)
    of each number column named."""
    columns = []
    for name in names:
        number, unparsed, beyond, exact = parse_numbers(raw.get_column(name))
        columns += [number.alias(f"{name}_num"), unparsed.alias(f"{name}_unparsed"),
                    beyond.alias(f"{name}_beyond"), exact.alias(f"{name}_exact")]
    return columns


def _mapped(frame: pl.DataFrame, column: str, outputs: dict[str, pl.Expr]) -> list[pl.Series]:
    """Apply `outputs` to the distinct values of `column` only, then map them back.

    Ids, periods, areas and statuses repeat across a million rows with a few hundred distinct
    values; regular expressions over the distinct ones cost nothing. Mapping back costs a pass
    over the rows, so it is the cheapest that fits: an output that leaves every value as
    written (ids already canonical) is the column itself, with nulls filled; one that is the
    same for every value is a constant; a flag is a membership test; the rest are gathered
    by each row's position among the distinct values (found once, as an enum's codes).
    """
    distinct = frame.select(pl.col(column).unique()).with_columns(**outputs)
    source = frame.get_column(column)
    if distinct.height == 0:
        return [distinct.get_column(name) for name in outputs]
    written = distinct.get_column(column)
    present = written.is_not_null()
    codes = None
    mapped = []
    for name in outputs:
        values = distinct.get_column(name)
        on_null = values.filter(~present)
        fill = on_null[0] if len(on_null) else None  # what a blank cell gives
        if values.dtype == source.dtype and (~present | values.eq_missing(written)).all():
            column_values = source
        elif values.n_unique() == 1:
            column_values = pl.repeat(values[0], source.len(), dtype=values.dtype, eager=True)
        elif values.dtype == pl.Boolean and values.null_count() == 0:
            column_values = source.is_in(written.filter(present & values).implode())
        else:
            if codes is None:
                codes = source.cast(pl.Enum(written.filter(present))).to_physical()
            column_values = values.filter(present).gather(codes)
        mapped.append((column_values if fill is None else column_values.fill_null(fill)).alias(name))
    return mapped


@dataclass(frozen=True)
class RowChoice:
    """The returns rows a command reads (`benchmark` with one year and its indicators named),
    chosen on the rows as written, before they are normalised: normalising a national
    workspace's million rows takes more than half as long again as reading them."""

    indicators: tuple[str, ...]  # canonical ids
    year: str  # an agreement year, `2009-10`

    @classmethod
    def of(cls, indicators: list[str] | None, period: str | None) -> RowChoice | None:
        """The rows of these indicators (as typed) in this year, or None (every row) when
        either is missing or does not parse, or the period is a quarter."""
        if not indicators or period is None:
            return None
        try:
            ids = tuple(sorted({normalise_indicator_id(text) for text in indicators}))
            parsed = parse_period(period)
        except IdentifierError:
            return None
        return None if parsed.quarter else cls(ids, str(parsed.agreement_year))

    def rows(self, raw: pl.DataFrame) -> pl.DataFrame:
        """The chosen rows of `raw`, and the first row of every area it names, so that the
        areas with returns are still all there (the rows normalise one by one, so each is
        what it would be among them all). Each column's distinct texts are judged once, as
        `normalise_returns` would normalise them. An indicator or period that does not parse
        (or is blank) may be one of those chosen: its rows are kept, to be checked."""
        indicator, period = indicator_expr("indicator"), period_expr("period")
        indicators = (raw.select(pl.col("indicator").unique())
                      .filter(indicator.is_in(self.indicators) | indicator.is_null()).to_series())
        periods = (raw.select(pl.col("period").unique())
                   .filter((agreement_year(period) == self.year) | period.is_null()).to_series())
        chosen = (pl.col("indicator").is_in(indicators.implode(), nulls_equal=True)
                  & pl.col("period").is_in(periods.implode(), nulls_equal=True))
        return raw.filter(chosen.fill_null(False) | pl.col("area").is_first_distinct())


def normalise_returns(raw: pl.DataFrame) -> pl.DataFrame:
    """Add canonical columns beside the raw ones; keeps every row (findings come from both).

    Each raw column is normalised on its own, two at a time: polars does the work outside the
    interpreter lock, so two threads keep both of a small machine's cores busy."""
    blank = lambda c: pl.when(pl.col(c).str.strip_chars(WHITESPACE) == "").then(None).otherwise(pl.col(c))  # noqa: E731
    status = pl.col("status").str.strip_chars(WHITESPACE).str.to_lowercase()
    period = period_expr("period")
    parts = [
        ("area", {"area_id": area_expr("area")}),
        ("indicator", {"indicator_id": indicator_expr("indicator")}),
        ("period", {
            "period_id": period,
            "year_id": agreement_year(period),
            "quarter": period.str.extract(r"Q([1-4])$", 1).cast(pl.Int8),
        }),
        ("subtarget", {"subtarget_id": blank("subtarget").str.strip_chars(WHITESPACE)}),
        # final (the default when blank) or provisional; anything else is R317
        ("status", {"status_ok": status.is_null() | status.is_in(["", "final", "provisional"]),
                    "provisional": (status == "provisional").fill_null(False)}),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        values = pool.submit(numbers, raw, ["value"])
        columns = [column for mapped in pool.map(lambda part: _mapped(raw, *part), parts) for column in mapped]
        columns += values.result()
    return aligned(raw.hstack(columns))
