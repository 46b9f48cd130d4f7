"""`feasible lint`: model-quality warnings on a scenario, each with a stable code (solver/lint/codes.py).

    from feasible.solver.lint import lint_path
    result = lint_path("ukraine-2026")
    result.findings, result.ignored, result.cut_short

Checks are small functions over a shared Context (context.py), grouped by what they look at: the deals
(deals.py, FL1xx), the writing of rules and issues (writing.py, FL2xx), sources (citations.py, FL3xx). Every
question about deals goes through one `settle` (universe.py), answered by elimination, under one time limit:
what the limit cuts short is named in the result, never passed off as clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from feasible.positions import Scenario, UserError
from feasible.positions.dates import as_of as taken_as_of
from feasible.positions.loader import load_scenario
from feasible.positions.readings import under_readings
from feasible.positions.errors import Diagnostic
from feasible.positions.suggest import did_you_mean

from ..search import Control, Searcher
from . import citations, deals, writing
from .codes import CODES, chosen_codes, code_hint
from .context import Context
from .findings import At, Finding, Ignored, LintResult
from .locate import Locator

DEFAULT_TIME_LIMIT = 10.0

Check = Callable[[Context, frozenset[str]], list[Finding]]
# Each check with the codes it can report, cheapest first: the checks that need no solve always finish.
CHECKS: tuple[tuple[Check, frozenset[str]], ...] = (
    (citations.uncited_sources, frozenset({"FL301"})),
    (citations.unsourced_positions, frozenset({"FL302"})),
    (writing.unmentioned_values, frozenset({"FL203"})),
    (writing.unrelated_conjunctions, frozenset({"FL204"})),
    (writing.lonely_red_lines, frozenset({"FL205"})),
    (writing.unmentioned_package_values, frozenset({"FL206"})),
    (writing.constant_comparisons, frozenset({"FL201", "FL202"})),
    (deals.demands_met_always_or_never, frozenset({"FL101", "FL102"})),
    (deals.implications_met_vacuously, frozenset({"FL103", "FL104"})),
    (deals.implied_by_another_party, frozenset({"FL105", "FL106"})),
)

__all__ = ["CODES", "DEFAULT_TIME_LIMIT", "At", "Finding", "Ignored", "LintResult", "lint", "lint_path"]


def lint(scenario: Scenario, codes: Iterable[str] | None = None, *, time_limit: float = DEFAULT_TIME_LIMIT,
         control: Control | None = None) -> LintResult:
    """The warnings of the given codes (default: all) on a loaded scenario, unlocated and with no ignores."""
    wanted = frozenset(CODES if codes is None else codes)
    ctx = Context(scenario, Searcher(time_limit, control, label=f"'{scenario.title}'"))
    runs = [(check, reports & wanted) for check, reports in CHECKS if reports & wanted]
    findings: list[Finding] = []
    for done, (check, reports) in enumerate(runs):
        ctx.searcher.stage = "linting"
        # Each check gets a fair share of the time left, so that one slow check does not starve the others.
        with ctx.searcher.budget(ctx.searcher.remaining() / (len(runs) - done)):
            findings += check(ctx, reports)
    which = ctx.deals[0] if ctx.asked_deals else None
    return LintResult(scenario.title, tuple(c for c in CODES if c in wanted), tuple(findings), deals=which,
                      cut_short=tuple(c for c in CODES if c in ctx.cut_short))


def lint_path(path: str | Path | None = None, *, select: Iterable[str] = (), ignore: Iterable[str] = (),
              time_limit: float = DEFAULT_TIME_LIMIT, control: Control | None = None,
              readings: Sequence[str] = (), as_of: date | None = None) -> LintResult:
    """`feasible lint PATH`: load the scenario, take it as of a day (`as_of`, else its own; positions/dates.py)
    and under the readings named, if any, check the codes chosen by --select and --ignore, locate every finding
    in its file, and set aside those the scenario's `lint: ignore:` entries name (with their reason; they may
    name any version of a rule)."""
    codes = chosen_codes(select, ignore)
    record: list[tuple[Path, bytes]] = []
    loaded = load_scenario(path, record=record, versions=True)
    scenario = under_readings(taken_as_of(loaded, as_of), readings)
    locator = Locator.of(scenario, record)
    entries = _ignore_entries(locator, loaded)
    result = replace(lint(scenario, codes, time_limit=time_limit, control=control), as_of=scenario.as_of)
    reported, ignored = [], []
    for finding in result.findings:
        located = locator.locate(finding, scenario)
        reason = next((e["reason"] for e in entries if _matches(e, located)), None)
        if reason is None:
            reported.append(located)
        else:
            ignored.append(Ignored(located, reason))
    titles = {reading.name: reading.title for reading in scenario.readings}
    return LintResult(result.title, result.codes, tuple(sorted(reported, key=Finding.sort_key)),
                      tuple(sorted(ignored, key=lambda i: i.finding.sort_key())), result.deals, result.cut_short,
                      tuple((name, titles[name]) for name in scenario.readings_used), result.as_of)


def _ignore_entries(locator: Locator, scenario: Scenario) -> list[dict]:
    """The scenario's ignore entries, each checked: a known code, a rule the scenario has."""
    entries = []
    for entry, where in locator.ignores():
        code, about = entry["code"], entry["about"]
        if code not in CODES:
            raise _located_error(where, f"unknown lint code '{code}' in an ignore entry", code_hint(code))
        known = _names(scenario, about[0]) if about else []
        if about and about[1] not in known:
            hint = did_you_mean(about[1], known) or f"name it as lint prints it ({about[0]}: ...)"
            raise _located_error(where, f"no {about[0]} '{about[1]}' to ignore {code} for", hint)
        entries.append(entry)
    return entries


def _located_error(where: Diagnostic, message: str, hint: str) -> UserError:
    return UserError(message, hint=hint, diagnostic=Diagnostic(message, where.location, where.line_text, where.width,
                                                               hint))


def _names(scenario: Scenario, kind: str) -> list[str]:
    if kind == "rule":
        return [r.name for r in scenario.rules()]
    return list(scenario.issues) if kind == "issue" else [s.id for s in scenario.sources]


def _matches(entry: dict, finding: Finding) -> bool:
    return entry["code"] == finding.code and entry["about"] in (None, (finding.at.kind, finding.at.name))
