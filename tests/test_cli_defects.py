"""Issue 12, the command line: a reader that leaves early (`| head`) does not change the exit code; a Ctrl-C
delivered twice at once still prints the partial answer; hostile words in position files reach no terminal
and no Markdown reader as code; help without internal type names; explain accepts -q."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import feasible.cli.app
from feasible import cli
from feasible.cli.app import app

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes and signals")


def feasible() -> list[str]:
    """The installed `feasible` next to this Python (a venv's entry point), else the module."""
    entry = Path(sys.executable).with_name("feasible")
    return [str(entry)] if entry.exists() else [sys.executable, "-m", "feasible.cli"]


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

@pytest.mark.slow
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


def test_a_ctrl_c_delivered_twice_around_the_end_of_the_search_still_prints_the_answer(monkeypatch):
    """The first SIGINT stops the search; its twin arrives while the answer is being printed, after the search's
    handler would have been put back: it is still the same Ctrl-C."""
    ticks = iter([100.0, 100.0])
    monkeypatch.setattr(cli.app, "_clock", lambda: next(ticks), raising=False)
    real_check, real_emit = cli.app.run_check, cli.app._emit

    def check_after_ctrl_c(*args, **kwargs):
        signal.getsignal(signal.SIGINT)(signal.SIGINT, None)
        return real_check(*args, **kwargs)

    def emit_after_its_twin(*args, **kwargs):
        signal.getsignal(signal.SIGINT)(signal.SIGINT, None)
        return real_emit(*args, **kwargs)

    monkeypatch.setattr(cli.app, "run_check", check_after_ctrl_c)
    monkeypatch.setattr(cli.app, "_emit", emit_after_its_twin)
    before = signal.getsignal(signal.SIGINT)
    result = CliRunner().invoke(app, ["check", "three-party-toy", "--format", "json", "-q"])
    assert result.exit_code == 130, result.output
    assert json.loads(result.stdout)["interrupted"] is True
    assert signal.getsignal(signal.SIGINT) is before  # the command's handler ends with the command


def test_a_second_ctrl_c_after_the_window_quits_at_once(monkeypatch):
    with pytest.raises(QuitAtOnce):
        interrupted_run(monkeypatch, seconds_between=cli.app.SECOND_CTRL_C_WINDOW)


# -- C.9: hostile words in every format ----------------------------------------------------------------------------

ESCAPES = {  # YAML double-quoted escapes: the file itself is clean text, the loaded `says` is not
    "window title (OSC 0)": r"\e]0;pwned\a",
    "clipboard write (OSC 52)": r"\e]52;c;cm0gLXJmIH4=\a",
    "clear screen (CSI)": r"\e[2J\e[H",
    "8-bit CSI (C1)": r"\x9b31m",
    "8-bit OSC (C1)": r"\x9d0;pwned\x9c",
    "bidi override": r"\u202Eevil",
    "bell, backspace, carriage return, DEL": r"\a\b\r\x7f",
}
HTML = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
        "![pic](javascript:alert(2))", "<javascript:alert(3)>")


def hostile_scenario(directory: Path, *, deal: bool) -> Path:
    """Every hostile form in `says`, the party name, the scenario title and the sources."""
    says = '"Hostile ' + " ".join(ESCAPES.values()) + ' end"'
    markup = " ".join(HTML).replace('"', '\\"')
    low = "x <= 1"
    high = "x >= 0" if deal else "x >= 2"
    title = " ".join(ESCAPES[k] for k in ("window title (OSC 0)", "8-bit CSI (C1)", "bidi override"))
    text = f"""title: "Title {title} {markup}"
sources:
  - {{id: s1, title: "Script {markup}", url: "javascript:alert(4)"}}
  - {{id: s2, title: "Web", url: "https://example.org/a b)(c<d>"}}
issues:
  x: {{type: int, min: 0, max: 3}}
parties:
  - party: a
    name: "Party {ESCAPES['clipboard write (OSC 52)']} {markup}"
    red_lines:
      - {{id: low, says: {says}, rule: {low}, source: s1}}
    demands:
      - {{id: wish, says: "Wish {markup} {ESCAPES['clear screen (CSI)']}", rule: x == 3, weight: 1}}
  - party: b
    name: B
    red_lines:
      - {{id: high, says: "{markup}", rule: {high}}}
"""
    path = directory / ("hostile-deal.yaml" if deal else "hostile-no-deal.yaml")
    path.write_text(text, encoding="utf-8")
    return path


CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\n\t"] + [chr(c) for c in range(0x7f, 0xa0)]
CONTROLS += ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def assert_no_control(text: str, *, sequences_go_whole: bool = True) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in text if c in CONTROLS})
    assert not found, f"control characters reach the reader: {found}"
    for leftover in ("]0;pwned", "]52;", "[2J", "0;pwned") if sequences_go_whole else ():
        assert leftover not in text, f"an escape sequence's body is left: {leftover!r}"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(params=[True, False], ids=["deal", "no-deal"])
def hostile(request, tmp_path) -> Path:
    return hostile_scenario(tmp_path, deal=request.param)


def test_the_hostile_scenario_is_loaded_with_its_escapes(hostile):
    from feasible.positions import load_scenario

    says = load_scenario(str(hostile)).parties[0].red_lines[0].says
    assert "\x1b]0;pwned\x07" in says and "\x9b" in says and "\u202e" in says


@pytest.mark.parametrize("command", [["check"], ["check", "--drop", "b/high"], ["validate"],
                                     ["explain", "{path}", "a/wish"], ["explain", "{path}", "x=3"]])
def test_text_output_carries_no_escape_sequence(hostile, command):
    args = [str(hostile) if a == "{path}" else a for a in command]
    if "{path}" not in command:
        args.insert(1, str(hostile))
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    assert_no_control(result.output)
    if command[0] == "check":
        assert "Hostile" in result.output


def test_diff_text_carries_no_escape_sequence(tmp_path):
    old = hostile_scenario(tmp_path, deal=True)
    new = hostile_scenario(tmp_path, deal=False)
    result = run("diff", str(old), str(new))
    assert result.exit_code == 1, result.output
    assert_no_control(result.output)


def test_diagnostics_quoting_a_hostile_line_carry_no_escape_sequence(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("title: t\nissues:\n  x: {type: int, min: 0, max: 3}\nfacts:\n"
                    "  - {id: f, says: ok, rule: \"x >= \\e]0;pwned\\a 1\"}\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert_no_control(result.output, sequences_go_whole=False)  # the file's line quotes `\e]0;...` as written


def test_json_escapes_controls_and_keeps_the_words(hostile):
    result = run("check", str(hostile), "--format", "json")
    assert_no_control(result.output, sequences_go_whole=False)
    doc = json.loads(result.stdout)
    key = "deal" if doc["verdict"] == "deal" else "conflicts"
    assert doc[key] is not None
    assert "\\u009b" in result.stdout and "\\u202e" in result.stdout  # escaped, not dropped: JSON is data


def markdown_of(hostile: Path) -> str:
    result = run("check", str(hostile), "--format", "markdown")
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_markdown_has_no_tag_link_or_escape_sequence(hostile):
    text = markdown_of(hostile)
    assert_no_control(text)
    for active in ("<script", "<img", "<javascript:"):
        assert active not in text, active
    assert not re.search(r"(?<!\\)\]\(javascript:", text), "an unescaped javascript: link"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\\[click\\](javascript:alert(1))" in text  # shown as written, inert


def test_markdown_renders_to_no_active_html(hostile):
    """Through a real CommonMark renderer: no element but the report's own, no link but the web source."""
    markdown_it = pytest.importorskip("markdown_it")
    from html.parser import HTMLParser

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.links = set(), []

        def handle_starttag(self, tag, attrs):
            self.tags.add(tag)
            self.links += [value for name, value in attrs if name in ("href", "src")]

    page = Elements()
    page.feed(markdown_it.MarkdownIt("commonmark").enable("table").render(markdown_of(hostile)))
    assert page.tags <= {"h1", "h2", "h3", "p", "ul", "li", "strong", "em", "code", "a", "table", "thead",
                         "tbody", "tr", "th", "td", "br", "blockquote"}
    assert page.links == ["https://example.org/a%20b%29%28c%3Cd%3E"]


def test_markdown_shows_a_non_web_source_as_text(hostile):
    line = next(line for line in markdown_of(hostile).splitlines() if line.startswith("- **s1**"))
    assert line.endswith(" (javascript:alert(4))")
    assert not re.search(r"(?<!\\)\]\(", line), "an unescaped link"


def test_html_stays_escaped(hostile):
    result = run("check", str(hostile), "--format", "html")
    assert "<script>alert" not in result.stdout and "href='javascript:" not in result.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout


def test_html_carries_no_escape_sequence(hostile, tmp_path):
    """A page printed to a terminal (or read there with cat) must not set its title or write its clipboard: the
    page, its conflict map included, holds no escape sequence and no control."""
    assert_no_control(run("check", str(hostile), "--format", "html").stdout)
    report = tmp_path / "r.html"
    assert run("report", str(hostile), "-o", str(report)).exit_code in (0, 1)
    assert_no_control(report.read_text(encoding="utf-8"))


def test_dot_carries_no_escape_sequence(hostile):
    result = run("graph", str(hostile))
    assert_no_control(result.stdout)


def test_edit_diff_on_a_pipe_is_the_exact_diff(tmp_path):
    """What edit prints is a patch of the files (clean YAML text whatever `says` holds once loaded)."""
    path = hostile_scenario(tmp_path, deal=True)
    result = run("edit", str(path), "--drop", "a/low")
    assert result.exit_code == 0, result.output
    assert r"\e]0;pwned\a" in result.stdout


# -- B: help and options -------------------------------------------------------------------------------------------

COMMANDS = ["validate", "check", "explain", "diff", "edit", "report", "graph", "lint", "timeline", "readings",
            "packages", "coalitions", "sweep", "frontier", "tradeoffs", "serve", "scenarios", "schema", "import",
            "export"]


def help_at_80_columns(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_list_fits_80_columns_untruncated():
    listed = help_at_80_columns().split("Commands:", 1)[1].splitlines()[1:]
    assert [line.split()[0] for line in listed if line.strip()] == COMMANDS
    for line in listed:
        assert "…" not in line and "..." not in line, line
        assert len(line) <= 80, line


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_internal_type_name(command):
    text = help_at_80_columns(command)
    assert not re.search(r"<(int|float|str|bool|path|list\[\w+\])( range)?>", text), text


@pytest.mark.parametrize(("command", "shown"), [
    ("check", ["Usage: feasible check [OPTIONS] [PATH]", "  PATH  Scenario directory", "--deals K ",
               "--time-limit SECONDS ", "--relaxations K ", "--drop ID ", "--set ISSUE=VALUE ", "--demote ID ",
               "--with FILE "]),
    ("explain", ["  [PATH] TARGET  TARGET is", "--time-limit SECONDS ", "-q, --quiet"]),
    ("diff", ["  OLD  The earlier scenario", "  NEW  The later scenario", "--time-limit SECONDS "]),
    ("edit", ["--set ISSUE=VALUE ", "--drop ID "]),
    ("report", ["-o, --output FILE ", "--time-limit SECONDS "]),
    ("graph", ["-o, --output FILE ", "--time-limit SECONDS "]),
    ("schema", ["--kind KIND "]),
])
def test_help_names_each_value_by_what_it_is(command, shown):
    text = help_at_80_columns(command)
    for piece in shown:
        assert piece in text, piece


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_explain_accepts_quiet_like_the_other_commands(flag):
    result = CliRunner().invoke(app, ["explain", "three-party-toy", "extraction_cap=800", flag])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No deal has extraction cap = 800")
