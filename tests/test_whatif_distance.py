"""Issue 15 point 6: before and after always show how far each side is from a deal (the cost of the cheapest
relaxation and the number of disputes), so that "no deal → no deal" still shows progress.

tests/data/ukraine-c4e3764 is the Ukraine scenario as it was before it was revised (git c4e3764): three
independent disputes, the cheapest relaxations cost 3."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.positions import load_scenario
from feasible.solver import check
from feasible.solver.compare import Distance, compare, distance
from solver_support import GENEROUS

OLD_UKRAINE = str(Path(__file__).parent / "data" / "ukraine-c4e3764")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_no_deal_to_no_deal_shows_the_cost_falling():
    code, out = run("check", OLD_UKRAINE, "--drop", "nato/no-membership-bar", "--time-limit", str(GENEROUS),
                    "--format", "json")
    assert code == 1, out
    distance_doc = json.loads(out)["changes"]["distance"]
    assert distance_doc == {"before": {"cheapest_cost": 3, "disputes": 3, "disputes_complete": True},
                            "after": {"cheapest_cost": 2, "disputes": 2, "disputes_complete": True}}


def test_the_distance_line_in_text_markdown_and_html():
    line = "cheapest way to a deal: cost 3 → 2; disputes 3 → 2"
    args = ("check", OLD_UKRAINE, "--drop", "nato/no-membership-bar", "--time-limit", str(GENEROUS))
    assert line in run(*args)[1]
    assert line[0].upper() + line[1:] + "." in run(*args, "--format", "markdown")[1]
    assert line[0].upper() + line[1:] + "." in run(*args, "--format", "html")[1]


def test_a_deal_is_at_distance_zero():
    code, out = run("check", "ceasefire-basics", "--drop", "red_side/deep-buffer", "--format", "json")
    assert code == 0, out
    doc = json.loads(out)["changes"]["distance"]
    assert doc["after"] == {"cheapest_cost": 0, "disputes": 0, "disputes_complete": True}
    assert doc["before"]["cheapest_cost"] == 1 and doc["before"]["disputes"] == 1


def test_diff_shows_the_distance_too():
    code, out = run("diff", OLD_UKRAINE, "ukraine-2026", "--format", "json")
    assert code == 1, out
    doc = json.loads(out)["changes"]["distance"]
    assert doc["before"]["cheapest_cost"] == 3 and doc["before"]["disputes"] == 3
    assert doc["after"]["cheapest_cost"] == 2 and doc["after"]["disputes"] == 2


def test_distance_of_each_verdict():
    scenario = load_scenario(OLD_UKRAINE)
    result = check(scenario, time_limit=GENEROUS)
    assert distance(result) == Distance(3, 3, True)
    assert compare(result, result).distance_after == Distance(3, 3, True)
    assert distance(check(scenario, time_limit=GENEROUS, relaxations=0)) == Distance(None, 3, True)
