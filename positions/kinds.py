"""The kinds of issue, each in one class: its values, how a user types one, how one is shown and written
as JSON, and what the room left on it says.

Everything that depends on an issue's kind outside the rule language and the solver's encoding is here: a new
kind is a new class in this module (registered in KINDS) and a new encoder in solver/encoders.py. A value
alone says which kind it belongs to (`for_value`): bools are bool issues' values, ints int issues', frozensets
set issues', strings enum issues', Phases sequence issues'.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Protocol

from .errors import UserError
from .model import Issue, IssueKind
from .rules.checker import no_steps, step_range
from .rules.syntax import And, BoolLit, Compare, Expr, IntLit, Name, Neg, Not, SetLit, Step, StrLit
from .suggest import did_you_mean


class RoomData(Protocol):
    """The room left on an issue, as the solver measures it (solver.result.Room) and the presentation keeps it."""

    # (read only: properties, so that frozen dataclasses fit)
    @property
    def possible(self) -> tuple[Any, ...]: ...  # bool and enum issues: the values some deal takes, in domain order

    @property
    def minimum(self) -> int | None: ...  # int issues

    @property
    def maximum(self) -> int | None: ...

    @property
    def in_every_deal(self) -> tuple[str, ...]: ...  # set issues

    @property
    def in_no_deal(self) -> tuple[str, ...]: ...

    @property
    def values(self) -> tuple[str, ...] | None: ...  # set issues: every value of the issue

    @property
    def phases(self) -> tuple[tuple[str, tuple[int, ...]], ...]: ...  # sequence issues: step → phases some deal gives

    @property
    def relations(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]: ...  # sequence issues: (a, b, RELATIONS seen)

    @property
    def complete(self) -> bool: ...  # false: the search for the room was cut short, so nothing seen is proved forced


class OpenData(Protocol):
    """The values an issue can take alone in a deal, as the solver finds them (solver.result.OpenValues)."""

    @property
    def count(self) -> int | None: ...  # None: a set issue's open subsets, not counted

    @property
    def values(self) -> tuple[Any, ...]: ...  # bool and enum issues

    @property
    def intervals(self) -> tuple[tuple[int, int], ...]: ...  # int issues

    @property
    def always(self) -> tuple[str, ...]: ...  # set issues

    @property
    def never(self) -> tuple[str, ...]: ...

    @property
    def every_subset(self) -> bool: ...

    @property
    def examples(self) -> tuple[Any, ...]: ...  # set and sequence issues

    @property
    def complete(self) -> bool: ...


class IssueType:
    """What an issue's kind decides, outside the rule language and the solver."""

    kind: ClassVar[IssueKind]
    python: ClassVar[type]  # the type of its values
    # Of the values an issue lists, how many the rules may leave unnamed and still tell every value apart (lint's
    # FL203): none of a set's (each is in or out on its own), one of an enum's ("none of the others").
    unnamed_told_apart: ClassVar[int] = 0

    def every_value(self, issue: Issue) -> Iterator[Any]:
        """Every value the issue can take, in domain order."""
        raise NotImplementedError

    def size(self, issue: Issue) -> int:
        """How many values the issue can take (without listing them)."""
        raise NotImplementedError

    def first_value(self, issue: Issue) -> Any:
        """The first value of the domain: a value for an issue no rule mentions."""
        return next(iter(self.every_value(issue)))

    def in_domain(self, issue: Issue, value: Any) -> bool:
        raise NotImplementedError

    def anchor(self, issue: Issue) -> Any:
        """The value that equally good deals are brought closest to: the issue's status quo, else the first value
        of its domain (no, the first enum value, the minimum, the empty set; docs/check.md)."""
        return self.first_value(issue) if issue.status_quo is None else issue.status_quo

    def closeness(self, issue: Issue, value: Any) -> tuple:
        """Sorts the values closest to the anchor first (of two as close, the first in domain order); the
        solver's tie-breaking stages (solver/encoders.py `closeness`) rank deals the same way."""
        return (value != self.anchor(issue), value)

    def parse(self, issue: Issue, text: str) -> Any:
        """A value typed by a user (`--set ISSUE=TEXT`, `explain ISSUE=TEXT`), checked against the domain."""
        raise NotImplementedError

    def literal(self, value: Any) -> Expr:
        """The value written in the rule language."""
        raise NotImplementedError

    def parse_phase(self, issue: Issue, step: str, text: str) -> int:
        """A phase typed for one step (`--set ISSUE.STEP=PHASE`, `explain ISSUE.STEP=PHASE`): sequence issues only."""
        raise UserError(no_steps(issue, step), hint=f"give the issue's value: {issue.name}=VALUE")

    def condition(self, issue: str, value: Any, op: str = "==") -> Expr:
        """The condition "the issue is (op "==") or is not (op "!=") this value" (a --set fact, an explain target)."""
        return Compare((Name(issue), self.literal(value)), (op,))

    def show(self, value: Any) -> str:
        """The value as people read it."""
        return str(value)

    def text(self, value: Any) -> str:
        """The value as a user types it after ISSUE= (what `parse` reads back)."""
        return str(value)

    def listed(self, value: Any) -> tuple[tuple[int, str], ...]:
        """The value as an ordered list, where a list shows it best (a sequence: (phase, its steps) in order, then
        (0, the steps left out)); () for a value shown on one line."""
        return ()

    def json(self, value: Any) -> Any:
        return value

    def forced(self, room: RoomData) -> tuple[bool, Any]:
        """(True, value) when the room leaves one value only; (False, None) otherwise."""
        return (True, room.possible[0]) if len(room.possible) == 1 else (False, None)

    def room_words(self, room: RoomData) -> str:
        """The values some deal takes, in a few words."""
        return " | ".join(self.show(v) for v in room.possible)

    def room_json(self, room: RoomData) -> Any:
        return list(room.possible)  # in the issue's own order (false before true; enum values as listed)

    def open_words(self, open_: OpenData) -> str:
        """The open values in a few words ("any of …")."""
        return "any of " + ", ".join(self.show(v) for v in open_.values)

    def open_json(self, open_: OpenData) -> Any:
        return {"count": open_.count, "values": [self.json(v) for v in open_.values]}

    def open_covers_room(self, open_: OpenData, room: RoomData) -> bool:
        """Whether the open values say all the room does (then the room need not be shown beside them)."""
        return tuple(open_.values) == tuple(room.possible)


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class BoolType(IssueType):
    kind = IssueKind.BOOL
    python = bool

    def every_value(self, issue: Issue) -> Iterator[bool]:
        return iter((False, True))

    def size(self, issue: Issue) -> int:
        return 2

    def in_domain(self, issue: Issue, value: Any) -> bool:
        return isinstance(value, bool)

    def parse(self, issue: Issue, text: str) -> bool:
        raw = text.strip()
        if raw.lower() in _TRUE | _FALSE:
            return raw.lower() in _TRUE
        raise UserError(f"'{raw}' is not a value of bool issue '{issue.name}'", hint="use true or false")

    def literal(self, value: bool) -> Expr:
        return BoolLit(value)

    def show(self, value: bool) -> str:
        return "yes" if value else "no"

    def text(self, value: bool) -> str:
        return "true" if value else "false"


def _listed(issue: Issue, text: str) -> list[str]:
    """The values of an enum or set issue typed as `a,b` (quotes allowed), each checked against the domain."""
    raw = text.strip()
    values = [v.strip().strip("\"'") for v in raw.split(",")] if raw else []
    for value in values:
        if value not in issue.values:
            hint = did_you_mean(value, issue.values) or "its values are " + ", ".join(issue.values)
            raise UserError(f"'{value}' is not a value of {issue.kind.value} issue '{issue.name}'", hint=hint)
    return values


class EnumType(IssueType):
    kind = IssueKind.ENUM
    python = str
    unnamed_told_apart = 1

    def every_value(self, issue: Issue) -> Iterator[str]:
        return iter(issue.values)

    def size(self, issue: Issue) -> int:
        return len(issue.values)

    def in_domain(self, issue: Issue, value: Any) -> bool:
        return isinstance(value, str) and value in issue.values

    def closeness(self, issue: Issue, value: str) -> tuple:
        position, anchor = issue.values.index(value), issue.values.index(self.anchor(issue))
        return (abs(position - anchor) if issue.ordered else int(position != anchor), position)

    def parse(self, issue: Issue, text: str) -> str:
        values = _listed(issue, text)
        if len(values) != 1:
            raise UserError(f"enum issue '{issue.name}' takes exactly one value", hint="e.g. " + issue.name + "="
                            + issue.values[0])
        return values[0]

    def literal(self, value: str) -> Expr:
        return StrLit(value)


class IntType(IssueType):
    kind = IssueKind.INT
    python = int

    @staticmethod
    def bounds(issue: Issue) -> tuple[int, int]:
        """An int issue's min and max: the schema requires both (IntIssue), so every int Issue has them."""
        assert issue.min is not None and issue.max is not None, f"int issue '{issue.name}' without min and max"
        return issue.min, issue.max

    def every_value(self, issue: Issue) -> Iterator[int]:
        low, high = self.bounds(issue)
        return iter(range(low, high + 1))

    def size(self, issue: Issue) -> int:
        low, high = self.bounds(issue)
        return max(0, high - low + 1)

    def in_domain(self, issue: Issue, value: Any) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        low, high = self.bounds(issue)
        return low <= value <= high

    def closeness(self, issue: Issue, value: int) -> tuple:
        return (abs(value - self.anchor(issue)), value)

    def parse(self, issue: Issue, text: str) -> int:
        from .rules.parser import ASCII_DIGITS_HINT, foreign_digit

        raw = text.strip()
        foreign = foreign_digit(raw)
        if foreign is not None:  # int() would read it as the digit it is in its own script
            raise UserError(foreign[1], hint=ASCII_DIGITS_HINT)
        try:
            number = int(raw.replace("_", ""))
        except ValueError:
            raise UserError(f"'{raw}' is not a whole number (issue '{issue.name}' is an int)") from None
        low, high = self.bounds(issue)
        if not low <= number <= high:
            raise UserError(f"{number} is outside issue '{issue.name}' ({issue.min}..{issue.max})")
        return number

    def literal(self, value: int) -> Expr:
        return IntLit(value) if value >= 0 else Neg(IntLit(-value))

    def forced(self, room: RoomData) -> tuple[bool, Any]:
        if room.minimum is not None and room.minimum == room.maximum:
            return True, room.minimum
        return False, None

    def room_words(self, room: RoomData) -> str:
        return f"{room.minimum}..{room.maximum}"

    def room_json(self, room: RoomData) -> Any:
        return {"min": room.minimum, "max": room.maximum}

    def open_words(self, open_: OpenData) -> str:
        ranges = [str(a) if a == b else f"{a}–{b}" for a, b in open_.intervals]
        return "any of " + ", ".join(ranges) + ("" if open_.complete else ", …")

    def open_json(self, open_: OpenData) -> Any:
        return {"count": open_.count, "ranges": [list(r) for r in open_.intervals], "complete": open_.complete}

    def open_covers_room(self, open_: OpenData, room: RoomData) -> bool:
        return open_.complete and tuple(open_.intervals) == ((room.minimum, room.maximum),)


class SetType(IssueType):
    kind = IssueKind.SET
    python = frozenset

    def every_value(self, issue: Issue) -> Iterator[frozenset]:
        return (frozenset(c) for n in range(len(issue.values) + 1) for c in itertools.combinations(issue.values, n))

    def size(self, issue: Issue) -> int:
        return 2 ** len(issue.values)

    def in_domain(self, issue: Issue, value: Any) -> bool:
        return isinstance(value, frozenset) and value <= set(issue.values)

    def closeness(self, issue: Issue, value: frozenset) -> tuple:
        """The fewest values changed from the anchor; of subsets as close, the one whose changes come first in
        the values' order (from the empty set: the first values)."""
        anchor = self.anchor(issue)
        return (len(value ^ anchor), tuple((v in value) == (v in anchor) for v in issue.values))

    def parse(self, issue: Issue, text: str) -> frozenset:
        return frozenset(_listed(issue, text))

    def literal(self, value: frozenset) -> Expr:
        return SetLit(tuple(StrLit(v) for v in sorted(value)))

    def show(self, value: frozenset) -> str:
        return self.text(value) or "(none)"

    def text(self, value: frozenset) -> str:
        return ", ".join(sorted(value))

    def json(self, value: frozenset) -> Any:
        return sorted(value)

    def forced(self, room: RoomData) -> tuple[bool, Any]:
        settled = len(room.in_every_deal) + len(room.in_no_deal)
        if room.values is not None and settled == len(room.values):
            return True, frozenset(room.in_every_deal)
        return False, None

    def room_words(self, room: RoomData) -> str:
        if not room.complete:  # a value no deal found went without may still be open: name only what is proved open
            known = [v for v in room.values or () if v not in room.in_every_deal and v not in room.in_no_deal]
            return "open: " + (", ".join(known) or "none found")
        parts = []
        if room.in_every_deal:
            parts.append("always " + ", ".join(room.in_every_deal))
        if room.in_no_deal:
            parts.append("never " + ", ".join(room.in_no_deal))
        return "; ".join(parts) or "open"

    def room_json(self, room: RoomData) -> Any:
        return {"in_every_deal": sorted(room.in_every_deal), "in_no_deal": sorted(room.in_no_deal)}

    def open_words(self, open_: OpenData) -> str:
        bounds = [f"with {', '.join(open_.always)}"] if open_.always else []
        bounds += [f"without {', '.join(open_.never)}"] if open_.never else []
        how_many = "any subset" if open_.every_subset else \
            f"any of {open_.count if open_.count is not None else 'several'} subsets"
        examples = "" if open_.every_subset else ", e.g. " + " | ".join(self.show(v) for v in open_.examples)
        return "; ".join([how_many + (" " + bounds[0] if bounds else ""), *bounds[1:]]) + examples

    def open_json(self, open_: OpenData) -> Any:
        return {"count": open_.count, "in_every": list(open_.always), "in_none": list(open_.never),
                "every_subset": open_.every_subset, "examples": [self.json(v) for v in open_.examples]}

    def open_covers_room(self, open_: OpenData, room: RoomData) -> bool:
        return open_.every_subset and set(open_.always) == set(room.in_every_deal) \
            and set(open_.never) == set(room.in_no_deal)


class Phases(tuple):
    """A sequence issue's value: (step, phase) pairs in the issue's step order; phase 0: the step is left out."""

    __slots__ = ()

    def __new__(cls, pairs) -> Phases:
        return super().__new__(cls, tuple((str(step), int(phase)) for step, phase in pairs))

    def phase(self, step: str) -> int:
        for name, phase in self:
            if name == step:
                return phase
        raise KeyError(step)

    def present(self, step: str) -> bool:
        return self.phase(step) > 0

    def in_order(self) -> list[tuple[int, list[str]]]:
        """The phases used, ascending, each with its steps (in step order)."""
        used = sorted({phase for _, phase in self if phase})
        return [(p, [step for step, phase in self if phase == p]) for p in used]


#: How two steps of a sequence stand in a deal (room on a sequence issue), in this order.
RELATIONS = ("before", "same phase", "after", "left out")


def relation(value: Phases, first: str, second: str) -> str:
    """How `first` stands to `second` in a sequence's value: one of RELATIONS ("left out": either one is)."""
    a, b = value.phase(first), value.phase(second)
    if not a or not b:
        return "left out"
    return "before" if a < b else "same phase" if a == b else "after"


class SequenceType(IssueType):
    """Steps in phases. Strict (no `phases:`): the present steps take the phases 1..m, one each; with `phases: N`
    each present step takes a phase 1..N, ties allowed. An optional step may be left out (phase 0)."""

    kind = IssueKind.SEQUENCE
    python = Phases

    def every_value(self, issue: Issue) -> Iterator[Phases]:
        """Strict: the fewest steps left out first, each choice of them in step order, then the orders of the
        present steps (the listed order first). Phases: each step from phase 1 up, an optional one left out last."""
        if issue.phases is not None:
            choices = [[*range(1, issue.phases + 1), *([0] if step in issue.optional else [])] for step in issue.steps]
            return (Phases(zip(issue.steps, combo)) for combo in itertools.product(*choices))
        return self._strict_orders(issue)

    @staticmethod
    def _strict_orders(issue: Issue) -> Iterator[Phases]:
        for left_out in range(len(issue.optional) + 1):
            for out in itertools.combinations(issue.optional, left_out):
                present = [step for step in issue.steps if step not in out]
                for order in itertools.permutations(present):
                    phase = {step: i + 1 for i, step in enumerate(order)}
                    yield Phases((step, phase.get(step, 0)) for step in issue.steps)

    def size(self, issue: Issue) -> int:
        mandatory, optional = len(issue.steps) - len(issue.optional), len(issue.optional)
        if issue.phases is not None:
            return issue.phases ** mandatory * (issue.phases + 1) ** optional
        return sum(math.comb(optional, k) * math.factorial(mandatory + k) for k in range(optional + 1))

    def in_domain(self, issue: Issue, value: Any) -> bool:
        return isinstance(value, Phases) and self.wrong(issue, dict(value)) is None \
            and tuple(step for step, _ in value) == issue.steps

    def wrong(self, issue: Issue, phases: Mapping[str, Any]) -> str | None:
        """What keeps a step → phase mapping (every step given) from being a value of the issue, or None."""
        for step, phase in phases.items():
            if step not in issue.steps:
                return f"'{step}' is not a step of sequence issue '{issue.name}'"
            low, high = step_range(issue, step)
            if phase == 0 and low > 0 and not isinstance(phase, bool):  # (a step not named comes here as 0)
                return f"step '{step}' is not optional: it cannot be left out (phase 0)"
            if isinstance(phase, bool) or not isinstance(phase, int) or not low <= phase <= high:
                return f"the phase of '{step}' must be a whole number in {low}..{high}" + (
                    " (0: left out)" if low == 0 else "")
        if issue.phases is None:
            used = sorted(p for p in phases.values() if p)
            if used != list(range(1, len(used) + 1)):
                return (f"sequence issue '{issue.name}' is a strict order: the present steps take the phases "
                        f"1..{len(used)}, one each")
        return None

    def value_of(self, issue: Issue, phases: Mapping[str, int]) -> Phases:
        """A mapping (steps not given: left out) as the issue's value; raises UserError when it is not one."""
        whole = {step: phases.get(step, 0) for step in issue.steps}
        problem = self.wrong(issue, {**whole, **phases})
        if problem is not None:
            raise UserError(problem, hint=did_you_mean(next((s for s in phases if s not in issue.steps), ""),
                                                       issue.steps) or "e.g. " + self.text(self.anchor(issue)))
        return Phases(whole.items())

    def neighbours(self, issue: Issue, value: Phases) -> Iterator[Phases]:
        """The orders one change away from `value`: two steps' phases swapped (a step left out takes the other's
        place); with `phases`, also one step moved to another phase. Each is a value of the issue."""
        steps = [step for step, _ in value]
        for a, b in itertools.combinations(range(len(steps)), 2):
            swapped = [phase for _, phase in value]
            swapped[a], swapped[b] = swapped[b], swapped[a]
            if swapped[a] != swapped[b] and self.wrong(issue, dict(zip(steps, swapped))) is None:
                yield Phases(zip(steps, swapped))
        if issue.phases is not None:
            for i, step in enumerate(steps):
                low, high = step_range(issue, step)
                for phase in range(low, high + 1):
                    if phase != value[i][1]:
                        yield Phases((s, phase if j == i else p) for j, (s, p) in enumerate(value))

    def anchor(self, issue: Issue) -> Phases:
        """The status quo, else every step present: in the listed order (strict), or all in phase 1 (phases)."""
        if issue.status_quo is not None:
            return issue.status_quo
        return Phases((step, 1 if issue.phases else i + 1) for i, step in enumerate(issue.steps))

    def closeness(self, issue: Issue, value: Phases) -> tuple:
        """The fewest steps in another phase than the anchor's; then, step by step, the anchor's phase, else the
        lowest (solver/encoders.py SequenceEncoder.closeness ranks deals the same way)."""
        anchor = self.anchor(issue)
        ranks = tuple((phase != anchor.phase(step), phase) for step, phase in value)
        return (sum(moved for moved, _ in ranks), ranks)

    def parse(self, issue: Issue, text: str) -> Phases:
        """`ceasefire=1,withdrawal=2` (steps not named: left out); `--set` sets one step: ISSUE.STEP=PHASE."""
        phases: dict[str, int] = {}
        for part in (p.strip() for p in text.split(",") if p.strip()):
            step, equals, number = part.partition("=")
            if not equals:
                raise UserError(f"'{part}' is not STEP=PHASE (sequence issue '{issue.name}')",
                                hint="e.g. " + self.text(self.anchor(issue)))
            phases[step.strip()] = self.parse_phase(issue, step.strip(), number)
        return self.value_of(issue, phases)

    def parse_phase(self, issue: Issue, step: str, text: str) -> int:
        """A phase typed for one step, checked against the step's range (0: left out, for an optional step)."""
        if step not in issue.steps:
            raise UserError(f"'{step}' is not a step of sequence issue '{issue.name}'",
                            hint=did_you_mean(step, issue.steps) or "its steps are " + ", ".join(issue.steps))
        low, high = step_range(issue, step)
        raw = text.strip()
        if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
            out = " (0 leaves it out)" if low == 0 else " (it is not optional: it cannot be left out)"
            raise UserError(f"'{raw}' is not a phase of step '{issue.name}.{step}' ({low}..{high})",
                            hint=f"give a whole number in {low}..{high}" + (out if raw == "0" or low == 0 else ""))
        return int(raw)

    def condition(self, issue: str, value: Phases, op: str = "==") -> Expr:
        every = And(tuple(Compare((Step(issue, step), IntLit(phase)), ("==",)) for step, phase in value))
        return every if op == "==" else Not(every)

    def show(self, value: Phases) -> str:
        order = " then ".join(f"{phase} {', '.join(steps)}" for phase, steps in value.in_order())
        out = [step for step, phase in value if not phase]
        return " ".join(part for part in (order or "(no step)", f"(left out: {', '.join(out)})" if out else "")
                        if part)

    def text(self, value: Phases) -> str:
        return ",".join(f"{step}={phase}" for step, phase in value)

    def listed(self, value: Phases) -> tuple[tuple[int, str], ...]:
        out = [step for step, phase in value if not phase]
        left_out = [(0, ", ".join(out))] if out else []
        return (*((phase, ", ".join(steps)) for phase, steps in value.in_order()), *left_out)

    def json(self, value: Phases) -> Any:
        return dict(value)

    def forced(self, room: RoomData) -> tuple[bool, Any]:
        if room.phases and all(len(phases) == 1 for _, phases in room.phases):
            return True, Phases((step, phases[0]) for step, phases in room.phases)
        return False, None

    def room_words(self, room: RoomData) -> str:
        """Forced relations said plainly ("ceasefire always before deployment"; of a chain a < b < c, not the a < c
        it implies), then each step's phases. A room search cut short proves no relation forced: phases only."""
        phases = [f"{step} {_phases_word(possible)}" for step, possible in room.phases]
        if not phases:
            return "no deal"
        if not room.complete:
            return "phases: " + ", ".join(phases)
        before = {(a, b) if seen == ("before",) else (b, a) for a, b, seen in room.relations
                  if seen in (("before",), ("after",))}
        steps = {step for pair in before for step in pair}
        implied = {(a, b) for a, b in before if any((a, c) in before and (c, b) in before for c in steps)}
        plain = [_forced_relation(a, b, seen[0]) for a, b, seen in room.relations
                 if len(seen) == 1 and seen[0] != "left out" and ((a, b) if seen[0] != "after" else (b, a))
                 not in implied]
        return "; ".join([*plain, "phases: " + ", ".join(phases)])

    def room_json(self, room: RoomData) -> Any:
        return {"phases": {step: list(possible) for step, possible in room.phases},
                "relations": [{"first": a, "second": b, "seen": list(seen)} for a, b, seen in room.relations]}

    def open_words(self, open_: OpenData) -> str:
        counted = f"any of {open_.count} orders" if open_.count is not None else "more orders than counted"
        return counted + ", e.g. " + " | ".join(self.show(v) for v in open_.examples)

    def open_json(self, open_: OpenData) -> Any:
        return {"count": open_.count, "examples": [self.json(v) for v in open_.examples]}

    def open_covers_room(self, open_: OpenData, room: RoomData) -> bool:
        return False


def _forced_relation(a: str, b: str, seen: str) -> str:
    """How two steps stand in every deal, the earlier named first."""
    if seen == "same phase":
        return f"{a} always in the same phase as {b}"
    return f"{a} always before {b}" if seen == "before" else f"{b} always before {a}"


def _phases_word(possible: tuple[int, ...]) -> str:
    """A step's possible phases: "2", "1–3", "1, 3 or left out", "left out"."""
    numbers = [p for p in possible if p]
    runs: list[list[int]] = []
    for p in numbers:
        if runs and runs[-1][-1] == p - 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    shown = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    if 0 not in possible:
        return shown
    return f"{shown} or left out" if shown else "left out"


KINDS: dict[IssueKind, IssueType] = {t.kind: t for t in (BoolType(), EnumType(), IntType(), SetType(),
                                                          SequenceType())}


def issue_type(issue: Issue | IssueKind) -> IssueType:
    """The class of an issue's kind."""
    return KINDS[issue if isinstance(issue, IssueKind) else issue.kind]


_BY_PYTHON: dict[type, IssueType] = {t.python: t for t in KINDS.values()}


def for_value(value: Any) -> IssueType:
    """The kind a value belongs to, from its Python type (a bool is not taken for an int)."""
    return _BY_PYTHON[type(value)]
