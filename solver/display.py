"""Results that show themselves in a notebook: Jupyter calls a value's `_repr_html_`, and the results of the API
answer it with the HTML report's own parts, the same renderers `feasible report` uses.

Those renderers live in cli, which solver never imports. So the classes here only look their renderer up: the top
package's table `feasible.RENDERERS` names, for each result class, the function that shows it ("module:function"),
and that module is imported the first time a result is shown, not before (`import feasible` stays cheap).

A result shows its positions in the parties' words when it carries the scenario it answers for (`scenario`, set by
the function that made it; never compared, printed in repr, serialised or pickled); without it, by rule names."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def renderer(value: object) -> Callable[[Any], str] | None:
    """The function showing `value` as HTML: the one named for its class or the nearest base class; None if none
    is named."""
    table: dict[str, str] = import_module("feasible").RENDERERS  # the top package, where the layers meet
    for cls in type(value).__mro__:
        named = table.get(f"{cls.__module__}.{cls.__qualname__}")
        if named is not None:
            module, _, function = named.partition(":")
            return getattr(import_module(module), function)
    return None


class Shown:
    """A result that shows itself in a notebook (a mixin of the result dataclasses)."""

    def _repr_html_(self) -> str | None:
        show = renderer(self)
        return show(self) if show is not None else None

    def __getstate__(self) -> dict[str, Any]:
        """The scenario is a help to show the result, not part of it: results sent to other processes (the readings
        matrix's workers) stay as small as before; unpickled, they show rule names."""
        state = dict(self.__dict__)
        if "scenario" in state:
            state["scenario"] = None
        return state
