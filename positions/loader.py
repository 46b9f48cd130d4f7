"""Loading a scenario: find its files, read them safely, validate their shape, check their rules, build the model.

Every problem of every file is collected into one InvalidScenario report; nothing is ever written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .acceptance import ACCEPT_AT_LEAST_ID, acceptance_rule
from .dates import Range, as_of, day_of, overlap, rule_dates
from .errors import Diagnostic, InvalidScenario, UserError
from .files import resolve_scenario, scenario_files
from .kinds import SequenceType, issue_type
from .limits import WEIGHT_SUM_CAP, Limits, override_hint
from .location import SourceFile, display_path
from .model import FACTS, Issue, IssueKind, Party, Rule, RuleKind, Scenario, Source
from .packages import Package, PackageValue
from .rules import RuleSyntaxError, Types, check_rule, parse_rule
from .rules.checker import resolve_steps
from .rules.syntax import KEYWORDS, Expr, Span
from .schema import (ISSUE_NAME, PARTY_ID, FactEntry, IntIssue, IssueDef, OverlayParty, OverlayRuleEntry,
                     PackageEntry, PackageValueEntry, PartyFile, ReadingEntry, RuleEntry, ScenarioFile, SequenceIssue,
                     SourceEntry)
from .sources import SEPARATOR, id_spans, source_text
from .suggest import did_you_mean
from .utility import RESERVATION_ID, Utility, reservation_rule
from .utility_block import BlockReader
from .validation import M, validate_model, validate_package_value
from .yamlread import LocatedDoc, Path_, read_yaml, scalar_text_offsets

RESERVED_PARTIES = (FACTS, "set")  # "set" owned the rules `--set` made before they became facts
SUPERSEDE = ("two versions of a position need dates that do not overlap: end the earlier one with valid_until on "
             "the day the later one's valid_from starts")
CONSENT_RULE = ("an issue's consent: names exactly the parties that must consent to it, and a party's consent: "
                "exactly the issues that need its consent: written in both places, they must agree (docs/format.md"
                "#consent-scopes)")
SMALLER_WEIGHTS = "weights only compare positions with each other: dividing them all by the same number says the same"


def load_scenario(path: str | Path | None = None, *, display: Callable[[Path], str] | None = None,
                  record: list[tuple[Path, bytes]] | None = None, versions: bool = False) -> Scenario:
    """Load and validate a scenario; raise InvalidScenario with every problem found, or UserError.
    `display` names files in messages (e.g. REV:PATH for a scenario read from git); `record`, if given,
    receives every file read with the exact bytes the scenario was built from (what `edit` rewrites).

    Positions dated with valid_from / valid_until: the scenario comes back as it stands on its own `as_of:` (else
    after its last change; positions/dates.py), so that whatever checks it sees one version of each rule. With
    `versions`, every dated version is kept, as the files hold them: for taking it as of another day
    (`dates.as_of`), for the timeline, and for what rewrites or locates things in the files."""
    origin = resolve_scenario(path)
    limits = Limits.from_environment()
    scenario_path, party_paths = scenario_files(origin, limits)
    problems: list[Diagnostic] = []
    docs: dict[Path, LocatedDoc | None] = {}
    entries = 0
    for path in [scenario_path, *party_paths]:
        docs[path] = read_position_file(path, problems, display, limits, record)
        entries += _rule_entries(docs[path])
        if entries > limits.rules:  # before another file is read or any rule validated: that is where time goes
            raise _too_many_rules(entries, limits, (display or display_path)(path))
    head_doc = docs[scenario_path]
    # A file that cannot be read or whose shape is wrong is still checked as far as it can be (its valid parts
    # are kept), so that one typo does not hide the other problems of the run.
    data = head_doc.data if head_doc is not None else {}
    head = (_validated(head_doc, ScenarioFile, problems) if head_doc is not None else None) or salvage_scenario(data)
    parties: list[tuple[PartyFile, LocatedDoc, Path_]] = []
    if head.parties and head_doc is not None:  # (salvaged from no file at all, the head has no parties)
        parties += [(p, head_doc, ("parties", i)) for i, p in enumerate(head.parties) if p is not None]
    for party_path in party_paths:
        doc = docs[party_path]
        if doc is not None:
            parties.append((_validated(doc, PartyFile, problems) or salvage_party(doc.data), doc, ()))
    # Rules are type-checked only against a readable list of issues; otherwise only their syntax is.
    builder = _ScenarioBuilder(problems, limits, broken_issues(data, head), isinstance(data.get("issues"), dict),
                               head=head, head_doc=head_doc)
    scenario = builder.build(parties, origin, tuple(docs))
    if head_doc is not None and (head.readings or head.questions):
        from .readings import attach_readings  # only a scenario that declares readings needs it

        scenario = attach_readings(scenario, head, head_doc, builder)
    if problems:
        raise InvalidScenario(problems)
    if len(scenario.rules()) > limits.rules:
        raise _too_many_rules(len(scenario.rules()), limits)
    _check_weight_sum(scenario)
    every = replace(scenario, every_version=True) if scenario.dates else scenario
    return every if versions else as_of(every)


def _rule_entries(doc: LocatedDoc | None) -> int:
    """The facts, red lines and demands a file lists, valid or not (each valid one is a rule; accept_at_least
    levels become rules only later)."""
    data = doc.data if doc is not None else {}
    parties = data.get("parties")
    holders = [data, *(p for p in parties if isinstance(p, dict))] if isinstance(parties, list) else [data]
    return sum(len(h[key]) for h in holders for key in ("facts", "red_lines", "demands")
               if isinstance(h.get(key), list))


def _too_many_rules(count: int, limits: Limits, counted_to: str | None = None) -> UserError:
    where = f" (counted as far as '{counted_to}')" if counted_to else ""
    return UserError(f"the scenario has {count:,} rules, more than the limit of {limits.rules:,}{where}",
                     hint=override_hint("rules"))


def _check_weight_sum(scenario: Scenario) -> None:
    total = 0
    for rule in scenario.rules():
        total += rule.weight_range[1] if rule.weight_range is not None else rule.weight  # (a sweep may draw the top)
        if total > WEIGHT_SUM_CAP:
            raise UserError(f"the weights add up to more than {WEIGHT_SUM_CAP:,} at {rule.name} ({rule.location}), "
                            "more than the solver can add up safely", hint=SMALLER_WEIGHTS)


def read_position_file(path: Path, problems: list[Diagnostic], display_as: Callable[[Path], str] | None = None,
                       limits: Limits | None = None, record: list[tuple[Path, bytes]] | None = None
                       ) -> LocatedDoc | None:
    """One position file, read safely into a located document (None, with its problems added, when it cannot be
    read or is not a mapping): scenario and party files, and overlays (`--with`)."""
    display = (display_as or display_path)(path)
    limits = limits or Limits()
    try:
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise UserError(f"'{display}' is {size:,} bytes, more than the limit of {limits.file_bytes:,} for one "
                            "position file", hint=override_hint("file_bytes"))
        raw = path.read_bytes()
        if record is not None:
            record.append((path, raw))
    except OSError as exc:
        raise UserError(f"cannot read '{display}': {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        source = SourceFile(path, display, raw.decode("utf-8", errors="replace"))  # the same bytes up to the bad one
        # Not quoted: a file that is not text (a link to a binary or to /proc/self/environ) may hold secrets.
        problems.append(Diagnostic(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                                   source.at_utf8_offset(exc.start), "", 1, "save the file as UTF-8"))
        return None
    source = SourceFile(path, display, text)
    doc, found = read_yaml(source, limits)
    problems += found
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else "not a mapping of keys to values"
        hint = "a position file is a YAML mapping, e.g. 'party: russia' on its first line"
        problems.append(doc.diagnostic((), f"the file is {what}", hint=hint))
        return None
    return doc


def _validated(doc: LocatedDoc, model: type[M], problems: list[Diagnostic]) -> M | None:
    result, found = validate_model(doc, model, doc.data)
    problems += found
    return result


@dataclass
class RuleBuilder:
    """Rules and party entries from a located document, every problem reported where it is: the one home of the
    checks a party's entries get and of building a rule, used by the loader and by overlays (`--with`)."""

    problems: list[Diagnostic]
    limits: Limits = Limits()
    broken: frozenset[str] = frozenset()  # issues named in the file but invalid: rules using them are not blamed
    check_types: bool = True
    registry: tuple[str, ...] = ()  # the ids of the scenario's sources; none listed: `source:` is free text
    types: Types | None = field(default=None, init=False)  # the checker's types of the rules built (one account)

    def report(self, doc: LocatedDoc, path: Path_, message: str, *, key: bool = False, hint: str | None = None):
        self.problems.append(doc.diagnostic(path, message, key=key, hint=hint))

    def check_party(self, model: PartyFile | OverlayParty, doc: LocatedDoc, prefix: Path_) -> None:
        """A party's own checks: its id is not reserved, its rule ids are unique and none names its level."""
        if model.party in RESERVED_PARTIES:
            self.report(doc, prefix + ("party",), f"'{model.party}' is reserved and cannot be a party id",
                        hint="choose another id")
        versions: dict[str, list[tuple[Range, str]]] = {}
        for section in ("red_lines", "demands"):
            for i, entry in enumerate(getattr(model, section)):
                if entry is None:
                    continue
                path = prefix + (section, i, "id")
                if entry.id == ACCEPT_AT_LEAST_ID and model.accept_at_least is not None:
                    self.report(doc, path, f"'{ACCEPT_AT_LEAST_ID}' names the party's accept_at_least level",
                                hint="give this rule another id")
                self.check_versions(versions, entry, doc, path, f"id '{entry.id}' is used twice in party "
                                                                f"'{model.party}'", "ids are unique within a party")

    def check_versions(self, versions: dict[str, list[tuple[Range, str]]], entry, doc: LocatedDoc, path: Path_,
                       twice: str, unique: str, say_where: bool = True) -> None:
        """One id names one rule, or versions of one position whose dates do not overlap (one supersedes the
        other): reported at the later entry when two of them would hold on the same day."""
        span = (day_of(getattr(entry, "valid_from", None)), day_of(getattr(entry, "valid_until", None)))
        earlier = versions.setdefault(entry.id, [])
        clash = next((where for other, where in earlier if overlap(span, other)), None)
        if clash is not None:
            dated = any(d is not None for d in span) or any(d is not None for other, _ in earlier for d in other)
            where = f" (also at {clash})" if say_where or dated else ""
            self.report(doc, path, twice + where + (", and both versions hold on some day" if dated else ""),
                        hint=SUPERSEDE if dated else unique)
        earlier.append((span, str(doc.location(path))))

    def rules(self, entries: Sequence[FactEntry | RuleEntry | None], owner: str, kind: RuleKind, doc: LocatedDoc,
              prefix: Path_, issues: dict[str, Issue]) -> tuple[Rule, ...]:
        built: list[Rule] = []
        versions: dict[str, list[tuple[Range, str]]] = {}
        for i, entry in enumerate(entries):
            if entry is None:  # invalid, already reported
                continue
            path = prefix + (i,)
            if kind is RuleKind.FACT:
                self.check_versions(versions, entry, doc, path + ("id",), f"fact id '{entry.id}' is used twice",
                                    "ids are unique", say_where=False)
            rule = self.rule(entry, owner, kind, doc, path, issues)
            if rule is not None:
                built.append(rule)
        return tuple(built)

    def rule(self, entry: FactEntry | RuleEntry | OverlayRuleEntry, owner: str, kind: RuleKind, doc: LocatedDoc,
             path: Path_, issues: dict[str, Issue]) -> Rule | None:
        """The rule of one entry at `path`, or None when it has a problem (reported)."""
        if kind is RuleKind.FACT and getattr(entry, "weight", 1) != 1:  # only an overlay's entry can have one
            self.report(doc, path + ("weight",), "a fact has no weight: it holds in every deal",
                        hint="remove the weight")
            return None
        # An overlay's entry without says and rule is one that drops a rule, never built (its schema's _complete).
        assert entry.rule is not None and entry.says is not None, f"rule {entry.id} has no says or rule"
        expr = self.rule_expr(entry.rule, doc, path + ("rule",), issues)
        cited = self.citations_known(entry.source, doc, path + ("source",))
        dated = self.dates_in_order(entry, doc, path)
        weight = self.weight_of(entry, kind, doc, path + ("weight",))
        firmness = self.firmness(entry, kind, doc, path)
        if expr is None or not cited or not dated or weight is None or firmness is None:
            return None
        (nominal, weight_range), (firm, firm_note) = weight, firmness
        return Rule(owner, entry.id, kind, entry.says, entry.rule, expr, nominal,
                    source_text(entry.source), doc.location(path), self.types if self.check_types else None,
                    day_of(entry.valid_from), day_of(entry.valid_until), firm=firm, firm_note=firm_note,
                    weight_range=weight_range)

    def weight_of(self, entry: FactEntry | RuleEntry | OverlayRuleEntry, kind: RuleKind, doc: LocatedDoc,
                  at: Path_) -> tuple[int, tuple[int, int] | None] | None:
        """The entry's weight and its range (a demand's `weight: [LO, HI]`, whose nominal weight (LO + HI) // 2
        every command but the sweep answers at), or None when it has a problem (reported where it is written)."""
        written = getattr(entry, "weight", 1)
        if not isinstance(written, list):
            return (written, None) if self.weight_within_limit(written, doc, at) else None
        if kind is not RuleKind.DEMAND:
            self.report(doc, at, "a red line's weight is the cost of giving it up, a fixed price: it takes no range",
                        hint="give one whole number, e.g. weight: 2; if the red line may not hold, say how likely it "
                             "holds with firm: P")
            return None
        if len(written) != 2:
            self.report(doc, at, f"a weight range is two whole numbers [LO, HI], not {len(written)}",
                        hint="e.g. weight: [1, 3]")
            return None
        low, high = written
        for index, number in enumerate(written):
            if number < 1:
                self.report(doc, at + (index,), f"a weight is 1 or more, not {number}", hint="e.g. weight: [1, 3]")
                return None
        if low >= high:
            self.report(doc, at, f"a weight range [LO, HI] has LO below HI, not [{low}, {high}]",
                        hint=f"write weight: {low} for a weight that is known" if low == high
                        else f"write it [{high}, {low}]")
            return None
        if not self.weight_within_limit(high, doc, at + (1,)):
            return None
        if high - low + 1 > self.limits.weight_values:
            self.report(doc, at, f"the range [{low}, {high}] spans {high - low + 1:,} weights, more than the limit of "
                        f"{self.limits.weight_values:,}", hint=f"{SMALLER_WEIGHTS}; {override_hint('weight_values')}")
            return None
        return (low + high) // 2, (low, high)

    def firmness(self, entry: FactEntry | RuleEntry | OverlayRuleEntry, kind: RuleKind, doc: LocatedDoc,
                 path: Path_) -> tuple[Fraction | None, str | None] | None:
        """A red line's `firm:` (exact; None for 1, which is no key) and `firm_note:`, or None when they have a
        problem (reported): firmness on a demand, a note without firmness."""
        firm, note = getattr(entry, "firm", None), getattr(entry, "firm_note", None)
        if firm is not None and kind is not RuleKind.RED_LINE:
            self.report(doc, path + ("firm",), "a demand has no firmness: firm: is the probability that a red line "
                        "holds", key=True, hint="remove it; if the demand's weight is uncertain, give a range, e.g. "
                                                 "weight: [1, 3]")
            return None
        if note is not None and firm is None:
            self.report(doc, path + ("firm_note",), "firm_note says why a red line's firm: is what it is, and there "
                        "is no firm: here", key=True, hint="add firm: P (the probability that it holds), or remove "
                                                           "firm_note")
            return None
        exact = None if firm is None else self.probability(firm, doc, path + ("firm",))
        return (None if exact == 1 else exact), note

    def probability(self, value: float, doc: LocatedDoc, at: Path_) -> Fraction:
        """A probability as the decimal written (0.7 is 7/10, not the float nearest it)."""
        text = getattr(doc.nodes.get(at), "value", None)
        try:
            exact = Fraction(text.replace("_", "")) if isinstance(text, str) else None
        except ValueError:
            exact = None
        return exact if exact is not None and float(exact) == value else Fraction(repr(float(value)))

    def dates_in_order(self, entry: FactEntry | RuleEntry | OverlayRuleEntry | ReadingEntry, doc: LocatedDoc,
                       path: Path_) -> bool:
        """Whether a position starts before it is superseded (reported at its valid_until otherwise)."""
        start, end = day_of(entry.valid_from), day_of(entry.valid_until)
        if start is None or end is None or start < end:
            return True
        self.report(doc, path + ("valid_until",), f"valid_until ({end}) is not after valid_from ({start})",
                    hint="a position holds from valid_from (inclusive) until valid_until (exclusive): give a "
                         "later valid_until, or remove one of them")
        return False

    def citations_known(self, source: str | list[str] | None, doc: LocatedDoc, path: Path_) -> bool:
        """Whether every id a `source:` field cites is one of the scenario's sources (always, when the scenario
        lists none: then `source:` is free text); each unknown id is reported where it is written."""
        if not self.registry or source is None:
            return True
        known = set(self.registry)
        if isinstance(source, str):
            unknown = [(ident, (start, end)) for ident, start, end in id_spans(source) if ident not in known]
            for ident, span in unknown:
                self.problems.append(rule_diagnostic(doc, path, span, f"unknown source '{ident}'",
                                                     self._citation_hint(ident)))
            return not unknown
        unknown_at = [i for i, ident in enumerate(source) if ident.strip() not in known]
        for i in unknown_at:
            self.report(doc, path + (i,), f"unknown source '{source[i].strip()}'",
                        hint=self._citation_hint(source[i].strip()))
        return not unknown_at

    def _citation_hint(self, ident: str) -> str:
        return did_you_mean(ident, self.registry) or (
            "a rule's source names ids from the scenario's 'sources:' list (in scenario.yaml); add the source "
            "there, or cite one listed")

    def weight_within_limit(self, weight: int, doc: LocatedDoc, path: Path_) -> bool:
        if weight <= self.limits.weight:
            return True
        self.report(doc, path, f"the weight {weight:,} is more than the limit of {self.limits.weight:,}",
                    hint=f"{SMALLER_WEIGHTS}; {override_hint('weight')}")
        return False

    def rule_expr(self, text: str, doc: LocatedDoc, path: Path_, issues: dict[str, Issue]) -> Expr | None:
        if len(text) > self.limits.rule_chars:
            self.problems.append(doc.diagnostic(path, f"the rule is {len(text):,} characters long, more than the "
                                                f"limit of {self.limits.rule_chars:,}", width=1,
                                                hint=override_hint("rule_chars")))
            return None
        try:
            expr = parse_rule(text, max_nesting=self.limits.rule_depth, max_number=self.limits.number, issues=issues)
        except RecursionError:  # only when rule_depth was raised past what Python can follow
            self.problems.append(doc.diagnostic(path, "the rule is nested too deeply to read", width=1,
                                                hint="lower FEASIBLE_MAX_RULE_DEPTH, or split the rule"))
            return None
        except RuleSyntaxError as exc:
            self.problems.append(rule_diagnostic(doc, path, exc.span, f"rule syntax: {exc.message}", exc.hint))
            return None
        if not self.check_types:
            return expr
        expr = resolve_steps(expr, issues)
        if self.types is None or self.types.issues is not issues:
            self.types = Types(issues)
        found = check_rule(expr, issues, ignore=self.broken, types=self.types)
        for problem in found:
            self.problems.append(rule_diagnostic(doc, path, problem.span, problem.message, problem.hint))
        return None if found else expr


@dataclass
class _ScenarioBuilder(RuleBuilder):
    """The checks that need the whole scenario (ids, rules against issues), then the frozen model."""

    head: ScenarioFile = field(kw_only=True)
    head_doc: LocatedDoc | None = field(kw_only=True)  # None: the scenario file could not be read

    def build(self, parties: list[tuple[PartyFile, LocatedDoc, Path_]], origin: Path,
              files: tuple[Path, ...]) -> Scenario:
        issues = self.issues()
        sources = self.sources()
        self.registry = tuple(s.id for s in sources)
        # (salvaged from no file at all, the head has no facts and no issues)
        facts = () if self.head_doc is None else self.rules(self.head.facts, FACTS, RuleKind.FACT, self.head_doc,
                                                            ("facts",), issues)
        built: list[Party] = []
        seen: dict[str, str] = {}
        for model, doc, prefix in parties:
            party_id = model.party
            if not re.match(PARTY_ID, party_id):
                pass  # already reported by the schema check
            elif party_id in seen:
                self.report(doc, prefix + ("party",), f"party '{party_id}' is defined twice (also at {seen[party_id]})",
                            hint="each party is described once; give the other one its own id")
            elif party_id not in RESERVED_PARTIES:  # a reserved id is reported by the party's own checks
                seen[party_id] = str(doc.location(prefix + ("party",)))
            built.append(self.party(model, doc, prefix, issues))
        self.check_headline(built)
        self.check_consent(issues, parties)
        return Scenario(
            title=self.head.title, description=self.head.description, issues=issues, facts=facts,
            parties=tuple(built), origin=origin, files=files, sources=sources, caveats=tuple(self.head.caveats),
            headline=tuple(self.head.headline), packages=self.packages(issues), as_of=day_of(self.head.as_of),
            dates=rule_dates([*facts, *(r for party in built for r in party.red_lines + party.demands)]),
        )

    def check_consent(self, issues: dict[str, Issue], parties: list[tuple[PartyFile, LocatedDoc, Path_]]) -> None:
        """Consent scopes (model.Scenario.consenting): an issue's `consent:` names parties, a party's names issues,
        each once, and where both are written they agree; every problem located where it is written."""
        ids = [model.party for model, _, _ in parties]
        if self.head_doc is not None:
            for name, issue in issues.items():
                self.listed_once(issue.consent or (), ids, self.head_doc, ("issues", name, "consent"),
                                 "is not a party of the scenario", "`consent:` names the parties (their ids)")
        for model, doc, prefix in parties:
            consent = getattr(model, "consent", None)  # (absent: the issues' lists alone decide)
            listed = set(consent or ())
            self.listed_once(consent or (), [*issues, *self.broken], doc, prefix + ("consent",),
                             "is not an issue of the scenario", "`consent:` names the issues that need the party's "
                             "consent")
            for i, name in enumerate(consent or ()):
                written = issues[name].consent if name in issues else None
                if written is not None and model.party not in written:
                    self.report(doc, prefix + ("consent", i), f"party '{model.party}' lists issue '{name}' under "
                                f"consent:, but the issue's consent: does not name the party", hint=CONSENT_RULE)
            for name, issue in issues.items() if consent is not None else ():
                if issue.consent is not None and model.party in issue.consent and name not in listed:
                    self.report(doc, prefix + ("consent",), f"issue '{name}' names party '{model.party}' under "
                                f"consent:, but the party's consent: does not list the issue", key=True,
                                hint=CONSENT_RULE)

    def listed_once(self, names, known: Sequence[str], doc: LocatedDoc, path: Path_, unknown: str, hint: str) -> None:
        """Each name of a `consent:` list is known and listed once (reported at the entry)."""
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name not in known:
                self.report(doc, path + (i,), f"'{name}' {unknown}", hint=did_you_mean(name, known) or hint)
            elif name in seen:
                self.report(doc, path + (i,), f"'{name}' is listed twice", hint="list each once")
            seen.add(name)

    def sources(self) -> tuple[Source, ...]:
        """The scenario's sources, the registry its rules cite: each id once, and citable (no comma in it)."""
        seen: dict[str, str] = {}
        for i, entry in enumerate(self.head.sources):
            if entry is None or self.head_doc is None:  # invalid, already reported
                continue
            path = ("sources", i, "id")
            if SEPARATOR in entry.id:
                self.report(self.head_doc, path, f"the source id '{entry.id}' has a comma in it",
                            hint="rules cite several sources as 'S2, S4': an id with a comma could not be cited")
            if entry.id in seen:
                self.report(self.head_doc, path, f"source id '{entry.id}' is listed twice (also at {seen[entry.id]})",
                            hint="each source is listed once; give the other one its own id")
            else:
                seen[entry.id] = str(self.head_doc.location(path))
        return tuple(Source(s.id, s.title, s.url, s.date) for s in self.head.sources if s is not None)

    def check_headline(self, parties: list[Party]) -> None:
        """Each name under `headline:` is a red line of a party (an accept_at_least level counts)."""
        red = [rule.name for party in parties for rule in party.binding]
        for i, name in enumerate(self.head.headline):
            if name not in red and self.head_doc is not None:
                self.report(self.head_doc, ("headline", i), f"'{name}' is not a red line of any party",
                            hint=did_you_mean(name, red) or "the headline names red lines as PARTY/ID")

    def issues(self) -> dict[str, Issue]:
        doc = self.head_doc
        result: dict[str, Issue] = {}
        if doc is None:  # the scenario file could not be read: salvaged from nothing, it has no issues
            return result
        if len(self.head.issues) > self.limits.issues:
            self.report(doc, ("issues",), f"{len(self.head.issues):,} issues, more than the limit of "
                        f"{self.limits.issues:,}", key=True, hint=override_hint("issues"))
        for name, spec in self.head.issues.items():
            path = ("issues", name)
            values_count = len(getattr(spec, "values", ()))
            values_within_limit = values_count <= self.limits.set_values
            if not values_within_limit:
                self.report(doc, path + ("values",), f"{values_count:,} values, more than the limit of "
                            f"{self.limits.set_values:,}", key=True, hint=override_hint("set_values"))
            if isinstance(spec, IntIssue) and max(abs(spec.min), abs(spec.max)) > self.limits.number:
                self.report(doc, path + ("max",), f"the range {spec.min}..{spec.max} goes beyond the largest number "
                            f"allowed ({self.limits.number:,})", hint=override_hint("number"))
            elif isinstance(spec, IntIssue) and spec.max - spec.min + 1 > self.limits.int_width:
                self.report(doc, path + ("max",), f"the range {spec.min}..{spec.max} is wider than the limit of "
                            f"{self.limits.int_width:,} values", hint=override_hint("int_width"))
            if name in KEYWORDS:
                self.report(doc, path, f"'{name}' is a word of the rule language and cannot name an issue", key=True,
                            hint=f"rename it, e.g. '{name}_issue'")
            kind = IssueKind(spec.type)
            values = tuple(getattr(spec, "values", ()))
            for i in repeated_positions(values) if values_within_limit else ():  # past a limit, checks stop
                self.report(doc, path + ("values", i), f"value '{values[i]}' is listed twice",
                            hint="each value is listed once")
            if isinstance(spec, IntIssue) and spec.min > spec.max:  # (the kind is IssueKind.INT)
                self.report(doc, path + ("min",), f"min ({spec.min}) is greater than max ({spec.max})",
                            hint="swap them, or correct one")
            if isinstance(spec, SequenceIssue):
                self.check_sequence(spec, doc, path)
            mark = doc.location(path, key=True)
            issue = Issue(name, kind, spec.description, values, getattr(spec, "ordered", False),
                          getattr(spec, "min", None), getattr(spec, "max", None), getattr(spec, "unit", None), mark,
                          spec.label, consent=_written(getattr(spec, "consent", None)),
                          steps=tuple(getattr(spec, "steps", ())), phases=getattr(spec, "phases", None),
                          optional=tuple(getattr(spec, "optional", ())))
            result[name] = self.status_quo(issue, spec.status_quo, doc, path + ("status_quo",))
        return result

    def check_sequence(self, spec: SequenceIssue, doc: LocatedDoc, path: Path_) -> None:
        """A sequence issue's steps are named once each, not with a word of the rule language, and within the limit;
        its optional steps are among them; its phases within the limit."""
        top = spec.phases or len(spec.steps)
        cells = len(spec.steps) * (top + 1)  # one literal per step and phase
        if cells > self.limits.set_values:
            self.report(doc, path + ("steps",), f"{len(spec.steps):,} steps × {top + 1:,}"
                        f" phases (0 included) make {cells:,} step phases, more than the limit of "
                        f"{self.limits.set_values:,}", key=True, hint=override_hint("set_values"))
            return
        for i in repeated_positions(tuple(spec.steps)):
            self.report(doc, path + ("steps", i), f"step '{spec.steps[i]}' is listed twice",
                        hint="each step is listed once")
        for i, step in enumerate(spec.steps):
            if step in KEYWORDS:
                self.report(doc, path + ("steps", i), f"'{step}' is a word of the rule language and cannot name a "
                            "step", hint=f"rename it, e.g. '{step}_step'")
            elif step in PackageValueEntry.model_fields:  # a package's value {step: phase} would read as its long form
                self.report(doc, path + ("steps", i), f"'{step}' is a key of a package's long form ({{value, source, "
                            "says}) and cannot name a step", hint=f"rename it, e.g. '{step}_step'")
        for i, step in enumerate(spec.optional):
            if step not in spec.steps:
                self.report(doc, path + ("optional", i), f"'{step}' is not a step of issue '{path[-1]}'",
                            hint=did_you_mean(step, spec.steps) or "its steps are " + ", ".join(spec.steps))
        for i in repeated_positions(tuple(spec.optional)):
            self.report(doc, path + ("optional", i), f"step '{spec.optional[i]}' is listed twice",
                        hint="each step is listed once")

    def status_quo(self, issue: Issue, raw, doc: LocatedDoc, path: Path_) -> Issue:
        """The issue with its status quo, once it is checked against the issue's domain (reported where it is
        written when it is not a value of the issue)."""
        if raw is None:
            return issue
        value = self.issue_value(issue, raw, doc, path, "the status quo")
        return issue if value is None else replace(issue, status_quo=value)

    def issue_value(self, issue: Issue, raw, doc: LocatedDoc, path: Path_, what: str):
        """`raw`, a value as written for the issue (a status quo, a package's value), checked against the issue's
        domain: the value (a frozenset for a set issue), or None when it is not one (reported where written)."""
        if _wrong_type(issue, raw):
            self.report(doc, path, f"{what} of issue '{issue.name}' must be {_expected(issue)}",
                        hint=f"write {_expected(issue)}")
            return None
        if issue.kind is IssueKind.SEQUENCE:
            return self.sequence_value(issue, raw, doc, path)
        repeated = repeated_positions(tuple(raw)) if issue.kind is IssueKind.SET else []
        for i in repeated:
            self.report(doc, path + (i,), f"value '{raw[i]}' is listed twice in {what}",
                        hint="each value is listed once")
        if repeated:
            return None
        value = frozenset(raw) if issue.kind is IssueKind.SET else raw
        if issue_type(issue).in_domain(issue, value):
            return value
        outside = sorted(set(raw) - set(issue.values)) if issue.kind is IssueKind.SET else [raw]
        if issue.kind is IssueKind.INT:
            message, hint = f"{what} {raw} is outside {issue.min}..{issue.max}", "give a value in the range"
        else:
            message = f"'{outside[0]}' is not a value of issue '{issue.name}'"
            hint = did_you_mean(str(outside[0]), issue.values) or "its values are " + ", ".join(issue.values)
        if issue.kind is IssueKind.SET:
            path = path + (list(raw).index(outside[0]),)
        self.report(doc, path, message, hint=hint)
        return None

    def sequence_value(self, issue: Issue, raw: dict, doc: LocatedDoc, path: Path_):
        """A sequence's value written as step → phase (a step not named: left out), checked step by step."""
        kind = issue_type(issue)
        assert isinstance(kind, SequenceType)  # (called for sequence issues only)
        for step in raw:
            if step not in issue.steps:
                self.report(doc, path + (step,), f"'{step}' is not a step of issue '{issue.name}'", key=True,
                            hint=did_you_mean(step, issue.steps) or "its steps are " + ", ".join(issue.steps))
                return None
        problem = kind.wrong(issue, {**{step: 0 for step in issue.steps}, **raw})
        if problem is not None:
            self.report(doc, path, problem, hint="e.g. " + ", ".join(
                f"{step}: {phase}" for step, phase in kind.anchor(replace(issue, status_quo=None))))
            return None
        return kind.value_of(issue, raw)

    def packages(self, issues: dict[str, Issue]) -> tuple[Package, ...]:
        """The scenario's packages, each value checked against its issue and each source against the registry."""
        if self.head_doc is None:
            return ()
        return tuple(self.package(name, entry, issues, ("packages", name))
                     for name, entry in self.head.packages.items())

    def package(self, name: str, entry: PackageEntry, issues: dict[str, Issue], path: Path_) -> Package:
        doc = self.head_doc
        assert doc is not None
        day = day_of(entry.date)
        self.citations_known(entry.source, doc, path + ("source",))
        values = []
        for issue_name, written in entry.values.items():
            at = path + ("values", issue_name)
            long = None
            # the long form, its shape checked here (schema.py: CheckedValue); a sequence's value is itself a mapping
            # (step → phase), so for one the long form is told by its `value:`
            sequence_value = issue_name in issues and bool(issues[issue_name].steps) and "value" not in written \
                if isinstance(written, dict) else False
            if isinstance(written, dict) and not sequence_value:
                long, problems = validate_package_value(doc, written, at)
                self.problems += problems
                if long is None:
                    continue
                self.citations_known(long.source, doc, at + ("source",))
            if issue_name not in issues:
                if issue_name not in self.broken:
                    self.report(doc, at, f"'{issue_name}' is not an issue of the scenario", key=True,
                                hint=did_you_mean(issue_name, issues) or "a package gives values to the issues under "
                                "`issues:`")
                continue
            raw = long.value if long is not None else written
            value = self.issue_value(issues[issue_name], raw, doc, at + (("value",) if long else ()), "the value")
            if value is not None:
                source = source_text(long.source) if long is not None and long.source is not None else None
                values.append(PackageValue(issue_name, value, source or source_text(entry.source),
                                           long.says if long is not None else None, doc.location(at, key=True)))
        return Package(name, entry.title, tuple(values), entry.says, day, source_text(entry.source),
                       doc.location(path, key=True))

    def party(self, model: PartyFile, doc: LocatedDoc, prefix: Path_, issues: dict[str, Issue]) -> Party:
        self.check_party(model, doc, prefix)
        if model.accept_at_least is not None and not any(model.demands):
            self.report(doc, prefix + ("accept_at_least",), "accept_at_least needs demands to measure",
                        key=True, hint="add demands, or remove accept_at_least")
        red = self.rules(model.red_lines, model.party, RuleKind.RED_LINE, doc, prefix + ("red_lines",), issues)
        wants = self.rules(model.demands, model.party, RuleKind.DEMAND, doc, prefix + ("demands",), issues)
        name = model.name or model.party
        level_at = doc.location(prefix + ("accept_at_least",), key=True)
        acceptance = acceptance_rule(model.party, name, wants, model.accept_at_least, level_at)
        utility, reservation = self.utility(model, name, doc, prefix, issues)
        return Party(model.party, name, red, wants, model.accept_at_least, acceptance,
                     doc.location(prefix + ("party",)), _written(getattr(model, "consent", None)), utility, reservation)

    def utility(self, model: PartyFile, name: str, doc: LocatedDoc, prefix: Path_, issues: dict[str, Issue]
                ) -> tuple[Utility | None, Rule | None]:
        """The party's utility block and its reservation value as the red line PARTY/reservation (None, None
        without a block, or when it has a problem: reported where it is written)."""
        entry = getattr(model, "utility", None)  # (a salvaged party file has none)
        if entry is None:
            return None, None
        at = prefix + ("utility",)
        for section in ("red_lines", "demands"):
            for i, rule in enumerate(getattr(model, section)):
                if rule is not None and rule.id == RESERVATION_ID and entry.reservation is not None:
                    self.report(doc, prefix + (section, i, "id"), f"'{RESERVATION_ID}' names the party's "
                                "reservation value", hint="give this rule another id")
        utility = BlockReader(self, doc, issues).block(entry, at)
        if utility is None:
            return None, None
        where = doc.location(at + ("reservation",), key=True)
        return utility, reservation_rule(model.party, name, utility, issues, where)


def _written(names: list[str] | None) -> tuple[str, ...] | None:
    """A `consent:` list as written (None: absent, which is not the same as empty)."""
    return None if names is None else tuple(names)


def _wrong_type(issue: Issue, raw) -> bool:
    """Whether a value written for the issue is of the wrong kind altogether (a number for a yes-or-no issue)."""
    if issue.kind is IssueKind.BOOL:
        return not isinstance(raw, bool)
    if issue.kind is IssueKind.INT:
        return isinstance(raw, bool) or not isinstance(raw, int)
    if issue.kind is IssueKind.ENUM:
        return not isinstance(raw, str)
    if issue.kind is IssueKind.SEQUENCE:
        return not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw)
    return not isinstance(raw, list) or not all(isinstance(v, str) for v in raw)


def _expected(issue: Issue) -> str:
    if issue.kind is IssueKind.BOOL:
        return "true or false"
    if issue.kind is IssueKind.INT:
        return f"a whole number in {issue.min}..{issue.max}"
    if issue.kind is IssueKind.ENUM:
        return "one of " + ", ".join(issue.values)
    if issue.kind is IssueKind.SEQUENCE:
        return "its steps with their phases, e.g. {" + ", ".join(f"{s}: {i + 1}" for i, s in enumerate(issue.steps)) \
            + "}"
    return "a list of some of " + ", ".join(issue.values)


def repeated_positions(values: tuple[str, ...]) -> list[int]:
    """The positions of values listed before, in order."""
    seen: set[str] = set()
    repeated = []
    for i, value in enumerate(values):
        if value in seen:
            repeated.append(i)
        seen.add(value)
    return repeated


def _valid_or_none(model, item):
    try:
        return model.model_validate(item)
    except ValidationError:
        return None


def _entries(raw, model) -> list:
    """The valid entries of a list, with None in place of invalid ones so that positions stay right."""
    return [_valid_or_none(model, item) for item in raw] if isinstance(raw, list) else []


def salvage_party(data: dict) -> PartyFile:
    """The valid parts of a party file whose shape is wrong (its problems are reported already)."""
    party = data.get("party")
    return PartyFile.model_construct(
        party=party if isinstance(party, str) else "?", name=None, accept_at_least=None,
        red_lines=_entries(data.get("red_lines"), RuleEntry), demands=_entries(data.get("demands"), RuleEntry))


def salvage_scenario(data: dict) -> ScenarioFile:
    """The valid parts of a scenario file whose shape is wrong (its problems are reported already)."""
    issues = {}
    raw = data.get("issues")
    for name, spec in (raw.items() if isinstance(raw, dict) else []):
        if isinstance(name, str) and re.match(ISSUE_NAME, name):
            try:
                issues[name] = _ISSUE.validate_python(spec)
            except ValidationError:
                pass
    parties = data.get("parties")
    return ScenarioFile.model_construct(
        title=str(data.get("title") or ""), description=None, caveats=[], issues=issues,
        sources=_entries(data.get("sources"), SourceEntry),
        facts=_entries(data.get("facts"), FactEntry),
        parties=[salvage_party(p) if isinstance(p, dict) else None for p in parties]
        if isinstance(parties, list) else None)


def broken_issues(data: dict, head: ScenarioFile) -> frozenset[str]:
    """Issues declared but rejected, under their own names and as rules would spell them (`cannabis-legal` is
    `cannabis_legal` in a rule): the declaration's error explains every rule that uses them."""
    raw = data.get("issues")
    rejected = [k for k in raw if k not in head.issues] if isinstance(raw, dict) else []
    # A rule that writes `cannabis-legal` as it was declared reads as `cannabis - legal`: its parts are the
    # same mistake, and blaming them as two unknown issues would hide it.
    parts = {part for k in rejected for part in re.split(r"[^a-z0-9_]+", str(k).lower()) if part}
    return frozenset(str(k) for k in rejected) | frozenset(_as_issue_name(str(k)) for k in rejected) | parts


def _as_issue_name(text: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", text.lower())


_ISSUE = TypeAdapter(IssueDef)


def rule_diagnostic(doc: LocatedDoc, path: Path_, span: Span, message: str, hint: str | None) -> Diagnostic:
    """A diagnostic pointing inside a rule string, mapped to the file's line and column."""
    node = doc.nodes.get(path)
    if node is None:
        return doc.diagnostic(path, message, hint=hint)
    offsets = scalar_text_offsets(doc.source, node)
    start = offsets[min(span[0], len(offsets) - 1)]
    end = offsets[min(max(span[1] - 1, span[0]), len(offsets) - 1)]
    width = end[1] - start[1] + 1 if end[0] == start[0] else 1
    location = doc.source.at(*start)
    return Diagnostic(message, location, doc.source.line_text(start[0]), max(width, 1), hint)
