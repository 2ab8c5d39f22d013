"""Every command module, registered in one list (importing a module registers its commands)."""

from laatool.cli import indicators, project, reward_grant, rules, schema, score, template, validate  # noqa: F401
