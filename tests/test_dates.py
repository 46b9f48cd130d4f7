"""Issue 16 point 4: positions over time. `valid_from` / `valid_until` on rules, `as_of:` in scenario.yaml,
`--as-of DATE`; every bad date is a located error (exit 2, no traceback); a scenario's dated versions of one rule
never reach the solver together."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import invoke
from feasible.positions import UserError, load_scenario
from feasible.positions.dates import as_of, parse_day
from feasible.positions.errors import InvalidScenario
from feasible.solver import check
from solver_support import GENEROUS

HEAD = """\
title: Dated
{as_of}issues:
  lead:
    values: [a, b, c]
  troops:
    type: int
    min: 0
    max: 10
parties:
  - party: p
    red_lines:
      - id: lead-a
        says: p wants a.
        rule: lead == "a"
        valid_until: 2026-01-10
      - id: lead-a
        says: p now wants b.
        rule: lead == "b"
        valid_from: 2026-01-10
    demands:
      - id: big
        says: big
        rule: troops >= 5
        valid_from: '2026-01-05'
  - party: q
    red_lines:
      - id: not-b
        says: q does not want b.
        rule: lead != "b"
        valid_from: 2026-01-01
        valid_until: 2026-01-20
"""


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def scenario_file(tmp_path: Path, as_of_line: str = "") -> Path:
    return write(tmp_path, HEAD.format(as_of=as_of_line))


def names(scenario) -> list[tuple[str, str]]:
    return [(r.name, r.says) for r in scenario.rules()]


# -- semantics ----------------------------------------------------------------------------------------------------

def test_versions_of_one_rule_with_ranges_that_do_not_overlap_load(tmp_path):
    loaded = load_scenario(scenario_file(tmp_path), versions=True)
    assert [n for n, _ in names(loaded)] == ["p/lead-a", "p/lead-a", "p/big", "q/not-b"]
    assert loaded.dates == (date(2026, 1, 1), date(2026, 1, 5), date(2026, 1, 10), date(2026, 1, 20))
    assert loaded.party("p").demands[0].valid_from == date(2026, 1, 5)  # quoted and unquoted dates read alike


def test_as_of_keeps_the_rules_valid_that_day(tmp_path):
    loaded = load_scenario(scenario_file(tmp_path), versions=True)
    assert names(as_of(loaded, date(2026, 1, 9))) == [("p/lead-a", "p wants a."), ("p/big", "big"),
                                                     ("q/not-b", "q does not want b.")]
    # valid_until is exclusive: on the day a version is superseded, the new one holds
    assert names(as_of(loaded, date(2026, 1, 10)))[0] == ("p/lead-a", "p now wants b.")
    assert [n for n, _ in names(as_of(loaded, date(2025, 12, 31)))] == ["p/lead-a"]
    assert as_of(loaded, date(2025, 12, 31)).party("q").red_lines == ()  # a party without rules that day stays


def test_without_a_day_the_scenario_stands_after_its_last_change(tmp_path):
    loaded = load_scenario(scenario_file(tmp_path), versions=True)
    latest = as_of(loaded)
    assert names(latest) == [("p/lead-a", "p now wants b."), ("p/big", "big")]
    assert latest.as_of is None
    assert load_scenario(scenario_file(tmp_path)) == latest  # what load_scenario gives by default


def test_the_scenarios_own_as_of_is_the_default(tmp_path):
    path = scenario_file(tmp_path, "as_of: 2026-01-07\n")
    default = load_scenario(path)
    assert default.as_of == date(2026, 1, 7)
    assert [says for _, says in names(default)] == ["p wants a.", "big", "q does not want b."]
    assert names(as_of(load_scenario(path, versions=True), date(2026, 1, 15)))[0] == ("p/lead-a", "p now wants b.")


def test_the_solver_refuses_two_versions_of_one_rule(tmp_path):
    with pytest.raises(UserError, match="holds every dated version of its positions") as caught:
        check(load_scenario(scenario_file(tmp_path), versions=True), time_limit=GENEROUS)
    assert "take it as of a day first" in (caught.value.hint or "")


def test_a_scenario_taken_as_of_a_day_cannot_be_taken_as_of_another(tmp_path):
    """It has lost the other days' positions: answering for another day from it would be silently wrong."""
    taken = load_scenario(scenario_file(tmp_path))
    assert as_of(taken) is taken  # its own day again: nothing lost
    with pytest.raises(UserError, match="already taken") as caught:
        as_of(taken, date(2020, 1, 1))
    assert "versions=True" in (caught.value.hint or "")


def test_an_undated_scenario_is_unchanged():
    loaded = load_scenario("ceasefire-basics", versions=True)
    assert loaded.dates == () and as_of(loaded) is loaded and load_scenario("ceasefire-basics") == loaded


def test_headline_red_lines_out_of_date_drop_the_headline():
    loaded = load_scenario("ukraine-2026", versions=True)
    assert as_of(loaded, date(2026, 1, 6)).headline == ("europe/european-led-force", "russia/no-western-troops")
    assert as_of(loaded, date(2026, 1, 5)).headline == ()


def test_accept_at_least_is_measured_on_the_demands_valid_that_day(tmp_path):
    path = write(tmp_path, """\
title: Level
issues:
  x: {type: int, min: 0, max: 3}
parties:
  - party: p
    accept_at_least: 100
    demands:
      - {id: low, says: low, rule: x <= 1, valid_until: 2026-01-02}
      - {id: high, says: high, rule: x >= 2}
""")
    loaded = load_scenario(path, versions=True)
    assert check(as_of(loaded, date(2026, 1, 1)), time_limit=GENEROUS).verdict.value == "no-deal"
    assert check(as_of(loaded, date(2026, 1, 2)), time_limit=GENEROUS).verdict.value == "deal"


# -- the command line ---------------------------------------------------------------------------------------------

def test_check_as_of_says_the_day_in_every_format(tmp_path):
    path = str(scenario_file(tmp_path))
    doc = json.loads(invoke("check", path, "--as-of", "2026-01-09", "--format", "json").stdout)
    assert doc["as_of"] == "2026-01-09"
    for output in ("text", "markdown", "html"):
        assert "Positions as of 2026-01-09." in invoke("check", path, "--as-of", "2026-01-09",
                                                       "--format", output).stdout
    assert "as_of" not in json.loads(invoke("check", "ceasefire-basics", "--format", "json").stdout)


def test_check_as_of_equals_a_check_of_the_rules_valid_that_day(tmp_path):
    dated = json.loads(invoke("check", str(scenario_file(tmp_path)), "--as-of", "2026-01-09", "--format",
                              "json").stdout)
    plain = tmp_path / "plain"
    plain.mkdir()
    write(plain, """\
title: Dated
issues:
  lead:
    values: [a, b, c]
  troops:
    type: int
    min: 0
    max: 10
parties:
  - party: p
    red_lines:
      - {id: lead-a, says: p wants a., rule: lead == "a"}
    demands:
      - {id: big, says: big, rule: troops >= 5}
  - party: q
    red_lines:
      - {id: not-b, says: q does not want b., rule: lead != "b"}
""")
    undated = json.loads(invoke("check", str(plain / "scenario.yaml"), "--format", "json").stdout)
    for doc in (dated, undated):
        doc.pop("statistics", None)
    assert dated.pop("as_of") == "2026-01-09"
    assert dated == undated


@pytest.mark.parametrize("command", [["check"], ["report"], ["graph"], ["lint"], ["explain", "lead=a"]])
def test_other_commands_take_as_of(tmp_path, command):
    path = str(scenario_file(tmp_path))
    result = invoke(command[0], path, *command[1:], "--as-of", "2026-01-09")
    assert result.exit_code in (0, 1), result.output
    assert "as of 2026-01-09" in result.stdout


def test_lint_json_says_the_day_and_an_ignore_entry_may_name_any_version(tmp_path):
    text = HEAD.format(as_of="") + "lint:\n  ignore:\n    - {code: FL205, rule: q/not-b, reason: kept}\n"
    path = str(write(tmp_path, text))
    result = invoke("lint", path, "--format", "json", "--as-of", "2026-01-25")  # q/not-b no longer holds
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == "2026-01-25"


def test_diff_takes_both_sides_as_of_the_day(tmp_path):
    path = str(scenario_file(tmp_path))
    result = invoke("diff", path, path, "--as-of", "2026-01-09", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["old"]["as_of"] == doc["new"]["as_of"] == "2026-01-09"
    assert doc["positions"]["rules_changed"] == {}


def test_the_shipped_ukraine_scenario_answers_as_before_by_default():
    doc = json.loads(invoke("check", "--format", "json").stdout)
    assert doc["as_of"] == "2026-01-08"
    assert sorted(c["red_lines"] for c in doc["conflicts"]) == [
        ["europe/european-led-force", "russia/no-western-troops"],
        ["russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal"]]
    before_paris = json.loads(invoke("check", "--as-of", "2026-01-05", "--format", "json").stdout)
    assert [c["red_lines"] for c in before_paris["conflicts"]] == [
        ["russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal"]]


# -- bad input: located, exit 2, no traceback ---------------------------------------------------------------------

def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


@pytest.mark.parametrize("written, message", [
    ("2025-13-01", "'2025-13-01' is not a date: month must be in 1..12"),
    ("2025-02-30", "'2025-02-30' is not a date"),
    ("'tomorrow'", "'tomorrow' is not a date written YYYY-MM-DD"),
    ("'2025-1-5'", "'2025-1-5' is not a date written YYYY-MM-DD"),
    ("20251201", "'20251201' is not a date written YYYY-MM-DD"),
    ("[2025]", "is not a date written YYYY-MM-DD"),
])
def test_a_rule_date_that_is_not_a_date_is_located(tmp_path, written, message):
    text = HEAD.format(as_of="").replace("valid_from: '2026-01-05'", f"valid_from: {written}")
    path = write(tmp_path, text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip().startswith("valid_from: " + written))
    assert_refused(invoke("check", str(path)), message, f"scenario.yaml:{line}:")


def test_valid_from_not_before_valid_until_is_located(tmp_path):
    text = HEAD.format(as_of="").replace("valid_until: 2026-01-20", "valid_until: 2026-01-01")
    line = text.splitlines().index("        valid_until: 2026-01-01") + 1
    assert_refused(invoke("check", str(write(tmp_path, text))),
                   "valid_until (2026-01-01) is not after valid_from (2026-01-01)", f"scenario.yaml:{line}:22")


def test_two_versions_that_hold_on_the_same_day_are_located(tmp_path):
    text = HEAD.format(as_of="").replace("        valid_from: 2026-01-10\n", "        valid_from: 2026-01-09\n")
    result = invoke("check", str(write(tmp_path, text)))
    assert_refused(result, "id 'lead-a' is used twice in party 'p' (also at", "both versions hold on some day",
                   "end the earlier one with valid_until")
    undated = HEAD.format(as_of="").replace("        valid_until: 2026-01-10\n", "").replace(
        "        valid_from: 2026-01-10\n", "")
    assert_refused(invoke("check", str(write(tmp_path, undated))), "id 'lead-a' is used twice in party 'p'",
                   "ids are unique within a party")


def test_two_fact_versions_that_overlap_are_located(tmp_path):
    text = HEAD.format(as_of="").replace("parties:\n", """\
facts:
  - {id: f, says: f, rule: troops <= 9, valid_until: 2026-01-05}
  - {id: f, says: g, rule: troops <= 8, valid_from: 2026-01-05}
  - {id: f, says: h, rule: troops <= 7, valid_from: 2026-01-04}
parties:
""")
    assert_refused(invoke("check", str(write(tmp_path, text))), "fact id 'f' is used twice (also at",
                   "scenario.yaml:12:10")


def test_a_bad_as_of_in_scenario_yaml_is_located(tmp_path):
    path = scenario_file(tmp_path, "as_of: 2026-04-31\n")
    assert_refused(invoke("check", str(path)), "'2026-04-31' is not a date", "scenario.yaml:2:")


def test_a_bad_date_in_an_overlay_is_located(tmp_path):
    path = scenario_file(tmp_path)
    overlay = write(tmp_path, "parties:\n  - party: q\n    red_lines:\n      - {id: new, says: n, rule: troops > 1, "
                              "valid_from: 2026-00-01}\n", "overlay.yaml")
    assert_refused(invoke("check", str(path), "--as-of", "2026-01-09", "--with", str(overlay)),
                   "'2026-00-01' is not a date", "overlay.yaml:4:")


@pytest.mark.parametrize("command", [["check"], ["report"], ["graph"], ["lint"], ["explain", "lead=a"],
                                     ["diff", "ceasefire-basics"]])
@pytest.mark.parametrize("day, message", [("2026-13-01", "not a date: month must be in 1..12"),
                                          ("yesterday", "not a date written YYYY-MM-DD"),
                                          ("2026-1-1", "not a date written YYYY-MM-DD")])
def test_a_bad_as_of_on_the_command_line_is_a_usage_error(tmp_path, command, day, message):
    assert_refused(invoke(command[0], "ceasefire-basics", *command[1:], "--as-of", day), f"--as-of '{day}' is",
                   message)


def test_parse_day():
    assert parse_day("2026-01-08") == date(2026, 1, 8)
    with pytest.raises(UserError):
        parse_day("2026-W01-1")


def test_edit_refuses_as_of_and_edits_of_a_versioned_rule(tmp_path):
    path = str(scenario_file(tmp_path))
    assert_refused(invoke("edit", path, "--as-of", "2026-01-09", "--drop", "q/not-b"), "--as-of does not apply")
    assert_refused(invoke("edit", path, "--drop", "p/lead-a"), "the files hold dated versions of p/lead-a")
    result = invoke("edit", path, "--drop", "q/not-b", "--write")
    assert result.exit_code == 0, result.output
    assert "not-b" not in Path(path).read_text() and Path(path).read_text().count("valid_") == 3


def test_edit_writes_the_dates_of_a_rule_an_overlay_puts(tmp_path):
    path = scenario_file(tmp_path)
    overlay = write(tmp_path, "parties:\n  - party: q\n    red_lines:\n      - {id: new, says: n, rule: troops > 1, "
                              "valid_from: 2026-01-03}\n", "overlay.yaml")
    result = invoke("edit", str(path), "--with", str(overlay), "--write")
    assert result.exit_code == 0, result.output
    rule = load_scenario(path, versions=True).rule("q/new")
    assert rule.valid_from == date(2026, 1, 3)


def test_a_date_error_is_never_an_invalid_scenario_without_location(tmp_path):
    text = HEAD.format(as_of="").replace("valid_until: 2026-01-20", "valid_until: 2026-01-01")
    with pytest.raises(InvalidScenario) as raised:
        load_scenario(write(tmp_path, text))
    assert all(d.location is not None for d in raised.value.diagnostics)


BASE = """\
title: base
issues:
  a: {type: bool}
parties:
  - party: q
    name: Q
    red_lines:
      - {id: no-a, says: Not A., rule: not a, valid_from: 2026-01-01}
  - party: p
    name: P
    demands:
      - {id: likes-a, says: A., rule: a}
"""
LATER_RED_LINE = """\
    red_lines:
      - {id: wants-a, says: A from 2027., rule: a, valid_from: 2027-01-01}
"""


@pytest.mark.parametrize("how", ["overlay", "reading"])
def test_a_dated_rule_an_edit_or_a_reading_brings_holds_only_on_its_days(tmp_path, how):
    """The rules a --with overlay or a reading puts in place are dated like the files' own: on a day before
    their valid_from they do not hold (a position of 2027 is no conflict in 2026)."""
    head = tmp_path / "base.yaml"
    if how == "overlay":
        head.write_text(BASE)
        (tmp_path / "later.yaml").write_text("parties:\n  - party: p\n" + LATER_RED_LINE)
        args = ["--with", str(tmp_path / "later.yaml")]
    else:
        head.write_text(BASE + "readings:\n  later:\n    title: P insists from 2027\n    parties:\n"
                        "      - party: p\n" + "\n".join("    " + line for line in LATER_RED_LINE.splitlines()) + "\n")
        args = ["--reading", "later"]
    before = invoke("check", str(head), *args, "--as-of", "2026-06-01", "--format", "json")
    assert before.exit_code == 0, before.output  # a deal: the 2027 red line does not hold yet
    after = invoke("check", str(head), *args, "--as-of", "2027-06-01", "--format", "json")
    assert after.exit_code == 1, after.output
    assert json.loads(after.stdout)["conflicts"][0]["red_lines"] == ["p/wants-a", "q/no-a"]


def test_edit_refuses_a_weight_on_a_demand_with_dated_versions(tmp_path):
    head = tmp_path / "v.yaml"
    head.write_text(BASE.replace("      - {id: likes-a, says: A., rule: a}\n",
                                 "      - {id: likes-a, says: A., rule: a, valid_until: 2026-02-01}\n"
                                 "      - {id: likes-a, says: A more., rule: a, valid_from: 2026-02-01}\n"))
    done = invoke("edit", str(head), "--weight", "p/likes-a=3")
    assert done.exit_code == 2, done.output
    assert "the files hold dated versions of p/likes-a" in done.output and "Traceback" not in done.output


def test_a_dated_scenario_without_a_day_says_its_positions_are_those_after_the_last_change(tmp_path):
    head = tmp_path / "until.yaml"
    head.write_text(BASE.replace("valid_from: 2026-01-01", "valid_until: 2026-01-01"))
    for output in ("text", "markdown", "html"):
        shown = invoke("check", str(head), "--format", output).stdout
        assert "Positions after their last dated change (2026-01-01): those with no valid_until." in shown


@pytest.mark.parametrize("edit", [["--drop", "q/no-a"], ["--drop", "q/*"], ["--demote", "q/no-a"]])
def test_an_edit_naming_a_rule_that_does_not_hold_that_day_says_when_it_does(tmp_path, edit):
    head = tmp_path / "base.yaml"
    head.write_text(BASE)
    done = invoke("check", str(head), *edit, "--as-of", "2025-06-01")
    assert done.exit_code == 2, done.output
    assert "q/no-a holds from 2026-01-01, not on the positions taken as of 2025-06-01" in done.output
    assert "--as-of 2026-01-01" in done.output


def test_a_weight_on_a_demand_that_does_not_hold_that_day_says_when_it_does(tmp_path):
    head = tmp_path / "base.yaml"
    head.write_text(BASE.replace("{id: likes-a, says: A., rule: a}", "{id: likes-a, says: A., rule: a, "
                                                                      "valid_until: 2026-01-01}"))
    done = invoke("check", str(head), "--weight", "p/likes-a=2", "--as-of", "2026-03-01")
    assert done.exit_code == 2, done.output
    assert "p/likes-a holds until 2026-01-01 (exclusive)" in done.output and "--as-of 2025-12-31" in done.output


def test_diff_says_which_day_each_side_stands_at():
    same = invoke("diff", "ukraine-2026", "ukraine-2026", "--as-of", "2025-12-01")
    assert same.stdout.startswith("Positions as of 2025-12-01.\n"), same.stdout
    assert "Positions as of 2025-12-01." in invoke("diff", "ukraine-2026", "ukraine-2026", "--as-of", "2025-12-01",
                                                   "--format", "markdown").stdout
    apart = invoke("diff", "ceasefire-basics", "ukraine-2026")
    assert "undated → Positions as of 2026-01-08." in apart.stdout


def test_an_overlays_dates_on_an_undated_scenario_count_only_once_a_day_is_taken(tmp_path):
    """With no dated position and no day, nothing says which day an overlay's dated rule is read on: it holds;
    --as-of names the day, and then its dates count."""
    head = tmp_path / "base.yaml"
    head.write_text(BASE.replace(", valid_from: 2026-01-01", ""))
    (tmp_path / "later.yaml").write_text("parties:\n  - party: p\n" + LATER_RED_LINE)
    undated = invoke("check", str(head), "--with", str(tmp_path / "later.yaml"), "--format", "json")
    assert undated.exit_code == 1, undated.output  # the 2027 red line holds: no day says otherwise
    on_a_day = invoke("check", str(head), "--with", str(tmp_path / "later.yaml"), "--as-of", "2026-06-01")
    assert on_a_day.exit_code == 0, on_a_day.output
