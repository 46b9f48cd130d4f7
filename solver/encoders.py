"""How each kind of issue is encoded in CP-SAT: its variables, reading a value back from a solution, the literals
that say "this value" or "another value", and what a deal witnesses about the room left on it.

One encoder per kind (registered in ENCODERS); a new kind of issue is a new class here and one in
positions/kinds.py. The rule language's operators on each kind are compiled in solver/compile.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from feasible.positions.kinds import IntType, issue_type
from feasible.positions.model import Issue, IssueKind

from . import cpsat
from .result import Room

Literal = Any  # cpsat.IntVar of a Boolean, or its negation


@dataclass
class IssueVars:
    """The CP-SAT variables of one issue."""

    issue: Issue
    var: cpsat.IntVar | None = None  # bool: the literal; int: the value; enum: the value's position
    lits: dict[str, Literal] = field(default_factory=dict)  # enum: value is chosen; set: value is included

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

    def differs(self, model: cpsat.Model, iv: IssueVars, value: frozenset) -> Literal:
        flips = [iv.lits[v].Not() if v in value else iv.lits[v] for v in iv.issue.values]
        lit = model.new_bool_var(f"{iv.issue.name}≠")
        model.add_bool_or(flips).only_enforce_if(lit)
        model.add_bool_and([f.Not() for f in flips]).only_enforce_if(lit.Not())
        return lit

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


ENCODERS: dict[IssueKind, Encoder] = {e.kind: e for e in (BoolEncoder(), EnumEncoder(), IntEncoder(), SetEncoder())}
