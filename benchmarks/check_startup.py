"""Wall time of `feasible check` on the shipped scenario, next to the floor it cannot go below.

The floor is `python -c "import ortools.sat.python.cp_model"`: every check imports CP-SAT. Each command runs
--runs times, alternating, and the medians are compared: of wall time (the goal's measure) and of CPU time
(user + system of the process: steadier than wall time on a shared machine). feasible keeps no scenario cache:
every check reads and validates the files.

--baseline SRC adds the same check run from SRC, the source tree of an earlier revision, in the same alternating
runs. For a revision that kept a scenario cache (before issue 14) it runs three ways: from a warm cache
(unchanged files), on a cache miss (the first check after an edit: the entries are removed before each run, the
cache's key file kept) and with FEASIBLE_CACHE_DIR=off. Writes nothing unless --write is given, in which case the
table replaces the "check-startup" section of docs/benchmarks.md.

    python benchmarks/check_startup.py --runs 21 --write
    mkdir /tmp/b9bd6d1 && git archive b9bd6d1 | tar -x -C /tmp/b9bd6d1
    python benchmarks/check_startup.py --runs 31 --baseline /tmp/b9bd6d1
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docsection  # noqa: E402  (beside this file)
from machine_load import Load  # noqa: E402

BEGIN, END = docsection.markers("check-startup")
FLOOR = "floor"


@dataclass(frozen=True)
class Command:
    label: str  # as the table shows it
    argv: list[str]
    env: dict[str, str]
    before: Callable[[], None] = lambda: None  # set-up before each run, not timed


def timed(command: Command) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    command.before()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
                          env=command.env)
    wall = time.perf_counter() - started
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: no deal. Anything else measures a failure, not a check
        raise SystemExit(f"{command.label} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}")
    return wall, (now.ru_utime - used.ru_utime) + (now.ru_stime - used.ru_stime)


def commands(scenario: str, baseline: Path | None, cache: Path) -> dict[str, Command]:
    feasible = shutil.which("feasible") or str(Path(sys.executable).with_name("feasible"))
    # As installed: Python keeps compiled bytecode. With PYTHONDONTWRITEBYTECODE set (some shells set it), every
    # run would compile feasible's sources again, which no installed copy does, and the ratio would measure that.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    found = {
        FLOOR: Command('`python -c "import ortools.sat.python.cp_model"` (floor)',
                       [sys.executable, "-c", "import ortools.sat.python.cp_model"], env),
        "check": Command(f"`feasible check {scenario}`", [feasible, "check", scenario], env),
        "check_json": Command(f"`feasible check {scenario} --format json`",
                              [feasible, "check", scenario, "--format", "json"], env),
    }
    if baseline is not None:
        # -P: the baseline's modules, not those of the working directory
        argv = [sys.executable, "-P", "-c", "import sys; from cli.entry import main; sys.exit(main())",
                "check", scenario]
        old = {**env, "PYTHONPATH": str(baseline)}
        name = baseline.name
        warm, missed = cache / "warm", cache / "miss"
        found |= {
            "baseline_hit": Command(f"{name}: `check {scenario}`, from its scenario cache (unchanged files)", argv,
                                    {**old, "FEASIBLE_CACHE_DIR": str(warm)}),
            "baseline_miss": Command(f"{name}: `check {scenario}`, a cache miss (the first check after an edit)",
                                     argv, {**old, "FEASIBLE_CACHE_DIR": str(missed)},
                                     before=lambda: _forget_entries(missed)),
            "baseline_off": Command(f"{name}: `FEASIBLE_CACHE_DIR=off check {scenario}`", argv,
                                    {**old, "FEASIBLE_CACHE_DIR": "off"}),
        }
    return found


def _forget_entries(cache: Path) -> None:
    """The files changed: no kept entry matches them (the cache keeps its key file, as after any earlier run)."""
    for entry in cache.glob("*.pickle"):
        entry.unlink()


def measure(runs: int, scenario: str, baseline: Path | None) -> tuple[dict[str, tuple[Command, float, float]],
                                                                      float | None]:
    """Each command's median wall and CPU seconds, and how many cores other processes kept busy meanwhile."""
    load = Load()
    with tempfile.TemporaryDirectory(prefix="feasible-startup-") as scratch:
        chosen = commands(scenario, baseline, Path(scratch))
        for command in chosen.values():  # warm the file system's cache (and a baseline's scenario cache)
            timed(command)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in chosen}
        for _ in range(runs):
            for name, command in chosen.items():
                times[name].append(timed(command))
    medians = {name: (chosen[name], statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
               for name, values in times.items()}
    return medians, load.others()


def table(medians: dict[str, tuple[Command, float, float]], runs: int, scenario: str, baseline: Path | None,
          others: float | None = None) -> str:
    _, floor_wall, floor_cpu = medians[FLOOR]
    rows = ["| command | median wall (s) | ratio to floor | median CPU (s) | ratio to floor |", "|---|---|---|---|---|"]
    rows += [f"| {command.label} | {wall:.3f} | {wall / floor_wall:.2f} | {cpu:.3f} | {cpu / floor_cpu:.2f} |"
             for command, wall, cpu in medians.values()]
    machine = (f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
               f"OR-Tools {version('ortools')}, pydantic {version('pydantic')}; median of {runs} alternating runs each")
    if others is not None:
        machine += f"; other processes kept {others:.1f} of {os.cpu_count()} cores busy on average"
    again = f"python benchmarks/check_startup.py --runs {runs} --scenario {scenario}"
    if baseline is not None:
        again += f" --baseline {baseline}"
    return "\n".join([BEGIN, "", machine, "", *rows, "", f"Reproduce: `{again}`", "", END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--scenario", default="ukraine-2026")
    parser.add_argument("--baseline", type=Path, help="the source tree of an earlier revision, measured alongside")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    baseline = args.baseline.resolve() if args.baseline else None
    medians, others = measure(args.runs, args.scenario, baseline)
    text = table(medians, args.runs, args.scenario, baseline, others)
    print(text)
    if args.write:
        docsection.write_section("check-startup", "`feasible check` start-up", text)


if __name__ == "__main__":
    main()
