"""`feasible serve`'s fixes after review (Starlette's TestClient and the session; the browser's are in
tests/test_serve_browser.py): the files' version asked for instead of a held stream, the answer so far worded as
the complete one, report downloads cancelled, bad text refused, the title on one line, the Host check on a
wildcard bind, the canonical what-if."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
import time
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from feasible.cli.html_report import escaped
from feasible.cli.presentation import asked, edit_views
from feasible.cli.words import standing
from feasible.positions import shipped_scenarios
from feasible.solver import Control
from feasible.solver.live import CompleteStage, FirstStage, Live, PartialStage
from feasible.solver.result import Verdict

warnings.filterwarnings("ignore", message=".*httpx.*")  # Starlette's TestClient asks for httpx2 (not needed here)
from starlette.testclient import TestClient  # noqa: E402

from feasible.cli.serve import words  # noqa: E402
from feasible.cli.serve.app import create_app  # noqa: E402
from feasible.cli.serve.session import Job, Session, stage_message  # noqa: E402
from feasible.cli.serve.whatif import WhatIf, parse_whatif  # noqa: E402

UKRAINE = shipped_scenarios()["ukraine-2026"]
BASE = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    target = tmp_path_factory.mktemp("fixes") / "ukraine"
    shutil.copytree(UKRAINE, target)
    session = Session(str(target), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    return session, client, f"/t/{session.token}/"


class Waiting(Live):
    """A Live whose answer waits until it is interrupted (a solve that outlasts the download)."""

    def __init__(self, scenario) -> None:
        super().__init__(scenario)
        self.started = threading.Event()
        self.stopped = threading.Event()

    def answer(self, ask, control, emit) -> None:
        self.started.set()
        deadline = time.monotonic() + 60
        while not control.interrupted and time.monotonic() < deadline:
            time.sleep(0.01)
        if control.interrupted:
            self.stopped.set()
        else:
            emit(FirstStage(Verdict.UNKNOWN))


@pytest.fixture
def waiting(served):
    session, _, _ = served
    files = session.files
    live = Waiting(files.live.scenario)
    session.files = type(files)(files.version, live, files.panel)
    try:
        yield live
    finally:
        session.files = files


# -- 1: no held connection ---------------------------------------------------------------------------------------

def test_the_files_version_is_a_short_answer_not_a_held_stream(served):
    session, client, root = served
    response = client.get(root + "api/version")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.json() == {"version": session.files.version, "valid": True}
    assert client.get(root + "api/events").status_code == 404  # the held stream is gone


def test_the_page_polls_the_version_and_holds_no_stream():
    script = (Path(__file__).resolve().parent.parent / "cli" / "serve" / "static" / "serve.js").read_text()
    assert "api/version" in script and "EventSource" not in script


# -- 2: the answer so far is about the what-if ---------------------------------------------------------------------

def _complete(session: Session, whatif: WhatIf) -> CompleteStage:
    found: list[CompleteStage] = []
    session.files.live.answer(whatif.ask(), Control(interruptible=True),
                              lambda stage: found.append(stage) if isinstance(stage, CompleteStage) else None)
    return found[-1]


@pytest.mark.parametrize("deal", [False, True])
def test_the_answer_so_far_names_the_edits_not_the_files_as_they_stand(served, deal):
    session, _, _ = served
    scenario = session.files.live.scenario
    baseline = _complete(session, WhatIf())
    drops = baseline.result.relaxations[0].drop if baseline.result.relaxations else ()
    # a what-if that edits: with `deal`, the cheapest way's red lines dropped; else a demand reweighed only
    demand = next(r.name for p in scenario.parties for r in p.demands)
    whatif = WhatIf(drop=tuple(drops)) if deal else WhatIf(weight=((demand, "7"),))
    complete = _complete(session, whatif)
    assert (complete.result.verdict is Verdict.DEAL) is deal
    applied = complete.applied
    result = replace(complete.result, room={}) if deal else complete.result  # the room not yet computed
    message = stage_message(PartialStage(result, complete.scenario), applied)
    assert message["stage"] == "partial"
    html = message["html"]
    assert escaped(standing("")) not in html and standing("") not in message["line"]
    assert escaped(standing(asked(edit_views(applied)))) in html
    if deal:
        assert escaped(words.ROOM_PENDING) in html


# -- 3: report downloads are cancelled -------------------------------------------------------------------------------

def test_a_report_solve_stops_when_the_session_closes(tmp_path):
    target = tmp_path / "ukraine"
    shutil.copytree(UKRAINE, target)
    session = Session(str(target), time_limit=30)
    files = session.files
    live = Waiting(files.live.scenario)
    session.files = type(files)(files.version, live, files.panel)
    got: list = []
    solving = threading.Thread(target=lambda: got.append(session.complete(WhatIf())))
    solving.start()
    assert live.started.wait(30)
    session.close()
    solving.join(30)
    assert not solving.is_alive() and got == [None] and live.stopped.is_set()


def test_a_report_download_given_up_stops_its_solve(served, waiting):
    session, _, root = served
    app = create_app(session, host="127.0.0.1", port=8765)
    body = json.dumps({"whatif": {}}).encode()
    sent: list[dict] = []

    async def run() -> None:
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict:
            if messages:
                return messages.pop(0)
            while not waiting.started.is_set():
                await asyncio.sleep(0.01)
            return {"type": "http.disconnect"}  # the download is given up while the report is being found

        async def send(message: dict) -> None:
            sent.append(message)

        path = root + "api/report"
        scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
                 "query_string": b"", "root_path": "", "scheme": "http", "server": ("127.0.0.1", 8765),
                 "client": ("127.0.0.1", 5000), "http_version": "1.1", "asgi": {"version": "3.0"},
                 "headers": [(b"host", b"127.0.0.1:8765"), (b"content-type", b"application/json"),
                             (b"content-length", str(len(body)).encode())]}
        await asyncio.wait_for(app(scope, receive, send), 60)

    asyncio.run(run())
    assert waiting.stopped.is_set()
    assert sent[0]["status"] == 503


def test_a_job_given_to_complete_is_registered_until_done(served):
    session, _, _ = served
    job = Job()
    assert session.complete(parse_whatif({}), job) is not None
    assert job not in session._reports


# -- 4: text no name or value holds ----------------------------------------------------------------------------------

ROUTES = ("api/answer", "api/overlay", "api/report", "api/preview")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("body", [
    '{"whatif": {"drop": ["north/\\ud800"]}}',  # a lone surrogate in a value
    '{"whatif": {"set": {"\\udfff": "1"}}}',  # in a key
    '{"\\ud800": 1}',  # in a key of the body
    '{"tab": "\\ud800", "whatif": {}}',
])
def test_text_that_is_not_unicode_is_refused(served, route, body):
    _, client, root = served
    response = client.post(root + route, content=body.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize("route", ROUTES)
def test_deeply_nested_json_is_refused(served, route):
    _, client, root = served
    body = b"[" * 100_000
    response = client.post(root + route, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.text.strip() in (words.TOO_DEEP, words.BAD_JSON)
    deep = b'{"whatif": {"drop": ' + b"[" * 5_000 + b"]" * 5_000 + b"}}"
    assert client.post(root + route, content=deep, headers={"Content-Type": "application/json"}).status_code == 400


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("value", ["5\n", "5\r", "5\u2028", "a\x1b]0;x\x07", "\t5"])
def test_control_characters_and_line_breaks_are_refused(served, route, value):
    _, client, root = served
    for whatif in ({"set": {"ukraine_army_cap_thousands": value}}, {"drop": [value]},
                   {"weight": {value: "2"}}, {"readings": [value]}):
        response = client.post(root + route, json={"whatif": whatif})
        assert response.status_code == 400 and response.text.strip() == words.CONTROLS.format(key=next(iter(whatif)))


def test_the_overlay_header_is_comment_lines_whatever_the_text():
    from feasible.cli.serve.whatif import one_line

    assert one_line("a\nb\r\nc\u2028d\x1b]0;x\x07e\x85f") == "a b c de f"


# -- 5: the title on one line --------------------------------------------------------------------------------------

def test_the_first_line_holds_the_title_on_one_line_without_escapes(tmp_path):
    import subprocess
    import sys

    directory = tmp_path / "evil"
    shutil.copytree(UKRAINE, directory)
    scenario = directory / "scenario.yaml"
    text = scenario.read_text()
    title = text.splitlines()[0]
    scenario.write_text(text.replace(title, 'title: "Evil\\e]0;pwned\\aTitle\\nsecond line\\u2028third"', 1))
    process = subprocess.Popen([sys.executable, "-m", "feasible.cli", "serve", "--no-browser", "--port", "0",
                                str(directory)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("feasible serve: EvilTitle second line third at http://127.0.0.1:"), line
        assert "\x1b" not in line and "\x07" not in line
    finally:
        process.kill()
        process.wait(30)


# -- 6: a wildcard bind answers the machine's own addresses ----------------------------------------------------------

FAKE_INTERFACES = ["127.0.0.1", "192.168.1.20", "2001:db8::5", "::1"]


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_a_wildcard_bind_accepts_the_machines_own_addresses(served, monkeypatch, host):
    from feasible.cli.serve import guard

    session, _, root = served
    monkeypatch.setattr(guard, "machine_addresses", lambda: FAKE_INTERFACES)
    client = TestClient(create_app(session, host=host, port=8765), base_url=BASE)
    for name in ("192.168.1.20:8765", "[2001:db8::5]:8765", "127.0.0.1:8765", "localhost:8765"):
        assert client.get(root + "api/version", headers={"Host": name}).status_code == 200, name
    for name in ("192.168.1.21:8765", "evil.example:8765", "192.168.1.20:8766", "[2001:db8::6]:8765"):
        assert client.get(root + "api/version", headers={"Host": name}).status_code == 403, name


def test_a_bind_to_one_address_accepts_no_other_interface(served, monkeypatch):
    from feasible.cli.serve import guard

    session, _, root = served
    monkeypatch.setattr(guard, "machine_addresses", lambda: FAKE_INTERFACES)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    assert client.get(root + "api/version", headers={"Host": "192.168.1.20:8765"}).status_code == 403


def test_a_wildcard_bind_says_the_addresses_to_use(tmp_path, monkeypatch, capsys):
    from feasible.cli.serve import server

    directory = tmp_path / "wild"
    shutil.copytree(UKRAINE, directory)
    monkeypatch.setattr(server, "machine_addresses", lambda: FAKE_INTERFACES)

    class Stop(Exception):
        pass

    def stopped(*args, **kwargs):
        raise Stop

    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", stopped)
    with pytest.raises(Stop):
        server.serve(str(directory), host="0.0.0.0", port=0, browser=False, time_limit=5)
    said = capsys.readouterr()
    assert len(said.out.splitlines()) == 1
    shown = [line for line in said.err.splitlines() if line.startswith("other machines")]
    assert [line.split("http://")[1].split("/t/")[0].rsplit(":", 1)[0] for line in shown] == [
        "192.168.1.20", "[2001:db8::5]"]


# -- 8: the empty set, and the phases of a step ----------------------------------------------------------------------

def test_a_set_issue_can_be_pinned_to_the_empty_set(tmp_path):
    from typer.testing import CliRunner

    from feasible.cli.app import app as cli

    toy = shipped_scenarios()["three-party-toy"]
    directory = Path(shutil.copy(toy, tmp_path / "toy.yaml"))
    session = Session(str(directory), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    root = f"/t/{session.token}/"
    panel = client.get(root + "api/panel").text
    assert "data-issue='projects' data-kind='set'" in panel
    assert escaped(words.SET_HINT.format(values="dam, canal, reservoir, road")).split(";")[1] in panel
    lines = [json.loads(line) for line in client.post(root + "api/answer", json={
        "tab": "t", "whatif": {"set": {"projects": ""}}}).text.splitlines()]
    assert lines[0]["command"].endswith(" --set projects=")
    by_the_cli = CliRunner().invoke(cli, ["check", str(directory), "--set", "projects=", "--format", "json"])
    from feasible.cli.safe import json_text

    assert lines[-1]["stage"] == "complete" and json_text(lines[-1]["json"]) + "\n" == by_the_cli.stdout


def test_a_steps_box_says_its_phases(served):
    session, client, root = served
    issue = session.files.live.scenario.issues["timeline"]
    panel = client.get(root + "api/panel").text
    for step in issue.steps:
        low = 0 if step in issue.optional else 1
        assert f"data-issue='timeline.{step}' title='timeline.{step}: {low}–{issue.top_phase}'" in panel
        assert f"placeholder='{words.FREE} ({low}–{issue.top_phase})'" in panel


def test_the_page_has_the_new_answer_controls(served):
    _, client, root = served
    html = client.get(root).text
    for needle in ("id='ask-again' hidden", f"data-stopped='{escaped(words.ANSWER_STOPPED)}'",
                   "id='whatif-lost'", f"data-changed='{escaped(words.PREVIEW_AGAIN)}'"):
        assert needle in html, needle


# -- 9: the what-if in the scenario's order ------------------------------------------------------------------------

def test_the_json_is_that_of_the_command_line_shown_whatever_the_order_asked(served):
    import shlex

    from typer.testing import CliRunner

    from feasible.cli.app import app as cli
    from feasible.cli.safe import json_text

    session, client, root = served
    scenario = session.files.live.scenario
    rules = [r.name for p in scenario.parties for r in p.red_lines]
    demands = [r.name for p in scenario.parties for r in p.demands]
    whatif = {"demote": [rules[3], rules[1]], "set": {"ukraine_army_cap_thousands": "800", "force_lead": "europe"},
              "weight": {demands[2]: "3", demands[0]: "2"}}
    lines = [json.loads(line) for line in client.post(root + "api/answer", json={"tab": "t", "whatif": whatif})
             .text.splitlines()]
    shown = shlex.split(lines[0]["command"])
    by_the_cli = CliRunner().invoke(cli, [*shown[1:], "--format", "json"])
    assert lines[-1]["stage"] == "complete" and json_text(lines[-1]["json"]) + "\n" == by_the_cli.stdout


# -- 10: links, the race on write, the report's refusal, one trace per bug ----------------------------------------

def test_links_in_the_answer_open_a_new_tab_without_referrer(served):
    session, _, _ = served
    html = stage_message(_complete(session, WhatIf()))["html"]
    assert "<a target='_blank' rel='noreferrer noopener' href='http" in html
    assert "<a href='http" not in html


def test_the_loser_of_a_race_on_write_is_told_to_preview_again(tmp_path, monkeypatch):
    from feasible.positions import rewrite

    directory = tmp_path / "raced"
    shutil.copytree(UKRAINE, directory)
    session = Session(str(directory), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    root = f"/t/{session.token}/"
    rule = next(r.name for p in session.files.live.scenario.parties for r in p.red_lines)
    whatif = {"drop": [rule]}
    previewed = client.post(root + "api/preview", json={"whatif": whatif}).json()
    written_first = rewrite.write_plan

    def raced(plan):  # another writer gets there between the plan and the write
        target = plan.changed()[0].path
        target.write_text(target.read_text() + "\n# edited meanwhile\n")
        return written_first(plan)

    monkeypatch.setattr(rewrite, "write_plan", raced)
    response = client.post(root + "api/write", json={"whatif": whatif, "digest": previewed["digest"]})
    assert response.status_code == 409 and response.json() == {"error": words.CHANGED_SINCE}


def test_a_download_while_the_files_are_invalid_is_worded_for_a_download(tmp_path):
    directory = tmp_path / "broken"
    shutil.copytree(UKRAINE, directory)
    session = Session(str(directory), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    scenario_file = directory / "scenario.yaml"
    scenario_file.write_text(scenario_file.read_text().replace("title:", "title: [unclosed", 1))
    assert session.poll()
    for route in ("api/report", "api/overlay"):
        response = client.post(f"/t/{session.token}/{route}", json={"whatif": {}})
        assert response.status_code == 422 and words.FILES_INVALID_DOWNLOAD in response.json()["error"]
        assert "greyed" not in response.json()["error"]


def test_a_bug_is_traced_once_on_the_servers_output(served, monkeypatch, capfd):
    import socket

    import httpx
    import uvicorn

    session, _, _ = served
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    port = sock.getsockname()[1]

    def broken(whatif):
        raise RuntimeError("a bug")

    monkeypatch.setattr(session, "overlay", broken)
    config = uvicorn.Config(create_app(session, host="127.0.0.1", port=port), log_level="warning", lifespan="off",
                            access_log=False)
    server = uvicorn.Server(config)
    running = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    running.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        response = httpx.post(f"http://127.0.0.1:{port}/t/{session.token}/api/overlay", json={"whatif": {}},
                              timeout=60)
        assert response.status_code == 500 and response.text == words.INTERNAL + "\n"
    finally:
        server.should_exit = True
        running.join(30)
        sock.close()
    said = capfd.readouterr().err
    assert said.count("Traceback") == 1 and "a bug" in said


# -- 12: the browser is not given the token on its command line ---------------------------------------------------

def test_the_browser_is_given_a_private_redirect_file_not_the_address(tmp_path, monkeypatch, capsys):
    import stat
    import webbrowser

    import uvicorn

    from feasible.cli.serve import server

    directory = tmp_path / "opened"
    shutil.copytree(UKRAINE, directory)
    opened: list[str] = []
    seen: dict = {}
    monkeypatch.setattr(webbrowser, "open", lambda address: opened.append(address))

    def run(self, sockets=None) -> None:  # the server "runs" until the browser was opened
        deadline = time.monotonic() + 60
        while not opened and time.monotonic() < deadline:
            time.sleep(0.05)
        target = Path(opened[0].removeprefix("file://"))
        seen.update(mode=stat.S_IMODE(target.stat().st_mode), dir_mode=stat.S_IMODE(target.parent.stat().st_mode),
                    text=target.read_text(), target=target)

    monkeypatch.setattr(uvicorn.Server, "run", run)
    server.serve(str(directory), host="127.0.0.1", port=0, browser=True, time_limit=5)
    url = capsys.readouterr().out.rsplit(" at ", 1)[1].strip()
    token = url.split("/t/")[1].strip("/")
    assert opened[0].startswith("file://") and token not in opened[0]
    assert seen["mode"] == 0o600 and seen["dir_mode"] == 0o700 and url in seen["text"]
    assert not seen["target"].exists() and not seen["target"].parent.exists()  # removed at exit
