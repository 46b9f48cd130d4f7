"""Conflicts and relaxations: feasible against CPMpy's `cpmpy.tools.explain`, on the same generated instances,
in the same run, on the same CP-SAT; and, on a small instance, against a plain brute-force baseline.

Rows (each side starts from the same loaded `positions.Scenario`; model compilation, or translation to CPMpy,
is inside the timing; loading YAML and importing are not):

- one-mus-planted: one minimal conflict among N red lines (default 2,000) with one planted conflict of 5:
  `find_conflicts(compiled, searcher, limit=1)` vs `mus`. Goal: at most half CPMpy's time (and within 1 s).
- all-muses-chain: every conflict of the 60-red-line chain (10 overlapping conflicts of 3), with proof that
  there are no more: `find_conflicts(..., limit=None)` (`complete` must be True) vs `marco`. Goal: 3x faster.
- relax-chain / relax-planted: the cheapest relaxation: `find_relaxations(compiled, Objective.FAIR, searcher,
  limit=1)` (which also verifies it and finds the best deal it opens) vs `mcs_opt` with the red lines'
  weights. Goal on the chain: no slower than CPMpy. The core step (compilation and the hitting-set search,
  without the verification and the deal) is timed separately from the same runs.
- check-planted-2000: the whole answer of `feasible check FILE` (default options: the verdict, the conflicts,
  the relaxations with the deal each opens, all verified, within the default time limit) on the file of
  issue 12 (shared/cases/planted-2000.yaml: 20 parties, 2,000 red lines, 2,000 demands, one planted conflict
  of 5) vs CPMpy `mus` then `mcs_opt` on the same red lines. Skipped when the file is not there.
- one-mus-chain: one conflict of the chain (no goal; for scale).
- all-muses-small / relax-small: the same calls against `marco` / `mcs_opt` on the small instance (14 red lines,
  2 planted conflicts of 3, 40,400 assignments; no goal).
- all-muses-small-brute / relax-small-brute: the same calls on the small instance against the plain brute-force
  peer (benchmarks/brute_peer.py: every assignment judged by the plain evaluator, then every subset of the red
  lines), which finds every conflict and every relaxation exactly. No goal: it is the baseline.

Both sides must agree: the same conflicts as planted (and, against brute force, the same conflicts as it
finds), the same cheapest cost (against brute force: feasible's relaxation is one of its cheapest). Every row
reports the median wall time of --runs runs (--big-runs for the instances with N red lines), the two sides
alternating, after one warm-up run of each. --write replaces the "explain-vs-cpmpy" section of docs/benchmarks.md.

    pip install -e '.[bench]'
    python benchmarks/explain_bench.py --runs 5 --big-runs 3 --write
    python benchmarks/explain_bench.py --only all-muses-chain --runs 5
    python benchmarks/explain_bench.py --only all-muses-small-brute relax-small-brute --runs 5
    python benchmarks/explain_bench.py --only check-planted-2000 --big-runs 3
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import brute_peer  # noqa: E402  (benchmarks/ is not a package)
import docsection  # noqa: E402
import generate  # noqa: E402
from machine_load import Load  # noqa: E402

from feasible.positions import load_scenario  # noqa: E402
from feasible.positions.model import Scenario  # noqa: E402
from feasible.solver.check import check  # noqa: E402
from feasible.solver.compile import compile_scenario  # noqa: E402
from feasible.solver.explain import conflicts as conflicts_mod  # noqa: E402
from feasible.solver.explain.conflicts import find_conflicts  # noqa: E402
from feasible.solver.explain.relaxations import find_relaxations  # noqa: E402
from feasible.solver.result import Objective  # noqa: E402
from feasible.solver.search import Searcher  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "explain-vs-cpmpy"
BEGIN, END = docsection.markers(SECTION)
TIME_LIMIT = 3600.0  # never the limiting factor here
ROWS = ("one-mus-planted", "all-muses-chain", "relax-chain", "relax-planted", "one-mus-chain", "all-muses-small",
        "all-muses-small-brute", "relax-small", "relax-small-brute", "check-planted-2000")
# issue 12's file, from the checkout's sibling `shared` directory or the machine's
SHARED_CASE = next((d / "cases" / "planted-2000.yaml" for d in (ROOT.parent / "shared", Path("/work/shared"))
                    if (d / "cases" / "planted-2000.yaml").is_file()), None)
BIG = ("planted", "planted-2000")  # instances timed --big-runs times
SMALL = {"parties": 3, "issues": 3, "red_lines": 14, "demands": 3, "facts": 2, "conflicts": 2, "conflict_size": 3,
         "kernel": "implication"}  # random family: 7 issues (2 kernels of 2), 40,400 (or 20,200) assignments
SMALL_TINY = {**SMALL, "issues": 2, "red_lines": 10}  # 400 assignments


# -- instrumentation (this process only; the product code is not changed) ------------------------------------------

class Probe:
    """Counts and times, per phase of the explanation, the CP-SAT solves, map-solver solves, subset checks and
    plain-evaluator verifications, by wrapping the functions for the duration of one run."""

    def __init__(self) -> None:
        self.phase = "other"
        self.stats: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0.0])

    def add(self, key: tuple[str, str], seconds: float) -> None:
        entry = self.stats[key]
        entry[0] += 1
        entry[1] += seconds

    def count(self, phase: str, what: str) -> int:
        return self.stats[(phase, what)][0] if (phase, what) in self.stats else 0

    def seconds(self, phase: str, what: str) -> float:
        return self.stats[(phase, what)][1] if (phase, what) in self.stats else 0.0

    def total(self, what: str) -> tuple[int, float]:
        found = [v for (_, w), v in self.stats.items() if w == what]
        return sum(v[0] for v in found), sum(v[1] for v in found)

    def _phased(self, function: Callable, phase: str) -> Callable:
        def wrapper(*args, **kwargs):
            before, self.phase = self.phase, phase
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add((phase, "total"), time.perf_counter() - started)
                self.phase = before
        return wrapper

    def _timed(self, function: Callable, what: str) -> Callable:
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add((self.phase, what), time.perf_counter() - started)
        return wrapper

    @contextmanager
    def installed(self):
        from feasible.solver import deals, verify
        from feasible.solver.explain import algorithms, oracle

        patches: list[tuple[Any, str, Any]] = []

        def patch(owner, name: str, wrap: Callable[[Callable], Callable]) -> None:
            original = owner.__dict__.get(name)
            if original is not None:
                setattr(owner, name, wrap(original))
                patches.append((owner, name, original))

        for name, phase in (("marco", "search"), ("cheapest_mcses", "search"), ("conflict_facts", "facts"),
                            ("verify_conflict", "verify"), ("verify_relaxation", "verify"), ("find_deals", "deal")):
            patch(conflicts_mod, name, lambda f, phase=phase: self._phased(f, phase))
        patch(Searcher, "solve", lambda f: self._timed(f, "solve"))
        patch(algorithms.MapSolver, "maximal_seed", lambda f: self._timed(f, "map"))
        patch(algorithms.HittingSets, "cheapest", lambda f: self._timed(f, "map"))
        patch(oracle.SubsetOracle, "__call__", lambda f: self._timed(f, "check"))
        patch(oracle.SubsetOracle, "_solve", lambda f: self._timed(f, "oracle-solve"))
        for module in (oracle, conflicts_mod, deals, verify):
            patch(module, "verify_deal", lambda f: self._timed(f, "evaluate"))
        try:
            yield self
        finally:
            for owner, name, original in reversed(patches):
                setattr(owner, name, original)


class PeerProbe:
    """Counts and times CPMpy's CP-SAT solves: with assumptions (subset checks) and without (map / optimisation)."""

    def __init__(self) -> None:
        self.stats: dict[str, list] = defaultdict(lambda: [0, 0.0])

    @contextmanager
    def installed(self):
        from cpmpy.solvers.ortools import CPM_ortools

        original = CPM_ortools.__dict__["solve"]
        probe = self

        def solve(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                kind = "subset" if kwargs.get("assumptions") is not None else "map/opt"
                probe.stats[kind][0] += 1
                probe.stats[kind][1] += time.perf_counter() - started

        import cpmpy_peer

        def timed(function: Callable, what: str) -> Callable:
            def wrapper(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    probe.stats[what][0] += 1
                    probe.stats[what][1] += time.perf_counter() - started
            return wrapper

        original_init, original_translate = CPM_ortools.__dict__["__init__"], cpmpy_peer.translate
        CPM_ortools.solve = solve
        CPM_ortools.__init__ = timed(original_init, "build")
        cpmpy_peer.translate = timed(original_translate, "translate")
        try:
            yield self
        finally:
            CPM_ortools.solve = original
            CPM_ortools.__init__ = original_init
            cpmpy_peer.translate = original_translate


# -- the two sides -----------------------------------------------------------------------------------------------

def _compiled(scenario: Scenario, probe: Probe):
    started = time.perf_counter()
    compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
    probe.add(("compile", "total"), time.perf_counter() - started)
    return compiled


def feasible_one_mus(scenario: Scenario, probe: Probe) -> dict:
    compiled = _compiled(scenario, probe)
    found, complete = find_conflicts(compiled, Searcher(TIME_LIMIT), limit=1)
    return {"muses": [frozenset(c.red_lines) for c in found]}


def feasible_all_muses(scenario: Scenario, probe: Probe) -> dict:
    compiled = _compiled(scenario, probe)
    found, complete = find_conflicts(compiled, Searcher(TIME_LIMIT), limit=None)
    return {"muses": [frozenset(c.red_lines) for c in found], "complete": complete}


def feasible_relaxation(scenario: Scenario, probe: Probe) -> dict:
    compiled = _compiled(scenario, probe)
    found = find_relaxations(compiled, Objective.FAIR, Searcher(TIME_LIMIT), limit=1).listed
    return {"drop": frozenset(found[0].drop), "cost": found[0].cost, "deal": found[0].deal is not None}


def feasible_check(scenario: Scenario, probe: Probe) -> dict:
    """`feasible check FILE` as a user runs it: default options and time limit (compilation included)."""
    result = check(scenario)
    cheapest = result.relaxations[0] if result.relaxations else None
    return {"muses": [frozenset(c.red_lines) for c in result.conflicts], "complete": result.conflicts_complete,
            "drop": frozenset(cheapest.drop) if cheapest else None, "cost": cheapest.cost if cheapest else None,
            "relaxations": len(result.relaxations), "relaxations_complete": result.relaxations_complete,
            "deals": sum(r.deal is not None for r in result.relaxations)}


def peer_one_mus(scenario: Scenario) -> dict:
    import cpmpy_peer

    return {"muses": [cpmpy_peer.one_mus(scenario)]}


def peer_all_muses(scenario: Scenario) -> dict:
    import cpmpy_peer

    muses, mcses = cpmpy_peer.all_muses(scenario)
    return {"muses": muses, "mcses": mcses}


def peer_relaxation(scenario: Scenario) -> dict:
    import cpmpy_peer

    drop, cost = cpmpy_peer.cheapest_relaxation(scenario)
    return {"drop": drop, "cost": cost}


def peer_mus_then_relaxation(scenario: Scenario) -> dict:
    return {**peer_one_mus(scenario), **peer_relaxation(scenario)}


def brute_all_muses(scenario: Scenario) -> dict:
    found = brute_peer.explain(scenario)
    return {"muses": found.muses, "mcses": len(found.mcses), "deal": found.deal_exists, "explained": found}


def brute_relaxation(scenario: Scenario) -> dict:
    found = brute_peer.explain(scenario)
    return {"cheapest": found.cheapest, "cost": found.cheapest_cost, "mcses": len(found.mcses), "explained": found}


# -- instances and rows ------------------------------------------------------------------------------------------

@dataclass
class Instance:
    key: str
    generated: generate.Generated | None  # None for a file given as is (its conflicts are not known here)
    scenario: Scenario
    label: str
    options: str  # the explain_bench options that rebuild it


def build_instances(seed: int, red_lines: int, workdir: Path, *, tiny: bool = False) -> dict[str, Instance]:
    """The chain, planted and small instances, written as scenario directories and loaded like any scenario."""
    if tiny:
        chain = generate.chain(seed, links=3, bools=8, fillers=5, parties=2, demands=2)
        planted = generate.planted(seed, red_lines=red_lines, issues=30, parties=4, demands=8, facts=3)
        small = generate.random_scenario(seed, **SMALL_TINY)
    else:
        chain = generate.chain(seed)
        planted = generate.planted(seed, red_lines=red_lines)
        small = generate.random_scenario(seed, **SMALL)
    found = {}
    for key, generated in (("chain", chain), ("planted", planted), ("small", small)):
        scenario = load_scenario(generated.write(workdir / key))
        s = generated.summary()
        sizes = sorted(set(s["conflict_sizes"]))
        label = (f"{key}: {s['red_lines']} red lines, {s['issues']} issues, {s['parties']} parties, "
                 f"{s['facts']} facts, {s['conflicts']} planted conflict(s) of {'/'.join(map(str, sizes))}")
        if key == "small":
            params = ", ".join(f"{k}={v!r}" for k, v in generated.params.items())
            label += (f"; {brute_peer.assignment_count(scenario):,} assignments of the issues "
                      f"(`generate.random_scenario({params})`)")
        options = f"--seed {seed}" + (f" --red-lines {red_lines}" if key == "planted" else "")
        found[key] = Instance(key, generated, scenario, label, options + (" --tiny" if tiny else ""))
    if SHARED_CASE is not None and not tiny:
        found["planted-2000"] = Instance("planted-2000", None, load_scenario(SHARED_CASE),
                                         f"planted-2000: `{SHARED_CASE}`, the file of issue 12: 20 parties, 2,000 red "
                                         "lines, 2,000 demands, one planted conflict of 5", "")
    return found


@dataclass
class Row:
    id: str
    measurement: str
    instance: str
    feasible_call: str
    peer_call: str
    feasible: Callable[[Scenario, Probe], dict]
    peer: Callable[[Scenario], dict]
    goal: float | None  # feasible / peer must be at most this
    seconds_goal: float | None = None  # and feasible's median at most this many seconds
    peer_name: str = "CPMpy"  # or "brute force"
    times: dict[str, list[float]] = field(default_factory=lambda: {"feasible": [], "peer": []})
    core_times: list[float] = field(default_factory=list)  # relaxations: without verification and deal
    probe: Probe | None = None
    peer_probe: PeerProbe | None = None
    results: dict[str, dict] = field(default_factory=dict)
    agreement: str = ""
    agrees: bool = False


def make_rows() -> dict[str, Row]:
    mus_f, mus_p = "`find_conflicts(…, limit=1)`", "CPMpy `mus`"
    all_f, all_p = "`find_conflicts(…, limit=None)`", "CPMpy `marco`"
    rel_f, rel_p = "`find_relaxations(…, FAIR, limit=1)`", "CPMpy `mcs_opt`"
    check_f, check_p = "`check(scenario)`: what `feasible check FILE` answers", "CPMpy `mus`, then `mcs_opt`"
    all_b = "brute force: every assignment, every subset → all MUSes"
    rel_b = "brute force: every assignment, every subset → cheapest MCS"
    brute = "brute force"
    return {
        "one-mus-planted": Row("one-mus-planted", "one conflict", "planted", mus_f, mus_p, feasible_one_mus,
                               peer_one_mus, 0.5, 1.0),
        "all-muses-chain": Row("all-muses-chain", "all conflicts, proved complete", "chain", all_f, all_p,
                               feasible_all_muses, peer_all_muses, 1 / 3),
        "relax-chain": Row("relax-chain", "cheapest relaxation", "chain", rel_f, rel_p, feasible_relaxation,
                           peer_relaxation, 1.0),
        "relax-planted": Row("relax-planted", "cheapest relaxation", "planted", rel_f, rel_p, feasible_relaxation,
                             peer_relaxation, None),
        "one-mus-chain": Row("one-mus-chain", "one conflict", "chain", mus_f, mus_p, feasible_one_mus, peer_one_mus,
                             None),
        "all-muses-small": Row("all-muses-small", "all conflicts, proved complete", "small", all_f, all_p,
                               feasible_all_muses, peer_all_muses, None),
        "all-muses-small-brute": Row("all-muses-small-brute", "all conflicts, proved complete", "small", all_f, all_b,
                                     feasible_all_muses, brute_all_muses, None, peer_name=brute),
        "relax-small": Row("relax-small", "cheapest relaxation", "small", rel_f, rel_p, feasible_relaxation,
                           peer_relaxation, None),
        "relax-small-brute": Row("relax-small-brute", "cheapest relaxation", "small", rel_f, rel_b,
                                 feasible_relaxation, brute_relaxation, None, peer_name=brute),
        "check-planted-2000": Row("check-planted-2000", "conflict and cheapest relaxation", "planted-2000", check_f,
                                  check_p, feasible_check, peer_mus_then_relaxation, None),
    }


def check_agreement(row: Row, instance: Instance) -> None:
    if row.peer_name == "brute force":
        return check_brute_agreement(row, instance)
    if instance.generated is None:
        return check_whole_answer_agreement(row)
    f, p = row.results["feasible"], row.results["peer"]
    planted = set(instance.generated.conflicts)
    notes, ok = [], True
    if "muses" in f:
        if row.id.startswith("all"):
            same = set(f["muses"]) == set(p["muses"]) == planted and len(f["muses"]) == len(p["muses"])
            ok &= same and f.get("complete", False)
            notes.append(f"{len(f['muses'])} = {len(p['muses'])} conflicts, as planted" if same else
                         f"DIFFER: feasible {len(f['muses'])}, CPMpy {len(p['muses'])}, planted {len(planted)}")
            notes.append("complete" if f.get("complete") else "NOT complete")
        else:
            fine = all(m in planted for m in f["muses"] + p["muses"]) and len(f["muses"]) == 1
            ok &= fine
            notes.append("both found a planted conflict" if fine else "DIFFER from the planted conflicts")
    else:
        same = f["cost"] == p["cost"]
        ok &= same and f["deal"]
        notes.append(f"cost {f['cost']} = {p['cost']}" if same else f"DIFFER: cost {f['cost']} vs {p['cost']}")
    row.agreement, row.agrees = "; ".join(notes), ok


def check_whole_answer_agreement(row: Row) -> None:
    """`check`'s answer against CPMpy's: the same one conflict, proved the only one; a cheapest relaxation of
    the same cost, with the search for relaxations finished."""
    f, p = row.results["feasible"], row.results["peer"]
    notes = []
    same_conflict = f["muses"] == p["muses"]
    notes.append(f"the same conflict of {len(p['muses'][0])}" if same_conflict else
                 f"DIFFER: feasible {[sorted(m) for m in f['muses']]}, CPMpy {[sorted(m) for m in p['muses']]}")
    notes.append("the only one (complete)" if f["complete"] else "conflicts NOT complete")
    same_cost = f["cost"] == p["cost"]
    notes.append(f"cost {f['cost']} = {p['cost']}" if same_cost else f"DIFFER: cost {f['cost']} vs {p['cost']}")
    notes.append(f"{f['relaxations']} relaxations, " + ("complete" if f["relaxations_complete"] else "NOT complete")
                 + f", {f['deals']} with the deal it opens")
    row.agreement = "; ".join(notes)
    row.agrees = same_conflict and f["complete"] and same_cost and f["relaxations_complete"]


def check_brute_agreement(row: Row, instance: Instance) -> None:
    """Against the exact answer: the same conflicts as brute force finds (and as planted), proved complete; a
    relaxation of the cheapest cost that is one of brute force's cheapest minimal correction sets."""
    f, p = row.results["feasible"], row.results["peer"]
    planted = set(instance.generated.conflicts)
    notes, ok = [], True
    if "muses" in f:
        same = set(f["muses"]) == set(p["muses"]) and len(f["muses"]) == len(p["muses"])
        ok &= same and set(p["muses"]) == planted and f.get("complete", False) and not p["deal"]
        as_planted = "as planted" if set(p["muses"]) == planted else "brute force's DIFFER from the planted ones"
        notes.append(f"{len(f['muses'])} = {len(p['muses'])} conflicts (the same sets), {as_planted}" if same else
                     f"DIFFER: feasible {len(f['muses'])}, brute force {len(p['muses'])} conflicts, {as_planted}")
        notes.append("complete" if f.get("complete") else "NOT complete")
    else:
        same = f["cost"] == p["cost"]
        among = f["drop"] in p["cheapest"]
        ok &= same and among and f["deal"]
        notes.append(f"cost {f['cost']} = {p['cost']}" if same else f"DIFFER: cost {f['cost']} vs {p['cost']}")
        notes.append(f"feasible's is among brute force's cheapest ({len(p['cheapest'])} of {p['mcses']} relaxations)"
                     if among else "feasible's is NOT among brute force's cheapest relaxations")
    row.agreement, row.agrees = "; ".join(notes), ok


def run_row(row: Row, instance: Instance, runs: int) -> None:
    scenario = instance.scenario
    for warm in (True, False):
        for _ in range(1 if warm else runs):
            probe = Probe()
            peer_probe = PeerProbe() if row.peer_name == "CPMpy" else None
            with probe.installed():
                started = time.perf_counter()
                row.results["feasible"] = row.feasible(scenario, probe)
                elapsed = time.perf_counter() - started
            with peer_probe.installed() if peer_probe is not None else nullcontext():
                started = time.perf_counter()
                row.results["peer"] = row.peer(scenario)
                peer_elapsed = time.perf_counter() - started
            if not warm:
                row.times["feasible"].append(elapsed)
                row.times["peer"].append(peer_elapsed)
                row.core_times.append(elapsed - probe.seconds("verify", "total") - probe.seconds("deal", "total"))
                row.probe, row.peer_probe = probe, peer_probe
    check_agreement(row, instance)


# -- report ------------------------------------------------------------------------------------------------------

def _git() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine(load: Load | None = None) -> str:
    others = load.others() if load is not None else None
    busy = "" if others is None else f"; other processes kept {others:.1f} of {os.cpu_count()} cores busy on average"
    return (f"{platform.machine()}, {platform.processor() or 'cpu'}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, OR-Tools {version('ortools')}, CPMpy {version('cpmpy')}, "
            f"numpy {version('numpy')}; feasible at {_git()}{busy}")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _spread(values: list[float]) -> str:
    if len(values) < 2:
        return _fmt(_median(values))
    return f"{_fmt(_median(values))} ({_fmt(min(values))}–{_fmt(max(values))})"


def _fmt(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def table(rows: list[Row], instances: dict[str, Instance], args, load: Load | None = None) -> str:
    out = [BEGIN, "", machine(load), ""]
    out += [f"- **{inst.key}**: {inst.label}." for inst in instances.values()
            if any(r.instance == inst.key for r in rows)]
    out += ["", "| measurement | instance | feasible | peer | feasible: median (min–max) s | "
                "peer: median (min–max) s | feasible / peer | goal | met | agreement | reproduce |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        inst = instances[row.instance]
        f, p = _median(row.times["feasible"]), _median(row.times["peer"])
        ratio = f / p
        goal = "—" if row.goal is None else f"≤ {row.goal:.2f}"
        met = "—" if row.goal is None else ("yes" if ratio <= row.goal else "**no**")
        if row.seconds_goal is not None:
            goal += f", and ≤ {row.seconds_goal:g} s"
            met += f", {'yes' if f <= row.seconds_goal else '**no**'}"
        runs = len(row.times["feasible"])
        count = "--big-runs" if row.instance in BIG else "--runs"
        command = f"`python benchmarks/explain_bench.py --only {row.id} {count} {runs} {inst.options}`"
        out.append(f"| {row.measurement} | {row.instance} | {row.feasible_call} | {row.peer_call} | "
                   f"{_spread(row.times['feasible'])} | {_spread(row.times['peer'])} | {ratio:.2f} | {goal} | {met} | "
                   f"{row.agreement} | {command} |")
        if row.id.startswith("relax"):
            core = _median(row.core_times)
            goal_core = "—" if row.goal is None else ("yes" if core / p <= row.goal else "**no**")
            out.append(f"| … core step only (compile + hitting-set search) | {row.instance} | "
                       f"`find_relaxations` minus verification and deal | {row.peer_call} | "
                       f"{_spread(row.core_times)} | {_spread(row.times['peer'])} | "
                       f"{core / p:.2f} | {goal} | {goal_core} | same runs | same runs |")
    out += ["", "Where the time goes, from the last timed run of each row (n × total seconds; "
            "per-call cost in brackets):", "",
            "| row | feasible: compile | subset solves (MARCO, hitting sets) | map / hitting-set solves | "
            "oracle calls (from cache) | plain-evaluator checks | fact minimisation | verification of the answer | "
            "deal it opens | other solves (verdict, first checks) | CPMpy: translate + build solver | "
            "CPMpy: subset solves | CPMpy: map / optimisation solves |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def cell(n: int, seconds: float, per: bool = True) -> str:
        if not n:
            return "—"
        return f"{n} × {seconds:.3f} s" + (f" ({1000 * seconds / n:.1f} ms)" if per else "")

    for row in rows:
        pr, pp = row.probe, row.peer_probe
        checks, _ = pr.total("check")
        oracle_solves, _ = pr.total("oracle-solve")
        evals, eval_s = pr.total("evaluate")
        if pp is None:  # brute force: no CPMpy
            peer_cells = "— | — | — |"
        else:
            build = pp.stats.get("translate", [0, 0.0])[1] + pp.stats.get("build", [0, 0.0])[1]
            peer_cells = (f"{build:.3f} s | {cell(*pp.stats.get('subset', [0, 0.0]))} | "
                          f"{cell(*pp.stats.get('map/opt', [0, 0.0]))} |")
        out.append(
            f"| {row.id} | {pr.seconds('compile', 'total'):.3f} s | "
            f"{cell(pr.count('search', 'solve'), pr.seconds('search', 'solve'))} | "
            f"{cell(*pr.total('map'))} | "
            f"{f'{checks} ({checks - oracle_solves})' if checks else '—'} | "
            f"{cell(evals, eval_s)} | "
            f"{cell(pr.count('facts', 'solve'), pr.seconds('facts', 'total'), per=False)} | "
            f"{cell(pr.count('verify', 'solve'), pr.seconds('verify', 'total'))} | "
            f"{cell(pr.count('deal', 'solve'), pr.seconds('deal', 'total'))} | "
            f"{cell(pr.count('other', 'solve'), pr.seconds('other', 'solve'))} | {peer_cells}")
    brute = [row for row in rows if row.peer_name == "brute force"]
    if brute:
        out.append("")
    for row in brute:
        e = row.results["peer"]["explained"]
        out.append(f"- {row.id}, brute force (last timed run): {e.assignments:,} assignments judged by the plain "
                   f"evaluator ({e.meeting_facts:,} meet the facts; {e.masks} distinct sets of red lines met) in "
                   f"{e.enumerate_seconds:.3f} s, then the 2^{len(e.red_lines)} subsets of the red lines in "
                   f"{e.subset_seconds:.3f} s: {len(e.muses)} conflicts, {len(e.mcses)} relaxations.")
    out += ["", "Both sides start from the same loaded scenario (YAML loading and imports excluded) and include "
            "building their model: feasible compiles to CP-SAT, CPMpy translates the rule syntax tree "
            "(benchmarks/cpmpy_peer.py) and transforms it for CP-SAT. feasible solves with 1 worker and a fixed "
            "seed, and verifies every answer (extra solves and plain-evaluator checks, counted above); CPMpy "
            "uses CP-SAT's defaults (presolve on; one worker under assumptions, all cores for `mcs_opt`). "
            "The brute-force peer (benchmarks/brute_peer.py) uses no solver: it judges every assignment of the "
            "issues with the plain evaluator, keeps the sets of red lines met by those meeting the facts, and reads "
            "every conflict and relaxation off the 2^n subsets of the red lines; it refuses instances over "
            f"{brute_peer.MAX_ASSIGNMENTS:,} assignments or {brute_peer.MAX_RED_LINES} red lines. "
            f"Medians of --runs (small instances) and --big-runs (N red lines) runs after one warm-up. "
            "CPMpy is a benchmark-only dependency: `pip install -e '.[bench]'`. "
            f"Whole table: `python benchmarks/explain_bench.py --runs {args.runs} --big-runs {args.big_runs} "
            f"--red-lines {args.red_lines} --seed {args.seed}{' --tiny' if args.tiny else ''} --write`.", "", END]
    return "\n".join(out)


def write_section(text: str, doc: Path = DOC) -> None:
    """Replace this benchmark's section of the doc (or append it), leaving the rest as is."""
    docsection.write_section(SECTION, "Conflicts and relaxations against CPMpy and brute force", text, doc)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per row on the chain")
    parser.add_argument("--big-runs", type=int, default=3, help="timed runs per row on the planted instance")
    parser.add_argument("--red-lines", type=int, default=2000, help="red lines of the planted instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="+", choices=ROWS, help="run only these rows")
    parser.add_argument("--tiny", action="store_true", help="tiny instances (smoke test)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/feasible-bench"),
                        help="where the generated scenarios are written")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--doc", type=Path, default=DOC, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    instances = build_instances(args.seed, args.red_lines, args.workdir, tiny=args.tiny)
    load = Load()
    rows = [row for key, row in make_rows().items() if args.only is None or key in args.only]
    for row in [row for row in rows if row.instance not in instances]:
        print(f"{row.id}: skipped (shared/cases/planted-2000.yaml not found, or --tiny)", file=sys.stderr)
        rows.remove(row)
    for row in rows:
        runs = args.big_runs if row.instance in BIG else args.runs
        print(f"{row.id}: {runs} runs ...", file=sys.stderr, flush=True)
        run_row(row, instances[row.instance], runs)
        print(f"  feasible {_median(row.times['feasible']):.3f} s, {row.peer_name} "
              f"{_median(row.times['peer']):.3f} s; "
              f"{row.agreement}", file=sys.stderr, flush=True)
    text = table(rows, instances, args, load)
    print(text)
    if args.write:
        write_section(text, args.doc)
    if not all(row.agrees for row in rows):
        print("feasible and a peer disagree (see the agreement column)", file=sys.stderr)
        raise SystemExit(1)
    return text


if __name__ == "__main__":
    main()
