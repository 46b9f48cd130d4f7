"""Uncertain positions: the items a sweep draws, and the one definition of what a sample is.

A scenario states its uncertainty on the positions as written (docs/uncertainty.md): `firm: P` on a red line (it
holds as a red line with probability P, else it is a demand of its weight, as `--demote` makes it), `weight: [LO,
HI]` on a demand (a whole number drawn uniformly from LO..HI; every other command answers at the nominal weight
(LO + HI) // 2) and `p:` on the readings of a question (one of them holds, with those probabilities). The items are
independent. `uncertain` lists them in a fixed order; `draw` picks the values of sample `index` of a sweep from its
own random stream, so a sample does not depend on which worker, batch or order computes it; `Uncertain.sample`
turns a draw into the scenario it stands for, with the what-if edits the user could type by hand. Probabilities
are exact (`Fraction`s made from the decimals as written). No solver here: the solver's sweep, exact probability
and most robust deal all work from these.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from fractions import Fraction
from functools import cached_property
from typing import Any

from .edits import Demote, Edits, SetWeight, apply_operation, resolve_edits
from .errors import UserError
from .model import Rule, RuleRef, Scenario
from .readings import Question, ReadingsClash, held_readings, question_of, reading, under_readings

MAX_EXACT_ITEMS = 12  # exact enumeration only with at most this many uncertain items ...
MAX_EXACT_COMBINATIONS = 4096  # ... and at most this many combinations of their values
READING_COMBINATIONS_TRIED = 64  # drawn readings' combinations tried up front when there are at most this many
STREAM_SPAN = 2**40  # seeds and sample indexes are below it: sample `index` of `seed` has the stream seed·SPAN+index
RANDOM_UNITS = 2**53  # random.random() is a whole number of 2**-53
SCENARIOS_KEPT = 256  # the scenarios under drawn readings an Uncertain keeps (one per combination drawn)


class ItemKind(str, Enum):
    """What an uncertain item is."""

    FIRMNESS = "firmness"  #: a red line that may not hold: values (True, False) = it holds / it gives way (a demand)
    WEIGHT = "weight"  #: a demand's weight range: values LO..HI, each as likely
    READING = "reading"  #: a question whose readings carry p: values = the names of its readings


HOLDS, GIVES_WAY = True, False  # a firmness item's values


@dataclass(frozen=True)
class UncertainItem:
    """One uncertain item: its values and their probabilities (exact, summing to 1)."""

    kind: ItemKind
    name: str  # the rule's name OWNER/ID (firmness, weight), or the question's name (reading)
    values: tuple[Any, ...]  # see ItemKind
    probabilities: tuple[Fraction, ...]  # one per value, summing to 1
    party: str | None  # the rule's owner (None for a question)
    note: str | None = None  # a red line's firm_note, a question's `asks`

    def label(self, value: Any) -> str:
        """A value in words: "holds" or "gives way" for a red line's firmness, the weight, the reading's name."""
        if self.kind is ItemKind.FIRMNESS:
            return "holds" if value else "gives way"
        return str(value)

    @cached_property  # drawn from on every sample: summed once
    def cumulative(self) -> tuple[Fraction, ...]:
        """The probability of each value or one before it (the last is 1)."""
        return tuple(itertools.accumulate(self.probabilities))

    @cached_property
    def thresholds(self) -> tuple[int, ...]:
        """`cumulative` in units of 2**-53, rounded up: random() is a whole number k of those units, and u < c
        exactly when k < ceil(c · 2**53), so a draw compares integers instead of Fractions with floats."""
        return tuple(math.ceil(c * RANDOM_UNITS) for c in self.cumulative)

    def pick(self, u: float) -> int:
        """The index of the first value whose cumulative probability exceeds u (compared exactly)."""
        units = u * RANDOM_UNITS
        if units == int(units):  # (always, with the standard generator)
            return bisect.bisect_right(self.thresholds, int(units))
        return bisect.bisect_right(self.cumulative, u)


@dataclass(frozen=True)
class Draw:
    """One value of every item: per item (in the items' order), the index of its value."""

    choices: tuple[int, ...]


class _Kept(OrderedDict):
    """The scenarios an Uncertain has built, least recently used first; never pickled (a worker builds its own).
    Its lock serialises the cache's use: a Dask worker's threads share one Uncertain."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def __reduce__(self):
        return (_Kept, ())

    def recall(self, key: tuple[str, ...]) -> Scenario | None:
        with self.lock:
            found = self.get(key)
            if found is not None:
                self.move_to_end(key)
            return found

    def keep(self, key: tuple[str, ...], scenario: Scenario) -> None:
        with self.lock:
            self[key] = scenario
            if len(self) > SCENARIOS_KEPT:
                self.popitem(last=False)


@dataclass(frozen=True)
class Uncertain:
    """A scenario with its uncertain items: what sweep, exact probability and the most robust deal work from."""

    base: Scenario  # as of the day taken, with no reading applied (readings_used == ())
    readings: tuple[str, ...]  # readings chosen by the user (fixed, never drawn; their questions are not items)
    edits: Edits  # the user's what-if edits, applied after the readings, before a draw
    items: tuple[UncertainItem, ...]
    kept: _Kept = field(default_factory=_Kept, init=False, compare=False, repr=False)

    def scenario(self, drawn_readings: Sequence[str] = ()) -> Scenario:
        """The base under the chosen and the drawn readings (`under_readings`), then the user's edits. UserError
        when the readings clash, or when an edit does not fit the positions under them (naming the readings)."""
        key = tuple(drawn_readings)
        found = self.kept.recall(key)
        if found is not None:
            return found
        chosen = (*self.readings, *key)
        try:
            taken = under_readings(self.base, chosen) if chosen else self.base
        except UserError as exc:
            if len(key) + len(self.readings) < 2 or not key:
                raise
            raise self._drawn_together(key, exc) from None
        if self.edits:
            try:
                taken = resolve_edits(taken, self.edits).scenario
            except UserError as exc:
                if not key:
                    raise
                under = ", ".join(f"--reading {name}" for name in key)
                raise UserError(f"{exc.message} (under {under}, which a sample draws)", hint=exc.hint) from None
        taken = kept_firmness(self.base, taken)
        self.kept.keep(key, taken)
        return taken

    def _drawn_together(self, drawn: tuple[str, ...], exc: UserError) -> UserError:
        """The error of readings a sample may draw together (with those chosen) that cannot hold together: it
        names them and their questions, since the user chose none of the drawn ones."""
        def named(name: str) -> str:
            question = question_of(self.base, name)
            return f"'{name}'" + (f" (question '{question.name}')" if question is not None else "")

        chosen = " and ".join(f"--reading {name}" for name in self.readings)
        what = (f"the readings {' and '.join(named(n) for n in drawn)} together" if len(drawn) > 1 else
                f"the reading {named(drawn[0])}")
        why = exc.reason if isinstance(exc, ReadingsClash) else exc.message
        return UserError(f"a sample may draw {what}{f' under {chosen}' if chosen else ''}, and they cannot hold "
                         f"together: {why}",
                         hint="give one of them p: 0 in scenario.yaml, or fix one of their questions with --reading",
                         diagnostic=exc.diagnostic)

    def sample(self, draw: Draw) -> Scenario:
        """THE definition of a sample: `scenario` under the readings drawn, then `--demote` of every red line drawn
        to give way that is still a red line there, then `--weight NAME=W` of every weight drawn (on the demand of
        that name, if it still is one). Brute-force oracles in the tests use exactly this."""
        values = self.values(draw)
        taken = self.scenario(tuple(value for item, value in values if item.kind is ItemKind.READING))
        red_lines = {rule.name for party in taken.parties for rule in party.red_lines}
        demands = {rule.name for rule in taken.demands}
        for item, value in values:
            if item.kind is ItemKind.FIRMNESS and value is GIVES_WAY and item.name in red_lines:
                ref = RuleRef.parse(item.name)
                taken = apply_operation(taken, Demote(ref.owner, ref.id))
                demands.add(item.name)
        for item, value in values:
            if item.kind is ItemKind.WEIGHT and item.name in demands:
                ref = RuleRef.parse(item.name)
                taken = apply_operation(taken, SetWeight(ref.owner, ref.id, value))
        return taken

    def values(self, draw: Draw) -> list[tuple[UncertainItem, Any]]:
        """Each item with the value the draw gives it."""
        if len(draw.choices) != len(self.items):
            raise ValueError(f"a draw of {len(draw.choices)} values for {len(self.items)} items")
        return [(item, item.values[choice]) for item, choice in zip(self.items, draw.choices)]

    def probability(self, draw: Draw) -> Fraction:
        """The probability of the draw: the product of its values' probabilities (the items are independent)."""
        return math.prod((item.probabilities[choice] for item, choice in zip(self.items, draw.choices)),
                         start=Fraction(1))


def kept_firmness(written: Scenario, taken: Scenario) -> Scenario:
    """`taken` with each red line that a reading or an edit rewrote (its rule replaced, its id kept) given back the
    firmness and note the positions as written state for it. Firmness belongs to the position, not to one wording
    of it: readings and overlays cannot state one (the loader refuses it), so without this a reading that narrows
    a red line would silently make it certain."""
    stated = {rule.name: rule for party in written.parties for rule in party.red_lines if rule.firm is not None}
    if not stated:
        return taken

    def given_back(rule: Rule) -> Rule:
        source = stated.get(rule.name)
        if source is None or rule.firm is not None:
            return rule
        return replace(rule, firm=source.firm, firm_note=source.firm_note)

    return replace(taken, parties=tuple(replace(party, red_lines=tuple(given_back(r) for r in party.red_lines))
                                        for party in taken.parties))


def uncertain(base: Scenario, readings: Sequence[str] = (), edits: Edits | None = None) -> Uncertain:
    """The scenario's uncertain items, in canonical order: READING items (the questions in declared order that no
    chosen reading decides and whose readings have `p:`; their values the readings that hold on the day, `p`
    renormalised over them), then FIRMNESS (red lines with `firm:` below 1 under the chosen readings and the
    edits, in scenario order), then WEIGHT (demands with a weight range there, in scenario order). A red line
    with `firm: 0` is an item that always gives way. UserError when a chosen reading or an edit does not fit,
    also under a reading a sample may draw."""
    if base.readings_used:
        raise ValueError("uncertain() takes the scenario with no reading applied; name the readings instead")
    for name in readings:
        reading(base, name)  # an unknown name: did-you-mean help
    shell = Uncertain(base, tuple(readings), edits or Edits(), ())
    taken = shell.scenario()
    items = (*reading_items(base, readings), *firmness_items(taken), *weight_items(taken))
    made = Uncertain(base, tuple(readings), edits or Edits(), items)
    made.kept.update(shell.kept)
    for drawn in _readings_tried(items):  # they fit the chosen ones and the edits (before any sample needs them)
        made.scenario(drawn)
    return made


def _readings_tried(items: Sequence[UncertainItem]) -> Iterator[tuple[str, ...]]:
    """The combinations of drawn readings to try before any sample: each reading alone, and, when the reading
    items make at most READING_COMBINATIONS_TRIED combinations, every combination a sample may draw. Past that, a
    clash shows when a sample first draws it."""
    questions = [item for item in items if item.kind is ItemKind.READING]
    for item in questions:
        for value in item.values:
            yield (value,)
    if len(questions) < 2 or combination_count(questions) > READING_COMBINATIONS_TRIED:
        return
    yield from itertools.product(*(item.values for item in questions))


def reading_items(base: Scenario, chosen: Sequence[str]) -> list[UncertainItem]:
    """One item per question with `p:` on its readings that no chosen reading answers, with at least two readings
    holding on the day (the default always does); its values are those of positive probability (a reading with
    p: 0 is never drawn, so its readings need not hold with the others'), and a question whose only such reading
    is its default is no item."""
    decided = {question.name for name in chosen if (question := question_of(base, name)) is not None}
    by_name = {r.name: r for r in base.readings}
    items = []
    for question in base.questions:
        held = held_readings(base, question)
        if question.name in decided or len(held) < 2 or by_name[question.default].p is None:
            continue
        probabilities = _renormalised(question, [by_name[name].p for name in held])
        possible = [(name, p) for name, p in zip(held, probabilities) if p]  # a reading with p: 0 is never drawn
        if len(possible) == 1 and possible[0][0] == question.default:
            continue  # the default always holds: it changes nothing
        items.append(UncertainItem(ItemKind.READING, question.name, tuple(name for name, _ in possible),
                                   tuple(p for _, p in possible), None, question.asks))
    return items


def _renormalised(question: Question, written: list[Fraction | None]) -> tuple[Fraction, ...]:
    """The readings' probabilities among those that hold on the day (all do, usually: then as written)."""
    known = [p or Fraction(0) for p in written]
    total = sum(known, Fraction(0))
    if total == 0:
        raise UserError(f"question '{question.name}': the readings that hold on the day taken have probability 0 "
                        "together", hint="give them some probability (p:) in scenario.yaml, or take another day")
    return tuple(p / total for p in known)


def firmness_items(scenario: Scenario) -> list[UncertainItem]:
    """One item per red line whose firmness is below 1 (levels have none), in scenario order."""
    return [UncertainItem(ItemKind.FIRMNESS, rule.name, (HOLDS, GIVES_WAY), (rule.firm, 1 - rule.firm), rule.owner,
                          rule.firm_note)
            for party in scenario.parties for rule in party.red_lines if rule.firm is not None and rule.firm < 1]


def weight_items(scenario: Scenario) -> list[UncertainItem]:
    """One item per demand with a weight range, in scenario order: each whole number of the range as likely."""
    items = []
    for rule in scenario.demands:
        if rule.weight_range is not None:
            low, high = rule.weight_range
            count = high - low + 1
            items.append(UncertainItem(ItemKind.WEIGHT, rule.name, tuple(range(low, high + 1)),
                                       (Fraction(1, count),) * count, rule.owner))
    return items


def draw(items: Sequence[UncertainItem], seed: int, index: int) -> Draw:
    """Sample `index` of the sweep with `seed`: its own random stream (random.Random(seed · 2**40 + index)), one
    number u in [0, 1) an item in order, and the first value whose cumulative probability exceeds u (compared
    exactly). Independent of workers, batches and the order samples are computed in."""
    for what, number in (("seed", seed), ("sample index", index)):
        if not 0 <= number < STREAM_SPAN:
            raise UserError(f"the {what} {number:,} is outside 0..{STREAM_SPAN - 1:,}", hint="give a smaller one")
    stream = random.Random(seed * STREAM_SPAN + index)
    return Draw(tuple(item.pick(stream.random()) for item in items))


def every_draw(items: Sequence[UncertainItem]) -> Iterator[Draw]:
    """Every combination of the items' values, lexicographic in the items' order (the last varies fastest)."""
    return (Draw(choices) for choices in itertools.product(*(range(len(item.values)) for item in items)))


def combination_count(items: Sequence[UncertainItem]) -> int:
    """How many combinations the items' values make (1 without items)."""
    return math.prod(len(item.values) for item in items)


def exact_possible(items: Sequence[UncertainItem]) -> tuple[bool, str | None]:
    """Whether the combinations are few enough to enumerate (MAX_EXACT_ITEMS, MAX_EXACT_COMBINATIONS); if not, why."""
    if len(items) > MAX_EXACT_ITEMS:
        return False, f"{len(items)} uncertain items, more than the {MAX_EXACT_ITEMS} enumerated exactly"
    count = combination_count(items)
    if count > MAX_EXACT_COMBINATIONS:
        return False, (f"the uncertain items' values make {count:,} combinations, more than the "
                       f"{MAX_EXACT_COMBINATIONS:,} enumerated exactly")
    return True, None
