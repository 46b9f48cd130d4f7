"""The part of CP-SAT that feasible uses, without the half second `ortools.sat.python.cp_model` spends on
importing pandas and numpy (which feasible never needs).

OR-Tools ≥ 9.12 builds `cp_model.CpModel` and `cp_model.CpSolver` as thin Python layers over the C++ module
`cp_model_helper`; `Model` and `Solver` below are the same layers, cut down to the methods feasible calls and
written exactly as OR-Tools writes them, so models and answers are identical (tests/test_cpsat.py compares
the protos and the solves with `cp_model`'s). They are used only with the OR-Tools versions they were checked
against (TESTED); on any other, or one whose helper has changed shape, this module hands out `cp_model`'s own
classes instead: slower to start, same answers.

The environment variable FEASIBLE_CPSAT overrides the choice (docs/reliability.md): `cp_model` always hands out
`cp_model`'s classes (the fallback, so that it can be tested on any version), `lean` uses this layer on any
OR-Tools whose helper has the right shape (to compare it with `cp_model` on a new release before TESTED grows).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import ortools

TESTED = ("9.15.",)  # OR-Tools versions this layer was compared with cp_model on (tests/test_cpsat.py)
SWITCH = "FEASIBLE_CPSAT"
CHOICES = ("cp_model", "lean")  # the values SWITCH may take; unset or empty: this layer exactly on TESTED

try:
    from ortools.sat.python import cp_model_helper as _cmh
    HELPER = True
except ImportError:  # OR-Tools < 9.12 (then _cmh is never used: FITS is false)
    HELPER = False

_BASE_METHODS = ("_add_all_different", "_add_bool_argument_constraint", "_add_bounded_linear_expression",
                 "_add_element", "_add_linear_argument_constraint", "get_or_make_boolean_index", "is_boolean_value",
                 "model_proto", "rebuild_constant_map")
_HELPERS = ("BoolArgumentConstraint", "LinearArgumentConstraint", "SolveWrapper", "ResponseHelper",
            "SatParameters", "CpSolverStatus", "CpSatHelper", "FlatIntExpr", "IntVar", "LinearExpr",
            "BoundedLinearExpression")

FITS = (HELPER and hasattr(_cmh, "CpBaseModel")  # the helper has every part this layer calls
        and all(hasattr(_cmh.CpBaseModel, name) for name in _BASE_METHODS)
        and all(hasattr(_cmh, name) for name in _HELPERS))
CHOICE = os.environ.get(SWITCH, "")
# (the ortools package itself is untyped: only ortools.sat.python ships py.typed)
ORTOOLS_VERSION: str = ortools.__version__  # type: ignore[attr-defined]
LEAN = FITS and (CHOICE == "lean" or CHOICE == "" and ORTOOLS_VERSION.startswith(TESTED))


def switch_problem() -> str | None:
    """What is wrong with FEASIBLE_CPSAT, if anything (checked when a solve starts: see search.new_solver)."""
    if CHOICE not in ("", *CHOICES):
        return f"{SWITCH}={CHOICE!r} is not one of: {', '.join(CHOICES)}"
    if CHOICE == "lean" and not FITS:
        return f"{SWITCH}=lean: OR-Tools {ORTOOLS_VERSION} lacks the C++ model layer it needs"
    return None

if LEAN:
    from ortools.util.python.sorted_interval_list import Domain

    IntVar = _cmh.IntVar
    LinearExpr = _cmh.LinearExpr
    OPTIMAL = _cmh.CpSolverStatus.OPTIMAL
    FEASIBLE = _cmh.CpSolverStatus.FEASIBLE
    INFEASIBLE = _cmh.CpSolverStatus.INFEASIBLE
    UNKNOWN = _cmh.CpSolverStatus.UNKNOWN
    MODEL_INVALID = _cmh.CpSolverStatus.MODEL_INVALID

    class Model(_cmh.CpBaseModel):
        """`cp_model.CpModel`, only the methods feasible calls (same names, same protos)."""

        # (the ignored attr-defined errors below: CpBaseModel's private _add_* methods are missing from OR-Tools'
        # stubs of its C++ layer; FITS checks that they exist)

        def __init__(self) -> None:
            _cmh.CpBaseModel.__init__(self, None)

        @property
        def proto(self):
            return self.model_proto

        def new_bool_var(self, name: str) -> IntVar:
            return IntVar(self.model_proto).with_name(name).with_domain(Domain(0, 1))

        def new_int_var(self, lb: int, ub: int, name: str) -> IntVar:
            return IntVar(self.model_proto).with_name(name).with_domain(Domain(lb, ub))

        def add(self, ct):
            if isinstance(ct, _cmh.BoundedLinearExpression):
                return self._add_bounded_linear_expression(ct)  # type: ignore[attr-defined]
            if self.is_boolean_value(ct):
                return self.add_bool_or([True] if ct else [])
            raise TypeError(f"not supported: Model.add({type(ct).__name__!r})")

        def add_bool_or(self, *literals):
            return self._add_bool_argument_constraint(_cmh.BoolArgumentConstraint.bool_or, *literals)  # type: ignore[attr-defined]

        def add_bool_and(self, *literals):
            return self._add_bool_argument_constraint(_cmh.BoolArgumentConstraint.bool_and, *literals)  # type: ignore[attr-defined]

        def add_exactly_one(self, *literals):
            return self._add_bool_argument_constraint(_cmh.BoolArgumentConstraint.exactly_one, *literals)  # type: ignore[attr-defined]

        def add_all_different(self, *expressions):
            return self._add_all_different(*expressions)  # type: ignore[attr-defined]

        def add_element(self, index, expressions: Sequence, target):
            if not expressions:
                raise ValueError("add_element expects a non-empty expressions array")
            if isinstance(index, int):
                return self.add(list(expressions)[index] == target)
            return self._add_element(index, expressions, target)  # type: ignore[attr-defined]

        def add_division_equality(self, target, num, denom):
            return self._add_linear_argument_constraint(_cmh.LinearArgumentConstraint.div, target, [num, denom])  # type: ignore[attr-defined]

        def add_multiplication_equality(self, target, *expressions):
            return self._add_linear_argument_constraint(_cmh.LinearArgumentConstraint.prod, target, *expressions)  # type: ignore[attr-defined]

        def maximize(self, obj) -> None:
            self._set_objective(obj, maximize=True)

        def minimize(self, obj) -> None:
            self._set_objective(obj, maximize=False)

        def _set_objective(self, obj, maximize: bool) -> None:
            # feasible's objectives are integer (scaled exactly, see objectives.py), so the floating-point
            # branch of cp_model's version is not needed.
            self.clear_objective()
            objective = self.model_proto.objective
            if isinstance(obj, int):
                objective.offset = obj
                objective.scaling_factor = 1.0
                return
            if not isinstance(obj, LinearExpr) or not obj.is_integer():
                raise TypeError(f"{type(obj).__name__!r} is not an integer objective")
            flat = _cmh.FlatIntExpr(obj)
            for var in flat.vars:
                objective.vars.append(var.index)
            if maximize:
                objective.scaling_factor = -1.0
                objective.offset = -flat.offset
                for c in flat.coeffs:
                    objective.coeffs.append(-c)
            else:
                objective.scaling_factor = 1.0
                objective.offset = flat.offset
                objective.coeffs.extend(flat.coeffs)

        def clear_hints(self) -> None:
            self.model_proto.clear_solution_hint()

        def clear_objective(self) -> None:
            self.model_proto.clear_objective()
            self.model_proto.clear_floating_point_objective()

        def add_hint(self, var, value) -> None:
            hint = self.model_proto.solution_hint
            if var.index >= 0:
                hint.vars.append(var.index)
                hint.values.append(int(value))
            else:
                hint.vars.append(-var.index - 1)  # the negation's variable, as cp_model.CpModel.negated
                hint.values.append(int(not value))

        def add_assumptions(self, literals: Iterable) -> None:
            for lit in literals:
                self.model_proto.assumptions.append(self.get_or_make_boolean_index(lit))

        def clear_assumptions(self) -> None:
            self.model_proto.assumptions.clear()

        def clone(self) -> Model:
            copy = Model()
            copy.proto.copy_from(self.proto)
            copy.rebuild_constant_map()
            return copy

        def validate(self) -> str:
            return _cmh.CpSatHelper.validate_model(self.model_proto)

    class Solver:
        """`cp_model.CpSolver`, only what feasible calls: parameters, solve, values, bounds, cores, stop."""

        def __init__(self) -> None:
            self.parameters = _cmh.SatParameters()
            self._response: _cmh.CpSolverResponse | None = None
            self._wrapper: _cmh.SolveWrapper | None = None
            self._lock = threading.Lock()  # stop_search may come from another thread (Ctrl-C)

        def solve(self, model: Model):
            wrapper = _cmh.SolveWrapper()
            with self._lock:
                self._wrapper = wrapper
            wrapper.set_parameters(self.parameters)
            self._response = response = wrapper.solve(model.proto)
            with self._lock:
                self._wrapper = None
            return response.status

        def stop_search(self) -> None:
            with self._lock:
                if self._wrapper is not None:
                    self._wrapper.stop_search()

        @property
        def response_proto(self):
            if self._response is None:
                raise RuntimeError("solve() has not been called.")
            return self._response

        def value(self, expression) -> int:
            return _cmh.ResponseHelper.value(self.response_proto, expression)

        def boolean_value(self, literal) -> bool:
            return _cmh.ResponseHelper.boolean_value(self.response_proto, literal)

        @property
        def objective_value(self) -> float:
            return self.response_proto.objective_value

        @property
        def best_objective_bound(self) -> float:
            return self.response_proto.best_objective_bound

        def sufficient_assumptions_for_infeasibility(self) -> Sequence[int]:
            return _cmh.ResponseHelper.sufficient_assumptions_for_infeasibility(self.response_proto)

else:  # OR-Tools other than TESTED, and FEASIBLE_CPSAT=cp_model (the suite runs on both: docs/reliability.md)
    from ortools.sat.python.cp_model import (FEASIBLE, INFEASIBLE, MODEL_INVALID, OPTIMAL,  # noqa: F401
                                             UNKNOWN, IntVar, LinearExpr)
    # Type checkers go by the lean Model and Solver above (the methods feasible calls, with cp_model's names and
    # meaning: tests/test_cpsat.py compares the two), not by cp_model's classes.
    from ortools.sat.python.cp_model import CpModel as Model  # type: ignore[assignment]  # noqa: F401
    from ortools.sat.python.cp_model import CpSolver as Solver  # type: ignore[assignment]  # noqa: F401

Status = Any  # one of OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
