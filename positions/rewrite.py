"""`feasible edit`: applying what-if edits to the position files themselves.

The only code in feasible that writes position files. What an edit means is positions.edits' to say: it resolves
the edits into operations, which `_Editor.run` carries out on the files' round-trip YAML, as
positions.edits.apply_operation carries them out on the loaded model; the two results must load the same.

Files are edited as round-trip YAML (ruamel.yaml), so comments, key order and the layout of untouched parts are
kept; the result is validated as a whole, and read back and compared with the model's, before anything is
written; writing is atomic per file (positions.atomic: a temporary file in the same directory, then a rename,
keeping owner and mode), done under a lock that keeps other edits out, and refused when a file changed since it
was read or may not rightly be replaced (docs/whatif.md, "Safety").
"""

from __future__ import annotations

import difflib
from collections import Counter
import io
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import Busy, atomic_write, locked
from .edits import (AddParty, Demote, Edits, Operation, PutRule, RemoveLevel, RemoveParty, RemoveReservation,
                    RemoveRule, RenameParty, SetLevel, SetWeight, resolve_edits)
from .errors import Diagnostic, InternalError, InvalidScenario, UserError
from .files import SCENARIO_FILE, path_exists, resolve_scenario
from .loader import load_scenario
from .location import SourceFile, display_path
from .model import Rule, RuleKind, RuleRef, Scenario
from .rules.printer import to_text
from .schema import FIRMNESS_KEYS
from .sources import source_text
from .splice import splice, split_lines
from .suggest import did_you_mean


def _yaml_for(text: str):
    from ruamel.yaml import YAML  # imported here: only `edit` needs it

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-fold long lines
    offset = 2
    match = re.search(r"^( *)[A-Za-z_][\w-]*:[ \t]*\n( *)- ", text, re.M)
    if match:
        offset = max(len(match.group(2)) - len(match.group(1)), 0)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


@dataclass(eq=False)  # the same file only: comparing documents would walk them whole
class _File:
    path: Path
    original: bytes
    _doc: Any = field(default=None, repr=False)  # read when first asked for: most edits touch one or two files
    _yaml: Any = field(default=None, repr=False)
    created: bool = False
    deleted: bool = False
    before: str | None = None  # ruamel's rendering of the file as read, made when an edit first touches it
    _text: str | None = field(default=None, repr=False)

    @property
    def doc(self) -> Any:
        if self._yaml is None:
            text = self.original.decode("utf-8-sig")
            self._yaml = _yaml_for(text)
            self._doc = _round_trip_load(self._yaml, text, self.path)
        return self._doc

    @property
    def yaml(self) -> Any:
        self.doc  # noqa: B018 - reads the file, which sets the writer up for its layout
        return self._yaml

    def touch(self) -> None:
        """Called before an edit changes the document: render it as it is, the reference against which the
        edited rendering is compared (so that only what the edits changed is taken from ruamel)."""
        if self.before is None and not self.created:
            self.before = self._render()

    def _render(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.doc, out)
        return out.getvalue()

    def text(self) -> str:
        """The file's new text, made once, when every edit is done: a file no edit touched is its original
        text; an edited one is the original with only the edited lines replaced (splice)."""
        if self._text is None:
            if self.deleted:
                self._text = ""
            elif self.created:
                self._text = self._render()
            elif self.before is None:
                self._text = self.original.decode("utf-8-sig")
            else:
                self._text = splice(self.original.decode("utf-8-sig"), self.before, self._render())
        return self._text

    def render_whole(self) -> None:
        """The edited file written whole, in ruamel's layout: when the changed lines do not fit the kept ones."""
        if not self.deleted:
            self._text = self._render()

    def data(self) -> bytes:
        """The file's new bytes, with its byte-order mark as it was."""
        bom = "\ufeff" if self.original.startswith(b"\xef\xbb\xbf") else ""
        return (bom + self.text()).encode("utf-8")


@dataclass
class Plan:
    """Edited file contents, ready to show as a diff or to write."""

    origin: Path
    files: list[_File] = field(default_factory=list)

    def changed(self) -> list[_File]:
        return [f for f in self.files if f.created or f.deleted or f.data() != f.original]

    def diff(self) -> str:
        chunks: list[str] = []
        for f in self.changed():
            name = display_path(f.path)
            before = "" if f.created else f.original.decode("utf-8-sig")
            chunks += difflib.unified_diff(_diff_lines(before), _diff_lines(f.text()),
                                           "/dev/null" if f.created else f"a/{name}",
                                           "/dev/null" if f.deleted else f"b/{name}")
        return "".join(chunks)


def _diff_lines(text: str) -> list[str]:
    """Lines for the diff shown, each ending in LF whatever its own line end (as YAML breaks lines)."""
    return [line + ("\n" if eol else "") for line, eol in split_lines(text)]


def plan_edits(path: str | Path | None, edits: Edits) -> Plan:
    """Apply the edits to round-trip copies of the files; validate the result; write nothing."""
    origin = resolve_scenario(path)
    shipped = (Path(__file__).parent / "scenarios").resolve()
    if origin.resolve() == shipped or shipped in origin.resolve().parents:
        raise UserError("shipped scenarios are not edited in place",
                        hint="copy it first ('feasible validate NAME' shows where it is), then edit the copy")
    read: list[tuple[Path, bytes]] = []
    scenario = load_scenario(origin, record=read, versions=True)  # the files' every version
    plan = Plan(origin)
    bytes_read = dict(read)  # the very bytes the scenario was built from: the edit starts from those
    for file_path in scenario.files:
        plan.files.append(_File(file_path, bytes_read[file_path]))
    resolved = resolve_edits(scenario, edits)  # what the edits mean: checked, and resolved into operations
    _refuse_versions(scenario, resolved.operations)
    editor = _Editor(plan, scenario)
    for operation in resolved.operations:
        editor.run(operation)
    if resolved.scenario.headline != scenario.headline:  # (the edits gave up a red line it names)
        del editor.head().doc["headline"]
    expected = _meaning(resolved.scenario)
    try:
        if _validate(plan) == expected:
            return plan
    except UserError:
        pass  # the spliced text does not load: written whole, it may
    # The changed lines did not fit the lines kept around them (a file that indents its lists in more than one
    # way, say): every edited file is written whole, in ruamel's layout, and checked again.
    for f in plan.changed():
        f.render_whole()
    if _validate(plan) != expected:
        raise InternalError("the edited files would not say what the edits mean; nothing was written")
    return plan


def _refuse_versions(scenario: Scenario, operations) -> None:
    """An edit names a rule by its id; where the files hold dated versions of it (positions/dates.py), which one
    it means is not said: refused, and the files are left for their author to edit."""
    versioned = {name for name, count in Counter(rule.name for rule in scenario.rules()).items() if count > 1}
    for operation in operations:
        match operation:
            case PutRule(rule):
                name = rule.name
            case RemoveRule(owner, rule_id) | Demote(owner, rule_id) | SetWeight(owner, rule_id):
                name = RuleRef(owner, rule_id).name
            case _:
                continue
        if name in versioned:
            raise UserError(f"the files hold dated versions of {name}: an edit cannot tell which one it means",
                            hint="edit its versions (valid_from / valid_until) in the files themselves")


def _meaning(scenario: Scenario) -> tuple:
    """What a scenario says, as comparable data: the written files must load back to what the edits mean in
    memory (`check --drop` and friends): the same rules, in the same order within each section. Parties are
    compared by id: a party an overlay adds is last in memory, and where its new file sorts among the others
    once loaded. Where things are written (file, line) is not compared."""
    def rules(section: tuple[Rule, ...]) -> tuple:
        return tuple((r.owner, r.id, r.kind.value, to_text(r.expr), r.weight, r.says, r.source, r.valid_from,
                      r.valid_until, r.firm, r.firm_note, r.weight_range) for r in section)

    parties = sorted((p.id, p.name, p.accept_at_least, rules(p.binding), rules(p.demands), p.utility)
                     for p in scenario.parties)
    return (scenario.title, scenario.issues, rules(scenario.facts), parties,  # issues compare without their place
            scenario.headline)


def _round_trip_load(yaml, text: str, path: Path):
    """The file as a round-trip document. ruamel's reader is stricter in places than the loader's (a tab after
    a value, say): what it refuses is a located error, not a crash."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        source = SourceFile(path, display_path(path), text)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "cannot be read"
        message = f"cannot be edited: the YAML reader of `edit` refuses it ({problem}); nothing was written"
        raise UserError(message, diagnostic=Diagnostic(
                            message, source.at(line, column), source.line_text(line),
                            hint="remove the character there (a tab after a value, say), then run the edit again"
                        )) from None
    except YAMLError as exc:
        raise UserError(f"'{display_path(path)}' cannot be edited: {exc}; nothing was written") from None


def _validate(plan: Plan) -> tuple:
    """Load the edited files from a scratch copy: an edit that would leave the scenario invalid is refused. The
    meaning of what was loaded is returned, to compare with the edits' meaning."""
    with tempfile.TemporaryDirectory(prefix="feasible-edit-") as temp:
        root = Path(temp)
        shown = {}
        for f in plan.files:
            if f.deleted:
                continue
            target = root / f.path.name
            target.write_text(f.text(), encoding="utf-8")
            shown[target] = display_path(f.path)
        origin = root if plan.origin.is_dir() else root / plan.origin.name
        try:
            return _meaning(load_scenario(origin, display=lambda p: shown.get(p, str(p)), versions=True))
        except InvalidScenario as exc:
            raise UserError("the edits would leave the scenario invalid; nothing was written",
                            diagnostic=exc.diagnostics[0]) from None


@dataclass
class _Target:
    """Where one changed file's bytes go, as found under the lock."""

    file: _File
    real: Path  # the file itself, or the file its symbolic link points to (written through: the link stays)
    link: str | None = None  # a removed party file that was a link: what it pointed to, to put it back


def write_plan(plan: Plan) -> list[Path]:
    """Write every changed file atomically. Under a lock that keeps other edits out, check that none changed
    since it was read and that each may be written as it is (writable by us, its owner kept, no other hard
    link), then write them all. If one write fails, the files already written are put back, so the scenario
    is never left half-edited."""
    changed = plan.changed()
    home = Path(os.path.realpath(plan.origin if plan.origin.is_dir() else plan.origin.parent))
    targets = [_target(f, home) for f in changed]
    try:
        with locked(t.real.parent for t in targets):
            for target in targets:
                _check_unchanged(target.file)
            for target in targets:
                _check_writable(target)
            _write_all(targets)
    except Busy as exc:
        raise UserError(f"another edit is writing the files in '{display_path(exc.directory)}'; nothing was "
                        "written", hint="run the edit again when it is done") from None
    except OSError as exc:  # taking the lock or checking a file (writing has its own message)
        raise UserError(f"cannot write the edit: {exc.strerror or exc}; nothing was written",
                        hint="check the permissions of the files and their directory") from None
    return [f.path for f in changed]


def _target(f: _File, home: Path) -> _Target:
    """A symbolic link is written through to its file when that file is in the scenario's directory `home`
    (the link stays a link); one that leads out of it is refused: the file there may belong to another
    scenario, and replacing the link by a plain file would silently part the two."""
    if f.deleted:
        return _Target(f, f.path, os.readlink(f.path) if f.path.is_symlink() else None)
    if not f.path.is_symlink():
        return _Target(f, f.path)
    real = Path(os.path.realpath(f.path))
    if home not in real.parents:
        link = Path(display_path(f.path.parent)) / f.path.name  # display_path would name the file it leads to
        raise UserError(f"'{link}' is a symbolic link to '{display_path(real)}', outside the scenario's "
                        "directory; nothing was written",
                        hint="edit that file in its own scenario, or replace the link by a copy")
    return _Target(f, real)


def _check_unchanged(f: _File) -> None:
    current = f.path.read_bytes() if f.path.exists() else None
    expected = None if f.created else f.original
    if current != expected:
        raise UserError(f"'{display_path(f.path)}' changed since it was read; nothing was written",
                        hint="run the edit again")


def _check_writable(target: _Target) -> None:
    """Refuse a file that a plain write could not change as it is: the atomic rename only needs the directory
    to be writable, so it would replace a file we may not write, give it to us, or cut a hard link. A file an
    edit removes (an overlay's `drop: true`) must be one we may write, too: removing is the strongest change."""
    if target.file.created:
        return
    name = display_path(target.file.path)
    status = target.real.stat()
    if not stat.S_IMODE(status.st_mode) & 0o222:
        raise UserError(f"'{name}' is read-only; nothing was written",
                        hint="make it writable (chmod u+w) if it should be edited")
    if not os.access(target.real, os.W_OK):
        raise UserError(f"'{name}' may not be written by you; nothing was written",
                        hint="ask its owner to make the edit, or edit a copy")
    effective_user = getattr(os, "geteuid", None)  # none on Windows, where files have no owner id
    if effective_user is not None and effective_user() not in (0, status.st_uid):
        raise UserError(f"'{name}' belongs to another user, and a rewritten file would be yours; nothing was "
                        "written", hint="ask its owner to make the edit, or edit a copy")
    if status.st_nlink > 1 and not target.file.deleted:  # removing one name leaves the others as they are
        raise UserError(f"'{name}' has {status.st_nlink - 1} other hard link(s), which a rewrite would leave with "
                        "the old content; nothing was written",
                        hint="edit a copy, or replace the hard links by symbolic links (edits write through "
                             "those)")


def _write_all(targets: list[_Target]) -> None:
    done: list[_Target] = []
    try:
        for target in targets:
            if target.file.deleted:
                target.real.unlink()
            else:
                atomic_write(target.real, target.file.data())
            done.append(target)
    except OSError as exc:
        _restore(done)
        raise UserError(f"cannot write '{display_path(target.file.path)}': {exc.strerror or exc}; every file is "
                        "unchanged", hint="check the permissions and the free space, then run the edit again"
                        ) from None
    except BaseException:
        _restore(done)
        raise


def _restore(done: list[_Target]) -> None:
    """Put back the files already written (best effort: each restore is itself atomic)."""
    for target in reversed(done):
        try:
            if target.file.created:
                target.real.unlink()
            elif target.link is not None:
                os.symlink(target.link, target.real)
            else:
                atomic_write(target.real, target.file.original)
        except OSError:
            pass


class _Editor:
    def __init__(self, plan: Plan, scenario: Scenario):
        self.plan = plan
        self.scenario = scenario

    # -- finding things in the files ------------------------------------------------------------------------------
    def head(self) -> _File:
        """The scenario file, about to be edited."""
        for f in self.plan.files:
            if f.path.name == SCENARIO_FILE or not self.plan.origin.is_dir():
                f.touch()
                return f
        raise UserError("no scenario file")  # unreachable for a loaded scenario

    def parties(self) -> list[tuple[_File, Any]]:
        found = []
        for f in self.plan.files:
            if f.deleted:
                continue
            if isinstance(f.doc, dict) and "party" in f.doc:
                found.append((f, f.doc))
            for entry in (f.doc.get("parties") or []) if isinstance(f.doc, dict) else []:
                found.append((f, entry))
        return found

    def party(self, party_id: str) -> tuple[_File, Any]:
        """The file and mapping of a party, about to be edited: looked for first in the file the party was
        loaded from, so that the other files need not be read."""
        for f in self._likely_files(party_id):
            mapping = _party_in(f, party_id)
            if mapping is not None:
                f.touch()
                return f, mapping
        raise UserError(f"no party '{party_id}'", hint=did_you_mean(party_id, [m.get("party") for _, m in
                                                                               self.parties()]))

    def _likely_files(self, party_id: str) -> list[_File]:
        party = next((p for p in self.scenario.parties if p.id == party_id), None)
        where = party.location.file if party is not None and party.location is not None else None
        first = [f for f in self.plan.files if not f.created and display_path(f.path) == where]
        return first + [f for f in self.plan.files if f not in first]

    def entry(self, owner: str, rule_id: str) -> tuple[Any, int, Any, str]:
        """The list holding the rule, its index, the mapping that holds the list, and the list's key."""
        if RuleRef(owner, rule_id).is_fact:
            holder = self.head().doc
            sections = ["facts"]
        else:
            holder = self.party(owner)[1]
            sections = ["red_lines", "demands"]
        for section in sections:
            items = holder.get(section) or []
            for index, item in enumerate(items):
                if item.get("id") == rule_id:
                    return items, index, holder, section
        raise UserError(f"no rule {owner}/{rule_id} in the files")

    # -- the operations (positions.edits resolved them: each fits the files as the ones before left them) ---------
    def run(self, operation: Operation) -> None:
        match operation:
            case PutRule(rule):
                self.put(rule)
            case RemoveRule(owner, rule_id):
                _, index, holder, section = self.entry(owner, rule_id)
                _take(holder, section, index)
            case Demote(party, rule_id):
                _, index, holder, section = self.entry(party, rule_id)
                item = _take(holder, section, index)
                for key in FIRMNESS_KEYS:  # a demand has no firmness (edits.demoted)
                    item.pop(key, None)
                _section(holder, "demands").append(item)
            case SetWeight(party, rule_id, weight):
                items, index, _, _ = self.entry(party, rule_id)
                if items[index].get("weight", 1) != weight:  # (a range, a list, is never a weight: it goes)
                    items[index]["weight"] = weight
            case AddParty(party, name):
                self._new_party(party)
                if name is not None:
                    self.party(party)[1]["name"] = name
            case RemoveParty(party):
                f, mapping = self.party(party)
                if "party" not in f.doc:
                    f.doc["parties"].remove(mapping)
                elif f.created:  # added by an earlier overlay: it never was on disk
                    self.plan.files.remove(f)
                else:
                    f.deleted = True
                self._drop_consenter(party)
            case RenameParty(party, name):
                self.party(party)[1]["name"] = name
            case SetLevel(party, level):
                self.party(party)[1]["accept_at_least"] = level
            case RemoveLevel(party):
                del self.party(party)[1]["accept_at_least"]
            case RemoveReservation(party):
                del self.party(party)[1]["utility"]["reservation"]
            case _:
                raise InternalError(f"no way to write the edit operation {operation!r}")

    def _drop_consenter(self, party_id: str) -> None:
        """A removed party leaves every issue's `consent:` list, as positions.edits.without_consenter does in memory
        (the scenario file is touched only when a list names it)."""
        if not any(i.consent and party_id in i.consent for i in self.scenario.issues.values()):
            return
        for spec in (self.head().doc.get("issues") or {}).values():
            listed = spec.get("consent") if isinstance(spec, dict) else None
            if listed is not None and party_id in listed:
                listed.remove(party_id)

    def put(self, rule: Rule) -> None:
        """The rule's entry in place of the entry with its id in its section, or added at its end; a party's rule
        listed in the other section leaves it. An entry that says the same already is kept as it is written."""
        entry = _mapping(id=rule.id, says=rule.says, rule=rule.text)
        if rule.kind is not RuleKind.FACT and rule.weight != 1:
            entry["weight"] = rule.weight
        if rule.source is not None:
            entry["source"] = rule.source
        for key in ("valid_from", "valid_until"):
            if getattr(rule, key) is not None:
                entry[key] = getattr(rule, key).isoformat()
        if rule.is_fact:
            holder, section = self.head().doc, "facts"
        else:
            holder = self.party(rule.owner)[1]
            section = "red_lines" if rule.kind is RuleKind.RED_LINE else "demands"
            _remove(holder, "demands" if section == "red_lines" else "red_lines", rule.id)
        items = _section(holder, section)
        for index, existing in enumerate(items):
            if existing.get("id") == rule.id:
                if _entry_fields(existing) != _entry_fields(entry):
                    items[index] = entry
                return
        items.append(entry)

    def _new_party(self, party_id: str) -> None:
        mapping = _mapping(party=party_id)
        if self.plan.origin.is_dir():
            path = self.plan.origin / f"{party_id}.yaml"
            removed = next((f for f in self.plan.files if f.path == path and f.deleted), None)
            if removed is not None:  # removed by an earlier overlay, and back: its file is rewritten, not removed
                removed.deleted = False
                removed._doc = mapping
                return
            if path_exists(path, f"cannot add party '{party_id}' as '{display_path(path)}'"):
                raise UserError(f"cannot add party '{party_id}': {display_path(path)} already exists")
            yaml = _yaml_for("")
            self.plan.files.append(_File(path, b"", mapping, yaml, created=True))
        else:
            _section(self.head().doc, "parties").append(mapping)


def _party_in(f: _File, party_id: str):
    """The mapping of the party in the file, if it is there."""
    if f.deleted or not isinstance(f.doc, dict):
        return None
    if f.doc.get("party") == party_id:
        return f.doc
    return next((m for m in f.doc.get("parties") or [] if m.get("party") == party_id), None)


def _take(holder, section: str, index: int):
    """Remove and return entry `index` of holder[section], keeping the comment lines written above the entry
    after it (ruamel stores them on the end of the entry before: here, the one removed)."""
    items = holder[section]
    item = items[index]
    after = None
    if hasattr(item, "ca") and len(item):
        last = list(item.keys())[-1]
        slots = item.ca.items.get(last)
        if slots and len(slots) > 2:
            after, slots[2] = slots[2], None
    if index > 0:
        previous = items[index - 1]
        if hasattr(previous, "ca") and len(previous):
            last = list(previous.keys())[-1]
            slots = previous.ca.items.setdefault(last, [None, None, None, None])
            slots[2] = after  # the removed entry's own leading comment goes with it
    else:
        from ruamel.yaml.tokens import CommentToken

        lead = None
        if after is not None and after.value.strip():
            lead = [CommentToken(after.value.lstrip("\n"), after.start_mark, None)]
        if items.ca.comment:
            items.ca.comment[1] = lead
        if hasattr(holder, "ca") and section in holder.ca.items and len(holder.ca.items[section]) > 3:
            holder.ca.items[section][3] = lead
    del items[index]
    return item


def _entry_fields(entry) -> tuple:
    """What a rule entry says, however it is written (`weight: 1` or none; `rule: true` or `rule: "true"`)."""
    rule = entry.get("rule")
    text = ("true" if rule else "false") if isinstance(rule, bool) else str(rule)
    dates = tuple(None if entry.get(key) is None else str(entry.get(key)) for key in ("valid_from", "valid_until"))
    return entry.get("id"), str(entry.get("says")), text, entry.get("weight", 1), source_text(entry.get("source")), \
        dates, tuple(entry.get(key) for key in FIRMNESS_KEYS)


def _section(holder, key: str):
    """The list under `key`, made when the mapping has none (or an empty one: `demands:`)."""
    if holder.get(key) is None:
        holder[key] = _sequence()
    return holder[key]


def _remove(holder, section: str, rule_id: str) -> bool:
    items = holder.get(section) or []
    for index, existing in enumerate(items):
        if existing.get("id") == rule_id:
            _take(holder, section, index)
            return True
    return False


def _mapping(**values):
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(values)


def _sequence():
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq()
