"""A scenario kept warm for what-ifs asked one after another (`feasible serve`): the answer to each what-if in
stages, the first one fast, the last one exactly `check`'s.

A what-if (`Ask`) is what `feasible check` takes on its command line: edits (--drop, --set, --demote, --weight),
readings (--reading) and the objective. `Live.answer` reports its stages through `emit`, in this order:
- `FirstStage`: the verdict with a deal every party accepts, or with one minimal conflict;
- `PartialStage` (none or more): check's answer so far (the best deal before its room, the conflicts before the
  relaxations);
- `CompleteStage`: what `feasible check` with the same options answers, with the files' own answer as the
  baseline when there are edits (as check prints "compared with the files").
A run interrupted through its `Control` emits nothing more after the interruption.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from feasible.positions.edits import AppliedEdit, Edits, apply_edits
from feasible.positions.model import Scenario
from feasible.positions.readings import under_readings

from .check import DEFAULT_TIME_LIMIT, check
from .explain.conflicts import Conflict
from .result import CheckResult, Deal, Objective, Verdict
from .search import Control


@dataclass(frozen=True)
class Ask:
    """One what-if: as `feasible check --reading R --drop X --set I=V --demote Y --weight D=W --objective O`."""

    edits: Edits = field(default_factory=Edits)
    readings: tuple[str, ...] = ()
    objective: Objective = Objective.FAIR


@dataclass(frozen=True)
class FirstStage:
    """The verdict, first: with a deal every party accepts (verified; not yet the best one) or with one minimal
    conflict (verified; check's full answer lists them all, in its own order)."""

    verdict: Verdict
    deal: Deal | None = None
    conflict: Conflict | None = None
    facts_conflict: bool = False  # no deal because the facts (and the values pinned) alone cannot hold
    scenario: Scenario | None = None  # the scenario as the what-if leaves it


@dataclass(frozen=True)
class PartialStage:
    """check's answer so far (its `verdict` is final; what is missing is still being looked for)."""

    result: CheckResult
    scenario: Scenario


@dataclass(frozen=True)
class CompleteStage:
    """check's whole answer, and the files' own answer when the what-if changes anything."""

    scenario: Scenario
    result: CheckResult
    baseline: Scenario | None = None
    before: CheckResult | None = None
    applied: tuple[AppliedEdit, ...] = ()


Stage = FirstStage | PartialStage | CompleteStage


class Live:
    """One scenario (as loaded, taken as of its own day), answering what-ifs."""

    def __init__(self, scenario: Scenario, *, time_limit: float = DEFAULT_TIME_LIMIT) -> None:
        self.scenario = scenario
        self.time_limit = time_limit

    def edited(self, ask: Ask) -> tuple[Scenario, Scenario, tuple[AppliedEdit, ...]]:
        """The scenario under the readings (the baseline), the what-if's scenario, and the edits as applied.
        Raises UserError (or InvalidScenario) for an edit or reading that does not apply."""
        baseline = under_readings(self.scenario, list(ask.readings)) if ask.readings else self.scenario
        if not ask.edits:
            return baseline, baseline, ()
        scenario, applied = apply_edits(baseline, ask.edits)
        return baseline, scenario, tuple(applied)

    def answer(self, ask: Ask, control: Control, emit: Callable[[Stage], None]) -> None:
        baseline, scenario, applied = self.edited(ask)
        result = check(scenario, ask.objective, time_limit=self.time_limit, control=control)
        if control.interrupted:
            return
        emit(FirstStage(result.verdict, result.deal, result.conflicts[0] if result.conflicts else None,
                        scenario=scenario))
        before = None
        if ask.edits:
            before = check(baseline, ask.objective, time_limit=self.time_limit, control=control)
            if control.interrupted:
                return
        emit(CompleteStage(scenario, result, baseline if ask.edits else None, before, applied))
