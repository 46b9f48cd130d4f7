"""The most robust deal after an adversarial review (issue 18): a deal found in a combination where a red line became
a demand is shown against that combination's scenario; a conditioned deal's open values keep its probability in
every combination, and the combinations in which it fails are named in every format; combinations of probability
0 make no candidate; equally probable deals are ranked by the objective. Scenarios in tests/data/robust/."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import invoke, strip_ansi
from feasible.cli.sweep_view import sweep_view
from feasible.positions.loader import load_scenario
from feasible.positions.uncertainty import uncertain
from feasible.solver.robust import Combination, RobustStatus, robust_deal
from feasible.solver.sweep import sweep
from solver_support import GENEROUS
from test_sweep_view import RENDERERS

DATA = Path(__file__).parent / "data" / "robust"
READING_DEMOTES = DATA / "reading-demotes.yaml"  # reading q1 demotes y/r0: the deal is found there
LEVEL_GIVES_WAY = DATA / "level-gives-way.yaml"  # x has a level and an uncertain red line that gives way
OPEN_ACROSS_READINGS = DATA / "open-across-readings.yaml"  # y/r0 (n <= 1) binds under q0 only
TIE = DATA / "tie.yaml"  # a = yes and a = no equally probable; only a = yes satisfies z
ZERO_READING = DATA / "zero-reading.yaml"  # only the reading of p: 0 has a deal


def robust_of(path: Path):
    return robust_deal(uncertain(load_scenario(str(path))), time_limit=GENEROUS)


def sweep_json(path: Path) -> dict:
    result = invoke("sweep", str(path), "--samples", "40", "--workers", "1", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["robust"]


@pytest.mark.parametrize("path", [READING_DEMOTES, LEVEL_GIVES_WAY])
@pytest.mark.parametrize("output", ["text", "json", "markdown", "html"])
def test_a_deal_found_where_a_red_line_became_a_demand_is_shown_in_every_format(path, output):
    result = invoke("sweep", str(path), "--samples", "40", "--workers", "1", "--format", output)
    assert result.exit_code == 0, result.stderr + result.stdout


def test_the_deal_carries_the_scenario_its_outcomes_refer_to():
    found = robust_of(LEVEL_GIVES_WAY)
    assert found.status is RobustStatus.FOUND and found.probability == Fraction(4, 5)
    assert found.scenario is not None and found.under == Combination((("x/r0", "gives way"),), Fraction(4, 5))
    assert "x/r0" in {d.name for d in found.scenario.party("x").demands}  # given way: a demand there
    assert any("x/r0" in o.unmet for o in found.deal.outcomes)
    shown = sweep_json(LEVEL_GIVES_WAY)
    assert shown["deal"]["parties"]["x"]["unmet"] == ["x/r0"]
    assert shown["under"]["values"] == [{"item": "x/r0", "value": "gives way"}]
    assert shown["fails_under"] == [{"values": [{"item": "x/r0", "value": "holds"}], "probability": 0.2,
                                     "exact": "1/5"}]


def test_open_values_of_a_conditioned_deal_keep_its_probability_under_every_reading():
    found = robust_of(OPEN_ACROSS_READINGS)
    assert found.probability == 1
    assert found.deal.open["n"].intervals == ((0, 1),)  # n = 2, 3 break y/r0 under reading q0


def test_the_combinations_a_deal_fails_under_are_named_in_every_format():
    found = robust_of(READING_DEMOTES)
    assert found.probability == Fraction(3, 5) and found.gambles == ()
    assert found.fails_under == (Combination((("qq", "q0"),), Fraction(2, 5)),)
    made = uncertain(load_scenario(str(READING_DEMOTES)))
    view = sweep_view(made, sweep(made, samples=40, workers=1))
    said = "\n".join(view.statements)
    assert "it is not accepted under reading q0 of qq (probability 40.0 %, 2/5)" in said
    assert "shown as under reading q1 of qq (probability 60.0 %, 3/5)" in said
    for format_name, words in RENDERERS.items():
        shown = words(view).lower()
        missing = [s for s in view.statements if " ".join(s.split()).lower() not in shown]
        assert not missing, f"{format_name} leaves out: {missing}"
    assert sweep_json(READING_DEMOTES)["fails_under"] == [
        {"values": [{"item": "qq", "value": "q0"}], "probability": 0.4, "exact": "2/5"}]


def test_a_reading_of_probability_zero_makes_no_candidate():
    found = robust_of(ZERO_READING)
    assert found.status is RobustStatus.NO_DEAL and found.deal is None and found.probability == 0
    assert found.conflict is not None and set(found.conflict.red_lines) == {"p0/r1", "p1/r0"}


def test_equally_probable_deals_are_ranked_by_the_objective():
    found = robust_of(TIE)
    assert found.probability == Fraction(1, 2) and found.status is RobustStatus.FOUND
    assert found.deal.values["a"] is True and found.gambles == ("y/r0",)  # z's demand `a` met: fairer
    text = strip_ansi(invoke("sweep", str(TIE), "--samples", "40", "--workers", "1").stdout)
    assert "Y's red line y/r0 gives way" in text


def test_equally_probable_deals_of_different_readings_are_ranked_by_the_objective():
    """a = no is the best deal where X's red line gives way (listed first), a = yes where Y's does: each is
    accepted with probability 1/2; only a = yes meets Z's demand, so the objective (in the likeliest combination,
    the first of the two) chooses it, not the order of the combinations."""
    found = robust_of(DATA / "tie-across-readings.yaml")
    assert found.probability == Fraction(1, 2) and found.deal.values == {"a": True}
    assert found.fails_under == (Combination((("qq", "x-gives-way"),), Fraction(1, 2)),)  # (as-written: p 0)
