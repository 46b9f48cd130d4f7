"""benchmarks/check_startup.py: ratios against the floor, an earlier revision's code run from its own tree
(--baseline), and no timing of a command that fails."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import check_startup  # noqa: E402


def test_every_command_is_shown_against_the_floor(tmp_path):
    chosen = check_startup.commands("ceasefire-basics", tmp_path / "b9bd6d1", tmp_path)
    assert list(chosen) == ["floor", "check", "check_json", "baseline_hit", "baseline_miss", "baseline_off"]
    medians = {name: (command, 0.5 * (1 + index / 10), 0.2 * (1 + index / 10))
               for index, (name, command) in enumerate(chosen.items())}
    text = check_startup.table(medians, 21, "ceasefire-basics", tmp_path / "b9bd6d1")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "median" not in line]
    assert [row.split(" | ")[-3:] for row in rows][:2] == [["1.00", "0.200", "1.00 |"], ["1.10", "0.220", "1.10 |"]]
    assert len(rows) == 6 and all("b9bd6d1: `" in row for row in rows[3:])
    assert f"--runs 21 --scenario ceasefire-basics --baseline {tmp_path / 'b9bd6d1'}`" in text


def test_the_baseline_runs_from_its_own_tree(tmp_path, monkeypatch):
    """Its `cli` package, not the installed one nor the working directory's."""
    (tmp_path / "old" / "cli").mkdir(parents=True)
    (tmp_path / "old" / "cli" / "__init__.py").write_text("")
    (tmp_path / "old" / "cli" / "entry.py").write_text("import sys\ndef main():\n    print('the old tree', "
                                                       "file=sys.stderr)\n    return 4\n")
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # where an installed-from-source `cli` would be
    old = check_startup.commands("ceasefire-basics", tmp_path / "old", tmp_path)["baseline_off"]
    with pytest.raises(SystemExit, match="exited 4:\nthe old tree"):
        check_startup.timed(old)
