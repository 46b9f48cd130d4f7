"""`feasible lint` as every format shows it: one view made from the lint result (words from cli/words.py), its
`json()` the feasible/1 document, and the text renderer (each warning as the compiler-style diagnostics of
`validate`: file:line:col, the line, a caret, the help)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from feasible.positions import Diagnostic, Location
from feasible.solver.lint import CODES, Finding, LintResult

from . import words
from .presentation import FORMAT
from .render import diagnostic_text


@dataclass(frozen=True)
class WarningView:
    code: str
    about: str  # "rule", "issue", "source" or "scenario"
    subject: str  # the rule's name, the issue's, the source's id ("" for the scenario)
    message: str
    fix: str
    location: Location | None
    line_text: str
    width: int
    details: dict[str, Any]

    def json(self) -> dict[str, Any]:
        loc = self.location
        return {"code": self.code, "name": CODES[self.code].name, "about": self.about, "subject": self.subject or None,
                "file": loc.file if loc else None, "line": loc.line if loc else None,
                "column": loc.column if loc else None, "message": self.message, "fix": self.fix,
                "details": self.details}

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.message, self.location, self.line_text, self.width, self.fix)


@dataclass(frozen=True)
class IgnoredView:
    warning: WarningView
    reason: str

    def json(self) -> dict[str, Any]:
        return {**self.warning.json(), "reason": self.reason}


@dataclass(frozen=True)
class LintView:
    title: str
    codes: tuple[str, ...]
    warnings: tuple[WarningView, ...]
    ignored: tuple[IgnoredView, ...]
    deals: str | None
    cut_short: tuple[str, ...]
    interrupted: bool
    readings: tuple[tuple[str, str], ...] = ()  # (name, title) of the readings chosen

    @property
    def readings_line(self) -> str | None:
        return words.readings_line(self.readings)

    def counts(self) -> list[tuple[str, int]]:
        found = Counter(w.code for w in self.warnings)
        return [(code, found[code]) for code in CODES if found[code]]

    def ignored_groups(self) -> list[tuple[str, str, int]]:
        """(code, reason, how many), in code order."""
        found = Counter((i.warning.code, i.reason) for i in self.ignored)
        return sorted(((code, reason, n) for (code, reason), n in found.items()),
                      key=lambda g: (list(CODES).index(g[0]), g[1]))

    def notes(self) -> list[str]:
        """The lines after the warnings: totals, what was ignored and why, which deals, what was cut short."""
        lines = [self.readings_line] if self.readings_line else []
        lines += [words.lint_totals(len(self.warnings), self.counts())]
        lines += [words.lint_ignored(n, code, reason) for code, reason, n in self.ignored_groups()]
        deals_note = words.lint_deals_note(self.deals)
        lines += [deals_note] if deals_note else []
        lines += [words.lint_cut_short(self.cut_short, self.interrupted)] if self.cut_short else []
        return lines

    def json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "scenario": self.title,
            **({"readings": [name for name, _ in self.readings]} if self.readings else {}),
            "codes": list(self.codes),
            "deals": self.deals,
            "complete": not self.cut_short,
            "cut_short": list(self.cut_short),
            "counts": dict(self.counts()),
            "warnings": [w.json() for w in self.warnings],
            "ignored": [i.json() for i in self.ignored],
        }


def lint_view(result: LintResult, interrupted: bool = False) -> LintView:
    return LintView(result.title, result.codes, tuple(_warning(f, result.deals) for f in result.findings),
                    tuple(IgnoredView(_warning(i.finding, result.deals), i.reason) for i in result.ignored),
                    result.deals, result.cut_short, interrupted, result.readings)


def _warning(finding: Finding, deals: str | None) -> WarningView:
    subject, details = finding.at.name, dict(finding.details)
    message = words.lint_message(finding.code, subject, details, deals)
    return WarningView(finding.code, finding.at.kind, subject, message, words.lint_fix(finding.code, subject, details),
                       finding.location, finding.line_text, finding.width, details)


def lint_text(view: LintView) -> Text:
    out = Text()
    for warning in view.warnings:
        out.append_text(diagnostic_text(warning.diagnostic(), f"warning[{warning.code}]", style="bold yellow"))
        out.append("\n")
    for line in view.notes():
        out.append(line + "\n")
    return out
