"""Identifiers and periods, normalised exactly as DESIGN.md §3 says.

Each normaliser takes what a user wrote and returns the canonical text, or raises
`IdentifierError` with a sentence saying what was expected. The same rules exist as polars
expressions in `laatool.load.returns` for whole frames; a property test keeps the two in step.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from laatool.base.text import excerpt

if TYPE_CHECKING:
    import polars as pl

# Patterns apply to text already stripped of WHITESPACE (the same set in Python and polars).
# The non-breaking spaces: U+00A0, and the narrow and figure spaces (U+202F, U+2007) that a
# spreadsheet set to French or another language puts around and inside numbers.
WHITESPACE = " \t\r\n\u00a0\u202f\u2007"
# DESIGN.md §3's spellings of a national id: `NI154`, `ni 154`, `NI-154`, `NI 0154` (one space
# or hyphen at most); `NI_154` or `NI  154` looks national (`LOOKS_NATIONAL`) and is an error.
NI_PATTERN = r"(?i)^NI[ \-]?0*([1-9][0-9]{0,2})$"
LOOKS_NATIONAL = r"(?i)^NI[ \-_]*0*([0-9]+)$"
LOCAL_ID_PATTERN = r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# 2008-09, 2008/09, 2008-2009, 2008/2009, each optionally followed by a quarter; or 2008.
YEAR_PATTERN = r"^([0-9]{4}) *[-/] *([0-9]{2}|[0-9]{4}) *(?:[Qq] *([1-4]))?$"
CALENDAR_PATTERN = r"^([0-9]{4})$"

# The same spellings for an editor's JSON Schema (`laatool schema`), which sees the text as
# written: trimmed of WHITESPACE around it, without flags (so `[Nn][Ii]`), and with the ranges
# a regular expression can say (NI 1 to NI 199, years 1990 to 2099). That a period's two years
# follow each other is left to laatool's own check.
_AROUND = r"[ \t\r\n\u00a0\u202f\u2007]*"
_YEAR_FROM = r"(?:199[0-9]|20[0-9]{2})"
SLUG_SCHEMA_PATTERN = rf"^{_AROUND}[a-z0-9]+(?:-[a-z0-9]+)*{_AROUND}$"
INDICATOR_SCHEMA_PATTERN = (rf"^{_AROUND}(?:[Nn][Ii][ \-]?0*(?:[1-9][0-9]?|1[0-9]{{2}})"
                            rf"|(?![Nn][Ii][ \-_]*[0-9])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*){_AROUND}$")
PERIOD_SCHEMA_PATTERN = (rf"^{_AROUND}{_YEAR_FROM}(?: *[-/] *(?:[0-9]{{2}}|[0-9]{{4}}) *(?:[Qq] *[1-4])?)?"
                         rf"{_AROUND}$")

_NI = re.compile(NI_PATTERN)
_LOCAL = re.compile(LOCAL_ID_PATTERN)
_SLUG = re.compile(SLUG_PATTERN)
_YEAR = re.compile(YEAR_PATTERN)
_CALENDAR = re.compile(CALENDAR_PATTERN)

MIN_YEAR, MAX_YEAR = 1990, 2099


class IdentifierError(ValueError):
    """A value that is not a valid indicator id, area slug or period."""


# The pseudo-area of comparators/ that areas are compared with (DESIGN.md §10), never ranked
ENGLAND = "england"


def _shown(raw: str) -> str:
    """A value as a message quotes it: in quotes, at most 80 characters of it (an option of
    100,000 characters is not echoed whole)."""
    return repr(excerpt(raw))


def _cached_on_text(function):
    """Memoise a normaliser on `str(value)`: a value of another type may be unhashable (a YAML
    list where an id belongs) or equal to a different text (`2008 == Decimal('2008.0')`)."""
    cached = functools.lru_cache(maxsize=4096)(function)

    @functools.wraps(function)
    def wrapper(text: object):
        return cached(str(text))

    return wrapper


@_cached_on_text
def normalise_indicator_id(text: object) -> str:
    """`NI154`, `ni 154`, `NI-154`, `NI 0154` -> `NI 154`; local ids (`leeds-01`) -> upper case."""
    raw = str(text).strip(WHITESPACE)
    match = _NI.match(raw)
    if match:
        number = int(match.group(1))
        if 1 <= number <= 199:
            return f"NI {number}"
        raise IdentifierError(f"{_shown(raw)} is not a national indicator: they run from NI 1 to NI 199")
    upper = raw.upper()
    national = re.match(LOOKS_NATIONAL, raw)
    if national and 1 <= int(national.group(1)) <= 199:
        raise IdentifierError(f"{_shown(raw)} is not an indicator id: write it 'NI {int(national.group(1))}'")
    if re.match(r"^NI[ \-_]*[0-9]", upper):
        raise IdentifierError(f"{_shown(raw)} is not a national indicator: they run from NI 1 to NI 199")
    if _LOCAL.match(upper):
        return upper
    raise IdentifierError(
        f"{_shown(raw)} is not an indicator id: write a national indicator as 'NI 154', "
        "or a local indicator as capitals, digits and hyphens such as 'LEEDS-01'"
    )


def is_national(indicator_id: str) -> bool:
    return indicator_id.startswith("NI ")


def is_slug(text: object) -> bool:
    """Whether `text` is an area slug as written (`check_slug` without the trimming)."""
    return isinstance(text, str) and _SLUG.match(text) is not None


def check_slug(text: object, what: str = "an area slug") -> str:
    """An area slug, or `what` else is written as one (a scheme's or a target group's name):
    lower-case letters, digits and hyphens (`leeds`, `east-riding`)."""
    if isinstance(text, list | dict):  # its Python text is no value anyone wrote
        raise IdentifierError(f"a {'list' if isinstance(text, list) else 'mapping'} is not {what}: write one slug")
    raw = str(text).strip(WHITESPACE)
    if _SLUG.match(raw):
        return raw
    raise IdentifierError(
        f"{_shown(raw)} is not {what}: use lower-case letters, digits and hyphens, e.g. 'east-riding'"
    )


@dataclass(frozen=True, order=True)
class Period:
    """A canonical period. `start` is the first calendar year it touches; `quarter` 0 for a year."""

    start: int
    quarter: int = 0
    calendar: bool = False

    def __str__(self) -> str:
        if self.calendar:
            return str(self.start)
        year = f"{self.start}-{(self.start + 1) % 100:02d}"
        return f"{year} Q{self.quarter}" if self.quarter else year

    @property
    def year(self) -> Period:
        """The whole year this period belongs to (itself for a year)."""
        return Period(self.start, 0, self.calendar)

    @property
    def agreement_year(self) -> Period:
        """The financial/academic year this period counts towards in an agreement.

        A calendar year counts towards the agreement year that begins in it (2009 -> 2009-10).
        """
        return Period(self.start)


def agreement_year(period: pl.Expr) -> pl.Expr:
    """`Period.agreement_year` over a frame of normalised periods: the agreement year each counts
    towards, as text; a calendar year counts to the one it starts (2009 -> 2009-10)."""
    import polars as pl  # here, not above: the models import this module, and `laatool schema` needs no polars

    calendar = period.str.extract(r"^(\d{4})$", 1).cast(pl.Int64)
    return (
        pl.when(calendar.is_not_null())
        .then(pl.format("{}-{}", calendar, ((calendar + 1) % 100).cast(pl.String).str.zfill(2)))
        .otherwise(period.str.extract(r"^(\d{4}-\d{2})", 1))
    )


def read_for(period: str, period_type: str | None) -> str:
    """A period of an agreement as the figures of an indicator published by `period_type` read
    it: a calendar year written for one by financial or academic year is the year it counts to
    (`2010` of NI 154 is 2010-11; A239 says so); any other period is itself. `read_for_each`
    over a frame."""
    parsed = parse_period(period)
    return str(parsed.agreement_year) if parsed.calendar and period_type not in (None, "calendar-year") else str(parsed)


def read_for_each(period: pl.Expr, period_type: pl.Expr) -> pl.Expr:
    """`read_for` over a frame of normalised periods and their indicators' period types."""
    import polars as pl

    other_year = period_type.is_not_null() & (period_type != "calendar-year")
    return pl.when(other_year & period.str.contains(r"^\d{4}$")).then(agreement_year(period)).otherwise(period)


def quarter_of(period: pl.Expr) -> pl.Expr:
    """`Period.quarter` over a frame of normalised periods (`2009-10 Q2` is 2), null for a year:
    a target or interim level set for a quarter is a milestone within its year."""
    import polars as pl

    return period.str.extract(r" Q([1-4])$", 1).cast(pl.Int8)


@_cached_on_text
def parse_period(text: object) -> Period:
    """Parse `2008-09`, `2008/09`, `2008-2009`, `2008/2009`, `2008-09 Q1` or `2008`."""
    raw = str(text).strip(WHITESPACE)
    match = _YEAR.match(raw)
    if match:
        start, end_text, quarter = match.groups()
        first = int(start)
        end = int(end_text)
        expected = first + 1 if len(end_text) == 4 else (first + 1) % 100
        if end != expected:
            raise IdentifierError(
                f"{_shown(raw)} is not a period: the two years must follow each other, "
                f"e.g. '{first}-{(first + 1) % 100:02d}'"
            )
        _check_year(first, raw)
        return Period(first, int(quarter) if quarter else 0)
    match = _CALENDAR.match(raw)
    if match:
        year = int(match.group(1))
        _check_year(year, raw)
        return Period(year, 0, calendar=True)
    raise IdentifierError(
        f"{_shown(raw)} is not a period: write a year as '2008-09', a quarter as '2008-09 Q1' "
        "or a calendar year as '2008'"
    )


def _check_year(year: int, raw: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise IdentifierError(f"{_shown(raw)} is not a period between {MIN_YEAR} and {MAX_YEAR}")


@_cached_on_text
def normalise_period(text: object) -> str:
    return str(parse_period(text))
