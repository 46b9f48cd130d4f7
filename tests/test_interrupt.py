"""Long runs: Ctrl-C (SIGINT sent to a real `feasible` process) stops the search and prints what was found,
marked incomplete, with exit code 130; a second Ctrl-C quits at once. Progress on stderr only on a terminal and
never with --quiet; plain output (no colour codes, no box drawing) when not on a terminal, and NO_COLOR
respected on one."""

from __future__ import annotations

import itertools
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.solver.search import VERIFY_GRACE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and terminals")

LINKS = 17  # x0..x16: 16 overlapping conflicts, and far too many corrections to enumerate in a minute
ANSI = re.compile(r"\x1b[\[\]()#;?]*[0-9;]*[A-Za-z@-~]")
SGR = re.compile(r"\x1b\[([0-9;]*)m")
BOX = re.compile(r"[\u2500-\u259f]")  # box drawing and block elements


def feasible() -> list[str]:
    """The installed `feasible` next to this Python (a venv's entry point), else the module."""
    entry = Path(sys.executable).with_name("feasible")
    if entry.exists():
        return [str(entry)]
    found = shutil.which("feasible")
    return [found] if found else [sys.executable, "-m", "feasible.cli"]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    env.update(extra)
    return env


# -- the long scenario, and what its true conflicts are ------------------------------------------------------------

def high(i: int) -> str:
    return f"high/x{i}-high"


def low(i: int) -> str:
    return f"low/x{i}-x{i + 1}-low"


RED_LINES = {high(i): ((f"x{i}",), lambda v: v[0] >= 5) for i in range(LINKS)}
RED_LINES |= {low(i): ((f"x{i}", f"x{i + 1}"), lambda v: v[0] + v[1] <= 7) for i in range(LINKS - 1)}


def long_chain() -> str:
    lines = ["title: Long chain (interruption test)", "issues:"]
    lines += [f"  x{i}: {{type: int, min: 0, max: 10, description: Link {i}.}}" for i in range(LINKS)]
    lines += ["parties:", "  - party: high", "    name: High", "    red_lines:"]
    lines += [f"      - {{id: x{i}-high, says: x{i} is at least 5., rule: x{i} >= 5}}" for i in range(LINKS)]
    lines += ["  - party: low", "    name: Low", "    red_lines:"]
    lines += [f"      - {{id: x{i}-x{i + 1}-low, says: x{i} and x{i + 1} add up to at most 7., "
              f"rule: x{i} + x{i + 1} <= 7}}" for i in range(LINKS - 1)]
    return "\n".join(lines) + "\n"


def can_all_hold(names) -> bool:
    """Brute force over the issues the red lines mention (0..10 each), independent of the solver."""
    names = list(names)
    issues = sorted({x for n in names for x in RED_LINES[n][0]})
    for values in itertools.product(range(11), repeat=len(issues)):
        deal = dict(zip(issues, values))
        if all(RED_LINES[n][1]([deal[x] for x in RED_LINES[n][0]]) for n in names):
            return True
    return False


def assert_true_conflict(conflict: dict) -> None:
    members = conflict["red_lines"]
    assert conflict["facts"] == []
    assert members and not can_all_hold(members), f"{members} can all hold"
    for name in members:
        assert can_all_hold([m for m in members if m != name]), f"{members} is not minimal without {name}"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("long") / "long-chain.yaml"
    path.write_text(long_chain(), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def startup(scenario) -> float:
    """Seconds the CLI needs to start and load the scenario here (imports of OR-Tools dominate)."""
    started = time.monotonic()
    done = subprocess.run([*feasible(), "validate", scenario], capture_output=True, timeout=120, env=environment())
    assert done.returncode == 0, done.stderr.decode()
    return time.monotonic() - started


def start(args: list[str], **popen) -> subprocess.Popen:
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "env": environment()} | popen
    return subprocess.Popen([*feasible(), *args], **options)


def wait_until_working(process: subprocess.Popen, startup: float) -> None:
    """Give the run time to start and get into the conflict search (polling that it is still going)."""
    deadline = time.monotonic() + min(max(2.5, startup + 1.5), 20.0)
    while time.monotonic() < deadline:
        assert process.poll() is None, f"finished before it could be interrupted: {process.communicate()}"
        time.sleep(0.1)


def interrupt(process: subprocess.Popen, *, twice_after: float | None = None, timeout: float = 60):
    """SIGINT (and a second one `twice_after` seconds later); returns stdout, stderr and the seconds from the
    last signal to the end of the process."""
    process.send_signal(signal.SIGINT)
    if twice_after is not None:
        time.sleep(twice_after)
        process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"still running {timeout} s after Ctrl-C")
    return out.decode(), err.decode(), time.monotonic() - sent


def long_run(scenario: str, *more: str) -> list[str]:
    return ["check", scenario, "--all-conflicts", "--time-limit", "60", *more]


# -- Ctrl-C ------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_ctrl_c_prints_valid_partial_json(scenario, startup):
    process = start(long_run(scenario, "--format", "json"))
    wait_until_working(process, startup)
    out, err, took = interrupt(process)
    assert process.returncode == 130, (out, err)
    assert took < VERIFY_GRACE + 30, f"took {took:.1f} s to stop"
    assert "Traceback" not in err
    doc = json.loads(out)  # the whole of stdout is one JSON document
    assert doc["interrupted"] is True
    assert doc["verdict"] == "no-deal"
    assert doc["conflicts_complete"] is False
    assert len(doc["conflicts"]) >= 1
    for conflict in doc["conflicts"]:  # what is shown was verified: each is a true, minimal conflict
        assert_true_conflict(conflict)
    assert len({tuple(c["red_lines"]) for c in doc["conflicts"]}) == len(doc["conflicts"])


@pytest.mark.slow
@pytest.mark.parametrize("output", ["text", "markdown", "html"])
def test_ctrl_c_marks_the_output_incomplete(scenario, startup, output):
    process = start(long_run(scenario, "--format", output))
    wait_until_working(process, startup)
    out, err, took = interrupt(process)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err
    assert not ANSI.search(out)
    if output == "text":
        assert re.search(r"^INCOMPLETE\b.*interrupted", out, flags=re.MULTILINE), out
        assert "NO DEAL" in out
        assert re.search(r"^Conflicts: [1-9]\d* \(there may be more", out, flags=re.MULTILINE), out
    elif output == "markdown":
        assert out.startswith("# Long chain")
        assert "> **Incomplete:**" in out
        assert re.search(r"^## Conflicts: [1-9]\d* \(there may be more: the interruption cut the search short", out,
                         flags=re.MULTILINE), out
    else:
        classes = []

        class Collect(HTMLParser):
            def handle_starttag(self, tag, attrs):
                classes.extend((dict(attrs).get("class") or "").split())

        Collect().feed(out)
        assert out.rstrip().endswith("</html>")
        assert "incomplete" in classes and "conflict" in classes


SAME_CTRL_C = (0.0, 0.05)  # seconds between two SIGINTs that count as one Ctrl-C delivered twice
SECOND_CTRL_C = (0.7, 1.2)  # past cli.app.SECOND_CTRL_C_WINDOW: a second Ctrl-C


@pytest.fixture(scope="module")
def double_interrupts(scenario, startup) -> list[tuple[float, int, str, str]]:
    """Ctrl-C twice, once per gap: (gap, exit status, stdout, stderr)."""
    runs = []
    for gap in SAME_CTRL_C + SECOND_CTRL_C:
        process = start(long_run(scenario, "--format", "json"))
        wait_until_working(process, startup)
        out, err, _ = interrupt(process, twice_after=gap, timeout=120)
        runs.append((gap, process.returncode, out, err))
    return runs


@pytest.mark.slow
def test_a_ctrl_c_delivered_twice_at_once_still_prints_the_partial_answer(double_interrupts):
    """`timeout -s INT` can deliver one SIGINT twice within milliseconds: that is one Ctrl-C, so the run stops
    gracefully and prints what it verified, whatever the machine's speed."""
    for gap, status, out, err in double_interrupts:
        if gap in SAME_CTRL_C:  # (killed by the twin itself only once the answer is out, while Python shuts down)
            assert status in (130, -signal.SIGINT), (gap, status, err)
            assert json.loads(out)["interrupted"] is True, (gap, out)


@pytest.mark.slow
def test_a_second_ctrl_c_prints_nothing_or_a_whole_document(double_interrupts):
    """A real second Ctrl-C quits at once (shown without timing in test_cli_defects.py); here only what holds
    whatever the machine's speed: the graceful stop may have finished first, but output is never half a
    document."""
    for gap, status, out, err in double_interrupts:
        if gap in SECOND_CTRL_C and out.strip():
            json.loads(out)


@pytest.mark.slow
def test_a_second_ctrl_c_exits_cleanly_with_130(double_interrupts):
    for gap, status, out, err in double_interrupts:
        # 130, or killed by the SIGINT itself when it lands after the output, while Python shuts down
        # (a shell shows that as 130 too)
        assert status in (130, -signal.SIGINT), (gap, status, err)
        assert "Traceback" not in err and "internal error" not in err and "terminate called" not in err, err


# -- progress ------------------------------------------------------------------------------------------------------

def read_pty(process: subprocess.Popen, master: int, timeout: float) -> bytes:
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    else:
        process.kill()
        pytest.fail("the run did not end in time")
    process.wait(timeout=10)
    return b"".join(chunks)


def on_terminal(args: list[str], stream: str, timeout: float = 60, **env: str) -> tuple[subprocess.Popen, str, str]:
    """Run with `stream` ("stdout" or "stderr") on a pseudo-terminal, the other one piped."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    other = "stderr" if stream == "stdout" else "stdout"
    try:
        process = start(args, **{stream: slave, other: subprocess.PIPE},
                        env=environment(TERM="xterm-256color", COLUMNS="120", LINES="40", **env))
    finally:
        os.close(slave)
    try:
        shown = read_pty(process, master, timeout).decode("utf-8", "replace")
    finally:
        os.close(master)
    piped = getattr(process, other).read().decode()
    return process, shown, piped


def slow_run(scenario: str, *more: str) -> list[str]:
    return ["check", scenario, "--all-conflicts", "--time-limit", "2", "--format", "json", *more]


@pytest.mark.slow
@pytest.mark.parametrize("no_color", [False, True], ids=["default", "NO_COLOR"])
def test_progress_shows_on_a_terminal(scenario, no_color):
    process, shown, out = on_terminal(slow_run(scenario), "stderr", **({"NO_COLOR": "1"} if no_color else {}))
    assert process.returncode == 1, shown
    assert "solver calls" in shown, shown  # e.g. "finding conflicts… 123 solver calls (Ctrl-C stops …)"
    assert "Ctrl-C" in shown
    if no_color:
        assert colours(shown) == [], colours(shown)
    json.loads(out)  # stdout stays clean


@pytest.mark.slow
def test_no_progress_with_quiet_even_on_a_terminal(scenario):
    process, shown, out = on_terminal(slow_run(scenario, "--quiet"), "stderr")
    assert process.returncode == 1
    assert shown == "", repr(shown)
    json.loads(out)


@pytest.mark.slow
def test_no_progress_when_stderr_is_piped(scenario):
    done = subprocess.run([*feasible(), *slow_run(scenario)], capture_output=True, timeout=60, env=environment())
    assert done.returncode == 1
    assert done.stderr == b""
    json.loads(done.stdout)


@pytest.mark.slow
def test_no_progress_under_clirunner(scenario):
    for quiet in ((), ("--quiet",)):
        result = CliRunner().invoke(app, slow_run(scenario, *quiet))
        assert result.exit_code == 1, result.output
        assert result.stderr == ""
        json.loads(result.stdout)


# -- plain output --------------------------------------------------------------------------------------------------

PLAIN_COMMANDS = [
    ("check",), ("check", "three-party-toy"), ("check", "--drop", "russia/*"), ("validate",), ("scenarios",),
    ("explain", "three-party-toy", "south/south-chairs"), ("diff", "three-party-toy", "ceasefire-basics"),
    ("check", "no-such-scenario"),
]


@pytest.mark.parametrize("no_color", [False, True], ids=["default", "NO_COLOR"])
@pytest.mark.parametrize("args", PLAIN_COMMANDS, ids=lambda a: " ".join(a))
def test_output_is_plain_when_not_on_a_terminal(monkeypatch, args, no_color):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1"} if no_color else {})
    assert result.exit_code in (0, 1, 2), result.output
    for stream in (result.stdout, result.stderr):
        assert not ANSI.search(stream), repr(ANSI.search(stream))
        assert not BOX.search(stream), f"box drawing {BOX.search(stream).group()!r} in {stream[:200]!r}"
    assert result.stdout or result.stderr


@pytest.mark.slow
def test_output_is_plain_when_piped():
    done = subprocess.run([*feasible(), "check"], capture_output=True, timeout=120, env=environment())
    assert done.returncode == 1
    for stream in (done.stdout.decode(), done.stderr.decode()):
        assert not ANSI.search(stream) and not BOX.search(stream)
    assert "NO DEAL" in done.stdout.decode()


def colours(text: str) -> list[str]:
    """The colour codes among the SGR sequences (bold, italic and underline are not colour)."""
    found = []
    for match in SGR.finditer(text):
        codes = [int(c) for c in match.group(1).split(";") if c]
        if any(30 <= c <= 38 or 40 <= c <= 48 or 90 <= c <= 97 or 100 <= c <= 107 for c in codes):
            found.append(match.group())
    return found


@pytest.mark.slow
def test_no_color_is_respected_on_a_terminal():
    process, shown, _ = on_terminal(["check", "three-party-toy"], "stdout")
    assert process.returncode == 0
    assert colours(shown), "a terminal gets colour (the control for the NO_COLOR case)"
    process, shown, _ = on_terminal(["check", "three-party-toy"], "stdout", NO_COLOR="1")
    assert process.returncode == 0
    assert "DEAL" in shown
    assert colours(shown) == [], colours(shown)


# -- a Ctrl-C after the answer --------------------------------------------------------------------------------------

SHUTDOWN_CTRL_C = """
import atexit, os, signal, sys, time
atexit.register(lambda: (os.kill(os.getpid(), signal.SIGINT), time.sleep(5)))  # Ctrl-C while Python shuts down
sys.argv = ["feasible", *sys.argv[1:]]
from feasible.cli.entry import main
main()
"""


def test_a_ctrl_c_while_python_shuts_down_quits_quietly_keeping_the_answer():
    """A Ctrl-C delivered twice may land after the answer is out, while Python shuts down: exit 130 at once, the
    answer kept whole, no traceback."""
    process = subprocess.run([sys.executable, "-c", SHUTDOWN_CTRL_C, "check", "--format", "json"],
                             capture_output=True, text=True, env=environment(), timeout=120)
    assert process.returncode == 130, process.stderr
    assert process.stderr == ""
    assert json.loads(process.stdout)["verdict"] == "no-deal"  # the shipped scenario's answer, flushed before leaving
