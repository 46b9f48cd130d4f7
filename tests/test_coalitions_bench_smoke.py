"""Smoke test of benchmarks/coalitions.py at a tiny size: the planted blocking groups are found exactly, and the
enumeration baseline runs. No time is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import coalitions as bench  # noqa: E402

from feasible.positions import load_scenario  # noqa: E402


def test_the_planted_groups_are_the_blocking_groups(tmp_path):
    generated, planted = bench.scenario(3, parties=7, red_lines=90, issues=40, demands=10, facts=4)
    assert len(planted) == 3 and all(2 <= len(g) <= 3 for g in planted)
    assert len({p for g in planted for p in g}) == sum(len(g) for g in planted)  # disjoint
    loaded = load_scenario(generated.write(tmp_path / "coalitions"))
    assert sum(len(p.red_lines) for p in loaded.parties) == 90
    seconds, solves = bench.run_coalitions(loaded, planted, 7)  # (asserts the answer is the planted one)
    assert solves > 0
    assert bench.run_enumeration(loaded, 0.5) >= 1
