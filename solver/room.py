"""Room: which values of each issue occur in at least one deal.

Solution-guided: every deal found (the best deal, alternatives, and each deal found while probing) counts
as a witness for all the values it contains, so a value is probed with its own solve only when no deal
seen so far has it. Int issues get their bounds by one minimisation and one maximisation each, skipped
when a witness already sits at the domain's end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from positions.model import IssueKind

from . import cpsat
from .compile import Compiled
from .deals import read_deal
from .result import Deal, Room
from .search import Searcher


@dataclass
class _Witnesses:
    compiled: Compiled
    seen: dict[str, set] = field(default_factory=dict)  # issue → values seen (set issues: (value, in?) pairs)
    low: dict[str, int] = field(default_factory=dict)
    high: dict[str, int] = field(default_factory=dict)
    deals: list[Deal] = field(default_factory=list)

    def add(self, deal: Deal) -> None:
        self.deals.append(deal)
        for name, value in deal.values.items():
            kind = self.compiled.issues[name].issue.kind
            if kind is IssueKind.INT:
                self.low[name] = min(self.low.get(name, value), value)
                self.high[name] = max(self.high.get(name, value), value)
            elif kind is IssueKind.SET:
                values = self.compiled.issues[name].issue.values
                self.seen.setdefault(name, set()).update((v, v in value) for v in values)
            else:
                self.seen.setdefault(name, set()).add(value)


def compute_room(compiled: Compiled, deals: list[Deal], searcher: Searcher) -> tuple[dict[str, Room], list[Deal]]:
    """The room on every issue, and every deal seen on the way (each a witness, verified)."""
    witnesses = _Witnesses(compiled)
    for deal in deals:
        witnesses.add(deal)
    required = [r.name for r in compiled.scenario.facts + compiled.scenario.red_lines]
    model = compiled.with_hard(required)
    incomplete: set[str] = set()

    def probe(name: str, literals: list) -> None:
        if searcher.remaining() <= 0:  # out of time: say so without building anything
            incomplete.add(name)
            return
        model.clear_assumptions()
        model.add_assumptions(literals)
        outcome = searcher.solve(model, presolve=False)
        model.clear_assumptions()
        if outcome.found:
            witnesses.add(read_deal(compiled, outcome.solver, optimal=False))
        elif not outcome.infeasible:
            incomplete.add(name)

    for name, iv in compiled.issues.items():
        issue = iv.issue
        if issue.kind in (IssueKind.BOOL, IssueKind.ENUM):
            for value in ((False, True) if issue.kind is IssueKind.BOOL else issue.values):
                if value not in witnesses.seen.get(name, set()):
                    probe(name, compiled.value_literals(name, value))
        elif issue.kind is IssueKind.SET:
            for value in issue.values:
                for included in (True, False):
                    if (value, included) not in witnesses.seen.get(name, set()):
                        probe(name, [iv.lits[value] if included else iv.lits[value].Not()])
        else:
            _int_bounds(compiled, model, name, witnesses, searcher, incomplete)
    room = {name: _room(compiled, name, witnesses, name not in incomplete) for name in compiled.issues}
    return room, witnesses.deals


def _int_bounds(compiled: Compiled, model, name: str, witnesses: _Witnesses, searcher: Searcher,
                incomplete: set) -> None:
    """Minimise and maximise one int issue on the shared probing model (its objective is set, then cleared)."""
    issue = compiled.issues[name].issue
    var = compiled.issues[name].var
    for direction, bound, known in (("min", issue.min, witnesses.low), ("max", issue.max, witnesses.high)):
        if known.get(name) == bound:
            continue
        if searcher.remaining() <= 0:
            incomplete.add(name)
            continue
        if direction == "min":
            model.minimize(var)
        else:
            model.maximize(var)
        outcome = searcher.solve(model)
        model.clear_objective()
        if outcome.found:
            witnesses.add(read_deal(compiled, outcome.solver, optimal=False))
            if outcome.status != cpsat.OPTIMAL:
                incomplete.add(name)
        elif not outcome.infeasible:
            incomplete.add(name)


def _room(compiled: Compiled, name: str, witnesses: _Witnesses, complete: bool) -> Room:
    issue = compiled.issues[name].issue
    if issue.kind is IssueKind.INT:
        return Room(name, minimum=witnesses.low.get(name), maximum=witnesses.high.get(name), complete=complete)
    seen = witnesses.seen.get(name, set())
    if issue.kind is IssueKind.SET:
        every = tuple(v for v in issue.values if (v, False) not in seen and (v, True) in seen)
        never = tuple(v for v in issue.values if (v, True) not in seen and (v, False) in seen)
        return Room(name, in_every_deal=every, in_no_deal=never, values=issue.values, complete=complete)
    domain: tuple[Any, ...] = (False, True) if issue.kind is IssueKind.BOOL else issue.values
    return Room(name, possible=tuple(v for v in domain if v in seen), complete=complete)
