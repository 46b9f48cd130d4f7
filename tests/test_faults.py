"""Faults injected into feasible: hostile file systems, limits, time limits, solver failures, failed writes,
files that try to run something, and a machine without network.

Each test states the fault and the outcome required by issue 8; known product bugs are strict xfails whose
reason names the suspected cause. docs/reliability.md tabulates the outcomes.
"""

from __future__ import annotations

import errno
import importlib.util
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from ortools.sat.python import cp_model
from typer.testing import CliRunner

from feasible.cli.app import app
from conftest import BAD, strip_ansi
from feasible.positions import InvalidScenario, load_scenario, shipped_scenarios
from feasible.positions.limits import Limits
from feasible.positions.rules import RuleSyntaxError, parse_rule
from feasible.solver import search
from feasible.solver.search import Searcher

REPO = Path(__file__).resolve().parent.parent
CEASEFIRE = shipped_scenarios()["ceasefire-basics"]
TOY = shipped_scenarios()["three-party-toy"]


def invoke(*args: str):
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # escaped the CLI's error handling altogether
    result.text = strip_ansi(result.output)
    return result


def assert_user_error(result, *needles: str) -> None:
    """Exit code 2, an `error:` line, no traceback, no internal error, and every needle in the output."""
    assert result.exit_code == 2, result.text
    assert "error" in result.text
    assert "Traceback" not in result.text and "internal error" not in result.text, result.text
    for needle in needles:
        assert needle in result.text, (needle, result.text)


def run_cli(*args: str, timeout: float = 60, cwd: Path | None = None, env: dict | None = None):
    """`feasible ARGS` in a child process (a hang fails the test instead of stalling it)."""
    command = [sys.executable, "-c", "from feasible.cli.app import app; app()", *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, **(env or {}), "NO_COLOR": "1"})
    done.text = done.stdout + done.stderr
    return done


@pytest.fixture
def scen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the shipped ceasefire-basics scenario at tmp_path/scen (cwd: tmp_path)."""
    monkeypatch.chdir(tmp_path)
    return Path(shutil.copytree(CEASEFIRE, tmp_path / "scen"))


def contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def single(tmp_path: Path, rule: str = "cap <= 3", issues: str = "cap: {type: int, min: 0, max: 10}",
           name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"title: Single\nissues:\n  {issues}\nparties:\n  - party: a\n    red_lines:\n"
                    f"      - id: r\n        says: s\n        rule: {rule}\n", encoding="utf-8")
    return path


# =============================================================================================== the file system

def test_unreadable_party_file_is_a_user_error(scen, monkeypatch):
    """chmod 000 does not stop root, so reading is made to fail the way it does for other users."""
    victim = (scen / "red_side.yaml").resolve()
    real = Path.read_bytes

    def read_bytes(self):
        if self.resolve() == victim:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert_user_error(invoke("validate", "scen"), "cannot read 'scen/red_side.yaml': Permission denied")
    assert_user_error(invoke("check", "scen"), "cannot read")


@pytest.mark.parametrize("which", ["scenario.yaml", "overlay"])
def test_unreadable_scenario_yaml_and_overlay_are_user_errors(scen, monkeypatch, which):
    overlay = scen.parent / "overlay.yaml"
    overlay.write_text("party: red_side\nred_lines:\n  - id: deep-buffer\n    drop: true\n")
    victim = (scen / "scenario.yaml" if which == "scenario.yaml" else overlay).resolve()
    real = Path.read_bytes

    def read_bytes(self):
        if self.resolve() == victim:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert_user_error(invoke("check", "scen", "--with", "overlay.yaml"), "Permission denied")


def test_symlink_loop_in_a_scenario_directory_is_refused(scen):
    os.symlink("loop.yaml", scen / "loop.yaml")
    assert_user_error(invoke("validate", "scen"), "loop.yaml", "not a readable file")


def test_dangling_symlink_in_a_scenario_directory_is_refused(scen):
    os.symlink("/nonexistent/party.yaml", scen / "ghost.yaml")
    assert_user_error(invoke("validate", "scen"), "ghost.yaml", "not a readable file")


def test_symlink_loop_as_scenario_yaml_or_as_the_path(scen, tmp_path):
    (scen / "scenario.yaml").unlink()
    os.symlink("scenario.yaml", scen / "scenario.yaml")
    assert_user_error(invoke("validate", "scen"), "scenario.yaml")  # exit 2; the wording: see the xfail below
    os.symlink("me.yaml", tmp_path / "me.yaml")
    assert_user_error(invoke("validate", "me.yaml"), "me.yaml")


@pytest.mark.parametrize("kind", ["symlink loop", "directory", "fifo"])
def test_an_unreadable_scenario_yaml_is_named_as_such(scen, alarm, kind):
    (scen / "scenario.yaml").unlink()
    if kind == "symlink loop":
        os.symlink("scenario.yaml", scen / "scenario.yaml")
    elif kind == "directory":
        (scen / "scenario.yaml").mkdir()
    else:
        _fifo(scen / "scenario.yaml")
    result = invoke("validate", "scen")
    assert_user_error(result, "scenario.yaml")
    assert "has no scenario.yaml" not in result.text, result.text


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_an_overlay_that_is_not_a_file_is_not_called_missing(scen, alarm, kind):
    path = scen.parent / "o.yaml"
    path.mkdir() if kind == "directory" else _fifo(path)
    result = invoke("check", "scen", "--with", "o.yaml")
    assert_user_error(result, "o.yaml")
    assert "no such file" not in result.text, result.text


def test_directory_named_like_a_party_file_is_refused(scen):
    (scen / "x.yaml").mkdir()
    assert_user_error(invoke("validate", "scen"), "x.yaml", "not a readable file")
    assert_user_error(invoke("check", "scen"), "x.yaml")


def test_a_directory_where_a_file_is_expected(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").mkdir()  # a directory named like a single-file scenario
    assert_user_error(invoke("validate", "s.yaml"), "has no scenario.yaml")
    assert_user_error(invoke("check", str(TOY), "--with", "s.yaml"), "--with s.yaml")


@pytest.fixture
def alarm():
    """Fail (instead of hanging) if the test blocks for 30 s, e.g. opening a FIFO in-process."""
    import signal

    def expired(signum, frame):
        raise TimeoutError("blocked for 30 s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _fifo(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("where", ["party file", "scenario.yaml", "the path", "overlay"])
def test_a_fifo_is_refused_without_blocking(scen, where):
    """Opening a FIFO for reading blocks until a writer comes: the child process must still finish."""
    args = ["validate", "scen"]
    if where == "party file":
        _fifo(scen / "pipe.yaml")
    elif where == "scenario.yaml":
        (scen / "scenario.yaml").unlink()
        _fifo(scen / "scenario.yaml")
    elif where == "the path":
        args = ["validate", _fifo(scen.parent / "pipe.yaml")]
    else:
        args = ["check", "scen", "--with", _fifo(scen.parent / "pipe.yaml")]
    done = run_cli(*args, timeout=60, cwd=scen.parent)
    assert done.returncode == 2, done.text
    assert "Traceback" not in done.text
    assert ("pipe.yaml" in done.text) or ("scenario.yaml" in done.text), done.text


@pytest.mark.parametrize("form", ["bom", "crlf", "bom+crlf", "cr"])
def test_bom_and_line_ends_give_the_same_answer(scen, form):
    expected = json.loads(invoke("check", CEASEFIRE, "--format", "json").stdout)
    for path in scen.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "crlf" in form:
            text = text.replace("\n", "\r\n")
        if form == "cr":
            text = text.replace("\n", "\r")
        data = text.encode("utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + data if "bom" in form else data)
    result = invoke("check", "scen", "--format", "json")
    assert result.exit_code == 1, result.text
    got = json.loads(result.stdout)
    assert got == expected


def test_crlf_does_not_shift_error_locations(tmp_path):
    path = single(tmp_path, rule="cap <= lots")
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    locations = []
    for p in (path, crlf):
        with pytest.raises(InvalidScenario) as caught:
            load_scenario(p)
        locations.append([(d.location.line, d.location.column, d.message) for d in caught.value.diagnostics])
    assert locations[0] == locations[1]


@pytest.mark.parametrize("text, line", [
    ("party: red\nred_lines:\n\t- id: x\n", 3),
    ("party: red\nred_lines:\n  - id: x\n\t  says: y\n", 4),
    ("title: t\nissues:\n  cap:\n\ttype: bool\n", 4),
])
def test_tab_indentation_is_a_located_error_with_the_tab_hint(tmp_path, text, line):
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    diag = caught.value.diagnostics[0]
    assert diag.message.startswith("YAML syntax error")
    assert diag.location.line == line
    assert diag.hint == "YAML does not allow tabs for indentation; indent with spaces"


def test_tabs_inside_values_are_fine(tmp_path):
    path = single(tmp_path, rule="cap\t<=\t3")
    path.write_text(path.read_text().replace("says: s", "says: \"a\\tb\""))
    assert load_scenario(path).parties[0].red_lines[0].text == "cap\t<=\t3"


@pytest.mark.parametrize("content", ["", "   \n\n", "# only a comment\n", "---\n", "~\n"])
@pytest.mark.parametrize("where", ["single file", "scenario.yaml", "party file"])
def test_an_empty_file_is_a_located_error(scen, content, where):
    if where == "single file":
        target = scen.parent / "empty.yaml"
        target.write_text(content)
        args = ["validate", "empty.yaml"]
        name = "empty.yaml"
    else:
        name = "scen/scenario.yaml" if where == "scenario.yaml" else "scen/red_side.yaml"
        (scen.parent / name).write_text(content)
        args = ["validate", "scen"]
    result = invoke(*args)
    assert_user_error(result, "the file is empty", f"--> {name}:")


# =============================================================================================== limits

def _party_file(rules: int, rule: str = "cap <= 3") -> str:
    lines = ["party: a", "red_lines:"]
    lines += [f"  - {{id: r{i}, says: s, rule: '{rule}'}}" for i in range(rules)]
    return "\n".join(lines) + "\n"


HEAD = "title: Limits\nissues:\n  cap: {type: int, min: 0, max: 10}\n"


def _issues(count: int) -> str:
    return "title: Limits\nissues:\n" + "".join(f"  i{i}: {{type: bool}}\n" for i in range(count))


LIMITS = {  # name: (default, files that exceed the default or the lowered limit, lowered limit or None)
    "file_bytes": (20_000_000, {"a.yaml": _party_file(8)}, 200),
    "files": (2_000, {f"p{i}.yaml": f"party: p{i}\n" for i in range(4)}, 4),
    "rule_chars": (20_000, {"a.yaml": _party_file(1, " and ".join(["cap <= 3"] * 1_539))}, None),
    "issues": (20_000, {"scenario.yaml": _issues(20_001), "a.yaml": "party: a\n"}, None),
    "rules": (200_000, {"a.yaml": _party_file(6)}, 5),
    "int_width": (1_000_000_000, {"scenario.yaml": "title: L\nissues:\n  cap: {type: int, min: 0, max: 1000000000}\n",
                                  "a.yaml": "party: a\n"}, None),
    "set_values": (10_000, {"scenario.yaml": "title: L\nissues:\n  s: {type: set, values: ["
                            + ", ".join(f"v{i}" for i in range(10_001)) + "]}\n", "a.yaml": "party: a\n"}, None),
    "yaml_values": (200_000, {"a.yaml": _party_file(6)}, 20),
    "yaml_depth": (64, {"a.yaml": _party_file(1)}, 2),
    "rule_depth": (40, {"a.yaml": _party_file(1, "((((cap <= 3))))")}, 2),
    "number": (10**15, {"scenario.yaml": "title: L\nissues:\n  cap: {type: int, min: 0, max: 10}\n",
                        "a.yaml": _party_file(1, "cap - 2000000000000000 <= 0")}, None),
    "yaml_chars": (20_000_000, {"a.yaml": _party_file(6)}, 100),
    "weight": (1_000_000, {"a.yaml": "party: a\nred_lines:\n  - {id: r, says: s, rule: 'cap <= 3', weight: 5}\n"}, 4),
    "weight_values": (1_000, {"a.yaml": "party: a\ndemands:\n  - {id: d, says: s, rule: 'cap <= 3', weight: [1, 6]}\n"},
                      5),
    "utility_values": (100_000, {"a.yaml": "party: a\nutility:\n  issues: {cap: {weight: 1, points: [[0, 1]]}}\n"},
                       10),
}
LIMIT_MESSAGES = {"file_bytes": "bytes, more than the limit of", "files": "YAML files, more than the limit of",
                  "rule_chars": "characters long, more than the limit of", "issues": "issues, more than the limit of",
                  "rules": "rules, more than the limit of", "int_width": "wider than the limit of",
                  "set_values": "values, more than the limit of", "yaml_values": "values (aliases nested too deep?)",
                  "yaml_depth": "nested more than", "rule_depth": "nested more than", "number": "is too large",
                  "yaml_chars": "characters of text", "weight": "is more than the limit of",
                  "weight_values": "weights, more than the limit of",
                  "utility_values": "values, more than the limit of"}


#: Limits on what a command is asked rather than on the files (tested where they are asked: tests/test_sweep.py).
ASKED = {"samples": 10_000_000}


def test_every_limit_is_in_the_table():
    assert set(LIMITS) | set(ASKED) == {f.name for f in Limits.__dataclass_fields__.values()}
    for name, (default, _, _) in LIMITS.items():
        assert getattr(Limits(), name) == default, name
    for name, default in ASKED.items():
        assert getattr(Limits(), name) == default, name


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.slow) if name == "issues" else name
                                  for name in LIMITS])  # 10,001 issues take seconds to load
def test_each_limit_is_a_clear_error_naming_its_override_and_the_override_works(tmp_path, monkeypatch, name):
    default, files, lowered = LIMITS[name]
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "scen"
    root.mkdir()
    (root / "scenario.yaml").write_text(HEAD)
    for file, text in files.items():
        (root / file).write_text(text)
    variable = f"FEASIBLE_MAX_{name.upper()}"
    if lowered is not None:
        monkeypatch.setenv(variable, str(lowered))
    result = invoke("validate", "scen")
    assert_user_error(result, LIMIT_MESSAGES[name], f"{lowered or default:,}", variable)
    monkeypatch.setenv(variable, str(max(default, lowered or 0) * 10))
    result = invoke("validate", "scen")
    assert result.exit_code == 0, result.text


def test_the_file_size_limit_at_its_default(tmp_path, monkeypatch):
    """A sparse file one byte over 20,000,000 is refused before it is read."""
    monkeypatch.chdir(tmp_path)
    big = tmp_path / "big.yaml"
    with open(big, "wb") as out:
        out.truncate(20_000_001)
    read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        assert path.name != "big.yaml", "read before its size was checked"
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert_user_error(invoke("validate", "big.yaml"), "20,000,001 bytes", "FEASIBLE_MAX_FILE_BYTES")


def test_the_files_limit_at_its_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "scen"
    root.mkdir()
    (root / "scenario.yaml").write_text(HEAD)
    for i in range(2_000):
        (root / f"p{i}.yaml").write_text(f"party: p{i}\n")
    assert_user_error(invoke("validate", "scen"), "2001 YAML files", "2,000", "FEASIBLE_MAX_FILES")


@pytest.mark.parametrize("raw, message", [("abc", "is not a whole number"), ("0", "must be positive"),
                                          ("-5", "must be positive"), ("1e6", "is not a whole number"),
                                          ("৪00", "is not a whole number"), (" 5", "is not a whole number")])
def test_a_bad_override_is_a_user_error(tmp_path, monkeypatch, raw, message):
    monkeypatch.setenv("FEASIBLE_MAX_RULE_CHARS", raw)
    assert_user_error(invoke("validate", single(tmp_path)), "FEASIBLE_MAX_RULE_CHARS", message)


def test_an_override_may_use_underscores(tmp_path, monkeypatch):
    monkeypatch.setenv("FEASIBLE_MAX_RULE_CHARS", "5")
    assert_user_error(invoke("validate", single(tmp_path)), "more than the limit of 5")
    monkeypatch.setenv("FEASIBLE_MAX_RULE_CHARS", "1_000")
    assert invoke("validate", single(tmp_path)).exit_code == 0


def test_ten_thousand_nested_parentheses(tmp_path, monkeypatch):
    """Over the rule length limit by default; with the limit raised, a located nesting error (never a
    RecursionError)."""
    monkeypatch.chdir(tmp_path)
    rule = "(" * 10_000 + "cap <= 3" + ")" * 10_000
    path = single(tmp_path, rule=rule)
    assert_user_error(invoke("validate", path.name), "20,008 characters long", "FEASIBLE_MAX_RULE_CHARS")
    monkeypatch.setenv("FEASIBLE_MAX_RULE_CHARS", "100000")
    assert_user_error(invoke("validate", path.name), "nested more than 40 levels", "s.yaml:9:")


@pytest.mark.parametrize("rule", ["not " * 5_000 + "cap <= 3", "-" * 5_000 + "cap <= 3",
                                  "count(" * 3_000 + "true" + ")" * 3_000 + " > 0",
                                  "cap <= 3 -> " * 2_000 + "true", " + ".join(["cap"] * 3_000) + " > 0"])
def test_other_deep_rules_are_located_errors(tmp_path, rule):
    with pytest.raises(RuleSyntaxError):
        parse_rule(rule)
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(single(tmp_path, rule=rule))
    assert caught.value.diagnostics[0].location.line == 9


def _laughs(levels: int, width: int) -> str:
    lines = ["title: Laughs", "issues:", "  cap: {type: bool}", "lol:", "  l0: &l0 [lol]"]
    for i in range(1, levels):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels, width", [(9, 9), (30, 10), (3, 1_000), (2, 300_000)])
def test_billion_laughs_is_a_quick_located_error(tmp_path, levels, width):
    """Refused once 200,000 values are expanded, whatever the file would expand to (the memory this takes is
    bounded by test_billion_laughs_stays_within_a_memory_bound)."""
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(levels, width))
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    assert "expands to more than 200,000 values" in caught.value.diagnostics[0].message


def test_the_shipped_billion_laughs_file_via_the_cli():
    assert_user_error(invoke("validate", BAD / "billion-laughs.yaml"), "expands to more than 200,000 values")


def test_billion_laughs_stays_within_a_memory_bound(tmp_path):
    """In a child process limited to 1 GiB of address space, a 10^29-node file is still refused cleanly."""
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(30, 10))
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from feasible.positions import load_scenario, InvalidScenario
        try:
            load_scenario({str(path)!r})
        except InvalidScenario as exc:
            print(exc.diagnostics[0].message)
            sys.exit(0)
        sys.exit(1)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "expands to more than" in done.stdout


@pytest.mark.parametrize("text, message", [
    ("title: t\nissues: " + "[" * 100 + "]" * 100 + "\n", "nested more than 64 levels"),
    ("title: t\nissues: " + "[" * 100_000 + "]" * 100_000 + "\n", "maximum nesting depth"),
    ("title: t\nissues:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(200)), "nested more than 64 levels"),
])
def test_deep_yaml_nesting_is_a_located_error(tmp_path, text, message):
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    assert message in caught.value.diagnostics[0].message
    assert caught.value.diagnostics[0].location.line >= 2


def _override_named_in(hint: str | None) -> str:
    assert hint and "FEASIBLE_MAX_" in hint, f"no override named in the hint: {hint!r}"
    return hint[hint.index("FEASIBLE_MAX_"):].split("=")[0].split()[0]


@pytest.mark.parametrize("text", [pytest.param(_laughs(7, 9), id="aliases", marks=pytest.mark.slow),
                                  pytest.param("title: t\nissues: " + "[" * 70 + "]" * 70 + "\n", id="nesting")])
def test_yaml_limits_name_an_override_that_works(tmp_path, monkeypatch, text):
    path = tmp_path / "y.yaml"
    path.write_text(text)
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    variable = _override_named_in(caught.value.diagnostics[0].hint)
    monkeypatch.setenv(variable, "10000000")
    with pytest.raises(InvalidScenario) as again:
        load_scenario(path)
    assert "expands" not in again.value.diagnostics[0].message and "nested" not in again.value.diagnostics[0].message


def test_rule_nesting_limit_names_an_override_that_works(tmp_path, monkeypatch):
    path = single(tmp_path, rule="(" * 50 + "cap <= 3" + ")" * 50)
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    variable = _override_named_in(caught.value.diagnostics[0].hint)
    monkeypatch.setenv(variable, "100")
    assert load_scenario(path).parties[0].red_lines[0].text.startswith("((")


# =============================================================================================== numbers

@pytest.mark.parametrize("rule, issue", [
    ("cap <= 99999999999999999999999", "cap: {type: int, min: 0, max: 10}"),
    ("cap <= 3", "cap: {type: int, min: -100000000000000000000, max: -99999999999999999990}"),
    ("cap * 9999999999 * 9999999999 >= 1", "cap: {type: int, min: 0, max: 10}"),
    ('cap in {99999999999999999999}', "cap: {type: int, min: 0, max: 10}"),
], ids=["constant", "domain", "product", "set-literal"])
def test_numbers_beyond_64_bits_are_user_errors(tmp_path, monkeypatch, rule, issue):
    monkeypatch.chdir(tmp_path)
    single(tmp_path, rule=rule, issues=issue)
    assert_user_error(invoke("check", "s.yaml", "--time-limit", "2"))


# =============================================================================================== the time limit

def _generate():
    spec = importlib.util.spec_from_file_location("feasible_bench_generate", REPO / "benchmarks" / "generate.py")
    if spec is None or spec.loader is None:
        pytest.skip("benchmarks/generate.py is not available")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


TIME_LIMIT_CASES = {  # family: (generator call, exit codes allowed)
    "feasible-2000": (lambda g: g.feasible(0), (0, 3)),
    "planted-2000": (lambda g: g.planted(0), (1, 3)),
    "random-3-conflicts": (lambda g: g.random_scenario(1, issues=300, red_lines=1500, demands=300, conflicts=3,
                                                       conflict_size=4, kernel="sum", overlap=1), (1, 3)),
}
TINY_LIMIT = 0.05  # seconds, as the searches' clock counts them
CLOCK_STEP = 0.001  # seconds the searches' clock moves on at each reading


class SteppingClock:
    """The searches' clock in the time-limit tests: every reading moves it on by `step` seconds, so a run's time
    limit passes after a fixed number of readings, whatever the machine's speed. A loop that kept searching past
    the limit would read it without end: it fails after `most` readings instead of hanging."""

    def __init__(self, step: float = CLOCK_STEP, most: int = 100_000):
        self.now, self.step, self.most, self.reads = 0.0, step, most, 0

    def monotonic(self) -> float:
        self.reads += 1
        assert self.reads <= self.most, f"the clock was read {self.most:,} times: a search ignores its time limit"
        self.now += self.step
        return self.now


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, float]]:
    """The searches run on a SteppingClock; the list fills with (clock time, seconds given) for every CP-SAT
    solve they start."""
    clock = SteppingClock()
    started: list[tuple[float, float]] = []
    real_new_solver = search.new_solver

    def new_solver(seconds: float, **options):
        started.append((clock.now, seconds))
        return real_new_solver(seconds, **options)

    monkeypatch.setattr(search, "time", SimpleNamespace(monotonic=clock.monotonic))
    monkeypatch.setattr(search, "new_solver", new_solver)
    return started


def assert_within_the_time_limit(solves: list[tuple[float, float]]) -> None:
    """Every solve was told to stop by the time limit, or at the latest by the end of the grace in which answers
    already found are verified. The clock starts at 0; the run's limit starts at its first reading."""
    assert solves, "no solve seen: the searches no longer read this clock"
    latest = CLOCK_STEP + TINY_LIMIT + search.VERIFY_GRACE + 1e-9
    assert all(seconds > 0 and started + seconds <= latest for started, seconds in solves), solves


@pytest.mark.slow
@pytest.mark.parametrize("case", list(TIME_LIMIT_CASES))
def test_a_tiny_time_limit_always_returns_marked(tmp_path, case, solves):
    make, allowed = TIME_LIMIT_CASES[case]
    directory = make(_generate()).write(tmp_path / case)
    done = invoke("check", directory, "--time-limit", str(TINY_LIMIT), "--format", "json", "-q", "--all-conflicts")
    assert done.exit_code in allowed, done.text
    assert_within_the_time_limit(solves)
    doc = json.loads(done.stdout)
    verdict = {0: "deal", 1: "no-deal", 3: "unknown"}[done.exit_code]
    assert doc["verdict"] == verdict
    if verdict == "deal":
        assert doc["deal"]["optimal"] in (True, False)
        assert doc["deal"]["optimal"] or doc["deal"]["gap"] is not None or doc["room_complete"] is False
    if verdict == "no-deal":
        assert isinstance(doc["conflicts_complete"], bool)
    if verdict == "unknown":
        assert doc["deal"] is None


@pytest.mark.slow
@pytest.mark.parametrize("case", list(TIME_LIMIT_CASES))
def test_a_tiny_time_limit_always_returns_from_explain(tmp_path, case, solves):
    make, _ = TIME_LIMIT_CASES[case]
    generated = make(_generate())
    directory = generated.write(tmp_path / case)
    issue = sorted(generated.issues)[0]
    done = invoke("explain", directory, issue, "--time-limit", str(TINY_LIMIT), "--format", "json")
    assert done.exit_code in (0, 1, 3), done.text
    assert_within_the_time_limit(solves)
    assert json.loads(done.stdout)


@pytest.mark.slow
def test_a_tiny_time_limit_in_text_says_unknown(tmp_path, solves):
    directory = _generate().feasible(0).write(tmp_path / "f")
    done = invoke("check", directory, "--time-limit", str(TINY_LIMIT), "-q")
    assert done.exit_code in (0, 3), done.text
    assert_within_the_time_limit(solves)
    if done.exit_code == 3:
        assert "UNKNOWN" in done.stdout and "--time-limit" in done.stdout
    else:
        assert "not proved best" in done.stdout or "best found within the time limit" in done.stdout


# =============================================================================================== the solver fails

def _model_invalid(self, solver, model):
    return cp_model.MODEL_INVALID


@pytest.mark.parametrize("args", [["check", "three-party-toy"], ["check", "ceasefire-basics"],
                                  ["explain", "three-party-toy", "extraction_cap=300"],
                                  ["report", "three-party-toy"], ["graph", "ceasefire-basics"]])
def test_model_invalid_is_an_internal_error_naming_the_scenario(monkeypatch, args):
    monkeypatch.setattr(Searcher, "_run", _model_invalid)
    result = invoke(*args)
    assert result.exit_code == 4, result.text
    title = load_scenario(args[1]).title
    assert f"internal error: CP-SAT rejected the model compiled from '{title}'" in result.text
    assert "This is a bug in feasible" in result.text


def test_a_solver_memory_error_is_an_internal_error_naming_the_scenario(monkeypatch):
    def out_of_memory(self, solver, model):
        raise MemoryError()

    monkeypatch.setattr(Searcher, "_run", out_of_memory)
    result = invoke("check", "three-party-toy")
    assert result.exit_code == 4, result.text
    assert load_scenario("three-party-toy").title in result.text


# =============================================================================================== failed writes

def _stray(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp"))


class _FullDisk(io.RawIOBase):
    """A file whose writes fail as on a full disk."""

    def __init__(self, fd: int):
        self.fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


def test_full_disk_during_edit_write_leaves_the_original(scen, monkeypatch):
    before = contents(scen)
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _FullDisk(fd))
    result = invoke("edit", "scen", "--drop", "red_side/deep-buffer", "--write")
    monkeypatch.undo()
    assert_user_error(result, "cannot write 'scen/red_side.yaml': No space left on device", "unchanged")
    assert contents(scen) == before
    assert _stray(scen) == []


@pytest.mark.parametrize("call, code", [("mkstemp", errno.EROFS), ("mkstemp", errno.ENOSPC),
                                        ("fsync", errno.ENOSPC), ("replace", errno.EROFS)])
def test_write_errors_at_each_step_leave_the_original(scen, monkeypatch, call, code):
    import tempfile

    before = contents(scen)

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile if call == "mkstemp" else os, call, fail)
    result = invoke("edit", "scen", "--drop", "red_side/deep-buffer", "--write")
    monkeypatch.undo()
    assert_user_error(result, os.strerror(code))
    assert contents(scen) == before
    assert _stray(scen) == []


def test_full_disk_on_the_second_file_leaves_every_file_as_it_was(scen, monkeypatch):
    before = contents(scen)
    import feasible.positions.rewrite as rewrite

    real = rewrite.atomic_write
    calls = []

    def second_fails(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, data)

    monkeypatch.setattr(rewrite, "atomic_write", second_fails)
    result = invoke("edit", "scen", "--drop", "red_side/deep-buffer", "--drop", "blue_side/shallow-buffer", "--write")
    monkeypatch.undo()
    assert len(calls) >= 2  # the second write failed; the first file was then put back
    assert result.exit_code == 2, result.text
    assert contents(scen) == before


def test_edit_write_on_a_read_only_file_leaves_it_intact(scen):
    victim = scen / "red_side.yaml"
    before = victim.read_bytes()
    victim.chmod(0o444)
    try:
        result = invoke("edit", "scen", "--drop", "red_side/deep-buffer", "--write")
        assert victim.read_bytes() == before
        assert_user_error(result, "red_side.yaml")
    finally:
        victim.chmod(0o644)


@pytest.mark.parametrize("form", ["crlf", "bom"])
def test_edit_leaves_untouched_crlf_and_bom_files_alone(scen, form):
    for path in scen.glob("*.yaml"):
        data = path.read_bytes()
        path.write_bytes(data.replace(b"\n", b"\r\n") if form == "crlf" else b"\xef\xbb\xbf" + data)
    before = contents(scen)
    result = invoke("edit", "scen", "--drop", "red_side/deep-buffer", "--write")
    assert result.exit_code == 0, result.text
    after = contents(scen)
    assert [name for name in before if before[name] != after[name]] == ["red_side.yaml"]


# =============================================================================================== nothing runs

def _marker_command(tmp_path: Path) -> str:
    return f"touch {tmp_path / 'pwned'}"


@pytest.mark.parametrize("template", [
    "title: !!python/object/apply:os.system [{cmd!r}]\nissues:\n  b: {{type: bool}}\n",
    "title: t\nissues:\n  b: !!python/object/apply:os.system [{cmd!r}]\n",
    "title: t\nissues:\n  b: {{type: bool}}\nfacts:\n  - !!python/object/new:os.system [{cmd!r}]\n",
    "title: t\nissues:\n  b: {{type: bool}}\nx: !!python/object/apply:subprocess.call [[sh, -c, {cmd!r}]]\n",
    "title: t\nissues:\n  b: {{type: bool}}\nx: !!python/name:os.system\n",
    "title: t\nissues:\n  b: {{type: bool}}\nx: !!python/module:os\n",
    "title: t\nissues: !!python/object:collections.OrderedDict {{b: {{type: bool}}}}\n",
    "--- !!python/object/apply:os.system [{cmd!r}]\n",
])
def test_yaml_tags_that_build_objects_are_refused_and_run_nothing(tmp_path, monkeypatch, template):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(template.format(cmd=_marker_command(tmp_path)))
    for command in (["validate", "t.yaml"], ["check", "t.yaml"]):
        assert_user_error(invoke(*command), "is not allowed in position files")
    assert not (tmp_path / "pwned").exists()


def test_tags_in_an_overlay_are_refused_by_check_and_edit(scen, tmp_path):
    overlay = tmp_path / "evil.yaml"
    overlay.write_text(f"party: red_side\nname: !!python/object/apply:os.system [{_marker_command(tmp_path)!r}]\n")
    before = contents(scen)
    assert_user_error(invoke("check", "scen", "--with", "evil.yaml"), "is not allowed")
    assert_user_error(invoke("edit", "scen", "--with", "evil.yaml", "--write"), "is not allowed")
    assert contents(scen) == before
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("rule", [
    "__import__('os').system('x')", "eval('1')", "exec('x = 1')", "os.system('x')", "open('/etc/passwd')",
    "(lambda: 1)()", "().__class__.__bases__", "cap <= __import__('sys').maxsize", "cap if True else cap",
    "cap; import os", "f'{cap}'", "[c for c in cap]",
])
def test_python_in_a_rule_is_a_syntax_error(tmp_path, monkeypatch, rule):
    with pytest.raises(RuleSyntaxError):
        parse_rule(rule)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(
        "title: t\nissues:\n  cap: {type: int, min: 0, max: 10}\nparties:\n  - party: a\n    red_lines:\n"
        f"      - id: r\n        says: s\n        rule: {json.dumps(rule)}\n")
    assert_user_error(invoke("validate", "s.yaml"), "s.yaml:9:")


@pytest.mark.parametrize("args", [["check", "three-party-toy", "--set", "extraction_cap=__import__('os')"],
                                  ["explain", "three-party-toy", "__import__('os').system('x')"],
                                  ["explain", "three-party-toy", "extraction_cap=eval('1')"]])
def test_python_in_command_arguments_is_a_user_error(args):
    assert_user_error(invoke(*args))


@pytest.mark.parametrize("party_id", ["../evil", "/tmp/evil", "a/../../evil", "..", "evil/x", "evil\nx", ".evil"])
def test_overlay_party_ids_cannot_escape_the_scenario(scen, tmp_path, party_id):
    overlay = tmp_path / "add.yaml"
    overlay.write_text(f"party: {json.dumps(party_id)}\nred_lines:\n  - id: r\n    says: s\n    rule: "
                       "prisoner_exchange\n")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert_user_error(invoke("edit", "scen", "--with", "add.yaml", "--write"))
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
    assert not Path("/tmp/evil.yaml").exists()


def test_an_overlay_party_with_a_plain_id_lands_inside_the_scenario(scen, tmp_path):
    (tmp_path / "add.yaml").write_text("party: newcomer\nred_lines:\n  - id: r\n    says: s\n    rule: "
                                       "prisoner_exchange\n")
    result = invoke("edit", "scen", "--with", "add.yaml", "--write")
    assert result.exit_code == 0, result.text
    assert (scen / "newcomer.yaml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["add.yaml", "scen"]


def test_edit_through_a_symlinked_party_file_does_not_write_outside(scen, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "red_side.yaml"
    shutil.move(scen / "red_side.yaml", target)
    os.symlink(target, scen / "red_side.yaml")
    before = target.read_bytes()
    result = invoke("edit", "scen", "--drop", "red_side/deep-buffer", "--write")
    assert_user_error(result, "is a link to", "outside the scenario's directory")  # refused, as by every command
    assert target.read_bytes() == before  # the file outside the scenario is not written
    assert (scen / "red_side.yaml").is_symlink()  # nor is the link replaced by a plain file


# =============================================================================================== no network

@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during a test")

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse(*args)

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair", "create_server"):
        monkeypatch.setattr(socket, name, refuse)
    yield attempts


@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_no_network_needed_for_check_explain_report_graph(no_network, tmp_path, name):
    scenario = load_scenario(name)
    verdict = invoke("check", name).exit_code
    assert verdict in (0, 1)
    assert invoke("check", name, "--format", "json").exit_code == verdict
    assert invoke("check", name, "--format", "markdown").exit_code == verdict
    issue = next(iter(scenario.issues))
    result = invoke("explain", name, issue)
    assert result.exit_code in (0, 1), result.text
    result = invoke("report", name, "-o", tmp_path / "r.html")
    assert result.exit_code == verdict, result.text
    assert "<html" in (tmp_path / "r.html").read_text()
    result = invoke("graph", name, "-o", tmp_path / "g.svg")
    assert result.exit_code == verdict, result.text
    assert no_network == []
