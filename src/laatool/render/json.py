"""JSON output: exact decimals as JSON numbers, keys in the order the contract gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from laatool.render.values import decimal_text

if TYPE_CHECKING:
    import polars as pl

# A Decimal goes through the encoder as a string between two marks, taken out afterwards with
# its quotes. No other string can begin or end with them: YAML refuses control characters, CSV
# refuses NUL, and what a returns cell gives the outputs is a checked id or inside a message.
_START, _END = "\u0000\u0001", "\u0001\u0000"
_START_IN_JSON, _END_IN_JSON = '"\\u0000\\u0001', '\\u0001\\u0000"'


def dumps(document: Any) -> str:
    """Compact JSON on one line, a Decimal written as its exact number text.

    The standard encoder cannot write a number it did not format itself, so each Decimal goes
    through as a marked string and the marks and quotes around it are taken out afterwards.
    One line keeps the encoder in C (indenting drops it to pure Python, ten times slower on a
    national report); `jq .` pretty-prints it.
    """
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=_marked)
    return text.replace(_START_IN_JSON, "").replace(_END_IN_JSON, "") + "\n"


def _marked(value: Any) -> str:
    if isinstance(value, Decimal):
        return _START + decimal_text(value) + _END
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_objects(frame: pl.DataFrame, columns: list[str], numbers: tuple[str, ...] = ()) -> pl.Expr:
    """Each row of `frame` as the JSON object `dumps` writes for it (the given columns, in that
    order), made by polars; its decimals are still between the marks `joined_rows` takes out.
    The columns named in `numbers` hold exact number texts, written as JSON numbers too."""
    import polars as pl

    def ready(column: pl.Expr, dtype: Any) -> pl.Expr:
        if isinstance(dtype, pl.Struct):  # an object: each field made ready, null kept null
            fields = [ready(column.struct.field(f.name), f.dtype).alias(f.name) for f in dtype.fields]
            return pl.when(column.is_not_null()).then(pl.struct(fields))
        if not isinstance(dtype, pl.Decimal):
            return column
        text = column.cast(pl.String)
        if dtype.scale:  # polars writes every place: `8.6000000000` -> `8.6`, `100.00` -> `100`
            text = text.str.strip_chars_end("0").str.strip_chars_end(".")
        return pl.lit(_START) + pl.when(text == "-0").then(pl.lit("0")).otherwise(text) + pl.lit(_END)

    def number(name: str) -> pl.Expr:
        return pl.lit(_START) + pl.col(name) + pl.lit(_END)

    return pl.struct([(number(c) if c in numbers else ready(pl.col(c), frame.schema[c])).alias(c)
                      for c in columns]).struct.json_encode()


def joined_rows(encoded: pl.LazyFrame, group: str) -> pl.LazyFrame:
    """`group` and, for each of its values, the JSON texts in `row` (in the frame's order) joined
    by commas, with the marks around decimals taken out."""
    import polars as pl

    return (encoded.group_by(group, maintain_order=True).agg(pl.col("row").str.join(","))
            .with_columns(pl.col("row").str.replace_all(_START_IN_JSON, "", literal=True)
                          .str.replace_all(_END_IN_JSON, "", literal=True)))


def encoded_rows(frame: pl.DataFrame, group: str, columns: list[str]) -> pl.DataFrame:
    """`group` and, for each of its values, the JSON of its rows (the given columns, in the
    frame's order) joined by commas, written as `dumps` writes them, by polars."""
    return joined_rows(frame.lazy().select(group, row=json_objects(frame, columns)), group).collect()


def area_pieces(areas: list[str], rows: pl.DataFrame) -> Iterator[tuple[str, str]]:
    """Each area with the joined JSON of its rows ("" for an area with none), taken one area at
    a time from `rows`, a frame of `joined_rows` (the area column first, then `row`)."""
    position = {area: index for index, area in enumerate(rows.get_column(rows.columns[0]))}
    joined = rows.get_column("row")
    for area in areas:
        yield area, joined[position[area]] if area in position else ""
