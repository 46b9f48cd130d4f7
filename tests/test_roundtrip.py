"""Property: any well-formed syntax tree printed with to_text parses back to an equal tree."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from feasible.positions.rules import parse_rule, to_text
from feasible.positions.rules.syntax import (COMPARISONS, KEYWORDS, And, Arith, BoolLit, Compare, Count, Iff, Implies,
                                             IntLit, Membership, Name, Neg, Not, Or, SetLit, Size, StrLit, children)

# Names include words that merely begin with a keyword, to check the tokenizer reads them whole.
NAME_POOL = ["a", "b", "cap", "x1", "lead_2", "s", "not_x", "in_force", "sizes", "android", "true_north", "_u"]
assert not set(NAME_POOL) & KEYWORDS

names = st.sampled_from(NAME_POOL).map(Name)
ints = st.integers(min_value=0, max_value=10**12).map(IntLit)
# Values may hold either quote character (never both: the language has no escapes) and spaces.
strings = st.text(alphabet="abcXY _-./é'\"", max_size=6).filter(lambda v: not ('"' in v and "'" in v)).map(StrLit)
bools = st.booleans().map(BoolLit)
set_lits = st.lists(st.one_of(ints, strings), max_size=3).map(lambda items: SetLit(tuple(items)))
leaves = st.one_of(names, ints, strings, bools, set_lits)


def _compare(children_: st.SearchStrategy) -> st.SearchStrategy:
    return st.integers(min_value=1, max_value=3).flatmap(lambda n: st.builds(
        lambda operands, ops: Compare(tuple(operands), tuple(ops)),
        st.lists(children_, min_size=n + 1, max_size=n + 1),
        st.lists(st.sampled_from(COMPARISONS), min_size=n, max_size=n)))


def _extend(children_: st.SearchStrategy) -> st.SearchStrategy:
    operands = st.lists(children_, min_size=2, max_size=4).map(tuple)
    return st.one_of(
        st.builds(Not, children_),
        st.builds(And, operands),
        st.builds(Or, operands),
        st.builds(Implies, children_, children_),
        st.builds(Iff, children_, children_),
        _compare(children_),
        st.builds(Membership, children_, children_, st.booleans()),
        st.builds(Arith, st.sampled_from(["+", "-", "*"]), children_, children_),
        st.builds(Neg, children_),
        st.builds(Size, children_),
        st.lists(children_, min_size=1, max_size=3).map(lambda ops: Count(tuple(ops))),
    )


trees = st.recursive(leaves, _extend, max_leaves=14)


@settings(derandomize=True, max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_printed_tree_parses_back_to_the_same_tree(tree):
    text = to_text(tree)
    assert parse_rule(text) == tree, text


@settings(derandomize=True, max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_printing_is_stable(tree):
    text = to_text(tree)
    assert to_text(parse_rule(text)) == text


def test_the_strategy_reaches_every_node_type():
    # Guard against a strategy that silently stops producing some node types. A fixed count, whatever the
    # hypothesis profile: the guard depends on it.
    seen: set[type] = set()

    @settings(derandomize=True, max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(trees)
    def collect(tree):
        stack = [tree]
        while stack:
            node = stack.pop()
            seen.add(type(node))
            stack.extend(children(node))

    collect()
    assert seen >= {BoolLit, IntLit, StrLit, Name, SetLit, Not, And, Or, Implies, Iff, Compare, Membership, Arith,
                    Neg, Size, Count}


@pytest.mark.parametrize("tree, text", [
    (Implies(Implies(Name("a"), Name("b")), Name("c")), "(a -> b) -> c"),
    (Implies(Name("a"), Implies(Name("b"), Name("c"))), "a -> b -> c"),
    (Iff(Name("a"), Iff(Name("b"), Name("c"))), "a <-> (b <-> c)"),
    (Iff(Iff(Name("a"), Name("b")), Name("c")), "a <-> b <-> c"),
    (And((Or((Name("a"), Name("b"))), Name("c"))), "(a or b) and c"),
    (Not(And((Name("a"), Name("b")))), "not (a and b)"),
    (Not(Compare((Name("a"), IntLit(1)), ("==",))), "not a == 1"),
    (Arith("-", Name("a"), Arith("-", Name("b"), Name("c"))), "a - (b - c)"),
    (Neg(Arith("+", Name("a"), IntLit(1))), "-(a + 1)"),
    (Membership(StrLit("v"), Name("s")), '"v" in s'),
    (StrLit('say "hi"'), """'say "hi"'"""),
])
def test_printer_adds_parentheses_only_where_needed(tree, text):
    assert to_text(tree) == text
    assert parse_rule(text) == tree
