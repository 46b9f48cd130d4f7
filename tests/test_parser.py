"""The rule language parser: literals, every operator, precedence, associativity, and located syntax errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.rules import RuleSyntaxError, parse_rule
from feasible.positions.rules.parser import MAX_NESTING
from feasible.positions.rules.syntax import (And, Arith, BoolLit, Compare, Count, Iff, Implies, IntLit, Membership,
                                             Name, Neg, Not, Or, SetLit, Size, StrLit, names)

a, b, c, d = Name("a"), Name("b"), Name("c"), Name("d")
s, x, cap = Name("s"), Name("x"), Name("cap")


def cmp(left, op, right):
    return Compare((left, right), (op,))


# --------------------------------------------------------------------------------------------- literals

@pytest.mark.parametrize("text, expected", [
    ("true", BoolLit(True)),
    ("false", BoolLit(False)),
    ("800", IntLit(800)),
    ("0", IntLit(0)),
    ("1_000", IntLit(1000)),
    ("1_000_000", IntLit(1_000_000)),
    ('"europe"', StrLit("europe")),
    ("'europe'", StrLit("europe")),
    ('"two words"', StrLit("two words")),
    ("""'say "hi"'""", StrLit('say "hi"')),
    ('''"it's"''', StrLit("it's")),
    ('""', StrLit("")),
    ("western_troops", Name("western_troops")),
    ("army_cap_2", Name("army_cap_2")),
    ('{"a", "b"}', SetLit((StrLit("a"), StrLit("b")))),
    ("{'a', \"b\"}", SetLit((StrLit("a"), StrLit("b")))),
    ('{"only"}', SetLit((StrLit("only"),))),
    ("{600, 1_000}", SetLit((IntLit(600), IntLit(1000)))),
])
def test_literals_and_names(text, expected):
    assert parse_rule(text) == expected


def test_both_quote_styles_give_the_same_tree():
    assert parse_rule("lead == 'europe'") == parse_rule('lead == "europe"')


def test_set_literal_keeps_written_order():
    assert parse_rule('{"b", "a"}') == SetLit((StrLit("b"), StrLit("a")))
    assert parse_rule('{"b", "a"}') != parse_rule('{"a", "b"}')


@pytest.mark.parametrize("text", ["not_x", "in_force", "true_north", "sizeable", "counted", "contains_uk", "android",
                                  "order", "notin"])
def test_names_that_begin_with_a_keyword_are_names(text):
    assert parse_rule(text) == Name(text)


def test_keywords_are_not_names():
    assert parse_rule("true") == BoolLit(True)
    with pytest.raises(RuleSyntaxError):
        parse_rule("and")
    with pytest.raises(RuleSyntaxError):
        parse_rule("in")


def test_whitespace_between_tokens_is_free():
    assert parse_rule("  a\n and\tb  ") == And((a, b))
    assert parse_rule("a==b") == cmp(a, "==", b)
    assert parse_rule("size(s)>=2") == cmp(Size(s), ">=", IntLit(2))


# --------------------------------------------------------------------------------------------- operators

@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
def test_every_comparison(op):
    assert parse_rule(f"cap {op} 800") == cmp(cap, op, IntLit(800))


def test_boolean_operators():
    assert parse_rule("not a") == Not(a)
    assert parse_rule("a and b") == And((a, b))
    assert parse_rule("a or b") == Or((a, b))
    assert parse_rule("a -> b") == Implies(a, b)
    assert parse_rule("a <-> b") == Iff(a, b)
    assert parse_rule("(a)") == a
    assert parse_rule("((a))") == a
    assert parse_rule("not not a") == Not(Not(a))


def test_bool_issue_compared_with_literal():
    assert parse_rule("a == true") == cmp(a, "==", BoolLit(True))
    assert parse_rule("a != false") == cmp(a, "!=", BoolLit(False))


def test_chained_comparison_is_one_node():
    assert parse_rule("400 <= cap <= 800") == Compare((IntLit(400), cap, IntLit(800)), ("<=", "<="))
    assert parse_rule("0 < a < b <= 9") == Compare((IntLit(0), a, b, IntLit(9)), ("<", "<", "<="))
    assert parse_rule("a == b != c") == Compare((a, b, c), ("==", "!="))


def test_membership():
    ab = SetLit((StrLit("a"), StrLit("b")))
    assert parse_rule('x in {"a", "b"}') == Membership(x, ab, False)
    assert parse_rule('x not in {"a", "b"}') == Membership(x, ab, True)
    assert parse_rule('"v" in s') == Membership(StrLit("v"), s, False)
    assert parse_rule("'v' not in s") == Membership(StrLit("v"), s, True)
    assert parse_rule("cap in {600, 800}") == Membership(cap, SetLit((IntLit(600), IntLit(800))), False)


def test_contains_is_read_as_in():
    assert parse_rule('s contains "v"') == Membership(StrLit("v"), s, False)
    assert parse_rule('s contains "v"') == parse_rule('"v" in s')


def test_set_equality():
    assert parse_rule('s == {"a", "b"}') == cmp(s, "==", SetLit((StrLit("a"), StrLit("b"))))


def test_size_and_count():
    assert parse_rule("size(s) >= 2") == cmp(Size(s), ">=", IntLit(2))
    assert parse_rule("count(a, b, c) >= 2") == cmp(Count((a, b, c)), ">=", IntLit(2))
    assert parse_rule("count(a) == 1") == cmp(Count((a,)), "==", IntLit(1))
    assert parse_rule("count(a and b, cap > 3) <= 1") == cmp(
        Count((And((a, b)), cmp(cap, ">", IntLit(3)))), "<=", IntLit(1))
    assert parse_rule("size(s) + count(a, b) > 1") == cmp(Arith("+", Size(s), Count((a, b))), ">", IntLit(1))


def test_arithmetic():
    assert parse_rule("a + b > 0") == cmp(Arith("+", a, b), ">", IntLit(0))
    assert parse_rule("a - b > 0") == cmp(Arith("-", a, b), ">", IntLit(0))
    assert parse_rule("2 * a > 0") == cmp(Arith("*", IntLit(2), a), ">", IntLit(0))
    assert parse_rule("-a > 0") == cmp(Neg(a), ">", IntLit(0))
    assert parse_rule("a > -1") == cmp(a, ">", Neg(IntLit(1)))
    assert parse_rule("- - a > 0") == cmp(Neg(Neg(a)), ">", IntLit(0))
    assert parse_rule("3 * -a < 0") == cmp(Arith("*", IntLit(3), Neg(a)), "<", IntLit(0))


def test_integer_literals_are_never_negative():
    tree = parse_rule("-5 < a")
    assert tree == cmp(Neg(IntLit(5)), "<", a)
    assert tree.operands[0].operand.value == 5


# --------------------------------------------------------------------------------------------- precedence

@pytest.mark.parametrize("text, expected", [
    # arithmetic: unary minus > * > + -
    ("1 + 2 * 3 > 0", cmp(Arith("+", IntLit(1), Arith("*", IntLit(2), IntLit(3))), ">", IntLit(0))),
    ("2 * 3 + 1 > 0", cmp(Arith("+", Arith("*", IntLit(2), IntLit(3)), IntLit(1)), ">", IntLit(0))),
    ("-a * 2 > 0", cmp(Arith("*", Neg(a), IntLit(2)), ">", IntLit(0))),
    ("-a + b > 0", cmp(Arith("+", Neg(a), b), ">", IntLit(0))),
    ("-(a + b) > 0", cmp(Neg(Arith("+", a, b)), ">", IntLit(0))),
    ("(1 + 2) * 3 > 0", cmp(Arith("*", Arith("+", IntLit(1), IntLit(2)), IntLit(3)), ">", IntLit(0))),
    # arithmetic binds tighter than comparison
    ("a + 1 < b * 2", cmp(Arith("+", a, IntLit(1)), "<", Arith("*", b, IntLit(2)))),
    # comparison > not
    ("not a == b", Not(cmp(a, "==", b))),
    ('not x in {"a"}', Not(Membership(x, SetLit((StrLit("a"),)), False))),
    ('not "v" in s', Not(Membership(StrLit("v"), s, False))),
    ("not size(s) > 1", Not(cmp(Size(s), ">", IntLit(1)))),
    # comparison > and / or
    ("a == 1 and b == 2", And((cmp(a, "==", IntLit(1)), cmp(b, "==", IntLit(2))))),
    ("a < 1 or b > 2", Or((cmp(a, "<", IntLit(1)), cmp(b, ">", IntLit(2))))),
    ('x in {"a"} and "v" in s', And((Membership(x, SetLit((StrLit("a"),)), False), Membership(StrLit("v"), s, False)))),
    # not > and
    ("not a and b", And((Not(a), b))),
    ("a and not b", And((a, Not(b)))),
    ("not (a and b)", Not(And((a, b)))),
    # and > or
    ("a and b or c", Or((And((a, b)), c))),
    ("a or b and c", Or((a, And((b, c))))),
    ("a or b and c or d", Or((a, And((b, c)), d))),
    ("not a or b", Or((Not(a), b))),
    ("(a or b) and c", And((Or((a, b)), c))),
    # or > ->
    ("a or b -> c", Implies(Or((a, b)), c)),
    ("a -> b or c", Implies(a, Or((b, c)))),
    ("a and b -> c and d", Implies(And((a, b)), And((c, d)))),
    # -> > <->
    ("a -> b <-> c", Iff(Implies(a, b), c)),
    ("a <-> b -> c", Iff(a, Implies(b, c))),
    ("a <-> b or c", Iff(a, Or((b, c)))),
    ("a -> (b <-> c)", Implies(a, Iff(b, c))),
    # the whole ladder in one rule
    ("not a == 1 and b or c -> d <-> a",
     Iff(Implies(Or((And((Not(cmp(a, "==", IntLit(1))), b)), c)), d), a)),
])
def test_precedence(text, expected):
    assert parse_rule(text) == expected


def test_implies_is_right_associative():
    assert parse_rule("a -> b -> c") == Implies(a, Implies(b, c))
    assert parse_rule("a -> b -> c -> d") == Implies(a, Implies(b, Implies(c, d)))
    assert parse_rule("(a -> b) -> c") == Implies(Implies(a, b), c)


def test_iff_is_left_associative():
    assert parse_rule("a <-> b <-> c") == Iff(Iff(a, b), c)
    assert parse_rule("a <-> (b <-> c)") == Iff(a, Iff(b, c))


def test_minus_is_left_associative():
    assert parse_rule("a - b - c > 0") == cmp(Arith("-", Arith("-", a, b), c), ">", IntLit(0))
    assert parse_rule("a - (b - c) > 0") == cmp(Arith("-", a, Arith("-", b, c)), ">", IntLit(0))


def test_and_or_flatten_into_n_ary_nodes():
    assert parse_rule("a and b and c and d") == And((a, b, c, d))
    assert parse_rule("a or b or c") == Or((a, b, c))
    tree = parse_rule("a and b and c or d or a")
    assert tree == Or((And((a, b, c)), d, a))
    assert len(tree.operands) == 3


def test_names_helper():
    assert names(parse_rule('a -> b and size(s) > cap and "v" in s')) == {"a", "b", "s", "cap"}


# --------------------------------------------------------------------------------------------- spans

def test_spans_point_into_the_text():
    text = 'not western_troops and force_lead == "europe"'
    tree = parse_rule(text)
    assert isinstance(tree, And)
    neg, comparison = tree.operands
    assert neg.span == (0, 18)
    assert neg.operand.span == (4, 18)
    assert text[slice(*neg.operand.span)] == "western_troops"
    assert text[slice(*comparison.span)] == 'force_lead == "europe"'
    assert text[slice(*comparison.operands[1].span)] == '"europe"'
    assert tree.span == (0, len(text))


def test_span_is_not_part_of_equality():
    assert parse_rule("a and b") == parse_rule("a   and     b")
    assert parse_rule("a and b").span != parse_rule("a   and     b").span


def test_size_span_covers_the_call():
    text = "size(contributors) >= 2"
    tree = parse_rule(text)
    assert text[slice(*tree.operands[0].span)] == "size(contributors)"


# --------------------------------------------------------------------------------------------- syntax errors

def syntax_error(text: str) -> RuleSyntaxError:
    with pytest.raises(RuleSyntaxError) as info:
        parse_rule(text)
    return info.value


def test_single_equals_suggests_double():
    with pytest.raises(RuleSyntaxError, match="unexpected '='") as info:
        parse_rule("a = b")
    assert info.value.span == (2, 3)
    assert "==" in info.value.hint


@pytest.mark.parametrize("text, span, hint", [
    ("a && b", (2, 4), "'and'"),
    ("a & b", (2, 3), "'and'"),
    ("a || b", (2, 4), "'or'"),
    ("a | b", (2, 3), "'or'"),
    ("!a", (0, 1), "'not'"),
    ("a => b", (2, 4), "'->'"),
    ("a [", (2, 3), "{"),
    ("cap / 2 > 1", (4, 5), "+, - and *"),
    ("cap % 2 > 1", (4, 5), "+, - and *"),
])
def test_operators_from_other_languages_get_a_hint(text, span, hint):
    err = syntax_error(text)
    assert err.message.startswith("unexpected '")
    assert err.span == span
    assert hint in err.hint


def test_spaceship_iff_gets_a_hint():
    err = syntax_error("a <=> b")
    assert err.hint is not None and "<->" in err.hint


@pytest.mark.parametrize("text, span, quote", [
    ('force_lead == "europe', (14, 21), '"'),
    ("force_lead == 'europe", (14, 21), "'"),
    ('"abc', (0, 4), '"'),
])
def test_unterminated_string(text, span, quote):
    with pytest.raises(RuleSyntaxError, match="unterminated") as info:
        parse_rule(text)
    assert info.value.span == span
    assert info.value.hint == f"close the value with {quote}"


def test_string_cannot_span_lines():
    with pytest.raises(RuleSyntaxError, match="unterminated"):
        parse_rule('lead == "eu\nrope"')


def test_decimal_number_is_an_error():
    err = syntax_error("cap <= 1.5")
    start, end = err.span
    assert 7 <= start < end <= 10  # points at the number or its '.', not elsewhere
    assert "." in "cap <= 1.5"[start:end]


def test_decimal_number_says_whole_numbers_only():
    err = syntax_error("cap <= 1.5")
    assert err.message == "'1.5' is not a whole number"
    assert err.span == (7, 10)
    assert "whole number" in err.hint


def test_number_glued_to_letters():
    err = syntax_error("cap <= 800k")
    assert err.message == "'800k' is not a whole number"
    assert err.span == (7, 11)
    assert "1_000" in err.hint


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_rule(text):
    with pytest.raises(RuleSyntaxError, match="the rule is empty") as info:
        parse_rule(text)
    assert info.value.span == (0, len(text))
    assert info.value.hint


def test_unknown_function():
    with pytest.raises(RuleSyntaxError, match="unknown function 'foo'") as info:
        parse_rule("foo(x)")
    assert info.value.span == (0, 3)
    assert "size" in info.value.hint and "count" in info.value.hint


def test_unknown_function_later_in_rule():
    with pytest.raises(RuleSyntaxError, match="unknown function 'len'") as info:
        parse_rule("a and len(s) > 2")
    assert info.value.span == (6, 9)


@pytest.mark.parametrize("text, span", [
    ("(a and b", (8, 9)),
    ("not (a", (6, 7)),
    ("size(s > 2", (10, 11)),
    ("count(a, b", (10, 11)),
])
def test_missing_closing_parenthesis(text, span):
    with pytest.raises(RuleSyntaxError, match=r"expected '\)'") as info:
        parse_rule(text)
    assert info.value.span == span


@pytest.mark.parametrize("text, span, found", [
    ("a b", (2, 3), "'b'"),
    ("a == 1 2", (7, 8), "'2'"),
    ("(a) (b)", (4, 5), "'('"),
    ("a)", (1, 2), "')'"),
    ('x in {"a"} "b"', (11, 14), "'\"b\"'"),
])
def test_trailing_tokens(text, span, found):
    with pytest.raises(RuleSyntaxError, match="after a complete condition") as info:
        parse_rule(text)
    assert info.value.span == span
    assert found in info.value.message
    assert "and" in info.value.hint


@pytest.mark.parametrize("text, span, hint_part", [
    ("a ->", (4, 5), "ends too early"),
    ("a and", (5, 6), "ends too early"),
    ("and a", (0, 3), "'and' needs a condition on each side"),
    ("a or or b", (5, 7), "'or' needs a condition on each side"),
    ("-> b", (0, 2), "'->' needs a condition on each side"),
])
def test_missing_operand(text, span, hint_part):
    with pytest.raises(RuleSyntaxError, match="expected a value") as info:
        parse_rule(text)
    assert info.value.span == span
    assert hint_part in info.value.hint


def test_unquoted_word_in_set_literal():
    with pytest.raises(RuleSyntaxError, match="a set lists quoted values") as info:
        parse_rule("lead in {europe}")
    assert info.value.span == (9, 15)
    assert info.value.hint == 'quote the value: "europe"'


def test_set_literal_needs_commas():
    with pytest.raises(RuleSyntaxError, match="expected ','") as info:
        parse_rule('lead in {"a" "b"}')
    assert info.value.span == (13, 16)


def test_size_takes_one_argument():
    with pytest.raises(RuleSyntaxError, match=r"size\(\) takes exactly one") as info:
        parse_rule("size(s, t) > 1")
    assert info.value.span == (0, 10)


def test_count_needs_an_argument():
    with pytest.raises(RuleSyntaxError, match="expected a value"):
        parse_rule("count() > 1")


def test_unexpected_character():
    with pytest.raises(RuleSyntaxError, match="unexpected character '@'") as info:
        parse_rule("a and @b")
    assert info.value.span == (6, 7)


# --------------------------------------------------------------------------------------------- nesting

@pytest.mark.parametrize("depth", [10, MAX_NESTING - 5])
def test_moderate_nesting_parses(depth):
    assert parse_rule("(" * depth + "a" + ")" * depth) == a
    expected = a
    for _ in range(depth):
        expected = Not(expected)
    assert parse_rule("not " * depth + "a") == expected


@pytest.mark.parametrize("text", [
    pytest.param("not " * 10_000 + "a", id="not"),
    pytest.param("-" * 10_000 + "1 > 0", id="minus"),
    pytest.param(" -> ".join(["a"] * 10_000), id="implies"),
    pytest.param("-(" * 5_000 + "1" + ")" * 5_000 + " > 0", id="minus-parens"),
])
def test_deep_nesting_is_a_syntax_error(text):
    with pytest.raises(RuleSyntaxError, match="nested more than"):
        parse_rule(text)


def test_ten_thousand_nested_parentheses_is_a_syntax_error():
    with pytest.raises(RuleSyntaxError, match="nested more than"):
        parse_rule("(" * 10_000 + "a" + ")" * 10_000)


@pytest.mark.parametrize("text", [
    pytest.param("size(" * 10_000 + "s" + ")" * 10_000 + " > 0", id="size"),
    pytest.param("count(" * 10_000 + "a" + ")" * 10_000 + " > 0", id="count"),
])
def test_deeply_nested_calls_are_a_syntax_error(text):
    with pytest.raises(RuleSyntaxError, match="nested more than"):
        parse_rule(text)


def test_nesting_at_the_limit_parses_and_one_more_level_is_an_error():
    # every construct that nests costs a level; at the limit the rule parses, one more is a located error
    for open_, close in [("(", ")"), ("size(", ")"), ("count(", ")"), ("not (", ")"), ("-(", ")")]:
        assert parse_rule(open_ * (MAX_NESTING // 2) + "a" + close * (MAX_NESTING // 2) + " > 0") is not None
    assert parse_rule("(" * MAX_NESTING + "a" + ")" * MAX_NESTING) == a
    text = "(" * (MAX_NESTING + 1) + "a" + ")" * (MAX_NESTING + 1)
    with pytest.raises(RuleSyntaxError, match=f"nested more than {MAX_NESTING} levels") as info:
        parse_rule(text)
    assert info.value.span[0] <= MAX_NESTING + 1
    assert info.value.hint


def test_deep_nesting_fits_in_a_shallow_stack():
    # the limit must hold even when the caller has already used much of Python's stack (e.g. under pytest)
    import sys

    def at_depth(n):
        return at_depth(n - 1) if n else parse_rule("(" * MAX_NESTING + "a" + ")" * MAX_NESTING)

    headroom = sys.getrecursionlimit() - 400
    assert at_depth(headroom // 2) == a


def test_very_long_sums_are_a_syntax_error():
    with pytest.raises(RuleSyntaxError, match="terms joined by one operator"):
        parse_rule(" + ".join(["a"] * 10_000) + " > 0")
    with pytest.raises(RuleSyntaxError, match="terms joined by one operator"):
        parse_rule(" * ".join(["2"] * 10_000) + " > 0")
    assert parse_rule(" + ".join(["a"] * 50) + " > 0") is not None


# --------------------------------------------------------------------------------------------- robustness

_TOKENS = ["a", "s", "cap", "1", "1_0", '"v"', "'w'", "true", "false", "not", "and", "or", "->", "<->", "==", "!=",
           "<", "<=", ">", ">=", "in", "contains", "size", "count", "(", ")", "{", "}", ",", "+", "-", "*", "=", "&&",
           ".", '"', "@"]


@settings(derandomize=True, max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=14))
def test_any_token_soup_parses_or_raises_rule_syntax_error(tokens):
    text = " ".join(tokens)
    try:
        parse_rule(text)
    except RuleSyntaxError as err:
        start, end = err.span
        assert 0 <= start <= end <= len(text) + 1
        assert err.message
