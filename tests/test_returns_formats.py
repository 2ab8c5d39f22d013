"""Returns in CSV, XLSX, Parquet and YAML load to the same frame, with file and row kept."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from unittest.mock import patch

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, invoke
from laatool.load import returns, returns_csv, returns_table
from laatool.load.normalise import RowChoice, normalise_returns
from laatool.load.returns import csv_runs, read_returns, read_runs
from laatool.load.table_files import QUOTED_WITH_APOSTROPHE, NotAWorkbook, choose_sheet

HEADER = ["area", "indicator", "period", "value", "subtarget", "status"]
ROWS = [
    ["leeds", "NI154", "2008/09", "3200", "", ""],
    ["Leeds", "ni 117", "2009-2010", "6.8", "", "provisional"],
    ["leeds", "NI 154", "2009-10", "1,234", "north", "final"],
    ["leeds", "NI 152", "2009-10 q1", "0.1", "", ""],
    ["leeds", "NI 1", "2008-09", "", "", ""],
]
CANONICAL = ["area_id", "indicator_id", "period_id", "subtarget_id", "value_num", "status_ok", "provisional", "year_id",
             "quarter"]


def _csv(path, bom=False, crlf=False):
    ending = "\r\n" if crlf else "\n"
    text = ending.join(",".join(f'"{v}"' if "," in v else v for v in r) for r in [HEADER, *ROWS]) + ending
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())


def _frame() -> pl.DataFrame:
    return pl.DataFrame([dict(zip(HEADER, r, strict=True)) for r in ROWS], schema={c: pl.String for c in HEADER})


def _write(kind, path):
    if kind == "csv":
        _csv(path)
    elif kind == "csv-bom-crlf":
        _csv(path, bom=True, crlf=True)
    elif kind == "xlsx":
        _frame().write_excel(path, worksheet="returns")
    elif kind == "parquet":
        _frame().write_parquet(path)
    else:
        items = []
        for row in ROWS:
            fields = [f"{k}: '{v}'" for k, v in zip(HEADER, row, strict=True) if v]
            if not row[3]:
                fields.append("value: null")
            items.append("- {" + ", ".join(fields) + "}")
        path.write_text("\n".join(items) + "\n")


SUFFIX = {"csv": ".csv", "csv-bom-crlf": ".csv", "xlsx": ".xlsx", "parquet": ".parquet", "yaml": ".yaml"}


@pytest.mark.parametrize("kind", list(SUFFIX))
def test_every_format_gives_the_same_frame(tmp_path, kind):
    path = tmp_path / f"returns{SUFFIX[kind]}"
    _write(kind, path)
    raw, findings = read_returns([(path, path.name)])
    assert findings == []
    frame = normalise_returns(raw).select(CANONICAL)
    assert frame.rows() == [
        ("leeds", "NI 154", "2008-09", None, Decimal("3200"), True, False, "2008-09", None),
        ("leeds", "NI 117", "2009-10", None, Decimal("6.8"), True, True, "2009-10", None),
        ("leeds", "NI 154", "2009-10", "north", Decimal("1234"), True, False, "2009-10", None),
        ("leeds", "NI 152", "2009-10 Q1", None, Decimal("0.1"), True, False, "2009-10", 1),
        ("leeds", "NI 1", "2008-09", None, None, True, False, "2008-09", None),
    ]


@pytest.mark.parametrize("kind,rows", [("csv", [2, 3, 4, 5, 6]), ("xlsx", [2, 3, 4, 5, 6]),
                                       ("parquet", [2, 3, 4, 5, 6]), ("yaml", [1, 2, 3, 4, 5])])
def test_rows_remember_where_they_were_written(tmp_path, kind, rows):
    path = tmp_path / f"r{SUFFIX[kind]}"
    _write(kind, path)
    raw, _ = read_returns([(path, "returns/r")])
    assert raw["row"].to_list() == rows and set(raw["file"]) == {"returns/r"}


def _files(tmp_path, texts: dict[str, bytes]) -> list:
    for name, text in texts.items():
        (tmp_path / name).write_bytes(text)
    return [(tmp_path / name, f"returns/{name}") for name in texts]


def test_files_with_one_header_are_read_as_each_alone(tmp_path):
    """CSV files side by side with the same header are read in one pass (a workspace of one
    file per area): every row keeps its own file and row, a header-only file holds none, and
    the frame is what reading them one by one gives."""
    header = b"area,indicator,period,value\n"
    files = _files(tmp_path, {
        "leeds[1].csv": header + b"leeds,NI 154,2008-09,1\nleeds,NI 154,2009-10,2\n",
        "hull.csv": header,
        "york.csv": header + b'"york",NI 154,2008-09,3\nyork,NI 154,2009-10,"4"',
        "wigan.csv": header + b"wigan,NI 154,2008-09,5\n",
    })
    raw, findings = read_returns(files)
    assert findings == []
    assert raw.select("file", "row", "area", "value").rows() == [
        ("returns/leeds[1].csv", 2, "leeds", "1"), ("returns/leeds[1].csv", 3, "leeds", "2"),
        ("returns/york.csv", 2, "york", "3"), ("returns/york.csv", 3, "york", "4"),
        ("returns/wigan.csv", 2, "wigan", "5"),
    ]
    alone = pl.concat([read_returns([file])[0] for file in files])
    assert raw.equals(alone)


@pytest.mark.parametrize("header", [b"Area,Indicator,Period,Value\n", b"area ,INDICATOR, period,Value \n"])
def test_files_with_one_header_written_in_capitals_or_spaced_are_read_as_each_alone(tmp_path, header):
    """A header's names match trimmed and in any case: files side by side with such a header
    (`Area,Indicator,...` as a spreadsheet exports it) are read together as each alone, the
    next run (a file with the usual header) stacked under them (these ended with exit 3)."""
    files = _files(tmp_path, {
        "a.csv": header + b"leeds,NI 154,2008-09,1\n",
        "b.csv": header + b"york,NI 154,2008-09,2\n",
        "c.csv": b"area,indicator,period,value\nhull,NI 154,2008-09,3\n",
    })
    raw, findings = read_returns(files)
    assert findings == []
    assert raw.select("file", "row", "area", "value").rows() == [
        ("returns/a.csv", 2, "leeds", "1"), ("returns/b.csv", 2, "york", "2"), ("returns/c.csv", 2, "hull", "3")]
    assert raw.equals(pl.concat([read_returns([file])[0] for file in files]))


def test_files_with_their_columns_in_other_orders_are_read_together_as_each_alone(tmp_path):
    """Councils' files with the same columns in other orders, or without the optional ones, are
    read in one run (150 such files were read one by one: validate took half as long again),
    giving the rows reading them one by one gives."""
    files = _files(tmp_path, {
        "a.csv": b"area,indicator,period,value,numerator,denominator\nleeds,NI 8,2008-09,21,21,100\n",
        "b.csv": b"Value,Period,Indicator,Area\n22,2008-09,NI 8,york\n",
        "c.csv": b"period,area,denominator,value,indicator,numerator\n2008-09,hull,200,23,NI 8,46\n",
    })
    assert [[rel for _, rel in run] for run in csv_runs(files, None)] == [
        ["returns/a.csv", "returns/b.csv", "returns/c.csv"]]
    raw, findings = read_returns(files)
    assert findings == []
    assert raw.select("file", "row", "area", "value", "numerator", "denominator").rows() == [
        ("returns/a.csv", 2, "leeds", "21", "21", "100"), ("returns/b.csv", 2, "york", "22", None, None),
        ("returns/c.csv", 2, "hull", "23", "46", "200")]
    assert raw.equals(pl.concat([read_returns([file])[0] for file in files]))


def test_a_file_of_a_run_whose_header_names_an_unknown_column_is_read_alone(tmp_path):
    files = _files(tmp_path, {
        "a.csv": b"area,indicator,period,value\nleeds,NI 8,2008-09,21\n",
        "b.csv": b"value,period,indicator,area,colour\n22,2008-09,NI 8,york,red\n",
        "c.csv": b"period,area,value,indicator\n2008-09,hull,23,NI 8\n",
    })
    raw, findings = read_returns(files)
    assert [(f.code, f.file) for f in findings] == [("S001", "returns/b.csv")]
    assert raw.equals(pl.concat([read_returns([file])[0] for file in files]))


@pytest.mark.parametrize("second, finding", [
    # polars read `indicator\r` as a column name: the run took the file in, alone it was Y006
    (b"area,indicator\r,period,value\nleeds,NI 8,2011-12,5\n",
     ("Y006", 1, "row 1 holds a carriage return (\\r) inside a cell that is not quoted: the file mixes line ends")),
    # Python's csv module refused the last line in the run: exit 3 (alone it was Y006 in its words)
    (b"area,indicator,period,value\nleeds,NI 8,2011-12,5\rx",
     ("Y006", 2, "row 2 holds a carriage return (\\r) inside a cell that is not quoted: the file mixes line ends")),
    # polars took the second line for the header: read in a run, a file of rows would have its
    # rows numbered from 2 (alone they are numbered after the empty line, below)
    (b"\narea,indicator,period,value\nleeds,NI 8,2011-12,x\n", None),
])
def test_a_file_whose_lines_polars_reads_otherwise_says_so_in_a_run_as_alone(tmp_path, second, finding):
    files = _files(tmp_path, {"a.csv": b"area,indicator,period,value\nleeds,NI 1,2010-11,5\n", "b.csv": second})
    raw, findings = read_returns(files)
    assert [(f.code, f.row, f.message) for f in findings if f.file == "returns/b.csv"] == ([finding] if finding else [])
    assert raw.equals(pl.concat([read_returns([file])[0] for file in files]))


@pytest.mark.parametrize("before, header_row", [(b"\n", 2), (b"\n\r\n\n", 4), (b"\xef\xbb\xbf\n", 2)])
def test_rows_after_empty_lines_before_the_header_are_numbered_as_the_file_has_them(tmp_path, before, header_row):
    """polars passes over empty lines before the header: the rows were numbered as if the
    header were row 1 (the `x` of line 4 was said to be in row 3), and a file of a header
    alone after an empty line was Y007, "only spaces and line ends"."""
    files = _files(tmp_path, {"a.csv": before + b"area,indicator,period,value,colour\nleeds,NI 8,2010-11,5,\n"
                                                 b"leeds,NI 8,2009-10,x,red\n",
                              "b.csv": before + b"area,indicator,period,value\n"})
    raw, findings = read_returns(files)
    assert raw.select("file", "row", "value").rows() == [
        ("returns/a.csv", header_row + 1, "5"), ("returns/a.csv", header_row + 2, "x")]
    assert [(f.code, f.file, f.row) for f in findings] == [("S001", "returns/a.csv", header_row)]


@pytest.mark.parametrize("text, finding", [
    # a title after an empty line: it was "row 2 has 12 cells, more than the 0 columns of the header"
    (b"\nLeeds returns 2009-10\narea,indicator,period,value\nleeds,NI 8,2009-10,5\n",
     ("S002", 2, "row 2, the first with anything in it, is taken for the header, but the column names are in row 3")),
    (b"\n\narea,indicator,period,value\nleeds,NI 8,2009-10,5\nleeds,NI 8,2010-11,6,\n",
     ("Y006", 5, "row 5 has 5 cells, more than the 4 columns of the header")),
    (b"\n\nleeds,NI 8,2009-10,5\nleeds,NI 8,2010-11,6,,\n",
     ("S002", 3, "row 3 holds values (leeds, NI 8, 2009-10, 5), not the column names: the file has no header")),
])
def test_a_file_polars_refuses_after_empty_lines_is_told_of_by_the_rows_the_file_has(tmp_path, text, finding):
    path = tmp_path / "r.csv"
    path.write_bytes(text)
    raw, findings = read_returns([(path, "returns/r.csv")])
    assert raw.height == 0
    assert [(f.code, f.row, f.message) for f in findings] == [finding]


def test_files_with_one_header_are_read_in_runs_of_bounded_size(tmp_path, monkeypatch):
    """A run is at most RUN_BYTES of files (its reading peaks at about twice its cells), so
    many files with one header are read in several runs, giving the rows reading them one by
    one gives."""
    header = b"area,indicator,period,value\n"
    texts = {f"area-{n}.csv": header + f"area-{n},NI 154,2008-09,{n}\n".encode() for n in range(1, 6)}
    files = _files(tmp_path, texts)
    size = len(texts["area-1.csv"])
    monkeypatch.setattr(returns, "RUN_BYTES", 2 * size)
    assert [[rel for _, rel in run] for run in csv_runs(files, None)] == [
        ["returns/area-1.csv", "returns/area-2.csv"], ["returns/area-3.csv", "returns/area-4.csv"],
        ["returns/area-5.csv"]]
    raw, findings = read_returns(files)
    assert findings == []
    assert raw.select("file", "row", "value").rows() == [(f"returns/area-{n}.csv", 2, str(n)) for n in range(1, 6)]
    assert raw.equals(pl.concat([read_returns([file])[0] for file in files]))


def test_files_whose_rows_are_chosen_are_read_in_longer_runs(tmp_path, monkeypatch):
    """With only some rows chosen (`benchmark -i ID -p YEAR`) a run is cut to them as soon as it
    is read, so runs are CHOSEN_RUNS times as long, and keep the rows reading them one by one
    and choosing would keep."""
    header = b"area,indicator,period,value\n"
    texts = {f"area-{n}.csv": header + f"leeds,NI 154,2008-09,{n}\nleeds,NI 72,2009-10,{n}\n".encode()
             for n in range(1, 10)}
    files = _files(tmp_path, texts)
    monkeypatch.setattr(returns, "RUN_BYTES", len(texts["area-1.csv"]))
    monkeypatch.setattr(returns, "CHOSEN_RUNS", 4)
    assert [len(run) for run in csv_runs(files, None)] == [1] * 9
    runs = csv_runs(files, None, chosen=True)
    assert [len(run) for run in runs] == [4, 4, 1]
    choice = RowChoice.of(["NI 72"], "2009-10")
    kept = choice.rows(read_runs(runs, rows=choice)[0])
    # the NI 72 rows of 2009-10, and the first row of the area (so that it is still one with returns)
    assert kept.select("file", "row", "value").rows() == [
        ("returns/area-1.csv", 2, "1"), *((f"returns/area-{n}.csv", 3, str(n)) for n in range(1, 10))]


@pytest.mark.parametrize("second, code, row", [
    (b"area,indicator,period,value\nhull,NI 154,2008-09,1,9\n", "Y006", 2),        # a ragged line, at its row
    (b"area,indicator,period,value\nhull,NI 154,2008-09,\xa31\n", "Y004", 2),     # not UTF-8
    (b"area,indicator,period,value\nhull," + b"x" * 1001 + b",2008-09,1\n", "Y009", 2),  # a cell too long
    (b"area,indicator,period,value\nhull,NI 154,2008-09,1\nhull,NI 154,2009-10", "Y006", 3),  # cut off
])
def test_a_file_read_with_others_that_fails_is_reported_alone(tmp_path, second, code, row):
    """One bad file among files with the same header is that file's finding, at its row; the
    others are read as ever."""
    files = _files(tmp_path, {"leeds.csv": b"area,indicator,period,value\nleeds,NI 154,2008-09,1\n",
                              "hull.csv": second,
                              "york.csv": b"area,indicator,period,value\nyork,NI 154,2008-09,3\n"})
    raw, findings = read_returns(files)
    assert [(f.code, f.file, f.row) for f in findings] == [(code, "returns/hull.csv", row)]
    assert raw.filter(pl.col("file") != "returns/hull.csv").select("file", "row", "area").rows() == [
        ("returns/leeds.csv", 2, "leeds"), ("returns/york.csv", 2, "york")]


def test_rows_chosen_while_reading_are_those_chosen_after(tmp_path):
    """`benchmark -i ... -p YEAR` keeps the rows it compares and one row of each area; files
    read together keep them as they are read, and the rows are those chosen from all."""
    header = b"area,indicator,period,value\n"
    files = _files(tmp_path, {
        "a.csv": header + b"leeds,NI 8,2008-09,1\nleeds,ni 154,2009/10,2\nleeds,NI 154,2008-09,3\n",
        "b.csv": header + b"york,NI 8,2009-10,4\nleeds,NI 154,2009-10 Q1,5\nyork,NI 154,2009-10,6\n",
        "c.csv": b"area,period,indicator,value\nhull,2010-11,NI 8,7\nleeds,2010-11,NI 8,8\nyork,2009-10,NI154,9\n",
        "d.csv": b"area,period,indicator,value\nleeds,2010-11,NI 8,10\n",
    })
    choice = RowChoice.of(["NI 154"], "2009-10")
    assert choice is not None
    kept = choice.rows(read_runs(csv_runs(files, None), rows=choice)[0])
    assert kept.equals(choice.rows(read_returns(files)[0]))
    assert kept.select("file", "row").rows() == [
        ("returns/a.csv", 2), ("returns/a.csv", 3), ("returns/b.csv", 2), ("returns/b.csv", 3),
        ("returns/b.csv", 4), ("returns/c.csv", 2), ("returns/c.csv", 4)]


def test_a_header_shared_by_files_is_each_files_finding(tmp_path):
    header = b"area,indicator,period,vlaue\n"
    files = _files(tmp_path, {"leeds.csv": header + b"leeds,NI 154,2008-09,1\n", "york.csv": header})
    raw, findings = read_returns(files)
    assert raw.height == 0
    assert sorted((f.code, f.file, f.field) for f in findings) == [
        ("S001", "returns/leeds.csv", "vlaue"), ("S001", "returns/york.csv", "vlaue"),
        ("S002", "returns/leeds.csv", "value"), ("S002", "returns/york.csv", "value")]


def test_a_missing_required_column_and_an_unknown_column_are_findings(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("area,indicator,period,vlaue\nleeds,NI 154,2008-09,1\n")
    raw, findings = read_returns([(path, "returns/r.csv")])
    assert raw.height == 0
    assert sorted((f.code, f.row, f.field) for f in findings) == [("S001", 1, "vlaue"), ("S002", 1, "value")]


def test_a_list_or_a_mapping_for_a_column_is_a_finding_not_its_python_text(tmp_path):
    """A YAML return's columns each hold one value: a list as a note would reach the report as
    "['a', 'b']", a mapping as a sub-target would match none, so each is a wrong type at its
    line and column and the row is not read; the other rows are."""
    path = tmp_path / "r.yaml"
    path.write_text("- area: leeds\n  indicator: NI 154\n  period: 2008-09\n  value: 1\n  note: [a, b]\n"
                    "- area: leeds\n  indicator: NI 154\n  period: 2009-10\n  value: 2\n  subtarget: {id: north}\n"
                    "- area: leeds\n  indicator: NI 154\n  period: 2010-11\n  value: 3\n")
    raw, findings = read_returns([(path, "returns/r.yaml")])
    assert raw["row"].to_list() == [11]
    assert [(f.code, f.severity.value, f.line, f.column, f.message) for f in findings] == [
        ("S003", "error", 5, 9, "note: a list is not one value"),
        ("S003", "error", 10, 14, "subtarget: a mapping is not one value"),
    ]


def test_latin1_csv_is_reported_at_its_row(tmp_path):
    path = tmp_path / "r.csv"
    text = "area,indicator,period,value,note\nleeds,NI 154,2008-09,1,\nleeds,NI 154,2009-10,2,\u00a3\n"
    path.write_bytes(text.encode("latin-1"))
    _, findings = read_returns([(path, "returns/r.csv")])
    assert [(f.code, f.row) for f in findings] == [("Y004", 3)]


def test_an_xlsx_that_is_really_text_is_unreadable(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_text("area,indicator,period,value\n")
    _, findings = read_returns([(path, "returns/r.xlsx")])
    assert [f.code for f in findings] == ["Y006"]


def test_an_empty_file_is_a_warning(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"")
    _, findings = read_returns([(path, "returns/r.csv")])
    assert [(f.code, f.severity.value) for f in findings] == [("Y007", "warning")]


@pytest.mark.parametrize("sheets, chosen", [
    ([("Sheet1", True), ("returns", True)], 1),
    ([("returns", False), ("Data", True)], 1),           # a hidden returns sheet is passed over
    ([("Notes", True), (" Returns ", True)], 1),         # any case, spaces around
    ([("Notes", True), ("Data", True)], 0),              # else the first visible sheet
    ([("a", False), ("RETURNS", False)], 1),             # none visible: the hidden returns sheet
    ([("a", False), ("b", False)], 0),
    ([("returns", False), ("Returns ", True)], 1),      # the visible one, whatever the hidden one's name
])
def test_the_returns_sheet_is_chosen_visible_first(sheets, chosen):
    assert choose_sheet(sheets) == chosen


def test_two_visible_sheets_named_returns_but_for_spaces_are_refused():
    with pytest.raises(NotAWorkbook, match=r"^its sheets 'returns' and 'Returns ' are each named 'returns' but "
                                           r"for spaces, so which holds the returns is not known: rename the others$"):
        choose_sheet([("returns", True), ("Notes", True), ("Returns ", True)])


@pytest.mark.parametrize("others", [0, 1])
def test_an_empty_returns_sheet_is_an_empty_file_not_a_header_missing_its_columns(tmp_path, others):
    """As an empty CSV file is one warning (Y007), so is an empty sheet, not four missing
    columns (S002) in a header that is not there."""
    import openpyxl

    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Returns"
    for number in range(others):
        book.create_sheet(f"Notes {number}").append(["area", "indicator", "period", "value"])
    book.save(path)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 0
    where = " (of the workbook's 2 sheets: if the returns are on another, name it 'returns')" if others else ""
    assert [(f.code, f.severity.value, f.row, f.message) for f in findings] == [
        ("Y007", "warning", 1, f"the sheet 'Returns' is empty: it holds no returns{where}")]


def test_a_workbook_writing_an_attribute_twice_is_refused(tmp_path):
    """`state="hidden" state="visible"` on one sheet is no XML: a spreadsheet refuses the file,
    and a reader that takes the last would read a sheet its writer hid."""
    import openpyxl

    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.create_sheet("returns").append(["area", "indicator", "period", "value"])
    book.save(path)
    with zipfile.ZipFile(path) as zipped:
        parts = {name: zipped.read(name) for name in zipped.namelist()}
    assert b'<sheet name="returns" sheetId="2"' in parts["xl/workbook.xml"]
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'<sheet name="returns" sheetId="2"', b'<sheet name="returns" sheetId="2" state="hidden" state="visible"')
    with zipfile.ZipFile(path, "w") as zipped:
        for name, data in parts.items():
            zipped.writestr(name, data)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 0
    assert [(f.code, f.row, f.message) for f in findings] == [
        ("Y006", 1, "cannot read the file as XLSX: an element of its XML writes the attribute 'state' twice, which is "
                    "no XML: open the workbook in a spreadsheet and save it again, or write the file afresh")]


def test_a_visible_sheet_is_read_beside_a_hidden_one_named_alike(tmp_path):
    """A sheet `returns` hidden (an old copy) beside the visible `Returns `: names a spreadsheet
    tells apart, so the workbook is no broken one; the visible sheet is read."""
    import openpyxl

    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    old = book.active
    old.title, old.sheet_state = "returns", "veryHidden"
    old.append(["area", "indicator", "period", "value"])
    old.append(["leeds", "NI 8", "2008-09", 1])
    new = book.create_sheet("Returns ")
    new.append(["area", "indicator", "period", "value"])
    new.append(["leeds", "NI 8", "2008-09", 21])
    book.active = 1
    book.save(path)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert [(f.code, f.message) for f in findings] == [
        ("Y011", "read the sheet 'Returns ', one of the workbook's 2 sheets")]
    assert raw.select("area", "period", "value", "row").rows() == [("leeds", "2008-09", "21", 2)]


def test_xlsx_rows_are_the_sheets_own(tmp_path):
    """Header in row 3 from column B, a blank row 5: the rows read are 4 and 6, as Excel shows them."""
    import xlsxwriter

    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("returns")
    sheet.write_row(2, 1, ["area", "indicator", "period", "value"])
    sheet.write_row(3, 1, ["leeds", "NI 8", "2008-09", 21])
    sheet.write_row(5, 1, ["leeds", "NI 8", "2009-10", "22.5"])
    sheet.write_row(6, 1, ["leeds", "NI 8", "2010-11"])
    sheet.write_formula(6, 4, "=1/0", None, "#DIV/0!")
    book.close()
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.select("period", "value", "row").rows() == [("2008-09", "21", 4), ("2009-10", "22.5", 6)]
    assert [(f.code, f.row, f.field, f.message) for f in findings] == [
        ("Y010", 7, "value", "the cell E7 of the sheet 'returns' holds the error #DIV/0!")]


def _with_merges(path, header_row: int, rows: list[list], merges: list[str]) -> None:
    """A workbook of `rows` under a header in `header_row` (from 1), every cell holding its
    value, and `merges` added as LibreOffice saves them with the hidden cells' contents kept."""
    import io

    import xlsxwriter

    data = io.BytesIO()
    book = xlsxwriter.Workbook(data)
    sheet = book.add_worksheet("returns")
    sheet.write_row(header_row - 1, 0, ["area", "indicator", "period", "value"])
    for number, row in enumerate(rows):
        sheet.write_row(header_row + number, 0, row)
    book.close()
    cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    merged = f'<mergeCells count="{len(merges)}">{cells}</mergeCells>'
    source, out = zipfile.ZipFile(io.BytesIO(data.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"</sheetData>", b"</sheetData>" + merged.encode())
            target.writestr(item, part)
    path.write_bytes(out.getvalue())


@pytest.mark.parametrize("merges, read, y016", [
    # down a column: the 99 kept under D2:D3 is not shown, so row 3 has no value
    (["D2:D3"], [("2008-09", "21"), ("2009-10", None), ("2010-11", "23")],
     [(2, "value", "the cells D2:D3 are merged: the value shown in them is held in D2 alone, so row 3 read blank "
                   "there")]),
    # across a row: the sheet shows the period across C3:D3, and no value
    (["C3:D3"], [("2008-09", "21"), ("2009-10", None), ("2010-11", "23")],
     [(3, "value", "the cells C3:D3 are merged: the value shown in them is held in C3 alone, so D3 reads blank")]),
    # the header's cell merged down over row 2's value
    (["D1:D2"], [("2008-09", None), ("2009-10", "99"), ("2010-11", "23")],
     [(2, "value", "the cells D1:D2 are merged: the value shown in them is held in D1 alone, so D2 reads blank")]),
    # the header's cell merged down over two rows' values
    (["D1:D3"], [("2008-09", None), ("2009-10", None), ("2010-11", "23")],
     [(2, "value", "the cells D1:D3 are merged: the value shown in them is held in D1 alone, so rows 2 and 3 read "
                   "blank there")]),
    # written in lower case and from its far corner, as a reader still takes it
    (["d3:d2"], [("2008-09", "21"), ("2009-10", None), ("2010-11", "23")],
     [(2, "value", "the cells D2:D3 are merged: the value shown in them is held in D2 alone, so row 3 read blank "
                   "there")]),
    # a block: every cell but C2's
    (["C2:D4"], [("2008-09", None), (None, None), (None, None)],
     [(2, "value", "the cells C2:D4 are merged: the value shown in them is held in C2 alone, so every other cell "
                   "of it reads blank")]),
])
def test_a_value_kept_under_merged_cells_is_read_as_the_sheet_shows_it(tmp_path, merges, read, y016):
    """A merge shows its first cell's value across it; a file may keep other values under it
    (LibreOffice's "keep the contents of the hidden cells"), which no one sees: they were read
    (a hidden 99 scored red, £300,000 less, exit 0), and Y016 said they read blank."""
    path = tmp_path / "r.xlsx"
    _with_merges(path, 1, [["leeds", "NI 8", "2008-09", 21], ["leeds", "NI 8", "2009-10", 99],
                           ["leeds", "NI 8", "2010-11", 23]], merges)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.select("period", "value").rows() == read
    assert [(f.code, f.row, f.field, f.message) for f in findings] == [("Y016", *finding) for finding in y016]


def test_a_header_name_or_an_error_hidden_under_a_merge_is_not_read(tmp_path):
    """C1:D1 merged shows `period` across both: D1's `value` is hidden, so the column has no
    name (S001, S002), as when D1 is empty; an error cell hidden under D2:D3 is no Y010, and
    row 3 reads no value."""
    path = tmp_path / "r.xlsx"
    _with_merges(path, 1, [["leeds", "NI 8", "2008-09", 21]], ["C1:D1"])
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert [(f.code, f.field) for f in findings if f.code != "Y016"] == [("S001", None), ("S002", "value")]
    _with_merges(path, 2, [["leeds", "NI 8", "2008-09", 21]], ["C1:D2"])  # from above the header in row 2
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert [(f.code, f.row, f.message) for f in findings if f.code == "Y016"] == [
        ("Y016", 2, "the cells C1:D2 are merged: the value shown in them is held in C1 alone, so the header's C2 to D2 "
                    "have no name")]
    assert [(f.code, f.field) for f in findings if f.code == "S002"] == [("S002", "period"), ("S002", "value")]
    _with_merges(path, 1, [["leeds", "NI 8", "2008-09", 21], ["leeds", "NI 8", "2009-10", "=1/0"]], ["D2:D3"])
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.select("period", "value").rows() == [("2008-09", "21"), ("2009-10", None)]
    assert [f.code for f in findings] == ["Y016"]


def test_a_sheet_of_more_merged_ranges_than_the_limit_is_refused(tmp_path):
    """Each merged range is read as the sheet shows it: 100,000 are, one more is Y005."""
    from laatool.load.table_files import MAX_MERGED

    path = tmp_path / "r.xlsx"
    rows = [["leeds", "NI 8", "2008-09", 21]]
    _with_merges(path, 1, rows, [f"F{row}:G{row}" for row in range(2, MAX_MERGED + 2)])
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 1 and findings == []
    _with_merges(path, 1, rows, [f"F{row}:G{row}" for row in range(2, MAX_MERGED + 3)])
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert [(f.code, f.message) for f in findings] == [
        ("Y005", "the sheet has more than 100,000 merged ranges: the limit is 100,000")]


def test_a_formula_with_no_stored_result_is_reported_not_read_as_blank(tmp_path):
    """A workbook filled by a program (openpyxl writes a formula and no result): the reader
    gives a blank, which would read as "not reported", so the cell is reported at its place
    and its row left out, as an error cell's is; a formula with its result stored is read."""
    import openpyxl

    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "returns"
    sheet.append(["area", "indicator", "period", "value"])
    sheet.append(["leeds", "NI 8", "2008-09", 21])
    sheet.append(["leeds", "NI 8", "2009-10", "=21+1.5"])
    sheet.append(["leeds", "NI 8", "2010-11", "=A1&\"<\""])
    book.save(path)
    # a text formula whose result is empty, as Excel stores it: a blank, as meant
    with zipfile.ZipFile(path) as zipped:
        parts = {name: zipped.read(name) for name in zipped.namelist()}
    sheet_xml = "xl/worksheets/sheet1.xml"
    parts[sheet_xml] = parts[sheet_xml].replace(
        b"</sheetData>", b'<row r="5"><c r="A5" t="inlineStr"><is><t>leeds</t></is></c><c r="B5" t="inlineStr"><is>'
        b'<t>NI 8</t></is></c><c r="C5" t="inlineStr"><is><t>2007-08</t></is></c><c r="D5" t="str">'
        b'<f>IF(1,"","")</f><v></v></c></row></sheetData>')
    with zipfile.ZipFile(path, "w") as zipped:
        for name, data in parts.items():
            zipped.writestr(name, data)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.select("period", "value", "row").rows() == [("2008-09", "21", 2), ("2007-08", "", 5)]
    assert [(f.code, f.severity.value, f.row, f.field, f.message) for f in findings] == [
        ("Y010", "error", 3, "value", "the cell D3 of the sheet 'returns' holds the formula =21+1.5 with no stored "
         "result (save the workbook in a spreadsheet to store it)"),
        ("Y010", "error", 4, "value", "the cell D4 of the sheet 'returns' holds the formula =A1&\"<\" with no "
         "stored result (save the workbook in a spreadsheet to store it)")]


def test_a_formula_in_a_column_the_header_does_not_name_is_placed_by_its_letter(tmp_path):
    import xlsxwriter

    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("returns")
    sheet.write_row(0, 0, ["area", "indicator", "period", "value"])
    sheet.write_row(1, 0, ["leeds", "NI 20", "2010-11", 8.36])
    sheet.write_formula(1, 5, "=D2*2")  # column F, no name above it, its result stored as 0
    book.close()
    _, findings = read_returns([(path, "returns/r.xlsx")])
    assert [(f.code, f.row, f.field) for f in findings if f.code == "Y010"] == [("Y010", 2, "F")]


def test_a_formulas_placeholder_0_is_no_stored_result(tmp_path):
    """xlsxwriter stores 0 for a formula it is not given a result for, and marks the workbook to
    be worked out again when opened (`fullCalcOnLoad`): that 0 was scored and paid. A result it
    is given is stored, and read."""
    import xlsxwriter

    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("returns")
    for row, cells in enumerate([["area", "indicator", "period", "value"], ["leeds", "NI 20", "2009-10", None],
                                 ["leeds", "NI 20", "2010-11", None]]):
        sheet.write_row(row, 0, [cell for cell in cells if cell is not None])
    sheet.write_formula(1, 3, "=836/100")  # stored as 0
    sheet.write_formula(2, 3, "=836/100", None, 8.36)  # its result given
    book.close()
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.select("period", "value", "row").rows() == [("2010-11", "8.36", 3)]
    assert [(f.code, f.row, f.field, f.message) for f in findings] == [
        ("Y010", 2, "value", "the cell D2 of the sheet 'returns' holds the formula =836/100 with no stored result "
         "(save the workbook in a spreadsheet to store it)")]


@pytest.mark.parametrize("column", ["value", "note"])
def test_a_parquet_column_of_lists_is_named_whichever_command_reads_it(tmp_path, column):
    # `note`, which only `report` reads, is refused for `validate` too, not found by report alone
    path = tmp_path / "r.parquet"
    frame = pl.DataFrame({"area": ["leeds"], "indicator": ["NI 8"], "period": ["2008-09"], "value": ["21.0"],
                          "note": ["a note"]})
    frame.with_columns(pl.concat_list(pl.col(column))).write_parquet(path)
    raw, findings = read_returns([(path, "returns/r.parquet")])
    assert [(f.code, f.row, f.field, f.message) for f in findings] == [
        ("S003", 1, column, f"column '{column}' holds lists, not one value a cell")]


def test_a_parquet_file_is_measured_by_its_footer(tmp_path):
    path = tmp_path / "r.parquet"
    pl.DataFrame({"area": ["leeds"] * 2_000_001, "indicator": "NI 8", "period": "2008-09", "value": "1"}) \
        .write_parquet(path)
    assert path.stat().st_size < 100_000
    raw, findings = read_returns([(path, "returns/r.parquet")])
    assert raw.height == 0
    assert [(f.code, f.row, f.message) for f in findings] == [
        ("Y005", 1, "the table has 2,000,001 rows: the limit is 2,000,000")]


@pytest.mark.parametrize("kind", [pl.String, pl.Categorical])
def test_a_parquet_text_repeated_past_the_limit_is_refused_before_its_cells_are_made(tmp_path, kind):
    """A note of 10,000 characters in a column's dictionary, named by 108,000 rows, is a small
    file whose footer says it holds little and whose cells come to 1.08 GB of text (two million
    such rows took 4.7 GB and 32 s, exit 0): refused (Y005) before a cell is copied."""
    path = tmp_path / "r.parquet"
    rows = 108_000
    pl.DataFrame({"area": ["leeds"] * rows, "indicator": "NI 8", "period": "2008-09", "value": "1",
                  "note": "n" * 10_000}).with_columns(pl.all().cast(kind)).write_parquet(path)
    assert path.stat().st_size < 100_000
    raw, findings = read_returns([(path, "returns/r.parquet")])
    assert raw.height == 0
    text = rows * (len("leeds") + len("NI 8") + len("2008-09") + len("1") + 10_000)
    assert [(f.code, f.row, f.message) for f in findings] == [
        ("Y005", 1, f"the file's cells hold {text:,} bytes of text (each text of a column's dictionary as often as "
                    "its cells name it): the limit is 1,073,741,824")]


def test_xlsx_number_cells_are_read_as_written_and_dates_as_dates(tmp_path):
    """Header in row 3 from column B, a blank row 5: a number cell of many digits is the text in
    the file (the reader gave 8.36 and 0), as a spreadsheet shows it when that text is a
    double's 16 or 17 digits (xlsxwriter writes 1e-11 as 9.999999999999999E-12), a date cell
    (its number 45293.54166666809 as long) is still the date, a short number and a text cell
    as they were."""
    import datetime

    import xlsxwriter

    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("returns")
    sheet.write_row(2, 1, ["area", "indicator", "period", "value", "subtarget"])
    sheet.write_row(3, 1, ["leeds", "NI 8", "2008-09", 8.36000000001])
    sheet.write_datetime(3, 5, datetime.datetime(2024, 1, 2, 13, 0, 0, 123000),
                         book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}))
    sheet.write_row(5, 1, ["leeds", "NI 8", "2009-10", 1e-11, 123456789012345.67])
    sheet.write_row(6, 1, ["leeds", "NI 8", "2010-11", 22.5, "0.12345678912"])
    book.close()
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert findings == []
    assert raw.select("value", "subtarget", "row").rows() == [
        ("8.36000000001", "2024-01-02 13:00:00.123", 4),
        ("0.00000000001", "123456789012346", 6),
        ("22.5", "0.12345678912", 7)]


SPREADSHEET_CSV = "area,indicator,period,value\r\nleeds,NI 8,2008-09,21.5\r\nleeds,NI 8,2009-10,22\r\n"


@pytest.mark.parametrize("content, code, row, message", [
    # Excel's "Unicode Text": UTF-16 with a byte-order mark, tabs between the columns
    (b"\xff\xfe" + SPREADSHEET_CSV.replace(",", "\t").encode("utf-16-le"), "Y004", 1,
     "the file is UTF-16 text (as Excel saves 'Unicode Text'), not UTF-8"),
    (b"\xff\xfe\x00\x00" + SPREADSHEET_CSV.encode("utf-32-le"), "Y004", 1, "the file is UTF-32 text, not UTF-8"),
    # UTF-16 without its mark, as some programs save "Unicode": it was called binary (NUL bytes)
    (SPREADSHEET_CSV.encode("utf-16-le"), "Y004", 1, "the file is UTF-16 text, not UTF-8"),
    (SPREADSHEET_CSV.encode("utf-16-be"), "Y004", 1, "the file is UTF-16 text, not UTF-8"),
    # a spreadsheet set to a language with decimal commas: semicolons between the columns
    (SPREADSHEET_CSV.replace(",", ";").replace("21.5", "21,5").encode(), "Y006", 1,
     "its columns are separated by semicolons, not commas (and its numbers may have decimal commas)"),
    (SPREADSHEET_CSV.replace(",", "\t").encode(), "Y006", 1,
     "its columns are separated by tabs, not commas (and its numbers may have decimal commas)"),
    # Excel for Mac's "CSV (Macintosh)"
    (SPREADSHEET_CSV.replace("\r\n", "\r").encode(), "Y006", 1,
     "its lines end with a carriage return alone (as Excel for Mac's 'CSV (Macintosh)' writes them), so the whole "
     "file reads as one line"),
    # a stray comma at the end of the second value row (the sheet's row 3)
    (SPREADSHEET_CSV.replace("22\r\n", "22,\r\n").encode(), "Y006", 3,
     "row 3 has 5 cells, more than the 4 columns of the header"),
    (SPREADSHEET_CSV.replace("NI 8,2009-10", '"NI 8",2009-10,"2,1"').encode(), "Y006", 3,
     "row 3 has 5 cells, more than the 4 columns of the header"),
    # a double quote inside a value, which polars refuses in words of its own, at row 1
    (SPREADSHEET_CSV.replace(",22\r", ',2"2\r').encode(), "Y006", 3,
     'row 3 has a double quote inside a value: leeds,NI 8,2009-10,2"2'),
    (SPREADSHEET_CSV.replace(",22\r", ',"2"2\r').encode(), "Y006", 3,
     'row 3 has a double quote inside a value: leeds,NI 8,2009-10,"2"2'),
    # spaces after a quoted cell's closing quote (an export padding its lines): said so, not "a
    # double quote inside a value" with the advice to quote the cell that is quoted
    (SPREADSHEET_CSV.replace(",22\r", ',"22"   \r').encode(), "Y006", 3,
     'row 3 has spaces after the closing quote of a cell: leeds,NI 8,2009-10,"22"'),
    ((b"area,indicator,period,value,note\nleeds,NI 8,2008-09,21.5,\"checked,\ntwice\"   \n"
      b"leeds,NI 8,2009-10,22,\n"), "Y006", 2,
     'row 2 has spaces after the closing quote of a cell: leeds,NI 8,2008-09,21.5,"checked,'),
    # a quote left open in the last rows, after a note over two lines (one row, the sheet's row 2)
    ((b"area,indicator,period,value,note\nleeds,NI 8,2008-09,21.5,\"checked,\ntwice\"\n"
      b"leeds,NI 8,2009-10,22,\"awaiting sign-off\nleeds,NI 8,2010-11,23,\n"), "Y006", 3,
     "row 3 opens a quoted cell that is never closed, so the rest of the file would be that one cell: "
     'leeds,NI 8,2009-10,22,"awaiting sign-off'),
    ((b"area,indicator,period,value,note\nleeds,NI 8,2008-09,21.5,\n"
      b"leeds,NI 8,2009-10,22,\"awaiting \"\"sign-off\"\"\n"), "Y006", 3,
     "row 3 opens a quoted cell that is never closed, so the rest of the file would be that one cell: "
     'leeds,NI 8,2009-10,22,"awaiting ""sign-off""'),
    # a quote left open, closed by a later row's note: that row's text follows the closing quote
    # (it was row 1, "could not parse" in polars' words)
    ((b"area,indicator,period,value,note\nleeds,NI 8,2008-09,21.5,\"awaiting sign-off\n"
      b"leeds,NI 8,2009-10,22,\nleeds,NI 8,2010-11,23,\"checked\n"), "Y006", 2,
     "row 2 opens a quoted cell that runs on to line 4, where text follows the quote that closes it: "
     'leeds,NI 8,2008-09,21.5,"awaiting sign-off'),
    # closed by the first quote of a later row's quoted note, as a spreadsheet reads it: polars
    # read on to a later quote, its note taking in the 2010-11 return (a warning, exit 0)
    ((b"area,indicator,period,value,note\nleeds,NI 8,2008-09,21.5,\"see the team\n"
      b"leeds,NI 8,2009-10,22,\"ok\"\nleeds,NI 8,2010-11,23,checked\"\n"), "Y006", 2,
     "row 2 opens a quoted cell that runs on to line 3, where text follows the quote that closes it: "
     'leeds,NI 8,2008-09,21.5,"see the team'),
    # and named there, not as the row after it with more cells than the header
    ((b"area,indicator,period,value,note\nleeds,NI 8,2008-09,21.5,\"see the team\n"
      b"leeds,NI 8,2009-10,22,\"names:\nsmith, jones, brown\nend\"\n"), "Y006", 2,
     "row 2 opens a quoted cell that runs on to line 3, where text follows the quote that closes it: "
     'leeds,NI 8,2008-09,21.5,"see the team'),
    # a carriage return inside a quoted note is the note's: the fault is row 3's quote
    ((b"area,indicator,period,value,note\nleeds,NI 8,2008-09,21.5,\"first\rsecond\"\n"
      b"leeds,NI 8,2009-10,22,12\" pipe\n"), "Y006", 3,
     'row 3 has a double quote inside a value: leeds,NI 8,2009-10,22,12" pipe'),
])
def test_a_csv_file_a_spreadsheet_laid_out_otherwise_says_how(tmp_path, content, code, row, message):
    """CSV files as spreadsheets save them in other settings: one finding that says what the
    file is and how to save it, at the row that is wrong, instead of a column named with the
    whole header or the reader's own words at row 1."""
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    for together in ([(path, "returns/r.csv")], [(path, "returns/r.csv"), (path, "returns/r.csv")]):
        raw, findings = read_returns(together)
        assert raw.height == 0
        assert {(f.code, f.row, f.message) for f in findings} == {(code, row, message)}


@pytest.mark.parametrize("text", [
    "area,indicator,period,value,\nleeds,NI 8,2008-09,21.5,\nleeds,NI 8,2009-10,22,\n",   # a comma ending every line
    "area,indicator,period,value,\nleeds,NI 8,2008-09,21.5\nleeds,NI 8,2009-10,22\n",      # ending the header only
    "area,,indicator,period,value\nleeds,,NI 8,2008-09,21.5\nleeds, ,NI 8,2009-10,22\n",   # an empty column between
])
def test_a_column_with_no_name_and_no_value_is_not_read(tmp_path, text):
    """A column with neither a name nor a value drops nothing: it is not read, and not a finding."""
    path = tmp_path / "r.csv"
    path.write_text(text)
    raw, findings = read_returns([(path, "returns/r.csv")])
    assert findings == []
    assert raw.select("indicator", "period", "value", "row").rows() == [("NI 8", "2008-09", "21.5", 2),
                                                                        ("NI 8", "2009-10", "22", 3)]


def test_a_column_with_no_name_holding_values_is_named_by_its_letter(tmp_path):
    """A note typed beside the table, in a column without a name: S001 at the header row,
    naming the column as the spreadsheet does, not as the reader names it (`__UNNAMED__5`);
    the empty column E between says nothing."""
    import xlsxwriter

    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("returns")
    sheet.write_row(2, 0, ["area", "indicator", "period", "value"])
    sheet.write_row(3, 0, ["leeds", "NI 8", "2008-09", 21])
    sheet.write(4, 5, "checked by JB")
    book.close()
    csv_path = tmp_path / "r.csv"
    csv_path.write_text("area,indicator,period,value,,\nleeds,NI 8,2008-09,21,,\n,,,,,checked by JB\n")
    for file, header_row in ((path, 3), (csv_path, 1)):
        _, findings = read_returns([(file, f"returns/{file.name}")])
        assert [(f.code, f.row, f.field, f.message) for f in findings] == [
            ("S001", header_row, None, f"column F holds values but has no name in the header (row {header_row})")]


def test_a_csv_column_named_twice_is_named_as_written(tmp_path):
    """The reader renames the second `value` (`value_duplicated_0`); the finding names the column
    as written, as a workbook's does."""
    path = tmp_path / "r.csv"
    path.write_text("area,indicator,period,value,Value\nleeds,NI 8,2008-09,21,22\n")
    raw, findings = read_returns([(path, "returns/r.csv")])
    assert raw.height == 0
    assert [(f.code, f.row, f.field, f.message) for f in findings] == [
        ("S003", 1, "value", "column 'value' appears twice")]


def test_a_csv_files_blank_rows_are_skipped_but_counted(tmp_path):
    """A blank row of a sheet saved as CSV (an empty line, or a line of commas, as Excel writes
    the blank rows of its used range) holds no return: it is left out, as a workbook's blank row
    is, and the rows after it keep their numbers; alone or read with a file of the same header."""
    header = "area,indicator,period,value\n"
    leeds = header + "leeds,NI 8,2008-09,21\n\nleeds,NI 8,2009-10,22\n,,,\n,,,\n"
    # cells cleared to a space (or a tab) are blank too: a blank value is, and so is the row
    spaced = header + "leeds,NI 8,2008-09,21\n , ,\t, \nleeds,NI 8,2009-10,22\n , , , \n"
    for written in (leeds, spaced):
        york = header + "york,NI 8,2008-09,23\n"
        files = _files(tmp_path, {"leeds.csv": written.encode(), "york.csv": york.encode()})
        for together in (files, files[:1]):
            raw, findings = read_returns(together)
            assert findings == []
            assert raw.select("file", "row", "period").rows()[:2] == [("returns/leeds.csv", 2, "2008-09"),
                                                                      ("returns/leeds.csv", 4, "2009-10")]
            assert raw.height == len(together) + 1


TITLE = ("row 1, the first with anything in it, is taken for the header, but the column names are in row 3",
         "delete the rows above row 3 (a title or notes), so that the column names are the first row")


@pytest.mark.parametrize("kind", ["xlsx", "csv-of-a-sheet", "csv-by-hand"])
def test_a_title_above_the_header_is_one_finding_that_says_where_the_header_is(tmp_path, kind):
    """A title in row 1, a blank row 2, the column names in row 3: one finding naming row 3,
    instead of a column named by the title and every column missing."""
    header, row = ["area", "indicator", "period", "value"], ["leeds", "NI 8", "2008-09", "21"]
    if kind == "xlsx":
        import xlsxwriter

        path = tmp_path / "r.xlsx"
        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet("returns")
        sheet.write(0, 0, "Leeds LAA returns 2008-09")
        sheet.write_row(2, 0, header)
        sheet.write_row(3, 0, row)
        book.close()
    else:
        path = tmp_path / "r.csv"
        title = "Leeds LAA returns 2008-09,,,\n,,,\n" if kind == "csv-of-a-sheet" else "Leeds LAA returns 2008-09\n\n"
        path.write_text(title + ",".join(header) + "\n" + ",".join(row) + "\n")
    raw, findings = read_returns([(path, f"returns/{path.name}")])
    assert raw.height == 0
    assert [(f.code, f.row, f.field, f.message, f.hint) for f in findings] == [("S002", 1, None, *TITLE)]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Styles as a workbook may hold them: a style's number format is the built-in `0.00%` (1) and
# `0%` (4), a workbook's own with a quoted `%` (2: `0.0"%"` shows 0.238 as `0.2%`, not a
# percentage) and with a colour (3)
PERCENT_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}"><numFmts count="2">'
    '<numFmt formatCode="0.0&quot;%&quot;" numFmtId="164"/><numFmt numFmtId="165" formatCode="[Blue]#,##0.0%"/>'
    '</numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="10" applyNumberFormat="1"><alignment '
    'horizontal="right"/></xf><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="9"/></cellXfs></styleSheet>')
# Number cells of those styles, their attributes in any order (a double's 17 digits, a
# formula's result, single quotes), and a text cell of a percentage style, which stays text
PERCENT_CELLS = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>leeds</t></is></c><c r="B2" t="inlineStr"><is><t>NI 8</t></is></c>'
    '<c r="C2" t="inlineStr"><is><t>2006-07</t></is></c><c t="n" s="1" r="D2"><v>0.57999999999999996</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>leeds</t></is></c><c r="B3" t="inlineStr"><is><t>NI 8</t></is></c>'
    '<c r="C3" t="inlineStr"><is><t>2007-08</t></is></c><c s="2" r="D3"><v>0.238</v></c></row>'
    '<row r="4"><c r="A4" t="inlineStr"><is><t>leeds</t></is></c><c r="B4" t="inlineStr"><is><t>NI 8</t></is></c>'
    '<c r="C4" t="inlineStr"><is><t>2008-09</t></is></c><c r="D4" s="3"><f>1/1</f><v>1</v></c></row>'
    '<row r="5"><c r="A5" t="inlineStr"><is><t>leeds</t></is></c><c r="B5" t="inlineStr"><is><t>NI 8</t></is></c>'
    '<c r="C5" t="inlineStr"><is><t>2009-10</t></is></c><c r="D5" s="4" t="inlineStr"><is><t>0.5</t></is></c></row>'
    '<row r="6"><c r="A6" t="inlineStr"><is><t>leeds</t></is></c><c r="B6" t="inlineStr"><is><t>NI 8</t></is></c>'
    "<c r=\"C6\" t=\"inlineStr\"><is><t>2010-11</t></is></c><c s=\"4\" r=\"D6\"><v>-0.05</v></c></row>")


def _percent_workbook(path, styles: str | None) -> None:
    """A workbook of PERCENT_CELLS under the returns header, with `styles` for its styles part
    (None: no styles part)."""
    import io

    import xlsxwriter

    data = io.BytesIO()
    book = xlsxwriter.Workbook(data)
    book.add_worksheet("returns").write_row(0, 0, ["area", "indicator", "period", "value"])
    book.close()
    written = zipfile.ZipFile(data)
    with zipfile.ZipFile(path, "w") as out:
        for item in written.infolist():
            part = written.read(item).decode()
            if item.filename == "xl/styles.xml":
                if styles is None:
                    continue
                part = styles
            elif item.filename == "xl/worksheets/sheet1.xml":
                assert "</row></sheetData>" in part
                part = part.replace("</row></sheetData>", f"</row>{PERCENT_CELLS}</sheetData>")
            elif item.filename in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels") and styles is None:
                part = re.sub(r"<(Override|Relationship)\b[^>]*styles[^>]*/>", "", part)
            out.writestr(item, part)


@pytest.mark.parametrize("styles, values", [
    # 0.58 shown as a percentage is `58%`, 1 `100%`, -0.05 `-5%`: each its number × 100; `0.0"%"`
    # is no percentage; a text cell is its text
    (PERCENT_STYLES, ["58%", "0.238", "100%", "0.5", "-5%"]),
    # without a styles part, or with one that gives the cells no styles, every number cell is its number
    (None, ["0.58", "0.238", "1", "0.5", "-0.05"]),
    (PERCENT_STYLES[:PERCENT_STYLES.index("<cellXfs")] + "</styleSheet>", ["0.58", "0.238", "1", "0.5", "-0.05"]),
    # a styles part cut short is not XML: the reader refuses the workbook, as it did
    (PERCENT_STYLES[:PERCENT_STYLES.index("<cellXfs") + 30], None),
    # a format whose `%` is in its negatives' section only (`0.0;-0.0%`) shows 1 as `1.0`: a
    # number; one with `%` in its positives' section alone shows it as `100.0%`
    (PERCENT_STYLES.replace("[Blue]#,##0.0%", "0.0;-0.0%"), ["58%", "0.238", "1", "0.5", "-5%"]),
    (PERCENT_STYLES.replace("[Blue]#,##0.0%", "0.0%;-0.0;0"), ["58%", "0.238", "100%", "0.5", "-5%"]),
])
def test_an_xlsx_number_cell_formatted_as_a_percentage_is_read_as_the_sheet_shows_it(tmp_path, styles, values):
    path = tmp_path / "r.xlsx"
    _percent_workbook(path, styles)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    if values is None:
        assert [(f.code, f.row) for f in findings] == [("Y006", 1)]
        return
    assert findings == []
    assert raw.select("value", "row").rows() == list(zip(values, range(2, 7), strict=True))


@pytest.mark.parametrize("code, shown", [
    # how 5, -5 and 0 are shown, and 0.5 and 40.2 (for the conditions)
    ("0.0%", ["%", "%", "%", "%", "%"]), ("0.0;-0.0%", [None, "%", None, None, None]),
    ("0.0;-0.0;0%", [None, None, "%", None, None]), ("0.0%;-0.0", ["%", None, "%", "%", "%"]),
    ('0.0;"%"-0.0', [None] * 5), ('0.0;"a;b"%', [None, "%", None, None, None]),  # a quoted `;` parts nothing
    # commas after the last digit divide by 1,000 each; between digits, or quoted, they do not
    ("#,##0,", [","] * 5), ("0.0,,", [",,"] * 5), ("#,##0", [None] * 5), ('0,"k";-0', [",", None, ",", ",", ","]),
    ('0","', [None] * 5),
    # a last section with `@` shows texts: numbers take the others (here every number the first)
    ("0.0%;@", ["%"] * 5), ("0.0;-0.0%;@", [None, "%", None, None, None]),
    # a condition chooses the section: the first for the numbers that meet it, else the second
    ("[<=1]0.0%;0.0", [None, "%", "%", "%", None]), ("[>1]0.0;0.0%", [None, "%", "%", "%", None]),
    ("[>100]0;0,", [",", ",", ",", ",", ","]),
    # both conditional: the numbers meeting neither take the third section
    ("[>10]0.0;[<0]0.0%;0,", [",", "%", ",", ",", None]),
    # a condition in quotes is text the sheet shows, no condition
    ('"[<0]"0.0%;0.0', ["%", None, "%", "%", "%"]),
])
def test_a_format_shows_numbers_as_its_section_for_them_says(code, shown):
    from laatool.load.xlsx_formats import format_sections

    sections = format_sections(code)
    assert [sections.of(Decimal(value)) for value in ("5", "-5", "0", "0.5", "40.2")] == shown


def test_non_breaking_spaces_around_cells_are_ignored(tmp_path):
    """A spreadsheet pads numbers and ids with non-breaking spaces (U+00A0), narrow ones
    (U+202F) or figure spaces (U+2007): each is ignored around the text, as a space is."""
    path = tmp_path / "r.csv"
    path.write_text("area,indicator,period,value\nleeds,NI 8\u2007,\u202f2008-09,54.4\u202f\n"
                    "leeds\u00a0,NI 8,2009-10,\u200754.5\n", encoding="utf-8")
    raw, findings = read_returns([(path, "returns/r.csv")])
    assert findings == []
    assert normalise_returns(raw).select("area_id", "indicator_id", "period_id", "value_num").rows() == [
        ("leeds", "NI 8", "2008-09", Decimal("54.4")), ("leeds", "NI 8", "2009-10", Decimal("54.5"))]


SHARED_TEXTS = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
                '<si><t>99</t></si><si><t>22.8</t></si></sst>')


def _one_return_workbook(path, value_cell: str, parts: dict[str, str] | None = None) -> None:
    """A workbook of one return, its value the cell D2 as written (`value_cell`), whose shared
    texts are 99 and 22.8 (`parts` adds or replaces parts)."""
    from test_hostile import workbook

    def texts(row: int, names: list[str]) -> str:
        return "".join(f'<c r="{letter}{row}" t="inlineStr"><is><t>{name}</t></is></c>'
                       for letter, name in zip("ABCD", names, strict=False))

    xml = (f'<row r="1">{texts(1, ["area", "indicator", "period", "value"])}</row>'
           f'<row r="2">{texts(2, ["leeds", "NI 8", "2010-11"])}{value_cell}</row>')
    parts = {"xl/sharedStrings.xml": SHARED_TEXTS, **(parts or {})}
    path.write_bytes(workbook([{"name": "returns", "xml": xml}], parts))


NOT_AN_INDEX = "is a shared text whose index, '{}', is not a plain whole number: a reader would read the workbook's " \
               "first shared text in its place"
TWO_VALUES = "holds two values, {} and {}, where a cell holds one: a reader would read only one of them"


@pytest.mark.parametrize("cell,problem", [
    ('<c r="D2" t="s"><v>abc</v></c>', NOT_AN_INDEX.format("abc")),
    ('<c r="D2" t="s"><v>-1</v></c>', NOT_AN_INDEX.format("-1")),
    ('<c r="D2" t="s"><v>1.5</v></c>', NOT_AN_INDEX.format("1.5")),
    ('<c r="D2" t="s"><v>+1</v></c>', NOT_AN_INDEX.format("+1")),
    ('<c r="D2" t="s"><v> 1</v></c>', NOT_AN_INDEX.format(" 1")),
    ('<c r="D2" t="s"><v>\n1</v></c>', NOT_AN_INDEX.format("\\n1")),
    ('<c r="D2" t="s"><v>&#49;</v></c>', NOT_AN_INDEX.format("&#49;")),
    ('<c r="D2" t="s"><v>18446744073709551617</v></c>', NOT_AN_INDEX.format("18446744073709551617")),
    ("<c r='D2' t='s'><v>abc</v></c>", QUOTED_WITH_APOSTROPHE),
    ('<c r="D2" s="0" t = "s"><f>A1</f><v>abc</v></c>', NOT_AN_INDEX.format("abc")),
    ('<c r="D2"><v>22.8</v><is><t>99</t></is></c>', TWO_VALUES.format("22.8", "99")),
    ('<c r="D2" t="inlineStr"><v>22.8</v><is><t>99</t></is></c>', TWO_VALUES.format("22.8", "99")),
    ('<c r="D2" t="inlineStr"><is><r><rPr><color rgb="FFFF0000"/></rPr><t>9</t></r><r><t>9</t></r></is>'
     '<v>22.8</v></c>', TWO_VALUES.format("99", "22.8")),
    ('<c r="D2"><v>22.8</v><v>99</v></c>', TWO_VALUES.format("22.8", "99")),
    ('<c r="D2" t="s"><v>1</v> <v>0</v></c>', TWO_VALUES.format("1", "0")),
    ('<c r="D2"><v>22.8</v><v/></c>', TWO_VALUES.format("22.8", "a blank")),
    ('<c r="D2"><is><t>99</t></is><is/></c>', TWO_VALUES.format("99", "a blank")),
    ('<c r="D2"><v>22.8</v><f>21+1.8</f></c>',
     "holds its value 22.8 before a formula, where the value comes last: a reader would read it blank"),
    ('<c r="D2"><v>22.8</v><f/></c>',
     "holds its value 22.8 before a formula, where the value comes last: a reader would read it blank"),
])
def test_an_xlsx_cell_a_reader_would_read_as_another_value_refuses_the_workbook_at_its_row(tmp_path, cell, problem):
    """A shared text's index that is not a plain whole number was read as 0, the first shared
    text (99, scored and paid, with no finding), and of a cell of two values the reader keeps
    the last (or a blank, when a formula follows the value). The workbook is refused (Y006) at
    the cell, as one whose index is past its shared texts is, never read as another value."""
    path = tmp_path / "r.xlsx"
    _one_return_workbook(path, cell)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 0
    assert [(f.code, f.severity.value, f.row, f.message, f.hint) for f in findings] == [
        ("Y006", "error", 2, f"cannot read the file as XLSX: the cell D2 of the sheet 'returns' {problem}",
         "type the cell's value again in a spreadsheet and save the workbook, or correct the program that wrote it")]


@pytest.mark.parametrize("cell,value", [
    ('<c r="D2" t="s"><v>1</v></c>', "22.8"),
    ('<c r="D2" t="s" s="0"><v>0000000000000000000001</v></c>', "22.8"),
    ('<c r="D2" t="s">\n  <v>1</v>\n</c>', "22.8"),
    ('<c r="D2">\n  <v>22.8</v>\n</c>', "22.8"),
    ('<c r="D2"><f>21+1.8</f><v>22.8</v></c>', "22.8"),
    ('<c r="D2" t="inlineStr"><is><t>22.8</t></is></c>', "22.8"),
    ('<c r="D2"><v/><is><t>22.8</t></is></c>', "22.8"),
    ('<c r="D2"><v>2&#50;.8</v></c>', "22.8"),  # the reader stops at the reference: 2
    ('<c r="D2"><v>&#50;2.8</v></c>', "22.8"),  # a blank
    ('<c r="D2" xt="s"><v>22.8</v></c>', "22.8"),
])
def test_an_xlsx_cell_written_unusually_but_plainly_is_read_as_written(tmp_path, cell, value):
    path = tmp_path / "r.xlsx"
    _one_return_workbook(path, cell)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert findings == []
    assert raw["value"].to_list() == [value]


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_an_xlsx_part_declaring_a_dtd_is_named(tmp_path, part):
    """An entity of a DTD (`<!ENTITY e "22.8">`) would make a text other than the part says; no
    spreadsheet writes one. The reader said only "Cannot detect file format"."""
    path = tmp_path / "r.xlsx"
    _one_return_workbook(path, '<c r="D2" t="s"><v>1</v></c>')
    with zipfile.ZipFile(path) as zipped:
        text = zipped.read(part).decode()
    declared = text.replace("?>", '?>\n<!DOCTYPE x [<!ENTITY e "22.8">]>', 1) if text.startswith("<?xml") else (
        '<!DOCTYPE x [<!ENTITY e "22.8">]>' + text)
    _one_return_workbook(path, '<c r="D2" t="s"><v>1</v></c>', {part: declared})
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 0
    assert [(f.code, f.row, f.message) for f in findings] == [
        ("Y006", 1, f"cannot read the file as XLSX: its part {part} declares a DTD (<!DOCTYPE ...>), which may "
         "define entities that change its text: no spreadsheet writes one, and laatool does not read it")]


@pytest.mark.parametrize("header,findings", [
    (["area", "indicator", "period", "value", "value"], [("S003", 1, "value", "column 'value' appears twice")]),
    (["area", "indicator", "period", "value", "Value "], [("S003", 1, "value", "column 'value' appears twice")]),
    (["area", "indicator", "period", "value", "value_1", "value"],
     [("S003", 1, "value", "column 'value' appears twice"), ("S001", 1, "value_1", "unknown column 'value_1'")]),
])
def test_an_xlsx_column_named_twice_is_named_as_written(tmp_path, header, findings):
    """The reader renames the second `value` (`value_1`); the finding names the column as
    written, as a CSV file's does (it was "unknown column 'value_1'")."""
    import xlsxwriter

    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("returns")
    sheet.write_row(0, 0, header)
    sheet.write_row(1, 0, ["leeds", "NI 8", "2008-09", 21, 22, 23][:len(header)])
    book.close()
    raw, found = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 0
    assert [(f.code, f.row, f.field, f.message) for f in found] == findings


def _table(path, header, row):
    """A returns table of one row under `header`, as CSV, XLSX or Parquet by `path`'s suffix."""
    if path.suffix == ".csv":
        path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    elif path.suffix == ".parquet":
        pl.DataFrame([row], schema=header, orient="row").write_parquet(path)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet("returns")
        sheet.write_row(0, 0, header)
        sheet.write_row(1, 0, row)
        book.close()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_headers_findings_name_its_columns_as_written(tmp_path, suffix):
    """(docs/decisions.md "Files") S001 named `Sample Size` in lower case, and S002 asked to
    "add a 'area' column"."""
    path = tmp_path / f"r{suffix}"
    _table(path, ["indicator", "Period", "value", "Sample Size", "Status", "STATUS"],
           ["NI 8", "2008-09", "21", "1100", "final", "final"])
    raw, findings = read_returns([(path, f"returns/r{suffix}")])
    assert raw.height == 0
    assert [(f.code, f.file, f.row, f.field, f.message, f.hint) for f in findings] == [
        ("S003", f"returns/r{suffix}", 1, "Status", "column 'Status' appears twice", "keep one of the two columns"),
        ("S001", f"returns/r{suffix}", 1, "Sample Size", "unknown column 'Sample Size'; did you mean 'sample_size'?",
         "rename or remove it; the columns are area, indicator, period, value, subtarget, numerator, denominator, "
         "sample_size, lower_ci, upper_ci, status, note"),
        ("S002", f"returns/r{suffix}", 1, "area", "missing column 'area'", "add an 'area' column")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_misspelt_column_is_told_the_column_it_may_be(tmp_path, suffix):
    """S001 says "did you mean" as it does for an agreement's misspelt key, among the columns
    the header lacks: `areaa` beside `area` is no `area`, which would then be there twice."""
    path = tmp_path / f"r{suffix}"
    _table(path, ["area", "indicator", "period", "vlaue", "Sample Size", "areaa"],
           ["leeds", "NI 8", "2008-09", "21", "1100", "leeds"])
    raw, findings = read_returns([(path, f"returns/r{suffix}")])
    assert raw.height == 0
    assert [(f.code, f.file, f.row, f.field, f.message) for f in findings] == [
        ("S001", f"returns/r{suffix}", 1, "Sample Size", "unknown column 'Sample Size'; did you mean 'sample_size'?"),
        ("S001", f"returns/r{suffix}", 1, "areaa", "unknown column 'areaa'"),
        ("S001", f"returns/r{suffix}", 1, "vlaue", "unknown column 'vlaue'; did you mean 'value'?"),
        ("S002", f"returns/r{suffix}", 1, "value", "missing column 'value'")]


def test_a_yaml_returns_misspelt_key_is_told_the_column_it_may_be(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("- {area: leeds, indicator: NI 8, period: 2008-09, Vlaue: 21}\n"
                    "- {area: leeds, indicator: NI 8, period: 2009-10, value: 22, lower-ci: 20}\n", encoding="utf-8")
    raw, findings = read_returns([(path, "returns/r.yaml")])
    # the second row is read without its unknown key, as a table's row is without an unknown
    # column (it was left out, and the findings of its other cells with it); the first has no value
    assert raw.select("row", "period", "value", "lower_ci").rows() == [(2, "2009-10", "22", None)]
    assert sorted((f.code, f.file, f.line, f.column, f.message) for f in findings) == [
        ("S001", "returns/r.yaml", 1, 51, "unknown key 'Vlaue'; did you mean 'value'?"),
        ("S001", "returns/r.yaml", 2, 62, "unknown key 'lower-ci'; did you mean 'lower_ci'?"),
        ("S002", "returns/r.yaml", 1, 3, "missing key 'value'")]


def test_a_parquet_double_is_the_number_a_spreadsheet_shows(tmp_path):
    """A Float64 cell holds a double, as an XLSX number cell does: 20.76 / 3 is the double
    written `6.920000000000001` (16 digits), shown and read as 6.92, the figure that was meant
    (exactly 60% of NI 20's way from 7.10 to 6.80, paid); 15 digits or fewer are as written."""
    path = tmp_path / "r.parquet"
    pl.DataFrame({"area": ["stockton"] * 3, "indicator": ["NI 20"] * 3, "period": ["2008-09", "2009-10", "2010-11"],
                  "value": [20.76 / 3, 8.36000000001, 0.1 + 0.2]}).write_parquet(path)
    raw, findings = read_returns([(path, "returns/r.parquet")])
    assert findings == []
    assert raw["value"].to_list() == ["6.92", "8.36000000001", "0.3"]
    assert raw["row"].to_list() == [2, 3, 4]


@pytest.mark.parametrize("kind", [pl.Float64, pl.Float32])
def test_a_parquet_whole_number_is_read_as_an_xlsx_number_cell_is(tmp_path, kind):
    """pandas writes a column of sub-target ids with blanks as doubles: `1.0` is the id `1`,
    as the same number in an XLSX cell is, not the id `1.0` that no sub-target has."""
    import xlsxwriter

    rows = {"area": ["leeds"] * 3, "indicator": ["NI 154"] * 3, "period": ["2010-11"] * 3,
            "value": [1640.0, 1212.5, -0.0], "subtarget": [1.0, 2.0, None]}
    parquet, xlsx = tmp_path / "r.parquet", tmp_path / "r.xlsx"
    pl.DataFrame(rows).with_columns(pl.col("value", "subtarget").cast(kind)).write_parquet(parquet)
    book = xlsxwriter.Workbook(xlsx)
    sheet = book.add_worksheet("returns")
    sheet.write_row(0, 0, list(rows))
    for index, row in enumerate(zip(*rows.values(), strict=True)):
        sheet.write_row(index + 1, 0, row)
    book.close()
    read = [read_returns([(path, f"returns/{path.name}")]) for path in (parquet, xlsx)]
    assert [findings for _, findings in read] == [[], []]
    assert [raw.select("value", "subtarget").rows() for raw, _ in read] == [
        [("1640", "1"), ("1212.5", "2"), ("-0", None)]] * 2


def test_a_parquet_half_is_the_number_a_spreadsheet_would_show(tmp_path):
    """A Float16 cell holds a half: 9.7 is the half 9.703125, which polars writes whole. Each is
    read as its shortest text, the 9.7 written (NI 55's 2/3 of the way, not 0.656 of it); a
    whole half is a whole number, as a double is."""
    path = tmp_path / "r.parquet"
    pl.DataFrame({"area": ["stockton"] * 6, "indicator": ["NI 55"] * 6,
                  "period": ["2005-06", "2006-07", "2007-08", "2008-09", "2009-10", "2010-11"],
                  "value": [9.7, 70.8, 24.9, 2.0, 65504.0, 0.0001], "subtarget": [None, 1.0, 10.0, 150.0, None, None]},
                 schema_overrides={"value": pl.Float16, "subtarget": pl.Float16}).write_parquet(path)
    raw, findings = read_returns([(path, "returns/r.parquet")])
    assert findings == []
    # never in an exponent (sub-target `10`, not `1e+01`); the largest half is the 65500 its
    # shortest text says, as numpy shows it
    assert raw.select("value", "subtarget").rows() == [
        ("9.7", None), ("70.8", "1"), ("24.9", "10"), ("2", "150"), ("65500", None), ("0.0001", None)]


def test_a_parquet_row_of_nulls_is_a_blank_row(tmp_path):
    """A row of nulls (a pandas frame merged with rows missing on one side writes them) holds
    no return: it is left out, as a blank row of a CSV file or a workbook is, and the rows
    after it keep their numbers; a row with one cell filled is no blank row."""
    path = tmp_path / "r.parquet"
    pl.DataFrame({"area": ["leeds", None, "leeds", None], "indicator": ["NI 8", None, "NI 8", None],
                  "period": ["2008-09", None, "2009-10", None], "value": [21.4, None, 22.1, 23.0]}).write_parquet(path)
    raw, findings = read_returns([(path, "returns/r.parquet")])
    assert findings == []
    assert raw.select("area", "value", "row").rows() == [("leeds", "21.4", 2), ("leeds", "22.1", 4), (None, "23", 5)]


NOTE_LEFT_OPEN = ('area,indicator,period,value,note\n'
                  'leeds,NI 8,2008-09,21.4,\n'
                  'leeds,NI 8,2009-10,22.1,"see the team\'s figures\n'
                  'leeds,NI 8,2010-11,23.8,\n'
                  'leeds,NI 154,2010-11,1640,checked"\n'
                  'leeds,NI 154,2009-10,1500,\n')


@pytest.mark.parametrize("files", [1, 2])
def test_a_note_left_open_names_the_rows_it_took_in(tmp_path, files):
    """A CSV file is read as a spreadsheet reads it, a quoted note running over lines and all;
    a note whose later lines read as rows (a quote left open) is named, alone or read beside
    another file of the same header, where the rows it took in would otherwise just be missing."""
    paths = [tmp_path / f"r{number}.csv" for number in range(files)]
    for path in paths:
        path.write_text(NOTE_LEFT_OPEN, encoding="utf-8")
    raw, findings = read_returns([(path, f"returns/{path.name}") for path in paths])
    assert raw.select("file", "indicator", "period", "value", "row").rows() == [
        (f"returns/{path.name}", *row) for path in paths
        for row in [("NI 8", "2008-09", "21.4", 2), ("NI 8", "2009-10", "22.1", 3), ("NI 154", "2009-10", "1500", 4)]]
    assert [(f.code, f.severity.value, f.file, f.row, f.field, f.message) for f in findings] == [
        ("Y020", "warning", f"returns/{path.name}", 3, "note",
         "the note of row 3 goes on over 2 line(s) that read as rows of returns (leeds,NI 8,2010-11,23.8,): a double "
         "quote left open took them into the note, so they are not read") for path in paths]


def test_a_note_over_several_lines_is_read_as_written(tmp_path):
    """Lines with fewer commas than a row of the file's columns are no rows taken in: a list
    of names under a note of a file of twelve columns, with three."""
    path = tmp_path / "r.csv"
    note = "checked, twice, by:\nJ Smith, K Jones, L Brown, M Green"
    path.write_text("area,indicator,period,value,subtarget,numerator,denominator,sample_size,lower_ci,upper_ci,"
                    f'status,note\nleeds,NI 8,2009-10,22.1,,,,,,,,"{note}"\n', encoding="utf-8")
    raw, findings = read_returns([(path, "returns/r.csv")], notes=True)
    assert findings == []
    assert raw.select("note", "row").rows() == [(note, 2)]


def test_yaml_returns_keys_name_their_columns_in_any_case_as_a_header_does(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("- {AREA: leeds, Indicator: NI 154, 'period ': 2008-09, VALUE: 3200}\n"
                    "- {area: leeds, AREA: york, indicator: NI 154, period: 2009-10, value: 3300}\n")
    raw, findings = read_returns([(path, "returns/r.yaml")])
    assert raw.select("area", "indicator", "period", "value", "row").rows() == [
        ("leeds", "NI 154", "2008-09", "3200", 1)]
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        ("S003", 2, 17, "key 'AREA' names the column area again")]


def test_a_yaml_returns_yes_or_no_is_kept_as_written(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("- {area: leeds, indicator: NI 154, period: 2008-09, value: Yes, status: off}\n")
    raw, findings = read_returns([(path, "returns/r.yaml")])
    assert findings == []
    assert raw.select("value", "status").rows() == [("Yes", "off")]


def test_a_yaml_returns_text_column_is_its_text_as_written(tmp_path):
    """A YAML returns value is read as a table's cell is: `subtarget: 01` is the sub-target id
    `01` (YAML would read the number 1, and R315 quoted a `1` nobody wrote), `period: 2009`
    the text 2009; a number column keeps its number's exact text."""
    path = tmp_path / "r.yaml"
    path.write_text("- {area: leeds, indicator: NI 39, period: 2009, value: 04000, subtarget: 01}\n"
                    "- {area: leeds, indicator: NI 39, period: 2010-11, value: 1.50, subtarget: 010}\n")
    raw, findings = read_returns([(path, "returns/r.yaml")])
    assert findings == []
    assert raw.select("period", "value", "subtarget").rows() == [("2009", "4000", "01"), ("2010-11", "1.50", "010")]


@pytest.mark.parametrize("second", ["leeds,NI 154,2009-10,3300\n", "leeds,NI 154,2009-10,3300,north\n"])
def test_a_csv_saved_without_its_header_says_so(tmp_path, second):
    path = tmp_path / "r.csv"
    path.write_text("leeds,NI 154,2008-09,3200\n" + second)
    _, findings = read_returns([(path, "returns/r.csv")])
    assert [(f.code, f.row, f.message) for f in findings] == [
        ("S002", 1, "row 1 holds values (leeds, NI 154, 2008-09, 3200), not the column names: the file has no header")]
    assert findings[0].hint.startswith("add the header as row 1: area,indicator,period,value")


@pytest.mark.parametrize("change", [
    # the declaration ElementTree and lxml write
    lambda xml: re.sub(r"<\?xml[^>]*\?>", "<?xml version='1.0' encoding='UTF-8'?>", xml),
    # SpreadsheetML's namespace also bound to a prefix no element uses
    lambda xml: xml.replace("<worksheet ", '<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                                           'main" ', 1),
])
def test_xml_a_reader_reads_as_written_is_no_refusal(tmp_path, change):
    import io

    data = io.BytesIO()
    _frame().write_excel(data, worksheet="returns")
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(data) as written, zipfile.ZipFile(path, "w") as out:
        for item in written.infolist():
            part = written.read(item).decode()
            out.writestr(item, change(part) if item.filename == "xl/worksheets/sheet1.xml" else part)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert findings == [] and raw["value"].to_list()[:2] == ["3200", "6.8"]


def test_xlsx_cells_without_their_place_are_counted_row_by_row(tmp_path):
    """`r` is optional on rows and cells (a cell without it follows the one before it in its
    row): 5,000 such rows of four cells are a sheet of four columns, read, not 20,004 columns
    refused; a row of 16,385 such cells is over Excel's 16,384 columns, and refused (Y005)."""
    from test_hostile import workbook

    def row(cells: list[str]) -> str:
        return "<row>" + "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells) + "</row>"

    path = tmp_path / "r.xlsx"
    rows = [row(["area", "indicator", "period", "value"])]
    rows += [row(["leeds", "NI 8", f"{year}-{(year + 1) % 100:02d}", "21"]) for year in range(5000)]
    path.write_bytes(workbook([{"name": "returns", "xml": "".join(rows)}], {}))
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert findings == [] and raw.height == 5000
    path.write_bytes(workbook([{"name": "returns", "xml": row(["area", "indicator", "period", "value"] * 4097)}], {}))
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert [(f.code, f.message) for f in findings] == [
        ("Y005", "the table has at least 16,388 columns: the limit is 16,384")]


@pytest.mark.parametrize("cell,error", [
    ('<c r="D2" t="e"><v>#SPILL!</v></c>', "#SPILL!"),
    ('<c r="D2" t="e"><f>SORT(A1:A3)</f><v>#CALC!</v></c>', "#CALC!"),
    ('<c r="D2" t="e"><v>#GETTING_DATA</v></c>', "#GETTING_DATA"),
    ('<c r="D2" t="e"><v>#BLOCKED!</v></c>', "#BLOCKED!"),
])
def test_an_error_value_of_a_newer_excel_is_an_error_at_its_cell(tmp_path, cell, error):
    """Excel 365 stores error values the reader does not know (`#SPILL!` of a dynamic array):
    the cell is reported at its row as any error cell is (Y010), not the whole workbook
    refused as unreadable (Y006, "Unsupported cell error value")."""
    path = tmp_path / "r.xlsx"
    _one_return_workbook(path, cell)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 0
    assert [(f.code, f.row, f.field, f.message) for f in findings] == [
        ("Y010", 2, "value", f"the cell D2 of the sheet 'returns' holds the error {error}")]


@pytest.mark.parametrize("cells,refused", [(107_000, False), (108_000, True)])
def test_a_shared_text_repeated_past_the_limit_is_refused_before_reading(tmp_path, cells, refused):
    """A note of 10,000 characters stored once and named by 108,000 cells is a 4 MB sheet whose
    texts come to 1.08 GB (a million such cells made the reader ask for 12 GB, then panic): the
    sheet is refused before it is read (Y005), as one over the 1 GiB it unzips to is; at 107,000
    cells (1.07 GB, under 1,073,741,824 bytes) it is read."""
    from test_hostile import workbook

    note = "n" * 9_993  # with <t></t>, 10,000 bytes in its part
    texts = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
             f"<si><t>{note}</t></si></sst>")
    header = "".join(f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
                     for letter, name in zip("ABCDE", ["area", "indicator", "period", "value", "note"], strict=True))
    rows = "".join(f'<row r="{row}"><c r="E{row}" t="s"><v>0</v></c></row>' for row in range(2, cells + 2))
    path = tmp_path / "r.xlsx"
    path.write_bytes(workbook([{"name": "returns", "xml": f'<row r="1">{header}</row>{rows}'}],
                              {"xl/sharedStrings.xml": texts}))
    from laatool.load.table_files import TooLarge, inspect_xlsx

    if not refused:
        assert inspect_xlsx(path).name == "returns"
        return
    with pytest.raises(TooLarge, match=r"^the sheet's cells hold more than 1,073,741,824 bytes of text \(each shared "
                                       r"text as often as cells name it\): the limit$"):
        inspect_xlsx(path)
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 0 and [(f.code, f.row) for f in findings] == [("Y005", 1)]


def test_a_cell_naming_a_shared_text_longer_than_any_return_holds_is_refused_before_it_is_read(tmp_path):
    # 400 MB of noughts in one shared text, 413 KB zipped, under the 1 GiB a workbook may unzip
    # to, took a reader 55 s and 7 GB of memory to make a string of; here 2 MiB, refused (Y005)
    # at once (its bytes in the part, its <t> and </t> with it); a shared text the sheet does
    # not name is no matter
    path = tmp_path / "r.xlsx"
    shared = SHARED_TEXTS.replace("<si><t>99</t></si>", "<si><t>" + "0" * (2 * 1024 * 1024) + "</t></si>")
    _one_return_workbook(path, '<c r="D2" t="s"><v>0</v></c>', {"xl/sharedStrings.xml": shared})
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert raw.height == 0
    assert [(f.code, f.message) for f in findings] == [
        ("Y005", "a cell of the sheet holds a text of 2,097,160 bytes, more than any return's cell holds "
                 "(1,048,576 at the most)")]
    _one_return_workbook(path, '<c r="D2" t="s"><v>1</v></c>', {"xl/sharedStrings.xml": shared})
    raw, findings = read_returns([(path, "returns/r.xlsx")])
    assert findings == [] and raw.get_column("value").to_list() == ["22.8"]


def test_a_yaml_return_s_finding_is_placed_by_its_line_and_field_on_stderr(tmp_path):
    """A YAML return's row finding has a line and a field, no column: stderr said
    `returns/x.yaml:1:1:`, a column the finding does not have; it says the field, as the
    validate table does."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    (root / "returns" / "x.yaml").write_text("- area: leeds\n  indicator: NI 8\n  period: 2007-08\n  value: '1:30'\n",
                                             encoding="utf-8")
    result = invoke(["-w", root, "score", "-a", "leeds"], 1)
    assert result.stderr.splitlines()[0].startswith(
        "returns/x.yaml:1 value: R305 error: value '1:30' is not a number (")


@given(lengths=st.lists(st.integers(0, 60), min_size=1, max_size=30), limit=st.integers(2, 25), ended=st.booleans())
def test_the_first_csv_line_over_the_limit_is_found_wherever_it_lies(lengths, limit, ended):
    """Looked at in pieces of half the limit, a file refuses at the first line longer than the
    limit (its row: lines count from 1), whether it ends with a line end or not, and not at all
    when none is longer: as counting every line would find."""
    content = b"\n".join(b"x" * length for length in lengths) + (b"\n" if ended else b"")
    over = next((line for line, length in enumerate(lengths, 1) if length > limit), None)
    with tempfile.TemporaryDirectory() as folder, patch.object(returns_csv, "MAX_LINE_BYTES", limit):
        path = Path(folder) / "returns.csv"
        path.write_bytes(content)
        if over is None:
            returns_csv.check_line_lengths(path, "returns/returns.csv")
        else:
            with pytest.raises(returns_table.Unreadable) as refused:
                returns_csv.check_line_lengths(path, "returns/returns.csv")
            assert (refused.value.finding.code, refused.value.finding.row) == ("Y005", over)
