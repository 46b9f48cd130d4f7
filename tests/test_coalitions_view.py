"""The presentation of `feasible coalitions` (cli/coalitions_view.py) over answers built here from real deals of
`feasible.check`, so that every state the library can return is shown, whatever the machine: every format states
every statement of the model, the JSON is the model's, the picture is read off the answer alone, and words from the
files stay data in every format (issue 17, point 2)."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from test_cli_defects import HTML, assert_no_control, hostile_scenario

from feasible.cli.coalitions_view import (LATTICE_PARTIES, coalitions_html, coalitions_markdown, coalitions_text,
                                          coalitions_view)
from feasible.cli.safe import TerminalSafeHook, json_text
from feasible.positions import load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.solver import check
from feasible.solver.coalitions import (BlockingGroup, Coalition, Coalitions, CoalitionVerdict, SubAgreement,
                                        SubConflict)

FOUR = Path(__file__).parent / "data" / "coalitions" / "four-parties.yaml"
PARTIES = ("europe", "us", "ukraine", "russia")


@pytest.fixture(scope="module")
def four():
    return load_scenario(str(FOUR))


def deal_of(scenario, *members):
    """The best deal of these parties alone (the others' red lines and demands dropped), checked for real."""
    others = [p.id for p in scenario.parties if p.id not in members]
    reduced, _ = apply_edits(scenario, Edits(drop=tuple(f"{p}/*" for p in others)))
    found = check(reduced, time_limit=60)
    assert found.deal is not None
    return found.deal


def answer(scenario, **changes) -> Coalitions:
    """The four parties' answer as the library states it: two maximal coalitions, two blocking pairs."""
    found = Coalitions(
        parties=PARTIES, included=(), excluded=(), verdict=CoalitionVerdict.FOUND,
        maximal=(Coalition(("europe", "us", "ukraine"), deal_of(scenario, "europe", "us", "ukraine")),
                 Coalition(("us", "russia"), deal_of(scenario, "us", "russia"))),
        blocking=(BlockingGroup(("europe", "russia"), ("europe/deploy", "russia/no-nato-troops"), ()),
                  BlockingGroup(("ukraine", "russia"), ("russia/no-nato-troops", "ukraine/guarantees"), ())),
        solves=7, interrupted=False)
    return dataclasses.replace(found, **changes)


def supporters(scenario, **changes) -> SubAgreement:
    """The supporters' sub-agreement: force, sanctions and assets settled, the line open, Russia refusing."""
    deal = deal_of(scenario, "europe", "us", "ukraine")
    settled = ("force", "sanctions", "assets")
    sub = SubAgreement(("europe", "us", "ukraine"), True, settled, ("line",), {i: deal.values[i] for i in settled},
                       deal, (), ("russia",), False, None, SubConflict(("force",), ("russia/no-nato-troops",), ()))
    return dataclasses.replace(sub, **changes)


def rendered(view) -> dict[str, str]:
    console = Console(file=io.StringIO(), width=200, highlight=False, soft_wrap=True)
    console.push_render_hook(TerminalSafeHook())  # as the command's console (cli/app.py)
    console.print(coalitions_text(view))
    return {"text": console.file.getvalue(), "markdown": coalitions_markdown(view), "html": coalitions_html(view)}


def states(outputs: dict[str, str], sentence: str) -> bool:
    """The sentence is in every output (its first letter may be capitalised there)."""
    words = " ".join(sentence.split()).lower()

    def shown(output: str) -> str:
        return " ".join(output.split()).lower()

    return (words in shown(outputs["text"]) and words in shown(outputs["markdown"])
            and html.escape(words, quote=True) in shown(outputs["html"]))


def variants(scenario):
    """Every state the presentation has to say: the sub-agreement refused, accepted, without a deal, without
    outsiders; the search cut short and interrupted; the facts alone failing; included parties that disagree."""
    deal = deal_of(scenario, *PARTIES[:3])
    completion = deal_of(scenario, "europe", "ukraine", "us")
    blocked = supporters(scenario, coalition=("europe", "russia"), has_deal=False, settled=(), open=("force", "line",
                         "sanctions", "assets"), values={}, deal=None, outsiders=("us", "ukraine"),
                         outsiders_accept=None, conflict=None,
                         blocking=(BlockingGroup(("europe", "russia"), ("europe/deploy", "russia/no-nato-troops"),
                                                 ()),))
    return {
        "refused": (answer(scenario), supporters(scenario)),
        "accepted": (answer(scenario, parties=PARTIES[:3], excluded=("russia",), maximal=(
            Coalition(PARTIES[:3], deal),), blocking=()),
                     supporters(scenario, coalition=("europe", "us"), settled=("sanctions", "assets"),
                                open=("force", "line"), values={"sanctions": True, "assets": "reparations"},
                                outsiders=("ukraine",), outsiders_accept=True, completion=completion, conflict=None)),
        "no settled issue": (answer(scenario), supporters(scenario, settled=(), open=("force", "line", "sanctions",
                             "assets"), values={}, conflict=SubConflict((), ("russia/no-nato-troops",), ()))),
        "no deal": (answer(scenario), blocked),
        "no outsiders": (answer(scenario, parties=PARTIES[:3], excluded=("russia",),
                                maximal=(Coalition(PARTIES[:3], deal),), blocking=()),
                         supporters(scenario, settled=("force", "line", "sanctions", "assets"), open=(),
                                    values=dict(deal.values), outsiders=(), outsiders_accept=None, conflict=None)),
        "cut short": (answer(scenario, verdict=CoalitionVerdict.INCOMPLETE, maximal=answer(scenario).maximal[:1],
                             blocking=answer(scenario).blocking[:1]),
                      supporters(scenario, outsiders_accept=None, conflict=None, complete=False)),
        "interrupted": (answer(scenario, verdict=CoalitionVerdict.INCOMPLETE, interrupted=True),
                        supporters(scenario, outsiders_accept=None, conflict=None, complete=False, interrupted=True)),
        "included": (answer(scenario, included=("ukraine",), maximal=answer(scenario).maximal[:1],
                            blocking=(BlockingGroup(("russia",), ("russia/no-nato-troops", "ukraine/guarantees"), ()),
                                      )), None),
        "included disagree": (answer(scenario, included=("europe", "russia"), included_agree=False, maximal=(),
                                     blocking=answer(scenario).blocking[:1]), None),
    }


@pytest.fixture(scope="module")
def views(four):
    return {name: coalitions_view(four, found, sub) for name, (found, sub) in variants(four).items()}


@pytest.mark.parametrize("name", ["refused", "accepted", "no settled issue", "no deal", "no outsiders", "cut short",
                                  "interrupted", "included", "included disagree"])
def test_every_format_states_every_statement_of_the_model(views, name):
    view = views[name]
    outputs = rendered(view)
    assert view.statements
    missing = [s for s in view.statements if not states(outputs, s)]
    assert not missing, missing


def test_the_statements_say_who_can_agree_who_blocks_and_what_the_supporters_settle(views):
    statements = views["refused"].statements
    assert "Europe, United States and Ukraine can agree without Russia" in statements
    assert "Europe and Russia cannot agree together, though any smaller group of them can" in statements
    assert "Europe and Russia collide over the force." in statements
    assert ("Europe, United States and Ukraine can agree and settle 3 of 4 issues; 1 stays open for Russia"
            in statements)
    assert ("Russia cannot accept any completion of the sub-agreement: its values and their red lines cannot all "
            "hold") in statements
    assert "the sub-agreement's value of force collides with the red lines of Russia" in statements


def test_a_refused_sub_agreement_shows_the_settled_value_and_the_red_line_in_the_parties_words(views):
    outputs = rendered(views["refused"])
    assert "Sub-agreement: force = yes" in outputs["text"]
    assert "“No Western troops in Ukraine.”" in outputs["text"]
    assert "- **Sub-agreement**: force = yes" in outputs["markdown"]
    assert "- **Russia**: “No Western troops in Ukraine.” (`russia/no-nato-troops`); rule: `not force`" in \
        outputs["markdown"]
    assert "<span class='who'>Russia</span>: “No Western troops in Ukraine.”" in outputs["html"]


def test_an_accepted_sub_agreement_shows_the_completion(views):
    outputs = rendered(views["accepted"])
    assert "A completion every party considered accepts" in outputs["text"]
    assert "| ceasefire line | 1991 |" in outputs["markdown"]


@pytest.mark.parametrize("name, verdict", [("refused", "found"), ("cut short", "incomplete")])
def test_the_json_is_the_documented_document(views, name, verdict):
    doc = json.loads(json_text(views[name].json()))
    assert doc["format"] == "feasible/1" and doc["command"] == "coalitions"
    assert set(doc) == {"format", "command", "scenario", "parties", "included", "excluded", "verdict", "complete",
                        "interrupted", "solves", "facts_conflict", "included_agree", "maximal", "blocking",
                        "coalition"}
    assert doc["verdict"] == verdict and doc["complete"] is (verdict == "found")
    assert doc["maximal"][0] == {"parties": ["europe", "us", "ukraine"], "left_out": ["russia"],
                                 "deal": doc["maximal"][0]["deal"]}
    assert doc["maximal"][0]["deal"]["force"] is True
    assert doc["blocking"][0] == {"parties": ["europe", "russia"], "red_lines": ["europe/deploy",
                                  "russia/no-nato-troops"], "facts": [], "issues": ["force"],
                                  "summary": "Europe and Russia collide over the force."}
    coalition = doc["coalition"]
    assert set(coalition) == {"parties", "has_deal", "settled", "open", "outsiders", "outsiders_accept",
                              "completion", "conflict", "blocking", "complete", "canonical", "settled_open",
                              "completable", "alternative", "outside_blocking"}
    assert coalition["canonical"] is True
    assert coalition["settled"] == {"force": True, "sanctions": True, "assets": "reparations"}
    assert coalition["open"] == ["line"] and coalition["outsiders"] == ["russia"]
    if verdict == "found":
        assert coalition["outsiders_accept"] is False
        assert coalition["conflict"] == {"settled": ["force"], "red_lines": ["russia/no-nato-troops"], "facts": [],
                                         "members": [],
                                         "summary": "the sub-agreement's value of force collides with the red "
                                                    "lines of Russia"}


FACTS_AGAINST = """
    title: Facts against each other
    issues:
      x: {type: int, min: 0, max: 3}
    facts:
      - {id: low, says: X is low., rule: x <= 1}
      - {id: high, says: X is high., rule: x >= 2}
    parties:
      - {party: a, name: A, red_lines: [{id: r, says: Any x., rule: x >= 0}]}
"""


def test_the_facts_alone_failing_is_said_with_their_conflict(write):
    write("s.yaml", FACTS_AGAINST)
    scenario = load_scenario("s.yaml")
    found = Coalitions(("a",), (), (), CoalitionVerdict.NO_FACTS, (), (), 1, False,
                       facts_conflict=("facts/low", "facts/high"))
    view = coalitions_view(scenario, found)
    outputs = rendered(view)
    assert view.picture is None
    assert "The facts alone cannot hold, so no coalition has a deal." in outputs["text"]
    assert "“X is low.”" in outputs["text"] and "“X is high.”" in outputs["markdown"]
    assert json.loads(json_text(view.json()))["facts_conflict"]["facts"] == ["facts/high", "facts/low"]
    assert all(states(outputs, s) for s in view.statements)


# -- the picture --------------------------------------------------------------------------------------------------

def test_the_lattice_is_read_off_the_maximal_coalitions_and_blocking_groups(views):
    nodes = {frozenset(PARTIES[i] for i in node.members): node for node in views["refused"].picture.nodes}
    assert len(nodes) == 2 ** len(PARTIES)
    for members, node in nodes.items():
        has_deal = members <= {"europe", "us", "ukraine"} or members <= {"us", "russia"}
        assert node.status == ("deal" if has_deal else "blocked"), members
    assert [set(m) for m, n in nodes.items() if n.maximal] == [{"europe", "us", "ukraine"}, {"us", "russia"}] or \
        sorted(map(sorted, (m for m, n in nodes.items() if n.maximal))) == [["europe", "ukraine", "us"],
                                                                              ["russia", "us"]]
    assert sorted(map(sorted, (m for m, n in nodes.items() if n.blocking))) == [["europe", "russia"],
                                                                                 ["russia", "ukraine"]]


def test_what_a_cut_short_search_leaves_unknown_is_drawn_as_not_decided(views):
    nodes = {frozenset(PARTIES[i] for i in node.members): node.status for node in views["cut short"].picture.nodes}
    assert nodes[frozenset({"us", "russia"})] == "unknown"  # neither inside M1 nor holding B1
    assert nodes[frozenset({"europe", "russia"})] == "blocked"
    assert "not decided" in coalitions_html(views["cut short"])


def test_with_included_parties_the_lattice_holds_only_the_coalitions_that_include_them(views):
    nodes = views["included"].picture.nodes
    assert len(nodes) == 2 ** 3
    assert all(PARTIES.index("ukraine") in node.members for node in nodes)
    blocked = {frozenset(PARTIES[i] for i in n.members) for n in nodes if n.blocking}
    assert blocked == {frozenset({"ukraine", "russia"})}


def test_the_svg_lattice_has_a_node_per_coalition_and_an_edge_per_added_party(views):
    page = coalitions_html(views["refused"])
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count("<rect x=") - 5 == 16  # 16 coalitions, 5 legend keys
    assert svg.count("<line class='edge'") == 4 * 2 ** 3  # each of 4 parties joins each of the 8 sets without it
    assert "<g class='deal maximal'>" in svg and "<g class='blocked blocking'>" in svg
    assert "A = Europe" in svg and "D = Russia" in svg


def test_beyond_eight_parties_the_picture_is_a_grid_of_the_coalitions_and_groups(write):
    count = LATTICE_PARTIES + 2
    write("many.yaml", "title: Many\nissues:\n  x: {type: int, min: 0, max: 20}\nparties:\n" + "".join(
        f"  - {{party: p{i}, name: Party {i}, red_lines: [{{id: r, says: X is {i}., rule: x != {i}}}]}}\n"
        for i in range(count)))
    scenario = load_scenario("many.yaml")
    ids = tuple(f"p{i}" for i in range(count))
    found = Coalitions(ids, (), (), CoalitionVerdict.FOUND, (Coalition(ids, None),), (), 1, False)
    view = coalitions_view(scenario, found)
    assert view.picture is not None and not view.picture.nodes
    page = coalitions_html(view)
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count("<circle class='member'") == count and "Party 9" in svg and ">M1<" in svg


# -- words from the files stay data ---------------------------------------------------------------------------------

@pytest.fixture
def hostile_view(tmp_path):
    scenario = load_scenario(str(hostile_scenario(tmp_path, deal=False)))
    found = Coalitions(("a", "b"), (), (), CoalitionVerdict.FOUND,
                       (Coalition(("a",), deal_of(scenario, "a")), Coalition(("b",), deal_of(scenario, "b"))),
                       (BlockingGroup(("a", "b"), ("a/low", "b/high"), ()),), 3, False)
    deal = deal_of(scenario, "a")
    sub = SubAgreement(("a",), True, ("x",), (), {"x": deal.values["x"]}, deal, (), ("b",), False, None,
                       SubConflict(("x",), ("b/high",), ()))
    return coalitions_view(scenario, found, sub)


def test_hostile_words_reach_no_terminal_as_escape_sequences(hostile_view):
    assert_no_control(rendered(hostile_view)["text"])


def test_hostile_words_stay_escaped_in_html(hostile_view):
    page = coalitions_html(hostile_view)
    assert_no_control(page)
    assert "<script>alert" not in page and "<img src=x" not in page and "href='javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert "<script" not in svg and "&lt;script&gt;" in svg  # the party's name in the legend, escaped


def test_hostile_words_stay_text_in_markdown(hostile_view):
    import markdown_it

    text = coalitions_markdown(hostile_view)
    assert_no_control(text)
    rendered_html = markdown_it.MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in rendered_html and "<img" not in rendered_html
    assert not re.search(r"href=\"javascript:", rendered_html)
    assert all(part not in text for part in HTML if "](" in part)  # brackets escaped, no live link
