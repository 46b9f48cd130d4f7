"""`feasible diff OLD NEW`: positions added, removed and changed, then the before/after comparison of the results;
between two directories, two files, and a git revision (REV:PATH) and the working tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.positions import shipped_scenarios
from feasible.positions.versions import is_revision_spec, load_revision

WHATIF = Path(__file__).parent / "data" / "whatif"
LAKE = WHATIF / "lake"

NEW_PARTY = """\
party: west
name: West (new town)
red_lines:
  - id: no-dam
    says: No dam.
    rule: not (projects contains "dam")
demands:
  - id: chair-east
    says: East chairs the authority.
    rule: chair == "east"
    weight: 1
"""


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def diff_json(*args: str, code: int) -> dict:
    result = invoke("diff", *args, "--format", "json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def changed_copy(source: Path, target: Path) -> Path:
    """A copy of the lake scenario with a changed weight, a removed rule and an added party."""
    shutil.copytree(source, target)
    edit_text(target / "east.yaml", "    weight: 3\n", "    weight: 5\n")  # east/monitoring
    edit_text(target / "south.yaml", "  - id: dam-only-with-canal\n"
                                     "    says: A dam only if a canal carries water on to the south.\n"
                                     "    rule: projects contains \"dam\" -> projects contains \"canal\"\n", "")
    (target / "west.yaml").write_text(NEW_PARTY)
    return target


@pytest.fixture
def versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(LAKE, tmp_path / "old")
    changed_copy(LAKE, tmp_path / "new")
    return "old", "new"


# -- two directories -----------------------------------------------------------------------------------------------

def test_diff_two_directories_json(versions):
    doc = diff_json(*versions, code=0)
    assert set(doc) == {"format", "old", "new", "positions", "changes"}
    assert doc["format"] == "feasible/1"
    positions = doc["positions"]
    assert set(positions) == {"parties_added", "parties_removed", "issues_added", "issues_removed",
                              "issues_changed", "rules_added", "rules_removed", "rules_changed"}
    assert positions["parties_added"] == ["west"] and positions["parties_removed"] == []
    assert positions["rules_added"] == ["west/no-dam", "west/chair-east"]
    assert positions["rules_removed"] == ["south/dam-only-with-canal"]
    # the weight, and east's accept_at_least level that is measured in demand weight
    assert positions["rules_changed"] == {"east/accept-at-least": ["rule"], "east/monitoring": ["weight"]}
    assert positions["issues_added"] == positions["issues_removed"] == positions["issues_changed"] == []


def test_diff_results_have_the_check_shape(versions):
    doc = diff_json(*versions, code=0)
    plain = json.loads(invoke("check", "old", "--format", "json").stdout)
    assert doc["old"]["deal"] == plain["deal"]
    assert doc["old"]["verdict"] == "deal" and doc["new"]["verdict"] == "deal"
    changes = doc["changes"]
    assert changes["verdict"] == {"before": "deal", "after": "deal"}
    assert "projects" in changes["issues_changed"]  # west wants no dam
    assert "dam" not in doc["new"]["deal"]["issues"]["projects"]
    assert changes["satisfaction"]["west"]["before"] is None
    assert changes["satisfaction"]["west"]["after"] == doc["new"]["deal"]["satisfaction"]["west"]
    for party, sat in changes["satisfaction"].items():
        if party != "west":
            assert sat["before"] == doc["old"]["deal"]["satisfaction"][party]


def test_diff_two_directories_text(versions):
    result = invoke("diff", *versions)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Positions: old → new" in text
    assert "party added: west" in text
    assert "+ west/no-dam: “No dam.”" in text
    assert "- south/dam-only-with-canal: “A dam only if a canal carries water on to the south.”" in text
    assert "~ east/monitoring: weight changed" in text
    assert "    weight: 3 → 5" in text
    assert "Results: old → new" in text
    assert "verdict: deal → deal" in text
    assert text.index("Positions:") < text.index("Results:")


def test_diff_removed_party(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(LAKE, "old")
    shutil.copytree(LAKE, "new")
    (tmp_path / "new" / "south.yaml").unlink()
    doc = diff_json("old", "new", code=0)
    assert doc["positions"]["parties_removed"] == ["south"]
    assert doc["positions"]["rules_removed"][0] == "south/river-keeps-flowing"
    assert doc["changes"]["satisfaction"]["south"]["after"] is None


def test_diff_changed_issue_and_rule_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(LAKE, "old")
    shutil.copytree(LAKE, "new")
    edit_text(tmp_path / "new" / "scenario.yaml", "    max: 1000\n", "    max: 900\n")
    edit_text(tmp_path / "new" / "north.yaml", "extraction_cap >= 400", "extraction_cap >= 450")
    doc = diff_json("old", "new", code=0)
    assert doc["positions"]["issues_changed"] == ["extraction_cap"]
    assert doc["positions"]["rules_changed"] == {"north/enough-water": ["rule"]}
    change = doc["changes"]["issues_changed"]["extraction_cap"]
    assert (change["before"], change["after"]) == (400, 450)


def test_diff_to_no_deal_exits_1_with_new_conflicts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(LAKE, "old")
    shutil.copytree(LAKE, "new")
    edit_text(tmp_path / "new" / "north.yaml", "extraction_cap >= 400", "extraction_cap >= 800")
    doc = diff_json("old", "new", code=1)
    assert doc["changes"]["verdict"] == {"before": "deal", "after": "no-deal"}
    assert doc["changes"]["conflicts_new"] == [["north/enough-water", "south/river-keeps-flowing"]]
    back = diff_json("new", "old", code=0)
    assert back["changes"]["conflicts_resolved"] == [["north/enough-water", "south/river-keeps-flowing"]]


def test_diff_identical(versions):
    result = invoke("diff", "old", "old")
    assert result.exit_code == 0, result.output
    assert "no position changed" in result.stdout
    assert "verdict: deal → deal" in result.stdout
    assert "East (lakeside town) satisfied: 83% → 83%" in result.stdout  # every party, changed or not
    doc = diff_json("old", "old", code=0)
    assert all(not v for v in doc["positions"].values())
    assert doc["changes"]["issues_changed"] == {}


def test_diff_two_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(shipped_scenarios()["three-party-toy"], "old.yaml")
    shutil.copy(shipped_scenarios()["three-party-toy"], "new.yaml")
    edit_text(tmp_path / "new.yaml", "        says: South chairs the authority.\n",
              "        says: South chairs the lake authority.\n")
    doc = diff_json("old.yaml", "new.yaml", code=0)
    assert doc["positions"]["rules_changed"] == {"south/south-chairs": ["says"]}


def test_diff_shipped_name_against_a_copy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(shipped_scenarios()["ceasefire-basics"], "mine")
    (tmp_path / "mine" / "mediator.yaml").unlink()
    doc = diff_json("ceasefire-basics", "mine", code=1)
    assert doc["positions"]["parties_removed"] == ["mediator"]


@pytest.mark.parametrize("old, new, message", [
    ("old", "nowhere", "no scenario at 'nowhere'"),
    ("nowhere", "old", "no scenario at 'nowhere'"),
])
def test_diff_missing_scenario(versions, old, new, message):
    result = invoke("diff", old, new)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_diff_invalid_scenario_is_located(versions, tmp_path):
    edit_text(tmp_path / "new" / "east.yaml", "rule: joint_authority", "rule: joint_authorty")
    result = invoke("diff", *versions)
    assert result.exit_code == 2, result.output
    assert "new/east.yaml:" in result.stderr and "did you mean 'joint_authority'?" in result.stderr


# -- git revisions -------------------------------------------------------------------------------------------------

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo)}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with the lake scenario at scen/ committed, then changed in the working tree."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    shutil.copytree(LAKE, root / "scen")
    shutil.copy(shipped_scenarios()["three-party-toy"], root / "toy.yaml")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    shutil.rmtree(root / "scen")
    changed_copy(LAKE, root / "scen")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return root


def test_diff_revision_against_working_tree(repo):
    doc = diff_json("HEAD:scen", "scen", code=0)
    assert doc["positions"]["parties_added"] == ["west"]
    assert doc["positions"]["rules_removed"] == ["south/dam-only-with-canal"]
    assert doc["positions"]["rules_changed"]["east/monitoring"] == ["weight"]
    result = invoke("diff", "HEAD:scen", "scen")
    assert result.exit_code == 0, result.output
    assert "Positions: HEAD:scen → scen" in result.stdout
    assert "Results: HEAD:scen → scen" in result.stdout


def test_diff_two_revisions(repo):
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "second")
    doc = diff_json("HEAD~1:scen", "HEAD:scen", code=0)
    assert doc["positions"]["parties_added"] == ["west"]
    assert all(not v for v in diff_json("HEAD:scen", "scen", code=0)["positions"].values())


def test_diff_revision_of_a_single_file(repo):
    edit_text(repo / "toy.yaml", "        weight: 3\n", "        weight: 4\n")
    doc = diff_json("HEAD:toy.yaml", "toy.yaml", code=0)
    assert doc["positions"]["rules_changed"]["east/monitoring"] == ["weight"]


def test_diff_revision_path_is_relative_to_the_working_directory(repo, monkeypatch):
    monkeypatch.chdir(repo / "scen")
    doc = diff_json("HEAD:.", ".", code=0)
    assert doc["positions"]["parties_added"] == ["west"]


def test_load_revision_names_files_rev_path(repo):
    scenario = load_revision("HEAD:scen", repo)
    assert [p.id for p in scenario.parties] == ["east", "north", "south"]
    assert scenario.party("north").red_lines[0].location.file == "HEAD:scen/north.yaml"


def test_invalid_file_at_a_revision_is_located_as_rev_path(repo):
    edit_text(repo / "scen" / "north.yaml", "rule: extraction_cap >= 400", "rule: extraction_capp >= 400")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "typo")
    result = invoke("diff", "HEAD:scen", "HEAD~1:scen")
    assert result.exit_code == 2, result.output
    assert "HEAD:scen/north.yaml:" in result.stderr
    assert "did you mean 'extraction_cap'?" in result.stderr


@pytest.mark.parametrize("spec, message", [
    ("nosuchrev:scen", "error: nosuchrev:scen: 'nosuchrev' is not a revision in this repository "
                       "(git: Not a valid object name nosuchrev)\n"),
    ("HEAD~5:scen", "error: HEAD~5:scen: 'HEAD~5' is not a revision in this repository "
                    "(git: Not a valid object name HEAD~5)\n"),
    ("--output=x:scen", "error: --output=x:scen: '--output=x' is not a revision in this repository "
                        "(git: a revision never starts with '-')\n"),
    ("HEAD:elsewhere", "error: HEAD:elsewhere: 'elsewhere' is not there at revision HEAD "
                       "(git: path 'elsewhere' does not exist in 'HEAD')\n"),
])
def test_bad_revision_exits_2(repo, spec, message):
    """A clean message naming the argument, with git's own short reason: not git's raw output."""
    result = invoke("diff", "--", spec, "scen")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "fatal:" not in result.stderr and "git cat-file" not in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_a_path_too_long_to_look_up_at_a_revision_exits_2(repo):
    """Deciding whether `REV:PATH` is a path on disk must not fail on a name the file system cannot look up."""
    result = invoke("diff", "HEAD:" + "a" * 300, "scen")
    assert result.exit_code == 2, result.output
    assert "is not there at revision HEAD" in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_non_ascii_file_names_at_a_revision(repo):
    """git quotes names outside ASCII in plain `ls-tree` output ("r\\303\\253d.yaml"): read as such, the party
    file seemed new. Identical files are the same scenario."""
    (repo / "scen" / "south.yaml").rename(repo / "scen" / "rëd_side.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "renamed")
    scenario = load_revision("HEAD:scen", repo)
    assert "HEAD:scen/rëd_side.yaml" in {r.location.file for r in scenario.rules()}
    doc = diff_json("HEAD:scen", "scen", code=0)
    assert not any(doc["positions"].values())


def test_revision_without_yaml_files(repo):
    (repo / "docs").mkdir()
    (repo / "docs" / "notes.txt").write_text("notes\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "docs")
    result = invoke("diff", "HEAD:docs", "scen")
    assert result.exit_code == 2, result.output
    assert "no YAML files there at revision HEAD" in result.stderr


def test_revision_outside_a_git_repository(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    plain = tmp_path / "plain"
    shutil.copytree(LAKE, plain / "scen")
    monkeypatch.chdir(plain)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = invoke("diff", "HEAD:scen", "scen")
    assert result.exit_code == 2, result.output
    assert "is not in a git repository (git: not a git repository" in result.stderr
    assert "fatal:" not in result.stderr and "Traceback" not in result.output


def test_revision_path_outside_the_repository(repo, tmp_path):
    result = invoke("diff", f"HEAD:{tmp_path}", "scen")
    assert result.exit_code == 2, result.output
    assert "is outside the git repository" in result.stderr


def test_is_revision_spec(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert is_revision_spec("HEAD:scen")
    assert is_revision_spec("HEAD~1:positions/")
    assert not is_revision_spec("scen")
    assert not is_revision_spec("C:scen")  # a drive letter, not a revision
    assert not is_revision_spec(":scen")
    (tmp_path / "odd:name").mkdir()
    assert not is_revision_spec("odd:name")  # an existing path wins
