""""Did you mean …?": the one place a message naming an unknown thing finds its closest
known ones (an indicator id, a period, an area, a scheme, a rule code, a YAML key).

Spellings are compared folded (case, spaces, hyphens, underscores and slashes ignored), so
`ni1411` is as close to `NI 141` as `NI 1411` is, and `eastriding` to `east-riding`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Mapping

from laatool.base.ids import WHITESPACE, IdentifierError, Period, normalise_period, parse_period

_FOLD = re.compile(r"[\s\-_/]+")
# A quarter as people write it (`Q2`, `Qtr2`, `Quarter 2`), its number whatever it is, or as its
# months (`Apr-Jun`: a financial year's quarters, Q1 April to June … Q4 January to March)
_QUARTER = re.compile(r"(?i)(?<![A-Za-z])(?:quarter|qtr|q)\.?\s*([0-9]+)")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_MONTHS_QUARTER = re.compile(rf"(?i)(?<![A-Za-z]){_MONTH}\s*(?:-|/|\u2013|\u2014|to)\s*{_MONTH}(?![A-Za-z])")
# what is left of a text that still looks like a quarter (`Qtr`, `Quarter two`, a month)
_QUARTER_LOOKING = re.compile(r"(?i)(?<![A-Za-z])(?:q|qtr|quarter|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
# What may stand beside the year and quarter of a period written in another order: `FY`, `year`.
_BESIDE_YEAR = re.compile(r"(?i)(?<![a-z])(?:fy|year)(?![a-z])")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# between the years, a hyphen, a slash, or a dash a word processor or a paste puts in its place
# (`2010–11`: en dash), once or doubled: every dash of Unicode (its Pd category: hyphens, figure
# dash, em dash, horizontal bar, the small, full-width, two- and three-em, wave and others),
# and the minus sign, the soft hyphen, the hyphen bullet and the prolonged sound mark `ー`,
# which a Japanese input method types for a dash
_DASHES = ("-/\u00ad\u058a\u05be\u1400\u1806\u2010-\u2015\u2043\u2212\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d"
           "\u301c\u3030\u30a0\u30fc\ufe31\ufe32\ufe58\ufe63\uff0d")
_YEARS = re.compile(rf"([0-9]{{4}})(?:\s*[{_DASHES}]+\s*([0-9]{{4}}|[0-9]{{2}})(?![0-9]))?")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
# The text a spreadsheet saves to CSV for such a date: as shown by default (`Nov-10`, also
# `Nov 2010`, and with its day, `1-Nov-10`), or as a short date, day first or month first
# (`01/11/2010`, `11/1/2010`).
MONTH_YEAR = r"(?:([0-9]{1,2})[- ])?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[- ]([0-9]{2}|[0-9]{4})"
SHORT_DATE = r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
_MONTH_YEAR = re.compile(f"(?i)^{MONTH_YEAR}$")
_SHORT_DATE = re.compile(f"^{SHORT_DATE}(?: 00:00(?::00)?)?$")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _fold(text: str) -> str:
    return _FOLD.sub("", text.casefold())


# Characters typed for one another because they look alike (`N1 16` for NI 16, `NI 1O` for
# NI 10), read as one only when that makes a candidate's spelling exactly.
_LOOK_ALIKE = str.maketrans("il|!o", "11110")


def closest(typed: object, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6,
            meaning: Mapping[str, str] | None = None) -> list[str]:
    """The candidates closest to `typed` (difflib's ratio on folded spellings): the closest and
    those exactly as close, up to `n`, in the order below; none when nothing reaches `cutoff`.
    A candidate equal to `typed` when folded wins alone, then those equal to it but for
    characters that look alike (`_LOOK_ALIKE`); of candidates that fold alike, the first given
    is named. `meaning` names another thing for a spelling (an agreement's name stands for its
    area's slug)."""
    meaning = meaning or {}
    wanted = _fold(str(typed))
    folded: dict[str, str] = {}
    for spelling in candidates:
        folded.setdefault(_fold(spelling), meaning.get(spelling, spelling))
    if wanted in folded:
        return [folded[wanted]]
    alike = [named for spelling, named in folded.items()
             if spelling.translate(_LOOK_ALIKE) == wanted.translate(_LOOK_ALIKE)]
    if alike:
        return alike[:n]
    if not folded:
        return []
    # difflib's ratio, as get_close_matches scores it; of equal ratios the one that starts as
    # typed (`NI 1541` is NI 154 with a digit more), then the order the candidates came. A
    # less close one is not named beside the closest: it would only be a worse guess.
    matcher = difflib.SequenceMatcher(b=wanted)
    scored = []
    for order, spelling in enumerate(folded):
        matcher.set_seq1(spelling)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
            prefix = len(os.path.commonprefix([wanted, spelling]))
            scored.append((-matcher.ratio(), -prefix, order, folded[spelling]))
    if not scored:
        return []
    scored.sort()
    best = scored[0][:2]  # as close, and starting as much as typed: `NI 1411` is NI 141's, not NI 111's
    return list(dict.fromkeys(named for ratio, prefix, _, named in scored if (ratio, prefix) == best))[:n]


def did_you_mean(typed: object, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6,
                 quote: str = "", meaning: Mapping[str, str] | None = None) -> str:
    """`"; did you mean NI 141?"` for the closest candidates (`"; did you mean TEST-01 or
    TEST-02?"` when equally close), or `""` when none is close: the tail every message naming
    an unknown thing ends with."""
    close = closest(typed, candidates, n=n, cutoff=cutoff, meaning=meaning)
    if not close:
        return ""
    named = [f"{quote}{c}{quote}" for c in close]
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    return f"; did you mean {listed}?"


def period_spellings(typed: object) -> list[str]:
    """The canonical periods a malformed period text may have meant: its year and quarter in
    another order or with other separators (`Q2 2010/11`, `2010/11 Qtr2`, `FY 2008/09`), a
    quarter by its months (`Apr-Jun 2010`: 2010-11 Q1). None for a text that looks like a
    quarter but names no one quarter (`2010-11 Q5`, `Q1-Q2`, `Apr-May 2010`), or holds anything
    more (`2010-11 Q1-4`, `2010-11 YTD`, `H1`): its year alone would turn a part of a year's
    value into a year's; none either for a quarter of a single year
    (`2010 Q2`, `Q1 2009`), which may count calendar quarters (Q2 2010 is 2010-11 Q1)."""
    text = str(typed).strip(WHITESPACE)
    if _DATE.match(text) or _MONTH_YEAR.match(text) or _SHORT_DATE.match(text):
        return [p for p in [spreadsheet_date_period(text)] if p]
    numbered = [int(number) for number in _QUARTER.findall(text)]
    by_months = [_quarter_of_months(first, last) for first, last in _MONTHS_QUARTER.findall(text)]
    rest = _MONTHS_QUARTER.sub(" ", _QUARTER.sub(" ", text))
    quarters = numbered + by_months
    if len(quarters) > 1 or (quarters and not 1 <= quarters[0] <= 4) or _QUARTER_LOOKING.search(rest):
        return []
    quarter = f" Q{quarters[0]}" if quarters else ""
    found = []
    for match in _YEARS.finditer(rest):
        if _LETTER_OR_DIGIT.search(_BESIDE_YEAR.sub(" ", rest[:match.start()] + " " + rest[match.end():])):
            return []  # `2010-11 Q1-4`, `2010-11 YTD`, `H1`, `P4`: part of a year, or more than one quarter
        first, second = match.groups()
        if second:
            spellings = [f"{first}-{second}"]
        elif by_months:  # the financial year the months fall in: January to March end it
            start = int(first) - (1 if quarters[0] == 4 else 0)
            spellings = [f"{start}-{(start + 1) % 100:02d}"]
        elif numbered:  # `2010 Q2`: a calendar quarter (April to June) or the financial year's?
            return []
        else:
            spellings = [first, f"{first}-{(int(first) + 1) % 100:02d}"]
        for spelling in spellings:
            try:
                found.append(normalise_period(spelling + quarter))
            except IdentifierError:
                continue
        break  # the first year written is the one meant
    return [p for p in dict.fromkeys(found) if p != text]


def _quarter_of_months(first: str, last: str) -> int:
    """The quarter of a financial year running from month `first` to month `last` (`apr`,
    `jun`: 1), or 0 when they are no such quarter's."""
    start, end = _MONTHS.index(first.lower()), _MONTHS.index(last.lower())
    return 1 + (start - 3) % 12 // 3 if start % 3 == 0 and end == start + 2 else 0


def suggest_national_id(typed: object) -> str:
    """`"; did you mean NI 141?"` for a national id out of the range NI 1 to NI 199 (`NI 1411`),
    from the ids alone: an agreement's ids are checked before any catalogue is read."""
    if not re.match(r"^\s*NI[\s_-]*\d", str(typed), re.IGNORECASE):
        return ""
    return did_you_mean(typed, [f"NI {number}" for number in range(1, 200)])


def suggest_period(typed: object, years: bool = False) -> str:
    """`"; did you mean 2010-11 Q2?"` for a period written in another order, else `""`; with
    `years`, where only a year is taken, the year of a quarter (`2010-11`)."""
    spellings = period_spellings(typed)
    if years:
        spellings = list(dict.fromkeys(spelling.split(" Q")[0] for spelling in spellings))
    return did_you_mean(typed, spellings, cutoff=0.0) if spellings else ""


def period_option(option: str, typed: str, years: bool = False) -> Period:
    """The period a command-line option (`--period`, `--as-at`) gives; a UsageError saying
    what is wrong, with "did you mean …?" for a period written in another order (with `years`,
    an option that takes a year alone, its year)."""
    from laatool.base.errors import UsageError

    try:
        return parse_period(typed)
    except IdentifierError as error:
        raise UsageError(f"{option}: {error}{suggest_period(typed, years)}") from None


def spreadsheet_date_period(text: object) -> str | None:
    """The period a spreadsheet turned into a date: `2010-11` typed into a cell becomes
    1 November 2010 (`2010-11-01 00:00:00`, saved to CSV as `Nov-10` or `01/11/2010`); None
    when the text is no such date."""
    first = _first_of_month(str(text).strip(WHITESPACE))
    if first is None:
        return None
    year, month = first
    if month != (year + 1) % 100:
        return None
    try:
        return normalise_period(f"{year}-{month:02d}")
    except IdentifierError:
        return None


def _first_of_month(text: str) -> tuple[int, int] | None:
    """The year and month of a date written as a spreadsheet writes it, when it is the first
    of that month (a month shown without its day is its first); else None."""
    if match := _DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
        return (year, month) if day == 1 else None
    if match := _MONTH_YEAR.match(text):
        written_day, name, written_year = match.groups()
        if written_day is not None and int(written_day) != 1:
            return None
        short = int(written_year)
        return (short + 2000 if short < 100 else short), _MONTHS.index(name.lower()) + 1
    if match := _SHORT_DATE.match(text):
        one, two, year = (int(part) for part in match.groups())
        if one == 1 and 1 <= two <= 12:  # day first, as in the UK
            return year, two
        if two == 1 and 1 <= one <= 12:  # month first
            return year, one
    return None
