"""What `feasible packages` says, worded once (cli/words.py holds the words every command shares)."""

from __future__ import annotations

from collections.abc import Sequence

from .words import join_words, percent

#: The cell of an issue a package leaves open: said so, not "open", which reads like a value (NATO's open path).
NOT_IN_PLAN = "not in the plan"
#: A party's satisfaction a package does not decide (it leaves some of the party's demands open).
OPEN_CELL = "open"
#: A party's satisfaction, or a red line, the time limit left undecided.
UNDECIDED_CELL = "undecided"


def packages_heading(count: int, objective: str) -> str:
    return f"{count} package{'s' if count != 1 else ''} compared ({objective} objective)"


def scenario_verdict(verdict: str, relaxations: int, all_cheapest: bool, interrupted: bool = False,
                     cut_at: int | None = None, facts_conflict: bool = False) -> str:
    """Whether the scenario has a deal, and so what "nearest acceptable deal" means here. `cut_at`: the bound on the
    relaxations compared, when there are more equally cheap ones."""
    if verdict == "deal":
        return "the scenario has a deal: each package's nearest acceptable deal is a deal every party accepts"
    if verdict == "no-deal" and facts_conflict:
        return f"the scenario has no deal: {FACTS_CONFLICT}; no package has a nearest deal"
    if verdict == "no-deal" and not relaxations:
        cause = "the run was interrupted" if interrupted else "the time limit ran out"
        return (f"the scenario has no deal, and {cause} before any relaxation (red lines to give up) was found: "
                "no package has a nearest deal")
    if verdict == "no-deal":
        which = f"the {relaxations} cheapest relaxation{'s' if relaxations != 1 else ''}" if relaxations > 1 \
            else "the cheapest relaxation"
        extent = "" if all_cheapest else f" ({not_all_compared(cut_at, interrupted)})"
        return (f"the scenario has no deal: of the deals opened by {which}{extent}, each package's nearest deal "
                "is the one that changes the fewest of its issues")
    cause = "the run was interrupted" if interrupted else "the time limit ran out"
    return f"{cause} before a deal was found or ruled out; try a longer --time-limit"


def values_heading(settled: int, issues: int) -> str:
    if settled == issues:
        return "Values (every issue settled)"
    return f"Values ({settled} of {issues} issue{'s' if issues != 1 else ''} settled; the others left open)"


def judged_heading(judgement: str, count: int) -> str:
    """The heading above the red lines (and facts) a package keeps, breaks, leaves open, or could not judge."""
    return {
        "broken": "Red lines (and facts) it breaks",
        "depends": "Red lines that depend on the issues it leaves open",
        "undecided": "Red lines not judged within the time limit",
        "kept": "Red lines it keeps",
    }[judgement] + f" ({count})"


def depends_on(labels: Sequence[str]) -> str:
    return f"depends on the {join_words(labels)}"


SATISFACTION_HEADING = "Satisfaction where the package decides it (weight of demands met)"
NO_SATISFACTION_DECIDED = "none decided (every party has a demand on an issue the package leaves open)"


#: The facts alone admit no deal: giving up red lines cannot help (no package is to blame).
FACTS_CONFLICT = "the facts contradict each other, so there is no deal under any relaxation of red lines"


def not_all_compared(cut_at: int | None, interrupted: bool = False) -> str:
    """Why not every cheapest relaxation was compared: the bound on how many are, or the time."""
    if cut_at is not None:
        return (f"not every cheapest relaxation was compared: there are more than {cut_at} equally cheap ones, and "
                f"only the first {cut_at} in check's order are compared")
    return "not every cheapest relaxation was compared: " + (
        "the run was interrupted" if interrupted else "the time limit")


def nearest_sentence(changed: int, settled: int, relaxed: bool, proved: bool, interrupted: bool = False,
                     not_compared: int = 0, cut_at: int | None = None) -> str:
    """The nearest deal, how much of the package it keeps, and whether it is proved nearest and best (if not, why:
    `not_compared` cheapest relaxations whose deal was not found in time, or the bound `cut_at` on how many are
    compared)."""
    what = "nearest deal once the red lines below are given up" if relaxed else "nearest acceptable deal"
    if changed == 0:
        change = ("has no values to change (it settles no issue)" if not settled else "keeps its one value"
                  if settled == 1 else f"keeps all {settled} of its values")
    else:
        change = f"changes {changed} of its {settled} value{'s' if settled != 1 else ''}"
    proof = "proved nearest and best" if proved else (
        "found before the interruption, not proved nearest and best" if interrupted
        else "found within the time limit, not proved nearest and best")
    if not proved and not_compared:
        proof += (f": the deal{'s' if not_compared != 1 else ''} opened by {not_compared} of the cheapest relaxations "
                  f"{'were' if not_compared != 1 else 'was'} not found in time, so "
                  f"{'they were' if not_compared != 1 else 'it was'} not compared")
    elif not proved and cut_at is not None:
        proof += f": {not_all_compared(cut_at)}"
    return f"The {what} {change} ({proof})"


def no_nearest(verdict: str, interrupted: bool = False, facts_conflict: bool = False) -> str:
    if facts_conflict:
        return f"No nearest deal: {FACTS_CONFLICT}"
    if verdict == "no-deal":
        return "No nearest deal: no relaxation compared opened one in time"
    cause = "the run was interrupted" if interrupted else "the time limit ran out"
    return f"No nearest deal: {cause} before one was found; try a longer --time-limit"


#: Under a package the facts taken together do not admit.
AGAINST_THE_FACTS = ("The package contradicts the facts taken together (no completion of the issues it leaves open "
                     "meets them all): its red lines and demands are judged each on its own")
#: Under every package when the facts alone admit nothing (the package is not to blame).
FACTS_AGAINST_EACH_OTHER = ("The facts contradict each other, whatever the package: its red lines and demands are "
                            "judged each on its own")
#: Under a package when the time limit left undecided whether the facts admit it.
FACTS_UNDECIDED = ("Whether the facts taken together admit the package was not decided within the time limit: its "
                   "red lines and demands on the issues it leaves open are undecided")

#: The columns of the table that sets the nearest deal beside its package, and the mark of a changed value.
DEAL_TABLE_HEADINGS = ("Issue", "Package", "Nearest deal", "Changed")
CHANGED = "changed"

GIVE_UP_HEADING = "Red lines given up (the relaxation)"
CHANGES_HEADING = "What changes (package → deal)"
GAINS_HEADING = "What each party gains or loses (package → deal)"


def gain_line(name: str, package, deal, missing: str = OPEN_CELL) -> str:
    """A party's satisfaction in the package (else `missing`: open, or undecided) and in the nearest deal."""
    before = percent(package) if package is not None else missing
    if package is None or deal is None:
        return f"{name}: {before} → {percent(deal)}"
    points = round((float(deal) - float(package)) * 100)
    trend = "no change" if points == 0 else f"{points:+d} points"
    return f"{name}: {before} → {percent(deal)} ({trend})"


#: The rows of the side-by-side table beyond the issues (the satisfaction rows are named by party).
ROW_BROKEN = "Red lines broken"
ROW_DEPENDS = "Red lines depending on open issues"
ROW_UNDECIDED = "Red lines not judged within the time limit"
ROW_CHANGES = "Nearest deal changes"
ROW_GIVEN_UP = "Red lines given up for the nearest deal"
#: A cell of the broken or depending row with none listed, when some red lines were not judged.
NONE_AMONG_JUDGED = "none among those judged"


def changes_cell(changed: int, given_up: int, proved: bool) -> str:
    """How many of a package's values its nearest deal changes, after giving up how many red lines, and whether
    that is proved."""
    words = str(changed)
    if given_up:
        words += f", after giving up {given_up} red line{'s' if given_up != 1 else ''}"
    return words + ("" if proved else " (not proved)")


def sources_line(ids: Sequence[str]) -> str:
    return f"Sources: {', '.join(ids)}" if len(ids) != 1 else f"Source: {ids[0]}"


VALUES_HEADING = "Its values, in its words, with their sources"


def relaxation_cost(cost: int) -> str:
    return f"cost {cost}"


def undecided_note(interrupted: bool = False) -> str:
    cause = "the run was interrupted" if interrupted else "the time limit ran out"
    return f"Incomplete: {cause} before every part was decided; what is shown is marked where it is not proved"
