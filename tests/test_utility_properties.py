"""Utility blocks against brute force on small random scenarios (hypothesis, derandomized): the utility in
millionths against a direct Fraction computation, the solver's utility variable against it on every deal, the
reservation red line against the utility, and check's fair and welfare best deal against every deal's value."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.utility import PRECISION, utility_of
from feasible.solver import Objective, Verdict, check, encoders
from feasible.solver.compile import compile_scenario
from feasible.solver.evaluate import holds
from feasible.solver.search import new_solver
from feasible.solver.utility import UtilitySource, as_fraction, party_utilities, utility_value, utility_var
import test_open_values
from solver_support import GENEROUS
from solver_support.oracle import assignments, is_deal, satisfaction
from solver_support.strategies import issue_sets, scenarios
from solver_support.utilities import direct_utility, party_value, pinned, utility_blocks, with_utilities

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@st.composite
def blocks_and_issues(draw):
    issues = draw(issue_sets())
    return issues, draw(utility_blocks(issues))


@settings(PROPERTY, max_examples=examples(300))
@given(drawn=blocks_and_issues())
def test_the_utility_is_the_direct_fraction_computation_rounded_per_term(drawn):
    issues, block = drawn
    for deal in assignments(issues):
        assert utility_of(block, issues, deal) == direct_utility(block, issues, deal)


@settings(PROPERTY, max_examples=examples(300))
@given(drawn=blocks_and_issues(), scale=st.sampled_from([1, 1, 2]))
def test_the_reservation_red_line_holds_exactly_when_the_utility_reaches_the_reservation(drawn, scale):
    from feasible.positions.utility import reservation_rule

    issues, block = drawn
    if block.reservation is None:
        return
    rule = reservation_rule("p", "P", block, issues, None)
    for deal in assignments(issues):
        utility = Fraction(direct_utility(block, issues, deal), PRECISION)
        assert holds(rule, issues, deal) == (utility >= block.reservation), (rule.text, deal, utility)


@settings(PROPERTY, max_examples=examples(40))
@given(scen=scenarios().flatmap(with_utilities))
def test_the_solver_utility_equals_the_plain_one_on_every_deal(scen):
    compiled = compile_scenario(scen, enforce_red_lines=False, enforce_facts=False)
    units = party_utilities(scen)
    variables = [utility_var(compiled, unit) for unit in units]
    assert variables == [utility_var(compiled, unit) for unit in units]  # one variable a party
    for deal in assignments(scen.issues):
        solver = new_solver(GENEROUS)
        solver.solve(pinned(compiled, deal))
        for unit, var in zip(units, variables):
            plain = utility_value(scen, unit, deal)
            assert solver.value(var) == plain
            assert unit.low <= plain <= unit.high
            assert as_fraction(unit, plain) == party_value(scen, unit.party, deal)
            assert unit.source is (UtilitySource.BLOCK if scen.party(unit.party).utility else UtilitySource.DEMANDS)


def oracle_value(scen, objective: Objective, deal, left_out: frozenset[str]):
    values = {p.id: party_value(scen, p.id, deal) for p in scen.parties}
    values = {p: v for p, v in values.items() if v is not None}
    if not values:
        return (0, 0) if objective is Objective.FAIR else 0
    total = sum(values.values())
    if objective is Objective.WELFARE:
        return total
    return min([v for p, v in values.items() if p not in left_out] or [Fraction(0)]), total


@settings(PROPERTY, max_examples=examples(150))
@given(scen=scenarios().flatmap(with_utilities), objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
def test_check_best_deal_with_utility_blocks_equals_brute_force(scen, objective):
    deals = [d for d in assignments(scen.issues) if is_deal(scen, d)]
    result = check(scen, objective, room=False, time_limit=GENEROUS)
    if not deals:
        assert result.verdict is Verdict.NO_DEAL
        return
    assert result.verdict is Verdict.DEAL and result.deal.optimal
    deal = result.deal
    assert is_deal(scen, deal.values)
    for outcome in deal.outcomes:
        party = scen.party(outcome.party)
        expected = Fraction(utility_of(party.utility, scen.issues, deal.values), PRECISION) if party.utility else None
        assert outcome.utility == expected
    valued = {p.id for p in scen.parties if p.utility is not None or p.demands}
    never = frozenset(p for p in valued if all(party_value(scen, p, d) == 0 for d in deals))
    left_out = never if len(never) < len(valued) else frozenset()
    assert frozenset(deal.left_out) == (left_out if objective is Objective.FAIR else frozenset())
    best = max(oracle_value(scen, objective, d, left_out) for d in deals)
    assert oracle_value(scen, objective, deal.values, left_out) == best
    assert deal.value(objective) == best


@settings(PROPERTY, max_examples=examples(60))
@given(scen=scenarios().flatmap(with_utilities))
def test_nash_with_utility_blocks_is_within_its_documented_tolerance(scen):
    """docs/check.md: each party's logarithm is within the rounding (0.5 / 10^6) and, for a block, the grid's
    (ln U)^2 / 2,080,800 of the exact one, so the product found is within that of the best product."""
    deals = [d for d in assignments(scen.issues) if is_deal(scen, d)]
    result = check(scen, Objective.NASH, room=False, time_limit=GENEROUS)
    if not deals:
        assert result.verdict is Verdict.NO_DEAL
        return
    assert result.verdict is Verdict.DEAL and is_deal(scen, result.deal.values)
    valued = [p for p in scen.parties if p.utility is not None or p.demands]
    tops = {p.id: max(party_value(scen, p.id, d) for d in assignments(scen.issues)) for p in valued}
    counted = [p.id for p in valued if tops[p.id] > 0]

    def product(deal) -> Fraction:
        return math.prod((party_value(scen, p, deal) for p in counted), start=Fraction(1))

    best, got = max(product(d) for d in deals), product(result.deal.values)
    tolerance = sum(1e-6 + (math.log(tops[p] * PRECISION) ** 2 / 2_080_800 if scen.party(p).utility else 0)
                    for p in counted)
    if best > 0:
        assert got > 0 and math.log(best / got) <= tolerance + 1e-12, (got, best)


def kept(scen, deal) -> tuple:
    """What an open value must keep: each party's satisfaction, and each block party's utility."""
    return satisfaction(scen, deal), {p.id: party_value(scen, p.id, deal) for p in scen.parties if p.utility}


@settings(PROPERTY, max_examples=examples(100))
@given(scen=scenarios().flatmap(with_utilities), wide=st.booleans())
def test_open_values_keep_every_block_partys_utility(scen, wide, monkeypatch):
    """As tests/test_open_values.py checks them, what is kept including each block's utility; `wide`: judged by
    CP-SAT on a focused model (ranges and subsets), not value by value."""
    if wide:
        monkeypatch.setattr(encoders, "ENUMERATE", 1)
        monkeypatch.setattr(encoders, "INT_ENUMERATE", 1)
    monkeypatch.setattr(test_open_values, "satisfaction", kept)
    result = check(scen, Objective.WELFARE, time_limit=GENEROUS)
    if result.verdict is Verdict.DEAL:
        test_open_values.assert_open_matches(scen, result.deal)
