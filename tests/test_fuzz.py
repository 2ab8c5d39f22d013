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


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGALRM"), reason="needs SIGALRM (POSIX)")
def test_mutated_examples_end_cleanly(tmp_path):
    failures, exits, slowest = [], Counter(), (0.0, "")
    for number in range(FIRST, FIRST + RUNS):
        done, outcomes = fuzz_one(EXAMPLES, tmp_path, number, SECONDS)
        for outcome in outcomes:
            exits[outcome.exit_code] += 1
            slowest = max(slowest, (outcome.seconds, f"seed {number} {outcome.command}"))
            if outcome.problem:
                failures.append(f"seed {number} ({'; '.join(done)}): {outcome.command}: {outcome.problem}")
    summary = ", ".join(f"exit {code}: {n}" for code, n in sorted(exits.items()))
    print(f"\nfuzz: {RUNS} mutations (seeds {FIRST}..{FIRST + RUNS - 1}), {3 * RUNS} runs; {summary}; "
          f"slowest {slowest[0]:.2f} s ({slowest[1]})")
    assert failures == [], "\n".join(failures)
