"""What the server keeps between requests: the served files, their scenario kept warm (`Live`), the version of the
files (polled as `check --watch` does), and one answering job per tab, which a newer request of the same tab
cancels at once."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from io import StringIO
from pathlib import Path
from typing import Any

from rich.console import Console

from feasible.positions import InvalidScenario, Scenario, UserError, load_scenario, resolve_scenario
from feasible.positions.dates import as_of
from feasible.positions.edits import AppliedEdit, Edits
from feasible.positions.location import display_path
from feasible.positions.shipped import scenarios_root
from feasible.solver import Control
from feasible.solver.live import Ask, CompleteStage, FirstStage, Live, PartialStage, Stage

from ..presentation import CheckReport, asked, check_report, check_view, edit_views
from ..render import print_diagnostics, print_user_error
from ..watch import scenario_files, snapshot
from . import guard, words
from .page import error_fragment, first_fragment, panel_html, report_fragment, verdict_line
from .whatif import WhatIf, canonical, command_line, overlay_yaml

#: Tabs answered at once; a new tab past these cancels the oldest one's job.
TABS = 8
#: Seconds between two progress lines of one answer.
PROGRESS_EVERY = 0.25

Put = Callable[[dict[str, Any] | None], None]  # a line of the answer's stream; None ends it


def error_text(exc: UserError | InvalidScenario) -> str:
    """A refusal exactly as the command line prints it (cli/render.py), as plain text."""
    console = Console(file=StringIO(), soft_wrap=True, no_color=True, highlight=False, width=120)
    if isinstance(exc, InvalidScenario):
        print_diagnostics(console, exc.diagnostics)
    else:
        print_user_error(console, exc)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _is_shipped(origin: Path) -> bool:
    root = scenarios_root().resolve()
    where = origin.resolve()
    return where == root or root in where.parents


def _taken(path: str | None) -> Scenario:
    """The scenario as every command takes it without --as-of (cli/app.py `_taken`): every version of its
    positions loaded, then taken as of its own day."""
    return as_of(load_scenario(path, versions=True), None)


@dataclass(eq=False)
class Job:
    """One answer being found for one tab."""

    control: Control = field(default_factory=lambda: Control(interruptible=True))
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True
        self.control.interrupt()


@dataclass(frozen=True)
class Files:
    """One version of the served files: its scenario kept warm, or the located report of why it is not valid."""

    version: int
    live: Live | None
    panel: str
    error: str | None = None


class Session:
    """The served scenario. `path` is PATH as the user gave it (None: the default shipped scenario)."""

    def __init__(self, path: str | None, *, time_limit: float, interval: float = 0.5) -> None:
        self.path = path
        self.token = guard.new_token()
        self.origin = resolve_scenario(path)
        self.writable = not _is_shipped(self.origin)
        self.time_limit = time_limit
        self.interval = interval
        self._seen = snapshot(self._watched())
        self.files = self._load(1, strict=True)  # invalid files at start: raised, as every command reports them
        self._solving = threading.Lock()  # one solve at a time on the warm scenario
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._jobs_lock = threading.Lock()
        self._reports: set[Job] = set()  # the report downloads being answered
        self.closed = threading.Event()
        self._polling = threading.Lock()  # the watcher and a write may both look
        self._writing = threading.Lock()

    @property
    def title(self) -> str:
        live = self.files.live
        return live.scenario.title if live is not None else display_path(self.origin)

    def _watched(self) -> list[Path]:
        return scenario_files(self.origin)

    def _load(self, version: int, *, strict: bool = False) -> Files:
        try:
            scenario = _taken(self.path)
        except (UserError, InvalidScenario) as exc:
            if strict:
                raise
            last = self.files
            return Files(version, None, last.panel, error_text(exc))
        return Files(version, Live(scenario, time_limit=self.time_limit), panel_html(scenario, version))

    # -- the files ---------------------------------------------------------------------------------------------

    def poll(self) -> bool:
        """Load the files again if they changed since last seen; whether they did."""
        with self._polling:
            seen = snapshot(self._watched())
            if seen == self._seen:
                return False
            self._seen = seen
            self.files = self._load(self.files.version + 1)
            return True

    def watch(self) -> None:
        """Poll the files until the session closes (the server's watcher thread)."""
        while not self.closed.wait(self.interval):
            try:
                self.poll()
            except Exception:  # noqa: BLE001 - the watcher must outlive a bug; the trace goes to the server's stderr
                traceback.print_exc(file=sys.stderr)

    def close(self) -> None:
        """Stop: the watcher ends, every answer being found (and every report download's) is cancelled."""
        self.closed.set()
        with self._jobs_lock:
            for job in (*self._jobs.values(), *self._reports):
                job.cancel()
            self._jobs.clear()

    # -- answers -----------------------------------------------------------------------------------------------

    def start(self, tab: str, whatif: WhatIf, put: Put) -> Job:
        """Answer a what-if for a tab in a thread of its own, streaming its stages through `put`; the tab's
        previous job (and the oldest tab's, past TABS) is cancelled at once."""
        job = Job()
        with self._jobs_lock:
            previous = self._jobs.pop(tab, None)
            if previous is not None:
                previous.cancel()
            self._jobs[tab] = job
            while len(self._jobs) > TABS:
                _, oldest = self._jobs.popitem(last=False)
                oldest.cancel()
        files = self.files
        scenario = files.live.scenario if files.live is not None else None
        if scenario is not None:
            whatif = canonical(whatif, scenario)
        put({"stage": "started", "version": files.version,
             "command": command_line(self.path, whatif, scenario) if scenario is not None else ""})
        threading.Thread(target=self._answer, args=(files, whatif, job, put), daemon=True,
                         name=f"answer {tab[:20]}").start()
        return job

    def _answer(self, files: Files, whatif: WhatIf, job: Job, put: Put) -> None:
        try:
            if files.live is None:
                put({"stage": "error", "files": True, "text": files.error, "html": error_fragment(files.error or "")})
                return
            with self._solving:
                if not job.cancelled:
                    self._solve(files.live, whatif.ask(), job, put)
            if job.cancelled:
                put({"stage": "cancelled"})
        finally:
            put(None)

    def _solve(self, live: Live, ask: Ask, job: Job, put: Put) -> None:
        last = [0.0]

        def progress(stage: str, solves: int) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY and not job.cancelled:
                last[0] = now
                put({"stage": "progress", "text": words.PROGRESS.format(stage=stage, solves=solves)})

        def emit(stage: Stage) -> None:
            if not job.cancelled:
                put(stage_message(stage, applied))

        job.control.progress = progress
        try:
            applied = live.edited(ask)[2]  # the edits as applied: the answer so far is worded as the complete one
            live.answer(ask, job.control, emit)
        except (UserError, InvalidScenario) as exc:
            text = error_text(exc)
            put({"stage": "error", "text": text, "html": error_fragment(text)})
        except Exception:  # noqa: BLE001 - a bug: the page says so, the trace goes to the server's stderr only
            traceback.print_exc(file=sys.stderr)
            put({"stage": "error", "text": words.INTERNAL, "html": error_fragment(words.INTERNAL)})

    def complete(self, whatif: WhatIf, job: Job | None = None) -> CompleteStage | None:
        """The what-if's whole answer, found here and now (the report download); None when `job` was cancelled
        (the download was given up, or the server is stopping) before the answer was complete. Raises
        UserError/InvalidScenario for a what-if that does not apply, or for files that are not valid."""
        live = self._live()
        whatif = canonical(whatif, live.scenario)  # the JSON's edits in the order of the command line shown
        job = job or Job()
        with self._jobs_lock:
            if self.closed.is_set():
                return None
            self._reports.add(job)  # cancelled with the session: a download never outlives the server
        try:
            found: list[CompleteStage] = []
            with self._solving:
                if not job.cancelled:
                    live.answer(whatif.ask(), job.control,
                                lambda stage: found.append(stage) if isinstance(stage, CompleteStage) else None)
            return None if job.cancelled or not found else found[-1]
        finally:
            with self._jobs_lock:
                self._reports.discard(job)

    def _live(self) -> Live:
        live = self.files.live
        if live is None:
            raise UserError(words.FILES_INVALID_DOWNLOAD)
        return live

    def overlay(self, whatif: WhatIf) -> str:
        live = self._live()
        baseline, _, _ = live.edited(Ask(Edits(), whatif.readings, whatif.objective))
        return overlay_yaml(baseline, whatif, command_line(self.path, whatif, live.scenario))

    # -- writes ----------------------------------------------------------------------------------------------------

    def _plan(self, whatif: WhatIf):
        from feasible.positions.rewrite import plan_edits

        live = self.files.live
        if live is not None:
            whatif = canonical(whatif, live.scenario)
        if not self.writable:
            raise UserError(words.SHIPPED_NOT_WRITTEN)
        if whatif.readings:
            raise UserError(words.READINGS_NOT_WRITTEN)
        edits = whatif.edits()
        if not edits:
            raise UserError(words.NO_EDITS)
        return plan_edits(self.path, edits)

    def preview(self, whatif: WhatIf) -> dict[str, Any]:
        """The diff `feasible edit` shows for the what-if, and its digest (the write must match it)."""
        plan = self._plan(whatif)
        patch = plan.diff()
        return {"diff": patch, "digest": digest(patch), "files": [display_path(f.path) for f in plan.changed()],
                "status": "" if patch else words.NO_CHANGE}

    @staticmethod
    def _changed_on_disk(plan) -> bool:
        """Whether a file of the plan is no longer as it was read (another writer got there first)."""
        for f in plan.changed():
            current = f.path.read_bytes() if f.path.exists() else None
            if current != (None if f.created else f.original):
                return True
        return False

    def write(self, whatif: WhatIf, previewed: str) -> dict[str, Any] | None:
        """Write the what-if to the files as `feasible edit --write` does, if they would change exactly as
        previewed (else None); then load them again."""
        from feasible.positions.rewrite import write_plan

        with self._writing:  # two writes from the page: the second sees the files the first wrote
            plan = self._plan(whatif)
            if digest(plan.diff()) != previewed:
                return None
            try:
                written = write_plan(plan)
            except UserError:
                if self._changed_on_disk(plan):  # something else wrote them meanwhile: not the page's wording
                    return None
                raise
            removed = [f.path for f in plan.changed() if f.deleted]
            kept = [p for p in written if p not in removed]
            self.poll()
        said = [template.format(files=", ".join(display_path(p) for p in paths))
                for template, paths in ((words.WROTE, kept), (words.REMOVED, removed)) if paths]
        return {"written": [display_path(p) for p in kept], "removed": [display_path(p) for p in removed],
                "status": "; ".join(said) or words.NO_CHANGE}


def digest(patch: str) -> str:
    return hashlib.sha256(patch.encode()).hexdigest()


def presented(stage: CompleteStage) -> CheckReport:
    """The complete stage as `feasible check` presents it (so its JSON is check's, byte for byte)."""
    return check_report(stage.scenario, stage.result, baseline=stage.baseline, before=stage.before,
                        applied=stage.applied)


def partial_report(stage: PartialStage, applied: tuple[AppliedEdit, ...]) -> CheckReport:
    """The answer so far, about the same scenario as the complete one ("With the edits (…)" when the what-if
    edits anything), its deal's room said to be still being computed where none is known yet."""
    edits = edit_views(applied)
    view = check_view(stage.scenario, stage.result, edits=asked(edits))
    if view.deal is not None and not any(issue.room for issue in view.deal.issues):
        pending = tuple(replace(issue, room=words.ROOM_PENDING) for issue in view.deal.issues)
        view = replace(view, deals=(replace(view.deal, issues=pending), *view.deals[1:]))
    return CheckReport(view, edits)


def stage_message(stage: Stage, applied: tuple[AppliedEdit, ...] = ()) -> dict[str, Any]:
    """A stage as a line of the answer's stream: its verdict, the page's fragment, and (complete) check's JSON.
    `applied`: the what-if's edits as applied (the partial stages name them as the complete one does)."""
    if isinstance(stage, FirstStage):
        line, html = first_fragment(stage)
        return {"stage": "first", "verdict": stage.verdict.value, "line": line, "html": html}
    if isinstance(stage, PartialStage):
        report = partial_report(stage, applied)
        return {"stage": "partial", "verdict": report.check.verdict, "line": verdict_line(report),
                "html": report_fragment(report)}
    report = presented(stage)
    return {"stage": "complete", "verdict": report.check.verdict, "line": verdict_line(report),
            "html": report_fragment(report), "json": report.json()}
