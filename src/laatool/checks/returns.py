"""R: returns — every row checked by polars expressions over the whole normalised frame.

Each row rule gives, per field, a boolean expression that is true on an offending row. All of
them are evaluated in one pass (`laatool.checks.returns_engine`); only the offending rows are turned
into findings. Once a rule has reported `MAX_PER_FILE` rows of one file it reports one summary
finding for the rest, so a garbage file still gives a readable report.

The rules are in modules by what they look at (`returns_areas`, `returns_rows`,
`returns_numbers`, `returns_values`, `returns_surveys`, `returns_coverage`, and
`returns_plausibility` for what is valid but probably not meant); how they are run and reported is `returns_kinds`, the
columns they read `returns_frame`.
"""

from __future__ import annotations

from laatool.base.rule import REGISTRY
from laatool.checks import (  # noqa: F401 - the rules
    returns_areas,
    returns_coverage,
    returns_numbers,
    returns_plausibility,
    returns_rows,
    returns_surveys,
    returns_values,
)
from laatool.checks.returns_coverage import R311
from laatool.checks.returns_kinds import KEYS, MAX_PER_FILE, RowRule, cap, row_finding, summary_finding

__all__ = ["EXACT_RULES", "KEYS", "MAX_PER_FILE", "R311", "ROW_RULES", "cap", "row_finding", "summary_finding"]

ROW_RULES: list[type[RowRule]] = [
    rule for code, rule in sorted(REGISTRY.items()) if code.startswith("R") and issubclass(rule, RowRule)]
# The rules that compare numbers, and so decide a row the frame does not hold exactly (`RowRule.exact`).
EXACT_RULES = [rule for rule in ROW_RULES if rule.exact.__func__ is not RowRule.exact.__func__]  # type: ignore[attr-defined]
