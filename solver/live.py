"""A scenario kept warm for what-ifs asked one after another (`feasible serve`): the answer to each what-if in
stages, the first one fast, the last one exactly `check`'s.

A what-if (`Ask`) is what `feasible check` takes on its command line: edits (--drop, --set, --demote, --weight),
readings (--reading) and the objective. `Live.answer` reports its stages through `emit`, in this order:
- `FirstStage`: the verdict with a deal every party accepts, or with one minimal conflict;
- `PartialStage` (none or more): check's answer so far (the best deal before its room, the conflicts before the
  relaxations);
- `CompleteStage`: what `feasible check` with the same options answers, with the files' own answer as the
  baseline when there are edits (as check prints "compared with the files").
A run interrupted through its `Control` emits nothing more after the interruption.

The whole answer stays within the time limit: the first stage, check of the what-if and check of the files share
one deadline (check's `deadline`), each getting what the ones before it left. check's inner shares stay those of
the whole time limit, so an answer the deadline did not cut is `feasible check`'s. One the deadline cut says so as
check's answers do (UNKNOWN, a deal not proved best, a list incomplete); the files' own answer, when no time is
left for it, is check's answer without time (UNKNOWN), which the comparison shows as such.

How the first stage stays warm
------------------------------
A what-if is split as solver/samples.py splits a sample of a sweep:
- its **compile key**: the readings, and the edits that change the model itself (overlays; dropping a fact or a
  demand of a party with an accept_at_least level; demoting or weighing for such a party). The key's scenario is
  compiled once, with every fact and red line switchable by its assumption literal (as `check` compiles), and
  kept (least recently used dropped first);
- its **pins** (`--set`): each is a fact `facts/set-ISSUE`, compiled into a copy of the key's model (a clone, not a
  recompilation), kept per key;
- its **firm set** F: the edited scenario's red lines (accept_at_least levels and reservations included). Dropping
  a red line, a level or a reservation, or demoting a red line of a party without a level, only leaves it out of
  F: a demand counts for whether a deal exists only through its party's level, so the model is the same.
The split is checked before it is used: every red line of the edited scenario must be the key's rule of that name,
and its facts and issues the pinned key's (else the what-if is its own key, compiled whole). So the edited
scenario has a deal exactly when F holds with the pinned key's facts hard, which one subset check answers on the
kept model (solver/explain/oracle.py SubsetOracle: its cores, witnesses and focused models stay between asks).

Why each stage is sound
-----------------------
- A deal: the witness of the subset check, re-checked by the plain evaluator against the edited scenario (every
  fact, pin, red line, level and reservation); its outcomes are the evaluator's too. It is any deal, not the best.
- A conflict: the core of the subset check shrunk to one minimal unsatisfiable subset by deletion (J.
  Marques-Silva, "Minimal Unsatisfiability: Models, Algorithms and Applications", ISMVL 2010; explain/algorithms.py
  `find_mus`), with a minimal set of the facts it needs, then verified as check verifies its own (explain/
  conflicts.py `verify_conflict`: contradictory by a solve without assumptions; minimal by a deal for each member
  left out). A minimal conflict of the key's red lines that lies inside F is a minimal conflict of F (its
  minimality never mentions the other red lines), so a conflict found for one what-if answers every later one
  whose F contains it, without a solve (the same fact as the sweep's conflict table, samples.py).
- The facts (with the pins) alone cannot hold: the one conflict is a minimal set of them, as check reports it.
- The verdict is therefore check's (both decide the same question exactly); only running out of time differs
  (UNKNOWN). The later stages are check's own answer, given to `emit` as check finds it (check's `on_partial`).
Only answers that were not cut (by the time limit or an interruption: what the answer itself says, `cut`) are
memoised, so an answer asked again is the one computed afresh.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path

from feasible.positions.edits import AppliedEdit, Edits, apply_edits
from feasible.positions.errors import FeasibleError
from feasible.positions.model import RuleRef, Scenario
from feasible.positions.readings import under_readings

from . import cpsat
from .check import DEFAULT_TIME_LIMIT, check
from .compile import Compiled, compile_scenario
from .deals import party_outcomes
from .encoders import ENCODERS
from .explain.algorithms import OutOfTime, ask, find_mus
from .explain.conflicts import Conflict, conflict_facts, rule_names, verify_conflict
from .explain.oracle import SubsetOracle
from .result import CheckResult, Deal, Objective, Verdict
from .samples import ORACLE_KEPT
from .search import Control, Outcome, Searcher
from .utility import block_utilities
from .verify import verify_deal

# Memory stays bounded whatever a page session asks: each kept key holds a whole compiled model (with its
# oracle), each pinned variant a copy of one, so few are kept; answers are small, so many are.
KEYS_KEPT = 4  # compile keys (readings and model-changing edits) kept, least recently used dropped first
PINS_KEPT = 8  # pinned copies of a key's model kept per key
CONFLICTS_KEPT = 256  # verified minimal conflicts a pinned key remembers (each answers later what-ifs at once)
FIRST_KEPT = 1024  # first-stage answers memoised per Live
RESULTS_KEPT = 16  # check's complete answers memoised per Live (the files' own answers included)


@dataclass(frozen=True)
class Ask:
    """One what-if: as `feasible check --reading R --drop X --set I=V --demote Y --weight D=W --objective O`."""

    edits: Edits = field(default_factory=Edits)
    readings: tuple[str, ...] = ()
    objective: Objective = Objective.FAIR


@dataclass(frozen=True)
class FirstStage:
    """The verdict, first: with a deal every party accepts (verified; not yet the best one) or with one minimal
    conflict (verified; check's full answer lists them all, in its own order)."""

    verdict: Verdict
    deal: Deal | None = None  # any deal (values and what each party gets), not the best: that comes with check's
    conflict: Conflict | None = None
    facts_conflict: bool = False  # no deal because the facts (and the values pinned) alone cannot hold
    scenario: Scenario | None = None  # the scenario as the what-if leaves it


@dataclass(frozen=True)
class PartialStage:
    """check's answer so far (its `verdict` is final; what is missing is still being looked for)."""

    result: CheckResult
    scenario: Scenario


@dataclass(frozen=True)
class CompleteStage:
    """check's whole answer, and the files' own answer when the what-if changes anything."""

    scenario: Scenario
    result: CheckResult
    baseline: Scenario | None = None
    before: CheckResult | None = None
    applied: tuple[AppliedEdit, ...] = ()


Stage = FirstStage | PartialStage | CompleteStage


@dataclass(frozen=True)
class Split:
    """A what-if as the warm path sees it: the edits that change the model (the compile key, with the readings),
    the pins (--set), and the firm set (the edited scenario's red lines)."""

    key: Hashable
    key_edits: Edits
    pins: tuple[str, ...]
    firm: frozenset[str]


@dataclass(frozen=True)
class Found:
    """A first-stage answer without the edited scenario's own parts (a deal's outcomes are worked out per ask)."""

    verdict: Verdict
    values: dict | None = None
    conflict: Conflict | None = None
    facts_conflict: bool = False


class Live:
    """One scenario (as loaded, taken as of its own day), answering what-ifs. `answer` may be called from any
    thread, and from several at once (the warm state is shared under a lock; check runs outside it)."""

    def __init__(self, scenario: Scenario, *, time_limit: float = DEFAULT_TIME_LIMIT) -> None:
        self.scenario = scenario
        self.time_limit = time_limit
        self._lock = threading.Lock()
        self._readings: OrderedDict[tuple[str, ...], Scenario] = OrderedDict()
        self._keys: OrderedDict[Hashable, WarmKey] = OrderedDict()
        self._first: OrderedDict[tuple, Found] = OrderedDict()
        self._results: OrderedDict[Hashable, CheckResult] = OrderedDict()
        self._files: OrderedDict[Hashable, CheckResult] = OrderedDict()  # the files' own answers, once decided

    def edited(self, ask: Ask) -> tuple[Scenario, Scenario, tuple[AppliedEdit, ...]]:
        """The scenario under the readings (the baseline), the what-if's scenario, and the edits as applied.
        Raises UserError (or InvalidScenario) for an edit or reading that does not apply."""
        baseline = self._under(ask.readings)
        if not ask.edits:
            return baseline, baseline, ()
        scenario, applied = apply_edits(baseline, ask.edits)
        return baseline, scenario, tuple(applied)

    def _under(self, readings: tuple[str, ...]) -> Scenario:
        if not readings:
            return self.scenario
        with self._lock:
            known = self._readings.get(readings)
        if known is None:
            known = under_readings(self.scenario, list(readings))
            with self._lock:
                _keep(self._readings, readings, known, KEYS_KEPT)
        return known

    def answer(self, ask: Ask, control: Control, emit: Callable[[Stage], None]) -> None:
        """Emit the stages of the answer to `ask`. `control.interrupt()`, from any thread, stops the run at once
        (its solves run interruptibly); nothing is emitted after it."""
        ask = self._with_overlays_read(ask)
        baseline, scenario, applied = self.edited(ask)
        deadline = time.monotonic() + self.time_limit  # the whole answer's: each stage gets what is left of it
        control.interruptible = True
        first = self.first_stage(ask, baseline, scenario, applied, control, deadline)
        if control.interrupted:
            return
        emit(first)
        if control.interrupted:  # (from within emit, say: check would compile before it noticed)
            return

        def partial(result: CheckResult) -> None:
            if not control.interrupted:
                emit(PartialStage(result, scenario))

        result = self._checked((ask.readings, ask.edits, ask.objective), scenario, ask.objective, control, deadline,
                               partial)
        if control.interrupted:
            return
        files_key = _hashable((ask.readings, ask.objective))
        if not ask.edits:
            self._keep_files_answer(files_key, result)
            before = None
        else:
            before = self._files_answer(files_key, ask.readings, baseline, ask.objective, control, deadline)
        if control.interrupted:
            return
        emit(CompleteStage(scenario, result, baseline if ask.edits else None, before, applied))

    def _with_overlays_read(self, ask: Ask) -> Ask:
        """The ask with its overlay files read now: every memo is keyed by what an overlay says, not by its path,
        so a file changed between two asks is a new what-if."""
        if not any(isinstance(item, str) for item in ask.edits.overlays):
            return ask
        from feasible.positions.overlay import load_overlay  # (the loader: only asks with overlay files need it)

        baseline = self._under(ask.readings)
        overlays = tuple(load_overlay(Path(item), baseline) if isinstance(item, str) else item
                         for item in ask.edits.overlays)
        return replace(ask, edits=replace(ask.edits, overlays=overlays))

    # -- the complete stage ------------------------------------------------------------------------------------------
    def _checked(self, memo_key: tuple, scenario: Scenario, objective: Objective, control: Control,
                 deadline: float, on_partial: Callable[[CheckResult], None] | None = None) -> CheckResult:
        """check's answer, as `feasible check` gives it unless the deadline cut it (memoised when not cut: the
        same computed again)."""
        key = _hashable(memo_key)
        with self._lock:
            known = self._results.get(key)
            if known is not None:
                self._results.move_to_end(key)
        if known is not None:
            return known
        result = check(scenario, objective, time_limit=self.time_limit, control=control, on_partial=on_partial,
                       deadline=deadline)
        if not cut(result, scenario):
            with self._lock:
                _keep(self._results, key, result, RESULTS_KEPT)
        return result

    # The files' own answer, the "before" of every what-if, is kept once decided even when check's inner time shares
    # cut part of it (a relaxation's deal not proved best, say): on a scenario whose check always uses its whole time
    # limit, a what-if's answer would otherwise never have time left for it, and would show the files' side as
    # undecided on every ask. So the comparison is with the answer the page showed for the files (or computed first).
    def _files_answer(self, key: Hashable, readings: tuple[str, ...], baseline: Scenario, objective: Objective,
                      control: Control, deadline: float) -> CheckResult:
        with self._lock:
            known = self._files.get(key)
            if known is not None:
                self._files.move_to_end(key)
                return known
        result = self._checked((readings, Edits(), objective), baseline, objective, control, deadline)
        self._keep_files_answer(key, result)
        return result

    def _keep_files_answer(self, key: Hashable, result: CheckResult) -> None:
        if not (result.interrupted or result.verdict is Verdict.UNKNOWN):
            with self._lock:
                _keep(self._files, key, result, RESULTS_KEPT)

    # -- the first stage ---------------------------------------------------------------------------------------------
    def first_stage(self, ask: Ask, baseline: Scenario, scenario: Scenario, applied: tuple[AppliedEdit, ...],
                    control: Control, deadline: float | None = None) -> FirstStage:
        """The verdict with a deal (any, verified) or one minimal conflict (verified), from the warm model, by the
        deadline (default: the time limit from now; compiling a key counts)."""
        searcher = Halting(self.time_limit, control, label=f"'{scenario.title}'")
        if deadline is not None:
            searcher.deadline = deadline
        searcher.stage = "finding the verdict"
        with self._lock:
            split, pinned = self._pinned(ask, baseline, scenario, applied)
            memo_key = (split.key, split.pins, pinned.red - split.firm)  # (a few names, where F has thousands)
            found = self._first.get(memo_key)
            if found is not None:
                self._first.move_to_end(memo_key)
            else:
                found = pinned.find(split.firm, searcher)
                if found.verdict is not Verdict.UNKNOWN:
                    _keep(self._first, memo_key, found, FIRST_KEPT)
        return staged(found, scenario)

    def _pinned(self, ask: Ask, baseline: Scenario, scenario: Scenario, applied: tuple[AppliedEdit, ...]
                ) -> tuple[Split, WarmPins]:
        """The first split of the what-if (finest first) whose pinned key scenario is the edited one but for the
        red lines left out of its firm set; the last (the what-if whole) always is."""
        for split in splits(ask, baseline, scenario, applied):
            warm = self._key(split, baseline)
            if warm is None:
                continue
            pinned = warm.pinned(split.pins)
            if pinned is not None and same_but_firmness(pinned.scenario, scenario):
                return split, pinned
        raise AssertionError("the what-if as its own key always fits")  # (splits' last one)

    def _key(self, split: Split, baseline: Scenario) -> WarmKey | None:
        warm = self._keys.get(split.key)
        if warm is not None:
            self._keys.move_to_end(split.key)
            return warm
        try:
            key_scenario = apply_edits(baseline, split.key_edits)[0] if split.key_edits else baseline
        except FeasibleError:  # (an edit that applies only after those left out of the key: the next split)
            return None
        warm = WarmKey(key_scenario)
        _keep(self._keys, split.key, warm, KEYS_KEPT)
        return warm


def cut(result: CheckResult, scenario: Scenario) -> bool:
    """Whether check's answer says the time limit (or an interruption) may have left it short, so that computed
    again it could differ: check's flags, read conservatively (a list capped at the number asked for is not cut;
    where an answer cannot tell a cap from a cut, it counts as cut)."""
    if result.interrupted or result.verdict is Verdict.UNKNOWN:
        return True
    if not (result.unreachable_complete and all(room.complete for room in result.room.values())):
        return True
    if result.conflicts_cut_by_time or result.relaxations_ranked_by_deal is False:
        return True
    if result.verdict is Verdict.NO_DEAL and not result.relaxations_complete:
        return True
    if result.relaxations and not result.relaxations_canonical:
        return True  # (the search for equally cheap ones was cut, or found more than it seeks)
    deals = [*result.deals, *(r.deal for r in result.relaxations if r.deal is not None)]
    return any(r.deal is None for r in result.relaxations) or any(_deal_cut(deal, scenario) for deal in deals)


def _deal_cut(deal: Deal, scenario: Scenario) -> bool:
    """A deal not proved best, or its open values possibly cut (each kind's encoder knows: solver/encoders.py)."""
    if not deal.optimal or deal.open_cut:
        return True
    return any(ENCODERS[scenario.issues[name].kind].open_may_be_cut(open_) for name, open_ in deal.open.items())


class Halting(Searcher):
    """A searcher that solves nothing once interrupted, not even to verify: a first stage that is cut is dropped
    whole (check's searcher goes on verifying for a moment, to show what it found; nothing here is shown)."""

    def solve(self, model: cpsat.Model, *, presolve: bool = True, verifying: bool = False) -> Outcome:
        if self.control.interrupted:
            return Outcome(cpsat.UNKNOWN, None)
        return super().solve(model, presolve=presolve, verifying=verifying)


class WarmKey:
    """One compile key: its scenario compiled with every rule switchable, and its pinned copies."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.compiled = compile_scenario(scenario, enforce_red_lines=False, enforce_facts=False)
        self.pins: OrderedDict[tuple[str, ...], WarmPins] = OrderedDict()

    def pinned(self, pins: tuple[str, ...]) -> WarmPins | None:
        known = self.pins.get(pins)
        if known is not None:
            self.pins.move_to_end(pins)
            return known
        if not pins:
            made = WarmPins(self.scenario, self.compiled)
        else:
            try:
                scenario = apply_edits(self.scenario, Edits(set=pins))[0]
            except FeasibleError:  # (a pin that applies only after edits left out of the key: the next split)
                return None
            made = WarmPins(scenario, with_facts(self.compiled, scenario))
        _keep(self.pins, pins, made, PINS_KEPT)
        return made


class WarmPins:
    """A key with its pins: the model (a copy with the pins' facts), its subset oracle over the red lines with the
    facts hard, and the minimal conflicts verified so far."""

    def __init__(self, scenario: Scenario, compiled: Compiled):
        self.scenario = scenario
        self.compiled = compiled
        self.red = frozenset(rule_names(scenario.red_lines))
        self.oracle = SubsetOracle(compiled, sorted(self.red), rule_names(scenario.facts), Searcher(0.0))
        self.facts_hold: bool | None = None  # settled by the first ask that needs it
        self.facts_conflict: Conflict | None = None
        self.conflicts: OrderedDict[Conflict, None] = OrderedDict()

    def find(self, firm: frozenset[str], searcher: Searcher) -> Found:
        """The answer for the firm set F; UNKNOWN when time ran out (or the run was interrupted)."""
        self.oracle.searcher = searcher
        try:
            if self.facts_hold is None:
                self.facts_hold = self._facts_hold(searcher)
            if not self.facts_hold:
                return Found(Verdict.NO_DEAL, conflict=self.facts_conflict, facts_conflict=True)
            for conflict in self.conflicts:
                if frozenset(conflict.red_lines) <= firm:
                    self.conflicts.move_to_end(conflict)
                    return Found(Verdict.NO_DEAL, conflict=conflict)
            answer = ask(self.oracle, firm)
            if answer.sat:
                return Found(Verdict.DEAL, values=self._witness(firm))
            return Found(Verdict.NO_DEAL, conflict=self._conflict(firm, answer.core, searcher))
        except OutOfTime:
            return Found(Verdict.UNKNOWN)
        finally:
            self._forget()

    def _facts_hold(self, searcher: Searcher) -> bool:
        """Whether the facts (pins included) can hold together; if not, the minimal set of them that cannot,
        verified (as check finds and verifies it). OutOfTime leaves it undecided."""
        if ask(self.oracle, frozenset()).sat:
            return True
        facts, witnesses = conflict_facts(self.compiled, frozenset(), searcher)
        conflict = Conflict((), tuple(sorted(facts)))
        verify_conflict(self.compiled, conflict, searcher, witnesses=witnesses)
        self.facts_conflict = conflict
        return False

    def _witness(self, firm: frozenset[str]) -> dict:
        """The deal behind the oracle's answer that F holds: the latest witness whose satisfied set covers F."""
        for satisfied, deal in zip(reversed(self.oracle.witnessed), reversed(self.oracle.deals)):
            if firm <= satisfied:
                return deal
        raise AssertionError("a satisfiable answer has its witness")  # (SubsetOracle keeps them in pairs)

    def _conflict(self, firm: frozenset[str], core: frozenset | None, searcher: Searcher) -> Conflict:
        mus = find_mus(sorted(firm), self.oracle, core)
        facts, witnesses = conflict_facts(self.compiled, mus, searcher)
        conflict = Conflict(tuple(sorted(mus)), tuple(sorted(facts)))
        verify_conflict(self.compiled, conflict, searcher, witnesses=self.oracle.deals + witnesses)
        _keep(self.conflicts, conflict, None, CONFLICTS_KEPT)
        return conflict

    def _forget(self) -> None:
        """Keep the oracle's known answers to the most recent (as a sweep's keys do, solver/samples.py)."""
        self.oracle.keep_recent(ORACLE_KEPT)


# -- splitting a what-if -------------------------------------------------------------------------------------------

def splits(ask: Ask, baseline: Scenario, scenario: Scenario, applied: tuple[AppliedEdit, ...]) -> list[Split]:
    """The ways to answer the what-if on a kept model, finest first: (1) only the model-changing edits in the key,
    (2) every edit but the pins, (3) the what-if whole (its own key: compiled for it)."""
    firm = frozenset(rule_names(scenario.red_lines))
    edits = ask.edits
    whole = replace(edits, set=())
    ways = []
    if not edits.overlays:
        fine = key_edits(baseline, scenario, applied)
        ways.append(Split((ask.readings, _hashable(fine)), fine, edits.set, firm))
    ways.append(Split((ask.readings, _hashable(whole)), whole, edits.set, firm))
    ways.append(Split((ask.readings, _hashable(edits)), edits, (), firm))
    return ways


def key_edits(baseline: Scenario, scenario: Scenario, applied: tuple[AppliedEdit, ...]) -> Edits:
    """The edits that change the model: dropping a fact or a demand of a party with a level (in the edited
    scenario), demoting a red line of such a party, weighing its demands. Dropping a red line, a level or a
    reservation, demoting a red line of a party without a level, weighing its demands: left to the firm set."""
    levelled = {p.id for p in scenario.parties if p.accept_at_least is not None}
    red = set(rule_names(baseline.red_lines))
    drop, demote, weight = [], [], []
    for edit in applied:
        if edit.kind == "drop":
            drop += [_exactly(name) for name in edit.rules
                     if name not in red and (RuleRef.parse(name).is_fact or RuleRef.parse(name).owner in levelled)]
        elif edit.kind == "demote" and RuleRef.parse(edit.argument).owner in levelled:
            demote.append(edit.argument)
        elif edit.kind == "weight" and RuleRef.parse(edit.rules[0]).owner in levelled:
            weight.append(edit.argument)
    return Edits(drop=tuple(drop), demote=tuple(demote), weight=tuple(weight))


def same_but_firmness(pinned: Scenario, edited: Scenario) -> bool:
    """Whether the edited scenario asks the pinned key's question with some red lines left out: the same issues
    and facts, and each of its red lines the key's rule of that name."""
    if pinned.issues != edited.issues:
        return False
    if _exprs(pinned.facts) != _exprs(edited.facts):
        return False
    exprs = _exprs(pinned.red_lines)
    return all(name in exprs and _same(exprs[name], expr) for name, expr in _exprs(edited.red_lines).items())


def with_facts(compiled: Compiled, scenario: Scenario) -> Compiled:
    """The compiled key on a copy of its model with the facts of `scenario` (the key's with pins) it lacks compiled
    in, switchable like the others: the key's model stays as it was."""
    model = compiled.model.clone()
    compiler = compiled.compiler.on(model)
    holds, rules = dict(compiled.holds), dict(compiled.rules)
    for fact in scenario.facts:
        known = compiled.rules.get(fact.name)
        if known is None or not _same(known.expr, fact.expr):
            holds[fact.name] = compiler.rule(fact.expr, fact.types)
            rules[fact.name] = fact
    return replace(compiled, scenario=scenario, model=model, holds=holds, rules=rules, compiler=compiler)


def staged(found: Found, scenario: Scenario) -> FirstStage:
    """The first stage for the edited scenario: a deal re-checked by the plain evaluator against it (every fact,
    pin, red line, level and reservation), with what each party gets in it."""
    if found.values is None:
        return FirstStage(found.verdict, None, found.conflict, found.facts_conflict, scenario)
    values = found.values
    required = rule_names(scenario.facts) + rule_names(scenario.red_lines)
    truths = verify_deal(scenario, values, required=required)
    outcomes = party_outcomes(scenario.parties, truths, block_utilities(scenario, values))
    return FirstStage(found.verdict, Deal(dict(values), outcomes, optimal=False), scenario=scenario)


def _exprs(rules) -> dict[str, object]:
    return {rule.name: rule.expr for rule in rules}


def _same(a: object, b: object) -> bool:
    return a is b or a == b


def _exactly(name: str) -> str:
    """A rule name as a --drop pattern that matches it alone."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _hashable(value: Hashable) -> Hashable:
    """The value as a memo key: itself, or its repr when it holds something unhashable (an overlay loaded)."""
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _keep(kept: OrderedDict, key, value, limit: int) -> None:
    kept[key] = value
    kept.move_to_end(key)
    if len(kept) > limit:
        kept.popitem(last=False)
