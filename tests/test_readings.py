"""Readings and questions in scenario.yaml (positions/readings.py): loading them, choosing them, combining them."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from feasible.positions.dates import as_of
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.errors import InvalidScenario, UserError
from feasible.positions.loader import load_scenario
from feasible.positions.readings import combinations, under_readings
from feasible.solver import check
from solver_support import GENEROUS

LAKE = Path(__file__).parent / "data" / "whatif" / "lake"

READINGS = """
questions:
  cap:
    asks: Is South's cap a red line?
    readings: [cap-firm, cap-soft]
  chair:
    asks: Who may chair?
    readings: [any-chair, north-barred, south-barred]
    default: any-chair
readings:
  cap-firm:
    title: South's cap as written
  cap-soft:
    title: South's cap as a demand
    source: lake survey
    demote: [south/river-keeps-flowing]
    weight: {south/river-keeps-flowing: 3}
  any-chair:
    title: Any town may chair
  north-barred:
    title: North may not chair
    facts:
      - id: north-not-chair
        says: North does not chair.
        rule: chair != "north"
  south-barred:
    title: South may not chair
    set: [chair=east]
  dry-year:
    title: A dry year
    valid_from: 2026-01-28
    valid_until: 2026-06-01
    drop: [north/build-dam]
"""


@pytest.fixture
def lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """write_lake(extra) -> the lake scenario (a copy) with `extra` appended to its scenario.yaml."""
    monkeypatch.chdir(tmp_path)

    def write_lake(extra: str = READINGS) -> Path:
        scen = tmp_path / "scen"
        if scen.exists():
            shutil.rmtree(scen)
        shutil.copytree(LAKE, scen)
        head = scen / "scenario.yaml"
        head.write_text(head.read_text() + extra)
        return scen

    return write_lake


def test_a_scenario_without_readings_loads_as_before():
    scenario = load_scenario(LAKE)
    assert scenario.readings == () and scenario.questions == () and scenario.readings_used == ()
    assert combinations(scenario) == [()]
    assert under_readings(scenario, []) == scenario


def test_readings_and_questions_load_with_their_defaults_and_dates(lake):
    scenario = load_scenario(lake())
    assert [r.name for r in scenario.readings] == ["cap-firm", "cap-soft", "any-chair", "north-barred",
                                                   "south-barred", "dry-year"]
    cap, chair = scenario.questions
    assert (cap.default, chair.default) == ("cap-firm", "any-chair")
    dry = scenario.readings[-1]
    assert (str(dry.valid_from), str(dry.valid_until)) == ("2026-01-28", "2026-06-01")
    assert not scenario.readings[0].changes and scenario.readings[1].changes
    assert scenario.readings[1].touches == {"south/river-keeps-flowing"}
    assert scenario.readings[1].source_ids == ("lake survey",)
    assert str(scenario.questions[0].location).startswith("scen/scenario.yaml:")


def test_combinations_are_the_product_in_declaration_order_defaults_first(lake):
    scenario = load_scenario(lake())
    assert combinations(scenario) == [
        ("cap-firm", "any-chair"), ("cap-firm", "north-barred"), ("cap-firm", "south-barred"),
        ("cap-soft", "any-chair"), ("cap-soft", "north-barred"), ("cap-soft", "south-barred")]
    assert combinations(scenario, ["chair"]) == [("any-chair",), ("north-barred",), ("south-barred",)]
    assert combinations(scenario, ["chair", "cap"]) == combinations(scenario)  # the scenario's order
    with pytest.raises(UserError) as caught:
        combinations(scenario, ["chiar"])
    assert "no question 'chiar'" in caught.value.message and "'chair'" in (caught.value.hint or "")


def test_a_default_other_than_the_first_comes_first(lake):
    scenario = load_scenario(lake(READINGS.replace("default: any-chair", "default: south-barred").replace(
        "    set: [chair=east]\n", "").replace("  any-chair:\n    title: Any town may chair\n",
                                              "  any-chair:\n    title: Any town may chair\n    set: [chair=east]\n")))
    assert combinations(scenario, ["chair"]) == [("south-barred",), ("any-chair",), ("north-barred",)]


def test_under_readings_is_the_scenario_with_the_readings_changes_as_what_if_edits(lake):
    scenario = load_scenario(lake())
    chosen = under_readings(scenario, ["north-barred", "cap-soft"])
    assert chosen.readings_used == ("cap-soft", "north-barred")  # the scenario's order, whatever the order given
    edited, _ = apply_edits(scenario, Edits(demote=("south/river-keeps-flowing",),
                                            weight=("south/river-keeps-flowing=3",)))
    assert chosen.party("south") == edited.party("south")
    assert chosen.rule("facts/north-not-chair").says == "North does not chair."
    assert chosen.rule("south/river-keeps-flowing").weight == 3
    defaults = under_readings(scenario, ["any-chair", "cap-firm"])
    assert defaults.rules() == scenario.rules() and defaults.readings_used == ("cap-firm", "any-chair")


@pytest.mark.parametrize("names, message, hint", [
    (["cap-sfot"], "--reading cap-sfot: no such reading", "did you mean 'cap-soft'"),
    (["north-barred", "south-barred"], "answer the same question 'chair'", "choose one of them"),
    (["cap-firm", "cap-soft"], "answer the same question 'cap'", "choose one of them"),
])
def test_under_readings_refuses_unknown_names_and_two_answers_to_one_question(lake, names, message, hint):
    scenario = load_scenario(lake())
    with pytest.raises(UserError) as caught:
        under_readings(scenario, names)
    assert message in caught.value.message and hint in (caught.value.hint or "")


def test_a_reading_in_no_question_that_changes_what_another_changes_is_refused_when_both_are_chosen(lake):
    extra = READINGS + "  dam-wanted-more:\n    title: T\n    weight: {north/build-dam: 3}\n"
    scenario = as_of(load_scenario(lake(extra)), date(2026, 2, 1))  # a day the dry year holds
    with pytest.raises(UserError) as caught:
        under_readings(scenario, ["dry-year", "dam-wanted-more"])
    assert "both change north/build-dam" in caught.value.message


@pytest.mark.parametrize("day, holds", [(None, False), (date(2026, 1, 27), False), (date(2026, 1, 28), True),
                                        (date(2026, 5, 31), True), (date(2026, 6, 1), False)])
def test_a_dated_reading_holds_only_on_the_days_it_names(lake, day, holds):
    """valid_from inclusive, valid_until exclusive, as for rules; with no day (after the last dated change) only
    what has no end still holds."""
    scenario = as_of(load_scenario(lake()), day)
    if holds:
        assert under_readings(scenario, ["dry-year"]).readings_used == ("dry-year",)
        return
    with pytest.raises(UserError) as caught:
        under_readings(scenario, ["dry-year"])
    assert "--reading dry-year holds from 2026-01-28 and until 2026-06-01 (exclusive)" in caught.value.message
    expected = "2026-01-28" if day is not None and day < date(2026, 1, 28) else "2026-05-31"
    assert f"--as-of {expected}" in (caught.value.hint or "")


def test_the_combinations_of_a_day_leave_out_the_readings_that_do_not_hold_then(lake):
    extra = READINGS.replace("    title: North may not chair\n", "    title: North may not chair\n"
                                                                   "    valid_until: 2026-03-01\n")
    scenario = load_scenario(lake(extra))
    assert ("cap-firm", "north-barred") not in combinations(scenario)  # after the last change: it has ended
    assert ("cap-firm", "any-chair") in combinations(scenario)  # a default is the files as written: always there
    assert ("cap-firm", "north-barred") in combinations(as_of(scenario, date(2026, 2, 1)))
    assert len(combinations(as_of(scenario, date(2026, 2, 1)))) == 6
    assert len(combinations(scenario)) == 4


def test_under_readings_without_readings_says_so():
    with pytest.raises(UserError) as caught:
        under_readings(load_scenario(LAKE), ["nato-only"])
    assert "declares no readings" in (caught.value.hint or "")


# -- the shipped scenario --------------------------------------------------------------------------------------------

def test_the_ukraine_scenario_asks_four_questions():
    scenario = load_scenario("ukraine-2026")
    assert [(q.name, q.default) for q in scenario.questions] == [
        ("russia-veto-scope", "includes-us"), ("coalition-force", "force-red-line"),
        ("nato-consensus", "nato-consensus-settled"), ("us-commitment", "us-december-offer")]
    assert len(combinations(scenario)) == 2 * 3 * 2 * 2
    assert combinations(scenario)[0] == tuple(q.default for q in scenario.questions)
    standalone = next(r for r in scenario.readings if r.name == "eu-no-2027-date")
    assert str(standalone.valid_from) == "2026-01-28"
    assert all(r.title and r.source_ids for r in scenario.readings)


# -- located errors --------------------------------------------------------------------------------------------------

BAD = [
    ("questions:\n  q:\n    asks: A?\n    readings: [a, bb]\nreadings:\n  a: {title: A}\n  b: {title: B, "
     "drop: [north/build-dam]}\n", "no reading 'bb'", "did you mean 'b'?", ":"),
    ("questions:\n  q:\n    asks: A?\n    readings: [a, b]\n  r:\n    asks: R?\n    readings: [c, b]\nreadings:\n"
     "  a: {title: A}\n  b: {title: B, drop: [north/build-dam]}\n  c: {title: C}\n",
     "reading 'b' is already in question 'q'", "a reading answers one question", ":"),
    ("questions:\n  q:\n    asks: A?\n    readings: [a, b]\n    default: bb\nreadings:\n  a: {title: A}\n"
     "  b: {title: B}\n", "the default 'bb' is not one of the question's readings", "did you mean 'b'?", ":"),
    ("questions:\n  q:\n    asks: A?\n    readings: [a, b]\nreadings:\n  a: {title: A, drop: [north/build-dam]}\n"
     "  b: {title: B}\n", "reading 'a' is the default of question 'q'", "make another reading the default", ":"),
    ("questions:\n  q:\n    asks: A?\n    readings: [a]\nreadings:\n  a: {title: A}\n",
     "a question needs two readings at least", None, ":"),
    ("readings:\n  a:\n    title: A\n    drop: [north/build-dma]\n", "reading 'a': drop north/build-dma: no red "
     "line, demand or fact matches", "did you mean 'north/build-dam'?", "drop: [north/build-dma]"),
    ("readings:\n  a:\n    title: A\n    demote: [north/build-dam]\n", "reading 'a': demote north/build-dam: no "
     "such red line", "it is not a red line", "demote: [north/build-dam]"),
    ("readings:\n  a:\n    title: A\n    weight: {north/enough-water: 2}\n", "north/enough-water is a red line",
     "--demote north/enough-water", "weight: {north/enough-water: 2}"),
    ("readings:\n  a:\n    title: A\n    weight: {north/build-dma: 2}\n", "no such demand",
     "did you mean 'north/build-dam'?", "weight:"),
    ("readings:\n  a:\n    title: A\n    set: [chair=west]\n", "set chair=west", "east", "set: [chair=west]"),
    ("readings:\n  a:\n    title: A\n    set: [chiar=north]\n", "unknown issue 'chiar'", "did you mean 'chair'?",
     "set:"),
    ("readings:\n  a:\n    title: A\n    weight: {north/build-dam: 0}\n", "weight must be a positive whole number",
     None, "weight:"),
    ("readings:\n  a:\n    title: A\n    facts:\n      - id: f\n        says: F.\n        rule: chiar == \"north\"\n",
     "chiar", "chair", "rule: chiar"),
    ("readings:\n  a:\n    title: A\n    parties:\n      - party: north\n        demands:\n          - id: nope\n"
     "            drop: true\n", "reading 'a': cannot drop north/nope: there is no such rule", None, "party: north"),
    ("readings:\n  a:\n    title: A\n    source: S9\n", "unknown source 'S9'", None, "source: S9"),
    ("readings:\n  a:\n    title: A\n    valid_from: 2026-02-30\n", "'2026-02-30' is not a date", "YYYY-MM-DD",
     "valid_from"),
    ("readings:\n  a:\n    title: A\n    valid_from: 8 January 2026\n", "'8 January 2026' is not a date",
     "YYYY-MM-DD", "valid_from"),
    ("readings:\n  a:\n    title: A\n    valid_from: 2026-02-01\n    valid_until: 2026-02-01\n",
     "valid_until (2026-02-01) is not after valid_from (2026-02-01)", None, "valid_until"),
    ("readings:\n  a:\n    title: A\n    dorp: [x]\n", "unknown key 'dorp'", "did you mean 'drop'?", "dorp"),
    ("readings:\n  Bad Name:\n    title: A\n", "'Bad Name' is not a valid id", "reading and question names",
     "Bad Name"),
    ("questions:\n  q:\n    asks: A?\n    readings: [a, b]\n  r:\n    asks: R?\n    readings: [c, d]\nreadings:\n"
     "  a: {title: A}\n  b: {title: B, drop: [north/build-dam]}\n  c: {title: C}\n"
     "  d: {title: D, weight: {north/build-dam: 3}}\n",
     "readings 'b' (question 'q') and 'd' (question 'r') both change north/build-dam", "one question", "d:"),
]


@pytest.mark.parametrize("extra, message, hint, line", BAD)
def test_a_bad_reading_or_question_is_a_located_error(lake, extra, message, hint, line):
    sources = "sources:\n  - {id: S1, title: A source}\n" if "S9" in extra else ""
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(lake(sources + extra))
    found = [d for d in caught.value.diagnostics if message in d.message]
    assert found, [d.message for d in caught.value.diagnostics]
    problem = found[0]
    assert problem.location is not None and problem.location.file == "scen/scenario.yaml"
    assert line in problem.line_text
    if hint is not None:
        assert hint in (problem.hint or "")


def test_the_json_schema_describes_questions_and_readings():
    import json

    from feasible.positions.schema import json_schema_text

    schema = json.loads(json_schema_text("scenario"))
    assert {"questions", "readings"} <= set(schema["properties"])
    reading = schema["$defs"]["ReadingEntry"]
    assert set(reading["properties"]) == {"title", "description", "source", "valid_from", "valid_until", "facts",
                                          "parties", "drop", "demote", "weight", "set", "p"}
    assert reading["required"] == ["title"] and reading["additionalProperties"] is False
    assert set(schema["$defs"]["QuestionEntry"]["required"]) == {"asks", "readings"}


ORDERED = """\
title: Order
issues:
  a: {type: bool}
  b: {type: bool}
facts:
  - {id: f1, says: b holds, rule: b}
parties:
  - party: p
    name: P
    red_lines:
      - {id: r1, says: a or b, rule: a or b}
    demands:
      - {id: d1, says: a, rule: a}
questions:
%s
readings:
  open: {title: a open}
  a-false: {title: a settled false, set: ["a=false"]}
  facts-in: {title: facts in}
  no-facts: {title: no facts, drop: ["facts/*"]}
"""
SETTLE = "  q1: {asks: Is a settled?, readings: [open, a-false]}"
DROP = "  q2: {asks: Facts?, readings: [facts-in, no-facts]}"
SETTLE_FIRST, DROP_FIRST = f"{SETTLE}\n{DROP}", f"{DROP}\n{SETTLE}"


@pytest.mark.parametrize("questions", [SETTLE_FIRST, DROP_FIRST])
def test_a_combination_of_readings_does_not_depend_on_their_order(tmp_path, questions):
    """Each reading is resolved on the positions before any of them: the glob of one does not drop the fact the
    --set of another puts in place, whichever comes first."""
    path = tmp_path / "order.yaml"
    path.write_text(ORDERED % questions)
    under = under_readings(load_scenario(path), ["a-false", "no-facts"])
    assert [f.name for f in under.facts] == ["facts/set-a"]
    assert check(under, time_limit=GENEROUS).deal.values["a"] is False


def test_a_reading_that_removes_a_party_clashes_with_one_that_gives_it_a_rule(tmp_path):
    path = tmp_path / "party.yaml"
    path.write_text(ORDERED % SETTLE_FIRST.replace("[facts-in, no-facts]", "[facts-in, p-out]")
                    + "  p-out: {title: P out, parties: [{party: p, drop: true}]}\n"
                    .replace("a-false: {title: a settled false, set: [\"a=false\"]}", "")
                    + "  p-firm:\n    title: P firm\n    parties:\n      - party: p\n        red_lines:\n"
                      "          - {id: no-b, says: not b, rule: not b}\n")
    text = path.read_text().replace("readings: [open, a-false]", "readings: [open, p-firm]")
    path.write_text(text)
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    assert any("both change p" in d.message for d in caught.value.diagnostics)


def test_a_default_reading_takes_no_dates(lake):
    extra = READINGS.replace("  cap-firm:\n    title: South's cap as written\n",
                             "  cap-firm:\n    title: South's cap as written\n    valid_until: 2026-01-01\n")
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(lake(extra))
    problem = next(d for d in caught.value.diagnostics if "default of question 'cap'" in d.message)
    assert "takes no dates" in problem.message and "valid_until" in problem.line_text


def test_the_combinations_counted_before_any_check_are_those_of_the_day(lake):
    from feasible.solver.readings import combination_count

    scenario = as_of(load_scenario(lake()), date(2026, 2, 1))
    assert combination_count(scenario) == len(combinations(scenario)) == 6
    extra = READINGS.replace("    title: South's cap as a demand\n",
                             "    title: South's cap as a demand\n    valid_from: 2030-01-01\n")
    later = as_of(load_scenario(lake(extra)), date(2026, 2, 1))
    assert combination_count(later) == len(combinations(later)) == 3


def test_the_ukraine_readings_can_be_asked_of_november_2025():
    """Readings of positions dated at Paris hold from Paris: before it they are left out, not failed on."""
    from conftest import invoke

    done = invoke("readings", "--as-of", "2025-11-20", "--format", "json", "--workers", "1",
                  "--time-limit", str(GENEROUS))
    assert done.exit_code == 0, done.output
    rows = [c["readings"] for c in json.loads(done.stdout)["combinations"]]
    assert all(r[1] == "force-red-line" and r[3] == "us-december-offer" for r in rows) and len(rows) == 4


def test_combinations_are_not_listed_past_a_bound(tmp_path):
    """2 readings a question make 2^n combinations: the library counts before it lists (bounded memory)."""
    from feasible.positions.readings import LISTED_AT_MOST

    questions = "".join(f"  q{i}: {{asks: Q{i}?, readings: [q{i}-a, q{i}-b]}}\n" for i in range(17))
    readings = "".join(f"  q{i}-a: {{title: A}}\n  q{i}-b: {{title: B, weight: {{south/d{i}: 2}}}}\n"
                       for i in range(17))
    demands = "".join(f"      - {{id: d{i}, says: D{i}., rule: x >= 0}}\n" for i in range(17))
    path = tmp_path / "many.yaml"
    path.write_text("title: Many\nissues:\n  x: {type: int, min: 0, max: 3}\nparties:\n  - party: south\n"
                    "    demands:\n" + demands + "questions:\n" + questions + "readings:\n" + readings)
    scenario = load_scenario(path)
    assert 2 ** 17 > LISTED_AT_MOST
    with pytest.raises(UserError, match="131,072 combinations"):
        combinations(scenario)
    assert len(combinations(scenario, ["q0", "q1"])) == 4
