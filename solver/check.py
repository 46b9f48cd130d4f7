"""`check`: is there a package deal, which is best, and how much room is left on each issue."""

from __future__ import annotations

import time

from positions.model import Scenario

from .compile import compile_scenario
from .deals import find_deals
from .result import CheckResult, Objective, Statistics, Verdict
from .room import compute_room
from .search import Searcher

DEFAULT_TIME_LIMIT = 10.0


def check(scenario: Scenario, objective: Objective | str = Objective.FAIR, *, deals: int = 1,
          time_limit: float = DEFAULT_TIME_LIMIT, room: bool = True) -> CheckResult:
    """Decide whether a deal exists; if so find the best `deals` deals and (with room=True) the room on every
    issue. Every deal is verified by the plain evaluator before it is returned."""
    started = time.perf_counter()
    objective = Objective(objective)
    compiled = compile_scenario(scenario)
    searcher = Searcher(time_limit)
    found, first = find_deals(compiled, objective, max(deals, 1), searcher)
    if found:
        verdict = Verdict.DEAL
    elif first is not None and first.infeasible:
        verdict = Verdict.NO_DEAL
    else:
        verdict = Verdict.UNKNOWN
    room_by_issue = compute_room(compiled, found, searcher) if found and room else {}
    proto = compiled.model.proto
    stats = Statistics(len(proto.variables), len(proto.constraints), searcher.solves,
                       time.perf_counter() - started)
    return CheckResult(scenario.title, verdict, objective, tuple(found), room_by_issue, stats)
