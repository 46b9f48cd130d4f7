"""`--format html` / `feasible report`: one self-contained HTML file (no scripts, fonts or styles from
elsewhere; it opens offline) with the verdict, the deal, satisfaction bars, the conflict map, relaxations,
the before/after comparison and the sources. Print-friendly."""

from __future__ import annotations

from html import escape

from positions import Scenario
from solver import CheckResult, Deal, Verdict
from solver.compare import Comparison

from .conflict_map import build_map, to_svg
from .render import counts_line
from .safe import is_web_url, terminal_text
from .report import _percent, _room_text, forced, show_or_dash, show_value
from .words import (FACTS_ALONE, conflict_summary, conflicts_count, conflicts_extent, facts_alone_leave_no_deal,
                    first_way_deal, left_out_line, list_cut_short, optimality, red_lines_then_facts,
                    relaxations_cut_short, said, undecided)

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
.cost span { background: var(--red); }
.party-row { display: grid; grid-template-columns: 260px 1fr 56px; gap: 12px; align-items: center; margin: 6px 0; }
.conflict { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--red); border-radius: 8px;
            padding: 8px 14px; margin: 12px 0; }
.conflict ul, .sources { margin: 4px 0; padding-left: 20px; }
.who { font-weight: 600; } .muted { color: var(--muted); }
.map { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.map svg { max-width: 100%; height: auto; }
@media print { body { background: #fff; } main { max-width: none; padding: 0; } .map { overflow: visible; }
  h2 { break-after: avoid; } .conflict, tr { break-inside: avoid; } }
"""


def _e(value: object) -> str:
    """Words from the files as HTML text: escaped, and without escape sequences or controls (a page printed to a
    terminal, or read there with cat, must not set its title or write its clipboard)."""
    return escape(terminal_text(str(value)), quote=True)


def _bar(fraction: float | None, css: str = "bar") -> str:
    width = 0 if fraction is None else max(0.0, min(1.0, float(fraction))) * 100
    return f'<div class="{css}"><span style="width:{width:.1f}%"></span></div>'


def _verdict(result: CheckResult) -> str:
    if result.verdict is Verdict.DEAL:
        proof = optimality(result.deal.optimal, result.deal.gap, result.interrupted,
                           result.objective.value)
        text = f"DEAL: a package deal every party accepts exists ({result.objective.value} objective, {proof})."
    elif result.verdict is Verdict.NO_DEAL:
        text = "NO DEAL: no package deal satisfies every party's red lines and the facts."
    else:
        text = f"UNKNOWN: {undecided(result.interrupted)}."
    return f'<p id="verdict" class="verdict verdict-{result.verdict.value}">{_e(text)}</p>'


def _satisfaction(deal: Deal, caption: str) -> str:
    if all(o.satisfaction is None for o in deal.outcomes):
        return "<p class='muted'>No party has demands, so there is no satisfaction to show.</p>"
    rows = [f"<p class='muted'>{_e(caption)}</p>"]
    for o in deal.outcomes:
        if o.satisfaction is None:
            continue
        rows.append(f'<div class="party-row" data-party="{_e(o.party)}"><span class="who">{_e(o.name)}</span>'
                    f"{_bar(o.satisfaction)}<span>{_percent(o.satisfaction)}</span></div>")
    return "\n".join(rows)


def _members(scenario: Scenario, names) -> str:
    items = []
    for name in names:
        item = said(scenario, name)
        items.append(f"<li><span class='who'>{_e(item.who)}</span>: “{_e(item.says)}” <code>{_e(name)}</code></li>")
    return "<ul>" + "".join(items) + "</ul>"


def _rules(scenario: Scenario, red_lines, facts) -> str:
    """The rules behind a conflict or a reason, in the order of every format: red lines by party, then the facts
    (no party's words, so no party named)."""
    html = _members(scenario, red_lines) if red_lines else ""
    if facts:
        html += f"<p class='muted'>{'Given the facts' if red_lines else 'The facts'}:</p><ul>" + "".join(
            f"<li>“{_e(said(scenario, name).says)}” <code>{_e(name)}</code></li>" for name in facts) + "</ul>"
    return html


def check_html(scenario: Scenario, result: CheckResult, comparison: Comparison | None = None,
               baseline: Scenario | None = None, edits: str = "") -> str:
    body = [f"<header><h1>{_e(scenario.title)}</h1><p class='summary'>{_e(counts_line(scenario))}</p>",
            _verdict(result)]
    if result.deal is not None and result.deal.left_out:
        body.append(f"<p id='left-out'>{_e(left_out_line(scenario, result.deal.left_out))}</p>")
    if getattr(result, "interrupted", False):
        body.append("<p class='incomplete'>Incomplete: the run was interrupted; this is what was found so far.</p>")
    body.append("</header>")
    parties = [p.name for p in scenario.parties]
    body.append(f"<section id='parties'><h2>Parties</h2><p>{_e(', '.join(parties))}</p>")
    if result.deal is not None:
        body.append(_satisfaction(result.deal, "Satisfaction in the best deal (weight of demands met)"))
    elif result.relaxations and result.relaxations[0].deal is not None:
        opened = result.relaxations[0].deal
        body.append(_satisfaction(opened, "No deal as things stand. Satisfaction in "
                                          + first_way_deal(result.relaxations) + ":"))
        if opened.left_out:
            body.append(f"<p class='muted'>{_e(left_out_line(scenario, opened.left_out))}</p>")
    body.append("</section>")
    if result.deal is not None:
        body.append("<section id='deal'><h2>Best deal</h2><table><tr><th>Issue</th><th>Deal</th><th>Room</th>"
                    "<th>What it decides</th></tr>")
        for name, value in result.deal.values.items():
            body.append(f"<tr><td><code>{_e(name)}</code></td><td>{_e(show_value(value))}</td>"
                        f"<td>{_e(_room_text(scenario, result.room.get(name)))}</td>"
                        f"<td>{_e(scenario.issues[name].description or '')}</td></tr>")
        body.append("</table>")
        fixed = forced(scenario, result)
        body.append(f"<p>Forced in every deal: {_e(', '.join(fixed) or 'none')}.</p></section>")
        if result.unreachable or not result.unreachable_complete:
            cut = "" if result.unreachable_complete else f" ({list_cut_short(result.interrupted)})"
            body.append(f"<section id='unreachable'><h2>Demands no deal can meet"
                        f"{'' if result.unreachable else ': none found'}{_e(cut)}</h2>")
            for item in result.unreachable:
                target = said(scenario, item.demand)
                body.append(f"<div class='conflict'><h3>{_e(target.who)}: “{_e(target.says)}” "
                            f"<code>{_e(item.demand)}</code></h3>"
                            + ("<p class='muted'>ruled out by:</p>"
                               + _rules(scenario, *red_lines_then_facts(item.because))
                               if item.because else "<p class='muted'>the rule itself is impossible</p>")
                            + "</div>")
            body.append("</section>")
    body.append("<section id='conflict-map'><h2>Conflict map</h2><div class='map'>"
                f"{to_svg(build_map(scenario, result), 'Conflict map: ' + scenario.title)}</div></section>")
    if result.conflicts or result.verdict is Verdict.NO_DEAL:
        extent = conflicts_extent(len(result.conflicts), result.conflicts_complete, result.conflicts_cut_by_time,
                                  result.interrupted)
        body.append(f"<section id='conflicts'><h2>Conflicts ({conflicts_count(len(result.conflicts))}, "
                    f"{_e(extent)})</h2>")
        for index, c in enumerate(result.conflicts, 1):
            body.append(f"<div class='conflict' id='conflict-{index}'><h3>{index}. "
                        f"{_e(conflict_summary(scenario, c.red_lines, c.facts))}</h3>"
                        f"{_rules(scenario, c.red_lines, c.facts)}</div>")
        body.append("</section>")
    if result.relaxations:
        top = max(r.cost for r in result.relaxations)
        body.append("<section id='relaxations'><h2>Cheapest ways to a deal</h2><table><tr><th>#</th>"
                    "<th>Red lines to give up</th><th>Cost</th><th></th></tr>")
        for index, r in enumerate(result.relaxations, 1):
            names = "<br>".join(f"{_e(scenario.party(party).name)}: "
                                + ", ".join(f"<code>{_e(n)}</code>" for n in given)
                                for party, given in r.by_party().items())
            body.append(f"<tr><td>{index}</td><td>{names}</td><td>{r.cost}</td>"
                        f"<td>{_bar(r.cost / top if top else 0, 'bar cost')}</td></tr>")
        body.append("</table></section>")
    if facts_alone_leave_no_deal(result):
        body.append(f"<p>{_e(FACTS_ALONE)}</p>")
    if result.verdict is Verdict.NO_DEAL and not result.relaxations_complete:
        body.append(f"<p class='incomplete'>{_e(relaxations_cut_short(len(result.relaxations), result.interrupted))}"
                    "</p>")
    if comparison is not None:
        body.append(_comparison(comparison, edits))
    if scenario.sources:
        body.append("<section id='sources'><h2>Sources</h2><ul class='sources'>")
        for s in scenario.sources:
            title = f"<a href='{_e(s.url)}'>{_e(s.title)}</a>" if is_web_url(s.url) else _e(s.title)
            body.append(f"<li><b>{_e(s.id)}</b> {title}{' (' + _e(s.date) + ')' if s.date else ''}</li>")
        body.append("</ul></section>")
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(scenario.title)}</title><style>{STYLE}</style></head><body><main>\n"
            + "\n".join(body) + "\n</main></body></html>\n")


def _comparison(comparison: Comparison, heading: str) -> str:
    rows = [f"<section id='changes'><h2>{_e(heading or 'Before and after')}</h2>",
            f"<p>Verdict: <b>{_e(comparison.verdict_before.value)}</b> → <b>{_e(comparison.verdict_after.value)}</b></p>"]
    for label, group in (("Resolved", comparison.conflicts_resolved), ("Remaining", comparison.conflicts_remaining),
                         ("New", comparison.conflicts_new)):
        for conflict in group:
            rows.append(f"<p>{label} conflict: {_e(', '.join(conflict))}</p>")
    if comparison.issues_changed:
        rows.append("<table><tr><th>Issue</th><th>Before</th><th>After</th></tr>")
        for change in comparison.issues_changed:
            before = show_or_dash(change.before)
            after = show_or_dash(change.after)
            rows.append(f"<tr><td><code>{_e(change.issue)}</code></td><td>{_e(before)}</td><td>{_e(after)}</td></tr>")
        rows.append("</table>")
    if comparison.satisfaction:
        rows.append("<table><tr><th>Party</th><th>Before</th><th>After</th></tr>")
        for party, (b, a) in comparison.satisfaction.items():
            rows.append(f"<tr><td>{_e(party)}</td><td>{_percent(b)}</td><td>{_percent(a)}</td></tr>")
        rows.append("</table>")
    rows.append("</section>")
    return "\n".join(rows)
