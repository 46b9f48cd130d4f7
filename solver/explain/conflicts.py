"""Conflicts and "why not?" for a scenario, each verified before it is returned (relaxations: relaxations.py).

- Conflicts are MUSes of the red lines with the facts as hard background (MARCO over an assumption oracle),
  each with a minimal set of the facts it relies on.
- A target (a demand, ISSUE=VALUE, or "not the forced value") is explained by a MUS over red lines and facts
  together, with the target as a hard constraint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from feasible.positions import InternalError, Scenario
from feasible.positions.rules.syntax import Expr

from ..compile import Compiled
from ..display import Shown
from ..evaluate import evaluate, holds
from ..verify import verify_deal
from ..search import Searcher
from .algorithms import OutOfTime, ask, find_mus, marco
from .oracle import SubsetOracle, worth_focusing


@dataclass(frozen=True)
class Conflict(Shown):
    """Red lines that cannot all hold (given the facts listed), though any of them could be given up."""

    red_lines: tuple[str, ...]  # sorted names PARTY/ID
    facts: tuple[str, ...]  # sorted names facts/ID: a minimal set of facts the contradiction needs
    # the scenario, when check() found it: shown in the parties' words in a notebook (solver/display.py)
    scenario: Scenario | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Unreachable:
    """A demand no deal can meet, and a minimal set of red lines and facts that rules it out."""

    demand: str
    because: tuple[str, ...]


def rule_names(rules) -> list[str]:
    return [r.name for r in rules]


def find_conflicts(compiled: Compiled, searcher: Searcher, limit: int | None = 10,
                   witnesses: list[dict] | None = None) -> tuple[list[Conflict], bool]:
    """Up to `limit` conflicts (None: all), smallest first, and whether the enumeration proved it found all.

    When the facts contradict each other, that is the one conflict (with no red lines). A conflict that
    cannot be verified within the time limit is left out, and the list is then marked incomplete."""
    scenario = compiled.scenario
    red = rule_names(scenario.red_lines)
    oracle = SubsetOracle(compiled, red, rule_names(scenario.facts), searcher)
    try:
        if not ask(oracle, frozenset()).sat:
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
    if witnesses is not None:
        witnesses.extend(oracle.deals)
    return conflicts, complete


def conflict_facts(compiled: Compiled, red_lines: Iterable[str], searcher: Searcher,
                   facts: Sequence[str] | None = None) -> tuple[frozenset, list[dict]]:
    """A minimal set of facts (the scenario's, or those given) that, with these red lines, is still
    contradictory, and the deals found on the way (witnesses for the verification)."""
    facts = rule_names(compiled.scenario.facts) if facts is None else list(facts)
    oracle = SubsetOracle(compiled, facts, sorted(red_lines), searcher, verifying=True)
    first = ask(oracle, frozenset(facts))
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


def require_sat(compiled, names, searcher, what: str, targets: Sequence[Expr] = (),
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


def require_unsat(compiled, names, searcher, what: str, targets: Sequence[Expr] = ()) -> None:
    """No deal may meet these rules: proved by a solve with them as hard constraints (no assumptions)."""
    outcome, _ = _solve_hard(compiled, names, searcher, targets)
    if outcome.found:
        raise InternalError(f"verification failed: {what}")
    if not outcome.infeasible:
        raise OutOfTime()


def verify_conflict(compiled: Compiled, conflict: Conflict, searcher: Searcher,
                    targets: Sequence[Expr] = (), witnesses: Sequence[dict] = (),
                    background: Sequence[str] | None = None) -> None:
    """Contradictory as stated (proved by a solve without assumptions), and minimal: without any one red line,
    the rest holds with all the facts (or the `background` given); without any one of its facts, the red lines
    hold with the others. The deals that show minimality are usually among `witnesses` (found while searching);
    each is re-checked by the plain evaluator, and a solve is run only for those missing."""
    all_facts = rule_names(compiled.scenario.facts) if background is None else list(background)
    members = list(conflict.red_lines) + list(conflict.facts)
    require_unsat(compiled, members, searcher, f"{members} is not contradictory", targets)
    for name in conflict.red_lines:
        rest = [n for n in conflict.red_lines if n != name] + all_facts
        require_sat(compiled, rest, searcher, f"{list(conflict.red_lines)} is not minimal ({name})", targets,
                     witnesses)
    for name in conflict.facts:
        rest = list(conflict.red_lines) + [n for n in conflict.facts if n != name]
        require_sat(compiled, rest, searcher, f"the facts of {list(conflict.red_lines)} are not minimal ({name})",
                     targets, witnesses)


def explain_target(compiled: Compiled, target: Expr, searcher: Searcher) -> Conflict | None:
    """Why no deal satisfies `target`: a minimal set of red lines and facts contradicting it, or None when
    some deal does satisfy it."""
    scenario = compiled.scenario
    soft = rule_names(scenario.red_lines) + rule_names(scenario.facts)
    oracle = SubsetOracle(compiled, soft, [], searcher, targets=[target])
    first = oracle(frozenset(soft))
    if not first.decided:
        raise OutOfTime()
    if first.sat:
        return None
    mus = find_mus(soft, oracle, first.core)
    fact_names = set(rule_names(scenario.facts))
    conflict = Conflict(tuple(sorted(mus - fact_names)), tuple(sorted(mus & fact_names)))
    _verify_target_conflict(compiled, conflict, target, searcher, oracle.deals)
    return conflict


def _verify_target_conflict(compiled, conflict: Conflict, target: Expr, searcher, witnesses=()) -> None:
    members = list(conflict.red_lines) + list(conflict.facts)
    require_unsat(compiled, members, searcher, f"{members} does not rule out the target", [target])
    for name in members:
        rest = [n for n in members if n != name]
        require_sat(compiled, rest, searcher, f"the reason {members} is not minimal ({name})", [target], witnesses)
