"""Bytes as text, and the problem that stops a file being read, with where it was found; and
text from input made safe to show on one line (`visible`).

Apart from the YAML loader (`laatool.load.yamlio`), so that reading a returns table needs no
YAML parser; and needing no library, so that a message can be written when one cannot load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every text has a length limit that no real one comes near, checked where it is read, so a
# hostile file cannot make a run slow or huge later (docs/decisions.md): names, titles, ids and
# table cells up to MAX_NAME_CHARS characters, notes and any YAML value up to MAX_TEXT_CHARS.
MAX_NAME_CHARS = 1_000
MAX_TEXT_CHARS = 10_000


@dataclass(frozen=True)
class Mark:
    line: int
    column: int


class YamlProblem(Exception):
    """A file that cannot be read; `kind` names the finding to report, `hint` (when given)
    replaces the finding's own."""

    def __init__(self, kind: str, message: str, mark: Mark | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # syntax | duplicate-key | bomb | encoding | size | empty | number | text
        # | unreadable | outside | special | name (laatool.base.inputs)
        self.message = message
        self.mark = mark or Mark(1, 1)
        self.hint = hint


# The byte-order marks of Unicode text other than UTF-8 (Excel's "Unicode Text", Notepad's
# "Unicode"), the longer first: UTF-32's little-endian mark starts with UTF-16's.
OTHER_UNICODE = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                 (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def other_unicode(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when `raw` starts with that encoding's byte-order mark, or 'UTF-16'
    when its first characters are ASCII written in two bytes without one (a NUL byte beside
    each, as a program saving "Unicode" without a mark writes them), else None: such text is
    full of NUL bytes, and is not binary."""
    if (marked := next((name for mark, name in OTHER_UNICODE if raw.startswith(mark)), None)) is not None:
        return marked
    head = raw[:64 - len(raw[:64]) % 2]
    for text, nuls in ((head[0::2], head[1::2]), (head[1::2], head[0::2])):
        if len(head) >= 8 and not nuls.strip(b"\x00") and text.isascii() and b"\x00" not in text:
            return "UTF-16"
    return None


def decode(raw: bytes, *, what: str = "file") -> str:
    """UTF-8 text (BOM allowed); a YamlProblem naming the line of the first bad byte, or the
    encoding of UTF-16 or UTF-32 text."""
    if (encoding := other_unicode(raw)) is not None:
        raise YamlProblem("encoding", f"the {what} is {encoding} text, not UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlProblem(
            "encoding",
            f"the {what} is not UTF-8 text (byte 0x{raw[error.start]:02x} at line {line})",
            Mark(line, column),
        ) from None


# A byte of a file name that is not UTF-8 reaches Python as a lone surrogate (PEP 383: 0xff as
# U+DCFF), which no output can encode and polars cannot take in a path.
_SURROGATE = re.compile("[\ud800-\udfff]")


def escaped(name: str) -> str:
    """`name` as laatool shows it: each byte of a file name that is not UTF-8 written `\\xff`
    (any other lone surrogate `\\udXXX`), so that every output can carry it."""
    return _SURROGATE.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def undecodable(name: str) -> str | None:
    """The first byte of a file name that is not UTF-8, as `escaped` shows it (`\\xff`), or None."""
    found = _SURROGATE.search(name)
    return _escape(found) if found else None


def first_line(text: str) -> str:
    """The first line of `text` that holds anything (an error's message for one line)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def excerpt(text: str, limit: int = 80) -> str:
    """`text` as a message quotes it: whole up to `limit` characters, else its start and end
    around '...', so a finding never carries more than a short piece of a file."""
    if len(text) <= limit:
        return text
    head = limit // 2
    return f"{text[:head]}...{text[-(limit - head - 3):]}"


# Characters that move the cursor, start an escape sequence or reorder text on a terminal: C0
# and C1 controls, DEL, zero-width and bidirectional marks, line and paragraph separators; and
# U+FFFE and U+FFFF, which are no characters at all (no XML or HTML may hold them). The
# one list every output escapes: the terminal and a page (`visible`, `page_string`), a CSV or
# XLSX cell (`sheet_text`), JSON (`json_escaped`). Those beyond the C0 controls (below U+0020)
# are listed apart, so each pattern is a character class alone: a lookahead in front would make
# Python's `re` try every position, five times slower over a national JSON document.
BEYOND_C0 = "\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff"
CONTROL = re.compile(f"[\x00-\x1f{BEYOND_C0}]")


def visible(text: str) -> str:
    """`text` with every control character written as its escape (`\\x1b`, `\\n`, `\\u202e`), so
    text from input shows as itself on a terminal or in a log, on one line, and moves nothing."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(control_escape, text)


def control_escape(match: re.Match[str]) -> str:
    """A control character as its escape: `\\n`, `\\x1b`, `\\u202e`."""
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
