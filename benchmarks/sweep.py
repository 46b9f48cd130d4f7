"""Sweeps: the per-sample engine against a plain loop of checks, with and without memoisation, on 1 and 2 worker
processes and on a Dask LocalCluster of 1 and 2 worker processes, measured side by side in one run.

1. The shipped Ukraine scenario (its 11 firmness estimates), 10,000 samples: `feasible.sweep` in this process
   (workers=1), on 2 local worker processes and on a 2-worker LocalCluster, memoisation on (the exact probability
   over its 2,048 combinations included, the most robust deal left out: it is one optimisation, not per sample),
   once with memoisation off, and the whole `feasible sweep --samples 10000` command as a user runs it (the most
   robust deal and the exact probability included; 2 local workers).
2. ../shared/cases/planted-2000.yaml (2,000 red lines, one planted conflict) with 100 red lines given random
   firmness (0.1..0.9, seeded), --planted-samples samples (1,000 by default), where almost every sample is
   distinct: the per-sample cost of the sweep with memoisation off (every sample answered by switching assumption
   literals on the model compiled once per worker) in this process, on 2 local processes and on a 1- and a
   2-worker LocalCluster, and with memoisation on; against a plain loop of in-process checks,
   `feasible.check(uncertain.sample(draw(items, seed, i)), conflicts=None)` (and the same with room=False,
   relaxations=1, closer to what a sample computes), timed on the first --loop samples (each check compiles the
   whole scenario), whose verdicts are compared with the sweep's.

Every sweep of one scenario must give the same answer (the script checks it). The figures go to stdout with the
machine's load beside them (CPU time of every process but this one, in cores: the worker processes count there).

    python benchmarks/sweep.py                       # all of it
    python benchmarks/sweep.py --planted-samples 200 --loop 3      # quicker
"""

from __future__ import annotations

import argparse
import pickle
import contextlib
import random
import subprocess
import sys
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine_load import Load  # noqa: E402

import feasible  # noqa: E402
from feasible.positions.uncertainty import draw, uncertain  # noqa: E402
from feasible.solver.sweep import Span, SweepSpec, sweep, sweep_batch  # noqa: E402

CASE = Path("shared", "cases", "planted-2000.yaml")  # ../shared/cases beside the checkout (or further up)
PLANTED = next((folder / CASE for folder in Path(__file__).resolve().parents if (folder / CASE).exists()), CASE)
PLANTED_UNCERTAIN = 100
LEAN = {"room": False, "relaxations": 1}  # what a sample needs of check (the readings matrix asks as much)
SEED = 0


def planted(path: Path) -> feasible.Scenario:
    """The planted scenario with PLANTED_UNCERTAIN red lines given random firmness (seeded)."""
    scenario = feasible.load_scenario(path)
    rng = random.Random(SEED)
    names = rng.sample([r.name for p in scenario.parties for r in p.red_lines], PLANTED_UNCERTAIN)
    firm = {name: Fraction(rng.randint(1, 9), 10) for name in names}
    parties = tuple(replace(p, red_lines=tuple(replace(r, firm=firm[r.name]) if r.name in firm else r
                                               for r in p.red_lines)) for p in scenario.parties)
    return replace(scenario, parties=parties)


class _Verdict:
    def __init__(self, swept: feasible.Sweep):
        tally = swept.tally
        self.verdict = (feasible.Verdict.DEAL if tally.deals else feasible.Verdict.NO_DEAL if tally.no_deals
                        else feasible.Verdict.UNKNOWN)


def fresh_sweep(sample: feasible.Scenario) -> _Verdict:
    """What a sample computes (verdict, conflicts, cheapest cost), from scratch: a sweep of one sample of the
    sample's scenario made certain, so its engine compiles the whole scenario again."""
    certain = replace(sample, parties=tuple(replace(p, red_lines=tuple(replace(r, firm=None, firm_note=None)
                                                                        for r in p.red_lines))
                                            for p in sample.parties))
    return _Verdict(sweep(certain, samples=1, workers=1, robust=False, exact=False, memoise=False))


def task_result_size(made, samples: int = 250, memoise: bool = True) -> int:
    """The pickled size of one task's result (a batch of `samples` samples): what goes back through a Dask
    scheduler per task (docs/scaling.md)."""
    spec = SweepSpec("size", made, SEED, 10.0, memoise)
    return len(pickle.dumps(sweep_batch(spec, Span(0, samples))))


def timed(label: str, scenario, samples: int, **options) -> tuple[float, feasible.Sweep]:
    load = Load()
    started = time.perf_counter()
    swept = sweep(scenario, samples=samples, seed=SEED, **options)
    wall = time.perf_counter() - started
    stats = swept.statistics
    print(f"| {label} | {wall:.2f} s | {1000 * wall / samples:.2f} ms | {stats.answers:,} | {stats.memo_hits:,} | "
          f"{stats.table_keys} | {stats.engine} | {_load(load)} |")
    return wall, swept


def _load(load: Load) -> str:
    others = load.others()
    return "?" if others is None else f"{others:.2f}"


def header(title: str) -> None:
    print(f"\n### {title}\n")
    print("| run | wall | per sample | samples computed | memo hits | keys tabled | engine | other load (cores) |")
    print("|---|---|---|---|---|---|---|---|")


def same_answers(sweeps: list[feasible.Sweep]) -> None:
    """Every sweep of one scenario and seed gives the same answer; only the per-sample time limit may set samples
    apart (undecided, conflicts or cost unknown), and then the runs say how many."""
    first = sweeps[0]
    for other in sweeps[1:]:
        if replace(other, statistics=None, robust=None) == replace(first, statistics=None, robust=None):
            continue
        timed_out = [(s.tally.undecided, s.tally.conflicts_unknown, s.tally.cost_unknown) for s in (first, other)]
        if timed_out[0] == timed_out[1] == (0, 0, 0):
            raise SystemExit("two sweeps of one scenario and seed gave different answers")
        print(f"(the time limit set samples apart: undecided, conflicts unknown, cost unknown = {timed_out})")


def ukraine(samples: int, cluster: str | None) -> None:
    made = uncertain(feasible.load_scenario("ukraine-2026"))
    header(f"Ukraine, {len(made.items)} uncertain red lines, {samples:,} samples")
    runs = [timed("in this process, memo on", made, samples, workers=1, robust=False),
            timed("2 local workers, memo on", made, samples, workers=2, robust=False)]
    if cluster:
        runs.append(timed("2-worker LocalCluster, memo on", made, samples, cluster=cluster, robust=False))
    runs.append(timed("in this process, memo off", made, samples, workers=1, memoise=False, robust=False))
    same_answers([swept for _, swept in runs])
    load = Load()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "feasible.cli", "sweep", "--samples", str(samples), "--format", "json"],
                   check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    print(f"| `feasible sweep --samples {samples}` (whole process, 2 local workers, the most robust deal and the exact "
          f"probability included) | {wall:.2f} s | {1000 * wall / samples:.3f} ms | | | | | {_load(load)} |")
    print(f"\none task's result (250 samples), pickled: {task_result_size(made):,} bytes")
    swept = runs[0][1]
    print(f"\nP(deal) {swept.probability.estimate:.4f} [{swept.probability.low:.4f}, {swept.probability.high:.4f}], "
          f"exact {swept.exact.probability} = {float(swept.exact.probability):.4f}")


def planted_runs(path: Path, samples: int, loop: int, clusters: dict[int, str]) -> None:
    made = uncertain(planted(path))
    header(f"planted-2000, {len(made.items)} uncertain red lines, {samples:,} samples")
    quiet = {"robust": False, "exact": False}
    runs = [timed("in this process, memo off", made, samples, workers=1, memoise=False, **quiet),
            timed("2 local workers, memo off", made, samples, workers=2, memoise=False, **quiet)]
    for count, address in sorted(clusters.items()):
        runs.append(timed(f"{count}-worker LocalCluster, memo off", made, samples, cluster=address, memoise=False,
                          **quiet))
    runs.append(timed("in this process, memo on", made, samples, workers=1, **quiet))
    same_answers([swept for _, swept in runs])
    loops = {}
    for label, answer in (
            ("check(sample, conflicts=None)", lambda sample: feasible.check(sample, conflicts=None)),
            ("check(sample, conflicts=None, room=False, relaxations=1)",
             lambda sample: feasible.check(sample, conflicts=None, **LEAN)),
            ("a fresh one-sample sweep of the sample (compiled each time)", fresh_sweep)):
        load = Load()
        started = time.perf_counter()
        verdicts = [answer(made.sample(draw(made.items, SEED, i))).verdict for i in range(loop)]
        loops[label] = wall = time.perf_counter() - started
        print(f"| plain loop of {label}, first {loop} samples | {wall:.2f} s | {1000 * wall / loop:.2f} ms | {loop} "
              f"| 0 | 0 | in-process | {_load(load)} |")
        alone = sweep(made, samples=loop, seed=SEED, workers=1, robust=False, exact=False).tally
        if (alone.deals, alone.no_deals) != (verdicts.count(feasible.Verdict.DEAL),
                                             verdicts.count(feasible.Verdict.NO_DEAL)):
            raise SystemExit(f"the plain loop's verdicts ({label}) differ from the sweep's")
    print(f"\none task's result (250 samples), pickled: {task_result_size(made):,} bytes")
    walls = {label: wall for label, (wall, _) in zip(
        ["here", "local 2"] + [f"dask {c}" for c in sorted(clusters)] + ["memo"], runs)}
    for label, wall in loops.items():
        print(f"\nper sample, sweep (in this process, memo off) / plain loop of {label}: "
              f"{(walls['here'] / samples) / (wall / loop):.3f}")
    print(f"1 -> 2 workers, local processes (memo off): {walls['here'] / walls['local 2']:.2f}x faster")
    if clusters:
        print(f"1 -> 2 workers, LocalCluster (memo off): {walls['dask 1'] / walls['dask 2']:.2f}x faster")


def local_cluster(workers: int):
    import distributed

    return distributed.LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=":0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ukraine-samples", type=int, default=10_000)
    parser.add_argument("--planted-samples", type=int, default=1_000)
    parser.add_argument("--loop", type=int, default=5, help="samples the plain loop of checks is timed on")
    parser.add_argument("--planted", type=Path, default=PLANTED)
    parser.add_argument("--no-cluster", action="store_true", help="leave out the Dask LocalCluster runs")
    arguments = parser.parse_args()
    with contextlib.ExitStack() as stack:
        clusters = {} if arguments.no_cluster else {
            count: stack.enter_context(local_cluster(count)).scheduler_address for count in (1, 2)}
        ukraine(arguments.ukraine_samples, clusters.get(2))
        if arguments.planted.exists():
            planted_runs(arguments.planted, arguments.planted_samples, arguments.loop, clusters)
        else:
            print(f"\n{arguments.planted} not found: the planted-2000 runs are left out")


if __name__ == "__main__":
    main()
