"""The sweep's review fixes: the sensitivity ranks by the exact swing when it is known and says whether a sampled
swing is more than noise; a huge sample count makes a bounded task list; a sample's cheapest relaxation keeps its
own time when listing its conflicts takes all the rest; readings drawn together that cannot hold are refused
before any sample, naming them; a reading with p: 0 is never drawn.

Scenarios: tests/data/sweep/small.yaml (two disputes, a weight range of a party without a level),
separate_disputes.yaml (16 disputes on separate issues) and readings_clash.yaml (two questions whose second
readings, together, leave a level with no demand).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from feasible.positions import UserError
from feasible.positions.limits import CAPS, Limits
from feasible.positions.loader import load_scenario
from feasible.positions.uncertainty import STREAM_SPAN, Draw, ItemKind, uncertain
from feasible.solver import samples
from feasible.solver.result import Verdict
from feasible.solver.sweep import MAX_TASKS, apart, planned, sweep

DATA = Path(__file__).parent / "data" / "sweep"


# -- 1, 2: the sensitivity ------------------------------------------------------------------------------------------

def test_sensitivity_ranks_by_the_exact_swing_not_the_sampled_one():
    """South's weight range cannot change any verdict (South has no level): its exact swing is 0, yet 37 samples
    give it a sampled swing of 0.175, larger than East's (whose exact swing is 3/10). Ranked by the exact swing,
    it comes last."""
    found = sweep(load_scenario(DATA / "small.yaml"), samples=37, seed=2, workers=1, robust=False)
    names = [found.items[s.item].name for s in found.sensitivity]
    assert names == ["north/far-line", "west/troops", "east/no-troops", "south/line-at-2"]
    by_name = {found.items[s.item].name: s for s in found.sensitivity}
    line = by_name["south/line-at-2"]
    assert line.swing > by_name["east/no-troops"].swing  # the noise the ranking no longer follows
    assert line.exact_fractions == (Fraction(23, 100),) * 3 and line.exact_swing == 0
    assert (line.exact_low, line.exact_high) == (Fraction(23, 100), Fraction(23, 100))
    north = by_name["north/far-line"]
    assert north.exact_fractions == (Fraction(0), Fraction(23, 50)) and north.exact_swing == Fraction(23, 50)
    assert north.exact == (0.0, 0.46)  # the floats as before, beside the fractions


def test_without_the_exact_values_the_sampled_swing_says_whether_it_is_more_than_noise():
    found = sweep(load_scenario(DATA / "small.yaml"), samples=37, seed=2, workers=1, robust=False, exact=False)
    significant = {found.items[s.item].name: s.significant for s in found.sensitivity}
    assert significant == {"west/troops": True, "north/far-line": True, "south/line-at-2": False,
                           "east/no-troops": False}
    assert all(s.exact is None and s.exact_fractions is None and s.exact_swing is None for s in found.sensitivity)
    assert [found.items[s.item].name for s in found.sensitivity][:2] == ["west/troops", "north/far-line"]


@pytest.mark.parametrize(("values", "expected"), [
    ((("a", 100, 0), ("b", 100, 100)), True),  # never against always
    ((("a", 10, 3), ("b", 16, 2), ("c", 11, 3)), False),  # 0.30, 0.13, 0.27 of a few samples
    ((("a", 0, 0), ("b", 50, 10)), False),  # one value never drawn: nothing to compare
    ((("a", 1000, 500), ("b", 1000, 600)), True),  # 0.50 against 0.60 of a thousand each
    ((("a", 20, 10), ("b", 20, 12)), False),
])
def test_apart_compares_the_wilson_intervals_of_the_lowest_and_highest_rate(values, expected):
    assert apart(values, 0.95) is expected


# -- 3: bounded memory ----------------------------------------------------------------------------------------------

def test_a_huge_sample_count_makes_a_bounded_task_list():
    tasks = planned(10**11, 4096, processes=2)
    assert len(tasks) <= MAX_TASKS + 1
    sampled = [t for t in tasks if not t.exact]
    assert sampled[0].start == 0 and sampled[-1].stop == 10**11
    assert all(a.stop == b.start for a, b in zip(sampled, sampled[1:]))
    assert len(planned(10**11, 0, processes=2, batch_size=1)) <= MAX_TASKS  # an explicit size grows too
    assert len(planned(1000, 8, processes=2)) == 32 + 1  # small sweeps are cut as before


def test_the_samples_limit_is_capped_at_the_random_streams_span(monkeypatch):
    assert CAPS["samples"] == STREAM_SPAN
    monkeypatch.setenv("FEASIBLE_MAX_SAMPLES", str(10**14))
    assert Limits.from_environment().samples == STREAM_SPAN


def test_a_large_batch_gives_the_tally_of_small_ones(monkeypatch):
    """A worker answers a large batch a chunk at a time: the same tally as batches of that size."""
    scen = load_scenario(DATA / "small.yaml")
    whole = sweep(scen, samples=60, seed=5, workers=1, robust=False, exact=False, batch_size=60)
    monkeypatch.setattr("feasible.solver.sweep.CHUNK", 7)
    chunked = sweep(scen, samples=60, seed=5, workers=1, robust=False, exact=False, batch_size=60)
    assert chunked.tally == whole.tally


# -- 4: the cheapest relaxation keeps its time ----------------------------------------------------------------------

def test_the_cheapest_cost_is_known_though_marco_cannot_finish():
    """16 disputes on separate issues: MARCO cannot prove it has found their 16 conflicts before listing the 2**16
    maximal satisfiable sets, which no machine does in the time given; the cheapest relaxation (the cheaper red
    line of each dispute) is found in a few checks, in the share of the time kept for it."""
    made = uncertain(load_scenario(DATA / "separate_disputes.yaml"))
    engine = samples.Engine(made, time_limit=3.0)
    weight = {r.name: r.weight for p in made.scenario().parties for r in p.red_lines}
    for choices in ((0, 0), (1, 0)):  # both of A's uncertain red lines hold; the first gives way
        answer = engine.answer(Draw(choices))
        assert answer.verdict is Verdict.NO_DEAL
        disputes = [i for i in range(16) if not (i == 0 and choices[0] == 1)]
        assert answer.cost == sum(min(weight[f"a/r{i}"], weight[f"b/r{i}"]) for i in disputes)


# -- 5: readings drawn together -------------------------------------------------------------------------------------

def test_readings_that_cannot_hold_together_are_refused_before_any_sample():
    with pytest.raises(UserError) as raised:
        uncertain(load_scenario(DATA / "readings_clash.yaml"))
    message = raised.value.message
    assert message.startswith("a sample may draw the readings 'a1' (question 'qa') and 'b1' (question 'qb') "
                              "together, and they cannot hold together: ")
    assert "--reading a1 and --reading b1" not in message
    assert "p: 0" in raised.value.hint and "--reading" in raised.value.hint


def test_a_reading_fixed_with_reading_lifts_the_clash():
    made = uncertain(load_scenario(DATA / "readings_clash.yaml"), readings=["b0"])
    assert [item.name for item in made.items if item.kind is ItemKind.READING] == ["qa"]


def test_past_the_combinations_tried_the_clash_is_refused_when_drawn_with_the_same_words(monkeypatch):
    monkeypatch.setattr("feasible.positions.uncertainty.READING_COMBINATIONS_TRIED", 2)
    made = uncertain(load_scenario(DATA / "readings_clash.yaml"))
    clash = tuple(1 if item.kind is ItemKind.READING else 0 for item in made.items)
    with pytest.raises(UserError, match=r"^a sample may draw the readings 'a1' \(question 'qa'\) and 'b1' "):
        made.sample(Draw(clash))


def test_a_reading_with_p_0_is_never_drawn_nor_enumerated(tmp_path):
    """The fix the error suggests works: b1 with p: 0 is no value of its question, whose only reading left is its
    default, so the question is no item; the sweep, its exact probability and its most robust deal all run."""
    text = (DATA / "readings_clash.yaml").read_text()
    text = text.replace("b0: {title: b zero, p: 0.5}", "b0: {title: b zero, p: 1}")
    text = text.replace("    title: b one\n    p: 0.5", "    title: b one\n    p: 0")
    (tmp_path / "s.yaml").write_text(text)
    made = uncertain(load_scenario(tmp_path / "s.yaml"))
    assert [(item.name, item.values) for item in made.items] == [("qa", ("a0", "a1")), ("x/r0", (True, False))]
    found = sweep(made, samples=20, seed=0, workers=1)
    assert found.exact.probability == Fraction(3, 4) and found.robust is not None
