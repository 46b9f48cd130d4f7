"""Compiling a scenario into one CP-SAT model, in passes over plain data.

1. `declare_issues`: each issue's variables, by the encoder of its kind (solver/encoders.py).
2. `_Compiler`: each syntax-tree node kind has a small function turning it into a literal (conditions) or a
   linear expression (numbers); identical sub-expressions share one literal.
3. `compile_scenario`: every fact, red line and demand becomes a literal that is true exactly when the rule
   holds, labelled with the rule it stands for. Facts are enforced; red lines are enforced or left switchable.
"""

from __future__ import annotations

import operator
from collections import ChainMap
from copy import copy as copy_of
from collections.abc import Callable, Collection, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feasible.positions.errors import UserError
from feasible.positions.kinds import issue_type
from feasible.positions.model import Issue, Rule, Scenario
from feasible.positions.rules.checker import Types, TyKind
from feasible.positions.rules.syntax import (And, Arith, BoolLit, Compare, Count, Expr, Iff, Implies, IntLit,
                                             Membership, Name, Neg, Not, Or, Order, Size, Step, StrLit)
from feasible.positions.rules.syntax import names as issues_named
from feasible.positions.rules.syntax import set_numbers, set_values

from . import cpsat
from .encoders import ENCODERS, IssueVars

Literal = Any  # cpsat.IntVar of a Boolean, or its negation
Number = Any  # int constant or cpsat.LinearExpr


@dataclass
class Compiled:
    """A scenario as a CP-SAT model: issue variables, and for every rule the literal that says it holds."""

    scenario: Scenario
    model: cpsat.Model
    issues: dict[str, IssueVars]
    holds: dict[str, Literal]  # rule name (PARTY/ID, facts/ID) → literal true iff the rule holds
    rules: dict[str, Rule]
    true: Literal
    compiler: _Compiler
    enforced: tuple[str, ...] = ()  # rules the model itself enforces (compile_scenario's enforce_* options)
    utilities: dict[str, Any] = field(default_factory=dict)  # party id → its utility's variable (solver/utility.py)

    def with_hard(self, names, conditions: Sequence[Expr] = ()) -> cpsat.Model:
        """A copy of the model in which the named rules, and the extra conditions (e.g. an explain target), must
        hold. The conditions are compiled into the copy: the model shared by every caller is left as it was."""
        model = self.model.clone()
        compiler = self.compiler.on(model)
        for lit in [self.holds[name] for name in names] + [compiler.rule(c) for c in conditions]:
            model.add_bool_or([lit])
        return model

    def focus(self, soft: Collection[str], hard: Collection[str] = (), targets: Sequence[Expr] = (),
              declare: Sequence[Expr] = ()) -> Compiled:
        """A small model of only some of these rules: `hard` ones and the targets enforced, `soft` ones
        switchable (by their `holds` literals), over only the issues they mention (and those of `declare`,
        expressions the caller compiles into it). For checks that concern a
        few rules of a large scenario (one conflict among thousands of red lines): solving the whole model each
        time would cost far more than compiling this."""
        hard = [*self.enforced, *hard]  # what the whole model enforces, the focused one must too
        chosen = [self.rules[name] for name in dict.fromkeys([*hard, *soft])]
        mentioned = set().union(*(issues_named(r.expr) for r in chosen),
                                *(issues_named(t) for t in [*targets, *declare]))
        model = cpsat.Model()
        issues = declare_issues(model, {n: i for n, i in self.scenario.issues.items() if n in mentioned})
        compiler = _Compiler(model, issues, self.compiler.types)
        holds = {rule.name: compiler.rule(rule.expr, rule.types) for rule in chosen}
        for lit in [holds[name] for name in hard] + [compiler.rule(t) for t in targets]:
            model.add_bool_or([lit])
        return Compiled(self.scenario, model, issues, holds, {r.name: r for r in chosen}, compiler.true, compiler,
                        tuple(dict.fromkeys(hard)))

    def decode(self, value_of: Callable[[Any], int]) -> dict[str, Any]:
        """The deal in a solution: issue → value (bool, str, int or frozenset). A focused model (see
        `focus`) leaves out the issues its rules never mention: any value fits them, so they get the
        first one of their domain."""
        return {name: self.issues[name].decode(value_of) if name in self.issues
                else issue_type(issue).first_value(issue) for name, issue in self.scenario.issues.items()}


def declare_issues(model: cpsat.Model, issues: Mapping[str, Issue]) -> dict[str, IssueVars]:
    return {name: ENCODERS[issue.kind].declare(model, issue) for name, issue in issues.items()}


_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


_COMPARISONS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
                ">=": operator.ge}


def _linear(left: Number, op: str, right: Number):
    return _COMPARISONS[op](left, right)


class _Compiler:
    def __init__(self, model: cpsat.Model, issues: dict[str, IssueVars], types: Types):
        self.model = model
        self.issues = issues
        self.types = types  # the checker's: what each operand is
        self.true = model.new_bool_var("true")
        model.add_bool_or([self.true])
        self.memo: MutableMapping[Expr, Literal] = {}

    def on(self, copy: cpsat.Model) -> _Compiler:
        """A compiler that adds to `copy` (a clone of this compiler's model, so every literal so far is valid in
        it): it re-uses what is compiled already, and what it compiles stays out of this compiler and its model."""
        compiler = copy_of(self)  # every field shared, but the model and what is compiled from now on
        compiler.model, compiler.memo = copy, ChainMap({}, self.memo)
        return compiler

    def rule(self, expr: Expr, typed: Types | None = None) -> Literal:
        """A whole rule (or target): the checker's types of its nodes are taken from `typed` (the loader's), or
        found now for a rule built in code (an accept_at_least level, a --set fact, a target)."""
        self.types.adopt(typed)
        self.types.of(expr)
        return self.cond(expr)

    # -- conditions ----------------------------------------------------------------------------------------------
    def cond(self, expr: Expr) -> Literal:
        if expr not in self.memo:
            self.memo[expr] = _CONDITIONS[type(expr)](self, expr)
        return self.memo[expr]

    def const(self, value: bool) -> Literal:
        return self.true if value else self.true.Not()

    def conjunction(self, lits: list[Literal]) -> Literal:
        if not lits:
            return self.true
        if len(lits) == 1:
            return lits[0]
        b = self.model.new_bool_var("")
        self.model.add_bool_and(lits).only_enforce_if(b)
        self.model.add_bool_or([lit.Not() for lit in lits]).only_enforce_if(b.Not())
        return b

    def disjunction(self, lits: list[Literal]) -> Literal:
        return self.conjunction([lit.Not() for lit in lits]).Not()

    def equivalence(self, a: Literal, b: Literal) -> Literal:
        e = self.model.new_bool_var("")
        for clause in ([e.Not(), a.Not(), b], [e.Not(), b.Not(), a], [e, a, b], [e, a.Not(), b.Not()]):
            self.model.add_bool_or(clause)
        return e

    def reify(self, left: Number, op: str, right: Number) -> Literal:
        if isinstance(left, int) and isinstance(right, int):
            return self.const(_linear(left, op, right))
        b = self.model.new_bool_var("")
        self.model.add(_linear(left, op, right)).only_enforce_if(b)
        self.model.add(_linear(left, _NEGATED[op], right)).only_enforce_if(b.Not())
        return b

    # -- numbers ---------------------------------------------------------------------------------------------------
    def count(self, lits: list[Literal]) -> Number:
        """How many literals hold; a plain int when all are constants (so `count(true) * x` stays linear)."""
        true, false = self.true.index, -self.true.index - 1
        constant = sum(1 for lit in lits if lit.index == true)
        rest = [lit for lit in lits if lit.index not in (true, false)]
        return constant + sum(rest) if rest else constant

    def num(self, expr: Expr) -> Number:
        return _NUMBERS[type(expr)](self, expr)

    def issue_of(self, expr: Expr) -> IssueVars | None:
        return self.issues[expr.name] if isinstance(expr, Name) else None

    def vars_of(self, expr: Expr) -> IssueVars:
        """The variables of the issue `expr` names: where the checker typed `expr` as an enum's or a set's value
        beside no value written out, `expr` is the issue's name."""
        iv = self.issue_of(expr)
        assert iv is not None, f"not an issue's name: {type(expr).__name__}"
        return iv


def _compare_pair(c: _Compiler, left: Expr, op: str, right: Expr) -> Literal:
    kinds = {c.types.kind(left), c.types.kind(right)}  # the checker made them agree
    if kinds == {TyKind.BOOL}:
        same = c.equivalence(c.cond(left), c.cond(right))
        return same if op == "==" else same.Not()
    if TyKind.ENUM in kinds:
        return _compare_enum(c, left, op, right)
    if TyKind.SET in kinds:
        same = _set_equal(c, left, right)
        return same if op == "==" else same.Not()
    return c.reify(c.num(left), op, c.num(right))


def _compare_enum(c: _Compiler, left: Expr, op: str, right: Expr) -> Literal:
    if isinstance(left, StrLit) or isinstance(right, StrLit):
        enum_side, value = (left, right.value) if isinstance(right, StrLit) else (right, _quoted(left))
        iv = c.vars_of(enum_side)
        if op in ("==", "!="):
            lit = iv.lits[value]
            return lit if op == "==" else lit.Not()
        position = iv.issue.values.index(value)
        return c.reify(iv.value_var, op, position) if enum_side is left else c.reify(position, op, iv.value_var)
    return c.reify(c.vars_of(left).value_var, op, c.vars_of(right).value_var)


def _quoted(expr: Expr) -> str:
    assert isinstance(expr, StrLit)  # (one side of the comparison is a quoted value, and not the other)
    return expr.value


def _set_equal(c: _Compiler, left: Expr, right: Expr) -> Literal:
    def members(expr: Expr) -> dict[str, Literal]:
        iv = c.issue_of(expr)
        if iv is not None:
            return iv.lits
        written = set(set_values(expr))
        return {v: c.const(v in written) for v in written}

    a, b = members(left), members(right)
    pairs = []
    for value in sorted(set(a) | set(b)):
        pairs.append(c.equivalence(a.get(value, c.const(False)), b.get(value, c.const(False))))
    return c.conjunction(pairs)


def _compare(c: _Compiler, node: Compare) -> Literal:
    return c.conjunction([_compare_pair(c, node.operands[i], op, node.operands[i + 1])
                          for i, op in enumerate(node.ops)])


def _membership(c: _Compiler, node: Membership) -> Literal:
    container = c.issue_of(node.container)
    if container is not None:  # "v" in set_issue, "step" in sequence_issue (its literal: the step is present)
        lit = container.lits[_quoted(node.item)]
    elif c.types.kind(node.item) is TyKind.ENUM:
        lits = c.vars_of(node.item).lits
        lit = c.disjunction([lits[value] for value in set_values(node.container)])
    else:  # a number in a set of numbers
        number = c.num(node.item)
        lit = c.disjunction([c.reify(number, "==", value) for value in set_numbers(node.container)])
    return lit.Not() if node.negated else lit


def _step(c: _Compiler, node: Step) -> Number:
    return c.issues[node.issue].phase[node.step]


def _order(c: _Compiler, node: Order) -> Literal:
    """`a before b`: if b is present, a is present in an earlier phase."""
    earlier, later = node.earlier, node.later
    assert isinstance(earlier, Step) and isinstance(later, Step)  # (checker.resolve_steps and the checker)
    iv = c.issues[earlier.issue]
    present = c.conjunction([iv.lits[earlier.step], c.reify(iv.phase[earlier.step], "<", iv.phase[later.step])])
    return c.disjunction([iv.lits[later.step].Not(), present])


def _arith(c: _Compiler, node: Arith) -> Number:
    left, right = c.num(node.left), c.num(node.right)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    return left * right  # the checker guarantees one side is a constant


_CONDITIONS: dict[type, Callable[[_Compiler, Any], Literal]] = {
    BoolLit: lambda c, n: c.const(n.value),
    Name: lambda c, n: c.issues[n.name].var,
    Not: lambda c, n: c.cond(n.operand).Not(),
    And: lambda c, n: c.conjunction([c.cond(o) for o in n.operands]),
    Or: lambda c, n: c.disjunction([c.cond(o) for o in n.operands]),
    Implies: lambda c, n: c.disjunction([c.cond(n.left).Not(), c.cond(n.right)]),
    Iff: lambda c, n: c.equivalence(c.cond(n.left), c.cond(n.right)),
    Compare: _compare,
    Membership: _membership,
    Order: _order,
}

_NUMBERS: dict[type, Callable[[_Compiler, Any], Number]] = {
    IntLit: lambda c, n: n.value,
    Name: lambda c, n: c.issues[n.name].var,
    Step: _step,
    Arith: _arith,
    Neg: lambda c, n: -c.num(n.operand),
    Size: lambda c, n: sum(c.issues[n.operand.name].lits.values()),
    Count: lambda c, n: c.count([c.cond(o) for o in n.operands]),
}


def compile_scenario(scenario: Scenario, *, enforce_red_lines: bool = True, enforce_facts: bool = True) -> Compiled:
    """The scenario as one CP-SAT model. Facts and red lines hold unless told otherwise, in which case callers
    switch them on through their `holds` literals (as hard constraints on a copy, or as assumptions)."""
    model = cpsat.Model()
    issues = declare_issues(model, scenario.issues)
    compiler = _Compiler(model, issues, Types(scenario.issues))
    holds: dict[str, Literal] = {}
    rules: dict[str, Rule] = {}
    if scenario.every_version:  # positions of different days, superseded ones included, would be asked at once
        raise UserError("the scenario holds every dated version of its positions (loaded with versions=True)",
                        hint="take it as of a day first: feasible.as_of(scenario, day)")
    for rule in scenario.rules():
        if rule.name in rules:  # one name, one literal: versions of a position are for positions.dates.as_of
            raise UserError(f"the scenario holds two versions of {rule.name} (dated valid_from / valid_until)",
                            hint="take the scenario as of a day first: feasible.positions.dates.as_of(scenario, day)")
        holds[rule.name] = compiler.rule(rule.expr, rule.types)
        rules[rule.name] = rule
    enforced = ([r.name for r in scenario.facts] if enforce_facts else []) + \
               ([r.name for r in scenario.red_lines] if enforce_red_lines else [])
    for name in enforced:
        model.add_bool_or([holds[name]])
    return Compiled(scenario, model, issues, holds, rules, compiler.true, compiler, tuple(enforced))

