"""`check --watch`: run again whenever a file of the scenario changes (polling; no extra dependency)."""

from __future__ import annotations

import hashlib
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from feasible.positions.files import resolve_overlay
from feasible.positions.limits import Limits

Snapshot = dict[Path, tuple[int, int, bytes]]


def scenario_files(origin: Path, extra: Iterable[str] = ()) -> list[Path]:
    """The files whose change should trigger a new run: the scenario's YAML files (new ones too) and overlays."""
    files = sorted(origin.glob("*.yaml")) if origin.is_dir() else [origin]
    return files + [resolve_overlay(Path(p), origin) for p in extra]  # as --with finds it (beside the scenario too)


def snapshot(files: Iterable[Path]) -> Snapshot:
    """Each file's time of change, size and content digest: an edit that keeps the size and the time (a
    coarse clock, a restored time stamp) still changes the digest."""
    state: Snapshot = {}
    for path in files:
        try:
            info = path.stat()
            digest = _digest(path) if stat.S_ISREG(info.st_mode) else b""  # a FIFO is never read: it could block
        except OSError:
            continue  # a file being replaced by an editor may be missing for a moment
        state[path] = (info.st_mtime_ns, info.st_size, digest)
    return state


def _digest(path: Path) -> bytes:
    """The digest of the file's first bytes, as many as a position file may have (a bigger one is refused by
    the loader anyway, so reading more would only cost time on every poll)."""
    with path.open("rb") as stream:
        return hashlib.sha256(stream.read(Limits.from_environment().file_bytes + 1)).digest()


def watch(files: Callable[[], list[Path]], run: Callable[[], None], *, interval: float = 0.5,
          max_runs: int | None = None, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run, then run again after each change of the files, until interrupted (or `max_runs` runs).
    Returns the number of runs."""
    runs = 0
    while True:
        before = snapshot(files())
        run()
        runs += 1
        if max_runs is not None and runs >= max_runs:
            return runs
        while snapshot(files()) == before:
            sleep(interval)
