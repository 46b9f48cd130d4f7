"""Explanations in the parties' own words: conflicts and reasons grouped by party, with an analyst's summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from feasible.positions import Rule, Scenario
from feasible.positions.kinds import for_value
from feasible.positions.model import RuleRef
from feasible.positions.rules.syntax import names


@dataclass(frozen=True)
class Said:
    """One rule as people should read it."""

    name: str  # PARTY/ID or facts/ID
    who: str  # the party's display name, or "Fact"
    says: str
    issues: tuple[str, ...]


def said(scenario: Scenario, name: str) -> Said:
    return said_rule(scenario, rule_named(scenario, name))


def said_rule(scenario: Scenario, rule: Rule) -> Said:
    who = "Fact" if rule.is_fact else scenario.party(rule.owner).name
    return Said(rule.name, who, rule.says, tuple(sorted(names(rule.expr))))


def rule_named(scenario: Scenario, name: str) -> Rule:
    return scenario.rule(name)


def show_value(value: Any) -> str:
    """An issue value as people read it, in its kind's words (positions/kinds.py)."""
    return for_value(value).show(value)


def show_or_dash(value: Any) -> str:
    """A value as shown to users, or "-" where there is none (an issue new or gone in a comparison)."""
    return "-" if value is None else show_value(value)


def percent(value) -> str:
    """A satisfaction as a whole percentage, or "-" for a party without demands."""
    return "-" if value is None else f"{float(value) * 100:.0f}%"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def capitalized(sentence: str) -> str:
    """The first letter upper-case, the rest as written (str.capitalize would lower-case names)."""
    return sentence[:1].upper() + sentence[1:]


def join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def shared_issues(scenario: Scenario, members: Sequence[str]) -> list[str]:
    """The issues the members touch, those touched by two or more first (that is where they collide)."""
    counts: dict[str, int] = {}
    for name in members:
        for issue in said(scenario, name).issues:
            counts[issue] = counts.get(issue, 0) + 1
    shared = [i for i, n in counts.items() if n > 1] or list(counts)
    return sorted(shared, key=lambda i: list(scenario.issues).index(i))


def conflict_summary(scenario: Scenario, red_lines: Sequence[str], facts: Sequence[str]) -> str:
    """One sentence an analyst could write: whose positions collide, and over which issues."""
    owners: list[str] = []
    for name in red_lines:
        who = said(scenario, name).who
        if who not in owners:
            owners.append(who)
    issues = shared_issues(scenario, list(red_lines) + list(facts))
    if not red_lines:
        return _facts_summary(list(facts), issues)
    if len(red_lines) == 1:
        given = f", given {len(facts)} fact{'s' if len(facts) != 1 else ''}" if facts else ""
        if not issues:  # a rule over no issue at all, such as `false`: no fact is needed to contradict it
            return f"{possessive(owners[0])} red line cannot hold: it is impossible in itself."
        return (f"{possessive(owners[0])} red line cannot hold{given}: it rules out every way to settle "
                f"{join_words(issues)}.")
    elif len(owners) == 1:
        head = f"{len(red_lines)} red lines of {owners[0]} cannot {'both' if len(red_lines) == 2 else 'all'} hold"
    else:
        head = f"The red lines of {join_words(owners)} cannot {'both' if len(red_lines) == 2 else 'all'} hold"
    given = f", given {len(facts)} fact{'s' if len(facts) != 1 else ''} about how the world works" if facts else ""
    return f"{head}{given}: they collide over {join_words(issues)}."


def left_out_line(scenario: Scenario, left_out: Sequence[str]) -> str:
    """Why a fair deal's lowest satisfaction leaves some parties out (their satisfaction is 0 in every deal)."""
    names = join_words([scenario.party(party_id).name for party_id in left_out])
    return f"Fair deal: {names} cannot be satisfied by any deal, so fairness is measured over the other parties."


def _facts_summary(facts: list[str], issues: list[str]) -> str:
    """Facts that leave no deal at all: one impossible fact, or several that contradict each other."""
    over = f" over {join_words(issues)}" if issues else ""
    if len(facts) == 1:
        meets = f": no way to settle {join_words(issues)} meets it" if issues else ""
        return f"The fact {facts[0]} is impossible in itself{meets}, so no deal is possible whatever the parties want."
    return f"The facts contradict each other{over}: no deal is possible whatever the parties want."


def reason_summary(scenario: Scenario, question: str, red_lines: Sequence[str], facts: Sequence[str]) -> str:
    """Why a target is impossible, in one sentence (the red lines and facts hold without it)."""
    owners: list[str] = []
    for name in red_lines:
        who = said(scenario, name).who
        if who not in owners:
            owners.append(who)
    parts = []
    if owners:
        parts.append(f"the red line{'s' if len(red_lines) != 1 else ''} of {join_words(owners)}")
    if facts:
        parts.append(f"{len(facts)} fact{'s' if len(facts) != 1 else ''} about how the world works")
    if not parts:
        return f"{question} is impossible in itself."
    return f"{question} is ruled out by {join_words(parts)}."


def _cause(interrupted: bool) -> tuple[str, str]:
    """What stopped a search early, and the advice that goes with it."""
    return ("the interruption", "") if interrupted else ("the time limit", "; a longer --time-limit gives it time")


def conflicts_extent(found: int, complete: bool, cut_by_time: bool, interrupted: bool = False) -> str:
    """How far the list of conflicts goes, and what would lengthen it."""
    if complete:
        return "all of them"
    if not cut_by_time and not interrupted:
        return "there may be more: --all-conflicts lists them all"
    cause, advice = _cause(interrupted)
    more = "at least one exists, since there is no deal" if not found else "there may be more"
    return f"{more}: {cause} cut the search short{advice}"


def opened_deal_unproved(interrupted: bool = False) -> str:
    """Why the deal a relaxation opens may not be the best it opens (each gets a share of the time limit, so on a
    large scenario it often is not proved)."""
    return "not proved the best one it opens: " + (
        "the run was interrupted" if interrupted else "the time limit cut its search short")


def opens_a_deal(satisfied: str, optimal: bool, interrupted: bool = False) -> str:
    """The line under a relaxation: the deal it opens, and whether that deal was proved the best it opens."""
    proof = "" if optimal else f" ({opened_deal_unproved(interrupted)})"
    return f"opens a deal{proof}" + (f"; satisfaction: {satisfied}" if satisfied else "")


def opened_deal_not_found(interrupted: bool = False) -> str:
    """A relaxation is verified (giving up its red lines leaves a deal), but the best such deal was not found."""
    ran_out = "the run was interrupted" if interrupted else "the time limit ran out"
    return f"opens a deal (verified), but {ran_out} before the best one was found: check --drop with these red " \
           "lines shows it"


def conflicts_count(found: int) -> str:
    """How many conflicts are listed: "none found" rather than 0, which would read as "there is none"."""
    return str(found) if found else "none found"


def optimality(optimal: bool, gap: float | None, interrupted: bool = False, objective: str = "fair") -> str:
    """How far the deal shown is known to be from the best one for the objective. A gap of 1 (or none) means
    nothing is known: it is not shown as "at most 100% below". Nash's gap is measured on the sum of the
    logarithms of the satisfactions (docs/check.md), not on their product: said so, not read as a share of it."""
    if optimal:
        return "proved best"
    found = "best found before the interruption" if interrupted else "best found within the time limit"
    if gap is not None and gap < 1 and objective == "nash":
        return f"{found}, not proved best; its gap to the best possible is {gap:.1%} on the logarithms of the " \
               "satisfactions"
    if gap is not None and gap < 1:
        return f"{found}, not proved best; at most {gap:.1%} below the best possible"
    return f"{found}, not proved best; how far below the best possible it is, is not known"


def undecided(interrupted: bool = False) -> str:
    """Why the verdict is UNKNOWN, and what would decide it."""
    if interrupted:
        return "the run was interrupted before a deal was found or ruled out"
    return "the time limit ran out before a deal was found or ruled out; try a longer --time-limit"


def list_cut_short(interrupted: bool = False) -> str:
    """A list (of unreachable demands) that the time limit or an interruption left incomplete."""
    return f"{_cause(interrupted)[0]} cut this list short"


def tied_cheapest(costs: Sequence[int]) -> str | None:
    """When several ways listed cost as little as the first, the first is first by name, not by merit: the words
    that say so (None when the first is the only cheapest)."""
    ties = sum(1 for cost in costs if cost == costs[0]) if costs else 0
    if ties <= 1:
        return None
    which = "ways 1 and 2 both" if ties == 2 else f"ways 1 to {ties} all"
    return f"{which} cost {costs[0]}; they are listed by name, not ranked"


def first_way_deal(costs: Sequence[int]) -> str:
    """Names the deal shown after the list of relaxations (their costs, cheapest first), with the ties."""
    tie = tied_cheapest(costs)
    return "the deal the cheapest way opens" if tie is None else f"the deal way 1 opens ({tie})"


#: Shown instead of relaxations when the facts alone contradict each other.
FACTS_ALONE = "No red line can be given up to open a deal: the facts alone leave none."


def facts_alone_leave_no_deal(result) -> bool:
    return not result.relaxations and any(not c.red_lines for c in result.conflicts)


def red_lines_then_facts(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """The one order of the rules behind a conflict or a reason, in every format: the parties' red lines, by
    party, then the facts."""
    ordered = sorted(names)
    facts = {n for n in ordered if RuleRef.parse(n).is_fact}
    return [n for n in ordered if n not in facts], [n for n in ordered if n in facts]


def relaxations_cut_short(found: int, interrupted: bool = False) -> str:
    """The line every format shows when the search for relaxations was cut short or had no time at all."""
    cause, advice = _cause(interrupted)
    if found:
        return f"{cause.capitalize()} cut the search for relaxations short: there may be more{advice}."
    return f"No relaxation found: {cause} cut the search for them short{advice}."


def verdict_word(verdict: str) -> str:
    """The verdict in one or two words, as every format heads the answer with it."""
    return {"deal": "DEAL", "no-deal": "NO DEAL"}.get(verdict, "UNKNOWN")


def verdict_sentence(verdict: str, objective: str, proof: str | None, interrupted: bool = False) -> str:
    """What the verdict means, with how far the deal shown is known to be from the best (`proof`, from
    optimality)."""
    if verdict == "deal":
        return f"a package deal every party accepts exists ({objective} objective, {proof})"
    if verdict == "no-deal":
        return "no package deal satisfies every party's red lines and the facts"
    return undecided(interrupted)


#: Said under a deal in which some issue is shown by its open values ("any of …").
OPEN_VALUES = ("An issue shown as “any of …” can take any of those values and no party's satisfaction changes: each "
               "issue is varied alone, the rest of the deal as shown, and every fact and red line still holds. Where "
               "one value is needed (the JSON's value), the deal takes the one closest to the issue's status quo, "
               "else its first value")


#: Said under the verdict after Ctrl-C, in every format.
RUN_INTERRUPTED = "the run was interrupted; what follows is what was found so far"


def forced_line(forced: Sequence[str], issues: int) -> str:
    """The issues every deal settles the same way, out of all of them (names as the format marks them)."""
    return f"Forced in every deal: {len(forced)} of {issues} issues" + (f" ({', '.join(forced)})" if forced else "")


def unreachable_heading(found: int, complete: bool, interrupted: bool = False) -> str:
    """The heading of the demands no deal can meet: "none found" only when the search was not cut short would
    read as "there is none", so a cut-short list says so whatever it holds."""
    none = "" if found else ": none found"
    cut = "" if complete else f" ({list_cut_short(interrupted)})"
    return f"Demands no deal can meet{none}{cut}"


def conflicts_heading(found: int, complete: bool, cut_by_time: bool, interrupted: bool = False) -> str:
    return f"Conflicts: {conflicts_count(found)} ({conflicts_extent(found, complete, cut_by_time, interrupted)})"


def relaxation_opens(satisfied: str | None, optimal: bool, interrupted: bool = False) -> str:
    """What giving up a relaxation's red lines opens: its deal (`satisfied`, the parties' satisfaction in it, and
    whether it was proved the best it opens), or, when its deal was not found in time (`satisfied` None), that
    one exists."""
    if satisfied is None:
        return opened_deal_not_found(interrupted)
    return opens_a_deal(satisfied, optimal, interrupted)


def give_up_line(count: int, cost: int) -> str:
    return f"Give up {count} red line{'s' if count != 1 else ''}, cost {cost}"


def explain_question(kind: str, issue: str | None, value: Any, who: str | None, says: str | None,
                     demand: str | None) -> str:
    """What `explain` was asked, as the answer names it."""
    if kind == "demand":
        assert who is not None  # (the question about a demand names its party)
        return f"{possessive(who)} demand “{says}” ({demand})"
    if kind == "value":
        return f"{issue} = {show_value(value)}"
    return issue or ""


def explain_answer(kind: str, question: str, issue: str | None, *, decided: bool, any_deal: bool, possible: bool,
                   witness_value: Any = None, forced_value: Any = None) -> str:
    """The answer of `explain` in one sentence; when the target is ruled out it ends in a colon, before the
    red lines and facts that rule it out."""
    if not decided:
        return f"UNDECIDED: the time limit ran out before {question} was settled; try a longer --time-limit."
    if not any_deal:
        return "There is no deal at all, so nothing can be met; run 'feasible check' to see the conflicts."
    if possible:
        if kind == "forced":
            return (f"{issue} is not forced: deals settle it in more than one way, e.g. "
                    f"{show_value(witness_value)}.")
        return f"A deal can {'meet' if kind == 'demand' else 'have'} {question}, e.g. this one:"
    if kind == "forced":
        return f"Every deal settles {issue} = {show_value(forced_value)}; any other value is ruled out by:"
    if kind == "demand":
        return f"No deal can meet {question}; it is ruled out by:"
    return f"No deal has {question}; it is ruled out by:"


def reason_subject(kind: str, question: str, issue: str | None, forced_value: Any) -> str:
    """What a reason rules out, as its summary names it: for a forced issue, every other value."""
    if kind == "forced":
        return f"Any value of {issue} other than {show_value(forced_value)}"
    return question


def without_the_edits(asked: str) -> str:
    return f"Without the edits ({asked}):"


def edits_heading(asked: str) -> str:
    return f"What the edits change ({asked}), against the files as they are"
