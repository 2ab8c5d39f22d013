"""R: a row against the other rows and the agreement — duplicates, missing and provisional returns."""

from __future__ import annotations

import polars as pl

from laatool.base.findings import Finding, Severity
from laatool.base.ids import agreement_year, quarter_of
from laatool.base.rule import Rule
from laatool.checks.returns_kinds import (
    DuplicateRule,
    RowRule,
    col,
    later_duplicate,
    place,
    shown,
)
from laatool.compute.actuals import quarter_actuals, target_actuals
from laatool.compute.catalogue import indicator_frame
from laatool.compute.collection import due
from laatool.compute.projection_points import month_of_end, period_end
from laatool.load.returns_table import blank
from laatool.load.workspace import Workspace


class R308(DuplicateRule, Rule):
    """Conflicting duplicate returns.

    Two rows give different values for the same area, indicator, sub-target and period
    (in one file or across files), so it is not known which is right. A period written as the
    wrong kind of year is the year it counts to (`2010` for a financial-year indicator is
    2010-11, R310). Two rows of one value that give another numerator, denominator, sample size
    or limits conflict too: the interval would be either's. The finding is on the later row and
    names the earlier one. A row whose value is blank reports nothing, so it conflicts with no
    other (a template's rows not filled in yet).

    Failing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
        leeds,NI 154,2008-09,3150
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R308"
    hint = "keep the correct row and delete the other"

    @classmethod
    def offending(cls):
        return later_duplicate & (col("value_key").ne_missing(col("first_value"))
                                  | col("detail_key").ne_missing(col("first_detail")))

    @classmethod
    def message(cls, row, field):
        if row["value_key"] == row["first_value"]:
            return (f"{_return_of(row)}: value {shown(row['value'])} as at {_first_place(row)}, but another "
                    f"numerator, denominator, sample size or limits")
        return (f"{_return_of(row)}: value {shown(row['value'])} conflicts with {shown(row['first_value_text'])} "
                f"at {_first_place(row)}")


class R309(DuplicateRule, Rule):
    """Identical duplicate return.

    The same value for the same area, indicator, sub-target and period is given twice. It
    does no harm to the figures but usually means a file was loaded twice.

    Failing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
        leeds,NI 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R309"
    severity = Severity.WARNING
    hint = "delete the repeated row"

    @classmethod
    def offending(cls):
        return later_duplicate & col("value_key").eq_missing(col("first_value")) \
            & col("detail_key").eq_missing(col("first_detail"))

    @classmethod
    def message(cls, row, field):
        return f"{_return_of(row)} repeats {_first_place(row)}"


def _return_of(row: dict) -> str:
    """Which return a duplicate is: its indicator, sub-target, period and area."""
    subtarget = f" sub-target {shown(row['subtarget_id'])}" if row["subtarget_id"] is not None else ""
    return f"{row['indicator_id']}{subtarget} {row['period_id']} for {row['area_id']}"


def _first_place(row: dict) -> str:
    """Where the first return of a duplicate is, with what the two rows count as when they were
    written for different kinds of year: `2010` of a financial-year indicator counts as 2010-11,
    `2010-11` of a calendar-year one as 2010 (as R310 says of each)."""
    if row["first_period"] == row["period_id"]:
        return row["first_where"]
    counted = row["year_id"][:4] if row["period_type"] == "calendar-year" else row["year_id"]
    if row["first_period"] == counted:  # this row is the one written for another kind of year
        return f"{row['first_where']} ({row['period_id']} counts as {counted})"
    return f"{row['first_where']} (written {row['first_period']}, which counts as {counted})"


class R312(RowRule, Rule):
    """Provisional data where final is expected.

    A value is marked provisional for a year older than the latest year the area has
    reported: by then the figure should have been confirmed. (Provisional values for the
    latest year are normal and not reported.)

    Failing:
        area,indicator,period,value,status
        leeds,NI 154,2008-09,3105,provisional
        leeds,NI 154,2009-10,3290,final
    Passing:
        area,indicator,period,value,status
        leeds,NI 154,2008-09,3105,final
        leeds,NI 154,2009-10,3290,provisional
    """

    code = "R312"
    severity = Severity.WARNING
    hint = "replace the provisional value with the final one, or confirm it by setting status final"
    field = "status"

    @classmethod
    def offending(cls):
        return col("stale_provisional")  # worked out once for all rows (laatool.checks.returns_engine)

    @classmethod
    def message(cls, row, field):
        return (f"{row['indicator_id']} {row['period_id']} is still provisional although {row['area_id']} "
                f"has reported {row['latest_year']}")


class R311(Rule):
    """Missing return for a target period.

    A target has a value for a period up to the latest year the area has reported (any
    indicator), but no return gives that (sub-)target's value for the year: no annual value
    and not all four quarters. The finding points at the target period in the agreement, and
    names the returns row written for it whose value does not count (left blank, not a number,
    beyond laatool's limits) where there is one. A biennial indicator's year outside its
    `collection_periods` is not due, and not reported.

    Failing:
        agreement: targets: {2008-09: 3200, 2009-10: 3500}
        returns:   leeds,NI 154,2008-09,3105
                   leeds,NI 8,2009-10,22.0          # leeds has reported 2009-10
    Passing:
        returns:   leeds,NI 154,2008-09,3105
                   leeds,NI 154,2009-10,3390
                   leeds,NI 8,2009-10,22.0
    """

    code = "R311"
    severity = Severity.WARNING
    hint = "add the return, or check its area, indicator, sub-target and period"

    @classmethod
    def missing(cls, workspace: Workspace, targets: pl.DataFrame, latest: pl.DataFrame,
                returns: pl.DataFrame | None = None) -> list[Finding]:
        """Target periods up to the area's latest reported year with no actual value, each at
        its period in the agreement; `returns`: the rows with their sub-targets as the agreement
        writes them (`checks.returns_engine.with_routes`), else the workspace's."""
        # Only the returns of indicators the areas have targets on can give those values.
        # a year's target wants the year's value; a quarter's (A234), that quarter's
        keys = ["area", "indicator", "subtarget", "year"]
        quarters = quarter_actuals(workspace).select(*keys, "quarter")
        reported = pl.concat([target_actuals(workspace).lazy().select(*keys, quarter=pl.lit(None, pl.Int8)),
                              quarters.lazy()])
        collected = indicator_frame(workspace.indicators).lazy().select("indicator", "collection_years", "period_type")
        # as at `--as-at`, a period that had not ended then (an academic year in March) was not due
        ended = period_end() <= month_of_end(workspace.known_at) if workspace.known_at is not None else pl.lit(True)
        missing = (
            targets.lazy()
            .filter(pl.col("period").is_not_null() & pl.col("polarity").is_not_null())
            .join(collected, on="indicator", how="left")
            # a biennial indicator's year outside its collection years is not due (DESIGN.md §9)
            .with_columns(year=agreement_year(pl.col("period")), quarter=quarter_of(pl.col("period")))
            .filter(due(pl.col("year").str.slice(0, 4).cast(pl.Int64), pl.col("collection_years")) & ended)
            .join(latest.lazy(), on="area", how="inner")
            .filter(pl.col("year") <= pl.col("latest_year"))
            .join(reported, on=["area", "indicator", "subtarget", "year", "quarter"], how="anti", nulls_equal=True)
            .sort("area", "position", "subtarget", "period", nulls_last=False)
            .collect()
        )
        given_of = cls._quarters_given(quarters, missing)
        written_at = cls._rows_without_a_value(workspace.returns if returns is None else returns, missing)
        findings = []
        for row in missing.iter_rows(named=True):
            label = row["indicator"] + (f" sub-target '{row['subtarget']}'" if row["subtarget"] is not None else "")
            key = (row["area"], row["indicator"], row["subtarget"], row["year"])
            given = given_of.get(key) if row["quarter"] is None else None
            was = "was" if given is not None and len(given) == 1 else "were"
            written = cls._row_written(written_at, key, row["quarter"], given or [])
            where = hint = None
            if written is not None:
                file, at, left_blank, quarter = written
                what = f"its Q{quarter}" if quarter is not None and row["quarter"] is None else "its return"
                where = f"{place(file, at)} is {what}, with " + (
                    "the value left blank (not reported)" if left_blank else
                    "a value that cannot be used (its finding there says why)")
                hint = f"{'give' if left_blank else 'correct'} the value at {place(file, at)}"
            if given:
                message = (f"no return for {label} in {row['period']}: only {', '.join(f'Q{q}' for q in given)} of "
                           f"its four quarters {was} returned, and the year needs all four or a value of its own"
                           + (f"; {where}" if where else ""))
            elif where:
                message = f"no usable return for {label} in {row['period']}: {where}"
            else:
                message = f"no return for {label} in {row['period']}, though {row['area']} has reported up to " \
                          f"{row['latest_year']}"
            findings.append(cls.finding(message, file=row["file"], line=row["period_line"],
                                        column=row["period_column"], hint=hint))
        return findings

    @staticmethod
    def _row_written(written_at: dict[tuple, tuple[str, int, bool, int | None]], key: tuple, quarter: int | None,
                     given: list[int]) -> tuple[str, int, bool, int | None] | None:
        """The row written for a missing period without a value that counts, where the fault is
        (not in the agreement): a quarter's own; for a year, its own, else the first (by file and
        row) of a quarter of it not `given`."""
        if quarter is not None or (*key, None) in written_at:
            return written_at.get((*key, quarter))
        return min((written_at[(*key, q)] for q in range(1, 5) if q not in given and (*key, q) in written_at),
                   default=None)

    @staticmethod
    def _rows_without_a_value(returns: pl.DataFrame | None,
                              missing: pl.DataFrame) -> dict[tuple, tuple[str, int, bool, int | None]]:
        """The first returns row (file, row, whether its value is blank, its quarter) written for
        each missing (sub-)target period, and for each quarter of a missing year, by (area,
        indicator, sub-target, year, quarter): its value does not count (blank, not a number
        (R305) or beyond the limits (R321)), or it would not be missing. A council that typed
        `6.8%` is pointed at that row, not told to add a return it gave."""
        if missing.is_empty() or returns is None:
            return {}
        keys = ["area", "indicator", "subtarget", "year"]
        written = (returns.lazy()
                   .select(area="area_id", indicator="indicator_id", subtarget="subtarget_id", year="year_id",
                           quarter=pl.col("quarter").cast(pl.Int64), file="file", row="row", value="value")
                   .join(missing.lazy().select(keys).unique(), on=keys, how="semi", nulls_equal=True)
                   .select(*keys, "quarter", "file", "row", blank=blank("value"))
                   .sort("file", "row").unique([*keys, "quarter"], keep="first", maintain_order=True).collect())
        # a row of a quarter that has a value is one of the quarters given, and never looked up
        return {(*found[:5],): (*found[5:], found[4]) for found in written.iter_rows()}

    @staticmethod
    def _quarters_given(quarters: pl.DataFrame, missing: pl.DataFrame) -> dict[tuple, list[int]]:
        """The quarters returned with a value (`quarters`, one row a quarter) for each missing
        (sub-)target year: a council that gave Q4 alone of a year-end figure is told the year
        wants the rest, not "no return"."""
        if missing.is_empty():
            return {}
        keys = ["area", "indicator", "subtarget", "year"]
        given = (quarters.join(missing.select(keys), on=keys, how="semi", nulls_equal=True)
                 .group_by(keys).agg(pl.col("quarter").sort()))
        return {tuple(row[:4]): row[4] for row in given.iter_rows()}
