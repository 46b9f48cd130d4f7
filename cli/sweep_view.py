"""`feasible sweep` as every format shows it: one view made from the uncertain scenario (positions/uncertainty.py) and
the sweep's answer (solver/sweep.py), every statement worded by cli/sweep_words.py when it is built; its `json()` is
the feasible/1 document (no timing, no engine, no worker count: the same seed gives the same bytes). The text,
Markdown and HTML renderers below only lay it out; the most robust deal is shown with check's own deal and conflict
pieces, and the HTML page adds the tornado picture of the drivers (cli/tornado.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import islice, product
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from feasible.positions import Scenario
from feasible.positions.edits import Edits
from feasible.positions.model import RuleRef, Source
from feasible.positions.uncertainty import ItemKind, Uncertain, UncertainItem
from feasible.solver.robust import Combination, RobustDeal
from feasible.solver.samples import SAMPLE_CONFLICTS
from feasible.solver.sweep import Sensitivity, Sweep

from . import sweep_words as sw
from .html_report import escaped as e, issues_html, page, rules_html, satisfaction_html, sources_section
from .markdown import cell as md_cell, issues_markdown, rules_markdown, sources_markdown
from .presentation import (FORMAT, ConflictView, DealView, as_of_shown, conflict_view, dated_line, deal_view,
                           json_fraction, readings_json)
from .report import Hanging, deal_table, parties_table, rules_text
from .tornado import Bar, tornado_svg
from .words import capitalized, used_readings_line

SHOWN_CONFLICTS = 12  # text, Markdown and HTML show the most frequent conflicts with their rules; JSON has them all
LOOKUP_COMBINATIONS = 64  # reading combinations tried to find a scenario that has a conflict's red lines


def exact_json(value: Fraction | None) -> str | None:
    """An exact probability as JSON: the fraction as a string ("7/10")."""
    return None if value is None else str(value)


def probability_json(value: Fraction | float | None) -> dict[str, Any]:
    """A probability both ways: rounded to 6 decimals, and exact when it is a Fraction."""
    doc: dict[str, Any] = {"probability": json_fraction(value)}
    if isinstance(value, Fraction):
        doc["exact"] = exact_json(value)
    return doc


# -- the model --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemView:
    """An uncertain item: what is uncertain, its values with their probabilities, and why (its note)."""

    kind: str  # firmness | weight | reading
    name: str
    party: str | None
    values: tuple[tuple[str, Fraction], ...]  # (label, probability)
    note: str | None
    sentence: str

    def json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "party": self.party, "note": self.note,
                "values": [{"value": label, **probability_json(p)} for label, p in self.values]}


@dataclass(frozen=True)
class DriverRow:
    """One item of the sensitivity ranking: the deal probability per value, its lowest and highest, the swing.
    Shown from the exact enumeration when it ran (the sampled figures are then only in the JSON beside them), else
    from the samples, with whether the swing is more than sampling noise."""

    item: str
    kind: str
    values: tuple[tuple[str, int, int, float | None, Fraction | None], ...]  # label, samples, deals, P(deal|v), exact
    low: float  # the figures shown: exact when known, else sampled
    high: float
    low_value: str
    high_value: str
    swing: float
    exact: bool = False  # low, high and swing are exact (the exact probability was computed)
    significant: bool = True  # the swing shown is more than sampling noise (always, when it is exact)
    sampled_significant: bool = True  # the sampled swing is more than sampling noise (the JSON's "significant")
    sampled: tuple[float, float, float] = (0.0, 0.0, 0.0)  # the sampled lowest, highest and swing
    exact_figures: tuple[Fraction, Fraction, Fraction] | None = None  # the exact lowest, highest and swing

    def json(self) -> dict[str, Any]:
        low, high, swing = self.sampled
        exact = self.exact_figures or (None, None, None)
        return {"item": self.item, "kind": self.kind, "low": json_fraction(low), "high": json_fraction(high),
                "swing": json_fraction(swing), "exact_low": exact_json(exact[0]), "exact_high": exact_json(exact[1]),
                "exact_swing": exact_json(exact[2]), "significant": self.sampled_significant,
                "values": [{"value": label, "samples": n, "deals": deals, "probability": json_fraction(p),
                            "exact": exact_json(x)} for label, n, deals, p, x in self.values]}


@dataclass(frozen=True)
class SweptConflictRow:
    number: int
    red_lines: tuple[str, ...]
    parties: tuple[str, ...]  # display names
    samples: int
    family: int
    sentence: str
    conflict: ConflictView | None  # in the parties' words (None when no reading combination has all its red lines)

    def json(self, no_deals: int) -> dict[str, Any]:
        return {"number": self.number, "red_lines": list(self.red_lines), "parties": list(self.parties),
                "samples": self.samples, "share": json_fraction(self.samples / no_deals if no_deals else 0),
                "family": self.family}


@dataclass(frozen=True)
class FamilyRow:
    number: int
    conflicts: tuple[int, ...]  # conflict numbers
    parties: tuple[str, ...]
    sentence: str

    def json(self) -> dict[str, Any]:
        return {"number": self.number, "conflicts": list(self.conflicts), "parties": list(self.parties)}


@dataclass(frozen=True)
class CountRow:
    """A red line's share in the conflicts, or a cost's share of the samples without a deal."""

    key: Any  # the red line's name, or the cost
    samples: int
    sentence: str


@dataclass(frozen=True)
class GambleRow:
    red_line: str
    holds: Fraction  # the probability that it holds
    note: str | None
    sentence: str

    def json(self) -> dict[str, Any]:
        return {"red_line": self.red_line, "holds": json_fraction(self.holds), "holds_exact": exact_json(self.holds),
                "note": self.note}


@dataclass(frozen=True)
class CombinationRow:
    """A combination of the conditioning items' values (solver.robust.Combination), with its sentence."""

    values: tuple[tuple[str, str, str], ...]  # (kind, item name, value)
    probability: Fraction
    sentence: str

    def json(self) -> dict[str, Any]:
        return {"values": [{"item": name, "value": value} for _, name, value in self.values],
                **probability_json(self.probability)}


@dataclass(frozen=True)
class RobustView:
    status: str  # found | bounded | no-deal | not-computed
    probability: Fraction
    bound: Fraction
    sentence: str
    gambles: tuple[GambleRow, ...]
    deal: DealView | None
    conflict: ConflictView | None  # no-deal: the sure red lines' conflict
    reason: str | None
    under: CombinationRow | None = None  # the combination the deal is shown in (None: no conditioning item)
    fails_under: tuple[CombinationRow, ...] = ()  # the combinations in which it is not accepted

    @property
    def statements(self) -> tuple[str, ...]:
        return (self.sentence, *(g.sentence for g in self.gambles), *(f.sentence for f in self.fails_under),
                *((self.under.sentence,) if self.under else ()))

    def json(self) -> dict[str, Any]:
        return {"status": self.status, **probability_json(self.probability),
                "bound": json_fraction(self.bound), "bound_exact": exact_json(self.bound),
                "gambles": [g.json() for g in self.gambles],
                "fails_under": [f.json() for f in self.fails_under],
                "under": self.under.json() if self.under else None,
                "deal": self.deal.json() if self.deal is not None else None,
                "conflict": self.conflict.json() if self.conflict is not None else None, "reason": self.reason}


@dataclass(frozen=True)
class SweepView:
    title: str
    seed: int
    samples_asked: int
    samples_done: int
    deals: int
    no_deals: int
    undecided: int
    conflicts_cut: int
    conflicts_unknown: int
    cost_unknown: int
    facts_conflict: int
    partial: bool
    probability: tuple[float, float, float, float] | None  # estimate, low, high, confidence
    probability_line: str
    exact: Fraction | None
    exact_combinations: int
    exact_reason: str | None
    exact_line: str
    items: tuple[ItemView, ...]
    no_items: str | None
    robust: RobustView | None
    drivers: tuple[DriverRow, ...]
    drivers_note: str
    conflicts: tuple[SweptConflictRow, ...]
    families: tuple[FamilyRow, ...]
    shares: tuple[CountRow, ...]
    costs: tuple[CountRow, ...]
    notes: tuple[str, ...]  # partial, undecided, conflicts cut, costs unknown, facts alone
    no_deal_line: str
    sources: tuple[Source, ...]
    readings: tuple[str, ...] = ()
    readings_line: str | None = None
    edits: tuple[str, ...] = ()  # the what-if edits as typed: "--drop russia/x", ...
    edits_line: str | None = None
    as_of: str | None = None
    as_of_line: str | None = None

    @property
    def statements(self) -> tuple[str, ...]:
        """The sentences every format states."""
        robust = self.robust
        found = [self.as_of_line, self.readings_line, self.edits_line, *self.notes, self.probability_line,
                 self.exact_line, self.no_deal_line, self.no_items, *(i.sentence for i in self.items),
                 *(robust.statements if robust else ()),
                 *(c.sentence for c in self.shown_conflicts), *(f.sentence for f in self.joined),
                 *(s.sentence for s in self.shares), *(c.sentence for c in self.costs)]
        return tuple(s for s in found if s)

    @property
    def headlines(self) -> tuple[str, str]:
        """The exact probability first when it was computed (the estimate then only checks it), else the estimate."""
        if self.exact is not None:
            return self.exact_line, self.probability_line
        return self.probability_line, self.exact_line

    @property
    def tornado_estimate(self) -> tuple[float | None, str]:
        """The overall deal probability the tornado's bars are read against, and its label: exact when the bars are."""
        if self.exact is not None and any(d.exact for d in self.drivers):
            return float(self.exact), sw.ESTIMATE_EXACT
        return (self.probability[0] if self.probability is not None else None), sw.ESTIMATE_SAMPLED

    @property
    def joined(self) -> tuple[FamilyRow, ...]:
        """The families of more than one conflict (a family of one says nothing its conflict does not)."""
        return tuple(f for f in self.families if len(f.conflicts) > 1)

    @property
    def shown_conflicts(self) -> tuple[SweptConflictRow, ...]:
        return self.conflicts[:SHOWN_CONFLICTS]

    @property
    def more_conflicts(self) -> str | None:
        hidden = len(self.conflicts) - SHOWN_CONFLICTS
        return f"{hidden} less frequent conflict{'s' if hidden != 1 else ''} in the JSON" if hidden > 0 else None

    def json(self) -> dict[str, Any]:
        estimate = None if self.probability is None else dict(zip(("estimate", "low", "high", "confidence"),
                                                                    (json_fraction(v) for v in self.probability)))
        return {
            "format": FORMAT,
            "command": "sweep",
            "scenario": self.title,
            **({"as_of": self.as_of} if self.as_of else {}),
            **readings_json(self.readings),
            **({"edits": list(self.edits)} if self.edits else {}),
            "seed": self.seed,
            "samples": {"asked": self.samples_asked, "done": self.samples_done, "deal": self.deals,
                        "no_deal": self.no_deals, "undecided": self.undecided, "conflicts_cut": self.conflicts_cut,
                        "conflicts_unknown": self.conflicts_unknown, "cost_unknown": self.cost_unknown,
                        "facts_conflict": self.facts_conflict},
            "partial": self.partial,
            "probability": estimate,
            "exact": {**probability_json(self.exact), "combinations": self.exact_combinations,
                      "reason": self.exact_reason},
            "robust": self.robust.json() if self.robust is not None else None,
            "items": [i.json() for i in self.items],
            "sensitivity": [d.json() for d in self.drivers],
            "conflicts": [c.json(self.no_deals) for c in self.conflicts],
            "families": [f.json() for f in self.families],
            "red_lines": [{"red_line": s.key, "samples": s.samples,
                           "share": json_fraction(s.samples / self.no_deals if self.no_deals else 0)}
                          for s in self.shares],
            "costs": [{"cost": c.key, "samples": c.samples,
                       "share": json_fraction(c.samples / self.no_deals if self.no_deals else 0)} for c in self.costs],
        }


# -- building it ------------------------------------------------------------------------------------------------------

def sweep_view(uncertain: Uncertain, found: Sweep) -> SweepView:
    """The view of a sweep of `uncertain` (a positions.uncertainty.Uncertain)."""
    scenario = uncertain.scenario()
    tally = found.tally
    lookup = _Lookup(uncertain, scenario)
    items = tuple(_item(scenario, item) for item in found.items)
    conflicts = tuple(_conflict(lookup, n, c, tally.no_deals) for n, c in enumerate(found.conflicts, 1))
    families = tuple(FamilyRow(f.number, tuple(i + 1 for i in f.conflicts), lookup.names(f.parties),
                               sw.family_line(f.number, [i + 1 for i in f.conflicts], lookup.names(f.parties)))
                     for f in found.families)
    shares = tuple(CountRow(name, n, sw.red_line_share(lookup.who(name), name, n, tally.no_deals))
                   for name, n in found.red_line_shares)
    costs = tuple(CountRow(cost, n, sw.cost_line(cost, n, tally.no_deals)) for cost, n in tally.costs)
    interval = found.probability
    exact = found.exact
    shown_rules = [r for c in conflicts if c.conflict is not None for r in c.conflict.rules.red_lines]
    robust = _robust(scenario, found.items, found.robust) if found.robust is not None else None
    if robust is not None and robust.conflict is not None:
        shown_rules += robust.conflict.rules.red_lines
    cited = {source.id for item in shown_rules for source in item.sources}
    typed = typed_edits(uncertain.edits)
    return SweepView(
        title=found.title, seed=found.seed, samples_asked=found.samples_asked, samples_done=tally.samples,
        deals=tally.deals, no_deals=tally.no_deals, undecided=tally.undecided, conflicts_cut=tally.conflicts_cut,
        conflicts_unknown=tally.conflicts_unknown, cost_unknown=tally.cost_unknown,
        facts_conflict=tally.facts_conflict, partial=found.partial,
        probability=None if interval is None else (interval.estimate, interval.low, interval.high,
                                                   interval.confidence),
        probability_line=sw.NONE_DECIDED if interval is None else sw.probability_line(
            interval.estimate, interval.low, interval.high, interval.confidence, tally.decided),
        exact=exact.probability, exact_combinations=exact.combinations, exact_reason=exact.reason,
        exact_line=sw.exact_line(exact.probability, exact.combinations) if exact.probability is not None
        else sw.exact_not_computed(exact.reason or "not asked"),
        items=items, no_items=sw.NO_ITEMS if not items else None, robust=robust,
        drivers=tuple(_driver(found, s) for s in found.sensitivity),
        drivers_note=sw.drivers_note(exact.probability is not None), conflicts=conflicts, families=families,
        shares=shares, costs=costs, notes=_notes(found), no_deal_line=sw.no_deal_summary(tally.no_deals, tally.decided),
        sources=tuple(s for s in scenario.sources if s.id in cited), readings=tuple(scenario.readings_used),
        readings_line=used_readings_line(scenario), edits=typed, edits_line=sw.edits_line(typed) if typed else None,
        as_of=as_of_shown(scenario), as_of_line=dated_line(scenario))


def typed_edits(edits: Edits) -> tuple[str, ...]:
    """The what-if edits as the command line gave them, in the order they apply (positions/edits.py)."""
    given = [("--with", o) for o in edits.overlays if isinstance(o, str)] + [("--drop", d) for d in edits.drop]
    given += [("--demote", d) for d in edits.demote] + [("--weight", w) for w in edits.weight]
    given += [("--set", v) for v in edits.set]
    return tuple(f"{option} {value}" for option, value in given)


def _notes(found: Sweep) -> tuple[str, ...]:
    tally = found.tally
    notes = [sw.partial_line(tally.samples, found.samples_asked) if found.partial else None,
             sw.undecided_line(tally.undecided) if tally.undecided else None,
             _conflicts_cut(tally.conflicts_cut) if tally.conflicts_cut else None,
             sw.conflicts_unknown_line(tally.conflicts_unknown) if tally.conflicts_unknown else None,
             sw.cost_unknown_line(tally.cost_unknown) if tally.cost_unknown else None,
             sw.facts_conflict_line(tally.facts_conflict) if tally.facts_conflict else None]
    return tuple(n for n in notes if n)


def _conflicts_cut(samples: int) -> str:
    return sw.conflicts_cut_line(samples, SAMPLE_CONFLICTS)


class _Lookup:
    """Where a red line named in a sweep is written: the scenario under the readings chosen, else under some drawn
    reading (a red line a reading adds exists only there)."""

    def __init__(self, uncertain: Uncertain, scenario: Scenario):
        self.uncertain = uncertain
        self.scenario = scenario
        reading_items = [item.values for item in uncertain.items if item.kind is ItemKind.READING]
        self.drawn = list(islice(product(*reading_items), LOOKUP_COMBINATIONS)) if reading_items else []

    def having(self, names: Sequence[str]) -> Scenario | None:
        for scenario in self._scenarios():
            if all(scenario.has_rule(name) for name in names):
                return scenario
        return None

    def _scenarios(self):
        yield self.scenario
        for drawn in self.drawn:
            yield self.uncertain.scenario(drawn)

    def who(self, name: str) -> str:
        owner = RuleRef.parse(name).owner
        return self.party_name(owner)

    def party_name(self, party: str) -> str:
        for scenario in self._scenarios():
            if any(p.id == party for p in scenario.parties):
                return scenario.party(party).name
        return party

    def names(self, parties: Sequence[str]) -> tuple[str, ...]:
        return tuple(self.party_name(p) for p in parties)


def _item(scenario: Scenario, item: UncertainItem) -> ItemView:
    values = tuple((item.label(value), p) for value, p in zip(item.values, item.probabilities))
    who = next((p.name for p in scenario.parties if p.id == item.party), item.party)
    return ItemView(item.kind.value, item.name, item.party, values, item.note,
                    sw.item_line(item.kind.value, item.name, who, values))


def _driver(found: Sweep, sensitivity: Sensitivity) -> DriverRow:
    item = found.items[sensitivity.item]
    exact = sensitivity.exact_fractions or (None,) * len(sensitivity.values)
    values = tuple((label, n, deals, deals / n if n else None, x)
                   for (label, n, deals), x in zip(sensitivity.values, exact))
    sampled = (sensitivity.low, sensitivity.high, sensitivity.swing)
    if sensitivity.exact_swing is not None and sensitivity.exact_low is not None \
            and sensitivity.exact_high is not None:
        figures = (sensitivity.exact_low, sensitivity.exact_high, sensitivity.exact_swing)
        low, high = float(figures[0]), float(figures[1])
        seen = [(x, label) for label, _, _, _, x in values if x is not None]
        low_value = next((label for x, label in seen if x == figures[0]), "")
        high_value = next((label for x, label in reversed(seen) if x == figures[1]), "")
        if figures[2] == 0:
            low_value = high_value = sw.EVERY_VALUE
        return DriverRow(item.name, item.kind.value, values, low, high, low_value, high_value, float(figures[2]),
                         exact=True, significant=True, sampled_significant=sensitivity.significant, sampled=sampled,
                         exact_figures=figures)
    seen_p = [(p, label) for label, _, _, p, _ in values if p is not None]
    low_value = next((label for p, label in seen_p if p == sensitivity.low), "")
    high_value = next((label for p, label in reversed(seen_p) if p == sensitivity.high), "")  # (ties: two values)
    return DriverRow(item.name, item.kind.value, values, sensitivity.low, sensitivity.high, low_value, high_value,
                     sensitivity.swing, significant=sensitivity.significant,
                     sampled_significant=sensitivity.significant, sampled=sampled)


def _conflict(lookup: _Lookup, number: int, swept, no_deals: int) -> SweptConflictRow:
    where = lookup.having(swept.red_lines)
    parties = lookup.names(swept.parties)
    return SweptConflictRow(number, swept.red_lines, parties, swept.samples, swept.family,
                            sw.conflict_line(number, parties, swept.samples, no_deals),
                            conflict_view(where, swept.red_lines, ()) if where is not None else None)


def _robust(base: Scenario, items: Sequence[UncertainItem], robust: RobustDeal) -> RobustView:
    scenario = robust.scenario or base  # the deal's outcomes refer to the scenario of its combination
    status = robust.status.value
    holds = {item.name: (item.probabilities[0], item.note) for item in items if item.kind is ItemKind.FIRMNESS}
    gambles = tuple(GambleRow(name, holds[name][0], holds[name][1],
                              sw.gamble_line(scenario.party(RuleRef.parse(name).owner).name, name, holds[name][0]))
                    for name in robust.gambles)
    if status == "not-computed":
        sentence = sw.robust_not_computed(robust.reason)
    else:
        sentence = sw.robust_line(status, robust.probability, robust.bound, len(robust.gambles))
    conflict = robust.conflict
    deal = deal_view(scenario, robust.deal) if robust.deal is not None else None
    if deal is not None and deal.open_note:
        deal = replace(deal, open_note=sw.ROBUST_OPEN_VALUES)
    kinds = {item.name: item.kind.value for item in items}
    rows = [_combination(kinds, c, sw.fails_line) for c in robust.fails_under]
    return RobustView(status, robust.probability, robust.bound, sentence, gambles, deal,
                      conflict_view(scenario, conflict.red_lines, conflict.facts) if conflict is not None else None,
                      robust.reason, _combination(kinds, robust.under, sw.under_line) if robust.under else None,
                      tuple(rows))


def _combination(kinds: dict[str, str], combination: Combination, said) -> CombinationRow:
    values = tuple((kinds[name], name, value) for name, value in combination.values)
    return CombinationRow(values, combination.probability, said(values, combination.probability))


# -- text -------------------------------------------------------------------------------------------------------------

def _line(text: str, style: str = "", indent: str = "") -> Hanging:
    return Hanging(indent, Text(text, style=style))


def _heading(text: str) -> list[RenderableType]:
    return [Text(""), _line(text, "bold underline")]


def _sentence(text: str) -> str:
    return capitalized(text) + "."


HEADINGS = ("item", "lowest P(deal)", "highest P(deal)", "swing")


def driver_cells(row: DriverRow) -> list[str]:
    """A driver as the cells of the sensitivity table, in every format."""
    return [row.item, f"{sw.share(row.low)} ({row.low_value})", f"{sw.share(row.high)} ({row.high_value})",
            sw.swing_cell(row.swing, row.significant)]


def cost_bar(samples: int, most: int, width: int = 30) -> str:
    return "#" * max(1, round(width * samples / most)) if most else ""


def sweep_text(view: SweepView) -> Group:
    parts: list[RenderableType] = [_line(view.title, "bold")]
    parts += [_line(line) for line in (view.as_of_line, view.readings_line, view.edits_line) if line]
    parts += [_line(_sentence(note), "yellow") for note in view.notes]
    first, second = view.headlines
    parts += [Text(""), _line(_sentence(first), "bold"), _line(_sentence(second)), _line(_sentence(view.no_deal_line))]
    parts += _robust_text(view.robust)
    parts += _heading(sw.DRIVERS_HEADING)
    if view.drivers:
        parts.append(_line(_sentence(view.drivers_note), "dim", "  "))
        rows = [list(HEADINGS), *(driver_cells(d) for d in view.drivers)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
        for index, row in enumerate(rows):
            text = "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
            parts.append(_line(text, "bold" if index == 0 else "", "  "))
    else:
        parts.append(_line(_sentence(sw.NO_DRIVERS), indent="  "))
    if view.conflicts:
        parts += _heading(sw.CONFLICTS_HEADING)
        for swept in view.shown_conflicts:
            parts += [Text(""), _line(_sentence(swept.sentence), "bold", "  ")]
            if swept.conflict is not None:
                parts += [_line(swept.conflict.summary, indent="    "), *rules_text(swept.conflict.rules, "    ")]
        if view.more_conflicts:
            parts.append(_line(_sentence(view.more_conflicts), "dim", "  "))
    if view.joined:
        parts += _heading(sw.FAMILIES_HEADING) + [_line(_sentence(f.sentence), indent="  ") for f in view.joined]
    if view.shares:
        parts += _heading(sw.SHARES_HEADING) + [_line(_sentence(s.sentence), indent="  ") for s in view.shares]
    if view.costs:
        parts += _heading(sw.COSTS_HEADING)
        most = max(c.samples for c in view.costs)
        for c in view.costs:
            parts.append(_line(f"{cost_bar(c.samples, most):<30}  {_sentence(c.sentence)}", indent="  "))
    parts += _heading(sw.ITEMS_HEADING)
    if view.no_items:
        parts.append(_line(_sentence(view.no_items), indent="  "))
    for item in view.items:
        parts.append(_line(_sentence(item.sentence), indent="  "))
        if item.note:
            parts.append(_line(item.note, "dim", "      "))
    return Group(*parts)


def _robust_text(robust: RobustView | None) -> list[RenderableType]:
    if robust is None:
        return []
    parts = _heading(sw.robust_heading(robust.status)) + [_line(_sentence(robust.sentence), indent="  ")]
    for gamble in robust.gambles:
        parts.append(_line(_sentence(gamble.sentence), indent="    "))
        if gamble.note:
            parts.append(_line(gamble.note, "dim", "      "))
    parts += [_line(_sentence(f.sentence), indent="    ") for f in robust.fails_under]
    if robust.under is not None:
        parts.append(_line(_sentence(robust.under.sentence), indent="  "))
    if robust.deal is not None:
        parts += [Text(""), deal_table(robust.deal), Text(""), parties_table(robust.deal)]
    if robust.conflict is not None:
        parts += [_line(robust.conflict.summary, indent="  "), *rules_text(robust.conflict.rules, "    ")]
    return parts


# -- Markdown ---------------------------------------------------------------------------------------------------------

def _md(text: str) -> str:
    return md_cell(_sentence(text))


def sweep_markdown(view: SweepView) -> str:
    out = [f"# {md_cell(view.title)}: sweep", ""]
    out += [line for text in (view.as_of_line, view.readings_line, view.edits_line) if text
            for line in (md_cell(text), "")]
    out += [line for note in view.notes for line in (f"> {_md(note)}", "")]
    first, second = view.headlines
    out += [f"**{_md(first)}**", "", _md(second), "", _md(view.no_deal_line)]
    robust = view.robust
    if robust is not None:
        out += ["", f"## {sw.robust_heading(robust.status)}", "", _md(robust.sentence)]
        out += [""] + [f"- {_md(g.sentence)}" + (f" {md_cell(g.note)}" if g.note else "") for g in robust.gambles] \
            if robust.gambles else []
        out += [""] + [f"- {_md(f.sentence)}" for f in robust.fails_under] if robust.fails_under else []
        out += ["", _md(robust.under.sentence)] if robust.under is not None else []
        if robust.deal is not None:
            out += [""] + issues_markdown(robust.deal, with_room=False)
            out += ["", "| " + " | ".join(sw.PARTY_COLUMNS) + " |", "|---|---|"]
            out += [f"| {md_cell(p.name)} | {p.percent} |" for p in robust.deal.parties]
        if robust.conflict is not None:
            out += ["", md_cell(robust.conflict.summary), "", *rules_markdown(robust.conflict.rules)]
    out += ["", f"## {sw.DRIVERS_HEADING}", ""]
    if view.drivers:
        out += [_md(view.drivers_note), "", "| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
        out += ["| " + " | ".join(md_cell(c) for c in driver_cells(d)) + " |" for d in view.drivers]
    else:
        out.append(_md(sw.NO_DRIVERS))
    if view.conflicts:
        out += ["", f"## {sw.CONFLICTS_HEADING}"]
        for row in view.shown_conflicts:
            out += ["", f"**{_md(row.sentence)}**"]
            if row.conflict is not None:
                out += ["", md_cell(row.conflict.summary), "", *rules_markdown(row.conflict.rules)]
        if view.more_conflicts:
            out += ["", _md(view.more_conflicts)]
    for heading, rows in ((sw.FAMILIES_HEADING, view.joined), (sw.SHARES_HEADING, view.shares),
                          (sw.COSTS_HEADING, view.costs)):
        if rows:
            out += ["", f"## {heading}", ""] + [f"- {_md(r.sentence)}" for r in rows]
    out += ["", f"## {sw.ITEMS_HEADING}", ""]
    out += [_md(view.no_items)] if view.no_items else []
    out += [f"- {_md(i.sentence)}" + (f" {md_cell(i.note)}" if i.note else "") for i in view.items]
    out += [""] + sources_markdown(view.sources) if view.sources else []
    return "\n".join(out).rstrip() + "\n"


# -- HTML -------------------------------------------------------------------------------------------------------------

def _p(text: str, attributes: str = "") -> str:
    return f"<p{' ' + attributes if attributes else ''}>{e(_sentence(text))}</p>"


def tornado_bars(view: SweepView) -> list[Bar]:
    return [Bar(d.item, d.low, d.high, d.low_value, d.high_value) for d in view.drivers]


def sweep_html(view: SweepView) -> str:
    anchors = {source.id: n for n, source in enumerate(view.sources, 1)}
    body = [f"<header><h1>{e(view.title)}: sweep</h1>"]
    body += [f"<p class='summary'>{e(line)}</p>" for line in (view.as_of_line, view.readings_line, view.edits_line)
             if line]
    body += [_p(note, "class='incomplete'") for note in view.notes]
    verdict = "deal" if view.deals else ("no-deal" if view.no_deals else "unknown")
    first, second = view.headlines
    body += [_p(first, f"class='verdict verdict-{verdict}'"), _p(second), _p(view.no_deal_line), "</header>"]
    body += _robust_html(view.robust, anchors)
    body.append(f"<section id='drivers'><h2>{e(sw.DRIVERS_HEADING)}</h2>")
    if view.drivers:
        estimate, label = view.tornado_estimate
        body += [_p(view.drivers_note, "class='muted'"),
                 f"<div class='map'>{tornado_svg(tornado_bars(view), sw.DRIVERS_HEADING, estimate, label)}</div>",
                 "<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in HEADINGS) + "</tr>"
                 + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in driver_cells(d)) + "</tr>"
                           for d in view.drivers) + "</table>"]
    else:
        body.append(_p(sw.NO_DRIVERS))
    body.append("</section>")
    if view.conflicts:
        body.append(f"<section id='conflicts'><h2>{e(sw.CONFLICTS_HEADING)}</h2>")
        for row in view.shown_conflicts:
            rules = f"<p>{e(row.conflict.summary)}</p>{rules_html(row.conflict.rules, anchors)}" if row.conflict \
                else ""
            body.append(f"<div class='conflict' id='conflict-{row.number}'><h3>{e(_sentence(row.sentence))}</h3>"
                        f"{rules}</div>")
        if view.more_conflicts:
            body.append(_p(view.more_conflicts, "class='muted'"))
        body.append("</section>")
    for section, heading, rows in (("families", sw.FAMILIES_HEADING, view.joined),
                                   ("shares", sw.SHARES_HEADING, view.shares)):
        if rows:
            body.append(f"<section id='{section}'><h2>{e(heading)}</h2><ul>"
                        + "".join(f"<li>{e(_sentence(r.sentence))}</li>" for r in rows) + "</ul></section>")
    if view.costs:
        most = max(c.samples for c in view.costs)
        body.append(f"<section id='costs'><h2>{e(sw.COSTS_HEADING)}</h2><table>"
                    + "".join(f"<tr><td>{e(_sentence(c.sentence))}</td><td><div class='bar'><span style='width:"
                              f"{100 * c.samples / most:.1f}%'></span></div></td></tr>" for c in view.costs)
                    + "</table></section>")
    body.append(f"<section id='items'><h2>{e(sw.ITEMS_HEADING)}</h2>")
    body += [_p(view.no_items)] if view.no_items else []
    body.append("<ul>" + "".join(f"<li>{e(_sentence(i.sentence))}"
                                 + (f"<br><span class='muted'>{e(i.note)}</span>" if i.note else "") + "</li>"
                                 for i in view.items) + "</ul></section>")
    body.append(sources_section(view.sources))
    return page(f"{view.title}: sweep", body)


def _robust_html(robust: RobustView | None, anchors: dict[str, int]) -> list[str]:
    if robust is None:
        return []
    body = [f"<section id='robust'><h2>{e(sw.robust_heading(robust.status))}</h2>", _p(robust.sentence)]
    if robust.gambles:
        body.append("<ul>" + "".join(f"<li>{e(_sentence(g.sentence))}"
                                     + (f"<br><span class='muted'>{e(g.note)}</span>" if g.note else "") + "</li>"
                                     for g in robust.gambles) + "</ul>")
    if robust.fails_under:
        body.append("<ul class='fails-under'>" + "".join(f"<li>{e(_sentence(f.sentence))}</li>"
                                                         for f in robust.fails_under) + "</ul>")
    if robust.under is not None:
        body.append(_p(robust.under.sentence, "class='muted'"))
    if robust.deal is not None:
        body.append(satisfaction_html(robust.deal, sw.SATISFACTION_CAPTION))
        body.append(issues_html(robust.deal, "robust-deal", sw.VALUES_CAPTION, with_room=False) + "</section>")
    if robust.conflict is not None:
        body.append(f"<div class='conflict'><p>{e(robust.conflict.summary)}</p>"
                    f"{rules_html(robust.conflict.rules, anchors)}</div>")
    body.append("</section>")
    return body
