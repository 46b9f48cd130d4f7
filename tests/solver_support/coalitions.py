"""Coalitions by brute force, exactly as docs/check.md "Coalitions" defines them: every subset of parties judged by
every assignment of the issues (the plain evaluator), and random consent scopes for tiny scenarios."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from itertools import combinations
from typing import Any

from hypothesis import strategies as st

from feasible.positions.model import Scenario
from feasible.positions.rules.syntax import Compare, Name, Not
from feasible.positions.targets import value_literal
from feasible.solver.evaluate import evaluate, holds

from .build import party, scenario
from .oracle import Oracle, assignments, domain
from .strategies import conditions, issue_sets, loose_conditions


def subsets(items) -> list[frozenset]:
    items = list(items)
    return [frozenset(c) for size in range(len(items) + 1) for c in combinations(items, size)]


@dataclass
class CoalitionOracle:
    """Which coalitions have a deal: for every assignment, whether the facts hold and which parties' red lines
    (accept_at_least levels included) all hold."""

    scenario: Scenario

    @cached_property
    def judged(self) -> list[tuple[dict[str, Any], bool, frozenset[str]]]:
        scen = self.scenario
        judged = []
        for deal in assignments(scen.issues):
            facts = all(holds(r, scen.issues, deal) for r in scen.facts)
            accepting = frozenset(p.id for p in scen.parties if all(holds(r, scen.issues, deal) for r in p.binding))
            judged.append((deal, facts, accepting))
        return judged

    @cached_property
    def facts_hold(self) -> bool:
        return any(facts for _, facts, _ in self.judged)

    def has_deal(self, coalition) -> bool:
        return any(facts and set(coalition) <= accepting for _, facts, accepting in self.judged)

    def maximal(self, considered, included=()) -> set[frozenset]:
        """Coalitions containing `included` with a deal, none of whose strict supersets within `considered` has one."""
        fixed = frozenset(included)
        return {s for s in subsets(considered) if fixed <= s and self.has_deal(s)
                and not any(self.has_deal(s | {p}) for p in considered if p not in s)}

    def blocking(self, items, included=()) -> set[frozenset]:
        """Groups G of `items` without a deal together with `included`, every one-smaller group having one."""
        fixed = frozenset(included)
        return {g for g in subsets(items) if not self.has_deal(fixed | g)
                and all(self.has_deal(fixed | (g - {p})) for p in g)}

    def sat(self, rules, pinned: dict[str, Any] | None = None) -> bool:
        """Whether some assignment meets these rules (and gives the pinned issues their values)."""
        issues = self.scenario.issues
        return any(all(deal[n] == v for n, v in (pinned or {}).items()) and all(holds(r, issues, deal) for r in rules)
                   for deal, _, _ in self.judged)


def completable_as_good(scen: Scenario, members, considered, objective) -> bool:
    """Whether some best sub-agreement (docs/check.md "Coalitions": the settled part of a deal meeting the facts
    and the members' red lines whose members' objective is the best) can be completed: some deal keeps its
    settled values and meets the facts and every considered party's red lines."""
    ours = Oracle(replace(scen, parties=tuple(p for p in scen.parties if p.id in set(members))))
    brute = CoalitionOracle(scen)
    best = ours.best(objective)
    issues = settled(scen, members, considered)
    everyone = [*scen.facts, *(r for p in scen.parties if p.id in set(considered) for r in p.binding)]
    return any(ours.value(objective, d) == best and brute.sat(everyone, {n: d[n] for n in issues})
               for d in ours.deals)


def members_among_everyones(scen: Scenario, members, considered) -> Oracle:
    """The members' objective over the deals every considered party accepts (the outsiders' red lines as facts):
    the alternative sub-agreement is the settled part of its best deal."""
    outside = tuple(r for p in scen.parties if p.id in set(considered) and p.id not in set(members)
                    for r in p.binding)
    return Oracle(replace(scen, facts=scen.facts + outside,
                          parties=tuple(p for p in scen.parties if p.id in set(members))))


def consenting(scenario: Scenario, issue: str) -> frozenset[str]:
    """The consent rule read off docs/format.md "Consent scopes", written apart from Scenario.consenting."""
    written = scenario.issues[issue].consent
    if written is not None:
        return frozenset(written)
    return frozenset(p.id for p in scenario.parties if p.consent is None or issue in p.consent)


def settled(scenario: Scenario, coalition, considered) -> list[str]:
    return [n for n in scenario.issues if all(p in coalition for p in consenting(scenario, n) if p in considered)]


@st.composite
def with_consent(draw, scen: Scenario) -> Scenario:
    """The scenario with random consent scopes: some issues list their consenting parties, some parties list the
    issues needing their consent, agreeing with the issues' lists (as the loader requires)."""
    ids = [p.id for p in scen.parties]
    issues = {}
    for name, issue in scen.issues.items():
        listed = draw(st.none() | st.lists(st.sampled_from(ids), unique=True, max_size=len(ids) - 1))
        issues[name] = replace(issue, consent=None if listed is None else tuple(p for p in ids if p in listed))
    parties = []
    for each in scen.parties:
        if draw(st.booleans()):
            named = [n for n, i in issues.items() if i.consent is not None and each.id in i.consent]
            free = [n for n, i in issues.items() if i.consent is None]
            chosen = draw(st.lists(st.sampled_from(free), unique=True, max_size=len(free))) if free else []
            each = replace(each, consent=tuple(n for n in issues if n in named or n in chosen))
        parties.append(each)
    return replace(scen, issues=issues, parties=tuple(parties))


@st.composite
def camp_scenarios(draw, max_parties: int = 4) -> Scenario:
    """A tiny scenario whose parties fall into camps: each camp has an assignment of its own, and each party's
    red lines hold in its camp's assignment (facts in the first camp's), so that coalitions within a camp agree
    and coalitions across camps often do not: lattices with several maximal coalitions and blocking groups. A
    party's accept_at_least level, when it has one, is within what its camp's assignment meets."""
    issues = draw(issue_sets())
    count = draw(st.integers(2, 3))
    camps = [{n: draw(st.sampled_from(domain(i))) for n, i in issues.items()} for _ in range(count)]
    loose, cond = loose_conditions(issues), conditions(issues)

    def binding(expr, planted):
        return expr if evaluate(expr, issues, planted) else Not(expr)

    facts = [binding(e, camps[0]) for e in draw(st.lists(loose, max_size=2))]
    parties = []
    for index in range(draw(st.integers(2, max_parties))):
        camp = draw(st.sampled_from(camps))
        red = [binding(e, camp) for e in draw(st.lists(loose, min_size=1, max_size=3))]
        marked = draw(st.lists(st.sampled_from(list(issues)), unique=True, min_size=1, max_size=2))
        for name in marked:  # values of the camp's own: parties of other camps often want others
            red.append(Compare((Name(name), value_literal(camp[name])), ("==",)))
        demands = draw(st.lists(st.tuples(cond, st.integers(1, 3)), min_size=1, max_size=3))
        accept = None
        if draw(st.integers(0, 3)) == 3:
            met = sum(w for e, w in demands if evaluate(e, issues, camp))
            accept = draw(st.integers(0, 100 * met // sum(w for _, w in demands)))
        parties.append(party(f"p{index}", red, demands, accept))
    return scenario(issues, parties, facts)
