"""What every check shares: the scenario, its model, the universes of deals, the time left, what was cut short."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property

from feasible.positions import Rule, Scenario

from ..compile import Compiled
from ..search import Searcher
from .universe import Answers, Question, Universe, scenario_model


@dataclass
class Context:
    scenario: Scenario
    searcher: Searcher
    cut_short: list[str] = field(default_factory=list)  # codes whose checks ran out of time

    @cached_property
    def compiled(self) -> Compiled:
        return scenario_model(self.scenario)

    @cached_property
    def domain(self) -> Universe:
        """Every value of every issue, no rule enforced."""
        return Universe(self.compiled, (), self.searcher)

    @cached_property
    def facts(self) -> Universe:
        return Universe(self.compiled, [r.name for r in self.scenario.facts], self.searcher)

    @cached_property
    def deals(self) -> tuple[str, Universe | None]:
        """Which deals "every deal" means: those meeting the facts and red lines ("deals"); when there is none,
        those meeting the facts alone ("facts"); when there is none either, none ("none"). "unknown" when the
        time ran out before it was known."""
        whole = Universe(self.compiled, [r.name for r in self.scenario.facts + self.scenario.red_lines],
                         self.searcher)
        found = whole.exists()
        if found:
            return "deals", whole
        if found is False:
            alone = self.facts.exists()
            if alone:
                return "facts", self.facts
            return ("none" if alone is False else "unknown"), None
        return "unknown", None

    @property
    def asked_deals(self) -> bool:
        return "deals" in self.__dict__  # (cached_property keeps its value there once asked)

    def deals_for(self, codes: AbstractSet[str]) -> tuple[str, Universe | None]:
        """`deals` for checks of these codes, which are cut short when it is not known in time."""
        which, universe = self.deals
        if which == "unknown":
            self.cut(*sorted(codes))
        return which, universe

    def settle(self, universe: Universe, questions: list[Question], *codes: str) -> Answers:
        """The answers, noting the codes cut short when some were left open."""
        answers = universe.settle(questions)
        if answers.open:
            self.cut(*codes)
        return answers

    def cut(self, *codes: str) -> None:
        self.cut_short.extend(c for c in codes if c not in self.cut_short)

    def positions(self) -> tuple[Rule, ...]:
        """The red lines and demands written in the files (accept_at_least levels are made by feasible)."""
        return tuple(r for p in self.scenario.parties for r in p.red_lines + p.demands)
