"""Reports for people who never open a terminal: `check --format markdown`, `check --format html` and
`feasible report`, for a deal (three-party-toy), a no-deal (the default Ukraine scenario) and an edited
scenario (`--drop 'russia/*'`, which adds a before/after section).

The content is checked against the `feasible/1` JSON of the same run and against the scenario files (the
parties' own words), the Markdown with a CommonMark parser, the HTML with `html.parser`: well formed, and
self-contained (nothing fetched from elsewhere: no scripts, stylesheets, fonts, images, frames)."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.cli.html_report import check_html
from feasible.cli.markdown import check_markdown
from feasible.cli.presentation import check_report
from feasible.cli.words import issue_label
from feasible.positions import load_scenario
from feasible.positions.edits import Edits, apply_edits
from feasible.solver import check as run_check

TOY = "three-party-toy"  # has a deal
UKRAINE = "ukraine-2026"  # no deal
DROP = ("--drop", "russia/*")  # makes a deal of the Ukraine scenario
_CACHE: dict[tuple, object] = {}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def run(*args: str):
    """`feasible ARGS` in-process, once per argument list (the solver is deterministic)."""
    if args not in _CACHE:
        _CACHE[args] = invoke(*args)
    return _CACHE[args]


def doc(*args: str) -> dict:
    result = run("check", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def said(scenario, name: str) -> tuple[str, str]:
    """(who, says) of a rule, read from the scenario model, not from the report code."""
    for rule in scenario.rules():
        if rule.name == name:
            owner = rule.owner
            who = "Fact" if owner == "facts" else scenario.party(owner).name
            return who, rule.says
    raise KeyError(name)


def shown(value) -> str:
    """How an issue value is written in reports: yes/no, set members joined, numbers and names as they are."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(sorted(value)) if value else "(none)"
    if isinstance(value, dict):  # a sequence, step -> phase: its phases in order, then the steps left out
        used = sorted({phase for phase in value.values() if phase})
        order = " then ".join(f"{p} " + ", ".join(s for s, q in value.items() if q == p) for p in used)
        left_out = [step for step, phase in value.items() if not phase]
        return order + (f" (left out: {', '.join(left_out)})" if left_out else "")
    return str(value)


def cell_shows(deal: dict, name: str, cell: str, escape=lambda text: text) -> bool:
    """Whether a report's cell shows an issue of a JSON deal: its open values ("any …") when it has several,
    else its value (a sequence's orders are not always counted: then its value, alone or as the first example)."""
    open_ = deal["open"][name]
    if open_["count"] is None and isinstance(deal["issues"][name], dict):
        return escape(shown(deal["issues"][name])) in cell
    if open_["count"] != 1:
        return cell.startswith("any ")
    return cell == escape(shown(deal["issues"][name]))


def percent(value) -> str:
    return "-" if value is None else f"{float(value) * 100:.0f}%"


def md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


# -- a small DOM built with html.parser ----------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict
    children: list = dataclasses.field(default_factory=list)
    parent: "Node | None" = None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(cls in node.attrs.get("class", "").split() if key == "class_" else node.attrs.get(key) == cls
                   for key, cls in attrs.items()):
                found.append(node)
        return found

    def by_id(self, ident: str) -> "Node":
        nodes = [n for n in self.iter() if n.attrs.get("id") == ident]
        assert len(nodes) == 1, f"{len(nodes)} elements with id={ident!r}"
        return nodes[0]


class TreeBuilder(HTMLParser):
    """Builds a Node tree and records every way the markup is not well formed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.problems: list[str] = []
        self.doctype = None
        self.tags: list[tuple[str, dict]] = []  # every start tag with its attributes, in order

    def handle_decl(self, decl):
        self.doctype = decl

    def _open(self, tag, attrs, closed: bool):
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"duplicate attribute in <{tag}>: {names}")
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        self.tags.append((tag, attributes))
        node = Node(tag, attributes, parent=self.current)
        self.current.children.append(node)
        if not closed and tag not in VOID:
            self.current = node

    def handle_starttag(self, tag, attrs):
        self._open(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.problems.append(f"</{tag}> closes <{self.current.tag}>")
            node = self.current
            while node is not None and node.tag != tag:
                node = node.parent
            if node is None:
                return
            self.current = node
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(page: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder


def assert_well_formed(page: str) -> Node:
    builder = parse_html(page)
    assert builder.doctype is not None and builder.doctype.lower() == "doctype html"
    assert not builder.problems, builder.problems
    assert builder.current is builder.root, f"<{builder.current.tag}> never closed"
    html = builder.root.find_all("html")
    assert len(html) == 1 and len(builder.root.find_all("head")) == 1 and len(builder.root.find_all("body")) == 1
    return builder.root


FORBIDDEN_TAGS = {"script", "link", "iframe", "frame", "object", "embed", "img", "image", "base", "audio",
                  "video", "source", "track", "picture", "applet", "portal", "use", "foreignobject"}


def assert_self_contained(page: str) -> None:
    """Nothing in the page makes a browser fetch anything: no scripts, stylesheets, fonts, images or frames."""
    builder = parse_html(page)
    for tag, attrs in builder.tags:
        assert tag not in FORBIDDEN_TAGS, f"<{tag} {attrs}>"
        for name, value in attrs.items():
            assert name not in ("src", "srcset", "xlink:href", "data", "poster", "background", "action",
                                "formaction", "ping", "codebase"), f"<{tag} {name}={value!r}>"
            assert not name.startswith("on"), f"event handler <{tag} {name}=...>"
            if name == "href":
                assert tag == "a", f"href on <{tag}>"
            if name == "style":
                assert "url(" not in value.lower() and "@import" not in value.lower(), value
        if tag == "meta":
            assert attrs.get("http-equiv", "").lower() != "refresh", attrs
    styles = [node.text() for node in builder.root.find_all("style")]
    assert styles, "the report should carry its own styles"
    for css in styles:
        lowered = css.lower()
        assert "url(" not in lowered, "CSS loads something"
        assert "@import" not in lowered, "CSS imports a stylesheet"
        assert "@font-face" not in lowered, "CSS loads a font"
    assert "javascript:" not in page.lower()


def markdown_tokens(text: str):
    markdown_it = pytest.importorskip("markdown_it")  # CommonMark parser (a dependency of rich)
    return markdown_it.MarkdownIt("commonmark").enable("table").parse(text)


def markdown_links(text: str) -> dict[str, str]:
    """href -> link text of every link in the Markdown."""
    links, tokens = {}, markdown_tokens(text)
    for token in tokens:
        for i, child in enumerate(token.children or ()):
            if child.type == "link_open":
                label = []
                for after in token.children[i + 1:]:
                    if after.type == "link_close":
                        break
                    label.append(after.content)
                links[child.attrs["href"]] = "".join(label)
    return links


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (the header row first)."""
    tables, rows, row, cell, tokens = [], None, None, None, markdown_tokens(text)
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "table_close":
            tables.append(rows)
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type in ("th_open", "td_open"):
            cell = []
        elif token.type in ("th_close", "td_close"):
            row.append("".join(cell))
        elif token.type == "inline" and cell is not None and rows is not None:
            cell.append(token.content)
    return tables


# -- Markdown -----------------------------------------------------------------------------------------------------

def test_markdown_deal_report():
    result = run("check", TOY, "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    expected = doc(TOY)
    scenario = load_scenario(TOY)
    assert text.startswith(f"# {scenario.title}\n")
    assert "**Deal.**" in text and "proved best" in text
    assert "\x1b[" not in text
    tables = markdown_tables(text)
    deal_table = next(t for t in tables if t[0][:2] == ["Issue", "Deal"])
    assert len(deal_table) - 1 == len(scenario.issues)
    for name, row in zip(expected["deal"]["issues"], deal_table[1:]):
        assert row[0] == md_cell(issue_label(scenario, name))  # the issue as people read it
        assert cell_shows(expected["deal"], name, row[1], md_cell)
        assert row[3] == md_cell(scenario.issues[name].description or "")
    parties = next(t for t in tables if t[0][0] == "Party")
    assert [row[0] for row in parties[1:]] == [p.name for p in scenario.parties]
    for party, row in zip(scenario.parties, parties[1:]):
        outcome = expected["deal"]["parties"][party.id]
        assert row[1] == percent(outcome["satisfaction"])
        for name in outcome["met"]:
            assert md_cell(said(scenario, name)[1]) in row[2]
        for name in outcome["unmet"]:
            assert md_cell(said(scenario, name)[1]) in row[3]
    for name in expected["forced"]:
        assert md_cell(issue_label(scenario, name)) in text.split("Forced in every deal:")[1].splitlines()[0]
    assert "## Conflicts" not in text and "## Cheapest ways" not in text


def test_markdown_no_deal_report():
    result = run("check", "--format", "markdown")
    assert result.exit_code == 1, result.output
    text = result.stdout
    expected = doc()
    scenario = load_scenario(UKRAINE)
    assert text.startswith(f"# {scenario.title}\n")
    assert "**No deal.**" in text
    assert "\x1b[" not in text
    conflicts = expected["conflicts"]
    extent = "all of them" if expected["conflicts_complete"] else "there may be more"
    assert f"## Conflicts: {len(conflicts)} ({extent})" in text
    sections = re.split(r"^### \d+\. ", text, flags=re.MULTILINE)[1:]
    assert len(sections) == len(conflicts)
    for conflict, section in zip(conflicts, sections):
        assert section.startswith(md_cell(conflict["summary"]))
        heading = re.search(r"^Given the assumptions?:$", section, flags=re.MULTILINE)  # the facts
        body, given = (section[:heading.start()], section[heading.end():]) if heading else (section, "")
        for name in conflict["red_lines"]:  # in the party's own words, with the id for people who edit files
            who, says = said(scenario, name)
            assert f"- **{md_cell(who)}**: “{md_cell(says)}” (`{name}`)" in body
        for name in conflict["facts"]:
            who, says = said(scenario, name)
            assert f"- “{md_cell(says)}” (`{name}`)" in given  # no pseudo-party "Fact": facts are no party's words
        assert bool(conflict["facts"]) == bool(given)
    # relaxations: the red lines to give up, their cost and who pays it
    tables = markdown_tables(text)
    relax = next(t for t in tables if t[0][:3] == ["#", "Red lines to give up", "Cost"])
    assert len(relax) - 1 == len(expected["relaxations"]) > 0
    for index, (relaxation, row) in enumerate(zip(expected["relaxations"], relax[1:]), 1):
        assert row[0] == str(index)
        assert row[1] == "<br>".join(f"`{n}`" for n in relaxation["drop"])
        assert row[2] == str(relaxation["cost"])
        for party, cost in relaxation["cost_by_party"].items():
            assert f"{scenario.party(party).name} {cost}" in row[3]
    for party in scenario.parties:  # every party is named somewhere in the report
        assert party.name in text
    # sources, each a link
    links = markdown_links(text)
    with_url = [s for s in scenario.sources if s.url]
    assert with_url
    for source in with_url:
        assert source.url in links, source
        assert links[source.url] == " ".join(source.title.split())
    assert "## Sources" in text


def test_markdown_edited_report_has_a_before_and_after_section():
    result = run("check", *DROP, "--format", "markdown")
    assert result.exit_code == 0, result.output  # without Russia's red lines there is a deal
    text = result.stdout
    before, after = doc(), doc(*DROP)
    assert before["verdict"] == "no-deal" and after["verdict"] == "deal"
    assert "**Deal.**" in text
    heading = re.search(r"^## (What the edits change.*)$", text, flags=re.MULTILINE)
    assert heading and "--drop russia/*" in heading.group(1)
    section = text[heading.end():]
    assert "Verdict: no-deal → deal" in section
    resolved = section.split("Resolved conflicts:")[1].split("\n\n", 2)[1]
    for conflict in before["conflicts"]:
        line = "- " + ", ".join(f"`{n}`" for n in conflict["red_lines"] + conflict["facts"])
        assert any(row.startswith("- ") and set(re.findall(r"`([^`]+)`", row)) >= set(conflict["red_lines"])
                   for row in resolved.splitlines()), (line, resolved)
    tables = markdown_tables(section)
    changed = next(t for t in tables if t[0] == ["Issue", "Before", "After"])
    rows = {row[0]: row for row in changed[1:]}
    for name in after["deal"]["issues"]:  # no deal before: every issue goes from - to a value
        row = rows[md_cell(issue_label(load_scenario(UKRAINE), name))]
        assert row[1] == "-" and cell_shows(after["deal"], name, row[2], md_cell)
    # the report is about the edited scenario: Russia has no red lines left to quote (the scenario's description,
    # which comes first, names them in its words)
    assert "`russia/no-nato-membership`" not in text.split("## Best deal")[1].split("## What the edits change")[0]


def test_markdown_marks_an_interrupted_run():
    scenario = load_scenario(UKRAINE)
    result = dataclasses.replace(run_check(scenario, relaxations=0), interrupted=True)
    text = check_markdown(check_report(scenario, result))
    assert "Incomplete" in text.split("## ")[0]  # said before anything else
    page = check_html(check_report(scenario, result))
    root = assert_well_formed(page)
    assert "Incomplete" in " ".join(n.text() for n in root.find_all(class_="incomplete"))


def test_diff_markdown_and_no_html():
    result = invoke("diff", TOY, TOY, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ")
    assert "No position changed." in result.stdout
    refused = invoke("diff", TOY, TOY, "--format", "html")
    assert refused.exit_code == 2
    assert refused.stdout == ""


# -- HTML ---------------------------------------------------------------------------------------------------------

def _html(*args: str) -> tuple[str, Node]:
    result = run("check", *args, "--format", "html")
    assert result.exit_code in (0, 1), result.output
    return result.stdout, assert_well_formed(result.stdout)


@pytest.mark.parametrize("args", [(TOY,), (), DROP], ids=["deal", "no-deal", "edited"])
def test_html_is_self_contained_and_well_formed(args):
    page, root = _html(*args)
    assert_self_contained(page)
    assert "\x1b[" not in page
    head = root.find_all("head")[0]
    assert head.find_all("meta", charset="utf-8")
    assert len(root.find_all("svg")) == 1  # the conflict map, inline
    assert root.find_all("svg")[0].attrs.get("xmlns") == "http://www.w3.org/2000/svg"
    assert "@media print" in root.find_all("style")[0].text()  # print-friendly


def _common_html_checks(root: Node, scenario, expected: dict) -> None:
    assert root.find_all("title")[0].text() == scenario.title
    assert root.find_all("h1")[0].text() == scenario.title
    verdict = root.by_id("verdict")
    assert f"verdict-{expected['verdict']}" in verdict.attrs["class"].split()
    word = {"deal": "DEAL", "no-deal": "NO DEAL", "unknown": "UNKNOWN"}[expected["verdict"]]
    assert verdict.text().startswith(word + ":")
    parties = root.by_id("parties").text()
    for party in scenario.parties:
        assert party.name in parties
    assert root.by_id("conflict-map").find_all("svg")


def _bars(root: Node) -> dict[str, float]:
    """party id -> the width of its satisfaction bar, in percent."""
    bars = {}
    for row in root.by_id("parties").find_all("div", class_="party-row"):
        span = row.find_all("div", class_="bar")[0].find_all("span")[0]
        bars[row.attrs["data-party"]] = float(re.fullmatch(r"width:([\d.]+)%", span.attrs["style"]).group(1))
    return bars


def test_html_deal_report():
    page, root = _html(TOY)
    scenario, expected = load_scenario(TOY), doc(TOY)
    _common_html_checks(root, scenario, expected)
    rows = root.by_id("deal").find_all("tr")[1:]
    assert len(rows) == len(scenario.issues)
    for name, row in zip(expected["deal"]["issues"], rows):
        cells = [td.text() for td in row.find_all("td")]
        assert cells[0] == issue_label(scenario, name) and cell_shows(expected["deal"], name, cells[1])
        assert cells[3] == (scenario.issues[name].description or "")
    bars = _bars(root)
    assert set(bars) == {p for p, o in expected["deal"]["parties"].items() if o["satisfaction"] is not None}
    for party, width in bars.items():
        assert width == pytest.approx(expected["deal"]["satisfaction"][party] * 100, abs=0.06)
    assert not root.find_all(id="conflicts") and not root.find_all(id="relaxations")
    assert not root.by_id("conflict-map").find_all("g", class_="conflict")
    assert not root.find_all(id="changes")


def test_html_no_deal_report():
    page, root = _html()
    scenario, expected = load_scenario(UKRAINE), doc()
    _common_html_checks(root, scenario, expected)
    assert not root.find_all(id="deal")
    boxes = root.by_id("conflicts").find_all("div", class_="conflict")
    assert len(boxes) == len(expected["conflicts"]) > 0
    for box, conflict in zip(boxes, expected["conflicts"]):
        assert box.find_all("h3")[0].text().endswith(conflict["summary"])
        items = [li.text() for li in box.find_all("li")]
        members = conflict["red_lines"] + conflict["facts"]
        assert len(items) == len(members)
        for name in conflict["red_lines"]:
            who, says = said(scenario, name)
            assert any(item.startswith(f"{who}: “{says}” {name}") for item in items), (name, items)
        for name in conflict["facts"]:  # no pseudo-party "Fact": facts are no party's words
            who, says = said(scenario, name)
            assert any(item.startswith(f"“{says}” {name}") for item in items), (name, items)
    # the map shows the same conflicts
    svg = root.by_id("conflict-map").find_all("svg")[0]
    assert len(svg.find_all("g", class_="conflict")) == len(expected["conflicts"])
    # relaxations with their costs
    rows = root.by_id("relaxations").find_all("tr")[1:]
    assert len(rows) == len(expected["relaxations"]) > 0
    for row, relaxation in zip(rows, expected["relaxations"]):
        cells = row.find_all("td")
        assert cells[2].text() == str(relaxation["cost"])
        assert [c.text() for c in cells[1].find_all("code")] == relaxation["drop"]
        for name in relaxation["drop"]:
            assert said(scenario, name)[0] in cells[1].text()
    # with no deal, the bars show the deal the cheapest relaxation opens
    cheapest = expected["relaxations"][0]["deal"]
    for party, width in _bars(root).items():
        assert width == pytest.approx(cheapest["satisfaction"][party] * 100, abs=0.06)
    # sources as links
    anchors = {a.attrs["href"]: a.text() for a in root.by_id("sources").find_all("a")}
    for source in scenario.sources:
        if source.url:
            assert anchors.get(source.url) == source.title
        assert source.id in root.by_id("sources").text()
    assert not root.find_all(id="changes")


def test_html_edited_report():
    page, root = _html(*DROP)
    before, after = doc(), doc(*DROP)
    scenario, _ = apply_edits(load_scenario(UKRAINE), Edits(drop=("russia/*",)))
    _common_html_checks(root, scenario, after)
    changes = root.by_id("changes")
    assert "--drop russia/*" in changes.find_all("h2")[0].text()
    assert "Verdict: no-deal → deal" in changes.text()
    for conflict in before["conflicts"]:
        assert any(p.text().startswith("Resolved conflict:") and all(n in p.text() for n in conflict["red_lines"])
                   for p in changes.find_all("p")), conflict
    rows = {row.find_all("td")[0].text(): [td.text() for td in row.find_all("td")[1:]]
            for table in changes.find_all("table") if table.find_all("th")[0].text() == "Issue"
            for row in table.find_all("tr")[1:]}
    for name in after["deal"]["issues"]:
        row = rows[issue_label(scenario, name)]
        assert row[0] == "-" and cell_shows(after["deal"], name, row[1])
    assert root.find_all(id="deal")


@pytest.mark.parametrize("args", [(), DROP], ids=["no-deal", "edited"])
def test_report_file_is_the_same_as_check_format_html(tmp_path: Path, args):
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    written = invoke("report", *args, "-o", str(target), "--quiet")
    check = run("check", *args, "--format", "html")
    assert written.exit_code == check.exit_code, written.output
    assert written.stdout == ""  # the page goes to the file, not to stdout
    assert target.read_text(encoding="utf-8") == check.stdout
    printed = invoke("report", *args)  # without -o: the page on stdout
    assert printed.stdout == check.stdout


def test_html_escapes_the_scenarios_words(tmp_path: Path):
    """Text from the files is text, never markup: a red line that reads like HTML stays harmless."""
    path = tmp_path / "tags.yaml"
    path.write_text(
        "title: 'Tags <script>alert(1)</script> & co'\n"
        "issues:\n  x: {type: int, min: 0, max: 5, description: 'The <b>x</b> & \"y\"'}\n"
        "parties:\n"
        "  - party: a\n    name: 'A <img src=x onerror=alert(1)>'\n    red_lines:\n"
        "      - {id: hi, says: 'x is > 3 <script>bad()</script>', rule: x > 3}\n"
        "  - party: b\n    name: 'B & \"sons\"'\n    red_lines:\n"
        "      - {id: lo, says: \"x is < 2 <link rel=stylesheet href='http://example.com/x.css'>\", rule: x < 2}\n"
        "sources:\n  - {id: S1, title: 'A <i>source</i>', url: 'https://example.com/a?b=1&c=\"2\"'}\n",
        encoding="utf-8")
    result = invoke("check", str(path), "--format", "html")
    assert result.exit_code == 1, result.output
    page = result.stdout
    assert_self_contained(page)
    root = assert_well_formed(page)
    assert root.find_all("title")[0].text() == "Tags <script>alert(1)</script> & co"
    assert "A <img src=x onerror=alert(1)>" in root.by_id("parties").text()
    assert any("x is > 3 <script>bad()</script>" in li.text() for li in root.find_all("li"))
    assert [a.attrs["href"] for a in root.by_id("sources").find_all("a")] == ['https://example.com/a?b=1&c="2"']


@pytest.mark.parametrize("bad", [
    "<script>alert(1)</script>",
    "<script src='x.js'></script>",
    "<link rel='stylesheet' href='https://example.com/a.css'>",
    "<img src='data:image/png;base64,AAAA'>",
    "<div style=\"background: url('https://example.com/a.png')\"></div>",
    "<svg xmlns='http://www.w3.org/2000/svg'><image href='a.png'/></svg>",
    "<iframe></iframe>",
    "<p onclick='go()'>x</p>",
], ids=["script", "script-src", "link", "img", "css-url", "svg-image", "iframe", "handler"])
def test_the_self_containment_check_itself_rejects_external_references(bad):
    page = "<!doctype html><html><head><style>p { color: red }</style></head><body>" + bad + "</body></html>"
    with pytest.raises(AssertionError):
        assert_self_contained(page)


@pytest.mark.parametrize("css", ["@import 'x.css';", "@font-face { font-family: X; src: url(x.woff2) }",
                                 "body { background: URL(x.png) }"])
def test_the_self_containment_check_itself_rejects_fetching_css(css):
    page = f"<!doctype html><html><head><style>{css}</style></head><body><p>x</p></body></html>"
    with pytest.raises(AssertionError):
        assert_self_contained(page)
    assert_self_contained(page.replace(css, "p { color: red }"))


def test_reports_say_when_no_conflict_was_found_in_time():
    scenario = load_scenario(UKRAINE)
    cut = dataclasses.replace(run_check(scenario, relaxations=0), conflicts=(), conflicts_complete=False,
                              disputes=())
    assert "there may be more" in check_markdown(check_report(scenario, cut))
    assert "there may be more" in check_html(check_report(scenario, cut))


@pytest.mark.parametrize("command", ["report", "graph"])
def test_writing_to_a_missing_directory_is_a_user_error(tmp_path: Path, command):
    target = tmp_path / "no such directory" / ("out.html" if command == "report" else "out.dot")
    result = invoke(command, TOY, "-o", str(target))
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr
    assert str(target.parent.name) in result.stderr


def test_html_never_links_a_script_url(tmp_path: Path):
    path = tmp_path / "links.yaml"
    path.write_text(
        "title: Links\nissues:\n  x: {type: int, min: 0, max: 5, description: X.}\n"
        "parties:\n  - party: a\n    red_lines:\n      - {id: hi, says: x is high., rule: x > 3}\n"
        "sources:\n  - {id: S1, title: Click me, url: 'javascript:alert(1)'}\n"
        "  - {id: S2, title: Web, url: 'https://example.com/a'}\n", encoding="utf-8")
    result = invoke("check", str(path), "--format", "html")
    assert result.exit_code == 0, result.output
    root = assert_well_formed(result.stdout)
    hrefs = [a.attrs["href"] for a in root.find_all("a")]
    assert "https://example.com/a" in hrefs
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert "Click me" in root.by_id("sources").text()  # still listed, just not as a link
