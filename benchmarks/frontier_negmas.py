"""The frontier and the bargaining points against NegMAS on the ANAC domains (issue 19).

Per domain and per run, side by side: feasible (benchmarks/feasible_side.py: the GENIUS import, loading, the
frontier and the four points, one process) and NegMAS (benchmarks/negmas_side.py, one process in a virtual
environment of its own, given the GENIUS-normalised utilities and the same disagreement points). Each process runs
under a memory cap and a timeout; the time is the whole process's wall time, the median over --runs. Then:

* frontier: the two sets of utility vectors matched within the rounding of our integer utilities (each issue's
  term is rounded to the nearest millionth, so a vector can be off by half a millionth per issue); every point
  without a partner is listed; NegMAS's near-duplicates (distinct floats within that tolerance) are counted;
* points: our Nash, Kalai–Smorodinsky, egalitarian and welfare points against NegMAS's (it returns every point
  within 1e-12 of its optimum, so its ties are listed);
* additive domains: our frontier and points equal benchmarks/brute_frontier.py's enumeration exactly (integers);
* domains NegMAS cannot enumerate (more outcomes than --negmas-max-outcomes; the y2014 ones): feasible alone,
  compared with GENIUS's pareto.xml (every GENIUS point weakly dominated by one of ours within 1e-6), with
  --prove points of our frontier each proved Pareto-optimal by one solve.

    python benchmarks/frontier_negmas.py --runs 3 --write --json /tmp/frontier_negmas.json

NegMAS is AGPL: it is never a dependency of feasible. Install it in a virtual environment of its own
(`python -m venv .venv-negmas && .venv-negmas/bin/pip install -e '.[negmas]'` is not needed: `pip install
'negmas>=0.16'` is enough, the NegMAS side imports only NegMAS and benchmarks/genius_xml.py) and pass its Python
with --negmas-python (default .venv-negmas/bin/python in the repository). Without it, NegMAS is reported absent.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import brute_frontier  # noqa: E402
import genius_xml  # noqa: E402
from docsection import write_section  # noqa: E402
from genius_xml import PRECISION  # noqa: E402

SECTION = "frontier-negmas"
HEADING = "Frontier and bargaining points against NegMAS"
COMMAND = "python benchmarks/frontier_negmas.py --runs 3 --write"
SOLUTIONS = brute_frontier.SOLUTIONS
GENIUS_TOLERANCE = Fraction(1, PRECISION)


@dataclass
class Run:
    """One process: its answer (None when it failed), wall and CPU seconds, and why it failed."""
    answer: dict | None
    wall: float
    cpu: float
    failure: str | None = None


@dataclass
class DomainResult:
    name: str
    outcomes: int
    parties: int
    issues: int
    ours: list[Run] = field(default_factory=list)
    theirs: list[Run] = field(default_factory=list)
    negmas_note: str | None = None  # why NegMAS was not run
    comparison: dict = field(default_factory=dict)


def limited(memory_bytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    return apply


def run_process(command: list[str], timeout: float, memory_bytes: int) -> Run:
    """Run one side; its wall time, its CPU time (user + system, from the children's usage) and its JSON."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              preexec_fn=limited(memory_bytes))
    except subprocess.TimeoutExpired:
        return Run(None, time.perf_counter() - start, 0.0, f"timeout after {timeout:.0f} s")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        memory = "MemoryError" in done.stderr or done.returncode in (-9, 137)
        return Run(None, wall, cpu, (f"out of memory (the {memory_bytes / 2**30:g} GB address-space cap): "
                                     if memory else f"exit {done.returncode}: ") + tail[:200])
    return Run(json.loads(done.stdout), wall, cpu)


def median_wall(runs: list[Run]) -> float | None:
    ok = [r.wall for r in runs if r.answer is not None]
    return statistics.median(ok) if ok else None


def median_cpu(runs: list[Run]) -> float | None:
    ok = [r.cpu for r in runs if r.answer is not None]
    return statistics.median(ok) if ok else None


def tolerance(issues: int) -> float:
    """How far our millionths may be from the float utility: half a millionth per rounded term, plus float noise."""
    return issues * 0.5 / PRECISION + 1e-9


def distance(a, b) -> float:
    return max(abs(x - y) for x, y in zip(a, b))


def as_floats(scaled) -> tuple[float, ...]:
    return tuple(x / PRECISION for x in scaled)


class Near:
    """Points looked up by their first coordinate (sorted, bisected), so that matching thousands of points against
    thousands stays near-linear."""

    def __init__(self, points) -> None:
        self.points = sorted(tuple(p) for p in points)
        self.firsts = [p[0] for p in self.points]

    def within(self, p, reach: float):
        start = bisect.bisect_left(self.firsts, p[0] - reach)
        end = bisect.bisect_right(self.firsts, p[0] + reach)
        return (q for q in self.points[start:end] if distance(p, q) <= reach)

    def any_within(self, p, reach: float) -> bool:
        return next(self.within(p, reach), None) is not None


def clusters(points, tol: float) -> int:
    """How many groups of points closer than tol to each other there are (greedy, by first coordinate)."""
    representatives: list = []
    for p in sorted(tuple(q) for q in points):
        k = len(representatives) - 1
        while k >= 0 and representatives[k][0] >= p[0] - tol and distance(p, representatives[k]) > tol:
            k -= 1
        if k < 0 or representatives[k][0] < p[0] - tol:
            representatives.append(p)
    return len(representatives)


def nearest(p, near: Near) -> float:
    """The distance from p to the nearest point of `near` (widening the window until one is inside it)."""
    reach = 1e-6
    while reach < 2:
        found = [distance(p, q) for q in near.within(p, reach)]
        if found:
            return min(found)
        reach *= 16
    return min(distance(p, q) for q in near.points)


def compare_frontiers(ours: list, theirs: list, tol: float) -> dict:
    ours_f = [as_floats(p) for p in ours]
    near_ours, near_theirs = Near(ours_f), Near(theirs)
    unmatched_ours = [p for p, f in zip(ours, ours_f) if not near_theirs.any_within(f, tol)]
    unmatched_theirs = [tuple(t) for t in theirs if not near_ours.any_within(t, tol)]
    worst = max((nearest(f, near_theirs) for f in ours_f), default=0.0) if theirs else None
    # NegMAS compares floats exactly: a point whose exact utility ties with a better point's in one coordinate can
    # differ from it in the last bit there and survive as "not dominated"
    dominated = [t for t in unmatched_theirs if any(all(x >= y - tol for x, y in zip(f, t)) for f in ours_f)]
    return {"ours": len(ours), "theirs": len(theirs), "theirs_distinct": clusters(theirs, tol),
            "unmatched_ours": unmatched_ours, "unmatched_theirs": unmatched_theirs,
            "theirs_dominated": dominated,
            "largest_distance": worst, "tolerance": tol,
            "equal": not unmatched_ours and not unmatched_theirs}


def compare_points(ours: dict, theirs: dict, tol: float) -> dict:
    found = {}
    for solution in SOLUTIONS:
        mine = ours.get(solution, {}).get("point")
        candidates = theirs.get(solution, [])
        if mine is None:
            same = not candidates
        else:
            same = any(distance(as_floats(mine), c) <= tol for c in candidates)
        found[solution] = {"ours": mine, "ours_ties": ours.get(solution, {}).get("ties"),
                           "theirs": candidates, "equal": same}
    return found


def compare_brute(domain: genius_xml.Domain, answer: dict) -> dict:
    """Our answer against the exact enumeration (additive domains only)."""
    brute = brute_frontier.brute_frontier(domain)
    points = [tuple(p) for p in answer["points"]]
    mismatched = [s for s in SOLUTIONS
                  if (tuple(answer["bargaining"][s]["point"]) if answer["bargaining"][s]["point"] else None,
                      answer["bargaining"][s]["ties"] if answer["bargaining"][s]["point"] else 0)
                  != (brute.bargaining[s].vector, brute.bargaining[s].ties)]
    return {"frontier_equal": points == list(brute.points), "points_equal": not mismatched,
            "mismatched_points": mismatched, "brute_points": len(brute.points)}


def compare_genius_pareto(domain: genius_xml.Domain, answer: dict) -> dict:
    """Every point of GENIUS's pareto.xml weakly dominated by one of ours, within 1e-6. GENIUS's frontier ignores
    the reservation values, ours is over the deals every party accepts: its points below a party's reservation
    value are counted apart (no acceptable deal reaches them)."""
    genius = genius_xml.read_pareto(domain.folder / "pareto.xml")
    reservations = [p.reservation or 0 for p in domain.profiles]
    acceptable = [g for g in genius if all(x >= r for x, r in zip(g, reservations))]
    ours = [tuple(Fraction(x, PRECISION) for x in p) for p in answer["points"]]

    def covered(g, strictly: bool) -> bool:
        return any(all(o >= x - GENIUS_TOLERANCE for o, x in zip(p, g))
                   and (not strictly or any(o > x + GENIUS_TOLERANCE for o, x in zip(p, g))) for p in ours)

    return {"genius_points": len(genius), "below_reservation": len(genius) - len(acceptable),
            "not_covered": [[float(x) for x in g] for g in acceptable if not covered(g, False)],
            "strictly_improved": sum(1 for g in acceptable if covered(g, True))}


def measure(folder: Path, args) -> DomainResult:
    domain = genius_xml.read_domain(folder)
    name = f"{folder.parent.name}/{folder.name}"
    result = DomainResult(name, domain.outcomes, len(domain.profiles), len(domain.issues))
    memory = int(args.memory_gb * 2**30)
    ours_command = [sys.executable, str(HERE / "feasible_side.py"), str(folder), "--time-limit", str(args.time_limit)]
    theirs_command = [str(args.negmas_python), str(HERE / "negmas_side.py"), str(folder)]
    if not Path(args.negmas_python).exists():
        result.negmas_note = "absent (no NegMAS Python: pass --negmas-python)"
    enumerable = domain.outcomes <= args.negmas_max_outcomes
    for run in range(args.runs):
        result.ours.append(run_process(ours_command, args.timeout, memory))
        if result.negmas_note is None and (enumerable or run == 0):  # beyond: tried once, to show how it fails
            result.theirs.append(run_process(theirs_command, args.timeout, memory))
    if not enumerable and result.theirs and result.theirs[0].answer is None:
        result.negmas_note = f"{result.theirs[0].failure} after {result.theirs[0].wall:.0f} s (tried once)"
    answer = next((r.answer for r in result.ours if r.answer is not None), None)
    if answer is None:
        return result
    theirs = next((r.answer for r in result.theirs if r.answer is not None), None)
    tol = tolerance(len(domain.issues))
    if theirs is not None:
        result.comparison["frontier"] = compare_frontiers(answer["points"], theirs["frontier"], tol)
        result.comparison["points"] = compare_points(answer["bargaining"], theirs["points"], tol)
    if not domain.nonlinear and domain.outcomes <= args.brute_max_outcomes:
        result.comparison["brute"] = compare_brute(domain, answer)
    if (domain.folder / "pareto.xml").exists():
        result.comparison["genius"] = compare_genius_pareto(domain, answer)
        if args.prove:
            proved = run_process(ours_command + ["--prove", str(args.prove)], args.timeout, memory)
            result.comparison["proved"] = (proved.answer or {}).get("proved")
            result.comparison["prove_seconds"] = (proved.answer or {}).get("prove_seconds")
    return result


def summary_line(r: DomainResult) -> str:
    ours, theirs = median_wall(r.ours), median_wall(r.theirs)
    answer = next((x.answer for x in r.ours if x.answer is not None), None)
    parts = [f"{r.name}: {count(r.outcomes)} outcomes, {r.parties} parties"]
    if answer is None:
        parts.append(f"feasible failed: {r.ours[-1].failure}")
    else:
        parts.append(f"feasible {len(answer['points'])} points ({answer['status']}) in {ours:.2f} s "
                     f"({median_cpu(r.ours):.2f} s CPU)")
    if r.negmas_note:
        parts.append(f"NegMAS {r.negmas_note}")
    elif theirs is None:
        parts.append(f"NegMAS failed: {r.theirs[-1].failure}")
    else:
        parts.append(f"NegMAS {len(r.theirs[0].answer['frontier'])} points in {theirs:.2f} s "
                     f"({median_cpu(r.theirs):.2f} s CPU)")
    c = r.comparison
    if "frontier" in c:
        f = c["frontier"]
        parts.append("frontier " + ("equal" if f["equal"] else f"DIFFERS ({len(f['unmatched_ours'])} of ours, "
                                    f"{len(f['unmatched_theirs'])} of NegMAS's unmatched, "
                                    f"{len(f['theirs_dominated'])} of those dominated)"))
        parts.append("points " + " ".join(f"{s[:4]}={'=' if v['equal'] else 'X'}" for s, v in c["points"].items()))
    if "brute" in c:
        parts.append("brute force " + ("equal" if c["brute"]["frontier_equal"] and c["brute"]["points_equal"]
                                       else f"DIFFERS {c['brute']}"))
    if "genius" in c:
        g = c["genius"]
        parts.append(f"pareto.xml: {g['genius_points']} points ({g['below_reservation']} below a reservation "
                     f"value), {len(g['not_covered'])} not covered, {g['strictly_improved']} strictly improved")
    if c.get("proved") is not None:
        parts.append(f"proved Pareto-optimal: {sum(1 for p in c['proved'] if p['pareto_optimal'])} of "
                     f"{len(c['proved'])}")
    return "; ".join(parts)


def as_json(r: DomainResult) -> dict:
    def runs(xs):
        return [{"wall": x.wall, "cpu": x.cpu, "failure": x.failure} for x in xs]
    answer = next((x.answer for x in r.ours if x.answer is not None), None)
    theirs = next((x.answer for x in r.theirs if x.answer is not None), None)
    return {"domain": r.name, "outcomes": r.outcomes, "parties": r.parties, "issues": r.issues,
            "feasible": {"runs": runs(r.ours), "median_wall": median_wall(r.ours), "median_cpu": median_cpu(r.ours),
                         "status": answer and answer["status"], "points": answer and len(answer["points"]),
                         "solves": answer and answer["solves"]},
            "negmas": {"runs": runs(r.theirs), "median_wall": median_wall(r.theirs), "median_cpu": median_cpu(r.theirs),
                       "note": r.negmas_note, "points": theirs and len(theirs["frontier"])},
            "answers": {"feasible": answer, "negmas": theirs},
            "comparison": r.comparison}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anac", type=Path, default=genius_xml.anac_root(), help="the ANAC domains folder")
    parser.add_argument("--domains", nargs="*", help="only the domains whose name contains one of these")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--negmas-python", type=Path, default=HERE.parent / ".venv-negmas" / "bin" / "python")
    parser.add_argument("--negmas-max-outcomes", type=float, default=1e8)
    parser.add_argument("--brute-max-outcomes", type=float, default=1e5,
                        help="check against the brute force up to this many outcomes (1e7 takes in AgentHp2 and "
                             "killer_robot, about 2 minutes more)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="feasible's time limit per domain")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a process is stopped")
    parser.add_argument("--memory-gb", type=float, default=6.0, help="address-space cap per process")
    parser.add_argument("--prove", type=int, default=5, help="frontier points proved Pareto-optimal (pareto.xml)")
    parser.add_argument("--json", type=Path, help="write every figure and comparison here")
    parser.add_argument("--write", action="store_true", help="write the section into docs/benchmarks.md")
    parser.add_argument("--render", type=Path, nargs="+", metavar="JSON",
                        help="write the section from saved --json results instead of measuring (a later file's "
                             "domain replaces an earlier one's)")
    args = parser.parse_args()
    if args.render:
        settings, results = rendered(args.render)
        write_section(SECTION, HEADING, section(results, settings))
        return
    if args.anac is None or not args.anac.is_dir():
        parser.error("no ANAC domains: pass --anac or set FEASIBLE_ANAC (../shared/data/anac is absent)")
    folders = [f for f in genius_xml.domain_folders(args.anac)
               if not args.domains or any(d in f"{f.parent.name}/{f.name}" for d in args.domains)]
    settings = {"machine": machine(), "runs": args.runs, "memory_gb": args.memory_gb, "timeout": args.timeout,
                "time_limit": args.time_limit, "load_before": os.getloadavg()[0]}
    results = []
    for folder in folders:
        result = measure(folder, args)
        results.append(result)
        print(summary_line(result), flush=True)
        if args.json:  # after every domain, so that a long run stopped half-way keeps what it measured
            args.json.write_text(json.dumps({"settings": {**settings, "load_after": os.getloadavg()[0]},
                                             "domains": [as_json(r) for r in results]}, indent=1), encoding="utf-8")
    if args.write:
        write_section(SECTION, HEADING, section(results, {**settings, "load_after": os.getloadavg()[0]}))


def from_json(row: dict) -> DomainResult:
    def runs(saved: list[dict], answer: dict | None) -> list[Run]:
        return [Run(answer if r["failure"] is None else None, r["wall"], r["cpu"], r["failure"]) for r in saved]
    return DomainResult(row["domain"], row["outcomes"], row["parties"], row["issues"],
                        runs(row["feasible"]["runs"], row["answers"]["feasible"]),
                        runs(row["negmas"]["runs"], row["answers"]["negmas"]), row["negmas"]["note"],
                        row["comparison"])


def rendered(paths: list[Path]) -> tuple[dict, list[DomainResult]]:
    """The settings and the domains of saved runs (the runs' load averages as a range)."""
    by_name: dict[str, DomainResult] = {}
    saved = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    for document in saved:
        for row in document["domains"]:
            by_name[row["domain"]] = from_json(row)
    loads = [d["settings"][key] for d in saved for key in ("load_before", "load_after")]
    settings = {**saved[-1]["settings"], "load_before": min(loads), "load_after": max(loads),
                "runs": "/".join(sorted({str(d["settings"]["runs"]) for d in saved}))}
    return settings, [by_name[name] for name in sorted(by_name)]


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def count(outcomes: int) -> str:
    exponent = len(str(outcomes)) - 1
    return f"{outcomes:,}" if outcomes < 10**7 or outcomes != 10**exponent else f"10^{exponent}"


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def runs(count: int) -> str:
    return "1 run" if count == 1 else f"median of {count} runs"


def section(results: list[DomainResult], settings: dict) -> str:
    begin, end = f"<!-- {SECTION}:begin -->", f"<!-- {SECTION}:end -->"
    rows = ["| domain | outcomes | parties | frontier: feasible / NegMAS (distinct) | N KS E W | brute force | "
            "feasible: wall (CPU) | NegMAS: wall (CPU) | ratio (wall) |", "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        answer = next((x.answer for x in r.ours if x.answer is not None), None)
        ours, theirs = median_wall(r.ours), median_wall(r.theirs)
        c = r.comparison
        size = "–" if answer is None else f"{len(answer['points'])}" + ("" if answer["status"] == "complete"
                                                                        else f" ({answer['status']})")
        if "frontier" in c:
            f = c["frontier"]
            size += f" / {f['theirs']} ({f['theirs_distinct']})"
            if f["theirs_dominated"]:
                size += f", {len(f['theirs_dominated'])} of NegMAS's dominated"
            if len(f["unmatched_theirs"]) > len(f["theirs_dominated"]) or f["unmatched_ours"]:
                size += " **differs**"
            marks = " ".join("=" if v["equal"] else "≠" for v in c["points"].values())
        elif r.negmas_note or not r.theirs:
            size += " / –"
            marks = "–"
        else:
            size += f" / {r.theirs[-1].failure}"
            marks = "–"
        brute = c.get("brute")
        exact = "–" if brute is None else ("equal" if brute["frontier_equal"] and brute["points_equal"]
                                           else "**differs**")
        ratio = f"{theirs / ours:.1f}×" if ours and theirs else "–"
        mine = f"{seconds(ours)} ({seconds(median_cpu(r.ours))}), {runs(len(r.ours))}"
        other = r.negmas_note or f"{seconds(theirs)} ({seconds(median_cpu(r.theirs))}), {runs(len(r.theirs))}"
        rows.append(f"| `{r.name}` | {count(r.outcomes)} | {r.parties} | {size} | {marks} | {exact} | {mine} | "
                    f"{other} | {ratio} |")
    genius = [r for r in results if "genius" in r.comparison]
    lines = [begin, f"`{COMMAND}` ({settings['machine']}; the median of the runs each cell names, each side a whole "
             f"process with a {settings['memory_gb']:g} GB address-space cap and a {settings['timeout']:.0f} s "
             f"timeout, feasible's time limit {settings['time_limit']:g} s, the sides run one after the other; load "
             f"average {settings['load_before']:.1f}–{settings['load_after']:.1f} during the run, on 2 cores). "
             "N KS E W: the Nash, Kalai–Smorodinsky, egalitarian and welfare points equal NegMAS's (=) or not "
             "(≠).", "", *rows, ""]
    for r in genius:
        g = r.comparison["genius"]
        proved = r.comparison.get("proved") or []
        acceptable = g["genius_points"] - g["below_reservation"]
        below = f", {g['below_reservation']} of them below a reservation value" if g["below_reservation"] else ""
        lines.append(f"* `{r.name}` against GENIUS's `pareto.xml` ({g['genius_points']} points{below}): "
                     f"{acceptable - len(g['not_covered'])} of {acceptable} acceptable ones weakly dominated by one "
                     f"of ours within 1e-6, {g['strictly_improved']} strictly; "
                     f"{sum(1 for p in proved if p['pareto_optimal'])} of "
                     f"{len(proved)} sampled frontier points proved Pareto-optimal by one solve each.")
    lines.append(end)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
