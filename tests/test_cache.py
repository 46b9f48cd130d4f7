"""positions/cache.py: a kept scenario is exactly the one the loader builds, and is never used once anything its
loading depends on has changed; problems are never kept; a cache that cannot be read or written is skipped."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from positions import InvalidScenario, cache, load_scenario
from positions import loader as loader_module
from positions.location import display_path
from positions.shipped import shipped_scenarios

SCENARIO = """\
    title: Cache test
    issues:
      troops: {type: int, min: 0, max: 100}
      lead: {type: enum, values: [us, europe]}
    facts:
      - id: cap
        says: At most 80 troops.
        rule: troops <= 80
    """
PARTY = """\
    party: east
    red_lines:
      - id: few
        says: Few troops.
        rule: troops <= {limit}
    demands:
      - id: lead
        says: Europe leads.
        rule: lead == "europe"
        weight: 2
    """


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("FEASIBLE_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time the real loader runs (a cache miss), the path it was asked for."""
    calls: list[str] = []
    real = loader_module.load_scenario

    def counting(path=None, **options):
        calls.append(str(path))
        return real(path, **options)

    monkeypatch.setattr(loader_module, "load_scenario", counting)
    return calls


@pytest.fixture
def scen(write) -> Path:
    write("scen/scenario.yaml", SCENARIO)
    write("scen/east.yaml", PARTY.format(limit=50))
    return Path("scen")


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pickle")) if directory.exists() else []


def assert_identical(a, b) -> None:
    """Equal, including what equality ignores: file locations and the files read."""
    assert a == b
    assert (a.origin, a.files) == (b.origin, b.files)
    for left, right in zip(a.rules(), b.rules(), strict=True):
        assert (left, left.location) == (right, right.location)


def test_an_unchanged_scenario_is_loaded_once(cache_dir, loads, scen):
    first = load_scenario(scen)
    second = load_scenario(scen)
    assert loads == ["scen"]
    assert len(entries(cache_dir)) == 1
    assert_identical(first, second)


@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_kept_scenarios_are_the_loaded_ones(cache_dir, loads, name):
    fresh = load_scenario(name)
    kept = load_scenario(name)
    assert loads == [name]
    assert_identical(fresh, kept)


def test_a_changed_file_is_loaded_again(cache_dir, loads, scen, write):
    assert load_scenario(scen).party("east").red_lines[0].text == "troops <= 50"
    write("scen/east.yaml", PARTY.format(limit=60))  # same size, new content
    assert load_scenario(scen).party("east").red_lines[0].text == "troops <= 60"
    write("scen/east.yaml", PARTY.format(limit=50))  # back to the first content: its entry is still right
    assert load_scenario(scen).party("east").red_lines[0].text == "troops <= 50"
    assert loads == ["scen", "scen"]


def test_a_file_changed_during_the_load_is_kept_under_what_was_read(cache_dir, scen, write, monkeypatch):
    """v1 on disk, v2 while the loader reads, v1 again afterwards (an undo, a git stash pop): the v2 scenario
    must never be answered for the v1 files."""
    real = loader_module.load_scenario
    calls: list[int] = []

    def changing_underneath(path=None, **options):
        calls.append(1)
        if len(calls) == 1:
            write("scen/east.yaml", PARTY.format(limit=60))
            try:
                return real(path, **options)
            finally:
                write("scen/east.yaml", PARTY.format(limit=50))
        return real(path, **options)

    monkeypatch.setattr(loader_module, "load_scenario", changing_underneath)
    assert load_scenario(scen).party("east").red_lines[0].text == "troops <= 60"  # what was read
    assert load_scenario(scen).party("east").red_lines[0].text == "troops <= 50"  # what is there
    assert len(calls) == 2
    write("scen/east.yaml", PARTY.format(limit=60))
    assert load_scenario(scen).party("east").red_lines[0].text == "troops <= 60"
    assert len(calls) == 2  # the entry made during the first load was right for these bytes


def test_a_new_party_file_is_loaded_again(cache_dir, loads, scen, write):
    load_scenario(scen)
    write("scen/west.yaml", "party: west\nred_lines: []\n")
    assert [p.id for p in load_scenario(scen).parties] == ["east", "west"]
    assert len(loads) == 2


def test_limits_and_working_directory_are_part_of_the_key(cache_dir, loads, scen, monkeypatch, tmp_path):
    assert load_scenario(scen).party("east").red_lines[0].location.file == "scen/east.yaml"
    monkeypatch.setenv("FEASIBLE_MAX_RULES", "2")  # the kept scenario (3 rules) would break the new limit
    with pytest.raises(Exception, match="more than the limit of 2"):
        load_scenario(scen)
    monkeypatch.delenv("FEASIBLE_MAX_RULES")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # file names in locations are relative to the working directory
    moved = load_scenario(tmp_path / "scen")
    assert moved.party("east").red_lines[0].location.file == display_path(tmp_path / "scen" / "east.yaml")
    assert display_path(tmp_path / "scen" / "east.yaml") != "scen/east.yaml"
    assert len(loads) == 3


def test_problems_are_never_kept(cache_dir, loads, write):
    write("bad/scenario.yaml", SCENARIO)
    write("bad/east.yaml", PARTY.format(limit="fifty"))
    for _ in range(2):
        with pytest.raises(InvalidScenario, match="1 problem") as caught:
            load_scenario("bad")
        assert "fifty" in caught.value.diagnostics[0].message
    assert len(loads) == 2
    assert entries(cache_dir) == []


def test_a_damaged_entry_is_dropped_and_the_files_loaded(cache_dir, loads, scen):
    load_scenario(scen)
    [entry] = entries(cache_dir)
    entry.write_bytes(b"not a pickle")
    assert load_scenario(scen).title == "Cache test"
    entry.write_bytes(__import__("pickle").dumps({"not": "a scenario"}))
    assert load_scenario(scen).title == "Cache test"
    assert len(loads) == 3
    assert len(entries(cache_dir)) == 1  # written again, whole


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch, loads, scen):
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache directory cannot be created under a file")
    monkeypatch.setenv("FEASIBLE_CACHE_DIR", str(blocker / "cache"))
    assert load_scenario(scen).title == load_scenario(scen).title == "Cache test"
    assert len(loads) == 2


@pytest.mark.parametrize("setting", ["off", ""])
def test_the_cache_can_be_turned_off(monkeypatch, loads, scen, tmp_path, setting):
    monkeypatch.setenv("FEASIBLE_CACHE_DIR", setting)
    assert cache.cache_dir() is None
    load_scenario(scen)
    load_scenario(scen)
    assert len(loads) == 2


def test_a_directory_others_can_write_to_is_not_used(cache_dir, loads, scen):
    load_scenario(scen)
    assert oct(cache_dir.stat().st_mode & 0o777) == oct(0o700)  # created private
    cache_dir.chmod(0o777)
    load_scenario(scen)
    assert len(loads) == 2


def test_entries_others_could_have_written_are_not_used(cache_dir, loads, scen, tmp_path):
    load_scenario(scen)
    [entry] = entries(cache_dir)
    entry.chmod(0o666)
    load_scenario(scen)
    [entry] = entries(cache_dir)
    planted = tmp_path / "planted.pickle"
    entry.rename(planted)
    entry.symlink_to(planted)  # a link in place of the entry: not followed
    load_scenario(scen)
    assert len(loads) == 3


def test_the_default_place_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("FEASIBLE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "feasible"


def test_loads_under_another_name_are_not_kept(cache_dir, loads, scen):
    load_scenario(scen, display=lambda p: f"HEAD:{p.name}")
    assert entries(cache_dir) == []


def load_variant(write, limit: int):
    """A scenario of its own (directory s<limit>), loaded once."""
    write(f"s{limit}/scenario.yaml", SCENARIO)
    write(f"s{limit}/east.yaml", PARTY.format(limit=limit))
    return load_scenario(f"s{limit}")


def test_only_the_most_recently_used_are_kept(cache_dir, loads, write, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    for limit in (10, 20, 30):
        load_variant(write, limit)
    assert len(entries(cache_dir)) == 2
    load_scenario("s30")
    assert len(loads) == 3  # the newest was kept


def test_the_cache_stays_within_its_size(cache_dir, loads, write, monkeypatch):
    load_variant(write, 10)
    [entry] = entries(cache_dir)
    monkeypatch.setattr(cache, "MAX_BYTES", entry.stat().st_size + 10)  # room for one entry only
    for limit in (20, 30):
        load_variant(write, limit)
        assert len(entries(cache_dir)) == 1
    load_scenario("s30")
    assert len(loads) == 3  # the newest was kept


def test_a_kept_scenario_answers_like_a_loaded_one(cache_dir, scen):
    from solver import check

    fresh = check(load_scenario(scen))
    kept = check(load_scenario(scen))
    assert dataclasses.replace(fresh, statistics=None) == dataclasses.replace(kept, statistics=None)


def test_a_check_from_the_cache_imports_no_validation(cache_dir):
    """What the cache is for: a second check of unchanged files needs neither the YAML reader, nor the
    position-file models, nor the rule parser."""
    code = ("import sys\nsys.argv = ['feasible', 'check', 'ukraine-2026', '--format', 'json']\n"
            "from cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
            "heavy = [m for m in ('positions.loader', 'positions.schema', 'positions.rules.parser', 'yaml')"
            " if m in sys.modules]\n"
            "print('imported:', heavy, file=sys.stderr)\n"
            "sys.exit(code)\n")
    env = {**os.environ, "FEASIBLE_CACHE_DIR": str(cache_dir), "PYTHONPATH": os.pathsep.join(sys.path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
            for _ in range(2)]
    assert [r.returncode for r in runs] == [1, 1], runs[0].stderr  # the shipped scenario has no deal
    assert runs[0].stdout == runs[1].stdout
    assert "'positions.loader'" in runs[0].stderr  # the first run had to load the files
    assert runs[1].stderr.strip().splitlines()[-1] == "imported: []", runs[1].stderr


# -- planted pickles and a cache in the user's own directory (issue 12 C.10) --------------------------------------

class _Planted:
    """Unpickling it runs code: here, it creates a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_planted_pickle_under_an_entry_name_is_never_unpickled(cache_dir, loads, scen, tmp_path):
    """Written as the user, private, at the very name of the entry: still not signed with the cache's secret."""
    import pickle

    load_scenario(scen)
    [entry] = entries(cache_dir)
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    entry.chmod(0o600)
    assert load_scenario(scen).title == "Cache test"
    assert not marker.exists()
    assert len(loads) == 2


def test_a_copied_cache_directory_is_not_trusted(cache_dir, loads, scen, tmp_path, monkeypatch):
    """A cache directory unpacked or copied from elsewhere, its key file included, is not where its entries
    were signed: they are not used (and so a planted one is never unpickled)."""
    import shutil

    load_scenario(scen)
    assert load_scenario(scen).title == "Cache test"
    assert len(loads) == 1  # the real cache answers
    copy = tmp_path / "copy"
    shutil.copytree(cache_dir, copy)
    monkeypatch.setenv("FEASIBLE_CACHE_DIR", str(copy))
    load_scenario(scen)
    assert len(loads) == 2


def test_the_key_file_is_private_and_made_once(cache_dir, scen):
    load_scenario(scen)
    key = cache_dir / cache.KEY_FILE
    secret = key.read_bytes()
    assert oct(key.stat().st_mode & 0o777) == oct(0o600) and len(secret) == 32
    load_scenario(scen)
    assert key.read_bytes() == secret


def test_a_key_file_others_can_read_turns_the_cache_off(cache_dir, loads, scen):
    load_scenario(scen)
    (cache_dir / cache.KEY_FILE).chmod(0o644)
    load_scenario(scen)
    load_scenario(scen)
    assert len(loads) == 3


def test_pruning_a_user_directory_removes_only_the_caches_files(tmp_path, monkeypatch, write):
    """FEASIBLE_CACHE_DIR pointed at a directory of the user's: their pickles and temporary files stay."""
    own = tmp_path / "mine"
    own.mkdir(mode=0o700)
    theirs = {"results.pickle": b"user data", "model.v2.pickle": b"user data", ".draft.tmp": b"user data",
              ".feasible-notes.tmp": b"user data", "A" * 64 + ".pickle": b"user data"}
    for name, data in theirs.items():
        (own / name).write_bytes(data)
        os.utime(own / name, (0, 0))  # the oldest files there: pruned first, were they the cache's
    monkeypatch.setenv("FEASIBLE_CACHE_DIR", str(own))
    monkeypatch.setattr(cache, "MAX_ENTRIES", 1)
    for limit in (10, 20, 30):
        load_variant(write, limit)
    assert {name: (own / name).read_bytes() for name in theirs if (own / name).exists()} == theirs
    assert len([p for p in own.iterdir() if cache._is_entry(p.name)]) == 1
