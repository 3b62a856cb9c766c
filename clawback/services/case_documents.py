"""A case as a `clawback-scenario/2` document: what the engine evaluates, a determination freezes and an
export carries (docs/clawback-rules, "Scenario files"). Reads the records, changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from ..models import (
    Award,
    AwardComponent,
    AwardCredit,
    Measure,
    ReasonableEstimate,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from ..recovery import RestatementEvent as EngineEvent
from ..recovery import Scenario, required_to_prepare
from ..scenario import parse_scenario


def dec(value) -> str:
    """A decimal column as the scenario format writes it: "240000000.000000" -> "240000000"."""
    return format(Decimal(value).normalize(), "f")


def component_document(component: dict) -> dict:
    """One scorecard goal as a scenario file holds it. `component` has basis, measure (a Measure or its key),
    measure_period, weight, points, factor."""
    weight = component.get("weight")
    item: dict[str, Any] = {"weight": dec(weight) if weight is not None else None}
    if component.get("basis", "financial_reporting_measure") == "financial_reporting_measure":
        measure = component.get("measure")
        item["measure"] = measure.key if isinstance(measure, Measure) else measure
        item["measure_period"] = component.get("measure_period") or ""
        item["points"] = component.get("points")
    else:
        item["basis"] = component["basis"]
        factor = component.get("factor")
        item["factor"] = dec(factor) if factor is not None else None
    return item


def award_document(award: Award, *, key: str, executive_key: str, components: Sequence[dict]) -> dict:
    """The award record (saved or about to be) as a `clawback-scenario/2` file holds it, with the goals given
    (what `scenario_for_restatement` exports)."""
    measure_key = award.measure.key if award.measure is not None else None
    item: dict[str, Any] = {
        "id": key,
        "executive": executive_key,
        "type": award.award_type,
        "basis": award.basis,
        "performance_period": {
            "start": award.performance_start.isoformat(),
            "end": award.performance_end.isoformat(),
        },
        "unit": award.unit,
        "received": dec(award.received),
    }
    if award.scorecard_target is not None:
        item["scorecard"] = {
            "target": dec(award.scorecard_target),
            "components": [component_document(c) for c in components],
        }
        if award.scorecard_cap_factor is not None:
            item["scorecard"]["cap_factor"] = dec(award.scorecard_cap_factor)
    else:
        if measure_key:
            item["measure"] = measure_key
            item["measure_period"] = award.measure_period
        elif award.measure_period:
            item["measure_period"] = award.measure_period
        if award.formula is not None:
            item["formula"] = award.formula
    if award.value_per_unit is not None:
        item["value_per_unit"] = dec(award.value_per_unit)
    if award.requires_estimate:
        item["requires_estimate"] = True
    return item


GOAL_TERMS = ("basis", "measure", "measure_period", "weight", "points", "factor")


def goal_terms(component: AwardComponent) -> dict:
    """A recorded scorecard goal as `component_document` and the award services take one."""
    return {name: getattr(component, name) for name in GOAL_TERMS}


def scenario_with_estimates(case: Restatement) -> Scenario:
    """The case's inputs as a determination freezes them, the worksheet shows them and an export carries
    them: `scenario_for_restatement` with the committee's recorded reasonable estimates on the matching
    awards (Rule 10D-1(b)(1)(iii)(A)) and every award it designated flagged `requires_estimate`. Raises
    ScenarioError while the case's records cannot form a scenario."""
    # A draft case may not have its required-to-prepare date yet: the worksheet says so rather than refuse.
    return parse_scenario(case_document(case), require_restatement_date=False)


def scenario_for_restatement(restatement: Restatement) -> Scenario:
    """The case as the engine sees it (estimates included): the same Scenario a scenario file would give, so
    a case in the database and a file are evaluated the same way and a case can be exported and
    re-evaluated."""
    return parse_scenario(case_document(restatement), require_restatement_date=False)


def case_document(restatement: Restatement) -> dict:
    """The case as a `clawback-scenario/2` document: its own restated values only, scorecard goals, the
    amounts already recovered under anything but this case, and the committee's estimates.

    The fiscal calendar stops at the period in progress on the required-to-prepare date: the look-back
    takes only periods completed before it (docs/clawback-rules §1.5), so a later period cannot change the
    analysis, and recording next year's period must not withdraw an approval resting on the case's inputs."""
    company = restatement.company
    events = list(restatement.events.order_by("date", "id"))
    required = required_to_prepare(EngineEvent(kind=e.kind, date=e.date) for e in events)
    periods = company.fiscal_periods.order_by("start")
    if required is not None:
        periods = periods.filter(start__lte=required[0])
    executives = list(
        restatement.covered_executives.prefetch_related(
            "officer_periods",
            Prefetch(
                "awards", queryset=Award.objects.select_related("measure").order_by("performance_end", "key")
            ),
            Prefetch("awards__components", queryset=AwardComponent.objects.select_related("measure")),
            Prefetch("awards__credits", queryset=AwardCredit.objects.exclude(under_case=restatement)),
        ).order_by("key")
    )
    awards = [award for executive in executives for award in executive.awards.all()]
    measure_ids = {award.measure_id for award in awards if award.measure_id}
    measure_ids |= {c.measure_id for award in awards for c in award.components.all() if c.measure_id}
    measures = Measure.objects.filter(id__in=measure_ids).prefetch_related("values").order_by("key")
    restated = {
        r.value_id: r.restated
        for r in RestatedValue.objects.filter(restatement=restatement, value__measure_id__in=measure_ids)
    }
    estimates = {
        e.award_id: e for e in ReasonableEstimate.objects.filter(restatement=restatement, award__in=awards)
    }
    data = {
        "format": "clawback-scenario/2",
        "company": {
            "name": company.name,
            "fiscal_periods": [
                {
                    "label": p.label,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "transition": p.transition,
                }
                for p in periods
            ],
        },
        "restatement": {"kind": restatement.kind, "events": [_event_json(e) for e in events]},
        "measures": {
            m.key: {
                "category": m.category,
                "values": {
                    v.period_label: {"original": dec(v.original)}
                    | ({"restated": dec(restated[v.pk])} if v.pk in restated else {})
                    for v in m.values.all()
                },
            }
            for m in measures
        },
        "executives": [
            {
                "id": x.key,
                "name": x.name,
                "officer_periods": [
                    {"start": p.start.isoformat(), "end": p.end.isoformat() if p.end else None}
                    for p in x.officer_periods.all()
                ],
            }
            for x in executives
        ],
        "awards": [
            _award_json(a, executive_key=x.key, estimate=estimates.get(a.pk))
            for x in executives
            for a in x.awards.all()
        ],
    }
    if company.listed_since:
        data["company"]["listed_periods"] = [
            {
                "start": company.listed_since.isoformat(),
                "end": company.delisted_on.isoformat() if company.delisted_on else None,
            }
        ]
    return data


def _event_json(event: RestatementEvent) -> dict:
    item = {"kind": event.kind, "date": event.date.isoformat()}
    if event.kind == RestatementEvent.Kind.OTHER:
        item["label"] = event.label
    return item


def _award_json(award: Award, *, executive_key: str, estimate: ReasonableEstimate | None) -> dict:
    item = award_document(
        award,
        key=award.key,
        executive_key=executive_key,
        components=[goal_terms(c) for c in award.components.all()],
    )
    credits = list(award.credits.all())
    if credits:
        item["already_recovered"] = [
            {
                "amount": dec(c.amount),
                "on": c.recovered_on.isoformat(),
                "source": c.source,
                "reference": c.reference,
            }
            for c in credits
        ]
    if estimate is not None:
        documents = [line.strip() for line in estimate.documents.splitlines() if line.strip()]
        item["estimate"] = {
            "method": estimate.method.strip(),
            "documents": documents,
            "adopted_on": estimate.adopted_on.isoformat(),
        }
        if award.is_scorecard:
            item["estimate"]["restated_values"] = {
                k: dec(v) for k, v in (estimate.restated_values or {}).items()
            }
        else:
            item["estimate"]["restated_value"] = dec(estimate.restated_value)
    return item
