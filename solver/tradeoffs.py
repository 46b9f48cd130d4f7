"""The price of an issue (`feasible tradeoffs`), and the frontier as `feasible frontier` answers it: without a deal,
the conflict and the frontier once the cheapest relaxation's red lines are given up.

- **Per value of the issue**, the scenario with the issue settled at that value (a fact, as `--set` makes one) is
  handed to the frontier engine (solver/frontier.py): each party's best utility over the acceptable deals with that
  value is the restricted frontier's ideal point, and the point the value leads to is the restricted frontier's
  Nash bargaining point (its egalitarian point when no point gives every party more than its disagreement value).
  The **reference** is the same point of the unrestricted frontier: "moving the issue from its value there to
  another" is the difference between the two points.
- An int issue with more than MAX_OPTIONS values is looked at in at most MAX_OPTIONS of them: its bounds, the
  values where a rule or a utility on it can change (a number a rule compares it with, and its neighbours; a
  corner of a party's piecewise-linear utility), then an even grid; `Tradeoffs.sampled` says so.
- **Time**: `time_limit` is each value's own (and the unrestricted frontier's, and the check's without a deal), not
  a total shared by them: a value's answer then does not depend on how long the others took, and a run in which no
  frontier is cut is the same whatever the machine. A cut value keeps its status (`IssueOption.exact`).
- **No acceptable deal**: `check` gives the conflicts and the cheapest relaxation (its first, in its canonical
  order); the answer is then given in the scenario without that relaxation's red lines, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from feasible.positions import Scenario, UserError
from feasible.positions.edits import Edits, PutRule, apply_edits, apply_operation
from feasible.positions.kinds import IntType, issue_type
from feasible.positions.model import FACTS, Rule, RuleKind
from feasible.positions.rules.printer import to_text
from feasible.positions.rules.syntax import IntLit, names as issues_named, walk
from feasible.positions.suggest import did_you_mean

from .check import DEFAULT_TIME_LIMIT, check
from .display import Shown
from .explain.relaxations import Relaxation
from .frontier import Frontier, FrontierPoint, FrontierStatus, Solution, frontier
from .result import CheckResult, Verdict
from .search import Control, Searcher
from .utility import PartyUtility, party_utilities

MAX_OPTIONS = 50  # values of an issue looked at, at most (an int issue beyond: its bends, bounds and a grid)
CHECK_SHARE = 0.5  # of the time left, at most, for the check that finds the conflict and relaxation without a deal
# The bargaining point a value leads to: Nash's, else (no point better than disagreement for everyone) egalitarian.
LEADS_TO = (Solution.NASH, Solution.EGALITARIAN)


@dataclass(frozen=True)
class NoDeal:
    """No deal every party accepts: check's conflicts, and the relaxation the answer is given under instead."""

    check: CheckResult
    relaxation: Relaxation | None  # the cheapest, check's first; None: none found (the facts alone, or the time)
    relaxed: Scenario | None = None  # the scenario without the relaxation's red lines


@dataclass(frozen=True)
class FrontierAnswer:
    """`feasible frontier`: the frontier asked for, and without a deal the one under the cheapest relaxation."""

    asked: Frontier  # status NO_DEAL without an acceptable deal
    no_deal: NoDeal | None = None
    relaxed: Frontier | None = None  # the frontier once the relaxation's red lines are given up

    @property
    def shown(self) -> Frontier | None:
        """The frontier the answer shows: the one asked for, or the relaxed one without a deal."""
        return self.asked if self.no_deal is None else self.relaxed

    @property
    def interrupted(self) -> bool:
        shown = self.shown
        return self.asked.status is FrontierStatus.INTERRUPTED \
            or bool(self.no_deal and self.no_deal.check.interrupted) \
            or (shown is not None and shown.status is FrontierStatus.INTERRUPTED)


@dataclass(frozen=True)
class IssueOption:
    value: Any
    # per party: its best utility (a Fraction) over the acceptable deals with ISSUE = value (None: no such deal)
    best: tuple[Any, ...]
    point: FrontierPoint | None  # the bargaining point (Nash, else egalitarian) of the frontier with ISSUE = value
    solution: Solution | None = None  # which of the two `point` is
    status: FrontierStatus = FrontierStatus.COMPLETE  # the restricted frontier's: anything but COMPLETE/NO_DEAL is cut

    @property
    def exact(self) -> bool:
        return self.status in (FrontierStatus.COMPLETE, FrontierStatus.NO_DEAL)


@dataclass(frozen=True)
class Tradeoffs(Shown):
    issue: str
    parties: tuple[PartyUtility, ...]
    options: tuple[IssueOption, ...]  # the issue's value order (int: at most MAX_OPTIONS values, `sampled`)
    reference: FrontierPoint | None  # the unrestricted bargaining point
    reference_solution: Solution | None = None
    reference_status: FrontierStatus = FrontierStatus.COMPLETE
    sampled: bool = False  # an int issue with more than MAX_OPTIONS values: only `options` were looked at
    values: int = 0  # how many values the issue has
    no_deal: NoDeal | None = None  # no acceptable deal: the options are those under `no_deal.relaxation`
    interrupted: bool = False
    # the scenario it is for: shown in the parties' words in a notebook (solver/display.py); never compared
    scenario: Scenario | None = field(default=None, compare=False, repr=False)

    @property
    def exact(self) -> bool:
        return self.reference_status in (FrontierStatus.COMPLETE, FrontierStatus.NO_DEAL) \
            and all(option.exact for option in self.options)


def frontier_answer(scenario: Scenario, parties: Sequence[str] | None = None, limit: int | None = None,
                    time_limit: float = DEFAULT_TIME_LIMIT, control: Control | None = None) -> FrontierAnswer:
    """The frontier of the parties' utilities (solver/frontier.py); without an acceptable deal, check's conflicts
    and the frontier in the scenario without the cheapest relaxation's red lines."""
    searcher = Searcher(time_limit, control, label=f"'{scenario.title}'")
    party_utilities(scenario, parties)  # an unknown party, or one without a utility, is refused before any solve
    asked = frontier(scenario, parties, limit=limit, time_limit=_left(searcher), control=searcher.control)
    if asked.status is not FrontierStatus.NO_DEAL:
        return FrontierAnswer(asked)
    no_deal = without_deal(scenario, searcher)
    if no_deal.relaxed is None:
        return FrontierAnswer(asked, no_deal)
    relaxed = frontier(no_deal.relaxed, parties, limit=limit, time_limit=_left(searcher), control=searcher.control)
    return FrontierAnswer(asked, no_deal, relaxed)


def without_deal(scenario: Scenario, searcher: Searcher) -> NoDeal:
    """check's conflicts and its cheapest relaxation (the first in its canonical order), and the scenario without
    that relaxation's red lines."""
    result = check(scenario, time_limit=max(CHECK_SHARE * searcher.remaining(), 0.01), room=False,
                   control=searcher.control)
    if result.verdict is not Verdict.NO_DEAL or not result.relaxations:
        return NoDeal(result, None)
    relaxation = result.relaxations[0]
    return NoDeal(result, relaxation, apply_edits(scenario, Edits(drop=relaxation.drop))[0])


def tradeoffs(scenario: Scenario, issue: str, parties: Sequence[str] | None = None,
              time_limit: float = DEFAULT_TIME_LIMIT, control: Control | None = None) -> Tradeoffs:
    """For each value of `issue` (at most MAX_OPTIONS: see the module's docstring), each party's best utility over
    the acceptable deals with that value and the bargaining point of the frontier restricted to it, beside the
    unrestricted bargaining point; without an acceptable deal, all of it under the cheapest relaxation.
    `time_limit` is per value (see the module's docstring)."""
    known_issue(scenario, issue)
    values, sampled = option_values(scenario, issue)
    searcher = Searcher(time_limit, control, label=f"'{scenario.title}'")
    party_utilities(scenario, parties)

    def each() -> float:  # a value's own time; once interrupted, none (the frontier engine stops at once)
        return 0.01 if searcher.control.interrupted else time_limit

    whole = frontier(scenario, parties, time_limit=each(), control=searcher.control)
    no_deal = None
    if whole.status is FrontierStatus.NO_DEAL:
        no_deal = without_deal(scenario, Searcher(time_limit / CHECK_SHARE, searcher.control))
        if no_deal.relaxed is None:
            return Tradeoffs(issue, whole.parties, (), None, values=issue_type(scenario.issues[issue]).size(
                scenario.issues[issue]), sampled=sampled, no_deal=no_deal,
                interrupted=searcher.control.interrupted, scenario=scenario)
        scenario = no_deal.relaxed
        whole = frontier(scenario, parties, time_limit=each(), control=searcher.control)
    reference, solution = leads_to(whole)
    options = []
    for value in values:
        restricted = frontier(settled(scenario, issue, value), parties, time_limit=each(), control=searcher.control)
        point, chosen = leads_to(restricted)
        best = restricted.ideal if restricted.ideal is not None and restricted.status is not FrontierStatus.NO_DEAL \
            else (None,) * len(whole.parties)
        options.append(IssueOption(value, tuple(best), point, chosen, restricted.status))
    the_issue = scenario.issues[issue]
    return Tradeoffs(issue, whole.parties, tuple(options), reference, solution, whole.status, sampled,
                     issue_type(the_issue).size(the_issue), no_deal, searcher.control.interrupted, scenario)


def leads_to(found: Frontier) -> tuple[FrontierPoint | None, Solution | None]:
    """The bargaining point a frontier leads to: its Nash point, else its egalitarian point."""
    points = {b.solution: b.point for b in found.bargaining}
    for solution in LEADS_TO:
        if points.get(solution) is not None:
            return points[solution], solution
    return None, None


def known_issue(scenario: Scenario, issue: str) -> None:
    if issue not in scenario.issues:
        raise UserError(f"there is no issue '{issue}' in '{scenario.title}'",
                        hint=did_you_mean(issue, scenario.issues) or
                        "the issues are: " + ", ".join(scenario.issues))


TRADEOFF_FACT = "tradeoffs-settled"  # the fact that settles the issue (an id no `--set` fact can have)


def settled(scenario: Scenario, issue: str, value: Any) -> Scenario:
    """The scenario with `issue` settled at `value` by a fact of its own."""
    condition = issue_type(scenario.issues[issue]).condition(issue, value)
    fact = Rule(FACTS, TRADEOFF_FACT, RuleKind.FACT, f"{issue} is settled.", to_text(condition), condition)
    return apply_operation(scenario, PutRule(fact))


def option_values(scenario: Scenario, issue: str) -> tuple[tuple[Any, ...], bool]:
    """The values of the issue looked at, in its value order, and whether they are a sample of an int issue's."""
    the_issue = scenario.issues[issue]
    kind = issue_type(the_issue)
    if kind.size(the_issue) <= MAX_OPTIONS:
        return tuple(kind.every_value(the_issue)), False
    if not isinstance(kind, IntType):  # only a range of whole numbers has bends and a grid to sample
        raise UserError(f"issue '{issue}' has {kind.size(the_issue)} values: too many to price one by one "
                        f"(at most {MAX_OPTIONS})",
                        hint="choose an issue with fewer values, or settle this one with --set and compare")
    low, high = IntType.bounds(the_issue)
    marks = sorted({low, high} | {x for x in bends(scenario, issue) if low <= x <= high})
    if len(marks) > MAX_OPTIONS:
        step = (len(marks) - 1) / (MAX_OPTIONS - 1)
        marks = sorted({marks[round(n * step)] for n in range(MAX_OPTIONS)})
    grid = _grid(low, high, MAX_OPTIONS - len(marks), set(marks))
    return tuple(sorted({*marks, *grid})), True


def bends(scenario: Scenario, issue: str) -> set[int]:
    """Where a rule or a utility on an int issue can change: each number a rule mentioning it holds (with its
    neighbours, as `<` and `<=` change on either side of it), each corner of a party's piecewise-linear utility."""
    found: set[int] = set()
    rules = [*scenario.facts, *(r for p in scenario.parties for r in (*p.binding, *p.demands))]
    for rule in rules:
        if issue in issues_named(rule.expr):
            found |= {n.value + d for n in walk(rule.expr) if isinstance(n, IntLit) for d in (-1, 0, 1)}
    for party in scenario.parties:
        block = party.utility
        if block is not None:
            found |= {x for entry in block.issues if entry.issue == issue for x, _ in entry.points}
            found |= {x + d for r in block.rectangles for name, lo, hi in r.bounds if name == issue
                      for x, d in ((lo, -1), (lo, 0), (hi, 0), (hi, 1))}
    return found


def _grid(low: int, high: int, count: int, taken: set[int]) -> list[int]:
    """`count` values evenly spread over low..high, none of them in `taken`."""
    if count <= 0:
        return []
    free = high - low + 1 - len(taken)
    count = min(count, free)
    grid: list[int] = []
    parts = count + 1
    while len(grid) < count:
        grid = sorted({low + round(n * (high - low) / parts) for n in range(1, parts)} - taken)[:count]
        parts += 1
    return grid


def _left(searcher: Searcher) -> float:
    return max(searcher.remaining(), 0.01)
