"""The shipped scenarios: they load, the Ukraine scenario has the parties and red lines the product is built around."""

from __future__ import annotations

from pathlib import Path

import pytest

from feasible import positions
from feasible.positions import DEFAULT_SCENARIO, load_scenario, shipped_scenarios

SHIPPED = shipped_scenarios()


def test_there_are_shipped_scenarios():
    assert DEFAULT_SCENARIO == "ukraine-2026"
    assert DEFAULT_SCENARIO in SHIPPED
    assert len(SHIPPED) >= 2  # the Ukraine scenario and at least one teaching scenario


def test_shipped_scenarios_live_in_the_package():
    package = Path(positions.__file__).parent
    for path in SHIPPED.values():
        assert package / "scenarios" in path.parents


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_scenario_loads(name):
    scenario = load_scenario(SHIPPED[name])
    assert scenario.title
    assert scenario.parties
    assert scenario.issues


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_rule_says_something(name):
    scenario = load_scenario(SHIPPED[name])
    for rule in scenario.rules():
        assert rule.says.strip(), rule.name
        assert rule.text.strip(), rule.name


@pytest.fixture(scope="module")
def ukraine():
    return load_scenario(DEFAULT_SCENARIO)


def test_ukraine_is_the_default(ukraine):
    assert load_scenario() == ukraine


def test_ukraine_parties(ukraine):
    ids = {party.id for party in ukraine.parties}
    assert {"ukraine", "russia", "us", "europe"} <= ids


def test_ukraine_red_lines_of_the_central_conflict(ukraine):
    names = {rule.name for rule in ukraine.red_lines}
    assert {"us/no-us-ground-troops", "europe/european-led-force", "russia/no-western-troops"} <= names


def test_ukraine_has_facts_sources_and_a_description(ukraine):
    assert ukraine.facts
    assert ukraine.sources
    assert ukraine.description


def authored_rules(scenario):
    """The facts, red lines and demands written in the files (not the generated accept-at-least red lines)."""
    return scenario.facts + tuple(r for p in scenario.parties for r in p.red_lines + p.demands)


MODELLING_CHOICE = "modelling choice"  # a fact no source states, explained in the scenario's description


def test_every_ukraine_rule_cites_declared_sources(ukraine):
    declared = {source.id for source in ukraine.sources}
    rules = authored_rules(ukraine)
    assert len(rules) >= 10
    for rule in rules:
        assert rule.source, f"{rule.name} has no source"
        cited = [part.strip() for part in rule.source.split(",")]
        assert all(cited), f"{rule.name}: empty source in {rule.source!r}"
        unknown = set(cited) - declared - {MODELLING_CHOICE}
        assert not unknown, f"{rule.name} cites undeclared sources {sorted(unknown)}"


def test_ukraine_source_ids_are_unique(ukraine):
    ids = [source.id for source in ukraine.sources]
    assert len(ids) == len(set(ids))


def test_ukraine_rule_names_are_unique(ukraine):
    names = [rule.name for rule in ukraine.rules()]
    assert len(names) == len(set(names))


# --------------------------------------------------------------------------------------------- both forms

SCENARIO_HEAD = """\
title: A ceasefire in three issues
description: Teaching example.
sources:
  - {id: S1, title: A source, url: "https://example.org", date: "2026-01-06"}
issues:
  force_lead:
    values: [none, europe, un]
  western_troops: {type: bool}
  army_cap: {type: int, min: 50, max: 1000, unit: thousand soldiers}
  contributors: {type: set, values: [uk, fr]}
facts:
  - id: europe-means-western
    says: A European-led force means Western soldiers in the country.
    rule: force_lead == "europe" -> western_troops
    source: S1
"""

RUSSIA = """\
party: russia
name: Russia
red_lines:
  - id: no-western-troops
    says: No troops from Western countries.
    rule: not western_troops
    weight: 5
demands:
  - id: small-army
    says: A small army.
    rule: army_cap <= 250
    weight: 2
    source: S1
accept_at_least: 40
"""

UKRAINE = """\
party: ukraine
red_lines:
  - id: guarantees
    says: Guarantees with soldiers.
    rule: '"uk" in contributors and size(contributors) >= 1'
"""


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.splitlines()
    return "\n".join([first + lines[0]] + [rest + line for line in lines[1:]]) + "\n"


def test_single_file_and_directory_forms_load_to_equal_models(tmp_path):
    directory = tmp_path / "scen"
    directory.mkdir()
    (directory / "scenario.yaml").write_text(SCENARIO_HEAD)
    (directory / "russia.yaml").write_text(RUSSIA)
    (directory / "ukraine.yaml").write_text(UKRAINE)

    single = tmp_path / "scen.yaml"
    single.write_text(SCENARIO_HEAD + "parties:\n" + _indent(RUSSIA, "  - ", "    ")
                      + _indent(UKRAINE, "  - ", "    "))

    from_dir, from_file = load_scenario(directory), load_scenario(single)
    assert from_dir == from_file
    # equality is not vacuous: the content really is there
    assert [p.id for p in from_file.parties] == ["russia", "ukraine"]
    assert from_file.party("russia").accept_at_least == 40
    assert from_file.party("russia").red_lines[0].weight == 5
    assert from_file.sources[0].date == "2026-01-06"
    assert from_file.issues["army_cap"].unit == "thousand soldiers"
    # and it is sensitive: a changed weight makes the models differ
    (directory / "russia.yaml").write_text(RUSSIA.replace("weight: 5", "weight: 4"))
    assert load_scenario(directory) != from_file
    # where it came from is kept, but is not part of equality
    assert from_dir.origin == directory and from_file.origin == single
    assert len(from_dir.files) == 3 and len(from_file.files) == 1
