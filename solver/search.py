"""Running CP-SAT under one time budget, deterministically, and optimising in lexicographic stages."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

SEED = 20260106  # fixed: same input, same answer


@dataclass
class Outcome:
    status: int  # a cp_model status: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN or MODEL_INVALID
    solver: cp_model.CpSolver | None

    @property
    def found(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def infeasible(self) -> bool:
        return self.status == cp_model.INFEASIBLE


class Searcher:
    """Solves models one after another within a shared deadline; one worker and a fixed seed keep every run
    identical (the answer never depends on thread timing)."""

    def __init__(self, time_limit: float):
        self.time_limit = time_limit
        self.deadline = time.monotonic() + time_limit
        self.solves = 0

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def solve(self, model: cp_model.CpModel, *, presolve: bool = True) -> Outcome:
        """Solve once within the remaining time. presolve=False suits many small checks (it costs more than
        it saves on them) and assumption cores (or-tools #5141 concerns presolve)."""
        remaining = self.remaining()
        if remaining <= 0:
            return Outcome(cp_model.UNKNOWN, None)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = SEED
        solver.parameters.max_time_in_seconds = remaining
        solver.parameters.cp_model_presolve = presolve
        status = solver.solve(model)
        self.solves += 1
        if status == cp_model.MODEL_INVALID:
            from positions import InternalError

            raise InternalError(f"CP-SAT rejected the compiled model: {model.validate()}")
        return Outcome(status, solver)

    def optimize(self, model: cp_model.CpModel, stages: list) -> tuple[Outcome, bool]:
        """Maximise each stage in turn, keeping the earlier stages at their optimum.

        Returns the last outcome with a solution (or the failing one) and whether every stage was proved
        optimal. `model` is changed: pass a clone.
        """
        outcome = self.solve(model) if not stages else None
        if outcome is not None:
            return outcome, outcome.status == cp_model.OPTIMAL
        best: Outcome | None = None
        for expr in stages:
            model.maximize(expr)
            outcome = self.solve(model)
            if not outcome.found:
                return (best, False) if best is not None else (outcome, False)
            best = outcome
            if outcome.status != cp_model.OPTIMAL:
                return best, False
            value = int(round(outcome.solver.objective_value))
            model.add(expr >= value)
            _hint(model, outcome.solver)
        return best, True


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Start the next stage from the current solution."""
    model.clear_hints()
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(var))
