"""`check`: is there a package deal, which is best, and how much room is left on each issue."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from feasible.positions.model import Scenario

from .compile import Compiled, compile_scenario
from .deals import find_deals
from .explain.algorithms import OutOfTime
from .explain.conflicts import Unreachable, explain_target, find_conflicts
from .explain.relaxations import find_relaxations
from .explain.disputes import Dispute, group_disputes
from .result import CheckResult, Deal, Objective, Statistics, Verdict
from .room import compute_room
from .search import Control, Searcher

DEFAULT_TIME_LIMIT = 10.0
# Of the time left once there is no deal, at most this share goes to the conflicts: the relaxations need time
# of their own (seeded by the conflicts found, they usually need little), and an answer without them is half one.
CONFLICT_SHARE = 0.6


def check(scenario: Scenario, objective: Objective | str = Objective.FAIR, *, deals: int = 1,
          time_limit: float = DEFAULT_TIME_LIMIT, room: bool = True, conflicts: int | None = 10,
          relaxations: int = 5, rank_by_deal: bool = False, control: Control | None = None,
          on_partial: Callable[[CheckResult], None] | None = None, deadline: float | None = None) -> CheckResult:
    """Decide whether a deal exists.

    With a deal: the best `deals` deals, the room on every issue (room=True) and the demands no deal can
    meet, each with its reason. Without: up to `conflicts` minimal conflicts (None: all of them) and the
    `relaxations` cheapest ways to open a deal (with `rank_by_deal`, equally cheap ones ranked by the deal each
    opens, where the time limit allows). Every deal, conflict and relaxation is verified before it is
    returned; the time limit covers all of it. `control` lets a caller show progress and interrupt the run
    (the partial answer then has `interrupted` set). `on_partial` is given the answer so far at two points (the
    final answer is the same with it or without): once the deals are found (before the room and the unreachable
    demands), and without a deal once the conflicts are found (before the disputes' options and the
    relaxations). `deadline` (a time.monotonic() instant) ends the run sooner than the time limit would, its
    compilation included (the time limit still sets the shares of it that inner searches get); when it has passed
    already, the answer is UNKNOWN at once (`feasible serve` gives one what-if's checks one deadline)."""
    started = time.perf_counter()
    objective = Objective(objective)
    if deadline is not None and time.monotonic() >= deadline:
        return CheckResult(scenario.title, Verdict.UNKNOWN, objective,
                           interrupted=control is not None and control.interrupted).with_scenario(scenario)
    compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
    searcher = Searcher(time_limit, control, label=f"'{scenario.title}'")
    if deadline is not None:
        searcher.deadline = min(searcher.deadline, deadline)
    searcher.stage = "finding deals"
    found, first = find_deals(compiled, objective, max(deals, 1), searcher)
    if found:
        verdict = Verdict.DEAL
    elif first is not None and first.infeasible:
        verdict = Verdict.NO_DEAL
    else:
        verdict = Verdict.UNKNOWN
    room_by_issue: dict = {}
    extra: dict = {}

    def so_far(**more) -> None:
        if on_partial is not None and not searcher.control.interrupted:
            on_partial(CheckResult(scenario.title, verdict, objective, tuple(found), statistics=statistics(),
                                   **more))

    def statistics() -> Statistics:
        proto = compiled.model.proto
        return Statistics(len(proto.variables), len(proto.constraints), searcher.solves,
                          time.perf_counter() - started)

    so_far()
    if verdict is Verdict.DEAL and room:
        searcher.stage = "measuring room"
        room_by_issue, seen = compute_room(compiled, found, searcher)
        searcher.stage = "looking for unreachable demands"
        extra["unreachable"], extra["unreachable_complete"] = unreachable_demands(compiled, seen, searcher)
    elif verdict is Verdict.NO_DEAL:
        searcher.stage = "finding conflicts"
        witnesses: list[dict] = []  # deals met while looking for conflicts: they spare verification solves
        with searcher.budget(searcher.remaining() * (CONFLICT_SHARE if relaxations else 1.0)):
            listed, complete = find_conflicts(compiled, searcher, conflicts, witnesses)
        # Conflicts are shown dispute by dispute (each in salience order), the most salient dispute first.
        disputes = group_disputes(scenario, listed, options=complete and relaxations > 0,
                                  stop=lambda: searcher.remaining() <= 0 or searcher.control.interrupted)
        ordered = tuple(c for dispute in disputes for c in dispute.conflicts)
        extra["conflicts"], extra["conflicts_complete"] = ordered, complete
        extra["conflicts_cut_by_time"] = not complete and (conflicts is None or len(listed) < conflicts)
        so_far(**extra, disputes=without_options(disputes))
        searcher.stage = "finding relaxations"
        # With every conflict known, the relaxations are the combinations of one option per dispute.
        ways = find_relaxations(compiled, objective, searcher, relaxations, ordered, disputes, rank_by_deal,
                                witnesses)
        extra["relaxations"], extra["relaxations_complete"] = ways.listed, ways.complete
        extra["relaxations_canonical"] = ways.canonical
        extra["relaxations_ranked_by_deal"] = ways.ranked_by_deal
        extra["relaxation_count"], extra["cheapest_relaxation_count"] = ways.count, ways.cheapest
        # Options are shown only once verified: without them all, the disputes only group the conflicts.
        extra["disputes"] = ways.disputes if len(ways.disputes) == len(disputes) else without_options(disputes)
    return CheckResult(scenario.title, verdict, objective, tuple(found), room_by_issue, statistics=statistics(),
                       interrupted=searcher.control.interrupted, **extra).with_scenario(scenario)


def without_options(disputes: tuple[Dispute, ...]) -> tuple[Dispute, ...]:
    """The disputes grouping their conflicts only: their options are shown once verified."""
    return tuple(replace(dispute, options=(), option_count=0) for dispute in disputes)


def unreachable_demands(compiled: Compiled, seen: list[Deal], searcher: Searcher
                        ) -> tuple[tuple[Unreachable, ...], bool]:
    """Demands that no deal meets, each with a minimal set of red lines and facts that rules it out, and
    whether every demand was decided within the time limit."""
    met = {name for deal in seen for outcome in deal.outcomes for name in outcome.met}
    found: list[Unreachable] = []
    for demand in compiled.scenario.demands:
        if demand.name in met:
            continue
        try:
            reason = explain_target(compiled, demand.expr, searcher)
        except OutOfTime:
            return tuple(found), False
        if reason is not None:
            found.append(Unreachable(demand.name, reason.red_lines + reason.facts))
    return tuple(found), True
