"""Order statements among a sequence's steps, as a graph: which rules are one order statement (`a before b`,
`a after b`, `s.a < s.b`, `s.a > s.b`), and whether the order statements of a conflict form one cycle, so that the
conflict can be shown as the cycle it is ("Russia: withdrawal before ceasefire; Ukraine: ceasefire before
referendum; Ukraine: referendum before withdrawal"). Plain data: no solver.
"""

from __future__ import annotations

from collections.abc import Sequence

from .rules.syntax import Compare, Expr, Order, Step

Edge = tuple[str, str, str]  # (sequence issue, earlier step, later step)


def order_edge(expr: Expr) -> Edge | None:
    """The order a rule states when the whole rule is one order statement between two steps of one sequence."""
    if isinstance(expr, Order):
        earlier, later = expr.earlier, expr.later
    elif isinstance(expr, Compare) and len(expr.ops) == 1 and expr.ops[0] in ("<", ">"):
        earlier, later = expr.operands if expr.ops[0] == "<" else reversed(expr.operands)
    else:
        return None
    if not (isinstance(earlier, Step) and isinstance(later, Step)) or earlier.issue != later.issue \
            or earlier.step == later.step:  # (a step ordered with itself is no edge: the checker refuses it)
        return None
    return earlier.issue, earlier.step, later.step


def order_cycle(edges: Sequence[tuple[str, Edge | None]]) -> tuple[tuple[str, str, str], ...] | None:
    """When every rule (name, its order_edge) is an order statement and together they form exactly one cycle: the
    cycle as (rule, earlier, later) in order, from the first rule given; else None."""
    if not edges or any(edge is None for _, edge in edges):
        return None
    stated = [(name, edge) for name, edge in edges if edge is not None]
    if len({issue for _, (issue, _, _) in stated}) != 1:
        return None
    after: dict[str, tuple[str, str, str]] = {}
    for name, (_, earlier, later) in stated:
        if earlier in after:  # two statements leave one step: not a single cycle
            return None
        after[earlier] = (name, earlier, later)
    if len({later for _, (_, _, later) in stated}) != len(stated) or set(after) != {e[2] for _, e in stated}:
        return None
    cycle = [after[stated[0][1][1]]]
    while cycle[-1][2] != cycle[0][1]:
        cycle.append(after[cycle[-1][2]])
    return tuple(cycle) if len(cycle) == len(stated) else None
