"""Things joined into groups by what they share, directly or through others: the red lines of conflicts (disputes),
the issues a fact names together (what bears on what). One union-find for every such grouping."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
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
