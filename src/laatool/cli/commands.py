"""Every command module, registered in one list (importing a module registers its commands)."""

from laatool.cli import benchmark, indicators, opportunities, project, reward_grant, rules, schema, score, validate  # noqa: F401
