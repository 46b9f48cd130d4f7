"""The runner's second engine: the tasks of `run_tasks(..., cluster=ADDRESS)` on the workers of a Dask cluster.

The one module that imports `distributed` (`pip install 'feasible[cluster]'`), and only when a cluster is asked
for, so the commands that never use one start as fast as before. The contract is the local runner's:

- `shared` goes to the cluster once, as the argument of a task that returns it: the scheduler keeps it, one worker
  computes it and each other worker fetches it from a peer once, the first time it needs it. It is not scattered
  (`scatter(broadcast=True)`): scattered data lives on the workers alone, so once the workers holding it had died
  (two deaths in a row on a two-worker cluster) every task left would be cancelled; a task's result is computed
  again instead. Each task is one `submit` (`pure=False`: a task is never taken for another with equal
  arguments); the results come back in task order in `Ran`, while `on_result(index, result)` is called here as
  each one arrives.
- A worker that dies mid-task is Dask's to handle: the scheduler runs the task again on another worker (and the
  shared value again where it was lost), so the result equals an undisturbed run. A task that ended too many
  workers (the scheduler's `allowed-failures`, 3 by default, as ALLOWED_FAILURES here) comes back as
  `KilledWorker`, raised as `WorkerDied` naming the task.
- An unreachable scheduler is `ClusterUnreachable` (a UserError: exit code 2) after at most CONNECT_SECONDS,
  never a hang; so is a scheduler lost in the middle of a run.
- `stop()` is asked while waiting, and KeyboardInterrupt is caught: the tasks not done are cancelled, the client
  is closed and the results so far come back with `interrupted` set. A task already running on a worker runs to
  its end there (Dask cannot interrupt it); its result is dropped.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import contextmanager
from queue import Empty, SimpleQueue
from traceback import walk_tb
from typing import Any

from feasible.positions import UserError

from .runner import POLL_SECONDS, OnResult, Ran, WorkerDied

#: Seconds to reach the scheduler before giving up with ClusterUnreachable (documented in docs/reliability.md).
CONNECT_SECONDS = 10
#: Seconds, past CONNECT_SECONDS, for the scheduler to answer once connected (Dask's timeout does not cover it).
HANDSHAKE_SECONDS = 5
#: Seconds to wait for the client to close (the scheduler may be gone).
CLOSE_SECONDS = 5

INSTALL_HINT = "pip install 'feasible[cluster]'"
#: The form of a scheduler address, said when one is not in it.
ADDRESS_FORM = "tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786"


class ClusterUnreachable(UserError):
    """The Dask scheduler at an address could not be reached (or was lost during the run)."""

    def __init__(self, address: str, detail: str, *, lost: bool = False):
        what = "lost the connection to" if lost else "cannot reach"
        super().__init__(f"{what} the Dask scheduler at {address}: {detail}",
                         hint="start one with `dask scheduler` (and workers with `dask worker ADDRESS`), check the "
                              "address, or run on this machine with --cluster none")
        self.address = address


class BadClusterAddress(UserError):
    """A scheduler address not of the form tcp://HOST:PORT: refused before any connection is tried."""

    def __init__(self, address: str, detail: str):
        super().__init__(f"'{address}' is not a Dask scheduler address: {detail}",
                         hint=f"write it as {ADDRESS_FORM}, or run on this machine with --cluster none")
        self.address = address


def checked_address(address: str) -> str:
    """`address` when it is a scheduler address, `tcp://HOST:PORT` (or `HOST:PORT`, which Dask reads as tcp; an
    IPv6 host in brackets), else BadClusterAddress saying what is wrong. Checked here rather than left to Dask,
    whose refusals are Python's own words (`invalid literal for int()`) and leave a client half built."""
    scheme, separator, rest = address.partition("://")
    if not separator:
        scheme, rest = "tcp", address
    if scheme.lower() != "tcp":
        raise BadClusterAddress(address, f"feasible reaches a scheduler over tcp, not '{scheme}'")
    host, colon, port = rest.rpartition(":")
    if not colon or not port:
        raise BadClusterAddress(address, "it names no port")
    if not _HOST.fullmatch(host):
        raise BadClusterAddress(address, f"'{host}' is not a host name or address" if host else "it names no host")
    if not port.isascii() or not port.isdigit() or not 0 < int(port) < 2**16:
        raise BadClusterAddress(address, f"the port '{port}' is not a number from 1 to 65535")
    return address


# A host name or IPv4 address (letters, digits, '.', '-', '_'), or an IPv6 address in brackets.
_HOST = re.compile(r"[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]")


def distributed_module() -> Any:
    """`distributed`, or a UserError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise UserError("running on a Dask cluster needs the `distributed` package, which is not installed",
                        hint=f"install it with: {INSTALL_HINT}") from None
    return distributed


def run_on_cluster(address: str, work: Callable[[Any, Any], Any], shared: Any, tasks: Sequence[Any], *,
                   stop: Callable[[], bool], on_result: OnResult) -> Ran:
    """`work(shared, task)` for every task on the cluster whose scheduler is at `address` (see the module)."""
    checked_address(address)
    distributed = distributed_module()
    client = connect(distributed, address)
    results: list[Any] = [None] * len(tasks)
    futures: list[Any] = []
    try:
        if tasks:
            with _talking(address):
                on_workers = client.submit(_kept, shared, pure=False)
                futures = [client.submit(work, on_workers, task, pure=False) for task in tasks]
        index_of = {future.key: index for index, future in enumerate(futures)}
        arrivals: SimpleQueue = SimpleQueue()
        for future in futures:
            future.add_done_callback(arrivals.put)  # (done, failed or cancelled; called in the client's thread)
        waiting = set(index_of)
        while waiting:
            if stop():
                return Ran(tuple(results), interrupted=True)
            done = [future for future in _finished(arrivals) if future.key in waiting]
            waiting -= {future.key for future in done}
            for index, result in _collected(distributed, client, address, done, index_of):
                results[index] = result
                on_result(index, result)
    except KeyboardInterrupt:
        return Ran(tuple(results), interrupted=True)
    finally:
        _close(client, futures)
    return Ran(tuple(results))


@contextmanager
def _talking(address: str) -> Iterator[None]:
    """Around a call to the scheduler (never around the work's own exceptions): losing it is ClusterUnreachable."""
    try:
        yield
    except CancelledError:  # (its text lists every future)
        raise ClusterUnreachable(address, "the tasks left were cancelled", lost=True) from None
    except OSError as exc:  # (TimeoutError is one)
        raise ClusterUnreachable(address, str(exc) or type(exc).__name__, lost=True) from None


def _kept(shared: Any) -> Any:
    """The shared value, as a task's result (see the module: why it is not scattered)."""
    return shared


def connect(distributed: Any, address: str) -> Any:
    """A client of the scheduler at `address`, within CONNECT_SECONDS (and HANDSHAKE_SECONDS more), or
    ClusterUnreachable. The client is built on a thread of its own and waited for with a wall-clock limit: Dask's
    own timeout covers opening the connection, not the handshake, so a server that accepts it and never answers as
    a scheduler (a dashboard's port, any other web server) would otherwise hold the command forever."""
    built: dict[str, Any] = {}

    def build() -> None:
        try:
            built["client"] = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread, which says what it was
            built["error"] = exc

    builder = threading.Thread(target=build, name="feasible-dask-connect", daemon=True)
    builder.start()
    builder.join(CONNECT_SECONDS + HANDSHAKE_SECONDS)
    if builder.is_alive():
        raise ClusterUnreachable(address, f"no Dask scheduler answered there within "
                                 f"{CONNECT_SECONDS + HANDSHAKE_SECONDS} seconds (something accepted the connection "
                                 "but did not speak Dask's protocol: is it the dashboard's port, not the scheduler's?)")
    exc = built.get("error")
    if exc is None:
        return built["client"]
    half_built = _client_that_raised(distributed, exc)
    if half_built is not None:
        _close(half_built, ())
    if isinstance(exc, (OSError, ValueError, TypeError, MemoryError, distributed.TimeoutError)):
        # refused, timed out, a bad address, or a reply that is not Dask's (read as an absurd frame length)
        raise ClusterUnreachable(address, str(exc) or type(exc).__name__) from None
    raise exc


def _client_that_raised(distributed: Any, exc: BaseException) -> Any | None:
    """The client whose constructor raised `exc`, from the constructor's frame: nothing else refers to it, and left
    to the garbage collector its close waits, at exit, for an event loop already stopped (then prints a traceback)."""
    for frame, _ in walk_tb(exc.__traceback__):
        built = frame.f_locals.get("self")
        if isinstance(built, distributed.Client):
            return built
    return None


def _finished(arrivals: SimpleQueue) -> list:
    """The futures done since the last call, waiting at most POLL_SECONDS for the first (so stop() is asked)."""
    try:
        done = [arrivals.get(timeout=POLL_SECONDS)]
    except Empty:
        return []
    while not arrivals.empty():
        done.append(arrivals.get())
    return done


def _collected(distributed: Any, client: Any, address: str, done: list, index_of: dict) -> list[tuple[int, Any]]:
    """(index, result) of each finished future, fetched in one round trip; a task's exception raised again here,
    a task that ended too many workers as WorkerDied, a cancelled one (the scheduler lost) as ClusterUnreachable."""
    for future in sorted(done, key=lambda f: index_of[f.key]):
        if future.status == "error":
            exc = future.exception()
            if isinstance(exc, distributed.KilledWorker):
                raise WorkerDied(index_of[future.key], None, f"task {index_of[future.key]} ended every Dask "
                                 "worker that ran it (the scheduler gave up on it: KilledWorker)")
            raise exc
        if future.status == "cancelled":  # (not by us: we cancel only on the way out)
            raise ClusterUnreachable(address, f"task {index_of[future.key]} was cancelled", lost=True)
    ordered = sorted(done, key=lambda f: index_of[f.key])
    with _talking(address):
        values = client.gather(ordered)
    return list(zip((index_of[f.key] for f in ordered), values, strict=True))


def _close(client: Any, futures: Sequence[Any]) -> None:
    """Cancel what is not done (nothing when the run ended) and close the client, never waiting long."""
    try:
        if futures:
            client.cancel([f for f in futures if not f.done()], force=True)
        client.close(timeout=CLOSE_SECONDS)
    except Exception:  # noqa: BLE001 - a scheduler already gone: nothing left to cancel or close
        pass
