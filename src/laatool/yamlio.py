"""A YAML loader that keeps the line and column of every node and refuses hostile files.

It loads safely (no Python objects), rejects duplicate keys, bounds alias expansion and
nesting before anything else looks at the data, and reads numbers as the decimal text
written, so `0.1` stays exactly one tenth.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_NODES = 100_000
MAX_DEPTH = 100
MAX_YAML_BYTES = 20 * 1024 * 1024

Path = tuple[str | int, ...]
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)


@dataclass(frozen=True)
class Mark:
    line: int
    column: int


class YamlProblem(Exception):
    """A YAML file that cannot be read; `kind` names the finding to report."""

    def __init__(self, kind: str, message: str, mark: Mark | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # syntax | duplicate-key | bomb | encoding | size | empty
        self.message = message
        self.mark = mark or Mark(1, 1)


@dataclass
class Located:
    """Loaded data plus the composed nodes, which know where each part was written.

    Marks are looked up only when a finding needs one, so a valid file costs nothing extra.
    """

    data: Any
    root: Node | None = None

    def locate(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the deepest node on `path` that exists (the key itself when `key`)."""
        node = self.root
        if node is None:
            return Mark(1, 1)
        for index, part in enumerate(path):
            found = None
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if _key(key_node) == part:
                        if key and index == len(path) - 1:
                            return _mark(key_node)
                        found = value_node
                        break
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                found = node.value[part]
            if found is None:
                break
            node = found
        return _mark(node)


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _compose_bounded(text: str) -> Node | None:
    """Compose with libyaml after a first pass over its events refuses deep nesting.

    The event pass stops at the first level past MAX_DEPTH, so a hostile file costs little;
    only a file that passes is composed.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_FAST):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                where = Mark(mark.line + 1, mark.column + 1)
                raise YamlProblem("bomb", f"nesting deeper than {MAX_DEPTH} levels", where)
        elif isinstance(event, _CLOSE):
            depth -= 1
    return yaml.compose(text, Loader=_FAST)


def decode(raw: bytes, *, what: str = "file") -> str:
    """UTF-8 text (BOM allowed); a YamlProblem naming the line of the first bad byte."""
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


def load_yaml(raw: bytes) -> Located:
    """Parse YAML bytes into plain Python data with marks; raise YamlProblem if it cannot."""
    if len(raw) > MAX_YAML_BYTES:
        raise YamlProblem("size", f"the file is larger than {MAX_YAML_BYTES // (1024 * 1024)} MiB")
    if b"\x00" in raw:
        raise YamlProblem("encoding", "the file holds NUL bytes: it is binary, not YAML text")
    text = decode(raw)
    try:
        node = _compose_bounded(text)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        problem = error.problem or error.context or "invalid YAML"
        raise YamlProblem("syntax", f"YAML syntax: {problem}", where) from None
    except yaml.YAMLError as error:
        raise YamlProblem("syntax", f"YAML syntax: {error}") from None
    except RecursionError:
        raise YamlProblem("bomb", f"nesting deeper than {MAX_DEPTH} levels") from None
    if node is None:
        return Located(None)
    return Located(_Builder().build(node, 0), node)


class _Builder:
    """Turns composed nodes into data, counting every node an alias expands into."""

    def __init__(self) -> None:
        self.count = 0

    def build(self, node: Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem("bomb", f"anchors and aliases expand past {MAX_NODES:,} nodes", _mark(node))
        if depth > MAX_DEPTH:
            raise YamlProblem("bomb", f"nesting deeper than {MAX_DEPTH} levels", _mark(node))
        if node.tag not in PLAIN_TAGS:
            raise YamlProblem("syntax", f"the tag '{node.tag}' is not allowed: write plain values",
                              _mark(node))
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, depth + 1) for item in node.value]
        return self._mapping(node, depth)

    def _mapping(self, node: MappingNode, depth: int) -> dict:
        result: dict = {}
        key_nodes: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("syntax", "merge keys ('<<') are not supported", _mark(key_node))
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem("syntax", "a mapping key must be a plain value", _mark(key_node))
            key = _key(key_node)
            if key in key_nodes:
                first = _mark(key_nodes[key]).line
                raise YamlProblem("duplicate-key", f"duplicate key {key!r} (first at line {first})",
                                  _mark(key_node))
            key_nodes[key] = key_node
            result[key] = self.build(value_node, depth + 1)
        return result


def _key(node: Node) -> Any:
    """A mapping key as data: a string, or an int such as a calendar year (2008)."""
    if not isinstance(node, ScalarNode):
        return None
    key = _scalar(node)
    return node.value if isinstance(key, Decimal | bool) or key is None else key


def _scalar(node: ScalarNode) -> Any:
    """Plain values as YAML 1.1 resolves them, but numbers as exact decimals/ints."""
    tag = node.tag
    text = node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in {"yes", "true", "on", "y"}
    if tag == "tag:yaml.org,2002:int":
        cleaned = text.replace("_", "")
        try:
            return int(cleaned, 0) if not cleaned.lstrip("+-").startswith("0") else int(cleaned)
        except ValueError:
            return text
    if tag == "tag:yaml.org,2002:float":
        try:
            value = Decimal(text.replace("_", ""))
        except InvalidOperation:
            return text
        return value if value.is_finite() else text
    return text


class _TrustedLoader(_FAST):  # type: ignore[misc,valid-type]
    """libyaml's fast parser, for the files laatool ships itself; numbers still exact."""


_TrustedLoader.add_constructor(
    "tag:yaml.org,2002:float",
    lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", "")),
)


def load_trusted(raw: bytes) -> Located:
    """Load a bundled file quickly (no marks): the package's own data, not user input."""
    return Located(yaml.load(raw, Loader=_TrustedLoader))  # noqa: S506 - a safe loader subclass
