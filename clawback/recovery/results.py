"""What the engine answers: the determination for each award, per executive and in total (the
`clawback-result` format's "Result"; `clawback.scenario.result_to_json` writes the JSON form)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .inputs import LATEST_FORMAT_VERSION
from .money import ZERO
from .vocabulary import RULE_VERSION, Reason, Status


@dataclass(frozen=True, kw_only=True, slots=True)
class Lookback:
    """The recovery period: `[start of earliest, end of latest]` included period (Rule
    10D-1(b)(1)(i)(D); docs/clawback-rules §1.5)."""

    start: date
    end: date
    periods: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class ComponentResult:
    """One goal of a scorecard award on the original and on the restated basis.

    `measure`/`measure_period` are None for a scored (non-financial) goal, whose `basis` is then its
    scored basis and whose factor is the same on both sides. `restated_value` and `restated_factor` are
    None while a reasonable estimate is required; `estimated` is true when the restated value is the
    committee's estimate.
    """

    measure: str | None
    measure_period: str | None
    basis: str
    weight: Decimal
    original_value: Decimal | None
    restated_value: Decimal | None
    original_factor: Decimal
    restated_factor: Decimal | None
    estimated: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class AwardResult:
    """The determination for one award, with the figures and the steps that produced them.

    Amounts are rounded at the end of the award (`round_half_up`): USD to cents, units to
    `UNITS_QUANTUM`; `excess_usd` and `to_recover_usd` are always USD, computed for a unit award from the
    exact unit figure and rounded once. `recomputed`, `excess`, `excess_usd`, `to_recover` and
    `to_recover_usd` are None while a reasonable estimate is required. `explanation` is the worked
    determination in plain sentences.

    For a scorecard award `measure`, `measure_period`, `original_value` and `restated_value` are None,
    `original_factor`/`restated_factor` are the award's weighted (capped) factors and `components` holds
    each goal. `already_recovered` is the sum credited (Policy: "Erroneously Awarded Compensation": never
    recovered twice) and `to_recover` = max(0, excess - already_recovered), both in the award's unit.
    """

    id: str
    executive: str
    received_on: date
    in_scope: bool
    reasons: tuple[Reason, ...]
    status: Status
    unit: str
    received: Decimal
    original_formula: Decimal | None
    recomputed: Decimal | None
    excess: Decimal | None
    excess_usd: Decimal | None
    explanation: tuple[str, ...]
    measure: str | None = None
    measure_period: str | None = None
    original_value: Decimal | None = None
    restated_value: Decimal | None = None
    original_factor: Decimal | None = None
    restated_factor: Decimal | None = None
    value_per_unit: Decimal | None = None
    components: tuple[ComponentResult, ...] = ()
    already_recovered: Decimal = ZERO
    to_recover: Decimal | None = None
    to_recover_usd: Decimal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Totals:
    """What is recoverable in the whole case: USD (units valued), units, and awards awaiting an estimate;
    `to_recover_*` net of what was already recovered."""

    excess_usd: Decimal
    excess_units: Decimal
    pending_estimates: int
    to_recover_usd: Decimal = ZERO
    to_recover_units: Decimal = ZERO


@dataclass(frozen=True, kw_only=True, slots=True)
class ExecutiveTotal(Totals):
    """What is recoverable from one executive, figured as the case's `Totals`."""

    id: str
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class RecoveryResult:
    """The answer for one scenario (the `clawback-result` format's "Result"). When no recovery analysis
    is triggered, or the required-to-prepare date cannot be set, `awards` and `executives` are empty and
    the totals are zero.

    `format_version` is the scenario's (`Scenario.format_version`): `clawback.scenario.result_to_json`
    writes `clawback-result/1` or `/2` from it. Like the scenario's, it is left out of equality.
    """

    triggers_recovery_analysis: bool
    required_on: date | None
    required_on_event: str | None
    lookback: Lookback | None
    awards: tuple[AwardResult, ...]
    executives: tuple[ExecutiveTotal, ...]
    totals: Totals
    warnings: tuple[str, ...]
    rule_version: str = RULE_VERSION
    format_version: int = field(default=LATEST_FORMAT_VERSION, compare=False)
