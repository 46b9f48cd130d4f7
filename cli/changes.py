"""Before → after: rendering a Comparison (edits against the baseline, or two versions of a scenario)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from positions import Scenario
from positions.edits import AppliedEdit
from positions.versions import PositionChanges
from solver.compare import Comparison

from .report import Hanging, _percent, _room_text, json_value, room_json, show_or_dash


def edits_doc(applied: list[AppliedEdit]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "argument": e.argument, "rules": list(e.rules)} for e in applied]


def comparison_doc(before: Scenario, after: Scenario, comparison: Comparison) -> dict[str, Any]:
    def fraction(value):
        return None if value is None else round(float(value), 6)

    return {
        "verdict": {"before": comparison.verdict_before.value, "after": comparison.verdict_after.value},
        "conflicts_resolved": [list(c) for c in comparison.conflicts_resolved],
        "conflicts_remaining": [list(c) for c in comparison.conflicts_remaining],
        "conflicts_new": [list(c) for c in comparison.conflicts_new],
        "issues_changed": {
            change.issue: {
                "before": json_value(change.before), "after": json_value(change.after),
                "room_before": room_json(before, change.room_before) if change.room_before else None,
                "room_after": room_json(after, change.room_after) if change.room_after else None,
            } for change in comparison.issues_changed},
        "satisfaction": {party: {"before": fraction(b), "after": fraction(a)}
                         for party, (b, a) in comparison.satisfaction.items()},
    }


def comparison_text(before: Scenario, after: Scenario, comparison: Comparison, heading: str) -> RenderableType:
    parts: list[RenderableType] = [Text(""), Hanging("", Text(heading, style="bold underline"), 2)]
    verdicts = f"{comparison.verdict_before.value} → {comparison.verdict_after.value}"
    parts.append(Text(f"verdict: {verdicts}", style="bold"))
    for label, group in (("resolved", comparison.conflicts_resolved), ("remaining", comparison.conflicts_remaining),
                         ("new", comparison.conflicts_new)):
        for conflict in group:
            parts.append(Hanging(f"conflict {label}: ", Text(", ".join(conflict)), 2))
    for change in comparison.issues_changed:
        value = f"{show_or_dash(change.before)} → {show_or_dash(change.after)}"
        room = f"room {_room_text(before, change.room_before) or '-'} → {_room_text(after, change.room_after) or '-'}"
        parts.append(Hanging(f"{change.issue}: ", Text(f"{value}; {room}"), 2))
    for party, (b, a) in comparison.satisfaction.items():
        name = _party_name(after, party) or _party_name(before, party) or party
        parts.append(Text(f"{name} satisfied: {_percent(b)} → {_percent(a)}"))
    if len(parts) == 3:
        parts.append(Text("nothing else changed"))
    return Group(*parts)


def _party_name(scenario: Scenario, party: str) -> str | None:
    try:
        return scenario.party(party).name
    except KeyError:
        return None


def positions_doc(changes: PositionChanges) -> dict[str, Any]:
    return {
        "parties_added": list(changes.parties_added), "parties_removed": list(changes.parties_removed),
        "issues_added": list(changes.issues_added), "issues_removed": list(changes.issues_removed),
        "issues_changed": list(changes.issues_changed),
        "rules_added": list(changes.rules_added), "rules_removed": list(changes.rules_removed),
        "rules_changed": {name: list(fields) for name, fields in changes.rules_changed},
    }


def positions_text(old: Scenario, new: Scenario, changes: PositionChanges, old_name: str, new_name: str
                   ) -> RenderableType:
    from .words import said

    parts: list[RenderableType] = [Text(f"Positions: {old_name} → {new_name}", style="bold underline")]
    for label, items in (("party added", changes.parties_added), ("party removed", changes.parties_removed),
                         ("issue added", changes.issues_added), ("issue removed", changes.issues_removed),
                         ("issue changed", changes.issues_changed)):
        parts += [Text(f"{label}: {item}") for item in items]
    for name in changes.rules_added:
        parts.append(Text(f"+ {name}: “{said(new, name).says}”", style="green"))
    for name in changes.rules_removed:
        parts.append(Text(f"- {name}: “{said(old, name).says}”", style="red"))
    for name, fields in changes.rules_changed:
        parts.append(Text(f"~ {name}: {', '.join(fields)} changed", style="yellow"))
        for field in fields:
            before, after = _rule_field(old, name, field), _rule_field(new, name, field)
            parts.append(Text(f"    {field}: {before} → {after}", style="dim"))
    if len(parts) == 1:
        parts.append(Text("no position changed"))
    return Group(*parts)


def _rule_field(scenario: Scenario, name: str, field: str) -> str:
    from .words import rule_named

    rule = rule_named(scenario, name)
    value = {"kind": rule.kind.value, "says": rule.says, "rule": rule.text, "weight": rule.weight,
             "source": rule.source}[field]
    return str(value)
