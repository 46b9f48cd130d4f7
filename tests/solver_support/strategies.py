"""Hypothesis strategies: tiny scenarios whose rules are random syntax trees, type-correct by construction.

Issues: bool; enum of 2-3 values (some ordered; sometimes 1); int 0..3 (sometimes shifted to negative
values or narrowed to one value); set of 2 values (sometimes 1). Every construct of the rule
language can appear: not/and/or/->/<->, true/false, int comparisons (chains, !=), enum ==/!=/ordering with a
value and between enums with the same values, enum and int `in`/`not in` a set literal, set membership,
set ==/!= a set literal or another set, size(), count(), + - *, unary minus, condition == condition.

A number written next to an int issue (`i0 <= 3`, `i0 in {0, 3}`) lies in the issue's range, as validation
requires; its ends are drawn often, so comparisons that always or never hold (`i0 >= 0`, `i0 < 0`) stay common.
Sets of numbers may hold negative numbers.

Sequence issues (`kinds=WITH_SEQUENCES`, not drawn by default so that the other property tests keep their
scenarios): 2-3 steps, a strict order or 2 phases, sometimes an optional step; their rules compare a step's phase
(with a number or another step), order two steps (`before`, `after`) and ask whether a step is present.
"""

from __future__ import annotations

from hypothesis import strategies as st

from feasible.positions.model import Issue, IssueKind
from feasible.positions.rules.checker import step_range
from feasible.positions.rules.syntax import (And, Arith, BoolLit, Compare, Count, Expr, Iff, Implies, IntLit,
                                             Membership, Name, Neg, Not, Or, Order, SetLit, Size, Step, StrLit)

from feasible.solver.evaluate import evaluate

from .build import bool_issue, enum_issue, int_issue, party, scenario, sequence_issue, set_issue
from .oracle import domain

ENUM_VALUES = ("lo", "mid", "hi")
SET_VALUES = ("u", "v")
ORDER_OPS = ("==", "!=", "<", "<=", ">", ">=")
EQ_OPS = ("==", "!=")
STEPS = ("a", "b", "c")
PLAIN_KINDS = (IssueKind.BOOL, IssueKind.ENUM, IssueKind.INT, IssueKind.SET)
WITH_SEQUENCES = (*PLAIN_KINDS, IssueKind.SEQUENCE, IssueKind.SEQUENCE)  # (drawn more often, and two sometimes)


@st.composite
def issue_sets(draw, kinds=PLAIN_KINDS) -> dict[str, Issue]:
    drawn = draw(st.lists(st.sampled_from(list(kinds)), min_size=2, max_size=4))
    if kinds != PLAIN_KINDS and IssueKind.SEQUENCE not in drawn:
        drawn[draw(st.integers(0, len(drawn) - 1))] = IssueKind.SEQUENCE
    issues = {}
    for i, kind in enumerate(drawn):
        name = f"{kind.value[0]}{i}" if kind is not IssueKind.SEQUENCE else f"q{i}"
        if kind is IssueKind.SEQUENCE:
            steps = STEPS[:draw(st.sampled_from([2, 3, 3]))]
            optional = tuple(draw(st.lists(st.sampled_from(steps), max_size=1)))
            issues[name] = sequence_issue(name, *steps, phases=draw(st.sampled_from([None, None, 2])),
                                          optional=optional)
        elif kind is IssueKind.BOOL:
            issues[name] = bool_issue(name)
        elif kind is IssueKind.ENUM:
            size = draw(st.sampled_from([2, 2, 3, 3, 1]))
            issues[name] = enum_issue(name, *ENUM_VALUES[:size], ordered=draw(st.booleans()))
        elif kind is IssueKind.INT:
            low = draw(st.sampled_from([0, 0, 0, -2, 1]))
            issues[name] = int_issue(name, low, low + draw(st.sampled_from([3, 3, 2, 0])))
        else:
            issues[name] = set_issue(name, *SET_VALUES[:draw(st.sampled_from([2, 2, 2, 1]))])
    return issues


class _Gen:
    """Draws conditions and numbers over one set of issues."""

    def __init__(self, draw, issues: dict[str, Issue]):
        self.draw = draw
        self.issues = issues
        self.of = {kind: [i for i in issues.values() if i.kind is kind] for kind in IssueKind}

    def pick(self, options):
        return self.draw(st.sampled_from(list(options)))

    def subset(self, values, min_size=0) -> tuple:
        return tuple(self.draw(st.lists(st.sampled_from(list(values)), min_size=min_size, max_size=len(values),
                                        unique=True)))

    def sides(self, a: Expr, b: Expr) -> tuple[Expr, Expr]:
        return (a, b) if self.draw(st.booleans()) else (b, a)

    # -- conditions ------------------------------------------------------------------------------------------
    def cond(self, depth: int) -> Expr:
        options = ["literal", "int_compare", "int_in"]
        if self.of[IssueKind.BOOL]:
            options += ["bool_name", "bool_name", "bool_eq_literal"]
        if self.of[IssueKind.ENUM]:
            options += ["enum_value", "enum_value", "enum_in"]
            if any(self._enum_partners(e) for e in self.of[IssueKind.ENUM]):
                options += ["enum_enum"]
        if self.of[IssueKind.SET]:
            options += ["set_member", "set_member", "set_eq_literal", "set_eq_set"]
        if self.of[IssueKind.SEQUENCE]:
            options += ["order", "order", "step_member", "step_compare", "step_compare"]
        if depth > 0:
            options += ["not", "and", "or", "implies", "iff", "cond_eq_cond"]
        return getattr(self, "_" + self.pick(options))(depth)

    def _literal(self, depth):
        return BoolLit(self.draw(st.booleans()))

    def _bool_name(self, depth):
        return Name(self.pick(self.of[IssueKind.BOOL]).name)

    def _bool_eq_literal(self, depth):
        return Compare(self.sides(self._bool_name(depth), self._literal(depth)), (self.pick(EQ_OPS),))

    def _int_compare(self, depth):
        count = self.draw(st.sampled_from([2, 2, 2, 3]))
        operands = [self.num(depth - 1) for _ in range(count)]
        for i, operand in enumerate(operands):
            if _is_literal(operand):
                operands[i] = self._literal_beside(operand, operands[max(i - 1, 0):i] + operands[i + 1:i + 2])
        ops = tuple(self.pick(ORDER_OPS) for _ in range(count - 1))
        for i, op in enumerate(ops):  # `s.a < s.a` orders a step with itself: the checker refuses it
            if op in ("<", ">") and isinstance(operands[i], Step) and operands[i] == operands[i + 1]:
                operands[i + 1] = Arith("+", operands[i + 1], IntLit(0))
        return Compare(tuple(operands), ops)

    def _literal_beside(self, literal: Expr, neighbours: list[Expr]) -> Expr:
        """`literal`, redrawn inside the range of every int issue it is compared with directly."""
        ranges = [(self.issues[n.name].min, self.issues[n.name].max) for n in neighbours if isinstance(n, Name)]
        ranges += [step_range(self.issues[n.issue], n.step) for n in neighbours if isinstance(n, Step)]
        if not ranges:
            return literal
        low, high = max(r[0] for r in ranges), min(r[1] for r in ranges)
        if low > high:  # between two issues whose ranges do not meet: a computed number is not range-checked
            return Arith("+", literal, IntLit(0))
        return _number(self.pick([low, high, *range(low, high + 1)]))

    def _int_in(self, depth):
        item = self.num(depth - 1)
        values = range(-2, 5)
        if isinstance(item, Name):
            values = range(self.issues[item.name].min, self.issues[item.name].max + 1)
        elif isinstance(item, Step):
            low, high = step_range(self.issues[item.issue], item.step)
            values = range(low, high + 1)
        items = tuple(IntLit(v) for v in self.subset(values, min_size=1))  # `{}` is typed as a set of values
        return Membership(item, SetLit(items), self.draw(st.booleans()))

    def _enum_value(self, depth):
        issue = self.pick(self.of[IssueKind.ENUM])
        op = self.pick(ORDER_OPS if issue.ordered else EQ_OPS)
        left, right = self.sides(Name(issue.name), StrLit(self.pick(issue.values)))
        return Compare((left, right), (op,))

    def _enum_in(self, depth):
        issue = self.pick(self.of[IssueKind.ENUM])
        items = tuple(StrLit(v) for v in self.subset(issue.values))
        return Membership(Name(issue.name), SetLit(items), self.draw(st.booleans()))

    def _enum_partners(self, issue: Issue) -> list[Issue]:
        return [o for o in self.of[IssueKind.ENUM] if o.name != issue.name and o.values == issue.values]

    def _enum_enum(self, depth):
        issue = self.pick([e for e in self.of[IssueKind.ENUM] if self._enum_partners(e)])
        other = self.pick(self._enum_partners(issue))
        op = self.pick(ORDER_OPS if issue.ordered and other.ordered else EQ_OPS)
        return Compare((Name(issue.name), Name(other.name)), (op,))

    def _set_member(self, depth):
        issue = self.pick(self.of[IssueKind.SET])
        return Membership(StrLit(self.pick(issue.values)), Name(issue.name), self.draw(st.booleans()))

    def _set_eq_literal(self, depth):
        issue = self.pick(self.of[IssueKind.SET])
        literal = SetLit(tuple(StrLit(v) for v in self.subset(issue.values)))
        return Compare(self.sides(Name(issue.name), literal), (self.pick(EQ_OPS),))

    def _set_eq_set(self, depth):
        left = self.pick(self.of[IssueKind.SET])
        right = self.pick([o for o in self.of[IssueKind.SET] if o.values == left.values])
        return Compare((Name(left.name), Name(right.name)), (self.pick(EQ_OPS),))

    def _step(self) -> Step:
        issue = self.pick(self.of[IssueKind.SEQUENCE])
        return Step(issue.name, self.pick(issue.steps))

    def _order(self, depth):
        issue = self.pick(self.of[IssueKind.SEQUENCE])
        first, second = self.draw(st.lists(st.sampled_from(issue.steps), min_size=2, max_size=2, unique=True))
        return Order(Step(issue.name, first), Step(issue.name, second), self.pick(("before", "after")))

    def _step_member(self, depth):
        issue = self.pick(self.of[IssueKind.SEQUENCE])
        return Membership(StrLit(self.pick(issue.steps)), Name(issue.name), self.draw(st.booleans()))

    def _step_compare(self, depth):
        step = self._step()
        issue = self.issues[step.issue]
        other = Step(issue.name, self.pick(issue.steps)) if self.draw(st.booleans()) else \
            _number(self.pick(range(step_range(issue, step.step)[0], step_range(issue, step.step)[1] + 1)))
        if isinstance(other, Step) and other.step == step.step:
            other = Arith("+", other, IntLit(self.draw(st.integers(0, 1))))
        return Compare(self.sides(step, other), (self.pick(ORDER_OPS),))

    def _not(self, depth):
        return Not(self.cond(depth - 1))

    def _and(self, depth):
        return And(tuple(self.cond(depth - 1) for _ in range(self.draw(st.integers(2, 3)))))

    def _or(self, depth):
        return Or(tuple(self.cond(depth - 1) for _ in range(self.draw(st.integers(2, 3)))))

    def _implies(self, depth):
        return Implies(self.cond(depth - 1), self.cond(depth - 1))

    def _iff(self, depth):
        return Iff(self.cond(depth - 1), self.cond(depth - 1))

    def _cond_eq_cond(self, depth):
        return Compare((self.cond(depth - 1), self.cond(depth - 1)), (self.pick(EQ_OPS),))

    # -- numbers ---------------------------------------------------------------------------------------------
    def num(self, depth: int) -> Expr:
        options = ["literal"]
        if self.of[IssueKind.INT]:
            options += ["name", "name", "name"]
        if self.of[IssueKind.SET]:
            options += ["size"]
        if self.of[IssueKind.SEQUENCE]:
            options += ["step", "step"]
        if depth > 0:
            options += ["count", "plus", "minus", "times", "neg"]
        return getattr(self, "_num_" + self.pick(options))(depth)

    def _num_literal(self, depth):
        return _number(self.draw(st.integers(-2, 3)))

    def _num_name(self, depth):
        return Name(self.pick(self.of[IssueKind.INT]).name)

    def _num_step(self, depth):
        return self._step()

    def _num_size(self, depth):
        return Size(Name(self.pick(self.of[IssueKind.SET]).name))

    def _num_count(self, depth):
        return Count(tuple(self.cond(depth - 1) for _ in range(self.draw(st.integers(1, 3)))))

    def _num_plus(self, depth):
        return Arith("+", self.num(depth - 1), self.num(depth - 1))

    def _num_minus(self, depth):
        return Arith("-", self.num(depth - 1), self.num(depth - 1))

    def _num_times(self, depth):
        factor = IntLit(self.draw(st.integers(0, 3)))
        return Arith("*", *self.sides(factor, self.num(depth - 1)))

    def _num_neg(self, depth):
        return Neg(self.num(depth - 1))


def _number(value: int) -> Expr:
    return IntLit(value) if value >= 0 else Neg(IntLit(-value))  # outside a set, the parser reads -1 as Neg(1)


def _is_literal(expr: Expr) -> bool:
    return isinstance(expr, IntLit) or (isinstance(expr, Neg) and isinstance(expr.operand, IntLit))


@st.composite
def conditions(draw, issues: dict[str, Issue], depth: int = 2) -> Expr:
    return _Gen(draw, issues).cond(draw(st.integers(0, depth)))


@st.composite
def loose_conditions(draw, issues: dict[str, Issue], depth: int = 2) -> Expr:
    """Conditions that hold more often (for red lines and facts), so that many scenarios have deals."""
    gen = _Gen(draw, issues)
    shape = draw(st.sampled_from(["plain", "or", "or", "implies", "implies"]))
    if shape == "plain":
        return gen.cond(draw(st.integers(0, depth)))
    parts = (gen.cond(draw(st.integers(0, depth - 1))), gen.cond(draw(st.integers(0, depth - 1))))
    return Or(parts) if shape == "or" else Implies(*parts)


@st.composite
def scenarios(draw, max_parties: int = 3, depth: int = 2, weights=st.integers(1, 3), kinds=PLAIN_KINDS):
    """A tiny random scenario: 2-4 issues, 0-2 facts, 2-3 parties with 1-3 red lines and 1-3 weighted
    demands each, sometimes an accept_at_least level.

    Random red lines rarely leave a deal, so most scenarios get a planted deal: a random assignment, with
    every fact and red line that it breaks negated and accept_at_least levels kept within what it meets."""
    issues = draw(issue_sets(kinds))
    planted = {name: draw(st.sampled_from(domain(issue))) for name, issue in issues.items()} \
        if draw(st.integers(0, 2)) else None
    cond, loose = conditions(issues, depth), loose_conditions(issues, depth)

    def binding(expr: Expr) -> Expr:
        if planted is None or evaluate(expr, issues, planted):
            return expr
        return Not(expr)

    facts = [binding(e) for e in draw(st.lists(loose, max_size=2))]
    parties = []
    for index in range(draw(st.integers(2, max_parties))):
        red = [binding(e) for e in draw(st.lists(loose, min_size=1, max_size=3))]
        demands = draw(st.lists(st.tuples(cond, weights), min_size=1, max_size=3))
        accept = None
        if draw(st.integers(0, 3)) == 3:
            reachable = 100
            if planted is not None:
                met = sum(w for e, w in demands if evaluate(e, issues, planted))
                reachable = 100 * met // sum(w for _, w in demands)
            accept = draw(st.integers(0, reachable))
        parties.append(party(f"p{index}", red, demands, accept))
    return scenario(issues, parties, facts)
