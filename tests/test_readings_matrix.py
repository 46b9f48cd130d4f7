"""The readings matrix (solver/readings.py) against brute force, on small random scenarios whose questions are made
of random what-if changes (a reading drops a red line, demotes one or settles an issue; each question's first
reading changes nothing, as a question's default does):

- every cell equals a separate check of the scenario under its combination (verdict, cheapest cost, conflicts in
  the same order), and brute force agrees (a deal exists; the conflicts are exactly the minimal conflicting sets of
  red lines; the cheapest cost is that of the cheapest minimal correction set);
- one worker and two give the same matrix;
- the robust findings are the brute-force counts (each conflict's combinations, its family, each party's);
- the deal that holds in every reading exists exactly when some assignment meets the facts and red lines of every
  combination, and it is the best such assignment by the default combination's objective.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions import UserError
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.kinds import issue_type
from feasible.positions.model import RuleRef, Scenario
from feasible.solver import Objective, Verdict, check
from feasible.solver.compare import distance
from feasible.solver.readings import MAX_COMBINATIONS, Everywhere, cell_of, matrix
from solver_support import GENEROUS
from solver_support.oracle import assignments, domain, is_deal, left_out, objective_value, satisfaction
from solver_support.strategies import scenarios
from test_conflict_properties import PROPERTY, Brute


@dataclass(frozen=True)
class WhatIfReadings:
    """Readings as what-if edits: reading name → its edits (a default reading has none). Picklable, so that
    worker processes can read the scenario the same way."""

    changes: tuple[tuple[str, Edits], ...]

    def __call__(self, scenario: Scenario, names) -> Scenario:
        chosen = [edits for name, edits in self.changes if name in names]
        merged = Edits(*(tuple(item for e in chosen for item in getattr(e, part))
                         for part in ("drop", "set", "demote", "overlays")))
        return apply_edits(scenario, merged)[0] if merged else scenario


@st.composite
def read_scenarios(draw):
    """A scenario, its readings and their combinations (questions of 2 or 3 readings, each alternative touching a
    red line or an issue no other question touches)."""
    scen = draw(scenarios(max_parties=3))
    red = [r.name for p in scen.parties for r in p.red_lines]
    targets = [("drop", name) for name in red] + [("demote", name) for name in red] + \
        [("set", issue) for issue in scen.issues]
    chosen = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3,
                           unique_by=lambda t: t[1]))  # one question per red line or issue
    changes, questions = [], []
    for q, (kind, subject) in enumerate(chosen):
        names = [f"q{q}-as-written"]
        alternatives = draw(st.integers(1, 2)) if kind == "set" else 1
        for a in range(alternatives):
            name = f"q{q}-{kind}-{a}"
            if kind == "set":
                issue = scen.issues[subject]
                value = draw(st.sampled_from(domain(issue)))
                edits = Edits(set=(f"{subject}={issue_type(issue).text(value)}",))
            else:
                edits = Edits(**{kind: (subject,)})
            changes.append((name, edits))
            names.append(name)
        questions.append(names)
    return scen, WhatIfReadings(tuple(changes)), list(itertools.product(*questions))


def brute_conflicts(brute: Brute) -> set[frozenset]:
    """The minimal conflicts as check lists them: the facts alone, when they contradict each other (no red line)."""
    return {frozenset()} if not brute.sat(brute.facts) else brute.muses


def brute_cost(brute: Brute) -> int | None:
    """0 with a deal; None when the facts alone leave none (no red line to give up)."""
    if brute.deals:
        return 0
    return min((brute.cost(m) for m in brute.mcses), default=None)


def components(sets: list[frozenset]) -> list[set]:
    """Sets joined when they share a member, directly or through others (written out again, without union-find)."""
    groups: list[set] = []
    for members in sets:
        touching = [g for g in groups if g & members]
        merged = set(members).union(*touching)
        groups = [g for g in groups if not g & members] + [merged]
    return groups


@settings(PROPERTY, max_examples=examples(40))
@given(drawn=read_scenarios(), objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
def test_every_cell_is_a_check_and_the_findings_are_the_brute_force_counts(drawn, objective):
    scen, under, combos = drawn
    found = matrix(scen, combos, under, objective=objective, time_limit=GENEROUS, workers=1)
    assert found.combinations == tuple(combos) and not found.interrupted
    readings = [under(scen, c) for c in combos]
    brutes = [Brute(s) for s in readings]
    for cell, scenario, brute in zip(found.cells, readings, brutes):
        alone = check(scenario, objective, time_limit=GENEROUS, conflicts=None, relaxations=1)
        assert cell.verdict is alone.verdict
        assert cell.cost == distance(alone).cost
        assert tuple(c.red_lines for c in cell.conflicts) == tuple(c.red_lines for c in alone.conflicts)
        assert cell == cell_of(cell.combination, alone)
        assert cell.verdict is (Verdict.DEAL if brute.deals else Verdict.NO_DEAL)
        assert cell.cost == brute_cost(brute)
        assert cell.conflicts_complete
        assert {frozenset(c.red_lines) for c in cell.conflicts} == brute_conflicts(brute)

    # the robust findings, counted again by brute force
    listed = [brute_conflicts(b) if not b.deals else set() for b in brutes]
    everything = set().union(*listed)
    assert {frozenset(h.red_lines): h.cells for h in found.conflicts} == \
        {c: tuple(i for i, cs in enumerate(listed) if c in cs) for c in everything}
    counts = [len(h.cells) for h in found.conflicts]
    assert counts == sorted(counts, reverse=True)
    families = components([c for c in everything if c])
    by_family: dict[int, set] = {}
    for h in found.conflicts:
        if h.red_lines:
            by_family.setdefault(h.family, set()).update(h.red_lines)
    assert sorted(map(sorted, by_family.values())) == sorted(map(sorted, families))
    for family in found.families:
        assert set(family.cells) == {i for i in family.conflicts for i in found.conflicts[i].cells}
    parties = {p.id for s in readings for p in s.parties}
    assert {share.party: share.cells for share in found.parties} == \
        {party: tuple(i for i, cs in enumerate(listed) if any(RuleRef.parse(r).owner == party for c in cs for r in c))
         for party in parties}
    assert found.no_deal == sum(1 for b in brutes if not b.deals) and found.undecided == 0
    assert found.conflicts_complete

    # a deal that holds in every reading
    common = [a for a in assignments(scen.issues) if all(is_deal(s, a) for s in readings)]
    every = found.every_reading
    if not common:
        assert every.status == Everywhere.NONE and every.deal is None
        assert every.without_deal == tuple(i for i, b in enumerate(brutes) if not b.deals)
    else:
        assert every.status == Everywhere.FOUND and every.optimal
        assert all(is_deal(s, every.deal.values) for s in readings)
        default = readings[0]
        out = left_out(default, common)
        best = max(objective_value(objective, satisfaction(default, a), out) for a in common)
        assert objective_value(objective, satisfaction(default, every.deal.values), out) == best


@settings(PROPERTY, max_examples=examples(10))
@given(drawn=read_scenarios())
def test_one_worker_and_two_give_the_same_matrix(drawn):
    scen, under, combos = drawn
    one = matrix(scen, combos, under, time_limit=GENEROUS, workers=1)
    two = matrix(scen, combos, under, time_limit=GENEROUS, workers=2)
    assert one == two


def test_too_many_combinations_are_refused_before_any_check():
    combos = [(f"r{i}",) for i in range(MAX_COMBINATIONS + 1)]
    with pytest.raises(UserError) as caught:  # (no scenario needed: the count alone refuses)
        matrix(None, combos, lambda s, c: pytest.fail("no reading may be applied"), questions=["q"])
    assert f"{MAX_COMBINATIONS + 1} combinations" in caught.value.message
    assert f"at most {MAX_COMBINATIONS}" in caught.value.message
    assert "--question q" in caught.value.hint
