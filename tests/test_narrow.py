"""Terminal tables fit the terminal (DESIGN.md §11): at 80 columns, and at the default of 100
when COLUMNS is unset and the output is not a terminal, every table keeps its ids and every
amount of money whole (never `£24,800…`), shortens only titles and names, and no line is wider
than the width."""

from __future__ import annotations

import functools
import json
import re
import shutil
from decimal import Decimal

import pytest
from rich.cells import cell_len

from conftest import EXAMPLES, invoke

WIDTHS = [("80", 80), (None, 100), ("120", 120)]


def pounds(text: str) -> str:
    return f"£{Decimal(text):,.2f}"


def run(args: list[str], columns: str | None) -> str:
    return invoke(["-w", EXAMPLES, *args], env={"COLUMNS": columns}).stdout


@functools.cache
def _document(args: tuple[str, ...]) -> dict:
    return json.loads(run([*args, "--format", "json"], None))


def document_of(args: list[str]) -> dict:
    """The JSON of `laatool ARGS --format json`, run once for every width: what the tables
    must hold whole (JSON is the same at any width)."""
    return _document(tuple(args))


def assert_fits(out: str, width: int) -> None:
    wide = [line for line in out.splitlines() if cell_len(line) > width]
    assert not wide, wide[:3]
    assert not re.search(r"£[0-9,.]*…", out), "an amount of money was cut"


def assert_whole(out: str, texts: set[str]) -> None:
    """Each text appears with nothing of an id or a number joined to it on either side."""
    missing = [t for t in sorted(texts) if not re.search(rf"(?<![\w£.,-]){re.escape(t)}(?![\w.,-]*\d|[\w-])", out)]
    assert not missing, missing[:10]


@pytest.mark.parametrize("columns,width", WIDTHS)
def test_score(columns, width):
    out = run(["score"], columns)
    assert_fits(out, width)
    document = document_of(["score"])
    ids = {row["indicator"] for a in document["areas"] for row in a["rows"]}
    ids |= {row["subtarget"] for a in document["areas"] for row in a["rows"] if row["subtarget"]}
    figures = {str(row["actual"]) for a in document["areas"] for row in a["rows"]
               if row["actual"] is not None and "e" not in str(row["actual"])}
    assert_whole(out, ids | figures | {f"{a['name']} ({a['area']})" for a in document["areas"]})


@pytest.mark.parametrize("columns,width", WIDTHS)
def test_reward_grant(columns, width):
    out = run(["reward-grant"], columns)
    assert_fits(out, width)
    document = document_of(["reward-grant"])
    money = {pounds(document["total"])}
    ids = set()
    for area in document["areas"]:
        money |= {pounds(area[key]) for key in ("maximum", "total", "revenue", "capital", "at_stake")}
        money |= {pounds(i) for i in area["instalments"]}
        for target in area["targets"]:
            money |= {pounds(target[key]) for key in ("share", "reward", "at_stake")}
            ids |= {target["indicator"], *([target["subtarget"]] if target["subtarget"] else [])}
        ids.add(area["area"])
    assert_whole(out, money | ids)


@pytest.mark.parametrize("columns,width", WIDTHS)
def test_project(columns, width):
    out = run(["project"], columns)
    assert_fits(out, width)
    document = document_of(["project"])
    texts = set()
    for area in document["areas"]:
        texts |= {pounds(area["projected_total"]), pounds(area["maximum"])}
        for row in area["rows"]:
            texts |= {row["indicator"], *([row["subtarget"]] if row["subtarget"] else [])}
            texts |= {pounds(row[key]) for key in ("share", "projected_reward") if row[key] is not None}
    assert_whole(out, texts)


@pytest.mark.parametrize("columns,width", WIDTHS)
def test_opportunities(columns, width):
    out = run(["opportunities"], columns)
    assert_fits(out, width)
    document = document_of(["opportunities"])
    texts = {pounds(document["gain_at_threshold"]), pounds(document["gain_at_full"])}
    for row in document["rows"]:
        texts |= {row["area"], row["indicator"], *([row["subtarget"]] if row["subtarget"] else [])}
        texts |= {pounds(row[key]) for key in ("reward", "gain_at_threshold", "gain_at_full")}
        texts |= {str(row[key]) for key in ("needed_for_threshold", "needed_for_full") if row[key] is not None}
    assert_whole(out, texts)


@pytest.mark.parametrize("columns,width", WIDTHS)
def test_benchmark(columns, width):
    for args in (["benchmark"], ["benchmark", "--neighbours", "north"]):
        out = run(args, columns)
        assert_fits(out, width)
        document = document_of([*args])
        texts = set()
        for row in document["rows"]:
            texts |= {row["indicator"]} | {area["area"] for area in row["areas"]}
            texts |= {str(area["value"]) for area in row["areas"]}
        assert_whole(out, texts)


@pytest.mark.parametrize("columns,width", WIDTHS)
@pytest.mark.parametrize("args,key,field", [
    (["indicators"], "indicators", "id"), (["rules"], "rules", "code"), (["validate"], "findings", "code"),
])
def test_lists(columns, width, args, key, field):
    out = run(args, columns)
    assert_fits(out, width)
    document = document_of([*args])
    assert_whole(out, {item[field] for item in document[key]})


@pytest.mark.parametrize("columns,width", WIDTHS)
def test_template(columns, width):
    out = run(["template", "--area", "leeds"], columns)
    assert_fits(out, width)
    rows = document_of(["template", "--area", "leeds"])["rows"]
    assert_whole(out, {row["indicator"] for row in rows} | {row["subtarget"] for row in rows if row["subtarget"]})


def test_titles_are_shortened_first_and_shown_whole_when_there_is_room():
    title = "Adult participation in sport and active recreation"
    wide = run(["score", "--area", "leeds"], "200")
    assert re.search(rf"NI 8 +{title}", wide)
    narrow = run(["score", "--area", "leeds"], "80")
    assert title in narrow  # a line of its own above the target's rows
    assert re.search(r"NI 8 +Adult participation[^\n]*… ", run(["score", "--area", "leeds"], "110"))


def test_columns_is_honoured_off_a_terminal_and_defaults_to_100():
    for columns, width in (("90", 90), (None, 100), ("not a number", 100)):
        lines = run(["reward-grant"], columns).splitlines()
        assert max(map(cell_len, lines)) == width


LONG_IDS = {
    f"agreements/{slug}.yaml": f"""
        area: {slug}
        name: {name}
        periods: [2008-09, 2009-10, 2010-11]
        reward: {{scheme: lpsa2, maximum: {maximum}}}
        targets:
          - indicator: NI 40
            kind: designated
            baseline: {{period: 2007-08, value: 0}}
            targets: {{2010-11: 100}}
          - indicator: NI 154
            kind: designated
            baseline: {{period: 2007-08, value: 2940}}
            targets: {{2010-11: 3800}}
            subtargets:
              - {{id: north-east-wolds, baseline: {{period: 2007-08, value: 1000}}, targets: {{2010-11: 1300}}}}
              - {{id: south-west-vale, baseline: {{period: 2007-08, value: 1940}}, targets: {{2010-11: 2500}}}}
        """
    for slug, name, maximum in [("east-riding-of-yorkshire", "East Riding of Yorkshire", "24800000.00"),
                                ("bath-and-north-east-somerset", "Bath and North East Somerset",
                                 "99999999999.99")]
} | {
    "returns/returns.csv": "area,indicator,subtarget,period,value\n" + "".join(
        f"{slug},NI 40,,2010-11,88\n{slug},NI 154,north-east-wolds,2010-11,1250\n"
        f"{slug},NI 154,south-west-vale,2009-10,2300\n"
        for slug in ("east-riding-of-yorkshire", "bath-and-north-east-somerset")),
}


@pytest.mark.parametrize("width", [80, 40])
@pytest.mark.parametrize("command", ["reward-grant", "opportunities", "score", "project"])
def test_long_area_ids_and_amounts_in_billions_stay_whole_in_narrow_tables(workspace, command, width):
    # 28 characters of area id beside five amounts of £99,999,999,999.99 cannot stand side by
    # side in 80 columns: columns are stacked, never cut. In 40, not even the id and one
    # amount can: every figure goes under the row's name, whole (only titles are shortened).
    root = workspace(LONG_IDS)
    out = invoke(["-w", root, command], env={"COLUMNS": str(width)}).stdout
    assert_fits(out, width)
    if width == 80:
        assert "…" not in out
    texts = {"east-riding-of-yorkshire", "bath-and-north-east-somerset", "north-east-wolds"}
    if command == "reward-grant":
        document = json.loads(invoke(["-w", root, command, "--format", "json"]).stdout)
        texts |= {pounds(document["total"])}
        for area in document["areas"]:
            texts |= {pounds(area[key]) for key in ("maximum", "total", "revenue", "capital", "at_stake")}
            texts |= {pounds(target[key]) for target in area["targets"] for key in ("share", "reward")}
    assert_whole(out, texts)


def key_of(out: str) -> str:
    """The key under the tables: the last paragraph, its lines joined."""
    return " ".join(out.rstrip().split("\n\n")[-1].split())


@pytest.mark.parametrize(("columns", "explained", "left_out"), [
    ("80", ["Achieved:", "95% CI:", "Test (under the status"], ["Polarity:", "Travel (", "~ after the travel"]),
    ("100", ["Achieved:", "95% CI:", "Test (under the status", "Travel (", "~ after the travel"], ["Polarity:"]),
    ("160", ["Polarity:", "Achieved:", "95% CI:", "Test (under the status", "Travel (", "~ after the travel"], []),
])
def test_score_s_key_explains_only_the_columns_shown(columns, explained, left_out):
    """At 80 columns the examples' tables leave out the polarity and the travel (and the rule);
    at 100 the polarity alone (the travel stays in two of the three areas' tables): the key
    explained them all at every width."""
    key = key_of(run(["score"], columns))
    assert [text for text in explained if text not in key] == []
    assert [text for text in left_out if text in key] == []


@pytest.mark.parametrize(("columns", "pace"), [("80", False), ("140", True)])
def test_project_s_key_explains_the_pace_only_where_it_is_shown(columns, pace):
    out = run(["project"], columns)
    lines = out.splitlines()
    header = lines[1:next(n for n, line in enumerate(lines) if line.startswith("───"))]
    assert ("Pace" in " ".join(header).split()) is pace
    key = key_of(out)
    assert ("Pace: the trend per year over the pace needed per year." in key) is pace
    assert "Achieved: the projected share of the planned improvement." in key


@pytest.mark.parametrize(("columns", "marks"), [
    ("80", ""),
    ("120", "ᵖ provisional return."),
    ("200", "From: ᵉ expected without the agreement, ᵇ baseline. ᵖ provisional return. Needed: the final-year "
            "value that earns the threshold / the full share."),
])
def test_reward_grant_s_caption_explains_the_marks_of_the_columns_shown(columns, marks):
    """The marks ᵉ and ᵇ are in the From column, ᵖ in the Actual column, and "Needed" a column
    of its own: at 80 columns all three are left out, at 120 only the actual stays."""
    out = " ".join(run(["reward-grant", "-a", "leeds"], columns).split())
    caption = out[out.index("Grant £17,187,719.41"):out.index("Pending, £0 until resolved: no 2010-11 return: NI 110")]
    assert caption.split("instalments £8,593,859.71 + £8,593,859.70")[1].strip() == marks


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_validate_shows_every_word_of_every_message_and_hint_at_any_width(workspace, width):
    """A column named in a finding's place (S001's `row 1 a_very_long_...`, 46 characters)
    left no room for the message and the hint beside it: they were left out, at 80 columns
    too. The place wraps instead, the hint goes under the message, the severity under the code."""
    long_column = "a_very_long_unknown_column_name_that_goes_on"
    root = workspace({"returns/extra.csv": f"area,indicator,period,value,{long_column}\nleeds,NI 8,2010-11,1,x\n"})
    out = invoke(["-w", root, "validate", "--format", "json"], 1).stdout
    findings = [f for f in json.loads(out)["findings"] if f["file"] == "returns/extra.csv"]
    assert sorted(f["code"] for f in findings) == ["R301", "S001"]
    table = invoke(["-w", root, "validate"], 1, env={"COLUMNS": str(width)}).stdout
    assert_fits(table, width)
    shown = set(table.split())
    for finding in findings:  # every word short enough not to be folded, whatever the lines
        words = {w for text in (finding["message"], finding["hint"], finding["code"], finding["severity"])
                 for w in text.split() if len(w) <= 12}
        assert words <= shown, sorted(words - shown)


@pytest.mark.parametrize("width", [40, 45, 48, 50])
def test_indicators_with_a_long_local_id_keep_every_id_whole_in_narrow_tables(tmp_path, width):
    """A 37-character local id left the titles no room: kept beside it, a title took a column
    a character wide (13,381 lines at 50 columns) or pushed the id to fold. The titles are left
    out there, and each id is whole on its line."""
    long_id = "REDCAR-AND-CLEVELAND-HEALTHY-LIVES-01"
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    leeds = (root / "indicators" / "LEEDS-01.yaml").read_text(encoding="utf-8")
    (root / "indicators" / f"{long_id}.yaml").write_text(leeds.replace("id: LEEDS-01", f"id: {long_id}"),
                                                          encoding="utf-8")
    wide = invoke(["-w", root, "indicators"], env={"COLUMNS": "100"}).stdout
    out = invoke(["-w", root, "indicators"], env={"COLUMNS": str(width)}).stdout
    assert_fits(out, width)
    assert long_id in out.split()
    assert len(out.splitlines()) <= 2 * len(wide.splitlines())
