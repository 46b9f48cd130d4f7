"""Uncertain positions in the files (issue 18): `firm:`, `firm_note:`, `weight: [LO, HI]` and readings' `p:`.

What they load as (exact probabilities, the nominal weight), every way of writing them wrong as a located error,
the refusals (a demand's or a fact's firmness, a red line's range, uncertainty in an overlay or a reading's
changes), and the edits that make a weight exact or a red line a demand, in memory and in the files.
"""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import invoke
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.errors import InvalidScenario
from feasible.positions.loader import load_scenario
from feasible.positions.readings import under_readings
from feasible.positions.rewrite import plan_edits, write_plan
from feasible.positions.uncertainty import uncertain

LAKE = Path(__file__).parent / "data" / "whatif" / "lake"

HEAD = """\
title: Uncertain
issues:
  flag: {type: bool}
  cap: {type: int, min: 0, max: 10}
facts:
  - {id: f, says: s, rule: cap >= 0}
parties:
  - party: a
    red_lines:
      - {id: r, says: s, rule: flag}
    demands:
      - {id: d, says: s, rule: cap <= 3, weight: 2}
"""


def loaded(tmp_path: Path, text: str):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return load_scenario(path)


def problems(tmp_path: Path, text: str) -> list:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    return caught.value.diagnostics


# -- what they load as ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, firm", [("0.7", Fraction(7, 10)), ("0.1", Fraction(1, 10)), ("0", Fraction(0)),
                                           ("0.333", Fraction(333, 1000)), ("1", None), ("1.0", None)])
def test_firm_is_the_decimal_as_written(tmp_path, written, firm):
    scenario = loaded(tmp_path, HEAD.replace("rule: flag}", f"rule: flag, firm: {written}}}"))
    assert scenario.rule("a/r").firm == firm


def test_firm_note_and_weight_range(tmp_path):
    text = HEAD.replace("rule: flag}", "rule: flag, firm: 0.9, firm_note: 'Said twice [S1].'}").replace(
        "weight: 2}", "weight: [1, 4]}")
    scenario = loaded(tmp_path, text)
    assert scenario.rule("a/r").firm_note == "Said twice [S1]."
    demand = scenario.rule("a/d")
    assert demand.weight == 2 and demand.weight_range == (1, 4)  # the nominal weight: (1 + 4) // 2


def test_a_file_without_the_keys_loads_as_before(tmp_path):
    rules = loaded(tmp_path, HEAD).rules()
    assert all(r.firm is None and r.firm_note is None and r.weight_range is None for r in rules)


# -- every other command answers at the nominal weight and says nothing new -----------------------------------------

NOMINAL = HEAD.replace("rule: flag}", "rule: flag}  # firm: 0.6").replace("weight: 2}", "weight: 2}  # [1, 3]")
UNCERTAIN = HEAD.replace("rule: flag}", "rule: flag, firm: 0.6}").replace("weight: 2}", "weight: [1, 3]}")


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["check"], ["explain", "flag=false"],
                                     ["lint", "--format", "json"], ["report", "--format", "markdown"]])
def test_other_commands_say_the_same_as_at_the_nominal_weight(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nominal.yaml").write_text(NOMINAL)
    (tmp_path / "uncertain.yaml").write_text(UNCERTAIN)
    nominal = invoke(command[0], "nominal.yaml", *command[1:])
    given = invoke(command[0], "uncertain.yaml", *command[1:])
    assert given.exit_code == nominal.exit_code
    assert given.stdout.replace("uncertain.yaml", "nominal.yaml") == nominal.stdout


# -- located errors ---------------------------------------------------------------------------------------------------

BAD = [  # (what replaces what in HEAD, the message, what it points at in the changed text, a word of the hint)
    (("weight: 2}", "weight: 2, firm: 0.5}"), "a demand has no firmness", "firm: 0.5", "weight: [1, 3]"),
    (("rule: cap >= 0}", "rule: cap >= 0, firm: 0.5}"), "a fact takes no firm", "firm: 0.5", "red line"),
    (("rule: cap >= 0}", "rule: cap >= 0, firm_note: x}"), "a fact takes no firm_note", "firm_note", "red line"),
    (("rule: flag}", "rule: flag, firm: 1.5}"), "firm is a probability from 0 to 1, not 1.5", "1.5}", "0.7"),
    (("rule: flag}", "rule: flag, firm: -0.1}"), "firm is a probability from 0 to 1", "-0.1}", "0.7"),
    (("rule: flag}", "rule: flag, firm: .nan}"), "firm is a probability from 0 to 1", ".nan}", "0.7"),
    (("rule: flag}", "rule: flag, firm: '0.7'}"), "'firm' should be a number, not the text '0.7'", "'0.7'", "0.7"),
    (("rule: flag}", "rule: flag, firm: true}"), "'firm' should be a number", "true}", "0.7"),
    (("rule: flag}", "rule: flag, firm_note: why}"), "there is no firm: here", "firm_note", "add firm: P"),
    (("rule: flag}", "rule: flag, weight: [1, 3]}"), "a red line's weight is the cost of giving it up", "[1, 3]",
     "firm: P"),
    (("weight: 2}", "weight: [2]}"), "a weight range is two whole numbers [LO, HI], not 1", "[2]", "[1, 3]"),
    (("weight: 2}", "weight: [1, 2, 3]}"), "two whole numbers [LO, HI], not 3", "[1, 2, 3]", "[1, 3]"),
    (("weight: 2}", "weight: []}"), "two whole numbers [LO, HI], not 0", "[]", "[1, 3]"),
    (("weight: 2}", "weight: [0, 2]}"), "a weight is 1 or more, not 0", "0, 2]", "[1, 3]"),
    (("weight: 2}", "weight: [1, -3]}"), "a weight is 1 or more, not -3", "-3]", "[1, 3]"),  # (not "write [-3, 1]")
    (("weight: 2}", "weight: [3, 3]}"), "has LO below HI, not [3, 3]", "[3, 3]", "weight: 3"),
    (("weight: 2}", "weight: [3, 1]}"), "has LO below HI, not [3, 1]", "[3, 1]", "[1, 3]"),
    (("weight: 2}", "weight: [1, x]}"), "'weight' should be a whole number, not the text 'x'", "x]", None),
    (("weight: 2}", "weight: [1, 2000000]}"), "the weight 2,000,000 is more than the limit of 1,000,000", "2000000",
     "FEASIBLE_MAX_WEIGHT"),
    (("weight: 2}", "weight: [1, 5000]}"), "spans 5,000 weights, more than the limit of 1,000", "[1, 5000]",
     "FEASIBLE_MAX_WEIGHT_VALUES"),
]


def place(text: str, marker: str) -> tuple[int, int]:
    """The line and column where `marker` is in `text` (it is there once)."""
    assert text.count(marker) == 1, marker
    before = text[:text.index(marker)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


@pytest.mark.parametrize("change, message, marker, hint", BAD, ids=[b[1][:40] for b in BAD])
def test_each_mistake_is_a_located_error_with_a_fix(tmp_path, change, message, marker, hint):
    text = HEAD.replace(*change)
    found = problems(tmp_path, text)
    assert len(found) == 1, [d.message for d in found]
    problem = found[0]
    assert message in problem.message
    assert (problem.location.line, problem.location.column) == place(text, marker)
    assert hint is None or hint in problem.hint


def test_the_command_line_shows_the_caret_and_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(HEAD.replace("rule: flag}", "rule: flag, firm: 1.5}"))
    result = invoke("check", "s.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.stderr + result.stdout
    assert "s.yaml:%d:%d" % place(HEAD.replace("rule: flag}", "rule: flag, firm: 1.5}"), "1.5}") in result.stderr
    assert "^^^" in result.stderr
    assert "firm is a probability from 0 to 1, not 1.5" in result.stderr


# -- readings' p: -----------------------------------------------------------------------------------------------------

QUESTION = """
questions:
  cap:
    asks: Is South's cap a red line?
    readings: [cap-firm, cap-soft, cap-gone]
readings:
  cap-firm:
    title: South's cap as written
    p: {firm}
  cap-soft:
    title: South's cap as a demand
    p: {soft}
    demote: [south/river-keeps-flowing]
  cap-gone:
    title: No cap
    p: {gone}
    drop: [south/river-keeps-flowing]
  dry-year:
    title: A dry year
    drop: [north/build-dam]
"""


def lake_with(tmp_path: Path, extra: str) -> Path:
    scen = tmp_path / "lake"
    if scen.exists():
        shutil.rmtree(scen)
    shutil.copytree(LAKE, scen)
    (scen / "scenario.yaml").write_text((scen / "scenario.yaml").read_text() + extra)
    return scen


def test_p_is_exact_and_sums_to_one_as_decimals(tmp_path):
    # as floats, 0.1 + 0.2 + 0.7 is not 1; as the decimals written, it is
    scenario = load_scenario(lake_with(tmp_path, QUESTION.format(firm="0.1", soft="0.2", gone="0.7")))
    assert [r.p for r in scenario.readings] == [Fraction(1, 10), Fraction(1, 5), Fraction(7, 10), None]
    item = uncertain(scenario).items[0]
    assert item.values == ("cap-firm", "cap-soft", "cap-gone") and sum(item.probabilities) == 1


def lake_problems(tmp_path: Path, extra: str) -> list:
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(lake_with(tmp_path, extra))
    return caught.value.diagnostics


def line_of(tmp_path: Path, text: str) -> int:
    """The line of the lake's scenario.yaml that holds `text` (there is one)."""
    lines = (tmp_path / "lake" / "scenario.yaml").read_text().splitlines()
    found = [i for i, line in enumerate(lines, 1) if line.strip() == text or text.endswith("}") and text in line]
    assert len(found) == 1, text
    return found[0]


def test_a_question_whose_p_do_not_sum_to_one(tmp_path):
    found = lake_problems(tmp_path, QUESTION.format(firm="0.25", soft="0.5", gone="0.2"))
    assert [d.message for d in found] == ["the readings of question 'cap' have probabilities summing to 0.95 (0.25 "
                                          "+ 0.5 + 0.2), not 1"]
    assert found[0].location.line == line_of(tmp_path, "p: 0.2") and "exactly 1" in found[0].hint


def test_a_reading_of_a_question_without_p(tmp_path):
    text = QUESTION.format(firm="0.5", soft="0.5", gone="0").replace("    p: 0\n", "")
    found = lake_problems(tmp_path, text)
    assert [d.message for d in found] == ["question 'cap': its readings have p: all or none, and cap-gone has none"]
    assert found[0].location.line == line_of(tmp_path, "cap:") and "or none" in found[0].hint


def test_p_on_a_reading_in_no_question(tmp_path):
    text = QUESTION.format(firm="0.5", soft="0.5", gone="0").replace("drop: [north/build-dam]",
                                                                    "drop: [north/build-dam]\n    p: 0.125")
    found = lake_problems(tmp_path, text)
    assert [d.message for d in found] == ["reading 'dry-year' answers no question: p: is the probability of a "
                                          "reading among its question's"]
    assert found[0].location.line == line_of(tmp_path, "p: 0.125") and "question's readings" in found[0].hint


@pytest.mark.parametrize("written, message", [("1.5", "p is a probability from 0 to 1, not 1.5"),
                                              ("'half'", "'p' should be a number, not the text 'half'")])
def test_p_is_a_probability(tmp_path, written, message):
    found = lake_problems(tmp_path, QUESTION.format(firm=written, soft="0.5", gone="0"))
    assert message in found[0].message and found[0].location.line == line_of(tmp_path, f"p: {written}")


# -- refused in an overlay and in a reading's changes ---------------------------------------------------------------

IN_CHANGES = "uncertainty is stated on the positions as written; a reading is itself an uncertain item"


@pytest.mark.parametrize("overlay", [
    "party: south\nred_lines:\n  - {id: river-keeps-flowing, says: s, rule: extraction_cap <= 700, firm: 0.5}\n",
    "parties:\n  - party: north\n    demands:\n      - {id: build-dam, says: s, rule: joint_authority, "
    "weight: [1, 3]}\n",
    "parties:\n  - party: north\n    red_lines:\n      - {id: x, says: s, rule: joint_authority, firm_note: n}\n",
])
def test_an_overlay_states_no_uncertainty(tmp_path, monkeypatch, overlay):
    monkeypatch.chdir(tmp_path)
    scen = lake_with(tmp_path, "")
    (tmp_path / "over.yaml").write_text(overlay)
    result = invoke("check", str(scen), "--with", "over.yaml")
    assert result.exit_code == 2 and IN_CHANGES in result.stderr and "over.yaml:" in result.stderr


@pytest.mark.parametrize("change, line", [
    ("    parties:\n      - party: north\n        red_lines:\n          - {id: x, says: s, rule: joint_authority, "
     "firm: 0.5}\n", "- {id: x, says: s, rule: joint_authority, firm: 0.5}"),
    ("    weight: {north/build-dam: [1, 3]}\n", "weight: {north/build-dam: [1, 3]}"),
    ("    firm: 0.5\n", "firm: 0.5"),
])
def test_a_reading_states_no_uncertainty_in_its_changes(tmp_path, change, line):
    found = lake_problems(tmp_path, "readings:\n  soft:\n    title: t\n" + change)
    assert [d.message for d in found] == [IN_CHANGES] and "p:" in found[0].hint
    assert found[0].location.line == line_of(tmp_path, line)


# -- an exact weight removes the range, a demotion the firmness: in memory and in the files --------------------------

def uncertain_lake(tmp_path: Path) -> Path:
    scen = lake_with(tmp_path, "")
    north = scen / "north.yaml"
    text = north.read_text()
    text = text.replace("rule: extraction_cap >= 400", "rule: extraction_cap >= 400\n    firm: 0.8\n"
                        "    firm_note: Said once.", 1)
    south = scen / "south.yaml"
    assert "weight: 2" in south.read_text()
    south.write_text(south.read_text().replace("weight: 2", "weight: [1, 3]", 1))
    north.write_text(text)
    return scen


def test_weight_and_demote_edits_in_memory(tmp_path):
    scenario = load_scenario(uncertain_lake(tmp_path))
    assert scenario.rule("south/best-treatment").weight_range == (1, 3)
    edited, _ = apply_edits(scenario, Edits(weight=("south/best-treatment=3",), demote=("north/enough-water",)))
    assert edited.rule("south/best-treatment").weight_range is None and edited.rule("south/best-treatment").weight == 3
    demoted = edited.rule("north/enough-water")
    assert demoted.firm is None and demoted.firm_note is None and demoted.weight == 2


def test_a_readings_weight_removes_the_range(tmp_path):
    scen = uncertain_lake(tmp_path)
    (scen / "scenario.yaml").write_text((scen / "scenario.yaml").read_text()
                                        + "readings:\n  w:\n    title: t\n    weight: {south/best-treatment: 2}\n")
    under = under_readings(load_scenario(scen), ["w"])
    assert under.rule("south/best-treatment").weight_range is None
    assert [i.name for i in uncertain(load_scenario(scen), ["w"]).items] == ["north/enough-water"]


@pytest.mark.parametrize("edits", [Edits(weight=("south/best-treatment=2",)), Edits(demote=("north/enough-water",)),
                                   Edits(demote=("north/enough-water",), weight=("north/enough-water=5",))])
def test_edit_writes_what_the_edit_means(tmp_path, edits):
    scen = uncertain_lake(tmp_path)
    in_memory, _ = apply_edits(load_scenario(scen), edits)
    write_plan(plan_edits(scen, edits))
    written = load_scenario(scen)
    for name in ("south/best-treatment", "north/enough-water"):
        a, b = written.rule(name), in_memory.rule(name)
        assert (a.kind, a.weight, a.weight_range, a.firm, a.firm_note) == (b.kind, b.weight, b.weight_range, b.firm,
                                                                           b.firm_note)
    text = (scen / "north.yaml").read_text() + (scen / "south.yaml").read_text()
    assert ("firm" in text) == (not edits.demote)
    assert ("[1, 3]" in text) == (not any(w.startswith("south/") for w in edits.weight))


def test_an_overlay_putting_the_same_rule_in_place_makes_it_firm_in_the_files_too(tmp_path):
    scen = uncertain_lake(tmp_path)
    overlay = tmp_path / "same.yaml"
    overlay.write_text("party: north\nred_lines:\n  - id: enough-water\n    says: North's farms need at least 400 "
                       "million litres a year.\n    rule: extraction_cap >= 400\n    weight: 2\n")
    in_memory, _ = apply_edits(load_scenario(scen), Edits(overlays=(str(overlay),)))
    assert in_memory.rule("north/enough-water").firm is None
    write_plan(plan_edits(scen, Edits(overlays=(str(overlay),))))
    assert load_scenario(scen).rule("north/enough-water").firm is None


def test_the_json_schema_describes_the_keys():
    result = invoke("schema", "--kind", "party")
    entry = json.loads(result.stdout)["$defs"]["RuleEntry"]["properties"]
    assert {"firm", "firm_note"} <= set(entry)
    assert entry["firm"]["anyOf"][0]["maximum"] == 1
    assert [form["type"] for form in entry["weight"]["oneOf"]] == ["integer", "array"]
