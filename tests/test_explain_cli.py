"""Conflicts, relaxations and "why not?" on the command line, on the shipped scenarios' real content.

`feasible check` with no deal (Ukraine 2026, ceasefire basics): the designed conflict in the parties' own
words, the cheapest ways to a deal, the JSON document; `feasible explain` on the three-party toy: impossible
and possible values, a forced issue, demands, bad targets, a scenario without any deal, and the JSON shape.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.positions import load_scenario, shipped_scenarios
from feasible.positions.kinds import Phases
from feasible.positions.model import IssueKind
from feasible.solver.evaluate import holds

UKRAINE = "ukraine-2026"
TOY = "three-party-toy"
CEASEFIRE = "ceasefire-basics"
FORCE = ("europe/european-led-force", "russia/no-western-troops")  # the default reading's troops conflict
OTHER_DESIGNED = ({"russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal"},)  # Donbas (the order cycle
# only under --reading referendum-needs-ceasefire: by default the referendum's ceasefire is Ukraine's demand)
# The three-party conflict the scenario was first built around, under two readings the sources do not establish
DESIGNED = ("europe/european-led-force", "russia/no-western-troops", "us/no-us-ground-troops")
THREE_PARTY_READING = ("--reading", "nato-only", "--reading", "european-or-us-troops")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def text_of(result) -> str:
    return _ANSI.sub("", result.stdout)


def says_in_files(scenario: str, name: str) -> str:
    """The `says` of PARTY/ID (or facts/ID), read straight from the shipped YAML, whitespace folded as YAML does."""
    where = shipped_scenarios()[scenario]
    owner, rule_id = name.split("/")
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(Path(where).glob("*.yaml"))] \
        if Path(where).is_dir() else [yaml.safe_load(Path(where).read_text(encoding="utf-8"))]
    for doc in docs:
        entries = []
        if owner == "facts":
            entries = doc.get("facts") or []
        for party in [doc] + list(doc.get("parties") or []):
            if party.get("party") == owner:
                entries = (party.get("red_lines") or []) + (party.get("demands") or [])
        for entry in entries:
            if entry["id"] == rule_id:
                return " ".join(entry["says"].split())
    raise KeyError(name)


def conflict_blocks(text: str) -> list[str]:
    """The numbered conflicts of `check`'s text, one string each."""
    section = text.split("Conflicts:", 1)[1].split("Cheapest ways to a deal", 1)[0]
    return [block for block in re.split(r"\n(?=\d+\. )", section) if re.match(r"\d+\. ", block)]


def deal_values(scenario, issues_json: dict) -> dict:
    """A deal from JSON back to evaluator values (sets are sorted lists there, sequences step -> phase)."""
    def value(name: str, v):
        kind = scenario.issues[name].kind
        return frozenset(v) if kind is IssueKind.SET else Phases(v.items()) if kind is IssueKind.SEQUENCE else v
    return {name: value(name, v) for name, v in issues_json.items()}


# ---------------------------------------------------------------------------------------------- check: no deal

@pytest.fixture(scope="module")
def ukraine_text() -> str:
    result = run("check")
    assert result.exit_code == 1, result.output
    return text_of(result)


@pytest.fixture(scope="module")
def ukraine_json() -> dict:
    result = run("check", UKRAINE, "--format", "json", "--relaxations", "20")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_says_helper_reads_the_files():
    assert says_in_files(UKRAINE, "us/no-us-ground-troops") == (
        'No US ground troops in Ukraine ("US boots will not be on the ground in Ukraine").')
    assert says_in_files(TOY, "east/clean-water") == "Treatment at least to the standard level."
    assert says_in_files(TOY, "facts/canal-needs-reservoir") == "A canal needs a reservoir to feed it."


def test_default_check_shows_the_force_conflict_in_the_parties_words(ukraine_text):
    """Under the sourced default, the coalition's force collides with Russia's veto; the US is in no conflict."""
    text = ukraine_text
    assert "NO DEAL" in text
    blocks = conflict_blocks(text)
    force = [b for b in blocks if all(name in b for name in FORCE)]
    assert len(force) == 1, blocks
    block = force[0]
    for name in FORCE:
        assert says_in_files(UKRAINE, name) in block, name
    for party in ("Coalition of the Willing (European-led)", "Russia"):
        assert party in block  # grouped by party, under the party's display name
    assert "force_contributors_inside_ukraine" in block  # the issues it touches
    assert "facts/european-force-means-uk-france" in block  # and the fact in play, in its words
    assert says_in_files(UKRAINE, "facts/european-force-means-uk-france") in block
    assert not re.search(r"\bus/", text.split("Cheapest ways to a deal", 1)[0])  # no US red line in a conflict
    # the other conflict is listed as well, and the list says it is complete
    for pair in OTHER_DESIGNED:
        assert any(all(name in b for name in pair) for b in blocks), pair
    assert "Conflicts: 2 (all of them)" in text


def test_the_designed_three_party_conflict_appears_under_its_reading():
    result = run("check", *THREE_PARTY_READING)
    assert result.exit_code == 1, result.output
    blocks = conflict_blocks(text_of(result))
    designed = [b for b in blocks if all(name in b for name in DESIGNED)]
    assert len(designed) == 1, blocks
    block = " ".join(designed[0].split())
    for party in ("Coalition of the Willing (European-led)", "Russia", "United States"):
        assert party in block
    assert says_in_files(UKRAINE, "us/no-us-ground-troops") in block
    assert "instead of it (a reading not established by the sources)" in block  # the reading's own words
    assert "us_ground_troops_in_ukraine" in block


def test_default_check_shows_the_cheapest_ways_to_a_deal(ukraine_text):
    text = ukraine_text
    assert "Cheapest ways to a deal" in text
    ways = text.split("Cheapest ways to a deal", 1)[1]
    headings = re.findall(r"^(\d+)\. Give up (\d+) red lines?, cost (\d+)", ways, flags=re.MULTILINE)
    assert [int(h[0]) for h in headings] == list(range(1, 5))  # all 4 (up to 5 by default)
    assert all(h[1] == "2" and h[2] == "2" for h in headings), headings  # one red line from each conflict
    assert "opens a deal" in ways
    # all four cost the same: the deal shown is way 1's, and the words say it is first by a fixed rule, not by merit
    opens = ("The deal way 1 opens (way 1 is one of 4 equally cheap ways at cost 2, listed in a fixed order, "
             "not ranked)")
    assert opens in " ".join(ways.split())


def test_check_json_conflicts_and_relaxations(ukraine_json):
    doc = ukraine_json
    assert doc["verdict"] == "no-deal"
    assert doc["deal"] is None
    assert doc["conflicts_complete"] is True
    conflicts = doc["conflicts"]
    for conflict in conflicts:
        assert conflict["red_lines"] == sorted(conflict["red_lines"])
        assert conflict["facts"] == sorted(conflict["facts"])
        assert {"red_lines", "facts", "issues", "summary"} <= set(conflict)
    as_sets = [set(c["red_lines"]) for c in conflicts]
    assert set(FORCE) in as_sets
    for pair in OTHER_DESIGNED:
        assert pair in as_sets
    assert len(conflicts) == 2
    assert as_sets == [set(FORCE), OTHER_DESIGNED[0]]  # the headline first
    designed = conflicts[as_sets.index(set(FORCE))]
    assert designed["facts"] == ["facts/european-force-means-uk-france"]


def test_check_json_relaxations_are_the_minimal_hitting_sets_of_the_conflicts(ukraine_json):
    """Two disjoint conflicts of 2 red lines each: the minimal ways to a deal give up one red line of each,
    2 * 2 = 4 of them, each of cost 2 (red lines carry weight 1). Asked for 20, all 4 come."""
    doc = ukraine_json
    scenario = load_scenario(UKRAINE)
    conflicts = [c["red_lines"] for c in doc["conflicts"]]
    expected = {frozenset(choice) for choice in itertools.product(*conflicts)}
    relaxations = doc["relaxations"]
    assert {frozenset(r["drop"]) for r in relaxations} == expected
    assert len(relaxations) == 4
    for relaxation in relaxations:
        assert relaxation["drop"] == sorted(relaxation["drop"])
        assert relaxation["cost"] == 2
        assert sum(relaxation["cost_by_party"].values()) == 2
        assert set(relaxation["cost_by_party"]) == {name.split("/")[0] for name in relaxation["drop"]}
        deal = relaxation["deal"]
        assert deal is not None and deal["optimal"] is True
        assert {"issues", "satisfaction", "parties", "optimal"} <= set(deal)
        values = deal_values(scenario, deal["issues"])
        for rule in scenario.facts + scenario.red_lines:  # the deal keeps every other red line and every fact
            if rule.name not in relaxation["drop"]:
                assert holds(rule, scenario.issues, values), (relaxation["drop"], rule.name)


def test_check_json_default_relaxations_are_at_most_five_cheapest_first():
    result = run("check", *THREE_PARTY_READING, "--format", "json")  # 3 * 2 = 6 ways exist
    assert result.exit_code == 1, result.output
    relaxations = json.loads(result.stdout)["relaxations"]
    assert len(relaxations) == 5
    costs = [r["cost"] for r in relaxations]
    assert costs == sorted(costs)


def test_relaxations_one():
    result = run("check", UKRAINE, "--relaxations", "1")
    assert result.exit_code == 1, result.output
    text = text_of(result)
    assert re.findall(r"^\d+\. Give up", text, flags=re.MULTILINE) == ["1. Give up"]
    result = run("check", UKRAINE, "--relaxations", "1", "--format", "json")
    assert result.exit_code == 1, result.output
    assert len(json.loads(result.stdout)["relaxations"]) == 1


def test_relaxations_zero_shows_none():
    result = run("check", UKRAINE, "--relaxations", "0", "--format", "json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["relaxations"] == []
    result = run("check", UKRAINE, "--relaxations", "0")
    assert result.exit_code == 1, result.output
    assert "Cheapest ways to a deal" not in text_of(result)


def test_all_conflicts():
    result = run("check", UKRAINE, "--all-conflicts", "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["conflicts_complete"] is True
    assert {frozenset(c["red_lines"]) for c in doc["conflicts"]} == {frozenset(FORCE), *map(frozenset,
                                                                                           OTHER_DESIGNED)}
    result = run("check", UKRAINE, "--all-conflicts")
    assert result.exit_code == 1, result.output
    assert "Conflicts: 2 (all of them)" in text_of(result)


def test_ceasefire_conflict_and_both_ways_out():
    """The scenario's description: the one conflict is the two buffer red lines; dropping either opens a deal."""
    result = run("check", CEASEFIRE, "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert [(c["red_lines"], c["facts"]) for c in doc["conflicts"]] == [
        (["blue_side/shallow-buffer", "red_side/deep-buffer"], [])]
    assert doc["conflicts_complete"] is True
    assert sorted(r["drop"] for r in doc["relaxations"]) == [["blue_side/shallow-buffer"], ["red_side/deep-buffer"]]
    assert all(r["cost"] == 1 and r["deal"] is not None for r in doc["relaxations"])
    text_result = run("check", CEASEFIRE)
    assert text_result.exit_code == 1, text_result.output
    text = text_of(text_result)
    for name in ("blue_side/shallow-buffer", "red_side/deep-buffer"):
        assert says_in_files(CEASEFIRE, name) in text


def test_check_with_a_deal_lists_unreachable_demands(tmp_path):
    """A demand no deal can meet is listed with its reason, in words and in JSON."""
    toy = Path(shipped_scenarios()[TOY]).read_text(encoding="utf-8")
    extra = ("      - id: big-cap\n"
             "        says: The cap is at least 800 million litres a year.\n"
             "        rule: extraction_cap >= 800\n"
             "        weight: 1\n")
    marker = "      - id: south-chairs\n"
    assert marker in toy
    path = tmp_path / "toy.yaml"
    path.write_text(toy.replace(marker, extra + marker), encoding="utf-8")
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["unreachable_complete"] is True
    assert {"demand": "south/big-cap", "because": ["south/river-keeps-flowing"]} in doc["unreachable"]
    assert "conflicts" not in doc and "relaxations" not in doc
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    text = text_of(result)
    assert "Demands no deal can meet" in text
    section = text.split("Demands no deal can meet", 1)[1]
    assert "The cap is at least 800 million litres a year." in section
    assert says_in_files(TOY, "south/river-keeps-flowing") in section
    assert "south/river-keeps-flowing" in section


def test_shipped_toy_has_no_unreachable_demand():
    result = run("check", TOY, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["unreachable"] == [] and doc["unreachable_complete"] is True
    assert "conflicts" not in doc


def _many_conflicts_scenario(tmp_path: Path) -> Path:
    """Twelve parties that each insist on a different value of one number: 66 conflicts of two red lines."""
    lines = ["title: Twelve parties, one number", "issues:",
             "  x: {type: int, min: 0, max: 20, description: The number.}", "parties:"]
    for k in range(12):
        lines += [f"  - party: p{k}", f"    name: Party {k}", "    red_lines:",
                  f"      - {{id: exactly-{k}, says: The number is {k}., rule: x == {k}}}"]
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_default_reports_ten_conflicts_and_says_there_may_be_more(tmp_path):
    path = _many_conflicts_scenario(tmp_path)
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert len(doc["conflicts"]) == 10
    assert doc["conflicts_complete"] is False
    assert all(len(c["red_lines"]) == 2 for c in doc["conflicts"])
    assert len(doc["relaxations"]) == 5 and all(r["cost"] == 11 for r in doc["relaxations"])
    result = run("check", str(path))
    assert result.exit_code == 1, result.output
    assert "Conflicts: 10 (there may be more: --all-conflicts lists them all" in text_of(result)


def test_all_conflicts_enumerates_every_one(tmp_path):
    path = _many_conflicts_scenario(tmp_path)
    result = run("check", str(path), "--all-conflicts", "--relaxations", "20", "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    expected = {frozenset({f"p{i}/exactly-{i}", f"p{j}/exactly-{j}"}) for i, j in itertools.combinations(range(12), 2)}
    assert {frozenset(c["red_lines"]) for c in doc["conflicts"]} == expected
    assert len(doc["conflicts"]) == 66
    assert doc["conflicts_complete"] is True
    # the ways out: keep exactly one party's number, give up the eleven others
    assert len(doc["relaxations"]) == 12
    assert all(len(r["drop"]) == 11 and r["cost"] == 11 for r in doc["relaxations"])
    result = run("check", str(path), "--all-conflicts")
    assert result.exit_code == 1, result.output
    assert "Conflicts: 66 (all of them)" in text_of(result)


FACTS_CONTRADICT = """\
title: Facts that contradict each other
issues:
  b: {type: bool, description: A switch.}
  x: {type: int, min: 0, max: 5, description: A number.}
facts:
  - {id: switch-on, says: The switch is on., rule: b}
  - {id: small, says: The number is small., rule: x <= 2}
  - {id: switch-off, says: The switch is off., rule: not b}
parties:
  - party: a
    red_lines:
      - {id: big, says: The number is big., rule: x >= 3}
    demands:
      - {id: five, says: Five., rule: x == 5}
"""


def test_facts_that_contradict_each_other(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS_CONTRADICT, encoding="utf-8")
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert [(c["red_lines"], c["facts"]) for c in doc["conflicts"]] == [([], ["facts/switch-off", "facts/switch-on"])]
    assert doc["conflicts_complete"] is True
    assert doc["relaxations"] == []
    result = run("check", str(path))
    assert result.exit_code == 1, result.output
    text = text_of(result)
    assert "The switch is on." in text and "The switch is off." in text
    assert "The number is small." not in text  # not part of the contradiction
    assert "No red line can be given up to open a deal" in text
    assert "Cheapest ways to a deal" not in text


# ---------------------------------------------------------------------------------------------- explain

def test_explain_impossible_value():
    result = run("explain", TOY, "treatment_level=basic")
    assert result.exit_code == 0, result.output
    text = text_of(result)
    assert "No deal has treatment level = basic" in text
    assert "east/clean-water" in text
    assert says_in_files(TOY, "east/clean-water") in text
    assert "East (lakeside town)" in text


def test_explain_impossible_int_value_names_the_red_line():
    result = run("explain", TOY, "extraction_cap=800")  # the example of docs/cli.md
    assert result.exit_code == 0, result.output
    text = text_of(result)
    assert "No deal has extraction cap = 800" in text
    assert "south/river-keeps-flowing" in text
    assert says_in_files(TOY, "south/river-keeps-flowing") in text


def test_explain_value_ruled_out_by_a_fact():
    result = run("explain", TOY, "projects=canal")
    assert result.exit_code == 0, result.output
    text = text_of(result)
    assert "No deal has projects = canal" in text
    assert "facts/canal-needs-reservoir" in text
    assert says_in_files(TOY, "facts/canal-needs-reservoir") in text


def test_explain_possible_value_shows_a_deal():
    result = run("explain", TOY, "chair=north")
    assert result.exit_code == 0, result.output
    text = text_of(result)
    assert "A deal can have chair = north" in text
    assert re.search(r"^\s+chair\s+north$", text, flags=re.MULTILINE), text
    for issue in ("joint_authority", "treatment_level", "extraction_cap", "projects"):  # they do not bear on it
        assert not re.search(rf"^\s+{issue}\s+\S", text, flags=re.MULTILINE), issue
    assert "4 others not shown" in text


def test_explain_forced_issue():
    result = run("explain", TOY, "joint_authority")
    assert result.exit_code == 0, result.output
    text = text_of(result)
    assert "Every deal settles joint authority = yes" in text
    assert "east/joint-authority" in text
    assert says_in_files(TOY, "east/joint-authority") in text


def test_explain_issue_that_is_not_forced():
    result = run("explain", TOY, "chair")
    assert result.exit_code == 0, result.output
    assert "chair is not forced" in text_of(result)


@pytest.mark.parametrize("target", ["north/build-dam", "build-dam"])
def test_explain_demand_that_a_deal_can_meet(target):
    result = run("explain", TOY, target)
    assert result.exit_code == 0, result.output
    text = text_of(result)
    assert "A deal can meet" in text
    assert "north/build-dam" in text
    assert says_in_files(TOY, "north/build-dam") in text
    assert re.search(r"^\s+projects\s+.*\bdam\b", text, flags=re.MULTILINE), text


def test_explain_demand_no_deal_can_meet(tmp_path):
    toy = Path(shipped_scenarios()[TOY]).read_text(encoding="utf-8")
    toy = toy.replace("rule: chair == \"south\"", "rule: chair == \"south\" and treatment_level == \"basic\"")
    path = tmp_path / "toy.yaml"
    path.write_text(toy, encoding="utf-8")
    result = run("explain", str(path), "south-chairs")
    assert result.exit_code == 0, result.output
    text = text_of(result)
    assert "No deal can meet" in text
    assert "south/south-chairs" in text
    assert "east/clean-water" in text and says_in_files(TOY, "east/clean-water") in text
    result = run("explain", str(path), "south/south-chairs", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["target"]["kind"] == "demand" and doc["target"]["demand"] == "south/south-chairs"
    assert doc["possible"] is False
    assert doc["because"]["red_lines"] == ["east/clean-water"] and doc["because"]["facts"] == []


def test_explain_unknown_target_suggests():
    result = run("explain", TOY, "chiar")
    assert result.exit_code == 2, result.output
    assert "did you mean 'chair'" in result.stderr
    assert result.stdout == ""
    result = run("explain", TOY, "build-dm")
    assert result.exit_code == 2, result.output
    assert "build-dam" in result.stderr
    result = run("explain", TOY, "chiar=north")
    assert result.exit_code == 2, result.output
    assert "unknown issue 'chiar'" in result.stderr and "did you mean 'chair'" in result.stderr


@pytest.mark.parametrize("target, message", [("chair=west", "did you mean 'east'"),
                                             ("extraction_cap=5000", "outside"),
                                             ("extraction_cap=lots", "whole number"),
                                             ("joint_authority=maybe", "true or false")])
def test_explain_value_outside_the_domain(target, message):
    result = run("explain", TOY, target)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_explain_red_line_is_not_a_target():
    result = run("explain", TOY, "north/enough-water")
    assert result.exit_code == 2, result.output
    assert "is a red line, not a demand" in result.stderr
    result = run("explain", TOY, "enough-water")  # the bare id of a red line is no target either
    assert result.exit_code == 2, result.output


def test_explain_without_any_deal():
    """Without a deal, the answer is in the scenario with the disputes that do not bear on the target set aside
    (tests/test_explain_without_deal.py has the rest)."""
    # a fact ties monitors to the buffer zone (a zone of 1 km or more needs monitors): the dispute over the zone
    # bears on the question, stays, and is the answer
    result = run("explain", CEASEFIRE, "monitors")
    assert result.exit_code == 1, result.output
    assert "monitors bears on the dispute between Blue side and Red side" in " ".join(text_of(result).split())
    result = run("explain", UKRAINE, "eu_accession=fixed_date_2027", "--format", "json")  # no dispute's issue
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["any_deal"] is True and doc["decided"] is True
    assert doc["no_deal_as_given"]["disputes"] == []
    result = run("explain", UKRAINE, "force_lead=us", "--format", "json")  # in the dispute over the force
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["any_deal"] is False and doc["possible"] is False and doc["decided"] is True
    assert doc["because"] is None and doc["deal"] is None
    # the timeline's steps tie the force (deployment) to Donetsk (withdrawal), so no dispute is set aside
    assert doc["no_deal_as_given"]["set_aside"] == []
    assert len(doc["no_deal_as_given"]["disputes"]) == 2


def test_explain_default_scenario_and_too_many_arguments():
    result = run("explain", "force_lead")  # no PATH: the Ukraine scenario, which has no deal
    assert result.exit_code == 1, result.output
    result = run("explain", TOY, "chair", "extra")
    assert result.exit_code == 2, result.output


TARGET_KEYS = {"kind", "text", "issue", "value", "demand"}
TOP_KEYS = {"format", "scenario", "target", "decided", "any_deal", "possible", "forced_value", "because", "deal",
            "depends_on"}


def test_explain_json_impossible_value():
    result = run("explain", TOY, "treatment_level=basic", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == TOP_KEYS
    assert doc["format"] == "feasible/1"
    assert doc["scenario"] == "Three towns and a lake (teaching example)"
    assert doc["target"] == {"kind": "value", "text": "treatment_level=basic", "issue": "treatment_level",
                             "step": None, "value": "basic", "demand": None}
    assert (doc["decided"], doc["any_deal"], doc["possible"]) == (True, True, False)
    assert doc["forced_value"] is None and doc["deal"] is None
    because = doc["because"]
    assert because["red_lines"] == ["east/clean-water"] and because["facts"] == []
    assert because["issues"] == ["treatment_level"]
    assert isinstance(because["summary"], str) and because["summary"]


def test_explain_json_possible_value_has_a_deal():
    result = run("explain", TOY, "projects=dam,canal,reservoir", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["target"]["value"] == ["canal", "dam", "reservoir"]
    assert doc["possible"] is True and doc["because"] is None
    deal = doc["deal"]
    assert deal["issues"]["projects"] == ["canal", "dam", "reservoir"]
    assert deal["optimal"] is False
    scenario = load_scenario(TOY)
    values = deal_values(scenario, deal["issues"])
    for rule in scenario.facts + scenario.red_lines:
        assert holds(rule, scenario.issues, values), rule.name


def test_explain_json_forced_and_not_forced():
    result = run("explain", TOY, "joint_authority", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["target"]["kind"] == "forced" and doc["target"]["issue"] == "joint_authority"
    assert doc["possible"] is False and doc["forced_value"] is True
    assert doc["because"]["red_lines"] == ["east/joint-authority"]
    result = run("explain", TOY, "treatment_level", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["possible"] is True and doc["forced_value"] is None and doc["because"] is None
    assert doc["deal"]["issues"]["treatment_level"] in ("standard", "advanced")


def test_explain_json_empty_set_value():
    result = run("explain", TOY, "projects=", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["target"]["value"] == []
    assert doc["possible"] is True and doc["deal"]["issues"]["projects"] == []


def test_explain_json_summary_of_a_facts_only_reason_does_not_deny_every_deal():
    result = run("explain", TOY, "projects=canal", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["any_deal"] is True and doc["because"]["facts"] == ["facts/canal-needs-reservoir"]
    assert "no deal is possible" not in doc["because"]["summary"]


def test_explain_json_summary_of_a_reason_does_not_say_the_red_line_cannot_hold():
    result = run("explain", TOY, "treatment_level=basic", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["because"]["red_lines"] == ["east/clean-water"]
    assert "cannot hold" not in doc["because"]["summary"]
