"""`feasible lint` (issue 15, point 7): each warning class found on a purpose-built scenario (tests/data/lint/CASE,
golden text in tests/data/lint/CASE.txt), the JSON, --select/--ignore, --strict, a scenario's ignore entries, the
errors, and the shipped scenarios linting clean.

Regenerate the golden files after a deliberate change of wording, then read the diff:
    FEASIBLE_REGEN_GOLDEN=1 pytest -q tests/test_lint.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from feasible.positions.loader import load_scenario
from feasible.positions.shipped import shipped_scenarios
from feasible.positions.sources import cited_ids
from feasible.solver import Control
from feasible.solver.lint import CODES, lint, lint_path

ROOT = Path(__file__).parent.parent
CASES = ROOT / "tests" / "data" / "lint"
EXPECTED = {  # case → the codes it is built to show (each code in at least one case)
    "deals": {"FL101", "FL102", "FL103", "FL104", "FL106"},
    "no-deal": {"FL101", "FL106"},
    "duplicates": {"FL105", "FL106"},
    "writing": {"FL201", "FL202", "FL203", "FL204", "FL205"},
    "sources": {"FL205", "FL301", "FL302"},
    "ignores": {"FL105"},
    "packages": {"FL102", "FL203", "FL206"},
}
TIME = "60"  # generous: no answer here may depend on the machine's speed


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # files are named relative to the working directory


def test_every_code_has_a_case():
    assert set().union(*EXPECTED.values()) == set(CODES)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_case_finds_what_it_is_built_for(case):
    result = lint_path(CASES / case, time_limit=float(TIME))
    assert {f.code for f in result.findings} == EXPECTED[case]
    assert not result.cut_short
    assert all(f.location is not None and f.line_text for f in result.findings)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_text_output_equals_the_golden_file(cli, case):
    done = cli("lint", f"tests/data/lint/{case}", "--time-limit", TIME)
    assert done.exit_code == 0, done.stderr
    path = CASES / f"{case}.txt"
    if os.environ.get("FEASIBLE_REGEN_GOLDEN"):
        path.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == path.read_text(encoding="utf-8")


def test_a_warning_is_located_with_the_line_and_a_caret_under_the_part_meant(cli):
    done = cli("lint", "tests/data/lint/writing", "--select", "FL202")
    assert done.stdout.splitlines()[:6] == [
        "warning[FL202]: this comparison is true for no value of army_cap",
        "  --> tests/data/lint/writing/scenario.yaml:38:15",
        "   |",
        '38 |         rule: army_cap < 0 or sanctions == "lifted"',
        "   |               ^^^^^^^^^^^^",
        "  = help: check the number or value it compares with against the issue's values",
    ]


def test_without_a_deal_the_warnings_say_which_deals_they_speak_of(cli):
    done = cli("lint", "tests/data/lint/no-deal", "--select", "FL101")
    assert "met in every deal meeting the facts alone (no deal meets every red line)" in done.stdout
    assert "looked at the deals meeting the facts alone" in done.stdout


def test_json_is_a_feasible_1_document(cli):
    done = cli("lint", "tests/data/lint/writing", "--format", "json")
    assert done.exit_code == 0
    doc = json.loads(done.stdout)
    assert doc["format"] == "feasible/1" and doc["complete"] is True and doc["cut_short"] == []
    assert doc["codes"] == list(CODES) and doc["deals"] == "deals"
    assert doc["counts"] == {"FL201": 1, "FL202": 1, "FL203": 3, "FL204": 1, "FL205": 1}
    warning = next(w for w in doc["warnings"] if w["code"] == "FL204")
    assert warning == {
        "code": "FL204", "name": CODES["FL204"].name, "about": "rule", "subject": "east/small-army",
        "file": "tests/data/lint/writing/scenario.yaml", "line": 47, "column": 15,
        "message": "east/small-army joins conditions on unrelated issues: (army_cap, guarantors) and (elections)",
        "fix": "split it into 2 rules, one per group of issues, each with its own weight",
        "details": {"groups": [["army_cap", "guarantors"], ["elections"]]},
    }
    assert [i["code"] for i in doc["ignored"]] == ["FL302"]
    assert doc["ignored"][0]["reason"] == "a made-up case, drawn from no source"


@pytest.mark.parametrize("options, codes", [
    (["--select", "FL201"], {"FL201"}),
    (["--select", "FL201,FL204", "--select", "FL205"], {"FL201", "FL204", "FL205"}),
    (["--select", "fl2"], {"FL201", "FL202", "FL203", "FL204", "FL205"}),
    (["--ignore", "FL203"], {"FL201", "FL202", "FL204", "FL205"}),
    (["--select", "FL2", "--ignore", "FL201, FL202"], {"FL203", "FL204", "FL205"}),
])
def test_select_and_ignore_choose_the_codes_checked(cli, options, codes):
    doc = json.loads(cli("lint", "tests/data/lint/writing", "--format", "json", *options).stdout)
    assert set(doc["counts"]) == codes
    others = {"FL101", "FL102", "FL103", "FL104", "FL105", "FL106", "FL206", "FL301", "FL302"}
    assert set(doc["codes"]) >= codes and not set(doc["codes"]) - (codes | others)


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_code_is_a_usage_error_with_did_you_mean(cli, option):
    done = cli("lint", "tests/data/lint/writing", option, "FL2O1")
    assert done.exit_code == 2 and not done.stdout
    assert f"{option}: unknown lint code 'FL2O1'" in done.stderr and "did you mean 'FL201'" in done.stderr


def test_strict_has_an_exit_code_of_its_own_when_there_are_warnings(cli):
    assert cli("lint", "tests/data/lint/writing").exit_code == 0
    assert cli("lint", "tests/data/lint/writing", "--strict").exit_code == 5
    assert cli("lint", "tests/data/lint/writing", "--strict", "--select", "FL301").exit_code == 0


def test_ignored_warnings_are_counted_with_their_reason_never_hidden(cli):
    done = cli("lint", "tests/data/lint/ignores", "--strict")
    assert done.exit_code == 5  # the one warning no entry names
    reason = "the OSCE and the EU are options on the table that no party has taken up yet"
    assert f"ignored: 1 × FL203 ({reason})" in done.stdout
    assert "ignored: 1 × FL302 (a made-up case, drawn from no source)" in done.stdout
    result = lint_path(CASES / "ignores")
    assert [(i.finding.code, i.finding.at.name) for i in result.ignored] == [("FL302", ""), ("FL203", "monitors")]


@pytest.mark.parametrize("entry, message, help_", [
    ("{code: FL2O3, reason: r}", "unknown lint code 'FL2O3' in an ignore entry", "did you mean 'FL203'"),
    ("{code: FL105, rule: north/no-trops, reason: r}", "no rule 'north/no-trops' to ignore FL105 for",
     "did you mean 'north/no-troops'"),
    ("{code: FL203, issue: monitor, reason: r}", "no issue 'monitor' to ignore FL203 for", "did you mean 'monitors'"),
])
def test_a_wrong_ignore_entry_is_a_located_error(cli, write, entry, message, help_):
    text = (CASES / "ignores" / "scenario.yaml").read_text(encoding="utf-8")
    write("scen/scenario.yaml", text.replace("  ignore:\n", f"  ignore:\n    - {entry}\n", 1))
    done = cli("lint", "scen")
    assert done.exit_code == 2 and not done.stdout
    assert f"error: {message}" in done.stderr and "--> scen/scenario.yaml:9:" in done.stderr and help_ in done.stderr


def test_an_ignore_entry_needs_a_reason(cli, write):
    text = (CASES / "ignores" / "scenario.yaml").read_text(encoding="utf-8")
    write("scen/scenario.yaml", text.replace("  ignore:\n", "  ignore:\n    - {code: FL105}\n", 1))
    done = cli("lint", "scen")
    assert done.exit_code == 2
    assert "missing required key 'reason'" in done.stderr and "scen/scenario.yaml:9" in done.stderr


@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_the_shipped_scenarios_lint_clean_or_with_documented_ignores(cli, name):
    done = cli("lint", name, "--strict", "--time-limit", TIME)
    assert done.exit_code == 0, done.stdout
    assert done.stdout.startswith("no warnings\n")
    assert "cut short" not in done.stdout


def test_checks_cut_short_by_the_time_limit_say_so_and_the_others_still_run():
    """Whatever the speed: with no time at all, every check that solves is cut short and named; the checks
    that need no solve still report."""
    stopped = Control()
    stopped.interrupt()
    result = lint(load_scenario(CASES / "writing"), control=stopped)
    assert {"FL101", "FL102", "FL201", "FL202"} <= set(result.cut_short)
    assert {"FL203", "FL204"} <= {f.code for f in result.findings}
    assert "FL203" not in result.cut_short and "FL204" not in result.cut_short


@pytest.mark.slow
def test_a_large_scenario_finishes_or_stops_cleanly_saying_so(cli, write):
    issues = "".join(f"  b{i}:\n    type: bool\n" for i in range(150))
    parties = "".join(
        f"  - party: p{p}\n    red_lines:\n"
        + "".join(f"      - {{id: r{i}, says: r, rule: 'b{(p * 7 + i) % 150} or not b{(p * 11 + i * 3) % 150}'}}\n"
                  for i in range(10))
        + "    demands:\n"
        + "".join(f"      - {{id: d{i}, says: d, rule: 'b{(p * 5 + i * 13) % 150} and b{(p + i) % 150}'}}\n"
                  for i in range(10))
        for p in range(60))
    write("big.yaml", f"title: big\nissues:\n{issues}parties:\n{parties}")
    done = cli("lint", "big.yaml", "--time-limit", "1", "--select", "FL1,FL2")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith(("cut short by the time limit", "no deal", "no warnings")) \
        or "warnings (" in done.stdout.splitlines()[-1]


@pytest.mark.parametrize("source, ids", [
    (None, ()), ("S2", ("S2",)), ("S2, S4", ("S2", "S4")), ("S2,S4,S2", ("S2", "S4")), (["S2", "S4"], ("S2", "S4")),
    (" , ", ()),
])
def test_cited_ids_reads_one_id_a_list_or_the_comma_separated_form(source, ids):
    assert cited_ids(source) == ids


def test_when_not_even_the_facts_admit_a_deal_the_checks_of_deals_say_they_had_none(cli, write):
    write("s.yaml", """
        title: facts that contradict each other
        issues:
          a:
            type: bool
        facts:
          - {id: is-a, says: a, rule: a}
          - {id: not-a, says: not a, rule: not a}
        parties:
          - party: p
            demands:
              - {id: d, says: d, rule: a, source: X}
        """)
    done = cli("lint", "s.yaml", "--strict")
    assert done.exit_code == 0
    assert done.stdout == ("no warnings\n"
                           "not even the facts admit a deal: the checks of deals (FL101–FL106) had none to look at\n")
    assert json.loads(cli("lint", "s.yaml", "--format", "json").stdout)["deals"] == "none"


def test_fl203_counts_only_values_named_about_their_own_issue(cli, write):
    """A value named about another issue does not tell this issue's values apart ("none" below is a posture);
    a comparison with a whole set speaks of every value of a set issue."""
    write("s.yaml", """
        title: values named about the issue itself
        issues:
          lead: {values: [none, eu, un]}
          posture: {values: [none, rear]}
          guar: {type: set, values: [uk, fr, de]}
        parties:
          - party: p
            red_lines:
              - {id: r, says: r, rule: 'lead == "eu" and posture == "none"', source: X}
              - {id: g, says: g, rule: 'guar == {}', source: X}
        """)
    doc = json.loads(cli("lint", "s.yaml", "--select", "FL203", "--format", "json").stdout)
    assert [(w["subject"], w["details"]["values"]) for w in doc["warnings"]] == [("lead", ["none", "un"])]


def test_options_that_leave_no_check_are_a_usage_error(cli):
    done = cli("lint", "three-party-toy", "--select", "FL101", "--ignore", "FL1")
    assert done.exit_code == 2 and "--select and --ignore leave no check to run" in done.stderr


def test_a_source_cited_in_the_caveats_is_cited(cli, write):
    write("s.yaml", """
        title: cited in a caveat
        sources:
          - {id: S1, title: one}
        caveats:
          - "The weights are guesses [S1]."
        issues:
          a: {type: bool}
        parties:
          - party: p
            red_lines:
              - {id: r, says: r, rule: a or not a}
        """)
    doc = json.loads(cli("lint", "s.yaml", "--select", "FL301", "--format", "json").stdout)
    assert doc["warnings"] == []
