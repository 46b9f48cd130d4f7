"""The rule language: syntax tree, parser, printer and type checker.

The parser and the checker are imported on first use (PEP 562): the solver needs only the syntax tree, and
every command pays for what it imports.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .checker import RuleProblem, Types, TyKind, check_rule
    from .parser import RuleSyntaxError, parse_rule
    from .printer import to_text

__all__ = ["RuleProblem", "RuleSyntaxError", "TyKind", "Types", "check_rule", "parse_rule", "to_text"]
_HOME = {"RuleProblem": "checker", "TyKind": "checker", "Types": "checker", "check_rule": "checker",
         "RuleSyntaxError": "parser", "parse_rule": "parser", "to_text": "printer"}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
