"""Which sources a rule cites: its `source:` read as source ids. A scenario's `sources:` list is the registry
its rules cite by id.

A rule's `source:` is one id (`S2`), a YAML list of ids (`[S2, S4]`) or ids separated by commas (`S2, S4`).
When the scenario lists sources, every id cited must be one of them (checked where the rule is read, with
did-you-mean help); a scenario without a `sources:` list keeps `source:` as free text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

SEPARATOR = ","


def cited_ids(source: str | Iterable[str] | None) -> tuple[str, ...]:
    """The source ids a rule's `source:` names, in written order without repeats: one id (`S2`), a YAML list
    (`[S2, S4]`), or the comma-separated form (`S2, S4`); nothing for no source."""
    if source is None:
        return ()
    parts = [source] if isinstance(source, str) else list(source)
    ids = (piece.strip() for part in parts for piece in str(part).split(SEPARATOR))
    return tuple(dict.fromkeys(i for i in ids if i))


def source_text(value: str | Sequence[str] | None) -> str | None:
    """A `source:` field as one text, however it is written: a list is kept as its ids joined by commas (the
    form it is shown and compared in)."""
    if value is None or isinstance(value, str):
        return value
    return f"{SEPARATOR} ".join(value)


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
