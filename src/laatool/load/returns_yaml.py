"""A YAML returns file (a list of rows, each a mapping of the returns columns) read within
the YAML limits, each row's line kept for its findings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from laatool.base.findings import Finding, Severity
from laatool.base.rule import FindingsByRow
from laatool.base.suggest import did_you_mean
from laatool.base.text import excerpt
from laatool.load.normalise import area_expr
from laatool.load.reading_rules import Y007
from laatool.load.returns_table import (
    KEPT_COLUMNS,
    NUMBER_COLUMNS,
    REQUIRED_RETURN_COLUMNS,
    RETURN_COLUMNS,
    Unreadable,
    long_columns,
    without_long_cells,
)
from laatool.load.schema_rules import S001, S002, S003

if TYPE_CHECKING:
    from laatool.load.yamlio import Located


def _yaml_cell(value: object, column: str, located: Located, path: tuple) -> str | None:
    """A YAML returns value as a table's cell: a number in a number column as its exact
    decimal's text; any other scalar as written, since YAML's reading of it is no cell's (`yes`
    is no true, `subtarget: 01` no number 1, `period: 2009` no number)."""
    if value is None or isinstance(value, str):
        return value
    if column in NUMBER_COLUMNS and not isinstance(value, bool):
        return str(value)
    return located.written(path) or str(value)


def read_yaml_returns(path: Path, rel: str, root: Path | None,
               kept: tuple[str, ...] = KEPT_COLUMNS) -> tuple[pl.DataFrame | None, list[Finding]]:
    from laatool.load.documents import read_yaml

    located, findings = read_yaml(path, rel, root)
    if located is None:
        if findings and findings[0].code == Y007.code:
            return None, [Y007.finding("the file is empty: it holds no returns", file=rel, line=1, column=1,
                                       severity=Severity.WARNING)]
        raise Unreadable(findings[0])
    data = located.data
    if not isinstance(data, list):
        raise Unreadable(S003.finding("a YAML returns file must be a list of mappings, one per value",
                                       file=rel, line=1, column=1))
    records, problems = [], FindingsByRow()
    written_area: dict[int, str] = {}  # the area each finding's item names (its index in `problems.found`)
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
        first_finding = len(problems.found)
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
        # the item's findings stop the area it names alone (`Finding.area`), as a table row's do
        areas = [value for key, value in item.items() if column_of[key] == "area"]
        if len(areas) == 1 and isinstance(areas[0], str):
            written_area.update(dict.fromkeys(range(first_finding, len(problems.found)), areas[0]))
        if twice or missing or several:
            continue
        # an unknown key is left out, as a table's unknown column is: the row is read, and checked
        record: dict[str, str | int | None] = {
            column_of[key]: _yaml_cell(value, column_of[key], located, (index, key)) for key, value in item.items()
            if key not in unknown}
        record["row"] = mark.line
        records.append(record)
    if written_area:
        texts = sorted(set(written_area.values()))
        slugs = dict(zip(texts, pl.DataFrame({"area": texts}).select(area_expr("area")).to_series(), strict=True))
        problems.found = [replace(finding, area=slugs[written_area[index]] or None) if index in written_area
                          else finding for index, finding in enumerate(problems.found)]
    frame = pl.DataFrame(records, schema={**{c: pl.String for c in RETURN_COLUMNS}, "row": pl.Int64})
    frame, long_cells = without_long_cells(frame.with_columns(file=pl.lit(rel, pl.String)), rel, long_columns(frame))
    return frame.select(*kept, "file", "row"), problems.capped() + long_cells
