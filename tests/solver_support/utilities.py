"""Utility blocks for property tests: random blocks over the strategies' tiny issues, the reservation values to go
with them, and a compiled model pinned to one deal (to read the solver's utility there)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from feasible.solver import cpsat
from feasible.solver.compile import Compiled


def pinned(compiled: Compiled, deal: Mapping[str, Any]) -> cpsat.Model:
    """A copy of the compiled model in which every issue takes its value in `deal`."""
    model = compiled.model.clone()
    for name, value in deal.items():
        iv = compiled.issues[name]
        model.add_bool_or([iv.encoder.differs(model, iv, value).Not()])
    return model
