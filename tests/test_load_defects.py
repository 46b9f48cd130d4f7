"""Issue 12, loading and diagnostics: limits that stop their checks, aliases that repeat long text, did-you-mean
over many names, huge numbers and weights, links and binary files, names too long for the file system, and
two hints (over-indentation, a rejected issue name).

Hangs are tested by structure (what is called, how often, with how much) or under a generous alarm that only
a true hang trips; nothing here depends on the machine's speed.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
import yaml
from test_faults import assert_user_error, invoke
from test_fuzz import budget

from feasible.positions import InvalidScenario, load_scenario, loader, suggest
from feasible.positions.errors import UserError
from feasible.positions.limits import CAPS, Limits
from feasible.positions.location import SourceFile
from feasible.positions.yamlread import read_yaml, scalar_text_offsets

HEAD = "title: t\nissues:\n  flag:\n    type: bool\n  n:\n    type: int\n    min: 0\n    max: 10\n"
PARTY = "party: a\nred_lines:\n  - id: r\n    says: s\n    rule: flag\n"
HANG = 60  # seconds: far beyond what any of these takes unless it hangs


def scenario(root: Path, head: str = HEAD, **parties: str) -> Path:
    root.mkdir(exist_ok=True)
    (root / "scenario.yaml").write_text(head)
    for name, text in (parties or {"a": PARTY}).items():
        (root / f"{name}.yaml").write_text(text)
    return root


def problems(path: Path) -> list:
    with pytest.raises(InvalidScenario) as caught:
        load_scenario(path)
    return caught.value.diagnostics


def enum_head(count: int, name: str = "big") -> str:
    return HEAD + f"  {name}:\n    values: [" + ", ".join(f"v{i}" for i in range(count)) + "]\n"


# ================================================================ C.3: a limit stops the checks of its input

def test_values_over_the_limit_are_not_checked_for_duplicates(tmp_path, monkeypatch):
    checked = []
    monkeypatch.setattr(loader, "repeated_positions", lambda values: checked.append(values) or [])
    monkeypatch.setenv("FEASIBLE_MAX_SET_VALUES", "10")
    found = problems(scenario(tmp_path / "s", enum_head(11)))
    assert [d.message for d in found] == ["11 values, more than the limit of 10"]
    assert all(len(values) <= 10 for values in checked)  # the bool and int issues: no values


def test_the_duplicate_check_is_linear():
    values = tuple(f"v{i}" for i in range(200_000)) + ("v7", "v0")
    with budget(HANG):  # comparing each value with those before it takes hours at this size
        assert loader.repeated_positions(values) == [200_000, 200_001]


@pytest.mark.slow
def test_an_enum_of_100000_values_is_the_limit_error(tmp_path):
    with budget(HANG):
        found = problems(scenario(tmp_path / "s", enum_head(100_000)))
    assert [d.message for d in found] == ["100,000 values, more than the limit of 10,000"]


def test_duplicates_within_the_limit_are_still_reported(tmp_path):
    head = HEAD + "  e:\n    values: [a, b, a, c, b]\n"
    found = problems(scenario(tmp_path / "s", head))
    assert [(d.message, d.location.line) for d in found] == [("value 'a' is listed twice", 10),
                                                              ("value 'b' is listed twice", 10)]


# ================================================================ C.4: aliases repeating a long text

def _aliased_rule(rule_chars: int, aliases: int) -> str:
    rule = " or ".join(["flag"] * (rule_chars // 8))
    lines = ["party: a", "red_lines:", f"  - {{id: r0, says: s, rule: &R '{rule}'}}"]
    lines += [f"  - {{id: r{i}, says: s, rule: *R}}" for i in range(1, aliases + 1)]
    return "\n".join(lines) + "\n"


def test_aliases_expanding_to_too_much_text_are_a_located_error_before_any_rule_is_read(tmp_path, monkeypatch):
    parsed = []
    monkeypatch.setattr(loader, "parse_rule", lambda text, **kw: parsed.append(text))
    monkeypatch.setenv("FEASIBLE_MAX_YAML_CHARS", "100000")
    found = problems(scenario(tmp_path / "s", a=_aliased_rule(2_000, 60)))
    assert len(found) == 1
    assert found[0].message == ("the file expands to more than 100,000 characters of text (long values repeated "
                                "through aliases?)")
    assert found[0].hint.endswith("FEASIBLE_MAX_YAML_CHARS=<number>")
    assert found[0].location.line == 3  # at the text the aliases repeat
    assert parsed == []


def test_the_aliased_rule_of_the_issue_is_refused_at_the_default_limit(tmp_path):
    """A 20,000-character rule through 1,001 aliases: 20 million characters, refused at the default limit."""
    with budget(HANG):
        found = problems(scenario(tmp_path / "s", a=_aliased_rule(20_000, 1_001)))
    assert "the file expands to more than 20,000,000 characters" in found[0].message


# ================================================================ C.5: did-you-mean and error reports at scale

def test_did_you_mean_compares_a_bounded_number_of_candidates(monkeypatch):
    sizes = []
    real = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches", lambda word, pool, **kw: sizes.append(len(pool)) or
                        real(word, pool, **kw))
    names = [f"issue_{i:05d}" for i in range(20_000)]
    assert suggest.did_you_mean("isue_01234", names).startswith("did you mean 'issue_01234'")
    assert suggest.did_you_mean("ISSUE_01234", names) == "did you mean 'issue_01234'?"
    assert sizes and max(sizes) <= 500


def test_did_you_mean_over_few_candidates_considers_them_all():
    assert suggest.did_you_mean("contributers", ["contributors", "army_cap", "zone"]) == \
        "did you mean 'contributors'?"
    assert suggest.did_you_mean("xyz", ["contributors"]) is None


class _CountingText(str):
    """Text that counts how often it is split into lines."""

    splits = 0

    def splitlines(self, *args, **kwargs):
        type(self).splits += 1
        return super().splitlines(*args, **kwargs)


def test_a_file_is_split_into_lines_once_however_many_errors_it_has(tmp_path):
    text = "".join(f"r{i}: flag and {i}\n" for i in range(300))
    doc, _ = read_yaml(SourceFile(tmp_path / "x.yaml", "x.yaml", text))
    counted = SourceFile(tmp_path / "x.yaml", "x.yaml", _CountingText(text))
    _CountingText.splits = 0
    for i in range(300):
        assert counted.line_text(i + 1) == f"r{i}: flag and {i}"
        scalar_text_offsets(counted, doc.nodes[(f"r{i}",)])
    assert _CountingText.splits <= 2


# ================================================================ C.6: huge numbers and weights

def _weighted(weight: str) -> str:
    return f"party: a\ndemands:\n  - id: d\n    says: s\n    rule: flag\n    weight: {weight}\n"


@pytest.mark.parametrize("weight, message", [
    ("100000000000000000", "the weight 100,000,000,000,000,000 is more than the limit of 1,000,000"),
    ("9223372036854775807", "the weight 9,223,372,036,854,775,807 is more than the limit of 1,000,000"),
    ("0x7fffffffffffffff", "the weight 9,223,372,036,854,775,807 is more than the limit of 1,000,000"),
    ("1:0:0:0:0:0:0:0:0", "the weight 167,961,600,000,000 is more than the limit of 1,000,000"),
    ("9223372036854775808", "the number 9223372036854775808 is too large"),
    ("0x" + "f" * 5_000, "the number 0xffffffffffffffffff… is too large"),
    ("0b" + "1" * 70, "the number 0b111111111111111111… is too large"),
    ("9" * 5_000, "the number 99999999999999999999… is too large"),
    ("1:" * 3_000 + "1", "the number 1:1:1:1:1:1:1:1:1:1:… is too large"),
], ids=["1e17", "2^63-1", "hex", "sexagesimal", "2^63", "long hex", "long binary", "5000 digits", "long base 60"])
def test_huge_weights_and_numbers_are_located_errors(tmp_path, weight, message):
    with budget(HANG):
        found = problems(scenario(tmp_path / "s", a=_weighted(weight)))
    assert [(d.message, d.location.line) for d in found] == [(message, 6)]


def test_a_huge_weight_is_exit_2_not_a_solver_overflow(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scenario(tmp_path / "s", a=_weighted("0x7fffffffffffffff"))
    assert_user_error(invoke("check", "s"), "more than the limit of 1,000,000", "FEASIBLE_MAX_WEIGHT")


def test_overrides_are_capped_at_what_the_solver_holds(monkeypatch):
    for name, cap in CAPS.items():
        monkeypatch.setenv(f"FEASIBLE_MAX_{name.upper()}", str(10**30))
        assert getattr(Limits.from_environment(), name) == cap, name


def test_an_issue_range_past_the_capped_number_limit_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FEASIBLE_MAX_NUMBER", str(10**20))
    monkeypatch.setenv("FEASIBLE_MAX_INT_WIDTH", str(10**20))
    scenario(tmp_path / "s", HEAD.replace("max: 10", "max: 0x7fffffffffffffff"))
    assert_user_error(invoke("check", "s"), "goes beyond the largest number allowed (9,007,199,254,740,992)",
                      "FEASIBLE_MAX_NUMBER=<number> (at most 9,007,199,254,740,992)")


def test_weights_adding_up_past_what_the_solver_can_sum_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FEASIBLE_MAX_WEIGHT", str(2**40))
    half = 2**39 + 1
    party = _weighted(str(half)) + f"  - id: e\n    says: s\n    rule: not flag\n    weight: {half}\n"
    with pytest.raises(UserError) as caught:
        load_scenario(scenario(tmp_path / "s", a=party))
    assert caught.value.message.startswith("the weights add up to more than 1,099,511,627,776 at a/e (")


# ================================================================ C.12: links out of the directory, binary files

SECRET = "hunter2-secret"


def test_a_party_file_linked_from_outside_the_directory_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outside = tmp_path / "environ"
    outside.write_bytes(f"TOKEN={SECRET}\0HOME=/root\0".encode())
    root = scenario(tmp_path / "s")
    os.symlink(outside, root / "env.yaml")
    result = invoke("validate", "s")
    assert_user_error(result, f"'s/env.yaml' is a link to '{outside}', outside the scenario's directory")
    assert SECRET not in result.text


def test_a_link_within_the_directory_is_read(tmp_path):
    root = scenario(tmp_path / "s")
    (root / "a.yaml").rename(root / "a.txt")
    os.symlink("a.txt", root / "a.yaml")
    assert load_scenario(root).parties[0].id == "a"


@pytest.mark.parametrize("content", [f"TOKEN={SECRET}\0HOME=/root\0".encode(),
                                     f"name: {SECRET}\x01\nparty: a\n".encode(),
                                     f"party: a\nname: {SECRET} \xe9\n".encode("latin-1")],
                         ids=["NUL", "control character", "not UTF-8"])
def test_a_file_that_is_not_text_is_not_quoted(tmp_path, monkeypatch, content):
    monkeypatch.chdir(tmp_path)
    (scenario(tmp_path / "s") / "b.yaml").write_bytes(content)
    result = invoke("validate", "s")
    assert_user_error(result, "--> s/b.yaml:")
    assert SECRET not in result.text


def test_a_control_character_is_located_where_it_is(tmp_path):
    doc, found = read_yaml(SourceFile(tmp_path / "x.yaml", "x.yaml", "a: \U00010000\nb: x\x01"))
    assert doc is None
    assert [(d.message, str(d.location), d.line_text) for d in found] == [
        ("the file holds the character U+0001, which a position file cannot hold (is it a text file?)",
         "x.yaml:2:5", "")]


# ================================================================ C.14: a file name too long

LONG = "a" * 300


@pytest.mark.parametrize("args", [("validate", LONG), ("check", LONG), ("validate", f"s/{LONG}.yaml"),
                                  ("check", "s", "--with", f"{LONG}.yaml"), ("diff", LONG, "s")],
                         ids=["validate", "check", "inside a directory", "--with", "diff"])
def test_a_file_name_too_long_is_exit_2(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    scenario(tmp_path / "s")
    assert_user_error(invoke(*args), "File name too long", "a name in the path is longer than the file system allows")


# ================================================================ B: hints

def test_over_indentation_is_named_as_such(tmp_path):
    party = "party: a\nred_lines:\n  - id: r\n     says: s\n    rule: flag\n"
    found = problems(scenario(tmp_path / "s", a=party))
    assert [(d.message, str(d.location), d.hint) for d in found] == [
        ("YAML syntax error: mapping values are not allowed in this context", f"{tmp_path / 's' / 'a.yaml'}:4:10",
         "this line is indented 5 spaces, its siblings 4: align it")]


def test_a_colon_in_a_value_still_says_to_quote_it(tmp_path):
    party = "party: a\nred_lines:\n  - id: r\n    says: note: s\n    rule: flag\n"
    assert problems(scenario(tmp_path / "s", a=party))[0].hint == "a value containing ': ' must be quoted"


def test_a_rule_using_a_rejected_issue_name_is_not_blamed(tmp_path):
    head = HEAD + "  cannabis-legal:\n    type: bool\n"
    party = PARTY.replace("rule: flag", "rule: cannabis_legal and flag")
    found = problems(scenario(tmp_path / "s", head, a=party))
    assert [(d.message, d.location.line) for d in found] == [("'cannabis-legal' is not a valid issue name", 9)]


def test_a_rule_writing_a_rejected_issue_name_as_declared_is_not_blamed_twice(tmp_path):
    """`cannabis-legal` in a rule reads as `cannabis - legal`: not two unknown issues, the declaration says it."""
    head = HEAD + "  cannabis-legal:\n    type: bool\n"
    party = PARTY.replace("rule: flag", "rule: cannabis-legal and flag")
    found = problems(scenario(tmp_path / "s", head, a=party))
    assert [d.message for d in found] == ["'cannabis-legal' is not a valid issue name"]


def test_other_unknown_issues_are_still_reported(tmp_path):
    head = HEAD + "  cannabis-legal:\n    type: bool\n"
    party = PARTY.replace("rule: flag", "rule: cannabis_legal and hemp_legal")
    messages = [d.message for d in problems(scenario(tmp_path / "s", head, a=party))]
    assert messages == ["unknown issue 'hemp_legal'", "'cannabis-legal' is not a valid issue name"]


def test_yaml_reads_composed_nodes_the_same_way():
    """The loader's own reading of YAML agrees with PyYAML's on plain values (a guard for the changes above)."""
    text = "a: 0x1f\nb: 1:30\nc: -12\nd: [x, 'y']\n"
    doc, found = read_yaml(SourceFile(Path("x.yaml"), "x.yaml", text))
    assert found == [] and doc.data == yaml.safe_load(text)
