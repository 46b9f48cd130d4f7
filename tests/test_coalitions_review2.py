"""The second review of `feasible coalitions --coalition`: which best sub-agreement is shown (F3), whether any can
be completed (F4), settled values the members are indifferent to (F5), and every conflict of a blocking group,
order cycles as cycles (F6). Fixture: tests/data/coalitions/two-conflicts.yaml."""

from __future__ import annotations

import json

from conftest import DATA

from feasible.positions import load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.solver.coalitions import coalitions, sub_agreement
from solver_support import GENEROUS

TWO = DATA / "coalitions" / "two-conflicts.yaml"
TIME = "60"  # generous: no answer here may depend on the machine's speed
PAIR = ["ukraine", "us"]
CYCLE = [{"rule": "russia/withdrawal-first", "earlier": "withdrawal", "later": "ceasefire"},
         {"rule": "ukraine/ceasefire-first", "earlier": "ceasefire", "later": "referendum"},
         {"rule": "ukraine/referendum-first", "earlier": "referendum", "later": "withdrawal"}]


def _two(*drop: str, path=TWO):
    scen = load_scenario(path)
    return apply_edits(scen, Edits(drop=drop))[0] if drop else scen


EARLY = ("rule: 'us_commitment == \"article5_like\"'}\n"
         "      - {id: early, says: Early elections., rule: 'elections == \"within_100_days\"'}\n  - party: us")


def _coalition(cli, *args: str) -> dict:
    done = cli("coalitions", str(TWO), "--coalition", "ukraine,us", "--format", "json", "--time-limit", TIME, *args)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)["coalition"]


# -- F3: of the members' equally good sub-agreements, one the outsiders can complete -----------------------------

def test_an_equally_good_sub_agreement_the_outsiders_can_complete_is_the_one_shown():
    """The members are indifferent to the timing of elections; the canonical tie-break would settle
    within_100_days, which Russia refuses: after_ceasefire is as good for them and Russia can complete it."""
    part = sub_agreement(_two("russia/ceded", "russia/withdrawal-first"), PAIR, time_limit=GENEROUS)
    assert part.values == {"us_commitment": "article5_like", "elections": "after_ceasefire"}
    assert part.outsiders_accept is True and part.conflict is None and part.canonical
    assert part.completion.values["elections"] == "after_ceasefire"
    assert part.completable is None and part.alternative is None


def test_the_ukraine_repro_the_air_power_sub_agreement_is_completable():
    """The reviewer's repro on the shipped scenario: all 8 parties can agree, and so the outsiders can complete
    a sub-agreement of the supporters as good for them as the best (US contributions with air power; since the
    consent rule names the coalition for US contributions (its backstop red line), the coalition is a member)."""
    scen = load_scenario(DATA.parent.parent / "positions" / "scenarios" / "ukraine-2026")
    scen = apply_edits(scen, Edits(drop=("europe/european-led-force", "russia/withdrawal-before-ceasefire",
                                         "russia/donbas-withdrawal")))[0]
    assert len(coalitions(scen, time_limit=GENEROUS).maximal[0].parties) == len(scen.parties)
    part = sub_agreement(scen, ("europe", "ukraine", "us"), time_limit=GENEROUS)
    assert part.outsiders_accept is True and part.conflict is None
    assert "air_power" in part.values["us_contributions"]


def test_when_no_sub_agreement_as_good_can_be_completed_the_best_one_that_can_is_shown(cli, write):
    """Ukraine wants early elections, Russia refuses them: the best sub-agreement cannot be completed, but the
    best deal every party accepts settles late elections, at a cost to Ukraine."""
    text = TWO.read_text(encoding="utf-8").replace("rule: 'us_commitment == \"article5_like\"'}\n  - party: us", EARLY)
    assert "early" in text
    scen = _two("russia/ceded", "russia/withdrawal-first", path=write("early.yaml", text))
    part = sub_agreement(scen, PAIR, time_limit=GENEROUS)
    assert part.values["elections"] == "within_100_days" and part.outsiders_accept is False
    assert part.completable is True and part.outside_blocking == ()
    assert part.alternative.values["elections"] == "after_ceasefire"
    assert part.alternative.satisfaction()["ukraine"] < part.deal.satisfaction()["ukraine"]
    done = cli("coalitions", str(write("early.yaml", text)), "--coalition", "ukraine,us", "--drop", "russia/ceded",
               "--drop", "russia/withdrawal-first", "--time-limit", TIME)
    flat = " ".join(done.stdout.split())
    assert ("Another sub-agreement can be completed, though it is less good for Ukraine and United States: the best "
            "deal for them that every party considered accepts settles the values below. us commitment = "
            "article5_like timing of elections = after_ceasefire The coalition in that deal: Ukraine 50%, United "
            "States 100% (in its best deal: Ukraine 100%, United States 100%).") in flat


# -- F4: when the parties considered have no deal together, no sub-agreement can be completed -------------------

def test_no_sub_agreement_can_be_completed_when_the_outsiders_clash_with_the_members_whatever_is_settled(cli):
    coalition = _coalition(cli)
    assert coalition["outsiders_accept"] is False and coalition["conflict"]["settled"] == ["elections"]
    assert coalition["completable"] is False and coalition["alternative"] is None
    (group,) = coalition["outside_blocking"]
    assert group["parties"] == ["russia"] and group["red_lines"] == ["russia/ceded", "ukraine/held"]
    text = cli("coalitions", str(TWO), "--coalition", "ukraine,us", "--time-limit", TIME).stdout
    flat = " ".join(text.split())
    assert ("No sub-agreement of Ukraine and United States can be completed, whatever it settles: Russia has no "
            "deal together with Ukraine and United States. The conflict above is one reason" in flat)
    assert "O1. Russia cannot join Ukraine and United States" in flat


# -- F5: a settled value the members are indifferent to is shown by its open values ------------------------------

def test_a_settled_issue_the_members_are_indifferent_to_is_shown_by_its_open_values(cli):
    coalition = _coalition(cli)
    assert coalition["settled"]["elections"] == "within_100_days"  # the value the outsiders were asked about
    assert coalition["settled_open"] == {"elections": {"count": 2, "values": ["within_100_days", "after_ceasefire"]}}
    text = cli("coalitions", str(TWO), "--coalition", "ukraine,us", "--time-limit", TIME).stdout
    assert "timing of elections = any of within_100_days, after_ceasefire" in text
    assert "us commitment = article5_like" in text  # not open: Ukraine and the US want it
    assert "Sub-agreement: timing of elections = within_100_days" in text  # the conflict: the value asked about


# -- F6: every conflict of a blocking group, order cycles as cycles ----------------------------------------------

def test_a_blocking_group_shows_each_of_its_conflicts_the_order_cycle_as_a_cycle(cli):
    (group,) = coalitions(load_scenario(TWO), time_limit=GENEROUS).blocking
    assert group.red_lines == ("russia/ceded", "ukraine/held")
    assert group.others == ((("russia/withdrawal-first", "ukraine/ceasefire-first", "ukraine/referendum-first"),
                             ()),)
    done = cli("coalitions", str(TWO), "--format", "json", "--time-limit", TIME)
    (shown,) = json.loads(done.stdout)["blocking"]
    (other,) = shown["other_conflicts"]
    assert other["cycle"] == CYCLE and "cycle" not in shown
    text = cli("coalitions", str(TWO), "--time-limit", TIME).stdout
    assert ("Also: Russia: withdrawal before ceasefire; Ukraine: ceasefire before referendum; "
            "Ukraine: referendum before withdrawal.") in text
    for fmt in ("markdown", "html"):
        assert "Also: Russia: withdrawal before ceasefire" in cli("coalitions", str(TWO), "--format", fmt,
                                                                  "--time-limit", TIME).stdout


def test_a_sub_agreement_conflict_of_order_statements_is_shown_as_the_cycle(cli):
    coalition = _coalition(cli, "--drop", "russia/ceded", "--drop", "russia/late-elections")
    conflict = coalition["conflict"]
    assert conflict["settled"] == [] and conflict["members"] == ["ukraine/ceasefire-first", "ukraine/referendum-first"]
    assert sorted(conflict["cycle"], key=lambda step: step["rule"]) == CYCLE
    assert conflict["summary"] == ("Ukraine: ceasefire before referendum; Ukraine: referendum before withdrawal; "
                                   "Russia: withdrawal before ceasefire.")
