"""The words of `feasible readings`: each statement of the matrix and its robust findings, worded once here and used
by every format (cli/readings_view.py)."""

from __future__ import annotations

from collections.abc import Sequence

from .words import join_words

NOT_CHECKED = "not checked"  # a combination the run did not reach (interrupted)
NO_QUESTIONS = ("The scenario declares no questions, so there is one combination: the files as written "
                "(questions and readings: docs/format.md).")


def combinations_line(questions: int, combinations: int) -> str:
    asked = f"{questions} question{'s' if questions != 1 else ''}"
    return f"{asked}, {combinations} combination{'s' if combinations != 1 else ''} of readings"


def of(count: int, total: int, lower_bound: bool) -> str:
    """"4 of 4", or "at least 3 of 4" when some combination's conflicts are not all known."""
    return f"{'at least ' if lower_bound else ''}{count} of {total}"


def conflict_label(number: int) -> str:
    return f"C{number}"


def _who(parties: Sequence[str]) -> str:
    return join_words(parties) or "the modelling assumptions alone"


def conflict_holds(number: int, parties: Sequence[str], count: int, total: int, lower_bound: bool) -> str:
    who = _who(parties)
    return f"conflict {conflict_label(number)} ({who}) holds in {of(count, total, lower_bound)} combinations"


def family_line(number: int, conflicts: Sequence[int], parties: Sequence[str], count: int, total: int,
                lower_bound: bool) -> str:
    members = ", ".join(conflict_label(n) for n in conflicts)
    return (f"family {number} ({members}: {_who(parties)}) holds in {of(count, total, lower_bound)} "
            "combinations")


def party_line(name: str, count: int, total: int, lower_bound: bool) -> str:
    return f"{name} is part of a conflict in {of(count, total, lower_bound)} combinations"


def no_deal_line(no_deal: int, undecided: int, checked: int, total: int) -> str:
    share = f"{round(100 * no_deal / total)}%" if total else "0%"
    line = f"no deal in {share} of the combinations ({no_deal} of {total})"
    if undecided:
        line += f"; {undecided} undecided within the time limit"
    if checked < total:
        line += f"; {total - checked} {NOT_CHECKED}"
    return line


def every_reading_line(status: str, without_deal: int, total: int, optimal: bool) -> str:
    """Whether one deal holds whichever reading one takes (statuses: solver.readings.Everywhere)."""
    if status == "found":
        proof = "the best such deal by the default reading's objective" if optimal else \
            "not proved the best such deal within the time limit"
        return f"a deal holds in every reading ({proof})"
    if status == "none" and without_deal:
        have = "combinations have" if without_deal != 1 else "combination has"
        which = "every combination has" if without_deal == total else f"{without_deal} of {total} {have}"
        return f"no deal holds in every reading: {which} no deal at all"
    if status == "none":
        return ("no deal holds in every reading: each combination has a deal, but no one deal meets the facts and "
                "red lines of them all")
    if status == "undecided":
        return "whether a deal holds in every reading was not decided within the time limit"
    return "whether a deal holds in every reading was not checked (the run was interrupted)"


def lower_bound_note() -> str:
    return ("the conflicts of some combination are not all known (the time limit): the counts are lower "
            "bounds")


INTERRUPTED = "the run was interrupted; the combinations not reached are marked “not checked”"


def cost_shown(cost: int | None, verdict: str) -> str:
    if verdict == "deal":
        return "0"
    return "?" if cost is None else str(cost)
