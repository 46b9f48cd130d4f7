"""The runner (solver/runner.py): results in task order whatever the completion order, the shared data sent to each
worker once, a worker's exception raised again as itself, a dead worker a clear error (never a hang), and a stop
that terminates the workers and returns what was done."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from feasible.positions import UserError
from feasible.solver.runner import ALLOWED_FAILURES, Ran, WorkerDied, default_workers, run_tasks, start_method

pytestmark = pytest.mark.skipif(os.name != "posix", reason="worker processes are measured on POSIX")


class Shared:
    """Shared data that counts how often it was unpickled in the process it lands in."""

    def __init__(self, offset: int):
        self.offset = offset

    def __getstate__(self):
        return {"offset": self.offset}

    def __setstate__(self, state):
        global UNPICKLED
        UNPICKLED += 1
        self.offset = state["offset"]


UNPICKLED = 0


def shifted(shared: Shared, task: int) -> tuple[int, int, int]:
    """The task plus the offset, this process, and how often shared data arrived in it. Early tasks finish last."""
    time.sleep(0.05 * (4 - task) if task < 4 else 0)
    return task + shared.offset, os.getpid(), UNPICKLED


def dies_on_two(shared: object, task: int) -> int:
    if task == 2:
        os._exit(7)
    return task


def dies_once_on_two(marks: str, task: int) -> int:
    """Task 2 ends the worker running it the first time only (the mark, a file in the folder `marks`, says so)."""
    if task == 2:
        try:
            os.close(os.open(os.path.join(marks, "died"), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return task * task
        os._exit(9)
    return task * task


def dies_on_two_counting(marks: str, task: int) -> int:
    """Task 2 ends every worker that runs it, leaving one file a death."""
    if task == 2:
        os.close(os.open(os.path.join(marks, f"death-{os.getpid()}"), os.O_CREAT | os.O_EXCL))
        os._exit(7)
    return task


def raises_on_one(shared: object, task: int) -> int:
    if task == 1:
        raise UserError("task one is refused", hint="ask for another")
    return task


def sleepy(shared: object, task: int) -> int:
    time.sleep(0 if task == 0 else 60)
    return task


def unpicklable_result(shared: object, task: int):
    return lambda: task


def test_results_come_in_task_order_whatever_order_they_finish_in():
    tasks = list(range(8))
    one = run_tasks(shifted, Shared(10), tasks, workers=1)
    two = run_tasks(shifted, Shared(10), tasks, workers=2)
    assert [r[0] for r in one.results] == [r[0] for r in two.results] == [t + 10 for t in tasks]
    assert not one.interrupted and not two.interrupted and one.complete and two.complete


def test_workers_run_elsewhere_and_get_the_shared_data_once():
    ran = run_tasks(shifted, Shared(0), list(range(8)), workers=2)
    pids = {pid for _, pid, _ in ran.results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert {count for _, _, count in ran.results} == {1}  # one unpickling per worker, however many tasks it ran


def test_one_worker_runs_in_this_process_without_pickling():
    ran = run_tasks(lambda shared, task: (task, os.getpid()), object(), [1, 2], workers=1)
    assert ran.results == ((1, os.getpid()), (2, os.getpid()))


def test_no_more_workers_than_tasks_and_the_default_is_the_cores():
    assert default_workers() >= 1
    assert run_tasks(shifted, Shared(0), [5]).results[0][1] == os.getpid()  # one task: no pool
    assert run_tasks(shifted, Shared(0), []) == Ran(())


def test_a_task_that_ends_every_worker_is_an_error_naming_it_not_a_hang(tmp_path):
    """Run once and rerun ALLOWED_FAILURES times, each time on a new worker, then given up."""
    with pytest.raises(WorkerDied) as caught:
        run_tasks(dies_on_two_counting, str(tmp_path), list(range(5)), workers=2)
    assert caught.value.index == 2 and caught.value.exitcode == 7
    assert "task 2" in str(caught.value)
    assert len(list(tmp_path.iterdir())) == ALLOWED_FAILURES + 1
    assert not multiprocessing.active_children()


def test_a_worker_that_dies_once_is_replaced_and_its_task_rerun(tmp_path):
    tasks = list(range(6))
    arrived: list[tuple[int, int]] = []
    ran = run_tasks(dies_once_on_two, str(tmp_path), tasks, workers=2, on_result=lambda i, r: arrived.append((i, r)))
    assert (tmp_path / "died").exists()  # it did die once
    assert ran == run_tasks(dies_once_on_two, str(tmp_path), tasks, workers=1) == Ran(tuple(t * t for t in tasks))
    assert sorted(arrived) == [(t, t * t) for t in tasks]  # each reported once, the rerun task included
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("workers", [1, 2])
def test_each_result_is_reported_as_it_arrives(workers):
    arrived: list[tuple[int, int]] = []

    def report(index: int, result) -> None:
        arrived.append((index, result[0]))

    ran = run_tasks(shifted, Shared(10), list(range(6)), workers=workers, on_result=report)
    assert sorted(arrived) == [(t, t + 10) for t in range(6)]
    assert [r[0] for r in ran.results] == [t + 10 for t in range(6)]
    if workers == 1:
        assert arrived == sorted(arrived)  # in this process, one after another


class DiesWhenUnpickled:
    """Shared data whose arrival kills the worker before it can say it is ready (or read its first task)."""

    def __reduce__(self):
        return os._exit, (5,)


def test_a_worker_that_dies_before_it_is_ready_is_said_to_have_not_started_whenever_it_dies():
    """Whether the parent notices while giving the first task (a broken pipe) or while reading (end of file), the
    answer is the same: the worker could not start, with its exit code. A task larger than a pipe holds makes the
    parent's giving wait for a reader that never comes, so the broken pipe is what it meets."""
    for tasks in (list(range(4)), [bytes(1 << 20)] * 4):
        with pytest.raises(WorkerDied) as caught:
            run_tasks(dies_on_two, DiesWhenUnpickled(), tasks, workers=2)
        assert caught.value.index is None and caught.value.exitcode == 5
        assert "could not start" in str(caught.value)
        assert not multiprocessing.active_children()


def test_an_exception_in_a_worker_is_raised_again_as_itself():
    with pytest.raises(UserError) as caught:
        run_tasks(raises_on_one, None, [0, 1, 2], workers=2)
    assert caught.value.message == "task one is refused" and caught.value.hint == "ask for another"
    assert not multiprocessing.active_children()


def test_a_result_that_cannot_be_sent_back_is_an_error():
    with pytest.raises(RuntimeError, match="cannot be sent back"):
        run_tasks(unpicklable_result, None, [0, 1], workers=2)


@pytest.mark.parametrize("how", ["stop", "KeyboardInterrupt"])
def test_a_stop_terminates_the_workers_and_returns_what_was_done(how):
    started = time.monotonic()
    asked = []

    def stop() -> bool:
        asked.append(time.monotonic())
        if time.monotonic() - started < 3:  # task 0 is done by then; the others sleep for a minute
            return False
        if how == "KeyboardInterrupt":
            raise KeyboardInterrupt
        return True

    ran = run_tasks(sleepy, None, [0, 1, 2, 3], workers=2, stop=stop)
    assert ran.interrupted and not ran.complete
    assert ran.results == (0, None, None, None)
    assert time.monotonic() - started < 50  # terminated, not waited for
    assert not multiprocessing.active_children()


def test_a_stop_in_process_returns_what_was_done():
    done: list[int] = []

    def work(shared, task):
        done.append(task)
        return task

    ran = run_tasks(work, None, [0, 1, 2], workers=1, stop=lambda: len(done) >= 2)
    assert ran == Ran((0, 1, None), interrupted=True)


def test_the_start_method_never_forks_a_process_that_may_have_solved():
    assert start_method() in ("forkserver", "spawn")


PARENT_QUITS = """
import multiprocessing, os, sys, threading, time
from feasible.solver.runner import run_tasks
from test_runner import sleepy

def quit_soon():
    time.sleep(2)
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    os._exit(0)

if __name__ == "__main__":
    threading.Thread(target=quit_soon, daemon=True).start()
    run_tasks(sleepy, None, [1, 2], workers=2)
"""


@pytest.mark.slow
def test_workers_end_when_their_parent_quits_at_once(tmp_path):
    """A second Ctrl-C quits with os._exit, which terminates no worker: each worker ends itself then."""
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "parent.py"
    script.write_text(PARENT_QUITS)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, env=env)
    assert parent.stdout is not None
    line = parent.stdout.readline()  # (not communicate: the workers hold the pipe too, as long as they live)
    assert parent.wait(timeout=60) == 0
    pids = [int(p) for p in line.split()]
    assert len(pids) == 2, line
    deadline = time.monotonic() + 30  # the tasks sleep a minute: gone before that means they ended themselves
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if _running(p)]
        time.sleep(0.2)
    assert not alive


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (ended, not yet reaped by its parent, here the init process) has ended
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_that_cannot_start_are_a_user_error_with_a_way_out(tmp_path):
    """A script read from standard input cannot be started again in a worker: the matrix says to check in this
    process instead, rather than failing with a broken pipe."""
    import subprocess
    import sys

    script = ("from feasible.positions import load_scenario\n"
              "from feasible.positions.readings import under_readings\n"
              "from feasible.solver.readings import matrix\n"
              "from feasible.positions import UserError\n"
              "scenario = load_scenario('three-party-toy')\n"
              "try:\n"
              "    matrix(scenario, [(), ()], under_readings, workers=2)\n"
              "except UserError as exc:\n"
              "    print('refused:', exc.message, '|', exc.hint)\n")
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    if "refused:" not in done.stdout:  # a Python that can start workers for a script on stdin: nothing to refuse
        assert done.returncode == 0, done.stderr
        return
    assert "could not start" in done.stdout and "--workers 1" in done.stdout
