"""The classic bargaining points on a Pareto frontier: plain functions over exact numbers, no solver.

Utilities are exact Fractions, one per party, measured from each party's disagreement point d_p (its
reservation value, else 0). The four points follow the definitions of docs/check.md ("Trade-offs"), which are
NegMAS's `nash_points`, `ks_points`, `kalai_points` and `max_welfare_points` given the same disagreement and
ideal points, computed exactly instead of in floats:

* NASH (J. Nash, "The Bargaining Problem", Econometrica 18(2), 1950): the greatest product Π (u_p − d_p) over
  the points where every party gains (u_p > d_p);
* KALAI_SMORODINSKY (E. Kalai, M. Smorodinsky, "Other Solutions to Nash's Bargaining Problem", Econometrica
  43(3), 1975), in its discrete form: the least spread max_p r_p − min_p r_p of the parties' shares of their
  possible gain r_p = (u_p − d_p) / (ideal_p − d_p) (a party whose ideal is its disagreement value cannot gain:
  r_p = 1 on every point, so it has no bearing);
* EGALITARIAN (E. Kalai, "Proportional Solutions to Bargaining Situations", Econometrica 45(7), 1977; NegMAS's
  `kalai_points`): the greatest least gain min_p (u_p − d_p);
* UTILITARIAN: the greatest total Σ_p u_p.

Ties are exact: the point given is the first of the frontier's canonical order (utility vectors descending
lexicographically in party order) and `ties` counts the frontier points that reach the same value, when the
points are the whole frontier (`ties_exact`); counted among the points of a cut frontier, it is a lower bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from math import prod
from typing import Any

# Why a bargaining point is missing (BargainingPoint.reason): stable phrases, which the command's words module
# may show as they are or word its own way.
NO_POINTS = "no acceptable deal"
NO_GAIN = "no frontier point gives every party more than its disagreement value"
NO_IDEAL = "the ideal point is not known (the search was cut short)"
NOT_FOUND = "no frontier point was found before the search was cut short"
# Why a point is given but not exact (the frontier was cut and the point's own solve was not made):
NO_COMMON_SCALE = "the parties' scales have no common scale the solver can hold: chosen among the points found"
PRODUCT_TOO_LARGE = "the product of the gains is too large for the solver: chosen among the points found"


class Solution(str, Enum):
    """The bargaining points, in the order they are listed."""

    NASH = "nash"
    KALAI_SMORODINSKY = "kalai-smorodinsky"
    EGALITARIAN = "egalitarian"
    UTILITARIAN = "utilitarian"


@dataclass(frozen=True)
class FrontierPoint:
    """One point of the frontier: the parties' utilities and one acceptable deal that gives them exactly."""

    utilities: tuple[Fraction, ...]  # per party, in the frontier's party order
    scaled: tuple[int, ...]  # the same as integers, each on its party's scale (PartyUtility.scale)
    deal: Mapping[str, Any]  # issue → value; verified by the plain evaluator


@dataclass(frozen=True)
class BargainingPoint:
    solution: Solution
    point: FrontierPoint | None  # None: there is none (reason says why)
    ties: int  # frontier points reaching the same optimum (1: unique; 0 when there is no point)
    exact: bool  # False: chosen among the points found only (the frontier was cut short)
    reason: str | None = None  # why there is no point, or (exact False) why it was not solved for
    ties_exact: bool = True  # False: `ties` was counted among the points found only, so at least that many tie


def dominates(a: Sequence[int | Fraction], b: Sequence[int | Fraction]) -> bool:
    """Whether `a` Pareto-dominates `b`: at least as good for every party and better for one."""
    return all(x >= y for x, y in zip(a, b, strict=True)) and tuple(a) != tuple(b)


def canonical_order(points: Sequence[FrontierPoint]) -> tuple[FrontierPoint, ...]:
    """Utility vectors descending lexicographically in party order."""
    return tuple(sorted(points, key=lambda p: p.scaled, reverse=True))


Gains = tuple[int, ...]  # each party's utility above its disagreement value, times a common denominator


def _common_denominator(numbers: Iterable[Fraction]) -> int:
    return math.lcm(*{Fraction(x).denominator for x in numbers})


def _whole(x: Fraction, denominator: int) -> int:
    return x.numerator * (denominator // x.denominator)


def _nash(gains: Gains, possible: Gains) -> int | None:
    return prod(gains) if all(g > 0 for g in gains) else None


def _kalai_smorodinsky(gains: Gains, possible: Gains) -> int | None:
    # shares g/top, all times the product of the nonzero tops (a positive constant): whole numbers
    common = prod(top for top in possible if top)
    shares = [g * (common // top) if top else common for g, top in zip(gains, possible)]
    return min(shares) - max(shares)  # the least spread is the greatest of its negation


def _egalitarian(gains: Gains, possible: Gains) -> int | None:
    return min(gains)


def _utilitarian(gains: Gains, possible: Gains) -> int | None:
    return sum(gains)  # Σ u_p less a constant: the same order as Σ u_p


Score = Callable[[Gains, Gains], int | None]  # (gains, possible gains) → value to maximise; None: not counted
SCORES: dict[Solution, Score] = {
    Solution.NASH: _nash,
    Solution.KALAI_SMORODINSKY: _kalai_smorodinsky,
    Solution.EGALITARIAN: _egalitarian,
    Solution.UTILITARIAN: _utilitarian,
}


def values(solution: Solution, points: Sequence[FrontierPoint], disagreement: Sequence[Fraction],
           ideal: Sequence[Fraction] | None) -> list[int | None]:
    """Each point's value for the solution (None: the point does not count), in whole numbers: every utility,
    disagreement and ideal value is brought to one common denominator first, so that each value is its exact
    Fraction definition times a positive constant (the same order, the same ties) without a Fraction per
    operation. The ideal matters to Kalai–Smorodinsky only (zeros when unknown)."""
    tops = tuple(ideal) if ideal is not None else tuple(disagreement)
    denominator = _common_denominator([*disagreement, *tops, *(u for p in points for u in p.utilities)])
    base = [_whole(d, denominator) for d in disagreement]
    possible = tuple(_whole(top, denominator) - d for top, d in zip(tops, base))
    score = SCORES[solution]
    return [score(tuple(_whole(u, denominator) - d for u, d in zip(p.utilities, base)), possible) for p in points]


def ties(solution: Solution, point: FrontierPoint, points: Sequence[FrontierPoint],
         disagreement: Sequence[Fraction], ideal: Sequence[Fraction] | None) -> int:
    """How many points reach the value of `point` (itself included, once), among `points` and it."""
    others = [p for p in points if p.scaled != point.scaled]
    first, *rest = values(solution, [point, *others], disagreement, ideal)
    return 1 + sum(1 for v in rest if v is not None and v == first)


def bargaining_points(points: Sequence[FrontierPoint], disagreement: Sequence[Fraction],
                      ideal: Sequence[Fraction] | None, *, exact: bool) -> tuple[BargainingPoint, ...]:
    """The four points among `points` (a frontier, or the part of it found), in Solution order. `exact`: the
    points are the whole frontier, so each optimum is the optimum over every acceptable deal."""
    ordered = canonical_order(points)
    return tuple(_best(solution, ordered, disagreement, ideal, exact) for solution in Solution)


def _best(solution: Solution, ordered: Sequence[FrontierPoint], disagreement: Sequence[Fraction],
          ideal: Sequence[Fraction] | None, exact: bool) -> BargainingPoint:
    if not ordered:
        return BargainingPoint(solution, None, 0, exact, NO_POINTS if exact else NOT_FOUND, exact)
    if ideal is None and solution is Solution.KALAI_SMORODINSKY:
        return BargainingPoint(solution, None, 0, exact, NO_IDEAL, exact)
    found = values(solution, ordered, disagreement, ideal)
    counted = [v for v in found if v is not None]
    if not counted:
        return BargainingPoint(solution, None, 0, exact, NO_GAIN, exact)
    best = max(counted)
    first = next(p for p, v in zip(ordered, found) if v == best)
    return BargainingPoint(solution, first, sum(1 for v in counted if v == best), exact, ties_exact=exact)
