"""`feasible coalitions` (issue 17, point 2): every option, the exit codes, the errors (unknown parties with
did-you-mean, a party both included and excluded, a bad --coalition), every format stating the same sentences, the
words of a hostile scenario staying data, and the text of the four-party case word for word (golden file)."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
from pathlib import Path

import pytest
from test_cli_defects import assert_no_control, hostile_scenario
from test_coalitions_view import FACTS_AGAINST

from feasible.cli.coalitions_view import coalitions_view
from feasible.positions import load_scenario
from feasible.solver import coalitions as library
from feasible.solver.coalitions import CoalitionVerdict, coalitions, sub_agreement

FOUR = "tests/data/coalitions/four-parties.yaml"
GOLDEN = Path(__file__).parent / "data" / "golden" / "coalitions-four-parties.txt"
TIME = "60"  # generous: no answer here may depend on the machine's speed
SUPPORTERS = "europe,us,ukraine"


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch, request):
    if "write" not in request.fixturenames:
        monkeypatch.chdir(request.config.rootpath)


def doc(cli, *args: str) -> tuple[int, dict]:
    done = cli("coalitions", *args, "--format", "json", "--time-limit", TIME)
    assert done.exit_code in (0, 1, 3), done.output
    return done.exit_code, json.loads(done.stdout)


def parties(found: list[dict]) -> list[list[str]]:
    return [entry["parties"] for entry in found]


# -- the answer -------------------------------------------------------------------------------------------------

def test_the_maximal_coalitions_and_blocking_groups_of_the_four_parties(cli):
    code, found = doc(cli, FOUR)
    assert code == 0
    assert found["verdict"] == "found" and found["complete"] and found["coalition"] is None
    assert parties(found["maximal"]) == [["europe", "us", "ukraine"], ["us", "russia"]]
    assert [m["left_out"] for m in found["maximal"]] == [["russia"], ["europe", "ukraine"]]
    assert parties(found["blocking"]) == [["europe", "russia"], ["ukraine", "russia"]]
    assert found["blocking"][0]["red_lines"] == ["europe/deploy", "russia/no-nato-troops"]


def test_the_text_says_who_can_agree_and_who_blocks_in_the_parties_words(cli):
    done = cli("coalitions", FOUR, "--time-limit", TIME)
    assert done.exit_code == 0, done.output
    assert "M1. Europe, United States and Ukraine can agree without Russia." in done.stdout
    assert "B1. Europe and Russia cannot agree together, though any smaller group of them can." in done.stdout
    assert "“No Western troops in Ukraine.”" in done.stdout and "russia/no-nato-troops" in done.stdout


def test_the_supporters_settle_the_force_and_russia_cannot_accept_any_completion(cli):
    code, found = doc(cli, FOUR, "--coalition", SUPPORTERS)
    assert code == 0
    chosen = found["coalition"]
    assert chosen["parties"] == ["europe", "us", "ukraine"] and chosen["has_deal"]
    assert chosen["settled"] == {"force": True, "sanctions": True, "assets": "reparations"}
    assert chosen["open"] == ["line"] and chosen["outsiders"] == ["russia"]
    assert chosen["outsiders_accept"] is False and chosen["completion"] is None
    assert chosen["conflict"]["red_lines"] == ["russia/no-nato-troops"]
    text = cli("coalitions", FOUR, "--coalition", SUPPORTERS, "--time-limit", TIME).stdout
    assert "Europe, United States and Ukraine can agree and settle 3 of 4 issues; 1 stays open for Russia." in text
    assert "Russia cannot accept any completion of the sub-agreement" in text


def test_a_coalition_whose_outsiders_accept_shows_the_completion(cli):
    code, found = doc(cli, FOUR, "--exclude", "russia", "--coalition", "europe,us")
    assert code == 0
    chosen = found["coalition"]
    assert chosen["settled"] == {"sanctions": True, "assets": "reparations"}
    assert chosen["outsiders"] == ["ukraine"] and chosen["outsiders_accept"] is True
    assert chosen["completion"]["issues"]["force"] is True and chosen["conflict"] is None


def test_a_chosen_coalition_without_a_deal_exits_with_1_and_shows_what_blocks_it(cli):
    done = cli("coalitions", FOUR, "--coalition", "europe,russia", "--time-limit", TIME)
    assert done.exit_code == 1, done.output
    assert "Europe and Russia have no deal among themselves, so there is no sub-agreement." in done.stdout
    code, found = doc(cli, FOUR, "--coalition", "europe,russia")
    assert code == 1 and found["coalition"]["has_deal"] is False
    assert parties(found["coalition"]["blocking"]) == [["europe", "russia"]]


def test_include_asks_only_about_coalitions_with_the_party(cli):
    code, found = doc(cli, FOUR, "--include", "ukraine")
    assert code == 0 and found["included"] == ["ukraine"]
    assert parties(found["maximal"]) == [["europe", "us", "ukraine"]]
    assert parties(found["blocking"]) == [["russia"]]  # the others that cannot join Ukraine
    text = cli("coalitions", FOUR, "--include", "ukraine", "--time-limit", TIME).stdout
    assert "Russia cannot join Ukraine: no deal meets all their red lines." in text


def test_included_parties_without_a_deal_among_themselves_are_said_to_be_so(cli):
    code, found = doc(cli, FOUR, "--include", "europe", "--include", "russia")
    assert code == 0
    assert found["included_agree"] is False and found["maximal"] == []
    assert parties(found["blocking"]) == [["europe", "russia"]]
    text = cli("coalitions", FOUR, "--include", "europe", "--include", "russia", "--time-limit", TIME).stdout
    assert "No coalition includes Europe and Russia: they have no deal even among themselves" in text


def test_exclude_leaves_the_party_out_of_everything(cli):
    code, found = doc(cli, FOUR, "--exclude", "russia")
    assert code == 0 and found["parties"] == ["europe", "us", "ukraine"] and found["excluded"] == ["russia"]
    assert parties(found["maximal"]) == [["europe", "us", "ukraine"]] and found["blocking"] == []
    text = cli("coalitions", FOUR, "--exclude", "russia", "--time-limit", TIME).stdout
    assert "3 parties considered: Europe, United States and Ukraine (Russia left out)." in text
    assert "No blocking group: every party considered can agree." in text


@pytest.mark.parametrize("edit, maximal, blocking", [
    (["--drop", "russia/*"], [["europe", "us", "ukraine", "russia"]], []),
    (["--set", "force=false"], [["us", "russia"]], [["europe"], ["ukraine"]]),
    (["--demote", "russia/no-nato-troops"], [["europe", "us", "ukraine", "russia"]], []),
])
def test_what_if_edits_apply_before_the_coalitions_are_found(cli, edit, maximal, blocking):
    code, found = doc(cli, FOUR, *edit)
    assert code == 0
    assert parties(found["maximal"]) == maximal and parties(found["blocking"]) == blocking
    assert found["edits"][0]["kind"] == edit[0].lstrip("-")
    text = cli("coalitions", FOUR, *edit, "--time-limit", TIME).stdout
    assert f"With the edits ({edit[0]} {edit[1]})." in text


def test_an_overlay_and_a_weight_are_what_if_edits_too(cli, write):
    scenario = Path(__file__).parent / "data" / "coalitions" / "four-parties.yaml"  # the working directory moved
    overlay = write("overlay.yaml", """
        parties:
          - party: russia
            red_lines:
              - {id: no-nato-troops, drop: true}
    """)
    code, found = doc(cli, str(scenario), "--with", str(overlay), "--weight", "europe/reparations=3")
    assert code == 0 and parties(found["maximal"]) == [["europe", "us", "ukraine", "russia"]]
    assert [e["kind"] for e in found["edits"]] == ["with", "weight"]


def test_a_reading_and_a_day_choose_the_positions(cli):
    code, found = doc(cli, "ukraine-2026", "--reading", "nato-only", "--as-of", "2026-01-08")
    assert code == 0
    assert found["readings"] == ["nato-only"] and found["as_of"] == "2026-01-08"
    text = cli("coalitions", "ukraine-2026", "--reading", "nato-only", "--time-limit", TIME).stdout
    assert "Under the reading nato-only" in text and "Positions as of" in text


def test_the_objective_ranks_the_coalitions_deals_and_the_time_limit_reaches_the_library(cli, monkeypatch):
    asked: dict = {}

    def spy(function):
        def wrapped(*args, **kwargs):
            asked[function.__name__] = kwargs
            return function(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(library, "coalitions", spy(coalitions))
    monkeypatch.setattr(library, "sub_agreement", spy(sub_agreement))
    done = cli("coalitions", FOUR, "--coalition", SUPPORTERS, "--objective", "welfare", "--time-limit", "7", "-q")
    assert done.exit_code == 0, done.output
    assert asked["coalitions"]["time_limit"] == 7 and asked["sub_agreement"]["time_limit"] == 7
    assert asked["sub_agreement"]["objective"].value == "welfare"
    assert asked["sub_agreement"]["exclude"] == ()


def test_when_the_facts_alone_cannot_hold_no_coalition_has_a_deal(cli, write):
    write("facts.yaml", FACTS_AGAINST)
    done = cli("coalitions", "facts.yaml", "--time-limit", TIME)
    assert done.exit_code == 0, done.output
    assert "The facts alone cannot hold, so no coalition has a deal." in done.stdout
    assert "“X is high.”" in done.stdout
    found = json.loads(cli("coalitions", "facts.yaml", "--format", "json").stdout)
    assert found["verdict"] == "no-facts" and found["facts_conflict"]["facts"] == ["facts/high", "facts/low"]
    chosen = cli("coalitions", "facts.yaml", "--coalition", "a", "--time-limit", TIME)
    assert chosen.exit_code == 1
    assert "A has no deal even alone, so there is no sub-agreement." in chosen.stdout
    assert "The facts alone cannot hold, whoever agrees." in chosen.stdout


def test_a_party_that_cannot_agree_even_alone_is_a_blocking_group_of_one(cli, write):
    write("alone.yaml", """
        title: One party cannot agree even alone
        issues:
          x: {type: int, min: 0, max: 3}
        facts:
          - {id: cap, says: X at most 1., rule: x <= 1}
        parties:
          - {party: a, name: A, red_lines: [{id: r, says: X from 2., rule: x >= 2}]}
          - {party: b, name: B, red_lines: [{id: r, says: X below 2., rule: x <= 1}]}
    """)
    done = cli("coalitions", "alone.yaml", "--coalition", "b", "--time-limit", TIME)
    assert done.exit_code == 0, done.output
    assert "B1. A cannot agree even alone: no deal meets its red lines and the facts." in done.stdout
    assert "B can agree, but every issue needs the consent of a party outside the coalition (consent scopes): it " \
           "settles none." in done.stdout
    assert "the red lines of A cannot hold with the facts, whatever the sub-agreement settles" in done.stdout


# -- exit codes the time limit and Ctrl-C give ----------------------------------------------------------------------

@pytest.mark.parametrize("change, sub_change, code", [
    ({"verdict": CoalitionVerdict.INCOMPLETE}, {}, 3),
    ({}, {"complete": False, "outsiders_accept": None, "conflict": None}, 3),
    ({"verdict": CoalitionVerdict.INCOMPLETE, "interrupted": True}, {}, 130),
    ({}, {"complete": False, "interrupted": True, "outsiders_accept": None, "conflict": None}, 130),
])
def test_an_answer_cut_short_exits_with_3_and_an_interrupted_one_with_130(cli, monkeypatch, change, sub_change, code):
    monkeypatch.setattr(library, "coalitions", lambda *a, **k: dataclasses.replace(coalitions(*a, **k), **change))
    monkeypatch.setattr(library, "sub_agreement",
                        lambda *a, **k: dataclasses.replace(sub_agreement(*a, **k), **sub_change))
    done = cli("coalitions", FOUR, "--coalition", SUPPORTERS, "--time-limit", TIME)
    assert done.exit_code == code, done.output
    found = json.loads(cli("coalitions", FOUR, "--coalition", SUPPORTERS, "--format", "json").stdout)
    assert found["complete"] is False and found["interrupted"] is (code == 130)


def test_an_incomplete_answer_says_what_is_listed_is_verified(cli, monkeypatch):
    monkeypatch.setattr(library, "coalitions", lambda *a, **k: dataclasses.replace(
        coalitions(*a, **k), verdict=CoalitionVerdict.INCOMPLETE))
    done = cli("coalitions", FOUR, "--time-limit", TIME)
    assert ("The time limit cut the search short: the 2 maximal coalitions and 2 blocking groups listed are "
            "verified, and there may be more.") in done.stdout


# -- errors ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message, hint", [
    (["--include", "rusia"], "--include rusia: no party 'rusia' in the scenario", "did you mean 'russia'?"),
    (["--exclude", "ukriane"], "--exclude ukriane: no party 'ukriane' in the scenario", "did you mean 'ukraine'?"),
    (["--coalition", "europe,usa"], "no party 'usa' in the scenario", "did you mean 'us'"),
    (["--include", "russia", "--exclude", "russia"], "party 'russia' is both included and excluded", ""),
    (["--coalition", ""], "--coalition '': expected party ids separated by commas", "e.g. --coalition"),
    (["--coalition", "europe,,us"], "expected party ids separated by commas", ""),
    (["--coalition", "europe,us,"], "expected party ids separated by commas", ""),
    (["--coalition", "europe,europe"], "--coalition names 'europe' twice", "name each party once"),
    (["--coalition", "europe,russia", "--exclude", "russia"],
     "'russia' is both in --coalition and excluded with --exclude", "drop one of the two"),
    (["--format", "yaml"], "Invalid value for '--format'", ""),
    (["--as-of", "2026-13-01"], "2026-13-01", ""),
    (["--reading", "nato-onyl"], "nato-onyl", ""),
])
def test_bad_input_is_a_helpful_error_with_exit_code_2(cli, args, message, hint):
    done = cli("coalitions", FOUR, *args)
    assert done.exit_code == 2, done.output
    assert message in done.stderr and hint in done.stderr
    assert "Traceback" not in done.output and done.stdout == ""


def test_an_unknown_scenario_is_an_error(cli):
    done = cli("coalitions", "ukraine2026")
    assert done.exit_code == 2 and "did you mean 'ukraine-2026'?" in done.stderr


# -- every format ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [[], ["--coalition", SUPPORTERS], ["--coalition", "europe,russia"],
                                  ["--include", "europe", "--include", "russia"], ["--exclude", "russia",
                                                                                    "--coalition", "europe,us"]])
def test_every_format_states_the_same_sentences(cli, args):
    scenario = load_scenario(FOUR)
    options = {"include": (), "exclude": ()}
    for flag, key in (("--include", "include"), ("--exclude", "exclude")):
        options[key] = tuple(a for f, a in zip(args, args[1:]) if f == flag)
    chosen = next((a.split(",") for f, a in zip(args, args[1:]) if f == "--coalition"), None)
    view = coalitions_view(scenario, coalitions(scenario, **options, time_limit=60),
                           sub_agreement(scenario, chosen, exclude=options["exclude"], time_limit=60)
                           if chosen else None)
    outputs = {fmt: cli("coalitions", FOUR, *args, "--format", fmt, "--time-limit", TIME).stdout
               for fmt in ("text", "markdown", "html")}
    assert view.statements
    for sentence in view.statements:
        lowered = sentence.lower()
        assert lowered in outputs["text"].lower() and lowered in outputs["markdown"].lower(), sentence
        assert html.escape(lowered, quote=True) in outputs["html"].lower(), sentence
    assert json.loads(cli("coalitions", FOUR, *args, "--format", "json", "--time-limit", TIME).stdout) == \
        json.loads(json.dumps(view.json()))


def test_html_draws_the_lattice_of_the_coalitions(cli):
    page = cli("coalitions", FOUR, "--format", "html", "--time-limit", TIME).stdout
    assert page.startswith("<!doctype html>") and page.count("<svg") == 1
    assert "<g class='deal maximal'><title>Europe, United States, Ukraine: has a deal; maximal coalition</title>" \
        in page
    assert "<g class='blocked blocking'><title>Europe, Russia: no deal; blocking group</title>" in page


def test_markdown_lists_the_coalitions_and_quotes_the_blocking_red_lines(cli):
    text = cli("coalitions", FOUR, "--format", "markdown", "--time-limit", TIME).stdout
    assert text.startswith("# Four parties, one blocking pair (coalitions test case): coalitions\n")
    assert "- **M1.** Europe, United States and Ukraine can agree without Russia." in text
    assert "- **Europe**: “A European-led force deploys.” (`europe/deploy`); rule: `force`" in text


def test_the_four_parties_text_is_the_golden_one(cli):
    text = cli("coalitions", FOUR, "--coalition", SUPPORTERS, "--time-limit", TIME).stdout
    if os.environ.get("FEASIBLE_REGEN_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_the_shipped_ukraine_scenario_names_its_coalitions_and_the_supporters_sub_agreement(cli):
    code, found = doc(cli, "ukraine-2026", "--coalition", "europe,us,ukraine")
    assert code == 0 and found["verdict"] == "found"
    assert found["maximal"] and found["blocking"]
    assert any("russia" not in m["parties"] and "ukraine" in m["parties"] for m in found["maximal"])
    chosen = found["coalition"]
    assert chosen["has_deal"] and "russia" in chosen["outsiders"]
    assert chosen["outsiders_accept"] in (True, False)


# -- words from the files stay data ---------------------------------------------------------------------------------

@pytest.fixture
def hostile(tmp_path) -> Path:
    return hostile_scenario(tmp_path, deal=False)


def test_hostile_words_reach_no_terminal_as_escape_sequences(cli, hostile):
    done = cli("coalitions", str(hostile), "--coalition", "a", "--time-limit", TIME)
    assert done.exit_code == 0, done.output
    assert_no_control(done.stdout)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_hostile_words_stay_escaped_in_html_and_markdown(cli, hostile, fmt):
    out = cli("coalitions", str(hostile), "--coalition", "a", "--format", fmt, "--time-limit", TIME).stdout
    assert_no_control(out)
    if fmt == "html":
        assert "<script>alert" not in out and "href='javascript:" not in out and "<img src=x" not in out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    else:
        assert "\\[click\\](javascript:alert(1))" in out
        assert not re.search(r"(?<!\\)\]\(", out), "an unescaped link"


def test_a_members_red_line_binding_an_open_issue_is_part_of_the_conflict_with_the_outsiders(cli, write):
    """The settled x alone leaves the outsider room (y false); A's own red line ties the open y to x, so the
    conflict names it, with the settled value and B's red line."""
    write("binding.yaml", """
        title: A member's red line binds an open issue
        issues:
          x: {type: bool, consent: [a]}
          y: {type: bool, consent: [a, b]}
        parties:
          - {party: a, name: A, red_lines: [{id: x, says: X., rule: x}, {id: link, says: Y as X., rule: y == x}]}
          - {party: b, name: B, red_lines: [{id: no-y, says: No Y., rule: not y}]}
    """)
    done = cli("coalitions", "binding.yaml", "--coalition", "a", "--format", "json", "--time-limit", TIME)
    assert done.exit_code == 0, done.output
    conflict = json.loads(done.stdout)["coalition"]["conflict"]
    assert conflict["settled"] == ["x"] and conflict["red_lines"] == ["b/no-y"] and conflict["members"] == ["a/link"]
    text = cli("coalitions", "binding.yaml", "--coalition", "a", "--time-limit", TIME).stdout
    assert ("the sub-agreement's value of x and the coalition's own red lines (A) collide with the red lines of B"
            in " ".join(text.split()))
    conflict_part = text.split("Why the parties outside")[1].split("No sub-agreement of A")[0]
    assert "a/link" in text and "a/x" not in conflict_part


def test_every_group_of_the_html_page_has_an_id_of_its_own(cli):
    """The scenario's blocking groups (B1, …) and the groups outside a chosen coalition (O1, …) are numbered apart,
    so the page's anchors are unique."""
    scenario = Path(__file__).parent / "data" / "coalitions" / "four-parties.yaml"
    page = cli("coalitions", str(scenario), "--coalition", "europe,us,ukraine", "--format", "html",
               "--time-limit", TIME).stdout
    ids = re.findall(r"\bid='([^']+)'", page) + re.findall(r'\bid="([^"]+)"', page)
    assert "group-B1" in ids and "group-O1" in ids
    assert len(ids) == len(set(ids))
