"""`sweep`: the same seed gives the same answer whatever the workers, batches, memo or path; Ctrl-C keeps whole
batches; the tally is read as documented (docs/uncertainty.md, "Reading a sweep").

Scenarios: the shipped Ukraine scenario with firmness put on the red lines of its two conflicts (and on two
others), and the lake of tests/test_uncertainty.py (readings with `p:`, a party with a level, weight ranges).
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions import UserError
from feasible.positions.loader import load_scenario
from feasible.positions.model import Scenario
from feasible.positions.edits import Edits
from feasible.positions.uncertainty import Draw, Uncertain, every_draw, uncertain
from feasible.solver import samples
from feasible.solver.result import Verdict
from feasible.solver.search import Control
from feasible.solver.sweep import (Interval, Sweep, Tally, interval, sensitivity, swept_conflicts, sweep, total,
                                   wilson)
from solver_support.build import bool_issue, issues_of, party, scenario
from test_uncertainty import lake as uncertain_lake  # noqa: F401 (a fixture, asked for by name)

UKRAINE_FIRMNESS = {
    "europe/european-led-force": Fraction(6, 10), "russia/no-western-troops": Fraction(9, 10),
    "russia/donbas-withdrawal": Fraction(8, 10), "ukraine/no-unilateral-withdrawal": Fraction(7, 10),
    "italy/no-italian-troops-in-ukraine": Fraction(1, 2), "poland/no-polish-troops-in-ukraine": Fraction(95, 100)}


def with_firmness(scen: Scenario, firm: dict[str, Fraction]) -> Scenario:
    """The scenario with these red lines given these firmness estimates (on the model, as the loader puts them)
    and every other red line firm, whatever the shipped files estimate: the tests' figures follow from these."""
    parties = tuple(replace(p, red_lines=tuple(replace(r, firm=firm.get(r.name), firm_note=None)
                                               for r in p.red_lines)) for p in scen.parties)
    assert {r.name for p in parties for r in p.red_lines if r.firm is not None} == set(firm)
    return replace(scen, parties=parties)


@pytest.fixture(scope="module")
def ukraine() -> Scenario:
    return with_firmness(load_scenario("ukraine-2026"), UKRAINE_FIRMNESS)


@pytest.fixture(scope="module")
def lake(request) -> Uncertain:
    """The lake with its uncertainty and, as a what-if edit, a cap South's red line forbids when it holds."""
    return uncertain(request.getfixturevalue("uncertain_lake"), edits=Edits(set=("extraction_cap=800",)))


def answer_only(swept: Sweep) -> Sweep:
    """The sweep without how it ran (statistics: time, workers, memo hits)."""
    return replace(swept, statistics=None)


# -- the same seed, the same answer --------------------------------------------------------------------------------

def test_the_same_seed_gives_the_same_sweep_whatever_the_batches_and_the_memo(lake):
    first = sweep(lake, samples=120, seed=5, workers=1, robust=False)
    assert first.tally.samples == 120 and first.tally.undecided == 0
    assert first.tally.deals and first.tally.no_deals  # (a sweep with something to count)
    for batch_size in (1, 7, 120):
        assert answer_only(sweep(lake, samples=120, seed=5, workers=1, robust=False,
                                 batch_size=batch_size)) == answer_only(first)
    assert answer_only(sweep(lake, samples=120, seed=5, workers=1, robust=False, memoise=False)) == \
        answer_only(first)
    assert sweep(lake, samples=120, seed=6, workers=1, robust=False, exact=False).tally != first.tally


@pytest.mark.slow  # worker processes
def test_two_worker_processes_give_the_same_sweep(ukraine):
    alone = sweep(ukraine, samples=300, seed=11, workers=1, robust=False)
    together = sweep(ukraine, samples=300, seed=11, workers=2, robust=False, batch_size=13)
    assert together.statistics.engine == "local:2" and alone.statistics.engine == "in-process"
    assert answer_only(together) == answer_only(alone)
    assert together.tally == total([sweep(ukraine, samples=150, seed=11, workers=1, robust=False).tally,
                                    _samples_from(ukraine, 11, 150, 300)])


@pytest.mark.slow  # a cluster of worker processes
def test_a_dask_cluster_gives_the_same_sweep(ukraine):
    distributed = pytest.importorskip("distributed", reason="Dask is not installed: pip install 'feasible[cluster]'")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=2, dashboard_address=None) as dask:
        there = sweep(ukraine, samples=300, seed=11, robust=False, cluster=dask.scheduler_address, batch_size=17)
    here = sweep(ukraine, samples=300, seed=11, workers=1, robust=False)
    assert there.statistics.engine == f"dask:{dask.scheduler_address}" and there.statistics.workers == 0
    assert answer_only(there) == answer_only(here)


def _samples_from(scen: Scenario, seed: int, start: int, stop: int) -> Tally:
    """The tally of samples start..stop-1 alone (a batch of its own)."""
    from feasible.solver.sweep import Span, SweepSpec, sweep_batch

    spec = SweepSpec(f"a batch alone {seed} {start}", uncertain(scen), seed, 10.0, True)
    return sweep_batch(spec, Span(start, stop)).tally


def test_a_tally_is_the_sum_of_its_batches_in_any_order(ukraine):
    whole = _samples_from(ukraine, 3, 0, 90)
    parts = [_samples_from(ukraine, 3, a, b) for a, b in ((0, 10), (10, 55), (55, 90))]
    assert total(parts) == total(reversed(parts)) == whole
    assert Tally() + whole == whole + Tally() == whole


counts = st.integers(0, 5)


@st.composite
def tallies(draw) -> Tally:
    keys = st.sampled_from([("a/x",), ("a/x", "b/y"), ("b/y", "c/z")])
    return Tally(*(draw(counts) for _ in range(6)), tuple((draw(counts), draw(counts)) for _ in range(3)),
                 tuple(sorted(draw(st.dictionaries(keys, st.integers(1, 5))).items())),
                 tuple(sorted(draw(st.dictionaries(st.sampled_from(["a/x", "b/y"]), st.integers(1, 5))).items())),
                 tuple(sorted(draw(st.dictionaries(st.integers(0, 4), st.integers(1, 5))).items())),
                 draw(counts), draw(counts))


@settings(max_examples=examples(100), deadline=None)
@given(tallies(), tallies(), tallies())
def test_adding_tallies_is_associative_and_commutative(a, b, c):
    assert (a + b) + c == a + (b + c) and a + b == b + a and a + Tally() == a


# -- Ctrl-C --------------------------------------------------------------------------------------------------------

def test_ctrl_c_keeps_the_whole_batches_done(ukraine):
    control = Control()

    def progress(done: int, asked: int) -> None:
        assert asked == 200
        if done >= 40:
            control.interrupt()

    swept = sweep(ukraine, samples=200, seed=2, workers=1, robust=False, exact=False, batch_size=20,
                  control=control, progress=progress)
    assert swept.partial and swept.tally.samples == 40
    assert swept.tally == sweep(ukraine, samples=40, seed=2, workers=1, robust=False, exact=False).tally
    assert swept.probability is not None and swept.samples_asked == 200


def test_a_batch_cut_in_the_middle_is_dropped_whole(ukraine, monkeypatch):
    control = Control()
    answered = [0]
    original = samples.Engine.answer

    def answer(self, drawn, what=samples.FULL):
        answered[0] += 1
        if answered[0] == 50:  # the 10th sample of the 3rd batch: Ctrl-C while it runs
            control.interrupt()
        return original(self, drawn, what)

    monkeypatch.setattr(samples.Engine, "answer", answer)
    swept = sweep(ukraine, samples=100, seed=4, workers=1, robust=False, exact=False, batch_size=20,
                  control=control)
    assert swept.partial and swept.tally.samples == 40  # not 49, nor 60


def test_keyboard_interrupt_in_this_process_keeps_the_whole_batches_done(ukraine, monkeypatch):
    answered = [0]
    original = samples.Engine.answer

    def answer(self, drawn, what=samples.FULL):
        answered[0] += 1
        if answered[0] == 35:
            raise KeyboardInterrupt
        return original(self, drawn, what)

    monkeypatch.setattr(samples.Engine, "answer", answer)
    swept = sweep(ukraine, samples=100, seed=4, workers=1, robust=False, exact=False, batch_size=10)
    assert swept.partial and swept.tally.samples == 30


def test_interrupted_before_every_combination_there_is_no_exact_probability(ukraine):
    control = Control()
    control.interrupt()
    swept = sweep(ukraine, samples=10, workers=1, robust=False, control=control)
    assert swept.partial and swept.tally.samples == 0 and swept.probability is None
    assert swept.exact.probability is None and "interrupted" in swept.exact.reason


# -- what is read from the tally -----------------------------------------------------------------------------------

def test_ukraine_sweep_counts_its_two_conflicts_and_their_families(ukraine):
    swept = sweep(ukraine, samples=400, seed=1, workers=1, robust=False)
    tally = swept.tally
    assert tally.samples == tally.deals + tally.no_deals == 400
    assert tally.conflicts_cut == tally.conflicts_unknown == tally.cost_unknown == tally.facts_conflict == 0
    troops = ("europe/european-led-force", "russia/no-western-troops")
    land = ("russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal")
    by_names = {c.red_lines: c for c in swept.conflicts}
    assert set(by_names) == {troops, land}
    assert [c.samples for c in swept.conflicts] == sorted((c.samples for c in swept.conflicts), reverse=True)
    assert {c.family for c in swept.conflicts} == {1, 2} and len(swept.families) == 2
    assert by_names[troops].parties == ("europe", "russia")
    # a sample has no deal exactly when one of the two conflicts holds in it (both, in some)
    assert max(c.samples for c in swept.conflicts) <= tally.no_deals <= sum(c.samples for c in swept.conflicts)
    assert dict(swept.red_line_shares) == {name: by_names[c].samples for c in (troops, land) for name in c}
    assert sum(n for _, n in tally.costs) == tally.no_deals
    # exact: P(deal) = P(some red line of each conflict gives way)
    p = {name: UKRAINE_FIRMNESS[name] for name in troops + land}
    expected = (1 - p[troops[0]] * p[troops[1]]) * (1 - p[land[0]] * p[land[1]])
    assert swept.exact.probability == expected and swept.exact.combinations == 2 ** 6
    low, high = swept.probability.low, swept.probability.high
    assert low <= swept.probability.estimate == tally.deals / 400 <= high


def test_sensitivity_ranks_the_items_by_swing_with_the_exact_conditionals(ukraine):
    swept = sweep(ukraine, samples=300, seed=8, workers=1, robust=False)
    names = [swept.items[s.item].name for s in swept.sensitivity]
    swings = [s.exact_swing for s in swept.sensitivity]  # with the exact conditionals, ranked by them
    assert swings == sorted(swings, reverse=True)
    # red lines in no conflict do not move the probability at all
    for s in swept.sensitivity:
        if names[swept.sensitivity.index(s)] in ("italy/no-italian-troops-in-ukraine",
                                                  "poland/no-polish-troops-in-ukraine"):
            assert s.exact[0] == s.exact[1] == float(swept.exact.probability)
        labels = [label for label, _, _ in s.values]
        assert labels == ["holds", "gives way"]
        rates = [deals / n for _, n, deals in s.values if n]
        assert (s.low, s.high) == (min(rates), max(rates)) and math.isclose(s.swing, s.high - s.low)
        assert sum(n for _, n, _ in s.values) == swept.tally.decided
    assert set(names[:4]) == {"europe/european-led-force", "russia/no-western-troops", "russia/donbas-withdrawal",
                              "ukraine/no-unilateral-withdrawal"}


def test_levels_readings_and_weights_split_into_compile_keys(lake):
    """The lake: East has a level (its firmness and weights are part of the compile key), readings with p."""
    made = lake
    engine = samples.Engine(made, 30.0)
    keys = {engine.split(each)[0] for each in every_draw(made.items)}
    reading_and_east = [i for i, item in enumerate(made.items) if item.kind.value == "reading" or
                        item.party == "east"]
    assert len(keys) == math.prod(len(made.items[i].values) for i in reading_and_east)
    swept = sweep(made, samples=60, seed=0, workers=1, robust=False)
    assert swept.exact.probability is not None and swept.statistics.sample_keys <= len(keys)


def test_facts_that_cannot_hold_are_counted_apart():
    issues = issues_of(bool_issue("a"))
    scen = scenario(issues, [party("x", ["a"]), party("y", ["not a"])], facts=["a", "not a"])
    scen = with_firmness(scen, {"x/r0": Fraction(1, 2)})
    swept = sweep(scen, samples=10, workers=1, robust=False)
    assert swept.tally.no_deals == swept.tally.facts_conflict == 10
    assert swept.tally.conflicts == () and swept.tally.costs == () and swept.conflicts == ()
    assert swept.exact.probability == 0


def test_undecided_samples_are_counted_and_left_out_of_every_estimate(ukraine, monkeypatch):
    original = samples.CompiledKey.answer

    def answer(self, firm, what):  # the samples in which Italy's red line holds run out of time
        if "italy/no-italian-troops-in-ukraine" in firm:
            return samples.Answer(Verdict.UNKNOWN)
        return original(self, firm, what)

    monkeypatch.setattr(samples.CompiledKey, "answer", answer)
    swept = sweep(ukraine, samples=200, seed=3, workers=1, robust=False)
    tally = swept.tally
    italy = next(s for s in swept.sensitivity if swept.items[s.item].name == "italy/no-italian-troops-in-ukraine")
    held = dict((label, n) for label, n, _ in italy.values)
    assert tally.undecided > 0 and tally.decided == 200 - tally.undecided and held["holds"] == 0
    assert swept.probability.estimate == tally.deals / tally.decided
    assert swept.exact.probability is None and "undecided" in swept.exact.reason


def test_a_scenario_without_uncertainty_is_one_combination():
    issues = issues_of(bool_issue("a"))
    scen = scenario(issues, [party("x", ["a"]), party("y", ["a"])])
    swept = sweep(scen, samples=5, workers=1, robust=False)
    assert swept.items == () and swept.exact.probability == 1 and swept.exact.combinations == 1
    assert swept.tally.deals == 5 and swept.sensitivity == ()
    assert swept.probability == Interval(1.0, wilson(5, 5, 0.95)[0], 1.0, 0.95)


def test_exact_probability_not_asked_or_past_its_limits(ukraine):
    assert sweep(ukraine, samples=5, workers=1, robust=False, exact=False).exact.probability is None
    many = with_firmness(load_scenario("ukraine-2026"),
                         {r.name: Fraction(1, 2) for r in load_scenario("ukraine-2026").red_lines
                          if not r.is_acceptance})
    swept = sweep(many, samples=5, workers=1, robust=False)
    assert swept.exact.probability is None and "more than the 12" in swept.exact.reason
    assert swept.exact.combinations == 0 and all(s.exact is None for s in swept.sensitivity)


def test_wilson_interval():
    low, high = wilson(5, 10, 0.95)  # the textbook example (Newcombe 1998, table I)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    assert wilson(0, 10, 0.95)[0] == 0.0 and round(wilson(0, 10, 0.95)[1], 4) == 0.2775
    assert wilson(10, 10, 0.95)[1] == 1.0
    assert interval(Tally(samples=3, undecided=3), 0.95) is None


def test_reading_an_empty_tally():
    assert swept_conflicts(Tally()) == ((), ())


@pytest.mark.parametrize("arguments, message", [
    ({"samples": 0}, "1 to 10,000,000 samples"), ({"seed": -1}, "outside"), ({"seed": 2**40}, "outside"),
    ({"confidence": 1.0}, "between 0 and 1"), ({"time_limit": 0}, "positive"), ({"workers": 0}, "at least 1"),
    ({"batch_size": 0}, "at least 1")])
def test_bad_arguments_are_refused_before_any_work(ukraine, arguments, message):
    with pytest.raises(UserError, match=message):
        sweep(ukraine, **arguments)


def test_the_sample_limit_can_be_raised(ukraine, monkeypatch):
    monkeypatch.setenv("FEASIBLE_MAX_SAMPLES", "3")
    with pytest.raises(UserError, match="1 to 3 samples") as refused:
        sweep(ukraine, samples=4)
    assert "FEASIBLE_MAX_SAMPLES" in refused.value.hint
    assert sweep(ukraine, samples=3, workers=1, robust=False, exact=False).tally.samples == 3


def test_exact_conditional_of_a_value_that_never_happens_is_none():
    issues = issues_of(bool_issue("a"))
    scen = with_firmness(scenario(issues, [party("x", ["a"]), party("y", ["not a"])]), {"x/r0": Fraction(0)})
    swept = sweep(scen, samples=5, workers=1, robust=False)
    assert swept.exact.probability == 1 and swept.sensitivity[0].exact == (None, 1.0)
    assert swept.sensitivity[0].values == (("holds", 0, 0), ("gives way", 5, 5))
    assert sensitivity(swept.items, Tally(), swept.exact)[0].values == (("holds", 0, 0), ("gives way", 0, 0))
    assert Draw((1,)) in list(every_draw(swept.items))
