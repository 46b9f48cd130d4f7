"""`fair` when a party can get nothing in any deal (issue 12, B): its satisfaction is 0 in every deal, so the lowest
satisfaction over every party is 0 whatever the deal and `fair` used to become `welfare` without a word. Such
parties are now left out of the lowest satisfaction, and every output format says so in one sentence."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.positions import load_scenario
from feasible.solver import Objective, Verdict, check
from solver_support import GENEROUS

SCENARIO = """\
title: A stall, two traders and a latecomer
issues:
  stall: {values: [corner, middle, shared], description: Who gets the stall.}
  rent: {type: int, min: 0, max: 3, description: The rent.}
parties:
  - party: anna
    name: Anna
    demands:
      - {id: corner, says: Anna trades from the corner., rule: 'stall == "corner"', weight: 5}
      - {id: shared, says: The stall is shared., rule: 'stall == "shared"', weight: 2}
  - party: ben
    name: Ben
    demands:
      - {id: middle, says: Ben trades from the middle., rule: 'stall == "middle"', weight: 5}
      - {id: shared, says: The stall is shared., rule: 'stall == "shared"', weight: 2}
  - party: carl
    name: Carl
    red_lines:
      - {id: cheap, says: The rent is at most 1., rule: rent <= 1}
    demands:
      - {id: high-rent, says: The rent is at least 2., rule: rent >= 2, weight: 1}
"""

LINE = "Fair deal: Carl cannot be satisfied by any deal, so fairness is measured over the other parties."


@pytest.fixture
def stall(tmp_path):
    path = tmp_path / "stall.yaml"
    path.write_text(SCENARIO)
    return path


def test_fair_leaves_out_a_party_no_deal_can_satisfy(stall):
    """Anna and Ben get 2/7 each from sharing; welfare (and fair measured over Carl too) gives one of them 5/7."""
    result = check(load_scenario(stall), Objective.FAIR, time_limit=GENEROUS)
    assert result.verdict is Verdict.DEAL
    assert result.deal.values["stall"] == "shared"
    assert result.deal.left_out == ("carl",)
    assert result.deal.optimal


@pytest.mark.parametrize("objective", [Objective.WELFARE, Objective.NASH])
def test_other_objectives_leave_no_one_out(stall, objective):
    result = check(load_scenario(stall), objective, time_limit=GENEROUS)
    assert result.verdict is Verdict.DEAL and result.deal.left_out == ()


def _run(stall, output_format: str) -> str:
    run = CliRunner().invoke(app, ["check", str(stall), "--format", output_format, "--time-limit", str(GENEROUS)])
    assert run.exit_code == 0, run.output
    return run.output


def test_text_says_who_is_left_out(stall):
    assert LINE in _run(stall, "text").splitlines()


def test_markdown_says_who_is_left_out(stall):
    assert LINE in _run(stall, "markdown").splitlines()


def test_html_says_who_is_left_out(stall):
    assert f"<p id='left-out'>{LINE}</p>" in _run(stall, "html")


def test_json_names_the_parties_left_out(stall):
    doc = json.loads(_run(stall, "json"))
    assert doc["deal"]["left_out"] == ["carl"]
    assert doc["deal"]["issues"]["stall"] == "shared"


def test_a_party_the_time_limit_keeps_in_makes_the_fair_deal_unproved(stall, monkeypatch):
    """When the proof that a party cannot be satisfied is cut short, the party is kept in the lowest satisfaction,
    and the deal measured that way may not be the fair one: it is not called proved best."""
    from feasible.solver import cpsat, deals
    from feasible.solver.search import Outcome, Searcher

    real = Searcher.solve
    probing = {"on": False}

    def unsatisfiable_parties_cut(*args):
        probing["on"] = True
        try:
            return real_probe(*args)
        finally:
            probing["on"] = False

    def solve(self, model, **kwargs):
        return Outcome(cpsat.UNKNOWN, None) if probing["on"] else real(self, model, **kwargs)

    real_probe = deals.unsatisfiable_parties
    monkeypatch.setattr(deals, "unsatisfiable_parties", unsatisfiable_parties_cut)
    monkeypatch.setattr(Searcher, "solve", solve)
    result = check(load_scenario(stall), Objective.FAIR, time_limit=GENEROUS)
    assert result.verdict is Verdict.DEAL
    assert result.deal.left_out == ()
    assert not result.deal.optimal
