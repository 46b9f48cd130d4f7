"""The console command builds only the command asked for: what it prints is what the whole app prints."""

from __future__ import annotations

import pytest
from typer.main import get_command_name
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.cli.entry import only_the_command_asked

COMMANDS = [c.name or get_command_name(c.callback.__name__) for c in app.registered_commands]


@pytest.mark.parametrize("name", COMMANDS)
def test_one_command_built_alone_reads_as_in_the_whole_app(name):
    narrowed = only_the_command_asked(app, [name, "--help"])
    assert [c.callback for c in narrowed.registered_commands] == [
        c.callback for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__)) == name]
    runner = CliRunner()
    alone, whole = runner.invoke(narrowed, [name, "--help"]), runner.invoke(app, [name, "--help"])
    assert alone.exit_code == whole.exit_code == 0
    assert alone.output == whole.output


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["chek"], ["-x"]])
def test_the_command_list_and_a_misspelt_command_keep_the_whole_app(args):
    assert only_the_command_asked(app, args) is app


def test_the_whole_app_is_untouched():
    before = list(app.registered_commands)
    only_the_command_asked(app, ["check"])
    assert app.registered_commands == before and len(before) == len(COMMANDS) > 1
