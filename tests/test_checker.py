"""The rule type checker against a small set of issues: every error class, its span and hint, and valid rules."""

from __future__ import annotations

import pytest

from feasible.positions.model import Issue, IssueKind
from feasible.positions.rules import RuleProblem, check_rule, parse_rule

ISSUES = {
    "western_troops": Issue("western_troops", IssueKind.BOOL),
    "us_troops": Issue("us_troops", IssueKind.BOOL),
    "force_lead": Issue("force_lead", IssueKind.ENUM, values=("none", "europe", "un")),
    "guarantee": Issue("guarantee", IssueKind.ENUM, values=("none", "political", "binding"), ordered=True),
    "army_cap": Issue("army_cap", IssueKind.INT, min=50, max=1000),
    "duration": Issue("duration", IssueKind.INT, min=0, max=30),
    "contributors": Issue("contributors", IssueKind.SET, values=("uk", "fr", "de")),
}


def problems(text: str) -> list[RuleProblem]:
    return check_rule(parse_rule(text), ISSUES)


def one_problem(text: str) -> RuleProblem:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def spanned(text: str, problem: RuleProblem) -> str:
    return text[problem.span[0]:problem.span[1]]


# --------------------------------------------------------------------------------------------- valid rules

@pytest.mark.parametrize("text", [
    "true",
    "false",
    "western_troops",
    "not western_troops",
    "western_troops == true",
    "western_troops != false",
    "western_troops == us_troops",
    "western_troops and not us_troops",
    "western_troops or us_troops",
    "us_troops -> western_troops",
    "us_troops <-> western_troops",
    'force_lead == "europe"',
    "force_lead != 'un'",
    '"europe" == force_lead',
    'force_lead in {"europe", "un"}',
    'force_lead not in {"none"}',
    'guarantee >= "political"',
    'guarantee < "binding"',
    '"none" < guarantee',
    'guarantee == "none"',
    "army_cap <= 800",
    "400 <= army_cap <= 800",
    "army_cap == 1_000",
    "army_cap in {600, 800}",
    "army_cap not in {600}",
    "army_cap + duration > 10",
    "army_cap - duration * 2 >= -5",
    "2 * army_cap <= 3 * duration",
    "army_cap * 2 < 1000",
    "-army_cap < 0",
    "army_cap * (1 + 2) > 0",
    '"uk" in contributors',
    "'fr' not in contributors",
    'contributors contains "de"',
    "size(contributors) >= 2",
    "size(contributors) * 100 <= army_cap",
    'contributors == {"uk", "fr"}',
    'contributors != {"uk"}',
    'contributors == {}',
    "count(western_troops, us_troops) <= 1",
    'count(western_troops, force_lead == "un", army_cap > 500) >= 2',
    'force_lead == "europe" -> western_troops',
    'not (force_lead == "un" and "uk" in contributors) or army_cap < 300',
    'western_troops <-> size(contributors) > 0',
])
def test_valid_rules_have_no_problems(text):
    assert problems(text) == []


# --------------------------------------------------------------------------------------------- names

def test_unknown_issue_with_did_you_mean():
    text = "not western_troop"
    problem = one_problem(text)
    assert problem.message == "unknown issue 'western_troop'"
    assert problem.hint.startswith("did you mean 'western_troops'")  # the closest first
    assert spanned(text, problem) == "western_troop"
    assert one_problem("army_cp <= 3").hint == "did you mean 'army_cap'?"


def test_unknown_issue_without_close_match_has_no_suggestion():
    problem = one_problem("zzz > 3")
    assert problem.message == "unknown issue 'zzz'"
    assert problem.hint is None


def test_unquoted_enum_value_suggests_quotes():
    text = "force_lead == europe"
    problem = one_problem(text)
    assert "'europe' is not an issue" in problem.message
    assert "quoted" in problem.message
    assert problem.hint == 'write "europe"'
    assert spanned(text, problem) == "europe"


def test_unquoted_set_value_suggests_quotes():
    text = "contributors contains uk"
    problem = one_problem(text)
    assert problem.hint == 'write "uk"'
    assert spanned(text, problem) == "uk"


# --------------------------------------------------------------------------------------------- domains

def test_value_outside_enum_domain_with_did_you_mean():
    text = 'force_lead != "europ"'
    problem = one_problem(text)
    assert problem.message == "\"europ\" is not a value of enum issue 'force_lead'"
    assert problem.hint == 'did you mean "europe"?'
    assert spanned(text, problem) == '"europ"'


def test_value_outside_domain_without_close_match_lists_the_values():
    problem = one_problem('force_lead == "nato"')
    assert problem.hint == 'its values are "none", "europe", "un"'


def test_value_outside_domain_in_set_literal():
    text = 'force_lead in {"un", "eurpoe"}'
    problem = one_problem(text)
    assert '"eurpoe" is not a value' in problem.message
    assert problem.hint == 'did you mean "europe"?'


def test_value_outside_set_issue_domain():
    text = 'contributors contains "it"'
    problem = one_problem(text)
    assert problem.message == "\"it\" is not a value of set issue 'contributors'"
    assert spanned(text, problem) == '"it"'
    assert one_problem('"frr" in contributors').hint == 'did you mean "fr"?'
    assert "not a value of set issue" in one_problem('contributors == {"uk", "pl"}').message


def test_value_outside_ordered_enum_domain():
    problem = one_problem('guarantee >= "politcal"')
    assert problem.hint == 'did you mean "political"?'


# --------------------------------------------------------------------------------------------- comparisons

@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
def test_ordering_an_unordered_enum(op):
    text = f'force_lead {op} "un"'
    problem = one_problem(text)
    assert problem.message == f"'{op}' needs an ordered enum, but 'force_lead' is not ordered"
    assert "ordered: true" in problem.hint
    assert spanned(text, problem) == "force_lead"


def test_comparing_int_with_a_value():
    text = 'army_cap == "un"'
    problem = one_problem(text)
    assert problem.message == "cannot compare the int issue 'army_cap' with a quoted value"
    assert spanned(text, problem) == '"un"'


def test_comparing_bool_with_a_number():
    problem = one_problem("western_troops == 2")  # (1 and 0 get a hint of their own: tests/test_rules_defects.py)
    assert problem.message == "cannot compare the bool issue 'western_troops' with a number"
    assert "count(" in problem.hint


def test_comparing_enum_with_a_number():
    assert one_problem("force_lead == 2").message == "cannot compare the enum issue 'force_lead' with a number"


def test_ordering_conditions():
    problem = one_problem("western_troops < us_troops")
    assert problem.message == "'<' does not order conditions"


def test_two_quoted_values():
    problem = one_problem('"a" == "b"')
    assert problem.message == "cannot compare a quoted value with a quoted value"
    assert problem.hint == "one side should be an issue"


def test_enums_with_different_values():
    assert "different values" in one_problem("force_lead == guarantee").message


def test_chained_comparison_checks_every_pair():
    text = 'army_cap <= 800 <= "un"'
    problem = one_problem(text)
    assert problem.message == "cannot compare a number with a quoted value"
    assert spanned(text, problem) == '"un"'


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
def test_set_issue_compared_with_order(op):
    text = f'contributors {op} {{"uk"}}'
    problem = one_problem(text)
    assert problem.message == f"'{op}' does not order sets"
    assert "size(" in problem.hint
    assert spanned(text, problem) == "contributors"


def test_set_issue_compared_with_a_single_value():
    problem = one_problem('contributors == "uk"')
    assert problem.message == "cannot compare the set issue 'contributors' with a quoted value"
    assert problem.hint == "to test one value, write 'issue contains \"v\"'"


def test_enum_compared_with_a_set_literal():
    problem = one_problem('force_lead == {"un", "europe"}')
    assert "cannot compare the enum issue 'force_lead' with a set of values" == problem.message
    assert "in {" in problem.hint


# --------------------------------------------------------------------------------------------- arithmetic

def test_arithmetic_on_a_bool():
    text = "western_troops + 1 > 1"
    problem = one_problem(text)
    assert problem.message == ("each side of '+' must be a number, but 'western_troops' is the bool issue "
                               "'western_troops'")
    assert spanned(text, problem) == "western_troops"


def test_negating_a_bool():
    text = "-western_troops < 0"
    problem = one_problem(text)
    assert "the operand of '-' must be a number" in problem.message
    assert spanned(text, problem) == "western_troops"


def test_arithmetic_on_an_enum():
    assert "must be a number" in one_problem("force_lead * 2 > 1").message


def test_multiplying_two_non_constants():
    text = "army_cap * duration > 100"
    problem = one_problem(text)
    assert problem.message == "'*' needs a constant on one side"
    assert "2 * " in problem.hint
    assert spanned(text, problem) == "army_cap * duration"


def test_multiplying_by_a_size_is_not_constant():
    assert one_problem("size(contributors) * army_cap > 0").message == "'*' needs a constant on one side"


def test_multiplying_constant_expressions_is_fine():
    assert problems("(2 + 3) * army_cap > 0") == []
    assert problems("-2 * -army_cap > 0") == []


# --------------------------------------------------------------------------------------------- size, count, sets

def test_size_of_a_non_set():
    text = "size(force_lead) >= 1"
    problem = one_problem(text)
    assert problem.message == "size() takes a set issue, but 'force_lead' is the enum issue 'force_lead'"
    assert spanned(text, problem) == "force_lead"


def test_size_of_an_int():
    assert "size() takes a set issue" in one_problem("size(army_cap) > 1").message


def test_count_takes_conditions():
    text = "count(army_cap, western_troops) > 1"
    problem = one_problem(text)
    assert problem.message.startswith("each argument of count() must be a condition")
    assert spanned(text, problem) == "army_cap"


def test_duplicate_in_set_literal():
    text = 'contributors == {"uk", "fr", "uk"}'
    problem = one_problem(text)
    assert problem.message == "the set lists 'uk' twice"
    assert spanned(text, problem) == '{"uk", "fr", "uk"}'


def test_duplicate_number_in_set_literal():
    assert one_problem("army_cap in {600, 800, 600}").message == "the set lists 600 twice"


def test_set_literal_mixing_values_and_numbers():
    assert one_problem('force_lead in {"un", 3}').message == "a set mixes quoted values and numbers"


def test_enum_in_set_issue():
    problem = one_problem("force_lead in contributors")
    assert "takes one quoted value on its left" in problem.message


def test_set_issue_in_set_literal():
    problem = one_problem('contributors in {"uk"}')
    assert "needs an enum issue or a number on its left" in problem.message
    assert "contains" in problem.hint


def test_membership_needs_a_set_on_the_right():
    text = "army_cap in force_lead"
    problem = one_problem(text)
    assert problem.message == "'in' needs a set on its right, not the enum issue 'force_lead'"
    assert spanned(text, problem) == "force_lead"


# --------------------------------------------------------------------------------------------- conditions

@pytest.mark.parametrize("text, what, hint_part", [
    ("800", "a number", "x > 0"),
    ("army_cap", "the int issue 'army_cap'", "x > 0"),
    ("army_cap + 1", "a number", "x > 0"),
    ("size(contributors)", "a number", "x > 0"),
    ("force_lead", "the enum issue 'force_lead'", 'force_lead == "none"'),
    ("contributors", "the set issue 'contributors'", 'contributors contains "uk"'),
    ('"europe"', "a quoted value", None),
])
def test_rule_must_be_a_condition(text, what, hint_part):
    problem = one_problem(text)
    assert problem.message.startswith("a rule must be a condition")
    assert problem.message.endswith(f"is {what}")
    if hint_part is None:
        assert problem.hint is None
    else:
        assert hint_part in problem.hint
    assert problem.span == (0, len(text))


@pytest.mark.parametrize("text", ["army_cap and western_troops", "western_troops or 3", "not army_cap",
                                  "army_cap -> western_troops", "western_troops <-> force_lead"])
def test_logic_operands_must_be_conditions(text):
    problem = one_problem(text)
    assert "must be a condition" in problem.message


# --------------------------------------------------------------------------------------------- several problems

def test_every_problem_of_a_rule_is_reported_in_order():
    text = 'western_troop and force_lead == "eu" and size(army_cap) > 1'
    found = problems(text)
    assert [spanned(text, p) for p in found] == ["western_troop", '"eu"', "army_cap"]
    assert found[0].message == "unknown issue 'western_troop'"


def test_an_error_is_not_reported_twice_through_its_parents():
    # the unknown name makes the comparison, the 'and' and the rule invalid; only the cause is reported
    assert len(problems("western_troop == true and army_cap > 100")) == 1
    assert len(problems("size(zzz) > 1")) == 1
    assert len(problems("zzz + 1 > 2")) == 1


def test_ignored_names_are_not_blamed():
    # the loader passes issues whose own definition is invalid: that error is reported once, not at every use
    expr = parse_rule("broken > 3 and not western_troop")
    found = check_rule(expr, ISSUES, ignore=frozenset({"broken"}))
    assert [p.message for p in found] == ["unknown issue 'western_troop'"]
    assert check_rule(parse_rule("size(broken) > 1"), ISSUES, ignore=frozenset({"broken"})) == []
