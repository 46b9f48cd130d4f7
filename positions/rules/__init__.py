"""The rule language: syntax tree, parser, printer and type checker."""

from .checker import RuleProblem, check_rule
from .parser import RuleSyntaxError, parse_rule
from .printer import to_text

__all__ = ["RuleProblem", "RuleSyntaxError", "check_rule", "parse_rule", "to_text"]
