"""S: schema — unknown keys, missing keys, wrong types and invalid values in the formats."""

from __future__ import annotations

from laatool.base.rule import Rule


class S001(Rule):
    """Unknown key.

    Every format forbids keys it does not define, so a typo is an error instead of a
    setting silently ignored. The message suggests the closest known key.

    Failing:
        targets:
          - indicator: NI 154
            kind: designated
            basline: {period: 2007-08, value: 2940}
    Passing:
        targets:
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 2940}
    """

    code = "S001"
    hint = "correct the spelling of the key, or remove it"


class S002(Rule):
    """Missing required key or column.

    A key the format requires is absent (for returns tables: a required column).

    Failing:
        area: leeds
        periods: [2008-09, 2009-10, 2010-11]
        # no `name`, no `targets`
    Passing:
        area: leeds
        name: Leeds
        periods: [2008-09, 2009-10, 2010-11]
        targets: []
    """

    code = "S002"
    hint = "add the missing key"


class S003(Rule):
    """Wrong type or invalid value.

    A value does not have the type or form the format requires: text where a number is
    needed, a word outside the allowed list, a malformed id or period.

    Failing:
        polarity: up
        decimals: one
    Passing:
        polarity: higher
        decimals: 1
    """

    code = "S003"
    hint = "write the value in the form the format requires (see `laatool schema`)"
