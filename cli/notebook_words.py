"""What a result shown in a notebook says beyond the report's own parts (cli/notebook.py), worded once."""

from __future__ import annotations

# a result without its scenario (made by hand, or sent from another process) is shown by the names of its rules
NAMES_ONLY = ("Shown by rule names: this result does not carry its scenario (results of feasible.check carry it; "
              "result.with_scenario(scenario) adds it)")
DEAL_HEADING = "Best deal"
ISSUE_COLUMN = "Issue"
DEAL_COLUMN = "Deal"
CONFLICTS_HEADING = "Conflicts"
RELAXATIONS_HEADING = "Cheapest ways to a deal"
RED_LINES_COLUMN = "Red lines to give up"
COST_COLUMN = "Cost"
OPENED_HEADING = "The deal it opens"
CONFLICT_HEADING = "Conflict"
