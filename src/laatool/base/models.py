"""Pydantic models of the file formats (DESIGN.md §4); every model forbids unknown keys.

Numbers are `Decimal` built from the text as written (see `laatool.load.yamlio`), never floats.
Identifiers and periods are normalised on the way in (see `laatool.base.ids`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)

from laatool.base.ids import (
    INDICATOR_SCHEMA_PATTERN,
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_SCHEMA_PATTERN,
    SLUG_SCHEMA_PATTERN,
    WHITESPACE,
    IdentifierError,
    check_slug,
    normalise_indicator_id,
    normalise_period,
)
from laatool.base.inputs import folder_name_problem
from laatool.base.numbers import PLAIN_NUMBER, beyond
from laatool.base.suggest import suggest_national_id, suggest_period
from laatool.base.text import MAX_NAME_CHARS, MAX_TEXT_CHARS


def _indicator_id(text: object) -> str:
    """`normalise_indicator_id`; a national id out of its range gets "did you mean" (§12)."""
    try:
        return normalise_indicator_id(text)
    except IdentifierError as error:
        raise IdentifierError(f"{error}{suggest_national_id(text)}") from None


def _period_text(text: object) -> str:
    """`normalise_period`; a period written in another order gets "did you mean" (§12)."""
    try:
        return normalise_period(text)
    except IdentifierError as error:
        raise IdentifierError(f"{error}{suggest_period(text)}") from None


# Each with its spellings in the JSON Schema, so that an editor marks the text laatool refuses.
_SLUG_SCHEMA = WithJsonSchema({"type": "string", "pattern": SLUG_SCHEMA_PATTERN})
IndicatorId = Annotated[str, BeforeValidator(_indicator_id),
                        WithJsonSchema({"type": "string", "pattern": INDICATOR_SCHEMA_PATTERN})]
# A calendar year may be written as a YAML number (`period: 2008`), so the JSON Schema takes one
PeriodText = Annotated[str, BeforeValidator(_period_text), WithJsonSchema({"anyOf": [
    {"type": "string", "pattern": PERIOD_SCHEMA_PATTERN},
    {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}]})]
Slug = Annotated[str, BeforeValidator(check_slug), _SLUG_SCHEMA]
# A scheme's, a target group's or a neighbour group's name, written as a slug is.
NameSlug = Annotated[str, BeforeValidator(lambda text: check_slug(text, "a slug")), _SLUG_SCHEMA]


def _within_limits(value: Decimal) -> Decimal:
    """A number (quoted text included) within `laatool.base.numbers`' limits, else a schema error."""
    problem = beyond(value)
    if problem is not None:
        raise ValueError(f"the number {problem}")
    return value




def _bounded(value: object, handler: ValidatorFunctionWrapHandler) -> Decimal:
    """A number as written (text included, when it is a plain number), within the limits."""
    if isinstance(value, str):
        # only a plain number: Python's Decimal would take `2_2.8` as 22.8 and `٢٣` as 23,
        # which a returns cell refuses (R305)
        if not PLAIN_NUMBER.fullmatch(value.strip(WHITESPACE)):
            raise ValueError(f"{value[:40]!r} is not a number: write digits with a decimal point (22.8), nothing else")
        value = value.strip(WHITESPACE)  # spaces around a number are ignored, as in a returns cell
    return _within_limits(handler(value))


Bounded = WrapValidator(_bounded)


def _not_true_or_false(value: object) -> object:
    """YAML reads `yes`, `no`, `true` as booleans, which pydantic would take as 1 and 0."""
    if isinstance(value, bool):
        raise ValueError("YAML reads yes, no, on, off, true and false as true or false, not a whole number: "
                         "write the number, such as 1")
    return value


Number = Annotated[Decimal, Field(allow_inf_nan=False), Bounded]
Share = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False), Bounded]
Kind = Literal["designated", "statutory", "local"]
Polarity = Literal["higher", "lower", "neutral"]
CiMethod = Literal["wilson", "poisson", "supplied", "none"]
# Free text, bounded (laatool.base.text): a name, title or source, and a note.
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Note = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(Strict):
    min: Number | None = None
    max: Number | None = None


class Indicator(Strict):
    """One indicator of the National Indicator Set, or a workspace's local indicator."""

    id: IndicatorId
    title: Name
    polarity: Polarity
    unit: Literal["percent", "rate", "count", "days", "weeks", "gbp", "score", "ratio", "other"]
    rate_per: Annotated[Decimal, Field(gt=0, allow_inf_nan=False), Bounded] | None = None
    decimals: Annotated[int, Field(ge=0, le=10), BeforeValidator(_not_true_or_false)]
    range: Range | None = None
    frequency: Literal["annual", "quarterly", "biennial", "other"]
    period_type: Literal["financial-year", "academic-year", "calendar-year"]
    cumulative: bool = False
    source: Name | None = None
    department: Name | None = None
    statutory: bool = False
    survey: bool = False
    status: Literal["active", "deleted"] = "active"
    notes: Note | None = None
    references: list[Name] = []
    # DESIGN.md §9: how a return's confidence interval is found (null: by `interval_method`'s
    # defaults), the survey's design effect, and the only years a biennial indicator is collected.
    ci_method: CiMethod | None = None
    design_effect: Annotated[Decimal, Field(ge=1, allow_inf_nan=False), Bounded] = Decimal(1)
    collection_periods: Annotated[list[PeriodText], Field(min_length=1)] | None = None
    # DESIGN.md §12: the largest plausible change between consecutive periods, in the unit.
    tolerance: Annotated[Decimal, Field(gt=0, allow_inf_nan=False), Bounded] | None = None

    @property
    def interval_method(self) -> CiMethod:
        """`ci_method`, or its default: Wilson for a survey percentage, Poisson for a rate
        (used where a return carries its numerator and denominator), else none, which still
        shows the limits a return writes (`supplied`); only `ci_method: none` written in the
        indicator shows no interval at all."""
        if self.ci_method is not None:
            return self.ci_method
        if self.survey and self.unit == "percent":
            return "wilson"
        if self.unit == "rate":
            return "poisson"
        return "supplied"

    @property
    def valid_range(self) -> Range:
        """The range values must fall in; a percentage defaults to 0..100. A range whose
        minimum is above its maximum (I105, an error) bounds nothing: I105 is the one finding
        about it, not one more for every return and target of the indicator."""
        if self.range is not None:
            low, high = self.range.min, self.range.max
            return Range() if low is not None and high is not None and low > high else self.range
        if self.unit == "percent":
            return Range(min=Decimal(0), max=Decimal(100))
        return Range()


class Baseline(Strict):
    period: PeriodText
    value: Number


def _sorted_periods(targets: dict[str, Decimal]) -> dict[str, Decimal]:
    from laatool.base.ids import parse_period

    return dict(sorted(targets.items(), key=lambda item: parse_period(item[0])))


def _no_period_twice(targets: object) -> object:
    """`{2008-09: 3200, 2008/09: 3300}` names one period twice, and `{2010-11: 3800, 2010: 3900}`
    one agreement year twice: refuse it rather than keep one."""
    from laatool.base.ids import IdentifierError, parse_period

    if isinstance(targets, dict):
        seen: dict[str, object] = {}
        for key in targets:
            try:
                period = normalise_period(key)
            except IdentifierError:
                continue  # reported as a malformed period
            if period in seen:
                raise ValueError(f"{seen[period]!s} and {key!s} are the same period ({period}): keep one")
            seen[period] = key
        # a calendar year counts towards the agreement year it begins (2010 -> 2010-11): two
        # targets for one year would leave which is final to a guess
        years: dict[str, object] = {}
        for period, key in seen.items():
            parsed = parse_period(period)
            if parsed.quarter:
                continue
            year = str(parsed.agreement_year)
            if year in years:
                raise ValueError(f"{years[year]!s} and {key!s} are targets for one agreement year ({year}): keep one")
            years[year] = key
    return targets


class _KeysArePeriods:
    """In the JSON Schema, a mapping whose keys are periods (`propertyNames`): a key's schema
    of two kinds (a YAML number is a calendar year) is lost from a mapping's otherwise."""

    @staticmethod
    def __get_pydantic_json_schema__(core_schema: Any, handler: Any) -> dict[str, Any]:
        return {**handler(core_schema), "propertyNames": {"pattern": PERIOD_SCHEMA_PATTERN}}


PeriodTargets = Annotated[dict[PeriodText, Number], BeforeValidator(_no_period_twice), AfterValidator(_sorted_periods),
                          _KeysArePeriods()]


def _each_kind_once(kinds: list[str]) -> list[str]:
    """A kind listed twice would count each of its targets twice."""
    twice = next((kind for i, kind in enumerate(kinds) if kind in kinds[:i]), None)
    if twice is not None:
        raise ValueError(f"{twice} is listed twice: list each kind once")
    return kinds


class Interim(Strict):
    """An interim performance level (DESIGN.md §6.1): met at `period`, it earns a payment on account."""

    period: PeriodText
    value: Number


# A sub-target id: no space at its end, as a returns cell is read without one (`north ` would
# never be matched).
SUBTARGET_ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9 _\-]*[A-Za-z0-9_\-])?$"
ONS_CODE_PATTERN = r"^[EWSN]\d{8}$"
# What a value of each pattern is, in words: a finding says it, not the pattern.
PATTERN_WORDS = {
    SUBTARGET_ID_PATTERN: "an id of the letters A-Z and a-z, digits, spaces, '_' and '-' that starts with a letter "
                          "or digit and does not end in a space",
    ONS_CODE_PATTERN: "an ONS code: E, W, S or N and eight digits (E08000035)",
}


class SubTarget(Strict):
    """A part of a target (e.g. one district), scored and rewarded on its own; in a target
    group (DESIGN.md §6.1), one of its measures, on an indicator of its own."""

    id: Annotated[str, Field(min_length=1, max_length=64, pattern=SUBTARGET_ID_PATTERN)]
    # a group's sub-target names its indicator (A226 without one); an ordinary target's
    # sub-targets are on the target's own (A228 when one names an indicator)
    indicator: IndicatorId | None = None
    baseline: Baseline
    targets: PeriodTargets = {}
    expected_without_agreement: Number | None = None
    # the part of the target's share this sub-target gets, in proportion to its siblings' (§6.1);
    # a weight of zero or less, or weights on some sub-targets only, are findings (A222, A223)
    weight: Number | None = None
    interim: Interim | None = None


class Target(Strict):
    """One agreed target on one indicator, or a target group (DESIGN.md §6.1): one reward
    target (one share) whose sub-targets are measures on indicators of their own."""

    # for editors: a target names its indicator, or is a group; one that is neither a group nor a
    # placeholder has a baseline, its sub-targets' own besides (`_indicator_and_baseline_unless_group`)
    model_config = ConfigDict(json_schema_extra={
        "anyOf": [{"required": ["indicator"]}, {"required": ["group"]}],
        "if": {"not": {"anyOf": [{"required": ["group"], "properties": {"group": {"type": "string"}}},
                                 {"required": ["placeholder"], "properties": {"placeholder": {"const": True}}}]}},
        "then": {"required": ["baseline"], "properties": {"baseline": {"type": "object"}}},
    })

    indicator: IndicatorId | None = None
    # a group has a slug and a title instead of an indicator, a baseline and targets (A225-A229)
    group: NameSlug | None = None
    title: Name | None = None
    kind: Kind
    baseline: Baseline | None = None
    targets: PeriodTargets = {}
    expected_without_agreement: Number | None = None
    reward: bool | None = None
    placeholder: bool = False
    subtargets: list[SubTarget] = []
    interim: Interim | None = None
    # For people (DESIGN.md §11): `laatool report` tables targets by theme and names the lead.
    theme: Name | None = None
    lead: Name | None = None

    @model_validator(mode="after")
    def _indicator_and_baseline_unless_group(self) -> Target:
        if self.group is not None:  # what a group may not have is an A finding (A227)
            return self
        if self.indicator is None:
            raise ValueError("a target needs an indicator (or, for a target group, a group slug)")
        if self.baseline is None and not self.placeholder:
            raise ValueError("a target needs a baseline unless it is a placeholder (one with sub-targets too: the "
                             "indicator's value for the whole area before the agreement, beside theirs)")
        return self

    @property
    def label(self) -> str:
        """How findings and messages name the target: its indicator, or `group <slug>`."""
        return f"group {self.group}" if self.group is not None else str(self.indicator)

    def indicator_of(self, sub: SubTarget | None) -> str | None:
        """The indicator a part of the target is measured on: a group's sub-target's own (its
        group has none), else the target's."""
        if self.group is not None:
            return sub.indicator if sub is not None else None
        return self.indicator


class Reward(Strict):
    scheme: Name | None = None
    maximum: Annotated[Decimal, Field(ge=0, allow_inf_nan=False), Bounded] | None = None
    net_budget_requirement: list[Annotated[Decimal, Field(ge=0, allow_inf_nan=False), Bounded]] | None = None

    @model_validator(mode="after")
    def _one_source_of_maximum(self) -> Reward:
        if self.maximum is not None and self.net_budget_requirement is not None:
            raise ValueError("give either maximum or net_budget_requirement, not both")
        return self


class AgreementHead(Strict):
    """An agreement without its targets: what scoring and reward read of it besides the
    targets frame, quick to read back from the agreement cache."""

    area: Slug
    name: Name
    ons_code: Annotated[str, Field(pattern=ONS_CODE_PATTERN)] | None = None
    periods: Annotated[list[PeriodText], Field(min_length=1)]
    reward: Reward | None = None

    @property
    def last_period(self) -> str:
        from laatool.base.ids import parse_period

        return str(max(parse_period(p) for p in self.periods))


class Agreement(AgreementHead):
    """One area's Local Area Agreement."""

    targets: list[Target] = []


# A cap pays at most this many times a target's share: above it, a percentage written as a
# number (`cap: 100` for 100%), which would pay a hundred times the share.
MOST_CAP = Decimal(10)


class Scheme(Strict):
    """A set of reward rules (DESIGN.md §4.4); new rules are a new file, not new code."""

    name: NameSlug
    title: Name
    maximum_rate: Share  # of the net budget requirement: 0.025 for 2.5% (2.5 would be 250%)
    rewarded_kinds: Annotated[list[Kind], AfterValidator(_each_kind_once)]
    measure_from: Literal["expected_without_agreement", "baseline"] = "expected_without_agreement"
    threshold: Share
    cap: Annotated[Decimal, Field(gt=0, allow_inf_nan=False), Bounded] = Decimal(1)
    revenue_share: Share
    instalments: Annotated[list[Share], Field(min_length=1)]
    adjustment: Share = Decimal(1)  # a multiplier on the total, at most 1: 0.5 halves it (the 2011 cut)
    # pounds: a maximum computed from maximum_rate is rounded half up to a multiple of this (DESIGN.md §6.1)
    maximum_rounding: Annotated[Decimal, Field(gt=0, allow_inf_nan=False), Bounded] = Decimal("0.01")
    # the fraction of a (sub-)target's share paid on account when its interim level is met
    payment_on_account: Share | None = None
    sources: list[Name] = []

    def rewards(self, target: Target) -> bool:
        """Whether a target is a reward target: its `reward:` as written, else whether this
        scheme rewards its kind. `laatool.compute.reward_inputs.rewarded` is this rule over frames."""
        return target.reward if target.reward is not None else target.kind in self.rewarded_kinds

    @property
    def cut_offs(self) -> tuple[Decimal, ...]:
        """The shares of the enhancement where a reward changes course: the threshold, the full
        share and the cap. An output never shows a share rounded up to one it fell short of."""
        return self.threshold, Decimal(1), self.cap

    @field_validator("instalments")
    @classmethod
    def _instalments_make_the_whole(cls, instalments: list[Decimal]) -> list[Decimal]:
        total = sum(map(Fraction, instalments))  # exactly: Decimal's sum keeps 28 digits
        if total != 1:
            raise ValueError(f"the instalments add up to {Decimal(total.numerator) / total.denominator}, not 1: "
                             "they are the shares of the grant paid in turn (thirds: 0.3333333333, 0.3333333333, "
                             "0.3333333334)")
        return instalments

    @field_validator("cap")
    @classmethod
    def _cap_not_below_the_threshold(cls, cap: Decimal, info: ValidationInfo) -> Decimal:
        if cap > MOST_CAP:
            raise ValueError(f"the cap {cap} would pay {cap} times a target's share: a cap is a share of the "
                             f"enhancement (1.00 for 100%, 1.20 for 120%), at most {MOST_CAP}")
        threshold = info.data.get("threshold")  # absent when it failed its own check
        if threshold is not None and cap < threshold:
            raise ValueError(f"the cap {cap} is below the threshold {threshold}: every achievement that "
                             "reaches the threshold would be paid less than it (the cap is the most paid, 1 for "
                             "the full share)")
        return cap


class Rag(Strict):
    amber: Share = Decimal("0.6")


HIGHEST_LEVEL = Decimal("0.999999999999999")


def _interval_level(level: Decimal) -> Decimal:
    """A level of at most fifteen nines (README): beyond, z is past 8 and no sample of an area
    supports an interval that wide."""
    if level > HIGHEST_LEVEL:
        raise ValueError(f"{level} is too close to 1 to work out an interval: write at most {HIGHEST_LEVEL}")
    return level


class Significance(Strict):
    """`significance` in `laatool.yaml` (DESIGN.md §9): the confidence level of every interval
    and the test of a change between two periods."""

    level: Annotated[Decimal, Field(ge=Decimal("0.90"), lt=1, allow_inf_nan=False), Bounded,
                     AfterValidator(_interval_level)] = Decimal("0.95")
    change_test: Literal["newcombe", "overlap"] = "newcombe"


class Projection(Strict):
    """Cut-offs of `laatool project` (DESIGN.md §8): projected achievement at least `on_track`
    is on-track, at least `at_risk` at-risk (null: the area's scheme threshold)."""

    on_track: Annotated[Decimal, Field(ge=0, allow_inf_nan=False), Bounded] = Decimal(1)
    at_risk: Annotated[Decimal, Field(ge=0, allow_inf_nan=False), Bounded] | None = None

    @model_validator(mode="after")
    def _at_risk_not_above_on_track(self) -> Projection:
        if self.at_risk is not None and self.at_risk > self.on_track:
            raise ValueError(f"at_risk {self.at_risk} is above on_track {self.on_track}: a projection reaching "
                             "at_risk would be on-track first, so none could be at-risk (at_risk is the lower cut-off)")
        return self


class Settings(Strict):
    """`laatool.yaml`: every key has a default."""

    agreements: Name = "agreements"
    returns: Name = "returns"
    indicators: Name = "indicators"
    schemes: Name = "schemes"
    comparators: Name = "comparators"  # returns of other areas, and `england` (DESIGN.md §10)
    neighbours: Name = "neighbours"  # neighbour groups, one file each (DESIGN.md §10)
    rag: Rag = Rag()
    significance: Significance = Significance()
    default_scheme: Name = "lpsa2"
    projection: Projection = Projection()

    @field_validator("agreements", "returns", "indicators", "schemes", "comparators", "neighbours")
    @classmethod
    def _inside_the_workspace(cls, name: str, info: ValidationInfo) -> str:
        if problem := folder_name_problem(name, (info.context or {}).get("root")):
            raise ValueError(problem)
        return name


def _each_once(peers: list[str]) -> list[str]:
    """A neighbour counts once in a rank and a median: one listed twice is a slip to correct."""
    twice = next((peer for i, peer in enumerate(peers) if peer in peers[:i]), None)
    if twice is not None:
        raise ValueError(f"{twice} is listed twice: list each neighbour once")
    return peers


class Neighbours(RootModel[dict[Slug, Annotated[list[Slug], AfterValidator(_each_once)]]]):
    """A neighbour group (`neighbours/GROUP.yaml`, DESIGN.md §10): each area's neighbours, in
    order (`leeds: [bradford, sheffield]`), each once."""

    # its keys are the slugs its schema's patternProperties give: an editor marks any other
    model_config = ConfigDict(frozen=True, json_schema_extra={"additionalProperties": False})


class ReturnRow(Strict):
    """One reported value (DESIGN.md §4.3); the columns of every returns file."""

    area: Name
    indicator: Name
    period: Name | int
    value: Decimal | Name | None
    subtarget: Name | None = None
    numerator: Decimal | Name | None = None
    denominator: Decimal | Name | None = None
    sample_size: Decimal | Name | None = None
    lower_ci: Decimal | Name | None = None
    upper_ci: Decimal | Name | None = None
    status: Literal["final", "provisional"] | None = None
    note: Note | None = None

