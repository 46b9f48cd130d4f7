"""Issue 15 point 10, words: facts shown as the scenario's modelling assumptions, issues by a human label (`label:`
per issue, else the name with underscores as spaces) wherever people read them, and the summary line of a conflict
naming the parties and what they collide over. Rule names and JSON keys stay identifiers."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.cli.words import conflict_summary, issue_label
from feasible.positions import load_scenario

LABELLED = """\
title: Labels
issues:
  buffer_km:
    label: depth of the buffer zone
    type: int
    min: 0
    max: 30
  monitors: {values: [none, un]}
facts:
  - id: buffer-watched
    says: A buffer zone is watched.
    rule: buffer_km >= 1 -> monitors != "none"
parties:
  - party: red
    name: Red
    red_lines:
      - {id: deep, says: A deep buffer., rule: buffer_km >= 20}
      - {id: no-monitors, says: No monitors at all., rule: monitors == "none"}
  - party: blue
    name: Blue
    red_lines:
      - {id: shallow, says: A shallow buffer., rule: buffer_km <= 10}
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_label_is_loaded_and_a_name_without_one_reads_with_spaces(tmp_path):
    scenario = load_scenario(write(tmp_path, LABELLED))
    assert scenario.issues["buffer_km"].label == "depth of the buffer zone"
    assert issue_label(scenario, "buffer_km") == "depth of the buffer zone"
    assert scenario.issues["monitors"].label is None
    assert issue_label(load_scenario("three-party-toy"), "extraction_cap") == "extraction cap"


def test_a_bad_label_is_a_located_error(tmp_path):
    result = run("validate", write(tmp_path, LABELLED.replace("label: depth of the buffer zone", "label: [a, b]")))
    assert result.exit_code == 2, result.output
    assert "labels.yaml:4:" in result.output and "Traceback" not in result.output


def test_the_summary_names_the_parties_and_the_issues_by_label(tmp_path):
    scenario = load_scenario(write(tmp_path, LABELLED))
    assert conflict_summary(scenario, ["blue/shallow", "red/deep"], []) == (
        "Blue and Red collide over the depth of the buffer zone.")
    # a short fact is quoted as the assumption it is
    assert conflict_summary(scenario, ["red/no-monitors", "red/deep"], ["facts/buffer-watched"]) == (
        "2 red lines of Red collide over the depth of the buffer zone and the monitors, given the assumption "
        "“A buffer zone is watched”.")


def test_the_shipped_ukraine_conflicts_read_in_plain_words():
    result = run("check", "ukraine-2026", "--format", "json")
    doc = json.loads(result.stdout)
    summaries = [c["summary"] for c in doc["conflicts"]]
    assert "Russia and Ukraine collide over the Donetsk arrangement." in summaries
    assert any(s.endswith(", given 1 modelling assumption.") and "the lead of a foreign force" in s
               for s in summaries)
    assert not any("about how the world works" in s or "_" in s for s in summaries)
    # JSON keys and the issues of a conflict stay identifiers
    assert any("donetsk_arrangement" in c["issues"] for c in doc["conflicts"])


def test_text_shows_labels_and_assumptions():
    result = run("check", "ukraine-2026")
    assert "given the assumption\n" in result.output and "given the facts" not in result.output
    assert "Donetsk arrangement" in result.output
    assert "donetsk_arrangement  (issues:" not in result.output  # rule ids keep their issue names, labels elsewhere
    assert "russia/donbas-withdrawal  (issues: donetsk_arrangement)" in result.output


def test_every_shipped_issue_reads_well():
    """The shipped Ukraine scenario labels every issue whose name does not read as words."""
    scenario = load_scenario("ukraine-2026")
    for name, issue in scenario.issues.items():
        shown = issue_label(scenario, name)
        assert not any(part in shown.split() for part in ("us", "eu", "usd", "bn", "mnf", "znpp", "nato")), name


def test_a_label_of_spaces_and_a_status_quo_listing_a_value_twice_are_located_errors(tmp_path):
    from typer.testing import CliRunner

    from feasible.cli.app import app

    path = tmp_path / "s.yaml"
    path.write_text("""title: t
issues:
  a: {type: bool, label: "   "}
  s: {type: set, values: [u, v], status_quo: [u, u]}
parties:
  - party: p
    red_lines:
      - {id: r, says: r, rule: a}
""", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "error: 'label' has no visible character" in result.stderr and "s.yaml:3:26" in result.stderr
    assert "error: value 'u' is listed twice in the status quo" in result.stderr and "s.yaml:4:50" in result.stderr
