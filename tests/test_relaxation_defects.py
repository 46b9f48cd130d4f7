"""Relaxations that the time limit cut short are reported as such, planted conflicts get their relaxation, and the
sentences of issue 12 (A.1, A.4, C.17) read right.

Time running out is provoked through hooks (the search's budget or the hitting-set step), never by timing.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.cli.words import conflicts_extent
from feasible.positions import load_scenario
from feasible.solver import check
from feasible.solver.explain import algorithms
from feasible.solver.explain import relaxations as relaxations_module

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402

check_module = importlib.import_module("feasible.solver.check")  # the module: `solver.check` is also the function
GOLDEN = Path(__file__).parent / "data" / "golden"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# Two conflicts, {a, b} and {a, c}: the relaxations are {a} (cost 3) and {b, c} (cost 2).
TWO_CONFLICTS = """\
title: Two conflicts
issues:
  x: {type: int, min: 0, max: 10}
parties:
  - party: a
    red_lines:
      - {id: high, says: x at least 6., rule: x >= 6, weight: 3}
  - party: b
    red_lines:
      - {id: low, says: x at most 4., rule: x <= 4}
  - party: c
    red_lines:
      - {id: lower, says: x at most 3., rule: x <= 3}
"""

CUT_WITH_ONE = ("The time limit cut the search for relaxations short: there may be more; a longer --time-limit gives "
                "it time.")
CUT_WITH_NONE = ("No relaxation found: the time limit cut the search for them short; a longer --time-limit gives it "
                 "time.")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def text_of(result) -> str:
    return _ANSI.sub("", result.stdout)


@pytest.fixture
def two_conflicts(tmp_path: Path) -> str:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_CONFLICTS, encoding="utf-8")
    return str(path)


@pytest.fixture
def hitting_sets_run_out_after_one(monkeypatch):
    """The relaxation search finds its first (cheapest) relaxation, then runs out of time. The flat search is
    used, as when the conflicts are not all known (with all of them, the relaxations combine the disputes'
    options and no hitting set is sought)."""
    real = algorithms.HittingSets.cheapest
    monkeypatch.setattr(relaxations_module, "settled", lambda disputes: False)

    def cheapest(self):
        self.asked = getattr(self, "asked", 0) + 1  # per search: each run of `check` builds its own
        if self.asked > 1:
            raise algorithms.OutOfTime()
        return real(self)

    monkeypatch.setattr(algorithms.HittingSets, "cheapest", cheapest)


@pytest.fixture
def no_time_after_the_verdict(monkeypatch):
    """The time limit runs out right after the verdict: nothing is left for conflicts or relaxations."""
    real = check_module.find_deals

    def find_deals(compiled, objective, count, searcher):
        found = real(compiled, objective, count, searcher)
        searcher.deadline = time.monotonic()
        return found

    monkeypatch.setattr(check_module, "find_deals", find_deals)


# ---------------------------------------------------------------------------------------------- A.1

def test_a_complete_relaxation_search_says_so(two_conflicts):
    doc = json.loads(run("check", two_conflicts, "--format", "json").stdout)
    assert doc["relaxations_complete"] is True
    assert [(r["drop"], r["cost"]) for r in doc["relaxations"]] == [(["b/low", "c/lower"], 2), (["a/high"], 3)]
    text = text_of(run("check", two_conflicts))
    assert "cut the search" not in text


def test_a_relaxation_search_cut_short_is_reported_in_every_format(two_conflicts, hitting_sets_run_out_after_one):
    result = run("check", two_conflicts, "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["relaxations_complete"] is False
    assert [r["drop"] for r in doc["relaxations"]] == [["b/low", "c/lower"]]  # the cheapest, verified
    assert doc["conflicts_complete"] is True
    text = text_of(run("check", two_conflicts))
    assert f"\n{CUT_WITH_ONE}\n" in text
    assert text.index("1. Give up 2 red lines") < text.index(CUT_WITH_ONE) < text.index("The deal the cheapest")
    assert f"\n> **Incomplete:** {CUT_WITH_ONE}\n" in run("check", two_conflicts, "--format", "markdown").stdout
    assert f"<p class='incomplete'>{CUT_WITH_ONE}</p>" in run("check", two_conflicts, "--format", "html").stdout


def test_relaxations_never_searched_are_reported(two_conflicts, no_time_after_the_verdict):
    doc = json.loads(run("check", two_conflicts, "--format", "json").stdout)
    assert doc["verdict"] == "no-deal"
    assert doc["relaxations"] == [] and doc["relaxations_complete"] is False
    assert f"> **Incomplete:** {CUT_WITH_NONE}" in run("check", two_conflicts, "--format", "markdown").stdout
    assert f"<p class='incomplete'>{CUT_WITH_NONE}</p>" in run("check", two_conflicts, "--format", "html").stdout


def test_the_planted_conflict_gets_its_relaxations(tmp_path: Path):
    """One planted conflict of five among 300 red lines: each of its members alone is a relaxation, and the
    search finds them (seeded by the conflict) and says it finished."""
    generated = generate.planted(3, red_lines=300, issues=60, parties=6, demands=30, facts=5)
    scenario = load_scenario(generated.write(tmp_path / "planted"))
    result = check(scenario, time_limit=120, room=False)
    planted = set(generated.kernel)
    assert [set(c.red_lines) for c in result.conflicts] == [planted]
    assert result.relaxations_complete
    assert {r.drop for r in result.relaxations} == {(name,) for name in planted}
    weights = generated.weights()
    assert [r.cost for r in result.relaxations] == sorted(weights[name] for name in planted)


# ---------------------------------------------------------------------------------------------- A.4

def test_no_time_for_conflicts_says_the_time_limit_cut_them(two_conflicts, no_time_after_the_verdict):
    result = run("check", two_conflicts)
    assert result.exit_code == 1, result.output
    assert text_of(result) == (GOLDEN / "check-no-time-after-verdict.txt").read_text(encoding="utf-8")


def test_every_format_words_conflicts_cut_by_time_alike(two_conflicts, no_time_after_the_verdict):
    """Markdown and HTML give the same cause and advice as the text (one wording, cli/words.py)."""
    extent = conflicts_extent(0, False, True)
    assert extent.startswith("at least one exists, since there is no deal: the time limit cut the search short")
    assert f"Conflicts: none found ({extent})" in text_of(run("check", two_conflicts))
    assert f"\n## Conflicts: none found ({extent})\n" in run("check", two_conflicts, "--format", "markdown").stdout
    assert f"<h2>Conflicts: none found ({extent})</h2>" in run("check", two_conflicts, "--format", "html").stdout


def test_a_relaxation_whose_deal_was_not_found_in_time_says_so(two_conflicts, monkeypatch):
    """The relaxation is verified; only the best deal it opens ran out of time: the output says so instead of
    showing nothing."""
    from feasible.cli.words import opened_deal_not_found

    relaxations_module = importlib.import_module("feasible.solver.explain.relaxations")
    monkeypatch.setattr(relaxations_module, "opened_deal", lambda *args, **kwargs: None)
    text = text_of(run("check", two_conflicts))
    assert text.count(f"\n  {opened_deal_not_found()}\n") == 2
    assert opened_deal_not_found() in run("check", two_conflicts, "--format", "markdown").stdout


def test_conflicts_cut_by_time_after_one_advise_a_longer_time_limit(two_conflicts, monkeypatch):
    """MARCO stops after one conflict, as when the time limit comes then: fewer than asked, incomplete."""
    conflicts_module = importlib.import_module("feasible.solver.explain.conflicts")
    real = conflicts_module.marco
    monkeypatch.setattr(conflicts_module, "marco", lambda items, oracle, **options: real(items, oracle,
                                                                                      **{**options, "limit": 1}))
    text = text_of(run("check", two_conflicts))
    assert ("Conflicts: 1 (there may be more: the time limit cut the search short; a longer --time-limit gives it "
            "time)\n") in text
    doc = json.loads(run("check", two_conflicts, "--format", "json").stdout)
    assert doc["conflicts_complete"] is False and doc["relaxations_complete"] is True  # the relaxations find the other


def test_conflicts_cut_by_their_number_are_not_blamed_on_time(two_conflicts):
    result = check(load_scenario(two_conflicts), conflicts=1, relaxations=0)
    assert len(result.conflicts) == 1 and not result.conflicts_complete and not result.conflicts_cut_by_time
    assert conflicts_extent(1, False, False) == "there may be more: --all-conflicts lists them all"


# ---------------------------------------------------------------------------------------------- C.17

def _summaries(tmp_path: Path, yaml_text: str) -> list[str]:
    path = tmp_path / "s.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    doc = json.loads(run("check", str(path), "--format", "json").stdout)
    return [c["summary"] for c in doc["conflicts"]]


def test_a_red_line_over_no_issue_is_impossible_in_itself(tmp_path: Path):
    summaries = _summaries(tmp_path, "title: T\nissues:\n  x: {type: int, min: 0, max: 10}\nparties:\n"
                                     "  - party: a\n    red_lines:\n      - {id: never, says: Never., rule: 'false'}\n")
    assert summaries == ["a's red line cannot hold: it is impossible in itself."]


def test_a_single_impossible_fact_is_named(tmp_path: Path):
    summaries = _summaries(tmp_path, "title: T\nissues:\n  x: {type: int, min: 0, max: 10}\n"
                                     "facts:\n  - {id: big, says: x is over ten., rule: x > 10}\n"
                                     "parties:\n  - party: a\n    red_lines:\n"
                                     "      - {id: low, says: Low., rule: x < 5}\n")
    assert summaries == ["The modelling assumption facts/big is impossible in itself: no way to settle the x meets "
                         "it, so no deal is possible whatever the parties want."]


def test_facts_that_contradict_each_other_still_say_so(tmp_path: Path):
    summaries = _summaries(tmp_path, "title: T\nissues:\n  x: {type: int, min: 0, max: 10}\n"
                                     "facts:\n  - {id: big, says: Big., rule: x > 6}\n"
                                     "  - {id: small, says: Small., rule: x < 4}\n"
                                     "parties:\n  - party: a\n    red_lines:\n"
                                     "      - {id: low, says: Low., rule: x < 5}\n")
    assert summaries == ["The modelling assumptions contradict each other over the x: no deal is possible whatever "
                         "the parties want."]


def test_a_red_line_of_weight_zero_through_the_api_still_gets_minimal_relaxations():
    """The files refuse weight 0, the Python API does not: the relaxations are still minimal, cheapest first."""
    from dataclasses import replace

    from solver_support.build import int_issue, issues_of, party, scenario

    built = scenario(issues_of(int_issue("x", 0, 3)), [party("a", ["x >= 2", "x >= 1"], [("x == 3", 1)]),
                                                       party("b", ["x <= 1"], [("x == 0", 1)])])
    a = built.parties[0]
    free = replace(a, red_lines=(replace(a.red_lines[0], weight=0),) + a.red_lines[1:])
    result = check(replace(built, parties=(free,) + built.parties[1:]), time_limit=120, room=False)
    assert [(r.drop, r.cost) for r in result.relaxations] == [(("a/r0",), 0), (("b/r0",), 1)]
    assert result.relaxations_complete


def test_a_what_if_setting_against_a_fact_is_not_blamed_on_the_fact_alone():
    """`--set` is the fact facts/set-ISSUE: the conflict names both facts."""
    doc = json.loads(run("check", "three-party-toy", "--set", "projects=canal", "--format", "json").stdout)
    assert [(c["facts"], c["summary"]) for c in doc["conflicts"]] == [
        (["facts/canal-needs-reservoir", "facts/set-projects"],
         "The modelling assumptions contradict each other over the projects: no deal is possible whatever the "
         "parties want.")]


def test_how_far_a_deal_is_from_the_best_is_said_as_it_is_known():
    from feasible.cli.words import opens_a_deal, optimality

    assert optimality(True, None) == "proved best"
    assert optimality(False, 0.05) == "best found within the time limit, not proved best; at most 5.0% below the " \
                                      "best possible"
    # a gap of 1 means nothing is known; nash's gap is on the logarithms, not a share of the product
    assert optimality(False, 1.0).endswith("not proved best; how far below the best possible it is, is not known")
    assert optimality(False, None, interrupted=True).startswith("best found before the interruption")
    assert optimality(False, 0.01, objective="nash").endswith("its gap to the best possible is 1.0% on the "
                                                              "logarithms of the satisfactions")
    assert opens_a_deal("A 50%", True) == "opens a deal; satisfaction: A 50%"
    assert opens_a_deal("A 50%", False) == ("opens a deal (not proved the best one it opens: the time limit cut its "
                                            "search short); satisfaction: A 50%")


def test_a_relaxations_deal_not_proved_best_says_so(two_conflicts, monkeypatch):
    from dataclasses import replace

    relaxations_module = importlib.import_module("feasible.solver.explain.relaxations")
    real = relaxations_module.opened_deal
    monkeypatch.setattr(relaxations_module, "opened_deal",
                        lambda *args, **kwargs: replace(real(*args, **kwargs), optimal=False, gap=0.5))
    text = text_of(run("check", two_conflicts))
    assert text.count("opens a deal (not proved the best one it opens: the time limit cut its search short)") == 2
    assert "(not proved the best one it opens" in run("check", two_conflicts, "--format", "markdown").stdout
