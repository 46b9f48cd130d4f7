"""`feasible readings` (the matrix command): the matrix of the shipped Ukraine scenario in every format, the same
whatever the number of workers; narrowing with --question; the errors (unknown question, too many combinations)
and the exit codes."""

from __future__ import annotations

import json
import shutil
from math import prod
from pathlib import Path

import pytest

from html import escape

from conftest import strip_ansi
from feasible.positions import load_scenario
from feasible.solver import Verdict
from feasible.solver import readings as readings_module
from feasible.solver.readings import MAX_COMBINATIONS, matrix
from feasible.solver.result import CheckResult, Objective
from feasible.solver.search import Control
from feasible.cli.safe import markdown_text
from feasible.cli.words import capitalized
from feasible.cli.readings_view import readings_html, readings_markdown, readings_text, readings_view
from feasible.positions.readings import combinations, under_readings
from solver_support import GENEROUS

LAKE = Path(__file__).parent / "data" / "whatif" / "lake"
LIMIT = str(GENEROUS)


@pytest.fixture(scope="module")
def ukraine_json() -> dict:
    from conftest import invoke

    result = invoke("readings", "--format", "json", "--time-limit", LIMIT, "--workers", "2")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_ukraine_matrix_has_every_combination_and_its_findings(ukraine_json):
    scenario = load_scenario(None)
    assert [q["name"] for q in ukraine_json["questions"]] == [q.name for q in scenario.questions]
    cells = ukraine_json["combinations"]
    assert len(cells) == prod(len(q.readings) for q in scenario.questions)
    assert cells[0]["readings"] == [q.default for q in scenario.questions]
    assert all(c["checked"] and c["verdict"] in ("deal", "no-deal") for c in cells)
    assert ukraine_json["complete"] and not ukraine_json["interrupted"]
    for conflict in ukraine_json["conflicts"]:
        holding = [n for n, c in enumerate(cells, 1) if conflict["red_lines"] in c["conflicts"]]
        assert conflict["combinations"] == holding and conflict["holds_in"] == len(holding)
    assert ukraine_json["no_deal"] == sum(c["verdict"] == "no-deal" for c in cells)
    assert ukraine_json["every_reading"]["status"] in ("found", "none")


def test_the_first_cell_is_what_check_answers(cli, ukraine_json):
    checked = json.loads(cli("check", "--format", "json", "--time-limit", LIMIT).stdout)
    first = ukraine_json["combinations"][0]
    assert first["verdict"] == checked["verdict"]
    assert first["conflicts"] == [c["red_lines"] for c in checked.get("conflicts", [])]
    if checked["verdict"] == "no-deal":
        assert first["cost"] == checked["relaxations"][0]["cost"]


def test_one_worker_gives_the_same_document(cli, ukraine_json):
    result = cli("readings", "--format", "json", "--time-limit", LIMIT, "--workers", "1")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == ukraine_json


def test_every_format_states_the_same_findings():
    scenario = load_scenario(None)
    view = readings_view(scenario, matrix(scenario, combinations(scenario), under_readings, time_limit=GENEROUS,
                                          questions=[q.name for q in scenario.questions], workers=1))
    text = strip_ansi(str(readings_text(view)))
    markdown, html = readings_markdown(view), readings_html(view)
    assert len(view.statements) >= 4
    for statement in view.statements:
        shown = capitalized(statement)
        assert shown in text, statement
        assert " ".join(markdown_text(shown).split()).replace("|", "\\|") in markdown, statement
        assert escape(shown, quote=True) in html, statement
    assert html.startswith("<!doctype html>") and "<table>" in html
    for cell in view.cells:  # one table row per combination, in every format
        row = f"{cell.number}  " + "  ".join(cell.readings)
        assert " ".join(row.split()) in " ".join(text.split())
        assert "| " + " | ".join([str(cell.number), *cell.readings]) + " |" in markdown
        assert "<td>" + "</td><td>".join([str(cell.number), *cell.readings]) + "</td>" in html


def test_naming_a_question_varies_only_it(cli):
    scenario = load_scenario(None)
    question = scenario.questions[0]
    result = cli("readings", "--question", question.name, "--format", "json", "--time-limit", LIMIT,
                 "--workers", "1")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [q["name"] for q in doc["questions"]] == [question.name]
    assert [c["readings"] for c in doc["combinations"]] == [[r] for r in question.ordered]


def test_an_unknown_question_is_refused_with_help(cli):
    scenario = load_scenario(None)
    name = scenario.questions[0].name
    result = cli("readings", "--question", name[:-1] + "x")
    assert result.exit_code == 2
    assert "no question" in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr


def _lake_with_questions(tmp_path: Path, count: int) -> Path:
    """The lake scenario with `count` two-way questions, each alternative adding a fact of its own."""
    scen = tmp_path / "scen"
    shutil.copytree(LAKE, scen)
    questions = "".join(f"  q{i}:\n    asks: Question {i}?\n    readings: [q{i}-as-written, q{i}-alt]\n"
                        for i in range(count))
    readings = "".join(f"  q{i}-as-written:\n    title: As written\n  q{i}-alt:\n    title: Another reading\n"
                       f"    facts:\n      - id: extra-{i}\n        says: Extra {i}.\n        rule: true\n"
                       for i in range(count))
    head = scen / "scenario.yaml"
    head.write_text(head.read_text() + "questions:\n" + questions + "readings:\n" + readings)
    return scen


def test_too_many_combinations_are_refused_and_say_how_to_narrow(cli, tmp_path):
    scen = _lake_with_questions(tmp_path, 7)
    result = cli("readings", str(scen))
    assert result.exit_code == 2
    assert f"{2 ** 7} combinations" in result.stderr and f"at most {MAX_COMBINATIONS}" in result.stderr
    assert "--question q0" in result.stderr
    narrowed = cli("readings", str(scen), "--question", "q0", "--question", "q3", "--format", "json",
                   "--time-limit", LIMIT, "--workers", "1")
    assert narrowed.exit_code == 0, narrowed.stderr
    doc = json.loads(narrowed.stdout)
    assert [c["readings"] for c in doc["combinations"]] == [["q0-as-written", "q3-as-written"],
                                                            ["q0-as-written", "q3-alt"], ["q0-alt", "q3-as-written"],
                                                            ["q0-alt", "q3-alt"]]


def test_a_scenario_without_questions_is_one_combination(cli):
    result = cli("readings", str(LAKE), "--time-limit", LIMIT, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert "declares no questions" in result.stdout


def test_an_undecided_combination_exits_with_3(cli, monkeypatch):
    def undecided(scenario, objective=Objective.FAIR, **options):
        return CheckResult(scenario.title, Verdict.UNKNOWN, Objective(objective))

    monkeypatch.setattr(readings_module, "check", undecided)
    result = cli("readings", "--question", load_scenario(None).questions[0].name, "--workers", "1",
                 "--format", "json")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["undecided"] == len(doc["combinations"]) and doc["every_reading"]["status"] == "undecided"


def test_an_interruption_returns_what_was_checked_marked(monkeypatch):
    """Ctrl-C (the control the command line's handler sets) after the first combination: the rest are not
    checked, the matrix says so, and the command exits with 130."""
    scenario = load_scenario(None)
    control = Control()
    real = readings_module.check

    def check_then_interrupt(*args, **options):
        result = real(*args, **options)
        control.interrupt()
        return result

    monkeypatch.setattr(readings_module, "check", check_then_interrupt)
    found = matrix(scenario, combinations(scenario), under_readings, time_limit=GENEROUS, workers=1, control=control)
    assert found.interrupted and found.cells[0] is not None and all(c is None for c in found.cells[1:])
    assert found.every_reading.status == "not-checked"
    view = readings_view(scenario, found)
    assert view.cells[1].verdict_word == "not checked" and view.interrupted_note
    assert view.json()["combinations"][1]["checked"] is False


def test_an_interrupted_command_exits_with_130(cli, monkeypatch):
    def interrupted(scenario, questions=(), *, control=None, **options):
        control.interrupt()
        return matrix(scenario, combinations(scenario, questions)[:1], under_readings, workers=1, control=control,
                      time_limit=GENEROUS)

    monkeypatch.setattr(readings_module, "readings_matrix", interrupted)
    result = cli("readings", "--format", "json")
    assert result.exit_code == 130
    assert json.loads(result.stdout)["interrupted"] is True


def test_a_check_run_in_this_process_gets_the_control_that_ctrl_c_sets(monkeypatch):
    """One combination runs in this process whatever --workers says: Ctrl-C must reach its check directly."""
    scenario, control, seen = load_scenario(LAKE), Control(), []
    real = readings_module.check

    def recording(*args, **options):
        seen.append(options.get("control"))
        return real(*args, **options)

    monkeypatch.setattr(readings_module, "check", recording)
    matrix(scenario, [()], under_readings, workers=None, control=control, time_limit=GENEROUS)
    assert seen and seen[0] is control


def test_the_matrix_says_the_day_and_takes_another_with_as_of(ukraine_json, tmp_path):
    """The readings apply to one day's positions: the scenario's own, or --as-of's; a reading that does not hold
    that day is left out of its question (the default always stays)."""
    from conftest import invoke

    assert ukraine_json["as_of"] == "2026-01-08"
    earlier = invoke("readings", "--question", "russia-veto-scope", "--as-of", "2025-12-01", "--format", "json",
                     "--time-limit", LIMIT, "--workers", "1")
    assert earlier.exit_code == 0, earlier.stderr
    doc = json.loads(earlier.stdout)
    assert doc["as_of"] == "2025-12-01"
    assert [c["readings"] for c in doc["combinations"]] == [["includes-us"], ["nato-only"]]
    scen = tmp_path / "lake"
    shutil.copytree(LAKE, scen)
    head = scen / "scenario.yaml"
    head.write_text(head.read_text() + "questions:\n  cap:\n    asks: Firm?\n    readings: [firm, soft]\n"
                    "readings:\n  firm:\n    title: As written\n  soft:\n    title: Soft\n"
                    "    valid_until: 2026-01-01\n    demote: [south/river-keeps-flowing]\n")
    later = invoke("readings", str(scen), "--as-of", "2026-02-01", "--format", "json", "--workers", "1")
    assert later.exit_code == 0, later.stderr
    assert [c["readings"] for c in json.loads(later.stdout)["combinations"]] == [["firm"]]
    bad = invoke("readings", "--as-of", "2026-13-01")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
