"""Writing the files of an import or export into a directory: whole or not at all, and under a lock.

A new directory is filled beside its final place and renamed into it, so that it appears whole; a directory that
exists (empty, or with --force) is locked (positions/atomic.py) and each file replaced atomically, and with --force
the files of the same kind it held that the new set does not have are removed, so that what it holds is exactly
the import (a stale party file would be read as a party)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..atomic import Busy, atomic_write, locked
from ..errors import UserError
from ..location import display_path
from ..model import Scenario


def loaded_as(files: dict[str, str], directory: Path) -> Scenario:
    """The scenario `files` make, loaded and validated before anything is written: from a temporary copy, its
    messages naming the files as they will be in `directory`."""
    from .. import load_scenario

    with tempfile.TemporaryDirectory(prefix="feasible-import-") as temp:
        staged = Path(temp)
        for name, text in files.items():
            (staged / name).write_text(text, encoding="utf-8")
        return load_scenario(staged, display=lambda path: display_path(directory / path.relative_to(staged)))


def write_directory(directory: Path, files: dict[str, str], *, force: bool, kind: str) -> list[Path]:
    """Write `files` (name → text) into `directory`; the paths written. `kind` is the suffix of the files an
    import owns (".yaml", ".xml"): with `force`, others of that suffix are removed."""
    try:
        if not directory.exists():
            return _create(directory, files)
        if not directory.is_dir():
            raise UserError(f"'{display_path(directory)}' is not a directory", hint="name a new or empty directory")
        with locked([directory]):
            return _replace(directory, files, force=force, kind=kind)
    except Busy:
        raise UserError(f"another feasible command is writing '{display_path(directory)}'",
                        hint="try again when it has finished") from None
    except OSError as exc:
        raise UserError(f"cannot write '{display_path(directory)}': {exc.strerror or exc}",
                        hint="check that the directory can be created and written to") from None


def _create(directory: Path, files: dict[str, str]) -> list[Path]:
    parent = directory.parent
    parent.mkdir(parents=True, exist_ok=True)
    with locked([parent]):
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name[:100]}.", suffix=".tmp", dir=parent))
        try:
            mask = os.umask(0o022)  # (the only way to read the umask is to set it)
            os.umask(mask)
            os.chmod(staging, 0o777 & ~mask)  # mkdtemp's 0700 is for temporary files, not a scenario
            for name, text in files.items():
                (staging / name).write_text(text, encoding="utf-8")
            os.rename(staging, directory)  # fails if a non-empty directory took the name meanwhile
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return [directory / name for name in files]


def _replace(directory: Path, files: dict[str, str], *, force: bool, kind: str) -> list[Path]:
    present = sorted(p.name for p in directory.iterdir())
    if present and not force:
        shown = ", ".join(present[:5]) + (", …" if len(present) > 5 else "")
        raise UserError(f"'{display_path(directory)}' is not empty (it holds {shown})",
                        hint="name a new or empty directory, or add --force to replace what it holds")
    if kind == ".yaml":
        _refuse_leftovers(directory, [name for name in present if name not in files])
    for name, text in files.items():
        atomic_write(directory / name, text.encode("utf-8"))
    for name in present:
        stale = directory / name
        if name.endswith(kind) and name not in files and stale.is_file() and not stale.is_symlink():
            stale.unlink()
    return [directory / name for name in files]


def _refuse_leftovers(directory: Path, kept: list[str]) -> None:
    """Refuse, before writing, to leave beside an import what the loader refuses in a scenario directory (its files
    are checked from a copy without them): a .yml file, and a .yaml name that is not a regular file, which --force
    does not remove."""
    odd = [name for name in kept if name.endswith(".yml") or (
        name.endswith(".yaml") and (not (directory / name).is_file() or (directory / name).is_symlink()))]
    if odd:
        shown = ", ".join(odd[:5]) + (", …" if len(odd) > 5 else "")
        raise UserError(f"'{display_path(directory)}' holds {shown}, which the scenario would not load with "
                        "(--force replaces only its .yaml files)",
                        hint="move or remove " + ("it" if len(odd) == 1 else "them") + ", then import again")
