"""What `feasible timeline` says, worded once (the rest of feasible's wording is in cli/words.py)."""

from __future__ import annotations

from collections.abc import Sequence

from .words import join_words, verdict_word


def period_span(start: str | None, end: str | None) -> str:
    """The days a period covers: from its first day until the next change (exclusive)."""
    if start is None:
        return f"until {end}" if end else "all along (no position is dated)"
    return f"from {start}" + (f" until {end}" if end else " on")


def period_answer(verdict: str, cost: int | None, conflicts: int, disputes: int | None, complete: bool) -> str:
    """A period's answer in one line: the verdict, then without a deal how far it is from one. Counts from a list
    of conflicts the time limit cut short are "or more"."""
    if verdict != "no-deal":
        return verdict_word(verdict)
    cheapest = "cheapest way unknown" if cost is None else f"cheapest way costs {cost}"
    counted = _counted(conflicts, "conflict", complete)
    if disputes is not None:
        counted += f" in {_counted(disputes, 'dispute', complete)}"
    return f"{verdict_word(verdict)}; {cheapest}; {counted}"


def _counted(number: int, noun: str, complete: bool) -> str:
    if not complete:
        return f"{number} or more {noun}s"
    return f"{number} {noun}{'s' if number != 1 else ''}"


def change_heading(day: str, what: Sequence[str]) -> str:
    return f"{day}: {join_words(what)} changed"


CHANGED = {"verdict": "the verdict", "cost": "the cheapest cost", "conflicts": "the conflicts"}


def shift_line(name: str, kind: str, says_before: str | None, says_after: str | None) -> str:
    """A position that started, stopped or was superseded on a change day, in its owner's words."""
    if kind == "started":
        return f"starts: {name}: “{says_after}”"
    if kind == "stopped":
        return f"stops: {name}: “{says_before}”"
    return f"superseded: {name}: “{says_before}” → “{says_after}”"


def timeline_summary(days: int, changes: int, undecided: int, dated: bool) -> str:
    """On how many of the `days` positions change (each compared with the day before) the answer changes, and on
    how many that is undecided."""
    if not dated:
        return "No position is dated (valid_from / valid_until): one period, no change over time."
    if not days:
        return "Positions change only on the calendar's first day (0001-01-01): one period, no change over time."
    which = "the one day" if days == 1 else f"the {days} days"
    if undecided == days:
        return f"Whether the answer changes on {which} where positions change is undecided."
    if changes:
        said = f"The answer changes on {which if days == 1 else f'{changes} of {which}'} where positions change"
        return said + (f"; on {undecided} of them, whether it changes is undecided." if undecided else ".")
    if undecided:
        return (f"The answer does not change on {days - undecided} of {which} where positions change; on the "
                f"other {undecided}, whether it changes is undecided.")
    return f"The answer does not change on {which if days == 1 else 'any of ' + which} where positions change."


def undecided_days(days: Sequence[str]) -> str:
    """The days a change cannot be claimed or ruled out: a period before or after them was left undecided."""
    return (f"Undecided whether the answer changes on {join_words(days)}: a period next to "
            f"{'it' if len(days) == 1 else 'each'} was left undecided or not checked, so the two are not compared.")


def stands_at(day: str, span: str | None) -> str:
    """The scenario's own as_of, and the period shown that holds it (None: the run stopped before it)."""
    return f"The scenario says it stands at {day} (its as_of)" + (f", in the period {span}." if span else ".")


CAVEATS = "Caveats"

TIMELINE_UNDECIDED = ("Undecided: the time limit left a period's verdict, conflicts or cheapest cost unknown; "
                      "a change there may be missing (try a larger --time-limit).")
TIMELINE_INTERRUPTED = ("The run was interrupted: the period it stopped in is undecided, and the periods after it "
                        "were not checked.")


def before_and_after(day: str) -> str:
    return f"Before and after {day}"
