"""Type checking of parsed rules against a scenario's issues.

Each node kind has a small function returning the node's type and reporting problems; a rule as a whole
must be a condition. Problems carry the span of the offending part of the rule text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from ..model import Issue, IssueKind
from ..suggest import did_you_mean
from .parser import counted_in
from .printer import to_text
from .syntax import (And, Arith, BoolLit, Compare, Count, Expr, Iff, Implies, IntLit, Membership, Name, Neg, Not,
                     Or, Order, SetLit, Size, Span, Step, StrLit, names, set_items, walk)


@dataclass(frozen=True)
class RuleProblem:
    message: str
    span: Span
    hint: str | None = None


class TyKind(str, Enum):
    """What an expression of the rule language is. An issue's name has its issue's kind (same value)."""

    BOOL = "bool"  #: a condition, or a bool issue
    INT = "int"  #: a number, or an int issue
    ENUM = "enum"  #: an enum issue
    SET = "set"  #: a set issue
    SEQUENCE = "sequence"  #: a sequence issue (its steps' phases are numbers: Step nodes are INT)
    STR = "str"  #: a quoted value
    STRSET = "strset"  #: a set of quoted values
    INTSET = "intset"  #: a set of numbers
    ERROR = "error"  #: an invalid expression (already reported)


@dataclass(frozen=True)
class Ty:
    """The type of an expression: a condition, a number, an issue's value, a quoted value or a set of them."""

    kind: TyKind
    issue: Issue | None = None
    values: tuple = ()

    @property
    def of_issue(self) -> Issue:
        """The issue of an ENUM or SET type, or of a name's type: _name is the one maker of those and always gives
        the issue (only constants and computed values have none)."""
        assert self.issue is not None, f"a {self.kind.value} type without its issue"
        return self.issue

    def describe(self) -> str:
        if self.issue is not None:
            return f"the {self.kind.value} issue '{self.issue.name}'"
        return {TyKind.BOOL: "a condition", TyKind.INT: "a number", TyKind.STR: "a quoted value",
                TyKind.STRSET: "a set of values", TyKind.INTSET: "a set of numbers",
                TyKind.ERROR: "an invalid expression"}[self.kind]


BOOL, INT, ERROR = Ty(TyKind.BOOL), Ty(TyKind.INT), Ty(TyKind.ERROR)


@dataclass
class _Checker:
    issues: Mapping[str, Issue]
    ignore: frozenset[str] = frozenset()
    problems: list[RuleProblem] = field(default_factory=list)
    found: dict[int, tuple[Expr, Ty]] | None = None  # id(node) → the node (kept alive: its id stays its own), type

    def report(self, message: str, node: Expr, hint: str | None = None) -> Ty:
        self.problems.append(RuleProblem(message, node.span, hint))
        return ERROR

    def check(self, expr: Expr) -> Ty:
        ty = _RULES[type(expr)](self, expr)
        if self.found is not None:
            self.found[id(expr)] = (expr, ty)
        return ty

    def condition(self, expr: Expr, role: str) -> None:
        ty = self.check(expr)
        if ty.kind not in (TyKind.BOOL, TyKind.ERROR):
            self.report(f"{role} must be a condition, but '{to_text(expr)}' is {ty.describe()}", expr,
                        _condition_hint(ty))

    def number(self, expr: Expr, role: str) -> Ty:
        ty = self.check(expr)
        if ty.kind not in (TyKind.INT, TyKind.ERROR):
            return self.report(f"{role} must be a number, but '{to_text(expr)}' is {ty.describe()}", expr)
        return ty

    def value_in_domain(self, value: str, issue: Issue, node: Expr) -> None:
        if value not in issue.values:
            hint = did_you_mean(value, issue.values, quote='"') or (
                "its values are " + ", ".join(f'"{v}"' for v in issue.values))
            self.report(f'"{value}" is not a value of {issue.kind.value} issue \'{issue.name}\'', node, hint)

    def in_range(self, constant: Expr, other: Expr, other_ty: Ty) -> None:
        """A number written next to an int issue (`cap >= 120`, `cap in {120}`) must lie in the issue's range:
        one outside it is a slip or a wrong unit, never a position. A number inside the range that makes the
        comparison always or never hold (`cap > 10` with max 10) is valid."""
        value = _constant(constant)
        if value is not None and isinstance(other, Step):
            self.in_phases(value, constant, other)
        if value is None or not isinstance(other, Name):
            return
        issue = other_ty.of_issue
        if issue.min is None or issue.max is None or issue.min <= value <= issue.max:  # (an int issue has both)
            return
        if issue.min > issue.max:  # the issue's own error says enough
            return
        counted = counted_in(issue) + "; " if issue.unit else ""
        self.report(f"{value} is outside the range of '{issue.name}' ({issue.min}..{issue.max})", constant,
                    f"{counted}correct the number, or widen the issue's min and max")

    def in_phases(self, value: int, constant: Expr, step: Step) -> None:
        """A number written next to a step's phase lies in 0..phases (a mandatory step's in 1..phases)."""
        low, high = step_range(self.issues[step.issue], step.step)
        if not low <= value <= high:
            left_out = "; a step left out has phase 0" if low == 0 else \
                ("; a mandatory step is never left out (phase 0)" if value == 0 else "")
            self.report(f"{value} is outside the phases of '{step.issue}.{step.step}' ({low}..{high})", constant,
                        f"correct the number{left_out}")

    def all_values(self) -> set[str]:
        return {v for i in self.issues.values() for v in i.values}


def _constant(expr: Expr) -> int | None:
    """The value of a number written as such (`5`, `-5`); None for anything computed."""
    match expr:
        case IntLit(value=v):
            return v
        case Neg(operand=IntLit(value=v)):
            return -v
    return None


def step_range(issue: Issue, step: str) -> tuple[int, int]:
    """The phases a step of a sequence issue can take: 1..phases, from 0 (left out) for an optional step; a strict
    order has as many phases as steps."""
    return (0 if step in issue.optional else 1), issue.top_phase


def _condition_hint(ty: Ty) -> str | None:
    if ty.kind is TyKind.SEQUENCE:
        return _step_example(ty.of_issue)
    if ty.kind is TyKind.INT:
        return "compare it, e.g. 'x > 0'"
    if ty.kind is TyKind.ENUM:
        return f"compare it with a value, e.g. '{ty.of_issue.name} == \"{ty.of_issue.values[0]}\"'"
    if ty.kind is TyKind.SET:
        issue = ty.of_issue
        return f"test a value, e.g. '{issue.name} contains \"{issue.values[0]}\"'" if issue.values else None
    return None


def no_steps(issue: Issue, step: str) -> str:
    """A step named on an issue that is not a sequence (in a rule, `--set`, an explain target)."""
    article = "an" if issue.kind.value[0] in "aeiou" else "a"
    return (f"'{issue.name}' is {article} {issue.kind.value} issue; only a sequence issue has steps "
            f"('{issue.name}.{step}')")


def _step_example(issue: Issue) -> str:
    first, second = (issue.steps * 2)[:2]
    return f"use its steps, e.g. '{issue.name}.{first} < {issue.name}.{second}' or '{first} before {second}'"


def sequences_with(issues: Mapping[str, Issue], step: str) -> list[str]:
    """The sequence issues that have a step of this name, in scenario order."""
    return [i.name for i in issues.values() if i.kind is IssueKind.SEQUENCE and step in i.steps]


def resolve_steps(expr: Expr, issues: Mapping[str, Issue]) -> Expr:
    """The rule with each bare step name (`ceasefire`: no issue of that name, a step of exactly one sequence issue)
    written out as that step (`timeline.ceasefire`), so that nothing past the checker sees a bare step name. A name
    that several sequences share is left for the checker to report."""
    if not any(i.kind is IssueKind.SEQUENCE for i in issues.values()):
        return expr
    bare = {n.name for n in walk(expr) if isinstance(n, Name) and n.name not in issues}
    steps = {name: found[0] for name in bare if len(found := sequences_with(issues, name)) == 1}
    return _resolved(expr, steps) if steps else expr


def _resolved(expr: Expr, steps: dict[str, str]) -> Expr:
    if isinstance(expr, Name):
        return Step(steps[expr.name], expr.name, expr.span) if expr.name in steps else expr
    changed: dict[str, Any] = {}
    for name in ("operand", "left", "right", "item", "container"):
        child = getattr(expr, name, None)
        if child is not None and not isinstance(child, (str, bool)):
            changed[name] = _resolved(child, steps)
    if isinstance(expr, (And, Or, Count, Compare)):
        changed["operands"] = tuple(_resolved(o, steps) for o in expr.operands)
    return replace(expr, **changed) if changed else expr


def _name(c: _Checker, node: Name) -> Ty:
    issue = c.issues.get(node.name)
    if issue is None:
        if node.name in c.ignore:  # an issue whose own definition is invalid: that error says enough
            return ERROR
        found = sequences_with(c.issues, node.name)
        if found:  # (resolve_steps wrote out every step of one sequence only)
            return c.report(f"'{node.name}' is a step of several sequence issues ({', '.join(found)})", node,
                            "say which: " + " or ".join(f"{s}.{node.name}" for s in found))
        if node.name in c.all_values():
            return c.report(f"'{node.name}' is not an issue; values must be quoted", node,
                            f'write "{node.name}"')
        hint = did_you_mean(node.name, c.issues)
        return c.report(f"unknown issue '{node.name}'", node, hint)
    return Ty(TyKind(issue.kind.value), issue)


def _step(c: _Checker, node: Step) -> Ty:
    issue = c.issues.get(node.issue)
    if issue is None:
        if node.issue in c.ignore:
            return ERROR
        return c.report(f"unknown issue '{node.issue}' in '{node.issue}.{node.step}'", node,
                        did_you_mean(node.issue, [i.name for i in c.issues.values() if i.kind is IssueKind.SEQUENCE])
                        or did_you_mean(node.issue, c.issues))
    if issue.kind is not IssueKind.SEQUENCE:
        return c.report(no_steps(issue, node.step), node)
    if node.step not in issue.steps:
        return c.report(f"'{node.step}' is not a step of sequence issue '{issue.name}'", node,
                        did_you_mean(node.step, issue.steps) or "its steps are " + ", ".join(issue.steps))
    return INT


def _order(c: _Checker, node: Order) -> Ty:
    sides = []
    for side in (node.left, node.right):
        ty = c.check(side)
        if ty.kind is TyKind.ERROR:
            continue
        if not isinstance(side, Step):
            example = "e.g. 'timeline.ceasefire before timeline.deployment'"
            c.report(f"'{node.op}' orders steps of a sequence issue, but '{to_text(side)}' is {ty.describe()}",
                     side, f"write a step as SEQUENCE.STEP, {example}")
            continue
        sides.append(side)
    if len(sides) == 2 and sides[0].issue != sides[1].issue:
        c.report(f"'{to_text(sides[0])}' and '{to_text(sides[1])}' are steps of different sequence issues", node,
                 f"'{node.op}' orders two steps of one sequence")
    elif len(sides) == 2 and sides[0].step == sides[1].step:
        c.report(f"'{to_text(node)}' orders a step with itself", node)
    return BOOL


def _set_literal(c: _Checker, node: SetLit) -> Ty:
    kinds = {type(item) for item in node.items}
    if len(kinds) > 1:
        return c.report("a set mixes quoted values and numbers", node)
    values = tuple(item.value for item in node.items)
    if len(set(values)) != len(values):
        dup = next(v for v in values if values.count(v) > 1)
        return c.report(f"the set lists {dup!r} twice", node)
    return Ty(TyKind.INTSET if kinds == {IntLit} else TyKind.STRSET, values=values)


def _logic(c: _Checker, node: Not | And | Or | Implies | Iff) -> Ty:
    operands = (node.operand,) if isinstance(node, Not) else (
        node.operands if isinstance(node, (And, Or)) else (node.left, node.right))
    word = {Not: "'not'", And: "'and'", Or: "'or'", Implies: "'->'", Iff: "'<->'"}[type(node)]
    for operand in operands:
        c.condition(operand, f"each side of {word}")
    return BOOL


def _arith(c: _Checker, node: Arith) -> Ty:
    left, right = c.number(node.left, f"each side of '{node.op}'"), c.number(node.right, f"each side of '{node.op}'")
    if node.op == "*" and names(node.left) and names(node.right):
        return c.report("'*' needs a constant on one side", node,
                        "multiply an issue by a number, e.g. '2 * troops'")
    if ERROR in (left, right):
        return ERROR
    low, high = _bounds(c, node)
    if max(abs(low), abs(high)) > LARGEST:
        return c.report(f"this arithmetic can reach {max(abs(low), abs(high)):.3g}, too large to compute exactly",
                        node, "use smaller numbers or units (e.g. thousands)")
    return INT


LARGEST = 2**53  # values the solver's 64-bit arithmetic (and every sum of a few of them) handles exactly


def _bounds(c: _Checker, expr: Expr) -> tuple[int, int]:
    """The least and greatest value a well-typed number expression can take."""
    match expr:
        case IntLit(value=v):
            return v, v
        case Name(name=n) if n in c.issues and c.issues[n].min is not None and c.issues[n].max is not None:
            issue = c.issues[n]
            assert issue.min is not None and issue.max is not None  # (the guard's own test)
            return issue.min, issue.max
        case Neg(operand=o):
            low, high = _bounds(c, o)
            return -high, -low
        case Size(operand=Name(name=n)) if n in c.issues:
            return 0, len(c.issues[n].values)
        case Step(issue=i, step=st) if i in c.issues:
            return step_range(c.issues[i], st)
        case Count(operands=ops):
            return 0, len(ops)
        case Arith(op=op, left=l, right=r):
            (a, b), (x, y) = _bounds(c, l), _bounds(c, r)
            if op == "+":
                return a + x, b + y
            if op == "-":
                return a - y, b - x
            products = (a * x, a * y, b * x, b * y)
            return min(products), max(products)
    return 0, 0


def _neg(c: _Checker, node: Neg) -> Ty:
    return c.number(node.operand, "the operand of '-'")


def _size(c: _Checker, node: Size) -> Ty:
    ty = c.check(node.operand)
    if ty.kind is TyKind.ERROR:
        return ERROR
    if ty.kind is not TyKind.SET:
        return c.report(f"size() takes a set issue, but '{to_text(node.operand)}' is {ty.describe()}", node.operand)
    return INT


def _count(c: _Checker, node: Count) -> Ty:
    for operand in node.operands:
        c.condition(operand, "each argument of count()")
    return INT


def _compare(c: _Checker, node: Compare) -> Ty:
    types = [c.check(operand) for operand in node.operands]
    for i, op in enumerate(node.ops):
        _compare_pair(c, node.operands[i], types[i], op, node.operands[i + 1], types[i + 1])
    return BOOL


def _compare_pair(c: _Checker, left: Expr, lt: Ty, op: str, right: Expr, rt: Ty) -> None:
    if TyKind.ERROR in (lt.kind, rt.kind):
        return
    ordering = op not in ("==", "!=")
    pair = (lt.kind, rt.kind)
    if op in ("<", ">") and isinstance(left, Step) and isinstance(right, Step) \
            and (left.issue, left.step) == (right.issue, right.step):  # an order statement, refused as _order does
        c.report(f"'{to_text(left)} {op} {to_text(right)}' orders a step with itself", left)
        return
    if pair == (TyKind.INT, TyKind.INT):
        c.in_range(left, right, rt)
        c.in_range(right, left, lt)
        return
    if pair == (TyKind.BOOL, TyKind.BOOL):
        if ordering:
            c.report(f"'{op}' does not order conditions", left, "use '==' or '!='")
        return
    if pair in ((TyKind.ENUM, TyKind.STR), (TyKind.STR, TyKind.ENUM)):
        enum_ty, value_ty, value_node = (lt, rt, right) if lt.kind is TyKind.ENUM else (rt, lt, left)
        enum_issue = enum_ty.of_issue
        c.value_in_domain(value_ty.values[0], enum_issue, value_node)
        if ordering and not enum_issue.ordered:
            c.report(f"'{op}' needs an ordered enum, but '{enum_issue.name}' is not ordered", left,
                     f"add 'ordered: true' to issue '{enum_issue.name}' if its values are listed in order")
        return
    if pair == (TyKind.ENUM, TyKind.ENUM):
        if lt.of_issue.values != rt.of_issue.values:
            c.report(f"'{lt.of_issue.name}' and '{rt.of_issue.name}' have different values and cannot be compared",
                     left)
        elif ordering and not (lt.of_issue.ordered and rt.of_issue.ordered):
            c.report(f"'{op}' needs ordered enums", left)
        return
    if pair in ((TyKind.SET, TyKind.STRSET), (TyKind.STRSET, TyKind.SET), (TyKind.SET, TyKind.SET)):
        if ordering:
            c.report(f"'{op}' does not order sets", left, "use '==' or '!=', or compare size(...)")
        set_ty = lt if lt.kind is TyKind.SET else rt
        other_ty, other_node = (rt, right) if lt.kind is TyKind.SET else (lt, left)
        if other_ty.kind is TyKind.STRSET:
            for item in _quoted_items(other_node):
                c.value_in_domain(item.value, set_ty.of_issue, item)
        elif other_ty.of_issue.values != set_ty.of_issue.values:
            c.report(f"'{lt.of_issue.name}' and '{rt.of_issue.name}' have different values and cannot be compared",
                     left)
        return
    step = _bare_step_for_value(left, lt, right, rt)
    if step is not None:
        c.report(f"'{step.step}' is read as the step {step.issue}.{step.step} here; values must be quoted", step,
                 f'write "{step.step}"')
        return
    c.report(f"cannot compare {lt.describe()} with {rt.describe()}", right, _mismatch_hint(left, lt, op, right, rt))


def _bare_step_for_value(left: Expr, lt: Ty, right: Expr, rt: Ty) -> Step | None:
    """`e == ceasefire`, where ceasefire is both a value of the enum issue e and (bare) a step: the step, for the
    old advice to quote the value."""
    for enum_ty, node in ((lt, right), (rt, left)):
        if enum_ty.kind is TyKind.ENUM and isinstance(node, Step) and node.span[1] - node.span[0] == len(node.step) \
                and node.step in enum_ty.of_issue.values:
            return node
    return None


def _quoted_items(node: Expr) -> list[StrLit]:
    """The items of a STRSET (_set_literal gives that type to a SetLit of quoted values only)."""
    return [item for item in set_items(node) if isinstance(item, StrLit)]


_QUOTED_NUMBER = re.compile(r"-?[0-9]+(?:_[0-9]+)*")


def _mismatch_hint(left: Expr, lt: Ty, op: str, right: Expr, rt: Ty) -> str | None:
    kinds = {lt.kind, rt.kind}
    if kinds == {TyKind.INT, TyKind.STR}:
        quoted = (lt if lt.kind is TyKind.STR else rt).values[0].strip()
        if _QUOTED_NUMBER.fullmatch(quoted):
            sides = [quoted if ty.kind is TyKind.STR else to_text(node) for node, ty in ((left, lt), (right, rt))]
            return f"drop the quotes: '{sides[0]} {op} {sides[1]}'"
    if kinds == {TyKind.ENUM, TyKind.STRSET}:
        return "to test several values, write 'issue in {\"a\", \"b\"}'"
    if kinds == {TyKind.SET, TyKind.STR}:
        return "to test one value, write 'issue contains \"v\"'"
    if TyKind.STR in kinds and TyKind.STR == lt.kind == rt.kind:
        return "one side should be an issue"
    if kinds == {TyKind.BOOL, TyKind.INT}:
        return _truth_hint(left, lt, op, right) or ("a condition is not a number; count(...) turns conditions into "
                                                    "a number")
    return None


def _truth_hint(left: Expr, lt: Ty, op: str, right: Expr) -> str | None:
    """`citizens_income == 1`: a condition compared with 1 or 0, meaning true or false."""
    condition, number = (left, right) if lt.kind is TyKind.BOOL else (right, left)
    value = _constant(number)
    if op not in ("==", "!=") or value not in (0, 1):
        return None
    hint = f"use '{op} {'true' if value else 'false'}'"
    if isinstance(condition, Name):
        holds = (value == 1) == (op == "==")
        hint += f" or the name alone ('{condition.name}')" if holds else f" or 'not {condition.name}'"
    return hint


def _membership(c: _Checker, node: Membership) -> Ty:
    it, ct = c.check(node.item), c.check(node.container)
    if TyKind.ERROR in (it.kind, ct.kind):
        return BOOL
    word = "not in" if node.negated else "in"
    if it.kind is TyKind.ENUM and ct.kind is TyKind.STRSET:
        for quoted in _quoted_items(node.container):
            c.value_in_domain(quoted.value, it.of_issue, quoted)
    elif it.kind is TyKind.INT and (ct.kind is TyKind.INTSET or (ct.kind is TyKind.STRSET and not ct.values)):
        for item in set_items(node.container):  # (an empty {} holds no values of any kind)
            c.in_range(item, node.item, it)
    elif it.kind is TyKind.STR and ct.kind is TyKind.SET:
        c.value_in_domain(it.values[0], ct.of_issue, node.item)
    elif it.kind is TyKind.STR and ct.kind is TyKind.SEQUENCE:
        issue = ct.of_issue
        if it.values[0] not in issue.steps:
            c.report(f'"{it.values[0]}" is not a step of sequence issue \'{issue.name}\'', node.item,
                     did_you_mean(it.values[0], issue.steps, quote='"') or "its steps are " + ", ".join(issue.steps))
    elif ct.kind is TyKind.SEQUENCE:
        c.report(f"'{word}' a sequence issue takes one quoted step on its left, not {it.describe()}", node.item,
                 f"e.g. '\"{ct.of_issue.steps[0]}\" {word} {ct.of_issue.name}'")
    elif ct.kind is TyKind.SET:
        c.report(f"'{word}' a set issue takes one quoted value on its left, not {it.describe()}", node.item)
    elif ct.kind in (TyKind.STRSET, TyKind.INTSET):
        c.report(f"'{word} {{...}}' needs an enum issue or a number on its left, not {it.describe()}", node.item,
                 "for a set issue, test each value: 's contains \"a\" or s contains \"b\"'"
                 if it.kind is TyKind.SET else None)
    else:
        c.report(f"'{word}' needs a set on its right, not {ct.describe()}", node.container,
                 "write the values in braces: x in {\"a\", \"b\"}")
    return BOOL


_RULES: dict[type, Callable[[_Checker, Any], Ty]] = {  # (each takes its key's node type)
    BoolLit: lambda c, n: BOOL,
    IntLit: lambda c, n: INT,
    StrLit: lambda c, n: Ty(TyKind.STR, values=(n.value,)),
    Name: _name,
    Step: _step,
    SetLit: _set_literal,
    Not: _logic, And: _logic, Or: _logic, Implies: _logic, Iff: _logic,
    Arith: _arith,
    Neg: _neg,
    Size: _size,
    Count: _count,
    Compare: _compare,
    Membership: _membership,
    Order: _order,
}


def check_rule(expr: Expr, issues: Mapping[str, Issue], ignore: frozenset[str] = frozenset(),
               types: Types | None = None) -> list[RuleProblem]:
    """Every type problem of a rule, in the order found; an empty list means the rule is well typed.
    Names in `ignore` (issues whose definitions are broken) are not reported as unknown. A well-typed rule's
    types are kept in `types`, when given: the typed tree the solver goes by."""
    checker = _Checker(issues, ignore, found=None if types is None else {})
    checker.condition(expr, "a rule")
    if types is not None and checker.found is not None and not checker.problems:
        types.keep(checker.found)
    return checker.problems


class Types:
    """The types of the nodes of well-typed rules, as the checker finds them: what the compiler and the evaluator
    go by (a comparison of enums, of sets, of conditions), never working a type out themselves. A node is typed
    on first ask, with its sub-trees, and kept (by identity: hashing every sub-tree would cost more than typing
    it)."""

    def __init__(self, issues: Mapping[str, Issue]):
        self.issues = issues
        self._found: dict[int, tuple[Expr, Ty]] = {}
        self._checker = _Checker(issues, found=self._found)
        self._adopted: list[Types] = []  # kept, so that their ids stay theirs

    def keep(self, found: dict[int, tuple[Expr, Ty]]) -> None:
        self._found.update(found)

    def adopt(self, other: Types | None) -> None:
        """Take over what another account found for the same issues (the loader's, kept with its rules)."""
        if other is None or other is self or other.issues is not self.issues or any(o is other for o in self._adopted):
            return
        self._adopted.append(other)
        self.keep(other._found)

    def of(self, expr: Expr) -> Ty:
        known = self._found.get(id(expr))
        if known is not None and known[0] is expr:  # (a copied tree's nodes are other objects: typed afresh)
            return known[1]
        ty = self._checker.check(expr)
        if self._checker.problems:  # the loader and the edits let no such rule through
            problem = self._checker.problems[0]
            raise ValueError(f"not a well-typed rule: {problem.message} in '{to_text(expr)}'")
        return ty

    def kind(self, expr: Expr) -> TyKind:
        return self.of(expr).kind
