"""The typed syntax tree of the rule language.

Every node is a frozen dataclass. `span` (start and end offsets in the rule text) is carried for error
messages but left out of equality, so a rule printed and parsed again compares equal to the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterator
from typing import Union

Span = tuple[int, int]
_NO_SPAN: Span = (0, 0)


def _span() -> Span:
    return field(default=_NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class BoolLit:
    value: bool
    span: Span = _span()


@dataclass(frozen=True)
class IntLit:
    value: int  # negative only as a member of a set: elsewhere a minus sign is a Neg node
    span: Span = _span()


@dataclass(frozen=True)
class StrLit:
    value: str
    span: Span = _span()


@dataclass(frozen=True)
class Name:
    """An issue name."""

    name: str
    span: Span = _span()


@dataclass(frozen=True)
class Step:
    """`timeline.ceasefire`: the phase of a step of a sequence issue (0 when an optional step is left out)."""

    issue: str
    step: str
    span: Span = _span()


@dataclass(frozen=True)
class SetLit:
    """`{"a", "b"}` or `{600, 800}`: the written order is kept."""

    items: tuple[StrLit | IntLit, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Not:
    operand: Expr
    span: Span = _span()


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]  # two or more
    span: Span = _span()


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]  # two or more
    span: Span = _span()


@dataclass(frozen=True)
class Implies:
    left: Expr
    right: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Iff:
    left: Expr
    right: Expr
    span: Span = _span()


COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class Compare:
    """`a < b <= c`: ops[i] compares operands[i] with operands[i + 1]; all must hold."""

    operands: tuple[Expr, ...]
    ops: tuple[str, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Membership:
    """`item in container` (or `not in`); `s contains "v"` is read as `"v" in s`."""

    item: Expr
    container: Expr
    negated: bool = False
    span: Span = _span()


ORDERS = ("before", "after")


@dataclass(frozen=True)
class Order:
    """`a before b` (if b happens, a happens in an earlier phase) or `a after b` (`b before a`). Each side is a
    Step once the rule is read against its scenario (checker.resolve_steps turns a bare step name into one)."""

    left: Expr
    right: Expr
    op: str  # "before" or "after"
    span: Span = _span()

    @property
    def earlier(self) -> Expr:
        return self.left if self.op == "before" else self.right

    @property
    def later(self) -> Expr:
        return self.right if self.op == "before" else self.left


@dataclass(frozen=True)
class Arith:
    op: str  # "+", "-" or "*"
    left: Expr
    right: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Neg:
    operand: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Size:
    operand: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Count:
    operands: tuple[Expr, ...]
    span: Span = _span()


Expr = Union[BoolLit, IntLit, StrLit, Name, Step, SetLit, Not, And, Or, Implies, Iff, Compare, Membership, Order,
             Arith, Neg, Size, Count]

KEYWORDS = frozenset({"true", "false", "not", "and", "or", "in", "contains", "size", "count", *ORDERS})


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node, in written order."""
    match expr:
        case Not(operand=o) | Neg(operand=o) | Size(operand=o):
            return (o,)
        case And(operands=ops) | Or(operands=ops) | Count(operands=ops) | Compare(operands=ops):
            return ops
        case Implies(left=l, right=r) | Iff(left=l, right=r) | Arith(left=l, right=r) | Order(left=l, right=r):
            return (l, r)
        case Membership(item=i, container=c):
            return (i, c)
        case SetLit(items=items):
            return items
    return ()


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of a syntax tree, the root first."""
    yield expr
    for child in children(expr):
        yield from walk(child)


def set_items(expr: Expr) -> tuple[StrLit | IntLit, ...]:
    """The items of a set written out: the checker gives a set of values or numbers as its type to a SetLit only."""
    assert isinstance(expr, SetLit), f"a set written as {type(expr).__name__}"
    return expr.items


def set_values(expr: Expr) -> list[str]:
    """The quoted values of a set of values (the checker lets no number into one)."""
    return [item.value for item in set_items(expr) if isinstance(item, StrLit)]


def set_numbers(expr: Expr) -> list[int]:
    """The numbers of a set of numbers (the checker lets no quoted value into one)."""
    return [item.value for item in set_items(expr) if isinstance(item, IntLit)]


def names(expr: Expr) -> set[str]:
    """Every issue name a rule mentions (a step's sequence included)."""
    return {node.name if isinstance(node, Name) else node.issue for node in walk(expr)
            if isinstance(node, (Name, Step))}
