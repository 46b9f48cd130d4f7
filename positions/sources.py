"""Sources as data: a scenario's `sources:` list is the registry its rules cite by id.

A rule's `source:` is one id (`S2`), a YAML list of ids (`[S2, S4]`) or ids separated by commas (`S2, S4`).
When the scenario lists sources, every id cited must be one of them (checked where the rule is read, with
did-you-mean help); a scenario without a `sources:` list keeps `source:` as free text."""

from __future__ import annotations

from collections.abc import Sequence

SEPARATOR = ","


def source_text(value: str | Sequence[str] | None) -> str | None:
    """A `source:` field as one text, however it is written: a list is kept as its ids joined by commas (the
    form it is shown and compared in)."""
    if value is None or isinstance(value, str):
        return value
    return f"{SEPARATOR} ".join(value)


def cited_ids(source: str | Sequence[str] | None) -> tuple[str, ...]:
    """The source ids a `source:` field names, in the order written, each once (spaces around an id dropped;
    empty pieces, as in a trailing comma, ignored)."""
    pieces = (source.split(SEPARATOR) if isinstance(source, str) else source) if source is not None else ()
    ids: dict[str, None] = {}
    for piece in pieces:
        if piece.strip():
            ids.setdefault(piece.strip(), None)
    return tuple(ids)


def id_spans(source: str) -> list[tuple[str, int, int]]:
    """Each id of a comma-separated `source:` text with where it is in the text (start, end): for pointing a
    diagnostic at the id itself."""
    spans, start = [], 0
    for piece in source.split(SEPARATOR):
        stripped = piece.strip()
        if stripped:
            at = start + piece.index(stripped)
            spans.append((stripped, at, at + len(stripped)))
        start += len(piece) + len(SEPARATOR)
    return spans
