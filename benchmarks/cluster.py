"""The runner's two engines side by side (solver/runner.py, solver/cluster.py), measured in one run:

- the time to start a two-worker Dask LocalCluster (worker processes, one thread each) and to connect a client;
- the overhead per task: TASKS trivial tasks through `run_tasks` on the LocalCluster and on 2 local worker
  processes (wall time per task; the work itself is nothing);
- shipping the Ukraine scenario: its pickled size, `client.scatter(..., broadcast=True)` to both workers, and what
  the engine does instead (the shared value as a task) measured as the first run of two trivial tasks with the
  scenario as the shared value minus the same run with a number;
- a CPU-bound work function (a pure-Python loop, the same for every task): workers=1 (in this process, as
  `--workers 1` runs) and 2 local worker processes, and a 1-worker and a 2-worker LocalCluster; the speedup from
  1 to 2 workers of each engine.

Medians of --runs alternating runs. The machine's other load is printed with the figures: on a shared machine the
speedups are pessimistic. Prints a Markdown table (docs/benchmarks.md takes its figures from it).

    python benchmarks/cluster.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine_load import Load  # noqa: E402  (beside this file)

from feasible.positions import load_scenario  # noqa: E402
from feasible.solver.runner import run_tasks  # noqa: E402

TASKS = 1000  # trivial tasks for the overhead per task
CPU_TASKS = 8  # CPU-bound tasks
CPU_LOOP = 8_000_000  # iterations of the CPU-bound work function (about half a second a task)


def trivial(shared: object, task: int) -> int:
    return task


def cpu_bound(loop: int, task: int) -> int:
    """A pure-Python loop: the same work for every task, holding the GIL the whole time (so threads would not help)."""
    total = task
    for i in range(loop):
        total = (total * 31 + i) % 1_000_003
    return total


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def local_cluster(workers: int):
    import distributed

    return distributed.LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=":0")


def start_up(runs: int) -> dict[str, list[float]]:
    import distributed

    figures: dict[str, list[float]] = {"cluster start": [], "client connect": []}
    for _ in range(runs):
        started = time.perf_counter()
        with local_cluster(2) as cluster:
            figures["cluster start"].append(time.perf_counter() - started)
            started = time.perf_counter()
            client = distributed.Client(cluster.scheduler_address, set_as_default=False)
            figures["client connect"].append(time.perf_counter() - started)
            client.close()
    return figures


def overhead(address: str, runs: int, tasks: int) -> dict[str, list[float]]:
    """A run of `tasks` trivial tasks and one of 2 on each engine: the difference is the cost of the tasks
    themselves, without the run's fixed cost (connecting, or starting the worker processes)."""
    figures: dict[str, list[float]] = {"dask": [], "local": [], "dask 2 tasks": [], "local 2 tasks": []}
    for _ in range(runs):
        for count, suffix in ((tasks, ""), (2, " 2 tasks")):
            figures["dask" + suffix].append(timed(lambda: run_tasks(trivial, None, list(range(count)),
                                                                    cluster=address)))
            figures["local" + suffix].append(timed(lambda: run_tasks(trivial, None, list(range(count)), workers=2)))
    return figures


def shipping(address: str, runs: int) -> tuple[int, dict[str, list[float]]]:
    import distributed

    scenario = load_scenario("ukraine-2026")
    size = len(pickle.dumps(scenario))
    figures: dict[str, list[float]] = {"scatter": [], "as a task": [], "with a number": []}
    client = distributed.Client(address, set_as_default=False)
    try:
        for _ in range(runs):
            figures["scatter"].append(timed(lambda: client.scatter(scenario, broadcast=True, hash=False)))
            figures["as a task"].append(timed(lambda: run_tasks(trivial, scenario, [0, 1], cluster=address)))
            figures["with a number"].append(timed(lambda: run_tasks(trivial, 0, [0, 1], cluster=address)))
    finally:
        client.close()
    return size, figures


def cpu(runs: int, tasks: int, loop: int, clusters: dict[int, str]) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"local 1": [], "local 2": [], "dask 1": [], "dask 2": []}
    work = list(range(tasks))
    for _ in range(runs):
        figures["local 1"].append(timed(lambda: run_tasks(cpu_bound, loop, work, workers=1)))
        figures["local 2"].append(timed(lambda: run_tasks(cpu_bound, loop, work, workers=2)))
        figures["dask 1"].append(timed(lambda: run_tasks(cpu_bound, loop, work, cluster=clusters[1])))
        figures["dask 2"].append(timed(lambda: run_tasks(cpu_bound, loop, work, cluster=clusters[2])))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=TASKS)
    parser.add_argument("--cpu-tasks", type=int, default=CPU_TASKS)
    parser.add_argument("--cpu-loop", type=int, default=CPU_LOOP)
    arguments = parser.parse_args()
    runs = arguments.runs

    load = Load()
    started = start_up(runs)
    with local_cluster(2) as two, local_cluster(1) as one:
        run_tasks(trivial, None, [0, 1], cluster=two.scheduler_address)  # the workers' first imports, not measured
        run_tasks(trivial, None, [0], cluster=one.scheduler_address)
        per_task = overhead(two.scheduler_address, runs, arguments.tasks)
        size, shipped = shipping(two.scheduler_address, runs)
        bound = cpu(runs, arguments.cpu_tasks, arguments.cpu_loop, {1: one.scheduler_address,
                                                                    2: two.scheduler_address})
    others = load.others()

    median = {name: statistics.median(values) for group in (started, per_task, shipped, bound)
              for name, values in group.items()}
    print(f"Python {platform.python_version()}, distributed {version('distributed')}, {os.cpu_count()} cores; "
          f"other load {others:.1f} cores" if others is not None else "other load unknown")
    print(f"`python benchmarks/cluster.py --runs {runs} --tasks {arguments.tasks} --cpu-tasks "
          f"{arguments.cpu_tasks} --cpu-loop {arguments.cpu_loop}`; medians of {runs}\n")
    print("| measured | median |\n|---|---|")
    print(f"| LocalCluster(n_workers=2, processes=True, threads_per_worker=1) start | "
          f"{median['cluster start']:.2f} s |")
    print(f"| a client connecting to it | {median['client connect'] * 1000:.0f} ms |")
    for engine, label in (("dask", "a 2-worker LocalCluster"), ("local", "2 local worker processes")):
        each = (median[engine] - median[engine + " 2 tasks"]) / (arguments.tasks - 2)
        print(f"| {arguments.tasks:,} trivial tasks on {label} | {median[engine]:.2f} s; "
              f"{each * 1000:.2f} ms a task past the run's fixed cost ({median[engine + ' 2 tasks'] * 1000:.0f} ms "
              "for 2 tasks) |")
    print(f"| the Ukraine scenario pickled | {size / 1024:.0f} KiB |")
    print(f"| `client.scatter(scenario, broadcast=True)` to 2 workers | {median['scatter'] * 1000:.0f} ms |")
    print(f"| 2 trivial tasks with the scenario shared (the engine: a task that returns it) | "
          f"{median['as a task'] * 1000:.0f} ms, {(median['as a task'] - median['with a number']) * 1000:.0f} ms "
          f"more than with a number shared ({median['with a number'] * 1000:.0f} ms: connect, submit, close) |")
    for engine, label in (("local", "local workers (1: in this process, as --workers 1)"),
                          ("dask", "LocalCluster workers")):
        one_worker, two_workers = median[f"{engine} 1"], median[f"{engine} 2"]
        print(f"| the same on 1 / 2 {label} | {one_worker:.2f} s / {two_workers:.2f} s: "
              f"{one_worker / two_workers:.2f}× |")


if __name__ == "__main__":
    main()
