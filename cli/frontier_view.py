"""`feasible frontier` and `feasible tradeoffs` as every format shows them: one view each (FrontierView,
TradeoffsView) made from the scenario and the answers of solver/frontier.py and solver/tradeoffs.py, every
statement worded by cli/frontier_words.py when it is built; their `json()` are the feasible/1 documents. The text,
Markdown and HTML renderers below only lay them out; Markdown and HTML carry the picture of cli/frontier_plot.py.

Without a deal both say so with check's conflicts, then answer under the cheapest relaxation, headed with the red
lines it gives up (that is how a scenario without a deal still gets a frontier)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from feasible.positions import Scenario, UserError
from feasible.positions.kinds import IntType, issue_type
from feasible.solver.frontier import Frontier, FrontierPoint, FrontierStatus
from feasible.solver.tradeoffs import FrontierAnswer, NoDeal, Tradeoffs

from . import frontier_words as fw
from .frontier_plot import Plot, frontier_svg
from .html_report import escaped as e, page, rules_html
from .markdown import cell as md_cell, rules_markdown
from .presentation import (FORMAT, ConflictView, EditView, as_of_shown, asked, conflict_view, dated_line,
                           edit_views, given_up, json_value)
from .report import Hanging, rules_text
from .safe import terminal_text
from .words import issue_label, show_value, standing, used_readings_line


def parties_named(given: str | None) -> tuple[str, ...] | None:
    """The party ids of `--parties A,B` (None without it); the scenario refuses unknown ones (solver/utility.py)."""
    if given is None:
        return None
    ids = tuple(part.strip() for part in given.split(","))
    if not given.strip() or any(not part for part in ids):
        raise UserError(f"--parties '{given}': party ids separated by commas, none empty",
                        hint="e.g. --parties ukraine,russia")
    for party in ids:
        if ids.count(party) > 1:
            raise UserError(f"--parties '{given}': '{party}' is named twice", hint="name each party once")
    return ids


def fraction_text(value: Fraction | None) -> str | None:
    """An exact utility in JSON: 'P/Q' (or 'P'), beside its rounded decimal."""
    return None if value is None else str(value)


def _utilities_json(ids: Sequence[str], values: Sequence[Fraction | None]) -> dict[str, Any]:
    return {"utilities": {p: fw.decimal(v) if v is not None else None for p, v in zip(ids, values)},
            "exact": {p: fraction_text(v) for p, v in zip(ids, values)}}


def _deal_json(deal) -> dict[str, Any]:
    return {name: json_value(value) for name, value in deal.items()}


# -- the model --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PartyRow:
    id: str
    name: str
    source: str  # utility block | demand satisfaction
    line: str
    disagreement: Fraction
    ideal: Fraction | None

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "source": self.source,
                "disagreement": fw.decimal(self.disagreement), "disagreement_exact": fraction_text(self.disagreement),
                "ideal": fw.decimal(self.ideal) if self.ideal is not None else None,
                "ideal_exact": fraction_text(self.ideal)}


@dataclass(frozen=True)
class PointRow:
    utilities: tuple[Fraction, ...]
    shown: tuple[str, ...]
    marks: tuple[str, ...]  # the bargaining points at this point (short labels)
    deal: dict[str, Any]

    def json(self, ids: Sequence[str]) -> dict[str, Any]:
        return {**_utilities_json(ids, self.utilities), "deal": _deal_json(self.deal)}


@dataclass(frozen=True)
class SolutionRow:
    solution: str
    line: str
    utilities: tuple[Fraction, ...] | None
    deal: tuple[tuple[str, str], ...]  # (issue label, value shown)
    raw_deal: dict[str, Any] | None
    ties: int
    exact: bool
    reason: str | None
    ties_exact: bool = True  # False: `ties` counted on a cut frontier, a lower bound
    same_as: str | None = None  # at the same point as this earlier bargaining point: its deal is not repeated
    differs_from: str | None = None  # `deal` lists only the issues whose values differ from this point's deal

    def json(self, ids: Sequence[str]) -> dict[str, Any]:
        found = self.utilities is not None
        return {"solution": self.solution,
                **(_utilities_json(ids, self.utilities) if self.utilities is not None else
                   {"utilities": None, "exact": None}),
                "deal": _deal_json(self.raw_deal) if found and self.raw_deal is not None else None,
                "ties": self.ties, "ties_exact": self.ties_exact, "exact_point": self.exact, "reason": self.reason}


@dataclass(frozen=True)
class FrontierPanel:
    """One frontier as shown: the one asked for, or the one under the cheapest relaxation."""

    parties: tuple[PartyRow, ...]
    status: str
    status_line: str
    disagreement_line: str
    ideal_line: str | None
    points: tuple[PointRow, ...]
    solutions: tuple[SolutionRow, ...]
    plot: Plot | None
    solves: int

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parties)

    @property
    def statements(self) -> tuple[str, ...]:
        return (*(p.line for p in self.parties), self.status_line, self.disagreement_line,
                *((self.ideal_line,) if self.ideal_line else ()), *(s.line for s in self.solutions))

    def json(self) -> dict[str, Any]:
        return {"parties": [p.json() for p in self.parties], "status": self.status,
                "complete": self.status == FrontierStatus.COMPLETE.value,
                "points": [p.json(self.ids) for p in self.points],
                "bargaining": [s.json(self.ids) for s in self.solutions], "solves": self.solves}


@dataclass(frozen=True)
class NoDealView:
    """No deal every party accepts: check's conflicts, and the relaxation the answer is given under."""

    conflicts_line: str
    conflicts: tuple[ConflictView, ...]
    relaxed_heading: str | None  # "If X gives up … and Y gives up …": what follows is under that relaxation
    no_relaxation: str | None  # none found: why
    drop: tuple[str, ...]
    cost: int | None

    @property
    def statements(self) -> tuple[str, ...]:
        found = [fw.NO_DEAL_LINE, self.conflicts_line,
                 *(c.summary for c in self.conflicts), self.relaxed_heading, self.no_relaxation]
        return tuple(s for s in found if s)

    def json(self) -> dict[str, Any]:
        return {"conflicts": [c.json() for c in self.conflicts],
                "relaxation": {"drop": list(self.drop), "cost": self.cost} if self.drop else None}


@dataclass(frozen=True)
class FrontierView:
    title: str
    positions_lines: tuple[str, ...]  # the readings, the day, the edits
    projected: str | None  # --parties
    left_out: str | None  # parties without a utility
    no_deal: NoDealView | None
    panel: FrontierPanel | None
    interrupted: bool
    picture_caption: str | None  # with exactly two parties: what the picture shows
    no_picture_line: str | None = None  # with more: how to get a picture (--parties A,B)
    picture_file: str | None = None  # -o: where the picture was written
    readings: tuple[str, ...] = ()
    as_of: str | None = None
    edits: tuple[EditView, ...] = ()

    @property
    def verdict(self) -> str:
        if self.no_deal is not None:
            return "no-deal"
        return "unknown" if self.panel is None or (not self.panel.points and self.panel.status != "no deal") \
            else "deal"

    @property
    def statements(self) -> tuple[str, ...]:
        found = [*self.positions_lines, self.projected, self.left_out,
                 *(self.no_deal.statements if self.no_deal else ()),
                 *((fw.SCALE_LINE,) if self.panel else ()),
                 *(self.panel.statements if self.panel else ()), self.picture_caption, self.no_picture_line]
        return tuple(s for s in found if s)

    @property
    def no_picture(self) -> str | None:
        """Why there is no picture to write (-o), if there is none."""
        if self.panel is None:
            return fw.NO_PICTURE_FILE
        if self.panel.plot is None:
            return self.no_picture_line or fw.PICTURE_NEEDS_TWO
        return None

    def svg(self) -> str | None:
        return frontier_svg(self.panel.plot) if self.panel is not None and self.panel.plot is not None else None

    def json(self) -> dict[str, Any]:
        return {"format": FORMAT, "command": "frontier", "scenario": self.title,
                **({"readings": list(self.readings)} if self.readings else {}),
                **({"as_of": self.as_of} if self.as_of else {}),
                **({"edits": [edit.json() for edit in self.edits]} if self.edits else {}),
                "verdict": self.verdict, "no_deal": self.no_deal.json() if self.no_deal else None,
                "frontier": self.panel.json() if self.panel else None,
                # the picture: what it shows (two parties), where -o wrote it, else how to get one (--parties A,B)
                "picture": {"caption": self.picture_caption, "file": self.picture_file, "note": self.no_picture_line},
                "scale": fw.SCALE_LINE, "interrupted": self.interrupted}


def frontier_view(scenario: Scenario, answer: FrontierAnswer, parties: Sequence[str] | None = None,
                  applied=(), limit: int | None = None) -> FrontierView:
    shown = answer.shown
    panel = frontier_panel(scenario, shown, limit) if shown is not None else None
    no_deal = no_deal_view(scenario, answer.no_deal) if answer.no_deal is not None else None
    counted = {pu.party for pu in answer.asked.parties}
    without = [p.name for p in scenario.parties
               if p.id not in counted and p.utility is None and not p.demands] if parties is None else []
    relaxed = no_deal.relaxed_heading if no_deal is not None else None
    if panel is not None and panel.plot is not None:
        panel = replace(panel, plot=replace(panel.plot, caption=fw.picture_caption(
            panel.parties[0].name, panel.parties[1].name, relaxed)))
    caption = panel.plot.caption if panel is not None and panel.plot is not None else None
    # more than two parties: no projection on two of them is drawn (it would mislead), only how to get one
    more = fw.picture_needs_parties(len(panel.parties), panel.ids) \
        if panel is not None and len(panel.parties) > 2 and panel.points else None
    lines, edits = _positions(scenario, applied)
    return FrontierView(
        title=scenario.title, positions_lines=lines,
        projected=fw.projected_line([scenario.party(p).name for p in parties]) if parties else None,
        left_out=fw.left_out_line(without) if without else None, no_deal=no_deal, panel=panel,
        interrupted=answer.interrupted, picture_caption=caption, no_picture_line=more,
        readings=scenario.readings_used,
        as_of=as_of_shown(scenario), edits=edits)


def _positions(scenario: Scenario, applied) -> tuple[tuple[str, ...], tuple[EditView, ...]]:
    """Which positions the answer is for (the readings, the day, the what-if edits), and the edits."""
    edits = edit_views(applied)
    lines = (used_readings_line(scenario), dated_line(scenario), f"{standing(asked(edits))}." if edits else None)
    return tuple(line for line in lines if line), edits


def frontier_panel(scenario: Scenario, found: Frontier, limit: int | None = None) -> FrontierPanel:
    names = [scenario.party(pu.party).name for pu in found.parties]
    ideal = found.ideal or (None,) * len(found.parties)
    rows = tuple(PartyRow(pu.party, name, pu.source.value, fw.source_line(name, pu.source.value), d, i)
                 for pu, name, d, i in zip(found.parties, names, found.disagreement, ideal))
    marks: dict[tuple[int, ...], list[str]] = {}
    for b in found.bargaining:
        if b.point is not None:
            marks.setdefault(b.point.scaled, []).append(fw.SOLUTION_SHORT[b.solution.value])
    points = tuple(PointRow(p.utilities, tuple(fw.decimal(u) for u in p.utilities), tuple(marks.get(p.scaled, ())),
                            dict(p.deal)) for p in found.points)
    solutions = _solution_rows(scenario, found, names)
    return FrontierPanel(
        parties=rows, status=found.status.value, status_line=fw.status_line(found.status.value, len(points), limit),
        disagreement_line=f"{fw.DISAGREEMENT_LINE}: "
                          f"{fw.values_line(names, [fw.decimal(d) for d in found.disagreement])}",
        ideal_line=f"{fw.IDEAL_LINE}: {fw.values_line(names, [fw.decimal(i) for i in found.ideal])}"
        if found.ideal is not None else None,
        points=points, solutions=solutions, plot=_plot(found, names, [p.source for p in rows]), solves=found.solves)


def _solution_rows(scenario: Scenario, found: Frontier, names: Sequence[str]) -> tuple[SolutionRow, ...]:
    """Each bargaining point; one at the same frontier point as an earlier one names it instead of its deal."""
    rows: list[SolutionRow] = []
    first_at: dict[tuple[int, ...], str] = {}
    shown: SolutionRow | None = None  # the first whose deal is shown whole: the others' are shown against it
    for b in found.bargaining:
        row = _solution_row(scenario, b, names)
        if b.point is not None:
            name = fw.SOLUTION_NAMES[b.solution.value]
            earlier = first_at.setdefault(b.point.scaled, name)
            if earlier != name:
                row = replace(row, deal=(), same_as=earlier)
            elif shown is None:
                shown = row
            else:
                row = replace(row, deal=tuple(line for line in row.deal if line not in shown.deal),
                              differs_from=fw.SOLUTION_NAMES[shown.solution])
        rows.append(row)
    return tuple(rows)


def _solution_row(scenario: Scenario, b, names: Sequence[str]) -> SolutionRow:
    point: FrontierPoint | None = b.point
    values = fw.values_line(names, [fw.decimal(u) for u in point.utilities]) if point is not None else None
    deal = tuple((issue_label(scenario, issue), show_value(value)) for issue, value in point.deal.items()) \
        if point is not None else ()
    return SolutionRow(b.solution.value, fw.solution_line(b.solution.value, values, b.ties, b.exact, b.reason,
                                                          b.ties_exact),
                       point.utilities if point is not None else None, deal,
                       dict(point.deal) if point is not None else None, b.ties, b.exact, b.reason, b.ties_exact)


def _plot(found: Frontier, names: Sequence[str], sources: Sequence[str]) -> Plot | None:
    """The two parties' utilities; none for one party, or for more than two (a projection on two of them shows
    points that a third party's utility keeps on the frontier as if they were dominated)."""
    if len(found.parties) != 2 or not found.points:
        return None
    marks = tuple((fw.SOLUTION_SHORT[b.solution.value], b.point.utilities[0], b.point.utilities[1])
                  for b in found.bargaining if b.point is not None)
    return Plot(names[0], names[1], tuple((p.utilities[0], p.utilities[1]) for p in found.points),
                (found.disagreement[0], found.disagreement[1]), marks, fw.picture_caption(names[0], names[1]),
                fw.axis_label(names[0], sources[0]), fw.axis_label(names[1], sources[1]))


def no_deal_view(scenario: Scenario, no_deal: NoDeal) -> NoDealView:
    result = no_deal.check
    conflicts = tuple(conflict_view(scenario, c.red_lines, c.facts) for c in result.conflicts)
    relaxation = no_deal.relaxation
    heading = None
    if relaxation is not None:
        tied = result.cheapest_relaxation_count or sum(r.cost == relaxation.cost for r in result.relaxations)
        heading = fw.relaxed_heading([(g.who, [r.name for r in g.red_lines])
                                      for g in given_up(scenario, relaxation.drop)], relaxation.cost, tied)
    # (the frontier proved there is no deal; check, given the time left, may not have)
    facts_alone = result.verdict.value == "no-deal" and result.relaxations_complete and not result.relaxations
    return NoDealView(
        conflicts_line=fw.conflicts_line(len(conflicts), result.conflicts_complete), conflicts=conflicts,
        relaxed_heading=heading,
        no_relaxation=fw.no_relaxation_line(result.interrupted, facts_alone) if relaxation is None else None,
        drop=tuple(relaxation.drop) if relaxation else (), cost=relaxation.cost if relaxation else None)


# -- text -------------------------------------------------------------------------------------------------------------

def _line(text: str, style: str = "", indent: str = "") -> Hanging:
    return Hanging(indent, Text(text, style=style))


def _heading(text: str) -> list[RenderableType]:
    return [Text(""), _line(text, "bold underline")]


def _table_text(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[RenderableType]:
    """Columns as wide as their widest cell as the terminal shows it: made terminal-safe (a name's escape sequence
    is removed before printing, so it must not count) and measured in terminal cells."""
    header, rows = [terminal_text(h) for h in header], [[terminal_text(c) for c in r] for r in rows]
    widths = [max(cell_len(h), *(cell_len(r[n]) for r in rows)) if rows else cell_len(h)
              for n, h in enumerate(header)]

    def lay(cells: Sequence[str]) -> str:
        return indent + "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths)).rstrip()
    return [Text(lay(header), style="bold"), *(Text(lay(r)) for r in rows)]


def _no_deal_text(no_deal: NoDealView) -> list[RenderableType]:
    parts: list[RenderableType] = [_line(fw.NO_DEAL_LINE + ".", "bold red")]
    if no_deal.conflicts:
        parts += [Text(""), _line(no_deal.conflicts_line, "bold")]
    for n, conflict in enumerate(no_deal.conflicts, 1):
        parts += [Text(""), Hanging(f"{n}. ", Text(conflict.summary)), *rules_text(conflict.rules, "  ")]
    if no_deal.no_relaxation:
        parts += [Text(""), _line(no_deal.no_relaxation + ".", "yellow")]
    if no_deal.relaxed_heading:
        parts += [Text(""), _line(no_deal.relaxed_heading + ":", "bold")]
    return parts


def _panel_text(panel: FrontierPanel) -> list[RenderableType]:
    parts: list[RenderableType] = [_line(f"{fw.PARTIES_HEADING}:", "bold")]
    parts += [_line(p.line, indent="  ") for p in panel.parties]
    parts += [_line(fw.SCALE_LINE + ".")]
    parts += [_line(panel.disagreement_line + "."), *([_line(panel.ideal_line + ".")] if panel.ideal_line else [])]
    parts += _heading(fw.FRONTIER_HEADING)
    parts.append(_line(panel.status_line + ".", "" if panel.status == "complete" else "yellow"))
    if panel.points:
        header = ["#", *(p.name for p in panel.parties), fw.BARGAINING_HEADING.lower()]
        rows = [[str(n), *point.shown, ", ".join(point.marks)] for n, point in enumerate(panel.points, 1)]
        parts += _table_text(header, rows)
    parts += _heading(fw.BARGAINING_HEADING)
    for s in panel.solutions:
        parts.append(_line(s.line + ".", indent="  "))
        parts += [_line(fw.differing_deal(s.differs_from) + ":", indent="      ")] if s.differs_from else []
        parts += [_line(f"{label}: {value}", indent="      ") for label, value in s.deal]
        parts += [_line(fw.same_deal(s.same_as) + ".", indent="      ")] if s.same_as else []
    return parts


def frontier_text(view: FrontierView) -> Group:
    parts: list[RenderableType] = [_line(view.title, "bold")]
    parts += [_line(line) for line in view.positions_lines]
    parts += [_line(s + ".") for s in (view.projected, view.left_out) if s]
    if view.no_deal is not None:
        parts += _no_deal_text(view.no_deal)
    if view.panel is not None:
        parts += _panel_text(view.panel)
    parts.append(Text(""))
    parts.append(_line(fw.PRECISION_LINE))
    if view.picture_caption:
        parts.append(_line(fw.picture_how(view.picture_caption, view.picture_file) + "."))
    if view.no_picture_line:
        parts.append(_line(view.no_picture_line + "."))
    return Group(*parts)


# -- Markdown ---------------------------------------------------------------------------------------------------------

def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return ["| " + " | ".join(md_cell(h) for h in header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows)]


def _md_no_deal(no_deal: NoDealView) -> list[str]:
    out = ["", f"**{md_cell(fw.NO_DEAL_LINE)}.**"]
    if no_deal.conflicts:
        out += ["", f"**{md_cell(no_deal.conflicts_line)}**"]
    for n, conflict in enumerate(no_deal.conflicts, 1):
        out += ["", f"{n}. {md_cell(conflict.summary)}", "", *rules_markdown(conflict.rules)]
    if no_deal.no_relaxation:
        out += ["", f"> {md_cell(no_deal.no_relaxation)}."]
    if no_deal.relaxed_heading:
        out += ["", f"## {md_cell(no_deal.relaxed_heading)}"]
    return out


def _md_panel(panel: FrontierPanel, svg: str | None, caption: str | None) -> list[str]:
    out = ["", f"**{fw.PARTIES_HEADING}**", "", *(f"- {md_cell(p.line)}" for p in panel.parties), "",
           f"{md_cell(fw.SCALE_LINE)}.", "", f"{md_cell(panel.disagreement_line)}.", ""]
    out += [f"{md_cell(panel.ideal_line)}.", ""] if panel.ideal_line else []
    if svg is not None and caption:
        out += [f"### {fw.PICTURE_HEADING}", "", md_cell(caption) + ".", "", svg, ""]
    out += [f"### {md_cell(fw.FRONTIER_HEADING)}", "", f"{md_cell(panel.status_line)}.", ""]
    if panel.points:
        out += _md_table(["#", *(p.name for p in panel.parties), fw.BARGAINING_HEADING.lower()],
                         [[str(n), *pt.shown, ", ".join(pt.marks)] for n, pt in enumerate(panel.points, 1)])
    out += ["", f"### {fw.BARGAINING_HEADING}", ""]
    for s in panel.solutions:
        out.append(f"- {md_cell(s.line)}.")
        out += [f"  - {md_cell(fw.differing_deal(s.differs_from))}:"] if s.differs_from else []
        out += [f"  - {md_cell(label)}: {md_cell(value)}" for label, value in s.deal]
        out += [f"  - {md_cell(fw.same_deal(s.same_as))}."] if s.same_as else []
    return out


def frontier_markdown(view: FrontierView) -> str:
    out = [f"# {md_cell(view.title)}: the frontier", ""]
    out += [line for text in view.positions_lines for line in (md_cell(text), "")]
    out += [line for text in (view.projected, view.left_out) if text for line in (f"{md_cell(text)}.", "")]
    if view.no_deal is not None:
        out += _md_no_deal(view.no_deal)
    if view.panel is not None:
        out += _md_panel(view.panel, view.svg(), view.picture_caption)
    out += [f"> {md_cell(view.no_picture_line)}.", ""] if view.no_picture_line else []
    out += ["", fw.PRECISION_LINE]
    return "\n".join(out).rstrip() + "\n"


# -- HTML -------------------------------------------------------------------------------------------------------------

def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows) + "</table>")


def _html_no_deal(no_deal: NoDealView) -> list[str]:
    body = [f"<p class='verdict verdict-no-deal'>{e(fw.NO_DEAL_LINE)}.</p>"]
    if no_deal.conflicts:
        body.append(f"<h2>{e(no_deal.conflicts_line)}</h2>")
    body += [f"<div class='conflict'><p><b>{n}.</b> {e(c.summary)}</p>{rules_html(c.rules, {})}</div>"
             for n, c in enumerate(no_deal.conflicts, 1)]
    if no_deal.no_relaxation:
        body.append(f"<p class='incomplete'>{e(no_deal.no_relaxation)}.</p>")
    if no_deal.relaxed_heading:
        body.append(f"<h2 id='relaxed'>{e(no_deal.relaxed_heading)}</h2>")
    return body


def _html_panel(panel: FrontierPanel, svg: str | None, caption: str | None) -> list[str]:
    body = [f"<section id='parties'><h2>{fw.PARTIES_HEADING}</h2><ul>"
            + "".join(f"<li>{e(p.line)}</li>" for p in panel.parties) + "</ul>"
            f"<p>{e(fw.SCALE_LINE)}.</p><p>{e(panel.disagreement_line)}.</p>"
            + (f"<p>{e(panel.ideal_line)}.</p>" if panel.ideal_line else "") + "</section>"]
    if svg is not None and caption:
        body.append(f"<section id='picture'><h2>{fw.PICTURE_HEADING}</h2><p>{e(caption)}.</p>"
                    f"<div class='picture'>{svg}</div></section>")
    body.append(f"<section id='bargaining'><h2>{fw.BARGAINING_HEADING}</h2><ul>"
                + "".join(f"<li>{e(s.line)}."
                          + (f"<p>{e(fw.differing_deal(s.differs_from))}:</p>" if s.differs_from else "")
                          + ("<ul>" + "".join(f"<li>{e(label)}: {e(value)}</li>" for label, value in s.deal)
                             + "</ul>" if s.deal else "")
                          + (f"<ul><li>{e(fw.same_deal(s.same_as))}.</li></ul>" if s.same_as else "") + "</li>"
                          for s in panel.solutions) + "</ul></section>")
    body.append(f"<section id='frontier'><h2>{e(fw.FRONTIER_HEADING)}</h2><p>{e(panel.status_line)}.</p>")
    if panel.points:
        body.append(_html_table(["#", *(p.name for p in panel.parties), fw.BARGAINING_HEADING.lower()],
                                [[str(n), *pt.shown, ", ".join(pt.marks)] for n, pt in enumerate(panel.points, 1)]))
    body.append("</section>")
    return body


def frontier_html(view: FrontierView) -> str:
    return page(f"{view.title}: the frontier", frontier_body(view))


def frontier_body(view: FrontierView) -> list[str]:
    """The page's parts without the page (a notebook shows them in its own)."""
    body = [f"<header><h1>{e(view.title)}: the frontier</h1>",
            *(f"<p class='summary'>{e(text)}</p>" for text in view.positions_lines),
            *(f"<p class='summary'>{e(text)}.</p>" for text in (view.projected, view.left_out) if text),
            "</header>"]
    if view.no_deal is not None:
        body += _html_no_deal(view.no_deal)
    if view.panel is not None:
        body += _html_panel(view.panel, view.svg(), view.picture_caption)
    if view.no_picture_line:
        body.append(f"<p class='incomplete'>{e(view.no_picture_line)}.</p>")
    body.append(f"<p class='muted'>{e(fw.PRECISION_LINE)}</p>")
    return body


# -- tradeoffs --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OptionRow:
    value: Any
    shown: str
    best: tuple[str, ...]
    point: tuple[str, ...] | None
    solution: str | None
    line: str  # what moving to this value does, or that no deal has it
    exact: bool
    best_exact: tuple[Fraction | None, ...]
    point_exact: tuple[Fraction, ...] | None
    deal: dict[str, Any] | None

    def json(self, ids: Sequence[str]) -> dict[str, Any]:
        return {"value": json_value(self.value), "best": _utilities_json(ids, self.best_exact),
                "point": {**_utilities_json(ids, self.point_exact), "solution": self.solution,
                          "deal": _deal_json(self.deal) if self.deal is not None else None}
                if self.point_exact is not None else None,
                "sentence": self.line, "exact": self.exact}


@dataclass(frozen=True)
class GroupRow:
    """Consecutive values of the issue that lead to the same: one row and one sentence."""

    values: tuple[Any, ...]
    shown: str
    best: tuple[str, ...]
    point: tuple[str, ...] | None
    solution: str | None
    line: str
    exact: bool = True  # False: the time limit cut these values' frontiers (the table's "cut" mark)

    def json(self) -> dict[str, Any]:
        return {"values": [json_value(v) for v in self.values], "sentence": self.line, "exact": self.exact}


@dataclass(frozen=True)
class TradeoffsView:
    title: str
    positions_lines: tuple[str, ...]
    issue: str
    label: str
    heading: str
    parties: tuple[str, ...]  # ids
    names: tuple[str, ...]
    sources: tuple[str, ...]  # per party: where its utility comes from (lines)
    projected: str | None
    no_deal: NoDealView | None
    reference_line: str | None
    reference: tuple[Fraction, ...] | None
    reference_value: Any
    sampled_line: str | None
    options: tuple[OptionRow, ...]  # one per value looked at (JSON)
    rows: tuple[GroupRow, ...]  # consecutive values leading to the same, together (text, Markdown, HTML)
    cut_line: str | None
    interrupted: bool
    readings: tuple[str, ...] = ()
    as_of: str | None = None
    edits: tuple[EditView, ...] = ()

    @property
    def statements(self) -> tuple[str, ...]:
        found = [*self.positions_lines, self.projected, *(self.no_deal.statements if self.no_deal else ()),
                 self.heading, *self.sources, fw.SCALE_LINE, self.sampled_line, self.reference_line,
                 *(row.line for row in self.rows), self.cut_line]
        return tuple(s for s in found if s)

    def json(self) -> dict[str, Any]:
        return {"format": FORMAT, "command": "tradeoffs", "scenario": self.title,
                **({"readings": list(self.readings)} if self.readings else {}),
                **({"as_of": self.as_of} if self.as_of else {}),
                **({"edits": [edit.json() for edit in self.edits]} if self.edits else {}),
                "issue": self.issue, "parties": list(self.parties),
                "verdict": "deal" if self.no_deal is None else "no-deal",
                "no_deal": self.no_deal.json() if self.no_deal else None,
                "reference": {**_utilities_json(self.parties, self.reference),
                              "value": json_value(self.reference_value)} if self.reference is not None else None,
                "sampled": self.sampled_line is not None,
                "options": [o.json(self.parties) for o in self.options], "groups": [r.json() for r in self.rows],
                "complete": self.cut_line is None and not self.interrupted, "cut": self.cut_line,
                "scale": fw.SCALE_LINE, "interrupted": self.interrupted}


def tradeoffs_view(scenario: Scenario, found: Tradeoffs, parties: Sequence[str] | None = None,
                   applied=()) -> TradeoffsView:
    label = issue_label(scenario, found.issue)
    ids = tuple(pu.party for pu in found.parties)
    names = tuple(scenario.party(p).name for p in ids)
    reference = found.reference
    ref_value = reference.deal[found.issue] if reference is not None else None
    ref_cut = found.reference_status not in (FrontierStatus.COMPLETE, FrontierStatus.NO_DEAL)
    options = tuple(_option_row(option, label, names, reference, ref_value, (option.value,), ref_cut)
                    for option in found.options)
    ranged = isinstance(issue_type(scenario.issues[found.issue]), IntType)
    rows = tuple(_group_row(group, label, names, reference, ref_value, ranged, ref_cut)
                 for group in _groups(found.options))
    cut = [show_value(option.value) for option in found.options if not option.exact]
    lines, edits = _positions(scenario, applied)
    return TradeoffsView(
        title=scenario.title, positions_lines=lines, issue=found.issue, label=label,
        heading=fw.tradeoffs_heading(label), parties=ids, names=names,
        sources=tuple(fw.source_line(name, pu.source.value) for name, pu in zip(names, found.parties)),
        projected=fw.projected_line(names) if parties else None,
        no_deal=no_deal_view(scenario, found.no_deal) if found.no_deal is not None else None,
        reference_line=fw.reference_line(found.reference_solution.value if found.reference_solution else None, label,
                                         show_value(ref_value) if reference is not None else None,
                                         fw.values_line(names, [fw.decimal(u) for u in reference.utilities])
                                         if reference is not None else None)
        if found.no_deal is None or found.no_deal.relaxed is not None else None,
        reference=reference.utilities if reference is not None else None, reference_value=ref_value,
        sampled_line=fw.sampled_line(label, found.values, len(found.options)) if found.sampled else None,
        options=options, rows=rows,
        cut_line=None if found.exact else fw.tradeoffs_cut(label, cut, ref_cut, found.interrupted),
        interrupted=found.interrupted,
        readings=scenario.readings_used, as_of=as_of_shown(scenario), edits=edits)


def _groups(options) -> list[list]:
    """Consecutive options with the same best utilities and the same point (and whether they are exact)."""
    groups: list[list] = []
    for option in options:
        key = (option.best, option.point.utilities if option.point else None, option.solution, option.exact)
        last = groups[-1][0] if groups else None
        if last is not None and key == (last.best, last.point.utilities if last.point else None, last.solution,
                                        last.exact):
            groups[-1].append(option)
        else:
            groups.append([option])
    return groups


def _sentence(option, label: str, shown: str, names: Sequence[str], reference: FrontierPoint | None,
              ref_value: Any, values: tuple[Any, ...], ref_cut: bool = False) -> str:
    point = option.point
    if point is None and not option.exact:
        return fw.undecided_with(label, shown)
    if point is None:
        return fw.no_deal_with(label, shown)
    if reference is None:
        return fw.option_point_line(option.solution.value if option.solution else None,
                                    fw.values_line(names, [fw.decimal(u) for u in point.utilities]))
    if ref_value in values and point.utilities == reference.utilities and option.exact and not ref_cut:
        return fw.same_value_line(label, shown)
    return fw.moving_line(label, show_value(ref_value), shown,
                          [(name, new - old) for name, new, old in zip(names, point.utilities, reference.utilities)],
                          cut=not option.exact or ref_cut)


def _option_row(option, label: str, names: Sequence[str], reference: FrontierPoint | None, ref_value: Any,
                values: tuple[Any, ...], ref_cut: bool) -> OptionRow:
    point = option.point
    shown = show_value(option.value)
    return OptionRow(option.value, shown, tuple(fw.decimal(b) for b in option.best),
                     tuple(fw.decimal(u) for u in point.utilities) if point is not None else None,
                     option.solution.value if option.solution else None,
                     _sentence(option, label, shown, names, reference, ref_value, values, ref_cut), option.exact,
                     tuple(option.best), point.utilities if point is not None else None,
                     dict(point.deal) if point is not None else None)


def _group_row(group: list, label: str, names: Sequence[str], reference: FrontierPoint | None, ref_value: Any,
               ranged: bool, ref_cut: bool) -> GroupRow:
    first = group[0]
    values = tuple(option.value for option in group)
    shown = fw.values_shown([show_value(v) for v in values], ranged)
    point = first.point
    return GroupRow(values, shown, tuple(fw.decimal(b) for b in first.best),
                    tuple(fw.decimal(u) for u in point.utilities) if point is not None else None,
                    first.solution.value if first.solution else None,
                    _sentence(first, label, shown, names, reference, ref_value, values, ref_cut), first.exact)


def _option_cells(view: TradeoffsView, option: GroupRow) -> list[str]:
    point = option.point or ("–",) * len(view.parties)
    return [option.shown, *option.best, *point,
            fw.SOLUTION_SHORT[option.solution] if option.solution else "–", fw.WHOLE if option.exact else fw.CUT]


def _option_header(view: TradeoffsView) -> list[str]:
    return [view.label, *(f"best: {n}" for n in view.names), *(f"point: {n}" for n in view.names), "point",
            fw.CUT_HEADER]


def tradeoffs_text(view: TradeoffsView) -> Group:
    parts: list[RenderableType] = [_line(view.title, "bold")]
    parts += [_line(line) for line in view.positions_lines]
    parts += [_line(view.projected + ".")] if view.projected else []
    if view.no_deal is not None:
        parts += _no_deal_text(view.no_deal)
    if view.no_deal is not None and view.no_deal.relaxed_heading is None:
        return Group(*parts)
    parts += [_line(view.heading + ".", "bold")]
    parts += [_line(line, indent="  ") for line in view.sources]
    parts += [_line(fw.SCALE_LINE + ".")]
    parts += [_line(s + ".", "yellow") for s in (view.sampled_line, view.cut_line) if s]
    parts += [_line(view.reference_line + ".")] if view.reference_line else []
    parts.append(Text(""))
    parts += _table_text(_option_header(view), [_option_cells(view, o) for o in view.rows])
    parts.append(Text(""))
    parts += [_line(f"- {o.line}.") for o in view.rows]
    parts += [Text(""), _line(fw.PRECISION_LINE)]
    return Group(*parts)


def tradeoffs_markdown(view: TradeoffsView) -> str:
    out = [f"# {md_cell(view.title)}: {md_cell(view.heading)}", ""]
    out += [line for text in view.positions_lines for line in (md_cell(text), "")]
    out += [f"{md_cell(view.projected)}.", ""] if view.projected else []
    if view.no_deal is not None:
        out += _md_no_deal(view.no_deal)
    if view.no_deal is None or view.no_deal.relaxed_heading is not None:
        out += [""] + [f"- {md_cell(line)}" for line in view.sources] + ["", f"{md_cell(fw.SCALE_LINE)}.", ""]
        out += [f"> {md_cell(s)}." for s in (view.sampled_line, view.cut_line) if s]
        out += ["", f"{md_cell(view.reference_line)}.", ""] if view.reference_line else [""]
        out += _md_table(_option_header(view), [_option_cells(view, o) for o in view.rows])
        out += [""] + [f"- {md_cell(o.line)}." for o in view.rows]
        out += ["", fw.PRECISION_LINE]
    return "\n".join(out).rstrip() + "\n"


def tradeoffs_html(view: TradeoffsView) -> str:
    return page(f"{view.title}: {view.heading}", tradeoffs_body(view))


def tradeoffs_body(view: TradeoffsView) -> list[str]:
    """The page's parts without the page (a notebook shows them in its own)."""
    body = [f"<header><h1>{e(view.title)}: {e(view.heading)}</h1>",
            *(f"<p class='summary'>{e(text)}</p>" for text in view.positions_lines),
            *([f"<p class='summary'>{e(view.projected)}.</p>"] if view.projected else []), "</header>"]
    if view.no_deal is not None:
        body += _html_no_deal(view.no_deal)
    if view.no_deal is None or view.no_deal.relaxed_heading is not None:
        body.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in view.sources) + "</ul>"
                    f"<p>{e(fw.SCALE_LINE)}.</p>")
        body += [f"<p class='incomplete'>{e(s)}.</p>" for s in (view.sampled_line, view.cut_line) if s]
        body += [f"<p>{e(view.reference_line)}.</p>"] if view.reference_line else []
        body.append(_html_table(_option_header(view), [_option_cells(view, o) for o in view.rows]))
        body.append("<ul>" + "".join(f"<li>{e(o.line)}.</li>" for o in view.rows) + "</ul>")
        body.append(f"<p class='muted'>{e(fw.PRECISION_LINE)}</p>")
    return body
