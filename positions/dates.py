"""Positions over time: a rule holds from its `valid_from` (inclusive) until its `valid_until` (exclusive, the day
it is superseded); `as_of` takes a scenario as it stood on one day.

The loaded scenario keeps every dated version of a rule (two versions of one id never hold on the same day: the
loader checks it). What answers questions about deals is always a scenario taken as of a day: the command line
and the library's callers apply `as_of` where they build the scenario to check, before readings and what-if
edits, and the solver refuses a scenario that still holds every version (`Scenario.every_version`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from .edits import headline_kept, rules_on
from .errors import UserError
from .model import Rule, Scenario
from .schema import ISO_DATE

DATE_FORMAT = "YYYY-MM-DD"
DATE_EXAMPLE = "e.g. 2026-01-08"

Range = tuple[date | None, date | None]  # (valid_from, valid_until); None: open on that side


def parse_day(text: str, what: str = "--as-of") -> date:
    """A day written YYYY-MM-DD on the command line (UserError, exit 2, otherwise)."""
    if not re.match(ISO_DATE, text):
        raise UserError(f"{what} '{text}' is not a date written {DATE_FORMAT}", hint=DATE_EXAMPLE)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(f"{what} '{text}' is not a date: {exc}", hint=f"write it {DATE_FORMAT}, {DATE_EXAMPLE}") \
            from None


def day_of(text: str | None) -> date | None:
    """A date the schema has already checked (positions/schema.py iso_date), as a `date`."""
    return None if text is None else date.fromisoformat(text)


def overlap(first: Range, second: Range) -> bool:
    """Whether two validity ranges share a day (open ends reach forever)."""
    (start1, end1), (start2, end2) = first, second
    return ((start1 is None or end2 is None or start1 < end2)
            and (start2 is None or end1 is None or start2 < end1))


def rule_dates(rules: Iterable[Rule]) -> tuple[date, ...]:
    """Every day one of the rules starts or stops holding, in order."""
    return tuple(sorted({d for rule in rules for d in (rule.valid_from, rule.valid_until) if d is not None}))


def scenario_dates(scenario: Scenario) -> tuple[date, ...]:
    """The days the scenario names, where its positions change (kept when it is taken as of a day)."""
    return scenario.dates


def has_versions(scenario: Scenario) -> bool:
    """Whether the scenario holds two versions of one rule (as loaded, before it is taken as of a day)."""
    names = [rule.name for rule in scenario.rules()]
    return len(names) != len(set(names))


def standing_day(scenario: Scenario, day: date | None) -> date | None:
    """The day a scenario is taken at: `day`, else the date scenario.yaml gives, else None (after the last
    change, where every rule without `valid_until` holds)."""
    return day if day is not None else scenario.as_of


def as_of(scenario: Scenario, day: date | None = None) -> Scenario:
    """The scenario with only the rules valid on `day` (None: the scenario's own `as_of:`, else after its last
    dated change; positions.edits.rules_on). A headline naming a red line not valid that day is dropped.
    The scenario must hold every version (load_scenario(path, versions=True)) unless `day` is the one it already
    stands at: a scenario taken as of one day has lost the positions of the others, so taking another day of it
    would silently answer with the wrong ones (UserError)."""
    taken = standing_day(scenario, day)
    if not scenario.every_version and scenario.dates and taken != scenario.as_of:
        stands = f"as of {scenario.as_of}" if scenario.as_of else "after its last dated change"
        raise UserError(f"the scenario is already taken {stands}: it no longer holds the positions of other days",
                        hint="load it with every version to take another day: load_scenario(path, versions=True)")
    kept = rules_on(scenario, taken)
    if kept is scenario and taken == scenario.as_of and not scenario.every_version:
        return headline_kept(scenario)
    out_of_day = tuple(rule for rule in scenario.rules() if not rule.holds_on(taken)) if scenario.every_version else ()
    return headline_kept(replace(kept, as_of=taken, every_version=False, out_of_day=out_of_day or kept.out_of_day))
