"""What-if edits on the loaded model (positions.edits.apply_edits): --drop, --set, --demote and --with overlays.

The scenario under test is tests/data/whatif/lake (the three-party teaching example in directory form: north,
east with accept_at_least 50, south; all four issue types; one fact), plus the shipped Ukraine scenario for
globs over real ids. Overlays are in tests/data/whatif/overlays/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from feasible.positions import InvalidScenario, UserError, load_scenario
from feasible.positions.edits import AppliedEdit, Edits, apply_edits
from feasible.positions.model import RuleKind, Scenario

WHATIF = Path(__file__).parent / "data" / "whatif"
LAKE = WHATIF / "lake"
OVERLAYS = WHATIF / "overlays"


@pytest.fixture(scope="module")
def lake() -> Scenario:
    return load_scenario(LAKE)


@pytest.fixture(scope="module")
def ukraine() -> Scenario:
    return load_scenario("ukraine-2026")


def names(scenario: Scenario) -> list[str]:
    return [r.name for r in scenario.rules()]


def rule(scenario: Scenario, name: str):
    found = [r for r in scenario.rules() if r.name == name]
    assert len(found) == 1, (name, names(scenario))
    return found[0]


def edited(scenario: Scenario, **kinds) -> tuple[Scenario, list[AppliedEdit]]:
    return apply_edits(scenario, Edits(**{k: tuple(v) for k, v in kinds.items()}))


# -- Edits itself --------------------------------------------------------------------------------------------------

def test_no_edits_is_false_and_changes_nothing(lake):
    assert not Edits()
    assert Edits(drop=("x",)) and Edits(set=("x",)) and Edits(demote=("x",)) and Edits(overlays=("x",))
    same, applied = apply_edits(lake, Edits())
    assert same == lake and applied == []


def test_the_baseline_is_never_changed(lake):
    before = names(lake)
    edited(lake, drop=["south/*"], demote=["north/enough-water"], set=["chair=east"],
           overlays=[str(OVERLAYS / "new-party.yaml")])
    assert names(lake) == before
    assert [f.id for f in lake.facts] == ["canal-needs-reservoir"]
    assert [p.id for p in lake.parties] == ["east", "north", "south"]


# -- drop ----------------------------------------------------------------------------------------------------------

def test_drop_exact_name_removes_only_that_rule(lake):
    after, applied = edited(lake, drop=["south/best-treatment"])
    assert applied == [AppliedEdit("drop", "south/best-treatment", ("south/best-treatment",))]
    assert names(after) == [n for n in names(lake) if n != "south/best-treatment"]


def test_drop_red_line(lake):
    after, _ = edited(lake, drop=["north/enough-water"])
    assert after.party("north").red_lines == ()
    assert "north/enough-water" not in [r.name for r in after.red_lines]


def test_drop_fact(lake):
    after, applied = edited(lake, drop=["facts/canal-needs-reservoir"])
    assert after.facts == ()
    assert applied[0].rules == ("facts/canal-needs-reservoir",)


def test_drop_glob_over_one_party(lake):
    after, applied = edited(lake, drop=["south/*"])
    south = after.party("south")
    assert south.red_lines == () and south.demands == ()
    assert applied[0].rules == ("south/river-keeps-flowing", "south/dam-only-with-canal", "south/several-projects",
                                "south/best-treatment", "south/south-chairs")
    assert [p.id for p in after.parties] == ["east", "north", "south"]  # the party stays, without rules


def test_drop_glob_over_every_party(lake):
    after, applied = edited(lake, drop=["*/*-chairs"])
    assert applied[0].rules == ("north/north-chairs", "south/south-chairs")
    assert "north/north-chairs" not in names(after) and "south/south-chairs" not in names(after)


def test_drop_globs_on_the_ukraine_ids(ukraine):
    after, applied = edited(ukraine, drop=["*/no-western-troops"])
    assert applied[0].rules == ("russia/no-western-troops",)
    after, applied = edited(ukraine, drop=["russia/*"])
    assert len(applied[0].rules) == 13
    assert all(n.startswith("russia/") for n in applied[0].rules)
    russia = after.party("russia")
    assert russia.red_lines == () and russia.demands == ()


def test_drop_character_class_glob(lake):
    _, applied = edited(lake, drop=["[ns]*/[ns]*"])
    assert applied[0].rules == ("north/north-chairs", "south/several-projects", "south/south-chairs")


def test_dropping_every_demand_of_a_party_with_a_level_is_refused(lake):
    """The files cannot say it (the loader refuses a level with nothing to measure), so neither can check."""
    with pytest.raises(UserError) as caught:
        edited(lake, drop=["east/[mn]*"])
    assert caught.value.message.startswith("the edits leave the accept_at_least level of party 'east' (")
    assert caught.value.message.endswith("east.yaml:2:8) with no demands to measure")
    assert caught.value.hint == "keep a demand, or drop the level too: --drop east/accept-at-least"
    after, _ = edited(lake, drop=["east/[mn]*", "east/accept-at-least"])
    assert after.party("east").demands == () and after.party("east").accept_at_least is None


def test_drop_accept_at_least(lake):
    assert rule(lake, "east/accept-at-least").kind is RuleKind.RED_LINE
    after, applied = edited(lake, drop=["east/accept-at-least"])
    east = after.party("east")
    assert east.accept_at_least is None and east.acceptance is None
    assert len(east.demands) == 3  # the demands stay
    assert applied[0].rules == ("east/accept-at-least",)


def test_dropping_a_demand_rebuilds_the_acceptance_level(lake):
    """accept_at_least is a share of the demand weight: it follows the demands that are left."""
    before = rule(lake, "east/accept-at-least")
    after, _ = edited(lake, drop=["east/monitoring"])
    east = after.party("east")
    assert east.accept_at_least == 50
    assert east.acceptance is not None and east.acceptance.text != before.text
    assert "monitoring_stations" not in east.acceptance.text


def test_several_drops_apply_in_turn(lake):
    after, applied = edited(lake, drop=["north/build-dam", "north/*"])
    assert [e.rules for e in applied] == [("north/build-dam",),
                                          ("north/enough-water", "north/affordable-treatment", "north/north-chairs")]
    assert not [n for n in names(after) if n.startswith("north/")]


@pytest.mark.parametrize("pattern, hint", [
    ("north/build-damm", "did you mean 'north/build-dam'?"),
    ("west/*", "names are PARTY/ID or facts/ID"),
    ("no-such-thing", None),
])
def test_drop_matching_nothing_is_an_error(lake, pattern, hint):
    with pytest.raises(UserError) as caught:
        edited(lake, drop=[pattern])
    assert caught.value.message == f"--drop {pattern}: no red line, demand or fact matches"
    if hint:
        assert hint in caught.value.hint


def test_drop_never_matches_a_setting_of_the_same_command(lake):
    """Settings come after the drops: the fact facts/set-ISSUE is not there yet when the drops are matched."""
    with pytest.raises(UserError, match="no red line, demand or fact matches"):
        edited(lake, drop=["facts/set-*"], set=["chair=east"])


# -- demote --------------------------------------------------------------------------------------------------------

def test_demote_keeps_weight_words_and_rule(lake):
    red = rule(lake, "north/enough-water")
    assert red.weight == 2
    after, applied = edited(lake, demote=["north/enough-water"])
    north = after.party("north")
    assert north.red_lines == ()
    demand = north.demands[-1]
    assert demand.name == "north/enough-water" and demand.kind is RuleKind.DEMAND
    assert (demand.weight, demand.says, demand.text, demand.owner) == (2, red.says, red.text, "north")
    assert applied == [AppliedEdit("demote", "north/enough-water", ("north/enough-water",))]


def test_demote_adds_to_the_demand_weight_of_a_party_with_a_level(lake):
    after, _ = edited(lake, demote=["east/clean-water"])
    east = after.party("east")
    assert east.demand_weight == lake.party("east").demand_weight + 1
    assert "treatment_level" in east.acceptance.text


def test_demote_ukraine_us_troops(ukraine):
    after, _ = edited(ukraine, demote=["us/no-us-ground-troops"])
    assert "us/no-us-ground-troops" in [d.name for d in after.demands]
    assert "us/no-us-ground-troops" not in [r.name for r in after.red_lines]


def test_demote_accept_at_least_is_refused(lake):
    with pytest.raises(UserError) as caught:
        edited(lake, demote=["east/accept-at-least"])
    assert "cannot become a demand" in caught.value.message
    assert caught.value.hint == "drop it instead: --drop east/accept-at-least"


@pytest.mark.parametrize("name, hint", [
    ("north/build-dam", "it is not a red line"),
    ("north/enough-watr", "did you mean 'north/enough-water'?"),
    ("facts/canal-needs-reservoir", "it is not a red line"),
])
def test_demote_errors(lake, name, hint):
    with pytest.raises(UserError) as caught:
        edited(lake, demote=[name])
    assert caught.value.message == f"--demote {name}: no such red line"
    assert caught.value.hint == hint


def test_demote_after_drop_of_the_same_rule_fails(lake):
    """Drops come before demotions: a dropped red line cannot be demoted."""
    with pytest.raises(UserError, match="no such red line"):
        edited(lake, drop=["north/enough-water"], demote=["north/enough-water"])


# -- set: the fact facts/set-ISSUE ---------------------------------------------------------------------------------

@pytest.mark.parametrize("assignment, name, text, says", [
    ("joint_authority=no", "set-joint-authority", "joint_authority == false", "joint_authority is settled: false."),
    ("joint_authority=true", "set-joint-authority", "joint_authority == true", "joint_authority is settled: true."),
    ("chair=east", "set-chair", 'chair == "east"', "chair is settled: east."),
    ("treatment_level=basic", "set-treatment-level", 'treatment_level == "basic"',
     "treatment_level is settled: basic."),
    ("extraction_cap=650", "set-extraction-cap", "extraction_cap == 650", "extraction_cap is settled: 650."),
    ("extraction_cap=1_000", "set-extraction-cap", "extraction_cap == 1000", "extraction_cap is settled: 1000."),
    ("projects=dam,canal", "set-projects", 'projects == {"canal", "dam"}', "projects is settled: canal, dam."),
    ("projects=", "set-projects", "projects == {}", "projects is settled: (none)."),
])
def test_set_settles_an_issue_as_the_fact_set_issue(lake, assignment, name, text, says):
    """The fact `edit --set` writes into scenario.yaml: check and edit mean the same."""
    after, applied = edited(lake, set=[assignment])
    fact = after.facts[-1]
    assert fact.name == f"facts/{name}" and fact.kind is RuleKind.FACT
    assert (fact.text, fact.says) == (text, says)
    assert applied == [AppliedEdit("set", assignment, (f"facts/{name}",))]
    assert after.facts[:-1] == lake.facts and after.parties == lake.parties
    assert fact not in after.red_lines


def test_several_settings(lake):
    after, _ = edited(lake, set=["chair=south", "projects=dam"])
    assert [f.name for f in after.facts] == ["facts/canal-needs-reservoir", "facts/set-chair", "facts/set-projects"]


def test_set_replaces_the_fact_an_earlier_setting_left(lake):
    """Setting an issue the files settle already (an earlier `edit --set`) replaces that fact, in its place."""
    once, _ = edited(lake, set=["chair=south"])
    again, applied = edited(once, set=["chair=east"])
    assert [f.text for f in again.facts] == [lake.facts[0].text, 'chair == "east"']
    assert applied[0].rules == ("facts/set-chair",)


@pytest.mark.parametrize("assignment, message, hint", [
    ("chair", "--set chair: expected ISSUE=VALUE", "e.g. --set ukraine_army_cap_thousands=800"),
    ("chiar=east", "--set chiar=east: unknown issue 'chiar'", "did you mean 'chair'?"),
    ("chair=eastt", "--set chair=eastt: 'eastt' is not a value of enum issue 'chair'", "did you mean 'east'?"),
    ("chair=north,east", "--set chair=north,east: enum issue 'chair' takes exactly one value", "e.g. chair=north"),
    ("chair=", "--set chair=: enum issue 'chair' takes exactly one value", "e.g. chair=north"),
    ("treatment_level=best", "--set treatment_level=best: 'best' is not a value of enum issue 'treatment_level'",
     "its values are basic, standard, advanced"),
    ("extraction_cap=5000", "--set extraction_cap=5000: 5000 is outside issue 'extraction_cap' (100..1000)", None),
    ("extraction_cap=99", "--set extraction_cap=99: 99 is outside issue 'extraction_cap' (100..1000)", None),
    ("extraction_cap=lots", "--set extraction_cap=lots: 'lots' is not a whole number (issue 'extraction_cap' is "
                            "an int)", None),
    ("joint_authority=maybe", "--set joint_authority=maybe: 'maybe' is not a value of bool issue 'joint_authority'",
     "use true or false"),
    ("projects=dam,dams", "--set projects=dam,dams: 'dams' is not a value of set issue 'projects'",
     "did you mean 'dam'?"),
])
def test_set_errors(lake, assignment, message, hint):
    with pytest.raises(UserError) as caught:
        edited(lake, set=[assignment])
    assert caught.value.message == message
    if hint is None:
        assert not caught.value.hint
    else:
        assert hint in caught.value.hint


def test_set_the_same_issue_twice_is_an_error(lake):
    with pytest.raises(UserError, match="issue 'chair' is already set"):
        edited(lake, set=["chair=east", "chair=south"])


# -- overlays ------------------------------------------------------------------------------------------------------

def overlay(lake: Scenario, name: str) -> tuple[Scenario, list[AppliedEdit]]:
    return edited(lake, overlays=[str(OVERLAYS / name)])


def test_overlay_replaces_by_id_and_adds_new_ids(lake):
    after, applied = overlay(lake, "replace-and-add.yaml")
    assert applied == [AppliedEdit("with", str(OVERLAYS / "replace-and-add.yaml"),
                                   ("facts/reservoir-needs-dam", "north/enough-water", "south/reservoir"))]
    water = rule(after, "north/enough-water")
    assert (water.text, water.weight, water.kind) == ("extraction_cap >= 500", 2, RuleKind.RED_LINE)
    assert water.says == "North's farms need at least 500 million litres a year."
    assert water.location is not None and water.location.file.endswith("replace-and-add.yaml")
    assert [f.name for f in after.facts] == ["facts/canal-needs-reservoir", "facts/reservoir-needs-dam"]
    assert after.party("south").demands[-1].name == "south/reservoir"
    # everything else as it was
    untouched = set(names(lake)) - {"north/enough-water"}
    assert all(rule(after, n) == rule(lake, n) for n in untouched if not n.endswith("accept-at-least"))


def test_overlay_drop_true_removes_a_rule(lake):
    after, applied = overlay(lake, "drop-rule.yaml")
    assert "south/dam-only-with-canal" not in names(after)
    assert applied[0].rules == ("south/dam-only-with-canal",)
    assert len(names(after)) == len(names(lake)) - 1


def test_overlay_adds_a_party(lake):
    after, applied = overlay(lake, "new-party.yaml")
    west = after.party("west")
    assert [p.id for p in after.parties] == ["east", "north", "south", "west"]
    assert west.name == "West (new town)"
    assert [r.name for r in west.red_lines] == ["west/no-dam"]
    assert [(d.name, d.weight) for d in west.demands] == [("west/north-not-chair", 1)]
    assert applied[0].rules == ("west/no-dam", "west/north-not-chair")


def test_overlay_drops_a_party(lake):
    after, applied = overlay(lake, "drop-party.yaml")
    assert [p.id for p in after.parties] == ["east", "north"]
    assert not [n for n in names(after) if n.startswith("south/")]
    assert applied[0].rules == ("south",)


def test_overlay_in_the_party_file_shape(lake):
    after, applied = overlay(lake, "party-file.yaml")
    east = after.party("east")
    assert east.accept_at_least == 40
    assert rule(after, "east/clean-water").text == 'treatment_level == "advanced"'
    assert [d.name for d in east.demands] == ["east/moderate-extraction", "east/not-north-chair"]
    assert ">= 120" in east.acceptance.text  # 40% of the 3 demand weight left, scaled by 100
    assert applied[0].rules == ("east/clean-water", "east/monitoring")
    assert east.name == "East (lakeside town)"  # not given in the overlay: kept


def test_overlay_moves_a_rule_from_red_lines_to_demands(lake):
    after, _ = overlay(lake, "move-to-demands.yaml")
    east = after.party("east")
    assert "east/joint-authority" not in [r.name for r in east.red_lines]
    moved = east.demands[-1]
    assert (moved.name, moved.kind, moved.weight) == ("east/joint-authority", RuleKind.DEMAND, 4)


def test_overlay_drop_finds_the_id_in_either_section(lake):
    """Ids are unique within a party: `drop: true` under red_lines removes the demand with that id."""
    after, _ = overlay(lake, "wrong-section-drop.yaml")
    assert "north/build-dam" not in names(after)


def test_overlays_apply_in_turn(lake):
    after, applied = edited(lake, overlays=[str(OVERLAYS / "new-party.yaml"), str(OVERLAYS / "drop-party.yaml")])
    assert [p.id for p in after.parties] == ["east", "north", "west"]
    assert [e.kind for e in applied] == ["with", "with"]


def test_edit_order_is_overlays_drops_demotions_settings(lake):
    """A drop can remove what an overlay added, and a demotion can act on an overlay's red line."""
    after, applied = edited(lake, set=["chair=east"], demote=["west/no-dam"], drop=["west/north-not-chair"],
                            overlays=[str(OVERLAYS / "new-party.yaml")])
    assert [e.kind for e in applied] == ["with", "drop", "demote", "set"]
    west = after.party("west")
    assert west.red_lines == () and [d.name for d in west.demands] == ["west/no-dam"]
    assert after.facts[-1].name == "facts/set-chair"


def test_overlay_with_a_bad_rule_is_a_located_error(lake):
    with pytest.raises(InvalidScenario) as caught:
        overlay(lake, "bad-rule.yaml")
    (diag,) = caught.value.diagnostics
    assert diag.message == "unknown issue 'extraction_capp'"
    assert diag.location.file.endswith("bad-rule.yaml")
    assert (diag.location.line, diag.location.column) == (7, 15)
    assert diag.hint == "did you mean 'extraction_cap'?"


def test_overlay_with_an_unknown_key_is_a_located_error(lake, tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text("parties:\n  - party: north\n    red_line:\n      - {id: x, says: X., rule: true}\n")
    with pytest.raises(InvalidScenario) as caught:
        edited(lake, overlays=[str(bad)])
    (diag,) = caught.value.diagnostics
    assert diag.message == "unknown key 'red_line'"
    assert (diag.location.line, diag.location.column) == (3, 5)
    assert diag.hint == "did you mean 'red_lines'?"


def test_overlay_with_a_yaml_syntax_error_is_located(lake, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("parties:\n  - party: north\n    red_lines: [\n")
    with pytest.raises(InvalidScenario) as caught:
        edited(lake, overlays=[str(bad)])
    assert caught.value.diagnostics[0].message.startswith("YAML syntax error")
    assert caught.value.diagnostics[0].location.file.endswith("broken.yaml")


def test_overlay_rule_needs_says_and_rule(lake, tmp_path):
    bad = tmp_path / "half.yaml"
    bad.write_text("parties:\n  - party: north\n    demands:\n      - {id: x, rule: fence}\n")
    with pytest.raises(InvalidScenario) as caught:
        edited(lake, overlays=[str(bad)])
    assert "needs 'says' and 'rule'" in caught.value.diagnostics[0].message


def test_overlay_dropping_a_missing_rule(lake):
    with pytest.raises(UserError) as caught:
        overlay(lake, "drop-missing.yaml")
    assert caught.value.message.endswith("drop-missing.yaml: cannot drop north/build-damm: there is no such rule")
    assert caught.value.hint == "did you mean 'north/build-dam'?"


def test_overlay_dropping_a_missing_fact(lake, tmp_path):
    bad = tmp_path / "fact.yaml"
    bad.write_text("facts:\n  - {id: canal-needs-reservoirs, drop: true}\n")
    with pytest.raises(UserError, match="cannot drop facts/canal-needs-reservoirs: there is no such rule"):
        edited(lake, overlays=[str(bad)])


def test_overlay_dropping_a_missing_party(lake):
    with pytest.raises(UserError, match="cannot drop party 'wets': there is none"):
        overlay(lake, "drop-missing-party.yaml")


def test_overlay_file_must_exist(lake):
    with pytest.raises(UserError, match="no such file"):
        edited(lake, overlays=[str(OVERLAYS / "nowhere.yaml")])


@pytest.mark.parametrize("name", ["reserved-party.yaml", "duplicate-id.yaml", "level-without-demands.yaml"])
def test_overlay_gets_the_same_checks_as_a_scenario_file(lake, name):
    with pytest.raises((InvalidScenario, UserError)):
        overlay(lake, name)
