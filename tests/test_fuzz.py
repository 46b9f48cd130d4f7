"""Fuzzing the loader, the rule parser and the CLI with hostile input (hypothesis, derandomized, bounded).

Inputs, by kind:

- random bytes and random text as a single-file scenario;
- random YAML structures (nested flow mappings and lists, scalars of every YAML flavour, tags, anchors and
  aliases, recursive aliases) as scenario.yaml and as a party file next to valid files;
- plausible scenarios (the right keys, random issues and rules, some values out of range) in both forms;
- mutations of every shipped scenario file and of every tests/data/bad file (lines deleted, duplicated,
  swapped; characters changed; truncation; tabs, quotes, braces, anchors and `!!python/object` injected):
  random series of up to 4 mutations, plus each of the 9 mutations once on every one of the 43 files (two of
  them keep the YAML valid: an operator of a rule or a number replaced);
- token soup and near-valid rules (a valid rule with tokens deleted, duplicated or replaced) through
  parse_rule and check_rule; random well-typed syntax trees printed, parsed back and checked.

The property: load_scenario returns a Scenario or raises InvalidScenario / UserError whose diagnostics are
located inside one of the scenario's files; `feasible validate` and `feasible check --time-limit 2` exit 0, 1,
2 or 3 with no traceback. Every example runs under a wall-clock budget (SIGALRM), so a hang fails the test
instead of stalling the suite.

Known product bugs (each pinned by a strict xfail in this file or in tests/test_faults.py) are recognised by
`known_bug` and counted, not hidden: once a bug is fixed, its xfail turns into a failure, and its entry in
KNOWN_BUGS should go too.

Set FEASIBLE_FUZZ_STATS=PATH to write the number of examples of each kind and their outcomes as JSON
(docs/reliability.md quotes these figures). FEASIBLE_FUZZ_SCALE=N multiplies every example count.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from typer.testing import CliRunner

from feasible.cli.app import app
from conftest import examples
from feasible.positions import InvalidScenario, Scenario, UserError, load_scenario, shipped_scenarios
from feasible.positions.location import display_path
from feasible.positions.model import Issue, IssueKind
from feasible.positions.rules import RuleSyntaxError, check_rule, parse_rule, to_text

REPO = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "data" / "bad"
SCALE = int(os.environ.get("FEASIBLE_FUZZ_SCALE", "1"))


def fuzz_settings(count: int) -> settings:
    return settings(derandomize=True, database=None, deadline=None, max_examples=examples(count) * SCALE,
                    suppress_health_check=list(HealthCheck))


# ---------------------------------------------------------------------------------------------- bookkeeping

STATS: dict[str, Counter] = defaultdict(Counter)


def record(kind: str, outcome: str) -> None:
    STATS[kind][outcome] += 1
    if currently_in_test_context():
        event(outcome)


@pytest.fixture(scope="module", autouse=True)
def _write_stats():
    yield
    target = os.environ.get("FEASIBLE_FUZZ_STATS")
    if target:
        previous = json.loads(Path(target).read_text()) if Path(target).exists() else {}
        previous.update({kind: dict(counts) for kind, counts in STATS.items()})
        Path(target).write_text(json.dumps(previous, indent=2, sort_keys=True))


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so that no `except Exception` in the product can swallow it."""


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Fail the example if it runs longer than `seconds` (the alarm interrupts Python code; C code such as
    CP-SAT is bounded by its own time limit and caught by the elapsed-time check)."""
    def alarm(signum, frame):
        raise Hang(f"an example ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - started
    assert elapsed <= seconds, f"an example took {elapsed:.1f} s, more than its budget of {seconds} s"


LOAD_BUDGET = 10.0  # seconds for one load_scenario
CLI_BUDGET = 20.0  # seconds for one CLI run (check has --time-limit 2)


# ---------------------------------------------------------------------------------------------- known bugs

#: Product bugs the fuzzers can run into, each pinned by a strict xfail (see the test named).
KNOWN_BUGS: dict[str, str] = {}  # all fixed: odd YAML scalars, 4,300-digit numbers, 64-bit overflow


def known_bug(exc: BaseException) -> str | None:
    """The KNOWN_BUGS key of an unexpected exception, or None for a new problem."""
    files = [frame.filename.replace(os.sep, "/") for frame in traceback.extract_tb(exc.__traceback__)]
    if isinstance(exc, (ValueError, KeyError, IndexError)) and any(f.endswith("yaml/constructor.py") for f in files):
        return "yaml-scalar"
    if (isinstance(exc, ValueError) and "integer string conversion" in str(exc)
            and any(f.endswith("positions/rules/parser.py") for f in files)):
        return "long-int-literal"
    return None


def known_cli_bug(output: str) -> str | None:
    """The KNOWN_BUGS key of an internal error printed by the CLI, or None."""
    if "internal error" not in output:
        return None
    if "yaml/constructor.py" in output and re.search(r"internal error: (ValueError|KeyError|IndexError)", output):
        return "yaml-scalar"
    if "integer string conversion" in output and "rules/parser.py" in output:
        return "long-int-literal"
    if re.search(r"incompatible (function|constructor) arguments|Possible integer overflow", output):
        return "int64-overflow"
    return None


# ---------------------------------------------------------------------------------------------- the properties

_BREAKS = {  # the three ways of counting lines met in diagnostics: any of them may place the location
    "python": str.splitlines,
    "yaml": lambda text: re.split(r"\r\n|\r|\n|\x85|\u2028|\u2029", text),
    "newline": lambda text: text.split("\n"),
}


def assert_located(diag, files: dict[str, str]) -> None:
    """A diagnostic points at a line and column that exist in one of the files (display name → text): line
    1..lines+1 and column 1..length+2 under one of the ways of counting lines."""
    loc = diag.location
    assert loc is not None, f"unlocated diagnostic: {diag.message}"
    assert loc.file in files, f"{loc.file} is not one of {sorted(files)}: {diag.message}"
    assert diag.message.strip()
    for split in _BREAKS.values():
        lines = split(files[loc.file])
        width = len(lines[loc.line - 1]) if 1 <= loc.line <= len(lines) else 0
        if 1 <= loc.line <= len(lines) + 1 and 1 <= loc.column <= width + 2:
            return
    raise AssertionError(f"{loc} is outside the file: {diag.message}")


def load_outcome(target: Path, written: list[Path]) -> str:
    """Load `target` and classify the outcome; fail on anything but a Scenario or a located user error."""
    files = {display_path(p): p.read_bytes().decode("utf-8-sig", errors="replace") for p in written}
    try:
        with budget(LOAD_BUDGET):
            scenario = load_scenario(target)
    except InvalidScenario as exc:
        assert exc.diagnostics
        for diag in exc.diagnostics:
            assert_located(diag, files)
        return "invalid (located errors)"
    except UserError as exc:
        assert exc.message.strip()
        if exc.diagnostic is not None:
            assert_located(exc.diagnostic, files)
        return "user error"
    except Hang:
        raise
    except Exception as exc:  # noqa: BLE001 - the property under test
        bug = known_bug(exc)
        if bug is None:
            raise
        return f"known bug: {bug}"
    assert isinstance(scenario, Scenario)
    return "valid"


def cli(*args: str) -> tuple[int, str]:
    with budget(CLI_BUDGET):
        result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # escaped _run: CliRunner would report it as exit code 1
    return result.exit_code, result.output


def cli_outcome(command: str, target: Path) -> str:
    args = ["validate", str(target)] if command == "validate" else ["check", str(target), "--time-limit", "2", "-q"]
    code, output = cli(*args)
    if code == 4:
        bug = known_cli_bug(output)
        assert bug is not None, output
        return f"known bug: {bug} (exit 4)"
    assert code in (0, 1, 2, 3), (code, output)
    assert "Traceback" not in output and "internal error" not in output, output
    if code == 2:
        assert "error" in output, output
    return {0: "exit 0", 1: "exit 1 (no deal)", 2: "exit 2 (invalid)", 3: "exit 3 (undecided)"}[code]


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="feasible-fuzz-") as name:
        yield Path(name)


# ---------------------------------------------------------------------------------------------- valid neighbours

VALID_SCENARIO = """\
title: Fuzz base
issues:
  troops: {type: bool}
  cap: {type: int, min: 0, max: 10}
  lead: {values: [none, europe, un], ordered: true}
  members: {type: set, values: [uk, fr]}
facts:
  - id: f
    says: A fact.
    rule: lead == "europe" -> troops
"""

VALID_PARTY = """\
party: blue
red_lines:
  - id: small
    says: A small cap.
    rule: cap <= 5
demands:
  - id: uk
    says: The UK takes part.
    rule: members contains "uk"
    weight: 2
"""


# ---------------------------------------------------------------------------------------------- 1. bytes and text

YAMLISH = list(" \t\n\r-:{}[],'\"#&*!|>%@`?abcxyz01_.<=\ufeff\u00e9") + [
    "party: ", "rule: ", "title: ", "issues:", "- id: ", "  ", "!!python/object:os.system", "&a ", "*a", "<<: "]


@fuzz_settings(300)
@given(data=st.one_of(st.binary(max_size=1500),
                      st.binary(max_size=300).map(lambda b: b"\xef\xbb\xbf" + b),
                      st.binary(max_size=300).map(lambda b: VALID_PARTY.encode() + b)))
def test_random_bytes_as_a_position_file(data):
    with scratch() as root:
        path = root / "scenario.yaml"
        path.write_bytes(data)
        record("bytes", load_outcome(path, [path]))


@fuzz_settings(300)
@given(text=st.one_of(st.text(st.characters(codec="utf-8"), max_size=1500),
                      st.lists(st.sampled_from(YAMLISH), max_size=120).map("".join)))
def test_random_text_as_a_position_file(text):
    with scratch() as root:
        path = root / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        record("text", load_outcome(path, [path]))


# ---------------------------------------------------------------------------------------------- 2. YAML structures

KEYS = ["title", "description", "issues", "facts", "parties", "sources", "party", "name", "red_lines", "demands",
        "accept_at_least", "id", "says", "rule", "weight", "source", "type", "values", "min", "max", "ordered",
        "unit", "url", "date", "troops", "cap", "lead", "members", "x", "on", "yes", "1", "<<", "?"]
PLAIN = ["bool", "int", "enum", "set", "true", "false", "yes", "no", "on", "off", "null", "~", "0", "-1", "7",
         "1_000", "0x1F", "0o17", "0b101", "1e3", "3.5", ".inf", "-.inf", ".nan", "2026-01-06", "2026-01-06T10:00:00Z",
         "12:30:45", "=", "blue", "cap <= 5", "not troops", "troops", "lead == un", "x", "europe", "uk"]
TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!!set", "!!omap", "!!pairs",
        "!!map", "!!seq", "!!merge", "!!value", "!!python/object/apply:os.system", "!!python/name:os.system",
        "!!python/object/new:os.system", "!!python/module:os", "!custom", "!<tag:example.com,2026:x>", "!"]
QUOTED_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


class _YamlGen:
    """Draws one YAML document: block mapping at the top, flow collections inside."""

    def __init__(self, draw):
        self.draw = draw
        self.anchors: list[str] = []
        self.open: list[str] = []  # anchors whose node is being written: an alias to them is recursive

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def chance(self, one_in: int) -> bool:
        return self.draw(st.integers(0, one_in - 1)) == 0

    def scalar(self) -> str:
        style = self.pick(["plain", "plain", "double", "single", "int", "float"])
        if style == "plain":
            return self.pick(PLAIN)
        if style == "double":
            return json.dumps(self.draw(QUOTED_TEXT), ensure_ascii=self.draw(st.booleans()))
        if style == "single":
            return "'" + self.draw(QUOTED_TEXT).replace("'", "''").replace("\n", " ") + "'"
        if style == "int":
            return str(self.draw(st.integers(-(10**20), 10**20) | st.integers(-5, 105)))
        return repr(self.draw(st.floats(allow_nan=False, allow_infinity=False, width=32)))

    def key(self) -> str:
        if self.chance(12):
            return self.scalar()
        return self.pick(KEYS)

    def node(self, depth: int) -> str:
        options = ["scalar", "scalar"] + (["list", "map"] if depth < 5 else [])
        if self.anchors or self.open:
            options.append("alias")
        kind = self.pick(options)
        if kind == "alias":
            return "*" + self.pick(self.anchors + self.open)
        prefix = ""
        if self.chance(6):
            prefix += self.pick(TAGS) + " "
        anchor = None
        if self.chance(5):
            anchor = f"a{len(self.anchors) + len(self.open)}"
            prefix += f"&{anchor} "
            self.open.append(anchor)
        if kind == "scalar":
            body = self.scalar()
        elif kind == "list":
            body = "[" + ", ".join(self.node(depth + 1) for _ in range(self.draw(st.integers(0, 4)))) + "]"
        else:
            body = "{" + ", ".join(f"{self.key()}: {self.node(depth + 1)}"
                                   for _ in range(self.draw(st.integers(0, 4)))) + "}"
        if anchor is not None:
            self.open.remove(anchor)
            self.anchors.append(anchor)
        return prefix + body

    def document(self, keys: list[str]) -> str:
        if self.chance(10):
            return self.node(0) + "\n"
        lines = []
        for _ in range(self.draw(st.integers(0, 6))):
            key = self.pick(keys) if not self.chance(6) else self.key()
            lines.append(f"{key}: {self.node(1)}")
        return "\n".join(lines) + "\n"


SCENARIO_KEYS = ["title", "description", "issues", "facts", "parties", "sources"]
PARTY_KEYS = ["party", "name", "red_lines", "demands", "accept_at_least"]


@st.composite
def yaml_documents(draw, keys: list[str]) -> str:
    return _YamlGen(draw).document(keys)


@fuzz_settings(250)
@given(text=yaml_documents(SCENARIO_KEYS))
def test_random_yaml_as_scenario_yaml(text):
    with scratch() as root:
        (root / "scenario.yaml").write_text(text, encoding="utf-8")
        (root / "blue.yaml").write_text(VALID_PARTY, encoding="utf-8")
        record("yaml as scenario.yaml", load_outcome(root, [root / "scenario.yaml", root / "blue.yaml"]))


@fuzz_settings(250)
@given(text=yaml_documents(PARTY_KEYS))
def test_random_yaml_as_a_party_file(text):
    with scratch() as root:
        (root / "scenario.yaml").write_text(VALID_SCENARIO, encoding="utf-8")
        (root / "blue.yaml").write_text(VALID_PARTY, encoding="utf-8")
        (root / "red.yaml").write_text(text, encoding="utf-8")
        written = [root / "scenario.yaml", root / "blue.yaml", root / "red.yaml"]
        record("yaml as a party file", load_outcome(root, written))


# ---------------------------------------------------------------------------------------------- 3. token soup

ISSUES = {
    "troops": Issue("troops", IssueKind.BOOL),
    "cap": Issue("cap", IssueKind.INT, min=0, max=10),
    "lead": Issue("lead", IssueKind.ENUM, values=("none", "europe", "un"), ordered=True),
    "kind": Issue("kind", IssueKind.ENUM, values=("a", "b")),
    "members": Issue("members", IssueKind.SET, values=("uk", "fr")),
}
TOKENS = (list(ISSUES) + ["unknown", "Cap", "and", "or", "not", "in", "contains", "true", "false", "size", "count",
                          "->", "<->", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "(", ")", "{", "}", ",",
                          '"europe"', '"uk"', "'un'", '"zz"', '""', "0", "1", "5", "1_000", "-3", "99999999999",
                          "=", "&&", "||", "!", "=>", "<=>", "[", "]", "/", "%", ".", "@", "$", ";", "\\", "`", "~",
                          "^", "?", "#", "\t", "\n", "\u00e9", "\u2028", '"', "'", "1.5", "1e3", "0x1F",
                          "__import__", "('os')", ".system", "('x')", "eval", "lambda", ":", "os"])


def _valid_rules() -> list[str]:
    return ["troops", "cap <= 5 and not troops", 'lead >= "europe" -> troops', 'members contains "uk"',
            'size(members) + count(troops, cap > 2) * 2 != 3', 'kind in {"a"} <-> -cap < -3',
            '(cap == 1 or cap == 2) and lead != "un"', 'members == {"uk", "fr"}', '"fr" not in members',
            "cap + cap - 1 >= 2 * cap", "not (troops -> cap < 3)", "count(troops) == 1"]


@st.composite
def near_valid_rules(draw) -> list[str]:
    """A valid rule's tokens with one to three tokens deleted, duplicated or replaced by any token."""
    from feasible.positions.rules.parser import tokenize

    tokens = [t.text for t in tokenize(draw(st.sampled_from(_valid_rules())))[:-1]]
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(tokens)))
        op = draw(st.sampled_from(["delete", "duplicate", "replace", "insert"]))
        if op == "insert" or not tokens:
            tokens.insert(i, draw(st.sampled_from(TOKENS)))
        elif op == "delete":
            del tokens[min(i, len(tokens) - 1)]
        elif op == "duplicate":
            tokens.insert(i, tokens[min(i, len(tokens) - 1)])
        else:
            tokens[min(i, len(tokens) - 1)] = draw(st.sampled_from(TOKENS))
    return tokens


@fuzz_settings(1500)
@given(tokens=st.one_of(st.lists(st.sampled_from(TOKENS), max_size=40), near_valid_rules()),
       glue=st.sampled_from([" ", "", "  "]))
def test_token_soup_through_parse_rule_and_check_rule(tokens, glue):
    text = glue.join(tokens)
    with budget(LOAD_BUDGET):
        try:
            expr = parse_rule(text)
        except RuleSyntaxError as exc:
            start, end = exc.span
            assert 0 <= start <= end <= len(text) + 1, (exc.span, text)  # len + 1: just past the end
            assert exc.message.strip()
            record("rule token soup", "syntax error")
            return
        problems = check_rule(expr, ISSUES)
        for problem in problems:
            assert 0 <= problem.span[0] <= problem.span[1] <= len(text), (problem, text)
            assert problem.message.strip()
        # the printer writes a rule that parses back to the same rule
        printed = to_text(expr)
        assert to_text(parse_rule(printed)) == printed, (text, printed)
    record("rule token soup", "type error" if problems else "well-typed")


def test_the_valid_rules_are_valid():
    for text in _valid_rules():
        assert check_rule(parse_rule(text), ISSUES) == [], text


@fuzz_settings(300)
@given(data=st.data())
def test_random_well_typed_rules_print_parse_and_check_cleanly(data):
    """Random well-typed syntax trees (tests/solver_support/strategies.py): printed, parsed back and checked,
    they stay the same rule and raise no type problem."""
    from solver_support.strategies import conditions, issue_sets

    issues = data.draw(issue_sets())
    expr = data.draw(conditions(issues, depth=3))
    with budget(LOAD_BUDGET):
        printed = to_text(expr)
        parsed = parse_rule(printed)
        assert to_text(parsed) == printed
        assert check_rule(parsed, issues) == [], printed
    record("well-typed random rules", "well-typed, printed and parsed back")


# ---------------------------------------------------------------------------------------------- 4. mutations

def _sources() -> list[tuple[Path, Path]]:
    """(scenario root to copy, file in it to mutate) for every shipped file and every tests/data/bad file."""
    found = []
    for path in shipped_scenarios().values():
        for file in sorted(path.glob("*.yaml")) if path.is_dir() else [path]:
            found.append((path, file))
    for entry in sorted(BAD.iterdir()):
        if entry.is_dir():
            found += [(entry, file) for file in sorted(entry.glob("*.yaml"))]
        elif entry.suffix == ".yaml":
            found.append((entry, entry))
    return found


SOURCES = _sources()
#: half the mutations on the 12 shipped files, half on the 31 files of tests/data/bad
MUTATION_SOURCES = st.one_of(st.sampled_from([s for s in SOURCES if BAD not in s[1].parents]),
                             st.sampled_from([s for s in SOURCES if BAD in s[1].parents]))
INJECT = ["\t", "  \t", '"', "'", "{", "}", "[", "]", ": ", "- ", "#", "&a ", "*a", "<<: *a", "|", ">", "---\n",
          "...\n", "%YAML 1.1\n", "!!python/object/apply:os.system ['touch pwned']",
          "!!python/object:os.system", "!custom ", "\ufeff", "\r\n", "\r", "\x00", "\x85", "\u2028", "? ",
          " -> ", " <-> ", "not ", "(", ")", "==", "9" * 25, "\\", "%"]


ALL_OPERATIONS = ["delete", "duplicate", "swap", "char", "truncate", "inject", "inject-line-start", "rule-operator",
                  "number"]
GENTLE = ["rule-operator", "number", "rule-operator", "number", "delete", "swap", "char"]  # often still valid


@st.composite
def mutations(draw, operations=tuple(ALL_OPERATIONS), most: int = 4):
    return draw(st.lists(st.tuples(st.sampled_from(operations), st.integers(0, 10**6), st.integers(0, 10**6),
                                   st.sampled_from(INJECT), st.characters(codec="utf-8")),
                         min_size=1, max_size=most))


def mutate(text: str, steps) -> str:
    for op, a, b, injected, char in steps:
        lines = text.splitlines(keepends=True)
        if op in ("delete", "duplicate", "swap", "inject-line-start") and lines:
            i, j = a % len(lines), b % len(lines)
            if op == "delete":
                del lines[i]
            elif op == "duplicate":
                lines.insert(i, lines[i])
            elif op == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = injected + lines[i]
            text = "".join(lines)
        elif op == "char" and text:
            i = a % len(text)
            text = text[:i] + char + text[i + 1:]
        elif op == "truncate":
            text = text[: a % (len(text) + 1)]
        elif op == "inject":
            i = a % (len(text) + 1)
            text = text[:i] + injected + text[i:]
        elif op == "rule-operator":  # YAML stays valid: an operator of the rule language becomes another
            found = list(_OPERATOR.finditer(text))
            if found:
                m = found[a % len(found)]
                text = text[:m.start()] + _OPERATORS[b % len(_OPERATORS)] + text[m.end():]
        elif op == "number":  # YAML stays valid: a number becomes another
            found = list(re.finditer(r"(?<![\w.])\d+(?![\w.])", text))
            if found:
                m = found[a % len(found)]
                text = text[:m.start()] + str(b % 1_200 - 100) + text[m.end():]
    return text


_OPERATORS = ["<=", ">=", "==", "!=", "<", ">", " and ", " or ", " -> ", " <-> ", " not ", " in ", " contains "]
_OPERATOR = re.compile(r"<=|>=|==|!=|(?<=[ \w])[<>](?=[ \w])| and | or | -> | <-> | not | in | contains ")


def _copy(root: Path, into: Path) -> Path:
    target = into / root.name
    if root.is_dir():
        shutil.copytree(root, target)
    else:
        shutil.copy(root, target)
    return target


def _mutated(root: Path, chosen: Path, steps, into: Path) -> tuple[Path, list[Path]]:
    target = _copy(root, into)
    victim = target / chosen.name if root.is_dir() else target
    raw = victim.read_bytes()
    text = raw.decode("utf-8", errors="surrogateescape")
    victim.write_bytes(mutate(text, steps).encode("utf-8", errors="surrogateescape"))
    written = sorted(target.glob("*.yaml")) if target.is_dir() else [target]
    return target, written


def _kind(source: tuple[Path, Path]) -> str:
    return "tests/data/bad" if BAD in source[1].parents else "shipped"


@fuzz_settings(200)
@given(source=MUTATION_SOURCES, steps=mutations())
def test_mutated_scenario_files_load_or_give_located_errors(source, steps):
    with scratch() as into:
        target, written = _mutated(*source, steps, into)
        record(f"mutations of {_kind(source)} files (load)", load_outcome(target, written))
        assert not (into / "pwned").exists() and not Path("pwned").exists()


def _stable_name(path: Path) -> str:
    """The file's name from `positions/` or `tests/` on: the same in a source tree and an installed copy."""
    text = path.as_posix()
    for anchor in ("positions/scenarios/", "tests/data/"):
        if anchor in text:
            return text[text.rindex(anchor):]
    return path.name


@pytest.mark.parametrize("source", SOURCES, ids=[_stable_name(f) for _, f in SOURCES])
def test_every_file_under_every_kind_of_mutation(source):
    """Each of the 9 mutations once on every shipped and bad file, at seeded positions (so that no file is
    left out, whatever hypothesis draws)."""
    import random

    rng = random.Random(_stable_name(source[1]))
    for op in ALL_OPERATIONS:
        steps = [(op, rng.randrange(10**6), rng.randrange(10**6), rng.choice(INJECT), rng.choice("x\t\"{:-#&*!"))]
        with scratch() as into:
            target, written = _mutated(*source, steps, into)
            record(f"mutations of {_kind(source)} files (load)", load_outcome(target, written))


# ---------------------------------------------------------------------------------------------- 5. plausible scenarios

def _flaw(draw, good, bad, one_in: int = 12):
    """Mostly `good`, now and then `bad` (both strategies): plausible files with a flaw here and there."""
    # not 0: hypothesis draws the simplest value (0) far more often than one time in `one_in`
    return draw(bad) if draw(st.integers(0, one_in - 1)) == one_in // 2 else draw(good)


_ATOMS = {  # rule templates by the kind of issue they fit
    "bool": ["{n}", "not {n}", "{n} == true"],
    "int": ["{n} <= {k}", "{n} + {n} > {k}", "{n} in {{1, 2}}", "-{n} < {k}", "2 * {n} != {k}"],
    "enum": ['{n} == "{v}"', '{n} != "{v}"', '{n} in {{"{v}"}}'],
    "set": ['{n} contains "{v}"', "size({n}) >= {k}", '"{v}" not in {n}', "{n} == {{}}"],
}


@st.composite
def rule_texts(draw, issues: dict) -> str:
    """Mostly well-typed rules over the scenario's issues; sometimes a type error or token soup."""
    names = {kind: [n for n, spec in issues.items() if isinstance(spec, dict) and spec.get("type", "enum") == kind]
             for kind in _ATOMS}
    if draw(st.integers(0, 39)) == 20 or not any(names.values()):
        return " ".join(draw(st.lists(st.sampled_from(TOKENS + list(issues)), min_size=1, max_size=8)))
    atoms = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from([k for k in _ATOMS if names[k]]))
        name = draw(st.sampled_from(names[kind]))
        if draw(st.integers(0, 59)) == 30:  # a template of another kind: a type error
            kind = draw(st.sampled_from(list(_ATOMS)))
        values = issues[name].get("values") or ["none"]
        atoms.append(draw(st.sampled_from(_ATOMS[kind])).format(
            n=name, k=draw(st.integers(-2, 12)), v=draw(st.sampled_from(values + ["zz"] if values else ["zz"]))))
    if len(atoms) == 1:
        return atoms[0]
    glue = draw(st.sampled_from([" and ", " or ", " -> ", " <-> "]))
    return glue.join(f"({a})" for a in atoms)


@st.composite
def plausible_scenarios(draw) -> dict:
    """The right keys and shapes with random issues and rules; about one value in a dozen is out of range,
    of the wrong type, or a reserved or malformed name."""
    issues: dict = {}
    for i in range(_flaw(draw, st.integers(1, 5), st.just(0), 20)):
        name = _flaw(draw, st.just(f"i{i}"), st.sampled_from(["and", "Bad", "x y", "1x", "i0"]), 20)
        kind = draw(st.sampled_from(["bool", "int", "enum", "set"]))
        if kind == "bool":
            spec = {"type": "bool"}
        elif kind == "int":
            low = _flaw(draw, st.integers(-20, 20), st.sampled_from([-(10**12), 10**12, 2**63]), 25)
            spec = {"type": "int", "min": low,
                    "max": low + _flaw(draw, st.integers(0, 12), st.sampled_from([-1, 10**10]), 20)}
        else:
            values = _flaw(draw, st.lists(st.sampled_from(["none", "europe", "un", "uk", "fr"]), min_size=1,
                                          max_size=4, unique=True),
                           st.lists(st.sampled_from(["none", "", "none", "Un"]), max_size=3))
            spec = {"values": values} if kind == "enum" else {"type": "set", "values": values}
            if kind == "enum" and draw(st.booleans()):
                spec["ordered"] = True
        issues[name] = _flaw(draw, st.just(spec), st.sampled_from([{"type": "float"}, {}, {"type": "int"}, "bool",
                                                                     [1, 2]]), 25)
    rules = rule_texts(issues)
    weights = st.none() | st.integers(1, 4)

    def entries(prefix: str, weighted: bool):
        def entry(n, r, w):
            built = {"id": f"{prefix}{n}", "says": "Said.", "rule": r}
            if weighted and w is not None:
                built["weight"] = w
            return built

        return draw(st.lists(st.builds(entry, st.integers(0, 3), rules,
                                       st.builds(lambda good, bad, pick: bad if pick == 0 else good, weights,
                                                 st.sampled_from([0, -1, "2", 1.5]), st.integers(1, 12))),
                             max_size=3, unique_by=lambda e: e["id"]))

    parties = []
    for p in range(draw(st.integers(1, 3))):
        party = {"party": _flaw(draw, st.just(f"p{p}"), st.sampled_from(["facts", "P", "../evil", "p0", "a/b"]), 15),
                 "red_lines": entries("r", False), "demands": entries("d", True)}
        if draw(st.integers(0, 3)) == 2 and (party["demands"] or draw(st.integers(0, 9)) == 5):
            party["accept_at_least"] = _flaw(draw, st.integers(0, 100), st.sampled_from([-10, 120, "half"]))
        parties.append(party)
    return {"title": "Plausible", "issues": issues, "facts": entries("f", False), "parties": parties}


def _write_plausible(data: dict, root: Path, split: bool) -> tuple[Path, list[Path]]:
    if not split:
        path = root / "single.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path, [path]
    folder = root / "scen"
    folder.mkdir()
    head = {k: v for k, v in data.items() if k != "parties"}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(head, sort_keys=False), encoding="utf-8")
    for i, party in enumerate(data["parties"]):
        (folder / f"party{i}.yaml").write_text(yaml.safe_dump(party, sort_keys=False), encoding="utf-8")
    return folder, sorted(folder.glob("*.yaml"))


@fuzz_settings(200)
@given(data=plausible_scenarios(), split=st.booleans())
def test_plausible_scenarios_load_or_give_located_errors(data, split):
    with scratch() as root:
        target, written = _write_plausible(data, root, split)
        record("plausible scenarios (load)", load_outcome(target, written))


# ---------------------------------------------------------------------------------------------- 6. the CLI

@fuzz_settings(60)
@given(data=plausible_scenarios(), split=st.booleans())
def test_cli_on_plausible_scenarios(data, split):
    with scratch() as root:
        target, _ = _write_plausible(data, root, split)
        for command in ("validate", "check"):
            record(f"plausible scenarios ({command})", cli_outcome(command, target))


@fuzz_settings(40)
@given(source=MUTATION_SOURCES, steps=mutations(GENTLE, most=2))
def test_cli_on_mutated_scenario_files(source, steps):
    with scratch() as into:
        target, _ = _mutated(*source, steps, into)
        for command in ("validate", "check"):
            record(f"mutations of {_kind(source)} files ({command})", cli_outcome(command, target))


@fuzz_settings(30)
@given(text=yaml_documents(PARTY_KEYS))
def test_cli_on_random_yaml_party_files(text):
    with scratch() as root:
        (root / "scenario.yaml").write_text(VALID_SCENARIO, encoding="utf-8")
        (root / "blue.yaml").write_text(VALID_PARTY, encoding="utf-8")
        (root / "red.yaml").write_text(text, encoding="utf-8")
        for command in ("validate", "check"):
            record(f"yaml as a party file ({command})", cli_outcome(command, root))


def test_every_shipped_and_bad_file_is_a_mutation_source():
    names = {file.as_posix() for _, file in SOURCES}  # shipped files may come from an installed copy
    assert len(SOURCES) >= 30
    assert any(n.endswith("positions/scenarios/ukraine-2026/russia.yaml") for n in names), names
    assert any(n.endswith("tests/data/bad/not-utf8/russia.yaml") for n in names), names


# ---------------------------------------------------------------------------------------------- the bugs found

def _single(text_of_title: str = "t", rule: str = "cap <= 3", cap_max: str = "10") -> str:
    return (f"title: {text_of_title}\nissues:\n  cap: {{type: int, min: 0, max: {cap_max}}}\nparties:\n"
            f"  - party: a\n    red_lines:\n      - id: r\n        says: s\n        rule: {rule}\n")


@pytest.mark.parametrize("title", ["!!int abc", "!!float abc", "!!bool maybe", "!!int ''", "0x_", "9" * 5000])
def test_explicit_scalar_tags_and_odd_numbers_are_located_errors(tmp_path, title):
    path = tmp_path / "s.yaml"
    path.write_text(_single(title), encoding="utf-8")
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    assert caught.value.diagnostics[0].location.line == 1


def test_a_rule_number_longer_than_4300_digits_is_a_located_error(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(_single(rule="cap <= " + "9" * 5000), encoding="utf-8")
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    assert caught.value.diagnostics[0].location.line == 9


def test_a_long_chain_of_iff_is_a_located_error_not_a_recursion_error(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(_single(rule=" <-> ".join(["cap == 1"] * 350)), encoding="utf-8")
    try:
        load_scenario(path)
    except InvalidScenario as exc:
        assert "nested" in exc.diagnostics[0].message or "terms" in exc.diagnostics[0].message


def test_a_short_chain_of_iff_is_fine(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(_single(rule=" <-> ".join(["cap == 1"] * 50)), encoding="utf-8")
    assert load_scenario(path).parties[0].red_lines[0].text.count("<->") == 49
