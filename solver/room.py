"""Room: which values of each issue occur in at least one deal.

Solution-guided: every deal found (the best deal, alternatives, and each deal found while probing) counts
as a witness for all the values it contains, so a value is probed with its own solve only when no deal
seen so far has it. Int issues get their bounds by one minimisation and one maximisation each, skipped
when a witness already sits at the domain's end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import cpsat
from .compile import Compiled
from .deals import read_deal
from .result import Deal, Room
from .search import Searcher


@dataclass
class _Witnesses:
    compiled: Compiled
    seen: dict[str, set] = field(default_factory=dict)  # issue → what deals show of it (its encoder's `witnessed`)
    deals: list[Deal] = field(default_factory=list)

    def add(self, deal: Deal) -> None:
        self.deals.append(deal)
        for name, value in deal.values.items():
            iv = self.compiled.issues[name]
            self.of(name).update(iv.encoder.witnessed(iv.issue, value))

    def of(self, name: str) -> set:
        return self.seen.setdefault(name, set())


@dataclass
class _Prober:
    """Solves on the shared probing model (facts and red lines enforced), adding every deal found as a witness;
    an issue whose search runs out of time is marked incomplete."""

    compiled: Compiled
    model: cpsat.Model
    witnesses: _Witnesses
    searcher: Searcher
    incomplete: set[str] = field(default_factory=set)

    def assume(self, name: str, literals: list) -> None:
        if self.searcher.remaining() <= 0:  # out of time: say so without building anything
            self.incomplete.add(name)
            return
        outcome = self.searcher.solve_assuming(self.model, literals)
        if outcome.found:
            self.witnesses.add(read_deal(self.compiled, outcome.solved, optimal=False))
        elif not outcome.infeasible:
            self.incomplete.add(name)

    def optimise(self, name: str, var, maximise: bool) -> None:
        """Minimise or maximise on the shared model (its objective is set, then cleared)."""
        if self.searcher.remaining() <= 0:
            self.incomplete.add(name)
            return
        if maximise:
            self.model.maximize(var)
        else:
            self.model.minimize(var)
        outcome = self.searcher.solve(self.model)
        self.model.clear_objective()
        if outcome.found:
            self.witnesses.add(read_deal(self.compiled, outcome.solved, optimal=False))
            if outcome.status != cpsat.OPTIMAL:
                self.incomplete.add(name)
        elif not outcome.infeasible:
            self.incomplete.add(name)


def compute_room(compiled: Compiled, deals: list[Deal], searcher: Searcher) -> tuple[dict[str, Room], list[Deal]]:
    """The room on every issue, and every deal seen on the way (each a witness, verified)."""
    witnesses = _Witnesses(compiled)
    for deal in deals:
        witnesses.add(deal)
    required = [r.name for r in compiled.scenario.facts + compiled.scenario.red_lines]
    prober = _Prober(compiled, compiled.with_hard(required), witnesses, searcher)
    for name, iv in compiled.issues.items():
        iv.encoder.probe(iv, witnesses.of(name), prober)
    room = {name: iv.encoder.room(iv.issue, witnesses.of(name), name not in prober.incomplete)
            for name, iv in compiled.issues.items()}
    return room, witnesses.deals
