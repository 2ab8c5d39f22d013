"""`laatool report` (DESIGN.md §11): the board report as one page and as one workbook.

Every figure of the page is checked against the JSON of the command it comes from (score,
reward-grant, project, benchmark) for the same area; two runs give the same bytes; the page
holds no script and no external asset; bad options end as the other commands' do and leave
no file; matplotlib and jinja2 are loaded by the report alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLES, invoke, workbook_rows


class Cells(HTMLParser):
    """The page's target rows (`data-indicator`) with their `data-field` texts, its summary
    figures, and whatever it links to or runs."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []  # every row of every targets table
        self.summary: dict[str, str] = {}
        self.tables = 0
        self.scripts = 0
        self.external: list[str] = []
        self.svgs = 0
        self.titles = 0
        self.headers: list[dict[str, str | None]] = []
        self._field: str | None = None
        self._text = ""
        self._depth = 0
        self._in_targets = False
        self._row: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag == "svg":
            self.svgs += 1
        if tag == "title" and self.svgs:
            self.titles += 1
        if tag == "th":
            self.headers.append(attributes)
        if tag == "table" and "targets" in (attributes.get("class") or ""):
            self.tables += 1
            self._in_targets = True
        if tag == "tr" and self._in_targets and "data-indicator" in attributes:
            self._row = {"indicator": attributes["data-indicator"], "subtarget": attributes["data-subtarget"]}
            self.rows.append(self._row)
        if "data-field" in attributes:
            self._field, self._text, self._depth = attributes["data-field"], "", 0
            if "data-status" in attributes and self._row is not None:
                self._row[f"{attributes['data-field']}_status"] = attributes["data-status"]
        elif self._field is not None:
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_targets = False
            self._row = None
        if self._field is None:
            return
        if self._depth:
            self._depth -= 1
            return
        text = " ".join(self._text.split())
        if self._row is not None:
            self._row[self._field] = text
        else:
            self.summary[self._field] = text
        self._field = None

    def handle_data(self, data):
        if self._field is not None:
            self._text += data


def run_json(*args: str) -> dict:
    return json.loads(invoke(["-w", EXAMPLES, *args, "--format", "json"]).stdout)


@pytest.fixture(scope="module")
def leeds_page(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("report") / "leeds.html"
    invoke(["-w", EXAMPLES, "report", "--area", "leeds", "-o", out])
    return out, out.read_text(encoding="utf-8")


def number(value) -> str:
    """A JSON number as the page writes it (the JSON's own digits)."""
    if value is None:
        return ""
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def pounds(text: str) -> str:
    """A page's money as the JSON writes it: `£24,800,000.00` -> `24800000.00`."""
    return text.replace("£", "").replace(",", "")


def test_every_figure_of_the_page_is_the_json_of_its_command(leeds_page):
    _, page = leeds_page
    cells = Cells()
    cells.feed(page)
    score = run_json("score", "--area", "leeds", "--period", "2010-11")["areas"][0]
    reward = run_json("reward-grant", "--area", "leeds")["areas"][0]
    projection = run_json("project", "--area", "leeds")["areas"][0]
    scored = {(r["indicator"], r["subtarget"] or ""): r for r in score["rows"]}
    projected = {(r["indicator"], r["subtarget"] or ""): r for r in projection["rows"]}
    assert len(cells.rows) == len({(r["indicator"], r["subtarget"]) for r in run_json(
        "score", "--area", "leeds")["areas"][0]["rows"]}), "a row per (sub-)target"
    checked = 0
    for row in cells.rows:
        key = (row["indicator"], row["subtarget"])
        if key in scored:
            s = scored[key]
            assert row["target"] == number(s["target"]), key
            assert row["actual"] == number(s["actual"]) + ("*" if s["provisional"] else ""), key
            assert row["status_status"] == s["status"], key
            assert row["baseline"] == number(s["baseline"]), key
            assert row["direction"].endswith(s["direction"]) or (s["direction"] == "n/a" and row["direction"] == "—")
            if s["ci_lower"] is not None:
                assert row["interval"] == f"{number(s['ci_lower'])}–{number(s['ci_upper'])}", key
                assert row["target_test"] == s["target_test"], key
            checked += 1
        if key in projected:
            p = projected[key]
            assert row["final_target"] == number(p["target"]), key
            assert row["projected_final"] == number(p["projected_final"]), key
            assert row["projection_status"] == p["status"], key
            assert row["reward"] == ("yes" if p["reward"] else "no"), key
    assert checked >= 50
    assert int(cells.summary["count-green"]) == sum(1 for r in score["rows"] if r["status"] == "green")
    assert int(cells.summary["count-red"]) == score["summary"]["red"]
    assert pounds(cells.summary["maximum"]) == reward["maximum"]
    assert pounds(cells.summary["earned"]) == reward["total"]
    assert pounds(cells.summary["at_risk"]) == projection["at_risk"]
    pending = any(t["status"] == "pending" for t in reward["targets"])
    if pending:
        assert pounds(cells.summary["projected_total"]) == projection["projected_total"]


def test_quartiles_are_benchmark_s(leeds_page):
    _, page = leeds_page
    cells = Cells()
    cells.feed(page)
    compared = run_json("benchmark", "--period", "2010-11")
    quartiles = {row["indicator"]: entry["quartile"] for row in compared["rows"] for entry in row["areas"]
                 if entry["area"] == "leeds"}
    shown = {row["indicator"]: row["quartile"] for row in cells.rows if not row["subtarget"]}
    assert any(q != "—" for q in shown.values())
    for indicator, text in shown.items():
        expected = quartiles.get(indicator)
        assert text == ("—" if expected is None else str(expected)), indicator


def test_the_page_is_self_contained_accessible_and_tabled_by_theme(leeds_page):
    _, page = leeds_page
    cells = Cells()
    cells.feed(page)
    assert cells.scripts == 0 and "<script" not in page.lower()
    assert cells.external == [], "no external asset or link"
    assert "url(http" not in page and "@import" not in page
    assert "@page" in page and "landscape" in page
    assert cells.tables == 6, "one table per theme of the Leeds agreement"
    assert cells.svgs == len(cells.rows) and cells.titles == cells.svgs, "a titled chart per (sub-)target"
    assert page.count("<desc ") == cells.svgs
    assert all(h.get("scope") in ("col", "row") for h in cells.headers)
    for word, symbol in (("Green", "●"), ("Amber", "◆"), ("Red", "▲")):
        assert f'{symbol}</span> {word}' in page
    assert "Exceptions" in page and "teenage pregnancy plan refreshed" in page
    assert "Leeds: Local Area Agreement performance, 2010-11" in page


def test_two_runs_give_the_same_bytes(tmp_path, leeds_page, monkeypatch):
    first, _ = leeds_page
    again = tmp_path / "again.html"
    invoke(["-w", EXAMPLES, "report", "--area", "leeds", "-o", again])  # its charts read back from the cache
    assert again.read_bytes() == first.read_bytes()
    monkeypatch.setenv("LAATOOL_NO_CACHE", "1")
    drawn = tmp_path / "drawn.html"
    invoke(["-w", EXAMPLES, "report", "--area", "leeds", "-o", drawn])  # every chart drawn afresh
    assert drawn.read_bytes() == first.read_bytes()
    books = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for book in books:
        invoke(["-w", EXAMPLES, "report", "-o", book])
    assert books[0].read_bytes() == books[1].read_bytes()


def test_the_workbook_has_a_summary_and_a_sheet_per_area(tmp_path):
    import zipfile

    import fastexcel

    book = tmp_path / "report.xlsx"
    invoke(["-w", EXAMPLES, "report", "-o", book])
    workbook = fastexcel.read_excel(book.read_bytes())
    assert workbook.sheet_names == ["Summary", "Exceptions", "cumbria", "leeds", "stockton"]
    # the exceptions (§11): each area's rows red in its year shown or projected off track, in its
    # sheet's order, with their commentary
    exceptions = workbook.load_sheet("Exceptions", header_row=4).to_polars()
    expected = []
    for area in ("cumbria", "leeds", "stockton"):
        rows = workbook.load_sheet(area, header_row=4).to_polars()
        expected += [(area, row["Ref"], row["Status"], row["Projection"], row["Commentary"]) for row in
                     rows.iter_rows(named=True) if row["Status"] == "▲ Red" or row["Projection"] == "▲ off-track"]
    assert exceptions.select("Area", "Ref", "Status", "Projection", "Commentary").rows() == expected
    assert [len([e for e in expected if e[0] == area]) for area in ("cumbria", "leeds", "stockton")] == [5, 7, 5]
    summary = workbook.load_sheet("Summary", header_row=4).to_polars()  # every workbook's header is row 5
    reward = run_json("reward-grant")
    totals = {a["area"]: a["total"] for a in reward["areas"]}
    for row in summary.iter_rows(named=True):
        if row["Area"] in totals:
            assert f"{row['Reward earned']:.2f}" == totals[row["Area"]]
    assert summary.row(-1)[0] == "Total"
    leeds = workbook.load_sheet("leeds", header_row=4).to_polars()
    assert leeds.columns[:3] == ["Ref", "Title", "Theme"] and "Commentary" in leeds.columns
    # status and direction as symbol and word, as on the page (§11: never colour alone)
    assert set(leeds.get_column("Direction").drop_nulls()) <= {"▲ improving", "► unchanged", "▼ worsening"}
    assert "▲ improving" in set(leeds.get_column("Direction"))
    with zipfile.ZipFile(book) as archive:
        core = archive.read("docProps/core.xml").decode()
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "1980-01-01" in core
    assert "<pane " in sheet and "autoFilter" in sheet and 'orientation="landscape"' in sheet
    assert 'fitToWidth="1"' in sheet or "fitToPage" in sheet


def test_a_report_of_another_year_and_as_at(tmp_path):
    out = tmp_path / "r.html"
    invoke(["-w", EXAMPLES, "report", "-a", "leeds", "--period", "2009-10", "--as-at", "2009-10", "-o", out])
    page = out.read_text(encoding="utf-8")
    assert "Leeds: Local Area Agreement performance, 2009-10" in page
    assert "as at 2009-10" in page


@pytest.mark.parametrize(("as_at", "year"), [("2009-10 Q2", "2008-09"), ("2007-08", "2008-09")])
def test_a_report_as_at_an_earlier_period_uses_only_the_returns_known_then(tmp_path, as_at, year):
    """As at 2009-10 Q2 no final-year (2010-11) return was known: nothing is earned yet and every
    reward target is pending (reward-grant on every return pays £17,187,719.41, which the page
    must not show); the tables show 2008-09, ended by then, as score gives it. As at 2007-08 no
    year of the agreement had ended: the tables show its first year, with no actual."""
    out = tmp_path / "r.html"
    said = invoke(["-w", EXAMPLES, "report", "-a", "leeds", "--as-at", as_at, "-o", out]).stderr
    nothing = ("laatool: no return of leeds had ended by the end of 2007-08 (--as-at), so nothing is known of their "
               "targets then")
    assert (nothing in said) == (as_at == "2007-08")
    page = out.read_text(encoding="utf-8")
    cells = Cells()
    cells.feed(page)
    reward = run_json("reward-grant", "--area", "leeds")["areas"][0]
    assert reward["total"] == "17187719.41"
    assert pounds(cells.summary["earned"]) == "0.00"
    assert f"{len(reward['targets'])} reward targets pending" in page
    projection = run_json("project", "--area", "leeds", "--as-at", as_at)["areas"][0]
    assert pounds(cells.summary["projected_total"]) == projection["projected_total"]
    score = run_json("score", "--area", "leeds", "--period", year)["areas"][0]
    known = as_at == "2009-10 Q2"
    assert int(cells.summary["count-green"]) == (score["summary"]["green"] if known else 0)
    assert int(cells.summary["count-red"]) == (score["summary"]["red"] if known else 0)
    assert any(row["actual"] for row in cells.rows) == known


def test_an_agreement_with_nothing_reported_shows_its_first_year(tmp_path):
    """No return yet: no year has an actual, so the tables show the agreement's first year,
    2008-09 (not its final one); as at 2009-10, the latest year ended by then."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    for returns in (root / "returns").iterdir():
        returns.unlink()
    out = tmp_path / "r.html"
    invoke(["-w", root, "report", "-a", "leeds", "-o", out])
    assert "Leeds: Local Area Agreement performance, 2008-09" in out.read_text(encoding="utf-8")
    invoke(["-w", root, "report", "-a", "leeds", "--as-at", "2009-10 Q4", "-o", out])
    assert "Leeds: Local Area Agreement performance, 2009-10" in out.read_text(encoding="utf-8")


def test_commentary_is_shown_as_written_and_never_runs_or_reorders(tmp_path):
    """A note's markup is escaped, and its control characters (an escape sequence, a control
    code, a right-to-left override, none of which HTML may hold or should obey) are shown as
    escapes; its text otherwise as written."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    returns = root / "returns" / "returns-2010-11.csv"
    old = "Re-offending flat after probation caseload changes"
    note = "<script>alert(1)</script> \x1b[31mred\x01 \u202eevil\u202c & {{ 7*7 }} Re-offending flat"
    returns.write_text(returns.read_text(encoding="utf-8").replace(old, note), encoding="utf-8")
    out = tmp_path / "r.html"
    invoke(["-w", root, "report", "-a", "leeds", "-o", out])
    page = out.read_text(encoding="utf-8")
    assert ("&lt;script&gt;alert(1)&lt;/script&gt; \\x1b[31mred\\x01 \\u202eevil\\u202c &amp; {{ 7*7 }} "
            "Re-offending flat") in page
    assert not any(char in page for char in "\x1b\x01\u202e\u202c")
    assert "<script" not in page


def test_a_note_on_a_sub_target_written_in_another_case_is_shown_under_it(tmp_path):
    """Cumbria's 2010-11 NI 154 return for `Allerdale` is the sub-target allerdale's (its
    figures are), and so is its note, the latest for it."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    returns = root / "returns" / "returns-2010-11.csv"
    old = "cumbria,NI 154,2010-11,326,allerdale,,,,,,,\n"
    text = returns.read_text(encoding="utf-8")
    assert old in text
    returns.write_text(text.replace(old, "cumbria,NI 154,2010-11,326,Allerdale,,,,,,,Two schemes slipped to 2011\n"),
                       encoding="utf-8")
    out = tmp_path / "r.html"
    invoke(["-w", root, "report", "-a", "cumbria", "-o", out])
    assert "Two schemes slipped to 2011" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("row", "shown", "gone"), [
    # a template's row not filled in reports nothing: the 2009-10 return's note stays
    ("leeds,NI 110,2010-11,,,,,,,,,\n", "TellUs4; the TellUs survey was stopped in 2010", None),
    # a blank value with a note is a return saying why: its note is the latest
    ("leeds,NI 110,2010-11,,,,,,,,,Survey not run\n", "Survey not run", "TellUs4"),
    # a value without a note is the latest return, and says nothing
    ("leeds,NI 110,2010-11,66.0,,,,1400,,,,\n", None, "TellUs4"),
])
def test_the_commentary_is_the_note_of_the_latest_return(tmp_path, row, shown, gone):
    """NI 110's latest return is 2009-10's, with its note; a 2010-11 row after it is the latest
    return only when it reports something."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "returns" / "later.csv").write_text(
        "area,indicator,period,value,subtarget,numerator,denominator,sample_size,lower_ci,upper_ci,status,note\n"
        + row, encoding="utf-8")
    out = tmp_path / "r.html"
    invoke(["-w", root, "report", "-a", "leeds", "-o", out])
    page = out.read_text(encoding="utf-8")
    if shown is not None:
        assert shown in page
    if gone is not None:
        assert gone not in page


@pytest.mark.parametrize(("args", "message"), [
    (["-a", "leds"], "did you mean leeds"),
    (["-a", "leeds", "--period", "2010-11", "--as-at", "2009-10"], "ends after --as-at"),
    (["-a", "leeds", "--as-at", "someday"], "--as-at"),
])
def test_bad_options_are_usage_errors_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "r.html"
    result = invoke(["-w", EXAMPLES, "report", *args, "-o", out], code=2)
    assert message in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["r.pdf", "r.json", "r"])
def test_an_output_that_is_not_html_or_xlsx_is_one_line_and_exit_2(tmp_path, name):
    result = invoke(["-w", EXAMPLES, "report", "-o", tmp_path / name], code=2)
    assert len(result.stderr.strip().splitlines()) == 1 and ".html or .xlsx" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_invalid_inputs_write_nothing(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    with (root / "returns" / "returns-2010-11.csv").open("a", encoding="utf-8") as handle:
        handle.write("leeds,NI 8,2010-11,not a number,,,,,,,,\n")
    out = tmp_path / "r.html"
    invoke(["-w", root, "report", "-a", "leeds", "-o", out], code=1)
    assert not out.exists()
    invoke(["-w", root, "report", "-a", "cumbria", "-o", out])  # another area's inputs are clean
    assert out.exists()
    skipped = tmp_path / "skipped.html"
    result = invoke(["-w", root, "report", "--skip-invalid", "-o", skipped], code=1)
    assert "leeds refused" in result.stderr
    page = skipped.read_text(encoding="utf-8")
    assert 'data-area="cumbria"' in page and 'data-area="leeds"' not in page


def test_notes_are_read_for_the_report_alone():
    from laatool import api

    assert "note" not in api.load_workspace(EXAMPLES).returns.columns
    assert "note" in api.load_workspace(EXAMPLES, notes=True).returns.columns


def test_other_commands_and_help_load_neither_matplotlib_nor_jinja2(tmp_path):
    """The report's libraries are imported by the report alone: `--help` and every other
    command stay as quick as they were."""
    code = ("import sys, runpy\n"
            "sys.argv = ['laatool', *sys.argv[1:]]\n"
            "from laatool.cli import app\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('matplotlib', 'jinja2') if m in sys.modules), file=sys.stderr)\n")
    for args in (["--help"], ["report", "--help"], ["-w", str(EXAMPLES), "score", "-a", "leeds", "--format", "json"],
                 ["-w", str(EXAMPLES), "project", "--format", "csv"]):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
        assert done.stderr.strip().splitlines()[-1] == "[]", (args, done.stderr)


def test_chromium_renders_the_page(leeds_page, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium on this machine (Debian package `chromium`): the page is not rendered in a browser")
    page, _ = leeds_page
    shot, pdf = tmp_path / "page.png", tmp_path / "page.pdf"
    common = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    subprocess.run([*common, "--window-size=1400,2000", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    subprocess.run([*common, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    assert pdf.read_bytes()[:5] == b"%PDF-"
    # A4 landscape: 842 x 595 points
    assert b"/MediaBox [0 0 841.91998 595.91998]" in pdf.read_bytes() or b"841.9" in pdf.read_bytes()


def test_painters_and_this_process_draw_the_same_bytes():
    """Charts drawn by painter processes (a report of many) are those drawn here (one of few)."""
    from laatool.render.board_chart import Chart, Painters, draw_here

    charts = [Chart(name=f"area-NI {n}", title=f"NI {n}: a title", description="Actual: 2008-09 1.5.",
                    years=[(2007.0, "2007-08"), (2008.0, "2008-09")], actuals=[(2008.0, 1.5 + n)],
                    trajectory=[(2007.0, 1.0), (2008.0, 2.0 + n)], final=(2008.0, 2.0 + n),
                    intervals=[(2008.0, 1.0 + n, 2.0 + n)], projection=[]) for n in range(5)]
    with Painters() as painters:
        assert painters.draw(charts) == draw_here(charts)


def test_painters_stop_with_a_report_that_is_stopped():
    """Ctrl-C (or a signal, or an error) while painters draw ends them with the command: they
    drew on for seconds after a stopped report had ended."""
    from laatool.render.board_chart import Painters

    with pytest.raises(KeyboardInterrupt), Painters() as painters:
        assert painters.processes and all(process.poll() is None for process in painters.processes)
        raise KeyboardInterrupt
    assert all(process.returncode is not None for process in painters.processes)


def test_a_scheme_that_halves_the_grant_shows_the_projection_as_the_grant_it_would_give(workspace, tmp_path):
    # final-2011 pays the rewards × 0.5. Maximum £1,000,000: two shares of £500,000. NI 154 met
    # (reward £500,000, grant so far £250,000); NI 39 projected from 2100 (2007-08), 2080, 2060
    # to 2040 in 2010-11 against a target of 2000: achievement 0.6, £300,000 (indicative).
    # Projected rewards £800,000 are a grant of £400,000, which is what reward-grant pays once
    # 2040 is returned: the page never sets rewards before the adjustment beside a grant after it.
    root = workspace({
        "agreements/adj.yaml": """
            area: adj
            name: Adjton
            periods: [2008-09, 2009-10, 2010-11]
            reward: {scheme: final-2011, maximum: 1000000}
            targets:
              - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 0}, targets: {2010-11: 100}}
              - {indicator: NI 39, kind: designated, baseline: {period: 2007-08, value: 2100}, targets: {2010-11: 2000}}
            """,
        "returns/r.csv": "area,indicator,period,value\nadj,NI 154,2010-11,100\nadj,NI 39,2008-09,2080\n"
                         "adj,NI 39,2009-10,2060\n",
    })
    page = tmp_path / "adj.html"
    invoke(["-w", root, "report", "-o", page])
    cells = Cells()
    cells.feed(page.read_text(encoding="utf-8"))
    assert {field: cells.summary[field] for field in ("maximum", "maximum_adjusted", "projected_grant",
                                                        "projected_total", "earned")} == {
        "maximum": "£1,000,000.00", "maximum_adjusted": "£500,000.00", "projected_grant": "£400,000.00",
        "projected_total": "£800,000.00", "earned": "£250,000.00"}
    # each of them is a figure of the JSON of project and reward-grant, as every figure of the page is
    projected = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout)["areas"][0]
    granted = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)["areas"][0]
    assert (projected["projected_total"], projected["projected_grant"], granted["maximum"], granted["maximum_adjusted"],
            granted["total"]) == ("800000.00", "400000.00", "1000000.00", "500000.00", "250000.00")
    (root / "returns" / "r.csv").write_text((root / "returns" / "r.csv").read_text() + "adj,NI 39,2010-11,2040\n")
    grant = json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)["areas"][0]
    assert grant["total"] == "400000.00"


@pytest.mark.parametrize(("indicator", "said", "quartiles"), [
    ("NI 8", "no quartiles for NI 8 in the report: 2 error(s)", 0),
    ("NI 16", "no quartiles for NI 16 in the report: 1 error(s)", 1),
])
def test_a_report_without_quartiles_lists_the_errors_that_left_them_out(tmp_path, indicator, said, quartiles):
    # a bad return of an area with no agreement refuses benchmark's comparison of its indicator,
    # not the report, nor the quartiles of the others: NI 8's (leeds is first of the comparators')
    # stays when the bad row is NI 16's. Darlington's NI 8 also conflicts with its comparator row.
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    with (root / "returns" / "returns-2010-11.csv").open("a") as returns:
        returns.write(f"darlington,{indicator},2010-11,zz,,,,,,,,\n")
    page = tmp_path / "r.html"
    result = invoke(["-w", root, "report", "-a", "leeds", "-o", page])
    lines = result.stderr.splitlines()
    refused = next(i for i, line in enumerate(lines) if line.startswith("laatool: no quartiles"))
    assert lines[refused] == f"laatool: {said} in the files compared (listed above)"
    assert any(": R305 error: value 'zz' is not a number" in line for line in lines[:refused])
    text = page.read_text(encoding="utf-8")
    assert text.count('data-field="quartile">1<') == quartiles
    # the page says so too: a board cannot read a missing quartile off stderr
    assert (f'<p class="note" data-field="no-quartiles">No quartiles for {indicator}: the returns compared hold '
            "errors (`laatool benchmark` lists them).</p>") in text


CTL_AGREEMENT = """
area: ctl
name: Ctl
periods: [2008-09, 2009-10, 2010-11]
reward: {scheme: lpsa2, maximum: 1000.00}
targets:
  - indicator: CTL-01
    kind: local
    baseline: {period: 2007-08, value: 10}
    targets: {2008-09: 12, 2009-10: 14, 2010-11: 20}
"""


def test_a_chart_s_title_shows_control_characters_and_bidi_marks_as_escapes(workspace, tmp_path):
    """The chart's SVG <title> is the indicator's title: an escape sequence, a bell, a control
    code, a right-to-left override and mark are shown as escapes there too, as everywhere on
    the page (they went into the SVG raw)."""
    root = workspace({
        "agreements/ctl.yaml": CTL_AGREEMENT,
        "indicators/CTL-01.yaml": 'id: CTL-01\ntitle: "Esc \\e[31mRED\\e[0m bell \\a x \\x01 rlo \\u202Etxt.exe'
                                  ' rlm \\u200F"\npolarity: higher\nunit: count\ndecimals: 0\nfrequency: annual\n'
                                  "period_type: financial-year\n",
        "returns/r.csv": "area,indicator,period,value\nctl,CTL-01,2010-11,15\n",
    })
    out = tmp_path / "r.html"
    invoke(["-w", root, "report", "-o", out])
    page = out.read_text(encoding="utf-8")
    assert ('<title id="ctl-CTL-01-title">CTL-01: Esc \\x1b[31mRED\\x1b[0m bell \\x07 x \\x01 rlo \\u202etxt.exe'
            ' rlm \\u200f</title>') in page
    assert not any(char in page for char in "\x1b\x07\x01\u202e\u200f")


def chart_of(page: str, name: str) -> str:
    """The SVG of the chart named `name` (its area and ref, as its ids are)."""
    at = page.index(f'<title id="{name}-title">')
    return page[page.rindex("<svg", 0, at):page.index("</svg>", at)]


def chart_texts(svg: str) -> list[str]:
    import re

    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize(("baseline", "labels", "gap"), [
    ("2007-08", ["2007-08", "2008-09", "2009-10", "2010-11"], False),
    ("2004-05", ["2004-05", "2008-09", "2009-10", "2010-11"], True),
])
def test_the_axis_skips_years_only_for_a_baseline_over_two_years_before_the_agreement(workspace, tmp_path,
                                                                                       baseline, labels, gap):
    """The agreement runs 2008-09 to 2010-11 and its one target is for 2010-11: a 2007-08
    baseline is the year before the agreement, so every year has its place and nothing is
    skipped (the axis was marked ≈ and the baseline moved, the first year with a target taken
    for the agreement's first); a 2004-05 baseline is drawn two years before it, ≈ between."""
    root = workspace({
        "agreements/c.yaml": f"area: c\nname: Chartville\nperiods: [2008-09, 2009-10, 2010-11]\n"
                             f"reward: {{scheme: lpsa2, maximum: 900000.00}}\ntargets:\n"
                             f"  - {{indicator: NI 154, kind: designated, baseline: {{period: {baseline}, value: 500}},"
                             f" targets: {{2010-11: 800}}}}\n",
        "returns/r.csv": "area,indicator,period,value\nc,NI 154,2010-11,790\n",
    })
    out = tmp_path / "c.html"
    invoke(["-w", root, "report", "-o", out])
    svg = chart_of(out.read_text(encoding="utf-8"), "c-NI-154")
    assert [text for text in chart_texts(svg) if "-" in text] == labels
    assert ("≈" in chart_texts(svg)) == gap


def markers(svg: str, colour: str) -> list[float]:
    """The x of each marker of one colour in a chart (actuals #1f4e79, projection #b35806)."""
    import re

    return [float(x) for x, style in re.findall(r'<use xlink:href="[^"]*" x="([^"]*)" y="[^"]*" style="([^"]*)"', svg)
            if f"stroke: {colour}" in style]


def test_a_chart_shows_the_actuals_of_years_without_a_target(workspace, tmp_path):
    """Baseline 500 (2007-08), one target (800 for 2010-11), returns 600 (2008-09) and 700
    (2009-10): the chart draws both actuals and the projection dashed from the latest, 700, as
    `project` uses them (it said "No actual reported yet" and started the projection at the
    baseline); the tables show 2009-10, the latest year with an actual, with its actual beside
    "no target" (they showed 2008-09, blank)."""
    root = workspace({
        "agreements/c.yaml": "area: c\nname: Chartville\nperiods: [2008-09, 2009-10, 2010-11]\n"
                             "reward: {scheme: lpsa2, maximum: 900000.00}\ntargets:\n"
                             "  - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 500},"
                             " targets: {2010-11: 800}}\n",
        "returns/r.csv": "area,indicator,period,value\nc,NI 154,2008-09,600\nc,NI 154,2009-10,700\n",
    })
    out = tmp_path / "c.html"
    invoke(["-w", root, "report", "-o", out])
    page = out.read_text(encoding="utf-8")
    svg = chart_of(page, "c-NI-154")
    assert ('<desc id="c-NI-154-desc">Actual: 2008-09 600, 2009-10 700. Baseline 500 (2007-08). Agreed targets: '
            "2010-11 800. Projected 800 in 2010-11 (on-track).</desc>") in svg
    actuals, projection = markers(svg, "#1f4e79"), markers(svg, "#b35806")
    assert len(actuals) == 2 and len(projection) == 2 and projection[0] == actuals[-1] < projection[1]
    assert "Chartville: Local Area Agreement performance, 2009-10" in page
    cells = Cells()
    cells.feed(page)
    assert [(row["actual"], row["status"]) for row in cells.rows] == [("700", "no target")]
    project = json.loads(invoke(["-w", root, "project", "--format", "json"]).stdout)["areas"][0]
    assert (project["as_at"], project["rows"][0]["points"]) == ("2009-10", 3)


def test_a_placeholder_s_chart_shows_its_actual(leeds_page):
    """Leeds NI 7 is a placeholder (no baseline, no target) with a 2008-09 return of 16.1: its
    chart draws it (it said "No actual reported yet")."""
    _, page = leeds_page
    svg = chart_of(page, "leeds-NI-7")
    assert '<desc id="leeds-NI-7-desc">Actual: 2008-09 16.1.</desc>' in svg
    assert len(markers(svg, "#1f4e79")) == 1


def test_the_workbook_summary_shows_its_shares_as_percentages_to_two_places(workspace, tmp_path):
    """1 of 1 target improving and 1 of 2 projected to meet the final target: 100.00% and
    50.00%, as README's `0.00%` says (they were `0%` here and `0.00%` where a share needed
    the places, the format changing with the values)."""
    import openpyxl

    root = workspace({
        "agreements/adj.yaml": """
            area: adj
            name: Adjton
            periods: [2008-09, 2009-10, 2010-11]
            reward: {scheme: lpsa2, maximum: 1000000}
            targets:
              - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 0}, targets: {2010-11: 100}}
              - {indicator: NI 39, kind: designated, baseline: {period: 2007-08, value: 2100}, targets: {2010-11: 2000}}
            """,
        "returns/r.csv": "area,indicator,period,value\nadj,NI 154,2010-11,100\nadj,NI 39,2008-09,2080\n"
                         "adj,NI 39,2009-10,2060\n",
    })
    out = tmp_path / "adj.xlsx"
    invoke(["-w", root, "report", "-o", out])
    summary = openpyxl.load_workbook(out)["Summary"]
    header = [cell.value for cell in summary[5]]
    shares = [summary.cell(6, header.index(name) + 1) for name in ("% improving", "% projected to meet")]
    assert [(cell.value, cell.number_format) for cell in shares] == [(1, "0.00%"), (0.5, "0.00%")]


def test_a_calendar_year_baseline_is_labelled_as_the_year_it_is(leeds_page):
    """Leeds NI 112 (a calendar-year indicator) has its baseline in 1998, drawn two years before
    the agreement: its label is `1998`, not the agreement year `1998-99`."""
    _, page = leeds_page
    svg = chart_of(page, "leeds-NI-112")
    assert [text for text in chart_texts(svg) if text[:2] in ("19", "20")][:4] == [
        "1998", "2008-09", "2009-10", "2010-11"]
    assert "≈" in chart_texts(svg)


# Two themes, a target without one between them in the agreement; NI 4 (a biennial survey: not
# collected in 2009-10) missed with confidence in 2010-11, NI 69 met with confidence.
THEMETON = {
    "agreements/ta.yaml": """
        area: ta
        name: Themeton
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 900000.00}
        targets:
          - {indicator: NI 4, kind: designated, theme: Stronger communities,
             baseline: {period: 2007-08, value: 25}, targets: {2008-09: 26, 2009-10: 28, 2010-11: 30}}
          - {indicator: NI 154, kind: designated,
             baseline: {period: 2007-08, value: 500}, targets: {2008-09: 600, 2009-10: 700, 2010-11: 800}}
          - {indicator: NI 69, kind: designated, theme: Children and young people,
             baseline: {period: 2007-08, value: 30}, targets: {2008-09: 24, 2009-10: 20, 2010-11: 18}}
          - {indicator: NI 56, kind: designated, theme: Children and young people,
             baseline: {period: 2007-08, value: 20}, targets: {2008-09: 19, 2009-10: 18, 2010-11: 17}}
        """,
    "returns/r.csv": "area,indicator,period,value,sample_size,lower_ci,upper_ci\n"
                     "ta,NI 4,2008-09,27.3,1100,,\nta,NI 4,2010-11,20,1100,,\n"
                     "ta,NI 154,2008-09,620,,,\nta,NI 154,2009-10,650,,,\nta,NI 154,2010-11,520,,,\n"
                     "ta,NI 69,2008-09,22,,20,24\nta,NI 69,2009-10,20,,18,23.5\nta,NI 69,2010-11,16,,15,17.9\n"
                     "ta,NI 56,2008-09,19.5,,,\nta,NI 56,2009-10,19,,,\nta,NI 56,2010-11,21,,,\n",
}


def test_targets_without_a_theme_come_last_on_the_page_and_in_the_workbook(workspace, tmp_path):
    """NI 154 has no theme and stands between the two themes in the agreement: its table,
    "Other targets", comes after both themes' (it came between them), and the exceptions
    (red: NI 4, NI 154, NI 56), the charts and the workbook's rows follow the tables' order."""
    import re

    root = workspace(THEMETON)
    page, book = tmp_path / "r.html", tmp_path / "r.xlsx"
    invoke(["-w", root, "report", "-o", page])
    invoke(["-w", root, "report", "-o", book])
    text = page.read_text(encoding="utf-8")
    assert re.findall(r'<h3 id="theme-ta-[0-9]+">([^<]*)</h3>', text) == [
        "Stronger communities", "Children and young people", "Other targets"]
    exceptions = text[text.index('<table class="exceptions"'):text.index('<h3 id="charts-ta"')]
    assert re.findall(r'<tr data-indicator="([^"]*)"', exceptions) == ["NI 4", "NI 56", "NI 154"]
    assert re.findall(r"<figcaption><strong>([^<]*)</strong>", text) == ["NI 4", "NI 69", "NI 56", "NI 154"]
    rows = workbook_rows(book, "ta")
    assert [(row["Ref"], row["Theme"]) for row in rows] == [
        ("NI 4", "Stronger communities"), ("NI 69", "Children and young people"),
        ("NI 56", "Children and young people"), ("NI 154", None)]


def test_the_workbook_fills_the_target_test_as_score_s_workbook_does(workspace, tmp_path):
    """In 2010-11 NI 4's interval is all below its target (missed with confidence: red, Excel's
    Bad) and NI 69's all on the good side of its (met with confidence: green, Good), as the
    `target_test` column of `score -o FILE.xlsx` fills them; the report's had no fill."""
    import openpyxl

    root = workspace(THEMETON)
    invoke(["-w", root, "report", "-o", tmp_path / "r.xlsx"])
    invoke(["-w", root, "score", "-p", "2010-11", "-o", tmp_path / "s.xlsx"])

    def fills(path, ref, test):
        """Each row's test and the fill of its cell, by the row's indicator."""
        sheet = openpyxl.load_workbook(path)["ta"]
        header = [cell.value for cell in sheet[5]]
        cells = [(row[header.index(ref)].value, row[header.index(test)]) for row in sheet.iter_rows(min_row=6)]
        return {key: (cell.value, cell.fill.fgColor.rgb if cell.fill.fill_type else None) for key, cell in cells}

    report = fills(tmp_path / "r.xlsx", "Ref", "Target test")
    score = fills(tmp_path / "s.xlsx", "indicator", "target_test")
    assert report["NI 4"] == score["NI 4"] == ("missed-with-confidence", "FFFFC7CE")
    assert report["NI 69"] == score["NI 69"] == ("met-with-confidence", "FFC6EFCE")
    assert report["NI 154"] == (None, None)


@pytest.mark.parametrize(("comparators", "commands"), [
    (False, "score, reward-grant and project"), (True, "score, reward-grant, project and benchmark")])
def test_the_page_and_the_workbook_name_the_commands_the_report_is_built_from(workspace, tmp_path, comparators,
                                                                            commands):
    """`benchmark` is named only when the workspace has comparators (it gives the quartiles):
    the workbook named it always."""
    import re

    import openpyxl

    files = dict(THEMETON)
    if comparators:
        files["comparators/c.csv"] = "area,indicator,period,value\nother,NI 154,2010-11,700\n"
    root = workspace(files)
    invoke(["-w", root, "report", "-o", tmp_path / "r.html"])
    invoke(["-w", root, "report", "-o", tmp_path / "r.xlsx"])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    lede = re.sub(r"<[^>]+>", "", re.search(r'<p class="lede">(.*?)</p>', page).group(1))
    sentence = f"Built by laatool report from the results of {commands}."
    assert lede == f"{sentence} Projected money is indicative."
    summary = openpyxl.load_workbook(tmp_path / "r.xlsx")["Summary"]
    assert summary["A2"].value == f"1 area(s). {sentence} Projected money is indicative."


def test_the_key_and_a_chart_say_when_limits_were_supplied_with_the_return(workspace, tmp_path):
    # NI 69's returns carry their own limits (no level), NI 4's are Wilson's at 95%: the key
    # says the level holds unless supplied, and NI 69's chart says its whiskers may be supplied
    root = workspace(THEMETON)
    invoke(["-w", root, "report", "-o", tmp_path / "r.html"])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Intervals at 95% confidence unless supplied with the return." in page
    assert "Whiskers: 95% confidence intervals, or the limits supplied with a return." in page
    assert "Whiskers: 95% confidence intervals." in page  # NI 4's, all worked out


# NI 72 by academic year (2009-10 ends in August 2010), NI 154 by financial year
ACADEME = """
    area: ac
    name: Academe
    periods: [2008-09, 2009-10, 2010-11]
    reward: {scheme: lpsa2, maximum: 200000.00}
    targets:
      - {indicator: NI 72, kind: statutory, baseline: {period: 2007-08, value: 40},
         targets: {2008-09: 44, 2009-10: 48, 2010-11: 52}}
      - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 500},
         targets: {2008-09: 600, 2009-10: 700, 2010-11: 800}}
"""
ACADEME_RETURNS = "area,indicator,period,value\nac,NI 72,2008-09,45\nac,NI 72,2009-10,49\n"


def test_as_at_a_year_an_academic_year_has_not_ended_is_not_due(workspace, tmp_path):
    """As at 2009-10 (to March 2010), NI 72's academic year 2009-10 runs on to August 2010: no
    return of it was due, so it is "– Not due", as the key says; NI 154's financial 2009-10
    had ended with no return: "○ No data"."""
    root = workspace({"agreements/ac.yaml": ACADEME, "returns/r.csv": ACADEME_RETURNS + "ac,NI 154,2008-09,620\n"})
    invoke(["-w", root, "report", "--as-at", "2009-10", "-p", "2009-10", "-o", tmp_path / "r.html"])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    cells = Cells()
    cells.feed(page)
    assert {row["indicator"]: row["status_status"] for row in cells.rows} == {"NI 72": "not-due", "NI 154": "no-data"}
    assert {name: cells.summary[f"count-{name}"] for name in ("no-data", "not-due")} == {"no-data": "1", "not-due": "1"}
    assert ("<span class=\"s-not-due tag\">– Not due</span> not collected in 2009-10 (a survey of alternate years) "
            "or not due as at 2009-10 (its own year, such as an academic year, ends after it), not a missing "
            "return.") in page
    invoke(["-w", root, "report", "-p", "2009-10", "-o", tmp_path / "all.html"])  # every return: 49 is known
    cells = Cells()
    cells.feed((tmp_path / "all.html").read_text(encoding="utf-8"))
    assert {row["indicator"]: row["status_status"] for row in cells.rows} == {"NI 72": "green", "NI 154": "no-data"}


def test_quartiles_as_at_a_period_rank_only_the_returns_known_then(workspace, tmp_path):
    """As at 2009-10, NI 72's academic year 2009-10 (to August 2010) had not ended: no area's
    return of it was known, so the page ranks none (it showed quartile 3, from values published
    after the date). With every return known, ac's 49 among 40, 44, 49, 50, 52 is the middle
    value: the quartile bounds are 44, 49, 50, so 49 is in band 2 (below or at the median),
    quartile 3 where higher is better."""
    root = workspace({
        "agreements/ac.yaml": ACADEME, "returns/r.csv": ACADEME_RETURNS,
        "comparators/c.csv": "area,indicator,period,value\nb,NI 72,2009-10,40\nc,NI 72,2009-10,44\n"
                             "d,NI 72,2009-10,50\ne,NI 72,2009-10,52\n"})
    shown = {}  # NI 154 has no 2009-10 return, nor any comparator's: no quartile
    for name, as_at in (("then", ["--as-at", "2009-10"]), ("now", [])):
        invoke(["-w", root, "report", "-p", "2009-10", *as_at, "-o", tmp_path / f"{name}.html"])
        cells = Cells()
        cells.feed((tmp_path / f"{name}.html").read_text(encoding="utf-8"))
        shown[name] = {row["indicator"]: row["quartile"] for row in cells.rows}
    assert shown == {"then": {"NI 72": "—", "NI 154": "—"}, "now": {"NI 72": "3", "NI 154": "—"}}


def test_a_year_a_survey_is_not_collected_is_not_due_not_no_data(workspace, tmp_path):
    """NI 4 (the Place Survey, 2008-09 and 2010-11) is not collected in 2009-10: its row there
    is score's `no-data` by rule `not-due`, which a board must tell from a missing return. The
    page and the workbook show it as "– Not due" with no fill and count it apart from "No data";
    a final year not collected (Twoyear's 2009-10) is projected "– not-due", with no fill."""
    import openpyxl

    files = dict(THEMETON)
    files["agreements/tb.yaml"] = """
        area: tb
        name: Twoyear
        periods: [2008-09, 2009-10]
        reward: {scheme: lpsa2, maximum: 100000.00}
        targets:
          - {indicator: NI 4, kind: designated, baseline: {period: 2007-08, value: 25},
             targets: {2008-09: 26, 2009-10: 28}}
        """
    files["returns/r.csv"] += "tb,NI 4,2008-09,27.3,1100,,\n"
    root = workspace(files)
    invoke(["-w", root, "report", "-p", "2009-10", "-o", tmp_path / "r.html"])
    invoke(["-w", root, "report", "-p", "2009-10", "-o", tmp_path / "r.xlsx"])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    ta, tb = (Cells(), Cells())
    ta.feed(page[page.index('id="area-ta"'):page.index('id="area-tb"')])
    tb.feed(page[page.index('id="area-tb"'):])
    ni4 = next(row for row in ta.rows if row["indicator"] == "NI 4")
    assert (ni4["status"], ni4["status_status"]) == ("– Not due", "not-due")
    assert '<td class="status s-not-due" data-field="status" data-status="not-due">' in page  # no fill
    assert {name: ta.summary[f"count-{name}"] for name in ("green", "amber", "red", "no-data", "not-due")} == {
        "green": "1", "amber": "1", "red": "1", "no-data": "0", "not-due": "1"}
    assert ("<span class=\"s-not-due tag\">– Not due</span> not collected in 2009-10 (a survey of alternate "
            "years), not a missing return.") in page
    assert (tb.rows[0]["projection"], tb.rows[0]["projection_status"]) == ("– not-due", "not-due")
    assert '<td class="status s-not-due" data-field="projection" data-status="not-due">' in page

    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    rows = {sheet: {row["Ref"]: row for row in workbook_rows(tmp_path / "r.xlsx", sheet)} for sheet in ("ta", "tb")}
    assert rows["ta"]["NI 4"]["Status"] == "– Not due" and rows["tb"]["NI 4"]["Projection"] == "– not-due"
    header = [cell.value for cell in book["ta"][5]]
    ni4_cell = next(row for row in book["ta"].iter_rows(min_row=6) if row[0].value == "NI 4")
    assert ni4_cell[header.index("Status")].fill.fill_type is None
    tb_header = [cell.value for cell in book["tb"][5]]
    assert book["tb"].cell(6, tb_header.index("Projection") + 1).fill.fill_type is None
    summary = {row["Area"]: row for row in workbook_rows(tmp_path / "r.xlsx", "Summary")}
    assert (summary["ta"]["No data"], summary["ta"]["Not due"]) == (0, 1)
    assert any("– Not due not collected in 2009-10" in (row[0].value or "") for row in book["ta"].iter_rows())



def test_a_survey_actual_in_a_year_without_a_target_has_its_whisker_too():
    """Leeds' NI 1 was surveyed in 2008-09 (72.9, limits 70.3–75.5 supplied with the return) and
    again in 2010-11 (74.8, 72.2–77.4), its only target year: the chart plots both actuals, so
    both have their interval, not only the scored one (DESIGN.md §11: interval whiskers for
    survey indicators)."""
    from laatool import api

    report = api.report(EXAMPLES, ["leeds"]).report
    (line,) = [line for line in report.areas[0].lines if line.ref == "NI 1"]
    assert line.chart.actuals == [(2008.0, 72.9), (2010.0, 74.8)]
    assert line.chart.intervals == [(2008.0, 70.3, 75.5), (2010.0, 72.2, 77.4)]
