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

from ..errors import Diagnostic, InvalidScenario, UserError
from ..limits import Limits, override_hint
from ..location import display_path
from ..numbers import EXPONENT
from ..rules.syntax import KEYWORDS
from ..schema import ISSUE_NAME, PARTY_ID
from .reading import (DISCRETE, DOMAIN, INTEGER, PROFILE, REAL, Evaluator, GeniusDomain, GeniusProfile, Line, Problems,
                      kind_of, read_domain, read_profile)
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
    _refuse_swapped(Path(domain), [Path(p) for p in profiles], problems, limits)
    read = read_domain(Path(domain), problems, limits)
    party_profiles = [read_profile(Path(p), read, problems, limits) for p in profiles] if read else []
    if read is not None:
        issues = _issue_entries(read, step, problems, limits)
    if problems.found:
        raise InvalidScenario(problems.found)
    assert read is not None
    names = issue_names([issue.name for issue in read.issues])
    files = {SCENARIO_FILE: document(_scenario(read, names, issues, step))}
    for party_id, name, profile in _parties(party_profiles):
        files[f"{party_id}.yaml"] = document(_party(party_id, name, profile, read, names, issues, step))
    return files


def _refuse_swapped(domain: Path, profiles: list[Path], problems: Problems, limits: Limits) -> None:
    """InvalidScenario when a profile is given as the domain or a domain as a profile (say, all the files of a
    folder in name order): each located at its root element, naming the file that looks like the domain."""
    kinds = {path: kind_of(path, problems, limits) for path in (domain, *profiles)}
    domains = [path for path in profiles if kinds[path] == DOMAIN]
    found: list[Diagnostic] = []
    for path, wrong, role in [(domain, PROFILE, DOMAIN), *((path, DOMAIN, PROFILE) for path in profiles)]:
        file = problems.read.get(path)
        if kinds[path] != wrong or file is None:
            continue
        if role == DOMAIN:
            hint = (f"the domain looks like {display_path(domains[0])}: name the domain first, then the profiles"
                    if domains else "name the domain file (<negotiation_template>) first, then the profiles")
        else:
            hint = "name the domain file first, then only profiles (<utility_space> with <weight>s)"
        found.append(file.at(file.root, None, f"{display_path(path)} is a {wrong}, not a {role}", hint))
    if found:
        raise InvalidScenario(found)


def _issue_entries(domain: GeniusDomain, step: Fraction | None, problems: Problems,
                   limits: Limits) -> dict[int, dict]:
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
            lower, upper = issue.lower, issue.upper
            assert lower is not None and upper is not None
            shown = f"real issue '{issue.name}' ({exact_text(lower)}..{exact_text(upper)})"
            if (lower / step).denominator != 1 or (upper / step).denominator != 1:
                # (rounding the bounds in would quietly leave out the values near them)
                suggested = dividing_step(lower, upper, step)
                problems.add(domain.file, issue.element, f"{shown} is not a whole number of steps of "
                             f"{exact_text(step)}: its bounds are not multiples of it", "type",
                             hint=f"give a step that divides the bounds, e.g. --step {exact_text(suggested)}"
                             if suggested is not None else "give a step that divides both bounds")
                continue
            low, high = int(lower / step), int(upper / step)
            most = min(limits.utility_values, limits.int_width)
            if high - low + 1 > most:
                larger = dividing_step(lower, upper, (upper - lower) / max(most - 1, 1), larger=True)
                problems.add(domain.file, issue.element, f"{shown} in steps of {exact_text(step)} is "
                             f"{high - low + 1:,} values, more than the limit of {most:,} for an issue a utility "
                             "block scores", "type",
                             hint=f"give a larger step, e.g. --step {exact_text(larger)}" if larger is not None
                             else override_hint("utility_values"))
                continue
            entries[issue.index] = {"type": "int", "min": low, "max": high}
    return entries


def dividing_step(lower: Fraction, upper: Fraction, near: Fraction, *, larger: bool = False) -> Fraction | None:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that both bounds are whole multiples of: the largest at
    most `near` (or, `larger`, the smallest at least `near`); None when there is none."""
    whole = math.gcd(lower.numerator * upper.denominator, upper.numerator * lower.denominator)
    common = Fraction(whole, lower.denominator * upper.denominator)  # every step that fits divides it
    if common == 0:
        return None
    fits = [step for step in _ROUND_STEPS if (common / step).denominator == 1]
    chosen = [step for step in fits if step >= near] if larger else [step for step in fits if step <= near]
    return (min(chosen) if larger else max(chosen)) if chosen else None


_ROUND_STEPS = tuple(sorted(factor * Fraction(10) ** power for power in range(-EXPONENT - 2, EXPONENT + 2)
                            for factor in (Fraction(1), Fraction(2), Fraction(5, 2), Fraction(5))))


def issue_names(originals: Sequence[str]) -> list[str]:
    """A valid, distinct issue name per GENIUS issue name: kept when valid, else a slug (the original is the
    label)."""
    valid = [_valid_issue_name(original) for original in originals]
    taken: set[str] = set()
    names: list[str | None] = []
    for original, kept in zip(originals, valid):  # the valid names first: a slug never takes one
        names.append(_distinct(original, taken, "_") if kept else None)
    for i, original in enumerate(originals):
        if names[i] is None:
            name = _slug(original, "_", "issue_")
            if name in KEYWORDS:
                name += "_issue"
            names[i] = _distinct(name, taken, "_")
    return [name for name in names if name is not None]


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
