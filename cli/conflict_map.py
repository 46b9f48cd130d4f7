"""The conflict map: parties as groups of their red lines, each conflict a node joining its members, facts
apart. Rendered as Graphviz DOT, or as SVG laid out here in Python (no system program needed)."""

from __future__ import annotations

import html
import itertools
import math
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from feasible.positions import Scenario
from feasible.solver import CheckResult

from .safe import terminal_text
from .words import issue_label, said, shared_issues


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
    dispute: int = 0  # conflicts: the number of the dispute it belongs to (see dispute_numbers)


@dataclass(frozen=True)
class ConflictMap:
    groups: tuple[tuple[str, tuple[MapNode, ...]], ...]  # party (then facts) → its nodes
    conflicts: tuple[MapNode, ...]
    edges: tuple[tuple[str, str], ...]  # conflict node → member
    edge_issues: tuple[tuple[str, ...], ...] = ()  # for each edge, the issues its member collides over (labels)

    def labelled_edges(self) -> list[tuple[tuple[str, str], tuple[str, ...]]]:
        """Each edge with the issues its member collides over (none known for a map built without them)."""
        return list(zip(self.edges, self.edge_issues or ((),) * len(self.edges)))

    def colour(self, conflict: str) -> str:
        """The colour of a conflict's dispute: one colour a dispute, so that separate disputes stand apart."""
        dispute = next((c.dispute for c in self.conflicts if c.name == conflict), 1)
        return dispute_colour(dispute)


#: One colour per dispute (dark enough for white text on them), repeated past the eighth; a dispute's number is
#: also written out, so colour is never the only way to tell them apart.
DISPUTE_COLOURS = ("#b03030", "#2f5fa8", "#2e7d4f", "#8a4fb0", "#b35c00", "#1f7a80", "#7a6a1f", "#b0306e")


def dispute_colour(dispute: int) -> str:
    return DISPUTE_COLOURS[(max(dispute, 1) - 1) % len(DISPUTE_COLOURS)]


def dispute_numbers(result: CheckResult) -> tuple[int, ...]:
    """Each conflict's dispute (solver/explain/disputes.py: conflicts joined by shared red lines; facts join
    nothing), numbered 1, 2, … in the order the solver lists the disputes, most salient first."""
    number = {conflict: index for index, dispute in enumerate(result.disputes, 1) for conflict in dispute.conflicts}
    extra = len(result.disputes)
    numbers = []
    for conflict in result.conflicts:
        if conflict not in number:  # not grouped (cannot happen with a complete result): a dispute of its own
            extra += 1
            number[conflict] = extra
        numbers.append(number[conflict])
    return tuple(numbers)


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
    conflicts, edges, edge_issues = [], [], []
    for index, (conflict, dispute) in enumerate(zip(result.conflicts, dispute_numbers(result)), 1):
        node = MapNode(f"conflict-{index}", f"Conflict {index}", "", dispute=dispute)
        conflicts.append(node)
        collide = shared_issues(scenario, [*conflict.red_lines, *conflict.facts])
        for member in conflict.red_lines + conflict.facts:
            edges.append((node.name, member))
            edge_issues.append(tuple(issue_label(scenario, i) for i in collide if i in said(scenario, member).issues))
    return ConflictMap(tuple(groups), tuple(conflicts), tuple(edges), tuple(edge_issues))


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
                     f"fillcolor=\"{dispute_colour(node.dispute)}\", fontcolor=white];")
    for (source, target), issues in conflict_map.labelled_edges():
        label = f"label={_dot_string(', '.join(issues))}, " if issues else ""
        colour = conflict_map.colour(source)
        lines.append(f"  {_dot_string(source)} -- {_dot_string(target)} [{label}color=\"{colour}\", fontsize=9];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- SVG, laid out in Python ---------------------------------------------------------------------------------------

BOX_W, LINE_H, PAD, GAP = 250, 14, 8, 10
GROUP_FONT, NODE_FONT, GROUP_LINE_H = 12, 11, 15
EDGE_ROOM = 150  # between a column of groups and the conflicts: the edges and their labels
CONFLICT_W, CONFLICT_H = 120, 32
EDGE_FONT, EDGE_LINE_H = 9, 10
MIDDLE_X = 20 + BOX_W + EDGE_ROOM  # the conflicts' left edge
RIGHT_X = MIDDLE_X + CONFLICT_W + EDGE_ROOM - 10  # the right column (its red lines are 10 further in)
WIDTH = RIGHT_X + BOX_W + 20
#: The most groups with red lines in conflicts, and the most conflicts, for which every arrangement of those
#: groups is tried (and every order of the conflicts with it); past them the groups keep the scenario's order.
TRIED_GROUPS, TRIED_CONFLICTS = 4, 5
#: The most conflicts whose every top-to-bottom order is tried; past it, conflicts are moved one at a time (and
#: the groups keep the scenario's order).
ORDERED_CONFLICTS = 6
#: The most arrangements (orders of the conflicts squared, times the splits of the groups between the columns)
#: the barycentre search may try and count.
CANDIDATE_BUDGET = 20_000


def estimated_width(text: str, font_size: float, bold: bool = False) -> float:
    """Width of a line of Helvetica, generously estimated (no font metrics here): most characters of prose are
    narrower than 0.6 em; bold a little wider."""
    return len(text) * font_size * (0.65 if bold else 0.6)


def _fitting(text: str, room: float, font_size: float, bold: bool = False) -> list[str]:
    """`text` wrapped into lines that fit `room` at the estimated width (long words are broken)."""
    characters = max(int(room / estimated_width("x", font_size, bold)), 1)
    return textwrap.wrap(" ".join(text.split()), characters) or [""]


@lru_cache(maxsize=4096)  # asked again for every arrangement tried
def _group_label(group: str) -> list[str]:
    return _fitting(group, BOX_W - 20, GROUP_FONT, bold=True)


@lru_cache(maxsize=4096)
def _node_label(node: MapNode) -> list[str]:
    characters = int((BOX_W - 20 - 2 * PAD) / estimated_width("x", NODE_FONT))
    return _wrapped(node.label, min(WRAP, characters)) + _fitting(node.name, BOX_W - 20 - 2 * PAD, 9)


def _edge_label(issues: Sequence[str]) -> list[str]:
    """The issues an edge's member collides over, wrapped to the room beside the conflicts."""
    return _fitting(", ".join(issues), EDGE_ROOM - 30, EDGE_FONT)


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def middle(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class _Placed:
    """Where the groups and their red lines are drawn, for one arrangement of the groups."""

    boxes: dict[str, _Box]
    groups: list[tuple[str, _Box, tuple[MapNode, ...]]]
    height: float  # of the taller column


def _place(conflict_map: ConflictMap, arrangement: Sequence[tuple[int, int]]) -> _Placed:
    """The groups stacked in two columns in the order given: (group index, side), side 0 left and 1 right."""
    heights = [40.0, 40.0]
    boxes: dict[str, _Box] = {}
    placed = []
    for index, side in arrangement:
        group, nodes = conflict_map.groups[index]
        x = 20 if side == 0 else RIGHT_X
        top = heights[side]
        y = top + 24 + (len(_group_label(group)) - 1) * GROUP_LINE_H
        for node in nodes:
            h = len(_node_label(node)) * LINE_H + 2 * PAD
            boxes[node.name] = _Box(x + 10, y, BOX_W - 20, h)
            y += h + GAP
        placed.append((group, _Box(x, top, BOX_W, y - top + 4), nodes))
        heights[side] = y + 24
    return _Placed(boxes, placed, max(heights))


def _group_height(group: str, nodes: tuple[MapNode, ...]) -> float:
    """The height a group adds to its column (as _place stacks it)."""
    return 48 + (len(_group_label(group)) - 1) * GROUP_LINE_H + sum(
        len(_node_label(node)) * LINE_H + 2 * PAD + GAP for node in nodes)


def _shorter_column_first(conflict_map: ConflictMap, indexes: Sequence[int],
                          start: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """`start`, then the groups of `indexes` in order, each in the column that is shorter when it comes."""
    arrangement = list(start)
    heights = [0.0, 0.0]
    for index, side in arrangement:
        heights[side] += _group_height(*conflict_map.groups[index])
    for index in indexes:
        side = 0 if heights[0] <= heights[1] else 1
        arrangement.append((index, side))
        heights[side] += _group_height(*conflict_map.groups[index])
    return arrangement


def _ends(conflict_map: ConflictMap, boxes: dict[str, _Box]) -> dict[str, list[tuple[bool, Any, str]]]:
    """For each conflict, its members' side (right or not), height and name."""
    ends: dict[str, list[tuple[bool, float, str]]] = {c.name: [] for c in conflict_map.conflicts}
    for source, target in conflict_map.edges:
        if target in boxes and source in ends:
            ends[source].append((boxes[target].x > MIDDLE_X, boxes[target].middle, target))
    return ends


def _above_costs(ends: dict[str, list[tuple[bool, Any, str]]]) -> dict[tuple[str, str], int]:
    """The crossings between two conflicts' edges when the first is drawn above the second. Edges on one side of
    the middle all span the same columns, so two of them cross exactly when their conflicts and their members are
    in opposite vertical orders: the crossings depend on the orders alone."""
    return {(a, b): sum(1 for side_a, y_a, m_a in ends[a] for side_b, y_b, m_b in ends[b]
                        if side_a == side_b and m_a != m_b and y_a > y_b)
            for a in ends for b in ends if a != b}


def _crossings(order: Sequence[str], above: dict[tuple[str, str], int]) -> int:
    return sum(above[a, b] for i, a in enumerate(order) for b in order[i + 1:])


def _fewest_crossings(names: Sequence[str], above: dict[tuple[str, str], int]) -> int:
    return min(_crossings(order, above) for order in itertools.permutations(names)) if names else 0


def _arrangement(conflict_map: ConflictMap) -> list[tuple[int, int]]:
    """Where each group goes: in the scenario's order, each in the shorter column; unless its edges cross and
    another arrangement of the groups with red lines in conflicts (those first, the others after them as before)
    has fewer crossings: then the first found with the fewest, of those the one with the shortest picture."""
    everything = range(len(conflict_map.groups))
    default = _shorter_column_first(conflict_map, everything)
    names = [c.name for c in conflict_map.conflicts]
    involved = [i for i, (_, nodes) in enumerate(conflict_map.groups) if any(n.in_conflict for n in nodes)]
    where = {node.name: (index, at) for index, (_, nodes) in enumerate(conflict_map.groups)
             for at, node in enumerate(nodes)}

    def crossings(arrangement: Sequence[tuple[int, int]]) -> int:
        """Counted from the order of the members in each column alone (groups stacked as listed)."""
        stacked = {group: (side, rank) for rank, (group, side) in enumerate(arrangement)}
        ends: dict[str, list[tuple[bool, tuple[int, int], str]]] = {name: [] for name in names}
        for source, target in conflict_map.edges:
            if target in where and source in ends:
                group, at = where[target]
                side, rank = stacked[group]
                ends[source].append((side == 1, (rank, at), target))
        return _fewest_crossings(names, _above_costs(ends))

    if len(names) > ORDERED_CONFLICTS:
        return default
    best, fewest = default, crossings(default)
    if fewest == 0:
        return default
    rest = [i for i in everything if i not in involved]
    tallest = _place(conflict_map, default).height
    for candidate in _candidates(conflict_map, involved, names):
        count = crossings(candidate)
        if count > fewest or (count == fewest and best is default):
            continue
        arrangement = _shorter_column_first(conflict_map, rest, candidate)
        height = _place(conflict_map, arrangement).height
        if count < fewest or height < tallest:
            best, fewest, tallest = arrangement, count, height
    return best


def _candidates(conflict_map: ConflictMap, groups: Sequence[int], names: Sequence[str]
                ) -> Iterator[list[tuple[int, int]]]:
    """Arrangements of the groups with red lines in conflicts, as (group, column) in stacking order, the first
    group on the left (mirrored arrangements draw alike). With few groups and conflicts, every order of the groups
    in every split between the columns. Within a budget, also: for each order of the conflicts and each split,
    the groups of each column stacked by the average place of the conflicts they take part in (the barycentre
    heuristic of layered drawing: K. Sugiyama, S. Tagawa, M. Toda, "Methods for visual understanding of
    hierarchical system structures", IEEE SMC 11(2), 1981), which finds the arrangements without crossings of
    larger maps."""
    splits = [(0, *rest) for rest in itertools.product((0, 1), repeat=max(len(groups) - 1, 0))]
    if len(groups) <= TRIED_GROUPS and len(names) <= TRIED_CONFLICTS:
        for order in itertools.permutations(groups):
            for split in splits:
                yield list(zip(order, split))
    if math.factorial(len(names)) ** 2 * len(splits) > CANDIDATE_BUDGET:
        return
    joined: dict[int, list[str]] = {group: [] for group in groups}
    owner = {node.name: index for index, (_, nodes) in enumerate(conflict_map.groups) for node in nodes}
    for source, target in conflict_map.edges:
        if owner.get(target) in joined:
            joined[owner[target]].append(source)
    for conflicts in itertools.permutations(names):
        rank = {name: i for i, name in enumerate(conflicts)}
        centre = {g: sum(rank[c] for c in joined[g]) / len(joined[g]) if joined[g] else 0.0 for g in groups}
        stacked = sorted(groups, key=lambda g: (centre[g], g))
        for split in splits:
            side = dict(zip(groups, split))
            yield [(group, side[group]) for group in stacked]


def to_svg(conflict_map: ConflictMap, title: str) -> str:
    """Groups in two columns (left and right), conflicts in the middle coloured by dispute, each edge labelled
    with the issues its member collides over."""
    placed = _place(conflict_map, _arrangement(conflict_map))
    boxes = dict(placed.boxes)
    total_h = max(placed.height, 60 + 50 * len(conflict_map.conflicts))
    centres = {}
    for index, node in enumerate(conflict_map.conflicts):
        linked = [boxes[t] for s, t in conflict_map.edges if s == node.name and t in boxes]
        centres[node.name] = sum(b.middle for b in linked) / len(linked) if linked else 60 + 50 * index
    bottom = 0.0
    for name in _conflict_order(conflict_map, boxes, centres):
        y = max(centres[name] - CONFLICT_H / 2, bottom + GAP)  # at its members' centre, unless one is in the way
        boxes[name] = _Box(MIDDLE_X, y, CONFLICT_W, CONFLICT_H)
        bottom = y + CONFLICT_H
    lowest = max((boxes[n.name].y + boxes[n.name].h for n in conflict_map.conflicts), default=0)
    total_h = max(total_h, lowest + 20)  # pushed-down conflicts stay inside the picture
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="conflict-map" viewBox="0 0 {WIDTH} {total_h:.0f}" '
             f'width="{WIDTH}" height="{total_h:.0f}" role="img" aria-label="{_x(title)}" '
             'font-family="Helvetica, Arial, sans-serif" font-size="11">',
             f"<title>{_x(title)}</title>"]
    labels = []
    for (source, target), issues in conflict_map.labelled_edges():
        a, b = boxes[source], boxes[target]
        bx = b.x if b.x > a.x else b.x + b.w
        ax = a.x + a.w if b.x > a.x else a.x
        colour = conflict_map.colour(source)
        parts.append(f'<line x1="{ax:.0f}" y1="{a.middle:.0f}" x2="{bx:.0f}" y2="{b.middle:.0f}" '
                     f'stroke="{colour}" stroke-width="1.5"/>')
        # the label sits on the edge, nearer its member, where edges from one conflict have spread apart
        lines = _edge_label(issues) if issues else []
        mx, my = ax + (bx - ax) * 0.55, a.middle + (b.middle - a.middle) * 0.55
        labels += [f'<text class="edge-label" x="{mx:.0f}" y="{my + 3 + (i - (len(lines) - 1) / 2) * EDGE_LINE_H:.0f}" '
                   f'text-anchor="middle" font-size="{EDGE_FONT}" fill="{colour}" stroke="#fff" stroke-width="3" '
                   f'paint-order="stroke">{_x(line)}</text>' for i, line in enumerate(lines)]
    for group, box, nodes in placed.groups:
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
        parts.append(f'<g class="conflict" data-name="{node.name}" data-dispute="{node.dispute}">'
                     f'<rect x="{b.x}" y="{b.y:.0f}" width="{b.w}" height="{b.h}" rx="16" '
                     f'fill="{dispute_colour(node.dispute)}"/><text x="{b.x + b.w / 2}" y="{b.y + 14:.0f}" '
                     f'fill="#fff" text-anchor="middle" font-weight="bold">{_x(node.label)}</text>'
                     f'<text x="{b.x + b.w / 2}" y="{b.y + 26:.0f}" fill="#fff" text-anchor="middle" font-size="9">'
                     f"dispute {node.dispute}</text></g>")
    parts += labels  # over the edges and boxes, so that no line runs through a label
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _conflict_order(conflict_map: ConflictMap, boxes: dict[str, _Box], centres: dict[str, float]) -> list[str]:
    """The conflicts top to bottom, with as few crossing edges as can be found. With few conflicts, every order
    is tried: the first with the fewest crossings, of those the nearest to the order of their members' centres
    (ties: conflict number). With more, the conflicts start in that order and each is moved to the place where
    its edges cross the fewest others, as long as that removes crossings."""
    names = sorted(centres, key=lambda n: (centres[n], int(n.rsplit("-", 1)[1])))
    above = _above_costs(_ends(conflict_map, boxes))
    if len(names) <= ORDERED_CONFLICTS:
        def moved(order: tuple[str, ...]) -> int:  # pairs out of the centres' order
            return sum(1 for i, a in enumerate(order) for b in order[i + 1:] if names.index(a) > names.index(b))

        ranked = [(_crossings(order, above), moved(order), index, order)
                  for index, order in enumerate(itertools.permutations(names))]
        return list(min(ranked)[3])

    def placed_at(rest: list[str], name: str) -> list[int]:
        """For each place of `name` among `rest`, the crossings of its edges with theirs."""
        costs = [sum(above[name, other] for other in rest)]
        for other in rest:  # moving `name` below `other`
            costs.append(costs[-1] - above[name, other] + above[other, name])
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
