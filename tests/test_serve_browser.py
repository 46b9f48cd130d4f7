"""`feasible serve` in a real browser: Debian's chromium driven by Playwright (by its executable path; Playwright's
own browser download is not used), on a copy of the shipped Ukraine scenario served by `feasible serve
--no-browser --port 0` as a subprocess. Every answer the page shows is compared with what the CLI says on the
same files: the verdict after dropping the red lines of check's first cheapest way, after pinning an issue, from
the downloaded overlay; the files written by the page's "write to files" with those `feasible edit --write`
writes on a second copy; the located error of a bad pin. The page also answers again by itself when the files
change on disk.

The page is driven through its DOM contract (docs/serve.md; the ids, classes and data attributes the design
names), never through its internals."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import serve_latency  # noqa: E402  (starting the server and the browser, shared with the latency benchmark)

from feasible.positions import shipped_scenarios  # noqa: E402

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the test extra is not installed
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(serve_latency.chromium_path() is None, reason="chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install -e '.[test]')"),
    pytest.mark.slow,
]

SCENARIO = "ukraine-2026"
PIN = ("us_ground_troops_in_ukraine", "true")  # a value picker (a select); with the drops below it ends the deal
BAD_PIN = ("ukraine_army_cap_thousands", "5000")  # an int issue of 50..1000: a text field
ANSWER_MS = 120_000


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([serve_latency.feasible_path(), *args], capture_output=True, text=True, check=False)


def verdict_of(*args: str) -> str:
    done = cli("check", *args, "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["verdict"]


def copy_of_ukraine(where: Path) -> Path:
    return Path(shutil.copytree(shipped_scenarios()[SCENARIO], where))


def files_of(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


def cheapest_drops(directory: Path) -> list[str]:
    """The red lines of check's first cheapest way to a deal, as `feasible check --format json` gives them."""
    done = cli("check", str(directory), "--format", "json")
    assert done.returncode == 1, done.stderr  # no deal as written
    return json.loads(done.stdout)["relaxations"][0]["drop"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = serve_latency.launch_chromium(playwright)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(ANSWER_MS)
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture
def served(tmp_path) -> tuple[Path, str]:
    """A copy of the Ukraine scenario and the URL of `feasible serve` on it (stopped after the test, whatever
    happened)."""
    directory = copy_of_ukraine(tmp_path / "ukraine")
    with serve_latency.served(directory, tmp_path / "logs") as url:
        yield directory, url


def verdict(page) -> str:
    return page.get_attribute("#verdict", "data-verdict")


def command(page) -> str:
    return page.text_content("#command") or ""


def drop(page, rules: list[str]) -> dict:
    """Drop each red line in turn (each a toggle the page answers); the timing of the last answer."""
    timing = {}
    for rule in rules:
        timing = serve_latency.answered(page, lambda r=rule: page.check(serve_latency.red_line_radio(r, "drop")))
    return timing


def test_drop_pin_and_download_the_overlay(served, page, tmp_path):
    directory, url = served
    serve_latency.open_page(page, url)
    assert verdict(page) == "no-deal"
    assert page.get_attribute("#verdict", "data-stage") == "complete"
    assert not page.is_visible("#error")

    drops = cheapest_drops(directory)
    timing = drop(page, drops)
    assert timing["verdict"] == verdict(page) == "deal"
    assert page.get_attribute("#verdict", "data-stage") == "complete"
    assert all(f"--drop {rule}" in command(page) for rule in drops), command(page)
    assert timing["changedAt"] <= timing["firstAt"] <= timing["completeAt"]

    issue, value = PIN
    serve_latency.answered(page, lambda: page.select_option(f'select[data-issue="{issue}"]', value=value))
    assert f"--set {issue}={value}" in command(page), command(page)
    edits = [arg for rule in drops for arg in ("--drop", rule)] + ["--set", f"{issue}={value}"]
    assert verdict(page) == verdict_of(str(directory), *edits)
    shown = shlex.split(command(page))  # the command line shown gives the same answer
    assert shown[:2] == ["feasible", "check"] and verdict_of(*shown[2:]) == verdict(page)

    with page.expect_download() as downloading:
        page.click("#download-overlay")
    download = downloading.value
    assert download.suggested_filename == "whatif.yaml"
    overlay = tmp_path / "whatif.yaml"
    download.save_as(overlay)
    assert verdict_of(str(directory), "--with", str(overlay)) == verdict(page)


def test_write_to_files_as_edit_writes_and_the_watcher_answers_again(served, page, tmp_path):
    directory, url = served
    as_written = files_of(directory)
    serve_latency.open_page(page, url)
    drops = cheapest_drops(directory)
    drop(page, drops)
    assert verdict(page) == "deal"

    page.click("#preview-write")
    page.wait_for_selector("pre#write-diff", state="visible")
    assert (page.text_content("pre#write-diff") or "").strip()
    assert files_of(directory) == as_written  # a preview writes nothing
    answers = page.evaluate(serve_latency.ANSWERS)
    page.click("#confirm-write")
    page.wait_for_function("() => (document.querySelector('#write-status').textContent || '').trim() !== ''")

    by_the_cli = copy_of_ukraine(tmp_path / "by-the-cli")
    edited = cli("edit", str(by_the_cli), *[arg for rule in drops for arg in ("--drop", rule)], "--write")
    assert edited.returncode == 0, edited.stderr
    assert files_of(directory) == files_of(by_the_cli) != as_written

    # The files changed: the page answers again by itself, on the files as now written (the drops are in them,
    # so the what-if no longer names them).
    page.wait_for_function(serve_latency.ANSWERED_AGAIN, arg=[answers, "deal"])
    page.wait_for_function("() => !document.querySelector('#command').textContent.includes('--drop')")

    # Changed on disk by something else: the page follows again, without a click.
    answers = page.evaluate(serve_latency.ANSWERS)
    for name, content in as_written.items():
        (tmp_path / name).write_bytes(content)
        os.replace(tmp_path / name, directory / name)  # whole files only, as editors save them
    page.wait_for_function(serve_latency.ANSWERED_AGAIN, arg=[answers, "no-deal"])


def test_a_bad_pin_shows_the_located_error_the_cli_prints(served, page):
    directory, url = served
    serve_latency.open_page(page, url)
    assert not page.is_visible("#error")
    issue, value = BAD_PIN
    by_the_cli = cli("check", str(directory), "--set", f"{issue}={value}")
    assert by_the_cli.returncode == 2 and by_the_cli.stderr.strip()

    field = page.locator(f'input[type=text][data-issue="{issue}"]')
    before = page.evaluate(serve_latency.TIMINGS)
    field.fill(value)
    field.dispatch_event("change")
    page.wait_for_function(serve_latency.ANSWERED, arg=before)
    assert page.get_attribute("#verdict", "data-stage") == "error"
    assert page.is_visible("#error")
    assert by_the_cli.stderr.strip() in (page.text_content("#error") or "")


def test_eight_tabs_in_one_browser_all_load_and_answer(served, browser):
    """Every tab of one browser shares its few connections to the server: none is held open by a tab, so the
    eighth loads and answers like the first, and a change in the first is still answered."""
    directory, url = served
    context = browser.new_context()
    try:
        pages = []
        for _ in range(8):
            opened = context.new_page()
            opened.set_default_timeout(ANSWER_MS)
            serve_latency.open_page(opened, url)
            assert verdict(opened) == "no-deal"
            pages.append(opened)
        first = pages[0]
        timing = drop(first, cheapest_drops(directory))
        assert timing["verdict"] == verdict(first) == "deal"
    finally:
        context.close()


def test_a_changed_what_if_asks_for_a_new_preview_and_a_write_keeps_the_objective(served, page):
    from feasible.cli.serve import words

    directory, url = served
    serve_latency.open_page(page, url)
    serve_latency.answered(page, lambda: page.select_option("#objective", value="welfare"))
    drops = cheapest_drops(directory)
    drop(page, drops)
    page.click("#preview-write")
    page.wait_for_selector("pre#write-diff", state="visible")
    issue, value = PIN  # a new what-if: the diff previewed is no longer the one a write would make
    serve_latency.answered(page, lambda: page.select_option(f'select[data-issue="{issue}"]', value=value))
    assert not page.is_visible("pre#write-diff") and not page.is_visible("#confirm-write")
    assert page.text_content("#write-status") == words.PREVIEW_AGAIN
    serve_latency.answered(page, lambda: page.select_option(f'select[data-issue="{issue}"]', value=""))

    page.click("#preview-write")
    page.wait_for_selector("#confirm-write", state="visible")
    answers = page.evaluate(serve_latency.ANSWERS)
    page.click("#confirm-write")
    page.wait_for_function(serve_latency.ANSWERED_AGAIN, arg=[answers, None])
    page.wait_for_function("() => !document.querySelector('#command').textContent.includes('--drop')")
    assert page.input_value("#objective") == "welfare" and "--objective welfare" in command(page)


def test_the_empty_set_is_pinned_by_typing_braces(served, page):
    directory, url = served
    serve_latency.open_page(page, url)
    field = page.locator('input[type=text][data-issue="guarantors"]')
    assert "{}" in (field.get_attribute("placeholder") or "")
    serve_latency.answered(page, lambda: (field.fill("{}"), field.dispatch_event("change")))
    assert command(page).endswith(" --set guarantors="), command(page)
    assert verdict(page) == verdict_of(str(directory), "--set", "guarantors=")


def test_a_part_of_the_what_if_the_files_no_longer_have_is_said(served, page):
    directory, url = served
    serve_latency.open_page(page, url)
    rule = cheapest_drops(directory)[0]
    serve_latency.answered(page, lambda: page.check(serve_latency.red_line_radio(rule, "drop")))
    assert not page.is_visible("#whatif-lost")
    answers = page.evaluate(serve_latency.ANSWERS)
    edited = cli("edit", str(directory), "--drop", rule, "--write")  # the red line leaves the files
    assert edited.returncode == 0, edited.stderr
    page.wait_for_function(serve_latency.ANSWERED_AGAIN, arg=[answers, None])
    page.wait_for_selector("#whatif-lost", state="visible")
    assert rule in (page.text_content("#whatif-lost") or "")


def test_in_one_column_the_verdict_stays_in_sight_while_the_panel_is_used(served, browser):
    directory, url = served
    context = browser.new_context(viewport={"width": 600, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(ANSWER_MS)
        serve_latency.open_page(page, url)
        rule = cheapest_drops(directory)[-1]
        radio = page.locator(serve_latency.red_line_radio(rule, "drop"))
        radio.scroll_into_view_if_needed()
        assert page.evaluate("() => window.scrollY") > 800  # the panel was scrolled, the answer column is far down

        def in_sight() -> bool:
            box = page.locator("#verdict").bounding_box()
            return box is not None and box["height"] > 0 and 0 <= box["y"] and box["y"] + box["height"] <= 800

        assert in_sight()
        serve_latency.answered(page, lambda: radio.check())
        assert in_sight() and (page.text_content("#verdict") or "").strip()
    finally:
        context.close()
