"""Scenarios as they were at a git revision (`REV:PATH`), and what changed between two scenarios."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .loader import load_scenario
from .model import Rule, Scenario


def is_revision_spec(text: str) -> bool:
    """`REV:PATH` names a git revision unless it is an existing path (or a bare drive letter)."""
    rev, sep, _ = text.partition(":")
    return bool(sep) and bool(rev) and len(rev) > 1 and not Path(text).exists()


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UserError("REV:PATH needs git, which is not installed") from None
    if done.returncode != 0:
        raise UserError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def load_revision(spec: str, workdir: Path | None = None) -> Scenario:
    """Load the scenario at PATH as it was at git revision REV of the repository holding the working directory."""
    rev, _, path_text = spec.partition(":")
    here = (workdir or Path.cwd()).resolve()
    top = Path(_git(here, "rev-parse", "--show-toplevel").decode().strip())
    target = (here / (path_text or ".")).resolve()
    try:
        relative = target.relative_to(top).as_posix()
    except ValueError:
        raise UserError(f"{spec}: '{path_text}' is outside the git repository at {top}") from None
    kind = _git(top, "cat-file", "-t", f"{rev}:{relative}" if relative != "." else f"{rev}^{{tree}}").decode().strip()
    names = ([relative] if kind == "blob" else
             [n for n in _git(top, "ls-tree", "--name-only", f"{rev}", f"{relative}/" if relative != "." else ".")
              .decode().splitlines() if n.endswith((".yaml", ".yml"))])
    if not names:
        raise UserError(f"{spec}: no YAML files there at revision {rev}")
    with tempfile.TemporaryDirectory(prefix="feasible-rev-") as temp:
        root = Path(temp)
        for name in names:
            out = root / Path(name).name
            out.write_bytes(_git(top, "show", f"{rev}:{name}"))
        origin = root / Path(names[0]).name if kind == "blob" else root
        shown = {root / Path(n).name: f"{rev}:{n}" for n in names}
        scenario = load_scenario(origin, display=lambda p: shown.get(p, str(p)))
    return scenario


def load_any(spec: str) -> Scenario:
    return load_revision(spec) if is_revision_spec(spec) else load_scenario(spec)


@dataclass(frozen=True)
class PositionChanges:
    """What changed between two versions of a scenario's positions."""

    parties_added: tuple[str, ...]
    parties_removed: tuple[str, ...]
    issues_added: tuple[str, ...]
    issues_removed: tuple[str, ...]
    issues_changed: tuple[str, ...]
    rules_added: tuple[str, ...]
    rules_removed: tuple[str, ...]
    rules_changed: tuple[tuple[str, tuple[str, ...]], ...]  # name, fields that differ


def _fields(rule: Rule) -> dict:
    return {"kind": rule.kind.value, "says": rule.says, "rule": rule.text, "weight": rule.weight,
            "source": rule.source}


def position_changes(old: Scenario, new: Scenario) -> PositionChanges:
    old_rules = {r.name: r for r in old.rules()}
    new_rules = {r.name: r for r in new.rules()}
    old_parties, new_parties = [p.id for p in old.parties], [p.id for p in new.parties]
    changed = []
    for name in old_rules.keys() & new_rules.keys():
        a, b = _fields(old_rules[name]), _fields(new_rules[name])
        differs = tuple(k for k in a if a[k] != b[k])
        if differs:
            changed.append((name, differs))
    order = list(old_rules) + [n for n in new_rules if n not in old_rules]
    changed.sort(key=lambda item: order.index(item[0]))
    return PositionChanges(
        tuple(p for p in new_parties if p not in old_parties), tuple(p for p in old_parties if p not in new_parties),
        tuple(i for i in new.issues if i not in old.issues), tuple(i for i in old.issues if i not in new.issues),
        tuple(i for i in old.issues if i in new.issues and old.issues[i] != new.issues[i]),
        tuple(n for n in new_rules if n not in old_rules), tuple(n for n in old_rules if n not in new_rules),
        tuple(changed))
