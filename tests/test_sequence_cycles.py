"""Conflicts among order statements shown as the cycle they form (positions/sequences.py; check's presentation)."""

from __future__ import annotations

import json

import pytest

from conftest import DATA
from feasible.positions.rules import parse_rule
from feasible.positions.sequences import order_cycle, order_edge

CYCLE = DATA / "sequence-cycle"
SHOWN = ("Russia: withdrawal before ceasefire; Ukraine: ceasefire before referendum; "
         "Ukraine: referendum before withdrawal.")


@pytest.mark.parametrize("text, edge", [
    ("t.a before t.b", ("t", "a", "b")),
    ("t.a after t.b", ("t", "b", "a")),
    ("t.a < t.b", ("t", "a", "b")),
    ("t.a > t.b", ("t", "b", "a")),
    ("t.a <= t.b", None),
    ("t.a < t.b and t.b < t.c", None),
    ("t.a < 2", None),
    ("t.a < u.b", None),
    ("t.a < t.b < t.c", None),
])
def test_order_edge(text, edge):
    assert order_edge(parse_rule(text)) == edge


def test_order_cycle_follows_the_cycle_from_the_first_rule():
    edges = [("r/1", ("t", "b", "c")), ("r/2", ("t", "a", "b")), ("r/3", ("t", "c", "a"))]
    assert order_cycle(edges) == (("r/1", "b", "c"), ("r/3", "c", "a"), ("r/2", "a", "b"))
    assert order_cycle([("r/1", ("t", "a", "b")), ("r/2", ("t", "b", "a"))]) == (("r/1", "a", "b"), ("r/2", "b", "a"))


@pytest.mark.parametrize("edges", [
    [],
    [("r/1", ("t", "a", "b")), ("r/2", ("t", "b", "c"))],  # a path, not a cycle
    [("r/1", ("t", "a", "b")), ("r/2", ("t", "b", "a")), ("f/1", None)],  # another kind of rule in the conflict
    [("r/1", ("t", "a", "b")), ("r/2", ("t", "b", "a")), ("r/3", ("t", "c", "d")), ("r/4", ("t", "d", "c"))],
    [("r/1", ("t", "a", "b")), ("r/2", ("u", "b", "a"))],  # two sequences
    [("r/1", ("t", "a", "b")), ("r/2", ("t", "a", "c")), ("r/3", ("t", "b", "a")), ("r/4", ("t", "c", "a"))],
])
def test_order_cycle_is_none_unless_exactly_one_cycle(edges):
    assert order_cycle(edges) is None


def test_check_prints_a_cycle_of_order_demands_as_the_cycle_in_every_format(cli):
    text = cli("check", str(CYCLE))
    assert text.exit_code == 1 and f"1. {SHOWN}\n" in text.stdout
    assert f"### 1. {SHOWN}" in cli("check", str(CYCLE), "--format", "markdown").stdout
    assert SHOWN in cli("check", str(CYCLE), "--format", "html").stdout
    (conflict,) = json.loads(cli("check", str(CYCLE), "--format", "json").stdout)["conflicts"]
    assert conflict["summary"] == SHOWN
    assert conflict["cycle"] == [
        {"rule": "russia/withdrawal-first", "earlier": "withdrawal", "later": "ceasefire"},
        {"rule": "ukraine/ceasefire-first", "earlier": "ceasefire", "later": "referendum"},
        {"rule": "ukraine/referendum-first", "earlier": "referendum", "later": "withdrawal"}]


def test_a_conflict_with_another_rule_is_shown_as_any_conflict(write, cli):
    write("s.yaml", """
        title: t
        issues:
          timeline: {type: sequence, steps: [a, b, c], optional: [a, b]}
        facts:
          - {id: a-happens, says: a happens, rule: '"a" in timeline'}
        parties:
          - party: p
            name: P
            red_lines:
              - {id: a-first, says: a first, rule: a before b}
          - party: q
            name: Q
            red_lines:
              - {id: b-first, says: b first, rule: b before a}
        """)
    (conflict,) = json.loads(cli("check", "s.yaml", "--format", "json").stdout)["conflicts"]
    assert conflict["facts"] == ["facts/a-happens"] and "cycle" not in conflict
    assert conflict["summary"] == "P and Q collide over the timeline, given the assumption “a happens”."
    shipped = json.loads(cli("check", "ukraine-2026", "--format", "json").stdout)
    assert ["cycle" in c for c in shipped["conflicts"]] == [False, False]  # by default the order is a demand's
    read = json.loads(cli("check", "ukraine-2026", "--reading", "referendum-needs-ceasefire", "--format",
                          "json").stdout)
    # under the reading its order cycle (with a fact in it) is one; the force conflict (whose fact is no order
    # statement) and Donbas are not
    assert ["cycle" in c for c in read["conflicts"]] == [False, False, True]
