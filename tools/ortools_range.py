"""Run the tests on the oldest and the newest OR-Tools that pyproject.toml declares, and on the newest once more
with the `cp_model` fallback forced (FEASIBLE_CPSAT=cp_model): the range declared is the range tested.

    python tools/ortools_range.py              # the solver tests: every test module that imports the solver
    python tools/ortools_range.py --all        # the whole suite
    python tools/ortools_range.py -- -x -k nash   # anything after -- goes to pytest

Each of the two OR-Tools gets its own virtual environment in the project folder (.venv-ortools-oldest,
.venv-ortools-newest; --fresh makes them again), with the project installed editable and its test extra, and
brought to the range's ends again on every run; pip uses its usual index, nothing else is downloaded.
Durations: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTS_SOLVER = re.compile(r"^\s*(from|import)\s+(feasible\.)?solver\b", re.MULTILINE)


def declared_range() -> tuple[str, str]:
    """The lowest version and the exclusive upper bound of pyproject.toml's ortools requirement."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    requirement = next(d for d in dependencies if re.match(r"ortools\s*[<>=]", d))
    lowest, below = re.search(r">=\s*([\d.]+)", requirement), re.search(r"<\s*([\d.]+)", requirement)
    if lowest is None or below is None:
        sys.exit(f"pyproject.toml: '{requirement}' declares no range (ortools>=OLDEST,<NEXT)")
    return lowest.group(1), below.group(1)


def environment(name: str, requirement: str, fresh: bool) -> Path:
    """A virtual environment with the project (editable, test extra) and the OR-Tools `requirement`."""
    folder = ROOT / f".venv-ortools-{name}"
    if fresh and folder.exists():
        shutil.rmtree(folder)
    python = folder / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]", requirement],
                       check=True, cwd=ROOT)
    else:  # the range may have moved, or a newer release come out, since the environment was made
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", requirement], check=True, cwd=ROOT)
    return python


def installed_ortools(python: Path) -> str:
    return subprocess.run([str(python), "-c", "import ortools; print(ortools.__version__)"], check=True,
                          capture_output=True, text=True).stdout.strip()


def solver_test_modules() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_*.py")
                  if IMPORTS_SOLVER.search(p.read_text(encoding="utf-8")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="run the whole suite, not only the solver tests")
    parser.add_argument("--fresh", action="store_true", help="make the virtual environments again")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --)")
    args = parser.parse_args()
    lowest, below = declared_range()
    targets = [] if args.all else solver_test_modules()
    runs = [("oldest", f"ortools=={lowest}.*", ""), ("newest", f"ortools>={lowest},<{below}", ""),
            ("newest", f"ortools>={lowest},<{below}", "cp_model")]
    results = []
    for name, requirement, switch in runs:
        python = environment(name, requirement, args.fresh)
        version = installed_ortools(python)
        env = {**os.environ, "FEASIBLE_CPSAT": switch}
        print(f"== OR-Tools {version}, FEASIBLE_CPSAT={switch!r}", flush=True)
        started = time.monotonic()
        # The environment's pytest script, not `python -m pytest`: -m puts the checkout on sys.path, where the
        # folders positions/, solver/ and cli/ would import under their bare names (tests/test_package_name.py).
        done = subprocess.run([str(python.with_name("pytest")), "-q", "-p", "no:cacheprovider", *targets,
                               *args.pytest_args], cwd=ROOT, env=env)
        results.append((version, switch, done.returncode, time.monotonic() - started))
    print("\nOR-Tools    FEASIBLE_CPSAT  pytest  seconds")
    for version, switch, code, seconds in results:
        print(f"{version:<11} {switch or '(unset)':<15} {'passed' if code == 0 else f'exit {code}':<7} {seconds:7.0f}")
    return max(code for _, _, code, _ in results)


if __name__ == "__main__":
    sys.exit(main())
