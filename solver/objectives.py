"""The parties' satisfaction as integer expressions, and the objectives as lexicographic stages.

Satisfaction of a party = weight of its demands met / its total demand weight. Each party's satisfaction is
scaled by the least common multiple L of the parties' total weights, so `met * (L / total)` is an exact
integer and comparisons between parties are exact. When L would be too large, satisfaction is scaled to
SCALE and rounded down (documented in docs/check.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from positions.model import Party

from . import cpsat
from .compile import Compiled
from .result import Objective

EXACT_LIMIT = 1 << 20  # largest L for the exact scaling
SCALE = 1 << 20  # the scale used beyond it
LOG_SCALE = 1_000_000  # resolution of the logarithms in the Nash objective


@dataclass(frozen=True)
class Satisfaction:
    parties: tuple[Party, ...]  # the parties with demands
    scale: int
    exact: bool

    @staticmethod
    def of(compiled: Compiled) -> Satisfaction:
        parties = tuple(p for p in compiled.scenario.parties if p.demand_weight > 0)
        lcm = math.lcm(*(p.demand_weight for p in parties)) if parties else 1
        return Satisfaction(parties, lcm if lcm <= EXACT_LIMIT else SCALE, lcm <= EXACT_LIMIT)

    def met(self, compiled: Compiled, party: Party):
        return sum(d.weight * compiled.holds[d.name] for d in party.demands)

    def scaled(self, compiled: Compiled, model: cpsat.Model) -> list:
        """One integer expression per party: its satisfaction times the scale."""
        result = []
        for party in self.parties:
            met = self.met(compiled, party)
            if self.exact:
                result.append(met * (self.scale // party.demand_weight))
            else:
                var = model.new_int_var(0, self.scale, f"sat[{party.id}]")
                model.add_division_equality(var, met * self.scale, party.demand_weight)
                result.append(var)
        return result


def objective_stages(objective: Objective, compiled: Compiled, model: cpsat.Model) -> list:
    """Expressions to maximise one after another (adds helper variables to `model`)."""
    satisfaction = Satisfaction.of(compiled)
    if not satisfaction.parties:
        return []
    scaled = satisfaction.scaled(compiled, model)
    if objective is Objective.FAIR:
        lowest = model.new_int_var(0, satisfaction.scale, "lowest")
        for expr in scaled:
            model.add(lowest <= expr)
        return [lowest, sum(scaled)]
    if objective is Objective.WELFARE:
        return [sum(scaled)]
    return [_log_sum(compiled, model, satisfaction)]


def _log_sum(compiled: Compiled, model: cpsat.Model, satisfaction: Satisfaction):
    """Σ log(satisfaction), each log read from a table over the party's possible met weight.

    A party with nothing met makes the product zero; its table entry is below every sum of real logarithms,
    so deals where every party gets something always rank first.
    """
    count = len(satisfaction.parties)
    biggest = max(p.demand_weight for p in satisfaction.parties)
    zero = -LOG_SCALE * (count * math.ceil(math.log(biggest + 1)) + 1)
    logs = []
    for party in satisfaction.parties:
        total = party.demand_weight
        table = [zero] + [round(LOG_SCALE * math.log(m / total)) for m in range(1, total + 1)]
        met = model.new_int_var(0, total, f"met[{party.id}]")
        model.add(met == satisfaction.met(compiled, party))
        log = model.new_int_var(min(table), 0, f"log[{party.id}]")
        model.add_element(met, table, log)
        logs.append(log)
    return sum(logs)
