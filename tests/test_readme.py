"""The README's example commands are the ones that work, and show what the README shows."""

from __future__ import annotations

import json
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
def test_readme_command_runs_and_shows_what_the_readme_shows(command, shown, monkeypatch):
    """What a block shows is the output (stdout, then stderr's summary), line for line but for
    trailing spaces; a line `…` leaves lines out, and the lines after it follow in order."""
    monkeypatch.chdir(REPO)
    args = shlex.split(command)[1:]
    result = invoke(args)
    printed = [line.rstrip() for line in (result.stdout + result.stderr).rstrip("\n").splitlines()]
    parts: list[list[str]] = [[]]
    for line in shown.rstrip("\n").splitlines():
        if line.strip() == "…":
            parts.append([])
        else:
            parts[-1].append(line.rstrip())
    if len(parts) == 1:
        assert printed == parts[0]
        return
    assert printed[:len(parts[0])] == parts[0]
    at = len(parts[0])
    for part in filter(None, parts[1:]):
        found = next((i for i in range(at, len(printed) - len(part) + 1) if printed[i:i + len(part)] == part), None)
        assert found is not None, f"not in the output after line {at}: {part}"
        at = found + len(part)


def test_readme_json_rows_of_project_and_opportunities_are_the_commands_own(monkeypatch):
    """The row shown for each is the command's row on examples/, every key in its order."""
    monkeypatch.chdir(REPO)
    rows = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", README, flags=re.S)]
    projected = next(row for row in rows if "projected_reward" in row)
    project = json.loads(invoke(["-w", "examples", "project", "--area", "stockton", "--as-at", "2010-11 Q2",
                                 "--format", "json"]).stdout)
    real = next(row for row in project["areas"][0]["rows"] if row["indicator"] == projected["indicator"])
    assert list(projected.items()) == list(real.items())
    opportunity = next(row for row in rows if "gain_at_full" in row)
    opportunities = json.loads(invoke(["-w", "examples", "opportunities", "--area", "stockton",
                                       "--format", "json"]).stdout)
    assert list(opportunity.items()) == list(opportunities["rows"][0].items())


def test_every_short_option_is_named_in_the_readme_with_its_long_form():
    """The README's synopsis shows the long options; the line beneath it names each short form
    any command takes (`-a` for `--area`), so a script's `-a leeds` can be looked up there."""
    import typer.main

    from laatool.cli import app

    root = typer.main.get_command(app)
    taken = {(short, long) for command in [root, *root.commands.values()]
             for sub in [command, *getattr(command, "commands", {}).values()] for param in sub.params
             for short in param.opts + param.secondary_opts if re.fullmatch("-[a-z]", short)
             for long in param.opts if long.startswith("--")}
    taken.add(tuple(root.context_settings["help_option_names"]))  # click's own option, not a parameter
    paragraph = README.split("\nShort forms")[1].split("\n\n")[0]
    named = set(re.findall(r"`(-[a-z])` `(--[a-z-]+)`", paragraph))
    assert named == taken
