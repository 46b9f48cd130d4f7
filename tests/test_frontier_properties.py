"""solver/frontier.py against brute force on tiny random scenarios: the frontier as a set of utility vectors, each
point's deal, the bargaining points and their ties, the projection on some parties, the limit's canonical prefix,
the dynamic programme against the CP-SAT methods, and prove_pareto_optimal.

Scenarios are tests/solver_support/strategies.py's (facts, red lines, demands, accept_at_least) with random
utility blocks (additive or rectangles, with reservations) given to some parties; the oracle enumerates every
deal (tests/solver_support/frontier.py)."""

from __future__ import annotations

from fractions import Fraction


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.solver.bargaining import FrontierPoint, bargaining_points
from feasible.solver.frontier import (FrontierStatus, Solution, additive_setup, frontier, generation_key,
                                      prove_pareto_optimal)
from feasible.solver.utility import party_utilities
from solver_support import GENEROUS
from solver_support.frontier import (acceptable_vectors, frontier_scenarios, naive_bargaining, naive_frontier,
                                     with_blocks, with_utility)
from solver_support.strategies import scenarios

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def utility_scenarios(draw):
    """The solver tests' random scenarios with blocks for some parties, or scenarios made for frontiers."""
    if draw(st.integers(0, 2)) == 0:
        return draw(with_blocks(draw(scenarios())))
    return draw(frontier_scenarios())


def additive_scenarios():
    """Only utility blocks, additive, and no rule but reservations: the dynamic programme's ground."""
    return frontier_scenarios(additive_only=True, rules=False)


def utilities(bargain):
    return bargain.point.utilities if bargain.point else None


def assert_matches_brute_force(scen, result, party_ids):
    vectors = acceptable_vectors(scen, party_ids)
    front = naive_frontier(vectors)
    found = [p.utilities for p in result.points]
    assert len(found) == len(set(found))
    assert set(found) == front
    assert found == sorted(found, reverse=True)  # canonical order
    for point in result.points:
        assert point.deal in vectors[point.utilities]  # an acceptable deal with exactly these utilities
    if not front:
        assert result.status is FrontierStatus.NO_DEAL
        assert all(b.point is None for b in result.bargaining)
        return
    assert result.status is FrontierStatus.COMPLETE
    ideal = tuple(max(v[i] for v in front) for i in range(len(party_ids)))
    assert result.ideal == ideal
    expected = naive_bargaining(front, result.disagreement, ideal)
    for b in result.bargaining:
        point, ties = expected[b.solution.value]
        assert (b.point.utilities if b.point else None, b.ties) == (point, ties), b.solution
        assert b.exact


@settings(PROPERTY, max_examples=examples(150))
@given(utility_scenarios())
def test_frontier_equals_brute_force(scen):
    party_ids = with_utility(scen)
    if not party_ids:
        return
    result = frontier(scen, time_limit=GENEROUS)
    assert [pu.party for pu in result.parties] == party_ids
    assert_matches_brute_force(scen, result, party_ids)


@settings(PROPERTY, max_examples=examples(100))
@given(utility_scenarios(), st.data())
def test_projection_on_some_parties(scen, data):
    """--parties: the others' utilities are ignored, their red lines and reservations still count."""
    candidates = with_utility(scen)
    if not candidates:
        return
    chosen = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=len(candidates), unique=True))
    result = frontier(scen, chosen, time_limit=GENEROUS)
    assert [pu.party for pu in result.parties] == chosen
    assert_matches_brute_force(scen, result, chosen)


@settings(PROPERTY, max_examples=examples(120))
@given(additive_scenarios(), st.data())
def test_dynamic_programme_equals_cp_sat_and_brute_force(scen, data):
    ids = [p.id for p in scen.parties]
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))
    assert additive_setup(scen, party_utilities(scen, chosen)) is not None
    fast = frontier(scen, chosen, time_limit=GENEROUS)
    slow = frontier(scen, chosen, time_limit=GENEROUS, fast=False)
    assert fast.solves == 0 and (slow.solves > 0)
    assert [p.utilities for p in fast.points] == [p.utilities for p in slow.points]
    assert (fast.status, fast.ideal, fast.disagreement) == (slow.status, slow.ideal, slow.disagreement)
    assert [(b.point.utilities if b.point else None, b.ties) for b in fast.bargaining] == \
        [(b.point.utilities if b.point else None, b.ties) for b in slow.bargaining]
    assert_matches_brute_force(scen, fast, chosen)


@settings(PROPERTY, max_examples=examples(100))
@given(st.one_of(utility_scenarios(), additive_scenarios()), st.integers(1, 4), st.booleans())
def test_limit_keeps_the_canonical_prefix(scen, limit, fast):
    """--limit N: the first N points in the method's order (two parties: the staircase from the first party's
    best; more: total descending, then lexicographically), "more exist" exactly when there are more."""
    party_ids = with_utility(scen)
    if not party_ids:
        return
    whole = frontier(scen, time_limit=GENEROUS, fast=fast)
    cut = frontier(scen, limit=limit, time_limit=GENEROUS, fast=fast)
    key = generation_key(whole.parties)
    prefix = sorted((p.scaled for p in whole.points), key=key, reverse=True)[:limit]
    assert sorted(p.scaled for p in cut.points) == sorted(prefix)
    if len(whole.points) > limit:
        assert cut.status is FrontierStatus.LIMIT
        assert cut.ideal == whole.ideal
        exact = set(Solution) if additive_setup(scen, whole.parties) and fast else \
            {Solution.UTILITARIAN, Solution.EGALITARIAN, *([Solution.NASH] if len(party_ids) == 2 else [])}
        for part, full in zip(cut.bargaining, whole.bargaining):  # (the programme finds all; CP-SAT solves these)
            assert part.exact == (part.solution in exact)
            if part.exact:  # the whole frontier's point; its ties counted among the points found
                assert utilities(part) == utilities(full)
                assert 1 <= part.ties <= full.ties if full.point else part.ties == 0
            else:
                assert part.point is None or part.point in cut.points
    else:
        assert cut.status is whole.status
        assert [p.scaled for p in cut.points] == [p.scaled for p in whole.points]


@settings(PROPERTY, max_examples=examples(60))
@given(utility_scenarios())
def test_prove_pareto_optimal(scen):
    """True on every frontier point; False on an acceptable vector off the frontier."""
    party_ids = with_utility(scen)
    if not party_ids:
        return
    result = frontier(scen, time_limit=GENEROUS)
    for point in result.points[:3]:
        assert prove_pareto_optimal(scen, party_ids, point, GENEROUS) is True
    scales = [pu.scale for pu in result.parties]
    front = {p.utilities for p in result.points}
    for vector in list(acceptable_vectors(scen, party_ids))[:3]:
        if vector not in front:
            scaled = [int(u * s) for u, s in zip(vector, scales)]
            assert prove_pareto_optimal(scen, party_ids, scaled, GENEROUS) is False


@st.composite
def frontiers(draw):
    """Random frontiers over 1-4 parties with small utilities (ties common), and disagreement points."""
    width = draw(st.integers(1, 4))
    small = st.integers(0, 4).map(lambda n: Fraction(n, 4))
    vectors = draw(st.lists(st.tuples(*[small] * width), min_size=1, max_size=12))
    front = sorted(naive_frontier(vectors), reverse=True)
    disagreement = tuple(draw(st.sampled_from([Fraction(0), min(v[i] for v in front)])) for i in range(width))
    return front, disagreement


@settings(PROPERTY, max_examples=examples(400))
@given(frontiers())
def test_bargaining_points_equal_their_definitions(drawn):
    front, disagreement = drawn
    points = [FrontierPoint(v, tuple(int(u * 4) for u in v), {}) for v in reversed(front)]  # any order in
    ideal = tuple(max(v[i] for v in front) for i in range(len(disagreement)))
    expected = naive_bargaining(set(front), disagreement, ideal)
    for b in bargaining_points(points, disagreement, ideal, exact=True):
        assert (utilities(b), b.ties) == expected[b.solution.value], b.solution
        assert (b.point is None) == (b.reason is not None)
