"""The presentation model: what each command tells its user, built once from the scenario and the solver's
results as plain frozen data. The `feasible/1` JSON is its serialisation (the `json` methods); text
(cli/report.py, cli/changes.py), Markdown (cli/markdown.py) and HTML (cli/html_report.py) render it and add
only layout: every statement in it (the verdict, how far the deal is from the best, the lists cut short, the
ties) is worded by cli/words.py when the model is built, so that the formats cannot disagree.

Renderers never see a Scenario or a CheckResult; whatever they show is here."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from feasible.positions import Scenario
from feasible.positions.kinds import IssueType, for_value, issue_type
from feasible.positions.model import RuleRef, Source
from feasible.positions.sequences import order_cycle, order_edge
from feasible.positions.utility import PRECISION, decimal_text
from feasible.positions.versions import rule_fields
from feasible.solver import CheckResult, Deal, Room, Verdict
from feasible.solver.explain.disputes import cost_by_party

from .conflict_map import ConflictMap, build_map, dispute_numbers
from .render import counts_line
from .words import (FACTS_ALONE, NOT_VARIED_MARK, OPEN_VALUES, RUN_INTERRUPTED, UNLISTED_AFTER, UNLISTED_BEFORE, Said,
                    bottom_line, combinations_line, conflict_summary, conflicts_heading, combined_heading, dispute_line,
                    dispute_title, headline_missing, disputes_heading, one_of, edits_heading, option_line,
                    options_left_out, explain_answer, explain_question, facts_alone_leave_no_deal, first_way_deal,
                    forced_line, left_out_line, not_ranked_by_deal, not_varied, opened_caption, optimality, percent,
                    reason_summary, reason_subject, red_lines_then_facts, relaxation_opens, relaxations_cut_short,
                    rule_named, said, said_rule, shared_issues, show_or_dash, show_value, tied_cheapest,
                    unreachable_heading, verdict_sentence, verdict_word, without_the_edits)
from .words import (after_last_change_line, as_of_line, disputes_words, distance_line, issue_label, issues_left_out,
                    set_aside_line, the_issues)
from .words import cycle_summary, used_readings_line
from .words import satisfied_cell

FORMAT = "feasible/1"


def json_value(value: Any) -> Any:
    """Issue values as JSON, in their kind's form (positions/kinds.py): sets as sorted lists."""
    return None if value is None else for_value(value).json(value)


def json_fraction(value) -> float | None:
    return None if value is None else round(float(value), 6)


UTILITY_PLACES = len(str(PRECISION)) - 1  # a utility is a whole number of millionths: shown exactly


# -- the pieces -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoomView:
    """Which values of an issue occur in some deal, as data (JSON) and as words."""

    issue: str
    kind: IssueType
    possible: tuple[Any, ...]
    minimum: int | None
    maximum: int | None
    in_every_deal: tuple[str, ...]
    in_no_deal: tuple[str, ...]
    values: tuple[str, ...] | None
    complete: bool
    forced: bool  # every deal settles the issue the same way (and the search for the room was not cut short)
    forced_value: Any
    words: str  # "forced", "400..700", "always a; never b", "north | east" ("(or more)" when cut short)
    phases: tuple[tuple[str, tuple[int, ...]], ...] = ()  # sequence issues (solver.result.Room)
    relations: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def json(self) -> Any:
        return self.kind.room_json(self)


def room_view(scenario: Scenario, room: Room) -> RoomView:
    kind = issue_type(scenario.issues[room.issue])
    is_forced, value = kind.forced(room)
    forced = is_forced and room.complete
    return RoomView(room.issue, kind, room.possible, room.minimum, room.maximum, room.in_every_deal,
                    room.in_no_deal, room.values, room.complete, forced, value if forced else None,
                    _room_words(kind, room, forced), room.phases, room.relations)


def _room_words(kind: IssueType, room: Room, forced: bool) -> str:
    if forced:
        return "forced"
    return kind.room_words(room) + ("" if room.complete else " (or more)")


@dataclass(frozen=True)
class IssueLine:
    """One issue of a deal: its value, the room left on it ("" where no room was computed), what it decides."""

    name: str
    value: Any
    shown: str
    room: str
    description: str
    label: str  # the issue as people read it (words.issue_label)
    open: str = ""  # the values the issue can take alone, keeping everything ("" when only its own value does)
    open_json: Any = None  # the same as data (None where they were not computed)
    unvaried: bool = False  # the time limit came before the issue was varied: its value may be one of many
    listed: tuple[tuple[int, str], ...] = ()  # a sequence's one order as a list, (phase, steps), 0: left out

    @property
    def cell(self) -> str:
        """What the deal says of the issue: its open values when it has several, else its value (marked when it
        could not be varied in time: no reader should take it as chosen)."""
        return self.open or (f"{self.shown} {NOT_VARIED_MARK}" if self.unvaried else self.shown)


@dataclass(frozen=True)
class PartyLine:
    """What one party gets from a deal: its satisfaction and its demands met and not met, in its words."""

    party: str
    name: str
    satisfaction: Any  # a Fraction, or None for a party without demands
    met: tuple[Said, ...]
    unmet: tuple[Said, ...]
    utility: str | None = None  # its utility block's exact value, 6 decimals; None: the party has no block

    @property
    def percent(self) -> str:
        return percent(self.satisfaction)

    @property
    def cell(self) -> str:
        """Its satisfaction, and its utility when it has a block."""
        return satisfied_cell(self.satisfaction, self.utility)


@dataclass(frozen=True)
class DealView:
    issues: tuple[IssueLine, ...]
    parties: tuple[PartyLine, ...]
    optimal: bool
    gap: float | None
    left_out: tuple[str, ...]  # party ids
    left_out_line: str  # why fairness leaves them out ("" when no party is left out)
    open_note: str = ""  # what "any of …" means ("" when no issue has several open values)
    unvaried_note: str = ""  # the issues the time limit left un-varied ("" when none)

    @property
    def satisfied(self) -> str:
        """Each party with demands and its satisfaction: "North 60%, East 83%"."""
        return ", ".join(f"{p.name} {p.percent}" for p in self.parties if p.satisfaction is not None)

    def json(self) -> dict[str, Any]:
        return {
            "issues": {line.name: json_value(line.value) for line in self.issues},
            "open": {line.name: line.open_json for line in self.issues if line.open_json is not None},
            "satisfaction": {p.party: json_fraction(p.satisfaction) for p in self.parties
                             if p.satisfaction is not None},
            "parties": {p.party: {"satisfaction": json_fraction(p.satisfaction), "met": [d.name for d in p.met],
                                  "unmet": [d.name for d in p.unmet],
                                  **({"utility": p.utility} if p.utility is not None else {})} for p in self.parties},
            "optimal": self.optimal,
            "gap": self.gap,
            "left_out": list(self.left_out),
        }


def deal_view(scenario: Scenario, deal: Deal, room: dict[str, RoomView] | None = None) -> DealView:
    room = room or {}
    issues = tuple(_issue_line(scenario, deal, name, room.get(name)) for name in deal.values)
    parties = tuple(_party_line(scenario, o) for o in deal.outcomes)
    left_out = left_out_line(scenario, deal.left_out) if deal.left_out else ""
    note = OPEN_VALUES if any(line.open for line in issues) else ""
    unvaried = [line.label for line in issues if line.unvaried]
    return DealView(issues, parties, deal.optimal, deal.gap, deal.left_out, left_out, note,
                    not_varied(unvaried) if unvaried else "")


def _issue_line(scenario: Scenario, deal: Deal, name: str, room: RoomView | None) -> IssueLine:
    """One issue of a deal: its open values stand in for its value when there are several, and the room is left
    out when it says no more than they do (docs/check.md)."""
    value, open_ = deal.values[name], deal.open.get(name)
    kind = issue_type(scenario.issues[name])
    words, data = open_values(scenario, deal, name)
    covered = open_ is not None and bool(words) and room is not None and room.complete \
        and kind.open_covers_room(open_, room)
    return IssueLine(name, value, show_value(value), room.words if room is not None and not covered else "",
                     scenario.issues[name].description or "", issue_label(scenario, name), words, data,
                     deal.open_cut and open_ is None, () if words else kind.listed(value))


def open_values(scenario: Scenario, deal: Deal | None, name: str) -> tuple[str, Any]:
    """An issue's open values in a deal, in words ("" unless there are several) and as data (None when they
    were not computed)."""
    open_ = deal.open.get(name) if deal is not None else None
    if open_ is None or name not in scenario.issues:
        return "", None
    kind = issue_type(scenario.issues[name])
    return (kind.open_words(open_) if open_.is_open else ""), kind.open_json(open_)


def _party_line(scenario: Scenario, outcome) -> PartyLine:
    demands = {d.name: d for d in scenario.party(outcome.party).demands}  # a party's own: no scan of every rule
    return PartyLine(outcome.party, outcome.name, outcome.satisfaction,
                     tuple(said_rule(scenario, demands[n]) for n in outcome.met),
                     tuple(said_rule(scenario, demands[n]) for n in outcome.unmet),
                     None if outcome.utility is None else decimal_text(outcome.utility, UTILITY_PLACES))


@dataclass(frozen=True)
class Rules:
    """The rules behind a conflict or a reason: the parties' red lines (what-if settings among them), then the
    facts, each in its words with its id."""

    red_lines: tuple[Said, ...]
    facts: tuple[Said, ...]

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.red_lines + self.facts]


def rules(scenario: Scenario, red_lines: Sequence[str], facts: Sequence[str]) -> Rules:
    return Rules(tuple(said(scenario, n) for n in red_lines), tuple(said(scenario, n) for n in facts))


@dataclass(frozen=True)
class ConflictView:
    """A minimal set of red lines and facts that cannot all hold (or the reason a target is ruled out)."""

    rules: Rules
    issues: tuple[str, ...]  # the issues they collide over
    summary: str  # one sentence an analyst could write
    dispute: int = 0  # the dispute it belongs to (conflicts joined by shared red lines), 0 for a reason
    cycle: tuple[tuple[str, str, str], ...] = ()  # order statements forming one cycle: (rule, earlier, later)

    def json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"red_lines": sorted(r.name for r in self.rules.red_lines),
                               "facts": sorted(r.name for r in self.rules.facts),
                               "issues": list(self.issues), "summary": self.summary}
        if self.cycle:  # (only then: the documents of other conflicts stay as they were)
            doc["cycle"] = [{"rule": rule, "earlier": earlier, "later": later} for rule, earlier, later in self.cycle]
        return doc


def conflict_view(scenario: Scenario, red_lines: Sequence[str], facts: Sequence[str]) -> ConflictView:
    """A conflict; one whose rules are all order statements forming one cycle is summed up as that cycle."""
    names = [*red_lines, *facts]
    cycle = order_cycle([(name, order_edge(scenario.rule(name).expr)) for name in names]) or ()
    summary = cycle_summary([(None if scenario.rule(rule).is_fact else said(scenario, rule).who, earlier, later)
                             for rule, earlier, later in cycle]) \
        if cycle else conflict_summary(scenario, red_lines, facts)
    return ConflictView(rules(scenario, red_lines, facts), tuple(shared_issues(scenario, names)), summary,
                        cycle=cycle)


@dataclass(frozen=True)
class UnreachableView:
    demand: Said
    because: Rules  # empty: the demand is impossible in itself

    def json(self) -> dict[str, Any]:
        return {"demand": self.demand.name, "because": sorted(self.because.names)}


@dataclass(frozen=True)
class GivenUp:
    """The red lines one party gives up in a relaxation, and its share of the cost."""

    who: str
    cost: int
    red_lines: tuple[Said, ...]


@dataclass(frozen=True)
class RelaxationView:
    drop: tuple[str, ...]
    cost: int
    cost_by_party: dict[str, int]
    costs: tuple[tuple[str, int], ...]  # (party name, its share of the cost)
    by_party: tuple[GivenUp, ...]
    deal: DealView | None
    opens: str  # what giving them up opens: the deal's satisfaction and proof, or that the deal ran out of time

    def json(self) -> dict[str, Any]:
        return {"drop": list(self.drop), "cost": self.cost, "cost_by_party": self.cost_by_party,
                "deal": self.deal.json() if self.deal else None}


def relaxation_view(scenario: Scenario, relaxation, interrupted: bool) -> RelaxationView:
    by_party = given_up(scenario, relaxation.drop)
    deal = deal_view(scenario, relaxation.deal) if relaxation.deal is not None else None
    opens = relaxation_opens(deal.satisfied if deal else None, bool(deal and deal.optimal), interrupted)
    costs = tuple((_party_name(scenario, party) or party, cost) for party, cost in relaxation.cost_by_party.items())
    return RelaxationView(tuple(relaxation.drop), relaxation.cost, relaxation.cost_by_party, costs, by_party, deal,
                          opens)


@dataclass(frozen=True)
class OptionView:
    """One way to settle a dispute: the red lines to give up, by party."""

    drop: tuple[str, ...]
    cost: int
    cheapest: bool  # costs as little as the dispute's cheapest option
    by_party: tuple[GivenUp, ...]
    cost_line: str

    def json(self) -> dict[str, Any]:
        return {"drop": list(self.drop), "cost": self.cost}


@dataclass(frozen=True)
class DisputeView:
    """Conflicts joined by shared red lines, and the ways to settle them (when every conflict is known)."""

    title: str  # "Dispute 1: Russia and Ukraine"
    options_heading: str  # "Dispute 1: Russia and Ukraine: one of"
    parties: tuple[str, ...]  # ids
    headline: bool
    conflicts: tuple[int, ...]  # the numbers (from 1) of its conflicts in CheckView.conflicts
    red_lines: tuple[str, ...]
    options: tuple[OptionView, ...]  # verified, cheapest first (empty when not known)
    option_count: int  # all its minimal options (more than listed when --relaxations cut the list)
    more_options: str | None  # the options not listed

    def json(self) -> dict[str, Any]:
        return {"parties": list(self.parties), "headline": self.headline,
                "conflicts": [n - 1 for n in self.conflicts], "red_lines": list(self.red_lines),
                "options": [o.json() for o in self.options],
                "option_count": self.option_count if self.options else None}


def given_up(scenario: Scenario, drop: Sequence[str]) -> tuple[GivenUp, ...]:
    """The red lines given up, by party (named once), with each party's share of the cost."""
    by_owner: dict[str, list[str]] = {}
    for name in drop:
        by_owner.setdefault(RuleRef.parse(name).owner, []).append(name)
    costs = cost_by_party(scenario, drop)
    return tuple(GivenUp(said(scenario, names[0]).who, costs[owner], tuple(said(scenario, n) for n in names))
                 for owner, names in by_owner.items())


def dispute_views(scenario: Scenario, result: CheckResult) -> tuple[DisputeView, ...]:
    number = {conflict: index for index, conflict in enumerate(result.conflicts, 1)}
    same_parties = Counter(dispute.parties for dispute in result.disputes)
    views = []
    for index, dispute in enumerate(result.disputes, 1):
        names = [scenario.party(p).name for p in dispute.parties]
        issues = shared_issues(scenario, [n for c in dispute.conflicts for n in c.red_lines + c.facts]) if (
            same_parties[dispute.parties] > 1) else []
        cheapest = dispute.options[0].cost if dispute.options else None
        options = tuple(OptionView(o.drop, o.cost, o.cost == cheapest, given_up(scenario, o.drop),
                                   option_line(o.cost, o.cost == cheapest)) for o in dispute.options)
        title = dispute_title(index, names, dispute.headline, the_issues(scenario, issues) if issues else "")
        views.append(DisputeView(title, one_of(title), dispute.parties, dispute.headline,
                                 tuple(number[c] for c in dispute.conflicts), dispute.red_lines, options,
                                 dispute.option_count, options_left_out(len(options), dispute.option_count)
                                 if options else None))
    return tuple(views)


def combinations_summary(result: CheckResult) -> str | None:
    """The one line that sums up the cheapest ways when they combine the disputes' options."""
    disputes = result.disputes
    if (result.relaxation_count is None or not result.conflicts_complete or len(disputes) < 2
            or not all(d.options for d in disputes)):
        return None  # (one dispute: its options are the relaxations listed)
    cheapest = [len(d.cheapest) for d in disputes]
    return combinations_line(cheapest, sum(d.options[0].cost for d in disputes), result.relaxation_count)


# -- check --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckView:
    """The answer of `check` (and `report`, and each side of `diff`) as every format presents it."""

    title: str
    counts: str  # parties, issues, red lines, demands, facts
    party_names: tuple[str, ...]
    issue_count: int
    verdict: str  # deal | no-deal | unknown
    verdict_word: str  # DEAL | NO DEAL | UNKNOWN
    verdict_sentence: str  # what it means, with the proof of the deal (`proof`) inside it
    objective: str
    proof: str | None  # how far the best deal is known to be from the best possible (None without a deal)
    interrupted: bool
    interrupted_note: str | None
    deals: tuple[DealView, ...]
    room: tuple[RoomView, ...]
    forced: tuple[RoomView, ...]
    forced_line: str | None  # None without a room (no deal)
    unreachable: tuple[UnreachableView, ...]
    unreachable_complete: bool
    unreachable_heading: str | None  # None when there is nothing to say about unreachable demands
    conflicts: tuple[ConflictView, ...]
    conflicts_complete: bool
    conflicts_heading: str | None  # None when there is a deal and no conflict
    disputes: tuple[DisputeView, ...]
    disputes_heading: str | None  # None unless the conflicts form two disputes or more
    headline_missing: str | None  # the scenario names a headline conflict that is not among those found
    combinations: str | None  # the cheapest ways as one option per dispute (None: one dispute, or not known)
    combined: str | None  # heads the combinations listed, when `combinations` is said
    relaxations: tuple[RelaxationView, ...]
    relaxations_complete: bool
    relaxations_canonical: bool  # the listed relaxations are the first of the canonical order
    relaxations_ranked_by_deal: bool | None  # --rank-by-deal: whether it ranked them (None: not asked)
    relaxation_count: int | None  # how many minimal relaxations there are, when known
    cheapest_relaxation_count: int | None
    relaxations_cut_short: str | None
    facts_alone: str | None  # no red line can be given up: the facts alone leave no deal
    opened_caption: str | None  # above the satisfaction in the deal the first way opens (None: no such deal)
    ties: str | None  # the cheapest relaxations that cost the same as the first
    not_ranked: str | None  # --rank-by-deal could not rank them
    first_way: str | None  # names the deal the first relaxation opens (with the ties)
    with_deals: bool  # the JSON lists the deals (--deals)
    statistics: Any
    sources: tuple[Source, ...]
    conflict_map: ConflictMap
    description: str | None = None
    caveats: tuple[str, ...] = ()
    bottom_line: str = ""  # the answer in one paragraph: verdict, disputes, the cheapest way, what is open
    readings: tuple[str, ...] = ()  # the scenario's readings the answer is under (--reading)
    readings_line: str | None = None  # says so (None: the files as written)
    as_of: str | None = None  # the day whose positions were checked (YYYY-MM-DD), when the scenario is dated
    as_of_line: str | None = None

    @property
    def deal(self) -> DealView | None:
        return self.deals[0] if self.deals else None

    @property
    def description_paragraphs(self) -> tuple[str, ...]:
        """The description as paragraphs, each one line (a list item starts a line of its own): a YAML block
        breaks lines wherever its author did, and a page should wrap them to its width."""
        return tuple(_reflowed(block) for block in (self.description or "").split("\n\n") if block.strip())

    @property
    def statements(self) -> tuple[str, ...]:
        """Every sentence about the answer that no format may leave out: the verdict (with the deal's proof),
        who fairness leaves out, the interruption, the forced issues, the headings that say how far each list
        goes (cut short or not), what each relaxation opens, the ties among the cheapest, the facts alone."""
        found = [self.readings_line, self.verdict_sentence, self.as_of_line,
                 self.deal.left_out_line if self.deal else None,
                 self.deal.open_note if self.deal else None, self.deal.unvaried_note if self.deal else None,
                 self.interrupted_note,
                 self.forced_line, self.unreachable_heading, self.conflicts_heading, self.headline_missing,
                 self.disputes_heading,
                 *(d.title for d in self.disputes if len(self.disputes) > 1), *(c.summary for c in self.conflicts),
                 self.combinations, self.combined, *(r.opens for r in self.relaxations),
                 *(r.deal.left_out_line for r in self.relaxations if r.deal), self.ties, self.not_ranked,
                 self.relaxations_cut_short, self.facts_alone]
        return tuple(s for s in found if s)

    def json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"format": FORMAT, "scenario": self.title, **readings_json(self.readings)}
        doc |= {
            "verdict": self.verdict,
            "objective": self.objective,
            "deal": self.deal.json() if self.deal else None,
            "forced": {room.issue: json_value(room.forced_value) for room in self.forced},
            "room": {room.issue: room.json() for room in self.room},
            "room_complete": all(room.complete for room in self.room) if self.room else None,
        }
        if self.verdict == Verdict.NO_DEAL.value:
            doc["conflicts"] = [c.json() for c in self.conflicts]
            doc["conflicts_complete"] = self.conflicts_complete
            doc["disputes"] = [d.json() for d in self.disputes]
            doc["relaxations"] = [r.json() for r in self.relaxations]
            doc["relaxations_complete"] = self.relaxations_complete
            doc["relaxations_canonical"] = self.relaxations_canonical
            doc["relaxations_ranked_by_deal"] = self.relaxations_ranked_by_deal
            doc["relaxation_count"] = self.relaxation_count
            doc["cheapest_relaxation_count"] = self.cheapest_relaxation_count
        if self.verdict == Verdict.DEAL.value:
            doc["unreachable"] = [u.json() for u in self.unreachable]
            doc["unreachable_complete"] = self.unreachable_complete
        if self.with_deals:
            doc["deals"] = [d.json() for d in self.deals]
        doc["interrupted"] = self.interrupted
        if self.statistics:
            doc["statistics"] = {"variables": self.statistics.variables,
                                 "constraints": self.statistics.constraints, "solves": self.statistics.solves}
        if self.as_of:
            doc["as_of"] = self.as_of
        return doc


def check_view(scenario: Scenario, result: CheckResult, *, with_deals: bool = False, edits: str = "") -> CheckView:
    """`edits`: the what-if edits as typed, when the scenario is the edited one (the bottom line says so)."""
    room = {name: room_view(scenario, r) for name, r in result.room.items()}
    forced = tuple(r for r in room.values() if r.forced)
    deals = tuple(deal_view(scenario, d, room) for d in result.deals)
    best = result.deal
    proof = optimality(best.optimal, best.gap, result.interrupted, result.objective.value) if best else None
    no_deal = result.verdict is Verdict.NO_DEAL
    relaxations = tuple(relaxation_view(scenario, r, result.interrupted) for r in result.relaxations)
    costs = [r.cost for r in relaxations]
    ranked_by = result.objective.value if result.relaxations_ranked_by_deal else None
    # (a search cut short says so in a line of its own: the ties need no second warning)
    fixed = result.relaxations_canonical or not result.relaxations_complete
    combinations = combinations_summary(result)
    first_way = first_way_deal(costs, fixed, result.cheapest_relaxation_count, ranked_by) if costs else None
    show_unreachable = best is not None and (bool(result.unreachable) or not result.unreachable_complete)
    conflicts = tuple(replace(conflict_view(scenario, c.red_lines, c.facts), dispute=n)
                      for c, n in zip(result.conflicts, dispute_numbers(result)))
    disputes = dispute_views(scenario, result)
    # counted in all when the disputes' options are known, else among the ways listed
    tied = result.cheapest_relaxation_count or (costs.count(costs[0]) if costs else 0)
    verdict = verdict_sentence(result.verdict.value, result.objective.value, proof, result.interrupted)
    return CheckView(
        title=scenario.title, counts=counts_line(scenario), party_names=tuple(p.name for p in scenario.parties),
        issue_count=len(scenario.issues), verdict=result.verdict.value,
        verdict_word=verdict_word(result.verdict.value),
        verdict_sentence=verdict,
        objective=result.objective.value, proof=proof, interrupted=result.interrupted,
        interrupted_note=RUN_INTERRUPTED if result.interrupted else None, deals=deals,
        room=tuple(room.values()), forced=forced,
        forced_line=forced_line([issue_label(scenario, r.issue) for r in forced], len(scenario.issues))
        if room else None,
        unreachable=tuple(UnreachableView(said(scenario, u.demand), rules(scenario, *red_lines_then_facts(u.because)))
                          for u in result.unreachable),
        unreachable_complete=result.unreachable_complete,
        unreachable_heading=unreachable_heading(len(result.unreachable), result.unreachable_complete,
                                                result.interrupted) if show_unreachable else None,
        conflicts=conflicts,
        conflicts_complete=result.conflicts_complete,
        conflicts_heading=conflicts_heading(len(result.conflicts), result.conflicts_complete,
                                            result.conflicts_cut_by_time, result.interrupted)
        if result.conflicts or no_deal else None,
        disputes=disputes,
        headline_missing=headline_missing(scenario.headline, result.conflicts_complete)
        if no_deal and scenario.headline and not any(d.headline for d in result.disputes) else None,
        disputes_heading=disputes_heading(len(result.disputes), result.conflicts_complete)
        if len(result.disputes) > 1 else None,
        combinations=combinations,
        combined=combined_heading(len(relaxations), result.relaxation_count) if combinations else None,
        relaxations=relaxations, relaxations_complete=result.relaxations_complete,
        relaxations_canonical=result.relaxations_canonical,
        relaxations_ranked_by_deal=result.relaxations_ranked_by_deal, relaxation_count=result.relaxation_count,
        cheapest_relaxation_count=result.cheapest_relaxation_count,
        relaxations_cut_short=relaxations_cut_short(len(relaxations), result.interrupted)
        if no_deal and not result.relaxations_complete else None,
        facts_alone=FACTS_ALONE if facts_alone_leave_no_deal(result) else None,
        ties=tied_cheapest(costs, fixed, result.cheapest_relaxation_count, ranked_by),
        first_way=first_way, opened_caption=opened_caption(first_way, edits) if first_way else None,
        not_ranked=not_ranked_by_deal() if result.relaxations_ranked_by_deal is False else None,
        with_deals=with_deals, statistics=result.statistics, sources=tuple(scenario.sources),
        conflict_map=build_map(scenario, result), description=scenario.description, caveats=scenario.caveats,
        as_of=as_of_shown(scenario), as_of_line=dated_line(scenario),
        bottom_line=bottom_line(result.verdict.value, verdict,
                                disputes=tuple(dispute_line(number, [scenario.party(p).name for p in d.parties],
                                                            d.conflicts) for number, d in enumerate(disputes, 1)),
                                conflicts_complete=result.conflicts_complete,
                                cheapest=costs[0] if costs else None, tied=tied,
                                tied_in_all=result.cheapest_relaxation_count is not None,
                                forced=len(forced) if room and all(r.complete for r in room.values()) else None,
                                issues=len(scenario.issues), edits=edits,
                                example_shown=bool(result.relaxations and result.relaxations[0].deal)),
        readings=scenario.readings_used, readings_line=used_readings_line(scenario))


def as_of_shown(scenario: Scenario) -> str | None:
    """The day a scenario taken as of a day stands at (positions/dates.py), as every format writes it."""
    return scenario.as_of.isoformat() if scenario.as_of else None


def dated_line(scenario: Scenario) -> str | None:
    """Which day's positions: "Positions as of DATE." for a scenario taken as of a day, the state after the last
    change for a dated one taken at no day, None for an undated one."""
    day = as_of_shown(scenario)
    if day:
        return as_of_line(day)
    return after_last_change_line(scenario.dates[-1].isoformat()) if scenario.dates else None


_LIST_ITEM = re.compile(r"\s*(?:[-*]|\d+\.)\s")


def _reflowed(block: str) -> str:
    lines: list[str] = []
    for line in block.strip().splitlines():
        item = _LIST_ITEM.match(line) is not None
        if lines and not item:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line.strip())
    return "\n".join(lines)


# -- before and after ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IssueChangeView:
    issue: str
    before: Any
    after: Any
    room_before: RoomView | None
    room_after: RoomView | None
    label: str = ""  # the issue as people read it (in the newer scenario's words, else the older's)
    open_before: tuple[str, Any] = ("", None)  # the open values in the deal before, in words and as data
    open_after: tuple[str, Any] = ("", None)

    @property
    def shown_before(self) -> str:
        return self.open_before[0] or show_or_dash(self.before)

    @property
    def shown_after(self) -> str:
        return self.open_after[0] or show_or_dash(self.after)

    def json(self) -> dict[str, Any]:
        return {"before": json_value(self.before), "after": json_value(self.after),
                "open_before": self.open_before[1], "open_after": self.open_after[1],
                "room_before": self.room_before.json() if self.room_before else None,
                "room_after": self.room_after.json() if self.room_after else None}


@dataclass(frozen=True)
class SatisfactionChange:
    party: str
    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ComparisonView:
    """How the answer changes: edits against the files as they are, or two versions of a scenario."""

    verdict_before: str
    verdict_after: str
    conflicts_resolved: tuple[tuple[str, ...], ...]
    conflicts_remaining: tuple[tuple[str, ...], ...]
    conflicts_new: tuple[tuple[str, ...], ...]
    conflicts_unlisted_after: tuple[tuple[str, ...], ...]
    conflicts_unlisted_before: tuple[tuple[str, ...], ...]
    issues_changed: tuple[IssueChangeView, ...]
    satisfaction: tuple[SatisfactionChange, ...]
    distance: Any  # (before, after): solver.compare.Distance, how far each side is from a deal
    distance_line: str  # "cheapest way to a deal: cost 3 → 2; disputes 3 → 2"

    @property
    def conflict_groups(self) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
        return (("resolved", self.conflicts_resolved), ("remaining", self.conflicts_remaining),
                ("new", self.conflicts_new), (UNLISTED_AFTER, self.conflicts_unlisted_after),
                (UNLISTED_BEFORE, self.conflicts_unlisted_before))

    def json(self) -> dict[str, Any]:
        return {
            "verdict": {"before": self.verdict_before, "after": self.verdict_after},
            "conflicts_resolved": [list(c) for c in self.conflicts_resolved],
            "conflicts_remaining": [list(c) for c in self.conflicts_remaining],
            "conflicts_new": [list(c) for c in self.conflicts_new],
            "conflicts_unlisted_after": [list(c) for c in self.conflicts_unlisted_after],
            "conflicts_unlisted_before": [list(c) for c in self.conflicts_unlisted_before],
            "issues_changed": {change.issue: change.json() for change in self.issues_changed},
            "satisfaction": {s.party: {"before": json_fraction(s.before), "after": json_fraction(s.after)}
                             for s in self.satisfaction},
            "distance": {side: {"cheapest_cost": d.cost, "disputes": d.disputes,
                                "disputes_complete": d.disputes_complete}
                         for side, d in zip(("before", "after"), self.distance)},
        }


def comparison_view(before: Scenario, after: Scenario, old: CheckResult, new: CheckResult) -> ComparisonView:
    from feasible.solver.compare import compare

    comparison = compare(old, new)
    changes = tuple(IssueChangeView(c.issue, c.before, c.after,
                                    room_view(before, c.room_before) if c.room_before else None,
                                    room_view(after, c.room_after) if c.room_after else None,
                                    issue_label(after if c.issue in after.issues else before, c.issue),
                                    open_values(before, old.deal, c.issue), open_values(after, new.deal, c.issue))
                    for c in comparison.issues_changed)
    satisfaction = tuple(SatisfactionChange(party, _party_name(after, party) or _party_name(before, party) or party,
                                            b, a) for party, (b, a) in comparison.satisfaction.items())
    before_side, after_side = sides = (comparison.distance_before, comparison.distance_after)
    line = distance_line((before_side.cost, after_side.cost), (before_side.disputes, after_side.disputes),
                         (before_side.disputes_complete, after_side.disputes_complete))
    return ComparisonView(comparison.verdict_before.value, comparison.verdict_after.value,
                          comparison.conflicts_resolved, comparison.conflicts_remaining, comparison.conflicts_new,
                          comparison.conflicts_unlisted_after, comparison.conflicts_unlisted_before,
                          changes, satisfaction, sides, line)


def _party_name(scenario: Scenario, party: str) -> str | None:
    try:
        return scenario.party(party).name
    except KeyError:
        return None


@dataclass(frozen=True)
class EditView:
    kind: str  # drop | set | demote | with
    argument: str
    rules: tuple[str, ...]

    def json(self) -> dict[str, Any]:
        return {"kind": self.kind, "argument": self.argument, "rules": list(self.rules)}


def edit_views(applied) -> tuple[EditView, ...]:
    return tuple(EditView(e.kind, e.argument, tuple(e.rules)) for e in applied)


def asked(edits: Sequence[EditView]) -> str:
    """The edits as they were typed: --drop russia/*, --set chair=east."""
    return ", ".join(f"--{e.kind} {e.argument}" for e in edits)


@dataclass(frozen=True)
class CheckReport:
    """`check` and `report`: the answer, and with edits, the answer without them and what they change."""

    check: CheckView
    edits: tuple[EditView, ...] = ()
    baseline: CheckView | None = None
    changes: ComparisonView | None = None

    @property
    def heading(self) -> str:
        return edits_heading(asked(self.edits), bool(self.check.readings))

    def json(self) -> dict[str, Any]:
        doc = self.check.json()
        if self.changes is not None and self.baseline is not None:
            doc["edits"] = [e.json() for e in self.edits]
            doc["baseline"] = self.baseline.json()
            doc["changes"] = self.changes.json()
        return doc


def check_report(scenario: Scenario, result: CheckResult, *, with_deals: bool = False,
                 baseline: Scenario | None = None, before: CheckResult | None = None, applied=()) -> CheckReport:
    if baseline is None or before is None:
        return CheckReport(check_view(scenario, result, with_deals=with_deals))
    edits = edit_views(applied)
    view = check_view(scenario, result, with_deals=with_deals, edits=asked(edits))
    return CheckReport(view, edits, check_view(baseline, before, with_deals=with_deals),
                       comparison_view(baseline, scenario, before, result))


# -- diff ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class RuleChange:
    name: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class PositionsView:
    parties_added: tuple[str, ...]
    parties_removed: tuple[str, ...]
    issues_added: tuple[str, ...]
    issues_removed: tuple[str, ...]
    issues_changed: tuple[str, ...]
    rules_added: tuple[Said, ...]  # in the newer scenario's words
    rules_removed: tuple[Said, ...]  # in the older one's
    rules_changed: tuple[RuleChange, ...]

    @property
    def labelled(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (("party added", self.parties_added), ("party removed", self.parties_removed),
                ("issue added", self.issues_added), ("issue removed", self.issues_removed),
                ("issue changed", self.issues_changed))

    @property
    def unchanged(self) -> bool:
        return not any(items for _, items in self.labelled) and not (
            self.rules_added or self.rules_removed or self.rules_changed)

    def json(self) -> dict[str, Any]:
        return {
            "parties_added": list(self.parties_added), "parties_removed": list(self.parties_removed),
            "issues_added": list(self.issues_added), "issues_removed": list(self.issues_removed),
            "issues_changed": list(self.issues_changed),
            "rules_added": [r.name for r in self.rules_added], "rules_removed": [r.name for r in self.rules_removed],
            "rules_changed": {change.name: [f.field for f in change.fields] for change in self.rules_changed},
        }


def positions_view(old: Scenario, new: Scenario, changes) -> PositionsView:
    changed = tuple(RuleChange(name, tuple(FieldChange(f, _rule_field(old, name, f), _rule_field(new, name, f))
                                           for f in fields)) for name, fields in changes.rules_changed)
    return PositionsView(tuple(changes.parties_added), tuple(changes.parties_removed), tuple(changes.issues_added),
                         tuple(changes.issues_removed), tuple(changes.issues_changed),
                         tuple(said(new, n) for n in changes.rules_added),
                         tuple(said(old, n) for n in changes.rules_removed), changed)


def _rule_field(scenario: Scenario, name: str, field: str) -> str:
    return str(rule_fields(rule_named(scenario, name))[field])


@dataclass(frozen=True)
class DiffView:
    old_name: str
    new_name: str
    title: str  # the newer scenario's
    old: CheckView
    new: CheckView
    positions: PositionsView
    changes: ComparisonView

    @property
    def days_line(self) -> str | None:
        """Which day's positions each side is, when dated: one line, or one per side when they differ."""
        if self.old.as_of_line == self.new.as_of_line:
            return self.new.as_of_line
        return " → ".join(line or "undated" for line in (self.old.as_of_line, self.new.as_of_line))

    def json(self) -> dict[str, Any]:
        return {"format": FORMAT, "old": self.old.json(), "new": self.new.json(),
                "positions": self.positions.json(), "changes": self.changes.json()}


def diff_view(old: Scenario, new: Scenario, changes, before: CheckResult, after: CheckResult, old_name: str,
              new_name: str) -> DiffView:
    return DiffView(old_name, new_name, new.title, check_view(old, before), check_view(new, after),
                    positions_view(old, new, changes), comparison_view(old, new, before, after))


# -- explain ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExplainView:
    """The answer of `explain`: whether the target can be had, a deal showing it or the reason it cannot. In a
    scenario without a deal, the answer is in the scenario with the red lines of the disputes that do not bear on
    the target set aside (solver/explain/why.py): `set_aside_line` says which."""

    title: str
    kind: str  # demand | value | forced
    text: str  # the target as typed
    issue: str | None
    value: Any
    demand: str | None
    decided: bool
    any_deal: bool
    possible: bool
    forced_value: Any
    answer: str  # the answer in one sentence (ends in a colon before the reason)
    tone: str  # undecided | no-deal | possible | ruled-out: how the answer is marked
    reason: ConflictView | None
    witness: DealView | None  # the whole deal (JSON)
    set_aside: tuple[str, ...] = ()
    set_aside_line: str | None = None  # None when the scenario has a deal as given
    no_deal_as_given: bool = False
    conflicts_complete: bool = True
    disputes: tuple[tuple[ConflictView, ...], ...] = ()  # the target's disputes, each as its conflicts
    depends_on: tuple[str, ...] = ()  # the issues the answer depends on
    example: DealView | None = None  # the witness on the issues the answer depends on (text)
    issues_left_out: str | None = None  # how many issues the example leaves out
    readings: tuple[str, ...] = ()  # the scenario's readings the answer is under (--reading)
    readings_line: str | None = None
    as_of: str | None = None  # the day whose positions were checked, when the scenario is dated
    as_of_line: str | None = None
    step: str | None = None  # SEQUENCE.STEP=PHASE: the step (`value` is its phase)

    def json(self) -> dict[str, Any]:
        doc = {
            "format": FORMAT,
            "scenario": self.title,
            **readings_json(self.readings),
            **({"as_of": self.as_of} if self.as_of else {}),
            "target": {"kind": self.kind, "text": self.text, "issue": self.issue, "step": self.step,
                       "value": json_value(self.value) if self.value is not None else None,
                       "demand": self.demand},
            "decided": self.decided,
            "any_deal": self.any_deal,
            "possible": self.possible,
            "forced_value": json_value(self.forced_value) if self.forced_value is not None else None,
            "because": self.reason.json() if self.reason else None,
            "deal": self.witness.json() if self.witness else None,
            "depends_on": list(self.depends_on),
        }
        if self.no_deal_as_given:
            doc["no_deal_as_given"] = {
                "set_aside": list(self.set_aside), "conflicts_complete": self.conflicts_complete,
                "disputes": [{"conflicts": [c.json() for c in dispute]} for dispute in self.disputes]}
        return doc


def explain_view(scenario: Scenario, answer) -> ExplainView:
    target = answer.target
    kind = target.kind.value
    demand = target.demand
    shown_issue = issue_label(scenario, target.issue) if target.issue else None
    question = explain_question(kind, shown_issue, target.value,
                                scenario.party(demand.owner).name if demand else None,
                                demand.says if demand else None, demand.name if demand else None, target.step)
    witness_value = answer.witness.values[target.issue] if answer.witness and kind == "forced" else None
    disputes = tuple(tuple(conflict_view(scenario, c.red_lines, c.facts) for c in d.conflicts)
                     for d in answer.disputes)
    caught = _caught(scenario, answer) if answer.no_deal_as_given and answer.disputes else None
    sentence = explain_answer(kind, question, shown_issue, decided=answer.decided, any_deal=answer.any_deal,
                              possible=answer.possible, witness_value=witness_value,
                              forced_value=answer.forced_value, caught=caught)
    tone = ("undecided" if not answer.decided else "no-deal" if not answer.any_deal
            else "possible" if answer.possible else "ruled-out")
    reason = None
    if answer.reason:
        red_lines, facts = answer.reason.red_lines, answer.reason.facts
        subject = reason_subject(kind, question, shown_issue, answer.forced_value)
        reason = ConflictView(rules(scenario, red_lines, facts), tuple(shared_issues(scenario, [*red_lines, *facts])),
                              reason_summary(scenario, subject, red_lines, facts))
    set_aside = (set_aside_line([said(scenario, n) for n in answer.set_aside], not answer.disputes,
                                answer.conflicts_complete) if answer.no_deal_as_given and answer.set_aside else None)
    witness = deal_view(scenario, answer.witness) if answer.witness else None
    example = None if witness is None else replace(
        witness, issues=tuple(line for line in witness.issues if line.name in answer.depends_on))
    return ExplainView(scenario.title, kind, target.text, target.issue, target.value,
                       demand.name if demand else None, answer.decided, answer.any_deal, answer.possible,
                       answer.forced_value, sentence, tone, reason, witness, tuple(answer.set_aside), set_aside,
                       answer.no_deal_as_given, answer.conflicts_complete, disputes, tuple(answer.depends_on),
                       example, issues_left_out(len(example.issues), len(witness.issues))
                       if example and witness else None, scenario.readings_used, used_readings_line(scenario),
                       as_of_shown(scenario), dated_line(scenario), target.step)


def readings_json(used: Sequence[str]) -> dict[str, Any]:
    """`"readings": [...]` in a JSON document, when the answer is under readings (absent otherwise, as before)."""
    return {"readings": list(used)} if used else {}


def _caught(scenario: Scenario, answer) -> str:
    """The disputes a target is caught in, in words: their parties and the issues they collide over."""
    parties = sorted({p for d in answer.disputes for p in d.parties})
    members = [n for d in answer.disputes for c in d.conflicts for n in c.red_lines + c.facts]
    return disputes_words([_party_name(scenario, p) or p for p in parties],
                          the_issues(scenario, shared_issues(scenario, members)), len(answer.disputes))


@dataclass(frozen=True)
class ExplainReport:
    """`explain`: the answer, and with edits, the answer without them."""

    answer: ExplainView
    edits: tuple[EditView, ...] = ()
    baseline: ExplainView | None = None

    @property
    def heading(self) -> str:
        return without_the_edits(asked(self.edits))

    def json(self) -> dict[str, Any]:
        doc = self.answer.json()
        if self.baseline is not None:
            doc["edits"] = [e.json() for e in self.edits]
            doc["baseline"] = self.baseline.json()
        return doc
