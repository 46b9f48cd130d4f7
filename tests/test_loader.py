"""Loading and validation: every error class with its file, line and column, and golden CLI outputs.

Golden files: each tests/data/bad/<case>.yaml (single file) or tests/data/bad/<case>/ (directory) has
tests/data/bad/<case>.expected, the exact stderr of `feasible validate <case>` run from tests/data/bad.
Regenerate them with FEASIBLE_UPDATE_GOLDEN=1 (then review the diff).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BAD, invoke, strip_ansi
from feasible.positions import (InvalidScenario, IssueKind, Location, RuleKind, UserError, load_scenario,
                                resolve_scenario)
from feasible.positions.rules import RuleSyntaxError, check_rule, parse_rule
from feasible.positions.limits import Limits

UPDATE_GOLDEN = os.environ.get("FEASIBLE_UPDATE_GOLDEN") == "1"

# Cases that fail before any file is read: a UserError without a file location.
UNLOCATED_CASES = {"no-scenario-yaml"}

HEAD = """\
title: Test scenario
issues:
  western_troops: {type: bool}
  army_cap: {type: int, min: 50, max: 1000}
  force_lead:
    values: [none, europe, un]
  contributors: {type: set, values: [uk, fr, de]}
"""


# --------------------------------------------------------------------------------------------- helpers

def invalid(path) -> InvalidScenario:
    with pytest.raises(InvalidScenario) as info:
        load_scenario(path)
    return info.value


def only(path):
    """The single diagnostic of an invalid scenario."""
    diagnostics = invalid(path).diagnostics
    assert len(diagnostics) == 1, [(d.message, str(d.location)) for d in diagnostics]
    return diagnostics[0]


def where(path: Path, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """(line, column), 1-based, of the n-th occurrence of `needle` in the file's text."""
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def at(path: Path, needle: str, occurrence: int = 1) -> Location:
    return Location(path.name if path.parent == Path.cwd() else str(path.relative_to(Path.cwd())),
                    *where(path, needle, occurrence))


@functools.cache
def load_scenario_issues():
    """The issues of HEAD, as the loader builds them."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "head.yaml"
        path.write_text(HEAD, encoding="utf-8")
        return load_scenario(path).issues


def scenario(write, parties: str = "", facts: str = "", name: str = "s.yaml") -> Path:
    text = HEAD + (("facts:\n" + facts) if facts else "") + (("parties:\n" + parties) if parties else "")
    return write(name, text)


# --------------------------------------------------------------------------------------------- golden files

def _case_name(path: Path) -> str:
    return path.name[: -len(".yaml")] if path.suffix == ".yaml" else path.name


GOLDEN_CASES = sorted(p for p in BAD.iterdir() if p.suffix != ".expected")


def normalise(text: str) -> str:
    text = strip_ansi(text)
    for prefix in {str(BAD.resolve()), str(BAD)}:
        text = text.replace(prefix + os.sep, "")
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=_case_name)
def test_golden_output(case: Path, monkeypatch):
    monkeypatch.chdir(BAD)
    result = invoke("validate", case.name)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    got = normalise(result.stderr)
    expected = BAD / f"{_case_name(case)}.expected"
    if UPDATE_GOLDEN:
        expected.write_text(got, encoding="utf-8")
    assert expected.is_file(), f"no golden file {expected.name}; run with FEASIBLE_UPDATE_GOLDEN=1 to create it"
    assert got == expected.read_text(encoding="utf-8")
    # every error names its file, line and column (except cases that fail before reading any file)
    errors = got.count("\nerror: ") + got.startswith("error: ")
    assert errors >= 1
    if _case_name(case) not in UNLOCATED_CASES:
        located = re.findall(r"^ *--> [^:\n]+\.yaml:\d+:\d+$", got, flags=re.MULTILINE)
        assert len(located) == errors, got
        assert re.search(rf"^{errors} problems? in \d+ files?; the scenario is not valid\.$", got, flags=re.MULTILINE)


def test_every_golden_file_has_a_case():
    cases = {_case_name(p) for p in GOLDEN_CASES}
    orphans = [p.name for p in BAD.glob("*.expected") if p.stem not in cases]
    assert not orphans


def test_golden_cases_cover_every_error_class():
    required = {"yaml-syntax", "unknown-key", "missing-key", "wrong-types", "empty-enum", "duplicate-enum",
                "min-gt-max", "duplicate-party", "duplicate-rule-id", "no-party-key", "rule-syntax", "type-errors",
                "unquoted-value", "rule-starts-with-quote", "not-utf8", "no-scenario-yaml", "billion-laughs",
                "python-tag", "recursive-alias", "duplicate-keys", "reserved-party", "three-errors"}
    assert required <= {_case_name(p) for p in GOLDEN_CASES}


# --------------------------------------------------------------------------------------------- a valid scenario

def test_valid_single_file_scenario_loads(write):
    path = scenario(write, parties="""\
  - party: russia
    name: Russia
    red_lines:
      - id: no-western-troops
        says: No troops from Western countries.
        rule: not western_troops
        weight: 3
        source: S1
    demands:
      - id: small-army
        says: A small army.
        rule: army_cap <= 250
    accept_at_least: 50
""", facts="""\
  - id: europe-means-western
    says: A European-led force means Western soldiers.
    rule: force_lead == "europe" -> western_troops
""")
    loaded = load_scenario(path)
    assert loaded.title == "Test scenario"
    assert loaded.issues["force_lead"].kind is IssueKind.ENUM  # `values` without `type` is an enum
    assert loaded.issues["force_lead"].values == ("none", "europe", "un")
    assert loaded.issues["army_cap"].min == 50 and loaded.issues["army_cap"].max == 1000
    assert loaded.issues["contributors"].kind is IssueKind.SET
    russia = loaded.party("russia")
    assert russia.name == "Russia" and russia.accept_at_least == 50
    red = russia.red_lines[0]
    assert (red.name, red.weight, red.source, red.text) == ("russia/no-western-troops", 3, "S1", "not western_troops")
    assert russia.demands[0].weight == 1  # default weight
    assert loaded.facts[0].name == "facts/europe-means-western"
    # accept_at_least acts as one more red line, `accept-at-least`, weight 1
    acceptance = [r for r in loaded.red_lines if r.name == "russia/accept-at-least"]
    assert len(acceptance) == 1
    assert acceptance[0].weight == 1 and acceptance[0].kind is RuleKind.RED_LINE
    assert parse_rule(acceptance[0].text) == acceptance[0].expr
    assert check_rule(acceptance[0].expr, loaded.issues) == []
    assert red.location == Location("s.yaml", *where(path, "id: no-western-troops"))


def test_party_name_defaults_to_its_id(write):
    path = scenario(write, parties="  - party: russia\n")
    assert load_scenario(path).party("russia").name == "russia"


def test_yaml_booleans_and_numbers_are_rule_text(write):
    path = scenario(write, facts="""\
  - id: always
    says: Always.
    rule: true
""")
    assert load_scenario(path).facts[0].text == "true"


def test_bom_and_crlf_file_loads(write):
    text = HEAD + "parties:\n  - party: russia\n    red_lines:\n      - id: r\n        says: No troops.\n" \
                  "        rule: not western_troops\n"
    path = write("bom.yaml", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    loaded = load_scenario(path)
    assert loaded.title == "Test scenario"
    assert loaded.party("russia").red_lines[0].text == "not western_troops"
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.output


def test_bom_and_crlf_do_not_shift_columns(write):
    text = ("title: !!python/name:os.system x\n" + HEAD.split("\n", 1)[1]).replace("\n", "\r\n")
    path = write("bom.yaml", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert only(path).location == Location("bom.yaml", 1, 8)

    text = HEAD + "facts:\n  - id: f\n    says: x\n    rule: army_cap = 800\n"
    path = write("crlf.yaml", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert only(path).location == Location("crlf.yaml", 11, 20)


# --------------------------------------------------------------------------------------------- YAML level

def test_yaml_syntax_error_is_located(write):
    path = write("s.yaml", """\
        title: Broken
        issues:
          western_troops: {type: bool
          army_cap: {type: int, min: 50, max: 1000}
        """)
    diag = only(path)
    assert diag.message.startswith("YAML syntax error")
    assert diag.location.file == "s.yaml"
    assert diag.location.line in (3, 4)
    assert diag.line_text == path.read_text().splitlines()[diag.location.line - 1]


def test_yaml_syntax_error_unclosed_quote(write):
    path = write("s.yaml", 'title: "Broken\nissues:\n  x: {type: bool}\n')
    diag = only(path)
    assert diag.message.startswith("YAML syntax error")
    assert diag.location.file == "s.yaml" and diag.location.line >= 1


def test_tab_indentation_gets_a_hint(write):
    path = write("s.yaml", "title: t\nissues:\n\tx: {type: bool}\n")
    diag = only(path)
    assert diag.location == Location("s.yaml", 3, 1)
    assert "tabs" in diag.hint


def test_duplicate_mapping_keys(write):
    path = write("s.yaml", """\
        title: Duplicate keys
        issues:
          western_troops: {type: bool}
          western_troops: {type: int, min: 0, max: 1}
        """)
    diag = only(path)
    assert diag.message == "duplicate key 'western_troops' (first given on line 3)"
    assert diag.location == Location("s.yaml", 4, 3)
    assert diag.width == len("western_troops")


def test_duplicate_top_level_key(write):
    path = write("s.yaml", HEAD + "title: Again\n")
    diag = only(path)
    assert diag.message == "duplicate key 'title' (first given on line 1)"
    assert diag.location == Location("s.yaml", 8, 1)


@pytest.mark.parametrize("tagged", [
    '!!python/object/apply:os.system ["touch {marker}"]',
    "!!python/object:builtins.dict {{}}",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!custom value",
    "!!set {{a: null}}",
])
def test_tags_that_build_objects_are_refused(write, tmp_path, tagged):
    marker = tmp_path / "pwned"
    path = write("s.yaml", f"title: {tagged.format(marker=marker)}\nissues:\n  x: {{type: bool}}\n")
    diag = only(path)
    assert "is not allowed in position files" in diag.message
    assert diag.location == Location("s.yaml", 1, 8)
    assert "remove the tag" in diag.hint
    assert not marker.exists()


def test_billion_laughs_is_an_error(write):
    lines = ["title: Billion laughs", "issues:", "  x: {type: bool}", "lol:",
             "  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write("s.yaml", "\n".join(lines) + "\n")
    diag = only(path)
    assert f"more than {Limits().yaml_values:,} values" in diag.message
    assert diag.location.file == "s.yaml"
    assert "anchors and aliases" in diag.hint


def test_a_few_aliases_are_fine(write):
    path = write("s.yaml", """\
        title: Aliases
        issues:
          a: &pair {type: set, values: [uk, fr]}
          b: *pair
        """)
    assert load_scenario(path).issues["b"].values == ("uk", "fr")


def test_recursive_alias_is_an_error(write):
    path = write("s.yaml", """\
        title: Recursive
        issues: &issues
          western_troops: {type: bool}
          loop: *issues
        """)
    diag = only(path)
    assert "recursive alias" in diag.message
    assert diag.location == Location("s.yaml", 2, 9)


def test_recursive_alias_in_a_list(write):
    path = write("s.yaml", "title: t\nissues: {x: {type: bool}}\nsources: &s [*s]\n")
    assert "recursive alias" in only(path).message


def test_merge_keys_are_refused(write):
    path = write("s.yaml", """\
        title: Merge
        base: &base {type: bool}
        issues:
          x:
            <<: *base
        """)
    assert "merge keys" in invalid(path).diagnostics[0].message


def test_very_deep_nesting_is_an_error(write):
    path = write("s.yaml", "title: t\nissues: {x: {type: bool}}\ndescription: " + "[" * 200 + "]" * 200 + "\n")
    diag = only(path)
    assert "nested more than" in diag.message


def test_file_that_is_not_utf8(write):
    write("scen/scenario.yaml", HEAD)
    path = write("scen/russia.yaml", "party: russia\nname: Russie ".encode() + b"\xe9trang\xe8re\n")
    diag = only("scen")
    assert diag.message == "the file is not UTF-8 text (byte 0xe9 cannot be read)"
    assert diag.location == Location(os.path.join("scen", "russia.yaml"), 2, 14)
    assert diag.hint == "save the file as UTF-8"
    assert path.read_bytes().endswith(b"\xe8re\n")  # nothing is written


def test_utf16_file_is_not_utf8(write):
    path = write("s.yaml", "\ufefftitle: t\nissues: {x: {type: bool}}\n".encode("utf-16-le"))
    assert "not UTF-8" in only(path).message


def test_empty_file(write):
    path = write("s.yaml", "")
    diag = only(path)
    assert diag.message == "the file is empty"
    assert diag.location == Location("s.yaml", 1, 1)


def test_file_that_is_a_list(write):
    path = write("s.yaml", "- a\n- b\n")
    assert only(path).message == "the file is not a mapping of keys to values"


# --------------------------------------------------------------------------------------------- schema level

def test_unknown_key_with_did_you_mean(write):
    write("scen/scenario.yaml", HEAD)
    path = write("scen/russia.yaml", """\
        party: russia
        red_line:
          - id: no-western-troops
            says: No troops from Western countries.
            rule: not western_troops
        """)
    diag = only("scen")
    assert diag.message == "unknown key 'red_line'"
    assert diag.location == Location(os.path.join("scen", "russia.yaml"), 2, 1)
    assert diag.hint == "did you mean 'red_lines'?"
    assert diag.line_text == "red_line:"
    assert diag.width == len("red_line")
    assert path.exists()


@pytest.mark.parametrize("line, key, hint", [
    ("  army_cap: {type: int, min: 50, max: 1000, unti: soldiers}", "unti", "did you mean 'unit'?"),
    ("  force_lead: {values: [a, b], orderd: true}", "orderd", "did you mean 'ordered'?"),
    ("  western_troops: {type: bool, descripton: x}", "descripton", "did you mean 'description'?"),
])
def test_unknown_key_in_an_issue(write, line, key, hint):
    path = write("s.yaml", "title: t\nissues:\n" + line + "\n")
    diag = only(path)
    assert diag.message == f"unknown key '{key}'"
    assert diag.location == Location("s.yaml", 3, line.index(key) + 1)
    assert diag.hint == hint


def test_unknown_key_in_a_rule(write):
    path = scenario(write, parties="""\
  - party: russia
    red_lines:
      - id: r
        says: x
        rule: western_troops
        wieght: 2
""")
    diag = only(path)
    assert diag.message == "unknown key 'wieght'"
    assert diag.location == at(path, "wieght")
    assert diag.hint == "did you mean 'weight'?"


def test_scenario_key_in_a_party_file(write):
    write("scen/scenario.yaml", HEAD)
    write("scen/russia.yaml", "party: russia\nissues: {}\n")
    diag = only("scen")
    assert diag.message == "unknown key 'issues'"
    assert "belongs in scenario.yaml" in diag.hint


def test_missing_required_keys(write):
    path = write("s.yaml", """\
        issues:
          western_troops: {type: bool}
        parties:
          - party: russia
            red_lines:
              - id: no-western-troops
                rule: not western_troops
        """)
    diags = invalid(path).diagnostics
    assert [d.message for d in diags] == ["missing required key 'title'", "missing required key 'says'"]
    assert diags[0].location == Location("s.yaml", 1, 1)
    assert diags[1].location == Location("s.yaml", 6, 9)  # the rule entry that lacks it
    assert "plain words" in diags[1].hint


def test_missing_issues(write):
    path = write("s.yaml", "title: t\n")
    diag = only(path)
    assert diag.message == "missing required key 'issues'"
    assert diag.hint


def test_missing_min_and_max(write):
    path = write("s.yaml", "title: t\nissues:\n  cap: {type: int}\n")
    diags = invalid(path).diagnostics
    assert sorted(d.message for d in diags) == ["missing required key 'max'", "missing required key 'min'"]
    assert all(d.location == Location("s.yaml", 3, 8) for d in diags)


def test_wrong_types(write):
    path = write("s.yaml", """\
        title: Wrong types
        issues:
          army_cap: {type: int, min: "5", max: 1000}
          consent:
            values: [yes, no]
        """)
    diags = invalid(path).diagnostics
    assert [(d.message, d.location) for d in diags] == [
        ("'min' should be a whole number, not the text '5'", Location("s.yaml", 3, 30)),
        ("'values' should be text, not true (true or false)", Location("s.yaml", 5, 14)),
        ("'values' should be text, not false (true or false)", Location("s.yaml", 5, 19)),
    ]
    assert diags[0].width == 3
    assert diags[1].hint.startswith('quote it, e.g. "yes"')


@pytest.mark.parametrize("key, value, message", [
    ("weight", '"2"', "'weight' should be a whole number, not the text '2'"),
    ("weight", "1.5", "'weight' should be a whole number, not the number 1.5"),
    ("weight", "0", "weight must be a positive whole number (1 or more)"),
    ("weight", "-3", "weight must be a positive whole number (1 or more)"),
    ("says", "[a, b]", "'says' should be text, not a list"),
    ("source", "12", "'source' should be text, not the number 12"),
])
def test_wrong_types_in_a_rule(write, key, value, message):
    fields = {"says": "x", "rule": "western_troops", key: value}
    entry = "\n".join(f"        {k}: {v}" for k, v in fields.items())
    path = scenario(write, parties=f"  - party: russia\n    red_lines:\n      - id: r\n{entry}\n")
    diag = only(path)
    assert diag.message == message
    line, column = where(path, f"{key}: {value}")
    assert diag.location == Location("s.yaml", line, column + len(key) + 2)


def test_unknown_issue_type_with_did_you_mean(write):
    path = write("s.yaml", "title: t\nissues:\n  western_troops: {type: boolean}\n")
    diag = only(path)
    assert diag.message == "unknown issue type 'boolean'"
    assert diag.location == Location("s.yaml", 3, 26)
    assert diag.hint == "did you mean 'bool'?"


def test_issue_without_type_or_values(write):
    path = write("s.yaml", "title: t\nissues:\n  force_lead:\n    description: Who leads.\n")
    diag = only(path)
    assert diag.message == "issue 'force_lead' needs a type"
    assert diag.location == Location("s.yaml", 3, 3)


@pytest.mark.parametrize("name", ["Army", "2cap", "army-cap"])
def test_bad_issue_names(write, name):
    path = write("s.yaml", f"title: t\nissues:\n  {name}: {{type: bool}}\n")
    diag = only(path)
    assert diag.message == f"'{name}' is not a valid issue name"
    assert diag.location == Location("s.yaml", 3, 3)


@pytest.mark.parametrize("keyword", ["and", "not", "in", "true", "size", "count", "contains"])
def test_rule_language_words_cannot_name_issues(write, keyword):
    path = write("s.yaml", f"title: t\nissues:\n  {keyword}: {{type: bool}}\n")
    diag = only(path)
    assert "is a word of the rule language" in diag.message
    assert diag.location == Location("s.yaml", 3, 3)


def test_empty_enum_values(write):
    path = write("s.yaml", "title: t\nissues:\n  force_lead:\n    values: []\n")
    diag = only(path)
    assert diag.message == "'values' must not be empty"
    assert diag.location == Location("s.yaml", 4, 13)


def test_empty_enum_value_text(write):
    path = write("s.yaml", 'title: t\nissues:\n  force_lead:\n    values: [a, ""]\n')
    diag = only(path)
    assert "must not be empty" in diag.message
    assert diag.location == Location("s.yaml", 4, 17)


@pytest.mark.parametrize("text", ['title: ""\nissues: {x: {type: bool}}\n',
                                  'title: t\nissues:\n  force_lead:\n    values: [a, ""]\n'])
def test_empty_text_says_must_not_be_empty(write, text):
    assert "must not be empty" in only(write("s.yaml", text)).message


def test_duplicate_enum_values(write):
    path = write("s.yaml", "title: t\nissues:\n  force_lead:\n    values: [none, europe, un, europe]\n")
    diag = only(path)
    assert diag.message == "value 'europe' is listed twice"
    assert diag.location == Location("s.yaml", 4, 32)


def test_duplicate_set_values(write):
    path = write("s.yaml", "title: t\nissues:\n  c: {type: set, values: [uk, fr, uk]}\n")
    diag = only(path)
    assert diag.message == "value 'uk' is listed twice"
    assert diag.location == Location("s.yaml", 3, 35)


def test_min_greater_than_max(write):
    path = write("s.yaml", "title: t\nissues:\n  army_cap: {type: int, min: 1000, max: 50}\n")
    diag = only(path)
    assert diag.message == "min (1000) is greater than max (50)"
    assert diag.location == Location("s.yaml", 3, 30)
    assert diag.hint == "swap them, or correct one"


def test_min_equal_to_max_is_fine(write):
    path = write("s.yaml", "title: t\nissues:\n  army_cap: {type: int, min: 5, max: 5}\n")
    issue = load_scenario(path).issues["army_cap"]
    assert issue.min == issue.max


def test_accept_at_least_is_a_percentage(write):
    path = scenario(write, parties="""\
  - party: russia
    demands:
      - {id: d, says: x, rule: western_troops}
    accept_at_least: 150
""")
    diag = only(path)
    assert diag.message == "accept_at_least is a percentage from 0 to 100"
    assert diag.location == at(path, "150")


# --------------------------------------------------------------------------------------------- ids

def test_duplicate_party_ids_in_two_files(write):
    write("scen/scenario.yaml", HEAD)
    write("scen/moscow.yaml", "party: russia\n")
    write("scen/russia.yaml", "name: Russia\nparty: russia\n")
    diag = only("scen")
    assert diag.message == f"party 'russia' is defined twice (also at {os.path.join('scen', 'moscow.yaml')}:1:8)"
    assert diag.location == Location(os.path.join("scen", "russia.yaml"), 2, 8)


def test_duplicate_party_ids_inline_and_in_a_file(write):
    write("scen/scenario.yaml", HEAD + "parties:\n  - party: russia\n")
    write("scen/russia.yaml", "party: russia\n")
    diag = only("scen")
    assert "party 'russia' is defined twice" in diag.message


def test_duplicate_party_ids_inline(write):
    path = scenario(write, parties="  - party: us\n  - party: russia\n  - party: us\n")
    diag = only(path)
    assert diag.message == "party 'us' is defined twice (also at s.yaml:9:12)"
    assert diag.location == Location("s.yaml", 11, 12)


@pytest.mark.parametrize("reserved", ["facts", "set"])
def test_reserved_party_ids(write, reserved):
    path = scenario(write, parties=f"  - party: {reserved}\n")
    diag = only(path)
    assert diag.message == f"'{reserved}' is reserved and cannot be a party id"
    assert diag.location == Location("s.yaml", 9, 12)


@pytest.mark.parametrize("party_id", ["Russia", "1russia", "rus sia"])
def test_bad_party_ids(write, party_id):
    path = scenario(write, parties=f"  - party: {party_id}\n")
    diag = only(path)
    assert diag.message == f"{party_id!r} is not a valid id"
    assert diag.location == Location("s.yaml", 9, 12)


def test_duplicate_rule_ids_across_red_lines_and_demands(write):
    path = scenario(write, parties="""\
  - party: russia
    red_lines:
      - id: no-western-troops
        says: No troops.
        rule: not western_troops
    demands:
      - id: no-western-troops
        says: Really no troops.
        rule: not western_troops
""")
    diag = only(path)
    first = where(path, "no-western-troops")
    assert diag.message == (f"id 'no-western-troops' is used twice in party 'russia' "
                            f"(also at s.yaml:{first[0]}:{first[1]})")
    assert diag.location == at(path, "no-western-troops", 2)


def test_same_rule_id_in_two_parties_is_fine(write):
    path = scenario(write, parties="""\
  - party: russia
    red_lines: [{id: r, says: x, rule: western_troops}]
  - party: us
    red_lines: [{id: r, says: x, rule: western_troops}]
""")
    loaded = load_scenario(path)
    assert [r.name for r in loaded.red_lines] == ["russia/r", "us/r"]


def test_duplicate_fact_ids(write):
    path = scenario(write, facts="""\
  - id: f
    says: A fact.
    rule: army_cap >= 50
  - id: f
    says: The same fact again.
    rule: army_cap <= 1000
""")
    diag = only(path)
    assert diag.message == "fact id 'f' is used twice"
    assert diag.location == Location("s.yaml", *where(path, "f\n    says: The same"))


@pytest.mark.parametrize("rule_id", ["No-Troops", "-x", "a b"])
def test_bad_rule_ids(write, rule_id):
    path = scenario(write, parties=f"  - party: russia\n    red_lines:\n      - id: '{rule_id}'\n"
                                   "        says: x\n        rule: western_troops\n")
    diag = only(path)
    assert diag.message == f"{rule_id!r} is not a valid id"
    assert diag.location == Location("s.yaml", 11, 13)


def test_accept_at_least_id_is_reserved_when_used(write):
    path = scenario(write, parties="""\
  - party: russia
    demands:
      - {id: accept-at-least, says: x, rule: western_troops}
    accept_at_least: 50
""")
    assert "accept_at_least level" in only(path).message


def test_party_file_without_party_key(write):
    write("scen/scenario.yaml", HEAD)
    write("scen/russia.yaml", """\
        name: Russia
        red_lines:
          - id: no-western-troops
            says: No troops from Western countries.
            rule: not western_troops
        """)
    diag = only("scen")
    assert diag.message == "this party file has no 'party:' key"
    assert diag.location == Location(os.path.join("scen", "russia.yaml"), 1, 1)
    assert "party: russia" in diag.hint


# --------------------------------------------------------------------------------------------- rules in files

@pytest.mark.parametrize("rule_line, offending", [
    ("rule: not western_troops and army_cap = 800", "= 800"),
    ('rule: "not western_troops && army_cap <= 800"', "&&"),
    ("rule: 'not western_troops or army_cap <= 1.5'", "1.5"),
    ('rule: "force_lead == \\"none\\" or army_cap = 3"', "= 3"),
    ("rule: 'force_lead == ''none'' or army_cap = 3'", "= 3"),
    ("rule: army_cap <= 800 and (western_troops", "\n"),
], ids=["plain", "double-quoted", "single-quoted", "double-with-escaped-quotes", "single-with-doubled-quotes",
        "end-of-rule"])
def test_rule_syntax_error_column_is_mapped_to_the_file(write, rule_line, offending):
    path = scenario(write, parties=f"""\
  - party: russia
    red_lines:
      - id: r
        says: x
        {rule_line}
""")
    diag = only(path)
    assert diag.message.startswith("rule syntax: ")
    line = 13
    text = path.read_text().splitlines()[line - 1]
    assert diag.line_text == text
    if offending == "\n":  # points just past the end of the rule
        assert diag.location == Location("s.yaml", line, len(text) + 1)
    else:
        assert diag.location == Location("s.yaml", line, text.index(offending) + 1)


def test_rule_syntax_error_hint_and_width(write):
    path = scenario(write, facts="  - id: f\n    says: x\n    rule: western_troops && true\n")
    diag = only(path)
    assert diag.message == "rule syntax: unexpected '&&'"
    assert diag.hint == "write 'and'"
    assert diag.width == 2
    assert diag.location == at(path, "&&")


def test_rule_error_in_a_multi_line_rule(write):
    path = scenario(write, facts="""\
  - id: f
    says: x
    rule: force_lead == "none" and
      army_cap = 800
""")
    assert only(path).location == at(path, "= 800")


def test_rule_error_in_a_folded_rule(write):
    path = scenario(write, facts="""\
  - id: f
    says: x
    rule: >-
      force_lead == "none" and army_cap <= 800 and
      force_lead == "europ"
""")
    diag = only(path)
    assert diag.message == "\"europ\" is not a value of enum issue 'force_lead'"
    assert diag.location == at(path, '"europ"')
    assert diag.width == len('"europ"')


def test_rule_error_after_non_ascii_text_counts_characters(write):
    path = scenario(write, facts='  - id: f\n    says: Ünïcödé\n    rule: force_lead == "€urope" and army_cap = 3\n')
    diag = only(path)
    assert diag.location == at(path, "= 3")


def test_rule_error_after_an_escape_sequence(write):
    path = scenario(write, facts='  - id: f\n    says: x\n    rule: "army_cap\\t<= 100 and force_lead == \\"eu\\""\n')
    diag = only(path)
    assert diag.message == "\"eu\" is not a value of enum issue 'force_lead'"
    assert diag.location == at(path, '\\"eu\\"')


def test_type_errors_are_located(write):
    path = scenario(write, parties="""\
  - party: russia
    red_lines:
      - id: typo
        says: x
        rule: not western_troop
      - id: outside
        says: x
        rule: force_lead != "europ"
      - id: unordered
        says: x
        rule: force_lead < "un"
      - id: int-vs-value
        says: x
        rule: army_cap == "un"
      - id: bool-arith
        says: x
        rule: western_troops + 1 > 1
      - id: size-enum
        says: x
        rule: size(force_lead) >= 1
      - id: number
        says: x
        rule: 800
      - id: set-order
        says: x
        rule: contributors < {"uk"}
      - id: set-dup
        says: x
        rule: contributors == {"uk", "uk"}
      - id: product
        says: x
        rule: army_cap * army_cap > 3
""")
    diags = invalid(path).diagnostics
    got = [(d.message.split(",")[0], d.location) for d in diags]
    assert got == [
        ("unknown issue 'western_troop'", at(path, "western_troop\n")),
        ("\"europ\" is not a value of enum issue 'force_lead'", at(path, '"europ"')),
        ("'<' needs an ordered enum", at(path, 'force_lead < "un"')),
        ("cannot compare the int issue 'army_cap' with a quoted value", at(path, '"un"', 2)),
        ("each side of '+' must be a number", at(path, "western_troops + 1")),
        ("size() takes a set issue", at(path, "force_lead) >= 1")),
        ("a rule must be a condition", at(path, "800")),
        ("'<' does not order sets", at(path, 'contributors < {"uk"}')),
        ("the set lists 'uk' twice", at(path, '{"uk", "uk"}')),
        ("'*' needs a constant on one side", at(path, "army_cap * army_cap")),
    ]
    assert diags[0].hint == "did you mean 'western_troops'?"
    assert diags[1].hint == 'did you mean "europe"?'


def test_unquoted_value_suggests_quotes(write):
    path = scenario(write, facts="  - id: lead\n    says: Europe leads.\n    rule: force_lead == europe\n")
    diag = only(path)
    assert diag.message == "'europe' is not an issue; values must be quoted"
    assert diag.hint == 'write "europe"'
    assert diag.location == at(path, "europe\n")
    assert diag.width == len("europe")


@pytest.mark.parametrize("rule_line", ['rule: "uk" in contributors', "rule: 'uk' in contributors"])
def test_rule_that_begins_with_a_quoted_value(write, rule_line):
    path = scenario(write, facts=f"  - id: uk-in\n    says: The UK contributes.\n    {rule_line}\n")
    diag = only(path)
    assert diag.message.startswith("YAML syntax error")
    line, column = where(path, rule_line)
    assert diag.location == Location("s.yaml", line, column + len("rule: \"uk\" ")), diag.location
    assert "quote the whole rule" in diag.hint
    assert 'contributors contains "uk"' in diag.hint


def test_rule_that_begins_with_a_quoted_value_as_first_key(write):
    path = scenario(write, facts='  - rule: "uk" in contributors\n    id: uk-in\n    says: x\n')
    diag = only(path)
    assert "quote the whole rule" in diag.hint


def test_quoting_the_whole_rule_works(write):
    path = scenario(write, facts="""\
  - id: uk-in
    says: The UK contributes.
    rule: '"uk" in contributors'
""")
    assert load_scenario(path).facts[0].text == '"uk" in contributors'


def test_deeply_nested_rule_in_a_file_is_an_error(write):
    path = scenario(write, facts="  - id: f\n    says: x\n    rule: " + "not " * 2_000 + "western_troops\n")
    diag = only(path)
    assert "nested more than" in diag.message


def test_overlong_rule_is_an_error_with_the_override(write, monkeypatch):
    path = scenario(write, facts="  - id: f\n    says: x\n    rule: " + "not " * 5_000 + "western_troops\n")
    diag = only(path)
    assert "characters long, more than the limit of 20,000" in diag.message
    assert "FEASIBLE_MAX_RULE_CHARS" in diag.hint
    monkeypatch.setenv("FEASIBLE_MAX_RULE_CHARS", "100000")
    assert "nested more than" in only(path).message


def test_deeply_parenthesised_rule_in_a_file_is_a_located_error(write):
    path = scenario(write, facts="  - id: f\n    says: x\n    rule: " + "(" * 5_000 + "western_troops"
                                 + ")" * 5_000 + "\n")
    result = invoke("validate", str(path))
    assert result.exit_code == 2, result.output
    assert "nested more than" in result.stderr
    assert "s.yaml:11:" in result.stderr


# --------------------------------------------------------------------------------------------- reporting everything

def test_three_independent_errors_are_all_reported(write):
    path = scenario(write, facts="""\
  - id: lead
    says: Europe leads.
    rule: force_lead == europe
  - id: cap
    says: A cap.
    rule: army_cap = 800
  - id: typo
    says: A typo.
    rule: army_cap_thousands <= 800
""")
    diags = invalid(path).diagnostics
    assert [(d.message, d.location) for d in diags] == [
        ("'europe' is not an issue; values must be quoted", at(path, "europe\n")),
        ("rule syntax: unexpected '='", at(path, "= 800")),
        ("unknown issue 'army_cap_thousands'", at(path, "army_cap_thousands")),
    ]


def test_three_schema_errors_in_one_file_are_all_reported(write):
    path = write("s.yaml", """\
        title: t
        isues: {}
        issues:
          army_cap: {type: int, min: 1, max: "9"}
          force_lead: {values: []}
        """)
    diags = invalid(path).diagnostics
    assert [(d.message, d.location) for d in diags] == [
        ("unknown key 'isues'", Location("s.yaml", 2, 1)),
        ("'max' should be a whole number, not the text '9'", at(path, '"9"')),
        ("'values' must not be empty", at(path, "[]"))]
    assert diags[1].location == Location("s.yaml", 4, 38)


def test_three_scenario_checks_in_one_file_are_all_reported(write):
    path = write("s.yaml", """\
        title: t
        issues:
          army_cap: {type: int, min: 10, max: 9}
          force_lead: {values: [a, a]}
          set: {type: bool}
        facts:
          - {id: f, says: x, rule: army_cap = 3}
        """)
    diags = invalid(path).diagnostics
    assert [(d.message, d.location.line) for d in diags] == [
        ("min (10) is greater than max (9)", 3), ("value 'a' is listed twice", 4),
        ("rule syntax: unexpected '='", 7)]


def test_a_schema_error_in_scenario_yaml_does_not_hide_other_checks(write):
    path = write("s.yaml", """\
        title: t
        isues: {}
        issues:
          force_lead: {values: [a, a]}
        """)
    messages = [d.message for d in invalid(path).diagnostics]
    assert messages == ["unknown key 'isues'", "value 'a' is listed twice"]


def test_errors_in_every_file_are_reported_together(write):
    write("scen/scenario.yaml", HEAD.replace("min: 50, max: 1000", "min: 1000, max: 50"))
    write("scen/russia.yaml", "party: russia\nred_lines:\n  - {id: r, says: x, rule: not western_troops, weight: 0}\n")
    write("scen/ukraine.yaml", "party: ukraine\nnmae: Ukraine\n")
    diags = invalid("scen").diagnostics
    assert [(d.location.file, d.location.line) for d in diags] == [
        (os.path.join("scen", "russia.yaml"), 3), (os.path.join("scen", "scenario.yaml"), 4),
        (os.path.join("scen", "ukraine.yaml"), 2)]
    assert diags[2].hint == "did you mean 'name'?"


def test_rule_errors_in_several_party_files_are_reported_together(write):
    write("scen/scenario.yaml", HEAD)
    write("scen/russia.yaml", "party: russia\nred_lines:\n  - {id: r, says: x, rule: not western_troop}\n")
    write("scen/us.yaml", "party: us\ndemands:\n  - {id: d, says: x, rule: force_lead == un}\n")
    diags = invalid("scen").diagnostics
    assert [d.message for d in diags] == ["unknown issue 'western_troop'",
                                          "'un' is not an issue; values must be quoted"]


def test_a_schema_error_does_not_hide_rule_errors_in_the_same_file(write):
    write("scen/scenario.yaml", HEAD)
    write("scen/russia.yaml", """\
        party: russia
        red_line:
          - id: r
            says: x
            rule: not western_troops
        demands:
          - id: d
            says: x
            rule: force_lead == europe
        """)
    messages = [d.message for d in invalid("scen").diagnostics]
    assert "unknown key 'red_line'" in messages
    assert "'europe' is not an issue; values must be quoted" in messages


def test_a_party_file_without_party_still_has_its_rules_checked(write):
    write("scen/scenario.yaml", HEAD)
    write("scen/russia.yaml", "name: Russia\nred_lines:\n  - {id: r, says: x, rule: not western_troop}\n")
    messages = [d.message for d in invalid("scen").diagnostics]
    assert messages == ["this party file has no 'party:' key", "unknown issue 'western_troop'"]


def test_rules_using_an_invalid_issue_are_not_blamed(write):
    path = write("s.yaml", """\
        title: t
        issues:
          army_cap: {type: int, min: "5", max: 1000}
          western_troops: {type: bool}
        facts:
          - {id: f, says: x, rule: army_cap <= 800 and western_troop}
        """)
    diags = invalid(path).diagnostics
    assert [d.message for d in diags] == ["'min' should be a whole number, not the text '5'",
                                          "unknown issue 'western_troop'"]
    assert diags[1].location == at(path, "western_troop}")


def test_an_invalid_issues_mapping_does_not_blame_every_rule(write):
    path = write("s.yaml", """\
        title: t
        issues:
        western_troops: {type: bool}
        facts:
          - {id: a, says: x, rule: western_troops}
          - {id: b, says: x, rule: not western_troops}
        """)
    messages = [d.message for d in invalid(path).diagnostics]
    assert not any(m.startswith("unknown issue") for m in messages), messages
    assert "'issues' should be a mapping, not nothing" in messages


def test_a_yaml_error_in_scenario_yaml_does_not_hide_party_file_problems(write):
    write("scen/scenario.yaml", "title: t\nissues: {x: {type: bool}\n")
    write("scen/russia.yaml", "party: russia\nred_line: []\n")
    messages = [d.message for d in invalid("scen").diagnostics]
    assert any(m.startswith("YAML syntax error") for m in messages), messages
    assert "unknown key 'red_line'" in messages


def test_diagnostics_are_sorted_by_file_line_and_column(write):
    path = scenario(write, facts="""\
  - id: b
    says: x
    rule: zz and yy
  - id: a
    says: x
    rule: xx
""")
    locations = [d.location for d in invalid(path).diagnostics]
    assert locations == sorted(locations)
    assert len(locations) == 3


def test_nothing_is_written(write, tmp_path):
    write("scen/scenario.yaml", HEAD.replace("min: 50", "min: 5000"))
    write("scen/russia.yaml", "party: russia\nred_line: []\n")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = invoke("validate", "scen")
    assert result.exit_code == 2
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


# --------------------------------------------------------------------------------------------- paths

def test_directory_without_scenario_yaml(write):
    write("scen/russia.yaml", "party: russia\n")
    with pytest.raises(UserError, match="has no scenario.yaml") as info:
        load_scenario("scen")
    assert "russia.yaml" in info.value.hint
    result = invoke("validate", "scen")
    assert result.exit_code == 2, result.output
    assert "error: 'scen' has no scenario.yaml" in result.stderr


def test_empty_directory(write, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="has no scenario.yaml"):
        load_scenario("empty")


def test_unknown_path_suggests_a_shipped_scenario(write):
    with pytest.raises(UserError, match="no scenario at 'ukrain-2026'") as info:
        resolve_scenario("ukrain-2026")
    assert info.value.hint == "did you mean 'ukraine-2026'?"
    result = invoke("validate", "ukraine")
    assert result.exit_code == 2, result.output
    assert "did you mean 'ukraine-2026'?" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_path_without_close_match_lists_the_shipped_scenarios(write):
    with pytest.raises(UserError) as info:
        resolve_scenario("zzzzzzzz")
    assert "ukraine-2026" in info.value.hint


def test_directory_party_files_are_every_other_yaml(write):
    write("scen/scenario.yaml", HEAD)
    write("scen/us.yaml", "party: us\n")
    write("scen/russia.yaml", "party: russia\n")
    write("scen/notes.txt", "not yaml")
    loaded = load_scenario("scen")
    assert [p.id for p in loaded.parties] == ["russia", "us"]
    assert sorted(p.name for p in loaded.files) == ["russia.yaml", "scenario.yaml", "us.yaml"]


# --------------------------------------------------------------------------------------------- properties

_RULE_TOKENS = ["western_troops", "army_cap", "force_lead", "contributors", "1", "800", '"europe"', "'un'", '"uk"',
                "true", "not", "and", "or", "->", "<->", "==", "!=", "<", "<=", ">=", "in", "contains", "size", "count",
                "(", ")", "{", "}", ",", "+", "-", "*", "=", "&&", ".", "@", "europe", "zz"]


def _quoted(rule: str, style: str) -> tuple[str, list[int]]:
    """The rule as YAML text in the given style, and for each character of the rule its offset in that text."""
    if style == "single":
        out, offsets = "'", []
        for ch in rule:
            offsets.append(len(out))
            out += "''" if ch == "'" else ch
        return out + "'", offsets
    if style == "double":
        out, offsets = '"', []
        for ch in rule:
            offsets.append(len(out))
            out += '\\"' if ch == '"' else ch
        return out + '"', offsets
    return rule, list(range(len(rule)))


_QUOTE_STYLES = ("plain", "single", "double")


def test_rule_error_columns_map_into_the_file(tmp_path):
    """Every quoting style is checked on enough examples: the count guards against a strategy that returns early
    for every example. The examples are not scaled by the hypothesis profile, as the count depends on them."""
    checked = dict.fromkeys(_QUOTE_STYLES, 0)

    @settings(derandomize=True, max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(tokens=st.lists(st.sampled_from(_RULE_TOKENS), min_size=1, max_size=8),
           style=st.sampled_from(_QUOTE_STYLES))
    def column_maps_into_the_file(tokens, style):
        if _rule_error_column_checked(tmp_path, tokens, style):
            checked[style] += 1

    column_maps_into_the_file()
    assert min(checked.values()) >= 10, checked


def _rule_error_column_checked(tmp_path: Path, tokens: list[str], style: str) -> bool:
    """Whether the rule made of `tokens`, written in `style`, has an error whose column was checked (False: the
    example does not apply)."""
    import yaml

    rule = " ".join(tokens)
    written, offsets = _quoted(rule, style)
    if style == "plain":
        try:
            if yaml.safe_load(f"rule: {written}") != {"rule": rule}:
                return False  # YAML reads this plain text differently; not a rule test
        except yaml.YAMLError:
            return False
    try:
        expr = parse_rule(rule)
    except RuleSyntaxError as err:
        start = err.span[0]
        message = "rule syntax: " + err.message
    else:
        found = check_rule(expr, load_scenario_issues())
        if not found:
            return False
        start, message = found[0].span[0], found[0].message
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + f"facts:\n  - id: f\n    says: x\n    rule: {written}\n", encoding="utf-8")
    prefix = len("    rule: ")
    column = prefix + 1 + (offsets[start] if start < len(offsets) else len(written) - (style != "plain"))
    with pytest.raises(InvalidScenario) as info:
        load_scenario(path)
    first = info.value.diagnostics[0]
    assert first.message == message
    assert (first.location.line, first.location.column) == (11, column), (written, first)
    return True


# --------------------------------------------------------------------------------------------- layering

def test_positions_never_imports_the_layers_above_it():
    import ast

    from feasible import positions

    root = Path(positions.__file__).parent
    offenders = []
    for source in root.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            else:
                continue
            layers = [m.removeprefix("feasible.").split(".")[0] for m in modules]  # feasible alone: the public API
            offenders += [f"{source.name}: {m}" for m, layer in zip(modules, layers)
                          if layer in ("feasible", "solver", "cli", "typer")]
    assert not offenders


def test_unquoted_dates_stay_text(write):
    path = write("s.yaml", "title: t\nsources:\n  - {id: S1, title: A, date: 2026-01-06}\nissues: {x: {type: bool}}\n")
    assert load_scenario(path).sources[0].date == "2026-01-06"
