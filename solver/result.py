"""What `check` answers, as frozen dataclasses with documented enums."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .explain.conflicts import Conflict, Relaxation, Unreachable


class Verdict(str, Enum):
    """Whether a package deal exists."""

    DEAL = "deal"  #: at least one deal satisfies every fact and every red line; one is shown
    NO_DEAL = "no-deal"  #: proved: no assignment of the issues satisfies every fact and red line together
    UNKNOWN = "unknown"  #: the time limit ran out before either answer was proved


class Objective(str, Enum):
    """How deals are ranked by the parties' satisfaction (weight of demands met / total demand weight)."""

    FAIR = "fair"  #: maximise the lowest satisfaction, then the sum of satisfactions
    WELFARE = "welfare"  #: maximise the sum of satisfactions
    NASH = "nash"  #: maximise the product of satisfactions (see docs: exact up to a documented tolerance)


@dataclass(frozen=True)
class PartyOutcome:
    """What one party gets in a deal."""

    party: str
    name: str
    satisfaction: Fraction | None  # None for a party without demands (left out of the objectives)
    met: tuple[str, ...]  # demand names (PARTY/ID) the deal meets
    unmet: tuple[str, ...]


@dataclass(frozen=True)
class OpenValues:
    """The values an issue can take in a deal when it alone changes, every other issue as in the deal, while every
    required rule (facts and red lines; an explain target) holds and every party's satisfaction stays the same."""

    issue: str
    count: int | None  # how many values are open (None: a set issue's open subsets, not counted)
    values: tuple[Any, ...] = ()  # bool and enum issues: the open values, in domain order
    intervals: tuple[tuple[int, int], ...] = ()  # int issues: the open values as maximal ranges, ascending
    always: tuple[str, ...] = ()  # set issues: the values in every open subset
    never: tuple[str, ...] = ()  # set issues: the values in none
    every_subset: bool = False  # set issues: every subset with `always` and without `never` is open
    examples: tuple[frozenset, ...] = ()  # set issues: a few open subsets, the deal's first
    complete: bool = True  # False: an int issue has more ranges than are listed

    @property
    def is_open(self) -> bool:
        """More than one value: the deal's value is not the only one that keeps everything as it is."""
        if self.count is not None:
            return self.count > 1
        return self.complete and (self.every_subset or len(self.examples) > 1)


@dataclass(frozen=True)
class Deal:
    """One package deal: a value for every issue, checked by the plain evaluator."""

    values: dict[str, Any]  # issue → bool, str, int or frozenset[str]
    outcomes: tuple[PartyOutcome, ...]
    optimal: bool  # proved best for the objective (among deals that differ from those before it)
    gap: float | None = None  # when not proved: relative distance to CP-SAT's bound on the first unproved criterion
    left_out: tuple[str, ...] = ()  # fair: parties (ids) no deal can satisfy, left out of the lowest satisfaction
    open: dict[str, OpenValues] = field(default_factory=dict)  # issue → its open values (solver/open.py)

    def satisfaction(self) -> dict[str, Fraction]:
        return {o.party: o.satisfaction for o in self.outcomes if o.satisfaction is not None}


@dataclass(frozen=True)
class Room:
    """Which values of an issue occur in at least one deal."""

    issue: str
    possible: tuple[Any, ...] = ()  # bool and enum issues: the values, in domain order
    minimum: int | None = None  # int issues
    maximum: int | None = None
    in_every_deal: tuple[str, ...] = ()  # set issues
    in_no_deal: tuple[str, ...] = ()
    values: tuple[str, ...] | None = None  # set issues: the issue's values (to tell when all are settled)
    complete: bool = True  # False when the time limit cut the search short (the room may be larger)


@dataclass(frozen=True)
class Statistics:
    variables: int
    constraints: int
    solves: int
    wall_seconds: float = field(compare=False)  # not part of deterministic output


@dataclass(frozen=True)
class CheckResult:
    """The answer of `check`: verdict, best deal and alternatives, and the room on every issue."""

    title: str
    verdict: Verdict
    objective: Objective
    deals: tuple[Deal, ...] = ()  # best first; empty unless the verdict is DEAL
    room: dict[str, Room] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()  # NO_DEAL: minimal conflicting sets of red lines, smallest first
    conflicts_complete: bool = False  # True when the conflicts listed are all there are
    conflicts_cut_by_time: bool = False  # the time limit (not the number asked for) left the list incomplete
    relaxations: tuple[Relaxation, ...] = ()  # NO_DEAL: cheapest minimal sets of red lines to give up
    relaxations_complete: bool = False  # True when the search found as many as asked or proved there are no more
    unreachable: tuple[Unreachable, ...] = ()  # DEAL: demands no deal can meet, with the reason
    unreachable_complete: bool = True  # False when the time limit cut the search for them short
    interrupted: bool = False  # stopped from outside (Ctrl-C): everything here is what was found so far
    statistics: Statistics | None = None

    @property
    def deal(self) -> Deal | None:
        return self.deals[0] if self.deals else None
