"""`feasible check`: verdicts and exit codes, the `feasible/1` JSON document, determinism, and errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from ortools.sat.python import cp_model
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.cli.words import issue_label
from feasible.positions import load_scenario, shipped_scenarios
from feasible.positions.model import IssueKind
from feasible.solver import check as run_check
from feasible.solver.search import Outcome, Searcher

TOY = "three-party-toy"

OWN_DEAL_SCENARIO = """\
title: Two neighbours and a fence (test scenario with a deal)
issues:
  fence: {type: bool, description: A fence is built.}
  colour: {type: enum, values: [white, green, brown], description: The fence colour.}
  height: {type: enum, values: [low, mid, high], ordered: true, description: How high.}
  budget: {type: int, min: 0, max: 10, description: Money spent.}
  extras: {type: set, values: [gate, hedge, lamp], description: What comes with it.}
facts:
  - id: gate-needs-fence
    says: A gate needs a fence.
    rule: extras contains "gate" -> fence
parties:
  - party: west
    red_lines:
      - {id: fence, says: There is a fence., rule: fence}
      - {id: cheap, says: At most 8 is spent., rule: budget <= 8}
    demands:
      - {id: high, says: The fence is high., rule: 'height == "high"', weight: 2}
      - {id: lamp, says: A lamp., rule: extras contains "lamp", weight: 1}
  - party: east
    accept_at_least: 30
    red_lines:
      - {id: no-white, says: Not white., rule: 'colour != "white"'}
      - {id: some, says: At least 3 is spent., rule: budget >= 3}
    demands:
      - {id: low, says: The fence is not high., rule: 'height <= "mid"', weight: 1}
      - {id: hedge, says: A hedge., rule: extras contains "hedge", weight: 2}
"""


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def deal_scenario(tmp_path: Path) -> str:
    """The shipped teaching scenario with a deal, or an own one if it is not shipped (yet)."""
    if TOY in shipped_scenarios():
        return TOY
    path = tmp_path / "own.yaml"
    path.write_text(OWN_DEAL_SCENARIO, encoding="utf-8")
    return str(path)


def check_json(*args: str) -> dict:
    result = invoke("check", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------------------------------ verdicts

def test_default_scenario_has_no_deal():
    result = invoke("check")
    assert result.exit_code == 1, result.output
    assert "NO DEAL" in result.output
    assert "Traceback" not in result.output


def test_default_scenario_json_says_no_deal():
    result = invoke("check", "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["format"] == "feasible/1"
    assert doc["verdict"] == "no-deal"
    assert doc["deal"] is None
    assert doc["forced"] == {} and doc["room"] == {}


def test_deal_scenario_exits_zero_with_a_readable_answer(deal_scenario, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke("check", deal_scenario)
    assert result.exit_code == 0, result.output
    scenario = load_scenario(deal_scenario)
    assert "DEAL" in result.output and "NO DEAL" not in result.output
    for name, issue in scenario.issues.items():
        assert issue_label(scenario, name) in result.output  # as people read it
        assert issue.description is None or issue.description in result.output.replace("\n", " ")
    for party in scenario.parties:
        assert party.name.split()[0] in result.output
    assert "Traceback" not in result.output
    too_wide = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert not too_wide, too_wide


@pytest.mark.parametrize("objective", ["fair", "welfare", "nash"])
def test_every_objective_finds_a_deal(deal_scenario, objective):
    result = invoke("check", deal_scenario, "--objective", objective, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["verdict"] == "deal"
    assert doc["objective"] == objective


# ------------------------------------------------------------------------------------------ the JSON document

def _assert_issue_value(issue, value):
    if issue.kind is IssueKind.BOOL:
        assert isinstance(value, bool), (issue.name, value)
    elif issue.kind is IssueKind.ENUM:
        assert isinstance(value, str) and value in issue.values, (issue.name, value)
    elif issue.kind is IssueKind.INT:
        assert isinstance(value, int) and not isinstance(value, bool), (issue.name, value)
        assert issue.min <= value <= issue.max, (issue.name, value)
    else:
        assert isinstance(value, list) and value == sorted(value), (issue.name, value)
        assert all(isinstance(v, str) and v in issue.values for v in value), (issue.name, value)
        assert len(set(value)) == len(value)


def test_json_document_follows_the_documented_format(deal_scenario):
    doc = check_json(deal_scenario)
    scenario = load_scenario(deal_scenario)
    assert doc["format"] == "feasible/1"
    assert doc["verdict"] == "deal"
    assert "deals" not in doc

    issues = doc["deal"]["issues"]
    assert set(issues) == set(scenario.issues)
    for name, issue in scenario.issues.items():
        _assert_issue_value(issue, issues[name])

    satisfaction = doc["deal"]["satisfaction"]
    assert set(satisfaction) == {p.id for p in scenario.parties if p.demands}
    for value in satisfaction.values():
        assert isinstance(value, (int, float)) and not isinstance(value, bool)
        assert 0 <= value <= 1

    assert set(doc["room"]) == set(scenario.issues)
    for name, issue in scenario.issues.items():
        room, value = doc["room"][name], issues[name]
        if issue.kind in (IssueKind.BOOL, IssueKind.ENUM):
            # documented (docs/check.md, Room): the possible values in the issue's order
            domain = [False, True] if issue.kind is IssueKind.BOOL else list(issue.values)
            assert isinstance(room, list) and value in room, (name, room)
            assert room == [v for v in domain if v in room], (name, room)
            assert len(set(room)) == len(room)
            for possible in room:
                _assert_issue_value(issue, possible)
        elif issue.kind is IssueKind.INT:
            assert set(room) == {"min", "max"}, (name, room)
            assert issue.min <= room["min"] <= value <= room["max"] <= issue.max, (name, room)
        else:
            assert set(room) == {"in_every_deal", "in_no_deal"}, (name, room)
            every, never = room["in_every_deal"], room["in_no_deal"]
            assert every == sorted(every) and never == sorted(never), (name, room)
            assert set(every) <= set(value) and not set(never) & set(value), (name, room)

    for name, value in doc["forced"].items():
        issue = scenario.issues[name]
        _assert_issue_value(issue, value)
        assert value == issues[name], "a forced value is in every deal, so in the best one"
        room = doc["room"][name]
        if issue.kind is IssueKind.INT:
            assert room == {"min": value, "max": value}
        elif issue.kind is not IssueKind.SET:
            assert room == [value]
    for name, room in doc["room"].items():
        one_value = (room == {"min": room.get("min"), "max": room.get("min")}) if isinstance(room, dict) and \
            "min" in room else (isinstance(room, list) and len(room) == 1)
        if one_value:
            assert name in doc["forced"], f"{name} has one possible value but is not listed as forced"


DOCS = Path(__file__).resolve().parent.parent / "docs" / "check.md"


def documented_keys() -> list[str]:
    """The top-level keys of the JSON document, in the order docs/check.md lists them ("Top level" table)."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("### Top level"):]
    section = section[:section.index("\n### ", 1)]
    return re.findall(r"^\| `([a-z_]+)` \|", section, re.M)


def test_docs_list_the_required_keys():
    keys = documented_keys()
    assert keys[:6] == ["format", "scenario", "readings", "verdict", "objective", "deal"]  # readings: --reading only
    assert {"forced", "room", "deals"} <= set(keys)


@pytest.mark.parametrize("args", [(), ("--deals", "2")])
def test_json_keys_in_documented_order(deal_scenario, args):
    """docs/check.md: top-level keys in a fixed order; issues, room and forced in scenario order."""
    doc = check_json(deal_scenario, *args)
    known = [k for k in doc if k in documented_keys()]
    assert known == [k for k in documented_keys() if k in known], list(doc)
    assert {"format", "scenario", "verdict", "objective", "deal", "forced", "room"} <= set(doc)
    assert ("deals" in doc) == bool(args)
    order = list(load_scenario(deal_scenario).issues)
    assert list(doc["deal"]["issues"]) == order
    assert list(doc["room"]) == order
    assert list(doc["forced"]) == [n for n in order if n in doc["forced"]]
    assert doc["room_complete"] is True


def test_no_deal_json_keys_in_documented_order():
    doc = check_json()
    known = [k for k in doc if k in documented_keys()]
    assert known == [k for k in documented_keys() if k in known], list(doc)
    assert doc["room_complete"] is None, "documented: null when no room was computed"


@pytest.mark.parametrize("scenario", [None, TOY])
def test_every_json_key_is_documented(scenario):
    doc = check_json(*([scenario] if scenario else []), "--deals", "2")
    undocumented = [k for k in doc if k not in documented_keys()]
    assert not undocumented, undocumented


def _documented_example(title: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index(title):]
    start = section.index("```json\n") + len("```json\n")
    return section[start:section.index("```", start)]


@pytest.mark.parametrize("title, args", [
    pytest.param("### Example: a deal", ("three-party-toy", "--deals", "2"), id="deal"),
    pytest.param("### Example: no deal", ("ceasefire-basics", "--relaxations", "1"), id="no-deal"),
])
def test_documented_json_examples_match_the_output(title, args):
    """The examples in docs/check.md are what the command prints (statistics aside: they are informational)."""
    documented = json.loads(_documented_example(title))
    result = invoke("check", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    actual = json.loads(result.stdout)
    documented.pop("statistics", None)
    actual.pop("statistics", None)
    assert list(actual) == list(documented)
    assert actual == documented


def test_json_agrees_with_the_python_api(deal_scenario):
    doc = check_json(deal_scenario)
    scenario = load_scenario(deal_scenario)
    result = run_check(scenario)
    assert doc["verdict"] == result.verdict.value
    expected = {n: sorted(v) if isinstance(v, frozenset) else v for n, v in result.deal.values.items()}
    assert doc["deal"]["issues"] == expected
    for party, value in result.deal.satisfaction().items():
        assert doc["deal"]["satisfaction"][party] == pytest.approx(float(value), abs=1e-6)


def test_json_sets_are_sorted_lists(tmp_path):
    """Set values are listed in sorted order, not in the order the issue lists them."""
    path = write(tmp_path, "sets.yaml", """\
        title: sorted sets
        issues:
          s: {type: set, values: [zeta, alpha, mu]}
        parties:
          - party: a
            red_lines:
              - {id: all, says: all of them, rule: 's == {"mu", "zeta", "alpha"}'}
            demands:
              - {id: d, says: d, rule: s contains "mu"}
        """)
    doc = check_json(path)
    assert doc["verdict"] == "deal"
    assert doc["deal"]["issues"]["s"] == ["alpha", "mu", "zeta"]
    assert doc["room"]["s"] == {"in_every_deal": ["alpha", "mu", "zeta"], "in_no_deal": []}


def test_json_lists_a_forced_set_issue(tmp_path):
    path = write(tmp_path, "forced-set.yaml", """\
        title: forced set
        issues:
          s: {type: set, values: [u, v]}
          n: {type: int, min: 0, max: 3}
        parties:
          - party: a
            red_lines:
              - {id: only-u, says: only u, rule: 's == {"u"}'}
            demands:
              - {id: d, says: d, rule: n >= 2}
        """)
    doc = check_json(path)
    assert doc["room"]["s"] == {"in_every_deal": ["u"], "in_no_deal": ["v"]}
    assert doc["forced"] == {"s": ["u"]}


def test_deals_option_adds_distinct_deals(deal_scenario):
    doc = check_json(deal_scenario, "--deals", "3")
    deals = doc["deals"]
    assert len(deals) == 3
    assert deals[0]["issues"] == doc["deal"]["issues"]
    keys = [json.dumps(d["issues"], sort_keys=True) for d in deals]
    assert len(set(keys)) == 3
    scenario = load_scenario(deal_scenario)
    for deal in deals:
        assert set(deal["issues"]) == set(scenario.issues)
        for name, issue in scenario.issues.items():
            _assert_issue_value(issue, deal["issues"][name])
        assert all(0 <= v <= 1 for v in deal["satisfaction"].values())


def test_deals_option_in_text(deal_scenario):
    result = invoke("check", deal_scenario, "--deals", "2")
    assert result.exit_code == 0, result.output
    assert "Alternative 1" in result.output


@pytest.mark.parametrize("args", [(), ("--deals", "3"), ("--objective", "nash", "--deals", "2"),
                                  ("--objective", "welfare",)])
def test_json_is_byte_identical_across_runs(deal_scenario, args):
    first = invoke("check", deal_scenario, *args, "--format", "json")
    second = invoke("check", deal_scenario, *args, "--format", "json")
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert first.stdout == second.stdout


@pytest.mark.slow
def test_json_is_byte_identical_across_processes(deal_scenario):
    """Separate interpreters with different hash seeds (set and dict orders) print the same bytes."""
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "feasible.cli", "check", deal_scenario, "--deals", "3",
                               "--format", "json"], capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_no_deal_json_is_byte_identical_across_runs():
    first, second = invoke("check", "--format", "json"), invoke("check", "--format", "json")
    assert first.exit_code == 1, first.output
    assert second.exit_code == 1, second.output
    assert first.stdout == second.stdout


# ------------------------------------------------------------------------------------------ usage and errors

@pytest.mark.parametrize("args", [("--objective", "bogus"), ("--deals", "0"), ("--time-limit", "0"),
                                  ("--format", "xml"), ("--no-such-option",)])
def test_bad_usage_exits_two(deal_scenario, args):
    result = invoke("check", deal_scenario, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_invalid_scenario_exits_two_without_traceback(tmp_path):
    path = write(tmp_path, "bad.yaml", """\
        title: broken
        issues:
          x: {type: int, min: 0, max: 3}
        parties:
          - party: a
            red_lines:
              - {id: r, says: r, rule: y > 1}
        """)
    result = invoke("check", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "unknown issue 'y'" in result.output


def test_unreadable_yaml_exits_two_without_traceback(tmp_path):
    path = write(tmp_path, "bad.yaml", "title: [unclosed\n")
    result = invoke("check", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_missing_scenario_exits_two(tmp_path):
    result = invoke("check", str(tmp_path / "nowhere"))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_invalid_scenario_with_json_format_exits_two(tmp_path):
    path = write(tmp_path, "bad.yaml", "title: broken\nissues:\n  x: {type: int, min: 3, max: 0}\n")
    result = invoke("check", path, "--format", "json")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------------------------ time limit

@pytest.mark.parametrize("scenario", [None, TOY])
@pytest.mark.parametrize("form", ["text", "json"])
def test_tiny_time_limit_decides_or_says_unknown(scenario, form):
    if scenario is not None and scenario not in shipped_scenarios():
        pytest.skip(f"{scenario} is not shipped")
    args = ["check", *([scenario] if scenario else []), "--time-limit", "0.01", "--format", form]
    result = invoke(*args)
    assert result.exit_code in (0, 1, 3), result.output
    assert "Traceback" not in result.output
    if form == "json":
        doc = json.loads(result.stdout)
        assert doc["verdict"] == {0: "deal", 1: "no-deal", 3: "unknown"}[result.exit_code]
    elif result.exit_code == 3:
        assert "UNKNOWN" in result.output or "unknown" in result.output


def test_undecided_exits_three(deal_scenario, monkeypatch):
    """When no solve finishes in time, the verdict is unknown (exit 3), not a wrong 'no deal'."""
    monkeypatch.setattr(Searcher, "solve", lambda self, model: Outcome(cp_model.UNKNOWN, None))
    result = invoke("check", deal_scenario)
    assert result.exit_code == 3, result.output
    assert "UNKNOWN" in result.output
    result = invoke("check", deal_scenario, "--format", "json")
    assert result.exit_code == 3, result.output
    doc = json.loads(result.stdout)
    assert doc["verdict"] == "unknown"
    assert doc["deal"] is None


def test_internal_error_exits_four_without_traceback(deal_scenario, monkeypatch):
    """A solver/evaluator disagreement is reported as an internal error, never as an answer."""
    import feasible.solver.verify  # noqa: F401 (loads solver.verify, used by that name)
    from feasible import solver

    real = solver.verify.holds
    monkeypatch.setattr(solver.verify, "holds", lambda rule, issues, deal: not real(rule, issues, deal))
    result = invoke("check", deal_scenario)
    assert result.exit_code == 4, result.output
    assert "internal error" in result.output
    assert "Traceback" not in result.output
