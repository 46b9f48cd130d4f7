"""Questions about a scenario typed on the command line: `ISSUE=VALUE` (`SEQUENCE.STEP=PHASE`), an issue name, or a
demand id.

Parsed against the scenario with the same did-you-mean help as the files; the answer is a rule-language
expression, so the solver and the plain evaluator treat it like any rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .errors import UserError
from .kinds import for_value, issue_type
from .model import Issue, Rule, Scenario
from .rules.syntax import Compare, Expr, IntLit, Step
from .suggest import did_you_mean


class TargetKind(str, Enum):
    """What `explain` is asked about."""

    DEMAND = "demand"  #: why no deal meets this demand
    VALUE = "value"  #: why no deal gives this issue this value
    FORCED = "forced"  #: why every deal gives this issue the same value


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    text: str  # as typed
    issue: str | None = None
    value: Any = None
    demand: Rule | None = None
    step: str | None = None  # `SEQUENCE.STEP=PHASE`: the step whose phase `value` is


    def expr(self) -> Expr:
        """The condition whose impossibility is explained (DEMAND and VALUE targets)."""
        if self.kind is TargetKind.DEMAND:
            assert self.demand is not None  # (parse_target makes a DEMAND target with its demand)
            return self.demand.expr
        assert self.issue is not None  # (and a VALUE target with its issue)
        if self.step is not None:
            return Compare((Step(self.issue, self.step), IntLit(self.value)), ("==",))
        return for_value(self.value).condition(self.issue, self.value)


def value_literal(value: Any) -> Expr:
    return for_value(value).literal(value)


def differs_from(issue: str, value: Any) -> Expr:
    """The condition "ISSUE is not VALUE"."""
    return for_value(value).condition(issue, value, "!=")


def parse_step_value(scenario: Scenario, name: str, raw: str) -> tuple[Issue, str, int]:
    """`SEQUENCE.STEP` and a phase typed for it: the issue, the step and the phase, checked."""
    issue_name, _, step = name.partition(".")
    issue = _issue(scenario, issue_name.strip())
    return issue, step.strip(), issue_type(issue).parse_phase(issue, step.strip(), raw)


def parse_value(issue: Issue, text: str) -> Any:
    """A value typed by a user for an issue: checked against its domain."""
    return issue_type(issue).parse(issue, text)


def parse_target(scenario: Scenario, text: str) -> Target:
    """`ISSUE=VALUE`, `ISSUE`, `PARTY/ID` or a demand ID unique across parties."""
    if "=" in text:
        name, _, raw = text.partition("=")
        if "." in name:
            issue, step, phase = parse_step_value(scenario, name, raw)
            return Target(TargetKind.VALUE, text, issue.name, phase, step=step)
        issue = _issue(scenario, name.strip())
        return Target(TargetKind.VALUE, text, issue.name, parse_value(issue, raw))
    if text in scenario.issues:
        return Target(TargetKind.FORCED, text, text)
    demands = {d.name: d for d in scenario.demands}
    if text in demands:
        return Target(TargetKind.DEMAND, text, demand=demands[text])
    by_id = [d for d in scenario.demands if d.id == text]
    if len(by_id) == 1:
        return Target(TargetKind.DEMAND, text, demand=by_id[0])
    if len(by_id) > 1:
        raise UserError(f"several parties have a demand '{text}'",
                        hint="name it with its party: " + " or ".join(d.name for d in by_id))
    red = {r.name for r in scenario.red_lines} | {r.id for r in scenario.red_lines}
    if text in red:
        raise UserError(f"'{text}' is a red line, not a demand", hint="explain asks why no deal meets a demand; "
                        "a red line holds in every deal")
    candidates = list(scenario.issues) + list(demands) + [d.id for d in scenario.demands]
    raise UserError(f"'{text}' is neither an issue, ISSUE=VALUE, nor a demand",
                    hint=did_you_mean(text, candidates) or "see 'feasible validate' for the scenario's issues")


def _issue(scenario: Scenario, name: str) -> Issue:
    if name not in scenario.issues:
        raise UserError(f"unknown issue '{name}'", hint=did_you_mean(name, scenario.issues))
    return scenario.issues[name]
