"""The README's example commands are the ones that work, and show what the README shows."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import REPO, invoke

README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n\$ (laatool [^\n]+)\n(.*?)```", README, flags=re.S)


def test_the_readme_opens_with_the_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, flags=re.S).group(1)
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make demo", "make test"]


@pytest.mark.parametrize("command,shown", BLOCKS, ids=[c for c, _ in BLOCKS])
def test_readme_command_runs_and_starts_as_shown(command, shown, monkeypatch):
    monkeypatch.chdir(REPO)
    args = shlex.split(command)[1:]
    result = invoke(args)
    assert result.stdout.splitlines()[0].strip() == shown.splitlines()[0].strip()
