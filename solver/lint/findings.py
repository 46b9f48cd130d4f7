"""What lint finds: plain data, located later (solver/lint/locate.py) in the files the scenario came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from feasible.positions.location import Location
from feasible.positions.rules.syntax import Span


@dataclass(frozen=True)
class At:
    """What a finding is about, before it is located: a rule (and a part of its text), an issue (and one of its
    values), an entry of `sources:`, or the scenario as a whole."""

    kind: str  # "rule", "issue", "source" or "scenario"
    name: str = ""  # the rule's name (PARTY/ID), the name, or the source's id
    span: Span | None = None  # rule: the part of the rule text meant (None: the whole rule)
    index: int | None = None  # issue: which value; source: which entry of `sources:`


@dataclass(frozen=True)
class Finding:
    """One warning as data: its code, what it is about, and the details its words are made of (cli/words.py)."""

    code: str
    at: At
    details: Mapping[str, Any] = field(default_factory=dict)
    location: Location | None = field(default=None, compare=False)
    line_text: str = field(default="", compare=False)
    width: int = field(default=1, compare=False)

    @property
    def rule(self) -> str | None:
        return self.at.name if self.at.kind == "rule" else None

    def sort_key(self) -> tuple:
        loc = self.location
        return ((loc.file, loc.line, loc.column) if loc else ("", 0, 0)) + (self.code, self.at.name)


@dataclass(frozen=True)
class Ignored:
    """A finding a scenario's `lint: ignore:` entry sets aside, with the reason it gives."""

    finding: Finding
    reason: str


@dataclass(frozen=True)
class LintResult:
    title: str
    codes: tuple[str, ...]  # the codes checked
    findings: tuple[Finding, ...]  # reported, in file order
    ignored: tuple[Ignored, ...] = ()
    # Which deals "every deal" meant: "deals" (facts and red lines), "facts" (no deal: the facts alone), "none"
    # (not even the facts admit one), "unknown" (not known in time); None when no check asked.
    deals: str | None = None
    cut_short: tuple[str, ...] = ()  # codes whose checks the time limit cut short (their findings are partial)
    readings: tuple[tuple[str, str], ...] = ()  # (name, title) of the readings the scenario is linted under
