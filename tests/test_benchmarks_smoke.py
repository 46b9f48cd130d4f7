"""Smoke tests of benchmarks/: the generator's planted facts hold, and the bench scripts run at a tiny size.

No test here asserts a time. The CPMpy parts are skipped unless the `bench` extra is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402

from feasible.positions import load_scenario  # noqa: E402
from feasible.positions.model import IssueKind  # noqa: E402
from feasible.solver import check  # noqa: E402
from feasible.solver.compile import compile_scenario  # noqa: E402
from feasible.solver.evaluate import evaluate  # noqa: E402
from feasible.solver.explain.algorithms import muses_brute_force  # noqa: E402
from feasible.solver.explain.conflicts import find_conflicts  # noqa: E402
from feasible.solver.explain.oracle import SubsetOracle  # noqa: E402
from feasible.solver.search import Searcher  # noqa: E402


def _load(generated: generate.Generated, directory: Path):
    return load_scenario(generated.write(directory))


def _conflicts(scenario):
    compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
    found, complete = find_conflicts(compiled, Searcher(60), limit=None)
    return {frozenset(c.red_lines) for c in found}, complete


def _hidden_deal_meets_the_fillers(generated: generate.Generated, scenario) -> None:
    """Every fact and every red line outside the planted kernels holds in the hidden deal."""
    for rule in scenario.facts + scenario.red_lines:
        if rule.name not in generated.kernel:
            assert evaluate(rule.expr, scenario.issues, generated.deal), f"{rule.name}: {rule.text}"


def test_chain_is_the_reference_instance():
    g = generate.chain(0)
    kinds = [spec.get("type", "enum") for spec in g.issues.values()]
    assert kinds.count("bool") == 40 and kinds.count("int") == 11 and len(kinds) == 51
    assert g.red_line_count == 60 and len(g.parties) == 3 and not g.facts
    assert len(g.conflicts) == 10 and all(len(c) == 3 for c in g.conflicts)
    rules = {f"{p['party']}/{r['id']}": r["rule"] for p in g.parties for r in p["red_lines"]}
    for i in range(10):
        expected = {f"x{i} >= 5", f"x{i + 1} >= 5", f"x{i} + x{i + 1} <= 7"}
        assert any({rules[n] for n in c} == expected for c in g.conflicts)


def test_planted_defaults():
    g = generate.planted(0)
    s = g.summary()
    assert (s["red_lines"], s["issues"], s["parties"], s["conflict_sizes"]) == (2000, 300, 20, [5])
    kinds = {spec.get("type", "enum") for spec in g.issues.values()}
    assert kinds == {"bool", "int", "enum", "set"}
    assert any(spec.get("ordered") for spec in g.issues.values())


def test_same_seed_same_files_and_other_seed_differs():
    assert generate.planted(3, red_lines=50, issues=20).files() == generate.planted(3, red_lines=50, issues=20).files()
    assert generate.planted(3, red_lines=50, issues=20).files() != generate.planted(4, red_lines=50, issues=20).files()


@pytest.mark.parametrize("generated", [
    generate.chain(1, links=3, bools=8, fillers=6, parties=2, demands=3),
    generate.planted(2, red_lines=40, issues=25, parties=4, demands=6, facts=4),
    generate.random_scenario(3, parties=3, issues=15, red_lines=30, demands=5, facts=3, conflicts=3,
                             conflict_size=4, overlap=2, kernel="sum"),
    generate.random_scenario(4, parties=3, issues=15, red_lines=30, demands=5, facts=3, conflicts=2,
                             conflict_size=6, kernel="implication"),
    generate.random_scenario(5, parties=2, issues=10, red_lines=12, conflicts=1, conflict_size=2),
], ids=["chain", "planted", "sum-overlap", "implication", "size-2"])
def test_planted_conflicts_are_exactly_what_the_solver_finds(generated, tmp_path):
    scenario = _load(generated, tmp_path / "scenario")  # loading validates every file
    _hidden_deal_meets_the_fillers(generated, scenario)
    found, complete = _conflicts(scenario)
    assert complete
    assert found == set(generated.conflicts)
    assert len(found) == len(generated.conflicts)


def test_feasible_family_has_a_deal(tmp_path):
    generated = generate.feasible(1, red_lines=60, issues=30, parties=4, demands=40, facts=5)
    scenario = _load(generated, tmp_path / "feasible")
    _hidden_deal_meets_the_fillers(generated, scenario)
    assert not generated.conflicts
    assert check(scenario, room=False).verdict.value == "deal"


def test_brute_force_agrees_on_a_tiny_instance(tmp_path):
    generated = generate.random_scenario(6, parties=2, issues=8, red_lines=9, facts=2, conflicts=2,
                                         conflict_size=3, overlap=1, kernel="sum")
    scenario = _load(generated, tmp_path / "tiny")
    compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
    red = [r.name for r in scenario.red_lines]
    oracle = SubsetOracle(compiled, red, [f.name for f in scenario.facts], Searcher(60))
    assert muses_brute_force(red, lambda subset: oracle(subset).sat) == set(generated.conflicts)


def test_brute_peer_is_exact_on_a_tiny_instance_and_refuses_big_ones(tmp_path):
    import brute_peer

    generated = generate.random_scenario(9, parties=2, issues=2, red_lines=9, facts=2, conflicts=2, conflict_size=3,
                                         overlap=1, kernel="sum")
    found = brute_peer.explain(_load(generated, tmp_path / "tiny"))
    assert found.assignments == 4 * 11 ** 3 and not found.deal_exists
    assert set(found.muses) == set(generated.conflicts) and len(found.muses) == len(generated.conflicts)
    assert all(all(m & c for c in found.muses) for m in found.mcses)  # every relaxation breaks every conflict
    assert found.cheapest and all(found.cost(m) == found.cheapest_cost for m in found.cheapest)
    with pytest.raises(brute_peer.TooLarge, match="refuses"):
        brute_peer.explain(_load(generate.planted(1, red_lines=30, issues=20, parties=2, demands=2, facts=2),
                                 tmp_path / "big"))


def test_single_file_form_and_validate_command(tmp_path, cli):
    generated = generate.random_scenario(7, issues=12, red_lines=15, conflicts=1, conflict_size=3)
    single = tmp_path / "one.yaml"
    single.write_text(generated.single_yaml(), encoding="utf-8")
    directory = generated.write(tmp_path / "dir")
    assert load_scenario(single) == load_scenario(directory)
    result = cli("validate", str(directory))
    assert result.exit_code == 0, result.output


def test_generator_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["generate.py", "random", "--issues", "10", "--red-lines", "12",
                                      "--conflicts", "2", "--conflict-size", "3", "--out", str(tmp_path / "g")])
    generate.main()
    assert '"conflicts": 2' in capsys.readouterr().out
    load_scenario(tmp_path / "g")


# -- CPMpy (the `bench` extra) -------------------------------------------------------------------------------------

def test_cpmpy_translation_agrees_with_the_evaluator(tmp_path):
    cp = pytest.importorskip("cpmpy")
    import cpmpy_peer

    generated = generate.random_scenario(8, parties=3, issues=25, red_lines=80, demands=80, facts=5)
    scenario = _load(generated, tmp_path / "s")
    t = cpmpy_peer._Translator(scenario)
    fixed = []
    for name, value in generated.deal.items():
        issue = scenario.issues[name]
        if issue.kind is IssueKind.SET:
            fixed += [lit == (v in value) for v, lit in t.lits[name].items()]
        elif issue.kind is IssueKind.ENUM:
            fixed.append(t.var[name] == issue.values.index(value))
        else:
            fixed.append(t.var[name] == value)
    rules = scenario.rules()
    exprs = [t.cond(r.expr) for r in rules]
    model = cp.Model(fixed)
    flags = cp.boolvar(shape=len(exprs))
    model += [f == e for f, e in zip(flags, exprs)]
    assert model.solve()
    for rule, flag in zip(rules, flags):
        assert bool(flag.value()) == bool(evaluate(rule.expr, scenario.issues, generated.deal)), rule.text


def test_cpmpy_peer_finds_the_planted_conflicts(tmp_path):
    pytest.importorskip("cpmpy")
    import cpmpy_peer

    generated = generate.chain(2, links=3, bools=8, fillers=5, parties=2, demands=2)
    scenario = _load(generated, tmp_path / "chain")
    assert cpmpy_peer.one_mus(scenario) in generated.conflicts
    muses, mcses = cpmpy_peer.all_muses(scenario)
    assert set(muses) == set(generated.conflicts) and len(muses) == len(generated.conflicts) and mcses > 0
    drop, cost = cpmpy_peer.cheapest_relaxation(scenario)
    assert all(drop & c for c in generated.conflicts)
    assert cost == sum(generated.weights()[n] for n in drop)


def test_explain_bench_runs_and_writes_its_section(tmp_path):
    pytest.importorskip("cpmpy")
    import explain_bench

    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n<!-- check-startup:begin -->\nkept\n<!-- check-startup:end -->\n",
                   encoding="utf-8")
    argv = ["--tiny", "--red-lines", "30", "--runs", "1", "--big-runs", "1", "--workdir", str(tmp_path / "work"),
            "--write", "--doc", str(doc)]
    explain_bench.main(argv)
    explain_bench.main(argv + ["--only", "one-mus-chain"])  # rewrites the section in place
    text = doc.read_text(encoding="utf-8")
    assert "<!-- check-startup:begin -->\nkept\n<!-- check-startup:end -->" in text
    assert text.count(explain_bench.BEGIN) == 1 and text.count(explain_bench.END) == 1
    assert "one-mus-chain" in text and "--tiny" in text
    explain_bench.main(argv + ["--only", "all-muses-small-brute", "relax-small-brute"])
    text = doc.read_text(encoding="utf-8")
    assert "all-muses-small-brute" in text and "relax-small-brute" in text and "brute force" in text
