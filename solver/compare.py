"""Before and after: how the answer changes between a baseline and an edited (or newer) scenario."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .result import CheckResult, Room, Verdict


@dataclass(frozen=True)
class IssueChange:
    issue: str
    before: Any  # the value in the best deal before (None when there was no deal)
    after: Any
    room_before: Room | None
    room_after: Room | None


@dataclass(frozen=True)
class Comparison:
    verdict_before: Verdict
    verdict_after: Verdict
    conflicts_resolved: tuple[tuple[str, ...], ...]  # red-line sets that no longer conflict
    conflicts_remaining: tuple[tuple[str, ...], ...]
    conflicts_new: tuple[tuple[str, ...], ...]
    # listed on one side only while the other side's list is incomplete: neither resolved nor new, as far as known
    conflicts_unlisted_after: tuple[tuple[str, ...], ...]
    conflicts_unlisted_before: tuple[tuple[str, ...], ...]
    issues_changed: tuple[IssueChange, ...]  # value in the best deal, its open values, or room, differs
    satisfaction: dict[str, tuple[Fraction | None, Fraction | None]]  # party → (before, after)
    distance_before: Distance
    distance_after: Distance


@dataclass(frozen=True)
class Distance:
    """How far an answer is from a deal, so that "no deal → no deal" can still show progress: the cost of the
    cheapest relaxation (0 with a deal) and the number of disputes (0 with a deal)."""

    cost: int | None  # None: not known (undecided, the search cut short, or the facts alone leave no deal)
    disputes: int | None  # None: not known (undecided)
    disputes_complete: bool = True  # False: the conflicts listed are not all there are (there may be more)


def _room_key(room: Room | None):
    if room is None:
        return None
    return (room.possible, room.minimum, room.maximum, room.in_every_deal, room.in_no_deal)


def distance(result: CheckResult) -> Distance:
    if result.verdict is Verdict.DEAL:
        return Distance(0, 0)
    if result.verdict is not Verdict.NO_DEAL:
        return Distance(None, None, False)
    # The relaxations are found cheapest first, so the first is a cheapest one; none found means none is known.
    cheapest = result.relaxations[0].cost if result.relaxations else None
    return Distance(cheapest, len(result.disputes), result.conflicts_complete)


def _all_conflicts_known(result: CheckResult) -> bool:
    """With a deal there is no conflict at all; without, the list must be proved complete."""
    return result.verdict is Verdict.DEAL or result.conflicts_complete


def compare(before: CheckResult, after: CheckResult) -> Comparison:
    old = [c.red_lines for c in before.conflicts]
    new = [c.red_lines for c in after.conflicts]
    changed = []
    issues = list(dict.fromkeys(list(before.deal.values if before.deal else ()) +
                                list(after.deal.values if after.deal else ()) +
                                list(before.room) + list(after.room)))
    for issue in issues:
        value_before = before.deal.values.get(issue) if before.deal else None
        value_after = after.deal.values.get(issue) if after.deal else None
        room_before, room_after = before.room.get(issue), after.room.get(issue)
        open_before = before.deal.open.get(issue) if before.deal else None
        open_after = after.deal.open.get(issue) if after.deal else None
        if (value_before != value_after or _room_key(room_before) != _room_key(room_after)
                or open_before != open_after):  # (the same value can go from one of many to the only one)
            changed.append(IssueChange(issue, value_before, value_after, room_before, room_after))
    sat_before = before.deal.satisfaction() if before.deal else {}
    sat_after = after.deal.satisfaction() if after.deal else {}
    parties = list(dict.fromkeys(list(sat_before) + list(sat_after)))
    # A conflict missing from a list that is not known to be complete may just not have been listed: it is called
    # resolved (or new) only when the other side's list holds every conflict.
    gone, came = [c for c in old if c not in new], [c for c in new if c not in old]
    known_before, known_after = _all_conflicts_known(before), _all_conflicts_known(after)
    return Comparison(
        before.verdict, after.verdict,
        tuple(gone) if known_after else (), tuple(c for c in old if c in new), tuple(came) if known_before else (),
        () if known_after else tuple(gone), () if known_before else tuple(came),
        tuple(changed), {p: (sat_before.get(p), sat_after.get(p)) for p in parties}, distance(before),
        distance(after))
