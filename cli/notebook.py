"""The results of the API as they show themselves in a notebook (`_repr_html_`, solver/display.py; the top package's
RENDERERS names the functions here): the HTML report's own parts, made by the same code as `feasible report`
(check_body, the frontier's, trade-offs' and coalitions' renderers), inside a `<div class="feasible-output">` with
the report's style scoped to that div, so that the notebook's own page keeps its look.

Text from position files is escaped as in the report. A result that does not carry its scenario is shown by the
names of its rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from feasible.positions import Scenario, Source
from feasible.solver.coalitions import Coalitions
from feasible.solver.explain.conflicts import Conflict
from feasible.solver.explain.relaxations import Relaxation
from feasible.solver.frontier import Frontier
from feasible.solver.result import CheckResult
from feasible.solver.tradeoffs import FrontierAnswer, Tradeoffs

from . import notebook_words as nw
from .coalitions_view import PICTURE_CSS, coalitions_body, coalitions_view
from .frontier_view import frontier_body, frontier_view, tradeoffs_body, tradeoffs_view
from .html_report import (STYLE, conflict_html, escaped as e, issues_html, relaxations_table, satisfaction_html,
                          sources_section, check_body)
from .presentation import Rules, check_report, conflict_view, relaxation_view
from .words import optimality, show_value, verdict_sentence, verdict_word

SCOPE = "feasible-output"
_PAGE_SELECTORS = (":root", "html", "body", "main")  # the report's page: in a notebook, the div stands for it


@cache
def scoped(css: str, scope: str = f".{SCOPE}") -> str:
    """The style sheet with every rule applying only inside `scope` (at-rules such as @media keep their blocks,
    whose rules are scoped in turn); the page's own selectors (:root, body, main) become the scope itself."""
    out, at = [], 0
    for match in re.finditer(r"([^{}]*)\{", css):
        if match.start() < at:
            continue
        prelude = match.group(1).strip()
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        inside = css[match.end():end - 1]
        if prelude.startswith("@"):
            out.append(f"{prelude} {{ {scoped(inside, scope)} }}")
        else:
            selectors = ", ".join(_scoped_selector(s.strip(), scope) for s in prelude.split(","))
            out.append(f"{selectors} {{{inside}}}")
        at = end
    return "\n".join(out)


def _scoped_selector(selector: str, scope: str) -> str:
    first, _, rest = selector.partition(" ")
    if first in _PAGE_SELECTORS:
        return f"{scope} {rest}".strip()
    return f"{scope} {selector}"


def shown(parts: Sequence[str], css: str = "") -> str:
    """The parts inside the div a notebook shows, under the report's style (and `css`), both scoped to it."""
    style = scoped(STYLE + css)
    return (f'<div class="{SCOPE}"><style>{style}</style>\n' + "\n".join(part for part in parts if part)
            + "\n</div>")


def check_result_html(result: CheckResult) -> str:
    """A check's answer as the report shows it (`feasible report`), without the page around it."""
    if result.scenario is None:
        return shown(_check_by_names(result))
    return shown(check_body(check_report(result.scenario, result)))


def conflict_result_html(conflict: Conflict) -> str:
    """One conflict as the report lists it: its summary, its rules in the parties' words, and the sources they
    cite."""
    scenario = conflict.scenario
    if scenario is None:
        return shown([_conflict_by_names(conflict), _names_only()])
    view = conflict_view(scenario, conflict.red_lines, conflict.facts)
    cited = _cited(scenario, view.rules)
    return shown([conflict_html(view, {s.id: n for n, s in enumerate(cited, 1)}), sources_section(cited)])


def relaxation_result_html(relaxation: Relaxation) -> str:
    """One way to a deal as the report lists it, and the deal it opens: each party's satisfaction and the issues."""
    scenario = relaxation.scenario
    if scenario is None:
        return shown([*_relaxations_by_names([relaxation]), _names_only()])
    view = relaxation_view(scenario, relaxation, interrupted=False)
    parts = relaxations_table([view])
    if view.deal is not None:
        parts += [satisfaction_html(view.deal, nw.OPENED_HEADING),
                  issues_html(view.deal, "opened-deal", nw.OPENED_HEADING, with_room=False) + "</section>"]
    return shown(parts)


def frontier_result_html(frontier: Frontier) -> str | None:
    """A frontier as `feasible frontier --format html` shows it (None without its scenario: the text repr)."""
    if frontier.scenario is None:
        return None
    return shown(frontier_body(frontier_view(frontier.scenario, FrontierAnswer(frontier))))


def tradeoffs_result_html(tradeoffs: Tradeoffs) -> str | None:
    """An issue's trade-offs as `feasible tradeoffs --format html` shows them (None without the scenario)."""
    if tradeoffs.scenario is None:
        return None
    return shown(tradeoffs_body(tradeoffs_view(tradeoffs.scenario, tradeoffs)))


def coalitions_result_html(coalitions: Coalitions) -> str | None:
    """The coalitions as `feasible coalitions --format html` shows them (None without the scenario)."""
    if coalitions.scenario is None:
        return None
    return shown(coalitions_body(coalitions_view(coalitions.scenario, coalitions)), PICTURE_CSS)


def _cited(scenario: Scenario, rules: Rules) -> list[Source]:
    """The scenario's sources the rules cite, in the scenario's order (the report numbers them so)."""
    ids = {source.id for item in (*rules.red_lines, *rules.facts) for source in item.sources}
    return [source for source in scenario.sources if source.id in ids]


# -- by rule names, without the scenario ---------------------------------------------------------------------------

def _names_only() -> str:
    return f"<p class='muted'>{e(nw.NAMES_ONLY)}.</p>"


def _codes(names: Sequence[str]) -> str:
    return ", ".join(f"<code>{e(name)}</code>" for name in names)


def _check_by_names(result: CheckResult) -> list[str]:
    best = result.deal
    proof = optimality(best.optimal, best.gap, result.interrupted, result.objective.value) if best else None
    sentence = verdict_sentence(result.verdict.value, result.objective.value, proof, result.interrupted)
    parts = [f"<header><h1>{e(result.title)}</h1><p class='verdict verdict-{e(result.verdict.value)}'>"
             f"{e(verdict_word(result.verdict.value))}: {e(sentence)}.</p></header>"]
    if best is not None:
        parts.append(f"<section><h2>{e(nw.DEAL_HEADING)}</h2><table><tr><th>{e(nw.ISSUE_COLUMN)}</th>"
                     f"<th>{e(nw.DEAL_COLUMN)}</th></tr>"
                     + "".join(f"<tr><td>{e(issue)}</td><td>{e(show_value(value))}</td></tr>"
                               for issue, value in best.values.items()) + "</table></section>")
    if result.conflicts:
        parts.append(f"<section><h2>{e(nw.CONFLICTS_HEADING)}</h2>"
                     + "".join(_conflict_by_names(c, n) for n, c in enumerate(result.conflicts, 1)) + "</section>")
    if result.relaxations:
        parts.append(f"<section><h2>{e(nw.RELAXATIONS_HEADING)}</h2>")
        parts += _relaxations_by_names(result.relaxations)
        parts.append("</section>")
    return [*parts, _names_only()]


def _conflict_by_names(conflict: Conflict, index: int = 0) -> str:
    number = f"{index}. " if index else ""
    return (f"<div class='conflict'><h3>{number}{e(nw.CONFLICT_HEADING)}</h3><p>{_codes(conflict.red_lines)}</p>"
            + (f"<p class='muted'>{_codes(conflict.facts)}</p>" if conflict.facts else "") + "</div>")


def _relaxations_by_names(relaxations: Sequence[Relaxation]) -> list[str]:
    return [f"<table><tr><th>#</th><th>{e(nw.RED_LINES_COLUMN)}</th><th>{e(nw.COST_COLUMN)}</th></tr>"
            + "".join(f"<tr><td>{n}</td><td>{_codes(r.drop)}</td><td>{r.cost}</td></tr>"
                      for n, r in enumerate(relaxations, 1)) + "</table>"]
