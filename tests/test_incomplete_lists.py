"""Answers built on a list of conflicts that may not hold every conflict: a what-if does not call a conflict
resolved or new when the other side's list is incomplete, and `explain` without a deal does not answer "no deal"
when a conflict it did not find may be what stands; a red line that a fact ties to the target bears on it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.solver.explain import why

runner = CliRunner()


def _pairs(tmp_path: Path, count: int = 12) -> Path:
    """`count` independent two-party conflicts: more than the 10 conflicts `check` lists by default."""
    lines = ["title: pairs", "issues:"] + [f"  i{k}: {{type: bool}}" for k in range(count)]
    lines += ["parties:", "  - party: a", "    red_lines:"]
    lines += [f"      - {{id: y{k}, says: yes {k}, rule: i{k}, weight: 2}}" for k in range(count)]
    lines += ["  - party: b", "    red_lines:"]
    lines += [f"      - {{id: n{k}, says: no {k}, rule: not i{k}, weight: 3}}" for k in range(count)]
    path = tmp_path / "pairs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_what_if_on_incomplete_lists_calls_nothing_resolved_or_new(tmp_path: Path):
    path = _pairs(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--drop", "a/y0", "--format", "json"])
    changes = json.loads(result.stdout)["changes"]
    assert changes["conflicts_resolved"] == [] and changes["conflicts_new"] == []
    assert changes["conflicts_unlisted_after"] or changes["conflicts_unlisted_before"]
    text = runner.invoke(app, ["check", str(path), "--drop", "a/y0"]).stdout
    assert "conflict resolved" not in text and "conflict new" not in text
    assert "(the conflicts after are not all known)" in text or "(the conflicts before are not all known)" in text
    small = tmp_path / "small"
    small.mkdir()
    complete = json.loads(runner.invoke(app, ["check", str(_pairs(small, 3)), "--drop", "a/y0",
                                              "--format", "json"]).stdout)["changes"]
    assert complete["conflicts_resolved"] == [["a/y0", "b/n0"]] and complete["conflicts_new"] == []
    assert complete["conflicts_unlisted_after"] == complete["conflicts_unlisted_before"] == []


LINKED = """
title: linked
issues:
  lead: {values: [none, eu, un]}
  troops: {type: bool}
  cap: {type: int, min: 0, max: 5}
facts:
  - {id: eu-troops, says: an EU lead means troops, rule: 'lead == "eu" -> troops'}
parties:
  - party: b
    red_lines:
      - {id: troops, says: troops, rule: troops}
  - party: c
    red_lines:
      - {id: no-troops, says: no troops, rule: not troops}
      - {id: cap-low, says: cap low, rule: cap <= 1}
  - party: d
    red_lines:
      - {id: cap-high, says: cap high, rule: cap >= 3}
"""


def test_a_red_line_a_fact_ties_to_the_target_is_not_set_aside(tmp_path: Path):
    """lead = eu means troops (a fact): the dispute over troops bears on it and stays, so the answer is that
    dispute, not "a deal can have lead = eu" with c's veto on troops set aside."""
    path = tmp_path / "linked.yaml"
    path.write_text(LINKED, encoding="utf-8")
    result = runner.invoke(app, ["explain", str(path), "lead=eu", "--format", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 1, result.output
    assert doc["no_deal_as_given"]["set_aside"] == ["c/cap-low", "d/cap-high"]
    assert doc["possible"] is False


def test_explain_does_not_answer_no_deal_from_an_incomplete_list(tmp_path: Path, monkeypatch):
    """The conflict search stops after one conflict (as when the time limit comes): the scenario left may still
    have no deal because of a conflict never found, so the answer is undecided (exit 3), not "no deal"."""
    real = why.find_conflicts

    def first_only(compiled, searcher, limit=None, witnesses=None):
        found, _ = real(compiled, searcher, 1)
        return found, False

    monkeypatch.setattr(why, "find_conflicts", first_only)
    path = _pairs(tmp_path, 3)
    result = runner.invoke(app, ["explain", str(path), "i2", "--format", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 3, result.output
    assert doc["decided"] is False


def test_issues_the_time_limit_left_unvaried_are_marked_in_every_format(monkeypatch):
    """Open values cut short by the time limit: a value with no open values computed is marked, and every format
    says why, instead of showing it as if chosen."""
    from feasible.solver import open as open_module

    monkeypatch.setattr(open_module, "open_values", lambda *args, **kwargs: {})
    text = runner.invoke(app, ["check", "three-party-toy"]).stdout
    assert "(not varied: time limit)" in text
    assert "The time limit came before" in " ".join(text.split())
    for output in ("markdown", "html"):
        page = runner.invoke(app, ["check", "three-party-toy", "--format", output]).stdout
        assert "(not varied: time limit)" in page and "The time limit came before" in page
