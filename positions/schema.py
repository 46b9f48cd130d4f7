"""The shape of position files as pydantic models (strict, no unknown keys) and their JSON Schema."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, SkipValidation, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

ISSUE_NAME = r"^[a-z][a-z0-9_]*$"
PARTY_ID = r"^[a-z][a-z0-9_-]*$"
RULE_ID = r"^[a-z0-9][a-z0-9_-]*$"
READING_NAME = r"^[a-z][-a-z0-9_]*$"  # readings and questions (written apart from PARTY_ID: errors tell them apart)

IssueName = Annotated[str, Field(pattern=ISSUE_NAME)]
PartyId = Annotated[str, Field(pattern=PARTY_ID, description="Unique party id; 'facts' and 'set' are reserved.")]
RuleId = Annotated[str, Field(pattern=RULE_ID, description="Unique within the party (or among the facts).")]
ReadingName = Annotated[str, Field(pattern=READING_NAME)]
Text = Annotated[str, Field(min_length=1)]
STATUS_QUO = "The value as things stand: among equally good deals, the one shown is the closest to it (docs/format.md)."


def _citation_form(data: Any) -> str | None:
    return "list" if isinstance(data, list) else "text"


Citation = Annotated[
    Union[Annotated[str, Tag("text")], Annotated[list[Text], Tag("list")]],
    Discriminator(_citation_form),
    Field(description="The ids of the sources it rests on (`S2`, `S2, S4` or a list); with no `sources:` list in "
                      "scenario.yaml, free text."),
]


ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATE_FIELDS = ("valid_from", "valid_until", "as_of", "date")
DATE_HINT = "write it YYYY-MM-DD, e.g. 2026-01-08"
VALID_FROM = "The day the position starts to hold (YYYY-MM-DD, inclusive); absent: it always held."
VALID_UNTIL = ("The day the position stops holding, superseded (YYYY-MM-DD, exclusive); absent: it still holds.")


def iso_date(value: Any) -> Any:
    """A date as YYYY-MM-DD that is a real day; the position files keep dates as the text written (an unquoted
    2025-12-15 and a quoted '2025-12-15' read the same)."""
    if value is None or isinstance(value, date):
        return value.isoformat() if value is not None else None
    if not isinstance(value, str) or not re.match(ISO_DATE, value):
        raise ValueError(f"'{value}' is not a date written YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a date: {exc}") from None
    return value


DateText = Annotated[str, Field(description="A date, YYYY-MM-DD.")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SourceEntry(_Strict):
    """A source that rules cite by its id."""

    id: Text
    title: Text
    url: str | None = None
    date: str | None = None


VISIBLE = r"\S"  # some character that shows: a label of spaces alone would read as nothing
Label = Annotated[str, Field(min_length=1, pattern=VISIBLE)]

CONSENT_ISSUE = ("The parties that must consent to this issue (docs/format.md#consent-scopes); absent: every party "
                 "without a `consent:` list of its own, and every party whose list names the issue.")
CONSENT_PARTY = ("The issues that need this party's consent (docs/format.md#consent-scopes); absent: every issue "
                 "without a `consent:` list of its own, and every issue whose list names the party.")
IssueConsent = Annotated[list[PartyId] | None, Field(None, description=CONSENT_ISSUE)]

ISSUE_LABEL = ("How people read the issue: a noun phrase that reads after 'the' (e.g. 'Donetsk arrangement'); by "
               "default its name with underscores as spaces. Rules and JSON use the name.")


class BoolIssue(_Strict):
    """A yes-or-no issue."""

    type: Literal["bool"]
    description: str | None = None
    label: Label | None = Field(None, description=ISSUE_LABEL)
    status_quo: bool | None = Field(None, description=STATUS_QUO)
    consent: IssueConsent = None


class EnumIssue(_Strict):
    """An issue settled by exactly one of its values."""

    type: Literal["enum"] = "enum"
    description: str | None = None
    label: Label | None = Field(None, description=ISSUE_LABEL)
    values: Annotated[list[Text], Field(min_length=1)]
    ordered: bool = Field(False, description="When true, <, <=, > and >= compare values by their position.")
    status_quo: str | None = Field(None, description=STATUS_QUO)
    consent: IssueConsent = None


class IntIssue(_Strict):
    """A whole number between min and max (inclusive)."""

    type: Literal["int"]
    description: str | None = None
    label: Label | None = Field(None, description=ISSUE_LABEL)
    min: int
    max: int
    unit: str | None = None
    status_quo: int | None = Field(None, description=STATUS_QUO)
    consent: IssueConsent = None


class SetIssue(_Strict):
    """An issue settled by any subset of its values."""

    type: Literal["set"]
    description: str | None = None
    label: Label | None = Field(None, description=ISSUE_LABEL)
    values: Annotated[list[Text], Field(min_length=1)]
    status_quo: list[Text] | None = Field(None, description=STATUS_QUO)
    consent: IssueConsent = None


StepName = Annotated[str, Field(pattern=ISSUE_NAME)]


class SequenceIssue(_Strict):
    """Steps in an order: a deal gives each present step a phase (docs/format.md#sequences)."""

    type: Literal["sequence"]
    description: str | None = None
    label: Label | None = Field(None, description=ISSUE_LABEL)
    steps: Annotated[list[StepName], Field(min_length=1, description="The steps, each named once; rules name "
                                                                      "one as ISSUE.STEP (or STEP alone).")]
    phases: Annotated[int, Field(ge=1)] | None = Field(
        None, description="How many phases: steps may share one. Absent: a strict order (one step a phase).")
    optional: list[StepName] = Field([], description="The steps a deal may leave out (phase 0).")
    status_quo: dict[StepName, int] | None = Field(
        None, description=STATUS_QUO + " Step → phase; a step not named is left out.")
    consent: IssueConsent = None


def _issue_tag(data: Any) -> str | None:
    if isinstance(data, dict):
        kind = data.get("type")
        if kind is None and "values" in data:
            return "enum"
        return kind if isinstance(kind, str) else None
    return None


IssueDef = Annotated[
    Union[Annotated[BoolIssue, Tag("bool")], Annotated[EnumIssue, Tag("enum")], Annotated[IntIssue, Tag("int")],
          Annotated[SetIssue, Tag("set")], Annotated[SequenceIssue, Tag("sequence")]],
    Discriminator(_issue_tag, custom_error_type="issue_type",
                  custom_error_message="an issue needs a type: bool, enum, int, set or sequence"),
]


def _rule_text(value: Any) -> Any:
    # YAML reads `rule: true` as a boolean and `rule: 1` as a number; both are valid rule text.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value


class FactEntry(_Strict):
    """A rule that holds in every deal and is never negotiable (how the world works)."""

    id: RuleId
    says: Text = Field(description="The fact in plain words, as shown to people.")
    rule: Text = Field(description="The fact in the rule language.")
    source: Citation | None = None

    valid_from: DateText | None = Field(None, description=VALID_FROM)
    valid_until: DateText | None = Field(None, description=VALID_UNTIL)

    _text = field_validator("rule", mode="before")(_rule_text)
    _dates = field_validator("valid_from", "valid_until", mode="before")(iso_date)


Probability = Annotated[float, Field(ge=0, le=1)]
EMPTY = "empty_value"  # the error of a key written with no value where leaving the key out means something else


def _stated(value: Any) -> Any:
    """A probability key written empty (`firm:`, `firm: null`) is an error, not the key left out: read as absent, an
    uncertain red line would silently become firm (positions/validation.py words it)."""
    if value is None:
        raise PydanticCustomError(EMPTY, "no value")
    return value


def _weight_form(data: Any) -> str | None:
    return "range" if isinstance(data, list) else "number"


# A range's numbers are whole numbers here; the rest of its shape (two of them, the first below the second, within
# the limits) is checked by the loader, which locates each problem and refuses a red line's range.
WeightRange = Annotated[list[int], Field(json_schema_extra={"minItems": 2, "maxItems": 2})]
Weight = Annotated[
    Union[Annotated[Annotated[int, Field(gt=0)], Tag("number")], Annotated[WeightRange, Tag("range")]],
    Discriminator(_weight_form),
    Field(description="Red line: cost of giving it up. Demand: how much it is wanted; or a range [LO, HI] of whole "
                      "numbers, the weight being uncertain: a sweep draws it, every other answer takes the nominal "
                      "weight (LO + HI) // 2 (docs/uncertainty.md)."),
]
FIRM = ("Red lines: the probability that it holds as a red line (0 to 1, e.g. 0.7); otherwise it is a demand of its "
        "weight. Absent: 1, it holds (docs/uncertainty.md).")
FIRM_NOTE = "Why that firmness, citing sources as `says` does (only with `firm:`)."
FIRMNESS_KEYS = ("firm", "firm_note")  # a red line's; a demotion takes them away


class RuleEntry(_Strict):
    """A red line or a demand of a party."""

    id: RuleId
    says: Text = Field(description="The position in plain words, as shown to people.")
    rule: Text = Field(description="The position in the rule language.")
    weight: Weight = 1
    firm: Probability | None = Field(None, description=FIRM)
    firm_note: Text | None = Field(None, description=FIRM_NOTE)
    source: Citation | None = None

    valid_from: DateText | None = Field(None, description=VALID_FROM)
    valid_until: DateText | None = Field(None, description=VALID_UNTIL)

    _text = field_validator("rule", mode="before")(_rule_text)
    _dates = field_validator("valid_from", "valid_until", mode="before")(iso_date)
    _firm = field_validator("firm", mode="before")(_stated)


UTILITY_NUMBER = ("A number ≥ 0, read exactly as written: a decimal (0.35 is 35/100, never the float nearest it), or "
                  "a fraction written as text, e.g. \"1/3\".")
# Checked by the loader, which reads each number exactly from its text and locates every problem.
UtilityNumber = Annotated[Union[int, float, str], SkipValidation, Field(description=UTILITY_NUMBER)]
Point = Annotated[list[UtilityNumber], Field(min_length=2, max_length=2)]
Bounds = Annotated[list[int], Field(min_length=2, max_length=2)]


class IssueUtilityEntry(_Strict):
    """How much a party values one issue's outcomes (docs/format.md#utilities)."""

    weight: UtilityNumber = Field(description="The issue's weight in the party's utility (as written, not "
                                              "renormalised).")
    scores: dict[str, UtilityNumber] | None = Field(
        None, description="bool, enum and set issues: value (true/false for bool) → score ≥ 0; an unlisted value "
                          "scores 0. A value is worth its score over the issue's best score; a set, the scores of its "
                          "members over all members' scores.")
    points: list[Point] | None = Field(
        None, description="int issues: [[X, Y], ...], X whole numbers rising within the issue's range, Y from 0 to "
                          "1: the evaluation, straight between points, constant beyond the first and the last.")


class RectangleEntry(_Strict):
    """A box of int values (bounds inclusive) and what a deal inside it is worth (ANAC 2014 hyperRectangles)."""

    utility: UtilityNumber
    where: Annotated[dict[IssueName, Bounds], Field(min_length=1)] = Field(
        description="int issue → [MIN, MAX], inclusive.")


class UtilityEntry(_Strict):
    """A party's utility: additive over issues (`issues:`) or by rectangles (`rectangles:` with `max_utility:`);
    its utility in a deal replaces its demand satisfaction in trade-off answers (docs/format.md#utilities)."""

    issues: dict[IssueName, IssueUtilityEntry] | None = Field(
        None, description="Issue → its weight and scores (or points): the utility is Σ weight · evaluation.")
    rectangles: list[RectangleEntry] | None = Field(
        None, description="Instead of issues: the utility is min(1, Σ utilities of the rectangles holding the deal "
                          "/ max_utility).")
    max_utility: UtilityNumber | None = Field(None, description="With rectangles: the sum that counts as 1.")
    reservation: UtilityNumber | None = Field(
        None, description="The party accepts no deal worth less than this to it: a red line, PARTY/reservation.")
    discount: UtilityNumber | None = Field(
        None, description="GENIUS's discount factor (0 < D ≤ 1): kept and exported back, used by no answer.")


class PartyFile(_Strict):
    """One party's position: a party file, or one entry of `parties:`."""

    party: PartyId
    name: str | None = None
    red_lines: list[RuleEntry] = []
    demands: list[RuleEntry] = []
    accept_at_least: Annotated[int, Field(ge=0, le=100)] | None = Field(
        None, description="Accept no deal meeting less than this percentage of the party's demand weight.")
    consent: list[IssueName] | None = Field(None, description=CONSENT_PARTY)
    utility: UtilityEntry | None = Field(None, description="How much the party values each outcome "
                                                           "(docs/format.md#utilities).")


class LintIgnoreEntry(_Strict):
    """A lint warning set aside on purpose, with the reason (`feasible lint` counts it as ignored, never hides it):
    every warning of the code, or only the one on a rule, an issue or a source."""

    code: Text = Field(description="The warning's code, e.g. FL101 (`feasible lint` checks that it is one).")
    rule: str | None = Field(None, description="Only this rule's warning (PARTY/ID or facts/ID).")
    issue: str | None = Field(None, description="Only this issue's warning.")
    source: str | None = Field(None, description="Only this source's warning (its id).")
    reason: Text = Field(description="Why the warning does not apply here.")


class LintSettings(_Strict):
    """How `feasible lint` treats this scenario."""

    ignore: list[LintIgnoreEntry] = []


PACKAGE_NAME = r"^[a-z0-9][a-z0-9_-]*$"
PackageName = Annotated[str, Field(pattern=PACKAGE_NAME)]
PlainValue = Union[bool, int, str, list[Text], dict[StepName, int]]  # the last: a sequence's, step → phase
# A package's value is checked against its issue by the loader (one located error saying what the issue takes),
# not here, where each member of the union would report an error of its own; so is the shape of the long form.
CheckedValue = Annotated[PlainValue, SkipValidation]


class PackageValueEntry(_Strict):
    """One issue's value in a package, with where it comes from."""

    value: CheckedValue = Field(description="The value, written as the issue's status_quo would be.")
    source: Citation | None = Field(None, description="Its sources (default: the package's).")
    says: Text | None = Field(None, description="What the plan says on the issue, in its own words.")


class PackageEntry(_Strict):
    """A plan on the table (a draft, a framework, a declaration): a full or partial assignment of the issues."""

    title: Text
    date: DateText | None = Field(
        None, description="When it circulated (YYYY-MM-DD); shown, not a validity range.")
    says: Text | None = Field(None, description="What the package is, in a sentence or two.")
    source: Citation | None = None
    values: dict[IssueName, Annotated[Union[PlainValue, PackageValueEntry], SkipValidation]] = Field(
        description="Issue → its value (bool, enum value, number, list of set values, step → phase of a "
                    "sequence), or {value, source, says}.")

    _dates = field_validator("date", mode="before")(iso_date)


class ScenarioFile(_Strict):
    """scenario.yaml, or a whole scenario in one file (with `parties:`)."""

    title: Text
    description: str | None = None
    as_of: DateText | None = Field(None, description="The date the scenario stands at (YYYY-MM-DD): the positions "
                                   "valid that day are checked unless --as-of says another day.")
    caveats: list[Text] = Field([], description="What a reader of the answers must keep in mind: the modelling "
                                                "choices and limits of the scenario, one sentence or paragraph each.")
    sources: list[SourceEntry] = []
    headline: list[Text] = Field([], description="The red lines (PARTY/ID) of the conflict the scenario is about: "
                                 "conflicts holding all of them, and their dispute, are shown first.")
    issues: dict[IssueName, IssueDef]
    facts: list[FactEntry] = []
    parties: list[PartyFile] | None = None
    packages: dict[PackageName, PackageEntry] = Field(
        {}, description="Named reference packages (plans on the table), compared by `feasible packages`.")
    lint: LintSettings | None = None
    questions: dict[ReadingName, QuestionEntry] = Field(
        {}, description="Readings that disagree on one point: `feasible check --reading NAME` chooses one.")
    readings: dict[ReadingName, ReadingEntry] = Field(
        {}, description="Named readings of the positions, each a set of what-if changes (docs/format.md#readings).")

    _dates = field_validator("as_of", mode="before")(iso_date)


class OverlayRuleEntry(_Strict):
    """In an overlay: a rule that replaces the rule with the same id, adds a new one, or (drop) removes it."""

    id: RuleId
    says: Text | None = None
    rule: Text | None = None
    weight: Annotated[int, Field(gt=0)] = 1
    source: Citation | None = None
    drop: bool = Field(False, description="Remove the rule with this id.")

    valid_from: DateText | None = Field(None, description=VALID_FROM)
    valid_until: DateText | None = Field(None, description=VALID_UNTIL)

    _text = field_validator("rule", mode="before")(_rule_text)
    _dates = field_validator("valid_from", "valid_until", mode="before")(iso_date)

    @model_validator(mode="after")
    def _complete(self) -> OverlayRuleEntry:
        if not self.drop and (self.says is None or self.rule is None):
            raise ValueError("a rule in an overlay needs 'says' and 'rule' (or 'drop: true' to remove it)")
        return self


class OverlayParty(_Strict):
    """In an overlay: changes to one party (merged by rule id), a new party, or (drop) a party removed."""

    party: PartyId
    name: str | None = None
    red_lines: list[OverlayRuleEntry] = []
    demands: list[OverlayRuleEntry] = []
    accept_at_least: Annotated[int, Field(ge=0, le=100)] | None = None
    drop: bool = Field(False, description="Remove this party.")


class OverlayFile(_Strict):
    """A what-if overlay (`--with FILE`): facts and parties merged into a scenario by id.

    `title`, `description` and `source` say what the overlay stands for (which reading of the positions it is, and
    on which sources it rests); they change nothing in the scenario. A scenario's own readings are declared in
    scenario.yaml (ReadingEntry), with the same `facts:` and `parties:`.
    """

    title: Text | None = None
    description: Text | None = None
    source: Citation | None = None
    facts: list[OverlayRuleEntry] = []
    parties: list[OverlayParty] = []


class QuestionEntry(_Strict):
    """A point the sources leave open: the readings that disagree on it, one of which is the files as written."""

    asks: Text = Field(description="The question, in a sentence.")
    readings: Annotated[list[ReadingName], Field(min_length=1)] = Field(
        description="The readings that answer it (each declared under `readings:`), in the order shown.")
    default: ReadingName | None = Field(None, description="The reading the files as written take (it changes "
                                                          "nothing); by default the first listed.")


class ReadingEntry(_Strict):
    """A named reading of the positions: what it stands for, its sources, and the changes it makes (the what-if
    edits, applied in this order: facts, parties, drop, demote, weight, set)."""

    title: Text
    description: Text | None = None
    source: Citation | None = None
    valid_from: DateText | None = Field(None, description="The first day the reading can hold (YYYY-MM-DD, "
                                                          "inclusive); absent: it always could.")
    valid_until: DateText | None = Field(None, description="The day it stops holding (YYYY-MM-DD, exclusive); "
                                                           "absent: it still can.")
    facts: list[OverlayRuleEntry] = Field([], description="As an overlay's `facts:` (--with).")
    parties: list[OverlayParty] = Field([], description="As an overlay's `parties:` (--with).")
    drop: list[Text] = Field([], description="Rules removed, as --drop (names or globs).")
    demote: list[Text] = Field([], description="Red lines turned into demands, as --demote.")
    weight: dict[Text, Annotated[int, Field(gt=0)]] = Field({}, description="A demand's weight, as --weight RULE=W.")
    set: list[Text] = Field([], description="Issues settled, as --set ISSUE=VALUE.")
    p: Probability | None = Field(None, description="The probability of this reading among its question's (0 to 1; "
                                                    "a question's readings have p: all or none, summing to 1).")

    _dates = field_validator("valid_from", "valid_until", mode="before")(iso_date)
    _p = field_validator("p", mode="before")(_stated)


ScenarioFile.model_rebuild()

SchemaKind = Literal["scenario", "party", "any"]
SCHEMA_KINDS: tuple[SchemaKind, ...] = ("scenario", "party", "any")


def json_schema(kind: SchemaKind = "any") -> dict[str, Any]:
    """The JSON Schema of a scenario file, a party file, or either."""
    if kind == "scenario":
        schema = ScenarioFile.model_json_schema()
    elif kind == "party":
        schema = PartyFile.model_json_schema()
    else:
        scenario = ScenarioFile.model_json_schema(ref_template="#/$defs/{model}")
        defs = scenario.pop("$defs", {})
        defs["ScenarioFile"] = scenario
        defs["PartyFile"] = PartyFile.model_json_schema(ref_template="#/$defs/{model}")
        defs["PartyFile"].pop("$defs", None)
        schema = {"title": "feasible position file", "anyOf": [{"$ref": "#/$defs/ScenarioFile"},
                                                                {"$ref": "#/$defs/PartyFile"}], "$defs": defs}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def json_schema_text(kind: SchemaKind = "any") -> str:
    return json.dumps(json_schema(kind), indent=2, sort_keys=True)
