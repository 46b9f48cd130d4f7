"""What parties want: the position files, their rule language, loading and validation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import Diagnostic, FeasibleError, InternalError, InvalidScenario, UserError
from .files import resolve_scenario
from .location import Location
from .model import Issue, IssueKind, Party, Rule, RuleKind, Scenario, Source
from .shipped import DEFAULT_SCENARIO, shipped_scenarios

__all__ = [
    "DEFAULT_SCENARIO", "Diagnostic", "FeasibleError", "InternalError", "InvalidScenario", "Issue", "IssueKind",
    "Location", "Party", "Rule", "RuleKind", "Scenario", "Source", "UserError", "load_scenario", "resolve_scenario",
    "shipped_scenarios",
]


def load_scenario(path: str | Path | None = None, *, display: Callable[[Path], str] | None = None,
                  versions: bool = False) -> Scenario:
    """positions.loader.load_scenario, which reads the files and writes nothing. Imported on first use: the
    loader brings the YAML reader, the position-file models and the rule parser, which a command that loads no
    scenario need not pay for."""
    from .loader import load_scenario as load_files

    return load_files(path, display=display, versions=versions)
