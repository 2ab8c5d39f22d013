"""Every rule of every family, by code: what `laatool rules` lists and explains."""

from __future__ import annotations

from laatool.base.rule import REGISTRY, Rule


def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by code, after importing every family module (a rule registers itself)."""
    from laatool.checks import agreements, indicators, returns  # noqa: F401 - imported for the rules they declare
    from laatool.load import folder_rules, reading_rules, schema_rules, table_rules  # noqa: F401 - imported for the rules they declare

    return dict(sorted(REGISTRY.items()))
