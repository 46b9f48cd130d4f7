"""The parties' satisfaction as integer expressions, and the objectives as lexicographic stages.

Satisfaction of a party = weight of its demands met / its total demand weight; a party with a utility block is
measured by its utility instead (solver/utility.py, docs/format.md#utilities). Each party's value is scaled by the
least common multiple L of the parties' scales (total weights; PRECISION for a block), so `met * (L / total)` is an
exact integer and comparisons between parties are exact. When L would be too large, satisfaction is scaled to
SCALE (PRECISION when some party has a block) and rounded down (documented in docs/check.md).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from feasible.positions import UserError
from feasible.positions.model import Party
from feasible.positions.utility import PRECISION, best_possible

from . import cpsat
from .compile import Compiled
from .result import Objective
from .utility import UtilitySource, party_utilities, utility_var

EXACT_LIMIT = 1 << 20  # largest L for the exact scaling
BLOCK_EXACT_LIMIT = 1 << 40  # largest L for the exact scaling when some party has a utility block
SCALE = 1 << 20  # the scale used beyond it
LOG_SCALE = 1_000_000  # resolution of the logarithms in the Nash objective, when the weights allow it
BREAKPOINTS = 1024  # most points on one party's log curve in the Nash objective (docs/check.md)
SAFE = 1 << 62  # every term of a Nash constraint stays below this: CP-SAT's integers are 64-bit


@dataclass(frozen=True)
class Satisfaction:
    parties: tuple[Party, ...]  # the parties with demands or a utility block
    scale: int
    exact: bool

    @staticmethod
    def of(compiled: Compiled) -> Satisfaction:
        parties = tuple(p for p in compiled.scenario.parties if p.demand_weight > 0 or p.utility is not None)
        lcm = math.lcm(*(_scale_of(p) for p in parties)) if parties else 1
        if any(p.utility is not None for p in parties):  # blocks are exact in millionths: never rounded coarser
            return Satisfaction(parties, lcm if lcm <= BLOCK_EXACT_LIMIT else PRECISION, lcm <= BLOCK_EXACT_LIMIT)
        return Satisfaction(parties, lcm if lcm <= EXACT_LIMIT else SCALE, lcm <= EXACT_LIMIT)

    def met(self, compiled: Compiled, party: Party):
        """The party's integer utility over _scale_of(party): its block's (a variable made by prepare_utilities),
        else its weight of demands met."""
        if party.utility is not None:
            return compiled.utilities[party.id]
        return sum(d.weight * compiled.holds[d.name] for d in party.demands)

    def ceiling(self, compiled: Compiled) -> int:
        """The most a party's scaled value can be: the scale, unless a block's weights add up to more than 1."""
        blocks = [_top(compiled, p) * (self.scale // PRECISION) for p in self.parties if p.utility is not None]
        return max([self.scale, *blocks])

    def scaled(self, compiled: Compiled, model: cpsat.Model) -> list:
        """One integer expression per party: its satisfaction times the scale."""
        result = []
        for party in self.parties:
            met = self.met(compiled, party)
            if party.utility is not None:  # (the scale is a multiple of PRECISION)
                result.append(met * (self.scale // PRECISION))
            elif self.exact:
                result.append(met * (self.scale // party.demand_weight))
            else:
                # OR-Tools before 9.15 divides only an affine expression (one variable): the met weight becomes one.
                met_var = model.new_int_var(0, party.demand_weight, f"met_weight[{party.id}]")
                model.add(met_var == met)
                var = model.new_int_var(0, self.scale, f"sat[{party.id}]")
                model.add_division_equality(var, met_var * self.scale, party.demand_weight)
                result.append(var)
        return result


def _scale_of(party: Party) -> int:
    return PRECISION if party.utility is not None else party.demand_weight


def prepare_utilities(compiled: Compiled) -> None:
    """Make each utility block's variable in the compiled model (solver/utility.py), before the model is copied
    for a search, so that the objectives can use it in every copy (nothing to make without blocks)."""
    for unit in party_utilities(compiled.scenario):
        if unit.source is UtilitySource.BLOCK:
            utility_var(compiled, unit)


def objective_stages(objective: Objective, compiled: Compiled, model: cpsat.Model,
                     left_out: Collection[str] = ()) -> list:
    """Expressions to maximise one after another (adds helper variables to `model`, a copy of the compiled model
    made after prepare_utilities). `left_out`: parties (ids) that no deal can satisfy, whom `fair` leaves out of
    the lowest satisfaction (it would be 0 in every deal)."""
    satisfaction = Satisfaction.of(compiled)
    if not satisfaction.parties:
        return []
    scaled = satisfaction.scaled(compiled, model)
    if objective is Objective.FAIR:
        lowest = model.new_int_var(0, satisfaction.ceiling(compiled), "lowest")
        for party, expr in zip(satisfaction.parties, scaled):
            if party.id not in left_out:
                model.add(lowest <= expr)
        return [lowest, sum(scaled)]
    if objective is Objective.WELFARE:
        return [sum(scaled)]
    return [_log_sum(compiled, model, satisfaction)]


@dataclass(frozen=True)
class LogCurve:
    """One party's scaled logarithm of satisfaction, as the corners of a concave curve over its met weight.

    Between corners the curve is a straight line (a chord of the logarithm). `exact`: the corners are taken from
    every weight the party can have met, so the curve is the logarithm there up to rounding; otherwise they
    are a grid, and the chords add a documented tolerance (docs/check.md).
    """

    total: int
    corners: tuple[tuple[int, int], ...]  # (met weight, scaled log), from (0, the value for nothing met) to (total, 0)
    exact: bool


def nash_scale(count: int, biggest: int) -> int:
    """The resolution of the logarithms: LOG_SCALE unless the weights are so large that a chord's terms could
    overflow; then as fine as they allow (docs/check.md)."""
    bound = 4 * biggest * (count * math.ceil(math.log(biggest + 1)) + 1)
    scale = min(LOG_SCALE, SAFE // bound)
    if scale < 1:
        raise UserError(f"the demand weights are too large for --objective nash (a party's total is {biggest:,})",
                        hint="divide every weight by a common factor, or use --objective fair or welfare")
    return scale


def nothing_met(count: int, biggest: int, scale: int) -> int:
    """The curve's value for a party with nothing met: below any sum of the other parties' logarithms, so
    deals where every party gets something always rank first."""
    return -scale * (count * math.ceil(math.log(biggest + 1)) + 1)


def reachable_met(weights: list[int], limit: int) -> list[int] | None:
    """Every weight a party can have met (the sums of subsets of its demands' weights), ascending; None as soon
    as there are more than `limit`."""
    sums = {0}
    for weight in weights:
        sums |= {s + weight for s in sums}
        if len(sums) > limit:
            return None
    return sorted(sums)


def geometric_grid(total: int, count: int) -> list[int]:
    """At most `count` met weights from 0 to `total` (total >= 3): consecutive integers while they are
    less than a factor `ratio` apart, then at most that factor apart; ratio = exp(2 ln(total) / count)."""
    ratio = math.exp(2 * math.log(total) / count)
    grid, weight = [0], 1
    while weight < total:
        grid.append(weight)
        weight = max(weight + 1, math.floor(weight * ratio))
    grid.append(total)
    return grid


def log_curve(weights: list[int], zero: int, scale: int) -> LogCurve:
    """The party's curve: its reachable met weights as corners while there are at most BREAKPOINTS of them,
    else a geometric grid of them (docs/check.md gives the tolerance)."""
    total = sum(weights)
    reachable = reachable_met(weights, BREAKPOINTS)
    exact = reachable is not None
    points = reachable if reachable is not None else geometric_grid(total, BREAKPOINTS - 4)
    scaled = [(0, zero)] + [(m, round(scale * math.log(m / total))) for m in points[1:]]
    return LogCurve(total, tuple(_upper_hull(scaled)), exact)


def _upper_hull(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The corners of the least concave curve on or above every point (points ascending by x). Rounding can
    put a point slightly below the chord of its neighbours; the curve then passes above it, by less than the
    rounding."""
    hull: list[tuple[int, int]] = []
    for x, y in points:
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (y2 - y1) * (x - x1) > (y - y1) * (x2 - x1):  # the middle corner is above the chord: keep it
                break
            hull.pop()
        hull.append((x, y))
    return hull


def grid_curve(total: int, zero: int, scale: int) -> LogCurve:
    """A utility block's curve over its integer utility 0..total (its best possible): the values it can take are
    not listed, so the corners are a geometric grid of them (docs/check.md gives the tolerance)."""
    points = geometric_grid(total, BREAKPOINTS - 4) if total >= 3 else list(range(total + 1))
    scaled = [(0, zero)] + [(m, round(scale * math.log(m / total))) for m in points[1:]]
    return LogCurve(total, tuple(_upper_hull(scaled)), False)


def _log_sum(compiled: Compiled, model: cpsat.Model, satisfaction: Satisfaction):
    """Σ log(satisfaction): each party's log is held below every chord of its concave curve, which the
    maximisation makes the curve itself (exact at every corner, and the linear relaxation is tight)."""
    # (a block worth nothing in any deal is left out: no deal ranks above another for it)
    tops = {p.id: top for p in satisfaction.parties if (top := _top(compiled, p)) > 0}
    if not tops:
        return 0
    count = len(satisfaction.parties)
    biggest = max(tops.values())
    scale = nash_scale(count, biggest)
    zero = nothing_met(count, biggest, scale)
    logs = []
    for party in satisfaction.parties:
        if party.id not in tops:
            continue
        curve = log_curve([d.weight for d in party.demands], zero, scale) if party.utility is None \
            else grid_curve(tops[party.id], zero, scale)
        met = model.new_int_var(0, curve.total, f"met[{party.id}]")
        model.add(met == satisfaction.met(compiled, party))
        log = model.new_int_var(zero, 0, f"log[{party.id}]")
        for (x1, y1), (x2, y2) in zip(curve.corners, curve.corners[1:]):
            model.add((x2 - x1) * (log - y1) <= (y2 - y1) * (met - x1))
        logs.append(log)
    return sum(logs)


def _top(compiled: Compiled, party: Party) -> int:
    """The most the party's integer utility can be: its total demand weight, or its block's best possible."""
    return party.demand_weight if party.utility is None else best_possible(party.utility, compiled.scenario.issues)
