"""The words of `feasible sweep`: each statement of a sweep (the deal probability, the most robust deal, the drivers,
the conflicts, the shares, the costs, the uncertain items), worded once here and used by every format
(cli/sweep_view.py)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .readings_words import conflict_label  # (the conflicts across samples are labelled as across readings)
from .words import join_words, possessive


def count(n: int) -> str:
    """A count as people read it: 10,000."""
    return f"{n:,}"


def samples(n: int) -> str:
    return f"{count(n)} sample{'s' if n != 1 else ''}"


def share(fraction: float) -> str:
    """A probability or share as a percentage with one decimal: 62.3 %."""
    return f"{100 * fraction:.1f} %"


def exact_shown(value: Fraction) -> str:
    """An exact probability as a fraction: 7/10 (0 and 1 as themselves)."""
    return str(value)


def of_total(n: int, total: int) -> str:
    """'1,234 of 3,000 (41.1 %)'."""
    return f"{count(n)} of {count(total)} ({share(n / total) if total else share(0.0)})"


# -- the deal probability ---------------------------------------------------------------------------------------------

def probability_line(estimate: float, low: float, high: float, confidence: float, decided: int) -> str:
    """'a deal exists in 62.3 % of 10,000 samples (95 % interval 61.4–63.3 %)'."""
    return (f"a deal exists in {share(estimate)} of {samples(decided)} ({confidence_shown(confidence)} interval "
            f"{100 * low:.1f}–{share(high)})")


def confidence_shown(confidence: float) -> str:
    """0.95 → '95 %', 0.999 → '99.9 %'."""
    return f"{100 * confidence:.10g} %"


NONE_DECIDED = "no sample was decided within the time limit, so there is no estimate of the deal probability"


def exact_line(probability: Fraction, combinations: int) -> str:
    over = "the one combination" if combinations == 1 else f"all {count(combinations)} combinations"
    return (f"exactly, over {over} of the uncertain items: a deal exists with probability "
            f"{share(float(probability))} ({exact_shown(probability)})")


def exact_not_computed(reason: str) -> str:
    return f"the exact probability was not computed: {reason}"


NO_ITEMS = ("the scenario has no uncertain item (no `firm:` below 1, no weight range, no reading with `p:`): every "
            "sample is the scenario as written")


def edits_line(edits: Sequence[str]) -> str:
    return f"With the what-if edits {', '.join(edits)}, in every sample."


def partial_line(done: int, asked: int) -> str:
    return f"partial: {count(done)} of {samples(asked)} (the run was interrupted; the estimates are over those done)"


def undecided_line(n: int) -> str:
    were, are = ("was", "is") if n == 1 else ("were", "are")
    return f"{samples(n)} {were} undecided within the time limit and {are} left out of every estimate"


def conflicts_cut_line(n: int, limit: int) -> str:
    return (f"{samples(n)} had more than {limit} conflicts: {'its' if n == 1 else 'their'} conflicts are not in the "
            "conflict counts or the shares")


def conflicts_unknown_line(n: int) -> str:
    return (f"the conflicts of {samples(n)} are not all known (the time limit): "
            f"{'its' if n == 1 else 'their'} conflicts are not in the conflict counts or the shares")


def cost_unknown_line(n: int) -> str:
    return f"the cheapest relaxation's cost is unknown in {samples(n)} (the time limit)"


def facts_conflict_line(n: int) -> str:
    return f"in {samples(n)} the facts alone cannot all hold (no red line is part of that conflict)"


# -- the most robust deal ---------------------------------------------------------------------------------------------

ROBUST_HEADING = "The most robust deal"
BOUNDED_HEADING = "The most probable deal found (not proved the most robust)"


def robust_heading(status: str) -> str:
    """A bounded answer is the best found, not proved the best: its heading must not call it the most robust."""
    return BOUNDED_HEADING if status == "bounded" else ROBUST_HEADING


SATISFACTION_CAPTION = "Satisfaction in this deal (weight of demands met)"
VALUES_CAPTION = "Its values"
PARTY_COLUMNS = ("Party", "Satisfied")
ESTIMATE_SAMPLED = "all samples"
ESTIMATE_EXACT = "exactly"


def robust_line(status: str, probability: Fraction, bound: Fraction, gambles: int) -> str:
    """What the most robust deal is (statuses: solver.robust.RobustStatus)."""
    bets = (f"it gambles on {gambles} red line{'s' if gambles != 1 else ''} giving way" if gambles
            else "it breaks no uncertain red line")
    if status == "found":
        return (f"the most robust deal is accepted by every party with probability {share(float(probability))} "
                f"({exact_shown(probability)}); {bets}")
    if status == "bounded":
        return (f"the most robust deal found is accepted by every party with probability "
                f"{share(float(probability))} ({exact_shown(probability)}); no deal is accepted with a probability "
                f"above {share(float(bound))} ({exact_shown(bound)}); {bets}")
    if status == "no-deal":
        return ("there is no deal even if every uncertain red line gives way: the sure red lines and the facts "
                "conflict")
    return "the most robust deal was not computed"


ROBUST_OPEN_VALUES = ("An issue shown as “any of …” can take any of those values and the deal's probability does not "
                      "change: each issue is varied alone, the rest of the deal as shown, and in every combination of "
                      "the uncertain items the same red lines hold, the same ones are gambled on, the deal fails "
                      "where it failed, and no party's satisfaction as shown changes. Where one value is needed (the "
                      "JSON's value), the deal takes the one closest to the issue's status quo, else its first value")


def combination_words(values: Sequence[tuple[str, str, str]]) -> str:
    """A combination of conditioning items' values, (kind, name, value): 'reading q1 of qq, x/r0 giving way'."""
    said = {"reading": lambda name, value: f"reading {value} of {name}",
            "firmness": lambda name, value: f"{name} {'holding' if value == 'holds' else 'giving way'}",
            "weight": lambda name, value: f"{name} weighing {value}"}
    return join_words([said.get(kind, lambda n, v: f"{n} = {v}")(name, value) for kind, name, value in values])


def under_line(values: Sequence[tuple[str, str, str]], probability: Fraction) -> str:
    """The combination the most robust deal's values and satisfaction are shown in."""
    return (f"its values and the parties' satisfaction are shown as under {combination_words(values)} (probability "
            f"{share(float(probability))}, {exact_shown(probability)}), the combination it was found in")


def fails_line(values: Sequence[tuple[str, str, str]], probability: Fraction) -> str:
    """A combination in which the most robust deal is not accepted, whatever gives way: part of what its
    probability rests on, besides its gambles."""
    return (f"it is not accepted under {combination_words(values)} (probability {share(float(probability))}, "
            f"{exact_shown(probability)})")


def robust_not_computed(reason: str | None) -> str:
    return f"the most robust deal was not computed: {reason}" if reason else "the most robust deal was not computed"


def gamble_line(who: str, name: str, holds: Fraction) -> str:
    """A red line the most robust deal breaks: a bet that it gives way."""
    return (f"{possessive(who)} red line {name} gives way (it holds with probability {share(float(holds))}, "
            f"{exact_shown(holds)})")


# -- the uncertain items ----------------------------------------------------------------------------------------------

ITEMS_HEADING = "Uncertain items"
KIND_WORDS = {"firmness": "red line", "weight": "demand weight", "reading": "question"}


def item_line(kind: str, name: str, who: str | None, values: Sequence[tuple[str, Fraction]]) -> str:
    """'red line russia/no-troops (Russia): holds 90.0 % (9/10), gives way 10.0 % (1/10)'."""
    owner = f" ({who})" if who else ""
    chances = ", ".join(f"{label} {share(float(p))} ({exact_shown(p)})" for label, p in values)
    return f"{KIND_WORDS.get(kind, kind)} {name}{owner}: {chances}"


# -- the drivers ------------------------------------------------------------------------------------------------------

DRIVERS_HEADING = "What drives the deal probability"
def drivers_note(exact: bool) -> str:
    """What the sensitivity table shows: exact conditional probabilities when the enumeration ran, else sampled."""
    if exact:
        return ("each uncertain item with the exact deal probability given each of its values (from the exact "
                "enumeration, so no sampling noise), the widest exact swing first")
    return ("each uncertain item with the deal probability among the samples where it takes each value, the widest "
            "swing first; a swing marked within sampling noise may be noise alone (the intervals of its lowest and "
            "highest value overlap)")


WITHIN_NOISE = "within sampling noise"
EVERY_VALUE = "every value"  # an item whose exact swing is 0: the same deal probability whatever its value


def swing_cell(swing: float, significant: bool) -> str:
    return share(swing) if significant else f"{share(swing)} ({WITHIN_NOISE})"


NO_DRIVERS = "no uncertain item changes the deal probability in these samples"


# -- conflicts, shares and costs --------------------------------------------------------------------------------------

CONFLICTS_HEADING = "Conflicts in the samples without a deal"
FAMILIES_HEADING = "Families (conflicts sharing red lines)"
SHARES_HEADING = "Each red line's share in the conflicts"
COSTS_HEADING = "The cheapest relaxation's cost"


def _who(parties: Sequence[str]) -> str:
    return join_words(parties) or "the modelling assumptions alone"


def conflict_line(number: int, parties: Sequence[str], n: int, no_deals: int) -> str:
    return (f"conflict {conflict_label(number)} ({_who(parties)}) appears in {of_total(n, no_deals)} samples "
            "without a deal")


def family_line(number: int, conflicts: Sequence[int], parties: Sequence[str]) -> str:
    members = ", ".join(conflict_label(c) for c in conflicts)
    return f"family {number}: {members} ({_who(parties)}) share red lines"


def red_line_share(who: str, name: str, n: int, no_deals: int) -> str:
    return f"{possessive(who)} red line {name} is in a conflict in {of_total(n, no_deals)} samples without a deal"


def cost_line(cost: int, n: int, no_deals: int) -> str:
    return f"cost {cost}: {of_total(n, no_deals)} samples without a deal"


def no_deal_summary(no_deals: int, decided: int) -> str:
    return f"no deal in {of_total(no_deals, decided)} decided samples"


# -- progress ---------------------------------------------------------------------------------------------------------

def progress_line(done: int, total: int, seconds_left: float | None) -> str:
    """'sweep: 4,200 of 10,000 samples, about 3 s left (Ctrl-C stops and shows the samples done)'."""
    left = f", about {seconds_shown(seconds_left)} left" if seconds_left is not None else ""
    return f"sweep: {count(done)} of {samples(total)}{left} (Ctrl-C stops and shows the samples done)"


def seconds_shown(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


# -- bad options ------------------------------------------------------------------------------------------------------

def bad_confidence(text: str) -> str:
    return f"{text} is not a confidence: give a number between 0 and 1, both excluded (e.g. 0.95 or 0.99)"
