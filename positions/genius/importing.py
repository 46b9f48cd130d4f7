"""GENIUS files → a scenario directory's YAML texts (scenario.yaml and one party file per profile).

Everything is exact: numbers are written as the decimals the files hold; an integer or real evaluator (a clamped
straight line) becomes the points of a piecewise-linear function that equals it at every whole value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from ..errors import InvalidScenario, UserError
from ..limits import Limits
from ..rules.syntax import KEYWORDS
from ..schema import ISSUE_NAME, PARTY_ID
from .reading import (DISCRETE, INTEGER, REAL, Evaluator, GeniusDomain, GeniusProfile, Line, Problems, read_domain,
                      read_profile)
from .yamltext import document, exact_text

SCENARIO_FILE = "scenario.yaml"
RESERVED_PARTY_IDS = ("facts", "set", "scenario")  # the loader's reserved ids, and the scenario file's own name
DESCRIPTION = ("Imported from GENIUS XML (feasible import genius). Each party's utility block is its GENIUS "
               "profile: discrete evaluations as written (normalised by each issue's best, as GENIUS does), "
               "integer evaluators as the points of their clamped line, weights as written.")


def import_genius(domain: Path, profiles: Sequence[Path], step: Fraction | None = None) -> dict[str, str]:
    """The scenario directory's files (file name → YAML text) for a GENIUS domain and its profiles. Every problem
    in every file is reported together (InvalidScenario, located FILE:LINE:COL); a real issue needs `step`."""
    if not profiles:
        raise UserError("no profile given", hint="name the domain file, then one profile file per party")
    if step is not None and step <= 0:
        raise UserError(f"--step {step} is not above 0", hint="give the real issues' step, e.g. --step 0.1")
    limits = Limits.from_environment()
    problems = Problems()
    read = read_domain(Path(domain), problems, limits)
    party_profiles = [read_profile(Path(p), read, problems, limits) for p in profiles] if read else []
    if read is not None:
        issues = _issue_entries(read, step, problems)
    if problems.found:
        raise InvalidScenario(problems.found)
    assert read is not None
    names = issue_names([issue.name for issue in read.issues])
    files = {SCENARIO_FILE: document(_scenario(read, names, issues, step))}
    for party_id, name, profile in _parties(party_profiles):
        files[f"{party_id}.yaml"] = document(_party(party_id, name, profile, read, names, issues, step))
    return files


def _issue_entries(domain: GeniusDomain, step: Fraction | None, problems: Problems) -> dict[int, dict]:
    """Per issue index: its scenario.yaml entry without the name (type, values or min/max, label)."""
    entries: dict[int, dict] = {}
    for issue in domain.issues:
        if issue.kind == DISCRETE:
            entries[issue.index] = {"values": list(issue.items)}
        elif issue.kind == INTEGER:
            entries[issue.index] = {"type": "int", "min": int(issue.lower), "max": int(issue.upper)}  # type: ignore
        elif step is None:
            problems.add(domain.file, issue.element, f"issue '{issue.name}' is real, and a scenario's numbers "
                         "are whole", "type", hint="give a step to discretise it: --step S (a value k stands for "
                         "k × S)")
        else:
            low, high = math.ceil(issue.lower / step), math.floor(issue.upper / step)  # type: ignore[operator]
            if low > high:
                problems.add(domain.file, issue.element, f"real issue '{issue.name}' ({issue.lower}..{issue.upper}) "
                             f"holds no whole multiple of the step {step}", "upperbound", hint="give a smaller --step")
            entries[issue.index] = {"type": "int", "min": low, "max": high}
    return entries


def issue_names(originals: Sequence[str]) -> list[str]:
    """A valid, distinct issue name per GENIUS issue name: kept when valid, else a slug (the original is the
    label)."""
    taken: set[str] = set()
    names = []
    for original in originals:
        name = original if _valid_issue_name(original) else _slug(original, "_", "issue_")
        if name in KEYWORDS:
            name += "_issue"
        names.append(_distinct(name, taken, "_"))
    return names


def _valid_issue_name(name: str) -> bool:
    return re.fullmatch(ISSUE_NAME, name) is not None and name not in KEYWORDS


def _slug(text: str, joiner: str, prefix: str, allowed: str = "a-z0-9") -> str:
    slug = re.sub(rf"[^{allowed}]+", joiner, text.lower()).strip("_-")
    return slug if slug[:1].isascii() and slug[:1].isalpha() else prefix + slug


def _distinct(name: str, taken: set[str], joiner: str) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}{joiner}{n}", n + 1
    taken.add(candidate)
    return candidate


def party_id(stem: str, taken: set[str]) -> str:
    """A profile's party id from its file name: kept when valid, else a slug; never a reserved id."""
    slug = stem if re.fullmatch(PARTY_ID, stem) else _slug(stem, "_", "party_", "a-z0-9_-")
    if slug in RESERVED_PARTY_IDS:
        slug += "-party"
    return _distinct(slug, taken, "-")


def _parties(profiles: list[GeniusProfile | None]) -> list[tuple[str, str | None, GeniusProfile]]:
    taken: set[str] = set()
    parties = []
    for profile in profiles:
        assert profile is not None  # (a profile that could not be read is a problem reported before)
        stem = profile.path.stem
        pid = party_id(stem, taken)
        parties.append((pid, stem if stem != pid else None, profile))
    return parties


def _scenario(domain: GeniusDomain, names: list[str], entries: dict[int, dict], step: Fraction | None) -> dict:
    issues = {}
    for issue, name in zip(domain.issues, names):
        entry = dict(entries[issue.index])
        if name != issue.name:
            entry["label"] = issue.name
        issues[name] = entry
    description = DESCRIPTION
    reals = [name for issue, name in zip(domain.issues, names) if issue.kind == REAL]
    if reals:
        description += (f" Real issues ({', '.join(reals)}) are whole numbers of steps of {exact_text(step)}: "  # type: ignore
                        f"a value k stands for k × {exact_text(step)}.")  # type: ignore[arg-type]
    return {"title": domain.name, "description": description, "issues": issues}


def _party(pid: str, name: str | None, profile: GeniusProfile, domain: GeniusDomain, names: list[str],
           entries: dict[int, dict], step: Fraction | None) -> dict:
    name_of = {issue.index: issue_name for issue, issue_name in zip(domain.issues, names)}
    block: dict = {}
    if profile.nonlinear:
        block["rectangles"] = [{"utility": r.utility,
                                "where": {name_of[i.index]: [low, high] for i, low, high in r.bounds}}
                               for r in profile.rectangles]
        block["max_utility"] = profile.max_utility
    else:
        evaluators = {e.issue.index: e for e in profile.evaluators}
        block["issues"] = {name_of[issue.index]: _issue_utility(weight, evaluators[issue.index],
                                                                 entries[issue.index], step)
                           for issue, weight in profile.weights}
    if profile.reservation is not None:
        block["reservation"] = profile.reservation
    if profile.discount is not None:
        block["discount"] = profile.discount
    party: dict = {"party": pid}
    if name is not None:
        party["name"] = name
    party["utility"] = block
    return party


def _issue_utility(weight: Fraction, evaluator: Evaluator, entry: dict, step: Fraction | None) -> dict:
    if evaluator.issue.kind == DISCRETE:
        scores = dict(evaluator.scores)  # every value, as GENIUS evaluates each (an item it lacks scores 0)
        return {"weight": weight, "scores": {value: scores.get(value, Fraction(0)) for value in evaluator.issue.items}}
    line = evaluator.line if evaluator.line is not None else Line(Fraction(0), evaluator.constant)  # type: ignore
    if evaluator.issue.kind == REAL:  # the line is over the real value; the issue's value k stands for k × step
        line = Line(line.slope * step, line.intercept)  # type: ignore[operator]
    return {"weight": weight, "points": [[x, y] for x, y in clamp_points(line, entry["min"], entry["max"])]}


def clamped(line: Line, k: int) -> Fraction:
    return min(max(line.slope * k + line.intercept, Fraction(0)), Fraction(1))


def clamp_points(line: Line, low: int, high: int) -> list[tuple[int, Fraction]]:
    """The fewest points (x ascending, from `low` to `high`) whose piecewise-linear interpolation equals
    clamp(slope · x + intercept, 0, 1) at every whole x from low to high: the ends and the whole numbers either
    side of where the line crosses 0 and 1 (between two consecutive such numbers the clamped line is straight on
    the whole numbers), less those in line with their neighbours."""
    xs = {low, high}
    if line.slope != 0:
        for level in (0, 1):
            crossing = (level - line.intercept) / line.slope
            xs.update(x for x in (math.floor(crossing), math.ceil(crossing)) if low <= x <= high)
    return bends([(x, clamped(line, x)) for x in sorted(xs)])


def bends(points: list[tuple[int, Fraction]]) -> list[tuple[int, Fraction]]:
    """`points` without those in line with the points either side of them (the same function)."""
    kept: list[tuple[int, Fraction]] = []
    for point in points:
        while len(kept) >= 2 and _slope(kept[-2], kept[-1]) == _slope(kept[-1], point):
            kept.pop()
        kept.append(point)
    return kept


def _slope(a: tuple[int, Fraction], b: tuple[int, Fraction]) -> Fraction:
    return (b[1] - a[1]) / (b[0] - a[0])
