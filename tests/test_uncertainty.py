"""Uncertain positions (positions/uncertainty.py): the items, the random stream, every draw, and what a sample is.

The scenarios are the lake (tests/data/whatif/lake) with readings, given firmness, weight ranges and reading
probabilities on the model, so that these tests depend on nothing but the model (the files' keys are tested in
tests/test_uncertain_format.py).
"""

from __future__ import annotations

import pickle
import random
import shutil
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from feasible.positions.dates import as_of
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.errors import UserError
from feasible.positions.loader import load_scenario
from feasible.positions.model import Scenario
from feasible.positions.readings import under_readings
from feasible.positions.uncertainty import (MAX_EXACT_COMBINATIONS, MAX_EXACT_ITEMS, Draw, ItemKind, UncertainItem,
                                            combination_count, draw, every_draw, exact_possible, uncertain)

LAKE = Path(__file__).parent / "data" / "whatif" / "lake"

READINGS = """
questions:
  cap:
    asks: Is South's cap a red line?
    readings: [cap-firm, cap-soft]
  season:
    asks: What kind of year?
    readings: [normal-year, dry-year, wet-year]
readings:
  cap-firm:
    title: South's cap as written
  cap-soft:
    title: South's cap as a demand
    demote: [south/river-keeps-flowing]
    weight: {south/river-keeps-flowing: 3}
  normal-year:
    title: A normal year
  dry-year:
    title: A dry year
    valid_from: 2026-01-28
    valid_until: 2026-06-01
    drop: [north/build-dam]
  wet-year:
    title: A wet year
    set: [extraction_cap=600]
  mediated:
    title: A mediator chairs nothing
    set: [joint_authority=true]
"""

P = {"cap-firm": Fraction(1, 4), "cap-soft": Fraction(3, 4),
     "normal-year": Fraction(1, 2), "dry-year": Fraction(1, 4), "wet-year": Fraction(1, 4)}
FIRM = {"south/river-keeps-flowing": Fraction(7, 10), "north/enough-water": Fraction(0),
        "east/clean-water": Fraction(1, 2)}
RANGES = {"east/monitoring": (2, 4), "south/best-treatment": (1, 3)}  # around their weights (3 and 2)


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Scenario:
    """The lake with the readings above, taken on a day the dry year holds, with the uncertainty of P, FIRM and
    RANGES put on the model."""
    scen = tmp_path_factory.mktemp("uncertain") / "lake"
    shutil.copytree(LAKE, scen)
    head = scen / "scenario.yaml"
    head.write_text(head.read_text() + READINGS)
    return with_uncertainty(as_of(load_scenario(scen, versions=True), date(2026, 3, 1)))


def with_uncertainty(scenario: Scenario, firm=FIRM, ranges=RANGES, p=P) -> Scenario:
    def rule(r):
        if r.name in firm:
            return replace(r, firm=firm[r.name], firm_note=f"note on {r.name}")
        if r.name in ranges:
            low, high = ranges[r.name]
            assert r.weight == (low + high) // 2  # the nominal weight: the levels stay as they are
            return replace(r, weight_range=(low, high))
        return replace(r, firm=None, firm_note=None, weight_range=None)

    parties = tuple(replace(party, red_lines=tuple(map(rule, party.red_lines)), demands=tuple(map(rule, party.demands)))
                    for party in scenario.parties)
    readings = tuple(replace(r, p=p.get(r.name)) for r in scenario.readings)
    return replace(scenario, parties=parties, readings=readings)


def red_line_order(scenario: Scenario) -> list[str]:
    return [r.name for party in scenario.parties for r in party.red_lines]


def test_items_in_canonical_order(lake):
    items = uncertain(lake).items
    assert [(i.kind, i.name) for i in items] == [
        (ItemKind.READING, "cap"), (ItemKind.READING, "season"),
        *((ItemKind.FIRMNESS, name) for name in red_line_order(lake) if name in FIRM),
        *((ItemKind.WEIGHT, r.name) for r in lake.demands if r.name in RANGES)]
    cap, season = items[0], items[1]
    assert cap.values == ("cap-firm", "cap-soft") and cap.probabilities == (Fraction(1, 4), Fraction(3, 4))
    assert cap.party is None and cap.note == "Is South's cap a red line?"
    assert season.values == ("normal-year", "dry-year", "wet-year")
    by_name = {i.name: i for i in items}
    river = by_name["south/river-keeps-flowing"]
    assert river.values == (True, False) and river.probabilities == (Fraction(7, 10), Fraction(3, 10))
    assert river.party == "south" and river.note == "note on south/river-keeps-flowing"
    assert by_name["north/enough-water"].probabilities == (0, 1)  # firm: 0 is an item: it always gives way
    monitoring = by_name["east/monitoring"]
    assert monitoring.values == (2, 3, 4) and monitoring.probabilities == (Fraction(1, 3),) * 3
    assert [sum(i.probabilities) for i in items] == [1] * len(items)


def test_labels():
    firmness = UncertainItem(ItemKind.FIRMNESS, "a/b", (True, False), (Fraction(1, 2),) * 2, "a")
    assert (firmness.label(True), firmness.label(False)) == ("holds", "gives way")
    assert UncertainItem(ItemKind.WEIGHT, "a/c", (1, 2), (Fraction(1, 2),) * 2, "a").label(2) == "2"
    assert UncertainItem(ItemKind.READING, "q", ("x", "y"), (Fraction(1, 2),) * 2, None).label("y") == "y"


def test_firm_one_and_a_scenario_without_uncertainty_have_no_items(lake):
    plain = with_uncertainty(lake, firm={"east/clean-water": Fraction(1)}, ranges={}, p={})
    assert uncertain(plain).items == ()
    assert combination_count(()) == 1 and list(every_draw(())) == [Draw(())]


def test_renormalised_when_a_reading_does_not_hold(tmp_path):
    scen = tmp_path / "lake"
    shutil.copytree(LAKE, scen)
    (scen / "scenario.yaml").write_text((scen / "scenario.yaml").read_text() + READINGS)
    outside = with_uncertainty(as_of(load_scenario(scen, versions=True), date(2026, 7, 1)))
    season = next(i for i in uncertain(outside).items if i.name == "season")
    assert season.values == ("normal-year", "wet-year")
    assert season.probabilities == (Fraction(2, 3), Fraction(1, 3))


def test_a_chosen_reading_decides_its_question_and_is_never_drawn(lake):
    fixed = uncertain(lake, ["cap-soft"])
    names = [i.name for i in fixed.items]
    assert "cap" not in names and "season" in names
    # under cap-soft South's cap is a demand already: not a firmness item
    assert "south/river-keeps-flowing" not in names
    for each in every_draw(fixed.items):
        assert "cap-soft" in fixed.sample(each).readings_used
    mediated = uncertain(lake, ["mediated"])  # a reading in no question decides none
    assert [i.name for i in mediated.items][:2] == ["cap", "season"]


def test_user_edits_are_applied_after_the_readings(lake):
    # the weight fits only once cap-soft has made the cap a demand: edits come after readings
    made = uncertain(lake, ["cap-soft"], Edits(weight=("south/river-keeps-flowing=5",)))
    assert made.scenario().rule("south/river-keeps-flowing").weight == 5
    with pytest.raises(UserError, match="is a red line"):
        uncertain(lake, (), Edits(weight=("south/river-keeps-flowing=5",)))


def test_user_edits_decide_items(lake):
    edited = uncertain(lake, (), Edits(demote=("east/clean-water",), weight=("east/monitoring=1",)))
    names = [i.name for i in edited.items]
    assert "east/clean-water" not in names and "east/monitoring" not in names
    assert edited.scenario().rule("east/monitoring").weight_range is None  # --weight removes the range


def test_an_edit_that_does_not_fit_a_drawn_reading_is_refused_naming_it(lake):
    with pytest.raises(UserError, match="under --reading cap-soft"):
        uncertain(lake, (), Edits(demote=("south/river-keeps-flowing",)))


def test_the_base_has_no_reading_applied(lake):
    with pytest.raises(ValueError):
        uncertain(under_readings(lake, ["mediated"]))
    with pytest.raises(UserError, match="no such reading"):
        uncertain(lake, ["medaited"])


def hand_made(lake: Scenario, chosen, edits: Edits, values: dict) -> Scenario:
    """A sample as a user would type it: --reading of the chosen and drawn readings, the edits, then --demote of
    the red lines drawn to give way (still red lines) and --weight of the weights drawn (still demands)."""
    readings = [*chosen, *(v for k, v in values.items() if k in ("cap", "season"))]
    scenario = apply_edits(under_readings(lake, readings), edits)[0] if edits else under_readings(lake, readings)
    red = set(red_line_order(scenario))
    demands = {r.name for r in scenario.demands}
    scenario = apply_edits(scenario, Edits(demote=tuple(n for n in FIRM if values.get(n) is False and n in red)))[0]
    demands |= {n for n in FIRM if values.get(n) is False and n in red}
    weights = tuple(f"{n}={values[n]}" for n in RANGES if n in values and n in demands)
    return apply_edits(scenario, Edits(weight=weights))[0]


@pytest.mark.parametrize("chosen, edits", [((), Edits()), (("mediated",), Edits(drop=("north/north-chairs",)))])
def test_sample_is_the_edits_a_user_would_type(lake, chosen, edits):
    made = uncertain(lake, chosen, edits)
    draws = list(every_draw(made.items))
    assert len(draws) == combination_count(made.items) == 2 * 3 * 2 * 2 * 2 * 3 * 3
    for each in random.Random(0).sample(draws, 60):  # (all of them take a few seconds)
        values = {item.name: value for item, value in made.values(each)}
        sample = made.sample(each)
        assert sample == hand_made(lake, chosen, edits, values)
        assert all(r.weight_range is None for r in sample.demands)  # every range drawn


def test_sample_leaves_a_red_line_a_reading_made_a_demand(lake):
    made = uncertain(lake)
    names = [i.name for i in made.items]
    choices = [0] * len(made.items)
    choices[names.index("cap")] = 1  # cap-soft
    choices[names.index("south/river-keeps-flowing")] = 1  # gives way: a demand already, left as cap-soft made it
    sample = made.sample(Draw(tuple(choices)))
    assert sample.rule("south/river-keeps-flowing").weight == 3
    assert sample == made.sample(replace(Draw(tuple(choices))))


def test_every_draw_sums_to_exactly_one_in_lexicographic_order(lake):
    made = uncertain(lake)
    draws = list(every_draw(made.items))
    assert sum(map(made.probability, draws)) == 1
    assert [d.choices for d in draws] == sorted(d.choices for d in draws)
    assert len(set(draws)) == len(draws) == combination_count(made.items)


def test_probability_is_the_product(lake):
    made = uncertain(lake)
    each = Draw(tuple(len(i.values) - 1 for i in made.items))
    expected = Fraction(1)
    for item in made.items:
        expected *= item.probabilities[-1]
    assert made.probability(each) == expected


def test_draw_follows_the_documented_stream():
    items = (UncertainItem(ItemKind.FIRMNESS, "a/r", (True, False), (Fraction(7, 10), Fraction(3, 10)), "a"),
             UncertainItem(ItemKind.WEIGHT, "a/d", (1, 2, 3, 4), (Fraction(1, 4),) * 4, "a"))
    for seed, index in [(0, 0), (5, 17), (2**40 - 1, 2**40 - 1)]:
        stream = random.Random(seed * 2**40 + index)
        u, v = stream.random(), stream.random()
        expected = (0 if u < 0.7 else 1, min(int(Fraction(v) * 4), 3))
        assert draw(items, seed, index).choices == expected


def test_draw_is_independent_of_the_order_of_evaluation(lake):
    items = uncertain(lake).items
    forward = [draw(items, 7, i) for i in range(200)]
    backward = [draw(items, 7, i) for i in reversed(range(200))][::-1]
    interleaved = {i: draw(items, 7, i) for i in random.Random(1).sample(range(200), 200)}
    assert forward == backward == [interleaved[i] for i in range(200)]
    assert forward != [draw(items, 8, i) for i in range(200)]
    # an item that never gives way (firm: 0) is never drawn to hold
    zero = [i for i, item in enumerate(items) if item.name == "north/enough-water"][0]
    assert all(d.choices[zero] == 1 for d in forward)


@pytest.mark.parametrize("seed, index", [(-1, 0), (2**40, 0), (0, -1), (0, 2**40)])
def test_seed_and_index_are_bounded(seed, index):
    with pytest.raises(UserError):
        draw((), seed, index)


def test_exact_enumeration_limits():
    coin = UncertainItem(ItemKind.FIRMNESS, "a/r", (True, False), (Fraction(1, 2),) * 2, "a")
    assert exact_possible([coin] * MAX_EXACT_ITEMS) == (True, None)
    possible, reason = exact_possible([coin] * (MAX_EXACT_ITEMS + 1))
    assert not possible and f"more than the {MAX_EXACT_ITEMS}" in reason
    wide = UncertainItem(ItemKind.WEIGHT, "a/d", tuple(range(1, 101)), (Fraction(1, 100),) * 100, "a")
    possible, reason = exact_possible([wide, wide])
    assert not possible and f"{MAX_EXACT_COMBINATIONS:,}" in reason and "10,000" in reason


def test_pickled_without_its_scenarios(lake):
    made = uncertain(lake)
    made.scenario(("cap-soft",))
    copy = pickle.loads(pickle.dumps(made))
    assert copy == made and len(copy.kept) == 0
    assert copy.sample(draw(copy.items, 3, 4)) == made.sample(draw(made.items, 3, 4))


def test_a_draw_compares_exactly_at_the_edges():
    item = UncertainItem(ItemKind.FIRMNESS, "a/r", (True, False), (Fraction(1, 3), Fraction(2, 3)), "a")
    third = item.cumulative[0]
    below = float(third)  # the float nearest 1/3 is below it: it still holds
    assert Fraction(below) < third and item.pick(below) == 0
    above = float.fromhex("0x1.5555555555556p-2")  # the next float: above 1/3, so it gives way
    assert Fraction(above) > third and item.pick(above) == 1
    assert item.pick(0.0) == 0 and item.pick(1 - 2**-53) == 1
    half = UncertainItem(ItemKind.FIRMNESS, "a/s", (True, False), (Fraction(1, 2),) * 2, "a")
    assert half.pick(0.5) == 1 and half.pick(0.5 - 2**-53) == 0  # u = 1/2 does not fall below 1/2
    assert (0.3 * 2**53) % 1 and half.pick(0.3) == 0  # not a whole number of 2**-53: compared as a Fraction
