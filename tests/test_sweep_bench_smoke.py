"""The sweep benchmark (benchmarks/sweep.py) at a tiny size: its Ukraine copy states the firmness it says, in the
files, and its runs agree with each other. No time is measured here."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import sweep as bench  # noqa: E402

from feasible.positions import load_scenario  # noqa: E402
from feasible.positions.uncertainty import uncertain  # noqa: E402


def test_the_ukraine_copy_states_its_firmness_in_the_files(tmp_path):
    made = uncertain(load_scenario(bench.ukraine_copy(tmp_path)))
    assert {item.name: item.probabilities[0] for item in made.items} == \
        {name: Fraction(p) for name, p in bench.UKRAINE_FIRM.items()}


def test_the_runs_agree(capsys):
    bench.ukraine(samples=30)
    out = capsys.readouterr().out
    assert out.count("| workers ") == 6 and "exact 253/1250" in out
