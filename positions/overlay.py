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
from .location import display_path
from .model import Rule, RuleKind, Scenario
from .limits import Limits
from .loader import RESERVED_PARTIES, _Builder, _read
from .schema import OverlayFile, OverlayParty, OverlayRuleEntry
from .validation import validate_model
from .yamlread import Path_


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
    title: str | None = None  # what the overlay stands for (a shipped reading's title); changes nothing


def load_overlay(path: Path, scenario: Scenario) -> Overlay:
    typed = path
    path = resolve_overlay(path, scenario.origin)
    if not path_exists(path, f"--with {path}"):
        raise UserError(f"--with {path}: no such file", hint=overlay_hint(path, scenario.origin))
    if not path.is_file():
        raise UserError(f"--with {path}: not a regular file", hint="an overlay is one YAML file")
    problems: list[Diagnostic] = []
    limits = Limits.from_environment()
    doc = _read(path, problems, limits=limits)
    if doc is None:
        raise InvalidScenario(problems)
    single_party = "party" in doc.data
    model, found = validate_model(doc, OverlayParty if single_party else OverlayFile, doc.data)
    problems += found
    if model is None:
        raise InvalidScenario(problems)
    builder = _Builder(None, None, problems, limits=limits)
    parties = [model] if single_party else model.parties
    prefixes: list[Path_] = [()] if single_party else [("parties", i) for i in range(len(parties))]

    def changes(entries: list[OverlayRuleEntry], owner: str, kind: RuleKind, prefix: Path_
                ) -> tuple[RuleChange, ...]:
        result = []
        for i, entry in enumerate(entries):
            if entry.drop:
                result.append(RuleChange(entry.id, None))
                continue
            expr = builder.rule_expr(entry.rule, doc, prefix + (i, "rule"), scenario.issues)
            if expr is not None and builder.weight_within_limit(entry.weight, doc, prefix + (i, "weight")):
                result.append(RuleChange(entry.id, Rule(owner, entry.id, kind, entry.says, entry.rule, expr,
                                                        entry.weight, entry.source, doc.location(prefix + (i,)))))
        return tuple(result)

    for party, prefix in zip(parties, prefixes):  # the loader's party checks, for overlays too
        if party.party in RESERVED_PARTIES:
            problems.append(doc.diagnostic(prefix + ("party",), f"'{party.party}' is reserved and cannot be a party id",
                                           hint="choose another id"))
        seen: set[str] = set()
        for section in ("red_lines", "demands"):
            for i, entry in enumerate(getattr(party, section)):
                if entry.id in seen:
                    problems.append(doc.diagnostic(prefix + (section, i, "id"),
                                                   f"id '{entry.id}' is used twice in party '{party.party}'",
                                                   hint="ids are unique within a party"))
                seen.add(entry.id)
    facts = () if single_party else changes(model.facts, "facts", RuleKind.FACT, ("facts",))
    party_changes = tuple(
        PartyChange(p.party, p.name, p.accept_at_least, p.drop,
                    changes(p.red_lines, p.party, RuleKind.RED_LINE, prefix + ("red_lines",)),
                    changes(p.demands, p.party, RuleKind.DEMAND, prefix + ("demands",)))
        for p, prefix in zip(parties, prefixes))
    if problems:
        raise InvalidScenario(problems)
    title = None if single_party else model.title
    return Overlay(str(typed) if path is not typed else display_path(path), facts, party_changes, title)
