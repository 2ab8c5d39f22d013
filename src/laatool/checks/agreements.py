"""A: agreements — the targets an area agreed, checked against the catalogue and the schemes.

The rules are in six modules by what they look at (`agreement_indicators`, `agreement_periods`,
`agreement_values`, `agreement_reward`, `agreement_shape`, `agreement_groups`); how they are run
is `agreement_kinds`."""

from __future__ import annotations

from laatool.base.findings import Finding
from laatool.base.rule import REGISTRY, capped
from laatool.checks import (  # noqa: F401 - the rules
    agreement_groups,
    agreement_indicators,
    agreement_periods,
    agreement_reward,
    agreement_shape,
    agreement_values,
)
from laatool.checks.agreement_kinds import AgreementRule
from laatool.load.workspace import Workspace

RULES = [rule for _, rule in sorted(REGISTRY.items()) if issubclass(rule, AgreementRule)]


def check_agreements(workspace: Workspace) -> list[Finding]:
    """Every A finding over the workspace's agreements (those that loaded), the first 1,000 of
    each rule in each file listed (`laatool.base.rule.capped`), as for any other file."""
    return capped([finding for rule in RULES for finding in rule.check(workspace)])
