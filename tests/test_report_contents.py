"""Issue 15, points 8 and 9: what a report holds. Every quoted position links to its sources and shows its rule
(Markdown and HTML; text with `check --sources`); the bottom line, the caveats and the description come first;
with no deal, the deal the first relaxation opens is shown and labelled as such; disputes have their own colours
and the map's edges say what they collide over, laid out without crossings where that can be done; the bars of
the relaxations carry each party's satisfaction. Words from the files stay text: titles and addresses are
escaped, and only web addresses become links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from test_conflict_map import SVG, crossings, svg_layout
from test_reports import assert_self_contained, assert_well_formed, cell_shows, doc, markdown_links, run

from feasible.cli.conflict_map import build_map, to_svg
from feasible.cli.words import bottom_line, issue_label
from feasible.positions import load_scenario
from feasible.positions.rules import to_text
from feasible.solver import check as run_check

UKRAINE = "ukraine-2026"


@pytest.fixture(scope="module")
def ukraine_html():
    result = run("check", "--format", "html")
    assert result.exit_code == 1, result.output
    return result.stdout, assert_well_formed(result.stdout)


@pytest.fixture(scope="module")
def ukraine_markdown() -> str:
    result = run("check", "--format", "markdown")
    assert result.exit_code == 1, result.output
    return result.stdout


def test_html_links_every_quoted_position_to_its_sources_and_shows_its_rule(ukraine_html):
    page, root = ukraine_html
    scenario = load_scenario(UKRAINE)
    listed = {li.attrs["id"]: li.text() for li in root.by_id("sources").find_all("li")}
    assert len(listed) == len(scenario.sources)
    members = 0
    for box in root.by_id("conflicts").find_all("div", class_="conflict"):
        for item in box.find_all("li"):
            name = item.find_all("code")[0].text()
            rule = scenario.rule(name)
            members += 1
            links = item.find_all("a", class_="cite")
            assert [a.text() for a in links] == list(rule.source_ids), name
            for link, source in zip(links, scenario.cited(rule)):
                entry = listed[link.attrs["href"].removeprefix("#")]  # the link goes to the source's entry
                assert entry.startswith(f"{source.id} {source.title}")
                assert link.attrs["title"] == source.title
            assert item.find_all("code", class_="rule")[0].text() == to_text(rule.expr)
    assert members == sum(len(c["red_lines"]) + len(c["facts"]) for c in doc()["conflicts"])


def test_markdown_links_every_quoted_position_to_its_sources_and_shows_its_rule(ukraine_markdown):
    scenario = load_scenario(UKRAINE)
    links = markdown_links(ukraine_markdown)
    conflicts = ukraine_markdown.split("## Conflicts")[1].split("## Cheapest ways")[0]
    for conflict in doc()["conflicts"]:
        for name in conflict["red_lines"] + conflict["facts"]:
            rule = scenario.rule(name)
            line = next(row for row in conflicts.splitlines() if f"(`{name}`)" in row)
            assert f"rule: `{to_text(rule.expr)}`" in line
            for source in scenario.cited(rule):
                assert f"[{source.id}](<{source.url}>)" in line
                assert links[source.url] in (source.id, source.title)


def test_text_shows_sources_only_when_asked():
    plain = run("check").stdout
    shown = run("check", "--sources").stdout
    assert "[sources:" not in plain and "\nSources\n" not in plain
    assert "europe/european-led-force  (issues: force_lead, foreign_force_posture)  [sources: S4, S5, S6]" in shown
    assert "facts/european-force-means-uk-france" in shown
    tail = shown.split("\nSources\n")[1]
    assert tail.startswith("  S1  president.gov.ua")
    assert "  modelling choice  A modelling choice of this scenario" in tail


def test_the_bottom_line_then_the_caveats_and_the_description_come_first(ukraine_html, ukraine_markdown):
    page, root = ukraine_html
    scenario = load_scenario(UKRAINE)
    bottom = root.by_id("bottom-line").text()
    assert bottom.startswith("As things stand: no deal; 2 separate disputes block it")
    assert "the cheapest way costs 2, and 4 ways cost that much" in bottom
    order = [page.index(marker) for marker in ("id='bottom-line'", 'id="verdict"', "id='caveats'",
                                               "id='description'", "id='parties'", "id='conflicts'")]
    assert order == sorted(order)
    caveats = [li.text() for li in root.by_id("caveats").find_all("li")]
    assert caveats == [" ".join(c.split()) for c in scenario.caveats]
    assert root.by_id("description").text().startswith("Positions of Ukraine, Russia, the United States")
    headings = re.findall(r"^#+ .*$", ukraine_markdown, flags=re.MULTILINE)
    assert headings[1:4] == ["## Caveats", "## About this scenario", "## Conflicts: 2 (all of them)"]
    assert ukraine_markdown.index(bottom) < ukraine_markdown.index("**No deal.**")


def test_without_a_deal_the_deal_the_first_way_opens_is_shown_and_labelled(ukraine_html, ukraine_markdown):
    _, root = ukraine_html
    deal = doc()["relaxations"][0]["deal"]
    opened = deal["issues"]
    section = root.by_id("opened-deal")
    label = "The deal way 1 opens (way 1 is one of 4 equally cheap ways"
    assert section.find_all("h2")[0].text().startswith(label)
    rows = [[td.text() for td in tr.find_all("td")] for tr in section.find_all("tr")[1:]]
    scenario = load_scenario(UKRAINE)
    assert [row[0] for row in rows] == [issue_label(scenario, name) for name in opened]
    assert all(cell_shows(deal, name, row[1]) for name, row in zip(opened, rows))  # value, or open values
    assert f"## {label}" in ukraine_markdown


def test_the_relaxations_bars_show_each_partys_satisfaction_in_the_deal_they_open(ukraine_html):
    _, root = ukraine_html
    rows = root.by_id("relaxations").find_all("tr")[1:]
    relaxations = doc()["relaxations"]
    heights = []
    for row, relaxation in zip(rows, relaxations, strict=True):
        bars = row.find_all("div", class_="mini")
        satisfaction = relaxation["deal"]["satisfaction"]
        assert len(bars) == len(satisfaction)
        shown = [float(re.fullmatch(r"height:([\d.]+)%", bar.find_all("span")[0].attrs["style"]).group(1))
                 for bar in bars]
        assert shown == pytest.approx([v * 100 for v in satisfaction.values()], abs=0.06)
        heights.append(shown)
    assert len({tuple(h) for h in heights}) > 1, "the bars tell the ways apart"


def test_each_dispute_has_its_own_colour_and_edges_name_their_issues(ukraine_html):
    _, root = ukraine_html
    boxes = root.by_id("conflicts").find_all("div", class_="conflict")
    colours = {box.attrs["data-dispute"]: re.search(r"border-left-color: (#\w+)", box.attrs["style"]).group(1)
               for box in boxes}
    assert len(colours) == 2 and len(set(colours.values())) == 2
    scenario = load_scenario(UKRAINE)
    svg = ET.fromstring(to_svg(build_map(scenario, run_check(scenario, relaxations=0)), "map"))
    fills = {g.get("data-dispute"): g.find(SVG + "rect").get("fill") for g in svg.iter(SVG + "g")
             if g.get("class") == "conflict"}
    assert fills == colours
    labels = " ".join(t.text for t in svg.iter(SVG + "text") if t.get("class") == "edge-label")
    assert "Donetsk arrangement" in labels and "lead of a foreign force" in labels  # the issues' labels
    assert {line.get("stroke") for line in svg.iter(SVG + "line")} == set(colours.values())


UNCROSSED = """
title: Crossings
issues:
  u: {type: int, min: 0, max: 10}
  v: {type: int, min: 0, max: 10}
parties:
  - party: p1
    red_lines:
      - {id: a1, says: u stays low., rule: u <= 2}
  - party: p2
    red_lines:
      - {id: b1, says: v stays low., rule: v <= 2}
      - {id: b2, says: u is high., rule: u >= 5}
  - party: p3
    red_lines:
      - {id: c1, says: v is high., rule: v >= 5}
"""


def test_the_map_is_laid_out_without_crossings_when_it_can_be(write):
    """In the scenario's order, p1 and p3 share the left column and p2 the right: p1/a1 - p2/b2 and p2/b1 - p3/c1
    cross whichever conflict is drawn above. With p3 above p1, nothing crosses."""
    scenario = load_scenario(write("cross.yaml", UNCROSSED))
    result = run_check(scenario, relaxations=0, conflicts=None)
    assert sorted(c.red_lines for c in result.conflicts) == [("p1/a1", "p2/b2"), ("p2/b1", "p3/c1")]
    svg = to_svg(build_map(scenario, result), scenario.title)
    assert crossings(svg_layout(svg)) == 0
    assert svg == to_svg(build_map(scenario, result), scenario.title)  # deterministic


UNCROSSED_FIVE = UNCROSSED.replace("  v: {type: int, min: 0, max: 10}\n",
                                   "  v: {type: int, min: 0, max: 10}\n  w: {type: int, min: 0, max: 10}\n") + """\
  - party: p4
    red_lines:
      - {id: d1, says: w stays low., rule: w <= 2}
  - party: p5
    red_lines:
      - {id: e1, says: w is high., rule: w >= 5}
      - {id: e2, says: u is very high., rule: u >= 8}
"""


def test_a_larger_map_is_laid_out_without_crossings_when_it_can_be(write):
    """Five groups in conflicts (past those whose every arrangement is tried): the scenario's order crosses three
    times; stacking each column's groups by the place of their conflicts crosses none."""
    scenario = load_scenario(write("cross5.yaml", UNCROSSED_FIVE))
    result = run_check(scenario, relaxations=0, conflicts=None)
    assert len(result.conflicts) == 4
    assert crossings(svg_layout(to_svg(build_map(scenario, result), scenario.title))) == 0


HOSTILE = """
title: Hostile sources
issues:
  x: {type: int, min: 0, max: 5}
parties:
  - party: a
    red_lines:
      - {id: hi, says: x is high., rule: x > 3, source: "S1, S2"}
  - party: b
    red_lines:
      - {id: lo, says: x is low., rule: x < 2, source: [S2]}
sources:
  - {id: S1, title: "Click <script>alert(1)</script> 'me' \\"now\\" [x](y)", url: "javascript:alert(1)"}
  - {id: S2, title: "A <b>web</b> page", url: "https://example.com/a?b=1&c='2' (x)", date: "<2026>"}
"""


def test_source_titles_and_addresses_are_escaped_and_only_web_addresses_linked(write):
    path = write("hostile.yaml", HOSTILE)
    page = run("check", str(path), "--format", "html").stdout
    root = assert_well_formed(page)
    assert not root.find_all("script")
    hrefs = [a.attrs["href"] for a in root.find_all("a")]
    assert all(h.startswith(("https://", "#source-")) for h in hrefs), hrefs
    cites = root.by_id("conflicts").find_all("a", class_="cite")
    assert {a.attrs["title"] for a in cites} == {"Click <script>alert(1)</script> 'me' \"now\" [x](y)",
                                                  "A <b>web</b> page (<2026>)"}
    assert "Click <script>alert(1)</script>" in root.by_id("sources").text()
    markdown = run("check", str(path), "--format", "markdown").stdout
    links = markdown_links(markdown)
    assert set(links) == {"https://example.com/a?b=1&c='2'%20%28x%29"}
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "javascript:" not in "".join(links)


def test_a_free_text_source_is_shown_as_text(write):
    path = write("free.yaml", HOSTILE.replace(', source: "S1, S2"', ", source: 'Reuters <i>6 Jan</i>'").replace(
        ", source: [S2]", "").split("sources:\n  - {id: S1")[0])
    page = run("check", str(path), "--format", "html").stdout
    assert_self_contained(page)
    root = assert_well_formed(page)
    assert "[source: Reuters <i>6 Jan</i>]" in root.by_id("conflicts").text()
    assert not root.find_all("i")
    markdown = run("check", str(path), "--format", "markdown").stdout
    assert "— source: Reuters &lt;i&gt;6 Jan&lt;/i&gt;" in markdown
    assert "[source: Reuters <i>6 Jan</i>]" in run("check", str(path), "--sources").stdout


def test_the_bottom_line_in_words():
    deal = bottom_line("deal", "a package deal every party accepts exists (fair objective, proved best)",
                       disputes=(), conflicts_complete=True, cheapest=None, tied=0, tied_in_all=False, forced=1,
                       issues=5)
    assert deal == ("As things stand: a package deal every party accepts exists (fair objective, proved best). "
                    "Every deal settles 1 of the 5 issues the same way; 4 vary between deals, within the room shown.")
    cut = bottom_line("no-deal", "no package deal…", disputes=("dispute 1: A and B (conflict 1)",),
                      conflicts_complete=False, cheapest=1, tied=2, tied_in_all=False, forced=None, issues=3)
    assert cut.startswith("As things stand: no deal; the conflicts found form 1 dispute (a conflict not found may "
                          "join some or add more) (dispute 1: A and B")
    assert "2 of the ways listed cost that much" in cut
    assert bottom_line("no-deal", "", disputes=(), conflicts_complete=False, cheapest=None, tied=0,
                       tied_in_all=False, forced=None, issues=3) == "As things stand: no deal."
    edited = bottom_line("no-deal", "", disputes=("d1", "d2", "d3", "d4", "d5"), conflicts_complete=True, cheapest=2,
                         tied=1, tied_in_all=True, forced=None, issues=3, edits="--drop a/x", example_shown=False)
    assert edited == ("With the edits (--drop a/x): no deal; 5 separate disputes block it (d1; d2; d3; and 2 more). "
                      "A deal needs a concession in each: the cheapest way costs 2, and it is the only one.")
