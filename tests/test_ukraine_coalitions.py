"""The shipped Ukraine scenario's consent scopes, coalitions and order of steps (issue 17, point 4).

Who must consent to each issue is a modelling choice made by one rule (scenario.yaml's comment on `issues:`): a
party consents when one of its fact-sheet red lines is about the issue, or when it acts on it or hosts or receives
what it decides. So the force stays open for Russia (its veto), the guarantees' form and terms do not. The
positions on the order of steps replace the booleans that faked it; Russia's withdrawal before any ceasefire closes
a cycle with Ukraine's referendum between them only when any referendum needs a ceasefire (--reading
referendum-needs-ceasefire): by default that order is Ukraine's demand (the fact sheet's UA-D4). These run on the
installed package: the scenario ships with it."""

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
READING = ("--reading", "referendum-needs-ceasefire")
CYCLE = ("Russia: withdrawal before ceasefire; assumed: ceasefire before referendum; Ukraine: referendum before "
         "withdrawal")
ORDER = ["russia/withdrawal-before-ceasefire", "facts/ceasefire-before-referendum",
         "ukraine/referendum-before-withdrawal"]
# The reasons for each list are in scenario.yaml's comments; here, what the lists must say.
CONSENT = {
    "us_ground_troops_in_ukraine": {"ukraine", "us"},
    "foreign_force_posture": {"europe", "russia", "ukraine"},  # RU-R1 and CW-R1 are about it
    "force_lead": {"europe", "russia", "ukraine", "us"},
    "force_contributors_inside_ukraine": {"europe", "italy", "poland", "russia", "ukraine", "us"},
    "mnf_troops_inside_ukraine": {"europe", "russia", "ukraine"},
    "us_contributions": {"europe", "ukraine", "us"},  # CW-R2, the US backstop
    "us_commitment": {"ukraine", "us"},
    "coalition_commitment": {"europe", "ukraine"},
    "us_guarantee_to_congress": {"us"},
    "guarantors": {"europe", "russia", "ukraine", "us"},  # Russia would be one
    "us_guarantee_years": {"ukraine", "us"},
    "ukraine_army_cap_thousands": {"ukraine"},  # Russia's cap is a demand (RU-D4), not a red line
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


def test_the_commitments_are_sub_agreements_and_the_force_needs_russia():
    """The coalition and Ukraine settle the Paris Declaration's commitment, not its force (Russia's veto is about
    it); Ukraine and the US the December offer, but not the US contributions (the coalition's backstop red line is
    about them); Ukraine alone its army cap and its elections."""
    scenario = load_scenario(UKRAINE)
    assert settled_by(scenario, ["europe", "ukraine"]) == [
        "coalition_commitment", "ukraine_army_cap_thousands", "elections_timing"]
    assert settled_by(scenario, ["ukraine", "us"]) == [
        "us_ground_troops_in_ukraine", "us_commitment", "us_guarantee_to_congress", "us_guarantee_years",
        "ukraine_army_cap_thousands", "elections_timing"]
    paris = {value.issue for package in scenario.packages if package.name == "paris-declaration"
             for value in package.values}
    assert paris - set(settled_by(scenario, ["europe", "ukraine"])) == {"force_lead", "foreign_force_posture"}
    open_for_russia = [name for name in scenario.issues if name not in settled_by(scenario, ALL_BUT["russia"])]
    assert open_for_russia == ["foreign_force_posture", "force_lead", "force_contributors_inside_ukraine",
                               "mnf_troops_inside_ukraine", "guarantors", "ukraine_nato_status",
                               "ukraine_non_nuclear", "donetsk_arrangement", "territorial_recognition", "timeline",
                               "znpp_arrangement", "sanctions", "frozen_russian_assets", "amnesty"]


def test_every_consent_list_is_a_marked_modelling_choice():
    """The fact sheet says nothing about who must consent: the description and a caveat say so, with the rule."""
    scenario = load_scenario(UKRAINE)
    described = " ".join(scenario.description.split())
    assert "Who must consent to what is a modelling choice" in described
    assert "a party consents to an issue when one of its red lines in the fact sheet is about it" in described
    assert any("Who must consent to what is a modelling choice" in " ".join(caveat.split())
               for caveat in scenario.caveats)


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
        "us_ground_troops_in_ukraine", "us_contributions", "us_commitment", "coalition_commitment",
        "us_guarantee_to_congress", "us_guarantee_years", "ukraine_army_cap_thousands", "elections_timing"]
    assert coalition["open"] == [name for name in scenario.issues if name not in coalition["settled"]]
    # the force and the guarantors stay open for Russia, as the settlement does
    assert {"foreign_force_posture", "force_lead", "guarantors", "timeline", "donetsk_arrangement"} <= set(
        coalition["open"])
    # the supporters' own red lines hold: no US ground troops, a US backstop, a binding guarantee
    settled = coalition["settled"]
    assert settled["us_ground_troops_in_ukraine"] is False and "air_power" in settled["us_contributions"]
    assert coalition["outsiders"] == ["eu", "italy", "nato", "poland", "russia"]
    assert coalition["outsiders_accept"] is False and coalition["completion"] is None
    conflict = coalition["conflict"]
    assert conflict["red_lines"] and all(name.startswith("russia/") for name in conflict["red_lines"])
    assert conflict["members"] or conflict["settled"]
    text = " ".join(invoke("coalitions", "--coalition", "europe,us,ukraine").stdout.split())
    assert "settle 8 of 25 issues; 17 stay open for European Union, Italy, NATO, Poland and Russia" in text
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

def test_under_the_reading_the_order_conflict_prints_as_its_cycle():
    result = invoke("check", *READING, "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    cycles = [c["cycle"] for c in doc["conflicts"] if c.get("cycle")]
    assert cycles == [[{"rule": ORDER[0], "earlier": "withdrawal", "later": "ceasefire"},
                       {"rule": ORDER[1], "earlier": "ceasefire", "later": "referendum"},
                       {"rule": ORDER[2], "earlier": "referendum", "later": "withdrawal"}]]
    # the fact is no one's to give up: the cycle opens only by Russia's timing or Ukraine's
    (cycle,) = [c for c in doc["conflicts"] if c.get("cycle")]
    assert cycle["red_lines"] == [ORDER[0], ORDER[2]] and cycle["facts"] == [ORDER[1]]
    for fmt in ("text", "markdown", "html"):
        result = invoke("check", *READING, "--format", fmt)
        assert result.exit_code == 1, result.output
        assert CYCLE in " ".join(result.stdout.split()), fmt


def test_by_default_the_referendums_ceasefire_is_a_demand_and_there_is_no_order_conflict():
    """The fact sheet's UA-D4 is a demand (medium): the cycle is then a trade-off, and two conflicts are left."""
    scenario = load_scenario(UKRAINE)
    demand = scenario.rule("ukraine/referendum-after-ceasefire")
    assert demand.kind == "demand" and demand.weight == 2
    result = invoke("check", "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert sorted(c["red_lines"] for c in doc["conflicts"]) == [
        ["europe/european-led-force", "russia/no-western-troops"],
        ["russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal"]]
    assert not any(c.get("cycle") for c in doc["conflicts"])
    assert "timeline" not in {issue for c in doc["conflicts"] for issue in c["issues"]}


def test_the_reading_is_listed_and_asks_no_question():
    scenario = load_scenario(UKRAINE)
    assert "referendum-needs-ceasefire" in {reading.name for reading in scenario.readings}
    assert all("referendum-needs-ceasefire" not in question.readings for question in scenario.questions)
    result = invoke("scenarios")
    assert result.exit_code == 0 and "--reading referendum-needs-ceasefire" in result.stdout


def test_russia_wants_no_ceasefire_apart_from_the_settlement():
    """As its says: the fighting stops with the settlement, not before it and not after it."""
    rule = load_scenario(UKRAINE).rule("russia/no-temporary-ceasefire")
    assert rule.printed == "timeline.ceasefire == timeline.settlement"


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


def test_the_order_positions_follow_their_fact_sheet_rows():
    """The review's findings: weights and sources of the rows the order positions rest on, split red lines that
    name their row, and no date for [S39] that the fact sheet does not give."""
    scenario = load_scenario(UKRAINE)
    assert scenario.rule("europe/guarantees-once-ceasefire").weight == 3  # CW-D2, high
    assert scenario.rule("europe/ceasefire-before-deployment").source_ids == ("S12", "S69", "S11")  # CW-R1
    assert "read as" in scenario.rule("europe/guarantees-before-territory").says
    for name in ("russia/donbas-withdrawal", "russia/withdrawal-before-ceasefire",
                 "russia/withdrawal-before-settlement"):
        assert "RU-R3" in scenario.rule(name).says, name
    for name in ("ukraine/no-unilateral-withdrawal", "ukraine/referendum-before-withdrawal"):
        assert "UA-R2" in scenario.rule(name).says, name
    text = " ".join((UKRAINE / "scenario.yaml").read_text(encoding="utf-8").split())
    assert "[S39] dates from" not in text and "[S39] is not dated in the fact sheet" in text
    described = " ".join(scenario.description.split())
    assert "UA-R3" in described and "costs Russia up to 3" in described
