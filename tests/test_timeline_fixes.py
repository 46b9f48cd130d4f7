"""`feasible timeline`: the period before the first date, undecided periods and interruptions, the most periods
one run checks, and what every format says besides the periods (caveats, counts)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from conftest import invoke
from feasible.solver import timeline as timeline_module

TWO_PARTIES = """\
title: Two
issues:
  a: {{type: bool}}
parties:
  - party: p
    red_lines:
      - {{id: wants-a, says: P wants a., rule: a{p_dates}}}
  - party: q
    red_lines:
      - {{id: no-a, says: Q refuses a., rule: not a}}
"""


def scenario_file(tmp_path, text: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return str(path)


def timeline_json(*args: str) -> dict:
    result = invoke("timeline", *args, "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def spans(doc: dict) -> list[tuple]:
    return [(p["from"], p["until"], p["verdict"]) for p in doc["periods"]]


# -- finding 1: the period before the first date ------------------------------------------------------------------

def test_a_rule_that_only_ends_is_shown_while_it_holds(tmp_path):
    doc = timeline_json(scenario_file(tmp_path, TWO_PARTIES.format(p_dates=", valid_until: 2026-01-01")))
    assert spans(doc) == [(None, "2026-01-01", "no-deal"), ("2026-01-01", None, "deal")]
    assert [(c["date"], c["changed"]) for c in doc["changes"]] == [("2026-01-01", ["verdict", "cost", "conflicts"])]
    assert doc["periods"][1]["rules"][0]["change"] == "stopped"


def test_a_rule_that_starts_on_the_first_date_shows_the_answer_before_it(tmp_path):
    path = scenario_file(tmp_path, TWO_PARTIES.format(p_dates=", valid_from: 2026-01-01"))
    doc = timeline_json(path)
    assert spans(doc) == [(None, "2026-01-01", "deal"), ("2026-01-01", None, "no-deal")]
    assert [c["date"] for c in doc["changes"]] == ["2026-01-01"]
    text = invoke("timeline", path, "-q").stdout
    assert "until 2026-01-01: DEAL" in text and "The answer changes on the one day where positions change." in text


def test_an_as_of_before_the_first_date_lies_in_the_first_period(tmp_path):
    path = scenario_file(tmp_path, "as_of: 2025-06-01\n" + TWO_PARTIES.format(p_dates=", valid_from: 2026-01-01"))
    assert timeline_json(path)["as_of"] == "2025-06-01"
    assert ("The scenario says it stands at 2025-06-01 (its as_of), in the period until 2026-01-01."
            in invoke("timeline", path, "-q").stdout)


# -- finding 2: no period before the calendar's first day ---------------------------------------------------------

def test_a_position_from_the_calendars_first_day_has_no_period_before_it(tmp_path):
    path = scenario_file(tmp_path, TWO_PARTIES.format(p_dates=", valid_from: 0001-01-01, valid_until: 2026-01-01"))
    doc = timeline_json(path)
    assert spans(doc) == [("0001-01-01", "2026-01-01", "no-deal"), ("2026-01-01", None, "deal")]
    assert [c["date"] for c in doc["changes"]] == ["2026-01-01"]
    only = scenario_file(tmp_path, TWO_PARTIES.format(p_dates=", valid_from: 0001-01-01"))
    assert spans(timeline_json(only)) == [("0001-01-01", None, "no-deal")]


# -- finding 3: undecided periods and interruptions ---------------------------------------------------------------

STEPS = """\
title: Steps
issues:
  a: {type: bool}
  b: {type: bool}
parties:
  - party: p
    red_lines:
      - {id: wants-a, says: P wants a., rule: a, valid_from: 2026-01-01}
  - party: q
    red_lines:
      - {id: no-a, says: Q refuses a., rule: not a}
  - party: r
    red_lines:
      - {id: wants-b, says: R wants b., rule: b, valid_from: 2026-01-02}
  - party: s
    red_lines:
      - {id: no-b, says: S refuses b., rule: not b, valid_from: 2026-01-03}
"""


def checks_that(monkeypatch, day: date, **cut) -> None:
    """The timeline's check, with the result on `day` replaced in part (as the time limit or Ctrl-C leaves it)."""
    real = timeline_module.check

    def check(scenario, *args, **kwargs):
        result = real(scenario, *args, **kwargs)
        return replace(result, **cut) if scenario.as_of == day else result

    monkeypatch.setattr(timeline_module, "check", check)


def test_no_change_is_claimed_next_to_a_period_the_time_limit_left_undecided(tmp_path, monkeypatch):
    path = scenario_file(tmp_path, STEPS)
    checks_that(monkeypatch, date(2026, 1, 1), conflicts_complete=False)
    result = invoke("timeline", path, "--format", "json", "-q")
    assert result.exit_code == 3, result.output
    doc = json.loads(result.stdout)
    assert [c["date"] for c in doc["changes"]] == ["2026-01-03"]  # not 2026-01-01: its conflicts are not all known
    assert doc["undecided"] == ["2026-01-01", "2026-01-02"]
    assert doc["periods"][1]["conflicts_complete"] is False and doc["decided"] is False
    text = invoke("timeline", path, "-q")
    assert text.exit_code == 3
    assert "from 2026-01-01 until 2026-01-02: NO DEAL; cheapest way costs 1; 1 or more conflicts in 1 or more " \
           "disputes" in text.stdout
    assert "Undecided whether the answer changes on 2026-01-01 and 2026-01-02" in text.stdout
    assert "the time limit" in text.stdout and "interrupted" not in text.stdout
    assert ("The answer changes on 1 of the 3 days where positions change; on 2 of them, whether it changes is "
            "undecided.") in text.stdout


def test_an_interrupted_timeline_says_it_was_interrupted_not_timed_out(tmp_path, monkeypatch):
    path = scenario_file(tmp_path, STEPS)
    checks_that(monkeypatch, date(2026, 1, 2), interrupted=True)
    result = invoke("timeline", path, "-q")
    assert result.exit_code == 130, result.output
    assert "The run was interrupted" in result.stdout
    assert "time limit" not in result.stdout
    assert "2026-01-01: the verdict" in result.stdout  # decided on both sides: still a change
    doc = json.loads(invoke("timeline", path, "--format", "json", "-q").stdout)
    assert doc["interrupted"] is True and doc["undecided"] == ["2026-01-02", "2026-01-03"]
    assert [c["date"] for c in doc["changes"]] == ["2026-01-01"]


# -- finding 4: at most MAX_PERIODS periods -----------------------------------------------------------------------

def many_dates(count: int) -> str:
    facts = "".join(f"  - {{id: f{i}, says: fact {i}, rule: x, valid_from: {date.fromordinal(738000 + i)}}}\n"
                    for i in range(count))
    return f"title: Many\nissues:\n  x: {{type: bool}}\nfacts:\n{facts}"


def test_a_timeline_past_its_most_periods_is_refused_before_any_check(tmp_path, monkeypatch):
    def no_check(*args, **kwargs):
        raise AssertionError("no check may run")

    monkeypatch.setattr(timeline_module, "check", no_check)
    path = scenario_file(tmp_path, many_dates(timeline_module.MAX_PERIODS))
    result = invoke("timeline", path, "-q")
    assert result.exit_code == 2
    assert (f"the scenario's positions change on {timeline_module.MAX_PERIODS} days, which makes "
            f"{timeline_module.MAX_PERIODS + 1} periods; feasible timeline checks at most "
            f"{timeline_module.MAX_PERIODS} at once") in result.stderr
    assert "feasible check --as-of DATE" in result.stderr and "Traceback" not in result.output


def test_a_timeline_of_as_many_periods_as_the_most_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(timeline_module, "MAX_PERIODS", 3)
    assert len(timeline_json(scenario_file(tmp_path, many_dates(2)))["periods"]) == 3
    assert invoke("timeline", scenario_file(tmp_path, many_dates(3)), "-q").exit_code == 2


# -- finding 5: counts and caveats --------------------------------------------------------------------------------

def test_one_day_without_a_change_is_worded_in_the_singular(tmp_path):
    path = scenario_file(tmp_path, many_dates(1))
    text = invoke("timeline", path, "-q").stdout
    assert "The answer does not change on the one day where positions change." in text
    assert "all 1 periods" not in text
    text = invoke("timeline", scenario_file(tmp_path, many_dates(2)), "-q").stdout
    assert "The answer does not change on any of the 2 days where positions change." in text


@pytest.mark.parametrize("output, shown", [
    ("text", "Caveats\n  - Dated from the earliest source & not before."),
    ("markdown", "## Caveats\n\n- Dated from the earliest source &amp; not before."),
    ("html", "<h2>Caveats</h2><ul class='caveats'><li>Dated from the earliest source &amp; not before.</li></ul>"),
    ("json", '"caveats": [\n    "Dated from the earliest source & not before."\n  ]'),
])
def test_every_format_of_the_timeline_shows_the_caveats(tmp_path, output, shown):
    path = scenario_file(tmp_path, "caveats:\n  - Dated from the earliest\n    source & not before.\n"
                         + TWO_PARTIES.format(p_dates=", valid_from: 2026-01-01"))
    result = invoke("timeline", path, "--format", output, "-q")
    assert result.exit_code == 0, result.output
    assert shown in result.stdout
