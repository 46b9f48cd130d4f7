"""The page of `feasible serve`, made on the server: the page itself, the scenario's panel (its positions in
their own words, with the controls of the what-if) and the answer's fragments. Every text from the files goes
through the report's `escaped`; the script only places these fragments (docs/serve.md, "Page DOM contract")."""

from __future__ import annotations

import re

from feasible.positions.kinds import issue_type
from feasible.positions.model import Issue, Party, Rule, Scenario
from feasible.solver import Objective
from feasible.solver.explain.conflicts import Conflict
from feasible.solver.live import FirstStage

from ..html_report import STYLE, check_body, escaped, issues_html, rules_html, satisfaction_html
from ..presentation import CheckReport, conflict_view, deal_view
from ..render import counts_line
from ..safe import is_web_url
from ..words import Said, issue_label, said_rule, verdict_word
from . import words

_e = escaped
#: A link to a source on the web in the report's parts (addresses are escaped: a quote cannot end one early).
#: Inside the live page it opens a new tab and sends no referrer, as the panel's links do.
_WEB_LINK = re.compile("<a href='http")

#: An issue with at most this many values is pinned from a list; one with more (a number's range, a set's
#: subsets) by typing its value as on the command line.
PICKED_UP_TO = 24



def page_html(title: str, panel: str, *, writable: bool) -> str:
    """The page: the panel on the left, the answer on the right (filled in by the script)."""
    write = ("<button type='button' id='preview-write'>" + _e(words.PREVIEW_WRITE) + "</button>" if writable
             else "<button type='button' id='preview-write' disabled>" + _e(words.PREVIEW_WRITE) + "</button>"
             f"<p class='muted'>{_e(words.WRITE_DISABLED)}</p>")
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(words.PAGE_TITLE.format(title=title))}</title>"
            "<link rel='icon' href='data:,'>"  # no request for a favicon (it would need the token)
            f"<style>{STYLE}</style><link rel='stylesheet' href='static/serve.css'>"
            "<script src='static/serve.js' defer></script></head>"
            f"<body data-answered='0' data-writable='{'true' if writable else 'false'}'>"
            f"<noscript><p class='incomplete'>{_e(words.NO_SCRIPT)}</p></noscript>"
            "<div class='layout'>"
            f"<aside id='panel' aria-label='{_e(words.SCENARIO_HEADING)}'>{panel}</aside>"
            "<div id='answer-column'>"
            "<div id='toolbar'>"
            f"<h2 class='toolbar-heading'>{_e(words.WHATIF_HEADING)}</h2><pre id='command'></pre>"
            "<div class='buttons'>"
            f"<button type='button' id='reset'>{_e(words.RESET)}</button>"
            f"<button type='button' id='download-overlay'>{_e(words.DOWNLOAD_OVERLAY)}</button>"
            f"<button type='button' id='download-report'>{_e(words.DOWNLOAD_REPORT)}</button>"
            f"{write}</div>"
            f"<div id='write-box' data-changed='{_e(words.PREVIEW_AGAIN)}'><pre id='write-diff' hidden></pre>"
            f"<button type='button' id='confirm-write' hidden>{_e(words.CONFIRM_WRITE)}</button>"
            "<p id='write-status' role='status'></p></div>"
            "</div>"
            f"<section id='answer' aria-live='polite' data-waiting='{_e(words.WAITING)}' "
            f"data-stopped='{_e(words.ANSWER_STOPPED)}'>"
            f"<p id='files-status' class='incomplete' data-invalid='{_e(words.FILES_INVALID)}' hidden></p>"
            f"<p id='whatif-lost' class='incomplete' data-template='{_e(words.WHATIF_LOST)}' hidden></p>"
            "<div id='verdict-bar'>"  # one column (a narrow window): kept in sight at the bottom (serve.css)
            f"<div id='verdict' class='verdict' data-verdict='' data-stage='pending' "
            f"data-error-line='{_e(words.ERROR_LINE)}'></div>"
            "<p id='progress' class='muted'></p></div>"
            f"<button type='button' id='ask-again' hidden>{_e(words.ASK_AGAIN)}</button>"
            "<pre id='error' hidden></pre>"
            "<div id='answer-body'></div>"
            "</section></div></div></body></html>\n")


# -- the panel -------------------------------------------------------------------------------------------------------

def panel_html(scenario: Scenario, version: int) -> str:
    """The scenario's positions with the controls of a what-if, for one version of the files."""
    parts = [f"<div id='scenario-panel' data-version='{version}'>",
             f"<header class='panel-head'><h1>{_e(scenario.title)}</h1>"
             f"<p class='summary'>{_e(counts_line(scenario))}</p></header>",
             _objective(), _readings(scenario), _issues(scenario), _parties(scenario), _facts(scenario), "</div>"]
    return "\n".join(part for part in parts if part)


def _objective() -> str:
    options = "".join(f"<option value='{o.value}'{' selected' if o is Objective.FAIR else ''}>"
                      f"{_e(words.OBJECTIVES[o.value])}</option>" for o in Objective)
    return (f"<section class='panel-section'><label class='row'><span>{_e(words.OBJECTIVE_LABEL)}</span>"
            f"<select id='objective'>{options}</select></label></section>")


def _readings(scenario: Scenario) -> str:
    if not scenario.readings:
        return ""
    titles = {r.name: r.title for r in scenario.readings}
    rows = [f"<section class='panel-section' id='readings-panel'><h2>{_e(words.READINGS_HEADING)}</h2>"]
    for question in scenario.questions:
        options = "".join(f"<option value='{_e(name)}'{' selected' if name == question.default else ''}"
                          f" data-default='{'true' if name == question.default else 'false'}'>"
                          f"{_e(titles.get(name, name))}</option>" for name in question.readings)
        rows.append(f"<label class='question'><span>{_e(question.asks)}</span>"
                    f"<select data-question='{_e(question.name)}'>{options}</select></label>")
    asked = {name for q in scenario.questions for name in q.readings}
    alone = [r for r in scenario.readings if r.name not in asked]
    if alone:
        rows.append(f"<p class='muted'>{_e(words.OTHER_READINGS)}</p>")
        rows += [f"<label class='reading'><input type='checkbox' data-reading='{_e(r.name)}'> {_e(r.title)}</label>"
                 for r in alone]
    rows.append("</section>")
    return "\n".join(rows)


def _picked(issue: Issue) -> list[str] | None:
    """The values of an issue as on the command line, when there are few enough to pick from a list and each has
    words of its own (the empty set has none: "" is "free" in the list); else None, and the value is typed."""
    kind = issue_type(issue)
    if issue.steps or kind.size(issue) > PICKED_UP_TO:
        return None
    values = [kind.text(value) for value in kind.every_value(issue)]
    return values if all(values) else None


def _issue_control(scenario: Scenario, issue: Issue) -> str:
    label = _e(issue_label(scenario, issue.name))
    picked = _picked(issue)
    if picked is not None:
        options = f"<option value=''>{_e(words.FREE)}</option>" + "".join(
            f"<option value='{_e(v)}'>{_e(v)}</option>" for v in picked)
        return (f"<label class='issue'><span>{label}</span>"
                f"<select data-issue='{_e(issue.name)}' title='{_e(issue.name)}'>{options}</select></label>")
    if issue.steps:  # a sequence is set one step at a time, to its phase (as --set SEQUENCE.STEP=PHASE)
        steps = "".join(_step_control(issue, step) for step in issue.steps)
        return f"<div class='issue sequence'><span>{label}</span><div class='steps'>{steps}</div></div>"
    kind = issue_type(issue)
    if kind.text(kind.first_value(issue)) == "":  # a value written as nothing (a set's empty set): typed as {}
        hint = words.SET_HINT.format(values=", ".join(issue.values))
        empty = " data-kind='set'"
    else:
        hint = ", ".join(issue.values) if issue.values else f"{issue.min}–{issue.max}"
        empty = ""
    return (f"<label class='issue'><span>{label}</span><input type='text' data-issue='{_e(issue.name)}'{empty} "
            f"title='{_e(issue.name)}: {_e(hint)}' placeholder='{_e(words.FREE)} ({_e(hint)})'></label>")


def _step_control(issue: Issue, step: str) -> str:
    """One step of a sequence, its phase typed: the hint names the phases it can take (0: left out)."""
    low = 0 if step in issue.optional else 1
    hint = f"{low}–{issue.top_phase}"
    return (f"<label class='step'><span>{_e(step)}</span><input type='text' inputmode='numeric' "
            f"data-issue='{_e(issue.name)}.{_e(step)}' title='{_e(issue.name)}.{_e(step)}: {_e(hint)}' "
            f"placeholder='{_e(words.FREE)} ({_e(hint)})'></label>")


def _issues(scenario: Scenario) -> str:
    rows = [f"<details class='panel-section' id='issues-panel' open><summary><h2>{_e(words.ISSUES_HEADING)}</h2>"
            "</summary><div class='issues'>"]
    rows += [_issue_control(scenario, issue) for issue in scenario.issues.values()]
    rows.append("</div></details>")
    return "\n".join(rows)


def _cited(item: Said) -> str:
    """The sources a position cites, as links to them (a new tab, no referrer: the page's address holds its
    token), or its source as free text."""
    links = [f"<a href='{_e(s.url)}' target='_blank' rel='noreferrer noopener' title='{_e(s.title)}'>{_e(s.id)}</a>"
             if is_web_url(s.url) else f"<span title='{_e(s.title)}'>{_e(s.id)}</span>" for s in item.sources]
    if links:
        return f" <span class='cite'>[{', '.join(links)}]</span>"
    return f" <span class='cite muted'>[{_e(item.source_note)}]</span>" if item.source_note else ""


def _said(scenario: Scenario, rule: Rule) -> str:
    item = said_rule(scenario, rule)
    return (f"<span class='says'>“{_e(item.says)}”</span>{_cited(item)}"
            f"<code class='rule muted'>{_e(item.name)}: {_e(item.rule)}</code>")


def _red_line(scenario: Scenario, rule: Rule) -> str:
    name = _e(rule.name)
    choices = "".join(f"<label class='choice choice-{value}'><input type='radio' name='rl:{name}' value='{value}'"
                      f"{' checked' if value == 'keep' else ''}><span>{_e(text)}</span></label>"
                      for value, text in (("keep", words.KEEP), ("demote", words.DEMOTE), ("drop", words.DROP)))
    return (f"<fieldset class='red-line' data-rule='{name}'><legend class='visually-hidden'>{name}</legend>"
            f"<div class='position'>{_said(scenario, rule)}</div><div class='choices'>{choices}</div></fieldset>")


def _demand(scenario: Scenario, rule: Rule) -> str:
    name = _e(rule.name)
    top = max(10, 2 * rule.weight)
    return (f"<div class='demand'><div class='position'>{_said(scenario, rule)}</div>"
            f"<label class='weight'><span>{_e(words.WEIGHT)}</span><input type='range' data-demand='{name}' min='1' "
            f"max='{top}' step='1' value='{rule.weight}' data-default='{rule.weight}'>"
            f"<output>{rule.weight}</output></label></div>")


def _party(scenario: Scenario, party: Party) -> str:
    level = (f"<p class='muted'>{_e(words.ACCEPT_AT_LEAST.format(level=party.accept_at_least))}</p>"
             if party.accept_at_least is not None else "")
    red = "".join(_red_line(scenario, rule) for rule in party.red_lines)
    demands = "".join(_demand(scenario, rule) for rule in party.demands)
    return (f"<details class='party' data-party='{_e(party.id)}' open><summary>"
            f"<span class='who'>{_e(party.name)}</span> <span class='muted'>{len(party.red_lines)} · "
            f"{len(party.demands)}</span></summary>{level}"
            + (f"<h3>{_e(words.RED_LINES)}</h3>{red}" if red else "")
            + (f"<h3>{_e(words.DEMANDS)}</h3>{demands}" if demands else "") + "</details>")


def _parties(scenario: Scenario) -> str:
    toggles = (f"<span class='toggles'><button type='button' data-toggle-parties='open'>{_e(words.OPEN_ALL)}</button>"
               f"<button type='button' data-toggle-parties='close'>{_e(words.CLOSE_ALL)}</button></span>")
    return (f"<section class='panel-section' id='parties-panel'><h2>{_e(words.PARTIES_HEADING)}{toggles}</h2>"
            f"<input type='search' id='filter' placeholder='{_e(words.FILTER)}' aria-label='{_e(words.FILTER)}'>"
            + "".join(_party(scenario, party) for party in scenario.parties) + "</section>")


def _facts(scenario: Scenario) -> str:
    if not scenario.facts:
        return ""
    items = "".join(f"<li>{_said(scenario, fact)}</li>" for fact in scenario.facts)
    return (f"<details class='panel-section' id='facts-panel'><summary><h2>{_e(words.FACTS_HEADING)} "
            f"({len(scenario.facts)})</h2></summary><ul class='facts'>{items}</ul></details>")


# -- the answer's fragments ------------------------------------------------------------------------------------------

def report_fragment(report: CheckReport) -> str:
    """The report's parts (the complete answer, or the answer so far) inside the page: the verdict line is shown in
    the page's own #verdict, so the report's copy loses its id (one id per page)."""
    parts = "\n".join(part.replace("<p id=\"verdict\" ", "<p ", 1) for part in check_body(report) if part)
    return _WEB_LINK.sub("<a target='_blank' rel='noreferrer noopener' href='http", parts)


def verdict_line(report: CheckReport) -> str:
    view = report.check
    return f"{view.verdict_word}: {view.verdict_sentence}."


def first_fragment(stage: FirstStage) -> tuple[str, str]:
    """The first stage: (the verdict line, the fragment: the deal found, or the conflict)."""
    line, html = _first(stage)
    return f"{verdict_word(stage.verdict.value)}: {line}", html


def _first(stage: FirstStage) -> tuple[str, str]:
    scenario = stage.scenario
    if stage.deal is not None and scenario is not None:
        deal = deal_view(scenario, stage.deal)
        return words.FIRST_DEAL, "\n".join([
            satisfaction_html(deal, words.FIRST_DEAL_HEADING),
            issues_html(deal, "first-deal", words.FIRST_DEAL_HEADING, with_room=False) + "</section>"])
    if stage.conflict is not None and scenario is not None:
        return words.FIRST_CONFLICT, _conflict_html(scenario, stage.conflict)
    if stage.facts_conflict:
        return words.FIRST_FACTS, ""
    return words.FIRST_UNKNOWN, ""


def _conflict_html(scenario: Scenario, conflict: Conflict) -> str:
    view = conflict_view(scenario, conflict.red_lines, conflict.facts)
    return (f"<section id='first-conflict'><h2>{_e(words.FIRST_CONFLICT_HEADING)}</h2><div class='conflict'>"
            f"<h3>{_e(view.summary)}</h3>{rules_html(view.rules, {})}</div></section>")


def error_fragment(text: str) -> str:
    return f"<pre class='error-text'>{_e(text)}</pre>"
