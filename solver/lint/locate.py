"""Where a finding is, in the files the scenario was loaded from: file:line:col, the line, and the width of
the part meant (a comparison inside a rule is pointed at as a rule error is). Also reads the scenario's
`lint: ignore:` entries, located."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from feasible.positions import Scenario
from feasible.positions.errors import Diagnostic
from feasible.positions.limits import Limits
from feasible.positions.loader import rule_diagnostic
from feasible.positions.location import SourceFile, display_path
from feasible.positions.schema import LintIgnoreEntry, LintSettings
from feasible.positions.yamlread import LocatedDoc, Path_, read_yaml

from .findings import Finding

RULE_LISTS = ("facts", "red_lines", "demands")


@dataclass
class Locator:
    """The located documents of a scenario's files, read from the exact bytes it was built from."""

    head: LocatedDoc | None
    docs: dict[str, LocatedDoc]  # by the name files have in locations
    rule_paths: dict[tuple[str, int, int], Path_]  # a rule entry's location → its path in its document

    @classmethod
    def of(cls, scenario: Scenario, files: Sequence[tuple[Path, bytes]]) -> Locator:
        docs: dict[str, LocatedDoc] = {}
        head = None
        for path, raw in files:
            display = display_path(path)
            doc, _ = read_yaml(SourceFile(path, display, raw.decode("utf-8-sig")), Limits.from_environment())
            if doc is None:
                continue
            docs[display] = doc
            if scenario.files and path == scenario.files[0]:
                head = doc
        paths: dict[tuple[str, int, int], Path_] = {}
        for display, doc in docs.items():
            for node_path in doc.nodes:
                if len(node_path) >= 2 and isinstance(node_path[-1], int) and node_path[-2] in RULE_LISTS:
                    where = doc.location(node_path)
                    paths[(display, where.line, where.column)] = node_path
        return cls(head, docs, paths)

    def locate(self, finding: Finding, scenario: Scenario) -> Finding:
        found = self._diagnostic(finding, scenario)
        if found is None or found.location is None:
            return finding
        return replace(finding, location=found.location, line_text=found.line_text, width=found.width)

    def _diagnostic(self, finding: Finding, scenario: Scenario) -> Diagnostic | None:
        at = finding.at
        if at.kind == "rule":
            rule = scenario.rule(at.name)
            where = rule.location
            if where is None or where.file not in self.docs:
                return None
            doc = self.docs[where.file]
            path = self.rule_paths.get((where.file, where.line, where.column))
            if path is None:
                return None
            if at.span is None:
                return doc.diagnostic(path + ("rule",), "")
            return rule_diagnostic(doc, path + ("rule",), at.span, "", None)
        if self.head is None:
            return None
        if at.kind == "issue":
            issue_path: Path_ = ("issues", at.name)
            if at.index is None:
                return self.head.diagnostic(issue_path, "", key=True)
            return self.head.diagnostic(issue_path + ("values", at.index), "")
        if at.kind == "source":
            return self.head.diagnostic(("sources", at.index or 0, "id"), "")
        if at.kind == "package":
            package = next(p for p in scenario.packages if p.name == at.name)
            return self.head.diagnostic(("packages", at.name, "values", package.values[at.index or 0].issue), "",
                                        key=True)
        return self.head.diagnostic(("title",), "", key=True)

    def ignores(self) -> list[tuple[dict, Diagnostic]]:
        """The scenario's ignore entries (code, what it is about as (kind, name) or None, reason), each with where
        its code is written."""
        data = self.head.data if self.head is not None else {}
        settings = LintSettings.model_validate(data["lint"]) if isinstance(data.get("lint"), dict) else None
        if settings is None:
            return []
        assert self.head is not None
        return [({"code": entry.code, "about": _about(entry), "reason": entry.reason},
                 self.head.diagnostic(("lint", "ignore", i, "code"), ""))
                for i, entry in enumerate(settings.ignore)]


def _about(entry: LintIgnoreEntry) -> tuple[str, str] | None:
    for kind in ("rule", "issue", "source"):
        name = getattr(entry, kind)
        if name is not None:
            return kind, name
    return None
