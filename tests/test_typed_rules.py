"""The checker's types are the one account of what each part of a rule is: the compiler and the evaluator ask
for them (positions.rules.checker.Types) instead of working a type out again."""

from __future__ import annotations

import pytest

import feasible.solver.compile  # noqa: F401 (loads solver.compile, used by that name)
import feasible.solver.evaluate  # noqa: F401 (loads solver.evaluate, used by that name)
from feasible import solver
from feasible.positions.model import IssueKind
from feasible.positions.rules import TyKind, Types, parse_rule
from feasible.solver.compile import compile_scenario
from feasible.solver.evaluate import evaluate
from solver_support.build import bool_issue, enum_issue, int_issue, issues_of, party, scenario, set_issue

ISSUES = issues_of(bool_issue("a"), int_issue("x", 0, 5), enum_issue("e", "lo", "mid", "hi", ordered=True),
                   set_issue("s", "u", "v"))


def test_every_issue_kind_is_a_type_of_the_rule_language():
    assert {TyKind(kind.value) for kind in IssueKind} <= set(TyKind)


@pytest.mark.parametrize(("text", "kind"), [
    ("a", TyKind.BOOL), ("x + 1", TyKind.INT), ("e", TyKind.ENUM), ("s", TyKind.SET), ('"lo"', TyKind.STR),
    ('{"u"}', TyKind.STRSET), ("{1, 2}", TyKind.INTSET), ("size(s) > 0", TyKind.BOOL), ("count(a, x > 1)", TyKind.INT),
])
def test_types_are_the_checkers(text, kind):
    assert Types(ISSUES).kind(parse_rule(text)) is kind


def test_the_type_of_an_issue_name_carries_the_issue():
    assert Types(ISSUES).of(parse_rule("e")).issue is ISSUES["e"]


def test_an_ill_typed_rule_is_refused_where_its_types_are_asked():
    with pytest.raises(ValueError, match="not a well-typed rule"):
        Types(ISSUES).of(parse_rule("e == 3"))
    bad = scenario(ISSUES, facts=["e == 3"])
    with pytest.raises(ValueError, match="not a well-typed rule"):
        compile_scenario(bad)


class _Recording(Types):
    asked: list = []

    def of(self, expr):
        _Recording.asked.append(expr)
        return super().of(expr)


COMPARISONS = ['e >= "mid"', 's == {"u"}', "a == (x > 2)", 'e in {"lo", "hi"}', 'x != 3']


def test_the_compiler_goes_by_the_checkers_types(monkeypatch):
    monkeypatch.setattr(solver.compile, "Types", _Recording)
    _Recording.asked = []
    compile_scenario(scenario(ISSUES, [party("p", red_lines=COMPARISONS)]), enforce_red_lines=False)
    asked = set(_Recording.asked)
    for text in COMPARISONS:
        expr = parse_rule(text)
        operands = expr.operands if hasattr(expr, "operands") else (expr.item,)
        assert set(operands) <= asked, text


def test_the_evaluator_orders_enum_values_by_the_checkers_types(monkeypatch):
    monkeypatch.setattr(solver.evaluate, "Types", _Recording)
    _Recording.asked = []
    expr = parse_rule('e >= "mid"')
    assert evaluate(expr, ISSUES, {"e": "hi"}) and not evaluate(expr, ISSUES, {"e": "lo"})
    assert expr.operands[0] in _Recording.asked


def test_rules_loaded_from_files_carry_the_checkers_types_and_compiling_trusts_them(monkeypatch):
    from feasible.positions import load_scenario

    scenario = load_scenario("ukraine-2026")  # no accept_at_least level: every rule comes from the files
    assert all(r.types is not None and r.types.issues is scenario.issues for r in scenario.rules())

    def no_second_opinion(self, expr):
        raise AssertionError(f"typed again: {expr}")

    monkeypatch.setattr("feasible.positions.rules.checker._Checker.check", no_second_opinion)
    compiled = compile_scenario(scenario)
    assert set(compiled.holds) == {r.name for r in scenario.rules()}


def test_a_copied_rule_is_typed_afresh_not_by_the_ids_of_the_original():
    import copy

    from feasible.positions import load_scenario

    scenario = load_scenario("three-party-toy")
    copied = copy.deepcopy(scenario)
    compiled = compile_scenario(copied)
    assert set(compiled.holds) == {r.name for r in copied.rules()}
    types = Types(copied.issues)
    for rule in copied.rules():
        types.adopt(rule.types)
        assert types.kind(rule.expr) is TyKind.BOOL
