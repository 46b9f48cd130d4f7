"""The most robust deal (solver/robust.py) against brute force on tiny random scenarios (hypothesis, derandomized).

Brute force: every assignment of the issues (tests/solver_support/oracle.py) × every draw of the uncertain items
(`every_draw`, each scenario made by `Uncertain.sample`, the one definition of a sample): P(d) = Σ P(draw) ·
[d meets every fact and red line of the sample], exactly, as a Fraction. Some red lines get a firmness on a grid
(0, 0.1 .. 0.9), half of them turned against the planted deal so that deals must gamble, some demands a weight
range; parties with an accept_at_least level then make the conditioning
combinations (their items move the level).
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.edits import Edits
from feasible.positions.model import Scenario
from feasible.positions.readings import Question, Reading
from feasible.positions.rules.syntax import Not
from feasible.positions.uncertainty import ItemKind, Uncertain, every_draw, uncertain
from feasible.solver.evaluate import holds
from feasible.solver.result import Objective
from feasible.solver.robust import RobustStatus, robust_deal
from solver_support import GENEROUS
from solver_support.oracle import assignments, domain, is_deal, left_out, objective_value, satisfaction
from solver_support.strategies import scenarios

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
GRID = [Fraction(k, 10) for k in range(0, 10)]  # 0 (always gives way) and 0.1 .. 0.9


@st.composite
def uncertain_scenarios(draw, ranges: bool = True, questions: bool = True, grid: list[Fraction] = GRID) -> Scenario:
    """A tiny scenario with a firmness on some red lines and (sometimes) a weight range on some demands."""
    scen = draw(scenarios())
    budget = draw(st.integers(1, 4))  # uncertain items at most, to keep the draws few

    def firmed(rule):
        nonlocal budget
        if budget and draw(st.booleans()):
            budget -= 1
            if draw(st.booleans()):  # turned against the planted deal, so that deals must gamble
                rule = replace(rule, expr=Not(rule.expr), text=f"not ({rule.text})")
            return replace(rule, firm=draw(st.sampled_from(grid)))
        return rule

    def ranged(rule):
        nonlocal budget
        if ranges and budget and draw(st.integers(0, 3)) == 0:
            budget -= 1
            low, high = (rule.weight - 1, rule.weight + 1) if rule.weight > 1 else (1, 2)  # nominal: the weight
            return replace(rule, weight_range=(low, high))
        return rule

    parties = tuple(replace(p, red_lines=tuple(map(firmed, p.red_lines)), demands=tuple(map(ranged, p.demands)))
                    for p in scen.parties)
    scen = replace(scen, parties=parties)
    red = [r for r in scen.red_lines if not r.is_acceptance]
    if questions and red and draw(st.integers(0, 2)) == 0:
        scen = with_question(scen, draw(st.sampled_from(red)).name, draw(st.booleans()),
                             draw(st.sampled_from([Fraction(k, 5) for k in range(6)])))
    return scen


def with_question(scen: Scenario, name: str, drop: bool, p: Fraction) -> Scenario:
    """A question whose readings are the files as written (probability 1 − p) and `name` dropped or demoted (p)."""
    change = Edits(drop=(name,)) if drop else Edits(demote=(name,))
    readings = (Reading("as-written", "as written", None, (), None, None, Edits(), p=1 - p),
                Reading("changed", "changed", None, (), None, None, change, frozenset({name}), p=p))
    return replace(scen, readings=readings, questions=(Question("q", "which?", ("as-written", "changed"),
                                                                "as-written"),))


def key(values: dict) -> tuple:
    return tuple(sorted(values.items()))


def brute_force(made: Uncertain) -> dict[tuple, Fraction]:
    """P(every party accepts d) for every assignment d, by enumerating every draw."""
    samples = [(made.probability(d), made.sample(d)) for d in every_draw(made.items)]
    issues = made.scenario().issues
    return {key(values): sum((p for p, s in samples if is_deal(s, values)), start=Fraction(0))
            for values in assignments(issues)}


def conditioned(made: Uncertain) -> bool:
    """Whether an item is a reading or belongs to a party with an accept_at_least level (then the answer may be
    BOUNDED)."""
    levelled = {p.id for p in made.scenario().parties if p.accept_at_least is not None}
    return any(item.party in levelled or item.kind is ItemKind.READING for item in made.items)


def is_open(got, value) -> bool:
    """Whether `value` is among an issue's open values as OpenValues states them."""
    if got.intervals:
        return any(low <= value <= high for low, high in got.intervals)
    if got.always or got.never or got.every_subset or got.examples:
        return (set(got.always) <= set(value) and not set(got.never) & set(value)
                and (got.every_subset or value in got.examples))
    return value in got.values


def assert_open_values_keep_the_probability(made: Uncertain, result) -> None:
    """Every open value, the rest of the deal as it is, is accepted in exactly the same draws as the deal."""
    samples = [made.sample(d) for d in every_draw(made.items)]
    values = result.deal.values
    accepted = [is_deal(s, values) for s in samples]
    for name, issue in made.scenario().issues.items():
        for value in domain(issue):
            if value != values[name] and is_open(result.deal.open[name], value):
                assert [is_deal(s, {**values, name: value}) for s in samples] == accepted, (name, value)


def assert_fairest_of_the_most_probable(made: Uncertain, chances: dict, result) -> None:
    """Among the deals as probable as the returned one, none is better by the fair objective (as find_deals ranks
    them: parties no such deal satisfies at all are left out of the lowest)."""
    scen = made.scenario()
    best = [dict(k) for k, p in chances.items() if p == result.probability]
    out = left_out(scen, best)
    value = objective_value(Objective.FAIR, satisfaction(scen, result.deal.values), out)
    assert value == max(objective_value(Objective.FAIR, satisfaction(scen, v), out) for v in best)


def assert_gambles(made: Uncertain, result) -> None:
    scen = made.scenario()
    broken = tuple(i.name for i in made.items if i.kind is ItemKind.FIRMNESS
                   and not holds(scen.rule(i.name), scen.issues, result.deal.values))
    assert result.gambles == broken


def assert_no_deal_conflict(made: Uncertain, result) -> None:
    """The conflict's rules, as some sample has them all as facts and red lines, have no deal at all; and none of
    them is an uncertain red line (it is among the sure ones)."""
    conflict = result.conflict
    assert conflict is not None
    members = set(conflict.red_lines) | set(conflict.facts)
    assert not members & {i.name for i in made.items if i.kind is ItemKind.FIRMNESS}
    contradicted = False
    for each in every_draw(made.items):
        sample = made.sample(each)
        binding = {r.name: r for r in sample.facts + sample.red_lines}
        if members <= set(binding):
            rules = [binding[name] for name in members]
            contradicted |= not any(all(holds(r, sample.issues, v) for r in rules) for v in assignments(sample.issues))
    assert contradicted


@given(uncertain_scenarios())
@settings(PROPERTY, max_examples=examples(250))
def test_most_robust_deal_matches_brute_force(scen):
    made = uncertain(scen)
    chances = brute_force(made)
    best = max(chances.values())
    result = robust_deal(made, time_limit=GENEROUS)
    event(f"{result.status.value}, {'conditioned' if conditioned(made) else 'independent'}, "
          f"{'gambles' if result.gambles else 'no gamble'}")
    if best == 0:
        assert result.status is RobustStatus.NO_DEAL and result.deal is None
        assert result.probability == 0 == result.bound
        assert_no_deal_conflict(made, result)
        return
    assert result.status in (RobustStatus.FOUND, RobustStatus.BOUNDED), result.reason
    assert result.probability == chances[key(result.deal.values)]  # exact, by evaluation
    assert result.probability <= best <= result.bound <= 1
    if not conditioned(made):  # one weighted optimisation, proved exactly; P(d) = Π (1 − firm) over its gambles
        assert result.status is RobustStatus.FOUND
        firm = {i.name: i.probabilities[0] for i in made.items if i.kind is ItemKind.FIRMNESS}
        assert math.prod((1 - firm[name] for name in result.gambles), start=Fraction(1)) == result.probability
        assert_fairest_of_the_most_probable(made, chances, result)
    if result.status is RobustStatus.FOUND:
        assert result.probability == best == result.bound
    assert_gambles(made, result)
    assert_open_values_keep_the_probability(made, result)


@st.composite
def even_bets(draw) -> Scenario:
    """Every red line but the levels holds with probability 1/2, some turned against the planted deal: deals
    breaking as many of them tie exactly."""
    scen = draw(scenarios())

    def firmed(rule):
        if rule.is_acceptance:
            return rule
        if draw(st.booleans()):
            rule = replace(rule, expr=Not(rule.expr), text=f"not ({rule.text})")
        return replace(rule, firm=Fraction(1, 2))

    return replace(scen, parties=tuple(replace(p, red_lines=tuple(map(firmed, p.red_lines))) for p in scen.parties))


@given(even_bets())
@settings(PROPERTY, max_examples=examples(150))
def test_equally_probable_deals_are_ranked_by_the_fair_objective(scen):
    """The objective chooses among all the most probable deals (not only among those breaking the same red
    lines)."""
    made = uncertain(scen)
    if conditioned(made):
        return
    chances = brute_force(made)
    result = robust_deal(made, time_limit=GENEROUS)
    event(f"{result.status.value}, {len(result.gambles)} gambles")
    if result.deal is not None:
        assert result.probability == max(chances.values())
        assert_fairest_of_the_most_probable(made, chances, result)
