"""One installed name (issue 14, point 1): the folders positions/, solver/ and cli/ install as feasible.positions,
feasible.solver and feasible.cli, and nothing else. A second import path (`import positions` from the source tree)
would load every module twice, and an Enum or a class from one copy is not the one from the other."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import importlib.util
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import feasible

REPO = Path(__file__).resolve().parent.parent
OLD_NAMES = ("positions", "solver", "cli")
FOLDERS = {"feasible": "feasible", "feasible.positions": "positions", "feasible.solver": "solver",
           "feasible.cli": "cli"}
# benchmarks/check_startup.py --baseline runs an earlier revision's source tree, which has the old layout
EARLIER_LAYOUT = {"benchmarks/check_startup.py": 1}  # file -> how many such imports it may have


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", OLD_NAMES)
def test_the_old_names_are_not_importable(name):
    assert importlib.util.find_spec(name) is None, f"`import {name}` works: a second path to feasible.{name}"


def _all_feasible_modules() -> list[str]:
    names = ["feasible"]
    for package in ("feasible.positions", "feasible.solver", "feasible.cli"):
        module = importlib.import_module(package)
        names += [package] + [info.name for info in pkgutil.walk_packages(module.__path__, package + ".")]
    return names


def test_no_module_is_loaded_twice():
    """Every module of the product is loaded once, under its feasible.* name."""
    for name in _all_feasible_modules():
        if name != "feasible.cli.__main__":  # running it runs the command
            importlib.import_module(name)
    product = [Path(folder).resolve() for folder in
               {Path(importlib.import_module(p).__file__).parent for p in FOLDERS}]
    by_file: dict[Path, list[str]] = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and any(Path(path).resolve().is_relative_to(folder) for folder in product):
            by_file.setdefault(Path(path).resolve(), []).append(name)
    assert by_file, "no product module found"
    assert all(name.startswith("feasible") for names in by_file.values() for name in names), by_file
    assert not {path: names for path, names in by_file.items() if len(names) > 1}


def test_the_public_enums_are_the_layers_own():
    from feasible.positions.model import RuleKind
    from feasible.solver.result import Verdict

    assert feasible.Verdict is Verdict and feasible.RuleKind is RuleKind


def test_pyproject_lists_every_package():
    """The package-dir mapping lists packages one by one: a new subpackage that is not listed would be left out
    of the installed package."""
    setuptools = _pyproject()["tool"]["setuptools"]
    assert setuptools["package-dir"] == FOLDERS
    on_disk = {top + "".join("." + part for part in init.parent.relative_to(REPO / folder).parts)
               for top, folder in FOLDERS.items() for init in (REPO / folder).rglob("__init__.py")}
    assert sorted(setuptools["packages"]) == sorted(on_disk)


def test_package_data_covers_every_shipped_scenario_file():
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["feasible.positions"]
    shipped = {path.relative_to(REPO / "positions") for path in (REPO / "positions" / "scenarios").rglob("*")
               if path.is_file()}
    covered = {path for pattern in patterns for path in shipped if path.match(pattern)}
    assert covered == shipped


def test_the_console_script_starts_from_feasible():
    assert _pyproject()["project"]["scripts"] == {"feasible": "feasible.cli.entry:main"}


def test_nothing_but_feasible_is_installed_at_the_top():
    """The distribution's files (a wheel's RECORD, or an editable install's hook) put nothing named positions,
    solver or cli at the top of site-packages."""
    files = importlib.metadata.files("feasible") or []
    tops = {file.parts[0] for file in files if file.parts[0] != ".."}  # "..": the console script in bin/
    assert tops, "feasible is not installed"
    assert not tops & set(OLD_NAMES)
    assert all(top == "feasible" or top.startswith(("feasible-", "__editable__", "__pycache__")) for top in tops), tops


def _old_imports(path: Path) -> list[str]:
    """Imports of the old names: import statements, and Python code or module names in string literals."""
    relative = path.relative_to(REPO).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] in OLD_NAMES]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [node.module] if node.module.split(".")[0] in OLD_NAMES else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            found += re.findall(r"\b(?:from|import)\s+(?:positions|solver|cli)\b[\w.]*|-m\s+(?:positions|solver|cli)\b",
                                node.value)
        elif isinstance(node, ast.List | ast.Tuple):  # [sys.executable, "-m", "cli"]
            words = [item.value if isinstance(item, ast.Constant) else None for item in node.elts]
            found += [f"-m {after}" for before, after in zip(words, words[1:]) if before == "-m" and after in OLD_NAMES]
    return [f"{relative}: {name}" for name in found[EARLIER_LAYOUT.get(relative, 0):]]


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string statements (docstrings): prose, which may name the folders."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def test_nothing_imports_the_old_names():
    sources = [path for folder in (*FOLDERS.values(), "tests", "benchmarks") for path in (REPO / folder).rglob("*.py")]
    assert len(sources) > 50
    assert not [line for path in sorted(sources) for line in _old_imports(path)]


def test_python_started_in_the_checkout_imports_feasible_from_it_whole():
    """`python -c` in the checkout finds its feasible/ folder before the installed package: the layers then come
    from the checkout too (installed without the editable hook, they were not found at all)."""
    code = ("import sys, feasible.cli.app\n"
            "print(sorted({m.__file__.rsplit('/', 2)[0] for n, m in sys.modules.items() if n.startswith('feasible')"
            " and n.count('.') == 1}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr([str(REPO)])


def test_the_package_says_it_is_typed():
    """PEP 561: without py.typed, a user's type checker ignores the API's annotations."""
    assert _pyproject()["tool"]["setuptools"]["package-data"]["feasible"] == ["py.typed"]
    assert (Path(feasible.__file__).parent / "py.typed").is_file()
