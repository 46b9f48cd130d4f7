"""Issue 15 point 5: `explain` in a scenario without a deal answers in the scenario with the red lines of the
disputes that do not bear on the target set aside (of every dispute when none does), says which, and shows only
the issues the answer depends on. Cross-checked against brute force on small random scenarios (the oracle and
generators of test_conflict_properties.py), and on the Ukraine scenario before its revision."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import examples
from feasible.cli.app import app
from feasible.positions import load_scenario
from feasible.positions.rules.syntax import names
from feasible.positions.targets import TargetKind, parse_target
from feasible.solver.evaluate import holds
from feasible.solver.explain.why import why_not
from solver_support import GENEROUS
from test_conflict_properties import PROPERTY, Brute, any_scenarios, assert_deal_meets, describe, targets

OLD_UKRAINE = str(Path(__file__).parent / "data" / "ukraine-c4e3764")


def components(muses) -> list[frozenset]:
    """The red lines of each dispute: the MUSes joined by shared red lines, written out again."""
    groups: list[set] = []
    for mus in muses:
        joined = [g for g in groups if g & mus]
        merged = set(mus).union(*joined)
        groups = [g for g in groups if not g & mus] + [merged]
    return [frozenset(g) for g in groups]


def expected_issues(scen, target) -> set[str]:
    return set(names(target.demand.expr)) if target.kind is TargetKind.DEMAND else {target.issue}


def tied_by_facts(scen, issues: set[str]) -> set[str]:
    """The issues, and every issue a fact ties to them, directly or through other facts (the slow way: join fact
    by fact until nothing changes): a dispute on any of them bears on the target."""
    while True:
        joined = set(issues)
        for fact in scen.facts:
            if set(names(fact.expr)) & joined:
                joined |= set(names(fact.expr))
        if joined == issues:
            return issues
        issues = joined


def rule_issues(brute: Brute, rule_names) -> set[str]:
    return {i for n in rule_names for i in names(brute.rules[n].expr)}


@settings(PROPERTY, max_examples=examples(300))
@given(data=st.data(), scen=any_scenarios)
def test_explain_without_a_deal_agrees_with_brute_force(data, scen):
    note(describe(scen))
    brute = Brute(scen)
    assume(not brute.deals)
    text = data.draw(targets(scen))
    note(f"target: {text}")
    target = parse_target(scen, text)
    answer = why_not(scen, target, GENEROUS)
    assert answer.decided and answer.no_deal_as_given and answer.conflicts_complete
    wanted = expected_issues(scen, target)
    disputes = components(brute.muses) if brute.sat(brute.facts) else []
    mine = [d for d in disputes if rule_issues(brute, d) & tied_by_facts(scen, wanted)]
    set_aside = {n for d in disputes if d not in mine for n in d}
    assert answer.set_aside == tuple(sorted(set_aside))
    assert {frozenset(d.red_lines) for d in answer.disputes} == set(mine)
    kept = [n for n in brute.facts + brute.red if n not in set_aside]
    if not brute.sat(kept):
        event(f"no deal even so; disputes bearing on the target: {min(len(mine), 2)}")
        assert not answer.any_deal and not answer.possible
        assert answer.reason is None and answer.witness is None
        assert set(answer.depends_on) >= wanted
        return
    assert answer.any_deal
    if target.kind is TargetKind.FORCED:
        seen = {row.values[target.issue] for row in brute.rows_meeting(kept)}
        if len(seen) > 1:
            event("forced: no")
            assert answer.possible and answer.witness is not None
            assert_deal_meets(brute, answer.witness.values, kept)
            assert set(answer.depends_on) == wanted
            return
        (value,) = seen
        assert answer.forced_value == value
        condition = lambda values: values[target.issue] != value  # noqa: E731
    elif target.kind is TargetKind.VALUE:
        condition = lambda values: values[target.issue] == target.value  # noqa: E731
    else:
        demand = brute.rules[target.demand.name]
        condition = lambda values: holds(demand, scen.issues, values)  # noqa: E731
    possible = brute.sat(kept, condition)
    event(f"{target.kind.value}: {'possible' if possible else 'ruled out'} with {len(set_aside)} set aside")
    if target.kind is not TargetKind.FORCED:
        assert answer.possible == possible
    if answer.possible:
        assert answer.witness is not None and condition(answer.witness.values)
        assert_deal_meets(brute, answer.witness.values, kept)
        assert set(answer.depends_on) == wanted
        return
    reason = set(answer.reason.red_lines) | set(answer.reason.facts)
    assert reason <= set(kept)
    assert brute.is_minimal_reason(reason, condition)
    assert set(answer.depends_on) == wanted | rule_issues(brute, reason)


def explain(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["explain", *args, "--time-limit", str(GENEROUS)])
    return result.exit_code, result.output


def test_old_ukraine_question_outside_every_dispute_is_answered():
    code, out = explain(OLD_UKRAINE, "ukraine_army_cap_thousands=50", "--format", "json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["any_deal"] and doc["possible"] and doc["depends_on"] == ["ukraine_army_cap_thousands"]
    assert doc["no_deal_as_given"]["set_aside"] == sorted([
        "europe/european-led-force", "nato/no-membership-bar", "russia/donbas-withdrawal",
        "russia/no-nato-membership", "russia/no-western-troops", "ukraine/no-unilateral-withdrawal",
        "us/no-us-ground-troops"])
    assert doc["no_deal_as_given"]["disputes"] == []
    assert len(doc["deal"]["issues"]) == 20  # JSON keeps the whole deal


def test_old_ukraine_question_in_a_dispute_keeps_that_dispute():
    code, out = explain(OLD_UKRAINE, "ukraine_nato_status", "--format", "json")
    assert code == 1, out
    doc = json.loads(out)
    assert not doc["any_deal"]
    assert doc["no_deal_as_given"]["set_aside"] == sorted([
        "europe/european-led-force", "russia/donbas-withdrawal", "russia/no-western-troops",
        "ukraine/no-unilateral-withdrawal", "us/no-us-ground-troops"])
    (dispute,) = doc["no_deal_as_given"]["disputes"]
    assert [c["red_lines"] for c in dispute["conflicts"]] == [["nato/no-membership-bar", "russia/no-nato-membership"]]


def test_text_says_what_was_set_aside_and_shows_only_the_issues_that_matter():
    code, out = explain(OLD_UKRAINE, "ukraine_army_cap_thousands=50")
    assert code == 0, out
    assert out.startswith("No deal as the positions stand: answered with the red lines of every dispute")
    assert "United States' “No US ground troops in Ukraine”" in out  # short: in the party's words
    assert "russia/donbas-withdrawal" in out  # long: by name
    assert "ukraine army cap thousands" in out and "donetsk arrangement" not in out  # (no labels in this copy)
    assert "19 others not shown" in out


def test_a_scenario_with_a_deal_sets_nothing_aside():
    scenario = load_scenario("three-party-toy")
    answer = why_not(scenario, parse_target(scenario, "chair"), GENEROUS)
    assert answer.any_deal and not answer.no_deal_as_given and answer.set_aside == ()
    code, out = explain("three-party-toy", "chair", "--format", "json")
    assert "no_deal_as_given" not in json.loads(out)
