"""`laatool score` on the command line: formats, -o, areas, periods, refusals, exit codes."""

from __future__ import annotations

import json
import re

import pytest

from conftest import EXAMPLES, invoke, workbook_rows
from laatool.api import load_workspace
from laatool.compute.scoring import score
from laatool.render.json import dumps
from laatool.render.report_json import score_json
from test_score import AGREEMENT, INDICATORS, RETURNS

SMALL = """
    area: {slug}
    name: {name}
    periods: [2008-09]
    targets:
      - indicator: T-UP
        kind: local
        baseline: {{period: 2007-08, value: 50}}
        targets: {{2008-09: 60}}
    """


@pytest.fixture
def testshire(workspace):
    return workspace(
        {**INDICATORS, "agreements/testshire.yaml": AGREEMENT, "returns/returns.csv": RETURNS}
    )


@pytest.fixture
def two_areas(workspace):
    return workspace(
        {
            **INDICATORS,
            "agreements/alpha.yaml": SMALL.format(slug="alpha", name="Alpha"),
            "agreements/beta.yaml": SMALL.format(slug="beta", name='=HYPERLINK("http://x")'),
            # alpha 2008-09: (57 − 50) / (60 − 50) = 0.7 → amber; beta 61 ≥ 60 → green
            "returns/r.csv": "area,indicator,period,value\n"
            "alpha,T-UP,2008-09,57\nbeta,T-UP,2008-09,61\n",
        }
    )


def test_json_equals_the_core_report(testshire):
    result = invoke(["-w", testshire, "score", "--format", "json"])
    expected = dumps(score(load_workspace(testshire), ["testshire"]).to_json())
    assert result.stdout == expected


def test_json_written_from_the_frame_is_the_json_of_the_rows(workspace):
    """`score` writes its JSON with polars; it must be the document `dumps` makes of the rows,
    whatever the names hold, for an area without rows and for negative and tiny numbers."""
    root = workspace({
        **INDICATORS,
        "agreements/alpha.yaml": SMALL.format(slug="alpha", name='"Ünïcode \\"quoted\\" \\\\ tab\\t"'),
        "agreements/beta.yaml": "area: beta\nname: Beta\nperiods: [2008-09]\n",
        "agreements/gamma.yaml": SMALL.format(slug="gamma", name="Gamma").replace("value: 50", "value: -0.0000000001")
        .replace("2008-09: 60", "2008-09: -12.5"),
        "returns/r.csv": "area,indicator,period,value\nalpha,T-UP,2008-09,57.100\ngamma,T-UP,2008-09,-0.0\n",
    })
    report = score(load_workspace(root), ["alpha", "beta", "gamma"])
    text = "".join(score_json(report))
    assert text == dumps(report.to_json())
    document = json.loads(text)
    assert [a["name"] for a in document["areas"]] == ['Ünïcode "quoted" \\ tab\t', "Beta", "Gamma"]
    assert document["areas"][1]["rows"] == []
    assert document["areas"][2]["rows"][0]["baseline"] == -1e-10


def test_json_writes_exact_numbers_and_nulls(testshire):
    document = json.loads(
        invoke(["-w", testshire, "score", "--format", "json"]).stdout,
        parse_float=str,
        parse_int=str,
    )
    rows = document["areas"][0]["rows"]
    edge = next(r for r in rows if r["indicator"] == "T-EDGE" and r["period"] == "2008-09")
    # baseline written 8.0, actual 8.6: exact numbers; (8.6 − 8.0)/(9.0 − 8.0) = 0.6
    assert (edge["baseline"], edge["target"], edge["actual"], edge["achievement"]) == (
        "8",
        "9",
        "8.6",
        "0.6",
    )
    missing = next(r for r in rows if r["indicator"] == "T-DOWN" and r["period"] == "2010-11")
    assert (missing["actual"], missing["achievement"], missing["direction"]) == (None, None, "n/a")
    assert document["areas"][0]["summary"] == {
        "green": "8",
        "amber": "4",
        "red": "7",
        "no-data": "3",
    }


def test_area_repeats_and_areas_come_sorted(two_areas):
    result = invoke(
        ["-w", two_areas, "score", "--area", "beta", "--area", "alpha", "--format", "json"]
    )
    areas = json.loads(result.stdout)["areas"]
    assert [a["area"] for a in areas] == ["alpha", "beta"]
    assert [a["rows"][0]["status"] for a in areas] == ["amber", "green"]
    only = json.loads(invoke(["-w", two_areas, "score", "-a", "beta", "-f", "json"]).stdout)[
        "areas"
    ]
    assert [a["area"] for a in only] == ["beta"]


def test_unknown_area_is_a_usage_error_with_a_suggestion(two_areas):
    result = invoke(["-w", two_areas, "score", "--area", "alpah"], code=2)
    assert "unknown area 'alpah'" in result.stderr
    assert "did you mean alpha" in result.stderr
    assert result.stdout == ""


def test_bad_period_is_a_usage_error(two_areas):
    result = invoke(["-w", two_areas, "score", "--period", "2011-12"], code=2)
    assert "2011-12 is not a period of the agreements" in result.stderr


def test_period_option_normalises(testshire):
    result = invoke(["-w", testshire, "score", "--period", "2008/09", "--format", "csv"])
    periods = {line.split(",")[5] for line in result.stdout.splitlines()[1:]}
    assert periods == {"2008-09"}


def test_csv_has_one_line_per_row_and_neutralises_formulas(two_areas):
    result = invoke(["-w", two_areas, "score", "--format", "csv"])
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "area,name,indicator,subtarget,kind,period,baseline,target,actual,achievement,"
        "status,rule,direction,provisional,ci_lower,ci_upper,ci_level,ci_method,target_test,"
        "change_from_period,change_difference,change_lower,change_upper,change_method,change_result,group"
    )
    # no interval for a count: the change from the baseline (2007-08, 50) is 7, not tested
    assert lines[1] == (
        "alpha,Alpha,T-UP,,local,2008-09,50,60,57,0.7,amber,amber-threshold,improving,false,"
        ",,,,n/a,2007-08,7,,,,n/a,"
    )
    # the area name starts with '=': a spreadsheet must show it, not run it
    assert lines[2].startswith('beta,"\'=HYPERLINK(""http://x"")",T-UP,')
    assert len(lines) == 3


def test_output_file_csv_and_xlsx(two_areas, tmp_path):
    csv_file = tmp_path / "score.csv"
    invoke(["-w", two_areas, "score", "-o", csv_file])
    assert csv_file.read_text().splitlines()[1].startswith("alpha,Alpha,T-UP,")
    xlsx_file = tmp_path / "score.xlsx"
    result = invoke(["-w", two_areas, "score", "-o", xlsx_file])
    assert result.stdout == ""
    rows = workbook_rows(xlsx_file)
    assert [row["area"] for row in rows] == ["alpha", "beta"]
    assert rows[1]["name"] == '\'=HYPERLINK("http://x")'
    assert [row["achievement"] for row in rows] == [0.7, 1.1]


def test_invalid_input_refuses_and_writes_nothing(two_areas, tmp_path):
    (two_areas / "agreements" / "alpha.yaml").write_text(
        SMALL.format(slug="alpha", name="Alpha").replace(
            "    periods", "    targetz: []\n    periods"
        )
    )
    existing = tmp_path / "kept.json"
    existing.write_text("old\n")
    fresh = tmp_path / "fresh.json"
    for path in (existing, fresh):
        result = invoke(["-w", two_areas, "score", "-o", path], code=1)
        assert "S001" in result.stderr and "agreements/alpha.yaml" in result.stderr
        assert result.stdout == ""
    assert existing.read_text() == "old\n"
    assert not fresh.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_warnings_are_counted_in_one_line_on_stderr(two_areas):
    (two_areas / "returns" / "empty.csv").write_text("")  # Y007, a warning
    result = invoke(["-w", two_areas, "score", "--format", "json"])
    assert "1 warning(s) in the inputs" in result.stderr
    assert "Y007" not in result.stderr
    json.loads(result.stdout)


def test_table_groups_by_kind_and_marks_provisional(testshire):
    result = invoke(["-w", testshire, "score"], env={"COLUMNS": "160"})  # wide enough for the travel's words
    out = result.stdout
    assert "Testshire (testshire): Local Area Agreement targets" in out
    assert out.index("Designated targets (1)") < out.index("Local targets (10)")
    assert "└ north" in out  # the sub-target's own id, under its target
    assert "55 (p)" in out  # T-UP 2010-11 is provisional
    assert "↑ improving" in out and "↓ worsening" in out and "→ unchanged" in out
    assert "AMBER" in out and "GREEN" in out and "RED" in out and "no data" in out
    assert "Testshire: 8 green · 4 amber · 7 red · 3 no data  (22 rows)" in out


def test_a_terminal_shows_amber_in_yellow_not_in_a_red(testshire):
    # `dark_orange` came out as bright red (ESC[1;91m) beside red's ESC[1;31m on every terminal
    out = invoke(["-w", testshire, "score"], env={"COLUMNS": "160", "FORCE_COLOR": "1"}).stdout
    assert re.findall(r"\x1b\[([0-9;]*)m(AMBER|RED|GREEN)\b", out).count(("1;33", "AMBER")) == 4
    assert {style for style, word in re.findall(r"\x1b\[([0-9;]*)m(AMBER|RED)\b", out)} == {"1;33", "1;31"}


@pytest.mark.skipif(
    not (EXAMPLES / "agreements" / "leeds.yaml").is_file(), reason="examples/ not there yet"
)
def test_examples_leeds_parity():
    result = invoke(["-w", EXAMPLES, "score", "--area", "leeds", "--format", "json"])
    assert result.stdout == dumps(score(load_workspace(EXAMPLES), ["leeds"]).to_json())


@pytest.mark.parametrize(("actual", "achieved", "status"), [
    # (55.9996 − 50) / (60 − 50) = 0.59996: 0.6 at four places, but below rag.amber 0.6
    ("55.9996", "59.99%", "RED"),
    ("56", "60%", "AMBER"),
    # 0.99996: 1 at four places, but the target is not met
    ("59.9996", "99.99%", "AMBER"),
    ("60", "100%", "GREEN"),
])
def test_the_table_never_shows_an_achievement_rounded_up_to_the_cut_off_it_missed(workspace, actual, achieved, status):
    root = workspace({**INDICATORS, "agreements/alpha.yaml": SMALL.format(slug="alpha", name="Alpha"),
                      "returns/r.csv": f"area,indicator,period,value\nalpha,T-UP,2008-09,{actual}\n"})
    table = invoke(["-w", root, "score"], env={"COLUMNS": "200"}).stdout
    line = next(line for line in table.splitlines() if line.startswith("T-UP"))
    cells = line.split()
    shown = next(i for i, cell in enumerate(cells) if cell.endswith("%"))
    assert cells[shown:shown + 2] == [achieved, status]


@pytest.mark.parametrize("command", ["score", "reward-grant"])
def test_csv_without_rows_still_has_its_header(workspace, command):
    # a script reading the CSV finds its columns whether or not any area had rows
    full = invoke(["-w", EXAMPLES, command, "--format", "csv"]).stdout.splitlines()[0]
    assert full.startswith("area,name,")
    assert invoke(["-w", workspace({}), command, "--format", "csv"]).stdout == full + "\n"


def test_the_legend_gives_rag_amber_as_written_however_long(workspace):
    amber = "0.333333333333333333333333333333"  # 30 digits: × 100 has 28 after the point
    root = workspace({**INDICATORS, "agreements/alpha.yaml": SMALL.format(slug="alpha", name="Alpha"),
                      "laatool.yaml": f"rag: {{amber: {amber}}}\n",
                      "returns/r.csv": "area,indicator,period,value\nalpha,T-UP,2008-09,55\n"})
    table = " ".join(invoke(["-w", root, "score"], env={"COLUMNS": "400"}).stdout.split())
    assert "Amber from 33.3333333333333333333333333333% achieved." in table


@pytest.mark.parametrize("columns", ["80", "100", "160"])
def test_the_table_says_not_due_in_the_status_of_a_year_not_collected(workspace, columns):
    """NI 4 (the Place Survey, 2008-09 and 2010-11) is not collected in 2009-10: its row is
    `no-data` by rule `not-due`. At 80 and 100 columns the table leaves out its Rule column,
    which alone told it from a missing return: the status says "not due" at every width, and
    the area's line says how many of its no-data rows are not due."""
    root = workspace({
        "agreements/ta.yaml": """
            area: ta
            name: Themeton
            periods: [2008-09, 2009-10, 2010-11]
            targets:
              - {indicator: NI 4, kind: designated, baseline: {period: 2007-08, value: 25},
                 targets: {2008-09: 26, 2009-10: 28, 2010-11: 30}}
              - {indicator: NI 154, kind: designated, baseline: {period: 2007-08, value: 500},
                 targets: {2009-10: 700}}
            """,
        "returns/r.csv": "area,indicator,period,value,sample_size\nta,NI 4,2008-09,27.3,1100\n",
    })
    out = invoke(["-w", root, "score", "-p", "2009-10"], env={"COLUMNS": columns}).stdout
    statuses = [line.split("28", 1)[1].split()[0:2] for line in out.splitlines() if line.startswith("NI 4")]
    assert statuses == [["not", "due"]]
    assert "NI 154" in out and out.count("no data") == 2  # NI 154's row (no return) and the area's line
    assert "Themeton: 0 green · 0 amber · 0 red · 2 no data (1 not due)  (2 rows)" in out


SUBTARGETS_ONLY = {
    "agreements/wakefield.yaml": """
area: wakefield
name: Wakefield
periods: [2008-09, 2009-10, 2010-11]
reward: {scheme: lpsa2, maximum: 1000000.00}
targets:
  - indicator: NI 154
    kind: designated
    baseline: {period: 2007-08, value: 1200}
    targets: {2009-10: 1400, 2010-11: 1500}
  - indicator: NI 39
    kind: designated
    baseline: {period: 2007-08, value: 2050}
    subtargets:
      - id: north
        baseline: {period: 2007-08, value: 2200}
        targets: {2009-10: 2100, 2010-11: 2050}
      - id: south
        baseline: {period: 2007-08, value: 1900}
        targets: {2009-10: 1860, 2010-11: 1840}
""",
    "returns/returns.csv": "area,indicator,subtarget,period,value\n"
                           "wakefield,NI 154,,2009-10,1350\nwakefield,NI 39,north,2009-10,2110\n"
                           "wakefield,NI 39,south,2009-10,1870\n",
}


@pytest.mark.parametrize("command", [["score"], ["project", "--as-at", "2009-10"]])
def test_sub_targets_of_a_target_without_values_of_its_own_sit_under_its_name(workspace, command):
    """NI 39 is measured by its sub-targets alone, so it has no row of its own: `└ north` and
    `└ south` came straight after NI 154's rows, read as NI 154's sub-targets. A line naming
    NI 39 and its title now stands over them, as in reward-grant's table."""
    root = workspace(SUBTARGETS_ONLY)
    lines = invoke(["-w", root, *command], env={"COLUMNS": "160"}).stdout.splitlines()
    north = next(index for index, line in enumerate(lines) if line.startswith("└ north"))
    named = [line for line in lines[:north] if line.startswith(("NI 154", "NI 39"))]
    assert [line.split()[:2] for line in named] == [["NI", "154"], ["NI", "39"]]
    assert lines.index(named[-1]) == north - 1 and "Alcohol-harm related hospital admission rates" in named[-1]
    assert next(line for line in lines[north + 1:] if line.startswith("└")).startswith("└ south")
