"""`--format html` / `feasible report`: one self-contained HTML file (no scripts, fonts or styles from
elsewhere; it opens offline) with the verdict, the deal, satisfaction bars, the conflict map, relaxations,
the before/after comparison and the sources. Print-friendly."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .conflict_map import dispute_colour, to_svg
from .presentation import (CheckReport, CheckView, ComparisonView, ConflictView, DealView, IssueLine,
                           RelaxationView, Rules)
from .safe import is_web_url, terminal_text
from .words import Said, assumptions_heading, capitalized, listed_item, percent

STYLE = """
:root { --ink: #1d1d1f; --muted: #6b6b70; --line: #d9d9de; --red: #b03030; --green: #2e7d4f; --amber: #a86b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       background: #fafaf8; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 60px; }
h1 { font-size: 26px; margin: 0 0 6px; } h2 { font-size: 19px; margin: 34px 0 10px; border-bottom: 1px solid var(--line);
     padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.summary { color: var(--muted); margin: 0 0 14px; }
.verdict { font-size: 17px; padding: 12px 16px; border-radius: 8px; border-left: 6px solid; background: #fff; }
.verdict-deal { border-color: var(--green); } .verdict-no-deal { border-color: var(--red); }
.verdict-unknown { border-color: var(--amber); }
.incomplete { color: var(--amber); font-weight: bold; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
code { font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; color: #555; }
.bar { height: 12px; background: #ececef; border-radius: 6px; overflow: hidden; min-width: 120px; }
.bar span { display: block; height: 100%; background: var(--green); }
.party-row { display: grid; grid-template-columns: minmax(0, 260px) minmax(60px, 1fr) 56px; gap: 12px; align-items: center; margin: 6px 0; }
td, li, h1, h2, h3, p, .who { overflow-wrap: anywhere; }
.conflict { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--red); border-radius: 8px;
            padding: 8px 14px; margin: 12px 0; }
.conflict ul, .sources { margin: 4px 0; padding-left: 20px; }
.who { font-weight: 600; } .muted { color: var(--muted); }
.map { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.map svg { max-width: 100%; height: auto; }
.bottom-line { font-size: 16px; margin: 0 0 14px; }
.caveats li { margin: 2px 0; } .description { white-space: pre-line; }
.rule { display: block; margin: 2px 0 0; } .cite { font-size: 12px; margin-left: 4px; }
.dispute-tag { font-size: 12px; font-weight: 600; color: #fff; border-radius: 8px; padding: 1px 7px; margin-right: 6px; }
.minis { display: flex; gap: 3px; align-items: flex-end; height: 30px; }
.mini { width: 10px; height: 100%; background: #ececef; border-radius: 2px; display: flex; align-items: flex-end; }
.mini span { display: block; width: 100%; background: var(--green); border-radius: 2px; }
@media print { body { background: #fff; } main { max-width: none; padding: 0; } .map { overflow: visible; }
  h2 { break-after: avoid; } .conflict, tr { break-inside: avoid; }
  .bar, .mini, .dispute-tag { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
"""  # noqa: E501 - the page's bytes stay as they are


def escaped(value: object) -> str:
    """Words from the files as HTML text: escaped, and without escape sequences or controls (a page printed to a
    terminal, or read there with cat, must not set its title or write its clipboard)."""
    return escape(terminal_text(str(value)), quote=True)


_e = escaped


def page(title: str, body: list[str]) -> str:
    """The self-contained page every HTML output is: its title, the style, and the body's parts."""
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body><main>\n"
            + "\n".join(part for part in body if part) + "\n</main></body></html>\n")


def _bar(fraction: float | None) -> str:
    width = 0 if fraction is None else max(0.0, min(1.0, float(fraction))) * 100
    return f'<div class="bar"><span style="width:{width:.1f}%"></span></div>'


def _verdict(view: CheckView) -> str:
    return (f'<p id="verdict" class="verdict verdict-{view.verdict}">'
            f"{_e(view.verdict_word)}: {_e(view.verdict_sentence)}.</p>")


def satisfaction_html(deal: DealView, caption: str) -> str:
    """Each party's satisfaction in a deal as bars, as check shows it."""
    if all(p.satisfaction is None and p.utility is None for p in deal.parties):
        return "<p class='muted'>No party has demands, so there is no satisfaction to show.</p>"
    rows = [f"<p class='muted'>{_e(caption)}</p>"]
    for party in deal.parties:
        if party.satisfaction is None and party.utility is None:
            continue
        bar = _bar(party.satisfaction) if party.satisfaction is not None else ""
        rows.append(f'<div class="party-row" data-party="{_e(party.party)}"><span class="who">{_e(party.name)}</span>'
                    f"{bar}<span>{_e(party.cell)}</span></div>")
    return "\n".join(rows)


_satisfaction = satisfaction_html


def _cited(item: Said, anchors: dict[str, int]) -> str:
    """Links to the sources a position cites, each to its entry in the list of sources (title, address, date);
    or its source as free text, when the scenario lists none."""
    links = [f"<a class='cite' href='#source-{anchors[s.id]}' title='{_e(s.title)}"
             f"{' (' + _e(s.date) + ')' if s.date else ''}'>{_e(s.id)}</a>" for s in item.sources if s.id in anchors]
    if links:
        return f"<span class='cite'>[{', '.join(links)}]</span>"
    return f"<span class='cite muted'>[source: {_e(item.source_note)}]</span>" if item.source_note else ""


def _quoted(item: Said, anchors: dict[str, int]) -> str:
    """A position in its party's words, its name, its sources and its rule."""
    return (f"“{_e(item.says)}” <code>{_e(item.name)}</code>{_cited(item, anchors)}"
            f"<code class='rule muted'>{_e(item.rule)}</code>")


def rules_html(rules: Rules, anchors: dict[str, int]) -> str:
    """The rules behind a conflict or a reason, in the order of every format: red lines by party, then the facts
    (no party's words, so no party named)."""
    html = "<ul>" + "".join(f"<li><span class='who'>{_e(item.who)}</span>: {_quoted(item, anchors)}</li>"
                            for item in rules.red_lines) + "</ul>" if rules.red_lines else ""
    if rules.facts:
        heading = capitalized(assumptions_heading(len(rules.facts), bool(rules.red_lines)))
        html += f"<p class='muted'>{_e(heading)}:</p><ul>" + "".join(
            f"<li>{_quoted(item, anchors)}</li>" for item in rules.facts) + "</ul>"
    return html


_rules = rules_html


def _about(view: CheckView) -> str:
    """The scenario's caveats and its description, before any answer: what a reader must keep in mind."""
    if not view.caveats and not view.description:
        return ""
    html = ["<section id='about'><h2>About this scenario</h2>"]
    if view.caveats:
        html.append(f"<h3>Caveats</h3>{caveats_list(view.caveats, 'caveats')}")
    first, *rest = view.description_paragraphs or ("",)
    if first:
        html.append(f"<h3>Description</h3><p class='description' id='description'>{_e(first)}</p>")
    if rest:
        html.append("<details><summary>The whole description</summary>"
                    + "".join(f"<p class='description'>{_e(p)}</p>" for p in rest) + "</details>")
    html.append("</section>")
    return "\n".join(html)


def _deal_cell(issue: IssueLine) -> str:
    """The deal's value of an issue; a sequence as an ordered list of its phases, numbered by phase."""
    if not issue.listed or issue.unvaried:
        return _e(issue.cell)
    items = "".join(f"<li value='{phase}'>{_e(steps)}</li>" for phase, steps in issue.listed if phase)
    left_out = "".join(f"<div>{_e(listed_item(phase, steps))}</div>" for phase, steps in issue.listed if not phase)
    return f"<ol class='phases'>{items}</ol>{left_out}"


def issues_html(deal: DealView, section: str, heading: str, with_room: bool) -> str:
    """A deal's issues as check shows them (a table, in an open <section>), for every command that shows a deal."""
    room = "<th>Room</th>" if with_room else ""
    rows = [f"<section id='{section}'><h2>{_e(heading)}</h2><table><tr><th>Issue</th><th>Deal</th>{room}"
            "<th>What it decides</th></tr>"]
    for issue in deal.issues:
        cell = f"<td>{_e(issue.room)}</td>" if with_room else ""
        rows.append(f"<tr><td>{_e(issue.label)}</td><td>{_deal_cell(issue)}</td>{cell}"
                    f"<td>{_e(issue.description)}</td></tr>")
    rows.append("</table>")
    rows += _note(deal.open_note, "class='muted' id='open-values'") + _note(deal.unvaried_note, "class='incomplete'")
    return "\n".join(rows)


_issues_table = issues_html


def _note(sentence: str | None, attributes: str) -> list[str]:
    """A sentence of the model under a table or list, as a paragraph (none when there is nothing to say)."""
    return [f"<p {attributes}>{_e(sentence)}.</p>"] if sentence else []


def _minis(deal: DealView | None) -> str:
    """Each party's satisfaction in a deal as a small bar, in the order of the parties."""
    if deal is None:
        return ""
    return "<div class='minis'>" + "".join(
        f"<div class='mini' title='{_e(p.name)} {p.percent}' aria-label='{_e(p.name)} {p.percent}'>"
        f"<span style='height:{max(0.0, min(1.0, float(p.satisfaction))) * 100:.1f}%'></span></div>"
        for p in deal.parties if p.satisfaction is not None) + "</div>"


def check_html(report: CheckReport) -> str:
    """The whole report page of a check (`--format html`, `feasible report`)."""
    return page(report.check.title, check_body(report))


def check_body(report: CheckReport) -> list[str]:
    """The report's parts, without the page around them: `check_html` wraps them in a page, and `feasible serve`
    and notebooks show the same parts inside pages of their own (under STYLE)."""
    view = report.check
    anchors = {source.id: index for index, source in enumerate(view.sources, 1)}
    body = [f"<header><h1>{_e(view.title)}</h1><p class='summary'>{_e(view.counts)}</p>"]
    if view.readings_line:
        body.append(f"<p id='readings' class='readings'>{_e(view.readings_line)}</p>")
    if view.as_of_line:
        body.append(f"<p id='as-of' class='summary'>{_e(view.as_of_line)}</p>")
    if view.bottom_line:
        body.append(f"<p id='bottom-line' class='bottom-line'>{_e(view.bottom_line)}</p>")
    body.append(_verdict(view))
    if view.deal is not None and view.deal.left_out_line:
        body.append(f"<p id='left-out'>{_e(view.deal.left_out_line)}</p>")
    if view.interrupted_note:
        body.append(f"<p class='incomplete'>Incomplete: {_e(view.interrupted_note)}.</p>")
    body.append("</header>")
    body.append(_about(view))
    body.append(f"<section id='parties'><h2>Parties</h2><p>{_e(', '.join(view.party_names))}</p>")
    opened = view.relaxations[0].deal if view.deal is None and view.relaxations else None
    if view.deal is not None:
        body.append(_satisfaction(view.deal, "Satisfaction in the best deal (weight of demands met)"))
    elif opened is not None and view.first_way:
        body.append(_satisfaction(opened, view.opened_caption or ""))
        if opened.left_out_line:
            body.append(f"<p class='muted'>{_e(opened.left_out_line)}</p>")
    body.append("</section>")
    if view.deal is not None:
        body.append(_issues_table(view.deal, "deal", "Best deal", with_room=True))
        body.append(f"<p>{_e(view.forced_line)}</p></section>")
        if view.unreachable_heading:
            body.append(f"<section id='unreachable'><h2>{_e(view.unreachable_heading)}</h2>")
            for item in view.unreachable:
                target = item.demand
                body.append(f"<div class='conflict'><h3>{_e(target.who)}: {_quoted(target, anchors)}</h3>"
                            + ("<p class='muted'>ruled out by:</p>" + _rules(item.because, anchors)
                               if item.because.names else "<p class='muted'>the rule itself is impossible</p>")
                            + "</div>")
            body.append("</section>")
    body.append("<section id='conflict-map'><h2>Conflict map</h2><div class='map'>"
                f"{to_svg(view.conflict_map, 'Conflict map: ' + view.title)}</div></section>")
    if view.conflicts_heading:
        body.append(f"<section id='conflicts'><h2>{_e(view.conflicts_heading)}</h2>")
        body += _note(view.headline_missing, "class='muted'")
        if view.disputes_heading:
            body.append(f"<p>{_e(view.disputes_heading)}.</p>")
        starts = {d.conflicts[0]: d.title for d in view.disputes} if len(view.disputes) > 1 else {}
        for index, c in enumerate(view.conflicts, 1):
            if index in starts:
                body.append(f"<h3 class='dispute'>{_e(starts[index])}</h3>")
            body.append(conflict_html(c, anchors, index))
        body.append("</section>")
    if view.relaxations:
        body.append("<section id='relaxations'><h2>Cheapest ways to a deal</h2>")
        if view.combinations:
            body.append(f"<p><b>{_e(view.combinations)}</b></p><ul class='disputes'>")
            for dispute in view.disputes:
                options = "; ".join(" + ".join(f"<code>{_e(r.name)}</code> ({_e(g.who)})" for g in o.by_party
                                               for r in g.red_lines) + f", {_e(o.cost_line)}"
                                    for o in dispute.options)
                more = f"; {_e(dispute.more_options)}" if dispute.more_options else ""
                body.append(f"<li><b>{_e(dispute.options_heading)}</b> {options}{more}</li>")
            body.append(f"</ul><p>{_e(view.combined or '')}</p>")
        body += relaxations_table(view.relaxations)
        body += _note(capitalized(view.ties) if view.ties else None, "class='muted'")
        body += _note(view.not_ranked, "class='incomplete'")
        body.append("</section>")
        if opened is not None and view.first_way:
            body.append(_issues_table(opened, "opened-deal", capitalized(view.first_way), with_room=False)
                        + "</section>")
    if view.facts_alone:
        body.append(f"<p>{_e(view.facts_alone)}</p>")
    if view.relaxations_cut_short:
        body.append(f"<p class='incomplete'>{_e(view.relaxations_cut_short)}</p>")
    if report.changes is not None:
        body.append(comparison_html(report.changes, report.heading))
    body.append(sources_section(view.sources))
    return body


def conflict_html(conflict: ConflictView, anchors: dict[str, int], index: int = 0) -> str:
    """One conflict as the report shows it: its summary and its rules in the parties' words; numbered `index` and
    coloured by its dispute in the report's list (index 0, dispute 0: a conflict on its own)."""
    colour = dispute_colour(conflict.dispute)
    where = f" id='conflict-{index}'" if index else ""
    tag = (f"<span class='dispute-tag' style='background: {colour}'>dispute {conflict.dispute}</span>"
           if conflict.dispute else "")
    return (f"<div class='conflict'{where} data-dispute='{conflict.dispute}' style='border-left-color: {colour}'>"
            f"<h3>{tag}{f'{index}. ' if index else ''}{_e(conflict.summary)}</h3>{_rules(conflict.rules, anchors)}"
            "</div>")


def relaxations_table(relaxations: Sequence[RelaxationView]) -> list[str]:
    """Ways to a deal as the report lists them: the red lines each gives up by party, its cost, the satisfaction
    and what the deal it opens is."""
    rows = ["<table><tr><th>#</th>"
            "<th>Red lines to give up</th><th>Cost</th><th>Satisfaction</th><th>The deal it opens</th></tr>"]
    for index, r in enumerate(relaxations, 1):
        names = "<br>".join(f"{_e(given.who)}: " + ", ".join(f"<code>{_e(item.name)}</code>"
                                                              for item in given.red_lines)
                            for given in r.by_party)
        opens = _e(r.opens) + (f" ({_e(r.deal.left_out_line)})" if r.deal and r.deal.left_out_line else "")
        rows.append(f"<tr><td>{index}</td><td>{names}</td><td>{r.cost}</td><td>{_minis(r.deal)}</td>"
                    f"<td>{opens}</td></tr>")
    rows.append("</table>")
    return rows


def caveats_list(caveats: Sequence[str], anchor: str | None = None) -> str:
    """The scenario's caveats as an HTML list, each on one line, for every command that shows them."""
    where = f" id='{anchor}'" if anchor else ""
    return (f"<ul class='caveats'{where}>" + "".join(f"<li>{_e(' '.join(c.split()))}</li>" for c in caveats)
            + "</ul>")


def sources_section(sources: Sequence) -> str:
    """The scenario's sources as a list whose items other parts link to (#source-N, N counted from 1); "" when
    there are none."""
    if not sources:
        return ""
    items = []
    for index, s in enumerate(sources, 1):
        title = f"<a href='{_e(s.url)}'>{_e(s.title)}</a>" if is_web_url(s.url) else _e(s.title)
        items.append(f"<li id='source-{index}'><b>{_e(s.id)}</b> {title}{' (' + _e(s.date) + ')' if s.date else ''}"
                     "</li>")
    return "\n".join(["<section id='sources'><h2>Sources</h2><ul class='sources'>", *items, "</ul></section>"])


def comparison_html(comparison: ComparisonView, heading: str) -> str:
    rows = [f"<section id='changes'><h2>{_e(heading or 'Before and after')}</h2>",
            f"<p>Verdict: <b>{_e(comparison.verdict_before)}</b> → <b>{_e(comparison.verdict_after)}</b></p>",
            f"<p>{_e(capitalized(comparison.distance_line))}.</p>"]
    for label, group in comparison.conflict_groups:
        for conflict in group:
            rows.append(f"<p>{capitalized(label)} conflict: {_e(', '.join(conflict))}</p>")
    if comparison.issues_changed:
        rows.append("<table><tr><th>Issue</th><th>Before</th><th>After</th></tr>")
        for change in comparison.issues_changed:
            rows.append(f"<tr><td>{_e(change.label)}</td><td>{_e(change.shown_before)}</td>"
                        f"<td>{_e(change.shown_after)}</td></tr>")
        rows.append("</table>")
    if comparison.satisfaction:
        rows.append("<table><tr><th>Party</th><th>Before</th><th>After</th></tr>")
        for party in comparison.satisfaction:
            rows.append(f"<tr><td>{_e(party.name)}</td><td>{percent(party.before)}</td><td>{percent(party.after)}</td>"
                        "</tr>")
        rows.append("</table>")
    rows.append("</section>")
    return "\n".join(rows)


