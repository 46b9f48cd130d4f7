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


def _ask(check: CheckFn, subset: frozenset) -> Check:
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
        answer = _ask(check, rest)
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
        answer = _ask(check, current | {item})
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
            self.model.add_hint(v, True)
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
            answer = _ask(check, seed)
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
