"""Every `-o FILE.xlsx` is a workbook a council would circulate (DESIGN.md §11): titles in the
first rows, a bold frozen header with an autofilter, £ / % / decimal formats, statuses filled,
a Summary sheet whose totals reconcile with the areas' sheets, landscape fit-to-width printing,
and the same bytes from the same inputs. Read back with openpyxl, as a spreadsheet would."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from conftest import EXAMPLES, invoke, workbook_rows

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
AREAS = ["cumbria", "leeds", "stockton"]
COMMANDS = {
    "score": ["Summary", *AREAS],
    "reward-grant": ["Summary", *AREAS],
    "project": ["Summary", *AREAS],
    "opportunities": ["Summary", "leeds", "cumbria", "stockton"],  # the areas in the list's order
    "benchmark": None,  # the areas compared, comparators included: checked below
    "validate": ["Summary", "findings"],
    "indicators": ["indicators"],
    "rules": ["rules"],
}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Each command's workbook on the examples, written twice."""
    folder = tmp_path_factory.mktemp("books")
    paths = {}
    for command in COMMANDS:
        for run in (1, 2):
            path = folder / f"{command}-{run}.xlsx"
            invoke(["-w", EXAMPLES, command, "-o", path])
            paths[command, run] = path
    return paths


def width_of(ws, column: int) -> float:
    """A column's width as set (openpyxl keeps columns of one width as one range)."""
    return next(d.width for d in ws.column_dimensions.values() if d.min <= column <= d.max)


def money_cells(ws):
    return [cell for row in ws.iter_rows(min_row=6) for cell in row if cell.number_format == MONEY_FORMAT]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_workbook_follows_the_standard(books, command):
    path = books[command, 1]
    assert path.read_bytes() == books[command, 2].read_bytes()  # no time in it
    book = openpyxl.load_workbook(path)
    assert book.properties.created == datetime(1980, 1, 1)
    if COMMANDS[command] is not None:
        assert book.sheetnames == COMMANDS[command]
    for ws in book.worksheets:
        assert ws["A1"].value.startswith(f"laatool {command}") and ws["A1"].font.b
        assert ws.freeze_panes.endswith("6")  # the header (row 5) and the titles above it stay in view
        assert ws.auto_filter.ref.startswith("A5:")
        assert all(cell.font.b for cell in ws[5] if cell.value is not None)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$5:$5"
        assert all(ws.column_dimensions[letter].width >= 6 for letter in ws.column_dimensions)
        for cell in money_cells(ws):  # money is numeric, or text only where a double is not exact
            assert isinstance(cell.value, int | float) or cell.data_type == "f", (ws.title, cell.coordinate)


def test_money_is_numeric_and_exact_to_the_penny(books):
    grant = json.loads(invoke(["-w", EXAMPLES, "reward-grant", "--format", "json"]).stdout)
    book = openpyxl.load_workbook(books["reward-grant", 1])
    for area in grant["areas"]:
        rows = workbook_rows(books["reward-grant", 1], area["area"])
        assert len(rows) == len(area["targets"])
        for row, target in zip(rows, area["targets"], strict=True):
            for key in ("share", "reward", "at_stake", "payment_on_account"):
                assert isinstance(row[key], int | float)
                assert Decimal(repr(float(row[key]))) == Decimal(target[key])
            assert row["provisional"] in ("Yes", "No")
        ws = book[area["area"]]
        header = [cell.value for cell in ws[5]]
        reward = ws.cell(6, header.index("reward") + 1)
        assert reward.number_format == MONEY_FORMAT
        assert ws.cell(6, header.index("achievement") + 1).number_format == "0.00%"


def test_reward_totals_reconcile_with_the_areas(books):
    grant = json.loads(invoke(["-w", EXAMPLES, "reward-grant", "--format", "json"]).stdout)
    path = books["reward-grant", 1]
    summary = workbook_rows(path, "Summary")
    assert [row["area"] for row in summary] == AREAS
    for row, area in zip(summary, grant["areas"], strict=True):
        assert f"{row['total']:.2f}" == area["total"] and f"{row['maximum']:.2f}" == area["maximum"]
        assert row["paid"] + row["below-threshold"] + row["pending"] == row["targets"] == len(area["targets"])
        # the maximum is shared between targets: a target's sub-targets, a group's, are one of them
        assert row["reward_targets"] == len({t["group"] or t["indicator"] for t in area["targets"]})
    ws = openpyxl.load_workbook(path, data_only=True)["Summary"]
    formulas = openpyxl.load_workbook(path)["Summary"]
    header = [cell.value for cell in ws[5]]
    total_row = 6 + len(summary)
    assert ws.cell(total_row, 1).value == "Total" and ws.cell(total_row, 1).font.b
    for column in ("maximum", "total", "revenue", "capital", "at_stake", "reward_targets", "targets", "pending"):
        col = header.index(column) + 1
        by_hand = sum(Decimal(repr(row[column])) for row in summary)
        assert Decimal(repr(ws.cell(total_row, col).value)) == by_hand
        assert formulas.cell(total_row, col).value.startswith("=SUM(")
    assert f"{ws.cell(total_row, header.index('total') + 1).value:.2f}" == grant["total"]
    for cell in ws[total_row]:  # each column is wide enough for its total: no ### in a spreadsheet
        if isinstance(cell.value, int | float):
            assert width_of(ws, cell.column) >= len(f"£{cell.value:,.2f}") + 2
    # each area's sheet sums its targets' rewards under them
    leeds = openpyxl.load_workbook(path, data_only=True)["leeds"]
    rows = workbook_rows(path, "leeds")
    header = [cell.value for cell in leeds[5]]
    assert leeds.cell(6 + len(rows), 1).value == "Total"
    by_hand = sum(Decimal(t["reward"]) for t in grant["areas"][1]["targets"])
    assert Decimal(repr(leeds.cell(6 + len(rows), header.index("reward") + 1).value)) == by_hand
    # Cumbria's 22 shares of £526,931.82 (sub-targets' £87,821.97) add up to £11,592,500.04, so
    # its sheet's at stake is 4p more than the Summary's: the sheet's note says why
    cumbria = openpyxl.load_workbook(path, data_only=True)["cumbria"]
    at_stake = Decimal(repr(cumbria.cell(6 + len(workbook_rows(path, "cumbria")), header.index("at_stake") + 1).value))
    assert at_stake - Decimal(grant["areas"][0]["at_stake"]) == Decimal("0.04")
    assert any("(each share rounded to the penny, so they can add up to pence more or less than the Summary's "
               "maximum and at_stake)" in str(cell.value) for row in cumbria.iter_rows(max_row=4) for cell in row)


def test_score_counts_by_status_reconcile(books):
    path = books["score", 1]
    summary = workbook_rows(path, "Summary")
    for line in summary:
        rows = workbook_rows(path, line["area"])
        assert line["rows"] == len(rows)
        for status in ("green", "amber", "red", "no-data"):
            assert line[status] == sum(row["status"] == status for row in rows)
    ws = openpyxl.load_workbook(path, data_only=True)["Summary"]
    header = [cell.value for cell in ws[5]]
    assert ws.cell(6 + len(summary), header.index("red") + 1).value == sum(line["red"] for line in summary)
    assert ws["A2"].value == "Latest period reported 2010-11; amber from 60% achieved"


def test_statuses_are_filled_with_their_word_still_there(books):
    ws = openpyxl.load_workbook(books["score", 1])["leeds"]
    header = [cell.value for cell in ws[5]]
    fills = {}
    for row in ws.iter_rows(min_row=6):
        cell = row[header.index("status")]
        fills[cell.value] = cell.fill.fgColor.rgb
    assert fills["green"] == "FFC6EFCE" and fills["amber"] == "FFFFEB9C" and fills["red"] == "FFFFC7CE"
    assert fills["no-data"] == "FFE7E6E6"  # grey, as the board report shows it


def test_opportunities_and_project_totals_match_their_json(books):
    document = json.loads(invoke(["-w", EXAMPLES, "opportunities", "--format", "json"]).stdout)
    ws = openpyxl.load_workbook(books["opportunities", 1], data_only=True)["Summary"]
    summary = workbook_rows(books["opportunities", 1], "Summary")
    header = [cell.value for cell in ws[5]]
    for column in ("gain_at_threshold", "gain_at_full"):
        assert f"{ws.cell(6 + len(summary), header.index(column) + 1).value:.2f}" == document[column]
    assert sum(row["targets"] for row in summary) == len(document["rows"])
    projection = json.loads(invoke(["-w", EXAMPLES, "project", "--format", "json"]).stdout)
    summary = workbook_rows(books["project", 1], "Summary")
    assert [f"{row['projected_total']:.2f}" for row in summary] == [a["projected_total"] for a in projection["areas"]]


def test_a_sum_a_double_cannot_hold_is_written_as_its_exact_text(tmp_path):
    from laatool.render.xlsx import Sheet, workbook

    huge = "100000000000000000000000000.01"
    path = tmp_path / "huge.xlsx"
    path.write_bytes(workbook("test", [Sheet("s", ["t"], [{"area": "a", "reward": huge},
                                                         {"area": "b", "reward": "0.10"}], totals=("reward",))]))
    ws = openpyxl.load_workbook(path)["s"]
    assert (ws["B6"].value, ws["B7"].value, ws["B8"].value) == (huge, 0.1, "100000000000000000000000000.11")


def test_sheet_names_are_valid_and_unique_whatever_the_case():
    from laatool.render.xlsx import StandardWorkbook

    book = StandardWorkbook("test")
    names = [book.sheet_name(n) for n in ("Summary", "summary", "a" * 40, "a" * 40, "x/y[1]", "history", "b\x1bc")]
    assert names == ["Summary", "summary~2", "a" * 31, "a" * 29 + "~2", "x-y-1-", "history~2", "b-x1bc"]
    book.bytes()


@pytest.mark.parametrize("command,header", [
    ("score", ["area", "name", "latest_period", "rows", "green", "amber", "red", "no-data"]),
    ("reward-grant", ["area", "name", "scheme", "final_year", "maximum", "total", "of_maximum", "revenue", "capital",
                      "payment_on_account", "recovery", "at_stake", "reward_targets", "targets", "paid",
                      "below-threshold", "pending"]),
    ("project", ["area", "name", "as_at", "maximum", "projected_total", "at_risk", "rows", "target-met", "on-track",
                 "at-risk", "off-track", "insufficient-data", "not-due"]),
    ("opportunities", ["area", "name", "targets", "reward", "gain_at_threshold", "gain_at_full"]),
])
def test_a_workbook_of_no_areas_is_written_with_its_header_and_no_total(tmp_path, command, header):
    """A workspace with no agreement yet (district returns only) gives each command's workbook,
    exit 0, its summary's header and nothing under it: reward-grant's ended in an internal error
    (exit 3, no file), and a Total row of no rows summed itself (`=SUM(D6:D5)` in D6)."""
    for folder in ("agreements", "returns"):
        (tmp_path / "ws" / folder).mkdir(parents=True)
    out = tmp_path / f"{command}.xlsx"
    invoke(["-w", tmp_path / "ws", command, "-o", out])
    rows = [[cell for cell in row if cell is not None] for row in openpyxl.load_workbook(out).worksheets[0]
            .iter_rows(values_only=True)]
    assert rows[3:] == [[], header]


@pytest.mark.parametrize(("maximum", "revenue"), [("131578947368421.05", "65789473684210.53"),
                                                  ("131578947368421.10", "65789473684210.55")])
def test_a_figure_of_more_than_15_significant_digits_is_written_as_its_exact_text(workspace, tmp_path, maximum,
                                                                                    revenue):
    # A maximum of £131,578,947,368,421.05 earned in full (one target, met): a double holds the
    # figure's shortest repr, but Excel shows 15 digits (...421), five pence lost on the page.
    # Revenue, half of it, is 65,789,473,684,210.525, half up .53: 16 digits, text too; a
    # figure of 15 digits or fewer stays a number. Money as text has its two places, as the
    # JSON's (.10, not .1).
    root = workspace({
        "agreements/aa.yaml": """
            area: aa
            name: Aa
            periods: [2008-09, 2009-10, 2010-11]
            reward: {scheme: lpsa2, maximum: MAXIMUM}
            targets:
              - indicator: NI 154
                kind: designated
                baseline: {period: 2007-08, value: 100}
                targets: {2010-11: 130}
        """.replace("MAXIMUM", maximum),
        "returns/r.csv": "area,indicator,period,value\naa,NI 154,2010-11,130\n",
    })
    invoke(["-w", root, "reward-grant", "-o", tmp_path / "r.xlsx"])
    (row,) = workbook_rows(tmp_path / "r.xlsx", "aa")
    assert (row["share"], row["reward"], row["balance"]) == (maximum,) * 3
    (area,) = workbook_rows(tmp_path / "r.xlsx", "Summary")
    assert (area["maximum"], area["total"], area["revenue"]) == (maximum, maximum, revenue)
    assert row["achievement"] == 1


RICH_LOOKING = "<r><t>Leeds</t></r></si><si><r><t>shifted</t></r>"


@pytest.mark.parametrize("command", ["score", "reward-grant", "report", "template"])
def test_text_that_looks_like_xlsxwriters_rich_text_stays_text_and_in_its_cell(tmp_path, command):
    """xlsxwriter writes a string that starts `<r>` and ends `</r>` into the workbook's XML as it
    is (it takes it for rich text it made itself): an agreement's name so written put every
    later text cell on the wrong row (NI 15's reward under "NI 8"), and `<r>a & <b</r>` left a
    workbook no spreadsheet opens. The name is the cell's text, and each row keeps its own."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    leeds = root / "agreements" / "leeds.yaml"
    leeds.write_text(leeds.read_text(encoding="utf-8").replace("name: Leeds", f'name: "{RICH_LOOKING}"', 1),
                     encoding="utf-8")
    out = tmp_path / f"{command}.xlsx"
    area = ["--area", "leeds"]
    invoke(["-w", root, command, *area, "-o", out])
    book = openpyxl.load_workbook(out)
    texts = [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
             if isinstance(cell, str)]
    assert any(RICH_LOOKING in text for text in texts)
    assert not any("shifted" in text and RICH_LOOKING not in text for text in texts)
    plain = tmp_path / f"plain-{command}.xlsx"
    invoke(["-w", EXAMPLES, command, *area, "-o", plain])
    for sheet, same in zip(book.worksheets, openpyxl.load_workbook(plain).worksheets, strict=True):
        assert [[cell.replace(RICH_LOOKING, "Leeds") if isinstance(cell, str) else cell for cell in row]
                for row in sheet.iter_rows(values_only=True)] == [list(row) for row in same.iter_rows(values_only=True)]


def test_rich_looking_text_over_a_cells_limit_is_cut_as_any_text_is(tmp_path):
    """Excel holds at most 32,767 characters in a cell: xlsxwriter cuts a text to that, but
    leaves out a rich string over it (with a warning on stderr). A note of `<r>`, 9,993 control
    characters (each written as an escape of four) and `</r>` is cut as any text is."""
    from laatool.render.output import render
    from test_output import Rows

    note = "<r>" + "\x01" * 9_993 + "</r>"
    path = tmp_path / "long.xlsx"
    path.write_bytes(render(Rows([{"area": "leeds", "note": note}, {"area": "cumbria", "note": "x" + note}]), "xlsx"))
    rows = workbook_rows(path)
    assert [len(row["note"]) for row in rows] == [32_767, 32_767]
    assert rows[0]["note"] == ("<r>" + "\\x01" * 9_993)[:32_767]


def test_a_benchmark_sheet_explains_missing_only_where_a_row_is_missing(tmp_path):
    """Every area's sheet said what `vs_england missing` means, on sheets with no missing row
    too. NI 8 in 2008-09: Cumbria and Leeds have values, Bradford (a comparator) has none."""
    path = tmp_path / "benchmark.xlsx"
    invoke(["-w", EXAMPLES, "benchmark", "-i", "NI 8", "-p", "2008-09", "-o", path])
    book = openpyxl.load_workbook(path)
    missing = "vs_england missing: no value for that indicator and period (never imputed)"
    notes = {name: book[name].cell(3, 1).value for name in ("bradford", "cumbria", "leeds")}
    assert notes == {"bradford": missing, "cumbria": None, "leeds": None}
    assert [row["vs_england"] for row in workbook_rows(path, "bradford")] == ["missing"]


def agreement(area: str, last: str) -> str:
    """An agreement of one NI 192 target whose final year is `last`."""
    years = ["2008-09", "2009-10", "2010-11"]
    return f"""
        area: {area}
        name: {area.title()}
        periods: [{', '.join(years[:years.index(last) + 1])}]
        reward: {{scheme: lpsa2, maximum: 800000.00}}
        targets:
          - indicator: NI 192
            kind: designated
            baseline: {{period: 2007-08, value: 8.0}}
            targets: {{{last}: 8.6}}
        """


@pytest.mark.parametrize(("lasts", "said"), [
    (("2010-11", "2010-11"), "final year 2010-11"),
    (("2009-10", "2010-11"), "final years 2009-10 to 2010-11"),
])
def test_the_grant_summary_names_each_final_year_of_the_areas(workspace, tmp_path, lasts, said):
    """Areas whose agreements end in other years: the Summary's title gave the latest (2010-11)
    as every area's final year, beside an area row of 2009-10."""
    areas = zip(("alpha", "beta"), lasts, strict=True)
    root = workspace({f"agreements/{area}.yaml": agreement(area, last) for area, last in areas})
    path = tmp_path / "grant.xlsx"
    invoke(["-w", root, "reward-grant", "-o", path])
    sheet = openpyxl.load_workbook(path)["Summary"]
    assert sheet["A2"].value == f"National total £0.00; each area's own scheme; {said}"
    assert [row["final_year"] for row in workbook_rows(path, "Summary")] == list(lasts)


def test_an_opportunities_workbook_of_no_target_within_reach_says_so(workspace, tmp_path):
    """Leeds' one target is met in full: no target is within reach, and the title said "no areas"
    of a workspace with an area chosen."""
    root = workspace({"agreements/leeds.yaml": agreement("leeds", "2010-11"),
                      "returns/r.csv": "area,indicator,period,value\nleeds,NI 192,2010-11,8.6\n"})
    path = tmp_path / "opportunities.xlsx"
    invoke(["-w", root, "opportunities", "--area", "leeds", "-o", path])
    assert openpyxl.load_workbook(path)["Summary"]["A1"].value == (
        "laatool opportunities: no reward target within 0.10")
    assert workbook_rows(path, "Summary") == []
