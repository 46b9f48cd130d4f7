"""Each kind of issue has one home per layer: a class in positions/kinds.py (values, typing a value, words, JSON,
what the room says) and an encoder in solver/encoders.py (variables, reading a solution, room probes). This test
lists those places: both registries cover every IssueKind, and no other module branches on a kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from feasible.positions.kinds import KINDS, IssueType, for_value, issue_type
from feasible.positions.model import Issue, IssueKind
from feasible.positions.rules.parser import parse_rule
from feasible.positions.rules.printer import to_text
from feasible.solver.compile import compile_scenario
from feasible.solver.encoders import ENCODERS, Encoder
from feasible.solver.evaluate import evaluate
from feasible.solver.search import Searcher
from solver_support.build import (bool_issue, enum_issue, int_issue, issues_of, scenario, sequence_issue,
                                  set_issue)

ROOT = Path(__file__).resolve().parent.parent

# The places a kind of issue is defined. Adding a kind: a class in each, registered in KINDS and ENCODERS; and its
# operators in the rule language (the checker types them, the compiler encodes what the checker typed).
HOMES = {
    "positions/kinds.py": "values, typing a value, words, JSON, room words",
    "solver/encoders.py": "CP-SAT variables, reading a solution, literals, room probes",
    "positions/model.py": "the IssueKind enum itself",
    "positions/rules/checker.py": "the types of the rule language",
    "positions/loader.py": "reads `type:` from the files; an int range must not be empty",
    "positions/utility.py": "a utility block's evaluation of each kind's values (docs/format.md#utilities)",
    "positions/genius/exporting.py": "which GENIUS issue each kind is (discrete items, an integer evaluator) or none",
}
NOT_ISSUE_KINDS = {"positions/rules/parser.py"}  # token kinds ("int", "name"), not issue kinds

ISSUES = [bool_issue("b"), enum_issue("e", "lo", "hi"), int_issue("i", -1, 2), set_issue("s", "u", "v"),
          sequence_issue("q", "x", "y", "z", optional=("z",)), sequence_issue("p", "x", "y", phases=2, optional=("y",))]


def test_every_kind_has_a_class_and_an_encoder():
    assert set(KINDS) == set(IssueKind) == set(ENCODERS)
    assert all(isinstance(t, IssueType) and t.kind is k for k, t in KINDS.items())
    assert all(isinstance(e, Encoder) and e.kind is k for k, e in ENCODERS.items())
    assert {issue.kind for issue in ISSUES} == set(IssueKind)


@pytest.mark.parametrize("issue", ISSUES, ids=lambda i: i.kind.value)
def test_each_value_is_read_back_shown_and_encoded_by_its_kind(issue: Issue):
    kind = issue_type(issue)
    values = list(kind.every_value(issue))
    assert kind.first_value(issue) == values[0] and kind.size(issue) == len(values) == len(set(values))
    scen = scenario(issues_of(issue))
    compiled = compile_scenario(scen)
    for value in values:
        assert kind.in_domain(issue, value) and for_value(value) is kind
        assert kind.parse(issue, kind.text(value)) == value
        assert evaluate(parse_rule(to_text(kind.condition(issue.name, value))), scen.issues, {issue.name: value})
        assert isinstance(kind.show(value), str) and kind.json(value) is not None
        # the encoder's literal for "another value" rules this one out and nothing else
        model = compiled.model.clone()
        model.add_bool_or([ENCODERS[issue.kind].differs(model, compiled.issues[issue.name], value)])
        outcome = Searcher(60).solve(model)
        assert outcome.found == (len(values) > 1) and compiled.decode(outcome.solver.value)[issue.name] != value


def test_no_module_outside_the_homes_branches_on_a_kind():
    """(The compiler and the evaluator go by the checker's types, positions.rules.checker.TyKind.)"""
    kinds = "|".join(k.name for k in IssueKind)
    words = "|".join(k.value for k in IssueKind)
    branching = re.compile(rf"IssueKind\.({kinds})\b|kind\.value\s*[!=]="
                           rf"|\bkind\s*(==|!=|in)\s*\(?\s*[\"']({words})[\"']")
    found = []
    for package in ("positions", "solver", "cli"):
        for path in sorted((ROOT / package).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            if where in HOMES or where in NOT_ISSUE_KINDS:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if branching.search(line):
                    found.append(f"{where}:{number}: {line.strip()}")
    assert found == []
