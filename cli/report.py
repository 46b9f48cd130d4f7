"""Turning a CheckResult into JSON (the documented `feasible/1` format) and into text tables."""

from __future__ import annotations

import os
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from positions import Scenario
from solver import CheckResult, Deal, Room, Verdict

from .safe import json_text
from .words import (FACTS_ALONE, capitalized, conflict_summary, conflicts_count, conflicts_extent,
                    facts_alone_leave_no_deal, first_way_deal, left_out_line, list_cut_short, opened_deal_not_found,
                    opens_a_deal, optimality, possessive, reason_summary, red_lines_then_facts, relaxations_cut_short,
                    said, shared_issues, undecided)

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
        "gap": deal.gap,
        "left_out": list(deal.left_out),
    }


def room_json(scenario: Scenario, room: Room) -> Any:
    kind = scenario.issues[room.issue].kind.value
    if kind == "int":
        return {"min": room.minimum, "max": room.maximum}
    if kind == "set":
        return {"in_every_deal": sorted(room.in_every_deal), "in_no_deal": sorted(room.in_no_deal)}
    return list(room.possible)  # in the issue's own order (false before true; enum values as listed)


def forced(scenario: Scenario, result: CheckResult) -> dict[str, Any]:
    found = {}
    for name, room in result.room.items():
        is_forced, value = room.forced(scenario.issues[name].kind.value)
        if is_forced and room.complete:
            found[name] = value
    return found


def check_doc(scenario: Scenario, result: CheckResult, *, with_deals: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "scenario": scenario.title,
        "verdict": result.verdict.value,
        "objective": result.objective.value,
        "deal": deal_json(result.deal) if result.deal else None,
        "forced": {name: json_value(v) for name, v in forced(scenario, result).items()},
        "room": {name: room_json(scenario, room) for name, room in result.room.items()},
        "room_complete": all(room.complete for room in result.room.values()) if result.room else None,
    }
    if result.verdict is Verdict.NO_DEAL:
        doc["conflicts"] = [conflict_json(scenario, c.red_lines, c.facts) for c in result.conflicts]
        doc["conflicts_complete"] = result.conflicts_complete
        doc["relaxations"] = [{"drop": list(r.drop), "cost": r.cost, "cost_by_party": r.cost_by_party,
                               "deal": deal_json(r.deal) if r.deal else None} for r in result.relaxations]
        doc["relaxations_complete"] = result.relaxations_complete
    if result.verdict is Verdict.DEAL:
        doc["unreachable"] = [{"demand": u.demand, "because": sorted(u.because)} for u in result.unreachable]
        doc["unreachable_complete"] = result.unreachable_complete
    if with_deals:
        doc["deals"] = [deal_json(d) for d in result.deals]
    doc["interrupted"] = result.interrupted
    if result.statistics:
        doc["statistics"] = {"variables": result.statistics.variables,
                             "constraints": result.statistics.constraints, "solves": result.statistics.solves}
    return doc


def conflict_json(scenario: Scenario, red_lines, facts) -> dict[str, Any]:
    return {"red_lines": sorted(red_lines), "facts": sorted(facts),
            "issues": shared_issues(scenario, list(red_lines) + list(facts)),
            "summary": conflict_summary(scenario, red_lines, facts)}


# -- text ---------------------------------------------------------------------------------------------------------

def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) if value else "(none)"
    return str(value)


def show_or_dash(value: Any) -> str:
    """A value as shown to users, or "-" where there is none (an issue new or gone in a comparison)."""
    return "-" if value is None else show_value(value)


def _percent(value) -> str:
    return "-" if value is None else f"{float(value) * 100:.0f}%"


def verdict_line(result: CheckResult) -> Text:
    if result.verdict is Verdict.DEAL:
        proof = optimality(result.deal.optimal, result.deal.gap, result.interrupted, result.objective.value)
        return Text.assemble(("DEAL", "bold green"), f": a package deal every party accepts exists "
                                                     f"({result.objective.value} objective, {proof}).")
    if result.verdict is Verdict.NO_DEAL:
        return Text.assemble(("NO DEAL", "bold red"), ": no package deal satisfies every party's red lines and "
                                                      "the facts.")
    return Text.assemble(("UNKNOWN", "bold yellow"), f": {undecided(result.interrupted)}.")


def _table(*columns: str) -> Table:
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold", expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def deal_table(scenario: Scenario, deal: Deal, room: dict[str, Room]) -> Group:
    """The deal issue by issue: name = value, the room left, and the issue's description underneath."""
    lines: list[RenderableType] = []
    width = max(len(name) for name in deal.values)
    for name, value in deal.values.items():
        line = Text(show_value(value))
        extent = _room_text(scenario, room.get(name))
        if extent:
            line.append(f"   [{extent}]", style="dim")
        lines.append(Hanging(Text(f"  {name.ljust(width)}  ", style="bold"), line))
        description = scenario.issues[name].description
        if description:
            lines.append(Hanging("      ", Text(" ".join(description.split()), style="dim")))
    return Group(*lines)


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
    parts: list[RenderableType] = [Hanging("", Text(scenario.title, style="bold")), Hanging("", verdict_line(result))]
    if result.deal is not None and result.deal.left_out:
        parts.append(Hanging("", Text(left_out_line(scenario, result.deal.left_out))))
    if result.interrupted:
        parts.append(Text("INCOMPLETE: interrupted; what follows is what was found so far.", style="bold yellow"))
    for index, deal in enumerate(result.deals):
        heading = "Best deal" if index == 0 else f"Alternative {index}"
        parts += [Text(""), Text(heading, style="bold underline"), deal_table(scenario, deal, result.room),
                  Text(""), parties_table(scenario, deal)]
    if result.room:
        fixed = forced(scenario, result)
        parts += [Text(""), Hanging("", Text(f"Forced in every deal: {len(fixed)} of {len(scenario.issues)} issues"
                                             + (" (" + ", ".join(fixed) + ")" if fixed else ""), style="bold"), 2)]
    if result.unreachable or not result.unreachable_complete:
        incomplete = "" if result.unreachable_complete else f" ({list_cut_short(result.interrupted)})"
        none = "" if result.unreachable else ": none found"
        parts += [Text(""), Hanging("", Text("Demands no deal can meet" + none + incomplete, style="bold underline"))]
        for item in result.unreachable:
            parts += [Text(""), reason_text(scenario, said(scenario, item.demand), item.because)]
    if result.verdict is Verdict.NO_DEAL:
        parts += conflicts_text(scenario, result) + relaxations_text(scenario, result)
    return Group(*parts)


class Hanging:
    """One paragraph wrapped to the width of the terminal (or COLUMNS), its first line after `lead`, every
    further line indented by `hang` (by default as wide as the lead), so that wrapped lines stay under their
    bullet. Piped without COLUMNS, the paragraph stays one line."""

    def __init__(self, lead: str | Text, body: Text, hang: int | None = None):
        self.lead = Text(lead) if isinstance(lead, str) else lead
        self.body = body
        self.hang = self.lead.cell_len if hang is None else hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        paragraph = Text.assemble(self.lead, self.body)
        if not (console.is_terminal or os.environ.get("COLUMNS")):  # piped: whole lines, for grep and programs
            yield from console.render(paragraph, options)
            return
        first = paragraph.wrap(console, options.max_width, overflow="fold")[0]
        taken = len(first.plain)
        rest = paragraph[taken + len(paragraph.plain[taken:]) - len(paragraph.plain[taken:].lstrip(" ")):]
        lines = [first] + (list(rest.wrap(console, max(options.max_width - self.hang, 20), overflow="fold"))
                           if rest.plain else [])
        for line in lines:
            line.rstrip()  # the space a line was broken at
        text = Text("\n").join(line if i == 0 else Text.assemble(" " * self.hang, line) for i, line in enumerate(lines))
        yield from console.render(text, options.update(no_wrap=True, overflow="ignore"))


def quoted(says: str, indent: str) -> Hanging:
    return Hanging(indent, Text(f"“{says}”"), len(indent) + 1)


def rule_id(name: str, issues: tuple[str, ...], indent: str) -> Hanging:
    return Hanging(indent, Text(f"{name}  (issues: {', '.join(issues) or 'none'})", style="dim"), len(indent) + 2)


def members_text(scenario: Scenario, names: list[str], indent: str = "  ") -> Group:
    """Rules grouped by party, in their own words, with their ids for people who edit the files."""
    lines: list[RenderableType] = []
    groups: dict[str, list] = {}
    for name in names:
        item = said(scenario, name)
        groups.setdefault(item.who, []).append(item)
    for who, items in groups.items():
        lines.append(Hanging(indent, Text(who, style="bold")))
        for item in items:
            lines.append(quoted(item.says, f"{indent}  "))
            lines.append(rule_id(item.name, item.issues, f"{indent}    "))
    return Group(*lines)


def facts_text(scenario: Scenario, names: list[str], indent: str) -> Group:
    """Facts in their words, with their ids: no party heading (a fact is no one's position)."""
    lines: list[RenderableType] = []
    for name in names:
        item = said(scenario, name)
        lines.append(quoted(item.says, indent))
        lines.append(rule_id(item.name, item.issues, f"{indent}  "))
    return Group(*lines)


def rules_text(scenario: Scenario, red_lines, facts, indent: str = "  ") -> list[RenderableType]:
    """The rules behind a conflict or a reason, in one order everywhere: the parties' red lines by party, then
    the facts ("given the facts"; "the facts" when there are only facts)."""
    parts: list[RenderableType] = []
    if red_lines:
        parts.append(members_text(scenario, list(red_lines), indent))
    if facts:
        parts.append(Text(f"{indent}given the facts" if red_lines else f"{indent}the facts", style="italic"))
        parts.append(facts_text(scenario, list(facts), indent + "  "))
    return parts


def reason_text(scenario: Scenario, target, because) -> Group:
    head = Text(f"“{target.says}”", style="bold")
    head.append(f"  {target.name}", style="dim")
    parts: list[RenderableType] = [Hanging(Text(f"  {target.who}: ", style="bold"), head, 4)]
    if not because:
        parts.append(Hanging("    ", Text("no values of the issues can meet it: the rule itself is impossible")))
        return Group(*parts)
    parts.append(Text("    ruled out by:"))
    red_lines, facts = red_lines_then_facts(because)
    return Group(*parts, *rules_text(scenario, red_lines, facts, indent="      "))


def conflicts_text(scenario: Scenario, result: CheckResult) -> list[RenderableType]:
    total = len(result.conflicts)
    extent = conflicts_extent(total, result.conflicts_complete, result.conflicts_cut_by_time, result.interrupted)
    parts: list[RenderableType] = [Text(""), Hanging("", Text(f"Conflicts: {conflicts_count(total)} ({extent})",
                                                              style="bold underline"))]
    for index, conflict in enumerate(result.conflicts, 1):
        parts.append(Text(""))
        parts.append(Hanging(f"{index}. ", Text(conflict_summary(scenario, conflict.red_lines, conflict.facts),
                                                style="bold")))
        parts += rules_text(scenario, conflict.red_lines, conflict.facts)
    return parts


def relaxations_text(scenario: Scenario, result: CheckResult) -> list[RenderableType]:
    cut: list[RenderableType] = [] if result.relaxations_complete else [
        Text(""), Hanging("", Text(relaxations_cut_short(len(result.relaxations), result.interrupted),
                                   style="bold yellow"))]
    if not result.relaxations:
        if facts_alone_leave_no_deal(result):
            return [Text(""), Hanging("", Text(FACTS_ALONE, style="bold"))]
        return cut
    parts: list[RenderableType] = [Text(""), Text("Cheapest ways to a deal (red lines to give up)",
                                                  style="bold underline")]
    shown = {name for conflict in result.conflicts for name in conflict.red_lines}
    for index, relaxation in enumerate(result.relaxations, 1):
        parts.append(Text(""))
        parts.append(Hanging(f"{index}. ", Text(f"Give up {len(relaxation.drop)} red line"
                                                f"{'s' if len(relaxation.drop) != 1 else ''}, cost {relaxation.cost}",
                                                style="bold")))
        parts += _given_up_by_party(scenario, relaxation, shown)
        if relaxation.deal is not None:
            satisfied = ", ".join(f"{o.name} {_percent(o.satisfaction)}" for o in relaxation.deal.outcomes
                                  if o.satisfaction is not None)
            parts.append(Hanging("  ", Text(opens_a_deal(satisfied, relaxation.deal.optimal, result.interrupted))))
            if relaxation.deal.left_out:
                parts.append(Hanging("  ", Text(left_out_line(scenario, relaxation.deal.left_out))))
        else:
            parts.append(Hanging("  ", Text(opened_deal_not_found(result.interrupted))))
    parts += cut
    best = result.relaxations[0].deal
    if best is not None:
        parts += [Text(""), Hanging("", Text(capitalized(first_way_deal(result.relaxations)), style="bold")),
                  deal_table(scenario, best, {})]
    return parts


def _given_up_by_party(scenario: Scenario, relaxation, shown: set[str]) -> list[RenderableType]:
    """One bullet per party: its share of the cost and the red lines it gives up (the party named once);
    red lines not quoted in a conflict above get their words under it."""
    lines: list[RenderableType] = []
    for owner, names in relaxation.by_party().items():
        cost = relaxation.cost_by_party.get(owner)
        share = f" (cost {cost})" if cost is not None else ""
        lines.append(Hanging(f"  - {said(scenario, names[0]).who}{share}: ", Text(", ".join(names)), 4))
        lines += [quoted(said(scenario, name).says, "      ") for name in names if name not in shown]
    return lines


# -- explain ------------------------------------------------------------------------------------------------------

def _question(scenario: Scenario, answer) -> str:
    target = answer.target
    if target.kind.value == "demand":
        who = scenario.party(target.demand.owner).name
        return f"{possessive(who)} demand “{target.demand.says}” ({target.demand.name})"
    if target.kind.value == "value":
        return f"{target.issue} = {show_value(target.value)}"
    return target.issue


def _reason_subject(scenario: Scenario, answer) -> str:
    if answer.target.kind.value == "forced":
        return f"Any value of {answer.target.issue} other than {show_value(answer.forced_value)}"
    return _question(scenario, answer)


def why_text(scenario: Scenario, answer) -> RenderableType:
    target = answer.target
    question = _question(scenario, answer)
    if not answer.decided:
        return Hanging("", Text(f"UNDECIDED: the time limit ran out before {question} was settled; try a longer "
                                "--time-limit.", style="bold yellow"), 2)
    if not answer.any_deal:
        return Hanging("", Text("There is no deal at all, so nothing can be met; run 'feasible check' to see the "
                                "conflicts.", style="bold red"), 2)
    if answer.possible:
        if target.kind.value == "forced":
            head = (f"{target.issue} is not forced: deals settle it in more than one way, e.g. "
                    f"{show_value(answer.witness.values[target.issue])}.")
        elif target.kind.value == "demand":
            head = f"A deal can meet {question}, e.g. this one:"
        else:
            head = f"A deal can have {question}, e.g. this one:"
        return Group(Hanging("", Text(head, style="bold green"), 2), deal_table(scenario, answer.witness, {}))
    if target.kind.value == "forced":
        head = f"Every deal settles {target.issue} = {show_value(answer.forced_value)}; any other value is ruled out by"
    elif target.kind.value == "demand":
        head = f"No deal can meet {question}; it is ruled out by"
    else:
        head = f"No deal has {question}; it is ruled out by"
    reason = answer.reason
    parts: list[RenderableType] = [Hanging("", Text(head + ":", style="bold"), 2)]
    return Group(*parts, *rules_text(scenario, reason.red_lines, reason.facts))


def why_json(scenario: Scenario, answer) -> str:
    target = answer.target
    doc: dict[str, Any] = {
        "format": FORMAT,
        "scenario": scenario.title,
        "target": {"kind": target.kind.value, "text": target.text, "issue": target.issue,
                   "value": json_value(target.value) if target.value is not None else None,
                   "demand": target.demand.name if target.demand else None},
        "decided": answer.decided,
        "any_deal": answer.any_deal,
        "possible": answer.possible,
        "forced_value": json_value(answer.forced_value) if answer.forced_value is not None else None,
        "because": ({"red_lines": sorted(answer.reason.red_lines), "facts": sorted(answer.reason.facts),
                     "issues": shared_issues(scenario, list(answer.reason.red_lines) + list(answer.reason.facts)),
                     "summary": reason_summary(scenario, _reason_subject(scenario, answer),
                                               answer.reason.red_lines, answer.reason.facts)}
                    if answer.reason else None),
        "deal": deal_json(answer.witness) if answer.witness else None,
    }
    return json_text(doc)
