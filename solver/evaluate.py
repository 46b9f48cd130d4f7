"""The plain evaluator: a rule's truth in a deal, computed directly from the syntax tree in Python.

Written independently of the CP-SAT compilation so that it can check every answer the solver gives.
A deal maps every issue to its value: bool, enum value (str), int, frozenset of set values, or a sequence's Phases.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from feasible.positions.kinds import Phases, issue_type
from feasible.positions.model import Issue, Rule
from feasible.positions.rules.checker import Types, TyKind
from feasible.positions.rules.syntax import (And, Arith, BoolLit, Compare, Count, Expr, Iff, Implies, IntLit,
                                             Membership, Name, Neg, Not, Or, Order, SetLit, Size, Step, StrLit)

Deal = Mapping[str, Any]
Value = Any

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}


class Evaluator:
    """Evaluates expressions over one deal of a scenario's issues."""

    def __init__(self, issues: Mapping[str, Issue], deal: Deal, types: Types | None = None):
        self.issues = issues
        self.deal = deal
        # The checker's types: a loaded rule's own (Rule.types), else a table made when a comparison of strings
        # first asks.
        self.types = types

    def __call__(self, expr: Expr) -> Value:
        return _EVAL[type(expr)](self, expr)

    def rank(self, expr: Expr, value: Value, other: Expr) -> Value:
        """Strings compare by position in an ordered enum; everything else compares as itself."""
        if not isinstance(value, str):
            return value
        self.types = self.types or Types(self.issues)
        for side in (expr, other):
            ty = self.types.of(side)
            if ty.kind is TyKind.ENUM:
                return ty.of_issue.values.index(value)
        return value


def _compare(ev: Evaluator, node: Compare) -> bool:
    values = [ev(operand) for operand in node.operands]
    for i, op in enumerate(node.ops):
        left, right = node.operands[i], node.operands[i + 1]
        if not _ORDER[op](ev.rank(left, values[i], right), ev.rank(right, values[i + 1], left)):
            return False
    return True


def _membership(ev: Evaluator, node: Membership) -> bool:
    item, container = ev(node.item), ev(node.container)
    found = container.present(item) if isinstance(container, Phases) else item in container
    return not found if node.negated else found


def _order(ev: Evaluator, node: Order) -> bool:
    """`a before b`: if b happens, a happens in an earlier phase (a phase of 0: left out)."""
    earlier, later = ev(node.earlier), ev(node.later)
    return later == 0 or 0 < earlier < later


def _name(ev: Evaluator, node: Name) -> Value:
    return ev.deal[node.name]


_EVAL: dict[type, Callable[[Evaluator, Any], Value]] = {
    BoolLit: lambda ev, n: n.value,
    IntLit: lambda ev, n: n.value,
    StrLit: lambda ev, n: n.value,
    Name: _name,
    Step: lambda ev, n: ev.deal[n.issue].phase(n.step),
    SetLit: lambda ev, n: frozenset(item.value for item in n.items),
    Not: lambda ev, n: not ev(n.operand),
    And: lambda ev, n: all(ev(o) for o in n.operands),
    Or: lambda ev, n: any(ev(o) for o in n.operands),
    Implies: lambda ev, n: (not ev(n.left)) or bool(ev(n.right)),
    Iff: lambda ev, n: bool(ev(n.left)) == bool(ev(n.right)),
    Compare: _compare,
    Membership: _membership,
    Order: _order,
    Arith: lambda ev, n: _ARITH[n.op](ev(n.left), ev(n.right)),
    Neg: lambda ev, n: -ev(n.operand),
    Size: lambda ev, n: len(ev(n.operand)),
    Count: lambda ev, n: sum(1 for o in n.operands if ev(o)),
}


def evaluate(expr: Expr, issues: Mapping[str, Issue], deal: Deal, types: Types | None = None) -> Value:
    """The value of an expression in a deal (`types`: the checker's types of its nodes, if at hand)."""
    return Evaluator(issues, deal, types)(expr)


def holds(rule: Rule, issues: Mapping[str, Issue], deal: Deal) -> bool:
    """Whether a rule holds in a deal, by the types the checker gave it when it was loaded."""
    return bool(evaluate(rule.expr, issues, deal, rule.types))


def in_domain(issue: Issue, value: Value) -> bool:
    """Whether a value is one an issue can take (bools are not ints here)."""
    return issue_type(issue).in_domain(issue, value)
