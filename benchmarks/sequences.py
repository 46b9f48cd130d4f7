"""Sequences: all conflicts among the order demands on one 12-step sequence (issue 17).

A seeded scenario: one sequence issue of 12 steps (a strict order) and 40 order red lines among 4 parties
(`a before b`, `b after a` or `t.a < t.b`). A hidden order of the steps meets every red line but three planted
ones; each of those reverses the order of two steps two places apart in the hidden order, so that with the two red
lines ordering the step between them it closes a cycle of three, and no other cycle exists (every other red line
agrees with the hidden order, and none orders those two steps directly). Measured: every conflict found and proved
complete (`find_conflicts(…, limit=None)`, MARCO), and `check(…, conflicts=None)` as `feasible check
--all-conflicts` answers; the answer is compared with the planted cycles, each shown as a cycle
(positions/sequences.py).

Also measured: two pigeonholes a strict order must refute (no deal), each on 12 steps: an optional step that must
come after the step placed last (`s1 before s0`, `timeline.s1 == 12`), and twelve mandatory steps none of which may
take the last phase. The encoding refutes both at once (solver/encoders.py, SequenceEncoder._strict).

    python benchmarks/sequences.py --seed 0 --runs 5
    python benchmarks/sequences.py --seed 0 --out /tmp/seq   # the scenario, for `feasible check /tmp/seq`
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

from feasible.positions import load_scenario
from feasible.positions.sequences import order_cycle, order_edge
from feasible.solver import check
from feasible.solver.compile import compile_scenario
from feasible.solver.explain.conflicts import find_conflicts
from feasible.solver.search import Searcher

STEPS = 12
RULES = 40
PARTIES = ("north", "south", "east", "west")
CYCLES = 3
GOAL = 2.0  # seconds for every conflict, proved complete


def scenario(seed: int, steps: int = STEPS, rules: int = RULES, cycles: int = CYCLES) -> tuple[dict, list[set]]:
    """The scenario as one YAML document, and the red-line names of each planted cycle."""
    rng = random.Random(seed)
    names = [f"s{i:02d}" for i in range(1, steps + 1)]
    hidden = rng.sample(names, len(names))
    position = {step: i for i, step in enumerate(hidden)}
    triples = [hidden[4 * k:4 * k + 3] for k in range(cycles)]  # three steps in a row, a gap before the next
    skipped = {frozenset((x, z)) for x, _, z in triples}
    planted = [(x, y) for x, y, _ in triples] + [(y, z) for _, y, z in triples] + [(z, x) for x, _, z in triples]
    pairs = [(a, b) for a in hidden for b in hidden
             if position[a] < position[b] and frozenset((a, b)) not in skipped and (a, b) not in planted]
    chosen = planted + rng.sample(pairs, rules - len(planted))
    rng.shuffle(chosen)
    red_lines: dict[str, list[dict]] = {party: [] for party in PARTIES}
    owner_of: dict[tuple[str, str], str] = {}
    for i, (earlier, later) in enumerate(chosen):
        party = PARTIES[i % len(PARTIES)]
        written = rng.choice([f"{earlier} before {later}", f"{later} after {earlier}",
                              f"timeline.{earlier} < timeline.{later}"])
        rule_id = f"o{i:02d}"
        red_lines[party].append({"id": rule_id, "says": f"{earlier} before {later}.", "rule": written})
        owner_of[(earlier, later)] = f"{party}/{rule_id}"
    doc = {"title": f"A {steps}-step sequence with {rules} order demands (seed {seed})",
           "issues": {"timeline": {"type": "sequence", "steps": names}},
           "parties": [{"party": party, "name": party.title(), "red_lines": red_lines[party]} for party in PARTIES]}
    expected = [{owner_of[(x, y)], owner_of[(y, z)], owner_of[(z, x)]} for x, y, z in triples]
    return doc, expected


def pigeonholes(steps: int = STEPS) -> dict[str, dict]:
    """The two strict orders with no deal, by name: more steps to place than phases left for them."""
    names = [f"s{i}" for i in range(steps)]

    def one(title: str, rules: list[str], optional: list[str]) -> dict:
        return {"title": title, "issues": {"timeline": {"type": "sequence", "steps": names, "optional": optional}},
                "parties": [{"party": "x", "red_lines": [{"id": f"r{i}", "says": rule, "rule": rule}
                                                         for i, rule in enumerate(rules)]}]}

    return {"optional step after the last": one("after the last", ["s1 before s0", f"timeline.s1 == {steps}"],
                                                 ["s0"]),
            "no step in the last phase": one("not the last", [" and ".join(f"timeline.{n} < {steps}" for n in names)],
                                             [])}


def write(doc: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "scenario.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return directory


def all_conflicts(loaded) -> tuple[set[frozenset[str]], bool]:
    compiled = compile_scenario(loaded, enforce_red_lines=False, enforce_facts=False)
    found, complete = find_conflicts(compiled, Searcher(60), limit=None)
    return {frozenset(c.red_lines) for c in found}, complete


def timed(work, runs: int) -> tuple[list[float], object]:
    times, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = work()
        times.append(time.perf_counter() - start)
    return times, answer


def shown(times: list[float]) -> str:
    return f"{statistics.median(times):.3f} ({min(times):.3f}–{max(times):.3f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="write the scenario here and stop")
    args = parser.parse_args(argv)
    doc, expected = scenario(args.seed)
    if args.out:
        print(f"wrote {write(doc, args.out)}")
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_scenario(write(doc, Path(tmp) / "seq"))
    conflict_times, (found, complete) = timed(lambda: all_conflicts(loaded), args.runs)
    check_times, result = timed(lambda: check(loaded, conflicts=None, room=False), args.runs)
    cycles = [order_cycle([(n, order_edge(loaded.rule(n).expr)) for n in sorted(c)]) for c in found]
    agree = found == {frozenset(c) for c in expected} and complete and all(cycles)
    print(f"{STEPS} steps, {RULES} order red lines, seed {args.seed}: {len(found)} conflicts "
          f"(planted {len(expected)}), complete {complete}, each a cycle {all(cycles)}; agreement {agree}")
    print(f"all conflicts (find_conflicts, limit=None): median (min–max) {shown(conflict_times)} s; "
          f"goal ≤ {GOAL} s: {'met' if statistics.median(conflict_times) <= GOAL else 'NOT met'}")
    print(f"check(conflicts=None, room=False): {shown(check_times)} s; verdict {result.verdict.value}, "
          f"{len(result.conflicts)} conflicts, {len(result.relaxations)} relaxations")
    refuted = True
    for name, hole in pigeonholes().items():
        with tempfile.TemporaryDirectory() as tmp:
            loaded = load_scenario(write(hole, Path(tmp) / "hole"))
        times, answer = timed(lambda: check(loaded, time_limit=60), args.runs)
        refuted = refuted and answer.verdict.value == "no-deal" and answer.conflicts_complete
        print(f"pigeonhole, {STEPS} steps, {name}: check(time_limit=60) {shown(times)} s; verdict "
              f"{answer.verdict.value}, {len(answer.conflicts)} conflicts (complete {answer.conflicts_complete})")
    return 0 if agree and refuted else 1


if __name__ == "__main__":
    sys.exit(main())
