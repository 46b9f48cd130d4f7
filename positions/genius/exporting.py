"""A scenario → GENIUS files: the domain and one profile per party, for the scenarios GENIUS can state.

GENIUS describes parties by utility functions alone: a scenario fits when every party has a utility block and
nothing else (no red line but its reservation value, no demand, no accept_at_least), it has no facts, and its
issues are enum, bool or int. Whatever does not fit is named, all at once (a UserError listing each). An int
issue's points must be a clamped straight line (GENIUS's integer evaluator); every number must have an exact
decimal form (GENIUS files hold decimals).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from xml.sax.saxutils import quoteattr

from ..errors import UserError
from ..model import Issue, IssueKind, Party, Rule, Scenario
from ..utility import IssueUtility, Utility, evaluation
from .importing import bends, clamp_points, issue_names, party_id
from .reading import Line
from .yamltext import exact_text

DOMAIN_FILE = "domain.xml"
# XML 1.0 has no way to write these characters, not even as references.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Misfit(Exception):
    """One thing in the scenario that GENIUS cannot state."""


def export_genius(scenario: Scenario) -> dict[str, str]:
    """The GENIUS files (file name → XML text) of `scenario`: DOMAIN_FILE and one profile per party, named so that
    `import_genius` gives the parties back their ids and names. A UserError names everything that does not fit."""
    misfits = _misfits(scenario)
    if misfits:
        raise UserError("the scenario does not fit GENIUS's format:" + "".join(f"\n  - {m}" for m in misfits),
                        hint="GENIUS states parties by utility blocks alone, over enum, bool and int issues")
    issues = list(scenario.issues.values())
    try:
        names = [_genius_name(issue) for issue in issues]
        if len(set(names)) != len(names):
            raise Misfit("two issues share a GENIUS name (a label equal to another issue's name or label)")
        files = {DOMAIN_FILE: _domain(scenario.title, issues, names)}
        for party in scenario.parties:
            assert party.utility is not None
            files[_profile_file(party)] = _profile(scenario.title, issues, names, party.utility)
    except Misfit as exc:
        raise UserError(f"the scenario does not fit GENIUS's format: {exc}",
                        hint="GENIUS files hold decimals and clamped straight lines for integer issues") from None
    return files


def export_notes(scenario: Scenario) -> list[str]:
    """What the GENIUS files of `scenario` do not hold, each said once: what importing them gives back otherwise."""
    notes = []
    if scenario.description:
        notes.append("the description (importing writes its own)")
    issues = list(scenario.issues.values())
    back = issue_names([_genius_name(issue) for issue in issues])
    renamed = [f"{issue.name} → {name}" for issue, name in zip(issues, back) if name != issue.name]
    if renamed:
        notes.append(f"issue names (a GENIUS issue is named by its label; they come back as {', '.join(renamed)})")
    nameless = [party.id for party in scenario.parties
                if party.name != party.id and _profile_file(party) == f"{party.id}.xml"]
    if nameless:
        notes.append(f"party names ({', '.join(nameless)}: a party's name is kept only as its profile's file name, "
                     "when the id comes back from it)")
    bools = [issue.name for issue in issues if issue.kind is IssueKind.BOOL]
    if bools:
        notes.append(f"bool issues ({', '.join(bools)}: each comes back as an enum of 'true' and 'false')")
    return notes


def _misfits(scenario: Scenario) -> list[str]:
    misfits = []
    if scenario.facts:
        misfits.append(f"facts: {_some(scenario.facts)}")
    for issue in scenario.issues.values():
        if issue.kind in (IssueKind.SET, IssueKind.SEQUENCE):
            misfits.append(f"issue '{issue.name}' is a {issue.kind.value} issue")
    for party in scenario.parties:
        if party.utility is None:
            misfits.append(f"party '{party.id}' has no utility block")
        rules = [*party.red_lines, *party.demands, *((party.acceptance,) if party.acceptance else ())]
        if rules:
            misfits.append(f"party '{party.id}' has red lines or demands: {_some(rules)}")
        if _profile_file(party).lower() == DOMAIN_FILE:
            misfits.append(f"party '{party.id}' would be written to {DOMAIN_FILE}, the domain's file (a profile's "
                           "file name gives its party's id back): give the party another id")
    if not scenario.parties:
        misfits.append("it has no party")
    return misfits


def _some(rules: Sequence[Rule]) -> str:
    """The first few rules' names, and how many more."""
    shown = ", ".join(rule.name for rule in rules[:3])
    return shown + (f" and {len(rules) - 3} more" if len(rules) > 3 else "")


def _genius_name(issue: Issue) -> str:
    return issue.label or issue.name


def _profile_file(party: Party) -> str:
    """The profile's file name: the party's name when importing gives the party back its id from it (and the
    name), else its id."""
    name = party.name
    if name != party.id and party_id(name, set()) == party.id and re.fullmatch(r"[^/\\\x00.][^/\\\x00]{0,200}", name) \
            and f"{name}.xml".lower() != DOMAIN_FILE:  # (a file system may not tell "Domain.xml" from it)
        return f"{name}.xml"
    return f"{party.id}.xml"


def _attr(value: str) -> str:
    if _NOT_IN_XML.search(value):
        raise Misfit(f"{value!r} holds a control character, which XML cannot hold")
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _number(value: Fraction, what: str) -> str:
    written = exact_text(value)
    if "/" in written:
        raise Misfit(f"{what} is {written}, which has no exact decimal form")
    return f'"{written}"'


def _domain(title: str, issues: list[Issue], names: list[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<negotiation_template>",
             f'<utility_space number_of_issues="{len(issues)}">',
             f'<objective index="0" name={_attr(title)} type="objective" etype="objective">']
    for index, (issue, name) in enumerate(zip(issues, names), start=1):
        lines.extend(_issue(index, issue, name, evaluations=None))
    lines += ["</objective>", "</utility_space>", "</negotiation_template>"]
    return "\n".join(lines) + "\n"


def _values(issue: Issue) -> list[str]:
    return ["true", "false"] if issue.kind is IssueKind.BOOL else list(issue.values)


def _issue(index: int, issue: Issue, name: str, evaluations: list[str] | None) -> list[str]:
    """An issue element; inside a profile with the items' evaluations (discrete) or the evaluator (integer)."""
    if issue.kind is IssueKind.INT:
        head = (f'  <issue index="{index}" name={_attr(name)} type="integer" etype="integer" vtype="integer" '
                f'lowerbound="{issue.min}" upperbound="{issue.max}"')
        return [head + "/>"] if evaluations is None else [head + ">", *evaluations, "  </issue>"]
    lines = [f'  <issue index="{index}" name={_attr(name)} type="discrete" etype="discrete" vtype="discrete">']
    for item, value in enumerate(_values(issue), start=1):
        score = "" if evaluations is None else f" evaluation={evaluations[item - 1]}"
        lines.append(f'    <item index="{item}" value={_attr(value)}{score}/>')
    return lines + ["  </issue>"]


def _profile(title: str, issues: list[Issue], names: list[str], utility: Utility) -> str:
    nonlinear = "" if utility.additive else ' type="nonlinear"'
    lines = [f'<utility_space number_of_issues="{len(issues)}"{nonlinear}>',
             f'<objective index="0" name={_attr(title)} type="objective" etype="objective">']
    index_of = {issue.name: index for index, issue in enumerate(issues, start=1)}
    if utility.additive:
        parts = {part.issue: part for part in utility.issues}
        for index, (issue, name) in enumerate(zip(issues, names), start=1):
            lines.extend(_issue(index, issue, name, _evaluations(issue, parts.get(issue.name))))
        for index, issue in enumerate(issues, start=1):
            part = parts.get(issue.name)
            weight = part.weight if part is not None else Fraction(0)
            lines.append(f'  <weight index="{index}" value={_number(weight, f"the weight of {issue.name}")}/>')
    else:
        for index, (issue, name) in enumerate(zip(issues, names), start=1):
            lines.extend(_issue(index, issue, name, evaluations=None))
        assert utility.max_utility is not None
        lines += [f'  <utility maxutility={_number(utility.max_utility, "max_utility")}>',
                  '    <ufun type="PlainUfun" weight="1" aggregation="sum">']
        for rectangle in utility.rectangles:
            lines.append(f'      <hyperRectangle utility={_number(rectangle.utility, "a rectangle utility")}>')
            lines.extend(f'        <INCLUDES index="{index_of[issue]}" min="{low}" max="{high}"/>'
                         for issue, low, high in rectangle.bounds)
            lines.append("      </hyperRectangle>")
        lines += ["    </ufun>", "  </utility>"]
    lines.append("</objective>")
    if utility.discount is not None:
        lines.append(f'<discount_factor value={_number(utility.discount, "the discount")}/>')
    if utility.reservation is not None:
        lines.append(f'<reservation value={_number(utility.reservation, "the reservation value")}/>')
    lines.append("</utility_space>")
    return "\n".join(lines) + "\n"


def _evaluations(issue: Issue, part: IssueUtility | None) -> list[str]:
    """Discrete: each item's evaluation attribute (an issue without an entry: all 1, its weight is 0); integer:
    the evaluator element."""
    if issue.kind is IssueKind.INT:
        line = _line(issue, part) if part is not None else Line(Fraction(0), Fraction(0))
        slope, offset = line.slope, line.slope * issue.min + line.intercept  # type: ignore[operator]
        return [f'    <evaluator ftype="linear" slope={_number(slope, f"the slope of {issue.name}")} '
                f'offset={_number(offset, f"the offset of {issue.name}")}/>']
    if part is None:
        return ['"1"'] * len(_values(issue))
    scores = {str(value).lower() if isinstance(value, bool) else value: score for value, score in part.scores}
    return [_number(scores.get(value, Fraction(0)), f"a score of {issue.name}") for value in _values(issue)]


def _line(issue: Issue, part: IssueUtility) -> Line:
    """The clamped straight line that equals the points' piecewise-linear evaluation at every whole value of the
    issue, tried from each segment between its bends (an unclamped one first); Misfit when none does."""
    low, high = issue.min, issue.max
    assert low is not None and high is not None
    xs = sorted({low, high, *(x for x, _ in part.points)})
    wanted = bends([(x, evaluation(part, issue, x)) for x in xs])
    if len(wanted) == 1 or all(y == wanted[0][1] for _, y in wanted):
        return Line(Fraction(0), wanted[0][1])
    segments = sorted(zip(wanted, wanted[1:]), key=lambda s: not (0 < s[0][1] < 1 and 0 < s[1][1] < 1))
    for (x1, y1), (x2, y2) in segments:
        slope = (y2 - y1) / (x2 - x1)
        line = Line(slope, y1 - slope * x1)
        if slope and clamp_points(line, low, high) == wanted:  # the same bends: the same value at every whole x
            return line
    raise Misfit(f"the points of int issue '{issue.name}' are not a clamped straight line (GENIUS's integer "
                 "evaluator)")
