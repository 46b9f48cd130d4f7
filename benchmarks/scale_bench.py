"""Scale: `feasible check` on large generated scenarios, and how time and memory grow with the red lines.

Each row runs the installed `feasible` command in a fresh process (as users do), so the figures include
start-up, loading, compiling and output; peak memory is the child's maximum resident set size.

    python benchmarks/scale_bench.py --runs 3 --write
    python benchmarks/scale_bench.py --sizes 100 300 --runs 1        # a quick look
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import os
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
import generate  # noqa: E402  (the benchmark's own generator, beside this file)

BEGIN, END = docsection.markers("scale")


def feasible_command() -> str:
    return shutil.which("feasible") or str(Path(sys.executable).with_name("feasible"))


def run_check(path: Path, time_limit: float, extra: list[str]) -> tuple[float, float, dict]:
    """Wall seconds, peak memory of this one child (MB, from wait4's resource usage), and the JSON answer."""
    started = time.perf_counter()
    child = subprocess.Popen([feasible_command(), "check", str(path), "--format", "json", "--quiet",
                              "--time-limit", str(time_limit), *extra], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 3):
        raise SystemExit(f"feasible failed ({code}): {err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, json.loads(out)


def fitted_exponent(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) against log(size): time grows like size ** slope."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def measure(sizes: list[int], runs: int, time_limit: float, big_limit: float) -> str:
    rows = []
    with tempfile.TemporaryDirectory(prefix="feasible-scale-") as temp:
        root = Path(temp)
        big = root / "feasible-2000"
        generate.feasible(0).write(big)
        walls, answer = [], {}
        for _ in range(runs):
            wall, peak, answer = run_check(big, big_limit, [])
            walls.append(wall)
        deal = answer.get("deal") or {}
        rows.append(("Feasible: 20 parties × 300 issues × 2,000 red lines × 2,000 demands, "
                     f"`--time-limit {big_limit:g}`", statistics.median(walls), peak,
                     f"verdict {answer['verdict']}, optimal {deal.get('optimal')}, gap {deal.get('gap')}",
                     f"python benchmarks/generate.py feasible --out /tmp/f && feasible check /tmp/f "
                     f"--time-limit {big_limit:g}"))
        growth = []
        for size in sizes:
            path = root / f"planted-{size}"
            generate.planted(0, red_lines=size, issues=max(30, size // 7), parties=max(3, min(20, size // 100)),
                             demands=size // 2).write(path)
            walls = []
            for _ in range(runs):
                wall, peak, answer = run_check(path, time_limit, ["--relaxations", "1"])
                walls.append(wall)
            median = statistics.median(walls)
            growth.append((size, median, peak))
            rows.append((f"No deal: {size:,} red lines, one planted conflict of 5 (conflicts and the cheapest "
                         "relaxation)", median, peak,
                         f"verdict {answer['verdict']}, {len(answer.get('conflicts', []))} conflict(s), "
                         f"complete {answer.get('conflicts_complete')}",
                         f"python benchmarks/generate.py planted --red-lines {size} --issues {max(30, size // 7)} "
                         f"--parties {max(3, min(20, size // 100))} --demands {size // 2} --out /tmp/p && "
                         f"feasible check /tmp/p --relaxations 1 --time-limit {time_limit:g}"))
    slope = fitted_exponent([g[0] for g in growth], [g[1] for g in growth]) if len(growth) > 1 else float("nan")
    machine = (f"{platform.machine()}, Python {platform.python_version()}, OR-Tools {version('ortools')}; "
               f"median of {runs} run(s) each; wall time of the whole command in a fresh process")
    lines = [BEGIN, "", machine, "", "| instance | median wall (s) | peak memory (MB) | answer | reproduce |",
             "|---|---|---|---|---|"]
    lines += [f"| {name} | {wall:.2f} | {peak:.0f} | {answer} | `{command}` |"
              for name, wall, peak, answer, command in rows]
    lines += ["", f"Growth over {', '.join(f'{s:,}' for s in sizes)} red lines: time grows like "
              f"(red lines)^{slope:.2f} (least-squares fit of log time on log size).", "",
              f"Reproduce: `python benchmarks/scale_bench.py --runs {runs} --sizes {' '.join(map(str, sizes))} "
              f"--time-limit {time_limit:g} --big-limit {big_limit:g}` (each growth row runs with "
              f"`--time-limit {time_limit:g}`; a row whose answer says `complete False` was cut by it)", "",
              END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0, help="for the growth rows")
    parser.add_argument("--big-limit", type=float, default=7.0, help="for the large feasible row")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    text = measure(sorted(args.sizes), args.runs, args.time_limit, args.big_limit)
    print(text)
    if args.write:
        docsection.write_section("scale", "Scale", text)


if __name__ == "__main__":
    main()
