"""Open values: for one deal, the values each issue can take when it alone changes (every other issue as in the
deal) while every required rule still holds and every party's satisfaction stays the same.

With everything else fixed, only the rules that mention the issue can change, so each value is judged on those
alone: by the plain evaluator value by value (`_Judge`), or, for an int or set issue too wide for that, by CP-SAT on
a model of those rules alone (`_Local`), whose answers the evaluator re-checks. How each kind goes about it is its
encoder's `open_values` (solver/encoders.py); this module gives the encoders those two judges (`_Prober`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from feasible.positions.model import Issue, Rule, RuleKind, Scenario, rules_by_issue
from feasible.positions.rules.syntax import Expr, Membership, Name, StrLit, children, names
from feasible.positions.utility import Utility, issues_scored

from . import cpsat
from .compile import Compiled
from .encoders import IssueVars, OpenCutShort
from .evaluate import evaluate, holds
from .result import Deal, OpenValues
from .search import Searcher
from .utility import PartyUtility, block_expr, party_utilities, utility_value


@dataclass(frozen=True)  # (a frozen dataclass keeps a cached_property in its __dict__)
class _Judge:
    """Whether one value of an issue keeps the deal as it is, by the plain evaluator over the rules that mention
    the issue: the required ones hold, the targets hold, and each party's weight of demands met is unchanged."""

    scenario: Scenario
    deal: Mapping[str, Any]
    issue: str
    required: tuple[Rule, ...]
    demands: tuple[Rule, ...]
    targets: tuple[Expr, ...]
    blocks: tuple[str, ...] = ()  # the parties whose utility block scores the issue: their utility must not change

    def met(self, deal: Mapping[str, Any]) -> dict[str, int]:
        weights: dict[str, int] = {}
        for demand in self.demands:
            if holds(demand, self.scenario.issues, deal):
                weights[demand.owner] = weights.get(demand.owner, 0) + demand.weight
        return weights

    @cached_property
    def met_in_deal(self) -> dict[str, int]:
        return self.met(self.deal)

    @cached_property
    def units(self) -> tuple[PartyUtility, ...]:
        return party_utilities(self.scenario, self.blocks)

    def utilities(self, deal: Mapping[str, Any]) -> list[int]:
        return [utility_value(self.scenario, unit, deal) for unit in self.units]

    @cached_property
    def utilities_in_deal(self) -> list[int]:
        return self.utilities(self.deal)

    def __call__(self, value: Any) -> bool:
        deal = {**self.deal, self.issue: value}
        issues = self.scenario.issues
        return (all(holds(rule, issues, deal) for rule in self.required)
                and all(evaluate(target, issues, deal) for target in self.targets)
                and self.met(deal) == self.met_in_deal and self.utilities(deal) == self.utilities_in_deal)


def with_open_values(compiled: Compiled, deal: Deal, required: Collection[str], searcher: Searcher,
                     targets: Sequence[Expr] = ()) -> Deal:
    """The deal with its open values, and whether the time limit cut them short."""
    opened = open_values(compiled, deal, required, searcher, targets)
    return replace(deal, open=opened, open_cut=len(opened) < len(deal.values))


def open_values(compiled: Compiled, deal: Deal, required: Collection[str], searcher: Searcher,
                targets: Sequence[Expr] = ()) -> dict[str, OpenValues]:
    """Every issue's open values in `deal` (which meets the `required` rules and the targets), as far as the time
    limit allows: the issues it leaves out are shown as their value alone."""
    scenario = compiled.scenario
    required = set(required)
    mentions = rules_by_issue(r for r in scenario.rules() if r.name in required or r.kind is RuleKind.DEMAND)
    blocks: dict[str, tuple[str, ...]] = {}  # issue → the parties whose utility block scores it
    for party in scenario.parties:
        for scored in issues_scored(party.utility) if party.utility is not None else ():
            blocks[scored] = (*blocks.get(scored, ()), party.id)
    result = {}
    for name, iv in compiled.issues.items():
        if searcher.remaining() <= 0:
            break
        rules = mentions.get(name, ())
        judge = _Judge(scenario, deal.values, name, tuple(r for r in rules if r.name in required),
                       tuple(r for r in rules if r.name not in required),
                       tuple(t for t in targets if name in names(t)), blocks.get(name, ()))
        result[name] = iv.encoder.open_values(iv.issue, deal.values[name], _Prober(compiled, judge, searcher))
    return result


# -- wide issues: CP-SAT on the rules that mention the issue, the rest of the deal fixed ------------------------------

@dataclass
class _Local:
    """A model of the rules that mention one issue, every other issue they mention fixed as in the deal, with a
    literal `keeps` true exactly when the issue's value keeps the deal as it is."""

    model: cpsat.Model
    issue: IssueVars | None  # None when no rule mentions the issue
    keeps: Any

    @staticmethod
    def of(compiled: Compiled, issue: Issue, judge: _Judge) -> _Local:
        rules = [*judge.required, *judge.demands]
        scored = [Name(n) for p in judge.blocks for n in issues_scored(compiled.scenario.party(p).utility or Utility())]
        local = compiled.focus(soft=[r.name for r in rules], declare=[*judge.targets, *scored])
        model = local.model
        for name, iv in local.issues.items():
            if name != issue.name:
                model.add_bool_or([iv.encoder.differs(model, iv, judge.deal[name]).Not()])
        lits = [local.holds[r.name] for r in judge.required] + [local.compiler.rule(t) for t in judge.targets]
        before = judge.met_in_deal
        for party in dict.fromkeys(d.owner for d in judge.demands):
            met = sum(d.weight * local.holds[d.name] for d in judge.demands if d.owner == party)
            same = model.new_bool_var(f"same[{party}]")
            model.add(met == before.get(party, 0)).only_enforce_if(same)
            model.add(met != before.get(party, 0)).only_enforce_if(same.Not())
            lits.append(same)
        for party, before_utility in zip(judge.blocks, judge.utilities_in_deal):
            utility = block_expr(local, party)
            same = model.new_bool_var(f"same_utility[{party}]")
            model.add(utility == before_utility).only_enforce_if(same)
            model.add(utility != before_utility).only_enforce_if(same.Not())
            lits.append(same)
        keeps = local.compiler.conjunction(lits)
        own = local.issues.get(issue.name)
        if own is None:  # no rule mentions the issue: every value keeps the deal
            return _Local(model, None, local.true)
        return _Local(model, own, keeps)

    def solve(self, searcher: Searcher, keeps: bool, extra: Sequence, minimise: Any = None) -> Any:
        """A solution of the model with `keeps` as asked and the extra constraints, or None when there is none;
        `minimise`: its least value. Raises OutOfTime when the time limit decides nothing."""
        model = self.model.clone()
        model.add_bool_or([self.keeps if keeps else self.keeps.Not()])
        for constraint in extra:
            model.add(constraint)
        if minimise is not None:
            model.minimize(minimise)
        outcome = searcher.solve(model, presolve=False)
        if outcome.infeasible:
            return None
        if not outcome.found or (minimise is not None and outcome.status != cpsat.OPTIMAL):
            raise OpenCutShort()
        return outcome.solved


@dataclass
class _Prober:
    """Judges values of one issue for its encoder (solver/encoders.py `OpenProber`): one by one by the plain
    evaluator, and over a wide domain by CP-SAT on the rules that mention the issue (built on first use)."""

    compiled: Compiled
    judge: _Judge
    searcher: Searcher
    _local: _Local | None = None

    def keeps(self, value: Any) -> bool:
        return self.judge(value)

    @property
    def local(self) -> _Local:
        if self._local is None:
            self._local = _Local.of(self.compiled, self.compiled.issues[self.judge.issue].issue, self.judge)
        return self._local

    @property
    def mentioned(self) -> bool:
        return self.local.issue is not None

    def _vars(self) -> IssueVars:
        assert self.local.issue is not None, "asked to solve for an issue no rule mentions"
        return self.local.issue

    def lowest(self, keeps: bool, at_least: int) -> int | None:
        var = self._vars().value_var
        solved = self.local.solve(self.searcher, keeps, [var >= at_least], var)
        return None if solved is None else int(solved.value(var))

    def subset_where(self, value: str, included: bool) -> frozenset | None:
        lits = self._vars().lits
        solved = self.local.solve(self.searcher, True, [lits[value] == int(included)])
        return None if solved is None else frozenset(v for v, lit in lits.items() if solved.boolean_value(lit))

    def values_asked(self) -> frozenset[str] | None:
        asked: set[str] = set()
        exprs = [r.expr for r in (*self.judge.required, *self.judge.demands)] + list(self.judge.targets)
        return frozenset(asked) if all(_asks_membership(e, self.judge.issue, asked) for e in exprs) else None

    def every_subset_keeps(self, always: Sequence[str], never: Sequence[str]) -> bool:
        lits = self._vars().lits
        bounds = [lits[v] == 1 for v in always] + [lits[v] == 0 for v in never]
        return self.local.solve(self.searcher, False, bounds) is None


def _asks_membership(expr: Expr, issue: str, asked: set[str]) -> bool:
    """Whether `expr` uses the issue only as `"v" in issue` (adding each such v to `asked`)."""
    if isinstance(expr, Membership) and isinstance(expr.container, Name) and expr.container.name == issue \
            and isinstance(expr.item, StrLit):
        asked.add(expr.item.value)
        return True
    if isinstance(expr, Name):
        return expr.name != issue
    return all(_asks_membership(child, issue, asked) for child in children(expr))
