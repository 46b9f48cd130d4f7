"""Plain data → YAML text that reads back as exactly that data: every text double-quoted with the escapes YAML
and JSON share, every number exact (a decimal, or "P/Q" when it has none), mappings in block style, lists of
numbers and short lists in flow style. The result is what a person would write by hand."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any

_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_]*")
# Words YAML 1.1 reads as something other than text (PyYAML's booleans and null): never written plain.
_YAML_WORDS = frozenset({"y", "yes", "n", "no", "on", "off", "true", "false", "null"})
# What YAML reads as a line break or does not allow in a document: escaped, so the text reads back unchanged.
_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]")


def document(data: dict[str, Any]) -> str:
    return "".join(_mapping(data, 0))


def text(value: str) -> str:
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: _escape(m.group()), quoted)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def key(value: str) -> str:
    return value if _PLAIN_KEY.fullmatch(value) and value not in _YAML_WORDS else text(value)


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        written = exact_text(value)
        return text(written) if "/" in written else written
    if isinstance(value, str):
        return text(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict) and not value:
        return "{}"
    raise TypeError(f"not written inline: {value!r}")


def _inline(value: Any) -> bool:
    if isinstance(value, dict):
        return not value
    if isinstance(value, (list, tuple)):
        return all(_inline(v) for v in value)
    return True


def _mapping(data: dict[str, Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for name, value in data.items():
        if _inline(value):
            lines.append(f"{pad}{key(name)}: {scalar(value)}\n")
        elif isinstance(value, dict):
            lines.append(f"{pad}{key(name)}:\n")
            lines.extend(_mapping(value, indent + 2))
        else:
            lines.append(f"{pad}{key(name)}:\n")
            lines.extend(_sequence(value, indent + 2))
    return lines


def _sequence(items: list[Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for item in items:
        if _inline(item):
            lines.append(f"{pad}- {scalar(item)}\n")
        else:
            nested = _mapping(item, indent + 2) if isinstance(item, dict) else _sequence(item, indent + 2)
            lines.append(f"{pad}- {nested[0].lstrip()}")
            lines.extend(nested[1:])
    return lines


def exact_text(number: Fraction) -> str:
    """A number as the shortest exact decimal ("0.25", "3"), or "P/Q" when it has no finite decimal form."""
    denominator, twos, fives = number.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return f"{number.numerator}/{number.denominator}"
    places = max(twos, fives)
    if places == 0:
        return str(number.numerator)
    scaled = abs(number.numerator) * 10**places // number.denominator
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if number < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"
