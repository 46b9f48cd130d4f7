"""`feasible frontier` and `feasible tradeoffs`: every format (text, JSON, Markdown, HTML) stating the same sentences,
the picture (-o FILE.svg written, well-formed XML, party names escaped), the exit codes, the errors (bad --parties
with did-you-mean, a party without a utility, an unknown ISSUE with did-you-mean), the Ukraine scenario (no deal as
written: the frontier under the cheapest relaxation, named), and the same bytes twice."""

from __future__ import annotations

import dataclasses
import html
import json
import xml.etree.ElementTree as ElementTree
from fractions import Fraction

import pytest

from feasible.cli.frontier_view import frontier_view, tradeoffs_view
from feasible.positions import UserError, load_scenario
from feasible.solver import Control, check
from feasible.solver.frontier import FrontierStatus
from feasible.solver.tradeoffs import frontier_answer, tradeoffs

SPLIT = "tests/data/frontier/split"
TIME = "60"  # generous: no answer here may depend on the machine's speed
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch, request):
    if "write" not in request.fixturenames:
        monkeypatch.chdir(request.config.rootpath)


def doc(cli, *args: str, code: int = 0) -> dict:
    done = cli(*args, "--format", "json", "--time-limit", TIME)
    assert done.exit_code == code, done.output
    return json.loads(done.stdout)


# -- frontier ---------------------------------------------------------------------------------------------------------

def test_the_frontier_of_the_split_in_json(cli):
    found = doc(cli, "frontier", SPLIT)
    assert found["command"] == "frontier" and found["verdict"] == "deal" and found["no_deal"] is None
    frontier = found["frontier"]
    assert frontier["status"] == "complete" and frontier["complete"]
    assert [p["id"] for p in frontier["parties"]] == ["alpha", "beta"]  # the observer has no utility
    assert [p["source"] for p in frontier["parties"]] == ["utility block", "utility block"]
    assert frontier["parties"][0]["disagreement_exact"] == "1/5"
    assert [b["solution"] for b in frontier["bargaining"]] == ["nash", "kalai-smorodinsky", "egalitarian",
                                                                "utilitarian"]
    points = [tuple(p["exact"].values()) for p in frontier["points"]]
    assert points == sorted(points, key=lambda p: [-Fraction(u) for u in p])  # canonical: descending
    assert all(p["deal"]["venue"] != "oslo" for p in frontier["points"])  # the observer's red line counts
    nash = frontier["bargaining"][0]
    assert nash["ties"] == 1 and nash["exact_point"] and nash["deal"] is not None


def test_every_format_states_the_same_sentences(cli):
    scen = load_scenario(SPLIT)
    view = frontier_view(scen, frontier_answer(scen, time_limit=float(TIME)))
    text = cli("frontier", SPLIT, "--time-limit", TIME).stdout
    markdown = cli("frontier", SPLIT, "--format", "markdown", "--time-limit", TIME).stdout
    page = cli("frontier", SPLIT, "--format", "html", "--time-limit", TIME).stdout
    assert view.statements
    for sentence in view.statements:
        assert sentence in text, sentence
        assert sentence in html.unescape(page), sentence
        assert sentence in markdown.replace("\\", ""), sentence
    assert markdown.count("<svg") == 1 and page.count("<svg") == 1 and "<svg" not in text


def test_o_writes_the_picture_well_formed_with_the_four_points_labelled(cli, tmp_path):
    target = tmp_path / "frontier.svg"
    done = cli("frontier", SPLIT, "-o", str(target), "--time-limit", TIME)
    assert done.exit_code == 0 and f"wrote {target}" in done.stderr
    root = ElementTree.fromstring(target.read_bytes())
    assert root.tag == f"{SVG}svg"
    words = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for label in ("Alpha", "Beta", "Nash", "KS", "Egal.", "Util.", "d"):
        assert label in words
    assert len(list(root.iter(f"{SVG}circle"))) == 18 + 1  # the frontier's points and the legend's
    assert len(list(root.iter(f"{SVG}polyline"))) == 1  # the staircase


def test_o_needs_an_svg_file(cli, tmp_path):
    done = cli("frontier", SPLIT, "-o", str(tmp_path / "frontier.png"))
    assert done.exit_code == 2 and "end the file name in .svg" in done.stderr
    assert not (tmp_path / "frontier.png").exists()


def test_party_names_are_escaped_in_the_picture(cli, write, tmp_path):
    write("hostile/scenario.yaml", """
        title: Hostile <names>
        issues:
          x: {type: int, min: 0, max: 2}
        """)
    write("hostile/a.yaml", """
        party: a
        name: "<script>alert('a')</script> & \\u001b[31mCo"
        demands:
          - {id: up, says: x up., rule: x >= 1}
        """)
    write("hostile/b.yaml", """
        party: b
        name: "B ]]> <!-- \\"quoted\\""
        demands:
          - {id: down, says: x down., rule: x <= 1}
        """)
    target = tmp_path / "out.svg"
    done = cli("frontier", "hostile", "-o", str(target), "--time-limit", TIME)
    assert done.exit_code == 0, done.output
    raw = target.read_text(encoding="utf-8")
    assert "<script" not in raw and "\x1b" not in raw and "<!--" not in raw
    root = ElementTree.fromstring(raw.encode("utf-8"))
    words = [t.text or "" for t in root.iter(f"{SVG}text")]
    # the axes: each party's name and what its utility is
    assert "<script>alert('a')</script> & Co — demand satisfaction (0–1)" in words
    assert 'B ]]> <!-- "quoted" — demand satisfaction (0–1)' in words
    page = cli("frontier", "hostile", "--format", "html", "--time-limit", TIME).stdout
    assert "<script>" not in page


def test_a_party_without_utility_and_unknown_parties_are_refused(cli):
    done = cli("frontier", SPLIT, "--parties", "alpha,observer")
    assert done.exit_code == 2 and "party 'observer' has no utility" in done.stderr
    done = cli("frontier", SPLIT, "--parties", "alpah,beta")
    assert done.exit_code == 2 and "did you mean 'alpha'" in done.stderr
    done = cli("frontier", SPLIT, "--parties", "alpha,")
    assert done.exit_code == 2 and "none empty" in done.stderr
    done = cli("frontier", SPLIT, "--parties", "alpha,alpha")
    assert done.exit_code == 2 and "named twice" in done.stderr
    assert "Traceback" not in done.output


def test_parties_choose_and_order_the_axes(cli):
    found = doc(cli, "frontier", SPLIT, "--parties", "beta,alpha")
    assert [p["id"] for p in found["frontier"]["parties"]] == ["beta", "alpha"]
    page = cli("frontier", SPLIT, "--parties", "beta,alpha", "--format", "html").stdout
    assert "The frontier of Beta (across) and Alpha (up)" in page


def test_limit_says_more_exist(cli):
    found = doc(cli, "frontier", SPLIT, "--limit", "3")
    assert found["frontier"]["status"] == "limit" and len(found["frontier"]["points"]) == 3
    text = cli("frontier", SPLIT, "--limit", "3").stdout
    assert "3 points shown (--limit 3): more exist." in text


def test_no_deal_shows_the_conflict_then_the_relaxed_frontier_and_exits_1(cli, tmp_path):
    found = doc(cli, "frontier", SPLIT, "--set", "venue=oslo", code=1)
    assert found["verdict"] == "no-deal"
    assert found["no_deal"]["conflicts"][0]["red_lines"] == ["observer/not-oslo"]
    assert found["no_deal"]["relaxation"] == {"drop": ["observer/not-oslo"], "cost": 1}
    assert found["frontier"]["status"] == "complete" and found["frontier"]["points"]
    text = cli("frontier", SPLIT, "--set", "venue=oslo").stdout
    assert "NO DEAL" in text and "If The observer gives up observer/not-oslo (the cheapest relaxation, cost 1)" in text
    target = tmp_path / "relaxed.svg"
    assert cli("frontier", SPLIT, "--set", "venue=oslo", "-o", str(target)).exit_code == 1 and target.exists()


def test_the_ukraine_frontier_is_drawn_under_the_cheapest_relaxation_named(cli, tmp_path):
    found = doc(cli, "frontier", "--parties", "ukraine,russia", code=1)
    first = check(load_scenario("ukraine-2026"), time_limit=float(TIME), room=False).relaxations[0]
    assert found["no_deal"]["relaxation"]["drop"] == list(first.drop)
    assert found["frontier"]["status"] == "complete" and len(found["frontier"]["points"]) >= 2
    assert [p["source"] for p in found["frontier"]["parties"]] == ["demand satisfaction"] * 2
    text = cli("frontier", "--parties", "ukraine,russia", "--time-limit", TIME).stdout
    assert ("If Coalition of the Willing (European-led) gives up europe/european-led-force and Russia gives up "
            "russia/donbas-withdrawal (one of 4 equally cheap ways at cost 2, check's first):") in text
    target = tmp_path / "ukraine.svg"
    assert cli("frontier", "--parties", "ukraine,russia", "-o", str(target)).exit_code == 1
    assert ElementTree.fromstring(target.read_bytes()).tag == f"{SVG}svg"


def test_the_same_bytes_twice(cli, tmp_path):
    for args in (("frontier", SPLIT, "--format", "json"), ("frontier", SPLIT, "--format", "html"),
                 ("frontier", "--parties", "ukraine,russia", "--format", "markdown"),
                 ("tradeoffs", SPLIT, "share", "--format", "json")):
        first, second = cli(*args), cli(*args)
        assert first.stdout == second.stdout and first.stdout
    one, two = tmp_path / "one.svg", tmp_path / "two.svg"
    cli("frontier", SPLIT, "-o", str(one))
    cli("frontier", SPLIT, "-o", str(two))
    assert one.read_bytes() == two.read_bytes()


# -- tradeoffs --------------------------------------------------------------------------------------------------------

def test_tradeoffs_per_value_in_json(cli):
    found = doc(cli, "tradeoffs", SPLIT, "venue")
    assert found["command"] == "tradeoffs" and found["issue"] == "venue" and found["parties"] == ["alpha", "beta"]
    assert [o["value"] for o in found["options"]] == ["geneva", "vienna", "oslo"]
    oslo = found["options"][2]
    assert oslo["point"] is None and oslo["best"]["utilities"] == {"alpha": None, "beta": None}
    assert oslo["sentence"] == "no acceptable deal has venue = oslo"
    assert found["reference"]["value"] == "geneva" and found["complete"]
    vienna = found["options"][1]
    assert vienna["sentence"].startswith("moving venue from geneva to vienna costs Alpha ")


def test_tradeoffs_every_format_states_the_same_sentences(cli):
    scen = load_scenario(SPLIT)
    view = tradeoffs_view(scen, tradeoffs(scen, "share", time_limit=float(TIME)))
    text = cli("tradeoffs", SPLIT, "share", "--time-limit", TIME).stdout
    markdown = cli("tradeoffs", SPLIT, "share", "--format", "markdown", "--time-limit", TIME).stdout
    page = cli("tradeoffs", SPLIT, "share", "--format", "html", "--time-limit", TIME).stdout
    for sentence in view.statements:
        assert sentence in text, sentence
        assert sentence in html.unescape(page), sentence
        assert sentence in markdown.replace("\\", ""), sentence


def test_tradeoffs_errors(cli):
    done = cli("tradeoffs", SPLIT, "venu")
    assert done.exit_code == 2 and "did you mean 'venue'" in done.stderr
    done = cli("tradeoffs", SPLIT)
    assert done.exit_code == 2 and "which issue?" in done.stderr
    done = cli("tradeoffs", SPLIT, "venue", "--parties", "alpha,nobody")
    assert done.exit_code == 2 and "'nobody' is not a party" in done.stderr
    assert "Traceback" not in done.output


def test_tradeoffs_without_a_deal_exits_1_under_the_cheapest_relaxation(cli):
    found = doc(cli, "tradeoffs", SPLIT, "monitors", "--set", "venue=oslo", code=1)
    assert found["verdict"] == "no-deal" and found["no_deal"]["relaxation"]["drop"] == ["observer/not-oslo"]
    assert [o["value"] for o in found["options"]] == [False, True]


def test_tradeoffs_of_the_ukraine_army_cap(cli):
    found = doc(cli, "tradeoffs", "ukraine_army_cap_thousands", "--parties", "ukraine,russia", code=1)
    assert found["sampled"] and len(found["options"]) == 50
    values = [o["value"] for o in found["options"]]
    assert values[0] == 50 and values[-1] == 1000 and {599, 600, 601, 799, 800, 801} <= set(values)
    text = cli("tradeoffs", "ukraine_army_cap_thousands", "--parties", "ukraine,russia").stdout
    assert "takes 951 values: 50 are shown" in text
    assert "moving cap on Ukraine's army (thousands) from 800 to 50–600 costs Ukraine" in text


def test_the_library_refuses_what_the_cli_refuses_before_solving():
    scen = load_scenario(SPLIT)
    with pytest.raises(UserError) as raised:
        frontier_answer(scen, ["alpha", "observer"])
    assert "no utility" in raised.value.message


def test_one_party_has_a_frontier_but_no_picture(cli, write, tmp_path):
    write("alone/scenario.yaml", """
        title: Alone
        issues:
          x: {type: int, min: 0, max: 2}
        """)
    write("alone/a.yaml", """
        party: a
        name: A
        demands:
          - {id: up, says: x up., rule: x >= 1}
        """)
    target = tmp_path / "alone.svg"
    done = cli("frontier", "alone", "-o", str(target), "--format", "json")
    assert done.exit_code == 0 and "no picture written" in done.stderr and not target.exists()
    assert [p["exact"] for p in json.loads(done.stdout)["frontier"]["points"]] == [{"a": "1"}]


def test_without_a_nash_point_the_output_says_why_and_tradeoffs_take_the_egalitarian_point(cli, write):
    write("stuck/scenario.yaml", """
        title: Stuck
        issues:
          x: {type: int, min: 0, max: 2}
        """)
    write("stuck/a.yaml", """
        party: a
        name: A
        red_lines:
          - {id: low, says: x stays low., rule: x <= 1}
        demands:
          - {id: up, says: x up., rule: x >= 1}
        """)
    write("stuck/b.yaml", """
        party: b
        name: B
        demands:
          - {id: top, says: x at the top., rule: x == 2}
        """)
    text = cli("frontier", "stuck").stdout
    assert ("Nash bargaining point: none (no frontier point gives every party more than its disagreement value)."
            in text)
    found = doc(cli, "tradeoffs", "stuck", "x")
    assert [o["point"]["solution"] if o["point"] else None for o in found["options"]] == \
        ["egalitarian", "egalitarian", None]


def test_an_interrupted_run_is_marked_and_shows_what_was_found():
    scen = load_scenario(SPLIT)
    control = Control()
    control.interrupt()
    view = frontier_view(scen, frontier_answer(scen, control=control))
    assert view.interrupted and view.panel is not None
    assert "the run was interrupted: 0 points found so far, more may exist" in view.statements
    control = Control()
    control.interrupt()
    assert tradeoffs_view(scen, tradeoffs(scen, "venue", control=control)).interrupted


def test_a_value_the_time_limit_left_undecided_is_not_called_impossible():
    scen = load_scenario(SPLIT)
    found = tradeoffs(scen, "venue", time_limit=float(TIME))
    cut = dataclasses.replace(found, options=tuple(dataclasses.replace(o, point=None, best=(None, None), solution=None,
                                                                       status=FrontierStatus.TIME)
                                                   for o in found.options))
    view = tradeoffs_view(scen, cut)
    assert view.cut_line is not None
    assert [row.line for row in view.rows] == [
        "the time ran out before a deal with venue = geneva, vienna or oslo was found or ruled out"]
