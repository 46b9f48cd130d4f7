"""Issue 12, the rule language: numbers outside an issue's range (A.5), negative numbers in sets (A.6), digits
that are not ASCII (C.8), and the hints of section B. Every diagnostic is checked word for word: message, the
part of the rule underlined, and the help line."""

from __future__ import annotations

import pytest

from feasible.positions.errors import UserError
from feasible.positions.model import Issue, IssueKind, Scenario
from feasible.positions.rules import RuleSyntaxError, check_rule, parse_rule, to_text
from feasible.positions.rules.parser import tokenize
from feasible.positions.rules.syntax import IntLit, Membership, Name, SetLit
from feasible.positions.edits import parse_assignment
from feasible.solver.evaluate import evaluate

from conftest import strip_ansi

ISSUES = {
    "min_wage_eur": Issue("min_wage_eur", IssueKind.INT, min=0, max=15, unit="euros per hour"),
    "cap": Issue("cap", IssueKind.INT, min=0, max=10),
    "n": Issue("n", IssueKind.INT, min=-3, max=5),
    "citizens_income": Issue("citizens_income", IssueKind.BOOL),
    "lead": Issue("lead", IssueKind.ENUM, values=("none", "europe", "un")),
    "members": Issue("members", IssueKind.SET, values=("uk", "fr")),
}


def problems(text: str) -> list[tuple[str, str, int, str | None]]:
    """Each type problem as (message, the text underlined, where it starts, help)."""
    found = check_rule(parse_rule(text), ISSUES)
    return [(p.message, text[p.span[0]:p.span[1]], p.span[0], p.hint) for p in found]


def syntax_error(text: str, **issues) -> tuple[str, str, int, str | None]:
    """The syntax error as (message, the text underlined, where it starts, help); `issues=` as the loader
    passes them, for hints that name an issue's unit."""
    with pytest.raises(RuleSyntaxError) as info:
        parse_rule(text, **issues)
    err = info.value
    return err.message, text[err.span[0]:err.span[1]], err.span[0], err.hint


# ------------------------------------------------------------------------ A.5: a number outside the range

WIDEN = "correct the number, or widen the issue's min and max"


@pytest.mark.parametrize("text, start", [("min_wage_eur >= 120", 16), ("120 <= min_wage_eur", 0)])
def test_a_number_above_the_range_is_an_error_at_the_number_with_the_unit(text, start):
    assert problems(text) == [("120 is outside the range of 'min_wage_eur' (0..15)", "120", start,
                               "'min_wage_eur' is counted in euros per hour; " + WIDEN)]


@pytest.mark.parametrize("text, number, start", [
    ("12 < cap", "12", 0),  # the number on the left
    ("cap >= 11", "11", 7),  # one past the maximum
    ("cap == -1", "-1", 7),  # below the minimum, minus sign included
    ("0 <= cap <= 12", "12", 12),  # in a chain: each comparison next to the issue counts
    ("cap != 1_000", "1_000", 7),
])
def test_numbers_outside_the_range_in_a_direct_comparison(text, number, start):
    value = int(number.replace("_", ""))
    assert problems(text) == [(f"{value} is outside the range of 'cap' (0..10)", number, start, WIDEN)]


def test_each_member_of_a_set_outside_the_range_is_reported_at_that_member():
    text = "n in {-4, 2, 6}"
    assert problems(text) == [("-4 is outside the range of 'n' (-3..5)", "-4", 6, WIDEN),
                              ("6 is outside the range of 'n' (-3..5)", "6", 13, WIDEN)]
    assert problems("n not in {9}") == [("9 is outside the range of 'n' (-3..5)", "9", 10, WIDEN)]


@pytest.mark.parametrize("text", [
    "cap > 10",  # never holds, yet valid: 10 is inside the range (docs/check.md)
    "cap <= 10", "cap >= 0", "cap < 0", "0 <= cap <= 10", "n >= -3", "n in {-3, 5}",
    "cap + 1 > 11", "2 * cap >= 30", "-cap < 5", "cap - 20 < 0",  # computed: not a direct comparison
    "count(citizens_income) <= 7", "size(members) < 9",  # not int issues
])
def test_numbers_inside_the_range_or_in_computed_comparisons_stay_valid(text):
    assert problems(text) == []


def test_an_issue_whose_own_range_is_invalid_does_not_blame_its_rules():
    upside_down = {"cap": Issue("cap", IssueKind.INT, min=10, max=0)}
    assert check_rule(parse_rule("cap >= 800"), upside_down) == []


# ------------------------------------------------------------------------ A.6: negative numbers in sets

def test_a_set_may_hold_negative_numbers():
    expr = parse_rule("n in {-1, 2}")
    assert expr == Membership(Name("n"), SetLit((IntLit(-1), IntLit(2))))
    assert expr.container.items[0].span == (6, 8)
    assert problems("n in {-1, 2}") == []
    assert problems("n not in { - 3 }") == []
    assert [evaluate(expr, ISSUES, {"n": v}) for v in (-1, 1, 2)] == [True, False, True]


@pytest.mark.parametrize("text", ["n in {-1, 2}", "n not in {-3, -2, 0}", "{-1} != {1}"])
def test_negative_set_members_print_and_parse_back(text):
    expr = parse_rule(text)
    assert to_text(expr) == text
    assert parse_rule(to_text(expr)) == expr


@pytest.mark.parametrize("text, found, start", [
    ("n in {-x}", "'x'", 7), ("n in {--1}", "'-'", 7), ("n in {1, -}", "'}'", 10)])
def test_a_minus_in_a_set_needs_a_number(text, found, start):
    message, underlined, at, hint = syntax_error(text)
    assert (message, at, hint) == (f"expected a number after '-' in a set, found {found}", start, None)


# ------------------------------------------------------------------------ C.8: digits that are not ASCII

ASCII_ONLY = "write numbers with the digits 0-9"


@pytest.mark.parametrize("text, char, name, start", [
    ("cap >= ৪00", "৪", "BENGALI DIGIT FOUR, U+09EA", 7),  # looks like 800, int() reads 400
    ("cap >= 4৪", "৪", "BENGALI DIGIT FOUR, U+09EA", 8),
    ("cap >= 1_০00", "০", "BENGALI DIGIT ZERO, U+09E6", 9),
    ("cap == ８", "８", "FULLWIDTH DIGIT EIGHT, U+FF18", 7),
    ("n in {٣}", "٣", "ARABIC-INDIC DIGIT THREE, U+0663", 6),
    ("cap < ²", "²", "SUPERSCRIPT TWO, U+00B2", 6),
])
def test_a_digit_that_is_not_ascii_is_named_and_located(text, char, name, start):
    assert syntax_error(text) == (f"'{char}' ({name}) is not an ASCII digit", char, start, ASCII_ONLY)


def test_the_tokenizer_reads_ascii_digits_only():
    with pytest.raises(RuleSyntaxError):
        tokenize("৪00")
    assert [t.value for t in tokenize("800")[:-1]] == [800]


def _scenario(**issues: Issue) -> Scenario:
    return Scenario("t", issues, ())


def test_set_refuses_a_digit_that_is_not_ascii():
    scenario = _scenario(army_cap=Issue("army_cap", IssueKind.INT, min=0, max=1000))
    with pytest.raises(UserError) as info:
        parse_assignment(scenario, "army_cap=৪00")
    assert info.value.message == "--set army_cap=৪00: '৪' (BENGALI DIGIT FOUR, U+09EA) is not an ASCII digit"
    assert info.value.hint == ASCII_ONLY
    assert parse_assignment(scenario, "army_cap=400")[1] == 400


def test_set_still_takes_an_enum_value_written_with_other_digits():
    scenario = _scenario(stage=Issue("stage", IssueKind.ENUM, values=("ধাপ৪", "ধাপ৫")))
    assert parse_assignment(scenario, "stage=ধাপ৪")[1] == "ধাপ৪"


def test_explain_refuses_a_digit_that_is_not_ascii(write, cli):
    """`explain ISSUE=VALUE` reads values with the same function as --set, so it refuses the same digits."""
    write("wages.yaml", SCENARIO.split("parties:")[0])
    result = cli("explain", "wages.yaml", "army_cap=৪00")
    assert result.exit_code == 2
    assert "'৪' (BENGALI DIGIT FOUR, U+09EA) is not an ASCII digit" in strip_ansi(result.stderr)
    assert "write numbers with the digits 0-9" in strip_ansi(result.stderr)


@pytest.mark.parametrize("char, shown", [("\x1b", "U+001B (a control character)"),
                                         ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
                                         ("^", "'^'")])
def test_an_unexpected_character_is_named_by_its_code_point_when_it_cannot_be_shown(char, shown):
    """A control character would be stripped from the terminal, leaving `unexpected character ''`."""
    assert syntax_error(f"cap <= 3 {char}")[0] == \
        f"unexpected character {shown}"


# ------------------------------------------------------------------------ B: hints

def test_a_quoted_number_compared_with_an_int_issue():
    assert problems('cap >= "12"') == [("cannot compare the int issue 'cap' with a quoted value", '"12"', 7,
                                        "drop the quotes: 'cap >= 12'")]
    assert problems("'-2' < n")[0][3] == "drop the quotes: '-2 < n'"
    assert problems('cap == "twelve"')[0][3] is None  # not a number: nothing to unquote


@pytest.mark.parametrize("text, hint", [
    ("citizens_income == 1", "use '== true' or the name alone ('citizens_income')"),
    ("citizens_income == 0", "use '== false' or 'not citizens_income'"),
    ("citizens_income != 1", "use '!= true' or 'not citizens_income'"),
    ("1 == citizens_income", "use '== true' or the name alone ('citizens_income')"),
    ("(cap > 2) == 1", "use '== true'"),
    ("citizens_income == 2", "a condition is not a number; count(...) turns conditions into a number"),
])
def test_a_condition_compared_with_one_or_zero(text, hint):
    [(message, _, _, got)] = problems(text)
    assert message.endswith("with a number") or message.startswith("cannot compare a number")
    assert got == hint


def test_a_percent_sign_after_a_number_is_a_unit():
    assert syntax_error("cap >= 46%") == ("unexpected '%' after the number 46", "%", 9,
                                         "numbers have no units: write '46'")
    assert syntax_error("46 % <= cap")[3] == "numbers have no units: write '46'"
    # `%` between two numbers is an attempt at an operator, and gets the operator hint
    assert syntax_error("cap % 2 == 0")[3] == "only +, - and * (by a constant) are supported"
    assert syntax_error("cap >= 46 % 2")[3] == "only +, - and * (by a constant) are supported"


def test_a_word_after_a_number_is_a_unit():
    assert syntax_error("min_wage_eur >= 10 euros") == ("unexpected 'euros' after the number 10", "euros", 19,
                                                        "numbers have no units: write '10'")
    assert syntax_error("(cap >= 1_000 soldiers)") == ("unexpected 'soldiers' after the number 1_000",
                                                       "soldiers", 14, "numbers have no units: write '1_000'")


def test_the_unit_hint_names_the_issues_unit_when_the_issues_are_known():
    assert syntax_error("min_wage_eur >= 10 euros", issues=ISSUES) == (
        "unexpected 'euros' after the number 10", "euros", 19,
        "numbers have no units: write '10'; 'min_wage_eur' is counted in euros per hour")
    assert syntax_error("10 euros <= min_wage_eur", issues=ISSUES)[3] == (
        "numbers have no units: write '10'; 'min_wage_eur' is counted in euros per hour")
    assert syntax_error("46% <= min_wage_eur", issues=ISSUES)[3] == (
        "numbers have no units: write '46'; 'min_wage_eur' is counted in euros per hour")
    assert syntax_error("cap >= 10 euros", issues=ISSUES)[3] == "numbers have no units: write '10'"  # no unit
    assert syntax_error("cap >= 10 n", issues=ISSUES)[3] == "an operator is missing between 10 and 'n'"


def test_a_misspelt_value_in_a_set_is_underlined_alone():
    text = 'lead in {"none", "erope"}'
    assert problems(text) == [('"erope" is not a value of enum issue \'lead\'', '"erope"', 17,
                               'did you mean "europe"?')]
    text = 'members == {"uk", "frr"}'
    assert problems(text) == [('"frr" is not a value of set issue \'members\'', '"frr"', 18,
                               'did you mean "fr"?')]


# ------------------------------------------------------------------------ as `feasible validate` shows them

SCENARIO = """\
title: Wages
issues:
  min_wage_eur: {type: int, min: 0, max: 15, unit: euros per hour}
  army_cap: {type: int, min: 0, max: 1000}
  lead: {values: [none, europe, un]}
parties:
  - party: unions
    red_lines:
      - id: wage
        says: A minimum wage of at least 12 euros.
        rule: min_wage_eur >= 120
      - id: army
        says: An army of at least 800.
        rule: army_cap >= ৪00
      - id: unit
        says: At least 10 euros.
        rule: min_wage_eur >= 10 euros
      - id: lead
        says: Not led by Europe.
        rule: 'lead in {"none", "erope"}'
"""

EXPECTED = """\
error: 120 is outside the range of 'min_wage_eur' (0..15)
  --> wages.yaml:11:31
   |
11 |         rule: min_wage_eur >= 120
   |                               ^^^
  = help: 'min_wage_eur' is counted in euros per hour; correct the number, or widen the issue's min and max

error: rule syntax: '৪' (BENGALI DIGIT FOUR, U+09EA) is not an ASCII digit
  --> wages.yaml:14:27
   |
14 |         rule: army_cap >= ৪00
   |                           ^
  = help: write numbers with the digits 0-9

error: rule syntax: unexpected 'euros' after the number 10
  --> wages.yaml:17:34
   |
17 |         rule: min_wage_eur >= 10 euros
   |                                  ^^^^^
  = help: numbers have no units: write '10'; 'min_wage_eur' is counted in euros per hour

error: "erope" is not a value of enum issue 'lead'
  --> wages.yaml:20:33
   |
20 |         rule: 'lead in {"none", "erope"}'
   |                                 ^^^^^^^
  = help: did you mean "europe"?

4 problems in 1 file; the scenario is not valid.
"""


def test_validate_shows_each_diagnostic_in_full(write, cli):
    write("wages.yaml", SCENARIO)
    result = cli("validate", "wages.yaml")
    assert result.exit_code == 2
    assert strip_ansi(result.stderr) == EXPECTED


def test_set_with_a_digit_that_is_not_ascii_is_refused_on_the_command_line(write, cli):
    write("wages.yaml", SCENARIO.split("parties:")[0])
    result = cli("check", "wages.yaml", "--set", "army_cap=৪00")
    assert result.exit_code == 2
    assert strip_ansi(result.stderr) == ("error: --set army_cap=৪00: '৪' (BENGALI DIGIT FOUR, U+09EA) is not an "
                                         "ASCII digit\n  = help: write numbers with the digits 0-9\n")


def test_validate_accepts_negative_set_members_and_boundary_numbers(write, cli):
    write("ok.yaml", """\
        title: Fine
        issues:
          n: {type: int, min: -3, max: 5}
        parties:
          - party: a
            red_lines:
              - {id: neg, says: x, rule: 'n in {-1, 2}'}
              - {id: top, says: x, rule: n <= 5}
              - {id: never, says: x, rule: n > 5 -> n == -3}
        """)
    result = cli("validate", "ok.yaml")
    assert result.exit_code == 0, result.stderr
