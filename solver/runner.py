"""Mapping a work function over tasks on worker processes of this machine, or on a Dask cluster: the runner behind
`feasible readings` and `feasible sweep`.

`run_tasks(work, shared, tasks, workers=..., stop=..., on_result=..., cluster=...)` calls `work(shared, task)` for
every task and returns the results in task order, whatever order the workers finish in:

- `shared` (e.g. the scenario) goes to each worker once, when the worker starts; a task goes to the next free
  worker, so a slow task never holds back the others.
- workers=1 runs in this process, one task after another: no pool, nothing pickled.
- `stop()` is asked while waiting (the command line's Ctrl-C handler sets it), and KeyboardInterrupt is caught:
  either way the workers are terminated and the results so far come back with `interrupted` set.
- `on_result(index, result)` is called here, in this process, as each result arrives (progress, a merge that
  streams), in the order they arrive.
- A worker that dies while it runs a task (killed, out of memory, a crash in native code) is replaced and the task
  is run again on the new worker, so a run that loses a worker gives what an undisturbed run gives. A task that
  has ended a worker more than ALLOWED_FAILURES times (it kills whatever runs it) raises `WorkerDied` naming it,
  never a hang; a worker that cannot start (its set-up failed before it said it was ready) raises it with no task
  at once (its replacement would fail alike); an exception the work function raises in a worker is raised again
  here.
- `cluster`: the address of a Dask scheduler ("tcp://host:8786"): the tasks run on its workers instead
  (solver/cluster.py, the only module that imports `distributed`, and only then), with the same contract.

Workers come from a fork server (the `forkserver` start method), which imports the modules named in `preload` once
and forks each worker from itself: it never ran a solver, so no OR-Tools thread is forked, and a worker starts
without importing OR-Tools again. Where there is no fork server (Windows, macOS defaults aside) workers are
spawned. `fork` is not used: a process that has solved has OR-Tools threads, and forking it is unsafe. The start
methods were measured against each other (docs/benchmarks.md, "readings matrix").
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import signal
import threading
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

POLL_SECONDS = 0.1  # how often `stop()` is asked while every worker is busy
#: How many times one task may end the worker running it and still be run again (Dask's default for its
#: `allowed-failures`, so that both engines give up on the same task alike).
ALLOWED_FAILURES = 3

OnResult = Callable[[int, Any], None]


class WorkerDied(Exception):
    """A worker process ended while it had a task (its index in the list given, and the exit code), or could not
    start (index None)."""

    def __init__(self, index: int | None, exitcode: int | None, message: str = ""):
        super().__init__(message or f"a worker process ended with exit code {exitcode} while it ran task {index}")
        self.index = index
        self.exitcode = exitcode

    @property
    def exit_words(self) -> str:
        """' (exit code N)', or nothing when the code is not known (a Dask worker's)."""
        return f" (exit code {self.exitcode})" if self.exitcode is not None else ""


@dataclass(frozen=True)
class Ran(Generic[R]):
    """What a run gave: one result per task, in task order (None for a task not done), and whether it was
    stopped before every task was done."""

    results: tuple[R | None, ...]
    interrupted: bool = False

    @property
    def complete(self) -> bool:
        return all(result is not None for result in self.results)


def default_workers() -> int:
    """The cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


def start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def run_tasks(work: Callable[[S, T], R], shared: S, tasks: Sequence[T], *, workers: int | None = None,
              stop: Callable[[], bool] = lambda: False, preload: Sequence[str] = (),
              on_result: Callable[[int, R], None] | None = None, cluster: str | None = None) -> Ran[R]:
    """`work(shared, task)` for every task, on up to `workers` processes (default: the machine's cores; 1: in
    this process), or on the Dask cluster whose scheduler is at `cluster` (then `workers` and `preload` do not
    apply: the cluster has its own). `work` and `shared` must be picklable when workers > 1 or on a cluster
    (`work` a module-level function); `work` never returns None. `preload`: modules the fork server imports once
    for every worker. `on_result(index, result)`: called in this process as each result arrives."""
    report: OnResult = on_result if on_result is not None else _ignored
    if cluster is not None:
        from .cluster import run_on_cluster

        return run_on_cluster(cluster, work, shared, tasks, stop=stop, on_result=report)
    if in_process(workers, len(tasks)):
        return _in_process(work, shared, tasks, stop, report)
    return _Pool(work, shared, min(workers or default_workers(), len(tasks)), preload).run(tasks, stop, report)


def _ignored(index: int, result: Any) -> None:
    return None


def in_process(workers: int | None, tasks: int) -> bool:
    """Whether run_tasks runs these tasks in this process: one worker (asked, or all the machine has) or one task."""
    return min(workers or default_workers(), tasks) <= 1


def _in_process(work: Callable[[S, T], R], shared: S, tasks: Sequence[T], stop: Callable[[], bool],
                on_result: OnResult) -> Ran[R]:
    results: list[R | None] = [None] * len(tasks)
    try:
        for index, task in enumerate(tasks):
            if stop():
                return Ran(tuple(results), interrupted=True)
            results[index] = result = work(shared, task)
            on_result(index, result)
    except KeyboardInterrupt:
        return Ran(tuple(results), interrupted=True)
    return Ran(tuple(results), interrupted=stop())


@dataclass
class _Worker:
    process: Any  # a multiprocessing process
    connection: Connection
    task: int | None = None  # the index of the task it is running
    started: bool = False  # it said it was ready (its set-up, the shared data included, went through)


class _Died(Exception):
    """A worker's pipe ended: it died (said while receiving from it or giving it a task)."""


@dataclass
class _Pool:
    work: Callable
    shared: Any
    count: int
    preload: Sequence[str]
    workers: list[_Worker] = field(default_factory=list)
    tasks: Sequence[Any] = ()
    waiting: deque[int] = field(default_factory=deque)  # indexes of the tasks not given yet; a rerun goes first
    deaths: Counter[int] = field(default_factory=Counter)  # task index -> workers it ended

    def run(self, tasks: Sequence[Any], stop: Callable[[], bool], on_result: OnResult) -> Ran:
        results: list[Any] = [None] * len(tasks)
        self.tasks, self.waiting = tasks, deque(range(len(tasks)))
        finished = False
        try:
            self.workers = [self._start() for _ in range(self.count)]
            for worker in self.workers:
                self._give_new(worker)
            while any(w.task is not None for w in self.workers):
                if stop():
                    return Ran(tuple(results), interrupted=True)
                for worker in self._ready():
                    try:
                        received = self._receive(worker)
                    except _Died:
                        self._replace(worker)
                        continue
                    if received is None:
                        continue
                    results[received[0]] = received[1]
                    try:
                        self._give(worker)  # first, so the worker is busy while the result is reported
                    except _Died:  # it died after its result (that result stands): its next task goes elsewhere
                        self._replace(worker)
                    on_result(*received)
            finished = True
        except KeyboardInterrupt:
            return Ran(tuple(results), interrupted=True)
        finally:
            self._close(graceful=finished)
        return Ran(tuple(results))

    def _replace(self, worker: _Worker) -> None:
        """A new worker in place of one that died, running the task it had again; WorkerDied when the worker
        never started or the task has ended too many."""
        died = self._died(worker)
        worker.connection.close()
        if died.index is None:
            raise died
        self.deaths[died.index] += 1
        if self.deaths[died.index] > ALLOWED_FAILURES:
            raise died
        self.waiting.appendleft(died.index)
        replacement = self._start()
        self.workers[self.workers.index(worker)] = replacement
        self._give_new(replacement)

    def _give_new(self, worker: _Worker) -> None:
        """The first task of a worker that has not said it is ready: if it is gone already, it could not start."""
        try:
            self._give(worker)
        except _Died:
            raise self._died(worker) from None

    def _start(self) -> _Worker:
        context: Any = multiprocessing.get_context(start_method())  # (typeshed's BaseContext lacks Process)
        if start_method() == "forkserver":
            if self.preload:
                context.set_forkserver_preload(list(self.preload))
            _fork_server_started()
        mine, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, self.work, self.shared), daemon=True)
        try:
            process.start()
        except OSError as exc:  # e.g. a main module the worker cannot import again (a script read from stdin)
            raise WorkerDied(None, None, f"a worker process could not start: {exc}") from None
        theirs.close()  # only the worker holds its end: when it dies, reading ours ends instead of waiting
        return _Worker(process, mine)

    def _give(self, worker: _Worker) -> None:
        if not self.waiting:
            worker.task = None
            return
        worker.task = index = self.waiting.popleft()
        try:
            worker.connection.send((index, self.tasks[index]))
        except OSError:  # it died before reading (e.g. it could not start): as when reading from it
            raise _Died from None

    def _ready(self) -> list[_Worker]:
        busy = [w for w in self.workers if w.task is not None]
        signalled = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], POLL_SECONDS))
        return [w for w in busy if w.connection in signalled or w.process.sentinel in signalled]

    @staticmethod
    def _receive(worker: _Worker) -> tuple[int, Any] | None:
        """The task's index and result; None for the worker's word that it is ready."""
        try:
            index, ok, value = worker.connection.recv()
        except (EOFError, OSError):
            raise _Died from None
        if index is None:
            worker.started = True
            return None
        if not ok:
            raise value
        return index, value

    @staticmethod
    def _died(worker: _Worker) -> WorkerDied:
        worker.process.join()
        code = worker.process.exitcode
        if not worker.started:
            return WorkerDied(None, code, f"a worker process could not start (exit code {code})")
        return WorkerDied(worker.task, code)

    def _close(self, graceful: bool) -> None:
        for worker in self.workers:
            if graceful:
                try:
                    worker.connection.send(None)
                except OSError:
                    pass
            else:
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join()
            worker.connection.close()


def _fork_server_started() -> None:
    """Start the fork server (once per process) with SIGINT ignored. Ctrl-C reaches the whole process group, and
    the server, importing feasible while the first worker waits for it, would die of it with a traceback (and the
    run with "a worker could not start"). An ignored signal stays ignored across exec, and Python then installs
    no KeyboardInterrupt handler; the server only spawns a process here, so the moment a Ctrl-C is ignored in
    this process is that short, and the import that follows runs with this process's handler back."""
    if threading.current_thread() is not threading.main_thread():  # (only the main thread may set handlers)
        multiprocessing.forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def _serve(connection: Connection, work: Callable, shared: Any) -> None:
    """A worker: run the tasks it is sent until told to stop (None) or its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent handles it
    threading.Thread(target=_end_with_parent, daemon=True).start()
    connection.send((None, True, None))  # ready: what could fail in setting up a worker did not
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, task = message
        try:
            reply = (index, True, work(shared, task))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            reply = (index, False, _portable(exc))
        try:
            connection.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # a result that cannot be sent
            connection.send((index, False, RuntimeError(f"the result of task {index} cannot be sent back: {exc}")))


def _end_with_parent() -> None:
    """A parent that quits at once (a second Ctrl-C) cannot terminate its workers: each ends itself then, instead
    of finishing a task nobody will read."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        wait([parent.sentinel])
        os._exit(1)


def _portable(exc: Exception) -> Exception:
    """The exception, or (when it does not survive pickling) a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any failure to pickle
        return RuntimeError(f"{type(exc).__name__}: {exc}")
