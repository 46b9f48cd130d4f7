"""A reading means what its changes mean as what-if edits, and `combinations` is the product in the documented order.

Small random scenarios and changes come from the edit executors' strategies (tests/test_edit_executors.py): each
drawn reading is written into scenario.yaml (its overlay inline, as `facts:` and `parties:`) and, apart, given as
what-if edits (the overlay as a file). A check under readings must answer exactly what a check of the scenario with
those edits answers, and say the same rules.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.edits import Edits, apply_edits, apply_operation, resolve_edits
from feasible.positions.errors import InvalidScenario, UserError
from feasible.positions.loader import load_scenario
from feasible.positions.readings import combinations, under_readings
from test_edit_executors import edit_lists, said, scenarios, verdict, write_scenario


@st.composite
def drawn_reading(draw, head: dict, parties: list[dict]) -> dict:
    """A reading's changes in the what-if vocabulary (each kind optional), as scenario.yaml writes them."""
    docs, kinds = draw(edit_lists(head, parties))
    entry: dict = {"title": "Drawn"}
    if docs:
        overlay = docs[0]
        entry["parties"] = [overlay] if "party" in overlay else overlay.get("parties", [])
        if "party" not in overlay and overlay.get("facts"):
            entry["facts"] = overlay["facts"]
    for kind in ("drop", "demote", "set"):
        if kinds[kind]:
            entry[kind] = kinds[kind]
    if kinds["weight"]:
        entry["weight"] = {w.partition("=")[0]: int(w.partition("=")[2]) for w in kinds["weight"]}
    return entry


def as_edits(entry: dict, root: Path, name: str) -> Edits:
    """The reading's changes given as what-if edits, its overlay written as a file."""
    overlays_given: tuple[str, ...] = ()
    if entry.get("parties") or entry.get("facts"):
        path = root / f"{name}.yaml"
        path.write_text(yaml.safe_dump({k: entry[k] for k in ("facts", "parties") if k in entry}, sort_keys=False))
        overlays_given = (str(path),)
    weights = tuple(f"{rule}={w}" for rule, w in entry.get("weight", {}).items())
    return Edits(tuple(entry.get("drop", ())), tuple(entry.get("set", ())), tuple(entry.get("demote", ())),
                 overlays_given, weights)


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(st.data())
def test_a_check_under_readings_is_a_check_with_their_changes_as_what_if_edits(data):
    head, parties, single = data.draw(scenarios())
    first = data.draw(drawn_reading(head, parties))
    second = data.draw(drawn_reading(head, parties))
    head = {**head, "questions": {"one": {"asks": "One?", "readings": ["as-written", "first"]},
                                  "two": {"asks": "Two?", "readings": ["also-as-written", "second"]}},
            "readings": {"as-written": {"title": "As written"}, "first": first,
                         "also-as-written": {"title": "As written"}, "second": second}}
    chosen = data.draw(st.sampled_from([["first"], ["second"], ["first", "second"], ["second", "first"]]))
    with tempfile.TemporaryDirectory(prefix="feasible-readings-test-") as temp:
        root = Path(temp)
        try:
            scenario = load_scenario(write_scenario(root, head, parties, single))
        except InvalidScenario:  # a change that does not fit the scenario, or two that change the same rule
            event("refused at load")
            assume(False)
        under = under_readings(scenario, chosen)
        edited = scenario
        for name, entry in (("first", first), ("second", second)):  # the scenario's order, whatever was named
            if name in chosen:  # each reading's edits resolved on the positions before any reading (docs/format.md)
                for operation in resolve_edits(scenario, as_edits(entry, root, name)).operations:
                    edited = apply_operation(edited, operation)
    event("checked")
    assert under.readings_used == tuple(n for n in ("first", "second") if n in chosen)
    assert said(under) == said(edited)
    assert verdict(under) == verdict(edited)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_reading_that_does_not_fit_is_refused_at_load_as_its_edits_are(data):
    head, parties, single = data.draw(scenarios())
    entry = data.draw(drawn_reading(head, parties))
    head = {**head, "readings": {"drawn": entry}}
    with tempfile.TemporaryDirectory(prefix="feasible-readings-test-") as temp:
        root = Path(temp)
        (root / "base").mkdir()
        (root / "with").mkdir()
        without = {k: v for k, v in head.items() if k != "readings"}
        base = load_scenario(write_scenario(root / "base", without, parties, single))
        try:
            apply_edits(base, as_edits(entry, root, "drawn"))
            fits = True
        except (UserError, InvalidScenario):
            fits = False
        try:
            load_scenario(write_scenario(root / "with", head, parties, single))
            loads = True
        except InvalidScenario as problems:
            loads = False
            assert all(d.location is not None and d.location.line >= 1 for d in problems.diagnostics)
    event("fits" if fits else "refused")
    assert loads == fits


@st.composite
def questions(draw) -> dict:
    """Questions of 2 to 3 readings each (which change nothing: only their order is looked at), a default drawn."""
    count = draw(st.integers(0, 3))
    asked = {}
    for q in range(count):
        names = [f"q{q}-r{r}" for r in range(draw(st.integers(2, 3)))]
        asked[f"q{q}"] = {"asks": "?", "readings": names}
        if draw(st.booleans()):
            asked[f"q{q}"]["default"] = draw(st.sampled_from(names))
    return asked


@settings(max_examples=examples(40), deadline=None)
@given(questions(), st.data())
def test_combinations_are_the_product_of_the_questions_readings_defaults_first(asked, data):
    head = {"title": "T", "issues": {"b": {"type": "bool"}}, "questions": asked,
            "readings": {r: {"title": r} for q in asked.values() for r in q["readings"]}}
    with tempfile.TemporaryDirectory(prefix="feasible-readings-test-") as temp:
        scenario = load_scenario(write_scenario(Path(temp), head, [{"party": "p"}], True))
    named = data.draw(st.lists(st.sampled_from(sorted(asked)), unique=True)) if asked else []
    kept = [q for q in asked if not named or q in named]  # the scenario's order, whatever the order named

    def ordered(q: str) -> list[str]:
        default = asked[q].get("default", asked[q]["readings"][0])
        return [default] + [r for r in asked[q]["readings"] if r != default]

    expected = [tuple(ordered(q)[i] for q, i in zip(kept, index))
                for index in itertools.product(*(range(len(ordered(q))) for q in kept))]
    assert combinations(scenario, named) == expected
    assert expected[0] == tuple(ordered(q)[0] for q in kept)  # the files as written first
    for combination in expected:
        assert under_readings(scenario, combination).rules() == scenario.rules()  # defaults and no-op readings
