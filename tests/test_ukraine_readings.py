"""The shipped Ukraine scenario against its sources (issues 13 and 16): the questions and readings it declares in
scenario.yaml, the answers under the sourced default that the issue requires, and `--with` finding a scenario's
overlays (and pointing to `--reading` where a reading of that name is declared).

These run on the installed package (CI installs it without -e), so they also show that the scenario is shipped as
package data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.positions import DEFAULT_SCENARIO, load_scenario, shipped_scenarios

UKRAINE = shipped_scenarios()[DEFAULT_SCENARIO]
# Each reading that changes something (the questions' alternatives, and the standalone one), as --reading options;
# the three-party conflict is two of them together.
READINGS = {
    "coalition-force-as-demand": ["coalition-force-as-demand"],
    "eu-no-2027-date": ["eu-no-2027-date"],
    "nato-consensus-open": ["nato-consensus-open"],
    "nato-only": ["nato-only"],
    "referendum-needs-ceasefire": ["referendum-needs-ceasefire"],
    "relief-after-settlement": ["relief-after-settlement"],
    "three-party": ["nato-only", "european-or-us-troops"],
    "us-paris-walkback": ["us-paris-walkback"],
}
FORCE = ["europe/european-led-force", "russia/no-western-troops"]
DONBAS = ["russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal"]
# The order cycle under --reading referendum-needs-ceasefire: Russia's withdrawal before any ceasefire, Ukraine's
# referendum before any withdrawal (the red lines; the fact that a referendum needs a ceasefire closes it).
ORDER = ["russia/withdrawal-before-ceasefire", "ukraine/referendum-before-withdrawal"]
SETTLED_US_TROOPS = "facts/set-us-ground-troops-in-ukraine"  # what --set us_ground_troops_in_ukraine=true adds
THREE_PARTY = ["europe/european-led-force", "russia/no-western-troops", "us/no-us-ground-troops"]


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def check_json(*args: str, code: int) -> dict:
    result = invoke("check", *args, "--format", "json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def conflicts(doc: dict) -> list[list[str]]:
    return sorted(c["red_lines"] for c in doc["conflicts"])


def reading(key: str) -> list[str]:
    """The options that choose a reading, with --as-of its first day when it starts after the scenario's date."""
    scenario = load_scenario(UKRAINE)
    starts = [r.valid_from for r in scenario.readings
              if r.name in READINGS[key] and r.valid_from is not None and r.valid_from > scenario.as_of]
    day = ["--as-of", max(starts).isoformat()] if starts else []
    return [option for name in READINGS[key] for option in ("--reading", name)] + day


def test_the_eu_reading_after_the_window_needs_a_day_it_holds():
    result = invoke("check", "--reading", "eu-no-2027-date")
    assert result.exit_code == 2, result.output
    assert "--reading eu-no-2027-date holds from 2026-01-28, but the positions are taken as of 2026-01-08" in \
        result.output
    assert "--as-of 2026-01-28" in result.output and "Traceback" not in result.output


def declared() -> dict:
    return yaml.safe_load((UKRAINE / "scenario.yaml").read_text(encoding="utf-8"))


# -- what is shipped -----------------------------------------------------------------------------------------------

def test_the_readings_are_declared_in_the_scenario_file():
    assert not (UKRAINE / "readings").exists()  # the overlays they replace are gone
    scenario = load_scenario(UKRAINE)
    assert [q.name for q in scenario.questions] == ["russia-veto-scope", "coalition-force", "nato-consensus",
                                                    "us-commitment"]
    changing = {name for names in READINGS.values() for name in names}
    assert changing == {r.name for r in scenario.readings if r.changes}
    assert all(path.parent == UKRAINE for path in scenario.files)


@pytest.mark.parametrize("name", sorted(declared()["readings"]))
def test_each_reading_is_described_and_sourced(name):
    doc = declared()["readings"][name]
    known = {source.id for source in load_scenario(UKRAINE).sources}
    assert doc["title"].strip() and len(doc["description"].split()) >= 15
    cited = {part.strip() for part in doc["source"].split(",")}
    assert cited and cited <= known
    rules = list(doc.get("facts") or [])
    for party in doc.get("parties") or []:
        rules += (party.get("red_lines") or []) + (party.get("demands") or [])
    for rule in rules:
        if not rule.get("drop"):
            assert {part.strip() for part in rule["source"].split(",")} <= known, rule["id"]
    for source in re.findall(r"\[(S\d+)\]", doc["description"]):
        assert source in known


@pytest.mark.parametrize("key", sorted(READINGS))
def test_each_reading_applies_and_is_named_in_the_description(key):
    doc = check_json(*reading(key), code=1)
    assert doc["readings"] == READINGS[key]
    description = " ".join(load_scenario(UKRAINE).description.split())
    for name in READINGS[key]:
        assert f"--reading {name}" in description


def test_the_description_says_which_reading_is_the_default_and_why():
    description = " ".join(load_scenario(UKRAINE).description.split())
    assert "The default reading, and why." in description
    assert "Under the sourced default the US is not part of any minimal conflict" in description
    assert "not established by the sources" in description


def test_every_fact_sheet_source_cited_is_declared():
    scenario = load_scenario(UKRAINE)
    declared = {source.id for source in scenario.sources}
    assert set(re.findall(r"\[(S\d+)\]", scenario.description)) <= declared


# -- the sourced default ---------------------------------------------------------------------------------------------

def test_default_conflicts_leave_the_us_out():
    doc = check_json(code=1)
    assert conflicts(doc) == [FORCE, DONBAS]
    assert doc["conflicts_complete"] is True
    assert all(not name.startswith("us/") for c in doc["conflicts"] for name in c["red_lines"])


def test_demoting_the_us_refusal_opens_no_deal_with_us_troops_that_russia_accepts():
    """The README's example under the old files opened a deal with a US-led force in Ukraine that Russia
    accepted. Now Russia's veto covers US troops: with the refusal demoted and US troops pinned, every way to a
    deal gives up Russia's veto (or the pin)."""
    doc = check_json("--demote", "us/no-us-ground-troops", "--set", "us_ground_troops_in_ukraine=true", code=1)
    assert any(c["red_lines"] == ["russia/no-western-troops"] and SETTLED_US_TROOPS in c["facts"]
               for c in doc["conflicts"])
    for relaxation in doc["relaxations"]:
        assert "russia/no-western-troops" in relaxation["drop"]
    # and with the refusal demoted alone, no deal at all, as before the demotion
    demoted = check_json("--demote", "us/no-us-ground-troops", code=1)
    assert conflicts(demoted) == [FORCE, DONBAS]


def test_under_the_narrow_veto_us_troops_do_not_collide_with_russia():
    doc = check_json(*reading("nato-only"), "--demote", "us/no-us-ground-troops",
                     "--set", "us_ground_troops_in_ukraine=true", code=1)
    assert all(SETTLED_US_TROOPS not in c["facts"] for c in doc["conflicts"])


def test_russia_never_guarantees_a_binding_pledge_against_itself(tmp_path):
    """Asking for Russia among the guarantors of a binding pledge collides with a fact alone."""
    probe = tmp_path / "probe.yaml"
    probe.write_text(
        "party: probe\nred_lines:\n  - id: russia-guarantees-binding\n    says: Russia guarantees a binding pledge.\n"
        "    rule: guarantors contains \"russia\" and (us_commitment >= \"legally_binding_support\"\n"
        "      or coalition_commitment >= \"legally_binding_support\")\n", encoding="utf-8")
    doc = check_json("--with", str(probe), "--drop", "europe/european-led-force", "--drop",
                     "russia/donbas-withdrawal", code=1)
    assert [(c["red_lines"], c["facts"]) for c in doc["conflicts"]] == [
        (["probe/russia-guarantees-binding"], ["facts/no-guarantor-against-itself"])]


@pytest.mark.parametrize("name", [None, *sorted(READINGS)])
def test_no_deal_offered_names_russia_guarantor_of_a_binding_pledge(name):
    args = ["--relaxations", "20"] + (reading(name) if name else [])
    doc = check_json(*args, code=1)
    deals = [r["deal"] for r in doc["relaxations"] if r["deal"]]
    assert deals
    binding = {"legally_binding_support", "article5_like"}
    for deal in deals:
        issues = deal["issues"]
        if "russia" in issues["guarantors"]:
            assert issues["us_commitment"] not in binding and issues["coalition_commitment"] not in binding


def test_the_designed_three_party_conflict_is_its_own_labelled_reading():
    doc = check_json(*reading("three-party"), code=1)
    assert conflicts(doc) == [THREE_PARTY, DONBAS]
    assert len(check_json(*reading("three-party"), "--relaxations", "20", code=1)["relaxations"]) == 6
    narrow = check_json(*reading("nato-only"), code=1)
    assert conflicts(narrow) == [FORCE, DONBAS]  # the narrow veto alone does not bring the US in


def test_the_force_as_a_demand_leaves_only_donbas():
    doc = check_json(*reading("coalition-force-as-demand"), "--relaxations", "20", code=1)
    assert conflicts(doc) == [DONBAS]
    assert sorted(r["drop"] for r in doc["relaxations"]) == [[DONBAS[0]], [DONBAS[1]]]


def test_the_referendums_ceasefire_as_a_condition_adds_the_order_cycle():
    """Its description says so: the cycle's fact is no one's to give up, so each way gives up one red line of the
    force, of Donbas and of the cycle's two (2 * 2 * 2 = 8 ways at cost 3); Ukraine's demand it replaces is gone."""
    doc = check_json(*reading("referendum-needs-ceasefire"), "--relaxations", "20", code=1)
    assert conflicts(doc) == [FORCE, DONBAS, ORDER]
    (cycle,) = [c for c in doc["conflicts"] if c.get("cycle")]
    assert cycle["facts"] == ["facts/ceasefire-before-referendum"]
    assert sorted(sorted(r["drop"]) for r in doc["relaxations"]) == sorted(
        sorted([force, donbas, order]) for force in FORCE for donbas in DONBAS for order in ORDER)
    assert all(r["cost"] == 3 for r in doc["relaxations"])
    assert all("ukraine/referendum-after-ceasefire" not in d["parties"]["ukraine"]["met"] + d["parties"]["ukraine"]
               ["unmet"] for d in (r["deal"] for r in doc["relaxations"]))


def ways(doc: dict) -> list[tuple[list[str], dict]]:
    return [(r["drop"], r["deal"]["satisfaction"]) for r in doc["relaxations"]]


@pytest.mark.parametrize("name", ["nato-only", "nato-consensus-open"])
def test_readings_that_change_nothing_with_the_other_files_as_they_are(name):
    """Their descriptions say so: the same conflicts and the same ways to a deal, with the same satisfaction."""
    default = check_json("--relaxations", "20", code=1)
    doc = check_json(*reading(name), "--relaxations", "20", code=1)
    assert conflicts(doc) == conflicts(default)
    assert ways(doc) == ways(default)


def test_relief_after_the_settlement_changes_no_way_to_a_deal_but_orders_relief():
    """Not established by the sources: no position asks relief before the settlement, so only the deals' timelines
    change (relief, where there is any, no longer in a phase before the settlement)."""
    default = check_json("--relaxations", "20", code=1)
    doc = check_json(*reading("relief-after-settlement"), "--relaxations", "20", code=1)
    assert conflicts(doc) == conflicts(default)
    assert [r["drop"] for r in doc["relaxations"]] == [r["drop"] for r in default["relaxations"]]

    def timelines(d: dict) -> list[dict]:
        return [r["deal"]["issues"]["timeline"] for r in d["relaxations"]]
    assert any(0 < t["sanctions_relief"] < t["settlement"] for t in timelines(default))
    assert all(t["sanctions_relief"] == 0 or t["sanctions_relief"] >= t["settlement"] for t in timelines(doc))


def test_eu_reading_changes_no_conflict_but_pulls_against_2027():
    doc = check_json(*reading("eu-no-2027-date"), "--relaxations", "20", code=1)
    assert conflicts(doc) == [FORCE, DONBAS]
    assert any("eu/accession-without-fixed-date" in deal["parties"]["eu"]["unmet"]
               or "ukraine/eu-2027" in deal["parties"]["ukraine"]["unmet"]
               for deal in (r["deal"] for r in doc["relaxations"]))


def test_paris_walkback_turns_the_guarantee_round():
    """The Paris outcome: the coalition's commitment binding, the US's political only."""
    args = ["--drop", "europe/european-led-force", "--drop", "ukraine/no-unilateral-withdrawal"]
    default = check_json(*args, code=0)["deal"]["issues"]
    assert default["us_commitment"] == "article5_like"
    issues = check_json(*reading("us-paris-walkback"), *args, code=0)["deal"]["issues"]
    assert issues["us_commitment"] == "political_only"
    assert issues["coalition_commitment"] in ("legally_binding_support", "article5_like")
    assert conflicts(check_json(*reading("us-paris-walkback"), code=1)) == [FORCE, DONBAS]


def test_nato_is_no_red_line_party_and_its_missing_consensus_is_a_fact():
    scenario = load_scenario(UKRAINE)
    assert scenario.party("nato").red_lines == ()
    assert "no-nato-consensus" in {fact.id for fact in scenario.facts}
    doc = check_json("--drop", "europe/european-led-force", "--drop", "russia/donbas-withdrawal", code=0)
    assert doc["deal"]["issues"]["ukraine_nato_status"] != "open_path"


# -- --with finds a scenario's overlays; --reading its readings ------------------------------------------------------

def test_with_prefers_a_file_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "readings").mkdir()
    (tmp_path / "readings" / "nato-only.yaml").write_text(
        "facts:\n  - id: no-nato-consensus\n    drop: true\n", encoding="utf-8")
    doc = check_json("--with", "readings/nato-only.yaml", code=1)
    assert doc["edits"][0]["rules"] == ["facts/no-nato-consensus"]  # the local file


def test_with_a_readings_file_of_a_declared_reading_hints_the_reading(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "--with", "readings/coalition-force-as-demand.yaml")
    assert result.exit_code == 2
    assert "--with readings/coalition-force-as-demand.yaml: no such file" in result.output
    assert "use --reading coalition-force-as-demand" in " ".join(result.output.split())
    result = invoke("check", "--with", "nothing.yaml")
    assert result.exit_code == 2 and "no such file" in result.output and "Traceback" not in result.output


def test_a_scenario_without_readings_gives_no_readings_hint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "three-party-toy", "--with", "readings/nato-only.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.output and "reading" not in result.output.split("no such file", 1)[1]


def test_scenarios_lists_the_questions_and_readings_with_their_titles():
    result = invoke("scenarios")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    scenario = load_scenario(UKRAINE)
    for question in scenario.questions:
        assert f"{question.name} {question.asks}" in text
    for item in scenario.readings:
        assert f"--reading {item.name} {item.title}" in text
    assert "--reading includes-us Russia's veto covers every NATO country's troops, the US included (the default: " \
           "the files as written)" in text


def test_edit_write_of_an_overlay_found_in_a_copy_s_readings_folder(tmp_path, monkeypatch):
    """`edit --write --with readings/NAME.yaml`: the lookup in the scenario's directory stays for user scenarios."""
    import shutil

    monkeypatch.chdir(tmp_path)
    shutil.copytree(UKRAINE, tmp_path / "ukraine")
    (tmp_path / "ukraine" / "readings").mkdir()
    (tmp_path / "ukraine" / "readings" / "narrow.yaml").write_text(
        "title: Narrow\nparties:\n  - party: russia\n    red_lines:\n      - id: no-western-troops\n"
        "        says: No coalition troops.\n"
        "        rule: count(force_contributors_inside_ukraine contains \"uk\") == 0\n"
        "        source: S52\n", encoding="utf-8")
    result = invoke("edit", "ukraine", "--with", "readings/narrow.yaml", "--write")
    assert result.exit_code == 0, result.output
    text = Path(tmp_path / "ukraine" / "russia.yaml").read_text(encoding="utf-8")
    assert 'force_contributors_inside_ukraine contains "uk") == 0' in text
    assert "title:" not in text  # an overlay's title describes it; it is not written


def test_scenarios_says_which_day_a_reading_after_the_window_needs():
    result = invoke("scenarios")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert ("--reading eu-no-2027-date The EU against a fixed 2027 accession date (after the scenario's window) "
            "(not on the scenario's day: use --as-of 2026-01-28 or later)") in text
    assert "--reading nato-only Russia's veto covers the European coalition's troops only coalition-force" in text
