"""The presentation of `feasible sweep` (cli/sweep_view.py, cli/sweep_words.py, cli/tornado.py) over sweeps built here
by hand with real field values (a real scenario, real deals of `feasible.check`), so that every state a sweep can end
in is shown whatever the machine: a full run, an interrupted one, no deal in any sample, no sample decided, the exact
probability not computed, the most robust deal found, bounded, impossible or not computed. Every format states every
statement of the model, the JSON is the model's (exact probabilities as fractions, no timing), the tornado is read
off the drivers alone and is deterministic, and words from the files stay data in every format (issue 18, point 3)."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from rich.console import Console

from feasible.cli.safe import TerminalSafeHook, json_text
from feasible.cli.sweep_view import SHOWN_CONFLICTS, sweep_html, sweep_markdown, sweep_text, sweep_view
from feasible.cli.tornado import Bar, tornado_svg
from feasible.positions import load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.uncertainty import HOLDS, GIVES_WAY, ItemKind, Uncertain, UncertainItem
from feasible.solver import check
from feasible.solver.explain.conflicts import Conflict
from feasible.solver.robust import RobustDeal as Robust, RobustStatus as Status
from feasible.solver.sweep import (ExactProbability, Interval, Sensitivity, Sweep, SweepStatistics, SweptConflict,
                                   SweptFamily, Tally)

SMALL = Path(__file__).parent / "data" / "sweep" / "small.yaml"


def firmness(name: str, holds: Fraction, note: str | None = None) -> UncertainItem:
    return UncertainItem(ItemKind.FIRMNESS, name, (HOLDS, GIVES_WAY), (holds, 1 - holds), name.split("/")[0], note)


ITEMS = (firmness("east/no-troops", Fraction(9, 10), "Repeated at head-of-state level [S1]."),
         firmness("west/troops", Fraction(3, 5), "One official's remark."),
         firmness("north/far-line", Fraction(1, 2)),
         UncertainItem(ItemKind.WEIGHT, "south/line-at-2", (1, 2, 3), (Fraction(1, 3),) * 3, "south"))


@pytest.fixture(scope="module")
def uncertain() -> Uncertain:
    return Uncertain(load_scenario(str(SMALL)), (), Edits(), ITEMS)


@pytest.fixture(scope="module")
def robust_deal(uncertain):
    """The most robust deal of the small scenario, found for real: West's troops and North's line give way."""
    taken, _ = apply_edits(uncertain.scenario(), Edits(drop=("west/troops", "north/far-line")))
    found = check(taken, time_limit=60)
    assert found.deal is not None
    return found.deal


def full(robust_deal) -> Sweep:
    """1,000 samples, 990 decided: a deal in 230."""
    tally = Tally(samples=1000, deals=230, no_deals=760, undecided=10, conflicts_cut=0, cost_unknown=0,
                  by_value=((891, 180), (99, 50), (594, 100), (396, 130), (495, 0), (495, 230),
                            (330, 77), (330, 76), (330, 77)),
                  conflicts=((("east/no-troops", "west/troops"), 530), (("north/far-line", "south/near-line"), 495)),
                  red_lines=(("east/no-troops", 530), ("north/far-line", 495), ("south/near-line", 495),
                             ("west/troops", 530)),
                  costs=((1, 500), (2, 260)))
    sensitivity = (Sensitivity(2, (("holds", 495, 0), ("gives way", 495, 230)), 0.0, 230 / 495, 230 / 495,
                               (0.0, 0.46)),
                   Sensitivity(0, (("holds", 891, 180), ("gives way", 99, 50)), 180 / 891, 50 / 99,
                               50 / 99 - 180 / 891, (0.2, 0.5)),
                   Sensitivity(1, (("holds", 594, 100), ("gives way", 396, 130)), 100 / 594, 130 / 396,
                               130 / 396 - 100 / 594, (0.2, 0.275)),
                   Sensitivity(3, (("1", 330, 77), ("2", 330, 76), ("3", 330, 77)), 76 / 330, 77 / 330, 1 / 330,
                               (0.23, 0.23, 0.23)))
    return Sweep(
        title="Two disputes, uncertain red lines (sweep test case)", items=ITEMS, seed=7, samples_asked=1000,
        tally=tally, probability=Interval(230 / 990, 0.2072, 0.2596, 0.95),
        exact=ExactProbability(Fraction(23, 100), 24, (), None),
        robust=Robust(Status.FOUND, robust_deal, Fraction(1, 5), Fraction(1, 5), ("west/troops", "north/far-line")),
        conflicts=(SweptConflict(("east/no-troops", "west/troops"), ("east", "west"), 530, 1),
                   SweptConflict(("north/far-line", "south/near-line"), ("north", "south"), 495, 2)),
        families=(SweptFamily(1, (0,), ("east/no-troops", "west/troops"), ("east", "west")),
                  SweptFamily(2, (1,), ("north/far-line", "south/near-line"), ("north", "south"))),
        red_line_shares=(("east/no-troops", 530), ("west/troops", 530), ("north/far-line", 495),
                         ("south/near-line", 495)),
        sensitivity=sensitivity, partial=False,
        statistics=SweepStatistics(1.5, 24, 976, 1, 0, "local:2", 2))


def partial(sweep: Sweep) -> Sweep:
    return dataclasses.replace(sweep, samples_asked=4000, partial=True)


def no_deal_anywhere(sweep: Sweep) -> Sweep:
    tally = dataclasses.replace(sweep.tally, deals=0, no_deals=990)
    return dataclasses.replace(sweep, tally=tally, probability=Interval(0.0, 0.0, 0.0039, 0.95),
                               sensitivity=(), robust=Robust(Status.NO_DEAL, None, Fraction(0), Fraction(0), (),
                                                             Conflict(("north/far-line", "south/near-line"), ())))


def none_decided(sweep: Sweep) -> Sweep:
    tally = Tally(samples=1000, undecided=1000)
    return dataclasses.replace(sweep, tally=tally, probability=None, conflicts=(), families=(), red_line_shares=(),
                               sensitivity=(), exact=ExactProbability(None, 0, (), "3 combinations were undecided"),
                               robust=Robust(Status.NOT_COMPUTED, None, Fraction(0), Fraction(1), (),
                                             reason="the time limit ran out"))


def exact_not_computed(sweep: Sweep) -> Sweep:
    reason = "13 uncertain items, more than the 12 enumerated exactly"
    bounded = dataclasses.replace(sweep.robust, status=Status.BOUNDED, bound=Fraction(1, 4))
    return dataclasses.replace(sweep, exact=ExactProbability(None, 0, (), reason), robust=bounded,
                               sensitivity=tuple(dataclasses.replace(s, exact=None) for s in sweep.sensitivity))


def cut_and_unknown(sweep: Sweep) -> Sweep:
    tally = dataclasses.replace(sweep.tally, conflicts_cut=3, cost_unknown=2, facts_conflict=1, conflicts_unknown=4)
    return dataclasses.replace(sweep, tally=tally)


VARIANTS = {"full": lambda s: s, "partial": partial, "no-deal-anywhere": no_deal_anywhere, "cut": cut_and_unknown,
            "none-decided": none_decided, "exact-not-computed": exact_not_computed}


@pytest.fixture(scope="module")
def views(uncertain, robust_deal):
    base = full(robust_deal)
    return {name: sweep_view(uncertain, variant(base)) for name, variant in VARIANTS.items()}


# -- the three formats as plain words -------------------------------------------------------------------------------

def _words(text: str) -> str:
    return " ".join(text.split())


def text_of(view) -> str:
    console = Console(file=io.StringIO(), width=2000, soft_wrap=True, no_color=True, highlight=False)
    console.push_render_hook(TerminalSafeHook())
    console.print(sweep_text(view))
    return console.file.getvalue()


def markdown_words(view) -> str:
    text = sweep_markdown(view).replace("`", "").replace("**", "").replace("\\|", "|")
    return _words(html.unescape(re.sub(r"\\([\\\[\]])", r"\1", text)))


def html_words(view) -> str:
    page = re.sub(r"<svg.*?</svg>", " ", sweep_html(view), flags=re.DOTALL)
    return _words(html.unescape(re.sub(r"<[^>]+>", " ", page)))


RENDERERS = {"text": lambda v: _words(text_of(v)), "markdown": markdown_words, "html": html_words}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_format_states_every_statement_of_the_model(views, variant):
    view = views[variant]
    assert view.statements
    for format_name, words in RENDERERS.items():
        shown = _words(words(view)).lower()
        missing = [s for s in view.statements if _words(s).lower() not in shown]
        assert not missing, f"{format_name} leaves out: {missing}"


def test_the_statements_say_the_probability_the_exact_value_and_the_most_robust_deal(views):
    said = "\n".join(views["full"].statements)
    assert "a deal exists in 23.2 % of 990 samples (95 % interval 20.7–26.0 %)" in said
    assert "a deal exists with probability 23.0 % (23/100)" in said
    assert "most robust deal is accepted by every party with probability 20.0 % (1/5)" in said
    assert "West's red line west/troops gives way (it holds with probability 60.0 %, 3/5)" in said
    assert "conflict C1 (East and West) appears in 530 of 760 (69.7 %) samples without a deal" in said
    assert "10 samples were undecided" in said


def test_partial_and_impossible_and_bounded_states_are_said(views):
    assert "partial: 1,000 of 4,000 samples" in "\n".join(views["partial"].statements)
    assert any("no deal even if every uncertain red line gives way" in s for s in views["no-deal-anywhere"].statements)
    assert any("no sample was decided" in s for s in views["none-decided"].statements)
    assert any("not computed: the time limit ran out" in s for s in views["none-decided"].statements)
    bounded = "\n".join(views["exact-not-computed"].statements)
    assert "no deal is accepted with a probability above 25.0 % (1/4)" in bounded
    assert "the exact probability was not computed: 13 uncertain items" in bounded
    cut = "\n".join(views["cut"].statements)
    assert "3 samples had more than 16 conflicts" in cut and "unknown in 2 samples" in cut


def test_the_most_robust_deal_is_shown_with_checks_deal_pieces(views):
    text = text_of(views["full"])
    assert "ceasefire line" in text and "Satisfied" in text.title()  # check's deal table and parties table
    assert "Repeated at head-of-state level [S1]." in text  # the gamble's note... (east is no gamble, so its item)
    page = sweep_html(views["full"])
    assert "id='robust-deal'" in page and "party-row" in page
    assert "| ceasefire line |" in sweep_markdown(views["full"])


def test_the_conflict_of_sure_red_lines_is_shown_in_the_parties_words(views):
    text = text_of(views["no-deal-anywhere"])
    assert "The line at 5 or beyond." in text and "north/far-line" in text


# -- JSON -----------------------------------------------------------------------------------------------------------

def test_the_json_is_the_documented_document(views):
    doc = json.loads(json_text(views["full"].json()))
    assert doc["format"] == "feasible/1" and doc["command"] == "sweep" and doc["seed"] == 7
    assert doc["samples"] == {"asked": 1000, "done": 1000, "deal": 230, "no_deal": 760, "undecided": 10,
                              "conflicts_cut": 0, "conflicts_unknown": 0, "cost_unknown": 0, "facts_conflict": 0}
    assert doc["probability"] == {"estimate": 0.232323, "low": 0.2072, "high": 0.2596, "confidence": 0.95}
    assert doc["exact"] == {"probability": 0.23, "exact": "23/100", "combinations": 24, "reason": None}
    robust = doc["robust"]
    assert robust["status"] == "found" and robust["exact"] == "1/5" and robust["probability"] == 0.2
    assert [g["red_line"] for g in robust["gambles"]] == ["west/troops", "north/far-line"]
    assert robust["gambles"][0]["holds_exact"] == "3/5" and robust["deal"]["issues"]["troops"] is False
    assert [i["name"] for i in doc["items"]] == [i.name for i in ITEMS]
    assert doc["items"][0]["values"] == [{"value": "holds", "probability": 0.9, "exact": "9/10"},
                                         {"value": "gives way", "probability": 0.1, "exact": "1/10"}]
    assert [s["item"] for s in doc["sensitivity"]] == ["north/far-line", "east/no-troops", "west/troops",
                                                        "south/line-at-2"]
    assert doc["conflicts"][0] == {"number": 1, "red_lines": ["east/no-troops", "west/troops"],
                                   "parties": ["East", "West"], "samples": 530, "share": 0.697368, "family": 1}
    assert doc["costs"] == [{"cost": 1, "samples": 500, "share": 0.657895},
                            {"cost": 2, "samples": 260, "share": 0.342105}]


def test_the_json_holds_no_timing_engine_or_worker_count(views, uncertain, robust_deal):
    other = dataclasses.replace(full(robust_deal), statistics=SweepStatistics(99.0, 1, 0, 0, 1, "dask:tcp://x:1", 7))
    assert json_text(sweep_view(uncertain, other).json()) == json_text(views["full"].json())
    text = json_text(views["full"].json())
    for word in ("elapsed", "engine", "workers", "memo", "dask", "local:"):
        assert word not in text


def test_the_json_of_a_run_without_decided_samples_has_no_estimate(views):
    doc = views["none-decided"].json()
    assert doc["probability"] is None and doc["exact"]["probability"] is None
    assert doc["robust"]["status"] == "not-computed" and doc["robust"]["reason"] == "the time limit ran out"


# -- the tornado ----------------------------------------------------------------------------------------------------

def test_the_tornado_has_one_bar_per_driver_widest_swing_on_top(views):
    page = sweep_html(views["full"])
    svg = re.search(r"<svg.*?</svg>", page, flags=re.DOTALL).group(0)
    items = re.findall(r'<g class="bar" data-item="([^"]+)"', svg)
    assert items == ["north/far-line", "east/no-troops", "west/troops", "south/line-at-2"]


def test_the_tornado_is_deterministic_and_escapes_its_words():
    bars = [Bar("<script>alert(1)</script>\x1b]0;pwn\x07", 0.1, 0.6, "holds", "gives way"),
            Bar("plain", 0.5, 0.5, "1", "1")]
    svg = tornado_svg(bars, "Drivers & <title>", 0.4, "all samples")
    assert svg == tornado_svg(bars, "Drivers & <title>", 0.4, "all samples")
    assert "<script>" not in svg and "\x1b" not in svg and "\x07" not in svg
    assert "&lt;script&gt;" in svg and "Drivers &amp; &lt;title&gt;" in svg
    assert svg.count('<g class="bar"') == 2 and 'class="estimate"' in svg


# -- words from the files stay data ---------------------------------------------------------------------------------

HOSTILE = "<img src=x onerror=alert(1)> `code` [link](http://x) | pipe \x1b[31mred\x1b[0m"


@pytest.fixture(scope="module")
def hostile_view(uncertain, robust_deal):
    items = (dataclasses.replace(ITEMS[0], note=HOSTILE), *ITEMS[1:])
    sweep = dataclasses.replace(full(robust_deal), items=items)
    return sweep_view(dataclasses.replace(uncertain, items=items), sweep)


def test_hostile_notes_reach_no_terminal_as_escape_sequences(hostile_view):
    assert "\x1b" not in text_of(hostile_view)


def test_hostile_notes_stay_escaped_in_html(hostile_view):
    page = sweep_html(hostile_view)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page and "\x1b" not in page


def test_hostile_notes_stay_text_in_markdown(hostile_view):
    page = sweep_markdown(hostile_view)
    assert "[link](http://x)" not in page and "\\[link\\]" in page and "\x1b" not in page


def test_only_the_most_frequent_conflicts_are_shown_with_their_rules(uncertain, robust_deal):
    many = tuple(SweptConflict(("east/no-troops", "west/troops"), ("east", "west"), 100 - n, 1)
                 for n in range(SHOWN_CONFLICTS + 2))
    view = sweep_view(uncertain, dataclasses.replace(full(robust_deal), conflicts=many))
    assert len(view.json()["conflicts"]) == SHOWN_CONFLICTS + 2
    assert "2 less frequent conflicts in the JSON" in text_of(view)


def test_families_of_several_conflicts_are_said_and_every_family_is_in_the_json(uncertain, robust_deal):
    """Two conflicts sharing East's red line (as under a reading that gives North a troops red line) are one
    family; the JSON lists every family, the formats say only those joining several conflicts."""
    sweep = dataclasses.replace(
        full(robust_deal),
        conflicts=(SweptConflict(("east/no-troops", "west/troops"), ("east", "west"), 530, 1),
                   SweptConflict(("east/no-troops", "north/far-line"), ("east", "north"), 40, 1),
                   SweptConflict(("north/far-line", "south/near-line"), ("north", "south"), 495, 2)),
        families=(SweptFamily(1, (0, 1), ("east/no-troops", "north/far-line", "west/troops"),
                              ("east", "west", "north")),
                  SweptFamily(2, (2,), ("north/far-line", "south/near-line"), ("north", "south"))))
    view = sweep_view(uncertain, sweep)
    assert [f["conflicts"] for f in view.json()["families"]] == [[1, 2], [3]]
    assert [f.sentence for f in view.joined] == ["family 1: C1, C2 (East, West and North) share red lines"]
    for words in RENDERERS.values():
        assert "family 1: c1, c2 (east, west and north) share red lines" in words(view).lower()
        assert "family 2" not in words(view).lower()
