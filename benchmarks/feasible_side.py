"""The feasible side of benchmarks/frontier_negmas.py, run as its own process (so its time is the whole process's:
interpreter, imports, the GENIUS import, loading, the frontier and the points). Prints one JSON document.

    python benchmarks/feasible_side.py FOLDER [--time-limit S] [--prove K]

The GENIUS files go through `feasible.positions.genius.import_genius` (what `feasible import genius` writes), the
scenario directory is loaded like any other, and `feasible.solver.frontier.frontier` answers. With `--prove K`,
K frontier points spread along the canonical order are each proved Pareto-optimal by one solve
(`prove_pareto_optimal`), after the timed part (its time is reported on its own).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import genius_xml  # noqa: E402

START = time.perf_counter()  # the interpreter's own start-up is in the caller's wall time, not in this figure


def scenario_of(folder: Path, directory: Path):
    from feasible.positions import load_scenario
    from feasible.positions.genius import import_genius

    domain = genius_xml.read_domain(folder)
    for name, text in import_genius(domain.domain_file, list(domain.profile_files)).items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text, encoding="utf-8")
    return load_scenario(directory)


def spread(count: int, k: int) -> list[int]:
    """k indices spread evenly over range(count), both ends included."""
    if k <= 0 or count == 0:
        return []
    if k >= count:
        return list(range(count))
    return sorted({round(i * (count - 1) / (k - 1)) for i in range(k)}) if k > 1 else [0]


def solve(folder: Path, time_limit: float, prove: int) -> dict:
    from feasible.solver.frontier import frontier, prove_pareto_optimal

    with tempfile.TemporaryDirectory() as tmp:
        scenario = scenario_of(folder, Path(tmp))
        result = frontier(scenario, time_limit=time_limit)
        answer = {
            "parties": [pu.party for pu in result.parties],
            "status": result.status.value,
            "solves": result.solves,
            "points": [list(p.scaled) for p in result.points],
            "disagreement": [str(d) for d in result.disagreement],
            "ideal": [str(i) for i in result.ideal] if result.ideal is not None else None,
            "bargaining": {b.solution.value: {"point": list(b.point.scaled) if b.point is not None else None,
                                              "ties": b.ties, "exact": b.exact, "reason": b.reason}
                           for b in result.bargaining},
        }
        answer["seconds_to_answer"] = time.perf_counter() - START
        if prove:
            parties = [pu.party for pu in result.parties]
            start = time.perf_counter()
            answer["proved"] = [
                {"point": list(result.points[i].scaled),
                 "pareto_optimal": prove_pareto_optimal(scenario, parties, result.points[i], time_limit)}
                for i in spread(len(result.points), prove)]
            answer["prove_seconds"] = time.perf_counter() - start
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--prove", type=int, default=0, help="prove this many frontier points Pareto-optimal")
    args = parser.parse_args()
    json.dump(solve(args.folder, args.time_limit, args.prove), sys.stdout)


if __name__ == "__main__":
    main()
