"""Rule references: `RuleRef(owner, id)` is how rules are named and looked up; "OWNER/ID" is taken apart in
one place (RuleRef.parse), and facts and accept_at_least levels are told apart by RuleRef, not by strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from feasible.positions import load_scenario
from feasible.positions.model import FACTS, RuleKind, RuleRef

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = [p for package in ("positions", "solver", "cli") for p in sorted((ROOT / package).rglob("*.py"))]


def test_a_name_parses_into_its_reference_and_back():
    ref = RuleRef.parse("russia/no-western-troops")
    assert (ref.owner, ref.id) == ("russia", "no-western-troops")
    assert ref.name == str(ref) == "russia/no-western-troops"
    assert RuleRef.parse("facts/a/b") == RuleRef(FACTS, "a/b")  # the owner ends at the first slash


@pytest.mark.parametrize("text", ["no-slash", "/id", "owner/", ""])  # (the loader refuses such ids and owners)
def test_a_name_without_owner_and_id_is_refused(text):
    with pytest.raises(ValueError):
        RuleRef.parse(text)


def test_facts_and_acceptance_levels_are_explicit():
    assert RuleRef.fact("x").is_fact and not RuleRef.fact("x").is_acceptance
    assert RuleRef.acceptance("eu").is_acceptance and RuleRef.acceptance("eu").name == "eu/accept-at-least"
    assert not RuleRef.parse("facts/accept-at-least").is_acceptance  # a fact may take any id


@pytest.mark.parametrize("name", ["ukraine-2026", "three-party-toy"])
def test_every_rule_of_a_scenario_is_found_by_its_reference_and_its_name(name):
    scenario = load_scenario(name)
    rules = scenario.rules()
    assert len({r.name for r in rules}) == len(rules)
    for rule in rules:
        assert scenario.rule(rule.ref) is rule and scenario.rule(rule.name) is rule
        assert rule.is_fact == (rule.kind is RuleKind.FACT) == rule.ref.is_fact
    levels = [r for r in rules if r.is_acceptance]
    assert [r.name for r in levels] == [p.acceptance.name for p in scenario.parties if p.acceptance]
    assert all(r.kind is RuleKind.RED_LINE for r in levels)
    assert not scenario.has_rule("nobody/nothing")
    with pytest.raises(KeyError):
        scenario.rule(RuleRef("nobody", "nothing"))


def test_the_index_is_the_edited_scenarios_own():
    from feasible.positions.edits import Edits, apply_edits

    scenario = load_scenario("three-party-toy")
    dropped = scenario.red_lines[0].name
    edited, _ = apply_edits(scenario, Edits(drop=(dropped,)))
    assert scenario.has_rule(dropped) and not edited.has_rule(dropped)


def _lines(pattern: str) -> list[str]:
    found = []
    for path in PRODUCT:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line) and path.relative_to(ROOT).as_posix() != "positions/model.py":
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_no_module_takes_rule_names_apart_or_spells_the_facts_owner():
    assert _lines(r'''(partition|split)\(\s*["']/["']''') == []
    facts_owner = (r'''owner\s*[!=]=\s*(FACTS|["']facts["'])''', r'''["']facts/[^s]''', r'''startswith\(["']facts''',
                   r'''["']facts["'],\s*RuleKind''')  # (the help of --set names facts/set-ISSUE to its users)
    assert _lines("|".join(facts_owner)) == []
