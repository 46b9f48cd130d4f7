"""Limits on what a scenario may ask of the machine, each with a clear error and an overridable default.

Position files come from other people. These bounds keep a hostile or broken file from exhausting memory or
time; every one can be raised through an environment variable, up to a cap (documented in docs/format.md).
"""

from __future__ import annotations

import os
import re
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
    set_values: int = 10_000  #: values of one enum or set issue; steps × (phases + 1) of a sequence issue
    weight_values: int = 1_000  #: whole numbers one demand's weight range [LO, HI] spans (each a value a sweep draws)
    yaml_values: int = 200_000  #: values one file may expand to once aliases are followed ("billion laughs")
    yaml_chars: int = 20_000_000  #: characters of text one file may expand to once aliases are followed
    yaml_depth: int = 64  #: nesting of mappings and lists in one file
    rule_depth: int = 40  #: nesting of parentheses, calls, not, -> and unary minus in one rule
    number: int = 10**15  #: largest number (in absolute value) in a rule or an int issue's range
    weight: int = 1_000_000  #: largest weight of one red line or demand
    samples: int = 10_000_000  #: samples one sweep draws (each is a check of its own)
    utility_values: int = 100_000  #: values of an int issue a utility block scores (each a term of its utility)

    @staticmethod
    def from_environment() -> Limits:
        """The defaults, with FEASIBLE_MAX_<NAME> (e.g. FEASIBLE_MAX_FILE_BYTES) overriding each, up to its cap."""
        values = {item.name: _override(item.name) for item in fields(Limits)}
        return Limits(**{name: value for name, value in values.items() if value is not None})


#: Bound on the sum of all weights. The solver multiplies a party's met weight by up to SCALE (solver/objectives.py)
#: and an accept_at_least level by 100; this times SCALE stays a factor of four under CP-SAT's bound on values.
WEIGHT_SUM_CAP = 2**40

#: The most each limit can be raised to: what the product can still hold. A larger override counts as the cap.
#: Limits not named here bound only memory and time, which the user may spend as they choose.
CAPS = {
    "number": 2**53,  # the rule checker's exact-arithmetic bound (positions/rules/checker.py LARGEST)
    "int_width": 2**54,  # a range from -number to number
    "weight": WEIGHT_SUM_CAP,
    "yaml_depth": 200,  # each level costs the YAML reader two Python frames, of the interpreter's thousand
    "rule_depth": 100,  # the checker, compiler and printers recurse once per level too, well within that
    "samples": 2**40,  # a sample index picks its random stream, which there are 2**40 of (uncertainty.py STREAM_SPAN)
}


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*")


def _override(name: str) -> int | None:
    variable = f"FEASIBLE_MAX_{name.upper()}"
    raw = os.environ.get(variable)
    if raw is None:
        return None
    if not _WHOLE_NUMBER.fullmatch(raw):  # ASCII digits only: int() reads the digits of every script
        raise UserError(f"{variable}={raw!r} is not a whole number", hint="write it with the digits 0-9")
    value = int(raw.replace("_", ""))
    if value <= 0:
        raise UserError(f"{variable} must be positive")
    return min(value, CAPS.get(name, value))


def override_hint(name: str) -> str:
    most = f" (at most {CAPS[name]:,})" if name in CAPS else ""
    return f"if this is intended, raise the limit: FEASIBLE_MAX_{name.upper()}=<number>{most}"
