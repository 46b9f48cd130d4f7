"""`feasible readings`: the scenario checked under every combination of its questions' readings, and what holds
whichever reading one takes.

Each combination (one reading per question) is checked as `check` checks a scenario (all conflicts, the cheapest
relaxation), in parallel on the machine's cores (solver/runner.py). Then the robust findings: each conflict (its red
lines, by name) and in how many combinations it holds, the conflicts grouped into families by shared red lines, each
party's share of the combinations in which it is part of a conflict, the share without a deal, and a deal that holds
in every reading: one deal meeting the facts and red lines of every combination at once (every distinct rule of
them all), the best of them by the default combination's objective, verified by the plain evaluator against each
combination's scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from feasible.positions import UserError
from feasible.positions.model import FACTS, Rule, RuleKind, RuleRef, Scenario
from feasible.positions.readings import combination_count

from .check import DEFAULT_TIME_LIMIT, check
from .compare import distance
from .explain.conflicts import Conflict
from .groups import family_numbers
from .result import CheckResult, Deal, Objective, Verdict
from .runner import WorkerDied, in_process, run_tasks
from .search import Control
from .verify import verify_deal

#: The most combinations one run checks: each is a full check, and the matrix is read by people. Past it the
#: command says how many there are and how to narrow them (--question NAME).
MAX_COMBINATIONS = 64

Combination = tuple[str, ...]  # one reading name per question, in the questions' order
Under = Callable[[Scenario, Sequence[str]], Scenario]  # the scenario under some readings (positions.readings)


@dataclass(frozen=True)
class Cell:
    """One combination of readings, checked."""

    combination: Combination
    verdict: Verdict
    cost: int | None  # the cheapest relaxation's cost; 0 with a deal; None when not known
    conflicts: tuple[Conflict, ...]  # in the check's order
    conflicts_complete: bool  # with a deal: True (there is none)
    deal: Deal | None  # the best deal, when there is one
    interrupted: bool = False  # the check was stopped before it ended: what it says is what was found

    @property
    def decided(self) -> bool:
        return self.verdict is not Verdict.UNKNOWN and not self.interrupted


@dataclass(frozen=True)
class HeldConflict:
    """A conflict (its red lines) and the combinations whose check listed it."""

    red_lines: tuple[str, ...]
    parties: tuple[str, ...]  # the parties owning its red lines, in order of first appearance
    cells: tuple[int, ...]  # indexes into Matrix.combinations
    family: int  # its family's number (from 1)


@dataclass(frozen=True)
class Family:
    """Conflicts joined by shared red lines, across the combinations."""

    number: int
    conflicts: tuple[int, ...]  # indexes into Matrix.conflicts
    red_lines: tuple[str, ...]
    parties: tuple[str, ...]
    cells: tuple[int, ...]  # the combinations in which one of its conflicts holds


@dataclass(frozen=True)
class PartyShare:
    """A party and the combinations in which one of its red lines is part of a conflict listed."""

    party: str
    name: str
    cells: tuple[int, ...]


class Everywhere:
    """Whether one deal holds in every reading."""

    FOUND = "found"  #: a deal meeting the facts and red lines of every combination (verified against each)
    NONE = "none"  #: proved: no single deal does
    UNDECIDED = "undecided"  #: the time limit came first
    NOT_CHECKED = "not-checked"  #: the run was interrupted before every combination was checked


@dataclass(frozen=True)
class EveryReading:
    status: str  # an Everywhere value
    deal: Deal | None = None  # FOUND: the best such deal by the default combination's objective
    without_deal: tuple[int, ...] = ()  # NONE: combinations with no deal of their own (empty: they each have one)
    optimal: bool = False  # FOUND: proved best among such deals


@dataclass(frozen=True)
class Matrix:
    title: str
    questions: tuple[str, ...]  # the questions varied, in declaration order
    combinations: tuple[Combination, ...]  # the all-defaults combination first
    cells: tuple[Cell | None, ...]  # one per combination; None: not checked (interrupted)
    objective: Objective
    conflicts: tuple[HeldConflict, ...]  # held in the most combinations first, then in order of first listing
    families: tuple[Family, ...]
    parties: tuple[PartyShare, ...]  # every party of any combination, in order of first appearance
    every_reading: EveryReading
    interrupted: bool = False

    @property
    def checked(self) -> tuple[Cell, ...]:
        return tuple(cell for cell in self.cells if cell is not None)

    @property
    def no_deal(self) -> int:
        return sum(1 for cell in self.checked if cell.verdict is Verdict.NO_DEAL)

    @property
    def undecided(self) -> int:
        """Combinations whose verdict is unknown (one stopped after its verdict was proved is counted by it)."""
        return sum(1 for cell in self.checked if cell.verdict is Verdict.UNKNOWN)

    @property
    def conflicts_complete(self) -> bool:
        """Every combination was checked and listed all its conflicts: the counts are exact, not lower bounds."""
        return len(self.checked) == len(self.cells) and all(c.conflicts_complete for c in self.checked)


# -- checking each combination ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Job:
    """What every worker needs, sent to it once: the scenario as loaded and how to read it."""

    scenario: Scenario
    under: Under
    objective: Objective
    time_limit: float


def check_cell(job: _Job, combination: Combination, control: Control | None = None) -> Cell:
    """The check of one combination, as `check` answers it (room aside: the matrix does not show it)."""
    scenario = job.under(job.scenario, combination)
    result = check(scenario, job.objective, time_limit=job.time_limit, room=False, conflicts=None, relaxations=1,
                   control=control)
    return cell_of(combination, result)


def cell_of(combination: Combination, result: CheckResult) -> Cell:
    complete = result.verdict is Verdict.DEAL or result.conflicts_complete
    return Cell(combination, result.verdict, distance(result).cost, result.conflicts, complete, result.deal,
                result.interrupted)


def readings_matrix(scenario: Scenario, questions: Sequence[str] = (), *, objective: Objective | str = Objective.FAIR,
                    time_limit: float = DEFAULT_TIME_LIMIT, workers: int | None = None, cluster: str | None = None,
                    control: Control | None = None) -> Matrix:
    """Check every combination of the readings of the questions named (all when none; the others keep their
    default reading), each within `time_limit` seconds, on `workers` processes (default: the machine's cores; 1:
    in this process), or on the Dask cluster whose scheduler is at `cluster`. Refuses (UserError) past
    MAX_COMBINATIONS combinations. `control`: Ctrl-C from the command line (the partial matrix is marked
    interrupted)."""
    from feasible.positions.readings import combinations, under_readings

    known = {q.name for q in scenario.questions}
    if all(name in known for name in questions):  # (an unknown name: combinations() says which, with help)
        count = combination_count(scenario, questions)
        if count > MAX_COMBINATIONS:
            raise UserError(too_many(count, [q.name for q in scenario.questions if not questions or
                                             q.name in questions]),
                            hint=narrowing_hint([q.name for q in scenario.questions]))
    chosen = tuple(dict.fromkeys(questions)) or tuple(q.name for q in scenario.questions)
    varied = tuple(q.name for q in scenario.questions if q.name in chosen)
    return matrix(scenario, combinations(scenario, questions), under_readings, questions=varied,
                  objective=objective, time_limit=time_limit, workers=workers, cluster=cluster, control=control)


def too_many(count: int, questions: Sequence[str]) -> str:
    return (f"the {len(questions)} questions make {count} combinations of readings; feasible readings checks at "
            f"most {MAX_COMBINATIONS} at once")


def narrowing_hint(questions: Sequence[str]) -> str:
    example = " ".join(f"--question {name}" for name in questions[:2])
    return f"name the questions to vary, e.g. {example}; the others keep their default reading"


def matrix(scenario: Scenario, combinations: Sequence[Combination], under: Under, *,
           questions: Sequence[str] = (), objective: Objective | str = Objective.FAIR,
           time_limit: float = DEFAULT_TIME_LIMIT, workers: int | None = None, cluster: str | None = None,
           control: Control | None = None) -> Matrix:
    """The matrix of these combinations, each read by `under` (picklable, as a module-level function, when
    workers > 1 or on a cluster), the first being the default one."""
    objective = Objective(objective)
    if len(combinations) > MAX_COMBINATIONS:
        raise UserError(too_many(len(combinations), questions), hint=narrowing_hint(questions))
    scenarios = [under(scenario, combination) for combination in combinations]  # bad readings: refused here, at once
    job = _Job(scenario, under, objective, time_limit)
    stop = (lambda: control.interrupted) if control is not None else (lambda: False)
    # in this process, the check itself is stopped by Ctrl-C; a worker's is stopped by terminating the worker
    here = cluster is None and in_process(workers, len(combinations))
    work = partial(check_cell, control=control) if here else check_cell
    try:
        ran = run_tasks(work, job, list(combinations), workers=workers, stop=stop,
                        preload=("feasible.solver.readings",), cluster=cluster)
    except WorkerDied as died:
        from feasible.positions import InternalError

        if died.index is None:  # the environment's doing (e.g. a script read from stdin cannot be started again)
            raise UserError(str(died), hint="check in this process instead: workers=1 (--workers 1)") from None
        raise InternalError(f"the check of the readings {', '.join(combinations[died.index]) or '(defaults)'} "
                            f"ended its worker process{died.exit_words}") from None
    cells = ran.results
    interrupted = ran.interrupted or any(cell is not None and cell.interrupted for cell in cells)
    conflicts, families = held_conflicts(cells)
    everywhere = every_reading(scenarios, cells, objective, time_limit, control) if not interrupted else \
        EveryReading(Everywhere.NOT_CHECKED)
    interrupted = interrupted or (control is not None and control.interrupted)
    return Matrix(scenario.title, tuple(questions), tuple(combinations), cells, objective, conflicts, families,
                  party_shares(cells, scenarios), everywhere, interrupted)


# -- the robust findings ------------------------------------------------------------------------------------------

def held_conflicts(cells: Sequence[Cell | None]) -> tuple[tuple[HeldConflict, ...], tuple[Family, ...]]:
    """Every conflict listed in any combination (by its red lines' names), with the combinations listing it, and
    their families (conflicts sharing a red line, directly or through others, are one family)."""
    where: dict[tuple[str, ...], list[int]] = {}
    for index, cell in enumerate(cells):
        for conflict in cell.conflicts if cell is not None else ():
            where.setdefault(conflict.red_lines, []).append(index)
    first_listed = list(where)
    ordered = sorted(first_listed, key=lambda c: (-len(where[c]), first_listed.index(c)))
    number_of = family_numbers(ordered)
    held = tuple(HeldConflict(c, owners(c), tuple(where[c]), number_of[c]) for c in ordered)
    families = []
    for n in sorted(set(number_of.values())):
        members = [i for i, h in enumerate(held) if h.family == n]
        red = tuple(dict.fromkeys(r for i in members for r in held[i].red_lines))
        families.append(Family(n, tuple(members), red, owners(red),
                               tuple(sorted({cell for i in members for cell in held[i].cells}))))
    return held, tuple(families)


def owners(red_lines: Sequence[str]) -> tuple[str, ...]:
    """The parties owning these red lines, in order of first appearance."""
    return tuple(dict.fromkeys(RuleRef.parse(name).owner for name in red_lines))


def party_shares(cells: Sequence[Cell | None], scenarios: Sequence[Scenario]) -> tuple[PartyShare, ...]:
    names = {p.id: p.name for s in reversed(scenarios) for p in s.parties}  # the default combination's name wins
    parties = dict.fromkeys(p.id for s in scenarios for p in s.parties)
    inside = {party: [] for party in parties}  # type: dict[str, list[int]]
    for index, cell in enumerate(cells):
        owners = {RuleRef.parse(r).owner for c in (cell.conflicts if cell else ()) for r in c.red_lines}
        for party in owners & set(parties):
            inside[party].append(index)
    return tuple(PartyShare(party, names[party], tuple(inside[party])) for party in parties)


def every_reading(scenarios: Sequence[Scenario], cells: Sequence[Cell | None], objective: Objective,
                  time_limit: float, control: Control | None = None) -> EveryReading:
    """The best deal meeting the facts and red lines of every combination, by the first (default) combination's
    objective; NONE when a combination has no deal or the rules of all of them together leave none."""
    without = tuple(i for i, cell in enumerate(cells) if cell is not None and cell.verdict is Verdict.NO_DEAL)
    if without:
        return EveryReading(Everywhere.NONE, without_deal=without)
    together = all_readings(scenarios)
    first = cells[0]
    if together is scenarios[0] and first is not None and first.deal is not None:
        deal = first.deal  # every combination requires what the first does: its own best deal is the answer
    else:
        result = check(together, objective, time_limit=time_limit, room=False, conflicts=0, relaxations=0,
                       control=control)
        if result.verdict is Verdict.NO_DEAL:
            return EveryReading(Everywhere.NONE)
        if result.deal is None or result.interrupted:
            return EveryReading(Everywhere.UNDECIDED)
        deal = result.deal
    for scenario in scenarios:  # the plain evaluator, against each combination's own rules
        verify_deal(scenario, deal.values)
    return EveryReading(Everywhere.FOUND, deal, optimal=deal.optimal)


def all_readings(scenarios: Sequence[Scenario]) -> Scenario:
    """The first scenario with, as facts, every fact and red line of the others that it does not hold itself (the
    same name and rule): a deal of it holds in every one of them, and it ranks deals as the first does."""
    first = scenarios[0]
    required = {(rule.name, rule.expr) for rule in first.facts + first.red_lines}
    added: list[Rule] = []
    for index, scenario in enumerate(scenarios[1:], 1):
        for rule in scenario.facts + scenario.red_lines:
            if (rule.name, rule.expr) in required:
                continue
            required.add((rule.name, rule.expr))
            added.append(replace(rule, owner=FACTS, id=f"reading-{index}-{rule.owner}-{rule.id}",
                                 kind=RuleKind.FACT))
    return replace(first, facts=first.facts + tuple(added)) if added else first
