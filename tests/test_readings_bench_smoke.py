"""The readings-matrix benchmark's scenario (benchmarks/readings_matrix.py) loads, with 5 two-way questions (32
combinations), each alternative demoting a red line of its own. No time is measured here."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import readings_matrix  # noqa: E402

from feasible.positions import load_scenario  # noqa: E402
from feasible.positions.readings import combinations, under_readings  # noqa: E402
from feasible.solver.readings import combination_count  # noqa: E402


def test_the_benchmark_scenario_has_32_combinations_each_demoting_its_red_lines(tmp_path):
    path, demoted = readings_matrix.scenario(tmp_path / "scenario", seed=0)
    scenario = load_scenario(path)
    assert len(scenario.questions) == readings_matrix.QUESTIONS == len(demoted) == len({n for _, n in demoted})
    combos = combinations(scenario)
    assert len(combos) == combination_count(scenario) == 32
    last = under_readings(scenario, combos[-1])
    red = {r.name for r in last.red_lines}
    assert all(name not in red and last.has_rule(name) for _, name in demoted)
