"""Monte Carlo against the exact value: on a fixed, listed set of scenarios and seeds, the exact probability of a
deal (by enumeration) lies inside the 99.9 % Wilson interval of each sweep's estimate, and so does the exact
P(deal | value) of every item value drawn often enough.

Deterministic: the same scenarios, seeds and sample counts every run (a sample is a function of its seed and index,
positions/uncertainty.py `draw`), so this never fails at random; with these seeds it must pass, and an engine that
answered samples wrongly or drew them with a bias would move estimates out of their intervals.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from feasible.positions.edits import Edits
from feasible.positions.loader import load_scenario
from feasible.positions.uncertainty import uncertain
from feasible.solver.sweep import sweep, wilson
from solver_support.build import bool_issue, enum_issue, issues_of, party, scenario
from test_sweep import UKRAINE_FIRMNESS, with_firmness
from test_uncertainty import lake as uncertain_lake  # noqa: F401 (a fixture, asked for by name)

CONFIDENCE = 0.999
SAMPLES = 2000
OFTEN_ENOUGH = 100  # an item value drawn fewer times than this is not compared (its interval says little)


def ukraine():
    return uncertain(with_firmness(load_scenario("ukraine-2026"), UKRAINE_FIRMNESS))


def lake(request):
    return uncertain(request.getfixturevalue("uncertain_lake"), edits=Edits(set=("extraction_cap=800",)))


def chain():
    """Three parties on one enum issue, each ruling out a value it may give up, with a level on the last."""
    issues = issues_of(enum_issue("plan", "a", "b", "c"), bool_issue("vote"))
    parties = [party("x", ['plan != "a"', "vote"]), party("y", ['plan != "b"']),
               party("z", ['plan != "c"', "not vote"], demands=[("vote", 2), ('plan == "a"', 1)], accept_at_least=30)]
    firm = {"x/r0": Fraction(1, 2), "y/r0": Fraction(3, 4), "z/r0": Fraction(9, 10), "x/r1": Fraction(1, 5),
            "z/r1": Fraction(2, 5)}
    return uncertain(with_firmness(scenario(issues, parties), firm))


SCENARIOS = {"ukraine": lambda request: ukraine(), "lake": lake, "chain": lambda request: chain()}
CASES = [("ukraine", 0), ("ukraine", 1), ("ukraine", 2), ("lake", 0), ("lake", 7), ("chain", 0), ("chain", 3),
         ("chain", 20260106)]


@pytest.mark.parametrize("name, seed", CASES)
def test_the_exact_value_lies_in_the_interval_of_the_estimate(request, name, seed):
    made = SCENARIOS[name](request)
    swept = sweep(made, samples=SAMPLES, seed=seed, workers=1, robust=False, confidence=CONFIDENCE)
    exact = swept.exact.probability
    assert exact is not None and 0 < exact < 1  # (a question with two possible answers)
    interval = swept.probability
    assert swept.tally.decided == SAMPLES and interval.confidence == CONFIDENCE
    assert interval.low <= exact <= interval.high, (name, seed, float(exact), interval)
    compared = 0
    for item in swept.sensitivity:
        for (label, n, deals), conditional in zip(item.values, item.exact):
            if n >= OFTEN_ENOUGH:
                low, high = wilson(deals, n, CONFIDENCE)
                assert low <= conditional <= high, (name, seed, swept.items[item.item].name, label)
                compared += 1
    assert compared >= len(swept.items)
