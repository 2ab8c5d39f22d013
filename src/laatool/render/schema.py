"""JSON Schemas of the file formats, for editors (`laatool schema NAME`, `schemas/`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from laatool.base.models import Agreement, Indicator, Neighbours, ReturnRow, Scheme, Settings

MODELS: dict[str, type[BaseModel]] = {
    "indicator": Indicator,
    "agreement": Agreement,
    "returns": ReturnRow,
    "scheme": Scheme,
    "settings": Settings,
    "neighbours": Neighbours,
}
TITLES = {
    "indicator": "laatool indicator definition (indicators/NI-154.yaml)",
    "agreement": "laatool Local Area Agreement (agreements/<area>.yaml)",
    "returns": "laatool returns file (returns/*.yaml): a list of reported values",
    "scheme": "laatool reward scheme (schemes/<name>.yaml)",
    "settings": "laatool workspace settings (laatool.yaml)",
    "neighbours": "laatool neighbour group (neighbours/<group>.yaml): each area's neighbours, in order",
}


def json_schema(name: str) -> dict[str, Any]:
    schema = MODELS[name].model_json_schema(mode="validation")
    if name == "returns":
        defs = schema.pop("$defs", None)
        schema = {"type": "array", "items": schema}
        if defs:
            schema["$defs"] = defs
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": TITLES[name]}


def schema_text(name: str) -> str:
    import json

    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"
