"""Loading a scenario writes nothing, anywhere (issue 14, point 7): neither the library nor the command line keeps
a cache, so no directory, whatever FEASIBLE_CACHE_DIR, XDG_CACHE_HOME or HOME name, is created, written, pruned
or read as code. (Up to issue 14 a scenario that loaded was kept as a pickle under the user's cache directory.)"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from feasible.cli.app import app
from typer.testing import CliRunner

# Runs in a fresh interpreter: every load of every shipped scenario through the library, then a whole
# `feasible check`, with an audit hook that reports each write to the file system (opening for writing,
# creating, renaming, removing, linking, changing times or modes).
WATCHED = r"""
import json, os, sys

WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGES = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.link", "os.symlink", "os.utime", "os.chmod",
           "os.chown", "os.truncate", "os.chflags", "os.mkfifo", "os.mknod", "shutil.copyfile", "shutil.rmtree"}
written = []

def watch(event, args):
    if event == "open" and isinstance(args[2], int) and args[2] & WRITES:
        written.append([event, str(args[0])])
    elif event in CHANGES:
        written.append([event, str(args[0])])

sys.addaudithook(watch)
from feasible.positions import load_scenario, shipped_scenarios
for name in sorted(shipped_scenarios()):
    load_scenario(name)
sys.argv = ["feasible", "check", "ukraine-2026", "--format", "json"]
from feasible.cli.entry import main
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps(written), file=sys.stderr)
sys.exit(code)
"""


def test_loading_and_checking_write_nothing(tmp_path):
    home, xdg, chosen = (tmp_path / name for name in ("home", "xdg", "chosen"))
    for directory in (home, xdg, chosen):
        directory.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(xdg), "FEASIBLE_CACHE_DIR": str(chosen),
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run([sys.executable, "-c", WATCHED], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 1, run.stderr  # the shipped scenario has no deal
    assert json.loads(run.stdout)["verdict"] == "no-deal"
    assert json.loads(run.stderr.strip().splitlines()[-1]) == []
    assert [list(d.iterdir()) for d in (home, xdg, chosen)] == [[], [], []]


def snapshot(directory: Path) -> dict[str, tuple]:
    """Every entry of `directory` as it is: kind and mode, times, and the bytes of a file or a link's target."""
    found = {".": (os.lstat(directory).st_mode, os.lstat(directory).st_mtime_ns)}
    for entry in directory.iterdir():
        status = entry.lstat()
        content = os.readlink(entry) if entry.is_symlink() else entry.read_bytes()
        found[entry.name] = (status.st_mode, status.st_mtime_ns, content)
    return found


@pytest.mark.parametrize("mode", [0o700, 0o755], ids=["private", "like-etc"])
def test_a_directory_named_by_feasible_cache_dir_is_left_as_it_was(tmp_path, monkeypatch, mode):
    """A user's directory of their own pickles, named by content as many caches name them, their notes, a link
    that leads nowhere: up to issue 14 one check deleted 45 of 300 such pickles (the oldest, to make room), a
    dangling *.pickle link made pruning fail on every run, and a directory such as / or /etc (owned by root,
    written by no one else) was used as the cache when run as root."""
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    for number in range(300):
        pickle = theirs / f"{hashlib.sha256(str(number).encode()).hexdigest()}.pickle"
        pickle.write_bytes(b"someone's data")
        os.utime(pickle, (1000 + number, 1000 + number))  # older than anything a run writes
    for name in (".notes.tmp", ".feasible-abcd1234.tmp"):
        (theirs / name).write_text("notes")
        os.utime(theirs / name, (0, 0))
    (theirs / f"{'b' * 64}.pickle").symlink_to(tmp_path / "nowhere")
    (theirs / "dangling.pickle").symlink_to(tmp_path / "nowhere")
    theirs.chmod(mode)
    before = snapshot(theirs)
    monkeypatch.setenv("FEASIBLE_CACHE_DIR", str(theirs))
    runner = CliRunner()
    for args in (["check", "ukraine-2026"], ["check", "ukraine-2026"], ["validate", "three-party-toy"]):
        assert runner.invoke(app, args).exit_code in (0, 1)
    assert snapshot(theirs) == before
