"""Reading a party's `utility:` block into a Utility (positions/utility.py), every number exact and every problem
located where it is written, with did-you-mean help (docs/format.md#utilities)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .kinds import IntType
from .limits import override_hint
from .model import Issue
from .numbers import EXPONENT, TooLarge, exact_fraction, shown
from .suggest import did_you_mean
from .utility import (POINTS, SCORES, IssueUtility, Rectangle, Utility, bounded, score_keys, scored_width, scoring,
                      too_large)

if TYPE_CHECKING:
    from .loader import RuleBuilder
    from .schema import IssueUtilityEntry, RectangleEntry, UtilityEntry
    from .yamlread import LocatedDoc, Path_

SCORED_HINT = "a utility block's issues are bool, enum, set (scores:) and int (points:) issues"
NUMBER_HINT = 'write a number ≥ 0, e.g. 0.35, or a fraction as text, e.g. "1/3"'
BLOCK_HINT = ("give `issues:` (issue → weight and scores or points) or `rectangles:` with `max_utility:` "
              "(docs/format.md#utilities)")


@dataclass
class BlockReader:
    """Reads one party's block, reporting through the loader's builder (one list of problems for the scenario)."""

    builder: RuleBuilder
    doc: LocatedDoc
    issues: Mapping[str, Issue]

    def report(self, at: Path_, message: str, hint: str | None = None, key: bool = False) -> None:
        self.builder.report(self.doc, at, message, key=key, hint=hint)

    def block(self, entry: UtilityEntry, at: Path_) -> Utility | None:
        """The block, or None when it has a problem (reported)."""
        ok = True
        if entry.issues is not None and entry.rectangles is not None:
            self.report(at + ("rectangles",), "a utility block has `issues:` or `rectangles:`, not both", key=True,
                        hint="keep one: additive over issues, or rectangles")
            ok = False
        if not entry.issues and not entry.rectangles:
            self.report(at, "the utility block scores nothing", key=True, hint=BLOCK_HINT)
            ok = False
        reservation = self.number(entry.reservation, at + ("reservation",))
        discount = self.number(entry.discount, at + ("discount",))
        if discount is not None and not 0 < discount <= 1:
            self.report(at + ("discount",), f"a discount factor is above 0 and at most 1, not {entry.discount}",
                        hint="e.g. discount: 0.9, or remove it (no discount)")
            ok = False
        max_utility = self.max_utility(entry, at)
        parts = self.parts(entry.issues or {}, at + ("issues",))
        rectangles = self.rectangles(entry.rectangles or [], at + ("rectangles",))
        unread = any(written is not None and read is None
                     for written, read in ((entry.reservation, reservation), (entry.discount, discount)))
        if not ok or unread or parts is None or rectangles is None or (max_utility is not None) != bool(rectangles):
            return None
        block = Utility(parts, rectangles, max_utility, reservation, discount, self.doc.location(at, key=True))
        problem = too_large(block, self.issues)
        if problem is not None:
            self.report(at, f"the utility block's numbers are too large to compute exactly: {problem}", key=True,
                        hint="only the proportions between weights (and between rectangles' utilities) matter: "
                             "divide them all by the same number (GENIUS weights add up to 1)")
            return None
        return block

    def max_utility(self, entry: UtilityEntry, at: Path_) -> Fraction | None:
        if entry.max_utility is None:
            if entry.rectangles:
                self.report(at + ("rectangles",), "rectangles need `max_utility:`, the sum that counts as 1",
                            key=True, hint="add max_utility: M, e.g. the largest sum of rectangle utilities")
            return None
        if not entry.rectangles:
            self.report(at + ("max_utility",), "max_utility: goes with rectangles", key=True,
                        hint="remove it: an additive block's utility is Σ weight · evaluation")
            return None
        value = self.number(entry.max_utility, at + ("max_utility",))
        if value == 0:
            self.report(at + ("max_utility",), "max_utility must be above 0", hint="e.g. max_utility: 100")
            return None
        return value

    def number(self, written: Any, at: Path_) -> Fraction | None:
        """A number ≥ 0 read exactly from its text (None when absent, or when it has a problem: reported)."""
        if written is None:
            return None
        value = self.exact(written, at)
        if value is not None and value < 0:
            self.report(at, f"the number {written} is negative", hint=NUMBER_HINT)
            return None
        return value

    def exact(self, written: Any, at: Path_) -> Fraction | None:
        if isinstance(written, bool) or not isinstance(written, (int, float, str)):
            self.report(at, f"{_shown(written)} is not a number", hint=NUMBER_HINT)
            return None
        if isinstance(written, int):
            return self.exact(str(written), at) if abs(written) >= 10**EXPONENT else Fraction(written)
        if isinstance(written, float):
            if written != written or written in (float("inf"), float("-inf")):
                self.report(at, f"{written} is not a number", hint=NUMBER_HINT)
                return None
            return self.builder.probability(written, self.doc, at)  # the decimal written, not the float
        try:
            number = exact_fraction(written.strip().replace("_", ""))
        except TooLarge as exc:
            self.report(at, exc.message, hint=exc.hint)
            return None
        if number is None:
            self.report(at, f"{shown(written)} is not a number", hint=NUMBER_HINT)
        return number

    def parts(self, entries: Mapping[str, IssueUtilityEntry | None], at: Path_) -> tuple[IssueUtility, ...] | None:
        built: list[IssueUtility] = []
        ok = True
        for name, entry in entries.items():
            issue = self.issue(name, at + (name,), "scored")
            if entry is None or issue is None:
                ok = False
                continue
            part = self.part(issue, entry, at + (name,))
            ok = ok and part is not None
            if part is not None:
                built.append(part)
        return tuple(built) if ok else None

    def issue(self, name: str, at: Path_, what: str) -> Issue | None:
        """The issue a block names (to be "scored" by `issues:` or "bounded" by a rectangle), or None when it is not
        one it can (reported)."""
        if name not in self.issues:
            if name not in self.builder.broken:
                self.report(at, f"'{name}' is not an issue of the scenario", key=True,
                            hint=did_you_mean(name, self.issues) or "a utility block names the issues under "
                                                                   "`issues:` in scenario.yaml")
            return None
        issue = self.issues[name]
        fits = scoring(issue) is not None if what == "scored" else bounded(issue)
        if not fits:
            kind = issue.kind.value
            article = "an" if kind[0] in "aeiou" else "a"
            self.report(at, f"issue '{name}' is {article} {kind} issue, which cannot be {what}", key=True,
                        hint=SCORED_HINT if what == "scored" else "a utility block's rectangles bound int issues")
            return None
        width = scored_width(issue)
        if what == "scored" and width > self.builder.limits.utility_values:  # (rectangles enumerate no values)
            self.report(at, f"issue '{name}' spans {width:,} values, more than the limit of "
                        f"{self.builder.limits.utility_values:,} for an issue a utility block scores", key=True,
                        hint=override_hint("utility_values"))
            return None
        return issue

    def part(self, issue: Issue, entry: IssueUtilityEntry, at: Path_) -> IssueUtility | None:
        weight = self.number(entry.weight, at + ("weight",))
        wanted = scoring(issue)
        assert wanted is not None  # (self.issue let only scored issues through)
        other = SCORES if wanted == POINTS else POINTS
        if getattr(entry, other) is not None:
            self.report(at + (other,), f"{issue.kind.value} issue '{issue.name}' takes {wanted}:, not {other}:",
                        key=True, hint=_form_hint(issue))
            return None
        if getattr(entry, wanted) is None:
            self.report(at, f"issue '{issue.name}' needs {wanted}:", key=True, hint=_form_hint(issue))
            return None
        if wanted == POINTS:
            points = self.points(issue, entry.points or [], at + ("points",))
            return None if weight is None or points is None else \
                IssueUtility(issue.name, weight, (), points, self.doc.location(at, key=True))
        scores = self.scores(issue, entry.scores or {}, at + ("scores",))
        return None if weight is None or scores is None else \
            IssueUtility(issue.name, weight, scores, (), self.doc.location(at, key=True))

    def scores(self, issue: Issue, written: Mapping[str, Any], at: Path_) -> tuple[tuple[Any, Fraction], ...] | None:
        """(value, score) in the issue's value order."""
        keys = score_keys(issue)
        values = tuple(keys.values())
        found: dict[Any, Fraction] = {}
        ok = True
        for key, raw in written.items():
            if key not in keys:
                self.report(at + (key,), f"'{key}' is not a value of issue '{issue.name}'", key=True,
                            hint=did_you_mean(key, keys) or "its values are " + ", ".join(keys))
                ok = False
                continue
            score = self.number(raw, at + (key,))
            ok = ok and score is not None
            if score is not None:
                found[keys[key]] = score
        return tuple((v, found[v]) for v in values if v in found) if ok else None

    def points(self, issue: Issue, written: list[list[Any]], at: Path_) -> tuple[tuple[int, Fraction], ...] | None:
        if not written:
            self.report(at, "points: needs at least one point [X, Y]", hint="e.g. points: [[0, 0], [10, 1]]")
            return None
        built: list[tuple[int, Fraction]] = []
        low, high = IntType.bounds(issue)
        for i, (x, y) in enumerate(written):
            if isinstance(x, bool) or not isinstance(x, int):
                self.report(at + (i, 0), f"a point's X is a whole number, not {_shown(x)}",
                            hint=f"a value of issue '{issue.name}', {low}..{high}")
                return None
            if not low <= x <= high:
                self.report(at + (i, 0), f"{x} is outside {low}..{high}, the range of issue "
                            f"'{issue.name}'", hint="give points within the range")
                return None
            if built and x <= built[-1][0]:
                self.report(at + (i, 0), f"the points' X must rise: {x} comes after {built[-1][0]}",
                            hint="list the points in increasing X, each X once")
                return None
            value = self.number(y, at + (i, 1))
            if value is None:
                return None
            if value > 1:
                self.report(at + (i, 1), f"a point's Y is an evaluation from 0 to 1, not {y}",
                            hint="the weight says how much the issue counts; Y how good the value is")
                return None
            built.append((x, value))
        return tuple(built)

    def rectangles(self, entries: Sequence[RectangleEntry | None], at: Path_) -> tuple[Rectangle, ...] | None:
        built: list[Rectangle] = []
        ok = True
        for i, entry in enumerate(entries):
            rectangle = None if entry is None else self.rectangle(entry, at + (i,))
            ok = ok and rectangle is not None
            if rectangle is not None:
                built.append(rectangle)
        return tuple(built) if ok else None

    def rectangle(self, entry: RectangleEntry, at: Path_) -> Rectangle | None:
        utility = self.number(entry.utility, at + ("utility",))
        bounds: list[tuple[str, int, int]] = []
        for name, (low, high) in entry.where.items():
            place = at + ("where", name)
            issue = self.issue(name, place, "bounded")
            if issue is None:
                return None
            least, most = IntType.bounds(issue)
            if low > high:
                self.report(place, f"[{low}, {high}] is empty: MIN is above MAX", hint=f"write [{high}, {low}]")
                return None
            if low < least or high > most:
                self.report(place, f"[{low}, {high}] goes outside {least}..{most}, the range of issue "
                            f"'{name}'", hint="give bounds within the range")
                return None
            bounds.append((name, low, high))
        return None if utility is None else Rectangle(utility, tuple(bounds))


def _form_hint(issue: Issue) -> str:
    if scoring(issue) == POINTS:
        low, high = IntType.bounds(issue)
        return f"e.g. points: [[{low}, 0], [{high}, 1]] (X within {low}..{high}, Y from 0 to 1)"
    return "e.g. scores: {" + ", ".join(f"{v}: {n}" for v, n in zip(score_keys(issue), (1, 0.5))) + "}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(value) if isinstance(value, str) else str(value)
