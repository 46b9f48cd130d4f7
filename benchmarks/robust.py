"""The most robust deal's cost: `robust_deal` on the shipped Ukraine scenario with a few firmness values set by hand
(in a temporary copy of its files), and on the planted 2,000-red-line case with 100 red lines given random firmness
(`firm:` written into a temporary copy; the planted conflict's 5 red lines among them, so that a deal exists by
gambling), each next to `check` of the scenario with every uncertain red line demoted, room off (the same deal
search without the weighted stage and its proof). In-process library calls, loading excluded; medians of --runs,
alternating the two calls. On the planted case the fair objective's stages take the whole time limit in both calls
(2,000 demands): the columns "best" say whether the deal was proved best for the objective, and robust_deal's
status whether its probability was proved (found) within the limit.

    python benchmarks/robust.py --runs 3 --planted ../shared/cases/planted-2000.yaml
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's feasible

from feasible.positions.loader import load_scenario  # noqa: E402
from feasible.positions.shipped import shipped_scenarios  # noqa: E402
from feasible.positions.uncertainty import GIVES_WAY, Draw, uncertain  # noqa: E402
from feasible.solver import check  # noqa: E402
from feasible.solver.robust import robust_deal  # noqa: E402

# Hand-set for the benchmark only (not estimates of anyone's firmness: docs/uncertainty.md, the Ukraine section).
UKRAINE_FIRM = {"russia": {"no-western-troops": "0.9", "donbas-withdrawal": "0.8"},
                "europe": {"us-backstop": "0.7"},
                "us": {"no-us-ground-troops": "0.75"},
                "ukraine": {"no-unilateral-withdrawal": "0.85"}}
PLANTED_UNCERTAIN = 100
GRID = [f"0.{k}" for k in range(1, 10)] + ["0.95", "0.99"]
TIME_LIMIT = 300.0  # default of --time-limit


def with_firmness(text: str, ids: dict[str, str]) -> str:
    """The file's text with `firm: P` under each `- id: ID` named (same indentation as the id's other keys)."""
    for rule_id, firm in ids.items():
        pattern = re.compile(rf"^(\s*)- id: {re.escape(rule_id)}\s*$", re.M)
        found = pattern.search(text)
        if found is None:
            raise SystemExit(f"no red line '{rule_id}' to give a firmness")
        indent = found.group(1) + "  "
        text = text[:found.end()] + f"\n{indent}firm: {firm}" + text[found.end():]
    return text


def ukraine_copy(directory: Path) -> Path:
    copy = directory / "ukraine-2026"
    shutil.copytree(shipped_scenarios()["ukraine-2026"], copy)
    for party, ids in UKRAINE_FIRM.items():
        path = copy / f"{party}.yaml"
        path.write_text(with_firmness(path.read_text(), ids))
    return copy


def planted_copy(directory: Path, planted: Path, seed: int) -> Path:
    text = planted.read_text()
    conflict = robust_deal(uncertain(load_scenario(planted)), time_limit=TIME_LIMIT).conflict  # (no uncertainty)
    assert conflict is not None, "the planted case has a deal"
    members = [name.partition("/")[2] for name in conflict.red_lines]
    red = [rule_id for rule_id in re.findall(r"^\s*- id: (r\d+)\s*$", text, re.M) if rule_id not in members]
    chosen = members + random.Random(seed).sample(red, PLANTED_UNCERTAIN - len(members))
    stream = random.Random(seed + 1)
    copy = directory / "planted-2000-uncertain.yaml"
    copy.write_text(with_firmness(text, {rule_id: stream.choice(GRID) for rule_id in chosen}))
    return copy


def measure(path: Path, runs: int, time_limit: float) -> dict:
    scenario = load_scenario(path)
    made = uncertain(scenario)
    demoted = made.sample(Draw(tuple(item.values.index(GIVES_WAY) for item in made.items)))
    robust_times, check_times = [], []
    answer = checked = None
    for _ in range(runs):
        started = time.perf_counter()
        answer = robust_deal(made, time_limit=time_limit)
        robust_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        checked = check(demoted, time_limit=time_limit, room=False)
        check_times.append(time.perf_counter() - started)
    assert answer is not None and checked is not None and answer.deal is not None
    return {"scenario": scenario.title, "red lines": len(scenario.red_lines), "uncertain": len(made.items),
            "robust": statistics.median(robust_times), "check": statistics.median(check_times),
            "status": answer.status.value, "probability": answer.probability, "gambles": len(answer.gambles),
            "robust best": answer.deal.optimal, "check best": checked.deal.optimal if checked.deal else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT, help="seconds, per call")
    parser.add_argument("--planted", type=Path, default=ROOT.parent / "shared" / "cases" / "planted-2000.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        rows = [measure(ukraine_copy(directory), args.runs, args.time_limit),
                measure(planted_copy(directory, args.planted, args.seed), args.runs, args.time_limit)]
    print(f"Python {platform.python_version()}, OR-Tools {version('ortools')}, {platform.machine()}, "
          f"medians of {args.runs} runs, time limit {args.time_limit:g} s")
    print("| scenario | red lines | uncertain | robust_deal | best | check, all demoted | best | status | "
          "probability | gambles |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['scenario'][:40]} | {row['red lines']:,} | {row['uncertain']} | {row['robust']:.2f} s | "
              f"{row['robust best']} | {row['check']:.2f} s | {row['check best']} | {row['status']} | "
              f"{row['probability']} ({float(row['probability']):.4g}) | "
              f"{row['gambles']} |")


if __name__ == "__main__":
    main()
