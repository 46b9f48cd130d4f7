"""`feasible serve` refuses what its page never sends (docs/reliability.md, "feasible serve" security): requests
without the token or with another, a foreign Host (DNS rebinding) or Origin, state changes by GET or without a
JSON body, cross-site fetches, paths outside the allow-list, oversized or malformed bodies; and nothing is
written by any of them."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest

from feasible.positions import shipped_scenarios

warnings.filterwarnings("ignore", message=".*httpx.*")  # Starlette's TestClient asks for httpx2 (not needed here)
from starlette.testclient import TestClient  # noqa: E402

from feasible.cli.serve import guard  # noqa: E402
from feasible.cli.serve.app import create_app  # noqa: E402
from feasible.cli.serve.session import Session  # noqa: E402

BASE = "http://127.0.0.1:8765"
GETS = ("", "static/serve.js", "static/serve.css", "api/version", "api/panel")
POSTS = ("api/answer", "api/overlay", "api/report", "api/preview", "api/write")
WHATIF = {"whatif": {"drop": ["russia/no-western-troops"]}, "tab": "t"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    directory = tmp_path_factory.mktemp("guarded") / "ukraine"
    shutil.copytree(shipped_scenarios()["ukraine-2026"], directory)
    session = Session(str(directory), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE,
                        raise_server_exceptions=False)
    return session, client, f"/t/{session.token}/", directory


@pytest.fixture
def unchanged(served):
    """The served files, checked unchanged after the test."""
    directory = served[3]
    before = {p: p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}
    yield
    assert {p: p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()} == before


def refused(response, status: int) -> None:
    assert response.status_code == status, (response.status_code, response.text[:200])
    assert "Security guarantees" not in response.text and "russia" not in response.text  # no scenario data
    assert_headers(response)


def assert_headers(response) -> None:
    for name, value in guard.HEADERS.items():
        assert response.headers[name] == value
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("route", GETS + POSTS)
@pytest.mark.parametrize("token", ["", "wrong", "x" * 43])
def test_no_route_answers_without_the_token(served, unchanged, route, token):
    _, client, _, _ = served
    path = f"/t/{token}/{route}" if token else f"/{route}"
    method = client.post if route in POSTS else client.get
    response = method(path, json=WHATIF) if route in POSTS else method(path)
    refused(response, 403)


def test_the_token_is_the_sessions_own(served):
    session, _, _, _ = served
    other = Session("ukraine-2026", time_limit=1)
    assert other.token != session.token and len(session.token) >= 43
    assert guard.token_refused(session.token[:-1] + ("A" if session.token[-1] != "A" else "B"), session.token)


def requested(served, route: str, headers: dict[str, str]):
    """The route asked as the page asks it (a GET, or a POST of a what-if), with these headers."""
    _, client, root, _ = served
    return (client.post(root + route, json=WHATIF, headers=headers) if route in POSTS
            else client.get(root + route, headers=headers))


@pytest.mark.parametrize("route", GETS + POSTS)
@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "127.0.0.1.nip.io:8765", ""])
def test_a_foreign_host_is_refused(served, unchanged, route, host):
    refused(requested(served, route, {"host": host}), 403)


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765"])
def test_the_loopback_names_are_allowed(served, host):
    _, client, root, _ = served
    response = client.get(root, headers={"host": host})
    assert response.status_code == 200
    assert_headers(response)


@pytest.mark.parametrize("route", GETS + POSTS)
@pytest.mark.parametrize("origin", ["http://evil.example", "https://127.0.0.1:8765", "http://127.0.0.1:9999",
                                    "null", "http://localhost:8765.evil.example"])
def test_a_foreign_origin_is_refused(served, unchanged, route, origin):
    refused(requested(served, route, {"origin": origin}), 403)


def test_the_pages_own_origin_is_allowed_and_never_told_cors(served):
    _, client, root, _ = served
    response = client.post(root + "api/overlay", json={"whatif": WHATIF["whatif"]}, headers={"origin": BASE})
    assert response.status_code == 200
    assert_headers(response)


@pytest.mark.parametrize("route", POSTS)
def test_get_never_changes_state(served, unchanged, route):
    _, client, root, _ = served
    refused(client.get(root + route, params={"whatif": "{}"}), 405)


@pytest.mark.parametrize("route", GETS + POSTS)
@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_refused(served, unchanged, route, method):
    _, client, root, _ = served
    response = client.request(method, root + route, headers={"origin": BASE,
                                                               "access-control-request-method": "POST"})
    refused(response, 405)


@pytest.mark.parametrize("route", POSTS)
@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_a_post_must_be_json(served, unchanged, route, content_type):
    _, client, root, _ = served
    headers = {} if content_type is None else {"content-type": content_type}
    refused(client.post(root + route, content=b'{"whatif": {}}', headers=headers), 415)


@pytest.mark.parametrize("route", POSTS)
def test_a_cross_site_fetch_is_refused(served, unchanged, route):
    _, client, root, _ = served
    refused(client.post(root + route, json=WHATIF, headers={"sec-fetch-site": "cross-site"}), 403)
    refused(client.post(root + route, json=WHATIF, headers={"sec-fetch-site": "same-site"}), 403)


@pytest.mark.parametrize("path", ["static/../app.py", "static/%2e%2e/app.py", "static/%2e%2e%2fapp.py",
                                  "static/..%2f..%2fapp.py", "static/serve.js%00", "static/app.py",
                                  "static/", "static/%2fetc%2fpasswd", "static/....//app.py"])
def test_no_file_outside_the_allow_list_is_served(served, path):
    _, client, root, _ = served
    response = client.get(root + path)
    assert response.status_code in (403, 404)
    assert "import" not in response.text and "root:" not in response.text
    assert_headers(response)


@pytest.mark.parametrize("route", POSTS)
def test_oversized_bodies_are_refused(served, unchanged, route):
    _, client, root, _ = served
    body = b'{"whatif": {"drop": ["' + b"x" * (guard.BODY_LIMIT + 10) + b'"]}}'
    refused(client.post(root + route, content=body, headers={"content-type": "application/json"}), 413)

    def chunks():  # no Content-Length: the limit holds while reading
        yield body

    refused(client.post(root + route, content=chunks(), headers={"content-type": "application/json"}), 400)


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b'"text"', b'{"whatif": []}', b'{"whatif": {"drop": "x"}}',
    b'{"whatif": {"drop": [1]}}', b'{"whatif": {"set": ["a=1"]}}', b'{"whatif": {"overlays": ["/etc/passwd"]}}',
    b'{"whatif": {"with": ["whatif.yaml"]}}', b'{"whatif": {"objective": "max"}}', b'{"path": "/tmp"}',
    b'{"whatif": {"drop": ["' + b"x" * 1001 + b'"]}}', b'{"tab": 3}', b'{"whatif": {}, "digest": 5}',
])
@pytest.mark.parametrize("route", POSTS)
def test_malformed_what_ifs_are_refused(served, unchanged, body, route):
    _, client, root, _ = served
    refused(client.post(root + route, content=body, headers={"content-type": "application/json"}), 400)


def test_too_many_items_are_refused(served, unchanged):
    _, client, root, _ = served
    refused(client.post(root + "api/answer", json={"whatif": {"drop": [f"r{i}" for i in range(10_001)]}}), 400)


def test_a_write_needs_the_previewed_digest(served, unchanged):
    _, client, root, _ = served
    for digest in ("", "0" * 64):
        response = client.post(root + "api/write", json={"whatif": WHATIF["whatif"], "digest": digest})
        assert response.status_code == 409
        assert_headers(response)


def test_an_unexpected_error_is_a_plain_500(served, unchanged, monkeypatch, capsys):
    session, client, root, _ = served

    def broken(whatif):
        raise RuntimeError("a bug")

    monkeypatch.setattr(session, "overlay", broken)
    response = client.post(root + "api/overlay", json={"whatif": WHATIF["whatif"]})
    assert response.status_code == 500 and response.text == "internal error (see the server's output)\n"
    assert "Traceback" not in response.text and "a bug" in capsys.readouterr().err


def test_a_bug_while_answering_is_said_in_the_page_not_traced(served, monkeypatch, capsys):
    session, client, root, _ = served
    live = session.files.live

    def broken(ask, control, emit):
        raise RuntimeError("a bug")

    monkeypatch.setattr(live, "answer", broken)
    response = client.post(root + "api/answer", json=WHATIF)
    last = response.text.splitlines()[-1]
    assert '"stage": "error"' in last and "internal error" in last and "Traceback" not in response.text
    assert "a bug" in capsys.readouterr().err


def test_allowed_hosts_name_the_bound_host_and_loopback_only():
    assert guard.allowed_hosts("127.0.0.1", 80) == {"127.0.0.1:80", "localhost:80", "[::1]:80"}
    assert "[::1]:9" in guard.allowed_hosts("::1", 9)
    assert "192.168.1.5:9" in guard.allowed_hosts("192.168.1.5", 9)
    assert guard.is_loopback("127.0.0.1") and guard.is_loopback("::1") and not guard.is_loopback("0.0.0.0")


def test_non_loopback_host_warns(monkeypatch, capsys, tmp_path):
    from feasible.cli.serve import server

    class Stopped(Exception):
        pass

    def stop(self, sockets):
        raise Stopped

    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", stop)
    with pytest.raises(Stopped):
        server.serve("ukraine-2026", host="0.0.0.0", port=0, browser=False, time_limit=1)
    captured = capsys.readouterr()
    assert "warning: serving on 0.0.0.0" in captured.err and captured.out.startswith("feasible serve: ")


def test_text_from_the_files_is_shown_as_text(tmp_path):
    """A party's words holding markup reach the page escaped, in the panel and in every answer fragment."""
    toy = shipped_scenarios()["three-party-toy"].read_text()
    line = next(text for text in toy.splitlines() if text.strip().startswith("says:") and "- id:" not in text)
    hostile = line.split("says:")[0] + "says: \"<script>alert(1)</script><img src=x onerror=alert(2)>\""
    path = tmp_path / "toy.yaml"
    title = toy.splitlines()[0]
    path.write_text(toy.replace(line, hostile, 1).replace(title, 'title: "<script>alert(3)</script>"', 1))
    session = Session(str(path), time_limit=30)
    client = TestClient(create_app(session, host="127.0.0.1", port=8765), base_url=BASE)
    root = f"/t/{session.token}/"
    page = client.get(root).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    stream = client.post(root + "api/answer", json={"tab": "t", "whatif": {}})
    fragments = [json.loads(line).get("html", "") for line in stream.text.splitlines()]
    assert any("&lt;script&gt;alert(3)" in html for html in fragments)  # the title, in the report's header
    assert not any("<script>alert" in html or "<img src=x" in html for html in fragments)
