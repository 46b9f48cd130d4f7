"""Writing a file whole or not at all, and keeping other writers out meanwhile: the one home of both for
`edit --write` (position files) and `report -o` / `graph -o` (outputs)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

# (a platform test rather than an ImportError: type checkers understand it)
if sys.platform != "win32":  # not on Windows: there, writers are not kept out
    import fcntl

LOCK_WAIT = 10.0  # seconds to wait for another writer to finish before giving up
_TEMP_NAME_BYTES = 100  # of the target's name in the temporary file's name: a long name stays a legal one


def _shortened(name: str) -> str:
    """At most _TEMP_NAME_BYTES of the name's UTF-8 bytes (file systems limit bytes, not characters), cut at a
    character boundary."""
    return os.fsencode(name)[:_TEMP_NAME_BYTES].decode("utf-8", errors="ignore")


class Busy(Exception):
    """Another process holds the lock of `directory`."""

    def __init__(self, directory: Path):
        super().__init__(str(directory))
        self.directory = directory


def atomic_write(path: Path, data: bytes, *, like: os.stat_result | None = None) -> None:
    """Replace the name `path` by a file holding `data`: written to a temporary file beside it, flushed to disk,
    then renamed over it, so a reader or a crash sees the old file or the new one, never a mix. A final symbolic
    link at `path` is replaced, never followed (a link planted in a shared directory cannot redirect the write).
    The new file takes the mode, owner and group of `like`, by default of the regular file being replaced; a new
    file gets the usual mode (0666 less the umask)."""
    if like is None:
        like = _regular_file_status(path)
    handle, temp = tempfile.mkstemp(prefix=f".{_shortened(path.name)}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            _take_owner_and_mode(out.fileno(), like)
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.lexists(temp):
            os.unlink(temp)
        raise


def write_output(path: Path, data: bytes) -> None:
    """Write a report or map to `path`: a file, or a link (never followed), is replaced atomically; a device or
    pipe (/dev/null, a named pipe) is written into, as the shell's `>` would. A link to a device or pipe is
    refused rather than replaced: replacing /dev/stdout, say, would break it for every program."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISLNK(status.st_mode) and os.path.exists(path) \
            and not os.path.isfile(path):
        raise OSError(errno.EINVAL, "it is a link to a device or pipe, which is not replaced (leave out -o to "
                                    "print the output)")
    if status is not None and (stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
        with open(os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)), "wb") as out:
            out.write(data)
        return
    atomic_write(path, data)


def _regular_file_status(path: Path) -> os.stat_result | None:
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    return status if stat.S_ISREG(status.st_mode) else None


def _take_owner_and_mode(handle: int, like: os.stat_result | None) -> None:
    if like is None:
        os.fchmod(handle, 0o666 & ~_umask())
        return
    mine = os.fstat(handle)
    if (mine.st_uid, mine.st_gid) != (like.st_uid, like.st_gid):
        os.fchown(handle, like.st_uid, like.st_gid)  # before the mode: a change of owner clears set-id bits
    os.fchmod(handle, stat.S_IMODE(like.st_mode))


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it
    os.umask(mask)
    return mask


@contextlib.contextmanager
def locked(directories: Iterable[Path], wait: float | None = None) -> Iterator[None]:
    """Hold an advisory lock on each directory (in a fixed order, so that two writers never wait for each
    other), or raise Busy after waiting `wait` seconds (LOCK_WAIT by default).

    The directory is locked rather than the file: a file replaced by a rename is a new file, so a lock held on
    the old one would not keep out a writer that opens the new one; and a lock file beside it would be left
    lying in the user's directory. Every writer that takes this lock is kept out; other programs are not."""
    with contextlib.ExitStack() as stack:
        for directory in sorted({Path(d) for d in directories}, key=str):
            stack.enter_context(_lock_one(directory, LOCK_WAIT if wait is None else wait))
        yield


@contextlib.contextmanager
def _lock_one(directory: Path, wait: float) -> Iterator[None]:
    if sys.platform == "win32":  # no fcntl
        yield
        return
    handle = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise Busy(directory) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # closing releases the lock
