"""The scenarios shipped with feasible, found through importlib.resources (not the source tree)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_SCENARIO = "ukraine-2026"


def scenarios_root() -> Path:
    root = resources.files("feasible.positions") / "scenarios"
    # Installed as a directory (wheel or editable), the traversable is a real path.
    return Path(str(root))


def shipped_scenarios() -> dict[str, Path]:
    """Name → path of every shipped scenario: a directory with scenario.yaml, or a single .yaml file."""
    found: dict[str, Path] = {}
    for entry in sorted(scenarios_root().iterdir()):
        if entry.is_dir() and (entry / "scenario.yaml").is_file():
            found[entry.name] = entry
        elif entry.is_file() and entry.suffix == ".yaml":
            found[entry.stem] = entry
    return found
