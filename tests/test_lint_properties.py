"""`feasible lint`'s checks of deals and comparisons against brute force on tiny random scenarios (issue 15,
point 7): every assignment of the issues is judged by the plain evaluator, and from that the demands met in
every deal or in none, the comparisons true for every value or for none, the implications met only vacuously
and the rules another party's rule implies are derived and compared with what lint reports.

"Every deal" is the deals meeting the facts and red lines; when there is none, those meeting the facts alone
(and when there is none either, lint reports nothing about deals)."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings

from conftest import examples
from feasible.positions.model import RuleKind, Scenario
from feasible.positions.rules.syntax import Compare, Membership, children
from feasible.solver.evaluate import evaluate, holds
from feasible.solver.lint import lint
from feasible.solver.lint.deals import implications
from solver_support import GENEROUS
from solver_support.oracle import assignments
from solver_support.strategies import scenarios

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def nodes(expr):
    yield expr
    for child in children(expr):
        yield from nodes(child)


def every_deal(scen: Scenario) -> tuple[str, list[dict]]:
    """Which deals lint's checks of deals speak of, by brute force."""
    every = list(assignments(scen.issues))
    facts = [a for a in every if all(holds(f, scen.issues, a) for f in scen.facts)]
    deals = [a for a in facts if all(holds(r, scen.issues, a) for r in scen.red_lines)]
    return ("deals", deals) if deals else ("facts", facts) if facts else ("none", [])


def found(scen: Scenario, codes: list[str]) -> Counter:
    result = lint(scen, codes, time_limit=GENEROUS)
    assert not result.cut_short
    return Counter((f.code, f.at.name) for f in result.findings)


@settings(PROPERTY, max_examples=examples(150))
@given(scenarios())
def test_demands_met_in_every_deal_or_in_none_as_brute_force(scen):
    which, deals = every_deal(scen)
    expected = Counter()
    for demand in scen.demands if deals else ():
        met = [holds(demand, scen.issues, deal) for deal in deals]
        if all(met):
            expected[("FL101", demand.name)] += 1
        if not any(met):
            expected[("FL102", demand.name)] += 1
    result = lint(scen, ["FL101", "FL102"], time_limit=GENEROUS)
    assert result.deals == which and not result.cut_short
    assert Counter((f.code, f.at.name) for f in result.findings) == expected


@settings(PROPERTY, max_examples=examples(150))
@given(scenarios())
def test_comparisons_always_or_never_true_as_brute_force(scen):
    every = list(assignments(scen.issues))
    expected = Counter()
    for rule in (r for r in scen.rules() if not r.is_acceptance):
        for node in nodes(rule.expr):
            if isinstance(node, (Compare, Membership)):
                truth = {bool(evaluate(node, scen.issues, a, rule.types)) for a in every}
                if truth == {True}:
                    expected[("FL201", rule.name)] += 1
                elif truth == {False}:
                    expected[("FL202", rule.name)] += 1
    assert found(scen, ["FL201", "FL202"]) == expected


@settings(PROPERTY, max_examples=examples(100))
@given(scenarios())
def test_implications_met_only_vacuously_as_brute_force(scen):
    _, deals = every_deal(scen)
    expected = Counter()
    for rule in (r for p in scen.parties for r in p.red_lines + p.demands) if deals else ():
        for node in implications(rule.expr):
            conditions = [bool(evaluate(node.left, scen.issues, d, rule.types)) for d in deals]
            both = [c and bool(evaluate(node.right, scen.issues, d, rule.types)) for c, d in zip(conditions, deals)]
            if not any(conditions):
                expected[("FL103", rule.name)] += 1
            elif not any(both):
                expected[("FL104", rule.name)] += 1
    assert found(scen, ["FL103", "FL104"]) == expected


@settings(PROPERTY, max_examples=examples(100))
@given(scenarios())
def test_positions_implied_by_another_partys_as_brute_force(scen):
    """Under the facts: A is implied by B when every assignment meeting the facts and B meets A; rules that hold
    in every such assignment, or in none, are set aside (they imply, or are implied by, everything)."""
    world = [a for a in assignments(scen.issues) if all(holds(f, scen.issues, a) for f in scen.facts)]
    positions = [r for p in scen.parties for r in p.red_lines + p.demands]
    truth = {r.name: [holds(r, scen.issues, a) for a in world] for r in positions}
    usable = [r for r in positions if any(truth[r.name]) and not all(truth[r.name])]
    implied = {a.name: {b.name for b in usable if b.owner != a.owner and b.kind is a.kind
                        and all(ta or not tb for ta, tb in zip(truth[a.name], truth[b.name]))}
               for a in usable}
    expected = Counter()
    order = {r.name: i for i, r in enumerate(scen.rules())}
    for name, by in implied.items():
        same = {b for b in by if name in implied[b]}
        if {b for b in same if order[b] < order[name]} or by - same:
            expected[("FL106" if scen.rule(name).kind is RuleKind.DEMAND else "FL105", name)] += 1
    assert found(scen, ["FL105", "FL106"]) == expected
