"""`feasible readings` as every format shows it: one view made from the scenario and the matrix (solver/readings.py),
every statement worded by cli/readings_words.py when it is built; its `json()` is the feasible/1 document, and the
text, Markdown and HTML renderers below only lay it out (the HTML page is one table and the findings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from feasible.positions import Scenario
from feasible.positions.readings import held_readings
from feasible.solver.readings import Cell, Matrix

from . import readings_words as said
from .html_report import escaped as e, page
from .markdown import cell as md_cell
from .presentation import FORMAT, DealView, as_of_shown, dated_line, deal_view, json_fraction, json_value
from .safe import terminal_text
from .words import capitalized, percent, verdict_word


@dataclass(frozen=True)
class QuestionView:
    name: str
    asks: str
    readings: tuple[str, ...]  # the default first
    default: str

    def json(self) -> dict[str, Any]:
        return {"name": self.name, "asks": self.asks, "readings": list(self.readings), "default": self.default}


@dataclass(frozen=True)
class CellView:
    number: int  # from 1
    readings: tuple[str, ...]  # one per question varied
    checked: bool
    verdict: str | None  # deal | no-deal | unknown; None when not checked
    verdict_word: str
    cost: int | None
    cost_shown: str
    conflicts: tuple[tuple[str, ...], ...]  # each listed conflict's red lines
    conflict_numbers: tuple[int, ...]  # the same conflicts as numbered in the findings
    conflicts_complete: bool
    satisfaction: tuple[tuple[str, str, Any], ...]  # the deal's (party, name, satisfaction), parties with demands
    deal_values: dict[str, Any] | None
    interrupted: bool

    @property
    def deal_shown(self) -> str:
        return ", ".join(f"{name} {percent(s)}" for _, name, s in self.satisfaction)

    @property
    def conflicts_shown(self) -> str:
        shown = ", ".join(said.conflict_label(n) for n in self.conflict_numbers)
        return shown + (" (or more)" if self.checked and not self.conflicts_complete else "")

    def json(self) -> dict[str, Any]:
        return {
            "readings": list(self.readings),
            "checked": self.checked,
            "verdict": self.verdict,
            "cost": self.cost,
            "conflicts": [list(c) for c in self.conflicts],
            "conflicts_complete": self.conflicts_complete if self.checked else None,
            "deal": None if self.deal_values is None else {
                "issues": {name: json_value(v) for name, v in self.deal_values.items()},
                "satisfaction": {party: json_fraction(s) for party, _, s in self.satisfaction}},
            "interrupted": self.interrupted,
        }


@dataclass(frozen=True)
class ConflictRow:
    number: int
    red_lines: tuple[str, ...]
    parties: tuple[str, ...]  # display names
    cells: tuple[int, ...]  # combination numbers (from 1)
    family: int
    sentence: str

    def json(self) -> dict[str, Any]:
        return {"number": self.number, "red_lines": list(self.red_lines), "parties": list(self.parties),
                "combinations": list(self.cells), "holds_in": len(self.cells), "family": self.family}


@dataclass(frozen=True)
class FamilyRow:
    number: int
    conflicts: tuple[int, ...]
    parties: tuple[str, ...]
    cells: tuple[int, ...]
    sentence: str

    def json(self) -> dict[str, Any]:
        return {"number": self.number, "conflicts": list(self.conflicts), "parties": list(self.parties),
                "combinations": list(self.cells), "holds_in": len(self.cells)}


@dataclass(frozen=True)
class PartyRow:
    party: str
    name: str
    cells: tuple[int, ...]
    sentence: str

    def json(self) -> dict[str, Any]:
        return {"party": self.party, "name": self.name, "combinations": list(self.cells),
                "in_conflict": len(self.cells)}


@dataclass(frozen=True)
class ReadingsView:
    title: str
    summary: str
    no_questions: str | None
    questions: tuple[QuestionView, ...]
    cells: tuple[CellView, ...]
    objective: str
    conflicts: tuple[ConflictRow, ...]
    families: tuple[FamilyRow, ...]
    parties: tuple[PartyRow, ...]  # the parties part of a conflict in some combination
    no_deal: int
    undecided: int
    no_deal_line: str
    every_reading: str  # found | none | undecided | not-checked
    every_reading_line: str
    every_deal: DealView | None
    complete: bool  # every combination checked and its conflicts all known
    lower_bound_note: str | None
    interrupted: bool
    interrupted_note: str | None
    as_of: str | None = None  # the day whose positions the readings apply to, when the scenario is dated
    as_of_line: str | None = None

    @property
    def statements(self) -> tuple[str, ...]:
        """The sentences every format states."""
        found = [self.as_of_line, self.no_questions, self.interrupted_note, *(c.sentence for c in self.conflicts),
                 *(f.sentence for f in self.families if len(self.families) > 1), *(p.sentence for p in self.parties),
                 self.no_deal_line, self.every_reading_line, self.lower_bound_note]
        return tuple(s for s in found if s)

    def json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "scenario": self.title,
            **({"as_of": self.as_of} if self.as_of else {}),
            "objective": self.objective,
            "questions": [q.json() for q in self.questions],
            "combinations": [c.json() for c in self.cells],
            "conflicts": [c.json() for c in self.conflicts],
            "families": [f.json() for f in self.families],
            "parties": [p.json() for p in self.parties],
            "no_deal": self.no_deal,
            "undecided": self.undecided,
            "every_reading": {"status": self.every_reading,
                              "deal": self.every_deal.json() if self.every_deal is not None else None},
            "complete": self.complete,
            "interrupted": self.interrupted,
        }


def readings_view(scenario: Scenario, matrix: Matrix) -> ReadingsView:
    total = len(matrix.combinations)
    lower = not matrix.conflicts_complete
    names = {share.party: share.name for share in matrix.parties}

    def who(parties) -> tuple[str, ...]:
        return tuple(names.get(p, p) for p in parties)

    conflicts = tuple(ConflictRow(n, h.red_lines, who(h.parties), tuple(i + 1 for i in h.cells), h.family,
                                  said.conflict_holds(n, who(h.parties), len(h.cells), total, lower))
                      for n, h in enumerate(matrix.conflicts, 1))
    number = {h.red_lines: n for n, h in enumerate(matrix.conflicts, 1)}
    families = tuple(FamilyRow(f.number, tuple(i + 1 for i in f.conflicts), who(f.parties),
                               tuple(i + 1 for i in f.cells),
                               said.family_line(f.number, [i + 1 for i in f.conflicts], who(f.parties), len(f.cells),
                                                total, lower))
                     for f in matrix.families)
    parties = tuple(PartyRow(p.party, p.name, tuple(i + 1 for i in p.cells),
                             said.party_line(p.name, len(p.cells), total, lower))
                    for p in matrix.parties if p.cells)
    questions = tuple(QuestionView(q.name, q.asks, held_readings(scenario, q), q.default) for q in scenario.questions
                      if q.name in matrix.questions)
    cells = tuple(_cell(n, combination, cell, number)
                  for n, (combination, cell) in enumerate(zip(matrix.combinations, matrix.cells), 1))
    every = matrix.every_reading
    return ReadingsView(
        title=scenario.title, summary=said.combinations_line(len(questions), total),
        no_questions=said.NO_QUESTIONS if not questions else None, questions=questions, cells=cells,
        objective=matrix.objective.value, conflicts=conflicts, families=families, parties=parties,
        no_deal=matrix.no_deal, undecided=matrix.undecided,
        no_deal_line=said.no_deal_line(matrix.no_deal, matrix.undecided, len(matrix.checked), total),
        every_reading=every.status,
        every_reading_line=said.every_reading_line(every.status, len(every.without_deal), total, every.optimal),
        every_deal=deal_view(scenario, every.deal) if every.deal is not None else None,
        complete=matrix.conflicts_complete and not matrix.undecided,
        lower_bound_note=said.lower_bound_note() if lower and not matrix.interrupted else None,
        interrupted=matrix.interrupted, interrupted_note=said.INTERRUPTED if matrix.interrupted else None,
        as_of=as_of_shown(scenario), as_of_line=dated_line(scenario))


def _cell(number: int, combination: tuple[str, ...], cell: Cell | None, numbers: dict) -> CellView:
    if cell is None:
        return CellView(number, combination, False, None, said.NOT_CHECKED, None, "", (), (), False, (), None, False)
    satisfaction = tuple((o.party, o.name, o.satisfaction) for o in cell.deal.outcomes
                         if o.satisfaction is not None) if cell.deal else ()
    conflicts = tuple(c.red_lines for c in cell.conflicts)
    return CellView(number, combination, True, cell.verdict.value, verdict_word(cell.verdict.value), cell.cost,
                    said.cost_shown(cell.cost, cell.verdict.value), conflicts,
                    tuple(sorted(numbers[c] for c in conflicts)), cell.conflicts_complete, satisfaction,
                    dict(cell.deal.values) if cell.deal else None, cell.interrupted)


# -- renderers --------------------------------------------------------------------------------------------------------

HEADINGS = ("verdict", "cost", "conflicts", "deal (satisfaction)")


def _rows(view: ReadingsView) -> tuple[list[str], list[list[str]]]:
    """The matrix as a table of words: one column per question, then the verdict, cost, conflicts and deal."""
    head = ["#", *(q.name for q in view.questions), *HEADINGS]
    rows = [[str(c.number), *c.readings, c.verdict_word, c.cost_shown, c.conflicts_shown, c.deal_shown]
            for c in view.cells]
    return head, rows


def _findings(view: ReadingsView) -> list[tuple[str, list[str]]]:
    """The robust findings as (heading, lines), in the order every format shows them."""
    found = [("Conflicts", [f"{c.sentence}: {' + '.join(c.red_lines) or '(the facts alone)'}"
                            for c in view.conflicts])]
    if len(view.families) > 1:
        found.append(("Families (conflicts sharing red lines)", [f.sentence for f in view.families]))
    found.append(("Parties", [p.sentence for p in view.parties]))
    found.append(("Across the readings", [view.no_deal_line, view.every_reading_line]))
    return [(heading, lines) for heading, lines in found if lines]


def _notes(view: ReadingsView) -> list[str]:
    # The renderers end each note with a full stop; the as-of line is a sentence of words.py that has one.
    return [s.rstrip(".") for s in (view.as_of_line, view.no_questions, view.interrupted_note, view.lower_bound_note)
            if s]


def readings_text(view: ReadingsView) -> Text:
    out = Text()
    out.append(view.title, style="bold")
    out.append(f"\n{view.summary}\n")
    for q in view.questions:
        out.append(f"  {q.name}: {q.asks} ", style="")
        out.append(" | ".join(f"{r} (default)" if r == q.default else r for r in q.readings) + "\n")
    for note in _notes(view):
        out.append(capitalized(note) + ".\n", style="yellow")
    head, rows = _rows(view)
    widths = [max(len(terminal_text(row[i])) for row in [head, *rows]) for i in range(len(head))]
    out.append("\n")
    for index, row in enumerate([head, *rows]):
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
        out.append(line + "\n", style="bold" if index == 0 else "")
    for heading, lines in _findings(view):
        out.append(f"\n{heading}\n", style="bold underline")
        for line in lines:
            out.append(f"  {capitalized(line)}.\n")
    if view.every_deal is not None:
        out.append("\nThe deal that holds in every reading\n", style="bold underline")
        for issue in view.every_deal.issues:
            out.append(f"  {issue.name}: {issue.shown}\n")
        out.append(f"  {view.every_deal.satisfied}\n")
    return out



def readings_markdown(view: ReadingsView) -> str:
    out = [f"# {md_cell(view.title)}: readings", "", md_cell(capitalized(view.summary)) + ".", ""]
    out += [f"- **{md_cell(q.name)}**: {md_cell(q.asks)} "
            + " | ".join(f"`{md_cell(r)}` (default)" if r == q.default else f"`{md_cell(r)}`" for r in q.readings)
            for q in view.questions]
    for note in _notes(view):
        out += ["", f"> {md_cell(capitalized(note))}."]
    head, rows = _rows(view)
    out += ["", "| " + " | ".join(md_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in rows]
    for heading, lines in _findings(view):
        out += ["", f"## {heading}", ""] + [f"- {md_cell(capitalized(line))}." for line in lines]
    if view.every_deal is not None:
        out += ["", "## The deal that holds in every reading", "", "| Issue | Value |", "|---|---|"]
        out += [f"| {md_cell(i.name)} | {md_cell(i.shown)} |" for i in view.every_deal.issues]
        out += ["", md_cell(view.every_deal.satisfied)]
    return "\n".join(out).rstrip() + "\n"



def readings_html(view: ReadingsView) -> str:
    body = [f"<header><h1>{e(view.title)}: readings</h1><p class='summary'>{e(capitalized(view.summary))}.</p>"
            "</header>"]
    if view.questions:
        body.append("<section id='questions'><h2>Questions</h2><ul>")
        body += [f"<li><b>{e(q.name)}</b>: {e(q.asks)} "
                 + " | ".join(f"<code>{e(r)}</code>" + (" (default)" if r == q.default else "") for r in q.readings)
                 + "</li>" for q in view.questions]
        body.append("</ul></section>")
    body += [f"<p class='incomplete'>{e(capitalized(note))}.</p>" for note in _notes(view)]
    head, rows = _rows(view)
    body.append("<section id='matrix'><h2>Matrix</h2><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head)
                + "</tr>")
    for cell, row in zip(view.cells, rows):
        body.append(f"<tr class='verdict-{e(cell.verdict or 'not-checked')}'>"
                    + "".join(f"<td>{e(value)}</td>" for value in row) + "</tr>")
    body.append("</table></section>")
    for heading, lines in _findings(view):
        body.append(f"<section><h2>{e(heading)}</h2><ul>" + "".join(f"<li>{e(capitalized(line))}.</li>"
                                                                     for line in lines) + "</ul></section>")
    if view.every_deal is not None:
        body.append("<section id='every-reading'><h2>The deal that holds in every reading</h2><table>"
                    "<tr><th>Issue</th><th>Value</th></tr>"
                    + "".join(f"<tr><td>{e(i.name)}</td><td>{e(i.shown)}</td></tr>" for i in view.every_deal.issues)
                    + f"</table><p>{e(view.every_deal.satisfied)}</p></section>")
    return page(f"{view.title}: readings", body)
