"""No module of the product imports another module's private (underscore) names, nor reaches them through the
module (`report._cell`): a private helper is free to change without breaking another module (issue 14)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from test_package_name import FOLDERS, REPO


def _modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the product."""
    found = {}
    for package, folder in FOLDERS.items():
        for path in (REPO / folder).rglob("*.py"):
            parts = path.relative_to(REPO / folder).with_suffix("").parts
            found[".".join((package, *parts)).removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _imported_module(importer: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def private_uses(importer: str, path: Path) -> list[str]:
    """`from M import _x`, and `m._x` where m names a module of the product, M or m being another module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, module_names = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _imported_module(importer, path, node)
            found += [f"from {source} import {alias.name}" for alias in node.names
                      if _private(alias.name) and source in MODULES and source != importer]
            module_names |= {alias.asname or alias.name: f"{source}.{alias.name}" for alias in node.names
                             if f"{source}.{alias.name}" in MODULES}
        elif isinstance(node, ast.Import):
            module_names |= {alias.asname: alias.name for alias in node.names if alias.asname and alias.name in MODULES}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in module_names
                and _private(node.attr) and module_names[node.value.id] != importer):
            found.append(f"{module_names[node.value.id]}.{node.attr}")
    return found


@pytest.mark.parametrize("importer", sorted(MODULES))
def test_no_module_uses_another_modules_private_names(importer):
    uses = private_uses(importer, MODULES[importer])
    assert not uses, f"{MODULES[importer].relative_to(REPO)} uses private names of other modules: {uses}"


def test_the_check_sees_a_private_import(tmp_path):
    """What the check looks for: overlay.py once imported the loader's private _Builder and _read."""
    path = tmp_path / "overlay.py"
    path.write_text("from .loader import _Builder, load_scenario\nfrom . import loader\nloader._read(1)\n")
    assert private_uses("feasible.positions.overlay", path) == [
        "from feasible.positions.loader import _Builder", "feasible.positions.loader._read"]
