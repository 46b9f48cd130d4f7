"""FL1xx: what the deals say about a rule (demands met in every deal or in none, implications met only because
their condition fails, rules another party's rule already implies). Each check is a few `settle` calls."""

from __future__ import annotations

from collections.abc import Iterator

from feasible.positions import Rule, RuleKind
from feasible.positions.rules.syntax import And, Implies, names

from ..explain.oracle import worth_focusing
from ..groups import joined
from .context import Context
from .findings import At, Finding
from .universe import Part, Question, Universe


def demands_met_always_or_never(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL101 a demand every deal meets; FL102 a demand no deal meets."""
    which, universe = ctx.deals_for(codes & {"FL101", "FL102"})
    if universe is None:
        return []
    asked = {"FL102": True, "FL101": False}  # code → the demand's truth whose absence from every deal it reports
    questions = [Question((code, d.name), (Part(d.expr, d.types, wanted),))
                 for d in ctx.scenario.demands for code, wanted in asked.items() if code in codes]
    answers = ctx.settle(universe, questions, *(asked.keys() & codes))
    return [Finding(code, At("rule", name), {"deals": which}) for code, name in sorted(answers.unmet,
                                                                                       key=_rule_order(ctx))]


def implications_met_vacuously(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL103 an implication whose condition no deal meets; FL104 one no deal meets with its condition, i.e. met
    only where the condition fails."""
    which, universe = ctx.deals_for(codes & {"FL103", "FL104"})
    if universe is None:
        return []
    found = [(rule, i, node) for rule in ctx.positions() for i, node in enumerate(implications(rule.expr))]
    questions = []
    for rule, i, node in found:
        condition = Part(node.left, rule.types)
        questions.append(Question(("condition", rule.name, i), (condition,)))
        questions.append(Question(("both", rule.name, i), (condition, Part(node.right, rule.types))))
    answers = ctx.settle(universe, questions, *({"FL103", "FL104"} & codes))
    findings = []
    for rule, i, node in found:
        if ("condition", rule.name, i) in answers.unmet:
            code, span = "FL103", node.left.span
        elif ("both", rule.name, i) in answers.unmet:
            code, span = "FL104", node.span
        else:
            continue
        if code in codes:
            findings.append(Finding(code, At("rule", rule.name, span), {"deals": which}))
    return findings


def implications(expr) -> Iterator[Implies]:
    """The implications a rule asks for as a whole: the rule itself, or the parts of its top-level `and`."""
    if isinstance(expr, Implies):
        yield expr
    elif isinstance(expr, And):
        for operand in expr.operands:
            yield from implications(operand)


def implied_by_another_party(ctx: Context, codes: frozenset[str]) -> list[Finding]:
    """FL105 a red line implied by another party's red line, FL106 a demand by another party's demand, under
    the facts: in every deal meeting the facts where the other holds, it holds too."""
    rules = [r for r in ctx.positions() if _code_of(r) in codes]
    facts = ctx.facts
    # Degenerate cases prove nothing about two positions (a rule no deal meets implies every rule): set aside.
    checked = ctx.settle(facts, [Question(("can", r.name), (Part(r.expr, r.types),)) for r in rules]
                         + [Question(("can-fail", r.name), (Part(r.expr, r.types, False),)) for r in rules], *codes)
    usable = [r for r in rules if ("can", r.name) in checked.met and ("can-fail", r.name) in checked.met]
    # Two rules on issues no fact relates are independent: each can hold while the other fails.
    related = joined(names(f.expr) for f in ctx.scenario.facts)
    groups = {r.name: {related(issue) for issue in names(r.expr)} for r in usable}
    implied: dict[str, list[str]] = {}
    for rule in usable:
        if ctx.searcher.remaining() <= 0:
            ctx.cut(*codes)
            break
        others = [o for o in usable if o.owner != rule.owner and o.kind is rule.kind
                  and groups[o.name] & groups[rule.name]]
        if others:
            implied[rule.name] = _implying(ctx, rule, others)
    return _implied_findings(ctx, implied)


def _implying(ctx: Context, rule: Rule, others: list[Rule]) -> list[str]:
    """The rules among `others` under which `rule` always holds (the facts holding)."""
    universe = _universe_for(ctx, [rule, *others])
    questions = [Question(other.name, (Part(rule.expr, rule.types, False), Part(other.expr, other.types)))
                 for other in others]
    answers = ctx.settle(universe, questions, _code_of(rule))
    return [o.name for o in others if o.name in answers.unmet]


def _universe_for(ctx: Context, rules: list[Rule]) -> Universe:
    """The facts' universe, on a model of only these rules (and the facts) when that is much smaller."""
    facts = [f.name for f in ctx.scenario.facts]
    if not worth_focusing(len(rules) + len(facts), len(ctx.compiled.rules)):
        return ctx.facts
    focused = ctx.compiled.focus([r.name for r in rules], facts)
    return Universe(focused, facts, ctx.searcher)


def _implied_findings(ctx: Context, implied: dict[str, list[str]]) -> list[Finding]:
    order = {r.name: i for i, r in enumerate(ctx.scenario.rules())}
    findings = []
    for name, by in implied.items():
        # Two rules that imply each other say the same: reported once, on the later one.
        same = [other for other in by if name in implied.get(other, ())]
        equal = [other for other in same if order[other] < order[name]]
        stricter = [other for other in by if other not in same]
        if equal or stricter:
            findings.append(Finding(_code_of(ctx.scenario.rule(name)), At("rule", name),
                                    {"equal": equal, "implied_by": stricter}))
    return findings


def _code_of(rule: Rule) -> str:
    return "FL106" if rule.kind is RuleKind.DEMAND else "FL105"


def _rule_order(ctx: Context):
    order = {r.name: i for i, r in enumerate(ctx.scenario.rules())}
    return lambda key: (order[key[1]], key[0])

