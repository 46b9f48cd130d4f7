"""Every limit trips where its cost arises, before the cost is paid (issue 14, point 9).

The messages and overrides of the loader's limits are tested in test_faults.py; here each limit meets the input
that trips it and the test shows that the work the limit guards was not done: the file not read, the rule not
parsed, the alias not expanded, the table not built. WHERE lists every limit with that work; a new limit needs
a row there and a test here (test_every_limit_is_listed).
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import invoke
from feasible.positions import InvalidScenario, UserError
from feasible.positions.limits import CAPS, WEIGHT_SUM_CAP, Limits
from feasible.positions.loader import load_scenario as load_files  # the loader itself, without the scenario cache
from feasible.solver import Objective, Verdict, check
from feasible.solver.compile import compile_scenario
from feasible.solver.objectives import BREAKPOINTS, objective_stages, reachable_met

WHERE = {  # limit: the work it spares, checked before that work starts
    "file_bytes": "reading the file (its size is looked up first)",
    "files": "reading any file of the directory",
    "rule_chars": "parsing the rule",
    "issues": "compiling one variable (or one per value) for every issue",
    "rules": "reading the files after the one where the count passes the limit, and validating any rule",
    "int_width": "compiling an int variable that wide",
    "set_values": "checking the values and compiling one literal for each",
    "yaml_values": "expanding aliases (a billion laughs)",
    "yaml_chars": "building the text that aliases repeat",
    "yaml_depth": "recursing into deeper YAML",
    "rule_depth": "recursing into deeper rules",
    "number": "arithmetic beyond what the checker proves exact",
    "weight": "a weight the solver cannot scale",
    "samples": "drawing, compiling or answering any sample of a sweep",
    "weight_values": "listing a weight range's values as a sweep's uncertain item (positions/uncertainty.py)",
    "weight_sum": "sums of weights beyond CP-SAT's 64-bit integers",
    "nash_setup": "a log table as large as the weights (at most BREAKPOINTS corners a party, however large)",
    "time_limit": "any solve once the time is up (every solve asks for the time left)",
    "enumerations": "more solves than the deals, conflicts and relaxations there are or were asked for",
    "utility_values": "listing an int issue's terms, one a value, for a utility block and its reservation red line",
}

HEAD = "title: Limits\nissues:\n  cap: {type: int, min: 0, max: 10}\n"


def red_lines(party: str, count: int, rule: str = "cap <= 3") -> str:
    return f"party: {party}\nred_lines:\n" + "".join(f"  - {{id: r{i}, says: s, rule: '{rule}'}}\n"
                                                     for i in range(count))


def scenario(tmp_path: Path, parties: dict[str, str], head: str = HEAD) -> Path:
    root = tmp_path / "scen"
    root.mkdir()
    (root / "scenario.yaml").write_text(head)
    for name, text in parties.items():
        (root / name).write_text(text)
    return root


@pytest.fixture
def files_read(monkeypatch) -> list[str]:
    """The names of the files whose bytes are read, in order."""
    read: list[str] = []
    original = pathlib.Path.read_bytes

    def spy(self):
        read.append(self.name)
        return original(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy)
    return read


def test_every_limit_is_listed():
    assert set(Limits.__dataclass_fields__) | {"weight_sum", "nash_setup", "time_limit", "enumerations"} == set(WHERE)
    assert set(CAPS) <= set(WHERE)


# -- the loader: each limit before the work it guards ---------------------------------------------------------------

def test_file_bytes_before_reading_the_file(tmp_path, monkeypatch, files_read):
    monkeypatch.setenv("FEASIBLE_MAX_FILE_BYTES", "200")
    root = scenario(tmp_path, {"a.yaml": red_lines("a", 1), "b.yaml": red_lines("b", 20)})
    with pytest.raises(UserError, match="b.yaml' is .* bytes, more than the limit of 200"):
        load_files(root)
    assert "b.yaml" not in files_read


def test_files_before_reading_any_file(tmp_path, monkeypatch, files_read):
    monkeypatch.setenv("FEASIBLE_MAX_FILES", "2")
    root = scenario(tmp_path, {f"p{i}.yaml": f"party: p{i}\n" for i in range(3)})
    with pytest.raises(UserError, match="holds 4 YAML files, more than the limit of 2"):
        load_files(root)
    assert files_read == []


def test_rule_chars_before_parsing_the_rule(tmp_path, monkeypatch):
    parsed: list[str] = []
    monkeypatch.setattr("feasible.positions.loader.parse_rule", lambda text, **_: parsed.append(text))
    long_rule = " and ".join(["cap <= 3"] * 3000)
    with pytest.raises(InvalidScenario) as caught:
        load_files(scenario(tmp_path, {"a.yaml": red_lines("a", 1, long_rule)}))
    problem = caught.value.diagnostics[0]
    assert "characters long, more than the limit of 20,000" in problem.message and problem.location.line == 3
    assert long_rule not in parsed


def test_rules_before_reading_the_next_file_or_validating_a_rule(tmp_path, monkeypatch, files_read):
    monkeypatch.setenv("FEASIBLE_MAX_RULES", "5")
    validated: list = []
    monkeypatch.setattr("feasible.positions.loader.parse_rule", lambda text, **_: validated.append(text))
    root = scenario(tmp_path, {"a.yaml": red_lines("a", 4), "b.yaml": red_lines("b", 4), "c.yaml": red_lines("c", 4)})
    too_many = r"the scenario has 8 rules, more than the limit of 5 \(counted as far as '.*b.yaml'\)"
    with pytest.raises(UserError, match=too_many):
        load_files(root)
    assert files_read == ["scenario.yaml", "a.yaml", "b.yaml"] and validated == []


@pytest.mark.parametrize("limit, head, message, at", [
    ("issues", "title: L\nissues:\n" + "".join(f"  i{i}: {{type: bool}}\n" for i in range(3)),
     "3 issues, more than the limit of 2", "issues"),
    ("int_width", "title: L\nissues:\n  cap:\n    type: int\n    min: 0\n    max: 2\n",
     "the range 0..2 is wider than the limit of 2 values", "max: 2"),
    ("set_values", "title: L\nissues:\n  s:\n    type: set\n    values: [a, b, a]\n",
     "3 values, more than the limit of 2", "values: [a, b, a]"),
])
def test_issue_limits_at_the_issue_before_compiling(tmp_path, monkeypatch, limit, head, message, at):
    monkeypatch.setenv(f"FEASIBLE_MAX_{limit.upper()}", "2")
    with pytest.raises(InvalidScenario) as caught:
        load_files(scenario(tmp_path, {"a.yaml": "party: a\n"}, head))
    problems = caught.value.diagnostics
    assert [p.message for p in problems] == [message]  # set_values: the repeated value is not even looked at
    assert problems[0].line_text.strip().startswith(at)


def laughs(levels: int) -> str:
    lines = ["title: Laughs", "issues:", "  cap: {type: bool}", "lol:", "  l0: &l0 [lol]"]
    lines += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_yaml_values_while_expanding(tmp_path):
    """10^12 values: only a reader that counts while it expands can answer at all."""
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs(13))
    with pytest.raises(InvalidScenario, match="1 problem") as caught:
        load_files(path)
    assert "expands to more than 200,000 values" in caught.value.diagnostics[0].message


def test_yaml_chars_while_expanding(tmp_path):
    """A 100,000-character value repeated 150,000 times: 15 GB of text, unless the reader stops at 20 MB."""
    text = HEAD + "notes: &n '" + "x" * 100_000 + "'\nmore: [" + ", ".join(["*n"] * 150_000) + "]\n"
    path = tmp_path / "long.yaml"
    path.write_text(text)
    with pytest.raises(InvalidScenario) as caught:
        load_files(path)
    assert "expands to more than 20,000,000 characters" in caught.value.diagnostics[0].message


@pytest.mark.parametrize("text, message", [
    (HEAD + "deep: " + "[" * 65 + "]" * 65 + "\n", "nested more than 64 levels"),
    (HEAD + "parties:\n  - party: a\n    red_lines:\n      - {id: r, says: s, rule: '"
     + "(" * 41 + "cap <= 3" + ")" * 41 + "'}\n", "nested more than 40 levels"),
    (HEAD + "parties:\n  - party: a\n    red_lines:\n      - {id: r, says: s, rule: 'cap <= 10000000000000000'}\n",
     "is too large"),
    (HEAD + "parties:\n  - party: a\n    red_lines:\n      - {id: r, says: s, rule: 'cap <= 3', weight: 1000001}\n",
     "the weight 1,000,001 is more than the limit of 1,000,000"),
    (HEAD + "parties:\n  - party: a\n    demands:\n      - {id: d, says: s, rule: 'cap <= 3', weight: [1, 1001]}\n",
     "spans 1,001 weights, more than the limit of 1,000"),
], ids=["yaml_depth", "rule_depth", "number", "weight", "weight_values"])
def test_depth_number_and_weight_at_their_place(tmp_path, text, message):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(InvalidScenario) as caught:
        load_files(path)
    problems = caught.value.diagnostics
    assert len(problems) == 1 and message in problems[0].message and problems[0].location.line >= 4


def test_weight_sum_before_the_solver_adds_them(tmp_path, monkeypatch):
    monkeypatch.setenv("FEASIBLE_MAX_WEIGHT", str(WEIGHT_SUM_CAP))
    text = HEAD + "parties:\n  - party: a\n    red_lines:\n" + "".join(
        f"      - {{id: r{i}, says: s, rule: 'cap <= 3', weight: {WEIGHT_SUM_CAP // 2}}}\n" for i in range(3))
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(UserError, match=r"the weights add up to more than 1,099,511,627,776 at a/r2 \(.*s.yaml:9:9\)"):
        load_files(path)


# -- the solver: set-up bounded before the time limit, and every solve within it ------------------------------------

def heavy(tmp_path: Path, weight: int = 1_000_000, demands: int = 1) -> Path:
    """The issue's input: two parties, one bool issue, a demand of weight 1,000,000 (and more of them)."""
    wants = "".join(f"      - {{id: d{i}, says: s, rule: x, weight: {weight - i}}}\n" for i in range(demands))
    path = tmp_path / "heavy.yaml"
    path.write_text("title: Heavy\nissues:\n  x: {type: bool}\nparties:\n  - party: a\n    demands:\n" + wants
                    + "  - party: b\n    demands:\n      - {id: e, says: s, rule: not x}\n")
    return path


@pytest.mark.parametrize("demands", [1, 40])
def test_the_nash_table_is_bounded_whatever_the_weights(tmp_path, demands):
    scen = load_files(heavy(tmp_path, demands=demands))
    compiled = compile_scenario(scen, enforce_red_lines=False, enforce_facts=False)
    before = len(compiled.model.proto.constraints)
    objective_stages(Objective.NASH, compiled, compiled.model)
    added = len(compiled.model.proto.constraints) - before
    assert added <= 2 * (BREAKPOINTS + 1)  # a met weight and at most BREAKPOINTS chords a party
    result = check(scen, Objective.NASH, time_limit=30)
    assert result.verdict is Verdict.DEAL


def test_the_reachable_weights_stop_at_the_limit():
    taken = 0

    def weights() -> Iterator[int]:
        nonlocal taken
        while True:  # endless: only stopping at the limit ends the count
            taken += 1
            yield 1

    assert reachable_met(weights(), BREAKPOINTS) is None and taken == BREAKPOINTS


def test_no_solve_once_the_time_is_up(tmp_path):
    result = check(load_files(heavy(tmp_path, demands=40)), Objective.NASH, time_limit=1e-9)
    assert result.verdict is Verdict.UNKNOWN and result.statistics.solves == 0


def test_enumerations_end_with_what_there_is(tmp_path):
    """Asking for a billion deals costs the two deals there are, not a billion of anything."""
    path = tmp_path / "two.yaml"
    path.write_text("title: Two\nissues:\n  x: {type: bool}\nparties:\n  - party: a\n    demands:\n"
                    "      - {id: d, says: s, rule: x}\n")
    result = check(load_files(path), deals=10**9, time_limit=60, room=False)
    assert len(result.deals) == 2


@pytest.mark.parametrize("option", ["--deals=0", "--relaxations=-1", "--time-limit=0"])
def test_counts_and_time_below_their_least_are_refused(option):
    result = invoke("check", "three-party-toy", option)
    assert result.exit_code == 2 and "Invalid value" in result.output


def test_samples_are_refused_before_any_sample_is_drawn(monkeypatch):
    from feasible.positions.uncertainty import uncertain
    from feasible.solver import sweep as swept

    made = uncertain(load_files(Path(__file__).parent / "data" / "whatif" / "lake"))
    monkeypatch.setenv("FEASIBLE_MAX_SAMPLES", "3")

    def never(*args, **kwargs):
        raise AssertionError("work done before the limit was checked")

    monkeypatch.setattr(swept, "run_tasks", never)
    monkeypatch.setattr(swept, "draw", never)
    with pytest.raises(UserError, match="a sweep draws 1 to 3 samples, not 4"):
        swept.sweep(made, samples=4)
