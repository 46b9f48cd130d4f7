"""The sequences benchmark (benchmarks/sequences.py) at a small size: its planted cycles are exactly the conflicts
found, each shown as a cycle; and the full-size scenario has 12 steps and 40 order red lines. No time is measured."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import sequences  # noqa: E402

from feasible.positions import load_scenario  # noqa: E402
from feasible.positions.sequences import order_cycle, order_edge  # noqa: E402


def test_the_planted_cycles_are_the_conflicts(tmp_path):
    doc, expected = sequences.scenario(0, steps=8, rules=14, cycles=2)
    loaded = load_scenario(sequences.write(doc, tmp_path / "seq"))
    found, complete = sequences.all_conflicts(loaded)
    assert complete and found == {frozenset(c) for c in expected}
    assert all(order_cycle([(n, order_edge(loaded.rule(n).expr)) for n in sorted(c)]) for c in found)


def test_the_full_size_scenario(tmp_path):
    doc, expected = sequences.scenario(0)
    loaded = load_scenario(sequences.write(doc, tmp_path / "seq"))
    assert len(loaded.issues["timeline"].steps) == sequences.STEPS == 12
    assert len(loaded.red_lines) == sequences.RULES == 40 and len(expected) == sequences.CYCLES
