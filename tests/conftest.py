"""Shared helpers: running the `feasible` CLI in-process and writing scenario files into tmp_path."""

from __future__ import annotations

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
