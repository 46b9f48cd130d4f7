"""The tornado picture of a sweep: one horizontal bar per uncertain item, from the deal probability where the item
takes its least favourable value to where it takes its most favourable one, the widest swing on top, over a scale of
0–100 % with the overall estimate as a vertical line. Plain SVG laid out here (no system program), deterministic
(the same bars give the same bytes), every word from the files escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from .safe import terminal_text

LABEL_W = 260  # the items' names, left of the scale
SCALE_W = 420  # 0 % to 100 %
RIGHT_W = 20
BAR_H = 18
ROW_H = 30
TOP = 44  # the title and the scale's ticks
BOTTOM = 26
LABEL_CHARS = 40  # an item's name past this is cut (the full name is the bar's tooltip)
LOW_COLOUR = "#b03030"
HIGH_COLOUR = "#2e7d4f"


@dataclass(frozen=True)
class Bar:
    """One item: its name, and the deal probability at its least and most favourable values (0..1)."""

    label: str
    low: float
    high: float
    low_value: str
    high_value: str


def _x(text: str) -> str:
    return html.escape(terminal_text(text), quote=True)


def _cut(text: str, chars: int = LABEL_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _at(fraction: float) -> float:
    return LABEL_W + max(0.0, min(1.0, fraction)) * SCALE_W


def tornado_svg(bars: Sequence[Bar], title: str, estimate: float | None, estimate_label: str) -> str:
    """The bars in the order given (the caller sorts them by swing), and the overall estimate when there is one."""
    width = LABEL_W + SCALE_W + RIGHT_W
    height = TOP + ROW_H * max(1, len(bars)) + BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="tornado" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{_x(title)}" '
             'font-family="Helvetica, Arial, sans-serif" font-size="11">',
             f"<title>{_x(title)}</title>"]
    bottom = TOP + ROW_H * max(1, len(bars))
    for tick in range(0, 101, 25):
        x = _at(tick / 100)
        parts.append(f'<line class="tick" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>'
                     f'<text x="{x:.1f}" y="{TOP - 10}" text-anchor="middle" fill="#6b6b70">{tick} %</text>')
    for row, bar in enumerate(bars):
        y = TOP + row * ROW_H + (ROW_H - BAR_H) / 2
        left, right = _at(bar.low), _at(bar.high)
        middle = y + BAR_H / 2 + 4
        tip = f"{bar.label}: {100 * bar.low:.1f} % ({bar.low_value}) to {100 * bar.high:.1f} % ({bar.high_value})"
        parts.append(f'<g class="bar" data-item="{_x(bar.label)}"><title>{_x(tip)}</title>'
                     f'<text x="{LABEL_W - 8}" y="{middle:.1f}" text-anchor="end">{_x(_cut(bar.label))}</text>'
                     f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(right - left, 2.0):.1f}" height="{BAR_H}" '
                     f'fill="#ececef" stroke="#999"/>'
                     f'<circle cx="{left:.1f}" cy="{y + BAR_H / 2:.1f}" r="4" fill="{LOW_COLOUR}"/>'
                     f'<circle cx="{right:.1f}" cy="{y + BAR_H / 2:.1f}" r="4" fill="{HIGH_COLOUR}"/></g>')
    if estimate is not None:
        x = _at(estimate)
        parts.append(f'<line class="estimate" x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{bottom}" '
                     f'stroke="#1d1d1f" stroke-dasharray="4,3"/>'
                     f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
                     f'{_x(estimate_label)}: {100 * estimate:.1f} %'
                     "</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
