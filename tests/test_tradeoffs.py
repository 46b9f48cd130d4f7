"""The price of an issue (solver/tradeoffs.py) against brute force on random small scenarios: for each value of the
issue, each party's best utility over the acceptable deals with that value, and the bargaining point (Nash, else
egalitarian) of the frontier restricted to it; and the frontier answer without a deal (the cheapest relaxation)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import examples
from feasible.positions import UserError, load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.model import RuleKind
from feasible.solver import check
from feasible.solver.frontier import FrontierStatus, Solution
from feasible.solver.tradeoffs import MAX_OPTIONS, bends, frontier_answer, option_values, settled, tradeoffs
from feasible.solver.utility import as_fraction, party_utilities
from solver_support.build import int_issue, issues_of, party, scenario
from solver_support.frontier import (acceptable_vectors, frontier_scenarios, naive_bargaining, naive_frontier,
                                     with_utility)
from solver_support.oracle import assignments, domain, is_deal

SPLIT = Path(__file__).parent / "data" / "frontier" / "split"
TIME = 60.0  # generous: nothing here depends on the machine's speed


# -- the brute force (the frontier's naive twins, tests/solver_support/frontier.py) ------------------------------------

def acceptable(scen, deal) -> bool:
    return is_deal(scen, deal)


def restricted_vectors(scen, ids, issue, value) -> set[tuple[Fraction, ...]]:
    return {v for v, deals in acceptable_vectors(scen, ids).items() if any(d[issue] == value for d in deals)}


def leads_to(front, disagreement) -> tuple[Solution, tuple[Fraction, ...]]:
    """The point a frontier leads to, from the definitions: Nash's, else the egalitarian point."""
    ideal = [max(v[n] for v in front) for n in range(len(disagreement))]
    points = naive_bargaining(front, disagreement, ideal)
    if points["nash"][0] is not None:
        return Solution.NASH, points["nash"][0]
    return Solution.EGALITARIAN, points["egalitarian"][0]


def assert_matches_brute_force(scen, issue, found):
    ids = with_utility(scen)
    counted = party_utilities(scen)
    assert [pu.party for pu in counted] == ids
    disagreement = [as_fraction(pu, pu.disagreement) for pu in counted]
    assert [o.value for o in found.options] == domain(scen.issues[issue])
    for option in found.options:
        assert option.exact
        reach = restricted_vectors(scen, ids, issue, option.value)
        if not reach:
            assert option.point is None and option.best == (None,) * len(ids)
            continue
        assert option.best == tuple(max(v[n] for v in reach) for n in range(len(ids)))
        solution, point = leads_to(naive_frontier(reach), disagreement)
        assert option.solution is solution and option.point is not None
        assert option.point.utilities == point
        assert option.point.deal[issue] == option.value and acceptable(scen, dict(option.point.deal))


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frontier_scenarios(), st.data())
def test_each_value_s_best_utilities_and_point_equal_brute_force(scen, data):
    issue = data.draw(st.sampled_from(sorted(scen.issues)))
    if not acceptable_vectors(scen, with_utility(scen)):
        return  # (the answer without a deal is tested below)
    found = tradeoffs(scen, issue, time_limit=TIME)
    assert found.no_deal is None and found.exact and not found.interrupted
    assert_matches_brute_force(scen, issue, found)
    whole = naive_frontier(acceptable_vectors(scen, with_utility(scen)))
    disagreement = [as_fraction(pu, pu.disagreement) for pu in found.parties]
    assert (found.reference_solution, found.reference.utilities) == leads_to(whole, disagreement)


def test_the_split_s_venue_against_brute_force_and_its_reference():
    scen = load_scenario(SPLIT)
    found = tradeoffs(scen, "venue", time_limit=TIME)
    assert_matches_brute_force(scen, "venue", found)
    whole = naive_frontier(acceptable_vectors(scen, with_utility(scen)))
    disagreement = [as_fraction(pu, pu.disagreement) for pu in party_utilities(scen)]
    assert found.reference is not None
    assert (found.reference_solution, found.reference.utilities) == leads_to(whole, disagreement)
    oslo = next(o for o in found.options if o.value == "oslo")
    assert oslo.point is None  # the observer refuses Oslo


# -- without a deal ---------------------------------------------------------------------------------------------------

def test_without_a_deal_the_answer_is_check_s_first_relaxation_and_the_frontier_it_opens():
    base = load_scenario(SPLIT)
    scen = apply_edits(base, Edits(set=("venue=oslo",)))[0]  # the observer refuses Oslo: no deal
    answer = frontier_answer(scen, time_limit=TIME)
    assert answer.asked.status is FrontierStatus.NO_DEAL and answer.no_deal is not None
    first = check(scen, time_limit=TIME, room=False).relaxations[0]
    assert answer.no_deal.relaxation == first
    relaxed = apply_edits(scen, Edits(drop=first.drop))[0]
    assert answer.relaxed is not None and answer.relaxed.status is FrontierStatus.COMPLETE
    assert {p.utilities for p in answer.relaxed.points} == \
        naive_frontier(acceptable_vectors(relaxed, with_utility(relaxed)))
    found = tradeoffs(scen, "monitors", time_limit=TIME)
    assert found.no_deal is not None and found.no_deal.relaxation == first
    assert_matches_brute_force(relaxed, "monitors", found)


def test_the_facts_alone_leave_no_relaxation_and_no_frontier():
    issues = issues_of(int_issue("x", 0, 3))
    scen = scenario(issues, [party("a", demands=[("x >= 1", 1)])], facts=["x >= 2", "x <= 1"])
    answer = frontier_answer(scen, time_limit=TIME)
    assert answer.no_deal is not None and answer.no_deal.relaxation is None and answer.relaxed is None


# -- the values looked at ---------------------------------------------------------------------------------------------

def test_a_wide_int_issue_is_priced_at_its_bounds_bends_and_a_grid():
    issues = issues_of(int_issue("cap", 0, 1000))
    scen = scenario(issues, [party("a", red_lines=["cap <= 800"], demands=[("cap >= 600", 1)]),
                             party("b", demands=[("cap <= 300", 1)])])
    values, sampled = option_values(scen, "cap")
    assert sampled and len(values) == MAX_OPTIONS and list(values) == sorted(set(values))
    assert {0, 1000, 799, 800, 801, 599, 600, 601, 299, 300, 301} <= set(values) <= set(range(1001))
    assert {799, 800, 801} <= bends(scen, "cap")


def test_an_unknown_issue_is_refused_with_did_you_mean():
    scen = load_scenario(SPLIT)
    with pytest.raises(UserError) as raised:
        tradeoffs(scen, "venu", time_limit=TIME)
    assert "venue" in (raised.value.hint or "")


def test_the_settling_fact_keeps_only_that_value():
    scen = load_scenario(SPLIT)
    fixed = settled(scen, "share", 3)
    assert all(d["share"] == 3 for d in assignments(fixed.issues) if acceptable(fixed, d))
    assert all(r.kind is RuleKind.FACT for r in fixed.facts)
