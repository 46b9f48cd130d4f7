"""Turning pydantic's validation errors into located, helpful diagnostics."""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import Diagnostic
from .schema import (DATE_FIELDS, DATE_HINT, EMPTY, FIRMNESS_KEYS, ISSUE_NAME, PARTY_ID, READING_NAME, RULE_ID,
                     VISIBLE, OverlayFile, OverlayParty, PackageValueEntry, PartyFile, ScenarioFile)
from .suggest import did_you_mean
from .yamlread import LocatedDoc, Path_

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "string_type": "text", "int_type": "a whole number", "int_from_float": "a whole number",
    "bool_type": "true or false", "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
    "model_attributes_type": "a mapping", "float_type": "a number",
}
IN_CHANGES = "uncertainty is stated on the positions as written; a reading is itself an uncertain item"
IN_CHANGES_HINT = ("write firm: and weight ranges on the rules in the scenario's own files; a reading's probability "
                   "is its p: (docs/uncertainty.md)")
PROBABILITY_HINT = {"firm": "e.g. firm: 0.7 (it holds 7 times in 10); leave it out for a red line that always holds",
                    "p": "e.g. p: 0.25"}
#: A key written with no value, where leaving it out means something else: what it is, and what to write.
EMPTY_KEY = {
    "firm": ("firm: has no value: it is the probability that the red line holds",
             "give a probability between 0 and 1, e.g. firm: 0.7, or remove firm: for a firm red line"),
    "p": ("p: has no value: it is the probability of the reading among its question's",
          "give a probability between 0 and 1, e.g. p: 0.25, or remove p: from every reading of the question"),
    "weight": ("weight: has no value",
               "give one whole number, e.g. weight: 2, or remove weight: for a weight of 1"),
}
WEIGHT_HINT = ("give one whole number, e.g. weight: 2; a demand whose weight is uncertain takes a range: two whole "
               "numbers, the first below the second, e.g. weight: [1, 3]")
WEIGHT_RANGE_HINT = ("a weight range is two whole numbers, the first below the second, e.g. weight: [1, 3]; or give "
                     "one whole number, e.g. weight: 2")
_PATTERNS = {
    ISSUE_NAME: "issue names use lower-case letters, digits and '_', and start with a letter (e.g. army_cap)",
    PARTY_ID: "party ids use lower-case letters, digits, '-' and '_', and start with a letter (e.g. russia)",
    RULE_ID: "ids use lower-case letters, digits, '-' and '_' (e.g. no-western-troops)",
    READING_NAME: "reading and question names use lower-case letters, digits, '-' and '_', and start with a letter "
                  "(e.g. nato-only)",
}
ISSUE_TYPES = ("bool", "enum", "int", "set", "sequence")
UTILITY_PAIRS = {  # what one entry of a utility block's `points:` or a rectangle's `where:` is, and an example
    "points": ("a point is two numbers [X, Y]", "e.g. [10, 0.5]: at 10 the evaluation is 0.5"),
    "where": ("a rectangle's bounds are two whole numbers [MIN, MAX]", "e.g. [10, 20], both included"),
}


def validate_model(doc: LocatedDoc, model: type[M], data: Any, prefix: Path_ = ()
                   ) -> tuple[M | None, list[Diagnostic]]:
    """Validate `data` (found at `prefix` in `doc`) against `model`; collect every problem as a diagnostic."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_diagnostic(doc, model, data, prefix, err) for err in exc.errors()]


def validate_package_value(doc: LocatedDoc, data: Any, prefix: Path_
                           ) -> tuple[PackageValueEntry | None, list[Diagnostic]]:
    """A package's value in its long form ({value, source, says}, found at `prefix`), checked for shape: a
    misspelt key is said once, as unknown with did-you-mean, not again as the key it misspells missing."""
    try:
        return PackageValueEntry.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors()
    unknown = [str(err["loc"][-1]) for err in errors if err["type"] == "extra_forbidden"]
    said = [err for err in errors if err["type"] != "missing"
            or not any(did_you_mean(key, [str(err["loc"][-1])]) for key in unknown)]
    return None, [_diagnostic(doc, PackageValueEntry, data, prefix, err) for err in said]


def _walk(data: Any, loc: tuple) -> tuple[Path_, bool]:
    """The data path an error location points at (skipping union tags), and whether it names a key."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if part == "[key]":
            return tuple(path), True
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            continue
        path.append(part)
    return tuple(path), False


def _unwrap(tp: Any) -> Any:
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif get_origin(tp) in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _step(tp: Any, part: Any) -> Any:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(part)
        return field.annotation if field else None
    origin = get_origin(tp)
    if origin is list:
        return get_args(tp)[0] if isinstance(part, int) else None
    if origin is dict:
        return get_args(tp)[1]
    if origin in (Union, types.UnionType):
        for member in map(_unwrap, get_args(tp)):
            kind = getattr(member, "model_fields", {}).get("type")
            if kind is not None and get_origin(kind.annotation) is Literal and part in get_args(kind.annotation):
                return member
    return None


def _keys_at(model: type[BaseModel], loc: tuple) -> list[str]:
    tp: Any = model
    for part in loc:
        tp = _step(tp, part)
        if tp is None:
            return []
    tp = _unwrap(tp)
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _diagnostic(doc: LocatedDoc, model: type[BaseModel], data: Any, prefix: Path_, err: ErrorDetails) -> Diagnostic:
    loc, kind, value = err["loc"], err["type"], err.get("input")
    path, is_key = _walk(data, loc)
    full = prefix + path
    name = next((p for p in reversed(path) if isinstance(p, str)), None)
    field = f"'{name}'" if name else "this value"

    if _in_changes(model, loc) and (kind == "extra_forbidden" and loc[-1] in FIRMNESS_KEYS
                                    or kind == "int_type" and "weight" in path and isinstance(value, list)):
        return doc.diagnostic(full, IN_CHANGES, key=kind == "extra_forbidden", hint=IN_CHANGES_HINT)
    if kind == "extra_forbidden" and loc[-1] in FIRMNESS_KEYS and "facts" in loc:
        return doc.diagnostic(full, f"a fact takes no {loc[-1]}: it holds in every deal", key=True,
                              hint=f"remove {loc[-1]}:, or make it a party's red line if it may not hold")
    if kind == "extra_forbidden":
        allowed = _keys_at(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed) or ("allowed keys: " + ", ".join(allowed) if allowed else None)
        if model is PartyFile and loc[-1] in ScenarioFile.model_fields and len(loc) == 1:
            hint = f"'{loc[-1]}' belongs in scenario.yaml, not in a party file"
        elif any(ch in str(loc[-1]) for ch in " ()\"'=<>"):
            hint = ("this looks like the rest of a rule cut at a comma: inside { ... } a rule with commas must be "
                    "quoted, e.g. rule: 'count(a, b) >= 1'")
        return doc.diagnostic(full, f"unknown key '{loc[-1]}'", key=True, hint=hint)
    if kind == "missing":
        missing = loc[-1]
        if model is PartyFile and missing == "party" and len(loc) == 1:
            return doc.diagnostic(full, "this party file has no 'party:' key", width=1,
                                  hint="start the file with 'party: ID' (e.g. party: russia); files other than "
                                       "scenario.yaml in a scenario directory are read as party files")
        return doc.diagnostic(full, f"missing required key '{missing}'", width=1,
                              hint=_missing_hint(str(missing), model, loc))
    if kind == EMPTY or kind in _EXPECTED and value is None and _a_rules_weight(loc) and "range" not in loc:
        message, hint = EMPTY_KEY[str(name)]
        return doc.diagnostic(full, message, key=True, hint=hint)
    if kind in _EXPECTED and _a_rules_weight(loc):
        hint = WEIGHT_RANGE_HINT if "range" in loc else WEIGHT_HINT
        return doc.diagnostic(full, f"{field} should be {_EXPECTED[kind]}, not {_describe(value)}", hint=hint)
    if kind in _EXPECTED:
        hint = None
        if kind == "string_type" and isinstance(value, (bool, int, float)) and value is not None:
            hint = "quote it, e.g. \"yes\": YAML reads yes/no/on/off as true/false and digits as numbers"
        if kind == "float_type":
            hint = PROBABILITY_HINT.get(str(name), "write a number without quotes")
        return doc.diagnostic(full, f"{field} should be {_EXPECTED[kind]}, not {_describe(value)}", hint=hint)
    if kind == "string_pattern_mismatch" and err["ctx"]["pattern"] == VISIBLE:
        return doc.diagnostic(full, f"{field} has no visible character", hint="write the words, or leave it out")
    if kind == "string_pattern_mismatch":
        what = f"'{path[-1]}'" if is_key and path else f"{value!r}"
        named = "step name" if {"steps", "optional"} & set(path[:-1]) or "status_quo" in path[:-1] and is_key \
            else "issue name"
        message = f"{what} is not a valid {named if err['ctx']['pattern'] == ISSUE_NAME else 'id'}"
        return doc.diagnostic(full, message, key=is_key,
                              hint=_PATTERNS.get(err["ctx"]["pattern"]))
    if kind == "issue_type":
        kind_value = value.get("type") if isinstance(value, dict) else None
        if isinstance(kind_value, str):
            hint = did_you_mean(kind_value, ISSUE_TYPES) or "the types are bool, enum, int, set and sequence"
            return doc.diagnostic(full + ("type",), f"unknown issue type '{kind_value}'", hint=hint)
        if kind_value is not None:
            return doc.diagnostic(full + ("type",), "an issue's type should be bool, enum, int, set or sequence")
        return doc.diagnostic(full, f"issue '{name}' needs a type", key=True,
                              hint="add 'type: bool', 'type: int' (with min and max), 'type: set' (with values), "
                                   "'type: sequence' (with steps) or give 'values' for an enum")
    if kind == "greater_than" and "weight" in path:  # a rule's, or a reading's (weight: {RULE: W})
        return doc.diagnostic(full, "weight must be a positive whole number (1 or more)")
    if kind in ("too_short", "too_long") and path[-2:-1] in (("points",), ("where",)):  # a utility block's pairs
        message, hint = UTILITY_PAIRS[str(path[-2])]
        return doc.diagnostic(full, message, hint=hint)
    if kind in ("too_short", "string_too_short"):
        what = "this value" if isinstance(path[-1:] and path[-1], int) else field
        return doc.diagnostic(full, f"{what} must not be empty", hint="write something, or remove the key"
                              if kind == "string_too_short" and not isinstance(path[-1], int) else None)
    if kind == "greater_than_equal" and name == "phases":
        return doc.diagnostic(full, "phases must be a whole number, 1 or more",
                              hint="leave it out for a strict order (one step a phase)")
    if kind in ("less_than_equal", "greater_than_equal") and name in PROBABILITY_HINT:
        return doc.diagnostic(full, f"{name} is a probability from 0 to 1, not {value}", hint=PROBABILITY_HINT[name])
    if kind in ("less_than_equal", "greater_than_equal") and name == "accept_at_least":
        return doc.diagnostic(full, "accept_at_least is a percentage from 0 to 100")
    if kind == "value_error":
        return doc.diagnostic(full, str(err.get("ctx", {}).get("error", err["msg"])),
                              hint=DATE_HINT if name in DATE_FIELDS else None)
    return doc.diagnostic(full, f"{field}: {err['msg']}")


def _a_rules_weight(loc: tuple) -> bool:
    """Whether the error is in a red line's or a demand's `weight:` (one number or a range: the union's tag follows
    the key), not in a reading's `weight: {RULE: W}`."""
    return any(part == "weight" and tag in ("number", "range") for part, tag in zip(loc, loc[1:]))


def _in_changes(model: type[BaseModel], loc: tuple) -> bool:
    """Whether the error is in an overlay (`--with`) or in a reading's changes, where uncertainty is refused."""
    return model in (OverlayFile, OverlayParty) or model is ScenarioFile and loc[:1] == ("readings",)


#: The hints for a key missing from a package (`packages:` in scenario.yaml), and from a value's long form.
_PACKAGE_HINTS = {
    "title": "give the package a title, e.g. title: The US 28-point draft",
    "values": "give the values it settles, issue by issue, e.g. values: {army_cap: 600, troops: false}",
}
_PACKAGE_VALUE_HINTS = {"value": "give the value itself, e.g. {value: 600, source: S21}"}


def _missing_hint(key: str, model: type[BaseModel] | None = None, loc: tuple = ()) -> str | None:
    if model is PackageValueEntry:
        return _PACKAGE_VALUE_HINTS.get(key)
    if model is ScenarioFile and len(loc) == 3 and loc[0] == "packages":
        return _PACKAGE_HINTS.get(key)
    return {
        "says": "write the position in plain words, as it should be shown to people",
        "rule": "write the position in the rule language, e.g. rule: army_cap <= 800",
        "id": "give it an id, unique within its party, e.g. id: no-western-troops",
        "issues": "list the issues a deal decides under 'issues:'",
        "title": "give the scenario a title",
        "min": "int issues need min and max", "max": "int issues need min and max",
        "values": "list the values, e.g. values: [a, b]",
    }.get(key)
