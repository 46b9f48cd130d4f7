"""Wall time of `feasible check` on the shipped scenario, next to the floor it cannot go below.

The floor is `python -c "import ortools.sat.python.cp_model"`: every check imports CP-SAT. Each command runs
--runs times, alternating, and the medians are compared. `check` runs twice over: with the scenario cache (a
fresh directory, filled by the warm-up run: what every check after the first one of unchanged files costs) and
without it (FEASIBLE_CACHE_DIR=off: the first check after an edit). Writes nothing unless --write is given, in which case
the row replaces the "check-startup" section of docs/benchmarks.md.

    python benchmarks/check_startup.py --runs 15 --write
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import os
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docsection  # noqa: E402  (beside this file)

BEGIN, END = docsection.markers("check-startup")


def wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - started


def measure(runs: int, scenario: str) -> dict[str, float]:
    feasible = shutil.which("feasible") or str(Path(sys.executable).with_name("feasible"))
    with tempfile.TemporaryDirectory(prefix="feasible-cache-") as cache:
        cached = {**os.environ, "FEASIBLE_CACHE_DIR": cache}
        uncached = {**os.environ, "FEASIBLE_CACHE_DIR": "off"}
        commands = {
            "floor": ([sys.executable, "-c", "import ortools.sat.python.cp_model"], cached),
            "check": ([feasible, "check", scenario], cached),
            "check_json": ([feasible, "check", scenario, "--format", "json"], cached),
            "check_cold": ([feasible, "check", scenario], uncached),
        }
        for command, env in commands.values():  # warm the file system's cache, and fill the scenario cache
            wall(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, env) in commands.items():
                times[name].append(wall(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def table(medians: dict[str, float], runs: int, scenario: str) -> str:
    floor = medians["floor"]
    rows = [
        "| command | median wall (s) | ratio to floor |",
        "|---|---|---|",
        f"| `python -c \"import ortools.sat.python.cp_model\"` (floor) | {floor:.3f} | 1.00 |",
        f"| `feasible check {scenario}` | {medians['check']:.3f} | {medians['check'] / floor:.2f} |",
        f"| `feasible check {scenario} --format json` | {medians['check_json']:.3f} | "
        f"{medians['check_json'] / floor:.2f} |",
        f"| `FEASIBLE_CACHE_DIR=off feasible check {scenario}` (no scenario cache: the first check after an edit) | "
        f"{medians['check_cold']:.3f} | {medians['check_cold'] / floor:.2f} |",
    ]
    machine = (f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
               f"OR-Tools {version('ortools')}, pydantic {version('pydantic')}; median of {runs} runs each")
    return "\n".join([BEGIN, "", machine, "", *rows, "",
                      f"Reproduce: `python benchmarks/check_startup.py --runs {runs} --scenario {scenario}`", "", END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--scenario", default="ukraine-2026")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    text = table(measure(args.runs, args.scenario), args.runs, args.scenario)
    print(text)
    if args.write:
        docsection.write_section("check-startup", "`feasible check` start-up", text)


if __name__ == "__main__":
    main()
