"""Safe XML reading that keeps the line and column of every element and can point at an attribute's value.

GENIUS files come from other people, like position files. Expat reads them with everything that could expand or
reach out refused: a document type declaration (where entities are declared: "billion laughs", external
entities) is an error, so no entity other than XML's five predefined ones is ever expanded. The file's size, the
number of elements and their nesting are bounded by positions/limits.py.
"""

from __future__ import annotations

import re
import xml.parsers.expat as expat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import Diagnostic
from ..limits import Limits, override_hint
from ..location import SourceFile, display_path


@dataclass
class Element:
    """One XML element: its tag, attributes, children, and where its start tag begins (1-based)."""

    tag: str
    attributes: dict[str, str]
    line: int
    column: int
    children: list[Element] = field(default_factory=list)

    def all(self, tag: str) -> list[Element]:
        return [child for child in self.children if child.tag == tag]

    def first(self, tag: str) -> Element | None:
        return next((child for child in self.children if child.tag == tag), None)

    def descendants(self, tag: str, through: str) -> list[Element]:
        """The children named `tag`, and theirs inside nested `through` elements (GENIUS nests objectives)."""
        found: list[Element] = []
        pending = [self]
        while pending:
            element = pending.pop(0)
            for child in element.children:
                if child.tag == tag:
                    found.append(child)
                elif child.tag == through:
                    pending.append(child)
        return found


@dataclass(frozen=True)
class XmlFile:
    """A read XML file: its text (to quote lines from) and its root element."""

    source: SourceFile
    root: Element

    @cached_property
    def _line_starts(self) -> list[int]:
        starts, total = [], 0
        for line in self.source.lines_with_ends:
            starts.append(total)
            total += len(line)
        return starts

    def at(self, element: Element, attribute: str | None = None, message: str = "",
           hint: str | None = None) -> Diagnostic:
        """A diagnostic at `element`'s start tag, or at the value of its `attribute` when the tag has it."""
        line, column, width = element.line, element.column, len(element.tag) + 1
        if attribute is not None and attribute in element.attributes:
            found = self._attribute_value(element, attribute)
            if found is not None:
                line, column, width = found
        return Diagnostic(message, self.source.at(line, column), self.source.line_text(line), max(width, 1), hint)

    def _attribute_value(self, element: Element, attribute: str) -> tuple[int, int, int] | None:
        text = self.source.text
        starts = self._line_starts
        if element.line > len(starts):
            return None
        start = starts[element.line - 1] + element.column - 1
        end = text.find(">", start)
        pattern = re.compile(rf"\s{re.escape(attribute)}\s*=\s*([\"'])")
        match = pattern.search(text, start, end if end >= 0 else len(text))
        if match is None:
            return None
        offset = match.end()
        closing = text.find(match.group(1), offset)
        line = text.count("\n", 0, offset) + 1
        column = offset - starts[line - 1] + 1
        width = (closing - offset) if closing >= 0 and "\n" not in text[offset:closing] else 1
        return line, column, width


class _Refused(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


def read_xml_file(path: Path, limits: Limits | None = None) -> tuple[XmlFile | None, list[Diagnostic]]:
    """Read one GENIUS file; the read file, or None and the diagnostics saying why not (located, but for a file
    that cannot be read at all)."""
    limits = limits or Limits.from_environment()
    shown = display_path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limits.file_bytes + 1)
    except OSError as exc:
        return None, [Diagnostic(f"cannot read '{shown}': {exc.strerror or exc}",
                                 hint="check the path: a GENIUS domain or profile file (.xml)")]
    if len(raw) > limits.file_bytes:
        return None, [Diagnostic(f"'{shown}' is larger than the limit of {limits.file_bytes:,} bytes",
                                 hint=override_hint("file_bytes"))]
    source = SourceFile(path, shown, raw.decode("utf-8", errors="replace"))
    return read_xml(source, raw, limits)


def read_xml(source: SourceFile, raw: bytes, limits: Limits) -> tuple[XmlFile | None, list[Diagnostic]]:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    roots: list[Element] = []
    count = 0

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count > limits.yaml_values:
            raise _Refused(f"the file holds more than {limits.yaml_values:,} elements", override_hint("yaml_values"))
        if len(stack) >= limits.yaml_depth:
            raise _Refused(f"elements are nested more than {limits.yaml_depth} levels deep",
                           override_hint("yaml_depth"))
        element = Element(tag, dict(attributes), parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def refuse_doctype(*_args) -> None:
        raise _Refused("a document type declaration (<!DOCTYPE ...>) is not read",
                       "GENIUS files have none: remove it (entities are never expanded)")

    def refuse_entity(*_args) -> int:
        raise _Refused("an external entity is not read", "GENIUS files have none: remove it")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.ExternalEntityRefHandler = refuse_entity
    try:
        parser.Parse(raw, True)
    except _Refused as exc:
        return None, [_here(source, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, exc.message, exc.hint)]
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code) if exc.code else str(exc)
        return None, [_here(source, exc.lineno, exc.offset + 1, f"malformed XML: {message}",
                            "a GENIUS file is XML: check the tags and quotes near here")]
    return XmlFile(source, roots[0]), []


def _here(source: SourceFile, line: int, column: int, message: str, hint: str | None) -> Diagnostic:
    return Diagnostic(message, source.at(line, column), source.line_text(line), 1, hint)
