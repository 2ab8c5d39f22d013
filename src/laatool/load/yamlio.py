"""A YAML loader that keeps the line and column of every node and refuses hostile files.

It loads safely (no Python objects), rejects duplicate keys, bounds alias expansion and
nesting before anything else looks at the data, and reads numbers as the decimal text
written, so `0.1` stays exactly one tenth.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from laatool.base import numbers
from laatool.base.text import MAX_TEXT_CHARS, Mark, YamlProblem, decode, other_unicode  # noqa: F401 - decode is read from here too

MAX_NODES = 100_000
# An agreement, indicator, scheme, neighbours file or laatool.yaml holds a few thousand values
# (nodes) at most. Past this one is refused as it is read: checking it costs time and memory
# for every value (a mapping of 800,000 keys took 95 s and 4 GB to list as unknown). A YAML
# returns file, a table of rows, is bounded by MAX_YAML_BYTES alone.
MAX_DOCUMENT_NODES = 100_000
MAX_DEPTH = 100
MAX_YAML_BYTES = 20 * 1024 * 1024
# A longer scalar is refused as it is read, before anything validates, stores or renders it;
# a plain number is held to `laatool.base.numbers`' limits instead, whatever its length.
MAX_SCALAR_CHARS = MAX_TEXT_CHARS
_NUMBER = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?")

Path = tuple[str | int, ...]
# The one tag a value may carry: the non-specific `!`, which reads a scalar as the text written,
# as quotes do. Every other tag is refused, the standard ones too: each can only make a value
# something other than what is written (`!!null 1000000.50` is nothing, `!!bool 1` false).
NON_SPECIFIC = "!"
STANDARD_TAG = "tag:yaml.org,2002:"


@dataclass
class Located:
    """Loaded data plus the text it came from, which says where each part was written.

    Marks are looked up only when a finding needs one (composing the nodes then), so a valid
    file costs nothing extra.
    """

    data: Any
    text: str | None = None
    collection_marks: dict[int, Mark] = field(default_factory=dict, repr=False, compare=False)
    _root: Node | None = field(default=None, repr=False, compare=False)
    # each mapping's keys (by the mapping node's id), made when a mark is first looked up in it:
    # a finding for each of 20,000 keys would otherwise scan the keys 20,000 times
    _keys: dict[int, dict[Any, tuple[Node, Node]]] = field(default_factory=dict, repr=False, compare=False)

    def locate(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the deepest node on `path` that exists (the key itself when `key`)."""
        if not key:
            found = self._collection_mark(path)
            if found is not None:
                return found
        node = self._node(path, key=key)
        return Mark(1, 1) if node is None else _mark(node)

    def written(self, path: Path) -> str | None:
        """The text of the value on `path` as written (`yes` where YAML read true), if it is one."""
        node = self._node(path)
        return node.value if isinstance(node, ScalarNode) else None

    def _node(self, path: Path, *, key: bool = False) -> Node | None:
        """The deepest node on `path` that exists (the key itself when `key`)."""
        if self._root is None and self.text is not None:
            # The text already passed the bounded load, so composing it is safe.
            self._root = yaml.compose(self.text, Loader=_FAST)
        node = self._root
        if node is None:
            return None
        for index, part in enumerate(path):
            found = None
            if isinstance(node, MappingNode):
                keys = self._keys.get(id(node))
                if keys is None:
                    keys = self._keys[id(node)] = {}
                    for key_node, value_node in node.value:
                        keys.setdefault(_key(key_node), (key_node, value_node))  # the first of a key
                if part in keys:
                    key_node, found = keys[part]
                    if key and index == len(path) - 1:
                        return key_node
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                found = node.value[part]
            if found is None:
                break
            node = found
        return node

    def _collection_mark(self, path: Path) -> Mark | None:
        """Where a mapping or list on `path` starts, from the marks kept while loading."""
        value = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        if not isinstance(value, dict | list):
            return None
        return self.collection_marks.get(id(value))


class DeferredLocated(Located):
    """A Located for text known to load cleanly (a cached agreement): its data and marks are
    built from the text only when a finding first asks where something was written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root = None
        self._keys = {}

    def __getattr__(self, name: str) -> Any:
        if name not in ("data", "collection_marks"):
            raise AttributeError(name)
        loaded = load_yaml((self.text or "").encode("utf-8"))
        self.data, self.collection_marks = loaded.data, loaded.collection_marks
        return getattr(self, name)


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
MERGE = "tag:yaml.org,2002:merge"


# A line whose indentation holds a non-breaking space or a tab (group 1: the spaces before
# it; group 2: which), neither of which YAML takes for indentation.
_ODD_INDENT = re.compile(r"^( *)([\t\u00a0])")
_ODD_INDENTS = {"\u00a0": ("a non-breaking space (U+00A0), which YAML does not count as indentation",
                           "replace the indentation of that line with ordinary spaces"),
                "\t": ("a tab, which YAML does not allow in indentation",
                       "indent that line with spaces (an editor can turn tabs into spaces)")}


def _odd_indent(text: str, line: int) -> tuple[Mark, str] | None:
    """Where a non-breaking space or a tab indents the line of a syntax error (`line`) or the
    one before it, where the parser's complaint about such a line lands, and which; None if
    neither is."""
    lines = text.split("\n")
    for number in (line - 1, line):
        found = _ODD_INDENT.match(lines[number - 1]) if 1 <= number <= len(lines) else None
        if found is not None:
            return Mark(number, len(found.group(1)) + 1), found.group(2)
    return None
# A group of three digits after a comma, and a number written in such groups (`412,000,000.50`).
_GROUP = re.compile(r"\d{3}(\.\d*)?")
_LEADING = re.compile(r"[-+]?\d{1,3}")
_SEPARATED = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?(?!\d|,\d)")
_WHOLE = re.compile(r"[-+]?\d+")
_NOUGHT_FIRST = re.compile(r"[-+]?0\d")  # `000.00`, `050`: a part of a number, never one written alone
_OCTAL = re.compile(r"0[0-7]+")  # a whole number YAML 1.1 reads in base 8


def _resolve(text: str) -> str:
    """The tag YAML 1.1 gives a plain scalar (what PyYAML's resolver does, without nodes)."""
    for tag, pattern in _IMPLICIT.get(text[0] if text else "", []) + _IMPLICIT.get(None, []):
        if pattern.match(text):
            return tag
    return STR


def _event_mark(event: Any) -> Mark:
    return _to_mark(event.start_mark)


def _to_mark(mark: Any) -> Mark:
    return Mark(mark.line + 1, mark.column + 1)


@functools.lru_cache(maxsize=8192)
def _plain(text: str) -> tuple[str, Any]:
    """A plain scalar's tag and value; agreements repeat the same few texts many times."""
    tag = _resolve(text)
    return tag, _scalar(tag, text)


class _Collection:
    """A mapping or sequence being built from events."""

    __slots__ = ("value", "mark", "anchor", "first_count", "depth", "deepest", "key", "key_lines", "flow",
                 "last_plain", "joined", "spaced")

    def __init__(self, value: dict | list, mark: Any, anchor: str | None, first_count: int, depth: int,
                 flow: bool = False) -> None:
        self.value = value
        self.mark = mark
        self.anchor = anchor
        self.first_count = first_count
        self.depth = depth
        self.deepest = depth
        self.key: Any = _NO_KEY
        self.key_lines: dict[Any, Any] = {}
        self.flow = flow  # written [...] or {...}, where a comma separates the items
        self.joined: tuple[Any, Any] | None = None  # the first two numbers joined by a bare comma (`[380500,000.00`)
        self.spaced = False  # whether two items are separated by a comma and a space
        self.last_plain: yaml.ScalarEvent | None = None  # the last plain value in it


_NO_KEY = object()


class _EventBuilder:
    """Builds data straight from libyaml's events in one pass, refusing hostile input early.

    Nesting past MAX_DEPTH stops the pass at once; an alias counts every node it stands for,
    so anchors and aliases cannot expand past MAX_NODES (the nodes written out plainly are
    bounded by the file's size instead); scalars longer than MAX_SCALAR_CHARS, duplicate keys
    and every tag but `!` are refused.
    """

    def __init__(self, document: bool = False) -> None:
        self.document = document
        self.count = 0  # every node so far, each alias as the nodes it stands for
        self.expanded = 0  # the nodes that aliases stand for
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, nodes, depth below it
        self.stack: list[_Collection] = []
        self.documents: list[Any] = []
        self.collection_marks: dict[int, Mark] = {}

    def build(self, text: str) -> Any:
        self.text = text
        for event in yaml.parse(text, Loader=_FAST):
            if isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self._open(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self._close()
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.DocumentStartEvent) and self.documents:
                raise YamlProblem("syntax", "a file must hold one YAML document, not several", _event_mark(event))
        return self.documents[0] if self.documents else None

    def _count(self, nodes: int, event: Any, *, alias: bool = False) -> None:
        self.count += nodes
        if alias:
            self.expanded += nodes
            if self.expanded > MAX_NODES:
                raise YamlProblem("bomb", f"anchors and aliases expand past {MAX_NODES:,} nodes",
                                  _event_mark(event))
        # the values written (what aliases stand for is bounded above)
        elif self.document and self.count - self.expanded > MAX_DOCUMENT_NODES:
            raise YamlProblem("size", f"the file holds more than {MAX_DOCUMENT_NODES:,} values (keys, items and "
                              "values counted alike), more than a file of its kind ever needs", _event_mark(event),
                              hint="check that it is the file you meant: an agreement, indicator or scheme holds a "
                                   "few thousand values at most")

    def _check_tag(self, event: Any) -> None:
        if event.tag not in (None, NON_SPECIFIC):
            shown = event.tag.replace(STANDARD_TAG, "!!", 1) if event.tag.startswith(STANDARD_TAG) else event.tag
            raise YamlProblem("syntax", f"the tag '{shown}' is not allowed: write the value plainly (in quotes "
                              "for a text)", _event_mark(event))

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self._count(1, event)
        if len(event.value) > MAX_SCALAR_CHARS and not (event.implicit[0] and _NUMBER.fullmatch(event.value)):
            raise YamlProblem("text", f"a value of {len(event.value):,} characters, over the limit of "
                              f"{MAX_SCALAR_CHARS:,}", _event_mark(event))
        self._check_tag(event)
        try:
            if event.tag is None and event.implicit[0]:
                tag, value = _plain(event.value)
            else:
                tag, value = STR, event.value
        except YamlProblem as problem:
            if problem.kind != "number":
                raise
            raise YamlProblem(problem.kind, problem.message, _event_mark(event)) from None
        if self.document and tag == INT:
            self._refuse_octal(event)
        if tag == MERGE:
            raise YamlProblem("syntax", "merge keys ('<<') are not supported", _event_mark(event))
        if self.stack and self.stack[-1].flow and event.implicit[0] and not event.style:
            self._check_thousands(self.stack[-1], event)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1, 0)
        self._add(value, event.start_mark, key_text=event.value)

    @staticmethod
    def _refuse_octal(event: yaml.ScalarEvent) -> None:
        """Y001 for a whole number written with a nought first that YAML 1.1 (PyYAML, an
        editor's YAML support) reads in base 8 and a person in base 10 (`024464500`: 5,400,896
        or 24,464,500); `07`, alike in both, is read. A returns file's values are its cells,
        read as written, as a CSV's are."""
        written = event.value
        digits = written.lstrip("+-")
        if _OCTAL.fullmatch(digits) and int(written, 8) != int(written):
            meant = written[: len(written) - len(digits)] + digits.lstrip("0")
            raise YamlProblem("syntax", f"{written} is a whole number written with a nought first, which YAML "
                              f"1.1 reads as the octal number {int(written, 8):,} and others as {int(written):,}",
                              _event_mark(event), hint=f"write it without the noughts first ({meant}), or quote it")

    def _check_thousands(self, collection: _Collection, event: yaml.ScalarEvent) -> None:
        """In [...] or {...} a comma separates items, so `[412,000,000]` is the three numbers 412,
        0 and 0, each valid: a number written with thousands separators (or a decimal comma)
        there is refused, at its place, rather than read as other figures (a net budget
        requirement of £412). A whole number joined to a number by a comma alone is refused
        always when they read as 1-3 digits and a group of three (`412,000`) or when the second
        starts with a nought (`380500,000.00`, which no one writes for a number), and when the
        collection puts a space after its other commas (`[380,500000.00, 14200000.00]`,
        `[380500000,50, 14200000.00]`)."""
        before, collection.last_plain = collection.last_plain, event
        if before is None:
            return
        start, end = event.start_mark, before.end_mark  # libyaml's events always carry marks
        assert start is not None and end is not None and before.start_mark is not None
        between = self.text[end.index:start.index]
        if between == ",":
            # a whole number, a bare comma, a number: one number as a spreadsheet writes it?
            if _WHOLE.fullmatch(before.value) and _NUMBER.fullmatch(event.value):
                if (_LEADING.fullmatch(before.value) and _GROUP.fullmatch(event.value)) \
                        or _NOUGHT_FIRST.match(event.value) or collection.spaced:
                    self._refuse_joined(before, event)
                collection.joined = collection.joined or (before, event)
        elif between.startswith(",") and not between[1:].strip():
            collection.spaced = True
            if collection.joined is not None:
                self._refuse_joined(*collection.joined)

    def _refuse_joined(self, before: yaml.ScalarEvent, event: yaml.ScalarEvent) -> None:
        """Y001 at the first of two numbers joined by a comma alone (`_check_thousands`), as a
        thousands separator or a decimal comma writes them."""
        assert before.start_mark is not None  # libyaml's events always carry marks
        written = _SEPARATED.match(self.text, before.start_mark.index)
        shown = written.group(0) if written else f"{before.value},{event.value}"
        hint = (f"write the number without thousands separators ({shown.replace(',', '')}), or, for several "
                "numbers, put a space after each comma") if written else (
                "write each number without a comma in it (no thousands separators, a point before decimals), "
                "and put a space after each comma between numbers")
        raise YamlProblem("syntax", f"{shown} is read as the separate items {', '.join(shown.split(','))}: "
                          "inside [...] or {...} a comma separates items", _event_mark(before), hint=hint)

    def _open(self, event: Any) -> None:
        mapping = isinstance(event, yaml.MappingStartEvent)
        self._check_tag(event)
        self._count(1, event)
        depth = len(self.stack) + 1
        if depth > MAX_DEPTH:
            raise YamlProblem("bomb", f"nesting deeper than {MAX_DEPTH} levels", _event_mark(event))
        self.stack.append(_Collection({} if mapping else [], event.start_mark, event.anchor, self.count, depth,
                                      bool(event.flow_style)))
        if event.anchor:
            self.anchors.pop(event.anchor, None)  # an alias to it before its end is recursive

    def _close(self) -> None:
        collection = self.stack.pop()
        self.collection_marks.setdefault(id(collection.value), _to_mark(collection.mark))
        if self.stack:
            self.stack[-1].deepest = max(self.stack[-1].deepest, collection.deepest)
        if collection.anchor:
            nodes = self.count - collection.first_count + 1
            self.anchors[collection.anchor] = (collection.value, nodes, collection.deepest - collection.depth + 1)
        self._add(collection.value, collection.mark, key_text=None)

    def _alias(self, event: yaml.AliasEvent) -> None:
        if event.anchor not in self.anchors:
            open_anchors = {c.anchor for c in self.stack}
            if event.anchor in open_anchors:
                raise YamlProblem("bomb", f"the alias *{event.anchor} refers to itself", _event_mark(event))
            raise YamlProblem("syntax", f"unknown alias *{event.anchor}", _event_mark(event))
        value, nodes, below = self.anchors[event.anchor]
        self._count(nodes, event, alias=True)
        if len(self.stack) + below > MAX_DEPTH:
            raise YamlProblem("bomb", f"nesting deeper than {MAX_DEPTH} levels", _event_mark(event))
        if self.stack:
            self.stack[-1].deepest = max(self.stack[-1].deepest, len(self.stack) + below)
        text = None if isinstance(value, dict | list) else (value if isinstance(value, str) else str(value))
        if isinstance(value, dict | list):  # a collection of its own, marked where the alias is written: a
            value = type(value)(value)      # returns row `- *r` is found at its own line, not its anchor's
            self.collection_marks[id(value)] = _to_mark(event.start_mark)
        self._add(value, event.start_mark, key_text=text)

    def _add(self, value: Any, mark: Any, *, key_text: str | None) -> None:
        """Put a value into the open collection; `mark` is libyaml's, turned into ours on error."""
        if not self.stack:
            self.documents.append(value)
            return
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(value)
            return
        if parent.key is not _NO_KEY:
            parent.value[parent.key] = value
            parent.key = _NO_KEY
            return
        if key_text is None:
            raise YamlProblem("syntax", "a mapping key must be a plain value", _to_mark(mark))
        key = key_text if isinstance(value, Decimal | bool) or value is None else value
        if key in parent.key_lines:
            first = parent.key_lines[key].line + 1
            # a key repeated in an item of a list is most often the next item with its `- ` left out
            in_item = len(self.stack) > 1 and isinstance(self.stack[-2].value, list)
            hint = (f"if line {mark.line + 1} begins the next item of the list, write '- ' before {key!r}; "
                    "else keep one of the two entries and delete the other") if in_item else None
            raise YamlProblem("duplicate-key", f"duplicate key {key!r} (first at line {first})", _to_mark(mark), hint)
        parent.key_lines[key] = mark
        parent.key = key


# What the parser was reading when it stopped, when that began on an earlier line: a bracket or
# a quote left open, where the line to fix is the one it opens in.
_OPENED = {"while parsing a flow mapping": "{…}", "while parsing a flow sequence": "[…]",
           "while scanning a quoted scalar": "quoted text"}


def load_yaml(raw: bytes, document: bool = False) -> Located:
    """Parse YAML bytes into plain Python data with marks; raise YamlProblem if it cannot. A
    `document` (an agreement, indicator, scheme, neighbours file or laatool.yaml, not a
    returns file) is held to MAX_DOCUMENT_NODES, and refused where YAML readers differ on
    a number (`_EventBuilder._refuse_octal`)."""
    if len(raw) > MAX_YAML_BYTES:
        raise YamlProblem("size", f"the file is larger than {MAX_YAML_BYTES // (1024 * 1024)} MiB")
    if b"\x00" in raw and other_unicode(raw) is None:  # UTF-16 text is full of them: `decode` names it
        raise YamlProblem("encoding", "the file holds NUL bytes: it is binary, not YAML text")
    text = decode(raw)
    builder = _EventBuilder(document)
    try:
        data = builder.build(text)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        if (indented := _odd_indent(text, where.line)) is not None:  # a paste from a word processor, a tab
            at, char = indented
            what, hint = _ODD_INDENTS[char]
            raise YamlProblem("syntax", f"line {at.line} is indented with {what}", at, hint=hint) from None
        problem = error.problem or error.context or "invalid YAML"
        opened = error.context_mark
        if error.context in _OPENED and opened is not None and error.problem_mark is not None \
                and opened.line < error.problem_mark.line:  # `{2010-11: 76.0` left open: the parser stops a line on
            raise YamlProblem("syntax", f"YAML syntax: in the {_OPENED[error.context]} that opens here, {problem} "
                                        f"(line {where.line}, column {where.column})",
                              Mark(opened.line + 1, opened.column + 1)) from None
        raise YamlProblem("syntax", f"YAML syntax: {problem}", where) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, where it stands
        raise _not_allowed(text, error) from None
    except yaml.YAMLError as error:
        raise YamlProblem("syntax", f"YAML syntax: {error}") from None
    except RecursionError:
        raise YamlProblem("bomb", f"nesting deeper than {MAX_DEPTH} levels") from None
    return Located(data, text, builder.collection_marks)


# The characters YAML allows in a stream (YAML 1.1 §5.1, as PyYAML's reader holds it), and its
# line breaks (§5.4: a carriage return alone ends a line, as do NEL and the Unicode separators).
_NOT_ALLOWED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _not_allowed(text: str, error: yaml.reader.ReaderError) -> YamlProblem:
    """Y001 at the first character YAML does not allow, by line and column of the text: the
    reader's own position counts bytes under libyaml, and a line by its line feeds alone."""
    found = _NOT_ALLOWED.search(text)
    if found is None:  # none in the text as decoded: the reader's words, on one line
        return YamlProblem("syntax", "YAML syntax: " + " ".join(str(error).split()))
    breaks = list(_LINE_BREAK.finditer(text, 0, found.start()))
    where = Mark(len(breaks) + 1, found.start() - (breaks[-1].end() if breaks else 0) + 1)
    return YamlProblem("syntax", f"YAML syntax: the character U+{ord(found.group()):04X} is not allowed in YAML text",
                       where, hint="delete it, or write it as an escape in double quotes")


def _key(node: Node) -> Any:
    """A mapping key as data: a string, or an int such as a calendar year (2008)."""
    if not isinstance(node, ScalarNode):
        return None
    key = _scalar(node.tag, node.value)
    return node.value if isinstance(key, Decimal | bool) or key is None else key


def _scalar(tag: str, text: str) -> Any:
    """Plain values as YAML 1.1 resolves them, but numbers as exact decimals/ints."""
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in {"yes", "true", "on", "y"}
    # YAML 1.1 reads `1_0` as 10 and `22_8.0` as 228: a number with `_` in it stays the text
    # written, as in a CSV cell, so a return says it is no number (R305) rather than be read
    # as another figure.
    if tag == "tag:yaml.org,2002:int" and "_" not in text:
        _within_limits(text)
        try:
            # `0x52` and `0b11` (hexadecimal, binary) stay the text written: no number; `0400`
            # is 400 (`_EventBuilder._refuse_octal` says where that is in doubt)
            return int(text, 0) if not text.lstrip("+-").startswith("0") else int(text)
        except ValueError:
            return text
    if tag == "tag:yaml.org,2002:float" and "_" not in text:
        _within_limits(text)
        try:
            value = Decimal(text)
        except InvalidOperation:
            return text
        return value if value.is_finite() else text
    return text


def _within_limits(text: str) -> None:
    """Refuse a number beyond `laatool.base.numbers`' limits as it is read, before it is one."""
    problem = numbers.text_beyond(text)
    if problem is not None:
        shown = text if len(text) <= 40 else f"{text[:20]}...{text[-10:]}"
        raise YamlProblem("number", f"the number {shown} {problem}")


class _TrustedLoader(_FAST):  # type: ignore[misc,valid-type]
    """libyaml's fast parser, for the files laatool ships itself; numbers still exact."""


_TrustedLoader.add_constructor(
    "tag:yaml.org,2002:float",
    lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", "")),
)


def load_trusted(raw: bytes) -> Located:
    """Load a bundled file quickly (no marks): the package's own data, not user input."""
    return Located(yaml.load(raw, Loader=_TrustedLoader))  # noqa: S506 - a safe loader subclass
