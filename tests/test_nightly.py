"""Nightly-size cross-checks (opt-in): thousands of random scenarios against the plain evaluator and brute force.

Skipped unless the nightly hypothesis profile is loaded (tests/conftest.py), so the default run (and CI's) only
collects it. To run it:

    HYPOTHESIS_PROFILE=nightly pytest tests/test_nightly.py            # 5,000 examples per property, today's seed
    HYPOTHESIS_PROFILE=nightly FEASIBLE_NIGHTLY_EXAMPLES=20000 FEASIBLE_NIGHTLY_SEED=7 pytest tests/test_nightly.py -x

(`HYPOTHESIS_PROFILE=nightly pytest -n 2` runs it with the rest of the suite at ten times its example counts.)

- FEASIBLE_NIGHTLY_EXAMPLES (default 5,000): examples per property test.
- FEASIBLE_NIGHTLY_SEED (default: today's date, YYYYMMDD, UTC): hypothesis' seed; each night explores new
  scenarios, and a failure is replayed by setting the seed it printed (`FEASIBLE_NIGHTLY_SEED=...` is noted
  with every failing example).
- FEASIBLE_NIGHTLY_GENERATED (default 300): generated scenarios (benchmarks/generate.py) for the planted-conflict
  check.

The properties are the suite's own: the test functions of tests/test_solver_properties.py and
tests/test_conflict_properties.py, run with their strategies (tests/solver_support/) and oracles (brute force
over every assignment, judged by solver.evaluate), only with many more examples and a random seed; plus a
deeper-rule variant of the brute-force check and, at a larger size where brute force is out of reach, generated
scenarios whose conflicts are planted and known exactly (every deal and every relaxation's deal re-checked by
the plain evaluator).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, note, seed, settings
from hypothesis import strategies as st

import test_conflict_properties as conflicts
import test_solver_properties as solver
from conftest import PROFILE
from feasible.solver import Objective, Verdict, check
from feasible.solver.evaluate import holds
from solver_support.strategies import scenarios

NIGHTLY = PROFILE == "nightly"
pytestmark = pytest.mark.skipif(not NIGHTLY, reason="nightly-size cross-checks: set HYPOTHESIS_PROFILE=nightly "
                                                    "(docs/testing.md)")

EXAMPLES = int(os.environ.get("FEASIBLE_NIGHTLY_EXAMPLES", "5000"))
SEED = int(os.environ.get("FEASIBLE_NIGHTLY_SEED", time.strftime("%Y%m%d", time.gmtime())))
GENERATED = int(os.environ.get("FEASIBLE_NIGHTLY_GENERATED", "300"))


def nightly(test, examples: int = EXAMPLES, **strategies):
    """The hypothesis test function `test` of the default suite, re-run with `examples` random examples under
    SEED (its own settings otherwise: no deadline, no database)."""
    inner = test.hypothesis.inner_test

    @functools.wraps(inner)
    def run(**kwargs):
        note(f"FEASIBLE_NIGHTLY_SEED={SEED}")
        inner(**kwargs)

    return seed(SEED)(settings(solver.PROPERTY, max_examples=examples, derandomize=False)(given(**strategies)(run)))


OBJECTIVES = list(Objective)

# -- tests/test_solver_properties.py ------------------------------------------------------------------------------

test_nightly_check_agrees_with_brute_force = nightly(
    solver.test_check_agrees_with_brute_force, scen=scenarios())

test_nightly_deeper_rules_and_four_parties_agree_with_brute_force = nightly(
    solver.test_check_agrees_with_brute_force, EXAMPLES // 5, scen=scenarios(max_parties=4, depth=3))

test_nightly_alternative_deals_agree_with_brute_force = nightly(
    solver.test_alternative_deals_agree_with_brute_force, scen=scenarios(), objective=st.sampled_from(OBJECTIVES))

test_nightly_large_weights_stay_within_the_documented_tolerance = nightly(
    solver.test_large_weights_stay_within_the_documented_tolerance, EXAMPLES // 5,
    scen=scenarios(weights=st.integers(200, 3000)))

# -- tests/test_conflict_properties.py ----------------------------------------------------------------------------

test_nightly_conflicts_relaxations_unreachable_agree_with_brute_force = nightly(
    conflicts.test_check_conflicts_relaxations_unreachable_agree_with_brute_force, scen=conflicts.any_scenarios,
    objective=st.sampled_from([Objective.FAIR, Objective.FAIR, Objective.WELFARE]))

test_nightly_limits_on_conflicts_and_relaxations = nightly(
    conflicts.test_limits_on_conflicts_and_relaxations, scen=conflicts.any_scenarios, limit=st.integers(1, 3),
    wanted=st.integers(0, 3))

test_nightly_why_not_agrees_with_brute_force = nightly(
    conflicts.test_why_not_agrees_with_brute_force, data=st.data(), scen=conflicts.any_scenarios)


# -- generated scenarios with planted conflicts -------------------------------------------------------------------

def _generate():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("feasible_bench_generate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _planted_cases():
    return list(range(GENERATED))


@pytest.mark.parametrize("index", _planted_cases() if NIGHTLY else [0])
def test_nightly_generated_scenarios_have_exactly_the_planted_conflicts(tmp_path, index):
    """Scenarios of 20-60 issues and 30-80 red lines, 0-3 planted conflicts (sum kernels that may overlap, or
    implication kernels over every issue type): the verdict is right, the conflicts found are exactly the planted
    MUSes, and every deal shown (the best deal, or each relaxation's) meets its rules by the plain evaluator."""
    from feasible.positions import load_scenario

    generate = _generate()
    count = index % 4
    kernel = "sum" if index % 2 else "implication"
    generated = generate.random_scenario(
        SEED * 1000 + index, parties=2 + index % 4, issues=20 + index % 41, red_lines=30 + index % 51,
        demands=5 + index % 10, facts=index % 4, conflicts=count, conflict_size=3 + index % 2,
        overlap=1 if kernel == "sum" and count > 1 and index % 3 == 0 else 0, kernel=kernel)
    where = f"FEASIBLE_NIGHTLY_SEED={SEED} index={index}: {generated.summary()}"
    try:
        _check_planted(generated, load_scenario(generated.write(tmp_path / "scen")))
    except AssertionError as exc:
        raise AssertionError(f"{where}\n{exc}") from exc


def _check_planted(generated, scenario) -> None:
    result = check(scenario, conflicts=None, relaxations=3, time_limit=120)
    hard = scenario.facts + scenario.red_lines
    if generated.feasible:
        assert result.verdict is Verdict.DEAL
        for rule in hard:
            assert holds(rule, scenario.issues, result.deal.values), rule.name
        return
    assert result.verdict is Verdict.NO_DEAL
    assert result.conflicts_complete
    assert {frozenset(c.red_lines) for c in result.conflicts} == set(generated.conflicts)
    for relaxation in result.relaxations:
        dropped = set(relaxation.drop)
        assert all(any(name in dropped for name in conflict) for conflict in generated.conflicts)
        for rule in hard:
            if rule.name not in dropped:
                assert holds(rule, scenario.issues, relaxation.deal.values), (rule.name, sorted(dropped))
