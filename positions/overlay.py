"""Overlay files (`--with FILE`): position-format changes merged into a scenario by id.

An overlay is either a party file (`party:` with red_lines/demands) or a mapping with `facts:` and
`parties:`. Its rules are parsed and checked against the scenario's issues with the same located errors as
the scenario's own files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, InvalidScenario, UserError
from .files import overlay_hint, path_exists, resolve_overlay
from .limits import Limits
from .loader import RuleBuilder, read_position_file
from .location import display_path
from .model import FACTS, Issue, Rule, RuleKind, Scenario
from .schema import OverlayFile, OverlayParty, OverlayRuleEntry
from .validation import validate_model
from .yamlread import LocatedDoc, Path_


@dataclass(frozen=True)
class RuleChange:
    id: str
    rule: Rule | None  # None: drop the rule with this id


@dataclass(frozen=True)
class PartyChange:
    party: str
    name: str | None
    accept_at_least: int | None
    drop: bool
    red_lines: tuple[RuleChange, ...]
    demands: tuple[RuleChange, ...]


@dataclass(frozen=True)
class Overlay:
    path: str
    facts: tuple[RuleChange, ...]
    parties: tuple[PartyChange, ...]
    title: str | None = None  # what the overlay stands for; changes nothing


def load_overlay(path: Path, scenario: Scenario) -> Overlay:
    """The overlay file, its rules built and checked against the scenario's issues as the loader checks the
    scenario's own (positions.loader.RuleBuilder); every problem located, all reported at once. A relative path
    not found from the working directory is looked up in the scenario's directory."""
    typed = path
    path = resolve_overlay(path, scenario.origin)
    if not path_exists(path, f"--with {path}"):
        raise UserError(f"--with {path}: no such file",
                        hint=_reading_hint(typed, scenario) or overlay_hint(path, scenario.origin))
    if not path.is_file():
        raise UserError(f"--with {path}: not a regular file", hint="an overlay is one YAML file")
    problems: list[Diagnostic] = []
    limits = Limits.from_environment()
    doc = read_position_file(path, problems, limits=limits)
    if doc is None:
        raise InvalidScenario(problems)
    single_party = "party" in doc.data
    model: OverlayParty | OverlayFile | None
    model, found = (validate_model(doc, OverlayParty, doc.data) if single_party
                    else validate_model(doc, OverlayFile, doc.data))
    problems += found
    if model is None:
        raise InvalidScenario(problems)
    rules = RuleBuilder(problems, limits, registry=tuple(s.id for s in scenario.sources))
    label = str(typed) if path is not typed else display_path(path)
    if isinstance(model, OverlayParty):  # a party of its own
        overlay = overlay_changes(label, rules, doc, scenario.issues, [], (), [(model, ())])
    else:  # what the overlay rests on cites the scenario's sources too
        rules.citations_known(model.source, doc, ("source",))
        overlay = overlay_changes(label, rules, doc, scenario.issues, model.facts, ("facts",),
                                  [(p, ("parties", i)) for i, p in enumerate(model.parties)], model.title)
    if problems:
        raise InvalidScenario(problems)
    return overlay


def _reading_hint(path: Path, scenario: Scenario) -> str | None:
    """An overlay named like one of the scenario's readings (its shipped readings used to be overlay files)."""
    if any(reading.name == path.stem for reading in scenario.readings):
        return f"the scenario declares the reading '{path.stem}' in its scenario.yaml: use --reading {path.stem}"
    return None


def overlay_changes(label: str, rules: RuleBuilder, doc: LocatedDoc, issues: dict[str, Issue],
                    facts: list[OverlayRuleEntry], facts_at: Path_, parties: list[tuple[OverlayParty, Path_]],
                    title: str | None = None) -> Overlay:
    """The changes of an overlay's `facts:` (found at `facts_at` in `doc`) and parties (each at its place), built
    and checked as the loader checks a scenario's own rules: an overlay file's, or a reading's written inside
    scenario.yaml. Problems go to `rules.problems`; entries with a problem are left out."""
    builder = _Changes(rules, doc, issues)
    for party, prefix in parties:
        rules.check_party(party, doc, prefix)
    fact_changes = builder.changes(facts, FACTS, RuleKind.FACT, facts_at)
    party_changes = tuple(
        PartyChange(p.party, p.name, p.accept_at_least, p.drop,
                    builder.changes(p.red_lines, p.party, RuleKind.RED_LINE, prefix + ("red_lines",)),
                    builder.changes(p.demands, p.party, RuleKind.DEMAND, prefix + ("demands",)))
        for p, prefix in parties)
    return Overlay(label, fact_changes, party_changes, title)


@dataclass(frozen=True)
class _Changes:
    rules: RuleBuilder
    doc: LocatedDoc
    issues: dict[str, Issue]

    def changes(self, entries: list[OverlayRuleEntry], owner: str, kind: RuleKind, prefix: Path_
                ) -> tuple[RuleChange, ...]:
        """Each entry as the rule it puts in place, or None for `drop: true`; entries with a problem (reported)
        are left out."""
        result = []
        for i, entry in enumerate(entries):
            if entry.drop:
                result.append(RuleChange(entry.id, None))
                continue
            rule = self.rules.rule(entry, owner, kind, self.doc, prefix + (i,), self.issues)
            if rule is not None:
                result.append(RuleChange(entry.id, rule))
        return tuple(result)
