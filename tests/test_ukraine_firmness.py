"""The shipped Ukraine scenario's firmness estimates (issue 18, point 6): which red lines carry `firm:`, that each
estimate is argued from the sources in its `firm_note:`, and the deal probability they give, computed here from
the scenario's minimal conflicts and checked against the solver on the samples that decide it.

The estimates themselves are judgements from the fact sheet (docs/uncertainty.md, "The shipped Ukraine
scenario"); the table below is their record, so that a change to one is a deliberate change of this test too."""

from __future__ import annotations

import itertools
import re
from fractions import Fraction

import pytest

from feasible.positions import DEFAULT_SCENARIO, load_scenario, shipped_scenarios
from feasible.positions.uncertainty import GIVES_WAY, HOLDS, Draw, ItemKind, every_draw, exact_possible, uncertain
from feasible.solver import Verdict, check
from feasible.solver.robust import RobustStatus, robust_deal

UKRAINE = shipped_scenarios()[DEFAULT_SCENARIO]

# Every estimate, in scenario order; the red lines not listed are firm (no `firm:`).
ESTIMATES = {
    "us/no-us-ground-troops": Fraction("0.9"),
    "russia/no-western-troops": Fraction("0.9"),
    "russia/donbas-withdrawal": Fraction("0.9"),
    "russia/withdrawal-before-ceasefire": Fraction("0.9"),
    "russia/withdrawal-before-settlement": Fraction("0.9"),
    "ukraine/no-unilateral-withdrawal": Fraction("0.8"),
    "ukraine/referendum-before-withdrawal": Fraction("0.8"),
    "europe/european-led-force": Fraction("0.4"),
    "europe/us-backstop": Fraction("0.5"),
    "italy/no-italian-troops-in-ukraine": Fraction("0.7"),
    "poland/no-polish-troops-in-ukraine": Fraction("0.7"),
}
# A fact-sheet row split into several rules (scenario.yaml, "Split red lines") carries one estimate for its parts.
SPLIT_ROWS = {
    "RU-R3": ["russia/donbas-withdrawal", "russia/withdrawal-before-ceasefire", "russia/withdrawal-before-settlement"],
    "UA-R2": ["ukraine/no-unilateral-withdrawal", "ukraine/referendum-before-withdrawal"],
}
FORCE = ("europe/european-led-force", "russia/no-western-troops")
DONBAS = ("russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal")
# (1 - P(both troops red lines hold)) · (1 - P(both Donbas red lines hold)), as docs/uncertainty.md states it.
DEAL_PROBABILITY = Fraction(112, 625)
# The most robust deal gives up the less firm member of each conflict: the coalition's force and Ukraine's Donbas line.
ROBUST = (("europe/european-led-force", "ukraine/no-unilateral-withdrawal"), Fraction(3, 25))
# The comparisons the notes argue (docs/uncertainty.md, the scale): (lower, higher) or (equal, equal).
BELOW = [("europe/european-led-force", "europe/us-backstop"),  # a fact-sheet demand (CW-D1) vs a red line (CW-R2)
         ("italy/no-italian-troops-in-ukraine", "ukraine/no-unilateral-withdrawal"),  # an intention (CW-C2) vs UA-R2
         ("poland/no-polish-troops-in-ukraine", "ukraine/no-unilateral-withdrawal"),
         ("ukraine/no-unilateral-withdrawal", "russia/donbas-withdrawal")]  # moved on what the rule covers vs beside it
LEVEL = [("us/no-us-ground-troops", "russia/no-western-troops")]  # explicit, kept to, neither from the head of state


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(UKRAINE)


@pytest.fixture(scope="module")
def items(scenario):
    return uncertain(scenario).items


def red_lines(scenario):
    return [rule for party in scenario.parties for rule in party.red_lines]


def test_the_estimates_are_the_recorded_ones_and_the_rest_is_firm(scenario, items):
    assert {rule.name: rule.firm for rule in red_lines(scenario) if rule.firm is not None} == ESTIMATES
    assert all(rule.firm is None for rule in scenario.demands)
    assert [(item.kind, item.name) for item in items] == [
        (ItemKind.FIRMNESS, rule.name) for rule in red_lines(scenario) if rule.name in ESTIMATES]
    assert [item.probabilities for item in items] == [(ESTIMATES[item.name], 1 - ESTIMATES[item.name])
                                                      for item in items]
    assert exact_possible(items) == (True, None)  # the sweep can give the exact probability


def test_no_reading_carries_a_probability(scenario):
    """No source gives the likelihood of a reading (docs/uncertainty.md): the questions stay the user's choice."""
    assert all(r.p is None for r in scenario.readings)


@pytest.mark.parametrize("name", sorted(ESTIMATES))
def test_each_estimate_is_argued_from_the_sources(scenario, name):
    rule = next(rule for rule in red_lines(scenario) if rule.name == name)
    known = {source.id for source in scenario.sources}
    cited = re.findall(r"\[(S\d+)\]", rule.firm_note or "")
    assert cited and set(cited) <= known, rule.firm_note
    assert len(rule.firm_note.split()) >= 20


def test_the_estimates_keep_the_order_their_notes_argue():
    assert all(ESTIMATES[low] < ESTIMATES[high] for low, high in BELOW)
    assert all(ESTIMATES[one] == ESTIMATES[other] for one, other in LEVEL)
    assert ESTIMATES["europe/european-led-force"] < Fraction(1, 2)  # the scenario calls the demand reading better


@pytest.mark.parametrize("row", sorted(SPLIT_ROWS))
def test_a_split_fact_sheet_row_carries_one_estimate(row):
    assert len({ESTIMATES[name] for name in SPLIT_ROWS[row]}) == 1


def holds(items, draw: Draw) -> set[str]:
    return {item.name for item, choice in zip(items, draw.choices) if item.values[choice] is HOLDS}


def test_the_deal_probability_follows_from_the_two_conflicts(scenario, items):
    """A sample has a deal exactly when none of the scenario's minimal conflicts lies among the red lines it keeps
    (the sweep's conflict table rests on this); summed over every draw, that is the documented figure."""
    answer = check(scenario, conflicts=None, relaxations=0, room=False)
    assert answer.verdict is Verdict.NO_DEAL and answer.conflicts_complete
    conflicts = [set(c.red_lines) for c in answer.conflicts]
    assert sorted(map(sorted, conflicts)) == sorted(map(list, (FORCE, DONBAS)))
    firm = {rule.name for rule in red_lines(scenario) if rule.firm is None}
    by_draw = uncertain(scenario)
    total = sum((by_draw.probability(draw) for draw in every_draw(items)
                 if not any(c <= holds(items, draw) | firm for c in conflicts)), Fraction(0))
    assert total == DEAL_PROBABILITY == (1 - ESTIMATES[FORCE[0]] * ESTIMATES[FORCE[1]]) * (
        1 - ESTIMATES[DONBAS[0]] * ESTIMATES[DONBAS[1]])


def test_the_most_robust_deal_gives_up_the_less_firm_member_of_each_conflict(scenario):
    result = robust_deal(uncertain(scenario), time_limit=60)
    assert result.status is RobustStatus.FOUND
    assert (tuple(sorted(result.gambles)), result.probability) == ROBUST
    assert result.probability == (1 - ESTIMATES[FORCE[0]]) * (1 - ESTIMATES[DONBAS[1]])


@pytest.mark.parametrize("others", [HOLDS, GIVES_WAY], ids=["others-hold", "others-give-way"])
def test_the_solver_agrees_on_the_samples_that_decide_it(scenario, items, others):
    """The sixteen ways the four red lines of the two conflicts can hold or give way, with every other uncertain
    red line held, then given way: a deal exactly when each conflict loses a member."""
    made = uncertain(scenario)
    deciding = FORCE + DONBAS
    for kept in itertools.product((HOLDS, GIVES_WAY), repeat=len(deciding)):
        value = dict(zip(deciding, kept))
        draw = Draw(tuple(item.values.index(value.get(item.name, others)) for item in items))
        verdict = check(made.sample(draw), conflicts=0, relaxations=0, room=False, time_limit=30).verdict
        opened = not all(value[name] for name in FORCE) and not all(value[name] for name in DONBAS)
        assert verdict is (Verdict.DEAL if opened else Verdict.NO_DEAL), value


@pytest.mark.parametrize("reading, rewritten", [("nato-only", "russia/no-western-troops"),
                                                ("european-or-us-troops", "europe/european-led-force")])
def test_a_reading_that_rewrites_a_red_line_keeps_its_estimate_chosen_or_drawn(scenario, reading, rewritten):
    """Firmness belongs to the position, not to one wording of it: a narrower veto chosen with --reading is as
    uncertain as the veto as written (it used to become certain, and the deal probability fell)."""
    written = next(r for r in scenario.red_lines if r.name == rewritten)
    chosen = uncertain(scenario, readings=[reading])
    rule = next(r for r in chosen.scenario().red_lines if r.name == rewritten)
    assert rule.text != written.text, "the reading rewrites the red line"
    assert (rule.firm, rule.firm_note) == (written.firm, written.firm_note)
    item = next(i for i in chosen.items if i.name == rewritten)
    assert item.probabilities == (written.firm, 1 - written.firm)
    gives_way = Draw(tuple(item.values.index(GIVES_WAY) if i is item else 0 for i in chosen.items))
    assert rewritten in {d.name for d in chosen.sample(gives_way).demands}
