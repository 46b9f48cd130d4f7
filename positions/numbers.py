"""Exact numbers read from text with their size bounded: a decimal ("0.25", "1e-3") or a fraction ("1/3").

Text from other people's files is read exactly (as a Fraction), and an exact number can be made as large as its
text is short: "1e99999999" is a one with a hundred million zeros, which takes minutes to build and cannot be
printed. So the digits and the exponent are bounded before anything is built, and a number beyond the bounds is
a TooLarge (its message says which bound), never a hang.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

#: Significant digits one number may have (GENIUS writes doubles: seventeen).
DIGITS = 100
#: The decimal exponent's bound: a number lies between 10**-EXPONENT and 10**EXPONENT (0 aside).
EXPONENT = 100
NUMBER_BOUNDS = (f"at most {DIGITS} significant digits, and between 1e-{EXPONENT} and 1e{EXPONENT} "
                 "(0 aside)")


class TooLarge(ValueError):
    """A number whose text is valid but whose exact value is beyond the bounds."""

    def __init__(self, text: str, why: str):
        super().__init__(f"{shown(text)} is {why} to read exactly")
        self.message, self.why = str(self), why
        self.hint = f"write a number with {NUMBER_BOUNDS}"


def cut(text: str, most: int = 24) -> str:
    """The text of a number as a message quotes it: cut when it is long."""
    text = text.strip()
    return text if len(text) <= most else text[:most] + "…"


def shown(text: str) -> str:
    return repr(cut(text))


def exact_decimal(text: str) -> Fraction | None:
    """A decimal number's exact value (None when the text is not a finite decimal); TooLarge beyond the bounds."""
    text = text.strip()
    if len(text) > _LONGEST:  # (read no further: Decimal would hold every digit)
        if _DECIMAL.fullmatch(text) is None:
            return None
        raise TooLarge(text, "too long")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    if number == 0:
        return Fraction(0)
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    first = next(i for i, digit in enumerate(digits) if digit)
    last = max(i for i, digit in enumerate(digits) if digit)
    top = exponent + len(digits) - 1 - first  # the power of ten of the leading digit
    low = exponent + len(digits) - 1 - last  # the power of ten of the last digit that is not 0
    if top >= EXPONENT:
        raise TooLarge(text, "too large")
    if low < -EXPONENT:
        raise TooLarge(text, "too small" if top < -EXPONENT else "too precise")
    if top - low + 1 > DIGITS:
        raise TooLarge(text, "too precise")
    return Fraction(number)


def exact_fraction(text: str) -> Fraction | None:
    """A decimal, or a fraction "P/Q" of whole numbers, exactly (None when the text is neither, or Q is 0);
    TooLarge beyond the bounds (for a fraction: P and Q of at most DIGITS digits each)."""
    match = _FRACTION.fullmatch(text)
    if match is None:
        return exact_decimal(text)
    numerator, denominator = match.group(1), match.group(2)
    if any(len(part.lstrip("+-").lstrip("0")) > DIGITS for part in (numerator, denominator)):
        raise TooLarge(text, "too precise")
    return Fraction(int(numerator), int(denominator)) if int(denominator) else None


#: The most characters a number within the bounds takes (every digit, an exponent, separators and a sign).
_LONGEST = 4 * (DIGITS + EXPONENT)
_DECIMAL = re.compile(r"[+-]?(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?")
_FRACTION = re.compile(r"\s*([+-]?\d+)/(\d+)\s*")
