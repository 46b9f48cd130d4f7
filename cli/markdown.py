"""`--format markdown`: a report to paste into a memo, in the parties' own words, with sources as links."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .presentation import CheckReport, CheckView, ComparisonView, DealView, DiffView, IssueLine, Rules
from .safe import is_web_url, markdown_link_target, markdown_text, terminal_text
from .words import Said, assumptions_heading, capitalized, listed_item, percent

if TYPE_CHECKING:
    from feasible.positions.model import Source


def cell(text: object) -> str:
    """Words from the files (or the command line) as inline Markdown text: one line, no active syntax."""
    return " ".join(markdown_text(str(text)).split()).replace("|", "\\|")


_cell = cell


def _verdict(view: CheckView) -> str:
    return f"**{capitalized(view.verdict_word.lower())}.** {capitalized(view.verdict_sentence)}."


def _code(text: str) -> str:
    """Text from the files as a code span: fenced with more backticks than it holds, so it cannot end early."""
    plain = " ".join(terminal_text(text).split())
    fence = "`" * (max((len(run) for run in re.findall("`+", plain)), default=0) + 1)
    padded = f" {plain} " if plain.startswith("`") or plain.endswith("`") else plain
    return f"{fence}{padded}{fence}"


def _cited(item: Said) -> str:
    """The sources a position cites, each a link to its address when that is a web address (titles and dates are
    in the list of sources at the end); or its source as free text, when the scenario lists none."""
    if item.sources:
        return " — sources: " + ", ".join(f"[{_cell(s.id)}](<{markdown_link_target(s.url)}>)" if is_web_url(s.url)
                                          else _cell(s.id) for s in item.sources)
    return f" — source: {_cell(item.source_note)}" if item.source_note else ""


def _quoted(item: Said) -> str:
    """A position in its party's words, with its name, its sources and its rule."""
    return f"“{_cell(item.says)}” (`{item.name}`){_cited(item)}; rule: {_code(item.rule)}"


def rules_markdown(rules: Rules) -> list[str]:
    """The rules behind a conflict or a reason, in the order of every format: red lines by party, then the facts
    (no party's words, so no party named)."""
    lines = [f"- **{_cell(item.who)}**: {_quoted(item)}" for item in rules.red_lines]
    if rules.facts:
        lines += ["", f"{capitalized(assumptions_heading(len(rules.facts), bool(rules.red_lines)))}:", ""]
        lines += [f"- {_quoted(item)}" for item in rules.facts]
    return lines


_rules = rules_markdown


def caveats_markdown(caveats: Sequence[str]) -> list[str]:
    """The scenario's caveats as a Markdown section (none: no lines), for every command that shows them."""
    return ["## Caveats", ""] + [f"- {cell(caveat)}" for caveat in caveats] + [""] if caveats else []


def _about(view: CheckView) -> list[str]:
    """The scenario's caveats and its description, before any answer."""
    out = caveats_markdown(view.caveats)
    if view.description_paragraphs:
        out += ["## About this scenario", ""]
        for paragraph in view.description_paragraphs:
            out += [markdown_text(line) for line in paragraph.splitlines()] + [""]
    return out


def _deal_cell(issue: IssueLine) -> str:
    """The deal's value of an issue; a sequence as a numbered list of its phases (a table cell holds one line)."""
    if not issue.listed or issue.unvaried:
        return _cell(issue.cell)
    return "<br>".join(f"{phase}. {_cell(steps)}" if phase else _cell(listed_item(phase, steps))
                       for phase, steps in issue.listed)


def issues_markdown(deal: DealView, with_room: bool) -> list[str]:
    """A deal's issues as check shows them (a table), for every command that shows a deal."""
    if with_room:
        out = ["| Issue | Deal | Room | What it decides |", "|---|---|---|---|"]
    else:
        out = ["| Issue | Deal | What it decides |", "|---|---|---|"]
    for issue in deal.issues:
        room = f" {_cell(issue.room)} |" if with_room else ""
        out.append(f"| {_cell(issue.label)} | {_deal_cell(issue)} |{room} {_cell(issue.description)} |")
    if deal.open_note:
        out += ["", f"{_cell(deal.open_note)}."]
    if deal.unvaried_note:
        out += ["", f"> **Incomplete:** {_cell(deal.unvaried_note)}."]
    return out


_issues_table = issues_markdown


def check_markdown(report: CheckReport) -> str:
    view = report.check
    out = [f"# {_cell(view.title)}", ""]
    if view.readings_line:
        out += [f"*{_cell(view.readings_line)}*", ""]
    if view.as_of_line:
        out += [_cell(view.as_of_line), ""]
    if view.bottom_line:
        out += [_cell(view.bottom_line), ""]
    out += [_verdict(view), ""]
    if view.deal is not None and view.deal.left_out_line:
        out += [_cell(view.deal.left_out_line), ""]
    if view.interrupted_note:
        out += [f"> **Incomplete:** {view.interrupted_note}.", ""]
    out += _about(view)
    if view.deal is not None:
        out += ["## Best deal", ""] + _issues_table(view.deal, with_room=True)
        out += ["", "## What each party gets", "", "| Party | Satisfied | Demands met | Demands not met |",
                "|---|---|---|---|"]
        for party in view.deal.parties:
            out.append(f"| {_cell(party.name)} | {party.cell} | "
                       f"{'<br>'.join(_cell(d.says) + _cited(d) for d in party.met) or '-'} | "
                       f"{'<br>'.join(_cell(d.says) + _cited(d) for d in party.unmet) or '-'} |")
        out += ["", _cell(view.forced_line), ""]
        if view.unreachable_heading:
            out += [f"## {_cell(view.unreachable_heading)}", ""]
            for item in view.unreachable:
                target = item.demand
                out.append(f"- **{_cell(target.who)}**: {_quoted(target)}; ruled out by "
                           + (", ".join(f"`{n}`" for n in item.because.names) or "the rule itself"))
            out.append("")
    if view.conflicts_heading:
        out += [f"## {_cell(view.conflicts_heading)}", ""]
        if view.headline_missing:
            out += [f"{_cell(view.headline_missing)}.", ""]
        if view.disputes_heading:
            out += [f"{_cell(view.disputes_heading)}.", ""]
        starts = {d.conflicts[0]: d.title for d in view.disputes} if len(view.disputes) > 1 else {}
        for index, conflict in enumerate(view.conflicts, 1):
            if index in starts:
                out += [f"**{_cell(starts[index])}**", ""]
            out += [f"### {index}. {_cell(conflict.summary)}", ""]
            out += _rules(conflict.rules)
            out.append("")
    if view.relaxations and view.combinations:
        out += ["## Cheapest ways to a deal", "", _cell(view.combinations), ""]
        for dispute in view.disputes:
            options = "; ".join(" + ".join(f"`{r.name}` ({_cell(g.who)})" for g in o.by_party for r in g.red_lines)
                                + f", {o.cost_line}" for o in dispute.options)
            out.append(f"- **{_cell(dispute.options_heading)}** {options}"
                       + (f"; {_cell(dispute.more_options)}" if dispute.more_options else ""))
        out.append("")
    if view.relaxations:
        out += ["## Cheapest ways to a deal" if not view.combined else f"### {_cell(view.combined)}", "",
                "| # | Red lines to give up | Cost | Who gives up what | "
                "The deal it opens |", "|---|---|---|---|---|"]
        for index, r in enumerate(view.relaxations, 1):
            costs = ", ".join(f"{_cell(name)} {cost}" for name, cost in r.costs)
            opens = _cell(r.opens) + (f" ({_cell(r.deal.left_out_line)})" if r.deal and
                                                   r.deal.left_out_line else "")
            out.append(f"| {index} | {'<br>'.join(f'`{n}`' for n in r.drop)} | {r.cost} | {costs} | {opens} |")
        out.append("")
        if view.ties:
            out += [f"{capitalized(view.ties)}.", ""]
        if view.not_ranked:
            out += [f"> **Note:** {view.not_ranked}.", ""]
        opened = view.relaxations[0].deal
        if view.deal is None and opened is not None and view.first_way:
            out += [f"## {_cell(capitalized(view.first_way))}", ""] + _issues_table(opened, with_room=False) + [""]
    if view.facts_alone:
        out += [view.facts_alone, ""]
    if view.relaxations_cut_short:
        out += [f"> **Incomplete:** {view.relaxations_cut_short}", ""]
    if report.changes is not None:
        out += comparison_markdown(report.changes, report.heading)
    out += sources_markdown(view.sources)
    return "\n".join(out).rstrip() + "\n"


def comparison_markdown(comparison: ComparisonView, heading: str) -> list[str]:
    out = [f"## {_cell(heading or 'Before and after')}", "",
           f"Verdict: {comparison.verdict_before} → {comparison.verdict_after}", "",
           f"{capitalized(comparison.distance_line)}.", ""]
    for label, group in comparison.conflict_groups:
        if group:
            out += [f"{capitalized(label)} conflicts:", ""] + ["- " + ", ".join(f"`{n}`" for n in c)
                                                               for c in group] + [""]
    if comparison.issues_changed:
        out += ["| Issue | Before | After |", "|---|---|---|"]
        for change in comparison.issues_changed:
            out.append(f"| {_cell(change.label)} | {_cell(change.shown_before)} | {_cell(change.shown_after)} |")
        out.append("")
    if comparison.satisfaction:
        out += ["| Party | Satisfied before | Satisfied after |", "|---|---|---|"]
        for party in comparison.satisfaction:
            out.append(f"| {_cell(party.name)} | {percent(party.before)} | {percent(party.after)} |")
        out.append("")
    return out


def sources_markdown(sources: tuple[Source, ...]) -> list[str]:
    if not sources:
        return []
    out = ["## Sources", ""]
    for source in sources:
        title = _cell(source.title)
        if is_web_url(source.url):
            link = f"[{title}](<{markdown_link_target(source.url)}>)"
        else:  # shown, never followed
            link = title + (f" ({_cell(source.url)})" if source.url else "")
        out.append(f"- **{_cell(source.id)}** {link}" + (f" ({_cell(source.date)})" if source.date else ""))
    return out + [""]


def diff_markdown(view: DiffView) -> str:
    positions = view.positions
    out = [f"# {_cell(view.title)}: {_cell(view.old_name)} → {_cell(view.new_name)}", ""]
    out += [_cell(view.days_line), ""] if view.days_line else []
    out += ["## Positions", ""]
    for label, items in positions.labelled:
        out += [f"- {capitalized(label)}: `{item}`" for item in items]
    out += [f"- Added `{r.name}`: “{_cell(r.says)}”" for r in positions.rules_added]
    out += [f"- Removed `{r.name}`: “{_cell(r.says)}”" for r in positions.rules_removed]
    out += [f"- Changed `{c.name}`: {', '.join(f.field for f in c.fields)}" for c in positions.rules_changed]
    if positions.unchanged:
        out.append("No position changed.")
    out.append("")
    out += comparison_markdown(view.changes, "Results")
    return "\n".join(out).rstrip() + "\n"
