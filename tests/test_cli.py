"""The `feasible` command line, run in-process through typer's CliRunner."""

from __future__ import annotations

import json
import re
from importlib.metadata import version

import pytest

from feasible.cli.exitcodes import ExitCode
from conftest import strip_ansi
from feasible.positions import DEFAULT_SCENARIO, shipped_scenarios


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"feasible {version('feasible')}"
    assert re.fullmatch(r"feasible \d+\.\d+\.\d+\S*", result.stdout.strip())


def test_help_lists_the_commands(cli):
    result = cli("--help")
    assert result.exit_code == 0, result.output
    out = strip_ansi(result.stdout)
    for command in ("validate", "scenarios", "schema"):
        assert re.search(rf"^\s+{command}\s+\S", out, flags=re.MULTILINE), out
    assert "--version" in out
    assert "package deal" in out
    assert "PATH" in out


@pytest.mark.parametrize("command", ["validate", "scenarios", "schema"])
def test_every_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0, result.output
    assert f"Usage: feasible {command}" in strip_ansi(result.stdout)


def test_validate_help_mentions_exit_codes_and_default(cli):
    out = strip_ansi(cli("validate", "--help").stdout)
    assert "Exit code 0 when valid, 2 when not" in out
    assert DEFAULT_SCENARIO in out


def test_no_arguments_shows_help(cli):
    result = cli()
    assert "Usage: feasible" in strip_ansi(result.output)
    assert "validate" in result.output


def test_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.exit_code == ExitCode.USER_ERROR
    assert "frobnicate" in result.output


def test_scenarios_lists_every_shipped_scenario(cli):
    result = cli("scenarios")
    assert result.exit_code == 0, result.output
    out = strip_ansi(result.stdout)
    listed = re.findall(r"^(\S+)  ", out, flags=re.MULTILINE)
    assert listed == list(shipped_scenarios())
    assert DEFAULT_SCENARIO in listed
    assert re.search(r"\d+ parties?, \d+ issues?, \d+ red lines?, \d+ demands?, \d+ facts?", out)


def test_schema_prints_json_schema_of_both_file_kinds(cli):
    result = cli("schema")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert {"ScenarioFile", "PartyFile"} <= set(schema["$defs"])
    assert schema["$schema"].startswith("https://json-schema.org/")
    refs = {option["$ref"] for option in schema["anyOf"]}
    assert refs == {"#/$defs/ScenarioFile", "#/$defs/PartyFile"}
    scenario_props = schema["$defs"]["ScenarioFile"]["properties"]
    assert {"title", "issues", "facts", "parties", "sources", "description"} <= set(scenario_props)
    assert set(schema["$defs"]["ScenarioFile"]["required"]) == {"title", "issues"}
    party_props = schema["$defs"]["PartyFile"]["properties"]
    assert {"party", "name", "red_lines", "demands", "accept_at_least"} <= set(party_props)
    assert schema["$defs"]["PartyFile"]["additionalProperties"] is False
    # every $ref resolves inside the document
    for ref in re.findall(r'"\$ref": "#/\$defs/([^"]+)"', result.stdout):
        assert ref in schema["$defs"], ref


def test_schema_kind_party(cli):
    result = cli("schema", "--kind", "party")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["title"] == "PartyFile"
    assert "party" in schema["required"]
    assert {"red_lines", "demands"} <= set(schema["properties"])
    assert "issues" not in schema["properties"]


def test_schema_kind_scenario(cli):
    result = cli("schema", "--kind", "scenario")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["title"] == "ScenarioFile"
    assert "issues" in schema["properties"]


def test_schema_kind_bogus(cli):
    result = cli("schema", "--kind", "bogus")
    assert result.exit_code == ExitCode.USER_ERROR == 2
    assert result.stdout == ""
    assert "unknown schema kind 'bogus'" in result.stderr
    assert "scenario, party or any" in result.stderr


def test_validate_without_path_checks_the_ukraine_scenario(cli):
    result = cli("validate")
    assert result.exit_code == 0, result.output
    out = strip_ansi(result.stdout)
    assert "Ukraine" in out
    parties = set(re.findall(r"^(\S+)\s", out.split("party", 1)[1], flags=re.MULTILINE))
    assert {"ukraine", "russia", "us", "europe"} <= parties
    assert re.search(r"\d+ parties, \d+ issues, \d+ red lines, \d+ demands, \d+ facts", out)
    assert out.rstrip().endswith("valid")
    assert result.stderr == ""


def test_validate_by_shipped_name(cli):
    by_name = cli("validate", DEFAULT_SCENARIO)
    assert by_name.exit_code == 0, by_name.output
    assert by_name.stdout == cli("validate").stdout


@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_validate_every_shipped_scenario_by_name(cli, name):
    result = cli("validate", name)
    assert result.exit_code == 0, result.output
    assert strip_ansi(result.stdout).rstrip().endswith("valid")


def test_validate_counts_match_the_scenario(cli):
    from feasible.positions import load_scenario

    scenario = load_scenario()
    out = strip_ansi(cli("validate").stdout)
    assert (f"{len(scenario.parties)} parties, {len(scenario.issues)} issues, {len(scenario.red_lines)} red lines, "
            f"{len(scenario.demands)} demands, {len(scenario.facts)} facts") in out


def test_validate_a_valid_directory(cli, write):
    write("scen/scenario.yaml", "title: Tiny\nissues:\n  x: {type: bool}\n")
    write("scen/a.yaml", "party: a\nred_lines:\n  - {id: r, says: x, rule: x}\n")
    result = cli("validate", "scen")
    assert result.exit_code == 0, result.output
    out = strip_ansi(result.stdout)
    assert out.startswith("Tiny\n")
    assert "scen: 2 files" in out
    assert "1 party, 1 issue, 1 red line, 0 demands, 0 facts" in out


def test_validate_an_invalid_file_exits_2_with_located_errors(cli, write):
    write("s.yaml", "title: t\nissues:\n  x: {type: bool}\nfacts:\n  - {id: f, says: x, rule: y}\n")
    result = cli("validate", "s.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    err = strip_ansi(result.stderr)
    assert "error: unknown issue 'y'" in err
    assert " --> s.yaml:5:" in err
    assert "1 problem in 1 file; the scenario is not valid." in err
    assert "Traceback" not in result.output


def test_validate_unknown_path(cli, write):
    result = cli("validate", "no/such/place")
    assert result.exit_code == 2
    assert "no scenario at 'no/such/place'" in result.stderr
    assert "ukraine-2026" in result.stderr  # the hint lists the shipped scenarios
