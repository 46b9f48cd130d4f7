"""`feasible coalitions` as every format shows it: one view made from the scenario and the answers of
solver/coalitions.py (the maximal coalitions and blocking groups, and a chosen coalition's sub-agreement), every
statement worded by cli/coalitions_words.py when it is built; its `json()` is the feasible/1 document. The text,
Markdown and HTML renderers below only lay it out; the HTML page adds a picture of the coalitions (the lattice of
every coalition up to LATTICE_PARTIES parties, the maximal coalitions and blocking groups as a grid beyond)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from feasible.positions import Scenario, UserError
from feasible.positions.model import Source
from feasible.solver.coalitions import BlockingGroup, Coalitions, SubAgreement, known_party
from feasible.solver.result import Deal

from . import coalitions_words as cw
from .html_report import escaped as e, page, rules_html, sources_section
from .markdown import cell as md_cell, rules_markdown, sources_markdown
from .presentation import (FORMAT, ConflictView, DealView, EditView, Rules, as_of_shown, asked, conflict_view,
                           dated_line, deal_view, edit_views, json_value, open_values)
from .report import Hanging, rules_text
from .words import issue_label, percent, show_value, standing, used_readings_line

LATTICE_PARTIES = 8  # up to this many parties the HTML draws every coalition (2**8 = 256 nodes)


def coalition_named(given: Sequence[str], excluded: Sequence[str] = ()) -> tuple[str, ...]:
    """The party ids of `--coalition a,b,c` (given once), as typed (unknown ids are refused by named_parties once
    the scenario is loaded), none of them left out with --exclude."""
    if len(given) > 1:
        raise UserError(*cw.coalition_given_twice(given))
    text = given[0]
    ids = tuple(part.strip() for part in text.split(","))
    if not text.strip() or any(not part for part in ids):
        raise UserError(*cw.bad_coalition(text))
    for party in ids:
        if ids.count(party) > 1:
            raise UserError(*cw.repeated_in_coalition(party))
        if party in excluded:
            raise UserError(*cw.excluded_in_coalition(party))
    return ids


def named_parties(scenario: Scenario, include: Sequence[str], exclude: Sequence[str], chosen: Sequence[str]) -> None:
    """Every party named on the command line is one of the scenario's, or a UserError naming the option (the
    library checks them too, naming its own parameters)."""
    ids = [p.id for p in scenario.parties]
    for option, named in (("--include", include), ("--exclude", exclude), ("--coalition", chosen)):
        for party_id in named:
            known_party(ids, party_id, f"{option} {party_id}")


# -- the model --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CoalitionRow:
    """A maximal coalition: its members, who is left out, and the witness deal they all accept."""

    label: str  # M1, M2, ...
    parties: tuple[str, ...]  # ids, scenario order
    names: tuple[str, ...]
    left_out: tuple[str, ...]  # the considered parties outside it (ids)
    sentence: str
    deal: dict[str, Any] | None  # issue → value

    def json(self) -> dict[str, Any]:
        return {"parties": list(self.parties), "left_out": list(self.left_out),
                "deal": None if self.deal is None else {name: json_value(v) for name, v in self.deal.items()}}


@dataclass(frozen=True)
class GroupRow:
    """A blocking group and the conflict that shows why, in the parties' own words."""

    label: str  # B1, B2, ...
    parties: tuple[str, ...]  # ids, scenario order (with --include: the parties besides the included)
    names: tuple[str, ...]
    sentence: str
    conflict: ConflictView
    others: tuple[ConflictView, ...] = ()  # the other conflicts among the same red lines (a bounded few)

    def json(self) -> dict[str, Any]:
        others = {"other_conflicts": [c.json() for c in self.others]} if self.others else {}
        return {"parties": list(self.parties), **self.conflict.json(), **others}

    @property
    def conflicts(self) -> tuple[ConflictView, ...]:
        return (self.conflict, *self.others)


@dataclass(frozen=True)
class SettledLine:
    issue: str
    label: str
    value: Any
    shown: str
    open_words: str = ""  # "any of …" when the members' deal stays as good for several values ("" otherwise)
    open_data: Any = None  # those values as data (None unless open_words)

    @property
    def words(self) -> str:
        return cw.settled_value(self.label, self.open_words or self.shown)


@dataclass(frozen=True)
class SubConflictView:
    """The settled values, the outsiders' red lines and (when they bind the open issues) members' red lines that
    cannot all hold with the facts."""

    settled: tuple[SettledLine, ...]
    rules: Rules  # the red lines (outsiders' and members'), then the facts
    summary: str
    members: tuple[str, ...] = ()  # the names of the members' red lines among the rules
    cycle: tuple[tuple[str, str, str], ...] = ()  # no settled value in it, its rules one order cycle (as check's)

    def json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"settled": [s.issue for s in self.settled],
               "red_lines": [r.name for r in self.rules.red_lines if r.name not in self.members],
               "members": list(self.members), "facts": [r.name for r in self.rules.facts], "summary": self.summary}
        if self.cycle:
            doc["cycle"] = [{"rule": rule, "earlier": earlier, "later": later} for rule, earlier, later in self.cycle]
        return doc


@dataclass(frozen=True)
class SubView:
    """A chosen coalition (--coalition): its sub-agreement, what stays open, and the parties outside."""

    parties: tuple[str, ...]
    names: tuple[str, ...]
    has_deal: bool
    sentence: str
    settled: tuple[SettledLine, ...]
    open: tuple[tuple[str, str], ...]  # (issue, label)
    outsiders: tuple[str, ...]
    outsiders_accept: bool | None
    outsiders_sentence: str | None  # None without outsiders or without a sub-agreement
    satisfied: str  # the members' satisfaction in the coalition's best deal ("" without one)
    completion: DealView | None
    conflict: SubConflictView | None
    blocking: tuple[GroupRow, ...]  # no deal: the blocking groups inside the coalition
    complete: bool
    canonical: bool = True  # the settled values are the best sub-agreement, the first of equally good ones
    canonical_line: str | None = None  # says when they may not be (the time limit or Ctrl-C cut the choice short)
    # when the outsiders cannot accept it: whether another sub-agreement can be completed (None: not asked)
    completable: bool | None = None
    reach_line: str | None = None  # says so: the alternative below, or no sub-agreement at all
    alternative: tuple[SettledLine, ...] = ()  # the settled values the outsiders could complete
    alternative_satisfied: str = ""  # the members' satisfaction in that deal (and in their best one)
    outside_blocking: tuple[GroupRow, ...] = ()  # no sub-agreement can be completed: the groups outside that block

    @property
    def statements(self) -> tuple[str, ...]:
        found = [self.sentence, self.canonical_line, self.outsiders_sentence,
                 self.conflict.summary if self.conflict else None, self.reach_line,
                 *(g.sentence for g in self.outside_blocking),
                 *(c.summary for g in self.outside_blocking for c in g.conflicts),
                 *(g.sentence for g in self.blocking), *(c.summary for g in self.blocking for c in g.conflicts)]
        return tuple(s for s in found if s)

    def json(self) -> dict[str, Any]:
        return {"parties": list(self.parties), "has_deal": self.has_deal,
                "settled": {s.issue: json_value(s.value) for s in self.settled},
                "settled_open": {s.issue: s.open_data for s in self.settled if s.open_words},
                "canonical": self.canonical,
                "open": [issue for issue, _ in self.open], "outsiders": list(self.outsiders),
                "outsiders_accept": self.outsiders_accept,
                "completion": self.completion.json() if self.completion is not None else None,
                "conflict": self.conflict.json() if self.conflict is not None else None,
                "completable": self.completable,
                "alternative": {s.issue: json_value(s.value) for s in self.alternative} if self.completable else None,
                "outside_blocking": [g.json() for g in self.outside_blocking],
                "blocking": [g.json() for g in self.blocking], "complete": self.complete}


@dataclass(frozen=True)
class Node:
    """One coalition of the lattice: its members (indices into the picture's parties) and what is known of it."""

    members: tuple[int, ...]
    status: str  # deal | blocked | unknown
    maximal: bool
    blocking: bool


@dataclass(frozen=True)
class Picture:
    """What the HTML draws: every coalition that includes the included parties, up to LATTICE_PARTIES parties
    (`nodes`), else the maximal coalitions and blocking groups as a grid (`nodes` empty)."""

    parties: tuple[str, ...]  # display names, scenario order
    letters: tuple[str, ...]  # A, B, ... one per party, the nodes' labels
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class CoalitionsView:
    title: str
    positions_lines: tuple[str, ...]  # the readings, the day, the edits
    considered: str
    parties: tuple[str, ...]  # ids considered
    names: tuple[str, ...]
    included: tuple[str, ...]
    excluded: tuple[str, ...]
    verdict: str  # found | incomplete | no-facts
    verdict_line: str
    facts_conflict: ConflictView | None
    included_line: str | None  # the included parties have no deal among themselves
    maximal: tuple[CoalitionRow, ...]
    blocking: tuple[GroupRow, ...]
    no_blocking_line: str | None
    sub: SubView | None
    picture: Picture | None
    solves: int
    interrupted: bool
    sources: tuple[Source, ...]  # the scenario's sources the rules shown cite, in the scenario's order
    readings: tuple[str, ...] = ()
    as_of: str | None = None
    edits: tuple[EditView, ...] = ()

    @property
    def complete(self) -> bool:
        return self.verdict != "incomplete" and (self.sub is None or self.sub.complete)

    @property
    def statements(self) -> tuple[str, ...]:
        """The sentences every format states."""
        found = [*self.positions_lines, self.considered, self.verdict_line,
                 self.facts_conflict.summary if self.facts_conflict else None, self.included_line,
                 *(row.sentence for row in self.maximal), *(g.sentence for g in self.blocking),
                 *(c.summary for g in self.blocking for c in g.conflicts), self.no_blocking_line,
                 *(self.sub.statements if self.sub else ())]
        return tuple(s for s in found if s)

    def json(self) -> dict[str, Any]:
        return {"format": FORMAT, "command": "coalitions", "scenario": self.title,
                **({"readings": list(self.readings)} if self.readings else {}),
                **({"as_of": self.as_of} if self.as_of else {}),
                **({"edits": [edit.json() for edit in self.edits]} if self.edits else {}),
                "parties": list(self.parties), "included": list(self.included), "excluded": list(self.excluded),
                "verdict": self.verdict, "complete": self.complete, "interrupted": self.interrupted,
                "solves": self.solves,
                "facts_conflict": self.facts_conflict.json() if self.facts_conflict else None,
                "included_agree": self.included_line is None,
                "maximal": [row.json() for row in self.maximal], "blocking": [g.json() for g in self.blocking],
                "coalition": self.sub.json() if self.sub is not None else None}


def coalitions_view(scenario: Scenario, found: Coalitions, sub: SubAgreement | None = None,
                    applied=()) -> CoalitionsView:
    def names(ids) -> tuple[str, ...]:
        return tuple(scenario.party(p).name for p in ids)

    considered = found.parties
    def row(n: int, c) -> CoalitionRow:
        left_out = tuple(p for p in considered if p not in c.parties)
        return CoalitionRow(cw.coalition_label(n), c.parties, names(c.parties), left_out,
                            cw.maximal_line(names(c.parties), names(left_out)),
                            dict(c.deal.values) if c.deal is not None else None)

    maximal = tuple(row(n, c) for n, c in enumerate(found.maximal, 1))
    included = found.included if found.included_agree else ()
    blocking = _groups(scenario, found.blocking, names(included))
    no_facts = found.verdict.value == "no-facts"
    edits = edit_views(applied)
    lines = (used_readings_line(scenario), dated_line(scenario), f"{standing(asked(edits))}." if edits else None)
    view_sub = _sub(scenario, sub) if sub is not None else None
    sub_groups = (*view_sub.blocking, *view_sub.outside_blocking) if view_sub else ()
    shown_rules = [r for g in (*blocking, *sub_groups) for c in g.conflicts for r in _said(c.rules)]
    if view_sub is not None and view_sub.conflict is not None:
        shown_rules += _said(view_sub.conflict.rules)
    facts_conflict = conflict_view(scenario, (), found.facts_conflict) if no_facts else None
    if facts_conflict is not None:
        shown_rules += _said(facts_conflict.rules)
    cited = {source.id for item in shown_rules for source in item.sources}
    return CoalitionsView(
        title=scenario.title, positions_lines=tuple(line for line in lines if line),
        considered=cw.considered_line(names(considered), names(found.included), names(found.excluded)),
        parties=considered, names=names(considered), included=found.included, excluded=found.excluded,
        verdict=found.verdict.value,
        verdict_line=cw.verdict_line(found.verdict.value, len(maximal), len(blocking), found.interrupted),
        facts_conflict=facts_conflict,
        included_line=None if found.included_agree else cw.included_alone_line(names(found.included)),
        maximal=maximal, blocking=blocking,
        no_blocking_line=cw.NO_BLOCKING_GROUP if not blocking and found.verdict.value == "found" else None,
        sub=view_sub, picture=None if no_facts else _picture(found, names(considered)), solves=found.solves,
        interrupted=found.interrupted or (sub is not None and sub.interrupted),
        sources=tuple(s for s in scenario.sources if s.id in cited), readings=scenario.readings_used,
        as_of=as_of_shown(scenario), edits=edits)


def _said(found: Rules):
    return (*found.red_lines, *found.facts)


def _groups(scenario: Scenario, groups: tuple[BlockingGroup, ...], included: tuple[str, ...],
            label=cw.group_label) -> tuple[GroupRow, ...]:
    rows = []
    for n, group in enumerate(groups, 1):
        names = tuple(scenario.party(p).name for p in group.parties)
        rows.append(GroupRow(label(n), group.parties, names, cw.blocking_line(names, included),
                             conflict_view(scenario, group.red_lines, group.facts),
                             tuple(conflict_view(scenario, red, facts) for red, facts in group.others)))
    return tuple(rows)


def _sub(scenario: Scenario, sub: SubAgreement) -> SubView:
    names = tuple(scenario.party(p).name for p in sub.coalition)
    outsiders = tuple(scenario.party(p).name for p in sub.outsiders)
    pinned = _settled_lines(scenario, sub.settled, sub.values)
    settled = tuple(replace(line, open_words=words, open_data=data) for line in pinned
                    for words, data in [open_values(scenario, sub.deal, line.issue)])
    satisfied = _satisfied(sub.deal, sub.coalition)
    conflict = None
    if sub.conflict is not None:
        by_issue = {line.issue: line for line in pinned}  # the conflict is with the value the outsiders were asked
        in_conflict = tuple(by_issue[i] for i in sub.conflict.settled if i in by_issue)
        def owners(names: Sequence[str]) -> tuple[str, ...]:
            return tuple(scenario.party(p).name for p in dict.fromkeys(scenario.rule(r).owner for r in names))

        said = [*sub.conflict.members, *sub.conflict.red_lines]
        # an order cycle is summed up as the cycle it is, as check does (the settled values are no statements)
        as_check = conflict_view(scenario, said, sub.conflict.facts)
        cycle = () if in_conflict else as_check.cycle
        conflict = SubConflictView(in_conflict, as_check.rules,
                                   as_check.summary if cycle else
                                   cw.sub_conflict_summary(owners(sub.conflict.red_lines),
                                                           [line.label for line in in_conflict],
                                                           len(sub.conflict.facts), owners(sub.conflict.members)),
                                   sub.conflict.members, cycle)
    answered = sub.has_deal and bool(sub.outsiders)
    alternative = sub.alternative
    return SubView(
        completable=sub.completable,
        reach_line=None if sub.completable is None else cw.reach_line(names, outsiders, sub.completable),
        alternative=_settled_lines(scenario, sub.settled, alternative.values) if alternative is not None else (),
        alternative_satisfied=cw.alternative_satisfied(_satisfied(alternative, sub.coalition), satisfied)
        if alternative is not None else "",
        outside_blocking=_groups(scenario, sub.outside_blocking, names, cw.outside_group_label),
        parties=sub.coalition, names=names, has_deal=sub.has_deal,
        sentence=cw.sub_line(names, sub.has_deal, len(sub.settled), len(sub.settled) + len(sub.open), outsiders,
                             sub.complete or sub.has_deal, sub.interrupted),
        settled=settled, open=tuple((i, issue_label(scenario, i)) for i in sub.open), outsiders=sub.outsiders,
        outsiders_accept=sub.outsiders_accept,
        outsiders_sentence=cw.outsiders_line(outsiders, sub.outsiders_accept, sub.complete, sub.interrupted)
        if answered else None,
        satisfied=satisfied, completion=deal_view(scenario, sub.completion) if sub.completion is not None else None,
        conflict=conflict, blocking=_groups(scenario, sub.blocking, (), cw.inside_group_label), complete=sub.complete,
        canonical=sub.canonical,
        canonical_line=None if sub.canonical or not sub.has_deal else cw.not_canonical_line(sub.interrupted,
                                                                                       bool(sub.settled)))


def _settled_lines(scenario: Scenario, settled: Sequence[str], values) -> tuple[SettledLine, ...]:
    return tuple(SettledLine(i, issue_label(scenario, i), values[i], show_value(values[i])) for i in settled
                 if i in values)


def _satisfied(deal: Deal | None, members: Sequence[str]) -> str:
    """The members' satisfaction in a deal, in words ("" without one)."""
    if deal is None:
        return ""
    return ", ".join(f"{o.name} {percent(o.satisfaction)}" for o in deal.outcomes
                     if o.party in set(members) and o.satisfaction is not None)


def _picture(found: Coalitions, names: tuple[str, ...]) -> Picture:
    """Every coalition of the considered parties that includes the included ones, each known to have a deal when
    it lies inside a maximal coalition and to have none when it holds a blocking group (with the included parties):
    the lattice is read off the answer, nothing is solved again. Beyond LATTICE_PARTIES parties: no nodes."""
    letters = tuple(_letter(i) for i in range(len(found.parties)))
    if len(found.parties) > LATTICE_PARTIES:
        return Picture(names, letters, ())
    index = {p: i for i, p in enumerate(found.parties)}
    base = frozenset(index[p] for p in found.included)
    free = [i for i in range(len(found.parties)) if i not in base]
    agree = [frozenset(index[p] for p in c.parties) for c in found.maximal]
    block = [frozenset(index[p] for p in g.parties) | base for g in found.blocking]
    nodes = []
    for size in range(len(free) + 1):
        for extra in combinations(free, size):
            members = base | frozenset(extra)
            has = any(members <= m for m in agree)
            blocked = any(b <= members for b in block)
            nodes.append(Node(tuple(sorted(members)), "deal" if has else "blocked" if blocked else "unknown",
                              members in agree, members in block))
    return Picture(names, letters, tuple(nodes))


def _letter(index: int) -> str:
    """A, B, ..., Z, then AA, AB, ... (the grid names the parties in full; letters label the lattice's nodes)."""
    word = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        word = chr(ord("A") + rest) + word
    return word


# -- text -------------------------------------------------------------------------------------------------------------

def _line(text: str, style: str = "", indent: str = "") -> Hanging:
    return Hanging(indent, Text(text, style=style))


def _heading(text: str) -> list[RenderableType]:
    return [Text(""), _line(text, "bold underline")]


def _groups_text(groups: tuple[GroupRow, ...]) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for group in groups:
        parts += [Text(""), Hanging(f"{group.label}. ", Text(group.sentence + ".", style="bold")),
                  _line(group.conflict.summary, indent="  "), *rules_text(group.conflict.rules, "    ")]
        for other in group.others:
            parts += [_line(cw.also_conflict(other.summary), indent="  "), *rules_text(other.rules, "    ")]
    return parts


def coalitions_text(view: CoalitionsView) -> Group:
    parts: list[RenderableType] = [_line(view.title, "bold")]
    parts += [_line(line) for line in view.positions_lines]
    parts += [_line(view.considered + "."), _line(view.verdict_line + ".",
                                                                "" if view.complete else "yellow")]
    if view.facts_conflict is not None:
        parts += [Text(""), _line(view.facts_conflict.summary, "bold"), *rules_text(view.facts_conflict.rules)]
    if view.included_line:
        parts.append(_line(view.included_line + "."))
    if view.maximal:
        parts += _heading(cw.MAXIMAL_HEADING)
        parts += [Hanging(f"{row.label}. ", Text(row.sentence + ".")) for row in view.maximal]
    if view.blocking or view.no_blocking_line:
        parts += _heading(cw.BLOCKING_HEADING)
    if view.no_blocking_line:
        parts.append(_line(view.no_blocking_line + "."))
    parts += _groups_text(view.blocking)
    if view.sub is not None:
        parts += _sub_text(view.sub)
    return Group(*parts)


def _sub_text(sub: SubView) -> list[RenderableType]:
    parts = _heading(sub.sentence + ".")
    if sub.satisfied:
        parts.append(_line(f"{cw.BEST_DEAL_HEADING}: {sub.satisfied}", indent="  "))
    if sub.canonical_line:
        parts.append(_line(sub.canonical_line + ".", "yellow", "  "))
    if sub.settled:
        parts.append(_line(f"{cw.SETTLED_HEADING}:", "bold", "  "))
        parts += [_line(line.words, indent="    ") for line in sub.settled]
    if sub.settled and sub.outsiders:
        parts.append(_line(f"{cw.OPEN_HEADING}:", "bold", "  "))
        parts.append(_line(", ".join(label for _, label in sub.open) or cw.NOTHING, indent="    "))
    if sub.outsiders_sentence:
        parts += [Text(""), _line(sub.outsiders_sentence + ".", "bold")]
    if sub.completion is not None:
        parts.append(_line(f"{cw.COMPLETION_HEADING}:", indent="  "))
        parts += [_line(f"{line.label}: {line.shown}", indent="    ") for line in sub.completion.issues]
    if sub.conflict is not None:
        parts += [_line(f"{cw.SUB_CONFLICT_HEADING}: {sub.conflict.summary}.", indent="  ")]
        parts += [_line(f"{cw.SETTLED_VALUE_WHO}: {line.words}", "bold", "    ") for line in sub.conflict.settled]
        parts += rules_text(sub.conflict.rules, "    ")
    if sub.reach_line:
        parts += [Text(""), _line(sub.reach_line + ".", "bold")]
        parts += [_line(line.words, indent="    ") for line in sub.alternative]
        if sub.alternative_satisfied:
            parts.append(_line(sub.alternative_satisfied + ".", indent="  "))
        parts += _groups_text(sub.outside_blocking)
    if sub.blocking:
        parts += [Text(""), _line(f"{cw.SUB_BLOCKING_HEADING}:", indent="  ")]
        parts += _groups_text(sub.blocking)
    return parts


# -- Markdown ---------------------------------------------------------------------------------------------------------

def _md_groups(groups: tuple[GroupRow, ...]) -> list[str]:
    out: list[str] = []
    for group in groups:
        out += ["", f"**{group.label}. {md_cell(group.sentence)}.** {md_cell(group.conflict.summary)}",
                "", *rules_markdown(group.conflict.rules)]
        for other in group.others:
            out += ["", md_cell(cw.also_conflict(other.summary)), "", *rules_markdown(other.rules)]
    return out


def coalitions_markdown(view: CoalitionsView) -> str:
    out = [f"# {md_cell(view.title)}: coalitions", ""]
    out += [line for text in view.positions_lines for line in (md_cell(text), "")]
    out += [f"{md_cell(view.considered)}.", "",
            f"**{md_cell(view.verdict_line)}.**"]
    if view.facts_conflict is not None:
        out += ["", f"**{md_cell(view.facts_conflict.summary)}**", "", *rules_markdown(view.facts_conflict.rules)]
    if view.included_line:
        out += ["", f"{md_cell(view.included_line)}."]
    if view.maximal:
        out += ["", f"## {cw.MAXIMAL_HEADING}", ""]
        out += [f"- **{row.label}.** {md_cell(row.sentence)}." for row in view.maximal]
    if view.blocking or view.no_blocking_line:
        out += ["", f"## {cw.BLOCKING_HEADING}"]
    if view.no_blocking_line:
        out += ["", f"{md_cell(view.no_blocking_line)}."]
    out += _md_groups(view.blocking)
    if view.sub is not None:
        out += _md_sub(view.sub)
    out += [""] + sources_markdown(view.sources) if view.sources else []
    return "\n".join(out).rstrip() + "\n"


def _md_sub(sub: SubView) -> list[str]:
    out = ["", f"## {md_cell(sub.sentence)}."]
    if sub.satisfied:
        out += ["", f"{cw.BEST_DEAL_HEADING}: {md_cell(sub.satisfied)}."]
    if sub.canonical_line:
        out += ["", f"> {md_cell(sub.canonical_line)}."]
    if sub.settled:
        out += ["", f"**{cw.SETTLED_HEADING}**", ""]
        out += [f"- {md_cell(line.words)}" for line in sub.settled]
    if sub.settled and sub.outsiders:
        out += ["", f"**{cw.OPEN_HEADING}**", ""]
        out += [f"- {md_cell(label)}" for _, label in sub.open] or [f"- {cw.NOTHING}"]
    if sub.outsiders_sentence:
        out += ["", f"**{md_cell(sub.outsiders_sentence)}.**"]
    if sub.completion is not None:
        out += ["", f"{cw.COMPLETION_HEADING}:", "", "| Issue | Value |", "|---|---|"]
        out += [f"| {md_cell(line.label)} | {md_cell(line.shown)} |" for line in sub.completion.issues]
    if sub.conflict is not None:
        out += ["", f"{cw.SUB_CONFLICT_HEADING}: {md_cell(sub.conflict.summary)}.", ""]
        out += [f"- **{cw.SETTLED_VALUE_WHO}**: {md_cell(line.words)}" for line in sub.conflict.settled]
        out += rules_markdown(sub.conflict.rules)
    if sub.reach_line:
        out += ["", f"**{md_cell(sub.reach_line)}.**"]
        out += [""] + [f"- {md_cell(line.words)}" for line in sub.alternative] if sub.alternative else []
        out += ["", f"{md_cell(sub.alternative_satisfied)}."] if sub.alternative_satisfied else []
        out += _md_groups(sub.outside_blocking)
    if sub.blocking:
        out += ["", f"{cw.SUB_BLOCKING_HEADING}:"] + _md_groups(sub.blocking)
    return out


# -- HTML -------------------------------------------------------------------------------------------------------------

PICTURE_CSS = """
.picture { overflow-x: auto; } .picture svg { font: 11px system-ui, sans-serif; }
.picture .edge { stroke: #bbb; stroke-width: 1; }
.picture .deal rect { fill: #dcefdc; stroke: #7a7; } .picture .blocked rect { fill: #f3d6d3; stroke: #c88; }
.picture .unknown rect { fill: #fff; stroke: #999; stroke-dasharray: 3 2; }
.picture .maximal rect { stroke: #176317; stroke-width: 3; } .picture .blocking rect { stroke: #a31d12; stroke-width: 3; }
.picture .member { fill: #333; } .picture .grid-line { stroke: #ddd; }
"""  # noqa: E501 - one rule a line
PICTURE_STYLE = f"<style>{PICTURE_CSS}</style>"


def coalitions_html(view: CoalitionsView) -> str:
    return page(f"{view.title}: coalitions", [PICTURE_STYLE, *coalitions_body(view)])


def coalitions_body(view: CoalitionsView) -> list[str]:
    """The page's parts without the page and the picture's style (a notebook shows them under its own)."""
    anchors = {source.id: n for n, source in enumerate(view.sources, 1)}
    body = [f"<header><h1>{e(view.title)}: coalitions</h1>",
            *(f"<p class='summary'>{e(text)}</p>" for text in view.positions_lines),
            f"<p class='summary'>{e(view.considered)}.</p>",
            f"<p class='verdict verdict-{e(view.verdict)}'>{e(view.verdict_line)}.</p></header>"]
    if view.facts_conflict is not None:
        body.append(f"<section class='conflict'><p><b>{e(view.facts_conflict.summary)}</b></p>"
                    f"{rules_html(view.facts_conflict.rules, anchors)}</section>")
    if view.included_line:
        body.append(f"<p>{e(view.included_line)}.</p>")
    if view.picture is not None:
        body.append(f"<section id='picture'><h2>{cw.PICTURE_HEADING}</h2><div class='picture'>"
                    f"{_svg(view)}</div></section>")
    if view.maximal:
        body.append(f"<section id='maximal'><h2>{e(cw.MAXIMAL_HEADING)}</h2><ul>"
                    + "".join(f"<li><b>{row.label}.</b> {e(row.sentence)}.</li>" for row in view.maximal)
                    + "</ul></section>")
    if view.blocking or view.no_blocking_line:
        body.append(f"<section id='blocking'><h2>{e(cw.BLOCKING_HEADING)}</h2>")
        body += [f"<p>{e(view.no_blocking_line)}.</p>"] if view.no_blocking_line else []
        body += _html_groups(view.blocking, anchors)
        body.append("</section>")
    if view.sub is not None:
        body += _html_sub(view.sub, anchors)
    body.append(sources_section(view.sources))
    return body


def _html_groups(groups: tuple[GroupRow, ...], anchors: dict[str, int]) -> list[str]:
    return [f"<div class='conflict' id='group-{g.label}'><p><b>{g.label}. {e(g.sentence)}.</b> "
            f"{e(g.conflict.summary)}</p>{rules_html(g.conflict.rules, anchors)}"
            + "".join(f"<p>{e(cw.also_conflict(c.summary))}</p>{rules_html(c.rules, anchors)}" for c in g.others)
            + "</div>" for g in groups]


def _html_sub(sub: SubView, anchors: dict[str, int]) -> list[str]:
    body = [f"<section id='coalition'><h2>{e(sub.sentence)}.</h2>"]
    if sub.satisfied:
        body.append(f"<p>{e(cw.BEST_DEAL_HEADING)}: {e(sub.satisfied)}.</p>")
    if sub.canonical_line:
        body.append(f"<p class='incomplete'>{e(sub.canonical_line)}.</p>")
    if sub.settled:
        body.append(f"<h3>{e(cw.SETTLED_HEADING)}</h3><ul>"
                    + "".join(f"<li>{e(line.words)}</li>" for line in sub.settled) + "</ul>")
    if sub.settled and sub.outsiders:
        body.append(f"<h3>{e(cw.OPEN_HEADING)}</h3><ul>"
                    + ("".join(f"<li>{e(label)}</li>" for _, label in sub.open) or f"<li>{cw.NOTHING}</li>")
                    + "</ul>")
    if sub.outsiders_sentence:
        accepted = {True: "deal", False: "no-deal", None: "unknown"}[sub.outsiders_accept]
        body.append(f"<p class='verdict verdict-{accepted}'>{e(sub.outsiders_sentence)}.</p>")
    if sub.completion is not None:
        body.append(f"<h3>{e(cw.COMPLETION_HEADING)}</h3><table><tr><th>Issue</th><th>Value</th></tr>"
                    + "".join(f"<tr><td>{e(line.label)}</td><td>{e(line.shown)}</td></tr>"
                              for line in sub.completion.issues) + "</table>")
    if sub.conflict is not None:
        body.append(f"<div class='conflict'><h3>{e(cw.SUB_CONFLICT_HEADING)}</h3><p>{e(sub.conflict.summary)}.</p>"
                    "<ul>" + "".join(f"<li><span class='who'>{e(cw.SETTLED_VALUE_WHO)}</span>: {e(line.words)}</li>"
                                     for line in sub.conflict.settled)
                    + f"</ul>{rules_html(sub.conflict.rules, anchors)}</div>")
    if sub.reach_line:
        body.append(f"<p><b>{e(sub.reach_line)}.</b></p>")
        if sub.alternative:
            body.append("<ul>" + "".join(f"<li>{e(line.words)}</li>" for line in sub.alternative) + "</ul>")
        if sub.alternative_satisfied:
            body.append(f"<p>{e(sub.alternative_satisfied)}.</p>")
        body += _html_groups(sub.outside_blocking, anchors)
    if sub.blocking:
        body.append(f"<h3>{e(cw.SUB_BLOCKING_HEADING)}</h3>")
        body += _html_groups(sub.blocking, anchors)
    body.append("</section>")
    return body


def _svg(view: CoalitionsView) -> str:
    picture = view.picture
    assert picture is not None
    return _lattice_svg(picture) if picture.nodes else _grid_svg(view)


LEVEL_GAP = 70  # px between the levels of the lattice (coalition sizes)
NODE_HEIGHT = 20
LETTER_WIDTH = 8


def _lattice_svg(picture: Picture) -> str:
    """The Hasse diagram: a level per coalition size, the smallest at the bottom, an edge from each coalition to
    each one a party larger; each node labelled by its members' letters (the legend names them)."""
    levels: dict[int, list[Node]] = {}
    for node in picture.nodes:
        levels.setdefault(len(node.members), []).append(node)
    sizes = sorted(levels)
    width_of = {size: LETTER_WIDTH * max(size, 1) + 12 for size in sizes}
    span = max(max(len(levels[s]) * (width_of[s] + 16) for s in sizes), 400)
    legend_height = 18 * (len(picture.parties) + 6)
    height = LEVEL_GAP * (len(sizes) - 1) + NODE_HEIGHT + 20
    place: dict[tuple[int, ...], tuple[float, float]] = {}
    for row, size in enumerate(sizes):
        step = span / len(levels[size])
        for column, node in enumerate(levels[size]):
            place[node.members] = (step * (column + 0.5), height - 10 - NODE_HEIGHT / 2 - LEVEL_GAP * row)
    edges = []
    for node in picture.nodes:
        x1, y1 = place[node.members]
        for extra in range(len(picture.parties)):
            bigger = tuple(sorted({*node.members, extra}))
            if extra not in node.members and bigger in place:
                x2, y2 = place[bigger]
                edges.append(f"<line class='edge' x1='{x1:.1f}' y1='{y1 - NODE_HEIGHT / 2:.1f}' x2='{x2:.1f}' "
                             f"y2='{y2 + NODE_HEIGHT / 2:.1f}'/>")
    boxes = [_node_svg(picture, node, place[node.members], width_of[len(node.members)]) for node in picture.nodes]
    legend = _legend_svg(picture, height + 10)
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{span:.0f}' height='{height + legend_height}' "
            f"role='img' aria-label='{e(cw.PICTURE_HEADING)}'>" + "".join(edges) + "".join(boxes) + legend + "</svg>")


def _node_svg(picture: Picture, node: Node, at: tuple[float, float], width: int) -> str:
    x, y = at
    marks = " maximal" if node.maximal else " blocking" if node.blocking else ""
    label = "".join(picture.letters[i] for i in node.members) or "∅"
    members = ", ".join(picture.parties[i] for i in node.members) or "no party"
    status = {"deal": cw.LEGEND_DEAL, "blocked": cw.LEGEND_BLOCKED, "unknown": cw.LEGEND_UNKNOWN}[node.status]
    extra = f"; {cw.LEGEND_MAXIMAL}" if node.maximal else f"; {cw.LEGEND_BLOCKING}" if node.blocking else ""
    return (f"<g class='{node.status}{marks}'><title>{e(members)}: {e(status + extra)}</title>"
            f"<rect x='{x - width / 2:.1f}' y='{y - NODE_HEIGHT / 2:.1f}' width='{width}' height='{NODE_HEIGHT}' "
            f"rx='4'/><text x='{x:.1f}' y='{y + 4:.1f}' text-anchor='middle'>{e(label)}</text></g>")


def _legend_svg(picture: Picture, top: float) -> str:
    keys = [("deal", cw.LEGEND_DEAL), ("blocked", cw.LEGEND_BLOCKED), ("unknown", cw.LEGEND_UNKNOWN),
            ("deal maximal", cw.LEGEND_MAXIMAL), ("blocked blocking", cw.LEGEND_BLOCKING)]
    items = [f"<g class='{cls}'><rect x='4' y='{top + 18 * n:.0f}' width='18' height='12' rx='3'/>"
             f"<text x='28' y='{top + 18 * n + 10:.0f}'>{e(words)}</text></g>" for n, (cls, words) in enumerate(keys)]
    items += [f"<text x='4' y='{top + 18 * (len(keys) + n) + 10:.0f}'>{e(letter)} = {e(name)}</text>"
              for n, (letter, name) in enumerate(zip(picture.letters, picture.parties))]
    return "".join(items)


CELL = 22  # px: one member cell of the grid


def _grid_svg(view: CoalitionsView) -> str:
    """Beyond LATTICE_PARTIES parties: a row per party, a column per maximal coalition (M1, ...) and per blocking
    group (B1, ...), a dot where the party belongs (an included party belongs to every blocking group's coalition)."""
    columns = [(row.label, "maximal", set(row.parties)) for row in view.maximal]
    columns += [(g.label, "blocking", set(g.parties) | set(view.included)) for g in view.blocking]
    name_width = 8 * max((len(name) for name in view.names), default=4) + 16
    width = name_width + CELL * len(columns) + 8
    height = CELL * (len(view.parties) + 1) + 8
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img' "
             f"aria-label='{e(cw.PICTURE_HEADING)}'>"]
    for c, (label, kind, _) in enumerate(columns):
        x = name_width + CELL * c + CELL / 2
        parts.append(f"<text class='{kind}' x='{x:.0f}' y='{CELL - 6}' text-anchor='middle'>{e(label)}</text>")
    for r, (party, name) in enumerate(zip(view.parties, view.names), 1):
        y = CELL * r + CELL / 2
        parts.append(f"<line class='grid-line' x1='0' y1='{y + CELL / 2:.0f}' x2='{width}' y2='{y + CELL / 2:.0f}'/>"
                     f"<text x='4' y='{y + 4:.0f}'>{e(name)}</text>")
        for c, (label, kind, members) in enumerate(columns):
            if party in members:
                x = name_width + CELL * c + CELL / 2
                fill = "#176317" if kind == "maximal" else "#a31d12"
                parts.append(f"<circle class='member' cx='{x:.0f}' cy='{y:.0f}' r='6' fill='{fill}'>"
                             f"<title>{e(name)}: {e(label)}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)
