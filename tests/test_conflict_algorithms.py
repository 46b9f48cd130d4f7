"""The generic explanation algorithms (solver/explain/algorithms.py) on plain set systems.

Items are small ints; a random family of small sets plays the conflicts; a subset is satisfiable exactly when it
contains no conflict. The check function answers like a solver would: a witness that satisfies the subset and
sometimes more, and for a contradictory subset a core that is exact (one conflict), padded, the whole subset,
or unknown (None); sometimes it runs out of time. Results are compared with the naive twins
(muses_brute_force, mcses_brute_force), which are themselves checked against an independent bitmask oracle.
"""

from __future__ import annotations

import random
from itertools import combinations

import pytest
from hypothesis import assume, HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.solver.explain.algorithms import (Check, Enumeration, HittingSets, MapSolver, OutOfTime, all_subsets,
                                       cheapest_mcses, cheapest_mcses_brute_force, find_mus, grow_mss, marco,
                                       mcses_brute_force, muses_brute_force)

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CORE_MODES = ("exact", "padded", "whole")  # what a contradictory answer says about its core (None: see below)


# ---------------------------------------------------------------------------------------------- set systems

class SetSystem:
    """Items and conflicts; `is_sat(s)`: s contains no conflict."""

    def __init__(self, items: list[int], conflicts: list[frozenset]):
        self.items = items
        self.conflicts = conflicts

    def is_sat(self, subset: frozenset) -> bool:
        return not any(c <= subset for c in self.conflicts)

    def is_mus(self, s: frozenset) -> bool:
        return bool(s) and not self.is_sat(s) and all(self.is_sat(s - {i}) for i in s)

    def is_mcs(self, s: frozenset) -> bool:
        full = frozenset(self.items)
        return self.is_sat(full - s) and all(not self.is_sat(full - s | {i}) for i in s)

    def is_mss(self, s: frozenset) -> bool:
        return self.is_sat(s) and all(not self.is_sat(s | {i}) for i in set(self.items) - s)


class Answers:
    """A check function over a set system, answering in one of the ways a solver may.

    core_mode: "exact" (one conflict inside the subset), "padded" (a conflict plus random other members of
    the subset), "whole" (the subset itself) or None (no core). grow: a witness often satisfies more items
    than asked. undecided_after: from that call on, every answer is "out of time"."""

    def __init__(self, system: SetSystem, rng: random.Random, core_mode: str | None = "exact", grow: bool = True,
                 undecided_after: int | None = None, max_calls: int = 20_000):
        self.system = system
        self.rng = rng
        self.core_mode = core_mode
        self.grow = grow
        self.undecided_after = undecided_after
        self.max_calls = max_calls
        self.calls = 0
        self.asked: list[frozenset] = []

    def __call__(self, subset: frozenset) -> Check:
        assert isinstance(subset, frozenset)
        assert subset <= set(self.system.items), "asked about an item that does not exist"
        self.calls += 1
        self.asked.append(subset)
        if self.calls > self.max_calls:  # a loop, not an answer: fail instead of hanging
            raise AssertionError(f"more than {self.max_calls} checks: the algorithm does not terminate")
        if self.undecided_after is not None and self.calls > self.undecided_after:
            return Check(False, decided=False)
        if self.system.is_sat(subset):
            satisfied = set(subset)
            if self.grow:
                for item in self.rng.sample(self.system.items, len(self.system.items)):
                    if self.rng.random() < 0.6 and self.system.is_sat(frozenset(satisfied | {item})):
                        satisfied.add(item)
            return Check(True, frozenset(satisfied))
        inside = [c for c in self.system.conflicts if c <= subset]
        if self.core_mode is None:
            return Check(False, core=None)
        if self.core_mode == "whole":
            return Check(False, core=subset)
        core = set(self.rng.choice(inside))
        if self.core_mode == "padded":
            core |= {i for i in subset if self.rng.random() < 0.5}
        return Check(False, core=frozenset(core))


@st.composite
def set_systems(draw, max_items: int = 8, max_conflicts: int = 5) -> SetSystem:
    """Up to 8 items (shuffled), up to 5 non-empty conflicts of 1-3 items (may overlap or nest)."""
    n = draw(st.integers(1, max_items))
    items = draw(st.permutations(list(range(n))))
    conflict = st.frozensets(st.sampled_from(range(n)), min_size=1, max_size=min(3, n))
    conflicts = draw(st.lists(conflict, max_size=max_conflicts))
    return SetSystem(list(items), conflicts)


rngs = st.integers(0, 2**32 - 1).map(random.Random)


def bitmask_muses(system: SetSystem) -> set[frozenset]:
    """MUSes computed independently of the naive twin: over bitmasks, with the satisfiable sets closed downward."""
    n = len(system.items)
    index = {item: i for i, item in enumerate(system.items)}
    masks = [sum(1 << index[i] for i in c) for c in system.conflicts]
    sat = [not any(m & s == m for m in masks) for s in range(1 << n)]
    found = set()
    for s in range(1, 1 << n):
        if not sat[s] and all(sat[s & ~(1 << b)] for b in range(n) if s >> b & 1):
            found.add(frozenset(system.items[b] for b in range(n) if s >> b & 1))
    return found


def minimal_hitting_sets(items, family: set[frozenset]) -> set[frozenset]:
    hits = [frozenset(s) for s in all_subsets(items) if all(s & f for f in family)]
    return {h for h in hits if not any(o < h for o in hits)}


def assert_true_muses(system: SetSystem, muses) -> None:
    assert len(set(muses)) == len(muses), f"a MUS was reported twice: {muses}"
    for mus in muses:
        assert system.is_mus(mus), f"{sorted(mus)} is not a MUS of {system.conflicts}"


def assert_true_mcses(system: SetSystem, mcses) -> None:
    assert len(set(mcses)) == len(mcses), f"an MCS was reported twice: {mcses}"
    for mcs in mcses:
        assert system.is_mcs(mcs), f"{sorted(mcs)} is not an MCS of {system.conflicts}"


# ---------------------------------------------------------------------------------------------- naive twins

@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems())
def test_naive_twins_agree_with_bitmasks_and_hitting_set_duality(system):
    muses = muses_brute_force(system.items, system.is_sat)
    assert muses == bitmask_muses(system)
    # the MUSes are exactly the minimal conflicts of the family
    assert muses == {c for c in system.conflicts if not any(o < c for o in system.conflicts)}
    mcses = mcses_brute_force(system.items, system.is_sat)
    assert all(system.is_mcs(m) for m in mcses)
    # Reiter's duality: MCSes are the minimal hitting sets of the MUSes (and the empty set when there are none)
    assert mcses == minimal_hitting_sets(system.items, muses)


def test_naive_twins_on_a_hand_example():
    system = SetSystem([0, 1, 2, 3], [frozenset({0, 1}), frozenset({1, 2}), frozenset({0, 1, 3})])
    assert muses_brute_force(system.items, system.is_sat) == {frozenset({0, 1}), frozenset({1, 2})}
    assert mcses_brute_force(system.items, system.is_sat) == {frozenset({1}), frozenset({0, 2})}
    empty = SetSystem([0, 1], [])
    assert muses_brute_force(empty.items, empty.is_sat) == set()
    assert mcses_brute_force(empty.items, empty.is_sat) == {frozenset()}


# ---------------------------------------------------------------------------------------------- MARCO

@settings(PROPERTY, max_examples=examples(300))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES), grow=st.booleans())
def test_marco_finds_exactly_all_muses_and_mcses(system, rng, core_mode, grow):
    answers = Answers(system, rng, core_mode, grow)
    found = marco(system.items, answers)
    assert isinstance(found, Enumeration)
    assert found.complete
    assert_true_muses(system, found.muses)
    assert_true_mcses(system, found.mcses)
    assert set(found.muses) == muses_brute_force(system.items, system.is_sat)
    assert set(found.mcses) == mcses_brute_force(system.items, system.is_sat)


@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES), limit=st.integers(0, 4))
def test_marco_limit(system, rng, core_mode, limit):
    total = len(muses_brute_force(system.items, system.is_sat))
    found = marco(system.items, Answers(system, rng, core_mode), limit=limit)
    assert_true_muses(system, found.muses)
    assert_true_mcses(system, found.mcses)
    assert len(found.muses) == min(limit, total)
    if limit < total:
        assert not found.complete
    if limit > total:
        assert found.complete
        assert set(found.muses) == muses_brute_force(system.items, system.is_sat)


@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES), stop_after=st.integers(0, 6))
def test_marco_stop(system, rng, core_mode, stop_after):
    answers = Answers(system, rng, core_mode)
    polls = []

    def stop() -> bool:
        polls.append(1)
        return len(polls) > stop_after

    found = marco(system.items, answers, stop=stop)
    assert_true_muses(system, found.muses)
    assert_true_mcses(system, found.mcses)
    if found.complete:
        assert set(found.muses) == muses_brute_force(system.items, system.is_sat)
        assert set(found.mcses) == mcses_brute_force(system.items, system.is_sat)
    else:
        assert len(polls) == stop_after + 1  # it stopped because it was told to, at the first poll after
    if stop_after == 0:
        assert not found.complete and found.muses == [] and found.mcses == [] and answers.calls == 0


@settings(PROPERTY, max_examples=examples(300))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES), after=st.integers(0, 12))
def test_marco_out_of_time_keeps_what_it_proved(system, rng, core_mode, after):
    """Undecided checks end the enumeration (complete False) without raising; what was found still holds."""
    answers = Answers(system, rng, core_mode, undecided_after=after)
    found = marco(system.items, answers)
    assert_true_muses(system, found.muses)
    assert_true_mcses(system, found.mcses)
    muses = muses_brute_force(system.items, system.is_sat)
    if found.complete:
        assert set(found.muses) == muses
        assert set(found.mcses) == mcses_brute_force(system.items, system.is_sat)
    else:
        assert answers.calls > after  # only an undecided answer can cut it short here
    if after == 0:
        assert not found.complete and found.muses == [] and found.mcses == []


def test_marco_no_time_left_is_incomplete():
    system = SetSystem([0, 1, 2], [frozenset({0, 1})])
    found = marco(system.items, Answers(system, random.Random(1)), time_left=lambda: 0.0)
    assert not found.complete and found.muses == []


def test_marco_everything_satisfiable():
    system = SetSystem([0, 1, 2], [])
    answers = Answers(system, random.Random(1))
    found = marco(system.items, answers)
    assert found.complete and found.muses == [] and found.mcses == [frozenset()]
    assert answers.calls == 1


def test_marco_no_items():
    found = marco([], Answers(SetSystem([], []), random.Random(1)))
    assert found.complete and found.muses == []


def test_marco_designed_example():
    """Three overlapping conflicts, like the Ukraine scenario's: {a,b,c}, {d,e}, {f,g}."""
    conflicts = [frozenset({0, 1, 2}), frozenset({3, 4}), frozenset({5, 6})]
    system = SetSystem(list(range(8)), conflicts)
    found = marco(system.items, Answers(system, random.Random(7), "whole"))
    assert found.complete
    assert set(found.muses) == set(conflicts)
    assert len(found.mcses) == 3 * 2 * 2
    assert all(len(m) == 3 for m in found.mcses)


def test_marco_without_cores():
    """A check that never returns a core is allowed ("core, when known"); MARCO must still find every MUS."""
    system = SetSystem([0, 1, 2, 3], [frozenset({0, 1}), frozenset({2, 3})])
    answers = Answers(system, random.Random(3), core_mode=None, max_calls=500)
    found = marco(system.items, answers)
    assert found.complete
    assert set(found.muses) == {frozenset({0, 1}), frozenset({2, 3})}


def test_marco_without_cores_reports_distinct_muses():
    system = SetSystem([0, 1, 2, 3], [frozenset({0, 1}), frozenset({2, 3})])
    found = marco(system.items, Answers(system, random.Random(3), core_mode=None), limit=2)
    assert len(set(found.muses)) == 2


# ---------------------------------------------------------------------------------------------- find_mus

@settings(PROPERTY, max_examples=examples(400))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES + (None,)),
       first_core=st.sampled_from(["none", "answer", "whole"]), grow=st.booleans())
def test_find_mus_returns_a_true_mus(system, rng, core_mode, first_core, grow):
    full = frozenset(system.items)
    if system.is_sat(full):
        return
    answers = Answers(system, rng, core_mode, grow)
    core = {"none": None, "whole": full, "answer": answers(full).core}[first_core]
    mus = find_mus(system.items, answers, core)
    assert system.is_mus(mus), (sorted(mus), system.conflicts)
    assert mus in muses_brute_force(system.items, system.is_sat)
    if core is not None:
        assert mus <= core  # shrinks the core it was given, never leaves it
        assert all(asked <= core for asked in answers.asked[1:])


@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES))
def test_find_mus_from_a_seed_core_stays_inside_it(system, rng, core_mode):
    """Given a contradictory subset as the core, the MUS is found inside that subset."""
    if not system.conflicts:
        return
    seed = frozenset(rng.choice(system.conflicts) | {i for i in system.items if rng.random() < 0.3})
    answers = Answers(system, rng, core_mode)
    mus = find_mus(system.items, answers, seed)
    assert system.is_mus(mus) and mus <= seed
    assert all(asked <= seed for asked in answers.asked)


def test_find_mus_single_item_and_empty_core():
    system = SetSystem([0, 1, 2], [frozenset({1})])
    assert find_mus(system.items, Answers(system, random.Random(0))) == frozenset({1})
    # a core that is already empty (the background alone is contradictory) stays empty, with no checks
    answers = Answers(system, random.Random(0))
    assert find_mus(system.items, answers, frozenset()) == frozenset()
    assert answers.calls == 0


def test_find_mus_prefers_later_items():
    """Items earlier in `items` are tried for removal first, so later items are kept when there is a choice."""
    system = SetSystem([0, 1, 2, 3], [frozenset({0, 1}), frozenset({2, 3})])
    assert find_mus(system.items, Answers(system, random.Random(0), "whole", grow=False)) == frozenset({2, 3})
    system = SetSystem([3, 2, 1, 0], [frozenset({0, 1}), frozenset({2, 3})])
    assert find_mus(system.items, Answers(system, random.Random(0), "whole", grow=False)) == frozenset({0, 1})


@settings(PROPERTY, max_examples=examples(100))
@given(system=set_systems(), rng=rngs, after=st.integers(0, 3))
def test_find_mus_out_of_time_raises(system, rng, after):
    full = frozenset(system.items)
    if system.is_sat(full) or len(full) <= after:
        return
    answers = Answers(system, rng, "whole", undecided_after=after)
    try:
        mus = find_mus(system.items, answers, full)
    except OutOfTime:
        assert answers.calls == after + 1
    else:  # it may finish before needing an undecided answer, and is then right
        assert system.is_mus(mus)
        assert answers.calls <= after


# ---------------------------------------------------------------------------------------------- grow_mss

@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems(), rng=rngs, grow=st.booleans())
def test_grow_mss_is_maximal_and_contains_the_seed(system, rng, grow):
    answers = Answers(system, rng, "exact", grow)
    seed = frozenset(i for i in system.items if rng.random() < 0.4)
    first = answers(seed)
    if not first.sat:
        return
    mss = grow_mss(system.items, seed, first, answers)
    assert seed <= mss <= set(system.items)
    assert system.is_mss(mss), (sorted(seed), sorted(mss), system.conflicts)


def test_grow_mss_out_of_time_raises():
    system = SetSystem([0, 1, 2], [frozenset({0, 1})])
    answers = Answers(system, random.Random(0), grow=False, undecided_after=1)
    first = answers(frozenset())
    with pytest.raises(OutOfTime):
        grow_mss(system.items, frozenset(), first, answers)


def test_grow_mss_ignores_witness_items_outside_the_universe():
    """A witness may satisfy soft items the caller did not list; the MSS keeps only listed items."""
    answer = Check(True, frozenset({0, 99}))
    assert grow_mss([0, 1], frozenset({0}), answer, lambda s: Check(True, s)) == frozenset({0, 1})


# ---------------------------------------------------------------------------------------------- MapSolver

@settings(PROPERTY, max_examples=examples(100))
@given(n=st.integers(1, 6), data=st.data())
def test_map_solver_seeds_are_maximal_unexplored(n, data):
    items = list(range(n))
    solver = MapSolver(items)
    ups, downs = [], []
    for _ in range(data.draw(st.integers(0, 5))):
        block = data.draw(st.frozensets(st.sampled_from(items), min_size=1, max_size=3))
        if data.draw(st.booleans()):
            solver.block_up(block)
            ups.append(block)
        else:
            solver.block_down(block)
            downs.append(block)

    def unexplored(s):
        return all(not (u <= s) for u in ups) and all(d & s for d in downs)

    seed = solver.maximal_seed()
    candidates = [frozenset(c) for k in range(n + 1) for c in combinations(items, k) if unexplored(frozenset(c))]
    if seed is None:
        assert candidates == []
    else:
        assert unexplored(seed)
        assert all(not unexplored(seed | {i}) for i in set(items) - seed)  # maximal


def test_map_solver_out_of_time():
    with pytest.raises(OutOfTime):
        MapSolver([0, 1], time_left=lambda: 0.0).maximal_seed()


# ---------------------------------------------------------------------------------------------- cheapest_mcses

def _weights(system: SetSystem, rng: random.Random) -> dict:
    return {item: rng.randint(1, 3) for item in system.items}


def _cost(weight: dict, s: frozenset) -> int:
    return sum(weight[i] for i in s)


def _brute_costs(system: SetSystem, weight: dict) -> list[int]:
    return [_cost(weight, s) for s in cheapest_mcses_brute_force(system.items, weight.__getitem__, system.is_sat)]


@settings(PROPERTY, max_examples=examples(300))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES + (None,)), grow=st.booleans(),
       seeded=st.integers(0, 5))
def test_cheapest_mcses_finds_every_mcs_cheapest_first(system, rng, core_mode, grow, seeded):
    """Without a limit: exactly the MCSes, in order of cost, whatever the cores the check returns and
    whichever of the MUSes are given as a head start (those are the conflicts `check` found first)."""
    weight = _weights(system, rng)
    muses = sorted(muses_brute_force(system.items, system.is_sat), key=sorted)
    found = cheapest_mcses(system.items, weight.__getitem__, Answers(system, rng, core_mode, grow),
                           cores=muses[:seeded])
    assert found.complete
    assert_true_mcses(system, found.mcses)
    assert set(found.mcses) == mcses_brute_force(system.items, system.is_sat)
    assert [_cost(weight, m) for m in found.mcses] == _brute_costs(system, weight)
    assert all(system.is_mus(core) for core in found.cores)
    assert not set(found.cores) & set(muses[:seeded])  # a known conflict is never looked for again


@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES), limit=st.integers(0, 4))
def test_cheapest_mcses_limit_gives_the_cheapest(system, rng, core_mode, limit):
    weight = _weights(system, rng)
    found = cheapest_mcses(system.items, weight.__getitem__, Answers(system, rng, core_mode), limit=limit)
    assert found.complete
    assert_true_mcses(system, found.mcses)
    assert [_cost(weight, m) for m in found.mcses] == _brute_costs(system, weight)[:limit]


@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES), after=st.integers(0, 10))
def test_cheapest_mcses_out_of_time_keeps_the_cheapest_found(system, rng, core_mode, after):
    """An undecided check ends the search (complete False) without raising; what was found is still the
    cheapest MCSes, in order."""
    weight = _weights(system, rng)
    answers = Answers(system, rng, core_mode, undecided_after=after)
    found = cheapest_mcses(system.items, weight.__getitem__, answers)
    assert_true_mcses(system, found.mcses)
    costs = _brute_costs(system, weight)
    assert [_cost(weight, m) for m in found.mcses] == costs[:len(found.mcses)]
    if found.complete:
        assert set(found.mcses) == mcses_brute_force(system.items, system.is_sat)
    else:
        assert answers.calls > after


@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES), limit=st.integers(1, 4))
def test_cheapest_mcses_collects_every_tie_of_the_last_one_in_a_second_pass(system, rng, core_mode, limit):
    """The first `limit`, then (blocking those and bounded by the last one's cost) every other MCS as cheap: the
    two together are exactly the MCSes that cost no more than the last of the first pass."""
    weight = _weights(system, rng)
    first = cheapest_mcses(system.items, weight.__getitem__, Answers(system, rng, core_mode), limit=limit)
    assume(len(first.mcses) == limit)
    more = cheapest_mcses(system.items, weight.__getitem__, Answers(system, rng, core_mode), cores=first.cores,
                          found_before=first.mcses, as_cheap_as=first.mcses[-1])
    assert more.complete
    assert_true_mcses(system, more.mcses)
    bound = _cost(weight, first.mcses[-1])
    assert not set(more.mcses) & set(first.mcses)
    assert set(first.mcses) | set(more.mcses) == {m for m in mcses_brute_force(system.items, system.is_sat)
                                                  if _cost(weight, m) <= bound}


def test_cheapest_mcses_no_time_for_the_hitting_sets_is_incomplete():
    system = SetSystem([0, 1, 2], [frozenset({0, 1})])
    answers = Answers(system, random.Random(1))
    found = cheapest_mcses(system.items, lambda item: 1, answers, time_left=lambda: 0.0)
    assert not found.complete and found.mcses == [] and answers.calls == 0


def test_cheapest_mcses_known_muses_need_no_further_core():
    """Given every MUS, each check finds a correction: no check is spent on a contradictory set."""
    conflicts = [frozenset({0, 1, 2}), frozenset({3, 4})]
    system = SetSystem(list(range(6)), conflicts)
    answers = Answers(system, random.Random(2))
    weight = {0: 3, 1: 1, 2: 2, 3: 2, 4: 2, 5: 1}
    found = cheapest_mcses(system.items, weight.__getitem__, answers, cores=conflicts)
    assert found.complete and found.cores == []
    assert answers.calls == len(found.mcses) == 6
    assert found.mcses[0] in (frozenset({1, 3}), frozenset({1, 4}))
    assert all(system.is_sat(asked) for asked in answers.asked)


def test_cheapest_mcses_everything_satisfiable_and_contradictory_background():
    system = SetSystem([0, 1, 2], [])
    found = cheapest_mcses(system.items, lambda item: 1, Answers(system, random.Random(1)))
    assert found.complete and found.mcses == [frozenset()]
    # the background alone is contradictory (an empty core): no correction exists
    found = cheapest_mcses([0, 1], lambda item: 1, lambda subset: Check(False, core=frozenset()))
    assert found.complete and found.mcses == [] and found.cores == [frozenset()]


def test_cheapest_mcses_refuses_negative_weights():
    """Weights of 0 are made positive (cost first, size second; see the test above); a negative one is refused."""
    with pytest.raises(ValueError):
        cheapest_mcses([0, 1], {0: 1, 1: -1}.__getitem__, lambda subset: Check(True, subset))


def test_hitting_sets_cheapest_hits_every_core_and_avoids_blocked_sets():
    sets = HittingSets({0: 1, 1: 1, 2: 5, 3: 1}.__getitem__)
    sets.must_hit(frozenset({0, 2}))
    sets.must_hit(frozenset({1, 2}))
    assert sets.cheapest() == frozenset({0, 1})
    sets.block(frozenset({0, 1}))
    assert sets.cheapest() == frozenset({2})
    sets.block(frozenset({2}))
    assert sets.cheapest() is None
    with pytest.raises(OutOfTime):
        HittingSets(lambda item: 1, time_left=lambda: 0.0).cheapest()


@settings(PROPERTY, max_examples=examples(200))
@given(system=set_systems(), rng=rngs, core_mode=st.sampled_from(CORE_MODES))
def test_cheapest_mcses_with_weights_of_zero_are_still_minimal(system, rng, core_mode):
    """A weight of 0 (the Python API allows it) must not let a correction grow past a minimal one."""
    weight = {item: rng.choice([0, 0, 1, 2]) for item in system.items}
    found = cheapest_mcses(system.items, weight.__getitem__, Answers(system, rng, core_mode))
    assert found.complete
    assert_true_mcses(system, found.mcses)
    assert set(found.mcses) == mcses_brute_force(system.items, system.is_sat)
    assert [_cost(weight, m) for m in found.mcses] == _brute_costs(system, weight)
