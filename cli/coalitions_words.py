"""The words of `feasible coalitions`: each statement about the maximal coalitions, the blocking groups and a chosen
coalition's sub-agreement, worded once here and used by every format (cli/coalitions_view.py).

The statements that open a line are returned ready to show: a word of ours starts with a capital, a party's name
or id stays as written (an id such as `eu` capitalised would name no party)."""

from __future__ import annotations

from collections.abc import Sequence

from .words import capitalized, join_words

MAXIMAL_HEADING = "Maximal coalitions (no party can join them and keep a deal)"
BLOCKING_HEADING = "Blocking groups (no deal among them, a deal without any one of them)"
SETTLED_HEADING = "Settled by the coalition"
OPEN_HEADING = "Left open for the parties outside"
COMPLETION_HEADING = "A completion every party considered accepts"
SUB_CONFLICT_HEADING = "Why the parties outside cannot accept it"
SUB_BLOCKING_HEADING = "The groups inside the coalition that block it"
BEST_DEAL_HEADING = "The coalition's best deal"
SETTLED_VALUE_WHO = "Sub-agreement"  # who "says" a settled value in a conflict: the coalition's agreement
PICTURE_HEADING = "The coalitions"
LEGEND_DEAL = "has a deal"
LEGEND_BLOCKED = "no deal"
LEGEND_UNKNOWN = "not decided"
LEGEND_MAXIMAL = "maximal coalition"
LEGEND_BLOCKING = "blocking group"
NOTHING = "none"
NO_BLOCKING_GROUP = "No blocking group: every party considered can agree"


def _who(names: Sequence[str]) -> str:
    return join_words(list(names))


def _parties(count: int) -> str:
    return f"{count} part{'ies' if count != 1 else 'y'}"


def _count(count: int, thing: str) -> str:
    return f"no {thing}" if not count else f"{count} {thing}{'s' if count != 1 else ''}"


def considered_line(names: Sequence[str], included: Sequence[str], excluded: Sequence[str]) -> str:
    """Which parties the answer is about: all of them, or those left after --exclude, and the ones --include
    makes members of every coalition listed."""
    line = f"{_parties(len(names))} considered: {_who(names) or 'none'}"
    if excluded:
        line += f" ({_who(excluded)} left out)"
    if included:
        line += f"; only coalitions that include {_who(included)}"
    return line


def verdict_line(verdict: str, maximal: int, blocking: int, interrupted: bool) -> str:
    """How complete the answer is (verdicts: solver.coalitions.CoalitionVerdict)."""
    counted = f"{_count(maximal, 'maximal coalition')} and {_count(blocking, 'blocking group')}"
    if verdict == "no-facts":
        return "The facts alone cannot hold, so no coalition has a deal"
    if verdict == "found":
        return capitalized(f"{counted}, all found and each verified")
    cause = "The run was interrupted" if interrupted else "The time limit cut the search short"
    listed = [_count(n, thing) for n, thing in ((maximal, "maximal coalition"), (blocking, "blocking group")) if n]
    if not listed:
        return f"{cause} before any maximal coalition or blocking group was verified"
    verb = "is" if maximal + blocking == 1 else "are"
    return f"{cause}: the {' and '.join(listed)} listed {verb} verified, and there may be more"


def maximal_line(names: Sequence[str], left_out: Sequence[str]) -> str:
    if not names:
        return "No party can agree even alone: every party's red lines rule out every deal"
    if not left_out:
        return f"All {_parties(len(names))} considered can agree: {_who(names)}"
    return f"{_who(names)} can agree without {_who(left_out)}"


def blocking_line(names: Sequence[str], included: Sequence[str]) -> str:
    if not names:  # the facts alone, as the group inside a coalition when they cannot hold
        return "The facts alone cannot hold, whoever agrees"
    if included:
        return f"{_who(names)} cannot join {_who(included)}: no deal meets all their red lines"
    if len(names) == 1:
        return f"{names[0]} cannot agree even alone: no deal meets its red lines and the facts"
    return f"{_who(names)} cannot agree together, though any smaller group of them can"


def included_alone_line(included: Sequence[str]) -> str:
    """--include names parties that have no deal even among themselves."""
    return (f"No coalition includes {_who(included)}: they have no deal even among themselves (the blocking groups "
            "below are among them)")


def sub_line(names: Sequence[str], has_deal: bool, settled: int, issues: int, outsiders: Sequence[str],
             complete: bool, interrupted: bool = False) -> str:
    """What a chosen coalition can sign without the others."""
    coalition = _who(names) or "No party"
    if not has_deal:
        if not complete:
            within = "before the run was interrupted" if interrupted else "within the time limit"
            return f"Whether {_who(names) or 'no party'} can agree was not decided {within}"
        if len(names) == 1:
            return f"{coalition} has no deal even alone, so there is no sub-agreement"
        return f"{coalition} have no deal among themselves, so there is no sub-agreement"
    if not outsiders:
        return f"{coalition} are every party considered: their sub-agreement is the whole deal"
    if not settled:
        return (f"{coalition} can agree, but every issue needs the consent of a party outside the coalition "
                f"(consent scopes): {'it settles' if len(names) == 1 else 'they settle'} none")
    return (f"{coalition} can agree and settle {settled} of {issues} issues; "
            f"{issues - settled} stay{'s' if issues - settled == 1 else ''} open for {_who(outsiders)}")


def outsiders_line(outsiders: Sequence[str], accept: bool | None, complete: bool, interrupted: bool) -> str:
    """Whether the parties outside the coalition can accept some completion of its sub-agreement."""
    who = _who(outsiders)
    if accept is True:
        return f"{who} can accept a completion of the sub-agreement: one deal keeps its values and meets every red line"
    if accept is False:
        if len(outsiders) == 1:
            return (f"{who} cannot accept any completion of the sub-agreement: its values and their red lines "
                    "cannot all hold")
        return (f"{who} cannot all accept one completion of the sub-agreement: its values and their red lines "
                "cannot all hold (the conflict below names whose)")
    cause = "the run was interrupted" if interrupted else "the time limit"
    return f"Whether {who} can accept a completion of the sub-agreement was not decided ({cause})"


def reach_line(names: Sequence[str], outsiders: Sequence[str], completable: bool) -> str:
    """When the parties outside cannot accept the best sub-agreement (nor any as good for the coalition): whether
    some other sub-agreement of the coalition can be completed."""
    if completable:
        return (f"Another sub-agreement can be completed, though it is less good for {_who(names)}: the best deal "
                "for them that every party considered accepts settles the values below")
    return (f"No sub-agreement of {_who(names)} can be completed, whatever it settles: {_who(outsiders)} "
            f"{'has' if len(outsiders) == 1 else 'have'} no deal together with {_who(names)}. The conflict above "
            "is one reason; each group below is one (what must change for any sub-agreement to be completed)")


def alternative_satisfied(alternative: str, best: str) -> str:
    """What the coalition's members get in the deal every party accepts, against their best deal."""
    return f"The coalition in that deal: {alternative} (in its best deal: {best})"


def also_conflict(summary: str) -> str:
    """Another conflict among a blocking group's red lines (each would have to be resolved)."""
    return f"Also: {summary.rstrip('.')}."


def not_canonical_line(interrupted: bool, settled: bool) -> str:
    """The choice of the coalition's best deal (its objective or the canonical tie-breaking) was cut short; `settled`:
    the coalition settles issues (their values come from that deal)."""
    cause = "The run was interrupted during" if interrupted else "The time limit cut short"
    what = "the settled values meet" if settled else "the deal shown meets"
    return (f"{cause} the choice of the coalition's best deal: {what} its red lines and the facts, but may not be "
            f"its best {'sub-agreement' if settled else 'deal'} nor the first of equally good ones")


def sub_conflict_summary(outsiders: Sequence[str], settled: Sequence[str], facts: int,
                         members: Sequence[str] = ()) -> str:
    """One sentence for the conflict between a sub-agreement and the red lines of the parties outside (members:
    the members whose own red lines are part of it, binding the issues left open)."""
    given = f", given {facts} modelling assumption{'s' if facts != 1 else ''}" if facts else ""
    ours = f"the coalition's own red lines ({_who(members)})" if members else ""
    if not settled and not members:
        against = "with the facts" if facts else "on their own"
        return f"the red lines of {_who(outsiders)} cannot hold {against}, whatever the sub-agreement settles"
    if not settled:
        return f"the red lines of {_who(outsiders)} collide with {ours}{given}, whatever the sub-agreement settles"
    values = f"the sub-agreement's value{'s' if len(settled) != 1 else ''} of {join_words(list(settled))}"
    if members:
        values = f"{values} and {ours}"
    if not outsiders:
        return f"{values} cannot hold{given}"
    agrees = "s" if len(settled) == 1 and not members else ""
    return f"{values} collide{agrees} with the red lines of {_who(outsiders)}{given}"


def settled_value(label: str, shown: str) -> str:
    return f"{label} = {shown}"


def coalition_label(index: int) -> str:
    return f"M{index}"


def group_label(index: int) -> str:
    return f"B{index}"


def inside_group_label(index: int) -> str:
    """A blocking group inside a chosen coalition without a deal (numbered apart from the scenario's B1, B2, …)."""
    return f"C{index}"


def outside_group_label(index: int) -> str:
    """A group of parties outside a chosen coalition that cannot join it."""
    return f"O{index}"


# -- the command line's own errors ---------------------------------------------------------------------------------

def bad_coalition(text: str) -> tuple[str, str]:
    return (f"--coalition '{text}': expected party ids separated by commas",
            "e.g. --coalition europe,us,ukraine (see the ids with: feasible validate)")


def coalition_given_twice(given: Sequence[str]) -> tuple[str, str]:
    members = ",".join(dict.fromkeys(",".join(given).split(",")))
    return (f"--coalition given {len(given)} times ({', '.join(given)}): a run asks about one chosen coalition",
            f"name every member in one --coalition, e.g. --coalition {members}")


def repeated_in_coalition(party: str) -> tuple[str, str]:
    return (f"--coalition names '{party}' twice", "name each party once")


def excluded_in_coalition(party: str) -> tuple[str, str]:
    return (f"'{party}' is both in --coalition and excluded with --exclude",
            "a coalition is made of the parties considered: drop one of the two")
