"""A party's accept_at_least level as a red line over its demands (PARTY/accept-at-least), built when a scenario
is loaded and again whenever a what-if edit changes the party's demands."""

from __future__ import annotations

from .location import Location
from .model import ACCEPT_AT_LEAST_ID, Rule, RuleKind, RuleRef
from .rules.printer import to_text
from .rules.syntax import Arith, Compare, Count, Expr, IntLit

__all__ = ["ACCEPT_AT_LEAST_ID", "acceptance_expr", "acceptance_rule", "balanced_sum"]


def acceptance_rule(party: str, name: str, demands: tuple[Rule, ...], level: int | None,
                    location: Location | None) -> Rule | None:
    """accept_at_least as the red line PARTY/accept-at-least (None without a level or without demands)."""
    if level is None or not demands:
        return None
    expr = acceptance_expr(demands, level)
    ref = RuleRef.acceptance(party)
    return Rule(ref.owner, ref.id, RuleKind.RED_LINE,
                f"{name} accepts no deal that meets less than {level}% of its demands (by weight).",
                to_text(expr), expr, 1, None, location)


def acceptance_expr(demands: tuple[Rule, ...], percent: int) -> Expr:
    """`100 * (w1 * count(d1) + ...) >= percent * total`: the weight of demands met reaches the level."""
    terms: list[Expr] = [Arith("*", IntLit(d.weight), Count((d.expr,))) for d in demands]
    total = sum(d.weight for d in demands)
    return Compare((Arith("*", IntLit(100), balanced_sum(terms)), IntLit(percent * total)), (">=",))


def balanced_sum(terms: list[Expr]) -> Expr:
    """`t1 + t2 + ...` (one term or more) as a balanced tree, which keeps it shallow for many terms."""
    while len(terms) > 1:
        terms = [Arith("+", terms[i], terms[i + 1]) if i + 1 < len(terms) else terms[i]
                 for i in range(0, len(terms), 2)]
    return terms[0]
