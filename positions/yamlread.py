"""Safe YAML reading that keeps the location of every value.

PyYAML's C loader only *composes* the document into nodes (with their marks); we turn the nodes into
plain data ourselves, refusing tags that would build objects, bounding alias expansion and nesting, and
reporting duplicate keys. Composing is fast on large files; ruamel.yaml is kept for writing edits back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Diagnostic
from .limits import Limits, override_hint
from .location import Location, SourceFile

Path_ = tuple[str | int, ...]


_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + t for t in ("str", "int", "bool", "null", "float", "timestamp")}
_RULE_STARTS_WITH_QUOTE = re.compile(r"""^\s*(-\s+)?rule\s*:\s*["']""")
_RULE_STARTS_WITH_BRACE = re.compile(r"""^\s*(-\s+)?rule\s*:\s*[{\[]""")
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class LocatedDoc:
    """A YAML document as plain data, with the node of every value and of every mapping key by path."""

    source: SourceFile
    data: Any
    nodes: dict[Path_, yaml.Node] = field(default_factory=dict)
    key_nodes: dict[Path_, yaml.Node] = field(default_factory=dict)

    def location(self, path: Path_, *, key: bool = False) -> Location:
        """Where the value at `path` (or its key, with key=True) starts; the nearest enclosing value if unknown."""
        if key and path in self.key_nodes:
            return self._mark(self.key_nodes[path])
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.nodes:
                return self._mark(self.nodes[path[:cut]])
        return self.source.at(1, 1)

    def diagnostic(self, path: Path_, message: str, *, key: bool = False, hint: str | None = None,
                   width: int | None = None) -> Diagnostic:
        loc = self.location(path, key=key)
        node = (self.key_nodes.get(path) if key else None) or self.nodes.get(path)
        if width is None:
            width = _node_width(node) if node is not None and path in (self.key_nodes if key else self.nodes) else 1
        return Diagnostic(message, loc, self.source.line_text(loc.line), max(width, 1), hint)

    def _mark(self, node: yaml.Node) -> Location:
        return self.source.at(node.start_mark.line + 1, node.start_mark.column + 1)


class _Reject(Exception):
    def __init__(self, node: yaml.Node, message: str, hint: str | None = None):
        super().__init__(message)
        self.node, self.message, self.hint = node, message, hint


def _node_width(node: yaml.Node) -> int:
    start, end = node.start_mark, node.end_mark
    if isinstance(node, yaml.ScalarNode) and start.line == end.line:
        return max(end.column - start.column, 1)
    return 1


def read_yaml(source: SourceFile, limits: Limits | None = None) -> tuple[LocatedDoc | None, list[Diagnostic]]:
    """Parse one file; return the located document, or None and the diagnostics explaining why not."""
    loader = yaml.CSafeLoader(source.text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(source, exc)]
    except yaml.reader.ReaderError as exc:
        return None, [_unreadable_character(source, exc)]
    except yaml.YAMLError as exc:  # errors without a mark (rare: e.g. a stream error)
        return None, [Diagnostic(f"cannot read YAML: {exc}", source.at(1, 1), source.line_text(1))]
    finally:
        loader.dispose()
    doc = LocatedDoc(source, None)
    if root is None:
        doc.data = None
        return doc, []
    builder = _Builder(doc, limits or Limits())
    try:
        doc.data = builder.build(root, (), 0)
    except _Reject as rej:
        mark = rej.node.start_mark
        loc = source.at(mark.line + 1, mark.column + 1)
        return None, [Diagnostic(rej.message, loc, source.line_text(loc.line), _node_width(rej.node), rej.hint)]
    return doc, builder.problems


class _Builder:
    def __init__(self, doc: LocatedDoc, limits: Limits):
        self.doc = doc
        self.limits = limits
        self.expanded = 0
        self.expanded_chars = 0
        self.active: set[int] = set()
        self.problems: list[Diagnostic] = []

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.expanded += 1
        limits = self.limits
        if self.expanded > limits.yaml_values:
            raise _Reject(node, f"the file expands to more than {limits.yaml_values:,} values (aliases nested too "
                          "deep?)", "write the values out instead of repeating anchors and aliases; "
                          + override_hint("yaml_values"))
        if depth > limits.yaml_depth:
            raise _Reject(node, f"values are nested more than {limits.yaml_depth} levels deep",
                          override_hint("yaml_depth"))
        if id(node) in self.active:
            raise _Reject(node, "an alias refers to the value that contains it (a recursive alias)")
        self.doc.nodes.setdefault(path, node)
        if isinstance(node, yaml.ScalarNode):
            self.count_chars(node)
            return _scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                _check_tag(node, _TAG + "seq")
                return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
            _check_tag(node, _TAG + "map")
            return self._mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def count_chars(self, node: yaml.ScalarNode) -> None:
        # An alias repeats its anchor's text without repeating it in the file: what is read must stay bounded.
        self.expanded_chars += len(node.value)
        if self.expanded_chars > self.limits.yaml_chars:
            raise _Reject(node, f"the file expands to more than {self.limits.yaml_chars:,} characters of text "
                          "(long values repeated through aliases?)", "write the values out instead of repeating "
                          "anchors and aliases; " + override_hint("yaml_chars"))

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise _Reject(key_node, "merge keys ('<<') are not supported in position files",
                              "write the keys out in full")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(key_node, "a key must be a plain name, not a list or mapping")
            _check_tag(key_node, None)
            self.count_chars(key_node)
            key = key_node.value  # keys are names: keep the text as written (so `on:` stays "on")
            if key in result:
                first = self.doc.key_nodes[path + (key,)].start_mark.line + 1
                mark = key_node.start_mark
                loc = self.doc.source.at(mark.line + 1, mark.column + 1)
                self.problems.append(Diagnostic(
                    f"duplicate key '{key}' (first given on line {first})", loc,
                    self.doc.source.line_text(loc.line), len(key), "remove one of the two"))
                continue
            self.doc.key_nodes[path + (key,)] = key_node
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result


def _check_tag(node: yaml.Node, expected: str | None) -> None:
    tag = node.tag or ""
    if tag == expected or tag in _PLAIN_TAGS:
        return
    if tag.startswith(_TAG) and expected is None:
        return
    raise _Reject(node, f"YAML tag '{tag}' is not allowed in position files",
                  "position files hold plain text, numbers, lists and mappings; remove the tag")


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _TAG + "timestamp":
        return node.value  # dates stay text, as written
    if tag not in _PLAIN_TAGS:
        raise _Reject(node, f"YAML tag '{tag}' is not allowed in position files",
                      "position files hold plain text, numbers, lists and mappings; remove the tag")
    if tag == _TAG + "int" and len(node.value.replace("_", "")) > _LONGEST_INT_TEXT:
        raise _too_large(node)  # before converting: long sexagesimal text converts in quadratic time
    try:
        value = _constructor.construct_object(node)
    except Exception:  # noqa: BLE001 - any failure to read one scalar is the file's problem, reported here
        if tag == _TAG + "int":  # the only way a well-formed int fails: too many digits to convert
            raise _too_large(node) from None
        kind = tag.rsplit(":", 1)[-1]
        raise _Reject(node, f"cannot read {node.value!r} as {'a' if kind[0] not in 'aeiou' else 'an'} {kind}",
                      "write a plain number, true or false, or text (quote it)") from None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > LARGEST_INT:
        raise _too_large(node)
    return value


#: Largest whole number a position file may hold anywhere: the solver computes with 64-bit integers. Weights,
#: ranges and rule constants have lower limits of their own (positions/limits.py).
LARGEST_INT = 2**63 - 1
_LONGEST_INT_TEXT = 100  # longer than any way of writing LARGEST_INT (binary is the longest), even zero-padded


def _too_large(node: yaml.ScalarNode) -> _Reject:
    # Quote the number as written (hex, binary, sexagesimal …): printing a huge int in decimal can itself fail.
    written = node.value if len(node.value) <= 24 else node.value[:20] + "…"
    return _Reject(node, f"the number {written} is too large", f"whole numbers go up to {LARGEST_INT:,}")


def _syntax_diagnostic(source: SourceFile, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    text = source.line_text(line)
    problem = exc.problem or "invalid YAML"
    message = f"YAML syntax error: {problem}"
    if exc.context:
        message += f" ({exc.context})"
    hint = None
    if _RULE_STARTS_WITH_QUOTE.match(text):
        hint = ("YAML reads a rule that begins with a quoted value as only that value; quote the whole rule "
                "(rule: '\"uk\" in contributors') or write it as 'contributors contains \"uk\"'")
    elif _RULE_STARTS_WITH_BRACE.match(text):
        hint = ("YAML reads a rule that begins with '{' or '[' as a mapping or list; quote the whole rule "
                "(rule: '{\"a\"} == s')")
    elif "\t" in text[: column]:
        hint = "YAML does not allow tabs for indentation; indent with spaces"
    elif "mapping values are not allowed" in problem:
        hint = _indentation_hint(source, line) or "a value containing ': ' must be quoted"
    return Diagnostic(message, source.at(line, column), text, 1, hint)


def _indentation_hint(source: SourceFile, line: int) -> str | None:
    """When a `key: value` line is indented deeper than the key before it, YAML reads it as the rest of that
    value: the fix is the indentation, not quoting."""
    lines = source.lines
    previous = next((lines[i] for i in range(line - 2, -1, -1)
                     if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    if previous is None or previous.rstrip().endswith(":"):  # the first line, or one opening a nested block
        return None
    here, sibling = _key_indent(lines[line - 1]), _key_indent(previous)
    if here <= sibling:
        return None
    return f"this line is indented {here} spaces, its siblings {sibling}: align it"


def _key_indent(text: str) -> int:
    """The column (0-based) where a line's key starts, past the '- ' of a list item."""
    return len(text) - len(text.lstrip(" -"))


def _unreadable_character(source: SourceFile, exc: yaml.reader.ReaderError) -> Diagnostic:
    # A binary file (or one such as /proc/self/environ behind a link) is not quoted: its lines may hold secrets.
    # The C reader counts bytes of the text encoded as UTF-8.
    code = ord(exc.character) if isinstance(exc.character, str) else exc.character
    return Diagnostic(f"the file holds the character U+{code:04X}, which a position file cannot hold (is it a text "
                      "file?)", source.at_utf8_offset(exc.position), "", 1,
                      "position files are UTF-8 text; remove the character, or check that this is the right file")


_ESCAPE_LENGTH = {"x": 2, "u": 4, "U": 8}


def scalar_text_offsets(source: SourceFile, node: yaml.ScalarNode) -> list[tuple[int, int]]:
    """For each character of a scalar's value, its (line, column) in the file (1-based), plus one position
    just past the end.

    Quoted scalars are read escape by escape (`\\t`, `\\u003d`, `''` …), so columns stay right after an
    escape; other styles are aligned character by character, skipping the line breaks and indentation that
    YAML folds.
    """
    raw = list(_raw_chars(source, node))
    positions = _quoted_positions(raw, node.style) if node.style in ('"', "'") else None
    if positions is None or len(positions) != len(node.value):
        positions = _aligned_positions(raw, node.value)
    start = (node.start_mark.line + 1, node.start_mark.column + 1)
    if not positions:
        return [start]
    return positions + [(positions[-1][0], positions[-1][1] + 1)]


def _raw_chars(source: SourceFile, node: yaml.ScalarNode):
    lines = source.lines_with_ends
    line, col = node.start_mark.line, node.start_mark.column
    end = (node.end_mark.line, node.end_mark.column)
    while line < len(lines) and (line, col) < end:
        text = lines[line]
        if col >= len(text):
            line, col = line + 1, 0
            continue
        yield line + 1, col + 1, text[col]
        col += 1


def _quoted_positions(raw: list, quote: str) -> list[tuple[int, int]] | None:
    positions: list[tuple[int, int]] = []
    i = 1  # past the opening quote
    while i < len(raw):
        line, col, ch = raw[i]
        if ch == quote and not (quote == "'" and i + 1 < len(raw) and raw[i + 1][2] == "'"):
            return positions
        if quote == "'" and ch == "'":  # '' stands for one quote
            positions.append((line, col))
            i += 2
        elif quote == '"' and ch == "\\" and i + 1 < len(raw):
            kind = raw[i + 1][2]
            if kind in "\r\n":  # an escaped line break joins the lines
                i += 2
                while i < len(raw) and raw[i][2] in " \t":
                    i += 1
                continue
            positions.append((line, col))
            i += 2 + _ESCAPE_LENGTH.get(kind, 0)
        elif ch in "\r\n":  # a folded line break reads as one space
            positions.append((line, col))
            i += 1
            while i < len(raw) and raw[i][2] in " \t\r\n":
                i += 1
        else:
            positions.append((line, col))
            i += 1
    return None


def _aligned_positions(raw: list, value: str) -> list[tuple[int, int]]:
    positions: list[tuple[int, int]] = []
    index = 0
    for ch in value:
        while index < len(raw) and raw[index][2] != ch:
            index += 1
        if index < len(raw):
            positions.append(raw[index][:2])
            index += 1
        else:
            positions.append(positions[-1] if positions else (raw[0][:2] if raw else (1, 1)))
    return positions
