"""An edit means one thing: written into the files by `feasible edit --write` and loaded back, it gives the scenario
that applying it in memory (`check --drop/--demote/--set/--with`) gives.

Both run the operations positions.edits.resolve_edits resolved: in memory (positions.edits.apply_operation) and on
the round-trip YAML (positions.rewrite). The property test below draws small scenarios (a directory of party
files or a single file) and edit lists (drops, demotions, weights, settings, overlays), and compares what the two
give: the same rules, named and worded the same, in the same order within each section, and the same verdict and
conflicts. Its comparison is its own, not the read-back check inside positions.rewrite.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.edits import (AddParty, Demote, Edits, PutRule, RemoveLevel, RemoveParty, RemoveRule,
                                      RenameParty, SetLevel, apply_edits, resolve_edits)
from feasible.positions.errors import InvalidScenario, UserError
from feasible.positions.loader import load_scenario
from feasible.positions.model import Scenario
from feasible.positions.rewrite import plan_edits, write_plan
from feasible.positions.rules.printer import to_text
from feasible.solver import check

ISSUES = {
    "b": {"type": "bool"},
    "n": {"type": "int", "min": 0, "max": 5},
    "e": {"values": ["x", "y", "z"]},
    "s": {"type": "set", "values": ["p", "q"]},
}
RULES = ["b", "not b", "n >= 2", "n <= 3", "n == 4", 'e == "x"', 'e != "y"', 's contains "p"', "size(s) <= 1",
         "b -> n >= 1", 'e == "z" or s contains "q"']
SETTINGS = ["b=true", "b=no", "n=0", "n=3", "n=5", "e=x", "e=z", "s=p", "s=p,q", "s="]
PARTIES = ["north", "south", "east"]
RULE_IDS = ["r1", "r2", "r3", "r4"]
FACT_IDS = ["f1", "f2", "set-n", "set-e"]  # set-ISSUE: a setting an earlier `edit --set` wrote


def _rule(rule_id: str, draw, *, weight: bool = True) -> dict:
    entry = {"id": rule_id, "says": f"Says {rule_id}.", "rule": draw(st.sampled_from(RULES))}
    if weight and draw(st.booleans()):
        entry["weight"] = draw(st.integers(1, 3))
    if draw(st.integers(0, 4)) == 0:
        entry["source"] = "S1"
    return entry


def _uncertain(entry: dict, draw, *, red: bool) -> dict:
    """Some of the scenario's own rules uncertain (issue 18): a red line's firm: (and note), a demand's range."""
    if draw(st.integers(0, 3)) == 0:
        if red:
            entry["firm"] = draw(st.sampled_from([0, 0.25, 0.7, 1]))
            if draw(st.booleans()):
                entry["firm_note"] = "An estimate."
        else:
            low = draw(st.integers(1, 3))
            entry["weight"] = [low, low + draw(st.integers(1, 2))]
    return entry


@st.composite
def party_files(draw, party_id: str) -> dict:
    ids = draw(st.lists(st.sampled_from(RULE_IDS), unique=True, max_size=4))
    split = draw(st.integers(0, len(ids)))
    party = {"party": party_id}
    if draw(st.booleans()):
        party["name"] = party_id.capitalize()
    red = [_uncertain(_rule(i, draw), draw, red=True) for i in ids[:split]]
    wants = [_uncertain(_rule(i, draw), draw, red=False) for i in ids[split:]]
    if wants and draw(st.booleans()):
        party["accept_at_least"] = draw(st.sampled_from([0, 30, 50, 100]))
    if red or draw(st.booleans()):
        party["red_lines"] = red
    if wants or draw(st.booleans()):
        party["demands"] = wants
    return party


@st.composite
def scenarios(draw) -> tuple[dict, list[dict], bool]:
    """The scenario file, the parties, and whether they are written as one file."""
    head = {"title": "Drawn", "sources": [{"id": "S1", "title": "A source"}], "issues": ISSUES}
    facts = [{"id": i, "says": f"Fact {i}.", "rule": draw(st.sampled_from(RULES))}
             for i in draw(st.lists(st.sampled_from(FACT_IDS), unique=True, max_size=2))]
    if facts:
        head["facts"] = facts
    ids = draw(st.lists(st.sampled_from(PARTIES), unique=True, min_size=1, max_size=3))
    return head, [draw(party_files(p)) for p in ids], draw(st.booleans())


@st.composite
def overlays(draw, names: list[str]) -> dict:
    """An overlay: changes by id to the parties drawn (and a new one, west), mostly valid."""
    def entry(rule_id: str) -> dict:
        return {"id": rule_id, "drop": True} if draw(st.integers(0, 3)) == 0 else _rule(rule_id, draw)

    changes = []
    for party_id in draw(st.lists(st.sampled_from(names + ["west"]), unique=True, min_size=1, max_size=2)):
        change: dict = {"party": party_id}
        if party_id != "west" and draw(st.integers(0, 5)) == 0:
            change["drop"] = True
            changes.append(change)
            continue
        if draw(st.booleans()):
            change["name"] = f"{party_id} (renamed)"
        if draw(st.integers(0, 3)) == 0:
            change["accept_at_least"] = draw(st.sampled_from([20, 60]))
        ids = draw(st.lists(st.sampled_from(RULE_IDS), unique=True, max_size=3))  # unique in both sections
        split = draw(st.integers(0, len(ids)))
        for section, section_ids in (("red_lines", ids[:split]), ("demands", ids[split:])):
            if section_ids:
                change[section] = [entry(i) for i in section_ids]
        changes.append(change)
    if len(changes) == 1 and draw(st.booleans()):
        return changes[0]  # the party-file shape
    overlay: dict = {"parties": changes}
    facts = [{"id": i, "drop": True} if draw(st.integers(0, 2)) == 0 else _rule(i, draw, weight=False)
             for i in draw(st.lists(st.sampled_from(FACT_IDS), unique=True, max_size=2))]
    if facts:
        overlay["facts"] = facts
    return overlay


@st.composite
def edit_lists(draw, head: dict, parties: list[dict]) -> tuple[list[dict], dict]:
    """Overlay contents and the other edits, drawn from the names the scenario has (and a few it has not)."""
    names = [f"{p['party']}/{e['id']}" for p in parties for s in ("red_lines", "demands") for e in p.get(s, [])]
    names += [f"{p['party']}/accept-at-least" for p in parties if "accept_at_least" in p]
    names += [f"facts/{f['id']}" for f in head.get("facts", [])]
    red = [f"{p['party']}/{e['id']}" for p in parties for e in p.get("red_lines", [])]
    wanted = [f"{p['party']}/{e['id']}" for p in parties for e in p.get("demands", [])]
    patterns = names + [f"{p['party']}/*" for p in parties] + ["*/r1", "facts/*"]
    party_ids = [p["party"] for p in parties]
    kinds = {
        "drop": draw(st.lists(st.sampled_from(patterns), max_size=2)),
        "demote": draw(st.lists(st.sampled_from(red), unique=True, max_size=2)) if red else [],
        "set": draw(st.lists(st.sampled_from(SETTINGS), unique_by=lambda s: s.partition("=")[0], max_size=2)),
        # a demand's weight (or a red line's, which is refused unless a demotion came first)
        "weight": [f"{name}={draw(st.integers(1, 4))}" for name in draw(st.lists(
            st.sampled_from(wanted + red), unique=True, max_size=2))] if wanted + red else [],
    }
    return draw(st.lists(overlays(party_ids), max_size=2)), kinds


def write_scenario(root: Path, head: dict, parties: list[dict], single: bool) -> Path:
    if single:
        path = root / "scenario-in-one.yaml"
        path.write_text(yaml.safe_dump({**head, "parties": parties}, sort_keys=False))
        return path
    directory = root / "scen"
    directory.mkdir()
    (directory / "scenario.yaml").write_text(yaml.safe_dump(head, sort_keys=False))
    for party in parties:
        (directory / f"{party['party']}.yaml").write_text(yaml.safe_dump(party, sort_keys=False))
    return directory


def said(scenario: Scenario) -> tuple:
    """Everything a scenario says, without where it says it: rules by section and in order, parties by id."""
    def rules(section) -> list[tuple]:
        return [(r.name, r.kind, r.says, to_text(r.expr), r.weight, r.source, r.firm, r.firm_note, r.weight_range)
                for r in section]

    parties = sorted((p.id, p.name, p.accept_at_least, rules(p.red_lines), rules(p.binding), rules(p.demands))
                     for p in scenario.parties)
    return scenario.title, scenario.issues, rules(scenario.facts), parties


def verdict(scenario: Scenario) -> tuple:
    result = check(scenario, time_limit=120, room=False, conflicts=None, relaxations=0)
    return result.verdict, sorted((c.red_lines, c.facts) for c in result.conflicts)


@settings(max_examples=examples(100), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_writing_edits_and_loading_the_files_gives_what_applying_them_in_memory_gives(data):
    head, parties, single = data.draw(scenarios())
    overlay_docs, kinds = data.draw(edit_lists(head, parties))
    with tempfile.TemporaryDirectory(prefix="feasible-edit-test-") as temp:
        root = Path(temp)
        origin = write_scenario(root, head, parties, single)
        scenario = load_scenario(origin)
        paths = []
        for i, doc in enumerate(overlay_docs):
            paths.append(root / f"overlay-{i}.yaml")
            paths[-1].write_text(yaml.safe_dump(doc, sort_keys=False))
        edits = Edits(tuple(kinds["drop"]), tuple(kinds["set"]), tuple(kinds["demote"]), tuple(map(str, paths)),
                      tuple(kinds["weight"]))
        try:
            in_memory, _ = apply_edits(scenario, edits)
        except (UserError, InvalidScenario) as refused:  # an edit that does not fit: edit refuses it the same way
            event("refused")
            with pytest.raises(type(refused)) as caught:
                plan_edits(origin, edits)
            assert str(caught.value) == str(refused)
            return
        event("written")
        write_plan(plan_edits(origin, edits))
        written = load_scenario(origin)
    assert said(written) == said(in_memory)
    assert verdict(written) == verdict(in_memory)


# -- the operations themselves --------------------------------------------------------------------------------------

LAKE = Path(__file__).parent / "data" / "whatif" / "lake"
OVERLAYS = Path(__file__).parent / "data" / "whatif" / "overlays"


def test_edits_resolve_into_plain_operations():
    lake = load_scenario(LAKE)
    resolved = resolve_edits(lake, Edits(drop=("south/*",), demote=("north/enough-water",), set=("chair=east",),
                                         overlays=(str(OVERLAYS / "new-party.yaml"),)))
    kinds = [type(op) for op in resolved.operations]
    assert kinds[:1] == [AddParty] and kinds.count(PutRule) >= 2  # the overlay's party, then its rules
    assert RemoveParty not in kinds and RenameParty not in kinds and SetLevel not in kinds
    assert resolved.operations[-1] == PutRule(resolved.scenario.facts[-1])  # --set: the fact facts/set-chair
    assert resolved.scenario.facts[-1].name == "facts/set-chair"
    assert Demote("north", "enough-water") in resolved.operations
    drops = [op for op in resolved.operations if isinstance(op, (RemoveRule, RemoveLevel))]
    assert {(op.owner, op.id) for op in drops} == {("south", r.id) for r in lake.party("south").red_lines
                                                   + lake.party("south").demands}
    hash(resolved.operations)  # frozen, plain data


def test_an_operation_is_applied_by_both_executors_from_the_same_resolution(tmp_path, monkeypatch):
    """`edit` writes exactly the operations check applies: its plan is built from resolve_edits, once."""
    import shutil

    import feasible.positions.rewrite as rewrite

    scen = Path(shutil.copytree(LAKE, tmp_path / "scen"))
    monkeypatch.chdir(tmp_path)
    seen = []
    original = rewrite._Editor.run
    monkeypatch.setattr(rewrite._Editor, "run", lambda self, op: (seen.append(op), original(self, op))[1])
    edits = Edits(drop=("east/accept-at-least",), set=("extraction_cap=500",))
    write_plan(plan_edits(scen, edits))
    assert tuple(seen) == resolve_edits(load_scenario(LAKE), edits).operations
    assert said(load_scenario(scen)) == said(apply_edits(load_scenario(LAKE), edits)[0])


# -- overlays get the loader's checks from its public API ------------------------------------------------------------

def test_overlays_use_the_loaders_public_api_not_a_copy():
    import ast

    tree = ast.parse((Path(__file__).parents[1] / "positions" / "overlay.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "loader"
                for alias in node.names}
    assert imported == {"RuleBuilder", "read_position_file"}
    assert "RESERVED_PARTIES" not in ast.unparse(tree)  # the party checks are the loader's own


@pytest.mark.parametrize("text, message", [
    ("party: east\naccept_at_least: 40\ndemands:\n  - {id: accept-at-least, says: S., rule: b}\n",
     "'accept-at-least' names the party's accept_at_least level"),
    ("parties:\n  - party: east\n    red_lines:\n      - {id: r1, says: S., rule: b}\n"
     "    demands:\n      - {id: r1, says: S., rule: b}\n",
     "id 'r1' is used twice in party 'east' (also at "),
    ("facts:\n  - {id: f9, says: S., rule: b, weight: 2}\n", "a fact has no weight: it holds in every deal"),
])
def test_an_overlay_gets_the_loaders_party_and_rule_checks(tmp_path, text, message):
    head = {"title": "T", "issues": ISSUES}
    origin = write_scenario(tmp_path, head, [{"party": "east", "demands": [{"id": "d", "says": "D.", "rule": "b"}]}],
                            single=True)
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(text)
    with pytest.raises(InvalidScenario) as caught:
        apply_edits(load_scenario(origin), Edits(overlays=(str(overlay),)))
    (problem,) = caught.value.diagnostics
    assert problem.message.startswith(message) and "overlay.yaml" in str(problem.location)


@pytest.mark.parametrize("first, second", [("drop-party.yaml", "readd-south.yaml"),
                                           ("new-party.yaml", "drop-west.yaml")])
def test_a_party_removed_and_added_back_or_added_and_removed(tmp_path, monkeypatch, first, second):
    """Overlays in turn: a party file removed then written again, or created then not written at all."""
    import shutil

    scen = Path(shutil.copytree(LAKE, tmp_path / "scen"))
    (tmp_path / "readd-south.yaml").write_text(
        "party: south\ndemands:\n  - {id: back, says: Back., rule: joint_authority}\n")
    (tmp_path / "drop-west.yaml").write_text("parties:\n  - {party: west, drop: true}\n")
    monkeypatch.chdir(tmp_path)
    edits = Edits(overlays=(str(OVERLAYS / first), str(tmp_path / second)))
    expected = said(apply_edits(load_scenario(scen), edits)[0])
    write_plan(plan_edits(scen, edits))
    assert said(load_scenario(scen)) == expected
    assert sorted(p.name for p in scen.iterdir()) == ["east.yaml", "north.yaml", "scenario.yaml", "south.yaml"]
