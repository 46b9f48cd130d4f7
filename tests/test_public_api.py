"""`import feasible`: the documented entry point of the library (feasible/__init__.py, docs/api.md)."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from enum import Enum
from pathlib import Path

import pytest

import feasible

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_all_lists_the_api_once_and_sorted():
    assert feasible.__all__ == sorted(feasible.API)


@pytest.mark.parametrize("name", sorted(feasible.API))
def test_each_name_is_the_layers_own_object(name):
    module, described = feasible.API[name]
    assert getattr(feasible, name) is getattr(importlib.import_module(module), name)
    assert described.strip()


def test_docs_api_describes_every_name():
    """docs/api.md has a row per name, with the description feasible.API gives it (one wording, two places)."""
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+?) \|$", API_DOC.read_text(encoding="utf-8"), flags=re.M))
    assert rows == {name: described for name, (_, described) in feasible.API.items()}


def test_the_documented_enums_are_enums():
    enums = {name for name, (_, described) in feasible.API.items() if described.startswith("Enum:")}
    assert enums == {name for name in feasible.API if isinstance(getattr(feasible, name), type)
                     and issubclass(getattr(feasible, name), Enum)}


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'load'"):
        feasible.load  # noqa: B018


def test_importing_feasible_loads_no_layer():
    """The `feasible` command starts in this package too: importing it must not load the solver (nor OR-Tools)."""
    code = ("import sys, feasible\n"
            "print(sorted(m for m in sys.modules if m.startswith(('feasible.', 'ortools', 'pydantic', 'yaml'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_load_check_edit_explain_compare_through_feasible():
    """The README's example and the rest of the API, from `import feasible` alone."""
    scenario = feasible.load_scenario("three-party-toy")
    result = feasible.check(scenario, feasible.Objective.FAIR, deals=2)
    assert result.verdict is feasible.Verdict.DEAL and len(result.deals) == 2
    edited, applied = feasible.apply_edits(scenario, feasible.Edits(set=("extraction_cap=300",)))
    assert applied == [feasible.AppliedEdit("set", "extraction_cap=300", ("facts/set-extraction-cap",))]
    answer = feasible.why_not(scenario, feasible.parse_target(scenario, "extraction_cap=300"), 10.0)
    assert answer.target.kind is feasible.TargetKind.VALUE and not answer.possible
    assert answer.reason == feasible.Conflict(red_lines=("north/enough-water",), facts=())
    assert feasible.compare(result, feasible.check(edited)).verdict_after is feasible.Verdict.NO_DEAL


def test_invalid_files_raise_invalid_scenario_with_every_problem(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("title: t\nissues: {x: {type: bool}}\nparties: {a: {red_lines: [{id: r, rule: y}]}}\n")
    with pytest.raises(feasible.InvalidScenario) as raised:
        feasible.load_scenario(path)
    assert raised.value.diagnostics and isinstance(raised.value, feasible.FeasibleError)


def _python_blocks(markdown: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown.read_text(encoding="utf-8"), flags=re.M | re.S)


def test_the_readme_enters_through_import_feasible(capsys):
    """README.md's Python example starts with `import feasible`, uses nothing else of feasible, and runs."""
    readme = API_DOC.parent.parent / "README.md"
    [example] = _python_blocks(readme)
    assert example.startswith("import feasible\n") and "from feasible" not in example
    exec(compile(example, str(readme), "exec"), {})  # noqa: S102 - our own README
    assert capsys.readouterr().out.startswith("Verdict.DEAL {")


DOCS = ["README.md", *(f"docs/{page.name}" for page in sorted(API_DOC.parent.glob("*.md")))]


@pytest.mark.parametrize("markdown", DOCS)
def test_the_docs_import_no_old_name(markdown):
    blocks = _python_blocks(API_DOC.parent.parent / markdown)
    assert not [line for block in blocks for line in block.splitlines()
                if re.match(r"\s*(from|import)\s+(positions|solver|cli)\b", line)]
