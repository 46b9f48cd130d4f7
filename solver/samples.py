"""The per-worker engine of a sweep: one draw of the uncertain items in, the answer `check --all-conflicts` would
give for its sample out (verdict; without a deal, its conflicts and the cost of its cheapest relaxation).

A sample differs from the scenario it is drawn from in three ways (positions/uncertainty.py `Uncertain.sample`):
the readings drawn, the red lines drawn to give way (demoted to demands) and the weights drawn. Only some of that
changes the model: a demand counts for whether a deal exists only through its party's accept_at_least level. So
a sample is split into
- its **compile key**: the readings drawn, and the firmness and weights drawn for the parties with a level (the
  other items set to a fixed value). The key's scenario, `Uncertain.sample` of that reduced draw, is compiled once
  with every red line switchable by its assumption literal (as `check` compiles), with a SubsetOracle over its red
  lines and the facts hard;
- its **firm set** F: the key scenario's red lines less those of the other parties drawn to give way.
The sample's answer is the answer for F on the key's model: demoting a red line of a party without a level only
turns it into a demand, which no deal needs, and its weight stays the cost of giving it up.

Two exact ways to answer F, chosen per key (both give the same answer; which one runs depends on time only
through speed):
(a) the conflict table: every minimal conflict of the key's whole set of red lines (MARCO, complete, at most
    TABLE_MUSES, within TABLE_SHARE of the per-sample time limit). A minimal unsatisfiable subset of F is exactly
    a minimal conflict of the whole set contained in F, so F's conflicts are the table's conflicts inside F, F has
    a deal iff there are none, and its cheapest relaxation is a cheapest set of red lines meeting all of them
    (minimal correction sets are the minimal hitting sets of the minimal conflicts: Reiter 1987).
(b) per sample: one subset check of F; without a deal, MARCO over F (at most SAMPLE_CONFLICTS + 1 conflicts) and
    the cheapest correction set by implicit hitting sets seeded by them (explain/algorithms.py).
Answers are memoised by (compile key, F). Each conflict is verified (explain/conflicts.py `verify_conflict`) the
first time a sample of its key lists it, and a deal found by a subset check is verified by the plain evaluator.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from feasible.positions.model import Scenario
from feasible.positions.uncertainty import GIVES_WAY, Draw, ItemKind, Uncertain

from .compile import compile_scenario
from .explain.algorithms import OutOfTime, ask, cheapest_mcses, marco, minimal_hitting_sets
from .explain.conflicts import Conflict, conflict_facts, rule_names, verify_conflict
from .explain.oracle import SubsetOracle
from .result import Verdict
from .search import Control, Searcher

#: A sample with more minimal conflicts than this is counted as "conflicts cut": its conflicts are left out of the
#: counts, so that what is counted never depends on which conflicts were found first.
SAMPLE_CONFLICTS = 16
TABLE_MUSES = 256  # a key's conflict table holds at most this many conflicts (else: sample by sample)
TABLE_SHARE = 0.5  # of the per-sample time limit, at most, for building a key's table
COST_SHARE = 0.5  # of the per-sample time limit, at least, kept for a sample's cheapest relaxation (after MARCO)
TABLE_AFTER = 2  # a key's table is built at its second distinct firm set without a deal (a first may be its last)
HITTING_SETS = 4096  # minimal hitting sets enumerated for a cheapest relaxation from a table (else: CP-SAT's)
KEYS_KEPT = 64  # compiled keys a worker keeps (least recently used dropped first)
MEMO_KEPT = 65536  # answers a worker keeps (least recently used dropped first)
ORACLE_KEPT = 64  # known satisfiable sets and cores an oracle keeps between samples (it re-uses them)

Names = tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """What one sample says."""

    verdict: Verdict  # UNKNOWN: the per-sample time limit ran out (or the sweep was interrupted)
    conflicts: tuple[Names, ...] | None = None  # no deal: every minimal conflict (sorted names), in sorted order;
    # None when there are more than SAMPLE_CONFLICTS (cut) or when time ran out before all were found
    cut: bool = False  # more than SAMPLE_CONFLICTS minimal conflicts
    cost: int | None = None  # no deal: the cheapest relaxation's cost (None: unknown, or the facts conflict)
    facts_conflict: bool = False  # no deal because the facts alone cannot hold

    @property
    def complete(self) -> bool:
        """Everything it should say is known (so it may be memoised: it would be the same computed again)."""
        if self.verdict is Verdict.UNKNOWN:
            return False
        if self.verdict is Verdict.DEAL or self.facts_conflict:
            return True
        return (self.cut or self.conflicts is not None) and self.cost is not None


VERDICT_ONLY = "verdict"  # what an answer computes: the verdict alone (exact enumeration) ...
FULL = "full"  # ... or everything (a sample of the sweep)


@dataclass
class Work:
    """What an engine did (counts over its life; never part of an answer)."""

    answers: int = 0  # computed
    memo_hits: int = 0
    table_keys: int = 0  # keys whose conflict table was built
    sample_keys: int = 0  # keys compiled (table or not)


class Engine:
    """Answers the samples of one Uncertain, within `time_limit` seconds each."""

    def __init__(self, uncertain: Uncertain, time_limit: float, memoise: bool = True,
                 control: Control | None = None):
        self.uncertain = uncertain
        self.time_limit = time_limit
        self.memoise = memoise
        self.control = control
        self.keys: OrderedDict[tuple[int, ...], CompiledKey] = OrderedDict()
        self.memo: OrderedDict[tuple[tuple[int, ...], frozenset], Answer] = OrderedDict()
        self.levelled: dict[tuple[str, ...], frozenset[str]] = {}
        self.work = Work()

    # -- splitting a draw ----------------------------------------------------------------------------------------
    def split(self, draw: Draw) -> tuple[tuple[int, ...], frozenset[str]]:
        """The draw's compile key and the names of the red lines gone from its firm set (given way, outside
        the key)."""
        items = self.uncertain.items
        drawn = tuple(item.values[c] for item, c in zip(items, draw.choices) if item.kind is ItemKind.READING)
        levelled = self._levelled(drawn)
        key = []
        given_way = set()
        for item, choice in zip(items, draw.choices):
            if item.kind is ItemKind.READING or item.party in levelled:
                key.append(choice)
            else:
                key.append(0)  # a fixed value: holds (firmness), the lowest weight (unused without a level)
                if item.kind is ItemKind.FIRMNESS and item.values[choice] is GIVES_WAY:
                    given_way.add(item.name)
        return tuple(key), frozenset(given_way)

    def _levelled(self, drawn: tuple[str, ...]) -> frozenset[str]:
        """The parties with an accept_at_least level under these readings: their demands decide deals."""
        if drawn not in self.levelled:
            scenario = self.uncertain.scenario(drawn)
            self.levelled[drawn] = frozenset(p.id for p in scenario.parties if p.accept_at_least is not None)
        return self.levelled[drawn]

    def key(self, choices: tuple[int, ...]) -> CompiledKey:
        found = self.keys.get(choices)
        if found is not None:
            self.keys.move_to_end(choices)
            return found
        made = CompiledKey(self.uncertain.sample(Draw(choices)), self.time_limit, self.memoise, self.control)
        self.work.sample_keys += 1
        self.keys[choices] = made
        if len(self.keys) > KEYS_KEPT:
            self.keys.popitem(last=False)
        return made

    # -- answering -----------------------------------------------------------------------------------------------
    def answer(self, draw: Draw, what: str = FULL) -> Answer:
        choices, given_way = self.split(draw)
        key = self.key(choices)
        firm = key.red - given_way
        memo_key = (choices, firm)
        known = self.memo.get(memo_key) if self.memoise else None
        if known is not None:  # (only complete answers are kept: they say all that either way asks)
            self.memo.move_to_end(memo_key)
            self.work.memo_hits += 1
            return known
        tables = key.table is not None
        found = key.answer(firm, what)
        self.work.answers += 1
        self.work.table_keys += key.table is not None and not tables
        if self.memoise and found.complete:
            self.memo[memo_key] = found
            if len(self.memo) > MEMO_KEPT:
                self.memo.popitem(last=False)
        return found


class CompiledKey:
    """One compile key: its scenario compiled, its oracle, its conflict table once built."""

    def __init__(self, scenario: Scenario, time_limit: float, memoise: bool, control: Control | None):
        self.time_limit = time_limit
        self.compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
        self.names = rule_names(scenario.red_lines)
        self.red = frozenset(self.names)
        self.weight = {rule.name: rule.weight for rule in scenario.red_lines}
        self.searcher = Searcher(time_limit, control, label=f"'{scenario.title}' (a sample)")
        self.searcher.stage = "answering samples"
        self.oracle = SubsetOracle(self.compiled, self.names, rule_names(scenario.facts), self.searcher)
        self.facts_hold: bool | None = None  # settled by the first sample
        self.table: tuple[frozenset, ...] | None = None
        self.table_tried = not memoise  # without memoising, no table either (the benchmark's plain engine)
        self.without_deal = 0  # distinct firm sets answered without a deal (sample by sample)
        self.verified: set[frozenset] = set()

    def answer(self, firm: frozenset, what: str) -> Answer:
        self.searcher.deadline = time.monotonic() + self.time_limit  # each sample has the whole limit
        try:
            if self.facts_hold is None:
                self.facts_hold = self._facts_hold()
            if not self.facts_hold:
                return Answer(Verdict.NO_DEAL, facts_conflict=True)
            if self.table is not None:
                return self._from_table(firm, what)
            answer = self._by_sample(firm, what)
            if answer.verdict is Verdict.NO_DEAL:
                self.without_deal += 1
                if self.without_deal >= TABLE_AFTER and not self.table_tried:
                    self.build_table()
            return answer
        except OutOfTime:
            return Answer(Verdict.UNKNOWN)
        finally:
            self._forget()

    def _facts_hold(self) -> bool:
        """Whether the facts can hold together (if not, verified: a minimal set of them that cannot). A
        verification the time limit cuts leaves the answer as the subset check proved it: the facts cannot hold."""
        if ask(self.oracle, frozenset()).sat:
            return True
        try:
            facts, witnesses = conflict_facts(self.compiled, frozenset(), self.searcher)
            verify_conflict(self.compiled, Conflict((), tuple(sorted(facts))), self.searcher, witnesses=witnesses)
        except OutOfTime:
            pass
        return False

    # -- (a) the conflict table ----------------------------------------------------------------------------------
    def build_table(self) -> None:
        """List every conflict of the key, in a time of its own: it runs once the sample that asks for it is
        answered, and must neither take that sample's time nor go without any when the sample took it all."""
        self.table_tried = True
        self.searcher.deadline = time.monotonic() + TABLE_SHARE * self.time_limit
        found = marco(self.names, self.oracle, limit=TABLE_MUSES + 1, stop=lambda: self.searcher.remaining() <= 0,
                      time_left=self.searcher.remaining)
        if found.complete and len(found.muses) <= TABLE_MUSES:
            self.table = tuple(found.muses)

    def _from_table(self, firm: frozenset, what: str) -> Answer:
        inside = [mus for mus in self.table or () if mus <= firm]
        if not inside:
            return Answer(Verdict.DEAL)
        if what == VERDICT_ONLY:
            return Answer(Verdict.NO_DEAL)
        cost = self._hitting_cost(inside)
        try:
            listed = self._verified(inside)
        except OutOfTime:  # proved without a deal all the same: its conflicts are unknown, never its verdict
            return Answer(Verdict.NO_DEAL, None, False, cost)
        return Answer(Verdict.NO_DEAL, listed, listed is None, cost)

    def _hitting_cost(self, conflicts: Sequence[frozenset]) -> int | None:
        """The cheapest relaxation's cost from the conflicts (all of them), None when time runs out."""
        try:
            return cheapest_hitting_cost(conflicts, self.weight.__getitem__, self.searcher.remaining)
        except OutOfTime:
            return None

    # -- (b) sample by sample ------------------------------------------------------------------------------------
    def _by_sample(self, firm: frozenset, what: str) -> Answer:
        if ask(self.oracle, firm).sat:
            return Answer(Verdict.DEAL)
        if what == VERDICT_ONLY:
            return Answer(Verdict.NO_DEAL)
        items = sorted(firm)
        stop = lambda: self.searcher.remaining() <= 0  # noqa: E731
        # MARCO may need far more than the conflicts to prove it has them all (every maximal satisfiable set: 2**13
        # for 13 separate disputes), where the cheapest relaxation needs only a few checks: it keeps its own share.
        with self.searcher.budget((1 - COST_SHARE) * self.time_limit):
            found = marco(items, self.oracle, limit=SAMPLE_CONFLICTS + 1, stop=stop,
                          time_left=self.searcher.remaining)
        cut = len(found.muses) > SAMPLE_CONFLICTS
        try:
            listed = self._verified(found.muses) if found.complete or cut else None
        except OutOfTime:  # proved without a deal all the same: its conflicts are unknown, never its verdict
            listed = None
        cheapest = cheapest_mcses(items, self.weight.__getitem__, self.oracle, limit=1, cores=found.muses,
                                  time_left=self.searcher.remaining)
        cost = sum(self.weight[name] for name in cheapest.mcses[0]) if cheapest.complete and cheapest.mcses else None
        return Answer(Verdict.NO_DEAL, None if cut else listed, cut, cost)

    def _verified(self, muses: Sequence[frozenset]) -> tuple[Names, ...] | None:
        """The conflicts, each verified the first time this key meets it, in sorted order; None past
        SAMPLE_CONFLICTS (they are not listed, so not verified either)."""
        if len(muses) > SAMPLE_CONFLICTS:
            return None
        for mus in muses:
            if mus not in self.verified:
                facts, witnesses = conflict_facts(self.compiled, mus, self.searcher)
                conflict = Conflict(tuple(sorted(mus)), tuple(sorted(facts)))
                verify_conflict(self.compiled, conflict, self.searcher, witnesses=self.oracle.deals + witnesses)
                self.verified.add(mus)
        return tuple(sorted(tuple(sorted(mus)) for mus in muses))

    def _forget(self) -> None:
        """Keep the oracle's known answers to the most recent: they help the next samples, but scanning them
        costs each check time, and a sweep is long."""
        self.oracle.keep_recent(ORACLE_KEPT)


def cheapest_hitting_cost(sets: Sequence[frozenset], weight: Callable[[str], int],
                          time_left: Callable[[], float]) -> int:
    """The least total weight of a set of items meeting every one of `sets` (none empty): by enumerating the
    minimal hitting sets (weights are never negative, so a cheapest hitting set may be taken minimal), or, when
    there are too many, by CP-SAT's hitting-set model; OutOfTime when `time_left()` runs out first."""
    ordered = sorted(sets, key=lambda s: (len(s), sorted(s)))
    every = minimal_hitting_sets(ordered, HITTING_SETS, stop=lambda: time_left() <= 0)
    if every is not None:
        return min(_cost(weight, s) for s in every)
    if time_left() <= 0:
        raise OutOfTime()
    from .explain.algorithms import HittingSets

    candidates = HittingSets(weight, time_left)
    for members in ordered:
        candidates.must_hit(members)
    cheapest = candidates.cheapest()
    assert cheapest is not None  # (no set is empty)
    return _cost(weight, cheapest)


def _cost(weight: Callable[[str], int], items: Iterable[str]) -> int:
    return sum(weight(item) for item in items)
