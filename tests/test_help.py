"""Every command's `--help` lists its exit codes (DESIGN.md §7, §11), from the one table in
`laatool.cli.common`; a command that never exits 1 does not list it."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES, invoke
from laatool.cli.common import EXIT_CODES, INVALID
from laatool.launch import READS_NO_RETURNS, READS_RETURNS


def codes_listed(text: str) -> dict[int, str]:
    block = text.split("Exit codes:")[1]
    listed = {}
    for match in re.finditer(r"^ +(\d+) +(.+(?:\n {7,}\S.*)*)", block, flags=re.M):
        listed[int(match.group(1))] = " ".join(match.group(2).split())
    return listed


@pytest.mark.parametrize("command", [*READS_RETURNS, *READS_NO_RETURNS, None])
def test_help_lists_the_exit_codes(command):
    args = [command, "--help"] if command else ["--help"]
    out = invoke(args, env={"COLUMNS": "80"}).stdout
    listed = codes_listed(out)
    expected = {**EXIT_CODES, **({1: INVALID[command or "laatool"]} if (command or "laatool") in INVALID else {})}
    assert listed == expected
    assert max(len(line) for line in out.splitlines()) <= 80


def test_the_commands_that_exit_1_for_their_data_say_when():
    assert set(INVALID) == {"validate", "score", "reward-grant", "project", "opportunities", "benchmark", "template",
                            "report", "laatool"}
    out = invoke(["validate", "--help"]).stdout
    assert "--fail-on" in codes_listed(out)[1]


@pytest.mark.parametrize("command", ["score", "reward-grant", "project", "opportunities", "report"])
def test_area_help_says_a_name_is_taken_too(command):
    # `--area "Stockton-on-Tees"` and `--area STOCKTON` are stockton's, as the README says
    out = " ".join(invoke([command, "--help"], env={"COLUMNS": "80"}).stdout.split())
    assert "its slug, its agreement's name or its ONS code, in any case" in out


def test_indicators_help_says_what_the_query_matches():
    out = " ".join(invoke(["indicators", "--help"], env={"COLUMNS": "80"}).stdout.split())
    assert "in titles, sources and notes, or an id in any spelling" in out
    assert "NI 154" in invoke(["indicators", "reconciliation"]).stdout  # NI 154's source alone
    assert "NI 154" in invoke(["indicators", "demolitions"]).stdout  # NI 154's notes alone


@pytest.mark.parametrize("args", [
    ["score", "--period", "2009-10", "--period", "2010-11"],
    ["score", "-p", "2009-10", "-p2010-11"],
    ["reward-grant", "--format", "json", "--format=csv"],
    ["project", "--method", "linear", "--method", "last-change"],
    ["benchmark", "--period", "2009-10", "-p", "2010-11"],
    ["-w", "elsewhere", "score"],
])
def test_an_option_of_one_value_given_twice_is_refused_not_the_last_taken(args):
    result = invoke(["-w", EXAMPLES, *args], 2)
    assert "given 2 times: give it once" in result.stderr and result.stdout == ""


def test_options_of_several_values_and_flags_may_be_repeated():
    invoke(["-w", EXAMPLES, "score", "-a", "leeds", "-a", "stockton", "--format", "json"])
    invoke(["-w", EXAMPLES, "indicators", "--statutory", "--statutory"])
