"""`sweep`: Monte Carlo over a scenario's uncertain items (firmness of red lines, weight ranges, readings with
probabilities), the exact probability of a deal by enumeration when the items are few, and what drives it.

Each sample is one draw of the items (positions/uncertainty.py: `draw`, `Uncertain.sample`), answered as
`feasible check --all-conflicts` would answer it, verdict, conflicts and the cost of the cheapest relaxation, by the
engine of solver/samples.py. Samples run in batches of consecutive indexes; a batch's answer is a `Tally` of
integers, and tallies add up, so the result never depends on the number of workers, the batch size, the engine or
the order in which batches come back (docs/uncertainty.md, "What a sample computes" and "Reading a sweep").
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from itertools import accumulate
from statistics import NormalDist
from feasible.positions.errors import InternalError, UserError
from feasible.positions.limits import Limits, override_hint
from feasible.positions.model import Scenario
from feasible.positions.uncertainty import (STREAM_SPAN, Draw, Uncertain, UncertainItem, combination_count, draw,
                                            every_draw, exact_possible, uncertain)

from .check import DEFAULT_TIME_LIMIT
from .groups import family_numbers
from .readings import owners
from .result import Objective, Verdict
from .robust import RobustDeal, robust_deal
from .runner import WorkerDied, default_workers, in_process, run_tasks
from .samples import VERDICT_ONLY, Answer, Engine
from .search import Control


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
    exact: tuple[float | None, ...] | None  # exact P(deal | value) per value (None: a value of probability 0),
    # when the exact probability was computed
    exact_fractions: tuple[Fraction | None, ...] | None = None  # the same, as exact fractions (print "7/10")
    exact_low: Fraction | None = None  # the lowest exact P(deal | value) among the values of positive probability
    exact_high: Fraction | None = None  # the highest
    exact_swing: Fraction | None = None  # exact_high - exact_low: what ranks the items when it is known
    significant: bool = False  # the sampled swing is more than sampling noise: the Wilson intervals (at the
    # sweep's confidence) of the values with the lowest and the highest P(deal | value) do not overlap


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
    sample_keys: int  # compile keys compiled, over the workers (each worker compiles its own; again after eviction)
    engine: str  # "in-process", "local:N" or "dask:ADDRESS"
    workers: int  # processes of this machine (1: this one); 0 on a cluster (its workers are its own)


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
    sensitivity: tuple[Sensitivity, ...]  # exact swing (else sampled swing) descending, then item order
    partial: bool  # interrupted: only the batches done (tally.samples < samples_asked)
    statistics: SweepStatistics  # not part of the answer: never in JSON


# -- running the samples -------------------------------------------------------------------------------------------

BATCHES_PER_WORKER = 16  # a sweep's samples go out in about this many batches a worker (for balance and progress)
BATCH_MOST = 250  # samples in one batch, at most (Ctrl-C drops the batch under way: it bounds what is lost) ...
MAX_TASKS = 100_000  # ... unless that makes more tasks than this: the task list and its results are held in memory,
# so past it the batches grow instead (the result never depends on the batch size)
CHUNK = BATCH_MOST  # a worker draws and answers a large batch this many samples at a time (bounded memory)
CONFIDENCE = 0.95
SAMPLE_TIME_LIMIT = DEFAULT_TIME_LIMIT  # seconds a sample may take: check's default limit


@dataclass(frozen=True)
class SweepSpec:
    """What every worker needs, sent to it once."""

    token: str  # names this sweep's engine in a worker's cache (a worker may serve several sweeps)
    uncertain: Uncertain
    seed: int
    time_limit: float  # per sample
    memoise: bool


@dataclass(frozen=True)
class Span:
    """A task: the samples start..stop-1 of the sweep, or (exact) the combinations start..stop-1 of every_draw."""

    start: int
    stop: int
    exact: bool = False


@dataclass(frozen=True)
class Batch:
    """A task's result: the tally of its samples (or the verdict of each of its combinations), and what the
    worker's engine did meanwhile."""

    tally: Tally
    verdicts: tuple[str, ...]  # exact spans: each combination's Verdict value, in order
    work: tuple[int, int, int, int]  # samples computed, memo hits, keys tabled, keys compiled (during the task)
    cut: bool = False  # stopped in the middle (Ctrl-C in this process): dropped whole


# The "verdict" of a combination of probability 0 (a value with p: 0): never drawn, so never answered (its readings
# need not even hold together), and it adds nothing to any exact sum.
NEVER_DRAWN = "never drawn"

# A worker's engine for the sweep it serves (the latest only), per thread: a Dask worker may run several tasks at once
# in threads, and an engine's models and oracles are not shared between solves running together.
_WORKER = threading.local()


def sweep_batch(spec: SweepSpec, span: Span | tuple[int, int], control: Control | None = None) -> Batch:
    """The work function of a sweep (module-level, so that worker processes and Dask can run it): the samples of
    `span` (a Span, or (start, stop) for samples), answered by this worker's engine for `spec`."""
    if not isinstance(span, Span):
        span = Span(*span)
    engine = _engine(spec, control)
    before = _work(engine)
    items = spec.uncertain.items
    if span.exact:
        draws = _every_draw(spec)[span.start:span.stop]
        tally, verdicts = Tally(), tuple(engine.answer(drawn, VERDICT_ONLY).verdict.value
                                         if spec.uncertain.probability(drawn) else NEVER_DRAWN for drawn in draws)
    else:
        tally, verdicts = Tally(), ()
        for start in range(span.start, span.stop, CHUNK):
            draws = [draw(items, spec.seed, index) for index in range(start, min(start + CHUNK, span.stop))]
            tally = tally + tally_of(items, draws, [engine.answer(drawn) for drawn in draws])
    after = _work(engine)
    done = (after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3] - before[3])
    return Batch(tally, verdicts, done, cut=control is not None and control.interrupted)


def _engine(spec: SweepSpec, control: Control | None) -> Engine:
    if getattr(_WORKER, "token", None) != spec.token:
        _WORKER.token = spec.token
        _WORKER.engine = Engine(spec.uncertain, spec.time_limit, spec.memoise, control)
        _WORKER.draws = None
    return _WORKER.engine


def _forget_engine() -> None:
    """Drop this thread's engine (a sweep run in this process keeps nothing once it has answered)."""
    _WORKER.token = _WORKER.engine = _WORKER.draws = None


def _work(engine: Engine) -> tuple[int, int, int, int]:
    work = engine.work
    return work.answers, work.memo_hits, work.table_keys, work.sample_keys


def _every_draw(spec: SweepSpec) -> list[Draw]:
    """Every combination, in order (exact spans index into it), listed once per worker."""
    if _WORKER.draws is None:
        _WORKER.draws = list(every_draw(spec.uncertain.items))
    return _WORKER.draws


def tally_of(items: Sequence[UncertainItem], draws: Sequence[Draw], answers: Sequence[Answer]) -> Tally:
    """The tally of these samples (draw i answered by answer i)."""
    offsets = list(accumulate((len(item.values) for item in items), initial=0))
    by_value = [[0, 0] for _ in range(offsets[-1])]
    conflicts: Counter = Counter()
    red_lines: Counter = Counter()
    costs: Counter = Counter()
    counts = Counter()  # type: Counter[str]
    for drawn, answer in zip(draws, answers):
        counts["samples"] += 1
        if answer.verdict is Verdict.UNKNOWN:
            counts["undecided"] += 1
            continue
        deal = answer.verdict is Verdict.DEAL
        counts["deals" if deal else "no_deals"] += 1
        for offset, choice in zip(offsets, drawn.choices):
            by_value[offset + choice][0] += 1
            by_value[offset + choice][1] += deal
        if deal:
            continue
        if answer.facts_conflict:
            counts["facts_conflict"] += 1
            continue
        if answer.cut:
            counts["conflicts_cut"] += 1
        elif answer.conflicts is None:
            counts["conflicts_unknown"] += 1
        else:
            conflicts.update(answer.conflicts)
            red_lines.update({name for conflict in answer.conflicts for name in conflict})
        if answer.cost is None:
            counts["cost_unknown"] += 1
        else:
            costs[answer.cost] += 1
    return Tally(counts["samples"], counts["deals"], counts["no_deals"], counts["undecided"], counts["conflicts_cut"],
                 counts["cost_unknown"], tuple((n, d) for n, d in by_value), counted(conflicts), counted(red_lines),
                 counted(costs), counts["facts_conflict"], counts["conflicts_unknown"])


# -- the sweep -----------------------------------------------------------------------------------------------------

def sweep(scenario_or_uncertain: Scenario | Uncertain, *, samples: int = 1000, seed: int = 0,
          workers: int | None = None, cluster: str | None = None, time_limit: float = SAMPLE_TIME_LIMIT,
          confidence: float = CONFIDENCE, exact: bool = True, robust: bool = True, memoise: bool = True,
          objective: Objective | str = Objective.FAIR, control: Control | None = None,
          progress: Callable[[int, int], None] | None = None, batch_size: int | None = None) -> Sweep:
    """Draw `samples` samples of the scenario's uncertain items (sample i from its own random stream of `seed`),
    answer each as `check --all-conflicts` would (docs/uncertainty.md, "What a sample computes"), on `workers`
    processes (default: the machine's cores; 1: in this process) or the Dask scheduler at `cluster`, and read the
    tally: the probability of a deal with its Wilson interval at `confidence`, the conflicts, families, red
    lines' shares, costs and each item's sensitivity. With `exact` (and few enough items), the exact probability
    by enumerating every combination; with `robust`, the most robust deal (solver/robust.py) by `objective`.
    The answer depends only on the scenario, the seed and the number of samples (time limits aside: samples left
    undecided are counted apart). `control`: Ctrl-C keeps the batches done (partial); `progress(done, asked)`
    after each batch of samples. `batch_size`: samples a task (default: chosen from the workers)."""
    started = time.perf_counter()
    _check_arguments(samples, seed, confidence, time_limit, workers, batch_size)
    taken = scenario_or_uncertain if isinstance(scenario_or_uncertain, Uncertain) else \
        uncertain(scenario_or_uncertain)
    objective = Objective(objective)
    items = taken.items
    possible, reason = exact_possible(items) if exact else (False, None)
    combinations = combination_count(items) if possible else 0
    wanted = workers or default_workers()
    tasks = planned(samples, combinations, wanted, batch_size)
    local = cluster is None and in_process(workers, len(tasks))
    processes = 1 if local else 0 if cluster is not None else min(wanted, len(tasks))  # 0: the cluster's own
    spec = SweepSpec(uuid.uuid4().hex, taken, seed, time_limit, memoise)
    try:
        ran, interrupted = _run(spec, tasks, workers, cluster, control, progress, samples, local)
    finally:
        _forget_engine()
    done = [batch for batch in ran if batch is not None and not batch.cut]
    tally = total(batch.tally for span, batch in zip(tasks, ran) if batch is not None and not batch.cut
                  and not span.exact)
    exact_answer = exact_probability(taken, tasks, ran, possible, reason, exact)
    deal = robust_deal(taken, objective, time_limit=time_limit, control=control) if robust else None
    interrupted = interrupted or (control is not None and control.interrupted)  # (a Ctrl-C during the robust deal)
    conflicts, families = swept_conflicts(tally)
    work = [sum(batch.work[i] for batch in done) for i in range(4)]
    statistics = SweepStatistics(time.perf_counter() - started, work[0], work[1], work[2], work[3],
                                 _engine_name(cluster, processes), processes)
    return Sweep(taken.scenario().title, items, seed, samples, tally, interval(tally, confidence), exact_answer,
                 deal, conflicts, families, shares(tally), sensitivity(items, tally, exact_answer, confidence),
                 interrupted or tally.samples < samples, statistics)


def _check_arguments(samples: int, seed: int, confidence: float, time_limit: float, workers: int | None,
                     batch_size: int | None) -> None:
    most = Limits.from_environment().samples
    if not 1 <= samples <= most:
        raise UserError(f"a sweep draws 1 to {most:,} samples, not {samples:,}", hint=override_hint("samples"))
    if not 0 <= seed < STREAM_SPAN:
        raise UserError(f"the seed {seed:,} is outside 0..{STREAM_SPAN - 1:,}", hint="give a smaller one")
    if not 0 < confidence < 1:
        raise UserError(f"the confidence {confidence} is not between 0 and 1", hint="e.g. 0.95 for a 95 % interval")
    if not time_limit > 0:
        raise UserError(f"the time limit per sample must be positive, not {time_limit}")
    for what, value in (("workers", workers), ("batch size", batch_size)):
        if value is not None and value < 1:
            raise UserError(f"the {what} must be at least 1, not {value}")


def planned(samples: int, combinations: int, processes: int, batch_size: int | None = None) -> list[Span]:
    """The tasks of a sweep: the exact combinations, then the samples, in batches of `batch_size` (default: chosen
    from the processes), grown where needed so that there are at most MAX_TASKS of each kind."""
    size = batch_size or _batch_size(samples + combinations, processes)
    size = max(size, -(-samples // MAX_TASKS), -(-combinations // MAX_TASKS))
    return [*_spans(combinations, size, exact=True), *_spans(samples, size)]


def _batch_size(units: int, processes: int) -> int:
    return max(1, min(BATCH_MOST, -(-units // (processes * BATCHES_PER_WORKER))))


def _spans(count: int, size: int, exact: bool = False) -> list[Span]:
    return [Span(start, min(start + size, count), exact) for start in range(0, count, size)]


def _run(spec: SweepSpec, tasks: list[Span], workers: int | None, cluster: str | None, control: Control | None,
         progress: Callable[[int, int], None] | None, samples: int, local: bool
         ) -> tuple[tuple[Batch | None, ...], bool]:
    """Every task's batch (None: not done) and whether the run was interrupted. Progress counts the samples of
    the whole batches come back, as they come back (in any order)."""
    stop = (lambda: control.interrupted) if control is not None else (lambda: False)
    done = [0]

    def arrived(index: int, batch: Batch) -> None:
        span = tasks[index]
        if progress is not None and not span.exact and not batch.cut:
            done[0] += span.stop - span.start
            progress(done[0], samples)

    # in this process, a batch's samples are stopped by Ctrl-C (and the batch dropped); a worker's by ending it
    work = partial(sweep_batch, control=control) if local else sweep_batch
    try:
        ran = run_tasks(work, spec, tasks, workers=workers, stop=stop, preload=("feasible.solver.sweep",),
                        on_result=arrived, cluster=cluster)
    except WorkerDied as died:
        if died.index is None:  # the environment's doing (e.g. a script read from stdin cannot be started again)
            raise UserError(str(died), hint="sweep in this process instead: workers=1 (--workers 1)") from None
        span = tasks[died.index]
        raise InternalError(f"the {'combinations' if span.exact else 'samples'} {span.start}..{span.stop - 1} ended "
                            f"their worker process{died.exit_words}") from None
    interrupted = ran.interrupted or (control is not None and control.interrupted)
    return ran.results, interrupted


def _engine_name(cluster: str | None, processes: int) -> str:
    if cluster is not None:
        return f"dask:{cluster}"
    return "in-process" if processes == 1 else f"local:{processes}"


# -- reading the tally ---------------------------------------------------------------------------------------------

def interval(tally: Tally, confidence: float) -> Interval | None:
    """The share of decided samples with a deal and its Wilson score interval (E. B. Wilson, "Probable inference,
    the law of succession, and statistical inference", JASA 22, 1927): unlike the normal approximation it stays
    inside [0, 1] and is not empty when every sample agrees."""
    n = tally.decided
    if not n:
        return None
    low, high = wilson(tally.deals, n, confidence)
    return Interval(tally.deals / n, low, high, confidence)


def wilson(successes: int, n: int, confidence: float) -> tuple[float, float]:
    """The Wilson score interval of successes / n (0 and 1 exactly at the ends, where rounding would miss them)."""
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    share = successes / n
    spread = z * z / n
    centre = (share + spread / 2) / (1 + spread)
    half = z / (1 + spread) * math.sqrt(share * (1 - share) / n + spread / (4 * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def swept_conflicts(tally: Tally) -> tuple[tuple[SweptConflict, ...], tuple[SweptFamily, ...]]:
    """The conflicts counted, most frequent first (then smaller, then by name), numbered into families of
    conflicts sharing red lines (directly or through others), the family of the most frequent first."""
    ordered = sorted(tally.conflicts, key=lambda pair: (-pair[1], len(pair[0]), pair[0]))
    number_of = family_numbers([names for names, _ in ordered])
    conflicts = tuple(SweptConflict(names, owners(names), count, number_of[names]) for names, count in ordered)
    families = []
    for n in sorted(set(number_of.values())):
        members = tuple(i for i, c in enumerate(conflicts) if c.family == n)
        red = tuple(dict.fromkeys(name for i in members for name in conflicts[i].red_lines))
        families.append(SweptFamily(n, members, red, owners(red)))
    return conflicts, tuple(families)


def shares(tally: Tally) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(tally.red_lines, key=lambda pair: (-pair[1], pair[0])))


def sensitivity(items: Sequence[UncertainItem], tally: Tally, exact: ExactProbability,
                confidence: float = CONFIDENCE) -> tuple[Sensitivity, ...]:
    """Per item, P(deal | value) for each of its values (among decided samples), the tornado's bar from the
    lowest to the highest. Ranked by the exact swing when the exact probability is known (sampling noise then
    ranks nothing), else by the sampled swing; the largest first, then in item order."""
    found = []
    offset = 0
    for index, item in enumerate(items):
        count = len(item.values)
        pairs = tally.by_value[offset:offset + count] if tally.by_value else ((0, 0),) * count
        values = tuple((item.label(value), n, deals) for value, (n, deals) in zip(item.values, pairs))
        rates = [deals / n for _, n, deals in values if n]
        low, high = (min(rates), max(rates)) if rates else (0.0, 0.0)
        fractions = None
        if exact.probability is not None:
            fractions = tuple(with_deal / p if p else None for p, with_deal in exact.by_value[offset:offset + count])
        known = [rate for rate in fractions or () if rate is not None]
        exact_low, exact_high = (min(known), max(known)) if known else (None, None)
        found.append(Sensitivity(
            index, values, low, high, high - low,
            None if fractions is None else tuple(None if f is None else float(f) for f in fractions),
            fractions, exact_low, exact_high,
            None if exact_low is None or exact_high is None else exact_high - exact_low,
            apart(values, confidence)))
        offset += count
    return tuple(sorted(found, key=_ranked))


def _ranked(found: Sensitivity) -> tuple:
    swing = found.exact_swing if found.exact_swing is not None else found.swing
    return -swing, found.item


def apart(values: Sequence[tuple[str, int, int]], confidence: float) -> bool:
    """Whether some two values' P(deal | value) differ by more than sampling noise: the Wilson intervals of the
    lowest and of the highest sampled rate (ties: the value with the most samples, whose interval is narrowest)
    do not overlap."""
    seen = [(deals / n, n, deals) for _, n, deals in values if n]
    if len(seen) < 2:
        return False
    lowest = min(seen, key=lambda v: (v[0], -v[1]))
    highest = max(seen, key=lambda v: (v[0], v[1]))
    return wilson(lowest[2], lowest[1], confidence)[1] < wilson(highest[2], highest[1], confidence)[0]


def exact_probability(taken: Uncertain, tasks: Sequence[Span], ran: Sequence[Batch | None], possible: bool,
                      reason: str | None, asked: bool) -> ExactProbability:
    """P(deal) over every combination, from the verdicts of the exact spans; not given (with the reason) when not
    asked, past the limits, interrupted, or when some combination was left undecided."""
    if not asked:
        return ExactProbability(None, 0, (), "not asked for")
    if not possible:
        return ExactProbability(None, 0, (), reason)
    verdicts: list[str] = []
    for span, batch in zip(tasks, ran):
        if span.exact:
            if batch is None or batch.cut:
                return ExactProbability(None, 0, (), "interrupted before every combination was checked")
            verdicts.extend(batch.verdicts)
    undecided = verdicts.count(Verdict.UNKNOWN.value)
    if undecided:
        return ExactProbability(None, 0, (), f"{undecided:,} of the {len(verdicts):,} combinations were left "
                                             "undecided by the time limit")
    items = taken.items
    offsets = list(accumulate((len(item.values) for item in items), initial=0))
    with_deal = [Fraction(0)] * offsets[-1]
    probability = Fraction(0)
    for drawn, verdict in zip(every_draw(items), verdicts):
        if verdict == Verdict.DEAL.value:
            p = taken.probability(drawn)
            probability += p
            for offset, choice in zip(offsets, drawn.choices):
                with_deal[offset + choice] += p
    by_value = tuple((p, with_deal[offset + i]) for item, offset in zip(items, offsets)
                     for i, p in enumerate(item.probabilities))
    return ExactProbability(probability, len(verdicts), by_value, None)
