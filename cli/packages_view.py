"""`feasible packages` as every format shows it: one view made from the comparison (words from
cli/packages_words.py and cli/words.py), its `json()` the feasible/1 document, and the text, Markdown and HTML
renderers (Markdown and HTML put the packages side by side: issues as rows, packages as columns)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from feasible.positions import Scenario
from feasible.positions.model import Source
from feasible.solver.packages import Judgement, NearestDeal, PackageComparison, PackagesResult

from . import packages_words as pw
from .html_report import escaped as e, page, sources_section
from .markdown import cell as md_cell, sources_markdown
from .presentation import FORMAT, DealView, as_of_shown, dated_line, deal_view, json_fraction, json_value
from .safe import is_web_url, markdown_link_target, terminal_text
from .words import Said, capitalized, issue_label, percent, said, show_value, used_readings_line

JUDGEMENT_ORDER = (Judgement.BROKEN, Judgement.DEPENDS, Judgement.UNDECIDED, Judgement.KEPT)


@dataclass(frozen=True)
class ValueCell:
    issue: str
    value: Any
    shown: str
    says: str | None
    sources: tuple[str, ...]

    def json(self) -> dict[str, Any]:
        return {"value": json_value(self.value), "says": self.says, "sources": list(self.sources)}


@dataclass(frozen=True)
class JudgedRule:
    rule: Said
    kind: str  # "fact", "red line" or "demand"
    judgement: str
    depends_on: tuple[str, ...]  # issue names
    depends_words: str  # "" unless it depends

    def json(self) -> dict[str, Any]:
        return {"rule": self.rule.name, "kind": self.kind, "judgement": self.judgement,
                "depends_on": list(self.depends_on)}


@dataclass(frozen=True)
class ChangeLine:
    issue: str
    label: str
    package: Any
    deal: Any

    @property
    def words(self) -> str:
        return f"{self.label}: {show_value(self.package)} → {show_value(self.deal)}"

    def json(self) -> dict[str, Any]:
        return {"issue": self.issue, "package": json_value(self.package), "deal": json_value(self.deal)}


@dataclass(frozen=True)
class GainLine:
    party: str
    name: str
    package: Any  # Fraction or None (left open by the package, or undecided)
    deal: Any
    missing: str = pw.OPEN_CELL  # what the package's satisfaction is when None: open, or undecided

    @property
    def words(self) -> str:
        return pw.gain_line(self.name, self.package, self.deal, self.missing)

    def json(self) -> dict[str, Any]:
        return {"party": self.party, "package": json_fraction(self.package), "deal": json_fraction(self.deal)}


@dataclass(frozen=True)
class NearestView:
    sentence: str
    deal: DealView
    changes: tuple[ChangeLine, ...]
    gains: tuple[GainLine, ...]
    give_up: tuple[Said, ...]  # no deal in the scenario: the relaxation's red lines, in their words
    cost: int | None
    proved: bool  # proved nearest and best (without a deal: every cheapest relaxation compared)
    not_compared: tuple[tuple[tuple[str, ...], int], ...] = ()  # cheapest relaxations whose deal was not found

    def json(self) -> dict[str, Any]:
        relaxation = None if self.cost is None else {"drop": [s.name for s in self.give_up], "cost": self.cost}
        return {"changed": len(self.changes), "changes": [c.json() for c in self.changes],
                "gains": [g.json() for g in self.gains], "relaxation": relaxation, "proved": self.proved,
                "not_compared": [{"drop": list(drop), "cost": cost} for drop, cost in self.not_compared],
                "deal": self.deal.json()}


@dataclass(frozen=True)
class PackageView:
    name: str
    title: str
    date: str | None
    says: str | None
    sources: tuple[str, ...]
    values: dict[str, ValueCell]  # issue → its value, in the package's order
    rules: tuple[JudgedRule, ...]  # facts, red lines and demands, in the scenario's order
    satisfaction: tuple[tuple[str, str, Any], ...]  # (party id, name, Fraction or None)
    undecided_parties: tuple[str, ...]  # party ids whose satisfaction is None for a demand not judged in time
    nearest: NearestView | None
    nearest_missing: str  # "" when there is a nearest deal
    decided: bool
    admitted: bool | None  # the facts taken together admit the package (None: not decided in time)
    facts_note: str  # "" when they do

    def red_lines(self, judgement: str) -> tuple[JudgedRule, ...]:
        """The red lines with this judgement, and the facts when the package breaks them or they were not judged
        (a fact that holds or depends on open issues says nothing about the package; demands count in the
        satisfaction)."""
        return tuple(r for r in self.rules if r.judgement == judgement and (
            r.kind == "red line" or r.kind == "fact" and judgement in ("broken", "undecided")))

    def satisfaction_cell(self, party: str, satisfaction: Any) -> str:
        """A party's satisfaction in the package: a percentage, or why there is none (open, or undecided)."""
        if satisfaction is not None:
            return percent(satisfaction)
        return pw.UNDECIDED_CELL if party in self.undecided_parties else pw.OPEN_CELL

    @property
    def satisfaction_words(self) -> str:
        if all(s is None for _, _, s in self.satisfaction) and not self.undecided_parties:
            return pw.NO_SATISFACTION_DECIDED
        return ", ".join(f"{name} {self.satisfaction_cell(p, s)}" for p, name, s in self.satisfaction)

    @property
    def cited(self) -> tuple[str, ...]:
        """Every source id the package and its values cite, in the order first cited."""
        return tuple(dict.fromkeys([*self.sources, *(i for v in self.values.values() for i in v.sources)]))

    def json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "date": self.date, "says": self.says,
                "sources": list(self.sources), "values": {i: v.json() for i, v in self.values.items()},
                "rules": [r.json() for r in self.rules],
                "satisfaction": {p: json_fraction(s) for p, _, s in self.satisfaction},
                "nearest": self.nearest.json() if self.nearest else None, "decided": self.decided,
                "admitted": self.admitted}


@dataclass(frozen=True)
class PackagesView:
    title: str
    objective: str
    verdict: str
    heading: str
    verdict_line: str
    issues: tuple[tuple[str, str], ...]  # (name, label) in the scenario's order
    packages: tuple[PackageView, ...]
    relaxations: tuple[tuple[tuple[str, ...], int], ...]  # no deal: the cheapest relaxations compared (drop, cost)
    all_cheapest: bool
    decided: bool
    interrupted: bool
    undecided_note: str  # "" when everything was decided
    readings: tuple[str, ...] = ()  # the readings the packages are compared under (--reading)
    as_of: str | None = None  # the day whose positions they are compared against, when the scenario is dated
    positions_lines: tuple[str, ...] = ()  # which positions, in words: the readings line, the as-of line
    cut_at: int | None = None  # no deal: the bound on the relaxations compared, when it cut the cheapest ones
    facts_conflict: bool = False  # no deal under any relaxation: the facts contradict each other
    sources: tuple[Source, ...] = ()  # the scenario's sources the packages cite, in the scenario's order

    def statements(self) -> tuple[str, ...]:
        """The sentences every format states."""
        found = [*self.positions_lines, self.heading, self.verdict_line, self.undecided_note]
        for package in self.packages:
            found += [package.facts_note, package.nearest.sentence if package.nearest else package.nearest_missing]
        return tuple(s for s in found if s)

    def json(self) -> dict[str, Any]:
        return {"format": FORMAT, "command": "packages", "scenario": self.title,
                **({"readings": list(self.readings)} if self.readings else {}),
                **({"as_of": self.as_of} if self.as_of else {}), "objective": self.objective,
                "verdict": self.verdict, "decided": self.decided, "interrupted": self.interrupted,
                "relaxations": [{"drop": list(drop), "cost": cost} for drop, cost in self.relaxations],
                "all_cheapest_compared": self.all_cheapest, "relaxations_cut_at": self.cut_at,
                "facts_conflict": self.facts_conflict,
                "packages": [p.json() for p in self.packages]}


def packages_view(scenario: Scenario, result: PackagesResult) -> PackagesView:
    packages = tuple(_package_view(scenario, result, compared) for compared in result.packages)
    decided = result.decided
    return PackagesView(
        scenario.title, result.objective.value, result.verdict.value,
        capitalized(pw.packages_heading(len(packages), result.objective.value)),
        capitalized(pw.scenario_verdict(result.verdict.value, len(result.relaxations), result.all_cheapest,
                                        result.interrupted, result.cut_at, result.facts_conflict)),
        tuple((name, issue_label(scenario, name)) for name in scenario.issues), packages,
        tuple((r.drop, r.cost) for r in result.relaxations), result.all_cheapest, decided, result.interrupted,
        "" if decided else pw.undecided_note(result.interrupted), scenario.readings_used, as_of_shown(scenario),
        tuple(line for line in (used_readings_line(scenario), dated_line(scenario)) if line), result.cut_at,
        result.facts_conflict, _cited_sources(scenario, packages))


def _cited_sources(scenario: Scenario, packages: tuple[PackageView, ...]) -> tuple[Source, ...]:
    cited = {i for p in packages for i in p.cited}
    return tuple(s for s in scenario.sources if s.id in cited)


def _package_view(scenario: Scenario, result: PackagesResult, compared: PackageComparison) -> PackageView:
    package = compared.package
    values = {v.issue: ValueCell(v.issue, v.value, show_value(v.value), v.says, v.source_ids)
              for v in package.values}
    rules = tuple(_judged(scenario, j.rule, j.judgement.value, j.depends_on) for j in compared.judgements)
    satisfaction = tuple((p, scenario.party(p).name, s) for p, s in compared.satisfaction.items())
    undecided = {j.rule for j in compared.judgements if j.judgement is Judgement.UNDECIDED}
    undecided_parties = tuple(p for p, s in compared.satisfaction.items()
                              if s is None and any(d.name in undecided for d in scenario.party(p).demands))
    nearest = None if compared.nearest is None else _nearest(scenario, result, compared, compared.nearest,
                                                             undecided_parties)
    missing = "" if nearest else pw.no_nearest(result.verdict.value, result.interrupted, result.facts_conflict)
    return PackageView(package.name, package.title, package.date.isoformat() if package.date else None,
                       package.says, package.source_ids, values, rules, satisfaction, undecided_parties, nearest,
                       missing, compared.decided, compared.admitted, _facts_note(result, compared))


def _facts_note(result: PackagesResult, compared: PackageComparison) -> str:
    """What the facts say of the package, when they do not simply admit it."""
    if compared.admitted is None:
        return pw.FACTS_UNDECIDED
    if compared.admitted:
        return ""
    return pw.FACTS_AGAINST_EACH_OTHER if result.facts_conflict else pw.AGAINST_THE_FACTS


def _judged(scenario: Scenario, name: str, judgement: str, depends: tuple[str, ...]) -> JudgedRule:
    rule = scenario.rule(name)
    words = pw.depends_on([issue_label(scenario, i) for i in depends]) if judgement == "depends" else ""
    return JudgedRule(said(scenario, name), rule.kind.value, judgement, depends if judgement == "depends" else (),
                      words)


def _nearest(scenario: Scenario, result: PackagesResult, compared: PackageComparison,
             nearest: NearestDeal, undecided_parties: tuple[str, ...]) -> NearestView:
    relaxation = nearest.relaxation
    sentence = pw.nearest_sentence(len(nearest.changes), len(compared.package.values), relaxation is not None,
                                   nearest.proved, result.interrupted, len(nearest.not_compared), result.cut_at)
    changes = tuple(ChangeLine(c.issue, issue_label(scenario, c.issue), c.package, c.deal) for c in nearest.changes)
    gains = tuple(GainLine(g.party, scenario.party(g.party).name, g.package, g.deal,
                           pw.UNDECIDED_CELL if g.party in undecided_parties else pw.OPEN_CELL)
                  for g in nearest.gains)
    give_up = tuple(said(scenario, name) for name in relaxation.drop) if relaxation else ()
    return NearestView(sentence, deal_view(scenario, nearest.deal), changes, gains, give_up,
                       relaxation.cost if relaxation else None, nearest.proved,
                       tuple((r.drop, r.cost) for r in nearest.not_compared))


# -- text -------------------------------------------------------------------------------------------------------------

def _quote(item: Said) -> str:
    return f"{item.who}: \u201c{item.says}\u201d ({item.name})"


def packages_text(view: PackagesView) -> str:
    lines = [view.title, *view.positions_lines, f"{view.heading}. {view.verdict_line}."]
    if view.undecided_note:
        lines.append(f"{view.undecided_note}.")
    for package in view.packages:
        lines += ["", _package_heading(package)]
        lines += [_indented(package.says, "  ")] if package.says else []
        lines += _text_package(view, package)
    return "\n".join(terminal_text(line) for line in lines) + "\n"


def _indented(text: str, prefix: str, continued: str | None = None) -> str:
    """Text of several lines (a `says:` written as a block) with each line indented: `prefix` before the first,
    `continued` (default: the same) before the others."""
    first, *rest = text.splitlines() or [""]
    return "\n".join([prefix + first, *((prefix if continued is None else continued) + line for line in rest)])


def _package_heading(package: PackageView) -> str:
    when = f", {package.date}" if package.date else ""
    cited = f" [sources: {', '.join(package.sources)}]" if package.sources else ""
    return f"== {package.name}: {package.title}{when}{cited} =="


def _text_package(view: PackagesView, package: PackageView) -> list[str]:
    labels = dict(view.issues)
    lines = [f"  {pw.values_heading(len(package.values), len(view.issues))}:"]
    for cell in package.values.values():
        note = f" \u2014 \u201c{cell.says}\u201d" if cell.says else ""
        cited = f" [{', '.join(cell.sources)}]" if cell.sources else ""
        lines.append(_indented(f"{labels[cell.issue]}: {cell.shown}{note}{cited}", "    ", "      "))
    lines += [f"  {package.facts_note}."] if package.facts_note else []
    for judgement in JUDGEMENT_ORDER:
        judged = package.red_lines(judgement.value)
        if not judged:
            continue
        lines.append(f"  {pw.judged_heading(judgement.value, len(judged))}:")
        if judgement is not Judgement.KEPT:
            lines += [f"    {_quote(r.rule)}" + (f" \u2014 {r.depends_words}" if r.depends_words else "")
                      for r in judged]
        else:
            lines.append("    " + ", ".join(r.rule.name for r in judged))
    if package.satisfaction:
        lines.append(f"  {pw.SATISFACTION_HEADING}: {package.satisfaction_words}")
    lines += _text_nearest(package)
    return lines


def _text_nearest(package: PackageView) -> list[str]:
    nearest = package.nearest
    if nearest is None:
        return [f"  {package.nearest_missing}."]
    lines = [f"  {nearest.sentence}."]
    if nearest.give_up:
        lines.append(f"    {pw.GIVE_UP_HEADING}, {pw.relaxation_cost(nearest.cost or 0)}:")
        lines += [f"      {_quote(item)}" for item in nearest.give_up]
    if nearest.changes:
        lines.append(f"    {pw.CHANGES_HEADING}:")
        lines += [f"      {c.words}" for c in nearest.changes]
    if nearest.gains:
        lines.append(f"    {pw.GAINS_HEADING}:")
        lines += [f"      {g.words}" for g in nearest.gains]
    lines.append("    The deal: " + "; ".join(f"{line.label}: {line.shown}" for line in nearest.deal.issues))
    return lines


# -- Markdown ---------------------------------------------------------------------------------------------------------

def _grid(view: PackagesView) -> list[list[str]]:
    """The side-by-side table as plain cells: a header row, the issues, then the red lines broken, those that
    depend on open issues, and each party's satisfaction where decided."""
    rows = [["Issue", *(f"{p.title} ({p.name})" for p in view.packages)]]
    for name, label in view.issues:
        rows.append([label, *(p.values[name].shown if name in p.values else pw.NOT_IN_PLAN for p in view.packages)])
    rows.append([pw.ROW_BROKEN, *(_names(p, "broken") for p in view.packages)])
    rows.append([pw.ROW_DEPENDS, *(_names(p, "depends") for p in view.packages)])
    if any(p.red_lines("undecided") for p in view.packages):
        rows.append([pw.ROW_UNDECIDED, *(_names(p, "undecided") for p in view.packages)])
    parties = [(pid, name) for pid, name, _ in view.packages[0].satisfaction] if view.packages else []
    for index, (pid, name) in enumerate(parties):
        rows.append([f"{name}: satisfaction", *(p.satisfaction_cell(pid, p.satisfaction[index][2])
                                                for p in view.packages)])
    rows.append([pw.ROW_CHANGES, *(pw.changes_cell(len(p.nearest.changes), len(p.nearest.give_up), p.nearest.proved)
                                   if p.nearest else "-" for p in view.packages)])
    if any(p.nearest and p.nearest.give_up for p in view.packages):
        rows.append([pw.ROW_GIVEN_UP, *(", ".join(i.name for i in p.nearest.give_up) if p.nearest else "-"
                                        for p in view.packages)])
    return rows


def _names(package: PackageView, judgement: str) -> str:
    """The red lines (and facts) of a package with this judgement, by name; none, or none among those judged."""
    named = ", ".join(r.rule.name for r in package.red_lines(judgement))
    return named or (pw.NONE_AMONG_JUDGED if judgement != "undecided" and package.red_lines("undecided") else "none")


def _deal_grid(package: PackageView) -> list[list[str]]:
    """The nearest deal beside the package: each issue's value in the package (or open), in the deal, and whether
    the deal changes it."""
    assert package.nearest is not None
    rows = [list(pw.DEAL_TABLE_HEADINGS)]
    for line in package.nearest.deal.issues:
        cell = package.values.get(line.name)
        changed = cell is not None and cell.value != line.value
        rows.append([line.label, cell.shown if cell else pw.NOT_IN_PLAN, line.shown, pw.CHANGED if changed else ""])
    return rows


def packages_markdown(view: PackagesView) -> str:
    lines = [f"# {md_cell(view.title)}", ""]
    lines += [line for text in view.positions_lines for line in (md_cell(text), "")]
    lines += [f"{md_cell(view.heading)}. {md_cell(view.verdict_line)}.", ""]
    if view.undecided_note:
        lines += [f"**{md_cell(view.undecided_note)}.**", ""]
    grid = _grid(view)
    lines.append("| " + " | ".join(md_cell(c) for c in grid[0]) + " |")
    lines.append("|" + "---|" * len(grid[0]))
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in grid[1:]]
    by_id = {source.id: source for source in view.sources}
    for package in view.packages:
        lines += ["", f"## {md_cell(package.title)} (`{package.name}`)", ""]
        lines += [md_cell(package.says), ""] if package.says else []
        lines += [pw.sources_line([_md_cited(i, by_id) for i in package.sources]), ""] if package.sources else []
        lines += [f"**{pw.VALUES_HEADING}**"] + [f"- {_md_value(view, cell, by_id)}"
                                                  for cell in package.values.values()] + [""]
        lines += [f"**{md_cell(package.facts_note)}.**", ""] if package.facts_note else []
        for judgement in (Judgement.BROKEN, Judgement.DEPENDS, Judgement.UNDECIDED):
            judged = package.red_lines(judgement.value)
            if judged:
                lines.append(f"**{md_cell(pw.judged_heading(judgement.value, len(judged)))}**")
                lines += [f"- **{md_cell(r.rule.who)}**: \u201c{md_cell(r.rule.says)}\u201d (`{r.rule.name}`)"
                          + (f" \u2014 {md_cell(r.depends_words)}" if r.depends_words else "") for r in judged]
                lines.append("")
        nearest = package.nearest
        if nearest is None:
            lines.append(f"{md_cell(package.nearest_missing)}.")
            continue
        lines.append(f"{md_cell(nearest.sentence)}.")
        if nearest.give_up:
            lines += ["", f"**{md_cell(pw.GIVE_UP_HEADING)}, {pw.relaxation_cost(nearest.cost or 0)}**"]
            lines += [f"- **{md_cell(i.who)}**: \u201c{md_cell(i.says)}\u201d (`{i.name}`)" for i in nearest.give_up]
        if nearest.changes:
            lines += ["", f"**{md_cell(pw.CHANGES_HEADING)}**"] + [f"- {md_cell(c.words)}" for c in nearest.changes]
        if nearest.gains:
            lines += ["", f"**{md_cell(pw.GAINS_HEADING)}**"] + [f"- {md_cell(g.words)}" for g in nearest.gains]
        grid = _deal_grid(package)
        lines += ["", "| " + " | ".join(md_cell(c) for c in grid[0]) + " |", "|" + "---|" * len(grid[0])]
        lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in grid[1:]]
    lines += [""] + sources_markdown(view.sources) if view.sources else []
    return "\n".join(lines).rstrip() + "\n"


def _md_cited(source_id: str, by_id: dict[str, Source]) -> str:
    """A source id, a link to its address when that is a web address (its title is in the list at the end)."""
    source = by_id.get(source_id)
    if source is not None and is_web_url(source.url):
        return f"[{md_cell(source_id)}](<{markdown_link_target(source.url)}>)"
    return md_cell(source_id)


def _md_value(view: PackagesView, cell: ValueCell, by_id: dict[str, Source]) -> str:
    """One of a package's values with its words (a judgement the file states says so there) and its sources."""
    says = f" \u2014 \u201c{md_cell(cell.says)}\u201d" if cell.says else ""
    cited = f" \u2014 {pw.sources_line([_md_cited(i, by_id) for i in cell.sources])}" if cell.sources else ""
    return f"{md_cell(dict(view.issues)[cell.issue])}: {md_cell(cell.shown)}{says}{cited}"


# -- HTML -------------------------------------------------------------------------------------------------------------

def packages_html(view: PackagesView) -> str:
    grid = _grid(view)
    body = [f"<header><h1>{e(view.title)}</h1>",
            *(f"<p class='summary'>{e(text)}</p>" for text in view.positions_lines),
            f"<p class='summary'>{e(view.heading)}.</p>",
            f"<p class='verdict verdict-{e(view.verdict)}'>{e(view.verdict_line)}.</p>"]
    if view.undecided_note:
        body.append(f"<p class='incomplete'>{e(view.undecided_note)}.</p>")
    body.append("</header><section id='side-by-side'><h2>Side by side</h2><table>")
    body.append("<tr>" + "".join(f"<th>{e(c)}</th>" for c in grid[0]) + "</tr>")
    notes = [[""] + [_value_note(p.values.get(name)) for p in view.packages] for name, _ in view.issues]
    body += ["<tr>" + "".join(f"<td title='{e(note)}'>{e(c)}</td>" if note else f"<td>{e(c)}</td>"
                              for c, note in zip(row, notes[index] if index < len(notes) else [""] * len(row)))
             + "</tr>" for index, row in enumerate(grid[1:])]
    body.append("</table></section>")
    anchors = {source.id: index for index, source in enumerate(view.sources, 1)}
    for package in view.packages:
        body.append(f"<section id='package-{e(package.name)}'><h2>{e(package.title)} <code>{e(package.name)}</code>"
                    "</h2>")
        body.append(f"<p>{e(package.says)}</p>" if package.says else "")
        body.append(f"<p class='cite'>{pw.sources_line([_html_cited(i, view, anchors) for i in package.sources])}"
                    "</p>" if package.sources else "")
        body.append(f"<h3>{e(pw.VALUES_HEADING)}</h3><ul>")
        body += [f"<li>{e(dict(view.issues)[cell.issue])}: {e(cell.shown)}"
                 + (f" \u2014 \u201c{e(cell.says)}\u201d" if cell.says else "")
                 + (f" \u2014 {pw.sources_line([_html_cited(i, view, anchors) for i in cell.sources])}"
                    if cell.sources else "") + "</li>" for cell in package.values.values()]
        body.append("</ul>")
        body.append(f"<p class='incomplete'>{e(package.facts_note)}.</p>" if package.facts_note else "")
        for judgement in (Judgement.BROKEN, Judgement.DEPENDS, Judgement.UNDECIDED):
            judged = package.red_lines(judgement.value)
            if judged:
                body.append(f"<h3>{e(pw.judged_heading(judgement.value, len(judged)))}</h3><ul>")
                body += [f"<li><span class='who'>{e(r.rule.who)}</span>: \u201c{e(r.rule.says)}\u201d "
                         f"<code>{e(r.rule.name)}</code>"
                         + (f" \u2014 {e(r.depends_words)}" if r.depends_words else "") + "</li>" for r in judged]
                body.append("</ul>")
        nearest = package.nearest
        if nearest is None:
            body.append(f"<p>{e(package.nearest_missing)}.</p></section>")
            continue
        body.append(f"<p><b>{e(nearest.sentence)}.</b></p>")
        if nearest.give_up:
            body.append(f"<h3>{e(pw.GIVE_UP_HEADING)}, {e(pw.relaxation_cost(nearest.cost or 0))}</h3><ul>")
            body += [f"<li><span class='who'>{e(i.who)}</span>: \u201c{e(i.says)}\u201d <code>{e(i.name)}</code>"
                     "</li>" for i in nearest.give_up]
            body.append("</ul>")
        if nearest.changes:
            body.append(f"<h3>{e(pw.CHANGES_HEADING)}</h3><ul>")
            body += [f"<li>{e(c.words)}</li>" for c in nearest.changes]
            body.append("</ul>")
        if nearest.gains:
            body.append(f"<h3>{e(pw.GAINS_HEADING)}</h3><ul>")
            body += [f"<li>{e(g.words)}</li>" for g in nearest.gains]
            body.append("</ul>")
        grid = _deal_grid(package)
        body.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in grid[0]) + "</tr>")
        body += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in grid[1:]]
        body.append("</table>")
        body.append("</section>")
    body.append(sources_section(view.sources))
    return page(view.title, body)


def _value_note(cell: ValueCell | None) -> str:
    """What a package says of a value and its sources, for the value's cell in the side-by-side table."""
    if cell is None:
        return ""
    cited = pw.sources_line(cell.sources) if cell.sources else ""
    return " \u2014 ".join(part for part in (cell.says and f"\u201c{cell.says}\u201d", cited) if part)


def _html_cited(source_id: str, view: PackagesView, anchors: dict[str, int]) -> str:
    """A source id, linked to its entry in the list of sources (its title and date as the link's title)."""
    source = next((s for s in view.sources if s.id == source_id), None)
    if source is None:
        return e(source_id)
    when = f" ({source.date})" if source.date else ""
    return f"<a class='cite' href='#source-{anchors[source_id]}' title='{e(source.title + when)}'>{e(source_id)}</a>"
