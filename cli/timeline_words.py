"""What `feasible timeline` says, worded once (the rest of feasible's wording is in cli/words.py)."""

from __future__ import annotations

from collections.abc import Sequence

from .words import join_words, verdict_word


def period_span(start: str | None, end: str | None) -> str:
    """The days a period covers: from its first day until the next change (exclusive)."""
    if start is None:
        return "all along (no position is dated)"
    return f"from {start}" + (f" until {end}" if end else " on")


def period_answer(verdict: str, cost: int | None, conflicts: int, disputes: int | None) -> str:
    """A period's answer in one line: the verdict, then without a deal how far it is from one."""
    if verdict != "no-deal":
        return verdict_word(verdict)
    cheapest = "cheapest way unknown" if cost is None else f"cheapest way costs {cost}"
    counted = f"{conflicts} conflict{'s' if conflicts != 1 else ''}"
    if disputes is not None:
        counted += f" in {disputes} dispute{'s' if disputes != 1 else ''}"
    return f"{verdict_word(verdict)}; {cheapest}; {counted}"


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


def timeline_summary(periods: int, changes: int, dated: bool) -> str:
    if not dated:
        return "No position is dated (valid_from / valid_until): one period, no change over time."
    if not changes:
        return f"The answer is the same in all {periods} periods where positions change."
    later = periods - 1
    days = "day" if later == 1 else "days"
    return f"The answer changes on {changes} of the {later} later {days} where positions change."


def stands_at(day: str) -> str:
    return f"The scenario says it stands at {day} (its as_of)."


TIMELINE_UNDECIDED = ("Undecided: the time limit left a period's verdict, conflicts or cheapest cost unknown; "
                      "a change there may be missing (try a larger --time-limit).")
TIMELINE_INTERRUPTED = "The run was interrupted; the periods after the last shown were not checked."


def before_and_after(day: str) -> str:
    return f"Before and after {day}"
