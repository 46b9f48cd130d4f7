"""How each kind of issue is encoded in CP-SAT: its variables, reading a value back from a solution, the literals
that say "this value" or "another value", and what a deal witnesses about the room left on it.

One encoder per kind (registered in ENCODERS); a new kind of issue is a new class here and one in
positions/kinds.py. The rule language's operators on each kind are compiled in solver/compile.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Protocol

from feasible.positions import InternalError
from feasible.positions.kinds import RELATIONS, IntType, Phases, SequenceType, issue_type, relation
from feasible.positions.model import Issue, IssueKind

from . import cpsat
from .result import OpenValues, Room

Literal = Any  # cpsat.IntVar of a Boolean, or its negation


@dataclass
class IssueVars:
    """The CP-SAT variables of one issue."""

    issue: Issue
    var: cpsat.IntVar | None = None  # bool: the literal; int: the value; enum: the value's position
    lits: dict[str, Literal] = field(default_factory=dict)  # enum: value is chosen; set: value is included;
    # sequence: the step is present
    phase: dict[str, cpsat.IntVar] = field(default_factory=dict)  # sequence: each step's phase (0: left out)
    grid: dict[str, list[Literal]] = field(default_factory=dict)  # sequence: step → [phase is 0, is 1, …]

    @property
    def value_var(self) -> cpsat.IntVar:
        """The variable of a bool, int or enum issue (a set issue has only its literals)."""
        assert self.var is not None, f"{self.issue.kind.value} issue '{self.issue.name}' has no variable"
        return self.var

    @property
    def encoder(self) -> Encoder:
        return ENCODERS[self.issue.kind]

    def decode(self, value_of: Callable[[Any], int]) -> Any:
        return self.encoder.decode(self, value_of)


class Prober(Protocol):
    """Finds deals that widen the room on an issue (solver/room.py): each deal found is a witness."""

    def assume(self, name: str, literals: list[Literal]) -> None:
        """Look for a deal in which the literals hold."""

    def optimise(self, name: str, var: Any, maximise: bool) -> None:
        """Look for the deal with the least (or greatest) value of `var`."""

    @property
    def model(self) -> cpsat.Model:
        """The model probed (a probe may add literals defined over the issue's variables to it)."""


ENUMERATE = 4096  # subsets of a set issue judged one by one by the evaluator for its open values
INT_ENUMERATE = 64  # values of an int issue judged so; a wider one is cut into ranges by CP-SAT (fewer evaluations)
MAX_RANGES = 20  # ranges of open values listed for an int issue; past them the list says there are more
SAMPLE = 4  # values inside a range of open values re-checked by the evaluator, besides its ends
EXAMPLES = 3  # open subsets of a set issue listed when not every subset between its bounds is open


class OpenCutShort(Exception):
    """The time limit ran out before a solve about open values decided anything."""


class OpenProber(Protocol):
    """Judges the values of one issue in a deal, every other issue fixed (solver/open.py): does a value keep
    every required rule and every party's satisfaction?"""

    def keeps(self, value: Any) -> bool:
        """By the plain evaluator."""

    @property
    def mentioned(self) -> bool:
        """Whether any rule that could change mentions the issue (if not, every value keeps the deal)."""

    def lowest(self, keeps: bool, at_least: int) -> int | None:
        """Int issues, by CP-SAT: the lowest value from `at_least` on that keeps the deal (or, keeps=False, that
        does not); None when there is none. Raises OpenCutShort when the time limit decides nothing."""

    def subset_where(self, value: str, included: bool) -> frozenset | None:
        """Set issues, by CP-SAT: a subset that keeps the deal with `value` included (or not), if there is one."""

    def every_subset_keeps(self, always: Sequence[str], never: Sequence[str]) -> bool:
        """Set issues, by CP-SAT: whether every subset with `always` and without `never` keeps the deal."""

    def values_asked(self) -> frozenset[str] | None:
        """Set issues: the values the rules ask about when all they ask is whether a value is in the set (`"v" in
        s`); None when some rule uses the set as a whole (its size, an equality)."""


def disagree(issue: Issue, value: Any) -> InternalError:
    return InternalError(f"the solver and the evaluator disagree on whether {issue.name} = {value!r} keeps the "
                         "deal as it is")


class Encoder:
    kind: ClassVar[IssueKind]

    def declare(self, model: cpsat.Model, issue: Issue) -> IssueVars:
        raise NotImplementedError

    def decode(self, iv: IssueVars, value_of: Callable[[Any], int]) -> Any:
        raise NotImplementedError

    def value_literals(self, iv: IssueVars, value: Any) -> list[Literal]:
        """Literals that together say the issue takes `value`."""
        raise ValueError(f"no literals for {self.kind.value} issue {iv.issue.name}")

    def differs(self, model: cpsat.Model, iv: IssueVars, value: Any) -> Literal:
        """A literal true exactly when the issue's value is not `value`."""
        raise NotImplementedError

    def utility_expr(self, model: cpsat.Model, iv: IssueVars, terms: Mapping[Any, int]):
        """A utility block's terms on this issue (value, or set member, → its integer term; positions/utility.py
        value_terms) as an integer expression equal to the deal's term."""
        raise ValueError(f"a utility block does not score {self.kind.value} issue {iv.issue.name}")

    def closeness(self, model: cpsat.Model, iv: IssueVars) -> list[tuple[Any, int]]:
        """How far the issue is from its anchor, in the order of its kind's `closeness` (positions/kinds.py), as
        (expression, its largest value) pairs to minimise one after the other, each 0 at the closest. By default
        the value's rank in that order."""
        kind = issue_type(iv.issue)
        ranked = sorted(kind.every_value(iv.issue), key=lambda v: kind.closeness(iv.issue, v))
        return [(sum(rank * self.value_literals(iv, value)[0] for rank, value in enumerate(ranked) if rank),
                 len(ranked) - 1)]

    # -- open values: what the issue can take alone in a deal --------------------------------------------------------
    def open_values(self, issue: Issue, value: Any, prober: OpenProber) -> OpenValues:
        """Every value judged by the plain evaluator (an enum has at most as many values as the limits allow)."""
        return self.summarise(issue, value, [v for v in issue_type(issue).every_value(issue) if prober.keeps(v)])

    def summarise(self, issue: Issue, value: Any, good: list) -> OpenValues:
        """The open values from the list of them, in domain order."""
        return OpenValues(issue.name, len(good), values=tuple(good))

    def open_may_be_cut(self, open_: OpenValues) -> bool:
        """Whether the time limit may have left these open values short (judged one by one: never)."""
        return False

    # -- room: what deals witness, what is probed when no deal does, and what the room is -----------------------------
    def witnessed(self, issue: Issue, value: Any) -> set:
        """What a deal with this value shows some deal can do on the issue."""
        return {value}

    def probe(self, iv: IssueVars, seen: set, prober: Prober) -> None:
        """Look for a deal for every value no deal seen so far has (`seen` grows as deals are found)."""
        for value in issue_type(iv.issue).every_value(iv.issue):
            if value not in seen:
                prober.assume(iv.issue.name, self.value_literals(iv, value))

    def room(self, issue: Issue, seen: set, complete: bool) -> Room:
        every = issue_type(issue).every_value(issue)
        return Room(issue.name, possible=tuple(v for v in every if v in seen), complete=complete)


class BoolEncoder(Encoder):
    kind = IssueKind.BOOL

    def declare(self, model: cpsat.Model, issue: Issue) -> IssueVars:
        return IssueVars(issue, model.new_bool_var(issue.name))

    def decode(self, iv: IssueVars, value_of: Callable[[Any], int]) -> bool:
        return bool(value_of(iv.var))

    def value_literals(self, iv: IssueVars, value: bool) -> list[Literal]:
        return [iv.value_var if value else iv.value_var.Not()]

    def differs(self, model: cpsat.Model, iv: IssueVars, value: bool) -> Literal:
        return iv.value_var.Not() if value else iv.value_var

    def utility_expr(self, model: cpsat.Model, iv: IssueVars, terms: Mapping[Any, int]):
        return terms.get(True, 0) * iv.value_var + terms.get(False, 0) * (1 - iv.value_var)


class EnumEncoder(Encoder):
    """One literal per value (exactly one holds) and the chosen value's position, for ordered comparisons."""

    kind = IssueKind.ENUM

    def declare(self, model: cpsat.Model, issue: Issue) -> IssueVars:
        name = issue.name
        iv = IssueVars(issue, lits={v: model.new_bool_var(f"{name}={v}") for v in issue.values})
        iv.var = model.new_int_var(0, len(issue.values) - 1, f"{name}#")
        model.add_exactly_one(iv.lits.values())
        model.add(iv.var == sum(i * lit for i, lit in enumerate(iv.lits.values())))
        return iv

    def decode(self, iv: IssueVars, value_of: Callable[[Any], int]) -> str:
        return iv.issue.values[int(value_of(iv.var))]

    def value_literals(self, iv: IssueVars, value: str) -> list[Literal]:
        return [iv.lits[value]]

    def differs(self, model: cpsat.Model, iv: IssueVars, value: str) -> Literal:
        return iv.lits[value].Not()

    def utility_expr(self, model: cpsat.Model, iv: IssueVars, terms: Mapping[Any, int]):
        return sum(term * iv.lits[value] for value, term in terms.items())


class IntEncoder(Encoder):
    """A bounded integer variable; its room is found by one minimisation and one maximisation."""

    kind = IssueKind.INT

    def declare(self, model: cpsat.Model, issue: Issue) -> IssueVars:
        low, high = IntType.bounds(issue)
        return IssueVars(issue, model.new_int_var(low, high, issue.name))

    def decode(self, iv: IssueVars, value_of: Callable[[Any], int]) -> int:
        return int(value_of(iv.var))

    def differs(self, model: cpsat.Model, iv: IssueVars, value: int) -> Literal:
        lit = model.new_bool_var(f"{iv.issue.name}≠{value}")
        model.add(iv.var != value).only_enforce_if(lit)
        model.add(iv.var == value).only_enforce_if(lit.Not())
        return lit

    def utility_expr(self, model: cpsat.Model, iv: IssueVars, terms: Mapping[Any, int]):
        """The term of each value, looked up by the value (an element constraint over the issue's range, which a
        utility block keeps within Limits.utility_values)."""
        low, high = IntType.bounds(iv.issue)
        table = [terms.get(x, 0) for x in range(low, high + 1)]
        index = model.new_int_var(0, len(table) - 1, f"utility_index[{iv.issue.name}]")
        model.add(index == iv.value_var - low)
        term = model.new_int_var(min(table), max(table), f"utility_term[{iv.issue.name}]")
        model.add_element(index, table, term)
        return term

    def closeness(self, model: cpsat.Model, iv: IssueVars) -> list[tuple[Any, int]]:
        """2·|value − anchor| + (1 above the anchor): the nearest value first, the lower of two as near."""
        anchor = issue_type(iv.issue).anchor(iv.issue)
        low, high = IntType.bounds(iv.issue)
        above = model.new_bool_var(f"{iv.issue.name}>{anchor}")
        distance = model.new_int_var(0, high - low, f"|{iv.issue.name}-{anchor}|")
        model.add(iv.value_var > anchor).only_enforce_if(above)
        model.add(iv.value_var <= anchor).only_enforce_if(above.Not())
        model.add(distance == iv.value_var - anchor).only_enforce_if(above)
        model.add(distance == anchor - iv.value_var).only_enforce_if(above.Not())
        return [(2 * distance + above, 2 * (high - low) + 1)]

    def open_values(self, issue: Issue, value: int, prober: OpenProber) -> OpenValues:
        """Up to INT_ENUMERATE values, each judged by the evaluator; more are cut into maximal ranges by CP-SAT
        (the lowest value that keeps the deal, then the lowest past it that does not, …), which the evaluator
        re-checks at each range's ends, on a sample inside and just outside."""
        low, high = IntType.bounds(issue)
        if high - low + 1 <= INT_ENUMERATE:
            return super().open_values(issue, value, prober)
        if not prober.mentioned:
            return OpenValues(issue.name, high - low + 1, intervals=((low, high),))
        ranges: list[tuple[int, int]] = []
        settled = low  # every value below it is settled: inside a range listed, or shown not to keep the deal
        try:
            while settled <= high and len(ranges) < MAX_RANGES:
                begin = prober.lowest(True, settled)
                if begin is None:
                    settled = high + 1
                    break
                # begin keeps the deal and the values before it do not, even if the search for its end is cut
                ranges.append((begin, begin))
                settled = begin + 1
                past = prober.lowest(False, begin)
                ranges[-1] = (begin, high if past is None else past - 1)
                settled = high + 1 if past is None else past + 1
        except OpenCutShort:
            pass
        if not any(a <= value <= b for a, b in ranges):  # (only when the search was cut short before it)
            if value < settled:  # the search said the deal's own value does not keep the deal
                raise disagree(issue, value)
            ranges = _joined([*ranges, (value, value)])
        self._verify_ranges(issue, ranges, settled, prober)
        return OpenValues(issue.name, sum(b - a + 1 for a, b in ranges), intervals=tuple(ranges),
                          complete=settled > high)

    def open_may_be_cut(self, open_: OpenValues) -> bool:
        """Ranges not all listed: cut by time, or past MAX_RANGES (which the answer does not tell apart)."""
        return not open_.complete

    @staticmethod
    def _verify_ranges(issue: Issue, ranges: list[tuple[int, int]], settled: int, prober: OpenProber) -> None:
        """The evaluator re-checks each range's ends and a sample inside, and its neighbours outside it: only those
        below `settled`, since a search cut short said nothing of the values past the point it reached."""
        inside = {v for a, b in ranges for v in (a, b, *range(a, b + 1, max(1, (b - a) // SAMPLE)))}
        outside = {a - 1 for a, _ in ranges} | {b + 1 for _, b in ranges}
        low, _ = IntType.bounds(issue)
        for v in sorted(inside | {v for v in outside if low <= v < settled}):
            if prober.keeps(v) != (v in inside):
                raise disagree(issue, v)

    def summarise(self, issue: Issue, value: int, good: list) -> OpenValues:
        ranges: list[tuple[int, int]] = []
        for v in good:
            if ranges and ranges[-1][1] == v - 1:
                ranges[-1] = (ranges[-1][0], v)
            else:
                ranges.append((v, v))
        return OpenValues(issue.name, len(good), intervals=tuple(ranges))

    def probe(self, iv: IssueVars, seen: set, prober: Prober) -> None:
        """The bounds, each skipped when a deal seen already sits at the domain's end."""
        for maximise, bound in ((False, iv.issue.min), (True, iv.issue.max)):
            if seen and (max(seen) if maximise else min(seen)) == bound:
                continue
            prober.optimise(iv.issue.name, iv.var, maximise)

    def room(self, issue: Issue, seen: set, complete: bool) -> Room:
        return Room(issue.name, minimum=min(seen) if seen else None, maximum=max(seen) if seen else None,
                    complete=complete)


class SetEncoder(Encoder):
    """One literal per value: the value is included. A deal witnesses, for each value, whether some deal includes
    it and whether some deal leaves it out."""

    kind = IssueKind.SET

    def declare(self, model: cpsat.Model, issue: Issue) -> IssueVars:
        return IssueVars(issue, lits={v: model.new_bool_var(f"{issue.name}∋{v}") for v in issue.values})

    def decode(self, iv: IssueVars, value_of: Callable[[Any], int]) -> frozenset:
        return frozenset(v for v, lit in iv.lits.items() if value_of(lit))

    def utility_expr(self, model: cpsat.Model, iv: IssueVars, terms: Mapping[Any, int]):
        return sum(term * iv.lits[member] for member, term in terms.items())

    def differs(self, model: cpsat.Model, iv: IssueVars, value: frozenset) -> Literal:
        flips = [iv.lits[v].Not() if v in value else iv.lits[v] for v in iv.issue.values]
        lit = model.new_bool_var(f"{iv.issue.name}≠")
        model.add_bool_or(flips).only_enforce_if(lit)
        model.add_bool_and([f.Not() for f in flips]).only_enforce_if(lit.Not())
        return lit

    def closeness(self, model: cpsat.Model, iv: IssueVars) -> list[tuple[Any, int]]:
        """The fewest values changed from the anchor, then the changes on the first values in domain order."""
        anchor = issue_type(iv.issue).anchor(iv.issue)
        changed = [iv.lits[v].Not() if v in anchor else iv.lits[v] for v in iv.issue.values]
        return [(sum(changed), len(changed)), *((lit.Not(), 1) for lit in changed)]

    def open_values(self, issue: Issue, value: frozenset, prober: OpenProber) -> OpenValues:
        """Up to ENUMERATE subsets, each judged by the evaluator: only those of the values the rules ask about, when
        they ask only whether this or that value is in the set. More: which values every open subset has and lacks
        (a solve for each, unless an open subset found shows it), and whether every subset between those bounds is
        open (one solve); the evaluator re-checks every subset found."""
        asked = prober.values_asked()
        if asked is not None and len(asked) < len(issue.values) and 2 ** len(asked) <= ENUMERATE:
            return self._asked_about(issue, value, [v for v in issue.values if v in asked], prober)
        if 2 ** len(issue.values) <= ENUMERATE:
            return super().open_values(issue, value, prober)
        if not prober.mentioned:
            return OpenValues(issue.name, _subsets(len(issue.values)), every_subset=True, examples=(value,))
        found = [value]
        seen = self.witnessed(issue, value)
        try:
            for v, included in ((v, included) for v in issue.values for included in (True, False)):
                subset = None if (v, included) in seen else prober.subset_where(v, included)
                if subset is not None:
                    found.append(subset)
                    seen |= self.witnessed(issue, subset)
            always = tuple(v for v in issue.values if (v, False) not in seen)
            never = tuple(v for v in issue.values if (v, True) not in seen)
            every = prober.every_subset_keeps(always, never)
        except OpenCutShort:
            return OpenValues(issue.name, None, examples=(value,), complete=False)
        for subset in found:
            if not prober.keeps(subset):
                raise disagree(issue, sorted(subset))
        count = _subsets(len(issue.values) - len(always) - len(never)) if every else None
        return OpenValues(issue.name, count, always=always, never=never, every_subset=every,
                          examples=tuple(found[:EXAMPLES]))

    def open_may_be_cut(self, open_: OpenValues) -> bool:
        return not open_.complete  # (only a search cut short leaves a set issue's summary incomplete)

    def _asked_about(self, issue: Issue, value: frozenset, asked: list[str], prober: OpenProber) -> OpenValues:
        """No rule can tell apart two subsets that differ only on values it never asks about: the subsets of the
        values asked about are judged (the others as in the deal), and every other value is free."""
        others = value - set(asked)
        subsets = issue_type(issue).every_value(replace(issue, values=tuple(asked)))
        good = [s | others for s in subsets if prober.keeps(s | others)]
        always = tuple(v for v in asked if all(v in s for s in good))
        never = tuple(v for v in asked if not any(v in s for s in good))
        every = len(good) == 2 ** (len(asked) - len(always) - len(never))
        free = len(issue.values) - len(asked)
        count = len(good) * 2 ** free if free <= 62 else None
        examples = (value, *[s for s in good if s != value][:EXAMPLES - 1])
        return OpenValues(issue.name, count, always=always, never=never, every_subset=every, examples=examples)

    def summarise(self, issue: Issue, value: frozenset, good: list) -> OpenValues:
        always = tuple(v for v in issue.values if all(v in s for s in good))
        never = tuple(v for v in issue.values if not any(v in s for s in good))
        every = len(good) == 2 ** (len(issue.values) - len(always) - len(never))
        examples = (value, *[s for s in good if s != value][:EXAMPLES - 1])
        return OpenValues(issue.name, len(good), always=always, never=never, every_subset=every, examples=examples)

    def witnessed(self, issue: Issue, value: frozenset) -> set:
        return {(v, v in value) for v in issue.values}

    def probe(self, iv: IssueVars, seen: set, prober: Prober) -> None:
        for value in iv.issue.values:
            for included in (True, False):
                if (value, included) not in seen:
                    prober.assume(iv.issue.name, [iv.lits[value] if included else iv.lits[value].Not()])

    def room(self, issue: Issue, seen: set, complete: bool) -> Room:
        every = tuple(v for v in issue.values if (v, False) not in seen and (v, True) in seen)
        never = tuple(v for v in issue.values if (v, True) not in seen and (v, False) in seen)
        return Room(issue.name, in_every_deal=every, in_no_deal=never, values=issue.values, complete=complete)


def _joined(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges of ints, sorted, with those that touch joined into one."""
    joined: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if joined and a <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
        else:
            joined.append((a, b))
    return joined


def _subsets(free: int) -> int | None:
    """How many subsets `free` values have, when that is a number JSON readers take (at most 2⁶²)."""
    return 2 ** free if free <= 62 else None


class SequenceEncoder(Encoder):
    """Per step one literal per phase (0: left out), exactly one of them true, and the phase as a number. A strict
    order: the present steps take exactly the phases 1..m (_strict). A deal witnesses each step's phase and how
    each pair of steps stands (kinds.RELATIONS)."""

    kind = IssueKind.SEQUENCE

    def declare(self, model: cpsat.Model, issue: Issue) -> IssueVars:
        top = issue.top_phase
        iv = IssueVars(issue)
        for step in issue.steps:
            grid = [model.new_bool_var(f"{issue.name}.{step}={k}") for k in range(top + 1)]
            model.add_exactly_one(grid)
            if step not in issue.optional:
                model.add_bool_or([grid[0].Not()])
            iv.grid[step], iv.lits[step] = grid, grid[0].Not()
            iv.phase[step] = model.new_int_var(0, top, f"{issue.name}.{step}")
            model.add(iv.phase[step] == sum(k * lit for k, lit in enumerate(grid) if k))
        if issue.phases is None:
            self._strict(model, issue, iv, top)
        return iv

    @staticmethod
    def _strict(model: cpsat.Model, issue: Issue, iv: IssueVars, top: int) -> None:
        """The present steps take exactly the phases 1..m (m present). Said as all-different over the present
        steps' phases, every phase at most m, and phase k used exactly when k <= m: the all-different lets
        CP-SAT refute a pigeonhole (more steps than phases left) at once, where the per-phase counts alone
        made it search every placement."""
        present = model.new_int_var(len(issue.steps) - len(issue.optional), top, f"{issue.name}#present")
        model.add(present == sum(iv.lits[step] for step in issue.steps))
        distinct = []
        for index, step in enumerate(issue.steps):
            model.add(iv.phase[step] <= present)
            # a left-out step stands aside on a negative value of its own, so only present steps must differ
            slot = model.new_int_var(-len(issue.steps), top, f"{issue.name}.{step}#slot")
            model.add(slot == iv.phase[step]).only_enforce_if(iv.lits[step])
            model.add(slot == -(index + 1)).only_enforce_if(iv.lits[step].Not())
            distinct.append(slot)
        model.add_all_different(distinct)
        for k in range(1, top + 1):
            used = sum(iv.grid[step][k] for step in issue.steps)
            reached = model.new_bool_var(f"{issue.name}#phase{k}")
            model.add(present >= k).only_enforce_if(reached)
            model.add(present < k).only_enforce_if(reached.Not())
            model.add(used == reached)

    def decode(self, iv: IssueVars, value_of: Callable[[Any], int]) -> Phases:
        return Phases((step, int(value_of(iv.phase[step]))) for step in iv.issue.steps)

    def value_literals(self, iv: IssueVars, value: Phases) -> list[Literal]:
        return [iv.grid[step][phase] for step, phase in value]

    def differs(self, model: cpsat.Model, iv: IssueVars, value: Phases) -> Literal:
        same = self.value_literals(iv, value)
        lit = model.new_bool_var(f"{iv.issue.name}≠")
        model.add_bool_or([s.Not() for s in same]).only_enforce_if(lit)
        model.add_bool_and(same).only_enforce_if(lit.Not())
        return lit

    def closeness(self, model: cpsat.Model, iv: IssueVars) -> list[tuple[Any, int]]:
        """The fewest steps moved from the anchor's phase; then step by step the anchor's phase, else the lowest
        (kinds.SequenceType.closeness)."""
        anchor = issue_type(iv.issue).anchor(iv.issue)
        moved = [iv.grid[step][anchor.phase(step)].Not() for step in iv.issue.steps]
        stages: list[tuple[Any, int]] = [(sum(moved), len(moved))]
        for step in iv.issue.steps:
            at = anchor.phase(step)
            ranks = [0 if k == at else k + (k < at) for k in range(len(iv.grid[step]))]
            stages.append((sum(rank * lit for rank, lit in zip(ranks, iv.grid[step]) if rank), max(ranks)))
        return stages

    def open_values(self, issue: Issue, value: Phases, prober: OpenProber) -> OpenValues:
        """Up to ENUMERATE orders, each judged by the evaluator; past that, the orders one change away from the
        deal's (kinds.SequenceType.neighbours) give examples, and the count is not given."""
        kind = issue_type(issue)
        assert isinstance(kind, SequenceType)
        if not prober.mentioned:  # every order keeps the deal
            others = itertools.islice((v for v in kind.every_value(issue) if v != value), EXAMPLES - 1)
            size = kind.size(issue)
            return OpenValues(issue.name, size if size <= 2**62 else None, examples=(value, *others))
        if kind.size(issue) > ENUMERATE:
            near = [v for v in kind.neighbours(issue, value) if prober.keeps(v)]  # (as many as literals, at most)
            return OpenValues(issue.name, None, examples=(value, *near[:EXAMPLES - 1]), complete=False)
        good = [v for v in kind.every_value(issue) if prober.keeps(v)]
        examples = (value, *[v for v in good if v != value][:EXAMPLES - 1])
        return OpenValues(issue.name, len(good), examples=examples)

    def witnessed(self, issue: Issue, value: Phases) -> set:
        return {("phase", step, phase) for step, phase in value} | {
            ("pair", a, b, relation(value, a, b)) for a, b in itertools.combinations(issue.steps, 2)}

    def probe(self, iv: IssueVars, seen: set, prober: Prober) -> None:
        """Each step's phases, then each pair's relations, that no deal seen shows."""
        for step, grid in iv.grid.items():
            for k, lit in enumerate(grid):
                if ("phase", step, k) not in seen:
                    prober.assume(iv.issue.name, [lit])
        for a, b in itertools.combinations(iv.issue.steps, 2):
            for rel in RELATIONS:
                if ("pair", a, b, rel) not in seen:
                    prober.assume(iv.issue.name, [self._relation(prober.model, iv, a, b, rel)])

    @staticmethod
    def _relation(model: cpsat.Model, iv: IssueVars, a: str, b: str, rel: str) -> Literal:
        """A literal that holds exactly when steps a and b stand as `rel` (kinds.relation)."""
        lit = model.new_bool_var(f"{iv.issue.name}:{a} {rel} {b}")
        both = [iv.lits[a], iv.lits[b]]
        if rel == "left out":
            model.add_bool_or([x.Not() for x in both]).only_enforce_if(lit)
            model.add_bool_and(both).only_enforce_if(lit.Not())
            return lit
        compare = {"before": lambda x, y: x < y, "same phase": lambda x, y: x == y, "after": lambda x, y: x > y}[rel]
        model.add_bool_and(both).only_enforce_if(lit)
        model.add(compare(iv.phase[a], iv.phase[b])).only_enforce_if(lit)
        negated = {"before": lambda x, y: x >= y, "same phase": lambda x, y: x != y,
                   "after": lambda x, y: x <= y}[rel]
        # not lit: one is left out, or they stand otherwise
        model.add(negated(iv.phase[a], iv.phase[b])).only_enforce_if([lit.Not(), *both])
        return lit

    def room(self, issue: Issue, seen: set, complete: bool) -> Room:
        phases = tuple((step, tuple(k for k in range(issue.top_phase + 1)
                                    if ("phase", step, k) in seen)) for step in issue.steps)
        relations = tuple((a, b, tuple(rel for rel in RELATIONS if ("pair", a, b, rel) in seen))
                          for a, b in itertools.combinations(issue.steps, 2))
        return Room(issue.name, phases=phases, relations=relations, complete=complete)


ENCODERS: dict[IssueKind, Encoder] = {e.kind: e for e in (BoolEncoder(), EnumEncoder(), IntEncoder(), SetEncoder(),
                                                          SequenceEncoder())}
