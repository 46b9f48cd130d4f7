"""FL2xx: how rules and issues are written (comparisons that cannot change, values nothing tells apart, rules
bundling unrelated positions, red lines nothing else touches)."""

from __future__ import annotations

from feasible.positions import Rule
from feasible.positions.model import rules_by_issue
from feasible.positions.kinds import issue_type
from feasible.positions.rules.syntax import (And, Compare, Expr, Membership, Name, Order, SetLit, Size, StrLit,
                                             names, set_values, walk)

from ..groups import joined
from .context import Context
from .findings import At, Finding
from .universe import Part, Question

ORDERING = ("<", "<=", ">", ">=")


def constant_comparisons(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL201 a comparison true for every value of its issues; FL202 one true for none (an order statement of a
    sequence's steps counts as a comparison)."""
    occurrences = [(rule, node) for rule in _written(ctx) for node in walk(rule.expr)
                   if isinstance(node, (Compare, Membership, Order))]
    first: dict[Expr, Rule] = {}
    for rule, node in occurrences:
        first.setdefault(node, rule)
    questions = [Question((wanted, node), (Part(node, rule.types, wanted),))
                 for node, rule in first.items() for wanted in (True, False)]
    answers = ctx.settle(ctx.domain, questions, *({"FL201", "FL202"} & codes))
    findings = []
    for rule, node in occurrences:
        code = "FL201" if (False, node) in answers.unmet else "FL202" if (True, node) in answers.unmet else None
        if code in codes:
            findings.append(Finding(code, At("rule", rule.name, node.span), {"issues": _in_order(ctx, names(node))}))
    return findings


def unmentioned_values(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL203 values of an issue that no rule tells apart: of an enum, two or more no rule names; of a set, each no
    rule names; of an issue no rule names, all of them."""
    findings = []
    mentions = rules_by_issue(_written(ctx))
    for issue in ctx.scenario.issues.values():
        naming = mentions.get(issue.name, ())
        if not naming:
            findings.append(Finding("FL203", At("issue", issue.name), {"values": list(issue.values), "all": True}))
            continue
        if not issue.values or any(_covers_all(r.expr, issue.name) for r in naming):
            continue
        written = {value for r in naming for value in _named_values(r.expr, issue.name)}
        missing = [v for v in issue.values if v not in written]
        if len(missing) > issue_type(issue).unnamed_told_apart:
            findings.append(Finding("FL203", At("issue", issue.name, index=issue.values.index(missing[0])),
                                    {"values": missing, "all": False}))
    return findings


def unmentioned_package_values(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL206 a package's value on an issue no rule mentions: it cannot matter to any judgement, satisfaction or
    nearest deal (the nearest deal keeps it, whatever it is)."""
    mentions = rules_by_issue(_written(ctx))
    return [Finding("FL206", At("package", package.name, index=index), {"issue": value.issue})
            for package in ctx.scenario.packages for index, value in enumerate(package.values)
            if value.issue not in mentions]


def _named_values(expr: Expr, issue: str) -> set[str]:
    """The values of the issue a rule names where it speaks of the issue: compared with it, tested for membership
    in it, or listed in a set it is compared with (a value named about another issue does not count)."""
    named: set[str] = set()
    this = Name(issue)
    for node in walk(expr):
        if isinstance(node, Compare) and this in node.operands:
            for operand in node.operands:
                named |= _literal_values(operand)
        elif isinstance(node, Membership) and node.container == this:
            named |= _literal_values(node.item)
        elif isinstance(node, Membership) and node.item == this:
            named |= _literal_values(node.container)
    return named


def _literal_values(node: Expr) -> set[str]:
    if isinstance(node, StrLit):
        return {node.value}
    if isinstance(node, SetLit):
        return set(set_values(node))
    return set()


def _covers_all(expr: Expr, issue: str) -> bool:
    """Whether a rule speaks of every value of the issue at once: an order comparison, a comparison with
    another issue or with a whole set (which says of each value whether it is in), or its size."""
    for node in walk(expr):
        if isinstance(node, Size) and node.operand == Name(issue):
            return True
        if isinstance(node, Compare) and Name(issue) in node.operands and (
                any(op in ORDERING for op in node.ops)
                or any(isinstance(o, Name) and o.name != issue for o in node.operands)
                or any(isinstance(o, SetLit) for o in node.operands)):
            return True
    return False


def unrelated_conjunctions(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL204 a position whose top-level `and` joins conditions on issues that nothing relates (no shared issue,
    directly or through the facts)."""
    related = _related_by_facts(ctx)
    findings = []
    for rule in ctx.positions():
        if not isinstance(rule.expr, And):
            continue
        groups: dict[str, list[str]] = {}
        for operand in rule.expr.operands:
            mentioned = names(operand)
            if mentioned:
                groups.setdefault(related(next(iter(mentioned))), []).extend(mentioned)
        if len(groups) > 1:
            found = [_in_order(ctx, set(g)) for g in groups.values()]
            findings.append(Finding("FL204", At("rule", rule.name, rule.expr.span), {"groups": found}))
    return findings


def _related_by_facts(ctx: Context):
    """Issue → a representative of the issues related to it: joined when a fact, or one conjunct of a position,
    names them together."""
    conjuncts = [c for rule in ctx.positions() for c in (rule.expr.operands if isinstance(rule.expr, And)
                                                          else (rule.expr,))]
    return joined([names(f.expr) for f in ctx.scenario.facts] + [names(c) for c in conjuncts])


def lonely_red_lines(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL205 a red line on issues no other rule mentions: in no conflict, and constraining nothing else."""
    mentions = rules_by_issue(_written(ctx))
    candidates = []
    for rule in (r for p in ctx.scenario.parties for r in p.red_lines):
        mine = names(rule.expr)
        if mine and not any(other is not rule for issue in mine for other in mentions[issue]):
            candidates.append(rule)
    # One that no value meets is a conflict on its own (check reports it), not this.
    answers = ctx.settle(ctx.domain, [Question(r.name, (Part(r.expr, r.types),)) for r in candidates], "FL205")
    return [Finding("FL205", At("rule", r.name), {"issues": _in_order(ctx, names(r.expr))})
            for r in candidates if r.name in answers.met]


def _written(ctx: Context) -> tuple[Rule, ...]:
    """Facts, red lines and demands as written (accept_at_least levels and reservation values are made by
    feasible, the latter from a utility block, where a reservation of 0 is a red line every deal meets)."""
    made = {p.reservation.name for p in ctx.scenario.parties if p.reservation is not None}
    return tuple(r for r in ctx.scenario.rules() if not r.is_acceptance and r.name not in made)


def _in_order(ctx: Context, issues: set[str]) -> list[str]:
    return [name for name in ctx.scenario.issues if name in issues]
