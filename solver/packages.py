"""`feasible packages`: the plans on the table side by side, each judged against the parties' red lines, and the
nearest deal every party accepts to each (docs/cli.md gives the exact definitions).

- A rule is judged on a package's values: **kept** when every completion of the issues the package leaves open
  keeps it, **broken** when none does, else it **depends** on the open issues it mentions. The completions are
  those the facts admit (how the world works); a fact is judged on its own, and when the facts taken together
  admit no completion, so is every rule. Each answer is a solve on a small model of the rule and the facts (one
  for "can it hold", one for "can it fail"), every completion found re-checked by the plain evaluator.
- The **nearest acceptable deal** is one CP-SAT optimisation (solver/deals.py `find_deals` with `near`): the
  package's values become its issues' anchors, a first stage moves as few of them as possible, then come the
  objective's stages and the canonical tie-breaking; the deal is verified by the plain evaluator.
- Without a deal, the cheapest relaxations `check` finds are compared: the one whose opened deal (the nearest to
  the package in the scenario without its red lines) changes the fewest package issues, ties in check's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from fractions import Fraction
from typing import Any

from feasible.positions import InternalError, Scenario, UserError
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.kinds import issue_type
from feasible.positions.model import Rule
from feasible.positions.packages import Package
from feasible.positions.rules.syntax import names as issues_named
from feasible.positions.suggest import did_you_mean

from . import cpsat
from .check import DEFAULT_TIME_LIMIT, check
from .compile import Compiled, compile_scenario
from .deals import find_deals
from .evaluate import holds
from .explain.relaxations import Relaxation
from .result import Deal, Objective, Verdict
from .search import Control, Searcher

# Without a deal, every cheapest relaxation `check` lists is compared, up to this many (check is asked for one
# more, to tell whether the bound cut the list): each comparison is a nearest-deal optimisation per package.
RELAXATIONS_COMPARED = 60
CHECK_SHARE = 0.5  # of the time limit, at most, for the check that finds the relaxations when there is no deal
JUDGING_SHARE = 0.4  # of the time limit, at most, for judging every rule on every package


class Judgement(str, Enum):
    """What a package's values alone say of a rule."""

    KEPT = "kept"  #: every completion of the issues the package leaves open keeps the rule
    BROKEN = "broken"  #: no completion does
    DEPENDS = "depends"  #: some do, some do not: it depends on the open issues the rule mentions
    UNDECIDED = "undecided"  #: the time limit ran out first


@dataclass(frozen=True)
class RuleJudgement:
    rule: str  # PARTY/ID or facts/ID
    judgement: Judgement
    depends_on: tuple[str, ...] = ()  # the issues the package leaves open that the rule mentions


@dataclass(frozen=True)
class Change:
    """One of the package's issues whose value the nearest deal changes."""

    issue: str
    package: Any
    deal: Any


@dataclass(frozen=True)
class Gain:
    """A party's satisfaction in the package (None where the package leaves it undecided) and in the deal."""

    party: str
    package: Fraction | None
    deal: Fraction | None


@dataclass(frozen=True)
class NearestDeal:
    """The deal every party accepts that changes the fewest of the package's issues (then the best by the
    objective, then the canonical one with the package's values as anchors); without a deal in the scenario, the
    deal opened by `relaxation`, chosen as nearest among the cheapest relaxations."""

    deal: Deal
    changes: tuple[Change, ...]
    gains: tuple[Gain, ...]
    relaxation: Relaxation | None = None
    # proved nearest and best: the deal's stages proved and, without a deal, every cheapest relaxation compared
    proved: bool = True
    # without a deal: the cheapest relaxations whose opened deal was not found in time, so not compared
    not_compared: tuple[Relaxation, ...] = ()


@dataclass(frozen=True)
class PackageComparison:
    package: Package
    judgements: tuple[RuleJudgement, ...]  # facts, then each party's red lines and demands, in file order
    satisfaction: dict[str, Fraction | None]  # party (with demands) → satisfaction where the package decides it
    nearest: NearestDeal | None  # None: not found within the time limit (or no relaxation opens one)
    decided: bool  # every judgement decided, and the nearest deal found and proved nearest and best
    # whether the facts taken together admit the package (some completion meets them all): red lines and demands
    # are then judged over the completions the facts admit; when they admit none, each on its own; None: the time
    # limit left it undecided (red lines and demands on the issues the package leaves open are then undecided)
    admitted: bool | None = True


@dataclass(frozen=True)
class PackagesResult:
    title: str
    objective: Objective
    verdict: Verdict  # whether the scenario has a deal at all
    packages: tuple[PackageComparison, ...]
    relaxations: tuple[Relaxation, ...] = ()  # no deal: the cheapest relaxations compared, in check's order
    all_cheapest: bool = True  # no deal: every cheapest relaxation was compared
    interrupted: bool = False
    # no deal: the bound (RELAXATIONS_COMPARED) when there are more equally cheap relaxations, the first compared
    cut_at: int | None = None
    # no deal, and none under any relaxation of red lines: the facts contradict each other (proved)
    facts_conflict: bool = False

    @property
    def decided(self) -> bool:
        return (self.verdict is not Verdict.UNKNOWN and self.all_cheapest and not self.interrupted
                and all(p.decided for p in self.packages))


def compare_packages(scenario: Scenario, *, objective: Objective | str = Objective.FAIR,
                     names: Sequence[str] = (), time_limit: float = DEFAULT_TIME_LIMIT,
                     control: Control | None = None) -> PackagesResult:
    """Each of the scenario's packages (those named, in the scenario's order; all by default) judged against every
    rule, with each party's satisfaction where the package decides it and the nearest acceptable deal."""
    objective = Objective(objective)
    chosen = chosen_packages(scenario, names)
    if not chosen:
        raise UserError(f"'{scenario.title}' declares no packages to compare",
                        hint="list the plans on the table under `packages:` in scenario.yaml (docs/format.md)")
    searcher = Searcher(time_limit, control, label=f"'{scenario.title}'")
    searcher.stage = "judging packages"
    compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
    # The judgements get a share of the time: on a large scenario they must not leave the nearest deals none.
    with searcher.budget(JUDGING_SHARE * searcher.remaining()):
        judged = [(package, *judge_package(compiled, package, searcher)) for package in chosen]
    searcher.stage = "finding the nearest deals"
    nearest, verdict = _nearest_in(scenario, chosen, objective, searcher)
    cheapest = Cheapest()
    if verdict is Verdict.NO_DEAL:
        searcher.stage = "finding relaxations"
        cheapest = cheapest_relaxations(scenario, objective, searcher)
        nearest = {package.name: nearest_relaxed(scenario, package, cheapest.listed, objective, searcher,
                                                 cheapest.everyone)
                   for package in chosen}
    comparisons = tuple(_comparison(scenario, package, judgements, admitted, nearest[package.name])
                        for package, judgements, admitted in judged)
    return PackagesResult(scenario.title, objective, verdict, comparisons, cheapest.listed, cheapest.everyone,
                          searcher.control.interrupted, cheapest.cut_at, cheapest.facts_conflict)


def chosen_packages(scenario: Scenario, names: Sequence[str]) -> tuple[Package, ...]:
    """The packages named (in the scenario's order), or all; an unknown name is a UserError with did-you-mean."""
    known = [p.name for p in scenario.packages]
    for name in names:
        if name not in known:
            hint = did_you_mean(name, known) or (
                f"the scenario's packages are {', '.join(known)}" if known else "the scenario declares no `packages:`")
            raise UserError(f"unknown package '{name}'", hint=hint)
    return tuple(p for p in scenario.packages if not names or p.name in names)


def judge_package(compiled: Compiled, package: Package, searcher: Searcher
                  ) -> tuple[tuple[RuleJudgement, ...], bool | None]:
    """Every fact, red line and demand judged on the package's values, and whether the facts taken together admit
    the package (None: not decided in time). Facts are judged each on its own; red lines and demands over the
    completions the facts admit (how the world works), or, when the facts admit none, on their own too."""
    facts = [f.name for f in compiled.scenario.facts]
    admitted = facts_admit(compiled, package, searcher)
    world = facts if admitted else []
    judgements = tuple(judge_rule(compiled, package, rule, searcher, () if rule.is_fact else world,
                                  undecided_world=admitted is None and not rule.is_fact)
                       for rule in compiled.scenario.rules())
    return judgements, admitted


def facts_admit(compiled: Compiled, package: Package, searcher: Searcher) -> bool | None:
    """Whether some completion of the package meets every fact (None: not decided within the time limit)."""
    facts = [f.name for f in compiled.scenario.facts]
    if not facts:
        return True
    focused = _fixed(compiled.focus([], hard=facts), package)
    outcome = searcher.solve(focused.model, presolve=False)
    if outcome.found:
        _verify_completion(focused, outcome.solved, package)
    return True if outcome.found else False if outcome.infeasible else None


def judge_rule(compiled: Compiled, package: Package, rule: Rule, searcher: Searcher, facts: Sequence[str] = (),
               undecided_world: bool = False) -> RuleJudgement:
    """Kept, broken or depending on the package's open issues: whether some completion of the issues the package
    leaves open (meeting the `facts`) keeps the rule, and whether some breaks it (each completion found re-checked
    by the evaluator). A rule that mentions no open issue is judged by the evaluator on the package's values.
    `undecided_world`: whether the facts admit the package was not decided, so neither are the completions to
    judge over: a rule that mentions an open issue is then undecided."""
    scenario = compiled.scenario
    given = package.assignment
    mentioned = issues_named(rule.expr)
    open_issues = tuple(name for name in scenario.issues if name in mentioned and name not in given)
    if not open_issues:
        values = {name: given.get(name, issue_type(issue).first_value(issue))
                  for name, issue in scenario.issues.items()}
        return RuleJudgement(rule.name, Judgement.KEPT if holds(rule, scenario.issues, values) else Judgement.BROKEN)
    if undecided_world:
        return RuleJudgement(rule.name, Judgement.UNDECIDED, open_issues)
    focused = _fixed(compiled.focus([rule.name], hard=facts), package)
    can = {}
    for wanted in (True, False):
        literal = focused.holds[rule.name]
        outcome = searcher.solve_assuming(focused.model, [literal if wanted else literal.Not()])
        if outcome.found:
            _verify_completion(focused, outcome.solved, package, rule, wanted)
        elif not outcome.infeasible:
            return RuleJudgement(rule.name, Judgement.UNDECIDED, open_issues)
        can[wanted] = outcome.found
    if can[True] and can[False]:
        return RuleJudgement(rule.name, Judgement.DEPENDS, open_issues)
    return RuleJudgement(rule.name, Judgement.KEPT if can[True] else Judgement.BROKEN)


def _fixed(focused: Compiled, package: Package) -> Compiled:
    """The focused model with the package's values fixed on the issues it has."""
    model = focused.model
    for name, iv in focused.issues.items():
        if name in package.assignment:
            model.add_bool_or([iv.encoder.differs(model, iv, package.assignment[name]).Not()])
    return focused


def _verify_completion(focused: Compiled, solved: cpsat.Solver, package: Package, rule: Rule | None = None,
                       wanted: bool = True) -> None:
    """A completion the solver found keeps the package's values and the facts the focused model enforces, and
    keeps (or breaks, as `wanted`) the rule, by the plain evaluator."""
    values = focused.decode(solved.value)
    issues = focused.scenario.issues
    if any(values[v.issue] != v.value for v in package.values if v.issue in focused.issues) or \
            not all(holds(focused.rules[name], issues, values) for name in focused.enforced) or \
            (rule is not None and holds(rule, issues, values) is not wanted):
        raise InternalError(f"a completion of package '{package.name}' found for {rule.name if rule else 'the facts'}"
                            f" does not do what the solver says")


def anchored(scenario: Scenario, package: Package) -> Scenario:
    """The scenario with the package's values as its issues' anchors (their status quo): the canonical
    tie-breaking of solver/deals.py then brings equally good deals closest to the package."""
    issues = dict(scenario.issues)
    for value in package.values:
        issues[value.issue] = replace(issues[value.issue], status_quo=value.value)
    return replace(scenario, issues=issues)


def nearest_deal(scenario: Scenario, package: Package, objective: Objective, searcher: Searcher
                 ) -> tuple[Deal | None, bool]:
    """The nearest acceptable deal to the package (None when none is found), and whether the scenario was proved
    to have no deal at all."""
    compiled = compile_scenario(anchored(scenario, package), enforce_red_lines=False, enforce_facts=False)
    deals, outcome = find_deals(compiled, objective, 1, searcher, with_open=False,
                                near=[v.issue for v in package.values])
    return (deals[0] if deals else None), outcome.infeasible


def _nearest_in(scenario: Scenario, packages: Sequence[Package], objective: Objective, searcher: Searcher
                ) -> tuple[dict[str, tuple[NearestDeal | None, bool]], Verdict]:
    """Each package's nearest acceptable deal with whether it is proved nearest and best, and whether the scenario
    has a deal (found, proved none, or unknown)."""
    found: dict[str, tuple[NearestDeal | None, bool]] = {}
    verdict = Verdict.UNKNOWN
    for done, package in enumerate(packages):
        with searcher.budget(searcher.remaining() / (len(packages) - done)):
            deal, none = nearest_deal(scenario, package, objective, searcher)
        if none:
            return {}, Verdict.NO_DEAL
        found[package.name] = (None, False) if deal is None else (nearest_of(package, deal), deal.optimal)
        if deal is not None:
            verdict = Verdict.DEAL
    return found, verdict


@dataclass(frozen=True)
class Cheapest:
    """The cheapest relaxations to compare, as `check` lists them (its canonical order)."""

    listed: tuple[Relaxation, ...] = ()
    everyone: bool = True  # they are every cheapest relaxation
    cut_at: int | None = None  # the bound, when there are more than RELAXATIONS_COMPARED: the first are listed
    facts_conflict: bool = False  # none at all, proved: the facts contradict each other


def cheapest_relaxations(scenario: Scenario, objective: Objective, searcher: Searcher) -> Cheapest:
    """The cheapest relaxations as `check` finds them and lists them (its canonical order), at most
    RELAXATIONS_COMPARED of them, and whether they are all of them (else, whether the bound or the time cut them)."""
    result = check(scenario, objective, time_limit=max(CHECK_SHARE * searcher.remaining(), 0.01), room=False,
                   relaxations=RELAXATIONS_COMPARED + 1, control=searcher.control)
    listed = result.relaxations
    if not listed:  # proved none (the search complete): the facts alone conflict, and no relaxation opens a deal
        proved = result.relaxations_complete and result.verdict is Verdict.NO_DEAL
        return Cheapest((), proved, None, proved)
    cheapest = tuple(r for r in listed if r.cost == listed[0].cost)
    if len(cheapest) > RELAXATIONS_COMPARED:
        return Cheapest(cheapest[:RELAXATIONS_COMPARED], False, cut_at=RELAXATIONS_COMPARED)
    everyone = result.relaxations_canonical and (
        len(cheapest) < len(listed) or result.cheapest_relaxation_count == len(cheapest)
        or (result.relaxations_complete and len(listed) <= RELAXATIONS_COMPARED))
    return Cheapest(cheapest, everyone)


def nearest_relaxed(scenario: Scenario, package: Package, relaxations: Sequence[Relaxation], objective: Objective,
                    searcher: Searcher, everyone: bool = True) -> tuple[NearestDeal | None, bool]:
    """Among the relaxations, the one whose opened deal (the nearest to the package once its red lines are given
    up) changes the fewest of the package's issues, the first in their order among equals; and whether that is
    proved: `everyone` (the relaxations are every cheapest one) and every relaxation's deal found and proved
    nearest and best. A relaxation whose deal was not found in time is not compared: the one returned names it."""
    best: NearestDeal | None = None
    proved = everyone
    missed: list[Relaxation] = []
    for done, relaxation in enumerate(relaxations):
        relaxed = apply_edits(scenario, Edits(drop=relaxation.drop))[0]
        with searcher.budget(searcher.remaining() / (len(relaxations) - done)):
            deal, _ = nearest_deal(relaxed, package, objective, searcher)
        proved = proved and deal is not None and deal.optimal
        if deal is None:
            missed.append(relaxation)
            continue
        candidate = replace(nearest_of(package, deal), relaxation=relaxation)
        if best is None or len(candidate.changes) < len(best.changes):
            best = candidate
    if best is not None:
        best = replace(best, proved=proved, not_compared=tuple(missed))
    return best, proved


def nearest_of(package: Package, deal: Deal) -> NearestDeal:
    """The deal with what it changes of the package (each party's gains are added with the judgements)."""
    changes = tuple(Change(v.issue, v.value, deal.values[v.issue]) for v in package.values
                    if deal.values[v.issue] != v.value)
    return NearestDeal(deal, changes, (), proved=deal.optimal)


def _comparison(scenario: Scenario, package: Package, judgements: tuple[RuleJudgement, ...], admitted: bool | None,
                nearest: tuple[NearestDeal | None, bool]) -> PackageComparison:
    """The package's comparison: each party's satisfaction where the package decides every one of its demands
    (each judged kept or broken), and what each party gains or loses in the nearest deal."""
    by_rule = {j.rule: j for j in judgements}
    satisfaction: dict[str, Fraction | None] = {}
    for party in scenario.parties:
        if not party.demand_weight:
            continue
        verdicts = [by_rule[d.name].judgement for d in party.demands]
        decided = all(v in (Judgement.KEPT, Judgement.BROKEN) for v in verdicts)
        satisfaction[party.id] = Fraction(sum(d.weight for d in party.demands
                                              if by_rule[d.name].judgement is Judgement.KEPT),
                                          party.demand_weight) if decided else None
    deal, proved = nearest
    if deal is not None:
        in_deal = deal.deal.satisfaction()
        deal = replace(deal, gains=tuple(Gain(party, satisfaction.get(party), s) for party, s in in_deal.items()))
    judged = admitted is not None and all(j.judgement is not Judgement.UNDECIDED for j in judgements)
    return PackageComparison(package, judgements, satisfaction, deal, judged and proved, admitted)
