"""The most robust deal (solver/robust.py) against brute force on tiny random scenarios (hypothesis, derandomized).

Brute force: every assignment of the issues (tests/solver_support/oracle.py) × every draw of the uncertain items
(`every_draw`, each scenario made by `Uncertain.sample`, the one definition of a sample): P(d) = Σ P(draw) ·
[d meets every fact and red line of the sample], exactly, as a Fraction. Some red lines get a firmness on a grid
(0, 0.1 .. 0.9), half of them turned against the planted deal so that deals must gamble, some demands a weight
range; parties with an accept_at_least level then make the conditioning
combinations (their items move the level).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.model import Scenario
from feasible.positions.rules.syntax import Not
from feasible.positions.uncertainty import ItemKind, Uncertain, every_draw, uncertain
from feasible.solver.evaluate import holds
from feasible.solver.robust import RobustStatus, robust_deal
from solver_support import GENEROUS
from solver_support.oracle import assignments, is_deal
from solver_support.strategies import scenarios

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
GRID = [Fraction(k, 10) for k in range(0, 10)]  # 0 (always gives way) and 0.1 .. 0.9


@st.composite
def uncertain_scenarios(draw, ranges: bool = True) -> Scenario:
    """A tiny scenario with a firmness on some red lines and (sometimes) a weight range on some demands."""
    scen = draw(scenarios())
    budget = draw(st.integers(1, 4))  # uncertain items at most, to keep the draws few

    def firmed(rule):
        nonlocal budget
        if budget and draw(st.booleans()):
            budget -= 1
            if draw(st.booleans()):  # turned against the planted deal, so that deals must gamble
                rule = replace(rule, expr=Not(rule.expr), text=f"not ({rule.text})")
            return replace(rule, firm=draw(st.sampled_from(GRID)))
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
    return replace(scen, parties=parties)


def key(values: dict) -> tuple:
    return tuple(sorted(values.items()))


def brute_force(made: Uncertain) -> dict[tuple, Fraction]:
    """P(every party accepts d) for every assignment d, by enumerating every draw."""
    samples = [(made.probability(d), made.sample(d)) for d in every_draw(made.items)]
    issues = made.scenario().issues
    return {key(values): sum((p for p, s in samples if is_deal(s, values)), start=Fraction(0))
            for values in assignments(issues)}


def conditioned(made: Uncertain) -> bool:
    """Whether an item belongs to a party with an accept_at_least level (then the answer may be BOUNDED)."""
    levelled = {p.id for p in made.scenario().parties if p.accept_at_least is not None}
    return any(item.party in levelled for item in made.items)


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
@settings(PROPERTY, max_examples=examples(200))
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
    if not conditioned(made):  # one weighted optimisation, proved exactly
        assert result.status is RobustStatus.FOUND
    if result.status is RobustStatus.FOUND:
        assert result.probability == best == result.bound
    assert_gambles(made, result)


@given(uncertain_scenarios(ranges=False).filter(lambda s: all(p.accept_at_least is None for p in s.parties)))
@settings(PROPERTY, max_examples=examples(60))
def test_without_levels_the_answer_is_the_most_probable_deal(scen):
    """Only independent firmness: P(d) is the product over the red lines d breaks, and the deal is proved best."""
    made = uncertain(scen)
    chances = brute_force(made)
    best = max(chances.values())
    result = robust_deal(made, time_limit=GENEROUS)
    if best == 0:
        assert result.status is RobustStatus.NO_DEAL
        return
    assert result.status is RobustStatus.FOUND
    assert result.probability == best == chances[key(result.deal.values)] == result.bound
    firm = {i.name: i.probabilities[0] for i in made.items}
    product = Fraction(1)
    for name in result.gambles:
        product *= 1 - firm[name]
    assert product == result.probability
