"""Scorecard awards (format `/2`): several weighted goals, some on financial reporting measures, some
scored by the committee.

payout = target x min(cap_factor, sum of weight x factor). A goal on a financial reporting measure has its
factor interpolated from its points exactly as a curve formula's; a goal on an operational, discretionary
or individual basis keeps its factor as scored. The award is incentive-based when at least one goal is on a
financial reporting measure (Rule 10D-1(d): "based wholly or in part upon the attainment of a financial
reporting measure"), and the whole award is recomputed with every measure goal on its restated value
(Rule 10D-1(b)(1)(iii): the amount "that otherwise would have been received had it been determined based
on the restated amounts"): a goal restated up offsets one restated down inside the award, never across
awards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .formulas import curve_factor
from .inputs import Award, Measure, MeasureComponent, MeasureValue, Scorecard, ScorecardComponent
from .money import ONE, ZERO, award_figure
from .plans import (
    Recomputation,
    estimate_source,
    measure_value,
    needs_estimate,
    pending_step,
    warn_undocumented,
    why_estimate,
)
from .results import ComponentResult
from .text import amount, factor, number, points_text
from .vocabulary import INCENTIVE_BASIS, Status


@dataclass(frozen=True, slots=True)
class _Goal:
    number: int
    component: ScorecardComponent
    measure: Measure | None
    value: MeasureValue | None
    original_factor: Decimal


def capped_factor(scorecard: Scorecard, factor_sum: Decimal) -> Decimal:
    """min(cap_factor, sum of weight x factor); the sum itself when there is no cap."""
    if scorecard.cap_factor is not None and factor_sum > scorecard.cap_factor:
        return scorecard.cap_factor
    return factor_sum


def scorecard_payout(scorecard: Scorecard, factors: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(payout, capped factor, uncapped weighted sum) for the goals' factors, in component order.
    Callers hold the engine's decimal context."""
    factor_sum = sum((c.weight * f for c, f in zip(scorecard.components, factors, strict=True)), ZERO)
    capped = capped_factor(scorecard, factor_sum)
    return scorecard.target * capped, capped, factor_sum


class ScorecardPlan:
    """A scorecard award's plan: its payout on the original values and its recomputation on the restated
    (or, for stock price, TSR and `requires_estimate` goals, the committee's estimated) values."""

    def __init__(self, award: Award, measures: Mapping[str, Measure], warnings: list[str]):
        assert award.scorecard is not None
        self.award = award
        self.scorecard = award.scorecard
        goals = []
        for i, component in enumerate(self.scorecard.components, start=1):
            if isinstance(component, MeasureComponent):
                measure, value = measure_value(award, measures, component.measure, component.measure_period)
                goals.append(
                    _Goal(i, component, measure, value, curve_factor(component.points, value.original))
                )
            else:
                goals.append(_Goal(i, component, None, None, component.factor))
        self.goals = tuple(goals)
        self.original_payout, self.original_factor, self.original_sum = scorecard_payout(
            self.scorecard, [g.original_factor for g in goals]
        )
        total_weight = sum((c.weight for c in self.scorecard.components), ZERO)
        if total_weight != ONE:
            warnings.append(
                f"{award.id}: the scorecard weights add up to {number(total_weight)}, not 1; the payout "
                "uses them as given."
            )

    def original_fields(self) -> dict[str, Any]:
        return {
            "original_factor": self.original_factor,
            "components": tuple(self._component_result(g, None, None, False) for g in self.goals),
        }

    def recompute(self, warnings: list[str]) -> Recomputation:
        award = self.award
        estimated = {
            g.number for g in self.goals if g.measure is not None and needs_estimate(award, g.measure)
        }
        intro = self._intro()
        on_original = self._sum_text(
            self.goals, [g.original_factor for g in self.goals], self.original_payout
        )
        if estimated and award.estimate is None:
            why = self._why_estimated(estimated)
            lines = tuple(self._original_line(g) for g in self.goals)
            # Recalculable goals are shown on their restated values; the others await the estimate.
            components = tuple(
                self._component_result(g, None, None, False)
                if g.number in estimated
                else self._component_result(g, value, self._factor_at(g, value), False)
                for g in self.goals
                for value in (self._restated(g)[0],)
            )
            steps = (intro, *lines, f"On the original values: {on_original}.", pending_step(why))
            return Recomputation(
                status=Status.REASONABLE_ESTIMATE_REQUIRED,
                payout=None,
                steps=steps,
                fields={"components": components},
            )
        estimate_values = self._estimate_values(estimated, warnings)
        lines: list[str] = [intro]
        restated_factors: list[Decimal] = []
        components: list[ComponentResult] = []
        for goal in self.goals:
            if goal.number in estimated:
                restated_value = estimate_values[goal.number]
                source = "the committee's reasonable estimate"
            else:
                restated_value, source = self._restated(goal)
            restated = self._factor_at(goal, restated_value)
            restated_factors.append(restated)
            components.append(
                self._component_result(goal, restated_value, restated, goal.number in estimated)
            )
            lines.append(self._restated_line(goal, restated_value, source, restated))
        if estimated:
            assert award.estimate is not None
            why = self._why_estimated(estimated)
            lines.append(f"Estimated values are {estimate_source(award.estimate, why)}.")
        payout, capped, _ = scorecard_payout(self.scorecard, restated_factors)
        lines.append(f"On the original values: {on_original}.")
        lines.append(f"On the restated values: {self._sum_text(self.goals, restated_factors, payout)}.")
        moved = [r - g.original_factor for g, r in zip(self.goals, restated_factors, strict=True)]
        if any(m > 0 for m in moved) and any(m < 0 for m in moved):
            lines.append(
                "Goals restated in opposite directions offset each other inside this award, which is "
                "recomputed as a whole on the restated values; goals never offset across awards."
            )
        return Recomputation(
            status=Status.ESTIMATED if estimated else Status.COMPUTED,
            payout=payout,
            steps=tuple(lines),
            fields={"restated_factor": capped, "components": tuple(components)},
        )

    # --- pieces -----------------------------------------------------------------------------------

    def _why_estimated(self, estimated: set[int]) -> str:
        return "; ".join(
            f"goal {g.number}: {why_estimate(self.award, g.measure)}"
            for g in self.goals
            if g.number in estimated and g.measure is not None
        )

    def _estimate_values(self, estimated: set[int], warnings: list[str]) -> dict[int, Decimal]:
        award, estimate = self.award, self.award.estimate
        if estimate is None:
            return {}
        if not estimated:
            warnings.append(
                f"{award.id}: an estimate was given but every goal's measure can be recalculated from the "
                "restatement; the estimate was not used."
            )
            return {}
        given = estimate.restated_values or {}
        values: dict[int, Decimal] = {}
        for goal in self.goals:
            if goal.number not in estimated:
                continue
            assert goal.measure is not None
            if goal.measure.key not in given:
                raise ValueError(
                    f"award {award.id!r} has an estimate without restated_values[{goal.measure.key!r}]"
                )
            values[goal.number] = given[goal.measure.key]
        unused = sorted(
            set(given)
            - {g.measure.key for g in self.goals if g.number in estimated and g.measure is not None}
        )
        if unused:
            warnings.append(
                f"{award.id}: the estimate gives values for {', '.join(unused)}, which can be recalculated "
                "from the restatement (or are not goals of the award); those values were not used."
            )
        warn_undocumented(award, estimate, warnings)
        return values

    @staticmethod
    def _restated(goal: _Goal) -> tuple[Decimal | None, str]:
        if goal.value is None:
            return None, "scored"
        if goal.value.restated is None:
            return goal.value.original, "not restated, so the original value stands"
        return goal.value.restated, "from the restated financial statements"

    @staticmethod
    def _factor_at(goal: _Goal, value: Decimal | None) -> Decimal:
        if isinstance(goal.component, MeasureComponent):
            assert value is not None
            return curve_factor(goal.component.points, value)
        return goal.component.factor

    def _component_result(
        self, goal: _Goal, restated_value: Decimal | None, restated_factor: Decimal | None, estimated: bool
    ) -> ComponentResult:
        component = goal.component
        if isinstance(component, MeasureComponent):
            assert goal.value is not None
            return ComponentResult(
                measure=component.measure,
                measure_period=component.measure_period,
                basis=INCENTIVE_BASIS,
                weight=component.weight,
                original_value=goal.value.original,
                restated_value=restated_value,
                original_factor=goal.original_factor,
                restated_factor=restated_factor,
                estimated=estimated,
            )
        return ComponentResult(
            measure=None,
            measure_period=None,
            basis=component.basis,
            weight=component.weight,
            original_value=None,
            restated_value=None,
            original_factor=component.factor,
            restated_factor=component.factor,
        )

    def _intro(self) -> str:
        cap = self.scorecard.cap_factor
        limit = f", capped at {factor(cap)} x target" if cap is not None else ", with no cap"
        return (
            f"Scorecard of {len(self.goals)} weighted goals: payout = target {number(self.scorecard.target)} "
            f"x the sum of weight x factor{limit}; the whole award is recomputed with every "
            "financial-reporting-measure goal on its restated value."
        )

    @staticmethod
    def _goal_name(goal: _Goal) -> str:
        component = goal.component
        if isinstance(component, MeasureComponent):
            return (
                f"Goal {goal.number} ({component.measure} {component.measure_period}, "
                f"weight {number(component.weight)})"
            )
        return f"Goal {goal.number} ({component.basis}, weight {number(component.weight)})"

    def _scored_line(self, goal: _Goal) -> str:
        return (
            f"{self._goal_name(goal)}: factor {factor(goal.original_factor)} as scored by the committee; "
            "not a financial reporting measure, so it is never recomputed."
        )

    def _original_line(self, goal: _Goal) -> str:
        if goal.value is None:
            return self._scored_line(goal)
        points = points_text(goal.component.points)
        return (
            f"{self._goal_name(goal)}: original {number(goal.value.original)}; curve [{points}] gives "
            f"factor {factor(goal.original_factor)}."
        )

    def _restated_line(self, goal: _Goal, value: Decimal | None, source: str, restated: Decimal) -> str:
        if goal.value is None or value is None:
            return self._scored_line(goal)
        points = points_text(goal.component.points)
        return (
            f"{self._goal_name(goal)}: original {number(goal.value.original)}, restated {number(value)} "
            f"({source}); curve [{points}] gives factor {factor(goal.original_factor)} on the original "
            f"value and {factor(restated)} on the restated value."
        )

    def _sum_text(self, goals: tuple[_Goal, ...], factors: list[Decimal], payout: Decimal) -> str:
        terms = " + ".join(
            f"{number(g.component.weight)} x {factor(f)}" for g, f in zip(goals, factors, strict=True)
        )
        factor_sum = sum((g.component.weight * f for g, f in zip(goals, factors, strict=True)), ZERO)
        capped = capped_factor(self.scorecard, factor_sum)
        cap_text = f", capped at {factor(capped)}" if capped != factor_sum else ""
        unit = self.award.unit
        return (
            f"{terms} = {factor(factor_sum)}{cap_text}; {factor(capped)} x target "
            f"{number(self.scorecard.target)} = {amount(award_figure(payout, unit), unit)}"
        )
