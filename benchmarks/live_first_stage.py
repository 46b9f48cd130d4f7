"""Time to the first stage of a live answer (solver/live.py `Live.answer`): the verdict with a deal or one conflict.

A seeded sequence of toggles on one Live, as the page sends them: each keeps, demotes or drops a random red line
(half of the time one of the files' first conflict), or pins a random issue (to its value in a deal once that
conflict is given up) or frees it. Each toggle's what-if is the state after it; the run is interrupted once its
first stage is in, so only the first stage is timed. The first ask (on a fresh Live: compiling the scenario, the
first subset checks) is reported apart, as cold.

    python benchmarks/live_first_stage.py                     # the shipped Ukraine scenario
    python benchmarks/generate.py planted --red-lines 2000 --seed 7 --out /tmp/planted
    python benchmarks/live_first_stage.py /tmp/planted
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from feasible.positions import load_scenario
from feasible.positions.dates import as_of
from feasible.positions.edits import Edits
from feasible.positions.kinds import issue_type
from feasible.solver.live import Ask, FirstStage, Live
from feasible.solver.search import Control


def first_stage(live: Live, ask: Ask) -> tuple[float, FirstStage]:
    control = Control()
    got: list[tuple[float, FirstStage]] = []
    started = time.perf_counter()

    def emit(stage) -> None:
        if isinstance(stage, FirstStage):
            got.append((time.perf_counter() - started, stage))
            control.interrupt()

    live.answer(ask, control, emit)
    return got[0]


def toggles(scenario, reference: dict, disputed: tuple[str, ...], count: int, seed: int) -> list[Ask]:
    """The what-if after each of `count` seeded toggles: half of those on red lines on the `disputed` ones (those
    of the files' first conflict, where a user clicks to see the verdict change)."""
    rng = random.Random(seed)
    red = [r.name for p in scenario.parties for r in p.red_lines]
    issues = sorted(scenario.issues)
    firmness: dict[str, str] = {}
    pins: dict[str, str] = {}
    asks = []
    for _ in range(count):
        if rng.random() < 0.7:
            name = rng.choice(disputed if disputed and rng.random() < 0.5 else red)
            firmness[name] = "keep" if firmness.get(name, "keep") != "keep" else rng.choice(["demote", "drop"])
        else:
            name = rng.choice(issues)
            if name in pins:
                del pins[name]
            elif not scenario.issues[name].steps:
                pins[name] = f"{name}={issue_type(scenario.issues[name]).text(reference[name])}"
        drop = tuple(sorted(n for n, how in firmness.items() if how == "drop"))
        demote = tuple(sorted(n for n, how in firmness.items() if how == "demote"))
        asks.append(Ask(Edits(drop=drop, demote=demote, set=tuple(sorted(pins.values())))))
    return asks


def deal_values(scenario, disputed: tuple[str, ...]) -> dict:
    """The values pins take: a deal once the files' first conflict is given up, else one of the facts alone."""
    for drop in (disputed, tuple(r.name for r in scenario.red_lines)):
        stage = first_stage(Live(scenario), Ask(Edits(drop=drop)))[1]
        if stage.deal is not None:
            return stage.deal.values
    raise SystemExit("the facts alone cannot hold: nothing to pin")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=None, help="a scenario (default: the shipped Ukraine one)")
    parser.add_argument("--toggles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    scenario = as_of(load_scenario(args.path, versions=True), None)
    live = Live(scenario)
    cold, files = first_stage(live, Ask())
    disputed = files.conflict.red_lines if files.conflict is not None else ()
    reference = deal_values(scenario, disputed)
    times, verdicts = [], []
    for ask in toggles(scenario, reference, disputed, args.toggles, args.seed):
        seconds, stage = first_stage(live, ask)
        times.append(seconds)
        verdicts.append(stage.verdict.value)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"{scenario.title}: cold first ask {cold * 1000:.0f} ms; warm over {len(times)} toggles: median "
          f"{statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms; "
          f"verdicts {', '.join(f'{v} {verdicts.count(v)}' for v in sorted(set(verdicts)))}")


if __name__ == "__main__":
    main()
