"""Reference packages: the plans on the table (a draft, a framework, a declaration), each a full or partial
assignment of the scenario's issues, every value with its sources. `feasible packages` compares them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from .location import Location
from .sources import cited_ids


@dataclass(frozen=True)
class PackageValue:
    """What a package says on one issue."""

    issue: str
    value: Any  # as an issue's status_quo: bool, str, int or frozenset
    source: str | None = None  # its own `source:`, or else the package's
    says: str | None = None  # what the plan says on the issue, in its own words
    location: Location | None = field(default=None, compare=False)

    @property
    def source_ids(self) -> tuple[str, ...]:
        return cited_ids(self.source)


@dataclass(frozen=True)
class Package:
    """A named plan: the issues it settles (in the order it lists them) and what it is."""

    name: str
    title: str
    values: tuple[PackageValue, ...] = ()
    says: str | None = None
    date: datetime.date | None = None  # when it circulated (shown; not a validity range)
    source: str | None = None
    location: Location | None = field(default=None, compare=False)

    @property
    def source_ids(self) -> tuple[str, ...]:
        return cited_ids(self.source)

    @property
    def assignment(self) -> dict[str, Any]:
        """Issue → value, for the issues the package settles."""
        return {v.issue: v.value for v in self.values}

