"""Shared helpers: running the `feasible` CLI in-process and writing scenario files into tmp_path; the hypothesis
profiles (docs/testing.md)."""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from feasible.cli.app import app

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# -- hypothesis profiles, chosen by HYPOTHESIS_PROFILE ---------------------------------------------------------------
# A property test states its example count as CI runs it, through examples(n); a profile scales every count by its
# max_examples over 100 (hypothesis' own default, which the ci profile keeps). nightly also runs tests/test_nightly.py.
PROFILE_EXAMPLES = {"dev": 10, "ci": 100, "nightly": 1000}
for _name, _max_examples in PROFILE_EXAMPLES.items():
    settings.register_profile(_name, max_examples=_max_examples, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in PROFILE_EXAMPLES:
    raise pytest.UsageError(f"HYPOTHESIS_PROFILE={PROFILE!r}: choose one of {', '.join(PROFILE_EXAMPLES)}")
settings.load_profile(PROFILE)


def examples(ci_count: int) -> int:
    """The example count for a property test that CI runs with `ci_count` examples, under the loaded profile."""
    return max(1, ci_count * settings.default.max_examples // PROFILE_EXAMPLES["ci"])


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def invoke(*args: str):
    """Run `feasible ARGS...` in-process; the result has exit_code, stdout and stderr (stderr kept apart)."""
    return CliRunner().invoke(app, list(args))


@pytest.fixture(autouse=True, scope="session")
def _piped_output_width() -> Iterator[None]:
    """Output is laid out as when piped, whoever runs the suite: a terminal's exported COLUMNS, or the COLUMNS=80
    found set inside pytest-xdist workers, would otherwise wrap the text the tests compare (tests that want a width
    set COLUMNS themselves)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("COLUMNS", raising=False)
        patch.delenv("LINES", raising=False)
        yield


@pytest.fixture
def cli() -> Callable:
    return invoke


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Path]:
    """write(relative_name, text) -> path; dedents the text. The working directory becomes tmp_path, so
    diagnostics name files relative to it (e.g. 'scen/russia.yaml')."""
    monkeypatch.chdir(tmp_path)

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write
