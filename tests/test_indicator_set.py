"""The bundled National Indicator Set: every file loads, ids match names, the counts hold."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, invoke
from laatool.base.models import Indicator
from laatool.load.documents import load_document

FILES = sorted((REPO / "indicators").glob("*.yaml"))
STATUTORY = {72, 73, 74, 75, 83, 87, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101}
PLACE_SURVEY = {1, 2, 3, 4, 5, 6, 17, 21, 22, 23, 27, 37, 41, 42, 119, 138, 139, 140}
TELLUS = {50, 69, 110, 115, 199}


def _load(path: Path) -> Indicator:
    loaded, findings = load_document(path, path.name, Indicator)
    assert findings == [], [f.one_line() for f in findings]
    return loaded.model


@pytest.fixture(scope="module")
def indicators() -> dict[int, Indicator]:
    return {int(path.stem.removeprefix("NI-")): _load(path) for path in FILES}


def test_one_file_per_indicator_ni1_to_ni199():
    assert [p.name for p in FILES] == sorted(f"NI-{n}.yaml" for n in range(1, 200))


def test_every_file_loads_and_its_id_matches_its_name(indicators):
    for number, indicator in indicators.items():
        assert indicator.id == f"NI {number}"


def test_ni31_is_deleted_and_198_are_active(indicators):
    assert indicators[31].status == "deleted"
    assert sum(i.status == "active" for i in indicators.values()) == 198


def test_statutory_and_survey_flags(indicators):
    assert {n for n, i in indicators.items() if i.statutory} == STATUTORY
    assert {n for n, i in indicators.items() if i.survey} == PLACE_SURVEY | TELLUS


def test_rates_say_per_what_and_percentages_have_a_range(indicators):
    for indicator in indicators.values():
        assert (indicator.rate_per is not None) == (indicator.unit == "rate"), indicator.id
        if indicator.unit == "percent":
            assert indicator.valid_range.max is None or indicator.valid_range.max <= 100, indicator.id


def test_files_start_with_the_schema_line():
    for path in FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/indicator.schema.json", path.name


def test_indicators_json_lists_198_current_indicators():
    document = json.loads(invoke(["indicators", "--format", "json"]).stdout)
    assert document["count"] == 198
    ids = [i["id"] for i in document["indicators"]]
    assert ids[:3] == ["NI 1", "NI 2", "NI 3"] and "NI 31" not in ids and ids[-1] == "NI 199"


def test_indicators_all_includes_the_deleted_one():
    document = json.loads(invoke(["indicators", "--all", "--format", "json"]).stdout)
    assert document["count"] == 199
    # in CSV too it is told apart from the active ones, by its status (last, after the older columns)
    rows = invoke(["indicators", "--all", "--format", "csv"]).stdout.splitlines()
    assert "NI 31,Re-offending rate of registered sex offenders,lower,rate,other,MoJ,false,deleted" in rows
    assert "NI 30,Re-offending rate of prolific and priority offenders,lower,percent,annual,HO,false,active" in rows


def test_the_listing_says_how_many_indicators_are_local():
    # examples/ defines 7 local indicators beside the 198 national ones
    assert invoke(["-w", EXAMPLES, "indicators"], env={"COLUMNS": "120"}).stdout.splitlines()[0].strip() == (
        "Indicators: 205 (198 national, 7 local)")
    assert invoke(["indicators"], env={"COLUMNS": "120"}).stdout.splitlines()[0].strip() == (
        "National Indicator Set: 198 indicator(s)")


def test_search_by_words_department_and_statutory():
    rows = invoke(["indicators", "net", "additional", "homes", "--format", "csv"]).stdout.splitlines()
    assert rows[0] == "id,title,polarity,unit,frequency,department,statutory,status"
    assert rows[1].startswith("NI 154,Net additional homes provided,higher,count,annual,CLG,false")
    statutory = invoke(["indicators", "--statutory", "--format", "json"]).stdout
    assert json.loads(statutory)["count"] == 16
    dcsf = json.loads(invoke(["indicators", "--department", "dcsf", "--format", "json"]).stdout)
    assert dcsf["count"] > 0 and {i["department"] for i in dcsf["indicators"]} == {"DCSF"}


@pytest.mark.parametrize("query", ["NI 8", "NI8", "ni-8", "NI 008", "ni 8"])
def test_a_query_that_is_an_id_lists_that_indicator_alone_in_any_spelling(query):
    # "NI 8" also matched every text holding "ni" and "8" (NI 7's "knife", NI 72's "18"): a
    # script taking the first row got NI 7
    document = json.loads(invoke(["indicators", query, "--format", "json"]).stdout)
    assert [i["id"] for i in document["indicators"]] == ["NI 8"]


def test_show_one_indicator_in_full_accepts_any_id_spelling():
    shown = json.loads(invoke(["indicators", "show", "ni-0154", "--format", "json"]).stdout)
    assert shown["id"] == "NI 154" and shown["polarity"] == "higher" and shown["decimals"] == 0
    assert "Net additional homes provided" in invoke(["indicators", "show", "NI 154"]).stdout
    assert "Net additional homes provided" in invoke(["indicators", "show", "NI", "154"]).stdout


@pytest.mark.parametrize(("indicator", "shown"), [("NI 8", "0..100"), ("NI 186", "..100"), ("NI 154", "any value")])
def test_show_writes_the_range_as_the_template_does(indicator, shown):
    """NI 186's range has no lower bound (`..100`, as `template` shows it), NI 154's neither:
    `min: , max: 100` and a blank cell, which read as unknown, were shown."""
    rows = list(csv.DictReader(io.StringIO(invoke(["indicators", "show", indicator, "-f", "csv"]).stdout)))
    assert [row["value"] for row in rows if row["field"] == "range"] == [shown]
    assert json.loads(invoke(["indicators", "show", indicator, "-f", "json"]).stdout)["range"].keys() == {"min", "max"}


def test_show_an_unknown_indicator_is_a_usage_error():
    result = invoke(["indicators", "show", "NI 999"], code=2)
    assert "no indicator 'NI 999'" in result.stderr and result.stdout == ""


def test_workspace_local_indicators_are_listed(tmp_path):
    local = tmp_path / "indicators" / "LEEDS-01.yaml"
    local.parent.mkdir()
    local.write_text(re.sub(r"(?m)^id: .*$", "id: leeds-01", (REPO / "indicators" / "NI-154.yaml").read_text()))
    document = json.loads(invoke(["-w", tmp_path, "indicators", "--format", "json"]).stdout)
    assert document["count"] == 199 and document["indicators"][-1]["id"] == "LEEDS-01"


def test_workspace_local_indicators_come_from_the_folder_laatool_yaml_names(tmp_path):
    """`indicators:` renamed in laatool.yaml is the folder read, as validate and score read it;
    the default folder's name then means nothing."""
    (tmp_path / "laatool.yaml").write_text("indicators: local-indicators\n")
    ni154 = (REPO / "indicators" / "NI-154.yaml").read_text()
    for folder, local_id in (("local-indicators", "leeds-01"), ("indicators", "leeds-02")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{local_id.upper()}.yaml").write_text(re.sub(r"(?m)^id: .*$", f"id: {local_id}", ni154))
    document = json.loads(invoke(["-w", tmp_path, "indicators", "--format", "json"]).stdout)
    assert document["count"] == 199 and document["indicators"][-1]["id"] == "LEEDS-01"
    shown = invoke(["-w", tmp_path, "indicators", "show", "LEEDS-01", "-f", "json"]).stdout
    assert json.loads(shown)["id"] == "LEEDS-01"
    assert "no indicator 'LEEDS-02'" in invoke(["-w", tmp_path, "indicators", "show", "LEEDS-02"], code=2).stderr


def test_a_workspace_indicator_that_does_not_load_is_said_not_left_out_in_silence(workspace):
    # a broken indicators/LEEDS-01.yaml was simply missing from the list, with exit 0 and no word
    root = workspace({"indicators/LEEDS-01.yaml": "id: LEEDS-01\ntitle: [broken\n",
                      "indicators/LEEDS-02.yaml": (REPO / "examples" / "indicators" / "LEEDS-02.yaml").read_text()})
    result = invoke(["-w", root, "indicators", "LEEDS", "--format", "csv"])
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["LEEDS-02"]
    assert ("laatool: warning: 1 indicator file(s) of the workspace did not load and are left out "
            "(indicators/LEEDS-01.yaml): `laatool validate` says why") in result.stderr


@pytest.mark.parametrize("department, said", [
    ("DCFS", "laatool: --department: no indicator is of the department 'DCFS'; did you mean DCMS or DCSF?"),
    ("", "laatool: --department: no indicator is of the department ''"),
])
def test_a_department_no_indicator_has_is_a_usage_error_not_an_empty_list(department, said):
    # `-d DCFS` (a typo for DCSF) listed nothing, exit 0, as every other name the command line
    # takes is refused with a suggestion
    result = invoke(["indicators", "-d", department, "--format", "json"], 2)
    assert result.stderr.startswith(said + " (departments: BERR, CLG, ")


def test_a_department_is_matched_in_any_case():
    document = json.loads(invoke(["indicators", "-d", " dcsf ", "--format", "json"]).stdout)
    assert document["count"] == 65 and {row["department"] for row in document["indicators"]} == {"DCSF"}
