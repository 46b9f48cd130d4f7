"""Scenarios as they were at a git revision (`REV:PATH`), and what changed between two scenarios."""

from __future__ import annotations

import os
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
    return bool(sep) and bool(rev) and len(rev) > 1 and not _exists(Path(text))


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long to look up is no existing path: then git is asked, and explains
        return False


class _GitFailed(Exception):
    """git ran and refused; `reason` is its own short explanation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UserError("REV:PATH needs git, which is not installed") from None
    if done.returncode != 0:
        raise _GitFailed(_short_reason(done.stderr))
    return done.stdout


def _short_reason(stderr: bytes) -> str:
    """git's last complaint without its 'fatal: ' prefix (the lines before it are usage or advice)."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    last = lines[-1] if lines else "no reason given"
    return last.removeprefix("fatal: ").removeprefix("error: ")


def load_revision(spec: str, workdir: Path | None = None) -> Scenario:
    """Load the scenario at PATH as it was at git revision REV of the repository holding the working directory."""
    rev, _, path_text = spec.partition(":")
    here = (workdir or Path.cwd()).resolve()
    try:
        top = Path(os.fsdecode(_git(here, "rev-parse", "--show-toplevel").rstrip(b"\n")))
    except _GitFailed as exc:
        raise UserError(f"{spec}: '{here}' is not in a git repository (git: {exc.reason})",
                        hint="REV:PATH reads PATH from the repository holding the working directory") from None
    target = (here / (path_text or ".")).resolve()
    try:
        relative = target.relative_to(top).as_posix()
    except ValueError:
        raise UserError(f"{spec}: '{path_text}' is outside the git repository at {top}") from None
    _check_revision(spec, top, rev)
    try:
        kind = _git(top, "cat-file", "-t", f"{rev}:{relative}" if relative != "." else f"{rev}^{{tree}}")
        names = ([relative] if kind.strip() == b"blob" else
                 [n for n in _tree_names(top, rev, relative) if n.endswith((".yaml", ".yml"))])
    except _GitFailed as exc:
        raise UserError(f"{spec}: '{path_text}' is not there at revision {rev} (git: {exc.reason})") from None
    if not names:
        raise UserError(f"{spec}: no YAML files there at revision {rev}")
    with tempfile.TemporaryDirectory(prefix="feasible-rev-") as temp:
        root = Path(temp)
        for name in names:
            out = root / Path(name).name
            try:
                out.write_bytes(_git(top, "show", f"{rev}:{name}"))
            except _GitFailed as exc:
                raise UserError(f"{spec}: cannot read '{name}' at revision {rev} (git: {exc.reason})") from None
        origin = root / Path(names[0]).name if kind.strip() == b"blob" else root
        shown = {root / Path(n).name: f"{rev}:{n}" for n in names}
        scenario = load_scenario(origin, display=lambda p: shown.get(p, str(p)), versions=True)
    return scenario


def _check_revision(spec: str, top: Path, rev: str) -> None:
    """Refuse a REV that names nothing in the repository, in git's own words (a name starting with '-' is
    refused before git sees it, as git would read it as an option)."""
    try:
        if rev.startswith("-"):
            raise _GitFailed("a revision never starts with '-'")
        _git(top, "cat-file", "-t", rev)
    except _GitFailed as exc:
        raise UserError(f"{spec}: '{rev}' is not a revision in this repository (git: {exc.reason})",
                        hint="name a commit, branch or tag, e.g. HEAD or HEAD~1 ('git log --oneline' lists them)"
                        ) from None


def _tree_names(top: Path, rev: str, relative: str) -> list[str]:
    """The paths of the files directly in the directory at `rev`, as they are: `-z` output is never quoted or
    escaped (plain output quotes names with characters outside ASCII)."""
    listing = _git(top, "ls-tree", "-z", "--name-only", "--end-of-options", rev,
                   f"{relative}/" if relative != "." else ".")
    return [os.fsdecode(name) for name in listing.split(b"\0") if name]


def load_any(spec: str) -> Scenario:
    """A scenario from a path, a shipped name or REV:PATH, with every dated version of its positions (take it as
    of a day with positions.dates.as_of)."""
    return load_revision(spec) if is_revision_spec(spec) else load_scenario(spec, versions=True)


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


def rule_fields(rule: Rule) -> dict:
    """The fields of a rule that `diff` compares, by name."""
    return {"kind": rule.kind.value, "says": rule.says, "rule": rule.text, "weight": rule.weight,
            "source": rule.source}


def position_changes(old: Scenario, new: Scenario) -> PositionChanges:
    old_rules = {r.name: r for r in old.rules()}
    new_rules = {r.name: r for r in new.rules()}
    old_parties, new_parties = [p.id for p in old.parties], [p.id for p in new.parties]
    changed = []
    for name in old_rules.keys() & new_rules.keys():
        a, b = rule_fields(old_rules[name]), rule_fields(new_rules[name])
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
