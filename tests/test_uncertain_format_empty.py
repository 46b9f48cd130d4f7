"""Uncertain keys written with no value, and weights in neither form: `firm: null` (or `firm:`) is an error at the
key, not a firm red line; so is `p: null` on a reading and `weight: null`; every malformed weight says the forms a
weight takes."""

from __future__ import annotations

import pytest

from test_uncertain_format import HEAD, QUESTION, lake_problems, line_of, place, problems

FIRM_SAYS = "firm: has no value: it is the probability that the red line holds"
FIRM_HELP = "give a probability between 0 and 1, e.g. firm: 0.7, or remove firm: for a firm red line"
RANGE_HELP = ("a weight range is two whole numbers, the first below the second, e.g. weight: [1, 3]; or give one "
              "whole number, e.g. weight: 2")
NUMBER_HELP = ("give one whole number, e.g. weight: 2; a demand whose weight is uncertain takes a range: two whole "
               "numbers, the first below the second, e.g. weight: [1, 3]")

EMPTY = [  # (what replaces what in HEAD, the message, what it points at in the changed text, the help)
    (("rule: flag}", "rule: flag, firm: null}"), FIRM_SAYS, "firm: null", FIRM_HELP),
    (("rule: flag}", "rule: flag, firm: ~, firm_note: why}"), FIRM_SAYS, "firm: ~", FIRM_HELP),
    (("rule: flag}", "rule: flag,\n         firm: ,\n         firm_note: why}"), FIRM_SAYS, "firm: ,",
     FIRM_HELP),
    (("weight: 2}", "weight: null}"), "weight: has no value", "weight: null",
     "give one whole number, e.g. weight: 2, or remove weight: for a weight of 1"),
]
MALFORMED_WEIGHT = [  # (the weight written, the message, what it points at, the help)
    ("[1.5, 4]", "'weight' should be a whole number, not the number 1.5", "1.5, 4]", RANGE_HELP),
    ("[[1], 4]", "'weight' should be a whole number, not a list", "[1], 4]", RANGE_HELP),
    ("[null, 4]", "'weight' should be a whole number, not nothing", "null, 4]", RANGE_HELP),
    ("[1, x]", "'weight' should be a whole number, not the text 'x'", "x]", RANGE_HELP),
    ("{lo: 1, hi: 4}", "'weight' should be a whole number, not a mapping", "{lo: 1, hi: 4}", NUMBER_HELP),
    ("1.5", "'weight' should be a whole number, not the number 1.5", "1.5", NUMBER_HELP),
]


@pytest.mark.parametrize("change, message, marker, hint", EMPTY, ids=[e[2] for e in EMPTY])
def test_an_empty_key_is_an_error_at_the_key(tmp_path, change, message, marker, hint):
    text = HEAD.replace(*change)
    found = problems(tmp_path, text)
    assert [(d.message, d.hint) for d in found] == [(message, hint)]
    assert (found[0].location.line, found[0].location.column) == place(text, marker)


@pytest.mark.parametrize("written, message, marker, hint", MALFORMED_WEIGHT, ids=[m[0] for m in MALFORMED_WEIGHT])
def test_a_malformed_weight_says_the_forms_a_weight_takes(tmp_path, written, message, marker, hint):
    text = HEAD.replace("weight: 2}", f"weight: {written}}}")
    found = problems(tmp_path, text)
    assert [(d.message, d.hint) for d in found] == [(message, hint)]
    assert (found[0].location.line, found[0].location.column) == place(text, marker)


def test_an_empty_p_is_an_error_at_the_key(tmp_path):
    found = lake_problems(tmp_path, QUESTION.format(firm="null", soft="0.5", gone="0.5"))
    assert [(d.message, d.hint) for d in found] == [
        ("p: has no value: it is the probability of the reading among its question's",
         "give a probability between 0 and 1, e.g. p: 0.25, or remove p: from every reading of the question")]
    assert (found[0].location.line, found[0].location.column) == (line_of(tmp_path, "p: null"), 5)


def test_every_empty_p_is_said_rather_than_taken_for_none(tmp_path):
    found = lake_problems(tmp_path, QUESTION.format(firm="null", soft="null", gone="null"))
    assert len(found) == 3 and all(d.message.startswith("p: has no value") for d in found)
    assert len({d.location.line for d in found}) == 3
