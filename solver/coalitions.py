"""Coalitions: which sets of parties can agree, and what a chosen coalition can sign without the others.

Definitions (docs/check.md "Coalitions"; tests/solver_support implements exactly these by brute force):

- A coalition (a set of parties) **has a deal** when some deal (values for all issues) meets the facts and every
  member's red lines (a party's `accept_at_least` level counts as one of its red lines). The empty coalition has
  a deal iff the facts alone can hold.
- **Maximal coalitions** have a deal and no strict superset (among the parties considered) has one; **blocking
  groups** have no deal and every strict subset has one.
- The **sub-agreement** of a coalition C fixes the settled issues S(C), those whose consenting parties
  (`Scenario.consenting`) are all in C, to values with which the facts and the members' red lines can still all
  hold for some values of the other (open) issues.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .result import Deal


class CoalitionVerdict(str, Enum):
    """How complete the answer of `coalitions` is."""

    FOUND = "found"  #: all maximal coalitions and blocking groups were found and verified
    INCOMPLETE = "incomplete"  #: the time limit or an interrupt cut the enumeration short; what is listed is verified
    NO_FACTS = "no-facts"  #: the facts alone cannot hold: no coalition has a deal


@dataclass(frozen=True)
class Coalition:
    """A maximal coalition: its parties (scenario order) and the verified witness deal they all accept."""

    parties: tuple[str, ...]
    deal: Deal | None  # the witness deal, re-checked by the plain evaluator (facts + members' red lines)


@dataclass(frozen=True)
class BlockingGroup:
    """A minimal group of parties without a deal, with a verified conflict showing why."""

    parties: tuple[str, ...]  # scenario order
    red_lines: tuple[str, ...]  # a verified conflict (minimal) among these parties' red lines and the facts;
    #                             every party of the group has at least one red line in it
    facts: tuple[str, ...]  # the facts in that conflict


@dataclass(frozen=True)
class Coalitions:
    """The answer of `coalitions`: the maximal coalitions and the minimal blocking groups."""

    parties: tuple[str, ...]  # the parties considered (every party but the excluded), scenario order
    included: tuple[str, ...]  # parties every coalition listed contains (hard), scenario order
    excluded: tuple[str, ...]  # parties left out of everything, scenario order
    verdict: CoalitionVerdict
    maximal: tuple[Coalition, ...]  # sorted by (-size, scenario order)
    blocking: tuple[BlockingGroup, ...]  # sorted by (size, scenario order); with `included`: groups of the others
    solves: int  # subset checks answered by CP-SAT
    interrupted: bool  # stopped from outside (Ctrl-C): what is listed is what was found and verified so far
    facts_conflict: tuple[str, ...] = ()  # NO_FACTS: a minimal set of facts that cannot hold together
    # with `included`: False when the included parties alone have no deal (then `maximal` is empty and `blocking`
    # lists the blocking groups among the included parties)
    included_agree: bool = True


@dataclass(frozen=True)
class SubConflict:
    """Why the parties outside cannot accept any completion of a sub-agreement: a minimal set of settled values
    and outsiders' red lines that, with the facts and the members' red lines, cannot hold."""

    settled: tuple[str, ...]  # issues of the sub-agreement whose values are in the conflict, scenario order
    red_lines: tuple[str, ...]  # outsiders' red lines in it
    facts: tuple[str, ...]  # facts in it (the facts and the members' red lines are hard; the facts that matter)


@dataclass(frozen=True)
class SubAgreement:
    """What a coalition can settle without the others, and whether the others can accept a completion."""

    coalition: tuple[str, ...]  # scenario order
    has_deal: bool
    settled: tuple[str, ...]  # issues whose consenting parties are all members, scenario order
    open: tuple[str, ...]  # the other issues
    values: Mapping[str, Any]  # settled issue -> value (empty when not has_deal)
    deal: Deal | None  # the best deal for the coalition (its witness, completion included)
    blocking: tuple[BlockingGroup, ...]  # when not has_deal: the blocking groups inside the coalition
    outsiders: tuple[str, ...]  # the considered parties outside the coalition, scenario order
    outsiders_accept: bool | None  # None when there are no outsiders or no sub-agreement (or time ran out)
    completion: Deal | None  # when outsiders_accept: a deal every considered party accepts, settled values kept
    conflict: SubConflict | None  # when not outsiders_accept
    complete: bool = True  # False when the time limit or an interrupt cut an answer short
    interrupted: bool = False
