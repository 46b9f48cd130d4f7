"""What-if edits applied to a loaded scenario (never to its files): drop, set, demote, and overlays.

Each edit is checked against the scenario with the same did-you-mean help as the files, and the result is a
new Scenario; the original is untouched. Applied in a fixed order: overlays, drops, demotions, then pins.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .acceptance import ACCEPT_AT_LEAST_ID, acceptance_rule
from .errors import UserError
from .model import Party, Rule, RuleKind, Scenario
from .rules.printer import to_text
from .rules.syntax import Compare, Name
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .overlay import Overlay



@dataclass(frozen=True)
class Edits:
    """What-if edits as given on the command line."""

    drop: tuple[str, ...] = ()  # rule names or globs: russia/*, */no-western-troops
    set: tuple[str, ...] = ()  # ISSUE=VALUE
    demote: tuple[str, ...] = ()  # red line names
    overlays: tuple[str, ...] = ()  # overlay files

    def __bool__(self) -> bool:
        return bool(self.drop or self.set or self.demote or self.overlays)


@dataclass(frozen=True)
class AppliedEdit:
    """One edit as applied: what was asked and which rules it touched."""

    kind: str  # drop | set | demote | with
    argument: str
    rules: tuple[str, ...]


def apply_edits(scenario: Scenario, edits: Edits) -> tuple[Scenario, list[AppliedEdit]]:
    from .overlay import load_overlay  # here, not at the top: plain checks need none of this module

    applied: list[AppliedEdit] = []
    for path in edits.overlays:
        overlay = load_overlay(Path(path), scenario)
        scenario, touched = apply_overlay(scenario, overlay)
        applied.append(AppliedEdit("with", path, touched))
    for pattern in edits.drop:
        scenario, touched = drop(scenario, pattern)
        applied.append(AppliedEdit("drop", pattern, touched))
    for name in edits.demote:
        scenario = demote(scenario, name)
        applied.append(AppliedEdit("demote", name, (name,)))
    for assignment in edits.set:
        scenario, pin = pin_issue(scenario, assignment)
        applied.append(AppliedEdit("set", assignment, (pin,)))
    return scenario, applied


def rule_names(scenario: Scenario) -> list[str]:
    return [r.name for r in scenario.rules() if r.owner != "set"]


def drop(scenario: Scenario, pattern: str) -> tuple[Scenario, tuple[str, ...]]:
    """Remove every red line, demand or fact whose name matches the pattern (a name or a glob)."""
    names = rule_names(scenario)
    matched = tuple(n for n in names if fnmatch.fnmatchcase(n, pattern))
    if not matched:
        hint = did_you_mean(pattern, names) or ("names are PARTY/ID or facts/ID, e.g. " + ", ".join(names[:3])
                                                if names else None)
        raise UserError(f"--drop {pattern}: no red line, demand or fact matches", hint=hint)
    gone = set(matched)
    parties = []
    for party in scenario.parties:
        level = None if f"{party.id}/{ACCEPT_AT_LEAST_ID}" in gone else party.accept_at_least
        parties.append(_rebuilt(party, tuple(r for r in party.red_lines if r.name not in gone),
                                tuple(d for d in party.demands if d.name not in gone), level))
    facts = tuple(f for f in scenario.facts if f.name not in gone)
    return replace(scenario, parties=tuple(parties), facts=facts), matched


def demote(scenario: Scenario, name: str) -> Scenario:
    """Turn a red line into a demand of the same party, with the same weight ("what if it is negotiable?")."""
    red = {r.name: r for p in scenario.parties for r in p.red_lines}
    if name not in red:
        if name.endswith("/" + ACCEPT_AT_LEAST_ID):
            raise UserError(f"--demote {name}: an accept_at_least level cannot become a demand",
                            hint=f"drop it instead: --drop {name}")
        hint = did_you_mean(name, red) or ("it is not a red line" if name in rule_names(scenario) else None)
        raise UserError(f"--demote {name}: no such red line", hint=hint)
    rule = red[name]
    parties = []
    for party in scenario.parties:
        if party.id == rule.owner:
            party = _rebuilt(party, tuple(r for r in party.red_lines if r.name != name),
                             party.demands + (replace(rule, kind=RuleKind.DEMAND),), party.accept_at_least)
        parties.append(party)
    return replace(scenario, parties=tuple(parties))


def parse_assignment(scenario: Scenario, assignment: str) -> tuple[str, object, Compare]:
    """`ISSUE=VALUE`, checked against the issue's domain: the issue, the value, and "ISSUE == VALUE"."""
    if "=" not in assignment:
        raise UserError(f"--set {assignment}: expected ISSUE=VALUE", hint="e.g. --set ukraine_army_cap_thousands=800")
    name, _, raw = assignment.partition("=")
    name = name.strip()
    if name not in scenario.issues:
        raise UserError(f"--set {assignment}: unknown issue '{name}'", hint=did_you_mean(name, scenario.issues))
    from .targets import parse_value, value_literal  # only with --set
    try:
        value = parse_value(scenario.issues[name], raw)
    except UserError as exc:
        raise UserError(f"--set {assignment}: {exc.message}", hint=exc.hint) from None
    return name, value, Compare((Name(name), value_literal(value)), ("==",))


def pin_issue(scenario: Scenario, assignment: str) -> tuple[Scenario, str]:
    """`ISSUE=VALUE` as the red line set/ISSUE."""
    name, value, expr = parse_assignment(scenario, assignment)
    if any(p.id == name for p in scenario.pins):
        raise UserError(f"--set {assignment}: issue '{name}' is already set")
    shown = ", ".join(sorted(value)) if isinstance(value, frozenset) else str(value).lower() \
        if isinstance(value, bool) else str(value)
    pin = Rule("set", name, RuleKind.RED_LINE, f"What if {name} is {shown or '(none)'}?", to_text(expr), expr)
    return replace(scenario, pins=scenario.pins + (pin,)), pin.name


def apply_overlay(scenario: Scenario, overlay: Overlay) -> tuple[Scenario, tuple[str, ...]]:
    """Merge an overlay by id: an existing id is replaced, a new id is added, `drop: true` removes."""
    touched: list[str] = []
    facts = list(scenario.facts)
    for change in overlay.facts:
        facts = _merged(facts, change.id, change.rule, f"facts/{change.id}", touched)
    parties = {p.id: p for p in scenario.parties}
    order = [p.id for p in scenario.parties]
    for change in overlay.parties:
        if change.drop:
            if change.party not in parties:
                raise UserError(f"{overlay.path}: cannot drop party '{change.party}': there is none",
                                hint=did_you_mean(change.party, parties))
            del parties[change.party]
            order.remove(change.party)
            touched.append(change.party)
            continue
        party = parties.get(change.party) or Party(change.party, change.name or change.party)
        if change.party not in parties:
            order.append(change.party)
        red, wants = list(party.red_lines), list(party.demands)
        for kind, section in ((RuleKind.RED_LINE, change.red_lines), (RuleKind.DEMAND, change.demands)):
            for item in section:
                name = f"{change.party}/{item.id}"
                exists = any(r.id == item.id for r in red + wants)
                if item.rule is None and not exists:
                    raise UserError(f"{overlay.path}: cannot drop {name}: there is no such rule",
                                    hint=did_you_mean(name, rule_names(scenario)))
                red = [r for r in red if r.id != item.id]
                wants = [d for d in wants if d.id != item.id]
                if item.rule is not None:
                    (red if kind is RuleKind.RED_LINE else wants).append(item.rule)
                touched.append(name)
        level = change.accept_at_least if change.accept_at_least is not None else party.accept_at_least
        if level is not None and not wants:
            raise UserError(f"{overlay.path}: party '{change.party}' has accept_at_least but no demands to measure",
                            hint="add demands, or remove accept_at_least")
        party = replace(party, name=change.name or party.name)
        parties[change.party] = _rebuilt(party, tuple(red), tuple(wants), level)
    return replace(scenario, facts=tuple(facts), parties=tuple(parties[p] for p in order)), tuple(touched)


def _merged(rules: list[Rule], rule_id: str, new: Rule | None, name: str, touched: list[str]) -> list[Rule]:
    exists = any(r.id == rule_id for r in rules)
    if new is None and not exists:
        raise UserError(f"cannot drop {name}: there is no such rule")
    touched.append(name)
    if exists:
        return [new if r.id == rule_id else r for r in rules if new is not None or r.id != rule_id]
    return rules + [new]


def _rebuilt(party: Party, red_lines: tuple[Rule, ...], demands: tuple[Rule, ...], level: int | None) -> Party:
    """The party with new rules; its accept_at_least red line follows its (possibly changed) demands."""
    party = replace(party, red_lines=red_lines, demands=demands, accept_at_least=level)
    return replace(party, acceptance=acceptance_rule(party.id, party.name, demands, level, party.location))
