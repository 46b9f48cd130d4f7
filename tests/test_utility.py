"""Utility blocks (docs/format.md#utilities): loading, the exact utility in millionths, the reservation red line, and
the solver's utility variable, each against a direct computation."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import invoke

from feasible.positions import InvalidScenario
from feasible.positions.loader import load_scenario
from feasible.positions.utility import PRECISION, RESERVATION_ID, utility_of
from feasible.solver.compile import compile_scenario
from feasible.solver.evaluate import holds
from feasible.solver.search import new_solver
from feasible.solver.utility import UtilitySource, as_fraction, party_utilities, utility_value, utility_var

from solver_support.oracle import assignments
from solver_support.utilities import pinned

SALE = Path(__file__).parent / "data" / "utility"


def test_the_sale_loads_exactly_and_the_utility_is_the_sum_of_rounded_terms():
    scen = load_scenario(SALE)
    buyer = scen.party("buyer")
    assert buyer.utility is not None and buyer.utility.reservation == Fraction(2, 5)
    deal = {"price": 12, "delivery": "normal", "warranty": True, "extras": frozenset({"case", "cable"})}
    # price: 1/2 · (1 − 2/10); delivery: 1/4 · 2/4; warranty: 15/100 · 1; extras: 1/10 · (2 + 1)/4
    exact = Fraction(1, 2) * Fraction(8, 10) + Fraction(1, 4) * Fraction(2, 4) + Fraction(15, 100) \
        + Fraction(1, 10) * Fraction(3, 4)
    assert utility_of(buyer.utility, scen.issues, deal) == exact * PRECISION
    seller = scen.party("seller")
    assert seller.reservation is not None and seller.reservation.id == RESERVATION_ID
    assert seller.reservation in seller.binding
    # delivery "fast" scores 1/3 of slow's 3 (1/9): 0.2 / 9 = 0.0222…, rounded half up per term
    assert utility_of(seller.utility, scen.issues, {**deal, "delivery": "fast", "price": 10}) == 22222 + 50000


def test_the_solver_utility_equals_the_plain_one_and_the_reservation_holds_exactly_at_the_threshold():
    scen = load_scenario(SALE)
    compiled = compile_scenario(scen, enforce_red_lines=False)
    units = party_utilities(scen)
    assert [u.source for u in units] == [UtilitySource.BLOCK, UtilitySource.BLOCK]
    variables = [utility_var(compiled, u) for u in units]
    deals = list(assignments(scen.issues))[::37]  # a spread of the 528 deals keeps the test fast
    for deal in deals:
        solver = new_solver(10)
        solver.solve(pinned(compiled, deal))
        for unit, var in zip(units, variables):
            plain = utility_value(scen, unit, deal)
            assert solver.value(var) == plain
            party = scen.party(unit.party)
            accepts = as_fraction(unit, plain) >= party.utility.reservation
            assert holds(party.reservation, scen.issues, deal) == accepts


def test_an_int_issue_wider_than_the_limit_is_refused_before_its_terms_are_listed(monkeypatch):
    monkeypatch.setenv("FEASIBLE_MAX_UTILITY_VALUES", "10")
    with pytest.raises(InvalidScenario) as raised:
        load_scenario(SALE)
    buyer, seller = raised.value.diagnostics  # (each party's block scores the price)
    for problem, line in ((buyer, 5), (seller, 9)):
        assert problem.location.line == line
    problem = buyer
    assert problem.message == "issue 'price' spans 11 values, more than the limit of 10 for an issue a utility " \
                              "block scores"
    assert problem.location.file.endswith("buyer.yaml")


def test_check_shows_a_block_partys_utility_in_every_format():
    for form, shown in (("text", "utility 0.625000"), ("markdown", "| The buyer | utility 0.625000 |"),
                        ("html", "utility 0.625000")):
        result = invoke("check", str(SALE), "--format", form)
        assert result.exit_code == 0 and shown in result.stdout, form
    document = json.loads(invoke("check", str(SALE), "--format", "json").stdout)
    parties = document["deal"]["parties"]
    assert parties["buyer"]["utility"] == "0.625000" and parties["seller"]["utility"] == "0.663333"
    assert parties["buyer"]["satisfaction"] is None and document["deal"]["satisfaction"] == {}


def test_a_party_without_a_block_has_no_utility_key_in_json(tmp_path):
    scen = tmp_path / "sale"
    shutil.copytree(SALE, scen)
    (scen / "third.yaml").write_text("party: third\ndemands:\n  - {id: cheap, says: Cheap., rule: price <= 15}\n")
    parties = json.loads(invoke("check", str(scen), "--format", "json").stdout)["deal"]["parties"]
    assert "utility" not in parties["third"] and parties["third"]["satisfaction"] == 1.0


def test_a_reservation_of_zero_is_a_red_line_lint_does_not_call_a_comparison_always_true(tmp_path):
    scen = tmp_path / "sale"
    shutil.copytree(SALE, scen)
    (scen / "buyer.yaml").write_text((SALE / "buyer.yaml").read_text().replace("reservation: 0.4", "reservation: 0"))
    assert load_scenario(scen).has_rule("buyer/reservation")
    result = invoke("lint", str(scen))
    assert "FL201" not in result.stdout + result.stderr
