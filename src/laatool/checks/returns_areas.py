"""R: the area a returns row is for — a slug (R316), one with an agreement (R301), not an
agreement's ONS code or name (R327)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from laatool.base.findings import MAX_PER_FILE, Finding, Severity
from laatool.base.ids import WHITESPACE
from laatool.base.rule import Rule, capped
from laatool.base.text import excerpt
from laatool.checks.returns_kinds import (
    RowRule,
    area_ok,
    is_blank,
    row_finding,
    shown,
)


class R301(Rule):
    """Return for an area with no agreement.

    The row's area has no `agreements/<area>.yaml` in the workspace, so nothing scores it.
    Often a misspelt area, or a file of returns for neighbouring areas (district councils in
    a Government Office extract). One finding per area and file, at its first row: its rows
    are not checked further, since nothing scores them. `benchmark`, which compares every
    area's rows, checks those it compares, and refuses on their errors.

    Failing:
        area,indicator,period,value
        leeeds,NI 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R301"
    severity = Severity.WARNING
    hint = "check the area's spelling, or add its agreement to agreements/"

    @classmethod
    def findings(cls, rows: pl.DataFrame, folder: str, guess: Callable[[str], str], checked: bool) -> list[Finding]:
        """`rows`: file, area (as read), area as written, first row and number of rows of each
        area without an agreement in each file; `guess`: "did you mean" for an area; `checked`
        says whether those rows are checked (when no area has one). Only the findings listed are
        made (`capped`: the first of each file), with their guesses, and the rest counted: a
        file naming a million areas took half a minute to make a finding and a guess for each,
        to list a thousand."""
        further = "" if checked else ", not checked further"
        totals = dict(rows.group_by("file").len().iter_rows())
        by_file: dict[str, list[Finding]] = {}
        listed = rows.filter(pl.int_range(pl.len()).over("file") < MAX_PER_FILE)
        for file, area, written, first, count in listed.iter_rows():
            # quoted as written in the file's first row of it (`E10000099`), where a search finds it
            by_file.setdefault(file, []).append(row_finding(
                cls, f"no agreement for area '{excerpt(written.strip(WHITESPACE))}' (no {folder}/{area}.yaml): "
                     f"{count:,} row(s) of this file{further}{guess(area)}", file, first, "area"))
        return [kept for file, found in by_file.items()
                for kept in capped(found, {cls.code: totals[file] - len(found)})]


class R327(Rule):
    """Area written as an agreement's ONS code or name.

    A row compared across areas (`benchmark`, `report`, the comparators' returns) names an
    area by the ONS code or the name of one of the workspace's agreements, not by its slug:
    it would be compared as an area of its own, the agreement's area counted twice and every
    band moved. Comparator files of published figures often carry ONS codes. One finding per
    area and file, at its first row. (The workspace's own returns for an area without an
    agreement are R301, which names the agreement meant.)

    Failing:
        area,indicator,period,value
        E08000035,NI 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R327"
    severity = Severity.ERROR
    hint = "write the agreement's slug (the name of its file in agreements/)"

    @classmethod
    def findings(cls, rows: pl.DataFrame, meant: dict[str, tuple[str, str]], folder: str) -> list[Finding]:
        """`rows`: file, area (as read), area as written, first row and number of rows of each
        area written otherwise in each file; `meant`: the slug each of those areas is written
        for, and whether as its ONS code or its name."""
        findings = []
        for file, area, written, first, count in rows.iter_rows():
            slug, as_what = meant[area]
            findings.append(row_finding(
                cls, f"'{excerpt(written.strip(WHITESPACE))}' is the {as_what} of {slug} ({folder}/{slug}.yaml): "
                     f"{count:,} row(s) of this file would be compared as an area of their own", file, first, "area"))
        return capped(findings)


class R316(RowRule, Rule):
    """Malformed area in a return.

    The area cell is blank or not an area slug (lower-case letters, digits and hyphens;
    upper case and surrounding spaces are accepted and folded).

    Failing:
        area,indicator,period,value
        Leeds City,NI 154,2008-09,3105
    Passing:
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
    """

    code = "R316"
    hint = "write the area as its slug, the agreement's file name (e.g. leeds, east-riding)"
    field = "area"

    @classmethod
    def offending(cls):
        return ~area_ok

    @classmethod
    def message(cls, row, field):
        if is_blank(row["area"]):
            return "the area is blank"
        return f"{shown(row['area'])} is not an area slug{row['area_guess']}"
