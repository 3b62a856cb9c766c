"""Recomputing an award's plan on the restated basis: the pieces every plan shares (the reasonable
estimate, the recomputation it yields) and the single-measure plan (`measure`, `measure_period`,
`formula`). Scorecard plans are in `clawback.recovery.scorecards`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from .formulas import formula_payout
from .inputs import Award, Estimate, Measure, MeasureValue
from .text import formula_text, number
from .vocabulary import ESTIMATE_CATEGORIES, Status


@dataclass(frozen=True, slots=True)
class Recomputation:
    """An award's plan on the restated basis: COMPUTED, ESTIMATED, or REASONABLE_ESTIMATE_REQUIRED (then
    `payout` is None). `payout` is unrounded; `steps` explain the inputs and the arithmetic; `fields` are
    the AwardResult fields the plan fills in."""

    status: Status
    payout: Decimal | None
    steps: tuple[str, ...]
    fields: dict[str, Any] = field(default_factory=dict)


class Plan(Protocol):
    """How an award pays: its payout on the original values, and its recomputation on the restated ones."""

    original_payout: Decimal

    def original_fields(self) -> dict[str, Any]: ...

    def recompute(self, warnings: list[str]) -> Recomputation: ...


def needs_estimate(award: Award, measure: Measure) -> bool:
    """Rule 10D-1(b)(1)(iii)(A): for a stock price or TSR measure the amount "is not subject to
    mathematical recalculation directly from the information in an accounting restatement" and must rest
    on a reasonable estimate; `requires_estimate` records the committee's conclusion that the same holds
    for this award (Policy: "Erroneously Awarded Compensation", "In all other instances")."""
    return award.requires_estimate or measure.category in ESTIMATE_CATEGORIES


def why_estimate(award: Award, measure: Measure) -> str:
    if measure.category in ESTIMATE_CATEGORIES:
        return f"measure {measure.key} is a {measure.category} measure"
    return "the committee concluded the amount cannot be determined directly from the restatement"


def pending_step(why: str) -> str:
    return (
        f"Reasonable estimate required ({why}): the amount must rest on a reasonable "
        "estimate of the restatement's effect, documented and provided to the exchange "
        "(Rule 10D-1(b)(1)(iii)(A); policy, 'Erroneously Awarded Compensation'). Not computed until the "
        "committee adopts one."
    )


def estimate_source(estimate: Estimate, why: str) -> str:
    return (
        f"from the committee's reasonable estimate adopted {estimate.adopted_on.isoformat()} "
        f"({why}); method: {estimate.method}; documents: "
        + (", ".join(estimate.documents) if estimate.documents else "none attached")
    )


def warn_undocumented(award: Award, estimate: Estimate, warnings: list[str]) -> None:
    """Rule 10D-1(b)(1)(iii)(A): the issuer must keep documentation of the estimate and give it to the
    exchange."""
    if not estimate.documents:
        warnings.append(
            f"{award.id}: the reasonable estimate has no supporting documents; the documentation must be "
            "kept and provided to the exchange before the case is finalized."
        )


def measure_value(
    award: Award, measures: Mapping[str, Measure], key: str, period: str
) -> tuple[Measure, MeasureValue]:
    """The measure and its value for `period`; ValueError naming the award when the scenario lacks one."""
    measure = measures.get(key)
    if measure is None:
        raise ValueError(f"award {award.id!r} names measure {key!r}, which is not in the scenario")
    value = measure.values.get(period)
    if value is None:
        raise ValueError(f"award {award.id!r} names period {period!r}, which measure {key!r} lacks")
    return measure, value


class MeasurePlan:
    """A single-measure award: `formula` applied to `measure` for `measure_period` (Rule
    10D-1(b)(1)(iii): received minus what would have been received on the restated amounts)."""

    def __init__(self, award: Award, measures: Mapping[str, Measure]):
        if award.formula is None or award.measure is None or award.measure_period is None:
            raise ValueError(
                f"award {award.id!r} is incentive-based but lacks a measure, measure period or formula"
            )
        self.award = award
        self.formula = award.formula
        self.measure, self.value = measure_value(award, measures, award.measure, award.measure_period)
        self.original_payout, self.original_factor = formula_payout(self.formula, self.value.original)

    def original_fields(self) -> dict[str, Any]:
        return {"original_value": self.value.original, "original_factor": self.original_factor}

    def recompute(self, warnings: list[str]) -> Recomputation:
        award, measure, value, unit = self.award, self.measure, self.value, self.award.unit
        on_original = formula_text(
            self.formula, value.original, self.original_factor, self.original_payout, unit
        )
        label = f"{measure.key} {award.measure_period}"
        why = why_estimate(award, measure)
        estimated = needs_estimate(award, measure)
        if estimated and award.estimate is None:
            steps = (
                f"{label}: original {number(value.original)}.",
                f"On the original value: {on_original}.",
                pending_step(why),
            )
            return Recomputation(status=Status.REASONABLE_ESTIMATE_REQUIRED, payout=None, steps=steps)
        if estimated:
            estimate = award.estimate
            assert estimate is not None
            if estimate.restated_value is None:
                raise ValueError(f"award {award.id!r} has an estimate without a restated_value")
            restated_value = estimate.restated_value
            status = Status.ESTIMATED
            source = estimate_source(estimate, why)
            warn_undocumented(award, estimate, warnings)
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
        payout, factor = formula_payout(self.formula, restated_value)
        on_restated = formula_text(self.formula, restated_value, factor, payout, unit)
        steps = (
            f"{label}: original {number(value.original)}, restated {number(restated_value)} ({source}).",
            f"On the original value: {on_original}.",
            f"On the restated value: {on_restated}.",
        )
        return Recomputation(
            status=status,
            payout=payout,
            steps=steps,
            fields={"restated_value": restated_value, "restated_factor": factor},
        )
