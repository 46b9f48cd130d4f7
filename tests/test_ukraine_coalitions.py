"""The shipped Ukraine scenario's consent scopes, coalitions and order of steps (issue 17, point 4).

Who must consent to each issue follows the fact sheet (scenario.yaml `consent:`, each list sourced in its comment):
the supporters settle the force and the guarantees, the settlement issues stay open for Russia. The positions on
the order of steps replace the booleans that faked it, and Russia's withdrawal before any ceasefire closes a cycle
with Ukraine's referendum between them. These run on the installed package: the scenario ships with it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.positions import DEFAULT_SCENARIO, load_scenario, shipped_scenarios

UKRAINE = shipped_scenarios()[DEFAULT_SCENARIO]
PARTIES = ("eu", "europe", "italy", "nato", "poland", "russia", "ukraine", "us")
SUPPORTERS = ("europe", "ukraine", "us")  # scenario order
ALL_BUT = {name: [p for p in PARTIES if p != name] for name in PARTIES}
CYCLE = ("Russia: withdrawal before ceasefire; Ukraine: ceasefire before referendum; Ukraine: referendum before "
         "withdrawal")
ORDER = ["russia/withdrawal-before-ceasefire", "ukraine/referendum-after-ceasefire",
         "ukraine/referendum-before-withdrawal"]
# The fact sheet's grounds for each list are in scenario.yaml's comments; here, what the lists must say.
CONSENT = {
    "us_ground_troops_in_ukraine": {"ukraine", "us"},
    "foreign_force_posture": {"europe", "ukraine"},
    "force_lead": {"europe", "ukraine"},
    "force_contributors_inside_ukraine": {"europe", "italy", "poland", "ukraine", "us"},
    "mnf_troops_inside_ukraine": {"europe", "ukraine"},
    "us_contributions": {"ukraine", "us"},
    "us_commitment": {"ukraine", "us"},
    "coalition_commitment": {"europe", "ukraine"},
    "us_guarantee_to_congress": {"us"},
    "guarantors": {"europe", "ukraine", "us"},
    "us_guarantee_years": {"ukraine", "us"},
    "ukraine_army_cap_thousands": {"russia", "ukraine"},
    "ukraine_nato_status": {"nato", "russia", "ukraine"},
    "ukraine_non_nuclear": {"russia", "ukraine"},
    "donetsk_arrangement": {"russia", "ukraine"},
    "territorial_recognition": {"eu", "russia", "ukraine"},
    "timeline": {"eu", "europe", "russia", "ukraine", "us"},
    "znpp_arrangement": {"russia", "ukraine", "us"},
    "sanctions": {"eu", "europe", "russia", "us"},
    "frozen_russian_assets": {"eu", "russia", "ukraine", "us"},
    "eu_accession": {"eu", "ukraine"},
    "reconstruction_fund_usd_bn": {"eu", "europe", "ukraine", "us"},
    "elections_timing": {"ukraine"},
    "amnesty": {"russia", "ukraine"},
    "european_jets_in_poland": {"europe", "poland"},
}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def coalitions_json(*args: str, code: int = 0) -> dict:
    result = invoke("coalitions", *args, "--format", "json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def groups(doc: dict, key: str) -> list[list[str]]:
    return [group["parties"] for group in doc[key]]


def settled_by(scenario, coalition) -> list[str]:
    return [name for name in scenario.issues if scenario.consenting(name) <= set(coalition)]


# -- consent scopes ------------------------------------------------------------------------------------------------

def test_every_issue_names_who_must_consent():
    scenario = load_scenario(UKRAINE)
    assert {name: set(scenario.consenting(name)) for name in scenario.issues} == CONSENT
    assert all(party.consent is None for party in scenario.parties)  # one place: the issues' lists


def test_the_paris_declaration_and_the_us_offer_are_sub_agreements():
    """The coalition and Ukraine settle the Paris Declaration's force and commitment; Ukraine and the US the
    December offer; Ukraine alone its elections (a modelling choice)."""
    scenario = load_scenario(UKRAINE)
    assert settled_by(scenario, ["europe", "ukraine"]) == [
        "foreign_force_posture", "force_lead", "mnf_troops_inside_ukraine", "coalition_commitment",
        "elections_timing"]
    assert settled_by(scenario, ["ukraine", "us"]) == [
        "us_ground_troops_in_ukraine", "us_contributions", "us_commitment", "us_guarantee_to_congress",
        "us_guarantee_years", "elections_timing"]
    assert {value.issue for package in scenario.packages if package.name == "paris-declaration"
            for value in package.values} <= set(settled_by(scenario, ["europe", "ukraine"]))
    open_for_russia = [name for name in scenario.issues if name not in settled_by(scenario, ALL_BUT["russia"])]
    assert open_for_russia == ["ukraine_army_cap_thousands", "ukraine_nato_status", "ukraine_non_nuclear",
                               "donetsk_arrangement", "territorial_recognition", "timeline", "znpp_arrangement",
                               "sanctions", "frozen_russian_assets", "amnesty"]


# -- feasible coalitions -------------------------------------------------------------------------------------------

def test_coalitions_names_the_maximal_coalitions_and_the_blocking_groups():
    doc = coalitions_json()
    assert doc["verdict"] == "found" and doc["complete"] is True
    assert groups(doc, "maximal") == [ALL_BUT["russia"], ["eu", "italy", "nato", "poland", "russia", "us"]]
    assert [m["left_out"] for m in doc["maximal"]] == [["russia"], ["europe", "ukraine"]]
    assert groups(doc, "blocking") == [["europe", "russia"], ["russia", "ukraine"]]
    assert [b["red_lines"] for b in doc["blocking"]] == [
        ["europe/european-led-force", "russia/no-western-troops"],
        ["russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal"]]
    text = invoke("coalitions").stdout
    assert "2 maximal coalitions and 2 blocking groups, all found and each verified." in " ".join(text.split())


def test_coalitions_with_and_without_russia():
    included = coalitions_json("--include", "russia")
    assert groups(included, "maximal") == [["eu", "italy", "nato", "poland", "russia", "us"]]
    assert groups(included, "blocking") == [["europe"], ["ukraine"]]
    excluded = coalitions_json("--exclude", "russia")
    assert groups(excluded, "maximal") == [ALL_BUT["russia"]] and excluded["blocking"] == []


@pytest.mark.parametrize("readings, maximal, blocking", [
    # equally large coalitions in scenario order: russia comes before ukraine
    (["coalition-force-as-demand"], [ALL_BUT["ukraine"], ALL_BUT["russia"]], [["russia", "ukraine"]]),
    (["nato-only", "european-or-us-troops"],
     [ALL_BUT["russia"], ["eu", "europe", "italy", "nato", "poland", "russia"],
      ["eu", "italy", "nato", "poland", "russia", "us"]],
     [["russia", "ukraine"], ["europe", "russia", "us"]]),
])
def test_coalitions_under_the_readings(readings, maximal, blocking):
    doc = coalitions_json(*(option for name in readings for option in ("--reading", name)),
                          "--as-of", "2026-01-08")
    assert groups(doc, "maximal") == maximal
    assert groups(doc, "blocking") == blocking


def test_the_supporters_sub_agreement_leaves_the_settlement_open_and_russia_cannot_complete_it():
    doc = coalitions_json("--coalition", "europe,us,ukraine")
    coalition = doc["coalition"]
    assert coalition["parties"] == list(SUPPORTERS) and coalition["has_deal"] is True
    scenario = load_scenario(UKRAINE)
    assert list(coalition["settled"]) == settled_by(scenario, SUPPORTERS) == [
        "us_ground_troops_in_ukraine", "foreign_force_posture", "force_lead", "mnf_troops_inside_ukraine",
        "us_contributions", "us_commitment", "coalition_commitment", "us_guarantee_to_congress", "guarantors",
        "us_guarantee_years", "elections_timing"]
    assert coalition["open"] == [name for name in scenario.issues if name not in coalition["settled"]]
    assert "timeline" in coalition["open"] and "donetsk_arrangement" in coalition["open"]
    # the supporters' own red lines hold: a European-led force inside Ukraine, no US ground troops
    settled = coalition["settled"]
    assert settled["force_lead"] == "europe" and settled["foreign_force_posture"] == "inside_ukraine_rear"
    assert settled["us_ground_troops_in_ukraine"] is False
    assert coalition["outsiders"] == ["eu", "italy", "nato", "poland", "russia"]
    assert coalition["outsiders_accept"] is False and coalition["completion"] is None
    conflict = coalition["conflict"]
    assert conflict["red_lines"] and all(name.startswith("russia/") for name in conflict["red_lines"])
    # the conflict is with what the supporters settled (their force), not with their own red lines
    assert conflict["members"] == [] and conflict["settled"]
    assert set(conflict["settled"]) <= {"force_lead", "foreign_force_posture", "mnf_troops_inside_ukraine",
                                        "us_ground_troops_in_ukraine"}
    text = " ".join(invoke("coalitions", "--coalition", "europe,us,ukraine").stdout.split())
    assert "settle 11 of 25 issues; 14 stay open for European Union, Italy, NATO, Poland and Russia" in text
    assert ("European Union, Italy, NATO, Poland and Russia cannot all accept one completion of the sub-agreement"
            in text)


def test_without_russia_the_others_complete_the_supporters_sub_agreement():
    doc = coalitions_json("--coalition", "europe,us,ukraine", "--exclude", "russia")
    coalition = doc["coalition"]
    assert coalition["outsiders"] == ["eu", "italy", "nato", "poland"]
    assert coalition["outsiders_accept"] is True and coalition["conflict"] is None
    completion = coalition["completion"]["issues"]
    assert all(completion[name] == value for name, value in coalition["settled"].items())


# -- the order of steps --------------------------------------------------------------------------------------------

def test_the_order_conflict_prints_as_its_cycle():
    result = invoke("check", "--format", "json")
    assert result.exit_code == 1, result.output
    cycles = [c["cycle"] for c in json.loads(result.stdout)["conflicts"] if c.get("cycle")]
    assert cycles == [[{"rule": ORDER[0], "earlier": "withdrawal", "later": "ceasefire"},
                       {"rule": ORDER[1], "earlier": "ceasefire", "later": "referendum"},
                       {"rule": ORDER[2], "earlier": "referendum", "later": "withdrawal"}]]
    for fmt in ("text", "markdown", "html"):
        result = invoke("check", "--format", fmt)
        assert result.exit_code == 1, result.output
        assert CYCLE in " ".join(result.stdout.split()), fmt


def test_the_cycle_rests_on_the_referendums_ceasefire_being_a_red_line():
    """As the description says: demoted to a demand, the cycle is a trade-off, and two conflicts are left."""
    result = invoke("check", "--demote", ORDER[1], "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert sorted(c["red_lines"] for c in doc["conflicts"]) == [
        ["europe/european-led-force", "russia/no-western-troops"],
        ["russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal"]]


def test_the_old_booleans_are_gone_and_the_steps_are_tied_to_their_issues():
    scenario = load_scenario(UKRAINE)
    assert "ceasefire_before_settlement" not in scenario.issues and "ratification_referendum" not in scenario.issues
    timeline = scenario.issues["timeline"]
    assert timeline.steps == ("ceasefire", "withdrawal", "referendum", "guarantees", "deployment", "settlement",
                              "sanctions_relief")
    assert timeline.optional == ("withdrawal", "referendum", "guarantees", "deployment", "sanctions_relief")
    assert {"withdrawal-step", "deployment-step", "guarantees-step", "sanctions-relief-step"} <= {
        fact.id for fact in scenario.facts}


def test_lint_stays_clean():
    result = invoke("lint", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warnings"] == []
