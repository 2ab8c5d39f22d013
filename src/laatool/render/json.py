"""JSON output: exact decimals as JSON numbers, keys in the order the contract gives."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from laatool.render.values import decimal_text


def dumps(document: Any, indent: int = 2) -> str:
    """Serialise like `json.dumps(indent=2)` but write a Decimal as its exact number text."""
    return _encode(document, 0, indent) + "\n"


def _encode(value: Any, level: int, indent: int) -> str:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = " " * (indent * (level + 1))
        items = [f"{pad}{json.dumps(str(k))}: {_encode(v, level + 1, indent)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * (indent * level) + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        pad = " " * (indent * (level + 1))
        items = [f"{pad}{_encode(v, level + 1, indent)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * (indent * level) + "]"
    if isinstance(value, float):
        raise TypeError("binary floats are not written: use Decimal")
    return json.dumps(value, ensure_ascii=False)


def render_json(report: Any) -> bytes:
    return dumps(report.to_json()).encode("utf-8")
