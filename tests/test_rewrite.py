"""`feasible edit` and positions.rewrite: edits written back to the position files.

Without --write only a unified diff is shown; with it, files are rewritten with comments, key order and layout
of untouched parts kept byte for byte; shipped scenarios, invalid results, stale files are refused; a crash
mid-write leaves the original intact and no temporary file behind.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from feasible.cli.app import app
from feasible.positions import UserError, load_scenario, shipped_scenarios
from feasible.positions.edits import Edits
from feasible.positions.model import RuleKind
from feasible.positions.rewrite import atomic_write, plan_edits, write_plan
from feasible.positions.splice import splice

WHATIF = Path(__file__).parent / "data" / "whatif"
LAKE = WHATIF / "lake"
OVERLAYS = WHATIF / "overlays"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def scen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the lake scenario at tmp_path/scen; the working directory is tmp_path."""
    monkeypatch.chdir(tmp_path)
    return Path(shutil.copytree(LAKE, tmp_path / "scen"))


@pytest.fixture
def single(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the shipped single-file teaching scenario."""
    monkeypatch.chdir(tmp_path)
    return Path(shutil.copy(shipped_scenarios()["three-party-toy"], tmp_path / "toy.yaml"))


def contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def without(text: str, first_line: str, count: int) -> str:
    """TEXT without COUNT lines starting at the line FIRST_LINE."""
    lines = text.splitlines(keepends=True)
    start = lines.index(first_line + "\n")
    return "".join(lines[:start] + lines[start + count:])


def comment_lines(text: str) -> list[str]:
    """Every comment, in order (the text from '#'; no '#' occurs inside the test data's strings)."""
    return [line[line.index("#"):] for line in text.splitlines() if "#" in line]


def top_keys(text: str) -> list[str]:
    return [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]


# -- show, don't write ---------------------------------------------------------------------------------------------

def test_without_write_shows_a_diff_and_writes_nothing(scen):
    before = contents(scen)
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--set", "chair=east")
    assert result.exit_code == 0, result.output
    assert contents(scen) == before
    assert "--- a/scen/north.yaml\n+++ b/scen/north.yaml\n" in result.stdout
    assert "-  - id: build-dam\n" in result.stdout
    assert "--- a/scen/scenario.yaml\n+++ b/scen/scenario.yaml\n" in result.stdout
    assert "+  - id: set-chair\n" in result.stdout
    assert "not written: add --write to apply" in result.stderr
    assert not list(scen.glob(".*"))


def test_the_diff_is_the_write(scen):
    """What --write writes is what the diff showed."""
    shown = invoke("edit", "scen", "--demote", "north/enough-water").stdout
    result = invoke("edit", "scen", "--demote", "north/enough-water", "--write")
    assert result.exit_code == 0, result.output
    assert result.stdout == shown
    assert "wrote 1 file: scen/north.yaml" in result.stderr


def test_no_edits_is_refused(scen):
    result = invoke("edit", "scen")
    assert result.exit_code == 2, result.output
    assert "no edits given" in result.stderr and "--drop, --set, --demote, --weight or --with" in result.stderr


def test_no_change(scen, tmp_path):
    same = tmp_path / "same.yaml"
    same.write_text("parties:\n  - party: south\n    demands:\n      - id: south-chairs\n"
                    "        says: South chairs the authority.\n        rule: chair == \"south\"\n        weight: 1\n")
    before = contents(scen)
    result = invoke("edit", "scen", "--with", str(same), "--write")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no change"
    assert contents(scen) == before


# -- --write, each kind, byte for byte outside the edited entries ---------------------------------------------------

def test_write_drop_removes_exactly_the_entry(scen):
    before = contents(scen)
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 0, result.output
    after = contents(scen)
    # the entry goes, and with it the comment written above it (it described the entry)
    assert after["north.yaml"].decode() == without(before["north.yaml"].decode(), "  # North pays for the dam.", 5)
    assert {k: v for k, v in after.items() if k != "north.yaml"} == \
           {k: v for k, v in before.items() if k != "north.yaml"}
    assert "north/build-dam" not in [r.name for r in load_scenario(scen).rules()]


def test_write_drop_glob_over_files(scen):
    result = invoke("edit", "scen", "--drop", "*/*-chairs", "--write")
    assert result.exit_code == 0, result.output
    assert "wrote 2 files: scen/north.yaml, scen/south.yaml" in result.stderr
    names = [r.name for r in load_scenario(scen).rules()]
    assert "north/north-chairs" not in names and "south/south-chairs" not in names


def test_write_drop_fact(scen):
    before = (scen / "scenario.yaml").read_text()
    result = invoke("edit", "scen", "--drop", "facts/canal-needs-reservoir", "--write")
    assert result.exit_code == 0, result.output
    assert load_scenario(scen).facts == ()
    after = (scen / "scenario.yaml").read_text()
    assert after.startswith(before[:before.index("facts:")])  # issues, comments and all, untouched


def test_write_drop_accept_at_least_removes_the_key(scen):
    before = (scen / "east.yaml").read_text()
    result = invoke("edit", "scen", "--drop", "east/accept-at-least", "--write")
    assert result.exit_code == 0, result.output
    assert (scen / "east.yaml").read_text() == without(before, "accept_at_least: 50  # percent of its demand weight", 1)
    assert load_scenario(scen).party("east").accept_at_least is None


def test_write_set_adds_the_fact_set_issue(scen):
    before = contents(scen)
    result = invoke("edit", "scen", "--set", "chair=east", "--set", "projects=", "--write")
    assert result.exit_code == 0, result.output
    after = contents(scen)
    head = after["scenario.yaml"].decode()
    assert head == before["scenario.yaml"].decode() + (
        "  - id: set-chair\n"
        "    says: 'chair is settled: east.'\n"
        "    rule: chair == \"east\"\n"
        "  - id: set-projects\n"
        "    says: 'projects is settled: (none).'\n"
        "    rule: projects == {}\n")
    assert {k: v for k, v in after.items() if k != "scenario.yaml"} == \
           {k: v for k, v in before.items() if k != "scenario.yaml"}
    scenario = load_scenario(scen)
    facts = {f.name: f for f in scenario.facts}
    assert facts["facts/set-chair"].kind is RuleKind.FACT
    assert facts["facts/set-projects"].text == "projects == {}"
    deal = invoke("check", "scen", "--format", "json")
    assert deal.exit_code == 0, deal.output
    assert '"chair": "east"' in deal.stdout


def test_write_set_again_replaces_the_fact(scen):
    assert invoke("edit", "scen", "--set", "extraction_cap=500", "--write").exit_code == 0
    result = invoke("edit", "scen", "--set", "extraction_cap=600", "--write")
    assert result.exit_code == 0, result.output
    facts = [f for f in load_scenario(scen).facts if f.id == "set-extraction-cap"]
    assert [f.text for f in facts] == ["extraction_cap == 600"]


def test_write_set_bad_value_is_refused(scen):
    before = contents(scen)
    result = invoke("edit", "scen", "--set", "chair=eastt", "--write")
    assert result.exit_code == 2, result.output
    assert "'eastt' is not a value of enum issue 'chair'" in result.stderr
    assert contents(scen) == before


def test_write_demote_moves_the_entry_with_its_weight(scen):
    before = (scen / "north.yaml").read_text()
    result = invoke("edit", "scen", "--demote", "north/enough-water", "--write")
    assert result.exit_code == 0, result.output
    after = (scen / "north.yaml").read_text()
    entry = ("  - id: enough-water\n"
             "    says: North's farms need at least 400 million litres a year.\n"
             "    rule: extraction_cap >= 400  # irrigation\n"
             "    weight: 2\n")
    assert entry in before
    assert after == before.replace("red_lines:\n" + entry, "red_lines: []\n") + entry
    north = load_scenario(scen).party("north")
    assert north.red_lines == ()
    assert (north.demands[-1].name, north.demands[-1].weight) == ("north/enough-water", 2)


def test_write_with_overlay_replace_and_add(scen):
    before = contents(scen)
    result = invoke("edit", "scen", "--with", str(OVERLAYS / "replace-and-add.yaml"), "--write")
    assert result.exit_code == 0, result.output
    after = contents(scen)
    assert after["east.yaml"] == before["east.yaml"]
    north_before, north_after = before["north.yaml"].decode(), after["north.yaml"].decode()
    assert north_after == north_before.replace(
        "    says: North's farms need at least 400 million litres a year.\n"
        "    rule: extraction_cap >= 400  # irrigation\n",
        "    says: North's farms need at least 500 million litres a year.\n"
        "    rule: extraction_cap >= 500\n")
    assert after["south.yaml"].decode().startswith(before["south.yaml"].decode())
    assert after["scenario.yaml"].decode().startswith(before["scenario.yaml"].decode())
    scenario = load_scenario(scen)
    assert {"facts/reservoir-needs-dam", "south/reservoir"} <= {r.name for r in scenario.rules()}


def test_write_with_overlay_keeps_every_comment_and_key_order(scen):
    before = contents(scen)
    assert invoke("edit", "scen", "--with", str(OVERLAYS / "party-file.yaml"), "--write").exit_code == 0
    after = contents(scen)
    for name in before:
        assert comment_lines(after[name].decode()) == comment_lines(before[name].decode()), name
        assert top_keys(after[name].decode()) == top_keys(before[name].decode()), name
    assert "accept_at_least: 40  # percent of its demand weight\n" in after["east.yaml"].decode()


def test_write_with_overlay_drop_rule(scen):
    before = (scen / "south.yaml").read_text()
    assert invoke("edit", "scen", "--with", str(OVERLAYS / "drop-rule.yaml"), "--write").exit_code == 0
    assert (scen / "south.yaml").read_text() == without(before, "  - id: dam-only-with-canal", 3)


def test_write_with_overlay_moving_a_rule_between_sections(scen):
    assert invoke("edit", "scen", "--with", str(OVERLAYS / "move-to-demands.yaml"), "--write").exit_code == 0
    east = load_scenario(scen).party("east")
    assert [r.id for r in east.red_lines] == ["clean-water"]
    assert (east.demands[-1].id, east.demands[-1].weight) == ("joint-authority", 4)


def test_write_with_overlay_new_party_creates_its_file(scen):
    before = contents(scen)
    result = invoke("edit", "scen", "--with", str(OVERLAYS / "new-party.yaml"), "--write")
    assert result.exit_code == 0, result.output
    assert "--- /dev/null\n+++ b/scen/west.yaml\n" in result.stdout
    after = contents(scen)
    assert {k: v for k, v in after.items() if k != "west.yaml"} == before
    assert after["west.yaml"].decode().startswith("party: west\nname: West (new town)\n")
    assert load_scenario(scen).party("west").name == "West (new town)"
    assert stat.S_IMODE((scen / "west.yaml").stat().st_mode) == 0o644


def test_write_with_overlay_drop_party_removes_its_file(scen):
    result = invoke("edit", "scen", "--with", str(OVERLAYS / "drop-party.yaml"), "--write")
    assert result.exit_code == 0, result.output
    assert "+++ /dev/null" in result.stdout
    assert not (scen / "south.yaml").exists()
    assert [p.id for p in load_scenario(scen).parties] == ["east", "north"]


def test_write_single_file_scenario(single):
    before = single.read_text()
    result = invoke("edit", "toy.yaml", "--drop", "south/best-treatment", "--set", "chair=east",
                    "--with", str(OVERLAYS / "new-party.yaml"), "--write")
    assert result.exit_code == 0, result.output
    assert "wrote 1 file: toy.yaml" in result.stderr
    after = single.read_text()
    assert after.startswith(before[:before.index("facts:")])  # the description, issues and their order
    assert comment_lines(after) == comment_lines(before)
    scenario = load_scenario(single)
    assert [p.id for p in scenario.parties] == ["north", "east", "south", "west"]
    assert "facts/set-chair" in [f.name for f in scenario.facts]
    assert "south/best-treatment" not in [r.name for r in scenario.rules()]


def test_ukraine_copy_round_trips_folded_text(tmp_path, monkeypatch):
    """Long folded (>-) rules and descriptions outside the edited entry come back byte for byte."""
    monkeypatch.chdir(tmp_path)
    copy = Path(shutil.copytree(shipped_scenarios()["ukraine-2026"], tmp_path / "ukraine"))
    before = contents(copy)
    result = invoke("edit", "ukraine", "--drop", "russia/no-nato-membership", "--set",
                    "ukraine_army_cap_thousands=800", "--write")
    assert result.exit_code == 0, result.output
    after = contents(copy)
    assert after["russia.yaml"].decode() == without(before["russia.yaml"].decode(), "  - id: no-nato-membership", 6)
    assert after["scenario.yaml"].decode() == before["scenario.yaml"].decode().replace("\nquestions:\n", (
        "\n  - id: set-ukraine-army-cap-thousands\n"
        "    says: 'ukraine_army_cap_thousands is settled: 800.'\n"
        "    rule: ukraine_army_cap_thousands == 800\n"
        "questions:\n"), 1)  # at the end of the facts, which the questions and readings follow
    assert {k for k in after if after[k] != before[k]} == {"russia.yaml", "scenario.yaml"}


def test_write_drop_keeps_the_comment_of_the_next_entry(scen):
    north = scen / "north.yaml"
    north.write_text(north.read_text().replace("  - id: north-chairs\n",
                                               "  # Chairing matters less.\n  - id: north-chairs\n"))
    result = invoke("edit", "scen", "--drop", "north/affordable-treatment", "--write")
    assert result.exit_code == 0, result.output
    assert "  # Chairing matters less.\n  - id: north-chairs\n" in north.read_text()


def test_write_overlay_drop_in_the_other_section_as_check_does(scen):
    result = invoke("edit", "scen", "--with", str(OVERLAYS / "wrong-section-drop.yaml"), "--write")
    assert result.exit_code == 0, result.output
    assert "north/build-dam" not in [r.name for r in load_scenario(scen).rules()]


@pytest.mark.parametrize("args", [["--drop", "west/north-not-chair"], ["--demote", "west/no-dam"]])
def test_write_edits_act_on_what_the_overlay_added(scen, args):
    result = invoke("edit", "scen", "--with", str(OVERLAYS / "new-party.yaml"), *args, "--write")
    assert result.exit_code == 0, result.output
    west = load_scenario(scen).party("west")
    assert len(west.red_lines) + len(west.demands) == 2 - (args[0] == "--drop")


def test_write_glob_after_an_overlay_that_removed_a_rule(scen):
    result = invoke("edit", "scen", "--with", str(OVERLAYS / "drop-rule.yaml"), "--drop", "south/*", "--write")
    assert result.exit_code == 0, result.output
    south = load_scenario(scen).party("south")
    assert south.red_lines == () and south.demands == ()


# -- refusals ------------------------------------------------------------------------------------------------------

def test_shipped_scenario_by_name_is_refused():
    shipped = shipped_scenarios()["ceasefire-basics"]
    before = contents(shipped)
    result = invoke("edit", "ceasefire-basics", "--drop", "red_side/deep-buffer", "--write")
    assert result.exit_code == 2, result.output
    assert "shipped scenarios are not edited in place" in result.stderr
    assert "copy it first" in result.stderr
    assert contents(shipped) == before


def test_default_scenario_is_refused():
    result = invoke("edit", "--drop", "russia/donbas-withdrawal")
    assert result.exit_code == 2, result.output
    assert "shipped scenarios are not edited in place" in result.stderr


def test_shipped_scenario_by_relative_path_is_refused(monkeypatch):
    shipped = shipped_scenarios()["ceasefire-basics"]
    monkeypatch.chdir(shipped.parent)
    result = invoke("edit", "ceasefire-basics/", "--drop", "red_side/deep-buffer")  # no --write: never writes
    assert result.exit_code == 2, result.output
    assert "shipped scenarios are not edited in place" in result.stderr


def test_edit_that_leaves_the_scenario_invalid_is_refused(scen):
    before = contents(scen)
    result = invoke("edit", "scen", "--drop", "east/monitoring", "--drop", "east/moderate-extraction",
                    "--drop", "east/not-north-chair", "--write")
    assert result.exit_code == 2, result.output
    assert "accept_at_least level of party 'east' (scen/east.yaml:2:8) with no demands to measure" in result.stderr
    assert result.stdout == ""
    assert contents(scen) == before


def test_overlay_that_leaves_the_scenario_invalid_is_refused(scen):
    before = contents(scen)
    result = invoke("edit", "scen", "--with", str(OVERLAYS / "reserved-party.yaml"), "--write")
    assert result.exit_code == 2, result.output
    assert "'set' is reserved" in result.stderr
    assert contents(scen) == before


@pytest.mark.parametrize("args, message", [
    (["--drop", "north/build-damm"], "did you mean 'north/build-dam'?"),
    (["--demote", "north/build-dam"], "--demote north/build-dam: no such red line"),
    (["--set", "chiar=east"], "did you mean 'chair'?"),
    (["--with", str(OVERLAYS / "bad-rule.yaml")], "bad-rule.yaml:7:15"),
    (["--with", str(OVERLAYS / "drop-missing.yaml")], "there is no such rule"),
])
def test_bad_edits_are_refused(scen, args, message):
    before = contents(scen)
    result = invoke("edit", "scen", *args, "--write")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert contents(scen) == before


def test_a_file_changed_since_it_was_read_is_not_overwritten(scen):
    plan = plan_edits(scen, Edits(drop=("north/build-dam", "south/best-treatment")))
    north, south = scen / "north.yaml", scen / "south.yaml"
    south_before = south.read_bytes()
    north.write_text(north.read_text() + "# edited in another window\n")
    changed = north.read_bytes()
    with pytest.raises(UserError) as caught:
        write_plan(plan)
    assert caught.value.message == "'scen/north.yaml' changed since it was read; nothing was written"
    assert caught.value.hint == "run the edit again"
    assert north.read_bytes() == changed
    assert south.read_bytes() == south_before  # checked before anything is written


def test_a_file_removed_since_it_was_read_is_not_recreated(scen):
    plan = plan_edits(scen, Edits(drop=("north/build-dam",)))
    (scen / "north.yaml").unlink()
    with pytest.raises(UserError, match="changed since it was read"):
        write_plan(plan)
    assert not (scen / "north.yaml").exists()


def test_a_new_party_file_created_meanwhile_is_not_overwritten(scen):
    plan = plan_edits(scen, Edits(overlays=(str(OVERLAYS / "new-party.yaml"),)))
    (scen / "west.yaml").write_text("# someone else's\n")
    with pytest.raises(UserError, match="changed since it was read"):
        write_plan(plan)
    assert (scen / "west.yaml").read_text() == "# someone else's\n"


def test_write_plan_returns_the_files_written(scen):
    plan = plan_edits(scen, Edits(drop=("north/build-dam",)))
    assert [f.path.name for f in plan.changed()] == ["north.yaml"]
    assert write_plan(plan) == [scen / "north.yaml"]
    assert write_plan(plan_edits(scen, Edits(drop=("north/north-chairs",)))) == [scen / "north.yaml"]


# -- crashes and permissions ---------------------------------------------------------------------------------------

def temp_files(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".")]


@pytest.mark.parametrize("call", ["replace", "fsync"])
def test_crash_mid_write_leaves_the_original_and_no_temporary_file(scen, monkeypatch, call):
    before = contents(scen)
    plan = plan_edits(scen, Edits(drop=("north/build-dam",)))

    def crash(*args, **kwargs):
        raise OSError(f"simulated crash in os.{call}")

    monkeypatch.setattr(os, call, crash)
    with pytest.raises(UserError, match="simulated crash.*unchanged"):
        write_plan(plan)
    monkeypatch.undo()
    assert contents(scen) == before
    assert temp_files(scen) == []
    assert load_scenario(scen).party("north").demands[0].id == "build-dam"


def test_crash_during_the_command_leaves_the_files(scen, monkeypatch):
    before = contents(scen)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C between writing the temporary file and renaming it

    monkeypatch.setattr(os, "replace", crash)
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    monkeypatch.undo()
    assert result.exit_code == 130, result.output  # ExitCode.INTERRUPTED
    assert "interrupted" in result.stderr
    assert contents(scen) == before
    assert temp_files(scen) == []


def test_atomic_write_keeps_the_mode(tmp_path):
    target = tmp_path / "file.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic_write(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert temp_files(tmp_path) == []


def test_write_refuses_a_read_only_file(scen):
    north = scen / "north.yaml"
    before = north.read_bytes()
    north.chmod(0o444)
    try:
        result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
        assert result.exit_code == 2, result.output
        assert "read-only" in result.output
        assert north.read_bytes() == before
        assert stat.S_IMODE(north.stat().st_mode) == 0o444
    finally:
        north.chmod(0o644)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes into read-only directories: the case cannot happen")
def test_read_only_directory_is_a_clean_error(scen):
    before = contents(scen)
    scen.chmod(0o555)
    try:
        result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    finally:
        scen.chmod(0o755)
    assert result.exit_code == 2, result.output
    assert contents(scen) == before


def test_permission_denied_while_writing_is_a_user_error(scen, monkeypatch):
    """Simulates a read-only directory (the test runs as root, which could write there anyway)."""
    before = contents(scen)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(scen))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    monkeypatch.undo()
    assert contents(scen) == before
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


# -- untouched lines are kept byte for byte (issue 12 C.18) -------------------------------------------------------

DAM_ENTRY = slice(9, 14)  # north.yaml's lines of the entry build-dam, with the comment above it


def _north_variant(scen: Path, line_ends: list[str], *, tail: str = "", change=lambda index, line: line) -> list[str]:
    """Rewrite north.yaml with the given line ends (cycled), each line changed by `change`; its lines, ends
    included."""
    lines = (LAKE / "north.yaml").read_text(encoding="utf-8").splitlines()
    made = [change(i, line) + line_ends[i % len(line_ends)] for i, line in enumerate(lines)]
    if tail:
        made.append(tail)
    (scen / "north.yaml").write_bytes("".join(made).encode("utf-8"))
    return made


def _quoted_nel(i: int, line: str) -> str:
    return line.replace("says: North's farms need", "says: \"North's farms\x85need").replace("a year.", 'a year."')


@pytest.mark.parametrize("line_ends, tail, change", [
    (["\n"], "", lambda i, line: line + "   "),  # trailing spaces
    (["\n"], "...\n", lambda i, line: line),  # the document end marker
    (["\r"], "", lambda i, line: line),  # CR only
    (["\n", "\r\n", "\n", "\r"], "", lambda i, line: line),  # mixed
    (["\n"], "", _quoted_nel),  # NEL (U+0085), which ruamel turns into a space
    (["\r\n", "\n"], "...\r\n", lambda i, line: line + " "),  # all at once
], ids=["trailing-space", "end-marker", "cr-only", "mixed-ends", "nel", "all"])
def test_untouched_lines_are_kept_byte_for_byte(scen, line_ends, tail, change):
    made = _north_variant(scen, line_ends, tail=tail, change=change)
    assert load_scenario(scen).party("north").demands[0].id == "build-dam"  # a valid file to begin with
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 0, result.output
    expected = made[:DAM_ENTRY.start] + made[DAM_ENTRY.stop:]
    assert (scen / "north.yaml").read_bytes() == "".join(expected).encode("utf-8")
    assert [d.id for d in load_scenario(scen).party("north").demands] == ["affordable-treatment", "north-chairs"]


def test_added_lines_take_the_files_line_ends(scen):
    """A fact added to a CR-only scenario file: its lines end in CR too; the rest is as it was."""
    path = scen / "scenario.yaml"
    original = path.read_bytes().replace(b"\n", b"\r")
    path.write_bytes(original)
    result = invoke("edit", "scen", "--set", "chair=east", "--write")
    assert result.exit_code == 0, result.output
    written = path.read_bytes()
    assert written.startswith(original) and b"\n" not in written
    assert written[len(original):] == (b"  - id: set-chair\r    says: 'chair is settled: east.'\r"
                                       b'    rule: chair == "east"\r')


def test_a_file_without_a_final_line_break_keeps_none(scen):
    path = scen / "north.yaml"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert invoke("edit", "scen", "--drop", "north/north-chairs", "--write").exit_code == 0
    assert path.read_bytes().endswith(b"    weight: 2")


def test_a_file_the_round_trip_reader_refuses_is_a_located_error(scen):
    """A tab after a value is valid YAML (the loader takes it), but ruamel's reader refuses it: a located
    error, exit 2, not a crash."""
    north = scen / "north.yaml"
    north.write_text(north.read_text().replace("party: north\n", "party: north \t\n"))
    before = contents(scen)
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: cannot be edited: the YAML reader of `edit` refuses it (found character "
                                    "'\\t' that cannot start any token); nothing was written\n --> scen/north.yaml:2:")
    assert contents(scen) == before


_LINE_TEXT = st.sampled_from(["a: 1", "  - id: x", "", "# note", "b:", "    rule: x > 1", "..."])


@given(st.lists(_LINE_TEXT, max_size=12), st.lists(_LINE_TEXT, max_size=12),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_splice_of_a_file_ruamel_renders_as_it_is_gives_the_edit(old, new, ending):
    """Where ruamel's rendering of the file is the file itself, the spliced file is exactly the edited rendering
    (in the file's line ends)."""
    before, after = "".join(line + "\n" for line in old), "".join(line + "\n" for line in new)
    original = before.replace("\n", ending)
    assert splice(original, before, after) == (after.replace("\n", ending) if old else after)


@given(st.lists(_LINE_TEXT, min_size=1, max_size=12), st.lists(_LINE_TEXT, max_size=12),
       st.lists(st.sampled_from(["", " ", "\t  "]), min_size=12, max_size=12), st.booleans())
def test_splice_keeps_the_trailing_space_of_lines_kept(old, new, pads, end_marker):
    """Lines the edit did not change come from the original, trailing spaces and all; the others from the
    edited rendering; an end marker only the original has stays last."""
    before, after = "".join(line + "\n" for line in old), "".join(line + "\n" for line in new)
    original = "".join(line + pad + "\n" for line, pad in zip(old, pads)) + ("...\n" if end_marker else "")
    result = splice(original, before, after)
    lines = result.split("\n")[:-1]
    if end_marker:
        assert lines[-1] == "..."
        lines = lines[:-1]
    assert [line.rstrip() for line in lines] == new
    kept = set(line + pad for line, pad in zip(old, pads))
    assert all(line in kept or line in new for line in lines)


# -- each file read and rendered as few times as it can be (issue 12 C.16) ---------------------------------------

@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The name of the file behind every round-trip rendering (ruamel's YAML.dump) and every round-trip read."""
    from ruamel.yaml.main import YAML

    seen: list[str] = []
    real_dump, real_load = YAML.dump, YAML.load

    def dump(self, data, stream=None, **kw):
        seen.append("dump")
        return real_dump(self, data, stream, **kw)

    def load(self, stream):
        seen.append("load")
        return real_load(self, stream)

    monkeypatch.setattr(YAML, "dump", dump)
    monkeypatch.setattr(YAML, "load", load)
    return seen


def test_an_edit_renders_the_edited_file_once_and_reads_no_other(scen, renders):
    """One file edited: read once, rendered once as read (the reference that keeps untouched lines) and once
    edited, whether the plan is then diffed, checked or written. The files no edit touches are neither read
    nor rendered."""
    plan = plan_edits(scen, Edits(drop=("north/build-dam",)))
    plan.diff()
    plan.changed()
    write_plan(plan)
    assert renders == ["load", "dump", "dump"]


def test_two_edited_files_are_rendered_twice_each(scen, renders):
    plan = plan_edits(scen, Edits(drop=("north/build-dam", "south/best-treatment"), set=("chair=east",)))
    write_plan(plan)
    assert renders.count("load") == 3 and renders.count("dump") == 6


# -- the written files mean what the edits mean ---------------------------------------------------------------------

def _deal_issues(path: str, *edits: str) -> dict:
    import json

    result = invoke("check", path, "-q", "--format", "json", *edits)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["deal"]["issues"]


@pytest.mark.parametrize("files, edit", [
    ({  # lists indented 4 in one place, 0 in another, a block scalar last: a new fact was once spliced into it
        "scenario.yaml": "title: T\nsources:\n    - id: s1\n      title: A source\nissues:\n"
                         "  a: {type: int, min: 0, max: 10}\nfacts:\n- id: f1\n  rule: a >= 1\n  says: |\n"
                         "    Some text.\n",
        "p.yaml": "party: p\ndemands:\n  - id: d\n    says: d\n    rule: a == 3\n"}, ("--set", "a=7")),
    ({  # red lines at indent 0, demands at 4: the spliced demand did not even load
        "scenario.yaml": "title: T\nissues:\n  a: {type: int, min: 0, max: 10}\n  b: {type: bool}\n",
        "p.yaml": "party: p\nred_lines:\n- id: r1\n  says: one\n  rule: a >= 2\n- id: r2\n  says: two\n"
                  "  rule: a <= 8\ndemands:\n    -   id: d1\n        says: d\n        rule: b\n"},
     ("--demote", "p/r2")),
    ({  # facts before the issues: the new fact moves the issues down, which must not count as a change
        "scenario.yaml": "title: T\nfacts:\n  - id: f1\n    says: one\n    rule: a >= 1\nissues:\n"
                         "  a: {type: int, min: 0, max: 10}\n",
        "p.yaml": "party: p\ndemands:\n  - id: d\n    says: d\n    rule: a == 3\n"}, ("--set", "a=7")),
])
def test_an_edit_whose_lines_do_not_fit_is_written_whole_and_means_what_it_says(tmp_path, monkeypatch, files, edit):
    """Splicing only the changed lines back into a file that indents its lists in more than one way could put a
    new entry inside a block scalar (exit 0, the pin silently lost) or make the file unreadable: the written files
    are loaded back and compared with the edits applied in memory, and written whole when they differ."""
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    wanted = _deal_issues(".", *edit)
    result = invoke("edit", ".", *edit, "--write")
    assert result.exit_code == 0, result.output
    assert _deal_issues(".") == wanted


def test_an_edit_that_cannot_be_written_faithfully_is_refused(scen, monkeypatch):
    """When even the whole rendering would not load back to the edits' meaning, nothing is written."""
    import feasible.positions.rewrite as rewrite

    before = contents(scen)
    monkeypatch.setattr(rewrite, "_meaning", lambda scenario: object())  # never equal: no rendering can match
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 4, result.output
    assert "would not say what the edits mean; nothing was written" in result.output
    assert contents(scen) == before
