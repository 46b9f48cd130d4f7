"""The conflict map: parties as groups of their red lines, each conflict a node joined to exactly its members,
facts apart. Checked as a model (build_map), as Graphviz DOT (parsed back here, and rendered by `dot` when it
is installed), through `feasible graph`, and as the SVG laid out in Python (to_svg) that the HTML report
embeds."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.cli.conflict_map import build_map, render_svg, to_dot, to_svg
from feasible.cli.presentation import as_of_shown
from feasible.cli.words import titled_as_of
from feasible.positions import load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.solver import check as run_check

SVG = "{http://www.w3.org/2000/svg}"
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz dot is not installed")
_CHECKED: dict = {}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def checked(name: str, edits: Edits = Edits(), **options):
    key = (name, edits, tuple(sorted(options.items())))
    if key not in _CHECKED:
        scenario, _ = apply_edits(load_scenario(name), edits)
        _CHECKED[key] = scenario, run_check(scenario, relaxations=0, **options)
    return _CHECKED[key]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return str(path)


# scenarios made for the map ---------------------------------------------------------------------------------------

FACTS_CLASH = """
title: Facts that clash
issues:
  x: {type: int, min: 0, max: 10, description: X.}
facts:
  - {id: big, says: X is at least 6., rule: x >= 6}
  - {id: small, says: X is at most 4., rule: x <= 4}
  - {id: other, says: X is not 5., rule: x != 5}
parties:
  - party: a
    name: Party A
    red_lines:
      - {id: some, says: X is at least 1., rule: x >= 1}
"""

AWKWARD_WORDS = r"""
title: 'Quotes "here", a back\slash, {braces}, <angles> & ampersands'
issues:
  x: {type: int, min: 0, max: 10, description: X.}
  y: {type: bool, description: Y.}
facts:
  - {id: link, says: 'Y means "x >= 5" -- a {fact} with a \back\slash', rule: y -> x >= 5}
parties:
  - party: q
    name: 'The "Quoted" party {x}'
    red_lines:
      - {id: say-yes, says: 'Y, said "yes"; a\nb stays literal\', rule: y}
      - id: long
        says: >-
          A very long red line that goes on and on about many things, far longer than one label line can
          hold, with words and more words to wrap over several lines and then some
        rule: x >= 0
  - party: r
    name: R <&> R
    red_lines:
      - {id: low, says: 'x < 3 & <b>not</b> more', rule: x < 3}
"""


def chain(links: int = 17) -> str:
    """ints x0..x(links-1); High wants each >= 5, Low wants neighbours to add up to at most 7: every pair of
    neighbours is one conflict of three red lines."""
    lines = ["title: Long chain", "issues:"]
    lines += [f"  x{i}: {{type: int, min: 0, max: 10, description: Link {i}.}}" for i in range(links)]
    lines += ["parties:", "  - party: high", "    name: High", "    red_lines:"]
    lines += [f"      - {{id: x{i}-high, says: x{i} is at least 5., rule: x{i} >= 5}}" for i in range(links)]
    lines += ["  - party: low", "    name: Low", "    red_lines:"]
    lines += [f"      - {{id: x{i}-x{i + 1}-low, says: x{i} and x{i + 1} add up to at most 7., "
              f"rule: x{i} + x{i + 1} <= 7}}" for i in range(links - 1)]
    return "\n".join(lines) + "\n"


def crowded(thresholds: int = 10) -> str:
    """One red line (Low's "x is zero", drawn low on the left) in conflict with each of `thresholds` red lines
    of Many (drawn low on the right): many conflict nodes around the bottom of the map."""
    lines = ["title: Crowded map", "issues:", "  x: {type: int, min: 0, max: 40, description: X.}",
             "  y: {type: int, min: 0, max: 40, description: Y.}", "parties:",
             "  - party: fill1", "    name: Fill one", "    red_lines:"]
    lines += [f"      - {{id: f{i}, says: Filler {i} holds., rule: y >= {i}}}" for i in range(10)]
    lines += ["  - party: fill2", "    name: Fill two", "    red_lines:"]
    lines += [f"      - {{id: g{i}, says: Filler {i} holds., rule: y <= {40 - i}}}" for i in range(3)]
    lines += ["  - party: many", "    name: Many", "    red_lines:"]
    lines += [f"      - {{id: a{i}, says: X is at least {i}., rule: x >= {i}}}" for i in range(1, thresholds + 1)]
    lines += ["  - party: low", "    name: Low", "    red_lines:", "      - {id: zero, says: X is zero., rule: x <= 0}"]
    return "\n".join(lines) + "\n"


# -- the model --------------------------------------------------------------------------------------------------

def assert_map_matches(scenario, result) -> None:
    conflict_map = build_map(scenario, result)
    members = {n for c in result.conflicts for n in c.red_lines + c.facts}
    groups = dict(conflict_map.groups)
    assert len(groups) == len(conflict_map.groups), "one group per party"
    expected = [(p.name, [r.name for r in p.binding]) for p in scenario.parties if p.binding]
    facts = [f.name for f in scenario.facts if f.name in members]
    if facts:
        expected.append(("Facts", facts))  # apart from the parties, last, and only the facts a conflict uses
    assert [(g, [n.name for n in nodes]) for g, nodes in conflict_map.groups] == expected
    rules = {r.name: r for r in scenario.rules()}
    for group, nodes in conflict_map.groups:
        for node in nodes:
            assert node.label == rules[node.name].says  # labelled with `says`
            assert node.group == group
            assert node.in_conflict == (node.name in members)
    assert [c.name for c in conflict_map.conflicts] == [f"conflict-{i}" for i in range(1, len(result.conflicts) + 1)]
    drawn = {n.name for _, nodes in conflict_map.groups for n in nodes}
    edges = list(conflict_map.edges)
    assert len(edges) == len(set(edges)), "no edge twice"
    for node, conflict in zip(conflict_map.conflicts, result.conflicts):
        joined = {target for source, target in edges if source == node.name}
        assert joined == set(conflict.red_lines) | set(conflict.facts), "joined to exactly its members"
    assert {s for s, _ in edges} <= {c.name for c in conflict_map.conflicts}
    assert {t for _, t in edges} <= drawn
    return conflict_map


def test_map_of_the_ukraine_scenario():
    scenario, result = checked("ukraine-2026")
    assert result.conflicts and any(c.facts for c in result.conflicts)
    conflict_map = assert_map_matches(scenario, result)
    assert conflict_map.groups[-1][0] == "Facts"
    # a fact no conflict uses is left off the map; every red line is on it, in conflict or not
    assert len(conflict_map.groups[-1][1]) < len(scenario.facts)
    assert any(not n.in_conflict for _, nodes in conflict_map.groups for n in nodes)


def test_map_of_a_deal_has_no_conflicts():
    scenario, result = checked("three-party-toy")
    conflict_map = assert_map_matches(scenario, result)
    assert not conflict_map.conflicts and not conflict_map.edges
    assert "Facts" not in dict(conflict_map.groups)
    # accept_at_least is a red line too (east/accept-at-least)
    assert "east/accept-at-least" in {n.name for _, nodes in conflict_map.groups for n in nodes}


def test_map_with_a_what_if_setting():
    """`--set` is the fact facts/set-ISSUE: it shows with the facts, linked to the conflicts that need it."""
    scenario, result = checked("ukraine-2026", Edits(set=("ukraine_nato_status=open_path",)))
    conflict_map = assert_map_matches(scenario, result)
    assert "facts/set-ukraine-nato-status" in {n.name for n in dict(conflict_map.groups)["Facts"]}
    assert any(t == "facts/set-ukraine-nato-status" for _, t in conflict_map.edges)


def test_map_when_the_facts_alone_clash(tmp_path):
    scenario = load_scenario(write(tmp_path, "facts.yaml", FACTS_CLASH))
    result = run_check(scenario, relaxations=0)
    assert len(result.conflicts) == 1 and not result.conflicts[0].red_lines
    conflict_map = assert_map_matches(scenario, result)
    assert [n.name for n in dict(conflict_map.groups)["Facts"]] == ["facts/big", "facts/small"]
    assert not any(n.in_conflict for n in dict(conflict_map.groups)["Party A"])


# -- DOT, parsed back -------------------------------------------------------------------------------------------

_TOKEN = re.compile(r'''\s*(?:(?P<comment>//[^\n]*|/\*.*?\*/|\#[^\n]*)
                           |(?P<string>"(?:[^"\\]|\\.)*")
                           |(?P<edge>--|->)
                           |(?P<punct>[{}\[\];,=:])
                           |(?P<id>-?(?:\.\d+|\d+(?:\.\d*)?)|[A-Za-z_\x80-\uffff][\w\x80-\uffff]*))''',
                    re.VERBOSE | re.DOTALL)


def tokens(text: str) -> list[tuple[str, str]]:
    out, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        assert match, f"cannot read DOT at {text[position:position + 40]!r}"
        position = match.end()
        if match.lastgroup == "comment":
            continue
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "string":
            value = re.sub(r'\\"', '"', value[1:-1])  # DOT itself unescapes only \" (the rest is escString)
        out.append((kind, value))
    return out


@dataclass
class Graph:
    kind: str = ""
    nodes: dict = field(default_factory=dict)  # name -> attributes
    edges: list = field(default_factory=list)
    clusters: list = field(default_factory=list)  # (name, attributes, [node names])


class DotParser:
    """Recursive descent over the DOT grammar (graph, subgraphs, node/edge/attr statements, a = b)."""

    def __init__(self, text: str):
        self.tokens = tokens(text)
        self.position = 0
        self.graph = Graph()

    def peek(self, offset: int = 0):
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else ("eof", "")

    def take(self, kind: str | None = None, value: str | None = None):
        token = self.peek()
        assert (kind is None or token[0] == kind) and (value is None or token[1] == value), \
            f"expected {kind} {value!r}, got {token} at token {self.position}"
        self.position += 1
        return token

    def ident(self) -> str:
        token = self.peek()
        assert token[0] in ("id", "string"), f"expected an ID, got {token}"
        self.position += 1
        return token[1]

    def parse(self) -> Graph:
        if self.peek()[1] == "strict":
            self.take()
        self.graph.kind = self.take("id")[1]
        assert self.graph.kind in ("graph", "digraph")
        if self.peek()[0] in ("id", "string"):
            self.ident()
        self.statements(None)
        assert self.peek()[0] == "eof", f"text after the graph: {self.tokens[self.position:]}"
        return self.graph

    def statements(self, cluster: list | None) -> None:
        self.take("punct", "{")
        while self.peek() != ("punct", "}"):
            assert self.peek()[0] != "eof", "unbalanced braces"
            self.statement(cluster)
            if self.peek() in (("punct", ";"), ("punct", ",")):
                self.take()
        self.take("punct", "}")

    def attributes(self) -> dict:
        found = {}
        while self.peek() == ("punct", "["):
            self.take()
            while self.peek() != ("punct", "]"):
                name = self.ident()
                self.take("punct", "=")
                found[name] = self.ident()
                if self.peek() in (("punct", ";"), ("punct", ",")):
                    self.take()
            self.take("punct", "]")
        return found

    def statement(self, cluster: list | None) -> None:
        token = self.peek()
        if token[0] == "id" and token[1] in ("graph", "node", "edge"):
            self.take()
            self.attributes()
            return
        if token[0] == "id" and token[1] == "subgraph" or token == ("punct", "{"):
            self.subgraph()
            return
        name = self.ident()
        if self.peek() == ("punct", "="):
            self.take()
            value = self.ident()
            if cluster is not None:
                cluster[1][name] = value
            return
        if self.peek()[0] == "edge":
            ends = [name]
            while self.peek()[0] == "edge":
                op = self.take()[1]
                assert op == ("--" if self.graph.kind == "graph" else "->"), f"{op} in a {self.graph.kind}"
                ends.append(self.ident())
            self.attributes()
            self.graph.edges += list(zip(ends, ends[1:]))
            return
        assert name not in self.graph.nodes, f"node {name} declared twice"
        self.graph.nodes[name] = self.attributes()
        if cluster is not None:
            cluster[2].append(name)

    def subgraph(self) -> None:
        name = ""
        if self.peek() == ("id", "subgraph"):
            self.take()
            if self.peek()[0] in ("id", "string"):
                name = self.ident()
        cluster = [name, {}, []]
        self.statements(cluster)
        self.graph.clusters.append(tuple(cluster))


def escstring(text: str) -> str:
    """A label as DOT should hold it: backslashes doubled, line breaks as \\n (quotes are unescaped here)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def unescape(label: str) -> str:
    """Graphviz's reading of an escString label: \\\\ is a backslash, \\n a line break."""
    out, i = [], 0
    while i < len(label):
        if label[i] == "\\" and i + 1 < len(label):
            out.append({"n": "\n", "\\": "\\", "l": "\n", "r": "\n"}.get(label[i + 1], label[i + 1]))
            i += 2
        else:
            out.append(label[i])
            i += 1
    return "".join(out)


def assert_label(label: str, node) -> None:
    """The red line's words, wrapped (and cut with … when long), then its id on the last line."""
    lines = unescape(label).split("\n")
    assert lines[-1] == node.name
    words, said = " ".join(lines[:-1]), " ".join(node.label.split())
    if words.endswith("…"):
        assert said.startswith(words[:-1].rstrip()) and len(words) < len(said), (words, said)
    else:
        assert words == said


def assert_dot_matches(dot_text: str, conflict_map, title: str) -> Graph:
    assert dot_text.count("{") - dot_text.count("}") == sum(
        s.count("{") - s.count("}") for s in re.findall(r'"(?:[^"\\]|\\.)*"', dot_text)), "braces out of strings"
    graph = DotParser(dot_text).parse()
    assert graph.kind == "graph"
    map_nodes = [n for _, nodes in conflict_map.groups for n in nodes]
    assert set(graph.nodes) == {n.name for n in map_nodes} | {c.name for c in conflict_map.conflicts}
    for source, target in graph.edges:  # every endpoint declared (DOT would silently create missing ones)
        assert source in graph.nodes and target in graph.nodes, (source, target)
    assert sorted(graph.edges) == sorted(conflict_map.edges)
    clusters = [c for c in graph.clusters if c[0].startswith("cluster")]
    assert [(c[1]["label"], c[2]) for c in clusters] == [
        (escstring(group), [n.name for n in nodes]) for group, nodes in conflict_map.groups]
    for node in map_nodes:
        assert_label(graph.nodes[node.name]["label"], node)
        assert graph.nodes[node.name]["fillcolor"] == ("#fde2e2" if node.in_conflict else "white")
    facts = [c for c in clusters if c[1]["label"] == "Facts"]
    assert all(c[1].get("style") == "dashed" for c in facts)  # facts are drawn apart
    return graph


@pytest.mark.parametrize("name", ["ukraine-2026", "three-party-toy"])
def test_graph_prints_valid_dot(name):
    scenario, result = checked(name)
    printed = invoke("graph", name)
    assert printed.exit_code == (1 if result.conflicts else 0), printed.output
    conflict_map = build_map(scenario, result)
    title = titled_as_of(scenario.title, as_of_shown(scenario))  # a dated scenario's map says its day
    assert printed.stdout == to_dot(conflict_map, title)
    assert_dot_matches(printed.stdout, conflict_map, title)


def test_dot_of_awkward_words_stays_valid(tmp_path):
    scenario = load_scenario(write(tmp_path, "awkward.yaml", AWKWARD_WORDS))
    result = run_check(scenario, relaxations=0)
    assert result.conflicts
    conflict_map = build_map(scenario, result)
    assert_dot_matches(to_dot(conflict_map, scenario.title), conflict_map, scenario.title)


def test_the_dot_parser_itself_notices_broken_graphs():
    good = 'graph g {\n  subgraph cluster_0 { label="A"; "a/x" [label="x"]; }\n  "c" [label="C"];\n  "c" -- "a/x";\n}\n'
    DotParser(good).parse()
    for bad in (good.replace("}\n", "", 1), good.replace('"c" -- "a/x"', '"c" -> "a/x"'),
                good.replace('label="x"', 'label="x'), good + "}"):
        with pytest.raises(AssertionError):
            DotParser(bad).parse()
    undeclared = DotParser(good.replace('"c" -- "a/x"', '"c" -- "b/y"')).parse()
    assert "b/y" not in undeclared.nodes  # what assert_dot_matches checks for every edge


def _dot(args: list[str], text: str) -> subprocess.CompletedProcess:
    return subprocess.run([DOT, *args], input=text.encode(), capture_output=True, timeout=60, check=False)


@needs_dot
@pytest.mark.parametrize("source", ["ukraine-2026", "three-party-toy", "awkward"])
def test_dot_renders_with_graphviz_and_parses_back(tmp_path, source):
    if source == "awkward":
        scenario = load_scenario(write(tmp_path, "awkward.yaml", AWKWARD_WORDS))
        result = run_check(scenario, relaxations=0)
    else:
        scenario, result = checked(source)
    conflict_map = build_map(scenario, result)
    dot_text = to_dot(conflict_map, scenario.title)
    drawn = _dot(["-Tsvg"], dot_text)
    assert drawn.returncode == 0, drawn.stderr.decode()
    assert b"error" not in drawn.stderr.lower() and b"syntax" not in drawn.stderr.lower(), drawn.stderr
    root = ET.fromstring(drawn.stdout)
    assert root.tag == SVG + "svg"
    names = {g.findtext(SVG + "title") for g in root.iter(SVG + "g") if g.get("class") == "node"}
    expected = {n.name for _, nodes in conflict_map.groups for n in nodes} | {c.name for c in conflict_map.conflicts}
    assert names == expected
    edges = [g for g in root.iter(SVG + "g") if g.get("class") == "edge"]
    assert len(edges) == len(conflict_map.edges)
    clusters = [g for g in root.iter(SVG + "g") if g.get("class") == "cluster"]
    assert len(clusters) == len(conflict_map.groups)
    # Graphviz's own reading of the file: names, clusters, edges and labels as meant
    parsed = _dot(["-Tjson"], dot_text)
    if parsed.returncode != 0:
        pytest.skip("this Graphviz cannot write JSON")
    graph = json.loads(parsed.stdout)
    objects = graph["objects"]
    by_id = {o["_gvid"]: o for o in objects if "nodes" not in o}
    assert graph["label"] == escstring(scenario.title)
    got_clusters = [(o["label"], [by_id[i]["name"] for i in o.get("nodes", [])])
                    for o in objects if "nodes" in o]
    assert got_clusters == [(escstring(g), [n.name for n in nodes]) for g, nodes in conflict_map.groups]
    for _, nodes in conflict_map.groups:
        for node in nodes:
            assert_label(next(o["label"] for o in by_id.values() if o["name"] == node.name), node)
    got_edges = sorted(tuple(sorted((by_id[e["tail"]]["name"], by_id[e["head"]]["name"])))
                       for e in graph.get("edges", []))
    assert got_edges == sorted(tuple(sorted(e)) for e in conflict_map.edges)


# -- feasible graph -o ------------------------------------------------------------------------------------------

def test_graph_writes_a_dot_file(tmp_path):
    target = tmp_path / "map.dot"
    written = invoke("graph", "-o", str(target), "--quiet")
    assert written.exit_code == 1, written.output
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == invoke("graph").stdout
    gv = tmp_path / "map.gv"
    assert invoke("graph", "-o", str(gv)).exit_code == 1 and gv.read_text(encoding="utf-8") == target.read_text(
        encoding="utf-8")


@needs_dot
def test_graph_writes_svg_drawn_by_graphviz(tmp_path):
    target = tmp_path / "map.svg"
    written = invoke("graph", "-o", str(target))
    assert written.exit_code == 1, written.output
    root = ET.parse(target).getroot()
    assert root.tag == SVG + "svg"
    scenario, result = checked("ukraine-2026")
    titles = {g.findtext(SVG + "title") for g in root.iter(SVG + "g") if g.get("class") == "node"}
    assert {f"conflict-{i}" for i in range(1, len(result.conflicts) + 1)} <= titles


@pytest.mark.parametrize("which", [None, "/bin/false"], ids=["no-dot", "dot-fails"])
def test_graph_svg_without_a_working_dot_is_laid_out_in_python(tmp_path, monkeypatch, which):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: which if name == "dot" else None)
    target = tmp_path / "map.svg"
    written = invoke("graph", "-o", str(target))
    assert written.exit_code == 1, written.output
    scenario, result = checked("ukraine-2026")
    title = titled_as_of(scenario.title, as_of_shown(scenario))
    assert target.read_text(encoding="utf-8") == to_svg(build_map(scenario, result), title)
    ET.parse(target)


def test_graph_refuses_an_unknown_file_type(tmp_path):
    target = tmp_path / "map.png"
    refused = invoke("graph", "-o", str(target))
    assert refused.exit_code == 2
    assert not target.exists()
    assert ".svg" in refused.stderr and ".dot" in refused.stderr


def test_render_svg_prefers_graphviz_when_present():
    scenario, result = checked("ukraine-2026")
    conflict_map = build_map(scenario, result)
    svg = render_svg(conflict_map, scenario.title, to_dot(conflict_map, scenario.title))
    root = ET.fromstring(svg)
    if DOT:
        assert root.get("class") != "conflict-map"  # Graphviz's drawing
        assert any(g.get("class") == "cluster" for g in root.iter(SVG + "g"))
    else:
        assert svg == to_svg(conflict_map, scenario.title)


# -- the SVG laid out in Python ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Rect") -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)

    def inside(self, other: "Rect") -> bool:
        return (other.x <= self.x and self.x + self.w <= other.x + other.w
                and other.y <= self.y and self.y + self.h <= other.y + other.h)


def _rect(element) -> Rect:
    return Rect(*(float(element.get(a)) for a in ("x", "y", "width", "height")))


def svg_layout(svg: str) -> dict:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    x0, y0, width, height = (float(v) for v in root.get("viewBox").split())
    layout = {"root": root, "view": Rect(x0, y0, width, height), "groups": {}, "nodes": {}, "conflicts": {},
              "lines": root.findall(SVG + "line")}
    for g in root.iter(SVG + "g"):
        cls = g.get("class")
        rect = _rect(g.find(SVG + "rect"))
        if cls == "party":
            layout["groups"][g.get("data-group")] = rect
        elif cls == "red-line":
            assert g.get("data-name") not in layout["nodes"], "one element per red line"
            layout["nodes"][g.get("data-name")] = rect
        elif cls == "conflict":
            assert g.get("data-name") not in layout["conflicts"], "one element per conflict"
            layout["conflicts"][g.get("data-name")] = rect
    return layout


def _map_of(source: str, tmp_path: Path):
    """A scenario and its check with every conflict listed (each of these is enumerated in well under a second)."""
    if source in ("ukraine-2026", "three-party-toy"):
        return checked(source, conflicts=None)
    key = ("made", source)
    if key not in _CHECKED:
        text = {"chain": chain(9), "awkward": AWKWARD_WORDS, "facts": FACTS_CLASH, "crowded": crowded()}[source]
        scenario = load_scenario(write(tmp_path, f"{source}.yaml", text))
        result = run_check(scenario, relaxations=0, conflicts=None)
        assert result.conflicts_complete
        _CHECKED[key] = scenario, result
    return _CHECKED[key]


@pytest.mark.parametrize("source", ["ukraine-2026", "three-party-toy", "chain", "awkward", "facts", "crowded"])
def test_svg_has_one_element_per_red_line_and_conflict(tmp_path, source):
    scenario, result = _map_of(source, tmp_path)
    conflict_map = build_map(scenario, result)
    layout = svg_layout(to_svg(conflict_map, "Conflict map: " + scenario.title))
    assert layout["root"].findtext(SVG + "title") == "Conflict map: " + scenario.title
    assert set(layout["nodes"]) == {n.name for _, nodes in conflict_map.groups for n in nodes}
    assert set(layout["conflicts"]) == {c.name for c in conflict_map.conflicts}
    assert len(layout["conflicts"]) == len(result.conflicts)
    assert set(layout["groups"]) == {g for g, _ in conflict_map.groups}
    assert len(layout["lines"]) == len(conflict_map.edges)
    texts = " ".join(t.text or "" for t in layout["root"].iter(SVG + "text"))
    for group, nodes in conflict_map.groups:
        assert group in texts
        for node in nodes:
            assert node.name in texts


@pytest.mark.parametrize("source", ["ukraine-2026", "three-party-toy", "chain", "awkward", "facts", "crowded"])
def test_svg_boxes_do_not_overlap(tmp_path, source):
    scenario, result = _map_of(source, tmp_path)
    layout = svg_layout(to_svg(build_map(scenario, result), scenario.title))
    conflicts = list(layout["conflicts"].items())
    for (a, ra), (b, rb) in itertools.combinations(conflicts, 2):
        assert not ra.overlaps(rb), f"{a} overlaps {b}"
    for (a, ra), (b, rb) in itertools.combinations(layout["nodes"].items(), 2):
        assert not ra.overlaps(rb), f"{a} overlaps {b}"
    for (a, ra), (b, rb) in itertools.combinations(layout["groups"].items(), 2):
        assert not ra.overlaps(rb), f"group {a} overlaps group {b}"
    for name, rect in conflicts:  # conflict boxes sit between the columns, clear of every red line
        for other, box in layout["nodes"].items():
            assert not rect.overlaps(box), f"{name} covers {other}"
    conflict_map = build_map(scenario, result)
    for group, nodes in conflict_map.groups:
        for node in nodes:
            assert layout["nodes"][node.name].inside(layout["groups"][group]), node.name


@pytest.mark.parametrize("source", [
    "ukraine-2026", "three-party-toy", "chain", "awkward", "facts",
    "crowded",
])
def test_svg_draws_everything_inside_its_viewbox(tmp_path, source):
    scenario, result = _map_of(source, tmp_path)
    layout = svg_layout(to_svg(build_map(scenario, result), scenario.title))
    view = layout["view"]
    for kind in ("groups", "nodes", "conflicts"):
        for name, rect in layout[kind].items():
            assert rect.inside(view), f"{kind[:-1]} {name} at {rect} is outside the drawing {view}"
    for line in layout["lines"]:
        for axis, extent in (("x", view.w), ("y", view.h)):
            for end in ("1", "2"):
                assert 0 <= float(line.get(axis + end)) <= extent, line.attrib


def test_svg_edges_join_conflicts_to_their_members(tmp_path):
    scenario, result = checked("ukraine-2026")
    conflict_map = build_map(scenario, result)
    layout = svg_layout(to_svg(conflict_map, scenario.title))
    boxes = {**layout["nodes"], **layout["conflicts"]}
    ends = []
    for line in layout["lines"]:
        ends.append(((float(line.get("x1")), float(line.get("y1"))), (float(line.get("x2")), float(line.get("y2")))))

    def touching(point):  # boxes whose edge the point lies on (within rounding)
        x, y = point
        return {name for name, r in boxes.items()
                if r.x - 1 <= x <= r.x + r.w + 1 and r.y - 1 <= y <= r.y + r.h + 1}

    joined = sorted(tuple(sorted(s | t)) for s, t in ((touching(a), touching(b)) for a, b in ends)
                    if len(s) == 1 and len(t) == 1)
    assert joined == sorted(tuple(sorted(e)) for e in conflict_map.edges)


def test_svg_title_and_words_are_escaped():
    scenario, result = checked("ukraine-2026")
    svg = to_svg(build_map(scenario, result), 'A & <B> "c" \'d\'')
    root = ET.fromstring(svg)
    assert root.findtext(SVG + "title") == 'A & <B> "c" \'d\''
    assert root.get("aria-label") == 'A & <B> "c" \'d\''


# -- issue 12: long party names fit their box; conflicts ordered to avoid crossing edges ---------------------------


def estimated_width(text: str, font_size: float, bold: bool = False) -> float:
    """A generous estimate of a Helvetica line's width: 0.6 em a character (bold 0.65)."""
    return len(text) * font_size * (0.65 if bold else 0.6)

LONG_NAMES = """
title: Long names
issues:
  a: {type: int, min: 0, max: 10}
parties:
  - party: coalition
    name: Coalition of the Willing (European-led)
    red_lines:
      - {id: low, says: a stays at 2 or below., rule: a <= 2}
  - party: long
    name: TheLongestPartyNameWithoutAnySpaceAtAllThatStillNeedsABox
    red_lines:
      - {id: high, says: a is at least 5., rule: a >= 5}
"""


def _texts_in(element):
    return [(float(t.get("x")), t.text or "", float(t.get("font-size", 11)), t.get("font-weight") == "bold")
            for t in element.iter(SVG + "text")]


def test_svg_long_party_names_fit_their_box(tmp_path):
    scenario = load_scenario(write(tmp_path, "long-names.yaml", LONG_NAMES))
    result = run_check(scenario, relaxations=0)
    root = ET.fromstring(to_svg(build_map(scenario, result), scenario.title))
    groups = [g for g in root.iter(SVG + "g") if g.get("class") in ("party", "red-line")]
    assert {g.get("data-group") for g in groups if g.get("class") == "party"} == {
        "Coalition of the Willing (European-led)", "TheLongestPartyNameWithoutAnySpaceAtAllThatStillNeedsABox"}
    for g in groups:
        box = _rect(g.find(SVG + "rect"))
        for x, line, size, bold in _texts_in(g) if g.get("class") == "red-line" else [
                t for t in _texts_in(g) if t[3]]:
            assert x + estimated_width(line, size, bold) <= box.x + box.w, (line, box)
    for g in groups:  # the whole name is still there, over as many lines as it needs
        if g.get("class") == "party":
            label = "".join(line for _, line, _, bold in _texts_in(g) if bold)
            assert label.replace(" ", "") == g.get("data-group").replace(" ", "")


def _segments(layout) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [((float(e.get("x1")), float(e.get("y1"))), (float(e.get("x2")), float(e.get("y2"))))
            for e in layout["lines"]]


def _cross(s, t) -> bool:
    """Whether two segments cross at a point inside both (touching at a shared end is no crossing)."""
    (p1, p2), (p3, p4) = s, t
    if {p1, p2} & {p3, p4}:
        return False

    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2, d3, d4 = side(p3, p4, p1), side(p3, p4, p2), side(p1, p2, p3), side(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def crossings(layout) -> int:
    return sum(_cross(s, t) for s, t in itertools.combinations(_segments(layout), 2))


def fewest_crossings(conflict_map, layout) -> int:
    """The fewest crossings of any top-to-bottom order of the conflicts (members where they are): by trying
    every order, independently of the layout's own method."""
    middle = layout["view"].w / 2
    ends = {c.name: [] for c in conflict_map.conflicts}
    for source, target in conflict_map.edges:
        box = layout["nodes"][target]
        ends[source].append((box.x > middle, box.y + box.h / 2, target))
    best = None
    for order in itertools.permutations(ends):
        count = sum(1 for i, a in enumerate(order) for b in order[i + 1:]
                    for side_a, y_a, m_a in ends[a] for side_b, y_b, m_b in ends[b]
                    if side_a == side_b and m_a != m_b and y_a > y_b)
        best = count if best is None else min(best, count)
    return best or 0


UNTANGLE = """
title: An order without crossings
issues:
  a: {type: int, min: 0, max: 10}
  b: {type: int, min: 0, max: 3}
  c: {type: int, min: 0, max: 3}
parties:
  - party: left
    name: Left
    red_lines:
      - {id: top, says: a stays at 2 or below., rule: a <= 2}
      - {id: impossible, says: b and c add up to 7 or more., rule: b + c >= 7}
  - party: right
    name: Right
    red_lines:
""" + "".join(f"      - {{id: filler-{i}, says: Filler {i}., rule: c >= 0}}\n" for i in range(6)) + """
      - {id: bottom, says: a is at least 5., rule: a >= 5}
"""


def test_svg_conflicts_are_ordered_so_that_no_edges_cross_when_none_need_to(tmp_path):
    """Left/top conflicts with Right/bottom (its centre is low); Left/impossible alone (its centre is high):
    by centres alone the impossible one goes above and its edge crosses; drawn below, nothing crosses."""
    scenario = load_scenario(write(tmp_path, "untangle.yaml", UNTANGLE))
    result = run_check(scenario, relaxations=0, conflicts=None)
    assert sorted(sorted(c.red_lines) for c in result.conflicts) == [["left/impossible"],
                                                                     ["left/top", "right/bottom"]]
    conflict_map = build_map(scenario, result)
    layout = svg_layout(to_svg(conflict_map, scenario.title))
    assert fewest_crossings(conflict_map, layout) == 0
    assert crossings(layout) == 0


@pytest.mark.parametrize("source", ["ukraine-2026", "three-party-toy", "awkward", "facts", "crowded"])
def test_svg_edges_cross_no_more_than_the_best_order_of_conflicts(tmp_path, source):
    scenario, result = _map_of(source, tmp_path)
    conflict_map = build_map(scenario, result)
    if len(conflict_map.conflicts) > 7:
        pytest.skip("too many conflicts to try every order")
    layout = svg_layout(to_svg(conflict_map, scenario.title))
    assert crossings(layout) <= fewest_crossings(conflict_map, layout)
