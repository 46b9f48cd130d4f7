"""A `--cluster` address not of the form tcp://HOST:PORT is refused at once, saying what is wrong and the form
expected (exit code 2, before any file is read or any connection tried), and a client Dask leaves half built when
it refuses an address is closed on the way out, so nothing waits or prints a traceback at exit."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from feasible.positions import UserError
from feasible.solver.cluster import BadClusterAddress, checked_address
from feasible.solver.runner import run_tasks

from test_cluster import NO_DASK, squared_plus

MALFORMED = [  # (the address, what the message says is wrong)
    ("tcp://127.0.0.1:8786x", "the port '8786x' is not a number from 1 to 65535"),
    ("bogus://", "over tcp, not 'bogus'"),
    ("inproc://x", "over tcp, not 'inproc'"),
    ("tcp://127.0.0.1", "it names no port"),
    ("tcp://127.0.0.1:99999", "the port '99999' is not a number"),
    ("tcp://:8786", "it names no host"),
    ("tcp://a b:8786", "'a b' is not a host name or address"),
]
WELL_FORMED = ["tcp://10.0.0.5:8786", "10.0.0.5:8786", "tcp://scheduler.example.org:8786", "tcp://[::1]:8786",
               "TCP://host-1:1"]
COMMANDS = [["sweep", "tests/data/sweep/small.yaml", "-q"], ["readings", "three-party-toy"]]


def run_feasible(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    """The command in a process of its own (what it prints at exit counts), and how long it took."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", "from feasible.cli.entry import main; main()", *args],
                          capture_output=True, text=True, timeout=120)
    return done, time.monotonic() - started


@pytest.mark.parametrize("address, detail", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_address_says_what_is_wrong_and_the_form(address, detail):
    with pytest.raises(BadClusterAddress) as caught:
        checked_address(address)
    assert isinstance(caught.value, UserError)
    assert caught.value.message.startswith(f"'{address}' is not a Dask scheduler address: ")
    assert detail in caught.value.message
    assert "tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786" in caught.value.hint and "--cluster none" in caught.value.hint


@pytest.mark.parametrize("address", WELL_FORMED)
def test_a_well_formed_address_passes_as_written(address):
    assert checked_address(address) == address


def test_the_runner_refuses_a_malformed_address_before_connecting():
    with pytest.raises(BadClusterAddress):
        run_tasks(squared_plus, 0, [1, 2], cluster="tcp://127.0.0.1:8786x")


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786x", "bogus://", "inproc://x"])
def test_the_command_exits_2_at_once_and_prints_nothing_after_the_error(command, address):
    done, seconds = run_feasible(*command, "--cluster", address)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"error: '{address}' is not a Dask scheduler address: ")
    assert lines[1:] == ["  = help: write it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786, or run on this machine "
                         "with --cluster none"]
    assert seconds < 15  # (it took 20 s and more: a half-built client's close timing out at exit)


def test_a_client_dask_refuses_is_closed_so_nothing_waits_at_exit():
    """connect() given what Dask itself refuses (past the address check): the half-built client is closed there."""
    pytest.importorskip("distributed", reason=NO_DASK)
    code = ("import distributed\n"
            "from feasible.solver.cluster import ClusterUnreachable, connect\n"
            "try:\n"
            "    connect(distributed, 'tcp://127.0.0.1:8786x')\n"
            "except ClusterUnreachable as exc:\n"
            "    print(exc.message)\n")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "cannot reach the Dask scheduler at tcp://127.0.0.1:8786x" in done.stdout
    assert done.stderr == ""  # no "Exception ignored in: <function Client.__del__ ...> ... TimeoutError"
    assert time.monotonic() - started < 15


@pytest.mark.slow
def test_a_server_that_accepts_but_is_no_scheduler_is_refused_not_waited_for_forever():
    """Dask's connect timeout does not cover its handshake: a port that accepts the connection and never answers
    (a dashboard's, any web server's) held the command for good, deaf to Ctrl-C. Now: exit 2 after the connect
    time and the handshake's, saying so, and nothing printed at exit."""
    import socket
    import threading

    from feasible.solver.cluster import CONNECT_SECONDS, HANDSHAKE_SECONDS

    pytest.importorskip("distributed", reason=NO_DASK)

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True).start()
    try:
        port = listener.getsockname()[1]
        done, took = run_feasible("sweep", "tests/data/sweep/small.yaml", "-q", "--cluster", f"tcp://127.0.0.1:{port}")
    finally:
        listener.close()
        for connection in held:
            connection.close()
    assert done.returncode == 2, done.stderr
    assert "no Dask scheduler answered there" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.rstrip().endswith("--cluster none")  # nothing after the error's help line
    assert took < CONNECT_SECONDS + HANDSHAKE_SECONDS + 60  # bounded, not forever (a generous margin for load)
