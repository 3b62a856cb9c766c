"""Clawback recovery engine: what is recoverable under Rule 10D-1, from whom, and why.

Pure module (standard library only, STYLE.md §4): frozen dataclasses in, frozen dataclasses out, no
clock and no database. It implements rules.md §1 and the `clawback-scenario/1` contract
(`spec/clawback-scenario.md`); `clawback/scenario.py` parses and writes the JSON form.

The steps, each a public function so the committee page can show them one by one:

1. `starts_recovery_analysis` - only a Big R or little r restatement starts one (rules.md §1.3).
2. `required_to_prepare` - the restatement date RD, the earliest qualifying event (§1.4).
3. `lookback_window` - the three completed fiscal years before RD, with transition periods (§1.5).
4. `evaluate_formula` - an award's plan formula on a measure value (§1.7).
5. `evaluate` - the scope test for every award (§1.6), the recomputation on restated values, the excess
   (received minus recomputed, pre-tax) and per-executive totals.

Money is `Decimal` end to end and is rounded in one helper, `round_half_up`, at named points only: an
award's figures (received, original formula, recomputed, excess) at the end of the award, in cents for
USD and in `UNITS_QUANTUM` for shares/units, and the USD value of a unit excess in cents (STYLE.md §14).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum
from functools import lru_cache

RULE_VERSION = "rules.md §1 (2026-11-21)"

# rules.md §1.1: NYSE 303A.14 / Nasdaq 5608 apply to compensation received on or after this date.
LISTING_STANDARD_EFFECTIVE = date(2023, 10, 2)

USD = "USD"
UNITS = "units"
UNIT_KINDS = (USD, UNITS)

CENTS = Decimal("0.01")
# Shares and units are kept to six places so a fractional recomputation (e.g. 10,000 x 1.1666...) is
# still shown exactly enough to re-perform, without 30-digit strings.
UNITS_QUANTUM = Decimal("0.000001")
# Factors in the explanation are display-only; the arithmetic uses them unrounded.
FACTOR_DISPLAY_QUANTUM = Decimal("0.000001")

ZERO = Decimal(0)

# Enough digits that every product of two validated amounts is exact and every quantize fits: the
# default 28-digit context would raise InvalidOperation when quantizing a large unit value to cents.
_CONTEXT = Context(prec=100, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow])

# A 52-53-week fiscal calendar ends up to a week away from the month end, so a transition period that
# falls short of nine calendar months by at most a week is still a nine-month period (rules.md §1.5).
_WEEK_CALENDAR_SLACK_DAYS = 7
_MONTHS_DEEMED_FISCAL_YEAR = 9
_LOOKBACK_FISCAL_YEARS = 3


class RestatementKind(StrEnum):
    """rules.md §1.3: only BIG_R and LITTLE_R start a recovery analysis."""

    BIG_R = "big_r"
    LITTLE_R = "little_r"
    OUT_OF_PERIOD = "out_of_period"
    NON_ERROR_CHANGE = "non_error_change"


TRIGGERING_RESTATEMENT_KINDS = frozenset({RestatementKind.BIG_R, RestatementKind.LITTLE_R})


class EventKind(StrEnum):
    """Restatement events. The first five can set RD (rules.md §1.4); the rest are only recorded."""

    BOARD_CONCLUDED = "board_concluded"
    COMMITTEE_CONCLUDED = "committee_concluded"
    OFFICERS_CONCLUDED = "officers_concluded"
    SHOULD_HAVE_CONCLUDED = "should_have_concluded"
    DIRECTED_BY_COURT_OR_REGULATOR = "directed_by_court_or_regulator"
    BOARD_RATIFIED = "board_ratified"
    FORM_8K_ITEM_4_02_FILED = "form_8k_item_4_02_filed"
    RESTATED_FINANCIALS_FILED = "restated_financials_filed"


REQUIRED_ON_EVENT_KINDS = frozenset(
    {
        EventKind.BOARD_CONCLUDED,
        EventKind.COMMITTEE_CONCLUDED,
        EventKind.OFFICERS_CONCLUDED,
        EventKind.SHOULD_HAVE_CONCLUDED,
        EventKind.DIRECTED_BY_COURT_OR_REGULATOR,
    }
)

MEASURE_CATEGORIES = (
    "revenue",
    "net_income",
    "operating_income",
    "ebitda",
    "eps",
    "liquidity",
    "return_measure",
    "sales_derived",
    "stock_price",
    "tsr",
    "other_financial",
)
# rules.md §1.7: the effect of a restatement on these cannot be recalculated, only estimated.
ESTIMATE_CATEGORIES = frozenset({"stock_price", "tsr"})

AWARD_TYPES = (
    "cash_bonus",
    "cash_ltip",
    "stock_options",
    "sars",
    "restricted_stock",
    "rsu",
    "performance_shares",
    "performance_units",
    "other",
)

INCENTIVE_BASIS = "financial_reporting_measure"
BASES = (INCENTIVE_BASIS, "time_vested", "salary", "discretionary", "operational_goal")


class Reason(StrEnum):
    """Why an award is out of scope (rules.md §1.6, "Scope test"). An award can have several."""

    NOT_INCENTIVE_BASED = "NOT_INCENTIVE_BASED"
    PRE_EFFECTIVE_DATE = "PRE_EFFECTIVE_DATE"
    OUTSIDE_LOOKBACK = "OUTSIDE_LOOKBACK"
    NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD = "NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD"
    RECEIVED_BEFORE_EXECUTIVE_SERVICE = "RECEIVED_BEFORE_EXECUTIVE_SERVICE"
    NOT_LISTED = "NOT_LISTED"


class Status(StrEnum):
    """An award's outcome (clawback-scenario.md, "Result")."""

    COMPUTED = "computed"
    EXCLUDED = "excluded"
    REASONABLE_ESTIMATE_REQUIRED = "reasonable_estimate_required"
    ESTIMATED = "estimated"


# --- Inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class FiscalPeriod:
    """A fiscal year, or a transition period from a change of fiscal year end (rules.md §1.5)."""

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
    """A dated step of the restatement: a conclusion, a direction, a filing (rules.md §1.4)."""

    kind: str
    date: date


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
    """A financial reporting measure (rules.md §1.6) with its values by period label."""

    key: str
    category: str
    values: Mapping[str, MeasureValue]


@dataclass(frozen=True, kw_only=True, slots=True)
class OfficerPeriod:
    """A span of executive-officer service; `end=None` means still serving (rules.md §1.2)."""

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
class Estimate:
    """The committee's reasonable estimate of a measure on the restated basis (rules.md §1.7), with
    the method and documents it must keep and give to the exchange."""

    restated_value: Decimal
    method: str
    documents: tuple[str, ...]
    adopted_on: date


@dataclass(frozen=True, kw_only=True, slots=True)
class Award:
    """One award as received. `received` is gross of taxes (cash, or units before withholding)."""

    id: str
    executive: str
    type: str
    basis: str
    performance_start: date
    performance_end: date
    measure: str | None = None
    measure_period: str | None = None
    formula: Formula | None = None
    unit: str = USD
    received: Decimal
    value_per_unit: Decimal | None = None
    requires_estimate: bool = False
    estimate: Estimate | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Scenario:
    """Everything the engine needs for one restatement (clawback-scenario.md, "Input").

    `listed_periods=None` means listed throughout; an empty tuple means never listed.
    """

    company_name: str
    fiscal_periods: tuple[FiscalPeriod, ...]
    listing_standard_effective_date: date = LISTING_STANDARD_EFFECTIVE
    listed_periods: tuple[ListedPeriod, ...] | None = None
    restatement: Restatement
    measures: tuple[Measure, ...] = ()
    executives: tuple[Executive, ...] = ()
    awards: tuple[Award, ...] = ()


# --- Outputs --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Lookback:
    """The recovery period: `[start of earliest, end of latest]` included period (rules.md §1.5)."""

    start: date
    end: date
    periods: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class AwardResult:
    """The determination for one award, with the figures and the steps that produced them.

    Amounts are rounded at the end of the award (`round_half_up`): USD to cents, units to
    `UNITS_QUANTUM`; `excess_usd` is always USD. `recomputed`, `excess` and `excess_usd` are None while a
    reasonable estimate is required. `explanation` is the worked determination in plain sentences.
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


@dataclass(frozen=True, kw_only=True, slots=True)
class ExecutiveTotal:
    """What is recoverable from one executive: USD (units valued), units, and awards awaiting an estimate."""

    id: str
    name: str
    excess_usd: Decimal
    excess_units: Decimal
    pending_estimates: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Totals:
    """What is recoverable in the whole case."""

    excess_usd: Decimal
    excess_units: Decimal
    pending_estimates: int


@dataclass(frozen=True, kw_only=True, slots=True)
class RecoveryResult:
    """The answer for one scenario (clawback-scenario.md, "Result"). When no recovery analysis is
    triggered, or RD cannot be set, `awards` and `executives` are empty and the totals are zero."""

    triggers_recovery_analysis: bool
    required_on: date | None
    required_on_event: str | None
    lookback: Lookback | None
    awards: tuple[AwardResult, ...]
    executives: tuple[ExecutiveTotal, ...]
    totals: Totals
    warnings: tuple[str, ...]
    rule_version: str = RULE_VERSION


# --- Rounding: the one place -----------------------------------------------------------------------


def round_half_up(value: Decimal, *, quantum: Decimal) -> Decimal:
    """Round `value` half-up to `quantum` (CENTS, UNITS_QUANTUM or FACTOR_DISPLAY_QUANTUM).

    The only rounding in the engine (STYLE.md §14); clawback-scenario.md: "USD figures are rounded to
    cents, half-up, only at the end of each award".
    """
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=_CONTEXT)


def _award_figure(value: Decimal, unit: str) -> Decimal:
    return round_half_up(value, quantum=CENTS if unit == USD else UNITS_QUANTUM)


# --- Steps ----------------------------------------------------------------------------------------


def starts_recovery_analysis(kind: str) -> bool:
    """True for a Big R or little r restatement (rules.md §1.3); an out-of-period adjustment or a
    non-error change (principle, segments, discontinued operations, splits, ...) never starts one."""
    return kind in TRIGGERING_RESTATEMENT_KINDS


def required_to_prepare(events: Iterable[RestatementEvent]) -> tuple[date, str] | None:
    """RD, "the date the issuer is required to prepare an accounting restatement", and its event.

    rules.md §1.4: the earliest of the date the board, a committee or the authorized officers concluded
    (or reasonably should have concluded) that a restatement is required, and the date a court or
    regulator directed one. Board ratification, the 8-K Item 4.02 filing and the filing of the restated
    statements never set it. On a tie the event recorded first wins. None when no event qualifies.
    """
    best: RestatementEvent | None = None
    for event in events:
        if event.kind in REQUIRED_ON_EVENT_KINDS and (best is None or event.date < best.date):
            best = event
    return None if best is None else (best.date, best.kind)


def _month_shift_ordinal(day: date, months: int) -> int:
    """The ordinal of `day` moved `months` calendar months on (day clamped to the month's length);
    past year 9999 it returns a number above any real date instead of overflowing."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if year > date.max.year:
        return date.max.toordinal() + 1 + index
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day)).toordinal()


def period_months(*, start: date, end: date) -> int:
    """Whole calendar months in `[start, end]` (both days included), from dates rather than a day count:
    2026-01-01..2026-09-30 is 9, 2026-01-01..2026-08-31 is 8, 2025-10-01..2026-06-30 is 9."""
    after_end = end.toordinal() + 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    while months > 0 and _month_shift_ordinal(start, months) > after_end:
        months -= 1
    return max(months, 0)


def counts_as_fiscal_year(period: FiscalPeriod) -> bool:
    """A fiscal year counts; a transition period counts only if it lasts 9 to 12 months, being then
    "deemed a completed fiscal year" (rules.md §1.5). A transition period a 52-53-week calendar makes
    up to a week shorter than nine calendar months still counts."""
    if not period.transition:
        return True
    nine_months_on = _month_shift_ordinal(period.start, _MONTHS_DEEMED_FISCAL_YEAR)
    return nine_months_on <= period.end.toordinal() + 1 + _WEEK_CALENDAR_SLACK_DAYS


def _lookback(fiscal_periods: Sequence[FiscalPeriod], required_on: date) -> tuple[Lookback | None, int]:
    # A period is completed only once its last day has ended (rules.md §1.5, "Judgment (edge)"), so
    # the period in progress on RD - and any later one - is never included.
    completed = sorted(
        (p for p in fiscal_periods if p.end < required_on), key=lambda p: p.start, reverse=True
    )
    included: list[FiscalPeriod] = []
    years = 0
    for period in completed:
        # Walking back from RD: a short transition period met before the third fiscal year is "within
        # or immediately following" the three years; one before the earliest of them is not reached.
        included.append(period)
        if counts_as_fiscal_year(period):
            years += 1
            if years == _LOOKBACK_FISCAL_YEARS:
                break
    if not included:
        return None, 0
    included.reverse()
    return (
        Lookback(start=included[0].start, end=included[-1].end, periods=tuple(p.label for p in included)),
        years,
    )


def lookback_window(fiscal_periods: Sequence[FiscalPeriod], required_on: date) -> Lookback | None:
    """The recovery period: the three completed fiscal years immediately preceding RD (rules.md §1.5).

    Built from the fiscal-period table, never as "RD minus 3 years". A transition period of 9 to 12
    months counts as one of the three years; a shorter one within or immediately following them is
    added. Fewer than three years are returned when the table holds fewer; None when none completed.
    """
    return _lookback(fiscal_periods, required_on)[0]


def evaluate_formula(formula: Formula, value: Decimal) -> tuple[Decimal, Decimal | None]:
    """An award's payout for a measure value, unrounded, and its factor (None for a linear formula).

    Curve: target x f, f linear between points, 0 below the first point, the last factor at or above
    the last point. Linear: rate x (value - offset), floored at 0 and capped at `cap`.
    (clawback-scenario.md, `awards[].formula`; rules.md §1.7 "threshold/target/max, interpolation, caps")
    """
    with localcontext(_CONTEXT):
        return _formula_payout(formula, value)


def _formula_payout(formula: Formula, value: Decimal) -> tuple[Decimal, Decimal | None]:
    # Callers hold the engine's decimal context (evaluate_formula, evaluate).
    if isinstance(formula, CurveFormula):
        factor = _curve_factor(formula.points, value)
        return formula.target * factor, factor
    payout = formula.rate * (value - formula.offset)
    if payout < ZERO:
        payout = ZERO
    if formula.cap is not None and payout > formula.cap:
        payout = formula.cap
    return payout, None


def _curve_factor(points: Sequence[tuple[Decimal, Decimal]], value: Decimal) -> Decimal:
    if not points or value < points[0][0]:
        return ZERO
    if value >= points[-1][0]:
        return points[-1][1]
    # Plans have a handful of points; a linear scan is cheaper than building a bisect key list.
    for (x0, f0), (x1, f1) in zip(points, points[1:], strict=False):
        if value < x1:
            # One division, last, so a terminating ratio stays exact.
            return f0 + (value - x0) * (f1 - f0) / (x1 - x0)
    return points[-1][1]


# --- The whole determination ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ExecutiveFacts:
    executive: Executive
    first_service: date | None


def evaluate(scenario: Scenario) -> RecoveryResult:
    """The recovery determination for one scenario (rules.md §1.3-§1.7; policy "Recovery Period" and
    "Erroneously Awarded Compensation").

    For each award: `received_on` is the last day of the performance period (rules.md §1.6 Judgment);
    it is in scope only if incentive-based, received on/after the listing-standard effective date,
    inside the look-back window, by a person who was an executive officer at some time during the
    performance period (whole award, no pro-ration) and had begun officer service by then, while
    listed. The excess is max(0, received - recomputed on the restated values), pre-tax; stock price and
    TSR awards, and awards flagged `requires_estimate`, wait for the committee's reasonable estimate.

    Raises ValueError if the scenario names an executive, measure or period it does not hold, or lacks
    a formula or a unit value the parser (`clawback.scenario`) would have required.
    """
    with localcontext(_CONTEXT):
        return _evaluate(scenario)


def _evaluate(scenario: Scenario) -> RecoveryResult:
    warnings: list[str] = []
    zero_totals = Totals(
        excess_usd=round_half_up(ZERO, quantum=CENTS), excess_units=ZERO, pending_estimates=0
    )
    if not starts_recovery_analysis(scenario.restatement.kind):
        return RecoveryResult(
            triggers_recovery_analysis=False,
            required_on=None,
            required_on_event=None,
            lookback=None,
            awards=(),
            executives=(),
            totals=zero_totals,
            warnings=(),
        )
    required = required_to_prepare(scenario.restatement.events)
    if required is None:
        warnings.append(
            "No recorded event sets the date the company is required to prepare the restatement "
            "(board, committee or officers concluded, should have concluded, or a court or regulator "
            "directed it); no look-back window or award can be determined until one is recorded."
        )
        return RecoveryResult(
            triggers_recovery_analysis=True,
            required_on=None,
            required_on_event=None,
            lookback=None,
            awards=(),
            executives=(),
            totals=zero_totals,
            warnings=tuple(warnings),
        )
    required_on, required_on_event = required
    lookback, years = _lookback(scenario.fiscal_periods, required_on)
    warnings.extend(_calendar_warnings(scenario.fiscal_periods, required_on, lookback, years))

    executives = {
        e.id: _ExecutiveFacts(e, min((p.start for p in e.officer_periods), default=None))
        for e in scenario.executives
    }
    measures = {m.key: m for m in scenario.measures}
    context = _Context(
        effective=scenario.listing_standard_effective_date,
        lookback=lookback,
        listed=scenario.listed_periods,
        executives=executives,
        measures=measures,
        window_text=_window_text(lookback),
    )

    results: list[AwardResult] = []
    usd_by_exec: dict[str, Decimal] = {}
    units_by_exec: dict[str, Decimal] = {}
    pending_by_exec: dict[str, int] = {}
    for award in scenario.awards:
        result = _evaluate_award(award, context, warnings)
        results.append(result)
        if result.status is Status.REASONABLE_ESTIMATE_REQUIRED:
            pending_by_exec[award.executive] = pending_by_exec.get(award.executive, 0) + 1
        elif result.in_scope and result.excess is not None and result.excess_usd is not None:
            usd_by_exec[award.executive] = usd_by_exec.get(award.executive, ZERO) + result.excess_usd
            if award.unit == UNITS:
                units_by_exec[award.executive] = units_by_exec.get(award.executive, ZERO) + result.excess

    zero_usd = round_half_up(ZERO, quantum=CENTS)
    totals_rows = tuple(
        ExecutiveTotal(
            id=e.id,
            name=e.name,
            excess_usd=usd_by_exec.get(e.id, zero_usd),
            excess_units=units_by_exec.get(e.id, ZERO),
            pending_estimates=pending_by_exec.get(e.id, 0),
        )
        for e in scenario.executives
    )
    totals = Totals(
        excess_usd=sum(usd_by_exec.values(), zero_usd),
        excess_units=sum(units_by_exec.values(), ZERO),
        pending_estimates=sum(pending_by_exec.values()),
    )
    return RecoveryResult(
        triggers_recovery_analysis=True,
        required_on=required_on,
        required_on_event=required_on_event,
        lookback=lookback,
        awards=tuple(results),
        executives=totals_rows,
        totals=totals,
        warnings=tuple(warnings),
    )


def _calendar_warnings(
    fiscal_periods: Sequence[FiscalPeriod], required_on: date, lookback: Lookback | None, years: int
) -> list[str]:
    warnings: list[str] = []
    if lookback is None:
        warnings.append(
            f"No fiscal period in the table ended before {required_on.isoformat()}: every award is "
            "outside the look-back window. Add the fiscal periods preceding the restatement date."
        )
    elif years < _LOOKBACK_FISCAL_YEARS:
        warnings.append(
            f"The fiscal-period table holds only {years} completed fiscal year(s) before "
            f"{required_on.isoformat()}; the look-back window should span three. Add the missing periods."
        )
    if not any(p.start <= required_on <= p.end for p in fiscal_periods):
        warnings.append(
            f"No fiscal period contains the restatement date {required_on.isoformat()}; check that the "
            "fiscal-period table is complete up to it."
        )
    if lookback is not None:
        by_label = {p.label: p for p in fiscal_periods}
        chosen = [by_label[label] for label in lookback.periods]
        for before, after in zip(chosen, chosen[1:], strict=False):
            if before.end.toordinal() + 1 != after.start.toordinal():
                warnings.append(
                    f"The fiscal-period table has a gap between {before.label} (ends "
                    f"{before.end.isoformat()}) and {after.label} (starts {after.start.isoformat()})."
                )
    return warnings


@dataclass(frozen=True, slots=True)
class _Context:
    effective: date
    lookback: Lookback | None
    listed: tuple[ListedPeriod, ...] | None
    executives: dict[str, _ExecutiveFacts]
    measures: dict[str, Measure]
    window_text: str


def _scope_reasons(award: Award, facts: _ExecutiveFacts, ctx: _Context) -> list[Reason]:
    received_on = award.performance_end
    reasons: list[Reason] = []
    if award.basis != INCENTIVE_BASIS:
        reasons.append(Reason.NOT_INCENTIVE_BASED)
    if received_on < ctx.effective:
        reasons.append(Reason.PRE_EFFECTIVE_DATE)
    if ctx.lookback is None or not ctx.lookback.start <= received_on <= ctx.lookback.end:
        reasons.append(Reason.OUTSIDE_LOOKBACK)
    # Served "at any time during the performance period": any overlap brings in the whole award, and
    # a person who left afterwards stays covered (rules.md §1.6, test 2).
    served = any(
        p.start <= award.performance_end and (p.end is None or p.end >= award.performance_start)
        for p in facts.executive.officer_periods
    )
    if not served:
        reasons.append(Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD)
    # "Received after beginning service": measured against the first day of officer service ever, so a
    # former officer who later receives pay for a period they did not serve in is excluded by test 2
    # alone (clawback-scenario example 2, evp-fy2026-bonus). Never an officer: never began service.
    if facts.first_service is None or received_on < facts.first_service:
        reasons.append(Reason.RECEIVED_BEFORE_EXECUTIVE_SERVICE)
    if ctx.listed is not None and not any(
        p.start <= received_on and (p.end is None or received_on <= p.end) for p in ctx.listed
    ):
        reasons.append(Reason.NOT_LISTED)
    return reasons


_REASON_TEXT = {
    Reason.NOT_INCENTIVE_BASED: "not incentive-based: basis is {basis}, not a financial reporting measure",
    Reason.PRE_EFFECTIVE_DATE: "received {received_on}, before the effective date {effective}",
    Reason.OUTSIDE_LOOKBACK: "received {received_on}, outside the look-back window {window}",
    Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD: (
        "{name} was not an executive officer at any time during the performance period {period}"
    ),
    Reason.RECEIVED_BEFORE_EXECUTIVE_SERVICE: "received {received_on}, before {name} was an officer{began}",
    Reason.NOT_LISTED: "received {received_on}, when the company had no class of securities listed",
}


def _evaluate_award(award: Award, ctx: _Context, warnings: list[str]) -> AwardResult:
    facts = ctx.executives.get(award.executive)
    if facts is None:
        raise ValueError(
            f"award {award.id!r} names executive {award.executive!r}, which is not in the scenario"
        )
    unit = award.unit
    received = _award_figure(award.received, unit)
    received_on = award.performance_end
    reasons = _scope_reasons(award, facts, ctx)
    received_text = received_on.isoformat()
    period_text = f"{award.performance_start.isoformat()} to {received_text}"

    steps = [
        f"Received {_amount(received, unit)} (gross, before any tax withholding); deemed received on "
        f"{received_text}, the last day of the performance period {period_text}."
    ]

    measure: Measure | None = None
    value: MeasureValue | None = None
    original_payout: Decimal | None = None
    original_factor: Decimal | None = None
    original_formula: Decimal | None = None
    if award.formula is not None or award.basis == INCENTIVE_BASIS:
        measure, value = _measure_value(award, ctx)
        original_payout, original_factor = _formula_payout(award.formula, value.original)
        original_formula = _award_figure(original_payout, unit)
        if original_formula != received:
            warnings.append(
                f"{award.id}: the formula on the original values gives {_amount(original_formula, unit)} but "
                f"{_amount(received, unit)} was received; check the award's inputs. The excess is measured "
                "from what was received."
            )

    common = {
        "id": award.id,
        "executive": award.executive,
        "received_on": received_on,
        "unit": unit,
        "received": received,
        "original_formula": original_formula,
        "measure": award.measure,
        "measure_period": award.measure_period,
        "original_value": value.original if value is not None else None,
        "original_factor": original_factor,
        "value_per_unit": award.value_per_unit,
    }

    if reasons:
        texts = {
            "basis": award.basis,
            "received_on": received_text,
            "effective": ctx.effective.isoformat(),
            "window": ctx.window_text,
            "name": facts.executive.name,
            "period": period_text,
            "began": f" on {facts.first_service.isoformat()}"
            if facts.first_service
            else " (never an officer)",
        }
        steps.append(
            "Out of scope of the mandatory recovery policy (rules.md §1.6): "
            + "; ".join(f"{r.value}: {_REASON_TEXT[r].format(**texts)}" for r in reasons)
            + ". Nothing is recoverable under this policy; other contractual clawbacks may still apply."
        )
        zero = _award_figure(ZERO, unit)
        return AwardResult(
            **common,
            in_scope=False,
            reasons=tuple(reasons),
            status=Status.EXCLUDED,
            recomputed=None,
            excess=zero,
            excess_usd=round_half_up(ZERO, quantum=CENTS),
            explanation=tuple(steps),
        )

    steps.append(
        f"In scope: {facts.executive.name} was an executive officer during the performance period; received "
        f"on or after {ctx.effective.isoformat()}, inside the look-back window {ctx.window_text}, "
        "while listed."
    )
    assert measure is not None and value is not None and award.formula is not None  # incentive-based
    needs_estimate = award.requires_estimate or measure.category in ESTIMATE_CATEGORIES
    why_estimate = (
        f"measure {measure.key} is a {measure.category} measure"
        if measure.category in ESTIMATE_CATEGORIES
        else "the committee concluded the amount cannot be determined directly from the restatement"
    )
    if needs_estimate and award.estimate is None:
        on_original = _formula_text(award.formula, value.original, original_factor, original_payout, unit)
        steps.append(f"{measure.key} {award.measure_period}: original {_number(value.original)}.")
        steps.append(f"On the original value: {on_original}.")
        steps.append(
            f"Reasonable estimate required ({why_estimate}): the amount must rest on a reasonable "
            "estimate of the restatement's effect, documented and provided to the exchange "
            "(Rule 10D-1(b)(1)(iii)(A); policy, 'Erroneously Awarded Compensation'). Not computed until the "
            "committee adopts one."
        )
        return AwardResult(
            **common,
            in_scope=True,
            reasons=(),
            status=Status.REASONABLE_ESTIMATE_REQUIRED,
            recomputed=None,
            excess=None,
            excess_usd=None,
            explanation=tuple(steps),
        )

    if needs_estimate:
        estimate = award.estimate
        assert estimate is not None
        restated_value = estimate.restated_value
        status = Status.ESTIMATED
        source = (
            f"from the committee's reasonable estimate adopted {estimate.adopted_on.isoformat()} "
            f"({why_estimate}); method: {estimate.method}; documents: "
            + (", ".join(estimate.documents) if estimate.documents else "none attached")
        )
        if not estimate.documents:
            warnings.append(
                f"{award.id}: the reasonable estimate has no supporting documents; the documentation must be "
                "kept and provided to the exchange before the case is finalized."
            )
    else:
        status = Status.COMPUTED
        if value.restated is None:
            restated_value = value.original
            source = "not restated, so the original value stands"
        else:
            restated_value = value.restated
            source = "from the restated financial statements"
        if award.estimate is not None:
            warnings.append(
                f"{award.id}: an estimate was given but the measure can be recalculated from the "
                "restatement; the estimate was not used."
            )

    restated_payout, restated_factor = _formula_payout(award.formula, restated_value)
    recomputed = _award_figure(restated_payout, unit)
    excess = _award_figure(max(ZERO, received - recomputed), unit)
    steps.append(
        f"{measure.key} {award.measure_period}: original {_number(value.original)}, restated "
        f"{_number(restated_value)} ({source})."
    )
    on_original = _formula_text(award.formula, value.original, original_factor, original_payout, unit)
    on_restated = _formula_text(award.formula, restated_value, restated_factor, restated_payout, unit)
    steps.append(f"On the original value: {on_original}.")
    steps.append(f"On the restated value: {on_restated}.")
    steps.append(
        f"Excess = max(0, received {_amount(received, unit)} - recomputed {_amount(recomputed, unit)}) = "
        f"{_amount(excess, unit)}, pre-tax: computed without regard to taxes paid (Rule 10D-1(b)(1)(iii))."
    )
    if unit == USD:
        excess_usd = excess
    else:
        if award.value_per_unit is None:
            raise ValueError(f"award {award.id!r} is in units but has no value_per_unit")
        excess_usd = round_half_up(excess * award.value_per_unit, quantum=CENTS)
        steps.append(
            f"In dollars: {_number(excess)} units x {_number(award.value_per_unit)} USD per unit = "
            f"{_amount(excess_usd, USD)}."
        )
    return AwardResult(
        **common,
        in_scope=True,
        reasons=(),
        status=status,
        recomputed=recomputed,
        excess=excess,
        excess_usd=excess_usd,
        explanation=tuple(steps),
        restated_value=restated_value,
        restated_factor=restated_factor,
    )


def _measure_value(award: Award, ctx: _Context) -> tuple[Measure, MeasureValue]:
    if award.formula is None or award.measure is None or award.measure_period is None:
        raise ValueError(
            f"award {award.id!r} is incentive-based but lacks a measure, measure period or formula"
        )
    measure = ctx.measures.get(award.measure)
    if measure is None:
        raise ValueError(f"award {award.id!r} names measure {award.measure!r}, which is not in the scenario")
    value = measure.values.get(award.measure_period)
    if value is None:
        raise ValueError(
            f"award {award.id!r} names period {award.measure_period!r}, which measure {award.measure!r} lacks"
        )
    return measure, value


# --- Explanation text -----------------------------------------------------------------------------


def _number(value: Decimal) -> str:
    """A decimal with thousands separators and no exponent or trailing zeros: 240,000,000; 1.15."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _amount(value: Decimal, unit: str) -> str:
    return f"{value:,f} USD" if unit == USD else f"{_number(value)} units"


def _factor(value: Decimal) -> str:
    shown = round_half_up(value, quantum=FACTOR_DISPLAY_QUANTUM)
    return ("" if shown == value else "~") + _number(shown)


def _window_text(lookback: Lookback | None) -> str:
    if lookback is None:
        return "(none: no completed fiscal period)"
    return f"{lookback.start.isoformat()} to {lookback.end.isoformat()} ({', '.join(lookback.periods)})"


@lru_cache(maxsize=256)
def _points_text(points: tuple[tuple[Decimal, Decimal], ...]) -> str:
    # Awards share a few plan curves; formatting each once keeps 10,000 awards well under a second.
    return ", ".join(f"{_number(x)} -> {_number(f)}" for x, f in points)


def _formula_text(
    formula: Formula, value: Decimal, factor: Decimal | None, payout: Decimal | None, unit: str
) -> str:
    assert payout is not None
    if isinstance(formula, CurveFormula):
        assert factor is not None
        points = _points_text(formula.points)
        return (
            f"curve [{points}] at {_number(value)} gives factor {_factor(factor)}; "
            f"{_factor(factor)} x target {_number(formula.target)} = "
            f"{_amount(_award_figure(payout, unit), unit)}"
        )
    raw = formula.rate * (value - formula.offset)
    limits = "floored at 0" + (f", capped at {_number(formula.cap)}" if formula.cap is not None else "")
    return (
        f"{_number(formula.rate)} x ({_number(value)} - {_number(formula.offset)}) = {_number(raw)}, "
        f"{limits}: {_amount(_award_figure(payout, unit), unit)}"
    )
