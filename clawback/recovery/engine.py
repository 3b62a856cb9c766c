"""The whole determination for one scenario: trigger, required-to-prepare date, recovery period, every
award, and the totals per executive and for the case."""

from __future__ import annotations

from decimal import Decimal, localcontext

from .awards import AwardContext, ExecutiveFacts, evaluate_award
from .inputs import Scenario
from .money import ENGINE_CONTEXT, ZERO, usd
from .periods import (
    calendar_warnings,
    lookback_with_years,
    required_to_prepare,
    restated_period_warnings,
    starts_recovery_analysis,
)
from .results import AwardResult, ExecutiveTotal, RecoveryResult, Totals
from .text import window_text
from .vocabulary import UNITS, Status

NO_REQUIRED_DATE_WARNING = (
    "No recorded event sets the date the company is required to prepare the restatement "
    "(board, committee or officers concluded, should have concluded, or a court or regulator "
    "directed it); no look-back window or award can be determined until one is recorded."
)


def evaluate(scenario: Scenario) -> RecoveryResult:
    """The recovery determination for one scenario (Rule 10D-1(b)(1); docs/clawback-rules §1.3-§1.7;
    Policy: "Recovery Period" and "Erroneously Awarded Compensation").

    For each award: `received_on` is the last day of the performance period (Rule 10D-1(d), "deemed
    received in the fiscal period during which the financial reporting measure ... is attained"); it is
    in scope only if incentive-based, received on/after the listing-standard effective date, inside the
    look-back window, by a person who was an executive officer at some time during the performance
    period (whole award, no pro-ration) and had begun officer service by then, while listed. The excess
    is max(0, received - recomputed on the restated values), pre-tax; stock price and TSR awards, and
    awards flagged `requires_estimate`, wait for the committee's reasonable estimate. What was already
    recovered of an award is credited: to recover = max(0, excess - already recovered).

    A Big R or little r restatement with no event that sets the required-to-prepare date gives a result
    with a warning and no awards (a draft case); the file parser refuses such a file instead.

    Raises ValueError if the scenario names an executive, measure or period it does not hold, or lacks
    a formula, an estimate value or a unit value the parser (`clawback.scenario`) would have required.
    """
    with localcontext(ENGINE_CONTEXT):
        return _evaluate(scenario)


def _empty(scenario: Scenario, *, triggers: bool, warnings: tuple[str, ...]) -> RecoveryResult:
    zero = usd(ZERO)
    return RecoveryResult(
        triggers_recovery_analysis=triggers,
        required_on=None,
        required_on_event=None,
        lookback=None,
        awards=(),
        executives=(),
        totals=Totals(
            excess_usd=zero,
            excess_units=ZERO,
            pending_estimates=0,
            to_recover_usd=zero,
            to_recover_units=ZERO,
        ),
        warnings=warnings,
        format_version=scenario.format_version,
    )


def _evaluate(scenario: Scenario) -> RecoveryResult:
    if not starts_recovery_analysis(scenario.restatement.kind):
        return _empty(scenario, triggers=False, warnings=())
    required = required_to_prepare(scenario.restatement.events)
    if required is None:
        return _empty(scenario, triggers=True, warnings=(NO_REQUIRED_DATE_WARNING,))
    required_on, required_on_event = required
    warnings: list[str] = []
    lookback, years = lookback_with_years(scenario.fiscal_periods, required_on)
    warnings.extend(calendar_warnings(scenario.fiscal_periods, required_on, lookback, years))
    warnings.extend(restated_period_warnings(scenario.fiscal_periods, scenario.measures, required_on))

    context = AwardContext(
        effective=scenario.listing_standard_effective_date,
        lookback=lookback,
        listed=scenario.listed_periods,
        executives={
            e.id: ExecutiveFacts(e, min((p.start for p in e.officer_periods), default=None))
            for e in scenario.executives
        },
        measures={m.key: m for m in scenario.measures},
        window_text=window_text(lookback),
    )
    results = tuple(evaluate_award(award, context, warnings) for award in scenario.awards)
    executives, totals = _totals(scenario, results)
    return RecoveryResult(
        triggers_recovery_analysis=True,
        required_on=required_on,
        required_on_event=required_on_event,
        lookback=lookback,
        awards=results,
        executives=executives,
        totals=totals,
        warnings=tuple(warnings),
        format_version=scenario.format_version,
    )


def _totals(
    scenario: Scenario, results: tuple[AwardResult, ...]
) -> tuple[tuple[ExecutiveTotal, ...], Totals]:
    """Per executive (every executive of the scenario, in its order) and for the case: the excess and the
    amount to recover, in USD (units valued per award) and in units; and the awards awaiting an estimate.
    Sums of per-award figures, each already rounded once at the end of its award."""
    zero_usd = usd(ZERO)
    empty = {
        "excess_usd": zero_usd,
        "excess_units": ZERO,
        "to_recover_usd": zero_usd,
        "to_recover_units": ZERO,
    }
    sums: dict[str, dict[str, Decimal]] = {}
    pending: dict[str, int] = {}
    for result in results:
        if result.status is Status.REASONABLE_ESTIMATE_REQUIRED:
            pending[result.executive] = pending.get(result.executive, 0) + 1
            continue
        if not result.in_scope or result.excess is None or result.excess_usd is None:
            continue
        row = sums.setdefault(result.executive, dict(empty))
        row["excess_usd"] += result.excess_usd
        row["to_recover_usd"] += result.to_recover_usd or ZERO
        if result.unit == UNITS:
            row["excess_units"] += result.excess
            row["to_recover_units"] += result.to_recover or ZERO
    executives = tuple(
        ExecutiveTotal(id=e.id, name=e.name, pending_estimates=pending.get(e.id, 0), **sums.get(e.id, empty))
        for e in scenario.executives
    )
    totals = Totals(
        pending_estimates=sum(pending.values()),
        **{key: sum((row[key] for row in sums.values()), empty[key]) for key in empty},
    )
    return executives, totals
