"""The plain brute-force peer (and oracle) at small sizes: every assignment, then every subset of the red lines.

Given a loaded `positions.Scenario`:

1. Enumerate every assignment of the issues (bools, every int in range, every enum value, every subset of a
   set issue's values) and judge each with the plain evaluator (`solver.evaluate.holds`): keep those that meet
   every fact, and record, for each, the bitmask of the red lines it meets.
2. A set S of red lines can hold with the facts iff some assignment meets the facts and all of S, i.e. iff some
   recorded mask contains S. Mark every subset of a recorded mask ("satisfiable"), from the largest down.
3. Read everything off that table of 2^n subsets:
   - a deal exists iff the set of all red lines is satisfiable;
   - MUSes (conflicts): the unsatisfiable sets all of whose one-smaller subsets are satisfiable;
   - MCSes (relaxations): the complements of the satisfiable sets that no one red line can be added to;
   - the cheapest MCS(es): least total `weight` of the red lines given up.

Facts are hard, red lines soft (the scenario's `red_lines`). No solver, no cleverness: it is a baseline and an
oracle. It refuses instances with more than MAX_ASSIGNMENTS assignments or MAX_RED_LINES red lines.

    python benchmarks/brute_peer.py /tmp/small
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import dataclass
from math import prod
from typing import Any

from feasible.positions.kinds import issue_type
from feasible.positions.model import Issue, Scenario
from feasible.solver.evaluate import holds

MAX_ASSIGNMENTS = 2_000_000
MAX_RED_LINES = 22


class TooLarge(ValueError):
    """The instance is beyond what plain enumeration should be asked to do."""


def domain(issue: Issue) -> list[Any]:
    """Every value an issue can take, in domain order."""
    return list(issue_type(issue).every_value(issue))


def domain_size(issue: Issue) -> int:
    """len(domain(issue)), without building it."""
    return issue_type(issue).size(issue)


def assignment_count(scenario: Scenario) -> int:
    return prod(domain_size(issue) for issue in scenario.issues.values())


def assignments(issues: dict[str, Issue]):
    """Every assignment of the issues, as a dict issue -> value."""
    names = list(issues)
    for values in itertools.product(*(domain(issues[n]) for n in names)):
        yield dict(zip(names, values))


def guard(scenario: Scenario) -> int:
    """The number of assignments; TooLarge when the instance is too big for brute force."""
    count, red = assignment_count(scenario), len(scenario.red_lines)
    if count > MAX_ASSIGNMENTS or red > MAX_RED_LINES:
        raise TooLarge(f"brute force refuses this instance: {count:,} assignments (at most {MAX_ASSIGNMENTS:,}) "
                       f"and {red} red lines (at most {MAX_RED_LINES}, i.e. 2^{MAX_RED_LINES} subsets); "
                       f"use a smaller instance")
    return count


@dataclass
class Explained:
    """What brute force found: every conflict and every relaxation of the red lines, with the facts hard."""

    red_lines: list[str]  # names PARTY/ID, in scenario order; bit i of a mask is red_lines[i]
    weights: list[int]
    assignments: int  # enumerated
    meeting_facts: int  # of them, those meeting every fact
    masks: int  # distinct sets of red lines met by those
    deal_exists: bool
    muses: list[frozenset[str]]  # minimal unsatisfiable subsets (with the facts); [∅] if the facts contradict
    mcses: list[frozenset[str]]  # minimal correction sets (complements of the maximal satisfiable subsets)
    enumerate_seconds: float
    subset_seconds: float

    def cost(self, drop) -> int:
        weight = dict(zip(self.red_lines, self.weights))
        return sum(weight[name] for name in drop)

    @property
    def cheapest_cost(self) -> int | None:
        """The least cost of giving up enough red lines for a deal (0 when there is one; None: the facts
        contradict each other)."""
        return min((self.cost(m) for m in self.mcses), default=None)

    @property
    def cheapest(self) -> list[frozenset[str]]:
        """Every MCS of the cheapest cost."""
        return [m for m in self.mcses if self.cost(m) == self.cheapest_cost]


def red_line_masks(scenario: Scenario) -> tuple[set[int], int, int]:
    """Step 1: the distinct bitmasks of red lines met by the assignments that meet every fact; and how many
    assignments there were, and how many met the facts."""
    issues, facts, red = scenario.issues, scenario.facts, scenario.red_lines
    masks: set[int] = set()
    total = meeting = 0
    for deal in assignments(issues):
        total += 1
        if not all(holds(fact, issues, deal) for fact in facts):
            continue
        meeting += 1
        mask = 0
        for i, rule in enumerate(red):
            if holds(rule, issues, deal):
                mask |= 1 << i
        masks.add(mask)
    return masks, total, meeting


def satisfiable_subsets(masks: set[int], n: int) -> bytearray:
    """Step 2: sat[S] = 1 iff the set S of red lines (a bitmask over n) is contained in some recorded mask.
    From the largest S down: S is contained in a mask iff it is one, or S plus one red line is contained in one
    (those are larger numbers, so already final)."""
    sat = bytearray(1 << n)
    for mask in masks:
        sat[mask] = 1
    bits = [1 << i for i in range(n)]
    for s in range((1 << n) - 1, -1, -1):
        if not sat[s]:
            for bit in bits:
                if not s & bit and sat[s | bit]:
                    sat[s] = 1
                    break
    return sat


def explain(scenario: Scenario) -> Explained:
    """Every conflict and relaxation of the scenario's red lines, by enumeration (raises TooLarge)."""
    guard(scenario)
    names = [r.name for r in scenario.red_lines]
    n = len(names)
    started = time.perf_counter()
    masks, total, meeting = red_line_masks(scenario)
    enumerated = time.perf_counter()
    sat = satisfiable_subsets(masks, n)
    bits = [1 << i for i in range(n)]
    full = (1 << n) - 1

    def named(s: int) -> frozenset[str]:
        return frozenset(names[i] for i in range(n) if s >> i & 1)

    muses, mcses = [], []
    for s in range(1 << n):
        if not sat[s]:
            if all(sat[s & ~bit] for bit in bits if s & bit):  # every one-smaller subset can hold
                muses.append(named(s))
        elif all(not sat[s | bit] for bit in bits if not s & bit):  # no red line can be added
            mcses.append(named(full & ~s))  # [∅] when a deal exists
    return Explained(names, [r.weight for r in scenario.red_lines], total, meeting, len(masks), bool(sat[full]),
                     muses, mcses, enumerated - started, time.perf_counter() - enumerated)


def all_muses(scenario: Scenario) -> tuple[list[frozenset[str]], int]:
    """Every minimal conflict, and the number of minimal correction sets (as cpmpy_peer.all_muses)."""
    found = explain(scenario)
    return found.muses, len(found.mcses)


def cheapest_relaxation(scenario: Scenario) -> tuple[list[frozenset[str]], int | None]:
    """Every cheapest set of red lines to give up (by weight), and its cost."""
    found = explain(scenario)
    return found.cheapest, found.cheapest_cost


def main() -> None:
    from feasible.positions import load_scenario

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    try:
        found = explain(scenario)
    except TooLarge as error:
        parser.exit(2, f"{error}\n")
    print(f"{found.assignments:,} assignments ({found.meeting_facts:,} meet the facts, {found.masks} distinct sets "
          f"of red lines met) in {found.enumerate_seconds:.3f} s; 2^{len(found.red_lines)} subsets in "
          f"{found.subset_seconds:.3f} s")
    print("deal exists:", found.deal_exists)
    print(f"{len(found.muses)} conflicts (MUSes):")
    for mus in sorted(found.muses, key=lambda m: (len(m), sorted(m))):
        print("  ", sorted(mus))
    print(f"{len(found.mcses)} relaxations (MCSes); cheapest cost {found.cheapest_cost}:")
    for mcs in sorted(found.mcses, key=lambda m: (found.cost(m), sorted(m))):
        print(f"   {found.cost(mcs)}", sorted(mcs))


if __name__ == "__main__":
    main()
