"""A party's utility block: how much it values each outcome, linear-additive per issue as in automated negotiation
(GENIUS), or ANAC 2014's non-linear rectangles; its exact value per deal, and its reservation value as the red line
PARTY/reservation (docs/format.md#utilities).

Every number of a block is exact (a Fraction read from its text). A party's utility in a deal is an integer number
of millionths (PRECISION), each term rounded half up on its own, so that the solver, the brute force and every
answer compute the same integer and none depends on float rounding.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from fractions import Fraction
from typing import Any

from .acceptance import balanced_sum
from .kinds import issue_type
from .location import Location
from .model import RESERVATION_ID, Issue, IssueKind, Rule, RuleKind, RuleRef
from .rules.printer import to_text
from .rules.syntax import And, Arith, BoolLit, Compare, Count, Expr, IntLit, Membership, Name, Neg, Not, StrLit

__all__ = ["PRECISION", "RESERVATION_ID", "IssueUtility", "POINTS", "Rectangle", "SCORES", "Utility", "best_possible",
           "bounded", "decimal_text", "evaluation", "issues_scored", "lowest_possible", "rectangle_condition",
           "rectangle_integers", "reservation_rule", "reservation_says", "reservation_threshold", "round_half_up",
           "score_keys", "scored_width", "scoring", "too_large", "utility_of", "value_terms"]

PRECISION = 10**6  #: a utility is a whole number of millionths
#: The most a block's utility may reach, in millionths (a little over 1,000): the objectives scale it again by up to
#: 2^20 and add it up over the parties, within CP-SAT's 64-bit integers.
BLOCK_CAP = 2**30
#: The most a block of rectangles may add up to, its numbers brought to whole numbers (times PRECISION, its
#: reservation red line stays within the rule checker's exact range, 2^53).
RECTANGLES_CAP = 2**33


@dataclass(frozen=True)
class IssueUtility:
    """One issue's part of an additive block: its weight and how the party scores its values."""

    issue: str
    weight: Fraction
    scores: tuple[tuple[Any, Fraction], ...] = ()  # bool/enum/set: (value or member, score) in the issue's value order
    points: tuple[tuple[int, Fraction], ...] = ()  # int: (x, y) ascending
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Rectangle:
    """A box of int values (bounds inclusive) worth `utility` to the party when a deal lies in it."""

    utility: Fraction
    bounds: tuple[tuple[str, int, int], ...]  # (issue, min, max) inclusive, in written order


@dataclass(frozen=True)
class Utility:
    """A party's utility block, as written (exact numbers)."""

    issues: tuple[IssueUtility, ...] = ()
    rectangles: tuple[Rectangle, ...] = ()
    max_utility: Fraction | None = None  # rectangles only
    reservation: Fraction | None = None
    discount: Fraction | None = None  # GENIUS's discount factor: kept, exported back, used by no answer
    location: Location | None = field(default=None, compare=False)

    @property
    def additive(self) -> bool:
        """Whether the utility is a sum over single issues (no rectangles)."""
        return not self.rectangles


def issues_scored(utility: Utility) -> tuple[str, ...]:
    """The issues the block's value depends on, in the order written."""
    if utility.additive:
        return tuple(part.issue for part in utility.issues)
    return tuple(dict.fromkeys(name for r in utility.rectangles for name, _, _ in r.bounds))


SCORES, POINTS = "scores", "points"  # how a block evaluates an issue: a score per value, or points through (x, y)


def scoring(issue: Issue) -> str | None:
    """How a utility block evaluates the issue's values (None: it cannot score the issue, a sequence)."""
    if issue.kind is IssueKind.INT:
        return POINTS
    return SCORES if issue.kind in (IssueKind.BOOL, IssueKind.ENUM, IssueKind.SET) else None


def bounded(issue: Issue) -> bool:
    """Whether a rectangle can bound the issue (int issues only, as in ANAC 2014's hyperRectangles)."""
    return issue.kind is IssueKind.INT


def score_keys(issue: Issue) -> dict[str, Any]:
    """A scored issue's keys as written under `scores:` (bool: true and false) → the value (or set member) each
    names, in the issue's value order."""
    if issue.kind is IssueKind.BOOL:
        return {"false": False, "true": True}
    return {value: value for value in issue.values}


def scored_width(issue: Issue) -> int:
    """How many terms a block lists for the issue at most: an int issue's values (Limits.utility_values)."""
    return issue_type(issue).size(issue) if issue.kind is IssueKind.INT else 0


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def evaluation(utility: IssueUtility, issue: Issue, value: Any) -> Fraction:
    """e(value), exact: a bool or enum value's score over the issue's best score; a set's members' scores over all
    its members' scores; an int's piecewise-linear evaluation through the points (constant beyond the ends)."""
    if issue.kind is IssueKind.INT:
        return _piecewise(utility.points, value)
    scores = dict(utility.scores)
    if issue.kind is IssueKind.SET:
        total = sum(scores.values(), Fraction(0))
        return sum((scores.get(m, Fraction(0)) for m in value), Fraction(0)) / total if total else Fraction(0)
    best = max(scores.values(), default=Fraction(0))
    return scores.get(value, Fraction(0)) / best if best else Fraction(0)


def _piecewise(points: tuple[tuple[int, Fraction], ...], x: int) -> Fraction:
    if not points:
        return Fraction(0)
    if x <= points[0][0]:
        return points[0][1]
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        if x <= x2:
            return y1 + (y2 - y1) * Fraction(x - x1, x2 - x1)
    return points[-1][1]


def _term(utility: IssueUtility, issue: Issue, value: Any) -> int:
    """One (issue, value) term in millionths; for a set issue, one member's (its score's share of the whole)."""
    if issue.kind is IssueKind.SET:
        total = sum((s for _, s in utility.scores), Fraction(0))
        share = dict(utility.scores).get(value, Fraction(0)) / total if total else Fraction(0)
        return round_half_up(PRECISION * utility.weight * share)
    return round_half_up(PRECISION * utility.weight * evaluation(utility, issue, value))


def _scored(utility: IssueUtility, issue: Issue) -> list[Any]:
    """The values (set issues: members) that can have a nonzero term, in the issue's value order."""
    if issue.kind is IssueKind.INT:
        return list(issue_type(issue).every_value(issue))
    return [value for value, _ in utility.scores]


@lru_cache(maxsize=1024)  # a block is asked about deal after deal: its terms are listed once per issue
def _terms_of(part: IssueUtility, issue: Issue) -> dict[Any, int]:
    found = {value: _term(part, issue, value) for value in _scored(part, issue)}
    return {value: term for value, term in found.items() if term}


def value_terms(utility: Utility, issues: Mapping[str, Issue]) -> dict[str, dict[Any, int]]:
    """Additive blocks: issue → {value (bool, str or int) or set member → its term in millionths}, nonzero terms
    only (the inner mappings are shared: read them, do not change them). A deal's utility is the sum of the terms of
    its values (of its members, for a set issue)."""
    return {part.issue: _terms_of(part, issues[part.issue]) for part in utility.issues}


def utility_of(utility: Utility, issues: Mapping[str, Issue], deal: Mapping[str, Any]) -> int:
    """The party's utility in the deal, in millionths: the definition every other computation must agree with."""
    if not utility.additive:
        assert utility.max_utility is not None
        total = sum((r.utility for r in utility.rectangles if _inside(r, deal)), Fraction(0))
        return min(PRECISION, math.floor(PRECISION * total / utility.max_utility))
    result = 0
    for part in utility.issues:
        issue, value = issues[part.issue], deal[part.issue]
        terms = _terms_of(part, issue)
        result += sum(terms.get(member, 0) for member in value) if issue.kind is IssueKind.SET else terms.get(value, 0)
    return result


def _inside(rectangle: Rectangle, deal: Mapping[str, Any]) -> bool:
    return all(low <= deal[issue] <= high for issue, low, high in rectangle.bounds)


def best_possible(utility: Utility, issues: Mapping[str, Issue]) -> int:
    """An upper bound of the utility in millionths (the best value of every issue; PRECISION for rectangles)."""
    if not utility.additive:
        return PRECISION
    total = 0
    for name, terms in value_terms(utility, issues).items():
        total += sum(terms.values()) if issues[name].kind is IssueKind.SET else max(terms.values(), default=0)
    return total


def rectangle_integers(utility: Utility) -> tuple[list[int], int]:
    """A block of rectangles' utilities and max_utility as whole numbers of one common unit (their proportions,
    which is all the utility depends on)."""
    assert utility.max_utility is not None
    common = math.lcm(utility.max_utility.denominator, *(r.utility.denominator for r in utility.rectangles))
    return [int(r.utility * common) for r in utility.rectangles], int(utility.max_utility * common)


def too_large(utility: Utility, issues: Mapping[str, Issue]) -> str | None:
    """Why the block's numbers are too large for exact arithmetic, or None when they are not."""
    if utility.additive:
        best = best_possible(utility, issues)
        reach = decimal_text(Fraction(best, PRECISION), 6)
        return None if best <= BLOCK_CAP else f"its utility can reach {reach}, more than {BLOCK_CAP // PRECISION:,}"
    weights, whole = rectangle_integers(utility)
    largest = max(sum(weights), whole)
    return None if largest <= RECTANGLES_CAP else \
        f"its rectangles' utilities and max_utility, as whole numbers of one unit, reach {largest:,}, more than " \
        f"{RECTANGLES_CAP:,}"


def lowest_possible(utility: Utility, issues: Mapping[str, Issue]) -> int:
    """The least utility of an additive block in millionths (0 for rectangles, a bound): each issue's least term,
    which is 0 for an issue with a value (a set: the empty set) that has no term."""
    if not utility.additive:
        return 0
    total = 0
    for name, terms in value_terms(utility, issues).items():
        issue = issues[name]
        every = 0 if issue.kind is IssueKind.SET else issue_type(issue).size(issue)
        total += min(terms.values()) if terms and len(terms) == every else 0
    return total


def reservation_threshold(reservation: Fraction) -> int:
    """The least utility in millionths a party with this reservation value accepts."""
    return math.ceil(PRECISION * reservation)


def reservation_rule(party_id: str, name: str, utility: Utility, issues: Mapping[str, Issue],
                     location: Location | None) -> Rule | None:
    """The reservation value as the red line PARTY/reservation, in the rule language (None without one): the
    party's utility in millionths reaches ceil(PRECISION · R)."""
    if utility.reservation is None:
        return None
    expr = reservation_expr(utility, issues)
    ref = RuleRef(party_id, RESERVATION_ID)
    return Rule(ref.owner, ref.id, RuleKind.RED_LINE, reservation_says(name, utility), to_text(expr), expr, 1, None,
                location)


def reservation_says(name: str, utility: Utility) -> str:
    """What the reservation red line says, in the party's name."""
    assert utility.reservation is not None
    never = not utility.additive and reservation_threshold(utility.reservation) > PRECISION
    return (f"{name} accepts no deal worth less than {_decimal(utility.reservation)} to it (its reservation value)."
            + (" No deal is worth that much: its utility is at most 1." if never else ""))


def _decimal(value: Fraction) -> str:
    """A reservation value as people write it: the decimal when it has one short enough, else P/Q."""
    for places in range(7):
        if (value * 10**places).denominator == 1:
            return decimal_text(value, places)
    return str(value)


def decimal_text(value: Fraction, places: int) -> str:
    """`value` written with `places` decimals (rounded half up when it needs more)."""
    scaled = round_half_up(abs(value) * 10**places)
    digits = str(scaled).rjust(places + 1, "0")
    whole, fraction = digits[:len(digits) - places], digits[len(digits) - places:]
    return ("-" if value < 0 and scaled else "") + whole + ("." + fraction if places else "")


def reservation_expr(utility: Utility, issues: Mapping[str, Issue]) -> Expr:
    threshold = reservation_threshold(utility.reservation or Fraction(0))
    if utility.additive:
        weighted = [(term, _is(issues[name], value))
                    for name, terms in value_terms(utility, issues).items() for value, term in terms.items()]
        return _at_least(weighted, threshold)
    if threshold > PRECISION:
        return BoolLit(False)  # rectangles are worth at most 1
    # min(P, floor(P·S/M)) ≥ T ≤ P  ⇔  P·S ≥ T·M; every Fraction brought to whole numbers by a common denominator
    weights, whole = rectangle_integers(utility)
    coefficients = [PRECISION * w for w in weights]
    bound = threshold * whole
    divisor = math.gcd(bound, *coefficients) or 1
    weighted = [(c // divisor, rectangle_condition(r)) for c, r in zip(coefficients, utility.rectangles) if c]
    return _at_least(weighted, bound // divisor)


def _at_least(weighted: list[tuple[int, Expr]], bound: int) -> Expr:
    """`c1 * count(cond1) + ... >= bound` (`0 >= bound` with no terms)."""
    terms: list[Expr] = [Arith("*", IntLit(c), Count((cond,))) for c, cond in weighted]
    return Compare((balanced_sum(terms) if terms else IntLit(0), _number(bound)), (">=",))


def _number(value: int) -> Expr:
    return IntLit(value) if value >= 0 else Neg(IntLit(-value))


def _is(issue: Issue, value: Any) -> Expr:
    """The condition that the issue takes the value (for a set issue: includes the member)."""
    if issue.kind is IssueKind.BOOL:
        return Name(issue.name) if value else Not(Name(issue.name))
    if issue.kind is IssueKind.SET:
        return Membership(StrLit(value), Name(issue.name))
    literal = StrLit(value) if issue.kind is IssueKind.ENUM else _number(value)
    return Compare((Name(issue.name), literal), ("==",))


def rectangle_condition(rectangle: Rectangle) -> Expr:
    """`MIN <= ISSUE <= MAX and ...`: the deal lies in the rectangle."""
    bounds: list[Expr] = [Compare((_number(low), Name(issue), _number(high)), ("<=", "<="))
                          for issue, low, high in rectangle.bounds]
    return bounds[0] if len(bounds) == 1 else And(tuple(bounds))
