"""Finding the best deal and K alternatives, each checked by the plain evaluator."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

from feasible.positions.kinds import issue_type
from feasible.positions.model import Party

from . import cpsat
from .compile import Compiled
from .objectives import objective_stages, prepare_utilities
from .open import with_open_values
from .result import Deal, Objective, PartyOutcome
from .search import Outcome, Searcher
from .utility import block_utilities
from .verify import verify_deal


def read_deal(compiled: Compiled, solver: cpsat.Solver, optimal: bool,
              required: Collection[str] | None = None) -> Deal:
    """Decode a solution, verify it independently (every `required` rule must hold; by default every fact
    and red line), and describe what each party gets."""
    values = compiled.decode(solver.value)
    truth = {name: bool(solver.boolean_value(lit)) for name, lit in compiled.holds.items()}
    verify_deal(compiled.scenario, values, truth, required)
    return Deal(values, party_outcomes(compiled.scenario.parties, truth, block_utilities(compiled.scenario, values)),
                optimal)


def party_outcomes(parties: Sequence[Party], truth: Mapping[str, bool],
                   utilities: Mapping[str, Fraction] | None = None) -> tuple[PartyOutcome, ...]:
    """What each party gets in a deal, from the truth of its demands (rule name → whether the deal meets it) and
    the utilities of the parties with a utility block (solver/utility.py block_utilities)."""
    outcomes = []
    for party in parties:
        met = tuple(d.name for d in party.demands if truth[d.name])
        unmet = tuple(d.name for d in party.demands if not truth[d.name])
        weight = sum(d.weight for d in party.demands if truth[d.name])
        satisfaction = Fraction(weight, party.demand_weight) if party.demand_weight else None
        outcomes.append(PartyOutcome(party.id, party.name, satisfaction, met, unmet,
                                     (utilities or {}).get(party.id)))
    return tuple(outcomes)


def differs(model: cpsat.Model, compiled: Compiled, deal: dict[str, Any]) -> list:
    """One literal per issue, true when the issue's value differs from `deal`'s."""
    return [iv.encoder.differs(model, iv, deal[name]) for name, iv in compiled.issues.items()]


STAGE_RADIX = 1 << 48  # distances to the anchors share a tie-breaking stage while their product stays below this


def find_deals(compiled: Compiled, objective: Objective, count: int, searcher: Searcher,
               required: Collection[str] | None = None, with_open: bool = True,
               near: Collection[str] = (), leading: Sequence = ()) -> tuple[list[Deal], Outcome]:
    """Up to `count` (at least 1) deals, best first, each differing from every earlier one on at least one issue and,
    among equally good ones, on as many issues as possible. `required` names the rules every deal must meet
    (default: every fact and red line). With `fair`, parties that no deal can satisfy at all are left out of
    the lowest satisfaction (each deal names them in `left_out`). Each deal carries its open values unless
    `with_open` is false. `near`: issues whose anchors come first, before the objective: the deals that move the
    fewest of them from their anchor rank first (the nearest deal to a package, whose values are then its
    issues' status quo). `leading`: stages maximised before everything else (before `near`'s and the objective's),
    integer expressions over the compiled model's own variables (valid in every copy of it), e.g. a weighted sum
    of rules' `holds` literals (the most robust deal, solver/robust.py). Returns the deals and the first search
    outcome (INFEASIBLE there means no deal exists)."""
    scenario = compiled.scenario
    if required is None:
        required = [r.name for r in scenario.facts + scenario.red_lines]
    prepare_utilities(compiled)
    base = compiled.with_hard(required)
    deals: list[Deal] = []
    first: Outcome | None = None
    left_out: tuple[str, ...] = ()
    leading = [*leading, *([-moved_from_anchors(compiled, base, near)] if near else [])]
    for _ in range(count):
        deal, outcome = _next_deal(compiled, objective, base, deals, searcher, required, left_out, leading)
        first = first or outcome
        if deal is None:
            break
        if objective is Objective.FAIR and not deals:
            left_out, decided = unsatisfiable_parties(compiled, base, deal, searcher)
            if not decided:  # a party the time limit kept in may be one no deal satisfies: then not proved fair
                deal = replace(deal, optimal=False)
            if left_out:  # measured over every party, the lowest is 0 in every deal: measure it over the others
                fairer, _ = _next_deal(compiled, objective, base, deals, searcher, required, left_out, leading)
                deal = fairer or replace(deal, optimal=False, gap=1.0)
        deal = replace(deal, left_out=left_out)
        deals.append(with_open_values(compiled, deal, required, searcher) if with_open else deal)
    assert first is not None, "find_deals needs a count of at least 1"  # (then the loop ran: first is its outcome)
    return deals, first


def _next_deal(compiled: Compiled, objective: Objective, base: cpsat.Model, earlier: list[Deal],
               searcher: Searcher, required: Collection[str], left_out: Collection[str], leading: Sequence = ()
               ) -> tuple[Deal | None, Outcome]:
    """The best deal that differs from every earlier one (and among equally good ones, differs most); `leading`
    stages (expressions of `base`) come before the objective's."""
    model = base.clone()
    stages = [*leading, *objective_stages(objective, compiled, model, left_out)]
    scored = len(stages)
    spread = []
    for deal in earlier:
        lits = differs(model, compiled, deal.values)
        model.add_bool_or(lits)
        spread += lits
    if spread:
        stages = stages + [sum(spread)]
    ties, ceilings = closest_to_anchors(compiled, model)
    unknown = [None] * len(stages)  # the objective's stages have no ceiling known in advance
    outcome, proved, gap = searcher.optimize(model, stages + ties, scored, [*unknown, *ceilings])
    if not outcome.found:
        return None, outcome
    return replace(read_deal(compiled, outcome.solved, proved, required), gap=gap), outcome


def moved_from_anchors(compiled: Compiled, model: cpsat.Model, issues: Collection[str]):
    """How many of these issues are away from their anchor (status quo, else default), as an expression."""
    return sum(iv.encoder.differs(model, iv, issue_type(iv.issue).anchor(iv.issue))
               for name, iv in compiled.issues.items() if name in issues)


def closest_to_anchors(compiled: Compiled, model: cpsat.Model) -> tuple[list, list[int]]:
    """The stages that pick one deal among equally good ones, whatever the solver's seed, and the most each can
    reach (0): as few issues as possible away from their anchor (status quo, else default: positions/kinds.py
    `anchor`), then each issue in the scenario's order as close to its anchor as possible (its encoder's
    `closeness`). Consecutive distances share a stage as the digits of one number (most significant first), which
    orders deals exactly as one stage each would, with fewer solves."""
    issues = [(iv, issue_type(iv.issue).anchor(iv.issue)) for iv in compiled.issues.values()]
    away = moved_from_anchors(compiled, model, compiled.issues)
    stages = []
    number, radix = 0, 1
    for distance, largest in [(away, len(issues)), *(d for iv, _ in issues for d in iv.encoder.closeness(model, iv))]:
        if radix * (largest + 1) > STAGE_RADIX and radix > 1:
            stages.append(-number)
            number, radix = 0, 1
        number, radix = number * (largest + 1) + distance, radix * (largest + 1)
    if radix > 1:
        stages.append(-number)
    return stages, [0] * len(stages)


def unsatisfiable_parties(compiled: Compiled, base: cpsat.Model, deal: Deal, searcher: Searcher
                          ) -> tuple[tuple[str, ...], bool]:
    """The parties (ids) that no deal can satisfy at all (each proved: no deal meets any of their demands),
    unless that is every party with demands, and whether every party at 0 was decided. Only parties at 0 in
    `deal` can be; a party whose proof the time limit cuts short counts as satisfiable (and is undecided)."""
    zero = [party for party, value in deal.utilities().items() if value == 0]
    unsatisfiable = []
    decided = True
    for party_id in zero:
        model = base.clone()
        if party_id in compiled.utilities:  # a utility block's (solver/objectives.py prepare_utilities)
            model.add(compiled.utilities[party_id] >= 1)
        else:
            model.add_bool_or([compiled.holds[d.name] for d in compiled.scenario.party(party_id).demands])
        outcome = searcher.solve(model, presolve=False)
        if outcome.infeasible:
            unsatisfiable.append(party_id)
        elif not outcome.found:
            decided = False
    with_demands = len(deal.utilities())
    return (tuple(unsatisfiable) if len(unsatisfiable) < with_demands else ()), decided
