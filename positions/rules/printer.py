"""Print a syntax tree back as rule text, adding parentheses only where precedence needs them."""

from __future__ import annotations

from .syntax import (And, Arith, BoolLit, Compare, Count, Expr, Iff, Implies, IntLit, Membership, Name, Neg, Not,
                     Or, Order, SetLit, Size, Step, StrLit)

# Binding strength: higher binds tighter (matches the parser's levels).
_IFF, _IMPLIES, _OR, _AND, _NOT, _CMP, _SUM, _PRODUCT, _UNARY, _ATOM = range(10)


def _precedence(expr: Expr) -> int:
    match expr:
        case Iff():
            return _IFF
        case Implies():
            return _IMPLIES
        case Or():
            return _OR
        case And():
            return _AND
        case Not():
            return _NOT
        case Compare() | Membership() | Order():
            return _CMP
        case Arith(op="*"):
            return _PRODUCT
        case Arith():
            return _SUM
        case Neg():
            return _UNARY
    return _ATOM


def _quote(value: str) -> str:
    return f"'{value}'" if '"' in value else f'"{value}"'


def to_text(expr: Expr) -> str:
    """Rule text that parses back to an equal tree."""

    def wrap(child: Expr, minimum: int) -> str:
        text = to_text(child)
        return f"({text})" if _precedence(child) < minimum else text

    match expr:
        case BoolLit(value=v):
            return "true" if v else "false"
        case IntLit(value=v):
            return str(v)
        case StrLit(value=v):
            return _quote(v)
        case Name(name=n):
            return n
        case Step(issue=i, step=st):
            return f"{i}.{st}"
        case SetLit(items=items):
            return "{" + ", ".join(to_text(i) for i in items) + "}"
        case Not(operand=o):
            return "not " + wrap(o, _NOT)
        case And(operands=ops):
            return " and ".join(wrap(o, _AND + 1) for o in ops)
        case Or(operands=ops):
            return " or ".join(wrap(o, _OR + 1) for o in ops)
        case Implies(left=l, right=r):
            return f"{wrap(l, _IMPLIES + 1)} -> {wrap(r, _IMPLIES)}"
        case Iff(left=l, right=r):
            return f"{wrap(l, _IFF)} <-> {wrap(r, _IFF + 1)}"
        case Compare(operands=ops, ops=cmp):
            parts = [wrap(ops[0], _SUM)]
            for op, operand in zip(cmp, ops[1:]):
                parts += [op, wrap(operand, _SUM)]
            return " ".join(parts)
        case Membership(item=i, container=c, negated=neg):
            return f"{wrap(i, _SUM)} {'not in' if neg else 'in'} {wrap(c, _SUM)}"
        case Order(left=l, right=r, op=op):
            return f"{wrap(l, _SUM)} {op} {wrap(r, _SUM)}"
        case Arith(op="*", left=l, right=r):
            return f"{wrap(l, _PRODUCT)} * {wrap(r, _UNARY)}"
        case Arith(op=op, left=l, right=r):
            return f"{wrap(l, _SUM)} {op} {wrap(r, _PRODUCT)}"
        case Neg(operand=o):
            return "-" + wrap(o, _UNARY)
        case Size(operand=o):
            return f"size({to_text(o)})"
        case Count(operands=ops):
            return "count(" + ", ".join(to_text(o) for o in ops) + ")"
    raise TypeError(f"not a rule node: {expr!r}")
