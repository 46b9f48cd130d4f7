"""`--format markdown`: a report to paste into a memo, in the parties' own words, with sources as links."""

from __future__ import annotations

from positions import Scenario
from solver import CheckResult, Verdict
from solver.compare import Comparison

from .report import _percent, _room_text, forced, show_or_dash, show_value
from .safe import is_web_url, markdown_link_target, markdown_text
from .words import (FACTS_ALONE, capitalized, conflict_summary, conflicts_count, conflicts_extent,
                    facts_alone_leave_no_deal, left_out_line, list_cut_short, opened_deal_not_found,
                    opened_deal_unproved, optimality, red_lines_then_facts, relaxations_cut_short, said, undecided)


def _cell(text: object) -> str:
    """Words from the files (or the command line) as inline Markdown text: one line, no active syntax."""
    return " ".join(markdown_text(str(text)).split()).replace("|", "\\|")


def _verdict(result: CheckResult) -> str:
    if result.verdict is Verdict.DEAL:
        proof = optimality(result.deal.optimal, result.deal.gap, result.interrupted,
                           result.objective.value)
        return f"**Deal.** A package deal every party accepts exists ({result.objective.value} objective, {proof})."
    if result.verdict is Verdict.NO_DEAL:
        return "**No deal.** No package deal satisfies every party's red lines and the facts."
    return f"**Unknown.** {capitalized(undecided(result.interrupted))}."


def _members(scenario: Scenario, names) -> list[str]:
    lines = []
    for name in names:
        item = said(scenario, name)
        lines.append(f"- **{_cell(item.who)}**: “{_cell(item.says)}” (`{name}`)")
    return lines


def _rules(scenario: Scenario, red_lines, facts) -> list[str]:
    """The rules behind a conflict or a reason, in the order of every format: red lines by party, then the facts
    (no party's words, so no party named)."""
    lines = _members(scenario, red_lines)
    if facts:
        lines += (["", "Given the facts:", ""] if red_lines else ["The facts:", ""])
        lines += [f"- “{_cell(said(scenario, name).says)}” (`{name}`)" for name in facts]
    return lines


def check_markdown(scenario: Scenario, result: CheckResult, comparison: Comparison | None = None,
                   baseline: Scenario | None = None, edits: str = "") -> str:
    out = [f"# {_cell(scenario.title)}", "", _verdict(result), ""]
    if result.deal is not None and result.deal.left_out:
        out += [_cell(left_out_line(scenario, result.deal.left_out)), ""]
    if getattr(result, "interrupted", False):
        out += ["> **Incomplete:** the run was interrupted; what follows is what was found so far.", ""]
    if result.deal is not None:
        out += ["## Best deal", "", "| Issue | Deal | Room | What it decides |", "|---|---|---|---|"]
        for name, value in result.deal.values.items():
            room = _room_text(scenario, result.room.get(name))
            out.append(f"| `{name}` | {_cell(show_value(value))} | {_cell(room)} | "
                       f"{_cell(scenario.issues[name].description or '')} |")
        out += ["", "## What each party gets", "", "| Party | Satisfied | Demands met | Demands not met |",
                "|---|---|---|---|"]
        for o in result.deal.outcomes:
            says = {d.name: d.says for d in scenario.party(o.party).demands}
            out.append(f"| {_cell(o.name)} | {_percent(o.satisfaction)} | "
                       f"{'<br>'.join(_cell(says[n]) for n in o.met) or '-'} | "
                       f"{'<br>'.join(_cell(says[n]) for n in o.unmet) or '-'} |")
        fixed = forced(scenario, result)
        out += ["", f"Forced in every deal: {', '.join(f'`{n}`' for n in fixed) or 'none'}.", ""]
        if result.unreachable or not result.unreachable_complete:
            cut = "" if result.unreachable_complete else f" ({list_cut_short(result.interrupted)})"
            out += [f"## Demands no deal can meet{'' if result.unreachable else ': none found'}{cut}", ""]
            for item in result.unreachable:
                target = said(scenario, item.demand)
                red_lines, facts = red_lines_then_facts(item.because)
                out.append(f"- **{_cell(target.who)}**: “{_cell(target.says)}” (`{item.demand}`), ruled out by "
                           + (", ".join(f"`{n}`" for n in red_lines + facts) or "the rule itself"))
            out.append("")
    if result.conflicts or result.verdict is Verdict.NO_DEAL:
        extent = conflicts_extent(len(result.conflicts), result.conflicts_complete, result.conflicts_cut_by_time,
                                  result.interrupted)
        out += [f"## Conflicts ({conflicts_count(len(result.conflicts))}, {_cell(extent)})", ""]
        for index, conflict in enumerate(result.conflicts, 1):
            out += [f"### {index}. {_cell(conflict_summary(scenario, conflict.red_lines, conflict.facts))}", ""]
            out += _rules(scenario, conflict.red_lines, conflict.facts)
            out.append("")
    if result.relaxations:
        out += ["## Cheapest ways to a deal", "", "| # | Red lines to give up | Cost | Who gives up what | "
                "Satisfaction in the deal it opens |", "|---|---|---|---|---|"]
        for index, r in enumerate(result.relaxations, 1):
            costs = ", ".join(f"{_cell(scenario.party(p).name)} {c}" for p, c in r.cost_by_party.items())
            sat = ", ".join(f"{_cell(o.name)} {_percent(o.satisfaction)}" for o in r.deal.outcomes
                            if o.satisfaction is not None) if r.deal else opened_deal_not_found(result.interrupted)
            if r.deal is not None and not r.deal.optimal:
                sat += f" ({opened_deal_unproved(result.interrupted)})"
            if r.deal is not None and r.deal.left_out:
                sat += " (" + _cell(left_out_line(scenario, r.deal.left_out)) + ")"
            out.append(f"| {index} | {'<br>'.join(f'`{n}`' for n in r.drop)} | {r.cost} | {costs} | {sat} |")
        out.append("")
    if facts_alone_leave_no_deal(result):
        out += [FACTS_ALONE, ""]
    if result.verdict is Verdict.NO_DEAL and not result.relaxations_complete:
        out += [f"> **Incomplete:** {relaxations_cut_short(len(result.relaxations), result.interrupted)}", ""]
    if comparison is not None:
        out += comparison_markdown(baseline or scenario, scenario, comparison, edits)
    out += sources_markdown(scenario)
    return "\n".join(out).rstrip() + "\n"


def comparison_markdown(before: Scenario, after: Scenario, comparison: Comparison, heading: str) -> list[str]:
    out = [f"## {_cell(heading or 'Before and after')}", "",
           f"Verdict: {comparison.verdict_before.value} → {comparison.verdict_after.value}", ""]
    for label, group in (("Resolved", comparison.conflicts_resolved), ("Remaining", comparison.conflicts_remaining),
                         ("New", comparison.conflicts_new)):
        if group:
            out += [f"{label} conflicts:", ""] + ["- " + ", ".join(f"`{n}`" for n in c) for c in group] + [""]
    if comparison.issues_changed:
        out += ["| Issue | Before | After |", "|---|---|---|"]
        for change in comparison.issues_changed:
            before_value = show_or_dash(change.before)
            after_value = show_or_dash(change.after)
            out.append(f"| `{change.issue}` | {_cell(before_value)} | {_cell(after_value)} |")
        out.append("")
    if comparison.satisfaction:
        out += ["| Party | Satisfied before | Satisfied after |", "|---|---|---|"]
        for party, (b, a) in comparison.satisfaction.items():
            out.append(f"| {_cell(party)} | {_percent(b)} | {_percent(a)} |")
        out.append("")
    return out


def sources_markdown(scenario: Scenario) -> list[str]:
    if not scenario.sources:
        return []
    out = ["## Sources", ""]
    for source in scenario.sources:
        title = _cell(source.title)
        if is_web_url(source.url):
            link = f"[{title}](<{markdown_link_target(source.url)}>)"
        else:  # shown, never followed
            link = title + (f" ({_cell(source.url)})" if source.url else "")
        out.append(f"- **{_cell(source.id)}** {link}" + (f" ({_cell(source.date)})" if source.date else ""))
    return out + [""]


def diff_markdown(old: Scenario, new: Scenario, changes, comparison: Comparison, old_name: str, new_name: str) -> str:
    out = [f"# {_cell(new.title)}: {_cell(old_name)} → {_cell(new_name)}", "", "## Positions", ""]
    for label, items in (("Party added", changes.parties_added), ("Party removed", changes.parties_removed),
                         ("Issue added", changes.issues_added), ("Issue removed", changes.issues_removed),
                         ("Issue changed", changes.issues_changed)):
        out += [f"- {label}: `{item}`" for item in items]
    out += [f"- Added `{n}`: “{_cell(said(new, n).says)}”" for n in changes.rules_added]
    out += [f"- Removed `{n}`: “{_cell(said(old, n).says)}”" for n in changes.rules_removed]
    out += [f"- Changed `{n}`: {', '.join(fields)}" for n, fields in changes.rules_changed]
    if out[-1] == "":
        out.append("No position changed.")
    out.append("")
    out += comparison_markdown(old, new, comparison, "Results")
    return "\n".join(out).rstrip() + "\n"
