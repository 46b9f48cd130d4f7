"""The text output of `check` and `explain`: rich renderables over the presentation model
(cli/presentation.py), for the terminal or a pipe. Layout only: every sentence comes from the model."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from .presentation import CheckView, DealView, ExplainView, GivenUp, Rules, UnreachableView
from .words import Said, assumptions_heading, capitalized, give_up_line

VERDICT_STYLE = {"deal": "bold green", "no-deal": "bold red", "unknown": "bold yellow"}
EXPLAIN_STYLE = {"undecided": "bold yellow", "no-deal": "bold red", "possible": "bold green", "ruled-out": "bold"}


def verdict_line(view: CheckView) -> Text:
    return Text.assemble((view.verdict_word, VERDICT_STYLE[view.verdict]), f": {view.verdict_sentence}.")


def _table(*columns: str) -> Table:
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold", expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def deal_table(deal: DealView) -> Group:
    """The deal issue by issue: name = value, the room left, and the issue's description underneath."""
    lines: list[RenderableType] = []
    width = max(len(line.label) for line in deal.issues)
    for issue in deal.issues:
        line = Text(issue.cell)
        if issue.room:
            line.append(f"   [{issue.room}]", style="dim")
        lines.append(Hanging(Text(f"  {issue.label.ljust(width)}  ", style="bold"), line))
        if issue.description:
            lines.append(Hanging("      ", Text(" ".join(issue.description.split()), style="dim")))
    if deal.open_note:
        lines += [Text(""), Hanging("  ", Text(f"{deal.open_note}.", style="italic"))]
    if deal.unvaried_note:
        lines += [Text(""), Hanging("  ", Text(f"{deal.unvaried_note}.", style="bold yellow"))]
    return Group(*lines)


def _with_sources(item: Said, sources: bool) -> str:
    """A position's words, and with --sources, the sources it cites."""
    return f"{item.says}  [{item.cited}]" if sources and item.cited else item.says


def parties_table(deal: DealView, sources: bool = False) -> Table:
    table = _table("party", "satisfied", "demands met", "demands not met")
    for party in deal.parties:
        table.add_row(party.name, party.cell,
                      "\n".join(f"+ {_with_sources(d, sources)}" for d in party.met) or "-",
                      "\n".join(f"- {_with_sources(d, sources)}" for d in party.unmet) or "-")
    return table


def sources_text(view: CheckView) -> list[RenderableType]:
    """The scenario's sources, for --sources: id, title, address and date."""
    if not view.sources:
        return []
    parts: list[RenderableType] = [Text(""), Text("Sources", style="bold underline")]
    for source in view.sources:
        line = Text(source.title)
        line.append("".join(f"  {extra}" for extra in (source.url, source.date) if extra), style="dim")
        parts.append(Hanging(Text(f"  {source.id}  ", style="bold"), line, 4))
    return parts


def check_text(view: CheckView, *, sources: bool = False) -> RenderableType:
    """The answer of check; with `sources` (--sources), the sources each quoted position cites, and the list of
    the scenario's sources at the end."""
    parts: list[RenderableType] = [Hanging("", Text(view.title, style="bold"))]
    if view.readings_line:
        parts.append(Hanging("", Text(view.readings_line, style="italic")))
    if view.as_of_line:
        parts.append(Hanging("", Text(view.as_of_line)))
    parts.append(Hanging("", verdict_line(view)))
    if view.deal is not None and view.deal.left_out_line:
        parts.append(Hanging("", Text(view.deal.left_out_line)))
    if view.interrupted_note:
        parts.append(Text(f"INCOMPLETE: {view.interrupted_note}.", style="bold yellow"))
    for index, deal in enumerate(view.deals):
        heading = "Best deal" if index == 0 else f"Alternative {index}"
        parts += [Text(""), Text(heading, style="bold underline"), deal_table(deal), Text(""),
                  parties_table(deal, sources)]
    if view.forced_line:
        parts += [Text(""), Hanging("", Text(view.forced_line, style="bold"), 2)]
    if view.unreachable_heading:
        parts += [Text(""), Hanging("", Text(view.unreachable_heading, style="bold underline"))]
        for item in view.unreachable:
            parts += [Text(""), reason_text(item, sources)]
    if view.verdict == "no-deal":
        parts += conflicts_text(view, sources) + relaxations_text(view, sources)
    if sources:
        parts += sources_text(view)
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


def rule_id(item: Said, indent: str, sources: bool = False) -> Hanging:
    cited = f"  [{item.cited}]" if sources and item.cited else ""
    return Hanging(indent, Text(f"{item.name}  (issues: {', '.join(item.issues) or 'none'}){cited}", style="dim"),
                   len(indent) + 2)


def members_text(items: tuple[Said, ...], indent: str = "  ", sources: bool = False) -> Group:
    """Rules grouped by party, in their own words, with their ids for people who edit the files."""
    lines: list[RenderableType] = []
    groups: dict[str, list[Said]] = {}
    for item in items:
        groups.setdefault(item.who, []).append(item)
    for who, members in groups.items():
        lines.append(Hanging(indent, Text(who, style="bold")))
        for item in members:
            lines.append(quoted(item.says, f"{indent}  "))
            lines.append(rule_id(item, f"{indent}    ", sources))
    return Group(*lines)


def facts_text(items: tuple[Said, ...], indent: str, sources: bool = False) -> Group:
    """Facts in their words, with their ids: no party heading (a fact is no one's position)."""
    lines: list[RenderableType] = []
    for item in items:
        lines.append(quoted(item.says, indent))
        lines.append(rule_id(item, f"{indent}  ", sources))
    return Group(*lines)


def rules_text(rules: Rules, indent: str = "  ", sources: bool = False) -> list[RenderableType]:
    """The rules behind a conflict or a reason, in one order everywhere: the parties' red lines by party, then
    the facts, as the scenario's assumptions ("given the assumptions"; "the assumptions" when there are only facts)."""
    parts: list[RenderableType] = []
    if rules.red_lines:
        parts.append(members_text(rules.red_lines, indent, sources))
    if rules.facts:
        parts.append(Text(indent + assumptions_heading(len(rules.facts), bool(rules.red_lines)), style="italic"))
        parts.append(facts_text(rules.facts, indent + "  ", sources))
    return parts


def reason_text(item: UnreachableView, sources: bool = False) -> Group:
    target = item.demand
    head = Text(f"“{target.says}”", style="bold")
    head.append(f"  {target.name}" + (f"  [{target.cited}]" if sources and target.cited else ""), style="dim")
    parts: list[RenderableType] = [Hanging(Text(f"  {target.who}: ", style="bold"), head, 4)]
    if not item.because.names:
        parts.append(Hanging("    ", Text("no values of the issues can meet it: the rule itself is impossible")))
        return Group(*parts)
    parts.append(Text("    ruled out by:"))
    return Group(*parts, *rules_text(item.because, "      ", sources))


def conflicts_text(view: CheckView, sources: bool = False) -> list[RenderableType]:
    """The conflicts, dispute by dispute when they form more than one."""
    parts: list[RenderableType] = [Text(""), Hanging("", Text(view.conflicts_heading or "", style="bold underline"))]
    if view.headline_missing:
        parts.append(Hanging("", Text(f"{view.headline_missing}.")))
    if view.disputes_heading and len(view.disputes) > 1:
        parts.append(Hanging("", Text(f"{view.disputes_heading}.")))
    for dispute in view.disputes if len(view.disputes) > 1 else ():
        parts += [Text(""), Hanging("", Text(dispute.title, style="bold"))]
        parts += _conflicts(view, dispute.conflicts, sources)
    return parts if len(view.disputes) > 1 else parts + _conflicts(view, range(1, len(view.conflicts) + 1), sources)


def _conflicts(view: CheckView, numbers, sources: bool = False) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for index in numbers:
        conflict = view.conflicts[index - 1]
        parts.append(Text(""))
        parts.append(Hanging(f"{index}. ", Text(conflict.summary, style="bold")))
        parts += rules_text(conflict.rules, sources=sources)
    return parts


def options_text(view: CheckView, shown: set[str], sources: bool = False) -> list[RenderableType]:
    """Each dispute's options, when the cheapest ways combine one option of each."""
    parts: list[RenderableType] = [Text(""), Hanging("", Text(view.combinations or "", style="bold"))]
    for dispute in view.disputes:
        parts += [Text(""), Hanging("", Text(dispute.options_heading, style="bold"))]
        for option in dispute.options:
            if len(option.by_party) == 1:
                (given,) = option.by_party
                names = ", ".join(r.name for r in given.red_lines)
                parts.append(Hanging(f"  - {given.who}: ", Text(f"{names} ({option.cost_line})"), 4))
                parts += [quoted(_with_sources(r, sources), "      ") for r in given.red_lines if r.name not in shown]
            else:
                parts.append(Hanging("  - ", Text(option.cost_line)))
                parts += _given_up(option.by_party, shown, "    ", sources)
        if dispute.more_options:
            parts.append(Hanging("  ", Text(dispute.more_options)))
    return parts


def relaxations_text(view: CheckView, sources: bool = False) -> list[RenderableType]:
    cut: list[RenderableType] = [] if not view.relaxations_cut_short else [
        Text(""), Hanging("", Text(view.relaxations_cut_short, style="bold yellow"))]
    if not view.relaxations:
        if view.facts_alone:
            return [Text(""), Hanging("", Text(view.facts_alone, style="bold"))]
        return cut
    parts: list[RenderableType] = [Text(""), Text("Cheapest ways to a deal (red lines to give up)",
                                                  style="bold underline")]
    shown = {r.name for conflict in view.conflicts for r in conflict.rules.red_lines}
    if view.combinations and len(view.disputes) > 1:
        parts += options_text(view, shown, sources)
        parts += [Text(""), Hanging("", Text(view.combined or "", style="bold"))]
    for index, relaxation in enumerate(view.relaxations, 1):
        parts.append(Text(""))
        parts.append(Hanging(f"{index}. ", Text(give_up_line(len(relaxation.drop), relaxation.cost), style="bold")))
        parts += _given_up(relaxation.by_party, shown, sources=sources)
        parts.append(Hanging("  ", Text(relaxation.opens)))
        if relaxation.deal is not None and relaxation.deal.left_out_line:
            parts.append(Hanging("  ", Text(relaxation.deal.left_out_line)))
    parts += cut
    best = view.relaxations[0].deal
    if best is not None and view.first_way:
        parts += [Text(""), Hanging("", Text(capitalized(view.first_way), style="bold")), deal_table(best)]
    elif view.ties:  # no deal of the first way to show, but the order of the ways still needs saying
        parts += [Text(""), Hanging("", Text(f"{capitalized(view.ties)}.", style="bold"))]
    if view.not_ranked:
        parts += [Text(""), Hanging("", Text(f"{view.not_ranked}.", style="bold yellow"))]
    return parts


def _given_up(by_party: Sequence[GivenUp], shown: set[str], indent: str = "  ", sources: bool = False
              ) -> list[RenderableType]:
    """One bullet per party: its share of the cost and the red lines it gives up (the party named once);
    red lines not quoted in a conflict above get their words under it."""
    lines: list[RenderableType] = []
    for given in by_party:
        share = f" (cost {given.cost})" if given.cost is not None else ""
        lines.append(Hanging(f"{indent}- {given.who}{share}: ", Text(", ".join(r.name for r in given.red_lines)),
                             len(indent) + 2))
        lines += [quoted(_with_sources(r, sources), indent + "    ") for r in given.red_lines if r.name not in shown]
    return lines


# -- explain ------------------------------------------------------------------------------------------------------

def why_text(view: ExplainView) -> RenderableType:
    head = Hanging("", Text(view.answer, style=EXPLAIN_STYLE[view.tone]), 2)
    lead = [Hanging("", Text(view.as_of_line), 2)] if view.as_of_line else []
    lead += [Hanging("", Text(line, style="italic"), 2) for line in (view.readings_line, view.set_aside_line) if line]
    if view.tone == "possible" and view.example is not None:
        tail = [Hanging("  ", Text(view.issues_left_out, style="dim"), 2)] if view.issues_left_out else []
        return Group(*lead, head, deal_table(view.example), *tail)
    if view.tone == "ruled-out" and view.reason is not None:
        return Group(*lead, head, *rules_text(view.reason.rules))
    if view.tone == "no-deal" and view.disputes:
        parts: list[RenderableType] = []
        for index, conflict in enumerate((c for dispute in view.disputes for c in dispute), 1):
            parts += [Hanging(f"{index}. ", Text(conflict.summary, style="bold")), *rules_text(conflict.rules)]
        return Group(*lead, head, *parts)
    return Group(*lead, head)
