"""Building scenarios in code (no YAML), the way the loader builds them."""

from __future__ import annotations

from feasible.positions.acceptance import ACCEPT_AT_LEAST_ID, acceptance_expr
from feasible.positions.model import Issue, IssueKind, Party, Rule, RuleKind, Scenario
from feasible.positions.rules import check_rule, parse_rule, to_text
from feasible.positions.rules.syntax import Expr


def bool_issue(name: str) -> Issue:
    return Issue(name, IssueKind.BOOL)


def enum_issue(name: str, *values: str, ordered: bool = False) -> Issue:
    return Issue(name, IssueKind.ENUM, values=tuple(values), ordered=ordered)


def int_issue(name: str, low: int, high: int) -> Issue:
    return Issue(name, IssueKind.INT, min=low, max=high)


def set_issue(name: str, *values: str) -> Issue:
    return Issue(name, IssueKind.SET, values=tuple(values))


def sequence_issue(name: str, *steps: str, phases: int | None = None, optional: tuple[str, ...] = ()) -> Issue:
    return Issue(name, IssueKind.SEQUENCE, steps=tuple(steps), phases=phases, optional=tuple(optional))


def issues_of(*issues: Issue) -> dict[str, Issue]:
    return {issue.name: issue for issue in issues}


def rule(owner: str, rule_id: str, kind: RuleKind, expr: Expr | str, weight: int = 1) -> Rule:
    """A rule from a syntax tree or from rule text."""
    if isinstance(expr, str):
        text, expr = expr, parse_rule(expr)
    else:
        text = to_text(expr)
    return Rule(owner, rule_id, kind, f"{owner} {kind.value} {rule_id}", text, expr, weight)


def party(party_id: str, red_lines=(), demands=(), accept_at_least: int | None = None) -> Party:
    """A party; red_lines are exprs or texts, demands are (expr or text, weight) pairs."""
    red = tuple(rule(party_id, f"r{i}", RuleKind.RED_LINE, e) for i, e in enumerate(red_lines))
    wants = tuple(rule(party_id, f"d{i}", RuleKind.DEMAND, e, w) for i, (e, w) in enumerate(demands))
    acceptance = None
    if accept_at_least is not None and wants:
        expr = acceptance_expr(wants, accept_at_least)
        acceptance = Rule(party_id, ACCEPT_AT_LEAST_ID, RuleKind.RED_LINE,
                          f"{party_id} accepts at least {accept_at_least}%", to_text(expr), expr, 1)
    return Party(party_id, party_id.title(), red, wants, accept_at_least, acceptance)


def scenario(issues: dict[str, Issue], parties=(), facts=(), title: str = "test scenario") -> Scenario:
    built_facts = tuple(rule("facts", f"f{i}", RuleKind.FACT, e) for i, e in enumerate(facts))
    return Scenario(title, dict(issues), tuple(parties), built_facts)


def assert_well_typed(scen: Scenario) -> None:
    """Every rule passes the rule checker (so the generators and hand-written rules are type-correct)."""
    for r in scen.rules():
        problems = check_rule(r.expr, scen.issues)
        assert not problems, f"{r.name} {r.text!r}: {problems}"
