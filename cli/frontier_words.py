"""What `feasible frontier` and `feasible tradeoffs` say, worded once (cli/words.py holds the words every command
shares). Utilities are shown as decimals (`decimal`), their differences in percentage points (`points`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from feasible.solver.bargaining import NO_GAIN, NO_IDEAL, NO_POINTS

from .words import join_words

DECIMALS = 6  # a utility is exact to a millionth (positions/utility.py PRECISION): shown to as many places


def decimal(value: Fraction | None) -> str:
    """An exact utility as a decimal, rounded half up to DECIMALS places, trailing zeros dropped ("0.5", "1")."""
    if value is None:
        return "–"
    rounded = math.floor(abs(value) * 10 ** DECIMALS + Fraction(1, 2))
    sign = "-" if value < 0 and rounded else ""
    units, places = divmod(rounded, 10 ** DECIMALS)
    tail = f"{places:0{DECIMALS}d}".rstrip("0")
    return f"{sign}{units}" + (f".{tail}" if tail else "")


def points(difference: Fraction) -> str:
    """A difference of utilities in percentage points, to one decimal place (half up), without a trailing .0."""
    rounded = math.floor(abs(difference) * 1000 + Fraction(1, 2))
    whole, tenth = divmod(rounded, 10)
    return f"{whole}" + (f".{tenth}" if tenth else "")


# -- where a party's utility comes from --------------------------------------------------------------------------------

SOURCE_WORDS = {"utility block": "its utility block", "demand satisfaction": "its demand satisfaction (weight of "
                                                                            "demands met)"}
# An axis of the picture: whose utility, and what it is (the scale is the same for both sources).
AXIS_WORDS = {"utility block": "utility block (0–1)", "demand satisfaction": "demand satisfaction (0–1)"}


def axis_label(name: str, source: str) -> str:
    return f"{name} — {AXIS_WORDS.get(source, source)}"


def source_line(name: str, source: str) -> str:
    return f"{name}: {SOURCE_WORDS.get(source, source)}"


def left_out_line(names: Sequence[str]) -> str:
    """Parties with neither a utility block nor demands: they count only through their red lines."""
    verb, their = ("has", "its") if len(names) == 1 else ("have", "their")
    return f"{join_words(names)} {verb} no utility (no utility block, no demands): left out of the frontier, " \
           f"though {their} red lines count"


def projected_line(names: Sequence[str]) -> str:
    """--parties: the frontier of these parties' utilities; everyone's red lines still decide what is acceptable."""
    return f"The frontier of {join_words(names)} only (--parties): the other parties' utilities are ignored, " \
           "their red lines are not"


PARTIES_HEADING = "Utilities"
DISAGREEMENT = "disagreement point"
DISAGREEMENT_LINE = "Disagreement point (a party's reservation value, else 0)"
IDEAL_LINE = "Ideal point (each party's best over the deals every party accepts)"
SCALE_LINE = ("A party's utility runs from 0 to 1 (1: all it asks for); a point is a percentage point of that "
              "scale (0.01)")
PRECISION_LINE = ("Demand satisfaction is an exact fraction; a utility block's utility is a whole number of "
                  "millionths, each issue's term rounded half up (docs/format.md, Utilities). Both are compared "
                  "exactly and shown to 6 decimal places.")


def values_line(names: Sequence[str], values: Sequence[str]) -> str:
    return ", ".join(f"{name} {value}" for name, value in zip(names, values))


# -- the frontier ------------------------------------------------------------------------------------------------------

FRONTIER_HEADING = "The frontier (deals no acceptable deal improves on for one party without hurting another)"


def status_line(status: str, found: int, limit: int | None = None) -> str:
    """How far the frontier listed goes."""
    noun = f"{found} point{'s' if found != 1 else ''}"
    if status == "complete":
        return f"{noun}: the whole frontier"
    if status == "limit":
        return f"{noun} shown (--limit {limit}): more exist"
    if status == "time":
        return f"{noun} found: the time ran out, more may exist"
    if status == "interrupted":
        return f"the run was interrupted: {noun} found so far, more may exist"
    return "no deal every party accepts"


SOLUTION_NAMES = {"nash": "Nash bargaining point", "kalai-smorodinsky": "Kalai–Smorodinsky point",
                  "egalitarian": "Egalitarian point", "utilitarian": "Utilitarian point"}
SOLUTION_SHORT = {"nash": "Nash", "kalai-smorodinsky": "KS", "egalitarian": "Egal.", "utilitarian": "Util."}
SOLUTION_MEANS = {"nash": "the largest product of gains over the disagreement point",
                  "kalai-smorodinsky": "gains most nearly in proportion to each party's best possible gain",
                  "egalitarian": "the largest smallest gain over the disagreement point",
                  "utilitarian": "the largest sum of utilities"}
BARGAINING_HEADING = "Bargaining points"
# Why a bargaining point is missing, as the frontier engine says it (solver/bargaining.py), in this command's words.
REASONS = {NO_POINTS: "no deal every party accepts",
           NO_GAIN: "no frontier point gives every party more than its disagreement value",
           NO_IDEAL: "the ideal point is not known: the search was cut short"}


def solution_line(solution: str, values: str | None, ties: int, exact: bool, reason: str | None,
                  ties_exact: bool = True) -> str:
    """One bargaining point: where it is, whether others tie with it, whether it is known over the whole frontier."""
    name = SOLUTION_NAMES[solution]
    if values is None:
        return f"{name}: none ({REASONS.get(reason or '', reason or 'no frontier point qualifies')})"
    notes = [SOLUTION_MEANS[solution]]
    if ties > 1:  # counted on a cut frontier: points not found may tie too
        notes.append(f"{ties} frontier points tie; the first in the frontier's order is shown" if ties_exact else
                     f"at least {ties} frontier points tie (counted among the points found); the first in the "
                     "frontier's order is shown")
    if not exact:
        notes.append("among the points found only: the frontier was cut")
    return f"{name}: {values} ({'; '.join(notes)})"


def differing_deal(name: str) -> str:
    """Heads a bargaining point's deal shown against the first one shown: only the issues that differ."""
    return f"its deal: as the {name}'s, except"


def same_deal(name: str) -> str:
    """A bargaining point at the same frontier point as one shown before it: its deal is not repeated."""
    return f"its deal: as the {name}'s"


# -- without a deal ----------------------------------------------------------------------------------------------------

NO_DEAL_LINE = "NO DEAL: no package deal satisfies every party's red lines and the modelling assumptions"


def conflicts_line(count: int, complete: bool) -> str:
    return f"Conflicts: {count}" + (" (all of them)" if complete else " (there may be more: see feasible check)")


def relaxed_heading(gives_up: Sequence[tuple[str, Sequence[str]]], cost: int, tied: int) -> str:
    """Heads what is shown under the cheapest relaxation: who gives up which red lines (`tied`: how many ways to a
    deal cost as little, when known)."""
    parts = [f"{who} gives up {join_words(list(rules))}" for who, rules in gives_up]
    which = f"one of {tied} equally cheap ways at cost {cost}, check's first" if tied > 1 else \
        f"the cheapest relaxation, cost {cost}"
    return f"If {join_words(parts)} ({which})"


def no_relaxation_line(interrupted: bool, facts_alone: bool) -> str:
    if facts_alone:
        return "No red line can be given up to open a deal: the modelling assumptions alone leave none"
    cause = "the run was interrupted" if interrupted else "the time ran out"
    return f"{cause} before a relaxation (red lines to give up) was found: there is no frontier to show"


# -- the picture -------------------------------------------------------------------------------------------------------

PICTURE_HEADING = "The frontier, drawn"


def picture_caption(x_name: str, y_name: str, relaxed: str | None = None) -> str:
    """Which two parties the picture shows, and the relaxation it is drawn under (a picture stands alone, as -o
    writes it)."""
    base = f"The frontier of {x_name} (across) and {y_name} (up)"
    return f"{base}, {relaxed[:1].lower()}{relaxed[1:]}" if relaxed else base


def picture_how(caption: str, written: str | None) -> str:
    """The text output's last line: where the picture it cannot show is (or would be)."""
    if written is not None:
        return f"{caption}: drawn in {written}"
    return f"{caption}: drawn with --format html or markdown, or -o frontier.svg"


def picture_needs_parties(count: int, example: Sequence[str]) -> str:
    """More than two parties: a projection on two of them would mislead (points dominated by a third party's
    utility look dominated for no reason), so none is drawn; how to draw two."""
    return (f"No picture: the frontier has {count} parties, and a picture shows two; to draw two of them, name them "
            f"with --parties (e.g. --parties {','.join(example[:2])})")


PICTURE_NEEDS_TWO = "no picture written: it needs two parties with a utility and a frontier point"
STAIRCASE = "frontier"


def wrote(path: str) -> str:
    return f"wrote {path}"


NO_PICTURE_FILE = "no picture written: there is no frontier to draw (no deal, and no relaxation opens one)"


# -- tradeoffs ---------------------------------------------------------------------------------------------------------

def tradeoffs_heading(label: str) -> str:
    return f"The price of {label}: per value, each party's best utility and the bargaining point it leads to"


def sampled_line(label: str, values: int, shown: int) -> str:
    return (f"{label} takes {values} values: {shown} are shown (its bounds, the values where a rule or utility on it "
            "can change, and an even grid)")


def reference_line(solution: str | None, label: str, value: str | None, values: str | None) -> str:
    if solution is None or values is None:
        return "Without restriction there is no bargaining point to compare with"
    return f"Without restriction, the {SOLUTION_NAMES[solution]} has {label} = {value}: {values}"


def option_point_line(solution: str | None, values: str | None) -> str:
    if solution is None or values is None:
        return "no bargaining point"
    return f"{SOLUTION_SHORT[solution]}: {values}"


def no_deal_with(label: str, value: str) -> str:
    return f"no acceptable deal has {label} = {value}"


def undecided_with(label: str, value: str) -> str:
    return f"the time ran out before a deal with {label} = {value} was found or ruled out"


def moving_line(label: str, old: str, new: str, changes: Sequence[tuple[str, Fraction]], cut: bool = False) -> str:
    """"moving army cap from 800 to 600 costs Ukraine 14 points and gives Russia 10": the bargaining point with the
    new value against the unrestricted one, in percentage points of utility. `cut`: either frontier was cut by the
    time limit, so the points compared are the best found so far, not a fact."""
    def each(moved: list[tuple[str, Fraction]]) -> str:
        return join_words([f"{who} {points(d)} point{'' if points(d) == '1' else 's'}" for who, d in moved])

    costs = [(who, d) for who, d in changes if d < 0]
    gains = [(who, d) for who, d in changes if d > 0]
    said = ([f"costs {each(costs)}"] if costs else []) + ([f"gives {each(gains)}"] if gains else [])
    what = " and ".join(said) if said else "changes no party's utility"
    if cut:
        return f"among the points found so far (a frontier compared was cut short), moving {label} from {old} " \
               f"to {new} {what}"
    return f"moving {label} from {old} to {new} {what}"


def values_shown(shown: Sequence[str], ranged: bool) -> str:
    """Values of the issue that lead to the same, together: "50 to 600" (a range of numbers), "a or b"."""
    if ranged and len(shown) > 2:
        return f"{shown[0]}–{shown[-1]}"
    return ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else shown[0]


def same_value_line(label: str, values: str) -> str:
    return f"{label} {values}: as the unrestricted bargaining point (no party's utility changes)"


CUT_HEADER = "frontier"  # the tradeoffs table's column: whether that row's frontier is whole or was cut
WHOLE, CUT = "whole", "cut"


def tradeoffs_cut(label: str, values: Sequence[str], reference: bool, interrupted: bool = False) -> str:
    """Which frontiers the time limit (or Ctrl-C) cut, marked "cut" in the table: their points are among the points
    found."""
    named = [f"{label} = {v}" for v in values] + (["the unrestricted one"] if reference else [])
    cause, again = ("The interruption (Ctrl-C)", "a run to the end") if interrupted else \
        ("The time limit (--time-limit, per value)", "a longer --time-limit")
    return (f"{cause} cut the frontier{'s' if len(named) > 1 else ''} of {join_words(named)}: "
            f"{'their' if len(named) > 1 else 'its'} points are among the points found only, and {again} may change "
            "them")
