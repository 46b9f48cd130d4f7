"""`packages:` in scenario.yaml (located errors) and `feasible packages`: every format, the exit codes, unknown
names, and the nearest deal without a deal in the scenario (issue 16, point 3)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from feasible.positions.loader import load_scenario
from feasible.solver import packages as packages_module
from feasible.solver.packages import compare_packages

CASE = "tests/data/lint/packages"  # two packages, one with a value no rule mentions (lint's FL206 case)
TIME = "60"  # generous: no answer here may depend on the machine's speed

BASE = """
    title: Packages
    sources:
      - {id: S1, title: one}
    issues:
      troops: {type: bool}
      army_cap: {type: int, min: 0, max: 10}
      monitors: {values: [un, osce]}
      guarantors: {type: set, values: [us, uk]}
    parties:
      - party: north
        red_lines:
          - {id: no-troops, says: No foreign troops, rule: not troops, source: S1}
        demands:
          - {id: small, says: A small army, rule: army_cap <= 3, source: S1}
      - party: south
        red_lines:
          - {id: troops, says: Foreign troops, rule: troops or monitors == "osce", source: S1}
        demands:
          - {id: big, says: A big army, rule: army_cap >= 5, source: S1}
"""


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch, request):
    if "write" not in request.fixturenames:
        monkeypatch.chdir(request.config.rootpath)


def scenario_with(write, packages: str, base: str = BASE):
    write("scen/scenario.yaml", base + packages)
    return "scen"


def one_plan(*values: str) -> str:
    """`packages:` with one package, `plan`, of these values (YAML lines)."""
    return "\n    packages:\n      plan:\n        title: A plan\n        values:\n" + "".join(
        f"          {line}\n" for line in values)


# -- loading ------------------------------------------------------------------------------------------------------

def test_packages_load_with_their_values_sources_and_locations(write):
    path = scenario_with(write, """
    packages:
      plan:
        title: A plan
        date: 2025-11-20
        says: The plan in a sentence.
        source: S1
        values:
          troops: false
          army_cap: {value: 6, says: "six (point 6)", source: S1}
          guarantors: [uk]
    """)
    (plan,) = load_scenario(path).packages
    assert (plan.name, plan.title, plan.says, plan.date, plan.source_ids) == (
        "plan", "A plan", "The plan in a sentence.", date(2025, 11, 20), ("S1",))
    assert [(v.issue, v.value, v.says, v.source_ids) for v in plan.values] == [
        ("troops", False, None, ("S1",)), ("army_cap", 6, "six (point 6)", ("S1",)),
        ("guarantors", frozenset({"uk"}), None, ("S1",))]
    assert plan.values[1].location.line == 29


def test_a_scenario_without_packages_loads_as_before(write):
    assert load_scenario(scenario_with(write, "")).packages == ()


@pytest.mark.parametrize("values, message, hint", [
    ("troopz: true", "'troopz' is not an issue of the scenario", "did you mean 'troops'?"),
    ("troops: 1", "the value of issue 'troops' must be true or false", "write true or false"),
    ("army_cap: 11", "the value 11 is outside 0..10", "give a value in the range"),
    ("army_cap: yes", "the value of issue 'army_cap' must be a whole number in 0..10", None),
    ('monitors: osec', "'osec' is not a value of issue 'monitors'", "did you mean 'osce'?"),
    ("guarantors: [us, fr]", "'fr' is not a value of issue 'guarantors'", "its values are us, uk"),
    ("guarantors: [us, us]", "value 'us' is listed twice in the value", "each value is listed once"),
    ("guarantors: us", "the value of issue 'guarantors' must be a list of some of us, uk", None),
    ("troops: {value: false, source: S2}", "unknown source 'S2'", None),
])
def test_a_bad_package_value_is_a_located_error(write, cli, values, message, hint):
    path = scenario_with(write, one_plan(values))
    done = cli("packages", path)
    assert done.exit_code == 2 and not done.stdout
    assert f"error: {message}\n  --> scen/scenario.yaml:25:" in done.stderr
    if hint:
        assert f"= help: {hint}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("field, message", [
    ("date: 2025-13-01", "'2025-13-01' is not a date: month must be in 1..12"),
    ("date: 20 November 2025", "'20 November 2025' is not a date written YYYY-MM-DD"),
    ("source: S1, S7", "unknown source 'S7'"),
])
def test_a_bad_date_or_source_of_a_package_is_a_located_error(write, cli, field, message):
    path = scenario_with(write, f"""
    packages:
      plan:
        title: A plan
        {field}
        values:
          troops: true
    """)
    done = cli("validate", path)
    assert done.exit_code == 2
    assert f"error: {message}\n  --> scen/scenario.yaml:24:" in done.stderr
    assert "source" in field or "= help: write it YYYY-MM-DD" in done.stderr  # as a rule's date is told


def test_a_package_without_a_title_or_values_is_a_schema_error(write, cli):
    done = cli("validate", scenario_with(write, """
    packages:
      plan:
        values: {troops: true}
      Bad Name:
        title: x
        values: {}
    """))
    assert done.exit_code == 2
    assert "title" in done.stderr and "Bad Name" in done.stderr


# -- the command ----------------------------------------------------------------------------------------------------

def test_text_shows_each_package_side_by_side_with_its_nearest_deal(cli):
    done = cli("packages", CASE, "--time-limit", TIME)
    assert done.exit_code == 0, done.stderr
    text = done.stdout
    assert "2 packages compared (fair objective). The scenario has a deal" in text
    assert "== draft: The first draft [sources: S2] ==" in text
    assert "Values (every issue settled)" in text
    assert "army cap: 8 \u2014 \u201can army of 8\u201d [S2]" in text
    assert "north: \u201cNo foreign troops\u201d (north/no-troops) \u2014 depends on the troops" in text
    assert "The nearest acceptable deal keeps its one value (proved nearest and best)." in text


def test_json_is_the_presentation_model(cli):
    done = cli("packages", CASE, "--format", "json", "--time-limit", TIME)
    assert done.exit_code == 0
    doc = json.loads(done.stdout)
    assert (doc["format"], doc["command"], doc["verdict"], doc["decided"]) == ("feasible/1", "packages", "deal", True)
    draft, counter = doc["packages"]
    assert draft["values"]["army_cap"] == {"value": 6, "says": None, "sources": ["S2"]}
    assert {r["rule"]: r["judgement"] for r in counter["rules"]} == {
        "north/no-troops": "depends", "north/small-army": "broken", "south/big-enough": "kept",
        "south/troops": "depends"}
    assert counter["satisfaction"] == {"north": 0.0, "south": None}
    assert counter["nearest"]["changed"] == 0 and counter["nearest"]["relaxation"] is None
    assert counter["nearest"]["deal"]["issues"]["army_cap"] == 8


def test_only_the_named_packages_are_compared_and_an_unknown_name_is_refused(cli):
    doc = json.loads(cli("packages", CASE, "--package", "counter", "--format", "json").stdout)
    assert [p["name"] for p in doc["packages"]] == ["counter"]
    done = cli("packages", CASE, "--package", "countre")
    assert done.exit_code == 2
    assert "unknown package 'countre'" in done.stderr and "did you mean 'counter'?" in done.stderr


def test_a_scenario_without_packages_is_told_how_to_declare_them(write, cli):
    done = cli("packages", scenario_with(write, ""))
    assert done.exit_code == 2
    assert "declares no packages to compare" in done.stderr and "packages:" in done.stderr


@pytest.mark.parametrize("fmt, expected", [
    ("markdown", "| Issue | The first draft (draft) | The counter-draft (counter) |"),
    ("markdown", "| army cap | 6 | 8 |"),
    ("markdown", "| monitors | osce | not in the plan |"),
    ("html", "<tr><th>Issue</th><th>The first draft (draft)</th><th>The counter-draft (counter)</th></tr>"),
    ("html", "<tr><td>army cap</td><td title='Source: S2'>6</td>"
             "<td title='\u201can army of 8\u201d \u2014 Source: S2'>8</td></tr>"),
])
def test_markdown_and_html_put_the_packages_side_by_side(cli, fmt, expected):
    done = cli("packages", CASE, "--format", fmt, "--time-limit", TIME)
    assert done.exit_code == 0
    assert expected in done.stdout


def test_without_a_deal_the_nearest_deal_comes_with_the_relaxation_that_opens_it(write, cli):
    conflict = BASE.replace('rule: troops or monitors == "osce"', "rule: troops")
    path = scenario_with(write, one_plan("troops: true", "army_cap: 4"), conflict)
    done = cli("packages", path, "--time-limit", TIME)
    assert done.exit_code == 0, done.stderr
    assert "The scenario has no deal: of the deals opened by the 2 cheapest relaxations, each package's nearest" \
        in done.stdout
    assert "The nearest deal once the red lines below are given up keeps all 2 of its values" in done.stdout
    given_up = done.stdout.split("given up (the relaxation), cost 1:")[1]
    assert "north: \u201cNo foreign troops\u201d (north/no-troops)" in given_up
    doc = json.loads(cli("packages", path, "--format", "json", "--time-limit", TIME).stdout)
    assert doc["verdict"] == "no-deal" and doc["all_cheapest_compared"] is True
    assert doc["packages"][0]["nearest"]["relaxation"] == {"drop": ["north/no-troops"], "cost": 1}


def test_what_if_edits_apply_before_the_comparison(cli):
    doc = json.loads(cli("packages", CASE, "--drop", "north/no-troops", "--format", "json").stdout)
    assert "north/no-troops" not in {r["rule"] for r in doc["packages"][0]["rules"]}


def test_an_undecided_part_exits_with_3(cli, monkeypatch):
    def cut_short(*args, **kwargs):
        result = compare_packages(*args, **kwargs)
        return replace(result, packages=(replace(result.packages[0], decided=False), *result.packages[1:]))

    monkeypatch.setattr(packages_module, "compare_packages", cut_short)
    done = cli("packages", CASE, "--time-limit", TIME)
    assert done.exit_code == 3
    assert "Incomplete: the time limit ran out before every part was decided" in done.stdout


def test_every_format_states_the_same_sentences(cli):
    from html import escape

    from feasible.cli.packages_view import packages_view
    from feasible.positions import load_scenario as load

    scenario = load(CASE)
    view = packages_view(scenario, compare_packages(scenario, time_limit=float(TIME)))
    outputs = {fmt: cli("packages", CASE, "--format", fmt, "--time-limit", TIME).stdout
               for fmt in ("text", "markdown", "html")}
    assert view.statements()
    for sentence in view.statements():
        assert sentence in outputs["text"] and sentence in outputs["markdown"], sentence
        assert escape(sentence, quote=True) in outputs["html"], sentence


def test_a_package_against_the_facts_is_said_to_be_so_in_every_format(write, cli):
    with_fact = BASE.replace("parties:", """facts:
      - {id: no-army-without-troops, says: No army above 5 without troops, rule: army_cap <= 5 or troops}
    parties:""", 1)
    path = scenario_with(write, one_plan("troops: false", "army_cap: 8"), with_fact)
    for fmt in ("text", "markdown", "html"):
        done = cli("packages", path, "--format", fmt, "--time-limit", TIME)
        assert done.exit_code == 0, done.stderr
        assert "The package contradicts the facts taken together" in done.stdout
    doc = json.loads(cli("packages", path, "--format", "json", "--time-limit", TIME).stdout)
    assert doc["packages"][0]["admitted"] is False
    assert {r["rule"]: r["judgement"] for r in doc["packages"][0]["rules"]}["facts/no-army-without-troops"] == "broken"


def test_the_shipped_ukraine_scenario_compares_the_four_plans(cli):
    """The four plans of the fact sheet, judged as the sources have them: the 28-point draft breaks Ukraine's
    refusal to withdraw from Donbas, the E3 counter-draft Russia's NATO red line, the 20-point framework Russia's
    Donbas demand (and its timing: a freeze has no withdrawal to come before the ceasefire and the settlement), and
    the Paris Declaration's European-led force inside Ukraine Russia's veto on Western troops."""
    doc = json.loads(cli("packages", "ukraine-2026", "--format", "json", "--time-limit", TIME).stdout)
    assert doc["verdict"] == "no-deal" and doc["decided"] and doc["all_cheapest_compared"]
    broken = {p["name"]: [r["rule"] for r in p["rules"] if r["judgement"] == "broken" and r["kind"] == "red line"]
              for p in doc["packages"]}
    assert broken == {"us-28-point": ["ukraine/no-unilateral-withdrawal"],
                      "e3-counter-draft": ["russia/no-nato-membership"],
                      "twenty-point-framework": ["russia/donbas-withdrawal", "russia/withdrawal-before-ceasefire",
                                                 "russia/withdrawal-before-settlement"],
                      "paris-declaration": ["russia/no-western-troops"]}
    for package in doc["packages"]:
        assert package["admitted"] and package["nearest"]["relaxation"]["cost"] == doc["relaxations"][0]["cost"]
        assert all(v["sources"] for v in package["values"].values()), package["name"]


@pytest.mark.parametrize("fmt, expected", [
    ("markdown", "| army cap | 6 | 6 |  |"),
    ("markdown", "| troops | not in the plan | no |  |"),
    ("html", "<tr><th>Issue</th><th>Package</th><th>Nearest deal</th><th>Changed</th></tr>"),
])
def test_markdown_and_html_set_each_nearest_deal_beside_its_package(cli, fmt, expected):
    assert expected in cli("packages", CASE, "--format", fmt, "--time-limit", TIME).stdout


def test_a_changed_value_is_marked_in_the_table_of_the_nearest_deal(write, cli):
    path = scenario_with(write, one_plan("troops: true"))
    done = cli("packages", path, "--format", "markdown", "--time-limit", TIME)
    assert "| troops | yes | no | changed |" in done.stdout
    assert "- troops: yes → no" in done.stdout


def test_what_the_time_left_undecided_is_said_and_nothing_is_passed_off_as_decided():
    """With no time at all (a run stopped before it starts), no judgement that needs a solve is made, no nearest
    deal is found, and the result says so rather than guess."""
    from feasible.cli.packages_view import packages_text, packages_view
    from feasible.solver import Control, Verdict
    from feasible.solver.packages import Judgement

    scenario = load_scenario(CASE)
    result = compare_packages(scenario, time_limit=float(TIME), control=Control(interrupted=True))
    assert result.verdict is Verdict.UNKNOWN and result.interrupted and not result.decided
    counter = result.packages[1]
    assert {j.rule: j.judgement for j in counter.judgements}["north/no-troops"] is Judgement.UNDECIDED
    assert all(p.nearest is None and not p.decided for p in result.packages)
    text = packages_text(packages_view(scenario, result))
    assert "Red lines not judged within the time limit" in text
    assert "No nearest deal: the run was interrupted before one was found" in text
    assert "Incomplete: the run was interrupted before every part was decided" in text


def test_packages_say_under_which_readings_and_day_they_are_compared():
    from conftest import invoke

    args = ["packages", "--package", "paris-declaration", "--reading", "coalition-force-as-demand",
            "--as-of", "2026-01-07"]
    doc = json.loads(invoke(*args, "--format", "json").stdout)
    assert doc["readings"] == ["coalition-force-as-demand"] and doc["as_of"] == "2026-01-07"
    for output in ("text", "markdown", "html"):
        shown = invoke(*args, "--format", output).stdout
        assert "Under the reading coalition-force-as-demand" in shown
        assert "Positions as of 2026-01-07." in shown
    plain = json.loads(invoke("packages", "--package", "paris-declaration", "--format", "json").stdout)
    assert "readings" not in plain and plain["as_of"] == "2026-01-08"
