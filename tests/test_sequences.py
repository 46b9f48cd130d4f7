"""Sequence issues end to end: the format and its located errors, the rule language's steps and order statements,
what-if `--set SEQUENCE.STEP=PHASE` (in memory and written by `feasible edit`), explain targets on a step, and how a
sequence's value and room are shown. The solver's answers are checked against brute force in
tests/test_sequence_properties.py; the CLI tests use the small scenario tests/data/sequences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA
from feasible.positions import load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.kinds import Phases, issue_type
from feasible.positions.rules import check_rule, parse_rule, to_text
from feasible.positions.rules.checker import resolve_steps
from feasible.positions.rules.parser import RuleSyntaxError
from feasible.positions.rules.syntax import Order, Step
from feasible.solver import check
from feasible.solver.evaluate import evaluate
from solver_support.build import int_issue, issues_of, sequence_issue

SEQUENCES = DATA / "sequences"
ISSUES = issues_of(sequence_issue("timeline", "ceasefire", "withdrawal", "deployment", "referendum",
                                  optional=("referendum",)),
                   sequence_issue("talks", "open", "vote", phases=2), int_issue("troops", 0, 3))


def phases(**given) -> Phases:
    return issue_type(ISSUES["timeline"]).value_of(ISSUES["timeline"], given)


# -- the rule language ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["timeline.ceasefire < timeline.deployment", "timeline.ceasefire before "
                                  "timeline.deployment", "timeline.withdrawal after timeline.ceasefire",
                                  "\"referendum\" not in timeline", "timeline.referendum + 1 >= 2"])
def test_steps_and_orders_print_back_as_they_parse(text):
    expr = parse_rule(text)
    assert to_text(expr) == text and parse_rule(to_text(expr)) == expr
    assert check_rule(expr, ISSUES) == []


def test_a_bare_step_of_one_sequence_is_read_as_that_step():
    expr = resolve_steps(parse_rule("ceasefire before deployment"), ISSUES)
    assert expr == Order(Step("timeline", "ceasefire"), Step("timeline", "deployment"), "before")
    assert to_text(expr) == "timeline.ceasefire before timeline.deployment"


def test_before_means_if_the_later_step_happens_the_earlier_one_happens_first():
    rule = resolve_steps(parse_rule("referendum before withdrawal"), ISSUES)
    deal = {"talks": Phases((("open", 1), ("vote", 1))), "troops": 0}
    cases = {phases(ceasefire=2, withdrawal=3, deployment=4, referendum=1): True,
             phases(ceasefire=1, withdrawal=2, deployment=3): False,  # referendum left out, withdrawal happens
             phases(ceasefire=2, withdrawal=1, deployment=4, referendum=3): False}
    for value, expected in cases.items():
        assert evaluate(rule, ISSUES, {**deal, "timeline": value}) is expected
    after = resolve_steps(parse_rule("withdrawal after referendum"), ISSUES)
    assert all(evaluate(after, ISSUES, {**deal, "timeline": v}) is e for v, e in cases.items())


@pytest.mark.parametrize("text, message, hint", [
    ("timeline.ceasfire < 2", "'ceasfire' is not a step of sequence issue 'timeline'", "did you mean 'ceasefire'?"),
    ("timelin.ceasefire < 2", "unknown issue 'timelin' in 'timelin.ceasefire'", "did you mean 'timeline'?"),
    ("troops.x == 1", "'troops' is an int issue; only a sequence issue has steps ('troops.x')", None),
    ("timeline.ceasefire before troops", "'before' orders steps of a sequence issue, but 'troops' is the int "
     "issue 'troops'", "write a step as SEQUENCE.STEP, e.g. 'timeline.ceasefire before timeline.deployment'"),
    ("timeline.ceasefire after talks.vote", "'timeline.ceasefire' and 'talks.vote' are steps of different sequence "
     "issues", "'after' orders two steps of one sequence"),
    ('"vot" in talks', "\"vot\" is not a step of sequence issue 'talks'", 'did you mean "vote"?'),
    ("timeline.ceasefire == 0", "0 is outside the phases of 'timeline.ceasefire' (1..4)",
     "correct the number; a mandatory step is never left out (phase 0)"),
    ("talks.vote <= 3", "3 is outside the phases of 'talks.vote' (1..2)", "correct the number"),
    ("timeline", "a rule must be a condition, but 'timeline' is the sequence issue 'timeline'",
     "use its steps, e.g. 'timeline.ceasefire < timeline.withdrawal' or 'ceasefire before withdrawal'"),
])
def test_wrong_steps_are_located_errors(text, message, hint):
    (problem,) = check_rule(resolve_steps(parse_rule(text), ISSUES), ISSUES)
    assert (problem.message, problem.hint) == (message, hint)


def test_a_step_two_sequences_share_must_be_written_with_its_sequence():
    issues = {**ISSUES, "other": sequence_issue("other", "vote", "open")}
    expr = resolve_steps(parse_rule("vote before open"), issues)
    problems = check_rule(expr, issues)
    assert [p.message for p in problems] == ["'vote' is a step of several sequence issues (talks, other)",
                                             "'open' is a step of several sequence issues (talks, other)"]
    assert problems[0].hint == "say which: talks.vote or other.vote" and problems[0].span == (0, 4)


@pytest.mark.parametrize("text, message, span", [
    ("a before b before c", "'before' does not chain", (11, 17)),
    ("a after b < 2", "'after' does not chain", (10, 11)),
    ("timeline. < 2", "expected a step name after 'timeline.', found '<'", (8, 11)),
])
def test_order_syntax_errors(text, message, span):
    with pytest.raises(RuleSyntaxError) as caught:
        parse_rule(text)
    assert (caught.value.message, caught.value.span) == (message, span)


# -- values ---------------------------------------------------------------------------------------------------

def test_a_value_is_shown_as_an_ordered_list_of_phases_and_written_as_json_in_step_order():
    kind = issue_type(ISSUES["timeline"])
    value = phases(ceasefire=2, withdrawal=1, deployment=3)
    assert kind.show(value) == "1 withdrawal then 2 ceasefire then 3 deployment (left out: referendum)"
    assert kind.json(value) == {"ceasefire": 2, "withdrawal": 1, "deployment": 3, "referendum": 0}
    tied = issue_type(ISSUES["talks"]).parse(ISSUES["talks"], "open=1,vote=1")
    assert kind.show(tied) == "1 open, vote"


def test_strict_and_phased_domains():
    strict, phased = ISSUES["timeline"], ISSUES["talks"]
    assert issue_type(strict).size(strict) == 24 + 6 == len(set(issue_type(strict).every_value(strict)))
    assert issue_type(phased).size(phased) == 4 == len(set(issue_type(phased).every_value(phased)))
    assert next(issue_type(strict).every_value(strict)) == issue_type(strict).anchor(strict)


# -- the format -----------------------------------------------------------------------------------------------

BAD = """
title: t
issues:
  timeline:
    type: sequence
    steps: [ceasefire, withdrawal, ceasefire, before]
    optional: [referendm]
  other:
    type: sequence
    steps: [ceasefire, vote]
    status_quo: {ceasefire: 1, vote: 1}
  third: {type: sequence, steps: [a, b], status_quo: {a: 1, c: 2}}
  fourth: {type: sequence, steps: [a], phases: 0}
parties:
  - party: p
    red_lines:
      - {id: a, says: s, rule: other.vote before other.ceasfire}
"""


def test_format_errors_are_located_with_help(write, cli):
    write("s.yaml", BAD)
    result = cli("validate", "s.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    err = result.stderr
    for where, message, hint in [
        ("s.yaml:5:36", "step 'ceasefire' is listed twice", "each step is listed once"),
        ("s.yaml:5:47", "'before' is a word of the rule language and cannot name a step", "rename it, e.g. "
                                                                                          "'before_step'"),
        ("s.yaml:6:16", "'referendm' is not a step of issue 'timeline'", None),
        ("s.yaml:10:17", "sequence issue 'other' is a strict order: the present steps take the phases 1..2, one "
                         "each", "e.g. ceasefire: 1, vote: 2"),
        ("s.yaml:11:61", "'c' is not a step of issue 'third'", "its steps are a, b"),
        ("s.yaml:12:48", "phases must be a whole number, 1 or more", "leave it out for a strict order"),
        ("s.yaml:16:50", "'ceasfire' is not a step of sequence issue 'other'", "did you mean 'ceasefire'?"),
    ]:
        assert f"error: {message}\n --> {where}" in err or f"error: {message}\n  --> {where}" in err, message
        if hint:
            assert f"= help: {hint}" in err


def test_the_json_schema_has_the_sequence_issue(cli):
    schema = json.loads(cli("schema").stdout)
    assert "sequence" in json.dumps(schema) and "SequenceIssue" in schema["$defs"]
    assert set(schema["$defs"]["SequenceIssue"]["properties"]) >= {"steps", "phases", "optional", "status_quo"}


# -- check, what-if, edit, explain -------------------------------------------------------------------------------

def test_check_shows_the_order_and_its_room(cli):
    result = cli("check", str(SEQUENCES))
    assert result.exit_code == 0
    assert "1 withdrawal then 2 ceasefire then 3 deployment then 4 referendum" in result.stdout
    assert "withdrawal always before ceasefire; ceasefire always before deployment; phases:" in result.stdout
    assert "withdrawal always before deployment" not in result.stdout  # (implied by the two before it)
    doc = json.loads(cli("check", str(SEQUENCES), "--format", "json").stdout)
    assert doc["deal"]["issues"]["timeline"] == {"ceasefire": 2, "withdrawal": 1, "deployment": 3, "referendum": 4}
    room = doc["room"]["timeline"]
    assert room["phases"]["referendum"] == [0, 1, 2, 3, 4] and room["phases"]["withdrawal"] == [1, 2]
    assert {"first": "ceasefire", "second": "withdrawal", "seen": ["after"]} in room["relations"]


def test_set_a_step_in_memory(cli):
    scenario = load_scenario(SEQUENCES)
    edited, _ = apply_edits(scenario, Edits(set=("timeline.referendum=0",)))
    fact = edited.rule("facts/set-timeline_referendum")
    assert fact.text == "timeline.referendum == 0" and fact.says == "timeline.referendum is settled: left out."
    assert check(edited).deal.values["timeline"].phase("referendum") == 0
    doc = json.loads(cli("check", str(SEQUENCES), "--set", "timeline.referendum=1", "--format", "json").stdout)
    assert doc["deal"]["issues"]["timeline"]["referendum"] == 1


@pytest.mark.parametrize("assignment, message, hint", [
    ("timeline.withdrawal=0", "'0' is not a phase of step 'timeline.withdrawal' (1..4)",
     "give a whole number in 1..4 (it is not optional: it cannot be left out)"),
    ("timeline.ceasefire=5", "'5' is not a phase of step 'timeline.ceasefire' (1..4)", "give a whole number in 1..4"),
    ("timeline.ceasfire=1", "'ceasfire' is not a step of sequence issue 'timeline'", "did you mean 'ceasefire'?"),
    ("timeline=ceasefire=1", "a sequence issue is set one step at a time (timeline.STEP=PHASE)",
     "e.g. --set timeline.ceasefire=1"),
    ("troops.x=1", "'troops' is an int issue; only a sequence issue has steps ('troops.x')",
     "give the issue's value: troops=VALUE"),
])
def test_set_errors(cli, assignment, message, hint):
    result = cli("check", str(SEQUENCES), "--set", assignment)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"error: --set {assignment}: {message}" in result.stderr and f"help: {hint}" in result.stderr


def test_edit_writes_the_step_as_a_fact_and_loads_back(tmp_path, cli):
    target = tmp_path / "scen"
    shutil.copytree(SEQUENCES, target)
    result = cli("edit", str(target), "--set", "timeline.referendum=0", "--write")
    assert result.exit_code == 0, result.stderr
    text = (target / "scenario.yaml").read_text(encoding="utf-8")
    assert "id: set-timeline_referendum" in text and "rule: timeline.referendum == 0" in text
    loaded = load_scenario(target)
    assert loaded.rule("facts/set-timeline_referendum").expr == parse_rule("timeline.referendum == 0")


def test_explain_a_step(cli):
    ruled_out = cli("explain", str(SEQUENCES), "timeline.ceasefire=1")
    assert ruled_out.stdout.startswith("No deal has ceasefire in phase 1 (order of steps); it is ruled out by:")
    assert "russia/withdrawal-first" in ruled_out.stdout
    left_out = cli("explain", str(SEQUENCES), "timeline.referendum=0")
    assert left_out.stdout.startswith("A deal can have referendum left out (order of steps), e.g. this one:")
    wrong = cli("explain", str(SEQUENCES), "timeline.ceasefire=0")
    assert wrong.exit_code == 2 and "'0' is not a phase of step 'timeline.ceasefire' (1..4)" in wrong.stderr


def test_deal_tables_show_one_order_as_a_list_of_phases(cli):
    args = ("check", str(SEQUENCES), "--set", "timeline.referendum=0", "--format")
    text = cli(*args, "text").stdout
    assert "order of steps  1 withdrawal then 2 ceasefire then 3 deployment (left out: referendum)" in text
    markdown = cli(*args, "markdown").stdout
    assert "| order of steps | 1. withdrawal<br>2. ceasefire<br>3. deployment<br>left out: referendum |" in markdown
    html = cli(*args, "html").stdout
    assert ("<ol class='phases'><li value='1'>withdrawal</li><li value='2'>ceasefire</li><li value='3'>deployment"
            "</li></ol><div>left out: referendum</div>") in html


def test_lint_handles_sequences(write, cli):
    """An order statement that always holds is FL201, one that never holds FL202, a step's presence that cannot
    change FL201; a sequence no rule mentions is FL203."""
    write("s.yaml", """
        title: t
        issues:
          timeline: {type: sequence, steps: [a, b, c], phases: 2, optional: [c]}
          unused: {type: sequence, steps: [x, y]}
        parties:
          - party: p
            name: P
            red_lines:
              - {id: r1, says: s, rule: '"a" in timeline or timeline.c == 0'}
              - {id: r2, says: s, rule: a before b or b before a or a == b or "c" in timeline}
            demands:
              - {id: d1, says: s, rule: c before a}
        """)
    done = cli("lint", "s.yaml", "--format", "json", "--select", "FL2")
    assert done.exit_code == 0, done.stderr
    found = {(w["code"], w["message"]) for w in json.loads(done.stdout)["warnings"]}
    assert ("FL201", "this comparison is true for every value of timeline") in found
    assert ("FL203", "no rule mentions issue unused") in found


def test_a_sequence_counts_its_step_phases_against_the_values_limit(write, cli, monkeypatch):
    """One literal per step and phase: steps × (phases + 1) must stay within FEASIBLE_MAX_SET_VALUES."""
    monkeypatch.setenv("FEASIBLE_MAX_SET_VALUES", "20")
    write("s.yaml", """
        title: t
        issues:
          q: {type: sequence, steps: [a, b, c, d, e]}
          r: {type: sequence, steps: [a, b], phases: 9}
        """)
    result = cli("validate", "s.yaml")
    assert result.exit_code == 2
    assert "error: 5 steps × 6 phases (0 included) make 30 step phases, more than the limit of 20\n --> s.yaml:3:" \
        in result.stderr
    assert "r: {" not in result.stderr


def test_a_package_gives_a_sequence_as_step_to_phase(write, cli):
    """The short form (the mapping itself) and the long form ({value: ..., says: ...}) both read as the order."""
    write("s.yaml", """
        title: t
        issues:
          timeline: {type: sequence, steps: [a, b, c], optional: [c]}
        packages:
          plan: {title: A plan, values: {timeline: {b: 1, a: 2}}}
          other: {title: Another, values: {timeline: {value: {a: 1, b: 2, c: 3}, says: in order}}}
          wrong: {title: Wrong, values: {timeline: {a: 1, d: 2}}}
        parties:
          - party: p
            name: P
            red_lines:
              - {id: r, says: a first, rule: a before b}
        """)
    result = cli("validate", "s.yaml")
    assert result.exit_code == 2 and "error: 'd' is not a step of issue 'timeline'\n --> s.yaml:7:" in result.stderr
    write("s.yaml", (Path("s.yaml").read_text(encoding="utf-8")).replace("  wrong: {title: Wrong, values: "
                                                                          "{timeline: {a: 1, d: 2}}}\n", ""))
    text = cli("packages", "s.yaml").stdout
    assert "timeline: 1 b then 2 a (left out: c)" in text and "timeline: 1 a then 2 b then 3 c — “in order”" in text


def test_open_orders_past_the_bound_still_show_the_deal_is_open(cli, monkeypatch):
    """Past ENUMERATE orders the count is not given, but two open orders found show the order is open."""
    from feasible.solver import encoders

    monkeypatch.setattr(encoders, "ENUMERATE", 4)
    doc = json.loads(cli("check", str(SEQUENCES), "--format", "json").stdout)
    assert doc["deal"]["open"]["timeline"]["count"] is None
    assert len(doc["deal"]["open"]["timeline"]["examples"]) == 2
    assert "more orders than counted, e.g. 1 withdrawal then 2 ceasefire" in cli("check", str(SEQUENCES)).stdout
