"""Running CP-SAT under one time budget, deterministically, and optimising in lexicographic stages."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import cpsat

SEED = 20260106  # fixed: same input, same answer
PRESOLVE_FROM = 1000  # constraints: below this, every solve skips CP-SAT's set-up work (docs/benchmarks.md)
VERIFY_GRACE = 3.0  # seconds after Ctrl-C in which answers already found are still verified


@dataclass
class Outcome:
    status: cpsat.Status  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN or MODEL_INVALID
    solver: cpsat.Solver | None  # None: given up (UNKNOWN) before any solve

    @property
    def solved(self) -> cpsat.Solver:
        """The solver that ran: an outcome with a solution, or an infeasible one, always has it."""
        assert self.solver is not None, f"no solver for an outcome of status {self.status}"
        return self.solver

    @property
    def found(self) -> bool:
        return self.status in (cpsat.OPTIMAL, cpsat.FEASIBLE)

    @property
    def infeasible(self) -> bool:
        return self.status == cpsat.INFEASIBLE


@dataclass
class Control:
    """How a long run is watched and stopped from outside (the CLI's progress display and Ctrl-C).

    interruptible: solves run in a helper thread so that `interrupt()` (e.g. from a SIGINT handler on the main
    thread) can stop even a long solve at once; everything after it behaves as if time had run out, so the
    partial answer comes back marked incomplete. progress(stage, solves) is called after each solve.
    """

    interruptible: bool = False
    progress: Callable[[str, int], None] | None = None
    interrupted: bool = False
    interrupted_at: float = 0.0
    _active: cpsat.Solver | None = field(default=None, repr=False)

    def interrupt(self) -> None:
        self.interrupted = True
        self.interrupted_at = time.monotonic()
        active = self._active
        if active is not None:
            active.stop_search()


class Searcher:
    """Solves models one after another within a shared deadline; one worker and a fixed seed keep every run
    identical (the answer never depends on thread timing)."""

    def __init__(self, time_limit: float, control: Control | None = None, label: str = "the scenario"):
        self.label = label  # names the scenario in internal errors
        self.time_limit = time_limit
        self.deadline = time.monotonic() + time_limit
        self.solves = 0
        self.control = control or Control()
        self.stage = "searching"
        self.ties_cut = 0  # optimisations whose tie-breaking stages the time limit or Ctrl-C cut short

    def remaining(self) -> float:
        if self.control.interrupted:
            return 0.0
        return self.deadline - time.monotonic()

    @contextmanager
    def budget(self, seconds: float) -> Iterator[None]:
        """Within the block, stop after `seconds` at most (the overall deadline still applies)."""
        saved = self.deadline
        self.deadline = min(saved, time.monotonic() + seconds)
        try:
            yield
        finally:
            self.deadline = saved

    def _run(self, solver: cpsat.Solver, model: cpsat.Model) -> cpsat.Status:
        if not self.control.interruptible:
            return solver.solve(model)
        result: list[cpsat.Status] = []
        worker = threading.Thread(target=lambda: result.append(solver.solve(model)), daemon=True)
        self.control._active = solver
        try:
            worker.start()
            while worker.is_alive():
                worker.join(0.05)  # short waits let the main thread run signal handlers
                if self.control.interrupted:  # (an interrupt from another thread just before the solve began)
                    solver.stop_search()
        finally:
            self.control._active = None
        return result[0] if result else cpsat.UNKNOWN

    def solve_assuming(self, model: cpsat.Model, literals: list, *, verifying: bool = False) -> Outcome:
        """Solve once with these assumption literals (presolve off: assumption cores need it off, see solve), the
        model's assumptions cleared before and after, so that a model shared by many questions carries none over."""
        model.clear_assumptions()
        model.add_assumptions(literals)
        try:
            return self.solve(model, presolve=False, verifying=verifying)
        finally:
            model.clear_assumptions()

    def solve(self, model: cpsat.Model, *, presolve: bool = True, verifying: bool = False) -> Outcome:
        """Solve once within the remaining time. presolve=False (with the rest of CP-SAT's set-up work) suits
        many quick checks (it costs more than it saves on them) and assumption cores (or-tools #5141 concerns presolve). Verifying solves may run
        for VERIFY_GRACE seconds past an interruption, so that what was found can still be checked and shown."""
        remaining = self.remaining()
        if verifying and remaining <= 0:
            # Answers already found are still checked (and so shown) for a short while after the time limit or
            # Ctrl-C; past that they are dropped, never shown unverified.
            stopped = self.control.interrupted_at if self.control.interrupted else self.deadline
            grace = min(VERIFY_GRACE, max(0.5, 0.25 * self.time_limit))
            remaining = stopped + grace - time.monotonic()
        if remaining <= 0:
            return Outcome(cpsat.UNKNOWN, None)
        if len(model.proto.constraints) < PRESOLVE_FROM:
            presolve = False  # small models: the set-up costs more than the whole search (see new_solver)
        solver = new_solver(remaining, presolve=presolve, setup=presolve)
        try:
            status = self._run(solver, model)
        except MemoryError:
            from feasible.positions import InternalError

            raise InternalError(f"CP-SAT ran out of memory on the model compiled from {self.label}") from None
        self.solves += 1
        if self.control.progress is not None:
            self.control.progress(self.stage, self.solves)
        if status == cpsat.MODEL_INVALID:
            from feasible.positions import InternalError

            raise InternalError(f"CP-SAT rejected the model compiled from {self.label}: {model.validate()}")
        return Outcome(status, solver)

    def optimize(self, model: cpsat.Model, stages: list, scored: int | None = None,
                 ceilings: Sequence[int | None] = ()) -> tuple[Outcome, bool, float | None]:
        """Find any solution first, then maximise each stage in turn, keeping the earlier stages at their optimum.

        The first solve has no objective: whether a solution exists is settled before any optimisation (which
        can be far harder), and the optimisation starts from it. The first `scored` stages (default: all) are
        the objective; later ones only break ties. Returns the last outcome with a solution (or the failing
        first one), whether the objective was proved optimal, and when it was not, the relative gap between the
        value found and CP-SAT's bound on the first unproved stage (1.0 when that stage found nothing).
        `ceilings` (by stage, None where unknown) are values a stage cannot exceed: a stage whose expression
        already reaches its ceiling in the solution at hand is settled without a solve (most tie-breaks are).
        `model` is changed: pass a clone.
        """
        scored = len(stages) if scored is None else scored
        best = self.solve(model)
        if not best.found or not stages:
            return best, best.status == cpsat.OPTIMAL, None
        _hint(model, best.solved)
        for index, expr in enumerate(stages):
            ceiling = ceilings[index] if index < len(ceilings) else None
            if isinstance(expr, int) or (ceiling is not None and best.solved.value(expr) >= ceiling):
                if not isinstance(expr, int):
                    model.add(expr >= ceiling)
                continue
            model.maximize(expr)
            outcome = self.solve(model)
            if not outcome.found:
                self.ties_cut += index >= scored
                return best, index >= scored, None if index >= scored else 1.0
            if outcome.status != cpsat.OPTIMAL:
                if index >= scored:  # the objective is settled; only a tie-break was cut short
                    self.ties_cut += 1
                    return outcome, True, None
                value, bound = outcome.solved.objective_value, outcome.solved.best_objective_bound
                return outcome, False, _gap(value, bound)
            best = outcome
            value = int(round(outcome.solved.objective_value))
            model.add(expr >= value)
            _hint(model, outcome.solved)
        return best, True, None


def new_solver(seconds: float, *, seed: int = SEED, presolve: bool = True, setup: bool = True) -> cpsat.Solver:
    """A CP-SAT solver as every solve of feasible uses one: one worker and a fixed seed (same input, same
    answer), Ctrl-C left to the caller (see Control), at most `seconds`. presolve=False skips presolve;
    setup=False skips the rest of CP-SAT's set-up work (linear relaxation, probing, symmetry detection), which
    costs more than it saves on quick checks and small models (measured: Ukraine's 58 solves 0.23 s -> 0.07 s;
    docs/benchmarks.md)."""
    problem = cpsat.switch_problem()
    if problem is not None:
        from feasible.positions import UserError

        raise UserError(problem, hint=f"unset {cpsat.SWITCH}, or see docs/reliability.md")
    solver = cpsat.Solver()
    parameters = solver.parameters
    parameters.num_workers = 1
    parameters.random_seed = seed
    parameters.max_time_in_seconds = seconds
    parameters.catch_sigint_signal = False
    parameters.cp_model_presolve = presolve
    if not setup:
        parameters.linearization_level = 0
        parameters.cp_model_probing_level = 0
        parameters.symmetry_level = 0
    return solver


def _gap(value: float, bound: float) -> float:
    """How far the value found may be from the best possible, relative to the bound (0 means proved)."""
    if bound == value:
        return 0.0
    return round(abs(bound - value) / max(abs(bound), abs(value), 1e-9), 6)


def _hint(model: cpsat.Model, solver: cpsat.Solver) -> None:
    """Start the next stage from the current solution (written straight into the proto: a Python loop over
    every variable costs more than the solve on large models)."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(model.proto.variables)))
    hint.values.extend(solver.response_proto.solution)
