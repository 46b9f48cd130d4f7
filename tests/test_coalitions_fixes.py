"""`feasible coalitions` after review (issue 17): the chosen coalition's best deal leaves time for the parties outside
and says when its choice was cut short; the settled values shown when the coalition is every party; no party's id
capitalised; a verdict cut short before anything was verified, no party considered, --coalition given twice, a
Ctrl-C while loading, the library's own parameter names in its errors, a conflict of red lines without facts."""

from __future__ import annotations

import html
import json
import signal
import time

import pytest

from feasible.cli import app as cli_app
from feasible.cli.coalitions_view import coalitions_html, coalitions_markdown, coalitions_view
from feasible.positions import UserError, load_scenario
from feasible.solver import coalitions as library
from feasible.solver.coalitions import coalitions, sub_agreement
from feasible.solver.search import Control, Searcher

FOUR = "tests/data/coalitions/four-parties.yaml"
SUPPORTERS = ["europe", "us", "ukraine"]
GENEROUS = 60  # seconds: no answer here may depend on the machine's speed


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch, request):
    if "write" not in request.fixturenames:
        monkeypatch.chdir(request.config.rootpath)


def rendered(view) -> dict[str, str]:
    from feasible.cli.coalitions_view import coalitions_text
    from rich.console import Console

    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(coalitions_text(view))
    return {"text": console.export_text(), "markdown": coalitions_markdown(view), "html": coalitions_html(view)}


# -- 1. the best deal leaves time for the parties outside, and says when its choice was cut short ------------------

def test_the_best_deal_using_up_its_time_leaves_the_outsiders_question_decided(monkeypatch):
    real, calls = library.find_deals, []

    def greedy(compiled, objective, count, searcher, **options):
        found = real(compiled, objective, count, searcher, **options)
        if not calls:  # the coalition's best deal: as if it had used every second it was given
            searcher.deadline = time.monotonic()
        calls.append(compiled)
        return found

    monkeypatch.setattr(library, "find_deals", greedy)
    part = sub_agreement(load_scenario(FOUR), SUPPORTERS, time_limit=GENEROUS)
    assert part.has_deal and part.complete
    assert part.outsiders_accept is False and part.conflict is not None


@pytest.fixture
def searchers(monkeypatch) -> list[Searcher]:
    made: list[Searcher] = []

    class Watched(Searcher):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(library, "Searcher", Watched)
    return made


def cut_after_first_solve(searchers: list[Searcher]) -> Control:
    """A control that ends the time given to the best deal right after its first solve (found, not yet ranked)."""
    control = Control()
    control.progress = lambda stage, solves: setattr(searchers[-1], "deadline", time.monotonic()) \
        if solves == 1 else None
    return control


def test_a_best_deal_whose_ranking_was_cut_short_is_not_called_canonical_in_any_format(searchers):
    scenario = load_scenario(FOUR)
    part = sub_agreement(scenario, SUPPORTERS, time_limit=GENEROUS, control=cut_after_first_solve(searchers))
    assert part.has_deal and not part.canonical
    assert part.complete and part.outsiders_accept is not None  # the parties outside still had their time
    view = coalitions_view(scenario, coalitions(scenario, time_limit=GENEROUS), part)
    line = view.sub.canonical_line
    assert line == ("The time limit cut short the choice of the coalition's best deal: the settled values meet its "
                    "red lines and the facts, but may not be its best sub-agreement nor the first of equally good "
                    "ones")
    assert line in view.statements and view.json()["coalition"]["canonical"] is False
    outputs = rendered(view)
    assert line in " ".join(outputs["text"].split()) and line in outputs["markdown"]
    assert html.escape(line, quote=True) in outputs["html"]


def test_a_best_deal_found_in_time_is_canonical():
    part = sub_agreement(load_scenario(FOUR), SUPPORTERS, time_limit=GENEROUS)
    assert part.canonical
    view = coalitions_view(load_scenario(FOUR), coalitions(load_scenario(FOUR), time_limit=GENEROUS), part)
    assert view.sub.canonical_line is None and view.json()["coalition"]["canonical"] is True


def test_a_tie_break_cut_short_is_counted_by_the_searcher():
    from feasible.solver import cpsat

    model = cpsat.Model()
    x = model.new_int_var(0, 10, "x")
    searcher = Searcher(GENEROUS)
    searcher.control.progress = lambda stage, solves: setattr(searcher, "deadline", time.monotonic())
    outcome, proved, gap = searcher.optimize(model, [x], scored=0)
    assert outcome.found and proved and gap is None  # the objective (none) is settled: proved as before
    assert searcher.ties_cut == 1 and searcher.solves == 1


# -- 2. every party in the coalition: the settled values are shown ------------------------------------------------

def test_the_settled_values_are_shown_when_the_coalition_is_every_party_considered():
    scenario = load_scenario(FOUR)
    part = sub_agreement(scenario, SUPPORTERS, exclude=["russia"], time_limit=GENEROUS)
    assert not part.outsiders and part.values
    view = coalitions_view(scenario, coalitions(scenario, exclude=["russia"], time_limit=GENEROUS), part)
    outputs = rendered(view)
    for line in view.sub.settled:
        assert line.words in outputs["text"] and line.words in outputs["markdown"]
        assert html.escape(line.words, quote=True) in outputs["html"]
    assert "Settled by the coalition" in outputs["text"]
    assert "Left open" not in outputs["text"] + outputs["markdown"] + outputs["html"]


# -- 4, 5. the verdict cut short before anything was verified; no party considered ----------------------------------

def test_a_search_cut_before_anything_was_verified_says_so_in_plain_words():
    from feasible.cli.coalitions_words import verdict_line

    assert verdict_line("incomplete", 0, 0, False) == ("The time limit cut the search short before any maximal "
                                                       "coalition or blocking group was verified")
    assert verdict_line("incomplete", 0, 1, True) == ("The run was interrupted: the 1 blocking group listed is "
                                                      "verified, and there may be more")
    assert verdict_line("incomplete", 2, 0, False) == ("The time limit cut the search short: the 2 maximal "
                                                       "coalitions listed are verified, and there may be more")


def test_excluding_every_party_is_refused(cli):
    done = cli("coalitions", FOUR, "--exclude", "europe", "--exclude", "us", "--exclude", "ukraine",
               "--exclude", "russia")
    assert done.exit_code == 2, done.output
    assert "no party is considered: every party is excluded" in done.stderr
    assert "exclude fewer" in done.stderr


# -- 7. a party's id is never capitalised ---------------------------------------------------------------------------

LOWER = """
    title: Lower-case ids
    issues:
      x: {type: bool}
      y: {type: bool}
    parties:
      - {party: eu, red_lines: [{id: x, says: X., rule: x}]}
      - {party: ua, red_lines: [{id: y, says: Y., rule: y}]}
      - {party: ru, red_lines: [{id: no-x, says: No X., rule: not x}]}
"""


def test_party_ids_that_open_a_sentence_keep_their_case(cli, write):
    write("scenario.yaml", LOWER)
    done = cli("coalitions", "scenario.yaml", "--coalition", "eu,ua", "--time-limit", str(GENEROUS))
    assert done.exit_code == 0, done.output
    for wrong in ("Eu ", "Ua ", "Ru "):
        assert wrong not in done.stdout, done.stdout
    assert "M1. eu and ua can agree without ru." in done.stdout
    assert "B1. eu and ru cannot agree together, though any smaller group of them can." in done.stdout
    assert "ru cannot accept any completion of the sub-agreement" in done.stdout


# -- 8. --coalition given twice ------------------------------------------------------------------------------------

def test_coalition_given_twice_is_refused_with_the_one_option_to_write(cli):
    done = cli("coalitions", FOUR, "--coalition", "europe", "--coalition", "us")
    assert done.exit_code == 2, done.output
    assert "--coalition given 2 times (europe, us)" in done.stderr
    assert "--coalition europe,us" in done.stderr


# -- 9. Ctrl-C while the scenario loads: what was found is printed, as check does ----------------------------------

@pytest.mark.parametrize("command", [["coalitions", "--coalition", "europe,us,ukraine"], ["check"]])
def test_ctrl_c_while_loading_prints_the_interrupted_answer(cli, monkeypatch, command):
    real = cli_app._taken

    def interrupted(*args, **kwargs):
        signal.raise_signal(signal.SIGINT)  # the handler runs now, on this (the main) thread
        return real(*args, **kwargs)

    monkeypatch.setattr(cli_app, "_taken", interrupted)
    done = cli(command[0], FOUR, *command[1:], "--format", "json", "--time-limit", str(GENEROUS))
    assert done.exit_code == 130, done.output
    assert json.loads(done.stdout)["interrupted"] is True
    if command[0] == "coalitions":
        text = " ".join(cli(command[0], FOUR, *command[1:], "--time-limit", str(GENEROUS)).stdout.split())
        assert "was not decided before the run was interrupted" in text and "within the time limit" not in text


# -- 10. the library takes a sequence of ids and names its own parameters -----------------------------------------

def test_a_string_for_the_coalition_is_a_type_error_with_a_hint():
    with pytest.raises(TypeError, match=r"sequence of party ids.*'europe,us'\.split"):
        sub_agreement(load_scenario(FOUR), "europe,us")


@pytest.mark.parametrize("call, message", [
    (lambda s: sub_agreement(s, ["europe", "e"]), "coalition: no party 'e' in the scenario"),
    (lambda s: coalitions(s, include=["e"]), "include: no party 'e' in the scenario"),
    (lambda s: coalitions(s, exclude=["e"]), "exclude: no party 'e' in the scenario"),
])
def test_library_errors_name_the_parameter_not_a_command_line_option(call, message):
    with pytest.raises(UserError) as caught:
        call(load_scenario(FOUR))
    assert caught.value.message == message


@pytest.mark.parametrize("option", ["--include", "--exclude", "--coalition"])
def test_the_command_line_names_its_option(cli, option):
    done = cli("coalitions", FOUR, option, "rusia")
    assert done.exit_code == 2, done.output
    assert f"{option} rusia: no party 'rusia' in the scenario" in done.stderr
    assert "did you mean 'russia'?" in done.stderr


# -- 11. red lines that cannot hold without any fact ----------------------------------------------------------------

NO_FACTS = """
    title: No facts
    issues:
      x: {type: int, min: 0, max: 3}
    parties:
      - {party: a, red_lines: [{id: low, says: Low., rule: x <= 3}]}
      - {party: z, red_lines: [{id: lo, says: Lo., rule: x <= 1}, {id: hi, says: Hi., rule: x >= 2}]}
"""


def test_outsiders_red_lines_that_cannot_hold_at_all_are_said_to_fail_on_their_own(write):
    scenario = load_scenario(write("scenario.yaml", NO_FACTS))
    part = sub_agreement(scenario, ["a"], time_limit=GENEROUS)
    assert part.outsiders_accept is False and not part.conflict.facts
    view = coalitions_view(scenario, coalitions(scenario, time_limit=GENEROUS), part)
    assert view.sub.conflict.summary == ("the red lines of z cannot hold on their own, whatever the sub-agreement "
                                         "settles")
