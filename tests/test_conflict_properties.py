"""Conflicts, relaxations, unreachable demands and "why not?" against brute force on tiny random scenarios.

The scenarios come from tests/solver_support/strategies.py (2-3 parties, 2-4 tiny issues, every rule
construct, facts, weighted demands, accept_at_least), with red-line weights 1-3 and, sometimes, facts that
contradict each other or a red line that cannot hold at all. The oracle enumerates every assignment of the
issues and judges every rule with the plain evaluator; a set of rules (plus, optionally, a target) is
satisfiable when some assignment meets them all. From that it derives every MUS, every MCS, the cheapest
MCS, the demands no deal meets and the values no deal takes, and it checks minimality of every reason.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable

from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.model import RuleKind, Scenario
from feasible.positions.model import IssueKind
from feasible.positions.rules.syntax import And, BoolLit, Compare, Implies, IntLit, Membership, Name, Not, StrLit
from feasible.positions.targets import TargetKind, parse_target, value_literal
from feasible.solver import Objective, Verdict, check
from feasible.solver.evaluate import holds
from feasible.solver.explain import oracle
from feasible.solver.explain.conflicts import Conflict
from feasible.solver.explain.why import why_not
from solver_support import GENEROUS
from solver_support.build import (assert_well_typed, bool_issue, enum_issue, int_issue, issues_of, party, rule,
                                  scenario, set_issue)
from solver_support.oracle import assignments, domain, left_out, objective_value, satisfaction
from solver_support.strategies import PLAIN_KINDS, issue_sets, scenarios

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
MANY = 50  # relaxations asked for: more than most scenarios have


# ---------------------------------------------------------------------------------------------- scenarios

def _equals(issue, value):
    return Compare((Name(issue.name), value_literal(value)), ("==",))


def _differs(issue, value):
    return Compare((Name(issue.name), value_literal(value)), ("!=",))


@st.composite
def explain_scenarios(draw):
    """A random scenario with red-line weights 1-3; sometimes facts that contradict each other (two facts
    over one issue, among the others), sometimes a red line that no assignment meets, and often a few more
    red lines of the form ISSUE == VALUE or ISSUE != VALUE (which collide with each other, giving several
    overlapping conflicts)."""
    scen = draw(scenarios())
    parties = [[replace(r, weight=draw(st.integers(1, 3))) for r in p.red_lines] for p in scen.parties]
    acceptances = [replace(p.acceptance, weight=draw(st.integers(1, 3))) if p.acceptance else None
                   for p in scen.parties]
    issues = list(scen.issues.values())

    def atom(differs: bool):
        issue = draw(st.sampled_from(issues))
        return (_differs if differs else _equals)(issue, draw(st.sampled_from(domain(issue))))

    def add_red_line(expr, rule_id: str) -> None:
        index = draw(st.integers(0, len(parties) - 1))
        owner = scen.parties[index].id
        parties[index].insert(draw(st.integers(0, len(parties[index]))),
                              replace(rule(owner, rule_id, RuleKind.RED_LINE, expr), weight=draw(st.integers(1, 3))))

    facts = list(scen.facts)
    if draw(st.integers(0, 7)) == 3:
        issue = draw(st.sampled_from(issues))
        value = draw(st.sampled_from(domain(issue)))
        pair = [rule("facts", "x0", RuleKind.FACT, _equals(issue, value)),
                rule("facts", "x1", RuleKind.FACT, _differs(issue, value))]
        facts[draw(st.integers(0, len(facts))):0] = pair  # anywhere among the other facts
    if draw(st.integers(0, 7)) == 3:
        issue = draw(st.sampled_from(issues))
        value = draw(st.sampled_from(domain(issue)))
        add_red_line(draw(st.sampled_from([BoolLit(False), And((_equals(issue, value), _differs(issue, value)))])),
                     "never")
    if draw(st.integers(0, 2)) == 1:
        for i in range(draw(st.integers(1, 6))):
            add_red_line(atom(draw(st.booleans())), f"atom{i}")
    built = tuple(replace(p, red_lines=tuple(red), acceptance=acceptance)
                  for p, red, acceptance in zip(scen.parties, parties, acceptances))
    return replace(scen, parties=built, facts=tuple(facts))


@st.composite
def atoms(draw, issues) -> object:
    """ISSUE == VALUE, !=, <= and >= (ints), a bool or its negation, a set member or non-member."""
    issue = draw(st.sampled_from(list(issues.values())))
    if issue.kind is IssueKind.BOOL:
        return Name(issue.name) if draw(st.booleans()) else Not(Name(issue.name))
    if issue.kind is IssueKind.SET:
        return Membership(StrLit(draw(st.sampled_from(issue.values))), Name(issue.name), draw(st.booleans()))
    if issue.kind is IssueKind.INT:
        op = draw(st.sampled_from(["==", "!=", "<=", ">="]))
        return Compare((Name(issue.name), IntLit(draw(st.integers(issue.min, issue.max)))), (op,))
    return (_equals if draw(st.booleans()) else _differs)(issue, draw(st.sampled_from(issue.values)))


@st.composite
def atom_scenarios(draw, positions=atoms, kinds=PLAIN_KINDS):
    """Parties whose red lines are simple positions on the issues (so they collide in many overlapping
    conflicts, with many ways out), weights 1-3, and 0-2 facts linking two positions or fixing one. `positions`
    draws one position over the issues (tests/test_sequence_properties.py: order statements)."""
    issues = draw(issue_sets(kinds))
    atom = positions(issues)
    facts = draw(st.lists(st.one_of(atom, st.builds(Implies, atom, atom)), max_size=2))
    parties = []
    for index in range(draw(st.integers(2, 3))):
        red = draw(st.lists(atom, min_size=1, max_size=4))
        demands = draw(st.lists(st.tuples(atom, st.integers(1, 3)), min_size=1, max_size=2))
        p = party(f"p{index}", red, demands)
        parties.append(replace(p, red_lines=tuple(replace(r, weight=draw(st.integers(1, 3))) for r in p.red_lines)))
    return scenario(issues, parties, facts)


any_scenarios = st.one_of(explain_scenarios(), atom_scenarios())


def describe(scen: Scenario) -> str:
    lines = [f"{name}: {issue.kind.value} {domain(issue)}" for name, issue in scen.issues.items()]
    lines += [f"{r.name} (w{r.weight}): {r.text}" for r in scen.rules()]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- brute force

@dataclass
class Row:
    values: dict[str, Any]
    mask: int  # bit i set: rule i holds


class Brute:
    """Every assignment of the issues, with the truth of every rule by the plain evaluator.

    Rule bits: red lines first (bit i = red line i), then facts, then demands."""

    def __init__(self, scen: Scenario):
        self.scen = scen
        self.red = [r.name for r in scen.red_lines]
        self.facts = [r.name for r in scen.facts]
        self.demands = [r.name for r in scen.demands]
        self.rules = {r.name: r for r in scen.rules()}
        self.bit = {name: i for i, name in enumerate(self.red + self.facts + self.demands)}
        self.weight = {r.name: r.weight for r in scen.red_lines}
        order = [self.rules[n] for n in self.red + self.facts + self.demands]
        self.rows = [Row(values, sum(1 << i for i, r in enumerate(order) if holds(r, scen.issues, values)))
                     for values in assignments(scen.issues)]

    def mask(self, names) -> int:
        return sum(1 << self.bit[n] for n in names)

    def rows_meeting(self, names, target: Callable[[dict], bool] | None = None) -> list[Row]:
        m = self.mask(names)
        return [row for row in self.rows if row.mask & m == m and (target is None or target(row.values))]

    def sat(self, names, target: Callable[[dict], bool] | None = None) -> bool:
        m = self.mask(names)
        return any(row.mask & m == m and (target is None or target(row.values)) for row in self.rows)

    def is_minimal_reason(self, members, target=None) -> bool:
        """`members` (with the target) meet no assignment, and without any one member they meet one."""
        members = set(members)
        return not self.sat(members, target) and all(self.sat(members - {m}, target) for m in members)

    # -- red lines given all facts, as bitmasks over the red lines --------------------------------------------
    @cached_property
    def red_sat(self) -> bytearray:
        """red_sat[s]: the red lines in bitmask s hold together with every fact (closed downward)."""
        n = len(self.red)
        full = (1 << n) - 1
        table = bytearray(1 << n)
        for row in self.rows_meeting(self.facts):
            table[row.mask & full] = 1
        for b in range(n):
            bit = 1 << b
            for s in range(1 << n):
                if not s & bit and table[s | bit]:
                    table[s] = 1
        return table

    def names_of(self, s: int) -> frozenset:
        return frozenset(name for i, name in enumerate(self.red) if s >> i & 1)

    @cached_property
    def muses(self) -> set[frozenset]:
        n, table = len(self.red), self.red_sat
        bits = [1 << b for b in range(n)]
        return {self.names_of(s) for s in range(1, 1 << n)
                if not table[s] and all(table[s & ~b] for b in bits if s & b)}

    @cached_property
    def mcses(self) -> set[frozenset]:
        n, table = len(self.red), self.red_sat
        full = (1 << n) - 1
        bits = [1 << b for b in range(n)]
        return {self.names_of(c) for c in range(1 << n)
                if table[full & ~c] and all(not table[(full & ~c) | b] for b in bits if c & b)}

    def cost(self, names) -> int:
        return sum(self.weight[n] for n in names)

    @cached_property
    def deals(self) -> list[dict]:
        return [row.values for row in self.rows_meeting(self.facts + self.red)]

    def best(self, objective: Objective, required) -> Any:
        out = self.left_out(required)
        return max(objective_value(objective, satisfaction(self.scen, row.values), out)
                   for row in self.rows_meeting(required))

    def value(self, objective: Objective, values: dict, required) -> Any:
        return objective_value(objective, satisfaction(self.scen, values), self.left_out(required))

    def left_out(self, required) -> frozenset[str]:
        """The parties no deal meeting `required` satisfies: fair leaves them out of the lowest satisfaction."""
        return left_out(self.scen, [row.values for row in self.rows_meeting(required)])


# ---------------------------------------------------------------------------------------------- check

def assert_deal_meets(brute: Brute, values: dict, required) -> None:
    for name in required:
        assert holds(brute.rules[name], brute.scen.issues, values), f"{name} broken by {values}"


def salience(brute: Brute, red_lines) -> tuple:
    """The documented order of conflicts (docs/check.md), written out again: more parties first, then more
    weight at stake, then fewer red lines, then by name."""
    parties = {brute.rules[n].owner for n in red_lines}
    return -len(parties), -brute.cost(red_lines), len(red_lines), tuple(red_lines)


def check_no_deal(scen: Scenario, brute: Brute, objective: Objective) -> None:
    result = check(scen, objective, conflicts=None, relaxations=MANY, room=False, time_limit=GENEROUS)
    assert result.verdict is Verdict.NO_DEAL
    assert result.conflicts_complete

    if not brute.sat(brute.facts):  # the facts contradict each other: that is the one conflict
        assert len(result.conflicts) == 1, result.conflicts
        (conflict,) = result.conflicts
        assert conflict.red_lines == ()
        assert list(conflict.facts) == sorted(conflict.facts)
        assert brute.is_minimal_reason(conflict.facts), conflict
        assert result.relaxations == ()  # facts are never relaxed
        return

    # (b) conflicts: exactly every MUS of the red lines, each with a minimal set of facts
    reported = [frozenset(c.red_lines) for c in result.conflicts]
    assert len(set(reported)) == len(reported), reported
    assert set(reported) == brute.muses
    # dispute by dispute, the most salient first; within each: more parties, more weight, fewer red lines first
    assert [c for d in result.disputes for c in d.conflicts] == list(result.conflicts)
    for dispute in result.disputes:
        keys = [salience(brute, c.red_lines) for c in dispute.conflicts]
        assert keys == sorted(keys)
    firsts = [salience(brute, d.conflicts[0].red_lines) for d in result.disputes]
    assert firsts == sorted(firsts)
    for conflict in result.conflicts:
        assert isinstance(conflict, Conflict)
        assert list(conflict.red_lines) == sorted(conflict.red_lines)
        assert list(conflict.facts) == sorted(conflict.facts)
        assert set(conflict.facts) <= set(brute.facts)
        assert not brute.sat(set(conflict.red_lines) | set(brute.facts))
        # the facts are a minimal set that, with these red lines, is contradictory
        assert not brute.sat(set(conflict.red_lines) | set(conflict.facts)), conflict
        for fact in conflict.facts:
            assert brute.sat(set(conflict.red_lines) | set(conflict.facts) - {fact}), (conflict, fact)

    # (c) relaxations: minimal correction sets, cheapest first, each opening the best deal it can
    drops = [frozenset(r.drop) for r in result.relaxations]
    assert len(set(drops)) == len(drops), drops
    costs = [r.cost for r in result.relaxations]
    assert costs == sorted(costs), costs
    assert result.relaxations, "a deal opens when every red line is dropped, so there is a relaxation"
    assert costs[0] == min(brute.cost(m) for m in brute.mcses)
    for relaxation in result.relaxations:
        drop = frozenset(relaxation.drop)
        assert list(relaxation.drop) == sorted(relaxation.drop)
        assert drop in brute.mcses, f"{sorted(drop)} is not a minimal correction set"
        assert relaxation.cost == brute.cost(drop)
        by_party: dict[str, int] = {}
        for name in drop:
            owner = brute.rules[name].owner
            by_party[owner] = by_party.get(owner, 0) + brute.weight[name]
        assert relaxation.cost_by_party == by_party
        kept = [n for n in brute.facts + brute.red if n not in drop]
        deal = relaxation.deal
        assert deal is not None
        assert_deal_meets(brute, deal.values, kept)
        assert deal.optimal
        assert brute.value(objective, deal.values, kept) == brute.best(objective, kept)
    if len(result.relaxations) < MANY:
        assert set(drops) == brute.mcses
    else:
        assert all(brute.cost(m) >= costs[-1] for m in brute.mcses - set(drops))


def check_deal(scen: Scenario, brute: Brute) -> None:
    result = check(scen, time_limit=GENEROUS)
    assert result.verdict is Verdict.DEAL
    assert result.conflicts == () and result.relaxations == ()
    assert_deal_meets(brute, result.deal.values, brute.facts + brute.red)
    # (d) unreachable demands: exactly those no deal meets, each with a minimal reason among red lines and facts
    assert result.unreachable_complete
    everything = brute.facts + brute.red
    expected = {d for d in brute.demands if not brute.sat(everything + [d])}
    assert {u.demand for u in result.unreachable} == expected
    for item in result.unreachable:
        because = set(item.because)
        assert len(because) == len(item.because)
        assert because <= set(everything), item
        assert not brute.sat(because | {item.demand}), item
        for member in because:
            assert brute.sat(because - {member} | {item.demand}), (item, member)


@settings(PROPERTY, max_examples=examples(600))
@given(scen=any_scenarios, objective=st.sampled_from([Objective.FAIR, Objective.FAIR, Objective.WELFARE]))
def test_check_conflicts_relaxations_unreachable_agree_with_brute_force(scen, objective):
    """(a) the verdict; (b) every MUS, each with minimal facts, complete; (c) relaxations are the MCSes,
    cheapest first, each with the best deal for the objective (fair, sometimes welfare); (d) the unreachable
    demands, each with a minimal reason."""
    agrees_with_brute_force(scen, objective)


@contextmanager
def focused_everywhere():
    """Every subset check and verification solve on a focused model (normally only in large scenarios)."""
    saved = oracle.FOCUS_AT, oracle.FOCUS_SHARE
    oracle.FOCUS_AT, oracle.FOCUS_SHARE = 0, 1
    try:
        yield
    finally:
        oracle.FOCUS_AT, oracle.FOCUS_SHARE = saved


@settings(PROPERTY, max_examples=examples(300))
@given(scen=any_scenarios, objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]))
def test_focused_models_give_the_same_answers(scen, objective):
    """The same checks as above with every check on a model of just the rules it concerns."""
    with focused_everywhere():
        assert oracle.worth_focusing(3, 3)
        agrees_with_brute_force(scen, objective)


@settings(PROPERTY, max_examples=examples(200))
@given(data=st.data(), scen=any_scenarios)
def test_focused_why_not_agrees_with_brute_force(data, scen):
    with focused_everywhere():
        why_not_agrees_with_brute_force(data, scen)


def agrees_with_brute_force(scen, objective):
    assert_well_typed(scen)
    note(describe(scen))
    brute = Brute(scen)
    if brute.deals:
        unreachable = sum(not brute.sat(brute.facts + brute.red + [d]) for d in brute.demands)
        event(f"deal; unreachable demands: {min(3, unreachable)}")
        check_deal(scen, brute)
    elif not brute.sat(brute.facts):
        event("no deal: the facts contradict each other")
        check_no_deal(scen, brute, objective)
    else:
        event(f"no deal: MUSes {min(len(brute.muses), 4)}, MCSes {min(len(brute.mcses), 8)}")
        check_no_deal(scen, brute, objective)


@settings(PROPERTY, max_examples=examples(300))
@given(scen=any_scenarios, limit=st.integers(1, 3), wanted=st.integers(0, 3))
def test_limits_on_conflicts_and_relaxations(scen, limit, wanted):
    """With a limit (the default is 10), the conflicts listed are true MUSes, at most `limit` of them, and the
    list is only called complete when it is; `relaxations=K` gives the K cheapest MCSes (all if fewer)."""
    note(describe(scen))
    brute = Brute(scen)
    if brute.deals or not brute.sat(brute.facts):
        return
    event(f"fewer MUSes than the limit: {len(brute.muses) < limit}; fewer MCSes than asked: "
          f"{len(brute.mcses) < wanted}")
    result = check(scen, conflicts=limit, relaxations=wanted, room=False, time_limit=GENEROUS)
    assert result.verdict is Verdict.NO_DEAL
    reported = {frozenset(c.red_lines) for c in result.conflicts}
    assert len(reported) == len(result.conflicts) == min(limit, len(brute.muses))
    assert reported <= brute.muses
    if result.conflicts_complete:
        assert reported == brute.muses
    if limit < len(brute.muses):
        assert not result.conflicts_complete
    drops = {frozenset(r.drop) for r in result.relaxations}
    assert len(drops) == len(result.relaxations) == min(wanted, len(brute.mcses))
    assert drops <= brute.mcses
    costs = [r.cost for r in result.relaxations]
    assert costs == sorted(costs)
    if costs:
        assert all(brute.cost(m) >= costs[-1] for m in brute.mcses - drops), "not the cheapest"


# ---------------------------------------------------------------------------------------------- why not?

def _value_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, frozenset):
        return ",".join(sorted(value))
    return str(value)


@st.composite
def targets(draw, scen: Scenario) -> str:
    kind = draw(st.sampled_from(["value", "value", "forced", "forced", "demand"]))
    issue = draw(st.sampled_from(list(scen.issues.values())))
    if kind == "value":
        return f"{issue.name}={_value_text(draw(st.sampled_from(domain(issue))))}"
    if kind == "forced":
        return issue.name
    return draw(st.sampled_from(scen.demands)).name


@settings(PROPERTY, max_examples=examples(500))
@given(data=st.data(), scen=any_scenarios)
def test_why_not_agrees_with_brute_force(data, scen):
    why_not_agrees_with_brute_force(data, scen)


def why_not_agrees_with_brute_force(data, scen):
    """(e) ISSUE=VALUE is possible iff some deal has the value; ISSUE is forced iff every deal gives it one
    value; a demand is possible iff some deal meets it; every reason is minimal."""
    note(describe(scen))
    brute = Brute(scen)
    assume(brute.deals or data.draw(st.integers(0, 4)) == 2)  # most random scenarios have no deal: keep a few
    text = data.draw(targets(scen))
    note(f"target: {text}")
    target = parse_target(scen, text)
    answer = why_not(scen, target, GENEROUS)
    assert answer.decided
    assert answer.target == target
    if not brute.deals:  # answered with other disputes set aside: tests/test_explain_without_deal.py
        event("no deal at all")
        assert answer.no_deal_as_given
        return
    assert answer.any_deal
    everything = brute.facts + brute.red
    if target.kind is TargetKind.FORCED:
        seen = {d[target.issue] for d in brute.deals}
        event(f"forced: {'no' if len(seen) > 1 else 'yes'}")
        if len(seen) > 1:
            assert answer.possible and answer.witness is not None and answer.reason is None
            assert_deal_meets(brute, answer.witness.values, everything)
            return
        (value,) = seen
        assert not answer.possible
        assert answer.forced_value == value
        condition = lambda values: values[target.issue] != value  # noqa: E731
    elif target.kind is TargetKind.VALUE:
        assert target.value in domain(scen.issues[target.issue])
        condition = lambda values: values[target.issue] == target.value  # noqa: E731
    else:
        demand = brute.rules[target.demand.name]
        condition = lambda values: holds(demand, scen.issues, values)  # noqa: E731
    possible = brute.sat(everything, condition)
    if target.kind is not TargetKind.FORCED:
        event(f"{target.kind.value}: {'possible' if possible else 'ruled out'}")
        assert answer.possible == possible, text
    if answer.possible:
        assert answer.witness is not None and answer.reason is None
        assert_deal_meets(brute, answer.witness.values, everything)
        assert condition(answer.witness.values), (text, answer.witness.values)
        return
    reason = answer.reason
    assert reason is not None
    assert list(reason.red_lines) == sorted(reason.red_lines) and list(reason.facts) == sorted(reason.facts)
    assert set(reason.red_lines) <= set(brute.red) and set(reason.facts) <= set(brute.facts)
    assert brute.is_minimal_reason(set(reason.red_lines) | set(reason.facts), condition), (text, reason)


# ---------------------------------------------------------------------------------------------- fixed examples

def _two_party(facts=(), extra_red=()):
    issues = issues_of(bool_issue("b"), int_issue("x", 0, 3), enum_issue("e", "lo", "mid", "hi"),
                       set_issue("s", "u", "v"))
    return scenario(issues, [party("a", ["x >= 2", "b", *extra_red], [("e == \"lo\"", 2), ("x == 3", 1)]),
                             party("c", ["x <= 1", "not b or s contains \"u\""], [("s == {}", 1)])], facts)


def test_facts_that_contradict_each_other_are_the_one_conflict():
    scen = _two_party(facts=["x >= 2", "e == \"hi\"", "x <= 1"])
    result = check(scen, conflicts=None, time_limit=GENEROUS)
    assert result.verdict is Verdict.NO_DEAL
    assert result.conflicts == (Conflict((), ("facts/f0", "facts/f2")),)
    assert result.conflicts_complete
    assert result.relaxations == ()


def test_red_line_impossible_alone_is_a_conflict_of_its_own():
    scen = _two_party(extra_red=["x > 3"])
    brute = Brute(scen)
    result = check(scen, conflicts=None, relaxations=MANY, time_limit=GENEROUS)
    assert result.verdict is Verdict.NO_DEAL
    assert {frozenset(c.red_lines) for c in result.conflicts} == brute.muses
    assert Conflict(("a/r2",), ()) in result.conflicts
    assert result.conflicts[-1] == Conflict(("a/r2",), ())  # one party's alone: after those between two parties
    assert all("a/r2" in r.drop for r in result.relaxations)
    assert {frozenset(r.drop) for r in result.relaxations} == brute.mcses == {
        frozenset({"a/r0", "a/r2"}), frozenset({"c/r0", "a/r2"})}


def test_red_line_impossible_only_given_a_fact():
    scen = _two_party(facts=["e != \"hi\"", "s contains \"v\"", "b -> x == 3"], extra_red=["e == \"hi\""])
    result = check(scen, conflicts=None, time_limit=GENEROUS)
    assert Conflict(("a/r2",), ("facts/f0",)) in result.conflicts
    brute = Brute(scen)
    assert {frozenset(c.red_lines) for c in result.conflicts} == brute.muses
    for conflict in result.conflicts:
        assert brute.is_minimal_reason(set(conflict.red_lines) | set(conflict.facts))


def test_why_not_value_reason_can_be_facts_alone():
    scen = _two_party(facts=["s contains \"v\""])
    scen = replace(scen, parties=(scen.parties[0], replace(scen.parties[1], red_lines=())))
    answer = why_not(scen, parse_target(scen, "s="), GENEROUS)
    assert answer.any_deal and not answer.possible
    assert answer.reason == Conflict((), ("facts/f0",))


def test_a_focused_model_enforces_what_the_whole_model_enforces():
    """Focusing a model compiled with its facts enforced keeps them enforced: a red line that contradicts an
    enforced fact is contradictory in the focused model as in the whole one."""
    from feasible.solver.compile import compile_scenario
    from feasible.solver.search import Searcher

    scen = _two_party(facts=["x >= 2"])
    whole = compile_scenario(scen, enforce_red_lines=False)  # the fact enforced, the red lines switchable
    assert whole.enforced == ("facts/f0",)
    focused = whole.focus([], ["c/r0"])  # c/r0: x <= 1
    assert "facts/f0" in focused.enforced and "facts/f0" in focused.rules
    assert Searcher(10).solve(focused.model).infeasible
    assert Searcher(10).solve(whole.with_hard(["c/r0"])).infeasible
    assert not Searcher(10).solve(whole.focus([], ["a/r0"]).model).infeasible  # a/r0: x >= 2
