"""Helpers for the tests of the warm engine (solver/live.py): every stage of one answer, and the shipped scenario
as the server takes it."""

from __future__ import annotations

from feasible.positions import load_scenario
from feasible.positions.dates import as_of
from feasible.positions.model import Scenario
from feasible.solver.live import Ask, Live
from feasible.solver.search import Control


def answered(live: Live, ask: Ask) -> list:
    """Every stage `live` emits for `ask`, in order."""
    stages: list = []
    live.answer(ask, Control(), stages.append)
    return stages


def taken_ukraine() -> Scenario:
    """The shipped Ukraine scenario as every command takes it without --as-of: every version loaded, then taken
    as of its own day."""
    return as_of(load_scenario(None, versions=True), None)
