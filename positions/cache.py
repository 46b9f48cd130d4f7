"""Validated scenarios kept on disk, so that checking unchanged files again skips reading YAML, validating and
parsing rules, and the imports these need (pydantic, the YAML reader, the rule parser): about a fifth of the
time a check of the shipped scenario takes (docs/benchmarks.md).

Only a scenario that loaded without a single problem is kept, under a key made of everything its loading
depends on: the bytes and names of its files, the working directory (file names in messages are relative to
it), the limits in force, the Python version, the source files of this package and of the installed PyYAML
and pydantic. Any change to any of them is a different key, so a kept scenario is never out of date; problems are
always found and reported by the loader itself. Reading or writing the cache never fails a run: it is skipped.

Where: $FEASIBLE_CACHE_DIR, else $XDG_CACHE_HOME/feasible, else ~/.cache/feasible; FEASIBLE_CACHE_DIR=off
turns it off. At most MAX_ENTRIES scenarios and MAX_BYTES are kept (the least recently used go first). Entries are pickles,
so the directory must be as private as the user's home (it is, by default).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from .files import resolve_scenario, scenario_files
from .limits import Limits
from .model import Scenario

FORMAT = b"feasible scenario cache 1"
MAX_ENTRIES = 256
MAX_BYTES = 256 * 2**20  # all entries together (a 4,000-rule scenario takes about 3 MB)
_code_stamp: bytes | None = None


def cache_dir() -> Path | None:
    """Where validated scenarios are kept, or None when the cache is turned off."""
    chosen = os.environ.get("FEASIBLE_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no", "false") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "feasible"


def load_scenario(path: str | Path | None = None, *, display: Callable[[Path], str] | None = None) -> Scenario:
    """Load and validate a scenario; raise InvalidScenario with every problem found, or UserError. Unchanged
    files are answered from the cache of validated scenarios. `display` names files in messages (e.g. REV:PATH
    for a scenario read from git); such loads are not cached."""
    directory = cache_dir() if display is None else None
    key = _key(path) if directory is not None else None
    if key is not None:
        kept = _fetch(directory / f"{key}.pickle")
        if kept is not None:
            return kept
    from .loader import load_scenario as load_files

    scenario = load_files(path, display=display)
    # Kept only if the files did not change while they were being read (else the key would not describe them).
    if key is not None and _key(path) == key:
        _keep(directory, key, scenario)
    return scenario


def _key(path: str | Path | None) -> str | None:
    """The key of a scenario's files as they are now, or None when they cannot simply be read (the loader then
    reports why)."""
    try:
        origin = resolve_scenario(path)
        limits = Limits.from_environment()
        head, parties = scenario_files(origin, limits)
        digest = hashlib.sha256(FORMAT)
        for part in (_code(), repr(limits).encode(), os.getcwd().encode(), str(origin).encode()):
            digest.update(len(part).to_bytes(8, "big") + part)
        for file in (head, *parties):
            status = file.stat()
            if not stat.S_ISREG(status.st_mode) or status.st_size > limits.file_bytes:
                return None
            for part in (str(file).encode(), file.read_bytes()):
                digest.update(len(part).to_bytes(8, "big") + part)
        return digest.hexdigest()
    except Exception:  # noqa: BLE001 - whatever goes wrong here, the loader will meet it again and explain it
        return None


def _code() -> bytes:
    """What the meaning of a scenario file depends on besides the file: the Python version, this package's
    source and the installed YAML reader and validator, each file by size and time of change (as Python itself
    decides whether a compiled module is out of date)."""
    global _code_stamp
    if _code_stamp is None:
        package = Path(__file__).resolve().parent
        files = sorted(package.rglob("*.py"))
        for module in ("yaml", "pydantic", "pydantic_core"):
            spec = find_spec(module)
            if spec is not None and spec.origin:
                files.append(Path(spec.origin))
        digest = hashlib.sha256(sys.version.encode())
        for file in files:
            status = file.stat()
            digest.update(f"{file}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
        _code_stamp = digest.digest()
    return _code_stamp


def _fetch(entry: Path) -> Scenario | None:
    try:
        with entry.open("rb") as stream:
            kept = pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign entry: drop it and load the files
        _remove(entry)
        return None
    if not isinstance(kept, Scenario):
        _remove(entry)
        return None
    try:
        os.utime(entry)  # recently used: pruned last
    except OSError:
        pass
    return kept


def _keep(directory: Path, key: str, scenario: Scenario) -> None:
    temporary = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(scenario, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, directory / f"{key}.pickle")  # atomic: readers see no entry or a whole one
        temporary = None
        _prune(directory)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is simply not used
        pass
    finally:
        if temporary is not None:
            _remove(Path(temporary))


def _prune(directory: Path) -> None:
    """Keep at most MAX_ENTRIES entries and MAX_BYTES in all, removing the least recently used first."""
    entries = sorted(((e.stat(), e) for e in directory.glob("*.pickle")), key=lambda se: se[0].st_mtime_ns)
    total = sum(status.st_size for status, _ in entries)
    for index, (status, entry) in enumerate(entries[:-1]):  # the newest entry always stays
        if len(entries) - index <= MAX_ENTRIES and total <= MAX_BYTES:
            break
        _remove(entry)
        total -= status.st_size


def _remove(entry: Path) -> None:
    try:
        entry.unlink()
    except OSError:
        pass
