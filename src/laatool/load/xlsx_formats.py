"""How a spreadsheet number format (a `numFmt` code, ECMA-376 Part 1) shows a number: as the number
itself, as a percentage, or divided by 1,000 for each comma after its last digit place; each of
its sections (positive; negative; zero), with the condition a section may set. A number cell
whose format shows it otherwise than as itself is read as the text the sheet shows
(`laatool.load.table_files`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from operator import eq, ge, gt, le, lt, ne

from laatool.base.numbers import as_spreadsheet_shows, parse

# In a format code, a quoted text, a character after `\`, `_` or `*`, and a `[...]` (a colour,
# a condition, a currency) are shown as they are, never as a percentage.
_FORMAT_LITERAL = re.compile(r'"[^"]*"?|[\\_*].?|\[[^\]]*\]?', re.DOTALL)
# How a section of a format shows a number: as the number itself (None), as a percentage
# (`%`), or divided by 1,000 for each comma (`,`, `,,`).
Shown = str | None
# `[<=1]`: the condition a number meets for its section to show it
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*\]")
_COMPARE = {"<": lt, "<=": le, ">": gt, ">=": ge, "=": eq, "<>": ne}


@dataclass(frozen=True)
class Sections:
    """How a number format shows a positive, a negative and a zero number; or, where its first
    two sections have conditions (`[<=1]0.0%;0.0`), a number that meets the first's, one that
    meets the second's, and any other (as a spreadsheet chooses: SheetJS's `choose_fmt`)."""

    shown: tuple[Shown, Shown, Shown]
    conditions: tuple[tuple[str, Decimal] | None, tuple[str, Decimal] | None] | None = None
    # with conditions, how each of the three shows a zero (`_zero_shows`): any may be given one
    zeros: tuple[Shown, Shown, Shown] | None = None

    def of(self, value: Decimal | None) -> Shown:
        """How the number `value` is shown (None: a text that is no number, read as written)."""
        first, second, other = self.shown
        if value is None:
            return first
        if self.conditions is None:
            return second if value < 0 else other if value == 0 else first
        section = 0 if _meets(value, self.conditions[0]) else 1 if _meets(value, self.conditions[1]) else 2
        return (self.zeros if value == 0 and self.zeros else self.shown)[section]

    @property
    def alike(self) -> bool:
        """Whether every number is shown alike, whatever its value."""
        return len(set(self.shown) | set(self.zeros or ())) == 1


def _meets(value: Decimal, condition: tuple[str, Decimal] | None) -> bool:
    return condition is not None and _COMPARE[condition[0]](value, condition[1])


EVERY_SECTION = Sections(("%", "%", "%"))
# Commas after the last digit placeholder of a section (`#,##0,`, `0.0,,`): one between two
# digits (`#,##0`) is the thousands separator
_SCALING = re.compile(r"[0#?](,+)(?![,0#?])")
SCALES = {",": "thousands", ",,": "millions", ",,,": "thousands of millions"}


def format_sections(code: str) -> Sections:
    """How a format code shows numbers (`Sections`): its sections (`0.0;-0.0%;0`) are a
    positive's; a negative's (else the first's); a zero's (else the first's), and a last one
    of fewer than four with `@` is a text's. With a condition in the first or second section
    (`[>100]`), the first shows the numbers that meet its condition, the second those that
    meet its own (else every other, when the first alone has one), the third the rest (else
    the first's)."""
    sections = _sections(code)
    texts = [_FORMAT_LITERAL.sub("", section) for section in sections]
    if 1 < len(texts) < 4 and "@" in texts[-1]:
        texts.pop()
    shown = [_section_shows(text) for text in texts]
    first = shown[0]
    second = shown[1] if len(shown) > 1 else first
    third = shown[2] if len(shown) > 2 else first
    if_first = _condition(sections[0])
    if_second = _condition(sections[1]) if len(sections) > 1 else None
    if if_first is None and if_second is None:  # the third shows zeros alone
        return Sections((first, second, _zero_shows(texts[2] if len(texts) > 2 else texts[0], third)))
    # the third shows the numbers meeting neither condition, the second's when it has none
    other, other_text = (third, texts[2] if len(texts) > 2 else texts[0]) if if_first and if_second \
        else (second, texts[1] if len(texts) > 1 else texts[0])
    zeros = (_zero_shows(texts[0], first), _zero_shows(texts[1] if len(texts) > 1 else texts[0], second),
             _zero_shows(other_text, other))
    return Sections((first, second, other), (if_first, if_second), zeros)


def _sections(code: str) -> list[str]:
    """The sections of a format code: split at each `;` outside quotes, `[...]` and escapes."""
    masked = _FORMAT_LITERAL.sub(lambda literal: " " * len(literal[0]), code)
    bounds = [-1, *(at for at, character in enumerate(masked) if character == ";"), len(code)]
    return [code[start + 1:end] for start, end in pairwise(bounds)]


def _condition(section: str) -> tuple[str, Decimal] | None:
    """The condition of a section: a `[...]` of its own, not one inside quotes (`"[<0]"0.0%`)."""
    for literal in _FORMAT_LITERAL.finditer(section):
        if found := _CONDITION.fullmatch(literal[0]):
            return found[1], Decimal(found[2])
    return None


def _section_shows(section: str) -> Shown:
    if "%" in section:
        return "%"
    if not _DIGIT_PLACE.search(section) and not _NOT_A_NUMBER_FORMAT.search(section):
        return ""  # shows no number: nothing (`;;;`), or only its literal text (`"23.4"`, `"-"`)
    scaled = _SCALING.search(section)
    return scaled[1] if scaled else None


def _zero_shows(section: str, shown: Shown) -> Shown:
    """How a section shows a zero: as `_section_shows` says, but a section that would show a
    number shows none for a zero unless it holds a `0` (`#` shows nothing for a digit that is
    0, `?` a space: `"-"??` shows a zero as `-`, `#,###` as nothing). A fraction (`# ?/?`) is
    left as it is shown."""
    return "" if shown is None and "0" not in section and "/" not in section \
        and not _NOT_A_NUMBER_FORMAT.search(section) else shown


_DIGIT_PLACE = re.compile(r"[0#?]")
# General, a text's `@`, and the codes of dates and times (read as dates, R305, by the reader)
_NOT_A_NUMBER_FORMAT = re.compile(r"(?i)general|@|[ymdhs]|a/p|am/pm")


def _said_otherwise(text: str, how: str) -> str:
    """A number cell whose format shows it otherwise than as itself, said so that it is read as
    no number (R305): `628000 shown in thousands` (`how`, a comma for each 1,000 the format
    divides by), `21 not shown by its format` (`how` empty: nothing, or text of its own). A
    text that is not a number is read as written."""
    if parse(as_spreadsheet_shows(text)) is None:
        return text
    if not how:
        return f"{as_spreadsheet_shows(text)} not shown by its format"
    scale = SCALES.get(how, f"units of 1{',000' * len(how)}")
    return f"{as_spreadsheet_shows(text)} shown in {scale}"


def _percent_text(text: str) -> str | None:
    """The text a sheet shows for a number cell formatted as a percentage: its number as the
    spreadsheet shows it, times 100 exactly, then `%` (`0.238` is `23.8%`, `1` is `100%`); None
    for a text that is not a number (it is read as written, as a long one is)."""
    value = parse(as_spreadsheet_shows(text))
    if value is None:
        return None
    sign, digits, exponent = value.as_tuple()  # a finite value's exponent is a whole number
    places = int(exponent) + 2
    shown = Decimal((sign, digits, places))  # times 100, with no rounding and no context
    written = format(shown, "f") if -40 < places <= 40 else str(shown)
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    return f"{written}%"


def shown_as(written: str, sections: Sections) -> str | None:
    """What a format of `sections` shows for the number `written`, where that is not the number
    itself (`23.8%`, `628000 shown in thousands`), else None."""
    shown = sections.of(None if sections.alike else parse(as_spreadsheet_shows(written)))
    if shown is None:
        return None
    return (_percent_text(written) or written) if shown == "%" else _said_otherwise(written, shown)
