"""Utility blocks for property tests: random blocks over the strategies' tiny issues (with reservation values), a
direct computation of a block's utility to check positions/utility.py against, and a compiled model pinned to one
deal (to read the solver's utility there)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from feasible.positions.model import Issue, IssueKind, Scenario
from feasible.positions.utility import IssueUtility, Rectangle, Utility, reservation_rule
from feasible.solver import cpsat
from feasible.solver.compile import Compiled

NUMBERS = (Fraction(0), Fraction(1), Fraction(2), Fraction(1, 3), Fraction(3, 4), Fraction(5, 7), Fraction(7, 10))
WEIGHTS = (Fraction(0), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(1), Fraction(7, 10), Fraction(3, 2))
EVALUATIONS = (Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3), Fraction(1))
RESERVATIONS = (Fraction(0), Fraction(1, 5), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3), Fraction(1),
                Fraction(3, 2))
SCORED = (IssueKind.BOOL, IssueKind.ENUM, IssueKind.INT, IssueKind.SET)


@st.composite
def utility_blocks(draw, issues: Mapping[str, Issue]) -> Utility:
    """An additive block over some of the issues, or (with int issues, sometimes) a block of rectangles."""
    ints = [i for i in issues.values() if i.kind is IssueKind.INT]
    reservation = draw(st.none() | st.sampled_from(RESERVATIONS))
    if ints and draw(st.integers(0, 2)) == 0:
        rectangles = tuple(draw(_rectangles(ints)) for _ in range(draw(st.integers(1, 3))))
        return Utility(rectangles=rectangles, max_utility=draw(st.sampled_from((Fraction(1), Fraction(2),
                                                                                Fraction(5, 2)))),
                       reservation=reservation)
    scored = [i for i in issues.values() if i.kind in SCORED]
    chosen = draw(st.lists(st.sampled_from(scored), min_size=1, max_size=len(scored), unique_by=lambda i: i.name))
    return Utility(tuple(draw(_part(issue)) for issue in chosen), reservation=reservation)


@st.composite
def _part(draw, issue: Issue) -> IssueUtility:
    weight = draw(st.sampled_from(WEIGHTS))
    if issue.kind is IssueKind.INT:
        assert issue.min is not None and issue.max is not None
        xs = sorted(draw(st.lists(st.integers(issue.min, issue.max), min_size=1, max_size=3, unique=True)))
        return IssueUtility(issue.name, weight, points=tuple((x, draw(st.sampled_from(EVALUATIONS))) for x in xs))
    values = (False, True) if issue.kind is IssueKind.BOOL else issue.values
    listed = [v for v in values if draw(st.booleans())]
    return IssueUtility(issue.name, weight, scores=tuple((v, draw(st.sampled_from(NUMBERS))) for v in listed))


@st.composite
def _rectangles(draw, ints: list[Issue]) -> Rectangle:
    chosen = draw(st.lists(st.sampled_from(ints), min_size=1, max_size=len(ints), unique_by=lambda i: i.name))
    bounds = []
    for issue in chosen:
        assert issue.min is not None and issue.max is not None
        low = draw(st.integers(issue.min, issue.max))
        bounds.append((issue.name, low, draw(st.integers(low, issue.max))))
    return Rectangle(draw(st.sampled_from(NUMBERS)), tuple(bounds))


@st.composite
def with_utilities(draw, scenario: Scenario) -> Scenario:
    """The scenario with a utility block (and its reservation red line) on some of its parties, often all."""
    parties = []
    for party in scenario.parties:
        if draw(st.integers(0, 3)) == 0:
            parties.append(party)
            continue
        block = draw(utility_blocks(scenario.issues))
        parties.append(replace(party, utility=block,
                               reservation=reservation_rule(party.id, party.name, block, scenario.issues, None)))
    return replace(scenario, parties=tuple(parties))


# -- the direct computation -------------------------------------------------------------------------------------------

PRECISION = 10**6


def direct_utility(block: Utility, issues: Mapping[str, Issue], deal: Mapping[str, Any]) -> int:
    """A block's utility in millionths, computed from the definition (docs/format.md#utilities) in Fractions, each
    term rounded half up."""
    if block.rectangles:
        assert block.max_utility is not None
        inside = [r.utility for r in block.rectangles
                  if all(low <= deal[name] <= high for name, low, high in r.bounds)]
        return min(PRECISION, math.floor(PRECISION * sum(inside, Fraction(0)) / block.max_utility))
    return sum(_direct_terms(part, issues[part.issue], deal[part.issue]) for part in block.issues)


def _half_up(value: Fraction) -> int:
    whole = value.numerator // value.denominator
    return whole + (1 if value - whole >= Fraction(1, 2) else 0)


def _direct_terms(part: IssueUtility, issue: Issue, value: Any) -> int:
    if issue.kind is IssueKind.INT:
        return _half_up(PRECISION * part.weight * _through(part.points, value))
    scores = dict(part.scores)
    if issue.kind is IssueKind.SET:
        total = sum(scores.values(), Fraction(0))
        return sum(_half_up(PRECISION * part.weight * scores.get(m, 0) / total) for m in value) if total else 0
    best = max(scores.values(), default=Fraction(0))
    return _half_up(PRECISION * part.weight * scores.get(value, 0) / best) if best else 0


def _through(points, x: int) -> Fraction:
    """The piecewise-linear evaluation: the points' Y, straight between them, flat beyond the ends."""
    xs = [p[0] for p in points]
    if x <= xs[0]:
        return points[0][1]
    if x >= xs[-1]:
        return points[-1][1]
    right = next(i for i, px in enumerate(xs) if px >= x)
    (x1, y1), (x2, y2) = points[right - 1], points[right]
    return y1 + (y2 - y1) * Fraction(x - x1) / (x2 - x1)


def party_value(scenario: Scenario, party_id: str, deal: Mapping[str, Any]) -> Fraction | None:
    """What check's objectives measure for a party: its block's utility, else its demand satisfaction."""
    from feasible.solver.evaluate import holds

    party = scenario.party(party_id)
    if party.utility is not None:
        return Fraction(direct_utility(party.utility, scenario.issues, deal), PRECISION)
    if not party.demands:
        return None
    return Fraction(sum(d.weight for d in party.demands if holds(d, scenario.issues, deal)), party.demand_weight)


def pinned(compiled: Compiled, deal: Mapping[str, Any]) -> cpsat.Model:
    """A copy of the compiled model in which every issue takes its value in `deal`."""
    model = compiled.model.clone()
    for name, value in deal.items():
        iv = compiled.issues[name]
        model.add_bool_or([iv.encoder.differs(model, iv, value).Not()])
    return model
