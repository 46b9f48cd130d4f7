"""Where something is in a position file: the one location type shared by YAML, schema and rule errors."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and column in a file (columns count characters, not bytes)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class SourceFile:
    """The decoded text of one position file, kept so that errors can quote the offending line."""

    path: Path
    display: str
    text: str

    @cached_property  # split once: a file with many errors asks for many lines
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def lines_with_ends(self) -> list[str]:
        return self.text.splitlines(keepends=True)

    def at_utf8_offset(self, offset: int) -> Location:
        """Where byte `offset` of the file's UTF-8 encoding is (readers that fail on a byte report bytes)."""
        before = self.text.encode("utf-8")[:offset].decode("utf-8", errors="ignore")
        return self.at(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def at(self, line: int, column: int) -> Location:
        return Location(self.display, line, column)


def display_path(path: Path) -> str:
    """A path as users should read it: relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a path that cannot be resolved (a link loop)
        return str(path)
