"""feasible: is there a package deal that every party can accept?

The library's public API, the names notebooks and scripts use (docs/api.md). Everything else lives in the
layers, installed under this package: feasible.positions (what parties want: the files, their rule language,
loading and validation), feasible.solver (what is possible: deals, conflicts, relaxations, why not) and
feasible.cli (the `feasible` command).

    import feasible
    scenario = feasible.load_scenario("three-party-toy")        # reads and validates; writes nothing
    result = feasible.check(scenario, feasible.Objective.FAIR, deals=2)
    result.verdict is feasible.Verdict.DEAL, result.deal.values

Each name is imported on first use: `import feasible` costs nothing, and the `feasible` command, which starts
here too, loads only the layers its subcommand needs.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

# Installed, the layers are subfolders of this package. In a checkout they are the folders beside it, which
# Python finds when the checkout is the working directory (`python -c`, a notebook started there): then this
# folder is `feasible`, and its layers must come from the same checkout, under the same feasible.* names.
if not (Path(__file__).parent / "positions").is_dir():
    __path__.append(str(Path(__file__).parent.parent))

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ imports on first use
    from .positions import (DEFAULT_SCENARIO, Diagnostic, FeasibleError, InternalError, InvalidScenario, Issue,
                            IssueKind, Location, Party, Rule, RuleKind, Scenario, Source, UserError, load_scenario,
                            shipped_scenarios)
    from .positions.edits import AppliedEdit, Edits, apply_edits
    from .positions.dates import as_of
    from .positions.packages import Package, PackageValue
    from .positions.readings import Question, Reading, combinations, under_readings
    from .positions.targets import Target, TargetKind, parse_target
    from .positions.uncertainty import ItemKind, UncertainItem, uncertain
    from .solver import (DEFAULT_TIME_LIMIT, CheckResult, Control, Deal, Objective, OpenValues, PartyOutcome, Room,
                         Statistics, Verdict, check)
    from .solver.coalitions import (BlockingGroup, Coalition, Coalitions, CoalitionVerdict, SubAgreement,
                                    SubConflict, coalitions, sub_agreement)
    from .solver.compare import Comparison, compare
    from .solver.explain.conflicts import Conflict, Unreachable
    from .solver.explain.disputes import Dispute, Option
    from .solver.explain.relaxations import Relaxation
    from .solver.explain.why import WhyNot, why_not
    from .solver.packages import Judgement, NearestDeal, PackageComparison, PackagesResult, compare_packages
    from .solver.readings import Matrix, readings_matrix
    from .solver.robust import RobustDeal, RobustStatus, robust_deal
    from .solver.sweep import (ExactProbability, Interval, Sensitivity, Sweep, SweepStatistics, SweptConflict,
                               SweptFamily, Tally, sweep)
    from .solver.timeline import Timeline, timeline
    from .positions.genius import export_genius, import_genius
    from .positions.utility import Utility
    from .solver.bargaining import BargainingPoint, FrontierPoint, Solution
    from .solver.frontier import Frontier, FrontierStatus, frontier, prove_pareto_optimal
    from .solver.tradeoffs import IssueOption, Tradeoffs, tradeoffs
    from .solver.utility import PartyUtility, UtilitySource, party_utilities

# name -> (the module that defines it, what it is): the public API, one line each. The lazy imports come from
# here; tests/test_public_api.py keeps __all__ and docs/api.md in step with it.
API: dict[str, tuple[str, str]] = {
    # loading: reading the files is validating them
    "load_scenario": ("feasible.positions", "Read and validate a scenario (a shipped name, a directory or a file; "
                                            "None: the default); raises InvalidScenario listing every problem."),
    "shipped_scenarios": ("feasible.positions", "Name -> path of every scenario shipped with feasible."),
    "DEFAULT_SCENARIO": ("feasible.positions", "The name of the scenario `feasible check` reads by default."),
    # the scenario model
    "Scenario": ("feasible.positions", "A loaded scenario: issues, parties, facts, sources (immutable)."),
    "Party": ("feasible.positions", "One party: its red lines and weighted demands."),
    "Rule": ("feasible.positions", "A red line, demand or fact: its id, the party's words (`says`) and its rule."),
    "RuleKind": ("feasible.positions", "Enum: what a rule is to its owner (fact, red line, demand)."),
    "Issue": ("feasible.positions", "One issue on the agenda and its domain."),
    "IssueKind": ("feasible.positions", "Enum: bool, enum, int, set or sequence."),
    "Source": ("feasible.positions", "A cited source of a position."),
    "Location": ("feasible.positions", "File, line and column of a diagnostic."),
    # errors
    "FeasibleError": ("feasible.positions", "Base of every error feasible raises on purpose."),
    "UserError": ("feasible.positions", "Bad input that is not a scenario file's (an edit, a target, a path)."),
    "InvalidScenario": ("feasible.positions", "The scenario's files have problems: .diagnostics lists them all."),
    "Diagnostic": ("feasible.positions", "One located problem: message, location, hint."),
    "InternalError": ("feasible.positions", "A bug in feasible (e.g. solver and evaluator disagree)."),
    # what-if edits
    "Edits": ("feasible.positions.edits", "What-if edits: drop, set, demote, overlays, weight (as on the command "
                                          "line)."),
    "apply_edits": ("feasible.positions.edits", "The scenario as the edits leave it, and what each edit touched."),
    "AppliedEdit": ("feasible.positions.edits", "One edit as applied: what was asked and which rules it touched."),
    # readings: the scenario's own contested interpretations (scenario.yaml `questions:` and `readings:`)
    "under_readings": ("feasible.positions.readings", "The scenario under the named readings (as --reading): check "
                                                      "what it returns."),
    "combinations": ("feasible.positions.readings", "Every combination of the questions' readings, the all-defaults "
                                                    "one first."),
    "Reading": ("feasible.positions.readings", "A named reading: title, sources, dates and its changes (as edits)."),
    "Question": ("feasible.positions.readings", "Readings that disagree on one point; the default is the files as "
                                                "written."),
    # positions over time: rules dated with valid_from / valid_until, scenario.yaml's as_of
    "as_of": ("feasible.positions.dates", "The scenario with only the rules valid on a day (None: its own as_of:); "
                                          "load_scenario(path, versions=True) keeps every version for it."),
    # uncertain positions: firm:, weight ranges and readings' p: (docs/uncertainty.md)
    "uncertain": ("feasible.positions.uncertainty", "The scenario's uncertain items (under chosen readings and "
                                                    "edits) and what each sample of them is (`.sample(draw)`)."),
    "UncertainItem": ("feasible.positions.uncertainty", "One uncertain item: its kind, name, values and their exact "
                                                        "probabilities."),
    "ItemKind": ("feasible.positions.uncertainty", "Enum: what an uncertain item is (firmness, weight, reading)."),
    # reference packages: the plans on the table (scenario.yaml `packages:`)
    "Package": ("feasible.positions.packages", "A plan on the table: title, sources and a value per issue it "
                                               "settles."),
    "PackageValue": ("feasible.positions.packages", "One issue's value in a package, with its sources."),
    # checking
    "check": ("feasible.solver", "Decide whether a deal exists: the best deals, room and unreachable demands, or "
                                 "minimal conflicts and cheapest relaxations; every answer verified."),
    "Objective": ("feasible.solver", "Enum: how deals are ranked (fair, welfare, nash)."),
    "DEFAULT_TIME_LIMIT": ("feasible.solver", "Seconds check and explain spend by default."),
    "Control": ("feasible.solver", "Progress reports and interruption of a running check."),
    "CheckResult": ("feasible.solver", "What check answers: verdict, deals, room, conflicts, relaxations."),
    "Verdict": ("feasible.solver", "Enum: deal, no-deal or unknown (the time limit ran out)."),
    "Deal": ("feasible.solver", "A package deal: a value per issue and each party's outcome."),
    "PartyOutcome": ("feasible.solver", "One party's side of a deal: the demands met and its satisfaction."),
    "Room": ("feasible.solver", "The room an issue leaves: the values it can take in a deal."),
    "OpenValues": ("feasible.solver", "The values an issue can take alone in a deal, keeping every satisfaction."),
    "Statistics": ("feasible.solver", "The model's size, the number of solves, the wall time."),
    "Conflict": ("feasible.solver.explain.conflicts", "A minimal set of red lines and facts that cannot all hold."),
    "Dispute": ("feasible.solver.explain.disputes", "Conflicts joined by shared red lines, and the options that settle "
                                                    "them."),
    "Option": ("feasible.solver.explain.disputes", "One way to settle a dispute: red lines to give up, and the cost."),
    "Relaxation": ("feasible.solver.explain.relaxations", "Red lines to drop for a deal, their cost, the deal "
                                                          "opened."),
    "Unreachable": ("feasible.solver.explain.conflicts", "A demand no deal can meet, and why."),
    # explaining
    "parse_target": ("feasible.positions.targets", "A target as `feasible explain` takes it: a demand, "
                                                   "ISSUE=VALUE or an issue name."),
    "Target": ("feasible.positions.targets", "What to explain."),
    "TargetKind": ("feasible.positions.targets", "Enum: demand, value or forced (an issue every deal settles)."),
    "why_not": ("feasible.solver.explain.why", "Why not? The red lines and facts ruling the target out, or a "
                                               "deal that reaches it."),
    "WhyNot": ("feasible.solver.explain.why", "What why_not answers."),
    # comparing
    "compare": ("feasible.solver.compare", "What changed between two check results (as `feasible diff` shows)."),
    "Comparison": ("feasible.solver.compare", "What compare answers."),
    "readings_matrix": ("feasible.solver.readings", "Check every combination of the questions' readings (as "
                                                    "`feasible readings`), on worker processes, and what holds in "
                                                    "all."),
    "Matrix": ("feasible.solver.readings", "What readings_matrix answers: a cell per combination, the robust "
                                           "findings."),
    "compare_packages": ("feasible.solver.packages", "Judge each package's values and find the nearest acceptable "
                                                     "deal (as `feasible packages`)."),
    "PackagesResult": ("feasible.solver.packages", "What compare_packages answers: a PackageComparison per "
                                                   "package."),
    "PackageComparison": ("feasible.solver.packages", "One package judged: its rules kept, broken or depending, "
                                                      "satisfaction, the nearest deal."),
    "Judgement": ("feasible.solver.packages", "Enum: a rule on a package's values (kept, broken, depends, "
                                              "undecided)."),
    "NearestDeal": ("feasible.solver.packages", "The acceptable deal nearest a package: what changes, who gains "
                                                "or loses."),
    # coalitions: who can agree without whom (docs/check.md "Coalitions")
    "coalitions": ("feasible.solver.coalitions", "The maximal coalitions with a deal and the minimal blocking groups "
                                                 "(as `feasible coalitions`), every one verified."),
    "Coalitions": ("feasible.solver.coalitions", "What coalitions answers: the parties considered, maximal "
                                                 "coalitions, blocking groups."),
    "CoalitionVerdict": ("feasible.solver.coalitions", "Enum: found, incomplete (cut short) or no-facts (the facts "
                                                       "alone cannot hold)."),
    "Coalition": ("feasible.solver.coalitions", "A maximal coalition: its parties and a witness deal."),
    "BlockingGroup": ("feasible.solver.coalitions", "A minimal group of parties without a deal, a conflict "
                                                    "showing why, and `others`: up to 3 more conflicts among the "
                                                    "same red lines."),
    "sub_agreement": ("feasible.solver.coalitions", "What a coalition can settle without the others, and whether "
                                                    "the others can accept a completion. `coalition` is a sequence of "
                                                    "party ids (a string is a `TypeError`); an unknown id is a "
                                                    "`UserError` naming the parameter (`coalition: no party 'e' in "
                                                    "the scenario`), as `include` and `exclude` of `coalitions` are "
                                                    "named."),
    "SubAgreement": ("feasible.solver.coalitions", "What sub_agreement answers: settled and open issues, values "
                                                   "(an equally good one the outsiders can complete first), the "
                                                   "completion or the conflict; `completable` with the `alternative` "
                                                   "(the best deal everyone accepts) or `outside_blocking` (the "
                                                   "groups outside that cannot join); `canonical` false when the "
                                                   "time limit cut the choice of the best deal short."),
    "SubConflict": ("feasible.solver.coalitions", "Settled values and outsiders' red lines that cannot hold "
                                                  "together (`settled`, `red_lines`, `facts`), and `members`: the "
                                                  "coalition's own red lines in it, only when they bind the open "
                                                  "issues."),
    "timeline": ("feasible.solver.timeline", "Check the scenario as of each day its positions change, and the days "
                                             "the answer changes (as `feasible timeline`)."),
    "Timeline": ("feasible.solver.timeline", "What timeline answers: periods and change points."),
    # uncertainty: firmness, weight ranges, readings' p (docs/uncertainty.md)
    "robust_deal": ("feasible.solver.robust", "The most robust deal of an Uncertain scenario: the deal every party "
                                              "accepts with the highest probability (exact), the bound no deal "
                                              "exceeds, the uncertain red lines it gambles on."),
    "RobustDeal": ("feasible.solver.robust", "What robust_deal answers: status, deal, probability and bound "
                                             "(Fractions), gambles; the sure red lines' conflict without a deal."),
    "RobustStatus": ("feasible.solver.robust", "Enum: found (proved), bounded, no-deal (whatever gives way) or "
                                               "not-computed (too many conditioning combinations, or no time)."),
    "sweep": ("feasible.solver.sweep", "Monte Carlo over the uncertain items (as `feasible sweep`): each sample "
                                       "checked, the deal probability with its interval, the exact one when the "
                                       "items are few, conflicts, red lines' shares, costs, sensitivity, the most "
                                       "robust deal; the same seed gives the same Sweep on any workers."),
    "Sweep": ("feasible.solver.sweep", "What sweep answers: the tally of the samples done and what is read from it "
                                       "(`partial` when interrupted; `statistics`, how it ran, is not part of the "
                                       "answer)."),
    "Tally": ("feasible.solver.sweep", "The integer counts of a set of samples (verdicts, conflicts, red lines, "
                                       "costs, per item value); tallies add up with `+`."),
    "Interval": ("feasible.solver.sweep", "The share of decided samples with a deal and its Wilson score interval."),
    "ExactProbability": ("feasible.solver.sweep", "P(deal) by enumerating every combination of the items' values "
                                                  "(Fractions), per item value too; or the reason it is not given."),
    "Sensitivity": ("feasible.solver.sweep", "One item's P(deal | value) for each value, from the samples (and "
                                             "exactly, when computed): the tornado's bar."),
    "SweptConflict": ("feasible.solver.sweep", "A conflict (its red lines) and the samples listing it, with its "
                                               "family."),
    "SweptFamily": ("feasible.solver.sweep", "Swept conflicts joined by shared red lines."),
    "SweepStatistics": ("feasible.solver.sweep", "How a sweep ran: seconds, samples computed, memo hits, compile "
                                                 "keys, engine and workers."),
    # trade-offs: utilities, the frontier, bargaining points, GENIUS files (docs/check.md "Trade-offs")
    "Utility": ("feasible.positions.utility", "A party's utility block as loaded: per-issue weights and scores (or "
                                              "ANAC 2014 rectangles), reservation and discount, exact Fractions."),
    "party_utilities": ("feasible.solver.utility", "Each party's utility (its block, else its demand satisfaction) "
                                                   "as integer / scale, with its disagreement value."),
    "PartyUtility": ("feasible.solver.utility", "One party's utility as the solver counts it: source, scale, bounds "
                                                "and disagreement value (integers)."),
    "UtilitySource": ("feasible.solver.utility", "Enum: a party's utility comes from its utility block or from its "
                                                 "demand satisfaction."),
    "frontier": ("feasible.solver.frontier", "The exact Pareto frontier of the parties' utilities over the deals "
                                             "every party accepts, without enumerating deals, and the four "
                                             "bargaining points (as `feasible frontier`)."),
    "Frontier": ("feasible.solver.frontier", "What frontier answers: parties, points in canonical order, status, "
                                             "disagreement and ideal points, bargaining points."),
    "FrontierStatus": ("feasible.solver.frontier", "Enum: complete, limit (more exist), time (more may exist), no "
                                                   "deal, interrupted."),
    "FrontierPoint": ("feasible.solver.bargaining", "One frontier point: each party's utility (Fraction and "
                                                    "integer) and one verified deal giving them."),
    "BargainingPoint": ("feasible.solver.bargaining", "A bargaining solution's point on the frontier, its ties and "
                                                      "whether it is exact, or the reason there is none."),
    "Solution": ("feasible.solver.bargaining", "Enum: the bargaining solutions: nash, kalai-smorodinsky, "
                                               "egalitarian, utilitarian."),
    "prove_pareto_optimal": ("feasible.solver.frontier", "One solve proving that no acceptable deal is at least as "
                                                         "good for every party and better for one (None: undecided "
                                                         "in time)."),
    "tradeoffs": ("feasible.solver.tradeoffs", "The price of an issue: per value, each party's best utility and "
                                               "the bargaining point it leads to (as `feasible tradeoffs`)."),
    "Tradeoffs": ("feasible.solver.tradeoffs", "What tradeoffs answers: the options in the issue's order and the "
                                               "unrestricted reference point."),
    "IssueOption": ("feasible.solver.tradeoffs", "One value of the issue: each party's best utility and the point "
                                                 "it leads to."),
    "import_genius": ("feasible.positions.genius", "A scenario directory's files (name to YAML text) from a GENIUS "
                                                   "domain and its profiles; located errors, all at once."),
    "export_genius": ("feasible.positions.genius", "The GENIUS files (name to XML text) of a scenario that fits the "
                                                   "format; a UserError naming everything that does not."),
}

__all__ = [  # API's keys, sorted; a literal, so that type checkers see the re-exports
    "AppliedEdit", "BargainingPoint", "BlockingGroup", "CheckResult", "Coalition", "CoalitionVerdict", "Coalitions",
    "Comparison", "Conflict", "Control", "DEFAULT_SCENARIO", "DEFAULT_TIME_LIMIT", "Deal", "Diagnostic", "Dispute",
    "Edits", "ExactProbability", "FeasibleError", "Frontier", "FrontierPoint", "FrontierStatus", "InternalError",
    "Interval", "InvalidScenario", "Issue", "IssueKind", "IssueOption", "ItemKind", "Judgement", "Location",
    "Matrix", "NearestDeal", "Objective", "OpenValues", "Option", "Package", "PackageComparison", "PackageValue",
    "PackagesResult", "Party", "PartyOutcome", "PartyUtility", "Question", "Reading", "Relaxation", "RobustDeal",
    "RobustStatus", "Room", "Rule", "RuleKind", "Scenario", "Sensitivity", "Solution", "Source", "Statistics",
    "SubAgreement", "SubConflict", "Sweep", "SweepStatistics", "SweptConflict", "SweptFamily", "Tally", "Target",
    "TargetKind", "Timeline", "Tradeoffs", "UncertainItem", "Unreachable", "UserError", "Utility", "UtilitySource",
    "Verdict", "WhyNot", "apply_edits", "as_of", "check", "coalitions", "combinations", "compare",
    "compare_packages", "export_genius", "frontier", "import_genius", "load_scenario", "parse_target",
    "party_utilities", "prove_pareto_optimal", "readings_matrix", "robust_deal", "shipped_scenarios",
    "sub_agreement", "sweep", "timeline", "tradeoffs", "uncertain", "under_readings", "why_not",
]


# result class -> the function showing it in a notebook ("module:function"): the HTML report's parts (cli/notebook.py).
# Named here, where the layers meet, because solver never imports cli; feasible.solver.display imports the module
# the first time such a result is shown.
RENDERERS: dict[str, str] = {
    "feasible.solver.result.CheckResult": "feasible.cli.notebook:check_result_html",
    "feasible.solver.explain.conflicts.Conflict": "feasible.cli.notebook:conflict_result_html",
    "feasible.solver.explain.relaxations.Relaxation": "feasible.cli.notebook:relaxation_result_html",
    "feasible.solver.frontier.Frontier": "feasible.cli.notebook:frontier_result_html",
    "feasible.solver.tradeoffs.Tradeoffs": "feasible.cli.notebook:tradeoffs_result_html",
    "feasible.solver.coalitions.Coalitions": "feasible.cli.notebook:coalitions_result_html",
}


def __getattr__(name: str) -> object:
    if name not in API:
        raise AttributeError(f"module 'feasible' has no attribute {name!r}")
    value = getattr(import_module(API[name][0]), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(API))
