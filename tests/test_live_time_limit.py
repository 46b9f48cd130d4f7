"""A live answer stays within its time limit (issue 20 fix: "long answers show progress and stay within the time
limit"): the first stage, check of the what-if and check of the files share one deadline; the files' answer, when
none of it is left, is UNKNOWN and the comparison says so; and whether check's answer was cut is read from the
answer itself, so a complete answer is memoised however long it took.

No test here depends on the machine's speed: the deadlines are read where they are handed over, and time running
out is played by a clock moved back."""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import pytest

from feasible.cli.presentation import check_report
from feasible.positions.edits import Edits, apply_edits
from feasible.solver import Verdict, check
from feasible.solver import live as live_module
from feasible.solver.live import Ask, CompleteStage, FirstStage, Live, WarmPins, cut
from feasible.solver.result import Statistics
from solver_support import GENEROUS
from solver_support.live import answered, taken_ukraine

OPENING = ("europe/european-led-force", "russia/donbas-withdrawal")  # check's cheapest relaxation: a deal
DROP = Ask(Edits(drop=OPENING))


@pytest.fixture(scope="module")
def ukraine():
    return taken_ukraine()


class Recorded:
    """check, recording what each call was given (and, `slow`, saying each run took an age)."""

    def __init__(self, slow: bool = False, first_unbounded: bool = False):
        self.calls: list[dict] = []
        self.slow = slow
        self.first_unbounded = first_unbounded  # the first check (the what-if's) runs as if time were plenty

    def __call__(self, scenario, objective, **options):
        self.calls.append(options)
        if self.first_unbounded and len(self.calls) == 1:
            options = {**options, "deadline": None}
        result = check(scenario, objective, **options)
        if self.slow and result.statistics is not None:
            result = replace(result, statistics=replace(result.statistics, wall_seconds=1e9))
        return result


def test_the_stages_share_one_deadline_of_the_time_limit(ukraine, monkeypatch):
    recorded = Recorded()
    monkeypatch.setattr(live_module, "check", recorded)
    given: list[float] = []
    find = WarmPins.find

    def finding(self, firm, searcher):
        given.append(searcher.deadline)
        return find(self, firm, searcher)

    monkeypatch.setattr(WarmPins, "find", finding)
    live = Live(ukraine, time_limit=GENEROUS)
    started = time.monotonic()
    answered(live, DROP)
    ended = time.monotonic()
    assert len(recorded.calls) == 2  # the what-if's check, then the files'
    deadlines = {call["deadline"] for call in recorded.calls} | set(given)
    assert len(deadlines) == 1 and len(given) == 1
    deadline = deadlines.pop()
    assert started + GENEROUS <= deadline <= ended + GENEROUS
    assert all(call["time_limit"] == GENEROUS for call in recorded.calls)  # check's inner shares: check's own


def test_each_ask_has_a_deadline_of_its_own(ukraine, monkeypatch):
    recorded = Recorded()
    monkeypatch.setattr(live_module, "check", recorded)
    live = Live(ukraine, time_limit=GENEROUS)
    answered(live, DROP)
    between = time.monotonic()
    answered(live, Ask(Edits(drop=("russia/*",))))  # (the files' answer is memoised: one check)
    assert len(recorded.calls) == 3
    assert recorded.calls[2]["deadline"] >= between + GENEROUS > recorded.calls[0]["deadline"]


def _clock_behind(monkeypatch) -> None:
    """Live's clock a whole time limit behind: the deadline it sets has passed already."""

    class Behind:
        @staticmethod
        def monotonic() -> float:
            return time.monotonic() - 2 * GENEROUS

    monkeypatch.setattr(live_module, "time", Behind)


def test_no_time_left_for_the_files_answer_is_said(ukraine, monkeypatch):
    _clock_behind(monkeypatch)
    recorded = Recorded(first_unbounded=True)  # the what-if's check ends in time; nothing is left
    monkeypatch.setattr(live_module, "check", recorded)
    live = Live(ukraine, time_limit=GENEROUS)
    first, *_, complete = answered(live, DROP)
    assert isinstance(first, FirstStage) and first.verdict is Verdict.UNKNOWN  # (the deadline had passed)
    assert isinstance(complete, CompleteStage)
    assert complete.result.verdict is Verdict.DEAL
    assert complete.before is not None and complete.before.verdict is Verdict.UNKNOWN
    report = check_report(complete.scenario, complete.result, baseline=complete.baseline, before=complete.before,
                          applied=complete.applied)
    doc = report.json()
    assert doc["baseline"]["verdict"] == "unknown"
    assert doc["changes"]["verdict"] == {"before": "unknown", "after": "deal"}
    # the files' answer cut short is not memoised: with time, it is computed
    monkeypatch.undo()
    *_, again = answered(live, DROP)
    assert again.before is not None and again.before.verdict is Verdict.NO_DEAL


def test_check_past_its_deadline_answers_unknown_at_once(ukraine, monkeypatch):
    compiled: list = []
    monkeypatch.setattr(sys.modules["feasible.solver.check"], "compile_scenario", lambda *a, **k: compiled.append(a))
    result = check(ukraine, time_limit=GENEROUS, deadline=time.monotonic() - 1)
    assert result.verdict is Verdict.UNKNOWN and not compiled and not result.interrupted


def test_a_complete_answer_is_memoised_however_long_it_took(ukraine, monkeypatch):
    recorded = Recorded(slow=True)
    monkeypatch.setattr(live_module, "check", recorded)
    live = Live(ukraine, time_limit=GENEROUS)
    first = answered(live, DROP)
    assert len(recorded.calls) == 2
    again = answered(live, DROP)
    assert len(recorded.calls) == 2  # the what-if's answer and the files' both memoised
    assert again[-1].result == first[-1].result and again[-1].before == first[-1].before


# -- what an answer says about being cut ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def answers(ukraine):
    """check's answers on the files (no deal) and with the cheapest relaxation given up (a deal), uncut."""
    dealt = apply_edits(ukraine, Edits(drop=OPENING))[0]
    return (ukraine, check(ukraine, time_limit=GENEROUS)), (dealt, check(dealt, time_limit=GENEROUS))


def _with_open(result, issue: str, **changes):
    deal = result.deals[0]
    return replace(result, deals=(replace(deal, open={**deal.open, issue: replace(deal.open[issue], **changes)}),))


def test_uncut_answers_are_not_cut(answers):
    for scenario, result in answers:
        assert not cut(result, scenario)


def test_each_flag_of_a_deal_answer_says_cut(answers):
    _, (scenario, result) = answers
    assert result.verdict is Verdict.DEAL
    deal = result.deals[0]
    some = next(iter(result.room))
    variants = {
        "interrupted": replace(result, interrupted=True),
        "unknown": replace(result, verdict=Verdict.UNKNOWN, deals=()),
        "room": replace(result, room={**result.room, some: replace(result.room[some], complete=False)}),
        "unreachable": replace(result, unreachable_complete=False),
        "not optimal": replace(result, deals=(replace(deal, optimal=False, gap=0.5),)),
        "open cut": replace(result, deals=(replace(deal, open_cut=True),)),
        "int ranges": _with_open(result, "ukraine_army_cap_thousands", complete=False),
        "set summary": _with_open(result, "guarantors", complete=False),
    }
    for name, variant in variants.items():
        assert cut(variant, scenario), name
    # a sequence's orders past what is judged one by one are never judged, however long the time
    assert not cut(_with_open(result, "timeline", complete=False), scenario)


def test_each_flag_of_a_no_deal_answer_says_cut(answers):
    (scenario, result), _ = answers
    assert result.verdict is Verdict.NO_DEAL and result.relaxations
    relaxation = result.relaxations[0]
    assert relaxation.deal is not None
    variants = {
        "conflicts by time": replace(result, conflicts_cut_by_time=True, conflicts_complete=False),
        "relaxations": replace(result, relaxations_complete=False),
        "not canonical": replace(result, relaxations_canonical=False),
        "not ranked": replace(result, relaxations_ranked_by_deal=False),
        "no deal for a relaxation": replace(result, relaxations=(replace(relaxation, deal=None),
                                                                 *result.relaxations[1:])),
        "a relaxation's deal not best": replace(result, relaxations=(
            replace(relaxation, deal=replace(relaxation.deal, optimal=False)), *result.relaxations[1:])),
    }
    for name, variant in variants.items():
        assert cut(variant, scenario), name
    # the conflicts capped at the number asked for (not by time) are not a cut
    assert not cut(replace(result, conflicts_complete=False), scenario)
    assert not cut(replace(result, statistics=Statistics(1, 1, 1, 1e9)), scenario)



def test_the_files_answer_once_decided_is_the_before_of_every_what_if_even_when_partly_cut(ukraine, monkeypatch):
    """A scenario whose check always uses its whole time limit (2,000 red lines: relaxations' deals not proved best)
    would otherwise never have time left for the files' side of a what-if's comparison."""
    calls: list[str] = []
    real_check = live_module.check

    def counted(scenario, *args, **kwargs):
        calls.append(scenario.title if scenario is ukraine else "edited")
        return real_check(scenario, *args, **kwargs)

    monkeypatch.setattr(live_module, "check", counted)
    monkeypatch.setattr(live_module, "cut", lambda result, scenario: True)  # as if check's shares cut every answer
    live = Live(ukraine, time_limit=GENEROUS)
    files = answered(live, Ask())[-1]
    assert isinstance(files, CompleteStage) and files.before is None
    assert calls == [ukraine.title]
    for _ in range(2):
        complete = answered(live, DROP)[-1]
        assert isinstance(complete, CompleteStage)
        assert complete.before is files.result  # the files' answer the page showed, not computed again
    assert calls == [ukraine.title, "edited", "edited"]  # (nothing else memoised: every answer "cut")


def test_an_undecided_files_answer_is_not_kept(ukraine, monkeypatch):
    real_check = live_module.check
    undecided = {"left": 1}

    def first_undecided(scenario, *args, **kwargs):
        result = real_check(scenario, *args, **kwargs)
        if scenario is ukraine and undecided["left"]:
            undecided["left"] -= 1
            return replace(result, verdict=Verdict.UNKNOWN, deals=())
        return result

    monkeypatch.setattr(live_module, "check", first_undecided)
    live = Live(ukraine, time_limit=GENEROUS)
    assert answered(live, DROP)[-1].before.verdict is Verdict.UNKNOWN
    assert answered(live, DROP)[-1].before.verdict is Verdict.NO_DEAL  # asked again: computed, decided
