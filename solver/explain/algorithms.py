"""Explanation algorithms as small free functions over an abstract satisfiability check.

Each algorithm sees the soft constraints only as hashable items and asks `check(subset)` whether they can all
hold together (with the hard background). Keeping them abstract lets the tests run them against brute force
on plain set systems, and lets any solver back them. Each has a naive twin, used as a test oracle.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Check(Generic[T]):
    """The answer to "can these all hold together?".

    sat: they can; `satisfied` then lists every soft item the witness satisfies (a superset of the subset).
    Otherwise `core`, when known, is a subset of the asked items that is already contradictory.
    `decided` is False when the check ran out of time (then neither answer is known).
    """

    sat: bool
    satisfied: frozenset = frozenset()
    core: frozenset | None = None
    decided: bool = True


CheckFn = Callable[[frozenset], Check]


class OutOfTime(Exception):
    """A check could not be decided within the time limit."""


def ask(check: CheckFn, subset: frozenset) -> Check:
    """The check's answer, or OutOfTime when it could not be decided."""
    answer = check(subset)
    if not answer.decided:
        raise OutOfTime()
    return answer


def find_mus(items: Sequence[T], check: CheckFn, core: frozenset | None = None) -> frozenset:
    """One minimal unsatisfiable subset of `items` (which must be contradictory), by deletion with clause-set
    refinement: drop each item in turn, keep it out when the rest is still contradictory and then continue
    from the (smaller) core the solver returns.

    Deletion-based MUS extraction: J. Bakker, F. Marques-Silva et al. line of work; see J. Marques-Silva,
    "Minimal Unsatisfiability: Models, Algorithms and Applications", ISMVL 2010; clause-set refinement as in
    A. Belov, J. Marques-Silva, "Accelerating MUS extraction with recursive model rotation", FMCAD 2011.
    Items earlier in `items` are tried for removal first, so later items are preferred in the result.
    """
    current = frozenset(items) if core is None else frozenset(core) & frozenset(items)
    order = [item for item in items if item in current]
    needed: set = set()
    for item in order:
        if item not in current or item in needed:
            continue
        rest = current - {item}
        answer = ask(check, rest)
        if answer.sat:
            needed.add(item)
        else:
            current = rest if answer.core is None else (answer.core & rest) | (needed & rest)
    return current


def grow_mss(items: Sequence[T], seed: frozenset, first: Check, check: CheckFn) -> frozenset:
    """A maximal satisfiable subset containing the satisfiable `seed`: start from everything the seed's
    witness already satisfies, then try each remaining item once (each success adds all its witness meets).
    """
    current = frozenset(first.satisfied) | seed
    for item in items:
        if item in current:
            continue
        answer = ask(check, current | {item})
        if answer.sat:
            current = current | {item} | answer.satisfied
    return current & frozenset(items)


@dataclass
class Enumeration(Generic[T]):
    """What MARCO found: minimal conflicts (MUSes), minimal corrections (MCSes), and whether it finished."""

    muses: list[frozenset] = field(default_factory=list)
    mcses: list[frozenset] = field(default_factory=list)
    complete: bool = False


class MapSolver:
    """The map of MARCO: which subsets are still unexplored, as clauses over one Boolean per item.

    Up-clauses (from MUSes) say at least one member is left out; down-clauses (from MCSes) say at least one
    member is put in. Solved by CP-SAT from an all-in hint, then grown greedily to a maximal seed.
    """

    def __init__(self, items: Sequence[T], time_left: Callable[[], float] = lambda: 3600.0):
        from .. import cpsat

        self.time_left = time_left
        self._cp = cpsat
        self.items = list(items)
        self.model = cpsat.Model()
        self.var = {item: self.model.new_bool_var(f"in{i}") for i, item in enumerate(self.items)}
        for v in self.var.values():
            self.model.add_hint(v, 1)  # an int: protobuf refuses a bool in the hint's values (OR-Tools 9.10)
        self.up: list[frozenset] = []

    def block_up(self, mus: frozenset) -> None:
        self.up.append(mus)
        self.model.add_bool_or([self.var[i].Not() for i in mus])

    def block_down(self, mcs: frozenset) -> None:
        self.model.add_bool_or([self.var[i] for i in mcs])

    def maximal_seed(self) -> frozenset | None:
        """An unexplored subset, as large as the map allows, or None when everything is explored."""
        from ..search import new_solver

        remaining = self.time_left()
        if remaining <= 0:
            raise OutOfTime()
        # Clauses only, solved hundreds of times: presolve pays here (it simplifies the growing clause set), the
        # rest of the set-up does not (chain enumeration: 6.0 -> 3.7-5.1 ms a solve; without presolve 6 ms).
        solver = new_solver(remaining, seed=1, setup=False)
        status = solver.solve(self.model)
        if status == self._cp.INFEASIBLE:
            return None
        if status not in (self._cp.OPTIMAL, self._cp.FEASIBLE):
            raise OutOfTime()
        seed = {item for item, v in self.var.items() if solver.boolean_value(v)}
        for item in self.items:  # adding an item can only break an up-clause
            if item not in seed and all(not (mus <= seed | {item}) for mus in self.up):
                seed.add(item)
        return frozenset(seed)


def marco(items: Sequence[T], check: CheckFn, *, limit: int | None = None,
          stop: Callable[[], bool] = lambda: False, time_left: Callable[[], float] = lambda: 3600.0
          ) -> Enumeration:
    """Enumerate MUSes (and, as a by-product, MCSes) with MARCO.

    M. H. Liffiton, A. Previti, A. Malik, J. Marques-Silva, "Fast, flexible MUS enumeration",
    Constraints 21(2), 2016. Seeds are maximal unexplored subsets; a satisfiable seed grows into a maximal
    satisfiable subset whose complement (an MCS) is blocked down; a contradictory one shrinks into a MUS,
    blocked up. `complete` is True when the map is exhausted, which proves no other MUS exists.
    """
    found: Enumeration = Enumeration()
    explored = MapSolver(items, time_left)
    all_items = frozenset(items)
    try:
        while not stop():
            if limit is not None and len(found.muses) >= limit:
                return found
            seed = explored.maximal_seed()
            if seed is None:
                found.complete = True
                return found
            answer = ask(check, seed)
            if answer.sat:
                mss = grow_mss(items, seed, answer, check)
                mcs = all_items - mss
                found.mcses.append(mcs)
                explored.block_down(mcs)
                if not mcs:  # everything holds together: no conflict at all
                    found.complete = True
                    return found
            else:
                mus = find_mus(items, check, answer.core if answer.core is not None else seed)
                found.muses.append(mus)
                explored.block_up(mus)
    except OutOfTime:
        pass
    return found


@dataclass
class Corrections(Generic[T]):
    """Minimal correction sets found cheapest first, and whether the search finished: it found as many as
    asked, or proved there are no others (False when it ran out of time)."""

    mcses: list[frozenset] = field(default_factory=list)
    cores: list[frozenset] = field(default_factory=list)  # contradictory subsets met on the way (MUSes)
    complete: bool = False


class HittingSets:
    """The cheapest set of items to give up that hits every known core (gives up a member of each) and is none
    of the corrections already found (keeps a member of each): a small weighted hitting-set problem on
    CP-SAT, with one Boolean only per item that some core mentions."""

    def __init__(self, weight: Callable[[T], int], time_left: Callable[[], float] = lambda: 3600.0):
        from .. import cpsat

        self._cp = cpsat
        self.weight = weight
        self.time_left = time_left
        self.model = cpsat.Model()
        self.drop: dict = {}
        self.impossible = False  # an empty core: nothing to give up helps

    def _var(self, item):
        if item not in self.drop:
            self.drop[item] = self.model.new_bool_var(f"drop{len(self.drop)}")
        return self.drop[item]

    def must_hit(self, core: frozenset) -> None:
        if not core:
            self.impossible = True
        self.model.add_bool_or([self._var(item) for item in sorted(core, key=repr)])

    def block(self, mcs: frozenset) -> None:
        self.model.add_bool_or([self._var(item).Not() for item in sorted(mcs, key=repr)])

    def cheapest(self) -> frozenset | None:
        """The cheapest such set, or None when there is none; OutOfTime unless proved cheapest."""
        from ..search import new_solver

        if self.impossible:
            return None
        remaining = self.time_left()
        if remaining <= 0:
            raise OutOfTime()
        self.model.minimize(sum(self.weight(item) * var for item, var in self.drop.items()))
        solver = new_solver(remaining, seed=1, setup=False)
        status = solver.solve(self.model)
        if status == self._cp.INFEASIBLE:
            return None
        if status != self._cp.OPTIMAL:  # a cheaper one might exist, and this one might not be minimal
            raise OutOfTime()
        return frozenset(item for item, var in self.drop.items() if solver.boolean_value(var))


def cheapest_mcses(items: Sequence[T], weight: Callable[[T], int], check: CheckFn, *, limit: int | None = None,
                   cores: Iterable[frozenset] = (), found_before: Iterable[frozenset] = (),
                   as_cheap_as: frozenset | None = None, time_left: Callable[[], float] = lambda: 3600.0
                   ) -> Corrections:
    """Up to `limit` minimal correction sets, cheapest first by total weight, by implicit hitting sets, other
    than those `found_before`; with `as_cheap_as`, only those that cost no more than it (so that a caller can
    collect every correction as cheap as the last it listed, and choose among equals by a rule of its own).

    J. Davies, F. Bacchus, "Solving MAXSAT by solving a sequence of simpler SAT instances", CP 2011: the
    cheapest set hitting every known core is a lower bound on any correction; when giving it up leaves a
    satisfiable rest, it is a cheapest correction (and, weights being positive, a minimal one: R. Reiter,
    "A theory of diagnosis from first principles", AI 32(1), 1987, MCSes are the minimal hitting sets of the
    MUSes); otherwise the rest yields a new core, shrunk to a MUS. Each correction found is then blocked and
    the next cheapest sought, as in relaxation search (F. Bacchus, J. Davies, M. Tsimpoukelli, G. Katsirelos,
    AAAI 2014). Known conflicts (`cores`) seed the search: when they are all the MUSes, no further core is needed.
    """
    found: Corrections = Corrections()
    cost = _positive(weight, items)
    candidates = HittingSets(cost, time_left)
    all_items = frozenset(items)
    for core in cores:
        candidates.must_hit(frozenset(core) & all_items)
    for earlier in found_before:
        candidates.block(earlier)
    bound = None if as_cheap_as is None else _cost(cost, as_cheap_as)
    try:
        while limit is None or len(found.mcses) < limit:
            give_up = candidates.cheapest()
            if give_up is None or (bound is not None and _cost(cost, give_up) > bound):
                break
            answer = ask(check, all_items - give_up)
            if answer.sat:
                found.mcses.append(give_up)
                candidates.block(give_up)
                if not give_up:  # everything holds together: the empty correction is the only one
                    break
            else:
                rest = all_items - give_up
                mus = find_mus(items, check, answer.core if answer.core is not None else rest)
                found.cores.append(mus)
                candidates.must_hit(mus)
    except OutOfTime:
        return found
    found.complete = True
    return found


def _cost(weight: Callable[[T], int], items: Iterable[T]) -> int:
    return sum(weight(item) for item in items)


def minimal_hitting_sets(sets: Sequence[frozenset], limit: int,
                         stop: Callable[[], bool] = lambda: False) -> list[frozenset] | None:
    """Every minimal hitting set of `sets` (a set meeting each of them, none of whose members can be left out),
    or None when there are more than `limit` at some step or `stop()` says so. By hitting-set duality, given every
    MUS of a system, its minimal hitting sets are exactly its minimal correction sets.

    Berge's algorithm: the minimal transversals of the first k sets, those that miss the next set extended by
    one of its members each, then kept minimal (C. Berge, "Hypergraphs", North-Holland 1989, ch. 2; analysed in
    T. Eiter, G. Gottlob, "Identifying the minimal transversals of a hypergraph and related problems", SIAM J.
    Comput. 24(6), 1995). An extended set can only be made redundant by one that already met the next set (two
    extensions of distinct minimal transversals never contain one another), so only those are compared. A set
    system without sets has the empty set as its one minimal hitting set; one with an empty set has none."""
    transversals: list[frozenset] = [frozenset()]
    for members in sets:
        if not members:
            return []
        kept = [t for t in transversals if t & members]
        grown = {t | {item} for t in transversals if not t & members for item in members}
        transversals = kept + [t for t in grown if not any(k <= t for k in kept)]
        if len(transversals) > limit or stop():
            return None
    return sorted(transversals, key=lambda t: sorted(t, key=repr))


def _positive(weight: Callable[[T], int], items: Sequence[T]) -> Callable[[T], int]:
    """Weights the hitting sets can use: a cheapest hitting set is a minimal one only when every weight is
    positive (a weight of 0 would let it grow). With a weight of 0 among them, each weight w counts as
    w * (n + 1) + 1, which orders sets by their weight first and their size second."""
    if any(weight(item) < 0 for item in items):
        raise ValueError("cheapest_mcses needs weights of 0 or more (giving up an item never pays)")
    if all(weight(item) > 0 for item in items):
        return weight
    return lambda item: weight(item) * (len(items) + 1) + 1


# -- naive twins (test oracles) ------------------------------------------------------------------------------------

def all_subsets(items: Sequence[T]) -> Iterable[frozenset]:
    for size in range(len(items) + 1):
        for combo in combinations(items, size):
            yield frozenset(combo)


def muses_brute_force(items: Sequence[T], is_sat: Callable[[frozenset], bool]) -> set[frozenset]:
    """Every MUS, by testing every subset: contradictory, and every subset with one item less is satisfiable."""
    return {s for s in all_subsets(items) if s and not is_sat(s) and all(is_sat(s - {i}) for i in s)}


def mcses_brute_force(items: Sequence[T], is_sat: Callable[[frozenset], bool]) -> set[frozenset]:
    """Every MCS: removing it leaves a satisfiable set, and removing any proper subset of it does not."""
    full = frozenset(items)
    return {s for s in all_subsets(items)
            if is_sat(full - s) and all(not is_sat(full - (s - {i})) for i in s)}


def minimal_hitting_sets_brute_force(sets: Sequence[frozenset]) -> set[frozenset]:
    """Every minimal hitting set, by testing every subset of the sets' members."""
    members = sorted(set().union(*sets), key=repr)
    hits = [s for s in all_subsets(members) if all(s & each for each in sets)]
    return {s for s in hits if not any(other < s for other in hits)}


def cheapest_mcses_brute_force(items: Sequence[T], weight: Callable[[T], int],
                               is_sat: Callable[[frozenset], bool]) -> list[frozenset]:
    """Every MCS, cheapest first (ties by their sorted members)."""
    return sorted(mcses_brute_force(items, is_sat), key=lambda s: (sum(weight(i) for i in s), sorted(s, key=repr)))
