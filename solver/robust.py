"""The most robust deal: the deal that every party accepts with the highest probability (docs/uncertainty.md,
"The most robust deal").

P(d) = Σ over the conditioning combinations c of P(c) · [d meets the facts, sure red lines and levels of c's
scenario] · Π over the gambles of c that d breaks of (1 − firm). Conditioning items are the readings and every
item of a party with an accept_at_least level (they move its level); a gamble is any other red line that may give
way: an independent bet, which enters the product. Weight ranges of parties without a level move no one's
acceptance, only the objective: they are taken at their nominal weight.

Per combination, the most probable deal is one weighted optimisation: maximise Σ cost · holds over the gambles,
cost = round(−log(1 − firm) · ROBUST_SCALE), with the facts and sure red lines required. The integer costs only
steer the search: each pattern of gambles kept is judged by its exact probability (Fractions, from the plain
evaluator's truths), and the patterns are taken in decreasing cost until the rounding can no longer hide a more
probable one (`_survey`), so the best is proved exactly. Its deal is then found by `find_deals` with the pattern's
red lines required (several equally probable patterns: any one of them) and the weighted sum as a leading stage,
before the objective and the canonical tie-breaking. Combinations of probability 0 are left out. Every probability
returned is recomputed by evaluation over every combination, never read from the solver.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from functools import cached_property
from typing import Any

from feasible.positions.model import Scenario
from feasible.positions.rules.syntax import Expr, Not, Or
from feasible.positions.uncertainty import (GIVES_WAY, HOLDS, Draw, ItemKind, Uncertain, UncertainItem,
                                            combination_count)

from . import cpsat
from .check import DEFAULT_TIME_LIMIT
from .compile import Compiled, compile_scenario
from .deals import differs, find_deals
from .evaluate import holds, in_domain
from .explain.conflicts import Conflict, find_conflicts
from .open import with_open_values
from .result import Deal, Objective
from .search import Control, Searcher
from .verify import verify_deal

ROBUST_SCALE = 10**6  # resolution of the logarithms in the weighted stage (docs/uncertainty.md)
MAX_CONDITIONS = 64  # most combinations of conditioning items (readings, items of parties with a level)
MAX_PATTERNS = 64  # most patterns of gambles judged exactly per combination; past it the answer is bounded
NO_TIME = "the time limit ran out (or the run was interrupted) before a deal was found"


class RobustStatus(str, Enum):
    """How far the most robust deal is proved."""

    FOUND = "found"  #: the most robust deal, proved: its probability equals the bound
    BOUNDED = "bounded"  #: the best deal found; no deal is accepted with a probability above `bound`
    NO_DEAL = "no-deal"  #: no deal even if every uncertain red line gives way: `conflict` says why
    NOT_COMPUTED = "not-computed"  #: too many conditioning combinations, or no time: `reason` says which


@dataclass(frozen=True)
class Combination:
    """One combination of the conditioning items' values (readings drawn, items of parties with a level)."""

    values: tuple[tuple[str, str], ...]  # (item name, its value in words: UncertainItem.label), in the items' order
    probability: Fraction


@dataclass(frozen=True)
class RobustDeal:
    """The deal every party accepts with the highest probability, that probability, and its bets."""

    status: RobustStatus
    deal: Deal | None
    probability: Fraction  # exact P(every party accepts `deal`); 0 without a deal
    bound: Fraction  # no deal is accepted with a higher probability
    gambles: tuple[str, ...]  # the uncertain red lines the deal breaks (bets that they give way), scenario order
    conflict: Conflict | None = None  # NO_DEAL: a verified minimal conflict among the sure red lines and facts
    reason: str | None = None  # NOT_COMPUTED (and a NO_DEAL whose conflict the time limit cut): why
    scenario: Scenario | None = None  # the scenario the deal's outcomes (satisfaction, demands) refer to: `under`'s
    under: Combination | None = None  # the combination the deal was found in (None: no conditioning item)
    fails_under: tuple[Combination, ...] = ()  # combinations (of positive probability) where it is not accepted


def robust_cost(firm: Fraction) -> int:
    """The weighted stage's integer price of breaking a red line that holds with probability `firm` (< 1):
    −log(1 − firm) in units of 1/ROBUST_SCALE, rounded to the nearest."""
    return round(-math.log1p(-float(firm)) * ROBUST_SCALE)


@dataclass(frozen=True)
class Condition:
    """One combination of the conditioning items' values, and what the deal's acceptance depends on there."""

    draw: Draw  # every item's value: the combination's, the gambles holding, other weights nominal
    probability: Fraction  # of the combination
    scenario: Scenario  # Uncertain.sample(draw)
    gambles: tuple[tuple[str, Fraction], ...]  # red lines of `scenario` that hold independently: (name, firm)
    given: tuple[tuple[str, str], ...] = ()  # the conditioning items' values, in words

    @property
    def combination(self) -> Combination:
        return Combination(self.given, self.probability)

    @cached_property
    def sure(self) -> tuple[str, ...]:
        """The facts and the red lines (levels included) that hold for certain in this combination."""
        betting = {name for name, _ in self.gambles}
        return tuple(r.name for r in self.scenario.facts + self.scenario.red_lines if r.name not in betting)

    def failing(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """The sure rules the deal breaks in this combination (it is accepted there only if there are none)."""
        return tuple(name for name in self.sure if not holds(self.scenario.rule(name), self.scenario.issues, values))

    def keeping(self, values: Mapping[str, Any]) -> list[Expr]:
        """Conditions on the issues under which a deal keeps `values`' probability of acceptance here, and the truth
        of every gamble: accepted, every sure rule still holds and each gamble keeps its truth; not accepted, some
        sure rule it breaks still fails."""
        rule = self.scenario.rule
        failing = self.failing(values)
        if failing:
            broken = [Not(rule(name).expr) for name in failing]
            return [broken[0] if len(broken) == 1 else Or(tuple(broken))]
        truths = [(rule(name).expr, holds(rule(name), self.scenario.issues, values)) for name, _ in self.gambles]
        return [rule(name).expr for name in self.sure] + [e if kept else Not(e) for e, kept in truths]

    def chance(self, values: Mapping[str, Any]) -> Fraction:
        """P(every party accepts the deal | this combination), by the plain evaluator: 0 unless the deal meets
        every sure rule, else the product of (1 − firm) over the gambles it breaks."""
        scenario = self.scenario
        if any(name not in values or not in_domain(issue, values[name]) for name, issue in scenario.issues.items()):
            return Fraction(0)
        if not all(holds(scenario.rule(name), scenario.issues, values) for name in self.sure):
            return Fraction(0)
        return math.prod((1 - firm for name, firm in self.gambles
                          if not holds(scenario.rule(name), scenario.issues, values)), start=Fraction(1))


def conditions(uncertain: Uncertain) -> list[Condition] | str:
    """Every combination of the conditioning items, in lexicographic order, or why there are too many."""
    items = uncertain.items
    readings = [item for item in items if item.kind is ItemKind.READING]
    if combination_count(readings) > MAX_CONDITIONS:
        return _too_many(combination_count(readings))
    levelled = {party.id for drawn in itertools.product(*(item.values for item in readings))
                for party in uncertain.scenario(drawn).parties if party.accept_at_least is not None}
    conditioning = [i for i, item in enumerate(items) if item.kind is ItemKind.READING or item.party in levelled]
    count = combination_count([items[i] for i in conditioning])
    if count > MAX_CONDITIONS:
        return _too_many(count)
    steady = [_steady(item) for item in items]
    found = []
    for choices in itertools.product(*(range(len(items[i].values)) for i in conditioning)):
        probability = math.prod((items[i].probabilities[c] for i, c in zip(conditioning, choices)), start=Fraction(1))
        if probability == 0:  # (a reading with p: 0, a red line of firm: 0 holding): it adds to no deal
            continue
        chosen = list(steady)
        for i, choice in zip(conditioning, choices):
            chosen[i] = choice
        draw = Draw(tuple(chosen))
        scenario = uncertain.sample(draw)
        red = {rule.name for party in scenario.parties for rule in party.red_lines}
        gambles = tuple((item.name, item.probabilities[item.values.index(HOLDS)]) for i, item in enumerate(items)
                        if i not in conditioning and item.kind is ItemKind.FIRMNESS and item.name in red)
        given = tuple((items[i].name, items[i].label(items[i].values[c])) for i, c in zip(conditioning, choices))
        found.append(Condition(draw, probability, scenario, gambles, given))
    return found


def _too_many(count: int) -> str:
    return (f"the readings and the uncertain items of parties with an accept_at_least level make {count:,} "
            f"combinations, more than the {MAX_CONDITIONS} the most robust deal is computed over")


def _steady(item: UncertainItem) -> int:
    """The value an item keeps outside the conditioning combinations: a red line holds (it is a gamble), a weight
    is nominal (the middle of its range, rounded down)."""
    if item.kind is ItemKind.FIRMNESS:
        return item.values.index(HOLDS)
    return (len(item.values) - 1) // 2


@dataclass(frozen=True)
class Pattern:
    """The gambles one deal keeps, the exact conditional probability that brings, and their integer price."""

    kept: tuple[str, ...]
    chance: Fraction
    value: int  # Σ robust_cost over `kept`


@dataclass(frozen=True)
class Survey:
    best: Pattern | None  # the most probable pattern judged (None: no deal found)
    tied: tuple[Pattern, ...]  # every pattern judged exactly as probable as `best` (`best` first)
    bound: Fraction  # no deal of the combination is accepted with a higher conditional probability
    decided: bool  # whether a deal exists was settled


@dataclass(frozen=True)
class Given:
    """The most robust deal within one combination."""

    condition: Condition
    deal: Deal | None
    bound: Fraction
    decided: bool
    compiled: Compiled | None = None
    required: tuple[str, ...] = ()  # what the deal was found under: the sure rules and the gambles it keeps


def _best_given(condition: Condition, objective: Objective, searcher: Searcher) -> Given:
    compiled = compile_scenario(condition.scenario, enforce_red_lines=False, enforce_facts=False)
    firm = {name: p for name, p in condition.gambles if p > 0}  # firm 0: it always gives way, no bet at stake
    costs = {name: robust_cost(p) for name, p in firm.items()}
    lead = sum((costs[name] * compiled.holds[name] for name in firm if costs[name]), start=0)
    survey = _survey(compiled, condition, firm, costs, lead, searcher)
    if survey.best is None:
        return Given(condition, None, survey.bound, survey.decided)
    required: tuple[str, ...] = (*condition.sure, *survey.best.kept)
    if len(survey.tied) > 1:  # equally probable patterns: the objective chooses among all their deals at once
        _keep_one_of(compiled, list(firm), survey.tied)
        required = condition.sure
    deals, _ = find_deals(compiled, objective, 1, searcher, required=required, with_open=False,
                          leading=[] if isinstance(lead, int) else [lead])
    if not deals:
        return Given(condition, None, survey.bound, False)
    kept = tuple(name for name in firm if holds(condition.scenario.rule(name), condition.scenario.issues,
                                                deals[0].values))
    return Given(condition, deals[0], survey.bound, True, compiled, (*condition.sure, *kept))


def _keep_one_of(compiled: Compiled, names: Sequence[str], patterns: Sequence[Pattern]) -> None:
    """From now on, the model's deals keep exactly the gambles of one of these patterns (the survey is done: the
    model is left holding only the deals as probable as the best, for the objective to rank)."""
    model = compiled.model
    chosen = []
    for number, pattern in enumerate(patterns):
        this = model.new_bool_var(f"pattern[{number}]")
        for name in names:
            lit = compiled.holds[name]
            model.add_bool_or([this.Not(), lit if name in pattern.kept else lit.Not()])
        chosen.append(this)
    model.add_bool_or(chosen)


def _survey(compiled: Compiled, condition: Condition, firm: Mapping[str, Fraction], costs: Mapping[str, int],
            lead: Any, searcher: Searcher) -> Survey:
    """The most probable pattern of gambles kept, judged exactly: patterns in decreasing integer price (each an
    optimisation, the earlier patterns excluded), until a price is so far below the best's that rounding cannot
    make it more probable (below by more than the number of gambles plus one: each price is off by at most ½),
    or none is left. Past MAX_PATTERNS the bound comes from the last price (`_ceiling`)."""
    model = compiled.with_hard(condition.sure)
    names = list(firm)
    slack = len(names) + 1
    best: Pattern | None = None
    tied: tuple[Pattern, ...] = ()
    for _ in range(MAX_PATTERNS):
        outcome, proved, _ = searcher.optimize(model.clone(), [lead])
        if outcome.infeasible:
            return Survey(best, tied, best.chance if best else Fraction(0), True)
        if not outcome.found or not proved:
            return Survey(best, tied, Fraction(1), best is not None)
        truths = _truths(compiled, outcome.solved, condition.sure)
        kept = tuple(name for name in names if truths[name])
        value = sum(costs[name] for name in kept)
        if best is not None and value < best.value - slack:
            return Survey(best, tied, best.chance, True)
        chance = math.prod((1 - firm[name] for name in names if not truths[name]), start=Fraction(1))
        if best is None or chance > best.chance:
            best = Pattern(kept, chance, value)
            tied = (best,)
        elif chance == best.chance:
            tied += (Pattern(kept, chance, value),)
        if not names:
            return Survey(best, tied, best.chance, True)
        model.add_bool_or([compiled.holds[n].Not() if truths[n] else compiled.holds[n] for n in names])
    assert best is not None  # (the loop ran, and each turn either returned or judged a pattern)
    total = sum(costs.values())
    return Survey(best, tied, max(best.chance, _ceiling(total - value, len(names))), True)


def _truths(compiled: Compiled, solver: cpsat.Solver, required: Collection[str]) -> dict[str, bool]:
    """Each rule's truth in the solution, by the plain evaluator (which must agree with the solver's)."""
    values = compiled.decode(solver.value)
    solver_holds = {name: bool(solver.boolean_value(lit)) for name, lit in compiled.holds.items()}
    return verify_deal(compiled.scenario, values, solver_holds, required)


def _ceiling(broken: int, count: int) -> Fraction:
    """An upper bound on the conditional probability of any pattern whose broken gambles' prices sum to at least
    `broken` (each price is off by at most ½; one more unit covers the floating-point logarithm)."""
    exponent = -(broken - count / 2 - 1) / ROBUST_SCALE
    return min(Fraction(1), Fraction(math.exp(exponent)) * (1 + Fraction(1, 10**9)))


def robust_deal(uncertain: Uncertain, objective: Objective | str = Objective.FAIR, *,
                time_limit: float = DEFAULT_TIME_LIMIT, control: Control | None = None) -> RobustDeal:
    """The deal every party accepts with the highest probability (exact, by evaluation), the bound no deal
    exceeds, and the uncertain red lines it gambles on; equally probable deals are ranked by `objective`, then
    canonically. Without any deal even if every uncertain red line gives way: NO_DEAL with a verified conflict."""
    objective = Objective(objective)
    searcher = Searcher(time_limit, control, label=f"'{uncertain.base.title}'")
    searcher.stage = "finding the most robust deal"
    found = conditions(uncertain)
    if isinstance(found, str):
        return RobustDeal(RobustStatus.NOT_COMPUTED, None, Fraction(0), Fraction(1), (), reason=found)
    givens = [_best_given(condition, objective, searcher) for condition in found]
    bound = sum((g.condition.probability * g.bound for g in givens), start=Fraction(0))
    candidates = [(probability(found, g.deal.values), index, g) for index, g in enumerate(givens)
                  if g.deal is not None]
    if not candidates:
        if all(g.decided for g in givens):
            return _no_deal(uncertain, found, searcher)
        return RobustDeal(RobustStatus.NOT_COMPUTED, None, Fraction(0), Fraction(1), (), reason=NO_TIME)
    chance, _, best = _ranked(candidates, found, objective, searcher)
    assert best.deal is not None and best.compiled is not None  # (only givens with a deal are candidates)
    values = best.deal.values
    keeping = list(dict.fromkeys(e for c in found for e in c.keeping(values)))
    deal = with_open_values(best.compiled, best.deal, best.required, searcher, keeping)
    status = RobustStatus.FOUND if chance == bound else RobustStatus.BOUNDED
    accepted = [c for c in found if c.chance(values) > 0]
    bets = set().union(*(gambled(uncertain, c.scenario, values) for c in accepted))
    return RobustDeal(status, deal, chance, bound, tuple(i.name for i in uncertain.items if i.name in bets),
                      scenario=best.condition.scenario,
                      under=best.condition.combination if best.condition.given else None,
                      fails_under=tuple(c.combination for c in found if c.chance(values) == 0))


def _ranked(candidates: Sequence[tuple[Fraction, int, Given]], found: Sequence[Condition], objective: Objective,
            searcher: Searcher) -> tuple[Fraction, int, Given]:
    """The most probable candidate; equally probable ones (different deals found in different combinations) are
    ranked by the objective as `find_deals` ranks deals, in the most probable combination, then canonically."""
    chance = max(c[0] for c in candidates)
    tied = sorted((c for c in candidates if c[0] == chance), key=lambda c: (-c[2].condition.probability, c[1]))
    distinct: list[tuple[Fraction, int, Given]] = []
    for candidate in tied:  # one per deal (the same deal may be the best of several combinations)
        if all(_values(c) != _values(candidate) for c in distinct):
            distinct.append(candidate)
    if len(distinct) == 1:
        return distinct[0]
    likeliest = min(found, key=lambda c: -c.probability)
    compiled = compile_scenario(likeliest.scenario, enforce_red_lines=False, enforce_facts=False)
    model = compiled.model
    chosen = []
    for number, candidate in enumerate(distinct):
        this = model.new_bool_var(f"candidate[{number}]")
        for lit in differs(model, compiled, dict(_values(candidate))):
            model.add_bool_or([this.Not(), lit.Not()])
        chosen.append(this)
    model.add_bool_or(chosen)
    deals, _ = find_deals(compiled, objective, 1, searcher, required=(), with_open=False)
    if not deals:  # (the time limit): the first of them
        return distinct[0]
    return next(c for c in distinct if _values(c) == deals[0].values)


def _values(candidate: tuple[Fraction, int, Given]) -> Mapping[str, Any]:
    deal = candidate[2].deal
    assert deal is not None  # (only givens with a deal are candidates)
    return deal.values


def probability(found: Sequence[Condition], values: Mapping[str, Any]) -> Fraction:
    """P(every party accepts the deal): Σ over the combinations of P(c) · P(accepted | c), by evaluation."""
    return sum((c.probability * c.chance(values) for c in found), start=Fraction(0))


def gambled(uncertain: Uncertain, scenario: Scenario, values: Mapping[str, Any]) -> tuple[str, ...]:
    """The uncertain red lines the deal breaks, by the plain evaluator on the rule as the scenario has it (a red
    line drawn to give way is a demand with the same rule), in the items' (scenario) order."""
    return tuple(item.name for item in uncertain.items
                 if item.kind is ItemKind.FIRMNESS and scenario.has_rule(item.name)
                 and not holds(scenario.rule(item.name), scenario.issues, values))


def _no_deal(uncertain: Uncertain, found: Sequence[Condition], searcher: Searcher) -> RobustDeal:
    """No combination has a deal, whatever gives way: a conflict among what is sure, in the most probable
    combination with every uncertain red line given way (that is one of the combinations, or has the same sure
    rules as one)."""
    likeliest = min(found, key=lambda c: -c.probability)
    draw = Draw(tuple(item.values.index(GIVES_WAY) if item.kind is ItemKind.FIRMNESS else choice
                      for item, choice in zip(uncertain.items, likeliest.draw.choices)))
    compiled = compile_scenario(uncertain.sample(draw), enforce_red_lines=False, enforce_facts=False)
    listed, _ = find_conflicts(compiled, searcher, limit=1)
    conflict = listed[0] if listed else None
    reason = None if conflict else "the time limit ran out before a conflict was verified"
    return RobustDeal(RobustStatus.NO_DEAL, None, Fraction(0), Fraction(0), (), conflict, reason)

