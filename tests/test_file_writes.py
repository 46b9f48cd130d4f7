"""Writing files safely (issue 12 C.1, C.11, C.13): `edit --write` under a lock, keeping owner and mode, refusing
files it could not rightly replace; `report -o` and `graph -o` replacing, never following, a planted link."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

import feasible.positions.atomic as atomic
import feasible.positions.rewrite as rewrite
from feasible.positions import UserError, load_scenario
from feasible.positions.atomic import atomic_write
from feasible.positions.edits import Edits
from feasible.positions.rewrite import plan_edits, write_plan

import test_rewrite
from test_rewrite import invoke

TOY = "three-party-toy"
scen = test_rewrite.scen  # the fixture: a writable copy of the lake scenario


def demand_ids(scen: Path, party: str) -> list[str]:
    return [r.id for r in load_scenario(scen).party(party).demands]


# -- C.1: two edits at once ----------------------------------------------------------------------------------------

def test_an_edit_writing_meanwhile_is_refused_never_lost(scen, monkeypatch):
    """Edit B is planned, then edit A runs to its end just before B's first write (provoked through the write
    function, not by timing). Without a lock both reported success and A's edit was gone; now A finds the
    lock held by B and is refused, B is applied, and nothing is lost silently."""
    monkeypatch.setattr(atomic, "LOCK_WAIT", 0.0)
    first = plan_edits(scen, Edits(drop=("north/build-dam",)))
    second = plan_edits(scen, Edits(drop=("north/north-chairs",)))
    real_write, outcomes = rewrite.atomic_write, []

    def other_edit_first(path, data):
        if not outcomes:
            try:
                outcomes.append(write_plan(second))
            except UserError as exc:
                outcomes.append(exc.message)
        real_write(path, data)

    monkeypatch.setattr(rewrite, "atomic_write", other_edit_first)
    assert write_plan(first) == [scen / "north.yaml"]
    assert outcomes == ["another edit is writing the files in 'scen'; nothing was written"]
    kept = demand_ids(scen, "north")
    assert "build-dam" not in kept and "north-chairs" in kept  # the refused edit left no trace


def test_an_edit_after_another_finds_the_file_changed(scen):
    """The second of two edits planned from the same files is refused once the first has written."""
    first = plan_edits(scen, Edits(drop=("north/build-dam",)))
    second = plan_edits(scen, Edits(drop=("north/north-chairs",)))
    write_plan(first)
    with pytest.raises(UserError, match="changed since it was read; nothing was written"):
        write_plan(second)


def test_the_lock_is_released_after_a_write(scen, monkeypatch):
    monkeypatch.setattr(atomic, "LOCK_WAIT", 0.0)
    write_plan(plan_edits(scen, Edits(drop=("north/build-dam",))))
    with atomic.locked([scen]):
        pass  # free again


def test_the_lock_waits_then_gives_up(scen, monkeypatch):
    monkeypatch.setattr(atomic, "LOCK_WAIT", 0.0)
    with atomic.locked([scen]):
        with pytest.raises(atomic.Busy):
            with atomic.locked([scen]):
                pass


# -- C.13: owner, mode, access, links ------------------------------------------------------------------------------

def test_a_file_we_may_not_write_is_refused(scen, monkeypatch):
    """As another user: the directory is writable (a rename would succeed), the file is not."""
    north = scen / "north.yaml"
    before = north.read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: (Path(path).resolve() != north or mode != os.W_OK)
                        and real_access(path, mode, **kw))
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 2, result.output
    assert "error: 'scen/north.yaml' may not be written by you; nothing was written" in result.stderr
    assert north.read_bytes() == before


def test_a_party_file_an_overlay_removes_must_be_writable_too(scen, tmp_path):
    """Removing is the strongest change: `drop: true` on a party may not remove a file a plain edit may not
    change; a removal that is allowed is reported as such, not as a write."""
    north = scen / "north.yaml"
    overlay = tmp_path / "drop-north.yaml"
    overlay.write_text("party: north\ndrop: true\n", encoding="utf-8")
    north.chmod(0o444)
    result = invoke("edit", "scen", "--with", str(overlay), "--write")
    assert result.exit_code == 2, result.output
    assert "error: 'scen/north.yaml' is read-only; nothing was written" in result.stderr
    assert north.exists()
    north.chmod(0o644)
    result = invoke("edit", "scen", "--with", str(overlay), "--write")
    assert result.exit_code == 0, result.output
    assert "removed 1 file: scen/north.yaml" in result.stderr and "wrote" not in result.stderr
    assert not north.exists()


def test_a_new_party_whose_file_name_is_too_long_is_a_user_error(scen, tmp_path):
    overlay = tmp_path / "long.yaml"
    overlay.write_text(f"party: {'p' * 260}\n", encoding="utf-8")
    result = invoke("edit", "scen", "--with", str(overlay))
    assert result.exit_code == 2, result.output
    assert "File name too long" in result.stderr and "internal error" not in result.output


def test_a_file_name_of_many_bytes_can_be_written(tmp_path):
    """File systems limit a name's bytes, not its characters: the temporary name beside a 254-byte name must
    stay legal."""
    target = tmp_path / ("€" * 84 + ".y")  # 254 bytes
    atomic_write(target, b"x: 1\n")
    assert target.read_bytes() == b"x: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_file_of_another_user_is_refused_when_its_owner_cannot_be_kept(scen, monkeypatch):
    """Not root, and the file is someone else's (writable through its group): a rewrite would make it ours."""
    north = scen / "north.yaml"
    before = north.read_bytes()
    monkeypatch.setattr(os, "geteuid", lambda: north.stat().st_uid + 1000)
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 2, result.output
    assert "belongs to another user, and a rewritten file would be yours; nothing was written" in result.stderr
    assert north.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give files away")
def test_root_keeps_the_owner_group_and_mode(scen):
    north = scen / "north.yaml"
    os.chown(north, 4321, 4322)
    north.chmod(0o640)
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 0, result.output
    status = north.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (4321, 4322, 0o640)
    assert "build-dam" not in demand_ids(scen, "north")


def test_owner_and_mode_are_passed_on(tmp_path, monkeypatch):
    """Whoever runs it: the new file gets the old one's owner and group (chown is asked for whenever they
    differ from the temporary file's)."""
    target = tmp_path / "file.yaml"
    target.write_text("old\n")
    target.chmod(0o604)
    calls = []
    monkeypatch.setattr(os, "fchown", lambda handle, uid, gid: calls.append((uid, gid)))
    like = os.stat(target)
    fake = os.stat_result((like.st_mode, *like[1:4], 4321, 4322, *like[6:]))
    atomic_write(target, b"new\n", like=fake)
    assert calls == [(4321, 4322)]
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


def test_a_hard_linked_file_is_refused(scen):
    north = scen / "north.yaml"
    os.link(north, scen.parent / "north-copy.yaml")
    before = north.read_bytes()
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 2, result.output
    assert "'scen/north.yaml' has 1 other hard link(s)" in result.stderr
    assert north.read_bytes() == before and os.stat(north).st_nlink == 2


def test_a_link_inside_the_scenario_is_written_through(scen):
    """The file the link points to is edited; the link stays a link."""
    (scen / "parts").mkdir()
    real = scen / "parts" / "north.yml.txt"
    shutil.move(scen / "north.yaml", real)
    (scen / "north.yaml").symlink_to(Path("parts") / "north.yml.txt")
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 0, result.output
    assert (scen / "north.yaml").is_symlink()
    assert "build-dam" not in real.read_text()
    assert "build-dam" not in demand_ids(scen, "north")


@pytest.fixture
def north_linked_from_outside(scen, tmp_path) -> Path:
    """scen/north.yaml becomes a link to the same file moved out of the scenario's directory (returned)."""
    elsewhere = tmp_path / "shared" / "north.yaml"
    elsewhere.parent.mkdir()
    shutil.move(scen / "north.yaml", elsewhere)
    (scen / "north.yaml").symlink_to(elsewhere)
    return elsewhere


def test_a_link_out_of_the_scenario_is_refused(scen, north_linked_from_outside):
    before = north_linked_from_outside.read_bytes()
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 2, result.output
    assert "error: 'scen/north.yaml' is a link to" in result.stderr  # refused when read, as by every command
    assert "outside the scenario's directory" in result.stderr
    assert north_linked_from_outside.read_bytes() == before and (scen / "north.yaml").is_symlink()


def test_a_link_out_of_the_scenario_made_after_reading_is_refused_when_writing(scen, north_linked_from_outside,
                                                                               monkeypatch):
    """The write checks again, under its lock: a file may have become a link since the scenario was read."""
    import feasible.positions.files  # noqa: F401 (loads positions.files, used by that name)
    from feasible import positions

    monkeypatch.setattr(positions.files, "_refuse_links_out_of", lambda directory, paths: None)
    before = north_linked_from_outside.read_bytes()
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 2, result.output
    assert ("error: 'scen/north.yaml' is a symbolic link to 'shared/north.yaml', outside the scenario's directory; "
            "nothing was written") in result.stderr
    assert north_linked_from_outside.read_bytes() == before and (scen / "north.yaml").is_symlink()


# -- C.11: outputs never follow a planted link ---------------------------------------------------------------------

@pytest.mark.parametrize("command, name", [("report", "r.html"), ("graph", "g.dot"), ("graph", "g.svg")])
def test_output_replaces_a_planted_link_and_leaves_its_target(tmp_path, monkeypatch, command, name):
    monkeypatch.chdir(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / name).symlink_to(victim)
    result = invoke(command, TOY, "-o", name)
    assert result.exit_code in (0, 1), result.output
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / name).is_symlink() and (tmp_path / name).stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "victim.txt"])  # no temporary file left


def test_output_gets_the_usual_mode(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o027)
    try:
        assert invoke("report", TOY, "-o", "r.html").exit_code in (0, 1)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o640


def test_a_long_target_name_still_gets_a_temporary_file(tmp_path):
    target = tmp_path / ("x" * 250)
    atomic_write(target, b"data\n")
    assert target.read_bytes() == b"data\n"


def test_output_into_a_device_is_written_not_replaced(tmp_path, monkeypatch):
    """`-o /dev/null` writes into the device, as `>` would, and leaves it a device."""
    assert invoke("report", TOY, "-o", os.devnull).exit_code in (0, 1)
    assert stat.S_ISCHR(os.lstat(os.devnull).st_mode)


def test_output_through_a_link_to_a_device_is_refused(tmp_path, monkeypatch):
    """Replacing such a link (/dev/stdout, say) would break it for every program."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out.html").symlink_to(os.devnull)
    result = invoke("report", TOY, "-o", "out.html")
    assert result.exit_code == 2, result.output
    assert "error: cannot write 'out.html': it is a link to a device or pipe, which is not replaced" in result.stderr
    assert (tmp_path / "out.html").is_symlink()


def test_a_lock_that_cannot_be_taken_is_a_clean_error(scen, monkeypatch):
    before = {p.name: p.read_bytes() for p in scen.iterdir()}

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic, "_lock_one", denied)
    result = invoke("edit", "scen", "--drop", "north/build-dam", "--write")
    assert result.exit_code == 2, result.output
    assert "error: cannot write the edit: Permission denied; nothing was written" in result.stderr
    assert {p.name: p.read_bytes() for p in scen.iterdir()} == before
