"""Subset checks on one CP-SAT model: rules switched on by assumption literals.

The model is built once; each check swaps the assumptions, so no model is copied per check. A check that
finds a deal verifies it with the plain evaluator and reports every soft rule that deal satisfies (used to
grow satisfiable sets without extra solves). A contradictory check returns CP-SAT's core, which is
sufficient but not minimal; a core that names a literal outside the assumptions (or-tools #5141, with
presolve) is discarded rather than trusted.

In a large scenario, a check of a few rules (a conflict's members, the facts alone) runs on a focused model
(`Compiled.focus`) of just those rules rather than on the whole one: the deletion steps of one conflict among
2,000 red lines then cost milliseconds instead of a whole-model solve each. A focused model is compiled for
the smallest contradictory core known to contain the checked rules, and re-used for every check inside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from feasible.positions import InternalError
from feasible.positions.rules.syntax import Expr

from .. import cpsat
from ..compile import Compiled
from ..search import Searcher
from ..verify import verify_deal
from .algorithms import Check

FOCUS_AT = 64  # rules in the scenario, at least, before focused models pay for their compilation
FOCUS_SHARE = 4  # a check is focused when it concerns at most 1/FOCUS_SHARE of the scenario's rules
FOCUS_CACHE = 8  # focused models kept for re-use (MARCO meets many cores; memory stays bounded)


def worth_focusing(rules_in_check: int, rules_in_scenario: int) -> bool:
    """Whether a check of this many rules should run on a focused model rather than on the whole one."""
    return rules_in_scenario >= FOCUS_AT and rules_in_check * FOCUS_SHARE <= rules_in_scenario


class SubsetOracle:
    """`oracle(subset)` answers whether the named soft rules can hold together with the hard ones."""

    def __init__(self, compiled: Compiled, soft: Sequence[str], hard: Iterable[str], searcher: Searcher,
                 targets: Sequence[Expr] = (), verifying: bool = False):
        self.verifying = verifying  # part of checking an answer already found (runs on briefly after Ctrl-C)
        self.compiled = compiled
        self.soft = list(soft)
        self.hard = list(hard)
        self.searcher = searcher
        self.targets = list(targets)
        self._whole: tuple[Compiled, cpsat.Model, dict[int, list[str]]] | None = None  # built on first use
        self._focused: dict[frozenset, tuple[Compiled, cpsat.Model, dict[int, list[str]]]] = {}
        self.checks = 0
        self.solved = 0
        # Answers already known: a subset of a satisfied set is satisfiable (same verified deal), a superset of
        # a contradictory core is contradictory. Both are sound; they spare most solver calls in enumeration.
        self.witnessed: list[frozenset] = []
        self.cores: list[frozenset] = []
        self.deals: list[dict] = []  # every deal found, verified: witnesses that later checks can re-use

    def __call__(self, subset: frozenset) -> Check:
        self.checks += 1
        for core in self.cores:
            if core <= subset:
                return Check(False, core=core)
        for satisfied in self.witnessed:
            if subset <= satisfied:
                return Check(True, satisfied)
        answer, deal = self._solve(subset)
        if answer.decided:
            if answer.sat:
                assert deal is not None  # (_solve gives a satisfiable answer with its deal)
                self.witnessed.append(answer.satisfied)
                self.deals.append(deal)
            elif answer.core is not None:
                self.cores.append(answer.core)
        return answer

    def keep_recent(self, count: int) -> None:
        """Keep only the `count` most recent known answers of each kind: they help later checks, but scanning them
        costs each check time, and an oracle kept between questions (a sweep's, a live page's) meets many."""
        if len(self.witnessed) > count:
            del self.witnessed[:-count]
            del self.deals[:-count]
        if len(self.cores) > count:
            del self.cores[:-count]

    def _model_for(self, subset: frozenset) -> tuple[Compiled, cpsat.Model, dict[int, list[str]]]:
        """The compiled rules, the model (hard rules and targets enforced) and assumption index → rule names
        to check `subset` on: a focused model when the check concerns few of the scenario's rules."""
        if worth_focusing(len(subset) + len(self.hard), len(self.compiled.rules)):
            known = [u for u in self._focused if subset <= u]
            if known:
                universe = min(known, key=lambda u: (len(u), sorted(u)))
                return self._focused[universe]
            cores = [c for c in self.cores if subset <= c]
            universe = min(cores, key=lambda c: (len(c), sorted(c))) if cores else subset
            focused = self.compiled.focus(sorted(universe), self.hard, self.targets)
            if len(self._focused) >= FOCUS_CACHE:
                self._focused.pop(next(iter(self._focused)))
            self._focused[universe] = (focused, focused.model, _index(focused, universe))
            return self._focused[universe]
        if self._whole is None:
            model = self.compiled.with_hard(self.hard, self.targets)
            self._whole = (self.compiled, model, _index(self.compiled, self.soft))
        return self._whole

    def _solve(self, subset: frozenset) -> tuple[Check, dict | None]:
        """The answer for `subset`, and the verified deal that satisfies it (None unless satisfiable)."""
        self.solved += 1
        compiled, model, by_index = self._model_for(subset)
        outcome = self.searcher.solve_assuming(model, [compiled.holds[name] for name in sorted(subset)],
                                               verifying=self.verifying)
        if outcome.found:
            deal = compiled.decode(outcome.solved.value)
            truths = verify_deal(self.compiled.scenario, deal, required=set(self.hard) | set(subset))
            self._verify_targets(deal)
            return Check(True, frozenset(name for name in self.soft if truths[name])), deal
        if outcome.infeasible:
            return Check(False, core=_core(outcome.solved, subset, by_index)), None
        return Check(False, decided=False), None

    def _verify_targets(self, deal) -> None:
        from ..evaluate import evaluate

        for target in self.targets:
            if not evaluate(target, self.compiled.scenario.issues, deal):
                raise InternalError("the solver returned a deal that misses the target it was asked for")


def _index(compiled: Compiled, names) -> dict[int, list[str]]:
    """Assumption literal index → the rules it stands for (identical rules share one literal)."""
    by_index: dict[int, list[str]] = {}
    for name in names:
        by_index.setdefault(compiled.holds[name].index, []).append(name)
    return by_index


def _core(solver: cpsat.Solver, subset: frozenset, by_index: dict[int, list[str]]) -> frozenset | None:
    names: set[str] = set()
    for index in solver.sufficient_assumptions_for_infeasibility():
        found = [n for n in by_index.get(index, []) if n in subset]
        if not found:
            return None  # a literal we did not assume: distrust the core, fall back to the whole subset
        names.update(found)
    return frozenset(names)
