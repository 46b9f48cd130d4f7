"""Splicing an edit into a file: only the lines the edit changes are taken from the YAML writer's rendering;
every other line of the original is kept byte for byte (trailing spaces, CR LF, CR-only or mixed line ends, an
end marker), which a YAML writer would normalise. The caller checks that the result means what the edit means
(positions/rewrite.py) and writes the file whole where it does not."""

from __future__ import annotations

import difflib
import re

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")


def split_lines(text: str) -> list[tuple[str, str]]:
    """Each line and its ending, as YAML breaks lines (CR LF, CR or LF; nothing else)."""
    found = [(m.group(1), m.group(2)) for m in _LINE.finditer(text)]
    return found[:-1] if found and found[-1] == ("", "") else found


def splice(original: str, before: str, after: str) -> str:
    """`original` with the lines that changed from ruamel's rendering `before` to `after` replaced by those of
    `after`: every other line is kept byte for byte, with what ruamel would normalise (trailing spaces, line
    ends, an end marker, a re-indented flow) untouched. Lines of `before` are matched to lines of `original`
    ignoring trailing white space; where they do not match, the replaced range grows to whole unmatched
    stretches, so a changed line is never half-matched."""
    source = split_lines(original)
    old = [line for line, _ in split_lines(before)]
    new = [line for line, _ in split_lines(after)]
    to_source = _opcodes([line.rstrip() for line in old], [line.rstrip() for line, _ in source])
    to_new = _opcodes(old, new)
    ending = _usual_ending(source)
    pieces, kept_to = [], 0
    for start, end in _changed_ranges(to_new, to_source):
        # Lines only the original has (an end marker, say) stay outside the replaced range, on the side they are
        first, last = _mapped(to_source, start, latest=True), _mapped(to_source, end, latest=False)
        if first > last:  # an addition where such lines are: it goes before them
            first = last = _mapped(to_source, start, latest=False)
        pieces += [line + eol for line, eol in source[kept_to:first]]
        added = new[_mapped(to_new, start, latest=False):_mapped(to_new, end, latest=True)]
        pieces += [line + ending for line in added]
        kept_to = last
    pieces += [line + eol for line, eol in source[kept_to:]]
    text = "".join(pieces)
    if source and not source[-1][1] and kept_to == len(source) and text.endswith(ending):
        text = text[:-len(ending)]  # the original's last line had no line break: neither has the new one
    return text


def _usual_ending(lines: list[tuple[str, str]]) -> str:
    endings = [eol for _, eol in lines if eol]
    return max(("\n", "\r\n", "\r"), key=endings.count) if endings else "\n"


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from a to b, the common head and tail taken off first (an edit changes a few lines of
    a long file: the matcher then sees only the part between the first and last change)."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    ops = [("equal", 0, head, 0, head)] if head else []
    middle = difflib.SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail])
    ops += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return ops


def _changed_ranges(to_new, to_source) -> list[tuple[int, int]]:
    """The ranges of `before`'s lines to replace: those the edits changed, each grown until both its ends fall
    where `before` and the original match line for line, and merged where they meet."""
    ranges: list[list[int]] = []
    for tag, start, end, _, _ in to_new:
        if tag == "equal":
            continue
        while True:
            grown = (_outside(to_source, start, down=True), _outside(to_source, end, down=False))
            grown = (_outside(to_new, grown[0], down=True), _outside(to_new, grown[1], down=False))
            if grown == (start, end):
                break
            start, end = grown
        while ranges and start <= ranges[-1][1]:  # grown into the ranges before it: one range
            earlier = ranges.pop()
            start, end = min(start, earlier[0]), max(end, earlier[1])
        ranges.append([start, end])
    return [(start, end) for start, end in ranges]


def _outside(ops, index: int, *, down: bool) -> int:
    """`index` (a line boundary on the first side), moved out of any unmatched stretch it falls inside."""
    for tag, i1, i2, _, _ in ops:
        if tag != "equal" and i1 < index < i2:
            return i1 if down else i2
    return index


def _mapped(ops, index: int, *, latest: bool) -> int:
    """The boundary on the second side that matches line boundary `index` on the first side (one at a match or
    at the edge of an unmatched stretch). Where lines only the second side has sit at that boundary, the
    boundary before them, or with `latest` the one after them."""
    found = None
    for tag, i1, i2, j1, j2 in ops:
        if i1 <= index <= i2:
            if tag == "equal":
                here = j1 + (index - i1)
            elif i1 == i2:  # lines only the second side has
                here = j2 if latest else j1
            else:
                here = j1 if index == i1 else j2
            if not latest:
                return here
            found = here
        elif i1 > index:
            break
    return found if found is not None else (ops[-1][4] if ops else 0)
