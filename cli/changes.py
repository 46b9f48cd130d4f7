"""Before → after as text: a comparison (edits against the baseline, or two versions of a scenario) and the
positions `diff` found changed, rendered from the presentation model (cli/presentation.py)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from .presentation import ComparisonView, PositionsView
from .report import Hanging
from .words import percent


def comparison_text(comparison: ComparisonView, heading: str) -> RenderableType:
    parts: list[RenderableType] = [Text(""), Hanging("", Text(heading, style="bold underline"), 2)]
    parts.append(Text(f"verdict: {comparison.verdict_before} → {comparison.verdict_after}",
                      style="bold"))
    parts.append(Hanging("", Text(comparison.distance_line), 2))
    for label, group in comparison.conflict_groups:
        for conflict in group:
            parts.append(Hanging(f"conflict {label}: ", Text(", ".join(conflict)), 2))
    for change in comparison.issues_changed:
        value = f"{change.shown_before} → {change.shown_after}"
        room = (f"room {change.room_before.words if change.room_before else '-'} → "
                f"{change.room_after.words if change.room_after else '-'}")
        parts.append(Hanging(f"{change.label}: ", Text(f"{value}; {room}"), 2))
    for party in comparison.satisfaction:
        parts.append(Text(f"{party.name} satisfied: {percent(party.before)} → {percent(party.after)}"))
    if len(parts) == 4:
        parts.append(Text("nothing else changed"))
    return Group(*parts)


def positions_text(positions: PositionsView, old_name: str, new_name: str) -> RenderableType:
    parts: list[RenderableType] = [Text(f"Positions: {old_name} → {new_name}", style="bold underline")]
    for label, items in positions.labelled:
        parts += [Text(f"{label}: {item}") for item in items]
    for rule in positions.rules_added:
        parts.append(Text(f"+ {rule.name}: “{rule.says}”", style="green"))
    for rule in positions.rules_removed:
        parts.append(Text(f"- {rule.name}: “{rule.says}”", style="red"))
    for change in positions.rules_changed:
        parts.append(Text(f"~ {change.name}: {', '.join(f.field for f in change.fields)} changed", style="yellow"))
        for field in change.fields:
            parts.append(Text(f"    {field.field}: {field.before} → {field.after}", style="dim"))
    if len(parts) == 1:
        parts.append(Text("no position changed"))
    return Group(*parts)
