"""Rendering of diagnostics and summaries for the terminal (plain when not a terminal or with NO_COLOR)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from feasible.positions import Diagnostic, Scenario, UserError


def diagnostic_text(diag: Diagnostic, label: str = "error", style: str = "bold red") -> Text:
    """One diagnostic in the compiler style: message, location, the line with a caret, and the hint."""
    out = Text()
    out.append(f"{label}: ", style=style)
    out.append(diag.message + "\n", style="bold")
    if diag.location is not None:
        number = str(diag.location.line)
        pad = " " * len(number)
        out.append(f"{pad}--> ", style="blue")
        out.append(f"{diag.location}\n")
        if diag.line_text:
            line, column, width = _window(diag.line_text.rstrip("\n"), diag.location.column, diag.width)
            lead = "".join(ch if ch == "\t" else " " for ch in line[: column - 1])
            out.append(f"{pad} |\n{number} | ", style="blue")
            out.append(line + "\n")
            out.append(f"{pad} | ", style="blue")
            out.append(lead + "^" * width + "\n", style=style)
    if diag.hint:
        out.append("  = help: ", style="cyan")
        out.append(diag.hint + "\n")
    return out


#: A quoted line longer than this is shown as a window of it around the column (a minified file is one line).
LINE_SHOWN = 200
#: Diagnostics printed in full; the rest are counted (a broken generated file can hold thousands).
DIAGNOSTICS_SHOWN = 100


def _window(line: str, column: int, width: int) -> tuple[str, int, int]:
    """The line as quoted, the caret's column in it and its width: a long line cut around the column."""
    if len(line) <= LINE_SHOWN:
        return line, column, width
    start = max(0, min(column - 1 - LINE_SHOWN // 2, len(line) - LINE_SHOWN))
    end = start + LINE_SHOWN
    shown = ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")
    column = column - start + (1 if start else 0)
    return shown, column, max(1, min(width, len(shown) - (column - 1)))


def print_diagnostics(console: Console, diagnostics: list[Diagnostic]) -> None:
    for diag in diagnostics[:DIAGNOSTICS_SHOWN]:
        console.print(diagnostic_text(diag), end="\n")
    if len(diagnostics) > DIAGNOSTICS_SHOWN:
        console.print(Text(f"… and {len(diagnostics) - DIAGNOSTICS_SHOWN} more problems, not shown: fix these and "
                           "run again", style="bold"))
    files = len({d.location.file for d in diagnostics if d.location})
    noun = "problem" if len(diagnostics) == 1 else "problems"
    where = f" in {files} file{'s' if files != 1 else ''}" if files else ""
    console.print(Text(f"{len(diagnostics)} {noun}{where}; the scenario is not valid.", style="bold red"))


def print_user_error(console: Console, exc: UserError) -> None:
    """A refused request as every command prints it: its located diagnostic, or the message and the hint."""
    if exc.diagnostic is not None:
        console.print(diagnostic_text(exc.diagnostic))
        return
    console.print(Text("error: ", style="bold red") + Text(exc.message))
    if exc.hint:
        console.print(Text("  = help: ", style="cyan") + Text(exc.hint))


def scenario_summary(scenario: Scenario) -> Table:
    """One screen on a scenario: what it decides and who wants what."""
    table = Table(title=None, box=None, show_edge=False, pad_edge=False, header_style="bold")
    for column in ("party", "name", "red lines", "demands", "accept at least"):
        table.add_column(column, justify="right" if column in ("red lines", "demands", "accept at least") else "left")
    for party in scenario.parties:
        level = "-" if party.accept_at_least is None else f"{party.accept_at_least}%"
        table.add_row(party.id, party.name, str(len(party.red_lines)), str(len(party.demands)), level)
    return table


def counts_line(scenario: Scenario) -> str:
    def n(count: int, noun: str) -> str:
        return f"{count} {noun}{'' if count == 1 else 's'}"

    return ", ".join([n(len(scenario.parties), "party").replace("partys", "parties"), n(len(scenario.issues), "issue"),
                      n(sum(len(p.red_lines) for p in scenario.parties), "red line"),
                      n(len(scenario.demands), "demand"), n(len(scenario.facts), "fact")])
