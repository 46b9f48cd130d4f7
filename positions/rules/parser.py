"""Tokenizer and recursive-descent parser of the rule language (never `eval`: rules are other people's data).

Precedence, tightest first: unary minus, `*`, `+ -`, comparison, membership and order (`before`, `after`), `not`,
`and`, `or`,
`->` (right-associative), `<->` (left-associative).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .syntax import (COMPARISONS, KEYWORDS, ORDERS, And, Arith, BoolLit, Compare, Count, Expr, Iff, Implies, IntLit,
                     Membership, Name, Neg, Not, Or, Order, SetLit, Size, Span, Step, StrLit)

if TYPE_CHECKING:
    from ..model import Issue

#: Deepest nesting of parentheses, calls, `not`, `->` and unary minus accepted in one rule (each level costs
#: the recursive-descent parser about a dozen Python frames; this stays well inside Python's limit).
MAX_NESTING = 40
#: Most terms in one chain of `+`, `-` or `*` (each adds a level to the syntax tree).
MAX_TERMS = 200
#: Largest number a rule may write (CP-SAT computes with 64-bit integers).
MAX_NUMBER = 10**15


class RuleSyntaxError(Exception):
    """A rule that cannot be parsed; `span` is the offending part of the rule text."""

    def __init__(self, message: str, span: Span, hint: str | None = None):
        super().__init__(message)
        self.message, self.span, self.hint = message, span, hint


@dataclass(frozen=True)
class Token:
    kind: str  # "int", "str", "name", "op", "end"
    text: str
    start: int
    end: int
    value: object = None


class _Tok(NamedTuple):
    """The parser's own token, with the fields of Token: a named tuple is built about 2.5 times faster than a
    frozen dataclass, and building Tokens took over a quarter of the time spent parsing a typical rule."""

    kind: str
    text: str
    start: int
    end: int
    value: object = None


_TOKEN = re.compile(r"""
    (?P<mistake><=>|&&|\|\|)   # tried first: would otherwise read as two valid operators, or two mistakes
  | (?P<space>\s+)
  | (?P<int>[0-9]+(?:_[0-9]+)*)(?![\w.])   # ASCII digits only: a Bengali 4 looks like an 8
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<str>"[^"\n]*"|'[^'\n]*')
  | (?P<op><->|->|==|!=|<=|>=|[<>+\-*(){},.])
  | (?P<bad>.)                # anything else; the catch-all also keeps finditer from skipping characters
""", re.VERBOSE | re.DOTALL)

_MISTAKES = {
    "=": "use '==' to compare",
    "&": "write 'and'", "&&": "write 'and'", "|": "write 'or'", "||": "write 'or'", "!": "write 'not'",
    "=>": "write '->' for 'implies'", "<=>": "write '<->' for 'if and only if'", "[": "sets are written {\"a\", \"b\"}",
    "/": "only +, - and * (by a constant) are supported", "%": "only +, - and * (by a constant) are supported",
}


def tokenize(text: str, max_number: int = MAX_NUMBER) -> list[Token]:
    """The tokens of `text`, ending with one "end" token, or RuleSyntaxError at the first bad character."""
    return [Token(*tok) for tok in _scan(text, max_number)]


def _scan(text: str, max_number: int, issues: Mapping[str, Issue] | None = None) -> list[_Tok]:
    """`tokenize`, with the parser's lighter tokens; `issues` only make the hints more precise."""
    tokens: list[_Tok] = []
    append = tokens.append
    # With the catch-all `bad` group every position matches, so the matches tile the text left to right and the
    # first mistake raised is the leftmost one. Branches are ordered by how common each kind is.
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "space":
            continue
        lexeme = m.group()
        start, end = m.span()
        if kind == "name":
            append(_Tok("op" if lexeme in KEYWORDS else "name", lexeme, start, end))
        elif kind == "op":
            append(_Tok("op", lexeme, start, end))
        elif kind == "int":
            append(_Tok("int", lexeme, start, end, _number(lexeme, start, end, max_number)))
        elif kind == "str":
            append(_Tok("str", lexeme, start, end, lexeme[1:-1]))
        elif kind == "mistake":
            raise RuleSyntaxError(f"unexpected '{lexeme}'", (start, end), _MISTAKES[lexeme])
        else:
            raise _percent_unit(text, tokens, start, issues) or _bad_character(text, start)
    tokens.append(_Tok("end", "", len(text), len(text)))
    return tokens


def _number(lexeme: str, start: int, end: int, max_number: int) -> int:
    digits = lexeme.replace("_", "")
    # The length test comes first: int() is slow on very long digit strings, and refuses them past 4,300 digits.
    if len(digits) > len(str(max_number)) or int(digits) > max_number:
        raise RuleSyntaxError(f"the number {lexeme[:20]}{'…' if len(lexeme) > 20 else ''} is too large",
                              (start, end), f"numbers go up to {max_number:,} "
                              "(FEASIBLE_MAX_NUMBER raises the limit)")
    return int(digits)


def _bad_character(text: str, pos: int) -> RuleSyntaxError:
    if text[pos] in "\"'":
        return RuleSyntaxError("unterminated quoted value", (pos, len(text)),
                               f"close the value with {text[pos]}")
    two, three = text[pos:pos + 2], text[pos:pos + 3]
    for lexeme in (three, two, text[pos]):
        if lexeme in _MISTAKES:
            return RuleSyntaxError(f"unexpected '{lexeme}'", (pos, pos + len(lexeme)), _MISTAKES[lexeme])
    if text[pos].isdigit():
        match = re.match(r"\w[\w.]*", text[pos:])
        assert match is not None  # (text[pos] is a digit: a word character)
        word = match.group()
        foreign = foreign_digit(word)
        if foreign is not None:
            offset, message = foreign
            return RuleSyntaxError(message, (pos + offset, pos + offset + 1), ASCII_DIGITS_HINT)
        return RuleSyntaxError(f"'{word}' is not a whole number", (pos, pos + len(word)),
                               "numbers are whole numbers such as 800 or 1_000")
    return RuleSyntaxError(f"unexpected character {_shown_char(text[pos])}", (pos, pos + 1))


def _shown_char(char: str) -> str:
    """A character as a message can show it: quoted when printable, by its code point otherwise (a control
    character would be stripped from the terminal and leave `''`)."""
    if char.isprintable():
        return f"'{char}'"
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


ASCII_DIGITS_HINT = "write numbers with the digits 0-9"


def foreign_digit(text: str) -> tuple[int, str] | None:
    """The first digit in `text` that is not one of 0-9, as its position and a message naming it.

    Python's int() and `\\d` accept the digits of every script, and some look like other ASCII digits (a
    Bengali four looks like an eight): a number that reads one way and counts another is refused."""
    for pos, char in enumerate(text):
        if char.isdigit() and not char.isascii():
            name = unicodedata.name(char, "unnamed")
            return pos, f"'{char}' ({name}, U+{ord(char):04X}) is not an ASCII digit"
    return None


_OPERAND_START = re.compile(r"\s*[0-9(]")  # what follows a `%` used as an operator rather than as a unit
_COMPARED_NAME_AFTER = re.compile(r"\s*(?:==|!=|<=|>=|<|>)\s*([A-Za-z_][A-Za-z0-9_]*)")


def _percent_unit(text: str, tokens: list[_Tok], pos: int, issues: Mapping[str, Issue] | None
                  ) -> RuleSyntaxError | None:
    """`46%`: a percent sign written as the unit of the number before it (not as an operator)."""
    if text[pos] != "%" or not tokens or tokens[-1].kind != "int" or _OPERAND_START.match(text, pos + 1):
        return None
    return _unit_error(text, tokens, len(tokens) - 1, (pos, pos + 1), issues)


def _unit_error(text: str, tokens: list[_Tok], number_at: int, unit: Span, issues: Mapping[str, Issue] | None
                ) -> RuleSyntaxError:
    """`10 euros`: the rule language writes bare numbers; the issue compared with the number, when it can be
    told from its neighbours, names the unit that is implied."""
    number, word = tokens[number_at], text[unit[0]:unit[1]]
    if issues and word in issues:
        hint = f"an operator is missing between {number.text} and '{word}'"
    else:
        hint = f"numbers have no units: write '{number.text}'"
        issue = _compared_issue(text, tokens, number_at, unit[1], issues)
        if issue is not None and issue.unit:
            hint += "; " + counted_in(issue)
    return RuleSyntaxError(f"unexpected '{word}' after the number {number.text}", unit, hint)


def counted_in(issue: Issue) -> str:
    """What an int issue's numbers count, for hints about a number written in the wrong unit."""
    return f"'{issue.name}' is counted in {issue.unit}"


def _compared_issue(text: str, tokens: list[_Tok], number_at: int, after: int,
                    issues: Mapping[str, Issue] | None) -> Issue | None:
    """The issue in `ISSUE OP number unit` or `number unit OP ISSUE`, if any."""
    if not issues:
        return None
    if number_at >= 2 and tokens[number_at - 1].text in _COMPARISONS and tokens[number_at - 2].kind == "name":
        return issues.get(tokens[number_at - 2].text)
    match = _COMPARED_NAME_AFTER.match(text, after)
    return issues.get(match.group(1)) if match else None


def parse_rule(text: str, *, max_nesting: int = MAX_NESTING, max_number: int = MAX_NUMBER,
               issues: Mapping[str, Issue] | None = None) -> Expr:
    """Parse one rule into its syntax tree, or raise RuleSyntaxError pointing into `text`. The scenario's
    `issues`, when given, only make hints more precise (a number's implied unit)."""
    if not text.strip():
        raise RuleSyntaxError("the rule is empty", (0, len(text)), "write a condition, e.g. troops_cap <= 800")
    parser = _Parser(_scan(text, max_number, issues), max_nesting, text, issues)
    expr = parser.iff()
    tok = parser.peek()
    if tok.kind != "end":
        raise parser.unit_after_number() or RuleSyntaxError(
            f"unexpected {_describe(tok)} after a complete condition", (tok.start, tok.end),
            "join conditions with 'and', 'or' or '->'")
    return expr


def _describe(tok: _Tok) -> str:
    return "end of rule" if tok.kind == "end" else f"'{tok.text}'"


#: How many tokens past the current one the parser looks at (`not in` is the only two-token operator).
_LOOKAHEAD = 1
_COMPARISONS = frozenset(COMPARISONS)
_ORDERS = frozenset(ORDERS)
_ADDITIVE = frozenset(("+", "-"))


class _Parser:
    def __init__(self, tokens: list[_Tok], max_nesting: int = MAX_NESTING, text: str = "",
                 issues: Mapping[str, Issue] | None = None):
        # The parser never moves past the end token, so padding with _LOOKAHEAD copies of it lets `peek` and
        # `at` index the list directly, without clamping, and still see "end" beyond the end.
        self.tokens = tokens + [tokens[-1]] * _LOOKAHEAD
        # The operator text of each token (None for values and names): `at` is then a lookup and a compare,
        # and no name, number or quoted value can pass for an operator.
        self.ops = [tok.text if tok.kind == "op" else None for tok in self.tokens]
        self.pos = 0
        self.depth = 0
        self.max_nesting = max_nesting
        self.text, self.issues = text, issues

    # -- helpers -------------------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> _Tok:
        return self.tokens[self.pos + ahead]

    def at(self, text: str, ahead: int = 0) -> bool:
        """Whether the token `ahead` places on is the operator `text`."""
        return self.ops[self.pos + ahead] == text

    def at_any(self, texts: frozenset[str]) -> bool:
        """Whether the current token is one of the operators `texts`."""
        return self.ops[self.pos] in texts

    def take(self) -> _Tok:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, text: str, what: str) -> _Tok:
        tok = self.peek()
        if not self.at(text):
            raise self.unit_after_number() or RuleSyntaxError(f"expected '{text}' {what}, found {_describe(tok)}",
                                                               (tok.start, max(tok.end, tok.start + 1)))
        return self.take()

    def unit_after_number(self) -> RuleSyntaxError | None:
        """`10 euros` where an operator or the end was due: most likely a unit."""
        tok = self.peek()
        if tok.kind != "name" or self.pos == 0 or self.tokens[self.pos - 1].kind != "int":
            return None
        return _unit_error(self.text, self.tokens, self.pos - 1, (tok.start, tok.end), self.issues)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.max_nesting:
            tok = self.peek()
            raise RuleSyntaxError(f"the rule is nested more than {self.max_nesting} levels deep", (tok.start, tok.end),
                                  "split it into several simpler rules (FEASIBLE_MAX_RULE_DEPTH raises the limit)")

    # -- grammar, loosest first ------------------------------------------------------------------------------
    def iff(self) -> Expr:
        left = self.implies()
        terms = 1
        while self.at("<->"):
            self.take()
            right = self.implies()
            left = Iff(left, right, (left.span[0], right.span[1]))
            terms = self.count_term(terms, left)
        return left

    def implies(self) -> Expr:
        left = self.or_()
        if self.at("->"):
            self.take()
            self.enter()
            right = self.implies()
            self.depth -= 1
            return Implies(left, right, (left.span[0], right.span[1]))
        return left

    def or_(self) -> Expr:
        operands = [self.and_()]
        while self.at("or"):
            self.take()
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else Or(tuple(operands), (operands[0].span[0], operands[-1].span[1]))

    def and_(self) -> Expr:
        operands = [self.not_()]
        while self.at("and"):
            self.take()
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else And(tuple(operands), (operands[0].span[0], operands[-1].span[1]))

    def not_(self) -> Expr:
        if self.at("not") and not self.at("in", 1):
            start = self.take().start
            self.enter()
            operand = self.not_()
            self.depth -= 1
            return Not(operand, (start, operand.span[1]))
        return self.comparison()

    def comparison(self) -> Expr:
        first = self.sum()
        if self.at("in") or (self.at("not") and self.at("in", 1)):
            negated = self.take().text == "not"
            if negated:
                self.take()
            container = self.sum()
            return Membership(first, container, negated, (first.span[0], container.span[1]))
        if self.at("contains"):
            self.take()
            item = self.sum()
            return Membership(item, first, False, (first.span[0], item.span[1]))
        if self.at_any(_ORDERS):
            return self.order(first)
        operands, ops = [first], []
        while self.at_any(_COMPARISONS):
            ops.append(self.take().text)
            operands.append(self.sum())
        if not ops:
            return first
        return Compare(tuple(operands), tuple(ops), (first.span[0], operands[-1].span[1]))

    def order(self, first: Expr) -> Expr:
        """`a before b`, `a after b`: one order statement (no chain: `a before b before c` is two)."""
        op = self.take().text
        second = self.sum()
        if self.at_any(_ORDERS) or self.at_any(_COMPARISONS):
            tok = self.peek()
            raise RuleSyntaxError(f"'{op}' does not chain", (tok.start, tok.end),
                                  f"join the statements with 'and', e.g. 'a {op} b and b {op} c'")
        return Order(first, second, op, (first.span[0], second.span[1]))

    def sum(self) -> Expr:
        left = self.product()
        terms = 1
        while self.at_any(_ADDITIVE):
            op = self.take().text
            right = self.product()
            left = Arith(op, left, right, (left.span[0], right.span[1]))
            terms = self.count_term(terms, left)
        return left

    def product(self) -> Expr:
        left = self.unary()
        terms = 1
        while self.at("*"):
            self.take()
            right = self.unary()
            left = Arith("*", left, right, (left.span[0], right.span[1]))
            terms = self.count_term(terms, left)
        return left

    def count_term(self, terms: int, expr: Expr) -> int:
        if terms + 1 > MAX_TERMS:
            raise RuleSyntaxError(f"more than {MAX_TERMS} terms joined by one operator", expr.span,
                                  "split the rule, or use count(...) for conditions")
        return terms + 1

    def unary(self) -> Expr:
        if self.at("-"):
            start = self.take().start
            self.enter()
            operand = self.unary()
            self.depth -= 1
            return Neg(operand, (start, operand.span[1]))
        return self.atom()

    def atom(self) -> Expr:
        tok = self.peek()
        if tok.kind == "int":
            self.take()
            assert isinstance(tok.value, int)  # (the lexer gives an int token its number)
            return IntLit(tok.value, (tok.start, tok.end))
        if tok.kind == "str":
            self.take()
            assert isinstance(tok.value, str)  # (and a str token its text)
            return StrLit(tok.value, (tok.start, tok.end))
        if tok.kind == "name":
            self.take()
            if self.at("("):
                raise RuleSyntaxError(f"unknown function '{tok.text}'", (tok.start, tok.end),
                                      "the functions are size(set_issue) and count(condition, ...)")
            if self.at("."):
                return self.step(tok)
            return Name(tok.text, (tok.start, tok.end))
        if tok.kind == "op":
            handler = self._ATOMS.get(tok.text)
            if handler:
                return handler(self)
        raise RuleSyntaxError(f"expected a value, an issue or '(', found {_describe(tok)}",
                              (tok.start, max(tok.end, tok.start + 1)), _atom_hint(tok))

    def step(self, issue: _Tok) -> Expr:
        """`timeline.ceasefire`: a step of a sequence issue."""
        dot = self.take()
        tok = self.peek()
        if tok.kind != "name":
            raise RuleSyntaxError(f"expected a step name after '{issue.text}.', found {_describe(tok)}",
                                  (dot.start, max(tok.end, dot.end)), "write a step as SEQUENCE.STEP, e.g. "
                                  "timeline.ceasefire")
        self.take()
        return Step(issue.text, tok.text, (issue.start, tok.end))

    def _bool(self) -> Expr:
        tok = self.take()
        return BoolLit(tok.text == "true", (tok.start, tok.end))

    def _parens(self) -> Expr:
        self.take()
        self.enter()
        inner = self.iff()
        self.depth -= 1
        self.expect(")", "to close '('")
        return inner

    def _set(self) -> Expr:
        start = self.take().start
        items: list[StrLit | IntLit] = []
        while not self.at("}"):
            items.append(self._set_item())
            if not self.at("}"):
                self.expect(",", "between the values of a set")
        end = self.take().end
        return SetLit(tuple(items), (start, end))

    def _call(self) -> Expr:
        name = self.take()
        self.expect("(", f"after '{name.text}'")
        self.enter()
        args = [self.iff()]
        while self.at(","):
            self.take()
            args.append(self.iff())
        self.depth -= 1
        end = self.expect(")", f"to close '{name.text}('").end
        span = (name.start, end)
        if name.text == "size":
            if len(args) != 1:
                raise RuleSyntaxError("size() takes exactly one set issue", span)
            return Size(args[0], span)
        return Count(tuple(args), span)

    def _set_item(self) -> StrLit | IntLit:
        """One member of a set: a quoted value, or a number with an optional minus sign (a set lists
        constants, so `-1` there is the number itself rather than a minus applied to 1)."""
        tok = self.peek()
        if self.at("-"):
            self.take()
            number = self.peek()
            if number.kind != "int":
                raise RuleSyntaxError(f"expected a number after '-' in a set, found {_describe(number)}",
                                      (number.start, max(number.end, number.start + 1)))
            self.take()
            assert isinstance(number.value, int)  # (the lexer gives an int token its number)
            return IntLit(-number.value, (tok.start, number.end))
        if tok.kind not in ("str", "int"):
            raise RuleSyntaxError(f"a set lists quoted values or numbers, found {_describe(tok)}",
                                  (tok.start, max(tok.end, tok.start + 1)),
                                  f'quote the value: "{tok.text}"' if tok.kind == "name" else None)
        self.take()
        if tok.kind == "str":
            assert isinstance(tok.value, str)  # (the lexer gives a str token its text, an int token its number)
            return StrLit(tok.value, (tok.start, tok.end))
        assert isinstance(tok.value, int)
        return IntLit(tok.value, (tok.start, tok.end))

    _ATOMS = {"true": _bool, "false": _bool, "(": _parens, "{": _set, "size": _call, "count": _call}


def _atom_hint(tok: _Tok) -> str | None:
    if tok.kind == "end":
        return "the rule ends too early"
    if tok.text in ("and", "or", "->", "<->"):
        return f"'{tok.text}' needs a condition on each side"
    return None
