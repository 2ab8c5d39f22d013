"""Where the bundled National Indicator Set and reward schemes live."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the laatool package, above base/


def bundled_indicators_dir() -> Path:
    """`laatool/indicators` in an installed wheel; the repository's `indicators/` in a checkout."""
    installed = PACKAGE / "indicators"
    if installed.is_dir():
        return installed
    return PACKAGE.parents[1] / "indicators"


def bundled_schemes_dir() -> Path:
    return PACKAGE / "schemes"
