"""A: the periods an agreement writes — of its targets, baselines and interim levels."""

from __future__ import annotations

from collections.abc import Iterator

from laatool.base.findings import Finding, Severity
from laatool.base.ids import parse_period
from laatool.base.rule import Rule
from laatool.checks.agreement_kinds import AgreementContext, EachAgreement, EachTarget, parts
from laatool.compute.collection import is_due
from laatool.load.documents import period_line


class A205(EachAgreement, Rule):
    """Target period outside the agreement.

    Every target period must fall in one of the agreement's `periods` (a calendar year counts
    towards the agreement year that begins in it: 2009 towards 2009-10).

    Failing:
        periods: [2008-09, 2009-10, 2010-11]
        targets: {2011-12: 3800}
    Passing:
        periods: [2008-09, 2009-10, 2010-11]
        targets: {2010-11: 3800}
    """

    code = "A205"
    hint = "use one of the agreement's periods, or add the period to `periods`"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for part in parts(doc):
            for period in part.values:
                if parse_period(period).agreement_year not in agreement.agreed_years:
                    line, column = period_line(doc, (*part.path, "targets"), period, key=True)
                    yield cls.finding(f"{part.label}: target period {period} is not one of the agreement's "
                                      f"periods ({', '.join(doc.model.periods)})",
                                      file=doc.file, line=line, column=column)


class A234(EachTarget, Rule):
    """Quarter target for an indicator not reported by quarter.

    A target keyed to a quarter (`2010-11 Q1`) of an indicator whose `frequency` is not
    quarterly can only be measured against the year's value, and as the last key of the final
    year it would be taken for the final target the reward is paid on; an interim level at such
    a quarter would be judged on the year's value too. A return written for a quarter of such
    an indicator is R310. A quarterly indicator's target or interim level at a quarter is
    measured against that quarter's own return.

    Failing:
        indicator: NI 8             # annual
        targets: {2009-10: 22.0, 2010-11 Q1: 23.0}
    Passing:
        indicator: NI 8
        targets: {2009-10: 22.0, 2010-11: 23.0}
    """

    code = "A234"
    hint = "key the target by its year (`2010-11`), as the indicator is reported"

    @classmethod
    def check_part(cls, doc, part, indicator):
        if indicator.frequency == "quarterly":
            return
        for period in part.values:
            if parse_period(period).quarter:
                line, column = period_line(doc, (*part.path, "targets"), period, key=True)
                yield cls.finding(f"{part.label}: target period {period} is a quarter, but {indicator.id}'s "
                                  f"frequency is {indicator.frequency}, not quarterly", file=doc.file, line=line,
                                  column=column, hint=cls.by_year("target", period))
        interim = part.interim
        if interim is not None and parse_period(interim.period).quarter:
            yield cls.at(doc, (*part.path, "interim", "period"),
                         f"{part.label}: interim period {interim.period} is a quarter, but {indicator.id}'s "
                         f"frequency is {indicator.frequency}, not quarterly: it would be judged on the year's value",
                         cls.by_year("interim level", interim.period))

    @staticmethod
    def by_year(what: str, period: str) -> str:
        """The hint, naming the quarter's own year (a 2008-09 milestone is 2008-09's)."""
        return f"key the {what} by its year (`{parse_period(period).year}`), as the indicator is reported"


class A240(EachTarget, Rule):
    """Target year in which its indicator is not collected.

    A biennial indicator (the Place Survey's) is collected only in the years its
    `collection_periods` name: a target or an interim level keyed to any other year never has
    a return. Its row is `not-due` in `score`; an interim level there is never judged, so no
    payment on account is made; a reward target whose final year is one of them stays pending.

    Failing:
        indicator: NI 5            # collection_periods: [2008-09, 2010-11]
        targets: {2009-10: 76}
    Passing:
        indicator: NI 5
        targets: {2010-11: 76}
    """

    code = "A240"
    severity = Severity.WARNING
    hint = "key it to a year the indicator is collected in (`laatool indicators show ID` lists them)"

    @classmethod
    def check_part(cls, doc, part, indicator):
        if indicator.collection_periods is None:
            return
        collected = f"{indicator.id} is collected in {', '.join(indicator.collection_periods)} only"
        for period in part.values:
            if not is_due(indicator, period):
                line, column = period_line(doc, (*part.path, "targets"), period, key=True)
                yield cls.finding(f"{part.label}: no return is due for the target of {period}: {collected}",
                                  file=doc.file, line=line, column=column)
        interim = part.interim
        if interim is not None and not is_due(indicator, interim.period):
            yield cls.at(doc, (*part.path, "interim", "period"),
                         f"{part.label}: no return is due for the interim level of {interim.period}, so it is never "
                         f"judged and nothing is paid on account: {collected}")


class A239(EachTarget, Rule):
    """Target year written as a calendar year for an indicator published by another.

    A target, baseline or interim level keyed to a calendar year (`2010`) for an indicator
    published by financial or academic year. It is read as the year it counts to (`2010` is
    2010-11, the agreement year that begins in it), as a return written that way is (R310);
    but "2010" is as often the year ending in 2010 (2009-10), a year off, and the figure's year
    is the reward's. (An agreement year such as `2010-11` for a calendar-year indicator is how
    agreements are written: it is that indicator's 2010.)

    Failing:
        indicator: NI 16            # by financial year
        targets: {2009-10: 11.1, 2010: 10.6}
    Passing:
        indicator: NI 16
        targets: {2009-10: 11.1, 2010-11: 10.6}
    """

    code = "A239"
    severity = Severity.WARNING
    hint = "write the year as the indicator is published (see `laatool indicators show ID`)"

    @classmethod
    def check_part(cls, doc, part, indicator):
        if indicator.period_type == "calendar-year":
            return
        kind = indicator.period_type.replace("-", " ")
        interim = part.interim
        written = [(period, (*part.path, "targets"), "target") for period in part.values]
        if part.baseline is not None:
            written.append((part.baseline.period, (*part.path, "baseline", "period"), "baseline"))
        if interim is not None:
            written.append((interim.period, (*part.path, "interim", "period"), "interim level"))
        for period, path, what in written:
            parsed = parse_period(period)
            if not parsed.calendar:
                continue
            line, column = period_line(doc, path, period, key=True) if what == "target" else doc.line_of(*path)
            read_as, ending = parsed.agreement_year, f"{parsed.start - 1}-{str(parsed.start)[2:]}"
            yield cls.finding(f"{part.label}: {what} period {period} is a calendar year, but {indicator.id} is "
                              f"published by {kind}: read as {read_as}", file=doc.file, line=line, column=column,
                              hint=f"write {read_as}, or the year meant ({ending} ends in {parsed.start})")


class A211(EachAgreement, Rule):
    """Baseline period not before the first target period.

    A baseline is the value before the agreement's improvement starts; it must be for an
    earlier period than the first target (compared as agreement years).

    Failing:
        baseline: {period: 2008-09, value: 2940}
        targets: {2008-09: 3200, 2009-10: 3500}
    Passing:
        baseline: {period: 2007-08, value: 2940}
        targets: {2008-09: 3200, 2009-10: 3500}
    """

    code = "A211"
    hint = "use the latest period before the targets start as the baseline"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for part in parts(doc):
            if part.baseline is None or not part.values:
                continue
            first = next(iter(part.values))
            if parse_period(part.baseline.period).agreement_year >= parse_period(first).agreement_year:
                yield cls.at(doc, (*part.path, "baseline", "period"),
                             f"{part.label}: baseline period {part.baseline.period} is not before the first "
                             f"target period {first}")


class A224(EachAgreement, Rule):
    """Interim period outside the agreement.

    An interim level is judged on the actual of its period, which must fall in one of the
    agreement's `periods` (a calendar year counts towards the agreement year that begins in it).

    Failing:
        periods: [2008-09, 2009-10, 2010-11]
        interim: {period: 2007-08, value: 3400}
    Passing:
        periods: [2008-09, 2009-10, 2010-11]
        interim: {period: 2009-10, value: 3400}
    """

    code = "A224"
    hint = "use one of the agreement's periods for the interim level"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for part in parts(doc):
            interim = part.interim
            if interim is not None and parse_period(interim.period).agreement_year not in agreement.agreed_years:
                yield cls.at(doc, (*part.path, "interim", "period"),
                             f"{part.label}: interim period {interim.period} is not one of the agreement's "
                             f"periods ({', '.join(doc.model.periods)})")


class A231(EachAgreement, Rule):
    """Interim level on a target split into sub-targets.

    A target with sub-targets splits its share among them, and each earns its own payment on
    account from its own `interim`; an interim level on the target itself earns nothing.

    Failing:
        - indicator: NI 154
          interim: {period: 2009-10, value: 3400}
          subtargets: [{id: north, ...}, {id: south, ...}]
    Passing:
        - indicator: NI 154
          subtargets:
            - {id: north, interim: {period: 2009-10, value: 1150}, ...}
    """

    code = "A231"
    severity = Severity.WARNING
    hint = "move the interim level to the sub-targets it is for, or take it out"

    @classmethod
    def check_one(cls, agreement: AgreementContext) -> Iterator[Finding]:
        doc = agreement.doc
        for part in parts(doc):
            if part.sub is None and part.target.subtargets and part.target.interim is not None:
                yield cls.at(doc, (*part.path, "interim"),
                             f"{part.label}: an interim level on a target split into sub-targets is not used; the "
                             "sub-targets' own interim levels earn the payments on account")
