"""What parties want: the position files, their rule language, loading and validation."""

from .errors import Diagnostic, FeasibleError, InternalError, InvalidScenario, UserError
from .cache import load_scenario
from .files import resolve_scenario
from .location import Location
from .model import Issue, IssueKind, Party, Rule, RuleKind, Scenario, Source
from .shipped import DEFAULT_SCENARIO, shipped_scenarios

__all__ = [
    "DEFAULT_SCENARIO", "Diagnostic", "FeasibleError", "InternalError", "InvalidScenario", "Issue", "IssueKind",
    "Location", "Party", "Rule", "RuleKind", "Scenario", "Source", "UserError", "load_scenario", "resolve_scenario",
    "shipped_scenarios",
]
