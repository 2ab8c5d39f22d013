"""Which way is better (DESIGN.md §5, §6): the one home of polarity, for scoring, reward and
the agreement checks, in Python and as polars expressions over frames.

+1 means higher values are better, -1 lower, 0 neither (a neutral indicator with nothing else
to go by).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from polars.expr.whenthen import ChainedThen

SIGNS = {"higher": 1, "lower": -1}  # a neutral indicator has no better side of its own


def polarity_sign(polarity: str | None) -> int:
    """The indicator's own better side: +1 higher, -1 lower, 0 neutral."""
    return SIGNS.get(polarity or "", 0)


def polarity_sign_then(column: str = "polarity") -> ChainedThen:
    """`polarity_sign` over a frame, still open for what a neutral row gives: finish it with
    `.otherwise(...)`."""
    polarity = pl.col(column)
    return pl.when(polarity == "higher").then(1).when(polarity == "lower").then(-1)


def better_direction(polarity: str | None, start: Decimal, target: Decimal,
                     baseline: Decimal | None) -> int:
    """Which way is better for one target: the move from start to target says it; for a
    "maintain" target (target = start) the indicator's polarity does, and for a neutral one
    the move from baseline to target (§5)."""
    if target != start:
        return 1 if target > start else -1
    if polarity in SIGNS:
        return polarity_sign(polarity)
    if baseline is not None and target != baseline:
        return 1 if target > baseline else -1
    return 0


def better_direction_expr(start: pl.Expr, target: pl.Expr, baseline: pl.Expr) -> pl.Expr:
    """`better_direction` over a frame with a `polarity` column."""
    planned = target - start
    return (
        pl.when(planned != 0).then(planned.sign())
        .when(pl.col("polarity") == "higher").then(1)
        .when(pl.col("polarity") == "lower").then(-1)
        .when(baseline.is_not_null() & (target != baseline)).then((target - baseline).sign())
        .otherwise(0)
    )
