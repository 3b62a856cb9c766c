"""Reading one award of a scenario file: its scope facts, its plan (a formula on one measure, or a
scorecard of weighted goals in `/2`), the committee's estimate, and amounts already recovered (`/2`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from clawback.recovery import (
    AWARD_TYPES,
    BASES,
    ESTIMATE_CATEGORIES,
    INCENTIVE_BASIS,
    RECOVERY_SOURCES,
    SCORED_COMPONENT_BASES,
    UNITS,
    USD,
    Award,
    CurveFormula,
    Estimate,
    LinearFormula,
    MeasureComponent,
    RecoveredAmount,
    Scorecard,
    ScoredComponent,
)

from .checks import BAD, Checks, index_path, json_type, key_path, ok, show
from .formats import only_in_2

_PLAN_KEYS = ("measure", "measure_period", "formula")


@dataclass
class KnownMeasures:
    """Each measure key's period labels and category (None when unreadable), so award references can be
    checked even when a measure has errors of its own."""

    periods: dict[str, set[str] | None] = field(default_factory=dict)
    categories: dict[str, str | None] = field(default_factory=dict)


class AwardChecks(Checks):
    """Checks for `$.awards[i]`; `version` is the file's format version (1 or 2)."""

    version: int

    def award(self, raw: Any, path: str, executive_ids: set[str], known: KnownMeasures) -> Any:
        obj = self.object(
            raw,
            path,
            required=("id", "executive", "type", "basis", "performance_period", "unit", "received"),
            optional=(
                *_PLAN_KEYS,
                "scorecard",
                "value_per_unit",
                "requires_estimate",
                "estimate",
                "already_recovered",
            ),
        )
        award_id = self.field(obj, "id", path, self.string)
        executive = self.field(obj, "executive", path, self.string)
        if executive is not BAD and executive not in executive_ids:
            self.error(key_path(path, "executive"), f"no executive has id {show(executive)}")
        award_type = self.field(obj, "type", path, self.choice, AWARD_TYPES)
        basis = self.field(obj, "basis", path, self.choice, BASES)
        period_path = key_path(path, "performance_period")
        period = self.field(obj, "performance_period", path, self.object, required=("start", "end"))
        start = self.field(period, "start", period_path, self.date)
        end = self.field(period, "end", period_path, self.date)
        if ok(start, end) and end < start:
            end = self.error(key_path(period_path, "end"), "must not be before start")
        unit = self.field(obj, "unit", path, self.choice, (USD, UNITS))
        received = self.field(obj, "received", path, self.decimal, non_negative=True, cents=unit == USD)
        value_per_unit = self.optional(obj, "value_per_unit", path, None, self.decimal, non_negative=True)
        if obj is not BAD and unit == UNITS and "value_per_unit" not in obj:
            value_per_unit = self.error(
                key_path(path, "value_per_unit"), 'required when unit is "units" (the USD value of one unit)'
            )
        if obj is not BAD and unit == USD and "value_per_unit" in obj:
            value_per_unit = self.error(key_path(path, "value_per_unit"), 'only allowed when unit is "units"')
        requires_estimate = self.optional(obj, "requires_estimate", path, False, self.boolean)

        has_scorecard = obj is not BAD and "scorecard" in obj
        if has_scorecard:
            measure = measure_period = formula = None
            scorecard = self.scorecard_plan(obj, path, basis, known)
        else:
            scorecard = None
            measure, measure_period, formula = self.single_measure_plan(obj, path, basis, known)
        estimate = self.optional(
            obj, "estimate", path, None, self.estimate, scorecard=has_scorecard and self.version >= 2
        )
        if isinstance(estimate, Estimate) and isinstance(scorecard, Scorecard):
            self.check_estimated_values(
                estimate, scorecard, key_path(path, "estimate"), requires_estimate is True, known
            )
        credits = self.optional(obj, "already_recovered", path, (), self.already_recovered, unit=unit)
        good = ok(
            obj, award_id, executive, award_type, basis, period, start, end, unit, received, value_per_unit,
            requires_estimate, measure, measure_period, formula, scorecard, estimate, credits,
        )  # fmt: skip
        if not good:
            return BAD
        return Award(
            id=award_id,
            executive=executive,
            type=award_type,
            basis=basis,
            performance_start=start,
            performance_end=end,
            measure=measure,
            measure_period=measure_period,
            formula=formula,
            scorecard=scorecard,
            unit=unit,
            received=received,
            value_per_unit=value_per_unit,
            requires_estimate=requires_estimate,
            estimate=estimate,
            already_recovered=credits,
        )

    # --- a formula on one measure -----------------------------------------------------------------

    def single_measure_plan(
        self, obj: Any, path: str, basis: Any, known: KnownMeasures
    ) -> tuple[Any, Any, Any]:
        """(measure, measure_period, formula): all three for an incentive-based award, or none."""
        measure = self.optional(obj, "measure", path, None, self.string)
        measure_period = self.optional(obj, "measure_period", path, None, self.string)
        formula = self.optional(obj, "formula", path, None, self.formula)
        if obj is not BAD:
            given = [k for k in _PLAN_KEYS if k in obj]
            if basis == INCENTIVE_BASIS or given:
                if basis != INCENTIVE_BASIS:
                    reason = "measure, measure_period and formula go together"
                elif self.version >= 2:
                    reason = (
                        "an incentive-based award needs a measure, a measure_period and a formula, "
                        "or a scorecard"
                    )
                else:
                    reason = "an incentive-based award needs a measure, a measure_period and a formula"
                for key in _PLAN_KEYS:
                    if key not in obj:
                        self.error(key_path(path, key), f"required: {reason}")
        if isinstance(measure, str):
            self.measure_reference(measure, measure_period, path, known)
        return measure, measure_period, formula

    def measure_reference(self, measure: str, period: Any, path: str, known: KnownMeasures) -> None:
        """`measure` names a measure of the file, and `period` (when readable) one of its periods."""
        if measure not in known.periods:
            self.error(key_path(path, "measure"), f"no measure has key {show(measure)}")
        elif isinstance(period, str):
            labels = known.periods[measure]
            if labels is not None and period not in labels:
                self.error(
                    key_path(path, "measure_period"),
                    f"measure {show(measure)} has no value for {show(period)}",
                )

    def formula(self, value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            return self.error(path, f"must be an object, not {json_type(value)}")
        kind = value.get("kind")
        if kind == "curve":
            obj = self.object(value, path, required=("kind", "target", "points"))
            target = self.field(obj, "target", path, self.decimal, non_negative=True)
            points = self.field(obj, "points", path, self.points)
            return CurveFormula(target=target, points=points) if ok(target, points) else BAD
        if kind == "linear":
            obj = self.object(value, path, required=("kind", "rate"), optional=("offset", "cap"))
            rate = self.field(obj, "rate", path, self.decimal)
            offset = self.optional(obj, "offset", path, Decimal(0), self.decimal)
            cap = self.optional(obj, "cap", path, None, self.decimal, non_negative=True)
            return LinearFormula(rate=rate, offset=offset, cap=cap) if ok(rate, offset, cap) else BAD
        if "kind" not in value:
            return self.error(key_path(path, "kind"), 'required key is missing ("curve" or "linear")')
        return self.error(key_path(path, "kind"), f'must be "curve" or "linear"; got {show(kind)}')

    # --- a scorecard (/2) ---------------------------------------------------------------------------

    def scorecard_plan(self, obj: Any, path: str, basis: Any, known: KnownMeasures) -> Any:
        """The award's scorecard, which replaces measure, measure_period and formula.

        The award is incentive-based exactly when a goal is on a financial reporting measure (Rule
        10D-1(d), "wholly or in part"), so its `basis` must say so: `financial_reporting_measure` with
        such a goal, any other basis without one. A contradiction is an error, never silently resolved.
        """
        scorecard_path = key_path(path, "scorecard")
        if self.version < 2:
            return self.error(scorecard_path, only_in_2("a scorecard"))
        for key in _PLAN_KEYS:
            if key in obj:
                self.error(
                    key_path(path, key), "not allowed with a scorecard: a scorecard award pays on its goals"
                )
        scorecard = self.scorecard(obj["scorecard"], scorecard_path, known)
        if isinstance(scorecard, Scorecard) and isinstance(basis, str):
            on_measure = [
                i for i, c in enumerate(scorecard.components, start=1) if isinstance(c, MeasureComponent)
            ]
            if on_measure and basis != INCENTIVE_BASIS:
                self.error(
                    key_path(path, "basis"),
                    f'must be "{INCENTIVE_BASIS}": goal {on_measure[0]} of the scorecard is on a financial '
                    "reporting measure, which makes the award incentive-based (Rule 10D-1(d): "
                    '"wholly or in part")',
                )
            elif not on_measure and basis == INCENTIVE_BASIS:
                self.error(
                    key_path(path, "basis"),
                    "no goal of the scorecard is on a financial reporting measure, so the award is not "
                    "incentive-based; give the basis it rests on (e.g. operational_goal or discretionary)",
                )
        return scorecard

    def scorecard(self, value: Any, path: str, known: KnownMeasures) -> Any:
        obj = self.object(value, path, required=("target", "components"), optional=("cap_factor",))
        target = self.field(obj, "target", path, self.decimal, non_negative=True)
        cap_factor = self.optional(obj, "cap_factor", path, None, self.decimal, non_negative=True)
        items = self.field(obj, "components", path, self.array, non_empty=True)
        components: list[Any] = []
        if items is not BAD:
            components_path = key_path(path, "components")
            components = [
                self.component(raw, index_path(components_path, i), known) for i, raw in enumerate(items)
            ]
        if not ok(obj, target, cap_factor, items, *components):
            return BAD
        return Scorecard(target=target, cap_factor=cap_factor, components=tuple(components))

    def component(self, raw: Any, path: str, known: KnownMeasures) -> Any:
        """A goal: `{measure, measure_period, weight, points}` on a financial reporting measure, or
        `{basis, weight, factor}` scored by the committee (operational_goal, discretionary, individual)."""
        if not isinstance(raw, dict):
            return self.error(path, f"must be an object, not {json_type(raw)}")
        basis = raw.get("basis", INCENTIVE_BASIS)
        if basis != INCENTIVE_BASIS and basis not in SCORED_COMPONENT_BASES:
            self.object(
                raw,
                path,
                required=("basis", "weight"),
                optional=("measure", "measure_period", "points", "factor"),
            )
            return self.choice(basis, key_path(path, "basis"), (INCENTIVE_BASIS, *SCORED_COMPONENT_BASES))
        if basis != INCENTIVE_BASIS:
            obj = self.object(raw, path, required=("basis", "weight", "factor"))
            weight = self.field(obj, "weight", path, self.decimal, positive=True)
            factor = self.field(obj, "factor", path, self.decimal, non_negative=True)
            return (
                ScoredComponent(basis=basis, weight=weight, factor=factor) if ok(obj, weight, factor) else BAD
            )
        obj = self.object(
            raw, path, required=("measure", "measure_period", "weight", "points"), optional=("basis",)
        )
        measure = self.field(obj, "measure", path, self.string)
        period = self.field(obj, "measure_period", path, self.string)
        weight = self.field(obj, "weight", path, self.decimal, positive=True)
        points = self.field(obj, "points", path, self.points)
        if isinstance(measure, str):
            self.measure_reference(measure, period, path, known)
        if not ok(obj, measure, period, weight, points):
            return BAD
        return MeasureComponent(measure=measure, measure_period=period, weight=weight, points=points)

    # --- the committee's estimate -----------------------------------------------------------------

    def estimate(self, value: Any, path: str, *, scorecard: bool) -> Any:
        """`{restated_value, method, documents, adopted_on}`; a scorecard award's estimate (`/2`) gives
        `restated_values` (measure key -> value) in place of `restated_value`."""
        value_key = "restated_values" if scorecard else "restated_value"
        other_key = "restated_value" if scorecard else "restated_values"
        obj = self.object(
            value, path, required=(value_key, "method", "documents", "adopted_on"), optional=(other_key,)
        )
        if obj is not BAD and other_key in obj:
            if other_key == "restated_values" and self.version < 2:
                self.error(key_path(path, other_key), only_in_2("restated_values"))
            elif scorecard:
                self.error(
                    key_path(path, other_key),
                    "a scorecard award's estimate gives restated_values, one value per measure",
                )
            else:
                self.error(
                    key_path(path, other_key),
                    "only for a scorecard award; this award's estimate gives restated_value",
                )
        if scorecard:
            restated_value = None
            restated_values = self.field(obj, "restated_values", path, self.estimated_values)
        else:
            restated_value = self.field(obj, "restated_value", path, self.decimal)
            restated_values = None
        method = self.field(obj, "method", path, self.string)
        adopted_on = self.field(obj, "adopted_on", path, self.date)
        documents_raw = self.field(obj, "documents", path, self.array)
        documents: list[Any] = []
        if documents_raw is not BAD:
            documents = [
                self.string(doc, index_path(key_path(path, "documents"), i))
                for i, doc in enumerate(documents_raw)
            ]
        if not ok(obj, restated_value, restated_values, method, adopted_on, documents_raw, *documents):
            return BAD
        return Estimate(
            restated_value=restated_value,
            restated_values=restated_values,
            method=method,
            documents=tuple(documents),
            adopted_on=adopted_on,
        )

    def estimated_values(self, value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            return self.error(path, f"must be an object of measure key -> value, not {json_type(value)}")
        for key in getattr(value, "duplicate_keys", ()):
            self.error(key_path(path, key), "key appears more than once")
        values = {str(k): self.decimal(v, key_path(path, k)) for k, v in value.items()}
        return BAD if not ok(*values.values()) else values

    def check_estimated_values(
        self,
        estimate: Estimate,
        scorecard: Scorecard,
        path: str,
        requires_estimate: bool,
        known: KnownMeasures,
    ) -> None:
        """Every goal whose measure needs an estimate (stock price, TSR, or the award's
        `requires_estimate`: Rule 10D-1(b)(1)(iii)(A)) has its estimated value; every value names a goal's
        measure."""
        values = estimate.restated_values or {}
        values_path = key_path(path, "restated_values")
        goal_measures = [c.measure for c in scorecard.components if isinstance(c, MeasureComponent)]
        for key in values:
            if key not in goal_measures:
                self.error(key_path(values_path, key), "not the measure of a goal of this award's scorecard")
        for i, component in enumerate(scorecard.components, start=1):
            if not isinstance(component, MeasureComponent) or component.measure in values:
                continue
            category = known.categories.get(component.measure)
            if requires_estimate or category in ESTIMATE_CATEGORIES:
                why = (
                    f"a {category} measure"
                    if category in ESTIMATE_CATEGORIES
                    else "the award requires an estimate"
                )
                self.error(
                    values_path,
                    f"needs an estimated restated value for {show(component.measure)} (goal {i}: {why})",
                )

    # --- amounts already recovered (/2) -----------------------------------------------------------

    def already_recovered(self, value: Any, path: str, *, unit: Any) -> Any:
        """`[{amount, on, source, reference}, ...]` in the award's unit: what was recovered of the same
        compensation before (an earlier restatement, SOX 304, other), credited and never recovered twice."""
        if self.version < 2:
            return self.error(path, only_in_2("already_recovered"))
        return self.each(value, path, lambda raw, item_path: self.recovered_amount(raw, item_path, unit=unit))

    def recovered_amount(self, raw: Any, path: str, *, unit: Any) -> Any:
        obj = self.object(raw, path, required=("amount", "on", "source", "reference"))
        amount = self.field(obj, "amount", path, self.decimal, positive=True, cents=unit == USD)
        on = self.field(obj, "on", path, self.date)
        source = self.field(obj, "source", path, self.choice, RECOVERY_SOURCES)
        reference = self.field(obj, "reference", path, self.string)
        good = ok(obj, amount, on, source, reference)
        return RecoveredAmount(amount=amount, on=on, source=source, reference=reference) if good else BAD
