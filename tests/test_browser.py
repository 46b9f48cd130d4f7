"""The HTML report of the shipped Ukraine scenario, opened in headless Chromium (Debian's `chromium`; .ci/run
installs it when missing, and the test is skipped without it): the rendered DOM has the verdict, the conflict
map's SVG and every party, and a screenshot of the page is taken. Network access is cut off for the browser,
so the page must render from the file alone.

Set FEASIBLE_SCREENSHOT=/some/file.png to keep a copy of the screenshot for looking at."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.positions import load_scenario

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"),
              pytest.mark.slow]

WIDTH, HEIGHT = 1200, 2400
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND"]  # nothing can be fetched


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def chromium(profile: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    profile.mkdir(parents=True, exist_ok=True)
    try:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                              timeout=timeout, check=False, env={**os.environ, "HOME": str(profile)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish within {timeout} s")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict]:
    """The report written by `feasible report -o`, and the JSON of the same check."""
    where = tmp_path_factory.mktemp("browser")
    page = where / "ukraine report.html"  # a space in the name, as users' files have
    written = invoke("report", "-o", str(page), "--quiet")
    assert written.exit_code == 1, written.output  # no deal
    checked = invoke("check", "--format", "json")
    return page, json.loads(checked.stdout)


class Dom(HTMLParser):
    """What the test needs from the rendered DOM: elements by id, SVG groups, and the visible text."""

    SKIP = {"style", "script", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, str] = {}  # id -> tag
        self.stack: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.in_id: dict[str, list[str]] = {}  # id -> text inside it
        self.svgs: list[dict] = []  # each <svg> with the ids of the elements around it
        self.conflict_groups = 0
        self.red_line_groups = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids[attrs["id"]] = tag
            self.in_id.setdefault(attrs["id"], [])
        if tag == "svg":
            self.svgs.append({"inside": [a.get("id") for _, a in self.stack if a.get("id")], **attrs})
        if tag == "g" and "conflict" in (attrs.get("class") or "").split():
            self.conflict_groups += 1
        if tag == "g" and "red-line" in (attrs.get("class") or "").split():
            self.red_line_groups += 1
        if tag not in ("br", "meta", "link", "img", "input", "hr", "wbr"):
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if any(tag in self.SKIP for tag, _ in self.stack):
            return
        self.text.append(data)
        for _, attrs in self.stack:
            if attrs.get("id") in self.in_id:
                self.in_id[attrs["id"]].append(data)

    def text_of(self, ident: str) -> str:
        return " ".join("".join(self.in_id[ident]).split())

    def visible_text(self) -> str:
        return " ".join("".join(self.text).split())


def test_rendered_dom_has_the_verdict_the_map_and_every_party(report, tmp_path):
    page, expected = report
    done = chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    dom = Dom()
    dom.feed(done.stdout.decode("utf-8"))
    assert "body" in dom.tags and "main" in dom.tags, done.stdout[:500]
    # the verdict
    assert "verdict" in dom.ids, sorted(dom.ids)
    verdict = dom.text_of("verdict")
    assert verdict.startswith("NO DEAL"), verdict
    assert expected["verdict"] == "no-deal"
    # the conflict map, drawn inline as SVG, one box per conflict
    maps = [svg for svg in dom.svgs if "conflict-map" in svg["inside"]]
    assert len(maps) == 1, dom.svgs
    assert dom.conflict_groups == len(expected["conflicts"]) > 0
    scenario = load_scenario("ukraine-2026")
    assert dom.red_line_groups >= sum(len(p.binding) for p in scenario.parties)
    # every party, by name, on the page (and in the parties section)
    text = dom.visible_text()
    for party in scenario.parties:
        assert " ".join(party.name.split()) in text, party.name
        assert " ".join(party.name.split()) in dom.text_of("parties"), party.name
    assert scenario.title in text
    assert "script" not in dom.tags


def png_size_and_pixels(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, size = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        position += 12 + length
    assert size is not None
    return size[0], size[1], zlib.decompress(idat)


def test_screenshot_of_the_report(report, tmp_path):
    page, _ = report
    shot = tmp_path / "report.png"
    done = chromium(tmp_path / "profile", f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}",
                    "--hide-scrollbars", page.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert shot.exists(), done.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    assert len(data) > 50_000, f"only {len(data)} bytes: an empty page?"
    width, height, pixels = png_size_and_pixels(data)
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(set(pixels[::7])) > 32, "the screenshot is (nearly) one colour"
    keep = os.environ.get("FEASIBLE_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
