"""Each party's utility as an exact integer: its utility block's millionths (positions/utility.py), else its demand
satisfaction's met weight; as a CP-SAT variable for the solver and as a plain computation for the verifier.

A party's utility is `integer / scale`: PRECISION for a block, its total demand weight for demand satisfaction. A
party with neither has no utility and is left out (docs/format.md#utilities).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Any

from feasible.positions import UserError
from feasible.positions.model import Party, Scenario
from feasible.positions.suggest import did_you_mean
from feasible.positions.utility import (PRECISION, Utility, best_possible, lowest_possible, rectangle_condition,
                                        rectangle_integers, reservation_threshold, utility_of, value_terms)

from .compile import Compiled
from .evaluate import holds

__all__ = ["PartyUtility", "UtilitySource", "as_fraction", "block_expr", "block_utilities", "party_utilities",
           "utility_value", "utility_var"]


class UtilitySource(str, Enum):
    """Where a party's utility comes from."""

    BLOCK = "utility block"  #: its `utility:` block
    DEMANDS = "demand satisfaction"  #: the weight of its demands met over their total weight


@dataclass(frozen=True)
class PartyUtility:
    """One party's utility, as integers: utility = integer / scale."""

    party: str
    source: UtilitySource
    scale: int  # PRECISION for a block, the total demand weight for demand satisfaction
    low: int  # bounds of the integer over all deals (a block's are tight when it is additive)
    high: int
    disagreement: int  # d_p in the same integers: the reservation value's threshold, else 0


def party_utilities(scenario: Scenario, parties: Sequence[str] | None = None) -> tuple[PartyUtility, ...]:
    """The parties with a utility, in scenario order, or those named, in the order named (a UserError for an
    unknown id, with did-you-mean, and for a party named that has no utility)."""
    if parties is None:
        return tuple(_utility(scenario, p) for p in scenario.parties if p.utility is not None or p.demands)
    known = [p.id for p in scenario.parties]
    result = []
    for party_id in parties:
        if party_id not in known:
            raise UserError(f"'{party_id}' is not a party of the scenario",
                            hint=did_you_mean(party_id, known) or "the parties are " + ", ".join(known))
        party = scenario.party(party_id)
        if party.utility is None and not party.demands:
            raise UserError(f"party '{party_id}' has no utility: no utility block and no demands",
                            hint="give it a `utility:` block or demands (docs/format.md#utilities), or leave it out")
        result.append(_utility(scenario, party))
    return tuple(result)


def _utility(scenario: Scenario, party: Party) -> PartyUtility:
    block = party.utility
    if block is None:
        total = party.demand_weight
        return PartyUtility(party.id, UtilitySource.DEMANDS, total, 0, total, 0)
    disagreement = reservation_threshold(block.reservation) if block.reservation is not None else 0
    return PartyUtility(party.id, UtilitySource.BLOCK, PRECISION, lowest_possible(block, scenario.issues),
                        best_possible(block, scenario.issues), disagreement)


def utility_value(scenario: Scenario, pu: PartyUtility, deal: Mapping[str, Any]) -> int:
    """The party's utility in a deal as an integer (over pu.scale), computed plainly: the verifier's side."""
    party = scenario.party(pu.party)
    if pu.source is UtilitySource.BLOCK:
        assert party.utility is not None
        return utility_of(party.utility, scenario.issues, deal)
    return sum(d.weight for d in party.demands if holds(d, scenario.issues, deal))


def as_fraction(pu: PartyUtility, value: int) -> Fraction:
    return Fraction(value, pu.scale)


def block_utilities(scenario: Scenario, deal: Mapping[str, Any]) -> dict[str, Fraction]:
    """Party → its utility block's exact value in the deal, for the parties with a block."""
    return {p.id: Fraction(utility_of(p.utility, scenario.issues, deal), PRECISION) for p in scenario.parties
            if p.utility is not None}


def utility_var(compiled: Compiled, pu: PartyUtility):
    """An integer variable of compiled.model equal to the party's utility (made once per party and model; made
    before the model is cloned, it is in the clones too)."""
    if pu.party not in compiled.utilities:
        model = compiled.model
        var = model.new_int_var(pu.low, pu.high, f"utility[{pu.party}]")
        model.add(var == _utility_expr(compiled, pu))
        compiled.utilities[pu.party] = var
    return compiled.utilities[pu.party]


def block_expr(compiled: Compiled, party_id: str):
    """A party's utility block as an integer expression of compiled.model (not kept: each call adds its helper
    variables again), for a model of its own such as a focused one (Compiled.focus, declaring the block's issues)."""
    party = compiled.scenario.party(party_id)
    return _utility_expr(compiled, _utility(compiled.scenario, party))


def _utility_expr(compiled: Compiled, pu: PartyUtility):
    party = compiled.scenario.party(pu.party)
    if pu.source is UtilitySource.DEMANDS:
        return sum(d.weight * compiled.holds[d.name] for d in party.demands)
    block = party.utility
    assert block is not None
    if not block.additive:
        return _rectangles_expr(compiled, block)
    return sum(compiled.issues[name].encoder.utility_expr(compiled.model, compiled.issues[name], terms)
               for name, terms in value_terms(block, compiled.scenario.issues).items())


def _rectangles_expr(compiled: Compiled, block: Utility):
    """min(P, floor(P·S/M)) = floor(P·min(S, M)/M), with every Fraction brought to whole numbers."""
    model, compiler = compiled.model, compiled.compiler
    weights, whole = rectangle_integers(block)
    inside = [compiler.rule(rectangle_condition(r)) for r in block.rectangles]
    total = sum(w * lit for w, lit in zip(weights, inside) if w)
    capped = model.new_int_var(0, whole, "utility_capped")
    full = model.new_bool_var("utility_full")
    model.add(total >= whole).only_enforce_if(full)
    model.add(total <= whole - 1).only_enforce_if(full.Not())
    model.add(capped == whole).only_enforce_if(full)
    model.add(capped == total).only_enforce_if(full.Not())
    result = model.new_int_var(0, PRECISION, "utility_rectangles")
    model.add_division_equality(result, capped * PRECISION, whole)
    return result
