"""The Nash objective with large demand weights: a deal is always reported once one is found, the model's size is
bounded whatever the weights, and the answer stays within the documented tolerance of brute force.

Large weights used to build a log table with one entry per unit of a party's total weight (outside the time limit:
minutes and gigabytes for one weight of a million), and the first solve already optimised, so a scenario with a
plain deal could end `unknown` (issue 12, A.2 and C.7). No test here depends on the machine's speed: limits are
generous and only what holds whatever the time is asserted.
"""

from __future__ import annotations

import math

import pytest

from feasible.positions import UserError
from feasible.solver import Objective, Verdict, check, cpsat
from feasible.solver.compile import compile_scenario
from feasible.solver.objectives import (BREAKPOINTS, LOG_SCALE, geometric_grid, log_curve, nash_scale, nothing_met,
                               objective_stages, reachable_met)
from feasible.solver.search import Outcome, Searcher
from solver_support import GENEROUS
from solver_support.build import bool_issue, enum_issue, int_issue, issues_of, party, scenario
from solver_support.oracle import Oracle


def _large_weight_scenario(weights: list[int]):
    """Four issues, three parties whose demands pull apart; the weights in order of the demands."""
    issues = issues_of(int_issue("x", 0, 5), int_issue("y", 0, 5), bool_issue("b"), enum_issue("e", "lo", "mid", "hi"))
    w = iter(weights)
    return scenario(issues, [
        party("a", ["x + y <= 7"], [("x >= 4", next(w)), ("b", next(w)), ('e == "hi"', next(w))]),
        party("b", ["y >= 1"], [("y >= 4", next(w)), ("not b", next(w)), ("x <= 2", next(w))]),
        party("c", [], [('e != "hi"', next(w)), ("x == y", next(w)), ("b -> x >= 3", next(w))]),
    ])


SCALED = {
    "x1000..x10000": [3 * 1000, 2 * 7919, 4711 * 2, 9973, 2 * 6007, 3 * 1999, 8861, 3 * 2503, 5 * 1597],
    "one weight of 10^6": [10**6, 2, 3, 1, 2, 2, 3, 1, 1],
    "one weight of 10^9": [2, 10**9, 3, 1, 2, 2, 3, 1, 1],
}


def _log_ratio_within_tolerance(scen, deal_values) -> None:
    """The product found is within the documented tolerance of the best product (brute force)."""
    oracle = Oracle(scen)
    got, best = oracle.value(Objective.NASH, deal_values), oracle.best(Objective.NASH)
    parties = sum(1 for p in scen.parties if p.demands)
    assert best > 0 and got > 0
    assert math.log(best / got) <= parties * 1e-6 + 1e-12, (got, best)


@pytest.mark.parametrize("weights", list(SCALED.values()), ids=list(SCALED))
def test_nash_with_large_weights_finds_the_deal(weights):
    scen = _large_weight_scenario(weights)
    result = check(scen, Objective.NASH, time_limit=GENEROUS, room=False)
    assert result.verdict is Verdict.DEAL
    if result.deal.optimal:
        _log_ratio_within_tolerance(scen, result.deal.values)
    else:  # cut short (a very loaded machine): still a deal, with its gap
        assert result.deal.gap is not None


@pytest.mark.parametrize("weights", list(SCALED.values()), ids=list(SCALED))
def test_nash_model_size_does_not_grow_with_the_weights(weights):
    """The Nash objective adds a bounded number of constraints per party, whatever the weights (it used to add
    a table with one entry per unit of total weight)."""
    compiled = compile_scenario(_large_weight_scenario(weights))
    model = compiled.model
    constraints, size = len(model.proto.constraints), len(str(model.proto))
    objective_stages(Objective.NASH, compiled, model)
    parties = 3
    assert len(model.proto.constraints) - constraints <= parties * (BREAKPOINTS + 1)
    # the proto's text form: a few small terms per constraint
    assert len(str(model.proto)) - size <= parties * (BREAKPOINTS + 1) * 200


def test_reachable_met_weights_stop_at_the_limit():
    assert reachable_met([3, 5, 5], 10) == [0, 3, 5, 8, 10, 13]
    assert reachable_met([2**k for k in range(11)], 1024) is None  # 2048 sums: stops as soon as it passes the limit


@pytest.mark.parametrize("total", [BREAKPOINTS + 1, 5000, 10**6, 10**9, 10**15, 2**62])
def test_geometric_grid_is_bounded_and_fine_enough(total):
    count = BREAKPOINTS - 4
    grid = geometric_grid(total, count)
    ratio = math.exp(2 * math.log(total) / count)
    assert len(grid) <= BREAKPOINTS
    assert grid[0] == 0 and grid[1] == 1 and grid[-1] == total
    assert all(b == a + 1 or b <= a * ratio for a, b in zip(grid[1:], grid[2:]))


def test_log_curve_of_many_diverse_weights_is_thinned_to_the_limit():
    weights = [10**9 + 7919 * k for k in range(40)]  # 2^40 subsets, all with different sums
    scale = nash_scale(1, sum(weights))
    curve = log_curve(weights, nothing_met(1, sum(weights), scale), scale)
    assert not curve.exact
    assert len(curve.corners) <= BREAKPOINTS
    assert curve.corners[0][0] == 0 and curve.corners[-1] == (sum(weights), 0)


def test_log_curve_is_exact_at_every_reachable_weight():
    """Small parties: every met weight the party can reach is on the curve, within rounding of the logarithm."""
    weights = [3, 5, 5, 11]
    zero = nothing_met(1, sum(weights), LOG_SCALE)
    curve = log_curve(weights, zero, LOG_SCALE)
    assert curve.exact
    corners = dict(curve.corners)
    assert corners[0] == zero
    for met in reachable_met(weights, BREAKPOINTS)[1:]:
        below = max(x for x in corners if x <= met)
        above = min(x for x in corners if x >= met)
        on_curve = corners[below] if below == above else (
            corners[below] + (corners[above] - corners[below]) * (met - below) / (above - below))
        assert abs(on_curve - LOG_SCALE * math.log(met / sum(weights))) <= 0.5


def test_nash_scale_shrinks_only_for_weights_that_could_overflow():
    assert nash_scale(40, 10**9) == LOG_SCALE
    assert 1 <= nash_scale(40, 10**12) < LOG_SCALE
    with pytest.raises(UserError, match="too large for --objective nash"):
        nash_scale(1000, 10**15)


# ------------------------------------------------------------------------------------------ a deal, whatever the time

def _optimisation_gets_no_time(monkeypatch):
    """Every solve with an objective ends at once without a solution, as when the time limit runs out during the
    optimisation: only solves without an objective (is there any deal?) run."""
    solve = Searcher.solve

    def solve_without_optimising(self, model, **kwargs):
        if len(model.proto.objective.vars):
            return Outcome(cpsat.UNKNOWN, None)
        return solve(self, model, **kwargs)

    monkeypatch.setattr(Searcher, "solve", solve_without_optimising)


@pytest.mark.parametrize("objective", list(Objective))
def test_a_deal_found_is_reported_when_the_optimisation_runs_out_of_time(monkeypatch, objective):
    """A.2: the verdict is `deal` whenever a deal was found, not proved best and with gap 1.0 (nothing known)."""
    _optimisation_gets_no_time(monkeypatch)
    scen = _large_weight_scenario(SCALED["x1000..x10000"])
    result = check(scen, objective, time_limit=GENEROUS, room=False)
    assert result.verdict is Verdict.DEAL
    assert Oracle(scen).value(objective, result.deal.values) is not None
    assert not result.deal.optimal and result.deal.gap == 1.0


def test_cli_exits_0_with_a_deal_not_proved_best(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from feasible.cli.app import app

    _optimisation_gets_no_time(monkeypatch)
    monkeypatch.setenv("FEASIBLE_MAX_WEIGHT", str(10**9))  # above the default limit, as a user may allow
    path = tmp_path / "big.yaml"
    path.write_text(_yaml(SCALED["one weight of 10^9"]))
    run = CliRunner().invoke(app, ["check", str(path), "--objective", "nash", "--format", "json",
                                   "--time-limit", str(GENEROUS)])
    assert run.exit_code == 0, run.output
    assert '"verdict": "deal"' in run.output and '"gap": 1.0' in run.output


def _yaml(weights: list[int]) -> str:
    w = iter(weights)
    demand = "      - {{id: d{i}, says: d{i}, rule: '{rule}', weight: {weight}}}"

    def party_text(pid, red, rules):
        lines = [f"  - party: {pid}", f"    name: {pid.upper()}"]
        lines += ["    red_lines:", f"      - {{id: r, says: r, rule: '{red}'}}"] if red else []
        lines += ["    demands:"] + [demand.format(i=i, rule=r, weight=next(w)) for i, r in enumerate(rules)]
        return "\n".join(lines)

    return "\n".join([
        "title: large weights", "issues:",
        "  x: {type: int, min: 0, max: 5}", "  y: {type: int, min: 0, max: 5}", "  b: {type: bool}",
        "  e: {values: [lo, mid, hi]}", "parties:",
        party_text("a", "x + y <= 7", ["x >= 4", "b", 'e == "hi"']),
        party_text("b", "y >= 1", ["y >= 4", "not b", "x <= 2"]),
        party_text("c", "", ['e != "hi"', "x == y", "b -> x >= 3"]),
    ]) + "\n"
