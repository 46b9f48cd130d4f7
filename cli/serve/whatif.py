"""The page's what-if (a JSON object) as `feasible check` takes it: checked in shape (names and values are
checked by the edits themselves, with the CLI's located errors), as an `Ask`, as the equivalent command line and
as an overlay file (docs/whatif.md) that `feasible check --with FILE` reads back to the same answer."""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass

import yaml

from feasible.positions.edits import Edits, apply_edits
from feasible.positions.model import Rule, Scenario
from feasible.solver import Objective
from feasible.solver.live import Ask

from ..safe import terminal_text
from . import words

TEXT_LIMIT = 1_000
ITEMS_LIMIT = 10_000
KEYS = ("drop", "demote", "set", "weight", "readings", "objective")


class BadRequest(ValueError):
    """A request the page never sends: answered 400 with its plain message."""


@dataclass(frozen=True)
class WhatIf:
    """What the page asks: as `check --reading R --drop X --demote Y --set I=V --weight D=W --objective O`."""

    drop: tuple[str, ...] = ()
    demote: tuple[str, ...] = ()
    set: tuple[tuple[str, str], ...] = ()  # (ISSUE or SEQUENCE.STEP, value as typed)
    weight: tuple[tuple[str, str], ...] = ()  # (PARTY/DEMAND, weight as typed)
    readings: tuple[str, ...] = ()
    objective: Objective = Objective.FAIR

    def edits(self) -> Edits:
        """The edits as the CLI's options give them (never an overlay: no request names a file)."""
        return Edits(drop=self.drop, set=tuple(f"{k}={v}" for k, v in self.set), demote=self.demote,
                     weight=tuple(f"{k}={v}" for k, v in self.weight))

    def ask(self) -> Ask:
        return Ask(self.edits(), self.readings, self.objective)


_LINE_BREAKS = re.compile("[\n\r\v\f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """Text from the files or a request on one line of a terminal or a comment: escapes and controls removed
    (cli/safe.py), line breaks folded to spaces."""
    return _LINE_BREAKS.sub(" ", terminal_text(_LINE_BREAKS.sub(" ", text)))


def has_controls(text: str) -> bool:
    """Control characters, line or paragraph separators, or a lone surrogate (no name or value has them, and
    they would break the command line shown and the overlay's comment)."""
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") for c in text)


def _text(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise BadRequest(words.NOT_TEXT.format(key=key))
    if len(value) > TEXT_LIMIT:
        raise BadRequest(words.TOO_LONG.format(key=key, limit=TEXT_LIMIT))
    if has_controls(value):
        raise BadRequest(words.CONTROLS.format(key=key))
    return value


def _names(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise BadRequest(words.NOT_LIST.format(key=key))
    if len(value) > ITEMS_LIMIT:
        raise BadRequest(words.TOO_MANY.format(key=key, limit=ITEMS_LIMIT))
    return tuple(dict.fromkeys(_text(key, item) for item in value))  # a name twice is the same choice


def _pairs(key: str, value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise BadRequest(words.NOT_MAPPING.format(key=key))
    if len(value) > ITEMS_LIMIT:
        raise BadRequest(words.TOO_MANY.format(key=key, limit=ITEMS_LIMIT))
    return tuple((_text(key, k), _text(key, v)) for k, v in value.items())


def parse_whatif(data: object) -> WhatIf:
    """The what-if from its JSON: every key optional; a wrong shape is a BadRequest."""
    if data is None:
        return WhatIf()
    if not isinstance(data, dict):
        raise BadRequest(words.WHATIF_NOT_OBJECT)
    for key in data:
        if key not in KEYS:
            raise BadRequest(words.UNKNOWN_KEY.format(key=str(key)[:80], known=", ".join(KEYS)))
    objective = data.get("objective", Objective.FAIR.value)
    known = [o.value for o in Objective]
    if objective not in known:
        raise BadRequest(words.BAD_OBJECTIVE.format(known=", ".join(known)))
    return WhatIf(drop=_names("drop", data.get("drop", [])), demote=_names("demote", data.get("demote", [])),
                  set=_pairs("set", data.get("set", {})), weight=_pairs("weight", data.get("weight", {})),
                  readings=_names("readings", data.get("readings", [])), objective=Objective(objective))


def canonical(whatif: WhatIf, scenario: Scenario) -> WhatIf:
    """The what-if in the scenario's order (rules as listed, issues as listed): the same choices give the same
    command line whatever order they were clicked in. Names the scenario does not have keep their order, last."""
    rules = {name: i for i, name in enumerate(r.name for p in scenario.parties for r in (*p.red_lines, *p.demands))}
    issues = {name: i for i, name in enumerate(scenario.issues)}

    def rule_order(name: str) -> tuple[int, int]:
        return (0, rules[name]) if name in rules else (1, 0)

    def issue_order(pair: tuple[str, str]) -> tuple[int, int, str]:
        issue, _, step = pair[0].partition(".")
        steps = scenario.issues[issue].steps if issue in scenario.issues else ()
        return ((0, issues[issue], f"{steps.index(step):09d}" if step in steps else step) if issue in issues
                else (1, 0, ""))

    return WhatIf(tuple(sorted(whatif.drop, key=rule_order)), tuple(sorted(whatif.demote, key=rule_order)),
                  tuple(sorted(whatif.set, key=issue_order)),
                  tuple(sorted(whatif.weight, key=lambda pair: rule_order(pair[0]))), whatif.readings,
                  whatif.objective)


def command_line(path: str | None, whatif: WhatIf, scenario: Scenario) -> str:
    """The equivalent `feasible check` command, shell-quoted, naming PATH as the user gave it."""
    whatif = canonical(whatif, scenario)
    parts = ["feasible", "check"] + ([path] if path is not None else [])
    parts += [item for name in whatif.readings for item in ("--reading", name)]
    parts += [item for name in whatif.drop for item in ("--drop", name)]
    parts += [item for name in whatif.demote for item in ("--demote", name)]
    parts += [item for k, v in whatif.set for item in ("--set", f"{k}={v}")]
    parts += [item for k, v in whatif.weight for item in ("--weight", f"{k}={v}")]
    if whatif.objective is not Objective.FAIR:
        parts += ["--objective", whatif.objective.value]
    return " ".join(shlex.quote(part) for part in parts)


def _entry(rule: Rule) -> dict:
    entry: dict = {"id": rule.id, "says": rule.says, "rule": rule.text}
    if rule.weight != 1:
        entry["weight"] = rule.weight
    if rule.source:
        entry["source"] = rule.source
    return entry


def overlay_document(baseline: Scenario, whatif: WhatIf) -> dict:
    """The what-if's edits as an overlay (facts and parties merged by id): a red line dropped is `drop: true`, one
    demoted is listed under demands, a demand reweighed is put again with its weight, a value pinned is the fact
    `--set` makes. Raises UserError for an edit that does not apply, as the CLI."""
    edited, _ = apply_edits(baseline, canonical(whatif, baseline).edits())
    after = {p.id: p for p in edited.parties}
    parties = []
    for party in baseline.parties:
        now = after.get(party.id)
        red_now = {r.id for r in now.red_lines} if now else set()
        demands_now = {r.id: r for r in now.demands} if now else {}
        red_lines = [{"id": r.id, "drop": True} for r in party.red_lines
                     if r.id not in red_now and r.id not in demands_now]
        before = {r.id: r for r in party.demands}
        demands = [_entry(r) for r in (now.demands if now else ())
                   if r.id not in before or before[r.id] != r]
        demands += [{"id": r.id, "drop": True} for r in party.demands if r.id not in demands_now]
        if red_lines or demands:
            parties.append({"party": party.id, **({"red_lines": red_lines} if red_lines else {}),
                            **({"demands": demands} if demands else {})})
    kept = {f.id: f for f in baseline.facts}
    facts = [_entry(f) for f in edited.facts if f.id not in kept or kept[f.id].text != f.text]
    return {**({"facts": facts} if facts else {}), **({"parties": parties} if parties else {})}


def overlay_yaml(baseline: Scenario, whatif: WhatIf, command: str) -> str:
    """The overlay file: a header naming the command it stands for (readings and the objective are options of
    check, not edits, so they are named there), then the document."""
    document = overlay_document(baseline, whatif)
    options = [f"--reading {shlex.quote(one_line(name))}" for name in whatif.readings]
    if whatif.objective is not Objective.FAIR:
        options.append(f"--objective {whatif.objective.value}")
    header = [f"# What-if from feasible serve: {one_line(command)}",
              "# Ask it with: feasible check PATH --with whatif.yaml" + "".join(f" {option}" for option in options)]
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100) if document else "{}\n"
    return "\n".join(header) + "\n" + body
