"""What the engine is given: the scenario of one restatement, as frozen dataclasses (the
`clawback-scenario` format's "Input"; `clawback.scenario` reads and writes the JSON form)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .money import ZERO
from .vocabulary import INCENTIVE_BASIS, LISTING_STANDARD_EFFECTIVE, USD

# The newest `clawback-scenario/N` format; a Scenario built in code is of this version.
LATEST_FORMAT_VERSION = 2
FORMAT_VERSIONS = (1, 2)


@dataclass(frozen=True, kw_only=True, slots=True)
class FiscalPeriod:
    """A fiscal year, or a transition period from a change of fiscal year end (Rule 10D-1(b)(1)(i);
    docs/clawback-rules §1.5)."""

    label: str
    start: date
    end: date
    transition: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class ListedPeriod:
    """A span during which the issuer had a class of securities listed; `end=None` means still listed."""

    start: date
    end: date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RestatementEvent:
    """A dated step of the restatement: a conclusion, a direction, a filing (Rule 10D-1(b)(1)(ii);
    docs/clawback-rules §1.4). `label` names an event of kind "other" (format `/2`), which never sets
    the required-to-prepare date."""

    kind: str
    date: date
    label: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Restatement:
    """The restatement being analysed: its kind (§1.3) and its recorded events (§1.4)."""

    kind: str
    events: tuple[RestatementEvent, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class MeasureValue:
    """A measure's value for one period; `restated=None` means the value was not restated."""

    original: Decimal
    restated: Decimal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Measure:
    """A financial reporting measure (Rule 10D-1(d); docs/clawback-rules §1.6) with its values by
    period label."""

    key: str
    category: str
    values: Mapping[str, MeasureValue]


@dataclass(frozen=True, kw_only=True, slots=True)
class OfficerPeriod:
    """A span of executive-officer service; `end=None` means still serving (Rule 10D-1(d))."""

    start: date
    end: date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Executive:
    """A current or former executive officer with the dated history of their officer service."""

    id: str
    name: str
    officer_periods: tuple[OfficerPeriod, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class CurveFormula:
    """payout = target x f, f interpolated linearly between (x, f) points with x strictly ascending;
    f = 0 below the first point and the last point's factor at or above the last point."""

    target: Decimal
    points: tuple[tuple[Decimal, Decimal], ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class LinearFormula:
    """payout = rate x (measure - offset), never below 0 and never above `cap` (when given)."""

    rate: Decimal
    offset: Decimal = ZERO
    cap: Decimal | None = None


Formula = CurveFormula | LinearFormula


@dataclass(frozen=True, kw_only=True, slots=True)
class MeasureComponent:
    """A scorecard goal on a financial reporting measure: its factor is interpolated from `points`
    exactly as a `CurveFormula`'s factor, and recomputed on the restated value."""

    measure: str
    measure_period: str
    weight: Decimal
    points: tuple[tuple[Decimal, Decimal], ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class ScoredComponent:
    """A scorecard goal not on a financial reporting measure (`operational_goal`, `discretionary`,
    `individual`): its `factor` is as the committee scored it and is never recomputed."""

    basis: str
    weight: Decimal
    factor: Decimal


ScorecardComponent = MeasureComponent | ScoredComponent


@dataclass(frozen=True, kw_only=True, slots=True)
class Scorecard:
    """Weighted goals: payout = target x min(cap_factor, sum of weight x factor); `cap_factor=None` means
    no cap (format `/2`)."""

    target: Decimal
    components: tuple[ScorecardComponent, ...]
    cap_factor: Decimal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Estimate:
    """The committee's reasonable estimate of a measure on the restated basis (Rule 10D-1(b)(1)(iii)(A)),
    with the method and documents it must keep and give to the exchange.

    `restated_value` is the estimate for a single-measure award; `restated_values` (measure key -> value)
    is the estimate for a scorecard award, one value per component measure that needs one (format `/2`).
    """

    method: str
    documents: tuple[str, ...]
    adopted_on: date
    restated_value: Decimal | None = None
    restated_values: Mapping[str, Decimal] | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecoveredAmount:
    """An amount of the award already recovered (format `/2`), in the award's unit: by an earlier
    restatement's recovery, under SOX 304, or otherwise. What was recovered of the same compensation is
    credited, never recovered twice (Policy: "Erroneously Awarded Compensation")."""

    amount: Decimal
    on: date
    source: str
    reference: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Award:
    """One award as received. `received` is gross of taxes (cash, or units before withholding).

    A single-measure award has `measure`, `measure_period` and `formula`; a scorecard award (format `/2`)
    has `scorecard` instead. `already_recovered` lists amounts already recovered of it (format `/2`).
    """

    id: str
    executive: str
    type: str
    basis: str
    performance_start: date
    performance_end: date
    measure: str | None = None
    measure_period: str | None = None
    formula: Formula | None = None
    scorecard: Scorecard | None = None
    unit: str = USD
    received: Decimal
    value_per_unit: Decimal | None = None
    requires_estimate: bool = False
    estimate: Estimate | None = None
    already_recovered: tuple[RecoveredAmount, ...] = ()


def is_incentive_based(award: Award) -> bool:
    """Incentive-based compensation is "granted, earned, or vested based wholly or in part upon the
    attainment of a financial reporting measure" (Rule 10D-1(d); docs/clawback-rules §1.6).

    A single-measure award is incentive-based when its `basis` is `financial_reporting_measure`. A
    scorecard award is incentive-based exactly when at least one component is on a financial reporting
    measure ("in part"): its components decide, not its `basis`. The file parser refuses a scorecard award
    whose `basis` says otherwise, so the two never disagree in a scenario read from a file.
    """
    if award.scorecard is not None:
        return any(isinstance(c, MeasureComponent) for c in award.scorecard.components)
    return award.basis == INCENTIVE_BASIS


@dataclass(frozen=True, kw_only=True, slots=True)
class Scenario:
    """Everything the engine needs for one restatement (the `clawback-scenario` format's "Input").

    `listed_periods=None` means listed throughout; an empty tuple means never listed. `format_version` is
    the `clawback-scenario/N` version the scenario was read from (a Scenario built in code is of the newest
    one); it chooses the result format (`clawback-result/N`) and is not part of the scenario's content, so
    it is left out of equality.
    """

    company_name: str
    fiscal_periods: tuple[FiscalPeriod, ...]
    listing_standard_effective_date: date = LISTING_STANDARD_EFFECTIVE
    listed_periods: tuple[ListedPeriod, ...] | None = None
    restatement: Restatement
    measures: tuple[Measure, ...] = ()
    executives: tuple[Executive, ...] = ()
    awards: tuple[Award, ...] = ()
    format_version: int = field(default=LATEST_FORMAT_VERSION, compare=False)
