"""GENIUS domain and profile files read into plain data, every number exact, every problem located.

The semantics are GENIUS's (10.4, AdditiveUtilitySpace and the ANAC 2014 nonlinear space): issues and weights
are matched by `index`; a discrete issue's evaluations are raw numbers (normalised by the issue's best later,
by the utility block's definition); an integer evaluator is `clamp(slope · (v − lowerbound) + offset, 0, 1)`; a
real one `clamp(parameter1 · v + parameter0, 0, 1)` (or the constant `parameter0`); a nonlinear profile is a sum
of hyperRectangles over `maxutility`, capped at 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..errors import Diagnostic
from ..limits import Limits
from ..numbers import TooLarge, cut, exact_decimal
from ..suggest import did_you_mean
from .xmlread import Element, XmlFile, read_xml_file

DISCRETE, INTEGER, REAL = "discrete", "integer", "real"
KINDS = (DISCRETE, INTEGER, REAL)


@dataclass(frozen=True)
class GeniusIssue:
    index: int
    name: str
    kind: str  # DISCRETE, INTEGER or REAL
    element: Element = field(compare=False, repr=False)
    items: tuple[str, ...] = ()  # discrete
    lower: Fraction | None = None  # integer and real: inclusive bounds
    upper: Fraction | None = None


@dataclass(frozen=True)
class GeniusDomain:
    name: str
    issues: tuple[GeniusIssue, ...]
    file: XmlFile = field(compare=False, repr=False)


@dataclass(frozen=True)
class Line:
    """e(k) = clamp(slope · k + intercept, 0, 1) over the issue's values k (integer: v; real: the value)."""

    slope: Fraction
    intercept: Fraction


@dataclass(frozen=True)
class Evaluator:
    """One issue's evaluation in a profile: discrete scores (raw, as written), a clamped line, or a constant."""

    issue: GeniusIssue
    scores: tuple[tuple[str, Fraction], ...] = ()
    line: Line | None = None
    constant: Fraction | None = None


@dataclass(frozen=True)
class Rectangle:
    utility: Fraction
    bounds: tuple[tuple[GeniusIssue, int, int], ...]


@dataclass(frozen=True)
class GeniusProfile:
    path: Path
    weights: tuple[tuple[GeniusIssue, Fraction], ...] = ()
    evaluators: tuple[Evaluator, ...] = ()
    rectangles: tuple[Rectangle, ...] = ()
    max_utility: Fraction | None = None
    reservation: Fraction | None = None
    discount: Fraction | None = None

    @property
    def nonlinear(self) -> bool:
        return self.max_utility is not None


class Problems:
    """The diagnostics of a run, collected so that every file's problems are reported together."""

    def __init__(self) -> None:
        self.found: list[Diagnostic] = []
        self.read: dict[Path, XmlFile | None] = {}  # each file is read once

    def add(self, file: XmlFile, element: Element, message: str, attribute: str | None = None,
            hint: str | None = None) -> None:
        self.found.append(file.at(element, attribute, message, hint))

    def exact(self, file: XmlFile, element: Element, attribute: str, *, required: bool = True) -> Fraction | None:
        """The attribute's number, read exactly from its text (a decimal, as GENIUS writes them)."""
        text = element.attributes.get(attribute)
        if text is None:
            if required:
                self.add(file, element, f"<{element.tag}> has no {attribute}=",
                         hint=f"add {attribute}=\"NUMBER\" to it")
            return None
        try:
            number = exact_number(text)
        except TooLarge as exc:
            self.add(file, element, f"{attribute}=\"{cut(text)}\" is {exc.why} to read exactly", attribute,
                     hint=exc.hint)
            return None
        if number is None:
            self.add(file, element, f"{attribute}=\"{cut(text)}\" is not a number", attribute,
                     hint="write a decimal number, e.g. 0.25")
        return number

    def whole(self, file: XmlFile, element: Element, attribute: str) -> int | None:
        number = self.exact(file, element, attribute)
        if number is not None and number.denominator != 1:
            self.add(file, element, f"{attribute}=\"{cut(element.attributes[attribute])}\" is not a whole number",
                     attribute, hint="write a whole number")
            return None
        return None if number is None else int(number)


def quoted(text: str) -> str:
    """A name or value from a file as a message quotes it: in single quotes, or as a JSON string (escaped) when it
    holds a quote, a character that does not print, or space at an end."""
    plain = text and text.isprintable() and "'" not in text and text == text.strip() and len(text) <= 200
    return f"'{text}'" if plain else json.dumps(text if len(text) <= 200 else text[:200] + "…", ensure_ascii=False)


def exact_number(text: str) -> Fraction | None:
    """A decimal's exact value, None when the text is not one; TooLarge beyond positions/numbers.py's bounds."""
    return exact_decimal(text)


def _one(text: str) -> bool:
    try:
        return exact_number(text) == 1
    except TooLarge:
        return False


def read_domain(path: Path, problems: Problems, limits: Limits) -> GeniusDomain | None:
    file = _read(path, problems, limits)
    if file is None:
        return None
    space = file.root if file.root.tag == "utility_space" else file.root.first("utility_space")
    objective = space.first("objective") if space is not None else None
    if objective is None:
        problems.add(file, file.root, "no <utility_space><objective> in the domain file",
                     hint="a GENIUS domain: <negotiation_template><utility_space><objective> with its <issue>s")
        return None
    issues: list[GeniusIssue] = []
    seen: dict[int, Element] = {}
    for element in objective.descendants("issue", "objective"):
        issue = _domain_issue(file, element, problems)
        if issue is None:
            continue
        if issue.index in seen:
            problems.add(file, element, f"issue index {issue.index} is given twice", "index",
                         hint=f"the first is at line {seen[issue.index].line}; each issue has its own index")
            continue
        seen[issue.index] = element
        issues.append(issue)
    if not issues and not problems.found:
        problems.add(file, objective, "the domain has no issues", hint="list the issues as <issue> elements")
    return GeniusDomain(_title(objective, path), tuple(issues), file)


def _title(objective: Element, path: Path) -> str:
    """The objective's name, or the file's stem when it has none but GENIUS's default: the ANAC domains name their
    objective "root", which says nothing of the negotiation."""
    name = objective.attributes.get("name", "").strip()
    return name if name and name.lower() != "root" else path.stem


def _read(path: Path, problems: Problems, limits: Limits) -> XmlFile | None:
    if path not in problems.read:
        file, found = read_xml_file(path, limits)
        problems.found.extend(found)
        problems.read[path] = file
    return problems.read[path]


DOMAIN, PROFILE = "domain", "profile"


def kind_of(path: Path, problems: Problems, limits: Limits) -> str | None:
    """What a file holds by its elements: DOMAIN (<negotiation_template>), PROFILE (a <utility_space> whose
    objective has weights or a nonlinear <utility>), or None (unread, or neither)."""
    file = _read(path, problems, limits)
    if file is None:
        return None
    if file.root.tag == "negotiation_template":
        return DOMAIN
    objective = file.root.first("objective") if file.root.tag == "utility_space" else None
    if objective is not None and (objective.descendants("weight", "objective") or objective.first("utility")):
        return PROFILE
    return None


def _kind(element: Element) -> str | None:
    for attribute in ("type", "vtype", "etype"):
        if element.attributes.get(attribute) in KINDS:
            return element.attributes[attribute]
    return DISCRETE if element.all("item") else None


def _domain_issue(file: XmlFile, element: Element, problems: Problems) -> GeniusIssue | None:
    index = problems.whole(file, element, "index")
    name = element.attributes.get("name", "").strip()
    kind = _kind(element)
    if not name:
        problems.add(file, element, "the issue has no name=", hint="give it a name=\"...\"")
    if kind is None:
        problems.add(file, element, f"issue {quoted(name)} has no type GENIUS reads", "type",
                     hint="type=\"discrete\" (with <item>s), \"integer\" or \"real\" (with lowerbound/upperbound)")
    if index is None or not name or kind is None:
        return None
    if kind == DISCRETE:
        items = []
        for item in element.all("item"):
            value = item.attributes.get("value")
            if value is None or not value.strip():
                problems.add(file, item, f"an item of issue {quoted(name)} has no value=", "value",
                             hint="give each item a value=\"...\"")
            elif value in items:
                problems.add(file, item, f"value {quoted(value)} is listed twice in issue {quoted(name)}", "value",
                             hint="each value is listed once")
            else:
                items.append(value)
        if not items:
            problems.add(file, element, f"discrete issue {quoted(name)} has no items",
                         hint="list its <item value=...>s")
            return None
        return GeniusIssue(index, name, kind, items=tuple(items), element=element)
    lower, upper = _bounds(file, element, kind, problems)
    if lower is None or upper is None:
        return None
    if lower > upper:
        problems.add(file, element, f"issue {quoted(name)} has lowerbound {lower} above upperbound {upper}",
                     "upperbound")
        return None
    return GeniusIssue(index, name, kind, lower=lower, upper=upper, element=element)


def _bounds(file: XmlFile, element: Element, kind: str, problems: Problems) -> tuple[Fraction | None, ...]:
    """lowerbound/upperbound on the issue, or (real issues, as GENIUS writes them) on its <range>."""
    holder = element
    if "lowerbound" not in element.attributes and element.first("range") is not None:
        holder = element.first("range")  # type: ignore[assignment]
    numbers = (problems.exact(file, holder, "lowerbound"), problems.exact(file, holder, "upperbound"))
    if kind == INTEGER:
        for attribute, number in zip(("lowerbound", "upperbound"), numbers):
            if number is not None and number.denominator != 1:
                problems.add(file, holder, f"{attribute} of an integer issue must be a whole number", attribute)
                return None, None
    return numbers


def read_profile(path: Path, domain: GeniusDomain, problems: Problems, limits: Limits) -> GeniusProfile | None:
    file = _read(path, problems, limits)
    if file is None:
        return None
    space = file.root if file.root.tag == "utility_space" else file.root.first("utility_space")
    objective = space.first("objective") if space is not None else None
    if space is None or objective is None:
        problems.add(file, file.root, "no <utility_space><objective> in the profile",
                     hint="a GENIUS profile: <utility_space><objective> with its <issue>s and <weight>s")
        return None
    by_index = {issue.index: issue for issue in domain.issues}
    reservation = _single_value(file, space, "reservation", problems)
    discount = _single_value(file, space, "discount_factor", problems)
    if reservation is not None and reservation <= 0:
        reservation = None  # GENIUS: no reservation value (every agreement is worth at least it)
    if discount is not None and not 0 < discount < 1:
        discount = None  # GENIUS: a discount factor outside (0, 1) means no discount
    utility = objective.first("utility")
    if utility is not None or space.attributes.get("type") == "nonlinear":
        rectangles, max_utility = _nonlinear(file, objective, utility, by_index, problems)
        if max_utility is None:
            return None
        return GeniusProfile(path, rectangles=rectangles, max_utility=max_utility, reservation=reservation,
                             discount=discount)
    weighed: set[int] = set()  # the issues with a <weight>, read or not (one that could not be read is reported)
    weights = _weights(file, objective, by_index, problems, weighed)
    evaluators = _evaluators(file, objective, by_index, problems)
    evaluated = {e.issue.index for e in evaluators}
    for issue in domain.issues:
        if issue.index not in evaluated and issue.index in weights:
            problems.add(file, objective,
                         f"the profile has no evaluation of issue {issue.index} ({quoted(issue.name)})",
                         hint="add the issue with its evaluations (discrete) or its <evaluator> (integer, real)")
        if issue.index not in weighed:
            problems.add(file, objective, f"the profile has no weight for issue {issue.index} "
                         f"({quoted(issue.name)})",
                         hint=f"add <weight index=\"{issue.index}\" value=\"...\"/>")
    return GeniusProfile(path, weights=tuple((by_index[i], w) for i, w in sorted(weights.items())),
                         evaluators=tuple(sorted(evaluators, key=lambda e: e.issue.index)),
                         reservation=reservation, discount=discount)


def _single_value(file: XmlFile, space: Element, tag: str, problems: Problems) -> Fraction | None:
    element = space.first(tag)
    if element is None:
        objective = space.first("objective")
        element = objective.first(tag) if objective is not None else None
    return problems.exact(file, element, "value") if element is not None else None


def _known_issue(file: XmlFile, element: Element, by_index: dict[int, GeniusIssue],
                 problems: Problems) -> GeniusIssue | None:
    index = problems.whole(file, element, "index")
    if index is None:
        return None
    if index not in by_index:
        known = ", ".join(str(i) for i in sorted(by_index))
        problems.add(file, element, f"no issue has index {index} in the domain", "index",
                     hint=f"the domain's issue indices are {known}")
        return None
    return by_index[index]


def _weights(file: XmlFile, objective: Element, by_index: dict[int, GeniusIssue], problems: Problems,
             weighed: set[int]) -> dict[int, Fraction]:
    weights: dict[int, Fraction] = {}
    for element in objective.descendants("weight", "objective"):
        issue = _known_issue(file, element, by_index, problems)
        if issue is not None:
            weighed.add(issue.index)
        value = problems.exact(file, element, "value")
        if issue is None or value is None:
            continue
        if value < 0:
            problems.add(file, element, f"weight {element.attributes['value']} is negative", "value",
                         hint="weights are numbers ≥ 0")
        elif issue.index in weights:
            problems.add(file, element, f"issue {issue.index} has two weights", "index")
        else:
            weights[issue.index] = value
    return weights


def _evaluators(file: XmlFile, objective: Element, by_index: dict[int, GeniusIssue],
                problems: Problems) -> list[Evaluator]:
    evaluators: list[Evaluator] = []
    for element in objective.descendants("issue", "objective"):
        issue = _known_issue(file, element, by_index, problems)
        if issue is None:
            continue
        reader = {DISCRETE: _discrete, INTEGER: _integer, REAL: _real}[issue.kind]
        evaluator = reader(file, element, issue, problems)
        if evaluator is not None:
            evaluators.append(evaluator)
    return evaluators


def _discrete(file: XmlFile, element: Element, issue: GeniusIssue, problems: Problems) -> Evaluator | None:
    scores: dict[str, Fraction] = {}
    for item in element.all("item"):
        value = item.attributes.get("value")
        if value is None:
            problems.add(file, item, "an item has no value=", hint="give each item its value=\"...\"")
            continue
        if value not in issue.items:
            problems.add(file, item, f"issue {quoted(issue.name)} has no value {quoted(value)} in the domain", "value",
                         hint=did_you_mean(quoted(value), [quoted(v) for v in issue.items], quote="")
                         or f"its values: {', '.join(quoted(v) for v in issue.items)}")
            continue
        score = problems.exact(file, item, "evaluation")
        if score is None:
            continue
        if score < 0:
            problems.add(file, item, f"evaluation {item.attributes['evaluation']} is negative", "evaluation",
                         hint="evaluations are numbers ≥ 0")
            continue
        scores[value] = score
    if not scores:
        problems.add(file, element, f"issue {quoted(issue.name)} has no evaluated item",
                     hint="give its items evaluation=\"NUMBER\"")
        return None
    return Evaluator(issue, scores=tuple((v, scores[v]) for v in issue.items if v in scores))


def _integer(file: XmlFile, element: Element, issue: GeniusIssue, problems: Problems) -> Evaluator | None:
    evaluator = _evaluator_element(file, element, issue, problems)
    if evaluator is None:
        return None
    slope = problems.exact(file, evaluator, "slope")
    offset = problems.exact(file, evaluator, "offset")
    lower = issue.lower
    if "lowerbound" in element.attributes:  # GENIUS's integer evaluator measures from the profile's lowerbound
        lower = problems.exact(file, element, "lowerbound")
    if slope is None or offset is None or lower is None:
        return None
    return Evaluator(issue, line=Line(slope, offset - slope * lower))


def _real(file: XmlFile, element: Element, issue: GeniusIssue, problems: Problems) -> Evaluator | None:
    evaluator = _evaluator_element(file, element, issue, problems, ("linear", "constant"))
    if evaluator is None:
        return None
    constant = problems.exact(file, evaluator, "parameter0")
    if evaluator.attributes.get("ftype") == "constant":
        if constant is not None and not 0 <= constant <= 1:
            problems.add(file, evaluator, f"the constant evaluation {constant} is outside [0, 1]", "parameter0")
            return None
        return Evaluator(issue, constant=constant) if constant is not None else None
    slope = problems.exact(file, evaluator, "parameter1")
    if slope is None or constant is None:
        return None
    return Evaluator(issue, line=Line(slope, constant))


def _evaluator_element(file: XmlFile, element: Element, issue: GeniusIssue, problems: Problems,
                       ftypes: tuple[str, ...] = ("linear",)) -> Element | None:
    evaluator = element.first("evaluator")
    if evaluator is None:
        problems.add(file, element, f"{issue.kind} issue {quoted(issue.name)} has no <evaluator>",
                     hint="add <evaluator ftype=\"linear\" .../> inside the issue")
        return None
    ftype = evaluator.attributes.get("ftype", "linear")
    if ftype not in ftypes:
        problems.add(file, evaluator, f"evaluator ftype=\"{ftype}\" is not read for {issue.kind} issues", "ftype",
                     hint=f"feasible reads ftype {' or '.join(ftypes)}")
        return None
    return evaluator


def _nonlinear(file: XmlFile, objective: Element, utility: Element | None, by_index: dict[int, GeniusIssue],
               problems: Problems) -> tuple[tuple[Rectangle, ...], Fraction | None]:
    """The rectangles and maxutility of an ANAC 2014 profile (None for maxutility when it is unusable)."""
    if utility is None:
        problems.add(file, objective, "a nonlinear profile without <utility maxutility=...>",
                     hint="ANAC 2014 profiles hold <utility maxutility=\"M\"><ufun ...><hyperRectangle>s")
        return (), None
    max_utility = problems.exact(file, utility, "maxutility")
    if max_utility is not None and max_utility <= 0:
        problems.add(file, utility, "maxutility must be above 0", "maxutility")
    ufuns = utility.all("ufun")
    rectangles: list[Rectangle] = []
    for ufun in ufuns:
        if ufun.attributes.get("aggregation", "sum") != "sum" or not _one(ufun.attributes.get("weight", "1")):
            problems.add(file, ufun, "only a <ufun> with weight=\"1\" and aggregation=\"sum\" is read",
                         hint="the ANAC 2014 form: one PlainUfun summing its hyperRectangles")
            continue
        for element in ufun.all("hyperRectangle"):
            rectangle = _rectangle(file, element, by_index, problems)
            if rectangle is not None:
                rectangles.append(rectangle)
    if not ufuns:
        problems.add(file, utility, "no <ufun> in <utility>", hint="hyperRectangles sit in a <ufun>")
    return tuple(rectangles), max_utility if max_utility is not None and max_utility > 0 else None


def _rectangle(file: XmlFile, element: Element, by_index: dict[int, GeniusIssue],
               problems: Problems) -> Rectangle | None:
    utility = problems.exact(file, element, "utility")
    if element.all("EXCLUDES"):
        problems.add(file, element.all("EXCLUDES")[0], "<EXCLUDES> is not read", hint="only <INCLUDES> bounds")
        return None
    if not element.all("INCLUDES"):
        problems.add(file, element, "a hyperRectangle without <INCLUDES>", hint="bound at least one integer issue: "
                     "<INCLUDES index=\"I\" min=\"A\" max=\"B\"/>")
        return None
    bounds: list[tuple[GeniusIssue, int, int]] = []
    for include in element.all("INCLUDES"):
        issue = _known_issue(file, include, by_index, problems)
        low, high = problems.whole(file, include, "min"), problems.whole(file, include, "max")
        if issue is None or low is None or high is None:
            return None
        if any(issue is bounded for bounded, _, _ in bounds):
            problems.add(file, include, f"issue {quoted(issue.name)} is bounded twice in one hyperRectangle", "index",
                         hint="give each issue one <INCLUDES> per hyperRectangle")
            return None
        if issue.kind != INTEGER:
            problems.add(file, include, f"a hyperRectangle bounds issue {quoted(issue.name)}, which is not an "
                         "integer issue", "index", hint="hyperRectangles bound integer issues only")
            return None
        if not issue.lower <= low <= high <= issue.upper:  # type: ignore[operator]
            problems.add(file, include, f"bounds {low}..{high} are outside issue {quoted(issue.name)} "
                         f"({issue.lower}..{issue.upper}) or reversed", "min")
            return None
        bounds.append((issue, low, high))
    if utility is None:
        return None
    return Rectangle(utility, tuple(bounds))
