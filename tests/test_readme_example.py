"""The README's example scenario is valid as written, and the error it shows for a misspelt value is the one
`feasible validate` prints."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def write_example(root: Path) -> list[str]:
    text = README.read_text(encoding="utf-8")
    written = []
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        named = re.match(r"# (\S+\.yaml)\n", block)
        if named:
            (root / named.group(1)).write_text(block, encoding="utf-8")
            written.append(named.group(1))
    return written


def test_the_readme_example_is_valid(cli, tmp_path):
    assert write_example(tmp_path) == ["scenario.yaml", "russia.yaml", "ukraine.yaml"]
    done = cli("validate", str(tmp_path))
    assert done.exit_code == 0, done.output


def test_the_readme_error_is_what_validate_prints(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the error names files relative to the working directory, as in the README
    write_example(tmp_path)
    russia = tmp_path / "russia.yaml"
    russia.write_text(russia.read_text().replace("rule: not western_troops\n",
                                                 'rule: not western_troops and force_lead != "europ"\n'))
    done = cli("validate", ".")
    assert done.exit_code == 2
    shown = re.search(r"\$ feasible validate \.\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert shown is not None
    assert done.output.strip() == shown.group(1).strip()
