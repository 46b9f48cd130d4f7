"""solver/cpsat.py (CP-SAT without pandas) against OR-Tools' own `cp_model`: the same protos, the same answers.

feasible builds its models with `cpsat.Model` to keep pandas out of start-up; these tests build every model a
second time with `cp_model.CpModel` and require the two protos to be identical, and solve both with both
solver classes. Where the lean layer is off (an OR-Tools it was not compared on, or FEASIBLE_CPSAT=cp_model),
`cpsat.Model` is `cp_model.CpModel` and the comparisons are skipped, saying so: comparing a class with itself
proves nothing. `FEASIBLE_CPSAT=lean pytest tests/test_cpsat.py` runs them on a new OR-Tools before TESTED grows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager

import ortools
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from conftest import examples
from feasible.positions import load_scenario
from feasible.positions.shipped import shipped_scenarios
from feasible.solver import Objective, Verdict, check, cpsat
from feasible.solver.compile import compile_scenario
from feasible.solver.objectives import Satisfaction, objective_stages
from solver_support.strategies import scenarios

LEAN_OFF = (f"the lean layer is off (OR-Tools {ortools.__version__}, {cpsat.SWITCH}={cpsat.CHOICE!r}; compared on "
            f"{', '.join(cpsat.TESTED)}): cpsat.Model is cp_model.CpModel, and comparing it with itself proves nothing")
lean_only = pytest.mark.skipif(not cpsat.LEAN, reason=LEAN_OFF)

PROPERTY = settings(derandomize=True, deadline=None, database=None, max_examples=examples(150),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def models_from(model_class):
    saved = cpsat.Model
    cpsat.Model = model_class
    try:
        yield
    finally:
        cpsat.Model = saved


def build(scenario, objective: Objective | None):
    """The model `check` solves for a deal: red lines and facts enforced, the first objective stage set, a hint,
    and (to cover them too) a clone with every demand as an assumption."""
    compiled = compile_scenario(scenario)
    model = compiled.model
    stages = objective_stages(objective, compiled, model) if objective else []
    if stages:
        model.maximize(stages[0])
    for iv in compiled.issues.values():
        if iv.var is not None:
            model.add_hint(iv.var, 0)
        for lit in iv.lits.values():
            model.add_hint(lit.Not(), True)
    clone = model.clone()
    clone.add_assumptions([compiled.holds[d.name] for d in scenario.demands])
    return model, clone


def build_both(scenario, objective):
    lean = build(scenario, objective)
    with models_from(cp_model.CpModel):
        reference = build(scenario, objective)
    assert type(reference[0]) is cp_model.CpModel and type(lean[0]) is cpsat.Model
    return lean, reference


def solve(solver_class, model):
    solver = solver_class()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 7
    status = solver.solve(model)
    found = status in (cpsat.OPTIMAL, cpsat.FEASIBLE)
    core = sorted(solver.sufficient_assumptions_for_infeasibility()) if status == cpsat.INFEASIBLE else None
    return status, solver.objective_value if found else None, list(solver.response_proto.solution), core


def assert_same(lean_models, reference_models):
    for lean, reference in zip(lean_models, reference_models):
        assert str(lean.proto) == str(reference.proto)
        assert lean.validate() == reference.validate() == ""
        answers = {solve(solver_class, model) == solve(cp_model.CpSolver, reference)
                   for solver_class in (cpsat.Solver, cp_model.CpSolver) for model in (lean, reference)}
        assert answers == {True}


def test_the_lean_layer_is_used_exactly_with_the_versions_it_was_checked_on_unless_switched():
    tested = ortools.__version__.startswith(cpsat.TESTED)
    if tested:  # else TESTED names a version this layer does not fit
        assert cpsat.FITS
    expected = {"": tested, "lean": True, "cp_model": False}[cpsat.CHOICE] and cpsat.FITS
    assert cpsat.LEAN == expected
    assert (cpsat.Model is cp_model.CpModel, cpsat.Solver is cp_model.CpSolver) == (not expected, not expected)


@lean_only
@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
@pytest.mark.parametrize("objective", [None, Objective.FAIR, Objective.NASH])
def test_shipped_scenarios_compile_to_the_same_proto(name, objective):
    scenario = load_scenario(shipped_scenarios()[name])
    assert_same(*build_both(scenario, objective))


@lean_only
@PROPERTY
@given(scen=scenarios(), objective=st.sampled_from([None, *Objective]))
def test_random_scenarios_compile_to_the_same_proto(scen, objective):
    assert_same(*build_both(scen, objective))


def test_values_and_bounds_read_like_cp_model():
    model = cpsat.Model()
    x = model.new_int_var(-3, 9, "x")
    b = model.new_bool_var("b")
    model.add(x >= 2).only_enforce_if(b)
    model.add(True)
    model.maximize(x + 3 * b)
    solver = cpsat.Solver()
    assert solver.solve(model) == cpsat.OPTIMAL
    assert (solver.value(x), solver.boolean_value(b), solver.boolean_value(b.Not())) == (9, True, False)
    assert solver.objective_value == solver.best_objective_bound == 12


def test_misuse_is_refused_like_cp_model():
    model = cpsat.Model()
    with pytest.raises(TypeError, match="not supported"):
        model.add("x >= 1")
    with pytest.raises(ValueError, match="non-empty"):
        model.add_element(0, [], 1)
    with pytest.raises(RuntimeError, match="solve"):
        cpsat.Solver().value(model.new_bool_var("b"))
    model.add(False)
    assert cpsat.Solver().solve(model) == cpsat.INFEASIBLE


def _run_check(code: str, **environment: str) -> subprocess.CompletedProcess:
    prelude = "import sys; sys.argv = ['feasible', 'check', 'three-party-toy', '--format', 'json']\n"
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **environment})


@pytest.mark.slow
@pytest.mark.skipif(not cpsat.LEAN, reason=LEAN_OFF + "; cp_model imports pandas")
def test_check_never_imports_pandas():
    code = ("from feasible.cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
            "print('pandas' in sys.modules, 'ortools.sat.python.cp_model' in sys.modules, code, file=sys.stderr)")
    run = _run_check(code)
    assert run.stderr.strip().splitlines()[-1] == "False False 0", run.stderr


@pytest.mark.slow
def test_an_ortools_without_the_model_layer_falls_back_to_cp_model():
    code = ("from ortools.sat.python import cp_model_helper\n"
            "if hasattr(cp_model_helper, 'CpSatHelper'):\n"
            "    del cp_model_helper.CpSatHelper  # as if this OR-Tools had no such helper\n"
            "from feasible.solver import cpsat\n"
            "from ortools.sat.python import cp_model\n"
            "assert not cpsat.LEAN and cpsat.Model is cp_model.CpModel and cpsat.Solver is cp_model.CpSolver\n"
            "from feasible.cli.entry import main\n"
            "main()\n")
    run = _run_check(code, FEASIBLE_CPSAT="")
    assert run.returncode == 0, run.stderr
    assert '"verdict": "deal"' in run.stdout


CHOSEN = ("from feasible.solver import cpsat\nprint(cpsat.LEAN, cpsat.Model.__module__, file=sys.stderr)\n"
          "from feasible.cli.entry import main\nmain()\n")


def test_the_switch_forces_cp_model_with_the_same_answer():
    default, forced = _run_check(CHOSEN, FEASIBLE_CPSAT=""), _run_check(CHOSEN, FEASIBLE_CPSAT="cp_model")
    assert (default.returncode, forced.returncode) == (0, 0), default.stderr + forced.stderr
    assert forced.stderr.splitlines()[0] == "False ortools.sat.python.cp_model"
    assert forced.stdout == default.stdout


@pytest.mark.parametrize("value, message", [
    ("fast", "error: FEASIBLE_CPSAT='fast' is not one of: cp_model, lean"),
    ("CP_MODEL", "error: FEASIBLE_CPSAT='CP_MODEL' is not one of: cp_model, lean"),
])
def test_an_unknown_switch_value_is_refused_before_any_solve(value, message):
    run = _run_check(CHOSEN, FEASIBLE_CPSAT=value)
    assert run.returncode == 2 and run.stdout == ""
    assert message in run.stderr and "Traceback" not in run.stderr


@pytest.mark.skipif(cpsat.FITS, reason=f"OR-Tools {ortools.__version__} has the C++ model layer the lean layer needs")
def test_lean_is_refused_where_the_model_layer_is_missing():
    run = _run_check(CHOSEN, FEASIBLE_CPSAT="lean")
    assert run.returncode == 2 and "lacks the C++ model layer" in run.stderr and "Traceback" not in run.stderr


# -- what feasible asks of CP-SAT holds on the oldest OR-Tools too (pyproject.toml; tools/ortools_range.py) ------

class IntHintsOnly(cpsat.Model):
    """A model that refuses what OR-Tools 9.10's protobuf refuses in a hint: a value that is not an int."""

    def add_hint(self, var, value) -> None:
        assert type(value) is int, f"hint {value!r} is a {type(value).__name__}"
        super().add_hint(var, value)


def test_hints_are_ints(monkeypatch):
    monkeypatch.setattr(cpsat, "Model", IntHintsOnly)
    result = check(load_scenario(shipped_scenarios()["ukraine-2026"]), time_limit=60)
    assert result.verdict is Verdict.NO_DEAL and result.conflicts  # the conflicts come from MARCO's map


def test_a_division_divides_one_variable(tmp_path):
    """OR-Tools before 9.15 divides only an affine expression (one variable); the fair objective divides a
    party's met weight when the parties' total weights have a least common multiple over EXACT_LIMIT."""
    path = tmp_path / "coprime.yaml"
    path.write_text("title: Coprime\nissues:\n  x: {type: bool}\n  y: {type: bool}\nparties:\n"
                    "  - party: a\n    demands:\n      - {id: d1, says: s, rule: x, weight: 999983}\n"
                    "      - {id: d2, says: s, rule: y, weight: 3}\n"
                    "  - party: b\n    demands:\n      - {id: e1, says: s, rule: not x, weight: 999979}\n"
                    "      - {id: e2, says: s, rule: y, weight: 2}\n")
    compiled = compile_scenario(load_scenario(path))
    assert not Satisfaction.of(compiled).exact
    objective_stages(Objective.FAIR, compiled, compiled.model)
    divisions = [c for c in str(compiled.model.proto).split("\nconstraints {") if "int_div {" in c]
    operands = [body for c in divisions for body in re.findall(r"(?:target|exprs) \{([^}]*)\}", c)]
    assert len(divisions) == 2 and len(operands) == 6
    assert all(body.count("vars:") <= 1 for body in operands)
