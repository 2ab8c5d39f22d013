"""JSON output: exact decimals as JSON numbers, keys in the order the contract gives."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from laatool.render.values import decimal_text

_NUMBER = "\u0000\u0001laatool-number:"
_NUMBER_IN_JSON = re.compile(r'"\\u0000\\u0001laatool-number:([^"]*)"')


def dumps(document: Any) -> str:
    """Compact JSON on one line, a Decimal written as its exact number text.

    The standard encoder cannot write a number it did not format itself, so each Decimal goes
    through as a marked string and the marks are replaced by the bare number afterwards.
    One line keeps the encoder in C (indenting drops it to pure Python, ten times slower on a
    national report); `jq .` pretty-prints it.
    """
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=_marked)
    return _NUMBER_IN_JSON.sub(r"\1", text) + "\n"


def _marked(value: Any) -> str:
    if isinstance(value, Decimal):
        return _NUMBER + decimal_text(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def render_json(report: Any) -> bytes:
    return dumps(report.to_json()).encode("utf-8")
