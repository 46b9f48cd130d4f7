"""Validated scenarios kept on disk, so that checking unchanged files again skips reading YAML, validating and
parsing rules, and the imports these need (pydantic's models, the YAML reader, the rule parser): about a fifth
of the time a check of the shipped scenario takes (docs/benchmarks.md).

Only a scenario that loaded without a single problem is kept, under a key made of everything its loading
depends on: the names and the very bytes of the files it was built from (recorded by the loader as it read
them, so an entry matches its key even if the files change during the load), the names its locations carry,
the working directory, the limits in force, the Python version, and the files of this package and of the
installed PyYAML and pydantic (by size and time of change). Any change to any of them is a different key, so
a kept scenario is never out of date; problems are always found and reported by the loader itself. Reading or
writing the cache never fails a run: it is skipped.

Where: $FEASIBLE_CACHE_DIR, else $XDG_CACHE_HOME/feasible, else ~/.cache/feasible; FEASIBLE_CACHE_DIR=off
turns it off. At most MAX_ENTRIES scenarios and MAX_BYTES are kept (the least recently used go first).
Entries are pickles, and whoever can write one can make feasible run anything: the directory is created
private (0700), and a directory or entry that belongs to another user or that others may write to is not used.
Each entry is also signed (HMAC-SHA256) with a secret made on first use and kept beside the entries (KEY_FILE,
0600), over the identity of that directory and of the key file: an entry that does not carry the right
signature is removed unread, so a pickle planted there, or a whole cache directory copied or unpacked from
elsewhere (key included), is never loaded. Pruning removes only the cache's own files (entries and temporary
files by their names), so a FEASIBLE_CACHE_DIR pointed at a directory of the user's loses none of their files.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from .files import resolve_scenario, scenario_files
from .limits import Limits
from .location import display_path
from .model import Scenario

FORMAT = b"feasible scenario cache 1"
MAX_ENTRIES = 256
MAX_BYTES = 256 * 2**20  # all entries together (a 4,000-rule scenario takes about 2 MB)
KEY_FILE = ".feasible-key"
_KEY_BYTES = 32
_SIGNATURE_BYTES = 32  # HMAC-SHA256
_TEMP_PREFIX = ".feasible-"  # of the temporary files a run writes, then renames (or a killed run leaves)
_HEX = frozenset("0123456789abcdef")
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
    directory = _usable(cache_dir()) if display is None else None
    signer = _signer(directory) if directory is not None else None
    if signer is not None:
        key = _key(path, _current_files(path))
        kept = _fetch(directory / f"{key}.pickle", signer) if key is not None else None
        if kept is not None:
            return kept
    from .loader import load_scenario as load_files

    record: list[tuple[Path, bytes]] = []
    scenario = load_files(path, display=display, record=record)
    if signer is not None:
        # Kept under the key of the very bytes it was built from, so that an entry always matches its key, even
        # when the files change while they are being read.
        key = _key(path, record)
        if key is not None:
            _keep(directory, key, scenario, signer)
    return scenario


def _current_files(path: str | Path | None) -> list[tuple[Path, bytes]] | None:
    """The scenario's files and their bytes as they are now, or None when they cannot simply be read (the
    loader will then say why)."""
    try:
        limits = Limits.from_environment()
        head, parties = scenario_files(resolve_scenario(path), limits)
        found = []
        for file in (head, *parties):
            status = file.stat()
            if not stat.S_ISREG(status.st_mode) or status.st_size > limits.file_bytes:
                return None
            found.append((file, file.read_bytes()))
        return found
    except Exception:  # noqa: BLE001 - whatever goes wrong here, the loader will meet it again and explain it
        return None


def _key(path: str | Path | None, files: list[tuple[Path, bytes]] | None) -> str | None:
    """The key of a scenario made of these files and bytes, in the current setting."""
    if files is None:
        return None
    try:
        origin = resolve_scenario(path)
        parts = [_code(), repr(Limits.from_environment()).encode(), os.getcwd().encode(), str(origin).encode()]
        for file, raw in files:
            # display_path: the name locations carry (it follows symbolic links, so it may change on its own)
            parts += [str(file).encode(), display_path(file).encode(), raw]
    except Exception:  # noqa: BLE001
        return None
    digest = hashlib.sha256(FORMAT)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _code() -> bytes:
    """What the meaning of a scenario file depends on besides the file: the Python version, this package's files
    (sources or compiled) and the installed YAML reader and validator, each file by size and time of change (as
    Python itself decides whether a compiled module is out of date)."""
    global _code_stamp
    if _code_stamp is None:
        package = Path(__file__).resolve().parent
        files = sorted(f for f in package.rglob("*") if f.is_file())  # sources, compiled modules, data
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


def _usable(directory: Path | None) -> Path | None:
    """The directory, if it is ours alone: created private, and refused when it belongs to someone else or
    others may write to it (an entry is a pickle: whoever can write one can make feasible run anything)."""
    if directory is None:
        return None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        return directory if _private(os.stat(directory)) else None
    except OSError:
        return None


def _private(status: os.stat_result) -> bool:
    owner = getattr(os, "getuid", None)
    return (owner is None or status.st_uid == owner()) and not status.st_mode & 0o022


class _Signer:
    """Signs and checks entries with the cache's secret, bound to where the secret and the entries are."""

    def __init__(self, secret: bytes, place: bytes):
        self.secret = secret
        self.place = place

    def sign(self, name: str, payload: bytes) -> bytes:
        message = hmac.new(self.secret, self.place, hashlib.sha256)
        message.update(name.encode() + b"\0")
        message.update(payload)
        return message.digest()

    def verified(self, name: str, data: bytes) -> bytes | None:
        """The payload of a stored entry, or None when its signature is not ours."""
        signature, payload = data[:_SIGNATURE_BYTES], data[_SIGNATURE_BYTES:]
        return payload if hmac.compare_digest(signature, self.sign(name, payload)) else None


def _signer(directory: Path) -> _Signer | None:
    """The signer of the entries in `directory`, its secret made on first use; None when the key file is not
    ours alone (then the cache is not used)."""
    path = directory / KEY_FILE
    try:
        return _read_signer(directory, path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        _make_secret(directory, path)
        return _read_signer(directory, path)
    except OSError:
        return None


def _read_signer(directory: Path, path: Path) -> _Signer | None:
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode) or not _private(status) or status.st_mode & 0o077:
            return None
        secret = stream.read(_KEY_BYTES + 1)
    if len(secret) != _KEY_BYTES:
        return None
    # Where the secret and the entries are: a copy of the directory (its key file with it) is somewhere else.
    home = os.stat(directory)
    place = f"{home.st_dev}:{home.st_ino}:{status.st_dev}:{status.st_ino}".encode()
    return _Signer(secret, place)


def _make_secret(directory: Path, path: Path) -> None:
    """Write a new secret, created 0600 and put in place whole; if another run made one first, keep that."""
    import tempfile  # here: only the first run in a directory makes a secret

    handle, temporary = tempfile.mkstemp(dir=directory, prefix=_TEMP_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(os.urandom(_KEY_BYTES))
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, path)  # fails if it exists: never replaces another run's secret
        except FileExistsError:
            pass
    finally:
        _remove(Path(temporary))


def _fetch(entry: Path, signer: _Signer) -> Scenario | None:
    try:
        handle = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None  # no entry (or a symbolic link: not ours)
    try:
        with os.fdopen(handle, "rb") as stream:
            if not _private(os.fstat(stream.fileno())):
                return None
            payload = signer.verified(entry.name, stream.read(MAX_BYTES + 1))
        if payload is None:  # not written by us here: never unpickled
            _remove(entry)
            return None
        kept = pickle.loads(payload)
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


def _keep(directory: Path, key: str, scenario: Scenario, signer: _Signer) -> None:
    import tempfile  # here: only a run that loaded its files writes (tempfile costs ~6 ms to import)

    temporary = None
    name = f"{key}.pickle"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps(scenario, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=_TEMP_PREFIX, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(signer.sign(name, payload) + payload)
        os.replace(temporary, directory / name)  # atomic: readers see no entry or a whole one
        temporary = None
        _prune(directory)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is simply not used
        pass
    finally:
        if temporary is not None:
            _remove(Path(temporary))


def _prune(directory: Path) -> None:
    """Keep at most MAX_ENTRIES entries and MAX_BYTES in all, removing the least recently used first (and
    temporary files a killed run left behind). Only the cache's own files are touched, known by their names:
    the directory may be one of the user's."""
    for orphan in directory.glob(f"{_TEMP_PREFIX}????????.tmp"):  # as tempfile.mkstemp names them
        try:
            if time.time() - orphan.stat().st_mtime > 3600:
                _remove(orphan)
        except OSError:
            pass
    entries = sorted(((e.lstat(), e) for e in directory.glob("*.pickle") if _is_entry(e.name)),
                     key=lambda se: se[0].st_mtime_ns)
    total = sum(status.st_size for status, _ in entries)
    for index, (status, entry) in enumerate(entries[:-1]):  # the newest entry always stays
        if len(entries) - index <= MAX_ENTRIES and total <= MAX_BYTES:
            break
        _remove(entry)
        total -= status.st_size


def _is_entry(name: str) -> bool:
    """An entry's name: its key (a SHA-256 in hex), then .pickle."""
    key, dot, suffix = name.partition(".")
    return dot == "." and suffix == "pickle" and len(key) == 64 and set(key) <= _HEX


def _remove(entry: Path) -> None:
    try:
        entry.unlink()
    except OSError:
        pass
