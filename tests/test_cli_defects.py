"""Issue 12, the command line: a reader that leaves early (`| head`) does not change the exit code; a Ctrl-C
delivered twice at once still prints the partial answer; hostile words in position files reach no terminal
and no Markdown reader as code; help without internal type names; explain accepts -q."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli.app
from cli.app import app

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes and signals")


def feasible() -> list[str]:
    """The installed `feasible` next to this Python (a venv's entry point), else the module."""
    entry = Path(sys.executable).with_name("feasible")
    return [str(entry)] if entry.exists() else [sys.executable, "-m", "cli"]


def run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """stdout is a pipe whose reader is gone before the command starts: its first write meets EPIPE, every
    time (what `| head -2` does to a long output, without depending on when head leaves)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([*feasible(), *args], stdout=write_end, stderr=subprocess.PIPE, timeout=120,
                              check=False)
    finally:
        os.close(write_end)


# -- A.3: broken pipe ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("output", ["text", "json", "markdown"])
def test_a_reader_that_leaves_does_not_change_the_verdicts_exit_code(output):
    done = run_into_a_closed_pipe("check", "three-party-toy", "--deals", "5", "--format", output)
    assert (done.returncode, done.stderr.decode()) == (0, "")


def test_a_closed_pipe_keeps_the_no_deal_code_too(tmp_path):
    scenario = tmp_path / "no-deal.yaml"
    scenario.write_text("title: No deal\nissues:\n  x: {type: int, min: 0, max: 3}\nparties:\n"
                        "  - party: a\n    name: A\n    red_lines:\n      - {id: low, says: Low., rule: x <= 1}\n"
                        "  - party: b\n    name: B\n    red_lines:\n      - {id: high, says: High., rule: x >= 2}\n",
                        encoding="utf-8")
    done = run_into_a_closed_pipe("check", str(scenario))
    assert (done.returncode, done.stderr.decode()) == (1, "")


# -- C.15: one Ctrl-C delivered twice ------------------------------------------------------------------------------

class QuitAtOnce(BaseException):
    """Stands in for os._exit in the second-Ctrl-C path, so that the test process survives it (a BaseException,
    as nothing may catch os._exit)."""


def interrupted_run(monkeypatch, seconds_between: float):
    """Run `check --format json` in-process; just before the solver starts, the SIGINT handler is called twice in
    a row, the fake clock advancing `seconds_between` between the calls."""
    ticks = iter([100.0, 100.0 + seconds_between])
    monkeypatch.setattr(cli.app, "_clock", lambda: next(ticks), raising=False)

    def quit_now(signum=None, frame=None):
        raise QuitAtOnce

    monkeypatch.setattr(cli.app, "_quit_now", quit_now)
    real_check = cli.app.run_check

    def check_after_two_ctrl_c(*args, **kwargs):
        for _ in range(2):  # whatever handler is in place at each delivery
            signal.getsignal(signal.SIGINT)(signal.SIGINT, None)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(cli.app, "run_check", check_after_two_ctrl_c)
    return CliRunner().invoke(app, ["check", "three-party-toy", "--format", "json", "-q"])


def test_a_ctrl_c_delivered_twice_at_once_still_prints_the_partial_answer(monkeypatch):
    result = interrupted_run(monkeypatch, seconds_between=0.0)
    assert result.exit_code == 130, result.output
    assert json.loads(result.stdout)["interrupted"] is True


def test_a_second_ctrl_c_after_the_window_quits_at_once(monkeypatch):
    with pytest.raises(QuitAtOnce):
        interrupted_run(monkeypatch, seconds_between=cli.app.SECOND_CTRL_C_WINDOW)
