"""Which sources a rule cites: its `source:` read as source ids."""

from __future__ import annotations

from collections.abc import Iterable


def cited_ids(source: str | Iterable[str] | None) -> tuple[str, ...]:
    """The source ids a rule's `source:` names, in written order without repeats: one id (`S2`), a YAML list
    (`[S2, S4]`), or the comma-separated form (`S2, S4`); nothing for no source."""
    if source is None:
        return ()
    parts = [source] if isinstance(source, str) else list(source)
    ids = (piece.strip() for part in parts for piece in str(part).split(","))
    return tuple(dict.fromkeys(i for i in ids if i))
