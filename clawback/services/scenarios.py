"""Clawback workflows. Each business action is one function, called by views, the API, admin and tasks."""

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compliance_site.audit.recorder import audit_context
from compliance_site.company.models import Company, FiscalPeriod, PolicyVersion
from compliance_site.company.selectors import policy_in_force
from compliance_site.lib.timefmt import EXCHANGE_TZ

from ..models import (
    Award,
    Executive,
    Measure,
    MeasureValue,
    OfficerPeriod,
    ReasonableEstimate,
    Restatement,
    RestatementEvent,
)
from ..recovery import Estimate, RecoveryResult, Scenario, evaluate, required_to_prepare
from ..recovery import RestatementEvent as EngineEvent
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


def award_key_conflicts(company: Company, scenario: Scenario) -> list[str]:
    """Awards of the file whose key the company already uses for another executive's award: award keys are
    unique in a company (a case's scenario names awards by key), so such a file cannot be imported."""
    owners = dict(
        Award.objects.filter(company=company, key__in=[a.id for a in scenario.awards]).values_list(
            "key", "executive__key"
        )
    )
    return [
        f"Award {a.id} belongs to executive {owners[a.id]} in the company, not to {a.executive}."
        for a in scenario.awards
        if a.id in owners and owners[a.id] != a.executive
    ]


@transaction.atomic
def import_scenario(
    *, actor, company: Company, scenario: Scenario, title: str, now: datetime | None = None
) -> Restatement:
    """Create a draft case from a scenario file: fiscal periods, executives, measures, awards, the
    restatement and its events. Records that already exist under the same keys are reused, never changed.
    An award new to an executive other cases cover is an input of those cases: their approvals are checked
    at once (`records.recheck_approvals`)."""
    from .records import cases_using_executives, recheck_approvals

    conflicts = award_key_conflicts(company, scenario)
    if conflicts:
        raise ValidationError({"file": conflicts})
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
                defaults={"name": _measure_name(key), "category": item["category"]},
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
        # The policy version in force on the day of the import (policy "Effective Date"), and the measures
        # and periods the file restates, as a case recorded on its page would have them.
        restated = {
            key: sorted(label for label, value in item["values"].items() if value.get("restated") is not None)
            for key, item in data["measures"].items()
        }
        restatement = Restatement(
            company=company,
            title=title,
            kind=data["restatement"]["kind"],
            policy_version=policy_in_force(
                PolicyVersion.Kind.CLAWBACK, on=(now or timezone.now()).astimezone(EXCHANGE_TZ).date()
            ),
            periods_restated=", ".join(sorted({label for labels in restated.values() for label in labels}))[
                :300
            ],
        )
        restatement.full_clean()
        restatement.save()
        restatement.measures_restated.set([measures[key] for key, labels in restated.items() if labels])
        for event in data["restatement"]["events"]:
            RestatementEvent.objects.create(
                restatement=restatement,
                kind=event["kind"],
                date=event["date"],
                rationale=event.get("rationale", "")
                or ("Imported from a scenario file." if event["kind"] == "should_have_concluded" else ""),
            )
        restatement.covered_executives.set(executives.values())
    recheck_approvals(
        cases_using_executives(x.pk for x in executives.values()).exclude(pk=restatement.pk),
        actor=actor,
        now=now,
    )
    return restatement


_ACRONYMS = {"ebitda", "eps", "tsr", "roic", "roa", "eva", "ffo", "affo", "h1", "h2", "q1", "q2", "q3", "q4"}


def _measure_name(key: str) -> str:
    """A readable name for a measure known only by its key: net_income_h1 -> "Net income H1"."""
    words = [w.upper() if w.lower() in _ACRONYMS else w for w in key.replace("-", "_").split("_") if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def scenario_with_estimates(case: Restatement) -> Scenario:
    """The case's inputs as a determination freezes them, the worksheet shows them and an export carries
    them: `scenario_for_restatement` with the committee's recorded reasonable estimates on the matching
    awards (Rule 10D-1(b)(1)(iii)(A)) and every award it designated flagged `requires_estimate`. Raises
    ScenarioError while the case's records cannot form a scenario."""
    scenario = scenario_for_restatement(case)
    estimates = {
        (e.award.executive.key, e.award.key): e
        for e in ReasonableEstimate.objects.filter(restatement=case).select_related("award__executive")
    }
    flagged = set(
        Award.objects.filter(executive__in=case.covered_executives.all(), requires_estimate=True).values_list(
            "executive__key", "key"
        )
    )
    awards = []
    for award in scenario.awards:
        key = (award.executive, award.id)
        if key in flagged and not award.requires_estimate:
            award = dataclasses.replace(award, requires_estimate=True)
        estimate = estimates.get(key)
        if estimate is not None:
            award = dataclasses.replace(
                award,
                estimate=Estimate(
                    restated_value=Decimal(format(estimate.restated_value.normalize(), "f")),
                    method=estimate.method.strip(),
                    documents=tuple(line.strip() for line in estimate.documents.splitlines() if line.strip()),
                    adopted_on=estimate.adopted_on,
                ),
            )
        awards.append(award)
    return dataclasses.replace(scenario, awards=tuple(awards))


def scenario_for_restatement(restatement: Restatement) -> Scenario:
    """The case as the engine sees it: the same Scenario a scenario file would give, so a case in the
    database and a file are evaluated the same way and a case can be exported and re-evaluated.

    The fiscal calendar stops at the period in progress on the required-to-prepare date: the look-back
    takes only periods completed before it (rules.md §1.5), so a later period cannot change the analysis,
    and recording next year's period must not withdraw an approval resting on the case's inputs."""
    company = restatement.company
    events = list(restatement.events.order_by("date", "id"))
    required = required_to_prepare(EngineEvent(kind=e.kind, date=e.date) for e in events)
    periods = company.fiscal_periods.order_by("start")
    if required is not None:
        periods = periods.filter(start__lte=required[0])
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
                for p in periods
            ],
        },
        "restatement": {
            "kind": restatement.kind,
            "events": [{"kind": e.kind, "date": e.date.isoformat()} for e in events],
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
