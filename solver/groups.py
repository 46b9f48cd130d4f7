"""Things joined into groups by what they share, directly or through others: the red lines of conflicts (disputes),
the issues a fact names together (what bears on what). One union-find for every such grouping."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def joined(groups: Iterable[Iterable[T]]) -> Callable[[T], T]:
    """Item → a representative of its group, where the items of each of `groups` are in one group (and groups
    sharing an item are one); an item in no group is its own representative."""
    parent: dict[T, T] = {}

    def root(item: T) -> T:
        while parent.get(item, item) != item:
            parent[item] = parent.get(parent[item], parent[item])
            item = parent[item]
        return item

    for group in groups:
        members = list(group)
        for other in members[1:]:
            first, second = root(members[0]), root(other)
            if first != second:
                parent[second] = first
    return root


def family_numbers(groups: Sequence[tuple[T, ...]]) -> dict[tuple[T, ...], int]:
    """Each group -> the number (from 1) of its family: groups sharing an item, directly or through others, are
    one family, numbered in the order their first group comes; an empty group is a family of its own, numbered
    after the others (the conflict of the facts alone, which shares no red line)."""
    family_of = joined(groups)
    roots = list(dict.fromkeys(family_of(group[0]) for group in groups if group))
    number = {root: n for n, root in enumerate(roots, 1)}
    return {group: number[family_of(group[0])] if group else len(roots) + 1 for group in groups}
