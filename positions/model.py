"""The loaded scenario: what the solver works from. Plain frozen dataclasses, every rule with its label."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .location import Location

if TYPE_CHECKING:  # the rule language imports this module for Issue
    from .rules.syntax import Expr


class IssueKind(str, Enum):
    """The four kinds of issue a deal decides."""

    BOOL = "bool"  #: yes or no
    ENUM = "enum"  #: exactly one of a list of values
    INT = "int"  #: a whole number between min and max
    SET = "set"  #: any subset of a list of values


@dataclass(frozen=True)
class Issue:
    name: str
    kind: IssueKind
    description: str | None = None
    values: tuple[str, ...] = ()  # enum and set issues
    ordered: bool = False  # enum issues: values listed in order
    min: int | None = None  # int issues
    max: int | None = None
    unit: str | None = None
    location: Location | None = field(default=None, compare=False)


class RuleKind(str, Enum):
    """What a rule is to its owner."""

    FACT = "fact"  #: holds in every deal; never negotiable
    RED_LINE = "red line"  #: must hold in any deal its party accepts
    DEMAND = "demand"  #: wanted, with a weight


@dataclass(frozen=True)
class Rule:
    """One fact, red line or demand, with everything needed to show it in its author's words."""

    owner: str  # party id, or "facts"
    id: str
    kind: RuleKind
    says: str
    text: str
    expr: Expr
    weight: int = 1
    source: str | None = None
    location: Location | None = field(default=None, compare=False)

    @cached_property  # asked for constantly by the solver; a frozen dataclass has a __dict__ to keep it in
    def name(self) -> str:
        """The rule's name everywhere outside its party: PARTY/ID or facts/ID."""
        return f"{self.owner}/{self.id}"


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    red_lines: tuple[Rule, ...] = ()
    demands: tuple[Rule, ...] = ()
    accept_at_least: int | None = None  # percent of total demand weight
    acceptance: Rule | None = None  # accept_at_least as the red line `accept-at-least`
    location: Location | None = field(default=None, compare=False)

    @property
    def demand_weight(self) -> int:
        return sum(d.weight for d in self.demands)

    @property
    def binding(self) -> tuple[Rule, ...]:
        """Every red line of the party, its accept_at_least level included."""
        return self.red_lines + ((self.acceptance,) if self.acceptance else ())


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Scenario:
    title: str
    issues: dict[str, Issue]
    parties: tuple[Party, ...]
    facts: tuple[Rule, ...] = ()
    description: str | None = None
    sources: tuple[Source, ...] = ()
    origin: Path | None = field(default=None, compare=False)  # the directory or file it was loaded from
    files: tuple[Path, ...] = field(default=(), compare=False)

    def party(self, party_id: str) -> Party:
        for party in self.parties:
            if party.id == party_id:
                return party
        raise KeyError(party_id)

    @property
    def red_lines(self) -> tuple[Rule, ...]:
        """Every party's red lines, accept_at_least levels included."""
        return tuple(r for p in self.parties for r in p.binding)

    @property
    def demands(self) -> tuple[Rule, ...]:
        return tuple(d for p in self.parties for d in p.demands)

    def rules(self) -> tuple[Rule, ...]:
        """Facts, then every party's red lines and demands, in file order."""
        return self.facts + tuple(r for p in self.parties for r in p.binding + p.demands)
