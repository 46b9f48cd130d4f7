"""coalitions() and sub_agreement() against brute force on tiny random scenarios with random consent scopes.

The oracle (tests/solver_support/coalitions.py) checks every subset of parties by evaluating every assignment of
the issues, exactly as docs/check.md "Coalitions" defines: maximal coalitions, blocking groups, --include and
--exclude, settled and open issues, valid sub-agreements, the outsiders' answer, and minimal conflicts.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.model import IssueKind, Scenario
from feasible.solver import Objective
from feasible.solver.coalitions import CoalitionVerdict, coalitions, sub_agreement
from feasible.solver.evaluate import holds
from solver_support import GENEROUS
from solver_support.coalitions import (CoalitionOracle, camp_scenarios, completable_as_good, members_among_everyones,
                                      settled, with_consent)
from solver_support.oracle import Oracle
from solver_support.strategies import WITH_SEQUENCES, scenarios

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@st.composite
def questions(draw):
    """A scenario of 2-4 parties (sometimes with sequence issues) with consent scopes, the parties excluded (at
    most one) and included (at most two of the others)."""
    scen = draw(with_consent(draw(camp_scenarios() | scenarios(max_parties=4)
                                  | scenarios(max_parties=3, kinds=WITH_SEQUENCES))))
    ids = [p.id for p in scen.parties]
    exclude = draw(st.lists(st.sampled_from(ids), unique=True, max_size=1))
    rest = [p for p in ids if p not in exclude]
    include = draw(st.lists(st.sampled_from(rest), unique=True, max_size=2))
    return scen, include, exclude


def _rules(scen: Scenario, parties) -> list:
    return [r for p in scen.parties if p.id in set(parties) for r in p.binding]


def _order(scen: Scenario, parties) -> tuple:
    index = {p.id: i for i, p in enumerate(scen.parties)}
    return tuple(index[p] for p in parties)


def _assert_minimal_conflict(brute: CoalitionOracle, scen: Scenario, red_lines, facts, hard=(), pinned=None):
    """Contradictory as stated (with the hard rules and the pinned values), and none of the red lines, facts or
    pinned values can be left out (red lines and values: with every fact)."""
    every = [scen.rule(n) for n in red_lines]
    facts = [scen.rule(n) for n in facts]
    pinned = pinned or {}
    assert not brute.sat([*every, *facts, *hard], pinned)
    for rule in every:
        assert brute.sat([r for r in every if r is not rule] + list(scen.facts) + list(hard), pinned)
    for fact in facts:
        assert brute.sat([*every, *(f for f in facts if f is not fact), *hard], pinned)
    for issue in pinned:
        assert brute.sat([*every, *scen.facts, *hard], {n: v for n, v in pinned.items() if n != issue})


@given(questions())
@settings(PROPERTY, max_examples=examples(150))
def test_coalitions_are_the_brute_force_subsets(question):
    scen, include, exclude = question
    result = coalitions(scen, include=include, exclude=exclude, time_limit=GENEROUS)
    brute = CoalitionOracle(scen)
    if any(i.kind is IssueKind.SEQUENCE for i in scen.issues.values()):
        event("with a sequence issue")
    considered = [p.id for p in scen.parties if p.id not in exclude]
    assert result.parties == tuple(considered)
    assert set(result.included) == set(include) and set(result.excluded) == set(exclude)
    if not brute.facts_hold:
        event("facts cannot hold")
        assert result.verdict is CoalitionVerdict.NO_FACTS and not result.maximal and not result.blocking
        _assert_minimal_conflict(brute, scen, [], result.facts_conflict)
        return
    assert result.verdict is CoalitionVerdict.FOUND and not result.interrupted
    others = [p for p in considered if p not in include]
    if not brute.has_deal(include):
        event("the included parties have no deal")
        assert not result.included_agree and not result.maximal
        assert {frozenset(g.parties) for g in result.blocking} == brute.blocking(include)
    else:
        assert result.included_agree
        assert {frozenset(c.parties) for c in result.maximal} == brute.maximal(considered, include)
        assert {frozenset(g.parties) for g in result.blocking} == brute.blocking(others, include)
        event(f"{len(result.maximal)} maximal, {len(result.blocking)} blocking")
    assert list(result.maximal) == sorted(result.maximal, key=lambda c: (-len(c.parties), _order(scen, c.parties)))
    assert list(result.blocking) == sorted(result.blocking, key=lambda g: (len(g.parties), _order(scen, g.parties)))
    for coalition in result.maximal:
        assert list(coalition.parties) == sorted(coalition.parties, key=lambda p: _order(scen, [p]))
        witness = coalition.deal.values
        assert all(holds(r, scen.issues, witness) for r in [*scen.facts, *_rules(scen, coalition.parties)])
    for group in result.blocking:
        owners = {name.partition("/")[0] for name in group.red_lines}
        assert set(group.parties) <= owners  # every party of the group has a red line in its conflict
        _assert_minimal_conflict(brute, scen, group.red_lines, group.facts)
        for red, facts in group.others:  # the other conflicts among the same red lines, each minimal
            owners = {name.partition("/")[0] for name in red}
            assert set(group.parties) <= owners <= {*group.parties, *include} and red != group.red_lines
            _assert_minimal_conflict(brute, scen, red, facts)


@st.composite
def coalition_questions(draw):
    scen, _, exclude = draw(questions())
    considered = [p.id for p in scen.parties if p.id not in exclude]
    members = draw(st.lists(st.sampled_from(considered), unique=True, max_size=len(considered)))
    return scen, members, exclude, draw(st.sampled_from(list(Objective)))


@given(coalition_questions())
@settings(PROPERTY, max_examples=examples(150))
def test_sub_agreements_are_the_brute_force_reading(question):
    _assert_brute_force_reading(*question)


@st.composite
def agreeing_questions(draw):
    """A coalition of parties that all agree together with the parties outside (and so some sub-agreement can be
    completed), though often not on the members' best: the alternative and the preference among equally good
    sub-agreements."""
    scen, members, exclude, objective = draw(coalition_questions())
    considered = [p.id for p in scen.parties if p.id not in exclude]
    assume(CoalitionOracle(scen).has_deal(considered) and members and len(members) < len(considered))
    return scen, members, exclude, objective


@given(agreeing_questions())
@settings(PROPERTY, max_examples=examples(100))
def test_sub_agreements_of_parties_who_all_agree_are_the_brute_force_reading(question):
    _assert_brute_force_reading(*question)


def _assert_brute_force_reading(scen, members, exclude, objective):
    result = sub_agreement(scen, members, exclude=exclude, objective=objective, time_limit=GENEROUS)
    brute = CoalitionOracle(scen)
    if any(i.kind is IssueKind.SEQUENCE for i in scen.issues.values()):
        event("with a sequence issue" + (" settled" if any(scen.issues[n].kind is IssueKind.SEQUENCE
                                                            for n in result.settled) else ""))
    considered = [p.id for p in scen.parties if p.id not in exclude]
    assert result.complete and set(result.coalition) == set(members)
    assert list(result.settled) == settled(scen, members, considered)
    assert list(result.open) == [n for n in scen.issues if n not in result.settled]
    assert result.outsiders == tuple(p for p in considered if p not in members)
    assert result.has_deal == brute.has_deal(members)
    hard = [*scen.facts, *_rules(scen, members)]
    if not result.has_deal:
        event("no deal for the coalition")
        assert not result.values and result.outsiders_accept is None
        if not brute.facts_hold:
            assert [g.parties for g in result.blocking] == [()]
            _assert_minimal_conflict(brute, scen, [], result.blocking[0].facts)
        else:
            assert {frozenset(g.parties) for g in result.blocking} == brute.blocking(members)
        return
    values = dict(result.values)
    assert list(values) == list(result.settled)
    assert brute.sat(hard, values)  # a sub-agreement: the members' red lines and the facts can still all hold
    assert all(holds(r, scen.issues, result.deal.values) for r in hard)
    best = Oracle(replace(scen, parties=tuple(p for p in scen.parties if p.id in members)))
    assert best.value(objective, result.deal.values) == best.best(objective)
    if not result.outsiders:
        assert result.outsiders_accept is None
        return
    everyone = [*scen.facts, *_rules(scen, considered)]
    assert result.outsiders_accept == brute.sat(everyone, values)
    # of the best sub-agreements, one the outsiders can complete comes first
    assert result.outsiders_accept == completable_as_good(scen, members, considered, objective)
    if result.outsiders_accept is False:
        assert result.completable == brute.has_deal(considered)
        if result.completable:
            event("another sub-agreement can be completed")
            alternative = result.alternative.values
            assert all(holds(r, scen.issues, alternative) for r in everyone)
            among = members_among_everyones(scen, members, considered)
            assert among.value(objective, alternative) == among.best(objective)
        else:
            event("no sub-agreement can be completed")
            outsiders = [p for p in considered if p not in members]
            assert {frozenset(g.parties) for g in result.outside_blocking} == brute.blocking(outsiders, members)
    if result.outsiders_accept:
        event("the outsiders accept")
        completion = result.completion.values
        assert all(completion[n] == v for n, v in values.items())
        assert all(holds(r, scen.issues, completion) for r in everyone)
    else:
        event(f"conflict with {len(result.conflict.settled)} settled values")
        conflict = result.conflict
        assert set(conflict.settled) <= set(result.settled)
        assert {n.partition("/")[0] for n in conflict.red_lines} <= set(result.outsiders)
        assert {n.partition("/")[0] for n in conflict.members} <= set(members)
        _assert_minimal_conflict(brute, scen, [*conflict.members, *conflict.red_lines], conflict.facts, (),
                                 {n: values[n] for n in conflict.settled})
        outsiders_alone = [*scen.facts, *_rules(scen, result.outsiders)]
        # members' red lines only when the settled values and the outsiders' red lines alone can hold
        assert bool(conflict.members) == brute.sat(outsiders_alone, values)
