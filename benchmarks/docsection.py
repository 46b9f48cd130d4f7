"""Writing one benchmark's results into its own marker-delimited section of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def markers(section: str) -> tuple[str, str]:
    return f"<!-- {section}:begin -->", f"<!-- {section}:end -->"


def write_section(section: str, heading: str, text: str, doc: Path = DOC) -> None:
    """Replace the section between its markers (or append it under `heading`), leaving the rest as is.
    `text` must start and end with the section's markers."""
    begin, end = markers(section)
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if begin in current and end in current:
        current = current[: current.index(begin)] + text + current[current.index(end) + len(end):]
    else:
        current = current.rstrip("\n") + f"\n\n## {heading}\n\n" + text + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(current, encoding="utf-8")
