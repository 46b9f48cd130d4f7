"""Why not? Explaining why no deal meets a demand, has a value, or leaves an issue open."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from feasible.positions.model import Scenario
from feasible.positions.targets import Target, TargetKind, differs_from

from ..compile import compile_scenario
from ..deals import closest_to_anchors, read_deal
from ..open import open_values
from ..result import Deal
from ..search import Searcher
from .algorithms import OutOfTime
from .conflicts import Conflict, explain_target


@dataclass(frozen=True)
class WhyNot:
    """The answer of `explain`."""

    target: Target
    any_deal: bool  # False when no deal exists at all (then `check` explains the conflicts)
    possible: bool  # the demand can be met / the value occurs / the issue is not forced
    reason: Conflict | None = None  # when not possible: a minimal set of red lines and facts ruling it out
    witness: Deal | None = None  # when possible: a deal showing it
    forced_value: Any = None  # FORCED targets: the value every deal gives the issue
    decided: bool = True  # False when the time limit ran out


def why_not(scenario: Scenario, target: Target, time_limit: float) -> WhyNot:
    compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
    searcher = Searcher(time_limit, label=f"'{scenario.title}'")
    required = [r.name for r in scenario.facts + scenario.red_lines]
    outcome = searcher.solve(compiled.with_hard(required))
    if not outcome.found:
        return WhyNot(target, False, False, decided=outcome.infeasible)
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
        witness = read_deal(compiled, probe.solved, optimal=False)
        opened = open_values(compiled, witness, required, searcher, [condition])
        return WhyNot(target, True, True, witness=replace(witness, open=opened), forced_value=None)
    if not probe.infeasible:
        return WhyNot(target, True, False, decided=False)
    try:
        reason = explain_target(compiled, condition, searcher)
    except OutOfTime:
        return WhyNot(target, True, False, forced_value=forced_value, decided=False)
    return WhyNot(target, True, False, reason=reason, forced_value=forced_value)
