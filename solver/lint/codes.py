"""The lint codes: one stable code per kind of warning, with its name and the fix it suggests.

FL1xx are about the deals (found with the solver), FL2xx about how rules and issues are written, FL3xx about
sources. A code is never reused for another meaning; docs/format.md lists them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from feasible.positions import UserError
from feasible.positions.suggest import did_you_mean


@dataclass(frozen=True)
class Code:
    code: str  # FLnnn
    name: str  # a short name in words, as in docs/format.md (what to do about it: cli/words.py)


CODES: dict[str, Code] = {code.code: code for code in (
    Code("FL101", "demand met in every deal"),
    Code("FL102", "demand met in no deal"),
    Code("FL103", "implication whose condition holds in no deal"),
    Code("FL104", "implication met only vacuously"),
    Code("FL105", "red line equal to or implied by another party's"),
    Code("FL106", "demand equal to or implied by another party's"),
    Code("FL201", "comparison always true"),
    Code("FL202", "comparison never true"),
    Code("FL203", "values no rule mentions"),
    Code("FL204", "rule joining unrelated issues"),
    Code("FL205", "red line that constrains nothing else"),
    Code("FL206", "package value no rule mentions"),
    Code("FL301", "source never cited"),
    Code("FL302", "position without a source"),
)}


def chosen_codes(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> tuple[str, ...]:
    """The codes to check: those selected (all when none is), less those ignored. Each option value may be a
    comma-separated list of codes or of their prefixes (FL1: every FL1xx); an unknown code is a usage error with
    did-you-mean."""
    selected = _codes(select, "--select")
    ignored = set(_codes(ignore, "--ignore"))
    chosen = tuple(code for code in (selected or tuple(CODES)) if code not in ignored)
    if not chosen:  # "no warnings" would then say nothing about the scenario
        raise UserError("--select and --ignore leave no check to run", hint="ignore fewer codes, or select others")
    return chosen


def _codes(values: Iterable[str], option: str) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        for piece in value.split(","):
            code = piece.strip().upper()
            if not code:
                continue
            matching = [known for known in CODES if known.startswith(code)] if len(code) >= 3 else []
            if not matching:
                raise UserError(f"{option}: unknown lint code '{piece.strip()}'", hint=code_hint(code))
            found += matching
    return tuple(dict.fromkeys(found))


def code_hint(code: str) -> str:
    """Help for an unknown code: the closest ones, else the list."""
    return did_you_mean(code, CODES) or "the codes are " + ", ".join(CODES)
