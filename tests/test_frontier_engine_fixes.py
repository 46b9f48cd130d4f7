"""Review fixes of the frontier's engine: the dynamic programme watches the clock and Ctrl-C and bounds its
memory (falling back to the CP-SAT methods), parties whose scales have a huge lcm and two parties whose Nash
product passes 64 bits are answered (exactly, checked against the brute force), tie counts on a cut frontier
are marked lower bounds, and the reservation's documented boundary case."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from feasible.positions import load_scenario
from feasible.solver import frontier as frontier_module
from feasible.solver.bargaining import NO_COMMON_SCALE, PRODUCT_TOO_LARGE, Solution
from feasible.solver.frontier import FrontierStatus, frontier
from feasible.solver.search import Control
from solver_support import GENEROUS
from solver_support.frontier import acceptable_vectors, naive_frontier, with_utility


def load(tmp_path: Path, text: str):
    (tmp_path / "scenario.yaml").write_text(text)
    return load_scenario(tmp_path)


def opposed(top: int) -> str:
    """Two int issues 0..top that two parties value in opposite directions: (2·top + 1) frontier points out of
    (top + 1)² deals, every one a candidate partial sum of the dynamic programme."""
    return f"""title: opposed
issues:
  x: {{type: int, min: 0, max: {top}}}
  y: {{type: int, min: 0, max: {top}}}
parties:
  - party: a
    utility:
      issues:
        x: {{weight: 0.5, points: [[0, 0], [{top}, 1]]}}
        y: {{weight: 0.5, points: [[0, 0], [{top}, 1]]}}
  - party: b
    utility:
      issues:
        x: {{weight: 0.5, points: [[0, 1], [{top}, 0]]}}
        y: {{weight: 0.5, points: [[0, 1], [{top}, 0]]}}
"""


class InterruptedLater(Control):
    """A Control that reports Ctrl-C from its `after`-th look on: a deterministic interruption in the middle of
    the work, whatever the machine's speed."""

    def __init__(self, after: int):
        super().__init__()
        self.after = after
        self.looks = 0

    @property  # type: ignore[override]
    def interrupted(self) -> bool:
        self.looks += 1
        return self.looks >= self.after

    @interrupted.setter
    def interrupted(self, value: bool) -> None:
        pass


def test_the_programme_stops_on_interruption_inside_a_layer(tmp_path):
    # the programme used to look at the clock only between layers, then ran to the end
    scen = load(tmp_path, opposed(199))
    result = frontier(scen, time_limit=GENEROUS, control=InterruptedLater(after=6))
    assert result.status is FrontierStatus.INTERRUPTED
    assert not result.points and not any(b.exact for b in result.bargaining)


def test_a_large_programme_answers_with_a_small_time_limit(tmp_path):
    scen = load(tmp_path, opposed(999))  # the reviewer's case: the programme ignored the time limit
    result = frontier(scen, time_limit=0.5)
    assert result.status in (FrontierStatus.TIME, FrontierStatus.COMPLETE)
    if result.status is FrontierStatus.TIME:
        assert not any(b.exact for b in result.bargaining)
    else:
        assert len(result.points) == 2 * 999 + 1


def test_beyond_the_candidate_bound_the_cp_sat_methods_take_it(tmp_path, monkeypatch):
    scen = load(tmp_path, opposed(4))
    monkeypatch.setattr(frontier_module, "MERGED_ROWS", 10)  # fewer than the second layer makes
    calls = []
    original = frontier_module._Engine.run

    def run(self, limit):
        calls.append(limit)
        return original(self, limit)
    monkeypatch.setattr(frontier_module._Engine, "run", run)
    result = frontier(scen, limit=3, time_limit=GENEROUS)
    assert calls == [3]  # the CP-SAT methods ran, with the limit
    assert result.status is FrontierStatus.LIMIT and len(result.points) == 3
    whole = frontier(scen, time_limit=GENEROUS)
    assert calls == [3, None]
    expected = naive_frontier(acceptable_vectors(scen, with_utility(scen)))
    assert {tuple(p.utilities) for p in whole.points} == expected


THREE_COPRIME = """title: coprime scales
issues:
  a: {type: bool}
  b: {type: bool}
  c: {type: enum, values: [x, y, z]}
parties:
  - party: p
    demands:
      - {id: d1, says: x, rule: a, weight: 999983}
      - {id: d2, says: x, rule: c == "x", weight: 1}
  - party: q
    demands:
      - {id: d1, says: x, rule: not a, weight: 999979}
      - {id: d2, says: x, rule: c != "x", weight: 2}
  - party: r
    utility:
      issues:
        b: {weight: 1000, scores: {true: 1}}
        c: {weight: 1, scores: {y: 1, z: 2}}
"""


@pytest.mark.parametrize("limit", [None, 1, 2])
def test_scales_with_a_huge_lcm_need_no_common_scale(tmp_path, limit):
    # the lcm of the three scales times the utilities passed the solver's integers: "possible integer overflow"
    scen = load(tmp_path, THREE_COPRIME)
    result = frontier(scen, limit=limit, time_limit=GENEROUS)
    expected = naive_frontier(acceptable_vectors(scen, with_utility(scen)))
    found = [tuple(p.utilities) for p in result.points]
    # without a common scale the points come lexicographically descending: the first `limit` of the canonical order
    assert found == sorted(expected, reverse=True)[:limit]
    if limit is None or limit >= len(expected):
        assert result.status is FrontierStatus.COMPLETE and all(b.exact for b in result.bargaining)
    else:
        assert result.status is FrontierStatus.LIMIT
        cut = {b.solution: b for b in result.bargaining}
        for solution in (Solution.UTILITARIAN, Solution.EGALITARIAN):
            assert not cut[solution].exact and not cut[solution].ties_exact
            assert cut[solution].reason == NO_COMMON_SCALE


def huge_nash(copies: int) -> str:
    demands_a = "".join(f"      - {{id: a{k}_{c}, says: x, rule: x >= {k}, weight: 1000000}}\n"
                        for c in range(copies) for k in range(11))
    demands_b = "".join(f"      - {{id: b{k}_{c}, says: x, rule: x <= {k}, weight: 1000000}}\n"
                        for c in range(copies) for k in range(11))
    return f"""title: huge nash
issues:
  x: {{type: int, min: 0, max: 10}}
parties:
  - party: a
    demands:
{demands_a}  - party: b
    demands:
{demands_b}"""


@pytest.mark.parametrize("limit", [None, 2])
def test_a_nash_product_beyond_64_bits(tmp_path, limit):
    # each party's total demand weight is so large that the product of the gains passes the solver's integers
    # (it crashed building the product's domain)
    scen = load(tmp_path, huge_nash(200))
    result = frontier(scen, limit=limit, time_limit=GENEROUS)
    expected = sorted(naive_frontier(acceptable_vectors(scen, with_utility(scen))), reverse=True)
    assert [tuple(p.utilities) for p in result.points] == expected[:limit]
    nash = next(b for b in result.bargaining if b.solution is Solution.NASH)
    if limit is None:
        assert result.status is FrontierStatus.COMPLETE and nash.exact and nash.ties_exact
    else:
        assert result.status is FrontierStatus.LIMIT
        assert not nash.exact and nash.reason == PRODUCT_TOO_LARGE and nash.point is not None


TIED = """title: tied
issues:
  x: {type: int, min: 0, max: 4}
parties:
  - party: a
    utility:
      issues:
        x: {weight: 1, points: [[0, 0], [4, 1]]}
  - party: b
    utility:
      issues:
        x: {weight: 1, points: [[0, 1], [4, 0]]}
"""


def test_tie_counts_on_a_cut_frontier_are_marked(tmp_path):
    scen = load(tmp_path, TIED)  # five points, all of total 1: the utilitarian optimum ties five ways
    programme = frontier(scen, limit=2, time_limit=GENEROUS, fast=True)
    engine = frontier(scen, limit=2, time_limit=GENEROUS, fast=False)
    assert programme.status is engine.status is FrontierStatus.LIMIT
    by_programme = {b.solution: b for b in programme.bargaining}
    by_engine = {b.solution: b for b in engine.bargaining}
    # the programme knows the whole frontier: its count is exact
    assert by_programme[Solution.UTILITARIAN].ties == 5 and by_programme[Solution.UTILITARIAN].ties_exact
    # the CP-SAT methods count among the points found: a lower bound, and said so
    utilitarian = by_engine[Solution.UTILITARIAN]
    assert utilitarian.exact and not utilitarian.ties_exact and 1 <= utilitarian.ties <= 5
    assert by_programme[Solution.UTILITARIAN].point.utilities == utilitarian.point.utilities
    complete = frontier(scen, time_limit=GENEROUS, fast=False)
    assert all(b.ties_exact for b in complete.bargaining)
    assert {b.solution: b.ties for b in complete.bargaining}[Solution.UTILITARIAN] == 5


THIRDS = """title: thirds
issues:
  a: {type: bool}
  b: {type: bool}
  c: {type: bool}
parties:
  - party: p
    utility:
      issues:
        a: {weight: "1/3", scores: {true: 1}}
        b: {weight: "1/3", scores: {true: 1}}
        c: {weight: "1/3", scores: {true: 1}}
      reservation: RESERVATION
  - party: q
    utility:
      issues:
        a: {weight: 1, scores: {true: 1}}
"""


@pytest.mark.parametrize("fast", [True, False])
def test_the_reservation_boundary_case_of_the_format_documentation(tmp_path, fast):
    # docs/format.md "Utilities": three terms of weight 1/3 round down, below the reservation 1
    refused = frontier(load(tmp_path, THIRDS.replace("RESERVATION", "1")), time_limit=GENEROUS, fast=fast)
    assert refused.status is FrontierStatus.NO_DEAL
    kept = frontier(load(tmp_path, THIRDS.replace("RESERVATION", "0.999999")), time_limit=GENEROUS, fast=fast)
    assert [tuple(p.utilities) for p in kept.points] == [(Fraction(999_999, 10**6), Fraction(1))]
