"""Relaxations: the cheapest sets of red lines to give up so that a deal exists, each verified, with the deal it
opens.

- With every conflict known, they are the combinations of one option per dispute (see disputes.py), each option
  and each combination verified.
- Otherwise they are minimal correction sets found cheapest first by total weight: each is a cheapest set of red
  lines hitting every conflict (the known ones first, more found as needed: implicit hitting sets), blocked once
  found so that the next is another (cf. F. Bacchus, J. Davies, M. Tsimpoukelli, G. Katsirelos, "Relaxation
  search: a simple way of managing optional clauses", AAAI 2014).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import islice, takewhile
from typing import TYPE_CHECKING, Any

from ..compile import Compiled, compile_scenario
from ..deals import find_deals
from ..display import Shown
from ..open import with_open_values
from ..result import Deal, Objective
from ..search import Searcher
from .algorithms import OutOfTime, cheapest_mcses
from .conflicts import Conflict, require_sat, require_unsat, rule_names
from .disputes import Dispute, canonical_key, cost_by_party, cheapest_count, combination_count, combinations, settled
from .oracle import SubsetOracle

if TYPE_CHECKING:
    from feasible.positions import Scenario

# At most this many equally cheap relaxations have their deals found and compared under --rank-by-deal: past it,
# the fixed order stays (each deal is an optimisation of its own).
RANKED_AT_MOST = 60
DEAL_SHARE = 0.1  # of the time limit, at most, for finding the deal that one relaxation opens


@dataclass(frozen=True)
class Relaxation(Shown):
    """Red lines whose giving-up opens a deal, none of which could be kept."""

    drop: tuple[str, ...]
    cost: int
    cost_by_party: dict[str, int]
    deal: Deal | None  # the best deal it opens (None if the time limit cut the search)
    # the scenario, when check() found it: shown in the parties' words in a notebook (solver/display.py)
    scenario: Scenario | None = field(default=None, compare=False, repr=False)


# Beyond the relaxations asked for, at most this many more that cost as much as the last of them are sought, so
# that the ones shown are chosen among equals by a stated rule rather than by the order the solver met them; the
# search for them gets at most TIE_SHARE of the time left, so that it never costs the deals their time.
TIES_SOUGHT = 50
TIE_SHARE = 0.2


@dataclass(frozen=True)
class Relaxations:
    """The cheapest relaxations found, in canonical order (see disputes.canonical_key)."""

    listed: tuple[Relaxation, ...]
    complete: bool  # as many as asked for were found, or there are no others
    # the listed ones are the first of the canonical order: every relaxation as cheap as the last listed was found
    canonical: bool
    disputes: tuple[Dispute, ...] = ()  # the disputes with their verified options, when the relaxations combine them
    count: int | None = None  # how many minimal relaxations there are, when known (combining the disputes)
    cheapest: int | None = None  # how many of them cost as little as the cheapest, when known
    ranked_by_deal: bool | None = None  # see CheckResult.relaxations_ranked_by_deal


def find_relaxations(compiled: Compiled, objective: Objective, searcher: Searcher, limit: int = 5,
                     conflicts: Sequence[Conflict] = (), disputes: Sequence[Dispute] = (),
                     rank_by_deal: bool = False, witnesses: Sequence[dict] = ()) -> Relaxations:
    """The `limit` cheapest minimal correction sets of the red lines, each with the best deal it opens.

    When `disputes` list their options (the conflicts are all there are), the relaxations are the combinations of
    one option per dispute, cheapest first, each option and each combination verified. Otherwise, every relaxation
    must break every conflict, so the `conflicts` already found seed the search: the cheapest sets of red lines
    breaking them all are tried first, and only the conflicts not yet known are looked for (see cheapest_mcses).

    With `rank_by_deal`, every relaxation as cheap as the last one listed is a candidate (at most RANKED_AT_MOST
    of them), and those of equal cost are ranked by the deal each opens, best first by the objective, then in the
    fixed order; when a candidate's deal is not found and proved best in time, the fixed order stays.
    `witnesses`: deals already found (while looking for conflicts), which spare verification solves."""
    if not limit:
        return Relaxations((), True, True)
    counts: tuple[int | None, int | None] = (None, None)
    if settled(disputes):
        verified_disputes, drops, complete = _combined(compiled, searcher, limit, disputes, witnesses)
        canonical = complete
        if complete:
            counts = combination_count(disputes), cheapest_count(disputes)
        tied = _tied_combinations(disputes, drops) if rank_by_deal and canonical else None
    else:
        verified_disputes = ()
        drops, complete, canonical, tied = _searched(compiled, searcher, limit, conflicts, rank_by_deal)
    candidates = _verified_candidates(compiled, searcher, drops, tied, witnesses) if rank_by_deal else None
    # The deals come last, once every relaxation is verified: a slow deal then costs a deal, not a relaxation.
    scenario = compiled.scenario
    models = {drop: _relaxed(scenario, drop) for drop in candidates or drops}  # each compiled once, used twice
    opened = {drop: relaxation_of(scenario, drop, opened_deal(scenario, drop, objective, searcher, model))
              for drop, model in models.items()}
    ranked = candidates is not None and all(r.deal is not None and r.deal.optimal for r in opened.values())
    if ranked:
        order = {drop: index for index, drop in enumerate(opened)}
        listed = sorted(opened.values(), key=lambda r: (r.cost, _best_first(r.deal, objective), order[r.drop]))
    else:
        listed = [opened[drop] for drop in drops]
    listed = listed[:len(drops)]
    if listed:
        listed[0] = with_its_open_values(models[listed[0].drop], listed[0], searcher)
    return Relaxations(tuple(listed), complete, canonical, verified_disputes, *counts,
                       ranked_by_deal=ranked if rank_by_deal else None)


def _searched(compiled: Compiled, searcher: Searcher, limit: int, conflicts: Sequence[Conflict],
              rank_by_deal: bool = False
              ) -> tuple[list[tuple[str, ...]], bool, bool, list[tuple[str, ...]] | None]:
    """The flat search: the `limit` first in canonical order among those found, whether as many were found,
    whether all those as cheap as the last one were found (else the order among them is the solver's), and (to
    rank them by deal) every relaxation found as cheap as the last one listed, in the fixed order (None when
    they are not all known or too many)."""
    scenario = compiled.scenario
    weight = {rule.name: rule.weight for rule in scenario.red_lines}
    oracle = SubsetOracle(compiled, list(weight), rule_names(scenario.facts), searcher)
    known = [frozenset(conflict.red_lines) & weight.keys() for conflict in conflicts]
    found = cheapest_mcses(list(weight), weight.__getitem__, oracle, limit=limit, cores=known,
                           time_left=searcher.remaining)
    ties_complete = found.complete and len(found.mcses) < limit  # fewer than asked for: there are no others
    more: list[frozenset] = []
    if found.complete and len(found.mcses) == limit:  # the last one may have equally cheap others
        with searcher.budget(TIE_SHARE * searcher.remaining()):
            tied_search = cheapest_mcses(list(weight), weight.__getitem__, oracle, limit=TIES_SOUGHT,
                                         cores=known + found.cores, found_before=found.mcses,
                                         as_cheap_as=found.mcses[-1], time_left=searcher.remaining)
        more, ties_complete = tied_search.mcses, tied_search.complete and len(tied_search.mcses) < TIES_SOUGHT
    everything = sorted((tuple(sorted(mcs)) for mcs in found.mcses + more if mcs),
                        key=lambda drop: canonical_key(drop, sum(weight[n] for n in drop)))
    drops = everything[:limit]
    tied = None
    if rank_by_deal and ties_complete and drops:
        last = sum(weight[n] for n in drops[-1])
        tied = [drop for drop in everything if sum(weight[n] for n in drop) <= last][:RANKED_AT_MOST + 1]
    verified: list[tuple[str, ...]] = []
    complete = found.complete
    for drop in drops:
        try:
            verify_relaxation(compiled, drop, searcher, witnesses=oracle.deals)
        except OutOfTime:
            return verified, False, False, None
        verified.append(drop)
    return verified, complete, ties_complete, tied


def _tied_combinations(disputes: Sequence[Dispute], drops: Sequence[tuple[str, ...]]
                       ) -> list[tuple[str, ...]] | None:
    """Every combination as cheap as the last one listed, in the fixed order (at most RANKED_AT_MOST + 1)."""
    if not drops:
        return None
    last = list(islice(combinations(disputes), len(drops)))[-1][1]
    return [drop for drop, _ in islice(takewhile(lambda combination: combination[1] <= last,
                                                 combinations(disputes)), RANKED_AT_MOST + 1)]


def _verified_candidates(compiled: Compiled, searcher: Searcher, drops: Sequence[tuple[str, ...]],
                         tied: list[tuple[str, ...]] | None, witnesses: Sequence[dict] = ()
                         ) -> list[tuple[str, ...]] | None:
    """The relaxations to rank by deal, each verified: those listed and every other as cheap as the last of them;
    None when they cannot all be ranked (not all known, more than RANKED_AT_MOST, or out of time)."""
    if not tied or len(tied) > RANKED_AT_MOST or not set(drops) <= set(tied):
        return None
    try:
        for drop in tied:
            if drop not in drops:
                verify_relaxation(compiled, drop, searcher, witnesses)
    except OutOfTime:
        return None
    return tied


def _best_first(deal: Deal | None, objective: Objective) -> Any:
    """A sort key that puts the deal with the higher objective value first."""
    value = deal.value(objective) if deal is not None else 0
    return tuple(-v for v in value) if isinstance(value, tuple) else -value


def _combined(compiled: Compiled, searcher: Searcher, limit: int, disputes: Sequence[Dispute],
              witnesses: Sequence[dict] = ()) -> tuple[tuple[Dispute, ...], list[tuple[str, ...]], bool]:
    """The `limit` cheapest combinations, then each dispute's options, each verified (the combinations first: they
    are the answer); both are cut where the time limit stops the verification, and the answer is then marked
    incomplete. With one dispute, its options are the combinations, verified once."""
    drops: list[tuple[str, ...]] = []
    verified_disputes = []
    try:
        for drop, _ in islice(combinations(disputes), limit):
            verify_relaxation(compiled, drop, searcher, witnesses)
            drops.append(drop)
        for dispute in disputes:
            others = [n for d in disputes if d is not dispute for n in d.red_lines]
            shown = dispute.options[:max(limit, len(dispute.cheapest))]
            for option in shown:
                if others or option.drop not in drops:
                    verify_option(compiled, option.drop, others, searcher, witnesses)
            verified_disputes.append(replace(dispute, options=shown))
    except OutOfTime:
        return tuple(verified_disputes), drops, False
    return tuple(verified_disputes), drops, True


def verify_option(compiled: Compiled, drop: Sequence[str], others: Sequence[str], searcher: Searcher,
                  witnesses: Sequence[dict] = ()) -> None:
    """Giving up these red lines settles their dispute, and none could be kept: with the red lines of every other
    dispute given up too, a deal exists; putting back any one of these, none does."""
    scenario = compiled.scenario
    given_up = set(drop) | set(others)
    kept = [n for n in rule_names(scenario.facts + scenario.red_lines) if n not in given_up]
    require_sat(compiled, kept, searcher, f"giving up {list(drop)} does not settle its dispute", witnesses=witnesses)
    for name in drop:
        require_unsat(compiled, kept + [name], searcher, f"giving up {list(drop)} is not minimal ({name})")


def relaxation_of(scenario, drop: tuple[str, ...], deal: Deal | None) -> Relaxation:
    costs = cost_by_party(scenario, drop)
    return Relaxation(drop, sum(costs.values()), costs, deal)


def opened_deal(scenario, drop: Sequence[str], objective: Objective, searcher: Searcher,
                relaxed: Compiled | None = None) -> Deal | None:
    """The best deal once these red lines are given up, found exactly as `check --drop ...` finds it (the
    scenario without them, compiled afresh, and no head start from the deal that proved the relaxation: among
    equally good deals, a different start can end on a different one), so that the two announce the same deal.
    Without its open values: only the first way's deal is shown issue by issue (see with_its_open_values).
    `relaxed`: the scenario without those red lines, compiled already."""
    # Each relaxation's deal gets a share of the time, so that one hard optimisation does not starve the
    # others; a deal not proved best says so, with its gap (check --drop gives it the whole limit).
    with searcher.budget(max(1.0, DEAL_SHARE * searcher.time_limit)):
        deals, _ = find_deals(relaxed or _relaxed(scenario, drop), objective, 1, searcher, with_open=False)
    return deals[0] if deals else None


def with_its_open_values(relaxed: Compiled, relaxation: Relaxation, searcher: Searcher) -> Relaxation:
    """The relaxation with the open values of the deal it opens: those of the first way, the deal every format
    shows issue by issue (the others are listed by each party's satisfaction, which open values do not change)."""
    if relaxation.deal is None:
        return relaxation
    required = [rule.name for rule in relaxed.scenario.facts + relaxed.scenario.red_lines]
    return replace(relaxation, deal=with_open_values(relaxed, relaxation.deal, required, searcher))


def _relaxed(scenario, drop: Sequence[str]) -> Compiled:
    """The scenario without these red lines (one resolution for all of them, as check --drop), compiled afresh."""
    from feasible.positions.edits import Edits, apply_edits

    relaxed = apply_edits(scenario, Edits(drop=tuple(drop)))[0]
    return compile_scenario(relaxed, enforce_red_lines=False, enforce_facts=False)


def verify_relaxation(compiled: Compiled, drop: Sequence[str], searcher: Searcher,
                      witnesses: Sequence[dict] = ()) -> None:
    """Dropping these red lines allows a deal, and putting back any one of them does not."""
    scenario = compiled.scenario
    kept = [n for n in rule_names(scenario.facts + scenario.red_lines) if n not in drop]
    require_sat(compiled, kept, searcher, f"dropping {list(drop)} does not open a deal", witnesses=witnesses)
    for name in drop:
        require_unsat(compiled, kept + [name], searcher, f"dropping {list(drop)} is not minimal ({name})")
