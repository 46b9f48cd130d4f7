"""The frontier and tradeoffs outputs after review: no projected picture past two parties (every format says how to
get one), the picture's caption wrapped and naming the relaxation, its axes saying what each utility is, the text's
last line saying where the picture went, what a point is, a truthful precision line, tradeoffs' time limit per
value with cut rows marked, named and hedged, ties on a cut frontier, and the text table aligned whatever a name
holds. Nothing here depends on the machine's speed: the limits are generous, or the cut is made by hand."""

from __future__ import annotations

import dataclasses
import html
import json
import xml.etree.ElementTree as ElementTree

import pytest

from feasible.cli import frontier_words as fw
from feasible.cli.frontier_plot import CAPTION_CHARS
from feasible.cli.frontier_view import (frontier_html, frontier_markdown, frontier_view, tradeoffs_markdown,
                                        tradeoffs_view)
from feasible.positions import load_scenario
from feasible.solver import tradeoffs as tradeoffs_module
from feasible.solver.frontier import FrontierStatus
from feasible.solver.tradeoffs import frontier_answer, tradeoffs

SPLIT = "tests/data/frontier/split"
TIME = "60"  # generous: no answer here may depend on the machine's speed
SVG = "{http://www.w3.org/2000/svg}"

THREE = {
    "three/scenario.yaml": """
        title: Three
        issues:
          x: {type: int, min: 0, max: 2}
          y: {type: int, min: 0, max: 2}
        """,
    "three/a.yaml": """
        party: a
        name: A
        demands:
          - {id: x-up, says: x up., rule: x >= 1}
          - {id: y-down, says: y down., rule: y <= 0}
        """,
    "three/b.yaml": """
        party: b
        name: B
        demands:
          - {id: x-down, says: x down., rule: x <= 1}
          - {id: y-up, says: y up., rule: y >= 1}
        """,
    "three/c.yaml": """
        party: c
        name: C
        demands:
          - {id: x-top, says: x at the top., rule: x == 2}
          - {id: y-top, says: y at the top., rule: y == 2}
        """,
}


@pytest.fixture
def three(write):
    for name, text in THREE.items():
        write(name, text)
    return "three"


@pytest.fixture
def at_root(monkeypatch, request):
    monkeypatch.chdir(request.config.rootpath)


def test_more_than_two_parties_draw_no_picture_and_every_format_says_how_to_get_one(cli, three, tmp_path):
    line = fw.picture_needs_parties(3, ["a", "b"])
    assert "--parties a,b" in line
    text = cli("frontier", three, "--time-limit", TIME).stdout
    markdown = cli("frontier", three, "--format", "markdown", "--time-limit", TIME).stdout
    page = cli("frontier", three, "--format", "html", "--time-limit", TIME).stdout
    assert line in text and line in markdown.replace("\\", "") and line in html.unescape(page)
    found = json.loads(cli("frontier", three, "--format", "json", "--time-limit", TIME).stdout)
    assert found["picture"] == {"caption": None, "file": None, "note": line} and found["scale"] == fw.SCALE_LINE
    assert "<svg" not in markdown and "<svg" not in page and "drawn in" not in text
    target = tmp_path / "three.svg"
    done = cli("frontier", three, "-o", str(target), "--time-limit", TIME)
    assert done.exit_code == 0 and line in done.stderr and not target.exists()
    done = cli("frontier", three, "--parties", "a,c", "-o", str(target), "--time-limit", TIME)
    assert done.exit_code == 0 and target.exists() and line not in done.stdout


def test_the_ukraine_default_says_how_to_get_a_picture_and_draws_none(cli, at_root):
    page = cli("frontier", "--format", "html", "--time-limit", TIME).stdout
    assert "<svg" not in page
    assert "No picture: the frontier has 6 parties" in html.unescape(page) and "--parties" in page


def test_the_picture_s_caption_is_wrapped_names_the_relaxation_and_the_axes_say_what_they_show(cli, at_root,
                                                                                             tmp_path):
    target = tmp_path / "relaxed.svg"
    done = cli("frontier", SPLIT, "--set", "venue=oslo", "-o", str(target), "--time-limit", TIME)
    assert done.exit_code == 1
    root = ElementTree.fromstring(target.read_bytes())
    caption = root.find(f"{SVG}title").text
    assert caption.startswith("The frontier of Alpha (across) and Beta (up), if The observer gives up "
                              "observer/not-oslo")
    words = [t.text or "" for t in root.iter(f"{SVG}text")]
    lines = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("font-size") == "13"]  # the caption's
    assert len(lines) > 1  # wrapped, not cut at the picture's edge
    assert " ".join(lines) == caption and all(len(w) <= CAPTION_CHARS for w in lines)
    assert "Alpha — utility block (0–1)" in words and "Beta — utility block (0–1)" in words
    # the text says where the picture went, not how to get one
    assert f"drawn in {target}." in done.stdout and "-o frontier.svg" not in done.stdout
    assert "-o frontier.svg" in cli("frontier", SPLIT, "--time-limit", TIME).stdout


def test_a_point_and_the_precision_are_explained_truthfully_in_every_format(cli, at_root):
    for command in (("frontier", SPLIT), ("tradeoffs", SPLIT, "venue")):
        for form in ("text", "markdown", "html"):
            shown = html.unescape(cli(*command, "--format", form, "--time-limit", TIME).stdout).replace("\\", "")
            assert fw.SCALE_LINE in shown and "percentage point" in shown
            assert fw.PRECISION_LINE in shown and "exact rationals" not in shown
    assert "millionths" in fw.PRECISION_LINE


def test_tradeoffs_give_each_value_its_own_time_limit(monkeypatch, at_root):
    given = []
    real = tradeoffs_module.frontier

    def recording(*args, time_limit, **kwargs):
        given.append(time_limit)
        return real(*args, time_limit=time_limit, **kwargs)

    monkeypatch.setattr(tradeoffs_module, "frontier", recording)
    tradeoffs(load_scenario(SPLIT), "share", time_limit=37.0)
    assert len(given) > 2 and set(given) == {37.0}  # the unrestricted frontier's and each value's: not a share


def test_tradeoffs_where_nothing_is_cut_are_the_same_whatever_the_limit(cli, at_root):
    runs = [cli("tradeoffs", SPLIT, "share", "--format", form, "--time-limit", limit).stdout
            for form in ("json", "text") for limit in (TIME, TIME, "120")]
    assert json.loads(runs[0])["complete"]
    assert runs[0] == runs[1] == runs[2] and runs[3] == runs[4] == runs[5]
    assert "cut" not in [row.split()[-1] for row in runs[3].splitlines() if row.startswith("  ")]


def test_a_cut_value_is_marked_named_and_its_sentence_hedged(at_root):
    scen = load_scenario(SPLIT)
    found = tradeoffs(scen, "venue", time_limit=float(TIME))
    assert found.exact
    cut = dataclasses.replace(found, options=(found.options[0], dataclasses.replace(found.options[1],
                                                                                    status=FrontierStatus.TIME),
                                              found.options[2]))
    view = tradeoffs_view(scen, cut)
    assert [row.exact for row in view.rows] == [True, False, True]
    assert view.cut_line is not None and "venue = vienna" in view.cut_line and "geneva" not in view.cut_line
    assert view.rows[1].line.startswith("among the points found so far")
    assert not view.rows[0].line.startswith("among")
    table = [line for line in tradeoffs_markdown(view).splitlines() if line.startswith("| ")]
    assert table[0].endswith(f"| {fw.CUT_HEADER} |")
    assert [row.rsplit("|", 2)[1].strip() for row in table[1:]] == [fw.WHOLE, fw.CUT, fw.WHOLE]
    assert view.json()["groups"][1]["exact"] is False
    interrupted = tradeoffs_view(scen, dataclasses.replace(cut, interrupted=True)).cut_line
    assert interrupted is not None and interrupted.startswith("The interruption (Ctrl-C) cut")


def test_ties_on_a_cut_frontier_are_a_lower_bound_in_every_format(at_root):
    assert "3 frontier points tie" in fw.solution_line("nash", "A 1", 3, True, None)
    cut = fw.solution_line("nash", "A 1", 3, False, None, ties_exact=False)
    assert "at least 3 frontier points tie" in cut
    scen = load_scenario(SPLIT)
    answer = frontier_answer(scen, time_limit=float(TIME))
    first = answer.asked.bargaining[0]
    assert first.ties_exact
    # the same frontier as if it had been cut, its first bargaining point tied with another among the points found
    cut_point = dataclasses.replace(first, ties=2, exact=False, ties_exact=False)
    asked = dataclasses.replace(answer.asked, status=FrontierStatus.TIME,
                                bargaining=(cut_point, *answer.asked.bargaining[1:]))
    view = frontier_view(scen, dataclasses.replace(answer, asked=asked))
    assert "at least 2 frontier points tie (counted among the points found)" in view.panel.solutions[0].line
    assert view.json()["frontier"]["bargaining"][0]["ties_exact"] is False
    assert view.json()["frontier"]["bargaining"][1]["ties_exact"] is True
    statement = view.panel.solutions[0].line
    for shown in (frontier_markdown(view).replace("\\", ""), html.unescape(frontier_html(view))):
        assert statement in shown


def test_the_text_table_is_aligned_when_a_name_holds_an_escape(cli, write):
    write("esc/scenario.yaml", """
        title: Escaped
        issues:
          x: {type: int, min: 0, max: 2}
        """)
    write("esc/a.yaml", """
        party: a
        name: "Red\\u001b[31mCo"
        demands:
          - {id: up, says: x up., rule: x >= 1}
        """)
    write("esc/b.yaml", """
        party: b
        name: Blue
        demands:
          - {id: down, says: x down., rule: x <= 1}
        """)
    text = cli("frontier", "esc", "--time-limit", TIME).stdout
    lines = text.splitlines()
    header = next(n for n, line in enumerate(lines) if line.startswith("  #  "))
    column = lines[header].index("Blue")
    rows = [line for line in lines[header + 1:] if line.startswith("  ") and line[2].isdigit()]
    assert rows and all(row[column - 1] == " " and row[column] != " " for row in rows)


def test_the_view_of_a_two_party_frontier_has_a_caption_and_no_how_to(at_root):
    scen = load_scenario(SPLIT)
    view = frontier_view(scen, frontier_answer(scen, time_limit=float(TIME)))
    assert view.picture_caption == "The frontier of Alpha (across) and Beta (up)" and view.no_picture_line is None


def test_the_ukraine_army_cap_is_the_same_twice_with_every_value_whole(cli, at_root):
    """The reviewer's run: with each value's own (generous) time no frontier is cut, so two runs agree."""
    args = ("tradeoffs", "ukraine-2026", "ukraine_army_cap_thousands", "--format", "json", "--time-limit", TIME)
    first, second = cli(*args), cli(*args)
    assert first.exit_code == 1 and first.stdout == second.stdout
    found = json.loads(first.stdout)
    assert found["complete"] and found["cut"] is None and all(o["exact"] for o in found["options"])
