"""'Did you mean …?' suggestions for misspelt names, keys and values."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

#: The most candidates compared in full with one word. A scenario may hold many thousands of names and report
#: an error for each of many misspellings: comparing every word with every name would take hours.
MAX_COMPARED = 200


def did_you_mean(word: str, candidates: Iterable[str], quote: str = "'") -> str | None:
    """A hint naming the closest candidates to `word`, or None when nothing is close."""
    index = _index(tuple(candidates))
    close = difflib.get_close_matches(word, index.nearest(word), n=3, cutoff=0.6)
    if not close and word.lower() in index.lowered:
        close = [index.lowered[word.lower()]]
    if not close:
        return None
    return "did you mean " + " or ".join(f"{quote}{c}{quote}" for c in close) + "?"


@dataclass(frozen=True)
class _Index:
    """One pool of candidates, sorted forwards and by their reversed spelling, built once per pool."""

    pool: tuple[str, ...]
    backwards: tuple[str, ...]  # each candidate spelt backwards, sorted
    lowered: dict[str, str]

    def nearest(self, word: str) -> list[str]:
        """Every candidate when there are few; otherwise those sharing the longest beginning or ending with
        `word` (a misspelling keeps one or the other), in their sorted order."""
        if len(self.pool) <= MAX_COMPARED:
            return list(self.pool)
        half = MAX_COMPARED // 4
        chosen = set(_around(self.pool, word, half))
        chosen.update(c[::-1] for c in _around(self.backwards, word[::-1], half))
        return sorted(chosen)


def _around(ordered: tuple[str, ...], word: str, count: int) -> tuple[str, ...]:
    """The `count` entries on each side of where `word` would sort."""
    at = bisect.bisect_left(ordered, word)
    return ordered[max(at - count, 0): at + count]


@lru_cache(maxsize=16)  # the same pool (a scenario's issues, one issue's values) is asked about again and again
def _index(candidates: tuple[str, ...]) -> _Index:
    pool = tuple(sorted(set(candidates)))
    return _Index(pool, tuple(sorted(c[::-1] for c in pool)), {c.lower(): c for c in pool})
