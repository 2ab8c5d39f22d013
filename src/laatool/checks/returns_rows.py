"""R: what a returns row names besides its area (`returns_areas`) — its indicator, period,
sub-target and status."""

from __future__ import annotations

from laatool.base.findings import Severity
from laatool.base.rule import Rule
from laatool.base.suggest import did_you_mean, suggest_period
from laatool.checks.returns_kinds import (
    RowRule,
    calendar,
    col,
    is_blank,
    known,
    quarter,
    shown,
)


class R302(RowRule, Rule):
    """Unknown indicator in a return.

    The indicator id is well formed but is neither a national indicator nor one defined in
    the workspace's `indicators/` folder.

    Failing:
        area,indicator,period,value
        leeds,LEEDS-99,2008-09,12
    Passing:
        area,indicator,period,value
        leeds,LEEDS-01,2008-09,12
    """

    code = "R302"
    hint = "correct the id, or define the local indicator in the workspace's indicators/ folder"
    field = "indicator"

    @classmethod
    def offending(cls):
        return col("indicator_id").is_not_null() & ~known

    @classmethod
    def message(cls, row, field):
        return f"unknown indicator {row['indicator_id']}{row['indicator_guess']}"


class R303(RowRule, Rule):
    """Malformed indicator id in a return.

    The indicator cell is blank or is not an id: a national indicator is written `NI 154`
    (`NI154`, `ni 154`, `NI-154` are accepted) and runs from NI 1 to NI 199; a local one is
    capitals, digits and hyphens.

    Failing:
        area,indicator,period,value
        leeds,National Indicator 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R303"
    hint = "write the id as 'NI 154' (national) or e.g. 'LEEDS-01' (local)"
    field = "indicator"

    @classmethod
    def offending(cls):
        return col("indicator_id").is_null()

    @classmethod
    def message(cls, row, field):
        if is_blank(row["indicator"]):
            return "the indicator is blank"
        return f"{shown(row['indicator'])} is not an indicator id{row['indicator_guess']}"


class R304(RowRule, Rule):
    """Malformed period in a return.

    The period cell is blank or not a period. Years are written `2008-09` (also `2008/09`,
    `2008-2009`), quarters `2008-09 Q1` (Q1 = April to June), calendar years `2008`.

    Failing:
        area,indicator,period,value
        leeds,NI 154,2008-10,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R304"
    hint = "write the period as 2008-09, 2008-09 Q1 or 2008"
    field = "period"

    @classmethod
    def offending(cls):
        return col("period_id").is_null()

    @classmethod
    def message(cls, row, field):
        if is_blank(row["period"]):
            return "the period is blank"
        return f"{shown(row['period'])} is not a period{suggest_period(row['period'])}"


class R310(RowRule, Rule):
    """Period does not fit the indicator.

    A quarter for an indicator that is not reported quarterly; a calendar year (`2008`) for a
    financial- or academic-year indicator; a year like `2008-09` for a calendar-year one; or a
    year a biennial indicator is not collected in (its `collection_periods`), whose return
    nothing uses.

    Failing:
        area,indicator,period,value
        leeds,NI 75,2009,48.2           # NI 75 is by academic year
    Passing:
        area,indicator,period,value
        leeds,NI 75,2009-10,48.2
    """

    code = "R310"
    severity = Severity.WARNING
    hint = ("write the period the way the indicator is published, for a year it is collected in (see "
            "`laatool indicators show ID`)")
    field = "period"

    @classmethod
    def offending(cls):
        year_type = col("period_type")
        return known & col("period_id").is_not_null() & (
            (quarter & (col("frequency") != "quarterly"))
            | (calendar & (year_type != "calendar-year"))
            | (~calendar & (year_type == "calendar-year"))
            | col("not_collected")  # worked out once for all rows (laatool.checks.returns_engine)
        )

    @classmethod
    def message(cls, row, field):
        period, indicator = row["period_id"], row["indicator_id"]
        # the year the row counts to (`laatool.base.ids.agreement_year`), as the indicator writes it
        year = period[:4] if row["period_type"] == "calendar-year" else row["year_id"]
        if row["quarter"] is not None and row["frequency"] != "quarterly" and not row["not_collected"]:
            return (f"{period} is a quarter but {indicator} is reported {row['frequency']}: "
                    f"give the figure of the year, {year}")
        if (len(period) == 4) != (row["period_type"] == "calendar-year"):  # as `calendar` in offending()
            then = (f"a year {indicator} is not collected in (see its collection_periods), so this return is not "
                    "used") if row["not_collected"] else f"write {year}"
            return (f"{period} does not fit {indicator}, which is reported by {row['period_type']}: "
                    f"it is counted as {year}; {then}")
        return f"{indicator} is not collected in {year} (see its collection_periods), so this return is not used"


class R315(RowRule, Rule):
    """Sub-target not in the agreement.

    The return's `subtarget` is not one of the ids of the sub-targets of the area's target on
    this indicator, or that target has no sub-targets at all: the value scores nothing. An id
    in another case (`North`) is the agreement's (`north`), unless two of the target's
    sub-targets differ only in case: then only the exact id matches.

    Failing:
        area,indicator,subtarget,period,value      # agreement sub-targets: north, south
        leeds,NI 154,nort,2008-09,1100
    Passing:
        area,indicator,subtarget,period,value
        leeds,NI 154,North,2008-09,1100
    """

    code = "R315"
    severity = Severity.WARNING
    hint = "use one of the sub-target ids written in the agreement, or leave it blank for a target without any"
    field = "subtarget"

    @classmethod
    def offending(cls):
        return col("subtarget_unknown")  # worked out once for all rows (laatool.checks.returns_engine)

    @classmethod
    def message(cls, row, field):
        if row["subtarget_ids"] is None:
            return (f"sub-target {shown(row['subtarget_id'])} given, but {row['area_id']}'s target for "
                    f"{row['indicator_id']} has no sub-targets")
        guess = did_you_mean(row["subtarget_id"], row["subtarget_ids"].split(", "))
        return (f"sub-target {shown(row['subtarget_id'])} is not one of {row['area_id']}'s sub-targets for "
                f"{row['indicator_id']} ({row['subtarget_ids']}){guess}")


class R324(RowRule, Rule):
    """Blank sub-target that could reach two sub-targets.

    A return with a blank `subtarget` reaches a target group's sub-target when its indicator
    is measured nowhere else in the agreement. This indicator is measured by two or more
    sub-targets of target groups (and by no other target), so the return cannot tell which one
    it is for, and scores nothing.

    Failing:
        area,indicator,subtarget,period,value      # group sub-targets on NI 47: urban, rural
        leeds,NI 47,,2010,300
    Passing:
        area,indicator,subtarget,period,value
        leeds,NI 47,urban,2010,300
    """

    code = "R324"
    severity = Severity.WARNING
    hint = "write the sub-target's id in the subtarget column"
    field = "subtarget"

    @classmethod
    def offending(cls):
        return col("subtarget_ambiguous")  # worked out once for all rows (laatool.checks.returns_engine)

    @classmethod
    def message(cls, row, field):
        return (f"the blank sub-target of this {row['indicator_id']} return could be {row['reachable']} in "
                f"{row['area_id']}'s agreement, so it scores nothing")


class R317(RowRule, Rule):
    """Invalid status.

    `status` is `final` (the default when blank) or `provisional`.

    Failing:
        area,indicator,period,value,status
        leeds,NI 154,2008-09,3105,draft
    Passing:
        area,indicator,period,value,status
        leeds,NI 154,2008-09,3105,provisional
    """

    code = "R317"
    hint = "write final or provisional, or leave the cell blank for final"
    field = "status"

    @classmethod
    def offending(cls):
        return ~col("status_ok")

    @classmethod
    def message(cls, row, field):
        return f"status {shown(row['status'])} is neither final nor provisional"


class R320(RowRule, Rule):
    """Return for a deleted indicator.

    NI 31 was dropped before the National Indicator Set started; a value for it is ignored.

    Failing:
        area,indicator,period,value
        leeds,NI 31,2008-09,4.1
    Passing:
        area,indicator,period,value
        leeds,NI 30,2008-09,4.1
    """

    code = "R320"
    severity = Severity.WARNING
    hint = "remove the row, or check the indicator id"
    field = "indicator"

    @classmethod
    def offending(cls):
        return known & (col("indicator_status") == "deleted")

    @classmethod
    def message(cls, row, field):
        return f"{row['indicator_id']} is a deleted indicator"
