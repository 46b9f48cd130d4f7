"""A utility block's mistakes (docs/format.md#utilities): each one a located error (file:line:col, the line, a caret,
a hint, did-you-mean where a name is misspelt), reported with the others, exit 2 from `validate` and `check`."""

from __future__ import annotations

import pytest

from conftest import invoke
from feasible.positions.loader import load_scenario
from test_uncertain_format import place, problems

HEAD = """\
title: Utility mistakes
issues:
  price: {type: int, min: 10, max: 20}
  delivery: {values: [slow, normal, fast]}
  warranty: {type: bool}
  extras: {type: set, values: [manual, case]}
  route: {type: sequence, steps: [load, ship]}
parties:
  - party: buyer
    utility:
      issues:
        price: {weight: 0.5, points: [[10, 1], [20, 0]]}
        delivery: {weight: 0.25, scores: {slow: 1, fast: 3}}
        warranty: {weight: 0.25, scores: {true: 1}}
      reservation: 0.4
  - party: seller
    utility:
      rectangles:
        - {utility: 2, where: {price: [15, 20]}}
      max_utility: 2
"""

BAD = [  # (what replaces what in HEAD, the message, what it points at in the changed text, a word of the hint)
    (("price: {weight: 0.5", "prise: {weight: 0.5"), "'prise' is not an issue of the scenario", "prise",
     "did you mean 'price'?"),
    (("slow: 1, fast", "slo: 1, fast"), "'slo' is not a value of issue 'delivery'", "slo:", "'slow'"),
    (("{true: 1}", "{yes: 1}"), "'yes' is not a value of issue 'warranty'", "yes", "false, true"),
    (("weight: 0.25, scores: {slow", "weight: -0.25, scores: {slow"), "the number -0.25 is negative", "-0.25",
     "0.35"),
    (("fast: 3}", "fast: \"3/x\"}"), "'3/x' is not a number", "\"3/x\"", "1/3"),
    (("[20, 0]]", "[25, 0]]"), "25 is outside 10..20, the range of issue 'price'", "25, 0]", "within the range"),
    (("[[10, 1], [20, 0]]", "[[12, 1], [11, 0]]"), "the points' X must rise: 11 comes after 12", "11, 0]",
     "increasing X"),
    (("[20, 0]]", "[20, 1.5]]"), "a point's Y is an evaluation from 0 to 1, not 1.5", "1.5", "weight"),
    (("[20, 0]]", "[20.5, 0]]"), "a point's X is a whole number, not 20.5", "20.5", "10..20"),
    (("[[10, 1], [20, 0]]", "[[10, 1, 0]]"), "a point is two numbers [X, Y]", "[10, 1, 0]", "[10, 0.5]"),
    (("price: {weight: 0.5, points", "price: {weight: 0.5, scores: {}, points"),
     "int issue 'price' takes points:, not scores:", "scores: {}", "points: [[10, 0], [20, 1]]"),
    (("warranty: {weight: 0.25, scores: {true: 1}}", "warranty: {weight: 0.25}"), "issue 'warranty' needs scores:",
     "warranty: {weight: 0.25}", "scores: {false: 1, true: 0.5}"),
    (("warranty: {weight: 0.25, scores: {true: 1}}", "route: {weight: 1, scores: {load: 1}}"),
     "issue 'route' is a sequence issue, which cannot be scored", "route: {weight",
     "bool, enum, set (scores:) and int (points:)"),
    (("where: {price: [15, 20]}", "where: {delivery: [1, 2]}"), "issue 'delivery' is an enum issue, which cannot "
     "be bounded", "delivery: [1", "int issues"),
    (("where: {price: [15, 20]}", "where: {price: [15, 21]}"), "[15, 21] goes outside 10..20", "[15, 21]",
     "within the range"),
    (("where: {price: [15, 20]}", "where: {price: [16, 15]}"), "[16, 15] is empty: MIN is above MAX", "[16, 15]",
     "[15, 16]"),
    (("where: {price: [15, 20]}", "where: {price: [15]}"), "a rectangle's bounds are two whole numbers [MIN, MAX]",
     "[15]", "both included"),
    (("      max_utility: 2\n", ""), "rectangles need `max_utility:`", "rectangles", "max_utility: M"),
    (("      max_utility: 2\n", "      max_utility: 0\n"), "max_utility must be above 0", "0\n", "100"),
    (("      reservation: 0.4\n", "      reservation: 0.4\n      max_utility: 1\n"),
     "max_utility: goes with rectangles", "max_utility: 1", "Σ weight"),
    (("      max_utility: 2\n", "      max_utility: 2\n      issues: {price: {weight: 1, points: [[10, 1]]}}\n"),
     "a utility block has `issues:` or `rectangles:`, not both", "rectangles", "keep one"),
    (("reservation: 0.4", "reservation: -0.4"), "the number -0.4 is negative", "-0.4", "0.35"),
    (("reservation: 0.4", "reservation: 0.4\n      discount: 1.5"), "a discount factor is above 0 and at most 1, "
     "not 1.5", "1.5", "0.9"),
    (("reservation: 0.4", "reservaton: 0.4"), "unknown key 'reservaton'", "reservaton", "'reservation'"),
    (("weight: 0.5, points", "weight: 5000, points"), "too large to compute exactly: its utility can reach "
     "5000.500000, more than 1,073", "utility:\n      issues", "divide them all"),
]


def test_the_head_is_valid(tmp_path):
    (tmp_path / "s.yaml").write_text(HEAD)
    scenario = load_scenario(tmp_path / "s.yaml")
    assert scenario.party("buyer").reservation is not None and scenario.party("seller").reservation is None


@pytest.mark.parametrize("change, message, marker, hint", BAD, ids=[b[1][:40] for b in BAD])
def test_each_mistake_is_a_located_error_with_a_fix(tmp_path, change, message, marker, hint):
    assert change[0] in HEAD
    text = HEAD.replace(*change)
    found = problems(tmp_path, text)
    assert len(found) == 1, [d.message for d in found]
    problem = found[0]
    assert message in problem.message
    assert (problem.location.line, problem.location.column) == place(text, marker)
    assert hint in (problem.hint or "")


def test_a_reservation_keeps_its_id_free(tmp_path):
    text = HEAD.replace("  - party: seller\n", "    red_lines:\n      - {id: reservation, says: x, rule: warranty}\n"
                                             "  - party: seller\n")
    (problem,) = problems(tmp_path, text)
    assert problem.message == "'reservation' names the party's reservation value"
    assert (problem.location.line, problem.location.column) == place(text, "reservation, says")


@pytest.mark.parametrize("command", ["validate", "check"])
def test_the_command_line_shows_every_problem_located_and_exits_2(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    text = HEAD.replace("prise", "price").replace("price: {weight: 0.5", "prise: {weight: 0.5") \
        .replace("max_utility: 2", "max_utility: 0")
    (tmp_path / "s.yaml").write_text(text)
    result = invoke(command, "s.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.stderr + result.stdout
    assert "s.yaml:%d:%d" % place(text, "prise") in result.stderr
    assert "s.yaml:%d:%d" % place(text, "0\n") in result.stderr
    assert "^^^^^" in result.stderr and "did you mean 'price'?" in result.stderr
