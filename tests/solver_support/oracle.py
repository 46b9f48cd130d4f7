"""The brute-force oracle: every assignment of a tiny scenario's issues, judged by the plain evaluator."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from math import prod
from typing import Any

from feasible.positions.kinds import RELATIONS, issue_type, relation
from feasible.positions.model import Issue, IssueKind, Scenario
from feasible.solver.evaluate import holds
from feasible.solver.result import Objective


def domain(issue: Issue) -> list[Any]:
    """Every value an issue can take, in domain order."""
    return list(issue_type(issue).every_value(issue))


def assignments(issues: dict[str, Issue]):
    names = list(issues)
    for values in itertools.product(*(domain(issues[n]) for n in names)):
        yield dict(zip(names, values))


def satisfaction(scen: Scenario, deal: dict[str, Any]) -> dict[str, Fraction]:
    """Party → satisfaction, for the parties with demands."""
    return {p.id: Fraction(sum(d.weight for d in p.demands if holds(d, scen.issues, deal)), p.demand_weight)
            for p in scen.parties if p.demand_weight}


def objective_value(objective: Objective, sats: dict[str, Fraction], left_out: frozenset[str] = frozenset()):
    """The exact value each objective maximises (tuples compare lexicographically). `fair` takes the lowest
    satisfaction over the parties not `left_out` (those no deal can satisfy, docs/check.md)."""
    values = list(sats.values())
    if not values:
        return 0
    if objective is Objective.FAIR:
        return (min(s for p, s in sats.items() if p not in left_out), sum(values))
    if objective is Objective.WELFARE:
        return sum(values)
    return prod(values, start=Fraction(1))


def left_out(scen: Scenario, deals: list[dict[str, Any]]) -> frozenset[str]:
    """The parties with demands that none of `deals` satisfies at all (unless that is all of them): `fair` leaves
    them out of the lowest satisfaction."""
    sats = [satisfaction(scen, d) for d in deals]
    never = {p for p in (sats[0] if sats else {}) if all(s[p] == 0 for s in sats)}
    return frozenset(never) if sats and len(never) < len(sats[0]) else frozenset()


def is_deal(scen: Scenario, deal: dict[str, Any]) -> bool:
    return all(holds(r, scen.issues, deal) for r in scen.facts + scen.red_lines)


def differing(a: dict[str, Any], b: dict[str, Any]) -> int:
    return sum(1 for name in a if a[name] != b[name])


@dataclass
class Oracle:
    scenario: Scenario

    @cached_property
    def deals(self) -> list[dict[str, Any]]:
        return [a for a in assignments(self.scenario.issues) if is_deal(self.scenario, a)]

    @cached_property
    def left_out(self) -> frozenset[str]:
        return left_out(self.scenario, self.deals)

    def value(self, objective: Objective, deal: dict[str, Any]):
        return objective_value(objective, satisfaction(self.scenario, deal), self.left_out)

    def best(self, objective: Objective):
        return max(self.value(objective, d) for d in self.deals)

    def room(self) -> dict[str, dict[str, Any]]:
        """Issue → what `Room` should say: possible (bool/enum, domain order), minimum/maximum (int),
        in_every_deal/in_no_deal (set, issue order), phases/relations (sequence: each step's phases, each pair's
        relations, in step order); plus `forced`: (True, value) or (False, None)."""
        expected = {}
        for name, issue in self.scenario.issues.items():
            seen = [d[name] for d in self.deals]
            distinct = {v for v in seen}
            forced = (True, seen[0]) if len(distinct) == 1 else (False, None)
            if issue.kind is IssueKind.INT:
                entry = {"minimum": min(seen), "maximum": max(seen)}
            elif issue.kind is IssueKind.SEQUENCE:
                top = issue.phases or len(issue.steps)
                entry = {"phases": tuple((step, tuple(k for k in range(top + 1) if any(v.phase(step) == k
                                                                                       for v in distinct)))
                                         for step in issue.steps),
                         "relations": tuple((a, b, tuple(r for r in RELATIONS
                                                         if any(relation(v, a, b) == r for v in distinct)))
                                            for a, b in itertools.combinations(issue.steps, 2))}
            elif issue.kind is IssueKind.SET:
                entry = {"in_every_deal": tuple(v for v in issue.values if all(v in s for s in seen)),
                         "in_no_deal": tuple(v for v in issue.values if not any(v in s for s in seen))}
            else:
                entry = {"possible": tuple(v for v in domain(issue) if v in distinct)}
            entry["forced"] = forced
            expected[name] = entry
        return expected
