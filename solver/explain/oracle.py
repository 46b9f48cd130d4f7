"""Subset checks on one CP-SAT model: rules switched on by assumption literals.

The model is built once; each check swaps the assumptions, so no model is copied per check. A check that
finds a deal verifies it with the plain evaluator and reports every soft rule that deal satisfies (used to
grow satisfiable sets without extra solves). A contradictory check returns CP-SAT's core, which is
sufficient but not minimal; a core that names a literal outside the assumptions (or-tools #5141, with
presolve) is discarded rather than trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from positions import InternalError
from positions.rules.syntax import Expr

from .. import cpsat
from ..compile import Compiled
from ..search import Searcher
from ..verify import verify_deal
from .algorithms import Check


class SubsetOracle:
    """`oracle(subset)` answers whether the named soft rules can hold together with the hard ones."""

    def __init__(self, compiled: Compiled, soft: Sequence[str], hard: Iterable[str], searcher: Searcher,
                 targets: Sequence[Expr] = (), verifying: bool = False):
        self.verifying = verifying  # part of checking an answer already found (runs on briefly after Ctrl-C)
        self.compiled = compiled
        self.soft = list(soft)
        self.hard = list(hard)
        self.searcher = searcher
        self.model = compiled.with_hard(self.hard, targets)
        self.targets = list(targets)
        self.by_index: dict[int, list[str]] = {}
        for name in self.soft:
            self.by_index.setdefault(compiled.holds[name].index, []).append(name)
        self.checks = 0
        self.solved = 0
        # Answers already known: a subset of a satisfied set is satisfiable (same verified deal), a superset of
        # a contradictory core is contradictory. Both are sound; they spare most solver calls in enumeration.
        self.witnessed: list[frozenset] = []
        self.cores: list[frozenset] = []
        self.deals: list[dict] = []  # every deal found, verified: witnesses that later checks can re-use
        self._last_deal: dict | None = None

    def __call__(self, subset: frozenset) -> Check:
        self.checks += 1
        for core in self.cores:
            if core <= subset:
                return Check(False, core=core)
        for satisfied in self.witnessed:
            if subset <= satisfied:
                return Check(True, satisfied)
        answer = self._solve(subset)
        if answer.decided:
            if answer.sat:
                self.witnessed.append(answer.satisfied)
                self.deals.append(self._last_deal)
            elif answer.core is not None:
                self.cores.append(answer.core)
        return answer

    def _solve(self, subset: frozenset) -> Check:
        self.solved += 1
        model = self.model
        model.clear_assumptions()
        model.add_assumptions([self.compiled.holds[name] for name in sorted(subset)])
        outcome = self.searcher.solve(model, presolve=False, verifying=self.verifying)
        model.clear_assumptions()
        if outcome.found:
            deal = self.compiled.decode(outcome.solver.value)
            truths = verify_deal(self.compiled.scenario, deal, required=set(self.hard) | set(subset))
            self._last_deal = deal
            self._verify_targets(deal)
            return Check(True, frozenset(name for name in self.soft if truths[name]))
        if outcome.infeasible:
            return Check(False, core=self._core(outcome.solver, subset))
        return Check(False, decided=False)

    def _core(self, solver: cpsat.Solver, subset: frozenset) -> frozenset | None:
        names: set[str] = set()
        for index in solver.sufficient_assumptions_for_infeasibility():
            found = [n for n in self.by_index.get(index, []) if n in subset]
            if not found:
                return None  # a literal we did not assume: distrust the core, fall back to the whole subset
            names.update(found)
        return frozenset(names)

    def _verify_targets(self, deal) -> None:
        from ..evaluate import evaluate

        for target in self.targets:
            if not evaluate(target, self.compiled.scenario.issues, deal):
                raise InternalError("the solver returned a deal that misses the target it was asked for")
