"""The most robust deal (solver/robust.py) on hand-built scenarios: log costs (not linear ones), exactness past the
integer costs' precision, the sure red lines' conflict, conditioning on a party's level and on readings with p,
the limit on conditioning combinations; and find_deals' `leading` stage (solver/deals.py)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from feasible.positions.loader import load_scenario
from feasible.positions.model import Scenario
from feasible.positions.uncertainty import ItemKind, Uncertain, every_draw, uncertain
from feasible.solver.compile import compile_scenario
from feasible.solver.deals import find_deals
from feasible.solver.result import Objective
from feasible.solver.robust import MAX_CONDITIONS, ROBUST_SCALE, RobustStatus, robust_cost, robust_deal
from feasible.solver.search import Searcher
from solver_support import GENEROUS
from solver_support.build import bool_issue, issues_of, party, scenario
from solver_support.oracle import assignments, is_deal

HARBOUR = Path(__file__).parent / "data" / "robust" / "harbour.yaml"


def with_firmness(scen: Scenario, firm: dict[str, Fraction], ranges: dict[str, tuple[int, int]] = {},
                  p: dict[str, Fraction] = {}) -> Scenario:
    """The scenario with these firmness values, weight ranges (around the weight as written) and readings' p."""
    def rule(r):
        if r.name in firm:
            return replace(r, firm=firm[r.name])
        if r.name in ranges:
            return replace(r, weight_range=ranges[r.name])
        return r

    parties = tuple(replace(q, red_lines=tuple(map(rule, q.red_lines)), demands=tuple(map(rule, q.demands)))
                    for q in scen.parties)
    return replace(scen, parties=parties, readings=tuple(replace(r, p=p.get(r.name, r.p)) for r in scen.readings))


def chances(made: Uncertain) -> dict[tuple, Fraction]:
    """Brute force: P(every party accepts d) for every assignment d, over every draw."""
    samples = [(made.probability(d), made.sample(d)) for d in every_draw(made.items)]
    return {tuple(sorted(v.items())): sum((q for q, s in samples if is_deal(s, v)), start=Fraction(0))
            for v in assignments(made.scenario().issues)}


def coin_scenario(a: Fraction, b: Fraction, c: Fraction | None = None) -> Scenario:
    """x must break either p0's red lines r0 (x) and r1 (x) or p1's r0 (not x); the demand prefers not x."""
    scen = scenario(issues_of(bool_issue("x")),
                    [party("p0", ["x", "x"], [("not x", 1)]), party("p1", ["not x"], [("x", 1)])])
    firm = {"p0/r0": a, "p0/r1": b}
    if c is not None:
        firm["p1/r0"] = c
    return with_firmness(scen, firm)


def test_breaking_two_likely_red_lines_beats_breaking_one_very_likely_one():
    # linear costs (0.5 + 0.5 > 0.9) would keep the two; the product (0.25 > 0.1) breaks them
    result = robust_deal(uncertain(coin_scenario(Fraction(1, 2), Fraction(1, 2), Fraction(9, 10))),
                         time_limit=GENEROUS)
    assert result.status is RobustStatus.FOUND
    assert result.deal.values == {"x": False}
    assert result.probability == result.bound == Fraction(1, 4)
    assert result.gambles == ("p0/r0", "p0/r1")


@pytest.mark.parametrize("firmer", ["p0/r0", "p1/r0"])
def test_exact_below_the_precision_of_the_integer_costs(firmer):
    # p0/r0 (x) or p1/r0 (not x) must break; one holds with 1/2, the other with 1/2 + 10^-9: the same integer cost,
    # whichever deal the solver finds first, the one breaking the less firm is the answer
    tiny = Fraction(1, 10**9)
    scen = scenario(issues_of(bool_issue("x")), [party("p0", ["x"], [("not x", 1)]), party("p1", ["not x"])])
    firm = {name: Fraction(1, 2) + (tiny if name == firmer else 0) for name in ("p0/r0", "p1/r0")}
    made = uncertain(with_firmness(scen, firm))
    assert robust_cost(Fraction(1, 2)) == robust_cost(Fraction(1, 2) + tiny)
    result = robust_deal(made, time_limit=GENEROUS)
    assert result.status is RobustStatus.FOUND
    weaker = "p1/r0" if firmer == "p0/r0" else "p0/r0"
    assert result.gambles == (weaker,)
    assert result.probability == Fraction(1, 2) == max(chances(made).values()) == result.bound


def test_equally_probable_deals_are_ranked_by_the_objective():
    # breaking p0's pair (1/2 · 1/2) or p1's red line (1/4): equally probable, the demands then decide (fair)
    scen = coin_scenario(Fraction(1, 2), Fraction(1, 2), Fraction(3, 4))
    result = robust_deal(uncertain(scen), time_limit=GENEROUS)
    assert result.probability == Fraction(1, 4) and result.status is RobustStatus.FOUND
    assert robust_cost(Fraction(3, 4)) == 2 * robust_cost(Fraction(1, 2))  # (the same integer price, too)


def test_a_certain_scenario_gives_check_s_deal_with_probability_one():
    scen = scenario(issues_of(bool_issue("x"), bool_issue("y")),
                    [party("p0", ["x or y"], [("x", 2), ("y", 1)]), party("p1", ["not (x and y)"], [("y", 1)])])
    made = uncertain(scen)
    assert made.items == ()
    result = robust_deal(made, time_limit=GENEROUS)
    assert (result.status, result.probability, result.bound, result.gambles) == (RobustStatus.FOUND, 1, 1, ())
    from feasible.solver import check
    assert result.deal.values == check(scen, time_limit=GENEROUS).deal.values


def test_no_deal_whatever_gives_way_names_a_conflict_among_the_sure_red_lines():
    scen = scenario(issues_of(bool_issue("x"), bool_issue("y")),
                    [party("p0", ["x", "y"]), party("p1", ["not x", "y"])])
    made = uncertain(with_firmness(scen, {"p0/r1": Fraction(9, 10), "p1/r1": Fraction(1, 2)}))
    result = robust_deal(made, time_limit=GENEROUS)
    assert result.status is RobustStatus.NO_DEAL
    assert (result.deal, result.probability, result.bound, result.gambles) == (None, 0, 0, ())
    assert result.conflict.red_lines == ("p0/r0", "p1/r0") and result.conflict.facts == ()


def test_facts_alone_conflicting_are_the_conflict():
    scen = scenario(issues_of(bool_issue("x")), [party("p0", ["x"])], facts=["x", "not x"])
    result = robust_deal(uncertain(with_firmness(scen, {"p0/r0": Fraction(1, 2)})), time_limit=GENEROUS)
    assert result.status is RobustStatus.NO_DEAL
    assert result.conflict.red_lines == () and result.conflict.facts == ("facts/f0", "facts/f1")


def without(scen: Scenario, ranges: bool = True, p: bool = True) -> Scenario:
    """The scenario without its weight ranges (exact nominal weights) or without its readings' p."""
    def rule(r):
        return r if ranges else replace(r, weight_range=None)

    parties = tuple(replace(q, demands=tuple(map(rule, q.demands))) for q in scen.parties)
    return replace(scen, parties=parties, readings=tuple(r if p else replace(r, p=None) for r in scen.readings))


@pytest.fixture(scope="module")
def harbour() -> Scenario:
    """The port (accept_at_least 50) with two uncertain red lines and a weight range; the city's and the union's
    uncertain red lines; the tide, a question whose readings carry p (all in the file)."""
    return load_scenario(HARBOUR)


def test_the_harbour_file_states_its_uncertainty(harbour):
    items = [(i.kind, i.name) for i in uncertain(harbour).items]
    assert items == [(ItemKind.READING, "tide"),
                     *((ItemKind.FIRMNESS, n) for n in ("port/some-fee", "port/not-east", "city/quiet-nights",
                                                        "union/night-pay")),
                     (ItemKind.WEIGHT, "port/high-fee"), (ItemKind.WEIGHT, "city/low-fee")]


@pytest.mark.parametrize("ranges, p", [(False, False), (True, False), (False, True), (True, True)],
                         ids=["level", "level-and-weights", "level-and-readings", "everything"])
def test_conditioning_on_a_level_and_on_readings_against_brute_force(harbour, ranges, p):
    """The port's level moves with its firmness and weights, the tide is a question with p: the answer is exact
    (the probability of its deal), and no deal is more probable than the bound."""
    made = uncertain(without(harbour, ranges, p))
    assert (ItemKind.READING in {item.kind for item in made.items}) == p
    every = chances(made)
    best = max(every.values())
    result = robust_deal(made, time_limit=GENEROUS)
    assert result.status in (RobustStatus.FOUND, RobustStatus.BOUNDED)
    assert result.probability == every[tuple(sorted(result.deal.values.items()))] > 0
    assert result.probability <= best <= result.bound <= 1
    if result.status is RobustStatus.FOUND:
        assert result.probability == best == result.bound


def test_conditioning_can_leave_the_answer_bounded():
    """The port's level (50 %) over x (weight 1, 2 or 3) and not x (2): at weight 1 it needs not x, at 3 it needs x,
    at 2 either. The city's red line x holds with 1/2. The best deal differs by condition, so no single deal
    reaches the bound (the mean of each weight's best: 1/2, 1, 1)."""
    scen = scenario(issues_of(bool_issue("x")),
                    [party("port", [], [("x", 2), ("not x", 2)], accept_at_least=50), party("city", ["x"])])
    made = uncertain(with_firmness(scen, {"city/r0": Fraction(1, 2)}, {"port/d0": (1, 3)}))
    every = chances(made)
    result = robust_deal(made, time_limit=GENEROUS)
    assert result.status is RobustStatus.BOUNDED
    assert result.deal.values == {"x": True} and result.gambles == ()
    assert result.probability == max(every.values()) == Fraction(2, 3)
    assert result.bound == Fraction(5, 6)


def test_too_many_conditioning_combinations_are_not_computed(harbour):
    wide = replace(harbour, parties=tuple(
        replace(q, demands=tuple(replace(d, weight_range=(1, 9)) if d.name == "port/night-runs" else d
                                 for d in q.demands)) for q in harbour.parties))
    result = robust_deal(uncertain(wide), time_limit=GENEROUS)
    assert result.status is RobustStatus.NOT_COMPUTED and result.deal is None
    assert f"more than the {MAX_CONDITIONS}" in result.reason and "216" in result.reason  # 2 · 2 · 2 · 3 · 9


def test_robust_cost_is_the_scaled_negative_log():
    assert robust_cost(Fraction(0)) == 0
    assert robust_cost(Fraction(1, 2)) == round(0.6931471805599453 * ROBUST_SCALE)
    assert robust_cost(Fraction(999999, 10**6)) == round(13.815510557964274 * ROBUST_SCALE)


def test_leading_stages_come_before_the_objective():
    scen = scenario(issues_of(bool_issue("x")), [party("p0", [], [("not x", 5)]), party("p1", ["x or not x"])])
    compiled = compile_scenario(scen, enforce_red_lines=False, enforce_facts=False)
    plain, _ = find_deals(compiled, Objective.FAIR, 1, Searcher(GENEROUS), with_open=False)
    led, _ = find_deals(compiled, Objective.FAIR, 1, Searcher(GENEROUS), with_open=False,
                        leading=[compiled.issues["x"].var])
    assert plain[0].values == {"x": False} and led[0].values == {"x": True}
    assert not led[0].optimal or led[0].outcomes[0].satisfaction == 0
