"""The sweep benchmark (benchmarks/sweep.py) at a tiny size: its runs agree with each other and with the exact
value. No time is measured here."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import sweep as bench  # noqa: E402


def test_the_runs_agree(capsys):
    bench.ukraine(samples=30, cluster=None)
    out = capsys.readouterr().out
    assert out.count("| in this process") == 2 and out.count("| 2 local workers") == 1
    assert "`feasible sweep --samples 30`" in out and "exact 112/625" in out
