"""solver/frontier.py on hand-made scenarios: a known staircase and its bargaining points, ties, the status words
(no deal, limit, interrupted), refusals, the verification of every point, determinism, and when the dynamic
programme applies."""

from __future__ import annotations

from fractions import Fraction

import pytest

from feasible.positions import InternalError, UserError
from feasible.positions.utility import IssueUtility, Rectangle, Utility
from feasible.solver import frontier as frontier_module
from feasible.solver.bargaining import NO_POINTS, NOT_FOUND, Solution
from feasible.solver.frontier import FrontierStatus, additive_setup, frontier, prove_pareto_optimal
from feasible.solver.search import Control
from feasible.solver.utility import party_utilities
from solver_support import GENEROUS
from solver_support.build import bool_issue, enum_issue, int_issue, issues_of, party, scenario
from solver_support.frontier import with_block

ONE = Fraction(1)
BOTH = (True, False)  # the dynamic programme, then the CP-SAT methods


def line(issue: str, *points: tuple[int, Fraction], weight: Fraction = ONE) -> IssueUtility:
    return IssueUtility(issue, weight, points=tuple(points))


def price_scenario(reservation: Fraction | None = None, extra=()):
    """A price 0..4 the buyer wants low and the seller high, and a bool the buyer wants a little."""
    issues = issues_of(int_issue("price", 0, 4), bool_issue("warranty"))
    scen = scenario(issues, [party("buyer"), party("seller"), *extra])
    scen = with_block(scen, "buyer", Utility(issues=(
        line("price", (0, ONE), (4, Fraction(0)), weight=Fraction(3, 4)),
        IssueUtility("warranty", Fraction(1, 4), scores=((True, ONE),))), reservation=reservation))
    return with_block(scen, "seller", Utility(issues=(line("price", (0, Fraction(0)), (4, ONE)),)))


def vectors(result):
    return [tuple(p.utilities) for p in result.points]


@pytest.mark.parametrize("fast", BOTH)
def test_a_staircase_and_its_points(fast):
    result = frontier(price_scenario(), time_limit=GENEROUS, fast=fast)
    assert result.status is FrontierStatus.COMPLETE
    assert vectors(result) == [(ONE, 0), (Fraction(13, 16), Fraction(1, 4)), (Fraction(5, 8), Fraction(1, 2)),
                               (Fraction(7, 16), Fraction(3, 4)), (Fraction(1, 4), ONE)]
    assert all(p.deal["warranty"] is True for p in result.points)
    assert [p.deal["price"] for p in result.points] == [0, 1, 2, 3, 4]
    assert result.ideal == (ONE, ONE) and result.disagreement == (0, 0)
    points = {b.solution: b for b in result.bargaining}
    assert tuple(points[Solution.NASH].point.utilities) == (Fraction(7, 16), Fraction(3, 4))  # 21/64
    assert tuple(points[Solution.EGALITARIAN].point.utilities) == (Fraction(5, 8), Fraction(1, 2))
    assert tuple(points[Solution.KALAI_SMORODINSKY].point.utilities) == (Fraction(5, 8), Fraction(1, 2))
    welfare = points[Solution.UTILITARIAN]  # the buyer's price line is the flatter one
    assert tuple(welfare.point.utilities) == (Fraction(1, 4), ONE) and welfare.ties == 1
    assert all(b.exact for b in result.bargaining)


@pytest.mark.parametrize("fast", BOTH)
def test_the_reservation_cuts_the_frontier_and_moves_the_disagreement_point(fast):
    result = frontier(price_scenario(reservation=Fraction(1, 2)), time_limit=GENEROUS, fast=fast)
    assert vectors(result) == [(ONE, 0), (Fraction(13, 16), Fraction(1, 4)), (Fraction(5, 8), Fraction(1, 2))]
    assert result.disagreement == (Fraction(1, 2), 0)
    nash = result.bargaining[0]
    assert nash.solution is Solution.NASH
    assert tuple(nash.point.utilities) == (Fraction(13, 16), Fraction(1, 4))  # (5/16)(1/4) > (1/8)(1/2)


@pytest.mark.parametrize("fast", BOTH)
def test_no_acceptable_deal(fast):
    result = frontier(price_scenario(reservation=Fraction(11, 10)), time_limit=GENEROUS, fast=fast)
    assert result.status is FrontierStatus.NO_DEAL
    assert result.points == () and result.ideal is None
    assert all(b.point is None and b.ties == 0 and b.reason == NO_POINTS for b in result.bargaining)


def test_no_deal_from_red_lines():
    scen = scenario(issues_of(bool_issue("x")), [party("a", red_lines=["x and not x"], demands=[("x", 1)])])
    result = frontier(scen, time_limit=GENEROUS)
    assert result.status is FrontierStatus.NO_DEAL


@pytest.mark.parametrize("fast", BOTH)
def test_limit_says_more_exist(fast):
    cut = frontier(price_scenario(), limit=2, time_limit=GENEROUS, fast=fast)
    assert cut.status is FrontierStatus.LIMIT
    assert vectors(cut) == [(ONE, 0), (Fraction(13, 16), Fraction(1, 4))]  # two parties: from the buyer's best
    assert cut.ideal == (ONE, ONE)
    # every bargaining point is still the whole frontier's (its own solve, or the programme's whole frontier)
    points = {b.solution: tuple(b.point.utilities) for b in cut.bargaining if b.exact}
    assert points[Solution.NASH] == (Fraction(7, 16), Fraction(3, 4))
    assert points[Solution.EGALITARIAN] == (Fraction(5, 8), Fraction(1, 2))
    assert points[Solution.UTILITARIAN] == (Fraction(1, 4), ONE)
    whole = frontier(price_scenario(), limit=5, time_limit=GENEROUS, fast=fast)
    assert whole.status is FrontierStatus.COMPLETE and len(whole.points) == 5


@pytest.mark.parametrize("fast", BOTH)
def test_interrupted_before_any_point(fast):
    control = Control()
    control.interrupt()
    result = frontier(price_scenario(), time_limit=GENEROUS, control=control, fast=fast)
    assert result.status is FrontierStatus.INTERRUPTED
    assert result.points == ()
    assert all(b.point is None and b.reason == NOT_FOUND and not b.exact for b in result.bargaining)


def test_refusals():
    with pytest.raises(UserError, match="at least 1"):
        frontier(price_scenario(), limit=0)
    with pytest.raises(UserError, match="no party has a utility"):
        frontier(scenario(issues_of(bool_issue("x")), [party("a", red_lines=["x"])]))
    with pytest.raises(UserError):
        frontier(price_scenario(), ["byuer"])
    with pytest.raises(UserError, match="no party named"):
        frontier(price_scenario(), [])
    with pytest.raises(UserError, match="named twice: buyer"):
        frontier(price_scenario(), ["buyer", "seller", "buyer"])


@pytest.mark.parametrize("fast", BOTH)
def test_every_point_is_verified_by_the_evaluator(fast, monkeypatch):
    real = frontier_module.utility_value
    monkeypatch.setattr(frontier_module, "utility_value", lambda s, pu, deal: real(s, pu, deal) + 1)
    with pytest.raises(InternalError, match="disagree"):
        frontier(price_scenario(), time_limit=GENEROUS, fast=fast)


def test_deterministic():
    three = price_scenario(extra=[party("judge")])
    three = with_block(three, "judge", Utility(issues=(IssueUtility("warranty", ONE, scores=((False, ONE),)),)))
    for fast in BOTH:
        runs = [frontier(three, time_limit=GENEROUS, fast=fast) for _ in range(2)]
        assert [(p.scaled, p.deal) for p in runs[0].points] == [(p.scaled, p.deal) for p in runs[1].points]
        assert len(runs[0].points) == 10


def test_prove_pareto_optimal():
    scen = price_scenario()
    result = frontier(scen, time_limit=GENEROUS)
    assert all(prove_pareto_optimal(scen, None, p, GENEROUS) for p in result.points)
    assert prove_pareto_optimal(scen, None, (625_000 - 250_000, 500_000), GENEROUS) is False  # price 2, no warranty


def test_when_the_dynamic_programme_applies():
    scen = price_scenario()
    counted = party_utilities(scen)
    assert additive_setup(scen, counted) is not None
    narrowed = scenario(scen.issues, scen.parties, facts=["price >= 1"])
    assert additive_setup(narrowed, counted) is not None  # a rule on one issue narrows its values
    assert additive_setup(scenario(scen.issues, scen.parties, facts=["price >= 1 or warranty"]), counted) is None
    assert additive_setup(price_scenario(extra=[party("judge", red_lines=["not warranty"])]), counted) is not None
    assert additive_setup(price_scenario(extra=[party("judge", red_lines=["price < 4 -> warranty"])]), counted) \
        is None
    demands = price_scenario(extra=[party("judge", demands=[("warranty", 1)])])
    assert additive_setup(demands, party_utilities(demands)) is None  # a party of demand satisfaction counted
    assert additive_setup(demands, party_utilities(demands, ["buyer", "seller"])) is not None  # left out: fine
    boxes = with_block(scen, "seller", Utility(rectangles=(Rectangle(ONE, (("price", 0, 2),)),), max_utility=ONE))
    assert additive_setup(boxes, counted) is None


@pytest.mark.parametrize("fast", BOTH)
def test_rules_on_one_issue_narrow_it(fast):
    scen = price_scenario(extra=[party("judge", red_lines=["not warranty", "price != 2"])])
    scen = scenario(scen.issues, scen.parties, facts=["price >= 1"])
    result = frontier(scen, ["buyer", "seller"], time_limit=GENEROUS, fast=fast)
    assert vectors(result) == [(Fraction(9, 16), Fraction(1, 4)), (Fraction(3, 16), Fraction(3, 4)),
                               (0, ONE)]
    assert [p.deal for p in result.points] == [{"price": 1, "warranty": False}, {"price": 3, "warranty": False},
                                               {"price": 4, "warranty": False}]


def test_an_enum_in_the_dynamic_programme():
    issues = issues_of(enum_issue("venue", "geneva", "vienna", "oslo"), int_issue("days", 1, 3))
    scen = scenario(issues, [party("a"), party("b")])
    half = Fraction(1, 2)
    for pid, best in (("a", "geneva"), ("b", "vienna")):
        venue = IssueUtility("venue", ONE, scores=((best, ONE), ("oslo", half)))
        scen = with_block(scen, pid, Utility(issues=(venue,)))
    fast, slow = (frontier(scen, time_limit=GENEROUS, fast=f) for f in BOTH)
    assert vectors(fast) == vectors(slow) == [(ONE, 0), (Fraction(1, 2), Fraction(1, 2)), (0, ONE)]
    assert fast.points[1].deal == {"venue": "oslo", "days": 1}
