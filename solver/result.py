"""What `check` answers, as frozen dataclasses with documented enums."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from fractions import Fraction
from math import prod
from typing import TYPE_CHECKING, Any

from .display import Shown

if TYPE_CHECKING:
    from feasible.positions import Scenario

    from .explain.conflicts import Conflict, Unreachable
    from .explain.relaxations import Relaxation
    from .explain.disputes import Dispute


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
    utility: Fraction | None = None  # its utility block's value (exact, in millionths); None: the party has no block


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
    examples: tuple[Any, ...] = ()  # set and sequence issues: a few open subsets (orders), the deal's first
    complete: bool = True  # False: an int issue has more ranges than are listed (a sequence more orders than judged)

    @property
    def is_open(self) -> bool:
        """More than one value: the deal's value is not the only one that keeps everything as it is."""
        if self.count is not None:
            return self.count > 1
        return len(self.examples) > 1 or (self.complete and self.every_subset)


@dataclass(frozen=True)
class Deal:
    """One package deal: a value for every issue, checked by the plain evaluator."""

    values: dict[str, Any]  # issue → bool, str, int, frozenset[str] or Phases
    outcomes: tuple[PartyOutcome, ...]
    optimal: bool  # proved best for the objective (among deals that differ from those before it)
    gap: float | None = None  # when not proved: relative distance to CP-SAT's bound on the first unproved criterion
    left_out: tuple[str, ...] = ()  # fair: parties (ids) no deal can satisfy, left out of the lowest satisfaction
    open: dict[str, OpenValues] = field(default_factory=dict)  # issue → its open values (solver/open.py)
    open_cut: bool = False  # the time limit stopped before every issue was varied: those left out lack `open`

    def satisfaction(self) -> dict[str, Fraction]:
        return {o.party: o.satisfaction for o in self.outcomes if o.satisfaction is not None}

    def utilities(self) -> dict[str, Fraction]:
        """What the objectives measure for each party: its utility block's value, else its satisfaction (parties
        with neither are left out)."""
        measured = {o.party: o.utility if o.utility is not None else o.satisfaction for o in self.outcomes}
        return {party: value for party, value in measured.items() if value is not None}

    def value(self, objective: Objective) -> Any:
        """The exact value the objective gives this deal, from the parties' utilities alone (higher is better;
        tuples compare in order): fair (the lowest utility of the parties not left out, then the sum), welfare
        (the sum), nash (the product). A party's utility is its satisfaction unless it has a utility block."""
        satisfied = self.utilities()
        if not satisfied:
            return (0, 0) if objective is Objective.FAIR else 0
        if objective is Objective.FAIR:
            counted = [s for party, s in satisfied.items() if party not in self.left_out] or [Fraction(0)]
            return min(counted), sum(satisfied.values())
        if objective is Objective.WELFARE:
            return sum(satisfied.values())
        return prod(satisfied.values(), start=Fraction(1))


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
    phases: tuple[tuple[str, tuple[int, ...]], ...] = ()  # sequence issues: each step's phases (0: left out)
    # sequence issues: each pair of steps (in step order) with how they stand in some deal (kinds.RELATIONS)
    relations: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Statistics:
    variables: int
    constraints: int
    solves: int
    wall_seconds: float = field(compare=False)  # not part of deterministic output


@dataclass(frozen=True)
class CheckResult(Shown):
    """The answer of `check`: verdict, best deal and alternatives, and the room on every issue."""

    title: str
    verdict: Verdict
    objective: Objective
    deals: tuple[Deal, ...] = ()  # best first; empty unless the verdict is DEAL
    room: dict[str, Room] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()  # NO_DEAL: minimal conflicting sets of red lines, in salience order
    conflicts_complete: bool = False  # True when the conflicts listed are all there are
    conflicts_cut_by_time: bool = False  # the time limit (not the number asked for) left the list incomplete
    relaxations: tuple[Relaxation, ...] = ()  # NO_DEAL: cheapest minimal sets of red lines to give up
    relaxations_complete: bool = False  # True when the search found as many as asked or proved there are no more
    # True when the relaxations listed are the first of the canonical order (every one as cheap as the last listed
    # was found, and they are ordered by cost, size and name); False: the solver's order decided among equals
    relaxations_canonical: bool = False
    # NO_DEAL: the conflicts grouped by shared red lines, most salient first; each lists its options (ways to settle
    # it) when the conflicts are all there are, and the relaxations are then the combinations of one option of each
    disputes: tuple[Dispute, ...] = ()
    # NO_DEAL, --rank-by-deal: True when equally cheap relaxations are ranked by the deal each opens (best first);
    # False when asked but not possible (too many ties, or a deal not found or not proved best in time); None: not asked
    relaxations_ranked_by_deal: bool | None = None
    relaxation_count: int | None = None  # NO_DEAL: how many minimal relaxations there are, when known (disputes)
    cheapest_relaxation_count: int | None = None  # how many of them are cheapest, when known
    unreachable: tuple[Unreachable, ...] = ()  # DEAL: demands no deal can meet, with the reason
    unreachable_complete: bool = True  # False when the time limit cut the search for them short
    interrupted: bool = False  # stopped from outside (Ctrl-C): everything here is what was found so far
    statistics: Statistics | None = None
    # the scenario checked, set by check(): shows the result in the parties' words in a notebook (solver/display.py);
    # not part of the answer (never compared, printed or serialised)
    scenario: Scenario | None = field(default=None, compare=False, repr=False)

    @property
    def deal(self) -> Deal | None:
        return self.deals[0] if self.deals else None

    def with_scenario(self, scenario: Scenario) -> CheckResult:
        """The same answer, carrying the scenario it is for (and its conflicts and relaxations too), so that each
        shows itself in a notebook in the parties' words. check() returns it so."""
        return replace(self, scenario=scenario,
                       conflicts=tuple(replace(c, scenario=scenario) for c in self.conflicts),
                       relaxations=tuple(replace(r, scenario=scenario) for r in self.relaxations))
