"""What `feasible import genius` and `feasible export genius` say, worded once (the help of `import` and `export`
themselves is in cli/words.py: it is needed at start-up, this module only by those commands)."""

from __future__ import annotations

STEP_NOT_A_NUMBER = "--step {step!r} is not a number"
STEP_HINT = "give the step of the real issues as a decimal, e.g. --step 0.1 (a value k stands for k × 0.1)"


def wrote(count: int, directory: str, names: list[str]) -> str:
    return f"wrote {count} file{'s' if count != 1 else ''} to {directory}: {', '.join(names)}"


def imported(counts: str) -> str:
    return f"the scenario loads and validates: {counts}"


def dropped(notes: list[str]) -> str:
    return "note: the GENIUS files do not hold " + "; ".join(notes) + " (docs/format.md#genius-files)"
