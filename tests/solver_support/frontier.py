"""Random utility blocks for tiny scenarios, and the naive twins of solver/frontier.py and solver/bargaining.py:
the frontier by enumerating every deal, and each bargaining point straight from its definition."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from math import prod
from typing import Any

from hypothesis import strategies as st

from feasible.positions.model import Issue, IssueKind, Scenario
from feasible.positions.utility import IssueUtility, Rectangle, Utility, reservation_rule, utility_of

from .build import party, scenario
from .oracle import assignments, domain, is_deal
from .strategies import conditions, issue_sets, loose_conditions

WEIGHTS = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 10), Fraction(1), Fraction(2, 3))
SCORES = (Fraction(0), Fraction(1), Fraction(2), Fraction(5, 2), Fraction(3))
YS = (Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(1))
RESERVATIONS = (None, None, None, None, Fraction(0), Fraction(1, 10), Fraction(1, 4), Fraction(1, 2))


@st.composite
def issue_utilities(draw, issue: Issue) -> IssueUtility | None:
    weight = draw(st.sampled_from(WEIGHTS))
    if issue.kind is IssueKind.INT:
        assert issue.min is not None and issue.max is not None
        xs = sorted(draw(st.sets(st.integers(issue.min, issue.max), min_size=2 if issue.max > issue.min else 1,
                                 max_size=3)))
        return IssueUtility(issue.name, weight, points=tuple((x, draw(st.sampled_from(YS))) for x in xs))
    if issue.kind is IssueKind.SEQUENCE:
        return None
    values = list(domain(issue)) if issue.kind is IssueKind.BOOL else list(issue.values)
    if issue.kind is IssueKind.SET:  # (scores are never negative: more members never hurt)
        scores = draw(st.lists(st.sampled_from(SCORES), min_size=len(values), max_size=len(values)))
    else:  # distinct scores in a random order: parties often want different values
        scores = list(draw(st.permutations(SCORES[1:][:len(values)] if draw(st.booleans()) else SCORES[:len(values)])))
    return IssueUtility(issue.name, weight, scores=tuple((v, s) for v, s in zip(values, scores) if s or
                                                        draw(st.booleans())))


@st.composite
def rectangles(draw, issues: dict[str, Issue]) -> tuple[Rectangle, ...]:
    ints = [i for i in issues.values() if i.kind is IssueKind.INT]
    boxes = []
    for _ in range(draw(st.integers(1, 3))):
        chosen = draw(st.lists(st.sampled_from(ints), min_size=1, max_size=len(ints), unique_by=lambda i: i.name))
        bounds = []
        for issue in chosen:
            low = draw(st.integers(issue.min, issue.max))
            bounds.append((issue.name, low, draw(st.integers(low, issue.max))))
        boxes.append(Rectangle(draw(st.sampled_from(SCORES[1:])), tuple(bounds)))
    return tuple(boxes)


@st.composite
def utilities(draw, issues: dict[str, Issue], additive_only: bool = False) -> Utility:
    reservation = draw(st.sampled_from(RESERVATIONS))
    if not additive_only and any(i.kind is IssueKind.INT for i in issues.values()) and draw(st.integers(0, 3)) == 0:
        return Utility(rectangles=draw(rectangles(issues)), max_utility=draw(st.sampled_from(SCORES[1:])),
                       reservation=reservation)
    parts = [draw(issue_utilities(issue)) for issue in issues.values() if draw(st.integers(0, 3))]
    return Utility(issues=tuple(p for p in parts if p is not None), reservation=reservation)


def with_block(scen: Scenario, party_id: str, block: Utility) -> Scenario:
    """The scenario with the party given a utility block (and its reservation as a red line, as the loader does)."""
    parties = []
    for p in scen.parties:
        if p.id == party_id:
            p = replace(p, utility=block,
                        reservation=reservation_rule(p.id, p.name, block, scen.issues, None))
        parties.append(p)
    return replace(scen, parties=tuple(parties))


@st.composite
def with_blocks(draw, scen: Scenario, additive_only: bool = False, everyone: bool = False) -> Scenario:
    """Some parties (every one, `everyone`) given random utility blocks."""
    for p in scen.parties:
        if everyone or draw(st.booleans()):
            scen = with_block(scen, p.id, draw(utilities(scen.issues, additive_only)))
    return scen


@st.composite
def frontier_scenarios(draw, additive_only: bool = False, rules: bool = True) -> Scenario:
    """2-4 tiny issues and 1-4 parties, most with a utility block (the others with demands), and a few facts and
    red lines that hold often (`rules`; else only some on a single issue, which the dynamic programme takes as
    narrowing that issue), so that frontiers of several points are common."""
    issues = draw(issue_sets())
    count = draw(st.sampled_from([1, 2, 2, 2, 3, 3, 4]))
    narrowable = list(issues.values())
    loose = loose_conditions(issues, 1) if rules else \
        st.sampled_from(narrowable).flatmap(lambda i: loose_conditions({i.name: i}, 1)) if narrowable else None
    if loose is None:
        some = st.just([])
    else:
        some = st.lists(loose, max_size=1) if rules else \
            st.sampled_from([0, 0, 1]).flatmap(lambda n: st.lists(loose, min_size=n, max_size=n))
    parties = []
    for index in range(count):
        red = draw(some)
        demands = draw(st.lists(st.tuples(conditions(issues, 1), st.integers(1, 3)), min_size=1, max_size=3)) \
            if rules and draw(st.integers(0, 3)) == 0 else []
        parties.append(party(f"p{index}", red, demands))
    facts = draw(some)
    scen = scenario(issues, parties, facts)
    for p in scen.parties:
        if not p.demands:
            scen = with_block(scen, p.id, draw(utilities(issues, additive_only)))
    return scen


# -- the naive twins ---------------------------------------------------------------------------------------------


def utility_vector(scen: Scenario, party_ids, deal) -> tuple[Fraction, ...]:
    """Each party's utility, from the definitions: its block's millionths, else its demand satisfaction."""
    result = []
    for pid in party_ids:
        p = scen.party(pid)
        if p.utility is not None:
            result.append(Fraction(utility_of(p.utility, scen.issues, deal), 10**6))
        else:
            met = sum(d.weight for d in p.demands if _holds(scen, d, deal))
            result.append(Fraction(met, p.demand_weight))
    return tuple(result)


def _holds(scen, rule, deal) -> bool:
    from feasible.solver.evaluate import holds

    return holds(rule, scen.issues, deal)


def with_utility(scen: Scenario) -> list[str]:
    return [p.id for p in scen.parties if p.utility is not None or p.demands]


def acceptable_vectors(scen: Scenario, party_ids) -> dict[tuple[Fraction, ...], list[dict[str, Any]]]:
    """Every acceptable deal (facts and red lines, reservations included), by its utility vector."""
    found: dict[tuple[Fraction, ...], list[dict[str, Any]]] = {}
    for deal in assignments(scen.issues):
        if is_deal(scen, deal):
            found.setdefault(utility_vector(scen, party_ids, deal), []).append(deal)
    return found


def naive_frontier(vectors) -> set[tuple]:
    """The vectors no other vector dominates, by comparing every pair."""
    vectors = set(vectors)
    return {v for v in vectors
            if not any(all(x >= y for x, y in zip(w, v)) and w != v for w in vectors)}


def naive_bargaining(front: set[tuple], disagreement, ideal) -> dict[str, tuple[tuple | None, int]]:
    """solution → (its point: the greatest vector among the optima, ties) straight from the definitions."""
    def gains(v):
        return [u - d for u, d in zip(v, disagreement)]

    def shares(v):
        return [(u - d) / (i - d) if i != d else Fraction(1) for u, d, i in zip(v, disagreement, ideal)]

    values = {
        "nash": {v: prod(gains(v), start=Fraction(1)) for v in front if all(g > 0 for g in gains(v))},
        "kalai-smorodinsky": {v: -(max(shares(v)) - min(shares(v))) for v in front},
        "egalitarian": {v: min(gains(v)) for v in front},
        "utilitarian": {v: sum(v) for v in front},
    }
    result: dict[str, tuple[tuple | None, int]] = {}
    for name, scored in values.items():
        if not scored:
            result[name] = (None, 0)
            continue
        best = max(scored.values())
        optima = [v for v, value in scored.items() if value == best]
        result[name] = (max(optima), len(optima))
    return result
