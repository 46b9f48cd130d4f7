"""Sequence issues: the defects a review found after the kind landed (issue 17), each pinned by a test."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import DATA
from feasible.positions import load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.kinds import issue_type
from feasible.positions.rules import parse_rule
from feasible.positions.sequences import order_edge
from feasible.solver import check
from feasible.solver.result import Room

SEQUENCES = DATA / "sequences"
GENEROUS = 60.0  # seconds: far more than a refutation takes; only an encoding that cannot refute runs out


def _strict(steps: int, rules: list[str], optional: tuple[str, ...] = ()) -> dict:
    issue = {"type": "sequence", "steps": [f"s{i}" for i in range(steps)], **({"optional": list(optional)}
                                                                               if optional else {})}
    return {"title": "pigeonhole", "issues": {"tl": issue},
            "parties": [{"party": "x", "red_lines": [{"id": f"r{i}", "says": "s", "rule": rule}
                                                     for i, rule in enumerate(rules)]}]}


def _load(tmp_path, doc: dict):
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


# -- 1. a strict order is refuted at once where more steps need fewer phases --------------------------------------

@pytest.mark.parametrize("doc", [
    # the optional step must come after the last one: no phase is left for it
    _strict(12, ["s1 before s0", "tl.s1 == 12"], optional=("s0",)),
    # twelve mandatory steps, none in the last phase: eleven phases for twelve steps
    _strict(12, [" and ".join(f"tl.s{i} < 12" for i in range(12))]),
], ids=["optional-after-the-last", "none-in-the-last-phase"])
def test_a_twelve_step_pigeonhole_is_decided_within_the_time_limit(tmp_path, doc):
    result = check(_load(tmp_path, doc), time_limit=GENEROUS, relaxations=0)
    assert result.verdict.value == "no-deal"
    assert result.conflicts_complete and [c.red_lines for c in result.conflicts]


# -- 2. a room cut short states nothing as forced -------------------------------------------------------------------

def test_a_room_cut_short_states_no_forced_relation_of_a_sequence():
    issue = load_scenario(SEQUENCES).issues["timeline"]
    kind = issue_type(issue)
    relations = (("ceasefire", "withdrawal", ("after",)), ("ceasefire", "deployment", ("before",)))
    phases = (("ceasefire", (2,)), ("withdrawal", (1,)), ("deployment", (3,)), ("referendum", (0, 4)))
    whole = Room("timeline", phases=phases, relations=relations, complete=True)
    assert "always before" in kind.room_words(whole)
    cut = kind.room_words(Room("timeline", phases=phases, relations=relations, complete=False))
    assert "always" not in cut and cut == "phases: ceasefire 2, withdrawal 1, deployment 3, referendum 4 or left out"


def test_a_room_cut_short_states_no_value_of_a_set_always_or_never_in():
    scenario = load_scenario(DATA.parent.parent / "positions" / "scenarios" / "three-party-toy.yaml")
    name, issue = next((n, i) for n, i in scenario.issues.items() if i.kind.value == "set")
    kind = issue_type(issue)
    first, second, *rest = issue.values
    room = dict(issue=name, in_every_deal=(first,), in_no_deal=(second,), values=issue.values)
    assert kind.room_words(Room(**room)).startswith(f"always {first}; never {second}")
    cut = kind.room_words(Room(**room, complete=False))
    assert "always" not in cut and "never" not in cut
    assert cut == "open: " + (", ".join(rest) or "none found")


# -- 3. a step's setting and an issue's never share a fact ----------------------------------------------------------

CLASH = """
    title: clash
    issues:
      tl_a: {type: int, min: 0, max: 5}
      tl: {type: sequence, steps: [a, b]}
    parties:
      - party: x
        red_lines:
          - {id: r, says: s, rule: tl_a >= 0}
"""


def test_setting_an_issue_and_a_step_of_the_same_spelling_keeps_both_in_memory(write):
    scenario = load_scenario(write("s.yaml", CLASH))
    edited, _ = apply_edits(scenario, Edits(set=("tl_a=3", "tl.a=2")))
    assert edited.rule("facts/set-tl-a").text == "tl_a == 3"
    assert edited.rule("facts/set-tl_a").text == "tl.a == 2"
    deal = check(edited).deal
    assert deal.values["tl_a"] == 3 and deal.values["tl"].phase("a") == 2


def test_setting_an_issue_and_a_step_of_the_same_spelling_keeps_both_in_the_files(write, cli):
    path = write("s.yaml", CLASH)
    result = cli("edit", str(path), "--set", "tl_a=3", "--set", "tl.a=2", "--write")
    assert result.exit_code == 0, result.stderr
    loaded = load_scenario(path)
    assert loaded.rule("facts/set-tl-a").expr == parse_rule("tl_a == 3")
    assert loaded.rule("facts/set-tl_a").expr == parse_rule("tl.a == 2")


# -- 4. the phases of a value are told apart from a before → after arrow -------------------------------------------

def test_a_change_of_order_reads_before_and_after_apart(cli):
    issue = load_scenario(SEQUENCES).issues["timeline"]
    kind = issue_type(issue)
    value = kind.value_of(issue, {"withdrawal": 1, "ceasefire": 2, "deployment": 3})
    assert kind.show(value) == "1 withdrawal then 2 ceasefire then 3 deployment (left out: referendum)"
    result = cli("check", str(SEQUENCES), "--set", "timeline.referendum=0")
    before_after = ("order of steps: any of 2 orders, e.g. 1 withdrawal then 2 ceasefire then 3 deployment then 4 "
                    "referendum | 1 withdrawal then 2 ceasefire then 3 referendum then 4 deployment → 1 withdrawal "
                    "then 2 ceasefire then 3 deployment (left out: referendum); room ")
    assert before_after in result.stdout


# -- 5. the JSON schema takes a sequence's package value ------------------------------------------------------------

def test_the_json_schema_takes_a_sequence_value_in_a_package(cli):
    schema = json.loads(cli("schema", "--kind", "scenario").stdout)["$defs"]
    by_step = {"patternProperties": {"^[a-z][a-z0-9_]*$": {"type": "integer"}}, "type": "object"}
    short = schema["PackageEntry"]["properties"]["values"]["patternProperties"]["^[a-z][a-z0-9_]*$"]["anyOf"]
    assert by_step in short
    assert by_step in schema["PackageValueEntry"]["properties"]["value"]["anyOf"]


# -- 6. explain's JSON names the step asked about -------------------------------------------------------------------

def test_explain_json_names_the_step_of_the_target(cli):
    doc = json.loads(cli("explain", str(SEQUENCES), "timeline.ceasefire=1", "--format", "json").stdout)
    assert doc["target"] == {"kind": "value", "text": "timeline.ceasefire=1", "issue": "timeline",
                             "step": "ceasefire", "value": 1, "demand": None}
    whole = json.loads(cli("explain", str(SEQUENCES), "timeline=withdrawal=1,ceasefire=2,deployment=3",
                           "--format", "json").stdout)
    assert whole["target"]["step"] is None
    assert whole["target"]["value"] == {"ceasefire": 2, "withdrawal": 1, "deployment": 3, "referendum": 0}


# -- 7. a step may not take a key of a package's long form ----------------------------------------------------------

@pytest.mark.parametrize("key", ["value", "source", "says"])
def test_a_step_named_as_a_key_of_the_long_form_is_a_located_error(write, cli, key):
    write("s.yaml", f"""
        title: t
        issues:
          tl: {{type: sequence, steps: [ceasefire, {key}], optional: [{key}]}}
        parties:
          - party: x
            red_lines:
              - {{id: r, says: s, rule: ceasefire before {key}}}
    """)
    result = cli("validate", "s.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert (f"error: '{key}' is a key of a package's long form ({{value, source, says}}) and cannot name a step\n"
            " --> s.yaml:3:43") in result.stderr
    assert f"= help: rename it, e.g. '{key}_step'" in result.stderr


def test_both_forms_of_a_sequence_value_in_a_package_load(write):
    scenario = load_scenario(write("s.yaml", """
        title: t
        issues:
          tl: {type: sequence, steps: [ceasefire, withdrawal]}
        packages:
          short: {title: Short, values: {tl: {ceasefire: 1, withdrawal: 2}}}
          long: {title: Long, values: {tl: {value: {ceasefire: 2, withdrawal: 1}, says: withdrawal first}}}
        parties:
          - party: x
            red_lines:
              - {id: r, says: s, rule: withdrawal before ceasefire}
    """))
    values = {p.name: p.values[0].value for p in scenario.packages}
    assert dict(values["short"]) == {"ceasefire": 1, "withdrawal": 2}
    assert dict(values["long"]) == {"ceasefire": 2, "withdrawal": 1}


# -- 8. messages: a mandatory step left out; a bare name both a step and an enum value -----------------------------

def test_a_mandatory_step_left_out_of_a_status_quo_or_a_package_says_so(write, cli):
    write("s.yaml", """
        title: t
        issues:
          tl: {type: sequence, steps: [a, b], status_quo: {a: 1}}
        packages:
          p: {title: P, values: {tl: {b: 1}}}
        parties:
          - party: x
            red_lines:
              - {id: r, says: s, rule: a before b}
    """)
    err = cli("validate", "s.yaml").stderr
    assert "error: step 'b' is not optional: it cannot be left out (phase 0)\n --> s.yaml:3:51" in err
    assert "error: step 'a' is not optional: it cannot be left out (phase 0)\n --> s.yaml:5:30" in err
    assert "whole number" not in err


ENUM_AND_STEP = """
    title: t
    issues:
      e: {{type: enum, values: [ceasefire, other]}}
      tl: {{type: sequence, steps: [ceasefire, vote]}}
    parties:
      - party: x
        red_lines:
          - {{id: r, says: s, rule: '{rule}'}}
"""


@pytest.mark.parametrize("rule, column", [("e == ceasefire", 38), ("ceasefire != e", 33)])
def test_a_bare_step_that_is_also_a_value_of_the_enum_compared_says_to_quote(write, cli, rule, column):
    write("s.yaml", ENUM_AND_STEP.format(rule=rule))
    result = cli("validate", "s.yaml")
    assert result.exit_code == 2
    assert ("error: 'ceasefire' is read as the step tl.ceasefire here; values must be quoted\n"
            f" --> s.yaml:8:{column}") in result.stderr
    assert '= help: write "ceasefire"' in result.stderr


def test_a_dotted_step_compared_with_an_enum_is_still_a_type_error(write, cli):
    write("s.yaml", ENUM_AND_STEP.format(rule="e == tl.ceasefire"))
    assert "error: cannot compare the enum issue 'e' with a number" in cli("validate", "s.yaml").stderr


# -- 9. a step ordered with itself (`<`, `>`, `before`, `after`; `==`, `<=` are as for any number) ---------------------

@pytest.mark.parametrize("rule, message", [
    ("tl.ceasefire <= tl.ceasefire", None),
    ("tl.ceasefire < tl.ceasefire", "'tl.ceasefire < tl.ceasefire' orders a step with itself"),
    ("vote > tl.vote", "'tl.vote > tl.vote' orders a step with itself"),
    ("ceasefire before ceasefire", "'tl.ceasefire before tl.ceasefire' orders a step with itself"),
])
def test_a_step_compared_or_ordered_with_itself_is_a_located_error(write, cli, rule, message):
    write("s.yaml", ENUM_AND_STEP.format(rule=rule))
    result = cli("validate", "s.yaml")
    if message is None:  # a tautology, as `n <= n` is for an int issue n
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 2 and f"error: {message}\n --> s.yaml:8:33" in result.stderr


@pytest.mark.parametrize("text", ["tl.a < tl.a", "tl.a > tl.a", "tl.a before tl.a"])
def test_a_step_ordered_with_itself_is_no_edge(text):
    """(the checker refuses these rules; order_edge still never makes them a one-edge cycle)"""
    assert order_edge(parse_rule(text)) is None
