"""`Live` (solver/live.py) on the shipped Ukraine scenario: its complete stage is `feasible check --format json`'s
document byte for byte, its first stage comes from a model compiled once, bad edits raise before any stage, an
interruption from another thread stops the run (and leaves the next answer right); and check's `on_partial`."""

from __future__ import annotations

import threading

import pytest

from conftest import invoke
from feasible.cli.presentation import check_report
from feasible.cli.safe import json_text
from feasible.positions import load_scenario
from feasible.positions.dates import as_of
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.errors import UserError
from feasible.solver import Verdict, check
from feasible.solver import live as live_module
from feasible.solver.live import Ask, CompleteStage, FirstStage, Live, PartialStage
from feasible.solver.search import Control
from solver_support import GENEROUS
from solver_support.live import answered, taken_ukraine

LIMIT = str(int(GENEROUS))
OPENING = ("europe/european-led-force", "russia/donbas-withdrawal")  # check's cheapest relaxation


@pytest.fixture(scope="module")
def ukraine():
    return taken_ukraine()


def cli_arguments(ask: Ask) -> list[str]:
    arguments = ["check", "--format", "json", "--time-limit", LIMIT, "--objective", ask.objective.value]
    for option, values in (("--drop", ask.edits.drop), ("--set", ask.edits.set), ("--demote", ask.edits.demote),
                           ("--weight", ask.edits.weight), ("--reading", ask.readings)):
        for value in values:
            arguments += [option, value]
    return arguments


ASKS = [
    Ask(),
    Ask(Edits(drop=OPENING)),
    Ask(Edits(drop=OPENING, set=("ukraine_army_cap_thousands=600",))),
    Ask(Edits(drop=("russia/*",), demote=("europe/european-led-force",), weight=("eu/sanctions-maintained=3",))),
    Ask(Edits(set=("us_ground_troops_in_ukraine=true",)), readings=("nato-only",)),
]


@pytest.mark.parametrize("ask", ASKS, ids=lambda ask: " ".join(cli_arguments(ask)[6:]) or "files")
def test_complete_stage_is_what_check_prints(ukraine, ask):
    live = Live(ukraine, time_limit=GENEROUS)
    first, *partials, complete = answered(live, ask)
    assert isinstance(first, FirstStage) and isinstance(complete, CompleteStage)
    assert all(isinstance(stage, PartialStage) for stage in partials) and partials
    assert first.verdict is complete.result.verdict is not Verdict.UNKNOWN
    report = check_report(complete.scenario, complete.result, baseline=complete.baseline, before=complete.before,
                          applied=complete.applied)
    run = invoke(*cli_arguments(ask))
    assert run.exit_code in (0, 1), run.stderr
    assert json_text(report.json()) + "\n" == run.stdout


def test_a_live_answers_each_ask_in_turn_as_check(ukraine):
    """Asked one after another on one Live (warm models, memos), and again: each answer is check's."""
    live = Live(ukraine, time_limit=GENEROUS)
    for ask in [*ASKS[1:4], ASKS[0], ASKS[1], ASKS[2]]:
        first, *_, complete = answered(live, ask)
        baseline = live.edited(ask)[0]
        edited = apply_edits(baseline, ask.edits)[0]
        expected = check(edited, ask.objective, time_limit=GENEROUS)
        assert check_report(edited, complete.result).json() == check_report(edited, expected).json()
        assert first.verdict is expected.verdict
        if first.deal is not None:
            assert not first.deal.optimal  # any deal, not yet the best one


def test_what_ifs_of_drops_demotes_and_pins_compile_the_scenario_once(ukraine, monkeypatch):
    """The first stage of a drop, a demotion (no party has a level) or a pin runs on the model kept from the first
    ask: never compiled again (check, for the later stages, compiles its own)."""
    compiled = []
    original = live_module.compile_scenario

    def counted(scenario, **options):
        compiled.append(scenario.title)
        return original(scenario, **options)

    monkeypatch.setattr(live_module, "compile_scenario", counted)
    live = Live(ukraine, time_limit=GENEROUS)
    asks = [Ask(), Ask(Edits(drop=OPENING)), Ask(Edits(demote=OPENING)),
            Ask(Edits(drop=OPENING, set=("force_lead=none",))), Ask(Edits(drop=("russia/*",))),
            Ask(Edits(drop=("italy/no-italian-troops-in-ukraine",)))]
    verdicts = []
    for ask in asks:
        stages: list = []
        live.answer(ask, Control(), stages.append)
        verdicts.append(stages[0].verdict)
    assert len(compiled) == 1
    assert verdicts == [Verdict.NO_DEAL, Verdict.DEAL, Verdict.DEAL, Verdict.DEAL, Verdict.DEAL, Verdict.NO_DEAL]


def test_a_bad_edit_raises_before_any_stage(ukraine):
    live = Live(ukraine, time_limit=GENEROUS)
    stages: list = []
    with pytest.raises(UserError, match="unknown issue"):
        live.answer(Ask(Edits(set=("no_such_issue=1",))), Control(), stages.append)
    with pytest.raises(UserError):
        live.answer(Ask(readings=("no-such-reading",)), Control(), stages.append)
    assert stages == []


def test_an_interruption_from_another_thread_stops_the_run_and_the_next_answer_is_right(ukraine):
    """Interrupted from the main thread while check runs in a worker (after one of its solves): the worker's
    answer stops with nothing emitted after the first stage, nothing cut is memoised, and the same what-if asked
    again right after is answered in full, as check answers it."""
    live = Live(ukraine, time_limit=GENEROUS)
    ask = Ask(Edits(drop=("russia/no-western-troops",)))
    solving, interrupted = threading.Event(), threading.Event()

    def progress(stage: str, solves: int) -> None:
        if stage == "finding conflicts" and not solving.is_set():
            solving.set()
            interrupted.wait(60)

    control = Control(progress=progress)
    stages: list = []
    worker = threading.Thread(target=live.answer, args=(ask, control, stages.append))
    worker.start()
    assert solving.wait(60)
    control.interrupt()
    interrupted.set()
    worker.join(60)
    assert not worker.is_alive()
    assert [type(stage) for stage in stages][:1] == [FirstStage]
    assert not any(isinstance(stage, CompleteStage) for stage in stages)
    first, *_, complete = answered(live, ask)
    edited = apply_edits(ukraine, ask.edits)[0]
    expected = check(edited, time_limit=GENEROUS)
    assert not complete.result.interrupted
    assert check_report(edited, complete.result).json() == check_report(edited, expected).json()
    assert first.verdict is expected.verdict is stages[0].verdict


def test_an_interrupted_first_stage_is_not_memoised(ukraine):
    """Interrupted before it starts, the first stage is cut (nothing is emitted); asked again, it is answered."""
    live = Live(ukraine, time_limit=GENEROUS)
    control = Control()
    control.interrupt()
    stages: list = []
    live.answer(Ask(Edits(drop=OPENING)), control, stages.append)
    assert stages == []
    assert answered(live, Ask(Edits(drop=OPENING)))[0].verdict is Verdict.DEAL


def test_check_tells_its_answer_so_far_and_ends_the_same(ukraine):
    """on_partial: after the deals (before the room) and after the conflicts (before the relaxations); the final
    answer is the one check gives without it."""
    for scenario in (ukraine, apply_edits(ukraine, Edits(drop=OPENING))[0]):
        told: list = []
        result = check(scenario, time_limit=GENEROUS, on_partial=told.append)
        plain = check(scenario, time_limit=GENEROUS)
        assert check_report(scenario, result).json() == check_report(scenario, plain).json()
        assert all(t.verdict is result.verdict for t in told)
        assert told[0].deals == result.deals and not told[0].room and not told[0].conflicts
        if result.verdict is Verdict.NO_DEAL:
            assert len(told) == 2
            assert told[1].conflicts == result.conflicts and not told[1].relaxations
            assert all(not dispute.options for dispute in told[1].disputes)
        else:
            assert len(told) == 1 and result.room


@pytest.mark.parametrize("overlay", ["drop-party.yaml", "new-party.yaml", "move-to-demands.yaml"])
def test_an_overlay_is_a_key_of_its_own_and_answers_as_check(overlay):
    """An overlay changes the model itself: the what-if is compiled as its own key, and answered as `feasible
    check --with` answers it (pins and drops on top of it too)."""
    lake = "tests/data/whatif/lake"
    path = f"tests/data/whatif/overlays/{overlay}"
    live = Live(as_of(load_scenario(lake, versions=True), None), time_limit=GENEROUS)
    for ask in (Ask(Edits(overlays=(path,))), Ask(Edits(overlays=(path,), set=("extraction_cap=500",)))):
        first, *_, complete = answered(live, ask)
        assert first.verdict is complete.result.verdict
        report = check_report(complete.scenario, complete.result, baseline=complete.baseline,
                              before=complete.before, applied=complete.applied)
        run = invoke(*cli_arguments(ask)[:1], lake, *cli_arguments(ask)[1:], "--with", path)
        assert run.exit_code in (0, 1), run.stderr
        assert json_text(report.json()) + "\n" == run.stdout


def test_an_overlay_file_changed_between_two_asks_is_a_new_what_if(tmp_path):
    """(review finding) Overlays were memoised by their path: the same path with new contents gave the old answer,
    or an AssertionError when the old compiled key no longer fitted."""
    lake = "tests/data/whatif/lake"
    live = Live(as_of(load_scenario(lake, versions=True), None), time_limit=GENEROUS)
    overlay = tmp_path / "what-if.yaml"
    for cap in (500, 900, 100, 500):
        overlay.write_text("parties:\n  - party: north\n    red_lines:\n      - id: enough-water\n"
                           f"        says: Water.\n        rule: extraction_cap >= {cap}\n", encoding="utf-8")
        ask = Ask(Edits(overlays=(str(overlay),)))
        first, *_, complete = answered(live, ask)
        assert first.verdict is complete.result.verdict
        report = check_report(complete.scenario, complete.result, baseline=complete.baseline,
                              before=complete.before, applied=complete.applied)
        run = invoke("check", lake, "--with", str(overlay), "--format", "json", "--time-limit", LIMIT)
        assert run.exit_code in (0, 1), run.stderr
        assert json_text(report.json()) + "\n" == run.stdout, cap
