"""The picture of a two-party frontier as a self-contained SVG: each party's utility on an axis (named after the
party), the frontier's points joined by the staircase that bounds what the acceptable deals reach, the
disagreement point, and the bargaining points labelled. Drawn from plain data (a `Plot`, made by
cli/frontier_view.py), with every word from the files escaped (cli/safe.py through html_report.escaped): the same
SVG goes into the HTML and Markdown reports and, with an XML declaration, into `-o frontier.svg`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from textwrap import wrap

from . import frontier_words as fw
from .html_report import escaped as e

WIDTH, PLOT_HEIGHT = 620, 420  # the picture's width; the height of all but the caption
LEFT, RIGHT, BOTTOM = 70, 190, 60  # margins; the right one holds the legend
CAPTION_CHARS = 84  # a caption line's characters at most, so that its letters stay within WIDTH
CAPTION_LINE = 17  # px between caption lines
TICKS = 4  # intervals on each axis
FONT = "font-family='system-ui, sans-serif' font-size='12'"
FRONTIER_COLOUR, POINT_COLOUR, MARK_COLOUR = "#2b6cb0", "#1a365d", "#c53030"


@dataclass(frozen=True)
class Plot:
    """What the picture shows: two parties' utilities (x across, y up), exact."""

    x_name: str
    y_name: str
    points: tuple[tuple[Fraction, Fraction], ...]  # the frontier's points on the two axes
    disagreement: tuple[Fraction, Fraction]
    marks: tuple[tuple[str, Fraction, Fraction], ...]  # (short label, x, y): the bargaining points
    caption: str  # which parties, and the relaxation drawn under: the file -o writes stands alone
    x_label: str = ""  # the axes: the party and what its utility is; its name alone when empty
    y_label: str = ""


def caption_lines(caption: str) -> list[str]:
    """The caption wrapped to the picture's width (a long one is never cut off)."""
    return wrap(caption, CAPTION_CHARS, break_long_words=True, break_on_hyphens=False) or [""]


def frontier_svg(plot: Plot) -> str:
    """The SVG element (for a page: no XML declaration)."""
    lines = caption_lines(plot.caption)
    top = 24 + CAPTION_LINE * len(lines)  # room above the plot for the caption
    height = PLOT_HEIGHT + top
    low_x, high_x = _range([x for x, _ in plot.points] + [plot.disagreement[0]] + [m[1] for m in plot.marks])
    low_y, high_y = _range([y for _, y in plot.points] + [plot.disagreement[1]] + [m[2] for m in plot.marks])
    inner_w, inner_h = WIDTH - LEFT - RIGHT, height - top - BOTTOM

    def at(x: Fraction, y: Fraction) -> tuple[float, float]:
        return (LEFT + float((x - low_x) / (high_x - low_x)) * inner_w,
                top + inner_h - float((y - low_y) / (high_y - low_y)) * inner_h)

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{height}' "
             f"viewBox='0 0 {WIDTH} {height}' role='img' aria-label='{e(plot.caption)}' {FONT}>",
             f"<title>{e(plot.caption)}</title>",
             f"<rect x='0' y='0' width='{WIDTH}' height='{height}' fill='white'/>"]
    parts += [f"<text x='12' y='{20 + CAPTION_LINE * n}' font-size='13'>{e(line)}</text>"
              for n, line in enumerate(lines)]
    parts += _axes(plot, (low_x, high_x), (low_y, high_y), at, top, height)
    parts += _staircase(plot.points, at)
    parts += [f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3.5' fill='{POINT_COLOUR}'><title>{e(plot.x_name)} "
              f"{fw.decimal(px)}, {e(plot.y_name)} {fw.decimal(py)}</title></circle>"
              for px, py in plot.points for x, y in [at(px, py)]]
    dx, dy = at(*plot.disagreement)
    parts.append(f"<rect x='{dx - 4:.1f}' y='{dy - 4:.1f}' width='8' height='8' fill='none' stroke='black' "
                 f"stroke-width='1.5'><title>{fw.DISAGREEMENT}: {e(plot.x_name)} {fw.decimal(plot.disagreement[0])}, "
                 f"{e(plot.y_name)} {fw.decimal(plot.disagreement[1])}</title></rect>"
                 f"<text x='{dx + 7:.1f}' y='{dy - 7:.1f}' font-size='11'>d</text>")
    parts += _marks(plot, at)
    parts += _legend(plot, top)
    parts.append("</svg>")
    return "".join(parts)


def frontier_svg_file(plot: Plot) -> str:
    """The SVG as a file of its own (`-o frontier.svg`)."""
    return "<?xml version='1.0' encoding='UTF-8'?>\n" + frontier_svg(plot) + "\n"


def _range(values: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """An axis from 0 (or below it) to 1 (or above it): utilities are read against the whole scale."""
    low = min([Fraction(0), *values])
    high = max([Fraction(1), *values])
    return low, high


def _axes(plot: Plot, xs: tuple[Fraction, Fraction], ys: tuple[Fraction, Fraction], at, top: int,
          height: int) -> list[str]:
    left, bottom = LEFT, height - BOTTOM
    right = WIDTH - RIGHT
    parts = [f"<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='black'/>",
             f"<line x1='{left}' y1='{bottom}' x2='{left}' y2='{top}' stroke='black'/>"]
    for n in range(TICKS + 1):
        vx = xs[0] + (xs[1] - xs[0]) * n / TICKS
        vy = ys[0] + (ys[1] - ys[0]) * n / TICKS
        x, _ = at(vx, ys[0])
        _, y = at(xs[0], vy)
        parts += [f"<line x1='{x:.1f}' y1='{bottom}' x2='{x:.1f}' y2='{top}' stroke='#e2e8f0'/>",
                  f"<text x='{x:.1f}' y='{bottom + 16}' text-anchor='middle'>{_tick(vx)}</text>",
                  f"<line x1='{left}' y1='{y:.1f}' x2='{right}' y2='{y:.1f}' stroke='#e2e8f0'/>",
                  f"<text x='{left - 6}' y='{y + 4:.1f}' text-anchor='end'>{_tick(vy)}</text>"]
    parts += [f"<text x='{(left + right) / 2:.1f}' y='{bottom + 38}' text-anchor='middle' font-weight='bold'>"
              f"{e(plot.x_label or plot.x_name)}</text>",
              f"<text x='{left - 48}' y='{(top + bottom) / 2:.1f}' text-anchor='middle' font-weight='bold' "
              f"transform='rotate(-90 {left - 48} {(top + bottom) / 2:.1f})'>{e(plot.y_label or plot.y_name)}</text>"]
    return parts


def _tick(value: Fraction) -> str:
    return f"{float(value):.2f}"


def _staircase(points: Sequence[tuple[Fraction, Fraction]], at) -> list[str]:
    """The boundary of what the frontier's points dominate in the picture: from each point (across, ascending) down
    to the next one's height, then across to it (only two parties are ever drawn: every point is on it)."""
    drawn = _undominated(points)
    if not drawn:
        return []
    corners = [at(*drawn[0])]
    for x1, y1 in drawn[1:]:
        x, y = at(x1, y1)
        corners += [(corners[-1][0], y), (x, y)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    return [f"<polyline points='{path}' fill='none' stroke='{FRONTIER_COLOUR}' stroke-width='1.5'>"
            f"<title>{fw.STAIRCASE}</title></polyline>"]


def _undominated(points: Sequence[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """The points no other dominates, across ascending (so up descending)."""
    ordered = sorted(set(points), key=lambda p: (-p[1], -p[0]))
    kept: list[tuple[Fraction, Fraction]] = []
    for x, y in ordered:  # highest first: a point is kept when it reaches further across than every higher one
        if not kept or x > kept[-1][0]:
            kept.append((x, y))
    return kept


def _marks(plot: Plot, at) -> list[str]:
    """The bargaining points: a diamond each, the labels of points that coincide joined."""
    by_place: dict[tuple[Fraction, Fraction], list[str]] = {}
    for label, x, y in plot.marks:
        by_place.setdefault((x, y), []).append(label)
    parts = []
    for (px, py), labels in by_place.items():
        x, y = at(px, py)
        words = ", ".join(labels)
        parts.append(f"<path d='M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} L{x:.1f},{y + 6:.1f} L{x - 6:.1f},{y:.1f} Z' "
                     f"fill='none' stroke='{MARK_COLOUR}' stroke-width='1.5'><title>{e(words)}: {e(plot.x_name)} "
                     f"{fw.decimal(px)}, {e(plot.y_name)} {fw.decimal(py)}</title></path>"
                     f"<text x='{x + 8:.1f}' y='{y - 8:.1f}' fill='{MARK_COLOUR}' font-size='11'>{e(words)}</text>")
    return parts


def _legend(plot: Plot, top: int) -> list[str]:
    x = WIDTH - RIGHT + 16
    items = [f"<circle cx='{x + 4}' cy='{top + 6}' r='3.5' fill='{POINT_COLOUR}'/>"
             f"<text x='{x + 14}' y='{top + 10}'>{fw.STAIRCASE} point</text>",
             f"<rect x='{x}' y='{top + 20}' width='8' height='8' fill='none' stroke='black'/>"
             f"<text x='{x + 14}' y='{top + 28}'>d: {fw.DISAGREEMENT}</text>"]
    for n, (short, name) in enumerate(fw.SOLUTION_SHORT.items()):
        y = top + 46 + 18 * n
        items.append(f"<text x='{x}' y='{y}' fill='{MARK_COLOUR}' font-size='11'>{e(name)}: "
                     f"{e(fw.SOLUTION_NAMES[short].split(' ')[0])}</text>")
    return items
