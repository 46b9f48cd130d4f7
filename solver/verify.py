"""Independent verification: every deal the solver returns is re-checked by the plain evaluator."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from feasible.positions import InternalError
from feasible.positions.model import RuleKind, Scenario

from .evaluate import holds, in_domain


def verify_deal(scenario: Scenario, deal: Mapping[str, Any], solver_holds: Mapping[str, bool] | None = None,
                required: Collection[str] | None = None) -> dict[str, bool]:
    """Raise InternalError unless the deal gives every issue a value in its domain, satisfies every required
    rule (default: every fact and red line), and (when given) the solver's truth value of every rule matches
    the evaluator's. Returns the evaluator's truth value of every rule."""
    for name, issue in scenario.issues.items():
        if name not in deal or not in_domain(issue, deal[name]):
            raise InternalError(f"the solver gave issue '{name}' the value {deal.get(name)!r}, outside its domain")
    truths: dict[str, bool] = {}
    for rule in scenario.rules():
        truth = holds(rule, scenario.issues, deal)
        truths[rule.name] = truth
        must = rule.kind is not RuleKind.DEMAND if required is None else rule.name in required
        if must and not truth:
            raise InternalError(f"the solver proposed a deal that breaks {rule.kind.value} {rule.name} "
                                f"(\"{rule.says}\"); the deal was withheld")
        if solver_holds is not None and solver_holds[rule.name] != truth:
            raise InternalError(f"the solver and the evaluator disagree on {rule.name} ({rule.text!r}): solver "
                                f"{solver_holds[rule.name]}, evaluator {truth}")
    return truths
