"""`solver.packages.compare_packages` against brute force on tiny random scenarios with random partial packages:
the judgements, each party's satisfaction, the nearest acceptable deal (fewest package issues changed, acceptable
to all, best by the objective among those, canonical with the package's values as anchors) and, without a deal,
the relaxation chosen among check's cheapest (docs/cli.md gives the definitions)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.kinds import issue_type
from feasible.positions.packages import Package, PackageValue
from feasible.positions.rules.syntax import names
from feasible.solver import Objective, Verdict
from feasible.solver.evaluate import holds
from feasible.solver.packages import Judgement, anchored, compare_packages
from solver_support import GENEROUS
from solver_support.oracle import Oracle, domain, is_deal
from solver_support.strategies import scenarios

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def with_packages(draw, count: int = 1):
    """A random scenario with `count` random packages, each settling a random subset of the issues (maybe none,
    maybe all) at random values."""
    scen = draw(scenarios())
    packages = []
    for index in range(count):
        values = tuple(PackageValue(name, draw(st.sampled_from(domain(issue))))
                       for name, issue in scen.issues.items() if draw(st.booleans()))
        packages.append(Package(f"plan-{index}", f"Plan {index}", values))
    return replace(scen, packages=tuple(packages))


def completions(scen, package):
    """Every assignment of the issues that agrees with the package."""
    given = package.assignment
    free = [n for n in scen.issues if n not in given]
    for values in itertools.product(*(domain(scen.issues[n]) for n in free)):
        yield {**given, **dict(zip(free, values))} if free else dict(given)


def admitted(scen, package) -> list[dict]:
    """The completions every fact holds in (none: the facts taken together do not admit the package)."""
    return [d for d in completions(scen, package) if all(holds(f, scen.issues, d) for f in scen.facts)]


def brute_judgement(scen, package, rule) -> tuple[Judgement, tuple[str, ...]]:
    """A fact on its own; a red line or demand over the completions the facts admit (all, when they admit none)."""
    world = [] if rule.is_fact else admitted(scen, package)
    truths = {holds(rule, scen.issues, d) for d in world or completions(scen, package)}
    if truths == {True}:
        return Judgement.KEPT, ()
    if truths == {False}:
        return Judgement.BROKEN, ()
    open_mentioned = tuple(n for n in scen.issues if n in names(rule.expr) and n not in package.assignment)
    return Judgement.DEPENDS, open_mentioned


def moved(package, deal) -> int:
    return sum(1 for v in package.values if deal[v.issue] != v.value)


def brute_nearest(scen, package, objective):
    """The documented nearest acceptable deal: the fewest package issues changed, then the best by the objective,
    then the canonical tie-breaking with the package's values as anchors; and the fewest changes."""
    oracle = Oracle(scen)
    if not oracle.deals:
        return None, None
    fewest = min(moved(package, d) for d in oracle.deals)
    nearest = [d for d in oracle.deals if moved(package, d) == fewest]
    best = max(oracle.value(objective, d) for d in nearest)
    kinds = anchored(scen, package).issues

    def key(deal):
        away = sum(deal[n] != issue_type(i).anchor(i) for n, i in kinds.items())
        return (away, *(issue_type(i).closeness(i, deal[n]) for n, i in kinds.items()))

    return min((d for d in nearest if oracle.value(objective, d) == best), key=key), fewest


@settings(PROPERTY, max_examples=examples(120))
@given(scen=with_packages(), objective=st.sampled_from(list(Objective)))
def test_judgements_and_satisfaction_equal_brute_force_over_completions(scen, objective):
    result = compare_packages(scen, objective=objective, time_limit=GENEROUS)
    (compared,) = result.packages
    package = compared.package
    assert compared.admitted == bool(admitted(scen, package))
    for judged in compared.judgements:
        assert (judged.judgement, judged.depends_on) == brute_judgement(scen, package, scen.rule(judged.rule)), \
            judged.rule
    for p in scen.parties:
        if not p.demand_weight:
            continue
        verdicts = [brute_judgement(scen, package, d)[0] for d in p.demands]
        expected = None if Judgement.DEPENDS in verdicts else Fraction(
            sum(d.weight for d, v in zip(p.demands, verdicts) if v is Judgement.KEPT), p.demand_weight)
        assert compared.satisfaction[p.id] == expected, p.id


@settings(PROPERTY, max_examples=examples(150))
@given(scen=with_packages(), objective=st.sampled_from(list(Objective)))
def test_nearest_acceptable_deal_equals_brute_force(scen, objective):
    """With a deal: the nearest changes the fewest package issues of all deals (brute force), is acceptable to
    every party, is the best by the objective among those, and is the canonical one among equals."""
    result = compare_packages(scen, objective=objective, time_limit=GENEROUS)
    (compared,) = result.packages
    package = compared.package
    expected, fewest = brute_nearest(scen, package, objective)
    if expected is None:
        assert result.verdict is Verdict.NO_DEAL
        return
    assert result.verdict is Verdict.DEAL and result.decided
    nearest = compared.nearest
    assert nearest is not None and nearest.relaxation is None
    deal = nearest.deal.values
    assert is_deal(scen, deal)
    assert len(nearest.changes) == moved(package, deal) == fewest
    assert [(c.issue, c.package, c.deal) for c in nearest.changes] == [
        (v.issue, v.value, deal[v.issue]) for v in package.values if deal[v.issue] != v.value]
    oracle = Oracle(scen)
    assert oracle.value(objective, deal) == oracle.value(objective, expected)
    if objective is not Objective.NASH:  # its logarithms are rounded: ties in the product may be broken either way
        assert deal == expected
    for gain in nearest.gains:
        assert gain.package == compared.satisfaction[gain.party]
        assert gain.deal == nearest.deal.satisfaction()[gain.party]


@settings(PROPERTY, max_examples=examples(80))
@given(scen=with_packages(), objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
def test_without_a_deal_the_relaxation_whose_deal_changes_fewest_is_chosen(scen, objective):
    """Without a deal: of check's cheapest relaxations, the one whose nearest deal (brute force in the relaxed
    scenario) changes the fewest package issues, the first in check's order among equals; that deal is the
    brute-force nearest one there."""
    if Oracle(scen).deals:
        return
    result = compare_packages(scen, objective=objective, time_limit=GENEROUS)
    assert result.verdict is Verdict.NO_DEAL and result.all_cheapest and result.decided
    (compared,) = result.packages
    if not result.relaxations:  # the facts alone conflict: no relaxation of red lines opens a deal
        assert not Oracle(replace(scen, parties=())).deals and compared.nearest is None
        assert result.facts_conflict and compared.decided
        return
    assert len({r.cost for r in result.relaxations}) == 1
    assert {r.drop for r in result.relaxations} == brute_cheapest_relaxations(scen)  # every one of them compared
    assert compared.nearest is not None and compared.nearest.proved and not compared.nearest.not_compared
    package = compared.package
    options = []
    for relaxation in result.relaxations:
        relaxed = apply_edits(scen, Edits(drop=relaxation.drop))[0]
        options.append((*brute_nearest(relaxed, package, objective), relaxation))
    expected, fewest, relaxation = min(options, key=lambda option: option[1])  # min keeps the first of equals
    nearest = compared.nearest
    assert nearest is not None and nearest.relaxation == relaxation
    assert len(nearest.changes) == fewest
    assert nearest.deal.values == expected


def brute_cheapest_relaxations(scen) -> set[tuple[str, ...]]:
    """Every minimal set of red lines whose giving-up opens a deal, of the lowest total weight (names sorted)."""
    weight = {r.name: r.weight for r in scen.red_lines}
    opening = [frozenset(drop) for size in range(len(weight) + 1) for drop in itertools.combinations(weight, size)
               if Oracle(apply_edits(scen, Edits(drop=drop))[0]).deals]
    minimal = [drop for drop in opening if not any(other < drop for other in opening)]
    cheapest = min(sum(weight[n] for n in drop) for drop in minimal)
    return {tuple(sorted(drop)) for drop in minimal if sum(weight[n] for n in drop) == cheapest}


@settings(PROPERTY, max_examples=examples(40))
@given(scen=with_packages(count=2), objective=st.sampled_from(list(Objective)))
def test_each_package_is_compared_on_its_own(scen, objective):
    """Two packages compared together get what each gets alone; naming one compares that one only."""
    both = compare_packages(scen, objective=objective, time_limit=GENEROUS)
    alone = compare_packages(scen, objective=objective, names=["plan-1"], time_limit=GENEROUS)
    assert [p.package.name for p in alone.packages] == ["plan-1"]
    assert alone.packages[0].judgements == both.packages[1].judgements
    assert (alone.packages[0].nearest is None) == (both.packages[1].nearest is None)
    if alone.packages[0].nearest is not None:
        assert alone.packages[0].nearest.changes == both.packages[1].nearest.changes
