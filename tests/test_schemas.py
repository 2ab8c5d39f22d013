"""JSON Schemas: `laatool schema` prints them, the checked-in copies are current, files use them."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, REPO, invoke
from laatool.render.schema import MODELS, schema_text


@pytest.mark.parametrize("name", list(MODELS))
def test_checked_in_schema_is_current(name):
    checked_in = (REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert checked_in == schema_text(name), f"run `make schemas` to refresh schemas/{name}.schema.json"


def test_the_returns_schema_has_the_columns_the_reader_takes():
    from laatool.base.models import ReturnRow
    from laatool.load.returns import REQUIRED_RETURN_COLUMNS, RETURN_COLUMNS

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
