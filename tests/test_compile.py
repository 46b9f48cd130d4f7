"""Every rule construct compiled to CP-SAT agrees with the plain evaluator, on every assignment of its issues.

For each rule: compile a scenario holding it (red lines not enforced), then for every assignment of the
issues the rule mentions, fix those issues on a clone of the model, solve, and compare the rule's `holds`
literal with `solver.evaluate`. The literal must also be *determined*: forcing it to the other value is
infeasible. Also: `verify_deal` turns a broken red line or a solver/evaluator disagreement into an
InternalError, and `check` never returns a deal the evaluator rejects.
"""

from __future__ import annotations

import itertools
import textwrap

import pytest
from ortools.sat.python import cp_model

from feasible.positions import InternalError, load_scenario
from feasible.positions.model import IssueKind, RuleKind
from feasible.positions.rules import check_rule, parse_rule
from feasible.positions.rules.syntax import names
from feasible.solver import Verdict, check
from feasible.solver.compile import Compiled, compile_scenario
from feasible.solver.evaluate import evaluate
from feasible.solver.verify import verify_deal
from solver_support.build import (assert_well_typed, bool_issue, enum_issue, int_issue, issues_of, party, rule,
                                  scenario, set_issue)
from solver_support.oracle import assignments, domain

ISSUES = issues_of(
    bool_issue("a"), bool_issue("b"), bool_issue("c"),
    int_issue("x", 0, 3), int_issue("y", 0, 3), int_issue("z", -2, 1),
    enum_issue("e", "lo", "mid", "hi", ordered=True),  # alphabetical order (hi < lo < mid) differs from the listed one
    enum_issue("f", "lo", "mid", "hi", ordered=True),
    enum_issue("g", "red", "green", "blue"), enum_issue("h", "red", "green", "blue"),
    set_issue("s", "u", "v", "w"), set_issue("t", "u", "v", "w"),
)

CONSTRUCTS = {
    "bool name": ["a", "c"],
    "not": ["not a", "not not b", "not (a and b)"],
    "and": ["a and b", "a and b and c", "a and not a"],
    "or": ["a or b", "a or b or c", "a or not a"],
    "implies": ["a -> b", "a -> b -> c", "(a -> b) -> c"],
    "iff": ["a <-> b", "a <-> not b", "(a <-> b) <-> c"],
    "true/false": ["true", "false", "a and true", "a or false", "not false", "true -> a", "false <-> a"],
    "int compare": ["x == 2", "x != 2", "x < y", "x <= 2", "x > y", "x >= 1", "2 > x", "x == y", "x != y"],
    "int chain": ["0 < x <= 2", "x < y < 3", "1 <= x != y", "x == y == 2", "3 >= x >= y > 0"],
    "enum with value": ['e == "mid"', 'e != "mid"', 'g == "green"', 'g != "red"', '"hi" == e', '"blue" != g'],
    "ordered enum with value": ['e < "mid"', 'e <= "mid"', 'e > "lo"', 'e >= "hi"', 'e < "lo"', 'e <= "hi"',
                                '"mid" < e', '"mid" >= e', '"lo" < e < "hi"', '"lo" <= e <= "mid"'],
    "enum with enum": ["e == f", "e != f", "g == h", "g != h", "e == e"],
    "ordered enum with enum": ["e < f", "e <= f", "e > f", "e >= f", "e < f < \"hi\"", "e <= e"],
    "enum in set literal": ['e in {"lo", "hi"}', 'e not in {"mid"}', 'g in {"red"}', 'g not in {"red", "blue"}',
                            'g in {"blue", "green", "red"}', "g in {}", "e not in {}"],
    "int in set literal": ["x in {1, 3}", "x not in {0}", "x + y in {7, 2}", "x + y in {2, 5}", "size(s) in {0, 2}",
                           "count(a, b) not in {1}", "-x in {0}"],
    "set contains": ['s contains "u"', '"v" in s', '"w" not in s', 'not s contains "u"',
                     's contains "u" and s contains "v"'],
    "set equals literal": ['s == {"u"}', 's != {"u", "v"}', "s == {}", "s != {}", '{"v", "u"} == s',
                           's == {"w", "v", "u"}'],
    "set equals set": ["s == t", "s != t", "s == s"],
    "size": ["size(s) >= 2", "size(s) == size(t)", "size(s) < x", "size(s) == 0", "size(s) + size(t) == 3"],
    "count": ["count(a, b, c) >= 2", "count(a, x > 1) == 1", "count(a, a) == 2", "count(true, false) == 1",
              'count(s contains "u", e == "lo") != 1', "count(a) < count(b, c)"],
    "arithmetic": ["x + y >= 4", "x - y == 1", "2 * x > y + 1", "x * 3 - y < 2", "x + y - 2 * x == 0",
                   "0 * x == 0", "x - x == 0", "x - y - 1 < 0", "2 * (x - y) + 1 > 0", "x * 2 * 3 >= 12"],
    "unary minus": ["-x < -1", "-(x - y) >= 1", "-x + y == 0", "- -x == 2", "-(2 * x) <= -4"],
    "negative ints": ["z < 0", "z == -1", "-z == x", "2 * z + x >= 0", "z in {0, 1}", "z not in {1}", "-2 <= z < x",
                      "z - 1 != -2"],
    "bool == literal": ["a == true", "a != true", "a == false", "true == a", "false != b", "true == true",
                        "true != false"],
    "bool == bool": ["a == b", "a != b", "a == b == c", "a != b != c"],
    "condition == condition": ["(x > 1) == (y > 1)", "(x > 1) != a", '(e == "lo") == (s contains "u")',
                               "(a and b) == (a or b)", "(a -> b) != (x in {1, 2})"],
    "shared sub-expressions": ["(x > 1 and a) or (x > 1 and not a)", "(x > 1) <-> (x > 1)",
                               "count(x > 1, x > 1, y > 1) == 2"],
}

CASES = [pytest.param(text, id=f"{construct}: {text}") for construct, texts in CONSTRUCTS.items() for text in texts]


# ------------------------------------------------------------------------------------------ helpers

def fix(model: cp_model.CpModel, compiled: Compiled, name: str, value) -> None:
    """Constrain one issue of a (cloned) compiled model to a value."""
    iv = compiled.issues[name]
    kind = iv.issue.kind
    if kind is IssueKind.BOOL:
        model.add(iv.var == int(value))
    elif kind is IssueKind.INT:
        model.add(iv.var == value)
    elif kind is IssueKind.ENUM:
        model.add(iv.lits[value] == 1)
    else:
        for element, lit in iv.lits.items():
            model.add(lit == int(element in value))


def solve(model: cp_model.CpModel) -> tuple[int, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    return solver.solve(model), solver


def assert_agrees_everywhere(compiled: Compiled, rule_names: list[str], issue_names: list[str]) -> int:
    """For every assignment of `issue_names`, each rule's holds literal equals the evaluator and is forced.
    An assignment may be infeasible only when it breaks a fact (facts are always enforced).
    Returns the number of feasible assignments checked."""
    scen = compiled.scenario
    sub = {n: scen.issues[n] for n in issue_names}
    checked = 0
    for assignment in assignments(sub):
        model = compiled.model.clone()
        for name, value in assignment.items():
            fix(model, compiled, name, value)
        status, solver = solve(model)
        if status == cp_model.INFEASIBLE:
            assert set(issue_names) == set(scen.issues), f"fixing {assignment} made the model infeasible"
            assert not all(evaluate(f.expr, scen.issues, assignment) for f in scen.facts), \
                f"{assignment} satisfies every fact but the compiled model rejects it"
            continue
        assert status == cp_model.OPTIMAL, f"fixing {assignment}: {solver.status_name(status)}"
        decoded = compiled.decode(solver.value)
        assert {n: decoded[n] for n in assignment} == assignment
        if set(issue_names) == set(scen.issues):
            assert all(evaluate(f.expr, scen.issues, assignment) for f in scen.facts), \
                f"{assignment} breaks a fact but the compiled model accepts it"
        for rule_name in rule_names:
            expected = bool(evaluate(compiled.rules[rule_name].expr, scen.issues, assignment))
            got = bool(solver.boolean_value(compiled.holds[rule_name]))
            assert got == expected, f"{compiled.rules[rule_name].text!r} at {assignment}: CP-SAT {got}, " \
                                    f"evaluator {expected}"
            wrong = model.clone()
            lit = compiled.holds[rule_name]
            wrong.add_bool_or([lit.Not() if expected else lit])
            status, _ = solve(wrong)
            assert status == cp_model.INFEASIBLE, f"{compiled.rules[rule_name].text!r} at {assignment}: the " \
                                                  f"holds literal is not determined by the issues"
        checked += 1
    return checked


def compiled_with(*texts: str, issues=ISSUES) -> Compiled:
    scen = scenario(issues, [party("p", demands=[(t, 1) for t in texts])])
    assert_well_typed(scen)
    return compile_scenario(scen, enforce_red_lines=False)


# ------------------------------------------------------------------------------------------ every construct

@pytest.mark.parametrize("text", CASES)
def test_construct_agrees_with_evaluator(text):
    assert check_rule(parse_rule(text), ISSUES) == [], "the test rule itself must be well typed"
    compiled = compiled_with(text)
    mentioned = sorted(names(parse_rule(text))) or ["a"]
    expected_count = 1
    for name in mentioned:
        expected_count *= len(domain(ISSUES[name]))
    assert assert_agrees_everywhere(compiled, ["p/d0"], mentioned) == expected_count


def test_every_construct_listed_is_a_distinct_rule():
    texts = [t for ts in CONSTRUCTS.values() for t in ts]
    assert len(texts) == len(set(texts))


def test_red_lines_and_facts_compile_like_demands():
    """The same expression as fact, red line, and demand: one literal each, all agreeing with the evaluator;
    facts are enforced, red lines only when asked."""
    issues = issues_of(int_issue("x", 0, 3), bool_issue("a"))
    scen = scenario(issues, [party("p", red_lines=["x >= 1 -> a"], demands=[("x >= 1 -> a", 2)])],
                    facts=["x != 2"])
    loose = compile_scenario(scen, enforce_red_lines=False)
    assert set(loose.holds) == {"facts/f0", "p/r0", "p/d0"}
    assert assert_agrees_everywhere(loose, ["facts/f0", "p/r0", "p/d0"], ["a", "x"]) == 6  # not x == 2 (the fact)
    strict = compile_scenario(scen)
    for x, a in itertools.product(range(4), (False, True)):
        model = strict.model.clone()
        fix(model, strict, "x", x)
        fix(model, strict, "a", a)
        status, _ = solve(model)
        allowed = x != 2 and (x < 1 or a)
        assert (status == cp_model.OPTIMAL) == allowed, (x, a)


@pytest.mark.parametrize("percent", [0, 1, 33, 34, 50, 66, 67, 99, 100])
def test_accept_at_least_agrees_with_evaluator(percent):
    """The loader's accept_at_least expression (100 * Σ w·count(d) >= percent · total) compiles exactly."""
    issues = issues_of(int_issue("x", 0, 3), bool_issue("a"), set_issue("s", "u", "v"))
    p = party("p", red_lines=["true"], demands=[("x >= 2", 1), ("a", 2), ('s contains "u"', 3)],
              accept_at_least=percent)
    scen = scenario(issues, [p])
    assert_well_typed(scen)
    compiled = compile_scenario(scen, enforce_red_lines=False)
    assert assert_agrees_everywhere(compiled, ["p/accept-at-least", "p/d0", "p/d1", "p/d2"],
                                    ["a", "s", "x"]) == 32


def test_yaml_scenario_agrees_with_evaluator_on_every_assignment(tmp_path):
    """The same check through the YAML loader, with every issue kind and accept_at_least."""
    (tmp_path / "scenario.yaml").write_text(textwrap.dedent("""\
        title: Every construct, loaded
        issues:
          opened: {type: bool}
          level: {type: enum, values: [low, mid, high], ordered: true}
          n: {type: int, min: 0, max: 2}
          pick: {type: set, values: [p, q]}
        facts:
          - id: f
            says: a fact
            rule: opened or n > 0 or size(pick) > 0
        parties:
          - party: one
            accept_at_least: 40
            red_lines:
              - {id: r1, says: r1, rule: 'level >= "mid" -> pick contains "p"'}
              - {id: r2, says: r2, rule: 'count(opened, n == 2, "q" not in pick) <= 2'}
            demands:
              - {id: d1, says: d1, rule: 'level in {"low", "high"} <-> opened', weight: 2}
              - {id: d2, says: d2, rule: 'pick == {"p", "q"} or -n + 2 * n == 1', weight: 1}
          - party: two
            red_lines:
              - {id: r1, says: r1, rule: 'pick != {} and (opened == (level < "high"))'}
            demands:
              - {id: d1, says: d1, rule: 'n not in {1} and not opened', weight: 3}
        """), encoding="utf-8")
    scen = load_scenario(tmp_path)
    assert_well_typed(scen)
    compiled = compile_scenario(scen, enforce_red_lines=False)
    rule_names = [r.name for r in scen.rules()]
    assert "one/accept-at-least" in rule_names
    allowed = [d for d in assignments(scen.issues) if all(evaluate(f.expr, scen.issues, d) for f in scen.facts)]
    assert 0 < len(allowed) < 2 * 3 * 3 * 4
    assert assert_agrees_everywhere(compiled, rule_names, list(scen.issues)) == len(allowed)


def test_evaluator_orders_enums_by_listed_position():
    """The evaluator itself (the oracle everywhere else): ordered enums compare by listed position."""
    deal = {"e": "hi", "f": "lo", "s": frozenset({"u"}), "x": 3, "a": True}
    cases = {'e > "mid"': True, 'e < "lo"': False, "e > f": True, '"lo" < e': True, "f <= e": True,
             'e in {"hi"}': True, 's == {"u"}': True, 's contains "v"': False, "size(s) + x == 4": True,
             "count(a, e == f) == 1": True, "-x + 3 == 0": True, "(x > 2) == a": True}
    for text, expected in cases.items():
        assert evaluate(parse_rule(text), ISSUES, deal) is expected, text


# ------------------------------------------------------------------------------------------ verification

def _verified_scenario():
    issues = issues_of(int_issue("x", 0, 3), bool_issue("a"))
    return scenario(issues, [party("p", red_lines=["x >= 2"], demands=[("a", 1)])], facts=["x != 3"])


def test_verify_deal_accepts_a_valid_deal():
    verify_deal(_verified_scenario(), {"x": 2, "a": True}, {"facts/f0": True, "p/r0": True, "p/d0": True})


def test_verify_deal_rejects_a_broken_red_line():
    with pytest.raises(InternalError, match=r"breaks red line p/r0 \(\"p red line r0\"\)"):
        verify_deal(_verified_scenario(), {"x": 1, "a": True})


def test_verify_deal_rejects_a_broken_fact():
    with pytest.raises(InternalError, match=r"breaks fact facts/f0"):
        verify_deal(_verified_scenario(), {"x": 3, "a": True})


def test_verify_deal_rejects_a_disagreement():
    with pytest.raises(InternalError, match=r"disagree on p/d0 \('a'\): solver False, evaluator True"):
        verify_deal(_verified_scenario(), {"x": 2, "a": True}, {"facts/f0": True, "p/r0": True, "p/d0": False})


@pytest.mark.parametrize("deal", [{"x": 4, "a": True}, {"x": 2, "a": 1}, {"x": True, "a": True}, {"a": True}])
def test_verify_deal_rejects_values_outside_the_domain(deal):
    with pytest.raises(InternalError, match=r"outside its domain"):
        verify_deal(_verified_scenario(), deal)


def test_check_raises_internal_error_when_solver_and_evaluator_disagree(monkeypatch):
    """A wrong compilation must surface as an InternalError, never as a silently wrong deal."""
    import feasible.solver.verify  # noqa: F401 (loads solver.verify, used by that name)
    from feasible import solver

    real = solver.verify.holds

    def lying(rule, issues, deal):
        value = real(rule, issues, deal)
        return (not value) if rule.expr == parse_rule("a") else value

    monkeypatch.setattr(solver.verify, "holds", lying)
    with pytest.raises(InternalError, match=r"disagree on p/d0"):
        check(_verified_scenario())


def test_check_returns_only_verified_deals():
    result = check(_verified_scenario())
    assert result.verdict is Verdict.DEAL
    assert result.deal.values == {"x": 2, "a": True}
    verify_deal(_verified_scenario(), result.deal.values)


def test_rule_kinds_are_labelled():
    compiled = compile_scenario(_verified_scenario())
    assert {name: r.kind for name, r in compiled.rules.items()} == {
        "facts/f0": RuleKind.FACT, "p/r0": RuleKind.RED_LINE, "p/d0": RuleKind.DEMAND}
    assert compiled.rules["p/d0"] == rule("p", "d0", RuleKind.DEMAND, "a")


def test_number_in_empty_set_literal_is_well_typed():
    assert check_rule(parse_rule("x in {}"), ISSUES) == []
