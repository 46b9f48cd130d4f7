"""Issue 16 point 4: `--as-of` and `feasible timeline` against brute force on small random scenarios with random
dates on their rules (tests/solver_support's generators), and the timeline's formats and exit codes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples, invoke
from feasible.positions.acceptance import acceptance_rule
from feasible.positions.dates import as_of
from feasible.positions.model import Party, Rule, Scenario
from feasible.positions.rules.syntax import Not
from feasible.solver import check
from feasible.solver.evaluate import holds
from feasible.solver.timeline import timeline
from feasible.cli.presentation import check_report
from solver_support import GENEROUS
from solver_support.oracle import assignments
from solver_support.strategies import scenarios

DAYS = [date(2026, 1, day) for day in range(1, 7)]


@st.composite
def dated_scenarios(draw) -> Scenario:
    """A random scenario whose facts, red lines and demands hold over random ranges of days; sometimes a red line
    is superseded by a new version with the same id (its negation) on a later day."""
    scen = draw(scenarios())

    def dated(rule: Rule) -> Rule:
        start = draw(st.none() | st.sampled_from(DAYS[:-1]))
        end = draw(st.none() | st.sampled_from([d for d in DAYS if start is None or d > start]))
        return replace(rule, valid_from=start, valid_until=end)

    parties = []
    for party in scen.parties:
        red = tuple(dated(r) for r in party.red_lines)
        if draw(st.booleans()):
            cut = draw(st.sampled_from(DAYS[1:]))
            first = party.red_lines[0]
            red = (replace(first, valid_from=None, valid_until=cut),
                   replace(first, expr=Not(first.expr), says=first.says + " (later)", valid_from=cut)) + red[1:]
        parties.append(replace(party, red_lines=red, demands=tuple(dated(d) for d in party.demands)))
    facts = tuple(dated(f) for f in scen.facts)
    rules = [*facts, *(r for p in parties for r in p.red_lines + p.demands)]
    days = tuple(sorted({d for r in rules for d in (r.valid_from, r.valid_until) if d is not None}))
    return replace(scen, facts=facts, parties=tuple(parties), dates=days,
                   every_version=bool(days))  # as load_scenario(path, versions=True) gives it


def valid(rule: Rule, day: date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= day) and (rule.valid_until is None or day < rule.valid_until)


def only_valid(scen: Scenario, day: date) -> Scenario:
    """The scenario with only the rules valid on `day`, built here rather than by positions.dates."""
    parties = []
    for party in scen.parties:
        wants = tuple(d for d in party.demands if valid(d, day))
        level = party.accept_at_least if wants else None  # no demand to measure: no level
        parties.append(Party(party.id, party.name, tuple(r for r in party.red_lines if valid(r, day)), wants,
                             level, acceptance_rule(party.id, party.name, wants, level, None)))
    # It stands on `day`: what-if edits (the relaxations' deals) keep only what holds on the day a scenario stands at.
    return Scenario(scen.title, scen.issues, tuple(parties), tuple(f for f in scen.facts if valid(f, day)), as_of=day)


def answer_document(scen: Scenario) -> dict:
    doc = check_report(scen, check(scen, time_limit=GENEROUS, conflicts=None)).json()
    doc.pop("statistics", None)
    doc.pop("as_of", None)
    return doc


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated_scenarios(), st.sampled_from([date(2025, 12, 31), *DAYS, date(2026, 1, 9)]))
def test_as_of_a_day_is_a_check_of_the_rules_valid_that_day(scen, day):
    taken = as_of(scen, day)
    assert taken.as_of == day
    assert answer_document(taken) == answer_document(only_valid(scen, day))


def brute_answer(scen: Scenario) -> tuple:
    """(deal?, cheapest cost, minimal conflicts) by enumerating every assignment and every set of red lines."""
    red = list(scen.red_lines)
    rows = [values for values in assignments(scen.issues) if all(holds(f, scen.issues, values) for f in scen.facts)]
    truth = [frozenset(i for i, r in enumerate(red) if holds(r, scen.issues, values)) for values in rows]

    def possible(kept: frozenset[int]) -> bool:
        return any(kept <= met for met in truth)

    everything = frozenset(range(len(red)))
    if possible(everything):
        return True, 0, frozenset()
    if not rows:  # the facts alone leave no deal: no relaxation; their conflict names no red line (docs/check.md)
        return False, None, frozenset({frozenset()})
    subsets = [frozenset(c) for size in range(len(red) + 1) for c in combinations(range(len(red)), size)]
    cost = min(sum(red[i].weight for i in given_up) for given_up in subsets if possible(everything - given_up))
    conflicts = frozenset(frozenset(red[i].name for i in s) for s in subsets
                          if not possible(s) and all(possible(s - {i}) for i in s))
    return False, cost, conflicts


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated_scenarios())
def test_the_timeline_changes_exactly_where_brute_force_answers_change(scen):
    """Every day positions change is compared with the day before, the first too (a period runs until it)."""
    found = timeline(scen, time_limit=GENEROUS)
    days = list(scen.dates)
    assert [p.start for p in found.periods] == [None, *days]
    assert [p.end for p in found.periods] == [*days, None] if days else [None]
    checked = [days[0] - timedelta(days=1), *days] if days else []
    answers = [brute_answer(only_valid(scen, day)) for day in checked]
    expected = [day for day, before, after in zip(days, answers, answers[1:]) if before != after]
    assert [c.day for c in found.changes] == expected
    for period, (deal, cost, conflicts) in zip(found.periods, answers):
        assert period.distance.cost == cost
        assert frozenset(frozenset(c) for c in period.conflicts) == conflicts
    assert found.decided and found.undecided == ()


# -- the command ---------------------------------------------------------------------------------------------------

def test_the_shipped_ukraine_timeline_shows_the_paris_change():
    result = invoke("timeline", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2026-01-08"
    assert doc["dates"] == ["2025-11-20", "2025-11-23", "2025-12-14", "2025-12-15", "2025-12-23", "2026-01-06"]
    assert [c["date"] for c in doc["changes"]] == ["2026-01-06"]
    change = doc["changes"][0]
    assert change["changed"] == ["cost", "conflicts"]
    assert change["comparison"]["conflicts_new"] == [["europe/european-led-force", "russia/no-western-troops"]]
    assert change["comparison"]["distance"]["before"]["cheapest_cost"] == 1
    assert change["comparison"]["distance"]["after"]["cheapest_cost"] == 2
    shifts = {(r["rule"], r["change"]) for p in doc["periods"] for r in p["rules"]}
    assert {("us/army-cap-600k", "started"), ("us/army-cap-600k", "stopped"),
            ("ukraine/nato-membership-bid", "stopped"),
            ("ukraine/nato-only-for-guarantees", "started"), ("us/article5-like-offer", "started"),
            ("europe/european-led-force", "started")} <= shifts


def test_the_timeline_in_every_format_says_the_same_change():
    for output, heading in (("text", "2026-01-06: the cheapest cost and the conflicts changed"),
                            ("markdown", "## 2026-01-06: the cheapest cost and the conflicts changed"),
                            ("html", "<h2>2026-01-06: the cheapest cost and the conflicts changed</h2>")):
        result = invoke("timeline", "--format", output)
        assert result.exit_code == 0, result.output
        assert heading in result.stdout
        assert "The scenario says it stands at 2026-01-08 (its as_of), in the period from 2026-01-06 on." in \
            result.stdout


def test_the_timeline_of_an_undated_scenario_is_one_period():
    result = invoke("timeline", "ceasefire-basics", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["dates"] == [] and doc["changes"] == [] and len(doc["periods"]) == 1
    assert "No position is dated" in invoke("timeline", "ceasefire-basics").stdout


def test_a_superseded_version_shows_as_superseded(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("""\
title: Versions
issues:
  lead: {values: [a, b]}
parties:
  - party: p
    red_lines:
      - {id: lead, says: p wants a., rule: lead == "a", valid_from: 2026-01-01, valid_until: 2026-01-10}
      - {id: lead, says: p wants b., rule: lead == "b", valid_from: 2026-01-10}
  - party: q
    red_lines:
      - {id: not-b, says: q refuses b., rule: lead != "b"}
""")
    result = invoke("timeline", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [(p["from"], p["verdict"]) for p in doc["periods"]] == [(None, "deal"), ("2026-01-01", "deal"),
                                                                   ("2026-01-10", "no-deal")]
    assert doc["periods"][2]["rules"] == [{"rule": "p/lead", "change": "superseded", "says_before": "p wants a.",
                                           "says_after": "p wants b."}]
    assert doc["changes"][0]["changed"] == ["verdict", "cost", "conflicts"]
    assert "superseded: p/lead: “p wants a.” → “p wants b.”" in invoke("timeline", str(path)).stdout


def test_an_undecided_timeline_exits_3(tmp_path, monkeypatch):
    from feasible.solver import timeline as timeline_module
    from feasible.solver.result import Verdict

    real = timeline_module.check

    def undecided(*args, **kwargs):
        return replace(real(*args, **kwargs), verdict=Verdict.UNKNOWN)

    monkeypatch.setattr(timeline_module, "check", undecided)
    result = invoke("timeline", "ceasefire-basics")
    assert result.exit_code == 3, result.output
    assert "Undecided" in result.stdout


def test_a_bad_timeline_scenario_is_located(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("title: t\nissues:\n  x: {type: bool}\nfacts:\n  - {id: f, says: f, rule: x, "
                    "valid_from: 2026-02-31}\n")
    result = invoke("timeline", str(path))
    assert result.exit_code == 2 and "'2026-02-31' is not a date" in result.output and "scenario.yaml:5:" in \
        result.output
