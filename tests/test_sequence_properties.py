"""Sequence issues against brute force on tiny random scenarios (hypothesis, derandomized).

The scenarios are those of tests/solver_support/strategies.py with sequence issues among the others (2-3 steps,
strict or 2 phases, sometimes an optional step) and rules that compare steps' phases, order steps (`before`,
`after`) and ask whether a step is present. The brute force enumerates every order of every sequence
(kinds.SequenceType.every_value) and judges every rule with the plain evaluator. Deals, the best value, the room
(each step's phases, each pair's relations), alternatives, the canonical deal, open values, conflicts and
relaxations are checked, by the same assertions as the other kinds' where they are kind-agnostic.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.kinds import issue_type
from feasible.positions.model import IssueKind
from feasible.positions.rules.syntax import Compare, IntLit, Membership, Name, Order, Step, StrLit
from feasible.solver import Objective, Verdict, check
from feasible.solver import encoders
from solver_support import GENEROUS
from solver_support.build import assert_well_typed, party, scenario
from solver_support.oracle import Oracle, domain
from solver_support.strategies import WITH_SEQUENCES, issue_sets, scenarios
import test_open_values as open_values
import test_solver_properties as solver_properties
from test_conflict_properties import agrees_with_brute_force
from test_open_values import brute_open
from test_solver_properties import assert_outcomes_match, assert_valid_deal

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
sequenced = scenarios(kinds=WITH_SEQUENCES)


def assert_room_matches(scen, oracle: Oracle, result) -> None:
    expected = oracle.room()
    assert set(result.room) == set(scen.issues)
    for name, issue in scen.issues.items():
        room, want = result.room[name], expected[name]
        assert room.complete, name
        if issue.kind is IssueKind.SEQUENCE:
            assert (room.phases, room.relations) == (want["phases"], want["relations"]), name
        elif issue.kind is IssueKind.INT:
            assert (room.minimum, room.maximum) == (want["minimum"], want["maximum"]), name
        elif issue.kind is IssueKind.SET:
            assert (room.in_every_deal, room.in_no_deal) == (want["in_every_deal"], want["in_no_deal"]), name
        else:
            assert room.possible == want["possible"], name
        assert issue_type(issue).forced(room) == want["forced"], name


@settings(PROPERTY, max_examples=examples(200))
@given(scen=sequenced)
def test_check_agrees_with_brute_force(scen):
    """The verdict, the deal's validity, the best value for each objective, the room and what is forced."""
    assert_well_typed(scen)
    oracle = Oracle(scen)
    for objective in Objective:
        result = check(scen, objective, time_limit=GENEROUS)
        if not oracle.deals:
            assert result.verdict is Verdict.NO_DEAL
            continue
        assert result.verdict is Verdict.DEAL and result.deal.optimal
        assert_valid_deal(scen, result.deal.values)
        assert_outcomes_match(scen, result.deal)
        assert oracle.value(objective, result.deal.values) == oracle.best(objective), objective
        assert_room_matches(scen, oracle, result)


@settings(PROPERTY, max_examples=examples(100))
@given(scen=sequenced, objective=st.sampled_from(list(Objective)))
def test_alternative_deals_agree_with_brute_force(scen, objective):
    solver_properties.test_alternative_deals_agree_with_brute_force.hypothesis.inner_test(scen, objective)


@st.composite
def with_status_quo(draw):
    scen = draw(sequenced)
    issues = {name: replace(issue, status_quo=draw(st.sampled_from(domain(issue)))) if draw(st.booleans()) else issue
              for name, issue in scen.issues.items()}
    return replace(scen, issues=issues)


@settings(PROPERTY, max_examples=examples(100))
@given(scen=with_status_quo(), objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
def test_the_deal_shown_is_the_canonical_one(scen, objective):
    """Among equally good deals, the fewest issues (then steps) away from the anchor (kinds.closeness)."""
    open_values.test_the_deal_shown_is_the_canonical_one.hypothesis.inner_test(scen, objective)


def assert_open_orders_match(scen, deal) -> None:
    expected = brute_open(scen, deal.values)
    for name, issue in scen.issues.items():
        if issue.kind is not IssueKind.SEQUENCE:
            continue
        got, good = deal.open[name], expected[name]
        assert got.complete and got.count == len(good), name
        assert got.examples[0] == deal.values[name] and set(got.examples) <= set(good)
        assert len(got.examples) == min(3, len(good))
        assert got.is_open == (len(good) > 1)


@settings(PROPERTY, max_examples=examples(100))
@given(scen=sequenced, objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
def test_open_orders_equal_brute_force(scen, objective):
    result = check(scen, objective, time_limit=GENEROUS)
    if result.verdict is Verdict.DEAL:
        assert_open_orders_match(scen, result.deal)


def test_past_the_bound_open_orders_are_not_counted(monkeypatch):
    """More orders than ENUMERATE: examples, no count, and not complete."""
    monkeypatch.setattr(encoders, "ENUMERATE", 2)
    scen = scenario(issue_sets_of_one(), [party("a", ["q.a before q.b"], [("q.c > q.a", 1)])])
    result = check(scen, time_limit=GENEROUS)
    got = result.deal.open["q"]
    assert got.count is None and not got.complete and got.examples[0] == result.deal.values["q"]


def issue_sets_of_one():
    from solver_support.build import issues_of, sequence_issue

    return issues_of(sequence_issue("q", "a", "b", "c"))


# -- conflicts and relaxations ----------------------------------------------------------------------------------

@st.composite
def order_atoms(draw, issues):
    """An order statement, a step's phase fixed or bounded, or a step present or not."""
    issue = draw(st.sampled_from([i for i in issues.values() if i.kind is IssueKind.SEQUENCE]))
    first, second = draw(st.lists(st.sampled_from(issue.steps), min_size=2, max_size=2, unique=True))
    shape = draw(st.sampled_from(["order", "order", "order", "phase", "present"]))
    if shape == "order":
        return Order(Step(issue.name, first), Step(issue.name, second), draw(st.sampled_from(["before", "after"])))
    if shape == "present":
        return Membership(StrLit(first), Name(issue.name), draw(st.booleans()))
    top = issue.phases or len(issue.steps)
    low = 0 if first in issue.optional else 1
    return Compare((Step(issue.name, first), IntLit(draw(st.integers(low, top)))),
                   (draw(st.sampled_from(["==", "!=", "<=", ">="])),))


@st.composite
def order_scenarios(draw):
    """Parties whose red lines are order statements (which form cycles: conflicts) and simple positions, with
    weights 1-3, and 0-2 facts among the same atoms."""
    issues = draw(issue_sets(WITH_SEQUENCES))
    atom = order_atoms(issues)
    facts = draw(st.lists(atom, max_size=2))
    parties = []
    for index in range(draw(st.integers(2, 3))):
        red = draw(st.lists(atom, min_size=1, max_size=4))
        demands = draw(st.lists(st.tuples(atom, st.integers(1, 3)), min_size=1, max_size=2))
        p = party(f"p{index}", red, demands)
        parties.append(replace(p, red_lines=tuple(replace(r, weight=draw(st.integers(1, 3))) for r in p.red_lines)))
    return scenario(issues, parties, facts)


@settings(PROPERTY, max_examples=examples(200))
@given(scen=st.one_of(order_scenarios(), sequenced),
       objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
def test_conflicts_and_relaxations_agree_with_brute_force(scen, objective):
    """Every MUS (with minimal facts), the relaxations as the MCSes cheapest first, each with its best deal, and
    the unreachable demands: the other kinds' assertions (tests/test_conflict_properties.py)."""
    agrees_with_brute_force(scen, objective)
