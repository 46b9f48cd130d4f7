"""Brute force: the frontier and the bargaining points of a GENIUS domain by enumerating every outcome, in exact
integers (design §Vocabulary). The oracle of tests/test_anac_domains.py and of the benchmark's small domains.

Standard library only. Nothing here is shared with `feasible.solver.frontier`: the definitions are written out
again from the design (acceptable = every party at or above its disagreement point; frontier = the distinct
non-dominated utility vectors; the four points with ties broken by the canonical order, descending lexicographic).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from genius_xml import Domain, rectangle_utility, term_tables, thresholds

SOLUTIONS = ("nash", "kalai-smorodinsky", "egalitarian", "utilitarian")


@dataclass(frozen=True)
class Point:
    vector: tuple[int, ...] | None  # None: no such point
    ties: int


@dataclass(frozen=True)
class BruteFrontier:
    points: tuple[tuple[int, ...], ...]  # canonical order
    disagreement: tuple[int, ...]
    ideal: tuple[int, ...] | None
    bargaining: dict[str, Point]


def utility_vectors(domain: Domain) -> set[tuple[int, ...]]:
    """The distinct utility vectors of every outcome (additive: summed issue by issue, so the work is the number of
    distinct partial sums, at most the number of outcomes)."""
    if domain.nonlinear:
        return {tuple(rectangle_utility(p, domain.issues, outcome) for p in domain.profiles)
                for outcome in itertools.product(*(i.values for i in domain.issues))}
    partial = {tuple(0 for _ in domain.profiles)}
    for table in term_tables(domain):
        partial = {tuple(a + b for a, b in zip(s, t)) for s in partial for t in set(table)}
    return partial


def dominates(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return a != b and all(x >= y for x, y in zip(a, b))


def pareto(vectors: set[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Non-dominated vectors, canonical order. A dominating vector has a strictly larger sum, so scanning by sum
    descending, a vector is dominated iff a vector kept before it dominates it."""
    kept: list[tuple[int, ...]] = []
    for v in sorted(vectors, key=lambda v: (-sum(v), tuple(-x for x in v))):
        if not any(dominates(k, v) for k in kept):
            kept.append(v)
    return sorted(kept, reverse=True)


def best(points, key) -> Point:
    """The first point in canonical order reaching the best key (None keys are left out), and how many reach it."""
    scored = [(key(p), p) for p in points]
    scored = [(k, p) for k, p in scored if k is not None]
    if not scored:
        return Point(None, 0)
    top = max(k for k, _ in scored)
    reaching = [p for k, p in scored if k == top]
    return Point(reaching[0], len(reaching))


def bargaining(points, d, ideal) -> dict[str, Point]:
    def nash(p):
        if any(u <= dp for u, dp in zip(p, d)):
            return None
        product = 1
        for u, dp in zip(p, d):
            product *= u - dp
        return product

    def ratios(p):
        return [Fraction(1) if i == dp else Fraction(u - dp, i - dp) for u, dp, i in zip(p, d, ideal)]

    def ks(p):
        r = ratios(p)
        return -(max(r) - min(r))

    return {"nash": best(points, nash), "kalai-smorodinsky": best(points, ks),
            "egalitarian": best(points, lambda p: min(u - dp for u, dp in zip(p, d))),
            "utilitarian": best(points, sum)}


def brute_frontier(domain: Domain) -> BruteFrontier:
    d = thresholds(domain)
    acceptable = {v for v in utility_vectors(domain) if all(u >= dp for u, dp in zip(v, d))}
    if not acceptable:
        return BruteFrontier((), d, None, {s: Point(None, 0) for s in SOLUTIONS})
    points = pareto(acceptable)
    ideal = tuple(max(p[k] for p in points) for k in range(len(d)))
    return BruteFrontier(tuple(points), d, ideal, bargaining(points, d, ideal))
