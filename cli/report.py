"""Turning a CheckResult into JSON (the documented `feasible/1` format) and into text tables."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from positions import Scenario
from solver import CheckResult, Deal, Room, Verdict

FORMAT = "feasible/1"


def json_value(value: Any) -> Any:
    """Issue values as JSON: bools, strings, numbers, and sets as sorted lists."""
    return sorted(value) if isinstance(value, frozenset) else value


def _fraction(value) -> float | None:
    return None if value is None else round(float(value), 6)


def deal_json(deal: Deal) -> dict[str, Any]:
    return {
        "issues": {name: json_value(v) for name, v in deal.values.items()},
        "satisfaction": {p: _fraction(s) for p, s in deal.satisfaction().items()},
        "parties": {o.party: {"satisfaction": _fraction(o.satisfaction), "met": list(o.met), "unmet": list(o.unmet)}
                    for o in deal.outcomes},
        "optimal": deal.optimal,
    }


def room_json(scenario: Scenario, room: Room) -> Any:
    kind = scenario.issues[room.issue].kind.value
    if kind == "int":
        return {"min": room.minimum, "max": room.maximum}
    if kind == "set":
        return {"in_every_deal": sorted(room.in_every_deal), "in_no_deal": sorted(room.in_no_deal)}
    return sorted(room.possible, key=lambda v: (str(type(v)), v))


def forced(scenario: Scenario, result: CheckResult) -> dict[str, Any]:
    found = {}
    for name, room in result.room.items():
        is_forced, value = room.forced(scenario.issues[name].kind.value)
        if is_forced and room.complete:
            found[name] = value
    return found


def check_json(scenario: Scenario, result: CheckResult, *, with_deals: bool) -> str:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "scenario": scenario.title,
        "verdict": result.verdict.value,
        "objective": result.objective.value,
        "deal": deal_json(result.deal) if result.deal else None,
        "forced": {name: json_value(v) for name, v in forced(scenario, result).items()},
        "room": {name: room_json(scenario, room) for name, room in result.room.items()},
        "room_complete": all(room.complete for room in result.room.values()),
    }
    if with_deals:
        doc["deals"] = [deal_json(d) for d in result.deals]
    if result.statistics:
        doc["statistics"] = {"variables": result.statistics.variables,
                             "constraints": result.statistics.constraints, "solves": result.statistics.solves}
    return json.dumps(doc, indent=2, ensure_ascii=False)


# -- text ---------------------------------------------------------------------------------------------------------

def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) if value else "(none)"
    return str(value)


def _percent(value) -> str:
    return "-" if value is None else f"{float(value) * 100:.0f}%"


def verdict_line(result: CheckResult) -> Text:
    if result.verdict is Verdict.DEAL:
        proof = "proved best" if result.deal.optimal else "best found, not proved best within the time limit"
        return Text.assemble(("DEAL", "bold green"), f": a package deal every party accepts exists "
                                                     f"({result.objective.value} objective, {proof}).")
    if result.verdict is Verdict.NO_DEAL:
        return Text.assemble(("NO DEAL", "bold red"), ": no package deal satisfies every party's red lines and "
                                                      "the facts.")
    return Text.assemble(("UNKNOWN", "bold yellow"), ": the time limit ran out before a deal was found or ruled "
                                                     "out; try a longer --time-limit.")


def _table(*columns: str) -> Table:
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold", expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def deal_table(scenario: Scenario, deal: Deal, room: dict[str, Room]) -> Table:
    table = _table("issue", "deal", "room", "what it decides")
    for name, value in deal.values.items():
        issue = scenario.issues[name]
        table.add_row(name, show_value(value), _room_text(scenario, room.get(name)), issue.description or "")
    return table


def _room_text(scenario: Scenario, room: Room | None) -> str:
    if room is None:
        return ""
    kind = scenario.issues[room.issue].kind.value
    suffix = "" if room.complete else " (or more)"
    is_forced, _ = room.forced(kind)
    if is_forced and room.complete:
        return "forced"
    if kind == "int":
        return f"{room.minimum}..{room.maximum}{suffix}"
    if kind == "set":
        parts = []
        if room.in_every_deal:
            parts.append("always " + ", ".join(room.in_every_deal))
        if room.in_no_deal:
            parts.append("never " + ", ".join(room.in_no_deal))
        return ("; ".join(parts) or "open") + suffix
    return " | ".join(show_value(v) for v in room.possible) + suffix


def parties_table(scenario: Scenario, deal: Deal) -> Table:
    table = _table("party", "satisfied", "demands met", "demands not met")
    for outcome in deal.outcomes:
        says = {d.name: d.says for d in scenario.party(outcome.party).demands}
        table.add_row(outcome.name, _percent(outcome.satisfaction),
                      "\n".join(f"+ {says[n]}" for n in outcome.met) or "-",
                      "\n".join(f"- {says[n]}" for n in outcome.unmet) or "-")
    return table


def check_text(scenario: Scenario, result: CheckResult) -> RenderableType:
    parts: list[RenderableType] = [Text(scenario.title, style="bold"), verdict_line(result)]
    for index, deal in enumerate(result.deals):
        heading = "Best deal" if index == 0 else f"Alternative {index}"
        parts += [Text(""), Text(heading, style="bold underline"), deal_table(scenario, deal, result.room),
                  Text(""), parties_table(scenario, deal)]
    if result.room:
        fixed = forced(scenario, result)
        parts += [Text(""), Text(f"Forced in every deal: {len(fixed)} of {len(scenario.issues)} issues "
                                 + ("(" + ", ".join(fixed) + ")" if fixed else ""), style="bold")]
    return Group(*parts)
