"""What-if edits of a reservation value (docs/format.md#utilities): `--drop PARTY/reservation` removes the red line
in memory and the `reservation:` key in the files, the same way; `--demote` of it is refused; a rename keeps the
reservation's words in the party's name, in memory as in the files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import invoke
from feasible.positions.edits import Edits, RemoveReservation, apply_edits, resolve_edits
from feasible.positions.errors import UserError
from feasible.positions.loader import load_scenario
from feasible.positions.readings import under_readings
from feasible.positions.rewrite import plan_edits, write_plan
from feasible.solver import Verdict, check

SALE = Path(__file__).parent / "data" / "utility"


def meaning(scenario) -> tuple:
    return tuple((p.id, p.name, [(r.name, r.says, r.text) for r in p.binding], p.utility) for p in scenario.parties)


def test_dropping_a_reservation_in_memory_and_in_the_files_gives_the_same_scenario(tmp_path, monkeypatch):
    scen = Path(shutil.copytree(SALE, tmp_path / "sale"))
    monkeypatch.chdir(tmp_path)
    edits = Edits(drop=("seller/reservation",))
    resolved = resolve_edits(load_scenario(scen), edits)
    assert resolved.operations == (RemoveReservation("seller"),)
    seller = resolved.scenario.party("seller")
    assert seller.reservation is None and seller.utility.reservation is None and seller.utility.discount is not None
    assert not resolved.scenario.has_rule("seller/reservation") and resolved.scenario.has_rule("buyer/reservation")
    plan = plan_edits(scen, edits)
    assert "-  reservation: \"1/2\"" in plan.diff() and plan.diff().count("\n-") == 1
    write_plan(plan)
    assert meaning(load_scenario(scen)) == meaning(resolved.scenario)


def test_a_glob_drops_the_reservations_with_the_red_lines(tmp_path):
    dropped, applied = apply_edits(load_scenario(SALE), Edits(drop=("*/reservation", "seller/*")))
    assert all(p.reservation is None for p in dropped.parties) and dropped.red_lines == ()
    assert applied[0].rules == ("buyer/reservation", "seller/reservation")


def test_a_reservation_cannot_be_demoted():
    with pytest.raises(UserError) as refused:
        apply_edits(load_scenario(SALE), Edits(demote=("seller/reservation",)))
    assert refused.value.message == ("--demote seller/reservation: a reservation value cannot become a demand: as a "
                                     "demand it would have no weight to carry")
    assert refused.value.hint == "drop it instead: --drop seller/reservation"
    result = invoke("check", str(SALE), "--demote", "seller/reservation")
    assert result.exit_code == 2 and "drop it instead" in result.stderr and "Traceback" not in result.stderr


def test_a_renamed_party_keeps_its_reservation_in_its_new_name(tmp_path, monkeypatch):
    scen = Path(shutil.copytree(SALE, tmp_path / "sale"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rename.yaml").write_text("parties:\n  - party: seller\n    name: The shop\n")
    edits = Edits(overlays=(str(tmp_path / "rename.yaml"),))
    renamed, _ = apply_edits(load_scenario(scen), edits)
    assert renamed.party("seller").reservation.says.startswith("The shop accepts no deal worth less than 0.5")
    write_plan(plan_edits(scen, edits))
    assert meaning(load_scenario(scen)) == meaning(renamed)


def test_a_reservation_no_deal_meets_is_a_conflict_and_dropping_it_opens_a_deal(tmp_path):
    text = (SALE / "buyer.yaml").read_text().replace("reservation: 0.4", "reservation: 0.99")
    scen = Path(shutil.copytree(SALE, tmp_path / "sale"))
    (scen / "buyer.yaml").write_text(text)
    result = check(load_scenario(scen), time_limit=120)
    assert result.verdict is Verdict.NO_DEAL
    assert any("buyer/reservation" in c.red_lines for c in result.conflicts)
    dropped, _ = apply_edits(load_scenario(scen), Edits(drop=("buyer/reservation",)))
    assert check(dropped, time_limit=120).verdict is Verdict.DEAL


READINGS = """
questions:
  buyer-floor:
    asks: Does the buyer hold to its reservation value?
    readings: [firm-floor, no-floor]
  seller-floor:
    asks: Does the seller's floor also go?
    readings: [as-written, no-floor-either]
readings:
  firm-floor:
    title: The buyer keeps its floor
  no-floor:
    title: The buyer walks away from its floor
    drop: [buyer/reservation]
  as-written:
    title: As written
  no-floor-either:
    title: The buyer's floor goes too
    drop: [buyer/reservation]
  demoted:
    title: The seller's floor as a demand
    demote: [seller/reservation]
"""


def test_readings_drop_a_reservation_and_two_that_drop_the_same_one_clash(tmp_path):
    scen = Path(shutil.copytree(SALE, tmp_path / "sale"))
    demoted = "  demoted:\n    title: The seller's floor as a demand\n    demote: [seller/reservation]\n"
    one = READINGS.replace(demoted, "").replace("    drop: [buyer/reservation]\n  demoted", "  demoted")
    one = one.replace("  no-floor-either:\n    title: The buyer's floor goes too\n    drop: [buyer/reservation]\n",
                      "  no-floor-either:\n    title: The buyer's floor goes too\n")
    (scen / "scenario.yaml").write_text((SALE / "scenario.yaml").read_text() + one)
    result = invoke("check", str(scen), "--reading", "no-floor", "--format", "json")
    assert result.exit_code == 0, result.stderr
    read = under_readings(load_scenario(scen), ["no-floor"])
    assert read.party("buyer").reservation is None and read.party("seller").reservation is not None
    both = (SALE / "scenario.yaml").read_text() + READINGS.replace(demoted, "")
    (scen / "scenario.yaml").write_text(both)
    clash = invoke("validate", str(scen))
    assert clash.exit_code == 2 and "both change buyer/reservation" in clash.stderr and "Traceback" not in clash.stderr


def test_a_reading_that_demotes_a_reservation_is_a_located_error(tmp_path):
    scen = Path(shutil.copytree(SALE, tmp_path / "sale"))
    text = (SALE / "scenario.yaml").read_text() + READINGS
    (scen / "scenario.yaml").write_text(text)
    result = invoke("validate", str(scen))
    line = text[:text.index("seller/reservation]")].count("\n") + 1
    assert result.exit_code == 2 and f"scenario.yaml:{line}:" in result.stderr
    assert "a reservation value cannot become a demand" in result.stderr
