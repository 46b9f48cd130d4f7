"""`--reading NAME` on every command that answers for a scenario, and the `--weight RULE=W` edit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import invoke
from feasible.positions.edits import Edits, apply_edits
from feasible.positions.loader import load_scenario
from test_readings import BAD, LAKE, READINGS

LINE = "Under the reading cap-soft (South's cap as a demand)."
TWO = "Under the readings cap-soft (South's cap as a demand); north-barred (North may not chair)."


@pytest.fixture
def scen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    copy = Path(shutil.copytree(LAKE, tmp_path / "scen"))
    head = copy / "scenario.yaml"
    head.write_text(head.read_text() + READINGS)
    return copy


def ok(result, *codes: int) -> str:
    assert result.exit_code in (codes or (0,)), result.output
    assert "Traceback" not in result.output
    return result.stdout


# -- every command says which readings it answers under ---------------------------------------------------------------

@pytest.mark.parametrize("form", ["text", "markdown", "html"])
def test_check_says_the_readings_in_every_format(scen, form):
    text = ok(invoke("check", "scen", "--reading", "north-barred", "--reading", "cap-soft", "--format", form))
    assert " ".join(TWO.split()) in " ".join(text.replace("&#x27;", "'").split())


def test_check_json_lists_the_readings_and_answers_for_the_scenario_under_them(scen):
    doc = json.loads(ok(invoke("check", "scen", "--reading", "north-barred", "--format", "json")))
    assert doc["readings"] == ["north-barred"] and "edits" not in doc  # a scenario under readings, not a what-if
    assert list(doc)[:4] == ["format", "scenario", "readings", "verdict"]  # as docs/check.md lists them
    assert doc["deal"]["issues"]["chair"] != "north"
    plain = json.loads(ok(invoke("check", "scen", "--format", "json")))
    assert "readings" not in plain  # the files as written: the document is as before


def test_readings_come_before_the_what_if_edits(scen):
    """cap-soft makes South's cap a demand; the edit then drops it as a demand."""
    doc = json.loads(ok(invoke("check", "scen", "--reading", "cap-soft", "--drop", "south/river-keeps-flowing",
                               "--format", "json")))
    assert doc["readings"] == ["cap-soft"] and doc["edits"][0]["rules"] == ["south/river-keeps-flowing"]
    assert doc["baseline"]["readings"] == ["cap-soft"]  # the edits are compared with the scenario under the reading
    text = ok(invoke("check", "scen", "--reading", "cap-soft", "--drop", "south/river-keeps-flowing"))
    assert "against the files under the readings chosen" in " ".join(text.split())


def test_explain_says_the_readings(scen):
    text = ok(invoke("explain", "scen", "chair=north", "--reading", "north-barred"))
    assert "Under the reading north-barred (North may not chair)." in " ".join(text.split())
    doc = json.loads(ok(invoke("explain", "scen", "chair=north", "--reading", "north-barred", "--format", "json")))
    assert doc["readings"] == ["north-barred"] and doc["possible"] is False
    assert json.loads(ok(invoke("explain", "scen", "chair=north", "--format", "json")))["possible"] is True


def test_report_and_graph_say_the_readings(scen, tmp_path):
    page = ok(invoke("report", "scen", "--reading", "cap-soft"))
    assert "id='readings'" in page and "cap-soft" in page
    dot = ok(invoke("graph", "scen", "--reading", "cap-soft"))
    assert LINE.replace("'", "'") in dot.replace('\\"', '"')
    ok(invoke("graph", "scen", "--reading", "cap-soft", "-o", str(tmp_path / "map.svg")))
    assert "cap-soft" in (tmp_path / "map.svg").read_text()


def test_lint_says_the_readings_and_lints_the_scenario_under_them(scen):
    text = ok(invoke("lint", "scen", "--reading", "cap-soft", "--select", "FL3"))
    assert LINE in " ".join(text.split())
    doc = json.loads(ok(invoke("lint", "scen", "--reading", "cap-soft", "--format", "json", "--select", "FL3")))
    assert doc["readings"] == ["cap-soft"]
    assert "readings" not in json.loads(ok(invoke("lint", "scen", "--format", "json", "--select", "FL3")))


def test_the_shipped_scenario_checks_under_its_readings():
    doc = json.loads(ok(invoke("check", "--reading", "coalition-force-as-demand", "--format", "json"), 1))
    assert doc["readings"] == ["coalition-force-as-demand"]
    assert [c["red_lines"] for c in doc["conflicts"]] == [["russia/donbas-withdrawal",
                                                            "ukraine/no-unilateral-withdrawal"]]


# -- refused --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("extra, message, hint, line", BAD)
def test_a_bad_reading_or_question_in_the_files_is_a_located_error_exit_2(tmp_path, monkeypatch, extra, message, hint,
                                                                          line):
    monkeypatch.chdir(tmp_path)
    copy = Path(shutil.copytree(LAKE, tmp_path / "scen"))
    sources = "sources:\n  - {id: S1, title: A source}\n" if "S9" in extra else ""
    (copy / "scenario.yaml").write_text((copy / "scenario.yaml").read_text() + sources + extra)
    result = invoke("check", "scen")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert message in " ".join(result.output.split()) and "--> scen/scenario.yaml:" in result.output


@pytest.mark.parametrize("args, message, hint", [
    (["--reading", "cap-sfot"], "--reading cap-sfot: no such reading", "did you mean 'cap-soft'"),
    (["--reading", "cap-firm", "--reading", "cap-soft"], "answer the same question 'cap'", "choose one of them"),
])
@pytest.mark.parametrize("command", [["check"], ["explain", "scen", "chair"], ["report"], ["graph"], ["lint"]])
def test_a_bad_reading_is_a_usage_error_on_every_command(scen, command, args, message, hint):
    where = [] if command[0] == "explain" else ["scen"]
    result = invoke(*command, *where, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and hint in result.output and "Traceback" not in result.output


def test_edit_refuses_a_reading(scen):
    result = invoke("edit", "scen", "--reading", "cap-soft", "--drop", "north/build-dam")
    assert result.exit_code == 2
    assert "edit takes no --reading" in result.output and "check --reading" in " ".join(result.output.split())


def test_with_a_file_named_like_a_declared_reading_hints_it(scen):
    result = invoke("check", "scen", "--with", "readings/cap-soft.yaml")
    assert result.exit_code == 2
    assert "use --reading cap-soft" in " ".join(result.output.split())


# -- --weight -------------------------------------------------------------------------------------------------------

def test_weight_changes_a_demands_weight_in_check(scen):
    doc = json.loads(ok(invoke("check", "scen", "--weight", "north/build-dam=4", "--format", "json")))
    assert doc["edits"] == [{"kind": "weight", "argument": "north/build-dam=4", "rules": ["north/build-dam"]}]
    assert json.loads(ok(invoke("explain", "scen", "north/build-dam", "--weight", "north/build-dam=4",
                                "--format", "json")))["edits"][0]["kind"] == "weight"
    ok(invoke("report", "scen", "--weight", "north/build-dam=4"))


@pytest.mark.parametrize("argument, message, hint", [
    ("north/enough-water=2", "north/enough-water is a red line; only a demand's weight can be set",
     "--demote north/enough-water"),
    ("north/build-dma=2", "--weight north/build-dma=2: no such demand", "did you mean 'north/build-dam'"),
    ("facts/canal-needs-reservoir=2", "is a fact, which has no weight", ""),
    ("north/build-dam", "expected RULE=W", "--weight"),
    ("north/build-dam=0", "the weight should be a whole number, 1 or more", ""),
    ("north/build-dam=-1", "the weight should be a whole number, 1 or more", ""),
    ("north/build-dam=2.5", "the weight should be a whole number, 1 or more", ""),
    ("north/build-dam=99999999999", "is more than the limit", "FEASIBLE_MAX_WEIGHT"),
])
@pytest.mark.parametrize("command", ["check", "edit"])
def test_a_bad_weight_is_a_usage_error(scen, command, argument, message, hint):
    result = invoke(command, "scen", "--weight", argument)
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert message in output and hint in output and "Traceback" not in output


def test_a_demoted_red_line_can_be_given_a_weight(scen):
    doc = json.loads(ok(invoke("check", "scen", "--demote", "north/enough-water", "--weight",
                               "north/enough-water=5", "--format", "json")))
    assert [e["kind"] for e in doc["edits"]] == ["demote", "weight"]


def test_edit_write_of_a_weight_loads_as_the_weight_in_memory(scen):
    expected, _ = apply_edits(load_scenario(scen), Edits(weight=("north/build-dam=4", "east/monitoring=1")))
    result = invoke("edit", "scen", "--weight", "north/build-dam=4", "--weight", "east/monitoring=1", "--write")
    assert result.exit_code == 0, result.output
    assert "+    weight: 4" in result.stdout and "-    weight: 2" in result.stdout
    written = load_scenario(scen)
    assert [(r.name, r.weight) for r in written.rules()] == [(r.name, r.weight) for r in expected.rules()]
    assert written.party("east").acceptance == expected.party("east").acceptance  # its level measures the weights
    text = (scen / "north.yaml").read_text()
    assert "# irrigation" in text  # the rest of the file as it was
