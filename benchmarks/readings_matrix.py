"""The readings matrix against the checks one after another: a generated scenario with 5 two-way questions (32
combinations), `feasible readings` on 2 worker processes next to the 32 checks run as separate `feasible check`
processes one after another, measured side by side in one run (alternating, medians). Also: the matrix in one
process (--workers 1), and the start methods of the worker processes (the library call alone, imports excluded).

Each question's alternative reading demotes a red line (a planted conflict's member for three of them, a filler's
for two), so the combinations differ in their conflicts and cheapest costs. The 32 separate checks choose their
readings with `check --reading` (or, where that option is missing, the same changes as what-if edits: --demote);
their verdicts and costs are compared with the matrix's cells.

    python benchmarks/readings_matrix.py --runs 3 --write
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docsection  # noqa: E402  (beside this file)
import generate  # noqa: E402
from machine_load import Load  # noqa: E402

BEGIN, END = docsection.markers("readings-matrix")
QUESTIONS = 5
SHAPE = {"parties": 5, "issues": 60, "red_lines": 120, "demands": 30, "facts": 5, "conflicts": 3,
         "conflict_size": 4}
TIME_LIMIT = "120"
METHODS = ("forkserver", "spawn", "fork")


def scenario(directory: Path, seed: int) -> tuple[Path, list[tuple[str, str]]]:
    """The generated scenario with QUESTIONS two-way questions; returns it and each alternative's demoted red line."""
    generated = generate.random_scenario(seed, **SHAPE)
    path = generated.write(directory)
    planted = [sorted(c)[0] for c in generated.conflicts]
    fillers = [f"{p['party']}/{r['id']}" for p in generated.parties for r in p["red_lines"]
               if f"{p['party']}/{r['id']}" not in generated.kernel]
    demoted = (planted + fillers)[:QUESTIONS]
    questions = "".join(f"  q{i}:\n    asks: Is {name} a red line?\n    readings: [q{i}-red-line, q{i}-demand]\n"
                        for i, name in enumerate(demoted))
    readings = "".join(f"  q{i}-red-line:\n    title: As written\n  q{i}-demand:\n    title: {name} as a demand\n"
                       f"    demote: [{name}]\n" for i, name in enumerate(demoted))
    head = path / "scenario.yaml"
    head.write_text(head.read_text() + "questions:\n" + questions + "readings:\n" + readings)
    return path, list(enumerate(demoted))


def feasible() -> str:
    return shutil.which("feasible") or str(Path(sys.executable).with_name("feasible"))


def environment() -> dict[str, str]:
    # As installed: compiled bytecode kept (PYTHONDONTWRITEBYTECODE would recompile feasible in every process).
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(argv: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=environment(), check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr}")
    return wall, done.stdout


def has_reading_option() -> bool:
    return "--reading" in subprocess.run([feasible(), "check", "--help"], capture_output=True, text=True,
                                         env=environment()).stdout


def separate_checks(path: Path, demoted: list[tuple[int, str]], by_reading: bool) -> tuple[float, list[tuple]]:
    """The 32 checks one after another, each a `feasible check` process: total wall seconds and each answer."""
    total, answers = 0.0, []
    for choice in itertools.product((False, True), repeat=len(demoted)):
        extra = []
        for (i, name), alternative in zip(demoted, choice):
            if alternative:
                extra += ["--reading", f"q{i}-demand"] if by_reading else ["--demote", name]
        wall, out = run([feasible(), "check", str(path), "--format", "json", "--quiet", "--time-limit", TIME_LIMIT,
                         "--all-conflicts", "--relaxations", "1", *extra])
        total += wall
        doc = json.loads(out)
        answers.append((doc["verdict"], doc["relaxations"][0]["cost"] if doc.get("relaxations") else
                        (0 if doc["verdict"] == "deal" else None)))
    return total, answers


def matrix_run(path: Path, workers: int) -> tuple[float, list[tuple]]:
    wall, out = run([feasible(), "readings", str(path), "--format", "json", "--quiet", "--time-limit", TIME_LIMIT,
                     "--workers", str(workers)])
    doc = json.loads(out)
    return wall, [(c["verdict"], c["cost"]) for c in doc["combinations"]]


START_METHOD_PROBE = """
import sys, time
from feasible.positions import load_scenario
from feasible.solver import runner


def nothing(shared, task):
    return task


if __name__ == "__main__":
    runner.start_method = lambda: sys.argv[1]
    scenario = load_scenario(sys.argv[2])
    walls = []
    for _ in range(2):  # the first start includes the fork server's own (it imports feasible.solver.readings once)
        started = time.perf_counter()
        runner.run_tasks(nothing, scenario, [0, 1], workers=2, preload=("feasible.solver.readings",))
        walls.append(time.perf_counter() - started)
    print(*walls)
"""


def start_method_run(path: Path, method: str, probe: Path) -> tuple[float, float]:
    """Seconds to start 2 workers, send each the scenario and get a trivial answer back: the first time in a
    process, and again."""
    _, out = run([sys.executable, str(probe), method, str(path)])
    first, again = map(float, out.split())
    return first, again


def measure(runs: int, seed: int) -> dict:
    load = Load()
    with tempfile.TemporaryDirectory(prefix="feasible-readings-") as scratch:
        path, demoted = scenario(Path(scratch) / "scenario", seed)
        probe = Path(scratch) / "probe.py"
        probe.write_text(START_METHOD_PROBE)
        by_reading = has_reading_option()
        times: dict[str, list[float]] = {name: [] for name in ("matrix2", "matrix1", "separate", *METHODS,
                                                               *(m + "-again" for m in METHODS))}
        agree = True
        matrix_run(path, 2)  # warm the file system's cache and the bytecode
        for _ in range(runs):
            wall, cells = matrix_run(path, 2)
            times["matrix2"].append(wall)
            wall, single = matrix_run(path, 1)
            times["matrix1"].append(wall)
            wall, answers = separate_checks(path, demoted, by_reading)
            times["separate"].append(wall)
            agree = agree and cells == answers == single
            for method in METHODS:
                first, again = start_method_run(path, method, probe)
                times[method].append(first)
                times[method + "-again"].append(again)
    verdicts = sorted({v for v, _ in cells})
    return {"medians": {k: statistics.median(v) for k, v in times.items()},
            "ranges": {k: (min(v), max(v)) for k, v in times.items()}, "agree": agree, "by_reading": by_reading,
            "cells": cells, "verdicts": verdicts, "others": load.others(), "demoted": demoted}


def table(found: dict, runs: int, seed: int) -> str:
    m, r = found["medians"], found["ranges"]

    def cell(key: str) -> str:
        return f"{m[key]:.2f} ({r[key][0]:.2f}–{r[key][1]:.2f})"

    how = "`--reading qN-demand` for each question answered by its alternative" if found["by_reading"] else \
        "`--demote NAME` (the readings' own change)"
    costs = sorted({c for _, c in found["cells"]}, key=lambda c: (c is None, c))
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, OR-Tools "
               f"{version('ortools')}; median (min–max) of {runs} alternating runs")
    if found["others"] is not None:
        machine += f"; other processes kept {found['others']:.1f} of {os.cpu_count()} cores busy on average"
    shape = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in SHAPE.items())
    rows = [
        "| what | wall seconds | ratio to the 32 processes |", "|---|---|---|",
        f"| `feasible readings DIR --workers 2` (32 combinations) | {cell('matrix2')} | "
        f"{m['matrix2'] / m['separate']:.2f} |",
        f"| `feasible readings DIR --workers 1` (in one process) | {cell('matrix1')} | "
        f"{m['matrix1'] / m['separate']:.2f} |",
        f"| 32 × `feasible check DIR --all-conflicts --relaxations 1 …`, one after another, each with {how} | "
        f"{cell('separate')} | 1.00 |",
    ]
    methods = ["| start method: 2 workers started, the scenario sent to each, a trivial task each (`run_tasks`) | "
               "first in a process (s) | again (s) |", "|---|---|---|"]
    methods += [f"| {method}{' (used)' if method == 'forkserver' else ''} | {cell(method)} | "
                f"{cell(method + '-again')} |" for method in METHODS]
    again = f"python benchmarks/readings_matrix.py --runs {runs} --seed {seed}"
    return "\n".join([
        BEGIN, "", machine, "",
        f"Scenario: `generate.random_scenario(seed={seed}, {', '.join(f'{k}={v}' for k, v in SHAPE.items())})` "
        f"({shape}), with {QUESTIONS} questions, each demoting one red line in its alternative reading (three "
        f"planted conflicts' members, then fillers): verdicts {', '.join(found['verdicts'])}; cheapest costs "
        f"{', '.join(map(str, costs))}. The 32 separate checks "
        f"{'gave the same verdict and cost as the matrix in every combination' if found['agree'] else 'DISAGREED'}"
        ".", "", *rows, "", *methods, "", f"Reproduce: `{again}` (with PYTHONDONTWRITEBYTECODE unset)", "", END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    found = measure(args.runs, args.seed)
    text = table(found, args.runs, args.seed)
    print(text)
    if args.write:
        docsection.write_section("readings-matrix", "The readings matrix (issue 16)", text)


if __name__ == "__main__":
    main()
