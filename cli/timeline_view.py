"""`feasible timeline`: its presentation model (plain frozen data, built once from the solver's `Timeline`) and
its text, Markdown, HTML and JSON renderers. Every sentence comes from cli/timeline_words.py or cli/words.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from feasible.solver.timeline import ChangePoint, Period, RuleShift, Timeline

from .changes import comparison_text
from .html_report import caveats_list, comparison_html, escaped, page
from .markdown import caveats_markdown, cell, comparison_markdown
from .presentation import FORMAT, ComparisonView, comparison_view
from .report import Hanging
from .timeline_words import (CAVEATS, CHANGED, TIMELINE_INTERRUPTED, TIMELINE_UNDECIDED, before_and_after,
                             change_heading, period_answer, period_span, shift_line, stands_at, timeline_summary,
                             undecided_days)


@dataclass(frozen=True)
class ShiftView:
    name: str
    kind: str  # started | stopped | superseded
    says_before: str | None
    says_after: str | None
    line: str

    def json(self) -> dict[str, Any]:
        return {"rule": self.name, "change": self.kind, "says_before": self.says_before,
                "says_after": self.says_after}


@dataclass(frozen=True)
class PeriodView:
    start: str | None
    end: str | None
    span: str  # "from 2025-12-14 until 2026-01-06"
    verdict: str
    cheapest_cost: int | None
    conflicts: tuple[tuple[str, ...], ...]
    conflicts_complete: bool  # False: the time limit cut the list short (there may be more)
    disputes: int | None
    decided: bool
    answer: str  # the verdict, and without a deal the cheapest cost and the conflicts, in one line
    rules: tuple[ShiftView, ...]  # the positions that changed on its first day

    def json(self) -> dict[str, Any]:
        return {"from": self.start, "until": self.end, "rules": [r.json() for r in self.rules],
                "verdict": self.verdict, "cheapest_cost": self.cheapest_cost,
                "conflicts": [list(c) for c in self.conflicts], "conflicts_complete": self.conflicts_complete,
                "disputes": self.disputes, "decided": self.decided}


@dataclass(frozen=True)
class ChangeView:
    day: str
    changed: tuple[str, ...]  # of: verdict, cost, conflicts
    heading: str
    comparison: ComparisonView

    def json(self) -> dict[str, Any]:
        return {"date": self.day, "changed": list(self.changed), "comparison": self.comparison.json()}


@dataclass(frozen=True)
class TimelineView:
    title: str
    as_of: str | None
    as_of_line: str | None
    summary: str
    caveats: tuple[str, ...]  # the scenario's, shown before the periods
    periods: tuple[PeriodView, ...]
    changes: tuple[ChangeView, ...]
    undecided: tuple[str, ...]  # the days whether the answer changes is undecided
    decided: bool
    interrupted: bool
    notes: tuple[str, ...]  # the days left undecided, then why: the time limit, an interruption

    def json(self) -> dict[str, Any]:
        return {"format": FORMAT, "scenario": self.title, "as_of": self.as_of, "caveats": list(self.caveats),
                "dates": [p.start for p in self.periods if p.start is not None],
                "periods": [p.json() for p in self.periods], "changes": [c.json() for c in self.changes],
                "undecided": list(self.undecided), "decided": self.decided, "interrupted": self.interrupted}


def timeline_view(found: Timeline) -> TimelineView:
    periods = tuple(_period(p) for p in found.periods)
    changes = tuple(_change(c) for c in found.changes)
    undecided = tuple(d.isoformat() for d in found.undecided)
    notes = (((undecided_days(undecided),) if undecided else ())
             + ((TIMELINE_UNDECIDED,) if found.timed_out else ())
             + ((TIMELINE_INTERRUPTED,) if found.interrupted else ()))
    dated = any(p.start is not None or p.end is not None for p in found.periods)
    return TimelineView(found.title, found.as_of.isoformat() if found.as_of else None, _stands_at(found),
                        timeline_summary(found.days, len(changes), len(undecided), dated), found.caveats, periods,
                        changes, undecided, found.decided, found.interrupted, notes)


def _stands_at(found: Timeline) -> str | None:
    if found.as_of is None:
        return None
    holding = found.period_on(found.as_of)
    span = period_span(*(d.isoformat() if d else None for d in (holding.start, holding.end))) if holding else None
    return stands_at(found.as_of.isoformat(), span)


def _period(period: Period) -> PeriodView:
    start, end = (d.isoformat() if d else None for d in (period.start, period.end))
    distance = period.distance
    conflicts = tuple(sorted(c.red_lines for c in period.result.conflicts))
    complete = period.conflicts_complete
    return PeriodView(start, end, period_span(start, end), period.result.verdict.value, distance.cost, conflicts,
                      complete, distance.disputes, period.decided,
                      period_answer(period.result.verdict.value, distance.cost, len(conflicts), distance.disputes,
                                    complete),
                      tuple(_shift(s) for s in period.rules))


def _change(change: ChangePoint) -> ChangeView:
    changed = tuple(key for key, yes in (("verdict", change.verdict_changed), ("cost", change.cost_changed),
                                         ("conflicts", change.conflicts_changed)) if yes)
    before, after = change.before, change.after
    return ChangeView(change.day.isoformat(), changed, change_heading(change.day.isoformat(),
                                                                      [CHANGED[k] for k in changed]),
                      comparison_view(before.scenario, after.scenario, before.result, after.result))


def _shift(shift: RuleShift) -> ShiftView:
    kind = "started" if shift.before is None else "stopped" if shift.after is None else "superseded"
    says_before = shift.before.says if shift.before else None
    says_after = shift.after.says if shift.after else None
    return ShiftView(shift.name, kind, says_before, says_after, shift_line(shift.name, kind, says_before, says_after))


# -- renderers ----------------------------------------------------------------------------------------------------

def timeline_text(view: TimelineView) -> RenderableType:
    parts: list[RenderableType] = [Hanging("", Text(view.title, style="bold"))]
    parts += [Hanging("", Text(line)) for line in (view.as_of_line, view.summary) if line]
    if view.caveats:
        parts += [Text(""), Text(CAVEATS, style="bold underline")]
        parts += [Hanging("  - ", Text(" ".join(caveat.split())), 4) for caveat in view.caveats]
    parts += [Text(""), Text("Periods", style="bold underline")]
    for period in view.periods:
        parts.append(Hanging(f"{period.span}: ", Text(period.answer), 2))
        parts += [Hanging("    ", Text(r.line), 6) for r in period.rules]
    for change in view.changes:
        parts += [Text(""), Hanging("", Text(change.heading, style="bold underline"), 2)]
        parts.append(comparison_text(change.comparison, before_and_after(change.day)))
    parts += [Text(note, style="bold yellow") for note in view.notes]
    return Group(*parts)


def timeline_markdown(view: TimelineView) -> str:
    out = [f"# {cell(view.title)}", ""]
    out += [line for text in (view.as_of_line, view.summary) if text for line in (cell(text), "")]
    out += caveats_markdown(view.caveats)
    out += ["## Periods", "", "| Period | Positions changed | Answer |", "|---|---|---|"]
    out += [f"| {cell(p.span)} | {'<br>'.join(cell(r.line) for r in p.rules) or '–'} | "
            f"{cell(p.answer)} |" for p in view.periods]
    out.append("")
    for change in view.changes:
        out += [f"## {cell(change.heading)}", ""]
        out += comparison_markdown(change.comparison, before_and_after(change.day))
    out += [f"> **{cell(note)}**" for note in view.notes]
    return "\n".join(out).rstrip() + "\n"


def timeline_html(view: TimelineView) -> str:
    body = [f"<header><h1>{escaped(view.title)}</h1>"]
    body += [f"<p class='summary'>{escaped(line)}</p>" for line in (view.as_of_line, view.summary) if line]
    body.append("</header>")
    if view.caveats:
        body.append(f"<section id='caveats'><h2>{CAVEATS}</h2>{caveats_list(view.caveats)}</section>")
    body.append("<section id='periods'><h2>Periods</h2><table><tr><th>Period</th><th>Positions changed"
                "</th><th>Answer</th></tr>")
    body += [f"<tr><td>{escaped(p.span)}</td><td>{'<br>'.join(escaped(r.line) for r in p.rules) or '–'}</td>"
             f"<td>{escaped(p.answer)}</td></tr>" for p in view.periods]
    body.append("</table></section>")
    for change in view.changes:
        body.append(f"<section id='change-{escaped(change.day)}'><h2>{escaped(change.heading)}</h2>")
        body += [comparison_html(change.comparison, before_and_after(change.day)), "</section>"]
    body += [f"<p class='incomplete'>{escaped(note)}</p>" for note in view.notes]
    return page(view.title, body)
