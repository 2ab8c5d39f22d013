"""JSON output: exact decimals as JSON numbers, keys in the order the contract gives."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from laatool.render.values import decimal_text

# A Decimal goes through the encoder as a string between two marks, taken out afterwards with
# its quotes. No other string can begin or end with them: YAML refuses control characters, CSV
# refuses NUL, and what a returns cell gives the outputs is a checked id or inside a message.
_START, _END = "\u0000\u0001", "\u0001\u0000"
_START_IN_JSON, _END_IN_JSON = '"\\u0000\\u0001', '\\u0001\\u0000"'


def dumps(document: Any) -> str:
    """Compact JSON on one line, a Decimal written as its exact number text.

    The standard encoder cannot write a number it did not format itself, so each Decimal goes
    through as a marked string and the marks and quotes around it are taken out afterwards.
    One line keeps the encoder in C (indenting drops it to pure Python, ten times slower on a
    national report); `jq .` pretty-prints it.
    """
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=_marked)
    return text.replace(_START_IN_JSON, "").replace(_END_IN_JSON, "") + "\n"


def _marked(value: Any) -> str:
    if isinstance(value, Decimal):
        return _START + decimal_text(value) + _END
    raise TypeError(f"{type(value).__name__} is not JSON")


def render_json(report: Any) -> bytes:
    return dumps(report.to_json()).encode("utf-8")
