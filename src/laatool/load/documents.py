"""Load one YAML document into a model, turning every problem into located findings."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from laatool.base.findings import Finding
from laatool.base.ids import IdentifierError, parse_period
from laatool.base.inputs import read_input
from laatool.base.models import PATTERN_WORDS, Agreement, AgreementHead
from laatool.base.rule import Rule, capped
from laatool.base.suggest import closest, did_you_mean
from laatool.base.text import MAX_NAME_CHARS, decode, excerpt
from laatool.load.reading_rules import Y001, Y002, Y003, Y004, Y005, Y007, Y008, Y009, Y012, Y013, Y019
from laatool.load.schema_rules import S001, S002, S003
from laatool.load.yamlio import DeferredLocated, Located, YamlProblem, load_trusted, load_yaml

M = TypeVar("M", bound=BaseModel)

PROBLEM_RULES = {
    "syntax": Y001,
    "duplicate-key": Y002,
    "bomb": Y003,
    "encoding": Y004,
    "size": Y005,
    "empty": Y007,
    "number": Y008,
    "text": Y009,
    "unreadable": Y001,
    "outside": Y012,
    "special": Y013,
    "name": Y019,
}


# Y004's own hint speaks of Excel's CSV; a YAML file is saved from a text editor.
SAVE_AS_UTF8 = "save the file as UTF-8 (a text editor's 'Save As' offers the encoding), then run again"


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model with the file it came from and the marks of its nodes."""

    model: M
    file: str
    located: Located

    @property
    def head(self) -> M:
        """The model; for an agreement, what is read of it besides its targets (`CachedAgreement`)."""
        return self.model

    def line_of(self, *path: str | int, key: bool = False) -> tuple[int, int]:
        """Where the value on `path` is written (its key, with `key`)."""
        mark = self.located.locate(path, key=key)
        return mark.line, mark.column


class CachedAgreement(Loaded[Agreement]):
    """An agreement read back from the agreement cache: its model is validated from the cached
    JSON when first used (`validate` uses none, `score` and `reward-grant` mostly its head),
    and its marks are read from the file's bytes when a finding asks where something was
    written."""

    _json: tuple[bytes, bytes, bytes]  # the model's JSON, its head's JSON, the file's bytes

    def __init__(self, model_json: bytes, head_json: bytes, file: str, raw: bytes) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "_json", (model_json, head_json, raw))

    @functools.cached_property
    def model(self) -> Agreement:
        return Agreement.model_validate_json(self._json[0])

    @functools.cached_property
    def head(self) -> AgreementHead:  # type: ignore[override]  # a cached property for a property
        return self.__dict__.get("model") or AgreementHead.model_validate_json(self._json[1])

    @functools.cached_property
    def located(self) -> Located:
        return DeferredLocated(decode(self._json[2]))


def raw_at(doc: Loaded[Agreement], path: tuple) -> Any:
    data = doc.located.data
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def period_line(doc: Loaded[Agreement], path: tuple, period: str, *, key: bool = False) -> tuple[int, int]:
    """Line and column of the value of `period` in the mapping at `path` (of its key, with `key`:
    a finding about the period itself), however the key was written (`2008/09:` is 2008-09's)."""
    mapping = raw_at(doc, path)
    for written in mapping if isinstance(mapping, dict) else ():
        try:
            if str(parse_period(written)) == period:
                return doc.line_of(*path, written, key=key)
        except IdentifierError:
            continue
    return doc.line_of(*path)


def read_yaml(path: Path, rel: str, root: Path | None = None, read: dict[str, bytes] | None = None,
              document: bool = False) -> tuple[Located | None, list[Finding]]:
    """Read and parse a YAML file of the workspace `root`; a Y finding instead of data when it
    cannot (`laatool.base.inputs` says which files are refused before a byte is read). `read`
    (`Workspace.read`): the bytes of the files this run has read, by name; a file in it is
    parsed from them, and one read now is added."""
    from laatool.load import yamlio

    try:
        raw = read.get(rel) if read is not None else None
        if raw is None:
            raw = read_input(path, yamlio.MAX_YAML_BYTES, root)
            if read is not None:
                read[rel] = raw
        located = load_yaml(raw, document)
    except YamlProblem as problem:
        rule = PROBLEM_RULES[problem.kind]
        hint = problem.hint or (SAVE_AS_UTF8 if problem.kind == "encoding" else None)
        return None, [rule.finding(problem.message, file=rel, line=problem.mark.line, column=problem.mark.column,
                                   hint=hint)]
    if located.data is None:
        return None, [Y007.finding("the file is empty", file=rel, line=1, column=1)]
    return located, []


def load_document(
    path: Path, rel: str, model: type[M], *, trusted: bool = False, root: Path | None = None,
    read: dict[str, bytes] | None = None,
) -> tuple[Loaded[M] | None, list[Finding]]:
    """Read `path` (a file of the workspace `root`) as `model`; a finding for every problem,
    at its line and column.

    `trusted` files (the bundled indicators and schemes) take libyaml's fast parser.
    """
    if trusted:
        from laatool.load import yamlio

        return validate_located(load_trusted(read_input(path, yamlio.MAX_YAML_BYTES)), rel, model)
    _, loaded, findings = load_located(path, rel, model, root, read)
    return loaded, findings


def load_located(path: Path, rel: str, model: type[M], root: Path | None = None,
                 read: dict[str, bytes] | None = None) -> tuple[Located | None, Loaded[M] | None, list[Finding]]:
    """`load_document` of a workspace file, with what was read of it whether or not it is a
    `model` (None when it could not be read or parsed): what a file that does not load meant."""
    located, findings = read_yaml(path, rel, root, read, document=True)
    if located is None:
        return None, None, findings
    loaded, findings = validate_located(located, rel, model, root)
    return located, loaded, findings


def validate_located(located: Located, rel: str, model: type[M],
                     root: Path | None = None) -> tuple[Loaded[M] | None, list[Finding]]:
    """`located` as `model`, or the findings of why not; a validator may ask for the workspace's
    `root` (the folders of `laatool.yaml`, to say where a name refused leads)."""
    if not isinstance(located.data, dict):
        return None, [S003.finding(
            f"expected a mapping of keys ({model.__name__.lower()}), found {_kind(located.data)}",
            file=rel, line=1, column=1)]
    try:
        return Loaded(model.model_validate(located.data, context={"root": root}), rel, located), []
    except ValidationError as error:
        return None, schema_findings(error, located, rel, model)


def schema_findings(
    error: ValidationError, located: Located, rel: str, model: type[BaseModel], prefix: tuple = ()
) -> list[Finding]:
    """pydantic errors as S findings, each at the line and column of the offending node."""
    known = _field_names(model)
    errors = [(item, tuple(part for part in item["loc"] if part != "[key]"))
              for item in error.errors(include_url=False)]
    # A required key misspelt (`knid:`) is its unknown key's S001, "did you mean 'kind'?", alone:
    # an S002 "missing key 'kind'" beside it, at the start of the target, would have it added twice.
    misspelt = {(prefix + loc[:-1], meant) for item, loc in errors if item["type"] == "extra_forbidden" and loc
                for meant in closest(loc[-1], _keys_at(model, loc[:-1]) or known, n=1)}
    findings = []
    for item, loc in errors:
        path = prefix + loc
        where = _dotted(path)
        kind = item["type"]
        if kind == "missing" and (path[:-1], loc[-1]) in misspelt:
            continue
        if kind == "extra_forbidden":
            mark = located.locate(path, key=True)
            key = loc[-1] if loc else ""
            suggestion = did_you_mean(key, _keys_at(model, loc[:-1]) or known, quote="'")
            if "\u00a0" in str(key):  # pasted from a word processor: the key looks right, and is not
                suggestion += " (it holds a non-breaking space, U+00A0: retype it, and its indentation, with spaces)"
            findings.append(S001.finding(
                f"unknown key '{excerpt(str(key), 40)}' at {excerpt(where)}{suggestion}",
                file=rel, line=mark.line, column=mark.column))
        elif kind == "missing":
            mark = located.locate(path[:-1])
            findings.append(S002.finding(
                f"missing key '{loc[-1]}' at {_dotted(path[:-1]) or 'top level'}",
                file=rel, line=mark.line, column=mark.column, hint=f"add '{loc[-1]}'"))
        else:
            mark = located.locate(path)
            rule: type[Rule] = S003
            message = item["msg"].removeprefix("Value error, ")
            # YAML 1.1's yes, no, on, off where no yes-or-no is taken, by the type or by a validator
            if isinstance(item["input"], bool) and not kind.startswith("bool"):
                written = located.written(path) or str(item["input"]).lower()
                message = (f"'{excerpt(written, 40)}' is read as {str(item['input']).lower()} (a yes or no), "
                           "which this key does not take: write a number, or put a text in quotes")
            elif item["input"] is None and kind != "missing":  # `null`, `~` or nothing: not 'None'
                written = located.written(path) or ""
                message = (f"{repr(excerpt(written, 40)) if written else 'nothing'} is read as no value (null), "
                           "which this key does not take: write the value, or put a text in quotes")
            elif kind == "string_pattern_mismatch" and item["ctx"]["pattern"] in PATTERN_WORDS:
                message = f"{excerpt(repr(item['input']), 60)} is not {PATTERN_WORDS[item['ctx']['pattern']]}"
            elif kind == "string_type" and isinstance(item["input"], int | float | Decimal):
                written = located.written(path) or str(item["input"])
                message = (f"{excerpt(written, 40)} is read as a number, and this key takes a text: put it in quotes "
                           f"('{excerpt(written, 40)}')")
            elif kind in ("model_type", "dict_type") and not isinstance(item["input"], dict):
                scalar = located.written(path)  # a scalar's text; a list is named, not quoted
                what = f"{excerpt(scalar, 40)} is" if scalar else "it is"
                form = MAPPING_FORMS.get(str(loc[-1]) if loc else "", "`key: value` pairs in braces, or indented below")
                message = f"{what} {_kind(item['input'])}, where a mapping of keys is written: {form}"
            elif kind == "string_too_short" and item["input"] == "":
                message = "an empty text: write the value"
            elif kind == "string_too_long":
                message = f"{len(item['input']):,} characters, over the limit of {item['ctx']['max_length']:,}"
                if item["ctx"]["max_length"] >= MAX_NAME_CHARS:  # laatool's own limit on any text
                    rule = Y009
            findings.append(rule.finding(
                f"{where or 'top level'}: {message}", file=rel, line=mark.line, column=mark.column))
    return capped(findings)


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _kind(data: object) -> str:
    kinds: dict[type, str] = {list: "a list", str: "a single value", int: "a single value", Decimal: "a single value"}
    return kinds.get(type(data), type(data).__name__)


# How the mappings of an agreement are written, for S003 when a single value or a list is
# written in their place (`baseline: 12.10`, `targets: [11.60, 11.10]`).
MAPPING_FORMS = {
    "baseline": "{period: 2007-08, value: 12.10}",
    "interim": "{period: 2009-10, value: 11.10}",
    "targets": "each period with its target, {2008-09: 11.60, 2009-10: 11.10}",
    "reward": "{scheme: lpsa2, maximum: 1000000.00}",
}


def _field_names(model: type[BaseModel]) -> list[str]:
    """Every key of `model` and of the models nested in it, for 'did you mean' suggestions."""
    names: set[str] = set()
    pending = [model]
    seen: set[type] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, field in current.model_fields.items():
            names.add(name)
            pending.extend(_models_in(field.annotation))
    return sorted(names)


def _keys_at(model: type[BaseModel], path: tuple) -> list[str] | None:
    """The keys a mapping at `path` of `model` may hold (`rag` of the settings: `amber`), so a
    misspelt key is matched with its neighbours; None where the path leaves the models."""
    current = [model]
    for part in path:
        if isinstance(part, int):  # an item of a list
            continue
        current = [inner for outer in current if part in outer.model_fields
                   for inner in _models_in(outer.model_fields[part].annotation)]
        if not current:
            return None
    return sorted({name for found in current for name in found.model_fields})


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_models_in(arg))
    return found
