"""GENIUS's utility straight from the XML, as GENIUS 10.4 defines it, for checking the importer: shares nothing with
feasible.positions.genius (ElementTree reads the trusted test files; every number exact)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any


def exact(text: str) -> Fraction:
    return Fraction(Decimal(text.strip()))


def domain_issues(domain: Path) -> list[tuple[int, str, list[str] | tuple[int, int]]]:
    """(index, name, items or (lowerbound, upperbound)) per issue, in file order."""
    issues = []
    for issue in ET.parse(domain).getroot().iter("issue"):
        items = [item.get("value") for item in issue.findall("item")]
        if items:
            issues.append((int(issue.get("index")), issue.get("name"), items))
        else:
            issues.append((int(issue.get("index")), issue.get("name"),
                           (int(issue.get("lowerbound")), int(issue.get("upperbound")))))
    return issues


def genius_utility(profile: Path, deal: Mapping[int, Any]) -> Fraction:
    """The utility GENIUS gives the outcome `deal` (issue index → item value or whole number), exact."""
    root = ET.parse(profile).getroot()
    utility = root.find(".//utility")
    if utility is not None:
        total = Fraction(0)
        for rectangle in utility.iter("hyperRectangle"):
            if all(int(b.get("min")) <= deal[int(b.get("index"))] <= int(b.get("max"))
                   for b in rectangle.iter("INCLUDES")):
                total += exact(rectangle.get("utility"))
        return min(Fraction(1), total / exact(utility.get("maxutility")))
    weights = {int(w.get("index")): exact(w.get("value")) for w in root.iter("weight")}
    total = Fraction(0)
    for issue in root.iter("issue"):
        index = int(issue.get("index"))
        total += weights[index] * _evaluation(issue, deal[index])
    return total


def _evaluation(issue: ET.Element, value: Any) -> Fraction:
    evaluator = issue.find("evaluator")
    if evaluator is None:
        # the issue's own items, as GENIUS reads them (y2011/Car nests other items in a similarity_function)
        scores = {item.get("value"): exact(item.get("evaluation")) for item in issue.findall("item")}
        best = max(scores.values())
        return scores.get(value, Fraction(0)) / best if best else Fraction(0)
    line = exact(evaluator.get("slope")) * (value - exact(issue.get("lowerbound"))) + exact(evaluator.get("offset"))
    return min(max(line, Fraction(0)), Fraction(1))


def reservation(profile: Path) -> Fraction:
    found = ET.parse(profile).getroot().find("reservation")
    return exact(found.get("value")) if found is not None else Fraction(0)


def deal_of(scenario_issue_names: Sequence[str], genius: Sequence[tuple[int, str, Any]],
            values: Sequence[Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    """One outcome in both vocabularies: the scenario's deal (issue name → value) and GENIUS's (index → value)."""
    return (dict(zip(scenario_issue_names, values)),
            {index: value for (index, _, _), value in zip(genius, values)})
