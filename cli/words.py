"""Explanations in the parties' own words: conflicts and reasons grouped by party, with an analyst's summary."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from dataclasses import dataclass
from typing import Any

from feasible.positions import Rule, Scenario
from feasible.positions.kinds import for_value
from feasible.positions.model import RuleRef, Source
from feasible.positions.rules.syntax import names


@dataclass(frozen=True)
class Said:
    """One rule as people should read it."""

    name: str  # PARTY/ID or facts/ID
    who: str  # the party's display name, or "Fact"
    says: str
    issues: tuple[str, ...]
    rule: str = ""  # the rule, as the rule printer prints it
    sources: tuple[Source, ...] = ()  # the scenario's sources it cites
    source_note: str | None = None  # its `source:` as free text, when the scenario lists no sources

    @property
    def cited(self) -> str:
        """Its sources in a few words: their ids ("S2, S4"), or the free text; "" when it has none."""
        if self.sources:
            return "sources: " + ", ".join(s.id for s in self.sources)
        return f"source: {self.source_note}" if self.source_note else ""


def said(scenario: Scenario, name: str) -> Said:
    return said_rule(scenario, rule_named(scenario, name))


def said_rule(scenario: Scenario, rule: Rule) -> Said:
    who = "Fact" if rule.is_fact else scenario.party(rule.owner).name
    cited = scenario.cited(rule)
    return Said(rule.name, who, rule.says, tuple(sorted(names(rule.expr))), rule.printed, cited,
                None if scenario.sources else rule.source)


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


def satisfied_cell(satisfaction, utility: str | None) -> str:
    """What a party gets in a deal, in one cell: its satisfaction, and its utility block's value when it has one
    (the exact decimal, docs/format.md#utilities)."""
    if utility is None:
        return percent(satisfaction)
    return f"utility {utility}" if satisfaction is None else f"{percent(satisfaction)}, utility {utility}"


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


# A rule mentioned within a sentence is quoted in its own words up to this length, and named by its id (or
# counted) when longer.
SHORT_SAYS = 60


def short_words(says: str) -> str | None:
    """A rule's words, without the final full stop, when short enough to quote within a sentence."""
    words = says.strip().rstrip(".")
    return words if len(words) <= SHORT_SAYS else None


def issue_label(scenario: Scenario, name: str) -> str:
    """An issue as people read it: its `label:`, else its name with underscores as spaces (rule text, JSON keys and
    command lines keep the name)."""
    issue = scenario.issues.get(name)
    return issue.label if issue is not None and issue.label else name.replace("_", " ")


def the_issues(scenario: Scenario, issues: Sequence[str]) -> str:
    """Issues in a sentence: "the Donetsk arrangement and the foreign force's posture"."""
    return join_words([f"the {issue_label(scenario, i)}" for i in issues])


def assumptions(scenario: Scenario, facts: Sequence[str]) -> str:
    """The facts a conflict or reason needs, as what they are: the scenario's modelling assumptions. One short
    fact is quoted ("the assumption “…”"); otherwise they are counted."""
    words = short_words(said(scenario, facts[0]).says) if len(facts) == 1 else None
    if words:
        return f"the assumption “{words}”"
    return f"{len(facts)} modelling assumption{'s' if len(facts) != 1 else ''}"


def assumptions_heading(count: int, with_red_lines: bool) -> str:
    """Above the facts listed under a conflict or reason: "given the assumption(s)", or, with no red line,
    "the assumption(s)"."""
    plural = "s" if count != 1 else ""
    return f"given the assumption{plural}" if with_red_lines else f"the assumption{plural}"


def shared_issues(scenario: Scenario, members: Sequence[str]) -> list[str]:
    """The issues the members touch, those touched by two or more first (that is where they collide)."""
    counts: dict[str, int] = {}
    for name in members:
        for issue in said(scenario, name).issues:
            counts[issue] = counts.get(issue, 0) + 1
    shared = [i for i, n in counts.items() if n > 1] or list(counts)
    return sorted(shared, key=lambda i: list(scenario.issues).index(i))


def conflict_summary(scenario: Scenario, red_lines: Sequence[str], facts: Sequence[str]) -> str:
    """One sentence an analyst could write: which parties collide, over what (the issues by their labels), and on
    which modelling assumptions."""
    owners: list[str] = []
    for name in red_lines:
        who = said(scenario, name).who
        if who not in owners:
            owners.append(who)
    issues = shared_issues(scenario, list(red_lines) + list(facts))
    if not red_lines:
        return _facts_summary(scenario, list(facts), issues)
    given = f", given {assumptions(scenario, facts)}" if facts else ""
    if len(red_lines) == 1:
        if not issues:  # a rule over no issue at all, such as `false`: no fact is needed to contradict it
            return f"{possessive(owners[0])} red line cannot hold: it is impossible in itself."
        return (f"{possessive(owners[0])} red line cannot hold{given}: it rules out every way to settle "
                f"{the_issues(scenario, issues)}.")
    if len(owners) == 1:
        return f"{len(red_lines)} red lines of {owners[0]} collide over {the_issues(scenario, issues)}{given}."
    return f"{join_words(owners)} collide over {the_issues(scenario, issues)}{given}."


def listed_item(phase: int, steps: str) -> str:
    """One item of a sequence shown as a list: its phase's steps, or the steps left out (phase 0)."""
    return steps if phase else f"left out: {steps}"


def cycle_summary(cycle: Sequence[tuple[str | None, str, str]]) -> str:
    """A conflict of order statements that form one cycle, as the cycle it is, each statement with who makes it
    ("Russia: withdrawal before ceasefire; Ukraine: ceasefire before withdrawal."), a sentence like the others; a
    fact's (who None) is an assumption, not a party's ("assumed: ceasefire before referendum")."""
    return "; ".join(f"{who or 'assumed'}: {earlier} before {later}" for who, earlier, later in cycle) + "."


def left_out_line(scenario: Scenario, left_out: Sequence[str]) -> str:
    """Why a fair deal's lowest satisfaction leaves some parties out (their satisfaction is 0 in every deal)."""
    names = join_words([scenario.party(party_id).name for party_id in left_out])
    return f"Fair deal: {names} cannot be satisfied by any deal, so fairness is measured over the other parties."


def _facts_summary(scenario: Scenario, facts: list[str], issues: list[str]) -> str:
    """Facts that leave no deal at all: one impossible fact, or several that contradict each other."""
    over = f" over {the_issues(scenario, issues)}" if issues else ""
    if len(facts) == 1:
        meets = f": no way to settle {the_issues(scenario, issues)} meets it" if issues else ""
        return (f"The modelling assumption {facts[0]} is impossible in itself{meets}, so no deal is possible "
                "whatever the parties want.")
    return f"The modelling assumptions contradict each other{over}: no deal is possible whatever the parties want."


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
        parts.append(assumptions(scenario, facts))
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


def tied_cheapest(costs: Sequence[int], canonical: bool = True, total: int | None = None,
                  ranked_by: str | None = None) -> str | None:
    """When ways listed cost the same, which comes first is decided by a stated rule, not by merit: the words that
    say which (None when no two ways listed cost the same and none beyond them is known to tie). `costs`: those
    of the ways listed, cheapest first; `canonical`: every way as cheap as the last listed was found, so the list
    is the first of a fixed order; `total`: how many ways cost as little as the first, when known; `ranked_by`:
    the objective whose deals ranked the equally cheap ways (--rank-by-deal)."""
    if not costs:
        return None
    order = (f"ranked by the deal each opens ({ranked_by} objective), then listed in a fixed order" if ranked_by
             else "listed in a fixed order, not ranked")
    if total and total > 1:
        return f"way 1 is one of {total} equally cheap ways at cost {costs[0]}, {order}"
    if not canonical and not ranked_by:
        return ("more ways may cost as much as those listed; among equals, these are the first the search found, "
                "not ranked")
    ties = sum(1 for cost in costs if cost == costs[0])
    if ties > 1:
        which = "ways 1 and 2 both" if ties == 2 else f"ways 1 to {ties} all"
        return f"{which} cost {costs[0]}; equally cheap ways are {order}"
    return f"equally cheap ways are {order}" if len(set(costs)) < len(costs) else None


def first_way_deal(costs: Sequence[int], canonical: bool = True, total: int | None = None,
                   ranked_by: str | None = None) -> str:
    """Names the deal shown after the list of relaxations (their costs, cheapest first), with the ties."""
    tie = tied_cheapest(costs, canonical, total, ranked_by)
    return "the deal the cheapest way opens" if tie is None else f"the deal way 1 opens ({tie})"


def dispute_line(number: int, parties: Sequence[str], conflicts: Sequence[int]) -> str:
    """One dispute (conflicts joined by shared red lines) in a few words: who, and which conflicts."""
    which = f"conflict{'s' if len(conflicts) != 1 else ''} {join_words([str(c) for c in conflicts])}"
    who = join_words(list(parties)) if parties else "the facts alone"
    return f"dispute {number}: {who} ({which})"


def standing(edits: str) -> str:
    """Which scenario an answer is about: the files as they stand, or the files with the what-if edits."""
    return f"With the edits ({edits})" if edits else "As things stand"


def opened_caption(first_way: str, edits: str) -> str:
    """Above the parties' satisfaction when there is no deal: whose satisfaction is shown."""
    return f"{standing(edits)}: no deal. Satisfaction in {first_way}:"


def bottom_line(verdict: str, verdict_sentence: str, *, disputes: Sequence[str], conflicts_complete: bool,
                cheapest: int | None, tied: int, tied_in_all: bool, forced: int | None, issues: int,
                edits: str = "", example_shown: bool = True) -> str:
    """The answer in one paragraph, for the top of a report: the verdict; with no deal, the disputes that block
    one, what the cheapest way costs and how many ways cost as much (`tied_in_all`: in all, else of those
    listed), and what is left open; with a deal, how many issues every deal settles the same way (`forced`: None
    when the room was not measured in full). `edits`: the what-if edits, as typed, when the answer is about the
    edited scenario; `example_shown`: the deal the first way opens is shown."""
    where = standing(edits)
    if verdict == "deal":
        head = f"{where}: {verdict_sentence}."
        if forced is None:
            return head
        varying = issues - forced
        return (f"{head} Every deal settles {forced} of the {issues} issues the same way; {varying} "
                f"{'varies' if varying == 1 else 'vary'} between deals, within the room shown.")
    if verdict != "no-deal":
        return f"{where}: undecided: {verdict_sentence}."
    count = len(disputes)
    if not count:
        return f"{where}: no deal."
    if conflicts_complete:
        which = "one dispute blocks it" if count == 1 else f"{count} separate disputes block it"
    else:  # a conflict not found may join two of them, or add another
        which = (f"the conflicts found form {count} dispute{'s' if count != 1 else ''} (a conflict not found may "
                 "join some or add more)")
    listed = "; ".join(disputes[:3]) + (f"; and {count - 3} more" if count > 3 else "")
    parts = [f"{where}: no deal; {which} ({listed})."]
    if cheapest is not None:
        each = "a concession in each" if count > 1 else "a concession in it"
        if tied_in_all:
            ways = "it is the only one" if tied == 1 else f"{tied} ways cost that much"
        else:
            ways = "no other way listed costs as little" if tied == 1 else f"{tied} of the ways listed cost that much"
        parts.append(f"A deal needs {each}: the cheapest way costs {cheapest}, and {ways}.")
        if tied > 1 or not tied_in_all:
            parts.append("Open: which concession to make" + (" in each dispute" if count > 1 else "") + ".")
        if example_shown:
            parts.append("The deal shown is an example: the one the first way opens.")
    return " ".join(parts)


def not_ranked_by_deal() -> str:
    """--rank-by-deal asked for, but the deals of the equally cheap ways could not all be compared."""
    return ("Not ranked by deal: the equally cheap ways are not all known (see the order stated above), there are "
            "more than 60 of them, or a deal of theirs was not found and proved best within the time limit; they "
            "are listed as if --rank-by-deal had not been given")


#: Conflicts listed on one side of a comparison only, while the other side's list is incomplete: the comparison
#: cannot tell resolved or new from not found.
UNLISTED_AFTER = "not listed after (the conflicts after are not all known)"
UNLISTED_BEFORE = "listed only after (the conflicts before are not all known)"


def one_of(title: str) -> str:
    """Heads the list of a dispute's options."""
    return f"{title}: one of"


def combined_heading(shown: int, total: int | None) -> str:
    """Heads the list of relaxations when they combine the disputes' options."""
    return f"The first {shown} of {total} ways, combined:" if total and total > shown else "The ways, combined:"


def disputes_heading(count: int, complete: bool) -> str:
    """How the conflicts group into disputes (conflicts joined by shared red lines), when there are two or more."""
    if not complete:  # a conflict not found may join two of them
        return f"The conflicts found form {count} disputes; conflicts not found may join them"
    return f"The conflicts form {count} independent disputes: settling one does nothing for the others"


def headline_missing(red_lines: Sequence[str], complete: bool) -> str:
    """The scenario names a headline conflict that is not among the conflicts found."""
    names = join_words(list(red_lines))
    if complete:
        return (f"No conflict holds all of the scenario's headline red lines ({names}): as the positions stand, "
                "the conflict the scenario is about does not arise in that form")
    return f"No conflict found holds all of the scenario's headline red lines ({names}); one not found may"


def dispute_title(index: int, party_names: Sequence[str], headline: bool, over_issues: str = "") -> str:
    """Names a dispute by the parties in it (and the issues at stake, in words, when given: to tell apart
    disputes between the same parties)."""
    lead = " (the scenario's headline)" if headline else ""
    over = f", over {over_issues}" if over_issues else ""
    return f"Dispute {index}{lead}: {join_words(list(party_names))}{over}"


def combinations_line(cheapest_counts: Sequence[int], cost: int, total: int) -> str:
    """The cheapest ways to a deal as combinations of one option per dispute (hitting-set duality), given how
    many options of each dispute are cheapest."""
    cheapest = prod(cheapest_counts)
    product = " × ".join(str(n) for n in cheapest_counts)
    more = f" ({total} minimal ways in all)" if total > cheapest else ""
    return (f"{len(cheapest_counts)} independent disputes; a deal needs one option in each: {product} = {cheapest} "
            f"cheapest way{'s' if cheapest != 1 else ''}, cost {cost}{more}.")


def option_line(cost: int, cheapest: bool) -> str:
    return f"cost {cost}" + ("" if cheapest else ", more than the cheapest")


def options_left_out(shown: int, total: int) -> str | None:
    """A dispute's options not listed (beyond the number of relaxations asked for)."""
    return None if shown >= total else f"and {total - shown} more (see --relaxations)"


#: Shown instead of relaxations when the facts alone contradict each other.
FACTS_ALONE = "No red line can be given up to open a deal: the modelling assumptions alone leave none."


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
        return "no package deal satisfies every party's red lines and the modelling assumptions"
    return undecided(interrupted)


#: Said under a deal in which some issue is shown by its open values ("any of …").
#: After the value of an issue the time limit left un-varied.
NOT_VARIED_MARK = "(not varied: time limit)"


def not_varied(labels: Sequence[str]) -> str:
    """Under a deal whose open values the time limit cut short."""
    which = join_words(list(labels))
    return (f"The time limit came before {which} could be varied alone: a value marked {NOT_VARIED_MARK} may be "
            "one of several that change no party's satisfaction, not a value any party asked for; a longer "
            "--time-limit gives the open values time")


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
                     demand: str | None, step: str | None = None) -> str:
    """What `explain` was asked, as the answer names it (`step`: a step of a sequence issue, `value` its phase)."""
    if kind == "demand":
        assert who is not None  # (the question about a demand names its party)
        return f"{possessive(who)} demand “{says}” ({demand})"
    if step is not None:
        return f"{step} {f'in phase {value}' if value else 'left out'} ({issue})"
    if kind == "value":
        return f"{issue} = {show_value(value)}"
    return issue or ""


def explain_answer(kind: str, question: str, issue: str | None, *, decided: bool, any_deal: bool, possible: bool,
                   witness_value: Any = None, forced_value: Any = None, caught: str | None = None) -> str:
    """The answer of `explain` in one sentence; when the target is ruled out it ends in a colon, before the
    red lines and facts that rule it out. `caught`: with no deal even once the disputes that do not bear on the
    target are set aside, the disputes that do (from disputes_words), whose conflicts follow."""
    if not decided:
        return f"UNDECIDED: the time limit ran out before {question} was settled; try a longer --time-limit."
    if not any_deal:
        if caught is not None:
            return (f"Even with the other disputes set aside there is no deal: {question} bears on {caught}, "
                    "which a deal must settle first ('feasible check' shows the ways); its conflicts:")
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


def set_aside_item(item: Said) -> str:
    """A red line set aside, in one line's worth: its party's words when short, its name otherwise."""
    words = short_words(item.says)
    return f"{possessive(item.who)} “{words}”" if words else item.name


def set_aside_line(items: Sequence[Said], none_bear: bool, complete: bool) -> str:
    """Which red lines `explain` set aside to answer in a scenario without a deal."""
    which = ("the red lines of every dispute (none bears on the question)" if none_bear
             else "the red lines of the disputes that do not bear on the question")
    cut = ("" if complete else "; the time limit cut the search for conflicts short, so a red line of a conflict "
           "not found may still stand")
    listed = join_words([set_aside_item(i) for i in items])
    return f"No deal as the positions stand: answered with {which} set aside: {listed}{cut}."


def disputes_words(parties: Sequence[str], issues: str, count: int) -> str:
    """The disputes a question is caught in: "the dispute between Russia and Ukraine over the Donetsk arrangement"
    (`issues` from the_issues)."""
    between = f" between {join_words(parties)}" if len(parties) > 1 else f" of {parties[0]}" if parties else ""
    over = f" over {issues}" if issues else ""
    return f"the dispute{'s' if count != 1 else ''}{between}{over}"


def issues_left_out(shown: int, total: int) -> str | None:
    """Under an example deal shown on the issues the answer depends on: how many others were left out."""
    hidden = total - shown
    if hidden <= 0:
        return None
    return (f"(shown on the issue{'s' if shown != 1 else ''} the question and its reason name; "
            f"{hidden} other{'s' if hidden != 1 else ''} not shown: --format json lists the whole deal)")


def reason_subject(kind: str, question: str, issue: str | None, forced_value: Any) -> str:
    """What a reason rules out, as its summary names it: for a forced issue, every other value."""
    if kind == "forced":
        return f"Any value of {issue} other than {show_value(forced_value)}"
    return question


def distance_line(cost: tuple[int | None, int | None], disputes: tuple[int | None, int | None],
                  complete: tuple[bool, bool]) -> str:
    """How far each side of a comparison is from a deal (cost 0 and no dispute: a deal), so that "no deal → no
    deal" still shows progress. Disputes counted from a list of conflicts that may not be complete are "or more"."""
    def count(number: int | None, known_all: bool) -> str:
        return "unknown" if number is None else f"{number}" + ("" if known_all else " or more")

    return (f"cheapest way to a deal: cost {count(cost[0], True)} → {count(cost[1], True)}; "
            f"disputes {count(disputes[0], complete[0])} → {count(disputes[1], complete[1])}")


def without_the_edits(asked: str) -> str:
    return f"Without the edits ({asked}):"


def edits_heading(asked: str, under_readings: bool = False) -> str:
    against = "the files under the readings chosen" if under_readings else "the files as they are"
    return f"What the edits change ({asked}), against {against}"


# -- readings -------------------------------------------------------------------------------------------------------

def readings_line(used: Sequence[tuple[str, str]]) -> str | None:
    """Which of the scenario's readings the answer is under (`--reading`), each (name, title); None for the files
    as written."""
    if not used:
        return None
    listed = "; ".join(f"{name} ({title})" for name, title in used)
    return f"Under the reading{'s' if len(used) != 1 else ''} {listed}."


def used_readings_line(scenario: Scenario) -> str | None:
    titles = {reading.name: reading.title for reading in scenario.readings}
    return readings_line([(name, titles[name]) for name in scenario.readings_used])


def reading_listed(scenario: Scenario, name: str) -> str:
    """A reading as `feasible scenarios` lists it: its title, whether it is its question's default, and the days
    it holds when they leave out the scenario's own day (it then needs --as-of)."""
    item = next(r for r in scenario.readings if r.name == name)
    if any(q.default == name for q in scenario.questions):
        return f"{item.title} (the default: the files as written)"
    if item.holds_on(scenario.as_of):
        return item.title
    ended = item.valid_until is not None and (scenario.as_of is None or scenario.as_of >= item.valid_until)
    when = f"a day before {item.valid_until}" if ended else f"{item.valid_from} or later"
    return f"{item.title} (not on the scenario's day: use --as-of {when})"


def under_readings_title(scenario: Scenario) -> str:
    """A title that says which readings the picture is under (the conflict map's)."""
    line = used_readings_line(scenario)
    return f"{scenario.title}. {line}" if line else scenario.title


def reading_refused_by_edit() -> tuple[str, str]:
    """`feasible edit --reading`: the message and the help."""
    return ("edit takes no --reading: it writes the files as written, and a reading is not written into them",
            "give the reading's changes as edits (--with, --drop, --demote, --weight, --set), or use "
            "check --reading to see the scenario under it")


def workers_with_cluster(address: str) -> tuple[str, str]:
    """--workers N together with --cluster (or FEASIBLE_CLUSTER): the message and the help."""
    return (f"--workers sets the worker processes of this machine; on the cluster at {address} the workers are "
            "the cluster's own",
            "leave out --workers, or run on this machine with --cluster none")


# -- lint -----------------------------------------------------------------------------------------------------------
# The words of `feasible lint`: each finding's message and help, by code (solver/lint/codes.py), and the summary.

def lint_deals(which: str | None) -> str:
    """Which deals "every deal" means in a finding."""
    if which == "facts":
        return "meeting the facts alone (no deal meets every red line)"
    return "meeting the facts and red lines"


def lint_message(code: str, subject: str, details: dict[str, Any], deals: str | None) -> str:
    """One finding in one sentence; `subject` is the rule, issue or source it is about."""
    every = lint_deals(deals)
    if code in ("FL105", "FL106"):
        kind = "red line" if code == "FL105" else "demand"
        said = [f"the same as {join_words(details['equal'])}"] if details["equal"] else []
        said += [f"implied by {join_words(details['implied_by'])}"] if details["implied_by"] else []
        one = len(details["equal"]) + len(details["implied_by"]) == 1
        whose = f"another party's {kind}" if one else f"other parties' {kind}s"
        return f"{kind} {subject} is {' and '.join(said)} ({whose}, given the facts)"
    if code == "FL203":
        if details["all"]:
            return f"no rule mentions issue {subject}"
        values = details["values"]
        return f"no rule mentions {'value' if len(values) == 1 else 'values'} {join_words(values)} of issue {subject}"
    if code == "FL204":
        groups = " and ".join("(" + ", ".join(group) + ")" for group in details["groups"])
        return f"{subject} joins conditions on unrelated issues: {groups}"
    if code == "FL302" and "positions" in details:
        return f"no position cites a source ({details['positions']} red lines and demands)"
    issues = ", ".join(details.get("issues", ()))
    return {
        "FL101": f"demand {subject} is met in every deal {every}",
        "FL102": f"demand {subject} is met in no deal {every}",
        "FL103": f"the condition of {subject} holds in no deal {every}",
        "FL104": f"{subject} is met only where its condition fails: no deal {every} meets its condition and its "
                 "consequence together",
        "FL201": f"this comparison is true for every value of {issues or 'its issues'}",
        "FL202": f"this comparison is true for no value of {issues or 'its issues'}",
        "FL205": f"red line {subject} is the only rule on {issues}: it is in no conflict and constrains nothing "
                 "another rule mentions",
        "FL206": f"package {subject} gives issue {details.get('issue')} a value, but no rule mentions the issue: the "
                 "value cannot matter to any verdict",
        "FL301": f"source {subject} is never cited ({details.get('title', '')})",
        "FL302": f"{subject} cites no source",
    }[code]


def lint_fix(code: str, subject: str, details: dict[str, Any]) -> str:
    """What to do about a finding."""
    if code == "FL204":
        return f"split it into {len(details['groups'])} rules, one per group of issues, each with its own weight"
    if code == "FL302" and "positions" in details:
        return "list the sources under `sources:` in scenario.yaml and name them in each position's `source:`"
    return {
        "FL101": "it adds the same to every deal, satisfaction for free: drop it, or write what the party wants "
                 "beyond it",
        "FL102": f"`feasible explain {subject}` names the red lines and facts that rule it out: correct it, or drop "
                 "it",
        "FL103": "the rule holds only because its condition never does: write a condition that can happen, or drop "
                 "the rule",
        "FL104": "the rule asks in effect for its condition to fail: write that, or change the consequence so that "
                 "a deal can meet both",
        "FL105": "the other red line already rules out what this one does: keep it only if it matters on its own "
                 "(when the other is given up), and say so in an ignore entry",
        "FL106": "two parties want the same, or one wants more: keep both when both hold it (say so in an ignore "
                 "entry), else drop the copy",
        "FL201": "check the number or value it compares with against the issue's values",
        "FL202": "check the number or value it compares with against the issue's values",
        "FL203": "no party's satisfaction depends on a deal's choice among them, so the choice means nothing: drop "
                 "them, or add the positions that concern them",
        "FL205": "make it a fact if it is how the world works, or add the positions it matters to",
        "FL206": "add the positions that concern the issue, or drop the value from the package (to keep it as a "
                 "record of what the plan says, set the warning aside in an ignore entry with that reason)",
        "FL301": f"cite it where it is used (source: {subject}), or remove it from `sources:`",
        "FL302": "say where the position comes from: `source:` with the ids of `sources:`",
    }[code]


def lint_ignored(count: int, code: str, reason: str) -> str:
    return f"ignored: {count} × {code} ({reason})"


def lint_totals(warnings: int, counts: Sequence[tuple[str, int]]) -> str:
    if not warnings:
        return "no warnings"
    by_code = ", ".join(f"{code} × {n}" for code, n in counts)
    return f"{warnings} warning{'s' if warnings != 1 else ''} ({by_code})"


def lint_deals_note(which: str | None) -> str | None:
    """What the checks of deals spoke of, when it is not the deals `check` speaks of."""
    if which == "facts":
        return ("no deal meets every red line: the checks of deals (FL101–FL106) looked at the deals meeting the facts "
                "alone")
    if which == "none":
        return "not even the facts admit a deal: the checks of deals (FL101–FL106) had none to look at"
    return None


def lint_cut_short(codes: Sequence[str], interrupted: bool = False) -> str:
    cause, remedy = _cause(interrupted)
    return f"cut short by {cause}: the checks of {', '.join(codes)} did not finish (what they found is shown){remedy}"


def as_of_line(day: str) -> str:
    """Which day's positions an answer is about (positions dated with valid_from / valid_until)."""
    return f"Positions as of {day}."


def after_last_change_line(day: str) -> str:
    """A dated scenario with no `as_of:` and no --as-of: the positions that still hold after the last change."""
    return f"Positions after their last dated change ({day}): those with no valid_until."


def titled_as_of(title: str, day: str | None) -> str:
    """A title that says which day's positions it shows (the conflict map's)."""
    return f"{title} (as of {day})" if day else title


EDIT_AS_OF = "edit changes the files, which keep every dated version of a position: --as-of does not apply"
EDIT_AS_OF_HINT = ("to supersede a position from a day, end it with valid_until and add its new version with "
                   "valid_from (docs/format.md); check --as-of DATE shows a day's positions")


# -- import and export: their help, needed at start-up (what their commands say: cli/genius_words.py) ---------------
IMPORT_HELP = "Make a scenario from another tool's files."
EXPORT_HELP = "Write a scenario in another tool's format."
