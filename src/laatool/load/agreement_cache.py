"""What laatool works out from a workspace's agreements, and from its bundled indicators, kept
between runs (and, through `read_kept` and `keep`, what another part keeps the same way: the
charts of `laatool report`).

Agreements are agreed once and refreshed yearly, while returns change every night; parsing and
checking 150 agreements costs more than a second, so a run keeps what it made of them: each
agreement as its validated model, the findings of loading and checking them (codes Y, S, A)
and the targets frame. The next run whose inputs are the same byte for byte reads that back
instead of parsing the YAML again.

The key is a SHA-256 of everything those results depend on: the bytes of `laatool.yaml` and
of every YAML file in the workspace's indicators, schemes and agreements folders, and
laatool's own files (code, bundled indicators and schemes: their size and modification time)
with the versions of polars and pydantic. Change any of them and the entry is not found, so a
cached run gives exactly what a fresh one does. The bundled indicator definitions, which
change only with laatool itself, are kept the same way under laatool's own files alone.

The cache lives in `$LAATOOL_CACHE_DIR`, else `$XDG_CACHE_HOME/laatool` (an absolute one), else
`~/.cache/laatool`; `LAATOOL_NO_CACHE=1` turns it off (`0`, `false`, `no`, `off` leave it on),
and so does a folder that lies inside the workspace, named there or leading there through a
link. Every entry is sealed: its first line is the SHA-256 of the rest, checked on every read
before anything in it is used, so an entry changed on disk (a flipped byte, a truncation, a hand
edit) is treated exactly as a missing one and written afresh. An entry that cannot be read is
ignored, one that cannot be written is skipped: the cache never changes an outcome. The newest
`KEEP` entries are kept; pruning removes only files named as entries are, never another file in
the folder.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from laatool.base.findings import Finding, Severity
from laatool.base.inputs import read_input

FORMAT = "laatool-agreements-cache 4"
KEEP = 16
MAX_ENTRY_BYTES = 2 * 1024**3


# The workspace of the run (`keep_out_of`): laatool writes nothing inside it but `-o`.
_workspace: list[Path] = []


def keep_out_of(root: Path) -> None:
    """No entry is kept inside the workspace at `root`: a cache folder inside it (`returns/`)
    would put files among the inputs."""
    _workspace[:] = _places(root)


def _places(path: Path) -> list[Path]:
    """`path` as named (made absolute) and as resolved: a link to `returns/`, or a name through
    a link higher up or through `..` after one, is the folder it leads to."""
    return list(dict.fromkeys([Path(os.path.abspath(path)), Path(os.path.realpath(path))]))


def _in_workspace(folder: Path) -> bool:
    """Whether `folder`, as named or as resolved, lies in the workspace (`keep_out_of`), as
    named or as resolved."""
    try:
        return any(place.is_relative_to(root) for place in _places(folder) for root in _workspace)
    except (OSError, ValueError):  # a name the system cannot resolve: kept out, to be sure
        return True


# What LAATOOL_NO_CACHE may say and leave the cache on: any other value turns it off.
CACHE_LEFT_ON = ("", "0", "false", "no", "off")


def cache_dir() -> Path | None:
    """Where entries are kept, or None when the cache is turned off, or when the folder lies
    inside the workspace, however it is named (`keep_out_of`)."""
    if os.environ.get("LAATOOL_NO_CACHE", "").strip().lower() not in CACHE_LEFT_ON:
        return None
    configured = os.environ.get("LAATOOL_CACHE_DIR", "").strip()
    if configured:
        folder = Path(configured)
    else:
        # the XDG rule: a relative XDG_CACHE_HOME is no setting (it would follow the current folder)
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        folder = (Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache") / "laatool"
    return None if _in_workspace(folder) else folder


@dataclass
class Entry:
    """What a run made of the agreements: slug -> file, slug -> the JSON of its model and of
    its head (`AgreementHead`), findings, targets."""

    files: dict[str, str]
    models: dict[str, tuple[bytes, bytes]]
    load_findings: list[Finding]
    check_findings: list[Finding]
    targets: pl.DataFrame


@functools.cache
def _laatool_fingerprint() -> bytes:
    """laatool's own files (size and modification time) and the libraries its results go through."""
    import pydantic

    from laatool import __version__
    from laatool.base.resources import PACKAGE, bundled_indicators_dir

    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{pl.__version__}|{pydantic.VERSION}".encode())
    for folder in dict.fromkeys([PACKAGE, bundled_indicators_dir()]):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml"):
                stat = path.stat()
                digest.update(f"{path.relative_to(folder)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.digest()


def key_of(inputs: list[tuple[str, bytes]]) -> str:
    """The key of the workspace files (name, bytes) the agreements' results depend on."""
    digest = hashlib.sha256(_laatool_fingerprint())
    for name, raw in inputs:
        digest.update(f"{name}|{len(raw)}\n".encode())
        digest.update(raw)
    return digest.hexdigest()


def _finding(data: dict) -> Finding:
    return Finding(**{**data, "severity": Severity(data["severity"])})


def read(key: str) -> Entry | None:
    """The entry stored under `key`, or None when there is none (or it cannot be read).

    An entry is a line of JSON (files, findings, and where each part lies in what follows),
    then the targets frame as Parquet and the JSON of every model: a run reads the parts it
    needs without parsing the rest (`validate` never reads an agreement's model)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"agreements-{key}.bin"
    try:
        raw = _unsealed(path, read_input(path, MAX_ENTRY_BYTES))  # a pipe put in its place is a miss, not a wait
        newline = raw.index(b"\n")
        data = json.loads(raw[:newline])
        if data.get("format") != FORMAT:
            return None
        body = memoryview(raw)[newline + 1:]
        part = lambda span: body[span[0]:span[0] + span[1]].tobytes()  # noqa: E731
        entry = Entry(
            files=data["files"],
            models={slug: (part(model), part(head)) for slug, (model, head) in data["models"].items()},
            load_findings=[_finding(f) for f in data["load_findings"]],
            check_findings=[_finding(f) for f in data["check_findings"]],
            targets=pl.read_parquet(io.BytesIO(part(data["targets"]))),
        )
        os.utime(path)  # most recently used: the last to be pruned
    except Exception:  # a missing, partial or foreign file is a miss, never a failure
        return None
    return entry


def write(key: str, entry: Entry) -> None:
    """Store `entry` under `key` atomically, and prune old entries; any failure is ignored."""
    folder = cache_dir()
    if folder is None:
        return
    frame = io.BytesIO()
    entry.targets.write_parquet(frame)
    parts = [frame.getvalue()]
    spans: dict[str, list[list[int]]] = {}
    offset = len(parts[0])
    for slug, pair in entry.models.items():
        spans[slug] = []
        for text in pair:
            spans[slug].append([offset, len(text)])
            parts.append(text)
            offset += len(text)
    head = json.dumps({
        "format": FORMAT,
        "files": entry.files,
        "targets": [0, len(parts[0])],
        "models": spans,
        "load_findings": [f.to_dict() for f in entry.load_findings],
        "check_findings": [f.to_dict() for f in entry.check_findings],
    }, ensure_ascii=True)
    _store(folder, f"agreements-{key}.bin", b"".join([head.encode("ascii"), b"\n", *parts]))


def read_indicators() -> list[tuple[str, str]] | None:
    """The bundled indicators as a run with these very laatool files read them: the file and
    the JSON of the model of each; None when no run has kept them."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        path = folder / _indicators_name()
        data = json.loads(_unsealed(path, read_input(path, MAX_ENTRY_BYTES)))
        if data.get("format") != FORMAT:
            return None
        return [(file, model) for file, model in data["indicators"]]
    except Exception:  # a missing, partial or foreign file is a miss, never a failure
        return None


def write_indicators(indicators: list[tuple[str, str]]) -> None:
    """Keep the bundled indicators (file, model JSON) for the next run; any failure is ignored."""
    folder = cache_dir()
    if folder is not None:
        data = json.dumps({"format": FORMAT, "indicators": indicators}, ensure_ascii=True)
        _store(folder, _indicators_name(), data.encode("ascii"))


def _indicators_name() -> str:
    return f"indicators-{_laatool_fingerprint().hex()}.json"


def read_kept(kind: str, key: str) -> bytes | None:
    """What another part of laatool kept under `kind` and `key` (`keep`), or None."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{kind}-{key}.bin"
    try:
        data = _unsealed(path, read_input(path, MAX_ENTRY_BYTES))
        os.utime(path)  # most recently used: the last to be pruned
    except Exception:  # a missing, partial or foreign file is a miss, never a failure
        return None
    return data


def keep(kind: str, key: str, data: bytes, newest: int = KEEP) -> None:
    """Keep `data` under `kind` (a word) and `key` (from `fingerprint`), sealed as every entry
    is, the `newest` entries of that kind kept; any failure is ignored."""
    folder = cache_dir()
    if folder is not None:
        _store(folder, f"{kind}-{key}.bin", data, newest)


def fingerprint() -> bytes:
    """laatool's own files and the libraries of its results, as every key here starts from."""
    return _laatool_fingerprint()


def _store(folder: Path, name: str, data: bytes, newest: int = KEEP) -> None:
    """Write one entry atomically and keep the newest `newest` of its kind; failures are ignored."""
    from laatool.base.files import atomic_write

    kind = name.split("-", 1)[0]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / name, _sealed(name, data), own_file=True)
        # Only the names laatool gives its entries: the folder may be one the user keeps other
        # files in (LAATOOL_CACHE_DIR), and `agreements-draft.docx` is not ours to remove.
        ours = re.compile(rf"{re.escape(kind)}-[0-9a-f]{{64}}\.(bin|json)")
        entries = sorted((p for p in folder.glob(f"{kind}-*") if ours.fullmatch(p.name)),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[newest:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def _sealed(name: str, data: bytes) -> bytes:
    """`data` behind a first line holding the SHA-256 of the entry's file name and of it
    (hashing 3 MB takes milliseconds): an entry copied under another entry's name, whose key
    says it was made from other files, does not verify there."""
    return _digest(name, data) + b"\n" + data


def _unsealed(path: Path, raw: bytes) -> bytes:
    """What `_sealed` sealed under `path`'s name, once its digest is checked; a ValueError
    when it does not match."""
    head, newline, data = raw.partition(b"\n")
    if not newline or head != _digest(path.name, data):
        raise ValueError("a cache entry that does not match its digest")
    return data


def _digest(name: str, data: bytes) -> bytes:
    digest = hashlib.sha256(f"{name}\n".encode())
    digest.update(data)
    return digest.hexdigest().encode("ascii")
