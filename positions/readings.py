"""Readings: contested interpretations of a scenario's positions, written as data in scenario.yaml.

A reading is a named set of what-if changes (an overlay's `facts:` and `parties:`, `drop`, `demote`, `weight`,
`set`), resolved by positions/edits.py like the edits of the command line. Readings that disagree on one point form
a question; its default reading is the files as written and changes nothing, so the scenario as loaded is the
all-defaults combination. `under_readings` gives the scenario under chosen readings, `combinations` the
combinations of the questions' readings (what `feasible readings` checks).

Each reading is built and resolved against the base scenario at load time (`attach_readings`, called by the
loader), so that a reading naming a rule that is not there is a located error in scenario.yaml, not a surprise
when it is chosen.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .dates import day_of
from .edits import (AddParty, Demote, Edits, Operation, PutRule, RemoveLevel, RemoveParty, RemoveReservation,
                    RemoveRule, RenameParty, Resolved, SetLevel, SetWeight, apply_operation, check_levels,
                    resolve_edits)
from .errors import UserError
from .loader import RuleBuilder
from .location import Location
from .model import RESERVATION_ID, RuleRef, Scenario, a_day_it_holds, held_span, holds_on, taken_on
from .overlay import overlay_changes
from .schema import ReadingEntry, ScenarioFile
from .sources import cited_ids, source_text
from .suggest import did_you_mean
from .yamlread import LocatedDoc, Path_


@dataclass(frozen=True)
class Reading:
    """One named reading: what it stands for, on which sources, and the changes it makes (as what-if edits)."""

    name: str
    title: str
    description: str | None
    source_ids: tuple[str, ...]
    valid_from: date | None  # the first day it can hold
    valid_until: date | None  # the day it stops holding (exclusive)
    changes: Edits  # empty for a question's default reading: the files as written
    touches: frozenset[str] = field(default=frozenset(), compare=False)  # rules (OWNER/ID) and parties it changes
    location: Location | None = field(default=None, compare=False)
    p: Fraction | None = None  # the probability of the reading among its question's (positions/uncertainty.py)

    def holds_on(self, day: date | None) -> bool:
        """Whether the reading can be taken of the positions of `day` (None: after the last dated change)."""
        return holds_on(self.valid_from, self.valid_until, day)


@dataclass(frozen=True)
class Question:
    """Readings that disagree on one point; the default is the files as written."""

    name: str
    asks: str
    readings: tuple[str, ...]
    default: str
    location: Location | None = field(default=None, compare=False)

    @property
    def ordered(self) -> tuple[str, ...]:
        """Its readings, the default first, then the others in their listed order (the order of combinations)."""
        return (self.default,) + tuple(r for r in self.readings if r != self.default)


# -- choosing readings ------------------------------------------------------------------------------------------------

def reading(scenario: Scenario, name: str) -> Reading:
    """The scenario's reading of this name; UserError with did-you-mean help otherwise."""
    found = next((r for r in scenario.readings if r.name == name), None)
    if found is not None:
        return found
    known = [r.name for r in scenario.readings]
    hint = did_you_mean(name, known) or ("its readings: " + ", ".join(known) if known
                                         else "this scenario declares no readings (`readings:` in scenario.yaml)")
    raise UserError(f"--reading {name}: no such reading", hint=hint)


def question_of(scenario: Scenario, name: str) -> Question | None:
    """The question the reading answers, if it is in one."""
    return next((q for q in scenario.questions if name in q.readings), None)


def under_readings(scenario: Scenario, names: Sequence[str]) -> Scenario:
    """The scenario under the named readings: each one's changes resolved by positions/edits.py on the positions
    before any of them, then applied in the order the scenario declares them (neither the order they are named in
    nor the order they are declared in changes the result). A question's default reading changes nothing and may
    be named. UserError on an unknown name, on two readings of one question, on two readings that change the same
    rule or party, and on a reading that does not hold on, or fit, the day the positions are taken at."""
    chosen = [reading(scenario, name) for name in dict.fromkeys((*scenario.readings_used, *names))]
    for item in chosen:
        _refuse_out_of_date(scenario, item)
    _refuse_clashes(scenario, chosen)
    names_chosen, used = {r.name for r in chosen}, set(scenario.readings_used)
    # Each reading is resolved on the same positions, those before any of them: no reading sees, or undoes, what
    # another puts in place (a glob dropping the fact another's --set adds), so the combination does not depend
    # on their order. What each touches, as resolved on these positions, must then be apart.
    resolved = [(item, _resolved(scenario, item)) for item in scenario.readings
                if item.name in names_chosen and item.name not in used and item.changes]
    for (first, one), (second, other) in itertools.combinations(resolved, 2):
        _refuse_shared(first, second, _shared(_touches(scenario, one), _touches(scenario, other)))
    combined = scenario
    for _, each in resolved:
        for operation in each.operations:
            combined = apply_operation(combined, operation)
    if len(resolved) > 1:
        try:
            check_levels(combined)
        except UserError as exc:
            raise ReadingsClash([item.name for item, _ in resolved], exc.message, hint="choose fewer of them") from None
    order = [r.name for r in scenario.readings]
    return replace(combined, readings_used=tuple(sorted((r.name for r in chosen), key=order.index)))


def _resolved(scenario: Scenario, item: Reading) -> Resolved:
    """One reading's changes resolved on the positions of the day taken; a change that does not fit them (a rule
    that does not hold that day) is said to be the reading's, not an option the user never gave."""
    try:
        return resolve_edits(scenario, item.changes)
    except UserError as exc:
        dating = ("a reading that changes dated positions holds only on their days: give it valid_from / valid_until "
                  "in scenario.yaml" if scenario.dates else None)
        raise UserError(f"--reading {item.name} does not fit the positions {taken_on(scenario.as_of)}: {exc.message}",
                        hint=exc.hint or dating) from None


def _touches(scenario: Scenario, resolved: Resolved) -> set[str]:
    return {name for operation in resolved.operations for name in _touched(scenario, operation)}


def _shared(first: set[str], second: set[str]) -> str | None:
    """A rule or party both change: the same name, or a rule of a party the other adds, removes or renames."""
    def owners(names: set[str]) -> set[str]:
        return {RuleRef.parse(name).owner for name in names if "/" in name}

    shared = sorted((first & second) | (owners(first) & second) | (owners(second) & first))
    return shared[0] if shared else None


def _refuse_out_of_date(scenario: Scenario, item: Reading) -> None:
    """A reading dated outside the day the positions are taken at is not a reading of those positions."""
    if item.holds_on(scenario.as_of):
        return
    held = a_day_it_holds(item.valid_from, item.valid_until, scenario.as_of)
    raise UserError(f"--reading {item.name} holds {held_span(item.valid_from, item.valid_until)}, but the positions "
                    f"are taken {taken_on(scenario.as_of)}",
                    hint=f"take the positions of a day it holds, e.g. --as-of {held}")


def _refuse_clashes(scenario: Scenario, chosen: list[Reading]) -> None:
    for first, second in itertools.combinations(chosen, 2):
        question = question_of(scenario, first.name)
        if question is not None and question is question_of(scenario, second.name):
            raise UserError(f"--reading {first.name} and --reading {second.name} answer the same question "
                            f"'{question.name}' ({question.asks})", hint="choose one of them")
        _refuse_shared(first, second, _shared(set(first.touches), set(second.touches)))


class ReadingsClash(UserError):
    """Readings that cannot be taken together, and why (`reason`, without the readings' names: a sweep that draws
    them names them its own way)."""

    def __init__(self, names: Sequence[str], reason: str, hint: str):
        super().__init__(f"{' and '.join(f'--reading {name}' for name in names)} together: {reason}", hint=hint)
        self.reason = reason


def _refuse_shared(first: Reading, second: Reading, shared: str | None) -> None:
    if shared:
        raise ReadingsClash((first.name, second.name), f"both change {shared}, so they would say two things about it",
                            hint="choose one of them")


LISTED_AT_MOST = 100_000  # combinations `combinations` lists at once: the matrix checks far fewer (solver/readings.py)


def combinations(scenario: Scenario, questions: Sequence[str] = ()) -> list[tuple[str, ...]]:
    """Every combination of the named questions' readings (all questions when none are named): the questions in
    the scenario's order, each one's readings with its default first, then the others in their listed order; the
    last question varies fastest, so the all-defaults combination comes first. Each combination names one reading
    per question. UserError, with did-you-mean help, on an unknown question, and past LISTED_AT_MOST
    combinations (counted first)."""
    by_name = {q.name: q for q in scenario.questions}
    for name in questions:
        if name not in by_name:
            hint = did_you_mean(name, by_name) or ("its questions: " + ", ".join(by_name) if by_name
                                                   else "this scenario declares no questions")
            raise UserError(f"no question '{name}'", hint=hint)
    count = combination_count(scenario, questions)
    if count > LISTED_AT_MOST:  # listed, they would take memory without bound (2 readings a question: 2^n)
        raise UserError(f"the questions make {count:,} combinations of readings; at most {LISTED_AT_MOST:,} are "
                        "listed at once", hint="name fewer questions")
    asked = [q for q in scenario.questions if not questions or q.name in questions]
    return list(itertools.product(*(held_readings(scenario, q) for q in asked)))



def combination_count(scenario: Scenario, questions: Sequence[str] = ()) -> int:
    """How many combinations the questions named (all when none) make on the day the scenario is taken at,
    counted without listing them."""
    named = set(questions)
    return math.prod(len(held_readings(scenario, q)) for q in scenario.questions if not named or q.name in named)


def held_readings(scenario: Scenario, question: Question) -> tuple[str, ...]:
    """A question's readings that hold on the day the scenario is taken at, its default (the files as written)
    first and always."""
    held = {r.name for r in scenario.readings if r.holds_on(scenario.as_of)}
    return tuple(name for name in question.ordered if name == question.default or name in held)


# -- building them (the loader) ---------------------------------------------------------------------------------------

@dataclass
class _ReadingsBuilder:
    rules: RuleBuilder  # the loader's: its problems, limits and the scenario's source registry
    doc: LocatedDoc
    scenario: Scenario

    def report(self, path: Path_, message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.rules.problems.append(self.doc.diagnostic(path, message, key=key, hint=hint))

    def reading(self, name: str, entry: ReadingEntry) -> Reading:
        at: Path_ = ("readings", name)
        self.rules.citations_known(entry.source, self.doc, at + ("source",))
        overlay = None
        if entry.facts or entry.parties:
            overlay = overlay_changes(f"reading '{name}'", self.rules, self.doc, self.scenario.issues, entry.facts,
                                      at + ("facts",), [(p, at + ("parties", i)) for i, p in enumerate(entry.parties)])
        changes = Edits(tuple(entry.drop), tuple(entry.set), tuple(entry.demote), (overlay,) if overlay else (),
                        tuple(f"{rule}={weight}" for rule, weight in entry.weight.items()))
        self.rules.dates_in_order(entry, self.doc, at)
        p = None if entry.p is None else self.rules.probability(entry.p, self.doc, at + ("p",))
        return Reading(name, entry.title, entry.description, cited_ids(source_text(entry.source)),
                       day_of(entry.valid_from), day_of(entry.valid_until), changes,
                       location=self.doc.location(at, key=True), p=p)

    def question(self, name: str, readings: list[str], default: str | None, asks: str,
                 declared: dict[str, Reading], seen: dict[str, str]) -> Question:
        at: Path_ = ("questions", name)
        for i, reading_name in enumerate(readings):
            where = at + ("readings", i)
            if reading_name not in declared:
                self.report(where, f"no reading '{reading_name}'", did_you_mean(reading_name, declared)
                            or "declare it under `readings:` in scenario.yaml")
            elif reading_name in seen:
                self.report(where, f"reading '{reading_name}' is already in question '{seen[reading_name]}'",
                            "a reading answers one question")
            else:
                seen[reading_name] = name
        if len(set(readings)) < 2:
            self.report(at + ("readings",), "a question needs two readings at least: its default (the files as "
                        "written) and an alternative")
        if default is not None and default not in readings:
            self.report(at + ("default",), f"the default '{default}' is not one of the question's readings",
                        did_you_mean(default, readings) or "its readings: " + ", ".join(readings))
        chosen = default if default is not None and default in readings else readings[0]
        return Question(name, asks, tuple(readings), chosen, self.doc.location(at, key=True))

    def resolved(self, item: Reading) -> Reading:
        """The reading with what it touches, once its changes fit the base scenario; else each problem is located
        at the change that has it."""
        try:
            done = resolve_edits(self.scenario, item.changes)
        except UserError as exc:
            self.locate(item, exc)
            return item
        return replace(item, touches=frozenset(t for o in done.operations for t in _touched(self.scenario, o)))

    def locate(self, item: Reading, failed: UserError) -> None:
        """Find the change that does not fit: each tried alone, in order, on what the ones before it left."""
        at: Path_ = ("readings", item.name)
        edits = item.changes
        inline = [o for o in edits.overlays if not isinstance(o, str)]  # (a reading's overlay is its own, inline)
        steps: list[tuple[Path_, Edits]] = [(at + ("facts",) if inline[0].facts else at + ("parties",),
                                             Edits(overlays=edits.overlays))] if inline else []
        steps += [(at + ("drop", i), Edits(drop=(p,))) for i, p in enumerate(edits.drop)]
        steps += [(at + ("demote", i), Edits(demote=(n,))) for i, n in enumerate(edits.demote)]
        steps += [(at + ("weight", w.partition("=")[0]), Edits(weight=(w,))) for w in edits.weight]
        steps += [(at + ("set", i), Edits(set=(s,))) for i, s in enumerate(edits.set)]
        scenario = self.scenario
        for path, step in steps:
            try:
                scenario = resolve_edits(scenario, step).scenario
            except UserError as exc:
                failed = exc
                break
        else:
            path = at
        said = failed.message.removeprefix("--")  # an overlay's own message names the reading already
        self.report(path, said if said.startswith(f"reading '{item.name}'") else f"reading '{item.name}': {said}",
                    failed.hint, key=path == at)


def _touched(scenario: Scenario, operation: Operation) -> tuple[str, ...]:
    """The rules (OWNER/ID) and parties (their ids) an operation changes: two readings of different questions may
    not share one."""
    match operation:
        case PutRule(rule):
            return (rule.name,)
        case RemoveRule(owner, rule_id) | Demote(owner, rule_id) | SetWeight(owner, rule_id, _):
            return (RuleRef(owner, rule_id).name,)
        case RemoveParty(party):
            gone = scenario.party(party) if any(p.id == party for p in scenario.parties) else None
            return (party,) + tuple(r.name for r in (gone.binding + gone.demands if gone else ()))
        case AddParty(party, _) | RenameParty(party, _) | SetLevel(party, _) | RemoveLevel(party):
            return (party, RuleRef.acceptance(party).name)
        case RemoveReservation(party):
            return (RuleRef(party, RESERVATION_ID).name,)
    return ()


def attach_readings(scenario: Scenario, head: ScenarioFile, doc: LocatedDoc, rules: RuleBuilder) -> Scenario:
    """The scenario with its questions and readings, each checked (problems go to `rules.problems`, located in
    scenario.yaml). The changes are resolved against the scenario only when it has no problem so far."""
    base_is_valid = not rules.problems
    builder = _ReadingsBuilder(rules, doc, scenario)
    declared = {name: builder.reading(name, entry) for name, entry in head.readings.items()}
    seen: dict[str, str] = {}
    questions = tuple(builder.question(name, list(q.readings), q.default, q.asks, declared, seen)
                      for name, q in head.questions.items())
    for question in questions:
        default = declared.get(question.default)
        if default is not None and (default.valid_from or default.valid_until):
            builder.report(("readings", default.name, "valid_from" if default.valid_from else "valid_until"),
                           f"reading '{default.name}' is the default of question '{question.name}', the files as "
                           "written, which hold on every day: it takes no dates",
                           "date the positions in the files, or the question's other readings")
        if default is not None and default.changes:
            builder.report(("readings", default.name), f"reading '{default.name}' is the default of question "
                           f"'{question.name}', so it is the files as written and changes nothing",
                           "write its changes into the files, or make another reading the default", key=True)
    _check_probabilities(builder, declared, questions)
    if base_is_valid and not rules.problems:
        declared = {name: builder.resolved(item) for name, item in declared.items()}
        _report_overlaps(builder, declared, questions)
    return replace(scenario, readings=tuple(declared.values()), questions=questions)


def _report_overlaps(builder: _ReadingsBuilder, declared: dict[str, Reading], questions: tuple[Question, ...]) -> None:
    """Two readings of different questions that change the same rule or party: their combination is undefined."""
    asked = [(q, declared[r]) for q in questions for r in q.readings if r in declared]
    for (q1, first), (q2, second) in itertools.combinations(asked, 2):
        shared = _shared(set(first.touches), set(second.touches))
        if q1 is not q2 and shared:
            builder.report(("readings", second.name), f"readings '{first.name}' (question '{q1.name}') and "
                           f"'{second.name}' (question '{q2.name}') both change {shared}, so their combination "
                           "would say two things about it",
                           "make them readings of one question, or let them change different rules", key=True)


def _check_probabilities(builder: _ReadingsBuilder, declared: dict[str, Reading], questions: tuple[Question, ...]
                         ) -> None:
    """`p:` only on the readings of a question, on all of them or none, summing to exactly 1 (as decimals)."""
    asked = {name for question in questions for name in question.readings}
    for name, item in declared.items():
        if item.p is not None and name not in asked:
            builder.report(("readings", name, "p"), f"reading '{name}' answers no question: p: is the probability "
                           "of a reading among its question's", "list it under a question's readings, or remove p:",
                           key=True)
    for question in questions:
        members = [declared[name] for name in dict.fromkeys(question.readings) if name in declared]
        missing = [item.name for item in members if item.p is None]
        if len(missing) == len(members):
            continue
        if missing:
            builder.report(("questions", question.name), f"question '{question.name}': its readings have p: all or "
                           f"none, and {', '.join(missing)} {'has' if len(missing) == 1 else 'have'} none",
                           "give each of its readings its probability (p:, summing to 1), or none", key=True)
            continue
        total = sum((item.p for item in members if item.p is not None), Fraction(0))
        if total != 1:
            written = " + ".join(_decimal(item.p) for item in members if item.p is not None)
            builder.report(("readings", members[-1].name, "p"), f"the readings of question '{question.name}' have "
                           f"probabilities summing to {_decimal(total)} ({written}), not 1",
                           "one of them holds: make their p: add up to exactly 1")


def _decimal(value: Fraction) -> str:
    """A probability as the decimal it was written as (decimals written sum to a decimal)."""
    return str(Decimal(value.numerator) / Decimal(value.denominator))
