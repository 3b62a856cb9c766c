"""One award's determination: the scope test, the recomputation on the restated basis, the excess, and
what is left to recover after amounts already recovered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .inputs import Award, Executive, ListedPeriod, Measure, is_incentive_based
from .money import ZERO, award_figure, usd
from .plans import MeasurePlan, Plan
from .results import AwardResult, Lookback
from .scorecards import ScorecardPlan
from .text import amount, exact, number
from .vocabulary import UNITS, USD, Reason, Status


@dataclass(frozen=True, slots=True)
class ExecutiveFacts:
    executive: Executive
    first_service: date | None


@dataclass(frozen=True, slots=True)
class AwardContext:
    """What every award of a scenario is tested against."""

    effective: date
    lookback: Lookback | None
    listed: tuple[ListedPeriod, ...] | None
    executives: dict[str, ExecutiveFacts]
    measures: dict[str, Measure]
    window_text: str


def scope_reasons(award: Award, facts: ExecutiveFacts, ctx: AwardContext) -> list[Reason]:
    """Every scope test the award fails, in rule order (Rule 10D-1(b)(1)(i) and (d); NYSE 303A.14 /
    Nasdaq 5608 effective date; docs/clawback-rules §1.6 "Scope test")."""
    received_on = award.performance_end
    reasons: list[Reason] = []
    if not is_incentive_based(award):
        reasons.append(Reason.NOT_INCENTIVE_BASED)
    if received_on < ctx.effective:
        reasons.append(Reason.PRE_EFFECTIVE_DATE)
    if ctx.lookback is None or not ctx.lookback.start <= received_on <= ctx.lookback.end:
        reasons.append(Reason.OUTSIDE_LOOKBACK)
    # Served "at any time during the performance period" (Rule 10D-1(b)(1)(i)(B)): any overlap brings in
    # the whole award, and a person who left afterwards stays covered.
    served = any(
        p.start <= award.performance_end and (p.end is None or p.end >= award.performance_start)
        for p in facts.executive.officer_periods
    )
    if not served:
        reasons.append(Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD)
    # "Received after beginning service" (Rule 10D-1(b)(1)(i)(A)): measured against the first day of
    # officer service ever, so a former officer who later receives pay for a period they did not serve in
    # is excluded by the service test alone. Never an officer: never began service.
    if facts.first_service is None or received_on < facts.first_service:
        reasons.append(Reason.RECEIVED_BEFORE_EXECUTIVE_SERVICE)
    if ctx.listed is not None and not any(
        p.start <= received_on and (p.end is None or received_on <= p.end) for p in ctx.listed
    ):
        reasons.append(Reason.NOT_LISTED)
    return reasons


_REASON_TEXT = {
    Reason.NOT_INCENTIVE_BASED: "not incentive-based: {incentive}",
    Reason.PRE_EFFECTIVE_DATE: "received {received_on}, before the effective date {effective}",
    Reason.OUTSIDE_LOOKBACK: "received {received_on}, outside the look-back window {window}",
    Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD: (
        "{name} was not an executive officer at any time during the performance period {period}"
    ),
    Reason.RECEIVED_BEFORE_EXECUTIVE_SERVICE: "received {received_on}, before {name} was an officer{began}",
    Reason.NOT_LISTED: "received {received_on}, when the company had no class of securities listed",
}


def make_plan(award: Award, measures: dict[str, Measure], warnings: list[str]) -> Plan | None:
    """The award's plan; None for an award that has none (not incentive-based and no formula)."""
    if award.scorecard is not None:
        return ScorecardPlan(award, measures, warnings)
    if award.formula is not None or is_incentive_based(award):
        return MeasurePlan(award, measures)
    return None


def evaluate_award(award: Award, ctx: AwardContext, warnings: list[str]) -> AwardResult:
    """The determination for one award (Rule 10D-1(b)(1)(i)-(iii); Policy: "Erroneously Awarded
    Compensation"). Callers hold the engine's decimal context."""
    facts = ctx.executives.get(award.executive)
    if facts is None:
        raise ValueError(
            f"award {award.id!r} names executive {award.executive!r}, which is not in the scenario"
        )
    unit = award.unit
    received = award_figure(award.received, unit)
    received_on = award.performance_end
    reasons = scope_reasons(award, facts, ctx)
    received_text = received_on.isoformat()
    period_text = f"{award.performance_start.isoformat()} to {received_text}"

    steps = [
        f"Received {amount(received, unit)} (gross, before any tax withholding); deemed received on "
        f"{received_text}, the last day of the performance period {period_text}."
    ]

    plan = make_plan(award, ctx.measures, warnings)
    original_formula: Decimal | None = None
    if plan is not None:
        original_formula = award_figure(plan.original_payout, unit)
        if original_formula != received:
            warnings.append(
                f"{award.id}: the formula on the original values gives {amount(original_formula, unit)} but "
                f"{amount(received, unit)} was received; check the award's inputs. The excess is measured "
                "from what was received."
            )
    credit = sum((r.amount for r in award.already_recovered), ZERO)
    common: dict[str, Any] = {
        "id": award.id,
        "executive": award.executive,
        "received_on": received_on,
        "unit": unit,
        "received": received,
        "original_formula": original_formula,
        "measure": award.measure,
        "measure_period": award.measure_period,
        "value_per_unit": award.value_per_unit,
        "already_recovered": award_figure(credit, unit),
    }
    if plan is not None:
        common |= plan.original_fields()

    if reasons:
        texts = {
            "incentive": _not_incentive_text(award),
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
            "Out of scope of the mandatory recovery policy (Rule 10D-1(b)(1)(i) and (d)): "
            + "; ".join(f"{r.value}: {_REASON_TEXT[r].format(**texts)}" for r in reasons)
            + ". Nothing is recoverable under this policy; other contractual clawbacks may still apply."
        )
        if award.already_recovered:
            steps.append(f"{_credits_text(award)} Nothing is to be recovered under this policy.")
        zero = award_figure(ZERO, unit)
        return AwardResult(
            **common,
            in_scope=False,
            reasons=tuple(reasons),
            status=Status.EXCLUDED,
            recomputed=None,
            excess=zero,
            excess_usd=usd(ZERO),
            explanation=tuple(steps),
            to_recover=zero,
            to_recover_usd=usd(ZERO),
        )

    steps.append(
        f"In scope: {facts.executive.name} was an executive officer during the performance period; received "
        f"on or after {ctx.effective.isoformat()}, inside the look-back window {ctx.window_text}, "
        "while listed."
    )
    assert plan is not None  # in scope, so incentive-based, so it has a plan
    recomputation = plan.recompute(warnings)
    steps.extend(recomputation.steps)
    common |= recomputation.fields | {"in_scope": True, "reasons": (), "status": recomputation.status}
    if recomputation.payout is None:
        if award.already_recovered:
            steps.append(
                f"{_credits_text(award)} The amount to recover is determined once the estimate is adopted."
            )
        return AwardResult(**common, recomputed=None, excess=None, excess_usd=None, explanation=tuple(steps))

    recomputed = award_figure(recomputation.payout, unit)
    excess = award_figure(max(ZERO, received - recomputed), unit)
    # The exact excess, before the recomputed units are rounded: the dollar figures come from it and are
    # rounded once (2,000/3 units at 8,000 USD is 5,333,333.33 USD, not the rounded 666.666667 x 8,000).
    exact_excess = max(ZERO, award.received - recomputation.payout)
    steps.append(
        f"Excess = max(0, received {amount(received, unit)} - recomputed {amount(recomputed, unit)}) = "
        f"{amount(excess, unit)}, pre-tax: computed without regard to taxes paid (Rule 10D-1(b)(1)(iii))."
    )
    to_recover = award_figure(max(ZERO, excess - credit), unit)
    if unit == USD:
        excess_usd = excess
        to_recover_usd = to_recover
    else:
        if award.value_per_unit is None:
            raise ValueError(f"award {award.id!r} is in units but has no value_per_unit")
        excess_usd = usd(exact_excess * award.value_per_unit)
        to_recover_usd = usd(max(ZERO, exact_excess - credit) * award.value_per_unit)
        if exact_excess == excess:
            steps.append(
                f"In dollars: {number(excess)} units x {number(award.value_per_unit)} USD per unit = "
                f"{amount(excess_usd, USD)}."
            )
        else:
            steps.append(
                f"In dollars: the exact excess {exact(exact_excess, UNITS)} (before rounding the units) x "
                f"{number(award.value_per_unit)} USD per unit = {amount(excess_usd, USD)}, rounded once to "
                "cents."
            )
    if award.already_recovered:
        in_dollars = f" ({amount(to_recover_usd, USD)})" if unit == UNITS else ""
        steps.append(
            f"{_credits_text(award)} To recover = max(0, excess {amount(excess, unit)} - already recovered "
            f"{amount(award_figure(credit, unit), unit)}) = {amount(to_recover, unit)}{in_dollars}: what was "
            "recovered of the same compensation is credited, never recovered twice."
        )
    return AwardResult(
        **common,
        recomputed=recomputed,
        excess=excess,
        excess_usd=excess_usd,
        explanation=tuple(steps),
        to_recover=to_recover,
        to_recover_usd=to_recover_usd,
    )


def _not_incentive_text(award: Award) -> str:
    if award.scorecard is not None:
        return "no scorecard goal is on a financial reporting measure"
    return f"basis is {award.basis}, not a financial reporting measure"


def _credits_text(award: Award) -> str:
    unit = award.unit
    items = "; ".join(
        f"{amount(award_figure(r.amount, unit), unit)} on {r.on.isoformat()} ({r.source}, {r.reference})"
        for r in award.already_recovered
    )
    return f"Already recovered of this award: {items}."
