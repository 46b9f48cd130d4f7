"""The peer: a loaded `positions.Scenario` as a CPMpy model, explained with `cpmpy.tools.explain`.

The rule syntax tree is translated node by node (the same kinds of node as solver/compile.py, written
independently): bool issues are Boolean variables, ints integer variables, enums integer variables holding
the value's position, sets one Boolean variable per value. Facts are hard constraints; red lines are the
soft constraints, one CPMpy expression each, weighted by their `weight`.

Runs, on CP-SAT (the OR-Tools that CPMpy drives is the one feasible uses):
- `one_mus`: `cpmpy.tools.explain.mus` (deletion from the solver's core);
- `all_muses`: `cpmpy.tools.explain.marco` (MARCO, CP-SAT as subset solver and as map solver);
- `cheapest_relaxation`: `cpmpy.tools.explain.mcs_opt` with the red lines' weights.

CPMpy is a benchmark-only dependency: `pip install -e '.[bench]'`.

    python benchmarks/cpmpy_peer.py /tmp/chain --all
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any

import cpmpy as cp
from cpmpy.tools.explain import marco, mcs_opt, mus

from feasible.positions.model import IssueKind, Scenario
from feasible.positions.rules.checker import Types, TyKind
from feasible.positions.rules.syntax import (And, Arith, BoolLit, Compare, Count, Expr, Iff, Implies, IntLit,
                                             Membership, Name, Neg, Not, Or, Size, StrLit)

SOLVER = "ortools"


def version() -> str:
    from importlib.metadata import version as dist_version

    return dist_version("cpmpy")


@dataclass
class PeerModel:
    """The scenario in CPMpy: one expression per red line (soft) and per fact (hard)."""

    names: list[str]  # red line names PARTY/ID, in scenario order
    soft: list[Any]  # CPMpy Boolean expressions, aligned with names
    weights: list[int]
    hard: list[Any]
    by_id: dict[int, str]  # id(soft expression) -> red line name

    def named(self, exprs) -> frozenset[str]:
        return frozenset(self.by_id[id(e)] for e in exprs)


class _Translator:
    def __init__(self, scenario: Scenario):
        self.issues = scenario.issues
        self.types = Types(scenario.issues)  # the checker's types of the operands
        self.var: dict[str, Any] = {}
        self.lits: dict[str, dict[str, Any]] = {}
        for name, issue in scenario.issues.items():
            if issue.kind is IssueKind.BOOL:
                self.var[name] = cp.boolvar(name=name)
            elif issue.kind is IssueKind.INT:
                self.var[name] = cp.intvar(issue.min, issue.max, name=name)
            elif issue.kind is IssueKind.ENUM:
                self.var[name] = cp.intvar(0, len(issue.values) - 1, name=name)
            else:
                self.lits[name] = {v: cp.boolvar(name=f"{name}[{v}]") for v in issue.values}

    # conditions: CPMpy Boolean expressions (constants as BoolVal)
    def cond(self, e: Expr) -> Any:
        match e:
            case BoolLit(value=v):
                return cp.BoolVal(v)
            case Name(name=n):
                return self.var[n]
            case Not(operand=o):
                return ~self.cond(o)
            case And(operands=ops):
                return cp.all([self.cond(o) for o in ops])
            case Or(operands=ops):
                return cp.any([self.cond(o) for o in ops])
            case Implies(left=l, right=r):
                return self.cond(l).implies(self.cond(r))
            case Iff(left=l, right=r):
                return self.cond(l) == self.cond(r)
            case Compare(operands=ops, ops=cmp):
                pairs = [self.compare(ops[i], op, ops[i + 1]) for i, op in enumerate(cmp)]
                return pairs[0] if len(pairs) == 1 else cp.all(pairs)
            case Membership():
                return self.membership(e)
        raise TypeError(f"not a condition: {e!r}")

    def num(self, e: Expr) -> Any:
        match e:
            case IntLit(value=v):
                return v
            case Name(name=n):
                return self.var[n]
            case Neg(operand=o):
                return -self.num(o)
            case Arith(op=op, left=l, right=r):
                a, b = self.num(l), self.num(r)
                return a + b if op == "+" else a - b if op == "-" else a * b
            case Size(operand=Name(name=n)):
                return cp.sum(list(self.lits[n].values()))
            case Count(operands=ops):
                return cp.sum([self.cond(o) for o in ops])
        raise TypeError(f"not a number: {e!r}")

    def position(self, enum: Name, value: str) -> int:
        return self.issues[enum.name].values.index(value)

    def compare(self, left: Expr, op: str, right: Expr) -> Any:
        kinds = {self.types.kind(left), self.types.kind(right)}
        if kinds == {TyKind.BOOL}:
            same = self.cond(left) == self.cond(right)
            return same if op == "==" else ~same
        if TyKind.SET in kinds:
            same = cp.all(self._set_equal(left, right))
            return same if op == "==" else ~same
        if TyKind.ENUM in kinds:
            if isinstance(right, StrLit):
                return _cmp(self.var[left.name], op, self.position(left, right.value))
            if isinstance(left, StrLit):
                return _cmp(self.position(right, left.value), op, self.var[right.name])
            return _cmp(self.var[left.name], op, self.var[right.name])
        result = _cmp(self.num(left), op, self.num(right))
        return cp.BoolVal(result) if isinstance(result, bool) else result

    def _set_equal(self, left: Expr, right: Expr) -> list:
        def members(e: Expr) -> dict[str, Any]:
            if isinstance(e, Name):
                return self.lits[e.name]
            return {item.value: cp.BoolVal(True) for item in e.items}

        a, b = members(left), members(right)
        false = cp.BoolVal(False)
        return [a.get(v, false) == b.get(v, false) for v in sorted(set(a) | set(b))]

    def membership(self, e: Membership) -> Any:
        item, container = e.item, e.container
        if isinstance(container, Name):  # "v" in set issue
            lit = self.lits[container.name][item.value]
        elif self.types.kind(item) is TyKind.ENUM:
            lit = cp.any([self.var[item.name] == self.position(item, i.value) for i in container.items])
        else:
            number = self.num(item)
            if isinstance(number, int):
                lit = cp.BoolVal(number in {i.value for i in container.items})
            else:
                lit = cp.any([number == i.value for i in container.items])
        return ~lit if e.negated else lit


def _cmp(a, op: str, b):
    return {"==": lambda: a == b, "!=": lambda: a != b, "<": lambda: a < b, "<=": lambda: a <= b,
            ">": lambda: a > b, ">=": lambda: a >= b}[op]()


def translate(scenario: Scenario) -> PeerModel:
    """The scenario as soft red lines and hard facts."""
    t = _Translator(scenario)
    red = scenario.red_lines
    soft = [t.cond(rule.expr) for rule in red]
    hard = [t.cond(rule.expr) for rule in scenario.facts]
    # mcs_opt maps its answer back through a set of expressions (hash = printed form): red lines that print
    # alike would be merged there, so refuse them rather than report a wrong correction set.
    printed = [repr(s) for s in soft]
    if len(set(printed)) != len(printed):
        raise ValueError("two red lines translate to the same CPMpy expression; the peer cannot tell them apart")
    return PeerModel([r.name for r in red], soft, [r.weight for r in red], hard,
                     {id(s): r.name for s, r in zip(soft, red)})


def one_mus(scenario: Scenario) -> frozenset[str]:
    """One minimal conflict (translation included)."""
    peer = translate(scenario)
    return peer.named(mus(soft=peer.soft, hard=peer.hard, solver=SOLVER))


def all_muses(scenario: Scenario) -> tuple[list[frozenset[str]], int]:
    """Every minimal conflict, and the number of minimal correction sets MARCO met on the way."""
    peer = translate(scenario)
    muses, mcses = [], 0
    for kind, exprs in marco(soft=peer.soft, hard=peer.hard, solver=SOLVER, map_solver=SOLVER,
                             return_mus=True, return_mcs=True):
        if kind == "MUS":
            muses.append(peer.named(exprs))
        else:
            mcses += 1
    return muses, mcses


def cheapest_relaxation(scenario: Scenario) -> tuple[frozenset[str], int]:
    """The cheapest set of red lines to give up (by weight), and its cost."""
    peer = translate(scenario)
    drop = peer.named(mcs_opt(soft=peer.soft, hard=peer.hard, weights=peer.weights, solver=SOLVER))
    weight = dict(zip(peer.names, peer.weights))
    return drop, sum(weight[n] for n in drop)


def main() -> None:
    from feasible.positions import load_scenario

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    parser.add_argument("--all", action="store_true", help="also enumerate every conflict with marco")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    print(f"CPMpy {version()}")
    started = time.perf_counter()
    print("mus:", sorted(one_mus(scenario)), f"{time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    drop, cost = cheapest_relaxation(scenario)
    print("mcs_opt:", sorted(drop), "cost", cost, f"{time.perf_counter() - started:.3f} s")
    if args.all:
        started = time.perf_counter()
        muses, mcses = all_muses(scenario)
        print(f"marco: {len(muses)} MUSes, {mcses} MCSes, {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
