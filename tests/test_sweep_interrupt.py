"""Ctrl-C (SIGINT sent to a real `feasible sweep` process) keeps the batches of samples done and prints the answer
over them, marked partial, in one valid document, with exit code 130; progress with the time left shows on a
terminal's stderr, never with --quiet (issue 18, point 3). The scenario is test_interrupt's long chain with every
`high` red line uncertain: 17 items, past exact enumeration, and each sample a search of many conflicts."""

from __future__ import annotations

import json
import re

import pytest

from test_interrupt import (interrupt, long_chain, on_terminal, start, startup,  # noqa: F401 (a fixture)
                            wait_until_working)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("long") / "long-chain-firm.yaml"
    path.write_text(re.sub(r"(\{id: x\d+-high, )", r"\1firm: 0.5, ", long_chain()), encoding="utf-8")
    return str(path)


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_prints_the_samples_done_marked_partial(scenario, startup, workers):  # noqa: F811
    process = start(["sweep", scenario, "--samples", "100000", "--workers", workers, "--format", "json"])
    wait_until_working(process, startup)
    out, err, took = interrupt(process)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    doc = json.loads(out)  # the whole of stdout is one document
    assert doc["partial"] is True and doc["samples"]["asked"] == 100000
    done = doc["samples"]["done"]
    assert done < 100000
    assert doc["samples"]["deal"] + doc["samples"]["no_deal"] + doc["samples"]["undecided"] == done
    assert (doc["probability"] is None) == (doc["samples"]["deal"] + doc["samples"]["no_deal"] == 0)
    assert len(doc["items"]) == 17 and doc["exact"]["probability"] is None


@pytest.mark.slow
def test_ctrl_c_marks_the_text_partial(scenario, startup):  # noqa: F811
    process = start(["sweep", scenario, "--samples", "100000", "--workers", "1"])
    wait_until_working(process, startup)
    out, err, _ = interrupt(process)
    assert process.returncode == 130, err
    assert re.search(r"^Partial: [\d,]+ of 100,000 samples \(the run was interrupted", out, flags=re.MULTILINE), out


@pytest.mark.slow
def test_progress_shows_the_samples_done_and_the_time_left_on_a_terminal(scenario):
    process, shown, out = on_terminal(["sweep", scenario, "--samples", "60", "--workers", "1", "--format", "json"],
                                      "stderr", timeout=300)
    assert process.returncode in (0, 1), shown
    assert re.search(r"sweep: [\d,]+ of 60 samples, about \d+ (s|min) left", shown), shown
    assert "Ctrl-C" in shown
    json.loads(out)  # stdout stays clean


@pytest.mark.slow
def test_no_progress_with_quiet(scenario):
    process, shown, out = on_terminal(["sweep", scenario, "--samples", "20", "--workers", "1", "--quiet",
                                       "--format", "json"], "stderr", timeout=300)
    assert process.returncode in (0, 1)
    assert shown == "", repr(shown)
