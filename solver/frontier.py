"""The Pareto frontier of the parties' utilities over the deals every party accepts, exact, without enumerating
deals; and the bargaining points on it (solver/bargaining.py).

A party's utility is an integer on its own scale (solver/utility.py: millionths of a utility block, or the weight
of its demands met). The frontier is the set of distinct utility vectors (over the counted parties) of acceptable
deals that no acceptable deal Pareto-dominates. Three methods find it, each point's deal then re-checked by the
plain evaluator (every fact and red line, reservations included, and every counted party's utility):

* two parties: the ε-constraint method on CP-SAT (`_Engine._two_party_stages`);
* more: the next point maximises the total, then each utility in turn, among the deals that no point found so far
  weakly dominates (`_Engine._many_party_stages`);
* additive utility blocks, and no rule but reservations and rules on a single issue: multi-objective dynamic
  programming over the issues (`additive_frontier`), no solver at all.

`--limit N` keeps the first N points in the order the method finds them, which is canonical: for two parties from
the first party's best down the staircase; for more, by total utility (common scale) descending, then
lexicographically descending (lexicographically alone when the common scale is too large for the solver).
Points are returned in the canonical order (descending lexicographically).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from fractions import Fraction
from typing import Any

from feasible.positions import InternalError, UserError
from feasible.positions.kinds import issue_type
from feasible.positions.model import Rule, Scenario
from feasible.positions.rules.syntax import names as issues_named
from feasible.positions.utility import value_terms

from . import cpsat
from .bargaining import (NO_COMMON_SCALE, NO_GAIN, PRODUCT_TOO_LARGE, BargainingPoint, FrontierPoint, Solution,
                         bargaining_points, canonical_order, dominates, ties)
from .check import DEFAULT_TIME_LIMIT
from .compile import compile_scenario
from .display import Shown
from .evaluate import holds
from .search import Control, Outcome, Searcher
from .utility import PartyUtility, UtilitySource, as_fraction, party_utilities, utility_value, utility_var
from .verify import verify_deal

__all__ = ["BargainingPoint", "Frontier", "FrontierPoint", "FrontierStatus", "Solution", "bargaining_points",
           "dominates", "frontier", "prove_pareto_optimal"]

PACKED = 1 << 53  # consecutive objectives share one solve while their packed range stays below this
# The frontier's solves skip CP-SAT's presolve and set-up: on ANAC 2014's rectangle utilities, presolve left the
# last ε-constraint step of the 40-issue domain undecided for minutes, which it proves at once without it, and the
# many small solves of the other methods gain too (docs/check.md).
PRESOLVE = False


class FrontierStatus(str, Enum):
    COMPLETE = "complete"  #: every frontier point found
    LIMIT = "limit"  #: cut at --limit: more exist (proved: one more was found)
    TIME = "time"  #: the time limit ran out: more may exist
    NO_DEAL = "no deal"  #: no acceptable deal
    INTERRUPTED = "interrupted"  #: Ctrl-C: more may exist


@dataclass(frozen=True)
class Frontier(Shown):
    parties: tuple[PartyUtility, ...]
    points: tuple[FrontierPoint, ...]  # canonical order
    status: FrontierStatus
    disagreement: tuple[Fraction, ...]
    ideal: tuple[Fraction, ...] | None  # None: no acceptable deal, or not known (cut short)
    bargaining: tuple[BargainingPoint, ...]  # in Solution order
    solves: int
    # the scenario it is for: shown in the parties' words in a notebook (solver/display.py); never compared
    scenario: Scenario | None = field(default=None, compare=False, repr=False)

    @property
    def complete(self) -> bool:
        return self.status in (FrontierStatus.COMPLETE, FrontierStatus.NO_DEAL)


Vector = tuple[int, ...]
Found = tuple[Vector, dict[str, Any]]  # a point's integers and its deal, before verification


def frontier(scenario: Scenario, parties: Sequence[str] | None = None, limit: int | None = None,
             time_limit: float = DEFAULT_TIME_LIMIT, control: Control | None = None, *,
             fast: bool = True) -> Frontier:
    """The frontier of the parties' utilities (`parties`: those ids, in that order; default every party with a
    utility) over the deals every party accepts. `fast=False` leaves out the dynamic programming (tests compare
    the two). Raises UserError for an unknown party, a party without a utility, or a limit below 1."""
    if parties is not None and not parties:
        raise UserError("no party named", hint="name at least one party, or leave --parties out for all of them")
    counted = party_utilities(scenario, parties)
    if not counted:
        raise UserError("no party has a utility: neither a utility block nor demands",
                        hint="give a party a `utility:` block or demands (docs/format.md#utilities)")
    if limit is not None and limit < 1:
        raise UserError(f"the limit must be at least 1 (got {limit})")
    twice = sorted({pu.party for pu in counted if sum(1 for other in counted if other.party == pu.party) > 1})
    if twice:
        raise UserError(f"a party is named twice: {', '.join(twice)}", hint="name each party once")
    searcher = Searcher(time_limit, control, label=f"scenario {scenario.title!r}")
    searcher.stage = "frontier"
    disagreement = tuple(as_fraction(pu, pu.disagreement) for pu in counted)
    additive = additive_setup(scenario, counted) if fast else None
    programmed = additive_frontier(additive, limit, searcher) if additive is not None else None
    if additive is not None and programmed is not None:
        found, status = programmed
        points = canonical_order([verified(scenario, counted, scaled, deal) for scaled, deal in found])
        whole = points if status is not FrontierStatus.LIMIT else \
            canonical_order([verified(scenario, counted, scaled, deal) for scaled, deal in additive.every])
        ideal = _ideal_of(counted, [p.scaled for p in whole])
        # the programme finds the whole frontier before the limit cuts it: its bargaining points are exact
        bargaining = bargaining_points(whole, disagreement, ideal,
                                       exact=status in (FrontierStatus.COMPLETE, FrontierStatus.LIMIT))
    else:
        engine = _Engine(scenario, counted, searcher)
        extremes = engine.extremes()
        found, status = engine.run(limit)
        points = canonical_order([verified(scenario, counted, scaled, deal) for scaled, deal in found])
        if status is FrontierStatus.COMPLETE:
            ideal = _ideal_of(counted, [p.scaled for p in points])
            bargaining = bargaining_points(points, disagreement, ideal, exact=True)
        else:
            ideal = extremes.ideal
            bargaining = _cut_bargaining(scenario, counted, points, disagreement, ideal, extremes)
    if status is FrontierStatus.COMPLETE and not points:
        status = FrontierStatus.NO_DEAL
    return Frontier(counted, points, status, disagreement, ideal, bargaining, searcher.solves, scenario)


def _cut_bargaining(scenario: Scenario, counted: Sequence[PartyUtility], points: Sequence[FrontierPoint],
                    disagreement: tuple[Fraction, ...], ideal: tuple[Fraction, ...] | None,
                    extremes: Extremes) -> tuple[BargainingPoint, ...]:
    """The frontier was cut short: the utilitarian and egalitarian points (and for two parties the Nash point)
    come from their own solves (exact: the points the whole frontier gives; their ties counted among the points
    found, so a lower bound: ties_exact False), the others from the points found (not exact)."""
    among = bargaining_points(points, disagreement, ideal, exact=False)
    result = []
    for bargain, solved in zip(among, (extremes.nash, None, extremes.egalitarian, extremes.utilitarian)):
        if bargain.solution is Solution.NASH and extremes.no_nash:
            bargain = BargainingPoint(bargain.solution, None, 0, True, NO_GAIN)
        elif solved is not None:
            point = verified(scenario, counted, *solved)
            tied = ties(bargain.solution, point, points, disagreement, ideal)
            bargain = BargainingPoint(bargain.solution, point, tied, True, ties_exact=False)
        elif bargain.point is not None and bargain.solution in extremes.unsolved:
            bargain = replace(bargain, reason=extremes.unsolved[bargain.solution])
        result.append(bargain)
    return tuple(result)


def _ideal_of(counted: Sequence[PartyUtility], vectors: Sequence[Vector]) -> tuple[Fraction, ...] | None:
    """Each party's best over the frontier, which is its best over every acceptable deal."""
    if not vectors:
        return None
    return tuple(as_fraction(pu, max(v[i] for v in vectors)) for i, pu in enumerate(counted))


def verified(scenario: Scenario, counted: Sequence[PartyUtility], scaled: Vector,
             deal: dict[str, Any]) -> FrontierPoint:
    """The point, once the plain evaluator agrees: the deal keeps every fact and red line (reservations
    included) and gives every counted party exactly the utility the method found."""
    verify_deal(scenario, deal)
    measured = tuple(utility_value(scenario, pu, deal) for pu in counted)
    if measured != scaled:
        raise InternalError(f"the frontier method and the evaluator disagree on the utilities of a deal: "
                            f"{scaled} found, {measured} evaluated")
    return FrontierPoint(tuple(as_fraction(pu, v) for pu, v in zip(counted, scaled)), scaled, deal)


COMMON_BOUND = 1 << 53  # a total or gain on the common scale stays below this (CP-SAT's integers are 64-bit)


def common_weights(counted: Sequence[PartyUtility]) -> tuple[int, ...] | None:
    """Multipliers putting every party's integer on one exact scale (the lcm of the scales), for totals and least
    gains; None when that scale is too large for the solver (every total or gain on it must stay below
    COMMON_BOUND): scales with a huge lcm, such as demand weights that are large coprime numbers. Then the CP-SAT
    methods go without totals (docs/check.md, "Trade-offs")."""
    common = math.lcm(*(pu.scale for pu in counted))
    weights = tuple(common // pu.scale for pu in counted)
    spans = [max(abs(pu.low), abs(pu.high), abs(pu.high - pu.disagreement), abs(pu.low - pu.disagreement))
             for pu in counted]
    return weights if sum(w * s for w, s in zip(weights, spans)) < COMMON_BOUND else None


def generation_key(counted: Sequence[PartyUtility]) -> Callable[[Vector], tuple]:
    """The order in which the methods find points (for `limit`), as a key to sort descending."""
    weights = common_weights(counted)
    if len(counted) == 2 or weights is None:
        return lambda v: v
    return lambda v: (sum(w * u for w, u in zip(weights, v)), *v)


def _status_when_cut(searcher: Searcher) -> FrontierStatus:
    return FrontierStatus.INTERRUPTED if searcher.control.interrupted else FrontierStatus.TIME


# -- CP-SAT ------------------------------------------------------------------------------------------------------

Stage = tuple[Any, int, int]  # (expression, its least value, its greatest value)
NASH_BOUND = 1 << 62  # the Nash product's greatest value must stay below this to be solved for
EXTREMES_SHARE = 0.25  # of the time limit, at most, for the ideal, utilitarian and egalitarian solves


@dataclass(frozen=True)
class Extremes:
    """What the CP-SAT methods find before the frontier, so that a frontier cut short still has them: the ideal
    point and the utilitarian and egalitarian points (None where the solve was undecided)."""

    ideal: tuple[Fraction, ...] | None
    utilitarian: Found | None
    egalitarian: Found | None
    nash: Found | None = None  # two parties only
    no_nash: bool = False  # proved: no acceptable deal gives every party more than its disagreement value
    unsolved: Mapping[Solution, str] = field(default_factory=dict)  # points not solved for, and why (a reason)


class _Engine:
    """The scenario compiled once, with one integer variable per counted party's utility; points are found one
    solve (or a few) at a time, each ruling out what the points before it cover."""

    def __init__(self, scenario: Scenario, counted: Sequence[PartyUtility], searcher: Searcher):
        self.scenario = scenario
        self.counted = tuple(counted)
        self.searcher = searcher
        self.compiled = compile_scenario(scenario)
        self.utilities = [utility_var(self.compiled, pu) for pu in counted]

    def run(self, limit: int | None) -> tuple[list[Found], FrontierStatus]:
        if len(self.counted) == 2:
            return self._points(limit, self._two_party_stages(), self._two_party_cut)
        return self._points(limit, self._many_party_stages(), self._many_party_cut)

    def _two_party_stages(self) -> list[Stage]:
        """Lexicographic (u1, u2): the ε-constraint method's next point.

        ε-constraint (Y. Haimes, L. Lasdon, D. Wismer, "On a bicriterion formulation of the problems of integrated
        system identification and system optimization", IEEE Trans. SMC 1(3), 1971; for exact bi-objective integer
        programs see V. Chankong, Y. Haimes, "Multiobjective Decision Making", 1983): after the point (a, b), the
        next maximises u1, then u2, among the deals with u2 > b. It is Pareto-optimal: a deal dominating it would
        also have u2 > b, so u1 no greater, hence equal, and then u2 no greater. Every frontier point is found, in
        u1-descending order, one solve each (the two objectives packed into one while they fit)."""
        return [(u, pu.low, pu.high) for u, pu in zip(self.utilities, self.counted)]

    def _two_party_cut(self, model: cpsat.Model, point: Vector) -> None:
        model.add(self.utilities[1] >= point[1] + 1)

    def _many_party_stages(self) -> list[Stage]:
        """The total (on the common scale), then u1, …, u(n-1) (the total then fixes un).

        Each next point maximises them lexicographically among the acceptable deals no point found so far weakly
        dominates (at least as good for everyone). It is Pareto-optimal: a deal dominating it is not weakly
        dominated by a point found either (that point would weakly dominate the maximiser too), and has a greater
        total. Every frontier point not yet found qualifies, so the search ends (infeasible) exactly when all are
        found, in order of total descending, then lexicographically descending. This is the classic "augmented"
        scheme of generating non-dominated points one by one (e.g. M. Özlen, M. Azizoğlu, "Multi-objective integer
        programming: a general approach for generating all non-dominated solutions", EJOR 199(1), 2009; with the
        disjunctive cuts of G. Kirlik, S. Sayın, EJOR 232(3), 2014, here one disjunction per point found)."""
        weights = common_weights(self.counted)
        if weights is None:
            # no exact common scale the solver can hold: u1, …, un lexicographically, which is as good a next
            # point (a deal dominating the maximiser would qualify too and be lexicographically greater)
            return [(u, pu.low, pu.high) for u, pu in zip(self.utilities, self.counted)]
        total = sum(w * u for w, u in zip(weights, self.utilities))
        stages: list[Stage] = [(total, sum(w * pu.low for w, pu in zip(weights, self.counted)),
                                sum(w * pu.high for w, pu in zip(weights, self.counted)))]
        stages += [(u, pu.low, pu.high) for u, pu in zip(self.utilities[:-1], self.counted[:-1])]
        return stages

    def _many_party_cut(self, model: cpsat.Model, point: Vector) -> None:
        """No deal weakly dominated by `point`: some party gets more."""
        better = []
        for u, pu, value in zip(self.utilities, self.counted, point):
            if value < pu.high:
                lit = model.new_bool_var("")
                model.add(u >= value + 1).only_enforce_if(lit)
                better.append(lit)
        model.add_bool_or(better or [self.compiled.true.Not()])

    def _points(self, limit: int | None, stages: list[Stage],
                cut: Callable[[cpsat.Model, Vector], None]) -> tuple[list[Found], FrontierStatus]:
        model = self.compiled.model
        found: list[Found] = []
        while True:
            if limit is not None and len(found) >= limit:
                return found, self._more_exist(model)
            outcome = lexicographic_max(self.searcher, model, stages)
            if outcome.infeasible:
                return found, FrontierStatus.COMPLETE
            if outcome.status != cpsat.OPTIMAL:
                return found, _status_when_cut(self.searcher)
            solved = outcome.solved
            scaled = tuple(int(solved.value(u)) for u in self.utilities)
            found.append((scaled, self.compiled.decode(solved.value)))
            cut(model, scaled)

    def _more_exist(self, model: cpsat.Model) -> FrontierStatus:
        """After the limit: is there one more point? (Any deal the cuts leave is dominated only by points not
        yet found, so a deal is enough.)"""
        model.clear_objective()
        outcome = self.searcher.solve(model, presolve=PRESOLVE)
        if outcome.found:
            return FrontierStatus.LIMIT
        return FrontierStatus.COMPLETE if outcome.infeasible else _status_when_cut(self.searcher)

    def extremes(self) -> Extremes:
        """The ideal point (each party's best, by its own solve), then the utilitarian point (the total, then
        u1, u2, … lexicographically: the first of the canonical order among the greatest totals) and the
        egalitarian point (the greatest least gain m over the disagreement values on the common scale, then u1,
        u2, … lexicographically among the deals where every gain reaches m: Pareto-optimal, since a deal
        dominating it would qualify too and be lexicographically greater). Within EXTREMES_SHARE of the time."""
        with self.searcher.budget(EXTREMES_SHARE * self.searcher.time_limit):
            ideal = []
            for u, pu in zip(self.utilities, self.counted):
                outcome = lexicographic_max(self.searcher, self.compiled.model.clone(), [(u, pu.low, pu.high)])
                if outcome.infeasible:
                    return Extremes(None, None, None)  # no acceptable deal
                if outcome.status != cpsat.OPTIMAL:
                    break
                ideal.append(as_fraction(pu, int(outcome.solved.value(u))))
            # (without an exact common scale, the greatest total and least gain are not solved for: on a cut
            # frontier those points are then chosen among the points found)
            common = common_weights(self.counted) is not None
            utilitarian = self._extreme(self.compiled.model.clone(), self._many_party_stages()) if common else None
            egalitarian = None
            if common:
                model = self.compiled.model.clone()
                least = self._least_gain(model)
                egalitarian = self._extreme(model, [least] + [(u, pu.low, pu.high)
                                                               for u, pu in zip(self.utilities, self.counted)])
            unsolved = {} if common else {Solution.UTILITARIAN: NO_COMMON_SCALE, Solution.EGALITARIAN: NO_COMMON_SCALE}
            nash, no_nash = None, False
            if len(self.counted) == 2:
                if self._nash_fits():
                    nash, no_nash = self._nash()
                else:
                    unsolved[Solution.NASH] = PRODUCT_TOO_LARGE
        return Extremes(tuple(ideal) if len(ideal) == len(self.counted) else None, utilitarian, egalitarian,
                        nash, no_nash, unsolved)

    def _nash_tops(self) -> list[int]:
        return [max(1, pu.high - pu.disagreement) for pu in self.counted]

    def _nash_fits(self) -> bool:
        """Whether the Nash product's greatest value fits the solver's integers."""
        tops = self._nash_tops()
        return tops[0] * tops[1] < NASH_BOUND

    def _nash(self) -> tuple[Found | None, bool]:
        """Two parties: the greatest product of the gains g = u − d, every gain at least 1 (on each party's own
        scale: the product's order is the same as with Fractions), then u1, u2. Pareto-optimal: a deal dominating
        it would have a greater product. Returns (the point, proved that no deal gives both parties a gain)."""
        tops = self._nash_tops()
        model = self.compiled.model.clone()
        factors = []
        for u, pu, top in zip(self.utilities, self.counted, tops):
            gain = model.new_int_var(1, top, "")
            model.add(gain == u - pu.disagreement)
            factors.append((gain, top))
        product = model.new_int_var(1, factors[0][1] * factors[1][1], "nash_product")
        model.add_multiplication_equality(product, [factors[0][0], factors[1][0]])
        outcome = lexicographic_max(self.searcher, model, [(product, 1, factors[0][1] * factors[1][1])] +
                                    [(u, pu.low, pu.high) for u, pu in zip(self.utilities, self.counted)])
        if outcome.infeasible:
            return None, True
        if outcome.status != cpsat.OPTIMAL:
            return None, False
        solved = outcome.solved
        return (tuple(int(solved.value(u)) for u in self.utilities), self.compiled.decode(solved.value)), False

    def _least_gain(self, model: cpsat.Model) -> Stage:
        weights = common_weights(self.counted)
        assert weights is not None  # (extremes() asks only then)
        gaps = [(w * u - w * pu.disagreement, w * (pu.low - pu.disagreement), w * (pu.high - pu.disagreement))
                for w, u, pu in zip(weights, self.utilities, self.counted)]
        low, high = min(g[1] for g in gaps), min(g[2] for g in gaps)
        least = model.new_int_var(low, high, "least_gain")
        for gap, _, _ in gaps:
            model.add(least <= gap)
        return least, low, high

    def _extreme(self, model: cpsat.Model, stages: list[Stage]) -> Found | None:
        outcome = lexicographic_max(self.searcher, model, stages)
        if outcome.status != cpsat.OPTIMAL:
            return None
        solved = outcome.solved
        return tuple(int(solved.value(u)) for u in self.utilities), self.compiled.decode(solved.value)


def lexicographic_max(searcher: Searcher, model: cpsat.Model, stages: Sequence[Stage]) -> Outcome:
    """Maximise the stages one after another. The first stages are packed into one objective while its range fits
    (so two parties' utilities take one solve); the stages beyond it are settled by climbing: fix the packed
    stages' values, then ask for a solution lexicographically greater on the rest than the one at hand, until
    there is none (the one at hand is then the lexicographic maximum: usually one solve, however many stages).
    `model` is left as it was (its objective aside); the climb works on a copy."""
    groups = _packed(stages)
    head = groups[0]
    objective, multiplier = 0, 1
    for expr, low, high in reversed(head):
        objective = objective + multiplier * (expr - low)
        multiplier *= high - low + 1
    model.maximize(objective)
    outcome = searcher.solve(model, presolve=PRESOLVE)
    rest = [expr for group in groups[1:] for expr, _, _ in group]
    if outcome.status != cpsat.OPTIMAL or not rest:
        return outcome
    work = model.clone()
    work.clear_objective()
    for expr, _, _ in head:
        work.add(expr == int(outcome.solved.value(expr)))
    while True:
        trial = work.clone()
        _lexicographically_greater(trial, rest, [int(outcome.solved.value(e)) for e in rest])
        better = searcher.solve(trial, presolve=PRESOLVE)
        if better.infeasible:
            return outcome
        if not better.found:
            return Outcome(cpsat.UNKNOWN, None)  # (the time ran out before the maximum was proved)
        outcome = better


def _lexicographically_greater(model: cpsat.Model, exprs: Sequence[Any], values: Sequence[int]) -> None:
    """Some expression exceeds its value while every one before it keeps its value."""
    choices = []
    for index, (expr, value) in enumerate(zip(exprs, values)):
        choice = model.new_bool_var("")
        model.add(expr >= value + 1).only_enforce_if(choice)
        for before, kept in zip(exprs[:index], values):
            model.add(before == kept).only_enforce_if(choice)
        choices.append(choice)
    model.add_bool_or(choices)


def _packed(stages: Sequence[Stage]) -> list[list[Stage]]:
    groups: list[list[Stage]] = []
    span = PACKED
    for stage in stages:
        width = stage[2] - stage[1] + 1
        if span * width >= PACKED:
            groups.append([])
            span = 1
        groups[-1].append(stage)
        span *= width
    return groups


def prove_pareto_optimal(scenario: Scenario, parties: Sequence[str] | None, point: FrontierPoint | Sequence[int],
                         time_limit: float = DEFAULT_TIME_LIMIT) -> bool | None:
    """One solve: True when no acceptable deal is at least as good for every party and better for one, False
    when one is, None when the time limit decided nothing. `point`: a FrontierPoint or the integers."""
    counted = party_utilities(scenario, parties)
    scaled = point.scaled if isinstance(point, FrontierPoint) else tuple(point)
    compiled = compile_scenario(scenario)
    utilities = [utility_var(compiled, pu) for pu in counted]
    model = compiled.model
    for u, value in zip(utilities, scaled, strict=True):
        model.add(u >= value)
    model.add(sum(utilities) >= sum(scaled) + 1)  # integers: better for one party, the others no worse
    outcome = Searcher(time_limit, label=f"scenario {scenario.title!r}").solve(model, presolve=PRESOLVE)
    if outcome.infeasible:
        return True
    return False if outcome.found else None


# -- additive utilities: dynamic programming over the issues -------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """One step of the dynamic programme: an issue and its options, each a value and the vector of its terms for
    the parties, dominated options and repeated vectors left out."""

    issue: str
    values: tuple[Any, ...]
    vectors: tuple[Vector, ...]


@dataclass
class Additive:
    """What the dynamic programme works on: the layers, the parties (counted first, then the others whose
    reservation decides acceptance) and their thresholds, and the values of the issues no utility mentions."""

    counted: tuple[PartyUtility, ...]
    parties: tuple[PartyUtility, ...]
    thresholds: tuple[int | None, ...]  # per party: the least utility it accepts (its reservation), if any
    layers: tuple[Layer, ...]
    fixed: dict[str, Any]
    every: list[Found]  # filled by additive_frontier: the whole frontier, before the limit
    possible: bool = True  # False: a rule that mentions no issue is false (no deal at all)
    order: tuple[str, ...] = ()  # the issues in scenario order (a deal lists them so)


def additive_setup(scenario: Scenario, counted: Sequence[PartyUtility]) -> Additive | None:
    """The dynamic programme, when it applies: every party whose utility counts (counted, or with a reservation)
    has an additive utility block, and every other fact and red line (accept_at_least included) mentions a single
    issue, so that it only narrows that issue's values (a `--set`, a tradeoff's restriction); an issue a block
    scores or a rule narrows has at most LARGEST_ENUMERATED values. None otherwise."""
    ids = {pu.party for pu in counted}
    others = [p.id for p in scenario.parties if p.reservation is not None and p.id not in ids]
    parties = tuple(counted) + (party_utilities(scenario, others) if others else ())
    blocks = [scenario.party(pu.party).utility for pu in parties]
    if any(pu.source is not UtilitySource.BLOCK for pu in parties) or \
            any(block is None or not block.additive for block in blocks):
        return None
    narrowing = _narrowing_rules(scenario)
    if narrowing is None:
        return None
    possible = all(holds(rule, scenario.issues, {}) for rule in narrowing.get("", []))
    terms = [value_terms(block, scenario.issues) for block in blocks if block is not None]
    thresholds = tuple(pu.disagreement if scenario.party(pu.party).reservation is not None else None
                       for pu in parties)
    layers: list[Layer] = []
    fixed: dict[str, Any] = {}
    for name, issue in scenario.issues.items():
        kind = issue_type(issue)
        mentioned = [t.get(name, {}) for t in terms]
        rules = narrowing.get(name, [])
        if (rules or any(mentioned)) and kind.size(issue) > LARGEST_ENUMERATED:
            return None  # (too many values to go through one by one: the CP-SAT methods take it)
        values = kind.every_value(issue)
        if rules:
            values = (v for v in values if all(holds(rule, scenario.issues, {name: v}) for rule in rules))
        if not any(mentioned):
            first = next(iter(values), None)
            if first is None:
                layers.append(Layer(name, (), ()))  # no value keeps the rules: no acceptable deal
            else:
                fixed[name] = first
            continue
        # A block scores an issue's values, or a set issue's members (a set's term is the sum of its members').
        by_member = not all(kind.in_domain(issue, key) for m in mentioned for key in m)
        layers.append(_layer(name, list(values), mentioned, by_member))
    # Issues with many options last would multiply the largest set of partial sums by the most options: first,
    # the sets of partial sums stay smaller (docs/check.md). Stable: ties keep scenario order.
    layers.sort(key=lambda layer: -len(layer.values))
    return Additive(tuple(counted), parties, thresholds, tuple(layers), fixed, [], possible, tuple(scenario.issues))


LARGEST_ENUMERATED = 100_000  # values of an issue gone through one by one, at most, in the dynamic programme


def _narrowing_rules(scenario: Scenario) -> dict[str, list[Rule]] | None:
    """issue → the facts and red lines (other than reservations) that mention it alone; None when one mentions
    several issues. A rule that mentions no issue is kept under "" (it holds in every deal or in none)."""
    found: dict[str, list[Rule]] = {}
    rules = list(scenario.facts) + [r for p in scenario.parties for r in p.binding if r is not p.reservation]
    for rule in rules:
        mentioned = issues_named(rule.expr)
        if len(mentioned) > 1:
            return None
        found.setdefault(next(iter(mentioned), ""), []).append(rule)
    return found


def _layer(issue: str, values: Sequence[Any], terms: Sequence[Mapping[Any, int]], by_member: bool) -> Layer:
    """The options of one issue, repeated vectors and dominated ones left out (an option another one is at least
    as good as for everyone never gives a point the other does not), in the issue's value order."""
    import numpy as np

    def vector(value: Any) -> Vector:
        if by_member:
            return tuple(sum(t.get(member, 0) for member in value) for t in terms)
        return tuple(t.get(value, 0) for t in terms)

    options: dict[Vector, Any] = {}
    for value in values:
        options.setdefault(vector(value), value)
    distinct = list(options)
    kept = sorted(int(i) for i in undominated(np, np.asarray(distinct, dtype=np.int64).reshape(-1, len(terms))))
    return Layer(issue, tuple(options[distinct[i]] for i in kept), tuple(distinct[i] for i in kept))


MERGED_ROWS = 4_000_000  # candidate partial sums one layer may make, at most: beyond, the CP-SAT methods take it


class _Stopped(Exception):
    """The time limit ran out, or Ctrl-C, in the middle of the dynamic programme."""


def additive_frontier(additive: Additive, limit: int | None,
                      searcher: Searcher) -> tuple[list[Found], FrontierStatus] | None:
    """Multi-objective dynamic programming over the issues (the Pareto merge of the issues' contribution vectors,
    one issue at a time; see e.g. M. Ehrgott, "Multicriteria Optimization", 2nd ed., Springer 2005, ch. 9 on
    multi-objective knapsack-like dynamic programmes, and the bi-objective shortest-path labelling of P. Hansen,
    1980): with utilities that are sums over the issues, a partial deal another partial deal weakly dominates
    can only lead to points the other leads to as well, so keeping the non-dominated partial sums of each prefix
    of issues (with a back-pointer to the option and partial sum each came from) gives the frontier of all deals.
    Reservations only ask some utilities to reach a threshold, so the frontier of the acceptable deals is that
    frontier's acceptable part (a deal dominating an acceptable one is acceptable); a partial sum that cannot
    reach a threshold whatever the later issues give is dropped on the way. Other parties whose reservation
    counts take part in the vectors and are projected out at the end.

    The clock and Ctrl-C are watched between bounded pieces of work (status TIME or INTERRUPTED, no points: a
    partial programme has none yet); None when a layer would make more than MERGED_ROWS candidates, whose memory
    and time the programme cannot bound, so that the CP-SAT methods (which honour the time limit) take it."""
    try:
        return _programme(additive, limit, searcher)
    except _Stopped:
        return [], _status_when_cut(searcher)


def _programme(additive: Additive, limit: int | None,
               searcher: Searcher) -> tuple[list[Found], FrontierStatus] | None:
    import numpy as np  # (a dependency of OR-Tools; imported here so that nothing else pays for it)

    def stop() -> None:
        if searcher.remaining() <= 0:
            raise _Stopped

    if not additive.possible or any(not layer.values for layer in additive.layers):
        return [], FrontierStatus.COMPLETE  # (a rule no value of some issue keeps)
    width = len(additive.parties)
    vectors = np.zeros((1, width), dtype=np.int64)
    steps: list[tuple[Any, Any]] = []  # per layer: (parent index, option index) of each kept partial sum
    reachable = _still_reachable(np, additive)
    for index, layer in enumerate(additive.layers):
        stop()
        if len(vectors) * len(layer.vectors) > MERGED_ROWS:
            return None
        options = np.asarray(layer.vectors, dtype=np.int64).reshape(len(layer.vectors), width)
        pieces = []
        step = max(1, BLOCK * CHUNK // len(options))  # partial sums merged at once: a bounded piece of work
        for first in range(0, max(1, len(vectors)), step):  # (once at least: the arrays keep their shape)
            stop()
            some = vectors[first:first + step]
            merged = (some[:, None, :] + options[None, :, :]).reshape(-1, width)
            parent = np.repeat(np.arange(first, first + len(some)), len(options))
            option = np.tile(np.arange(len(options)), len(some))
            alive = reachable(merged, index + 1)
            pieces.append((merged[alive], parent[alive], option[alive]))
        merged = np.concatenate([p[0] for p in pieces])
        parent = np.concatenate([p[1] for p in pieces])
        option = np.concatenate([p[2] for p in pieces])
        keep = undominated(np, merged, stop)
        vectors = merged[keep]
        steps.append((parent[keep], option[keep]))
    acceptable = reachable(vectors, len(additive.layers))
    ends = np.nonzero(acceptable)[0]
    counted = len(additive.counted)
    projected = vectors[ends][:, :counted]
    ends = ends[undominated(np, projected, stop)] if width > counted else ends
    every = [(tuple(int(x) for x in vectors[end][:counted]), _deal(additive, steps, int(end))) for end in ends]
    every.sort(key=lambda found: generation_key(additive.counted)(found[0]), reverse=True)
    additive.every = every
    if limit is not None and len(every) > limit:
        return every[:limit], FrontierStatus.LIMIT
    return every, FrontierStatus.COMPLETE


def _still_reachable(np, additive: Additive) -> Callable[[Any, int], Any]:
    """A mask of the partial sums (after `done` layers) that can still meet every threshold."""
    width = len(additive.parties)
    rest = np.zeros((len(additive.layers) + 1, width), dtype=np.int64)
    for index in range(len(additive.layers) - 1, -1, -1):
        best = np.asarray(additive.layers[index].vectors, dtype=np.int64).reshape(-1, width).max(axis=0)
        rest[index] = rest[index + 1] + best
    limits = np.array([t if t is not None else np.iinfo(np.int64).min // 2 for t in additive.thresholds],
                      dtype=np.int64)

    def mask(vectors, done: int):
        return (vectors + rest[done] >= limits).all(axis=1)
    return mask


BLOCK = 1024  # candidates compared at once in `undominated`
CHUNK = 64  # kept points compared at once with a block (small: most candidates are dropped by the first ones)


def undominated(np, vectors, stop: Callable[[], None] | None = None) -> Any:
    """Indices of the rows no other row weakly dominates (of equal rows, the first), in order of total
    descending, then lexicographically descending, then index. Rows are visited in that order, so a row can only
    be weakly dominated by an earlier one: each block of rows is compared with the rows kept before it and with
    the earlier rows of the block (a dropped row's dominator dominates what it dominates). `stop` is called
    between bounded pieces of work (it raises to abandon the filter)."""
    count, width = vectors.shape
    if count <= 1:
        return np.arange(count)
    order = np.lexsort([-vectors[:, j] for j in range(width - 1, -1, -1)] + [-vectors.sum(axis=1)])
    ranked = vectors[order]
    kept_rows = np.empty((0, width), dtype=vectors.dtype)
    kept: list[Any] = []
    for start in range(0, count, BLOCK):
        block = ranked[start:start + BLOCK]
        alive = np.arange(len(block))
        for first in range(0, len(kept_rows), CHUNK):
            if not len(alive):
                break
            if stop is not None:
                stop()
            chunk = kept_rows[first:first + CHUNK]
            covered = (chunk[None, :, :] >= block[alive][:, None, :]).all(axis=2).any(axis=1)
            alive = alive[~covered]
        if len(alive):
            inside = (block[:, None, :] >= block[None, alive, :]).all(axis=2)  # [i, j]: row i ≥ alive row j
            earlier = np.arange(len(block))[:, None] < alive[None, :]
            alive = alive[~(inside & earlier).any(axis=0)]
        kept_rows = np.vstack([kept_rows, block[alive]])
        kept.append(order[start + alive])
    return np.concatenate(kept)


def _deal(additive: Additive, steps: Sequence[tuple[Any, Any]], end: int) -> dict[str, Any]:
    """Follow the back-pointers from a final partial sum to the options that make it."""
    deal = dict(additive.fixed)
    index = end
    for layer, (parent, option) in zip(reversed(additive.layers), reversed(steps)):
        deal[layer.issue] = layer.values[int(option[index])]
        index = int(parent[index])
    return {name: deal[name] for name in additive.order}
