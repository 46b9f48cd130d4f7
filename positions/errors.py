"""The three kinds of error: a user error, a collected validation report, and an internal error (a bug)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .location import Location


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input, with where it is and how to fix it."""

    message: str
    location: Location | None = None
    line_text: str = ""
    width: int = 1
    hint: str | None = None

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.message) if loc else ("", 0, 0, self.message)


class FeasibleError(Exception):
    """Base of every error the product raises on purpose."""


class UserError(FeasibleError):
    """Something the user asked for cannot be done (exit code 2); the message says why and what to do."""

    def __init__(self, message: str, hint: str | None = None, diagnostic: Diagnostic | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.diagnostic = diagnostic


@dataclass
class InvalidScenario(FeasibleError):
    """Every problem found in a scenario's files, reported together (exit code 2)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.diagnostics = sorted(self.diagnostics, key=Diagnostic.sort_key)
        super().__init__(f"{len(self.diagnostics)} problem(s) in the scenario")


class InternalError(FeasibleError):
    """A bug in feasible itself, never the user's fault (exit code 4)."""
