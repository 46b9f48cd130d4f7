"""`check --watch`: cli.watch polls the scenario's files (new YAML files and overlays included) and runs again
after each change. Sleeping is replaced by a fake that edits files, so nothing here waits."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import feasible.cli.app  # noqa: F401 (loads cli.app, used by that name)
from feasible import cli
from feasible.cli.app import app
from feasible.cli.watch import scenario_files, snapshot, watch
from feasible.positions import shipped_scenarios

WHATIF = Path(__file__).parent / "data" / "whatif"
LAKE = WHATIF / "lake"
OVERLAYS = WHATIF / "overlays"


@pytest.fixture
def scen(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LAKE, tmp_path / "scen"))


def append(path: Path, text: str = "# touched\n") -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


class FakeSleep:
    """Records each sleep; on the sleeps listed in `actions` (0-based), performs the action."""

    def __init__(self, actions: dict[int, callable] | None = None):
        self.calls: list[float] = []
        self.actions = actions or {}

    def __call__(self, seconds: float) -> None:
        action = self.actions.get(len(self.calls))
        self.calls.append(seconds)
        if action:
            action()
        if len(self.calls) > 50:
            raise AssertionError("watch never noticed the change")


# -- scenario_files ------------------------------------------------------------------------------------------------

def test_scenario_files_of_a_directory(scen):
    assert scenario_files(scen) == [scen / n for n in ("east.yaml", "north.yaml", "scenario.yaml", "south.yaml")]


def test_scenario_files_include_new_yaml_files(scen):
    before = scenario_files(scen)
    (scen / "west.yaml").write_text("party: west\n")
    (scen / "notes.txt").write_text("not a scenario file\n")
    assert scenario_files(scen) == sorted(before + [scen / "west.yaml"])


def test_scenario_files_include_overlays(scen):
    overlay = str(OVERLAYS / "new-party.yaml")
    files = scenario_files(scen, [overlay])
    assert files[-1] == Path(overlay)
    assert len(files) == 5


def test_scenario_files_of_a_single_file():
    toy = shipped_scenarios()["three-party-toy"]
    assert scenario_files(toy) == [toy]
    assert scenario_files(toy, ["o.yaml"]) == [toy, Path("o.yaml")]


def test_snapshot_skips_missing_files(scen):
    state = snapshot([scen / "north.yaml", scen / "gone.yaml"])
    assert list(state) == [scen / "north.yaml"]


# -- watch ---------------------------------------------------------------------------------------------------------

def test_one_run_then_stop(scen):
    runs, sleep = [], FakeSleep()
    assert watch(lambda: scenario_files(scen), lambda: runs.append(1), max_runs=1, sleep=sleep) == 1
    assert runs == [1] and sleep.calls == []


def test_runs_again_after_a_change(scen):
    runs = []
    sleep = FakeSleep({2: lambda: append(scen / "north.yaml")})
    count = watch(lambda: scenario_files(scen), lambda: runs.append(len(runs)), max_runs=2, sleep=sleep,
                  interval=0.25)
    assert count == 2 and runs == [0, 1]
    assert sleep.calls == [0.25, 0.25, 0.25]  # polled until the change, then ran at once


def test_every_change_gives_one_more_run(scen):
    sleep = FakeSleep({0: lambda: append(scen / "east.yaml"), 1: lambda: append(scen / "scenario.yaml"),
                       2: lambda: append(scen / "south.yaml")})
    runs = []
    assert watch(lambda: scenario_files(scen), lambda: runs.append(1), max_runs=4, sleep=sleep) == 4
    assert len(sleep.calls) == 3


def test_a_new_yaml_file_triggers_a_run(scen):
    sleep = FakeSleep({1: lambda: (scen / "west.yaml").write_text("party: west\n")})
    assert watch(lambda: scenario_files(scen), lambda: None, max_runs=2, sleep=sleep) == 2
    assert len(sleep.calls) == 2


def test_a_removed_file_triggers_a_run(scen):
    sleep = FakeSleep({0: lambda: (scen / "south.yaml").unlink()})
    assert watch(lambda: scenario_files(scen), lambda: None, max_runs=2, sleep=sleep) == 2


def test_an_overlay_change_triggers_a_run(scen, tmp_path):
    overlay = tmp_path / "overlay.yaml"
    shutil.copy(OVERLAYS / "drop-rule.yaml", overlay)
    sleep = FakeSleep({1: lambda: append(overlay)})
    assert watch(lambda: scenario_files(scen, [str(overlay)]), lambda: None, max_runs=2, sleep=sleep) == 2


def test_other_files_do_not_trigger_a_run(scen):
    """Only YAML files of the scenario count: a note beside them changes nothing."""
    def touch_note():
        append(scen / "notes.txt")

    def change_yaml():
        append(scen / "north.yaml")

    sleep = FakeSleep({0: touch_note, 1: touch_note, 2: change_yaml})
    runs = []
    watch(lambda: scenario_files(scen), lambda: runs.append(1), max_runs=2, sleep=sleep)
    assert len(sleep.calls) == 3 and len(runs) == 2


def test_a_change_during_a_run_is_noticed(scen):
    """The snapshot is taken before the run: an edit saved while checking leads to another run."""
    runs = []

    def run():
        runs.append(1)
        if len(runs) == 1:
            append(scen / "north.yaml")

    sleep = FakeSleep()
    assert watch(lambda: scenario_files(scen), run, max_runs=2, sleep=sleep) == 2
    assert sleep.calls == []


# -- check --watch -------------------------------------------------------------------------------------------------

def watching(monkeypatch, runs: int, actions: dict) -> FakeSleep:
    sleep = FakeSleep(actions)

    def bounded(files, run, **options):
        return watch(files, run, max_runs=runs, sleep=sleep)

    monkeypatch.setattr(cli.app, "watch", bounded)
    return sleep


def test_check_watch_runs_again_with_the_changed_files(scen, monkeypatch):
    north = scen / "north.yaml"

    def no_deal():  # north now needs more water than south lets anyone take
        north.write_text(north.read_text().replace("extraction_cap >= 400", "extraction_cap >= 800"))

    watching(monkeypatch, 2, {0: no_deal})
    result = CliRunner().invoke(app, ["check", str(scen), "--watch"])
    assert result.exit_code == 0, result.output
    assert "--- " not in result.stdout  # the run headers go to stderr: stdout stays one answer per run
    out = result.output
    assert out.count("--- ") == 2 and out.count(f" {scen} ---") == 2
    first, second = out.split(f" {scen} ---")[1:]
    assert "DEAL:" in first and "NO DEAL" not in first
    assert "NO DEAL:" in second and "north/enough-water" in second


def test_check_watch_keeps_going_after_an_invalid_file(scen, monkeypatch):
    east = scen / "east.yaml"
    original = east.read_text()
    watching(monkeypatch, 3, {0: lambda: east.write_text(original.replace("rule: joint_authority",
                                                                          "rule: joint_authorty")),
                              1: lambda: east.write_text(original)})
    result = CliRunner().invoke(app, ["check", str(scen), "--watch"])
    assert result.exit_code == 0, result.output
    assert "did you mean 'joint_authority'?" in result.stderr
    assert result.stdout.count("DEAL: a package deal every party accepts exists") == 2


def test_check_watch_watches_the_overlay(scen, tmp_path, monkeypatch):
    overlay = tmp_path / "what-if.yaml"
    overlay.write_text("parties:\n  - party: south\n    drop: true\n")
    seen = {}

    def bounded(files, run, **options):
        seen["files"] = files()
        return watch(files, run, max_runs=2, sleep=FakeSleep({0: lambda: overlay.write_text(
            "parties:\n  - party: east\n    drop: true\n")}))

    monkeypatch.setattr(cli.app, "watch", bounded)
    result = CliRunner().invoke(app, ["check", str(scen), "--with", str(overlay), "--watch", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert Path(str(overlay)) in seen["files"]
    assert '"argument": "' + str(overlay) in result.stdout
    assert result.stdout.count('"rules": [\n        "south"\n      ]') == 1
    assert result.stdout.count('"rules": [\n        "east"\n      ]') == 1


def test_check_watch_stops_on_ctrl_c_while_waiting(scen, monkeypatch):
    def interrupted(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.app, "watch", lambda files, run, **options: watch(files, run, sleep=interrupted))
    result = CliRunner().invoke(app, ["check", str(scen), "--watch"])
    assert result.exit_code == 130, result.output
    assert result.stdout.count("DEAL:") == 1


def test_check_watch_stops_on_ctrl_c_during_a_run(scen, monkeypatch):
    calls = []

    def interrupted_check(*args, **kwargs):
        calls.append(1)
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.app, "run_check", interrupted_check)
    watching(monkeypatch, 2, {0: lambda: append(scen / "north.yaml")})
    result = CliRunner().invoke(app, ["check", str(scen), "--watch"])
    assert result.exit_code == 130, result.output
    assert len(calls) == 1


def test_a_same_size_same_time_edit_triggers_a_run(scen):
    """An edit that keeps the size and the time of change (a coarse clock, a restored time stamp) is still a
    change: the content is compared, not only the size and the time."""
    north = scen / "north.yaml"

    def same_size_same_time():
        before = north.stat()
        text = north.read_text()
        changed = text.replace("extraction_cap >= 400", "extraction_cap >= 800")
        assert changed != text and len(changed) == len(text)
        north.write_text(changed)
        os.utime(north, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert north.stat().st_size == before.st_size and north.stat().st_mtime_ns == before.st_mtime_ns

    sleep = FakeSleep({0: same_size_same_time})
    assert watch(lambda: scenario_files(scen), lambda: None, max_runs=2, sleep=sleep) == 2
    assert len(sleep.calls) == 1  # noticed at the first poll after the edit


def test_snapshot_does_not_read_a_fifo(scen):
    fifo = scen / "pipe.yaml"
    os.mkfifo(fifo)
    assert snapshot([fifo])[fifo][2] == b""  # reading it would block until a writer came


def test_an_overlay_given_by_its_path_in_the_scenario_directory_is_watched(tmp_path, monkeypatch):
    """`--with readings/NAME.yaml` is found in the scenario's directory; the watch must follow that file."""
    origin = Path(shutil.copytree(shipped_scenarios()["ukraine-2026"], tmp_path / "ukraine"))
    (origin / "readings").mkdir()
    (origin / "readings" / "narrow.yaml").write_text("facts: []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "ukraine" / "readings")  # (not found from here: looked up beside the scenario)
    files = scenario_files(origin, ["readings/narrow.yaml"])
    assert origin / "readings" / "narrow.yaml" in files
