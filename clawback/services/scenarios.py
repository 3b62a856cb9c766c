"""Clawback workflows. Each business action is one function, called by views, the API, admin and tasks."""

from dataclasses import dataclass

from django.db import transaction

from compliance_site.audit.recorder import audit_context
from compliance_site.company.models import Company, FiscalPeriod

from ..models import Award, Executive, Measure, MeasureValue, OfficerPeriod, Restatement, RestatementEvent
from ..recovery import RecoveryResult, Scenario, evaluate
from ..scenario import load_scenario, parse_scenario, result_to_json, scenario_to_json


@dataclass(frozen=True)
class WhatIf:
    scenario: Scenario
    result: RecoveryResult
    result_json: dict


def run_whatif(*, text: str | bytes) -> WhatIf:
    """Evaluate a scenario file without saving anything (the committee sizing its exposure early).

    Raises clawback.scenario.ScenarioError listing every problem with its JSON path.
    """
    scenario = load_scenario(text)
    result = evaluate(scenario)
    return WhatIf(scenario=scenario, result=result, result_json=result_to_json(result))


@transaction.atomic
def import_scenario(*, actor, company: Company, scenario: Scenario, title: str) -> Restatement:
    """Create a draft case from a scenario file: fiscal periods, executives, measures, awards, the
    restatement and its events. Records that already exist under the same keys are reused, never changed."""
    data = scenario_to_json(scenario)
    with audit_context(actor=actor):
        for period in scenario.fiscal_periods:
            FiscalPeriod.objects.get_or_create(
                company=company,
                label=period.label,
                defaults={"start": period.start, "end": period.end, "transition": period.transition},
            )
        executives = {}
        for item in data["executives"]:
            executive, created = Executive.objects.get_or_create(
                company=company, key=item["id"], defaults={"name": item["name"]}
            )
            if created:
                for span in item["officer_periods"]:
                    OfficerPeriod.objects.create(executive=executive, start=span["start"], end=span["end"])
            executives[item["id"]] = executive
        measures = {}
        for key, item in data["measures"].items():
            measure, _ = Measure.objects.get_or_create(
                company=company,
                key=key,
                defaults={"name": key.replace("_", " ").capitalize(), "category": item["category"]},
            )
            for label, value in item["values"].items():
                MeasureValue.objects.get_or_create(
                    measure=measure,
                    period_label=label,
                    defaults={"original": value["original"], "restated": value.get("restated")},
                )
            measures[key] = measure
        for item in data["awards"]:
            Award.objects.get_or_create(
                executive=executives[item["executive"]],
                key=item["id"],
                defaults={
                    "award_type": item["type"],
                    "basis": item["basis"],
                    "performance_start": item["performance_period"]["start"],
                    "performance_end": item["performance_period"]["end"],
                    "measure": measures.get(item.get("measure")),
                    "measure_period": item.get("measure_period") or "",
                    "formula": item.get("formula"),
                    "unit": item["unit"],
                    "received": item["received"],
                    "value_per_unit": item.get("value_per_unit"),
                    "requires_estimate": item.get("requires_estimate", False),
                },
            )
        restatement = Restatement(company=company, title=title, kind=data["restatement"]["kind"])
        restatement.full_clean()
        restatement.save()
        for event in data["restatement"]["events"]:
            RestatementEvent.objects.create(
                restatement=restatement,
                kind=event["kind"],
                date=event["date"],
                rationale=event.get("rationale", "")
                or ("Imported from a scenario file." if event["kind"] == "should_have_concluded" else ""),
            )
        restatement.covered_executives.set(executives.values())
    return restatement


def scenario_for_restatement(restatement: Restatement) -> Scenario:
    """The case as the engine sees it: the same Scenario a scenario file would give, so a case in the
    database and a file are evaluated the same way and a case can be exported and re-evaluated."""
    company = restatement.company
    executives = list(
        restatement.covered_executives.prefetch_related("officer_periods", "awards__measure").order_by("key")
    )
    awards = [award for executive in executives for award in executive.awards.all()]
    measure_ids = {award.measure_id for award in awards if award.measure_id}
    measures = Measure.objects.filter(id__in=measure_ids).prefetch_related("values").order_by("key")
    data = {
        "format": "clawback-scenario/1",
        "company": {
            "name": company.name,
            "fiscal_periods": [
                {
                    "label": p.label,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "transition": p.transition,
                }
                for p in company.fiscal_periods.order_by("start")
            ],
        },
        "restatement": {
            "kind": restatement.kind,
            "events": [
                {"kind": e.kind, "date": e.date.isoformat()}
                for e in restatement.events.order_by("date", "id")
            ],
        },
        "measures": {
            m.key: {
                "category": m.category,
                "values": {
                    v.period_label: {"original": _dec(v.original)}
                    | ({"restated": _dec(v.restated)} if v.restated is not None else {})
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
        "awards": [_award_json(a, executives_by_id={x.id: x.key for x in executives}) for a in awards],
    }
    if company.listed_since:
        data["company"]["listed_periods"] = [
            {
                "start": company.listed_since.isoformat(),
                "end": company.delisted_on.isoformat() if company.delisted_on else None,
            }
        ]
    return parse_scenario(data)


def _dec(value) -> str:
    # Strip the column's trailing zeros: 240000000.000000 -> "240000000".
    text = format(value.normalize(), "f")
    return text


def _award_json(award: Award, *, executives_by_id: dict) -> dict:
    item = {
        "id": award.key,
        "executive": executives_by_id[award.executive_id],
        "type": award.award_type,
        "basis": award.basis,
        "performance_period": {
            "start": award.performance_start.isoformat(),
            "end": award.performance_end.isoformat(),
        },
        "unit": award.unit,
        "received": _dec(award.received),
    }
    if award.measure_id:
        item["measure"] = award.measure.key
        item["measure_period"] = award.measure_period
    if award.formula:
        item["formula"] = award.formula
    if award.value_per_unit is not None:
        item["value_per_unit"] = _dec(award.value_per_unit)
    if award.requires_estimate:
        item["requires_estimate"] = True
    return item
