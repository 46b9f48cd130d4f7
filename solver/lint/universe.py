"""The deals a lint warning speaks of, and the one question asked of them: which of these conditions does some
deal meet?

A universe is the scenario's CP-SAT model with some rules enforced: none (every value of every issue: the
domain), the facts, or the facts and red lines (the deals `check` speaks of). `settle` answers for many
conditions at once by elimination: ask for a deal meeting at least one condition still open; each deal found,
verified by the plain evaluator, settles every condition it meets; when none is left to find, the open ones
are met by no deal. So the solves grow with the conditions that some deal meets one by one, never with pairs.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feasible.positions import InternalError, Scenario
from feasible.positions.rules.checker import Types
from feasible.positions.rules.syntax import Expr

from .. import cpsat
from ..compile import Compiled, compile_scenario
from ..evaluate import evaluate
from ..verify import verify_deal
from ..search import Searcher

KEPT_DEALS = 32  # deals kept per universe to settle later conditions without a solve (memory stays bounded)


@dataclass(frozen=True)
class Part:
    """One condition of a question, typed by the checker (`types`: its rule's), wanted true or false."""

    expr: Expr
    types: Types | None
    wanted: bool = True


@dataclass(frozen=True)
class Question:
    """Does some deal meet every part? `key` names the answer."""

    key: Hashable
    parts: tuple[Part, ...]


@dataclass
class Answers:
    met: set = field(default_factory=set)  # keys some deal meets
    unmet: set = field(default_factory=set)  # keys proved met by no deal
    open: set = field(default_factory=set)  # keys left undecided when time ran out


class Universe:
    """The deals meeting `enforced` (rule names), searched on a copy of the scenario's model."""

    def __init__(self, compiled: Compiled, enforced: Sequence[str], searcher: Searcher):
        self.scenario: Scenario = compiled.scenario
        self.rules = [compiled.rules[name] for name in enforced]
        self.model = compiled.with_hard(enforced)
        self.compiler = compiled.compiler.on(self.model)
        self.compiled = compiled
        self.searcher = searcher
        self.deals: list[dict[str, Any]] = []
        # A question's literal, compiled once (questions stay open over many rounds): by its parts' identities,
        # with the parts kept so that an identity is never reused while its literal is.
        self._literals: dict[tuple, tuple[tuple[Part, ...], Any]] = {}

    def exists(self) -> bool | None:
        """Whether any deal meets the enforced rules (None: undecided in time)."""
        answers = self.settle([Question("any", ())])
        return True if answers.met else False if answers.unmet else None

    def settle(self, questions: Sequence[Question]) -> Answers:
        answers = Answers()
        pending = {q.key: q for q in questions}
        for deal in self.deals:  # deals found before answer what they can without a solve
            _settle_by(deal, pending, answers, self.scenario.issues)
        while pending:
            decided, found = self._deal_meeting_one_of(list(pending.values()))
            if not decided:
                answers.open |= set(pending)
                break
            if found is None:
                answers.unmet |= set(pending)
                break
            before = len(pending)
            _settle_by(found, pending, answers, self.scenario.issues)
            if len(pending) == before:
                raise InternalError("the solver and the plain evaluator disagree on a lint question")
            self.deals = [found, *self.deals][:KEPT_DEALS]
        return answers

    def _deal_meeting_one_of(self, questions: list[Question]) -> tuple[bool, dict[str, Any] | None]:
        """Whether it was decided in time, and a verified deal meeting one of the questions (None: none does)."""
        lits = [self._question_literal(q) for q in questions]
        outcome = self.searcher.solve_assuming(self.model, [self.compiler.disjunction(lits)])
        if outcome.infeasible:
            return True, None
        if not outcome.found:
            return False, None
        deal = self.compiled.decode(outcome.solved.value)
        verify_deal(self.scenario, deal, required={rule.name for rule in self.rules})
        return True, deal

    def _question_literal(self, question: Question) -> Any:
        key = tuple((id(p.expr), p.wanted) for p in question.parts)
        if key not in self._literals:
            lit = self.compiler.conjunction([self._literal(p) for p in question.parts])
            self._literals[key] = (question.parts, lit)
        return self._literals[key][1]

    def _literal(self, part: Part) -> cpsat.IntVar:
        lit = self.compiler.rule(part.expr, part.types)
        return lit if part.wanted else lit.Not()


def _settle_by(deal: Mapping[str, Any], pending: dict, answers: Answers, issues) -> None:
    for key, question in list(pending.items()):
        if all(bool(evaluate(p.expr, issues, deal, p.types)) == p.wanted for p in question.parts):
            answers.met.add(key)
            del pending[key]


def scenario_model(scenario: Scenario) -> Compiled:
    """The scenario's model with nothing enforced: each universe enforces what it speaks of."""
    return compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
