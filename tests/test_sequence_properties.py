"""Sequence issues against brute force on tiny random scenarios (hypothesis, derandomized).

The scenarios are those of tests/solver_support/strategies.py with sequence issues among the others (2-3 steps,
strict or 2 phases, sometimes an optional step) and rules that compare steps' phases, order steps (`before`,
`after`) and ask whether a step is present. The brute force enumerates every order of every sequence
(kinds.SequenceType.every_value) and judges every rule with the plain evaluator. Deals, the best value, the room
(each step's phases, each pair's relations), alternatives, the canonical deal, open values, conflicts and
relaxations are checked, by the same assertions as the other kinds' where they are kind-agnostic.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.model import IssueKind
from feasible.positions.rules.syntax import Compare, IntLit, Membership, Name, Order, Step, StrLit
from feasible.positions.targets import parse_target
from feasible.solver import Objective, Verdict, check
from feasible.solver import encoders
from feasible.solver.explain.why import why_not
from solver_support import GENEROUS
from solver_support.build import issues_of, party, scenario, sequence_issue
from solver_support.strategies import WITH_SEQUENCES, scenarios
import test_open_values as open_values
import test_solver_properties as solver_properties
from test_conflict_properties import Brute, agrees_with_brute_force, atom_scenarios, focused_everywhere
from test_open_values import brute_open

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
sequenced = scenarios(kinds=WITH_SEQUENCES)


@settings(PROPERTY, max_examples=examples(200))
@given(scen=sequenced)
def test_check_agrees_with_brute_force(scen):
    """The verdict, the deal's validity, the best value for each objective, the room (each step's phases, each pair's
    relations) and what is forced."""
    solver_properties.test_check_agrees_with_brute_force.hypothesis.inner_test(scen)


@settings(PROPERTY, max_examples=examples(100))
@given(scen=sequenced, objective=st.sampled_from(list(Objective)))
def test_alternative_deals_agree_with_brute_force(scen, objective):
    solver_properties.test_alternative_deals_agree_with_brute_force.hypothesis.inner_test(scen, objective)


@settings(PROPERTY, max_examples=examples(100))
@given(scen=open_values.with_status_quo(sequenced), objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
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


@settings(PROPERTY, max_examples=examples(50))
@given(scen=sequenced)
def test_past_the_bound_open_orders_are_examples_near_the_deal(scen):
    """With every sequence past the bound, the orders one change away are judged: each example is open (brute
    force), the order is called open only when it is, and the count is not given (unless no rule mentions the
    issue: then every order is open)."""
    saved, encoders.ENUMERATE = encoders.ENUMERATE, 1
    try:
        result = check(scen, Objective.WELFARE, time_limit=GENEROUS)
    finally:
        encoders.ENUMERATE = saved
    if result.verdict is not Verdict.DEAL:
        return
    expected = brute_open(scen, result.deal.values)
    for name, issue in scen.issues.items():
        if issue.kind is IssueKind.SEQUENCE:
            got = result.deal.open[name]
            assert got.count in (None, len(expected[name])) and got.examples[0] == result.deal.values[name]
            assert set(got.examples) <= set(expected[name]) and len(set(got.examples)) == len(got.examples)
            assert not got.is_open or len(expected[name]) > 1


def test_past_the_bound_open_orders_are_not_counted(monkeypatch):
    """More orders than ENUMERATE: examples, no count, and not complete."""
    monkeypatch.setattr(encoders, "ENUMERATE", 2)
    scen = scenario(issues_of(sequence_issue("q", "a", "b", "c")), [party("a", ["q.a before q.b"], [("q.c > q.a", 1)])])
    result = check(scen, time_limit=GENEROUS)
    got = result.deal.open["q"]
    assert got.count is None and not got.complete and got.examples[0] == result.deal.values["q"]


# -- conflicts and relaxations ----------------------------------------------------------------------------------

@st.composite
def order_atoms(draw, issues):  # (atom_scenarios' positions: its parties' red lines, demands and facts)
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


@settings(PROPERTY, max_examples=examples(200))
@given(scen=st.one_of(atom_scenarios(order_atoms, WITH_SEQUENCES), sequenced),
       objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
def test_conflicts_and_relaxations_agree_with_brute_force(scen, objective):
    """Every MUS (with minimal facts), the relaxations as the MCSes cheapest first, each with its best deal, and
    the unreachable demands: the other kinds' assertions (tests/test_conflict_properties.py)."""
    agrees_with_brute_force(scen, objective)


@settings(PROPERTY, max_examples=examples(100))
@given(scen=st.one_of(atom_scenarios(order_atoms, WITH_SEQUENCES), sequenced), objective=st.just(Objective.FAIR))
def test_focused_models_give_the_same_answers(scen, objective):
    """The same, with every check on a model of just the rules it concerns (the steps' sequence declared in it)."""
    with focused_everywhere():
        agrees_with_brute_force(scen, objective)


@settings(PROPERTY, max_examples=examples(100))
@given(data=st.data(), scen=st.one_of(atom_scenarios(order_atoms, WITH_SEQUENCES), sequenced))
def test_explaining_a_step_agrees_with_brute_force(data, scen):
    """`explain SEQUENCE.STEP=PHASE`: possible iff some deal gives the step that phase; a witness has it; else the
    reason is minimal."""
    brute = Brute(scen)
    assume(brute.deals)
    issue = data.draw(st.sampled_from([i for i in scen.issues.values() if i.kind is IssueKind.SEQUENCE]))
    step = data.draw(st.sampled_from(issue.steps))
    phase = data.draw(st.integers(0 if step in issue.optional else 1, issue.phases or len(issue.steps)))
    target = parse_target(scen, f"{issue.name}.{step}={phase}")
    answer = why_not(scen, target, GENEROUS)

    def condition(values):
        return values[issue.name].phase(step) == phase

    everything = brute.facts + brute.red
    assert answer.decided and answer.any_deal
    assert answer.possible == brute.sat(everything, condition)
    if answer.possible:
        assert condition(answer.witness.values)
    else:
        reason = set(answer.reason.red_lines) | set(answer.reason.facts)
        assert brute.is_minimal_reason(reason, condition)
