"""The conflict map: parties as groups of their red lines, each conflict a node joining its members, facts
apart. Rendered as Graphviz DOT, or as SVG laid out here in Python (no system program needed)."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from feasible.positions import Scenario
from feasible.solver import CheckResult

from .safe import terminal_text


def _x(text: str) -> str:
    """Words from the files as SVG text: escaped, without escape sequences or controls (see cli/safe.py)."""
    return html.escape(terminal_text(text))


WRAP = 34  # characters per label line


@dataclass(frozen=True)
class MapNode:
    name: str  # PARTY/ID, facts/ID, or conflict-N
    label: str
    group: str  # party display name, "Facts", or "" for conflicts
    in_conflict: bool = False


@dataclass(frozen=True)
class ConflictMap:
    groups: tuple[tuple[str, tuple[MapNode, ...]], ...]  # party (then facts) → its nodes
    conflicts: tuple[MapNode, ...]
    edges: tuple[tuple[str, str], ...]  # conflict node → member


def build_map(scenario: Scenario, result: CheckResult) -> ConflictMap:
    members = {name for c in result.conflicts for name in c.red_lines + c.facts}
    groups = []
    for party in scenario.parties:
        nodes = tuple(MapNode(r.name, r.says, party.name, r.name in members) for r in party.binding)
        if nodes:
            groups.append((party.name, nodes))
    facts = tuple(MapNode(f.name, f.says, "Facts", True) for f in scenario.facts if f.name in members)
    if facts:
        groups.append(("Facts", facts))
    conflicts, edges = [], []
    for index, conflict in enumerate(result.conflicts, 1):
        node = MapNode(f"conflict-{index}", f"Conflict {index}", "")
        conflicts.append(node)
        edges += [(node.name, m) for m in conflict.red_lines + conflict.facts]
    return ConflictMap(tuple(groups), tuple(conflicts), tuple(edges))


# -- DOT ---------------------------------------------------------------------------------------------------------

def _dot_string(text: str) -> str:
    text = terminal_text(text)  # DOT is printed on the terminal too
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrapped(text: str, width: int = WRAP, lines: int = 4) -> list[str]:
    wrapped = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def to_dot(conflict_map: ConflictMap, title: str) -> str:
    lines = [
        "graph conflicts {",
        f"  graph [label={_dot_string(title)}, labelloc=t, fontname=Helvetica, rankdir=LR, compound=true];",
        "  node [fontname=Helvetica, fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=white];",
        "  edge [color=\"#b03030\", penwidth=1.5];",
    ]
    for index, (group, nodes) in enumerate(conflict_map.groups):
        style = "dashed" if group == "Facts" else "rounded"
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={_dot_string(group)}; style={style}; color=\"#777777\";")
        for node in nodes:
            fill = "#fde2e2" if node.in_conflict else "white"
            label = "\n".join(_wrapped(node.label)) + "\n" + node.name
            lines.append(f"    {_dot_string(node.name)} [label={_dot_string(label)}, fillcolor=\"{fill}\"];")
        lines.append("  }")
    for node in conflict_map.conflicts:
        lines.append(f"  {_dot_string(node.name)} [label={_dot_string(node.label)}, shape=octagon, "
                     "fillcolor=\"#b03030\", fontcolor=white];")
    for source, target in conflict_map.edges:
        lines.append(f"  {_dot_string(source)} -- {_dot_string(target)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- SVG, laid out in Python ---------------------------------------------------------------------------------------

BOX_W, LINE_H, PAD, GAP = 250, 14, 8, 10
GROUP_FONT, NODE_FONT, GROUP_LINE_H = 12, 11, 15


def estimated_width(text: str, font_size: float, bold: bool = False) -> float:
    """Width of a line of Helvetica, generously estimated (no font metrics here): most characters of prose are
    narrower than 0.6 em; bold a little wider."""
    return len(text) * font_size * (0.65 if bold else 0.6)


def _fitting(text: str, room: float, font_size: float, bold: bool = False) -> list[str]:
    """`text` wrapped into lines that fit `room` at the estimated width (long words are broken)."""
    characters = max(int(room / estimated_width("x", font_size, bold)), 1)
    return textwrap.wrap(" ".join(text.split()), characters) or [""]


def _group_label(group: str) -> list[str]:
    return _fitting(group, BOX_W - 20, GROUP_FONT, bold=True)


def _node_label(node: MapNode) -> list[str]:
    characters = int((BOX_W - 20 - 2 * PAD) / estimated_width("x", NODE_FONT))
    return _wrapped(node.label, min(WRAP, characters)) + _fitting(node.name, BOX_W - 20 - 2 * PAD, 9)


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float


def to_svg(conflict_map: ConflictMap, title: str) -> str:
    """Groups in two columns (left and right), conflicts in the middle, facts last; edges as straight lines."""
    heights = [40.0, 40.0]
    boxes: dict[str, _Box] = {}
    group_boxes = []
    for group, nodes in conflict_map.groups:
        side = 0 if heights[0] <= heights[1] else 1
        x = 20 if side == 0 else 20 + BOX_W + 40 + 180 + 40
        top = heights[side]
        y = top + 24 + (len(_group_label(group)) - 1) * GROUP_LINE_H
        for node in nodes:
            text_lines = _node_label(node)
            h = len(text_lines) * LINE_H + 2 * PAD
            boxes[node.name] = _Box(x + 10, y, BOX_W - 20, h)
            y += h + GAP
        group_boxes.append((group, _Box(x, top, BOX_W, y - top + 4), nodes))
        heights[side] = y + 24
    middle_x = 20 + BOX_W + 40
    total_h = max(heights + [60 + 50 * len(conflict_map.conflicts)])
    centres = {}
    for index, node in enumerate(conflict_map.conflicts):
        linked = [boxes[t] for s, t in conflict_map.edges if s == node.name and t in boxes]
        centres[node.name] = sum(b.y + b.h / 2 for b in linked) / len(linked) if linked else 60 + 50 * index
    bottom = 0.0
    for name in _conflict_order(conflict_map, boxes, centres, middle_x):
        y = max(centres[name] - 16, bottom + GAP)  # at its members' centre, unless the one above is in the way
        boxes[name] = _Box(middle_x + 30, y, 120, 32)
        bottom = y + 32
    lowest = max((boxes[n.name].y + boxes[n.name].h for n in conflict_map.conflicts), default=0)
    total_h = max(total_h, lowest + 20)  # pushed-down conflicts stay inside the picture
    width = 20 + BOX_W + 40 + 180 + 40 + BOX_W + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="conflict-map" viewBox="0 0 {width} {total_h:.0f}" '
             f'width="{width}" height="{total_h:.0f}" role="img" aria-label="{_x(title)}" '
             'font-family="Helvetica, Arial, sans-serif" font-size="11">',
             f"<title>{_x(title)}</title>"]
    for source, target in conflict_map.edges:
        a, b = boxes[source], boxes[target]
        bx = b.x if b.x > a.x else b.x + b.w
        ax = a.x + a.w if b.x > a.x else a.x
        parts.append(f'<line x1="{ax:.0f}" y1="{a.y + a.h / 2:.0f}" x2="{bx:.0f}" y2="{b.y + b.h / 2:.0f}" '
                     'stroke="#b03030" stroke-width="1.5"/>')
    for group, box, nodes in group_boxes:
        dash = ' stroke-dasharray="5,4"' if group == "Facts" else ""
        parts.append(f'<g class="party" data-group="{_x(group)}">'
                     f'<rect x="{box.x}" y="{box.y:.0f}" width="{box.w}" height="{box.h:.0f}" rx="10" fill="#f6f6f4" '
                     f'stroke="#888"{dash}/>'
                     + "".join(f'<text x="{box.x + 10}" y="{box.y + 16 + i * GROUP_LINE_H:.0f}" font-weight="bold" '
                               f'font-size="{GROUP_FONT}">{_x(line)}</text>'
                               for i, line in enumerate(_group_label(group))))
        for node in nodes:
            b = boxes[node.name]
            fill = "#fde2e2" if node.in_conflict else "#ffffff"
            parts.append(f'<g class="red-line" data-name="{_x(node.name)}">'
                         f'<rect x="{b.x}" y="{b.y:.0f}" width="{b.w}" height="{b.h:.0f}" rx="6" fill="{fill}" '
                         'stroke="#999"/>')
            label = _node_label(node)
            words = len(label) - len(_fitting(node.name, BOX_W - 20 - 2 * PAD, 9))
            for i, line in enumerate(label):
                style = ' fill="#777" font-size="9"' if i >= words else ""
                parts.append(f'<text x="{b.x + PAD}" y="{b.y + PAD + (i + 1) * LINE_H - 3:.0f}"{style}>'
                             f'{_x(line)}</text>')
            parts.append("</g>")
        parts.append("</g>")
    for node in conflict_map.conflicts:
        b = boxes[node.name]
        parts.append(f'<g class="conflict" data-name="{node.name}"><rect x="{b.x}" y="{b.y:.0f}" width="{b.w}" '
                     f'height="{b.h}" rx="16" fill="#b03030"/><text x="{b.x + b.w / 2}" y="{b.y + 20:.0f}" '
                     f'fill="#fff" text-anchor="middle" font-weight="bold">{_x(node.label)}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _conflict_order(conflict_map: ConflictMap, boxes: dict[str, _Box], centres: dict[str, float],
                    middle_x: float) -> list[str]:
    """The conflicts top to bottom: by the centre of their members (ties: conflict number), then each moved to
    the place where its edges cross the fewest others, as long as that removes crossings.

    Edges on one side of the middle all span the same columns, so two of them cross exactly when their conflicts
    and their members are in opposite vertical orders: the crossings depend on the order alone."""
    names = sorted(centres, key=lambda n: (centres[n], int(n.rsplit("-", 1)[1])))
    ends: dict[str, list[tuple[bool, float, str]]] = {n: [] for n in names}
    for source, target in conflict_map.edges:
        if target in boxes and source in ends:
            box = boxes[target]
            ends[source].append((box.x > middle_x, box.y + box.h / 2, target))
    above_costs = {(a, b): sum(1 for side_a, y_a, m_a in ends[a] for side_b, y_b, m_b in ends[b]
                               if side_a == side_b and m_a != m_b and y_a > y_b)
                   for a in names for b in names if a != b}  # crossings when a is drawn above b

    def placed_at(rest: list[str], name: str) -> list[int]:
        """For each place of `name` among `rest`, the crossings of its edges with theirs."""
        costs = [sum(above_costs[name, other] for other in rest)]
        for other in rest:  # moving `name` below `other`
            costs.append(costs[-1] - above_costs[name, other] + above_costs[other, name])
        return costs

    improved = True
    while improved:  # each move removes at least one crossing, so this ends
        improved = False
        for name in list(names):
            rest = [n for n in names if n != name]
            costs = placed_at(rest, name)
            best, now = costs.index(min(costs)), names.index(name)
            if costs[best] < costs[now]:
                names, improved = rest[:best] + [name] + rest[best:], True
    return names


def render_svg(conflict_map: ConflictMap, title: str, dot_text: str) -> str:
    """SVG drawn by Graphviz's `dot` when it is installed (and works), else laid out here."""
    import shutil
    import subprocess

    dot = shutil.which("dot")
    if dot:
        try:
            done = subprocess.run([dot, "-Tsvg"], input=dot_text.encode(), capture_output=True, timeout=60,
                                  check=False)
            if done.returncode == 0 and done.stdout:
                return done.stdout.decode("utf-8")
        except (OSError, subprocess.TimeoutExpired):
            pass
    return to_svg(conflict_map, title)
