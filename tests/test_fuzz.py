"""A bounded fuzz test: random mutations of `examples/` never crash or hang a command.

Each mutation (byte flips, truncation, duplicated, dropped or swapped lines, inserted
garbage, and changes of structure: XLSX zip parts and sheet XML, CSV returns rewritten as
Parquet with its footer or row groups damaged, YAML nesting, aliases and keys; see
tests/fuzzing.py) must leave validate, score, reward-grant and project ending with exit 0,
1 or 2, no traceback, within a time bound. CI runs FUZZ_RUNS (default 30) seeds;
`make fuzz` runs 300.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from conftest import EXAMPLES
from fuzzing import fuzz_one

RUNS = int(os.environ.get("FUZZ_RUNS", "30"))
FIRST = int(os.environ.get("FUZZ_FIRST", "0"))
SECONDS = int(os.environ.get("FUZZ_SECONDS", "30"))  # a hang, not a loaded machine


# The seeds in this many parts, each a test of its own, so that test workers share them.
PARTS = 3


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGALRM"), reason="needs SIGALRM (POSIX)")
@pytest.mark.parametrize("part", range(PARTS))
def test_mutated_examples_end_cleanly(tmp_path, part):
    failures, exits, slowest = [], Counter(), (0.0, "")
    seeds = range(FIRST + part, FIRST + RUNS, PARTS)
    for number in seeds:
        done, outcomes = fuzz_one(EXAMPLES, tmp_path, number, SECONDS)
        for outcome in outcomes:
            exits[outcome.exit_code] += 1
            slowest = max(slowest, (outcome.seconds, f"seed {number} {outcome.command}"))
            if outcome.problem:
                failures.append(f"seed {number} ({'; '.join(done)}): {outcome.command}: {outcome.problem}")
    summary = ", ".join(f"exit {code}: {n}" for code, n in sorted(exits.items()))
    print(f"\nfuzz: {len(seeds)} mutations (seeds {FIRST + part}..{FIRST + RUNS - 1} by {PARTS}), "
          f"{sum(exits.values())} runs; {summary}; slowest {slowest[0]:.2f} s ({slowest[1]})")
    assert failures == [], "\n".join(failures)


# Seeds that once found a defect, run in every suite: 95173 damaged a Parquet row group so that
# polars panicked reading it (exit 3; now Y006).
FOUND = (95173,)


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGALRM"), reason="needs SIGALRM (POSIX)")
@pytest.mark.parametrize("number", FOUND)
def test_seeds_that_once_found_a_defect_end_cleanly(tmp_path, number):
    done, outcomes = fuzz_one(EXAMPLES, tmp_path, number, SECONDS)
    assert [f"{outcome.command}: {outcome.problem}" for outcome in outcomes if outcome.problem] == [], done
