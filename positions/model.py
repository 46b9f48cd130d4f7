"""The loaded scenario: what the solver works from. Plain frozen dataclasses, every rule with its label."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from datetime import date
from enum import Enum
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .location import Location
from .packages import Package
from .rules.syntax import names
from .sources import cited_ids

if TYPE_CHECKING:  # the rule language imports this module for Issue
    from .readings import Question, Reading
    from .rules.checker import Types
    from .rules.syntax import Expr
    from .utility import Utility


class IssueKind(str, Enum):
    """The kinds of issue a deal decides."""

    BOOL = "bool"  #: yes or no
    ENUM = "enum"  #: exactly one of a list of values
    INT = "int"  #: a whole number between min and max
    SET = "set"  #: any subset of a list of values
    SEQUENCE = "sequence"  #: an order of steps: each present step gets a phase (a left-out step has phase 0)


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
    label: str | None = None  # how people read the issue (cli/words.py issue_label falls back to the name)
    status_quo: Any = None  # the value as things stand (bool, str, int, frozenset or Phases), if the scenario says
    consent: tuple[str, ...] | None = None  # the parties that must consent to it, as written (Scenario.consenting)
    steps: tuple[str, ...] = ()  # sequence issues: the steps, in the order the scenario lists them
    phases: int | None = None  # sequence issues: how many phases (ties allowed); None: a strict order
    optional: tuple[str, ...] = ()  # sequence issues: the steps a deal may leave out

    @property
    def top_phase(self) -> int:
        """Sequence issues: the last phase a step can take (a strict order has as many phases as steps)."""
        return self.phases or len(self.steps)


FACTS = "facts"  # the owner of the facts in rule names (facts/ID): no party may take it
ACCEPT_AT_LEAST_ID = "accept-at-least"  # the id of a party's accept_at_least level as a red line
RESERVATION_ID = "reservation"  # the id of a party's reservation value as a red line (positions/utility.py)


def holds_on(valid_from: date | None, valid_until: date | None, day: date | None) -> bool:
    """Whether something dated from `valid_from` (inclusive) until `valid_until` (exclusive) holds on `day` (None:
    after the scenario's last dated change, where only what has no end still holds): rules and readings alike."""
    if day is None:
        return valid_until is None
    return (valid_from is None or valid_from <= day) and (valid_until is None or day < valid_until)


def held_span(valid_from: date | None, valid_until: date | None) -> str:
    """The days something dated holds, in words: "from D", "until D (exclusive)", or both."""
    return " and ".join(part for part in (f"from {valid_from}" if valid_from else "",
                                          f"until {valid_until} (exclusive)" if valid_until else "") if part)


def taken_on(day: date | None) -> str:
    """The day positions are taken at, in words ("as of D", or after the last dated change)."""
    return f"as of {day}" if day else "after their last dated change"


def a_day_it_holds(valid_from: date | None, valid_until: date | None, day: date | None) -> date | None:
    """A day something dated holds, nearest `day` (which it does not hold on): its first day when `day` is before
    it, else its last."""
    if valid_from is not None and (day is None and valid_until is None or day is not None and day < valid_from):
        return valid_from
    return valid_until - timedelta(days=1) if valid_until is not None else valid_from


@dataclass(frozen=True, order=True)
class RuleRef:
    """Which rule: its owner (a party id, or FACTS) and its id. Written "OWNER/ID" everywhere outside a party
    (command lines, JSON, text); `parse` is the one place such a name is taken apart."""

    owner: str
    id: str

    @classmethod
    def parse(cls, name: str) -> RuleRef:
        owner, slash, rule_id = name.partition("/")
        if not slash or not owner or not rule_id:
            raise ValueError(f"not a rule name (OWNER/ID): {name!r}")
        return cls(owner, rule_id)

    @classmethod
    def fact(cls, fact_id: str) -> RuleRef:
        return cls(FACTS, fact_id)

    @classmethod
    def acceptance(cls, party_id: str) -> RuleRef:
        """The red line that stands for a party's accept_at_least level."""
        return cls(party_id, ACCEPT_AT_LEAST_ID)

    @property
    def name(self) -> str:
        return f"{self.owner}/{self.id}"

    @property
    def is_fact(self) -> bool:
        return self.owner == FACTS

    @property
    def is_acceptance(self) -> bool:
        return not self.is_fact and self.id == ACCEPT_AT_LEAST_ID

    def __str__(self) -> str:
        return self.name


class RuleKind(str, Enum):
    """What a rule is to its owner."""

    FACT = "fact"  #: holds in every deal; never negotiable
    RED_LINE = "red line"  #: must hold in any deal its party accepts
    DEMAND = "demand"  #: wanted, with a weight


@dataclass(frozen=True)
class Rule:
    """One fact, red line or demand, with everything needed to show it in its author's words."""

    owner: str  # party id, or FACTS
    id: str
    kind: RuleKind
    says: str
    text: str
    expr: Expr
    weight: int = 1
    source: str | None = None
    location: Location | None = field(default=None, compare=False)
    types: Types | None = field(default=None, compare=False, repr=False)  # the checker's types of `expr`'s nodes
    valid_from: date | None = None  # holds from this day (inclusive); None: always held
    valid_until: date | None = None  # superseded on this day (exclusive); None: still holds
    # Uncertain positions (positions/uncertainty.py). Compared: a scenario with another firmness is another one.
    firm: Fraction | None = None  # red lines: the probability that it holds as a red line; None: firm (`firm: 1`)
    firm_note: str | None = None  # why that estimate, citing sources as `says` does
    weight_range: tuple[int, int] | None = None  # demands: the weight is drawn from LO..HI; `weight` is the nominal

    def holds_on(self, day: date | None) -> bool:
        """Whether the position holds on `day`, or (None) after the scenario's last dated change."""
        return holds_on(self.valid_from, self.valid_until, day)

    @property
    def ref(self) -> RuleRef:
        return RuleRef(self.owner, self.id)

    @cached_property  # shown with every quote of the rule in reports: printed once
    def printed(self) -> str:
        """The rule as the rule printer writes it (positions/rules/printer.py)."""
        from .rules.printer import to_text  # the rule language imports this module

        return to_text(self.expr)

    @cached_property
    def source_ids(self) -> tuple[str, ...]:
        """The ids `source:` names (positions/sources.py): sources of the scenario when it lists any (the loader
        checked them), else pieces of free text."""
        return cited_ids(self.source)

    @cached_property  # asked for constantly by the solver; a frozen dataclass has a __dict__ to keep it in
    def name(self) -> str:
        """The rule's name everywhere outside its party: PARTY/ID or facts/ID."""
        return self.ref.name

    @property
    def is_fact(self) -> bool:
        return self.kind is RuleKind.FACT

    @property
    def is_acceptance(self) -> bool:
        """Whether this is the red line that stands for a party's accept_at_least level."""
        return self.ref.is_acceptance


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    red_lines: tuple[Rule, ...] = ()
    demands: tuple[Rule, ...] = ()
    accept_at_least: int | None = None  # percent of total demand weight
    acceptance: Rule | None = None  # accept_at_least as the red line `accept-at-least`
    location: Location | None = field(default=None, compare=False)
    consent: tuple[str, ...] | None = None  # the issues that need its consent, as written (Scenario.consenting)
    utility: Utility | None = None  # its utility block (positions/utility.py); None: its demand satisfaction
    reservation: Rule | None = None  # the block's reservation value as the red line `reservation`

    @property
    def demand_weight(self) -> int:
        return sum(d.weight for d in self.demands)

    @property
    def binding(self) -> tuple[Rule, ...]:
        """Every red line of the party, its accept_at_least level and its reservation value included."""
        return self.red_lines + ((self.acceptance,) if self.acceptance else ()) + \
            ((self.reservation,) if self.reservation else ())


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
    caveats: tuple[str, ...] = ()
    headline: tuple[str, ...] = ()  # red lines (PARTY/ID) of the conflict shown first when it is found
    packages: tuple[Package, ...] = ()  # the plans on the table, as written (positions/packages.py)
    origin: Path | None = field(default=None, compare=False)  # the directory or file it was loaded from
    files: tuple[Path, ...] = field(default=(), compare=False)
    readings: tuple[Reading, ...] = ()  # named readings of the positions (positions/readings.py)
    questions: tuple[Question, ...] = ()  # readings that disagree on one point
    readings_used: tuple[str, ...] = ()  # the readings applied (positions.readings.under_readings); () as loaded
    # Positions over time (positions/dates.py). As loaded, `as_of` is the date scenario.yaml gives (the default
    # for --as-of) and every dated version of a rule is kept; taken as of a day, it is that day (None: after the
    # last change) and only the rules valid then are left. `dates` names every day a rule starts or stops
    # holding, kept when the scenario is taken as of a day, so that answers can say which day they are about.
    as_of: date | None = None
    dates: tuple[date, ...] = ()
    # True while the scenario holds every dated version of its positions (load_scenario(..., versions=True)):
    # nothing may be checked until it is taken as of a day (positions.dates.as_of), which clears it.
    every_version: bool = False
    # Taken as of a day: the versions of positions that do not hold that day, so that naming one can be answered
    # with the days it holds rather than "no such rule".
    out_of_day: tuple[Rule, ...] = field(default=(), compare=False, repr=False)

    def party(self, party_id: str) -> Party:
        return self._parties[party_id]

    def consenting(self, issue_name: str) -> frozenset[str]:
        """The parties (ids) that must consent to the issue: those its `consent:` names when it has one; else every
        party without a `consent:` list and every party whose list names the issue (the default, no list
        anywhere: everyone consents to everything). The loader refuses an issue and a party that disagree."""
        issue = self.issues[issue_name]
        if issue.consent is not None:
            return frozenset(issue.consent)
        return frozenset(p.id for p in self.parties if p.consent is None or issue_name in p.consent)

    def cited(self, rule: Rule) -> tuple[Source, ...]:
        """The sources a rule cites, in the order it cites them (none when the scenario lists no sources)."""
        by_id = self._sources
        return tuple(by_id[i] for i in rule.source_ids if i in by_id)

    def rule(self, ref: RuleRef | str) -> Rule:
        """The fact, red line (accept_at_least levels included) or demand with this reference or name."""
        return self._rules[ref.name if isinstance(ref, RuleRef) else ref]

    def has_rule(self, ref: RuleRef | str) -> bool:
        return (ref.name if isinstance(ref, RuleRef) else ref) in self._rules

    # Indexes, built on first use: a scenario is frozen, and an edit makes a new one (with new indexes).
    @cached_property
    def _parties(self) -> dict[str, Party]:
        return {party.id: party for party in self.parties}

    @cached_property
    def _sources(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    @cached_property
    def _rules(self) -> dict[str, Rule]:
        return {rule.name: rule for rule in self.rules()}

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


def rules_by_issue(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    """Issue → the rules (of those given, in their order) that mention it: built once, so that a question about
    one issue looks at its rules only instead of walking every rule."""
    found: dict[str, list[Rule]] = {}
    for rule in rules:
        for issue in names(rule.expr):
            found.setdefault(issue, []).append(rule)
    return found
