"""R: how the returns rules are run (`RowRule`, `DuplicateRule`), the expressions they share,
and how their offending rows become findings (`cap`, `row_finding`, `summary_finding`)."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from laatool.base.findings import MAX_PER_FILE, Finding
from laatool.base.ids import WHITESPACE
from laatool.base.rule import Rule
from laatool.base.text import excerpt

# What makes two rows returns of the same figure: the year a period counts towards and its quarter,
# as the actuals read them, so `2010` written for a financial-year indicator (R310) and `2010-11`
# are two returns for 2010-11, never two figures of which the first read would count.
KEYS = ["area_id", "indicator_id", "subtarget_id", "year_id", "quarter"]
col = pl.col
known = col("known").fill_null(False)
area_ok = col("area_ok")  # the area id is a slug (looked up per distinct area)
quarter = col("quarter").is_not_null()
calendar = col("period_id").str.len_bytes() == 4  # a canonical period: 2008, 2008-09 or 2008-09 Q1
later_duplicate = (col("copies") > 1) & (col("index") != col("first_index"))


class RowRule(Rule):
    """The R row rules' contract: a rule over returns rows. `conditions()` maps a field to its offending mask.

    A rule whose conditions need rows compared with each other (the duplicates) gives a
    `screen()` too: a mask over each row alone that is true wherever a condition may be. The
    batches keep the rows it marks, and the conditions are decided on those few rows.
    """

    field: ClassVar[str] = "value"

    @classmethod
    def conditions(cls) -> dict[str, pl.Expr]:
        return {cls.field: cls.offending()}

    @classmethod
    def screen(cls) -> pl.Expr | None:
        return None

    @classmethod
    def offending(cls) -> pl.Expr:
        raise NotImplementedError

    @classmethod
    def message(cls, row: dict[str, Any], field: str) -> str:
        raise NotImplementedError

    @classmethod
    def exact(cls, row: dict[str, Any]) -> dict[str, bool] | None:
        """For a rule that compares numbers: its conditions decided in Python on a row holding
        a number the frame does not hold exactly (`<column>_exact`), from the exact values."""
        return None


class DuplicateRule(RowRule):
    """A row rule comparing a row with the rows of the same key; it is decided on the rows
    whose key may be another's (`maybe_duplicate`, worked out over all rows)."""

    @classmethod
    def screen(cls) -> pl.Expr:
        return col("maybe_duplicate")


QUOTED = 80  # the most of a cell a message quotes


def _cut(text: str) -> tuple[str, str]:
    """A cell's text as a message quotes it, and what to say after it: whole, or cut to its
    start and end (QUOTED characters) with its length after (a number cell has no length
    limit of its own, R321 says it is too long: ten million digits are a line, not 10 MB)."""
    return (text, "") if len(text) <= QUOTED else (excerpt(text, QUOTED), f" ({len(text):,} characters)")


def cell(text: object) -> str:
    """A number cell as a message writes it (`_cut`), without quotes, and without the spaces
    around it, which reading it leaves out (`0.981   ` is 0.981)."""
    piece, length = _cut(str(text).strip(WHITESPACE))
    return piece + length


def shown(text: object) -> str:
    """A cell as a message quotes it (`_cut`): `blank`, or its text in quotes."""
    if text is None:
        return "blank"
    piece, length = _cut(str(text))
    return repr(piece) + length


def cap(findings_frame: pl.DataFrame) -> pl.DataFrame:
    """Keep the first MAX_PER_FILE rows of each file (by row, then field)."""
    return (
        findings_frame.sort("file", "row", "field")
        .with_columns(rank=pl.int_range(pl.len()).over("file"), total=pl.len().over("file"))
        .filter(pl.col("rank") < MAX_PER_FILE)
    )


YAML_FILES = (".yaml", ".yml")  # a returns file placed by line, not by row


def row_finding(rule: type[Rule], message: str, file: str, row: int, field: str) -> Finding:
    """A finding at a returns row: its line in a YAML file, its spreadsheet row otherwise."""
    if file.lower().endswith(YAML_FILES):
        return rule.finding(message, file=file, line=row, field=field)
    return rule.finding(message, file=file, row=row, field=field)


def place(file: str, row: int) -> str:
    """Where a returns row is, for a message in another file: a YAML file's line, a table's row."""
    return f"{file} {'line' if file.lower().endswith(YAML_FILES) else 'row'} {row}"


def place_expr() -> pl.Expr:
    """`place` over a frame of returns rows (`file`, `row`)."""
    yaml_file = pl.any_horizontal(pl.col("file").str.to_lowercase().str.ends_with(suffix) for suffix in YAML_FILES)
    return pl.format("{} {} {}", pl.col("file"), pl.when(yaml_file).then(pl.lit("line")).otherwise(pl.lit("row")),
                     pl.col("row"))


def summary_finding(rule: type[Rule], file: str, total: int) -> Finding:
    return rule.finding(f"{total - MAX_PER_FILE:,} more rows of this file break {rule.code} "
                        f"(only the first {MAX_PER_FILE:,} are listed)", file=file)


def is_blank(text: str | None) -> bool:
    """A cell empty or of spaces alone: blank, as a blank value is (only a row blank in every
    cell is left out)."""
    return text is None or not text.strip(WHITESPACE)
