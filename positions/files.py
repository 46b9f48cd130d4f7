"""Which files make up a scenario: a PATH argument resolved to a directory, a file or a shipped scenario, and the
position files read from it. Kept apart from the loader (and free of pydantic and YAML): naming a scenario and
listing its files does not need the loader."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .errors import UserError
from .limits import Limits, override_hint
from .location import display_path
from .shipped import DEFAULT_SCENARIO, shipped_scenarios
from .suggest import did_you_mean

SCENARIO_FILE = "scenario.yaml"


def resolve_scenario(path: str | Path | None) -> Path:
    """The file or directory a PATH argument names: a path, or the name of a shipped scenario."""
    shipped = shipped_scenarios()
    if path is None:
        return shipped[DEFAULT_SCENARIO]
    candidate = Path(path)
    if path_exists(candidate):
        return candidate
    if str(path) in shipped:
        return shipped[str(path)]
    hint = did_you_mean(str(path), shipped) or (
        "give a scenario directory, a scenario .yaml file, or a shipped scenario: " + ", ".join(shipped))
    raise UserError(f"no scenario at '{path}': no such file or directory, and no shipped scenario of that name",
                    hint=hint)


READINGS_DIR = "readings"


def readings(origin: Path | None) -> list[Path]:
    """The overlays a scenario directory keeps in a `readings/` sub-folder (each usable with `--with`), in name
    order; none for a single-file scenario. (A scenario declares its own readings in scenario.yaml: those are
    positions/readings.py's.)"""
    folder = origin / READINGS_DIR if origin is not None and origin.is_dir() else None
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) if folder is not None and folder.is_dir() else []


def resolve_overlay(path: Path, origin: Path | None) -> Path:
    """The file an overlay argument names: a path from the working directory, or else a path from the scenario's
    directory (so `--with readings/NAME.yaml` finds an overlay kept beside the scenario wherever it is).
    """
    if path_exists(path, f"--with {path}") or path.is_absolute() or origin is None or not origin.is_dir():
        return path
    beside = origin / path
    return beside if path_exists(beside, f"--with {path}") else path


def overlay_hint(path: Path, origin: Path | None) -> str | None:
    """Did-you-mean help for an overlay that is not found: the scenario's readings, if it has any."""
    shipped = [f"{READINGS_DIR}/{p.name}" for p in readings(origin)]
    if not shipped:
        return None
    return did_you_mean(str(path), shipped) or "the scenario's readings: " + ", ".join(shipped)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def path_exists(path: Path, what: str | None = None) -> bool:
    """Whether a path the user gave exists; a path that cannot even be looked up (a file name too long, a
    directory without permission) is the user's error, named by `what` (the path itself by default)."""
    try:
        return path.exists()
    except OSError as exc:
        what = what or f"cannot read '{path}'"
        raise UserError(f"{what}: {exc.strerror or exc}", hint="a name in the path is longer than the file system "
                        "allows" if exc.errno == errno.ENAMETOOLONG else None) from None


def scenario_files(origin: Path, limits: Limits) -> tuple[Path, list[Path]]:
    if origin.is_dir():
        head = origin / SCENARIO_FILE
        if os.path.lexists(head) and not head.is_file():
            raise UserError(f"'{display_path(head)}' is not a readable file (a directory, a broken link or a link "
                            "loop?)", hint="scenario.yaml must be a regular file")
        if not head.is_file():
            others = sorted(p.name for p in origin.glob("*.y*ml"))
            hint = (f"found {', '.join(others)}; a scenario directory needs a {SCENARIO_FILE} with the title and "
                    "issues") if others else "is this the right directory?"
            raise UserError(f"'{display_path(origin)}' has no {SCENARIO_FILE}", hint=hint)
        stray = sorted(p.name for p in origin.glob("*.yml"))
        if stray:  # a party silently left out would change every answer
            raise UserError(f"'{display_path(origin)}' holds {', '.join(stray)}: only files ending in .yaml are read",
                            hint=f"rename {_listed(stray)} to end in .yaml, or move "
                                 f"{'it' if len(stray) == 1 else 'them'} out")
        parties = sorted(p for p in origin.glob("*.yaml") if p.name != SCENARIO_FILE)
        odd = [p.name for p in parties if not p.is_file()]
        if odd:  # a directory, a broken link or a link loop where a party file should be
            raise UserError(f"'{display_path(origin)}' holds {', '.join(odd)}, which "
                            f"{'is not a readable file' if len(odd) == 1 else 'are not readable files'}",
                            hint="a scenario directory holds scenario.yaml and one file per party; remove or fix it")
        _refuse_links_out_of(origin, [head, *parties])
        if len(parties) + 1 > limits.files:
            raise UserError(f"'{display_path(origin)}' holds {len(parties) + 1} YAML files, more than the limit of "
                            f"{limits.files:,}", hint=override_hint("files"))
        return head, parties
    if not origin.is_file():
        raise UserError(f"'{display_path(origin)}' is not a regular file or a scenario directory")
    return origin, []


def _refuse_links_out_of(directory: Path, paths: list[Path]) -> None:
    """A link from a scenario directory to a file elsewhere (another user's file, /proc/self/environ) would be read,
    and quoted in errors, as if it were a position file of the scenario."""
    inside = directory.resolve()
    for path in paths:
        if path.is_symlink() and inside not in path.resolve().parents:
            shown = Path(display_path(path.parent)) / path.name  # the link itself, not where it leads
            raise UserError(f"'{shown}' is a link to '{os.readlink(path)}', outside the scenario's "
                            "directory", hint="copy the file into the directory instead of linking to it")
