"""Shared helpers: running the `feasible` CLI in-process and writing scenario files into tmp_path."""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(autouse=True, scope="session")
def _private_scenario_cache(tmp_path_factory: pytest.TempPathFactory):
    """The whole run (subprocesses included) keeps validated scenarios in a directory of its own, never in the
    user's ~/.cache; tests of the cache itself point it elsewhere again."""
    os.environ["FEASIBLE_CACHE_DIR"] = str(tmp_path_factory.mktemp("scenario-cache"))


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def invoke(*args: str):
    """Run `feasible ARGS...` in-process; the result has exit_code, stdout and stderr (stderr kept apart)."""
    return CliRunner().invoke(app, list(args))


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
