"""The runner on a Dask cluster (solver/cluster.py) against a real `distributed.LocalCluster` with two worker
processes: the results equal the local run's, in task order, each reported as it arrives; a worker killed mid-run
loses nothing; a stop cancels; an unreachable scheduler is a clear error (exit code 2 on the command line), never a
hang; `feasible readings --cluster` answers byte for byte as on this machine. Skipped, saying so, only where
`distributed` is not installed (`pip install 'feasible[cluster]'`; the test extra installs it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from feasible.positions import UserError
from feasible.solver import cluster as cluster_module
from feasible.solver.cluster import ClusterUnreachable
from feasible.solver.runner import Ran, WorkerDied, run_tasks

from conftest import invoke
from test_runner import dies_on_two, dies_once_on_two, raises_on_one

pytestmark = pytest.mark.skipif(os.name != "posix", reason="worker processes are measured on POSIX")

NO_DASK = "Dask's `distributed` is not installed (pip install 'feasible[cluster]'): the cluster is not tested"


def squared_plus(offset: int, task: int) -> tuple[int, int]:
    """The task's square plus the offset, and the process that computed it."""
    return task * task + offset, os.getpid()


def first_answers(folder: str, task: int) -> int:
    """The first task to start answers at once (it leaves the file `first`); every other waits until the file
    `open` exists (at most a minute). Whichever order the scheduler runs them in, one answers before the gate."""
    try:
        os.close(os.open(os.path.join(folder, "first"), os.O_CREAT | os.O_EXCL))
        return task
    except FileExistsError:
        pass
    deadline = time.monotonic() + 60
    while not os.path.exists(os.path.join(folder, "open")) and time.monotonic() < deadline:
        time.sleep(0.02)
    return task


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-worker LocalCluster (worker processes, one thread each), started once for the module;
    when it closes, every process it started has ended (but multiprocessing's resource tracker, which lives as
    long as this process whoever started it)."""
    distributed = pytest.importorskip("distributed", reason=NO_DASK)
    import psutil  # (a dependency of distributed)

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as local:
        yield local.scheduler_address
    deadline = time.monotonic() + 30
    stray = ["not yet looked"]
    while stray and time.monotonic() < deadline:
        stray = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and _alive(p)
                 and "resource_tracker" not in " ".join(p.cmdline())]
        time.sleep(0.1)
    assert not stray, f"the LocalCluster left processes behind: {stray}"


def _alive(process) -> bool:
    import psutil

    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_results_equal_the_local_run_in_task_order_each_reported_as_it_arrives(scheduler):
    tasks = list(range(40))
    arrived: list[int] = []
    on_cluster = run_tasks(squared_plus, 5, tasks, cluster=scheduler, on_result=lambda index, _: arrived.append(index))
    here = run_tasks(squared_plus, 5, tasks, workers=1)
    assert [r[0] for r in on_cluster.results] == [r[0] for r in here.results] == [t * t + 5 for t in tasks]
    assert sorted(arrived) == tasks and not on_cluster.interrupted
    assert os.getpid() not in {pid for _, pid in on_cluster.results}  # computed on the cluster's workers


def test_no_tasks_no_work(scheduler):
    assert run_tasks(squared_plus, 0, [], cluster=scheduler) == Ran(())


def test_a_worker_killed_mid_run_loses_nothing(scheduler, tmp_path):
    tasks = list(range(12))
    ran = run_tasks(dies_once_on_two, str(tmp_path), tasks, cluster=scheduler)
    assert (tmp_path / "died").exists()  # a worker did die
    assert ran == run_tasks(dies_once_on_two, str(tmp_path), tasks, workers=1) == Ran(tuple(t * t for t in tasks))


def test_an_exception_on_a_worker_is_raised_again_as_itself(scheduler):
    with pytest.raises(UserError) as caught:
        run_tasks(raises_on_one, None, [0, 1, 2, 3], cluster=scheduler)
    assert caught.value.message == "task one is refused" and caught.value.hint == "ask for another"


def test_a_stop_cancels_and_returns_what_was_done(scheduler, tmp_path):
    """Stopped once a result is in: the first task's, as the others wait for a gate opened only after the run."""
    arrived: list[int] = []
    try:
        ran = run_tasks(first_answers, str(tmp_path), list(range(6)), cluster=scheduler, stop=lambda: bool(arrived),
                        on_result=lambda index, _: arrived.append(index))
    finally:
        (tmp_path / "open").touch()  # the tasks still running on the workers end now (a cancel does not stop them)
    assert ran.interrupted and len(arrived) == 1
    assert ran.results == tuple(index if index in arrived else None for index in range(6))


@pytest.mark.slow
def test_a_task_that_kills_every_worker_is_worker_died_naming_it(scheduler):
    """The scheduler gives up on it after its allowed failures (Dask's KilledWorker), each death a worker restart."""
    with pytest.raises(WorkerDied) as caught:
        run_tasks(dies_on_two, None, [0, 1, 2, 3], cluster=scheduler)
    assert caught.value.index == 2 and "task 2" in str(caught.value)


def sleeps_a_second(shared: object, task: int) -> int:
    time.sleep(1)
    return task


@pytest.mark.slow
def test_a_scheduler_lost_mid_run_is_a_user_error_not_a_hang(scheduler):
    """A cluster of its own, closed (scheduler and workers) when the first of twenty one-second tasks is in."""
    import distributed

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as lost:
        with pytest.raises(ClusterUnreachable) as caught:
            run_tasks(sleeps_a_second, None, list(range(20)), cluster=lost.scheduler_address,
                      on_result=lambda index, result: lost.close())
    assert caught.value.message.startswith(f"lost the connection to the Dask scheduler at {lost.scheduler_address}")


def test_readings_on_the_cluster_are_byte_identical_to_the_local_run(scheduler):
    on_cluster = invoke("readings", "--cluster", scheduler, "--format", "json")
    here = invoke("readings", "--workers", "1", "--format", "json")
    assert on_cluster.exit_code == here.exit_code == 0, on_cluster.stderr
    assert on_cluster.stdout == here.stdout


def _closed_port() -> int:
    """A local port nothing listens on (bound for a moment, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def quick_connect(monkeypatch) -> float:
    """CONNECT_SECONDS shortened, so the wait for a scheduler that is not there is short."""
    pytest.importorskip("distributed", reason=NO_DASK)
    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 1)
    return 1


def test_an_unreachable_scheduler_is_a_user_error_within_the_connect_time(quick_connect):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    with pytest.raises(ClusterUnreachable) as caught:
        run_tasks(squared_plus, 0, [1, 2], cluster=address)
    assert time.monotonic() - started < quick_connect + 30  # bounded by the connect time, not a hang
    assert isinstance(caught.value, UserError) and address in caught.value.message
    assert "dask scheduler" in (caught.value.hint or "") and "--cluster none" in (caught.value.hint or "")


def test_the_command_line_says_an_unreachable_scheduler_and_exits_2(quick_connect):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    done = invoke("readings", "three-party-toy", "--cluster", address)
    assert done.exit_code == 2
    assert f"error: cannot reach the Dask scheduler at {address}" in done.stderr
    assert "--cluster none" in done.stderr and "Traceback" not in done.stderr + done.stdout


def test_the_environment_names_the_cluster_and_none_means_this_machine(quick_connect, monkeypatch):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("FEASIBLE_CLUSTER", address)
    assert invoke("readings", "three-party-toy").exit_code == 2  # the environment's cluster, unreachable
    here = invoke("readings", "three-party-toy", "--cluster", "none", "--workers", "1", "--format", "json")
    assert here.exit_code == 0 and '"combinations"' in here.stdout


def test_workers_with_a_cluster_are_refused_before_any_work(monkeypatch):
    done = invoke("readings", "no-such-scenario", "--cluster", "tcp://127.0.0.1:8786", "--workers", "2")
    assert done.exit_code == 2
    assert "--workers" in done.stderr and "--cluster none" in done.stderr and "no-such-scenario" not in done.stderr


def test_without_distributed_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # an import of it fails as if not installed
    with pytest.raises(UserError) as caught:
        run_tasks(squared_plus, 0, [1, 2], cluster="tcp://127.0.0.1:8786")
    assert "pip install 'feasible[cluster]'" in (caught.value.hint or "")


def test_commands_that_use_no_cluster_never_import_distributed():
    """Start-up stays as it was: only a cluster run imports Dask."""
    code = ("import sys\n"
            "from feasible.cli.entry import main\n"
            "sys.argv = ['feasible', 'readings', 'three-party-toy', '--workers', '1', '--format', 'json']\n"
            "try:\n"
            "    main()\n"
            "except SystemExit:\n"
            "    pass\n"
            "print('distributed' in sys.modules, 'dask' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "False False", done.stderr
