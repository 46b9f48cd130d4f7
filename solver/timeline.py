"""`timeline`: the scenario as of each day its positions change, and the days the answer changes with them.

Each period starts on a day a rule starts or stops holding (positions/dates.py) and lasts until the next; a first
period runs until the earliest such day (the positions as they stood the day before it), so that a change on that
day is seen too. Each is checked as `check` would check the scenario as of one of its days, with every conflict
listed, so that "the conflicts changed" is a statement about all of them. A change point is a day whose verdict,
cheapest relaxation's cost (solver/compare.py `Distance`) or set of conflicts differs from the period before,
both periods decided; it carries the before/after comparison of `compare` and the rules that started or stopped
holding that day. Where either period was left undecided, whether the answer changes that day is undecided too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from feasible.positions import UserError
from feasible.positions.dates import as_of
from feasible.positions.model import Rule, Scenario

from .check import DEFAULT_TIME_LIMIT, check
from .compare import Comparison, Distance, compare, distance
from .result import CheckResult, Objective, Verdict
from .search import Control

#: The most periods one run checks: each is a full check with every conflict listed, and the periods are read by
#: people. Past it the command refuses before any check and says how to narrow the question.
MAX_PERIODS = 100


@dataclass(frozen=True)
class RuleShift:
    """A position that started or stopped holding on a day, or (both) was superseded by a new version."""

    name: str
    before: Rule | None  # the version that held the day before (None: it started)
    after: Rule | None  # the version that holds from the day (None: it stopped)


@dataclass(frozen=True)
class Period:
    """The scenario from `start` (inclusive) until `end` (exclusive; None: from then on), and its answer."""

    start: date | None  # None: the period before the first date (or, with no date at all, the only period)
    end: date | None
    scenario: Scenario  # as of `start` (the period before the first date: as of the day before it)
    result: CheckResult
    rules: tuple[RuleShift, ...] = ()  # the positions that changed on `start`, from the period before

    @property
    def distance(self) -> Distance:
        return distance(self.result)

    @property
    def conflicts(self) -> frozenset[tuple[str, ...]]:
        return frozenset(c.red_lines for c in self.result.conflicts)

    @property
    def conflicts_complete(self) -> bool:
        """Every conflict is listed (with a deal there is none)."""
        return self.result.verdict is Verdict.DEAL or self.result.conflicts_complete

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
    undecided: tuple[date, ...] = ()  # the days whether the answer changes is undecided (a period next to it
    # was left undecided, or not checked after an interruption)
    days: int = 0  # the days compared with the day before: every day positions change but `date.min`
    caveats: tuple[str, ...] = ()  # the scenario's: what a reader of the answers must keep in mind

    @property
    def decided(self) -> bool:
        return all(period.decided for period in self.periods)

    @property
    def interrupted(self) -> bool:
        return any(period.result.interrupted for period in self.periods)

    @property
    def timed_out(self) -> bool:
        """A period the time limit (not an interruption) left undecided."""
        return any(not period.decided and not period.result.interrupted for period in self.periods)

    def period_on(self, day: date) -> Period | None:
        """The period shown that holds `day` (None: the run stopped before reaching it)."""
        return next((p for p in self.periods if (p.start is None or p.start <= day) and (p.end is None or day < p.end)),
                    None)


def timeline(scenario: Scenario, objective: Objective | str = Objective.FAIR, *,
             time_limit: float = DEFAULT_TIME_LIMIT, control: Control | None = None) -> Timeline:
    """Check the loaded scenario (every dated version kept) before its first date and as of each day its
    positions change; `time_limit` is for each of those checks. Refuses (UserError) past MAX_PERIODS periods,
    before any check."""
    spans = period_spans(scenario.dates)
    if len(spans) > MAX_PERIODS:
        raise UserError(too_many_periods(len(scenario.dates), len(spans)), hint=TOO_MANY_PERIODS_HINT)
    periods: list[Period] = []
    for start, end in spans:
        taken = as_of(scenario, _checked_day(start, end))
        result = check(taken, objective, time_limit=time_limit, conflicts=None, relaxations=1, control=control)
        # the positions that changed on its first day: against the period before (the first one has no day before)
        shifts = rule_shifts(periods[-1].scenario, taken) if periods else ()
        periods.append(Period(start, end, taken, result, shifts))
        if result.interrupted:
            break
    changes: list[ChangePoint] = []
    undecided: list[date] = []
    for index, (day, _) in enumerate(spans[1:], start=1):
        assert day is not None  # only the first period starts before any day
        if index >= len(periods) or not (periods[index - 1].decided and periods[index].decided):
            undecided.append(day)  # an undecided period's answer is not compared: a change there is not known
        elif _answer(periods[index - 1]) != _answer(periods[index]):
            changes.append(_change(periods[index - 1], periods[index]))
    return Timeline(scenario.title, scenario.as_of, tuple(periods), tuple(changes), tuple(undecided), len(spans) - 1,
                    scenario.caveats)


def period_spans(days: tuple[date, ...]) -> list[tuple[date | None, date | None]]:
    """(start, end) of each period: until the first day, then from each day until the next (the last runs on).
    No period before `date.min`, which has no day before it; none at all without days but the one of all time."""
    starts: list[date | None] = list(days)
    if not days or days[0] != date.min:
        starts.insert(0, None)
    ends: list[date | None] = [*starts[1:], None]
    return list(zip(starts, ends))


def _checked_day(start: date | None, end: date | None) -> date | None:
    """The day a period is checked on: its first, or for the period before the first date the day before that
    (None for an undated scenario: as it stands)."""
    if start is not None:
        return start
    return end - timedelta(days=1) if end is not None else None


def too_many_periods(days: int, periods: int) -> str:
    return (f"the scenario's positions change on {days} days, which makes {periods} periods; feasible timeline "
            f"checks at most {MAX_PERIODS} at once")


TOO_MANY_PERIODS_HINT = ("check single days with `feasible check --as-of DATE`, or run the timeline on a copy of "
                         "the scenario that keeps fewer dates")


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
