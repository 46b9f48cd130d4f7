"""What-if edits (--with overlays, --drop, --demote, --weight, --set), resolved once into plain operations.

An edit's meaning is defined here only: `resolve_edits` checks each edit against the scenario (with the same
did-you-mean help as the files) and turns it into operations, frozen dataclasses that say which rule, party or
issue changes and how. Two executors run them: `apply_operation` on the loaded model (`check --drop` and
friends), and positions/rewrite.py on the round-trip YAML of the files (`feasible edit`), whose result is loaded
back and compared with the first. Edits are resolved in a fixed order: overlays, drops, demotions, weights, then
settings; each against the scenario as the edits before it left it. A scenario's readings (positions/readings.py)
are edits too, resolved here by the same code.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .acceptance import acceptance_rule
from .errors import UserError
from .kinds import issue_type
from .limits import Limits, override_hint
from .model import (ACCEPT_AT_LEAST_ID, FACTS, RESERVATION_ID, Issue, Party, Rule, RuleKind, RuleRef, Scenario,
                    a_day_it_holds, held_span, taken_on)
from .rules.printer import to_text
from .rules.syntax import Compare, Expr, IntLit, Step
from .suggest import did_you_mean
from .utility import reservation_says

if TYPE_CHECKING:
    from .overlay import Overlay


@dataclass(frozen=True)
class Edits:
    """What-if edits as given on the command line."""

    drop: tuple[str, ...] = ()  # rule names or globs: russia/*, */no-western-troops
    set: tuple[str, ...] = ()  # ISSUE=VALUE
    demote: tuple[str, ...] = ()  # red line names
    overlays: tuple[str | Overlay, ...] = ()  # overlay files, or overlays already loaded (a reading's own)
    weight: tuple[str, ...] = ()  # RULE=W: a demand's weight

    def __bool__(self) -> bool:
        return bool(self.drop or self.set or self.demote or self.overlays or self.weight)


@dataclass(frozen=True)
class AppliedEdit:
    """One edit as applied: what was asked and which rules it touched."""

    kind: str  # with | drop | demote | weight | set
    argument: str
    rules: tuple[str, ...]


# -- the operations ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PutRule:
    """Put a fact, red line or demand in place by id: it replaces the rule of its owner with that id, in its place
    when the section is the same; otherwise (a new id, or a rule moving between red lines and demands) it goes at
    the end of its section."""

    rule: Rule


@dataclass(frozen=True)
class RemoveRule:
    """Remove a fact (owner `facts`), red line or demand."""

    owner: str
    id: str


@dataclass(frozen=True)
class Demote:
    """Move a red line to the end of its party's demands, with its weight (and without its firmness)."""

    party: str
    id: str


@dataclass(frozen=True)
class SetWeight:
    """Give a demand another weight, exactly: a weight range it had (`weight: [LO, HI]`) is gone."""

    party: str
    id: str
    weight: int


@dataclass(frozen=True)
class AddParty:
    party: str
    name: str | None  # None: the party is named by its id


@dataclass(frozen=True)
class RemoveParty:
    party: str


@dataclass(frozen=True)
class RenameParty:
    party: str
    name: str


@dataclass(frozen=True)
class SetLevel:
    """Give a party the accept_at_least level `level`."""

    party: str
    level: int


@dataclass(frozen=True)
class RemoveLevel:
    """Remove a party's accept_at_least level (the rule PARTY/accept-at-least)."""

    party: str


@dataclass(frozen=True)
class RemoveReservation:
    """Remove a party's reservation value (the rule PARTY/reservation; its utility block stays)."""

    party: str


Operation = (PutRule | RemoveRule | Demote | SetWeight | AddParty | RemoveParty | RenameParty | SetLevel | RemoveLevel
             | RemoveReservation)


@dataclass(frozen=True)
class Resolved:
    """Edits resolved against a scenario: the operations, what each edit touched, and the edited scenario."""

    operations: tuple[Operation, ...]
    applied: tuple[AppliedEdit, ...]
    scenario: Scenario


# -- resolving --------------------------------------------------------------------------------------------------------

def resolve_edits(scenario: Scenario, edits: Edits) -> Resolved:
    """Check every edit and turn it into operations; raise UserError (with did-you-mean help) on the first that
    does not fit the scenario as the edits before it left it."""
    steps = _Steps(scenario)
    for item in edits.overlays:
        overlay = _loaded(item, steps.scenario)
        steps.edit("with", item if isinstance(item, str) else overlay.path, lambda: _overlay(steps, overlay))
    for pattern in edits.drop:
        steps.edit("drop", pattern, lambda: _drop(steps, pattern))
    for name in edits.demote:
        steps.edit("demote", name, lambda: _demote(steps, name))
    weighed: set[str] = set()
    for assignment in edits.weight:
        steps.edit("weight", assignment, lambda: _weigh(steps, assignment, weighed))
    settled: set[str] = set()
    for assignment in edits.set:
        steps.edit("set", assignment, lambda: _settle(steps, assignment, settled))
    check_levels(steps.scenario)
    return Resolved(tuple(steps.operations), tuple(steps.applied), steps.scenario)


def apply_edits(scenario: Scenario, edits: Edits) -> tuple[Scenario, list[AppliedEdit]]:
    """The scenario as the edits leave it, and what each edit touched (the original is untouched)."""
    resolved = resolve_edits(scenario, edits)
    return resolved.scenario, list(resolved.applied)


class _Steps:
    """The operations resolved so far, each applied in memory as it is resolved: the next edit is checked against
    what the ones before it left."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.operations: list[Operation] = []
        self.applied: list[AppliedEdit] = []

    def do(self, operation: Operation) -> None:
        self.scenario = apply_operation(self.scenario, operation)
        self.operations.append(operation)

    def edit(self, kind: str, argument: str, resolve: Callable[[], tuple[str, ...]]) -> None:
        touched = resolve()
        self.applied.append(AppliedEdit(kind, argument, touched))


def rule_names(scenario: Scenario) -> list[str]:
    return [r.name for r in scenario.rules()]


def not_today(scenario: Scenario, asked: str, names: Callable[[str], bool]) -> None:
    """A rule named that exists, but not on the day the scenario is taken at: said so with the days it holds,
    rather than "no such rule" (UserError); nothing when no such version exists."""
    version = next((rule for rule in scenario.out_of_day if names(rule.name)), None)
    if version is None:
        return
    held = a_day_it_holds(version.valid_from, version.valid_until, scenario.as_of)
    raise UserError(f"{asked}: {version.name} holds {held_span(version.valid_from, version.valid_until)}, not on the "
                    f"positions taken {taken_on(scenario.as_of)}",
                    hint=f"take the positions of a day it holds, e.g. --as-of {held}")


def _drop(steps: _Steps, pattern: str) -> tuple[str, ...]:
    # A level whose demands the edits before took is no rule for now, but can still be dropped (and must be).
    names = rule_names(steps.scenario) + [RuleRef.acceptance(p.id).name for p in steps.scenario.parties
                                          if p.accept_at_least is not None and p.acceptance is None]
    matched = tuple(n for n in names if fnmatch.fnmatchcase(n, pattern))
    if not matched:
        not_today(steps.scenario, f"--drop {pattern}", lambda name: fnmatch.fnmatchcase(name, pattern))
        hint = did_you_mean(pattern, names) or ("names are PARTY/ID or facts/ID, e.g. " + ", ".join(names[:3])
                                                if names else None)
        raise UserError(f"--drop {pattern}: no red line, demand or fact matches", hint=hint)
    for ref in map(RuleRef.parse, matched):
        steps.do(RemoveLevel(ref.owner) if ref.is_acceptance else RemoveReservation(ref.owner)
                 if is_reservation(steps.scenario, ref) else RemoveRule(ref.owner, ref.id))
    return matched


def is_reservation(scenario: Scenario, ref: RuleRef) -> bool:
    """Whether the rule is a party's reservation value (the loader keeps its id free of the party's own rules)."""
    return ref.id == RESERVATION_ID and not ref.is_fact and any(
        p.id == ref.owner and p.reservation is not None for p in scenario.parties)


def _demote(steps: _Steps, name: str) -> tuple[str, ...]:
    red = {r.name: r for p in steps.scenario.parties for r in p.red_lines}
    if name not in red:
        if "/" in name and RuleRef.parse(name).is_acceptance:
            raise UserError(f"--demote {name}: an accept_at_least level cannot become a demand",
                            hint=f"drop it instead: --drop {name}")
        if "/" in name and is_reservation(steps.scenario, RuleRef.parse(name)):
            raise UserError(f"--demote {name}: a reservation value cannot become a demand: as a demand it would "
                            "have no weight to carry", hint=f"drop it instead: --drop {name}")
        not_today(steps.scenario, f"--demote {name}", lambda other: other == name)
        hint = did_you_mean(name, red) or ("it is not a red line" if name in rule_names(steps.scenario) else None)
        raise UserError(f"--demote {name}: no such red line", hint=hint)
    steps.do(Demote(red[name].owner, red[name].id))
    return (name,)


def _weigh(steps: _Steps, assignment: str, weighed: set[str]) -> tuple[str, ...]:
    """`RULE=W`: the demand RULE weighs W (a red line's weight is the cost of giving it up, which only a demotion
    turns into a demand's). Each demand is weighed once, as each issue is set once."""
    name, equals, raw = assignment.partition("=")
    name = name.strip()
    if not equals:
        raise UserError(f"--weight {assignment}: expected RULE=W", hint="e.g. --weight us/article5-like-offer=3")
    if name in weighed:
        raise UserError(f"--weight {assignment}: {name} is already weighed by an earlier --weight",
                        hint="weigh each demand once")
    weighed.add(name)
    demands = {r.name: r for r in steps.scenario.demands}
    if name not in demands:
        if any(r.name == name for r in steps.scenario.red_lines):
            raise UserError(f"--weight {assignment}: {name} is a red line; only a demand's weight can be set",
                            hint=f"make it a demand first: --demote {name}")
        if any(f.name == name for f in steps.scenario.facts):
            raise UserError(f"--weight {assignment}: {name} is a fact, which has no weight: it holds in every deal")
        not_today(steps.scenario, f"--weight {assignment}", lambda other: other == name)
        examples = "names are PARTY/ID, e.g. " + ", ".join(list(demands)[:3]) if demands else None
        raise UserError(f"--weight {assignment}: no such demand", hint=did_you_mean(name, demands) or examples)
    raw = raw.strip()
    if not re.fullmatch("[0-9]+", raw) or int(raw) < 1:
        raise UserError(f"--weight {assignment}: the weight should be a whole number, 1 or more", hint="e.g. 3")
    weight, limit = int(raw), Limits.from_environment().weight
    if weight > limit:
        raise UserError(f"--weight {assignment}: the weight {weight:,} is more than the limit of {limit:,}",
                        hint=override_hint("weight"))
    steps.do(SetWeight(demands[name].owner, demands[name].id, weight))
    return (name,)


def parse_assignment(scenario: Scenario, assignment: str) -> tuple[str, object, Expr]:
    """`ISSUE=VALUE` (or `SEQUENCE.STEP=PHASE`), checked against the issue's domain: what is set (the issue, or
    SEQUENCE.STEP), the value, and "ISSUE == VALUE" (or "SEQUENCE.STEP == PHASE")."""
    if "=" not in assignment:
        raise UserError(f"--set {assignment}: expected ISSUE=VALUE", hint="e.g. --set ukraine_army_cap_thousands=800")
    name, _, raw = assignment.partition("=")
    name = name.strip()
    issue_name = name.partition(".")[0].strip()
    if issue_name not in scenario.issues:
        raise UserError(f"--set {assignment}: unknown issue '{issue_name}'",
                        hint=did_you_mean(issue_name, scenario.issues))
    from .targets import parse_step_value, parse_value  # only with --set
    issue = scenario.issues[issue_name]
    try:
        if "." in name:
            _, step, phase = parse_step_value(scenario, name, raw)
            return f"{issue_name}.{step}", phase, Compare((Step(issue_name, step), IntLit(phase)), ("==",))
        if issue.steps:
            raise UserError(f"a sequence issue is set one step at a time ({issue.name}.STEP=PHASE)",
                            hint=f"e.g. --set {issue.name}.{issue.steps[0]}=1")
        value = parse_value(issue, raw)
    except UserError as exc:
        raise UserError(f"--set {assignment}: {exc.message}", hint=exc.hint) from None
    return name, value, issue_type(issue).condition(name, value)


def settled_fact_id(issue: str) -> str:
    """The id of the fact `--set ISSUE=VALUE` (`--set SEQUENCE.STEP=PHASE`) puts in place: setting the same issue
    (step) again replaces it. An issue's id has no underscore (its name's become hyphens), so a step's, joined to
    its sequence's by the one underscore, can never be an issue's: `tl.a` is set-tl_a, the issue `tl_a` set-tl-a."""
    sequence, dot, step = issue.partition(".")
    return f"set-{sequence.replace('_', '-')}" + (f"_{step.replace('_', '-')}" if dot else "")


def _settle(steps: _Steps, assignment: str, settled: set[str]) -> tuple[str, ...]:
    """`ISSUE=VALUE` as the fact facts/set-ISSUE, in check as in the files `edit` writes."""
    name, value, expr = parse_assignment(steps.scenario, assignment)
    if name in settled:
        raise UserError(f"--set {assignment}: issue '{name}' is already set by an earlier --set",
                        hint="set each issue once")
    settled.add(name)
    issue = steps.scenario.issues[name.partition(".")[0]]
    shown = issue_type(issue).text(value) if "." not in name else (f"phase {value}" if value else "left out")
    fact = Rule(FACTS, settled_fact_id(name), RuleKind.FACT, f"{name} is settled: {shown or '(none)'}.",
                to_text(expr), expr)
    steps.do(PutRule(fact))
    return (fact.name,)


def _loaded(item: str | Overlay, scenario: Scenario) -> Overlay:
    """An overlay file read and checked against the scenario, or an overlay already loaded (a reading's)."""
    if not isinstance(item, str):
        return item
    from .overlay import load_overlay  # here, not at the top: it needs the loader, which other edits do without

    return load_overlay(Path(item), scenario)


def _overlay(steps: _Steps, overlay: Overlay) -> tuple[str, ...]:
    """An overlay merged by id: an existing id is replaced, a new id is added, `drop: true` removes."""
    touched: list[str] = []
    for change in overlay.facts:
        name = RuleRef.fact(change.id).name
        if change.rule is None:
            if not any(f.id == change.id for f in steps.scenario.facts):
                raise UserError(f"{overlay.path}: cannot drop {name}: there is no such rule",
                                hint=did_you_mean(name, rule_names(steps.scenario)))
            steps.do(RemoveRule(FACTS, change.id))
        else:
            steps.do(PutRule(change.rule))
        touched.append(name)
    for party_change in overlay.parties:
        parties = {p.id: p for p in steps.scenario.parties}
        if party_change.drop:
            if party_change.party not in parties:
                raise UserError(f"{overlay.path}: cannot drop party '{party_change.party}': there is none",
                                hint=did_you_mean(party_change.party, parties))
            steps.do(RemoveParty(party_change.party))
            touched.append(party_change.party)
            continue
        if party_change.party not in parties:
            steps.do(AddParty(party_change.party, party_change.name))
        elif party_change.name is not None:
            steps.do(RenameParty(party_change.party, party_change.name))
        if party_change.accept_at_least is not None:
            steps.do(SetLevel(party_change.party, party_change.accept_at_least))
        for item in party_change.red_lines + party_change.demands:
            name = RuleRef(party_change.party, item.id).name
            if item.rule is None:
                party = steps.scenario.party(party_change.party)
                if not any(r.id == item.id for r in party.red_lines + party.demands):
                    raise UserError(f"{overlay.path}: cannot drop {name}: there is no such rule",
                                    hint=did_you_mean(name, rule_names(steps.scenario)))
                steps.do(RemoveRule(party_change.party, item.id))
            else:
                steps.do(PutRule(item.rule))
            touched.append(name)
    return tuple(touched)


def check_levels(scenario: Scenario) -> None:
    """What the loader refuses in files, refused in the edited scenario: a level with no demands to measure, and a
    rule that takes the name of its party's level."""
    for party in scenario.parties:
        if party.accept_at_least is None:
            continue
        if not party.demands:
            where = f" ({party.location})" if party.location is not None else ""
            raise UserError(f"the edits leave the accept_at_least level of party '{party.id}'{where} with no "
                            "demands to measure",
                            hint=f"keep a demand, or drop the level too: --drop {RuleRef.acceptance(party.id)}")
        if any(r.id == ACCEPT_AT_LEAST_ID for r in party.red_lines + party.demands):
            raise UserError(f"the edits give party '{party.id}' a rule with the id '{ACCEPT_AT_LEAST_ID}', which names "
                            "its accept_at_least level", hint="give the rule another id")
    for party in scenario.parties:
        if party.reservation is not None and any(r.id == RESERVATION_ID for r in party.red_lines + party.demands):
            raise UserError(f"the edits give party '{party.id}' a rule with the id '{RESERVATION_ID}', which names "
                            "its reservation value", hint="give the rule another id")


# -- the executor in memory -------------------------------------------------------------------------------------------

def apply_operation(scenario: Scenario, operation: Operation) -> Scenario:
    """The scenario with one resolved operation applied (the original is untouched). A scenario taken as of a
    day keeps only the rules that hold that day: a dated rule an edit or a reading puts in place holds only on
    its days, as the files' own do. A scenario with no dated position and no day taken has no day to keep to:
    an overlay's dates there say nothing until --as-of names a day."""
    edited = _applied(scenario, operation)
    dated = not scenario.every_version and (scenario.as_of is not None or bool(scenario.dates))
    return headline_kept(rules_on(edited, scenario.as_of) if dated else edited)


def rules_on(scenario: Scenario, day: date | None) -> Scenario:
    """The scenario with only the rules that hold on `day` (None: after its last dated change; model.holds_on).
    A party whose rules are all out of date keeps existing without them; its accept_at_least level is measured on
    the demands valid that day (and is void on a day none is, as a level without demands is refused in files)."""
    facts = tuple(rule for rule in scenario.facts if rule.holds_on(day))
    parties = tuple(_party_on(party, day) for party in scenario.parties)
    if len(facts) == len(scenario.facts) and all(a is b for a, b in zip(parties, scenario.parties)):
        return scenario
    return replace(scenario, facts=facts, parties=parties)


def _party_on(party: Party, day: date | None) -> Party:
    red_lines = tuple(rule for rule in party.red_lines if rule.holds_on(day))
    demands = tuple(rule for rule in party.demands if rule.holds_on(day))
    if len(red_lines) == len(party.red_lines) and len(demands) == len(party.demands):
        return party
    level = party.accept_at_least if demands else None
    acceptance = acceptance_rule(party.id, party.name, demands, level,
                                 party.acceptance.location if party.acceptance else party.location)
    return replace(party, red_lines=red_lines, demands=demands, accept_at_least=level, acceptance=acceptance)


def headline_kept(scenario: Scenario) -> Scenario:
    """The scenario's `headline:` names the red lines of the conflict it exists for: once one of them is given
    up, demoted or gone with its party, that conflict is gone, and so is the headline."""
    red = {rule.name for rule in scenario.red_lines}
    return scenario if set(scenario.headline) <= red else replace(scenario, headline=())


def _applied(scenario: Scenario, operation: Operation) -> Scenario:
    match operation:
        case PutRule(rule) if rule.is_fact:
            return replace(scenario, facts=_put(scenario.facts, rule))
        case PutRule(rule):
            return _with_party(scenario, rule.owner, lambda p: _put_party_rule(p, rule))
        case RemoveRule(owner, rule_id) if RuleRef(owner, rule_id).is_fact:
            return replace(scenario, facts=tuple(f for f in scenario.facts if f.id != rule_id))
        case RemoveRule(owner, rule_id):
            return _with_party(scenario, owner, lambda p: _rebuilt(
                p, _without(p.red_lines, rule_id), _without(p.demands, rule_id), p.accept_at_least))
        case Demote(party_id, rule_id):
            return _with_party(scenario, party_id, lambda p: _rebuilt(
                p, _without(p.red_lines, rule_id), p.demands + tuple(
                    demoted(r) for r in p.red_lines if r.id == rule_id), p.accept_at_least))
        case SetWeight(party_id, rule_id, weight):
            return _with_party(scenario, party_id, lambda p: _rebuilt(p, p.red_lines, tuple(
                replace(r, weight=weight, weight_range=None) if r.id == rule_id else r for r in p.demands),
                p.accept_at_least))
        case AddParty(party_id, name):
            return replace(scenario, parties=scenario.parties + (Party(party_id, name or party_id),))
        case RemoveParty(party_id):
            return replace(scenario, parties=tuple(p for p in scenario.parties if p.id != party_id),
                           issues=without_consenter(scenario.issues, party_id))
        case RenameParty(party_id, name):
            return _with_party(scenario, party_id, lambda p: _rebuilt(
                replace(p, name=name), p.red_lines, p.demands, p.accept_at_least))
        case SetLevel(party_id, level):
            return _with_party(scenario, party_id, lambda p: _rebuilt(p, p.red_lines, p.demands, level))
        case RemoveLevel(party_id):
            return _with_party(scenario, party_id, lambda p: _rebuilt(p, p.red_lines, p.demands, None))
        case RemoveReservation(party_id):
            return _with_party(scenario, party_id, lambda p: replace(
                p, reservation=None, utility=replace(p.utility, reservation=None) if p.utility else None))
    raise TypeError(f"not an edit operation: {operation!r}")


def demoted(rule: Rule) -> Rule:
    """A red line as a demand of its weight: a demand has no firmness (what a red line's `firm:` estimates is
    whether it stays a red line), so a demotion takes `firm:` and its note with it, in memory as in the files."""
    return replace(rule, kind=RuleKind.DEMAND, firm=None, firm_note=None)


def without_consenter(issues: dict[str, Issue], party_id: str) -> dict[str, Issue]:
    """The issues with a removed party out of every `consent:` list that names it (a list left empty: nobody
    must consent to the issue), so that consent stays about the parties there are."""
    return {name: replace(issue, consent=tuple(p for p in issue.consent if p != party_id))
            if issue.consent is not None and party_id in issue.consent else issue for name, issue in issues.items()}


def _with_party(scenario: Scenario, party_id: str, change: Callable[[Party], Party]) -> Scenario:
    return replace(scenario, parties=tuple(change(p) if p.id == party_id else p for p in scenario.parties))


def _put(rules: tuple[Rule, ...], rule: Rule) -> tuple[Rule, ...]:
    """The rules with `rule` in place of the one with its id, or added at the end."""
    if any(r.id == rule.id for r in rules):
        return tuple(rule if r.id == rule.id else r for r in rules)
    return rules + (rule,)


def _put_party_rule(party: Party, rule: Rule) -> Party:
    if rule.kind is RuleKind.RED_LINE:
        return _rebuilt(party, _put(party.red_lines, rule), _without(party.demands, rule.id), party.accept_at_least)
    return _rebuilt(party, _without(party.red_lines, rule.id), _put(party.demands, rule), party.accept_at_least)


def _without(rules: tuple[Rule, ...], rule_id: str) -> tuple[Rule, ...]:
    return tuple(r for r in rules if r.id != rule_id)


def _rebuilt(party: Party, red_lines: tuple[Rule, ...], demands: tuple[Rule, ...], level: int | None) -> Party:
    """The party with new rules; its accept_at_least red line follows its (possibly changed) demands."""
    party = replace(party, red_lines=red_lines, demands=demands, accept_at_least=level)
    reservation = party.reservation  # (in the party's name, which a rename changes)
    if reservation is not None and party.utility is not None:
        reservation = replace(reservation, says=reservation_says(party.name, party.utility))
    return replace(party, acceptance=acceptance_rule(party.id, party.name, demands, level, party.location),
                   reservation=reservation)
