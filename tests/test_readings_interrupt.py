"""Ctrl-C (SIGINT sent to a real `feasible readings` process) while worker processes check the combinations: the
workers are terminated, the combinations checked so far are printed, the others marked not checked, in one valid
JSON document, and the exit code is 130."""

from __future__ import annotations

import json

import pytest

from test_interrupt import interrupt, long_chain, start, startup, wait_until_working  # noqa: F401 (a fixture)

QUESTIONS = """questions:
  q0:
    asks: Is x0 at least 5 a red line?
    readings: [q0-firm, q0-soft]
  q1:
    asks: Is x1 at least 5 a red line?
    readings: [q1-firm, q1-soft]
readings:
  q0-firm: {title: As written}
  q0-soft: {title: A demand, demote: [high/x0-high]}
  q1-firm: {title: As written}
  q1-soft: {title: A demand, demote: [high/x1-high]}
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("long") / "long-chain-readings.yaml"
    path.write_text(long_chain() + QUESTIONS, encoding="utf-8")
    return str(path)


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["2", "1"])
def test_ctrl_c_stops_the_matrix_and_prints_what_was_checked(scenario, startup, workers):  # noqa: F811
    process = start(["readings", scenario, "--format", "json", "--time-limit", "60", "--workers", workers])
    wait_until_working(process, startup)
    out, err, took = interrupt(process)
    assert process.returncode == 130, err
    doc = json.loads(out)
    assert doc["interrupted"] is True and doc["complete"] is False
    assert len(doc["combinations"]) == 4
    assert any(not c["checked"] or c["interrupted"] for c in doc["combinations"])
    assert doc["every_reading"]["status"] == "not-checked"
    assert "Traceback" not in err


@pytest.mark.slow
@pytest.mark.parametrize("share", [0.3, 0.8, 1.0, 1.2, 1.5])
def test_ctrl_c_to_the_process_group_while_workers_start_is_an_interruption(scenario, startup, share):  # noqa: F811
    """The terminal's Ctrl-C reaches every process of the group, the fork server too, which may still be importing
    feasible: it must not die of it (a traceback, then "a worker could not start", exit 2). Whenever the signal
    lands (during the command's own start-up too: its imports, typer building the commands), the run ends as
    interrupted (130), or as answered if it was over (0), and prints no traceback."""
    import os
    import signal
    import time

    process = start(["readings", scenario, "--format", "json", "--time-limit", "60", "--workers", "2"],
                    start_new_session=True)
    time.sleep(startup * share)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode in (0, 130), err.decode()
    assert "Traceback" not in err.decode() and "could not start" not in err.decode()
