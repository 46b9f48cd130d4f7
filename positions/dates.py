"""Positions over time: a rule holds from its `valid_from` (inclusive) until its `valid_until` (exclusive, the day
it is superseded); `as_of` takes a scenario as it stood on one day.

The loaded scenario keeps every dated version of a rule (two versions of one id never hold on the same day: the
loader checks it). What answers questions about deals is always a scenario taken as of a day: the command line
and the library's callers apply `as_of` where they build the scenario to check, before readings and what-if
edits, and the solver refuses a scenario that still holds two versions of one rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from .acceptance import acceptance_rule
from .edits import headline_kept
from .errors import UserError
from .model import Party, Rule, Scenario
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
    dated change). A party whose rules are all out of date keeps existing without them; its accept_at_least
    level is measured on the demands valid that day (and is void on a day none is); a headline naming a red line
    not valid that day is dropped.
    An undated scenario comes back unchanged."""
    taken = standing_day(scenario, day)
    if not scenario.dates:
        return scenario if taken == scenario.as_of else replace(scenario, as_of=taken)
    last = scenario.dates[-1]  # after the last change, as on its day: every rule with no end holds
    on = taken if taken is not None else last
    facts = _valid(scenario.facts, on)
    parties = tuple(_party_on(party, on) for party in scenario.parties)
    return headline_kept(replace(scenario, facts=facts, parties=parties, as_of=taken))


def _valid(rules: tuple[Rule, ...], day: date) -> tuple[Rule, ...]:
    return tuple(rule for rule in rules if rule.valid_on(day))


def _party_on(party: Party, day: date) -> Party:
    red_lines, demands = _valid(party.red_lines, day), _valid(party.demands, day)
    if len(red_lines) == len(party.red_lines) and len(demands) == len(party.demands):
        return party
    level = party.accept_at_least if demands else None  # as in the files: a level needs demands to measure
    acceptance = acceptance_rule(party.id, party.name, demands, level,
                                 party.acceptance.location if party.acceptance else party.location)
    return replace(party, red_lines=red_lines, demands=demands, accept_at_least=level, acceptance=acceptance)
