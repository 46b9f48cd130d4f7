"""Limits on what a scenario may ask of the machine, each with a clear error and an overridable default.

Position files come from other people. These bounds keep a hostile or broken file from exhausting memory or
time; every one can be raised through an environment variable (documented in docs/reliability.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from .errors import UserError


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 20_000_000  #: size of one position file
    files: int = 2_000  #: YAML files in one scenario directory
    rule_chars: int = 20_000  #: length of one rule
    issues: int = 20_000  #: issues in a scenario
    rules: int = 200_000  #: facts, red lines and demands together
    int_width: int = 1_000_000_000  #: max - min + 1 of an int issue
    set_values: int = 10_000  #: values of one enum or set issue
    yaml_values: int = 200_000  #: values one file may expand to once aliases are followed ("billion laughs")
    yaml_depth: int = 64  #: nesting of mappings and lists in one file
    rule_depth: int = 40  #: nesting of parentheses, calls, not, -> and unary minus in one rule
    number: int = 10**15  #: largest number (in absolute value) in a rule or an int issue's range

    @staticmethod
    def from_environment() -> Limits:
        """The defaults, with FEASIBLE_MAX_<NAME> (e.g. FEASIBLE_MAX_FILE_BYTES) overriding each."""
        values = {}
        for item in fields(Limits):
            variable = f"FEASIBLE_MAX_{item.name.upper()}"
            raw = os.environ.get(variable)
            if raw is None:
                continue
            try:
                values[item.name] = int(raw.replace("_", ""))
            except ValueError:
                raise UserError(f"{variable}={raw!r} is not a whole number") from None
            if values[item.name] <= 0:
                raise UserError(f"{variable} must be positive")
        return Limits(**values)


def override_hint(name: str) -> str:
    return f"if this is intended, raise the limit: FEASIBLE_MAX_{name.upper()}=<number>"
