"""FL3xx: sources listed but never cited, and positions that cite none."""

from __future__ import annotations

import re

from feasible.positions.sources import cited_ids

from .context import Context
from .findings import At, Finding


def uncited_sources(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL301 an entry of `sources:` that no rule or package cites, nor the scenario's description or caveats (as
    [ID])."""
    cited = {i for rule in ctx.scenario.rules() for i in cited_ids(rule.source)}
    for package in ctx.scenario.packages:
        cited |= {*package.source_ids, *(i for value in package.values for i in value.source_ids)}
    for passage in (ctx.scenario.description or "", *ctx.scenario.caveats):
        cited |= set(re.findall(r"\[([^\[\]\s]+)\]", passage))
    return [Finding("FL301", At("source", source.id, index=i), {"title": source.title})
            for i, source in enumerate(ctx.scenario.sources) if source.id not in cited]


def unsourced_positions(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL302 a red line or demand without a source; a scenario that cites none at all gets one warning."""
    scenario = ctx.scenario
    unsourced = [r for r in ctx.positions() if not cited_ids(r.source)]
    if not scenario.sources and not any(cited_ids(r.source) for r in scenario.rules()):
        return [Finding("FL302", At("scenario"), {"positions": len(unsourced)})] if unsourced else []
    return [Finding("FL302", At("rule", r.name)) for r in unsourced]
