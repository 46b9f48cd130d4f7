"""Start-up: `feasible import` and `feasible export` need only their help at start-up; the words of the genius
commands (cli/genius_words.py) are imported by those commands alone, and the help reads as before."""

from __future__ import annotations

import subprocess
import sys

import pytest

HELP = {
    "import": """Usage: feasible import [OPTIONS] COMMAND [ARGS]...

  Make a scenario from another tool's files.

Options:
  --help  Show this message and exit.

Commands:
  genius  A scenario directory from GENIUS XML (the ANAC domains).
""",
    "export": """Usage: feasible export [OPTIONS] COMMAND [ARGS]...

  Write a scenario in another tool's format.

Options:
  --help  Show this message and exit.

Commands:
  genius  GENIUS XML (a domain and one profile per party) from a scenario.
""",
}


@pytest.mark.parametrize("command", sorted(HELP))
def test_the_help_of_import_and_export_is_unchanged(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0 and result.stdout == HELP[command]


def test_the_command_line_starts_without_the_genius_words():
    code = "import sys, feasible.cli.app\nprint('feasible.cli.genius_words' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
