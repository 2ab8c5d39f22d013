"""Every command module, registered in one list (importing a module registers its commands)."""

from laatool.cli import (  # noqa: F401
    benchmark,
    indicators,
    opportunities,
    project,
    report,
    reward_grant,
    rules,
    schema,
    score,
    template,
    validate,
)
