"""Words from position files as each output may carry them: a file's `says`, names, titles and sources are
text to show, never instructions to a terminal or a Markdown reader. One function per target; the HTML report
and its SVG map take terminal_text, then html.escape (a page may be printed to a terminal), and link only web
addresses (is_web_url).

- terminal_text: text output (check, explain, diff, validate, diagnostics, edit's diff on a terminal, DOT):
  escape sequences (CSI, OSC such as a window title or a clipboard write, DCS, ...) go whole, then every other
  control character but newline and tab (C0, DEL, C1), and the bidirectional embeddings, overrides and isolates
  that reorder what is shown (U+202A..U+202E, U+2066..U+2069).
- markdown_text: the same, then HTML's <, > and & as entities and Markdown's link, image and code syntax
  escaped, so that nothing in a memo becomes a tag, a script, an autolink or a link.
- json_text: JSON keeps every character (it is data), but writes the controls and bidi marks above as \\u
  escapes, so that the document printed on a terminal is as harmless as the text output.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeGuard
from urllib.parse import quote

from rich.console import Console, ConsoleOptions, RenderableType, RenderHook, RenderResult
from rich.segment import Segment

_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: cursor, colours, erase, ...
    r"|(?:\x1b[]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, PM, APC, SOS
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI_CONTROLS}]")  # json.dumps escapes C0 itself
_MARKDOWN_SPECIAL = re.compile(r"([\\`\[\]])")  # links, images and code spans
_URL_SAFE = ":/?#[]@!$&'*+,;=%-._~"


def terminal_text(text: str) -> str:
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def markdown_text(text: str) -> str:
    plain = terminal_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain)


def json_text(doc: Any) -> str:
    """The one way documents are written: indented, UTF-8 as is, controls escaped (see above)."""
    dumped = json.dumps(doc, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def is_web_url(url: str | None) -> TypeGuard[str]:
    """Only http(s) sources become links: no javascript:, data: or file: links in a report."""
    return url is not None and url.lower().startswith(("http://", "https://"))


def markdown_link_target(url: str) -> str:
    """A web address as a Markdown link destination: spaces, brackets, parentheses and quotes percent-encoded,
    so that the address cannot end the link early or add a title."""
    return quote(terminal_text(url), safe=_URL_SAFE.replace("[", "").replace("]", ""))


class _TerminalSafe:
    """A renderable whose text (not rich's own styling and cursor codes) is cleaned by terminal_text."""

    def __init__(self, renderable: RenderableType):
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            yield segment if segment.control else Segment(terminal_text(segment.text), segment.style)


class TerminalSafeHook(RenderHook):
    """Installed on the command line's consoles (rich's render hook): everything they print is cleaned."""

    def process_renderables(self, renderables: list) -> list:
        return [_TerminalSafe(r) for r in renderables]
