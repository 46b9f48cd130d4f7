"""Consent scopes (format, loader checks, edits) and coalitions/sub_agreement on hand-made scenarios: the errors
(unknown parties with did-you-mean, a party both included and excluded), an interrupted run, consent deciding
what a coalition settles. The definitions themselves are checked against brute force in
tests/test_coalitions_properties.py."""

from __future__ import annotations

import pytest

import feasible
from feasible.positions import InvalidScenario, UserError, load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.rewrite import plan_edits, write_plan
from feasible.solver import Control
from feasible.solver.coalitions import CoalitionVerdict, coalitions, sub_agreement
from solver_support import GENEROUS

TRIO = """
    title: trio
    issues:
      force: {type: bool, consent: [west, east]}
      money: {type: int, min: 0, max: 10}
      border: {type: enum, values: [old, new]}
    facts:
      - {id: f, says: f, rule: "money <= 8"}
    parties:
      - party: west
        consent: [force, money]
        red_lines:
          - {id: force, says: a force, rule: force}
          - {id: money, says: money, rule: "money >= 5"}
      - party: east
        consent: [force, border]
        red_lines:
          - {id: no-force, says: no force, rule: not force}
      - party: kyiv
        consent: [money, border]
        red_lines:
          - {id: border, says: the old border, rule: 'border == "old"'}
"""


def _problems(write, text: str) -> list:
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(write("scenario.yaml", text))
    return caught.value.diagnostics


def test_consent_is_read_and_decides_who_consents(write):
    scen = load_scenario(write("scenario.yaml", TRIO))
    assert scen.issues["force"].consent == ("west", "east") and scen.issues["money"].consent is None
    assert scen.party("west").consent == ("force", "money")
    assert scen.consenting("force") == {"west", "east"}
    assert scen.consenting("money") == {"west", "kyiv"}
    assert scen.consenting("border") == {"east", "kyiv"}


def test_without_consent_everyone_consents_to_everything(write):
    scen = load_scenario(write("scenario.yaml", TRIO.replace("consent: [west, east]", "")
                               .replace("        consent: [force, money]\n", "")
                               .replace("        consent: [force, border]\n", "")
                               .replace("        consent: [money, border]\n", "")))
    assert all(scen.consenting(n) == {"west", "east", "kyiv"} for n in scen.issues)


@pytest.mark.parametrize("change, message, hint", [
    ("consent: [west, east]", "'eats' is not a party of the scenario", "did you mean 'east'?"),
    ("consent: [force, money]", "'monye' is not an issue of the scenario", "did you mean 'money'?"),
])
def test_unknown_names_in_consent_are_located_with_did_you_mean(write, change, message, hint):
    wrong = change.replace("east]", "eats]").replace("money]", "monye]")
    found = _problems(write, TRIO.replace(change, wrong))
    assert (found[0].message, found[0].hint) == (message, hint)
    assert found[0].location.line == (3 if "eats" in wrong else 10)


def test_a_party_listing_an_issue_whose_consent_leaves_it_out_is_located_at_the_entry(write):
    found = _problems(write, TRIO.replace("consent: [money, border]", "consent: [money, border, force]"))
    assert [d.message for d in found] == ["party 'kyiv' lists issue 'force' under consent:, but the issue's consent: "
                                          "does not name the party"]
    assert found[0].location.line == 19 and "must agree" in found[0].hint


def test_an_issue_naming_a_party_whose_list_leaves_it_out_is_located_at_the_party(write):
    found = _problems(write, TRIO.replace("consent: [force, border]", "consent: [border]"))
    assert [d.message for d in found] == ["issue 'force' names party 'east' under consent:, but the party's consent: "
                                          "does not list the issue"]
    assert found[0].location.line == 15


def test_a_name_listed_twice_in_consent_is_an_error(write):
    found = _problems(write, TRIO.replace("consent: [west, east]", "consent: [west, east, west]"))
    assert [d.message for d in found] == ["'west' is listed twice"]


def test_an_empty_consent_list_means_nobody_must_consent(write):
    scen = load_scenario(write("scenario.yaml", TRIO.replace("money: {type: int, min: 0, max: 10}",
                                                             "money: {type: int, min: 0, max: 10, consent: []}")
                               .replace("consent: [force, money]", "consent: [force]")
                               .replace("consent: [money, border]", "consent: [border]")))
    assert scen.consenting("money") == frozenset()
    assert "money" in sub_agreement(scen, ["east"], time_limit=GENEROUS).settled


DROP_EAST = """
    parties:
      - party: east
        drop: true
"""


def test_a_removed_party_leaves_every_consent_list_in_memory_and_in_the_files(write):
    path = write("scenario.yaml", TRIO)
    overlay = write("drop-east.yaml", DROP_EAST)
    edited, _ = apply_edits(load_scenario(path), Edits(overlays=(str(overlay),)))
    assert edited.issues["force"].consent == ("west",)
    assert edited.consenting("force") == {"west"}
    write_plan(plan_edits(path, Edits(overlays=(str(overlay),))))
    assert "force: {type: bool, consent: [west]}" in path.read_text(encoding="utf-8")
    assert load_scenario(path).issues == edited.issues


def test_sub_agreement_settles_the_issues_whose_consenting_parties_are_members(write):
    scen = load_scenario(write("scenario.yaml", TRIO))
    part = sub_agreement(scen, ["kyiv", "west"], time_limit=GENEROUS)
    assert part.coalition == ("west", "kyiv") and part.settled == ("money",) and part.open == ("force", "border")
    assert part.has_deal and 5 <= part.values["money"] <= 8 and part.outsiders == ("east",)
    assert part.outsiders_accept is False  # east refuses the force west insists on, whatever money is settled at
    assert part.conflict.red_lines == ("east/no-force",) and part.conflict.settled == ()
    whole = sub_agreement(scen, ["west", "east", "kyiv"], time_limit=GENEROUS)
    assert not whole.has_deal and [g.parties for g in whole.blocking] == [("west", "east")]
    assert whole.settled == ("force", "money", "border")


PORT = """
    title: port
    issues:
      port: {type: enum, values: [north, south], consent: [west, east]}
      toll: {type: bool}
    parties:
      - party: west
      - party: east
      - party: kyiv
        red_lines:
          - {id: south, says: the southern port, rule: 'port == "south"'}
"""


WEST_WANTS_NORTH = """- party: west
        demands:
          - {id: north, says: the northern port, rule: 'port == "north"'}"""


def test_a_settled_value_the_outsiders_cannot_accept_is_the_conflict(write):
    scen = load_scenario(write("scenario.yaml", PORT))
    part = sub_agreement(scen, ["west"], exclude=["east"], time_limit=GENEROUS)
    assert part.settled == ("port",)  # east is left out of everything: its consent is not asked
    # west is indifferent: of its equally good sub-agreements, the one kyiv can complete comes first
    assert part.values == {"port": "south"} and part.deal.open["port"].is_open
    assert part.outsiders == ("kyiv",) and part.outsiders_accept is True
    wanting = load_scenario(write("wanting.yaml", PORT.replace("- party: west", WEST_WANTS_NORTH)))
    part = sub_agreement(wanting, ["west"], exclude=["east"], time_limit=GENEROUS)
    assert part.values == {"port": "north"} and part.outsiders_accept is False
    assert part.conflict.settled == ("port",) and part.conflict.red_lines == ("kyiv/south",)
    # another sub-agreement can be completed, at a cost to west
    assert part.completable is True and part.alternative.values["port"] == "south"
    assert part.alternative.satisfaction() == {"west": 0} and part.outside_blocking == ()
    assert sub_agreement(scen, ["west"], time_limit=GENEROUS).settled == ()  # with east: its consent is needed


def test_coalitions_of_the_trio(write):
    scen = load_scenario(write("scenario.yaml", TRIO))
    found = coalitions(scen, time_limit=GENEROUS)
    assert found.verdict is CoalitionVerdict.FOUND
    assert [c.parties for c in found.maximal] == [("west", "kyiv"), ("east", "kyiv")]
    assert [(g.parties, g.red_lines, g.facts) for g in found.blocking] == [
        (("west", "east"), ("east/no-force", "west/force"), ())]
    assert [c.parties for c in coalitions(scen, include=["east"], time_limit=GENEROUS).maximal] == [("east", "kyiv")]
    assert coalitions(scen, exclude=["east"], time_limit=GENEROUS).maximal[0].parties == ("west", "kyiv")


def test_included_parties_without_a_deal_get_their_blocking_groups(write):
    found = coalitions(load_scenario(write("scenario.yaml", TRIO)), include=["east", "west"], time_limit=GENEROUS)
    assert not found.included_agree and not found.maximal
    assert [g.parties for g in found.blocking] == [("west", "east")]


def test_facts_that_cannot_hold_leave_no_coalition(write):
    scen = load_scenario(write("scenario.yaml", TRIO.replace('rule: "money <= 8"}', 'rule: "money <= 8"}\n'
                                                             '      - {id: g, says: g, rule: "money > 9"}')))
    found = coalitions(scen, time_limit=GENEROUS)
    assert found.verdict is CoalitionVerdict.NO_FACTS and found.facts_conflict == ("facts/f", "facts/g")
    assert not found.maximal and not found.blocking


@pytest.mark.parametrize("call, message, hint", [
    (lambda s: coalitions(s, include=["wets"]), "include: no party 'wets' in the scenario",
     "did you mean 'west'?"),
    (lambda s: coalitions(s, exclude=["kiev"]), "exclude: no party 'kiev' in the scenario",
     "did you mean 'kyiv'?"),
    (lambda s: sub_agreement(s, ["west", "eest"]), "coalition: no party 'eest' in the scenario",
     "did you mean 'west' or 'east'?"),
    (lambda s: coalitions(s, include=["west"], exclude=["west"]), "party 'west' is both included and excluded",
     None),
    (lambda s: sub_agreement(s, ["west"], exclude=["west"]), "party 'west' is both in the coalition and excluded",
     None),
])
def test_unknown_or_contradictory_parties_are_user_errors(write, call, message, hint):
    with pytest.raises(UserError) as caught:
        call(load_scenario(write("scenario.yaml", TRIO)))
    assert caught.value.message == message
    if hint is not None:
        assert caught.value.hint == hint


def test_an_interrupted_run_is_incomplete_and_lists_only_what_was_verified(write):
    control = Control()
    control.interrupt()
    found = coalitions(load_scenario(write("scenario.yaml", TRIO)), control=control)
    assert found.verdict is CoalitionVerdict.INCOMPLETE and found.interrupted
    assert not found.maximal and not found.blocking
    part = sub_agreement(load_scenario(write("scenario.yaml", TRIO)), ["west"], control=control)
    assert not part.complete and part.interrupted and part.outsiders_accept is None


def test_the_public_names():
    assert feasible.coalitions is coalitions and feasible.sub_agreement is sub_agreement


FIVE = """
    title: five
    issues:
      x: {type: enum, values: [one, two, three]}
      y: {type: bool}
    parties:
      - {party: a, red_lines: [{id: one, says: one, rule: 'x == "one"'}]}
      - {party: b, red_lines: [{id: two, says: two, rule: 'x == "two"'}]}
      - {party: c, red_lines: [{id: one, says: one, rule: 'x == "one"'}]}
      - {party: d, red_lines: [{id: y, says: y, rule: y}]}
      - {party: e, red_lines: [{id: not-y, says: not y, rule: not y}]}
"""


def test_a_run_stopped_after_any_solve_lists_only_true_answers(write):
    from solver_support.coalitions import CoalitionOracle

    scen = load_scenario(write("scenario.yaml", FIVE))
    whole = coalitions(scen, time_limit=GENEROUS)
    assert [c.parties for c in whole.maximal] == [("a", "c", "d"), ("a", "c", "e"), ("b", "d"), ("b", "e")]
    assert [g.parties for g in whole.blocking] == [("a", "b"), ("b", "c"), ("d", "e")]
    brute = CoalitionOracle(scen)
    ids = [p.id for p in scen.parties]
    for stop_after in range(1, whole.solves):
        control = Control()
        control.progress = lambda stage, solves, n=stop_after, c=control: c.interrupt() if solves >= n else None
        cut = coalitions(scen, time_limit=GENEROUS, control=control)
        assert cut.interrupted and cut.verdict in (CoalitionVerdict.INCOMPLETE, CoalitionVerdict.FOUND)
        assert {frozenset(c.parties) for c in cut.maximal} <= brute.maximal(ids)
        assert {frozenset(g.parties) for g in cut.blocking} <= brute.blocking(ids)
