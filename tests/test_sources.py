"""Issue 15, point 8: a scenario's `sources:` list is the registry its rules cite. An unknown id is a located
error with did-you-mean (exit 2); without a `sources:` list, `source:` is free text; one id, a YAML list and
the comma-separated form all cite."""

from __future__ import annotations

import pytest
from conftest import invoke

from feasible.positions import InvalidScenario, load_scenario
from feasible.positions.sources import cited_ids, id_spans, source_text

REGISTRY = """
sources:
  - {id: S1, title: The first source, url: "https://example.org/one", date: 2026-01-06}
  - {id: S2, title: The second source}
  - {id: S13, title: The thirteenth source}
"""


def scenario_text(source_line: str, registry: str = REGISTRY) -> str:
    return f"""title: Sources
{registry}
issues:
  flag: {{type: bool}}
parties:
  - party: a
    red_lines:
      - id: r
        says: The flag is raised.
        rule: flag
{source_line}
"""


def problems(path) -> list:
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    return caught.value.diagnostics


@pytest.mark.parametrize("text, ids", [
    ("S2", ("S2",)), ("S2, S4", ("S2", "S4")), (" S2 ,S4, ", ("S2", "S4")), ("S2, S2", ("S2",)),
    (["S2", "S4"], ("S2", "S4")), ("modelling choice", ("modelling choice",)), (None, ()), ("", ()),
])
def test_cited_ids_reads_every_form(text, ids):
    assert cited_ids(text) == ids


def test_id_spans_point_at_each_id():
    text = "S2,  S13x , S4"
    assert [(ident, text[start:end]) for ident, start, end in id_spans(text)] == [
        ("S2", "S2"), ("S13x", "S13x"), ("S4", "S4")]


def test_source_text_keeps_a_list_as_its_ids_joined():
    assert source_text(["S1", "S2"]) == "S1, S2"
    assert source_text("S1") == "S1"
    assert source_text(None) is None


@pytest.mark.parametrize("line, ids", [
    ("        source: S2", ("S2",)),
    ("        source: S1, S13", ("S1", "S13")),
    ("        source: [S13, S1]", ("S13", "S1")),
    ("        source:\n          - S2\n          - S1", ("S2", "S1")),
])
def test_a_rule_cites_sources_of_the_registry_in_every_form(write, line, ids):
    scenario = load_scenario(write("s.yaml", scenario_text(line)))
    rule = scenario.rule("a/r")
    assert rule.source_ids == ids
    assert tuple(s.id for s in scenario.cited(rule)) == ids
    assert scenario.cited(rule)[0].title.startswith("The ")


def test_an_unknown_id_in_the_comma_form_is_located_at_the_id_with_did_you_mean(write):
    path = write("s.yaml", scenario_text("        source: S1, S31"))
    [problem] = problems(path)
    assert problem.message == "unknown source 'S31'"
    assert (problem.location.line, problem.location.column) == (16, 21)
    assert problem.line_text == "        source: S1, S31"
    assert problem.width == 3
    assert "'S13'" in problem.hint


def test_an_unknown_id_in_a_list_is_located_at_its_item(write):
    path = write("s.yaml", scenario_text("        source:\n          - S1\n          - S3"))
    [problem] = problems(path)
    assert problem.message == "unknown source 'S3'"
    assert (problem.location.line, problem.location.column) == (18, 13)
    assert "did you mean" in problem.hint


def test_an_unknown_id_is_exit_2_with_the_line_and_a_caret(write):
    path = write("s.yaml", scenario_text("        source: S2x"))
    result = invoke("check", str(path))
    assert result.exit_code == 2
    assert "error: unknown source 'S2x'" in result.stderr
    assert "s.yaml:16:17" in result.stderr
    assert "16 |         source: S2x" in result.stderr
    assert "|                 ^^^" in result.stderr
    assert "did you mean 'S2'" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_without_a_registry_source_is_free_text(write):
    scenario = load_scenario(write("s.yaml", scenario_text("        source: Reuters, 6 January 2026",
                                                          registry="")))
    rule = scenario.rule("a/r")
    assert rule.source == "Reuters, 6 January 2026"
    assert scenario.cited(rule) == ()


def test_a_fact_and_an_overlay_cite_the_registry_too(write, tmp_path):
    text = scenario_text("        source: S1").replace(
        "parties:", "facts:\n  - {id: f, says: Always., rule: flag or not flag, source: S22}\nparties:")
    [problem] = problems(write("s.yaml", text))
    assert problem.message == "unknown source 'S22'" and "did you mean 'S2'" in problem.hint
    write("ok.yaml", scenario_text("        source: S1"))
    write("overlay.yaml", """
        source: S1, S9
        parties:
          - party: a
            demands:
              - {id: d, says: Wanted., rule: flag, source: [S2, S77]}
        """)
    result = invoke("check", "ok.yaml", "--with", "overlay.yaml")
    assert result.exit_code == 2
    assert "unknown source 'S9'" in result.stderr and "unknown source 'S77'" in result.stderr


def test_the_registry_lists_each_id_once_and_without_commas(write):
    registry = REGISTRY + "  - {id: S2, title: Again}\n  - {id: 'S5, S6', title: Two in one}\n"
    found = problems(write("s.yaml", scenario_text("        source: S1", registry=registry)))
    assert [p.message for p in found] == ["source id 'S2' is listed twice (also at s.yaml:5:10)",
                                          "the source id 'S5, S6' has a comma in it"]


def test_a_source_that_is_neither_text_nor_a_list_is_one_problem(write):
    found = problems(write("s.yaml", scenario_text("        source: 5")))
    assert len(found) == 1 and "'source' should be text" in found[0].message


def test_the_shipped_scenarios_cite_only_their_sources():
    scenario = load_scenario("ukraine-2026")
    for rule in scenario.rules():
        assert len(scenario.cited(rule)) == len(rule.source_ids), rule.name
    assert scenario.caveats, "the shipped scenario states its caveats"
