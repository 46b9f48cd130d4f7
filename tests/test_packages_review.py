"""`feasible packages` after review: nothing undecided is passed off as proved or decided (a relaxation whose deal
was not found, the bound on the relaxations compared, a check cut short, facts whose admission was not decided),
facts that contradict each other are said to, and every format shows the sources and what is undecided."""

from __future__ import annotations

import pytest

from feasible.cli.packages_view import packages_markdown, packages_text, packages_view
from feasible.positions.loader import load_scenario
from feasible.solver import packages as packages_module
from feasible.solver.packages import Judgement, compare_packages
from feasible.solver.result import CheckResult, Objective, Verdict

TIME = 60.0  # generous: no answer here may depend on the machine's speed

NO_DEAL = """
title: Hand B no deal
issues:
  troops: {type: bool}
  cap: {type: int, min: 0, max: 5}
  mon: {values: [none, osce, un]}
  guar: {type: set, values: [us, uk, fr]}
facts:
  - {id: f1, says: "UK guarantee means troops", rule: "\\"uk\\" in guar -> troops"}
parties:
  - party: north
    red_lines:
      - {id: no-troops, says: "no troops", rule: not troops}
      - {id: cap-low, says: "cap at most 2", rule: cap <= 2}
    demands:
      - {id: un, says: "un", rule: mon == "un"}
  - party: south
    red_lines:
      - {id: uk, says: "UK guarantee", rule: "\\"uk\\" in guar"}
      - {id: cap-high, says: "cap at least 4", rule: cap >= 4}
    demands:
      - {id: us, says: "US in", rule: "\\"us\\" in guar", weight: 2}
  - party: east
    red_lines:
      - {id: osce, says: "osce", rule: "mon == \\"osce\\""}
      - {id: no-fr, says: "no fr", rule: "not (\\"fr\\" in guar)"}
    demands:
      - {id: fr, says: "fr", rule: "\\"fr\\" in guar"}
packages:
  p1:
    title: P1
    values: {troops: false, cap: 1, guar: [uk], mon: osce}
"""


def many_ties() -> str:
    """Two parties at odds on five yes-or-no issues: 32 relaxations, all of cost 5 (one side's red line per issue);
    the one giving up all of b's keeps every value of `all-true`."""
    issues = "".join(f"  x{i}: {{type: bool}}\n" for i in range(5))
    red = {"a": "x{}", "b": "not x{}"}
    parties = "".join(
        f"  - party: {party}\n    red_lines:\n" + "".join(
            f"      - {{id: r{i}, says: r{i}, rule: '{rule.format(i)}'}}\n" for i in range(5))
        + f"    demands:\n      - {{id: d, says: d, rule: '{rule.format(0)}'}}\n" for party, rule in red.items())
    return (f"title: Many\nissues:\n{issues}parties:\n{parties}packages:\n  all-true:\n    title: All true\n"
            "    values: {x0: true, x1: true, x2: true, x3: true, x4: true}\n")


def scenario(write, text: str):
    write("scen/scenario.yaml", text)
    return load_scenario("scen")


# -- 1: a relaxation whose deal was not found is not compared, and nothing is proved ----------------------------------

def test_a_relaxation_whose_deal_was_not_found_is_said_not_compared_and_nothing_is_proved(write, monkeypatch):
    real = packages_module.nearest_deal
    calls = []

    def third_relaxation_times_out(scenario, package, objective, searcher):
        calls.append(package.name)
        if len(calls) == 4:  # 1: the scenario itself; 2-5: check's cheapest relaxations
            return None, False  # what a search cut short by the time limit returns
        return real(scenario, package, objective, searcher)

    monkeypatch.setattr(packages_module, "nearest_deal", third_relaxation_times_out)
    scen = scenario(write, NO_DEAL)
    result = compare_packages(scen, time_limit=TIME)
    compared = result.packages[0]
    assert result.verdict is Verdict.NO_DEAL and len(result.relaxations) == 4
    assert compared.nearest is not None and compared.nearest.deal.optimal  # the deal found is optimal in its own
    assert not compared.nearest.proved and not compared.decided and not result.decided
    assert compared.nearest.not_compared == (result.relaxations[2],)
    view = packages_view(scen, result)
    text = packages_text(view)
    assert "(proved nearest and best)" not in text
    assert "the deal opened by 1 of the cheapest relaxations was not found in time, so it was not compared" in text
    nearest = view.json()["packages"][0]["nearest"]
    assert nearest["proved"] is False
    assert nearest["not_compared"] == [{"drop": list(result.relaxations[2].drop), "cost": result.relaxations[2].cost}]


# -- 2: every cheapest relaxation is compared, up to a stated bound --------------------------------------------------

def test_every_one_of_many_equally_cheap_relaxations_is_compared(write):
    scen = scenario(write, many_ties())
    result = compare_packages(scen, time_limit=TIME)
    assert len(result.relaxations) == 32 and result.all_cheapest and result.cut_at is None and result.decided
    nearest = result.packages[0].nearest
    assert nearest is not None and nearest.proved and not nearest.changes
    assert nearest.relaxation is not None and nearest.relaxation.drop == tuple(f"b/r{i}" for i in range(5))


def test_when_the_bound_cuts_the_equally_cheap_relaxations_it_is_said_by_name_and_nothing_is_proved(write, monkeypatch):
    monkeypatch.setattr(packages_module, "RELAXATIONS_COMPARED", 20)
    scen = scenario(write, many_ties())
    result = compare_packages(scen, time_limit=TIME)
    assert len(result.relaxations) == 20 and not result.all_cheapest and result.cut_at == 20
    compared = result.packages[0]
    assert compared.nearest is not None and not compared.nearest.proved and not compared.decided
    view = packages_view(scen, result)
    text = packages_text(view)
    assert "there are more than 20 equally cheap ones, and only the first 20 in check's order are compared" in text
    assert "the time limit" not in text.split("\n")[1] and "(proved nearest and best)" not in text
    doc = view.json()
    assert doc["relaxations_cut_at"] == 20 and doc["decided"] is False and doc["packages"][0]["decided"] is False


# -- 3: a check cut short before it listed any relaxation ------------------------------------------------------------

def test_no_relaxation_listed_in_time_is_undecided(write, monkeypatch):
    def cut_short(scenario, objective, **kwargs):
        return CheckResult(scenario.title, Verdict.UNKNOWN, Objective(objective))

    monkeypatch.setattr(packages_module, "check", cut_short)
    scen = scenario(write, NO_DEAL)
    result = compare_packages(scen, time_limit=TIME)
    assert result.verdict is Verdict.NO_DEAL and not result.relaxations and not result.facts_conflict
    assert result.packages[0].nearest is None and not result.packages[0].decided and not result.decided
    text = packages_text(packages_view(scen, result))
    assert "the time limit ran out before any relaxation (red lines to give up) was found" in text


# -- 4: whether the facts admit a package, undecided ------------------------------------------------------------------

def test_facts_whose_admission_is_undecided_are_said_so_and_decide_nothing(write, monkeypatch):
    monkeypatch.setattr(packages_module, "facts_admit", lambda *args: None)
    scen = scenario(write, NO_DEAL.replace("values: {troops: false, cap: 1, guar: [uk], mon: osce}",
                                           "values: {cap: 1}"))
    result = compare_packages(scen, time_limit=TIME)
    compared = result.packages[0]
    assert compared.admitted is None and not compared.decided
    judged = {j.rule: j.judgement for j in compared.judgements}
    assert judged["north/no-troops"] is Judgement.UNDECIDED  # mentions an issue the package leaves open
    assert judged["north/cap-low"] is Judgement.KEPT  # mentions none: the package's values decide it
    view = packages_view(scen, result)
    assert view.json()["packages"][0]["admitted"] is None
    text = packages_text(view)
    assert "was not decided within the time limit" in text and "contradicts the facts" not in text


# -- 9: facts that contradict each other -------------------------------------------------------------------------------

FACTS_CONFLICT = """
title: Facts conflict
issues:
  x: {type: bool}
  n: {type: int, min: 0, max: 3}
facts:
  - {id: f1, says: x, rule: x}
  - {id: f2, says: not x, rule: not x}
parties:
  - party: a
    red_lines:
      - {id: r, says: r, rule: n >= 1}
    demands:
      - {id: d, says: d, rule: n >= 2}
packages:
  p:
    title: P
    values: {x: true, n: 2}
"""


def test_facts_that_contradict_each_other_are_said_to_without_blaming_the_time_or_the_package(write):
    scen = scenario(write, FACTS_CONFLICT)
    result = compare_packages(scen, time_limit=TIME)
    assert result.facts_conflict and result.decided and result.packages[0].nearest is None
    view = packages_view(scen, result)
    for shown in (packages_text(view), packages_markdown(view)):
        assert "the facts contradict each other, so there is no deal under any relaxation of red lines" in shown
        assert "in time" not in shown and "time limit" not in shown
        assert "The package contradicts the facts" not in shown
    assert view.json()["facts_conflict"] is True



# -- 7, 8: a badly written package is one located error with the right hint -------------------------------------------

BASE = """
title: Errors
sources:
  - {id: S1, title: one}
issues:
  troops: {type: bool}
  cap: {type: int, min: 0, max: 6}
parties:
  - party: north
    red_lines:
      - {id: a, says: a, rule: cap <= 4}
    demands:
      - {id: b, says: b, rule: troops}
packages:
  p:
"""


@pytest.mark.parametrize("package, message, hint", [
    ("title: P\n    values: {cap: 1.5}", "the value of issue 'cap' must be a whole number in 0..6",
     "write a whole number in 0..6"),
    ("title: P\n    values: {cap: null}", "the value of issue 'cap' must be a whole number in 0..6",
     "write a whole number in 0..6"),
    ("title: P\n    values: {cap: {valu: 1}}", "unknown key 'valu'", "did you mean 'value'?"),
    ("title: P\n    values: {cap: {value: 1.5, source: S1}}", "the value of issue 'cap' must be a whole number in 0..6",
     "write a whole number in 0..6"),
    ("title: P\n    values: {cap: {value: 1, says: 5}}", "'says' should be text, not the number 5", "quote it"),
    ("title: P\n    values: {cap: {source: S1}}", "missing required key 'value'",
     "give the value itself, e.g. {value: 600, source: S21}"),
    ("values: {cap: 1}", "missing required key 'title'", "give the package a title, e.g. title: The US 28-point"),
    ("title: P", "missing required key 'values'",
     "give the values it settles, issue by issue, e.g. values: {army_cap: 600, troops: false}"),
])
def test_a_badly_written_package_is_one_located_error_with_a_fitting_hint(write, cli, package, message, hint):
    write("scen/scenario.yaml", BASE + f"    {package}\n")
    done = cli("validate", "scen")
    assert done.exit_code == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("error:") == 1, done.stderr
    assert f"error: {message}\n  --> scen/scenario.yaml:1" in done.stderr
    assert f"= help: {hint}" in done.stderr
    assert "1 problem in 1 file" in done.stderr


def test_a_package_value_in_its_long_form_still_loads(write):
    scen = scenario(write, BASE + "    title: P\n    values: {cap: {value: 2, source: S1, says: two}, troops: true}\n")
    values = {v.issue: v for v in scen.packages[0].values}
    assert values["cap"].value == 2 and values["cap"].source_ids == ("S1",) and values["cap"].says == "two"
    assert values["troops"].value is True


# -- 5, 6, 10: what Markdown and HTML show, and text's indentation -----------------------------------------------------

LEAK = '  - {id: S1, title: The first leak, url: "https://example.org/leak", date: "2025-11-20"}'
SOURCED = BASE.replace("  - {id: S1, title: one}", f"{LEAK}\n  - {{id: S2, title: A reprint}}")
SOURCED = SOURCED.replace("  p:\n", """  draft:
    title: The draft
    says: |-
      A draft in two lines:
      the second one.
    source: S2
    values:
      cap: {value: 3, source: S1, says: "Point 6. Judgement: read as 3"}
      troops: false
""")


def test_markdown_and_html_show_every_source_and_what_each_value_says(write, cli):
    scenario(write, SOURCED)
    markdown = cli("packages", "scen", "--format", "markdown", "--time-limit", str(TIME)).stdout
    assert "Source: S2" in markdown  # the package's own
    assert ("- cap: 3 \u2014 \u201cPoint 6. Judgement: read as 3\u201d \u2014 Source: [S1](<https://example.org/leak>)"
            in markdown)
    assert "- troops: no \u2014 Source: S2" in markdown  # the short form: sourced by the package
    assert "## Sources" in markdown and "**S1** [The first leak](<https://example.org/leak>) (2025-11-20)" in markdown
    html = cli("packages", "scen", "--format", "html", "--time-limit", str(TIME)).stdout
    assert ("<li>cap: 3 \u2014 \u201cPoint 6. Judgement: read as 3\u201d \u2014 Source: "
            "<a class='cite' href='#source-1'") in html
    assert "<td title='\u201cPoint 6. Judgement: read as 3\u201d \u2014 Source: S1'>3</td>" in html
    assert "<li id='source-1'><b>S1</b> <a href='https://example.org/leak'>The first leak</a> (2025-11-20)</li>" in html


def test_a_package_says_of_several_lines_is_indented_in_text(write, cli):
    scenario(write, SOURCED)
    text = cli("packages", "scen", "--time-limit", str(TIME)).stdout
    assert "\n  A draft in two lines:\n  the second one.\n" in text


def test_the_side_by_side_table_says_what_is_undecided(write, monkeypatch):
    monkeypatch.setattr(packages_module, "facts_admit", lambda *args: None)
    scen = scenario(write, NO_DEAL.replace("values: {troops: false, cap: 1, guar: [uk], mon: osce}",
                                           "values: {cap: 1}"))
    markdown = packages_markdown(packages_view(scen, compare_packages(scen, time_limit=TIME)))
    assert "| Red lines not judged within the time limit | north/no-troops, south/uk, east/osce, east/no-fr |" \
        in markdown
    assert "| Red lines broken | south/cap-high |" in markdown
    assert "| Red lines depending on open issues | none among those judged |" in markdown
    assert "| north: satisfaction | undecided |" in markdown


def test_the_side_by_side_table_says_which_red_lines_a_nearest_deal_gives_up(write):
    scen = scenario(write, many_ties())
    markdown = packages_markdown(packages_view(scen, compare_packages(scen, time_limit=TIME)))
    assert "| Nearest deal changes | 0, after giving up 5 red lines |" in markdown
    assert "| Red lines given up for the nearest deal | b/r0, b/r1, b/r2, b/r3, b/r4 |" in markdown
