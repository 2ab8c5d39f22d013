"""The agreement cache (laatool.load.agreement_cache): a run that reads the agreements back from it
gives byte for byte what a fresh run gives, and a changed, broken or unwritable cache never
changes an outcome."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, invoke
from laatool.api import load_workspace
from laatool.load.documents import CachedAgreement

COMMANDS = [["validate", "--format", "json"], ["score", "--format", "json"], ["reward-grant", "--format", "json"]]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAATOOL_CACHE_DIR", str(folder))
    return folder


def run_all(root: Path) -> list[str]:
    return [invoke(["-w", root, *args]).stdout for args in COMMANDS]


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("agreements-*.bin")) if folder.is_dir() else []


def test_a_cached_run_gives_what_a_fresh_one_gives(cache, monkeypatch):
    fresh = run_all(EXAMPLES)
    assert len(entries(cache)) == 1
    assert all(isinstance(doc, CachedAgreement) for doc in load_workspace(EXAMPLES).agreement_docs.values())
    assert run_all(EXAMPLES) == fresh
    monkeypatch.setenv("LAATOOL_NO_CACHE", "1")
    assert not any(isinstance(doc, CachedAgreement) for doc in load_workspace(EXAMPLES).agreement_docs.values())
    assert run_all(EXAMPLES) == fresh


def test_a_finding_from_a_cached_agreement_points_at_its_line(cache):
    first = invoke(["-w", EXAMPLES, "validate"]).stdout
    assert "104:45" in first and "R311" in first  # Leeds NI 110 has no 2010-11 return: its target's period key
    assert invoke(["-w", EXAMPLES, "validate"]).stdout == first


def test_a_changed_agreement_is_read_afresh(cache, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    before = invoke(["-w", root, "reward-grant", "--format", "json"]).stdout
    leeds = root / "agreements" / "leeds.yaml"
    text = leeds.read_text(encoding="utf-8")
    assert "maximum: 24800000.00" in text
    leeds.write_text(text.replace("maximum: 24800000.00", "maximum: 12400000.00"), encoding="utf-8")
    after = invoke(["-w", root, "reward-grant", "--format", "json"]).stdout
    assert '"maximum":"24800000.00"' in before and '"maximum":"12400000.00"' in after
    assert len(entries(cache)) == 2


def test_the_bundled_indicators_come_back_from_the_cache_as_they_were_read(cache, monkeypatch):
    from laatool.load.workspace import load_bundled_indicators

    monkeypatch.setenv("LAATOOL_NO_CACHE", "1")
    fresh = load_bundled_indicators()
    monkeypatch.delenv("LAATOOL_NO_CACHE")
    assert load_bundled_indicators() == fresh  # read afresh, and kept
    (kept,) = cache.glob("indicators-*.json")
    cached = load_bundled_indicators()
    assert [(d.file, d.model) for d in cached] == [(d.file, d.model) for d in fresh]
    assert len(cached) == 199 and cached[0].line_of("title") == (1, 1)
    kept.write_text('{"format": "laatool-agreements-cache 3", "indicators": [["x", "not json"]]}', encoding="utf-8")
    assert load_bundled_indicators() == fresh  # a broken entry is a miss


def test_no_cache_writes_nothing(cache, monkeypatch):
    monkeypatch.setenv("LAATOOL_NO_CACHE", "1")
    invoke(["-w", EXAMPLES, "validate"])
    assert entries(cache) == []


def test_a_broken_entry_is_ignored_and_replaced(cache):
    fresh = run_all(EXAMPLES)
    (entry,) = entries(cache)
    entry.write_bytes(b'{"format": "laatool-agreements-cache 4", "targets": [0, 9]}\nnot arrow')
    assert run_all(EXAMPLES) == fresh
    assert entry.read_bytes()[65:].startswith(b'{"format"') and len(entry.read_bytes()) > 100


def run_all_with_codes(root: Path, commands: list[list[str]] = COMMANDS) -> list[tuple[int, str]]:
    from typer.testing import CliRunner

    from laatool.cli import app

    results = [CliRunner().invoke(app, ["-w", str(root), *args]) for args in commands]
    return [(result.exit_code, result.stdout) for result in results]


@functools.cache
def fresh_run(folder: Path) -> tuple[list[tuple[int, str]], str, bytes]:
    """The examples' outputs with an empty cache in `folder`, and the entry that run keeps
    (its name and bytes): worked out once, for every changed entry to be tried against."""
    before = os.environ["LAATOOL_CACHE_DIR"]
    os.environ["LAATOOL_CACHE_DIR"] = str(folder)
    try:
        fresh = run_all_with_codes(EXAMPLES)
    finally:
        os.environ["LAATOOL_CACHE_DIR"] = before
    (entry,) = entries(folder)
    return fresh, entry.name, entry.read_bytes()


def changed_entry_runs(cache: Path, change, tmp_path_factory) -> None:
    """With the entry changed on disk by `change(bytes) -> bytes` and its digest left as it
    was, every command gives exactly the exit code and output of a run without a cache, and
    the entry is written afresh."""
    fresh, name, good = fresh_run(tmp_path_factory.getbasetemp() / "fresh-cache")
    cache.mkdir(parents=True, exist_ok=True)
    entry = cache / name
    entry.write_bytes(change(good))
    assert entry.read_bytes() != good
    assert run_all_with_codes(EXAMPLES) == fresh
    assert entry.read_bytes() == good


@pytest.mark.parametrize("where", [0, 10, 64, 65, 100, 300, 2000, 9000, 20000, 30000, -200, -1])
def test_an_entry_with_a_flipped_byte_is_a_miss(cache, where, tmp_path_factory):
    def flip(raw: bytes) -> bytes:
        at = where % len(raw)
        return raw[:at] + bytes([raw[at] ^ 0x10]) + raw[at + 1:]

    changed_entry_runs(cache, flip, tmp_path_factory)


@pytest.mark.parametrize("keep", [0, 1, 64, 65, 200, 14000, -1000, -1])
def test_a_truncated_entry_is_a_miss(cache, keep, tmp_path_factory):
    changed_entry_runs(cache, lambda raw: raw[:keep % len(raw)], tmp_path_factory)


def test_a_hand_edited_entry_is_a_miss(cache, tmp_path_factory):
    """A final-year target made easy to beat in an agreement's model, without the digest: the
    scores stay those of the agreements as written."""
    def edit(raw: bytes) -> bytes:
        assert b'"2010-11":"24.0"' in raw
        return raw.replace(b'"2010-11":"24.0"', b'"2010-11":"20.0"')

    changed_entry_runs(cache, edit, tmp_path_factory)


def test_an_entry_resealed_over_a_different_body_is_still_checked(cache, tmp_path_factory):
    """The digest is of the whole rest of the file: one kept from another entry does not fit."""
    changed_entry_runs(cache, lambda raw: raw[:65] + raw[65:].replace(b'"cumbria"', b'"cumbriA"', 1), tmp_path_factory)


def test_an_entry_copied_under_another_workspaces_key_is_a_miss(cache, tmp_path):
    """Two workspaces, Leeds' maximum halved in the second; the first's entry, whole and sealed,
    copied under the name of the second's: it was made from other files, so it is not read
    (the seal binds the entry to its name, and the name is the key of the files it was made
    from)."""
    halved = tmp_path / "halved"
    shutil.copytree(EXAMPLES, halved)
    leeds = halved / "agreements" / "leeds.yaml"
    leeds.write_text(leeds.read_text(encoding="utf-8").replace("maximum: 24800000.00", "maximum: 12400000.00"),
                     encoding="utf-8")
    invoke(["-w", EXAMPLES, "score"])
    (first,) = entries(cache)
    fresh = invoke(["-w", halved, "reward-grant", "--format", "json"]).stdout
    (second,) = [entry for entry in entries(cache) if entry != first]
    second.write_bytes(first.read_bytes())
    assert invoke(["-w", halved, "reward-grant", "--format", "json"]).stdout == fresh
    assert '"maximum":"12400000.00"' in fresh


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("LAATOOL_CACHE_DIR", str(blocked / "cache"))
    fresh = run_all(EXAMPLES)
    monkeypatch.setenv("LAATOOL_NO_CACHE", "1")
    assert run_all(EXAMPLES) == fresh


def test_a_pipe_in_place_of_a_cache_entry_is_a_miss_not_a_wait(tmp_path, monkeypatch):
    """Reading a named pipe would wait for a writer for ever; the entry is read as missing."""
    import os

    from laatool.load import agreement_cache

    monkeypatch.setenv("LAATOOL_CACHE_DIR", str(tmp_path))
    os.mkfifo(tmp_path / "agreements-0.bin")
    os.mkfifo(tmp_path / agreement_cache._indicators_name())
    assert agreement_cache.read("0") is None
    assert agreement_cache.read_indicators() is None


def test_a_link_in_place_of_a_cache_entry_is_replaced_not_written_through(cache, tmp_path):
    """An entry's name that is a link (to an agreement of the workspace, or to where no file
    is yet) is replaced by the entry: laatool writes no file but its own, and the agreement
    is unchanged, byte for byte."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    fresh = invoke(["-w", root, "reward-grant", "--format", "json"]).stdout
    [entry] = entries(cache)
    [indicators] = cache.glob("indicators-*")
    cumbria = root / "agreements" / "cumbria.yaml"
    before = cumbria.read_bytes()
    entry.unlink()
    entry.symlink_to(cumbria)
    indicators.unlink()
    indicators.symlink_to(tmp_path / "planted.txt")
    assert invoke(["-w", root, "reward-grant", "--format", "json"]).stdout == fresh
    assert cumbria.read_bytes() == before
    assert not (tmp_path / "planted.txt").exists()
    assert not entry.is_symlink() and not indicators.is_symlink()
    assert invoke(["-w", root, "validate"]).exit_code == 0


def test_a_relative_xdg_cache_home_is_no_setting(tmp_path, monkeypatch):
    """XDG's rule: a relative XDG_CACHE_HOME is ignored (it would put a cache in whatever
    folder a nightly script starts in); the home folder's .cache is used."""
    from laatool.load.agreement_cache import cache_dir

    monkeypatch.delenv("LAATOOL_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relcache")
    assert cache_dir() == tmp_path / ".cache" / "laatool"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "laatool"


def test_pruning_removes_only_laatools_own_entries(cache):
    """A cache folder shared with other files (LAATOOL_CACHE_DIR set to a documents folder)
    loses none of them: only names laatool gives its entries are ever pruned."""
    cache.mkdir()
    others = [cache / f"agreements-draft-{n:02d}.docx" for n in range(20)]
    others += [cache / "indicators-2010.csv", cache / "charts-leeds.svg"]
    for n, path in enumerate(others):
        path.write_text(f"a document of the user's {n}\n", encoding="utf-8")
    run_all(EXAMPLES)
    assert all(path.read_text(encoding="utf-8").startswith("a document") for path in others)
    assert len(entries(cache)) == 1


def test_a_cache_folder_inside_the_workspace_is_not_written(tmp_path, monkeypatch):
    # LAATOOL_CACHE_DIR set to the workspace's returns/ put the entries among the returns,
    # where every later run warned of them (Y017): laatool writes nothing in a workspace but -o
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    before = sorted(p.name for p in (root / "returns").iterdir())
    monkeypatch.setenv("LAATOOL_CACHE_DIR", str(root / "returns"))
    fresh = run_all(root)
    assert sorted(p.name for p in (root / "returns").iterdir()) == before
    assert run_all(root) == fresh


def _cache_named(case: str, root: Path, tmp_path: Path, monkeypatch) -> Path:
    """Point the cache into the workspace `root` the way `case` says; the workspace to run on."""
    (tmp_path / "up").symlink_to(root)  # a link higher up: up/returns is the workspace's returns/
    (tmp_path / "deep").symlink_to(root / "agreements")  # deep/.. is the workspace, not tmp_path
    (tmp_path / "link").symlink_to(root / "returns")
    if case.startswith(("xdg", "home")):
        monkeypatch.delenv("LAATOOL_CACHE_DIR")
    named = {
        "cache-dir-a-link-to-returns": ("LAATOOL_CACHE_DIR", tmp_path / "link"),
        "cache-dir-under-a-link": ("LAATOOL_CACHE_DIR", tmp_path / "up" / "returns"),
        "cache-dir-through-a-link-and-dot-dot": ("LAATOOL_CACHE_DIR", f"{tmp_path}/deep/../returns"),
        "xdg-cache-home-in-the-workspace": ("XDG_CACHE_HOME", root / "returns"),
        "xdg-cache-home-under-a-link": ("XDG_CACHE_HOME", tmp_path / "up"),
        "home-under-a-link": ("HOME", tmp_path / "up"),
    }
    if case == "workspace-a-link-cache-dir-its-real-folder":
        monkeypatch.setenv("LAATOOL_CACHE_DIR", str(root / "returns"))
        return tmp_path / "up"
    variable, value = named[case]
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv(variable, str(value))
    return root


@pytest.mark.parametrize("case", [
    "cache-dir-a-link-to-returns", "cache-dir-under-a-link", "cache-dir-through-a-link-and-dot-dot",
    "xdg-cache-home-in-the-workspace", "xdg-cache-home-under-a-link", "home-under-a-link",
    "workspace-a-link-cache-dir-its-real-folder",
])
def test_a_cache_folder_that_leads_into_the_workspace_is_not_written(case, tmp_path, monkeypatch):
    # LAATOOL_CACHE_DIR a link to returns/ (or XDG_CACHE_HOME, or HOME, reaching into the
    # workspace some other way) put agreements-….bin and indicators-….json among the returns,
    # each a Y017 warning of every later run: where the cache lies is compared as resolved
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    # validate reads (and would write) the cache as every command does; its findings would name
    # an entry written among the inputs (Y017)
    monkeypatch.setenv("LAATOOL_NO_CACHE", "1")
    fresh = invoke(["-w", root, "validate", "--format", "json"]).stdout
    monkeypatch.delenv("LAATOOL_NO_CACHE")
    workspace = _cache_named(case, root, tmp_path, monkeypatch)
    assert invoke(["-w", workspace, "validate", "--format", "json"]).stdout == fresh
    assert invoke(["-w", workspace, "validate", "--format", "json"]).stdout == fresh
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before


# A file of the cache's inputs, and an edit that changes what the agreements give: Leeds NI 8's
# final target (£800,000 becomes £765,217.39), a local indicator's polarity (its target then
# moves against it: a warning), the default scheme (one that does not exist: an error), or the
# file deleted (`None`: Leeds' target of LEEDS-03 names an unknown indicator, an error).
SAVES = [("agreements/leeds.yaml", b"2010-11: 23.0}", b"2010-11: 23.5}"),
         ("indicators/LEEDS-01.yaml", b"polarity: higher", b"polarity: lower"),
         ("laatool.yaml", b"default_scheme: lpsa2", b"default_scheme: lpsa3"),
         ("indicators/LEEDS-03.yaml", b"id: LEEDS-03", None)]


@pytest.mark.parametrize(("edited", "before", "after"), SAVES)
def test_a_file_saved_during_a_run_never_leaves_an_entry_that_disagrees_with_it(edited, before, after, cache,
                                                                                 tmp_path, monkeypatch):
    """An editor saves a new version of a file (or deletes it) just after a run has read it:
    whatever that run gives, the cache never holds results of one version under the key of
    another, so later cached runs give what runs without the cache give, with the file saved
    (or deleted) or put back."""
    import laatool.base.inputs as inputs
    import laatool.load.agreement_cache  # noqa: F401 - every reader imported before read_input is replaced
    import laatool.load.workspace  # noqa: F401

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    path = root / edited
    written = path.read_bytes()
    assert before in written
    saved = None if after is None else written.replace(before, after)
    real = inputs.read_input

    def save(version: bytes | None) -> None:
        if version is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(version)

    def read_then_save(file, *args, **kwargs):
        data = real(file, *args, **kwargs)
        if Path(file) == path and path.read_bytes() == written:
            save(saved)  # the save lands between this read and any later one
        return data

    with monkeypatch.context() as patched:
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("laatool") and getattr(module, "read_input", None) is real:
                patched.setattr(module, "read_input", read_then_save)
        run_all_with_codes(root, COMMANDS[:1])  # the entry is written by any command: validate
    assert (path.read_bytes() if path.exists() else None) == saved
    for version in (saved, written):  # as saved, then put back: the findings and the money
        save(version)
        cached = run_all_with_codes(root, COMMANDS[::2])
        with monkeypatch.context() as uncached:
            uncached.setenv("LAATOOL_NO_CACHE", "1")
            assert cached == run_all_with_codes(root, COMMANDS[::2])


@pytest.mark.parametrize(("setting", "cached"), [("1", False), ("yes", False), ("true", False), ("0", True),
                                                 ("false", True), ("No", True), ("OFF", True), (" ", True)])
def test_laatool_no_cache_false_leaves_the_cache_on(cache, monkeypatch, setting, cached):
    """The README's `1` turns the cache off; `false`, `no` and `off` used to turn it off too."""
    monkeypatch.setenv("LAATOOL_NO_CACHE", setting)
    invoke(["-w", EXAMPLES, "score", "--format", "json"])
    assert len(entries(cache)) == (1 if cached else 0)
