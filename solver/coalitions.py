"""Coalitions: which sets of parties can agree, and what a chosen coalition can sign without the others.

Definitions (docs/check.md "Coalitions"; tests/solver_support implements exactly these by brute force):

- A coalition (a set of parties) **has a deal** when some deal (values for all issues) meets the facts and every
  member's red lines (a party's `accept_at_least` level counts as one of its red lines). The empty coalition has
  a deal iff the facts alone can hold.
- **Maximal coalitions** have a deal and no strict superset (among the parties considered) has one; **blocking
  groups** have no deal and every strict subset has one.
- The **sub-agreement** of a coalition C fixes the settled issues S(C), those whose consenting parties
  (`Scenario.consenting`) are all in C, to values with which the facts and the members' red lines can still all
  hold for some values of the other (open) issues.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from feasible.positions import InternalError, Scenario, UserError
from feasible.positions.model import FACTS, Rule, RuleKind
from feasible.positions.rules.printer import to_text
from feasible.positions.rules.syntax import And, Not
from feasible.positions.suggest import did_you_mean
from feasible.positions.kinds import for_value

from .check import DEFAULT_TIME_LIMIT
from .compile import Compiled, compile_scenario
from .deals import find_deals, party_outcomes
from .display import Shown
from .utility import block_utilities
from .open import with_open_values
from .evaluate import holds
from .explain.algorithms import Check, OutOfTime, ask, find_mus, marco
from .explain.conflicts import Conflict, conflict_facts, require_sat, require_unsat, rule_names, verify_conflict
from .explain.oracle import SubsetOracle
from .result import Deal, Objective
from .search import Control, Searcher


class CoalitionVerdict(str, Enum):
    """How complete the answer of `coalitions` is."""

    FOUND = "found"  #: all maximal coalitions and blocking groups were found and verified
    INCOMPLETE = "incomplete"  #: the time limit or an interrupt cut the enumeration short; what is listed is verified
    NO_FACTS = "no-facts"  #: the facts alone cannot hold: no coalition has a deal


@dataclass(frozen=True)
class Coalition:
    """A maximal coalition: its parties (scenario order) and the verified witness deal they all accept."""

    parties: tuple[str, ...]
    deal: Deal | None  # the witness deal, re-checked by the plain evaluator (facts + members' red lines)


@dataclass(frozen=True)
class BlockingGroup:
    """A minimal group of parties without a deal, with a verified conflict showing why."""

    parties: tuple[str, ...]  # scenario order
    red_lines: tuple[str, ...]  # a verified conflict (minimal) among these parties' red lines and the facts;
    #                             every party of the group has at least one red line in it
    facts: tuple[str, ...]  # the facts in that conflict
    # the other conflicts among the same red lines (and the facts), each verified the same way, as (red lines,
    # facts), smallest first: at most GROUP_CONFLICTS - 1 (e.g. an order cycle besides a clash over one issue)
    others: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()


GROUP_CONFLICTS = 4  # the most conflicts shown for one blocking group (docs/check.md "Coalitions")


@dataclass(frozen=True)
class Coalitions(Shown):
    """The answer of `coalitions`: the maximal coalitions and the minimal blocking groups."""

    parties: tuple[str, ...]  # the parties considered (every party but the excluded), scenario order
    included: tuple[str, ...]  # parties every coalition listed contains (hard), scenario order
    excluded: tuple[str, ...]  # parties left out of everything, scenario order
    verdict: CoalitionVerdict
    maximal: tuple[Coalition, ...]  # sorted by (-size, scenario order)
    blocking: tuple[BlockingGroup, ...]  # sorted by (size, scenario order); with `included`: groups of the others
    solves: int  # subset checks answered by CP-SAT
    interrupted: bool  # stopped from outside (Ctrl-C): what is listed is what was found and verified so far
    facts_conflict: tuple[str, ...] = ()  # NO_FACTS: a minimal set of facts that cannot hold together
    # with `included`: False when the included parties alone have no deal (then `maximal` is empty and `blocking`
    # lists the blocking groups among the included parties)
    included_agree: bool = True
    # the scenario it is for: shown in the parties' words in a notebook (solver/display.py); never compared
    scenario: Scenario | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SubConflict:
    """Why the parties outside cannot accept any completion of a sub-agreement: a minimal set of settled values,
    outsiders' red lines and members' red lines that cannot hold with the facts. It holds a member's red line only
    when the settled values and the outsiders' red lines alone can hold with the facts (the members' red lines
    then bind the open issues): otherwise a member's red line on a settled issue would stand in for the settled
    value, and the conflict would not show what the sub-agreement settled."""

    settled: tuple[str, ...]  # issues of the sub-agreement whose values are in the conflict, scenario order
    red_lines: tuple[str, ...]  # outsiders' red lines in it
    facts: tuple[str, ...]  # the facts it needs (a minimal set)
    members: tuple[str, ...] = ()  # members' red lines in it (see above)


@dataclass(frozen=True)
class SubAgreement:
    """What a coalition can settle without the others, and whether the others can accept a completion."""

    coalition: tuple[str, ...]  # scenario order
    has_deal: bool
    settled: tuple[str, ...]  # issues whose consenting parties are all members, scenario order
    open: tuple[str, ...]  # the other issues
    values: Mapping[str, Any]  # settled issue -> value (empty when not has_deal)
    deal: Deal | None  # the best deal for the coalition (its witness, completion included)
    blocking: tuple[BlockingGroup, ...]  # when not has_deal: the blocking groups inside the coalition
    outsiders: tuple[str, ...]  # the considered parties outside the coalition, scenario order
    outsiders_accept: bool | None  # None when there are no outsiders or no sub-agreement (or time ran out)
    completion: Deal | None  # when outsiders_accept: a deal every considered party accepts, settled values kept
    conflict: SubConflict | None  # when not outsiders_accept
    complete: bool = True  # False when the time limit or an interrupt cut an answer short
    interrupted: bool = False  # stopped from outside (Ctrl-C)
    solves: int = 0  # CP-SAT solves it took
    # False when the time limit or an interrupt cut the choice of the best deal short (its objective or the
    # canonical tie-breaking): the settled values meet the members' red lines but may not be the best sub-agreement
    # or the canonical one among equally good ones
    canonical: bool = True
    # when the outsiders cannot accept a completion: whether some sub-agreement of the coalition (not as good for
    # the members) can be completed, i.e. whether every considered party has a deal together (None: undecided)
    completable: bool | None = None
    # when completable: the best deal for the members among those every considered party accepts (its settled
    # values are the sub-agreement the outsiders could complete; its outcomes say what the members lose by it)
    alternative: Deal | None = None
    # when not completable: the minimal groups of outsiders that have no deal together with the members (the
    # members always in, as `coalitions(include=members)` lists them): why no sub-agreement can be completed
    outside_blocking: tuple[BlockingGroup, ...] = ()


# -- which parties -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Considered:
    """The parties a question is about: every party but the excluded ones, each list in scenario order."""

    parties: tuple[str, ...]
    included: tuple[str, ...]
    excluded: tuple[str, ...]


def considered_parties(scenario: Scenario, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Considered:
    """The parties considered, the included and the excluded ones, each named party checked (UserError with
    did-you-mean for an unknown one, and for a party both included and excluded)."""
    ids = [p.id for p in scenario.parties]
    for option, named in (("include", include), ("exclude", exclude)):
        for party_id in named:
            known_party(ids, party_id, option)
    if not [p for p in ids if p not in exclude]:
        raise UserError("no party is considered: " + ("every party is excluded" if ids else "the scenario has none"),
                        hint="a coalition is made of parties: exclude fewer" if ids else "add a party")
    both = [p for p in ids if p in include and p in exclude]
    if both:
        raise UserError(f"party '{both[0]}' is both included and excluded",
                        hint="a coalition cannot both contain a party and leave it out: drop one of the two")
    return Considered(tuple(p for p in ids if p not in exclude), tuple(p for p in ids if p in include),
                       tuple(p for p in ids if p in exclude))


def known_party(ids: Sequence[str], party_id: str, what: str) -> None:
    """A UserError unless `party_id` names a party; `what` says where it was named (the library's parameter, or the
    command line's option)."""
    if party_id not in ids:
        raise UserError(f"{what}: no party '{party_id}' in the scenario",
                        hint=did_you_mean(party_id, ids) or "the parties are " + ", ".join(ids))


def in_scenario_order(scenario: Scenario, parties) -> tuple[str, ...]:
    chosen = set(parties)
    return tuple(p.id for p in scenario.parties if p.id in chosen)


def without_demands(scenario: Scenario, parties: Sequence[str]) -> Scenario:
    """The scenario with only these parties, and only their red lines (accept_at_least levels included): whether
    a coalition has a deal depends on nothing else, and the model is smaller without the demands."""
    kept = set(parties)
    return replace(scenario, parties=tuple(replace(p, demands=()) for p in scenario.parties if p.id in kept))


def settled_issues(scenario: Scenario, coalition: Sequence[str], considered: Sequence[str]) -> tuple[str, ...]:
    """S(C): the issues whose consenting parties among those considered (Scenario.consenting) are all members."""
    members, others = set(coalition), set(considered)
    return tuple(name for name in scenario.issues if scenario.consenting(name) & others <= members)


# -- subset checks over parties ------------------------------------------------------------------------------------

class PartyChecks:
    """Whether the facts and the red lines of a set of parties (with those of the fixed parties) can all hold, as
    the check MARCO asks over parties: one item per party, its red lines one group. Answered by a SubsetOracle over
    red lines (its cache, focused models and evaluator-verified witnesses); a witness's satisfied red lines say
    which other parties it also satisfies, and a core's red lines which parties it blames."""

    def __init__(self, compiled: Compiled, searcher: Searcher, fixed: Sequence[str] = (),
                 described: Scenario | None = None):
        scenario = compiled.scenario
        self.described = described or scenario  # the scenario whose demands a witness deal's outcomes show
        self.compiled = compiled
        self.searcher = searcher
        self.rules = {p.id: tuple(r.name for r in p.binding) for p in scenario.parties}
        self.owner = {name: party for party, names in self.rules.items() for name in names}
        self.fixed = tuple(fixed)
        self.facts = rule_names(scenario.facts)
        self.oracle = SubsetOracle(compiled, [n for names in self.rules.values() for n in names], self.facts,
                                   searcher)

    def red_lines(self, parties) -> list[str]:
        return [name for party in [*self.fixed, *parties] for name in self.rules[party]]

    def __call__(self, parties: frozenset) -> Check:
        answer = self.oracle(frozenset(self.red_lines(parties)))
        if not answer.decided:
            return answer
        if answer.sat:
            met = frozenset(p for p, names in self.rules.items() if p not in self.fixed
                            and all(n in answer.satisfied for n in names))
            return Check(True, met | parties)
        core = None if answer.core is None else frozenset(self.owner[n] for n in answer.core) - set(self.fixed)
        return Check(False, core=core)

    def witness(self, parties) -> dict | None:
        """A deal already found (verified when found) that the plain evaluator says meets the facts and these
        parties' red lines, or None."""
        rules = [self.compiled.rules[n] for n in [*self.facts, *self.red_lines(parties)]]
        issues = self.compiled.scenario.issues
        return next((d for d in self.oracle.deals if all(holds(r, issues, d) for r in rules)), None)


# -- coalitions ----------------------------------------------------------------------------------------------------

def coalitions(scenario: Scenario, *, include: Sequence[str] = (), exclude: Sequence[str] = (),
               time_limit: float = DEFAULT_TIME_LIMIT, control: Control | None = None) -> Coalitions:
    """The maximal coalitions with a deal and the minimal blocking groups (docs/check.md "Coalitions"), found by
    MARCO over one item per party, each verified; with `include`, only coalitions containing those parties, with
    `exclude`, those parties left out of everything."""
    chosen = considered_parties(scenario, include, exclude)
    searcher = Searcher(time_limit, control, label=f"'{scenario.title}'")
    searcher.stage = "coalitions"
    compiled = compile_scenario(without_demands(scenario, chosen.parties), enforce_red_lines=False,
                                enforce_facts=False)
    result = Coalitions(chosen.parties, chosen.included, chosen.excluded, CoalitionVerdict.FOUND, (), (), 0, False,
                        scenario=scenario)
    try:
        facts = facts_conflict(compiled, searcher)
    except OutOfTime:
        return _finished(result, searcher, complete=False)
    if facts is not None:
        return _finished(replace(result, verdict=CoalitionVerdict.NO_FACTS, facts_conflict=facts), searcher)
    checks = PartyChecks(compiled, searcher, chosen.included, scenario)
    others = [p for p in chosen.parties if p not in chosen.included]
    try:
        agree = ask(checks, frozenset()).sat
    except OutOfTime:
        return _finished(result, searcher, complete=False)
    if not agree:  # no coalition includes them: the blocking groups among the included parties instead
        lattice = party_lattice(PartyChecks(compiled, searcher, described=scenario), chosen.included)
        return _finished(replace(result, included_agree=False, blocking=lattice.blocking), searcher,
                         complete=lattice.complete)
    lattice = party_lattice(checks, others)
    return _finished(replace(result, maximal=lattice.maximal, blocking=lattice.blocking), searcher,
                     complete=lattice.complete)


def _finished(result: Coalitions, searcher: Searcher, complete: bool = True) -> Coalitions:
    verdict = result.verdict if complete else CoalitionVerdict.INCOMPLETE
    return replace(result, verdict=verdict, solves=searcher.solves, interrupted=searcher.control.interrupted)


def facts_conflict(compiled: Compiled, searcher: Searcher) -> tuple[str, ...] | None:
    """None when the facts alone can hold; else a minimal set of facts that cannot, verified."""
    facts = rule_names(compiled.scenario.facts)
    if not facts:
        return None
    oracle = SubsetOracle(compiled, facts, [], searcher)
    first = ask(oracle, frozenset(facts))
    if first.sat:
        return None
    found = find_mus(facts, oracle, first.core)
    verify_conflict(compiled, Conflict((), tuple(sorted(found))), searcher, witnesses=oracle.deals)
    return tuple(sorted(found))


@dataclass(frozen=True)
class Lattice:
    """What MARCO found over parties, verified: maximal coalitions and minimal blocking groups, and whether every
    one of them is there."""

    maximal: tuple[Coalition, ...]
    blocking: tuple[BlockingGroup, ...]
    complete: bool


def party_lattice(checks: PartyChecks, items: Sequence[str]) -> Lattice:
    """The maximal coalitions and minimal blocking groups over `items` (with `checks.fixed` always in), by MARCO
    with one item per party, each verified; what the time limit or an interrupt leaves unverified is left out."""
    compiled, searcher = checks.compiled, checks.searcher
    found = marco(list(items), checks, stop=lambda: searcher.remaining() <= 0, time_left=searcher.remaining)
    complete = found.complete
    checks.oracle.verifying = True  # what MARCO found is checked even just past the time limit (VERIFY_GRACE)
    blocking, complete = _verified(found.muses, lambda g: blocking_group(checks, g), complete)
    maximal, complete = _verified([frozenset(items) - mcs for mcs in found.mcses],
                                  lambda m: maximal_coalition(checks, m, items, blocking), complete)
    order = {p.id: i for i, p in enumerate(compiled.scenario.parties)}
    rank = lambda parties: tuple(order[p] for p in parties)  # noqa: E731 (a sort key)
    return Lattice(tuple(sorted(maximal, key=lambda c: (-len(c.parties), rank(c.parties)))),
                   tuple(sorted(blocking, key=lambda g: (len(g.parties), rank(g.parties)))), complete)


def _verified(found: list[frozenset], verify: Callable[[frozenset], Any], complete: bool) -> tuple[list, bool]:
    """Each of `found` verified, in turn, until the time runs out (then the rest is left out, incomplete)."""
    done = []
    for item in found:
        try:
            done.append(verify(item))
        except OutOfTime:
            return done, False
    return done, complete


def blocking_group(checks: PartyChecks, group: frozenset) -> BlockingGroup:
    """A blocking group verified: a minimal conflict among its parties' red lines (with the fixed parties') and
    the facts, proved contradictory on a fresh model and minimal, and each group one party smaller (with the fixed
    parties) meeting the facts in a deal the plain evaluator checks."""
    compiled, searcher = checks.compiled, checks.searcher
    red = checks.red_lines(sorted(group))
    first = ask(checks.oracle, frozenset(red))
    if first.sat:
        raise InternalError(f"verification failed: the blocking group {sorted(group)} has a deal")
    mus = find_mus(red, checks.oracle, first.core)
    facts, witnesses = conflict_facts(compiled, mus, searcher)
    names = sorted(mus)
    verify_conflict(compiled, Conflict(tuple(names), tuple(sorted(facts))), searcher,
                    witnesses=checks.oracle.deals + witnesses)
    for party in sorted(group):
        rest = [*checks.facts, *checks.red_lines(sorted(group - {party}))]
        require_sat(compiled, rest, searcher, f"the blocking group {sorted(group)} is not minimal ({party})",
                    witnesses=checks.oracle.deals + witnesses)
    parties = in_scenario_order(compiled.scenario, group)
    return BlockingGroup(parties, tuple(names), tuple(sorted(facts)), other_conflicts(checks, red, mus))


def other_conflicts(checks: PartyChecks, red: Sequence[str], first: frozenset
                    ) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Up to GROUP_CONFLICTS - 1 conflicts among these red lines (with the facts) other than `first`, smallest
    first, each verified contradictory and minimal; those the time limit leaves unverified are left out. (In a
    minimal blocking group every conflict among its red lines involves each of its parties.)"""
    compiled, searcher = checks.compiled, checks.searcher
    found = marco(list(red), checks.oracle, limit=GROUP_CONFLICTS, stop=lambda: searcher.remaining() <= 0,
                  time_left=searcher.remaining)
    others = []
    for mus in sorted((m for m in found.muses if m != first), key=lambda m: (len(m), sorted(m))):
        try:
            facts, witnesses = conflict_facts(compiled, mus, searcher)
            verify_conflict(compiled, Conflict(tuple(sorted(mus)), tuple(sorted(facts))), searcher,
                            witnesses=checks.oracle.deals + witnesses)
        except OutOfTime:
            break
        others.append((tuple(sorted(mus)), tuple(sorted(facts))))
    return tuple(others[:GROUP_CONFLICTS - 1])


def maximal_coalition(checks: PartyChecks, members: frozenset, items: Sequence[str],
                      blocking: Sequence[BlockingGroup]) -> Coalition:
    """A maximal coalition verified: a witness deal meeting the facts and its members' red lines (the plain
    evaluator's judgement), and each one-party extension without a deal: it holds a verified blocking group, or
    else a fresh solve proves it."""
    compiled, searcher = checks.compiled, checks.searcher
    witness = checks.witness(sorted(members))
    if witness is None and ask(checks, members).sat:  # (a new solve: its deal joins the oracle's, verified)
        witness = checks.witness(sorted(members))
    if witness is None:
        raise InternalError(f"verification failed: the coalition {sorted(members)} has no deal")
    for party in items:
        if party in members:
            continue
        grown = members | {party}
        if any(set(g.parties) <= grown for g in blocking):
            continue
        require_unsat(compiled, [*checks.facts, *checks.red_lines(sorted(grown))], searcher,
                      f"the coalition {sorted(members)} is not maximal ({party})")
    parties = in_scenario_order(compiled.scenario, [*checks.fixed, *members])
    return Coalition(parties, deal_of(checks.described, witness, parties))


def deal_of(scenario: Scenario, values: Mapping[str, Any], parties: Sequence[str]) -> Deal:
    """A witness deal (values already verified) with what each of these parties gets from it."""
    issues = scenario.issues
    shown = [p for p in scenario.parties if p.id in set(parties)]
    truth = {d.name: holds(d, issues, values) for p in shown for d in p.demands}
    return Deal(dict(values), party_outcomes(shown, truth, block_utilities(scenario, values)), optimal=False)


# -- a chosen coalition's sub-agreement ----------------------------------------------------------------------------

BEST_DEAL_SHARE = 0.5  # of the time limit, at most, for the coalition's best deal; the rest for the parties outside
SETTLED_ID = "sub-agreement:"  # fact ids for the settled values (a colon: no fact of a file can have the id)


def settled_value_fact(issue: str, value: Any) -> Rule:
    """The sub-agreement's value of one issue as a rule, `ISSUE == VALUE`."""
    expr = for_value(value).condition(issue, value, "==")
    return Rule(FACTS, SETTLED_ID + issue, RuleKind.FACT, f"{issue} as the sub-agreement settles it", to_text(expr),
                expr)


def sub_agreement(scenario: Scenario, coalition: Sequence[str], *, exclude: Sequence[str] = (),
                  objective: Objective | str = Objective.FAIR, time_limit: float = DEFAULT_TIME_LIMIT,
                  control: Control | None = None) -> SubAgreement:
    """What the coalition can sign without the others (docs/check.md "Coalitions"): the issues it settles, the
    best sub-agreement (the settled part of its best deal: the objective over the members' demands, then the
    canonical tie-breaking), what stays open, and whether the parties outside (all other considered parties) can
    accept some completion, with the completion or the minimal conflict between the settled values and their red
    lines. Without a deal for the coalition: its blocking groups."""
    objective = Objective(objective)
    if isinstance(coalition, str):
        raise TypeError(f"coalition: expected a sequence of party ids, not the string {coalition!r} "
                        f"(e.g. {coalition!r}.split(','), or a tuple of ids)")
    chosen = considered_parties(scenario, exclude=exclude)
    for party_id in coalition:
        known_party([p.id for p in scenario.parties], party_id, "coalition")
        if party_id in chosen.excluded:
            raise UserError(f"party '{party_id}' is both in the coalition and excluded",
                            hint="a coalition cannot both contain a party and leave it out: drop one of the two")
    members = in_scenario_order(scenario, coalition)
    outsiders = tuple(p for p in chosen.parties if p not in members)
    settled = settled_issues(scenario, members, chosen.parties)
    result = SubAgreement(members, False, settled, tuple(n for n in scenario.issues if n not in settled), {}, None,
                          (), outsiders, None, None, None)
    searcher = Searcher(time_limit, control, label=f"'{scenario.title}'")
    searcher.stage = "sub-agreement"
    ours = replace(scenario, parties=tuple(p for p in scenario.parties if p.id in members))
    compiled = compile_scenario(ours)
    cut = searcher.ties_cut
    # the best deal gets a share of the time, so that the parties outside are still asked about what it settles
    with searcher.budget(time_limit * BEST_DEAL_SHARE):
        deals, outcome = find_deals(compiled, objective, 1, searcher, with_open=False)
    if not deals and outcome.infeasible:
        return _without_deal(result, scenario, members, searcher)
    if not deals:
        return _sub_finished(result, searcher, complete=False)
    deal = deals[0]
    result = replace(result, has_deal=True, deal=deal, values={n: deal.values[n] for n in settled},
                     canonical=deal.optimal and searcher.ties_cut == cut and not searcher.control.interrupted)
    try:
        if outsiders:
            result = _outsiders(result, scenario, chosen.parties, objective, searcher)
        if result.outsiders_accept is False:
            result = _completable_first(result, scenario, ours, chosen.parties, objective, searcher)
        if result.outsiders_accept is False:
            result = _alternative(result, scenario, ours, chosen.parties, objective, searcher)
        required = [r.name for r in [*ours.facts, *ours.red_lines]]
        assert result.deal is not None  # (every step above keeps a deal for the members)
        return _sub_finished(replace(result, deal=with_open_values(compiled, result.deal, required, searcher)),
                             searcher)
    except OutOfTime:
        return _sub_finished(result, searcher, complete=False)


def _completable_first(result: SubAgreement, scenario: Scenario, ours: Scenario, considered: Sequence[str],
                       objective: Objective, searcher: Searcher) -> SubAgreement:
    """The best sub-agreement the outsiders can complete, when the canonical one (`result`, which they cannot)
    has an equally good one (docs/check.md): the members' best deals are tried in canonical order, each time
    leaving out every sub-agreement that holds the settled values which, together, no completion allows (a
    minimal set of them, so one try rules out many); `result` itself when none is as good as it."""
    assert result.deal is not None  # (called only with the members' best deal found)
    first = result.deal
    best = first.value(objective)
    excluded: list[Rule] = []
    values, deal, cut = dict(result.values), first, searcher.ties_cut
    while True:
        blocked = blocked_values(scenario, considered, values, searcher)
        if blocked is None:
            canonical = result.canonical and deal.optimal and searcher.ties_cut == cut
            chosen = replace(result, values=values, deal=deal, canonical=canonical, conflict=None)
            return _outsiders(chosen, scenario, considered, objective, searcher)
        if not blocked:  # the parties considered have no deal together: no sub-agreement can be completed
            return result
        excluded.append(values_excluded(len(excluded), {n: values[n] for n in blocked}))
        deals, outcome = find_deals(compile_scenario(replace(ours, facts=ours.facts + tuple(excluded))),
                                    objective, 1, searcher, with_open=False)
        if not deals and not outcome.infeasible:
            raise OutOfTime()
        if not deals or replace(deals[0], left_out=first.left_out).value(objective) != best:
            return result
        deal = deals[0]
        values = {n: deal.values[n] for n in result.settled}


def values_excluded(index: int, values: Mapping[str, Any]) -> Rule:
    """A fact that these settled values do not all hold together (a sub-agreement no completion allows)."""
    each = [for_value(v).condition(n, v, "==") for n, v in values.items()]
    expr = Not(each[0] if len(each) == 1 else And(tuple(each)))
    return Rule(FACTS, f"{SETTLED_ID}excluded-{index}", RuleKind.FACT, "settled values no completion allows",
                to_text(expr), expr)


def blocked_values(scenario: Scenario, considered: Sequence[str], values: Mapping[str, Any], searcher: Searcher
                   ) -> tuple[str, ...] | None:
    """None when some deal keeps these settled values and meets the facts and every considered party's red lines;
    else a minimal set of the settled issues whose values no such deal keeps (empty: no deal meets them at all)."""
    pinned = [settled_value_fact(n, v) for n, v in values.items()]
    everyone = without_demands(replace(scenario, facts=scenario.facts + tuple(pinned)), considered)
    compiled = compile_scenario(everyone, enforce_red_lines=False, enforce_facts=False)
    hard = [r.name for r in [*scenario.facts, *everyone.red_lines]]
    oracle = SubsetOracle(compiled, [r.name for r in pinned], hard, searcher)
    first = ask(oracle, frozenset(r.name for r in pinned))
    if first.sat:
        return None
    found = find_mus([r.name for r in pinned], oracle, first.core)
    return tuple(n for n, r in zip(values, pinned) if r.name in found)


def _alternative(result: SubAgreement, scenario: Scenario, ours: Scenario, considered: Sequence[str],
                 objective: Objective, searcher: Searcher) -> SubAgreement:
    """When the outsiders cannot complete any sub-agreement as good as the best: the best deal for the members
    that every considered party accepts (another sub-agreement they can complete, at a cost to the members), or
    else the minimal groups of outsiders without a deal together with the members (no sub-agreement can be
    completed)."""
    everyone = replace(scenario, parties=tuple(p for p in scenario.parties if p.id in set(considered)))
    compiled = compile_scenario(everyone, enforce_red_lines=False, enforce_facts=False)
    view = replace(compiled, scenario=ours)  # the objective and the outcomes over the members' demands only
    required = [r.name for r in [*everyone.facts, *everyone.red_lines]]
    deals, outcome = find_deals(view, objective, 1, searcher, required=required, with_open=False)
    if deals:
        if not all(holds(compiled.rules[n], scenario.issues, deals[0].values) for n in required):
            raise InternalError("verification failed: the alternative sub-agreement breaks a red line")
        return replace(result, completable=True, alternative=deals[0])
    if not outcome.infeasible:
        raise OutOfTime()
    compiled = compile_scenario(without_demands(scenario, considered), enforce_red_lines=False,
                                enforce_facts=False)
    lattice = party_lattice(PartyChecks(compiled, searcher, result.coalition, scenario), result.outsiders)
    if not lattice.complete:
        raise OutOfTime()
    return replace(result, completable=False, outside_blocking=lattice.blocking)


def _sub_finished(result: SubAgreement, searcher: Searcher, complete: bool = True) -> SubAgreement:
    return replace(result, complete=complete and not searcher.control.interrupted,
                   interrupted=searcher.control.interrupted, solves=searcher.solves)


def _without_deal(result: SubAgreement, scenario: Scenario, members: Sequence[str], searcher: Searcher
                  ) -> SubAgreement:
    """A coalition without a deal: the blocking groups among its members (the facts' conflict as a group of no
    party when the facts alone cannot hold)."""
    compiled = compile_scenario(without_demands(scenario, members), enforce_red_lines=False, enforce_facts=False)
    try:
        facts = facts_conflict(compiled, searcher)
    except OutOfTime:
        return _sub_finished(result, searcher, complete=False)
    if facts is not None:
        return _sub_finished(replace(result, blocking=(BlockingGroup((), (), facts),)), searcher)
    lattice = party_lattice(PartyChecks(compiled, searcher, described=scenario), members)
    return _sub_finished(replace(result, blocking=lattice.blocking), searcher, complete=lattice.complete)


def _outsiders(result: SubAgreement, scenario: Scenario, considered: Sequence[str], objective: Objective,
               searcher: Searcher) -> SubAgreement:
    """Whether every considered party can accept a deal that keeps the sub-agreement's settled values: the best
    such deal (canonical), or else the minimal conflict between those values and the outsiders' red lines."""
    pinned = tuple(settled_value_fact(n, v) for n, v in result.values.items())
    everyone = [p for p in scenario.parties if p.id in set(considered)]
    completing = replace(scenario, parties=tuple(everyone), facts=scenario.facts + pinned)
    deals, outcome = find_deals(compile_scenario(completing), objective, 1, searcher, with_open=False)
    if deals:
        return replace(result, outsiders_accept=True, completion=deals[0])
    if not outcome.infeasible:
        raise OutOfTime()
    return replace(result, outsiders_accept=False, conflict=sub_conflict(completing, result, pinned, searcher))


def sub_conflict(completing: Scenario, result: SubAgreement, pinned: Sequence[Rule], searcher: Searcher
                 ) -> SubConflict:
    """A minimal set of settled values, outsiders' red lines and (only when these alone can hold with the facts)
    members' red lines that cannot hold with the facts, with a minimal set of the facts it needs; verified
    contradictory and minimal. The members' red lines are tried for removal first, so few of them stay."""
    compiled = compile_scenario(without_demands(completing, [p.id for p in completing.parties]),
                                enforce_red_lines=False, enforce_facts=False)
    facts = rule_names(completing.facts[:len(completing.facts) - len(pinned)])
    members = [r.name for p in completing.parties if p.id in result.coalition for r in p.binding]
    outside = [r.name for p in completing.parties if p.id in result.outsiders for r in p.binding]
    settled_and_outside = [r.name for r in pinned] + outside
    oracle = SubsetOracle(compiled, [*members, *settled_and_outside], facts, searcher)
    first = ask(oracle, frozenset(settled_and_outside))
    if first.sat:  # the members' red lines bind the open issues: some of them are part of the conflict
        if ask(oracle, frozenset([*members, *settled_and_outside])).sat:
            raise InternalError("verification failed: the outsiders accept a completion after all")
        # plain deletion, members first: a solver's core could keep a member's red line on a settled issue and
        # drop the settled value it stands in for
        found = find_mus([*members, *settled_and_outside], lambda subset: replace(oracle(subset), core=None))
    else:
        found = find_mus(settled_and_outside, oracle, first.core)
    needed_set, witnesses = conflict_facts(compiled, found, searcher, facts=facts)
    needed = sorted(needed_set)
    verify_conflict(compiled, Conflict(tuple(sorted(found)), tuple(needed)), searcher,
                    witnesses=oracle.deals + witnesses, background=facts)
    settled = tuple(issue for issue, rule in zip(result.values, pinned) if rule.name in found)
    return SubConflict(settled, tuple(n for n in outside if n in found), tuple(needed),
                       tuple(n for n in members if n in found))
