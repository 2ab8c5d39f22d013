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
# its quotes. Input text may hold the same characters, so the marks are taken out only when the
# text holds exactly one pair for each Decimal, all of them ours; otherwise (a name or message
# with those control characters) the document is written by `_written`, more slowly.
_START, _END = "\u0000\u0001", "\u0001\u0000"
_START_IN_JSON, _END_IN_JSON = '"\\u0000\\u0001', '\\u0001\\u0000"'


def dumps(document: Any) -> str:
    """Compact JSON on one line, a Decimal written as its exact number text.

    The standard encoder cannot write a number it did not format itself, so each Decimal goes
    through as a marked string and the marks and quotes around it are taken out afterwards.
    One line keeps the encoder in C (indenting drops it to pure Python, ten times slower on a
    national report); `jq .` pretty-prints it. Every string is written by the encoder, so no
    text can change the document's structure.
    """
    decimals = 0

    def marked(value: Any) -> str:
        nonlocal decimals
        if isinstance(value, Decimal):
            decimals += 1
            return _START + decimal_text(value) + _END
        raise TypeError(f"{type(value).__name__} is not JSON")

    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=marked)
    if text.count(_START_IN_JSON) != decimals or text.count(_END_IN_JSON) != decimals:
        return _written(document) + "\n"
    return text.replace(_START_IN_JSON, "").replace(_END_IN_JSON, "") + "\n"


def _written(value: Any) -> str:
    """`value` as `dumps` writes it, each string and each other scalar by the encoder."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_written(str(key))}:{_written(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_written(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def json_objects(frame: pl.DataFrame, columns: list[str], numbers: tuple[str, ...] = ()) -> pl.Expr:
    """Each row of `frame` as the JSON object `dumps` writes for it (the given columns, in that
    order), made by polars: each value by polars' JSON encoder (a one-field object, its braces
    and key taken off), a decimal as its exact number text, a struct as an object of its
    fields written the same way (null when it is null). The columns named in `numbers` hold
    exact number texts, written as JSON numbers too."""
    import polars as pl

    def value(name: str, column: pl.Expr, dtype: Any) -> pl.Expr:
        if name in numbers:
            return pl.when(column.is_null()).then(pl.lit("null")).otherwise(column)
        if isinstance(dtype, pl.Struct):
            fields = [(f.name, column.struct.field(f.name), f.dtype) for f in dtype.fields]
            return pl.when(column.is_null()).then(pl.lit("null")).otherwise(json_object(fields))
        if not isinstance(dtype, pl.Decimal):
            field = json.dumps(name, ensure_ascii=False)
            return pl.struct(column.alias(name)).struct.json_encode().str.slice(len(field) + 2).str.strip_suffix("}")
        text = column.cast(pl.String)
        if dtype.scale:  # polars writes every place: `8.6000000000` -> `8.6`, `100.00` -> `100`
            text = text.str.strip_chars_end("0").str.strip_chars_end(".")
        return pl.when(column.is_null()).then(pl.lit("null")).otherwise(
            pl.when(text == "-0").then(pl.lit("0")).otherwise(text))

    def json_object(fields: list[tuple[str, pl.Expr, Any]]) -> pl.Expr:
        pieces: list[pl.Expr] = []
        for index, (name, column, dtype) in enumerate(fields):
            pieces += [pl.lit(("{" if index == 0 else ",") + json.dumps(name, ensure_ascii=False) + ":"),
                       value(name, column, dtype)]
        return pl.concat_str(pieces + [pl.lit("}")]) if pieces else pl.lit("{}")

    return json_object([(name, pl.col(name), frame.schema[name]) for name in columns])


def joined_rows(encoded: pl.LazyFrame, group: str) -> pl.LazyFrame:
    """`group` and, for each of its values, the JSON texts in `row` (in the frame's order) joined
    by commas."""
    import polars as pl

    return encoded.group_by(group, maintain_order=True).agg(pl.col("row").str.join(","))


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
