"""Seeded synthetic scenarios for the benchmarks, with planted conflicts whose members are known exactly.

Every scenario is built around a hidden deal: each fact and each filler red line is written so that this deal
meets it, so the fillers and facts can always hold together. Conflicts are planted on issues of their own
("kernels"), so the minimal conflicting sets of red lines (MUSes) are exactly the planted ones:

- `sum` kernels (ints, any size, may overlap): red lines `k >= 5` on int issues 0..10, and for each conflict
  one red line `k_a + k_b + ... <= 5m - 3` over m of them. The conflicts are {the sum, the m lower bounds}:
  any set of red lines that contains no such group is met by setting each bounded issue to 5 and the others
  to 0. Consecutive conflicts share `overlap` lower bounds.
- `implication` kernels (mixed types, disjoint): conditions L1..L(k-1) on issues of their own (bool, ordered
  enum, set, int, enum in turn) and the red lines `L1`, `L1 -> L2`, ..., `L(k-2) -> L(k-1)`, `not L(k-1)`:
  one conflict of size k, every proper subset of which can hold.

Families:

- `chain`: the reference instance of shared/reference/explanation-performance.md: 40 bool and 11 int issues
  (0..10), red lines `x_i >= 5` (11) and `x_i + x_{i+1} <= 7` (10), giving exactly 10 overlapping conflicts of
  3, plus 39 filler clauses over the bools (60 red lines), over 3 parties.
- `planted`: N red lines (default 2,000) over 300 issues of every type, with exactly one planted conflict of
  size 5 (an implication kernel), over 20 parties, with facts and demands.
- `feasible`: no conflict at all (default 20 parties, 300 issues, 2,000 red lines, 2,000 demands).
- `random`: everything as options.

    python benchmarks/generate.py chain --out /tmp/chain
    python benchmarks/generate.py planted --red-lines 2000 --seed 7 --out /tmp/planted
    python benchmarks/generate.py random --issues 30 --red-lines 40 --conflicts 3 --conflict-size 4 \\
        --overlap 1 --out /tmp/random
    feasible validate /tmp/chain
"""

from __future__ import annotations

import argparse
import json
import operator
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
        ">=": operator.ge}
LEVELS = ("l0", "l1", "l2", "l3", "l4")  # values of the ordered enums
CHOICES = ("a", "b", "c", "d")  # values of the unordered enums
MEMBERS = ("a", "b", "c", "d", "e")  # values of the set issues
KINDS = ("bool", "int", "enum", "ordered", "set")
ISSUE_MIX = {"bool": 0.35, "int": 0.25, "enum": 0.15, "ordered": 0.10, "set": 0.15}


@dataclass
class Generated:
    """A generated scenario: its files' contents as data, and what was planted in it."""

    title: str
    description: str
    issues: dict[str, dict]  # issue name -> definition as written in scenario.yaml
    facts: list[dict]
    parties: list[dict]  # {party, name, red_lines: [...], demands: [...]}
    conflicts: list[frozenset[str]]  # every minimal conflict (MUS) of the red lines, as PARTY/ID names
    deal: dict[str, Any]  # hidden deal: meets every fact and every red line outside the planted kernels
    kernel: frozenset[str] = frozenset()  # names of the red lines that belong to planted kernels
    family: str = "random"
    params: dict = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return not self.conflicts

    @property
    def red_line_count(self) -> int:
        return sum(len(p["red_lines"]) for p in self.parties)

    def weights(self) -> dict[str, int]:
        return {f"{p['party']}/{r['id']}": r.get("weight", 1) for p in self.parties for r in p["red_lines"]}

    def scenario_data(self) -> dict:
        data: dict[str, Any] = {"title": self.title, "description": self.description, "issues": self.issues}
        if self.facts:
            data["facts"] = self.facts
        return data

    def scenario_yaml(self) -> str:
        return _dump(self.scenario_data())

    def party_yaml(self, party: dict) -> str:
        return _dump(party)

    def single_yaml(self) -> str:
        """The whole scenario as one file (the single-file form)."""
        return _dump({**self.scenario_data(), "parties": self.parties})

    def files(self) -> dict[str, str]:
        """File name -> YAML text of the directory form."""
        files = {"scenario.yaml": self.scenario_yaml()}
        for party in self.parties:
            files[f"{party['party']}.yaml"] = self.party_yaml(party)
        return files

    def write(self, directory: str | Path) -> Path:
        """Write the directory form (scenario.yaml and one file per party); returns the directory."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.yaml"):
            old.unlink()
        for name, text in self.files().items():
            (directory / name).write_text(text, encoding="utf-8")
        return directory

    def summary(self) -> dict:
        sizes = sorted(len(c) for c in self.conflicts)
        return {"family": self.family, "params": self.params, "issues": len(self.issues),
                "parties": len(self.parties), "red_lines": self.red_line_count,
                "demands": sum(len(p["demands"]) for p in self.parties), "facts": len(self.facts),
                "conflicts": len(self.conflicts), "conflict_sizes": sizes}


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)


def _paren(text: str) -> str:
    return f"({text})" if " " in text else text


def _negate(text: str) -> str:
    return f"not {_paren(text)}"


class _Builder:
    """Issues with their values in the hidden deal, and rules whose truth in that deal is known."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.issues: dict[str, dict] = {}
        self.deal: dict[str, Any] = {}
        self.kind: dict[str, str] = {}
        self.texts: set[str] = set()  # red line and fact texts used so far (kept distinct)

    # -- issues ----------------------------------------------------------------------------------------------------
    def issue(self, name: str, kind: str, value: Any = None, *, low: int = 0, high: int = 100) -> str:
        r = self.rng
        if kind == "bool":
            spec = {"type": "bool"}
            value = r.random() < 0.5 if value is None else value
        elif kind == "int":
            spec = {"type": "int", "min": low, "max": high}
            value = r.randint(low, high) if value is None else value
        elif kind == "enum":
            spec = {"values": list(CHOICES)}
            value = r.choice(CHOICES) if value is None else value
        elif kind == "ordered":
            spec = {"type": "enum", "values": list(LEVELS), "ordered": True}
            value = r.choice(LEVELS) if value is None else value
        else:
            spec = {"type": "set", "values": list(MEMBERS)}
            value = frozenset(v for v in MEMBERS if r.random() < 0.4) if value is None else value
        self.issues[name] = {**spec, "description": f"Synthetic {kind} issue {name}."}
        self.deal[name] = value
        self.kind[name] = kind
        return name

    def filler_issues(self, count: int) -> list[str]:
        """`count` issues of every kind, in the ISSUE_MIX proportions (at least one of each when count >= 5)."""
        kinds = [k for k in KINDS for _ in range(round(ISSUE_MIX[k] * count))]
        while len(kinds) < count:
            kinds.append("bool")
        kinds = kinds[:count]
        if count >= len(KINDS):
            for i, k in enumerate(KINDS):
                if k not in kinds:
                    kinds[i] = k
        self.rng.shuffle(kinds)
        names = []
        counters = {k: 0 for k in KINDS}
        prefix = {"bool": "b", "int": "n", "enum": "e", "ordered": "o", "set": "s"}
        for kind in kinds:
            name = f"{prefix[kind]}{counters[kind]}"
            counters[kind] += 1
            low, high = (10, 60) if kind == "int" and self.rng.random() < 0.3 else (0, 100)
            names.append(self.issue(name, kind, low=low, high=high))
        return names

    # -- atoms: (text, truth in the hidden deal) --------------------------------------------------------------------
    def atom(self, names: list[str]) -> tuple[str, bool]:
        name = self.rng.choice(names)
        return getattr(self, f"_atom_{self.kind[name]}")(name, names)

    def _atom_bool(self, name, names):
        r, v = self.rng, self.deal[name]
        others = [n for n in names if self.kind[n] == "bool" and n != name]
        if others and r.random() < 0.1:
            other = r.choice(others)
            op = r.choice(("==", "!="))
            return f"{name} {op} {other}", _OPS[op](v, self.deal[other])
        return name, v

    def _atom_int(self, name, names):
        r, v = self.rng, self.deal[name]
        low, high = self.issues[name]["min"], self.issues[name]["max"]
        form = r.randrange(5)
        if form == 0:
            a, b = sorted((r.randint(low, high), r.randint(low, high)))
            return f"{a} <= {name} <= {b}", a <= v <= b
        if form == 1:
            values = sorted(r.sample(range(low, high + 1), 3))
            negated = r.random() < 0.5
            text = f"{name} {'not in' if negated else 'in'} {{{', '.join(map(str, values))}}}"
            return text, (v in values) != negated
        others = [n for n in names if self.kind[n] == "int" and n != name]
        if form == 2 and others:
            other = r.choice(others)
            a, sign = r.randint(1, 3), r.choice("+-")
            value = a * v + (self.deal[other] if sign == "+" else -self.deal[other])
            op, c = r.choice(("<=", ">=", "<", ">")), value + r.randint(-20, 20)
            left = f"{a} * {name}" if a > 1 else name
            right = str(c) if c >= 0 else f"-{-c}"
            return f"{left} {sign} {other} {op} {right}", _OPS[op](value, c)
        sets = [n for n in names if self.kind[n] == "set"]
        if form == 3 and sets:
            s = r.choice(sets)
            value = v + len(self.deal[s])
            op, c = r.choice(("<=", ">=")), value + r.randint(-10, 10)
            right = str(c) if c >= 0 else f"-{-c}"
            return f"{name} + size({s}) {op} {right}", _OPS[op](value, c)
        op, c = r.choice(tuple(_OPS)), r.randint(low, high)
        return f"{name} {op} {c}", _OPS[op](v, c)

    def _atom_enum(self, name, names):
        r, v = self.rng, self.deal[name]
        values = self.issues[name]["values"]
        form = r.randrange(3)
        if form == 0:
            chosen = sorted(r.sample(values, 2))
            negated = r.random() < 0.5
            quoted = ", ".join(f'"{c}"' for c in chosen)
            return f"{name} {'not in' if negated else 'in'} {{{quoted}}}", (v in chosen) != negated
        op, c = r.choice(("==", "!=")), r.choice(values)
        return f'{name} {op} "{c}"', _OPS[op](v, c)

    def _atom_ordered(self, name, names):
        r, v = self.rng, self.deal[name]
        others = [n for n in names if self.kind[n] == "ordered" and n != name]
        if others and r.random() < 0.2:
            other = r.choice(others)
            op = r.choice(tuple(_OPS))
            return f"{name} {op} {other}", _OPS[op](LEVELS.index(v), LEVELS.index(self.deal[other]))
        if r.random() < 0.25:
            return self._atom_enum(name, names)
        op, c = r.choice(tuple(_OPS)), r.choice(LEVELS)
        return f'{name} {op} "{c}"', _OPS[op](LEVELS.index(v), LEVELS.index(c))

    def _atom_set(self, name, names):
        r, v = self.rng, self.deal[name]
        form = r.randrange(5)
        if form == 0:
            m = r.choice(MEMBERS)
            return f'{name} contains "{m}"', m in v
        if form == 1:
            m = r.choice(MEMBERS)
            negated = r.random() < 0.5
            return f'"{m}" {"not in" if negated else "in"} {name}', (m in v) != negated
        if form == 2:
            chosen = sorted(m for m in MEMBERS if r.random() < 0.4)
            op = r.choice(("==", "!="))
            quoted = "{" + ", ".join(f'"{c}"' for c in chosen) + "}"
            return f"{name} {op} {quoted}", _OPS[op](v, frozenset(chosen))
        op, c = r.choice(("<=", ">=", "==", "!=", "<", ">")), r.randint(0, len(MEMBERS))
        return f"size({name}) {op} {c}", _OPS[op](len(v), c)

    # -- rules -------------------------------------------------------------------------------------------------------
    def rule(self, names: list[str], *, true: bool) -> str:
        """A rule over `names`; with true=True one that the hidden deal meets."""
        r = self.rng
        shape = r.choices(("atom", "or", "implies", "and", "count", "iff"), weights=(3, 4, 3, 1, 1, 1))[0]
        if shape == "atom":
            text, v = self.atom(names)
            return _negate(text) if true and not v else text
        if shape in ("or", "and"):
            atoms = [self.atom(names) for _ in range(r.choice((2, 3)))]
            if true and shape == "or" and not any(v for _, v in atoms):
                i = r.randrange(len(atoms))
                atoms[i] = (_negate(atoms[i][0]), True)
            if true and shape == "and":
                atoms = [(t, v) if v else (_negate(t), True) for t, v in atoms]
            return f" {shape} ".join(_paren(t) for t, _ in atoms)
        if shape == "implies":
            (a, va), (b, vb) = self.atom(names), self.atom(names)
            if true and va and not vb:
                b = _negate(b)
            return f"{_paren(a)} -> {_paren(b)}"
        if shape == "iff":
            (a, va), (b, vb) = self.atom(names), self.atom(names)
            if true and va != vb:
                b = _negate(b)
            return f"{_paren(a)} <-> {_paren(b)}"
        atoms = [self.atom(names) for _ in range(r.choice((3, 4)))]
        met = sum(v for _, v in atoms)
        if r.random() < 0.5:
            op, c = ">=", r.randint(0, met) if true else r.randint(0, len(atoms))
        else:
            op, c = "<=", r.randint(met, len(atoms)) if true else r.randint(0, len(atoms))
        return f"count({', '.join(t for t, _ in atoms)}) {op} {c}"

    def distinct_rule(self, names: list[str]) -> str:
        """A rule the hidden deal meets, different from every one handed out so far."""
        for _ in range(1000):
            text = self.rule(names, true=True)
            if text not in self.texts:
                self.texts.add(text)
                return text
        raise RuntimeError("could not find a new distinct rule; give more issues")

    def clause(self, names: list[str], width: int = 3) -> str:
        """A clause over bool issues that the hidden deal meets, different from those so far."""
        r = self.rng
        for _ in range(1000):
            chosen = r.sample(names, width)
            lits = [(n, r.random() < 0.5) for n in chosen]  # (issue, negated)
            if not any(self.deal[n] != neg for n, neg in lits):
                i = r.randrange(width)
                lits[i] = (lits[i][0], not lits[i][1])
            text = " or ".join(f"not {n}" if neg else n for n, neg in lits)
            if text not in self.texts:
                self.texts.add(text)
                return text
        raise RuntimeError("could not find a new distinct clause")


# -- kernels -----------------------------------------------------------------------------------------------------

@dataclass
class _Kernel:
    red_lines: list[tuple[str, str]]  # (id, rule text)
    conflicts: list[frozenset[str]]  # as ids


def sum_kernel(b: _Builder, conflicts: int, size: int, overlap: int, *, names: list[str] | None = None
               ) -> _Kernel:
    """`conflicts` conflicts of `size` red lines (size - 1 lower bounds and one sum), consecutive ones sharing
    `overlap` lower bounds."""
    width = size - 1
    if width < 1 or not 0 <= overlap < width:
        raise ValueError("a sum kernel needs size >= 2 and 0 <= overlap < size - 1")
    step = width - overlap
    count = (conflicts - 1) * step + width if conflicts else 0
    names = names or [f"kx{i}" for i in range(count)]
    for name in names[:count]:
        b.issue(name, "int", 0, low=0, high=10)
    red: list[tuple[str, str]] = []
    for name in names[:count]:
        red.append((f"{name}-at-least-5", f"{name} >= 5"))
    found = []
    for j in range(conflicts):
        members = names[j * step: j * step + width]
        rule_id = f"{'-'.join(members)}-at-most-{5 * width - 3}"
        red.append((rule_id, f"{' + '.join(members)} <= {5 * width - 3}"))
        found.append(frozenset({rule_id} | {red[names.index(m)][0] for m in members}))
    return _Kernel(red, found)


def implication_kernel(b: _Builder, size: int, tag: str) -> _Kernel:
    """One conflict of `size` red lines over size - 1 issues of its own, of every type in turn."""
    if size < 2:
        raise ValueError("a conflict has at least 2 red lines")
    conditions = []
    for i in range(size - 1):
        kind = ("bool", "ordered", "set", "int", "enum")[i % 5]
        name = f"{tag}_{i}"
        if kind == "bool":
            b.issue(name, "bool", False)
            conditions.append(name)
        elif kind == "ordered":
            b.issue(name, "ordered", LEVELS[0])
            conditions.append(f'{name} >= "l3"')
        elif kind == "set":
            b.issue(name, "set", frozenset())
            conditions.append(f'{name} contains "b"')
        elif kind == "int":
            b.issue(name, "int", 0, low=0, high=10)
            conditions.append(f"{name} >= 5")
        else:
            b.issue(name, "enum", CHOICES[0])
            conditions.append(f'{name} == "b"')
    texts = [conditions[0]]
    texts += [f"{_paren(conditions[i])} -> {_paren(conditions[i + 1])}" for i in range(size - 2)]
    texts.append(_negate(conditions[-1]))
    red = [(f"{tag}-{i}", text) for i, text in enumerate(texts)]
    return _Kernel(red, [frozenset(rule_id for rule_id, _ in red)])


# -- assembling --------------------------------------------------------------------------------------------------

def _assemble(b: _Builder, *, family: str, params: dict, title: str, description: str, parties: int,
              kernel: list[tuple[str, str]], conflicts: list[frozenset[str]], fillers: list[str],
              demands: list[str], facts: list[str], max_weight: int = 5) -> Generated:
    """Shuffle the red lines over the parties (kernel ids kept, fillers numbered r0, r1, ...)."""
    r = b.rng
    entries = [(rule_id, text, True) for rule_id, text in kernel]
    entries += [(f"r{i}", text, False) for i, text in enumerate(fillers)]
    r.shuffle(entries)
    party_ids = [f"p{i + 1}" for i in range(parties)]
    owner_of: dict[str, str] = {}
    built = [{"party": pid, "name": f"Party {i + 1}", "red_lines": [], "demands": []}
             for i, pid in enumerate(party_ids)]
    for i, (rule_id, text, _) in enumerate(entries):
        party = built[i % parties]
        owner_of[rule_id] = party["party"]
        party["red_lines"].append({"id": rule_id, "says": f"Red line {rule_id} of {party['name']}.", "rule": text,
                                   "weight": r.randint(1, max_weight)})
    for i, text in enumerate(demands):
        party = built[i % parties]
        party["demands"].append({"id": f"d{i}", "says": f"Demand d{i} of {party['name']}.", "rule": text,
                                 "weight": r.randint(1, max_weight)})
    fact_entries = [{"id": f"f{i}", "says": f"Fact f{i}.", "rule": text} for i, text in enumerate(facts)]
    named = [frozenset(f"{owner_of[i]}/{i}" for i in c) for c in conflicts]
    kernel_names = frozenset(f"{owner_of[i]}/{i}" for i, _ in kernel)
    return Generated(title, description, b.issues, fact_entries, built, named, b.deal, kernel_names, family, params)


def chain(seed: int = 0, *, links: int = 10, bools: int = 40, fillers: int = 39, parties: int = 3,
          demands: int = 6) -> Generated:
    """The reference instance: `links` + 1 int issues 0..10 with `x_i >= 5` and `x_i + x_{i+1} <= 7`
    (`links` overlapping conflicts of 3), and `fillers` satisfiable 3-clauses over `bools` bool issues."""
    b = _Builder(seed)
    bool_names = [b.issue(f"b{i}", "bool") for i in range(bools)]
    ints = [f"x{i}" for i in range(links + 1)]
    kernel = sum_kernel(b, links, 3, 1, names=ints)
    filler = [b.clause(bool_names) for _ in range(fillers)]
    wanted = [b.rule(bool_names + ints, true=False) for _ in range(demands)]
    params = {"seed": seed, "links": links, "bools": bools, "fillers": fillers, "parties": parties,
              "demands": demands}
    return _assemble(b, family="chain", params=params, title=f"Synthetic chain of {links} conflicts (seed {seed})",
                     description=f"{links} overlapping planted conflicts {{x_i >= 5, x_i+1 >= 5, x_i + x_i+1 <= 7}} "
                                 f"and {fillers} satisfiable filler clauses.",
                     parties=parties, kernel=kernel.red_lines, conflicts=kernel.conflicts, fillers=filler,
                     demands=wanted, facts=[])


def random_scenario(seed: int = 0, *, parties: int = 5, issues: int = 40, red_lines: int = 60, demands: int = 20,
                    facts: int = 5, conflicts: int = 0, conflict_size: int = 3, overlap: int = 0,
                    kernel: str = "implication", family: str = "random") -> Generated:
    """`red_lines` red lines in all (planted ones included) over `issues` filler issues plus the kernels' own."""
    b = _Builder(seed)
    names = b.filler_issues(issues)
    if kernel == "sum":
        planted = sum_kernel(b, conflicts, conflict_size, overlap)
    elif kernel == "implication":
        if overlap:
            raise ValueError("implication kernels do not overlap; use kernel='sum'")
        planted = _Kernel([], [])
        for j in range(conflicts):
            part = implication_kernel(b, conflict_size, f"k{j}")
            planted.red_lines += part.red_lines
            planted.conflicts += part.conflicts
    else:
        raise ValueError(f"unknown kernel {kernel!r}")
    if len(planted.red_lines) > red_lines:
        raise ValueError(f"the planted conflicts alone need {len(planted.red_lines)} red lines")
    filler = [b.distinct_rule(names) for _ in range(red_lines - len(planted.red_lines))]
    fact_texts = [b.distinct_rule(names) for _ in range(facts)]
    wanted = [b.rule(names, true=False) for _ in range(demands)]
    params = {"seed": seed, "parties": parties, "issues": issues, "red_lines": red_lines, "demands": demands,
              "facts": facts, "conflicts": conflicts, "conflict_size": conflict_size, "overlap": overlap,
              "kernel": kernel}
    what = (f"{conflicts} planted conflict(s) of {conflict_size} red lines ({kernel} kernel, overlap {overlap})"
            if conflicts else "no conflict: a deal exists")
    return _assemble(b, family=family, params=params,
                     title=f"Synthetic {family}: {red_lines} red lines, {conflicts} conflict(s) (seed {seed})",
                     description=f"Generated by benchmarks/generate.py: {what}.", parties=parties,
                     kernel=planted.red_lines, conflicts=planted.conflicts, fillers=filler, demands=wanted,
                     facts=fact_texts)


def planted(seed: int = 0, *, red_lines: int = 2000, issues: int = 300, parties: int = 20, size: int = 5,
            demands: int = 100, facts: int = 20) -> Generated:
    """`red_lines` red lines over `issues` issues in all with exactly one planted conflict of `size`."""
    return random_scenario(seed, parties=parties, issues=issues - (size - 1), red_lines=red_lines, demands=demands,
                           facts=facts, conflicts=1, conflict_size=size, kernel="implication", family="planted")


def feasible(seed: int = 0, *, red_lines: int = 2000, issues: int = 300, parties: int = 20, demands: int = 2000,
             facts: int = 20) -> Generated:
    """A scenario with a deal: every red line and fact is met by the hidden deal."""
    return random_scenario(seed, parties=parties, issues=issues, red_lines=red_lines, demands=demands, facts=facts,
                           conflicts=0, family="feasible")


FAMILIES = {"chain": chain, "planted": planted, "feasible": feasible, "random": random_scenario}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("family", choices=FAMILIES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write the scenario directory here")
    parser.add_argument("--single-file", type=Path, help="write the single-file form here")
    for option in ("parties", "issues", "red-lines", "demands", "facts", "conflicts", "conflict-size", "overlap",
                   "links", "bools", "fillers", "size"):
        parser.add_argument(f"--{option}", type=int)
    parser.add_argument("--kernel", choices=("sum", "implication"))
    args = parser.parse_args()
    family = FAMILIES[args.family]
    accepted = family.__code__.co_varnames[1:family.__code__.co_argcount + family.__code__.co_kwonlyargcount]
    options = {k: v for k, v in vars(args).items()
               if v is not None and k not in ("family", "seed", "out", "single_file")}
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        parser.error(f"{args.family} does not take {', '.join('--' + u.replace('_', '-') for u in unknown)}")
    generated = family(args.seed, **options)
    if args.out:
        generated.write(args.out)
    if args.single_file:
        args.single_file.write_text(generated.single_yaml(), encoding="utf-8")
    summary = generated.summary()
    summary["conflict_members"] = [sorted(c) for c in generated.conflicts]
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
