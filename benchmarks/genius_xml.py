"""A small, independent reader of GENIUS domains for the NegMAS benchmark and its brute-force oracle.

Standard library only: it runs in the NegMAS virtual environment (which has no `feasible`) as well as in the
project's, and it shares no code with `feasible.positions.genius`, so the brute force built on it checks the
importer and the frontier engine together. The semantics are GENIUS's (../shared/data/anac/README.md):

* discrete issue: e(v) = evaluation(v) / the issue's best evaluation (0 everywhere when all are 0);
* integer issue: e(v) = clamp(slope · (v − lowerbound) + offset, 0, 1);
* U = Σ weight · e, weights as written; hyperRectangle profiles: U = min(1, Σ rectangles containing / maxutility).

Numbers are read exactly (Fraction of the decimal text). The integer utility is design §Vocabulary's: each
(issue, value) term round-half-up of PRECISION · weight · e, summed; rectangles floor(PRECISION · Σ / max), capped.
The files are the fixed ANAC data set (../shared/data/anac), read with the standard library's expat parser, which
refuses the entity-expansion attacks a hostile file could carry.
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

PRECISION = 10**6


def anac_root(repository: Path = Path(__file__).resolve().parent.parent) -> Path | None:
    """The ANAC domains: $FEASIBLE_ANAC, else `shared/data/anac` beside the repository (../shared) or beside the
    folder holding it (a git worktree under ../wt/), else None (a user's clone has none)."""
    if os.environ.get("FEASIBLE_ANAC"):
        return Path(os.environ["FEASIBLE_ANAC"])
    for parent in (repository.parent, repository.parent.parent):
        if (parent / "shared" / "data" / "anac").is_dir():
            return parent / "shared" / "data" / "anac"
    return None


def domain_folders(root: Path) -> list[Path]:
    return sorted(path for path in root.glob("y*/*") if path.is_dir())


@dataclass(frozen=True)
class Issue:
    index: int
    name: str
    values: tuple  # item texts (discrete) or ints lowerbound..upperbound (integer)
    integer: bool
    lower: int = 0


@dataclass(frozen=True)
class Rectangle:
    utility: Fraction
    bounds: tuple[tuple[int, int, int], ...]  # (issue index, min, max), inclusive


@dataclass(frozen=True)
class Profile:
    name: str  # the file name
    weights: dict[int, Fraction] = field(default_factory=dict)
    evaluations: dict[int, dict[str, Fraction]] = field(default_factory=dict)  # discrete: raw evaluations
    linear: dict[int, tuple[Fraction, Fraction, int | None]] = field(default_factory=dict)  # integer: slope, offset, lb
    rectangles: tuple[Rectangle, ...] = ()
    max_utility: Fraction | None = None
    reservation: Fraction | None = None
    discount: Fraction | None = None


@dataclass(frozen=True)
class Domain:
    folder: Path
    domain_file: Path
    issues: tuple[Issue, ...]
    profiles: tuple[Profile, ...]  # sorted by file name, the party order of the ground truth

    @property
    def profile_files(self) -> tuple[Path, ...]:
        return tuple(self.folder / p.name for p in self.profiles)

    @property
    def outcomes(self) -> int:
        return math.prod(len(i.values) for i in self.issues)

    @property
    def nonlinear(self) -> bool:
        return any(p.rectangles for p in self.profiles)


def exact(text: str) -> Fraction:
    return Fraction(text.strip())


def _issues(objective: ET.Element) -> tuple[Issue, ...]:
    found = []
    for node in objective.iter("issue"):
        kind = node.get("type") or node.get("etype") or node.get("vtype") or "discrete"
        index = int(node.get("index"))
        if kind == "integer":
            low, high = int(node.get("lowerbound")), int(node.get("upperbound"))
            found.append(Issue(index, node.get("name"), tuple(range(low, high + 1)), True, low))
        elif kind == "discrete":
            values = tuple(item.get("value") for item in node.findall("item"))
            found.append(Issue(index, node.get("name"), values, False))
        else:
            raise ValueError(f"{node.get('name')}: issue type {kind!r} is not discrete or integer")
    return tuple(sorted(found, key=lambda i: i.index))


def _value_of(root: ET.Element, tag: str) -> Fraction | None:
    node = root.find(f".//{tag}")
    return exact(node.get("value")) if node is not None and node.get("value") is not None else None


def read_profile(path: Path) -> Profile:
    root = ET.parse(path).getroot()
    weights = {int(w.get("index")): exact(w.get("value")) for w in root.iter("weight")}
    evaluations: dict[int, dict[str, Fraction]] = {}
    linear: dict[int, tuple[Fraction, Fraction, int | None]] = {}
    for node in root.iter("issue"):
        index = int(node.get("index"))
        evaluator = node.find("evaluator")
        if evaluator is not None and evaluator.get("ftype") == "linear":
            lower = node.get("lowerbound")
            linear[index] = (exact(evaluator.get("slope")), exact(evaluator.get("offset")),
                             int(lower) if lower is not None else None)
        else:  # direct children only: Car's profiles nest a similarity_function with items of its own
            evaluations[index] = {item.get("value"): exact(item.get("evaluation") or "0")
                                  for item in node.findall("item")}
    rectangles = tuple(
        Rectangle(exact(r.get("utility")),
                  tuple((int(c.get("index")), int(c.get("min")), int(c.get("max"))) for c in r.findall("INCLUDES")))
        for r in root.iter("hyperRectangle"))
    ufun = root.find(".//utility[@maxutility]")
    return Profile(path.name, weights, evaluations, linear, rectangles,
                   exact(ufun.get("maxutility")) if ufun is not None else None,
                   _value_of(root, "reservation"), _value_of(root, "discount_factor"))


def read_domain(folder: Path) -> Domain:
    """The domain file (root `negotiation_template`) and the profiles (root `utility_space`) of one folder."""
    domain_file, profiles = None, []
    for path in sorted(folder.glob("*.xml")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:  # pareto.xml is plain text despite its name
            continue
        if root.tag == "negotiation_template":
            domain_file = path
        elif root.tag == "utility_space":
            profiles.append(read_profile(path))
    if domain_file is None:
        raise ValueError(f"{folder}: no GENIUS domain file")
    objective = ET.parse(domain_file).getroot().find(".//objective")
    return Domain(folder, domain_file, _issues(objective), tuple(profiles))


def evaluation(profile: Profile, issue: Issue, value) -> Fraction:
    """e(value) on GENIUS's normalised scale, exact."""
    if issue.integer:
        if issue.index not in profile.linear:
            return Fraction(0)
        slope, offset, lower = profile.linear[issue.index]
        lower = issue.lower if lower is None else lower
        return min(Fraction(1), max(Fraction(0), slope * (value - lower) + offset))
    scores = profile.evaluations.get(issue.index, {})
    best = max(scores.values(), default=Fraction(0))
    return scores.get(value, Fraction(0)) / best if best else Fraction(0)


def round_half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def term_tables(domain: Domain) -> list[list[tuple[int, ...]]]:
    """Per issue, per value (in the issue's order): the vector of the parties' scaled terms (additive profiles)."""
    return [[tuple(round_half_up(PRECISION * p.weights.get(issue.index, Fraction(0)) * evaluation(p, issue, v))
                   for p in domain.profiles) for v in issue.values] for issue in domain.issues]


def rectangle_utility(profile: Profile, issues: tuple[Issue, ...], outcome: tuple) -> int:
    position = {issue.index: k for k, issue in enumerate(issues)}
    total = sum((r.utility for r in profile.rectangles
                 if all(lo <= outcome[position[i]] <= hi for i, lo, hi in r.bounds)), Fraction(0))
    return min(PRECISION, math.floor(PRECISION * total / profile.max_utility))


def thresholds(domain: Domain) -> tuple[int, ...]:
    """Each party's disagreement point in millionths: ceil(PRECISION · reservation), 0 without one."""
    return tuple(math.ceil(PRECISION * (p.reservation or 0)) for p in domain.profiles)


def float_evaluations(domain: Domain, profile: Profile) -> list[dict]:
    """Per issue: value -> e(value) as a float, from the exact number (what NegMAS is given, with the weights)."""
    return [{v: float(evaluation(profile, issue, v)) for v in issue.values} for issue in domain.issues]


def read_pareto(path: Path) -> list[tuple[Fraction, ...]]:
    """GENIUS's precomputed frontier (y2014 pareto.xml): one `u1, u2` line per point."""
    points = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            points.append(tuple(exact(part) for part in line.split(",")))
    return points
