"""`sweep`: Monte Carlo over a scenario's uncertain items (firmness of red lines, weight ranges, readings with
probabilities), the exact probability of a deal by enumeration when the items are few, and what drives it.

Each sample is one draw of the items (positions/uncertainty.py: `draw`, `Uncertain.sample`), answered as
`feasible check --conflicts all` would answer it, verdict, conflicts and the cost of the cheapest relaxation, by the
engine of solver/samples.py. Samples run in batches of consecutive indexes; a batch's answer is a `Tally` of
integers, and tallies add up, so the result never depends on the number of workers, the batch size, the engine or
the order in which batches come back (docs/uncertainty.md, "What a sample computes" and "Reading a sweep").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feasible.positions.uncertainty import UncertainItem

    from .robust import RobustDeal


# -- the mergeable answer of a batch of samples --------------------------------------------------------------------

Names = tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    """What a set of samples said, in integers only: tallies of disjoint sets of samples add up (`a + b`) to the
    tally of their union, whatever the order. Every mapping is a tuple of (key, count) pairs sorted by key, with no
    zero counts, so equal tallies are equal objects and their JSON is canonical."""

    samples: int = 0  # samples answered (decided or not)
    deals: int = 0  # samples with a deal
    no_deals: int = 0  # samples proved to have none
    undecided: int = 0  # samples whose verdict the per-sample time limit left unknown: out of every estimate
    conflicts_cut: int = 0  # no-deal samples with more than SAMPLE_CONFLICTS conflicts: left out of the conflict counts
    cost_unknown: int = 0  # no-deal samples whose cheapest relaxation the time limit left unknown
    by_value: tuple[tuple[int, int], ...] = ()  # per item and value (flattened in items order): (decided, deals)
    conflicts: tuple[tuple[Names, int], ...] = ()  # conflict (its sorted red lines) -> samples listing it
    red_lines: tuple[tuple[str, int], ...] = ()  # red line -> no-deal samples in which a counted conflict has it
    costs: tuple[tuple[int, int], ...] = ()  # cheapest relaxation cost -> no-deal samples
    facts_conflict: int = 0  # no-deal samples whose facts alone cannot hold (no relaxation of red lines helps)
    conflicts_unknown: int = 0  # no-deal samples whose conflicts the time limit left incomplete: left out of counts

    def __add__(self, other: Tally) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        return Tally(
            self.samples + other.samples, self.deals + other.deals, self.no_deals + other.no_deals,
            self.undecided + other.undecided, self.conflicts_cut + other.conflicts_cut,
            self.cost_unknown + other.cost_unknown, _added_pairs(self.by_value, other.by_value),
            counted(Counter(dict(self.conflicts)) + Counter(dict(other.conflicts))),
            counted(Counter(dict(self.red_lines)) + Counter(dict(other.red_lines))),
            counted(Counter(dict(self.costs)) + Counter(dict(other.costs))),
            self.facts_conflict + other.facts_conflict, self.conflicts_unknown + other.conflicts_unknown)

    @property
    def decided(self) -> int:
        """Samples with a verdict: what every estimate is made of."""
        return self.deals + self.no_deals


def counted(counts: Mapping) -> tuple:
    """A mapping of counts as Tally stores it: (key, count) pairs sorted by key, zero counts left out."""
    return tuple(sorted((key, count) for key, count in counts.items() if count))


def _added_pairs(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Per item value, (decided, deals) added; an empty tally (no item values yet) adds nothing."""
    if not a or not b:
        return a or b
    if len(a) != len(b):
        raise ValueError("tallies of sweeps over different items cannot be added")
    return tuple((x[0] + y[0], x[1] + y[1]) for x, y in zip(a, b))


def total(tallies: Iterable[Tally]) -> Tally:
    merged = Tally()
    for tally in tallies:
        merged = merged + tally
    return merged


# -- the result ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    """The share of decided samples with a deal, and its Wilson score interval at `confidence`."""

    estimate: float
    low: float
    high: float
    confidence: float


@dataclass(frozen=True)
class ExactProbability:
    """P(deal) over every combination of the items' values, exactly (when there are few enough of them)."""

    probability: Fraction | None  # None when not computed
    combinations: int  # how many were enumerated (0 when not computed)
    by_value: tuple[tuple[Fraction, Fraction], ...]  # per item and value (flattened): (P(value), P(value and deal))
    reason: str | None  # why it was not computed


@dataclass(frozen=True)
class Sensitivity:
    """How the probability of a deal moves with one item's value: the tornado's bar."""

    item: int  # index into Sweep.items
    values: tuple[tuple[str, int, int], ...]  # per value: (label, decided samples with it, those with a deal)
    low: float  # the lowest P(deal | value) among the values with samples
    high: float  # the highest
    swing: float  # high - low
    exact: tuple[float, ...] | None  # exact P(deal | value) per value, when the exact probability was computed


@dataclass(frozen=True)
class SweptConflict:
    """A conflict (its red lines) and how many samples listed it."""

    red_lines: Names
    parties: Names  # the parties owning its red lines, in order of first appearance
    samples: int
    family: int  # its family's number (from 1)


@dataclass(frozen=True)
class SweptFamily:
    """Swept conflicts joined by shared red lines (as readings.Family over the combinations)."""

    number: int
    conflicts: tuple[int, ...]  # indexes into Sweep.conflicts
    red_lines: Names
    parties: Names


@dataclass(frozen=True)
class SweepStatistics:
    """How the sweep ran: depends on the machine and the engine, so never part of the JSON."""

    elapsed: float  # seconds
    answers: int  # samples answered by the engine (not from the memo)
    memo_hits: int  # samples answered from the memo (same compile key and firm set as an earlier one)
    table_keys: int  # compile keys answered by their conflict table (path a)
    sample_keys: int  # compile keys answered sample by sample (path b)
    engine: str  # "in-process", "local:N" or "dask:ADDRESS"
    workers: int


@dataclass(frozen=True)
class Sweep:
    """A sweep's answer: the tally of the samples done and what is read from it."""

    title: str
    items: tuple[UncertainItem, ...]
    seed: int
    samples_asked: int
    tally: Tally  # merged over the samples done
    probability: Interval | None  # None when no sample was decided
    exact: ExactProbability
    robust: RobustDeal | None  # the most robust deal (None only when asked not to compute it)
    conflicts: tuple[SweptConflict, ...]  # most frequent first, then by size, then by names
    families: tuple[SweptFamily, ...]
    red_line_shares: tuple[tuple[str, int], ...]  # red line -> no-deal samples; most first (share: n / no_deals)
    sensitivity: tuple[Sensitivity, ...]  # swing descending, then item order
    partial: bool  # interrupted: only the batches done (tally.samples < samples_asked)
    statistics: SweepStatistics  # not part of the answer: never in JSON
