"""Sweeps: the per-sample engine against a plain loop of checks, with and without memoisation, on 1 and 2 worker
processes, measured side by side in one run.

1. The Ukraine scenario (a temporary copy with `firm:` on six red lines: the four of its two conflicts and two
   others), 10,000 samples: `feasible.sweep` with workers 1 and 2, memoisation on and off (the exact probability
   over its 64 combinations included, the most robust deal left out: it is one optimisation, not per sample),
   and once as `feasible sweep` runs it (the most robust deal too).
2. ../shared/cases/planted-2000.yaml (2,000 red lines, one planted conflict) with 100 red lines given random
   firmness (0.1..0.9, seeded), 1,000 samples, where almost every sample is distinct: the per-sample cost of the
   sweep (memoisation off and on; workers 1 and 2) against a plain loop of in-process checks,
   `feasible.check(uncertain.sample(draw(items, seed, i)), conflicts=None)` (and the same with room=False,
   relaxations=1, closer to what a sample computes), timed on the first --loop samples (each check compiles the
   whole scenario), and that loop's verdicts compared with the sweep's.

Every sweep of one scenario must give the same tally (the script checks it). The figures go to stdout; the
machine's load by other processes is printed beside them (figures on a busy machine mean little).

    python benchmarks/sweep.py                       # all of it
    python benchmarks/sweep.py --planted-samples 200 --loop 3      # quicker
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine_load import Load  # noqa: E402

import feasible  # noqa: E402
from feasible.positions.shipped import shipped_scenarios  # noqa: E402
from feasible.positions.uncertainty import draw, uncertain  # noqa: E402
from feasible.solver.sweep import sweep  # noqa: E402

UKRAINE_FIRM = {"europe/european-led-force": "0.6", "russia/no-western-troops": "0.9",
                "russia/donbas-withdrawal": "0.8", "ukraine/no-unilateral-withdrawal": "0.7",
                "italy/no-italian-troops-in-ukraine": "0.5", "poland/no-polish-troops-in-ukraine": "0.95"}
CASE = Path("shared", "cases", "planted-2000.yaml")  # ../shared/cases beside the checkout (or further up)
PLANTED = next((folder / CASE for folder in Path(__file__).resolve().parents if (folder / CASE).exists()), CASE)
PLANTED_UNCERTAIN = 100
LEAN = {"room": False, "relaxations": 1}  # what a sample needs of check (the readings matrix asks as much)
SEED = 0


def ukraine_copy(directory: Path) -> Path:
    """The shipped Ukraine scenario with `firm:` written on the red lines of UKRAINE_FIRM (a temporary copy)."""
    target = directory / "ukraine-2026"
    shutil.copytree(shipped_scenarios()["ukraine-2026"], target)
    for path in target.glob("*.yaml"):
        doc = yaml.safe_load(path.read_text())
        if not isinstance(doc, dict) or "party" not in doc:
            continue
        for rule in doc.get("red_lines", []):
            firm = UKRAINE_FIRM.get(f"{doc['party']}/{rule['id']}")
            if firm is not None:
                rule["firm"] = float(firm)
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return target


def planted(path: Path) -> feasible.Scenario:
    """The planted scenario with PLANTED_UNCERTAIN red lines given random firmness (seeded)."""
    scenario = feasible.load_scenario(path)
    rng = random.Random(SEED)
    names = rng.sample([r.name for p in scenario.parties for r in p.red_lines], PLANTED_UNCERTAIN)
    firm = {name: Fraction(rng.randint(1, 9), 10) for name in names}
    parties = tuple(replace(p, red_lines=tuple(replace(r, firm=firm[r.name]) if r.name in firm else r
                                               for r in p.red_lines)) for p in scenario.parties)
    return replace(scenario, parties=parties)


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


def ukraine(samples: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        made = uncertain(feasible.load_scenario(ukraine_copy(Path(directory))))
    header(f"Ukraine, {len(made.items)} uncertain red lines, {samples:,} samples")
    runs = [timed(f"workers {w}, memo {'on' if m else 'off'}", made, samples, workers=w, memoise=m, robust=False)
            for w in (1, 2) for m in (True, False)]
    runs += [timed(f"workers {w}, memo on, with the most robust deal", made, samples, workers=w) for w in (1, 2)]
    same_answers([swept for _, swept in runs])
    swept = runs[0][1]
    print(f"\nP(deal) {swept.probability.estimate:.4f} [{swept.probability.low:.4f}, {swept.probability.high:.4f}], "
          f"exact {swept.exact.probability} = {float(swept.exact.probability):.4f}")


def planted_runs(path: Path, samples: int, loop: int) -> None:
    made = uncertain(planted(path))
    header(f"planted-2000, {len(made.items)} uncertain red lines, {samples:,} samples")
    runs = [timed(f"workers {w}, memo {'on' if m else 'off'}", made, samples, workers=w, memoise=m, robust=False,
                  exact=False) for m in (False, True) for w in (1, 2)]
    same_answers([swept for _, swept in runs])
    loops = {}
    for label, options in (("check(sample, conflicts=None)", {}),
                           ("check(sample, conflicts=None, room=False, relaxations=1)", LEAN)):
        load = Load()
        started = time.perf_counter()
        verdicts = [feasible.check(made.sample(draw(made.items, SEED, i)), conflicts=None, **options).verdict
                    for i in range(loop)]
        loops[label] = wall = time.perf_counter() - started
        print(f"| plain loop of {label}, first {loop} samples | {wall:.2f} s | {1000 * wall / loop:.2f} ms | {loop} "
              f"| 0 | 0 | in-process | {_load(load)} |")
    alone = sweep(made, samples=loop, seed=SEED, workers=1, robust=False, exact=False).tally
    if (alone.deals, alone.no_deals) != (verdicts.count(feasible.Verdict.DEAL),
                                         verdicts.count(feasible.Verdict.NO_DEAL)):
        raise SystemExit("the plain loop's verdicts differ from the sweep's")
    (w1_off, _), (w2_off, _) = runs[0], runs[1]
    for label, wall in loops.items():
        print(f"\nper sample, sweep (1 worker, memo off) / plain loop of {label}: "
              f"{(w1_off / samples) / (wall / loop):.3f}")
    print(f"1 -> 2 workers (memo off): {w1_off / w2_off:.2f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ukraine-samples", type=int, default=10_000)
    parser.add_argument("--planted-samples", type=int, default=1_000)
    parser.add_argument("--loop", type=int, default=5, help="samples the plain loop of checks is timed on")
    parser.add_argument("--planted", type=Path, default=PLANTED)
    arguments = parser.parse_args()
    ukraine(arguments.ukraine_samples)
    if arguments.planted.exists():
        planted_runs(arguments.planted, arguments.planted_samples, arguments.loop)
    else:
        print(f"\n{arguments.planted} not found: the planted-2000 runs are left out")


if __name__ == "__main__":
    main()
