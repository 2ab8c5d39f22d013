"""`laatool benchmark` (DESIGN.md §10): ranks, bands, bounds, England and neighbours worked by hand.

Areas a–g report in returns/ (f in comparators/, england there too); none has an agreement.
HI-01 (higher is better) 2009-10: a 10, b 20, c 20, d 30, e 40, f 50; g has none.
  Ranks: f 1, e 2, d 3, b and c share 4, a 6 (ties take the best rank: 1, 2, 3, 4, 4, 6).
  Quartile bounds at 1-based position (6 − 1)·j/4 + 1 of 10, 20, 20, 30, 40, 50:
    j=1: 2.25 → 20 + 0.25·(20 − 20) = 20; j=2: 3.5 → 20 + 0.5·(30 − 20) = 25;
    j=3: 4.75 → 30 + 0.75·(40 − 30) = 37.5; with the least 10 and the greatest 50.
  Bands before the flip (a value on a bound goes to the lower band): a 1, b 1 (20 is on the
    bound 20), c 1, d 3 (above 20 and 25, not 37.5), e 4, f 4; higher is better, so band b
    becomes 5 − b: a 4, b 4, c 4, d 2, e 1, f 1.
  Quintile bounds at (6 − 1)·j/5 + 1 = j + 1: 20, 20, 30, 40 (and 10, 50). Before the flip:
    a 1, b 1, c 1, d 3 (on the bound 30), e 4 (on 40), f 5; after (6 − b): 5, 5, 5, 3, 2, 1.
LO-01 (lower is better) 2009-10: a 1.5, b 2.5, c 2.5, d 4.
  Ranks: a 1, b 2, c 2, d 4. Quartile bounds at 3·j/4 + 1: j=1: 1.75 → 1.5 + 0.75·1 = 2.25;
    j=2: 2.5 → 2.5; j=3: 3.25 → 2.5 + 0.25·1.5 = 2.875. Bands (no flip): a 1, b 2 (on 2.5),
    c 2, d 4. Quintiles: none, 4 values are fewer than 5 bands.
NE-01 (neutral) 2009-10: a 3, b 1, c 2, g 2. Ranks lowest first: b 1, c 2, g 2, a 4. Quartile
  bounds over 1, 2, 2, 3: j=1: 1.75 → 1 + 0.75·1 = 1.75; j=2: 2.5 → 2; j=3: 3.25 → 2 + 0.25·1 = 2.25.
  Bands 1 = lowest, never flipped: b 1, c 2, g 2 (on 2), a 4.
PC-01 (percent, higher is better, limits supplied) 2009-10, England 56:
  a 50 [45, 55]: England above the interval → the area is lower → worse;
  b 60 [58, 62]: England below it → better; c 48 [40, 56]: England on its end → similar;
  d 52 without limits → not-compared.
Neighbours (neighbours/stat.yaml: a: [b, g, d], d: [a]) on HI-01: a among a, b 20, d 30 (g has no
  value) → rank 3 of 3, neighbours' median (20 + 30) / 2 = 25; d among d, a 10 → 1 of 2, median 10.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import EXAMPLES, invoke


def indicator(id_: str, polarity: str, unit: str = "count", decimals: int = 1, extra: str = "") -> str:
    return (f"id: {id_}\ntitle: {id_} measure\npolarity: {polarity}\nunit: {unit}\ndecimals: {decimals}\n"
            f"frequency: annual\nperiod_type: financial-year\n{extra}")


RETURNS = """area,indicator,period,value,lower_ci,upper_ci
a,HI-01,2009-10,10,,
b,HI-01,2009/10,20,,
c,HI-01,2009-10,20,,
d,HI-01,2009-10,30,,
e,HI-01,2009-10,40,,
a,LO-01,2009-10,1.5,,
b,LO-01,2009-10,2.5,,
c,LO-01,2009-10,2.5,,
d,LO-01,2009-10,4,,
a,NE-01,2009-10,3,,
b,NE-01,2009-10,1,,
c,NE-01,2009-10,2,,
g,NE-01,2009-10,2,,
a,PC-01,2009-10,50,45,55
b,PC-01,2009-10,60,58,62
c,PC-01,2009-10,48,40,56
d,PC-01,2009-10,52,,
"""

FILES = {
    "indicators/HI-01.yaml": indicator("HI-01", "higher"),
    "indicators/LO-01.yaml": indicator("LO-01", "lower"),
    "indicators/NE-01.yaml": indicator("NE-01", "neutral"),
    "indicators/PC-01.yaml": indicator("PC-01", "higher", "percent", extra="ci_method: supplied\n"),
    "returns/returns.csv": RETURNS,
    "comparators/others.csv": "area,indicator,period,value\nf,HI-01,2009-10,50\nengland,HI-01,2009-10,25\n"
                              "england,PC-01,2009-10,56\n",
    "neighbours/stat.yaml": "a: [b, g, d]\nd: [a]\n",
}


@pytest.fixture
def areas(workspace):
    return workspace(FILES)


def rows_of(root, *args: str) -> dict[str, dict]:
    document = json.loads(invoke(["-w", root, "benchmark", "--format", "json", *args]).stdout)
    return {row["indicator"]: row for row in document["rows"]}


def by_area(row: dict, *fields: str) -> dict[str, tuple]:
    return {a["area"]: tuple(a[f] for f in fields) for a in row["areas"]}


def test_higher_is_better_ranks_ties_and_flipped_bands(areas):
    row = rows_of(areas, "--indicator", "HI-01")["HI-01"]
    assert [a["area"] for a in row["areas"]] == ["f", "e", "d", "b", "c", "a"]  # rank order, ties by area
    assert by_area(row, "rank", "of", "quartile", "quintile") == {
        "f": (1, 6, 1, 1), "e": (2, 6, 1, 2), "d": (3, 6, 2, 3), "b": (4, 6, 4, 5), "c": (4, 6, 4, 5),
        "a": (6, 6, 4, 5)}
    assert row["bounds"] == {"quartiles": [10, 20, 25, 37.5, 50], "quintiles": [10, 20, 20, 30, 40, 50]}
    assert (row["period"], row["polarity"], row["band_1"], row["england"]) == ("2009-10", "higher", "best", 25)
    assert row["missing"] == ["g"]  # reported NE-01, not this: listed, never imputed


def test_lower_is_better_bounds_between_values_and_too_few_for_quintiles(areas):
    row = rows_of(areas, "--indicator", "LO-01", "--period", "2009/10")["LO-01"]
    assert by_area(row, "rank", "quartile", "quintile") == {
        "a": (1, 1, None), "b": (2, 2, None), "c": (2, 2, None), "d": (4, 4, None)}
    assert row["bounds"] == {"quartiles": [1.5, 2.25, 2.5, 2.875, 4], "quintiles": None}
    assert row["missing"] == ["e", "f", "g"]


def test_neutral_keeps_one_as_the_lowest(areas):
    row = rows_of(areas, "--indicator", "NE-01")["NE-01"]
    assert row["band_1"] == "lowest"
    assert by_area(row, "rank", "quartile") == {"b": (1, 1), "c": (2, 2), "g": (2, 2), "a": (4, 4)}
    assert row["bounds"]["quartiles"] == [1, 1.75, 2, 2.25, 3]


def test_england_against_the_area_interval(areas):
    row = rows_of(areas, "--indicator", "PC-01")["PC-01"]
    assert by_area(row, "vs_england") == {"b": ("better",), "d": ("not-compared",), "a": ("worse",),
                                          "c": ("similar",)}
    assert all(a["area"] != "england" for r in rows_of(areas).values() for a in r["areas"])
    # no England value for LO-01: nothing to compare with
    assert {a["vs_england"] for a in rows_of(areas, "--indicator", "LO-01")["LO-01"]["areas"]} == {"not-compared"}


def test_neighbour_rank_and_median(areas):
    document = json.loads(invoke(["-w", areas, "benchmark", "-i", "HI-01", "--neighbours", "stat",
                                  "--area", "a", "--area", "d", "--format", "json"]).stdout)
    assert document["neighbours"] == "stat"
    (row,) = document["rows"]
    assert by_area(row, "rank", "neighbour_rank", "neighbour_of", "neighbour_median") == {
        "d": (3, 1, 2, 10), "a": (6, 3, 3, 25)}
    assert row["missing"] == []  # --area lists a and d alone; both have a value


def test_an_area_listed_as_its_only_neighbour_is_ranked_alone(areas):
    # `c: [c]` is `c: []`: c (20) is first of 1 with no neighbour median, as `e: []` (40) is;
    # `b: [b, d]`: b (20) among b and d (30, higher is better) is second of 2, median 30
    (areas / "neighbours" / "own.yaml").write_text("c: [c]\ne: []\nb: [b, d]\n", encoding="utf-8")
    (row,) = json.loads(invoke(["-w", areas, "benchmark", "-i", "HI-01", "--neighbours", "own",
                                "--format", "json"]).stdout)["rows"]
    figures = by_area(row, "neighbour_rank", "neighbour_of", "neighbour_median")
    assert (figures["c"], figures["e"], figures["b"]) == ((1, 1, None), (1, 1, None), (2, 2, 30))


def test_csv_lists_the_missing_areas_too(areas):
    lines = invoke(["-w", areas, "benchmark", "-i", "LO-01", "--format", "csv"]).stdout.splitlines()
    assert lines[0].startswith("area,name,indicator,period,polarity,value,")
    assert [line.split(",")[0] for line in lines[1:]] == ["a", "b", "c", "d", "e", "f", "g"]


def test_values_are_exact_decimals(areas):
    row = rows_of(areas, "-i", "LO-01")["LO-01"]
    text = invoke(["-w", areas, "benchmark", "-i", "LO-01", "--format", "json"]).stdout
    assert '"quartiles":[1.5,2.25,2.5,2.875,4]' in text
    assert json.loads(text, parse_float=Decimal)["rows"][0]["bounds"]["quartiles"][3] == Decimal("2.875")
    assert row["areas"][0]["value"] == 1.5


def test_table_shows_each_indicator_in_rank_order(areas):
    out = invoke(["-w", areas, "benchmark", "-i", "HI-01"]).stdout
    assert "HI-01 HI-01 measure — 2009-10: higher is better, bands 1 = best; England 25" in out
    assert out.index(" f ") < out.index(" e ") < out.index(" a ")
    assert "Quartile bounds: 10, 20, 25, 37.5, 50" in out
    assert "No value (not ranked): g" in out


def test_bad_value_in_the_rows_compared_is_refused(areas, workspace):
    root = workspace({"comparators/bad.csv": "area,indicator,period,value\nh,HI-01,2009-10,lots\n"})
    result = invoke(["-w", root, "benchmark", "-i", "HI-01", "--format", "json"], code=1)
    assert result.stdout == ""
    assert "R305" in result.stderr and "comparators/bad.csv row 2" in result.stderr
    assert "error(s) in the files compared (listed above)" in result.stderr  # validate does not read comparators/
    # a bad row of another indicator does not stop this one
    invoke(["-w", root, "benchmark", "-i", "LO-01", "--format", "json"])


@pytest.mark.parametrize("row,says", [
    ("h,HI-01,2009-1O,60", "comparators/typo.csv row 2 period: R304 error: '2009-1O' is not a period"),
    ("h,,2009-10,60", "comparators/typo.csv row 2 indicator: R303 error: the indicator is blank"),
])
@pytest.mark.parametrize("options", [["-i", "HI-01", "-p", "2009-10"], ["-i", "HI-01"], ["-p", "2009-10"], []])
def test_a_row_whose_indicator_or_period_does_not_parse_is_refused_whatever_is_chosen(areas, row, says, options):
    # h's value may be one of those compared: listed as without a value, it would move every
    # band (six values instead of five), so the comparison is refused as it is unfiltered
    (areas / "comparators" / "typo.csv").write_text(f"area,indicator,period,value\n{row}\n")
    result = invoke(["-w", areas, "benchmark", *options, "--format", "json"], code=1)
    assert says in result.stderr and result.stdout == ""


@pytest.mark.parametrize("args,says", [
    (["--neighbours", "stats"], "unknown neighbour group 'stats'"),
    (["--indicator", "NI 999"], "no indicator 'NI 999'"),
    (["--period", "2009-10 Q1"], "areas are compared on years"),
    (["--area", "zz"], "unknown area 'zz'"),
])
def test_usage_errors(areas, args, says):
    assert says in invoke(["-w", areas, "benchmark", *args], code=2).stderr


def test_reads_the_folders_laatool_yaml_names(workspace):
    files = {name.replace("comparators/", "others/").replace("neighbours/", "groups/"): text
             for name, text in FILES.items()}
    root = workspace({**files, "laatool.yaml": "comparators: others\nneighbours: groups\n"})
    document = json.loads(invoke(["-w", root, "benchmark", "-i", "HI-01", "--neighbours", "stat",
                                  "--format", "json"]).stdout)
    (row,) = document["rows"]
    assert row["england"] == 25 and row["areas"][0]["area"] == "f"  # England and f from others/
    assert by_area(row, "neighbour_rank")["a"] == (3,)


def test_text_from_input_is_shown_as_text(workspace):
    root = workspace({**FILES, "agreements/a.yaml": "area: a\nname: \"A\\e[31m\"\nperiods: [2008-09]\n"})
    out = invoke(["-w", root, "benchmark", "-i", "HI-01"]).stdout
    assert "A\\x1b[31m" in out and "\x1b" not in out


def test_a_misspelt_neighbour_is_listed_missing_and_named_not_dropped(areas):
    # d's neighbour `bb` (for b) has no agreement and no return: it was left out in silence, so
    # d's median was that of its other neighbour alone. It is a warning with "did you mean",
    # and missing wherever it has no value.
    (areas / "neighbours" / "stat.yaml").write_text("d: [a, bb]\n")
    result = invoke(["-w", areas, "benchmark", "-i", "HI-01", "--neighbours", "stat", "--format", "json"])
    assert ("neighbours/stat.yaml:1:8: A236 warning: neighbour group names bb, an area with no agreement and no "
            "returns; did you mean b?") in result.stderr
    (row,) = json.loads(result.stdout)["rows"]
    assert "bb" in row["missing"]


def test_a_neighbour_listed_twice_is_an_error_at_its_line(areas):
    # a: [b, b, d] would count b twice: a among a, b, b, d is not "3 of 4", nor is the
    # neighbours' median that of 20, 20, 30; the file says what to fix instead
    (areas / "neighbours" / "stat.yaml").write_text("d: [a]\na:\n  - b\n  - d\n  - b\n")
    result = invoke(["-w", areas, "benchmark", "-i", "HI-01", "--neighbours", "stat", "--format", "json"], code=1)
    assert result.stdout == ""
    assert "neighbours/stat.yaml:3:3: S003 error: a: b is listed twice: list each neighbour once" in result.stderr
    # validate does not read neighbour groups or comparators/: the findings are those listed here
    assert "laatool: 1 error(s) in the files compared (listed above); nothing was computed" in result.stderr
    assert "laatool validate" not in result.stderr


def test_warnings_in_comparators_are_shown_since_validate_reads_none(areas):
    # an empty comparators file compares nothing, and says so; the comparison goes on
    (areas / "comparators" / "empty.csv").write_text("")
    result = invoke(["-w", areas, "benchmark", "-i", "HI-01", "--format", "json"])
    assert "comparators/empty.csv row 1: Y007 warning: the file is empty: it holds no returns" in result.stderr
    assert by_area(json.loads(result.stdout)["rows"][0], "value")["f"] == (50,)


def test_csv_has_the_same_columns_when_no_area_has_a_value(areas):
    header = "area,name,indicator,period,polarity,value,provisional,rank,of,quartile,quintile,vs_england," \
             "ci_lower,ci_upper,england"
    assert invoke(["-w", areas, "benchmark", "-i", "LO-01", "--format", "csv"]).stdout.splitlines()[0] == header
    lines = invoke(["-w", areas, "benchmark", "-i", "LO-01", "-p", "2005-06", "--format", "csv"]).stdout.splitlines()
    assert lines[0] == header
    assert lines[1] == "a,,LO-01,2005-06,lower,,,,,,,missing,,,"


def test_one_year_of_named_indicators_reads_those_rows_alone_and_compares_the_same(areas):
    """`-i ... -p YEAR` normalises only those rows (and one row of every area, so that an area
    reporting other indicators is still listed missing: g for LO-01); the comparison is that of
    the whole year, to the last field, whatever the spelling of the options."""
    (areas / "returns" / "other.csv").write_text("area,indicator,period,value\nh,NE-01,2008-09,oops\n")
    whole = rows_of(areas, "-p", "2009-10")
    chosen = rows_of(areas, "-i", "lo-01", "--indicator", "HI-01", "-p", "2009/10")
    assert sorted(chosen) == ["HI-01", "LO-01"]
    assert chosen["LO-01"] == whole["LO-01"] and chosen["HI-01"] == whole["HI-01"]
    assert chosen["LO-01"]["missing"] == ["e", "f", "g", "h"]


def test_rows_chosen_as_written_are_those_normalising_would_choose():
    import polars as pl

    from laatool.load.normalise import RowChoice, normalise_returns

    raw = pl.DataFrame({"area": ["a", "a", " B", "c", None], "indicator": ["ni8", "NI 8", "NI 8", "NI 154", "NI 8"],
                        "period": ["2009/10", "2010-11", "2009-2010", "2009-10", "2009-10"]})
    choice = RowChoice.of(["NI8"], "2009-10")
    assert choice == RowChoice(("NI 8",), "2009-10")
    kept = choice.rows(raw)
    # a's 2009/10 row and B's 2009-2010 row are chosen; a, B, c and the blank area each keep a row
    assert kept.rows() == [("a", "ni8", "2009/10"), (" B", "NI 8", "2009-2010"), ("c", "NI 154", "2009-10"),
                           (None, "NI 8", "2009-10")]
    every = normalise_returns(raw.with_columns(pl.lit(None, pl.String).alias(c) for c in (
        "value", "subtarget", "numerator", "denominator", "sample_size", "lower_ci", "upper_ci", "status")))
    assert every.filter((pl.col("indicator_id") == "NI 8") & (pl.col("year_id") == "2009-10")).height == 3
    assert RowChoice.of(["NI 8"], "2009-10 Q2") is None and RowChoice.of(["NI 8"], None) is None
    assert RowChoice.of(["not an id!"], "2009-10") is None


def test_a_value_for_a_year_not_collected_is_not_compared(workspace):
    # NI 4 (Place Survey) is collected in 2008-09 and 2010-11: score shows 2009-10 not due and
    # passes over a return for it, so benchmark does not rank it either.
    agreement = """
        area: {slug}
        name: {slug}
        periods: [2008-09, 2009-10, 2010-11]
        reward: {{maximum: 1000000.00}}
        targets:
          - indicator: NI 4
            kind: designated
            baseline: {{period: 2007-08, value: 27.0}}
            targets: {{2010-11: 30.0}}
        """
    root = workspace({
        "agreements/aa.yaml": agreement.format(slug="aa"), "agreements/bb.yaml": agreement.format(slug="bb"),
        "returns/r.csv": "area,indicator,period,value,sample_size\naa,NI 4,2009-10,28,1100\naa,NI 4,2010-11,29.2,1100\n"
                         "bb,NI 4,2010-11,28.5,1100\n"})
    document = json.loads(invoke(["-w", root, "benchmark", "-i", "NI 4", "--format", "json"]).stdout)
    assert [(row["period"], [a["area"] for a in row["areas"]]) for row in document["rows"]] == [
        ("2010-11", ["aa", "bb"])]


@pytest.mark.parametrize("limits, england, versus", [
    # England 22.0 is below a lower limit of 22.00000000001: the area is higher, and NI 6 is
    # better higher (score's target test, on the same limit, says met with confidence)
    ("22.00000000001,22.9", "22.0", "better"),
    # England 22.000000000005, written with twelve places and shown so, is below it too
    ("22.00000000001,22.9", "22.000000000005", "better"),
    # England 22.9 is above an upper limit of 22.89999999999999: the area is lower, worse
    ("21.9,22.89999999999999", "22.9", "worse"),
    ("22.0,22.9", "22.0", "similar"),  # an end is inside
])
def test_england_is_compared_with_limits_as_written(workspace, limits, england, versus):
    # at the frame's ten places each of the first three was "similar"
    root = workspace({
        "agreements/aa.yaml": """
            area: aa
            name: Aa
            periods: [2008-09, 2009-10, 2010-11]
            reward: {maximum: 1000000.00}
            targets:
              - {indicator: NI 6, kind: designated, baseline: {period: 2007-08, value: 20.0}, targets: {2010-11: 22.0}}
            """,
        "returns/r.csv": f"area,indicator,period,value,lower_ci,upper_ci\naa,NI 6,2010-11,22.4,{limits}\n",
        "comparators/e.csv": f"area,indicator,period,value\nengland,NI 6,2010-11,{england}\n"})
    [row] = json.loads(invoke(["-w", root, "benchmark", "-p", "2010-11", "--format", "json"]).stdout,
                       parse_float=Decimal)["rows"]
    assert (row["england"], row["areas"][0]["vs_england"]) == (Decimal(england), versus)


def test_a_value_beyond_ten_places_is_shown_as_written(workspace):
    # score and reward-grant use 7.92000000000001 as written; benchmark showed 7.92
    agreement = """
        area: bee
        name: Beeton
        periods: [2008-09, 2009-10, 2010-11]
        reward: {maximum: 1000000}
        targets:
          - {indicator: NI 16, kind: designated, baseline: {period: 2007-08, value: 8.4}, targets: {2010-11: 7.8}}
        """
    root = workspace({"agreements/bee.yaml": agreement,
                      "returns/r.csv": "area,indicator,period,value\nbee,NI 16,2010-11,7.92000000000001\n"})
    (row,) = json.loads(invoke(["-w", root, "benchmark", "--format", "json"]).stdout, parse_float=Decimal)["rows"]
    assert [area["value"] for area in row["areas"]] == [Decimal("7.92000000000001")]
    assert "bee,Beeton,NI 16,2010-11,lower,7.92000000000001," in invoke(
        ["-w", root, "benchmark", "--format", "csv"]).stdout


def test_values_past_ten_places_are_ranked_and_banded_as_written(workspace):
    """NI 8 (higher is better) 2010-11: a 21, b 21.00000000001, c 21.00000000009,
    d 21.0000000001, e 20.99999999999 (at ten places a, b and e were equal, c and d too).
    Ranks: d 1, c 2, b 3, a 4, e 5. Quartile bounds at (5 − 1)·j/4 + 1 = j + 1: the five values.
    Bands before the flip (on a bound: the lower band): e 1, a 1 (on 21), b 2, c 3, d 4; after
    (5 − b): e 4, a 4, b 3, c 2, d 1. Quintile bounds at 4·j/5: 20.99999999999,
    20.99999999999 + 0.8·0.00000000001 = 20.999999999998, 21 + 0.6·0.00000000001 =
    21.000000000006, 21.00000000001 + 0.4·0.00000000008 = 21.000000000042, 21.00000000009 +
    0.2·0.00000000001 = 21.000000000092, 21.0000000001; bands e 1, a 2, b 3, c 4, d 5, flipped
    (6 − b): 5, 4, 3, 2, 1. Neighbours (a: [b, c, d, e]; b: [a, c]): a is 4 of 5, its
    neighbours' median (21.00000000001 + 21.00000000009) / 2 = 21.00000000005; b is 2 of 3,
    median (21 + 21.00000000009) / 2 = 21.000000000045."""
    values = {"a": "21", "b": "21.00000000001", "c": "21.00000000009", "d": "21.0000000001", "e": "20.99999999999"}
    files = {f"agreements/{area}.yaml": f"""
        area: {area}
        name: Area {area}
        periods: [2008-09, 2009-10, 2010-11]
        reward: {{maximum: 1000000}}
        targets:
          - {{indicator: NI 8, kind: designated, baseline: {{period: 2007-08, value: 20}}, targets: {{2010-11: 25}}}}
        """ for area in values}
    files["returns/r.csv"] = "area,indicator,period,value\n" + "".join(
        f"{area},NI 8,2010-11,{value}\n" for area, value in values.items())
    files["neighbours/g.yaml"] = "a: [b, c, d, e]\nb: [a, c]\n"
    root = workspace(files)
    (row,) = json.loads(invoke(["-w", root, "benchmark", "--neighbours", "g", "--format", "json"]).stdout,
                        parse_float=Decimal)["rows"]
    assert by_area(row, "rank", "quartile", "quintile") == {
        "d": (1, 1, 1), "c": (2, 2, 2), "b": (3, 3, 3), "a": (4, 4, 4), "e": (5, 4, 5)}
    assert row["bounds"] == {
        "quartiles": [Decimal(v) for v in ("20.99999999999", "21", "21.00000000001", "21.00000000009",
                                           "21.0000000001")],
        "quintiles": [Decimal(v) for v in ("20.99999999999", "20.999999999998", "21.000000000006",
                                           "21.000000000042", "21.000000000092", "21.0000000001")]}
    assert by_area(row, "neighbour_rank", "neighbour_of", "neighbour_median")["a"] == (4, 5, Decimal("21.00000000005"))
    assert by_area(row, "neighbour_rank", "neighbour_of", "neighbour_median")["b"] == (2, 3, Decimal("21.000000000045"))
    assert [area["value"] for area in row["areas"]] == [Decimal(values[a]) for a in "dcbae"]


@pytest.mark.parametrize("places, ranks", [(21, {"c": (1,), "a": (2,), "b": (3,)}),
                                            (22, {"c": (1,), "a": (2,), "b": (2,)})])
def test_values_are_ranked_as_written_while_they_fit_36_digits(workspace, places, ranks):
    """Beside 10^14 (15 digits), 1 + 10^-21 (21 places) is ranked as written, above 1 (36
    digits); 1 + 10^-22 would need 37: the values are then ranked at ten places
    (docs/decisions.md), and it shares 1's rank."""
    tiny = "1." + "0" * (places - 1) + "1"
    root = workspace({"indicators/HI-01.yaml": indicator("HI-01", "higher"), "returns/r.csv":
                      f"area,indicator,period,value\na,HI-01,2009-10,{tiny}\nb,HI-01,2009-10,1\n"
                      "c,HI-01,2009-10,100000000000000\n"})
    row = rows_of(root)["HI-01"]
    assert by_area(row, "rank") == ranks


def test_a_year_an_indicator_is_not_collected_in_is_said_not_left_silent():
    # NI 4 (the Place Survey) is collected in 2008-09 and 2010-11: no area is compared in
    # 2009-10, and the reason is given, so an area with a 2009-10 return is not read as silent
    result = invoke(["-w", EXAMPLES, "benchmark", "-i", "NI 4", "-p", "2009-10", "--format", "json"])
    assert result.stderr.splitlines() == [
        "laatool: NI 4 is not collected in 2009-10 (collected in 2008-09, 2010-11): "
        "no return for that year is compared"]
    assert invoke(["-w", EXAMPLES, "benchmark", "-i", "NI 4", "-p", "2010-11", "--format", "json"]).stderr == ""


def test_a_deleted_indicator_is_said_so_beside_its_empty_comparison():
    # NI 31 is deleted (status: deleted in the catalogue): no example area returns it, and the
    # empty comparison, exit 0, says why rather than nothing
    result = invoke(["-w", EXAMPLES, "benchmark", "-i", "NI 31", "-p", "2010-11", "--format", "json"])
    assert result.stderr.splitlines() == [
        "laatool: NI 31 is a deleted indicator (status: deleted): few areas, if any, return it"]
    [row] = json.loads(result.stdout)["rows"]
    assert (row["indicator"], row["areas"], len(row["missing"])) == ("NI 31", [], 12)


def test_england_is_no_area_to_choose():
    assert "never an area compared" in invoke(["-w", EXAMPLES, "benchmark", "-a", "England"], 2).stderr
    unknown = invoke(["-w", EXAMPLES, "benchmark", "-a", "zz"], 2).stderr
    assert "unknown area 'zz'" in unknown and "england" not in unknown


def test_a_neighbour_group_naming_england_is_warned_about(tmp_path):
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "neighbours" / "eng.yaml").write_text("leeds: [england, bradford]\n")
    result = invoke(["-w", root, "benchmark", "-i", "NI 8", "-p", "2010-11", "--neighbours", "eng", "--format", "json"])
    assert [line.split(" (")[0] for line in result.stderr.splitlines()] == [
        "neighbours/eng.yaml:1:9: A236 warning: neighbour group names england, the comparison value of every area: it "
        "is never ranked among neighbours"]


@pytest.mark.parametrize("broken", ["syntax", "unreadable"])
def test_an_override_that_cannot_be_read_refuses_its_indicator(tmp_path, broken):
    """`indicators/NI-8.yaml` makes NI 8 lower-is-better, but cannot be read: benchmark ranked
    by the bundled NI 8 (higher is better) with exit 0, Cumbria's 23.8 second of eleven instead
    of tenth. Like every other command it is refused, naming the file."""
    import os
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    override = root / "indicators" / "NI-8.yaml"
    override.parent.mkdir(exist_ok=True)
    bundled = (Path(__file__).parents[1] / "indicators" / "NI-8.yaml").read_text()
    override.write_text(bundled.replace("polarity: higher", "polarity: lower"))
    lower = json.loads(invoke(["-w", root, "benchmark", "-i", "NI 8", "-p", "2010-11", "-f", "json"]).stdout)
    cumbria = [a for a in lower["rows"][0]["areas"] if a["area"] == "cumbria"][0]
    assert (cumbria["rank"], cumbria["of"]) == (10, 11)
    if broken == "syntax":
        override.write_text(override.read_text() + "  bad: [\n")
    else:
        if os.geteuid() == 0:
            pytest.skip("root reads a file of mode 000")
        override.chmod(0)
    refused = invoke(["-w", root, "benchmark", "-i", "NI 8", "-p", "2010-11"], 1)
    assert "indicators/NI-8.yaml" in refused.stderr and "nothing was computed" in refused.stderr


def test_a_neighbour_group_linked_from_outside_is_not_read(tmp_path):
    """`neighbours/outside.yaml`, a link to a file outside the workspace, was read (its keys
    shown in findings, its group used); every other folder's link outside is Y012."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    secret = tmp_path / "secret.yaml"
    secret.write_text("leeds: [northumberland]\nroot_password_hint: [bradford]\n")
    (root / "neighbours" / "outside.yaml").symlink_to(secret)
    result = invoke(["-w", root, "benchmark", "-i", "NI 8", "-p", "2010-11", "--neighbours", "outside"], 1)
    assert "Y012" in result.stderr and "root_password_hint" not in result.stderr
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["file"]) for f in found if f["severity"] == "error"] == [("Y012", "neighbours/outside.yaml")]


def test_a_neighbour_group_of_20000_unknown_areas_lists_1000_and_counts_the_rest(tmp_path):
    """Each of 20,000 areas no agreement names was an A236 located by a scan of every key and
    given a "did you mean" (216 s, in effect a hang); the first 1,000 are listed, then a count."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "neighbours" / "big.yaml").write_text("".join(f"area-{i}: [leeds]\n" for i in range(20_000)))
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    a236 = [f for f in found if f["code"] == "A236"]
    [summary] = [f for f in a236 if f["line"] is None]
    assert sorted(f["line"] for f in a236 if f["line"] is not None) == list(range(1, 1001))
    assert summary["message"] == "19,000 more of this file's findings are A236 (only the first 1,000 are listed)"


def test_validate_finds_a_comparator_row_conflicting_with_a_return_as_benchmark_does(tmp_path):
    """A comparators file giving Leeds' NI 8 for 2010-11 as 25.0 where its return says 23.4:
    benchmark refused it (R308) while validate said 0 errors, though validate checks the
    comparators "as benchmark checks them"."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "comparators" / "dup.csv").write_text("area,indicator,period,value\nleeds,NI 8,2010-11,25.0\n")
    refused = invoke(["-w", root, "benchmark", "-i", "NI 8", "-p", "2010-11"], 1)
    assert "comparators/dup.csv row 2 value: R308 error" in refused.stderr
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["file"], f["row"]) for f in found if f["severity"] == "error"] == [
        ("R308", "comparators/dup.csv", 2)]


def test_a_comparator_row_naming_an_agreement_by_its_ons_code_or_name_is_refused(tmp_path):
    """Published comparator files carry ONS codes: `E08000035` is Leeds (agreements/leeds.yaml),
    and read as an area of its own it would count Leeds twice and move every band (R327, in
    benchmark and in validate alike)."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "comparators" / "ons.csv").write_text("area,indicator,period,value\nzz,NI 8,2010-11,20\n"
                                                   "E08000035,NI 8,2010-11,23.4\nStockton-on-Tees,NI 8,2010-11,1\n")
    refused = invoke(["-w", root, "benchmark", "-i", "NI 8", "-p", "2010-11"], 1)
    assert refused.stderr.splitlines()[:2] == [
        "comparators/ons.csv row 3 area: R327 error: 'E08000035' is the ONS code of leeds (agreements/leeds.yaml): "
        "1 row(s) of this file would be compared as an area of their own (write the agreement's slug (the name "
        "of its file in agreements/))",
        "comparators/ons.csv row 4 area: R327 error: 'Stockton-on-Tees' is the name of stockton "
        "(agreements/stockton.yaml): 1 row(s) of this file would be compared as an area of their own (write the "
        "agreement's slug (the name of its file in agreements/))"]
    found = json.loads(invoke(["-w", root, "validate", "--format", "json"], 1).stdout)["findings"]
    assert [(f["code"], f["file"], f["row"]) for f in found if f["severity"] == "error"] == [
        ("R327", "comparators/ons.csv", 3), ("R327", "comparators/ons.csv", 4)]


@pytest.mark.parametrize(("options", "named"), [(["-p", "2012-13"], ""),
                                                 (["-i", "NI 8", "-p", "2012-13"], " of the indicators named")])
def test_a_year_without_any_value_is_said_so_beside_its_empty_comparison(options, named):
    # 2012-13, after every agreement and return: exit 0 and `{"rows": []}` with no word, as if
    # the year had returns and no area had a value
    result = invoke(["-w", EXAMPLES, "benchmark", *options, "--format", "json"])
    assert result.stderr.splitlines() == [
        f"laatool: no area has a value{named} for 2012-13 in the workspace or its comparators (England's is never "
        "ranked): no area is compared"]
    assert invoke(["-w", EXAMPLES, "benchmark", *options[:-1], "2010-11", "--format", "json"]).stderr == ""


def test_a_year_without_values_is_said_so_beside_a_deleted_indicators_note():
    # NI 31's note says why it has no value; NI 8's silence was left unexplained
    result = invoke(["-w", EXAMPLES, "benchmark", "-i", "NI 31", "-i", "NI 8", "-p", "2012-13", "--format", "json"])
    assert result.stderr.splitlines() == [
        "laatool: NI 31 is a deleted indicator (status: deleted): few areas, if any, return it",
        "laatool: no area has a value of the indicators named for 2012-13 in the workspace or its comparators "
        "(England's is never ranked): no area is compared"]


@pytest.mark.parametrize("rows", [
    "england,NI 8,2011-12,19.5,",  # England's value alone: it is never ranked
    "bradford,NI 8,2011-12 Q1,19.5,\nbradford,NI 8,2011-12 Q2,19.7,",  # quarters: areas are compared on years
    "bradford,NI 8,2011-12,19.5,male",  # a sub-target's value: areas are compared on their whole
])
def test_a_year_whose_values_none_are_compared_is_said_so(tmp_path, rows):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    (root / "comparators" / "more.csv").write_text(f"area,indicator,period,value,subtarget\n{rows}\n",
                                                   encoding="utf-8")
    result = invoke(["-w", root, "benchmark", "-p", "2011-12", "--format", "json"])
    assert json.loads(result.stdout)["rows"] == []
    assert result.stderr.splitlines()[-1] == ("laatool: no area has a value for 2011-12 in the workspace or its "
                                              "comparators (England's is never ranked): no area is compared")
