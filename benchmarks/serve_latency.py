"""Latency of `feasible serve`'s page: from a toggle to the first stage of the answer in the page (the verdict with
the deal or the first conflict) and to the complete answer, next to the same what-ifs as `feasible check`
processes, in one run.

For each scenario (the shipped Ukraine scenario, and a generated one with 2,000 red lines: benchmarks/generate.py
planted, seed 7), the scenario is copied to a scratch directory and served (`feasible serve --no-browser --port 0`);
Debian's chromium (driven by Playwright by its executable path) opens the page and makes --toggles changes, a
seeded sequence: keep, demote or drop a random red line, or pin or free an issue that has a value picker. Each
toggle waits for the complete answer before the next one; its times come from the page's own clock
(`window.feasibleTimings`: from the control's change event to the first stage's and the complete answer's
fragment in the DOM). Then every what-if the page asked is run once as the command line the page shows (`#command`,
the equivalent `feasible check`), timed as a process (wall). Figures are the median and the 95th percentile
(nearest rank) of each. The machine's load from other processes is measured over the whole run
(benchmarks/machine_load.py). Writes nothing unless --write is given, in which case the table replaces the
"serve-latency" section of docs/benchmarks.md.

    python benchmarks/serve_latency.py --toggles 50 --write
    python benchmarks/serve_latency.py --toggles 3 --scenarios ukraine-2026
    python benchmarks/serve_latency.py --toggles 50 --planted-toggles 20 --write  # fewer on the slow one
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docsection  # noqa: E402  (beside this file)
import generate  # noqa: E402
from machine_load import Load  # noqa: E402

SECTION = "serve-latency"
BEGIN, END = docsection.markers(SECTION)
UKRAINE = "ukraine-2026"
PLANTED = "planted-2000"
PLANTED_SEED = 7
SCENARIOS = (UKRAINE, PLANTED)
GOALS = {UKRAINE: "first stage: median ≤ 100 ms, p95 ≤ 250 ms", PLANTED: "first stage ≤ 1.5 s"}
SEED = 20
STATES = ("keep", "demote", "drop")
MAX_PINS = 2  # pins at once: more would mostly pin the scenario into a conflict with its facts

# Debian's chromium as Playwright starts it here (its own browser download is not reachable)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
SERVER_START_SECONDS = 120.0
ANSWER_MS = 600_000  # how long a page waits for one answer: only a hung server takes this long


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def feasible_path() -> str:
    return shutil.which("feasible") or str(Path(sys.executable).with_name("feasible"))


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


class ServerFailed(RuntimeError):
    """`feasible serve` exited or printed nothing before its URL."""


@contextmanager
def served(directory: Path, logs: Path) -> Iterator[str]:
    """`feasible serve --no-browser --port 0 DIRECTORY` running; yields the URL from its first line of stdout.
    The server (its whole process group) is stopped on leaving, whatever happened. Its output goes to files in
    `logs`, not pipes, so that a chatty server can never block on a full pipe."""
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / "serve.stdout", logs / "serve.stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen([feasible_path(), "serve", "--no-browser", "--port", "0", str(directory)],
                                  stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        yield _first_line(server, out, err)
    finally:
        _stop(server)


def _first_line(server: subprocess.Popen, out: Path, err: Path) -> str:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        text = out.read_text(encoding="utf-8", errors="replace")
        if "\n" in text:
            line = text.split("\n", 1)[0]
            return line[line.index("http://"):].strip() if "http://" in line else line
        if server.poll() is not None:
            raise ServerFailed(f"feasible serve exited {server.returncode}:\n{err.read_text(errors='replace')}")
        time.sleep(0.05)
    raise ServerFailed(f"feasible serve printed no URL within {SERVER_START_SECONDS:.0f} s:\n"
                       f"{err.read_text(errors='replace')}")


def _stop(server: subprocess.Popen) -> None:
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sent)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    server.wait()


# The page's own clock (design: window.feasibleTimings, one entry per answer request, pushed when the change is
# handled; firstAt and completeAt filled in as the fragments land).
TIMINGS = "() => (window.feasibleTimings || []).length"
ANSWERED = """(before) => {
  const t = window.feasibleTimings || [];
  const last = t[t.length - 1];
  const stage = (document.querySelector('#verdict') || {dataset: {}}).dataset.stage;
  return t.length > before && ((last && last.completeAt != null) || stage === 'error');
}"""
_FIRST_ANSWER = """() => document.body.dataset.answered !== undefined &&
  ['complete', 'error'].includes(document.querySelector('#verdict').dataset.stage)"""
# Answers the page asks by itself (the files changed on disk) count too: `document.body.dataset.answered` is the
# number of the last request answered in full.
ANSWERS = "() => Number(document.body.dataset.answered || 0)"
ANSWERED_AGAIN = """([before, verdict]) => Number(document.body.dataset.answered || 0) > before &&
  document.querySelector('#verdict').dataset.stage === 'complete' &&
  (verdict === null || document.querySelector('#verdict').dataset.verdict === verdict)"""


def open_page(page, url: str) -> None:
    """The page loaded and its first answer (the files as written) complete."""
    page.goto(url)
    page.wait_for_function(_FIRST_ANSWER, timeout=ANSWER_MS)


def answered(page, change: Callable[[], None]) -> dict:
    """Make the change in the page and wait for the answer it starts to be complete (or an error); its timing."""
    before = page.evaluate(TIMINGS)
    change()
    page.wait_for_function(ANSWERED, arg=before, timeout=ANSWER_MS)
    return page.evaluate("() => window.feasibleTimings[window.feasibleTimings.length - 1]")


def red_line_radio(rule: str, state: str) -> str:
    """The selector of a red line's radio button for `state` (keep, demote or drop)."""
    return f'input[type=radio][name="rl:{rule}"][value="{state}"]'


@dataclass(frozen=True)
class Toggle:
    """One change in the page: a red line's radio (keep, demote, drop) or an issue's value picker ("" = free)."""

    kind: str  # "rule" or "issue"
    name: str
    value: str

    def apply(self, page) -> None:
        if self.kind == "rule":
            page.check(red_line_radio(self.name, self.value))
        else:
            page.select_option(f'select[data-issue="{self.name}"]', value=self.value)


def toggles(rules: list[str], pickers: dict[str, list[str]], count: int, seed: int = SEED) -> list[Toggle]:
    """A seeded sequence of `count` changes, each one changing the what-if: a red line to another state (three in
    four), or an issue pinned to another value or freed (at most MAX_PINS pinned at once)."""
    chooser = random.Random(seed)
    states: dict[str, str] = {}
    pinned: dict[str, str] = {}
    chosen: list[Toggle] = []
    issues = sorted(name for name, values in pickers.items() if any(values))
    while len(chosen) < count:
        if issues and chooser.random() < 0.25:
            name = chooser.choice(sorted(pinned) if len(pinned) >= MAX_PINS else issues)
            others = [v for v in pickers[name] if v and v != pinned.get(name)]
            value = "" if name in pinned and (chooser.random() < 0.5 or not others) else chooser.choice(others)
            if value:
                pinned[name] = value
            else:
                del pinned[name]
            chosen.append(Toggle("issue", name, value))
        else:
            name = chooser.choice(rules)
            value = chooser.choice([s for s in STATES if s != states.get(name, "keep")])
            states[name] = value
            chosen.append(Toggle("rule", name, value))
    return chosen


def controls(page) -> tuple[list[str], dict[str, list[str]]]:
    """The red lines (PARTY/ID) and the issues with a value picker (their values, "" = free) of the page."""
    rules = page.eval_on_selector_all("fieldset.red-line", "all => all.map(f => f.dataset.rule)")
    pickers = page.eval_on_selector_all(
        "select[data-issue]", "all => all.map(s => [s.dataset.issue, [...s.options].map(o => o.value)])")
    return rules, {name: values for name, values in pickers}


@dataclass
class Measured:
    """One scenario's run: per toggle, the page's times (ms) and the command line it showed; the processes' times."""

    scenario: str
    red_lines: int = 0
    first_ms: list[float] = field(default_factory=list)
    complete_ms: list[float] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # what the page's #error said, for answers that ended in one
    server_log: str = ""  # the server's stderr, shown when the page showed an error
    process_ms: list[float] = field(default_factory=list)
    process_errors: list[str] = field(default_factory=list)  # the command lines that failed (not timed)
    disagreements: list[str] = field(default_factory=list)  # command lines whose verdict differs from the page's


def in_page(url: str, count: int, measured: Measured) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            open_page(page, url)
            rules, pickers = controls(page)
            measured.red_lines = len(rules)
            for toggle in toggles(rules, pickers, count):
                timing = answered(page, lambda t=toggle: t.apply(page))
                if timing.get("firstAt") is not None:
                    measured.first_ms.append(timing["firstAt"] - timing["changedAt"])
                if timing.get("completeAt") is not None:
                    measured.complete_ms.append(timing["completeAt"] - timing["changedAt"])
                measured.commands.append(page.text_content("#command") or "")
                if page.get_attribute("#verdict", "data-stage") == "error":
                    measured.errors.append(f"{measured.commands[-1]}: {page.text_content('#error')}")
                measured.verdicts.append(timing.get("verdict") or "error")
        finally:
            browser.close()


def as_processes(measured: Measured) -> None:
    """Each command line the page showed, run as a process: wall time, from start to exit."""
    feasible = feasible_path()
    for line, shown in zip(measured.commands, measured.verdicts):
        argv = shlex.split(line)
        if argv[:2] != ["feasible", "check"]:
            raise SystemExit(f"the page showed no `feasible check` command line: {line!r}")
        started = time.perf_counter()
        # JSON, so that the process's verdict can be held against the page's (the same what-if, the same answer)
        done = subprocess.run([feasible, *argv[1:], "--format", "json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        elapsed = (time.perf_counter() - started) * 1000
        if done.returncode in (0, 1, 3):  # deal, no deal, undecided: anything else measures a failure, not a check
            measured.process_ms.append(elapsed)
            verdict = json.loads(done.stdout)["verdict"]
            if verdict != shown:
                measured.disagreements.append(f"`{line}`: the page said {shown}, the process {verdict}")
        else:
            measured.process_errors.append(f"`{line}` exited {done.returncode}: {done.stderr.decode(errors='replace')}")


def scenario_copy(name: str, scratch: Path) -> Path:
    from feasible.positions import shipped_scenarios

    target = scratch / name
    if name == PLANTED:
        generate.planted(PLANTED_SEED, red_lines=2000).write(target)
    else:
        shutil.copytree(shipped_scenarios()[name], target)
    return target


def measure(counts: dict[str, int]) -> tuple[list[Measured], float | None]:
    """Each scenario named in `counts` (in that order) with that many toggles; and the other processes' load."""
    load = Load()
    results = []
    with tempfile.TemporaryDirectory(prefix="feasible-serve-latency-") as scratch:
        for name, count in counts.items():
            measured = Measured(name)
            directory = scenario_copy(name, Path(scratch))
            logs = Path(scratch) / f"{name}-logs"
            with served(directory, logs) as url:
                in_page(url, count, measured)
            measured.server_log = (logs / "serve.stderr").read_text(encoding="utf-8", errors="replace")
            as_processes(measured)
            results.append(measured)
    return results, load.others()


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _figures(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{_ms(statistics.median(values))} / {_ms(percentile(values, 0.95))}"


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value < 10_000 else f"{value / 1000:.1f} s"


def _verdicts(measured: Measured) -> str:
    counts = {v: measured.verdicts.count(v) for v in sorted(set(measured.verdicts))}
    return ", ".join(f"{n} {v}" for v, n in counts.items())


def _failed(measured: Measured) -> str:
    failed = f" ({len(measured.process_errors)} failed, not timed)" if measured.process_errors else ""
    timed = len(measured.process_ms)
    agreeing = timed - len(measured.disagreements)
    return failed + f"; verdict as the page's: {agreeing} of {timed}"


def table(results: list[Measured], others: float | None) -> str:
    rows = ["| scenario | red lines | toggles (answers) | page: to the first stage, median / p95 | "
            "page: to the complete answer, median / p95 | `feasible check` process, median / p95 | goal |",
            "|---|---|---|---|---|---|---|"]
    rows += [f"| {m.scenario} | {m.red_lines} | {len(m.verdicts)} ({_verdicts(m)}) | {_figures(m.first_ms)} | "
             f"{_figures(m.complete_ms)} | {_figures(m.process_ms)}{_failed(m)} | {GOALS.get(m.scenario, '')} |"
             for m in results]
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"OR-Tools {version('ortools')}, Debian chromium by Playwright {version('playwright')}; "
               f"seeded toggles (seed {SEED}), each waiting for its complete answer")
    if others is not None:
        machine += f"; other processes kept {others:.1f} of {os.cpu_count()} cores busy on average"
    names = ",".join(m.scenario for m in results)
    again = f"python benchmarks/serve_latency.py --scenarios {names} --toggles {len(results[0].verdicts)}"
    if len({len(m.verdicts) for m in results}) > 1:
        again += f" --planted-toggles {len(results[-1].verdicts)}"
    return "\n".join([BEGIN, "", machine, "", *rows, "", f"Reproduce: `{again}`", "", END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--toggles", type=int, default=50)
    parser.add_argument("--planted-toggles", type=int, help=f"toggles on {PLANTED} (default: --toggles)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"comma-separated, among {', '.join(SCENARIOS)}")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    names = tuple(args.scenarios.split(","))
    if unknown := [n for n in names if n not in SCENARIOS]:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    if chromium_path() is None:
        raise SystemExit("serve_latency: no chromium found (apt-get install chromium)")
    counts = {name: args.planted_toggles if name == PLANTED and args.planted_toggles else args.toggles
              for name in names}
    results, others = measure(counts)
    text = table(results, others)
    print(text)
    for measured in results:
        for error in measured.errors:
            print(f"serve_latency: {measured.scenario}: the page answered with an error: {error}", file=sys.stderr)
        for error in measured.process_errors:
            print(f"serve_latency: {measured.scenario}: {error}", file=sys.stderr)
        for line in measured.disagreements:
            print(f"serve_latency: {measured.scenario}: {line}", file=sys.stderr)
        if measured.errors:
            print(f"serve_latency: {measured.scenario}: the server's stderr:\n{measured.server_log}", file=sys.stderr)
    if args.write:
        docsection.write_section(SECTION, "Live page latency", text)


if __name__ == "__main__":
    main()
