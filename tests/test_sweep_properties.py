"""A sweep's samples and its exact probability against brute force, on small random scenarios with uncertainty.

The scenarios come from tests/solver_support (tiny issues, random red lines and demands, sometimes an
accept_at_least level), given random firmness on some red lines (a grid of 0, 0.1 .. 0.9), weight ranges on some
demands, and red-line weights of 1 to 3. The brute force is `Uncertain.sample` (THE definition of a sample) and
every assignment of the sample's issues judged by the plain evaluator: whether a deal exists, every minimal
conflict of the red lines (given the facts) and the cheapest set of red lines to give up.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.model import Scenario
from feasible.positions.uncertainty import Draw, every_draw, uncertain
from feasible.solver import samples
from feasible.solver.evaluate import holds
from feasible.solver.explain.algorithms import mcses_brute_force, muses_brute_force
from feasible.solver.result import Verdict
from feasible.solver.samples import FULL, Engine
from feasible.solver.sweep import sweep
from solver_support.oracle import assignments
from solver_support.strategies import scenarios

FIRMNESS = [Fraction(n, 10) for n in range(10)]  # 0 (always gives way) to 0.9


@st.composite
def uncertain_scenarios(draw) -> Scenario:
    """A small random scenario with firmness on some red lines, weight ranges on some demands (around their
    weights, so that the levels built on the nominal weights stay right) and red-line weights of 1 to 3."""
    scen = draw(scenarios())
    red = [r.name for p in scen.parties for r in p.red_lines]
    demands = [r.name for r in scen.demands]
    # a few uncertain items (every draw is enumerated by the brute force), at least one
    ranged = draw(st.lists(st.sampled_from(demands), unique=True, max_size=2))
    count = draw(st.integers(0 if ranged else 1, 3))
    firm = draw(st.lists(st.sampled_from(red), unique=True, min_size=min(count, len(red)), max_size=count))

    def red_line(rule):
        weight = draw(st.integers(1, 3))
        return replace(rule, weight=weight, firm=draw(st.sampled_from(FIRMNESS)) if rule.name in firm else None)

    def demand(rule):
        if rule.name not in ranged:
            return rule
        low = max(1, rule.weight - draw(st.integers(0, 1)))
        return replace(rule, weight_range=(low, 2 * rule.weight + 1 - low))  # nominal: (low + high) // 2

    parties = tuple(replace(p, red_lines=tuple(map(red_line, p.red_lines)), demands=tuple(map(demand, p.demands)))
                    for p in scen.parties)
    return replace(scen, parties=parties)


def brute_force(sample: Scenario) -> tuple[Verdict, bool, set[frozenset] | None, int | None]:
    """The verdict, whether the facts alone conflict, every minimal conflict of the red lines and the cheapest
    relaxation's cost (None for both when the facts conflict or there is a deal)."""
    met = [frozenset(r.name for r in sample.red_lines if holds(r, sample.issues, deal))
           for deal in assignments(sample.issues) if all(holds(f, sample.issues, deal) for f in sample.facts)]
    red = [r.name for r in sample.red_lines]
    if not met:
        return Verdict.NO_DEAL, True, None, None
    if any(len(m) == len(red) for m in met):
        return Verdict.DEAL, False, None, None

    @cache
    def is_sat(subset: frozenset) -> bool:
        return any(subset <= m for m in met)

    weight = {r.name: r.weight for r in sample.red_lines}
    cost = min(sum(weight[n] for n in mcs) for mcs in mcses_brute_force(red, is_sat))
    return Verdict.NO_DEAL, False, muses_brute_force(red, is_sat), cost


def expected_answer(sample: Scenario) -> tuple:
    verdict, facts, muses, cost = brute_force(sample)
    conflicts = None if muses is None else tuple(sorted(tuple(sorted(m)) for m in muses))
    return verdict, facts, conflicts, cost


def said(answer: samples.Answer) -> tuple:
    return answer.verdict, answer.facts_conflict, answer.conflicts, answer.cost


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uncertain_scenarios())
def test_each_sample_answers_what_brute_force_says_on_both_paths(scen):
    made = uncertain(scen)
    draws = list(every_draw(made.items))
    expected = [expected_answer(made.sample(each)) for each in draws]
    sample_by_sample = Engine(made, time_limit=30.0, memoise=False)  # path (b) only, no memo
    tabled = Engine(made, time_limit=30.0)  # path (a) once a key's table is built
    for each in draws:
        tabled.key(tabled.split(each)[0]).build_table()
    for each, wanted in zip(draws, expected):
        assert said(sample_by_sample.answer(each, FULL)) == wanted
        assert said(tabled.answer(each, FULL)) == wanted
    assert all(key.table is not None for key in tabled.keys.values())


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uncertain_scenarios())
def test_exact_probability_is_the_sum_over_every_draw(scen):
    made = uncertain(scen)
    draws = list(every_draw(made.items))
    verdicts = [brute_force(made.sample(each))[0] for each in draws]
    expected = sum((made.probability(d) for d, v in zip(draws, verdicts) if v is Verdict.DEAL), Fraction(0))
    swept = sweep(made, samples=20, seed=1, workers=1, robust=False, time_limit=30.0)
    assert swept.exact.probability == expected and swept.exact.combinations == len(draws)
    flat = [(item_index, value) for item_index, item in enumerate(made.items) for value in range(len(item.values))]
    for (item_index, value), (p, with_deal) in zip(flat, swept.exact.by_value):
        assert p == made.items[item_index].probabilities[value]
        assert with_deal == sum((made.probability(d) for d, v in zip(draws, verdicts)
                                 if v is Verdict.DEAL and d.choices[item_index] == value), Fraction(0))
    # the samples themselves: the tally counts what brute force says of each drawn sample
    assert swept.tally.undecided == 0 and swept.tally.samples == 20


@pytest.mark.parametrize("cut_at", [1, 2])
def test_a_sample_with_more_conflicts_than_listed_is_cut_the_same_on_both_paths(monkeypatch, cut_at):
    """Past SAMPLE_CONFLICTS a sample's conflicts are not listed (whichever path), and its cost still is."""
    from solver_support.build import bool_issue, issues_of, party, scenario

    monkeypatch.setattr(samples, "SAMPLE_CONFLICTS", cut_at)
    issues = issues_of(bool_issue("a"), bool_issue("b"))
    scen = scenario(issues, [party("x", ["a", "b"]), party("y", ["not a", "not b"])])
    made = uncertain(scen)
    for engine in (Engine(made, 30.0, memoise=False), Engine(made, 30.0)):
        engine.key(()).build_table() if engine.memoise else None
        answer = engine.answer(Draw(()), FULL)
        assert answer.verdict is Verdict.NO_DEAL and answer.cut == (cut_at < 2) and answer.cost == 2
        assert answer.conflicts == (None if cut_at < 2 else (("x/r0", "y/r0"), ("x/r1", "y/r1")))
