"""The NegMAS side of benchmarks/frontier_negmas.py, run as its own process in a virtual environment with NegMAS
(never the project's: NegMAS is AGPL). Prints one JSON document on stdout.

    .venv-negmas/bin/python benchmarks/negmas_side.py FOLDER            # frontier and the four points
    .venv-negmas/bin/python benchmarks/negmas_side.py FOLDER --loader   # NegMAS's own utilities against GENIUS's

NegMAS loads the GENIUS files, then its utility functions are **replaced** by the GENIUS-normalised ones built from
genius_xml (discrete: evaluation / the issue's best; integer: clamp(slope · (v − lowerbound) + offset, 0, 1);
weights as written; the reservation value on that scale), because its own loader reads the raw evaluations, drops
the `− lowerbound` of integer evaluators and loses the reservation of discounted profiles (`--loader` shows it).
The points get explicit `ranges=(d_p, ideal_p)` and reserved values d_p, the design's definitions.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import genius_xml  # noqa: E402

POINTS = {"nash": "nash_points", "kalai-smorodinsky": "ks_points", "egalitarian": "kalai_points",
          "utilitarian": "max_welfare_points"}


def normalised_ufuns(domain: genius_xml.Domain, scenario):
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    issues = scenario.outcome_space.issues
    if [i.name for i in issues] != [i.name for i in domain.issues]:
        raise ValueError(f"NegMAS's issues {[i.name for i in issues]} are not the domain's")
    ufuns = []
    for profile in domain.profiles:
        weights = [float(profile.weights.get(i.index, 0)) for i in domain.issues]
        values = [TableFun(table) for table in genius_xml.float_evaluations(domain, profile)]
        ufuns.append(LinearAdditiveUtilityFunction(values=values, weights=weights, outcome_space=scenario.outcome_space,
                                                   reserved_value=float(profile.reservation or 0)))
    return ufuns


def solve(folder: Path) -> dict:
    from negmas.inout import Scenario
    from negmas.preferences import ops

    domain = genius_xml.read_domain(folder)
    scenario = Scenario.from_genius_folder(folder)
    if domain.nonlinear:  # hyperRectangles: NegMAS's own functions (it cannot enumerate these domains anyway)
        ufuns = list(scenario.ufuns)
        for ufun, profile in zip(ufuns, domain.profiles):
            ufun.reserved_value = float(profile.reservation or 0)
    else:
        ufuns = normalised_ufuns(domain, scenario)
    frontier, _ = ops.pareto_frontier(ufuns, issues=scenario.outcome_space.issues, sort_by_welfare=True)
    frontier = [tuple(float(u) for u in point) for point in frontier]
    disagreement = [u.reserved_value for u in ufuns]
    ideal = [max(p[k] for p in frontier) for k in range(len(ufuns))] if frontier else None
    points = {}
    if frontier:
        ranges = list(zip(disagreement, ideal))
        for solution, name in POINTS.items():
            found = getattr(ops, name)(ufuns, frontier, ranges=ranges)
            points[solution] = [list(p) for p, _ in found]
    return {"outcomes": domain.outcomes, "frontier": [list(p) for p in frontier], "disagreement": disagreement,
            "ideal": ideal, "points": points}


def loader_differences(folder: Path) -> dict:
    """NegMAS's own utility functions (as its GENIUS loader builds them) against GENIUS's semantics, on every
    outcome up to 10^5 of them (else the first 10^5): the largest difference per party, and the reserved values."""
    import itertools

    from negmas.inout import Scenario

    domain = genius_xml.read_domain(folder)
    scenario = Scenario.from_genius_folder(folder)
    outcomes = itertools.islice(itertools.product(*(i.values for i in domain.issues)), 10**5)
    worst = [(0.0, None, None, None) for _ in domain.profiles]
    for outcome in outcomes:
        for k, (profile, ufun) in enumerate(zip(domain.profiles, scenario.ufuns)):
            genius = float(sum(profile.weights.get(i.index, 0) * genius_xml.evaluation(profile, i, v)
                               for i, v in zip(domain.issues, outcome)))
            theirs = float(ufun(outcome))
            if abs(genius - theirs) > worst[k][0]:
                worst[k] = (abs(genius - theirs), list(outcome), genius, theirs)
    return {"parties": [p.name for p in domain.profiles],
            "largest_difference": [{"difference": w[0], "outcome": w[1], "genius": w[2], "negmas": w[3]}
                                   for w in worst],
            "reservation": {"genius": [float(p.reservation or 0) for p in domain.profiles],
                            "negmas": [float(u.reserved_value) for u in scenario.ufuns]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--loader", action="store_true", help="compare NegMAS's own utilities with GENIUS's")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # NegMAS warns that big outcome spaces are slow: the benchmark measures it
    result = loader_differences(args.folder) if args.loader else solve(args.folder)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
