"""The `feasible` command line: thin wrappers that call `positions` and `solver` and render the results."""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperArgument, TyperGroup
from rich.console import Console
from rich.text import Text

from feasible.positions import (InternalError, InvalidScenario, Scenario, UserError, load_scenario, resolve_scenario,
                       shipped_scenarios)
from feasible.positions.location import display_path

from feasible.solver import DEFAULT_TIME_LIMIT, CheckResult, Control, Objective, Verdict
from feasible.solver import check as run_check

if TYPE_CHECKING:
    from feasible.positions.edits import Edits

# Modules only some commands need are imported inside those commands: start-up is part of every answer.
from . import genius_words
from .exitcodes import ExitCode
from .report import Hanging, check_text, why_text
from .watch import scenario_files, watch  # small; tests replace `watch` here
from .render import counts_line, print_diagnostics, print_user_error, scenario_summary
from .safe import TerminalSafeHook, json_text, terminal_text

class _NamedArgument(TyperArgument):
    """An argument shown in --help by its metavar alone (typer adds the Python type: `PATH <str>`)."""

    def display_type_rich(self, ctx) -> None:
        return None


class _Commands(TyperGroup):
    """feasible's command group: every argument with a metavar is a _NamedArgument."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            for param in command.params:
                if isinstance(param, TyperArgument) and param.metavar:
                    param.__class__ = _NamedArgument


app = typer.Typer(
    cls=_Commands,
    name="feasible",
    help="Is there a package deal every party accepts? Checks negotiation positions written as YAML files.\n\n"
         "PATH is a scenario directory (scenario.yaml plus one file per party), a single scenario file, or the "
         "name of a shipped scenario (see 'feasible scenarios'); without PATH, the shipped Ukraine 2026 scenario.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
for _console in (out, err):  # words from position files never reach the terminal as escape sequences
    _console.push_render_hook(TerminalSafeHook())

PathArg = Annotated[Optional[str], typer.Argument(
    metavar="PATH", help="Scenario directory, scenario file, or shipped scenario name (default: ukraine-2026).",
    show_default=False)]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only when asked: it is slow to import

    try:
        return version("feasible")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "unknown"


def _run(action: Callable[[], ExitCode]) -> None:
    """The one place where domain errors become output and exit codes."""
    try:
        with _reader_may_leave(), _sigint_handler_restored():
            code = action()
    except InvalidScenario as exc:
        print_diagnostics(err, exc.diagnostics)
        code = ExitCode.USER_ERROR
    except UserError as exc:
        print_user_error(err, exc)
        code = ExitCode.USER_ERROR
    except KeyboardInterrupt:
        err.print("interrupted")
        code = ExitCode.INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - anything else is a bug, reported as such
        detail = str(exc) if isinstance(exc, InternalError) else "".join(
            traceback.format_exception_only(type(exc), exc)).strip()
        err.print(Text("internal error: ", style="bold red") + Text(detail))
        err.print(f"This is a bug in feasible {_version()}, not a problem with your files. Please report it with the "
                  "command you ran, the scenario files and this output.")
        if not isinstance(exc, InternalError):
            err.print("".join(traceback.format_tb(exc.__traceback__)[-3:]).rstrip(), markup=False)
        code = ExitCode.INTERNAL_ERROR
    raise typer.Exit(int(code))


class _PipeTolerantStdout:
    """Standard output that outlives its reader: after `... | head`, the first write that finds the pipe closed
    sends the rest to os.devnull instead of raising, so the command still ends with its own exit code (rich and
    typer would exit with 1, a verdict's code) and interpreter shutdown has nothing left to fail on."""

    def __init__(self, wrapped):
        self.wrapped = wrapped

    def write(self, text):
        try:
            return self.wrapped.write(text)
        except BrokenPipeError:
            self._discard_the_rest()
            return len(text)

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except BrokenPipeError:
            self._discard_the_rest()

    def _discard_the_rest(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self.wrapped.fileno())  # the recipe of the Python docs' note on SIGPIPE
        os.close(devnull)
        try:
            self.wrapped.flush()  # what was buffered for the reader goes to devnull now
        except OSError:
            pass

    def __getattr__(self, name: str):
        return getattr(self.wrapped, name)


@contextmanager
def _reader_may_leave() -> Iterator[None]:
    original = sys.stdout
    sys.stdout = _PipeTolerantStdout(original)
    try:
        yield
    finally:
        sys.stdout = original


SECOND_CTRL_C_WINDOW = 0.5  # seconds; `timeout -s INT` and some terminals deliver one Ctrl-C twice
_clock = time.monotonic  # tests replace it to send a "second" Ctrl-C without waiting


def _quit_now(signum=None, frame=None) -> None:
    """A second Ctrl-C: leave at once, without unwinding (a solver thread may be mid-search)."""
    try:
        sys.stderr.write("\ninterrupted\n")
        sys.stderr.flush()
    finally:
        os._exit(int(ExitCode.INTERRUPTED))


@contextmanager
def _supervised(quiet: bool) -> Iterator[Control]:
    """Progress on stderr (only on a terminal, only after a second, never with --quiet) and Ctrl-C handling:
    the first Ctrl-C stops the search and keeps what was found; a second one quits at once, unless it comes
    within SECOND_CTRL_C_WINDOW of the first (then it is the same Ctrl-C, delivered twice)."""
    with _supervision(quiet) as (control, show):
        if show is not None:
            control.progress = lambda stage, solves: show(
                f"{stage}… {solves} solver calls (Ctrl-C stops and shows what was found)")
        yield control


@contextmanager
def _supervision(quiet: bool) -> Iterator[tuple[Control, Callable[[str], None] | None]]:
    """_supervised's Ctrl-C handling, with the progress line left to the command: `show(line)` puts a line on
    stderr (from a second on; None when progress is not shown: not a terminal, or --quiet)."""
    control = Control(interruptible=True)
    started = time.monotonic()
    status = None
    show: Callable[[str], None] | None = None
    if err.is_terminal and not quiet:
        def put(line: str) -> None:
            nonlocal status
            if status is None and time.monotonic() - started > 1.0:
                status = err.status("")
                status.start()
            if status is not None:
                status.update(line)

        show = put

    first_interrupt: float | None = None

    def on_interrupt(signum, frame) -> None:
        nonlocal first_interrupt
        now = _clock()
        if first_interrupt is not None:
            if now - first_interrupt >= SECOND_CTRL_C_WINDOW:
                _quit_now()
            return  # the same Ctrl-C delivered twice: the graceful stop is under way
        first_interrupt = now
        control.interrupt()
        if status is not None:
            status.update("stopping… (Ctrl-C again to quit at once)")

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield control, show
    finally:
        if first_interrupt is None:
            signal.signal(signal.SIGINT, previous)
        # else on_interrupt stays until _run ends: the same Ctrl-C delivered twice must not cut the printing of
        # the partial answer, which comes after this block
        if status is not None:
            status.stop()


after_command: Callable[..., None] | None = None  # the console command's SIGINT handler once a command is done


@contextmanager
def _sigint_handler_restored() -> Iterator[None]:
    """Whatever a command does with SIGINT ends with the command (in-process runs and --watch run many). The
    console command (cli/entry.py) sets `after_command` instead: a Ctrl-C after the answer quits quietly."""
    original = signal.getsignal(signal.SIGINT)
    try:
        yield
    finally:
        restored = after_command or original
        if restored is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, restored)


def _show_version(value: bool) -> None:
    if value:
        out.print(f"feasible {_version()}")
        raise typer.Exit()


@app.callback()
def main(
    version_: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                           help="Show the version and exit.")] = False,
) -> None:
    """Is there a package deal every party accepts?"""
    if threading.current_thread() is threading.main_thread():  # (a test's runner may call in from elsewhere)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # start-up is over: commands handle Ctrl-C


@app.command(short_help="Check a scenario's files: a summary, or each problem located.")
def validate(path: PathArg = None) -> None:
    """Load a scenario and check its files; print a summary, or every problem with its file, line and column.

    Exit code 0 when valid, 2 when not.
    """

    def action() -> ExitCode:
        scenario = load_scenario(path)
        out.print(Text(scenario.title, style="bold"))
        where = display_path(scenario.origin) if scenario.origin else "?"
        out.print(f"{where}: {len(scenario.files)} file{'s' if len(scenario.files) != 1 else ''}")
        out.print(counts_line(scenario))
        out.print()
        out.print(scenario_summary(scenario))
        out.print()
        out.print(Text("valid", style="bold green"))
        return ExitCode.OK

    _run(action)


DropOpt = Annotated[Optional[list[str]], typer.Option(
    "--drop", metavar="ID", help="What if: remove red lines, demands or facts (PARTY/ID, facts/ID, or a glob such as "
                   "russia/*). Repeatable.", show_default=False)]
SetOpt = Annotated[Optional[list[str]], typer.Option(
    "--set", metavar="ISSUE=VALUE", help="Settle ISSUE=VALUE (ISSUE=a,b for sets, ISSUE= for the empty set): the fact "
                  "facts/set-ISSUE, in place of one already there. Repeatable.", show_default=False)]
DemoteOpt = Annotated[Optional[list[str]], typer.Option(
    "--demote", metavar="ID", help="What if: turn a red line into a demand of the same party, same weight. Repeatable.",
    show_default=False)]
WithOpt = Annotated[Optional[list[str]], typer.Option(
    "--with", metavar="FILE", help="What if: merge an overlay file (position format) by id; drop: true removes. "
                   "Repeatable.", show_default=False)]
WeightOpt = Annotated[Optional[list[str]], typer.Option(
    "--weight", metavar="RULE=W", help="What if: give a demand (PARTY/ID) the weight W, a whole number from 1. "
                     "Repeatable.", show_default=False)]
ReadingOpt = Annotated[Optional[list[str]], typer.Option(
    "--reading", metavar="NAME", help="Check under one of the scenario's readings (scenario.yaml `readings:`), "
                      "before any what-if edit; one per question. Repeatable.", show_default=False)]


QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display on stderr.")]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="DATE", help="The positions as they stood on DATE (YYYY-MM-DD: rules dated with valid_from / "
                                    "valid_until); default: the scenario's as_of, else its latest positions.",
    show_default=False)]


ClusterOpt = Annotated[Optional[str], typer.Option(
    "--cluster", metavar="ADDRESS", envvar="FEASIBLE_CLUSTER",
    help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786; needs pip install "
         "'feasible[cluster]'); 'none': on this machine, even when FEASIBLE_CLUSTER is set (its default).",
    show_default=False)]


def cluster_address(option: str | None, workers: int | None = None) -> str | None:
    """The scheduler address --cluster (or FEASIBLE_CLUSTER) names; None for this machine (no option, an empty
    one, or `none`); one not of the form tcp://HOST:PORT is refused. --workers N with a cluster is refused: the
    cluster's workers are its own."""
    address = (option or "").strip()
    if not address or address.lower() == "none":
        return None
    from feasible.solver.cluster import checked_address

    checked_address(address)  # a malformed address is refused at once, before any file is read
    if workers is not None:
        from .words import workers_with_cluster

        message, hint = workers_with_cluster(address)
        raise UserError(message, hint=hint)
    return address


def _day(as_of_text: str | None):
    """The day --as-of names (None without it); a bad date is a usage error, refused before any file is read."""
    from feasible.positions.dates import parse_day

    return parse_day(as_of_text) if as_of_text is not None else None


def _taken(path: str | None, as_of_text: str | None, readings: list[str] | None = None) -> Scenario:
    """The scenario to answer for: loaded, taken as of the day asked (or its own as_of), then under the readings
    chosen: every command that checks goes through here, so that no answer mixes two versions of a position
    (positions/dates.py) and readings always apply to one day's positions (positions/readings.py)."""
    from feasible.positions.dates import as_of

    day = _day(as_of_text)
    scenario = as_of(load_scenario(path, versions=True), day)
    if not readings:
        return scenario
    from feasible.positions.readings import under_readings

    return under_readings(scenario, readings)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@dataclass(frozen=True)
class _Checked:
    """One check, with the baseline it is compared against when edits were given."""

    scenario: Scenario
    result: CheckResult
    baseline: Scenario | None = None
    before: CheckResult | None = None
    applied: tuple = ()

    def presented(self, *, with_deals: bool = False):
        """The check as every format shows it (cli/presentation.py)."""
        from .presentation import check_report

        return check_report(self.scenario, self.result, with_deals=with_deals, baseline=self.baseline,
                            before=self.before, applied=self.applied)


def _edits(drop, set_, demote, overlays, weight=None) -> Edits:
    from feasible.positions.edits import Edits

    return Edits(tuple(drop or ()), tuple(set_ or ()), tuple(demote or ()), tuple(overlays or ()), tuple(weight or ()))


def _checked(path: str | None, edits: Edits, as_of_text: str | None = None, readings: list[str] | None = None,
             **options) -> _Checked:
    baseline = _taken(path, as_of_text, readings)
    if not edits:
        return _Checked(baseline, run_check(baseline, **options))
    from feasible.positions.edits import apply_edits

    scenario, applied = apply_edits(baseline, edits)
    return _Checked(scenario, run_check(scenario, **options), baseline, run_check(baseline, **options),
                    tuple(applied))


def _print_in(output: ReportFormat, view, markdown: Callable[[], str], html: Callable[[], str],
              text: Callable[[], None]) -> None:
    """Print a view in the chosen format: its JSON document, or what the chosen renderer makes of it (the one
    place that knows every format)."""
    if output is ReportFormat.json:
        typer.echo(json_text(view.json()))
    elif output is ReportFormat.markdown:
        typer.echo(markdown(), nl=False)
    elif output is ReportFormat.html:
        typer.echo(html(), nl=False)
    else:
        text()


def _emit(run: _Checked, output: ReportFormat, *, with_deals: bool, sources: bool = False) -> None:
    """Print a check in the chosen format."""
    presented = run.presented(with_deals=with_deals)

    def markdown() -> str:
        from .markdown import check_markdown

        return check_markdown(presented)

    def html() -> str:
        from .html_report import check_html

        return check_html(presented)

    def text() -> None:
        out.print(check_text(presented.check, sources=sources))
        if presented.changes is not None:
            from .changes import comparison_text

            out.print(comparison_text(presented.changes, presented.heading))

    _print_in(output, presented, markdown, html, text)


@app.command(short_help='Is there a package deal every party accepts? The best one.')
def check(
    path: PathArg = None,
    objective: Annotated[Objective, typer.Option(
        help="How deals are ranked: fair (raise the least satisfied party, then the total), welfare (the "
             "total), nash (the product).")] = Objective.FAIR,
    deals: Annotated[Optional[int], typer.Option(
        min=1, metavar="K", help="Show this many distinct deals, best first (each differs from the others on at least "
                    "one issue).", show_default=False)] = None,
    time_limit: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS", help="Seconds to spend in total; past them the answer is marked unknown or not "
                       "proved best.")] = DEFAULT_TIME_LIMIT,
    output: Annotated[ReportFormat, typer.Option("--format", help="text for people, json for programs (see "
                                                                  "docs/check.md), markdown for a memo, html for a "
                                                                  "self-contained report.")] = ReportFormat.text,
    all_conflicts: Annotated[bool, typer.Option(
        "--all-conflicts", help="When there is no deal, list every minimal conflict (not just the first 10) and "
                                "say whether the list is complete.")] = False,
    relaxations: Annotated[int, typer.Option(
        min=0, metavar="K", help="When there is no deal, show this many cheapest ways to open one.")] = 5,
    rank_by_deal: Annotated[bool, typer.Option(
        "--rank-by-deal", help="Rank equally cheap ways by the deal each opens (best first by the objective), "
                               "where the time limit allows; else they stay in a fixed order.")] = False,
    show_sources: Annotated[bool, typer.Option(
        "--sources", help="Text: show the sources each quoted position cites, and the scenario's sources at the "
                          "end (Markdown and HTML always link them).")] = False,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: ReadingOpt = None,
    watch_files: Annotated[bool, typer.Option(
        "--watch", help="Check again whenever a file of the scenario (or an overlay) changes; Ctrl-C stops.")]
    = False,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """Is there a package deal every party accepts? Show the best one, what each party gets, what every deal
    must contain, and the room left on each issue.

    Exit code 0 a deal exists, 1 no deal, 2 invalid input, 3 undecided within the time limit.
    """

    def action() -> ExitCode:
        with _supervised(quiet or watch_files) as control:
            run = _checked(path, _edits(drop, set_, demote, overlays, weight), as_of_text, reading,
                           objective=objective, deals=deals or 1, time_limit=time_limit,
                           conflicts=None if all_conflicts else 10, relaxations=relaxations,
                           rank_by_deal=rank_by_deal, control=control)
        if watch_files:  # on stderr, so that stdout stays one document per run
            err.print(f"--- {time.strftime('%H:%M:%S')} {path or 'ukraine-2026'} ---", style="dim")
        _emit(run, output, with_deals=deals is not None, sources=show_sources)
        return _verdict_code(run.result.verdict, run.result.interrupted)

    if not watch_files:
        _run(action)
        return

    def once() -> None:
        try:
            _run(action)
        except typer.Exit as done:
            if done.exit_code == ExitCode.INTERRUPTED:
                raise KeyboardInterrupt from None  # Ctrl-C during a run stops watching too
            # other verdict codes are for single runs; watching goes on

    try:
        watch(lambda: scenario_files(resolve_scenario(path), overlays or ()), once)
    except KeyboardInterrupt:
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


@app.command(short_help='Why not? The red lines and facts that rule a target out.')
def explain(
    arguments: Annotated[list[str], typer.Argument(
        metavar="[PATH] TARGET", help="TARGET is a demand (PARTY/ID, or ID if unique): why no deal meets it; "
                                      "ISSUE=VALUE: why no deal has this value (ISSUE=a,b for sets); or an issue "
                                      "name: why every deal settles it the same way.")],
    time_limit: Annotated[float, typer.Option(min=0.01, metavar="SECONDS",
                                              help="Seconds to spend in total.")] = DEFAULT_TIME_LIMIT,
    output: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,  # explain shows no progress; accepted as by every command that solves
    as_of_text: AsOfOpt = None,
) -> None:
    """Why not? A minimal set of red lines and facts that rules the target out, in the parties' words.

    Without a deal, the answer is in the scenario with the red lines of the disputes that do not bear on the target
    set aside (it says which).

    Exit code 0 answered, 1 no deal even with those red lines set aside (see check), 2 bad input, 3 undecided
    within the time limit.
    """

    def action() -> ExitCode:
        from feasible.positions.edits import apply_edits
        from feasible.positions.targets import parse_target
        from feasible.solver.explain.why import why_not

        from .presentation import ExplainReport, edit_views, explain_view

        if len(arguments) > 2:
            raise UserError("explain takes [PATH] TARGET", hint="e.g. feasible explain ukraine-2026 force_lead")
        path, target_text = (arguments[0], arguments[1]) if len(arguments) == 2 else (None, arguments[0])
        baseline = _taken(path, as_of_text, reading)
        edits = _edits(drop, set_, demote, overlays, weight)
        scenario, applied = apply_edits(baseline, edits)
        answer = why_not(scenario, parse_target(scenario, target_text), time_limit)
        before = why_not(baseline, parse_target(baseline, target_text), time_limit) if edits else None
        presented = ExplainReport(explain_view(scenario, answer), edit_views(applied),
                                  explain_view(baseline, before) if before is not None else None)
        if output is OutputFormat.json:
            typer.echo(json_text(presented.json()))
        else:
            out.print(why_text(presented.answer))
            if presented.baseline is not None:
                out.print()
                out.print(Hanging("", Text(presented.heading, style="bold underline"), 2))
                out.print(why_text(presented.baseline))
        if not answer.decided:
            return ExitCode.UNDECIDED
        return ExitCode.OK if answer.any_deal else ExitCode.NO_DEAL

    _run(action)


@app.command(short_help='Compare two versions of a scenario, and their answers.')
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The earlier scenario: a path, a shipped name, or REV:PATH "
                                            "(a git revision of the repository you are in, e.g. HEAD~1:positions/).")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later scenario, in the same forms.")],
    objective: Annotated[Objective, typer.Option(help="How deals are ranked (as in check).")] = Objective.FAIR,
    time_limit: Annotated[float, typer.Option(min=0.01, metavar="SECONDS", help="Seconds for each of the two checks.")]
    = DEFAULT_TIME_LIMIT,
    output: Annotated[ReportFormat, typer.Option("--format", help="text, json or markdown.")] = ReportFormat.text,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """Compare two versions of a scenario: positions added, removed and changed, then how the answer changes.
    With --as-of, both versions as they stood on that day (else each as of its own as_of, or latest positions).

    Exit codes as for check, about the newer scenario.
    """

    def action() -> ExitCode:
        from feasible.positions.versions import load_any, position_changes

        from .changes import comparison_text, positions_text
        from .markdown import diff_markdown
        from .presentation import diff_view

        if output is ReportFormat.html:  # refused before any work is done
            raise UserError("diff has no html format", hint="use --format markdown, or check --format html")
        from feasible.positions.dates import as_of

        day = _day(as_of_text)
        before_scenario, after_scenario = as_of(load_any(old), day), as_of(load_any(new), day)
        changes = position_changes(before_scenario, after_scenario)
        with _supervised(quiet) as control:
            before = run_check(before_scenario, objective, time_limit=time_limit, control=control)
            after = run_check(after_scenario, objective, time_limit=time_limit, control=control)
        presented = diff_view(before_scenario, after_scenario, changes, before, after, old, new)
        if output is ReportFormat.markdown:
            typer.echo(diff_markdown(presented), nl=False)
        elif output is ReportFormat.json:
            typer.echo(json_text(presented.json()))
        else:
            if presented.days_line:
                out.print(presented.days_line)
            out.print(positions_text(presented.positions, old, new))
            out.print(comparison_text(presented.changes, f"Results: {old} → {new}"))
        return _verdict_code(after.verdict, after.interrupted)

    _run(action)


def _write_output(path: Path, text: str) -> None:
    """Write a report or map (never a position file) atomically; a symbolic link at `path` is replaced, never
    followed (one planted in a shared directory cannot redirect the write). A file system problem is the
    user's to fix."""
    from feasible.positions.atomic import write_output

    try:
        write_output(path, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(f"cannot write '{path}': {exc.strerror or exc}",
                        hint="check that the directory exists and can be written to") from None


def _answered_code(decided: bool, interrupted: bool) -> ExitCode:
    """The exit code of a command that answers whatever the verdicts (timeline, readings, packages): 0 when every
    part was decided, 3 when the time limit left one undecided, 130 when Ctrl-C stopped it."""
    if interrupted:
        return ExitCode.INTERRUPTED
    return ExitCode.OK if decided else ExitCode.UNDECIDED


def _verdict_code(verdict: Verdict, interrupted: bool = False) -> ExitCode:
    if interrupted:
        return ExitCode.INTERRUPTED
    return {Verdict.DEAL: ExitCode.OK, Verdict.NO_DEAL: ExitCode.NO_DEAL, Verdict.UNKNOWN: ExitCode.UNDECIDED}[verdict]


@app.command(short_help='Apply what-if edits to the position files themselves.')
def edit(
    path: PathArg = None,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: Annotated[Optional[list[str]], typer.Option(
        "--reading", metavar="NAME", hidden=True, help="Refused: edit writes the files as written.")] = None,
    write: Annotated[bool, typer.Option("--write", help="Write the changes to the files (atomically). Without it, "
                                                        "only the diff is shown.")] = False,
    as_of_text: Annotated[Optional[str], typer.Option(
        "--as-of", metavar="DATE", hidden=True, help="Refused: the files keep every dated version.",
        show_default=False)] = None,
) -> None:
    """Apply edits to the position files themselves: show the unified diff, and write only with --write.

    Comments, key order and the layout of untouched parts are kept. The edited scenario must still be valid,
    and a file that changed since it was read is not overwritten. Exit code 0 done, 2 refused.
    """

    def action() -> ExitCode:
        from feasible.positions.rewrite import plan_edits, write_plan

        if reading:
            from .words import reading_refused_by_edit

            message, hint = reading_refused_by_edit()
            raise UserError(message, hint=hint)
        if as_of_text is not None:
            from .words import EDIT_AS_OF, EDIT_AS_OF_HINT

            raise UserError(EDIT_AS_OF, hint=EDIT_AS_OF_HINT)
        edits = _edits(drop, set_, demote, overlays, weight)
        if not edits:
            raise UserError("no edits given", hint="use --drop, --set, --demote, --weight or --with")
        plan = plan_edits(path, edits)
        patch = plan.diff()
        if not patch:
            out.print("no change")
            return ExitCode.OK
        typer.echo(terminal_text(patch) if out.is_terminal else patch, nl=False)  # piped: the exact diff
        if write:
            written = write_plan(plan)
            removed = [f.path for f in plan.changed() if f.deleted]
            kept = [p for p in written if p not in removed]
            err.print("; ".join(f"{verb} {len(paths)} file{'s' if len(paths) != 1 else ''}: "
                                + ", ".join(display_path(p) for p in paths)
                                for verb, paths in (("wrote", kept), ("removed", removed)) if paths))
        else:
            err.print("(not written: add --write to apply)")
        return ExitCode.OK

    _run(action)


@app.command(short_help='Write a self-contained HTML report of a check.')
def report(
    path: PathArg = None,
    output_file: Annotated[Optional[Path], typer.Option(
        "-o", "--output", metavar="FILE", help="Write the HTML report to this file (default: print it).",
        show_default=False)]
    = None,
    objective: Annotated[Objective, typer.Option(help="How deals are ranked (as in check).")] = Objective.FAIR,
    time_limit: Annotated[float, typer.Option(min=0.01, metavar="SECONDS",
                                              help="Seconds to spend.")] = DEFAULT_TIME_LIMIT,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """Write a self-contained HTML report of a check (the same as check --format html), for a memo or a slide.

    Exit codes as for check.
    """

    def action() -> ExitCode:
        from .html_report import check_html

        with _supervised(quiet) as control:
            run = _checked(path, _edits(drop, set_, demote, overlays, weight), as_of_text, reading, objective=objective,
                           time_limit=time_limit, control=control)
        page = check_html(run.presented())
        if output_file is None:
            typer.echo(page, nl=False)
        else:
            _write_output(output_file, page)
            err.print(f"wrote {output_file}")
        return _verdict_code(run.result.verdict, run.result.interrupted)

    _run(action)


@app.command(short_help='Print or draw the conflict map (DOT or SVG).')
def graph(
    path: PathArg = None,
    output_file: Annotated[Optional[Path], typer.Option(
        "-o", "--output", metavar="FILE", help="Write to this file instead: .svg (drawn by Graphviz's dot when "
                               "installed, else laid out by feasible) or .dot.", show_default=False)] = None,
    time_limit: Annotated[float, typer.Option(min=0.01, metavar="SECONDS",
                                              help="Seconds to spend.")] = DEFAULT_TIME_LIMIT,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """Print the conflict map as Graphviz DOT: parties as groups of red lines, each conflict joining its members.

    Exit codes as for check.
    """

    def action() -> ExitCode:
        from .conflict_map import build_map, render_svg, to_dot

        if output_file is not None and output_file.suffix not in (".svg", ".dot", ".gv"):
            raise UserError(f"cannot tell the format of '{output_file}'", hint="end the file name in .svg or .dot")
        scenario = _taken(path, as_of_text, reading)
        with _supervised(quiet) as control:
            result = run_check(scenario, time_limit=time_limit, relaxations=0, control=control)
        from .presentation import as_of_shown
        from .words import titled_as_of, under_readings_title

        conflict_map = build_map(scenario, result)
        title = titled_as_of(under_readings_title(scenario), as_of_shown(scenario))
        dot_text = to_dot(conflict_map, title)
        if output_file is None:
            typer.echo(dot_text, nl=False)
        elif output_file.suffix == ".svg":
            _write_output(output_file, render_svg(conflict_map, title, dot_text))
            err.print(f"wrote {output_file}")
        elif output_file.suffix in (".dot", ".gv"):
            _write_output(output_file, dot_text)
            err.print(f"wrote {output_file}")
        else:
            raise UserError(f"cannot tell the format of '{output_file}'", hint="end the file name in .svg or .dot")
        return _verdict_code(result.verdict, result.interrupted)

    _run(action)


@app.command(short_help='Model-quality warnings, each located, with a code and a fix.')
def lint(
    path: PathArg = None,
    select: Annotated[Optional[list[str]], typer.Option(
        "--select", metavar="CODE", help="Check only these codes (e.g. FL101, or FL1 for every FL1xx); repeatable or "
                                         "comma-separated.", show_default=False)] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", metavar="CODE", help="Do not check these codes; repeatable or comma-separated.",
        show_default=False)] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="text for people, json for programs.")]
    = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with code 5 when there are warnings (3 when the "
                                                          "time limit cut the checks short).")] = False,
    time_limit: Annotated[float, typer.Option(min=0.01, metavar="SECONDS", help="Seconds to spend in total; past "
                                              "them the checks left are marked cut short.")] = DEFAULT_TIME_LIMIT,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """Model-quality warnings, each with a stable code, its place (file:line:col, the line, a caret) and a fix:
    demands met in every deal or in none, comparisons that cannot change, implications met only vacuously, rules
    another party's rule already implies, values no rule mentions, rules bundling unrelated issues, red lines
    nothing else touches, sources never cited and positions without one. A scenario sets warnings aside with
    `lint: ignore:` entries in scenario.yaml, each with a reason (shown as ignored, never hidden).

    Exit code 0 (also with warnings), 2 bad input; with --strict, 5 when there are warnings and 3 when the time
    limit cut the checks short.
    """

    def action() -> ExitCode:
        from feasible.solver.lint import lint_path

        from .lint_view import lint_text, lint_view

        day = _day(as_of_text)
        with _supervised(quiet) as control:
            result = lint_path(path, select=select or (), ignore=ignore or (), time_limit=time_limit,
                               control=control, readings=reading or (), as_of=day)
        view = lint_view(result, control.interrupted)
        if output is OutputFormat.json:
            typer.echo(json_text(view.json()))
        else:
            out.print(lint_text(view), end="")
        if control.interrupted:
            return ExitCode.INTERRUPTED
        if strict and view.warnings:
            return ExitCode.LINT_WARNINGS
        return ExitCode.UNDECIDED if strict and view.cut_short else ExitCode.OK

    _run(action)


@app.command(short_help='The days positions change, and how the answer changes with them.')
def timeline(
    path: PathArg = None,
    objective: Annotated[Objective, typer.Option(help="How deals are ranked (as in check).")] = Objective.FAIR,
    time_limit: Annotated[float, typer.Option(min=0.01, metavar="SECONDS", help="Seconds for each day's check.")]
    = DEFAULT_TIME_LIMIT,
    output: Annotated[ReportFormat, typer.Option("--format", help="text, json, markdown or html.")]
    = ReportFormat.text,
    quiet: QuietOpt = False,
) -> None:
    """Check the scenario as of each day a position starts or stops holding (valid_from / valid_until), from the
    earliest, and list the days the verdict, the conflicts or the cheapest cost change: the positions that
    changed that day and the before/after comparison.

    Exit code 0 answered (whatever the verdicts), 2 bad input, 3 when a day's answer is undecided.
    """

    def action() -> ExitCode:
        from feasible.solver.timeline import timeline as run_timeline

        from .timeline_view import timeline_html, timeline_markdown, timeline_text, timeline_view

        scenario = load_scenario(path, versions=True)  # the timeline takes it as of each day itself
        with _supervised(quiet) as control:
            found = run_timeline(scenario, objective, time_limit=time_limit, control=control)
        view = timeline_view(found)
        _print_in(output, view, lambda: timeline_markdown(view), lambda: timeline_html(view),
                  lambda: out.print(timeline_text(view)))
        return _answered_code(found.decided, found.interrupted)

    _run(action)


@app.command(short_help='A verdict per combination of readings, and what holds in all.')
def readings(
    path: PathArg = None,
    questions: Annotated[Optional[list[str]], typer.Option(
        "--question", metavar="NAME", help="Vary only this question's readings (the others keep their default). "
                                           "Repeatable; default: every question.", show_default=False)] = None,
    objective: Annotated[Objective, typer.Option(help="How deals are ranked (as in check).")] = Objective.FAIR,
    time_limit: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS", help="Seconds for each combination (and for the deal that holds in every "
                                          "reading); past them a combination is marked undecided.")]
    = DEFAULT_TIME_LIMIT,
    workers: Annotated[Optional[int], typer.Option(
        min=1, metavar="N", help="Check N combinations at a time, in worker processes (default: the machine's "
                                 "cores; 1: one after another in this process).", show_default=False)] = None,
    cluster: ClusterOpt = None,
    output: Annotated[ReportFormat, typer.Option("--format", help="text, json (see docs/cli.md), markdown or "
                                                                  "html (a table).")] = ReportFormat.text,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """Check the scenario under every combination of its questions' readings (or of those named with --question) and
    print the matrix: each combination, its verdict, the cheapest relaxation's cost, its conflicts and its deal;
    then the robust findings: in how many combinations each conflict holds, each party is part of a conflict and
    there is no deal, and a deal that holds in every reading if there is one.

    Exit code 0 when every combination was decided, 2 bad input (also: more combinations than feasible checks at
    once), 3 when some combination was undecided within the time limit.
    """

    def action() -> ExitCode:
        from feasible.solver.readings import readings_matrix

        from .readings_view import readings_html, readings_markdown, readings_text, readings_view

        address = cluster_address(cluster, workers)
        scenario = _taken(path, as_of_text)  # readings that do not hold that day are left out
        with _supervised(quiet) as control:
            found = readings_matrix(scenario, questions or (), objective=objective, time_limit=time_limit,
                                    workers=workers, cluster=address, control=control)
        view = readings_view(scenario, found)
        _print_in(output, view, lambda: readings_markdown(view), lambda: readings_html(view),
                  lambda: out.print(readings_text(view), end=""))
        return _answered_code(not found.undecided and view.every_reading != "undecided", found.interrupted)

    _run(action)


@app.command(short_help='Plans on the table side by side; the nearest deal to each.')
def packages(
    path: PathArg = None,
    package: Annotated[Optional[list[str]], typer.Option(
        "--package", metavar="NAME", help="Compare only this package (repeatable; default: all of them).",
        show_default=False)] = None,
    objective: Annotated[Objective, typer.Option(
        help="How equally near deals are ranked: fair, welfare or nash (as in check).")] = Objective.FAIR,
    time_limit: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS", help="Seconds to spend in total; past them what is left is marked undecided.")]
    = DEFAULT_TIME_LIMIT,
    output: Annotated[ReportFormat, typer.Option("--format", help="text for people, json for programs (see "
                                                                  "docs/cli.md), markdown or html for a side-by-side "
                                                                  "table.")] = ReportFormat.text,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """Compare the scenario's packages (the plans on the table, under `packages:` in scenario.yaml): each one's
    values, the red lines it breaks, keeps or leaves to the issues it leaves open (in the parties' words), each
    party's satisfaction where it decides it, and the nearest acceptable deal: the deal every party accepts that
    changes the fewest of its values (without a deal: the one opened by the cheapest relaxation that changes fewest).

    Exit code 0 answered, 2 invalid input, 3 a part undecided within the time limit.
    """

    def action() -> ExitCode:
        from feasible.solver.packages import compare_packages

        from .packages_view import packages_html, packages_markdown, packages_text, packages_view

        scenario = _taken(path, as_of_text, reading)
        edits = _edits(drop, set_, demote, overlays, weight)
        if edits:
            from feasible.positions.edits import apply_edits

            scenario = apply_edits(scenario, edits)[0]
        with _supervised(quiet) as control:
            result = compare_packages(scenario, objective=objective, names=package or (), time_limit=time_limit,
                                      control=control)
        view = packages_view(scenario, result)
        _print_in(output, view, lambda: packages_markdown(view), lambda: packages_html(view),
                  lambda: out.print(packages_text(view), end="", markup=False))
        return _answered_code(result.decided, result.interrupted)

    _run(action)


@app.command(short_help='Which coalitions can agree, who blocks, what one can sign alone.')
def coalitions(
    path: PathArg = None,
    include: Annotated[Optional[list[str]], typer.Option(
        "--include", metavar="PARTY", help="Only coalitions that include PARTY (its red lines always count). "
                                           "Repeatable.", show_default=False)] = None,
    exclude: Annotated[Optional[list[str]], typer.Option(
        "--exclude", metavar="PARTY", help="Leave PARTY out of everything. Repeatable.", show_default=False)] = None,
    coalition: Annotated[Optional[list[str]], typer.Option(
        "--coalition", metavar="A,B,C", help="A chosen coalition (party ids, comma separated): its best sub-agreement, "
                                             "the issues it settles, those left open, and whether the parties outside "
                                             "can accept a completion. Given once.", show_default=False)] = None,
    objective: Annotated[Objective, typer.Option(
        help="How the chosen coalition's deals are ranked, over its members' demands (as in check).")]
    = Objective.FAIR,
    time_limit: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS", help="Seconds for the coalitions, and as many for the chosen coalition; past "
                                          "them what is listed is verified but the lists may be incomplete.")]
    = DEFAULT_TIME_LIMIT,
    output: Annotated[ReportFormat, typer.Option("--format", help="text, json (see docs/cli.md), markdown or html "
                                                                  "(with a picture of the coalitions).")]
    = ReportFormat.text,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """Which coalitions (sets of parties) can agree: the maximal coalitions that have a deal, each with who is left
    out, and the minimal blocking groups, each with its conflict in the parties' words; with --coalition, what that
    coalition can settle without the others (consent scopes: docs/format.md) and whether the parties outside can
    accept a completion of it, or the conflict that stops them.

    Exit code 0 answered (with --coalition: and the coalition has a deal), 1 the chosen coalition has no deal,
    2 invalid input, 3 cut short by the time limit, 130 interrupted.
    """

    def action() -> ExitCode:
        from feasible.solver.coalitions import coalitions as find_coalitions, sub_agreement

        from .coalitions_view import (coalition_named, coalitions_html, coalitions_markdown, coalitions_text,
                                      coalitions_view, named_parties)

        chosen = coalition_named(coalition, exclude or ()) if coalition else None
        from feasible.positions.edits import apply_edits

        with _supervised(quiet) as control:  # (loading too, as in check: a Ctrl-C there still prints the answer)
            scenario, applied = apply_edits(_taken(path, as_of_text, reading),
                                            _edits(drop, set_, demote, overlays, weight))
            named_parties(scenario, include or (), exclude or (), chosen or ())
            found = find_coalitions(scenario, include=tuple(include or ()), exclude=tuple(exclude or ()),
                                    time_limit=time_limit, control=control)
            sub = sub_agreement(scenario, chosen, exclude=tuple(exclude or ()), objective=objective,
                                time_limit=time_limit, control=control) if chosen is not None else None
        view = coalitions_view(scenario, found, sub, applied)
        _print_in(output, view, lambda: coalitions_markdown(view), lambda: coalitions_html(view),
                  lambda: out.print(coalitions_text(view)))
        if view.interrupted:
            return ExitCode.INTERRUPTED
        if sub is not None and not sub.has_deal and sub.complete:
            return ExitCode.NO_DEAL
        return ExitCode.OK if view.complete else ExitCode.UNDECIDED

    _run(action)


def _confidence(text: str) -> float:
    """--confidence: a number strictly between 0 and 1 (click names the option in its usage error)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        from .sweep_words import bad_confidence

        raise typer.BadParameter(bad_confidence(text))
    return value


def _uncertain(path: str | None, as_of_text: str | None, readings: list[str] | None, edits: Edits):
    """The scenario as of the day, with its uncertain items (positions/uncertainty.py): the readings chosen and the
    what-if edits go to `uncertain`, which applies them under every reading a sample draws, not to _taken's
    scenario (a sweep's readings are part of each sample)."""
    from feasible.positions.uncertainty import uncertain

    return uncertain(_taken(path, as_of_text), tuple(readings or ()), edits)


def _sweep_code(found, interrupted: bool) -> ExitCode:
    """0 when some decided sample has a deal or the exact probability of one is above 0, 1 when neither, 3 when no
    sample was decided (and the exact probability is not known), 130 after Ctrl-C."""
    if found.partial or interrupted:
        return ExitCode.INTERRUPTED
    if found.tally.deals or (found.exact.probability or 0) > 0:
        return ExitCode.OK
    return ExitCode.NO_DEAL if found.tally.no_deals else ExitCode.UNDECIDED


def _plain(renderable) -> str:
    """A text answer as plain text, for a file."""
    written = io.StringIO()
    console = Console(file=written, width=120, soft_wrap=True, no_color=True, highlight=False)
    console.push_render_hook(TerminalSafeHook())
    console.print(renderable)
    return written.getvalue()


@app.command(short_help='How likely is a deal? Monte Carlo over the uncertain positions.')
def sweep(
    path: PathArg = None,
    samples: Annotated[int, typer.Option(
        min=1, metavar="N", help="How many samples to draw (each a version of the positions: which uncertain red "
                                 "lines hold, the weights, the readings).")] = 1000,
    seed: Annotated[int, typer.Option(
        min=0, max=2**40 - 1, metavar="S", help="The random seed, 0 to 2**40 - 1: the same seed gives the same "
                                                "answer, whatever --workers or --cluster.")] = 0,
    workers: Annotated[Optional[int], typer.Option(
        min=1, metavar="N", help="Answer samples in N worker processes (default: the machine's cores; 1: in this "
                                 "process).", show_default=False)] = None,
    cluster: ClusterOpt = None,
    time_limit: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS", help="Seconds for each sample; past them the sample is counted as undecided "
                                          "and left out of every estimate.")] = DEFAULT_TIME_LIMIT,
    confidence: Annotated[float, typer.Option(
        metavar="C", parser=_confidence, help="The confidence of the deal probability's interval, between 0 and 1.")]
    = 0.95,
    objective: Annotated[Objective, typer.Option(
        help="How equally robust deals are ranked (as in check).")] = Objective.FAIR,
    output: Annotated[ReportFormat, typer.Option("--format", help="text, json (see docs/cli.md), markdown or html "
                                                                  "(with a tornado picture of the drivers).")]
    = ReportFormat.text,
    output_file: Annotated[Optional[Path], typer.Option(
        "-o", "--output", metavar="FILE", help="Write the answer to this file (default: print it).",
        show_default=False)] = None,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """How likely is a deal, what drives it, and which deal is most robust? Draws versions of the positions from
    their uncertainty (`firm:` on red lines, weight ranges, `p:` on readings: docs/uncertainty.md) and checks each:
    the probability that a deal exists with its interval (and exactly, when the uncertain items are few), the most
    robust deal, the items the probability moves with, the conflicts and how often they appear, each red line's
    share and the cheapest relaxation's cost.

    Exit code 0 a deal in some sample (or a deal possible by the exact probability), 1 no deal in any decided sample
    (nor by the exact probability), 2 bad input, 3 no sample decided within the time limit, 130 interrupted (the
    samples done are shown, marked partial).
    """

    def action() -> ExitCode:
        address = cluster_address(cluster, workers)
        taken = _uncertain(path, as_of_text, reading, _edits(drop, set_, demote, overlays, weight))
        from feasible.solver.sweep import sweep as run_sweep

        from .sweep_view import sweep_html, sweep_markdown, sweep_text, sweep_view
        from .sweep_words import progress_line

        with _supervision(quiet) as (control, show):
            started = time.monotonic()

            def progress(done: int, total: int) -> None:
                if show is not None:
                    elapsed = time.monotonic() - started
                    show(progress_line(done, total, elapsed / done * (total - done) if done else None))

            found = run_sweep(taken, samples=samples, seed=seed, workers=workers, cluster=address,
                              time_limit=time_limit, confidence=confidence, objective=objective, control=control,
                              progress=progress)
        view = sweep_view(taken, found)
        if output_file is None:
            _print_in(output, view, lambda: sweep_markdown(view), lambda: sweep_html(view),
                      lambda: out.print(sweep_text(view)))
        else:
            written = {ReportFormat.json: lambda: json_text(view.json()) + "\n",
                       ReportFormat.markdown: lambda: sweep_markdown(view), ReportFormat.html: lambda: sweep_html(view),
                       ReportFormat.text: lambda: _plain(sweep_text(view))}
            _write_output(output_file, written[output]())
            err.print(f"wrote {output_file}")
        return _sweep_code(found, control.interrupted)

    _run(action)


PartiesOpt = Annotated[Optional[str], typer.Option(
    "--parties", metavar="A,B", help="Only these parties' utilities (ids, comma separated, in this order; name two "
                                     "for a picture: the first across, the second up); every party's red lines "
                                     "still count. Default: every party with a utility.", show_default=False)]


def _edited(path: str | None, as_of_text: str | None, reading: list[str] | None, edits: Edits):
    """The scenario taken (`_taken`) with the what-if edits applied, and the edits as applied."""
    from feasible.positions.edits import apply_edits

    return apply_edits(_taken(path, as_of_text, reading), edits)


def _answer_code(no_deal: bool, interrupted: bool, decided: bool = True) -> ExitCode:
    """frontier and tradeoffs: 0 answered, 1 no deal (even when the answer under a relaxation follows), 3 nothing
    decided within the time limit, 130 interrupted."""
    if interrupted:
        return ExitCode.INTERRUPTED
    if no_deal:
        return ExitCode.NO_DEAL
    return ExitCode.OK if decided else ExitCode.UNDECIDED


@app.command(short_help='The Pareto frontier of the utilities, and the bargaining points.')
def frontier(
    path: PathArg = None,
    parties: PartiesOpt = None,
    limit: Annotated[Optional[int], typer.Option(
        min=1, metavar="N", help="At most N frontier points (said so when more exist).", show_default=False)] = None,
    output_file: Annotated[Optional[Path], typer.Option(
        "-o", "--output", metavar="FILE.svg", help="Also write the picture of the frontier to this SVG file (two "
                                                   "parties only: with more, choose two with --parties A,B).",
        show_default=False)] = None,
    time_limit: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS", help="Seconds to spend in total; past them the frontier is marked cut (more "
                                          "may exist).")] = DEFAULT_TIME_LIMIT,
    output: Annotated[ReportFormat, typer.Option("--format", help="text, json (see docs/cli.md), markdown or html "
                                                                  "(both with the picture).")] = ReportFormat.text,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """The Pareto frontier of the parties' utilities over the deals every party accepts (a party's utility block, else
    its demand satisfaction), exact and without enumerating deals, and the Nash, Kalai-Smorodinsky, egalitarian and
    utilitarian bargaining points relative to the disagreement point (reservation values, else 0). Without a deal:
    the conflicts, then the frontier once the cheapest relaxation's red lines are given up, headed with them.

    Exit code 0 a frontier, 1 no deal (even when the relaxed frontier follows), 2 invalid input, 3 nothing decided
    within the time limit, 130 interrupted.
    """

    def action() -> ExitCode:
        from dataclasses import replace

        from feasible.solver.tradeoffs import frontier_answer

        from .frontier_plot import frontier_svg_file
        from .frontier_view import frontier_html, frontier_markdown, frontier_text, frontier_view, parties_named
        from .frontier_words import wrote

        if output_file is not None and output_file.suffix != ".svg":
            raise UserError(f"cannot tell the format of '{output_file}'", hint="end the file name in .svg")
        chosen = parties_named(parties)
        with _supervised(quiet) as control:  # (loading too: a Ctrl-C there still ends as an interruption)
            scenario, applied = _edited(path, as_of_text, reading, _edits(drop, set_, demote, overlays, weight))
            answer = frontier_answer(scenario, chosen, limit=limit, time_limit=time_limit, control=control)
        view = frontier_view(scenario, answer, chosen, applied, limit)
        if output_file is not None and not view.no_picture:  # the text's last line says where the picture went
            view = replace(view, picture_file=str(output_file))
        _print_in(output, view, lambda: frontier_markdown(view), lambda: frontier_html(view),
                  lambda: out.print(frontier_text(view)))
        if output_file is not None and view.no_picture:
            err.print(view.no_picture)
        elif output_file is not None and view.panel is not None and view.panel.plot is not None:
            _write_output(output_file, frontier_svg_file(view.panel.plot))
            err.print(wrote(str(output_file)))
        return _answer_code(view.no_deal is not None, view.interrupted, view.verdict != "unknown")

    _run(action)


def _path_and_issue(path: str | None, issue: str) -> tuple[str | None, str]:
    """`tradeoffs [PATH] ISSUE`: one argument alone is the ISSUE of the default scenario, unless it names a
    scenario (then the ISSUE is missing)."""
    if issue:
        return path, issue
    if path is None or Path(path).exists() or path in shipped_scenarios():
        raise UserError("which issue? tradeoffs needs an ISSUE", hint="feasible tradeoffs [PATH] ISSUE")
    return None, path


@app.command(short_help='The price of an issue: each value\'s best and where it leads.')
def tradeoffs(
    path: PathArg = None,
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="The issue to price (its name, as in rules).",
                                         show_default=False)] = "",
    parties: PartiesOpt = None,
    time_limit: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS", help="Seconds for each value of ISSUE (and for the unrestricted frontier): "
                                          "not a total. A value whose frontier the time cuts is marked 'cut', "
                                          "its point among the points found.")] = DEFAULT_TIME_LIMIT,
    output: Annotated[ReportFormat, typer.Option("--format", help="text, json (see docs/cli.md), markdown or "
                                                                  "html.")] = ReportFormat.text,
    drop: DropOpt = None,
    set_: SetOpt = None,
    demote: DemoteOpt = None,
    overlays: WithOpt = None,
    weight: WeightOpt = None,
    reading: ReadingOpt = None,
    quiet: QuietOpt = False,
    as_of_text: AsOfOpt = None,
) -> None:
    """For each value of ISSUE: each party's best utility over the deals every party accepts with that value, and
    the bargaining point (Nash, else egalitarian) those deals lead to, against the unrestricted one ("moving the
    army cap from 800 to 600 costs Ukraine 14 points and gives Russia 10"; points are percentage points of
    utility). Without a deal: the conflicts, then the same under the cheapest relaxation.

    Exit code 0 answered, 1 no deal (even when the answer under a relaxation follows), 2 invalid input,
    130 interrupted.
    """

    def action() -> ExitCode:
        from feasible.solver.tradeoffs import tradeoffs as price_issue

        from .frontier_view import parties_named, tradeoffs_html, tradeoffs_markdown, tradeoffs_text, tradeoffs_view

        where, named = _path_and_issue(path, issue)
        chosen = parties_named(parties)
        with _supervised(quiet) as control:
            scenario, applied = _edited(where, as_of_text, reading, _edits(drop, set_, demote, overlays, weight))
            found = price_issue(scenario, named, chosen, time_limit=time_limit, control=control)
        view = tradeoffs_view(scenario, found, chosen, applied)
        _print_in(output, view, lambda: tradeoffs_markdown(view), lambda: tradeoffs_html(view),
                  lambda: out.print(tradeoffs_text(view)))
        return _answer_code(view.no_deal is not None, view.interrupted)

    _run(action)


@app.command(short_help='A live page in the browser: what-ifs answered as you click.')
def serve(
    path: PathArg = None,
    host: Annotated[str, typer.Option(metavar="HOST", help="The address to listen on (loopback only, unless you "
                                                           "mean it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, metavar="PORT", help="The port (taken: the next free one; "
                                                                             "0: any free port).")] = 8765,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open the page in a browser.")] = False,
    time_limit: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS", help="Seconds each answer may take (as in check).")] = DEFAULT_TIME_LIMIT,
) -> None:
    """Serve the scenario as a live local page: toggle red lines, weigh demands, pin issues, and see the answer
    change at once (docs/serve.md). The page's address, with its secret token, is the one line printed.

    Exit code 0 when stopped (Ctrl-C), 2 invalid files or no free port.
    """

    def action() -> ExitCode:
        from .serve.server import serve as serve_page  # here: check and the other commands never load the server

        return serve_page(path, host=host, port=port, browser=not no_browser, time_limit=time_limit)

    _run(action)


@app.command(short_help='List the scenarios shipped with feasible.')
def scenarios() -> None:
    """List the scenarios shipped with feasible (use a name as PATH in other commands)."""

    def action() -> ExitCode:
        from .words import reading_listed

        for name, path in shipped_scenarios().items():
            scenario = load_scenario(path)
            form = "directory" if path.is_dir() else "file"
            out.print(Text(name, style="bold") + Text(f"  {scenario.title}"))
            out.print(f"    {counts_line(scenario)} ({form})")
            asked = {r: q for q in scenario.questions for r in q.readings}
            for question in scenario.questions:
                out.print(Text(f"    {question.name}", style="bold") + Text(f"  {question.asks}"))
                for reading in question.ordered:
                    out.print(Text(f"      --reading {reading}", style="bold")
                              + Text(f"  {reading_listed(scenario, reading)}"))
            for alone in (r.name for r in scenario.readings if r.name not in asked):
                out.print(Text(f"    --reading {alone}", style="bold") + Text(f"  {reading_listed(scenario, alone)}"))
        return ExitCode.OK

    _run(action)


@app.command(short_help='Print the JSON Schema of position files.')
def schema(
    kind: Annotated[str, typer.Option(metavar="KIND", help="Which files: 'scenario' (scenario.yaml), 'party' (a party "
                                           "file), or 'any' (either).")] = "any",
) -> None:
    """Print the JSON Schema of position files, for editor completion (e.g. the YAML language server)."""

    def action() -> ExitCode:
        from feasible.positions.schema import SCHEMA_KINDS, json_schema_text

        known = next((k for k in SCHEMA_KINDS if k == kind), None)
        if known is None:
            raise UserError(f"unknown schema kind '{kind}'", hint="use scenario, party or any")
        typer.echo(json_schema_text(known))  # plain echo: the JSON must not be wrapped or styled
        return ExitCode.OK

    _run(action)


def _sub_app(name: str, help: str) -> typer.Typer:
    return typer.Typer(cls=_Commands, name=name, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                       help=help, pretty_exceptions_enable=False)


import_app = _sub_app("import", genius_words.IMPORT_HELP)
export_app = _sub_app("export", genius_words.EXPORT_HELP)
app.add_typer(import_app)  # (`import` is a Python keyword: the commands' functions are named otherwise)
app.add_typer(export_app)

OutDirOpt = Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="The directory to write (created; "
                                         "must be empty unless --force).", show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Write into a directory that is not empty, replacing its "
                                                        "files of the same kind.")]


def _wrote(directory: Path, written: list[Path]) -> None:
    err.print(genius_words.wrote(len(written), display_path(directory), [p.name for p in written]), markup=False)


@import_app.command("genius", short_help="A scenario directory from GENIUS XML (the ANAC domains).")
def import_genius_command(
    domain: Annotated[Path, typer.Argument(metavar="DOMAIN.xml", help="The GENIUS domain file.",
                                           show_default=False)],
    profiles: Annotated[list[Path], typer.Argument(metavar="PROFILE.xml", help="One GENIUS profile per party.",
                                                   show_default=False)],
    output: OutDirOpt,
    step: Annotated[Optional[str], typer.Option("--step", metavar="S", help="Real issues become whole numbers of "
                                                "steps of S (a value k stands for k × S); without it they are "
                                                "refused.", show_default=False)] = None,
    force: ForceOpt = False,
) -> None:
    """Make a scenario directory from a GENIUS domain and its profiles: scenario.yaml with the issues, and one
    party file per profile holding its utility block (weights, evaluations, reservation value and discount as
    written; docs/format.md#genius-files). Every problem in the files is reported together, located. Exit code 0 done,
    2 refused."""

    def action() -> ExitCode:
        from feasible.positions.genius import import_genius, loaded_as, write_directory
        from feasible.positions.genius.reading import exact_number
        from feasible.positions.numbers import TooLarge

        exact_step = None
        if step is not None:
            try:
                exact_step = exact_number(step)
            except TooLarge as exc:
                raise UserError(f"--step {exc.message}", hint=exc.hint) from None
            if exact_step is None:
                raise UserError(genius_words.STEP_NOT_A_NUMBER.format(step=step), hint=genius_words.STEP_HINT)
        files = import_genius(domain, profiles, exact_step)
        scenario = loaded_as(files, output)  # a scenario that would not load is not written
        _wrote(output, write_directory(output, files, force=force, kind=".yaml"))
        out.print(genius_words.imported(counts_line(scenario)))
        return ExitCode.OK

    _run(action)


@export_app.command("genius", short_help="GENIUS XML (a domain and one profile per party) from a scenario.")
def export_genius_command(
    output: OutDirOpt,
    path: PathArg = None,
    force: ForceOpt = False,
) -> None:
    """Write a scenario as GENIUS files: domain.xml and one profile per party. It must be what GENIUS can state:
    parties with utility blocks and nothing else (their reservation values aside), no facts, enum, bool and int
    issues; what does not fit is named. Exit code 0 done, 2 refused."""

    def action() -> ExitCode:
        from feasible.positions.genius import export_genius, export_notes, write_directory

        scenario = load_scenario(path)
        files = export_genius(scenario)
        _wrote(output, write_directory(output, files, force=force, kind=".xml"))
        notes = export_notes(scenario)
        if notes:
            err.print(genius_words.dropped(notes), markup=False)
        return ExitCode.OK

    _run(action)
