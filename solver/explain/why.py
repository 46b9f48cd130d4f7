"""Why not? Explaining why no deal meets a demand, has a value, or leaves an issue open.

When the scenario has no deal at all, every question would be answered "no": instead, the question is answered
in the scenario with the red lines of the disputes that do not bear on it set aside. The target's disputes are
those with a red line that mentions an issue the target mentions (the demand's issues, or the issue asked about);
their red lines stay, those of every other dispute are set aside. When no dispute bears on the target, the red
lines of every dispute are set aside. The conflicts are all found, within the time limit, and grouped into
disputes as `check` groups them (disputes.py); when the time limit cuts that search short, the answer says so,
since a red line of a conflict not found stays in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from feasible.positions.model import Scenario
from feasible.positions.rules.syntax import names
from feasible.positions.targets import Target, TargetKind, differs_from

from ..compile import compile_scenario
from ..deals import closest_to_anchors, read_deal
from ..open import with_open_values
from ..result import Deal
from ..search import Searcher
from .algorithms import OutOfTime
from ..groups import joined
from .conflicts import Conflict, explain_target, find_conflicts
from .disputes import Dispute, group_disputes, order_conflicts

# Of the time left once the scenario proves to have no deal, at most this share goes to finding its conflicts:
# the answer itself needs time of its own.
CONFLICT_SHARE = 0.6


@dataclass(frozen=True)
class WhyNot:
    """The answer of `explain`."""

    target: Target
    any_deal: bool  # False when no deal exists, even with the red lines in `set_aside` set aside
    possible: bool  # the demand can be met / the value occurs / the issue is not forced
    reason: Conflict | None = None  # when not possible: a minimal set of red lines and facts ruling it out
    witness: Deal | None = None  # when possible: a deal showing it
    forced_value: Any = None  # FORCED targets: the value every deal gives the issue
    decided: bool = True  # False when the time limit ran out
    # The scenario has no deal as given: the answer is in the scenario without these red lines (sorted names),
    # those of the disputes that do not bear on the target (of every dispute, when none does).
    set_aside: tuple[str, ...] = ()
    no_deal_as_given: bool = False
    disputes: tuple[Dispute, ...] = ()  # the target's disputes, whose red lines stay (in salience order)
    conflicts_complete: bool = True  # False: the conflicts found may not be all (a red line may stay wrongly)
    # The issues the answer depends on, in the scenario's order: those the target mentions, and for a target ruled
    # out, those the rules of its reason mention (or, with no deal even after setting aside, those of the
    # conflicts of its disputes). An example deal is shown on these issues.
    depends_on: tuple[str, ...] = ()


def target_issues(target: Target) -> set[str]:
    """The issues a target mentions: the one asked about, or every issue its demand's rule names."""
    if target.kind is TargetKind.DEMAND:
        assert target.demand is not None  # (parse_target makes a DEMAND target with its demand)
        return set(names(target.demand.expr))
    assert target.issue is not None
    return {target.issue}


def rule_issues(scenario: Scenario, rule_names: Sequence[str]) -> set[str]:
    return {issue for name in rule_names for issue in names(scenario.rule(name).expr)}


def linked_issues(scenario: Scenario, issues: set[str]) -> set[str]:
    """The issues, and every issue a fact ties to them, directly or through other facts: a red line on a linked
    issue bears on the target as much as one on the target's own issue does."""
    root = joined(names(fact.expr) for fact in scenario.facts)
    wanted = {root(issue) for issue in issues}
    return issues | {issue for issue in scenario.issues if root(issue) in wanted}


def bearing_on(scenario: Scenario, target: Target, disputes: Sequence[Dispute]) -> tuple[Dispute, ...]:
    """The disputes with a red line that mentions an issue the target mentions, or one the facts tie to it."""
    wanted = linked_issues(scenario, target_issues(target))
    return tuple(d for d in disputes if rule_issues(scenario, d.red_lines) & wanted)


def set_aside_for(scenario: Scenario, target: Target, disputes: Sequence[Dispute]) -> tuple[str, ...]:
    """The red lines set aside to answer about the target: those of the disputes not bearing on it, or of every
    dispute when none does."""
    kept = bearing_on(scenario, target, disputes)
    return tuple(sorted({name for d in disputes if d not in kept for name in d.red_lines}))


def _in_order(scenario: Scenario, issues: set[str]) -> tuple[str, ...]:
    return tuple(name for name in scenario.issues if name in issues)


def why_not(scenario: Scenario, target: Target, time_limit: float) -> WhyNot:
    searcher = Searcher(time_limit, label=f"'{scenario.title}'")
    compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
    required = [r.name for r in scenario.facts + scenario.red_lines]
    outcome = searcher.solve(compiled.with_hard(required))
    if outcome.found:
        return _answer(scenario, target, searcher, (compiled, outcome))
    if not outcome.infeasible:
        return WhyNot(target, False, False, decided=False)
    with searcher.budget(searcher.remaining() * CONFLICT_SHARE):
        conflicts, complete = find_conflicts(compiled, searcher, None)
    if not conflicts:  # the time limit ran out before a single conflict was verified
        return WhyNot(target, False, False, decided=False, no_deal_as_given=True, conflicts_complete=False)
    disputes = group_disputes(scenario, order_conflicts(scenario, conflicts), options=False)
    set_aside = set_aside_for(scenario, target, disputes)
    mine = bearing_on(scenario, target, disputes)
    from feasible.positions.edits import Edits, apply_edits

    relaxed = apply_edits(scenario, Edits(drop=set_aside))[0] if set_aside else scenario
    answer = _answer(relaxed, target, searcher)
    if not answer.any_deal and answer.decided and not complete:  # a conflict not found may be what stands
        return WhyNot(target, False, False, decided=False, set_aside=set_aside, no_deal_as_given=True,
                      disputes=mine, conflicts_complete=False)
    if not answer.any_deal and answer.decided:  # the target's disputes stand: their conflicts are the answer
        depends = target_issues(target) | rule_issues(scenario, [n for d in mine for c in d.conflicts
                                                                 for n in c.red_lines + c.facts])
        answer = WhyNot(target, False, False, depends_on=_in_order(scenario, depends))
    return WhyNot(answer.target, answer.any_deal, answer.possible, answer.reason, answer.witness,
                  answer.forced_value, answer.decided, set_aside, True, mine, complete, answer.depends_on)


def _answer(scenario: Scenario, target: Target, searcher: Searcher, solved=None) -> WhyNot:
    """The answer in this scenario (as given, or with red lines set aside), within the searcher's time; `solved`:
    the scenario compiled and solved already (its model and the outcome of the search for some deal)."""
    required = [r.name for r in scenario.facts + scenario.red_lines]
    if solved is None:
        compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
        outcome = searcher.solve(compiled.with_hard(required))
    else:
        compiled, outcome = solved
    if not outcome.found:
        return WhyNot(target, False, False, decided=outcome.infeasible)
    own = target_issues(target)
    some_deal = read_deal(compiled, outcome.solved, optimal=False)
    forced_value = None
    if target.kind is TargetKind.FORCED:
        assert target.issue is not None  # (parse_target makes a FORCED target with its issue)
        forced_value = some_deal.values[target.issue]
        condition = differs_from(target.issue, forced_value)
    else:
        condition = target.expr()
    model = compiled.with_hard(required, [condition])
    ties, ceilings = closest_to_anchors(compiled, model)
    probe, _, _ = searcher.optimize(model, ties, 0, ceilings)
    if probe.found:
        witness = with_open_values(compiled, read_deal(compiled, probe.solved, optimal=False), required, searcher,
                                   [condition])
        return WhyNot(target, True, True, witness=witness, forced_value=None,
                      depends_on=_in_order(scenario, own))
    if not probe.infeasible:
        return WhyNot(target, True, False, decided=False)
    try:
        reason = explain_target(compiled, condition, searcher)
    except OutOfTime:
        return WhyNot(target, True, False, forced_value=forced_value, decided=False)
    assert reason is not None  # (the probe proved the target impossible)
    depends = own | rule_issues(scenario, reason.red_lines + reason.facts)
    return WhyNot(target, True, False, reason=reason, forced_value=forced_value,
                  depends_on=_in_order(scenario, depends))
