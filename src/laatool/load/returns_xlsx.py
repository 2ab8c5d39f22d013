"""An XLSX returns sheet read as the sheet shows it: measured first (`laatool.load.table_files`),
then read by fastexcel with its numbers as written, its merged cells and error cells found, its
header below any title rows."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import polars as pl

from laatool.base.findings import Finding, Severity
from laatool.base.inputs import read_input
from laatool.base.rule import capped
from laatool.load.reading_rules import Y007
from laatool.load.returns_table import (
    KEPT_COLUMNS,
    MAX_TABLE_BYTES,
    RETURN_COLUMNS,
    as_raw,
    column_letters,
    header_below,
    of_rows_left_out,
    title_finding,
    without_unnamed,
)
from laatool.load.table_files import (
    MAX_COLUMNS,
    MAX_ERROR_CELLS,
    Sheet,
    inspect_xlsx,
    with_readable_errors,
)
from laatool.load.table_rules import Y010, Y011, Y016


def read_xlsx_returns(path: Path, rel: str,
                      kept: tuple[str, ...] = KEPT_COLUMNS) -> tuple[pl.DataFrame | None, list[Finding]]:
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
    if (below := header_below(frame, header, sheet.header_row + 1)) is not None:
        return None, [title_finding(rel, sheet.header_row, below)]
    frame, header, unnamed = without_unnamed(frame, header, rel, sheet.header_row,
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
    tidy, findings = as_raw(frame, rel, first_row=sheet.header_row + 1, header_row=sheet.header_row,
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
    return f"{column_letters(column)}{row}"
