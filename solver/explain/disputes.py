"""Disputes: the conflicts grouped by the red lines they share, in the order an analyst reads them.

Two conflicts belong to one dispute when they share a red line, directly or through other conflicts (the
connected components of the conflicts, joined by red lines). Facts do not join conflicts: they are the common
background of every conflict, never given up, so a fact shared by two conflicts does not tie their settlements
together. A conflict of facts alone (no red lines) is a dispute of its own that nothing settles.

Settling a dispute means giving up red lines that break each of its conflicts. When the conflicts listed are
all there are, the minimal relaxations of the whole scenario are exactly the combinations of one minimal
option per dispute (hitting-set duality: R. Reiter, "A theory of diagnosis from first principles", AI 32(1),
1987; the minimal hitting sets of a union of set systems over disjoint members are the unions of one minimal
hitting set of each), so they are shown that way instead of as a flat list of near-identical combinations.

Everything here is plain data; conflicts.py verifies with the solver what is shown.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from math import prod
from typing import TYPE_CHECKING

from feasible.positions.model import RuleRef, Scenario

from ..groups import joined
from .algorithms import minimal_hitting_sets

if TYPE_CHECKING:
    from .conflicts import Conflict

# Past this many minimal options in one dispute (at any step of their enumeration), the options are not listed
# and the relaxations fall back to the flat search: the list would not help a reader, and its cost grows fast.
OPTIONS_LIMIT = 1_000


@dataclass(frozen=True)
class Option:
    """One way to settle a dispute: red lines to give up that break each of its conflicts, none of which could
    be kept."""

    drop: tuple[str, ...]  # sorted names PARTY/ID
    cost: int  # the total weight of the red lines given up


@dataclass(frozen=True)
class Dispute:
    """Conflicts joined by shared red lines, and every minimal way to settle them."""

    conflicts: tuple[Conflict, ...]  # in salience order
    red_lines: tuple[str, ...]  # every red line of its conflicts, sorted
    parties: tuple[str, ...]  # the ids of the parties whose red lines are in it, sorted
    headline: bool  # it holds the conflict the scenario names under `headline:`
    options: tuple[Option, ...] = ()  # cheapest first, then fewest red lines, then by name; () when not known
    option_count: int = 0  # how many minimal options there are (`options` may list only the first of them)

    @property
    def cheapest(self) -> tuple[Option, ...]:
        """The options that cost as little as the cheapest."""
        return tuple(o for o in self.options if o.cost == self.options[0].cost) if self.options else ()


def cost_by_party(scenario: Scenario, drop: Sequence[str]) -> dict[str, int]:
    """What giving up these red lines costs each party (its id → the weight of its red lines among them), in the
    order the parties are listed; the cost of a way is the sum."""
    given = set(drop)
    costs: dict[str, int] = {}
    for rule in scenario.red_lines:
        if rule.name in given:
            costs[rule.owner] = costs.get(rule.owner, 0) + rule.weight
    return costs


def canonical_key(drop: Sequence[str], cost: int) -> tuple:
    """The order of equally good relaxations: cheapest first, then the fewest red lines, then by their names."""
    return cost, len(drop), tuple(sorted(drop))


def headline_conflict(scenario: Scenario, conflict: Conflict) -> bool:
    """Whether the conflict holds every red line the scenario names as its headline."""
    return bool(scenario.headline) and set(scenario.headline) <= set(conflict.red_lines)


def salience_key(scenario: Scenario, conflict: Conflict) -> tuple:
    """The order conflicts are shown in: the scenario's headline conflict first, then those between more parties,
    then those with more weight at stake (the red lines' total weight), then the smaller, then by name."""
    parties = {RuleRef.parse(name).owner for name in conflict.red_lines}
    weight = sum(scenario.rule(name).weight for name in conflict.red_lines)
    return (not headline_conflict(scenario, conflict), -len(parties), -weight, len(conflict.red_lines),
            conflict.red_lines, conflict.facts)


def order_conflicts(scenario: Scenario, conflicts: Sequence[Conflict]) -> tuple[Conflict, ...]:
    return tuple(sorted(conflicts, key=lambda c: salience_key(scenario, c)))


def group_disputes(scenario: Scenario, conflicts: Sequence[Conflict], *, options: bool,
                   stop: Callable[[], bool] = lambda: False) -> tuple[Dispute, ...]:
    """The conflicts as disputes, most salient first (by their most salient conflict). With `options` (only when
    the conflicts are all there are), each dispute lists its minimal options, unless there are too many or
    `stop()` says the time is up."""
    groups = _components([c.red_lines for c in conflicts])
    disputes = []
    for members in groups:
        listed = order_conflicts(scenario, [conflicts[i] for i in members])
        red = tuple(sorted({name for c in listed for name in c.red_lines}))
        ways = settle(scenario, listed, stop) if options else ()
        disputes.append(Dispute(listed, red, tuple(sorted({RuleRef.parse(n).owner for n in red})),
                                any(headline_conflict(scenario, c) for c in listed), ways, len(ways)))
    return tuple(sorted(disputes, key=lambda d: salience_key(scenario, d.conflicts[0])))


def _components(red_lines: Sequence[tuple[str, ...]]) -> list[list[int]]:
    """The indices of the conflicts, grouped into connected components by shared red lines (a conflict of facts
    alone, with none, is a group of its own)."""
    root = joined(red_lines)
    groups: dict[object, list[int]] = {}
    for i, names in enumerate(red_lines):
        groups.setdefault(root(names[0]) if names else i, []).append(i)
    return list(groups.values())


def settle(scenario: Scenario, conflicts: Sequence[Conflict], stop: Callable[[], bool] = lambda: False
           ) -> tuple[Option, ...]:
    """Every minimal option for a dispute, in canonical order; () when there are more than OPTIONS_LIMIT, `stop()`
    says the time is up, or the dispute is a conflict of facts alone (nothing settles it)."""
    found = minimal_hitting_sets([frozenset(c.red_lines) for c in conflicts], OPTIONS_LIMIT, stop)
    if not found:
        return ()
    options = [Option(tuple(sorted(drop)), sum(cost_by_party(scenario, tuple(drop)).values())) for drop in found]
    return tuple(sorted(options, key=lambda o: canonical_key(o.drop, o.cost)))


def settled(disputes: Sequence[Dispute]) -> bool:
    """Whether every dispute lists its options, so that the relaxations are their combinations."""
    return bool(disputes) and all(d.options for d in disputes)


def combination_count(disputes: Sequence[Dispute]) -> int:
    """How many minimal relaxations there are: one option of each dispute."""
    return prod(d.option_count for d in disputes)


def cheapest_count(disputes: Sequence[Dispute]) -> int:
    """How many of them are cheapest: one of the cheapest options of each dispute."""
    return prod(len(d.cheapest) for d in disputes)


def combinations(disputes: Sequence[Dispute]) -> Iterator[tuple[tuple[str, ...], int]]:
    """The combinations of one option per dispute (red lines given up, sorted, and cost), cheapest first; among
    equally cheap ones, dispute by dispute in the disputes' order, each dispute's options in theirs (the ranks of
    the options chosen, compared in order). The order does not depend on the solver, so the first K are always a
    prefix of the first K + 1.

    Lazy best-first enumeration over the product: each combination is reached from the one with the last raised
    rank lowered, so that it is pushed once (as in E. L. Lawler, "A procedure for computing the K best solutions
    to discrete optimization problems", Management Science 18(7), 1972)."""
    if not disputes or not all(d.options for d in disputes):
        return
    start = (0,) * len(disputes)

    def cost(ranks: tuple[int, ...]) -> int:
        return sum(d.options[r].cost for d, r in zip(disputes, ranks))

    heap = [(cost(start), start, 0)]
    while heap:
        total, ranks, raised = heapq.heappop(heap)
        yield tuple(sorted(name for d, r in zip(disputes, ranks) for name in d.options[r].drop)), total
        for i in range(raised, len(disputes)):
            if ranks[i] + 1 < len(disputes[i].options):
                following = ranks[:i] + (ranks[i] + 1,) + ranks[i + 1:]
                heapq.heappush(heap, (cost(following), following, i))
