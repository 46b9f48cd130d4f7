"""Conflicts, relaxations and "why not?" for a scenario, each verified before it is returned.

- Conflicts are MUSes of the red lines with the facts as hard background (MARCO over an assumption oracle),
  each with a minimal set of the facts it relies on.
- Relaxations are minimal correction sets, cheapest first by total weight: each is a cheapest set of red
  lines hitting every conflict (the known ones first, more found as needed: implicit hitting sets), blocked
  once found so that the next is another (cf. F. Bacchus, J. Davies, M. Tsimpoukelli, G. Katsirelos,
  "Relaxation search: a simple way of managing optional clauses", AAAI 2014).
- A target (a demand, ISSUE=VALUE, or "not the forced value") is explained by a MUS over red lines and facts
  together, with the target as a hard constraint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import islice

from feasible.positions import InternalError
from feasible.positions.model import RuleRef
from feasible.positions.rules.syntax import Expr

from ..compile import Compiled, compile_scenario
from ..deals import find_deals
from ..evaluate import evaluate, holds
from ..verify import verify_deal
from ..result import Deal, Objective
from ..search import Searcher
from .algorithms import OutOfTime, cheapest_mcses, find_mus, marco
from .disputes import Dispute, canonical_key, cheapest_count, combination_count, combinations, settled
from .oracle import SubsetOracle, worth_focusing


DEAL_SHARE = 0.1  # of the time limit, at most, for finding the deal that one relaxation opens


@dataclass(frozen=True)
class Conflict:
    """Red lines that cannot all hold (given the facts listed), though any of them could be given up."""

    red_lines: tuple[str, ...]  # sorted names PARTY/ID
    facts: tuple[str, ...]  # sorted names facts/ID: a minimal set of facts the contradiction needs


@dataclass(frozen=True)
class Relaxation:
    """Red lines whose giving-up opens a deal, none of which could be kept."""

    drop: tuple[str, ...]
    cost: int
    cost_by_party: dict[str, int]
    deal: Deal | None  # the best deal it opens (None if the time limit cut the search)

    def by_party(self) -> dict[str, list[str]]:
        """The red lines given up, by the party (id) that gives them up, in the order of `drop`."""
        given_up: dict[str, list[str]] = {}
        for name in self.drop:
            given_up.setdefault(RuleRef.parse(name).owner, []).append(name)
        return given_up


@dataclass(frozen=True)
class Unreachable:
    """A demand no deal can meet, and a minimal set of red lines and facts that rules it out."""

    demand: str
    because: tuple[str, ...]


def _names(rules) -> list[str]:
    return [r.name for r in rules]


def find_conflicts(compiled: Compiled, searcher: Searcher, limit: int | None = 10
                   ) -> tuple[list[Conflict], bool]:
    """Up to `limit` conflicts (None: all), smallest first, and whether the enumeration proved it found all.

    When the facts contradict each other, that is the one conflict (with no red lines). A conflict that
    cannot be verified within the time limit is left out, and the list is then marked incomplete."""
    scenario = compiled.scenario
    red = _names(scenario.red_lines)
    oracle = SubsetOracle(compiled, red, _names(scenario.facts), searcher)
    try:
        if not _ask_oracle(oracle, frozenset()).sat:
            facts, witnesses = conflict_facts(compiled, frozenset(), searcher)
            conflict = Conflict((), tuple(sorted(facts)))
            verify_conflict(compiled, conflict, searcher, witnesses=witnesses)
            return [conflict], True
    except OutOfTime:
        return [], False
    found = marco(red, oracle, limit=limit, stop=lambda: searcher.remaining() <= 0,
                  time_left=searcher.remaining)
    conflicts = []
    complete = found.complete
    for mus in found.muses:
        try:
            facts, witnesses = conflict_facts(compiled, mus, searcher)
            conflict = Conflict(tuple(sorted(mus)), tuple(sorted(facts)))
            verify_conflict(compiled, conflict, searcher, witnesses=oracle.deals + witnesses)
        except OutOfTime:
            complete = False
            break
        conflicts.append(conflict)
    return conflicts, complete


def _ask_oracle(oracle: SubsetOracle, subset: frozenset):
    answer = oracle(subset)
    if not answer.decided:
        raise OutOfTime()
    return answer


def conflict_facts(compiled: Compiled, red_lines: frozenset, searcher: Searcher) -> tuple[frozenset, list[dict]]:
    """A minimal set of facts that, with these red lines, is still contradictory, and the deals found on the
    way (witnesses for the verification)."""
    facts = _names(compiled.scenario.facts)
    oracle = SubsetOracle(compiled, facts, sorted(red_lines), searcher, verifying=True)
    first = _ask_oracle(oracle, frozenset(facts))
    if first.sat:
        raise InternalError(f"the conflict {sorted(red_lines)} was not contradictory when re-checked")
    return find_mus(facts, oracle, first.core), oracle.deals


def _solve_hard(compiled: Compiled, names: Sequence[str], searcher: Searcher, targets: Sequence[Expr] = ()):
    """Solve with these rules (and targets) as hard constraints, without assumptions: on a model of just them
    when they are few among many (see SubsetOracle), else on a copy of the whole model. Returns the outcome
    and the compiled model that decodes it."""
    if worth_focusing(len(names), len(compiled.rules)):
        focused = compiled.focus((), names, targets)
        return searcher.solve(focused.model, presolve=False, verifying=True), focused
    return searcher.solve(compiled.with_hard(names, targets), presolve=False, verifying=True), compiled


def _witness(compiled: Compiled, names, targets: Sequence[Expr], witnesses: Sequence[dict]) -> bool:
    """Whether a deal already found meets all these rules and targets, by the plain evaluator alone."""
    rules = [compiled.rules[n] for n in names]
    issues = compiled.scenario.issues
    for deal in witnesses:
        if all(holds(r, issues, deal) for r in rules) and all(evaluate(t, issues, deal) for t in targets):
            return True
    return False


def _require_sat(compiled, names, searcher, what: str, targets: Sequence[Expr] = (),
                 witnesses: Sequence[dict] = ()) -> None:
    """A deal must meet these rules (and targets): one found on the way, re-checked by the plain evaluator,
    or else one found now and checked the same way."""
    if _witness(compiled, names, targets, witnesses):
        return
    outcome, solved = _solve_hard(compiled, names, searcher, targets)
    if outcome.infeasible:
        raise InternalError(f"verification failed: {what}")
    if not outcome.found:
        raise OutOfTime()  # unverified answers are never shown
    deal = solved.decode(outcome.solver.value)
    verify_deal(compiled.scenario, deal, required=set(names))
    for target in targets:
        if not evaluate(target, compiled.scenario.issues, deal):
            raise InternalError(f"verification failed: {what} (target missed)")


def _require_unsat(compiled, names, searcher, what: str, targets: Sequence[Expr] = ()) -> None:
    """No deal may meet these rules: proved by a solve with them as hard constraints (no assumptions)."""
    outcome, _ = _solve_hard(compiled, names, searcher, targets)
    if outcome.found:
        raise InternalError(f"verification failed: {what}")
    if not outcome.infeasible:
        raise OutOfTime()


def verify_conflict(compiled: Compiled, conflict: Conflict, searcher: Searcher,
                    targets: Sequence[Expr] = (), witnesses: Sequence[dict] = ()) -> None:
    """Contradictory as stated (proved by a solve without assumptions), and minimal: without any one red line,
    the rest holds with all the facts; without any one of its facts, the red lines hold with the others. The
    deals that show minimality are usually among `witnesses` (found while searching); each is re-checked by
    the plain evaluator, and a solve is run only for those missing."""
    all_facts = _names(compiled.scenario.facts)
    members = list(conflict.red_lines) + list(conflict.facts)
    _require_unsat(compiled, members, searcher, f"{members} is not contradictory", targets)
    for name in conflict.red_lines:
        rest = [n for n in conflict.red_lines if n != name] + all_facts
        _require_sat(compiled, rest, searcher, f"{list(conflict.red_lines)} is not minimal ({name})", targets,
                     witnesses)
    for name in conflict.facts:
        rest = list(conflict.red_lines) + [n for n in conflict.facts if n != name]
        _require_sat(compiled, rest, searcher, f"the facts of {list(conflict.red_lines)} are not minimal ({name})",
                     targets, witnesses)


# Beyond the relaxations asked for, at most this many more that cost as much as the last of them are sought, so
# that the ones shown are chosen among equals by name rather than by the order the solver met them.
TIES_SOUGHT = 50


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


def find_relaxations(compiled: Compiled, objective: Objective, searcher: Searcher, limit: int = 5,
                     conflicts: Sequence[Conflict] = (), disputes: Sequence[Dispute] = ()) -> Relaxations:
    """The `limit` cheapest minimal correction sets of the red lines, each with the best deal it opens.

    When `disputes` list their options (the conflicts are all there are), the relaxations are the combinations of
    one option per dispute, cheapest first, each option and each combination verified. Otherwise, every relaxation
    must break every conflict, so the `conflicts` already found seed the search: the cheapest sets of red lines
    breaking them all are tried first, and only the conflicts not yet known are looked for (see cheapest_mcses)."""
    counts: tuple[int | None, int | None] = (None, None)
    if settled(disputes):
        verified_disputes, drops, complete = _combined(compiled, searcher, limit, disputes)
        canonical = complete
        if complete:
            counts = combination_count(disputes), cheapest_count(disputes)
    else:
        verified_disputes = ()
        drops, complete, canonical = _searched(compiled, searcher, limit, conflicts)
    # The deals come last, once every relaxation is verified: a slow deal then costs a deal, not a relaxation.
    scenario = compiled.scenario
    listed = tuple(relaxation_of(scenario, drop, opened_deal(scenario, drop, objective, searcher)) for drop in drops)
    return Relaxations(listed, complete, canonical, verified_disputes, *counts)


def _searched(compiled: Compiled, searcher: Searcher, limit: int, conflicts: Sequence[Conflict]
              ) -> tuple[list[tuple[str, ...]], bool, bool]:
    """The flat search: the `limit` first in canonical order among those found, whether as many were found, and
    whether all those as cheap as the last one were found (else the order among them is the solver's)."""
    scenario = compiled.scenario
    weight = {rule.name: rule.weight for rule in scenario.red_lines}
    oracle = SubsetOracle(compiled, list(weight), _names(scenario.facts), searcher)
    known = [frozenset(conflict.red_lines) & weight.keys() for conflict in conflicts]
    found = cheapest_mcses(list(weight), weight.__getitem__, oracle, limit=limit, ties=TIES_SOUGHT, cores=known,
                           time_left=searcher.remaining)
    drops = sorted((tuple(sorted(mcs)) for mcs in found.mcses if mcs),
                   key=lambda drop: canonical_key(drop, sum(weight[n] for n in drop)))[:limit]
    verified: list[tuple[str, ...]] = []
    complete = found.complete
    for drop in drops:
        try:
            verify_relaxation(compiled, drop, searcher, witnesses=oracle.deals)
        except OutOfTime:
            return verified, False, False
        verified.append(drop)
    return verified, complete, found.ties_complete


def _combined(compiled: Compiled, searcher: Searcher, limit: int, disputes: Sequence[Dispute]
              ) -> tuple[tuple[Dispute, ...], list[tuple[str, ...]], bool]:
    """Each dispute's options and the `limit` cheapest combinations, each verified; options and combinations
    are cut where the time limit stops the verification (and the answer is then marked incomplete)."""
    verified_disputes = []
    try:
        for dispute in disputes:
            others = [n for d in disputes if d is not dispute for n in d.red_lines]
            shown = dispute.options[:max(limit, len(dispute.cheapest))]
            for option in shown:
                verify_option(compiled, option.drop, others, searcher)
            verified_disputes.append(replace(dispute, options=shown))
        drops: list[tuple[str, ...]] = []
        for drop, _ in islice(combinations(disputes), limit):
            verify_relaxation(compiled, drop, searcher)
            drops.append(drop)
    except OutOfTime:
        return tuple(verified_disputes), [], False
    return tuple(verified_disputes), drops, True


def verify_option(compiled: Compiled, drop: Sequence[str], others: Sequence[str], searcher: Searcher) -> None:
    """Giving up these red lines settles their dispute, and none could be kept: with the red lines of every other
    dispute given up too, a deal exists; putting back any one of these, none does."""
    scenario = compiled.scenario
    given_up = set(drop) | set(others)
    kept = [n for n in _names(scenario.facts + scenario.red_lines) if n not in given_up]
    _require_sat(compiled, kept, searcher, f"giving up {list(drop)} does not settle its dispute")
    for name in drop:
        _require_unsat(compiled, kept + [name], searcher, f"giving up {list(drop)} is not minimal ({name})")


def relaxation_of(scenario, drop: tuple[str, ...], deal: Deal | None) -> Relaxation:
    cost_by_party: dict[str, int] = {}
    for rule in scenario.red_lines:
        if rule.name in drop:
            cost_by_party[rule.owner] = cost_by_party.get(rule.owner, 0) + rule.weight
    return Relaxation(drop, sum(cost_by_party.values()), cost_by_party, deal)


def opened_deal(scenario, drop: Sequence[str], objective: Objective, searcher: Searcher) -> Deal | None:
    """The best deal once these red lines are given up, found exactly as `check --drop ...` finds it (the
    scenario without them, compiled afresh, and no head start from the deal that proved the relaxation: among
    equally good deals, a different start can end on a different one), so that the two announce the same deal."""
    from feasible.positions.edits import Edits, apply_edits

    relaxed = apply_edits(scenario, Edits(drop=tuple(drop)))[0]  # one resolution for all of them, as check --drop
    # Each relaxation's deal gets a share of the time, so that one hard optimisation does not starve the
    # others; a deal not proved best says so, with its gap (check --drop gives it the whole limit).
    with searcher.budget(max(1.0, DEAL_SHARE * searcher.time_limit)):
        deals, _ = find_deals(compile_scenario(relaxed, enforce_red_lines=False, enforce_facts=False), objective, 1,
                              searcher)
    return deals[0] if deals else None


def verify_relaxation(compiled: Compiled, drop: Sequence[str], searcher: Searcher,
                      witnesses: Sequence[dict] = ()) -> None:
    """Dropping these red lines allows a deal, and putting back any one of them does not."""
    scenario = compiled.scenario
    kept = [n for n in _names(scenario.facts + scenario.red_lines) if n not in drop]
    _require_sat(compiled, kept, searcher, f"dropping {list(drop)} does not open a deal", witnesses=witnesses)
    for name in drop:
        _require_unsat(compiled, kept + [name], searcher, f"dropping {list(drop)} is not minimal ({name})")


def explain_target(compiled: Compiled, target: Expr, searcher: Searcher) -> Conflict | None:
    """Why no deal satisfies `target`: a minimal set of red lines and facts contradicting it, or None when
    some deal does satisfy it."""
    scenario = compiled.scenario
    soft = _names(scenario.red_lines) + _names(scenario.facts)
    oracle = SubsetOracle(compiled, soft, [], searcher, targets=[target])
    first = oracle(frozenset(soft))
    if not first.decided:
        raise OutOfTime()
    if first.sat:
        return None
    mus = find_mus(soft, oracle, first.core)
    fact_names = set(_names(scenario.facts))
    conflict = Conflict(tuple(sorted(mus - fact_names)), tuple(sorted(mus & fact_names)))
    _verify_target_conflict(compiled, conflict, target, searcher, oracle.deals)
    return conflict


def _verify_target_conflict(compiled, conflict: Conflict, target: Expr, searcher, witnesses=()) -> None:
    members = list(conflict.red_lines) + list(conflict.facts)
    _require_unsat(compiled, members, searcher, f"{members} does not rule out the target", [target])
    for name in members:
        rest = [n for n in members if n != name]
        _require_sat(compiled, rest, searcher, f"the reason {members} is not minimal ({name})", [target], witnesses)
