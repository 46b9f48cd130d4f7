"""Issue 20, point 5: the API's results show themselves in a notebook (`_repr_html_`) with the HTML report's own
parts, made by the same renderers as `feasible report`, inside `<div class="feasible-output">` under the report's
style scoped to that div; text from the files stays text; `import feasible` (and check) import nothing of cli
until a result is shown; a result without its scenario is shown by rule names."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from dataclasses import replace

import pytest
from test_reports import assert_self_contained, parse_html

import feasible
from feasible.cli.coalitions_view import coalitions_body, coalitions_view
from feasible.cli.frontier_view import frontier_body, frontier_html, frontier_view, tradeoffs_body, tradeoffs_view
from feasible.cli.html_report import STYLE, check_body, check_html
from feasible.cli.notebook import SCOPE, scoped, shown
from feasible.cli.notebook_words import NAMES_ONLY
from feasible.cli.presentation import check_report
from feasible.solver.display import renderer
from feasible.solver.tradeoffs import FrontierAnswer

HOSTILE = """\
title: "Hostile <i>title</i>"
issues:
  troops: {type: bool}
parties:
  - party: east
    red_lines:
      - {id: none, says: "<script>alert(1)</script> no troops", rule: not troops}
  - party: west
    red_lines:
      - {id: some, says: "<img src=x onerror=alert(2)> troops", rule: troops}
    demands:
      - {id: many, says: "troops & more", rule: troops, weight: 2}
"""


@pytest.fixture(scope="module")
def toy() -> feasible.Scenario:
    return feasible.load_scenario("three-party-toy")


@pytest.fixture
def hostile(write) -> feasible.Scenario:
    return feasible.load_scenario(write("hostile.yaml", HOSTILE))


def _inside(html: str) -> str:
    """What the div holds after its style: the parts shown."""
    match = re.fullmatch(rf'<div class="{SCOPE}"><style>.*?</style>\n(.*)\n</div>', html, flags=re.S)
    assert match, html[:200]
    return match.group(1)


def _well_formed(html: str) -> None:
    builder = parse_html(html)
    assert not builder.problems and builder.current is builder.root, builder.problems
    assert_self_contained(html)


def test_a_check_shows_the_reports_parts_in_the_parties_words(hostile):
    result = feasible.check(hostile)
    html = result._repr_html_()
    _well_formed(html)
    parts = check_body(check_report(hostile, result))
    assert html == shown(parts)
    # the same parts as the report page, in the same order (the page's <main> holds them)
    page = check_html(check_report(hostile, result))
    assert _inside(html) in page
    assert "NO DEAL" in html and "id='conflicts'" in html and "id='relaxations'" in html
    assert "east/none" in html and "west/some" in html


def test_words_from_the_files_stay_text(hostile):
    result = feasible.check(hostile)
    for html in (result._repr_html_(), result.conflicts[0]._repr_html_(), result.relaxations[0]._repr_html_()):
        _well_formed(html)
        assert "<script" not in html and "<img" not in html and "<i>" not in html
    for html in (result._repr_html_(), result.conflicts[0]._repr_html_()):
        assert "&lt;script&gt;alert(1)&lt;/script&gt; no troops" in html
        assert "&lt;img src=x onerror=alert(2)&gt; troops" in html
    assert "Hostile &lt;i&gt;title&lt;/i&gt;" in result._repr_html_()


def test_a_deal_shows_the_verdict_the_deal_and_the_satisfaction(toy):
    result = feasible.check(toy)
    html = result._repr_html_()
    _well_formed(html)
    assert result.verdict is feasible.Verdict.DEAL
    assert "verdict-deal" in html and "id='deal'" in html and "class=\"bar\"" in html
    assert all(party.name in html for party in toy.parties)


def test_a_conflict_and_a_relaxation_show_themselves_with_their_sources():
    scenario = feasible.load_scenario("ukraine-2026")
    result = feasible.check(scenario, relaxations=1)
    conflict, relaxation = result.conflicts[0], result.relaxations[0]
    html = conflict._repr_html_()
    _well_formed(html)
    said = {rule.name: rule.says for party in scenario.parties for rule in party.red_lines}
    assert all(feasible.cli.html_report.escaped(said[name]) in html for name in conflict.red_lines)
    cited = re.findall(r"href='#source-(\d+)'", html)
    assert cited and set(cited) <= set(re.findall(r"id='source-(\d+)'", html))
    html = relaxation._repr_html_()
    _well_formed(html)
    assert all(name in html for name in relaxation.drop) and "id='opened-deal'" in html


def test_a_frontier_shows_the_frontier_pages_parts(toy):
    found = feasible.frontier(toy)
    html = found._repr_html_()
    _well_formed(html)
    view = frontier_view(toy, FrontierAnswer(found))
    assert html == shown(frontier_body(view)) and _inside(html) in frontier_html(view)
    assert all(party.name in html for party in toy.parties)


def test_tradeoffs_and_coalitions_show_their_pages_parts(toy):
    found = feasible.tradeoffs(toy, "extraction_cap", time_limit=10)
    assert found._repr_html_() == shown(tradeoffs_body(tradeoffs_view(toy, found)))
    groups = feasible.coalitions(toy)
    html = groups._repr_html_()
    _well_formed(html)
    assert _inside(html) == "\n".join(part for part in coalitions_body(coalitions_view(toy, groups)) if part)
    assert ".feasible-output .picture .edge" in html  # the picture's style, scoped too


def test_the_style_is_the_reports_scoped_to_the_div():
    """A notebook's own page keeps its look: every rule of the style applies inside the div only."""
    css = scoped(STYLE)
    selectors = [s.strip() for block in re.findall(r"(?:^|[{}])\s*([^{}@]+?)\s*\{", css) for s in block.split(",")]
    assert selectors and all(s == f".{SCOPE}" or s.startswith(f".{SCOPE} ") for s in selectors), selectors
    assert "@media print" in css
    # every declaration of the report is kept
    declarations = lambda text: sorted(re.findall(r"[\w-]+\s*:\s*[^;{}]+;", text))  # noqa: E731
    assert declarations(css) == declarations(STYLE)


def test_a_result_carries_its_scenario_without_it_being_part_of_the_answer(toy):
    result = feasible.check(toy)
    assert result.scenario is toy
    bare = replace(result, scenario=None)
    assert bare == result and repr(bare) == repr(result) and "scenario=" not in repr(result)
    assert check_report(toy, bare).json() == check_report(toy, result).json()
    assert pickle.loads(pickle.dumps(result)).scenario is None  # sent to another process: as small as before


def test_without_its_scenario_a_result_is_shown_by_rule_names(hostile):
    result = feasible.check(hostile)
    for bare in (pickle.loads(pickle.dumps(result)), replace(result, scenario=None)):
        html = bare._repr_html_()
        _well_formed(html)
        assert "NO DEAL" in html and "east/none" in html and "west/some" in html and NAMES_ONLY in html
        assert "alert" not in html  # no words from the files: it has none
    conflict = feasible.Conflict(red_lines=("east/none", "west/some"), facts=())
    assert "<code>east/none</code>" in conflict._repr_html_()
    deal = feasible.check(feasible.load_scenario("three-party-toy"))
    assert "extraction_cap" in replace(deal, scenario=None)._repr_html_()
    assert replace(feasible.frontier(hostile), scenario=None)._repr_html_() is None  # the text repr, then


def test_the_renderer_is_looked_up_by_class_and_base_class():
    assert renderer(object()) is None

    class Later(feasible.CheckResult):
        pass

    assert renderer(Later("t", feasible.Verdict.UNKNOWN, feasible.Objective.FAIR)).__name__ == "check_result_html"


def test_import_feasible_and_check_import_nothing_of_cli_until_a_result_is_shown():
    code = ("import sys, feasible\n"
            "cli = lambda: sorted(m for m in sys.modules if m.startswith('feasible.cli'))\n"
            "print(cli())\n"
            "result = feasible.check(feasible.load_scenario('three-party-toy'))\n"
            "print(cli())\n"
            "result._repr_html_()\n"
            "print('feasible.cli.notebook' in cli())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:3] == ["[]", "[]", "True"]


def test_ipython_displays_a_result_as_html(toy):
    formatters = pytest.importorskip("IPython.core.formatters", reason="IPython is not installed (not a dependency)")
    data, _ = formatters.DisplayFormatter().format(feasible.check(toy))
    assert data["text/html"].startswith(f'<div class="{SCOPE}">')
