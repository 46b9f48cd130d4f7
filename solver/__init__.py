"""What is possible: compiling scenarios to CP-SAT, deals and their verification.

    from feasible.positions import load_scenario
    from feasible.solver import check
    result = check(load_scenario("ukraine-2026"))
    result.verdict, result.deal
"""

from .check import DEFAULT_TIME_LIMIT, check
from .search import Control
from .result import CheckResult, Deal, Objective, OpenValues, PartyOutcome, Room, Statistics, Verdict

__all__ = ["DEFAULT_TIME_LIMIT", "CheckResult", "Control", "Deal", "Objective", "OpenValues", "PartyOutcome", "Room",
           "Statistics", "Verdict", "check"]
