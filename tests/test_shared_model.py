"""The compiled model is shared by every solve of a command: making a copy with extra conditions leaves it as it
was, and the subset oracle hands back the deal it found with the answer (no state passed between calls)."""

from __future__ import annotations

from feasible.positions.model import RuleKind
from feasible.positions.rules import parse_rule
from feasible.solver.compile import compile_scenario
from feasible.solver.evaluate import evaluate
from feasible.solver.explain.oracle import SubsetOracle
from feasible.solver.search import Searcher
from solver_support.build import enum_issue, int_issue, issues_of, party, scenario

ISSUES = issues_of(int_issue("x", 0, 9), enum_issue("e", "lo", "mid", "hi", ordered=True))


def _scenario():
    return scenario(ISSUES, [party("p", red_lines=["x >= 2"], demands=[("e == \"hi\"", 1)]),
                             party("q", red_lines=["x <= 6", "e != \"lo\""])])


def _size(model) -> tuple[int, int]:
    proto = model.proto
    return len(proto.variables), len(proto.constraints)


def test_with_hard_compiles_its_conditions_into_the_copy_only():
    compiled = compile_scenario(_scenario(), enforce_red_lines=False)
    before, memo = _size(compiled.model), dict(compiled.compiler.memo)
    target = parse_rule('x == 5 and e > "mid"')
    copy = compiled.with_hard(["p/r0"], [target])
    assert _size(compiled.model) == before
    assert compiled.compiler.memo == memo
    assert _size(copy)[1] > before[1]  # the target and the hard rule are in the copy
    outcome = Searcher(60).solve(copy)
    deal = compiled.decode(outcome.solver.value)
    assert deal == {"x": 5, "e": "hi"} and evaluate(target, ISSUES, deal)


def test_copies_do_not_see_each_others_conditions():
    compiled = compile_scenario(_scenario(), enforce_red_lines=False)
    searcher = Searcher(60)
    first = compiled.with_hard([], [parse_rule("x == 1")])
    second = compiled.with_hard([], [parse_rule("x == 2")])
    assert compiled.decode(searcher.solve(first).solver.value)["x"] == 1
    assert compiled.decode(searcher.solve(second).solver.value)["x"] == 2


def test_the_oracle_keeps_the_deal_of_each_satisfiable_check():
    scen = _scenario()
    compiled = compile_scenario(scen, enforce_red_lines=False)
    red = [r.name for r in scen.red_lines]
    oracle = SubsetOracle(compiled, red, [], Searcher(60))
    answer = oracle(frozenset(red))
    assert answer.sat and len(oracle.deals) == 1
    deal = oracle.deals[0]
    assert all(evaluate(r.expr, ISSUES, deal) for r in scen.red_lines if r.kind is RuleKind.RED_LINE)
    assert not hasattr(oracle, "_last_deal")
