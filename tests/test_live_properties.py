"""`Live` (solver/live.py) against brute force: random what-ifs asked one after another on ONE Live of a tiny random
scenario, so that its kept models, oracle answers, known conflicts and memos carry from each what-if to the next.

For every what-if: an edit that does not apply raises the same error as apply_edits, before any stage; otherwise
the first stage's verdict is the brute force's and the complete stage's; its deal meets every fact, pin, red line,
level and reservation of the edited scenario (plain evaluator) with the evaluator's outcomes; its conflict is a
minimal conflict of the edited scenario (brute force); and the complete stage is `check`'s answer (the same JSON
document as `feasible check` prints, built by the CLI's presentation).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.cli.presentation import check_report
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.errors import UserError
from feasible.positions.kinds import issue_type
from feasible.positions.model import Scenario
from feasible.solver import Objective, Verdict, check
from feasible.solver.evaluate import holds
from feasible.solver.live import Ask, CompleteStage, FirstStage, Live, PartialStage
from feasible.solver.search import Control
from solver_support import GENEROUS
from solver_support.oracle import assignments, domain, is_deal, satisfaction
from solver_support.strategies import scenarios

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def satisfiable(scen: Scenario, names) -> bool:
    rules = [r for r in scen.rules() if r.name in set(names)]
    return any(all(holds(r, scen.issues, deal) for r in rules) for deal in assignments(scen.issues))


@st.composite
def asks(draw, scen: Scenario) -> Ask:
    """A what-if over the scenario's own names: drops (red lines, levels, demands, facts), demotions, weights,
    pins (a value of the issue's domain as the command line writes it, or now and then one outside it)."""
    red = [r.name for p in scen.parties for r in p.red_lines]
    droppable = [r.name for r in scen.rules()]
    demands = [d.name for d in scen.demands]
    drop = draw(st.lists(st.sampled_from(droppable), max_size=3, unique=True))
    demote = draw(st.lists(st.sampled_from([n for n in red if n not in drop] or red), max_size=2, unique=True))
    weight = draw(st.lists(st.sampled_from(demands), max_size=2, unique=True))
    weights = tuple(f"{name}={draw(st.integers(1, 4))}" for name in weight)
    pinned = draw(st.lists(st.sampled_from(sorted(scen.issues)), max_size=2, unique=True))
    pins = []
    for name in pinned:
        issue = scen.issues[name]
        value = issue_type(issue).text(draw(st.sampled_from(domain(issue))))
        pins.append(f"{name}={draw(st.sampled_from([value, value, value, '9']))}")
    objective = draw(st.sampled_from(list(Objective)))
    return Ask(Edits(drop=tuple(drop), set=tuple(pins), demote=tuple(demote), weight=weights), (), objective)


def answered(live: Live, ask: Ask) -> list:
    stages: list = []
    live.answer(ask, Control(), stages.append)
    return stages


def document(scenario, result, baseline=None, before=None, applied=()) -> dict:
    return check_report(scenario, result, baseline=baseline, before=before, applied=applied).json()


def check_first(first: FirstStage, edited: Scenario) -> None:
    deals = [a for a in assignments(edited.issues) if is_deal(edited, a)]
    assert first.verdict is (Verdict.DEAL if deals else Verdict.NO_DEAL)
    if first.verdict is Verdict.DEAL:
        assert first.deal is not None and is_deal(edited, first.deal.values)
        got = {o.party: o.satisfaction for o in first.deal.outcomes if o.satisfaction is not None}
        assert got == satisfaction(edited, first.deal.values)
        return
    conflict = first.conflict
    assert conflict is not None
    facts = [f.name for f in edited.facts]
    assert set(conflict.facts) <= set(facts)
    assert set(conflict.red_lines) <= {r.name for r in edited.red_lines}
    members = [*conflict.red_lines, *conflict.facts]
    assert not satisfiable(edited, members)
    for name in conflict.red_lines:
        assert satisfiable(edited, [n for n in conflict.red_lines if n != name] + facts)
    for name in conflict.facts:
        assert satisfiable(edited, [*conflict.red_lines, *(n for n in conflict.facts if n != name)])
    assert first.facts_conflict == (not conflict.red_lines)
    if first.facts_conflict:
        assert not satisfiable(edited, facts)


@settings(PROPERTY, max_examples=examples(100))
@given(st.data())
def test_live_answers_as_brute_force_and_check(data):
    scen = data.draw(scenarios())
    live = Live(scen, time_limit=GENEROUS)
    for _ in range(data.draw(st.integers(2, 5))):
        ask = data.draw(asks(scen))
        note(repr(ask))
        try:
            edited, applied = apply_edits(scen, ask.edits)
        except UserError as error:
            stages: list = []
            try:
                live.answer(ask, Control(), stages.append)
            except UserError as raised:
                assert raised.message == error.message and not stages
            else:
                raise AssertionError("the bad edit was answered")
            continue
        stages = answered(live, ask)
        first, *partials, complete = stages
        assert isinstance(first, FirstStage) and isinstance(complete, CompleteStage)
        assert all(isinstance(stage, PartialStage) for stage in partials)
        check_first(first, edited)
        assert complete.result.verdict is first.verdict
        assert all(p.result.verdict is first.verdict for p in partials)
        after = check(edited, ask.objective, time_limit=GENEROUS)
        if ask.edits:
            before = check(scen, ask.objective, time_limit=GENEROUS)
            expected = document(edited, after, scen, before, tuple(applied))
        else:
            expected = document(edited, after)
        assert document(complete.scenario, complete.result, complete.baseline, complete.before,
                        complete.applied) == expected
