"""JSON Schemas: `laatool schema` prints them, the checked-in copies are current, files use them."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLES, REPO, invoke
from laatool.render.schema import MODELS, schema_text


@pytest.mark.parametrize("name", list(MODELS))
def test_checked_in_schema_is_current(name):
    checked_in = (REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert checked_in == schema_text(name), f"run `make schemas` to refresh schemas/{name}.schema.json"


def test_the_returns_schema_has_the_columns_the_reader_takes():
    from laatool.base.models import ReturnRow
    from laatool.load.returns_table import REQUIRED_RETURN_COLUMNS, RETURN_COLUMNS

    assert tuple(ReturnRow.model_fields) == RETURN_COLUMNS
    assert [name for name, field in ReturnRow.model_fields.items() if field.is_required()] == list(
        REQUIRED_RETURN_COLUMNS)


def test_schema_command_prints_json_schema():
    schema = json.loads(invoke(["schema", "agreement"]).stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["additionalProperties"] is False
    assert {"area", "name", "periods", "reward", "targets"} <= set(schema["properties"])


def test_unknown_schema_name_is_a_usage_error():
    invoke(["schema", "nonsense"], code=2)


def test_every_example_yaml_file_names_its_schema():
    files = sorted(EXAMPLES.rglob("*.yaml"))
    assert len(files) >= 5
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target} does not exist"


def _schema_of(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    return json.loads((path.parent / first.split("=", 1)[1]).read_text(encoding="utf-8"))


def test_every_example_yaml_file_is_valid_against_the_schema_it_names():
    """What an editor checks a file against accepts every example laatool accepts."""
    import jsonschema
    import yaml

    for path in sorted(EXAMPLES.rglob("*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), _schema_of(path))


@pytest.mark.parametrize(("target", "valid"), [
    ({"indicator": "NI 154", "kind": "designated", "baseline": {"period": "2007-08", "value": 1},
      "targets": {"2010-11": 2}}, True),
    ({"indicator": "NI 39", "kind": "designated",  # sub-targets only: the target's own baseline still
      "subtargets": [{"id": "north", "baseline": {"period": "2007-08", "value": 1}, "targets": {"2010-11": 2}}]},
     False),
    ({"indicator": "NI 39", "kind": "designated", "placeholder": True}, True),
    ({"indicator": "NI 39", "kind": "designated", "placeholder": False}, False),
    ({"indicator": "NI 39", "kind": "designated", "baseline": None, "targets": {"2010-11": 2}}, False),
    ({"indicator": "NI 39", "group": None, "kind": "designated", "targets": {"2010-11": 2}}, False),
    ({"group": "transport", "title": "Getting around", "kind": "designated", "subtargets": [
        {"id": "bus", "indicator": "NI 177", "baseline": {"period": "2007-08", "value": 1},
         "targets": {"2010-11": 2}}]}, True),
])
def test_the_agreement_schema_asks_for_a_baseline_where_laatool_does(target, valid, workspace):
    """A target with sub-targets and no baseline of its own was S003 in `validate`, while the
    schema an editor checks against (and `laatool schema`, which S003's hint names) had
    `baseline` optional: nothing said it was wanted until the run."""
    import jsonschema
    import yaml

    agreement = {"area": "wakefield", "name": "Wakefield", "periods": ["2008-09", "2009-10", "2010-11"],
                 "reward": {"scheme": "lpsa2", "maximum": 100}, "targets": [target]}
    schema = json.loads(invoke(["schema", "agreement"]).stdout)
    assert jsonschema.Draft202012Validator(schema).is_valid(agreement) is valid
    root = workspace({"agreements/wakefield.yaml": yaml.safe_dump(agreement, sort_keys=False)})
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], code=0 if valid else 1).stdout)
    assert [f["code"] for f in report["findings"] if f["severity"] == "error"] == ([] if valid else ["S003"])


@pytest.mark.parametrize(("name", "edit"), [
    ("agreements/stockton.yaml", ("area: stockton", "area: Stockton")),
    ("agreements/stockton.yaml", ("periods: [2008-09, 2009-10, 2010-11]", "periods: [banana, 2009-10, 2010-11]")),
    ("agreements/stockton.yaml", ("indicator: NI 16\n", "indicator: foo bar\n")),
    ("agreements/stockton.yaml", ("indicator: NI 16\n", "indicator: NI 200\n")),
    ("agreements/stockton.yaml", ("baseline: {period: 2007-08", "baseline: {period: Q9")),
    ("agreements/stockton.yaml", ("targets: {2010-11: 30.0}", "targets: {banana: 30.0}")),
    ("agreements/leeds.yaml", ("group: transport", "group: Transport")),
    ("neighbours/north.yaml", ("leeds:", "BAD_Slug:")),
])
def test_the_schema_an_editor_checks_with_refuses_what_laatool_refuses(tmp_path, name, edit):
    """An id, a slug or a period laatool refuses (S003) is marked by the editor too: the schemas
    gave each as any text, so a file the editor showed as valid failed `validate`."""
    import jsonschema
    import yaml

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    found = json.loads(invoke(["-w", root, "validate", "--format", "json", str(path)], 1).stdout)["findings"]
    assert "S003" in {f["code"] for f in found}
    schema = json.loads(schema_text({"agreements": "agreement", "neighbours": "neighbours"}[path.parent.name]))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
