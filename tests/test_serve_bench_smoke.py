"""benchmarks/serve_latency.py: the seeded toggles always change the what-if, the figures (median, nearest-rank
95th percentile) and the table; and a run with 3 toggles on Ukraine in the browser (skipped without chromium)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import serve_latency  # noqa: E402

RULES = [f"p{i}/r{j}" for i in range(3) for j in range(4)]
PICKERS = {"flag": ["", "true", "false"], "colour": ["", "red", "green", "blue"], "none": [""]}


def test_the_toggles_are_seeded_and_each_changes_the_what_if():
    chosen = serve_latency.toggles(RULES, PICKERS, 200)
    assert chosen == serve_latency.toggles(RULES, PICKERS, 200)
    assert chosen != serve_latency.toggles(RULES, PICKERS, 200, seed=serve_latency.SEED + 1)
    states: dict[str, str] = {}
    pinned: dict[str, str] = {}
    for toggle in chosen:
        if toggle.kind == "rule":
            assert toggle.value in serve_latency.STATES and toggle.value != states.get(toggle.name, "keep")
            states[toggle.name] = toggle.value
        else:
            assert toggle.name in ("flag", "colour")  # an issue with values to pin
            assert toggle.value in PICKERS[toggle.name] and toggle.value != pinned.get(toggle.name, "")
            pinned[toggle.name] = toggle.value
            pinned = {name: value for name, value in pinned.items() if value}
            assert len(pinned) <= serve_latency.MAX_PINS
    kinds = {toggle.kind for toggle in chosen}
    assert kinds == {"rule", "issue"} and {t.value for t in chosen if t.kind == "issue"} >= {"", "red", "true"}


def test_the_toggles_without_value_pickers_are_red_lines_only():
    assert {t.kind for t in serve_latency.toggles(RULES, {"none": [""]}, 30)} == {"rule"}


def test_the_95th_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(100, 0, -1)]
    assert serve_latency.percentile(values, 0.95) == 95.0
    assert serve_latency.percentile([3.0], 0.95) == 3.0
    assert serve_latency.percentile([1.0, 2.0], 0.95) == 2.0


def test_the_table_shows_each_scenario_side_by_side_with_the_processes_and_the_load():
    measured = serve_latency.Measured("ukraine-2026", red_lines=40, first_ms=[40.0, 60.0, 50.0],
                                      complete_ms=[300.0, 500.0, 400.0], verdicts=["deal", "no-deal", "deal"],
                                      commands=["feasible check x"] * 3, process_ms=[900.0, 1100.0, 12_345.0])
    text = serve_latency.table([measured], 0.4)
    assert text.startswith(serve_latency.BEGIN) and text.endswith(serve_latency.END)
    row = next(line for line in text.splitlines() if line.startswith("| ukraine-2026"))
    assert row == ("| ukraine-2026 | 40 | 3 (2 deal, 1 no-deal) | 50 ms / 60 ms | 400 ms / 500 ms | 1100 ms / 12.3 s; "
                   f"verdict as the page's: 3 of 3 | {serve_latency.GOALS['ukraine-2026']} |")
    assert "other processes kept 0.4 of" in text
    assert "`python benchmarks/serve_latency.py --scenarios ukraine-2026 --toggles 3`" in text
    planted = serve_latency.Measured("planted-2000", red_lines=2000, first_ms=[900.0], complete_ms=[9000.0],
                                     verdicts=["no-deal"], commands=["feasible check y"], process_ms=[16_000.0],
                                     process_errors=["`feasible check z` exited 4: internal error"],
                                     disagreements=["`feasible check y`: the page said no-deal, the process deal"])
    both = serve_latency.table([measured, planted], None)
    assert "--scenarios ukraine-2026,planted-2000 --toggles 3 --planted-toggles 1`" in both
    assert ("| planted-2000 | 2000 | 1 (1 no-deal) | 900 ms / 900 ms | 9000 ms / 9000 ms | "
            "16.0 s / 16.0 s (1 failed, not timed); verdict as the page's: 0 of 1 |") in both


@pytest.mark.slow
@pytest.mark.skipif(serve_latency.chromium_path() is None, reason="chromium is not installed (.ci/run installs it)")
def test_three_toggles_on_ukraine_in_the_browser():
    pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[test]')")
    results, _ = serve_latency.measure({serve_latency.UKRAINE: 3})
    (measured,) = results
    assert len(measured.verdicts) == len(measured.commands) == len(measured.process_ms) == 3
    assert len(measured.complete_ms) == 3 and all(ms >= 0 for ms in measured.complete_ms)
    assert len(measured.first_ms) == 3 and all(0 <= f <= c for f, c in zip(measured.first_ms, measured.complete_ms))
    assert set(measured.verdicts) <= {"deal", "no-deal", "unknown"}
    assert measured.disagreements == []  # the command line the page shows answers as the page did
    assert all(line.startswith("feasible check ") for line in measured.commands)
