"""`feasible serve` at the level of requests (Starlette's TestClient; the page in a real browser is
tests/test_serve_browser.py): the page's DOM contract, the answer's stages, the complete stage's JSON byte for
byte `feasible check --format json`'s, located errors as the CLI prints them, the overlay read back by
`check --with`, preview and write as `feasible edit --write`, the files reloaded, cancellation."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app as cli
from feasible.positions import shipped_scenarios
from feasible.solver.live import FirstStage, Live
from feasible.solver.result import Verdict

warnings.filterwarnings("ignore", message=".*httpx.*")  # Starlette's TestClient asks for httpx2 (not needed here)
from starlette.testclient import TestClient  # noqa: E402

from feasible.cli.serve.app import create_app  # noqa: E402
from feasible.cli.serve.server import bind  # noqa: E402
from feasible.cli.serve.session import Session  # noqa: E402

UKRAINE = shipped_scenarios()["ukraine-2026"]
BASE = "http://127.0.0.1:8765"
DROP = "russia/no-western-troops"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def ukraine_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("served") / "ukraine"
    shutil.copytree(UKRAINE, target)
    return target


@pytest.fixture(scope="module")
def served(ukraine_copy):
    session = Session(str(ukraine_copy), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    return session, client, f"/t/{session.token}/"


def answer(client, root: str, whatif: dict, tab: str = "t") -> list[dict]:
    response = client.post(root + "api/answer", json={"tab": tab, "whatif": whatif})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines()]


def test_the_page_keeps_the_dom_contract(served):
    session, client, root = served
    page = client.get(root)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    for needle in ("id='answer'", "id='verdict' class='verdict' data-verdict='' data-stage='pending'", "id='progress'",
                   "<pre id='error' hidden>", "id='command'", "id='download-overlay'", "id='download-report'",
                   "id='preview-write'", "id='write-diff'", "id='confirm-write'", "id='write-status'", "id='reset'",
                   "<select id='objective'>", "static/serve.js", "static/serve.css"):
        assert needle in html, needle
    scenario = session.files.live.scenario
    for party in scenario.parties:
        for rule in party.red_lines:
            assert f"<fieldset class='red-line' data-rule='{rule.name}'>" in html
            for value in ("keep", "demote", "drop"):
                assert f"name='rl:{rule.name}' value='{value}'" in html
        for rule in party.demands:
            assert f"data-demand='{rule.name}'" in html and "type='range'" in html
    for issue in scenario.issues.values():
        if issue.steps:
            assert all(f"data-issue='{issue.name}.{step}'" in html for step in issue.steps)
        else:
            assert f"data-issue='{issue.name}'" in html
    assert all(f"data-question='{q.name}'" in html for q in scenario.questions)
    assert client.get(root + "api/panel").text in html


def test_the_address_without_its_last_slash_leads_to_the_page(served):
    session, client, root = served
    moved = client.get(root.rstrip("/"), follow_redirects=False)
    assert moved.status_code in (301, 307) and moved.headers["location"] == BASE + root
    assert client.get(f"/t/{session.token}x", follow_redirects=False).status_code == 403


def test_the_stages_come_in_order_and_agree(served):
    _, client, root = served
    lines = answer(client, root, {"drop": [DROP]})
    stages = [line["stage"] for line in lines if line["stage"] != "progress"]
    assert stages[0] == "started" and stages[1] == "first" and stages[-1] == "complete"
    assert set(stages[2:-1]) <= {"partial"}
    assert lines[0]["command"].endswith(f"--drop {DROP}")
    first, complete = next(line for line in lines if line["stage"] == "first"), lines[-1]
    assert first["verdict"] == complete["verdict"] == complete["json"]["verdict"]
    assert "id=\"verdict\"" not in complete["html"]  # one #verdict in the page: the page's own


@pytest.mark.parametrize("whatif, options", [
    ({}, []),
    ({"drop": [DROP, "ukraine/no-legal-recognition"]}, ["--drop", DROP, "--drop", "ukraine/no-legal-recognition"]),
    ({"set": {"force_lead": "europe"}, "weight": {"eu/sanctions-maintained": "3"},
      "objective": "welfare"},
     ["--set", "force_lead=europe", "--weight", "eu/sanctions-maintained=3", "--objective", "welfare"]),
    ({"readings": ["nato-only"], "demote": ["europe/european-led-force"]},
     ["--reading", "nato-only", "--demote", "europe/european-led-force"]),
])
def test_the_complete_stage_is_check_json_byte_for_byte(served, ukraine_copy, whatif, options):
    _, client, root = served
    complete = answer(client, root, whatif)[-1]
    assert complete["stage"] == "complete"
    cli_run = invoke("check", str(ukraine_copy), *options, "--format", "json")
    from feasible.cli.safe import json_text

    assert json_text(complete["json"]) + "\n" == cli_run.stdout


def test_the_command_line_is_canonical_and_quoted(served, ukraine_copy):
    session, client, root = served
    started = answer(client, root, {"set": {"ukraine_army_cap_thousands": "800", "force_lead": "europe"},
                                    "drop": ["us/no-us-ground-troops", DROP]})[0]
    issues = list(session.files.live.scenario.issues)
    assert issues.index("force_lead") < issues.index("ukraine_army_cap_thousands")
    assert started["command"] == (f"feasible check {ukraine_copy} --drop {DROP} --drop us/no-us-ground-troops "
                                  "--set force_lead=europe --set ukraine_army_cap_thousands=800")
    odd = answer(client, root, {"set": {"force_lead": "a b"}})
    assert odd[0]["command"].endswith("--set 'force_lead=a b'")


@pytest.mark.parametrize("whatif, options", [
    ({"set": {"mnf_troops_inside_ukraine": "99999"}}, ["--set", "mnf_troops_inside_ukraine=99999"]),
    ({"drop": ["russia/no-such-line"]}, ["--drop", "russia/no-such-line"]),
    ({"readings": ["no-such-reading"]}, ["--reading", "no-such-reading"]),
])
def test_a_bad_edit_is_the_located_error_the_cli_prints(served, ukraine_copy, whatif, options):
    _, client, root = served
    lines = answer(client, root, whatif)
    error = lines[-1]
    assert [line["stage"] for line in lines] == ["started", "error"]
    cli_run = invoke("check", str(ukraine_copy), *options)
    assert cli_run.exit_code == 2
    assert error["text"] == cli_run.stderr and "Traceback" not in error["text"]
    assert "&lt;" not in error["text"] and error["html"].startswith("<pre")


def test_the_report_download_is_check_html(served, ukraine_copy):
    _, client, root = served
    response = client.post(root + "api/report", json={"whatif": {"drop": [DROP]}})
    assert response.headers["content-disposition"] == 'attachment; filename="report.html"'
    assert response.text == invoke("check", str(ukraine_copy), "--drop", DROP, "--format", "html").stdout


def test_the_overlay_is_read_back_to_the_same_answer(served, ukraine_copy, tmp_path):
    session, client, root = served
    scenario = session.files.live.scenario
    demand = next(d for d in scenario.demands if d.weight == 1)
    whatif = {"drop": [DROP], "demote": ["europe/european-led-force"], "set": {"force_lead": "europe"},
              "weight": {demand.name: "4"}}
    response = client.post(root + "api/overlay", json={"whatif": whatif})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="whatif.yaml"'
    overlay = tmp_path / "whatif.yaml"
    overlay.write_text(response.text)
    with_overlay = json.loads(invoke("check", str(ukraine_copy), "--with", str(overlay), "--format", "json").stdout)
    asked = answer(client, root, whatif)[-1]["json"]
    for key in ("verdict", "conflicts", "relaxations"):
        assert with_overlay.get(key) == asked.get(key), key
    assert (with_overlay.get("deal") or {}).get("parties") == (asked.get("deal") or {}).get("parties")


def copy_of(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(UKRAINE, target)
    return target


def contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_preview_and_write_are_edit_write(tmp_path):
    served_copy, cli_copy = copy_of(tmp_path, "served"), copy_of(tmp_path, "by-cli")
    session = Session(str(served_copy), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    root = f"/t/{session.token}/"
    whatif = {"drop": [DROP], "set": {"force_lead": "europe"}}
    preview = client.post(root + "api/preview", json={"whatif": whatif}).json()
    shown = invoke("edit", str(served_copy), "--drop", DROP, "--set", "force_lead=europe")
    assert preview["diff"] == shown.stdout and preview["diff"]
    assert contents(served_copy) == contents(cli_copy)  # a preview writes nothing
    stale = client.post(root + "api/write", json={"whatif": whatif, "digest": "0" * 64})
    assert stale.status_code == 409 and contents(served_copy) == contents(cli_copy)
    written = client.post(root + "api/write", json={"whatif": whatif, "digest": preview["digest"]})
    assert written.status_code == 200 and written.json()["written"]
    assert invoke("edit", str(cli_copy), "--drop", DROP, "--set", "force_lead=europe", "--write").exit_code == 0
    assert contents(served_copy) == contents(cli_copy)
    assert session.files.version == 2  # loaded again at once: the page's next answer is the files'


def test_writes_are_refused_for_shipped_scenarios_and_readings(tmp_path):
    shipped = Session("ukraine-2026", time_limit=30)
    client = TestClient(create_app(shipped, host="127.0.0.1", port=8765), base_url=BASE)
    root = f"/t/{shipped.token}/"
    assert "id='preview-write' disabled" in client.get(root).text
    before = contents(UKRAINE)
    for route, body in (("api/preview", {"whatif": {"drop": [DROP]}}),
                        ("api/write", {"whatif": {"drop": [DROP]}, "digest": "x"})):
        refused = client.post(root + route, json=body)
        assert refused.status_code == 422 and "shipped scenario" in refused.json()["error"]
    assert contents(UKRAINE) == before
    own = Session(str(copy_of(tmp_path, "own")), time_limit=30)
    own_client = TestClient(create_app(own, host="127.0.0.1", port=8765), base_url=BASE)
    refused = own_client.post(f"/t/{own.token}/api/preview", json={"whatif": {"readings": ["nato-only"]}})
    assert refused.status_code == 422 and "readings" in refused.json()["error"]


def test_the_files_changing_on_disk_are_loaded_again(tmp_path):
    directory = copy_of(tmp_path, "watched")
    session = Session(str(directory), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    root = f"/t/{session.token}/"
    assert client.get(root + "api/version").json() == {"version": 1, "valid": True}
    assert session.poll() is False
    scenario_file = directory / "scenario.yaml"
    good = scenario_file.read_text()
    scenario_file.write_text(good.replace("title:", "title: [unclosed", 1))
    assert session.poll() is True
    assert client.get(root + "api/version").json() == {"version": 2, "valid": False}
    lines = answer(client, root, {})
    assert lines[-1]["stage"] == "error" and lines[-1]["files"] is True
    assert lines[-1]["text"] == invoke("validate", str(directory)).stderr  # the located report, as the CLI's
    assert "data-rule=" in client.get(root + "api/panel").text  # the last good panel stays
    scenario_file.write_text(good)
    assert session.poll() is True and session.files.version == 3
    assert answer(client, root, {})[-1]["stage"] == "complete"


class Waiting(Live):
    """A Live whose answer waits until it is interrupted (a solve that outlasts the next click)."""

    def __init__(self, scenario) -> None:
        super().__init__(scenario)
        self.started = threading.Event()

    def answer(self, ask, control, emit) -> None:
        self.started.set()
        deadline = time.monotonic() + 60
        while not control.interrupted and time.monotonic() < deadline:
            time.sleep(0.01)
        if not control.interrupted:
            emit(FirstStage(Verdict.UNKNOWN))


def test_a_newer_answer_of_the_same_tab_cancels_the_older(served):
    session, _, _ = served
    files = session.files
    waiting = Waiting(files.live.scenario)
    session.files = type(files)(files.version, waiting, files.panel)
    try:
        first: list = []
        done = threading.Event()

        def put(item) -> None:
            if item is None:
                done.set()
            else:
                first.append(item)

        session.start("tab", session_whatif(), put)
        assert waiting.started.wait(30)
        session.start("tab", session_whatif(), lambda item: None)
        assert done.wait(30)
        assert [item["stage"] for item in first] == ["started", "cancelled"]
    finally:
        session.files = files


def session_whatif():
    from feasible.cli.serve.whatif import WhatIf

    return WhatIf()


def test_check_does_not_load_the_server():
    code = "import sys, feasible.cli.app; print(sorted(m for m in ('starlette', 'uvicorn') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_a_taken_port_gives_the_next_free_one():
    taken = bind("127.0.0.1", 0)
    try:
        port = taken.getsockname()[1]
        following = bind("127.0.0.1", port)
        assert port < following.getsockname()[1] < port + 20
        following.close()
    finally:
        taken.close()


def test_no_free_port_is_a_clear_error(monkeypatch):
    from feasible.cli.serve import server
    from feasible.positions import UserError

    taken = bind("127.0.0.1", 0)
    monkeypatch.setattr(server, "PORTS_TRIED", 1)
    try:
        with pytest.raises(UserError, match="no free port from"):
            bind("127.0.0.1", taken.getsockname()[1])
    finally:
        taken.close()


def test_serve_prints_one_line_with_the_address(tmp_path):
    import httpx

    directory = copy_of(tmp_path, "cli")
    process = subprocess.Popen([sys.executable, "-m", "feasible.cli", "serve", "--no-browser", "--port", "0",
                                str(directory)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("feasible serve: Security guarantees for Ukraine") and " at http://127.0.0.1:" in line
        url = line.rsplit(" at ", 1)[1].strip()
        assert "/t/" in url and url.endswith("/")
        assert httpx.get(url, timeout=30).status_code == 200
        assert httpx.get(url.rsplit("/t/", 1)[0] + "/t/wrong/", timeout=30).status_code == 403
        with httpx.stream("POST", url + "api/answer", json={"tab": "t", "whatif": {}}, timeout=30) as answered:
            lines = answered.iter_lines()  # held open while stopping
            assert json.loads(next(lines))["stage"] == "started"
            process.send_signal(signal.SIGINT)
            list(lines)  # ends: the server ends its answers when stopping
        assert process.wait(30) == 0
        said = process.stderr.read()
        assert process.stdout.read() == "" and "Traceback" not in said and "Cancel" not in said
    finally:
        process.kill()
        process.wait(30)


def test_invalid_files_at_start_are_the_located_report(tmp_path):
    directory = copy_of(tmp_path, "broken")
    (directory / "scenario.yaml").write_text("title: [unclosed\n")
    served_run = invoke("serve", "--no-browser", str(directory))
    assert served_run.exit_code == 2
    assert served_run.stderr == invoke("validate", str(directory)).stderr and served_run.stdout == ""
