"""`timeline`: the scenario as of each day its positions change, and the days the answer changes with them.

Each period starts on a day a rule starts or stops holding (positions/dates.py) and lasts until the next; the
first starts on the earliest such day. Each is checked as `check` would check the scenario as of its first day,
with every conflict listed, so that "the conflicts changed" is a statement about all of them. A change point is
a day whose verdict, cheapest relaxation's cost (solver/compare.py `Distance`) or set of conflicts differs from
the period before; it carries the before/after comparison of `compare` and the rules that started or stopped
holding that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from feasible.positions.dates import as_of
from feasible.positions.model import Rule, Scenario

from .check import DEFAULT_TIME_LIMIT, check
from .compare import Comparison, Distance, compare, distance
from .result import CheckResult, Objective, Verdict
from .search import Control


@dataclass(frozen=True)
class RuleShift:
    """A position that started or stopped holding on a day, or (both) was superseded by a new version."""

    name: str
    before: Rule | None  # the version that held the day before (None: it started)
    after: Rule | None  # the version that holds from the day (None: it stopped)


@dataclass(frozen=True)
class Period:
    """The scenario from `start` (inclusive) until `end` (exclusive; None: from then on), and its answer."""

    start: date | None  # None only for a scenario whose positions carry no dates: one period, all time
    end: date | None
    scenario: Scenario  # as of `start`
    result: CheckResult
    rules: tuple[RuleShift, ...] = ()  # the positions that changed on `start`, from the period before

    @property
    def distance(self) -> Distance:
        return distance(self.result)

    @property
    def conflicts(self) -> frozenset[tuple[str, ...]]:
        return frozenset(c.red_lines for c in self.result.conflicts)

    @property
    def decided(self) -> bool:
        """The verdict is known, and without a deal every conflict and the cheapest cost are known too."""
        result = self.result
        if result.interrupted or result.verdict is Verdict.UNKNOWN:
            return False
        return result.verdict is Verdict.DEAL or (result.conflicts_complete and result.relaxations_complete)


@dataclass(frozen=True)
class ChangePoint:
    day: date
    before: Period
    after: Period
    rules: tuple[RuleShift, ...]  # the positions that changed that day, in scenario order
    comparison: Comparison

    @property
    def verdict_changed(self) -> bool:
        return self.before.result.verdict is not self.after.result.verdict

    @property
    def cost_changed(self) -> bool:
        return self.before.distance.cost != self.after.distance.cost

    @property
    def conflicts_changed(self) -> bool:
        return self.before.conflicts != self.after.conflicts


@dataclass(frozen=True)
class Timeline:
    title: str
    as_of: date | None  # the day the scenario says it stands at (scenario.yaml), if it says
    periods: tuple[Period, ...]  # in order of their days
    changes: tuple[ChangePoint, ...]  # the days the verdict, the cheapest cost or the conflicts changed

    @property
    def decided(self) -> bool:
        return all(period.decided for period in self.periods)

    @property
    def interrupted(self) -> bool:
        return any(period.result.interrupted for period in self.periods)


def timeline(scenario: Scenario, objective: Objective | str = Objective.FAIR, *,
             time_limit: float = DEFAULT_TIME_LIMIT, control: Control | None = None) -> Timeline:
    """Check the loaded scenario (every dated version kept) as of each day its positions change; `time_limit` is
    for each of those checks."""
    days = scenario.dates
    starts: list[date | None] = list(days) if days else [None]
    periods: list[Period] = []
    for index, start in enumerate(starts):
        taken = as_of(scenario, start)
        result = check(taken, objective, time_limit=time_limit, conflicts=None, relaxations=1, control=control)
        end = starts[index + 1] if index + 1 < len(starts) else None
        # the day before: the period before, or for the first one what it starts from
        shifts = rule_shifts(as_of(scenario, start - timedelta(days=1)), taken) if start is not None else ()
        periods.append(Period(start, end, taken, result, shifts))
        if result.interrupted:
            break
    changes = tuple(_change(before, after) for before, after in zip(periods, periods[1:])
                    if _answer(before) != _answer(after))
    return Timeline(scenario.title, scenario.as_of, tuple(periods), changes)


def _answer(period: Period) -> tuple:
    """What a change point is about: the verdict, the cheapest cost, the conflicts."""
    return period.result.verdict, period.distance.cost, period.conflicts


def _change(before: Period, after: Period) -> ChangePoint:
    assert after.start is not None  # only a dated scenario has two periods
    return ChangePoint(after.start, before, after, after.rules, compare(before.result, after.result))


def rule_shifts(before: Scenario, after: Scenario) -> tuple[RuleShift, ...]:
    """The positions that differ between two days of one scenario: started, stopped, or superseded."""
    old = {rule.name: rule for rule in before.rules() if not rule.is_acceptance}
    new = {rule.name: rule for rule in after.rules() if not rule.is_acceptance}
    names = list(dict.fromkeys([*old, *new]))
    return tuple(RuleShift(name, old.get(name), new.get(name)) for name in names if old.get(name) != new.get(name))
