"""`feasible check` with what-if edits: --drop, --set, --demote, --with; the before/after comparison in JSON and
text; errors and exit codes; and, on the shipped Ukraine scenario, each proposed relaxation applied with --drop
gives the deal it announced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app

WHATIF = Path(__file__).parent / "data" / "whatif"
LAKE = str(WHATIF / "lake")
OVERLAYS = WHATIF / "overlays"
TOY = "three-party-toy"  # has a deal
CEASEFIRE = "ceasefire-basics"  # no deal: {blue_side/shallow-buffer, red_side/deep-buffer}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def check_json(*args: str, code: int | None = None) -> dict:
    result = invoke("check", *args, "--format", "json")
    if code is not None:
        assert result.exit_code == code, result.output
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def relaxations(doc: dict) -> list[list[str]]:
    return [r["drop"] for r in doc.get("relaxations") or []]


# -- --drop --------------------------------------------------------------------------------------------------------

def test_drop_exact_name_opens_a_deal():
    doc = check_json(CEASEFIRE, "--drop", "red_side/deep-buffer", code=0)
    assert doc["verdict"] == "deal"
    assert doc["edits"] == [{"kind": "drop", "argument": "red_side/deep-buffer", "rules": ["red_side/deep-buffer"]}]
    assert doc["baseline"]["verdict"] == "no-deal"
    assert doc["changes"]["conflicts_resolved"] == [["blue_side/shallow-buffer", "red_side/deep-buffer"]]


def test_drop_glob_over_a_party():
    doc = check_json(CEASEFIRE, "--drop", "red_side/*", code=0)
    assert doc["edits"][0]["rules"] == ["red_side/deep-buffer", "red_side/prisoners-home", "red_side/long-ceasefire",
                                        "red_side/un-monitors"]
    assert "red_side" not in doc["deal"]["satisfaction"]  # a party without demands has no satisfaction


def test_drop_glob_over_every_party():
    doc = check_json(CEASEFIRE, "--drop", "*/*-buffer", code=0)
    assert doc["edits"][0]["rules"] == ["blue_side/shallow-buffer", "red_side/deep-buffer"]


def test_drop_fact():
    doc = check_json(CEASEFIRE, "--drop", "facts/buffer-needs-monitors", code=1)
    assert doc["edits"][0]["rules"] == ["facts/buffer-needs-monitors"]
    assert doc["changes"]["verdict"] == {"before": "no-deal", "after": "no-deal"}
    assert doc["changes"]["conflicts_remaining"] == [["blue_side/shallow-buffer", "red_side/deep-buffer"]]


def test_drop_accept_at_least():
    doc = check_json(TOY, "--drop", "east/accept-at-least", code=0)
    assert doc["edits"] == [{"kind": "drop", "argument": "east/accept-at-least", "rules": ["east/accept-at-least"]}]


def test_repeated_drops_are_all_applied():
    doc = check_json(TOY, "--drop", "south/best-treatment", "--drop", "north/*", code=0)
    assert [e["argument"] for e in doc["edits"]] == ["south/best-treatment", "north/*"]
    assert "north" not in doc["deal"]["satisfaction"]


# -- --set ---------------------------------------------------------------------------------------------------------

def test_set_bool_conflicting_with_a_red_line():
    doc = check_json(TOY, "--set", "joint_authority=false", code=1)
    assert doc["verdict"] == "no-deal"
    assert [(c["red_lines"], c["facts"]) for c in doc["conflicts"]] == [
        (["east/joint-authority"], ["facts/set-joint-authority"])]
    assert relaxations(doc) == [["east/joint-authority"]]  # a fact, never given up
    assert doc["changes"]["conflicts_new"] == [["east/joint-authority"]]
    assert doc["changes"]["verdict"] == {"before": "deal", "after": "no-deal"}
    assert doc["edits"] == [{"kind": "set", "argument": "joint_authority=false",
                             "rules": ["facts/set-joint-authority"]}]


def test_set_enum():
    doc = check_json(TOY, "--set", "chair=east", code=0)
    assert doc["deal"]["issues"]["chair"] == "east"
    assert doc["forced"]["chair"] == "east"
    change = doc["changes"]["issues_changed"]["chair"]
    assert (change["before"], change["after"]) == ("north", "east")


def test_set_int():
    doc = check_json(TOY, "--set", "extraction_cap=650", code=0)
    assert doc["deal"]["issues"]["extraction_cap"] == 650
    assert doc["changes"]["issues_changed"]["extraction_cap"]["after"] == 650


def test_set_int_outside_the_red_lines_conflicts_with_them():
    doc = check_json(TOY, "--set", "extraction_cap=300", code=1)
    assert [(c["red_lines"], c["facts"]) for c in doc["conflicts"]] == [
        (["north/enough-water"], ["facts/set-extraction-cap"])]
    assert all("facts/set-extraction-cap" not in r for r in relaxations(doc))


def test_set_set_issue():
    doc = check_json(TOY, "--set", "projects=monitoring_stations,reservoir", code=0)
    assert doc["deal"]["issues"]["projects"] == ["monitoring_stations", "reservoir"]


def test_set_empty_set():
    doc = check_json(TOY, "--set", "projects=", code=0)
    assert doc["deal"]["issues"]["projects"] == []
    assert doc["edits"][0]["rules"] == ["facts/set-projects"]


def test_a_setting_appears_in_conflicts_as_a_fact_and_is_never_relaxed():
    doc = check_json(CEASEFIRE, "--set", "buffer_zone_km=15", "--relaxations", "10", code=1)
    conflicts = [(c["red_lines"], c["facts"]) for c in doc["conflicts"]]
    assert (["blue_side/shallow-buffer"], ["facts/set-buffer-zone-km"]) in conflicts
    assert (["red_side/deep-buffer"], ["facts/set-buffer-zone-km"]) in conflicts
    assert relaxations(doc) == [["blue_side/shallow-buffer", "red_side/deep-buffer"]]
    assert doc["relaxations"][0]["deal"]["issues"]["buffer_zone_km"] == 15  # the setting still holds


def test_set_text_names_the_fact():
    result = invoke("check", CEASEFIRE, "--set", "buffer_zone_km=15")
    assert result.exit_code == 1, result.output
    assert "facts/set-buffer-zone-km" in result.stdout
    assert "buffer_zone_km is settled: 15." in result.stdout
    assert "--set buffer_zone_km=15" in result.stdout


# -- --demote ------------------------------------------------------------------------------------------------------

def test_demote_turns_a_red_line_into_a_demand():
    doc = check_json(CEASEFIRE, "--demote", "red_side/deep-buffer", code=0)
    assert doc["edits"] == [{"kind": "demote", "argument": "red_side/deep-buffer", "rules": ["red_side/deep-buffer"]}]
    assert "red_side/deep-buffer" in doc["deal"]["parties"]["red_side"]["unmet"]


def test_demote_accept_at_least_is_refused():
    result = invoke("check", TOY, "--demote", "east/accept-at-least")
    assert result.exit_code == 2, result.output
    assert "an accept_at_least level cannot become a demand" in result.stderr
    assert "--drop east/accept-at-least" in result.stderr
    assert result.stdout == ""


# -- --with --------------------------------------------------------------------------------------------------------

def test_with_overlay_replacing_and_adding():
    doc = check_json(LAKE, "--with", str(OVERLAYS / "replace-and-add.yaml"), code=0)
    assert doc["edits"][0]["kind"] == "with"
    assert doc["edits"][0]["rules"] == ["facts/reservoir-needs-dam", "north/enough-water", "south/reservoir"]
    assert doc["deal"]["issues"]["extraction_cap"] >= 500
    assert "south/reservoir" in doc["deal"]["parties"]["south"]["met"] + doc["deal"]["parties"]["south"]["unmet"]


def test_with_overlay_adding_a_party():
    doc = check_json(LAKE, "--with", str(OVERLAYS / "new-party.yaml"), code=0)
    assert "dam" not in doc["deal"]["issues"]["projects"]  # west's red line
    assert doc["changes"]["satisfaction"]["west"] == {"before": None, "after": 1.0}


def test_with_overlay_dropping_a_party():
    doc = check_json(LAKE, "--with", str(OVERLAYS / "drop-party.yaml"), code=0)
    assert doc["changes"]["satisfaction"]["south"] == {"before": 0.75, "after": None}
    assert "south" not in doc["deal"]["parties"]


def test_with_overlay_dropping_a_rule():
    doc = check_json(LAKE, "--with", str(OVERLAYS / "drop-rule.yaml"), code=0)
    assert doc["edits"][0]["rules"] == ["south/dam-only-with-canal"]


def test_with_overlay_in_the_party_file_shape():
    doc = check_json(LAKE, "--with", str(OVERLAYS / "party-file.yaml"), code=0)
    assert doc["deal"]["issues"]["treatment_level"] == "advanced"
    assert "east/monitoring" not in doc["deal"]["parties"]["east"]["met"] + doc["deal"]["parties"]["east"]["unmet"]


def test_with_overlay_moving_a_red_line_to_the_demands():
    doc = check_json(LAKE, "--with", str(OVERLAYS / "move-to-demands.yaml"), code=0)
    assert "east/joint-authority" in doc["deal"]["parties"]["east"]["met"]
    assert doc["changes"]["satisfaction"]["east"]["after"] == 0.9  # (3 + 2 + 4) of 10


def test_several_kinds_together_report_in_edit_order():
    doc = check_json(LAKE, "--set", "chair=south", "--demote", "west/no-dam", "--drop", "north/build-dam",
                     "--with", str(OVERLAYS / "new-party.yaml"), code=0)
    assert [e["kind"] for e in doc["edits"]] == ["with", "drop", "demote", "set"]
    assert doc["deal"]["issues"]["chair"] == "south"


# -- errors: exit 2, a message, never a traceback ------------------------------------------------------------------

@pytest.mark.parametrize("args, message, hint", [
    (["--drop", "north/build-damm"], "--drop north/build-damm: no red line, demand or fact matches",
     "did you mean 'north/build-dam'?"),
    (["--drop", "west/*"], "--drop west/*: no red line, demand or fact matches", "names are PARTY/ID or facts/ID"),
    (["--demote", "north/enough-watr"], "--demote north/enough-watr: no such red line",
     "did you mean 'north/enough-water'?"),
    (["--demote", "north/build-dam"], "--demote north/build-dam: no such red line", "it is not a red line"),
    (["--set", "chiar=east"], "--set chiar=east: unknown issue 'chiar'", "did you mean 'chair'?"),
    (["--set", "chair=eastt"], "'eastt' is not a value of enum issue 'chair'", "did you mean 'east'?"),
    (["--set", "extraction_cap=5000"], "5000 is outside issue 'extraction_cap' (100..1000)", None),
    (["--set", "projects=dams"], "'dams' is not a value of set issue 'projects'", "did you mean 'dam'?"),
    (["--set", "chair"], "--set chair: expected ISSUE=VALUE", None),
    (["--set", "chair=east", "--set", "chair=south"], "issue 'chair' is already set", None),
    (["--with", str(OVERLAYS / "drop-missing.yaml")], "cannot drop north/build-damm: there is no such rule",
     "did you mean 'north/build-dam'?"),
    (["--with", str(OVERLAYS / "drop-missing-party.yaml")], "cannot drop party 'wets': there is none", None),
    (["--with", str(OVERLAYS / "nowhere.yaml")], "no such file", None),
])
def test_bad_edits_exit_2_with_help(args, message, hint):
    result = invoke("check", LAKE, *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert message in result.stderr
    if hint:
        assert hint in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_bad_overlay_is_located_file_line_column():
    result = invoke("check", LAKE, "--with", str(OVERLAYS / "bad-rule.yaml"))
    assert result.exit_code == 2, result.output
    assert "unknown issue 'extraction_capp'" in result.stderr
    assert "bad-rule.yaml:7:15" in result.stderr
    assert "did you mean 'extraction_cap'?" in result.stderr
    assert "^^^^^^^^^^^^^^^" in result.stderr  # the caret under the offending name
    assert "Traceback" not in result.output


def test_bad_overlay_yaml_is_located(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("parties:\n  - party: north\n    red_lines: [\n")
    result = invoke("check", LAKE, "--with", str(bad))
    assert result.exit_code == 2, result.output
    assert "YAML syntax error" in result.stderr and "broken.yaml:4:1" in result.stderr


# -- before/after --------------------------------------------------------------------------------------------------

def test_no_edits_no_comparison():
    doc = check_json(TOY, code=0)
    assert not {"edits", "baseline", "changes"} & set(doc)


def test_baseline_is_the_unedited_result_in_the_same_shape():
    plain = check_json(CEASEFIRE, code=1)
    doc = check_json(CEASEFIRE, "--drop", "red_side/deep-buffer", code=0)
    baseline = doc["baseline"]
    assert set(baseline) == set(plain)
    for key in plain:
        if key != "statistics":
            assert baseline[key] == plain[key], key
    # the edited result has the shape of any check result
    assert {"format", "scenario", "verdict", "objective", "deal", "forced", "room"} <= set(doc)


def test_changes_document():
    doc = check_json(CEASEFIRE, "--drop", "red_side/deep-buffer", code=0)
    changes = doc["changes"]
    assert set(changes) == {"verdict", "conflicts_resolved", "conflicts_remaining", "conflicts_new",
                            "conflicts_unlisted_after", "conflicts_unlisted_before", "issues_changed", "satisfaction",
                            "distance"}
    assert changes["verdict"] == {"before": "no-deal", "after": "deal"}
    assert changes["conflicts_remaining"] == [] and changes["conflicts_new"] == []
    # no deal before: every issue is new
    assert set(changes["issues_changed"]) == set(doc["deal"]["issues"])
    for issue, change in changes["issues_changed"].items():
        assert set(change) == {"before", "after", "open_before", "open_after", "room_before", "room_after"}
        assert change["before"] is None and change["room_before"] is None
        assert change["after"] == doc["deal"]["issues"][issue]
        assert change["open_before"] is None and change["open_after"] == doc["deal"]["open"][issue]
        assert change["room_after"] == doc["room"][issue]
    assert changes["satisfaction"] == {p: {"before": None, "after": s}
                                       for p, s in doc["deal"]["satisfaction"].items()}


def test_changes_deal_to_deal_lists_only_what_changed():
    doc = check_json(TOY, "--set", "chair=east", code=0)
    changes = doc["changes"]
    assert changes["verdict"] == {"before": "deal", "after": "deal"}
    assert changes["conflicts_resolved"] == changes["conflicts_remaining"] == changes["conflicts_new"] == []
    assert "chair" in changes["issues_changed"]
    base = doc["baseline"]
    for issue in set(doc["deal"]["issues"]) - set(changes["issues_changed"]):
        assert doc["deal"]["issues"][issue] == base["deal"]["issues"][issue]
        assert doc["room"][issue] == base["room"][issue]
    for party, sat in changes["satisfaction"].items():
        assert sat == {"before": base["deal"]["satisfaction"][party], "after": doc["deal"]["satisfaction"][party]}


def test_changes_remaining_and_new_conflicts():
    doc = check_json(CEASEFIRE, "--set", "prisoner_exchange=false", code=1)
    changes = doc["changes"]
    assert changes["conflicts_remaining"] == [["blue_side/shallow-buffer", "red_side/deep-buffer"]]
    assert changes["conflicts_new"] == [["red_side/prisoners-home"]]
    assert changes["conflicts_resolved"] == []
    assert changes["issues_changed"] == {} and changes["satisfaction"] == {}


def test_comparison_in_the_text():
    result = invoke("check", CEASEFIRE, "--drop", "red_side/deep-buffer")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "What the edits change (--drop red_side/deep-buffer), against the files as they are" in text
    assert "verdict: no-deal → deal" in text
    assert "conflict resolved: blue_side/shallow-buffer, red_side/deep-buffer" in text
    assert "depth of the buffer zone (km): - → " in text  # the issue's label
    assert "Blue side satisfied: - → " in text
    assert text.index("DEAL:") < text.index("What the edits change")


def test_comparison_text_with_new_and_remaining_conflicts():
    result = invoke("check", CEASEFIRE, "--set", "prisoner_exchange=false")
    assert result.exit_code == 1, result.output
    assert "verdict: no-deal → no-deal" in result.stdout
    assert "conflict remaining: blue_side/shallow-buffer, red_side/deep-buffer" in result.stdout
    assert "conflict new: red_side/prisoners-home" in result.stdout


def test_comparison_text_deal_to_deal():
    result = invoke("check", TOY, "--set", "chair=east")
    assert result.exit_code == 0, result.output
    assert "verdict: deal → deal" in result.stdout
    assert "chair: north → east; room north | east | south → forced" in result.stdout
    assert "East (lakeside town) satisfied: 83% → 100%" in result.stdout


def test_without_edits_no_comparison_text():
    result = invoke("check", TOY)
    assert result.exit_code == 0, result.output
    assert "What the edits change" not in result.stdout


# -- explain takes the same edits (issue 5: "Edits, accepted by check and explain") -------------------------------

def test_explain_accepts_edits():
    result = invoke("explain", TOY, "--drop", "north/enough-water", "--set", "chair=east", "north/north-chairs")
    assert result.exit_code in (0, 1), result.output
    assert "facts/set-chair" in result.stdout


# -- the shipped Ukraine scenario: each relaxation, applied with --drop, gives the deal it announced -----------------

@pytest.fixture(scope="module")
def ukraine() -> dict:
    result = invoke("check", "ukraine-2026", "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_ukraine_relaxations_applied_with_drop_give_the_announced_deal(ukraine):
    assert ukraine["verdict"] == "no-deal"
    assert len(ukraine["relaxations"]) >= 3
    for relaxation in ukraine["relaxations"]:
        args = [a for name in relaxation["drop"] for a in ("--drop", name)]
        doc = check_json("ukraine-2026", *args, code=0)
        announced = relaxation["deal"]
        assert doc["deal"]["issues"] == announced["issues"], relaxation["drop"]
        assert doc["deal"]["satisfaction"] == announced["satisfaction"], relaxation["drop"]
        assert doc["changes"]["verdict"] == {"before": "no-deal", "after": "deal"}
        assert [e["rules"] for e in doc["edits"]] == [[name] for name in relaxation["drop"]]
        # every conflict had a member in the relaxation: none remains
        assert doc["changes"]["conflicts_remaining"] == [] and doc["changes"]["conflicts_new"] == []


# -- the what-if questions of docs/whatif.md, on the shipped Ukraine scenario -----------------------------------------

FORCE = ["europe/european-led-force", "russia/no-western-troops"]
DONBAS = ["russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal"]


@pytest.mark.parametrize("args, resolved, remaining", [
    (["--with", str(WHATIF / "ukraine" / "russia-accepts-force.yaml")], [FORCE], [DONBAS]),
    # under the sourced default, Russia's veto covers US troops too: demoting the US refusal changes nothing
    (["--demote", "us/no-us-ground-troops"], [], [FORCE, DONBAS]),
    (["--set", "ukraine_army_cap_thousands=800"], [], [FORCE, DONBAS]),
])
def test_docs_whatif_questions(args, resolved, remaining):
    doc = check_json("ukraine-2026", *args, code=1)
    assert doc["changes"]["conflicts_resolved"] == resolved
    assert doc["changes"]["conflicts_remaining"] == remaining
    assert doc["changes"]["conflicts_new"] == []
    assert all(len(r["drop"]) == 2 - len(resolved) for r in doc["relaxations"])
